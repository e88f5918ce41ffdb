/* sipladder GUI: UiMediaPlot (see ui-media-plot.h). */
#include "ui-media-plot.h"

#include <math.h>

#define PANELS 3
#define MARGIN_L 56.0
#define MARGIN_R 12.0
#define PANEL_GAP 22.0

struct _UiMediaPlot {
    GtkDrawingArea parent;
    GPtrArray *streams; /* RtpStream* */
    const CorrMediaCollector *collector;
};

G_DEFINE_TYPE(UiMediaPlot, ui_media_plot, GTK_TYPE_DRAWING_AREA)

static const char *const panel_titles[PANELS] = { "packets/s", "lost/s", "jitter (ms)" };

void
ui_media_plot_color(guint i, double rgb[3])
{
    static const unsigned colors[] = { 0x1f5fbf, 0xd9730d, 0x2e8b3a, 0xc0392b,
                                       0x8a3ab9, 0x138a8a, 0x8c5a2b, 0xc2185b };
    unsigned c = colors[i % G_N_ELEMENTS(colors)];
    rgb[0] = ((c >> 16) & 0xff) / 255.0;
    rgb[1] = ((c >> 8) & 0xff) / 255.0;
    rgb[2] = (c & 0xff) / 255.0;
}

void
ui_media_plot_set_streams(UiMediaPlot *p, GPtrArray *streams, const CorrMediaCollector *c)
{
    g_return_if_fail(UI_IS_MEDIA_PLOT(p));
    g_clear_pointer(&p->streams, g_ptr_array_unref);
    p->streams = streams ? g_ptr_array_ref(streams) : NULL;
    p->collector = c;
    gtk_widget_queue_draw(GTK_WIDGET(p));
}

static double
sample_value(const CorrSecond *s, int panel)
{
    return panel == 0 ? s->packets : panel == 1 ? s->lost : s->jitter_ms;
}

/* A round upper bound for an axis: 1, 2, 5 times a power of ten. */
static double
nice_max(double v)
{
    if (v <= 0)
        return 1;
    double p = pow(10, floor(log10(v)));
    for (double m = 1; m <= 10; m = m == 1 ? 2 : m == 2 ? 5 : 10)
        if (m * p >= v)
            return m * p;
    return 10 * p;
}

static void
draw_text(cairo_t *cr, PangoLayout *pl, double x, double y, const char *text, bool right)
{
    pango_layout_set_text(pl, text, -1); /* plain text, never markup */
    int w, h;
    pango_layout_get_pixel_size(pl, &w, &h);
    cairo_move_to(cr, right ? x - w : x, y - h / 2.0);
    pango_cairo_show_layout(cr, pl);
}

static gboolean
plot_draw(GtkWidget *w, cairo_t *cr)
{
    UiMediaPlot *p = UI_MEDIA_PLOT(w);
    double W = gtk_widget_get_allocated_width(w), H = gtk_widget_get_allocated_height(w);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    PangoLayout *pl = gtk_widget_create_pango_layout(w, NULL);
    PangoFontDescription *fd = pango_font_description_from_string("Sans 8");
    pango_layout_set_font_description(pl, fd);
    pango_font_description_free(fd);
    SlTime t0 = G_MAXINT64;
    for (guint i = 0; p->streams && i < p->streams->len; i++)
        t0 = MIN(t0, ((const RtpStream *)g_ptr_array_index(p->streams, i))->first_ts);
    if (!p->streams || p->streams->len == 0 || !p->collector) {
        cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
        draw_text(cr, pl, 12, 16, "No RTP stream in this call", false);
        g_object_unref(pl);
        return TRUE;
    }
    /* the axis ends with the last second any stream has */
    double span = 1;
    for (guint i = 0; i < p->streams->len; i++) {
        const RtpStream *s = g_ptr_array_index(p->streams, i);
        const GArray *sec = corr_media_series(p->collector, s);
        if (sec)
            span = MAX(span, sl_time_to_seconds(s->first_ts - t0) + sec->len);
    }
    span = ceil(span);
    double ph = (H - PANEL_GAP * PANELS - 16) / PANELS;
    double pw = W - MARGIN_L - MARGIN_R;
    for (int panel = 0; panel < PANELS && ph > 10 && pw > 10; panel++) {
        double top = PANEL_GAP + panel * (ph + PANEL_GAP);
        double vmax = 0;
        for (guint i = 0; i < p->streams->len; i++) {
            const GArray *sec = corr_media_series(p->collector, g_ptr_array_index(p->streams, i));
            for (guint k = 0; sec && k < sec->len; k++)
                vmax = MAX(vmax, sample_value(&g_array_index(sec, CorrSecond, k), panel));
        }
        vmax = nice_max(vmax);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        draw_text(cr, pl, MARGIN_L, top - 9, panel_titles[panel], false);
        char buf[32];
        g_snprintf(buf, sizeof buf, "%g", vmax);
        draw_text(cr, pl, MARGIN_L - 4, top, buf, true);
        draw_text(cr, pl, MARGIN_L - 4, top + ph, "0", true);
        cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
        cairo_set_line_width(cr, 1);
        cairo_rectangle(cr, MARGIN_L + 0.5, top + 0.5, pw, ph);
        cairo_stroke(cr);
        for (guint i = 0; i < p->streams->len; i++) {
            const RtpStream *s = g_ptr_array_index(p->streams, i);
            const GArray *sec = corr_media_series(p->collector, s);
            if (!sec || sec->len == 0)
                continue;
            double rgb[3];
            ui_media_plot_color(i, rgb);
            cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
            cairo_set_line_width(cr, 1.5);
            double off = sl_time_to_seconds(s->first_ts - t0);
            for (guint k = 0; k < sec->len; k++) {
                double v = sample_value(&g_array_index(sec, CorrSecond, k), panel);
                double x = MARGIN_L + (off + k + 0.5) / span * pw;
                double y = top + ph - v / vmax * ph;
                if (k == 0)
                    cairo_move_to(cr, x, y);
                else
                    cairo_line_to(cr, x, y);
            }
            cairo_stroke(cr);
        }
    }
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    char end[32];
    g_snprintf(end, sizeof end, "%.0f s", span);
    draw_text(cr, pl, W - MARGIN_R, H - 8, end, true);
    draw_text(cr, pl, MARGIN_L, H - 8, "0 s", false);
    g_object_unref(pl);
    return TRUE;
}

static void
plot_finalize(GObject *o)
{
    UiMediaPlot *p = UI_MEDIA_PLOT(o);
    g_clear_pointer(&p->streams, g_ptr_array_unref);
    G_OBJECT_CLASS(ui_media_plot_parent_class)->finalize(o);
}

static void
ui_media_plot_class_init(UiMediaPlotClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = plot_finalize;
    GTK_WIDGET_CLASS(klass)->draw = plot_draw;
}

static void
ui_media_plot_init(UiMediaPlot *p)
{
    gtk_widget_set_size_request(GTK_WIDGET(p), 300, 240);
}

GtkWidget *
ui_media_plot_new(void)
{
    return g_object_new(UI_TYPE_MEDIA_PLOT, NULL);
}
