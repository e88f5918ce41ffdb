/* sipladder GUI: UiLadderView, the ladder of one call drawn by the shared
 * renderer (ladder_draw over a cairo canvas) in a drawing area that scrolls
 * itself (GtkScrollable): put it straight into a GtkScrolledWindow, no
 * viewport. The view keeps its LadderLayout, rebuilt when
 * the calls or options change (never while drawing), and hit-tests clicks
 * and tooltips against the layout's geometry. */
#pragma once

#include <gtk/gtk.h>

#include "ladder.h"

G_BEGIN_DECLS

#define UI_TYPE_LADDER_VIEW (ui_ladder_view_get_type())
G_DECLARE_FINAL_TYPE(UiLadderView, ui_ladder_view, UI, LADDER_VIEW, GtkDrawingArea)

#define UI_LADDER_ZOOM_MIN 0.25
#define UI_LADDER_ZOOM_MAX 4.0

GtkWidget *ui_ladder_view_new(void);

/* Shows @calls (CorrCall*, referenced) with @streams (RtpStream*,
 * referenced) and @info (parallel to @streams, borrowed: keep it alive as
 * long as the view shows it); NULL @calls clears the view. */
void ui_ladder_view_set_calls(UiLadderView *v, GPtrArray *calls, GPtrArray *streams,
                              const CorrStreamInfo *info);
/* Calls of more than a couple of thousand messages are laid out on a
 * worker thread (the view says so meanwhile, "layout-changed" follows);
 * @ref/@unref keep @owner (what owns the engine) alive until it is done. */
void ui_ladder_view_set_owner(UiLadderView *v, gpointer owner, gpointer (*ref)(gpointer),
                              GDestroyNotify unref);
gboolean ui_ladder_view_is_building(UiLadderView *v);
/* Copies @opts (the aliases table is referenced) and rebuilds. */
void ui_ladder_view_set_options(UiLadderView *v, const LadderOptions *opts);

/* The layout drawn (borrowed; NULL when empty): for tests and exports. */
const LadderLayout *ui_ladder_view_get_layout(UiLadderView *v);
const LadderStyle *ui_ladder_view_get_style(UiLadderView *v);

/* Selection: an arrow (message) or a band (RTP stream), -1 for none.
 * Selecting one clears the other, scrolls it into view and emits
 * "arrow-selected" (int index) or "band-selected" (int index). */
void ui_ladder_view_select_arrow(UiLadderView *v, int index);
void ui_ladder_view_select_band(UiLadderView *v, int index);
int ui_ladder_view_get_selected_arrow(UiLadderView *v);
int ui_ladder_view_get_selected_band(UiLadderView *v);
/* Moves the selection @delta arrows down (negative: up). */
void ui_ladder_view_step(UiLadderView *v, int delta);

void ui_ladder_view_set_zoom(UiLadderView *v, double zoom); /* clamped */
double ui_ladder_view_get_zoom(UiLadderView *v);

G_END_DECLS
