/* Unit tests: RFC 4733 events and SIP INFO DTMF bodies. */
#include "rtp-event.h"

static void
test_event(void)
{
    static const uint8_t five_end[] = { 5, 0x80 | 10, 0x03, 0x20 };
    RtpEvent e;
    g_assert_cmpint(rtp_event_parse(sl_view_make(five_end, 4), &e), ==, SL_OK);
    g_assert_cmpuint(e.event, ==, 5);
    g_assert_true(e.end);
    g_assert_cmpuint(e.volume, ==, 10);
    g_assert_cmpuint(e.duration, ==, 800);
    g_assert_cmpint(rtp_event_parse(sl_view_make(five_end, 3), &e), ==, SL_ERR_MALFORMED);
    g_assert_cmpint(rtp_event_char(0), ==, '0');
    g_assert_cmpint(rtp_event_char(10), ==, '*');
    g_assert_cmpint(rtp_event_char(11), ==, '#');
    g_assert_cmpint(rtp_event_char(15), ==, 'D');
    g_assert_cmpint(rtp_event_char(200), ==, '?');
}

static void
test_info(void)
{
    unsigned ms = 99;
    SlView relay = sl_view_from_str("application/dtmf-relay");
    g_assert_cmpint(sip_info_dtmf(relay, sl_view_from_str("Signal=7\r\nDuration=160\r\n"), &ms), ==, '7');
    g_assert_cmpuint(ms, ==, 160);
    g_assert_cmpint(sip_info_dtmf(relay, sl_view_from_str("Signal= #\nDuration= 250"), &ms), ==, '#');
    g_assert_cmpuint(ms, ==, 250);
    g_assert_cmpint(sip_info_dtmf(relay, sl_view_from_str("Signal=77\r\n"), &ms), ==, 0);
    g_assert_cmpint(sip_info_dtmf(sl_view_from_str("application/dtmf"), sl_view_from_str("b\r\n"), &ms), ==, 'B');
    g_assert_cmpint(sip_info_dtmf(sl_view_from_str("text/plain"), sl_view_from_str("5"), &ms), ==, 0);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rtp-event/rfc4733", test_event);
    g_test_add_func("/rtp-event/sip-info", test_info);
    return g_test_run();
}
