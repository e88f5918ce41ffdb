/* Unit tests: the SVG and cairo canvases (escaping, structure, numbers,
 * pixels) and the export helpers (format names, PNG and PDF files). The
 * SVG output is checked for well-formedness with xmllint (Debian package
 * libxml2-utils); without it those checks are skipped, never passed. */
#include <cairo.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ladder.h"
#include "status.h"

static const LadderColor black = { 0, 0, 0, 1 };
static const LadderColor white = { 1, 1, 1, 1 };
static const LadderColor red = { 1, 0, 0, 1 };

/* ------------------------------------------------------------ helpers */

static guint
count_substr(const char *haystack, const char *needle)
{
    guint n = 0;
    for (const char *p = strstr(haystack, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* xmllint's verdict on @doc: 0 well-formed, 1 not, -1 xmllint missing
 * (the test is then marked skipped). */
static int
xml_check(const char *doc)
{
    g_autofree char *xmllint = g_find_program_in_path("xmllint");
    if (xmllint == NULL) {
        g_test_skip("xmllint not found (Debian package libxml2-utils)");
        return -1;
    }
    g_autoptr(GError) error = NULL;
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("test-ladder-canvas-XXXXXX.svg", &path, &error);
    g_assert_no_error(error);
    close(fd);
    g_assert_true(g_file_set_contents(path, doc, -1, &error));
    g_assert_no_error(error);

    char *argv[] = { xmllint, "--noout", path, NULL };
    g_autofree char *err_out = NULL;
    int status = 0;
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                               &err_out, &status, &error));
    g_assert_no_error(error);
    g_unlink(path);
    if (err_out != NULL && err_out[0] != '\0')
        g_test_message("xmllint: %s", err_out);
    g_assert_true(WIFEXITED(status));
    return WEXITSTATUS(status) == 0 ? 0 : 1;
}

static void
assert_well_formed(const char *doc)
{
    int verdict = xml_check(doc);
    if (verdict >= 0)
        g_assert_cmpint(verdict, ==, 0);
}

static LadderFont
font_of(double size, LadderAlign align)
{
    return (LadderFont){ .size = size, .color = black, .align = align };
}

/* ------------------------------------------------------------ SVG */

/* The checker itself rejects a broken document, so that its "0" below
 * means something. */
static void
test_svg_checker(void)
{
    int verdict = xml_check("<svg><g></svg>");
    if (verdict >= 0)
        g_assert_cmpint(verdict, ==, 1);
}

static const char *const hostile[] = {
    "<script>alert(1)</script>",
    "\"quoted\" & 'single' <b>bold</b>",
    "ctl\x01\x02\x08\x0b\x0c\x0e\x1f\x7f end",
    "bad utf8 \xff\xfe \xc3( \xed\xa0\x80 \xef\xbf\xbe",
    "tab\tnewline\ncr\r]]> --> <!-- &amp; &#0; &#x1;",
    "]]><svg onload=alert(1)>",
    "x\"; } </style><script>alert(1)</script> \\",
};

static void
test_svg_escaping(void)
{
    LadderFont font = font_of(12, LADDER_ALIGN_LEFT);
    for (guint i = 0; i < G_N_ELEMENTS(hostile); i++) {
        const char *h = hostile[i];
        LadderCanvas *c = ladder_canvas_svg_new(200, 100, h, h);
        c->funcs->group_begin(c, h, "data-frame", h, h);
        c->funcs->group_begin(c, "message", h, "1", NULL); /* a hostile attribute name */
        c->funcs->text(c, 10, 20, h, &font);
        c->funcs->group_end(c);
        c->funcs->group_end(c);
        g_autofree char *doc = ladder_canvas_svg_finish(c);
        g_assert_nonnull(doc);
        g_test_message("case %u", i);
        assert_well_formed(doc);
        g_assert_null(strstr(doc, "<script"));
        g_assert_null(strstr(doc, "<b>"));
        g_assert_cmpuint(count_substr(doc, "<svg"), ==, 1);
        g_assert_cmpuint(count_substr(doc, "</style>"), ==, 1);
        g_assert_null(strstr(doc, "\x01"));
        g_assert_null(strstr(doc, "\x1f"));
        g_assert_true(g_utf8_validate(doc, -1, NULL));
    }

    /* the escaped text is there, once as text and once as tooltip */
    LadderCanvas *c = ladder_canvas_svg_new(200, 100, NULL, NULL);
    c->funcs->group_begin(c, "endpoint", NULL, NULL, hostile[0]);
    c->funcs->text(c, 10, 20, hostile[0], &font);
    c->funcs->text(c, 10, 40, hostile[1], &font);
    c->funcs->text(c, 10, 60, hostile[2], &font);
    c->funcs->text(c, 10, 80, hostile[3], &font);
    c->funcs->group_end(c);
    g_autofree char *doc = ladder_canvas_svg_finish(c);
    assert_well_formed(doc);
    g_assert_cmpuint(count_substr(doc, "&lt;script&gt;alert(1)&lt;/script&gt;"), ==, 2);
    g_assert_nonnull(strstr(doc, "&quot;quoted&quot; &amp; &#39;single&#39; &lt;b&gt;bold&lt;/b&gt;"));
    /* seven forbidden controls, each one U+FFFD; DEL is allowed in XML 1.0 */
    g_assert_nonnull(strstr(doc, "ctl\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                                 "\xEF\xBF\xBD\xEF\xBF\xBD\x7f end"));
    /* 0xff and 0xfe, and 0xc3 before '(': one U+FFFD per bad byte */
    g_assert_nonnull(strstr(doc, "bad utf8 \xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD("));
    /* U+FFFE is not an XML character */
    g_assert_null(strstr(doc, "\xef\xbf\xbe"));
}

static void
test_svg_structure(void)
{
    LadderCanvas *c = ladder_canvas_svg_new(640.5, 480, "DejaVu Sans Mono", "Call 1: 1001 -> 2002");
    g_assert_cmpstr(c->font_family, ==, "DejaVu Sans Mono");
    LadderFont font = font_of(12, LADDER_ALIGN_CENTER);
    font.bold = true;
    c->funcs->group_begin(c, "message", "data-frame", "42", "INVITE sip:2002@example.com");
    c->funcs->text(c, 100, 50, "INVITE", &font);
    c->funcs->group_end(c);
    c->funcs->group_begin(c, "rtp", "ssrc", "0x1234", NULL); /* "data-" is added */
    c->funcs->group_end(c);
    c->funcs->group_begin(c, "finding", "on click", "x", "");  /* bad name: dropped */
    c->funcs->group_end(c);
    g_autofree char *doc = ladder_canvas_svg_finish(c);
    assert_well_formed(doc);

    g_assert_true(g_str_has_prefix(doc, "<?xml version=\"1.0\" encoding=\"UTF-8\""));
    g_assert_nonnull(strstr(doc, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
                                 "width=\"640.5\" height=\"480\" viewBox=\"0 0 640.5 480\">\n"
                                 "<title>Call 1: 1001 -&gt; 2002</title>\n<style"));
    g_assert_nonnull(strstr(doc, "text { font-family: \"DejaVu Sans Mono\", monospace; }"));
    g_assert_nonnull(strstr(doc, ".message text {}"));
    g_assert_nonnull(strstr(doc, "<g class=\"message\" data-frame=\"42\">\n"
                                 "<title>INVITE sip:2002@example.com</title>\n"
                                 "<text x=\"100\" y=\"50\" font-size=\"12\" font-weight=\"bold\" "
                                 "fill=\"#000000\" text-anchor=\"middle\" xml:space=\"preserve\">"
                                 "INVITE</text>\n</g>\n"));
    g_assert_nonnull(strstr(doc, "<g class=\"rtp\" data-ssrc=\"0x1234\">\n</g>\n"));
    g_assert_nonnull(strstr(doc, "<g class=\"finding\">\n</g>\n"));
    g_assert_true(g_str_has_suffix(doc, "</svg>\n"));
}

static void
test_svg_unbalanced(void)
{
    LadderFont font = font_of(10, LADDER_ALIGN_RIGHT);
    /* more begins than ends: finish closes them */
    LadderCanvas *c = ladder_canvas_svg_new(100, 100, NULL, NULL);
    c->funcs->group_begin(c, "a", NULL, NULL, "first");
    c->funcs->group_begin(c, "b", NULL, NULL, NULL);
    c->funcs->group_begin(c, "c", NULL, NULL, NULL);
    c->funcs->text(c, 1, 2, "deep", &font);
    c->funcs->group_end(c);
    g_autofree char *open = ladder_canvas_svg_finish(c);
    assert_well_formed(open);
    g_assert_cmpuint(count_substr(open, "<g "), ==, 3);
    g_assert_cmpuint(count_substr(open, "</g>"), ==, 3);
    g_assert_nonnull(strstr(open, "text-anchor=\"end\""));

    /* more ends than begins: the extra ones are ignored */
    c = ladder_canvas_svg_new(100, 100, NULL, NULL);
    c->funcs->group_end(c);
    c->funcs->group_begin(c, "a", NULL, NULL, NULL);
    c->funcs->group_end(c);
    c->funcs->group_end(c);
    c->funcs->group_end(c);
    g_autofree char *closed = ladder_canvas_svg_finish(c);
    assert_well_formed(closed);
    g_assert_cmpuint(count_substr(closed, "<g "), ==, 1);
    g_assert_cmpuint(count_substr(closed, "</g>"), ==, 1);
}

/* Shapes, colours and numbers; called under the C and a comma locale. */
static void
check_svg_numbers(void)
{
    LadderCanvas *c = ladder_canvas_svg_new(100.25, 50, NULL, NULL);
    LadderPen pen = { .color = { 1, 0, 0, 0.5 }, .width = 1.5, .dashed = true };
    LadderColor fill = { 0, 0.5, 1, 1 };
    c->funcs->line(c, 1.5, 2.25, 0.333, -0.001, &pen);
    c->funcs->rect(c, 10, 20, -4, 8, &fill, NULL); /* flipped: x 6 */
    double xy[] = { 0, 0, 10.5, 5, 0, 10 };
    c->funcs->polygon(c, xy, 3, &red);
    LadderFont font = font_of(11.5, LADDER_ALIGN_LEFT);
    font.italic = true;
    c->funcs->text(c, 3.126, 4, "x", &font);
    g_autofree char *doc = ladder_canvas_svg_finish(c);
    assert_well_formed(doc);
    g_assert_nonnull(strstr(doc, "viewBox=\"0 0 100.25 50\""));
    g_assert_nonnull(strstr(doc, "<line x1=\"1.5\" y1=\"2.25\" x2=\"0.33\" y2=\"0\" stroke=\"#ff0000\" "
                                 "stroke-opacity=\"0.5\" stroke-width=\"1.5\" "
                                 "stroke-dasharray=\"6 4\"/>"));
    g_assert_nonnull(strstr(doc, "<rect x=\"6\" y=\"20\" width=\"4\" height=\"8\" fill=\"#0080ff\"/>"));
    g_assert_nonnull(strstr(doc, "<polygon points=\"0,0 10.5,5 0,10\" fill=\"#ff0000\"/>"));
    g_assert_nonnull(strstr(doc, "<text x=\"3.13\" y=\"4\" font-size=\"11.5\" font-style=\"italic\""));
    g_assert_null(strstr(doc, "1,5"));
}

static void
test_svg_numbers(void)
{
    check_svg_numbers();

    static const char *const comma_locales[] = {
        "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "nl_NL.UTF-8", "ru_RU.UTF-8",
    };
    g_autofree char *saved = g_strdup(setlocale(LC_NUMERIC, NULL));
    const char *found = NULL;
    for (guint i = 0; i < G_N_ELEMENTS(comma_locales) && found == NULL; i++) {
        if (setlocale(LC_NUMERIC, comma_locales[i]) != NULL)
            found = comma_locales[i];
    }
    if (found == NULL) {
        g_test_skip("no comma locale installed (de_DE.UTF-8, fr_FR.UTF-8...): checked under C only");
        return;
    }
    g_test_message("under %s", found);
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 1.5);
    g_assert_cmpstr(probe, ==, "1,5"); /* the locale really uses a comma */
    check_svg_numbers();
    setlocale(LC_NUMERIC, saved);
}

/* The reference for every number the SVG canvas writes: "%.2f", trailing
 * zeros and a trailing point dropped, "-0" written "0". */
static void
reference_num(GString *out, double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_formatd(buf, sizeof buf, "%.2f", v);
    char *dot = strchr(buf, '.');
    char *end = buf + strlen(buf);
    while (end > dot + 1 && end[-1] == '0')
        end--;
    if (end == dot + 1)
        end = dot;
    *end = '\0';
    g_string_append(out, strcmp(buf, "-0") == 0 ? "0" : buf);
}

/* Numbers are written as printf's "%.2f" would write them, ties and
 * values a hair from a tie included, over random values of every size. */
static void
test_svg_numbers_as_printf(void)
{
    static const double edges[] = {
        0, -0.0, 0.125, -0.125, 0.375, 0.005, 0.015, 1.005, 2.675, 1.115, -2.675, 0.994999,
        0.995, 0.9950001, 9.995, 99.995, 0.004999999, -0.004999999, -0.005, 1e9, -1e9,
        999999999.995, 999999999.994, 123456789.125, 0.1, 0.2, 0.3, 1.1, 10.1, 100.01,
    };
    g_autoptr(GRand) r = g_rand_new_with_seed(42);
    GArray *vals = g_array_new(FALSE, FALSE, sizeof(double));
    g_array_append_vals(vals, edges, G_N_ELEMENTS(edges));
    for (int i = 0; i < 20000; i++) {
        double scale = pow(10, g_rand_int_range(r, -3, 10));
        double v = g_rand_double_range(r, -1, 1) * scale;
        if (i % 4 == 0) /* an exact multiple of a thousandth: ties */
            v = (double)g_rand_int_range(r, -2000000, 2000000) / 1000;
        if (i % 4 == 1) /* a sixteenth: exact in binary, ties at .x25 and .x75 */
            v = (double)g_rand_int_range(r, -2000000, 2000000) / 16;
        g_array_append_val(vals, v);
    }
    guint n = vals->len / 2;
    LadderCanvas *c = ladder_canvas_svg_new(10, 10, NULL, NULL);
    c->funcs->polygon(c, (const double *)vals->data, n, &red);
    g_autofree char *doc = ladder_canvas_svg_finish(c);
    GString *want = g_string_new("<polygon points=\"");
    for (guint i = 0; i < n; i++) {
        if (i > 0)
            g_string_append_c(want, ' ');
        reference_num(want, g_array_index(vals, double, 2 * i));
        g_string_append_c(want, ',');
        reference_num(want, g_array_index(vals, double, 2 * i + 1));
    }
    g_string_append_c(want, '"');
    const char *got = strstr(doc, "<polygon points=\"");
    g_assert_nonnull(got);
    g_autofree char *head = g_strndup(got, want->len);
    g_assert_cmpstr(head, ==, want->str);
    g_string_free(want, TRUE);
    g_array_unref(vals);
}

/* ------------------------------------------------------------ cairo */

static uint32_t
pixel_at(cairo_surface_t *s, int x, int y)
{
    cairo_surface_flush(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    return *(const uint32_t *)(data + (size_t)y * stride + (size_t)x * 4);
}

typedef struct {
    guint n;
    int x0, x1, y0, y1;
} Ink;

/* Pixels that are not white, and their bounding box. */
static Ink
ink_of(cairo_surface_t *s)
{
    Ink ink = { 0, G_MAXINT, -1, G_MAXINT, -1 };
    int w = cairo_image_surface_get_width(s);
    int h = cairo_image_surface_get_height(s);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            if (pixel_at(s, x, y) == 0xffffffff)
                continue;
            ink.n++;
            ink.x0 = MIN(ink.x0, x);
            ink.x1 = MAX(ink.x1, x);
            ink.y0 = MIN(ink.y0, y);
            ink.y1 = MAX(ink.y1, y);
        }
    }
    return ink;
}

/* Draws @text at (@x, 40) on a white 200 x 60 image and returns its ink. */
static Ink
cairo_text_ink(const char *text, double x, LadderAlign align)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 200, 60);
    cairo_t *cr = cairo_create(s);
    LadderCanvas *c = ladder_canvas_cairo_new(cr, "DejaVu Sans Mono");
    c->funcs->rect(c, 0, 0, 200, 60, &white, NULL);
    LadderFont font = font_of(20, align);
    c->funcs->text(c, x, 40, text, &font);
    ladder_canvas_free(c);
    g_assert_cmpint(cairo_status(cr), ==, CAIRO_STATUS_SUCCESS);
    cairo_destroy(cr);
    Ink ink = ink_of(s);
    cairo_surface_destroy(s);
    return ink;
}

