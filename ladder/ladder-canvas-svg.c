/* sipladder: the SVG canvas, an SVG 1.1 document written into a GString
 * with real <text> for labels and <title> for tooltips (W3C SVG 1.1
 * sections 5.4 <title>, 6.4 <style>, 10.4 <text>; XML 1.0 section 2.2
 * Char for what may appear at all).
 *
 * Every string reaches the output through svg_escape(): it comes from
 * packets, so it may hold markup, quotes, control characters or bytes
 * that are not UTF-8, and none of them may break the document. Numbers
 * are printed with g_ascii_formatd() so that a comma locale cannot turn
 * 1.5 into "1,5". */
#include "ladder-canvas.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    LadderCanvas base;
    GString *out;
    guint depth; /* open <g> elements; finish closes them */
    char *family;
} SvgCanvas;

/* Dash pattern of a dashed pen, in units (the cairo canvas uses the same). */
#define SVG_DASH "6 4"
/* Coordinates beyond this are clamped: "%.2f" of 1e300 would be 300 digits. */
#define SVG_NUM_MAX 1e9

/* Whether @ch may appear in an XML 1.0 document:
 * Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF] */
static bool
svg_is_xml_char(gunichar ch)
{
    return ch == 0x9 || ch == 0xA || ch == 0xD || (ch >= 0x20 && ch <= 0xD7FF) ||
           (ch >= 0xE000 && ch <= 0xFFFD) || (ch >= 0x10000 && ch <= 0x10FFFF);
}

/* Appends @s escaped for both text content and a double- or single-quoted
 * attribute value. Markup characters become entities; tab, LF and CR become
 * character references (an attribute value would otherwise fold them into
 * spaces); characters XML forbids and bytes that are not UTF-8 become
 * U+FFFD, one per bad byte. NULL appends nothing. */
static void
svg_escape(GString *out, const char *s)
{
    if (s == NULL)
        return;
    const char *p = s;
    const char *end = s + strlen(s);
    while (p < end) {
        /* a run of printable ASCII that needs no escaping goes in at once */
        const char *run = p;
        while (p < end && *p >= 0x20 && *p < 0x7f && *p != '&' && *p != '<' && *p != '>' &&
               *p != '"' && *p != '\'')
            p++;
        if (p > run)
            g_string_append_len(out, run, p - run);
        if (p == end)
            break;
        gunichar ch = g_utf8_get_char_validated(p, end - p);
        if (ch == (gunichar)-1 || ch == (gunichar)-2) {
            g_string_append(out, "\xEF\xBF\xBD"); /* U+FFFD */
            p++;
            continue;
        }
        const char *next = g_utf8_next_char(p);
        switch (ch) {
        case '&': g_string_append(out, "&amp;"); break;
        case '<': g_string_append(out, "&lt;"); break;
        case '>': g_string_append(out, "&gt;"); break;
        case '"': g_string_append(out, "&quot;"); break;
        case '\'': g_string_append(out, "&#39;"); break;
        case '\t': g_string_append(out, "&#9;"); break;
        case '\n': g_string_append(out, "&#10;"); break;
        case '\r': g_string_append(out, "&#13;"); break;
        default:
            if (svg_is_xml_char(ch))
                g_string_append_len(out, p, next - p);
            else
                g_string_append(out, "\xEF\xBF\xBD");
        }
        p = next;
    }
}

/* Appends @v compactly and locale-independently: at most two decimals,
 * no trailing zeros ("12", "12.5", "-0.25"); NaN and infinities give 0.
 * The digits are those of "%.2f": worked out in integers, unless @v lies
 * so near half a hundredth that only printf's exact rounding can tell. */
static void
svg_num(GString *out, double v)
{
    if (!isfinite(v))
        v = 0;
    v = CLAMP(v, -SVG_NUM_MAX, SVG_NUM_MAX);
    double x = fabs(v) * 100, fl = floor(x), frac = x - fl;
    if (fabs(frac - 0.5) < 1e-3) {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        g_ascii_formatd(buf, sizeof buf, "%.2f", v);
        char *dot = strchr(buf, '.');
        if (dot != NULL) {
            char *end = buf + strlen(buf);
            while (end > dot + 1 && end[-1] == '0')
                end--;
            if (end == dot + 1)
                end = dot;
            *end = '\0';
        }
        g_string_append(out, strcmp(buf, "-0") == 0 ? "0" : buf);
        return;
    }
    uint64_t h = (uint64_t)fl + (frac > 0.5); /* hundredths, at most 1e11 */
    char buf[24], *e = buf + sizeof buf, *p = e;
    unsigned cents = (unsigned)(h % 100);
    uint64_t whole = h / 100;
    if (cents != 0) {
        if (cents % 10 != 0)
            *--p = (char)('0' + cents % 10);
        *--p = (char)('0' + cents / 10);
        *--p = '.';
    }
    do {
        *--p = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole != 0);
    if (v < 0 && h != 0)
        *--p = '-';
    g_string_append_len(out, p, e - p);
}

