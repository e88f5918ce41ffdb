/* sipladder: RTCP parsing. RFC 3550 section 6.4 (SR, RR), 6.5 (SDES),
 * 6.6 (BYE), 6.7 (APP); RFC 3611 section 3 (XR) and 4.7 (VoIP Metrics).
 *   common header: V(2) P(1) count(5) PT(8) length(16, 32-bit words - 1)
 *   SR: SSRC, NTP(64), RTP ts, packet count, octet count, report blocks
 *   RR: SSRC, report blocks
 *   report block: SSRC, fraction lost(8), cumulative lost(24), extended
 *                 highest seq, jitter, LSR, DLSR
 *   SDES chunk: SSRC, items (type(8) length(8) text), END (0), padding
 *   XR: SSRC, blocks: BT(8) type-specific(8) block length(16) contents */
#include <string.h>

#include "rtcp.h"

#define NTP_UNIX_OFFSET 2208988800ull /* seconds from 1900 to 1970 */

static bool
parse_blocks(SlView *v, unsigned count, RtcpPacket *p)
{
    for (unsigned i = 0; i < count; i++) {
        RtcpReportBlock b;
        uint32_t lost_word;
        if (!sl_view_be32(v, &b.ssrc) || !sl_view_be32(v, &lost_word) ||
            !sl_view_be32(v, &b.highest_seq) || !sl_view_be32(v, &b.jitter) ||
            !sl_view_be32(v, &b.lsr) || !sl_view_be32(v, &b.dlsr))
            return false;
        b.fraction_lost = (uint8_t)(lost_word >> 24);
        int32_t lost = (int32_t)(lost_word & 0xffffff);
        if (lost & 0x800000)
            lost -= 0x1000000; /* signed 24-bit */
        b.cumulative_lost = lost;
        if (p->n_blocks < RTCP_MAX_BLOCKS)
            p->blocks[p->n_blocks++] = b;
    }
    return true;
}

static void
parse_sdes(SlView v, unsigned count, RtcpPacket *p)
{
    for (unsigned c = 0; c < count; c++) {
        uint32_t ssrc;
        if (!sl_view_be32(&v, &ssrc))
            return;
        if (c == 0)
            p->ssrc = ssrc;
        for (;;) {
            uint8_t type, len;
            if (!sl_view_u8(&v, &type))
                return;
            if (type == 0) { /* END: skip to the next 32-bit boundary */
                while (v.len % 4 != 0 && sl_view_skip(&v, 1))
                    ;
                break;
            }
            SlView text;
            if (!sl_view_u8(&v, &len) || !sl_view_take(&v, len, &text))
                return;
            if (type == 1 && p->cname.len == 0) /* CNAME */
                p->cname = text;
        }
    }
}

static void
parse_xr(SlView v, RtcpPacket *p)
{
    if (!sl_view_be32(&v, &p->ssrc))
        return;
    while (v.len >= 4) {
        uint8_t bt, spec;
        uint16_t words;
        SlView block;
        if (!sl_view_u8(&v, &bt) || !sl_view_u8(&v, &spec) || !sl_view_be16(&v, &words) ||
            !sl_view_take(&v, (size_t)words * 4, &block))
            return;
        if (bt != 7 || words != 8)
            continue;
        RtcpXrVoip *x = &p->voip;
        if (sl_view_be32(&block, &x->ssrc) && sl_view_u8(&block, &x->loss_rate) &&
            sl_view_u8(&block, &x->discard_rate) && sl_view_u8(&block, &x->burst_density) &&
            sl_view_u8(&block, &x->gap_density) && sl_view_be16(&block, &x->burst_duration) &&
            sl_view_be16(&block, &x->gap_duration) && sl_view_be16(&block, &x->round_trip_delay) &&
            sl_view_be16(&block, &x->end_system_delay) && sl_view_u8(&block, &x->signal_level) &&
            sl_view_u8(&block, &x->noise_level) && sl_view_u8(&block, &x->rerl) &&
            sl_view_u8(&block, &x->gmin) && sl_view_u8(&block, &x->r_factor) &&
            sl_view_u8(&block, &x->ext_r_factor) && sl_view_u8(&block, &x->mos_lq) &&
            sl_view_u8(&block, &x->mos_cq) && sl_view_u8(&block, &x->rx_config) &&
            sl_view_skip(&block, 1) && sl_view_be16(&block, &x->jb_nominal) &&
            sl_view_be16(&block, &x->jb_maximum) && sl_view_be16(&block, &x->jb_abs_max))
            p->has_voip = true;
    }
}

