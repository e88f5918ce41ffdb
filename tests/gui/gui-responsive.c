/* Measures how the window keeps up while a large capture loads:
 * `gui-responsive FILE` (under a display, e.g. xvfb-run -a) prints the time
 * to the first rows in the call list, the load time and the longest stall
 * of the main loop (the gap between two ticks of a 10 ms timer), and fails
 * when a stall exceeds 250 ms or the first rows take more than a second.
 * Make a capture with bench/make-capture.py (see docs/gui.md). */
#include <stdio.h>

#include "ui-app.h"
#include "ui-window.h"

static gint64 last_tick, worst_gap;

static gboolean
tick(gpointer unused)
{
    gint64 now = g_get_monotonic_time();
    if (last_tick && now - last_tick > worst_gap)
        worst_gap = now - last_tick;
    last_tick = now;
    return G_SOURCE_CONTINUE;
}

int
main(int argc, char **argv)
{
    if (argc != 2) {
        g_printerr("usage: gui-responsive FILE\n");
        return 2;
    }
    if (!gtk_init_check(&argc, &argv)) {
        g_printerr("no display: skipped\n");
        return 77;
    }
    g_autoptr(UiApp) app = ui_app_new(G_APPLICATION_NON_UNIQUE);
    if (!g_application_register(G_APPLICATION(app), NULL, NULL))
        return 99;
    UiWindow *w = ui_window_new(GTK_APPLICATION(app));
    gtk_window_set_default_size(GTK_WINDOW(w), 1280, 800);
    gtk_widget_show(GTK_WIDGET(w));
    g_autoptr(GFile) f = g_file_new_for_commandline_arg(argv[1]);
    gint64 start = g_get_monotonic_time(), first_rows = 0;
    UiCapture *c = g_object_ref(ui_window_open(w, f));
    g_timeout_add(10, tick, NULL);
    while (!ui_capture_is_loaded(c)) {
        g_main_context_iteration(NULL, TRUE);
        if (!first_rows && ui_capture_count_rows(c, TRUE) + ui_capture_count_rows(c, FALSE) > 0)
            first_rows = g_get_monotonic_time();
    }
    gint64 loaded = g_get_monotonic_time();
    /* then the first call's ladder, laid out on a thread when it is large */
    UiLadderView *v = ui_capture_get_ladder_view(c);
    while (ui_ladder_view_is_building(v) || g_main_context_pending(NULL))
        g_main_context_iteration(NULL, TRUE);
    gint64 shown = g_get_monotonic_time();
    for (int i = 0; i < 3; i++) { /* scroll to the end and draw */
        ui_ladder_view_step(v, 1 << 30);
        while (g_main_context_pending(NULL))
            g_main_context_iteration(NULL, FALSE);
    }
    tick(NULL);
    const LadderLayout *l = ui_ladder_view_get_layout(v);
    printf("first rows after %.3f s\nloaded after %.3f s\nladder after %.3f s (%u arrows)\n"
           "rows %u calls, %u other\nlongest main loop stall %.3f s\n",
           first_rows ? (first_rows - start) / 1e6 : -1.0, (loaded - start) / 1e6,
           (shown - start) / 1e6, l ? l->arrows->len : 0,
           ui_capture_count_rows(c, TRUE), ui_capture_count_rows(c, FALSE), worst_gap / 1e6);
    g_object_unref(c);
    gtk_widget_destroy(GTK_WIDGET(w));
    return first_rows && first_rows - start <= 1000000 && worst_gap <= 250000 ? 0 : 1;
}
