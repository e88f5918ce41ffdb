/* GUI tests (suite gui, under xvfb-run): the application on the sample
 * captures, through the same actions and models the user drives. Without
 * a display the test is skipped (exit 77). With --shots DIR it also saves
 * PNG screenshots of the window and the ladder of each reference flow. */
#include <glib/gstdio.h>
#include <string.h>

#include "gui-test.h"
#include "ui-app.h"
#include "ui-prefs-dialog.h"
#include "ui-window.h"

static UiApp *app;
static const char *shots_dir;
static char *tmp_dir;

typedef struct {
    const char *file;
    guint calls, other;  /* rows of the two lists */
    guint open_id;       /* the call opened at the end of the load */
    guint arrows;        /* its messages */
    guint bands;         /* its RTP streams */
    const char *shot;    /* screenshot name, or NULL */
} Sample;

static const Sample samples[] = {
    { "flow1-direct.pcap", 1, 0, 1, 7, 2, "flow1-direct" },
    { "flow2-proxy.pcap", 1, 0, 1, 11, 2, "flow2-proxy" },
    { "flow3-redirect.pcap", 1, 1, 2, 24, 2, "flow3-redirect" },
    { "flow4-b2bua.pcap", 1, 0, 1, 14, 2, "flow4-b2bua" },
    { "flow4-b2bua-xcallid.pcap", 1, 0, 1, 14, 4, NULL },
    { "flow2-two-points.pcap", 1, 0, 1, 14, 2, NULL },
    { "failures.pcap", 4, 0, 1, 8, 0, NULL },
};

