/* sipladder GUI: UiWindow (see ui-window.h). */
#include "ui-window.h"

#include "ui-app.h"
#include "ui-capture-dialog.h"
#include "ui-save.h"

struct _UiWindow {
    GtkApplicationWindow parent;
    GtkWidget *header, *info_bar, *info_label, *stack, *notebook, *empty_label;
    char *message; /* shown in the info bar, NULL when hidden */
    GtkMessageType message_type;
    guint message_lines, message_more;
};

G_DEFINE_TYPE(UiWindow, ui_window, GTK_TYPE_APPLICATION_WINDOW)

/* Lines the error bar shows before it only counts the rest. */
#define UI_WINDOW_MESSAGE_LINES 6

void
ui_window_show_message(UiWindow *w, GtkMessageType type, const char *text)
{
    g_autofree char *line = g_utf8_make_valid(text, -1);
    /* while the bar is up, messages add up (several files, several
     * malformed messages) with the most serious type */
    if (w->message && type != GTK_MESSAGE_INFO &&
        w->message_type != GTK_MESSAGE_INFO) {
        if (w->message_lines < UI_WINDOW_MESSAGE_LINES) {
            char *joined = g_strdup_printf("%s\n%s", w->message, line);
            g_free(w->message);
            w->message = joined;
            w->message_lines++;
        } else {
            w->message_more++;
        }
        if (type == GTK_MESSAGE_ERROR)
            w->message_type = type;
    } else {
        g_free(w->message);
        w->message = g_steal_pointer(&line);
        w->message_lines = 1;
        w->message_more = 0;
        w->message_type = type;
    }
    g_autofree char *shown = w->message_more
                                 ? g_strdup_printf("%s\n(%u more)", w->message, w->message_more)
                                 : g_strdup(w->message);
    gtk_label_set_text(GTK_LABEL(w->info_label), shown); /* plain text, no markup */
    gtk_info_bar_set_message_type(GTK_INFO_BAR(w->info_bar), w->message_type);
    gtk_widget_show(w->info_bar);
}

const char *
ui_window_get_message(UiWindow *w)
{
    return w->message;
}

static void
hide_message(UiWindow *w)
{
    g_clear_pointer(&w->message, g_free);
    gtk_widget_hide(w->info_bar);
}

static void
on_info_response(UiWindow *w, int response, GtkInfoBar *bar)
{
    hide_message(w);
}

UiCapture *
ui_window_get_capture(UiWindow *w)
{
    int page = gtk_notebook_get_current_page(GTK_NOTEBOOK(w->notebook));
    return page < 0 ? NULL
                    : UI_CAPTURE(gtk_notebook_get_nth_page(GTK_NOTEBOOK(w->notebook), page));
}

guint
ui_window_count_captures(UiWindow *w)
{
    return (guint)gtk_notebook_get_n_pages(GTK_NOTEBOOK(w->notebook));
}

static void
enable_action(UiWindow *w, const char *name, gboolean on)
{
    GAction *a = g_action_map_lookup_action(G_ACTION_MAP(w), name);
    if (a)
        g_simple_action_set_enabled(G_SIMPLE_ACTION(a), on);
}

/* The title, and the capture actions that fit the tab shown. */
static void
update_title(UiWindow *w)
{
    if (gtk_widget_in_destruction(GTK_WIDGET(w)))
        return;
    UiCapture *c = ui_window_get_capture(w);
    gtk_header_bar_set_subtitle(GTK_HEADER_BAR(w->header), c ? ui_capture_get_title(c) : NULL);
    gtk_stack_set_visible_child_name(GTK_STACK(w->stack), c ? "captures" : "empty");
    enable_action(w, "capture-stop", c && ui_capture_is_capturing(c));
    enable_action(w, "capture-save", c && ui_capture_is_live(c));
    enable_action(w, "capture-save-to", c && ui_capture_is_live(c));
}

static void
on_page_removed(UiWindow *w, GtkWidget *child, guint page, GtkNotebook *nb)
{
    update_title(w);
}

static void
close_capture(UiWindow *w, UiCapture *c)
{
    int page = gtk_notebook_page_num(GTK_NOTEBOOK(w->notebook), GTK_WIDGET(c));
    if (page >= 0)
        gtk_notebook_remove_page(GTK_NOTEBOOK(w->notebook), page);
}

