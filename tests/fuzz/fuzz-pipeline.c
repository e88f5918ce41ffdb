/* sipladder fuzz target: the whole way from the bytes of a capture file to
 * a drawn ladder, as `sipladder-cli ladder --all` takes it:
 * corr_load_files() (the loader the CLI and the GUI share: capture file,
 * decoder, SIP, correlation, RTP streams, RTCP, DTMF, binding), then
 * ladder_layout_build() over every call, ladder_render_svg() into memory
 * and ladder_render_text().
 *
 * The input is a capture file (pcap, pcapng, gzip), written to a memory
 * file (fuzz_memfd_store). Checked: every warning names the file; the
 * layout's indexes (rows, arrows, bands, notes, columns, legs) point where
 * they should; the SVG is valid UTF-8 and well formed as XML (elements
 * balanced, attributes quoted, every '&' an entity, no characters XML
 * forbids); the text ladder is valid UTF-8.
 *
 * nDPI's classification is left out: the target links with
 * -Wl,--wrap=flow_class_new (meson.build), and the wrapper below answers
 * as when nDPI cannot start, which the loader allows. Starting nDPI takes
 * some 100 ms under the sanitizers, a hundred times a whole run. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "corr-load.h"
#include "fuzz-util.h"
#include "ladder.h"

static const char *memfd_path;

FlowClassifier *__wrap_flow_class_new(void);

FlowClassifier *
__wrap_flow_class_new(void)
{
    return NULL;
}

static void
on_warn(CorrLoadWarnKind kind, const char *file, uint64_t frame, const char *text, gpointer user)
{
    (void)frame;
    (void)user;
    FUZZ_CHECK(kind <= CORR_LOAD_WARN_LIMIT);
    FUZZ_CHECK(file != NULL && text != NULL && strcmp(file, memfd_path) == 0);
    FUZZ_CHECK(strstr(text, file) != NULL);
    FUZZ_CHECK(g_utf8_validate(text, -1, NULL));
}

/* ------------------------------------------------------------ XML check */

static bool
is_name_char(char c)
{
    return g_ascii_isalnum(c) || c == ':' || c == '_' || c == '-' || c == '.';
}

