/* sipladder-cli calls / call / stats: calls and other dialogs, one call's
 * messages, and the RFC 6076 figures. */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "corr.h"

/* Reads @files into a new engine, RTP streams bound to its calls;
 * *@status gets the read status. The media (*@media, caller frees with
 * cli_media_free) must outlive the engine's use of stream pointers. */
static CorrEngine *
load_media(char **files, int *status, CliMedia **media)
{
    CorrEngine *e = corr_engine_new(NULL);
    *media = cli_media_read(files, e, status);
    return e;
}

/* Reads @files into a new engine (SIP only), finished. */
static CorrEngine *
load(char **files, int *status)
{
    CorrEngine *e = corr_engine_new(NULL);
    CorrLoadOptions o;
    corr_load_options_init(&o);
    o.engine = e;
    g_autoptr(CorrLoad) l = cli_load(files, &o, status);
    return e;
}

static int
parse_args(const char *name, const char *summary, const char *description,
           GOptionEntry *extra, int *argc, char ***argv, char ***files)
{
    GOptionEntry remaining[] = {
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, files, NULL, "FILE..." },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autofree char *param = g_strdup_printf("FILE... - %s", summary);
    g_autoptr(GOptionContext) oc = g_option_context_new(param);
    g_option_context_add_main_entries(oc, extra, NULL);
    g_option_context_add_main_entries(oc, cli_input_entries(), NULL);
    g_option_context_add_main_entries(oc, remaining, NULL);
    g_option_context_set_description(oc, description);
    g_autoptr(GError) error = NULL;
    if (!g_option_context_parse(oc, argc, argv, &error)) {
        g_printerr("sipladder-cli %s: %s\n", name, error->message);
        return CLI_EXIT_USAGE;
    }
    return cli_input_check(*files, name);
}

static char *
ms_text(int64_t ms)
{
    return ms < 0 ? g_strdup("-") : g_strdup_printf("%" G_GINT64_FORMAT, ms);
}

static const char *
nz(const char *s)
{
    return s && s[0] ? s : "-";
}

static char *
state_text(const CorrCall *c)
{
    if (c->kind == CORR_KIND_CALL) {
        if (c->state_code && c->state != CORR_STATE_CANCELLED)
            return g_strdup_printf("%s %u", corr_state_name(c->state), c->state_code);
        return g_strdup(corr_state_name(c->state));
    }
    return c->result ? g_strdup_printf("%u", c->result) : g_strdup("no answer");
}

/* ------------------------------------------------------------ JSON */

static void
json_str(JsonBuilder *b, const char *key, const char *v)
{
    json_builder_set_member_name(b, key);
    if (v)
        json_builder_add_string_value(b, v);
    else
        json_builder_add_null_value(b);
}

static void
json_int_or_null(JsonBuilder *b, const char *key, int64_t v)
{
    json_builder_set_member_name(b, key);
    if (v < 0)
        json_builder_add_null_value(b);
    else
        json_builder_add_int_value(b, v);
}

static void
json_addr(JsonBuilder *b, const SlAddr *a)
{
    char buf[SL_ADDR_STRLEN];
    json_builder_add_string_value(b, sl_addr_str(a, buf));
}

