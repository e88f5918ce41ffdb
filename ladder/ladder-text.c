/* sipladder: the ladder as plain text for terminals and e-mails, drawn on
 * a character grid from the same layout as the pictures.
 *
 * Each message takes two lines: its label above the arrow, then the
 * arrow; CSeq, SDP summary and findings go to the right of the last
 * column so that columns stay narrow. '-' is an original message, '.' a
 * retransmission, '=' the start of an RTP stream. */
#include "ladder.h"
#include "ladder-private.h"

#include <string.h>

#define TEXT_TIME_W 17   /* "15:04:05.123456" and a space or two */
#define TEXT_GAP_MIN 18  /* narrowest distance between two columns */
#define TEXT_LABEL_MAX 40

typedef struct {
    gunichar *cells;
    guint width;
} Line;

static void
line_init(Line *ln, guint width)
{
    ln->width = width;
    ln->cells = g_new(gunichar, width);
    for (guint i = 0; i < width; i++)
        ln->cells[i] = ' ';
}

static void
line_put(Line *ln, int x, const char *utf8)
{
    for (const char *p = utf8; p && *p; p = g_utf8_next_char(p), x++)
        if (x >= 0 && (guint)x < ln->width)
            ln->cells[x] = g_utf8_get_char(p);
}

static void
line_flush(Line *ln, GString *out, const char *right)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < ln->width; i++)
        g_string_append_unichar(s, ln->cells[i]);
    if (right && right[0]) {
        g_string_append(s, "  ");
        g_string_append(s, right);
    }
    while (s->len && s->str[s->len - 1] == ' ')
        g_string_truncate(s, s->len - 1);
    g_string_append(out, s->str);
    g_string_append_c(out, '\n');
    g_string_free(s, TRUE);
    g_free(ln->cells);
}

typedef struct {
    const LadderLayout *l;
    guint *pos;    /* character position of each column */
    guint width;   /* of the grid, without right-hand notes */
    GString *out;
} Text;

static guint
text_len(const char *s)
{
    return s ? (guint)g_utf8_strlen(s, -1) : 0;
}

static char *
short_label(const char *s)
{
    return ladder_text_clean(s, -1, TEXT_LABEL_MAX);
}

static char *
arrow_label(const Text *t, const LadderArrow *a)
{
    g_autofree char *base = short_label(a->label);
    const char *sdp = a->sdp ? " (SDP)" : "";
    if (t->l->legs->len > 1)
        return g_strdup_printf("[%u] %s%s", a->leg + 1, base, sdp);
    return g_strdup_printf("%s%s", base, sdp);
}

static void
place(Text *t)
{
    const LadderLayout *l = t->l;
    guint nc = l->columns->len;
    g_autofree guint *gap = g_new0(guint, nc + 1);
    for (guint i = 0; i < nc; i++) {
        const LadderColumn *c = &g_array_index(l->columns, LadderColumn, i);
        guint w = MAX(text_len(c->address), text_len(c->title)) + 2;
        gap[i] = MAX(gap[i], MAX((guint)TEXT_GAP_MIN, w));
    }
    for (guint span = 1; span < nc; span++) {
        for (guint i = 0; i < l->arrows->len + l->bands->len; i++) {
            guint a, z, need;
            if (i < l->arrows->len) {
                const LadderArrow *ar = &g_array_index(l->arrows, LadderArrow, i);
                a = MIN(ar->from_col, ar->to_col);
                z = MAX(ar->from_col, ar->to_col);
                g_autofree char *lab = arrow_label(t, ar);
                need = text_len(lab) + 4;
            } else {
                const LadderBand *b = &g_array_index(l->bands, LadderBand, i - l->arrows->len);
                a = MIN(b->from_col, b->to_col);
                z = MAX(b->from_col, b->to_col);
                need = 16;
            }
            if (z - a != span)
                continue;
            guint have = 0;
            for (guint k = a; k < z; k++)
                have += gap[k];
            for (guint k = a; have < need; k = k + 1 < z ? k + 1 : a, have++)
                gap[k]++;
        }
    }
    t->pos = g_new0(guint, nc + 1);
    guint x = TEXT_TIME_W + (nc ? gap[0] / 2 : 0);
    for (guint i = 0; i < nc; i++) {
        t->pos[i] = x;
        x += gap[i];
    }
    t->width = nc ? t->pos[nc - 1] + 6 : TEXT_TIME_W;
}

static void
put_lifelines(const Text *t, Line *ln)
{
    for (guint i = 0; i < t->l->columns->len; i++)
        ln->cells[t->pos[i]] = '|';
}

static void
put_centered(Line *ln, int centre, const char *s)
{
    line_put(ln, centre - (int)text_len(s) / 2, s);
}

