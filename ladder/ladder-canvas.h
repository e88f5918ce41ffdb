/* sipladder: the canvas interface the ladder is drawn through, and its
 * implementations: cairo (GUI widget, PNG, PDF) and an SVG writer that
 * keeps every label as real <text> and every tooltip as <title>.
 *
 * Coordinates are layout units (1 unit = 1 CSS pixel at 100 % zoom); a
 * canvas maps them to its device. Every string comes straight from packets
 * and is plain UTF-8 text: implementations must never interpret it as
 * markup (the SVG writer escapes it, the cairo canvas sets it as plain
 * pango text). */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _cairo cairo_t;

G_BEGIN_DECLS

typedef struct {
    double r, g, b, a; /* 0..1 */
} LadderColor;

typedef enum {
    LADDER_ALIGN_LEFT,
    LADDER_ALIGN_CENTER,
    LADDER_ALIGN_RIGHT,
} LadderAlign;

typedef struct {
    LadderColor color;
    double width;
    bool dashed;
} LadderPen;

typedef struct {
    double size;  /* font size in units; the family is the style's */
    bool bold;
    bool italic;
    LadderColor color;
    LadderAlign align;
} LadderFont;

typedef struct LadderCanvas LadderCanvas;

/* One implementation's functions. @cls is a CSS class ("message",
 * "endpoint", "rtp", "finding"...); @attr_name/@attr_value one optional
 * data attribute ("data-frame", "42"; both NULL for none); @tooltip the
 * group's <title> (may be NULL). Text is drawn with its baseline at @y. */
typedef struct {
    void (*group_begin)(LadderCanvas *c, const char *cls, const char *attr_name,
                        const char *attr_value, const char *tooltip);
    void (*group_end)(LadderCanvas *c);
    void (*line)(LadderCanvas *c, double x1, double y1, double x2, double y2,
                 const LadderPen *pen);
    /* @fill and @pen may each be NULL */
    void (*rect)(LadderCanvas *c, double x, double y, double w, double h,
                 const LadderColor *fill, const LadderPen *pen);
    /* a closed filled polygon of @n points (xy pairs), for arrow heads */
    void (*polygon)(LadderCanvas *c, const double *xy, guint n, const LadderColor *fill);
    void (*text)(LadderCanvas *c, double x, double y, const char *utf8, const LadderFont *font);
    void (*free)(LadderCanvas *c);
} LadderCanvasFuncs;

struct LadderCanvas {
    const LadderCanvasFuncs *funcs;
    const char *font_family; /* set by the implementation from the style */
};

void ladder_canvas_free(LadderCanvas *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LadderCanvas, ladder_canvas_free)

/* A canvas over a cairo context (borrowed), already scaled and translated
 * by the caller. Text goes through pango with @font_family. */
LadderCanvas *ladder_canvas_cairo_new(cairo_t *cr, const char *font_family);

/* An SVG document of @width x @height units written to a string; finish
 * with ladder_canvas_svg_finish(), which returns it (caller owns). */
LadderCanvas *ladder_canvas_svg_new(double width, double height, const char *font_family,
                                    const char *title);
char *ladder_canvas_svg_finish(LadderCanvas *c);

G_END_DECLS