static JsonNode *
call_json(const CorrCall *c)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "id");
    json_builder_add_int_value(b, c->id);
    json_str(b, "kind", corr_kind_name(c->kind));
    json_builder_set_member_name(b, "call_ids");
    json_builder_begin_array(b);
    for (guint i = 0; i < c->legs->len; i++)
        json_builder_add_string_value(b, ((CorrLeg *)g_ptr_array_index(c->legs, i))->call_id);
    json_builder_end_array(b);
    json_builder_set_member_name(b, "legs");
    json_builder_begin_array(b);
    for (guint i = 0; i < c->legs->len; i++) {
        const CorrLeg *l = g_ptr_array_index(c->legs, i);
        json_builder_begin_object(b);
        json_str(b, "call_id", l->call_id);
        json_str(b, "linked_by", corr_link_name(l->linked_by));
        json_str(b, "header", l->linked_by == CORR_LINK_HEADER ? l->link_detail : NULL);
        json_str(b, "detail", l->link_detail);
        json_str(b, "linked_to", l->linked_to ? l->linked_to->call_id : NULL);
        json_builder_set_member_name(b, "messages");
        json_builder_add_int_value(b, l->msgs->len);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    g_autofree char *state = c->kind == CORR_KIND_CALL ? g_strdup(corr_state_name(c->state)) : NULL;
    json_str(b, "state", state);
    json_int_or_null(b, "state_code", c->state_code ? (int64_t)c->state_code : -1);
    json_str(b, "caller", c->caller);
    json_str(b, "caller_display", c->caller_display);
    json_str(b, "caller_asserted", c->caller_asserted);
    json_str(b, "callee", c->callee);
    json_str(b, "callee_display", c->callee_display);
    json_builder_set_member_name(b, "start");
    json_builder_add_double_value(b, sl_time_to_seconds(c->start));
    json_builder_set_member_name(b, "end");
    json_builder_add_double_value(b, sl_time_to_seconds(c->end));
    json_int_or_null(b, "pdd_ms", c->pdd_ms);
    json_int_or_null(b, "setup_ms", c->setup_ms);
    json_builder_set_member_name(b, "duration_s");
    if (c->duration_s < 0)
        json_builder_add_null_value(b);
    else
        json_builder_add_double_value(b, c->duration_s);
    json_str(b, "hangup_by", c->hangup_by);
    json_str(b, "reason", c->reason_text);
    json_int_or_null(b, "q850_cause", c->q850_cause);
    json_builder_set_member_name(b, "messages");
    json_builder_add_int_value(b, c->msgs->len);
    json_builder_set_member_name(b, "retransmissions");
    json_builder_add_int_value(b, c->retransmissions);
    json_builder_set_member_name(b, "duplicates");
    json_builder_add_int_value(b, c->duplicates);
    json_builder_set_member_name(b, "hops");
    json_builder_add_int_value(b, c->hops);
    json_builder_set_member_name(b, "endpoints");
    json_builder_begin_array(b);
    for (guint i = 0; i < c->endpoints->len; i++)
        json_addr(b, &g_array_index(c->endpoints, SlAddr, i));
    json_builder_end_array(b);
    json_builder_set_member_name(b, "streams");
    json_builder_add_int_value(b, c->streams ? c->streams->len : 0);
    json_builder_set_member_name(b, "mos_worst");
    if (c->mos_worst >= 0)
        json_builder_add_double_value(b, c->mos_worst);
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "mos_mean");
    if (c->mos_mean >= 0)
        json_builder_add_double_value(b, c->mos_mean);
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "dtmf");
    json_builder_begin_array(b);
    for (guint i = 0; c->dtmf && i < c->dtmf->len; i++) {
        const CorrDtmf *d = &g_array_index(c->dtmf, CorrDtmf, i);
        char digit[2] = { d->digit, 0 }, src[SL_ADDR_STRLEN];
        json_builder_begin_object(b);
        json_str(b, "digit", digit);
        json_builder_set_member_name(b, "time");
        json_builder_add_double_value(b, sl_time_to_seconds(d->ts));
        json_builder_set_member_name(b, "frame");
        json_builder_add_int_value(b, (gint64)d->frame);
        json_str(b, "via", d->in_rtp ? "rfc4733" : "sip-info");
        json_str(b, "src", sl_addr_str(&d->src, src));
        json_int_or_null(b, "duration_ms", d->duration_ms ? (int64_t)d->duration_ms : -1);
        json_int_or_null(b, "volume", d->volume);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "findings");
    json_builder_begin_array(b);
    for (guint i = 0; c->findings && i < c->findings->len; i++) {
        const CorrFinding *f = g_ptr_array_index(c->findings, i);
        json_builder_begin_object(b);
        json_str(b, "kind", f->kind);
        json_str(b, "text", f->text);
        json_int_or_null(b, "frame", f->frame ? (int64_t)f->frame : -1);
        json_int_or_null(b, "stream", f->stream ? (int64_t)f->stream : -1);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_str(b, "contact", c->contact);
    json_int_or_null(b, "expires", c->kind == CORR_KIND_REGISTRATION ? c->expires : -1);
    json_int_or_null(b, "result", c->kind != CORR_KIND_CALL && c->result ? (int64_t)c->result : -1);
    json_builder_end_object(b);
    return json_builder_get_root(b);
}

/* ------------------------------------------------------------ calls */

static void
csv_field(GString *out, const char *v)
{
    if (!v)
        v = "";
    if (strpbrk(v, ",\"\n\r")) {
        g_string_append_c(out, '"');
        for (const char *p = v; *p; p++) {
            if (*p == '"')
                g_string_append_c(out, '"');
            g_string_append_c(out, *p);
        }
        g_string_append_c(out, '"');
    } else {
        g_string_append(out, v);
    }
}

