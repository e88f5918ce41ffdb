/* Unit tests: common/ byte views, addresses and timestamps. */
#include <string.h>

#include "addr.h"
#include "sltime.h"
#include "status.h"
#include "view.h"

static void
test_binary_reads(void)
{
    static const uint8_t bytes[] = { 0x12, 0x34, 0x56, 0x78, 0x9a };
    SlView v = sl_view_make(bytes, sizeof bytes);
    uint16_t u16;
    uint32_t u32;
    uint8_t u8;
    g_assert_true(sl_view_be16(&v, &u16));
    g_assert_cmphex(u16, ==, 0x1234);
    g_assert_true(sl_view_u8(&v, &u8));
    g_assert_cmphex(u8, ==, 0x56);
    /* too short: false and the view is unchanged */
    g_assert_false(sl_view_be32(&v, &u32));
    g_assert_cmpuint(v.len, ==, 2);
    g_assert_true(sl_view_le16(&v, &u16));
    g_assert_cmphex(u16, ==, 0x9a78);
    g_assert_false(sl_view_u8(&v, &u8));

    SlView w = sl_view_make(bytes, sizeof bytes), sub;
    g_assert_true(sl_view_le32(&w, &u32));
    g_assert_cmphex(u32, ==, 0x78563412);
    w = sl_view_make(bytes, sizeof bytes);
    g_assert_false(sl_view_take(&w, 6, &sub));
    g_assert_true(sl_view_take(&w, 2, &sub));
    g_assert_cmpuint(sub.len, ==, 2);
    g_assert_cmpuint(w.len, ==, 3);
    g_assert_false(sl_view_skip(&w, 4));
    g_assert_true(sl_view_skip(&w, 3));
    g_assert_cmpint(sl_view_at(w, 0), ==, -1);
}

static void
test_lines(void)
{
    SlView v = sl_view_from_str("one\r\ntwo\nthree"), line;
    bool bare = true;
    g_assert_true(sl_view_line(&v, &line, &bare));
    g_assert_true(sl_view_eq_str(line, "one"));
    g_assert_false(bare);
    g_assert_true(sl_view_line(&v, &line, &bare));
    g_assert_true(sl_view_eq_str(line, "two"));
    g_assert_true(bare);
    /* no terminator: false, view kept */
    g_assert_false(sl_view_line(&v, &line, &bare));
    g_assert_true(sl_view_eq_str(v, "three"));
}

static void
test_text(void)
{
    SlView t = sl_view_trim(sl_view_from_str(" \t\r\n abc \r\n"));
    g_assert_true(sl_view_eq_str(t, "abc"));
    g_assert_true(sl_view_ieq_str(sl_view_from_str("Call-ID"), "call-id"));
    g_assert_false(sl_view_ieq_str(sl_view_from_str("Call-ID"), "call-i"));
    g_assert_true(sl_view_ihas_prefix(sl_view_from_str("SIP/2.0 200"), "sip/"));
    size_t pos = 99;
    g_assert_true(sl_view_ifind_str(sl_view_from_str("Upgrade: WebSocket"), "websocket", &pos));
    g_assert_cmpuint(pos, ==, 9);
    g_assert_false(sl_view_ifind_str(sl_view_from_str("Upgrade"), "upgrades", &pos));
    SlView before, after;
    g_assert_true(sl_view_split_u8(sl_view_from_str("a=b=c"), '=', &before, &after));
    g_assert_true(sl_view_eq_str(before, "a"));
    g_assert_true(sl_view_eq_str(after, "b=c"));
    g_assert_false(sl_view_split_u8(sl_view_from_str("abc"), '=', &before, &after));
    g_assert_cmpuint(after.len, ==, 0);
    SlView tok = sl_view_from_str("INVITE sip:x");
    g_assert_true(sl_view_eq_str(sl_view_take_token(&tok), "INVITE"));
    g_assert_true(sl_view_is_token(sl_view_from_str("!interesting-Method0123456789_*+`.%indeed'~")));
    g_assert_false(sl_view_is_token(sl_view_from_str("a b")));
    g_assert_false(sl_view_is_token(sl_view_from_str("")));
    g_assert_cmpuint(sl_view_sub(sl_view_from_str("abc"), 5, 2).len, ==, 0);
    g_assert_true(sl_view_eq_str(sl_view_sub(sl_view_from_str("abcdef"), 2, 100), "cdef"));
}

typedef struct {
    const char *text;
    unsigned max_digits;
    uint64_t max;
    gboolean ok;
    uint64_t value;
} NumCase;