static void
on_capture_warning(UiCapture *c, int kind, const char *text, UiWindow *w)
{
    ui_window_show_message(w, kind == CORR_LOAD_WARN_OPEN ? GTK_MESSAGE_ERROR : GTK_MESSAGE_WARNING,
                           text);
}

static void
on_capture_notice(UiCapture *c, const char *text, UiWindow *w)
{
    ui_window_show_message(w, GTK_MESSAGE_INFO, text);
}

static void
on_capture_loaded(UiCapture *c, UiWindow *w)
{
    if (!ui_capture_was_opened(c))
        close_capture(w, c); /* the error bar says why */
    else
        update_title(w); /* a capture that stopped */
}

static void
on_tab_close(GtkButton *b, UiCapture *c)
{
    GtkWidget *top = gtk_widget_get_toplevel(GTK_WIDGET(c));
    if (UI_IS_WINDOW(top))
        close_capture(UI_WINDOW(top), c);
}

/* A new tab for @c, shown. */
static void
add_tab(UiWindow *w, UiCapture *c, const char *tooltip)
{
    g_signal_connect_object(c, "warning", G_CALLBACK(on_capture_warning), w, 0);
    g_signal_connect_object(c, "loaded", G_CALLBACK(on_capture_loaded), w, 0);
    g_signal_connect_object(c, "notice", G_CALLBACK(on_capture_notice), w, 0);
    GtkWidget *tab = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 4);
    if (ui_capture_is_live(c)) {
        GtkWidget *icon = gtk_image_new_from_icon_name("media-record-symbolic",
                                                       GTK_ICON_SIZE_MENU);
        gtk_box_pack_start(GTK_BOX(tab), icon, FALSE, FALSE, 0);
    }
    GtkWidget *label = gtk_label_new(ui_capture_get_title(c));
    gtk_widget_set_tooltip_text(label, tooltip);
    GtkWidget *close = gtk_button_new_from_icon_name("window-close-symbolic", GTK_ICON_SIZE_MENU);
    gtk_button_set_relief(GTK_BUTTON(close), GTK_RELIEF_NONE);
    gtk_widget_set_tooltip_text(close, "Close (Ctrl+W)");
    g_signal_connect_object(close, "clicked", G_CALLBACK(on_tab_close), c, 0);
    gtk_box_pack_start(GTK_BOX(tab), label, TRUE, TRUE, 0);
    gtk_box_pack_start(GTK_BOX(tab), close, FALSE, FALSE, 0);
    gtk_widget_show_all(tab);
    int page = gtk_notebook_append_page(GTK_NOTEBOOK(w->notebook), GTK_WIDGET(c), tab);
    gtk_notebook_set_tab_reorderable(GTK_NOTEBOOK(w->notebook), GTK_WIDGET(c), TRUE);
    gtk_notebook_set_current_page(GTK_NOTEBOOK(w->notebook), page);
    update_title(w);
}

UiCapture *
ui_window_open(UiWindow *w, GFile *file)
{
    g_autofree char *path = g_file_get_path(file);
    if (!path) {
        g_autofree char *uri = g_file_get_uri(file);
        g_autofree char *msg = g_strdup_printf("%s: only local files can be opened", uri);
        ui_window_show_message(w, GTK_MESSAGE_ERROR, msg);
        return NULL;
    }
    GtkApplication *app = gtk_window_get_application(GTK_WINDOW(w));
    UiCapture *c = ui_capture_new(path, ui_app_get_prefs(UI_APP(app)));
    add_tab(w, c, path);
    g_autofree char *uri = g_file_get_uri(file);
    gtk_recent_manager_add_item(gtk_recent_manager_get_default(), uri);
    return c;
}

UiCapture *
ui_window_open_files(UiWindow *w, GFile **files, guint n)
{
    if (n == 1)
        return ui_window_open(w, files[0]);
    g_return_val_if_fail(n > 1, NULL);
    g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < n; i++) {
        char *path = g_file_get_path(files[i]);
        if (!path) {
            g_autofree char *uri = g_file_get_uri(files[i]);
            g_autofree char *msg = g_strdup_printf("%s: only local files can be opened", uri);
            ui_window_show_message(w, GTK_MESSAGE_ERROR, msg);
            return NULL;
        }
        g_ptr_array_add(paths, path);
    }
    g_ptr_array_add(paths, NULL);
    const char *const *p = (const char *const *)paths->pdata;
    GtkApplication *app = gtk_window_get_application(GTK_WINDOW(w));
    UiCapture *c = ui_capture_new_files(p, ui_app_get_prefs(UI_APP(app)));
    g_autofree char *list = g_strjoinv("\n", (char **)paths->pdata);
    g_autofree char *tip = g_strdup_printf("Read as one capture, merged by time:\n%s", list);
    add_tab(w, c, tip);
    for (guint i = 0; i < n; i++) {
        g_autofree char *uri = g_file_get_uri(files[i]);
        gtk_recent_manager_add_item(gtk_recent_manager_get_default(), uri);
    }
    return c;
}

