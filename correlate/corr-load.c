/* sipladder: loading capture files into the core (see corr-load.h for the
 * SDP rules, taken from Wireshark 4.0's packet-sip.c and packet-sdp.c). */
#include "corr-load.h"

#include <pcap/pcap.h>

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cap-decode.h"
#include "cap-source.h"
#include "sdp.h"
#include "status.h"

/* Bound on remembered SIP requests and responses (the table is emptied
 * when full: only retransmission detection and 2xx timing suffer). */
#define LOAD_SIP_MEMORY 65536
/* Frames between two progress reports. */
#define LOAD_PROGRESS_FRAMES 4096

/* One input: its file record, and what the loader tracks while it reads
 * it. Inputs are read together, frame by frame in time order. */
typedef struct {
    const char *file;
    guint index;            /* position in the caller's array; CapPacket.source_id */
    CorrLoadFile *f;        /* once opened */
    CapSource *src;         /* while open */
    bool own_src;
    bool has_start;         /* start: the time of its first frame, found before reading */
    SlTime start;
    CapFrame frame;         /* the frame to feed next, when has_frame */
    bool has_frame;
    CapReadResult r;        /* how reading ended */
    GError *error;
    unsigned warnings, suppressed;
    uint64_t cut_frames, first_cut; /* frames cut short by the snaplen */
    uint32_t cut_max;       /* the most bytes kept of a cut frame: the snaplen, or near it */
    int linktype;
    uint64_t unsupported;   /* frames of a link type the decoder does not take */
} Reader;

struct CorrLoad {
    CorrLoadOptions opts;
    GPtrArray *inputs;         /* CorrLoadFile*, owned */
    GPtrArray *readers;        /* Reader*, by index in the caller's array */
    GHashTable *sip_seen;      /* "callid|cseq|method|src|dst[|status]" -> SlTime* */
    RtpStreamTable *table;     /* with media: every input's RTP streams */
    RtcpReports *rtcp;         /* with media: RTCP reports of every input */
    GArray *first_reader;      /* guint: the reader of each stream's first packet, by id */
    GPtrArray *streams;        /* RtpStream*, borrowed from the table */
    GArray *stream_file;       /* guint: index into inputs, parallel to streams */
    CorrStreamInfo *info;      /* parallel to streams */
    CorrMediaCollector *collector;
    FlowClassifier *classifier;
    SipDissector *sip;         /* while reading */
    CapDecoder *dec;           /* while reading */
    SlTime origin;             /* the first frame read */
    bool has_origin;
    uint64_t total_bytes;
    gint64 last_frame_wall;    /* with an idle function: when the last frame came */
    bool complete, cancelled;
    char *source_name;         /* corr_load_source: the name its records borrow */
    SlLimits limits;
    CorrLoadLimit hits[SL_LIMIT_COUNT];
    uint64_t seen[SL_LIMIT_COUNT]; /* counters as last read (see check_limits) */
};

void
corr_load_options_init(CorrLoadOptions *o)
{
    *o = (CorrLoadOptions){ 0 };
}

static void
reader_free(gpointer p)
{
    Reader *rd = p;
    if (rd->own_src)
        cap_source_free(rd->src);
    g_clear_error(&rd->error);
    g_free(rd);
}

