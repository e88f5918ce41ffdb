/* sipladder: loading capture files into the core (see corr-load.h for the
 * SDP rules, taken from Wireshark 4.0's packet-sip.c and packet-sdp.c). */
#include "corr-load.h"

#include <pcap/pcap.h>

#include <glib/gstdio.h>
#include <string.h>

#include "cap-decode.h"
#include "cap-source.h"
#include "sdp.h"
#include "status.h"

/* Bound on remembered SIP requests and responses (the table is emptied
 * when full: only retransmission detection and 2xx timing suffer). */
#define LOAD_SIP_MEMORY 65536
/* Frames between two progress reports. */
#define LOAD_PROGRESS_FRAMES 4096

struct CorrLoad {
    CorrLoadOptions opts;
    GPtrArray *inputs;         /* CorrLoadFile*, owned */
    CorrLoadFile *cur;
    GHashTable *sip_seen;      /* "callid|cseq|method|src|dst[|status]" -> SlTime* */
    GPtrArray *streams;        /* every file's RtpStream*, borrowed */
    GArray *stream_file;       /* guint: index into inputs, parallel to streams */
    CorrStreamInfo *info;      /* parallel to streams */
    CorrMediaCollector *collector;
    FlowClassifier *classifier;
    SipDissector *sip;
    uint64_t total_bytes, done_bytes; /* done: files before the current one */
    unsigned warnings, suppressed;    /* of the current file */
    bool complete, cancelled;
    char *source_name;         /* corr_load_source: the name its records borrow */
    SlLimits limits;
    CorrLoadLimit hits[SL_LIMIT_COUNT];
    uint64_t seen[SL_LIMIT_COUNT]; /* counters as last read (see check_limits) */
    CapDecoder *dec;           /* of the current file */
    guint rtp_streams;         /* streams of the files before the current one */
};

void
corr_load_options_init(CorrLoadOptions *o)
{
    *o = (CorrLoadOptions){ 0 };
}

static void
input_free(gpointer p)
{
    CorrLoadFile *f = p;
    rtp_stream_table_free(f->table);
    rtcp_reports_free(f->rtcp);
    g_free(f);
}