static void
svg_attr_num(GString *out, const char *name, double v)
{
    g_string_append_c(out, ' ');
    g_string_append(out, name);
    g_string_append(out, "=\"");
    svg_num(out, v);
    g_string_append_c(out, '"');
}

static void
svg_attr_str(GString *out, const char *name, const char *value)
{
    g_string_append_c(out, ' ');
    g_string_append(out, name);
    g_string_append(out, "=\"");
    svg_escape(out, value);
    g_string_append_c(out, '"');
}

static guint
svg_channel(double v)
{
    if (!(v > 0)) /* also NaN */
        return 0;
    if (v >= 1)
        return 255;
    return (guint)(v * 255 + 0.5);
}

/* Appends @name="#rrggbb" and, for a translucent colour, @opacity="a". */
static void
svg_attr_color(GString *out, const char *name, const char *opacity, const LadderColor *c)
{
    static const char hex[] = "0123456789abcdef";
    guint ch[3] = { svg_channel(c->r), svg_channel(c->g), svg_channel(c->b) };
    char rgb[8] = { '#' };
    for (int i = 0; i < 3; i++) {
        rgb[1 + 2 * i] = hex[ch[i] >> 4];
        rgb[2 + 2 * i] = hex[ch[i] & 15];
    }
    g_string_append_c(out, ' ');
    g_string_append(out, name);
    g_string_append(out, "=\"");
    g_string_append_len(out, rgb, 7);
    g_string_append_c(out, '"');
    double a = isfinite(c->a) ? CLAMP(c->a, 0.0, 1.0) : 1.0;
    if (a < 1)
        svg_attr_num(out, opacity, a);
}

static void
svg_attr_pen(GString *out, const LadderPen *pen)
{
    svg_attr_color(out, "stroke", "stroke-opacity", &pen->color);
    double w = isfinite(pen->width) && pen->width > 0 ? pen->width : 1;
    if (w != 1)
        svg_attr_num(out, "stroke-width", w);
    if (pen->dashed)
        g_string_append(out, " stroke-dasharray=\"" SVG_DASH "\"");
}

/* Whether @name is a name we dare write as a data attribute: lower-case
 * ASCII letters, digits, '-', '_' and '.', starting with a letter. Anything
 * else (spaces, quotes, a colon, "class" duplicated) could break the
 * document or the namespace. */
static bool
svg_is_data_name(const char *name)
{
    if (name == NULL || !g_ascii_islower(name[0]))
        return false;
    for (const char *p = name; *p != '\0'; p++) {
        if (!g_ascii_islower(*p) && !g_ascii_isdigit(*p) && *p != '-' && *p != '_' && *p != '.')
            return false;
    }
    return true;
}

/* <g class="CLS" data-NAME="VALUE"><title>TOOLTIP</title> ... The attribute
 * is written as data-NAME whether or not @attr_name already starts with
 * "data-", so it can never collide with class or an SVG attribute; an
 * invalid name drops the attribute. */
static void
svg_group_begin(LadderCanvas *c, const char *cls, const char *attr_name, const char *attr_value,
                const char *tooltip)
{
    SvgCanvas *svg = (SvgCanvas *)c;
    g_string_append(svg->out, "<g");
    if (cls != NULL && cls[0] != '\0')
        svg_attr_str(svg->out, "class", cls);
    if (attr_value != NULL && svg_is_data_name(attr_name)) {
        const char *bare = g_str_has_prefix(attr_name, "data-") ? attr_name + 5 : attr_name;
        if (svg_is_data_name(bare)) {
            g_string_append_printf(svg->out, " data-%s=\"", bare);
            svg_escape(svg->out, attr_value);
            g_string_append_c(svg->out, '"');
        }
    }
    g_string_append(svg->out, ">\n");
    if (tooltip != NULL && tooltip[0] != '\0') {
        g_string_append(svg->out, "<title>");
        svg_escape(svg->out, tooltip);
        g_string_append(svg->out, "</title>\n");
    }
    svg->depth++;
}