UiCapture *
ui_window_start_capture(UiWindow *w, const UiLiveSpec *spec)
{
    GtkApplication *app = gtk_window_get_application(GTK_WINDOW(w));
    UiCapture *c = ui_capture_new_live(spec, ui_app_get_prefs(UI_APP(app)));
    g_autofree char *tip = spec->kind == UI_LIVE_HEP
                               ? g_strdup_printf("HEP listener on %s", spec->name)
                           : spec->filter ? g_strdup_printf("Capture on %s, filter: %s",
                                                            spec->name, spec->filter)
                                          : g_strdup_printf("Capture on %s", spec->name);
    add_tab(w, c, tip);
    return c;
}

void
ui_window_set_prefs(UiWindow *w, const UiPrefs *prefs)
{
    for (int i = 0; i < gtk_notebook_get_n_pages(GTK_NOTEBOOK(w->notebook)); i++)
        ui_capture_set_prefs(UI_CAPTURE(gtk_notebook_get_nth_page(GTK_NOTEBOOK(w->notebook), i)),
                             prefs);
}

/* ------------------------------------------------------------ actions */

static UiCapture *
current_or_warn(UiWindow *w)
{
    UiCapture *c = ui_window_get_capture(w);
    if (!c)
        ui_window_show_message(w, GTK_MESSAGE_INFO, "Open a capture first.");
    return c;
}

static void
export_to(UiWindow *w, const char *path)
{
    UiCapture *c = current_or_warn(w);
    g_autoptr(GError) error = NULL;
    if (c && !ui_capture_export_ladder(c, path, &error))
        ui_window_show_message(w, GTK_MESSAGE_ERROR, error->message);
}

static void
on_export_to(GSimpleAction *a, GVariant *param, gpointer w)
{
    export_to(w, g_variant_get_string(param, NULL));
}

/* A save dialog; @then gets the chosen path. */
static void
ask_save_path(UiWindow *w, const char *title, const char *name, const char *const *patterns,
              void (*then)(UiWindow *, const char *))
{
    g_autoptr(GtkFileChooserNative) fc = gtk_file_chooser_native_new(
        title, GTK_WINDOW(w), GTK_FILE_CHOOSER_ACTION_SAVE, "_Save", "_Cancel");
    GtkFileChooser *ch = GTK_FILE_CHOOSER(fc);
    gtk_file_chooser_set_do_overwrite_confirmation(ch, TRUE);
    gtk_file_chooser_set_current_name(ch, name);
    for (guint i = 0; patterns && patterns[i]; i += 2) {
        GtkFileFilter *f = gtk_file_filter_new();
        gtk_file_filter_set_name(f, patterns[i]);
        gtk_file_filter_add_pattern(f, patterns[i + 1]);
        gtk_file_chooser_add_filter(ch, f);
    }
    if (gtk_native_dialog_run(GTK_NATIVE_DIALOG(fc)) == GTK_RESPONSE_ACCEPT) {
        g_autofree char *path = gtk_file_chooser_get_filename(ch);
        if (path)
            then(w, path);
    }
}

static void
on_export(GSimpleAction *a, GVariant *param, gpointer w)
{
    UiCapture *c = current_or_warn(w);
    if (!c)
        return;
    static const char *const patterns[] = { "SVG image", "*.svg", "PNG image", "*.png",
                                            "PDF document", "*.pdf", NULL };
    g_autofree char *name = g_strdup_printf("call-%u.svg", ui_capture_get_open_call(c));
    ask_save_path(w, "Export Ladder", name, patterns, export_to);
}

/* Says how a save ended: @n items written, or @error. */
static void
report_saved(UiWindow *w, gint64 n, const GError *error, const char *items)
{
    if (n < 0) {
        ui_window_show_message(w, GTK_MESSAGE_ERROR, error->message);
        return;
    }
    g_autofree char *msg = g_strdup_printf("Saved %" G_GINT64_FORMAT " %s.", n, items);
    ui_window_show_message(w, GTK_MESSAGE_INFO, msg);
}

