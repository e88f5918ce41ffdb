/* sipladder: voice quality of an RTP stream: the ITU-T G.107 E-model
 * (R-factor and MOS) with codec impairments from ITU-T G.113 Appendix I,
 * loss bursts (a two-state Markov model of the loss pattern, G.107
 * BurstR) and the packets a fixed jitter buffer would discard. State is of
 * constant size; packets are added one at a time in arrival order. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "sltime.h"

G_BEGIN_DECLS

/* Codec impairment values used by the E-model. */
typedef struct {
    const char *codec; /* matching encoding name, lower case */
    double ie;         /* equipment impairment factor */
    double bpl;        /* packet-loss robustness factor */
    bool from_g113;    /* false: the documented default, G.113 defines none */
} RtpCodecImpairment;

/* Values for an encoding name (case-insensitive; "PCMU", "G729"...); the
 * default entry for names without one. Never NULL. */
const RtpCodecImpairment *rtp_codec_impairment(const char *encoding);

#define RTP_JB_SIZES 3 /* 20, 40 and 60 ms */
extern const unsigned rtp_jb_sizes_ms[RTP_JB_SIZES];

typedef struct {
    /* loss pattern */
    bool started;
    uint16_t last_seq;
    uint64_t received;
    uint64_t lost;
    uint64_t bursts;          /* runs of consecutive lost packets */
    uint64_t max_burst;
    /* fixed jitter buffers, anchored on the first packet */
    SlTime first_arrival;
    uint32_t first_ts;
    uint64_t late[RTP_JB_SIZES];
    uint64_t timed;           /* packets checked against the buffers */
} RtpQualityState;

void rtp_quality_init(RtpQualityState *q);
/* One packet in arrival order; @clock_rate 0 skips the jitter buffers. */
void rtp_quality_packet(RtpQualityState *q, SlTime arrival, uint16_t seq, uint32_t ts,
                        uint32_t clock_rate);

typedef struct {
    double loss_pct;          /* lost / expected */
    double burst_ratio;       /* G.107 BurstR: 1 for random loss, > 1 bursty */
    uint64_t max_burst;       /* longest run of lost packets */
    double jb_discard_pct[RTP_JB_SIZES];
    double delay_ms;          /* one-way delay Ta assumed by the model */
    double r_factor;
    double mos;               /* MOS-CQE, 1.0 .. 4.5 */
} RtpQuality;

/* Computes R and MOS. @codec may be NULL (default impairment).
 * @packetization_ms: frame duration (mean packet spacing); @jitter_ms: the
 * stream's mean jitter; @rtt_ms: a round-trip time from RTCP, or < 0 when
 * unknown. The one-way delay is packetization + a jitter buffer of twice
 * the mean jitter (at least 20 ms) + half the round-trip time. */
void rtp_quality_result(const RtpQualityState *q, const char *codec, double packetization_ms,
                        double jitter_ms, double rtt_ms, RtpQuality *out);

/* The E-model itself (G.107 section 7 with default values except Ie, Bpl,
 * Ppl, BurstR and Ta): R from the packet-loss percentage, burst ratio and
 * one-way delay. */
double rtp_emodel_r(double ie, double bpl, double ppl, double burst_r, double ta_ms);
/* MOS-CQE from R (G.107 Annex B). */
double rtp_emodel_mos(double r);

G_END_DECLS