static void
test_cairo_shapes(void)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 100, 60);
    cairo_t *cr = cairo_create(s);
    g_autoptr(LadderCanvas) c = ladder_canvas_cairo_new(cr, NULL);
    c->funcs->rect(c, 0, 0, 100, 60, &white, NULL);
    c->funcs->group_begin(c, "message", "data-frame", "1", "tip"); /* no effect */
    c->funcs->rect(c, 10, 10, 20, 20, &red, NULL);
    LadderPen pen = { .color = black, .width = 2 };
    c->funcs->line(c, 50, 0, 50, 60, &pen);
    c->funcs->rect(c, 70, 10, 20, 20, NULL, &pen); /* outline only */
    c->funcs->group_end(c);
    g_assert_cmpint(cairo_status(cr), ==, CAIRO_STATUS_SUCCESS);

    g_assert_cmphex(pixel_at(s, 20, 20), ==, 0xffff0000);  /* inside the red rect */
    g_assert_cmphex(pixel_at(s, 5, 5), ==, 0xffffffff);    /* outside */
    g_assert_cmphex(pixel_at(s, 50, 30), ==, 0xff000000);  /* on the line */
    g_assert_cmphex(pixel_at(s, 80, 20), ==, 0xffffffff);  /* the outlined rect is hollow */
    g_assert_cmphex(pixel_at(s, 70, 20), ==, 0xff000000);  /* its left edge */
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