/* An end without a begin is ignored: the document stays well-formed. */
static void
svg_group_end(LadderCanvas *c)
{
    SvgCanvas *svg = (SvgCanvas *)c;
    if (svg->depth == 0)
        return;
    svg->depth--;
    g_string_append(svg->out, "</g>\n");
}

static void
svg_line(LadderCanvas *c, double x1, double y1, double x2, double y2, const LadderPen *pen)
{
    g_return_if_fail(pen != NULL);
    SvgCanvas *svg = (SvgCanvas *)c;
    g_string_append(svg->out, "<line");
    svg_attr_num(svg->out, "x1", x1);
    svg_attr_num(svg->out, "y1", y1);
    svg_attr_num(svg->out, "x2", x2);
    svg_attr_num(svg->out, "y2", y2);
    svg_attr_pen(svg->out, pen);
    g_string_append(svg->out, "/>\n");
}

/* A negative width or height is flipped: SVG rejects them. */
static void
svg_rect(LadderCanvas *c, double x, double y, double w, double h, const LadderColor *fill,
         const LadderPen *pen)
{
    SvgCanvas *svg = (SvgCanvas *)c;
    if (fill == NULL && pen == NULL)
        return;
    if (w < 0) {
        x += w;
        w = -w;
    }
    if (h < 0) {
        y += h;
        h = -h;
    }
    g_string_append(svg->out, "<rect");
    svg_attr_num(svg->out, "x", x);
    svg_attr_num(svg->out, "y", y);
    svg_attr_num(svg->out, "width", w);
    svg_attr_num(svg->out, "height", h);
    if (fill != NULL)
        svg_attr_color(svg->out, "fill", "fill-opacity", fill);
    else
        g_string_append(svg->out, " fill=\"none\"");
    if (pen != NULL)
        svg_attr_pen(svg->out, pen);
    g_string_append(svg->out, "/>\n");
}

static void
svg_polygon(LadderCanvas *c, const double *xy, guint n, const LadderColor *fill)
{
    SvgCanvas *svg = (SvgCanvas *)c;
    if (xy == NULL || n < 2 || fill == NULL)
        return;
    g_string_append(svg->out, "<polygon points=\"");
    for (guint i = 0; i < n; i++) {
        if (i > 0)
            g_string_append_c(svg->out, ' ');
        svg_num(svg->out, xy[2 * i]);
        g_string_append_c(svg->out, ',');
        svg_num(svg->out, xy[2 * i + 1]);
    }
    g_string_append_c(svg->out, '"');
    svg_attr_color(svg->out, "fill", "fill-opacity", fill);
    g_string_append(svg->out, "/>\n");
}

static void
svg_text(LadderCanvas *c, double x, double y, const char *utf8, const LadderFont *font)
{
    g_return_if_fail(font != NULL);
    SvgCanvas *svg = (SvgCanvas *)c;
    if (utf8 == NULL || utf8[0] == '\0')
        return;
    static const char *const anchors[] = {
        [LADDER_ALIGN_LEFT] = "start",
        [LADDER_ALIGN_CENTER] = "middle",
        [LADDER_ALIGN_RIGHT] = "end",
    };
    g_string_append(svg->out, "<text");
    svg_attr_num(svg->out, "x", x);
    svg_attr_num(svg->out, "y", y);
    svg_attr_num(svg->out, "font-size", font->size > 0 ? font->size : 1);
    if (font->bold)
        g_string_append(svg->out, " font-weight=\"bold\"");
    if (font->italic)
        g_string_append(svg->out, " font-style=\"italic\"");
    svg_attr_color(svg->out, "fill", "fill-opacity", &font->color);
    if (font->align != LADDER_ALIGN_LEFT && (guint)font->align < G_N_ELEMENTS(anchors))
        g_string_append_printf(svg->out, " text-anchor=\"%s\"", anchors[font->align]);
    g_string_append(svg->out, " xml:space=\"preserve\">");
    svg_escape(svg->out, utf8);
    g_string_append(svg->out, "</text>\n");
}

