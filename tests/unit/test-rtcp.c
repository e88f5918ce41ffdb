/* Unit tests: RTCP compound parsing (dissect/rtcp.c). */
#include <string.h>

#include "rtcp.h"

static void
put32(GByteArray *b, uint32_t v)
{
    uint8_t x[4] = { v >> 24, v >> 16, v >> 8, v };
    g_byte_array_append(b, x, 4);
}

static void
put16(GByteArray *b, uint16_t v)
{
    uint8_t x[2] = { v >> 8, v };
    g_byte_array_append(b, x, 2);
}

static void
put8(GByteArray *b, uint8_t v)
{
    g_byte_array_append(b, &v, 1);
}

static void
header(GByteArray *b, unsigned count, uint8_t pt, unsigned words_after)
{
    put8(b, 0x80 | count);
    put8(b, pt);
    put16(b, (uint16_t)words_after);
}

static void
block(GByteArray *b, uint32_t ssrc, uint8_t fraction, int32_t cumulative, uint32_t jitter,
      uint32_t lsr, uint32_t dlsr)
{
    put32(b, ssrc);
    put32(b, ((uint32_t)fraction << 24) | ((uint32_t)cumulative & 0xffffff));
    put32(b, 70000);
    put32(b, jitter);
    put32(b, lsr);
    put32(b, dlsr);
}

/* SR with one block, SDES CNAME, then an XR VoIP metrics block, then BYE. */
static GByteArray *
compound(void)
{
    GByteArray *b = g_byte_array_new();
    header(b, 1, RTCP_SR, 12);
    put32(b, 0x11111111);
    put32(b, 0xE0000000u); /* NTP seconds */
    put32(b, 0x80000000u); /* .5 */
    put32(b, 160000);
    put32(b, 1000);
    put32(b, 160000);
    block(b, 0x22222222, 64, -3, 80, 0x12345678, 0x00010000);
    /* SDES: 1 chunk, CNAME "alice@h" (7) + END + pad to 4 */
    header(b, 1, RTCP_SDES, 4);
    put32(b, 0x11111111);
    put8(b, 1);
    put8(b, 7);
    g_byte_array_append(b, (const uint8_t *)"alice@h", 7);
    put8(b, 0); /* END */
    put8(b, 0); /* padding to 32 bits */
    put8(b, 0);
    /* XR with one VoIP metrics block (BT 7, 8 words) */
    header(b, 0, RTCP_XR, 1 + 1 + 8);
    put32(b, 0x11111111);
    put8(b, 7);
    put8(b, 0);
    put16(b, 8);
    put32(b, 0x22222222);
    put8(b, 12); put8(b, 3); put8(b, 50); put8(b, 2);
    put16(b, 120); put16(b, 900); put16(b, 48); put16(b, 60);
    put8(b, 0xE0); put8(b, 0xB0); put8(b, 127); put8(b, 16);
    put8(b, 82); put8(b, 127); put8(b, 41); put8(b, 42);
    put8(b, 0); put8(b, 0); put16(b, 40); put16(b, 80); put16(b, 120);
    /* BYE with reason "done" */
    header(b, 1, RTCP_BYE, 2);
    put32(b, 0x11111111);
    put8(b, 3);
    g_byte_array_append(b, (const uint8_t *)"don", 3);
    return b;
}

static void
test_compound(void)
{
    g_autoptr(GByteArray) b = compound();
    RtcpCompound c;
    SlError err = { 0 };
    g_assert_cmpint(rtcp_parse(sl_view_make(b->data, b->len), &c, &err), ==, SL_OK);
    g_assert_cmpuint(c.n_packets, ==, 4);
    const RtcpPacket *sr = &c.packets[0];
    g_assert_cmpuint(sr->pt, ==, RTCP_SR);
    g_assert_cmphex(sr->ssrc, ==, 0x11111111);
    g_assert_cmphex(sr->ntp, ==, 0xE000000080000000ull);
    g_assert_cmpuint(sr->sender_packets, ==, 1000);
    g_assert_cmpuint(sr->n_blocks, ==, 1);
    g_assert_cmphex(sr->blocks[0].ssrc, ==, 0x22222222);
    g_assert_cmpuint(sr->blocks[0].fraction_lost, ==, 64);
    g_assert_cmpint(sr->blocks[0].cumulative_lost, ==, -3);
    g_assert_cmpuint(sr->blocks[0].jitter, ==, 80);
    g_assert_true(sl_view_eq_str(c.packets[1].cname, "alice@h"));
    const RtcpPacket *xr = &c.packets[2];
    g_assert_true(xr->has_voip);
    g_assert_cmpuint(xr->voip.loss_rate, ==, 12);
    g_assert_cmpuint(xr->voip.round_trip_delay, ==, 48);
    g_assert_cmpuint(xr->voip.r_factor, ==, 82);
    g_assert_cmpuint(xr->voip.mos_lq, ==, 41);
    g_assert_cmpuint(xr->voip.jb_abs_max, ==, 120);
    g_assert_cmpuint(c.packets[3].pt, ==, RTCP_BYE);
    g_assert_true(sl_view_eq_str(c.packets[3].bye_reason, "don"));
}