static void
test_numbers(void)
{
    static const NumCase cases[] = {
        { "0", 10, G_MAXUINT32, TRUE, 0 },
        { " 42 ", 10, G_MAXUINT32, TRUE, 42 },
        { "4294967295", 10, G_MAXUINT32, TRUE, 4294967295u },
        { "4294967296", 10, G_MAXUINT32, FALSE, 0 },        /* overflow */
        { "36893488147419103232", 10, G_MAXUINT32, FALSE, 0 }, /* too many digits */
        { "99999999999999999999", 20, G_MAXUINT64, FALSE, 0 }, /* beyond 64 bits */
        { "", 10, G_MAXUINT32, FALSE, 0 },
        { "-999", 10, G_MAXUINT32, FALSE, 0 },
        { "12a", 10, G_MAXUINT32, FALSE, 0 },
        { "65536", 5, 65535, FALSE, 0 },
        { "0065535", 5, 65535, FALSE, 0 },
        { "300", 3, 255, FALSE, 0 },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        uint64_t out = 7;
        gboolean ok = sl_view_parse_uint(sl_view_from_str(cases[i].text), cases[i].max_digits,
                                         cases[i].max, &out);
        g_assert_cmpint(ok, ==, cases[i].ok);
        g_assert_cmpuint(out, ==, ok ? cases[i].value : 7);
    }
}

static void
test_printable(void)
{
    static const char raw[] = { 'a', 0, 'b', '\x01', '\xff', 'c' };
    g_autofree char *s = sl_view_dup_printable(sl_view_make(raw, sizeof raw), 0);
    g_assert_cmpstr(s, ==, "a?b??c");
    g_autofree char *d = sl_view_dup(sl_view_make(raw, 3));
    g_assert_cmpint(memcmp(d, raw, 3), ==, 0);
    g_assert_cmpint(d[3], ==, 0);
    /* valid UTF-8 around runs of invalid bytes, a sequence cut short, and
     * a long run of bad bytes (a hostile header: linear, every byte '?') */
    static const char mixed[] = "\xc3\xa9t\xe9\xff\xc3\xa9\xe2\x82";
    g_autofree char *m = sl_view_dup_printable(sl_view_make(mixed, sizeof mixed - 1), 0);
    g_assert_cmpstr(m, ==, "\xc3\xa9t??\xc3\xa9??");
    g_assert_true(g_utf8_validate(m, -1, NULL));
    size_t n = 1 << 20;
    char *bad = g_malloc(n);
    memset(bad, 0xfe, n);
    memcpy(bad + n / 2, "\xc3\xa9", 2);
    g_autofree char *b = sl_view_dup_printable(sl_view_make(bad, n), 0);
    g_assert_cmpuint(strlen(b), ==, n);
    g_assert_true(g_utf8_validate(b, -1, NULL));
    g_assert_cmpint(b[0], ==, '?');
    g_assert_cmpint(b[n - 1], ==, '?');
    g_assert_cmpint(memcmp(b + n / 2, "\xc3\xa9", 2), ==, 0);
    g_free(bad);
}

static void
test_addresses(void)
{
    SlAddr a, b;
    char buf[SL_ADDR_STRLEN];
    g_assert_true(sl_addr_parse("10.0.0.1:5060", &a));
    g_assert_cmpstr(sl_addr_str(&a, buf), ==, "10.0.0.1:5060");
    g_assert_true(sl_addr_parse("[2001:db8::1]:5061", &b));
    g_assert_cmpstr(sl_addr_str(&b, buf), ==, "[2001:db8::1]:5061");
    g_assert_true(sl_addr_parse("2001:db8::2", &b));
    g_assert_cmpuint(b.port, ==, 0);
    g_assert_false(sl_addr_parse("10.0.0.1:70000", &a));
    g_assert_false(sl_addr_parse("example.com", &a));
    SlAddr c;
    g_assert_true(sl_addr_parse("10.0.0.1:5060", &c));
    g_assert_true(sl_addr_equal(&a, &c));
    g_assert_cmpuint(sl_addr_hash(&a), ==, sl_addr_hash(&c));
    c.port = 5061;
    g_assert_false(sl_addr_equal(&a, &c));
    g_assert_true(sl_addr_ip_equal(&a, &c));
    g_assert_cmpint(sl_addr_compare(&a, &c), <, 0);
}

static void
test_time(void)
{
    char buf[SL_TIME_STRLEN];
    SlTime t = (SlTime)1311857686 * SL_TIME_SECOND + 562096123;
    g_assert_cmpstr(sl_time_format(t, buf), ==, "2011-07-28 12:54:46.562096");
    g_assert_cmpfloat_with_epsilon(sl_time_to_seconds(t), 1311857686.562096123, 1e-6);
}

static void
test_error_first_wins(void)
{
    SlError e = { 0 };
    g_assert_cmpint(sl_error_set(&e, SL_ERR_MALFORMED, 3, "first"), ==, SL_ERR_MALFORMED);
    sl_error_set(&e, SL_ERR_LIMIT, 9, "second");
    g_assert_cmpint(e.status, ==, SL_ERR_MALFORMED);
    g_assert_cmpuint(e.offset, ==, 3);
    g_assert_cmpstr(e.msg, ==, "first");
    g_assert_cmpstr(sl_status_name(SL_ERR_TRUNCATED), ==, "truncated");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/view/binary", test_binary_reads);
    g_test_add_func("/view/lines", test_lines);
    g_test_add_func("/view/text", test_text);
    g_test_add_func("/view/numbers", test_numbers);
    g_test_add_func("/view/printable", test_printable);
    g_test_add_func("/addr/parse-format-compare", test_addresses);
    g_test_add_func("/time/format", test_time);
    g_test_add_func("/status/first-error-wins", test_error_first_wins);
    return g_test_run();
}
