/* GUI tests (suite gui, under xvfb-run): live capture through the capture
 * dialog and the capture tab, as the user drives them. The test sends its
 * own SIP: over UDP on loopback to a capture of `lo` (through the capture
 * helper, $SIPLADDER_CAPTURE), and as HEPv3 datagrams to a HEP listener.
 * Without the capture privileges, the capture on lo must fail with the
 * setcap advice in the error bar. Without a display: skipped (exit 77). */
#include <arpa/inet.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cap-hep.h"
#include "gui-test.h"
#include "ui-app.h"
#include "ui-capture-dialog.h"
#include "ui-load.h"
#include "ui-window.h"

static UiApp *app;
static const char *shots_dir;
static char *tmp_dir;

/* The port the capture filter lets through, and the SIP server's. */
#define SIP_PORT 50999

static gboolean
started_or_loaded(gpointer c)
{
    UiLiveStats st;
    ui_capture_get_live_stats(c, &st);
    return st.started || ui_capture_is_loaded(c);
}

static gboolean
saved_or_failed(gpointer w)
{
    const char *m = ui_window_get_message(w);
    return m && (g_str_has_prefix(m, "Saved ") || strstr(m, "annot"));
}

/* Clears the error bar (an information replaces what it shows). */
static void
reset_message(UiWindow *w)
{
    ui_window_show_message(w, GTK_MESSAGE_INFO, "-");
}

/* The capture dialog that capture-start opened, with its interfaces listed. */
static gboolean
dialog_listed(gpointer d)
{
    return ui_capture_dialog_get_interfaces(d) != NULL;
}

static UiCaptureDialog *
open_dialog(UiWindow *w)
{
    g_action_group_activate_action(G_ACTION_GROUP(w), "capture-start", NULL);
    UiCaptureDialog *d = NULL;
    for (GList *it = gtk_application_get_windows(GTK_APPLICATION(app)); it; it = it->next)
        if (UI_IS_CAPTURE_DIALOG(it->data))
            d = it->data;
    g_assert_nonnull(d);
    g_assert_true(gtk_window_get_transient_for(GTK_WINDOW(d)) == GTK_WINDOW(w));
    gui_test_wait_until(dialog_listed, d);
    return d;
}

/* ------------------------------------------------------------ SIP */

/* One SIP message of the test's dialogs between @a and @b ("ip:port"):
 * a request from a (@code 0) or a response from b. */
static char *
sip_text(const char *method, unsigned cseq, unsigned code, const char *reason,
         const char *branch, const char *call_id, const char *a, const char *b, bool to_tag)
{
    GString *s = g_string_new(NULL);
    if (code == 0)
        g_string_append_printf(s, "%s sip:bob@%s SIP/2.0\r\n", method, b);
    else
        g_string_append_printf(s, "SIP/2.0 %u %s\r\n", code, reason);
    g_string_append_printf(s,
                           "Via: SIP/2.0/UDP %s;branch=z9hG4bK-%s\r\n"
                           "Max-Forwards: 70\r\n"
                           "From: \"Alice\" <sip:alice@%s>;tag=a-%s\r\n"
                           "To: <sip:bob@%s>%s%s\r\n"
                           "Call-ID: %s\r\n"
                           "CSeq: %u %s\r\n"
                           "Contact: <sip:%s@%s>\r\n"
                           "User-Agent: sipladder-gui-test\r\n"
                           "Content-Length: 0\r\n\r\n",
                           a, branch, a, call_id, b, to_tag ? ";tag=b-" : "",
                           to_tag ? call_id : "", call_id, cseq, method,
                           code ? "bob" : "alice", code ? b : a);
    return g_string_free(s, FALSE);
}

typedef struct {
    char *text;
    bool from_a; /* else from b */
} SipStep;

static void
steps_free(gpointer p)
{
    SipStep *s = p;
    g_free(s->text);
    g_free(s);
}

static void
add_step(GPtrArray *steps, char *text, bool from_a)
{
    SipStep *s = g_new0(SipStep, 1);
    s->text = text;
    s->from_a = from_a;
    g_ptr_array_add(steps, s);
}

/* A call from a to b: INVITE, 100, 180, 200, ACK, BYE, 200 (7 messages). */
static void
add_call(GPtrArray *steps, const char *id, const char *a, const char *b)
{
    g_autofree char *br1 = g_strdup_printf("%s-1", id);
    g_autofree char *br2 = g_strdup_printf("%s-2", id);
    g_autofree char *br3 = g_strdup_printf("%s-3", id);
    add_step(steps, sip_text("INVITE", 1, 0, NULL, br1, id, a, b, false), true);
    add_step(steps, sip_text("INVITE", 1, 100, "Trying", br1, id, a, b, false), false);
    add_step(steps, sip_text("INVITE", 1, 180, "Ringing", br1, id, a, b, true), false);
    add_step(steps, sip_text("INVITE", 1, 200, "OK", br1, id, a, b, true), false);
    add_step(steps, sip_text("ACK", 1, 0, NULL, br2, id, a, b, true), true);
    add_step(steps, sip_text("BYE", 2, 0, NULL, br3, id, a, b, true), true);
    add_step(steps, sip_text("BYE", 2, 200, "OK", br3, id, a, b, true), false);
}

/* OPTIONS and its 200 (2 messages). */
static void
add_options(GPtrArray *steps, const char *id, const char *a, const char *b)
{
    g_autofree char *br = g_strdup_printf("%s-1", id);
    add_step(steps, sip_text("OPTIONS", 1, 0, NULL, br, id, a, b, false), true);
    add_step(steps, sip_text("OPTIONS", 1, 200, "OK", br, id, a, b, true), false);
}

