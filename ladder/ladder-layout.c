/* sipladder: the ladder layout: columns, rows, arrows, RTP bands, notes
 * and the legend of one or more calls, in layout units.
 *
 * Rows are evenly spaced and in time order; a silence longer than the gap
 * threshold gets a short extra row with its duration, so a two-hour call
 * with a dozen messages stays one screen high. Text is measured as
 * monospace (the style's font is DejaVu Sans Mono), so the layout needs no
 * font machinery and gives the same geometry everywhere. */
#include "ladder.h"
#include "ladder-private.h"

#include <math.h>
#include <string.h>

/* What one row shows, before geometry. */
typedef struct {
    LadderRowKind kind;
    SlTime ts;
    guint order;   /* tie-breaker: capture order */
    const CorrMsg *msg;
    guint band;    /* RTP rows */
} Event;

typedef struct {
    LadderLayout *l;
    const LadderOptions *opts;
    GHashTable *col_by_addr;  /* SlAddr* (owned copy) -> column index + 1 */
    GHashTable *leg_index;    /* CorrLeg* -> leg index + 1 */
    GArray *events;
    GHashTable *arrow_by_frame; /* built for the findings */
} Builder;

void
ladder_options_init(LadderOptions *o)
{
    memset(o, 0, sizeof(*o));
    o->gap_threshold = 5 * SL_TIME_SECOND;
}

/* ------------------------------------------------------------ columns */

static SlAddr
column_key(const Builder *b, const SlAddr *a)
{
    SlAddr k = *a;
    if (b->opts->merge_ip)
        k.port = 0;
    return k;
}

static int
column_find(const Builder *b, const SlAddr *a)
{
    SlAddr k = column_key(b, a);
    gpointer v = g_hash_table_lookup(b->col_by_addr, &k);
    return v ? GPOINTER_TO_INT(v) - 1 : -1;
}

static guint
column_add(Builder *b, const SlAddr *a)
{
    int found = column_find(b, a);
    if (found >= 0)
        return (guint)found;
    LadderColumn c = { 0 };
    c.index = b->l->columns->len;
    c.addr = column_key(b, a);
    char buf[SL_ADDR_STRLEN];
    c.address = g_strdup(b->opts->merge_ip ? sl_addr_ip_str(&c.addr, buf) : sl_addr_str(&c.addr, buf));
    g_array_append_val(b->l->columns, c);
    SlAddr *key = g_new(SlAddr, 1);
    *key = c.addr;
    g_hash_table_insert(b->col_by_addr, key, GINT_TO_POINTER(c.index + 1));
    return c.index;
}

/* The column of a media address: its own, else the first of its IP
 * (a phone's RTP port beside its SIP port), else a new one. */
static guint
column_for_media(Builder *b, const SlAddr *a)
{
    int found = column_find(b, a);
    if (found >= 0)
        return (guint)found;
    for (guint i = 0; i < b->l->columns->len; i++) {
        const LadderColumn *c = &g_array_index(b->l->columns, LadderColumn, i);
        if (sl_addr_ip_equal(&c->addr, a))
            return i;
    }
    return column_add(b, a);
}

/* "kamailio (5.6.3 (x86_64/linux))" -> "kamailio" */
static char *
product_of(const char *ua)
{
    while (*ua == ' ' || *ua == '\t')
        ua++;
    size_t n = 0;
    while (ua[n] && ua[n] != ' ' && ua[n] != '\t' && ua[n] != '(' && n < 32)
        n++;
    if (n == 0)
        return NULL;
    return g_utf8_make_valid(ua, (gssize)n);
}

static void
columns_title(Builder *b, GPtrArray *msgs)
{
    GHashTable *aliases = b->opts->aliases;
    for (guint i = 0; i < b->l->columns->len; i++) {
        LadderColumn *c = &g_array_index(b->l->columns, LadderColumn, i);
        if (!aliases)
            continue;
        char buf[SL_ADDR_STRLEN];
        const char *name = NULL;
        if (c->addr.port)
            name = g_hash_table_lookup(aliases, sl_addr_str(&c->addr, buf));
        if (!name)
            name = g_hash_table_lookup(aliases, sl_addr_ip_str(&c->addr, buf));
        if (name)
            c->title = g_strdup(name);
    }
    for (guint m = 0; m < msgs->len; m++) {
        const CorrMsg *msg = g_ptr_array_index(msgs, m);
        if (!msg->user_agent)
            continue;
        int col = column_find(b, &msg->src);
        if (col < 0)
            continue;
        LadderColumn *c = &g_array_index(b->l->columns, LadderColumn, col);
        if (!c->title)
            c->title = product_of(msg->user_agent);
    }
}

/* ------------------------------------------------------------ text */

/* One line of packet text fit for a label: valid UTF-8, no control
 * characters, at most @max characters (with an ellipsis). */
