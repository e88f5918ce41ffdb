/* Unit tests: E-model quality, burst ratio and jitter buffer discards. */
#include <math.h>

#include "rtp-quality.h"

static void
test_emodel_reference_points(void)
{
    /* no impairment at all: the G.107 default R of 93.2, MOS 4.41 */
    g_assert_cmpfloat_with_epsilon(rtp_emodel_r(0, 25.1, 0, 1, 0), 93.2, 1e-9);
    g_assert_cmpfloat_with_epsilon(rtp_emodel_mos(93.2), 4.41, 0.005);
    /* G.729A without loss: R = 93.2 - 11 */
    g_assert_cmpfloat_with_epsilon(rtp_emodel_r(11, 19, 0, 1, 50), 82.2, 1e-9);
    /* G.711, 2 % random loss: Ie,eff = 95 * 2 / (2 + 25.1) = 7.011 */
    g_assert_cmpfloat_with_epsilon(rtp_emodel_r(0, 25.1, 2, 1, 0), 93.2 - 95.0 * 2 / 27.1, 1e-9);
    /* bursty loss hurts more than random loss */
    g_assert_cmpfloat(rtp_emodel_r(0, 25.1, 2, 3, 0), <, rtp_emodel_r(0, 25.1, 2, 1, 0));
    /* delay: nothing below 100 ms, then Idd grows */
    g_assert_cmpfloat_with_epsilon(rtp_emodel_r(0, 25.1, 0, 1, 100), 93.2, 1e-9);
    double r200 = rtp_emodel_r(0, 25.1, 0, 1, 200), r400 = rtp_emodel_r(0, 25.1, 0, 1, 400);
    g_assert_cmpfloat(r200, <, 93.2);
    g_assert_cmpfloat(r400, <, r200);
    /* X = 1 at 200 ms: Idd = 25 ((2)^(1/6) - 3 (1 + 3^-6)^(1/6) + 2) */
    g_assert_cmpfloat_with_epsilon(r200, 93.2 - 25 * (pow(2, 1.0 / 6) - 3 * pow(1 + pow(1.0 / 3, 6), 1.0 / 6) + 2), 1e-9);
    /* MOS bounds */
    g_assert_cmpfloat(rtp_emodel_mos(-5), ==, 1.0);
    g_assert_cmpfloat(rtp_emodel_mos(120), ==, 4.5);
    g_assert_cmpfloat(rtp_emodel_r(0, 1, 100, 1, 0), >=, 0);
}

static void
test_codec_table(void)
{
    const RtpCodecImpairment *g729 = rtp_codec_impairment("G729");
    g_assert_cmpfloat(g729->ie, ==, 11);
    g_assert_true(g729->from_g113);
    g_assert_cmpfloat(rtp_codec_impairment("pcmu")->bpl, ==, 25.1);
    g_assert_false(rtp_codec_impairment("opus")->from_g113);
    const RtpCodecImpairment *unknown = rtp_codec_impairment("x-nothing");
    g_assert_null(unknown->codec);
    g_assert_true(unknown == rtp_codec_impairment(NULL));
}

/* 100 packets of 20 ms at 8 kHz; @drop lists sequence offsets not sent;
 * packet k arrives @extra_ms[k] late. */
static void
feed(RtpQualityState *q, const int *drop, size_t n_drop, int late_index, double late_ms)
{
    rtp_quality_init(q);
    for (int k = 0; k < 100; k++) {
        bool dropped = false;
        for (size_t d = 0; d < n_drop; d++)
            dropped |= drop[d] == k;
        if (dropped)
            continue;
        SlTime arrival = (SlTime)k * 20 * SL_TIME_MSEC;
        if (k == late_index)
            arrival += (SlTime)(late_ms * SL_TIME_MSEC);
        rtp_quality_packet(q, arrival, (uint16_t)(65500 + k), 1000 + (uint32_t)k * 160, 8000);
    }
}

static void
test_loss_and_bursts(void)
{
    RtpQualityState q;
    RtpQuality r;
    feed(&q, NULL, 0, -1, 0);
    rtp_quality_result(&q, "PCMU", 20, 0, -1, &r);
    g_assert_cmpfloat(r.loss_pct, ==, 0);
    g_assert_cmpfloat(r.burst_ratio, ==, 1);
    g_assert_cmpfloat_with_epsilon(r.r_factor, 93.2, 1e-9);
    /* 4 random single losses across the sequence wrap */
    static const int random4[] = { 10, 35, 60, 85 };
    feed(&q, random4, 4, -1, 0);
    rtp_quality_result(&q, "PCMU", 20, 0, -1, &r);
    g_assert_cmpfloat_with_epsilon(r.loss_pct, 4.0, 1e-9);
    g_assert_cmpuint(r.max_burst, ==, 1);
    double random_r = r.r_factor;
    /* the same 4 losses in one burst */
    static const int burst4[] = { 40, 41, 42, 43 };
    feed(&q, burst4, 4, -1, 0);
    rtp_quality_result(&q, "PCMU", 20, 0, -1, &r);
    g_assert_cmpfloat_with_epsilon(r.loss_pct, 4.0, 1e-9);
    g_assert_cmpuint(r.max_burst, ==, 4);
    /* p = 1/96, q = 1/4: BurstR = 1 / (1/96 + 1/4) */
    g_assert_cmpfloat_with_epsilon(r.burst_ratio, 1.0 / (1.0 / 96 + 0.25), 1e-9);
    g_assert_cmpfloat(r.r_factor, <, random_r);
    g_assert_cmpfloat(r.mos, <, rtp_emodel_mos(random_r));
}

static void
test_jitter_buffers(void)
{
    RtpQualityState q;
    RtpQuality r;
    /* one packet 50 ms late: discarded by the 20 and 40 ms buffers only */
    feed(&q, NULL, 0, 50, 50);
    rtp_quality_result(&q, "PCMA", 20, 1, -1, &r);
    g_assert_cmpfloat_with_epsilon(r.jb_discard_pct[0], 100.0 / 99, 1e-9);
    g_assert_cmpfloat_with_epsilon(r.jb_discard_pct[1], 100.0 / 99, 1e-9);
    g_assert_cmpfloat(r.jb_discard_pct[2], ==, 0);
    /* delay assumed: 20 ms frames + 20 ms minimum buffer + RTT/2 */
    rtp_quality_result(&q, "PCMA", 20, 1, 300, &r);
    g_assert_cmpfloat_with_epsilon(r.delay_ms, 190, 1e-9);
    /* duplicates and late packets are not new packets */
    rtp_quality_init(&q);
    rtp_quality_packet(&q, 0, 10, 0, 8000);
    rtp_quality_packet(&q, SL_TIME_MSEC * 20, 11, 160, 8000);
    rtp_quality_packet(&q, SL_TIME_MSEC * 21, 11, 160, 8000);
    rtp_quality_packet(&q, SL_TIME_MSEC * 22, 9, 0, 8000);
    g_assert_cmpuint(q.received, ==, 2);
    g_assert_cmpuint(q.lost, ==, 0);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/quality/emodel", test_emodel_reference_points);
    g_test_add_func("/quality/codecs", test_codec_table);
    g_test_add_func("/quality/loss-bursts", test_loss_and_bursts);
    g_test_add_func("/quality/jitter-buffers", test_jitter_buffers);
    return g_test_run();
}
