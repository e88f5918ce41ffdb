/* sipladder fuzz target: RTP and RTCP (dissect/rtp.c, rtcp.c,
 * rtp-event.c) and the stream analysis fed by them (correlate/rtp-stream.c,
 * rtp-quality.c, rtcp-reports.c), over a sequence of UDP payloads.
 *
 * Input layout (tests/fuzz/make-seeds.py writes seeds in it):
 *   byte 0          bit 0: SDP announces the destination of flow 0 with
 *                          dynamic payload types (opus 96, telephone-event
 *                          101, a rate-less 97)
 *                   bit 1: SDP announces flow 3's destination as T.38
 *                   bit 2: tiny table bounds (2 streams, 2 conversations)
 *                   bit 3: IPv6 addresses
 *   then records    u16 big-endian prefix: bits 14-15 flow (index into
 *                   flows[]), bits 11-13 time step (index into
 *                   time_steps[]), bits 0-10 payload length; then the
 *                   payload (a short last record takes what is left)
 *
 * Each payload is a private heap copy of exactly its length. It goes
 * through rtp_hdr_parse(), rtp_looks_like(), rtcp_looks_like(),
 * rtcp_parse() and, for an RTP payload, rtp_event_parse(), each checked
 * against its header; then to an RtpStreamTable and RtcpReports as a UDP
 * CapPacket. At the end the table is finished and every stream's figures
 * and rtp_quality_result() are checked. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-util.h"
#include "rtcp-reports.h"
#include "rtcp.h"
#include "rtp-event.h"
#include "rtp-quality.h"
#include "rtp-stream.h"
#include "rtp.h"

typedef struct {
    uint8_t src, dst; /* last byte of the address */
    uint16_t sport, dport;
} Flow;

static const Flow flows[4] = {
    { 10, 20, 16000, 16002 }, /* RTP one way */
    { 20, 10, 16002, 16000 }, /* and back */
    { 10, 20, 16001, 16003 }, /* RTCP beside it */
    { 30, 40, 5004, 40000 },
};

static const SlTime time_steps[8] = {
    0,
    1000,                 /* 1 us */
    10 * SL_TIME_MSEC,
    20 * SL_TIME_MSEC,    /* one packet of 20 ms audio */
    21 * SL_TIME_MSEC,
    100 * SL_TIME_MSEC,
    5 * SL_TIME_SECOND,
    3600 * SL_TIME_SECOND,
};

#define LEN_MASK 0x07ffu

static void
flow_addr(const Flow *f, bool v6, SlAddr *src, SlAddr *dst)
{
    uint8_t a[16] = { 0 }, b[16] = { 0 };
    if (v6) {
        a[0] = b[0] = 0x20;
        a[1] = b[1] = 0x01;
        a[2] = b[2] = 0x0d;
        a[3] = b[3] = 0xb8;
        a[15] = f->src;
        b[15] = f->dst;
        sl_addr_set_v6(src, a, f->sport);
        sl_addr_set_v6(dst, b, f->dport);
    } else {
        a[0] = b[0] = 192;
        a[2] = b[2] = 2;
        a[3] = f->src;
        b[3] = f->dst;
        sl_addr_set_v4(src, a, f->sport);
        sl_addr_set_v4(dst, b, f->dport);
    }
}

