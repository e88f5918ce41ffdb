/* GUI tests: what test-window.c and test-capture.c share: running the main
 * loop until a condition holds, and screenshots of what the X server shows. */
#pragma once

#include <gtk/gtk.h>

#include "ui-app.h"
#include "ui-window.h"

G_BEGIN_DECLS

/* The start of a GUI test's main(): skips (returns 77) without a display;
 * points XDG_CONFIG_HOME, XDG_DATA_HOME and XDG_CACHE_HOME into a new
 * scratch directory named after @prefix (*@tmp_dir, caller owns: the
 * preferences, recent files and live capture files go there); reads
 * "--shots DIR" into *@shots_dir; initialises GTest and GTK. Returns 0
 * when the test can run. */
int gui_test_start(int *argc, char ***argv, const char *prefix, char **tmp_dir,
                   const char **shots_dir);

/* samples/@name under $SL_SOURCE_DIR (caller owns). */
char *gui_test_sample_path(const char *name);
/* Runs the main loop until @cond(@data) holds; fails after @seconds. */
void gui_test_wait_until_for(gboolean (*cond)(gpointer), gpointer data, guint seconds);
/* The same within 60 s. */
void gui_test_wait_until(gboolean (*cond)(gpointer), gpointer data);
/* A condition: the main context has nothing left to do. */
gboolean gui_test_no_pending_events(gpointer unused);
/* Runs the main loop for @ms milliseconds. */
void gui_test_run_for(guint ms);
/* Waits until @widget has been laid out and drawn on screen. */
void gui_test_wait_drawn(GtkWidget *widget);
/* Saves what the X server shows of @widget as a PNG at @path. */
void gui_test_save_png(GtkWidget *widget, const char *path);

/* A shown application window of 1560 x 940 (caller destroys it). */
UiWindow *gui_test_new_window(UiApp *app);
/* A condition: the capture @c (a UiCapture) finished loading. */
gboolean gui_test_is_loaded(gpointer c);
/* Opens @path in @w and runs the main loop until it is loaded and
 * nothing is left to do; returns the capture with a reference of its own
 * (caller unrefs). */
UiCapture *gui_test_open_and_wait(UiWindow *w, const char *path);
G_END_DECLS