char *
ladder_text_clean(const char *s, gssize len, guint max)
{
    if (!s)
        return g_strdup("");
    g_autofree char *valid = g_utf8_make_valid(s, len);
    size_t vlen = strlen(valid);
    GString *out = g_string_sized_new(MIN(vlen, (size_t)max * 4) + 4);
    guint n = 0;
    for (const char *p = valid; *p; n++) {
        if (n == max) {
            g_string_append(out, "…");
            break;
        }
        unsigned char b = (unsigned char)*p;
        if (b < 0x80) { /* ASCII: controls become spaces */
            g_string_append_c(out, b < 0x20 || b == 0x7f ? ' ' : (char)b);
            p++;
        } else { /* one character, already valid UTF-8: copied as it is */
            const char *next = g_utf8_next_char(p);
            g_string_append_len(out, p, next - p);
            p = next;
        }
    }
    return g_string_free(out, FALSE);
}

/* "PCMU/8000 G729/8000" -> "PCMU G729" */
static void
append_codecs(GString *out, const char *codecs)
{
    g_auto(GStrv) parts = g_strsplit(codecs ? codecs : "", " ", 0);
    for (guint i = 0; parts[i]; i++) {
        if (!parts[i][0])
            continue;
        char *slash = strchr(parts[i], '/');
        if (slash)
            *slash = 0;
        g_string_append_c(out, ' ');
        g_string_append(out, parts[i]);
    }
}

static char *
sdp_summary(const CorrMsg *m)
{
    if (!m->has_sdp)
        return NULL;
    GString *s = g_string_new("SDP");
    if (!m->media || m->media->len == 0)
        return g_string_free(s, FALSE);
    for (guint i = 0; i < m->media->len; i++) {
        const CorrMedia *md = &g_array_index(m->media, CorrMedia, i);
        char buf[SL_ADDR_STRLEN];
        if (i)
            g_string_append_c(s, ';');
        if (md->media && strcmp(md->media, "audio") != 0)
            g_string_append_printf(s, " %s", md->media);
        g_string_append_printf(s, " %s", sl_addr_str(&md->addr, buf));
        append_codecs(s, md->codecs);
        if (md->direction && strcmp(md->direction, "sendrecv") != 0)
            g_string_append_printf(s, " %s", md->direction);
    }
    g_autofree char *raw = g_string_free(s, FALSE);
    return ladder_text_clean(raw, -1, LADDER_SDP_MAX);
}

/* The first lines of the message, for a tooltip. */
static char *
msg_tooltip(const CorrMsg *m)
{
    if (!m->raw)
        return g_strdup("");
    gsize size;
    const char *p = g_bytes_get_data(m->raw, &size);
    GString *out = g_string_new(NULL);
    guint lines = 0;
    size_t i = 0;
    while (i < size && lines < LADDER_TOOLTIP_LINES) {
        size_t e = i;
        while (e < size && p[e] != '\n')
            e++;
        size_t n = e - i;
        if (n && p[i + n - 1] == '\r')
            n--;
        if (n == 0)
            break; /* end of the headers */
        g_autofree char *line = ladder_text_clean(p + i, (gssize)n, 160);
        if (lines)
            g_string_append_c(out, '\n');
        g_string_append(out, line);
        lines++;
        i = e + 1;
    }
    return g_string_free(out, FALSE);
}

void
ladder_time_texts(SlTime t, SlTime start, SlTime prev, char **abs, char **rel, char **delta)
{
    char buf[SL_TIME_STRLEN];
    sl_time_format(t, buf);
    const char *clock = strchr(buf, ' ');
    *abs = g_strdup(clock ? clock + 1 : buf);
    *rel = g_strdup_printf("+%.6f", (double)(t - start) / 1e9);
    *delta = g_strdup_printf("Δ%.6f", t >= prev ? (double)(t - prev) / 1e9 : 0.0);
}

char *
ladder_duration_text(SlTime d)
{
    int64_t s = d / SL_TIME_SECOND;
    if (s >= 3600)
        return g_strdup_printf("%" G_GINT64_FORMAT " h %02d min %02d s", s / 3600,
                               (int)(s / 60 % 60), (int)(s % 60));
    if (s >= 60)
        return g_strdup_printf("%d min %02d s", (int)(s / 60), (int)(s % 60));
    return g_strdup_printf("%.1f s", (double)d / 1e9);
}

/* ------------------------------------------------------------ legs */

static guint
leg_add(Builder *b, const CorrLeg *leg)
{
    gpointer v = g_hash_table_lookup(b->leg_index, leg);
    if (v)
        return GPOINTER_TO_UINT(v) - 1;
    LadderLeg L = { 0 };
    L.index = b->l->legs->len;
    L.kind = leg ? leg->kind : CORR_KIND_OTHER;
    L.call_id = ladder_text_clean(leg ? leg->call_id : "", -1, 200);
    g_array_append_val(b->l->legs, L);
    g_hash_table_insert(b->leg_index, (gpointer)leg, GUINT_TO_POINTER(L.index + 1));
    return L.index;
}

