/* sipladder: RTCP reports per source (RFC 3550 section 6.4.1 report blocks
 * and round-trip time; RFC 3611 section 4.7 VoIP metrics). */
#include <string.h>

#include "rtcp-reports.h"
#include "rtp.h"

/* Sources tracked at most (a capture with more keeps the first ones). */
#define RTCP_MAX_SOURCES 100000

struct RtcpReports {
    GHashTable *by_ssrc; /* uint32 (as pointer key) -> RtcpSourceReport* */
    guint packets;
};

RtcpReports *
rtcp_reports_new(void)
{
    RtcpReports *r = g_new0(RtcpReports, 1);
    r->by_ssrc = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    return r;
}

void
rtcp_reports_free(RtcpReports *r)
{
    if (!r)
        return;
    g_hash_table_destroy(r->by_ssrc);
    g_free(r);
}

static RtcpSourceReport *
source(RtcpReports *r, uint32_t ssrc, uint64_t frame)
{
    /* SSRC 0 cannot be a direct-hash key of its own: offset every key */
    gpointer key = GSIZE_TO_POINTER((gsize)ssrc + 1);
    RtcpSourceReport *s = g_hash_table_lookup(r->by_ssrc, key);
    if (s == NULL) {
        if (g_hash_table_size(r->by_ssrc) >= RTCP_MAX_SOURCES)
            return NULL;
        s = g_new0(RtcpSourceReport, 1);
        s->ssrc = ssrc;
        s->rtt_ms = s->max_rtt_ms = -1;
        s->first_frame = frame;
        g_hash_table_insert(r->by_ssrc, key, s);
    }
    s->last_frame = frame;
    return s;
}

bool
rtcp_reports_packet(RtcpReports *r, const CapPacket *pkt)
{
    if (pkt->transport != CAP_TRANSPORT_UDP || !rtcp_looks_like(pkt->payload))
        return false;
    RtcpCompound c;
    SlError err = { 0 };
    SlStatus st = rtcp_parse(pkt->payload, &c, &err);
    if (st == SL_ERR_NOT_MINE || c.n_packets == 0)
        return false;
    r->packets++;
    uint64_t arrival = rtcp_ntp_from_ns(pkt->ts);
    for (unsigned i = 0; i < c.n_packets; i++) {
        const RtcpPacket *p = &c.packets[i];
        RtcpSourceReport *s;
        switch (p->pt) {
        case RTCP_SR:
            if ((s = source(r, p->ssrc, pkt->frame)) != NULL) {
                s->sender_reports++;
                s->sender_packets = p->sender_packets;
                s->sender_octets = p->sender_octets;
            }
            /* an SR carries report blocks too */
            G_GNUC_FALLTHROUGH;
        case RTCP_RR:
            for (unsigned k = 0; k < p->n_blocks; k++) {
                const RtcpReportBlock *b = &p->blocks[k];
                if ((s = source(r, b->ssrc, pkt->frame)) == NULL)
                    continue;
                s->receiver_blocks++;
                s->fraction_lost = b->fraction_lost;
                s->cumulative_lost = b->cumulative_lost;
                s->jitter = b->jitter;
                if (b->jitter > s->max_jitter)
                    s->max_jitter = b->jitter;
                double rtt = rtcp_rtt_ms(b, arrival);
                if (rtt >= 0 && rtt < 60000) {
                    s->rtt_ms = rtt;
                    if (rtt > s->max_rtt_ms)
                        s->max_rtt_ms = rtt;
                }
            }
            break;
        case RTCP_SDES:
            if (p->cname.len && (s = source(r, p->ssrc, pkt->frame)) != NULL) {
                g_autofree char *cn = sl_view_dup_printable(p->cname, sizeof s->cname - 1);
                g_strlcpy(s->cname, cn, sizeof s->cname);
            }
            break;
        case RTCP_BYE:
            if ((s = source(r, p->ssrc, pkt->frame)) != NULL)
                s->bye = true;
            break;
        case RTCP_XR:
            if (p->has_voip && (s = source(r, p->voip.ssrc, pkt->frame)) != NULL) {
                s->has_voip = true;
                s->voip = p->voip;
            }
            break;
        default:
            break;
        }
    }
    return true;
}

const RtcpSourceReport *
rtcp_reports_lookup(const RtcpReports *r, uint32_t ssrc)
{
    return g_hash_table_lookup(r->by_ssrc, GSIZE_TO_POINTER((gsize)ssrc + 1));
}

guint
rtcp_reports_packets(const RtcpReports *r)
{
    return r->packets;
}