static void
print_calls_text(GPtrArray *calls)
{
    printf("%-4s %-12s %-26s %-15s %-16s %-16s %6s %7s %9s %-7s %4s %5s %4s %4s\n", "ID", "KIND",
           "START", "STATE", "CALLER", "CALLEE", "PDD", "SETUP", "DURATION", "HANGUP", "LEGS",
           "MSGS", "RTP", "MOS");
    for (guint i = 0; i < calls->len; i++) {
        const CorrCall *c = g_ptr_array_index(calls, i);
        char ts[SL_TIME_STRLEN];
        g_autofree char *state = state_text(c);
        g_autofree char *pdd = ms_text(c->pdd_ms);
        g_autofree char *setup = ms_text(c->setup_ms);
        g_autofree char *dur = c->duration_s < 0 ? g_strdup("-") : g_strdup_printf("%.3f", c->duration_s);
        g_autofree char *mos = c->mos_worst < 0 ? g_strdup("-") : g_strdup_printf("%.2f", c->mos_worst);
        printf("%-4u %-12s %-26s %-15s %-16s %-16s %6s %7s %9s %-7s %4u %5u %4u %4s\n", c->id,
               corr_kind_name(c->kind), sl_time_format(c->start, ts), state, nz(c->caller),
               nz(c->callee), pdd, setup, dur, nz(c->hangup_by), c->legs->len, c->msgs->len,
               c->streams ? c->streams->len : 0, mos);
        for (guint k = 1; k < c->legs->len; k++) {
            const CorrLeg *l = g_ptr_array_index(c->legs, k);
            printf("     leg %u: %s linked by %s (%s)\n", k + 1, l->call_id,
                   corr_link_name(l->linked_by), nz(l->link_detail));
        }
        for (guint k = 0; c->findings && k < c->findings->len; k++) {
            const CorrFinding *f = g_ptr_array_index(c->findings, k);
            printf("     ! %s: %s (frame %" G_GUINT64_FORMAT ")\n", f->kind, f->text, f->frame);
        }
    }
}

static void
print_calls_csv(GPtrArray *calls)
{
    printf("id,kind,start,state,state_code,caller,callee,pdd_ms,setup_ms,duration_s,hangup_by,"
           "legs,messages,retransmissions,call_ids\n");
    for (guint i = 0; i < calls->len; i++) {
        const CorrCall *c = g_ptr_array_index(calls, i);
        g_autoptr(GString) line = g_string_new(NULL);
        g_string_append_printf(line, "%u,%s,%.6f,", c->id, corr_kind_name(c->kind),
                               sl_time_to_seconds(c->start));
        csv_field(line, c->kind == CORR_KIND_CALL ? corr_state_name(c->state) : "");
        g_string_append_printf(line, ",%u,", c->kind == CORR_KIND_CALL ? c->state_code : c->result);
        csv_field(line, c->caller);
        g_string_append_c(line, ',');
        csv_field(line, c->callee);
        g_autofree char *pdd = c->pdd_ms < 0 ? g_strdup("") : g_strdup_printf("%" G_GINT64_FORMAT, c->pdd_ms);
        g_autofree char *setup = c->setup_ms < 0 ? g_strdup("") : g_strdup_printf("%" G_GINT64_FORMAT, c->setup_ms);
        g_autofree char *dur = c->duration_s < 0 ? g_strdup("") : g_strdup_printf("%.3f", c->duration_s);
        g_string_append_printf(line, ",%s,%s,%s,", pdd, setup, dur);
        csv_field(line, c->hangup_by);
        g_string_append_printf(line, ",%u,%u,%u,", c->legs->len, c->msgs->len, c->retransmissions);
        g_autoptr(GString) ids = g_string_new(NULL);
        for (guint k = 0; k < c->legs->len; k++)
            g_string_append_printf(ids, "%s%s", k ? " " : "",
                                   ((CorrLeg *)g_ptr_array_index(c->legs, k))->call_id);
        csv_field(line, ids->str);
        printf("%s\n", line->str);
    }
}