static int
udp_socket(guint16 port, struct sockaddr_in *out)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    g_assert_cmpint(fd, >=, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    socklen_t len = sizeof *out;
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)out, &len), ==, 0);
    return fd;
}

/* A UDP port on 127.0.0.1 free a moment ago. */
static guint16
free_port(void)
{
    struct sockaddr_in sa;
    int fd = udp_socket(0, &sa);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    return ntohs(sa.sin_port);
}

static void
send_to(int fd, const struct sockaddr_in *to, const void *data, size_t len)
{
    g_assert_cmpint(sendto(fd, data, len, 0, (const struct sockaddr *)to, sizeof *to), ==,
                    (ssize_t)len);
}

/* ------------------------------------------------------------ interface */

typedef struct {
    UiCapture *c;
    guint calls, other, msgs;
    uint64_t frames;
} Want;

/* The lists hold what @want says, the call with all its messages, and
 * the figures count every packet. */
static gboolean
rows_arrived(gpointer data)
{
    Want *w = data;
    if (ui_capture_count_rows(w->c, TRUE) != w->calls ||
        ui_capture_count_rows(w->c, FALSE) != w->other)
        return FALSE;
    const UiCallRow *r = ui_capture_get_row(w->c, TRUE, 0);
    UiLiveStats st;
    ui_capture_get_live_stats(w->c, &st);
    return r && r->msgs == w->msgs && st.frames == w->frames;
}

static gboolean
kernel_shown(gpointer c)
{
    UiLiveStats st;
    ui_capture_get_live_stats(c, &st);
    return st.source.has_kernel && strstr(ui_capture_get_live_status(c), "kernel: ") != NULL;
}

/* Loads @path with the core loader: messages and entries of each kind. */
static void
load_saved(const char *path, guint *messages, guint *calls, guint *other, SlTime *first)
{
    char *files[] = { (char *)path, NULL };
    g_autoptr(CorrEngine) e = corr_engine_new(NULL);
    CorrLoadOptions o;
    corr_load_options_init(&o);
    o.engine = e;
    g_autoptr(CorrLoad) ld = corr_load_files(files, &o);
    g_assert_true(corr_load_complete(ld));
    GPtrArray *msgs = corr_engine_messages(e);
    *messages = msgs->len;
    if (first && msgs->len)
        *first = ((CorrMsg *)g_ptr_array_index(msgs, 0))->ts;
    *calls = *other = 0;
    GPtrArray *all = corr_engine_calls(e);
    for (guint i = 0; i < all->len; i++) {
        const CorrCall *c = g_ptr_array_index(all, i);
        if (c->dead)
            continue;
        if (c->kind == CORR_KIND_CALL)
            (*calls)++;
        else
            (*other)++;
    }
}

