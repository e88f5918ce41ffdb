/* sipladder: the cairo canvas (GUI widget, PNG, PDF). Shapes go straight
 * to cairo; text goes through one cached PangoLayout, always as plain text
 * (pango_layout_set_text, never markup), so a display name like "<b>" is
 * drawn as the four characters it is. Groups carry nothing here: the GUI
 * hit-tests against the layout's geometry instead. */
#include "ladder-canvas.h"

#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>

typedef struct {
    LadderCanvas base;
    cairo_t *cr; /* borrowed */
    char *family;
    PangoLayout *layout;        /* created on the first text */
    PangoFontDescription *desc; /* the font last set on layout */
} CairoCanvas;

/* Dash pattern of a dashed pen, in units (the SVG canvas uses the same). */
static const double cairo_dash[] = { 6, 4 };

static void
cairo_canvas_source(cairo_t *cr, const LadderColor *c)
{
    cairo_set_source_rgba(cr, c->r, c->g, c->b, isfinite(c->a) ? c->a : 1.0);
}

static void
cairo_canvas_pen(cairo_t *cr, const LadderPen *pen)
{
    cairo_canvas_source(cr, &pen->color);
    cairo_set_line_width(cr, isfinite(pen->width) && pen->width > 0 ? pen->width : 1);
    if (pen->dashed)
        cairo_set_dash(cr, cairo_dash, G_N_ELEMENTS(cairo_dash), 0);
    else
        cairo_set_dash(cr, NULL, 0, 0);
}

static void
cairo_canvas_group_begin(LadderCanvas *c, const char *cls, const char *attr_name,
                         const char *attr_value, const char *tooltip)
{
}

static void
cairo_canvas_group_end(LadderCanvas *c)
{
}

