/* sipladder: the one drawing routine of the ladder, over LadderCanvas.
 *
 * Groups follow the SVG interface documented in docs/ladder.md: each
 * endpoint column is a group of class "endpoint", each message arrow
 * "message" with data-frame, each RTP band "rtp" with data-ssrc, each
 * finding "finding". */
#include "ladder.h"
#include "ladder-private.h"

#include <math.h>
#include <string.h>

static LadderColor
rgb(unsigned hex, double a)
{
    return (LadderColor){ ((hex >> 16) & 0xff) / 255.0, ((hex >> 8) & 0xff) / 255.0,
                          (hex & 0xff) / 255.0, a };
}

void
ladder_style_init(LadderStyle *s)
{
    static const unsigned legs[8] = { 0x1f5fbf, 0x2e8b3a, 0x8a3ab9, 0xd9730d,
                                      0x138a8a, 0xc0392b, 0x8c5a2b, 0xc2185b };
    memset(s, 0, sizeof(*s));
    s->font_family = "DejaVu Sans Mono";
    s->font_size = LADDER_SIZE_NORMAL;
    s->background = rgb(0xffffff, 1);
    s->foreground = rgb(0x202020, 1);
    s->grid = rgb(0x9a9a9a, 1);
    s->selection = rgb(0xffe9a8, 1);
    for (guint i = 0; i < 8; i++)
        s->legs[i] = rgb(legs[i], 1);
    s->selected_arrow = -1;
    s->selected_band = -1;
}

typedef struct {
    const LadderLayout *l;
    LadderCanvas *c;
    const LadderStyle *s;
    double y_from, y_to;
} Draw;

static LadderColor
leg_color(const Draw *d, guint leg, double alpha)
{
    LadderColor c = d->s->legs[leg % 8];
    c.a = alpha;
    return c;
}

static LadderFont
font(const Draw *d, LadderFontKind k, LadderColor color, LadderAlign align)
{
    return (LadderFont){ .size = ladder_font_size(k) * d->s->font_size / LADDER_SIZE_NORMAL,
                         .color = color,
                         .align = align };
}

static bool
visible(const Draw *d, double y1, double y2)
{
    return MAX(y1, y2) >= d->y_from - LADDER_ROW_H && MIN(y1, y2) <= d->y_to + LADDER_ROW_H;
}

static void
text(const Draw *d, double x, double y, const char *t, const LadderFont *f)
{
    if (t && t[0])
        d->c->funcs->text(d->c, x, y, t, f);
}

static void
arrow_head(const Draw *d, double x, double y, double dir, const LadderColor *color)
{
    double xy[6] = { x, y, x - dir * 9, y - 4, x - dir * 9, y + 4 };
    d->c->funcs->polygon(d->c, xy, 3, color);
}

static void
draw_lifelines(const Draw *d)
{
    const LadderLayout *l = d->l;
    LadderPen pen = { .color = d->s->grid, .width = 1, .dashed = true };
    double y1 = MAX(l->header_h - 6, d->y_from), y2 = MIN(l->legend_y - 6, d->y_to);
    for (guint i = 0; i < l->columns->len && y1 < y2; i++) {
        const LadderColumn *c = &g_array_index(l->columns, LadderColumn, i);
        d->c->funcs->group_begin(d->c, "lifeline", "data-address", c->address, NULL);
        d->c->funcs->line(d->c, c->x, y1, c->x, y2, &pen);
        d->c->funcs->group_end(d->c);
    }
}

/* Title and column heads, with their top at @y0. */
static void
draw_header(const Draw *d, double y0)
{
    const LadderLayout *l = d->l;
    d->c->funcs->rect(d->c, 0, y0, l->width, l->header_h, &d->s->background, NULL);
    LadderFont tf = font(d, LADDER_FONT_TITLE, d->s->foreground, LADDER_ALIGN_LEFT);
    tf.bold = true;
    d->c->funcs->group_begin(d->c, "title", NULL, NULL, NULL);
    text(d, LADDER_PAD, y0 + 20, l->title, &tf);
    d->c->funcs->group_end(d->c);
    LadderPen box = { .color = d->s->grid, .width = 1 };
    LadderColor fill = rgb(0xf2f4f7, 1);
    for (guint i = 0; i < l->columns->len; i++) {
        const LadderColumn *c = &g_array_index(l->columns, LadderColumn, i);
        g_autofree char *tip = g_strdup_printf("%s%s%s", c->title ? c->title : "",
                                               c->title ? "\n" : "", c->address);
        d->c->funcs->group_begin(d->c, "endpoint", "data-address", c->address, tip);
        double w = ladder_head_width(c->title, c->address) + 2 * LADDER_PAD;
        d->c->funcs->rect(d->c, c->x - w / 2, y0 + 32, w, 38, &fill, &box);
        LadderFont nf = font(d, LADDER_FONT_NORMAL, d->s->foreground, LADDER_ALIGN_CENTER);
        nf.bold = true;
        LadderFont af = font(d, LADDER_FONT_SMALL, d->s->foreground, LADDER_ALIGN_CENTER);
        if (c->title) {
            text(d, c->x, y0 + 49, c->title, &nf);
            text(d, c->x, y0 + 63, c->address, &af);
        } else {
            text(d, c->x, y0 + 56, c->address, &nf);
        }
        d->c->funcs->group_end(d->c);
    }
}