static void
test_interface(void)
{
    UiWindow *w = gui_test_new_window(app);
    g_assert_false(g_action_group_get_action_enabled(G_ACTION_GROUP(w), "capture-stop"));
    UiCaptureDialog *d = open_dialog(w);
    /* lo is listed, up, with its address */
    GPtrArray *ifaces = ui_capture_dialog_get_interfaces(d);
    const UiLiveIface *lo = NULL;
    for (guint i = 0; i < ifaces->len; i++)
        if (g_strcmp0(((UiLiveIface *)g_ptr_array_index(ifaces, i))->name, "lo") == 0)
            lo = g_ptr_array_index(ifaces, i);
    g_assert_nonnull(lo);
    g_assert_true(lo->up);
    g_assert_nonnull(strstr(lo->addresses, "127.0.0.1"));
    g_assert_true(ui_capture_dialog_select_interface(d, "lo"));
    g_assert_false(ui_capture_dialog_select_interface(d, "nosuch0"));
    /* the filter is checked as it is typed */
    ui_capture_dialog_set_filter(d, "udp port 5099x");
    g_assert_nonnull(ui_capture_dialog_get_filter_error(d));
    g_assert_false(ui_capture_dialog_can_start(d));
    g_assert_null(ui_capture_dialog_get_spec(d));
    if (shots_dir) {
        g_autofree char *png = g_strdup_printf("%s/capture-dialog.png", shots_dir);
        gui_test_save_png(GTK_WIDGET(d), png);
    }
    g_autofree char *filter = g_strdup_printf("udp port %u", SIP_PORT);
    ui_capture_dialog_set_filter(d, filter);
    g_assert_null(ui_capture_dialog_get_filter_error(d));
    g_assert_true(ui_capture_dialog_can_start(d));
    gtk_dialog_response(GTK_DIALOG(d), GTK_RESPONSE_ACCEPT); /* Start */
    g_assert_cmpuint(ui_window_count_captures(w), ==, 1);
    UiCapture *c = g_object_ref(ui_window_get_capture(w));
    g_assert_true(ui_capture_is_live(c));
    g_assert_cmpstr(ui_capture_get_title(c), ==, "lo");
    gui_test_wait_until(started_or_loaded, c);
    if (ui_capture_is_loaded(c)) {
        /* no capture privileges here: the error bar says how to grant them */
        const char *msg = ui_window_get_message(w);
        g_assert_nonnull(msg);
        g_test_message("no capture on lo: %s", msg);
        g_assert_nonnull(strstr(msg, "setcap cap_net_raw,cap_net_admin+eip"));
        g_assert_cmpuint(ui_window_count_captures(w), ==, 0);
        g_object_unref(c);
        gtk_widget_destroy(GTK_WIDGET(w));
        return;
    }
    g_assert_true(ui_capture_is_capturing(c));
    g_assert_true(g_action_group_get_action_enabled(G_ACTION_GROUP(w), "capture-stop"));

    /* an OPTIONS and a call, from an ephemeral port to the server's */
    struct sockaddr_in sa, sb;
    int fa = udp_socket(0, &sa), fb = udp_socket(SIP_PORT, &sb);
    g_assert_cmpint(fa, >=, 0);
    if (fb < 0)
        g_error("UDP port %u on 127.0.0.1 is in use", SIP_PORT);
    g_autofree char *a = g_strdup_printf("127.0.0.1:%u", ntohs(sa.sin_port));
    g_autofree char *b = g_strdup_printf("127.0.0.1:%u", SIP_PORT);
    g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func(steps_free);
    add_options(steps, "gui-options-1", a, b);
    add_call(steps, "gui-call-1", a, b);
    gint64 t0 = g_get_monotonic_time();
    for (guint i = 0; i < steps->len; i++) {
        const SipStep *s = g_ptr_array_index(steps, i);
        send_to(s->from_a ? fa : fb, s->from_a ? &sb : &sa, s->text, strlen(s->text));
    }
    /* the call appears, with its 7 messages, within a couple of seconds */
    Want want = { c, 1, 1, 7, 9 };
    gui_test_wait_until_for(rows_arrived, &want, 10);
    double took = (double)(g_get_monotonic_time() - t0) / G_USEC_PER_SEC;
    g_test_message("rows and figures after %.2f s", took);
    g_assert_cmpfloat(took, <, 3.0);
    const UiCallRow *row = ui_capture_get_row(c, TRUE, 0);
    g_assert_cmpstr(row->caller, ==, "alice");
    g_assert_cmpstr(row->callee, ==, "bob");
    const char *status = ui_capture_get_live_status(c);
    g_test_message("%s", status);
    g_assert_true(g_str_has_prefix(status, "Capturing on lo: 9 packets"));
    /* the kernel's figures (the helper reports them every second) show on
     * the quiet line too */
    gui_test_wait_until_for(kernel_shown, c, 5);
    status = ui_capture_get_live_status(c);
    g_test_message("%s", status);
    g_assert_true(g_str_has_prefix(status, "Capturing on lo: 9 packets · kernel: "));
    if (shots_dir) {
        gui_test_wait_until(gui_test_no_pending_events, NULL);
        g_autofree char *png = g_strdup_printf("%s/live-capture.png", shots_dir);
        gui_test_save_png(GTK_WIDGET(w), png);
    }
    /* a call activated while capturing opens when the capture stops */
    reset_message(w);
    g_assert_true(ui_capture_activate_row(c, TRUE, 0));
    g_assert_nonnull(strstr(ui_window_get_message(w), "when the capture stops"));
    /* packets captured so far can be saved while the capture runs */
    g_autofree char *early = g_build_filename(tmp_dir, "early.pcap", NULL);
    reset_message(w);
    g_action_group_activate_action(G_ACTION_GROUP(w), "capture-save-to",
                                   g_variant_new_string(early));
    gui_test_wait_until(saved_or_failed, w);
    g_assert_cmpstr(ui_window_get_message(w), ==, "Saved 9 packets.");

    /* Stop: the tab behaves like a loaded file */
    g_action_group_activate_action(G_ACTION_GROUP(w), "capture-stop", NULL);
    gui_test_wait_until(gui_test_is_loaded, c);
    g_assert_false(ui_capture_is_capturing(c));
    g_assert_false(g_action_group_get_action_enabled(G_ACTION_GROUP(w), "capture-stop"));
    g_assert_cmpuint(ui_window_count_captures(w), ==, 1);
    g_assert_cmpuint(ui_capture_count_rows(c, TRUE), ==, 1);
    g_assert_cmpuint(ui_capture_count_rows(c, FALSE), ==, 1);
    /* ids in start order over both lists: the OPTIONS came first */
    g_assert_cmpuint(ui_capture_get_row(c, FALSE, 0)->id, ==, 1);
    g_assert_cmpuint(ui_capture_get_row(c, TRUE, 0)->id, ==, 2);
    g_assert_cmpuint(ui_capture_get_open_call(c), ==, 2); /* the one activated */
    const LadderLayout *l = ui_ladder_view_get_layout(ui_capture_get_ladder_view(c));
    g_assert_nonnull(l);
    g_assert_cmpuint(l->arrows->len, ==, 7);
    g_autofree char *raw = ui_capture_get_message_text(c, TRUE);
    g_assert_true(g_str_has_prefix(raw, "INVITE sip:bob@127.0.0.1:50999 SIP/2.0"));
    status = ui_capture_get_live_status(c);
    g_test_message("%s", status);
    /* the helper's last figures from pcap_stats (it reports every second) */
    g_assert_true(g_str_has_prefix(status, "Captured on lo: 9 packets · kernel: "));
    g_assert_nonnull(strstr(status, " received, 0 dropped"));
    g_assert_true(g_str_has_suffix(status, "stopped"));
    if (shots_dir) {
        gui_test_wait_until(gui_test_no_pending_events, NULL);
        g_autofree char *png = g_strdup_printf("%s/live-capture-stopped.png", shots_dir);
        gui_test_save_png(GTK_WIDGET(w), png);
    }
    /* Save keeps every packet; the core loader reads them back */
    g_autofree char *out = g_build_filename(tmp_dir, "live.pcap", NULL);
    reset_message(w);
    g_action_group_activate_action(G_ACTION_GROUP(w), "capture-save-to",
                                   g_variant_new_string(out));
    gui_test_wait_until(saved_or_failed, w);
    g_assert_cmpstr(ui_window_get_message(w), ==, "Saved 9 packets.");
    guint messages, calls, other;
    load_saved(out, &messages, &calls, &other, NULL);
    g_assert_cmpuint(messages, ==, 9);
    g_assert_cmpuint(calls, ==, 1);
    g_assert_cmpuint(other, ==, 1);
    load_saved(early, &messages, &calls, &other, NULL);
    g_assert_cmpuint(messages, ==, 9);
    /* saving the open call takes its frames from the capture file */
    g_autofree char *one = g_build_filename(tmp_dir, "call.pcap", NULL);
    reset_message(w);
    g_action_group_activate_action(G_ACTION_GROUP(w), "save-pcap-to", g_variant_new_string(one));
    gui_test_wait_until(saved_or_failed, w);
    g_assert_cmpstr(ui_window_get_message(w), ==, "Saved 7 frames.");
    load_saved(one, &messages, &calls, &other, NULL);
    g_assert_cmpuint(messages, ==, 7);
    g_assert_cmpuint(calls, ==, 1);
    g_assert_cmpuint(other, ==, 0);
    /* the capture file goes with the tab */
    g_autofree char *scratch = g_strdup(ui_capture_get_path(c));
    g_assert_true(g_file_test(scratch, G_FILE_TEST_EXISTS));
    g_object_unref(c);
    gtk_widget_destroy(GTK_WIDGET(w));
    gui_test_wait_until(gui_test_no_pending_events, NULL);
    g_assert_false(g_file_test(scratch, G_FILE_TEST_EXISTS));
    close(fa);
    close(fb);
    g_unlink(out);
    g_unlink(early);
    g_unlink(one);
}