static void
cairo_canvas_line(LadderCanvas *c, double x1, double y1, double x2, double y2, const LadderPen *pen)
{
    g_return_if_fail(pen != NULL);
    cairo_t *cr = ((CairoCanvas *)c)->cr;
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_move_to(cr, x1, y1);
    cairo_line_to(cr, x2, y2);
    cairo_canvas_pen(cr, pen);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void
cairo_canvas_rect(LadderCanvas *c, double x, double y, double w, double h, const LadderColor *fill,
                  const LadderPen *pen)
{
    cairo_t *cr = ((CairoCanvas *)c)->cr;
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_rectangle(cr, x, y, w, h);
    if (fill != NULL) {
        cairo_canvas_source(cr, fill);
        if (pen != NULL)
            cairo_fill_preserve(cr);
        else
            cairo_fill(cr);
    }
    if (pen != NULL) {
        cairo_canvas_pen(cr, pen);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

static void
cairo_canvas_polygon(LadderCanvas *c, const double *xy, guint n, const LadderColor *fill)
{
    if (xy == NULL || n < 2 || fill == NULL)
        return;
    cairo_t *cr = ((CairoCanvas *)c)->cr;
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_move_to(cr, xy[0], xy[1]);
    for (guint i = 1; i < n; i++)
        cairo_line_to(cr, xy[2 * i], xy[2 * i + 1]);
    cairo_close_path(cr);
    cairo_canvas_source(cr, fill);
    cairo_fill(cr);
    cairo_restore(cr);
}

/* The cached layout, created on first use and told about the context's
 * current transformation on every use (the caller may have scaled or
 * translated since). Metrics are not hinted, so that text measures the
 * same at every zoom and in PNG and PDF alike. */
static PangoLayout *
cairo_canvas_layout(CairoCanvas *cc)
{
    if (cc->layout == NULL) {
        cc->layout = pango_cairo_create_layout(cc->cr);
        cairo_font_options_t *opts = cairo_font_options_create();
        cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
        pango_cairo_context_set_font_options(pango_layout_get_context(cc->layout), opts);
        cairo_font_options_destroy(opts);
        pango_layout_set_single_paragraph_mode(cc->layout, TRUE);
        pango_layout_context_changed(cc->layout);
    } else {
        pango_cairo_update_layout(cc->cr, cc->layout);
    }
    return cc->layout;
}

/* Sets the font of @font on the layout unless it is already set. The size
 * is absolute, in user units, so that it does not depend on the DPI. */
static void
cairo_canvas_font(CairoCanvas *cc, PangoLayout *layout, const LadderFont *font)
{
    PangoFontDescription *desc = pango_font_description_new();
    pango_font_description_set_family(desc, cc->family);
    pango_font_description_set_absolute_size(desc, font->size * PANGO_SCALE);
    pango_font_description_set_weight(desc, font->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(desc, font->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    if (cc->desc != NULL && pango_font_description_equal(cc->desc, desc)) {
        pango_font_description_free(desc);
        return;
    }
    pango_layout_set_font_description(layout, desc);
    if (cc->desc != NULL)
        pango_font_description_free(cc->desc);
    cc->desc = desc;
}

/* Plain text with its baseline at @y, its start, centre or end at @x.
 * Bytes that are not UTF-8 are drawn as U+FFFD; a size that is not
 * positive draws nothing. */
static void
cairo_canvas_text(LadderCanvas *c, double x, double y, const char *utf8, const LadderFont *font)
{
    g_return_if_fail(font != NULL);
    CairoCanvas *cc = (CairoCanvas *)c;
    if (utf8 == NULL || utf8[0] == '\0' || !(font->size > 0) || font->size > 1e6)
        return;
    PangoLayout *layout = cairo_canvas_layout(cc);
    cairo_canvas_font(cc, layout, font);
    if (g_utf8_validate(utf8, -1, NULL)) {
        pango_layout_set_text(layout, utf8, -1);
    } else {
        g_autofree char *valid = g_utf8_make_valid(utf8, -1);
        pango_layout_set_text(layout, valid, -1);
    }

    PangoRectangle logical;
    pango_layout_get_extents(layout, NULL, &logical);
    double width = (double)logical.width / PANGO_SCALE;
    double left = x - (double)logical.x / PANGO_SCALE;
    if (font->align == LADDER_ALIGN_CENTER)
        left -= width / 2;
    else if (font->align == LADDER_ALIGN_RIGHT)
        left -= width;
    double top = y - (double)pango_layout_get_baseline(layout) / PANGO_SCALE;

    cairo_t *cr = cc->cr;
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_move_to(cr, left, top);
    cairo_canvas_source(cr, &font->color);
    pango_cairo_show_layout(cr, layout);
    cairo_restore(cr);
}

static void
cairo_canvas_free(LadderCanvas *c)
{
    CairoCanvas *cc = (CairoCanvas *)c;
    if (cc->layout != NULL)
        g_object_unref(cc->layout);
    if (cc->desc != NULL)
        pango_font_description_free(cc->desc);
    g_free(cc->family);
    g_free(cc);
}

static const LadderCanvasFuncs cairo_funcs = {
    .group_begin = cairo_canvas_group_begin,
    .group_end = cairo_canvas_group_end,
    .line = cairo_canvas_line,
    .rect = cairo_canvas_rect,
    .polygon = cairo_canvas_polygon,
    .text = cairo_canvas_text,
    .free = cairo_canvas_free,
};

/* A canvas drawing on @cr (borrowed: it must outlive the canvas) with
 * text in @font_family (NULL: "monospace"). Caller owns the canvas
 * (ladder_canvas_free); freeing it leaves @cr alone. */
LadderCanvas *
ladder_canvas_cairo_new(cairo_t *cr, const char *font_family)
{
    g_return_val_if_fail(cr != NULL, NULL);
    CairoCanvas *cc = g_new0(CairoCanvas, 1);
    cc->base.funcs = &cairo_funcs;
    cc->cr = cr;
    cc->family = g_strdup(font_family != NULL ? font_family : "monospace");
    cc->base.font_family = cc->family;
    return &cc->base;
}