static void
legs_text(Builder *b)
{
    for (guint i = 0; i < b->l->legs->len; i++) {
        LadderLeg *L = &g_array_index(b->l->legs, LadderLeg, i);
        const CorrLeg *leg = NULL;
        GHashTableIter it;
        gpointer k, v;
        g_hash_table_iter_init(&it, b->leg_index);
        while (g_hash_table_iter_next(&it, &k, &v))
            if (GPOINTER_TO_UINT(v) - 1 == i)
                leg = k;
        GString *s = g_string_new(NULL);
        g_string_append_printf(s, "leg %u: Call-ID %s", i + 1, L->call_id);
        if (leg && leg->linked_to && leg->linked_by > CORR_LINK_SAME_CALL_ID) {
            gpointer to = g_hash_table_lookup(b->leg_index, leg->linked_to);
            g_autofree char *detail = ladder_text_clean(leg->link_detail, -1, 80);
            g_string_append_printf(s, " (linked by %s%s%s", corr_link_name(leg->linked_by),
                                   detail[0] ? " " : "", detail);
            if (to)
                g_string_append_printf(s, " to leg %u", GPOINTER_TO_UINT(to));
            g_string_append_c(s, ')');
        } else if (leg && leg->kind != CORR_KIND_CALL) {
            g_string_append_printf(s, " (%s)", corr_kind_name(leg->kind));
        }
        L->text = g_string_free(s, FALSE);
    }
}

/* ------------------------------------------------------------ events */

static void
event_add(Builder *b, LadderRowKind kind, SlTime ts, guint order, const CorrMsg *msg,
          guint band)
{
    Event e = { .kind = kind, .ts = ts, .order = order, .msg = msg, .band = band };
    g_array_append_val(b->events, e);
}