static guint
count_substr(const char *hay, const char *needle)
{
    guint n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void
test_sample(gconstpointer data)
{
    const Sample *s = data;
    g_autofree char *path = gui_test_sample_path(s->file);
    UiWindow *w = gui_test_new_window(app);
    UiCapture *c = gui_test_open_and_wait(w, path);
    g_assert_null(ui_window_get_message(w));
    g_assert_cmpuint(ui_capture_count_rows(c, TRUE), ==, s->calls);
    g_assert_cmpuint(ui_capture_count_rows(c, FALSE), ==, s->other);
    /* the first call opens by itself, its first message selected */
    g_assert_cmpuint(ui_capture_get_open_call(c), ==, s->open_id);
    UiLadderView *v = ui_capture_get_ladder_view(c);
    const LadderLayout *l = ui_ladder_view_get_layout(v);
    g_assert_nonnull(l);
    g_assert_cmpuint(l->arrows->len, ==, s->arrows);
    g_assert_cmpuint(l->bands->len, ==, s->bands);
    g_assert_cmpuint(ui_capture_count_streams(c), ==, s->bands);
    const LadderArrow *first = &g_array_index(l->arrows, LadderArrow, 0);
    g_assert_cmpstr(first->label, ==, "INVITE");
    g_assert_cmpint(ui_ladder_view_get_selected_arrow(v), ==, 0);
    g_autofree char *raw = ui_capture_get_message_text(c, TRUE);
    g_assert_true(g_str_has_prefix(raw, "INVITE sip:"));
    g_autofree char *fields = ui_capture_get_message_text(c, FALSE);
    g_assert_nonnull(strstr(fields, "Request:  INVITE"));
    /* Down selects the next message and shows its text */
    ui_ladder_view_step(v, 1);
    g_assert_cmpint(ui_ladder_view_get_selected_arrow(v), ==, 1);
    const LadderArrow *second = &g_array_index(l->arrows, LadderArrow, 1);
    g_autofree char *raw2 = ui_capture_get_message_text(c, TRUE);
    g_autofree char *want = second->is_request ? g_strdup(second->label)
                                               : g_strdup_printf("SIP/2.0 %s", second->label);
    g_assert_true(g_str_has_prefix(raw2, want));
    /* a click on the third arrow selects it (hit-testing the layout) */
    const LadderArrow *third = &g_array_index(l->arrows, LadderArrow, 2);
    GdkEvent *click = gdk_event_new(GDK_BUTTON_PRESS);
    click->button.window = g_object_ref(gtk_widget_get_window(GTK_WIDGET(v)));
    click->button.button = GDK_BUTTON_PRIMARY;
    double zoom = ui_ladder_view_get_zoom(v);
    click->button.x = (third->x1 + third->x2) / 2 * zoom -
                      gtk_adjustment_get_value(gtk_scrollable_get_hadjustment(GTK_SCROLLABLE(v)));
    click->button.y = (third->y - 4) * zoom -
                      gtk_adjustment_get_value(gtk_scrollable_get_vadjustment(GTK_SCROLLABLE(v)));
    gdk_event_set_device(click, gdk_seat_get_pointer(
                                    gdk_display_get_default_seat(gdk_display_get_default())));
    gtk_widget_event(GTK_WIDGET(v), click);
    gdk_event_free(click);
    g_assert_cmpint(ui_ladder_view_get_selected_arrow(v), ==, 2);
    /* an RTP band shows the stream */
    if (s->bands) {
        ui_ladder_view_select_band(v, 0);
        g_assert_cmpint(ui_ladder_view_get_selected_arrow(v), ==, -1);
        g_autofree char *band = ui_capture_get_message_text(c, FALSE);
        g_assert_true(g_str_has_prefix(band, "RTP stream SSRC 0x"));
        ui_ladder_view_select_arrow(v, 1);
    }
    /* copy the selected message's text */
    g_action_group_activate_action(G_ACTION_GROUP(w), "copy-message", NULL);
    g_autofree char *copied =
        gtk_clipboard_wait_for_text(gtk_widget_get_clipboard(GTK_WIDGET(w), GDK_SELECTION_CLIPBOARD));
    g_assert_nonnull(copied);
    g_autofree char *shown = ui_capture_get_message_text(c, TRUE);
    GString *plain = g_string_new(NULL); /* the X clipboard gives line ends as LF */
    for (const char *p = shown; *p; p++)
        if (*p != '\r')
            g_string_append_c(plain, *p);
    g_assert_cmpstr(copied, ==, plain->str);
    g_string_free(plain, TRUE);
    /* the filter */
    ui_capture_set_filter(c, "method:INVITE");
    g_assert_cmpuint(ui_capture_count_visible(c, TRUE), ==, s->calls);
    ui_capture_set_filter(c, "method:NOTIFY from:nobody");
    g_assert_cmpuint(ui_capture_count_visible(c, TRUE), ==, 0);
    ui_capture_set_filter(c, "");
    g_assert_cmpuint(ui_capture_count_visible(c, TRUE), ==, s->calls);
    /* export through the window action, as the menu does */
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *svg_path = g_strdup_printf("%s/%s.svg", tmp_dir, base);
    g_action_group_activate_action(G_ACTION_GROUP(w), "export-to",
                                   g_variant_new_string(svg_path));
    g_assert_null(ui_window_get_message(w));
    g_autofree char *svg = NULL;
    g_assert_true(g_file_get_contents(svg_path, &svg, NULL, NULL));
    g_assert_true(g_str_has_prefix(svg, "<?xml") || g_str_has_prefix(svg, "<svg"));
    g_assert_cmpuint(count_substr(svg, "class=\"message\""), ==, s->arrows);
    g_assert_nonnull(strstr(svg, ">INVITE</text>"));
    if (s->shot && shots_dir) {
        gui_test_wait_until(gui_test_no_pending_events, NULL);
        g_autofree char *png = g_strdup_printf("%s/%s.png", shots_dir, s->shot);
        gui_test_save_png(GTK_WIDGET(w), png);
        g_autofree char *lpng = g_strdup_printf("%s/%s-ladder.png", shots_dir, s->shot);
        gui_test_save_png(GTK_WIDGET(v), lpng);
        ui_capture_show_detail(c, 1);
        g_autofree char *mpng = g_strdup_printf("%s/%s-media.png", shots_dir, s->shot);
        gui_test_save_png(GTK_WIDGET(w), mpng);
        ui_capture_show_detail(c, 0);
    }
    g_object_unref(c);
    gtk_widget_destroy(GTK_WIDGET(w));
    g_unlink(svg_path);
}

/* A window closed with a capture loaded and its ladder scrolled: the
 * capture lets go of its calls while the scroll bars around the ladder
 * are being destroyed, and nothing may touch them then (criticals are
 * fatal here). */
static void
test_close_loaded(void)
{
    g_autofree char *path = gui_test_sample_path("flow1-direct.pcap");
    UiWindow *w = gui_test_new_window(app);
    UiCapture *c = gui_test_open_and_wait(w, path);
    UiLadderView *v = ui_capture_get_ladder_view(c);
    g_assert_nonnull(ui_ladder_view_get_layout(v));
    ui_ladder_view_step(v, 1 << 30);
    gui_test_wait_until(gui_test_no_pending_events, NULL);
    g_object_unref(c);
    gtk_widget_destroy(GTK_WIDGET(w));
    gui_test_wait_until(gui_test_no_pending_events, NULL);
}

static void
test_truncated(void)
{
    g_autofree char *path = gui_test_sample_path("flow4-b2bua.pcap");
    g_autofree char *bytes = NULL;
    g_assert_true(g_file_get_contents(path, &bytes, NULL, NULL));
    g_autofree char *cut = g_build_filename(tmp_dir, "cut-b2bua.pcap", NULL);
    g_assert_true(g_file_set_contents(cut, bytes, 3000, NULL));
    UiWindow *w = gui_test_new_window(app);
    UiCapture *c = gui_test_open_and_wait(w, cut);
    const char *msg = ui_window_get_message(w);
    g_assert_nonnull(msg);
    g_assert_nonnull(strstr(msg, "cut-b2bua.pcap"));
    g_assert_nonnull(strstr(msg, "truncated after frame 6"));
    /* what was read before the cut stays, in its tab */
    g_assert_cmpuint(ui_window_count_captures(w), ==, 1);
    g_assert_cmpuint(ui_capture_count_rows(c, TRUE), ==, 1);
    const LadderLayout *l = ui_ladder_view_get_layout(ui_capture_get_ladder_view(c));
    g_assert_nonnull(l);
    g_assert_cmpuint(l->arrows->len, ==, 6);
    if (shots_dir) {
        g_autofree char *png = g_strdup_printf("%s/truncated.png", shots_dir);
        gui_test_save_png(GTK_WIDGET(w), png);
    }
    g_object_unref(c);
    gtk_widget_destroy(GTK_WIDGET(w));
    g_unlink(cut);
}

static void
test_not_a_capture(void)
{
    g_autofree char *path = gui_test_sample_path("README.md");
    UiWindow *w = gui_test_new_window(app);
    UiCapture *c = gui_test_open_and_wait(w, path);
    const char *msg = ui_window_get_message(w);
    g_assert_nonnull(msg);
    g_assert_nonnull(strstr(msg, "README.md"));
    g_assert_nonnull(strstr(msg, "not a pcap or pcapng capture file"));
    g_assert_cmpuint(ui_window_count_captures(w), ==, 0); /* its tab went */
    g_object_unref(c);
    gtk_widget_destroy(GTK_WIDGET(w));
}

/* The TLS key log preference: SIP over TLS decrypts; a broken key log
 * file is a warning and the capture loads without it. */
static void
test_tls_keylog(void)
{
    g_autofree char *pcap = gui_test_sample_path("ways-tls13.pcap");
    g_autofree char *keys = gui_test_sample_path("ways-tls13.keys");
    UiPrefs saved = { 0 };
    ui_prefs_copy(&saved, ui_app_get_prefs(app));
    UiPrefs p = { 0 };
    ui_prefs_copy(&p, &saved);
    g_free(p.tls_keylog_file);
    p.tls_keylog_file = g_strdup(keys);
    ui_app_set_prefs(app, &p);
    UiWindow *w = gui_test_new_window(app);
    UiCapture *c = gui_test_open_and_wait(w, pcap);
    g_assert_null(ui_window_get_message(w));
    g_assert_cmpuint(ui_capture_count_rows(c, TRUE), ==, 1);
    g_assert_cmpuint(ui_capture_get_open_call(c), ==, 1);
    const LadderLayout *l = ui_ladder_view_get_layout(ui_capture_get_ladder_view(c));
    g_assert_nonnull(l);
    g_assert_cmpuint(l->arrows->len, ==, 7);
    g_object_unref(c);
    gtk_widget_destroy(GTK_WIDGET(w));
    /* a key log that cannot be read: said, and TLS stays encrypted */
    g_free(p.tls_keylog_file);
    p.tls_keylog_file = g_build_filename(tmp_dir, "no-such.keys", NULL);
    ui_app_set_prefs(app, &p);
    w = gui_test_new_window(app);
    c = gui_test_open_and_wait(w, pcap);
    const char *msg = ui_window_get_message(w);
    g_assert_nonnull(msg);
    g_assert_nonnull(strstr(msg, "TLS key log"));
    g_assert_nonnull(strstr(msg, "no-such.keys"));
    g_assert_cmpuint(ui_window_count_captures(w), ==, 1); /* the tab stays */
    g_assert_cmpuint(ui_capture_count_rows(c, TRUE), ==, 0);
    g_object_unref(c);
    gtk_widget_destroy(GTK_WIDGET(w));
    /* no key log: no call either */
    ui_app_set_prefs(app, &saved);
    w = gui_test_new_window(app);
    c = gui_test_open_and_wait(w, pcap);
    g_assert_null(ui_window_get_message(w));
    g_assert_cmpuint(ui_capture_count_rows(c, TRUE), ==, 0);
    g_object_unref(c);
    gtk_widget_destroy(GTK_WIDGET(w));
    ui_prefs_clear(&p);
    ui_prefs_clear(&saved);
}

static gboolean
saved_or_failed(gpointer w)
{
    const char *m = ui_window_get_message(w);
    return m && (g_str_has_prefix(m, "Saved ") || strstr(m, "annot"));
}

static void
test_save_pcap(void)
{
    g_autofree char *path = gui_test_sample_path("flow4-b2bua.pcap");
    UiWindow *w = gui_test_new_window(app);
    UiCapture *c = gui_test_open_and_wait(w, path);
    g_autofree char *out = g_build_filename(tmp_dir, "saved.pcap", NULL);
    g_action_group_activate_action(G_ACTION_GROUP(w), "save-pcap-to", g_variant_new_string(out));
    gui_test_wait_until(saved_or_failed, w);
    g_assert_true(g_str_has_prefix(ui_window_get_message(w), "Saved "));
    /* the new file holds the call's 14 messages and its RTP */
    char *files[] = { out, NULL };
    g_autoptr(CorrEngine) e = corr_engine_new(NULL);
    CorrLoadOptions o;
    corr_load_options_init(&o);
    o.engine = e;
    o.media = true;
    g_autoptr(CorrLoad) ld = corr_load_files(files, &o);
    g_assert_true(corr_load_complete(ld));
    g_assert_cmpuint(corr_engine_messages(e)->len, ==, 14);
    g_assert_cmpuint(corr_engine_calls(e)->len, ==, 1);
    g_assert_cmpuint(corr_load_streams(ld)->len, ==, 2);
    g_object_unref(c);
    gtk_widget_destroy(GTK_WIDGET(w));
    g_unlink(out);
}

/* Writes the frames of the classic pcap @src alternately into @a and @b
 * (frame 1 into @a), as two capture points might have. */
static void
split_alternately(const char *src, const char *a, const char *b)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(src, &data, &len, NULL));
    g_assert_cmpuint(len, >=, 24);
    guint32 magic;
    memcpy(&magic, data, 4);
    g_assert_cmphex(magic, ==, 0xa1b2c3d4); /* the samples: this host's order */
    GByteArray *out[2] = { g_byte_array_new(), g_byte_array_new() };
    for (int k = 0; k < 2; k++)
        g_byte_array_append(out[k], (const guint8 *)data, 24);
    gsize off = 24;
    for (guint n = 0; off + 16 <= len; n++) {
        guint32 incl;
        memcpy(&incl, data + off + 8, 4);
        g_assert_cmpuint(off + 16 + incl, <=, len);
        g_byte_array_append(out[n % 2], (const guint8 *)data + off, 16 + incl);
        off += 16 + incl;
    }
    g_assert_cmpuint(off, ==, len);
    g_assert_true(g_file_set_contents(a, (const char *)out[0]->data, out[0]->len, NULL));
    g_assert_true(g_file_set_contents(b, (const char *)out[1]->data, out[1]->len, NULL));
    g_byte_array_unref(out[0]);
    g_byte_array_unref(out[1]);
}