/* A character XML 1.0 allows (section 2.2). */
static bool
xml_char_ok(gunichar c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* An entity or character reference at @p ('&'); returns its length. */
static size_t
check_entity(const char *p)
{
    static const char *const named[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;" };
    for (size_t i = 0; i < G_N_ELEMENTS(named); i++)
        if (strncmp(p, named[i], strlen(named[i])) == 0)
            return strlen(named[i]);
    FUZZ_CHECK(p[1] == '#');
    bool hex = p[2] == 'x';
    const char *q = p + (hex ? 3 : 2);
    guint64 v = 0;
    size_t digits = 0;
    while (hex ? g_ascii_isxdigit(*q) : g_ascii_isdigit(*q)) {
        v = v * (hex ? 16 : 10) + (guint64)(hex ? g_ascii_xdigit_value(*q) : *q - '0');
        FUZZ_CHECK(++digits <= 8);
        q++;
    }
    FUZZ_CHECK(digits > 0 && *q == ';' && xml_char_ok((gunichar)v));
    return (size_t)(q + 1 - p);
}

/* Character data or an attribute value up to @stop; returns where it ended. */
static const char *
check_chars(const char *p, char stop)
{
    while (*p && *p != stop && *p != '<') {
        if (*p == '&')
            p += check_entity(p);
        else
            p++;
    }
    return p;
}

static void
check_svg(const char *svg)
{
    FUZZ_CHECK(svg != NULL);
    FUZZ_CHECK(g_utf8_validate(svg, -1, NULL));
    for (const char *c = svg; *c; c = g_utf8_next_char(c))
        FUZZ_CHECK(xml_char_ok(g_utf8_get_char(c)));
    GPtrArray *open = g_ptr_array_new_with_free_func(g_free);
    bool root_seen = false;
    const char *p = svg;
    while (*p) {
        if (*p != '<') {
            p = check_chars(p, '<');
            /* only white space outside the root element */
            continue;
        }
        if (g_str_has_prefix(p, "<?")) {
            const char *e = strstr(p, "?>");
            FUZZ_CHECK(e != NULL && !root_seen);
            p = e + 2;
            continue;
        }
        if (g_str_has_prefix(p, "<!--")) {
            const char *e = strstr(p + 4, "-->");
            FUZZ_CHECK(e != NULL);
            p = e + 3;
            continue;
        }
        if (p[1] == '/') {
            const char *n = p + 2, *e = n;
            while (is_name_char(*e))
                e++;
            FUZZ_CHECK(e > n && *e == '>' && open->len > 0);
            const char *top = g_ptr_array_index(open, open->len - 1);
            FUZZ_CHECK(strlen(top) == (size_t)(e - n) && strncmp(top, n, (size_t)(e - n)) == 0);
            g_ptr_array_remove_index(open, open->len - 1);
            p = e + 1;
            continue;
        }
        const char *n = p + 1, *e = n;
        while (is_name_char(*e))
            e++;
        FUZZ_CHECK(e > n && !g_ascii_isdigit(*n) && *n != '-' && *n != '.');
        FUZZ_CHECK(open->len > 0 || !root_seen); /* one root */
        if (open->len == 0)
            FUZZ_CHECK(strncmp(n, "svg", 3) == 0 && e - n == 3);
        root_seen = true;
        char *name = g_strndup(n, (gsize)(e - n));
        p = e;
        GPtrArray *attrs = g_ptr_array_new_with_free_func(g_free);
        for (;;) {
            bool space = false;
            while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
                p++;
                space = true;
            }
            if (*p == '>' || (p[0] == '/' && p[1] == '>'))
                break;
            FUZZ_CHECK(space); /* attributes are separated */
            const char *an = p;
            while (is_name_char(*p))
                p++;
            FUZZ_CHECK(p > an && *p == '=');
            char *aname = g_strndup(an, (gsize)(p - an));
            for (guint i = 0; i < attrs->len; i++)
                FUZZ_CHECK(strcmp(g_ptr_array_index(attrs, i), aname) != 0); /* unique */
            g_ptr_array_add(attrs, aname);
            p++;
            char q = *p;
            FUZZ_CHECK(q == '"' || q == '\'');
            p = check_chars(p + 1, q);
            FUZZ_CHECK(*p == q);
            p++;
        }
        g_ptr_array_unref(attrs);
        if (*p == '/') {
            g_free(name);
            p += 2;
        } else {
            g_ptr_array_add(open, name);
            p++;
        }
    }
    FUZZ_CHECK(root_seen && open->len == 0);
    g_ptr_array_unref(open);
}

/* --------------------------------------------------------- layout check */

static void
check_layout(const LadderLayout *l)
{
    guint ncols = l->columns->len, nrows = l->rows->len;
    guint narrows = l->arrows->len, nbands = l->bands->len, nlegs = l->legs->len;
    FUZZ_CHECK(isfinite(l->width) && isfinite(l->height) && l->width >= 0 && l->height >= 0);
    FUZZ_CHECK(l->title != NULL);
    for (guint i = 0; i < ncols; i++) {
        const LadderColumn *c = &g_array_index(l->columns, LadderColumn, i);
        FUZZ_CHECK(c->index == i && c->address != NULL && isfinite(c->x));
    }
    double y = -INFINITY;
    for (guint i = 0; i < nrows; i++) {
        const LadderRow *r = &g_array_index(l->rows, LadderRow, i);
        FUZZ_CHECK(isfinite(r->y) && r->y >= y);
        y = r->y;
        /* gap rows have no time texts */
        FUZZ_CHECK(r->kind == LADDER_ROW_GAP || (r->time_abs && r->time_rel && r->time_delta));
        switch (r->kind) {
        case LADDER_ROW_MESSAGE:
            FUZZ_CHECK(r->item >= 0 && (guint)r->item < narrows);
            FUZZ_CHECK(g_array_index(l->arrows, LadderArrow, r->item).row == i);
            break;
        case LADDER_ROW_RTP_START:
        case LADDER_ROW_RTP_END:
            FUZZ_CHECK(r->item >= 0 && (guint)r->item < nbands);
            break;
        case LADDER_ROW_GAP:
            FUZZ_CHECK(r->item == -1 && r->gap > 0);
            break;
        default:
            FUZZ_CHECK(!"row kind");
        }
    }
    for (guint i = 0; i < narrows; i++) {
        const LadderArrow *a = &g_array_index(l->arrows, LadderArrow, i);
        FUZZ_CHECK(a->row < nrows && a->from_col < ncols && a->to_col < ncols);
        FUZZ_CHECK(a->msg != NULL && a->label != NULL && a->leg < MAX(nlegs, 1));
        FUZZ_CHECK(a->hop_of < (int)narrows && a->hop_of != (int)i);
    }
    for (guint i = 0; i < nbands; i++) {
        const LadderBand *b = &g_array_index(l->bands, LadderBand, i);
        FUZZ_CHECK(b->from_col < ncols && b->to_col < ncols);
        FUZZ_CHECK(b->row_start <= b->row_end && b->row_end < nrows);
        FUZZ_CHECK(b->stream != NULL && b->label != NULL);
    }
    for (guint i = 0; i < l->notes->len; i++) {
        const LadderNote *n = &g_array_index(l->notes, LadderNote, i);
        FUZZ_CHECK(n->kind && n->text && n->col < MAX(ncols, 1));
        FUZZ_CHECK(n->arrow >= -1 && n->arrow < (int)narrows);
        FUZZ_CHECK(n->band >= -1 && n->band < (int)nbands);
    }
    for (guint i = 0; i < nlegs; i++) {
        const LadderLeg *g = &g_array_index(l->legs, LadderLeg, i);
        FUZZ_CHECK(g->index == i && g->text != NULL);
    }
    /* every arrow and band can be found where it is drawn */
    for (guint i = 0; i < narrows; i++) {
        const LadderArrow *a = &g_array_index(l->arrows, LadderArrow, i);
        int hit = ladder_layout_arrow_at(l, (a->x1 + a->x2) / 2, a->y);
        FUZZ_CHECK(hit >= -1 && hit < (int)narrows);
    }
}

static void
render(const LadderLayout *l, const LadderStyle *style)
{
    check_layout(l);
    char *svg = ladder_render_svg(l, style);
    check_svg(svg);
    g_free(svg);
    char *text = ladder_render_text(l);
    FUZZ_CHECK(text != NULL && g_utf8_validate(text, -1, NULL));
    g_free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    memfd_path = fuzz_memfd_store(data, size);

    CorrEngine *engine = corr_engine_new(NULL);
    CorrLoadOptions lo;
    corr_load_options_init(&lo);
    lo.engine = engine;
    lo.media = true;
    lo.warn_func = on_warn;
    char *files[] = { (char *)memfd_path, NULL };
    CorrLoad *load = corr_load_files(files, &lo);
    FUZZ_CHECK(load != NULL);

    GPtrArray *inputs = corr_load_inputs(load);
    FUZZ_CHECK(inputs->len <= 1);
    if (inputs->len) {
        const CorrLoadFile *f = g_ptr_array_index(inputs, 0);
        FUZZ_CHECK(f->opened || !corr_load_complete(load));
        if (f->opened)
            FUZZ_CHECK(f->size == size);
    }
    GPtrArray *streams = corr_load_streams(load);
    const CorrStreamInfo *info = corr_load_stream_info(load);
    FUZZ_CHECK(streams->len == 0 || info != NULL);

    GPtrArray *calls = corr_engine_calls(engine);
    if (calls->len) {
        /* the options as `ladder --all`, or `--merge-ip --gap 0` with an
         * arrow and a band selected, by the input's length (one layout per
         * run: each is as costly as the rest of the run) */
        LadderOptions opts;
        ladder_options_init(&opts);
        LadderStyle style;
        ladder_style_init(&style);
        if (size & 1) {
            opts.merge_ip = true;
            opts.gap_threshold = 0;
            style.selected_arrow = 0;
            style.selected_band = 0;
        } else {
            opts.gap_threshold = 5 * SL_TIME_SECOND;
        }
        LadderLayout *l = ladder_layout_build(calls, streams, info, &opts);
        render(l, &style);
        ladder_layout_free(l);
    }
    corr_engine_free(engine);
    corr_load_free(load);
    return 0;
}