/* rtp_hdr_parse() and the classifiers against rtp.h. Returns the status. */
static SlStatus
check_rtp(SlView data, RtpHdr *hdr)
{
    SlError err = { 0 };
    SlStatus st = rtp_hdr_parse(data, hdr, &err);
    FUZZ_CHECK(st == SL_OK || st == SL_ERR_NOT_MINE || st == SL_ERR_MALFORMED);
    int b0 = sl_view_at(data, 0);
    FUZZ_CHECK((st == SL_ERR_NOT_MINE) == (b0 < 0 || (b0 >> 6) != RTP_VERSION));
    if (st != SL_OK)
        FUZZ_CHECK(err.status == st && err.offset <= data.len);
    if (st == SL_ERR_NOT_MINE) {
        FUZZ_CHECK(!rtp_looks_like(data, false));
        return st;
    }
    FUZZ_CHECK(hdr->version == RTP_VERSION && hdr->pt <= 127 && hdr->csrc_count <= RTP_MAX_CSRC);
    FUZZ_CHECK(fuzz_view_within(hdr->ext_data, data));
    if (hdr->header_len) {
        size_t want = RTP_FIXED_HEADER_LEN + 4u * hdr->csrc_count +
                      (hdr->extension ? 4 + hdr->ext_data.len : 0);
        FUZZ_CHECK(hdr->header_len == want && want <= data.len);
        FUZZ_CHECK(hdr->ext_data.len % 4 == 0);
        if (!hdr->extension)
            FUZZ_CHECK(hdr->ext_data.len == 0);
        /* the payload starts right after the header */
        FUZZ_CHECK(fuzz_view_within(hdr->payload, data));
        FUZZ_CHECK(hdr->payload.len == 0 || hdr->payload.p == data.p + hdr->header_len);
        size_t rest = data.len - hdr->header_len;
        if (st == SL_OK && hdr->padding) {
            FUZZ_CHECK(hdr->padding_len > 0 && hdr->payload.len + hdr->padding_len == rest);
            FUZZ_CHECK(hdr->padding_len == sl_view_at(data, data.len - 1));
        } else {
            /* no padding, or a bad padding count (MALFORMED) */
            FUZZ_CHECK(hdr->padding_len == 0 && hdr->payload.len == rest);
            FUZZ_CHECK(st == SL_OK || hdr->padding);
        }
        fuzz_touch(hdr->payload);
        fuzz_touch(hdr->ext_data);
    } else {
        FUZZ_CHECK(st == SL_ERR_MALFORMED && hdr->payload.len == 0);
    }
    bool pt_rtcp = hdr->pt >= RTP_PT_RTCP_RESERVED_FIRST && hdr->pt <= RTP_PT_RTCP_RESERVED_LAST;
    bool looks = rtp_looks_like(data, true);
    FUZZ_CHECK(looks == (st == SL_OK && !pt_rtcp));
    FUZZ_CHECK(rtp_looks_like(data, false) == (hdr->header_len != 0 && !pt_rtcp));
    FUZZ_CHECK(rtp_hdr_is_rtcp_conflict(hdr) ==
               (hdr->marker && hdr->pt >= RTP_PT_RTCP_CONFLICT_FIRST &&
                hdr->pt <= RTP_PT_RTCP_CONFLICT_LAST));
    return st;
}

static void
check_rtcp(SlView data, uint64_t arrival_ntp)
{
    RtcpCompound c;
    SlError err = { 0 };
    SlStatus st = rtcp_parse(data, &c, &err);
    FUZZ_CHECK(st == SL_OK || st == SL_ERR_NOT_MINE || st == SL_ERR_MALFORMED ||
               st == SL_ERR_LIMIT);
    FUZZ_CHECK((st == SL_ERR_NOT_MINE) == (c.n_packets == 0));
    FUZZ_CHECK(c.n_packets <= RTCP_MAX_PACKETS);
    if (st == SL_ERR_MALFORMED || st == SL_ERR_LIMIT)
        FUZZ_CHECK(err.status == st && err.offset <= data.len);
    if (rtcp_looks_like(data))
        FUZZ_CHECK(st != SL_ERR_NOT_MINE && c.packets[0].pt >= RTCP_SR && c.packets[0].pt <= 207);
    for (unsigned i = 0; i < c.n_packets; i++) {
        const RtcpPacket *p = &c.packets[i];
        FUZZ_CHECK(p->pt >= 192 && p->pt <= 223);
        FUZZ_CHECK(p->n_blocks <= RTCP_MAX_BLOCKS);
        if (p->pt != RTCP_SR && p->pt != RTCP_RR)
            FUZZ_CHECK(p->n_blocks == 0);
        FUZZ_CHECK(fuzz_view_within(p->cname, data));
        FUZZ_CHECK(fuzz_view_within(p->bye_reason, data));
        FUZZ_CHECK(p->bye_reason.len <= 255);
        fuzz_touch(p->cname);
        fuzz_touch(p->bye_reason);
        if (p->has_voip)
            FUZZ_CHECK(p->pt == RTCP_XR);
        for (unsigned k = 0; k < p->n_blocks; k++) {
            const RtcpReportBlock *b = &p->blocks[k];
            FUZZ_CHECK(b->cumulative_lost >= -(1 << 23) && b->cumulative_lost < (1 << 23));
            double rtt = rtcp_rtt_ms(b, arrival_ntp);
            FUZZ_CHECK(!isnan(rtt));
            if (b->lsr == 0)
                FUZZ_CHECK(rtt < 0);
        }
    }
}