static int
event_cmp(gconstpointer pa, gconstpointer pb)
{
    const Event *a = pa, *b = pb;
    if (a->ts != b->ts)
        return a->ts < b->ts ? -1 : 1;
    if (a->kind != b->kind) /* messages first, then media starts, then ends */
        return a->kind < b->kind ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static void
add_band(Builder *b, const RtpStream *s, const CorrStreamInfo *in, guint leg)
{
    LadderBand band = { 0 };
    band.stream = s;
    band.ssrc = s->ssrc;
    band.from_col = column_for_media(b, &s->src);
    band.to_col = column_for_media(b, &s->dst);
    band.leg = leg;
    const char *codec = in && in->codec[0] ? in->codec : s->payload_names;
    GString *t = g_string_new(NULL);
    g_string_append_printf(t, "RTP %s %" G_GUINT64_FORMAT " pkts, lost %.1f%%",
                           codec && codec[0] ? codec : "?", s->packets,
                           s->lost_pct < 0 ? 0.0 : s->lost_pct);
    if (s->has_jitter)
        g_string_append_printf(t, ", max jitter %.2f ms", s->max_jitter_ms);
    if (in && in->mos >= 0)
        g_string_append_printf(t, ", MOS %.2f", in->mos);
    g_autofree char *raw = g_string_free(t, FALSE);
    band.label = ladder_text_clean(raw, -1, LADDER_LABEL_MAX);
    char sa[SL_ADDR_STRLEN], da[SL_ADDR_STRLEN];
    band.tooltip = g_strdup_printf("%s\nSSRC 0x%08X %s -> %s\nframes %" G_GUINT64_FORMAT
                                   "-%" G_GUINT64_FORMAT ", lost %" G_GINT64_FORMAT
                                   " of %" G_GINT64_FORMAT ", max delta %.2f ms",
                                   band.label, s->ssrc, sl_addr_str(&s->src, sa),
                                   sl_addr_str(&s->dst, da), s->first_frame, s->last_frame,
                                   s->lost, s->expected, s->max_delta_ms);
    guint idx = b->l->bands->len;
    g_array_append_val(b->l->bands, band);
    /* a capture whose clock steps back can give a last packet older than
     * the first: the band still starts above where it ends */
    event_add(b, LADDER_ROW_RTP_START, MIN(s->first_ts, s->last_ts), (guint)s->first_frame, NULL,
              idx);
    event_add(b, LADDER_ROW_RTP_END, MAX(s->first_ts, s->last_ts), (guint)s->last_frame, NULL,
              idx);
}

static void
add_message(Builder *b, const CorrMsg *m)
{
    column_add(b, &m->src);
    column_add(b, &m->dst);
    leg_add(b, m->leg);
    event_add(b, LADDER_ROW_MESSAGE, m->ts, m->index, m, 0);
}

/* ------------------------------------------------------------ rows */

static void
arrow_fill(Builder *b, LadderArrow *a, const CorrMsg *m, GHashTable *copies)
{
    a->msg = m;
    a->frame = m->frame;
    a->file = m->file;
    a->from_col = (guint)column_find(b, &m->src);
    a->to_col = (guint)column_find(b, &m->dst);
    a->is_request = m->is_request;
    a->leg = leg_add(b, m->leg);
    a->hop_of = -1;
    g_autofree char *label = NULL;
    if (m->is_request)
        label = g_strdup(m->method_name ? m->method_name : "?");
    else
        label = g_strdup_printf("%u %s", m->status, m->reason ? m->reason : "");
    a->retransmission = m->role != CORR_MSG_ORIGINAL;
    if (a->retransmission && m->txn) {
        /* count the copies per transaction and direction */
        char key[64];
        g_snprintf(key, sizeof key, "%p/%u/%u", (void *)m->txn, m->is_request, m->status);
        guint n = GPOINTER_TO_UINT(g_hash_table_lookup(copies, key)) + 1;
        g_hash_table_replace(copies, g_strdup(key), GUINT_TO_POINTER(n));
        g_autofree char *l2 = g_strdup_printf("%s (%s %u)", label,
                                              m->role == CORR_MSG_DUPLICATE ? "duplicate" : "retr.",
                                              n);
        g_free(label);
        label = g_steal_pointer(&l2);
    }
    a->label = ladder_text_clean(g_strchomp(label), -1, LADDER_LABEL_MAX);
    g_autofree char *cseq = g_strdup_printf("CSeq %u %s", m->cseq,
                                            m->is_request ? (m->method_name ? m->method_name : "")
                                                          : (m->method_name ? m->method_name : ""));
    a->cseq = ladder_text_clean(cseq, -1, 40);
    a->sdp = sdp_summary(m);
    a->tooltip = msg_tooltip(m);
}

/* Ties each forwarded hop to the arrow of the hop before it, where the
 * forwarding element received it: a request to the same request of the
 * upstream transaction, a response to the same response of a downstream
 * one (responses travel back up). */
static void
link_hops(LadderLayout *l)
{
    g_autoptr(GHashTable) by_txn = g_hash_table_new_full(NULL, NULL, NULL,
                                                         (GDestroyNotify)g_array_unref);
    g_autoptr(GHashTable) downstream = g_hash_table_new_full(NULL, NULL, NULL,
                                                             (GDestroyNotify)g_ptr_array_unref);
    for (guint i = 0; i < l->arrows->len; i++) {
        LadderArrow *a = &g_array_index(l->arrows, LadderArrow, i);
        const CorrTxn *t = a->msg->txn;
        if (!t)
            continue;
        if (t->upstream) {
            GPtrArray *d = g_hash_table_lookup(downstream, t->upstream);
            if (!d) {
                d = g_ptr_array_new();
                g_hash_table_insert(downstream, t->upstream, d);
            }
            if (!g_ptr_array_find(d, t, NULL))
                g_ptr_array_add(d, (gpointer)t);
        }
        if (!a->retransmission) {
            const CorrTxn *one = a->is_request ? t->upstream : NULL;
            GPtrArray *many = a->is_request ? NULL : g_hash_table_lookup(downstream, t);
            guint n = one ? 1 : many ? many->len : 0;
            guint best_row = 0;
            for (guint k = 0; k < n; k++) {
                GArray *up = g_hash_table_lookup(by_txn, one ? one : g_ptr_array_index(many, k));
                for (guint j = 0; up && j < up->len; j++) {
                    int idx = g_array_index(up, int, j);
                    const LadderArrow *u = &g_array_index(l->arrows, LadderArrow, idx);
                    if (u->retransmission || u->is_request != a->is_request ||
                        u->to_col != a->from_col)
                        continue;
                    if (!a->is_request && u->msg->status != a->msg->status)
                        continue;
                    if (a->hop_of < 0 || u->row > best_row) {
                        a->hop_of = idx;
                        best_row = u->row;
                    }
                }
            }
        }
        GArray *list = g_hash_table_lookup(by_txn, t);
        if (!list) {
            list = g_array_new(FALSE, FALSE, sizeof(int));
            g_hash_table_insert(by_txn, (gpointer)t, list);
        }
        int idx = (int)i;
        g_array_append_val(list, idx);
    }
    /* originals count the copies that followed: the last original of each
     * transaction, direction, status and sender */
    g_autoptr(GHashTable) last = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < l->arrows->len; i++) {
        const LadderArrow *a = &g_array_index(l->arrows, LadderArrow, i);
        if (!a->msg->txn)
            continue;
        char key[96];
        g_snprintf(key, sizeof key, "%p/%d/%u/%u", (void *)a->msg->txn, a->is_request,
                   a->msg->status, a->from_col);
        if (!a->retransmission) {
            g_hash_table_replace(last, g_strdup(key), GUINT_TO_POINTER(i + 1));
            continue;
        }
        guint o = GPOINTER_TO_UINT(g_hash_table_lookup(last, key));
        if (o)
            g_array_index(l->arrows, LadderArrow, o - 1).copies++;
    }
}