static gboolean
merged_tab_open(gpointer unused)
{
    for (GList *it = gtk_application_get_windows(GTK_APPLICATION(app)); it; it = it->next) {
        UiCapture *c = UI_IS_WINDOW(it->data) ? ui_window_get_capture(it->data) : NULL;
        if (c && ui_capture_get_paths(c) && g_strv_length((char **)ui_capture_get_paths(c)) == 2)
            return TRUE;
    }
    return FALSE;
}

/* Saves the open call of the current tab of @w to @out. */
static void
save_call(UiWindow *w, const char *out)
{
    ui_window_show_message(w, GTK_MESSAGE_INFO, ""); /* not the last save's */
    g_action_group_activate_action(G_ACTION_GROUP(w), "save-pcap-to", g_variant_new_string(out));
    gui_test_wait_until(saved_or_failed, w);
    g_assert_true(g_str_has_prefix(ui_window_get_message(w), "Saved "));
}

/* Two files opened as one capture (the application's "merge" open hint,
 * as `sipladder --merge A B` gives it): one tab, the call whole, and
 * Save Selected Calls writes what it writes from the file they came from. */
static void
test_merged_files(void)
{
    g_autofree char *whole = gui_test_sample_path("flow4-b2bua-xcallid.pcap");
    g_autofree char *a = g_build_filename(tmp_dir, "point-a.pcap", NULL);
    g_autofree char *b = g_build_filename(tmp_dir, "point-b.pcap", NULL);
    split_alternately(whole, a, b);
    UiWindow *w = gui_test_new_window(app);
    gtk_window_present(GTK_WINDOW(w));
    g_autoptr(GFile) fa = g_file_new_for_path(a);
    g_autoptr(GFile) fb = g_file_new_for_path(b);
    GFile *files[] = { fb, fa }; /* in either order */
    g_application_open(G_APPLICATION(app), files, 2, UI_APP_OPEN_MERGED);
    gui_test_wait_until(merged_tab_open, NULL);
    UiWindow *mw = NULL;
    for (GList *it = gtk_application_get_windows(GTK_APPLICATION(app)); it && !mw; it = it->next)
        if (UI_IS_WINDOW(it->data) && merged_tab_open(NULL) && ui_window_get_capture(it->data) &&
            ui_capture_get_paths(ui_window_get_capture(it->data)))
            mw = it->data;
    g_assert_nonnull(mw);
    g_assert_cmpuint(ui_window_count_captures(mw), ==, 1);
    UiCapture *c = g_object_ref(ui_window_get_capture(mw));
    gui_test_wait_until(gui_test_is_loaded, c);
    gui_test_wait_until(gui_test_no_pending_events, NULL);
    g_assert_null(ui_window_get_message(mw));
    g_assert_cmpstr(ui_capture_get_title(c), ==, "point-b.pcap + 1 more");
    g_assert_cmpuint(ui_capture_count_rows(c, TRUE), ==, 1);
    g_assert_cmpuint(ui_capture_get_open_call(c), ==, 1);
    const LadderLayout *l = ui_ladder_view_get_layout(ui_capture_get_ladder_view(c));
    g_assert_nonnull(l);
    g_assert_cmpuint(l->arrows->len, ==, 14);
    g_assert_cmpuint(l->bands->len, ==, 4);
    g_assert_cmpuint(ui_capture_count_streams(c), ==, 4);

    /* the call saved from the two files is the call saved from the one */
    g_autofree char *from_two = g_build_filename(tmp_dir, "from-two.pcap", NULL);
    g_autofree char *from_one = g_build_filename(tmp_dir, "from-one.pcap", NULL);
    save_call(mw, from_two);
    UiCapture *one = gui_test_open_and_wait(mw, whole);
    save_call(mw, from_one);
    g_autofree char *x = NULL, *y = NULL;
    gsize nx = 0, ny = 0;
    g_assert_true(g_file_get_contents(from_two, &x, &nx, NULL));
    g_assert_true(g_file_get_contents(from_one, &y, &ny, NULL));
    g_assert_cmpuint(nx, >, 24 + 14 * 16);
    g_assert_cmpmem(x, nx, y, ny);
    g_object_unref(one);
    g_object_unref(c);
    if (mw != w)
        gtk_widget_destroy(GTK_WIDGET(mw));
    gtk_widget_destroy(GTK_WIDGET(w));
    for (const char *const *p = (const char *const[]){ a, b, from_two, from_one, NULL }; *p; p++)
        g_unlink(*p);
}