static void
check_event(SlView payload)
{
    RtpEvent ev;
    SlStatus st = rtp_event_parse(payload, &ev);
    FUZZ_CHECK((st == SL_OK) == (payload.len >= 4));
    if (st != SL_OK)
        return;
    FUZZ_CHECK(ev.volume <= 63);
    char c = rtp_event_char(ev.event);
    FUZZ_CHECK(c != 0 && strchr("0123456789*#ABCD!?", c) != NULL);
    FUZZ_CHECK((c == '?') == (ev.event > 16));
}

typedef struct {
    uint64_t taken;       /* packet callbacks */
    const CapPacket *pkt; /* the packet being offered */
} RtpCounts;

static void
on_rtp(RtpStream *s, const CapPacket *pkt, SlView payload, unsigned pt, const char *name,
       uint32_t clock_rate, gpointer user)
{
    RtpCounts *c = user;
    c->taken++;
    FUZZ_CHECK(pkt == c->pkt && s != NULL && s->packets > 0);
    FUZZ_CHECK(pt <= 127);
    FUZZ_CHECK(fuzz_view_within(payload, pkt->payload));
    FUZZ_CHECK(sl_addr_equal(&s->src, &pkt->src) && sl_addr_equal(&s->dst, &pkt->dst));
    FUZZ_CHECK(s->last_frame == pkt->frame);
    if (name)
        FUZZ_CHECK(strlen(name) < 4096);
    (void)clock_rate;
}