/* ------------------------------------------------------------ HEP */

/* Sends @n calls of 7 messages each as HEP to 127.0.0.1:@port, 100 s
 * apart from @t0 in the time HEP carries; returns the socket sent from. */
static int
send_hep_calls(guint16 port, guint n, SlTime t0)
{
    struct sockaddr_in sa, to = { .sin_family = AF_INET, .sin_port = htons(port) };
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = udp_socket(0, &sa);
    for (guint k = 0; k < n; k++) {
        g_autofree char *id = g_strdup_printf("gui-hep-%u", k + 1);
        g_autofree char *a = g_strdup_printf("10.0.%u.1:5060", k);
        g_autofree char *b = g_strdup_printf("10.0.%u.2:5060", k);
        g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func(steps_free);
        add_call(steps, id, a, b);
        for (guint i = 0; i < steps->len; i++) {
            const SipStep *s = g_ptr_array_index(steps, i);
            CapHep h = { .version = 3, .ip_proto = 17, .has_ts = true, .capture_id = 7,
                         .payload_type = CAP_HEP_TYPE_SIP };
            g_assert_true(sl_addr_parse(s->from_a ? a : b, &h.src));
            g_assert_true(sl_addr_parse(s->from_a ? b : a, &h.dst));
            h.ts = t0 + k * 100 * SL_TIME_SECOND + i * 10 * SL_TIME_MSEC;
            h.payload = sl_view_make(s->text, strlen(s->text));
            g_autoptr(GBytes) bytes = cap_hep_encode(&h);
            gsize len;
            const void *data = g_bytes_get_data(bytes, &len);
            send_to(fd, &to, data, len);
        }
    }
    return fd;
}

static gboolean
hep_arrived(gpointer data)
{
    UiCapture *c = data;
    UiLiveStats st;
    ui_capture_get_live_stats(c, &st);
    return st.frames == 21 && st.source.malformed == 1 && st.evicted == 1 &&
           ui_capture_count_rows(c, TRUE) == 3;
}