static void
svg_free(LadderCanvas *c)
{
    SvgCanvas *svg = (SvgCanvas *)c;
    g_string_free(svg->out, TRUE);
    g_free(svg->family);
    g_free(svg);
}

static const LadderCanvasFuncs svg_funcs = {
    .group_begin = svg_group_begin,
    .group_end = svg_group_end,
    .line = svg_line,
    .rect = svg_rect,
    .polygon = svg_polygon,
    .text = svg_text,
    .free = svg_free,
};

/* Appends @family as a CSS string: everything but letters, digits, space,
 * '-', '_', '.' and non-ASCII text is a CSS hex escape, so a family name
 * can neither end the string, the rule or the <style> element, and nothing
 * is left that XML would need escaped. */
static void
svg_css_string(GString *out, const char *family)
{
    g_autofree char *valid = g_utf8_make_valid(family, -1);
    GString *css = g_string_new("\"");
    for (const char *p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar ch = g_utf8_get_char(p);
        if (g_ascii_isalnum(ch) || ch == ' ' || ch == '-' || ch == '_' || ch == '.' ||
            (ch >= 0x80 && svg_is_xml_char(ch) && !g_unichar_iscntrl(ch)))
            g_string_append_unichar(css, ch);
        else
            g_string_append_printf(css, "\\%x ", ch);
    }
    g_string_append_c(css, '"');
    g_string_append(out, css->str);
    g_string_free(css, TRUE);
}

/* The classes ladder_draw gives its groups, listed in the stylesheet. */
static const char *const svg_classes[] = {
    "title", "endpoint", "lifeline", "message", "hop", "gap", "rtp", "finding", "legend", "leg",
};

/* Starts the document: XML declaration, <svg> of @width x @height units
 * with a matching viewBox, the document <title> (@title may be NULL) and a
 * <style> that sets @font_family (NULL: monospace) and names the classes
 * ladder_draw uses, so that a user stylesheet knows what to override.
 * Caller owns the canvas; ladder_canvas_svg_finish() consumes it. */
LadderCanvas *
ladder_canvas_svg_new(double width, double height, const char *font_family, const char *title)
{
    SvgCanvas *svg = g_new0(SvgCanvas, 1);
    svg->base.funcs = &svg_funcs;
    svg->family = g_strdup(font_family != NULL ? font_family : "monospace");
    svg->base.font_family = svg->family;
    svg->out = g_string_sized_new(64 * 1024);
    if (!(width > 0))
        width = 1;
    if (!(height > 0))
        height = 1;

    GString *out = svg->out;
    g_string_append(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
                         "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\"");
    svg_attr_num(out, "width", width);
    svg_attr_num(out, "height", height);
    g_string_append(out, " viewBox=\"0 0 ");
    svg_num(out, width);
    g_string_append_c(out, ' ');
    svg_num(out, height);
    g_string_append(out, "\">\n");
    if (title != NULL && title[0] != '\0') {
        g_string_append(out, "<title>");
        svg_escape(out, title);
        g_string_append(out, "</title>\n");
    }
    g_string_append(out, "<style type=\"text/css\">\n"
                         "text { font-family: ");
    svg_css_string(out, svg->family);
    g_string_append(out, ", monospace; }\n"
                         "/* Every part is a group of one of these classes; a rule here\n"
                         "   overrides the presentation attributes, e.g.\n"
                         "   .message text { fill: navy; } */\n");
    for (size_t i = 0; i < G_N_ELEMENTS(svg_classes); i++)
        g_string_append_printf(out, ".%s {} .%s text {}\n", svg_classes[i], svg_classes[i]);
    g_string_append(out, "</style>\n");
    return &svg->base;
}

/* Closes any groups still open and the document, frees @c and returns the
 * document (caller owns, g_free). @c must come from ladder_canvas_svg_new
 * and must not be used or freed afterwards. */
char *
ladder_canvas_svg_finish(LadderCanvas *c)
{
    g_return_val_if_fail(c != NULL && c->funcs == &svg_funcs, NULL);
    SvgCanvas *svg = (SvgCanvas *)c;
    while (svg->depth > 0)
        svg_group_end(c);
    g_string_append(svg->out, "</svg>\n");
    char *doc = g_string_free(svg->out, FALSE);
    g_free(svg->family);
    g_free(svg);
    return doc;
}