static void
draw_gap(const Draw *d, const LadderRow *r)
{
    const LadderLayout *l = d->l;
    double top = r->y, h = LADDER_GAP_H - 4;
    d->c->funcs->group_begin(d->c, "gap", NULL, NULL, NULL);
    d->c->funcs->rect(d->c, l->time_w, top, l->width - l->time_w, h, &d->s->background, NULL);
    LadderPen pen = { .color = d->s->grid, .width = 1, .dashed = true };
    d->c->funcs->line(d->c, l->time_w, top, l->width, top, &pen);
    d->c->funcs->line(d->c, l->time_w, top + h, l->width, top + h, &pen);
    g_autofree char *dur = ladder_duration_text(r->gap);
    g_autofree char *t = g_strdup_printf("… %s later …", dur);
    LadderFont f = font(d, LADDER_FONT_SMALL, d->s->grid, LADDER_ALIGN_CENTER);
    f.italic = true;
    text(d, (l->time_w + l->width) / 2, top + h / 2 + 4, t, &f);
    d->c->funcs->group_end(d->c);
}

static void
draw_time(const Draw *d, const LadderRow *r)
{
    LadderFont f = font(d, LADDER_FONT_SMALL, d->s->foreground, LADDER_ALIGN_LEFT);
    text(d, LADDER_PAD, r->y - 5, r->time_abs, &f);
    g_autofree char *rel = g_strdup_printf("%s %s", r->time_rel, r->time_delta);
    LadderFont g = font(d, LADDER_FONT_SMALL, d->s->grid, LADDER_ALIGN_LEFT);
    g.size *= 0.9;
    text(d, LADDER_PAD, r->y + 9, rel, &g);
}

static void
draw_arrow(const Draw *d, guint index)
{
    const LadderLayout *l = d->l;
    const LadderArrow *a = &g_array_index(l->arrows, LadderArrow, index);
    const LadderRow *r = &g_array_index(l->rows, LadderRow, a->row);
    char frame[24];
    g_snprintf(frame, sizeof frame, "%" G_GUINT64_FORMAT, a->frame);
    d->c->funcs->group_begin(d->c, "message", "data-frame", frame, a->tooltip);
    if ((int)index == d->s->selected_arrow)
        d->c->funcs->rect(d->c, 0, a->y - LADDER_ROW_H * 0.6, l->width, LADDER_ROW_H,
                          &d->s->selection, NULL);
    draw_time(d, r);
    LadderColor col = leg_color(d, a->leg, 1);
    LadderPen pen = { .color = col, .width = a->retransmission ? 1.2 : 1.6,
                      .dashed = a->retransmission };
    double mid;
    if (a->from_col == a->to_col) {
        double x = a->x1, w = a->x2 - a->x1;
        d->c->funcs->line(d->c, x, a->y, x + w, a->y, &pen);
        d->c->funcs->line(d->c, x + w, a->y, x + w, a->y + 10, &pen);
        d->c->funcs->line(d->c, x + w, a->y + 10, x + 9, a->y + 10, &pen);
        arrow_head(d, x, a->y + 10, -1, &col);
        mid = x + w / 2;
    } else {
        double dir = a->x2 > a->x1 ? 1 : -1;
        d->c->funcs->line(d->c, a->x1, a->y, a->x2 - dir * 8, a->y, &pen);
        arrow_head(d, a->x2, a->y, dir, &col);
        mid = (a->x1 + a->x2) / 2;
        if (a->sdp) { /* the SDP mark: a diamond where the message leaves */
            double x = a->x1 + dir * 12;
            double xy[8] = { x, a->y - 4, x + 4, a->y, x, a->y + 4, x - 4, a->y };
            d->c->funcs->polygon(d->c, xy, 4, &col);
        }
    }
    LadderFont lf = font(d, LADDER_FONT_NORMAL, col, LADDER_ALIGN_CENTER);
    lf.bold = !a->retransmission;
    lf.italic = a->retransmission;
    text(d, mid, a->y - 5, a->label, &lf);
    g_autofree char *below = a->sdp ? g_strdup_printf("%s | %s", a->cseq, a->sdp)
                                    : g_strdup(a->cseq);
    LadderFont sf = font(d, LADDER_FONT_SMALL, d->s->grid, LADDER_ALIGN_CENTER);
    if (a->sdp)
        sf.color = d->s->foreground;
    text(d, mid, a->y + 12, below, &sf);
    d->c->funcs->group_end(d->c);
}