static void
test_cairo_text(void)
{
    Ink left = cairo_text_ink("Hello", 20, LADDER_ALIGN_LEFT);
    g_assert_cmpuint(left.n, >, 50);
    g_assert_cmpint(left.x0, >=, 19);
    g_assert_cmpint(left.x0, <=, 26);
    /* the baseline is at 40: capitals sit on it, nothing goes far below */
    g_assert_cmpint(left.y1, >=, 37);
    g_assert_cmpint(left.y1, <=, 41);
    g_assert_cmpint(left.y0, >=, 20);

    Ink right = cairo_text_ink("Hello", 180, LADDER_ALIGN_RIGHT);
    g_assert_cmpint(right.x1, <=, 181);
    g_assert_cmpint(right.x1, >=, 170);

    Ink centre = cairo_text_ink("Hello", 100, LADDER_ALIGN_CENTER);
    g_assert_cmpint(ABS((centre.x0 + centre.x1) / 2 - 100), <=, 3);

    /* plain text, not markup: "<b></b>" as markup would draw nothing */
    Ink tags = cairo_text_ink("<b></b>", 10, LADDER_ALIGN_LEFT);
    g_assert_cmpuint(tags.n, >, 20);
    g_assert_cmpint(tags.x1 - tags.x0, >, 60);

    /* bytes that are not UTF-8 still draw (as U+FFFD), without a warning */
    Ink bad = cairo_text_ink("a\xff\xfe", 10, LADDER_ALIGN_LEFT);
    g_assert_cmpuint(bad.n, >, left.n / 10);

    Ink none = cairo_text_ink("", 10, LADDER_ALIGN_LEFT);
    g_assert_cmpuint(none.n, ==, 0);
}