SlStatus
rtcp_parse(SlView data, RtcpCompound *out, SlError *err)
{
    memset(out, 0, sizeof *out);
    SlView v = data;
    size_t start = 0;
    while (v.len > 0) {
        uint8_t b0, pt;
        uint16_t words;
        SlView h = v;
        if (!sl_view_u8(&h, &b0) || !sl_view_u8(&h, &pt) || !sl_view_be16(&h, &words))
            return out->n_packets ? sl_error_set(err, SL_ERR_MALFORMED, start, "RTCP header cut")
                                  : SL_ERR_NOT_MINE;
        if ((b0 >> 6) != 2 || pt < 192 || pt > 223) {
            if (out->n_packets == 0)
                return SL_ERR_NOT_MINE;
            return sl_error_set(err, SL_ERR_MALFORMED, start, "not an RTCP packet in a compound");
        }
        size_t len = ((size_t)words + 1) * 4;
        SlView body;
        if (!sl_view_take(&v, len, &body))
            return out->n_packets
                       ? sl_error_set(err, SL_ERR_MALFORMED, start, "RTCP length exceeds the data")
                       : SL_ERR_NOT_MINE;
        start += len;
        if (out->n_packets >= RTCP_MAX_PACKETS)
            return sl_error_set(err, SL_ERR_LIMIT, start, "too many packets in a compound");
        RtcpPacket *p = &out->packets[out->n_packets++];
        p->pt = pt;
        unsigned count = b0 & 0x1f;
        sl_view_skip(&body, 4);
        if ((b0 & 0x20) && body.len > 0) { /* padding: the last byte counts it */
            unsigned pad = (unsigned)sl_view_at(body, body.len - 1);
            body.len = pad <= body.len ? body.len - pad : 0;
        }
        switch (pt) {
        case RTCP_SR: {
            uint32_t hi, lo;
            if (!sl_view_be32(&body, &p->ssrc) || !sl_view_be32(&body, &hi) ||
                !sl_view_be32(&body, &lo) || !sl_view_be32(&body, &p->rtp_ts) ||
                !sl_view_be32(&body, &p->sender_packets) || !sl_view_be32(&body, &p->sender_octets) ||
                !parse_blocks(&body, count, p))
                return sl_error_set(err, SL_ERR_MALFORMED, start - len, "short sender report");
            p->ntp = ((uint64_t)hi << 32) | lo;
            break;
        }
        case RTCP_RR:
            if (!sl_view_be32(&body, &p->ssrc) || !parse_blocks(&body, count, p))
                return sl_error_set(err, SL_ERR_MALFORMED, start - len, "short receiver report");
            break;
        case RTCP_SDES:
            parse_sdes(body, count, p);
            break;
        case RTCP_BYE: {
            for (unsigned i = 0; i < count; i++) {
                uint32_t ssrc;
                if (!sl_view_be32(&body, &ssrc))
                    break;
                if (i == 0)
                    p->ssrc = ssrc;
            }
            uint8_t rlen;
            if (sl_view_u8(&body, &rlen))
                sl_view_take(&body, rlen, &p->bye_reason);
            break;
        }
        case RTCP_XR:
            parse_xr(body, p);
            break;
        default:
            sl_view_be32(&body, &p->ssrc);
            break;
        }
    }
    return out->n_packets ? SL_OK : SL_ERR_NOT_MINE;
}

uint64_t
rtcp_ntp_from_ns(int64_t ns)
{
    uint64_t sec = (uint64_t)(ns / 1000000000) + NTP_UNIX_OFFSET;
    uint64_t frac = ((uint64_t)(ns % 1000000000) << 32) / 1000000000u;
    return (sec << 32) | frac;
}

double
rtcp_rtt_ms(const RtcpReportBlock *b, uint64_t arrival_ntp)
{
    if (b->lsr == 0)
        return -1;
    uint32_t a = (uint32_t)(arrival_ntp >> 16); /* middle 32 bits */
    uint32_t rtt = a - b->lsr - b->dlsr;        /* 1/65536 s, modulo 2^32 */
    if ((int32_t)rtt < 0)
        return -1;
    return (double)rtt * 1000.0 / 65536.0;
}
