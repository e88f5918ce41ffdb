/* Unit tests: the call list's filter (gui/ui-filter.c), table-driven. */
#include "ui-filter.h"

static const char *const call_ids[] = { "1-8534@10.0.0.10", "b2b-8516-1@10.0.0.20", NULL };
static const char *const addrs[] = { "10.0.0.10:5060", "10.0.0.20:5060", "[2001:db8::1]:5070",
                                     NULL };
static const char *const methods[] = { "INVITE", "ACK", "BYE", NULL };
static const char *const words[] = { "sip:15551230001@10.0.0.50", "SIPp", NULL };

static const UiFilterSubject subject = {
    .caller = "15551110001",
    .caller_display = "Alice Smith",
    .callee = "15551230001",
    .callee_display = NULL,
    .state = "in call",
    .call_ids = call_ids,
    .addrs = addrs,
    .methods = methods,
    .words = words,
};

static const struct {
    const char *filter;
    bool match;
} cases[] = {
    { "", true },
    { "   ", true },
    { "from:1110", true },
    { "from:alice", true },
    { "from:1230", false },      /* the callee's number */
    { "to:1230", true },
    { "to:alice", false },
    { "state:in", true },
    { "state:\"in call\"", true },
    { "STATE:IN", true },        /* keys and values ignore case */
    { "state:call", false },     /* a prefix, not a substring */
    { "state:rejected", false },
    { "callid:b2b-8516", true },
    { "call-id:8534", true },
    { "callid:zzz", false },
    { "ip:10.0.0.10", true },
    { "ip:10.0.0.1", false },    /* an IP is not a prefix of another */
    { "ip:10.0.0.20:5060", true },
    { "ip:10.0.0.20:5061", false },
    { "ip:2001:db8::1", true },
    { "method:invite", true },
    { "method:INV", false },     /* methods are exact */
    { "method:REGISTER", false },
    { "from:1110 to:1230", true },
    { "from:1110 to:9999", false }, /* every word must match */
    { "sipp", true },            /* bare words look everywhere */
    { "alice 10.0.0.20", true },
    { "10.0.0.99", false },
    { "foo:bar", false },        /* an unknown key is a bare word */
    { "from:", true },           /* a key without a value (being typed) is no term */
    { "foo:", false },           /* an unknown key is a bare word */
};

static void
test_table(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(UiFilter) f = ui_filter_parse(cases[i].filter);
        if (ui_filter_match(f, &subject) != cases[i].match)
            g_error("filter \"%s\": expected %s", cases[i].filter,
                    cases[i].match ? "a match" : "no match");
    }
}

static void
test_terms(void)
{
    g_autoptr(UiFilter) f = ui_filter_parse("  from:1001 \"two words\" ip:10.0.0.1  Method:ACK ");
    g_assert_cmpuint(ui_filter_n_terms(f), ==, 4);
    const char *v;
    g_assert_cmpint(ui_filter_term(f, 0, &v), ==, UI_FILTER_FROM);
    g_assert_cmpstr(v, ==, "1001");
    g_assert_cmpint(ui_filter_term(f, 1, &v), ==, UI_FILTER_ANY);
    g_assert_cmpstr(v, ==, "two words");
    g_assert_cmpint(ui_filter_term(f, 2, &v), ==, UI_FILTER_IP);
    g_assert_cmpstr(v, ==, "10.0.0.1");
    g_assert_cmpint(ui_filter_term(f, 3, &v), ==, UI_FILTER_METHOD);
    g_assert_cmpstr(v, ==, "ack");
    g_autoptr(UiFilter) e = ui_filter_parse(NULL);
    g_assert_true(ui_filter_is_empty(e));
}

static void
test_empty_subject(void)
{
    UiFilterSubject none = { 0 };
    g_autoptr(UiFilter) any = ui_filter_parse("x");
    g_assert_false(ui_filter_match(any, &none));
    g_autoptr(UiFilter) all = ui_filter_parse("");
    g_assert_true(ui_filter_match(all, &none));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ui-filter/table", test_table);
    g_test_add_func("/ui-filter/terms", test_terms);
    g_test_add_func("/ui-filter/empty-subject", test_empty_subject);
    return g_test_run();
}
