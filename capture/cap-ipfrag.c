/* sipladder: IPv4 and IPv6 fragment reassembly (RFC 791 section 3.2,
 * RFC 8200 section 4.5), bounded in memory and in capture time. */
#include <string.h>

#include "cap-private.h"

#define FRAG_MAX_DATAGRAM 65535u

typedef struct {
    CapFragKey key;
    uint8_t *buf;       /* FRAG_MAX_DATAGRAM is the ceiling; grows as needed */
    size_t alloc;
    size_t total;       /* datagram length once the last fragment is seen, else 0 */
    GArray *ranges;     /* sorted, merged [start, end) pairs of size_t */
    uint8_t next_header;
    SlTime first_ts;
    GList *age_link;    /* in CapFragTable.age */
} FragEntry;

struct CapFragTable {
    GHashTable *entries; /* CapFragKey* -> FragEntry* */
    GQueue age;          /* oldest first */
    size_t held;
    CapLimits limits;
    CapStats *stats;
};

static guint
key_hash(gconstpointer p)
{
    const CapFragKey *k = p;
    guint h = k->id * 2654435761u ^ k->proto ^ ((guint)k->family << 8);
    for (int i = 0; i < 16; i++)
        h = (h * 31) ^ k->src[i] ^ ((guint)k->dst[i] << 7);
    return h;
}

static gboolean
key_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(CapFragKey)) == 0;
}

static void
entry_free(gpointer p)
{
    FragEntry *e = p;
    g_free(e->buf);
    g_array_unref(e->ranges);
    g_free(e);
}

CapFragTable *
cap_frag_table_new(const CapLimits *limits, CapStats *stats)
{
    CapFragTable *t = g_new0(CapFragTable, 1);
    t->entries = g_hash_table_new_full(key_hash, key_equal, NULL, entry_free);
    g_queue_init(&t->age);
    t->limits = *limits;
    t->stats = stats;
    return t;
}

void
cap_frag_table_free(CapFragTable *t)
{
    if (!t)
        return;
    g_queue_clear(&t->age);
    g_hash_table_destroy(t->entries);
    g_free(t);
}

size_t
cap_frag_held(const CapFragTable *t)
{
    return t->held;
}

static void
entry_remove(CapFragTable *t, FragEntry *e)
{
    t->held -= e->alloc;
    g_queue_delete_link(&t->age, e->age_link);
    g_hash_table_remove(t->entries, &e->key);
}

static void
expire(CapFragTable *t, SlTime now, size_t need)
{
    FragEntry *e;
    while ((e = g_queue_peek_head(&t->age)) != NULL) {
        bool too_old = now - e->first_ts > t->limits.frag_timeout;
        bool too_big = t->held + need > t->limits.frag_max_bytes;
        if (!too_old && !too_big)
            break;
        if (too_big)
            t->stats->ip_frag_limit++;
        t->stats->ip_frag_dropped++;
        entry_remove(t, e);
    }
}

/* Adds [start, end) to the sorted, merged range list. */
static void
ranges_add(GArray *r, size_t start, size_t end)
{
    size_t i = 0;
    while (i < r->len / 2 && g_array_index(r, size_t, 2 * i + 1) < start)
        i++;
    /* merge every range that touches [start, end) */
    size_t j = i;
    while (j < r->len / 2 && g_array_index(r, size_t, 2 * j) <= end) {
        start = MIN(start, g_array_index(r, size_t, 2 * j));
        end = MAX(end, g_array_index(r, size_t, 2 * j + 1));
        j++;
    }
    if (j > i)
        g_array_remove_range(r, 2 * i, 2 * (j - i));
    size_t pair[2] = { start, end };
    g_array_insert_vals(r, 2 * i, pair, 2);
}

uint8_t *
cap_frag_add(CapFragTable *t, const CapFragKey *key, SlTime ts, size_t offset, bool more,
             uint8_t next_header, SlView data, size_t *out_len, uint8_t *out_next)
{
    size_t end = offset + data.len;
    if (end > FRAG_MAX_DATAGRAM || (more && data.len % 8 != 0 && data.len > 0)) {
        t->stats->malformed++;
        return NULL;
    }
    expire(t, ts, 0);

    FragEntry *e = g_hash_table_lookup(t->entries, key);
    if (e == NULL) {
        e = g_new0(FragEntry, 1);
        e->key = *key;
        e->ranges = g_array_new(FALSE, FALSE, sizeof(size_t));
        e->first_ts = ts;
        g_hash_table_insert(t->entries, &e->key, e);
        g_queue_push_tail(&t->age, e);
        e->age_link = g_queue_peek_tail_link(&t->age);
    }
    if (offset == 0)
        e->next_header = next_header;
    if (!more) {
        if (e->total && e->total != end) {
            t->stats->malformed++;
            entry_remove(t, e);
            return NULL;
        }
        e->total = end;
    }
    if (end > e->alloc) {
        size_t want = MAX(end, MIN(FRAG_MAX_DATAGRAM, e->alloc * 2));
        if (t->held + (want - e->alloc) > t->limits.frag_max_bytes) {
            /* make room from the oldest others; give up if still too big */
            g_queue_unlink(&t->age, e->age_link);
            expire(t, ts, want - e->alloc);
            g_queue_push_tail_link(&t->age, e->age_link);
            if (t->held + (want - e->alloc) > t->limits.frag_max_bytes) {
                t->stats->ip_frag_limit++;
                t->stats->ip_frag_dropped++;
                entry_remove(t, e);
                return NULL;
            }
        }
        e->buf = g_realloc(e->buf, want);
        t->held += want - e->alloc;
        e->alloc = want;
    }
    if (data.len) {
        SlView copy = data;
        sl_view_copy(&copy, e->buf + offset, data.len);
    }
    ranges_add(e->ranges, offset, end);

    if (e->total == 0 || e->ranges->len != 2 || g_array_index(e->ranges, size_t, 0) != 0 ||
        g_array_index(e->ranges, size_t, 1) != e->total)
        return NULL;

    uint8_t *out = e->buf;
    *out_len = e->total;
    if (out_next)
        *out_next = e->next_header;
    e->buf = NULL;
    t->held -= e->alloc;
    e->alloc = 0;
    entry_remove(t, e);
    t->stats->ip_reassembled++;
    return out;
}

void
cap_frag_table_expire(CapFragTable *t, SlTime now)
{
    if (t->age.length)
        expire(t, now, 0);
}

void
cap_frag_table_clear(CapFragTable *t)
{
    FragEntry *e;
    while ((e = g_queue_peek_head(&t->age)) != NULL) {
        t->stats->ip_frag_dropped++;
        entry_remove(t, e);
    }
}
