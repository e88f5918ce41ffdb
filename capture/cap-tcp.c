/* sipladder: TCP byte streams, one per direction, delivered in order
 * (RFC 9293 section 3.4 sequence space). Retransmitted bytes are dropped,
 * out-of-order segments wait for the hole to fill, a hole that never fills
 * is skipped, and every direction has a ceiling on buffered bytes. */
#include <string.h>

#include "cap-private.h"

/* Segments waiting behind a hole before we give up on it. */
#define TCP_MAX_PENDING_SEGMENTS 64
/* A hole older than this (capture time) is skipped at the next segment. */
#define TCP_HOLE_TIMEOUT (2 * SL_TIME_SECOND)


typedef struct {
    uint32_t seq;
    uint8_t *data;
    size_t len;
} Pending;

struct CapTcpStream {
    SlAddrPair key;       /* source, destination */
    bool have_seq;
    bool ignored;
    bool gap;             /* a hole was skipped since the last delivery */
    uint32_t next_seq;
    GByteArray *buf;      /* in-order bytes not yet consumed */
    GArray *pending;      /* Pending, sorted by seq */
    size_t pending_bytes;
    SlTime hole_since;
    SlTime last_ts;
    CapPacket last_pkt;   /* frame fields of the last segment (no payload) */
    GList *lru_link;
    gpointer user_data;
    GDestroyNotify user_destroy;
    size_t offered;       /* bytes offered in the current delivery */
    size_t consumed;      /* of those, consumed by the consumer */
    CapTcpTable *table;
};

struct CapTcpTable {
    GHashTable *streams; /* SlAddrPair* -> CapTcpStream* */
    GQueue lru;          /* least recently used first */
    size_t held;
    CapLimits limits;
    CapStats *stats;
};

static void
pending_clear(CapTcpStream *s)
{
    for (guint i = 0; i < s->pending->len; i++)
        g_free(g_array_index(s->pending, Pending, i).data);
    g_array_set_size(s->pending, 0);
    s->table->held -= s->pending_bytes;
    s->pending_bytes = 0;
}

static void
buf_clear(CapTcpStream *s)
{
    s->table->held -= s->buf->len;
    g_byte_array_set_size(s->buf, 0);
}

static void
stream_free(gpointer p)
{
    CapTcpStream *s = p;
    pending_clear(s);
    buf_clear(s);
    if (s->user_destroy)
        s->user_destroy(s->user_data);
    g_byte_array_unref(s->buf);
    g_array_unref(s->pending);
    g_free(s);
}

CapTcpTable *
cap_tcp_table_new(const CapLimits *limits, CapStats *stats)
{
    CapTcpTable *t = g_new0(CapTcpTable, 1);
    t->streams = g_hash_table_new_full(sl_addr_pair_hash, sl_addr_pair_equal, NULL, stream_free);
    g_queue_init(&t->lru);
    t->limits = *limits;
    t->stats = stats;
    return t;
}

void
cap_tcp_table_free(CapTcpTable *t)
{
    if (!t)
        return;
    g_queue_clear(&t->lru);
    g_hash_table_destroy(t->streams);
    g_free(t);
}

size_t
cap_tcp_held(const CapTcpTable *t)
{
    return t->held;
}

static void
stream_remove(CapTcpTable *t, CapTcpStream *s)
{
    g_queue_delete_link(&t->lru, s->lru_link);
    g_hash_table_remove(t->streams, &s->key);
}

/* Forgets idle directions and, for a new one (@room), the least recently
 * used beyond the bound. */
static void
expire(CapTcpTable *t, SlTime now, bool room)
{
    CapTcpStream *s;
    while ((s = g_queue_peek_head(&t->lru)) != NULL) {
        bool idle = now - s->last_ts > t->limits.tcp_idle_timeout;
        bool full = room && g_hash_table_size(t->streams) >= t->limits.tcp_max_streams;
        if (!idle && !full)
            break;
        if (full)
            t->stats->tcp_streams_evicted++;
        stream_remove(t, s);
    }
}

