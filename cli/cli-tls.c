/* sipladder-cli tls: the TLS connections in capture files, with their
 * endpoints, version, cipher suite, SNI and whether a key log decrypted
 * them (so the user knows which keys are missing), and with --messages
 * the SIP messages found, TLS ones decrypted. Reads through capture/ and
 * dissect/ alone: no correlation. The SIP and decoder limits (--limit)
 * bound them as they bound the loader, and are reported the same way. */
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "cli.h"

typedef struct {
    gboolean json;
    gboolean messages;
    guint64 count;
    const char *file;
    JsonBuilder *jb;
    CorrLoadLimit hits[SL_LIMIT_COUNT]; /* files borrowed from argv */
    uint64_t seen[SL_LIMIT_COUNT];      /* the current file's counters */
} TlsCtx;

static TlsKeyLog *keylog_global;

int
cli_tls_keylog_load(const char *path, const char *cmd)
{
    if (path == NULL)
        return CLI_EXIT_OK;
    g_autoptr(GError) error = NULL;
    g_autoptr(TlsKeyLog) k = tls_keylog_new();
    if (!tls_keylog_load_file(k, path, &error)) {
        g_printerr("sipladder-cli %s: %s\n", cmd, error->message);
        return CLI_EXIT_INPUT;
    }
    tls_keylog_unref(keylog_global);
    keylog_global = g_steal_pointer(&k);
    return CLI_EXIT_OK;
}

TlsKeyLog *
cli_tls_keylog(void)
{
    return keylog_global;
}

static void
on_message(const SipFound *f, gpointer user)
{
    TlsCtx *ctx = user;
    const SipMsg *m = f->msg;
    char ts[SL_TIME_STRLEN], src[SL_ADDR_STRLEN], dst[SL_ADDR_STRLEN];
    ctx->count++;
    if (!ctx->messages || ctx->json)
        return;
    g_autofree char *call_id = sl_view_dup_printable(m->call_id, 0);
    g_autofree char *cm = sl_view_dup_printable(m->cseq_method_name, 0);
    g_autofree char *what = NULL;
    if (m->is_request) {
        g_autofree char *method = sl_view_dup_printable(m->method_name, 0);
        g_autofree char *ruri = sl_view_dup_printable(m->ruri, 0);
        what = g_strdup_printf("%s %s", method, ruri);
    } else {
        g_autofree char *reason = sl_view_dup_printable(m->reason, 0);
        what = g_strdup_printf("%u %s", m->status, reason);
    }
    printf("%6" G_GUINT64_FORMAT " %s %s -> %s %s %s | %s | %u %s%s\n", f->pkt->frame,
           sl_time_format(f->pkt->ts, ts), sl_addr_str(&f->pkt->src, src),
           sl_addr_str(&f->pkt->dst, dst), sip_transport_name(f->transport), what,
           call_id[0] ? call_id : "-", m->cseq, cm[0] ? cm : "-",
           f->status == SL_OK ? "" : " [malformed]");
}

static char *
suite_text(uint16_t suite)
{
    const char *name = tls_cipher_suite_name(suite);
    if (name)
        return g_strdup(name);
    return suite ? g_strdup_printf("0x%04X", suite) : g_strdup("-");
}