static void
test_receiver_report_and_rtt(void)
{
    GByteArray *b = g_byte_array_new();
    header(b, 2, RTCP_RR, 13);
    put32(b, 0xAAAA0001);
    block(b, 1, 0, 0, 10, 0, 0);
    block(b, 2, 255, 0x7fffff, 20, 0x00020000, 0x00008000);
    RtcpCompound c;
    g_assert_cmpint(rtcp_parse(sl_view_make(b->data, b->len), &c, NULL), ==, SL_OK);
    g_assert_cmpuint(c.packets[0].n_blocks, ==, 2);
    g_assert_cmpint(c.packets[0].blocks[1].cumulative_lost, ==, 0x7fffff);
    /* arrival at LSR + DLSR + 0.25 s: RTT 250 ms */
    uint64_t arrival = ((uint64_t)(0x00020000 + 0x00008000 + 0x4000)) << 16;
    g_assert_cmpfloat_with_epsilon(rtcp_rtt_ms(&c.packets[0].blocks[1], arrival), 250.0, 0.01);
    g_assert_cmpfloat(rtcp_rtt_ms(&c.packets[0].blocks[0], arrival), <, 0); /* no LSR */
    g_byte_array_unref(b);
}

static void
test_not_rtcp_and_malformed(void)
{
    RtcpCompound c;
    SlError err = { 0 };
    static const uint8_t rtp[] = { 0x80, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1 };
    g_assert_cmpint(rtcp_parse(sl_view_make(rtp, sizeof rtp), &c, &err), ==, SL_ERR_NOT_MINE);
    static const uint8_t v1[] = { 0x40, 201, 0, 1, 0, 0, 0, 1 };
    g_assert_cmpint(rtcp_parse(sl_view_make(v1, sizeof v1), &c, &err), ==, SL_ERR_NOT_MINE);
    /* a second packet whose length runs past the end: first kept */
    static const uint8_t two[] = { 0x80, 201, 0, 1, 0, 0, 0, 1, 0x80, 202, 0, 9, 0, 0, 0, 1 };
    g_assert_cmpint(rtcp_parse(sl_view_make(two, sizeof two), &c, &err), ==, SL_ERR_MALFORMED);
    g_assert_cmpuint(c.n_packets, ==, 1);
    g_assert_nonnull(err.msg);
    /* an SR that claims a report block it does not carry */
    static const uint8_t short_sr[] = { 0x81, 200, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
                                        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
    SlError e2 = { 0 };
    g_assert_cmpint(rtcp_parse(sl_view_make(short_sr, sizeof short_sr), &c, &e2), ==,
                    SL_ERR_MALFORMED);
}

static void
test_every_prefix(void)
{
    g_autoptr(GByteArray) b = compound();
    for (size_t n = 0; n <= b->len; n++) {
        uint8_t *p = g_memdup2(b->data, n ? n : 1);
        RtcpCompound c;
        SlError err = { 0 };
        SlStatus st = rtcp_parse(sl_view_make(p, n), &c, &err);
        g_assert_true(st == SL_OK || st == SL_ERR_NOT_MINE || st == SL_ERR_MALFORMED);
        for (unsigned i = 0; i < c.n_packets; i++) {
            SlView cn = c.packets[i].cname;
            if (cn.len)
                g_assert_true(cn.p >= p && cn.p + cn.len <= p + n);
        }
        g_free(p);
    }
}

static void
test_ntp(void)
{
    /* 1970-01-01 00:00:00.5 */
    uint64_t ntp = rtcp_ntp_from_ns(500000000);
    g_assert_cmpuint(ntp >> 32, ==, 2208988800u);
    g_assert_cmpuint((uint32_t)ntp, ==, 0x80000000u);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rtcp/compound", test_compound);
    g_test_add_func("/rtcp/rr-and-rtt", test_receiver_report_and_rtt);
    g_test_add_func("/rtcp/not-rtcp-and-malformed", test_not_rtcp_and_malformed);
    g_test_add_func("/rtcp/every-prefix", test_every_prefix);
    g_test_add_func("/rtcp/ntp", test_ntp);
    return g_test_run();
}
