/* sipladder-cli rtp: the RTP streams of capture files with Wireshark's RTP
 * Stream Analysis figures (text like `tshark -z rtp,streams`, JSON, CSV).
 *
 * SDP carried by SIP sets up media the way Wireshark 4.0 does with its
 * default preferences (packet-sip.c, packet-sdp.c; sip.delay_sdp_changes
 * off): the SDP of a request takes effect at once; the SDP of a 2xx takes
 * effect as of its request (so it does not replace what a 183 set up in
 * between); the SDP of 1xx and 3xx responses, and of a retransmitted 2xx
 * (UDP), at once; the SDP of 4xx-6xx never; a retransmitted request (UDP)
 * changes nothing. Only SIP is read: Wireshark also applies the SDP of
 * H.248/Megaco and MGCP, which can differ (tests/public/check-rtp.py). */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "corr-media.h"
#include "flow-class.h"
#include "rtcp-reports.h"
#include "rtp-stream.h"
#include "sdp.h"

/* Bound on remembered SIP requests and responses (the table is emptied
 * when full: only retransmission detection and 2xx timing suffer). */
#define RTP_SIP_MEMORY 65536

typedef struct {
    const char *file;
    SlTime first_frame_ts;
    bool has_first_frame;
    RtpStreamTable *table;
    RtcpReports *rtcp;
} FileStreams;

struct CliMedia {
    gboolean json, csv, series;
    GPtrArray *files;      /* FileStreams*, in reading order */
    FileStreams *cur;
    GHashTable *sip_seen;  /* "callid|cseq|method|src|dst[|status]" -> SlTime* */
    CorrEngine *engine;    /* SIP correlation, to bind streams to calls */
    GPtrArray *streams;    /* every file's RtpStream*, borrowed */
    CorrStreamInfo *info;  /* parallel to streams */
    CorrMediaCollector *collector; /* DTMF events seen in the streams */
    FlowClassifier *classifier;    /* nDPI's opinion of each RTP flow */
};
typedef struct CliMedia RtpCtx;

static void
file_streams_free(gpointer p)
{
    FileStreams *fs = p;
    rtp_stream_table_free(fs->table);
    rtcp_reports_free(fs->rtcp);
    g_free(fs);
}

/* The table of @file (files are read one after the other). */
static FileStreams *
ctx_file(RtpCtx *ctx, const char *file)
{
    if (ctx->cur && ctx->cur->file == file)
        return ctx->cur;
    if (ctx->cur)
        rtp_stream_table_finish(ctx->cur->table);
    FileStreams *fs = g_new0(FileStreams, 1);
    fs->file = file;
    fs->table = rtp_stream_table_new();
    fs->rtcp = rtcp_reports_new();
    if (ctx->collector)
        rtp_stream_table_set_packet_func(fs->table, corr_media_packet, ctx->collector);
    g_ptr_array_add(ctx->files, fs);
    ctx->cur = fs;
    /* SIP state is per capture, as in Wireshark */
    g_hash_table_remove_all(ctx->sip_seen);
    return fs;
}

/* ------------------------------------------------------------ SDP */

static char *
sip_key(const SipMsg *m, const SlAddr *src, const SlAddr *dst, bool with_status)
{
    char a[SL_ADDR_STRLEN], b[SL_ADDR_STRLEN];
    g_autofree char *call_id = sl_view_dup(m->call_id);
    g_autofree char *method = sl_view_dup(m->is_request ? m->method_name : m->cseq_method_name);
    if (with_status)
        return g_strdup_printf("%s|%u|%s|%s|%s|%u", call_id, m->cseq, method, sl_addr_str(src, a),
                               sl_addr_str(dst, b), m->status);
    return g_strdup_printf("%s|%u|%s|%s|%s", call_id, m->cseq, method, sl_addr_str(src, a),
                           sl_addr_str(dst, b));
}

/* Remembers @key; returns the time it was first seen, or -1 if new. */
static SlTime
sip_remember(RtpCtx *ctx, char *key, SlTime ts)
{
    SlTime *seen = g_hash_table_lookup(ctx->sip_seen, key);
    if (seen) {
        g_free(key);
        return *seen;
    }
    if (g_hash_table_size(ctx->sip_seen) >= RTP_SIP_MEMORY)
        g_hash_table_remove_all(ctx->sip_seen);
    SlTime *v = g_new(SlTime, 1);
    *v = ts;
    g_hash_table_insert(ctx->sip_seen, key, v);
    return -1;
}

