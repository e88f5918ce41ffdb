/* sipladder-cli rtp: the RTP streams of capture files with Wireshark's RTP
 * Stream Analysis figures (text like `tshark -z rtp,streams`, JSON, CSV).
 *
 * SDP carried by SIP sets up media the way Wireshark 4.0 does with its
 * default preferences (correlate/corr-load.h). Only SIP is read: Wireshark
 * also applies the SDP of H.248/Megaco and MGCP, which can differ
 * (tests/public/check-rtp.py). */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "corr-media.h"
#include "flow-class.h"
#include "rtcp-reports.h"
#include "rtp-stream.h"

/* What a stream's line says of the capture: the file of its first packet,
 * and the time its relative times count from. */
typedef struct {
    const char *file;
    SlTime first_frame_ts;
    bool has_first_frame;
    RtcpReports *rtcp;
} FileStreams;

struct CliMedia {
    gboolean json, csv, series;
    CorrLoad *load;
};
typedef struct CliMedia RtpCtx;

/* ------------------------------------------------------------ output */

static double
rel_seconds(const FileStreams *fs, SlTime t)
{
    return sl_time_to_seconds(t - fs->first_frame_ts);
}

static void
print_text_header(void)
{
    printf("========================= RTP Streams ========================\n");
    printf("%13s %13s %15s %5s %15s %5s %10s %16s %5s %12s %15s %15s %15s %15s %15s %15s %s\n",
           "Start time", "End time", "Src IP addr", "Port", "Dest IP addr", "Port", "SSRC",
           "Payload", "Pkts", "Lost", "Min Delta(ms)", "Mean Delta(ms)", "Max Delta(ms)",
           "Min Jitter(ms)", "Mean Jitter(ms)", "Max Jitter(ms)", "Problems?");
}

static void
print_text(const FileStreams *fs, const RtpStream *s)
{
    char src[SL_ADDR_IP_STRLEN], dst[SL_ADDR_IP_STRLEN];
    printf("%13.6f %13.6f %15s %5u %15s %5u 0x%08X %16s %5" G_GUINT64_FORMAT
           " %5" G_GINT64_FORMAT " (%.1f%%) %15.3f %15.3f %15.3f %15.3f %15.3f %15.3f %s\n",
           rel_seconds(fs, s->first_ts), rel_seconds(fs, s->last_ts), sl_addr_ip_str(&s->src, src),
           s->src.port, sl_addr_ip_str(&s->dst, dst), s->dst.port, s->ssrc, s->payload_names,
           s->packets, s->lost, s->lost_pct, s->min_delta_ms, s->mean_delta_ms, s->max_delta_ms,
           s->min_jitter_ms, s->mean_jitter_ms, s->max_jitter_ms, s->problem ? "X" : "");
}

static void
json_double_or_null(JsonBuilder *b, const char *key, bool has, double v)
{
    json_builder_set_member_name(b, key);
    if (has)
        json_builder_add_double_value(b, v);
    else
        json_builder_add_null_value(b);
}

static void
json_int(JsonBuilder *b, const char *key, gint64 v)
{
    json_builder_set_member_name(b, key);
    json_builder_add_int_value(b, v);
}

static void
json_string(JsonBuilder *b, const char *key, const char *v)
{
    json_builder_set_member_name(b, key);
    json_builder_add_string_value(b, v);
}

