/* sipladder: RTCP compound packets (RFC 3550 section 6: SR, RR, SDES, BYE,
 * APP; RFC 3611 section 4.7: the XR VoIP Metrics report block). The parser
 * reads through a bounded view and keeps what it understands of every
 * packet in the compound, up to fixed bounds. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "status.h"
#include "view.h"

G_BEGIN_DECLS

enum {
    RTCP_SR = 200,
    RTCP_RR = 201,
    RTCP_SDES = 202,
    RTCP_BYE = 203,
    RTCP_APP = 204,
    RTCP_XR = 207,
};

/* One reception report block (RFC 3550 section 6.4.1). */
typedef struct {
    uint32_t ssrc;           /* the source this block reports on */
    uint8_t fraction_lost;   /* 8-bit fixed point, /256 */
    int32_t cumulative_lost; /* signed 24-bit */
    uint32_t highest_seq;    /* extended highest sequence number received */
    uint32_t jitter;         /* interarrival jitter, timestamp units */
    uint32_t lsr;            /* middle 32 bits of the last SR's NTP time */
    uint32_t dlsr;           /* delay since that SR, 1/65536 s */
} RtcpReportBlock;

/* RFC 3611 section 4.7 VoIP Metrics. */
typedef struct {
    uint32_t ssrc;
    uint8_t loss_rate, discard_rate, burst_density, gap_density;
    uint16_t burst_duration, gap_duration, round_trip_delay, end_system_delay;
    uint8_t signal_level, noise_level, rerl, gmin;
    uint8_t r_factor, ext_r_factor, mos_lq, mos_cq; /* MOS x10; 127 = unavailable */
    uint8_t rx_config;
    uint16_t jb_nominal, jb_maximum, jb_abs_max;
} RtcpXrVoip;

#define RTCP_MAX_BLOCKS 8

typedef struct {
    uint8_t pt;              /* RTCP_SR... */
    uint32_t ssrc;           /* the sender (SR/RR/XR), first chunk (SDES), first source (BYE) */
    /* SR sender info */
    uint64_t ntp;            /* 32.32 fixed point */
    uint32_t rtp_ts;
    uint32_t sender_packets, sender_octets;
    /* SR / RR report blocks */
    RtcpReportBlock blocks[RTCP_MAX_BLOCKS];
    unsigned n_blocks;
    /* SDES: the first CNAME */
    SlView cname;
    /* BYE: reason, when given */
    SlView bye_reason;
    /* XR: the VoIP metrics block, when present */
    RtcpXrVoip voip;
    bool has_voip;
} RtcpPacket;

#define RTCP_MAX_PACKETS 8

typedef struct {
    RtcpPacket packets[RTCP_MAX_PACKETS];
    unsigned n_packets;
} RtcpCompound;

/* Parses a compound RTCP packet (one UDP payload, or the RTCP part of an
 * rtcp-mux flow). Views borrow from @data. Returns SL_OK,
 * SL_ERR_NOT_MINE (not RTCP: version or packet type), SL_ERR_MALFORMED
 * (a length that does not fit; the packets before it are kept) or
 * SL_ERR_LIMIT (more than RTCP_MAX_PACKETS; the first ones kept). */
SlStatus rtcp_parse(SlView data, RtcpCompound *out, SlError *err);

/* Round-trip time in ms from a report block received at @arrival_ntp (the
 * capture time as 32.32 NTP): arrival - LSR - DLSR (RFC 3550 section
 * 6.4.1). Negative when the block has no LSR. */
double rtcp_rtt_ms(const RtcpReportBlock *b, uint64_t arrival_ntp);
/* A capture time (ns since 1970) as 32.32 NTP time. */
uint64_t rtcp_ntp_from_ns(int64_t ns);

G_END_DECLS