static void
test_zoom_and_tabs(void)
{
    g_autofree char *a = gui_test_sample_path("flow1-direct.pcap");
    g_autofree char *b = gui_test_sample_path("flow2-proxy.pcap");
    UiWindow *w = gui_test_new_window(app);
    UiCapture *ca = gui_test_open_and_wait(w, a);
    UiCapture *cb = gui_test_open_and_wait(w, b);
    g_assert_cmpuint(ui_window_count_captures(w), ==, 2);
    g_assert_true(ui_window_get_capture(w) == cb);
    UiLadderView *v = ui_capture_get_ladder_view(cb);
    double z = ui_ladder_view_get_zoom(v);
    g_action_group_activate_action(G_ACTION_GROUP(w), "zoom-in", NULL);
    g_assert_cmpfloat(ui_ladder_view_get_zoom(v), >, z);
    g_action_group_activate_action(G_ACTION_GROUP(w), "zoom-reset", NULL);
    g_assert_cmpfloat(ui_ladder_view_get_zoom(v), ==, 1.0);
    g_action_group_activate_action(G_ACTION_GROUP(w), "close", NULL);
    g_assert_cmpuint(ui_window_count_captures(w), ==, 1);
    g_assert_true(ui_window_get_capture(w) == ca);
    /* the shortcuts window comes from the resources */
    GtkShortcutsWindow *help =
        gtk_application_window_get_help_overlay(GTK_APPLICATION_WINDOW(w));
    g_assert_nonnull(help);
    g_action_group_activate_action(G_ACTION_GROUP(w), "show-help-overlay", NULL);
    g_assert_true(gtk_widget_get_visible(GTK_WIDGET(help)));
    gtk_widget_hide(GTK_WIDGET(help));
    /* preferences: the dialog's check box changes and saves them */
    g_action_group_activate_action(G_ACTION_GROUP(app), "preferences", NULL);
    GtkWidget *dlg = NULL;
    for (GList *it = gtk_application_get_windows(GTK_APPLICATION(app)); it; it = it->next)
        if (UI_IS_PREFS_DIALOG(it->data))
            dlg = it->data;
    g_assert_nonnull(dlg);
    g_assert_false(ui_app_get_prefs(app)->merge_ip);
    GtkWidget *check = gtk_test_find_widget(dlg, "Merge ports*", GTK_TYPE_CHECK_BUTTON);
    g_assert_nonnull(check);
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(check), TRUE);
    g_assert_true(ui_app_get_prefs(app)->merge_ip);
    g_autofree char *ini = ui_prefs_default_path();
    g_autofree char *saved = NULL;
    g_assert_true(g_file_get_contents(ini, &saved, NULL, NULL));
    g_assert_nonnull(strstr(saved, "merge-ports-by-ip=true"));
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(check), FALSE);
    /* the live capture file's bound, in MiB */
    GtkWidget *bound = gtk_test_find_widget(dlg, "Capture file kept*", GTK_TYPE_SPIN_BUTTON);
    g_assert_nonnull(bound);
    g_assert_cmpuint(ui_app_get_prefs(app)->capture_file_mib, ==, UI_LIVE_FILE_MIB);
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(bound), 512);
    g_assert_cmpuint(ui_app_get_prefs(app)->capture_file_mib, ==, 512);
    g_clear_pointer(&saved, g_free);
    g_assert_true(g_file_get_contents(ini, &saved, NULL, NULL));
    g_assert_nonnull(strstr(saved, "capture-file-limit-mib=512"));
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(bound), UI_LIVE_FILE_MIB);
    /* limits: a text that reads is applied, one that does not is marked
     * and leaves the limits in force */
    GtkWidget *limits = gtk_test_find_widget(dlg, "Limits on memory*", GTK_TYPE_ENTRY);
    g_assert_nonnull(limits);
    gtk_entry_set_text(GTK_ENTRY(limits), "calls=5, tcp-buffer=64K");
    g_assert_cmpstr(ui_app_get_prefs(app)->limits, ==, "tcp-buffer=65536,calls=5");
    g_assert_null(gtk_entry_get_icon_name(GTK_ENTRY(limits), GTK_ENTRY_ICON_SECONDARY));
    gtk_entry_set_text(GTK_ENTRY(limits), "calls=0");
    g_assert_cmpstr(ui_app_get_prefs(app)->limits, ==, "tcp-buffer=65536,calls=5");
    g_assert_cmpstr(gtk_entry_get_icon_name(GTK_ENTRY(limits), GTK_ENTRY_ICON_SECONDARY), ==,
                    "dialog-warning");
    gtk_entry_set_text(GTK_ENTRY(limits), "");
    g_assert_true(ui_app_get_prefs(app)->limits == NULL || !*ui_app_get_prefs(app)->limits);
    gtk_widget_destroy(dlg);
    /* a tab closed while its file loads goes at once; the worker ends
     * on its own */
    g_autoptr(GFile) f3 = g_file_new_for_path(b);
    g_assert_nonnull(ui_window_open(w, f3));
    g_assert_cmpuint(ui_window_count_captures(w), ==, 2);
    g_action_group_activate_action(G_ACTION_GROUP(w), "close", NULL);
    g_assert_cmpuint(ui_window_count_captures(w), ==, 1);
    g_assert_true(ui_window_get_capture(w) == ca);
    g_object_unref(ca);
    g_object_unref(cb);
    gtk_widget_destroy(GTK_WIDGET(w));
}