static void
on_saved(GObject *src, GAsyncResult *res, gpointer data)
{
    g_autoptr(UiWindow) w = data;
    g_autoptr(GError) error = NULL;
    gint64 n = ui_save_spec_write_finish(res, &error);
    report_saved(w, n, error, "frames");
}

static void
save_pcap_to(UiWindow *w, const char *path)
{
    UiCapture *c = current_or_warn(w);
    g_autoptr(GError) error = NULL;
    if (c && !ui_capture_save_pcap(c, path, on_saved, g_object_ref(w), &error)) {
        g_object_unref(w);
        ui_window_show_message(w, GTK_MESSAGE_ERROR, error->message);
    }
}

static void
on_save_pcap_to(GSimpleAction *a, GVariant *param, gpointer w)
{
    save_pcap_to(w, g_variant_get_string(param, NULL));
}

static void
on_save_pcap(GSimpleAction *a, GVariant *param, gpointer w)
{
    if (!current_or_warn(w))
        return;
    static const char *const patterns[] = { "pcap capture", "*.pcap", NULL };
    ask_save_path(w, "Save Calls as pcap", "calls.pcap", patterns, save_pcap_to);
}

/* ------------------------------------------------------------ capture actions */

static void
on_capture_dialog_response(GtkDialog *d, int response, UiWindow *w)
{
    if (response == GTK_RESPONSE_ACCEPT) {
        g_autoptr(UiLiveSpec) spec = ui_capture_dialog_get_spec(UI_CAPTURE_DIALOG(d));
        if (!spec)
            return; /* not valid yet: the dialog says why */
        ui_window_start_capture(w, spec);
    }
    gtk_widget_destroy(GTK_WIDGET(d));
}

static void
on_capture_start(GSimpleAction *a, GVariant *param, gpointer w)
{
    GtkApplication *app = gtk_window_get_application(GTK_WINDOW(w));
    GtkWidget *d = ui_capture_dialog_new(UI_APP(app), GTK_WINDOW(w));
    g_signal_connect_object(d, "response", G_CALLBACK(on_capture_dialog_response), w, 0);
    gtk_widget_show(d);
}

static void
on_capture_stop(GSimpleAction *a, GVariant *param, gpointer w)
{
    UiCapture *c = ui_window_get_capture(w);
    if (c && ui_capture_is_capturing(c))
        ui_capture_stop(c);
}

static void
on_capture_saved(GObject *src, GAsyncResult *res, gpointer data)
{
    g_autoptr(UiWindow) w = data;
    g_autoptr(GError) error = NULL;
    gint64 n = ui_load_save_capture_finish(res, &error);
    report_saved(w, n, error, "packets");
}

static void
capture_save_to(UiWindow *w, const char *path)
{
    UiCapture *c = current_or_warn(w);
    if (!c)
        return;
    if (!ui_capture_is_live(c)) {
        ui_window_show_message(w, GTK_MESSAGE_INFO,
                               "This tab is a file: save its calls with Ctrl+S.");
        return;
    }
    ui_capture_save_capture(c, path, on_capture_saved, g_object_ref(w));
}

static void
on_capture_save_to(GSimpleAction *a, GVariant *param, gpointer w)
{
    capture_save_to(w, g_variant_get_string(param, NULL));
}

static void
on_capture_save(GSimpleAction *a, GVariant *param, gpointer w)
{
    UiCapture *c = current_or_warn(w);
    if (!c)
        return;
    static const char *const patterns[] = { "pcap capture", "*.pcap", NULL };
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    g_autofree char *stamp = g_date_time_format(now, "%Y%m%d-%H%M%S");
    g_autofree char *name = g_strdup_printf("capture-%s.pcap", stamp);
    ask_save_path(w, "Save Captured Packets", name, patterns, capture_save_to);
}

static void
on_copy_message(GSimpleAction *a, GVariant *param, gpointer w)
{
    UiCapture *c = current_or_warn(w);
    g_autofree char *text = c ? ui_capture_dup_message(c) : NULL;
    if (text)
        gtk_clipboard_set_text(gtk_widget_get_clipboard(w, GDK_SELECTION_CLIPBOARD), text, -1);
}

static void
on_close(GSimpleAction *a, GVariant *param, gpointer w)
{
    UiCapture *c = ui_window_get_capture(w);
    if (c)
        close_capture(w, c);
    else
        gtk_window_close(w);
}

