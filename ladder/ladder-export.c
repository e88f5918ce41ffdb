/* sipladder: writing a ladder layout out as SVG, PNG or PDF, and the
 * format names and file extensions the front ends accept. All three go
 * through ladder_draw(); SVG uses the SVG canvas (real <text>, <title>
 * tooltips), PNG and PDF the cairo canvas. */
#include "ladder.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include "status.h"

/* A PNG larger than this on either side, or than PNG_MAX_BYTES in memory,
 * is drawn at a smaller scale; if that scale would fall under
 * PNG_MIN_SCALE the export fails (SVG or PDF suits such a ladder). */
#define PNG_MAX_SIDE 32767.0
#define PNG_MAX_BYTES (512.0 * 1024 * 1024)
#define PNG_MIN_SCALE 0.25

/* A PDF page side may not exceed 14400 points (PDF 1.7 Annex C.2); wider
 * layouts are scaled down to fit. */
#define PDF_MAX_SIDE 14400.0
/* A page shows at least this much below the repeated column titles. */
#define PDF_MIN_BODY 300.0
/* More pages than this is not a document anyone will read. */
#define PDF_MAX_PAGES 100000.0

static const struct {
    const char *name;
    LadderFormat format;
} format_names[] = {
    { "svg", LADDER_FORMAT_SVG },
    { "png", LADDER_FORMAT_PNG },
    { "pdf", LADDER_FORMAT_PDF },
    { "text", LADDER_FORMAT_TEXT },
};

static const struct {
    const char *ext;
    LadderFormat format;
} format_exts[] = {
    { "svg", LADDER_FORMAT_SVG },
    { "png", LADDER_FORMAT_PNG },
    { "pdf", LADDER_FORMAT_PDF },
    { "txt", LADDER_FORMAT_TEXT },
};

/* By the extension of the last path component, case-insensitively:
 * ".svg", ".png", ".pdf", ".txt". "dir.svg/ladder" and ".svg" (a hidden
 * file with no extension) ask for nothing. */
bool
ladder_format_from_name(const char *name, LadderFormat *out)
{
    g_return_val_if_fail(out != NULL, false);
    if (name == NULL)
        return false;
    const char *base = strrchr(name, '/');
    base = base != NULL ? base + 1 : name;
    const char *dot = strrchr(base, '.');
    if (dot == NULL || dot == base)
        return false;
    for (size_t i = 0; i < G_N_ELEMENTS(format_exts); i++) {
        if (g_ascii_strcasecmp(dot + 1, format_exts[i].ext) == 0) {
            *out = format_exts[i].format;
            return true;
        }
    }
    return false;
}

/* "svg", "png", "pdf" or "text", case-insensitively. */
bool
ladder_format_parse(const char *s, LadderFormat *out)
{
    g_return_val_if_fail(out != NULL, false);
    if (s == NULL)
        return false;
    for (size_t i = 0; i < G_N_ELEMENTS(format_names); i++) {
        if (g_ascii_strcasecmp(s, format_names[i].name) == 0) {
            *out = format_names[i].format;
            return true;
        }
    }
    return false;
}

char *
ladder_render_svg(const LadderLayout *l, const LadderStyle *s)
{
    g_return_val_if_fail(l != NULL && s != NULL, NULL);
    LadderCanvas *c = ladder_canvas_svg_new(l->width, l->height, s->font_family, l->title);
    ladder_draw(l, c, s, 0, l->height, false);
    return ladder_canvas_svg_finish(c);
}

/* Sets @error for a failed cairo operation on @path. errno is only
 * mentioned when cairo reports an I/O failure and errno says why. */
static void
export_cairo_error(GError **error, const char *what, const char *path, cairo_status_t status,
                   int saved_errno)
{
    if (status == CAIRO_STATUS_WRITE_ERROR && saved_errno != 0)
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_WRITE, "Cannot write %s %s: %s", what, path,
                    g_strerror(saved_errno));
    else
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_WRITE, "Cannot write %s %s: %s", what, path,
                    cairo_status_to_string(status));
}

/* The scale to draw a @w x @h layout at when @scale is asked for: @scale
 * itself if the image fits the PNG limits, else the largest that fits;
 * 0 if even PNG_MIN_SCALE would not fit. */
static double
export_png_scale(double w, double h, double scale)
{
    double fit = scale;
    fit = MIN(fit, PNG_MAX_SIDE / w);
    fit = MIN(fit, PNG_MAX_SIDE / h);
    fit = MIN(fit, sqrt(PNG_MAX_BYTES / 4 / (w * h)));
    if (fit < scale)
        fit *= 0.999; /* ceil() below must not push a side past the limit */
    return fit >= PNG_MIN_SCALE || fit >= scale ? fit : 0;
}

/* @scale device pixels per unit (1 = 100 %). A ladder too large for the
 * PNG limits (32767 pixels a side, 512 MiB of pixels) is drawn smaller, down
 * to a quarter scale; beyond that it fails with SL_IO_ERROR_WRITE. */