/* A dotted tie at the forwarding element between two hops of one request
 * or response. */
static void
draw_hop(const Draw *d, const LadderArrow *a)
{
    const LadderArrow *u = &g_array_index(d->l->arrows, LadderArrow, a->hop_of);
    double off = (a->x2 >= a->x1 ? 1 : -1) * 3;
    LadderPen pen = { .color = leg_color(d, a->leg, 0.55), .width = 2.5, .dashed = true };
    d->c->funcs->group_begin(d->c, "hop", NULL, NULL, NULL);
    d->c->funcs->line(d->c, a->x1 + off, u->y, a->x1 + off, a->y, &pen);
    d->c->funcs->group_end(d->c);
}

static void
draw_band(const Draw *d, guint index)
{
    const LadderLayout *l = d->l;
    const LadderBand *b = &g_array_index(l->bands, LadderBand, index);
    char ssrc[16];
    g_snprintf(ssrc, sizeof ssrc, "0x%08X", b->ssrc);
    d->c->funcs->group_begin(d->c, "rtp", "data-ssrc", ssrc, b->tooltip);
    double lo = MIN(b->x1, b->x2), hi = MAX(b->x1, b->x2);
    double inset = MIN(b->lane * 6.0, (hi - lo) / 4);
    LadderColor fill = leg_color(d, b->leg, (int)index == d->s->selected_band ? 0.28 : 0.09);
    d->c->funcs->rect(d->c, lo + inset, b->y1, hi - lo - 2 * inset, MAX(b->y2 - b->y1, 2), &fill,
                      NULL);
    LadderColor col = leg_color(d, b->leg, 1);
    LadderPen thick = { .color = col, .width = 3 };
    double dir = b->x2 >= b->x1 ? 1 : -1;
    d->c->funcs->line(d->c, b->x1, b->y1, b->x2 - dir * 8, b->y1, &thick);
    arrow_head(d, b->x2, b->y1, dir, &col);
    LadderFont f = font(d, LADDER_FONT_SMALL, col, LADDER_ALIGN_CENTER);
    f.bold = true;
    text(d, (b->x1 + b->x2) / 2, b->y1 - 5, b->label, &f);
    LadderPen thin = { .color = col, .width = 1, .dashed = true };
    d->c->funcs->line(d->c, b->x1, b->y2, b->x2, b->y2, &thin);
    g_autofree char *end = g_strdup_printf("end of RTP %s (frame %" G_GUINT64_FORMAT ")", ssrc,
                                           b->stream->last_frame);
    LadderFont e = font(d, LADDER_FONT_SMALL, d->s->grid, LADDER_ALIGN_CENTER);
    text(d, (b->x1 + b->x2) / 2, b->y2 - 4, end, &e);
    draw_time(d, &g_array_index(l->rows, LadderRow, b->row_start));
    draw_time(d, &g_array_index(l->rows, LadderRow, b->row_end));
    d->c->funcs->group_end(d->c);
}