static void
build_rows(Builder *b)
{
    LadderLayout *l = b->l;
    g_array_sort(b->events, event_cmp);
    g_autoptr(GHashTable) copies = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    l->start = b->events->len ? g_array_index(b->events, Event, 0).ts : 0;
    SlTime prev = l->start;
    for (guint i = 0; i < b->events->len; i++) {
        const Event *e = &g_array_index(b->events, Event, i);
        if (i > 0 && e->ts - prev > b->opts->gap_threshold && b->opts->gap_threshold > 0) {
            LadderRow gap = { .kind = LADDER_ROW_GAP, .ts = prev, .gap = e->ts - prev, .item = -1 };
            g_array_append_val(l->rows, gap);
        }
        LadderRow r = { .kind = e->kind, .ts = e->ts };
        ladder_time_texts(e->ts, l->start, prev, &r.time_abs, &r.time_rel, &r.time_delta);
        guint row = l->rows->len;
        if (e->kind == LADDER_ROW_MESSAGE) {
            LadderArrow a = { 0 };
            a.row = row;
            arrow_fill(b, &a, e->msg, copies);
            r.item = (int)l->arrows->len;
            g_array_append_val(l->arrows, a);
        } else {
            LadderBand *band = &g_array_index(l->bands, LadderBand, e->band);
            if (e->kind == LADDER_ROW_RTP_START)
                band->row_start = row;
            else
                band->row_end = row;
            r.item = (int)e->band;
        }
        g_array_append_val(l->rows, r);
        prev = e->ts;
    }
    link_hops(l);
}

/* ------------------------------------------------------------ notes */

static void
add_finding(Builder *b, const CorrFinding *f)
{
    LadderLayout *l = b->l;
    LadderNote n = { .arrow = -1, .band = -1 };
    n.kind = ladder_text_clean(f->kind, -1, 40);
    n.text = ladder_text_clean(f->text, -1, LADDER_LABEL_MAX);
    n.frame = f->frame;
    if (!b->arrow_by_frame) { /* frame and file -> first arrow + 1 */
        b->arrow_by_frame = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        for (guint i = l->arrows->len; i-- > 0;) {
            const LadderArrow *a = &g_array_index(l->arrows, LadderArrow, i);
            g_hash_table_replace(b->arrow_by_frame,
                                 g_strdup_printf("%u/%" G_GUINT64_FORMAT, a->file, a->frame),
                                 GUINT_TO_POINTER(i + 1));
        }
    }
    if (f->frame) {
        g_autofree char *key = g_strdup_printf("%u/%" G_GUINT64_FORMAT, f->file, f->frame);
        n.arrow = (int)GPOINTER_TO_UINT(g_hash_table_lookup(b->arrow_by_frame, key)) - 1;
    }
    if (n.arrow < 0 && f->stream) {
        for (guint i = 0; i < l->bands->len; i++) {
            const LadderBand *band = &g_array_index(l->bands, LadderBand, i);
            if (band->stream->id == f->stream) {
                n.band = (int)i;
                break;
            }
        }
    }
    g_array_append_val(l->notes, n);
}

/* ------------------------------------------------------------ geometry */

static void
place_columns(LadderLayout *l)
{
    guint nc = l->columns->len;
    if (nc == 0)
        return;
    /* gap[i]: from column i to column i + 1; each header must fit */
    g_autofree double *head = g_new(double, nc);
    g_autofree double *gap = g_new0(double, nc);
    for (guint i = 0; i < nc; i++) {
        const LadderColumn *c = &g_array_index(l->columns, LadderColumn, i);
        head[i] = ladder_head_width(c->title, c->address) + 2 * LADDER_PAD;
    }
    for (guint i = 0; i + 1 < nc; i++)
        gap[i] = MAX(LADDER_COL_MIN, (head[i] + head[i + 1]) / 2 + LADDER_PAD);
    /* each arrow's and band's label must fit between its two columns:
     * widen the gaps it spans, narrowest spans first */
    for (guint span = 1; span < nc; span++) {
        for (guint i = 0; i < l->arrows->len + l->bands->len; i++) {
            guint a, z;
            double need;
            if (i < l->arrows->len) {
                const LadderArrow *ar = &g_array_index(l->arrows, LadderArrow, i);
                a = MIN(ar->from_col, ar->to_col);
                z = MAX(ar->from_col, ar->to_col);
                /* the label above the arrow; CSeq and SDP below it */
                need = MAX(ladder_text_width(ar->label, LADDER_FONT_NORMAL),
                           ladder_text_width(ar->cseq, LADDER_FONT_SMALL) +
                               ladder_text_width(ar->sdp ? " | " : NULL, LADDER_FONT_SMALL) +
                               ladder_text_width(ar->sdp, LADDER_FONT_SMALL));
            } else {
                const LadderBand *bd = &g_array_index(l->bands, LadderBand, i - l->arrows->len);
                a = MIN(bd->from_col, bd->to_col);
                z = MAX(bd->from_col, bd->to_col);
                need = ladder_text_width(bd->label, LADDER_FONT_SMALL);
            }
            if (z - a != span)
                continue;
            need += 3 * LADDER_PAD;
            double have = 0;
            for (guint k = a; k < z; k++)
                have += gap[k];
            if (have < need)
                for (guint k = a; k < z; k++)
                    gap[k] += (need - have) / span;
        }
    }
    double x = l->time_w + MAX(head[0] / 2, LADDER_LOOP_W) + LADDER_PAD;
    for (guint i = 0; i < nc; i++) {
        LadderColumn *c = &g_array_index(l->columns, LadderColumn, i);
        c->x = x;
        x += gap[i];
    }
}