/* Whether the a=rtpmap of @r wrote a clock rate ("name/rate"): Wireshark
 * ignores an rtpmap without one. @r->encoding is a view into @body. */
static bool
rtpmap_has_rate(SlView body, const SdpRtpmap *r)
{
    if (r->encoding.p < body.p || r->encoding.p > body.p + body.len)
        return false; /* a static name, not from this body */
    size_t end = sl_view_offset(body, r->encoding) + r->encoding.len;
    return sl_view_at(body, end) == '/';
}

static bool
is_udptl(SlView proto)
{
    return sl_view_ieq_str(proto, "udptl");
}

/* Applies the media of @sdp from @setup (packet-sdp.c apply_sdp_transport:
 * RTP media with an IP connection and a port; media sharing a port are
 * bundled into the first one, whose payload map gets all their types;
 * T.38 over UDPTL on IPv4 when the media is not RTP). */
static void
apply_sdp(RtpStreamTable *t, SlView body, const Sdp *sdp, SlTime setup)
{
    for (size_t i = 0; i < sdp->n_media; i++) {
        const SdpMedia *m = &sdp->media[i];
        if (m->port == 0 || !m->has_conn)
            continue;
        if (!m->is_rtp) {
            if (is_udptl(m->proto) && m->conn.family == SL_AF_INET)
                rtp_stream_table_expect_not_rtp(t, &m->conn, setup);
            continue;
        }
        bool bundled_later = false;
        for (size_t j = 0; j < i; j++)
            if (sdp->media[j].is_rtp && sdp->media[j].port == m->port && sdp->media[j].has_conn)
                bundled_later = true;
        if (bundled_later)
            continue;
        RtpPayloadMap map[SDP_MAX_MEDIA * SDP_MAX_FORMATS];
        size_t n = 0;
        for (size_t j = i; j < sdp->n_media; j++) {
            const SdpMedia *o = &sdp->media[j];
            if (j != i && (!o->is_rtp || o->port != m->port))
                continue;
            for (size_t k = 0; k < o->n_rtpmap; k++) {
                const SdpRtpmap *r = &o->rtpmap[k];
                if (r->pt < 96 || !rtpmap_has_rate(body, r))
                    continue;
                map[n].pt = r->pt;
                map[n].name = sl_view_dup(r->encoding);
                map[n].clock_rate = r->clock_rate;
                n++;
            }
        }
        rtp_stream_table_expect(t, &m->conn, setup, map, n);
        for (size_t k = 0; k < n; k++)
            g_free(map[k].name);
    }
}

static void
on_message(const char *file, const SipFound *f, gpointer user)
{
    RtpCtx *ctx = user;
    if (ctx->engine)
        corr_engine_feed(ctx->engine, f);
    FileStreams *fs = ctx_file(ctx, file);
    const SipMsg *m = f->msg;
    if (!m->is_request && m->status >= 400)
        return; /* a rejected offer changes nothing */
    SlView body;
    if (!sip_msg_find_sdp(m, 4, &body))
        return;
    const CapPacket *pkt = f->pkt;
    bool udp = f->transport == SIP_TRANSPORT_UDP;
    SlTime setup = pkt->ts;
    if (m->is_request) {
        SlTime first = sip_remember(ctx, sip_key(m, &pkt->src, &pkt->dst, false), pkt->ts);
        if (first >= 0 && udp)
            return; /* a retransmission */
    } else {
        SlTime again = sip_remember(ctx, sip_key(m, &pkt->src, &pkt->dst, true), pkt->ts);
        if (m->status >= 200 && m->status < 300 && !(again >= 0 && udp)) {
            /* an answer takes effect as of its request */
            g_autofree char *req = sip_key(m, &pkt->dst, &pkt->src, false);
            SlTime *req_ts = g_hash_table_lookup(ctx->sip_seen, req);
            if (req_ts)
                setup = *req_ts;
        }
    }
    Sdp sdp;
    SlError err = { 0 };
    if (sdp_parse(body, &sdp, &err) == SL_ERR_NOT_MINE)
        return;
    apply_sdp(fs->table, body, &sdp, setup);
}