static Reader *
reader_of(CorrLoad *l, guint source_id)
{
    g_return_val_if_fail(source_id < l->readers->len, g_ptr_array_index(l->readers, 0));
    return g_ptr_array_index(l->readers, source_id);
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
    apply_sdp(l->table, body, &sdp, setup);
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
    if (l->table)
        now[SL_LIMIT_RTP_STREAMS] = rtp_stream_table_stats(l->table)->streams_limit;
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
 * the frame of @file being read. */
static void
check_limits(CorrLoad *l, const char *file, uint64_t frame)
{
    uint64_t now[SL_LIMIT_COUNT];
    read_counters(l, now);
    for (unsigned i = 0; i < SL_LIMIT_COUNT; i++) {
        if (now[i] == l->seen[i])
            continue;
        CorrLoadLimit *h = &l->hits[i];
        if (h->count == 0 && now[i] > l->seen[i]) {
            h->file = file;
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
    Reader *rd = reader_of(l, f->pkt->source_id);
    if (f->status != SL_OK) {
        if (rd->warnings >= CORR_LOAD_MAX_WARNINGS) {
            rd->suppressed++;
        } else {
            rd->warnings++;
            const SlError *e = &f->msg->error;
            if (f->pkt->flags & CAP_PKT_TRUNCATED)
                /* not the sender's fault: say what happened to the frame */
                warn(l, CORR_LOAD_WARN_MESSAGE, rd->file, f->pkt->frame,
                     "%s: frame %" G_GUINT64_FORMAT ": SIP message incomplete: the capture kept %u "
                     "of the frame's %u bytes (snaplen)",
                     rd->file, f->pkt->frame, f->pkt->cap_len, f->pkt->wire_len);
            else
                warn(l, CORR_LOAD_WARN_MESSAGE, rd->file, f->pkt->frame,
                     "%s: frame %" G_GUINT64_FORMAT ": %s SIP message (%s at byte %zu)",
                     rd->file, f->pkt->frame, sl_status_name(f->status),
                     e->msg ? e->msg : "?", e->offset);
        }
    }
    if (l->opts.engine)
        corr_engine_feed(l->opts.engine, f);
    if (l->table)
        media_message(l, f);
    if (l->opts.message_func)
        l->opts.message_func(rd->f, f, l->opts.user_data);
}

/* Every payload goes to the SIP dissector first (its messages may set up
 * media the RTP table expects), then to the RTP and RTCP tables. */
static void
on_packet(const CapPacket *pkt, gpointer user)
{
    CorrLoad *l = user;
    sip_dissector_packet(pkt, l->sip);
    if (l->table && pkt->transport == CAP_TRANSPORT_UDP) {
        RtpStream *s = rtp_stream_table_feed(l->table, pkt);
        if (s) {
            while (l->first_reader->len < s->id) /* a new stream (ids follow first packets) */
                g_array_append_val(l->first_reader, pkt->source_id);
            /* once its flow is classified, a stream's packets skip the
             * classifier's lookup */
            if (l->classifier && !s->flow_decided)
                flow_class_packet_decided(l->classifier, pkt, &s->flow_decided);
        } else {
            rtcp_reports_packet(l->rtcp, pkt);
        }
    }
    if (l->opts.packet_func)
        l->opts.packet_func(reader_of(l, pkt->source_id)->f, pkt, l->opts.user_data);
}

static void
progress(CorrLoad *l)
{
    if (!l->opts.progress_func)
        return;
    uint64_t done = 0;
    for (guint i = 0; i < l->readers->len; i++) {
        const Reader *rd = g_ptr_array_index(l->readers, i);
        if (rd->src)
            done += MIN(cap_source_position(rd->src), rd->src->size);
        else if (rd->f)
            done += rd->f->size; /* read and closed */
    }
    l->opts.progress_func(done, l->total_bytes, l->opts.user_data);
}

static bool
is_cancelled(CorrLoad *l)
{
    if (l->opts.cancel && g_atomic_int_get(l->opts.cancel))
        l->cancelled = true;
    return l->cancelled;
}

static Reader *
reader_new(CorrLoad *l, const char *file, CapSource *src)
{
    Reader *rd = g_new0(Reader, 1);
    rd->file = file;
    rd->index = l->readers->len;
    rd->src = src;
    rd->linktype = -1;
    g_ptr_array_add(l->readers, rd);
    return rd;
}

/* The input is open: its record, and the source's id. */
static void
reader_opened(CorrLoad *l, Reader *rd)
{
    CorrLoadFile *f = g_new0(CorrLoadFile, 1);
    f->file = rd->file;
    f->index = rd->index;
    f->size = rd->src->size;
    f->opened = true;
    f->table = l->table;
    f->rtcp = l->rtcp;
    g_ptr_array_add(l->inputs, f);
    rd->f = f;
    rd->src->id = rd->index;
}

/* Opens a file input; false (with a warning) when it cannot be. */
static bool
reader_open(CorrLoad *l, Reader *rd)
{
    g_autoptr(GError) error = NULL;
    rd->src = cap_source_open_file(rd->file, &error);
    if (rd->src == NULL) {
        warn(l, CORR_LOAD_WARN_OPEN, rd->file, 0, "%s", error->message);
        return false;
    }
    rd->own_src = true;
    reader_opened(l, rd);
    return true;
}

/* Reads the input's next frame into rd->frame; false at its end (or on
 * cancel while a live source is quiet). */
static bool
reader_advance(CorrLoad *l, Reader *rd)
{
    rd->has_frame = false;
    for (;;) {
        rd->r = cap_source_next(rd->src, &rd->frame, &rd->error);
        if (rd->r != CAP_READ_IDLE)
            break;
        if (l->opts.idle_func)
            l->opts.idle_func((double)(g_get_monotonic_time() - l->last_frame_wall) / 1e6,
                              l->opts.user_data);
        if (is_cancelled(l))
            return false;
    }
    rd->has_frame = rd->r == CAP_READ_FRAME;
    return rd->has_frame;
}

/* The input ended (or the load was cancelled): what it read, and why it
 * stopped if that was an error. The source is closed. */
static void
reader_end(CorrLoad *l, Reader *rd)
{
    CorrLoadFile *f = rd->f;
    f->frames = rd->src->frames;
    f->complete = !l->cancelled && rd->r == CAP_READ_END;
    if (!l->cancelled && rd->r == CAP_READ_ERROR)
        warn(l, CORR_LOAD_WARN_READ, rd->file, f->frames,
             "%s; the messages up to frame %" G_GUINT64_FORMAT " were read",
             rd->error ? rd->error->message : "read error", f->frames);
    if (rd->own_src)
        g_clear_pointer(&rd->src, cap_source_free);
    else
        rd->src = NULL;
}

/* Decodes the input's current frame. */
static void
reader_feed(CorrLoad *l, Reader *rd)
{
    const CapFrame *frame = &rd->frame;
    CorrLoadFile *f = rd->f;
    if (l->opts.idle_func) /* a clock read per frame costs ~4 % of a file's reading */
        l->last_frame_wall = g_get_monotonic_time();
    if (!l->has_origin) {
        l->origin = frame->ts;
        l->has_origin = true;
        if (l->table)
            rtp_stream_table_set_time_origin(l->table, frame->ts);
    }
    if (!f->has_first_frame) {
        f->first_frame_ts = frame->ts;
        f->has_first_frame = true;
    }
    if (frame->cap_len < frame->wire_len) {
        if (rd->cut_frames++ == 0)
            rd->first_cut = frame->frame;
        rd->cut_max = MAX(rd->cut_max, frame->cap_len);
    }
    rd->linktype = frame->linktype;
    if (l->opts.frame_func)
        l->opts.frame_func(f, frame, l->opts.user_data);
    uint64_t unsupported = cap_decoder_stats(l->dec)->unsupported_link;
    cap_decoder_feed(l->dec, frame, rd->index);
    rd->unsupported += cap_decoder_stats(l->dec)->unsupported_link - unsupported;
    check_limits(l, rd->file, frame->frame);
    if (rd->src->frames % LOAD_PROGRESS_FRAMES == 0)
        progress(l);
}

/* What is said of an input once everything is read. */
static void
reader_summary(CorrLoad *l, Reader *rd)
{
    CorrLoadFile *f = rd->f;
    if (rd->suppressed)
        warn(l, CORR_LOAD_WARN_SUPPRESSED, rd->file, 0, "%s: %u more warnings not shown",
             rd->file, rd->suppressed);
    if (f->frames && rd->unsupported == f->frames) {
        const char *name = pcap_datalink_val_to_name(rd->linktype);
        warn(l, CORR_LOAD_WARN_LINK, rd->file, 0,
             "%s: link type %d (%s) is not supported: no packet of the file was decoded",
             rd->file, rd->linktype, name ? name : "unknown");
        f->complete = false; /* nothing of it could be analysed */
    }
    if (rd->cut_frames)
        warn(l, CORR_LOAD_WARN_SNAPLEN, rd->file, rd->first_cut,
             "%s: %" G_GUINT64_FORMAT " frames were cut short by the capture's snaplen (from "
             "frame %" G_GUINT64_FORMAT ", at most %u bytes kept): what they carried is "
             "incomplete",
             rd->file, rd->cut_frames, rd->first_cut, rd->cut_max);
}

/* The open input whose frame comes first in time (the earlier input on a
 * tie), or NULL. */
static Reader *
earliest(GPtrArray *active)
{
    Reader *best = NULL;
    for (guint i = 0; i < active->len; i++) {
        Reader *rd = g_ptr_array_index(active, i);
        if (!best || rd->frame.ts < best->frame.ts ||
            (rd->frame.ts == best->frame.ts && rd->index < best->index))
            best = rd;
    }
    return best;
}

static gint
by_start(gconstpointer a, gconstpointer b)
{
    const Reader *x = *(Reader *const *)a, *y = *(Reader *const *)b;
    /* an input whose start is unknown is opened first */
    if (x->has_start != y->has_start)
        return x->has_start ? 1 : -1;
    if (x->has_start && x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Reads every input with one decoder, one SIP dissector and one RTP table,
 * as one capture: frames in time order across the inputs (as mergecap
 * merges them), so a TCP stream, an RTP stream or a call that goes on
 * from one file to the next continues. An input is opened when the merge
 * reaches its first frame, so that a long series of files (a ring buffer)
 * holds only the files that overlap open. */
static void
read_inputs(CorrLoad *l)
{
    SipParseOptions sopts;
    CapLimits climits;
    corr_load_stage_options(&l->limits, &sopts, &climits);
    l->sip = sip_dissector_new(&sopts, on_message, l);
    if (l->opts.tls_keylog)
        sip_dissector_set_tls_keylog(l->sip, l->opts.tls_keylog);
    l->dec = cap_decoder_new(&climits, on_packet, l);
    read_counters(l, l->seen);
    l->last_frame_wall = g_get_monotonic_time();

    g_autoptr(GPtrArray) waiting = g_ptr_array_new();
    for (guint i = 0; i < l->readers->len; i++) {
        Reader *rd = g_ptr_array_index(l->readers, i);
        if (rd->src || rd->file)
            g_ptr_array_add(waiting, rd);
    }
    g_ptr_array_sort(waiting, by_start);
    g_autoptr(GPtrArray) active = g_ptr_array_new();
    guint next = 0;
    Reader *last = NULL;
    while (!is_cancelled(l)) {
        /* open the inputs whose first frame comes before the next one */
        while (next < waiting->len) {
            Reader *w = g_ptr_array_index(waiting, next);
            Reader *first = earliest(active);
            if (first && w->has_start && w->start > first->frame.ts)
                break;
            next++;
            if (!w->src && !reader_open(l, w))
                continue;
            if (reader_advance(l, w))
                g_ptr_array_add(active, w);
            else
                reader_end(l, w);
        }
        Reader *rd = earliest(active);
        if (!rd)
            break;
        reader_feed(l, rd);
        last = rd;
        if (!reader_advance(l, rd)) {
            g_ptr_array_remove_fast(active, rd);
            reader_end(l, rd);
        }
    }
    for (guint i = 0; i < active->len; i++) /* cancelled */
        reader_end(l, g_ptr_array_index(active, i));
    cap_decoder_finish(l->dec);
    if (last)
        check_limits(l, last->file, last->f->frames);
    for (guint i = 0; i < l->readers->len; i++) {
        Reader *rd = g_ptr_array_index(l->readers, i);
        if (rd->f)
            reader_summary(l, rd);
    }
    if (l->table)
        rtp_stream_table_finish(l->table);
    progress(l);
    g_clear_pointer(&l->sip, sip_dissector_free);
    g_clear_pointer(&l->dec, cap_decoder_free);
}

/* The time of the first frame of @file, when it is a regular file that
 * opens and has one (read ahead so that inputs open in time order). */
static bool
first_frame_time(const char *file, SlTime *out)
{
    GStatBuf st;
    if (g_stat(file, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    g_autoptr(CapSource) src = cap_source_open_file(file, NULL);
    CapFrame frame;
    if (!src || cap_source_next(src, &frame, NULL) != CAP_READ_FRAME)
        return false;
    *out = frame.ts;
    return true;
}

static void
collect_streams(CorrLoad *l)
{
    if (!l->table)
        return;
    /* each reader's position in inputs (sorted by index: opened ones only) */
    g_autofree guint *input_of = g_new0(guint, l->readers->len);
    for (guint in = 0; in < l->inputs->len; in++)
        input_of[((CorrLoadFile *)g_ptr_array_index(l->inputs, in))->index] = in;
    GPtrArray *st = rtp_stream_table_streams(l->table);
    for (guint k = 0; k < st->len; k++) {
        RtpStream *s = g_ptr_array_index(st, k);
        guint rd_index = s->id - 1 < l->first_reader->len
                             ? g_array_index(l->first_reader, guint, s->id - 1)
                             : 0;
        g_ptr_array_add(l->streams, s);
        g_array_append_val(l->stream_file, input_of[MIN(rd_index, l->readers->len - 1)]);
    }
}

static gint
by_index(gconstpointer a, gconstpointer b)
{
    const CorrLoadFile *x = *(CorrLoadFile *const *)a, *y = *(CorrLoadFile *const *)b;
    return x->index < y->index ? -1 : x->index > y->index;
}

static CorrLoad *
load_new(const CorrLoadOptions *opts)
{
    CorrLoad *l = g_new0(CorrLoad, 1);
    l->opts = *opts;
    l->inputs = g_ptr_array_new_with_free_func(g_free);
    l->readers = g_ptr_array_new_with_free_func(reader_free);
    l->sip_seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    l->streams = g_ptr_array_new();
    l->stream_file = g_array_new(FALSE, FALSE, sizeof(guint));
    l->first_reader = g_array_new(FALSE, FALSE, sizeof(guint));
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
        l->table = rtp_stream_table_new();
        rtp_stream_table_set_max_streams(
            l->table, (guint)MIN(l->limits.value[SL_LIMIT_RTP_STREAMS], G_MAXUINT));
        l->rtcp = rtcp_reports_new();
        l->collector = opts->engine ? corr_media_collector_new() : NULL;
        if (l->collector)
            rtp_stream_table_set_packet_func(l->table, corr_media_packet, l->collector);
        l->classifier = flow_class_new();
    }
    return l;
}

/* End of input: streams collected, the engine finished, streams bound. */
static void
load_finish(CorrLoad *l)
{
    g_ptr_array_sort(l->inputs, by_index);
    for (guint i = 0; i < l->readers->len; i++) {
        const Reader *rd = g_ptr_array_index(l->readers, i);
        if (!rd->f || !rd->f->complete)
            l->complete = false;
    }
    if (l->cancelled)
        l->complete = false;
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
    l->total_bytes = src->size;
    Reader *rd = reader_new(l, l->source_name, src);
    reader_opened(l, rd);
    read_inputs(l);
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
        Reader *rd = reader_new(l, files[i], NULL);
        if (files[1] && !is_cancelled(l))
            rd->has_start = first_frame_time(files[i], &rd->start);
    }
    l->complete = true;
    read_inputs(l);
    load_finish(l);
    return l;
}

void
corr_load_free(CorrLoad *l)
{
    if (!l)
        return;
    g_hash_table_destroy(l->sip_seen);
    g_ptr_array_unref(l->readers);
    rtp_stream_table_free(l->table);
    rtcp_reports_free(l->rtcp);
    g_array_unref(l->first_reader);
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

bool
corr_load_time_origin(const CorrLoad *l, SlTime *out)
{
    if (l->has_origin)
        *out = l->origin;
    return l->has_origin;
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