static void
print_json(const FileStreams *fs, const RtpStream *s, const CorrStreamInfo *in, guint id,
           bool first, bool series, const CorrMediaCollector *collector,
           FlowClassifier *classifier)
{
    char src[SL_ADDR_STRLEN], dst[SL_ADDR_STRLEN];
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    json_int(b, "id", id);
    json_string(b, "file", fs->file);
    json_builder_set_member_name(b, "call");
    if (in && in->call)
        json_builder_add_int_value(b, in->call->id);
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "codec");
    if (in && in->codec[0])
        json_builder_add_string_value(b, in->codec);
    else
        json_builder_add_null_value(b);
    json_string(b, "src", sl_addr_str(&s->src, src));
    json_string(b, "dst", sl_addr_str(&s->dst, dst));
    g_autofree char *ssrc = g_strdup_printf("0x%08X", s->ssrc);
    json_string(b, "ssrc", ssrc);
    json_string(b, "payload", s->payload_names);
    json_builder_set_member_name(b, "payload_types");
    json_builder_begin_array(b);
    for (guint i = 0; i < s->payload_types->len; i++)
        json_builder_add_int_value(b, g_array_index(s->payload_types, guint8, i));
    json_builder_end_array(b);
    json_int(b, "clock_rate", s->clock_rate);
    json_int(b, "packets", (gint64)s->packets);
    json_int(b, "expected", s->expected);
    json_int(b, "lost", s->lost);
    json_double_or_null(b, "lost_pct", true, s->lost_pct);
    json_int(b, "seq_errors", (gint64)s->seq_errors);
    json_double_or_null(b, "max_delta_ms", s->has_delta, s->max_delta_ms);
    json_builder_set_member_name(b, "max_delta_frame");
    if (s->has_delta && s->max_delta_frame)
        json_builder_add_int_value(b, (gint64)s->max_delta_frame);
    else
        json_builder_add_null_value(b);
    json_double_or_null(b, "min_delta_ms", s->has_delta, s->min_delta_ms);
    json_double_or_null(b, "mean_delta_ms", s->has_delta, s->mean_delta_ms);
    json_double_or_null(b, "mean_jitter_ms", s->has_jitter, s->mean_jitter_ms);
    json_double_or_null(b, "max_jitter_ms", s->has_jitter, s->max_jitter_ms);
    json_double_or_null(b, "min_jitter_ms", s->has_jitter, s->min_jitter_ms);
    json_double_or_null(b, "max_skew_ms", s->clock_rate != 0, s->max_skew_ms);
    json_int(b, "markers", (gint64)s->markers);
    json_int(b, "pt_changes", (gint64)s->pt_changes);
    json_int(b, "other_ssrcs", (gint64)s->ssrc_changes_hint);
    json_builder_set_member_name(b, "problem");
    json_builder_add_boolean_value(b, s->problem);
    json_builder_set_member_name(b, "from_sdp");
    json_builder_add_boolean_value(b, s->from_sdp);
    json_string(b, "found_by", s->from_sdp ? "sdp" : "heuristic");
    json_string(b, "ndpi", flow_class_name(classifier ? flow_class_lookup(classifier, &s->src, &s->dst)
                                                      : FLOW_CLASS_UNKNOWN));
    json_int(b, "first_frame", (gint64)s->first_frame);
    json_int(b, "last_frame", (gint64)s->last_frame);
    json_double_or_null(b, "start", true, sl_time_to_seconds(s->first_ts));
    json_double_or_null(b, "end", true, sl_time_to_seconds(s->last_ts));
    json_double_or_null(b, "start_rel", fs->has_first_frame, rel_seconds(fs, s->first_ts));
    json_double_or_null(b, "end_rel", fs->has_first_frame, rel_seconds(fs, s->last_ts));
    json_double_or_null(b, "r_factor", in && in->r_factor >= 0, in ? in->r_factor : 0);
    json_double_or_null(b, "mos", in && in->mos >= 0, in ? in->mos : 0);
    bool q = in && in->mos >= 0;
    json_double_or_null(b, "burst_ratio", q, q ? in->quality.burst_ratio : 0);
    json_builder_set_member_name(b, "max_burst");
    if (q)
        json_builder_add_int_value(b, (gint64)in->quality.max_burst);
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "jitter_buffer_discard_pct");
    if (q) {
        json_builder_begin_object(b);
        for (int k = 0; k < RTP_JB_SIZES; k++) {
            char key[16];
            g_snprintf(key, sizeof key, "%ums", rtp_jb_sizes_ms[k]);
            json_builder_set_member_name(b, key);
            json_builder_add_double_value(b, in->quality.jb_discard_pct[k]);
        }
        json_builder_end_object(b);
    } else {
        json_builder_add_null_value(b);
    }
    json_double_or_null(b, "delay_ms", q, q ? in->quality.delay_ms : 0);
    /* what RTCP said about this source: its own SR/SDES, the far end's
     * report blocks about it, and RFC 3611 VoIP metrics */
    if (series) {
        const GArray *sec = corr_media_series(collector, s);
        json_builder_set_member_name(b, "per_second");
        json_builder_begin_array(b);
        for (guint k = 0; sec && k < sec->len; k++) {
            const CorrSecond *x = &g_array_index(sec, CorrSecond, k);
            json_builder_begin_object(b);
            json_int(b, "t", k);
            json_int(b, "packets", x->packets);
            json_int(b, "lost", x->lost);
            json_double_or_null(b, "jitter_ms", s->clock_rate != 0, x->jitter_ms);
            json_builder_end_object(b);
        }
        json_builder_end_array(b);
    }
    const RtcpSourceReport *r = rtcp_reports_lookup(fs->rtcp, s->ssrc);
    json_builder_set_member_name(b, "rtcp");
    if (r) {
        json_builder_begin_object(b);
        json_int(b, "sender_reports", (gint64)r->sender_reports);
        json_int(b, "receiver_reports", (gint64)r->receiver_blocks);
        json_string(b, "cname", r->cname);
        json_double_or_null(b, "fraction_lost_pct", r->receiver_blocks > 0,
                            r->fraction_lost * 100.0 / 256.0);
        json_int(b, "cumulative_lost", r->cumulative_lost);
        json_double_or_null(b, "jitter_ms", r->receiver_blocks > 0 && s->clock_rate,
                            s->clock_rate ? r->jitter * 1000.0 / s->clock_rate : 0);
        json_double_or_null(b, "max_jitter_ms", r->receiver_blocks > 0 && s->clock_rate,
                            s->clock_rate ? r->max_jitter * 1000.0 / s->clock_rate : 0);
        json_double_or_null(b, "rtt_ms", r->rtt_ms >= 0, r->rtt_ms);
        json_double_or_null(b, "max_rtt_ms", r->max_rtt_ms >= 0, r->max_rtt_ms);
        json_builder_set_member_name(b, "bye");
        json_builder_add_boolean_value(b, r->bye);
        json_builder_set_member_name(b, "xr_voip");
        if (r->has_voip) {
            json_builder_begin_object(b);
            json_double_or_null(b, "loss_pct", true, r->voip.loss_rate * 100.0 / 256.0);
            json_double_or_null(b, "discard_pct", true, r->voip.discard_rate * 100.0 / 256.0);
            json_int(b, "round_trip_delay_ms", r->voip.round_trip_delay);
            json_int(b, "end_system_delay_ms", r->voip.end_system_delay);
            json_double_or_null(b, "r_factor", r->voip.r_factor != 127, r->voip.r_factor);
            json_double_or_null(b, "mos_lq", r->voip.mos_lq != 127, r->voip.mos_lq / 10.0);
            json_double_or_null(b, "mos_cq", r->voip.mos_cq != 127, r->voip.mos_cq / 10.0);
            json_builder_end_object(b);
        } else {
            json_builder_add_null_value(b);
        }
        json_builder_end_object(b);
    } else {
        json_builder_add_null_value(b);
    }
    json_builder_set_member_name(b, "findings");
    json_builder_begin_array(b);
    const CorrCall *c = in ? in->call : NULL;
    for (guint i = 0; c && c->findings && i < c->findings->len; i++) {
        const CorrFinding *f = g_ptr_array_index(c->findings, i);
        if (f->stream != s->id)
            continue;
        json_builder_begin_object(b);
        json_string(b, "kind", f->kind);
        json_string(b, "text", f->text);
        json_int(b, "frame", (gint64)f->frame);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    g_autoptr(JsonNode) node = json_builder_get_root(b);
    g_autofree char *text = json_to_string(node, FALSE);
    printf("%s\n  %s", first ? "" : ",", text);
}

