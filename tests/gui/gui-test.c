/* GUI tests: shared helpers (see gui-test.h). */
#include "gui-test.h"

#include <string.h>

char *
gui_test_sample_path(const char *name)
{
    const char *root = g_getenv("SL_SOURCE_DIR");
    return g_build_filename(root ? root : ".", "samples", name, NULL);
}

static gboolean
on_timeout(gpointer flag)
{
    *(gboolean *)flag = TRUE;
    return G_SOURCE_REMOVE;
}

void
gui_test_wait_until_for(gboolean (*cond)(gpointer), gpointer data, guint seconds)
{
    gboolean expired = FALSE;
    guint id = g_timeout_add_seconds(seconds, on_timeout, &expired);
    while (!cond(data) && !expired)
        g_main_context_iteration(NULL, TRUE);
    g_assert_false(expired);
    g_source_remove(id);
}

void
gui_test_wait_until(gboolean (*cond)(gpointer), gpointer data)
{
    gui_test_wait_until_for(cond, data, 60);
}

gboolean
gui_test_no_pending_events(gpointer unused)
{
    return !g_main_context_pending(NULL);
}

void
gui_test_run_for(guint ms)
{
    gboolean expired = FALSE;
    g_timeout_add(ms, on_timeout, &expired);
    while (!expired)
        g_main_context_iteration(NULL, TRUE);
}

static gboolean
on_drawn(GtkWidget *w, cairo_t *cr, gpointer flag)
{
    *(gboolean *)flag = TRUE;
    return FALSE;
}

static gboolean
flag_set(gpointer flag)
{
    return *(gboolean *)flag;
}

void
gui_test_wait_drawn(GtkWidget *widget)
{
    gboolean drawn = FALSE;
    gulong id = g_signal_connect(widget, "draw", G_CALLBACK(on_drawn), &drawn);
    gtk_widget_queue_draw(widget);
    gui_test_wait_until(flag_set, &drawn);
    g_signal_handler_disconnect(widget, id);
}

void
gui_test_save_png(GtkWidget *widget, const char *path)
{
    gui_test_wait_drawn(widget);
    gdk_display_sync(gtk_widget_get_display(widget));
    GtkAllocation a;
    gtk_widget_get_allocation(widget, &a);
    g_assert_cmpint(a.width, >, 10);
    g_assert_cmpint(a.height, >, 10);
    GdkWindow *win = gtk_widget_get_window(widget);
    int x = 0, y = 0;
    if (gtk_widget_get_has_window(widget) && gtk_widget_is_toplevel(widget)) {
        a.width = gdk_window_get_width(win);
        a.height = gdk_window_get_height(win);
    } else {
        x = a.x;
        y = a.y;
    }
    g_autoptr(GdkPixbuf) pb = gdk_pixbuf_get_from_window(win, x, y, a.width, a.height);
    g_assert_nonnull(pb);
    g_autoptr(GError) error = NULL;
    g_assert_true(gdk_pixbuf_save(pb, path, "png", &error, NULL));
}

int
gui_test_start(int *argc, char ***argv, const char *prefix, char **tmp_dir,
               const char **shots_dir)
{
    if (!g_getenv("DISPLAY") && !g_getenv("WAYLAND_DISPLAY")) {
        g_printerr("no display: skipped (run under xvfb-run)\n");
        return 77;
    }
    g_autofree char *tmpl = g_strdup_printf("%s-XXXXXX", prefix);
    *tmp_dir = g_dir_make_tmp(tmpl, NULL);
    g_assert_nonnull(*tmp_dir);
    static const char *const dirs[][2] = {
        { "XDG_CONFIG_HOME", "config" },
        { "XDG_DATA_HOME", "data" },
        { "XDG_CACHE_HOME", "cache" },
    };
    for (guint i = 0; i < G_N_ELEMENTS(dirs); i++) {
        g_autofree char *d = g_build_filename(*tmp_dir, dirs[i][1], NULL);
        g_setenv(dirs[i][0], d, TRUE);
    }
    g_test_init(argc, argv, NULL);
    for (int i = 1; i + 1 < *argc; i++)
        if (strcmp((*argv)[i], "--shots") == 0)
            *shots_dir = (*argv)[i + 1];
    if (!gtk_init_check(argc, argv)) {
        g_printerr("cannot open the display: skipped\n");
        return 77;
    }
    if (*shots_dir)
        g_mkdir_with_parents(*shots_dir, 0755);
    return 0;
}

UiWindow *
gui_test_new_window(UiApp *app)
{
    UiWindow *w = ui_window_new(GTK_APPLICATION(app));
    gtk_window_set_default_size(GTK_WINDOW(w), 1560, 940);
    gtk_widget_show(GTK_WIDGET(w));
    return w;
}

gboolean
gui_test_is_loaded(gpointer c)
{
    return ui_capture_is_loaded(c);
}

UiCapture *
gui_test_open_and_wait(UiWindow *w, const char *path)
{
    g_autoptr(GFile) f = g_file_new_for_path(path);
    UiCapture *c = ui_window_open(w, f);
    g_assert_nonnull(c);
    g_object_ref(c);
    gui_test_wait_until(gui_test_is_loaded, c);
    gui_test_wait_until(gui_test_no_pending_events, NULL);
    return c;
}