static double
loop_width(void)
{
    return LADDER_LOOP_W;
}

static void
place_rows(LadderLayout *l)
{
    double y = l->header_h + LADDER_ROW_H * 0.6;
    for (guint i = 0; i < l->rows->len; i++) {
        LadderRow *r = &g_array_index(l->rows, LadderRow, i);
        if (r->kind == LADDER_ROW_GAP) {
            r->y = y - LADDER_ROW_H * 0.3;
            y += LADDER_GAP_H;
            continue;
        }
        r->y = y;
        y += LADDER_ROW_H;
    }
    l->legend_y = y;
    for (guint i = 0; i < l->arrows->len; i++) {
        LadderArrow *a = &g_array_index(l->arrows, LadderArrow, i);
        const LadderColumn *f = &g_array_index(l->columns, LadderColumn, a->from_col);
        const LadderColumn *t = &g_array_index(l->columns, LadderColumn, a->to_col);
        a->y = g_array_index(l->rows, LadderRow, a->row).y;
        a->x1 = f->x;
        a->x2 = a->from_col == a->to_col ? f->x + loop_width() : t->x;
    }
    for (guint i = 0; i < l->bands->len; i++) {
        LadderBand *bd = &g_array_index(l->bands, LadderBand, i);
        bd->x1 = g_array_index(l->columns, LadderColumn, bd->from_col).x;
        bd->x2 = g_array_index(l->columns, LadderColumn, bd->to_col).x;
        if (bd->from_col == bd->to_col)
            bd->x2 = bd->x1 + loop_width();
        bd->y1 = g_array_index(l->rows, LadderRow, bd->row_start).y;
        bd->y2 = g_array_index(l->rows, LadderRow, bd->row_end).y;
        /* bands over the same columns at the same time sit in lanes */
        bd->lane = 0;
        for (guint k = 0; k < i; k++) {
            const LadderBand *o = &g_array_index(l->bands, LadderBand, k);
            if (MIN(o->from_col, o->to_col) == MIN(bd->from_col, bd->to_col) &&
                MAX(o->from_col, o->to_col) == MAX(bd->from_col, bd->to_col) &&
                o->y1 <= bd->y2 && bd->y1 <= o->y2 && o->lane >= bd->lane)
                bd->lane = o->lane + 1;
        }
    }
}

static void
place_notes(LadderLayout *l)
{
    double right = 0;
    for (guint i = 0; i < l->columns->len; i++) {
        const LadderColumn *c = &g_array_index(l->columns, LadderColumn, i);
        double head = ladder_head_width(c->title, c->address) / 2 + LADDER_PAD;
        right = MAX(right, c->x + MAX(loop_width(), head));
    }
    right += LADDER_PAD;
    g_autoptr(GHashTable) per_row = g_hash_table_new_full(g_double_hash, g_double_equal, g_free,
                                                          NULL);
    for (guint i = 0; i < l->notes->len; i++) {
        LadderNote *n = &g_array_index(l->notes, LadderNote, i);
        if (n->arrow >= 0) {
            const LadderArrow *a = &g_array_index(l->arrows, LadderArrow, n->arrow);
            n->col = a->to_col;
            n->y = a->y;
        } else if (n->band >= 0) {
            const LadderBand *bd = &g_array_index(l->bands, LadderBand, n->band);
            n->col = bd->to_col;
            n->y = bd->y1;
        } else {
            n->col = 0;
            n->y = l->legend_y - LADDER_ROW_H * 0.6;
        }
        /* several notes on one row stack downwards */
        guint same = GPOINTER_TO_UINT(g_hash_table_lookup(per_row, &n->y));
        double *key = g_new(double, 1);
        *key = n->y;
        g_hash_table_replace(per_row, key, GUINT_TO_POINTER(same + 1));
        n->y += same * LADDER_NOTE_STEP;
        n->x = right;
    }
    l->width = right;
    for (guint i = 0; i < l->notes->len; i++) {
        const LadderNote *n = &g_array_index(l->notes, LadderNote, i);
        l->width = MAX(l->width, n->x + LADDER_NOTE_MARK + ladder_text_width(n->kind, LADDER_FONT_SMALL) +
                                     ladder_text_width(n->text, LADDER_FONT_SMALL) + 2 * LADDER_PAD);
    }
}