bool
ladder_render_png(const LadderLayout *l, const LadderStyle *s, double scale, const char *path,
                  GError **error)
{
    g_return_val_if_fail(l != NULL && s != NULL && path != NULL, false);
    g_return_val_if_fail(error == NULL || *error == NULL, false);
    if (!isfinite(scale) || scale <= 0 || scale > 100) {
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_WRITE,
                    "Cannot write PNG %s: scale %g is not between 0 and 100", path, scale);
        return false;
    }
    double w = l->width > 1 ? l->width : 1;
    double h = l->height > 1 ? l->height : 1;
    double fit = export_png_scale(w, h, scale);
    if (fit <= 0) {
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_WRITE,
                    "Cannot write PNG %s: the ladder (%.0f x %.0f) is too large for an image; "
                    "export it as SVG or PDF",
                    path, w, h);
        return false;
    }
    int px_w = (int)MAX(1, ceil(w * fit));
    int px_h = (int)MAX(1, ceil(h * fit));

    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, px_w, px_h);
    cairo_status_t status = cairo_surface_status(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        export_cairo_error(error, "PNG", path, status, 0);
        cairo_surface_destroy(surface);
        return false;
    }
    cairo_t *cr = cairo_create(surface);
    cairo_scale(cr, fit, fit);
    LadderCanvas *c = ladder_canvas_cairo_new(cr, s->font_family);
    ladder_draw(l, c, s, 0, l->height, false);
    ladder_canvas_free(c);
    status = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(surface);

    int saved_errno = 0;
    if (status == CAIRO_STATUS_SUCCESS) {
        errno = 0;
        status = cairo_surface_write_to_png(surface, path);
        saved_errno = errno;
    }
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        export_cairo_error(error, "PNG", path, status, saved_errno);
        return false;
    }
    return true;
}

/* Where the page that shows the layout from @body_top (just under the
 * repeated column titles) on should end: @limit, or a little earlier, half
 * way between two rows, so that no row is cut in two. A page is never
 * shortened by more than half its body. */
static double
export_pdf_break(const LadderLayout *l, double height, double body_top, double limit)
{
    if (limit >= height)
        return height;
    double floor_y = body_top + (limit - body_top) / 2;
    double best = limit;
    for (guint i = 0; i + 1 < l->rows->len; i++) {
        double y0 = g_array_index(l->rows, LadderRow, i).y;
        double y1 = g_array_index(l->rows, LadderRow, i + 1).y;
        double mid = (y0 + y1) / 2;
        if (y1 <= limit)
            continue;
        if (mid > floor_y && mid <= limit)
            best = mid;
        break;
    }
    return best;
}

/* A4-proportioned pages as wide as the layout (scaled down to fit if it is
 * wider than PDF allows), each starting with the column titles. Text stays
 * text. Fails with SL_IO_ERROR_WRITE naming @path. */
bool
ladder_render_pdf(const LadderLayout *l, const LadderStyle *s, const char *path, GError **error)
{
    g_return_val_if_fail(l != NULL && s != NULL && path != NULL, false);
    g_return_val_if_fail(error == NULL || *error == NULL, false);
    double w = l->width > 1 ? l->width : 1;
    double h = l->height > 0 ? l->height : 0;
    double header = l->header_h > 0 ? MIN(l->header_h, h) : 0;
    double page_h = MAX(w * 297 / 210, header + PDF_MIN_BODY);
    double k = MIN(1.0, PDF_MAX_SIDE / MAX(w, page_h));
    if (!isfinite(w * h) || h / (page_h - header) > PDF_MAX_PAGES) {
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_WRITE,
                    "Cannot write PDF %s: the ladder (%g x %g) is too long for a document", path,
                    l->width, l->height);
        return false;
    }

    errno = 0;
    cairo_surface_t *surface = cairo_pdf_surface_create(path, w * k, page_h * k);
    cairo_status_t status = cairo_surface_status(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        export_cairo_error(error, "PDF", path, status, errno);
        cairo_surface_destroy(surface);
        return false;
    }
    if (l->title != NULL) {
        g_autofree char *title = g_utf8_make_valid(l->title, -1);
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
    }
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "sipladder");

    cairo_t *cr = cairo_create(surface);
    LadderCanvas *c = ladder_canvas_cairo_new(cr, s->font_family);
    double y_from = 0;
    for (;;) {
        double body_top = y_from + header;
        double y_to = export_pdf_break(l, h, body_top, y_from + page_h);
        cairo_save(cr);
        cairo_scale(cr, k, k);
        cairo_translate(cr, 0, -y_from);
        cairo_rectangle(cr, 0, y_from, w, y_to - y_from);
        cairo_clip(cr);
        ladder_draw(l, c, s, y_from, y_to, true);
        cairo_restore(cr);
        cairo_show_page(cr);
        if (y_to >= h || cairo_status(cr) != CAIRO_STATUS_SUCCESS)
            break;
        y_from = y_to - header;
    }
    ladder_canvas_free(c);
    status = cairo_status(cr);
    cairo_destroy(cr);
    errno = 0;
    cairo_surface_finish(surface);
    int saved_errno = errno;
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        export_cairo_error(error, "PDF", path, status, saved_errno);
        return false;
    }
    return true;
}