/* ------------------------------------------------------------ export */

static void
test_format_names(void)
{
    static const struct {
        const char *name;
        bool ok;
        LadderFormat format;
    } cases[] = {
        { "call.svg", true, LADDER_FORMAT_SVG },
        { "CALL.PNG", true, LADDER_FORMAT_PNG },
        { "/tmp/x.y/call.Pdf", true, LADDER_FORMAT_PDF },
        { "ladder.txt", true, LADDER_FORMAT_TEXT },
        { "a.b.svg", true, LADDER_FORMAT_SVG },
        { "call.svg.gz", false, 0 },
        { "dir.svg/call", false, 0 },
        { ".svg", false, 0 },
        { "svg", false, 0 },
        { "call.", false, 0 },
        { "call.text", false, 0 },
        { "", false, 0 },
        { NULL, false, 0 },
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        LadderFormat f = (LadderFormat)99;
        g_test_message("%s", cases[i].name ? cases[i].name : "(null)");
        g_assert_cmpint(ladder_format_from_name(cases[i].name, &f), ==, cases[i].ok);
        if (cases[i].ok)
            g_assert_cmpint(f, ==, cases[i].format);
        else
            g_assert_cmpint(f, ==, 99);
    }

    static const struct {
        const char *name;
        bool ok;
        LadderFormat format;
    } names[] = {
        { "svg", true, LADDER_FORMAT_SVG }, { "PNG", true, LADDER_FORMAT_PNG },
        { "pdf", true, LADDER_FORMAT_PDF }, { "text", true, LADDER_FORMAT_TEXT },
        { "txt", false, 0 },                { "svgz", false, 0 },
        { "", false, 0 },                   { NULL, false, 0 },
    };
    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        LadderFormat f = (LadderFormat)99;
        g_assert_cmpint(ladder_format_parse(names[i].name, &f), ==, names[i].ok);
        g_assert_cmpint(f, ==, names[i].ok ? names[i].format : 99);
    }
}