static void
draw_note(const Draw *d, const LadderNote *n)
{
    char frame[24];
    g_snprintf(frame, sizeof frame, "%" G_GUINT64_FORMAT, n->frame);
    g_autofree char *tip = g_strdup_printf("%s: %s", n->kind, n->text);
    d->c->funcs->group_begin(d->c, "finding", "data-frame", frame, tip);
    LadderColor warn = rgb(0xd35400, 1);
    const LadderColumn *c = &g_array_index(d->l->columns, LadderColumn, n->col);
    double dot[8] = { c->x, n->y - 4, c->x + 4, n->y, c->x, n->y + 4, c->x - 4, n->y };
    d->c->funcs->polygon(d->c, dot, 4, &warn);
    double tri[6] = { n->x, n->y + 1, n->x + 10, n->y + 1, n->x + 5, n->y - 8 };
    d->c->funcs->polygon(d->c, tri, 3, &warn);
    LadderFont kf = font(d, LADDER_FONT_SMALL, warn, LADDER_ALIGN_LEFT);
    kf.bold = true;
    text(d, n->x + LADDER_NOTE_MARK, n->y, n->kind, &kf);
    LadderFont tf = font(d, LADDER_FONT_SMALL, d->s->foreground, LADDER_ALIGN_LEFT);
    text(d, n->x + LADDER_NOTE_MARK + ladder_text_width(n->kind, LADDER_FONT_SMALL) + 6, n->y,
         n->text, &tf);
    d->c->funcs->group_end(d->c);
}

static void
draw_legend(const Draw *d)
{
    const LadderLayout *l = d->l;
    double y = l->legend_y + LADDER_LEGEND_LINE;
    if (!visible(d, l->legend_y, l->height))
        return;
    d->c->funcs->group_begin(d->c, "legend", NULL, NULL, NULL);
    guint retr = 0;
    for (guint i = 0; i < l->arrows->len; i++)
        retr += g_array_index(l->arrows, LadderArrow, i).retransmission;
    g_autofree char *sum = g_strdup_printf("%u messages (%u retransmitted or duplicated), %u RTP "
                                           "streams, %u findings",
                                           l->arrows->len, retr, l->bands->len, l->notes->len);
    LadderFont f = font(d, LADDER_FONT_SMALL, d->s->foreground, LADDER_ALIGN_LEFT);
    text(d, LADDER_PAD, y, sum, &f);
    for (guint i = 0; i < l->legs->len; i++) {
        const LadderLeg *L = &g_array_index(l->legs, LadderLeg, i);
        y += LADDER_LEGEND_LINE;
        LadderColor c = leg_color(d, i, 1);
        d->c->funcs->group_begin(d->c, "leg", "data-call-id", L->call_id, NULL);
        d->c->funcs->rect(d->c, LADDER_PAD, y - LADDER_SWATCH + 2, LADDER_SWATCH, LADDER_SWATCH,
                          &c, NULL);
        text(d, LADDER_PAD * 2 + LADDER_SWATCH, y, L->text, &f);
        d->c->funcs->group_end(d->c);
    }
    d->c->funcs->group_end(d->c);
}

void
ladder_draw(const LadderLayout *l, LadderCanvas *c, const LadderStyle *s, double y_from,
            double y_to, bool sticky_header)
{
    Draw d = { .l = l, .c = c, .s = s, .y_from = y_from, .y_to = y_to };
    c->font_family = s->font_family;
    c->funcs->rect(c, 0, y_from, l->width, y_to - y_from, &s->background, NULL);
    if (!sticky_header)
        draw_header(&d, 0);
    draw_lifelines(&d);
    for (guint i = 0; i < l->bands->len; i++) {
        const LadderBand *b = &g_array_index(l->bands, LadderBand, i);
        if (visible(&d, b->y1, b->y2))
            draw_band(&d, i);
    }
    for (guint i = 0; i < l->rows->len; i++) {
        const LadderRow *r = &g_array_index(l->rows, LadderRow, i);
        if (r->kind == LADDER_ROW_GAP && visible(&d, r->y, r->y + LADDER_GAP_H))
            draw_gap(&d, r);
    }
    for (guint i = 0; i < l->arrows->len; i++) {
        const LadderArrow *a = &g_array_index(l->arrows, LadderArrow, i);
        if (a->hop_of >= 0 &&
            visible(&d, g_array_index(l->arrows, LadderArrow, a->hop_of).y, a->y))
            draw_hop(&d, a);
    }
    for (guint i = 0; i < l->arrows->len; i++) {
        const LadderArrow *a = &g_array_index(l->arrows, LadderArrow, i);
        if (visible(&d, a->y, a->y))
            draw_arrow(&d, i);
    }
    for (guint i = 0; i < l->notes->len; i++) {
        const LadderNote *n = &g_array_index(l->notes, LadderNote, i);
        if (visible(&d, n->y, n->y))
            draw_note(&d, n);
    }
    draw_legend(&d);
    if (sticky_header)
        draw_header(&d, y_from);
}
