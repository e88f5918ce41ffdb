/* Unit tests: what the capture dialog and the capture tab compute without
 * a display (gui/ui-live.c): capture filters checked by libpcap, HEP
 * listen addresses, the helper's interface lines, the status line. */
#include <string.h>

#include "ui-live.h"

static void
test_filters(void)
{
    static const struct {
        const char *filter;
        bool ok;
    } cases[] = {
        { "", true },
        { NULL, true },
        { "udp port 50999", true },
        { "udp port 5060 or udp portrange 10000-20000", true },
        { "host 10.0.0.1 and (tcp port 5061 or udp)", true },
        { "vlan and udp port 5060", true },
        { "udp port 5099x", false },
        { "udp port", false },
        { "portrange 20000-", false },
        { "host 10.0.0.300", false },
        { "udp and (port 5060", false },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *error = NULL;
        bool ok = ui_live_check_filter(cases[i].filter, &error);
        g_test_message("'%s': %s", cases[i].filter ? cases[i].filter : "(null)",
                       error ? error : "ok");
        g_assert_cmpint(ok, ==, cases[i].ok);
        if (ok)
            g_assert_null(error);
        else
            g_assert_true(error && *error); /* libpcap's words, for the field */
        g_free(error);
    }
    g_assert_true(ui_live_check_filter("udp", NULL));
    g_assert_false(ui_live_check_filter("udp port x", NULL));
}

static void
test_listen(void)
{
    static const struct {
        const char *listen;
        bool ok;
    } cases[] = {
        { "0.0.0.0:9060", true }, { "127.0.0.1:5099", true }, { "[::]:9060", true },
        { "[::1]:9060", true },   { "0.0.0.0", false },       { "0.0.0.0:0", false },
        { "host:9060", false },   { "", false },              { NULL, false },
        { "10.0.0.1:99999", false },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *error = NULL;
        bool ok = ui_live_check_listen(cases[i].listen, &error);
        g_test_message("'%s': %s", cases[i].listen ? cases[i].listen : "(null)",
                       error ? error : "ok");
        g_assert_cmpint(ok, ==, cases[i].ok);
        g_assert_true(ok == (error == NULL));
        g_free(error);
    }
}

static void
test_interfaces(void)
{
    static const struct {
        const char *line;
        bool ok;
        const char *name, *description, *addresses;
        bool up;
    } cases[] = {
        { "lo\t\t127.0.0.1 ::1\tup", true, "lo", "", "127.0.0.1 ::1", true },
        { "any\tPseudo-device that captures on all interfaces\t\tup", true, "any",
          "Pseudo-device that captures on all interfaces", "", true },
        { "ifb0\t\t\tdown", true, "ifb0", "", "", false },
        { "eth0", true, "eth0", "", "", false }, /* fields missing: nothing known */
        { "", false, NULL, NULL, NULL, false },
        { "\tno name\t\tup", false, NULL, NULL, NULL, false },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        UiLiveIface f;
        bool ok = ui_live_iface_parse(cases[i].line, &f);
        g_assert_cmpint(ok, ==, cases[i].ok);
        if (ok) {
            g_assert_cmpstr(f.name, ==, cases[i].name);
            g_assert_cmpstr(f.description, ==, cases[i].description);
            g_assert_cmpstr(f.addresses, ==, cases[i].addresses);
            g_assert_cmpint(f.up, ==, cases[i].up);
        }
        ui_live_iface_clear(&f);
    }
}

static void
test_status(void)
{
    UiLiveStats st = { 0 };
    g_autofree char *a = ui_live_stats_format("lo", &st);
    g_assert_cmpstr(a, ==, "Starting the capture on lo…");
    st.started = st.running = true;
    st.frames = 12;
    st.source.has_kernel = true;
    st.source.kernel_received = 14;
    st.source.kernel_dropped = 0;
    g_autofree char *b = ui_live_stats_format("lo", &st);
    g_assert_cmpstr(b, ==, "Capturing on lo: 12 packets · kernel: 14 received, 0 dropped");
    UiLiveStats h = { .started = true, .frames = 1, .evicted = 3, .keep_calls = 1000 };
    h.source.malformed = 1;
    h.source.queue_dropped = 2;
    g_autofree char *c = ui_live_stats_format("HEP 0.0.0.0:9060", &h);
    g_assert_cmpstr(c, ==,
                    "Captured on HEP 0.0.0.0:9060: 1 packet · 1 malformed HEP packet dropped · 2 "
                    "dropped by sipladder (analysis behind) · 3 finished calls evicted (at most "
                    "1000 kept) · stopped");
    /* the capture file: full at its bound, or not written */
    UiLiveStats f = { .started = true, .running = true, .frames = 40, .saved_frames = 1,
                      .saved_bytes = 900, .file_limit = 2u << 20, .file_full = true };
    g_autofree char *d = ui_live_stats_format("lo", &f);
    g_autofree char *mib = g_format_size_full(2u << 20, G_FORMAT_SIZE_IEC_UNITS);
    g_autofree char *want = g_strdup_printf(
        "Capturing on lo: 40 packets · the capture file is full (%s): the first 1 packet saved",
        mib);
    g_assert_cmpstr(d, ==, want);
    f.file_failed = true;
    f.saved_frames = 0;
    f.running = false;
    g_autofree char *e = ui_live_stats_format("lo", &f);
    g_assert_cmpstr(e, ==,
                    "Captured on lo: 40 packets · the capture file could not be written: 0 "
                    "packets saved · stopped");
}

static void
test_spec(void)
{
    g_autoptr(UiLiveSpec) s = ui_live_spec_new(UI_LIVE_INTERFACE, "lo", "", 10);
    g_assert_null(s->filter); /* empty: none */
    g_autofree char *t = ui_live_spec_title(s);
    g_assert_cmpstr(t, ==, "lo");
    g_autoptr(UiLiveSpec) h = ui_live_spec_new(UI_LIVE_HEP, "0.0.0.0:9060", NULL, 0);
    g_autoptr(UiLiveSpec) copy = ui_live_spec_copy(h);
    g_autofree char *ht = ui_live_spec_title(copy);
    g_assert_cmpstr(ht, ==, "HEP 0.0.0.0:9060");
    g_assert_cmpint(copy->kind, ==, UI_LIVE_HEP);
    g_assert_cmpuint(copy->keep_calls, ==, 0);
    g_assert_cmpuint(copy->file_limit, ==, 0);
    h->file_limit = 5u << 20;
    g_autoptr(UiLiveSpec) copy2 = ui_live_spec_copy(h);
    g_assert_cmpuint(copy2->file_limit, ==, 5u << 20);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ui-live/filters", test_filters);
    g_test_add_func("/ui-live/listen", test_listen);
    g_test_add_func("/ui-live/interfaces", test_interfaces);
    g_test_add_func("/ui-live/status", test_status);
    g_test_add_func("/ui-live/spec", test_spec);
    return g_test_run();
}