int
main(int argc, char **argv)
{
    /* the recent files list and preferences go to a scratch home */
    int skip = gui_test_start(&argc, &argv, "sl-gui", &tmp_dir, &shots_dir);
    if (skip)
        return skip;
    app = ui_app_new(G_APPLICATION_NON_UNIQUE);
    g_assert_true(g_application_register(G_APPLICATION(app), NULL, NULL));
    for (size_t i = 0; i < G_N_ELEMENTS(samples); i++) {
        g_autofree char *name = g_strdup_printf("/gui/sample/%s", samples[i].file);
        g_test_add_data_func(name, &samples[i], test_sample);
    }
    g_test_add_func("/gui/truncated", test_truncated);
    g_test_add_func("/gui/close-loaded", test_close_loaded);
    g_test_add_func("/gui/not-a-capture", test_not_a_capture);
    g_test_add_func("/gui/tls-keylog", test_tls_keylog);
    g_test_add_func("/gui/save-pcap", test_save_pcap);
    g_test_add_func("/gui/zoom-and-tabs", test_zoom_and_tabs);
    g_test_add_func("/gui/merged-files", test_merged_files);
    int rc = g_test_run();
    g_object_unref(app);
    g_rmdir(tmp_dir); /* left behind when not empty: the recent files list */
    g_free(tmp_dir);
    return rc;
}