static void
place_all(LadderLayout *l)
{
    l->time_w = LADDER_TIME_W;
    l->header_h = LADDER_HEADER_H;
    place_columns(l);
    place_rows(l);
    place_notes(l);
    double legend_h = LADDER_LEGEND_LINE * (l->legs->len + 1) + LADDER_PAD;
    l->height = l->legend_y + legend_h;
    l->width = MAX(l->width, LADDER_PAD * 2 + ladder_text_width(l->title, LADDER_FONT_TITLE));
    for (guint i = 0; i < l->legs->len; i++) {
        const LadderLeg *L = &g_array_index(l->legs, LadderLeg, i);
        l->width = MAX(l->width, LADDER_PAD * 3 + LADDER_SWATCH +
                                     ladder_text_width(L->text, LADDER_FONT_SMALL));
    }
    l->width = ceil(l->width);
    l->height = ceil(l->height);
}

/* ------------------------------------------------------------ build */

static LadderLayout *
layout_new(void)
{
    LadderLayout *l = g_new0(LadderLayout, 1);
    l->columns = g_array_new(FALSE, TRUE, sizeof(LadderColumn));
    l->rows = g_array_new(FALSE, TRUE, sizeof(LadderRow));
    l->arrows = g_array_new(FALSE, TRUE, sizeof(LadderArrow));
    l->bands = g_array_new(FALSE, TRUE, sizeof(LadderBand));
    l->notes = g_array_new(FALSE, TRUE, sizeof(LadderNote));
    l->legs = g_array_new(FALSE, TRUE, sizeof(LadderLeg));
    return l;
}

static void
builder_init(Builder *b, LadderLayout *l, const LadderOptions *opts, LadderOptions *defaults)
{
    if (!opts) {
        ladder_options_init(defaults);
        opts = defaults;
    }
    b->l = l;
    b->opts = opts;
    b->col_by_addr = g_hash_table_new_full(sl_addr_hash_func, sl_addr_equal_func, g_free, NULL);
    b->leg_index = g_hash_table_new(NULL, NULL);
    b->events = g_array_new(FALSE, FALSE, sizeof(Event));
}

static void
builder_clear(Builder *b)
{
    g_hash_table_destroy(b->col_by_addr);
    g_hash_table_destroy(b->leg_index);
    g_array_unref(b->events);
    if (b->arrow_by_frame)
        g_hash_table_destroy(b->arrow_by_frame);
}

static char *
call_title(const CorrCall *c)
{
    g_autofree char *caller = ladder_text_clean(c->caller && c->caller[0] ? c->caller : "?", -1, 60);
    g_autofree char *callee = ladder_text_clean(c->callee && c->callee[0] ? c->callee : "?", -1, 60);
    if (c->kind != CORR_KIND_CALL)
        return g_strdup_printf("%s %u: %s -> %s", corr_kind_name(c->kind), c->id, caller,
                               callee);
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "Call %u: %s -> %s, %s", c->id, caller, callee,
                           corr_state_name(c->state));
    if (c->state_code)
        g_string_append_printf(s, " (%u)", c->state_code);
    if (c->duration_s >= 0)
        g_string_append_printf(s, ", %.1f s", c->duration_s);
    if (c->legs->len > 1)
        g_string_append_printf(s, ", %u legs", c->legs->len);
    return g_string_free(s, FALSE);
}

LadderLayout *
ladder_layout_build(GPtrArray *calls, GPtrArray *streams, const CorrStreamInfo *info,
                    const LadderOptions *opts)
{
    LadderLayout *l = layout_new();
    LadderOptions defaults;
    Builder b = { 0 };
    builder_init(&b, l, opts, &defaults);
    g_autoptr(GHashTable) stream_pos = g_hash_table_new(NULL, NULL);
    for (guint i = 0; streams && i < streams->len; i++)
        g_hash_table_insert(stream_pos, g_ptr_array_index(streams, i), GUINT_TO_POINTER(i + 1));
    g_autoptr(GPtrArray) all_msgs = g_ptr_array_new();
    GString *title = g_string_new(NULL);
    for (guint c = 0; c < calls->len; c++) {
        const CorrCall *call = g_ptr_array_index(calls, c);
        g_autofree char *t = call_title(call);
        if (c < 3)
            g_string_append_printf(title, "%s%s", c ? "; " : "", t);
        else if (c == 3)
            g_string_append_printf(title, "; and %u more", calls->len - 3);
        /* columns in the call's own order (caller first) */
        for (guint i = 0; call->endpoints && i < call->endpoints->len; i++)
            column_add(&b, &g_array_index(call->endpoints, SlAddr, i));
        for (guint i = 0; i < call->legs->len; i++)
            leg_add(&b, g_ptr_array_index(call->legs, i));
        for (guint i = 0; i < call->msgs->len; i++) {
            const CorrMsg *m = g_ptr_array_index(call->msgs, i);
            add_message(&b, m);
            g_ptr_array_add(all_msgs, (gpointer)m);
        }
    }
    for (guint c = 0; c < calls->len; c++) {
        const CorrCall *call = g_ptr_array_index(calls, c);
        for (guint i = 0; call->streams && i < call->streams->len; i++) {
            const RtpStream *s = g_ptr_array_index(call->streams, i);
            guint pos = GPOINTER_TO_UINT(g_hash_table_lookup(stream_pos, s));
            const CorrStreamInfo *in = info && pos ? &info[pos - 1] : NULL;
            guint leg = in && in->leg ? leg_add(&b, in->leg) : 0;
            add_band(&b, s, in, leg);
        }
    }
    l->title = g_string_free(title, FALSE);
    build_rows(&b);
    for (guint c = 0; c < calls->len; c++) {
        const CorrCall *call = g_ptr_array_index(calls, c);
        for (guint i = 0; call->findings && i < call->findings->len; i++)
            add_finding(&b, g_ptr_array_index(call->findings, i));
    }
    columns_title(&b, all_msgs);
    legs_text(&b);
    place_all(l);
    builder_clear(&b);
    return l;
}