/* RFC 4180: quoted when needed, quotes doubled. */
static void
csv_field(const char *s, bool last)
{
    if (strpbrk(s, ",\"\r\n")) {
        putchar('"');
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                putchar('"');
            putchar(*p);
        }
        putchar('"');
    } else {
        fputs(s, stdout);
    }
    putchar(last ? '\n' : ',');
}

static void
csv_num(bool has, double v, bool last)
{
    g_autofree char *s = has ? g_strdup_printf("%.6f", v) : g_strdup("");
    csv_field(s, last);
}

static void
print_csv_header(void)
{
    static const char *const cols[] = {
        "id", "file", "src", "dst", "ssrc", "payload", "packets", "expected", "lost",
        "lost_pct", "seq_errors", "min_delta_ms", "mean_delta_ms", "max_delta_ms",
        "max_delta_frame", "min_jitter_ms", "mean_jitter_ms", "max_jitter_ms", "max_skew_ms",
        "problem", "from_sdp", "start", "end", "start_rel", "end_rel",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cols); i++)
        csv_field(cols[i], i + 1 == G_N_ELEMENTS(cols));
}

static void
print_csv(const FileStreams *fs, const RtpStream *s, guint id)
{
    char src[SL_ADDR_STRLEN], dst[SL_ADDR_STRLEN], buf[64];
    g_snprintf(buf, sizeof buf, "%u", id);
    csv_field(buf, false);
    csv_field(fs->file, false);
    csv_field(sl_addr_str(&s->src, src), false);
    csv_field(sl_addr_str(&s->dst, dst), false);
    g_snprintf(buf, sizeof buf, "0x%08X", s->ssrc);
    csv_field(buf, false);
    csv_field(s->payload_names, false);
    g_snprintf(buf, sizeof buf, "%" G_GUINT64_FORMAT, s->packets);
    csv_field(buf, false);
    g_snprintf(buf, sizeof buf, "%" G_GINT64_FORMAT, s->expected);
    csv_field(buf, false);
    g_snprintf(buf, sizeof buf, "%" G_GINT64_FORMAT, s->lost);
    csv_field(buf, false);
    csv_num(true, s->lost_pct, false);
    g_snprintf(buf, sizeof buf, "%" G_GUINT64_FORMAT, s->seq_errors);
    csv_field(buf, false);
    csv_num(s->has_delta, s->min_delta_ms, false);
    csv_num(s->has_delta, s->mean_delta_ms, false);
    csv_num(s->has_delta, s->max_delta_ms, false);
    g_snprintf(buf, sizeof buf, "%" G_GUINT64_FORMAT, s->has_delta ? s->max_delta_frame : 0);
    csv_field(s->has_delta && s->max_delta_frame ? buf : "", false);
    csv_num(s->has_jitter, s->min_jitter_ms, false);
    csv_num(s->has_jitter, s->mean_jitter_ms, false);
    csv_num(s->has_jitter, s->max_jitter_ms, false);
    csv_num(s->clock_rate != 0, s->max_skew_ms, false);
    csv_field(s->problem ? "true" : "false", false);
    csv_field(s->from_sdp ? "true" : "false", false);
    csv_num(true, sl_time_to_seconds(s->first_ts), false);
    csv_num(true, sl_time_to_seconds(s->last_ts), false);
    csv_num(fs->has_first_frame, rel_seconds(fs, s->first_ts), false);
    csv_num(fs->has_first_frame, rel_seconds(fs, s->last_ts), true);
}