/* A label line and an arrow line from column @from to @to. */
static void
put_arrow(const Text *t, guint from, guint to, gunichar fill, const char *label,
          const char *time1, const char *time2, const char *right)
{
    Line a, b;
    line_init(&a, t->width);
    line_init(&b, t->width);
    put_lifelines(t, &a);
    put_lifelines(t, &b);
    line_put(&a, 0, time1);
    line_put(&b, 0, time2);
    int x1 = (int)t->pos[from], x2 = (int)t->pos[to];
    if (from == to) {
        line_put(&b, x1 + 1, "<-'");
        line_put(&a, x1 + 1, "--.");
        line_put(&a, x1 + 5, label);
    } else {
        int lo = MIN(x1, x2), hi = MAX(x1, x2);
        for (int x = lo + 1; x < hi; x++)
            b.cells[x] = fill;
        if (x2 > x1)
            b.cells[hi - 1] = '>';
        else
            b.cells[lo + 1] = '<';
        put_centered(&a, (lo + hi) / 2, label);
    }
    line_flush(&a, t->out, NULL);
    line_flush(&b, t->out, right);
}

static void
put_plain(const Text *t, const char *time1, const char *text, const char *right)
{
    Line a;
    line_init(&a, t->width);
    put_lifelines(t, &a);
    line_put(&a, 0, time1);
    if (text)
        put_centered(&a, (int)(t->width + TEXT_TIME_W) / 2, text);
    line_flush(&a, t->out, right);
}

/* Findings on a row go to the right of its arrow line. */
static char *
notes_for(const LadderLayout *l, int arrow, int band)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < l->notes->len; i++) {
        const LadderNote *n = &g_array_index(l->notes, LadderNote, i);
        if ((arrow >= 0 && n->arrow == arrow) || (band >= 0 && n->band == band && n->arrow < 0))
            g_string_append_printf(s, "%s! %s: %s", s->len ? "  " : "", n->kind, n->text);
    }
    return g_string_free(s, FALSE);
}

static void
put_header(const Text *t)
{
    const LadderLayout *l = t->l;
    g_string_append_printf(t->out, "%s\n\n", l->title ? l->title : "");
    Line a, b;
    line_init(&a, t->width + 20);
    line_init(&b, t->width + 20);
    for (guint i = 0; i < l->columns->len; i++) {
        const LadderColumn *c = &g_array_index(l->columns, LadderColumn, i);
        if (c->title)
            put_centered(&a, (int)t->pos[i], c->title);
        put_centered(&b, (int)t->pos[i], c->address);
    }
    line_flush(&a, t->out, NULL);
    line_flush(&b, t->out, NULL);
}

char *
ladder_render_text(const LadderLayout *l)
{
    Text t = { .l = l, .out = g_string_new(NULL) };
    place(&t);
    put_header(&t);
    for (guint i = 0; i < l->rows->len; i++) {
        const LadderRow *r = &g_array_index(l->rows, LadderRow, i);
        if (r->kind == LADDER_ROW_GAP) {
            g_autofree char *d = ladder_duration_text(r->gap);
            g_autofree char *txt = g_strdup_printf("~~~ %s later ~~~", d);
            put_plain(&t, "", txt, NULL);
            continue;
        }
        if (r->kind == LADDER_ROW_MESSAGE) {
            const LadderArrow *a = &g_array_index(l->arrows, LadderArrow, r->item);
            g_autofree char *label = arrow_label(&t, a);
            g_autofree char *notes = notes_for(l, r->item, -1);
            g_autofree char *right = g_strdup_printf("%s%s%s%s%s", a->cseq, a->sdp ? " | " : "",
                                                     a->sdp ? a->sdp : "", notes[0] ? "  " : "",
                                                     notes);
            put_arrow(&t, a->from_col, a->to_col, a->retransmission ? '.' : '-', label,
                      r->time_abs, r->time_rel, right);
            continue;
        }
        const LadderBand *b = &g_array_index(l->bands, LadderBand, r->item);
        if (r->kind == LADDER_ROW_RTP_START) {
            g_autofree char *label = g_strdup_printf("RTP 0x%08X", b->ssrc);
            g_autofree char *notes = notes_for(l, -1, r->item);
            g_autofree char *right = g_strdup_printf("%s%s%s", b->label, notes[0] ? "  " : "",
                                                     notes);
            put_arrow(&t, b->from_col, b->to_col, '=', label, r->time_abs, r->time_rel, right);
        } else {
            g_autofree char *txt = g_strdup_printf("end of RTP 0x%08X", b->ssrc);
            put_plain(&t, r->time_abs, NULL, txt);
        }
    }
    /* findings that no row shows */
    for (guint i = 0; i < l->notes->len; i++) {
        const LadderNote *n = &g_array_index(l->notes, LadderNote, i);
        if (n->arrow < 0 && n->band < 0)
            g_string_append_printf(t.out, "! %s: %s\n", n->kind, n->text);
    }
    g_string_append_c(t.out, '\n');
    for (guint i = 0; i < l->legs->len; i++)
        g_string_append_printf(t.out, "%s\n", g_array_index(l->legs, LadderLeg, i).text);
    g_free(t.pos);
    return g_string_free(t.out, FALSE);
}