static void
test_hep(void)
{
    /* at most one finished call in memory: the first of three goes */
    UiPrefs keep1 = *ui_app_get_prefs(app);
    keep1.aliases_file = NULL;
    keep1.keep_calls = 1;
    ui_app_set_prefs(app, &keep1);
    UiWindow *w = gui_test_new_window(app);
    UiCaptureDialog *d = open_dialog(w);
    guint16 port = free_port();
    g_autofree char *listen = g_strdup_printf("127.0.0.1:%u", port);
    ui_capture_dialog_set_hep(d, "127.0.0.1");
    g_assert_false(ui_capture_dialog_can_start(d)); /* no port */
    ui_capture_dialog_set_filter(d, "udp port 5099x"); /* not used by HEP */
    ui_capture_dialog_set_hep(d, listen);
    g_assert_true(ui_capture_dialog_can_start(d));
    g_autoptr(UiLiveSpec) chosen = ui_capture_dialog_get_spec(d);
    g_assert_cmpuint(chosen->keep_calls, ==, 1);
    g_assert_cmpuint(chosen->file_limit, ==, (uint64_t)UI_LIVE_FILE_MIB << 20); /* from the prefs */
    gtk_dialog_response(GTK_DIALOG(d), GTK_RESPONSE_ACCEPT);
    UiCapture *c = g_object_ref(ui_window_get_capture(w));
    g_autofree char *title = g_strdup_printf("HEP %s", listen);
    g_assert_cmpstr(ui_capture_get_title(c), ==, title);
    gui_test_wait_until(started_or_loaded, c);
    g_assert_false(ui_capture_is_loaded(c)); /* HEP needs no privileges */

    /* three calls, 100 s apart in the time HEP carries, and then one
     * datagram that is no HEP (counted on the quiet line) */
    SlTime t0 = sl_time_from_parts(1795615645, 0); /* 2026-11-25 14:07:25 */
    int fd = send_hep_calls(port, 3, t0);
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    static const char junk[] = "HEP3 this is not a HEP packet";
    send_to(fd, &to, junk, sizeof junk - 1);
    gui_test_wait_until_for(hep_arrived, c, 10);
    const char *status = ui_capture_get_live_status(c);
    g_test_message("%s", status);
    g_assert_nonnull(strstr(status, ": 21 packets"));
    g_assert_nonnull(strstr(status, "1 malformed HEP packet dropped"));
    g_assert_nonnull(strstr(status, "1 finished call evicted (at most 1 kept)"));
    /* the first call's row stays, greyed: its ladder is gone */
    const UiCallRow *first = NULL;
    guint evicted = 0;
    for (guint i = 0; i < 3; i++) {
        const UiCallRow *r = ui_capture_get_row(c, TRUE, i);
        if (r->evicted) {
            evicted++;
            first = r;
        }
    }
    g_assert_cmpuint(evicted, ==, 1);
    g_assert_cmpuint(first->id, ==, 1);
    g_assert_cmpstr(first->state, ==, "completed");
    g_assert_cmpuint(first->msgs, ==, 7);
    if (shots_dir) {
        gui_test_wait_until(gui_test_no_pending_events, NULL);
        g_autofree char *png = g_strdup_printf("%s/live-hep.png", shots_dir);
        gui_test_save_png(GTK_WIDGET(w), png);
    }
    g_action_group_activate_action(G_ACTION_GROUP(w), "capture-stop", NULL);
    gui_test_wait_until(gui_test_is_loaded, c);
    /* the port is free again at once */
    struct sockaddr_in again;
    int rebound = udp_socket(port, &again);
    g_assert_cmpint(rebound, >=, 0);
    close(rebound);
    /* ids: the evicted call took 1, the others follow */
    g_assert_cmpuint(ui_capture_count_rows(c, TRUE), ==, 3);
    for (guint i = 0; i < 3; i++) {
        const UiCallRow *r = ui_capture_get_row(c, TRUE, i);
        g_assert_cmpuint(r->id, ==, i + 1);
        g_assert_cmpint(r->evicted, ==, i == 0);
    }
    g_assert_false(ui_capture_open_call(c, 1));
    reset_message(w);
    g_assert_true(ui_capture_activate_row(c, TRUE, 0));
    g_assert_nonnull(strstr(ui_window_get_message(w), "Call 1 was evicted from memory"));
    g_assert_true(ui_capture_open_call(c, 3));
    const LadderLayout *l = ui_ladder_view_get_layout(ui_capture_get_ladder_view(c));
    g_assert_cmpuint(l->arrows->len, ==, 7);
    /* the saved capture holds every packet, at the times HEP carried */
    g_autofree char *out = g_build_filename(tmp_dir, "hep.pcap", NULL);
    reset_message(w);
    g_action_group_activate_action(G_ACTION_GROUP(w), "capture-save-to",
                                   g_variant_new_string(out));
    gui_test_wait_until(saved_or_failed, w);
    g_assert_cmpstr(ui_window_get_message(w), ==, "Saved 21 packets.");
    guint messages, calls, other;
    SlTime first_ts = 0;
    load_saved(out, &messages, &calls, &other, &first_ts);
    g_assert_cmpuint(messages, ==, 21);
    g_assert_cmpuint(calls, ==, 3);
    g_assert_cmpint(first_ts, ==, t0);
    close(fd);
    g_object_unref(c);
    gtk_widget_destroy(GTK_WIDGET(w));
    g_unlink(out);
    UiPrefs back = keep1;
    back.keep_calls = UI_LIVE_KEEP_CALLS;
    ui_app_set_prefs(app, &back);
}

/* ------------------------------------------------------------ errors */

/* Starts @spec in @w and waits for its tab to go; returns the error bar. */
static const char *
start_and_fail(UiWindow *w, UiLiveKind kind, const char *name)
{
    reset_message(w);
    g_autoptr(UiLiveSpec) spec = ui_live_spec_new(kind, name, NULL, 10);
    UiCapture *c = g_object_ref(ui_window_start_capture(w, spec));
    gui_test_wait_until(gui_test_is_loaded, c);
    g_object_unref(c);
    g_assert_cmpuint(ui_window_count_captures(w), ==, 0); /* its tab went */
    const char *msg = ui_window_get_message(w);
    g_assert_nonnull(msg);
    g_test_message("%s", msg);
    return msg;
}