static void
print_all(RtpCtx *ctx)
{
    if (ctx->json)
        printf("{\"streams\": [");
    else if (ctx->csv)
        print_csv_header();
    else
        print_text_header();
    GPtrArray *streams = corr_load_streams(ctx->load);
    const CorrStreamInfo *info = corr_load_stream_info(ctx->load);
    guint shown = 0;
    for (guint i = 0; i < streams->len; i++) {
        const RtpStream *s = g_ptr_array_index(streams, i);
        const CorrLoadFile *f = corr_load_stream_file(ctx->load, i);
        FileStreams fs_line = { f->file, 0, false, f->rtcp };
        fs_line.has_first_frame = corr_load_time_origin(ctx->load, &fs_line.first_frame_ts);
        const FileStreams *fs = &fs_line;
        guint id = i + 1;
        if (cli_where_given() && !(info && info[i].call && cli_where_match(info[i].call)))
            continue; /* --where: streams of the calls chosen only */
        if (ctx->json)
            print_json(fs, s, info ? &info[i] : NULL, id, shown++ == 0, ctx->series,
                       corr_load_collector(ctx->load), corr_load_classifier(ctx->load));
        else if (ctx->csv)
            print_csv(fs, s, id);
        else
            print_text(fs, s);
    }
    if (ctx->json) {
        g_autofree char *limits = cli_limits_json_member();
        printf("%s]%s}\n", shown ? "\n" : "", limits);
    }
    else if (!ctx->csv)
        printf("==============================================================\n");
}