static CapTcpStream *
stream_get(CapTcpTable *t, const CapPacket *pkt)
{
    SlAddrPair key = { pkt->src, pkt->dst };
    CapTcpStream *s = g_hash_table_lookup(t->streams, &key);
    if (s) {
        /* most recently used goes last */
        g_queue_unlink(&t->lru, s->lru_link);
        g_queue_push_tail_link(&t->lru, s->lru_link);
        return s;
    }
    expire(t, pkt->ts, true);
    s = g_new0(CapTcpStream, 1);
    s->key = key;
    s->buf = g_byte_array_new();
    s->pending = g_array_new(FALSE, FALSE, sizeof(Pending));
    s->table = t;
    g_hash_table_insert(t->streams, &s->key, s);
    g_queue_push_tail(&t->lru, s);
    s->lru_link = g_queue_peek_tail_link(&t->lru);
    t->stats->tcp_streams++;
    return s;
}

/* Hands the in-order bytes to the consumer. When nothing is buffered the
 * new bytes are offered in place and only their unconsumed rest is copied. */
static void
deliver(CapTcpStream *s, CapPacket *pkt, SlView fresh, CapPacketFunc func, gpointer user)
{
    CapTcpTable *t = s->table;
    if (s->ignored || fresh.len == 0)
        return;
    bool in_place = s->buf->len == 0;
    if (!in_place) {
        g_byte_array_append(s->buf, fresh.p, (guint)fresh.len);
        t->held += fresh.len;
    }
    pkt->stream = s;
    pkt->payload = in_place ? fresh : sl_view_make(s->buf->data, s->buf->len);
    pkt->flags = (pkt->flags & ~(uint32_t)CAP_PKT_TCP_GAP) | (s->gap ? CAP_PKT_TCP_GAP : 0);
    s->gap = false;
    s->offered = pkt->payload.len;
    s->consumed = 0;
    t->stats->payloads++;
    func(pkt, user);
    pkt->stream = NULL;
    s->offered = 0;
    if (s->ignored)
        return;
    if (in_place) {
        SlView rest = sl_view_tail(fresh, s->consumed);
        if (rest.len) {
            g_byte_array_append(s->buf, rest.p, (guint)rest.len);
            t->held += rest.len;
        }
    } else if (s->consumed) {
        g_byte_array_remove_range(s->buf, 0, (guint)s->consumed);
        t->held -= s->consumed;
    }
    if (s->buf->len > t->limits.tcp_max_buffer) {
        t->stats->tcp_limit++;
        buf_clear(s);
        s->gap = true;
    } else if (s->buf->len && t->held > t->limits.tcp_max_total) {
        t->stats->tcp_memory_limit++;
        buf_clear(s);
        s->gap = true;
    }
}

void
cap_tcp_stream_consume(CapTcpStream *s, size_t n)
{
    g_return_if_fail(s != NULL);
    s->consumed = MIN(s->offered, s->consumed + n);
}

void
cap_tcp_stream_ignore(CapTcpStream *s)
{
    g_return_if_fail(s != NULL);
    s->ignored = true;
    pending_clear(s);
    buf_clear(s);
}

gpointer
cap_tcp_stream_get_user_data(const CapTcpStream *s)
{
    return s ? s->user_data : NULL;
}

void
cap_tcp_stream_set_user_data(CapTcpStream *s, gpointer data, GDestroyNotify destroy)
{
    g_return_if_fail(s != NULL);
    if (s->user_destroy)
        s->user_destroy(s->user_data);
    s->user_data = data;
    s->user_destroy = destroy;
}

/* Signed distance in sequence space (RFC 9293 section 3.4). */
static inline int32_t
seq_diff(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b);
}

/* Appends @data at @seq if it is in order; returns how much was new. */
static void
accept_in_order(CapTcpStream *s, CapPacket *pkt, uint32_t seq, SlView data,
                CapPacketFunc func, gpointer user)
{
    int32_t d = seq_diff(seq, s->next_seq);
    if (d < 0) {
        size_t old = (size_t)(-(int64_t)d);
        if (old >= data.len)
            return;
        data = sl_view_tail(data, old);
    }
    s->next_seq += (uint32_t)data.len;
    deliver(s, pkt, data, func, user);
}