static void
check_streams(RtpStreamTable *t, guint max_streams)
{
    rtp_stream_table_finish(t);
    const RtpStreamTableStats *st = rtp_stream_table_stats(t);
    GPtrArray *streams = rtp_stream_table_streams(t);
    FUZZ_CHECK(streams->len <= max_streams);
    FUZZ_CHECK(st->rtp <= st->offered);
    uint64_t packets = 0;
    for (guint i = 0; i < streams->len; i++) {
        const RtpStream *s = g_ptr_array_index(streams, i);
        FUZZ_CHECK(s->id == i + 1);
        FUZZ_CHECK(s->packets > 0 && s->first_frame <= s->last_frame);
        FUZZ_CHECK(s->first_ts <= s->last_ts);
        FUZZ_CHECK(s->payload_names != NULL && s->payload_types->len > 0);
        FUZZ_CHECK(s->markers <= s->packets && s->pt_changes < s->packets);
        FUZZ_CHECK(isfinite(s->lost_pct) && isfinite(s->mean_jitter_ms) &&
                   isfinite(s->max_skew_ms) && isfinite(s->mean_delta_ms));
        if (s->has_delta)
            FUZZ_CHECK(s->min_delta_ms <= s->max_delta_ms);
        packets += s->packets;
        RtpQuality q;
        rtp_quality_result(&s->quality, NULL, 20.0, s->mean_jitter_ms, -1, &q);
        FUZZ_CHECK(q.mos >= 1.0 && q.mos <= 4.5 && isfinite(q.r_factor));
        FUZZ_CHECK(q.loss_pct >= 0 && q.loss_pct <= 100 && q.max_burst <= s->quality.lost);
        for (int k = 0; k < RTP_JB_SIZES; k++)
            FUZZ_CHECK(q.jb_discard_pct[k] >= 0 && q.jb_discard_pct[k] <= 100);
    }
    FUZZ_CHECK(packets == st->rtp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    SlView in = sl_view_make(data, size);
    uint8_t mode;
    if (!sl_view_u8(&in, &mode))
        return 0;
    const bool v6 = (mode & 0x08) != 0;

    RtpStreamTable *t = rtp_stream_table_new();
    RtcpReports *reports = rtcp_reports_new();
    RtpCounts counts = { 0 };
    rtp_stream_table_set_packet_func(t, on_rtp, &counts);
    guint max_streams = RTP_STREAM_TABLE_MAX_STREAMS;
    if (mode & 0x04) {
        max_streams = 2;
        rtp_stream_table_set_limits(t, 2, 2);
    }
    const SlTime t0 = (SlTime)1700000000 * SL_TIME_SECOND;
    rtp_stream_table_set_time_origin(t, t0);
    if (mode & 0x01) {
        static const RtpPayloadMap map[] = {
            { 96, (char *)"opus", 48000 },
            { 101, (char *)"telephone-event", 8000 },
            { 97, (char *)"X-no-rate", 0 },
        };
        SlAddr src, dst;
        flow_addr(&flows[0], v6, &src, &dst);
        rtp_stream_table_expect(t, &dst, t0, map, G_N_ELEMENTS(map));
    }
    if (mode & 0x02) {
        SlAddr src, dst;
        flow_addr(&flows[3], v6, &src, &dst);
        rtp_stream_table_expect_not_rtp(t, &dst, t0);
    }

    CapPacket pkt = { 0 };
    pkt.transport = CAP_TRANSPORT_UDP;
    pkt.ts = t0;
    uint16_t prefix;
    uint64_t taken = 0, offered = 0;
    while (sl_view_be16(&in, &prefix)) {
        size_t len = MIN((size_t)(prefix & LEN_MASK), in.len);
        SlView bytes;
        sl_view_take(&in, len, &bytes);
        uint8_t *copy = malloc(len ? len : 1);
        if (copy == NULL)
            abort();
        if (len)
            sl_view_copy(&bytes, copy, len);
        SlView payload = sl_view_make(copy, len);

        pkt.frame++;
        pkt.ts += time_steps[(prefix >> 11) & 7];
        pkt.cap_len = pkt.wire_len = (uint32_t)len + 42;
        flow_addr(&flows[prefix >> 14], v6, &pkt.src, &pkt.dst);
        pkt.payload = payload;

        RtpHdr hdr;
        if (check_rtp(payload, &hdr) == SL_OK)
            check_event(hdr.payload);
        check_rtcp(payload, rtcp_ntp_from_ns(pkt.ts));

        counts.pkt = &pkt;
        uint64_t before = counts.taken;
        bool is_rtp = rtp_stream_table_packet(t, &pkt);
        FUZZ_CHECK(counts.taken == before + is_rtp);
        if (is_rtp)
            FUZZ_CHECK(hdr.header_len > 0 && !rtp_hdr_is_rtcp_conflict(&hdr));
        taken += is_rtp;
        offered++;
        bool is_rtcp = rtcp_reports_packet(reports, &pkt);
        if (is_rtcp)
            FUZZ_CHECK(rtcp_looks_like(payload));
        free(copy);
    }
    FUZZ_CHECK(rtp_stream_table_stats(t)->offered == offered);
    FUZZ_CHECK(rtp_stream_table_stats(t)->rtp == taken);
    check_streams(t, max_streams);

    /* what RTCP reported about the streams' sources */
    GPtrArray *streams = rtp_stream_table_streams(t);
    for (guint i = 0; i < streams->len; i++) {
        const RtpStream *s = g_ptr_array_index(streams, i);
        const RtcpSourceReport *r = rtcp_reports_lookup(reports, s->ssrc);
        if (r) {
            FUZZ_CHECK(r->ssrc == s->ssrc && memchr(r->cname, 0, sizeof r->cname) != NULL);
            FUZZ_CHECK(r->first_frame <= r->last_frame && r->max_jitter >= r->jitter);
        }
    }
    FUZZ_CHECK(rtcp_reports_packets(reports) <= offered);
    rtcp_reports_free(reports);
    rtp_stream_table_free(t);
    return 0;
}
