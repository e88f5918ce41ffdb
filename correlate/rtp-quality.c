/* sipladder: E-model voice quality. ITU-T G.107 (2015) sections 7.1-7.7 and
 * Annex B; codec values from ITU-T G.113 (2007) Appendix I, Table I.1 and
 * Table I.3.
 *   R = Ro - Is - Id - Ie,eff + A                         (default A = 0)
 *   Ro - Is = 93.2 with every default value
 *   Ie,eff = Ie + (95 - Ie) * Ppl / (Ppl / BurstR + Bpl)
 *   Idd = 25 * ((1 + X^6)^(1/6) - 3 (1 + (X/3)^6)^(1/6) + 2),
 *         X = log2(Ta / 100), for Ta > 100 ms, else 0
 *   (talker echo is taken as fully cancelled: Idte = Idle = 0)
 *   MOS = 1 + 0.035 R + R (R - 60)(100 - R) 7e-6, 0 < R < 100
 *   BurstR = 1 / (p + q), p = P(loss | received before), q = P(received |
 *   lost before): 1 for random loss. */
#include <math.h>
#include <string.h>

#include "rtp-quality.h"

const unsigned rtp_jb_sizes_ms[RTP_JB_SIZES] = { 20, 40, 60 };

/* G.113 Appendix I values; the codecs G.113 gives no value for take the
 * default at the end (see docs). */
static const RtpCodecImpairment impairments[] = {
    { "pcmu", 0, 25.1, true },   /* G.711 with packet loss concealment */
    { "pcma", 0, 25.1, true },
    { "g711u", 0, 25.1, true },
    { "g711a", 0, 25.1, true },
    { "g729", 11, 19.0, true },  /* G.729A + VAD */
    { "g729a", 11, 19.0, true },
    { "g723", 15, 16.1, true },  /* G.723.1 6.3 kbit/s + VAD */
    { "gsm-efr", 5, 10.0, true },
    { "gsm", 20, 10.0, false },  /* GSM full rate: Ie 20 from G.113; Bpl default */
    { "ilbc", 10, 10.0, false }, /* iLBC: no G.113 narrowband value; documented default */
    { "g722", 0, 25.1, false },  /* wideband: rated as G.711 in the narrowband model */
    { "opus", 0, 25.1, false },  /* no G.113 value: rated as G.711 with PLC */
    { NULL, 0, 10.0, false },    /* anything else */
};

const RtpCodecImpairment *
rtp_codec_impairment(const char *encoding)
{
    size_t n = G_N_ELEMENTS(impairments);
    if (encoding == NULL)
        return &impairments[n - 1];
    for (size_t i = 0; i + 1 < n; i++)
        if (g_ascii_strcasecmp(encoding, impairments[i].codec) == 0)
            return &impairments[i];
    return &impairments[n - 1];
}

void
rtp_quality_init(RtpQualityState *q)
{
    memset(q, 0, sizeof *q);
}

void
rtp_quality_packet(RtpQualityState *q, SlTime arrival, uint16_t seq, uint32_t ts,
                   uint32_t clock_rate)
{
    if (!q->started) {
        q->started = true;
        q->last_seq = seq;
        q->received = 1;
        q->first_arrival = arrival;
        q->first_ts = ts;
        return;
    }
    int16_t step = (int16_t)(uint16_t)(seq - q->last_seq);
    if (step <= 0)
        return; /* duplicate or late: neither loss nor a new packet */
    if (step > 1) {
        uint64_t gap = (uint64_t)step - 1;
        q->lost += gap;
        q->bursts++;
        if (gap > q->max_burst)
            q->max_burst = gap;
    }
    q->last_seq = seq;
    q->received++;
    if (clock_rate == 0)
        return;
    /* a fixed buffer of B ms plays packet i at first arrival + B + its
     * media time; it is discarded when it arrives after that */
    double media_ms = (double)(uint32_t)(ts - q->first_ts) * 1000.0 / clock_rate;
    double late_ms = (double)(arrival - q->first_arrival) / SL_TIME_MSEC - media_ms;
    q->timed++;
    for (int i = 0; i < RTP_JB_SIZES; i++)
        if (late_ms > rtp_jb_sizes_ms[i])
            q->late[i]++;
}

double
rtp_emodel_mos(double r)
{
    if (r <= 0)
        return 1.0;
    if (r >= 100)
        return 4.5;
    /* the cubic dips below 1 (to 0.99 near R = 3) for R under about 6.5;
     * MOS-CQE stays in 1 .. 4.5 */
    return MAX(1.0, 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6);
}

double
rtp_emodel_r(double ie, double bpl, double ppl, double burst_r, double ta_ms)
{
    if (burst_r < 1)
        burst_r = 1;
    double ie_eff = ie + (95 - ie) * ppl / (ppl / burst_r + bpl);
    double idd = 0;
    if (ta_ms > 100) {
        double x = log2(ta_ms / 100.0);
        idd = 25 * (pow(1 + pow(x, 6), 1.0 / 6) - 3 * pow(1 + pow(x / 3, 6), 1.0 / 6) + 2);
    }
    double r = 93.2 - idd - ie_eff;
    return r < 0 ? 0 : r;
}

void
rtp_quality_result(const RtpQualityState *q, const char *codec, double packetization_ms,
                   double jitter_ms, double rtt_ms, RtpQuality *out)
{
    memset(out, 0, sizeof *out);
    uint64_t expected = q->received + q->lost;
    out->loss_pct = expected ? 100.0 * (double)q->lost / (double)expected : 0;
    out->max_burst = q->max_burst;
    /* transitions: received -> lost happens once per burst */
    double p = q->received ? (double)q->bursts / (double)q->received : 0;
    double qq = q->lost ? (double)q->bursts / (double)q->lost : 1;
    out->burst_ratio = (p + qq) > 0 ? 1.0 / (p + qq) : 1.0;
    if (out->burst_ratio < 1 || q->lost == 0)
        out->burst_ratio = 1.0;
    for (int i = 0; i < RTP_JB_SIZES; i++)
        out->jb_discard_pct[i] = q->timed ? 100.0 * (double)q->late[i] / (double)q->timed : 0;
    double buffer = MAX(20.0, 2 * jitter_ms);
    out->delay_ms = MAX(0.0, packetization_ms) + buffer + (rtt_ms > 0 ? rtt_ms / 2 : 0);
    const RtpCodecImpairment *imp = rtp_codec_impairment(codec);
    out->r_factor = rtp_emodel_r(imp->ie, imp->bpl, out->loss_pct, out->burst_ratio, out->delay_ms);
    out->mos = rtp_emodel_mos(out->r_factor);
}