static void
on_packet(const CliFileInfo *info, const CapPacket *pkt, gpointer user)
{
    RtpCtx *ctx = user;
    FileStreams *fs = ctx_file(ctx, info->file);
    if (!fs->has_first_frame && info->has_first_frame) {
        fs->first_frame_ts = info->first_frame_ts;
        fs->has_first_frame = true;
        rtp_stream_table_set_time_origin(fs->table, info->first_frame_ts);
    }
    if (pkt->transport != CAP_TRANSPORT_UDP)
        return;
    if (rtp_stream_table_packet(fs->table, pkt)) {
        if (ctx->classifier)
            flow_class_packet(ctx->classifier, pkt);
    } else {
        rtcp_reports_packet(fs->rtcp, pkt);
    }
}

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
    guint id = 0;
    for (guint f = 0; f < ctx->files->len; f++) {
        const FileStreams *fs = g_ptr_array_index(ctx->files, f);
        GPtrArray *streams = rtp_stream_table_streams(fs->table);
        for (guint i = 0; i < streams->len; i++) {
            const RtpStream *s = g_ptr_array_index(streams, i);
            id++;
            if (ctx->json)
                print_json(fs, s, ctx->info ? &ctx->info[id - 1] : NULL, id, id == 1,
                           ctx->series, ctx->collector, ctx->classifier);
            else if (ctx->csv)
                print_csv(fs, s, id);
            else
                print_text(fs, s);
        }
    }
    if (ctx->json)
        printf("%s]}\n", id ? "\n" : "");
    else if (!ctx->csv)
        printf("==============================================================\n");
}

CliMedia *
cli_media_read(char **files, CorrEngine *engine, int *status)
{
    CliMedia *ctx = g_new0(CliMedia, 1);
    ctx->files = g_ptr_array_new_with_free_func(file_streams_free);
    ctx->sip_seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    ctx->engine = engine;
    ctx->collector = engine ? corr_media_collector_new() : NULL;
    ctx->classifier = flow_class_new();
    *status = cli_read_files_packets(files, on_message, on_packet, ctx);
    if (ctx->cur)
        rtp_stream_table_finish(ctx->cur->table);
    ctx->streams = g_ptr_array_new();
    for (guint f = 0; f < ctx->files->len; f++) {
        const FileStreams *fs = g_ptr_array_index(ctx->files, f);
        GPtrArray *st = rtp_stream_table_streams(fs->table);
        for (guint i = 0; i < st->len; i++)
            g_ptr_array_add(ctx->streams, g_ptr_array_index(st, i));
    }
    if (engine) {
        corr_engine_finish(engine);
        ctx->info = corr_media_bind(engine, ctx->streams, ctx->collector);
    }
    return ctx;
}

GPtrArray *
cli_media_streams(CliMedia *m)
{
    return m->streams;
}

const char *
cli_media_codec(CliMedia *m, guint index)
{
    if (!m->info || index >= m->streams->len || !m->info[index].codec[0])
        return NULL;
    return m->info[index].codec;
}

void
cli_media_free(CliMedia *m)
{
    if (!m)
        return;
    g_hash_table_destroy(m->sip_seen);
    g_ptr_array_free(m->files, TRUE);
    g_ptr_array_unref(m->streams);
    g_free(m->info);
    corr_media_collector_free(m->collector);
    flow_class_free(m->classifier);
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
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE..." },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) oc = g_option_context_new("FILE... - list the RTP streams");
    g_option_context_add_main_entries(oc, entries, NULL);
    g_option_context_set_description(oc,
        "One row per RTP stream (source, destination, SSRC) with the figures of\n"
        "Wireshark's RTP Stream Analysis: packets, lost, min/mean/max delta and\n"
        "jitter in ms (as `tshark -o rtp.heuristic_rtp:TRUE -z rtp,streams`).\n"
        "Exit status: 0 success, 1 an input could not be read (completely), 2 bad usage.");
    g_autoptr(GError) error = NULL;
    if (!g_option_context_parse(oc, &argc, &argv, &error)) {
        g_printerr("sipladder-cli rtp: %s\n", error->message);
        return CLI_EXIT_USAGE;
    }
    if (files == NULL || files[0] == NULL) {
        g_printerr("sipladder-cli rtp: no capture file given (see --help)\n");
        return CLI_EXIT_USAGE;
    }
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