static void
test_errors(void)
{
    UiWindow *w = gui_test_new_window(app);
    /* a port in use */
    struct sockaddr_in sa;
    int busy = udp_socket(0, &sa);
    g_autofree char *listen = g_strdup_printf("127.0.0.1:%u", ntohs(sa.sin_port));
    const char *msg = start_and_fail(w, UI_LIVE_HEP, listen);
    g_assert_nonnull(strstr(msg, "cannot listen for HEP on"));
    g_assert_nonnull(strstr(msg, "in use"));
    close(busy);
    /* no such interface (the helper says so, with or without privileges) */
    msg = start_and_fail(w, UI_LIVE_INTERFACE, "nosuch0");
    g_assert_nonnull(strstr(msg, "nosuch0"));
    /* the helper missing: said when capturing and when listing */
    g_autofree char *helper = g_strdup(g_getenv("SIPLADDER_CAPTURE"));
    g_setenv("SIPLADDER_CAPTURE", "/nonexistent/sipladder-capture", TRUE);
    msg = start_and_fail(w, UI_LIVE_INTERFACE, "lo");
    g_assert_nonnull(strstr(msg, "capture helper sipladder-capture was not found"));
    UiCaptureDialog *d = open_dialog(w);
    g_assert_cmpuint(ui_capture_dialog_get_interfaces(d)->len, ==, 0);
    g_assert_false(ui_capture_dialog_can_start(d));
    ui_capture_dialog_set_hep(d, "127.0.0.1:9060"); /* HEP still works */
    g_assert_true(ui_capture_dialog_can_start(d));
    gtk_widget_destroy(GTK_WIDGET(d));
    /* no capture privileges: as root, a helper run without CAP_NET_RAW */
    g_autofree char *real = helper ? g_strdup(helper) : NULL;
    if (!real) {
        g_unsetenv("SIPLADDER_CAPTURE");
        real = cap_capture_helper_path();
    }
    g_assert_nonnull(real);
    g_autofree char *setpriv = g_find_program_in_path("setpriv");
    if (geteuid() == 0 && setpriv) {
        g_autofree char *wrapper = g_build_filename(tmp_dir, "unprivileged-capture", NULL);
        g_autofree char *script = g_strdup_printf(
            "#!/bin/sh\nexec %s --inh-caps=-all --bounding-set=-net_raw,-net_admin %s \"$@\"\n",
            setpriv, real);
        g_assert_true(g_file_set_contents(wrapper, script, -1, NULL));
        g_assert_cmpint(g_chmod(wrapper, 0755), ==, 0);
        g_setenv("SIPLADDER_CAPTURE", wrapper, TRUE);
        msg = start_and_fail(w, UI_LIVE_INTERFACE, "lo");
        g_assert_nonnull(strstr(msg, "permission denied"));
        g_assert_nonnull(strstr(msg, "setcap cap_net_raw,cap_net_admin+eip"));
        g_unlink(wrapper);
    } else {
        g_test_message("not root or no setpriv: the capture on lo shows the privilege "
                       "case (test /gui/capture/interface)");
    }
    if (helper)
        g_setenv("SIPLADDER_CAPTURE", helper, TRUE);
    else
        g_unsetenv("SIPLADDER_CAPTURE");
    gtk_widget_destroy(GTK_WIDGET(w));
}

/* A tab closed while it captures goes at once; the capture ends. */
static void
test_close_while_capturing(void)
{
    UiWindow *w = gui_test_new_window(app);
    g_autofree char *listen = g_strdup_printf("127.0.0.1:%u", free_port());
    g_autoptr(UiLiveSpec) spec = ui_live_spec_new(UI_LIVE_HEP, listen, NULL, 10);
    UiCapture *c = g_object_ref(ui_window_start_capture(w, spec));
    gui_test_wait_until(started_or_loaded, c);
    g_assert_true(ui_capture_is_capturing(c));
    g_action_group_activate_action(G_ACTION_GROUP(w), "close", NULL);
    g_assert_cmpuint(ui_window_count_captures(w), ==, 0);
    g_object_unref(c);
    /* the listener is closed soon: the port can be bound again */
    struct sockaddr_in sa;
    guint16 port = (guint16)atoi(strchr(listen, ':') + 1);
    int fd = -1;
    for (guint i = 0; i < 50 && fd < 0; i++) {
        gui_test_run_for(100);
        fd = udp_socket(port, &sa);
    }
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    gtk_widget_destroy(GTK_WIDGET(w));
}

/* ------------------------------------------------------------ capture file */

static gboolean
file_full_seen(gpointer data)
{
    UiCapture *c = data;
    UiLiveStats st;
    ui_capture_get_live_stats(c, &st);
    return st.frames == 21 && st.file_full && ui_capture_count_rows(c, TRUE) == 3;
}

/* A capture file with a bound stops growing at it: the analysis goes on
 * over every packet, Save keeps the whole packets that fit, and the
 * warning and the status line say so. */
