/* sipladder GUI: UiCapture, one open capture file or live capture (a tab
 * of the window): loading progress with Cancel (live: the capture's
 * figures with Stop and Save), the call list (calls, and registrations
 * and other dialogs on their own tab) with its filter, and the open call's
 * ladder, message pane and media. */
#pragma once

#include <gtk/gtk.h>

#include "ui-ladder-view.h"
#include "ui-load.h"
#include "ui-prefs.h"

G_BEGIN_DECLS

#define UI_TYPE_CAPTURE (ui_capture_get_type())
G_DECLARE_FINAL_TYPE(UiCapture, ui_capture, UI, CAPTURE, GtkBox)

/* Starts loading @path; @prefs is copied. Signals: "warning" (int
 * CorrLoadWarnKind, string text) for every loader warning, "loaded" when
 * the file has been read (completely, in part, or not at all), "notice"
 * (string text) for what the user should know (the call activated was
 * evicted, it opens when the capture stops). */
UiCapture *ui_capture_new(const char *path, const UiPrefs *prefs);
/* The same for several files (NULL-terminated, copied) read as one
 * capture, their frames merged by time; the title is the first file's
 * base name and "+ N more". */
UiCapture *ui_capture_new_files(const char *const *paths, const UiPrefs *prefs);
/* Starts capturing as @spec says (copied): calls appear and update while
 * it runs; once stopped (ui_capture_stop) it behaves like a loaded file.
 * Every packet goes to a scratch pcap file (the path), deleted with the
 * tab. A source that cannot open gives a "warning" (CORR_LOAD_WARN_OPEN)
 * and "loaded" with nothing opened. */
UiCapture *ui_capture_new_live(const UiLiveSpec *spec, const UiPrefs *prefs);

/* The (first) file; live: the scratch capture file. */
const char *ui_capture_get_path(UiCapture *c);
/* Files: every file of the tab (NULL-terminated); live: NULL. */
const char *const *ui_capture_get_paths(UiCapture *c);
/* The tab's title: the file's base name, "lo", "HEP 0.0.0.0:9060". */
const char *ui_capture_get_title(UiCapture *c);
gboolean ui_capture_is_live(UiCapture *c);
/* Live and not stopped yet (until "loaded"). */
gboolean ui_capture_is_capturing(UiCapture *c);
/* Ends a live capture (nothing for a file); "loaded" follows. */
void ui_capture_stop(UiCapture *c);
/* Live: the figures last shown, and the status line that shows them
 * (borrowed; NULL for a file). */
void ui_capture_get_live_stats(UiCapture *c, UiLiveStats *out);
const char *ui_capture_get_live_status(UiCapture *c);
/* Live: copies every packet captured so far to @path as pcap, on a worker
 * thread; @done gets ui_load_save_capture_finish's result. */
void ui_capture_save_capture(UiCapture *c, const char *path, GAsyncReadyCallback done,
                             gpointer user_data);
/* The @n-th row of the call list (@calls) or the other list, in the
 * order rows came, before sorting and filtering (borrowed), or NULL. */
const UiCallRow *ui_capture_get_row(UiCapture *c, gboolean calls, guint n);
/* Activates the @n-th row shown, as a double-click does. */
gboolean ui_capture_activate_row(UiCapture *c, gboolean calls, guint n);
gboolean ui_capture_is_loaded(UiCapture *c);
/* Whether the file could be opened at all (valid once loaded). */
gboolean ui_capture_was_opened(UiCapture *c);
/* Rows in the call list (@calls) or the other list, before filtering. */
guint ui_capture_count_rows(UiCapture *c, gboolean calls);
/* Rows shown after the filter. */
guint ui_capture_count_visible(UiCapture *c, gboolean calls);
void ui_capture_set_filter(UiCapture *c, const char *text);

/* Opens the call or other entry numbered @id (after loading); FALSE when
 * there is none. */
gboolean ui_capture_open_call(UiCapture *c, guint id);
/* The call shown, or 0. */
guint ui_capture_get_open_call(UiCapture *c);
UiLadderView *ui_capture_get_ladder_view(UiCapture *c);
/* The text of the message pane (caller owns), for tests. */
char *ui_capture_get_message_text(UiCapture *c, gboolean raw);
/* Shows the ladder (0) or the media (1) tab of the open call. */
void ui_capture_show_detail(UiCapture *c, int page);
/* Streams listed on the media tab. */
guint ui_capture_count_streams(UiCapture *c);

/* Exports the open call's ladder to @path (SVG, PNG or PDF by extension). */
gboolean ui_capture_export_ladder(UiCapture *c, const char *path, GError **error);
/* Saves the selected calls (else the open one) with their RTP as a pcap,
 * on a worker thread; @done gets ui_save_spec_write_finish's result. */
gboolean ui_capture_save_pcap(UiCapture *c, const char *path, GAsyncReadyCallback done,
                              gpointer user_data, GError **error);
/* The selected message's text (caller owns), or NULL. */
char *ui_capture_dup_message(UiCapture *c);
void ui_capture_zoom(UiCapture *c, double factor); /* 0: back to 100 % */
/* New preferences (copied): rebuilds the list times and the ladder. */
void ui_capture_set_prefs(UiCapture *c, const UiPrefs *prefs);

G_END_DECLS
