/* sipladder-cli messages: one line (or JSON object) per SIP message. */
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "cli.h"

typedef struct {
    gboolean json;
    guint64 count;
} MessagesCtx;

/* Display copy of a view: invalid UTF-8 and control bytes replaced. */
static char *
show(SlView v)
{
    return sl_view_dup_printable(v, 0);
}

static char *
summary(const SipMsg *m)
{
    if (m->is_request) {
        g_autofree char *method = show(m->method_name);
        g_autofree char *ruri = show(m->ruri);
        return g_strdup_printf("%s %s", method, ruri);
    }
    g_autofree char *reason = show(m->reason);
    return g_strdup_printf("%u %s", m->status, reason);
}

static void
print_text(const char *file, const SipFound *f)
{
    const SipMsg *m = f->msg;
    char ts[SL_TIME_STRLEN], src[SL_ADDR_STRLEN], dst[SL_ADDR_STRLEN];
    g_autofree char *what = summary(m);
    g_autofree char *call_id = show(m->call_id);
    g_autofree char *cseq_method = show(m->cseq_method_name);
    printf("%6" G_GUINT64_FORMAT " %s %s -> %s %s %s | %s | %u %s%s\n", f->pkt->frame,
           sl_time_format(f->pkt->ts, ts), sl_addr_str(&f->pkt->src, src),
           sl_addr_str(&f->pkt->dst, dst), sip_transport_name(f->transport), what,
           call_id[0] ? call_id : "-", m->cseq, cseq_method[0] ? cseq_method : "-",
           f->status == SL_OK ? "" : " [malformed]");
}

static void
json_add_view(JsonBuilder *b, const char *key, SlView v)
{
    g_autofree char *s = show(v);
    json_builder_set_member_name(b, key);
    json_builder_add_string_value(b, s);
}

static void
print_json(MessagesCtx *ctx, const char *file, const SipFound *f)
{
    const SipMsg *m = f->msg;
    char src[SL_ADDR_STRLEN], dst[SL_ADDR_STRLEN];
    g_autoptr(JsonBuilder) b = json_builder_new();

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "file");
    json_builder_add_string_value(b, file);
    json_builder_set_member_name(b, "frame");
    json_builder_add_int_value(b, (gint64)f->pkt->frame);
    json_builder_set_member_name(b, "time");
    json_builder_add_double_value(b, sl_time_to_seconds(f->pkt->ts));
    json_builder_set_member_name(b, "src");
    json_builder_add_string_value(b, sl_addr_str(&f->pkt->src, src));
    json_builder_set_member_name(b, "dst");
    json_builder_add_string_value(b, sl_addr_str(&f->pkt->dst, dst));
    json_builder_set_member_name(b, "transport");
    json_builder_add_string_value(b, sip_transport_name(f->transport));
    json_builder_set_member_name(b, "method");
    if (m->is_request) {
        g_autofree char *method = show(m->method_name);
        json_builder_add_string_value(b, method);
    } else {
        json_builder_add_null_value(b);
    }
    json_builder_set_member_name(b, "request_uri");
    if (m->is_request) {
        g_autofree char *ruri = show(m->ruri);
        json_builder_add_string_value(b, ruri);
    } else {
        json_builder_add_null_value(b);
    }
    json_builder_set_member_name(b, "status");
    if (!m->is_request && m->status)
        json_builder_add_int_value(b, m->status);
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "reason");
    if (m->is_request) {
        json_builder_add_null_value(b);
    } else {
        g_autofree char *reason = show(m->reason);
        json_builder_add_string_value(b, reason);
    }
    json_add_view(b, "call_id", m->call_id);
    json_builder_set_member_name(b, "cseq");
    if (m->has_cseq) {
        g_autofree char *cm = show(m->cseq_method_name);
        g_autofree char *cseq = g_strdup_printf("%u %s", m->cseq, cm);
        json_builder_add_string_value(b, cseq);
    } else {
        json_builder_add_null_value(b);
    }
    json_add_view(b, "from_tag", m->from.tag);
    json_add_view(b, "to_tag", m->to.tag);
    json_builder_set_member_name(b, "has_sdp");
    SlView sdp;
    json_builder_add_boolean_value(b, sip_msg_find_sdp(m, m->max_multipart_depth, &sdp));
    json_builder_set_member_name(b, "length");
    json_builder_add_int_value(b, (gint64)m->raw.len);
    json_builder_set_member_name(b, "error");
    if (f->status == SL_OK) {
        json_builder_add_null_value(b);
    } else {
        g_autofree char *err = g_strdup_printf("%s: %s at byte %zu", sl_status_name(f->status),
                                               m->error.msg ? m->error.msg : "?",
                                               m->error.offset);
        json_builder_add_string_value(b, err);
    }
    json_builder_end_object(b);

    g_autoptr(JsonNode) node = json_builder_get_root(b);
    g_autofree char *text = json_to_string(node, FALSE);
    printf("%s\n  %s", ctx->count ? "," : "", text);
}

static void
on_message(const char *file, const SipFound *f, gpointer user)
{
    MessagesCtx *ctx = user;
    if (ctx->json)
        print_json(ctx, file, f);
    else
        print_text(file, f);
    ctx->count++;
    if (cli_input_is_live())
        fflush(stdout); /* a live listing shows each message as it comes */
}

int
cli_cmd_messages(int argc, char **argv)
{
    MessagesCtx ctx = { 0 };
    g_auto(GStrv) files = NULL;
    GOptionEntry entries[] = {
        { "json", 'j', 0, G_OPTION_ARG_NONE, &ctx.json, "Print JSON (see docs/json.md)", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE..." },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) oc = g_option_context_new("FILE... - list the SIP messages");
    g_option_context_add_main_entries(oc, entries, NULL);
    g_option_context_add_main_entries(oc, cli_input_entries(), NULL);
    g_option_context_set_description(oc,
        "One line per SIP message: frame, time (UTC), source -> destination,\n"
        "transport, method and Request-URI or status and reason, Call-ID, CSeq.\n"
        "Exit status: 0 success, 1 an input could not be read (completely), 2 bad usage.");
    g_autoptr(GError) error = NULL;
    if (!g_option_context_parse(oc, &argc, &argv, &error)) {
        g_printerr("sipladder-cli messages: %s\n", error->message);
        return CLI_EXIT_USAGE;
    }
    int checked = cli_input_check(files, "messages");
    if (checked != CLI_EXIT_OK)
        return checked;
    if (ctx.json)
        printf("{\"messages\": [");
    int status = cli_read_files(files, on_message, &ctx);
    if (ctx.json) {
        g_autofree char *limits = cli_limits_json_member();
        printf("%s]%s}\n", ctx.count ? "\n" : "", limits);
    }
    fflush(stdout);
    return status;
}