static void
test_file_bound(void)
{
    UiWindow *w = gui_test_new_window(app);
    guint16 port = free_port();
    g_autofree char *listen = g_strdup_printf("127.0.0.1:%u", port);
    g_autoptr(UiLiveSpec) spec = ui_live_spec_new(UI_LIVE_HEP, listen, NULL, 10);
    spec->file_limit = 2048; /* some of the first call's seven messages */
    g_autofree char *size = g_format_size_full(2048, G_FORMAT_SIZE_IEC_UNITS); /* "2.0 KiB" */
    reset_message(w);
    UiCapture *c = g_object_ref(ui_window_start_capture(w, spec));
    gui_test_wait_until(started_or_loaded, c);
    SlTime t0 = sl_time_from_parts(1795615645, 0);
    int fd = send_hep_calls(port, 3, t0);
    gui_test_wait_until_for(file_full_seen, c, 10);
    const char *msg = ui_window_get_message(w);
    g_test_message("%s", msg);
    g_autofree char *bound = g_strdup_printf("reached its bound of %s at frame ", size);
    g_assert_nonnull(strstr(msg, bound));
    g_assert_nonnull(strstr(msg, "packets, later ones are analysed but not saved"));
    g_action_group_activate_action(G_ACTION_GROUP(w), "capture-stop", NULL);
    gui_test_wait_until(gui_test_is_loaded, c);
    UiLiveStats st;
    ui_capture_get_live_stats(c, &st);
    const char *status = ui_capture_get_live_status(c);
    g_test_message("%s", status);
    g_assert_true(st.file_full && !st.file_failed);
    g_assert_cmpuint(st.frames, ==, 21);
    g_assert_cmpuint(st.saved_frames, >, 0);
    g_assert_cmpuint(st.saved_frames, <, 7);
    g_assert_cmpuint(st.saved_bytes, <=, 2048);
    g_autofree char *full = g_strdup_printf("the capture file is full (%s): the first %"
                                            G_GUINT64_FORMAT " packet",
                                            size, st.saved_frames);
    g_assert_nonnull(strstr(status, full));
    /* every call stays in the analysis */
    g_assert_cmpuint(ui_capture_count_rows(c, TRUE), ==, 3);
    g_assert_true(ui_capture_open_call(c, 3));
    /* the last call came after the file stopped: Save Selected Calls says
     * why it has nothing; the first call began inside it */
    g_autofree char *late = g_build_filename(tmp_dir, "late-call.pcap", NULL);
    reset_message(w);
    g_action_group_activate_action(G_ACTION_GROUP(w), "save-pcap-to", g_variant_new_string(late));
    gui_test_wait_until(saved_or_failed, w);
    g_test_message("%s", ui_window_get_message(w));
    g_autofree char *why = g_strdup_printf("The call came after the capture file stopped at %"
                                           G_GUINT64_FORMAT " packets (its bound, set in "
                                           "Preferences): that call cannot be saved",
                                           st.saved_frames);
    g_assert_true(g_str_has_prefix(ui_window_get_message(w), why));
    g_assert_false(g_file_test(late, G_FILE_TEST_EXISTS));
    g_assert_true(ui_capture_open_call(c, 1));
    reset_message(w);
    g_action_group_activate_action(G_ACTION_GROUP(w), "save-pcap-to", g_variant_new_string(late));
    gui_test_wait_until(saved_or_failed, w);
    g_autofree char *part = g_strdup_printf("Saved %" G_GUINT64_FORMAT " frames.",
                                            st.saved_frames);
    g_assert_cmpstr(ui_window_get_message(w), ==, part);
    g_unlink(late);
    /* Save keeps the first packets, whole */
    g_autofree char *out = g_build_filename(tmp_dir, "bounded.pcap", NULL);
    reset_message(w);
    g_action_group_activate_action(G_ACTION_GROUP(w), "capture-save-to",
                                   g_variant_new_string(out));
    gui_test_wait_until(saved_or_failed, w);
    g_autofree char *saved = g_strdup_printf("Saved %" G_GUINT64_FORMAT " packets.",
                                             st.saved_frames);
    g_assert_cmpstr(ui_window_get_message(w), ==, saved);
    guint messages, calls, other;
    SlTime first_ts = 0;
    load_saved(out, &messages, &calls, &other, &first_ts);
    g_assert_cmpuint(messages, ==, st.saved_frames);
    g_assert_cmpint(first_ts, ==, t0);
    GStatBuf sb;
    g_assert_cmpint(g_stat(out, &sb), ==, 0);
    g_assert_cmpint(sb.st_size, ==, (gint64)st.saved_bytes);
    close(fd);
    g_object_unref(c);
    gtk_widget_destroy(GTK_WIDGET(w));
    g_unlink(out);
}

typedef struct {
    GPtrArray *warnings;
    UiLiveStats live;
    gboolean done;
} LoadSeen;

static void
seen_rows(UiLoad *l, GPtrArray *rows, gboolean final, gpointer user)
{
    g_ptr_array_unref(rows);
}

static void
seen_progress(UiLoad *l, uint64_t done, uint64_t total, gpointer user)
{
}

static void
seen_warning(UiLoad *l, CorrLoadWarnKind kind, const char *text, gpointer user)
{
    LoadSeen *s = user;
    g_ptr_array_add(s->warnings, g_strdup(text));
}

static void
seen_done(UiLoad *l, gpointer user)
{
    ((LoadSeen *)user)->done = TRUE;
}

static void
seen_live(UiLoad *l, const UiLiveStats *st, gpointer user)
{
    ((LoadSeen *)user)->live = *st;
}

static gboolean
seen_started(gpointer user)
{
    return ((LoadSeen *)user)->live.started || ((LoadSeen *)user)->done;
}

static gboolean
seen_failed(gpointer user)
{
    LoadSeen *s = user;
    return s->live.frames == 21 && s->live.file_failed;
}

static gboolean
seen_done_p(gpointer user)
{
    return ((LoadSeen *)user)->done;
}

static gboolean
error_set(gpointer p)
{
    return *(GError **)p != NULL;
}

static void
on_saved_capture(GObject *source, GAsyncResult *res, gpointer user)
{
    GError **error = user;
    g_assert_cmpint(ui_load_save_capture_finish(res, error), ==, -1);
}

/* A capture file that cannot be written (here a link to /dev/full, as a
 * full disk): one warning naming it and why, the status line says so,
 * the analysis goes on, and Save says there is nothing to copy. */