CliMedia *
cli_media_read(char **files, CorrEngine *engine, int *status)
{
    CliMedia *m = g_new0(CliMedia, 1);
    CorrLoadOptions o;
    corr_load_options_init(&o);
    o.engine = engine;
    o.media = true;
    m->load = cli_load(files, &o, status);
    return m;
}

GPtrArray *
cli_media_streams(CliMedia *m)
{
    return corr_load_streams(m->load);
}

const char *
cli_media_codec(CliMedia *m, guint index)
{
    const CorrStreamInfo *info = corr_load_stream_info(m->load);
    if (!info || index >= corr_load_streams(m->load)->len || !info[index].codec[0])
        return NULL;
    return info[index].codec;
}

void
cli_media_free(CliMedia *m)
{
    if (!m)
        return;
    corr_load_free(m->load);
    g_free(m);
}

int
cli_cmd_rtp(int argc, char **argv)
{
    RtpCtx ctx = { 0 };
    g_auto(GStrv) files = NULL;
    GOptionEntry entries[] = {
        { "json", 'j', 0, G_OPTION_ARG_NONE, &ctx.json, "Print JSON (see docs/json.md)", NULL },
        { "csv", 0, 0, G_OPTION_ARG_NONE, &ctx.csv, "Print CSV (RFC 4180), one row per stream",
          NULL },
        { "series", 0, 0, G_OPTION_ARG_NONE, &ctx.series,
          "With --json: packets, loss and jitter per second of each stream", NULL },
        cli_where_entries()[0],
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE..." },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) oc = g_option_context_new("FILE... - list the RTP streams");
    g_option_context_add_main_entries(oc, entries, NULL);
    g_option_context_add_main_entries(oc, cli_input_entries(), NULL);
    g_option_context_set_description(oc,
        "One row per RTP stream (source, destination, SSRC) with the figures of\n"
        "Wireshark's RTP Stream Analysis: packets, lost, min/mean/max delta and\n"
        "jitter in ms (as `tshark -o rtp.heuristic_rtp:TRUE -z rtp,streams`).\n"
        "--where keeps the streams of the calls that match (ids stay the same).\n"
        "Exit status: 0 success, 1 an input could not be read (completely), 2 bad usage.");
    g_autoptr(GError) error = NULL;
    if (!g_option_context_parse(oc, &argc, &argv, &error)) {
        g_printerr("sipladder-cli rtp: %s\n", error->message);
        return CLI_EXIT_USAGE;
    }
    int checked = cli_input_check(files, "rtp");
    if (checked != CLI_EXIT_OK)
        return checked;
    if (ctx.json && ctx.csv) {
        g_printerr("sipladder-cli rtp: --json and --csv exclude each other\n");
        return CLI_EXIT_USAGE;
    }
    int status;
    g_autoptr(CorrEngine) engine = corr_engine_new(NULL);
    CliMedia *m = cli_media_read(files, engine, &status);
    m->json = ctx.json;
    m->csv = ctx.csv;
    m->series = ctx.series;
    print_all(m);
    fflush(stdout);
    cli_media_free(m);
    return status;
}