static void
print_calls_json(GPtrArray *calls)
{
    printf("{\"calls\": [");
    for (guint i = 0; i < calls->len; i++) {
        g_autoptr(JsonNode) node = call_json(g_ptr_array_index(calls, i));
        g_autofree char *text = json_to_string(node, FALSE);
        printf("%s\n  %s", i ? "," : "", text);
    }
    g_autofree char *limits = cli_limits_json_member();
    printf("%s]%s}\n", calls->len ? "\n" : "", limits);
}

int
cli_cmd_calls(int argc, char **argv)
{
    gboolean json = FALSE, csv = FALSE;
    g_auto(GStrv) files = NULL;
    GOptionEntry entries[] = {
        { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print JSON (see docs/json.md)", NULL },
        { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "Print CSV", NULL },
        cli_where_entries()[0],
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    int st = parse_args("calls", "list calls, registrations and other dialogs",
                        "One row per call (every leg of a B2BUA call together) or other\n"
                        "dialog: state, caller, callee, post-dial delay and setup time (ms),\n"
                        "duration (s), who hung up, legs and messages. --where keeps the calls\n"
                        "that match (ids stay those of the whole input).\n"
                        "Exit status: 0 success, 1 an input could not be read (completely), 2 bad usage.",
                        entries, &argc, &argv, &files);
    if (st != CLI_EXIT_OK)
        return st;
    if (json && csv) {
        g_printerr("sipladder-cli calls: --json and --csv exclude each other\n");
        return CLI_EXIT_USAGE;
    }
    CliMedia *media = NULL;
    CorrEngine *e = load_media(files, &st, &media);
    g_autoptr(GPtrArray) calls = g_ptr_array_new();
    GPtrArray *all = corr_engine_calls(e);
    for (guint i = 0; i < all->len; i++)
        if (cli_where_match(g_ptr_array_index(all, i)))
            g_ptr_array_add(calls, g_ptr_array_index(all, i));
    if (json)
        print_calls_json(calls);
    else if (csv)
        print_calls_csv(calls);
    else
        print_calls_text(calls);
    corr_engine_free(e);
    cli_media_free(media);
    return st;
}

/* ------------------------------------------------------------- call */

static char *
msg_summary(const CorrMsg *m)
{
    if (m->is_request)
        return g_strdup_printf("%s %s", m->method_name, nz(m->ruri));
    return g_strdup_printf("%u %s", m->status, nz(m->reason));
}

int
cli_cmd_call(int argc, char **argv)
{
    gint id = 0;
    gboolean json = FALSE;
    g_auto(GStrv) files = NULL;
    GOptionEntry entries[] = {
        { "call", 'c', 0, G_OPTION_ARG_INT, &id, "The call's id (from 'calls')", "N" },
        { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print JSON (see docs/json.md)", NULL },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    int st = parse_args("call", "print one call's messages",
                        "Every message of call N in capture order with its leg (1 = the\n"
                        "caller's), hop (0 = first hop of its request), transaction and role\n"
                        "(retransmission or duplicate).\n"
                        "Exit status: 0 success, 1 input error or no such call, 2 bad usage.",
                        entries, &argc, &argv, &files);
    if (st != CLI_EXIT_OK)
        return st;
    if (id <= 0) {
        g_printerr("sipladder-cli call: --call N is required (N from 'calls')\n");
        return CLI_EXIT_USAGE;
    }
    g_autoptr(CorrEngine) e = load(files, &st);
    CorrCall *c = corr_engine_call_by_id(e, (guint)id);
    if (!c) {
        g_printerr("sipladder-cli call: no call %d (there are %u)\n", id,
                   corr_engine_calls(e)->len);
        return CLI_EXIT_INPUT;
    }
    g_autoptr(JsonBuilder) b = json ? json_builder_new() : NULL;
    if (json) {
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "call");
        json_builder_add_value(b, call_json(c));
        json_builder_set_member_name(b, "messages");
        json_builder_begin_array(b);
    }
    for (guint i = 0; i < c->msgs->len; i++) {
        const CorrMsg *m = g_ptr_array_index(c->msgs, i);
        guint leg = 0;
        for (guint k = 0; k < c->legs->len; k++)
            if (g_ptr_array_index(c->legs, k) == m->leg)
                leg = k + 1;
        char ts[SL_TIME_STRLEN], src[SL_ADDR_STRLEN], dst[SL_ADDR_STRLEN];
        g_autofree char *what = msg_summary(m);
        if (json) {
            json_builder_begin_object(b);
            json_builder_set_member_name(b, "frame");
            json_builder_add_int_value(b, (gint64)m->frame);
            json_builder_set_member_name(b, "time");
            json_builder_add_double_value(b, sl_time_to_seconds(m->ts));
            json_str(b, "src", sl_addr_str(&m->src, src));
            json_str(b, "dst", sl_addr_str(&m->dst, dst));
            json_str(b, "summary", what);
            json_str(b, "call_id", m->call_id);
            json_builder_set_member_name(b, "leg");
            json_builder_add_int_value(b, leg);
            json_builder_set_member_name(b, "hop");
            json_builder_add_int_value(b, m->hop);
            json_builder_set_member_name(b, "transaction");
            json_builder_add_int_value(b, m->txn ? m->txn->id : 0);
            json_str(b, "role", corr_msg_role_name(m->role));
            json_str(b, "dialog_state", corr_dialog_state_name(m->dialog_state));
            json_builder_set_member_name(b, "has_sdp");
            json_builder_add_boolean_value(b, m->has_sdp);
            json_builder_end_object(b);
            continue;
        }
        printf("%6" G_GUINT64_FORMAT " %s %s -> %s leg %u hop %u txn %u %s%s%s\n", m->frame,
               sl_time_format(m->ts, ts), sl_addr_str(&m->src, src), sl_addr_str(&m->dst, dst),
               leg, m->hop, m->txn ? m->txn->id : 0, what, m->has_sdp ? " (SDP)" : "",
               m->role == CORR_MSG_ORIGINAL ? ""
                                           : m->role == CORR_MSG_RETRANSMISSION ? " [retransmission]"
                                                                                : " [duplicate]");
    }
    if (json) {
        json_builder_end_array(b);
        cli_limits_json_add(b);
        json_builder_end_object(b);
        g_autoptr(JsonNode) node = json_builder_get_root(b);
        g_autofree char *text = json_to_string(node, TRUE);
        printf("%s\n", text);
    }
    return st;
}

/* ------------------------------------------------------------ stats */

static void
print_delay(const char *name, const CorrDelay *d)
{
    if (d->n == 0)
        printf("%-40s -\n", name);
    else
        printf("%-40s avg %.1f ms, min %.1f, max %.1f (%u)\n", name, d->sum_ms / d->n, d->min_ms,
               d->max_ms, d->n);
}

int
cli_cmd_stats(int argc, char **argv)
{
    g_auto(GStrv) files = NULL;
    GOptionEntry entries[] = { { NULL, 0, 0, 0, NULL, NULL, NULL } };
    int st = parse_args("stats", "print RFC 6076 figures and response counts",
                        "Session request and disconnect delays, session establishment\n"
                        "ratio, ineffective session attempts and registration request delay\n"
                        "(RFC 6076), then request and response counts.\n"
                        "Exit status: 0 success, 1 an input could not be read (completely), 2 bad usage.",
                        entries, &argc, &argv, &files);
    if (st != CLI_EXIT_OK)
        return st;
    g_autoptr(CorrEngine) e = load(files, &st);
    CorrStats s;
    corr_stats_compute(e, &s);
    print_delay("Session Request Delay (successful)", &s.srd_success);
    print_delay("Session Request Delay (failed)", &s.srd_failure);
    print_delay("Session Disconnect Delay", &s.sdd);
    print_delay("Registration Request Delay", &s.rrd);
    guint denom = s.session_requests - s.redirected;
    if (denom)
        printf("%-40s %.1f %% (%u of %u)\n", "Session Establishment Ratio",
               100.0 * s.answered / denom, s.answered, denom);
    else
        printf("%-40s -\n", "Session Establishment Ratio");
    if (s.session_requests)
        printf("%-40s %.1f %% (%u of %u)\n", "Ineffective Session Attempts",
               100.0 * s.ineffective / s.session_requests, s.ineffective, s.session_requests);
    else
        printf("%-40s -\n", "Ineffective Session Attempts");
    printf("\nRequests:\n");
    for (unsigned m = 0; m < G_N_ELEMENTS(s.requests_by_method); m++)
        if (s.requests_by_method[m])
            printf("  %-10s %u\n", m ? sip_method_name((SipMethod)m) : "other", s.requests_by_method[m]);
    printf("Responses:\n");
    for (unsigned code = 100; code < G_N_ELEMENTS(s.response_counts); code++)
        if (s.response_counts[code])
            printf("  %-10u %u\n", code, s.response_counts[code]);
    return st;
}