static void
test_file_unwritable(void)
{
    g_autofree char *path = g_build_filename(tmp_dir, "full.pcap", NULL);
    g_assert_cmpint(symlink("/dev/full", path), ==, 0);
    guint16 port = free_port();
    g_autofree char *listen = g_strdup_printf("127.0.0.1:%u", port);
    g_autoptr(UiLiveSpec) spec = ui_live_spec_new(UI_LIVE_HEP, listen, NULL, 10);
    LoadSeen seen = { .warnings = g_ptr_array_new_with_free_func(g_free) };
    static const UiLoadCallbacks cb = { seen_rows, seen_progress, seen_warning, seen_done,
                                        seen_live };
    UiLoad *l = ui_load_start_live(spec, path, NULL, NULL, &cb, &seen);
    gui_test_wait_until(seen_started, &seen);
    g_assert_false(seen.done);
    int fd = send_hep_calls(port, 3, sl_time_from_parts(1795615645, 0));
    gui_test_wait_until_for(seen_failed, &seen, 10);
    g_assert_cmpuint(seen.warnings->len, ==, 1);
    const char *w = g_ptr_array_index(seen.warnings, 0);
    g_test_message("%s", w);
    g_autofree char *start = g_strdup_printf("Cannot write the capture file %s: %s", path,
                                             g_strerror(ENOSPC));
    g_assert_true(g_str_has_prefix(w, start));
    g_assert_nonnull(strstr(w, "; it keeps no packet, later ones are analysed but cannot be saved"));
    g_assert_cmpuint(seen.live.saved_frames, ==, 0);
    g_autofree char *status = ui_live_stats_format("HEP", &seen.live);
    g_assert_nonnull(strstr(status, "the capture file could not be written: 0 packets saved"));
    ui_load_stop(l);
    gui_test_wait_until(seen_done_p, &seen);
    g_assert_cmpuint(seen.warnings->len, ==, 1); /* said once */
    g_assert_cmpuint(corr_engine_messages(ui_load_engine(l))->len, ==, 21);
    GError *error = NULL;
    ui_load_save_capture_async(l, path, on_saved_capture, &error);
    gui_test_wait_until(error_set, &error);
    g_assert_cmpstr(error->message, ==, "The capture file could not be written");
    g_clear_error(&error);
    ui_load_free(l); /* removes the link, not /dev/full */
    g_assert_false(g_file_test(path, G_FILE_TEST_IS_SYMLINK));
    g_assert_true(g_file_test("/dev/full", G_FILE_TEST_EXISTS));
    g_ptr_array_unref(seen.warnings);
    close(fd);

    /* a capture file that cannot even be made: said the same way */
    g_autofree char *nowhere = g_build_filename(tmp_dir, "no-such-folder", "x.pcap", NULL);
    port = free_port();
    g_autofree char *listen2 = g_strdup_printf("127.0.0.1:%u", port);
    g_autoptr(UiLiveSpec) spec2 = ui_live_spec_new(UI_LIVE_HEP, listen2, NULL, 10);
    LoadSeen seen2 = { .warnings = g_ptr_array_new_with_free_func(g_free) };
    l = ui_load_start_live(spec2, nowhere, NULL, NULL, &cb, &seen2);
    gui_test_wait_until(seen_started, &seen2);
    fd = send_hep_calls(port, 3, sl_time_from_parts(1795615645, 0));
    gui_test_wait_until_for(seen_failed, &seen2, 10);
    g_assert_cmpuint(seen2.warnings->len, ==, 1);
    g_autofree char *start2 = g_strdup_printf("Cannot write the capture file %s: ", nowhere);
    g_assert_true(g_str_has_prefix(g_ptr_array_index(seen2.warnings, 0), start2));
    ui_load_stop(l);
    gui_test_wait_until(seen_done_p, &seen2);
    ui_load_save_capture_async(l, nowhere, on_saved_capture, &error);
    gui_test_wait_until(error_set, &error);
    g_assert_cmpstr(error->message, ==, "The capture file could not be written");
    g_clear_error(&error);
    ui_load_free(l);
    g_ptr_array_unref(seen2.warnings);
    close(fd);
}

int
main(int argc, char **argv)
{
    int skip = gui_test_start(&argc, &argv, "sl-gui-capture", &tmp_dir, &shots_dir);
    if (skip)
        return skip;
    g_autofree char *config = g_build_filename(tmp_dir, "config", NULL);
    g_autofree char *cache = g_build_filename(tmp_dir, "cache", NULL); /* the capture files */
    app = ui_app_new(G_APPLICATION_NON_UNIQUE);
    g_assert_true(g_application_register(G_APPLICATION(app), NULL, NULL));
    g_test_add_func("/gui/capture/interface", test_interface);
    g_test_add_func("/gui/capture/hep", test_hep);
    g_test_add_func("/gui/capture/errors", test_errors);
    g_test_add_func("/gui/capture/close-while-capturing", test_close_while_capturing);
    g_test_add_func("/gui/capture/file-bound", test_file_bound);
    g_test_add_func("/gui/capture/file-unwritable", test_file_unwritable);
    int rc = g_test_run();
    g_object_unref(app);
    g_autofree char *ini = g_build_filename(config, "sipladder", "sipladder.ini", NULL);
    g_unlink(ini);
    g_autofree char *inidir = g_path_get_dirname(ini);
    g_rmdir(inidir);
    g_rmdir(config);
    g_autofree char *captures = g_build_filename(cache, "sipladder", NULL);
    g_rmdir(captures); /* fails when a capture file was left behind */
    g_rmdir(cache);
    g_rmdir(tmp_dir); /* left behind when not empty */
    g_free(tmp_dir);
    return rc;
}
