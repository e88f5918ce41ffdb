/* sipladder GUI: UiWindow, the main window: header bar, an error bar, and
 * a notebook with one UiCapture per open file or live capture. Window
 * actions: export, export-to(s), save-pcap, save-pcap-to(s), copy-message,
 * close, zoom-in, zoom-out, zoom-reset, capture-start (the capture
 * dialog), capture-stop, capture-save, capture-save-to(s) (every packet
 * of the live capture shown; the -to forms take a path: tests and scripts
 * use them instead of a file chooser). */
#pragma once

#include <gtk/gtk.h>

#include "ui-capture.h"

G_BEGIN_DECLS

#define UI_TYPE_WINDOW (ui_window_get_type())
G_DECLARE_FINAL_TYPE(UiWindow, ui_window, UI, WINDOW, GtkApplicationWindow)

UiWindow *ui_window_new(GtkApplication *app);
/* Opens @file in a new tab (and the recent files list); returns the tab. */
UiCapture *ui_window_open(UiWindow *w, GFile *file);
/* Opens @files (@n of them) in one tab, read as one capture: their frames
 * merged by time (for the files of a ring buffer, or captures of one call
 * taken at several points). One file: ui_window_open(). */
UiCapture *ui_window_open_files(UiWindow *w, GFile **files, guint n);
/* Starts capturing as @spec says in a new tab; returns the tab. */
UiCapture *ui_window_start_capture(UiWindow *w, const UiLiveSpec *spec);
/* The tab shown, or NULL. */
UiCapture *ui_window_get_capture(UiWindow *w);
guint ui_window_count_captures(UiWindow *w);
/* Shows @text in the error bar (plain text). */
void ui_window_show_message(UiWindow *w, GtkMessageType type, const char *text);
/* The error bar's text while it is shown, else NULL (borrowed). */
const char *ui_window_get_message(UiWindow *w);
/* New preferences for every tab. */
void ui_window_set_prefs(UiWindow *w, const UiPrefs *prefs);

G_END_DECLS
