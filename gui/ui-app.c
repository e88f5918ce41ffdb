/* sipladder GUI: UiApp (see ui-app.h). */
#include "ui-app.h"

#include <string.h>

#include "sl-config.h"
#include "ui-prefs-dialog.h"
#include "ui-window.h"

struct _UiApp {
    GtkApplication parent;
    UiPrefs prefs;
    char *prefs_path;
};

G_DEFINE_TYPE(UiApp, ui_app, GTK_TYPE_APPLICATION)

const UiPrefs *
ui_app_get_prefs(UiApp *app)
{
    return &app->prefs;
}

void
ui_app_set_prefs(UiApp *app, const UiPrefs *prefs)
{
    ui_prefs_copy(&app->prefs, prefs);
    g_autoptr(GError) error = NULL;
    if (!ui_prefs_save(&app->prefs, app->prefs_path, &error))
        g_warning("%s", error->message);
    for (GList *w = gtk_application_get_windows(GTK_APPLICATION(app)); w; w = w->next)
        if (UI_IS_WINDOW(w->data))
            ui_window_set_prefs(w->data, &app->prefs);
}

static UiWindow *
active_window(UiApp *app)
{
    GtkWindow *w = gtk_application_get_active_window(GTK_APPLICATION(app));
    if (UI_IS_WINDOW(w))
        return UI_WINDOW(w);
    UiWindow *nw = ui_window_new(GTK_APPLICATION(app));
    return nw;
}

/* ------------------------------------------------------------ actions */

static void
on_open_response(GtkNativeDialog *dlg, int response, gpointer data)
{
    UiWindow *w = data;
    if (response == GTK_RESPONSE_ACCEPT) {
        GSList *files = gtk_file_chooser_get_files(GTK_FILE_CHOOSER(dlg));
        const char *merge = gtk_file_chooser_get_choice(GTK_FILE_CHOOSER(dlg), "merge");
        if (merge && strcmp(merge, "true") == 0 && files && files->next) {
            g_autoptr(GPtrArray) all = g_ptr_array_new();
            for (GSList *f = files; f; f = f->next)
                g_ptr_array_add(all, f->data);
            ui_window_open_files(w, (GFile **)all->pdata, all->len);
        } else {
            for (GSList *f = files; f; f = f->next)
                ui_window_open(w, f->data);
        }
        g_slist_free_full(files, g_object_unref);
    }
    g_object_unref(dlg);
}

static void
on_open(GSimpleAction *a, GVariant *p, gpointer app)
{
    UiWindow *w = active_window(app);
    gtk_window_present(GTK_WINDOW(w));
    GtkFileChooserNative *fc = gtk_file_chooser_native_new(
        "Open Capture", GTK_WINDOW(w), GTK_FILE_CHOOSER_ACTION_OPEN, "_Open", "_Cancel");
    GtkFileChooser *ch = GTK_FILE_CHOOSER(fc);
    gtk_file_chooser_set_select_multiple(ch, TRUE);
    GtkFileFilter *caps = gtk_file_filter_new();
    gtk_file_filter_set_name(caps, "Captures (pcap, pcapng, gzip)");
    static const char *const patterns[] = { "*.pcap", "*.pcapng", "*.cap", "*.pcap.gz",
                                            "*.pcapng.gz", "*.gz", NULL };
    for (guint i = 0; patterns[i]; i++)
        gtk_file_filter_add_pattern(caps, patterns[i]);
    gtk_file_filter_add_mime_type(caps, "application/vnd.tcpdump.pcap");
    gtk_file_filter_add_mime_type(caps, "application/x-pcapng");
    gtk_file_chooser_add_filter(ch, caps);
    GtkFileFilter *all = gtk_file_filter_new();
    gtk_file_filter_set_name(all, "All files");
    gtk_file_filter_add_pattern(all, "*");
    gtk_file_chooser_add_filter(ch, all);
    gtk_file_chooser_add_choice(ch, "merge", "Read the selected files as one capture (merged by time)",
                                NULL, NULL);
    g_signal_connect(fc, "response", G_CALLBACK(on_open_response), w);
    gtk_native_dialog_show(GTK_NATIVE_DIALOG(fc));
}

static void
on_preferences(GSimpleAction *a, GVariant *p, gpointer app)
{
    GtkWidget *d = ui_prefs_dialog_new(app, gtk_application_get_active_window(app));
    g_signal_connect(d, "response", G_CALLBACK(gtk_widget_destroy), NULL);
    gtk_widget_show(d);
}

static void
on_about(GSimpleAction *a, GVariant *p, gpointer app)
{
    static const char *const authors[] = { "The sipladder authors", NULL };
    gtk_show_about_dialog(gtk_application_get_active_window(app), "program-name", "sipladder",
                          "version", SL_VERSION, "logo-icon-name", UI_APP_ID, "comments",
                          "SIP/RTP protocol analyzer and call-flow visualizer", "license-type",
                          GTK_LICENSE_MIT_X11, "authors", authors, NULL);
}

static void
on_quit(GSimpleAction *a, GVariant *p, gpointer app)
{
    for (GList *w = gtk_application_get_windows(app); w;) {
        GList *next = w->next;
        gtk_widget_destroy(w->data);
        w = next;
    }
}