/* An empty layout (no messages) stretched to @width x @height. */
static LadderLayout *
layout_sized(double width, double height)
{
    g_autoptr(GPtrArray) msgs = g_ptr_array_new();
    LadderLayout *l = ladder_layout_build_msgs(msgs, NULL);
    g_assert_nonnull(l);
    l->width = width;
    l->height = height;
    return l;
}

static char *
tmp_path(const char *name)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = g_dir_make_tmp("test-ladder-canvas-XXXXXX", &error);
    g_assert_no_error(error);
    return g_build_filename(dir, name, NULL);
}

static void
tmp_remove(const char *path)
{
    g_unlink(path);
    g_autofree char *dir = g_path_get_dirname(path);
    g_rmdir(dir);
}

static void
test_export_svg(void)
{
    g_autoptr(LadderLayout) l = layout_sized(300, 200);
    g_free(l->title);
    l->title = g_strdup("<script>alert(1)</script> & co");
    LadderStyle style;
    ladder_style_init(&style);
    g_autofree char *doc = ladder_render_svg(l, &style);
    g_assert_nonnull(doc);
    assert_well_formed(doc);
    g_assert_nonnull(strstr(doc, "width=\"300\" height=\"200\" viewBox=\"0 0 300 200\""));
    g_assert_nonnull(strstr(doc, "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>"));
    g_assert_null(strstr(doc, "<script"));
}