static void
zoom(UiWindow *w, double factor)
{
    UiCapture *c = ui_window_get_capture(w);
    if (c)
        ui_capture_zoom(c, factor);
}

static void
on_zoom_in(GSimpleAction *a, GVariant *p, gpointer w)
{
    zoom(w, 1.25);
}

static void
on_zoom_out(GSimpleAction *a, GVariant *p, gpointer w)
{
    zoom(w, 0.8);
}

static void
on_zoom_reset(GSimpleAction *a, GVariant *p, gpointer w)
{
    zoom(w, 0);
}

static const GActionEntry win_actions[] = {
    { "export", on_export, NULL, NULL, NULL, { 0 } },
    { "export-to", on_export_to, "s", NULL, NULL, { 0 } },
    { "save-pcap", on_save_pcap, NULL, NULL, NULL, { 0 } },
    { "save-pcap-to", on_save_pcap_to, "s", NULL, NULL, { 0 } },
    { "copy-message", on_copy_message, NULL, NULL, NULL, { 0 } },
    { "capture-start", on_capture_start, NULL, NULL, NULL, { 0 } },
    { "capture-stop", on_capture_stop, NULL, NULL, NULL, { 0 } },
    { "capture-save", on_capture_save, NULL, NULL, NULL, { 0 } },
    { "capture-save-to", on_capture_save_to, "s", NULL, NULL, { 0 } },
    { "close", on_close, NULL, NULL, NULL, { 0 } },
    { "zoom-in", on_zoom_in, NULL, NULL, NULL, { 0 } },
    { "zoom-out", on_zoom_out, NULL, NULL, NULL, { 0 } },
    { "zoom-reset", on_zoom_reset, NULL, NULL, NULL, { 0 } },
};

/* ------------------------------------------------------------ drag and drop */

static void
on_drag_data_received(GtkWidget *widget, GdkDragContext *ctx, int x, int y, GtkSelectionData *sel,
                      guint info, guint time)
{
    g_auto(GStrv) uris = gtk_selection_data_get_uris(sel);
    for (guint i = 0; uris && uris[i]; i++) {
        g_autoptr(GFile) f = g_file_new_for_uri(uris[i]);
        ui_window_open(UI_WINDOW(widget), f);
    }
    gtk_drag_finish(ctx, uris != NULL, FALSE, time);
}

/* ------------------------------------------------------------ object */

static void
window_finalize(GObject *o)
{
    g_free(UI_WINDOW(o)->message);
    G_OBJECT_CLASS(ui_window_parent_class)->finalize(o);
}

static void
ui_window_class_init(UiWindowClass *klass)
{
    GtkWidgetClass *wc = GTK_WIDGET_CLASS(klass);
    G_OBJECT_CLASS(klass)->finalize = window_finalize;
    g_type_ensure(UI_TYPE_CAPTURE);
    gtk_widget_class_set_template_from_resource(wc, "/org/sipladder/Sipladder/ui-window.ui");
    gtk_widget_class_bind_template_child(wc, UiWindow, header);
    gtk_widget_class_bind_template_child(wc, UiWindow, info_bar);
    gtk_widget_class_bind_template_child(wc, UiWindow, info_label);
    gtk_widget_class_bind_template_child(wc, UiWindow, stack);
    gtk_widget_class_bind_template_child(wc, UiWindow, notebook);
    gtk_widget_class_bind_template_child(wc, UiWindow, empty_label);
    gtk_widget_class_bind_template_callback(wc, on_info_response);
    gtk_widget_class_bind_template_callback(wc, on_page_removed);
    wc->drag_data_received = on_drag_data_received;
}

static void
ui_window_init(UiWindow *w)
{
    gtk_widget_init_template(GTK_WIDGET(w));
    g_action_map_add_action_entries(G_ACTION_MAP(w), win_actions, G_N_ELEMENTS(win_actions), w);
    gtk_drag_dest_set(GTK_WIDGET(w), GTK_DEST_DEFAULT_ALL, NULL, 0, GDK_ACTION_COPY);
    gtk_drag_dest_add_uri_targets(GTK_WIDGET(w));
    g_signal_connect_swapped(w->notebook, "notify::page", G_CALLBACK(update_title), w);
    update_title(w);
}

UiWindow *
ui_window_new(GtkApplication *app)
{
    return g_object_new(UI_TYPE_WINDOW, "application", app, NULL);
}