LadderLayout *
ladder_layout_build_msgs(GPtrArray *msgs, const LadderOptions *opts)
{
    LadderLayout *l = layout_new();
    LadderOptions defaults;
    Builder b = { 0 };
    builder_init(&b, l, opts, &defaults);
    for (guint i = 0; i < msgs->len; i++)
        add_message(&b, g_ptr_array_index(msgs, i));
    l->title = g_strdup_printf("%u messages", msgs->len);
    build_rows(&b);
    columns_title(&b, msgs);
    legs_text(&b);
    place_all(l);
    builder_clear(&b);
    return l;
}

void
ladder_layout_free(LadderLayout *l)
{
    if (!l)
        return;
    for (guint i = 0; i < l->columns->len; i++) {
        LadderColumn *c = &g_array_index(l->columns, LadderColumn, i);
        g_free(c->title);
        g_free(c->address);
    }
    for (guint i = 0; i < l->rows->len; i++) {
        LadderRow *r = &g_array_index(l->rows, LadderRow, i);
        g_free(r->time_abs);
        g_free(r->time_rel);
        g_free(r->time_delta);
    }
    for (guint i = 0; i < l->arrows->len; i++) {
        LadderArrow *a = &g_array_index(l->arrows, LadderArrow, i);
        g_free(a->label);
        g_free(a->cseq);
        g_free(a->sdp);
        g_free(a->tooltip);
    }
    for (guint i = 0; i < l->bands->len; i++) {
        LadderBand *bd = &g_array_index(l->bands, LadderBand, i);
        g_free(bd->label);
        g_free(bd->tooltip);
    }
    for (guint i = 0; i < l->notes->len; i++) {
        LadderNote *n = &g_array_index(l->notes, LadderNote, i);
        g_free(n->kind);
        g_free(n->text);
    }
    for (guint i = 0; i < l->legs->len; i++) {
        LadderLeg *L = &g_array_index(l->legs, LadderLeg, i);
        g_free(L->call_id);
        g_free(L->text);
    }
    g_array_unref(l->columns);
    g_array_unref(l->rows);
    g_array_unref(l->arrows);
    g_array_unref(l->bands);
    g_array_unref(l->notes);
    g_array_unref(l->legs);
    g_free(l->title);
    g_free(l);
}

/* ------------------------------------------------------------ hit tests */

int
ladder_layout_arrow_at(const LadderLayout *l, double x, double y)
{
    int best = -1;
    double best_d = LADDER_ROW_H / 2;
    for (guint i = 0; i < l->arrows->len; i++) {
        const LadderArrow *a = &g_array_index(l->arrows, LadderArrow, i);
        double d = fabs(y - (a->y - LADDER_ROW_H * 0.15));
        if (d >= best_d)
            continue;
        double lo = MIN(a->x1, a->x2), hi = MAX(a->x1, a->x2);
        if (x < l->time_w && x >= 0) /* the time column belongs to the row */
            lo = 0;
        if (x < lo - LADDER_PAD || x > hi + LADDER_PAD)
            continue;
        best = (int)i;
        best_d = d;
    }
    return best;
}

int
ladder_layout_band_at(const LadderLayout *l, double x, double y)
{
    int best = -1;
    for (guint i = 0; i < l->bands->len; i++) {
        const LadderBand *bd = &g_array_index(l->bands, LadderBand, i);
        double lo = MIN(bd->x1, bd->x2), hi = MAX(bd->x1, bd->x2);
        if (x < lo || x > hi || y < bd->y1 - LADDER_ROW_H / 2 || y > bd->y2)
            continue;
        /* the innermost lane wins */
        if (best < 0 || bd->lane > g_array_index(l->bands, LadderBand, best).lane)
            best = (int)i;
    }
    return best;
}
