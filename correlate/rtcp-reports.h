/* sipladder: what RTCP said about each RTP source (RFC 3550 section 6.4,
 * RFC 3611 section 4.7), gathered from the compound packets of a capture so
 * that each stream can show what its ends reported beside what the capture
 * measured. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "cap-packet.h"
#include "rtcp.h"

G_BEGIN_DECLS

/* Everything reported about one SSRC (constant size). */
typedef struct {
    uint32_t ssrc;
    /* from the source itself */
    uint64_t sender_reports;
    uint32_t sender_packets, sender_octets; /* of the last SR */
    char cname[64];                          /* SDES CNAME, "" when none */
    bool bye;
    /* from the other end's report blocks about this source */
    uint64_t receiver_blocks;
    uint8_t fraction_lost;      /* of the last block, /256 */
    int32_t cumulative_lost;    /* of the last block */
    uint32_t jitter;            /* of the last block, timestamp units */
    uint32_t max_jitter;
    double rtt_ms;              /* the last round trip computed, -1 when none */
    double max_rtt_ms;
    uint64_t first_frame, last_frame;
    /* RFC 3611 VoIP metrics about this source */
    bool has_voip;
    RtcpXrVoip voip;
} RtcpSourceReport;

typedef struct RtcpReports RtcpReports;

RtcpReports *rtcp_reports_new(void);
void rtcp_reports_free(RtcpReports *r);
/* Offers a UDP payload; true when it was RTCP and was taken. */
bool rtcp_reports_packet(RtcpReports *r, const CapPacket *pkt);
/* What was reported about @ssrc, or NULL. Borrowed. */
const RtcpSourceReport *rtcp_reports_lookup(const RtcpReports *r, uint32_t ssrc);
guint rtcp_reports_packets(const RtcpReports *r);

G_END_DECLS