static void
print_session(TlsCtx *ctx, const TlsSessionInfo *s)
{
    char c[SL_ADDR_STRLEN], sv[SL_ADDR_STRLEN], ts[SL_TIME_STRLEN];
    g_autofree char *suite = suite_text(s->cipher_suite);
    if (!ctx->json) {
        printf("%s %6" G_GUINT64_FORMAT " %s %s -> %s %s %s SNI=%s records=%" G_GUINT64_FORMAT
               "/%" G_GUINT64_FORMAT " decrypted=%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
               " bytes %s\n",
               ctx->file, s->first_frame, sl_time_format(s->first_ts, ts),
               sl_addr_str(&s->client, c), sl_addr_str(&s->server, sv),
               tls_version_name(s->version), suite, s->sni[0] ? s->sni : "-", s->records[0],
               s->records[1], s->app_bytes[0], s->app_bytes[1], tls_state_name(s->state));
        return;
    }
    JsonBuilder *b = ctx->jb;
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "file");
    json_builder_add_string_value(b, ctx->file);
    json_builder_set_member_name(b, "frame");
    json_builder_add_int_value(b, (gint64)s->first_frame);
    json_builder_set_member_name(b, "time");
    json_builder_add_double_value(b, sl_time_to_seconds(s->first_ts));
    json_builder_set_member_name(b, "client");
    json_builder_add_string_value(b, sl_addr_str(&s->client, c));
    json_builder_set_member_name(b, "server");
    json_builder_add_string_value(b, sl_addr_str(&s->server, sv));
    json_builder_set_member_name(b, "version");
    json_builder_add_string_value(b, tls_version_name(s->version));
    json_builder_set_member_name(b, "cipher_suite");
    json_builder_add_string_value(b, suite);
    json_builder_set_member_name(b, "sni");
    json_builder_add_string_value(b, s->sni);
    json_builder_set_member_name(b, "state");
    json_builder_add_string_value(b, tls_state_name(s->state));
    json_builder_set_member_name(b, "decrypted");
    json_builder_add_boolean_value(b, s->state == TLS_STATE_DECRYPTED);
    json_builder_set_member_name(b, "records");
    json_builder_begin_array(b);
    json_builder_add_int_value(b, (gint64)s->records[0]);
    json_builder_add_int_value(b, (gint64)s->records[1]);
    json_builder_end_array(b);
    json_builder_set_member_name(b, "app_bytes");
    json_builder_begin_array(b);
    json_builder_add_int_value(b, (gint64)s->app_bytes[0]);
    json_builder_add_int_value(b, (gint64)s->app_bytes[1]);
    json_builder_end_array(b);
    json_builder_end_object(b);
}

static void
on_packet(const CapPacket *pkt, gpointer user)
{
    sip_dissector_packet(pkt, user);
}

/* A limit whose counter moved: a warning the first time (file and frame),
 * counted for the summary at the end. */
static void
check_limits(TlsCtx *ctx, const SipDissector *sip, const CapDecoder *dec, uint64_t frame)
{
    uint64_t now[SL_LIMIT_COUNT];
    corr_load_stage_counters(sip, dec, now);
    for (unsigned i = 0; i < SL_LIMIT_COUNT; i++) {
        if (now[i] <= ctx->seen[i])
            continue;
        CorrLoadLimit *h = &ctx->hits[i];
        if (h->count == 0) {
            h->file = ctx->file;
            h->frame = frame;
            g_autofree char *text = corr_load_limit_text((SlLimitId)i, h, false);
            g_printerr("sipladder-cli: warning: %s\n", text);
        }
        h->count += now[i] - ctx->seen[i];
        ctx->seen[i] = now[i];
    }
}

/* One file: CLI_EXIT_OK, or CLI_EXIT_INPUT when it could not be read to
 * its end (what was read is still listed). */
static int
read_file(TlsCtx *ctx, const char *file, guint index)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(CapSource) src = cap_source_open_file(file, &error);
    if (src == NULL) {
        g_printerr("sipladder-cli: %s\n", error->message);
        return CLI_EXIT_INPUT;
    }
    src->id = index;
    ctx->file = file;
    SipParseOptions sopts;
    CapLimits climits;
    corr_load_stage_options(cli_limits(), &sopts, &climits);
    g_autoptr(SipDissector) sip = sip_dissector_new(&sopts, on_message, ctx);
    sip_dissector_set_tls_keylog(sip, keylog_global);
    g_autoptr(CapDecoder) dec = cap_decoder_new(&climits, on_packet, sip);
    corr_load_stage_counters(sip, dec, ctx->seen);
    CapFrame frame;
    CapReadResult r;
    while ((r = cap_source_next(src, &frame, &error)) == CAP_READ_FRAME) {
        cap_decoder_feed(dec, &frame, src->id);
        check_limits(ctx, sip, dec, frame.frame);
    }
    cap_decoder_finish(dec);
    check_limits(ctx, sip, dec, src->frames);
    if (!ctx->messages)
        for (guint i = 0; i < sip_dissector_tls_count(sip); i++)
            print_session(ctx, sip_dissector_tls_info(sip, i));
    if (r == CAP_READ_ERROR) {
        g_printerr("sipladder-cli: warning: %s\n", error->message);
        return CLI_EXIT_INPUT;
    }
    return CLI_EXIT_OK;
}