/* Moves every pending segment that the in-order edge has reached. */
static void
drain_pending(CapTcpStream *s, CapPacket *pkt, CapPacketFunc func, gpointer user)
{
    while (s->pending->len > 0) {
        Pending p = g_array_index(s->pending, Pending, 0);
        if (seq_diff(p.seq, s->next_seq) > 0)
            break;
        g_array_remove_index(s->pending, 0);
        s->pending_bytes -= p.len;
        s->table->held -= p.len;
        accept_in_order(s, pkt, p.seq, sl_view_make(p.data, p.len), func, user);
        g_free(p.data);
    }
    if (s->pending->len == 0)
        s->hole_since = 0;
}

/* Gives up on the hole before the first pending segment. */
static void
skip_hole(CapTcpStream *s, CapPacket *pkt, CapPacketFunc func, gpointer user)
{
    if (s->pending->len == 0)
        return;
    s->table->stats->tcp_gaps++;
    buf_clear(s); /* bytes before a hole cannot complete a message */
    s->gap = true;
    s->next_seq = g_array_index(s->pending, Pending, 0).seq;
    drain_pending(s, pkt, func, user);
}

static void
store_pending(CapTcpStream *s, uint32_t seq, SlView data)
{
    guint i = 0;
    while (i < s->pending->len && seq_diff(g_array_index(s->pending, Pending, i).seq, seq) < 0)
        i++;
    if (i < s->pending->len && g_array_index(s->pending, Pending, i).seq == seq &&
        g_array_index(s->pending, Pending, i).len >= data.len) {
        s->table->stats->tcp_retransmissions++;
        return;
    }
    Pending p = { seq, (uint8_t *)sl_view_dup(data), data.len };
    g_array_insert_val(s->pending, i, p);
    s->pending_bytes += data.len;
    s->table->held += data.len;
}

void
cap_tcp_table_segment(CapTcpTable *t, CapPacket *pkt, uint32_t seq, uint8_t flags,
                      SlView data, CapPacketFunc func, gpointer user)
{
    t->stats->tcp_segments++;
    expire(t, pkt->ts, false);
    CapTcpStream *s = stream_get(t, pkt);
    s->last_ts = pkt->ts;
    s->last_pkt = *pkt;
    s->last_pkt.payload = SL_VIEW_EMPTY;
    s->last_pkt.stream = NULL;

    if (flags & CAP_TCP_RST) {
        stream_remove(t, s);
        return;
    }
    if (flags & CAP_TCP_SYN) {
        if (s->have_seq && s->next_seq != seq + 1) {
            /* a new connection on the same ports */
            pending_clear(s);
            buf_clear(s);
            s->ignored = false;
            if (s->user_destroy)
                s->user_destroy(s->user_data);
            s->user_data = NULL;
            s->user_destroy = NULL;
        }
        s->have_seq = true;
        s->next_seq = seq + 1;
        seq += 1;
    }
    if (data.len == 0 || s->ignored)
        return;
    if (!s->have_seq) {
        /* capture started mid-connection */
        s->have_seq = true;
        s->next_seq = seq;
    }

    int32_t d = seq_diff(seq, s->next_seq);
    if (d + (int64_t)data.len <= 0) {
        t->stats->tcp_retransmissions++;
    } else if (d <= 0) {
        accept_in_order(s, pkt, seq, data, func, user);
        drain_pending(s, pkt, func, user);
    } else {
        t->stats->tcp_out_of_order++;
        if (s->pending->len == 0)
            s->hole_since = pkt->ts;
        store_pending(s, seq, data);
        if (s->pending->len > TCP_MAX_PENDING_SEGMENTS ||
            s->pending_bytes > t->limits.tcp_max_buffer || t->held > t->limits.tcp_max_total ||
            pkt->ts - s->hole_since > TCP_HOLE_TIMEOUT) {
            if (s->pending_bytes > t->limits.tcp_max_buffer)
                t->stats->tcp_limit++;
            else if (t->held > t->limits.tcp_max_total)
                t->stats->tcp_memory_limit++;
            skip_hole(s, pkt, func, user);
        }
    }
    /* After FIN the direction is kept until idle, so that retransmitted
     * bytes are still recognised as old. */
}

void
cap_tcp_table_finish(CapTcpTable *t, CapPacketFunc func, gpointer user)
{
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, t->streams);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        CapTcpStream *s = v;
        CapPacket pkt = s->last_pkt;
        while (s->pending->len && !s->ignored)
            skip_hole(s, &pkt, func, user);
    }
    g_queue_clear(&t->lru);
    g_hash_table_remove_all(t->streams);
}