static void G_GNUC_PRINTF(5, 6)
warn(CorrLoad *l, CorrLoadWarnKind kind, const char *file, uint64_t frame, const char *fmt, ...)
{
    if (!l->opts.warn_func)
        return;
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    l->opts.warn_func(kind, file, frame, text, l->opts.user_data);
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

/* Remembers @key (taken); returns the time it was first seen, or -1 if new. */
static SlTime
sip_remember(CorrLoad *l, char *key, SlTime ts)
{
    SlTime *seen = g_hash_table_lookup(l->sip_seen, key);
    if (seen) {
        g_free(key);
        return *seen;
    }
    if (g_hash_table_size(l->sip_seen) >= LOAD_SIP_MEMORY)
        g_hash_table_remove_all(l->sip_seen);
    SlTime *v = g_new(SlTime, 1);
    *v = ts;
    g_hash_table_insert(l->sip_seen, key, v);
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
            if (sl_view_ieq_str(m->proto, "udptl") && m->conn.family == SL_AF_INET)
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

/* The SDP of @f sets up media in the current file's table. */
static void
media_message(CorrLoad *l, const SipFound *f)
{
    const SipMsg *m = f->msg;
    if (!m->is_request && m->status >= 400)
        return; /* a rejected offer changes nothing */
    SlView body;
    if (!sip_msg_find_sdp(m, m->max_multipart_depth, &body))
        return;
    const CapPacket *pkt = f->pkt;
    bool udp = f->transport == SIP_TRANSPORT_UDP;
    SlTime setup = pkt->ts;
    if (m->is_request) {
        SlTime first = sip_remember(l, sip_key(m, &pkt->src, &pkt->dst, false), pkt->ts);
        if (first >= 0 && udp)
            return; /* a retransmission */
    } else {
        SlTime again = sip_remember(l, sip_key(m, &pkt->src, &pkt->dst, true), pkt->ts);
        if (m->status >= 200 && m->status < 300 && !(again >= 0 && udp)) {
            /* an answer takes effect as of its request */
            g_autofree char *req = sip_key(m, &pkt->dst, &pkt->src, false);
            SlTime *req_ts = g_hash_table_lookup(l->sip_seen, req);
            if (req_ts)
                setup = *req_ts;
        }
    }
    Sdp sdp;
    SlError err = { 0 };
    if (sdp_parse(body, &sdp, &err) == SL_ERR_NOT_MINE)
        return;
    apply_sdp(l->cur->table, body, &sdp, setup);
}

/* ------------------------------------------------------------ limits
 *
 * Every stage counts what its bounds drop; after each frame the loader
 * reads those counters (a few loads) and reports a limit the first time
 * its count moves, naming the file and the frame being read. */

/* The counters behind each limit now: the decoder's and the dissector's
 * are the current file's, the engine's cover the run. */
void
corr_load_stage_counters(const SipDissector *sip, const CapDecoder *dec,
                         uint64_t now[SL_LIMIT_COUNT])
{
    memset(now, 0, sizeof(uint64_t) * SL_LIMIT_COUNT);
    if (sip) {
        const SipDissectStats *ss = sip_dissector_stats(sip);
        now[SL_LIMIT_SIP_MESSAGE] = ss->too_large;
        now[SL_LIMIT_SIP_HEADERS] = ss->header_limit;
        now[SL_LIMIT_SIP_VIA] = ss->via_limit;
        now[SL_LIMIT_MULTIPART_DEPTH] = ss->multipart_limit;
    }
    if (dec) {
        const CapStats *cs = cap_decoder_stats(dec);
        now[SL_LIMIT_IP_FRAGMENTS] = cs->ip_frag_limit;
        now[SL_LIMIT_TCP_BUFFER] = cs->tcp_limit;
        now[SL_LIMIT_TCP_STREAMS] = cs->tcp_streams_evicted;
        now[SL_LIMIT_TCP_MEMORY] = cs->tcp_memory_limit;
    }
}

void
corr_load_stage_options(const SlLimits *lim, SipParseOptions *sopts, CapLimits *climits)
{
    const uint64_t *v = lim->value;
    sip_parse_options_init(sopts);
    sopts->max_headers = (unsigned)v[SL_LIMIT_SIP_HEADERS];
    sopts->max_message = (size_t)v[SL_LIMIT_SIP_MESSAGE];
    sopts->max_via = (unsigned)v[SL_LIMIT_SIP_VIA];
    sopts->max_multipart_depth = (unsigned)v[SL_LIMIT_MULTIPART_DEPTH];
    cap_limits_init(climits);
    climits->frag_max_bytes = (size_t)v[SL_LIMIT_IP_FRAGMENTS];
    climits->tcp_max_buffer = (size_t)v[SL_LIMIT_TCP_BUFFER];
    climits->tcp_max_streams = (size_t)v[SL_LIMIT_TCP_STREAMS];
    climits->tcp_max_total = (size_t)v[SL_LIMIT_TCP_MEMORY];
}

static void
read_counters(CorrLoad *l, uint64_t now[SL_LIMIT_COUNT])
{
    corr_load_stage_counters(l->sip, l->dec, now);
    if (l->cur && l->cur->table)
        now[SL_LIMIT_RTP_STREAMS] = rtp_stream_table_stats(l->cur->table)->streams_limit;
    if (l->opts.engine) {
        CorrEngineDrops d;
        corr_engine_drops(l->opts.engine, &d);
        now[SL_LIMIT_CALLS] = d.calls;
        now[SL_LIMIT_MESSAGES] = d.messages;
        now[SL_LIMIT_MESSAGE_BYTES] = d.message_bytes;
        now[SL_LIMIT_CALL_MESSAGES] = d.call_messages;
    }
}

char *
corr_load_limit_text(SlLimitId id, const CorrLoadLimit *hit, bool summary)
{
    const SlLimitInfo *info = sl_limit_info(id);
    g_autofree char *value = sl_limit_format(id, hit->value);
    if (summary)
        return g_strdup_printf("limit %s (%s %s): %" G_GUINT64_FORMAT " %s, the first at %s "
                               "frame %" G_GUINT64_FORMAT,
                               info->name, value, info->what, hit->count, info->counted,
                               hit->file ? hit->file : "-", hit->frame);
    return g_strdup_printf("%s: frame %" G_GUINT64_FORMAT ": limit %s reached (%s %s): %s",
                           hit->file ? hit->file : "-", hit->frame, info->name, value, info->what,
                           info->when_hit);
}

/* Reports the limits whose counters moved since the last call; @frame is
 * the frame being read. */
static void
check_limits(CorrLoad *l, uint64_t frame)
{
    uint64_t now[SL_LIMIT_COUNT];
    read_counters(l, now);
    for (unsigned i = 0; i < SL_LIMIT_COUNT; i++) {
        if (now[i] == l->seen[i])
            continue;
        CorrLoadLimit *h = &l->hits[i];
        if (h->count == 0 && now[i] > l->seen[i]) {
            h->file = l->cur->file;
            h->frame = frame;
            g_autofree char *text = corr_load_limit_text((SlLimitId)i, h, false);
            warn(l, CORR_LOAD_WARN_LIMIT, h->file, frame, "%s", text);
        }
        if (now[i] > l->seen[i])
            h->count += now[i] - l->seen[i];
        l->seen[i] = now[i];
    }
}

/* End of the run: one line per limit hit, with its count. */
static void
report_limits(CorrLoad *l)
{
    for (unsigned i = 0; i < SL_LIMIT_COUNT; i++) {
        const CorrLoadLimit *h = &l->hits[i];
        if (h->count == 0)
            continue;
        g_autofree char *text = corr_load_limit_text((SlLimitId)i, h, true);
        warn(l, CORR_LOAD_WARN_LIMIT, h->file, h->frame, "%s", text);
    }
}

const CorrLoadLimit *
corr_load_limits(const CorrLoad *l)
{
    return l->hits;
}

/* ------------------------------------------------------------ reading */

static void
on_message(const SipFound *f, gpointer user)
{
    CorrLoad *l = user;
    if (f->status != SL_OK) {
        if (l->warnings >= CORR_LOAD_MAX_WARNINGS) {
            l->suppressed++;
        } else {
            l->warnings++;
            const SlError *e = &f->msg->error;
            if (f->pkt->flags & CAP_PKT_TRUNCATED)
                /* not the sender's fault: say what happened to the frame */
                warn(l, CORR_LOAD_WARN_MESSAGE, l->cur->file, f->pkt->frame,
                     "%s: frame %" G_GUINT64_FORMAT ": SIP message incomplete: the capture kept %u "
                     "of the frame's %u bytes (snaplen)",
                     l->cur->file, f->pkt->frame, f->pkt->cap_len, f->pkt->wire_len);
            else
                warn(l, CORR_LOAD_WARN_MESSAGE, l->cur->file, f->pkt->frame,
                     "%s: frame %" G_GUINT64_FORMAT ": %s SIP message (%s at byte %zu)",
                     l->cur->file, f->pkt->frame, sl_status_name(f->status),
                     e->msg ? e->msg : "?", e->offset);
        }
    }
    if (l->opts.engine)
        corr_engine_feed(l->opts.engine, f);
    if (l->cur->table)
        media_message(l, f);
    if (l->opts.message_func)
        l->opts.message_func(l->cur, f, l->opts.user_data);
}

/* Every payload goes to the SIP dissector first (its messages may set up
 * media the RTP table expects), then to the RTP and RTCP tables. */
static void
on_packet(const CapPacket *pkt, gpointer user)
{
    CorrLoad *l = user;
    sip_dissector_packet(pkt, l->sip);
    CorrLoadFile *f = l->cur;
    if (f->table && pkt->transport == CAP_TRANSPORT_UDP) {
        RtpStream *s = rtp_stream_table_feed(f->table, pkt);
        if (s) {
            /* once its flow is classified, a stream's packets skip the
             * classifier's lookup */
            if (l->classifier && !s->flow_decided)
                flow_class_packet_decided(l->classifier, pkt, &s->flow_decided);
        } else {
            rtcp_reports_packet(f->rtcp, pkt);
        }
    }
    if (l->opts.packet_func)
        l->opts.packet_func(f, pkt, l->opts.user_data);
}

static void
progress(CorrLoad *l, CapSource *src)
{
    if (l->opts.progress_func)
        l->opts.progress_func(l->done_bytes + MIN(cap_source_position(src), src->size),
                              l->total_bytes, l->opts.user_data);
}

static bool
is_cancelled(CorrLoad *l)
{
    if (l->opts.cancel && g_atomic_int_get(l->opts.cancel))
        l->cancelled = true;
    return l->cancelled;
}

static CorrLoadFile *
input_new(CorrLoad *l, const char *file, guint index)
{
    CorrLoadFile *f = g_new0(CorrLoadFile, 1);
    f->file = file;
    f->index = index;
    if (l->opts.media) {
        f->table = rtp_stream_table_new();
        uint64_t max = l->limits.value[SL_LIMIT_RTP_STREAMS];
        rtp_stream_table_set_max_streams(
            f->table, (guint)MIN(max - MIN(max, l->rtp_streams), G_MAXUINT));
        f->rtcp = rtcp_reports_new();
        if (l->collector)
            rtp_stream_table_set_packet_func(f->table, corr_media_packet, l->collector);
    }
    g_ptr_array_add(l->inputs, f);
    return f;
}

/* Reads every frame of @src (borrowed), named @file in messages. */
static void
read_source(CorrLoad *l, CapSource *src, const char *file, guint index)
{
    g_autoptr(GError) error = NULL;
    src->id = index;
    CorrLoadFile *f = input_new(l, file, index);
    f->size = src->size;
    f->opened = true;
    l->cur = f;
    l->warnings = l->suppressed = 0;
    g_hash_table_remove_all(l->sip_seen); /* SIP state is per capture, as in Wireshark */
    SipParseOptions sopts;
    CapLimits climits;
    corr_load_stage_options(&l->limits, &sopts, &climits);
    g_autoptr(SipDissector) sip = sip_dissector_new(&sopts, on_message, l);
    if (l->opts.tls_keylog)
        sip_dissector_set_tls_keylog(sip, l->opts.tls_keylog);
    l->sip = sip;
    g_autoptr(CapDecoder) dec = cap_decoder_new(&climits, on_packet, l);
    l->dec = dec;
    read_counters(l, l->seen); /* the new file's counters start at 0 */

    CapFrame frame;
    CapReadResult r = CAP_READ_END;
    uint64_t cut_frames = 0, first_cut = 0;
    uint32_t cut_max = 0; /* the most bytes kept of a cut frame: the snaplen, or near it */
    int linktype = -1;
    gint64 last_frame_wall = g_get_monotonic_time();
    while (!is_cancelled(l) &&
           ((r = cap_source_next(src, &frame, &error)) == CAP_READ_FRAME || r == CAP_READ_IDLE)) {
        if (r == CAP_READ_IDLE) {
            if (l->opts.idle_func)
                l->opts.idle_func((double)(g_get_monotonic_time() - last_frame_wall) / 1e6,
                                  l->opts.user_data);
            continue;
        }
        if (l->opts.idle_func) /* a clock read per frame costs ~4 % of a file's reading */
            last_frame_wall = g_get_monotonic_time();
        if (!f->has_first_frame) {
            f->first_frame_ts = frame.ts;
            f->has_first_frame = true;
            if (f->table)
                rtp_stream_table_set_time_origin(f->table, frame.ts);
        }
        if (frame.cap_len < frame.wire_len) {
            if (cut_frames++ == 0)
                first_cut = frame.frame;
            cut_max = MAX(cut_max, frame.cap_len);
        }
        linktype = frame.linktype;
        if (l->opts.frame_func)
            l->opts.frame_func(f, &frame, l->opts.user_data);
        cap_decoder_feed(dec, &frame, src->id);
        check_limits(l, frame.frame);
        if (src->frames % LOAD_PROGRESS_FRAMES == 0)
            progress(l, src);
    }
    cap_decoder_finish(dec);
    check_limits(l, src->frames);
    f->frames = src->frames;
    f->complete = !l->cancelled && r == CAP_READ_END;
    if (!l->cancelled && r == CAP_READ_ERROR)
        warn(l, CORR_LOAD_WARN_READ, file, src->frames,
             "%s; the messages up to frame %" G_GUINT64_FORMAT " were read", error->message,
             src->frames);
    if (l->suppressed)
        warn(l, CORR_LOAD_WARN_SUPPRESSED, file, 0, "%s: %u more warnings not shown", file,
             l->suppressed);
    const CapStats *cs = cap_decoder_stats(dec);
    if (cs->unsupported_link && cs->unsupported_link == cs->frames) {
        const char *name = pcap_datalink_val_to_name(linktype);
        warn(l, CORR_LOAD_WARN_LINK, file, 0,
             "%s: link type %d (%s) is not supported: no packet of the file was decoded", file,
             linktype, name ? name : "unknown");
        f->complete = false; /* nothing of it could be analysed */
    }
    if (cut_frames)
        warn(l, CORR_LOAD_WARN_SNAPLEN, file, first_cut,
             "%s: %" G_GUINT64_FORMAT " frames were cut short by the capture's snaplen (from frame %"
             G_GUINT64_FORMAT ", at most %u bytes kept): what they carried is incomplete",
             file, cut_frames, first_cut, cut_max);
    if (f->table) {
        rtp_stream_table_finish(f->table);
        l->rtp_streams += rtp_stream_table_streams(f->table)->len;
    }
    progress(l, src);
    l->done_bytes += src->size;
    l->sip = NULL;
    l->dec = NULL;
}

static void
read_one(CorrLoad *l, const char *file, guint index)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(CapSource) src = cap_source_open_file(file, &error);
    if (src == NULL) {
        warn(l, CORR_LOAD_WARN_OPEN, file, 0, "%s", error->message);
        return;
    }
    read_source(l, src, file, index);
}

static void
collect_streams(CorrLoad *l)
{
    for (guint i = 0; i < l->inputs->len; i++) {
        CorrLoadFile *f = g_ptr_array_index(l->inputs, i);
        if (!f->table)
            continue;
        GPtrArray *st = rtp_stream_table_streams(f->table);
        for (guint k = 0; k < st->len; k++) {
            g_ptr_array_add(l->streams, g_ptr_array_index(st, k));
            g_array_append_val(l->stream_file, i);
        }
    }
}

static CorrLoad *
load_new(const CorrLoadOptions *opts)
{
    CorrLoad *l = g_new0(CorrLoad, 1);
    l->opts = *opts;
    l->inputs = g_ptr_array_new_with_free_func(input_free);
    l->sip_seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    l->streams = g_ptr_array_new();
    l->stream_file = g_array_new(FALSE, FALSE, sizeof(guint));
    if (opts->limits)
        l->limits = *opts->limits;
    else
        sl_limits_init(&l->limits);
    for (unsigned i = 0; i < SL_LIMIT_COUNT; i++)
        l->hits[i].value = l->limits.value[i];
    if (opts->engine)
        corr_engine_set_limits(opts->engine, (guint)MIN(l->limits.value[SL_LIMIT_CALLS], G_MAXUINT),
                               (guint)MIN(l->limits.value[SL_LIMIT_MESSAGES], G_MAXUINT),
                               (guint)MIN(l->limits.value[SL_LIMIT_CALL_MESSAGES], G_MAXUINT),
                               l->limits.value[SL_LIMIT_MESSAGE_BYTES]);
    if (opts->media) {
        l->collector = opts->engine ? corr_media_collector_new() : NULL;
        l->classifier = flow_class_new();
    }
    return l;
}

/* End of input: streams collected, the engine finished, streams bound. */
static void
load_finish(CorrLoad *l)
{
    if (l->cancelled)
        l->complete = false;
    l->cur = NULL;
    report_limits(l);
    collect_streams(l);
    if (l->opts.engine) {
        corr_engine_finish(l->opts.engine);
        if (l->opts.media)
            l->info = corr_media_bind(l->opts.engine, l->streams, l->collector);
    }
}

CorrLoad *
corr_load_source(CapSource *src, const CorrLoadOptions *opts)
{
    g_return_val_if_fail(src != NULL && opts != NULL, NULL);
    CorrLoad *l = load_new(opts);
    l->complete = true;
    l->source_name = g_strdup(src->name);
    read_source(l, src, l->source_name, 0);
    CorrLoadFile *f = l->inputs->len ? g_ptr_array_index(l->inputs, 0) : NULL;
    if (!f || !f->complete)
        l->complete = false;
    load_finish(l);
    return l;
}

CorrLoad *
corr_load_files(char **files, const CorrLoadOptions *opts)
{
    g_return_val_if_fail(files != NULL && opts != NULL, NULL);
    CorrLoad *l = load_new(opts);
    for (int i = 0; files[i]; i++) {
        GStatBuf st;
        if (g_stat(files[i], &st) == 0 && st.st_size > 0)
            l->total_bytes += (uint64_t)st.st_size;
    }
    l->complete = true;
    for (int i = 0; files[i] && !is_cancelled(l); i++) {
        guint before = l->inputs->len;
        read_one(l, files[i], (guint)i);
        if (l->inputs->len == before || !((CorrLoadFile *)g_ptr_array_index(l->inputs, before))->complete)
            l->complete = false;
    }
    load_finish(l);
    return l;
}

void
corr_load_free(CorrLoad *l)
{
    if (!l)
        return;
    g_hash_table_destroy(l->sip_seen);
    g_ptr_array_unref(l->streams);
    g_array_unref(l->stream_file);
    g_ptr_array_unref(l->inputs);
    g_free(l->info);
    corr_media_collector_free(l->collector);
    flow_class_free(l->classifier);
    g_free(l->source_name);
    g_free(l);
}

bool
corr_load_complete(const CorrLoad *l)
{
    return l->complete;
}

bool
corr_load_cancelled(const CorrLoad *l)
{
    return l->cancelled;
}

GPtrArray *
corr_load_inputs(CorrLoad *l)
{
    return l->inputs;
}

GPtrArray *
corr_load_streams(CorrLoad *l)
{
    return l->streams;
}

const CorrStreamInfo *
corr_load_stream_info(const CorrLoad *l)
{
    return l->info;
}

const CorrLoadFile *
corr_load_stream_file(CorrLoad *l, guint index)
{
    g_return_val_if_fail(index < l->stream_file->len, NULL);
    return g_ptr_array_index(l->inputs, g_array_index(l->stream_file, guint, index));
}

const CorrMediaCollector *
corr_load_collector(const CorrLoad *l)
{
    return l->collector;
}

FlowClassifier *
corr_load_classifier(const CorrLoad *l)
{
    return l->classifier;
}