int
cli_cmd_tls(int argc, char **argv)
{
    TlsCtx ctx = { 0 };
    g_auto(GStrv) files = NULL;
    g_autofree char *keylog = NULL;
    GOptionEntry entries[] = {
        { "tls-keylog", 0, 0, G_OPTION_ARG_FILENAME, &keylog,
          "Decrypt TLS with the secrets of this NSS key log (SSLKEYLOGFILE)", "FILE" },
        { "messages", 'm', 0, G_OPTION_ARG_NONE, &ctx.messages,
          "Print the SIP messages found (decrypted ones too) instead of the sessions", NULL },
        { "json", 'j', 0, G_OPTION_ARG_NONE, &ctx.json, "Print the sessions as JSON", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE..." },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) oc =
        g_option_context_new("FILE... - list TLS connections (encrypted SIP flows)");
    g_option_context_add_main_entries(oc, entries, NULL);
    g_option_context_add_main_entries(oc, cli_limit_entries(), NULL);
    g_option_context_set_description(oc,
        "One line per TLS connection: file, first frame, time (UTC), client -> server,\n"
        "version, cipher suite, SNI, records each way, decrypted bytes each way and\n"
        "the state: decrypted, or why not (no key log, no keys in the key log, handshake\n"
        "not captured, cipher suite not supported, keys do not match).\n"
        "Exit status: 0 success, 1 an input or the key log could not be read, 2 bad usage.");
    g_autoptr(GError) error = NULL;
    if (!g_option_context_parse(oc, &argc, &argv, &error)) {
        g_printerr("sipladder-cli tls: %s\n", error->message);
        return CLI_EXIT_USAGE;
    }
    int lst = cli_limits_check("tls");
    if (lst != CLI_EXIT_OK)
        return lst;
    for (unsigned i = 0; i < SL_LIMIT_COUNT; i++)
        ctx.hits[i].value = cli_limits()->value[i];
    if (files == NULL || files[0] == NULL) {
        g_printerr("sipladder-cli tls: no capture file given (see --help)\n");
        return CLI_EXIT_USAGE;
    }
    if (ctx.json && ctx.messages) {
        g_printerr("sipladder-cli tls: --json lists sessions; use messages --json for SIP\n");
        return CLI_EXIT_USAGE;
    }
    int status = cli_tls_keylog_load(keylog, "tls");
    if (status != CLI_EXIT_OK)
        return status;
    g_autoptr(JsonBuilder) jb = ctx.json ? json_builder_new() : NULL;
    ctx.jb = jb;
    if (jb) {
        json_builder_begin_object(jb);
        json_builder_set_member_name(jb, "tls_sessions");
        json_builder_begin_array(jb);
    }
    for (guint i = 0; files[i]; i++)
        if (read_file(&ctx, files[i], i) != CLI_EXIT_OK)
            status = CLI_EXIT_INPUT;
    for (unsigned i = 0; i < SL_LIMIT_COUNT; i++) {
        if (ctx.hits[i].count == 0)
            continue;
        g_autofree char *text = corr_load_limit_text((SlLimitId)i, &ctx.hits[i], true);
        g_printerr("sipladder-cli: warning: %s\n", text);
    }
    cli_limits_record_hits(ctx.hits);
    if (jb) {
        json_builder_end_array(jb);
        cli_limits_json_add(jb);
        json_builder_end_object(jb);
        g_autoptr(JsonNode) node = json_builder_get_root(jb);
        g_autofree char *text = json_to_string(node, TRUE);
        printf("%s\n", text);
    }
    fflush(stdout);
    tls_keylog_unref(keylog_global);
    keylog_global = NULL;
    return status;
}
