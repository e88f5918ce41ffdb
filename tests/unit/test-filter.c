/* Unit tests: the call filter (correlate/corr-filter.c): the rules,
 * table-driven, then the subject a real call offers. */
#include <string.h>

#include "corr-filter.h"
#include "corr-load.h"

static const char *const call_ids[] = { "1-8534@10.0.0.10", "b2b-8516-1@10.0.0.20", NULL };
static const char *const addrs[] = { "10.0.0.10:5060", "10.0.0.20:5060", "[2001:db8::1]:5070",
                                     NULL };
static const char *const methods[] = { "INVITE", "ACK", "BYE", NULL };
static const char *const words[] = { "sip:15551230001@10.0.0.50", "SIPp", NULL };

static const CorrFilterSubject subject = {
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
        g_autoptr(CorrFilter) f = corr_filter_parse(cases[i].filter);
        if (corr_filter_match(f, &subject) != cases[i].match)
            g_error("filter \"%s\": expected %s", cases[i].filter,
                    cases[i].match ? "a match" : "no match");
    }
}

static void
test_terms(void)
{
    g_autoptr(CorrFilter) f = corr_filter_parse("  from:1001 \"two words\" ip:10.0.0.1  Method:ACK ");
    g_assert_cmpuint(corr_filter_n_terms(f), ==, 4);
    const char *v;
    g_assert_cmpint(corr_filter_term(f, 0, &v), ==, CORR_FILTER_FROM);
    g_assert_cmpstr(v, ==, "1001");
    g_assert_cmpint(corr_filter_term(f, 1, &v), ==, CORR_FILTER_ANY);
    g_assert_cmpstr(v, ==, "two words");
    g_assert_cmpint(corr_filter_term(f, 2, &v), ==, CORR_FILTER_IP);
    g_assert_cmpstr(v, ==, "10.0.0.1");
    g_assert_cmpint(corr_filter_term(f, 3, &v), ==, CORR_FILTER_METHOD);
    g_assert_cmpstr(v, ==, "ack");
    g_autoptr(CorrFilter) e = corr_filter_parse(NULL);
    g_assert_true(corr_filter_is_empty(e));
}

static void
test_empty_subject(void)
{
    CorrFilterSubject none = { 0 };
    g_autoptr(CorrFilter) any = corr_filter_parse("x");
    g_assert_false(corr_filter_match(any, &none));
    g_autoptr(CorrFilter) all = corr_filter_parse("");
    g_assert_true(corr_filter_match(all, &none));
}

static bool
strv_has(char **v, const char *s)
{
    return v && g_strv_contains((const char *const *)v, s);
}

/* The B2BUA sample: what a call offers the filter, and matches. */
static void
test_call(void)
{
    const char *root = g_getenv("SL_SOURCE_DIR");
    g_autofree char *path = g_build_filename(root ? root : ".", "samples", "flow4-b2bua.pcap",
                                             NULL);
    char *files[] = { path, NULL };
    g_autoptr(CorrEngine) e = corr_engine_new(NULL);
    CorrLoadOptions o;
    corr_load_options_init(&o);
    o.engine = e;
    g_autoptr(CorrLoad) l = corr_load_files(files, &o);
    g_assert_true(corr_load_complete(l));
    GPtrArray *calls = corr_engine_calls(e);
    g_assert_cmpuint(calls->len, ==, 1);
    const CorrCall *c = g_ptr_array_index(calls, 0);
    CorrCallTerms t;
    corr_call_terms_init(&t, c);
    /* both legs' Call-IDs, each address once, the methods, the URIs */
    g_assert_cmpuint(g_strv_length(t.call_ids), ==, 2);
    g_assert_true(strv_has(t.call_ids, "b2b-8516-1@10.0.0.20"));
    g_assert_cmpuint(g_strv_length(t.addrs), ==, 3);
    g_assert_true(strv_has(t.addrs, "10.0.0.20:5060"));
    g_assert_true(strv_has(t.methods, "INVITE") && strv_has(t.methods, "ACK") &&
                  strv_has(t.methods, "BYE"));
    g_assert_cmpuint(g_strv_length(t.methods), ==, 3);
    bool uri = false;
    for (guint i = 0; t.words[i]; i++)
        uri = uri || g_str_has_prefix(t.words[i], "sip:15551230001@");
    g_assert_true(uri);
    corr_call_terms_clear(&t);
    g_assert_null(t.call_ids);
    g_autofree char *state = corr_call_filter_state(c);
    g_assert_cmpstr(state, ==, "completed");
    static const struct {
        const char *text;
        bool match;
    } rows[] = {
        { "", true },
        { "from:15551110001 to:15551230001", true },
        { "callid:b2b-8516", true },
        { "ip:10.0.0.20", true },
        { "ip:10.0.0.2", false },
        { "method:bye state:comp", true },
        { "method:REGISTER", false },
        { "state:completed from:nobody", false },
        { "SIPP", true }, /* a User-Agent, any case */
        { "nothing-like-it", false },
    };
    for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
        g_autoptr(CorrFilter) f = corr_filter_parse(rows[i].text);
        g_test_message("%s", rows[i].text);
        g_assert_cmpint(corr_filter_match_call(f, c), ==, rows[i].match);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/corr-filter/table", test_table);
    g_test_add_func("/corr-filter/terms", test_terms);
    g_test_add_func("/corr-filter/empty-subject", test_empty_subject);
    g_test_add_func("/corr-filter/call", test_call);
    return g_test_run();
}