static void
test_export_png(void)
{
    LadderStyle style;
    ladder_style_init(&style);
    g_autoptr(GError) error = NULL;
    g_autofree char *path = tmp_path("ladder.png");

    g_autoptr(LadderLayout) l = layout_sized(300.5, 200);
    g_assert_true(ladder_render_png(l, &style, 2, path, &error));
    g_assert_no_error(error);
    cairo_surface_t *png = cairo_image_surface_create_from_png(path);
    g_assert_cmpint(cairo_surface_status(png), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint(cairo_image_surface_get_width(png), ==, 601);
    g_assert_cmpint(cairo_image_surface_get_height(png), ==, 400);
    cairo_surface_destroy(png);

    /* taller than 32767 pixels at scale 1: drawn smaller */
    g_autoptr(LadderLayout) tall = layout_sized(200, 40000);
    g_assert_true(ladder_render_png(tall, &style, 1, path, &error));
    g_assert_no_error(error);
    png = cairo_image_surface_create_from_png(path);
    g_assert_cmpint(cairo_surface_status(png), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint(cairo_image_surface_get_height(png), <=, 32767);
    g_assert_cmpint(cairo_image_surface_get_height(png), >, 30000);
    g_assert_cmpint(cairo_image_surface_get_width(png), <, 200);
    cairo_surface_destroy(png);
    g_unlink(path);

    /* far too tall: a clear error, no file */
    g_autoptr(LadderLayout) huge = layout_sized(200, 1e6);
    g_assert_false(ladder_render_png(huge, &style, 1, path, &error));
    g_assert_error(error, SL_IO_ERROR, SL_IO_ERROR_WRITE);
    g_assert_nonnull(strstr(error->message, path));
    g_assert_nonnull(strstr(error->message, "too large"));
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_clear_error(&error);
    tmp_remove(path);

    /* a directory that does not exist: the path is named */
    const char *missing = "/nonexistent-dir-for-sipladder/ladder.png";
    g_assert_false(ladder_render_png(l, &style, 1, missing, &error));
    g_assert_error(error, SL_IO_ERROR, SL_IO_ERROR_WRITE);
    g_assert_nonnull(strstr(error->message, missing));
    g_test_message("%s", error->message);
}

static void
test_export_pdf(void)
{
    LadderStyle style;
    ladder_style_init(&style);
    g_autoptr(GError) error = NULL;
    g_autofree char *path = tmp_path("ladder.pdf");

    /* 420 wide: A4-proportioned pages 594 high; 5000 high needs 9 or more */
    g_autoptr(LadderLayout) l = layout_sized(420, 5000);
    g_assert_true(ladder_render_pdf(l, &style, path, &error));
    g_assert_no_error(error);
    g_autofree char *pdf = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(path, &pdf, &len, &error));
    g_assert_true(g_str_has_prefix(pdf, "%PDF-"));
    /* the page tree: "/Type /Pages ... /Count N" (PDF 1.7 section 7.7.3.2) */
    const char *pages = memmem(pdf, len, "/Type /Pages", 12);
    g_assert_nonnull(pages);
    const char *count_at = memmem(pages, len - (size_t)(pages - pdf), "/Count ", 7);
    g_assert_nonnull(count_at);
    guint n = (guint)g_ascii_strtoull(count_at + 7, NULL, 10);
    g_assert_cmpuint(n, >=, 9);
    g_assert_cmpuint(n, <=, 20);
    g_assert_nonnull(memmem(pdf, len, "/MediaBox [ 0 0 420 594 ]", 25));
    tmp_remove(path);

    const char *missing = "/nonexistent-dir-for-sipladder/ladder.pdf";
    g_assert_false(ladder_render_pdf(l, &style, missing, &error));
    g_assert_error(error, SL_IO_ERROR, SL_IO_ERROR_WRITE);
    g_assert_nonnull(strstr(error->message, missing));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ladder-canvas/svg/checker", test_svg_checker);
    g_test_add_func("/ladder-canvas/svg/escaping", test_svg_escaping);
    g_test_add_func("/ladder-canvas/svg/structure", test_svg_structure);
    g_test_add_func("/ladder-canvas/svg/unbalanced", test_svg_unbalanced);
    g_test_add_func("/ladder-canvas/svg/numbers", test_svg_numbers);
    g_test_add_func("/ladder-canvas/svg/numbers-as-printf", test_svg_numbers_as_printf);
    g_test_add_func("/ladder-canvas/cairo/shapes", test_cairo_shapes);
    g_test_add_func("/ladder-canvas/cairo/text", test_cairo_text);
    g_test_add_func("/ladder-canvas/export/format-names", test_format_names);
    g_test_add_func("/ladder-canvas/export/svg", test_export_svg);
    g_test_add_func("/ladder-canvas/export/png", test_export_png);
    g_test_add_func("/ladder-canvas/export/pdf", test_export_pdf);
    /* no cleanup of Pango, cairo or fontconfig at exit: Pango loads fonts
     * on a thread of its own, and cairo_debug_reset_static_data() or
     * FcFini() while that holds a font aborted now and then (fontconfig's
     * caches are left to tests/lsan.supp) */
    return g_test_run();
}