static const GActionEntry app_actions[] = {
    { "open", on_open, NULL, NULL, NULL, { 0 } },
    { "preferences", on_preferences, NULL, NULL, NULL, { 0 } },
    { "about", on_about, NULL, NULL, NULL, { 0 } },
    { "quit", on_quit, NULL, NULL, NULL, { 0 } },
};

static const struct {
    const char *action;
    const char *accels[4];
} accels[] = {
    { "app.open", { "<Primary>o", NULL } },
    { "app.quit", { "<Primary>q", NULL } },
    { "win.export", { "<Primary>e", NULL } },
    { "win.save-pcap", { "<Primary>s", NULL } },
    { "win.copy-message", { "<Primary><Shift>c", NULL } },
    { "win.capture-start", { "<Primary>k", NULL } },
    { "win.capture-stop", { "<Primary><Shift>k", NULL } },
    { "win.capture-save", { "<Primary><Shift>s", NULL } },
    { "win.close", { "<Primary>w", NULL } },
    { "win.zoom-in", { "<Primary>plus", "<Primary>equal", "<Primary>KP_Add", NULL } },
    { "win.zoom-out", { "<Primary>minus", "<Primary>KP_Subtract", NULL } },
    { "win.zoom-reset", { "<Primary>0", "<Primary>KP_0", NULL } },
    { "win.show-help-overlay", { "<Primary>question", "<Primary>F1", NULL } },
};

/* ------------------------------------------------------------ GApplication */

static void
app_startup(GApplication *gapp)
{
    G_APPLICATION_CLASS(ui_app_parent_class)->startup(gapp);
    UiApp *app = UI_APP(gapp);
    g_action_map_add_action_entries(G_ACTION_MAP(app), app_actions, G_N_ELEMENTS(app_actions),
                                    app);
    for (size_t i = 0; i < G_N_ELEMENTS(accels); i++)
        gtk_application_set_accels_for_action(GTK_APPLICATION(app), accels[i].action,
                                              accels[i].accels);
    g_autoptr(GError) error = NULL;
    ui_prefs_load(&app->prefs, app->prefs_path, &error);
    if (error)
        g_warning("%s", error->message);
    gtk_window_set_default_icon_name(UI_APP_ID);
}

static void
app_activate(GApplication *gapp)
{
    gtk_window_present(GTK_WINDOW(active_window(UI_APP(gapp))));
}

/* @hint "merge": the files are one capture, in one tab. */
static void
app_open(GApplication *gapp, GFile **files, int n, const char *hint)
{
    UiWindow *w = active_window(UI_APP(gapp));
    if (n > 1 && g_strcmp0(hint, UI_APP_OPEN_MERGED) == 0)
        ui_window_open_files(w, files, (guint)n);
    else
        for (int i = 0; i < n; i++)
            ui_window_open(w, files[i]);
    gtk_window_present(GTK_WINDOW(w));
}

/* The files on the command line are collected here (G_OPTION_REMAINING)
 * so that --merge can go with them to the running instance as the open
 * hint. */
static gint
app_handle_local_options(GApplication *gapp, GVariantDict *options)
{
    g_autofree const char **args = NULL;
    if (!g_variant_dict_lookup(options, G_OPTION_REMAINING, "^a&ay", &args) || !args || !args[0])
        return -1; /* no file: activate */
    gboolean merge = g_variant_dict_contains(options, "merge");
    g_autoptr(GError) error = NULL;
    if (!g_application_register(gapp, NULL, &error)) {
        g_printerr("sipladder: %s\n", error->message);
        return 1;
    }
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_object_unref);
    for (guint i = 0; args[i]; i++)
        g_ptr_array_add(files, g_file_new_for_commandline_arg(args[i]));
    g_application_open(gapp, (GFile **)files->pdata, (int)files->len,
                       merge ? UI_APP_OPEN_MERGED : "");
    /* the first instance goes on to run (its window holds it); another
     * has handed the files over and ends */
    return g_application_get_is_remote(gapp) ? 0 : -1;
}

static void
app_finalize(GObject *o)
{
    UiApp *app = UI_APP(o);
    ui_prefs_clear(&app->prefs);
    g_free(app->prefs_path);
    G_OBJECT_CLASS(ui_app_parent_class)->finalize(o);
}

static void
ui_app_class_init(UiAppClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = app_finalize;
    GApplicationClass *ac = G_APPLICATION_CLASS(klass);
    ac->startup = app_startup;
    ac->activate = app_activate;
    ac->open = app_open;
    ac->handle_local_options = app_handle_local_options;
}

static const GOptionEntry app_options[] = {
    { "merge", 'm', 0, G_OPTION_ARG_NONE, NULL,
      "Read the files given as one capture, their frames merged by time (ring-buffer files, "
      "captures of one call from several points), in one tab", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, "[FILE...]" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
};

static void
ui_app_init(UiApp *app)
{
    app->prefs_path = ui_prefs_default_path();
    g_application_add_main_option_entries(G_APPLICATION(app), app_options);
}

UiApp *
ui_app_new(GApplicationFlags flags)
{
    return g_object_new(UI_TYPE_APP, "application-id", UI_APP_ID, "flags",
                        G_APPLICATION_HANDLES_OPEN | flags, NULL);
}
