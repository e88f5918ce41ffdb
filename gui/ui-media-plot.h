/* sipladder GUI: UiMediaPlot, plots over time of the RTP streams of a
 * call: packets per second, packets lost per second and jitter (ms), one
 * coloured line per stream on a shared time axis (capture time). */
#pragma once

#include <gtk/gtk.h>

#include "corr-media.h"

G_BEGIN_DECLS

#define UI_TYPE_MEDIA_PLOT (ui_media_plot_get_type())
G_DECLARE_FINAL_TYPE(UiMediaPlot, ui_media_plot, UI, MEDIA_PLOT, GtkDrawingArea)

GtkWidget *ui_media_plot_new(void);
/* Plots @streams (RtpStream*, referenced) with their series from
 * @collector (borrowed: keep it alive while shown); NULL clears. */
void ui_media_plot_set_streams(UiMediaPlot *p, GPtrArray *streams,
                               const CorrMediaCollector *collector);
/* The colour of line @i (the stream list shows it too). */
void ui_media_plot_color(guint i, double rgb[3]);

G_END_DECLS
