/* sipladder: the correlation engine: messages to transactions (RFC 3261
 * section 17.1.3 and 17.2.3, with the RFC 2543 fallback of 17.2.3), hops,
 * dialogs (section 12), legs and calls, with the links between B2BUA legs
 * (correlation headers, shared media endpoints, redirects); eviction of
 * finished entries so that long captures keep memory bounded (Timers B and
 * F, section 17.1). */
#include <string.h>

#include "corr-private.h"
#include "sllimits.h"

/* Two copies of one packet captured at two points arrive within this. */
#define DUPLICATE_WINDOW (1 * SL_TIME_SECOND)
/* Without an IPv4 Identification to compare, only a copy this close is a
 * duplicate (retransmission timers start at 500 ms). */
#define DUPLICATE_WINDOW_NO_ID (50 * SL_TIME_MSEC)
/* A B2BUA sends its outgoing INVITE within this of the incoming one. */
#define NUMBERS_WINDOW (2 * SL_TIME_SECOND)
/* A proxy forwards a request within this. */
#define HOP_WINDOW (2 * SL_TIME_SECOND)
/* RFC 3261 Timer B: an INVITE without a final response after this timed out. */
#define TIMER_B (32 * SL_TIME_SECOND)

typedef struct {
    GPtrArray *entries; /* MediaUse* */
} MediaSlot;

typedef struct {
    CorrLeg *leg;
    SlAddr sender;   /* signalling address that sent the SDP */
    SlTime ts;
} MediaUse;

typedef struct {
    CorrEventFunc func;
    gpointer user;
} Subscriber;

struct CorrEngine {
    CorrOptions opts;
    GPtrArray *msgs;       /* CorrMsg*, owned */
    GPtrArray *txns;       /* CorrTxn*, owned */
    GPtrArray *legs;       /* CorrLeg*, owned */
    GPtrArray *calls;      /* CorrCall*, owned (dead ones too) */
    GHashTable *txn_by_key;   /* char* -> CorrTxn* */
    GHashTable *txn_by_chain; /* char* (call-id|cseq|method|via hash) -> CorrTxn* */
    GHashTable *txn_by_request; /* char* (call-id|cseq|method|from tag) -> latest CorrTxn* */
    GHashTable *leg_by_call_id; /* char* -> CorrLeg* */
    GHashTable *dialog_by_key;  /* char* -> CorrDialog* */
    GHashTable *leg_by_token;   /* Session-ID uuid / icid -> CorrLeg* */
    GHashTable *media;          /* SlAddr* -> MediaSlot* */
    GHashTable *dup_index;      /* GBytes* (message) -> CorrMsg* (latest) */
    GHashTable *seen;           /* txn id + fingerprint -> NULL */
    GQueue recent_3xx;     /* CorrMsg* of 3xx responses within the link window */
    GQueue recent_invites; /* CorrMsg* of initial INVITEs within NUMBERS_WINDOW */
    GArray *subs;
    SlTime last_ts;
    guint next_call_id;
    guint next_txn_id;
    guint dropped;   /* messages beyond max_msgs_per_call */
    uint64_t dropped_calls; /* messages of a new Call-ID beyond max_calls */
    uint64_t dropped_msgs;  /* messages beyond max_msgs */
    uint64_t dropped_bytes; /* messages beyond max_msg_bytes */
    uint64_t msg_bytes;     /* bytes of the messages kept (CorrMsg.raw) */
    guint live_calls; /* entries in calls that are not dead */
    guint evicted;   /* entries evicted so far */
    guint ids_given; /* final ids given to evicted entries */
    bool finished;   /* corr_engine_finish() numbered the calls */
};

const char *
corr_kind_name(CorrKind k)
{
    static const char *const n[] = { "call", "registration", "options", "message",
                                     "subscription", "other" };
    return (unsigned)k < G_N_ELEMENTS(n) ? n[k] : "other";
}

const char *
corr_link_name(CorrLinkReason r)
{
    switch (r) {
    case CORR_LINK_FIRST:
    case CORR_LINK_SAME_CALL_ID: return "same-call-id";
    case CORR_LINK_HEADER: return "header";
    case CORR_LINK_MEDIA: return "media";
    case CORR_LINK_REDIRECT: return "redirect";
    case CORR_LINK_NUMBERS: return "numbers";
    }
    return "same-call-id";
}

const char *
corr_state_name(CorrState s)
{
    static const char *const n[] = { "calling", "proceeding", "ringing", "early media",
                                     "in call", "completed", "cancelled", "rejected", "busy",
                                     "redirected", "failed", "timed out" };
    return (unsigned)s < G_N_ELEMENTS(n) ? n[s] : "unknown";
}

const char *
corr_dialog_state_name(CorrDialogState s)
{
    static const char *const n[] = { "none", "early", "confirmed", "terminated" };
    return (unsigned)s < G_N_ELEMENTS(n) ? n[s] : "none";
}

const char *
corr_msg_role_name(CorrMsgRole r)
{
    switch (r) {
    case CORR_MSG_ORIGINAL: return "original";
    case CORR_MSG_RETRANSMISSION: return "retransmission";
    case CORR_MSG_DUPLICATE: return "duplicate";
    }
    return "original";
}

void
corr_options_init(CorrOptions *o)
{
    o->link_window = 60 * SL_TIME_SECOND;
    o->max_msgs_per_call = (guint)sl_limit_info(SL_LIMIT_CALL_MESSAGES)->def;
    o->max_raw_bytes = 256 * 1024;
    o->max_calls = (guint)sl_limit_info(SL_LIMIT_CALLS)->def;
    o->max_msgs = (guint)sl_limit_info(SL_LIMIT_MESSAGES)->def;
    o->max_msg_bytes = sl_limit_info(SL_LIMIT_MESSAGE_BYTES)->def;
}

static void
txn_free(gpointer p)
{
    CorrTxn *t = p;
    g_free(t->method_name);
    g_free(t);
}

static void
dialog_free(gpointer p)
{
    CorrDialog *d = p;
    g_free(d->call_id);
    g_free(d->from_tag);
    g_free(d->to_tag);
    g_free(d);
}

static void
leg_free(gpointer p)
{
    CorrLeg *l = p;
    g_free(l->call_id);
    g_free(l->link_detail);
    g_ptr_array_unref(l->msgs);
    g_ptr_array_unref(l->dialogs);
    g_free(l);
}

static void
media_slot_free(gpointer p)
{
    MediaSlot *s = p;
    g_ptr_array_unref(s->entries);
    g_free(s);
}

static guint
bytes_hash(gconstpointer p)
{
    gsize len;
    const void *d = g_bytes_get_data((GBytes *)p, &len);
    return sl_view_hash(sl_view_make(d, len));
}

CorrEngine *
corr_engine_new(const CorrOptions *opts)
{
    CorrEngine *e = g_new0(CorrEngine, 1);
    if (opts)
        e->opts = *opts;
    else
        corr_options_init(&e->opts);
    e->msgs = g_ptr_array_new_with_free_func(corr_msg_free);
    e->txns = g_ptr_array_new_with_free_func(txn_free);
    e->legs = g_ptr_array_new_with_free_func(leg_free);
    e->calls = g_ptr_array_new_with_free_func(corr_call_free);
    e->txn_by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    e->txn_by_chain = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    e->txn_by_request = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    e->leg_by_call_id = g_hash_table_new(g_str_hash, g_str_equal);
    e->dialog_by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    e->leg_by_token = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    e->media = g_hash_table_new_full(sl_addr_hash_func, sl_addr_equal_func, g_free,
                                     media_slot_free);
    e->dup_index = g_hash_table_new(bytes_hash, g_bytes_equal);
    e->seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    e->subs = g_array_new(FALSE, FALSE, sizeof(Subscriber));
    e->next_call_id = 1;
    return e;
}

void
corr_engine_free(CorrEngine *e)
{
    if (!e)
        return;
    g_hash_table_destroy(e->txn_by_key);
    g_hash_table_destroy(e->txn_by_chain);
    g_hash_table_destroy(e->txn_by_request);
    g_hash_table_destroy(e->leg_by_call_id);
    g_hash_table_destroy(e->dialog_by_key);
    g_hash_table_destroy(e->leg_by_token);
    g_hash_table_destroy(e->media);
    g_hash_table_destroy(e->dup_index);
    g_hash_table_destroy(e->seen);
    g_queue_clear(&e->recent_3xx);
    g_queue_clear(&e->recent_invites);
    g_array_unref(e->subs);
    g_ptr_array_unref(e->calls);
    g_ptr_array_unref(e->legs);
    g_ptr_array_unref(e->txns);
    g_ptr_array_unref(e->msgs);
    g_free(e);
}

void
corr_engine_subscribe(CorrEngine *e, CorrEventFunc func, gpointer user)
{
    Subscriber s = { func, user };
    g_array_append_val(e->subs, s);
}

static void
publish(CorrEngine *e, CorrEventType type, CorrCall *call, const CorrMsg *msg)
{
    for (guint i = 0; i < e->subs->len; i++) {
        Subscriber *s = &g_array_index(e->subs, Subscriber, i);
        s->func(type, call, msg, s->user);
    }
}

GPtrArray *
corr_engine_messages(CorrEngine *e)
{
    return e->msgs;
}

void
corr_engine_drops(const CorrEngine *e, CorrEngineDrops *out)
{
    g_return_if_fail(e != NULL && out != NULL);
    out->call_messages = e->dropped;
    out->calls = e->dropped_calls;
    out->messages = e->dropped_msgs;
    out->message_bytes = e->dropped_bytes;
}

void
corr_engine_set_limits(CorrEngine *e, guint max_calls, guint max_msgs, guint max_msgs_per_call,
                       uint64_t max_msg_bytes)
{
    g_return_if_fail(e != NULL);
    if (max_calls)
        e->opts.max_calls = max_calls;
    if (max_msgs)
        e->opts.max_msgs = max_msgs;
    if (max_msgs_per_call)
        e->opts.max_msgs_per_call = max_msgs_per_call;
    if (max_msg_bytes)
        e->opts.max_msg_bytes = max_msg_bytes;
}

static size_t
msg_bytes(const CorrMsg *m)
{
    return m->raw ? g_bytes_get_size(m->raw) : 0;
}

guint
corr_engine_dropped_messages(const CorrEngine *e)
{
    return e->dropped;
}

/* ------------------------------------------------------- duplicates */

static bool
is_duplicate(CorrEngine *e, CorrMsg *m)
{
    CorrMsg *prev = g_hash_table_lookup(e->dup_index, m->raw);
    g_hash_table_replace(e->dup_index, m->raw, m);
    if (prev == NULL || !sl_addr_equal(&prev->src, &m->src) ||
        !sl_addr_equal(&prev->dst, &m->dst))
        return false;
    SlTime dt = m->ts - prev->ts;
    if (prev->ip_id && m->ip_id)
        return prev->ip_id == m->ip_id && dt <= DUPLICATE_WINDOW;
    return dt <= DUPLICATE_WINDOW_NO_ID;
}

/* ----------------------------------------------------- transactions */

static char *
sent_by(const SipMsg *sm)
{
    g_autofree char *host = sl_view_dup_printable(sm->via.host, 0);
    return g_strdup_printf("%s:%u", host, sm->via.port);
}

/* RFC 3261 section 17.2.3: branch (with the magic cookie), sent-by and
 * method, where an ACK matches its INVITE; RFC 2543 fallback: Call-ID,
 * CSeq, From tag and sent-by. */
static char *
txn_key(const CorrMsg *m, const SipMsg *sm, const char *method)
{
    g_autofree char *sb = sent_by(sm);
    if (sm->via.is_rfc3261 && sm->via.branch.len > 7)
        return g_strdup_printf("b|%s|%s|%s", m->branch, sb, method);
    return g_strdup_printf("o|%s|%u|%s|%s|%s", m->call_id, m->cseq, method, m->from_tag, sb);
}

static CorrTxn *
txn_new(CorrEngine *e, CorrMsg *m, const char *method, char *key)
{
    CorrTxn *t = g_new0(CorrTxn, 1);
    t->id = ++e->next_txn_id; /* the "seen" keys start with it: never reused */
    t->method = sip_method_from_view(sl_view_from_str(method));
    t->method_name = g_strdup(method);
    t->client = m->src;
    t->server = m->dst;
    g_ptr_array_add(e->txns, t);
    g_hash_table_insert(e->txn_by_key, key, t);
    return t;
}

static CorrTxn *
txn_match(CorrEngine *e, CorrMsg *m, const SipMsg *sm)
{
    if (m->is_request) {
        const char *method = m->method_name;
        if (m->method == SIP_METHOD_ACK) {
            /* ACK to a non-2xx final shares the INVITE's branch */
            g_autofree char *ik = txn_key(m, sm, "INVITE");
            CorrTxn *t = g_hash_table_lookup(e->txn_by_key, ik);
            if (t && t->final_status >= 300)
                return t;
        }
        char *key = txn_key(m, sm, method);
        CorrTxn *t = g_hash_table_lookup(e->txn_by_key, key);
        if (t) {
            g_free(key);
            /* its responses came first (a capture agent that stamps what it
             * sends after it sent it, HEP from several workers): the
             * request is the transaction's all the same */
            if (!t->request && m->method != SIP_METHOD_ACK && sl_addr_equal(&t->client, &m->src)) {
                t->request = m;
                t->request_late = true;
            }
            return t;
        }
        t = txn_new(e, m, method, key);
        t->request = m;
        return t;
    }
    g_autofree char *mname = sl_view_dup_printable(sm->cseq_method_name, 0);
    char *key = txn_key(m, sm, mname);
    CorrTxn *t = g_hash_table_lookup(e->txn_by_key, key);
    if (t) {
        g_free(key);
        return t;
    }
    /* a response whose request was not captured */
    t = txn_new(e, m, mname, key);
    t->client = m->dst;
    t->server = m->src;
    return t;
}

/* Seen before in this transaction, from the same sender to the same
 * receiver: a retransmission. */
static bool
seen_before(CorrEngine *e, CorrTxn *t, const CorrMsg *m)
{
    char src[SL_ADDR_STRLEN], dst[SL_ADDR_STRLEN];
    char *fp;
    if (m->is_request)
        fp = g_strdup_printf("%u|q|%s|%s|%s", t->id, m->method_name, sl_addr_str(&m->src, src),
                             sl_addr_str(&m->dst, dst));
    else
        fp = g_strdup_printf("%u|r|%u|%s|%s|%s", t->id, m->status, m->to_tag,
                             sl_addr_str(&m->src, src), sl_addr_str(&m->dst, dst));
    if (g_hash_table_contains(e->seen, fp)) {
        g_free(fp);
        return true;
    }
    g_hash_table_add(e->seen, fp);
    return false;
}

/* Links a forwarded request to the hop before it: same Call-ID, CSeq and
 * method, and its Via chain without the top one is the other's whole
 * chain. An element that rewrites the Via chain (a session border
 * controller hiding topology, which may change the From tag too) breaks
 * that; then the latest transaction of the same request (Call-ID, CSeq,
 * method) sent moments before by another host is taken as the hop before. */
static void
link_hop(CorrEngine *e, CorrTxn *t, CorrMsg *m)
{
    char *own = g_strdup_printf("%s|%u|%s|%08x", m->call_id, m->cseq, m->method_name,
                                m->via_hash_all);
    g_autofree char *up = g_strdup_printf("%s|%u|%s|%08x", m->call_id, m->cseq, m->method_name,
                                          m->via_hash_tail);
    char *req = g_strdup_printf("%s|%u|%s", m->call_id, m->cseq, m->method_name);
    CorrTxn *parent = m->n_via > 1 ? g_hash_table_lookup(e->txn_by_chain, up) : NULL;
    if (!parent) {
        CorrTxn *prev = g_hash_table_lookup(e->txn_by_request, req);
        if (prev && prev != t && prev->request && m->ts - prev->request->ts <= HOP_WINDOW &&
            !sl_addr_ip_equal(&prev->client, &t->client))
            parent = prev;
    }
    if (parent && parent != t) {
        t->upstream = parent;
        t->hop = parent->hop + 1;
    }
    if (!g_hash_table_contains(e->txn_by_chain, own))
        g_hash_table_insert(e->txn_by_chain, own, t);
    else
        g_free(own);
    g_hash_table_replace(e->txn_by_request, req, t);
}

/* ---------------------------------------------------------- dialogs */

static CorrDialog *
dialog_find(CorrEngine *e, CorrLeg *leg, const CorrMsg *m, bool create)
{
    if (!m->from_tag[0] || !m->to_tag[0])
        return NULL;
    g_autofree char *k1 = g_strdup_printf("%s|%s|%s", m->call_id, m->from_tag, m->to_tag);
    CorrDialog *d = g_hash_table_lookup(e->dialog_by_key, k1);
    if (d)
        return d;
    g_autofree char *k2 = g_strdup_printf("%s|%s|%s", m->call_id, m->to_tag, m->from_tag);
    d = g_hash_table_lookup(e->dialog_by_key, k2);
    if (d || !create)
        return d;
    d = g_new0(CorrDialog, 1);
    d->call_id = g_strdup(m->call_id);
    d->from_tag = g_strdup(m->from_tag);
    d->to_tag = g_strdup(m->to_tag);
    d->leg = leg;
    g_ptr_array_add(leg->dialogs, d);
    g_hash_table_insert(e->dialog_by_key, g_steal_pointer(&k1), d);
    return d;
}

static void
dialog_update(CorrDialog *d, const CorrMsg *m)
{
    if (!d || m->is_request || m->role != CORR_MSG_ORIGINAL)
        return;
    if (m->cseq_method == SIP_METHOD_INVITE && m->status >= 200 && m->status < 300)
        d->confirmed = true;
    if (m->cseq_method == SIP_METHOD_BYE && m->status >= 200)
        d->terminated = true;
    if (m->cseq_method == SIP_METHOD_INVITE && m->status >= 300 && !d->confirmed)
        d->terminated = true;
}

/* ------------------------------------------------------ legs, calls */

static CorrKind
kind_of(SipMethod m)
{
    switch (m) {
    case SIP_METHOD_INVITE: return CORR_KIND_CALL;
    case SIP_METHOD_REGISTER: return CORR_KIND_REGISTRATION;
    case SIP_METHOD_OPTIONS: return CORR_KIND_OPTIONS;
    case SIP_METHOD_MESSAGE: return CORR_KIND_MESSAGE;
    case SIP_METHOD_SUBSCRIBE:
    case SIP_METHOD_NOTIFY: return CORR_KIND_SUBSCRIPTION;
    default: return CORR_KIND_OTHER;
    }
}

static CorrCall *
call_new(CorrEngine *e, CorrLeg *leg)
{
    CorrCall *c = g_new0(CorrCall, 1);
    c->id = e->next_call_id++;
    c->kind = leg->kind;
    c->legs = g_ptr_array_new();
    c->msgs = g_ptr_array_new();
    c->endpoints = g_array_new(FALSE, FALSE, sizeof(SlAddr));
    c->q850_cause = -1;
    c->expires = -1;
    c->mos_worst = c->mos_mean = -1;
    g_ptr_array_add(c->legs, leg);
    leg->call = c;
    g_ptr_array_add(e->calls, c);
    e->live_calls++;
    return c;
}

static CorrLeg *
leg_get(CorrEngine *e, CorrMsg *m, bool *created)
{
    CorrLeg *leg = g_hash_table_lookup(e->leg_by_call_id, m->call_id);
    *created = false;
    if (leg)
        return leg;
    leg = g_new0(CorrLeg, 1);
    leg->call_id = g_strdup(m->call_id);
    leg->kind = kind_of(m->is_request ? m->method : m->cseq_method);
    leg->msgs = g_ptr_array_new();
    leg->dialogs = g_ptr_array_new_with_free_func(dialog_free);
    leg->start = m->ts;
    leg->linked_by = CORR_LINK_FIRST;
    g_ptr_array_add(e->legs, leg);
    g_hash_table_insert(e->leg_by_call_id, leg->call_id, leg);
    call_new(e, leg);
    *created = true;
    return leg;
}

static gint
msg_index_cmp(gconstpointer a, gconstpointer b)
{
    const CorrMsg *x = *(CorrMsg *const *)a, *y = *(CorrMsg *const *)b;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Moves every leg of @from into @into and marks @from dead. */
static void
call_merge(CorrEngine *e, CorrCall *into, CorrCall *from)
{
    if (into == from || from->dead)
        return;
    if (from->start && (into->start == 0 || from->start < into->start)) {
        CorrCall *t = into;
        into = from;
        from = t;
    }
    for (guint i = 0; i < from->legs->len; i++) {
        CorrLeg *l = g_ptr_array_index(from->legs, i);
        l->call = into;
        g_ptr_array_add(into->legs, l);
    }
    for (guint i = 0; i < from->msgs->len; i++)
        g_ptr_array_add(into->msgs, g_ptr_array_index(from->msgs, i));
    g_ptr_array_sort(into->msgs, msg_index_cmp);
    g_ptr_array_set_size(from->legs, 0);
    g_ptr_array_set_size(from->msgs, 0);
    from->dead = true;
    from->merged_into = into;
    e->live_calls--;
    if (into->kind != CORR_KIND_CALL && from->kind == CORR_KIND_CALL)
        into->kind = CORR_KIND_CALL;
    publish(e, CORR_EVENT_CALL_MERGED, from, NULL);
    publish(e, CORR_EVENT_CALL_CHANGED, into, NULL);
}

/* How much a link reason proves: a header beats shared media, which beats
 * a redirect, which beats matching numbers. */
static int
link_strength(CorrLinkReason r)
{
    switch (r) {
    case CORR_LINK_HEADER: return 4;
    case CORR_LINK_MEDIA: return 3;
    case CORR_LINK_REDIRECT: return 2;
    case CORR_LINK_NUMBERS: return 1;
    default: return 0;
    }
}

static void
link_legs(CorrEngine *e, CorrLeg *leg, CorrLeg *other, CorrLinkReason why, const char *detail)
{
    /* the later leg records why it joined */
    CorrLeg *late = leg->start >= other->start ? leg : other;
    CorrLeg *early = late == leg ? other : leg;
    if (leg->call == other->call) {
        /* already together: keep the strongest evidence between these two */
        if (late->linked_to == early && link_strength(why) > link_strength(late->linked_by)) {
            late->linked_by = why;
            g_free(late->link_detail);
            late->link_detail = g_strdup(detail);
        }
        return;
    }
    if (late->linked_by == CORR_LINK_FIRST) {
        late->linked_by = why;
        late->linked_to = early;
        g_free(late->link_detail);
        late->link_detail = g_strdup(detail);
    }
    call_merge(e, early->call, late->call);
}

/* Files read one after another may go back in time: a leg that began
 * more than this after @t (two capture points' clocks apart, at most) was
 * not up at @t, whatever order its messages were read in. */
#define LINK_CLOCK_SLACK (2 * SL_TIME_SECOND)

static bool
leg_active_at(const CorrLeg *l, SlTime t, SlTime window)
{
    if (l->start - t > LINK_CLOCK_SLACK)
        return false;
    if (t - l->start > window && l->ended)
        return false;
    return !l->ended || l->end + SL_TIME_SECOND >= t;
}

/* X-Call-ID / X-CID name another leg's Call-ID; Session-ID (RFC 7989)
 * and the icid-value of P-Charging-Vector (RFC 3455) are shared by the
 * legs of one session. */
static void
link_by_headers(CorrEngine *e, CorrLeg *leg, const CorrMsg *m, const SipMsg *sm)
{
    static const SipHdrId cid_hdrs[] = { SIP_HDR_X_CALL_ID, SIP_HDR_X_CID };
    for (size_t i = 0; i < G_N_ELEMENTS(cid_hdrs); i++) {
        const SipHdr *h = sip_msg_hdr(sm, cid_hdrs[i]);
        if (!h)
            continue;
        g_autofree char *v = sl_view_dup_printable(sl_view_trim(h->value), 0);
        CorrLeg *other = g_hash_table_lookup(e->leg_by_call_id, v);
        if (other && other != leg && m->ts - other->start <= e->opts.link_window)
            link_legs(e, leg, other, CORR_LINK_HEADER, sip_hdr_name(cid_hdrs[i]));
    }
    const SipHdr *sid = sip_msg_hdr(sm, SIP_HDR_SESSION_ID);
    if (sid) {
        SlView local, params, remote;
        sl_view_split_u8(sid->value, ';', &local, &params);
        local = sl_view_trim(local);
        SlView uuids[2] = { local, SL_VIEW_EMPTY };
        if (sip_param_get(params, "remote", &remote))
            uuids[1] = remote;
        for (int i = 0; i < 2; i++) {
            SlView u = uuids[i];
            if (u.len != 32 || sl_view_eq_str(u, "00000000000000000000000000000000"))
                continue;
            g_autofree char *lower = g_ascii_strdown((const char *)u.p, (gssize)u.len);
            char *key = g_strconcat("sid|", lower, NULL);
            CorrLeg *other = g_hash_table_lookup(e->leg_by_token, key);
            if (other && other != leg)
                link_legs(e, leg, other, CORR_LINK_HEADER, "Session-ID");
            if (!other)
                g_hash_table_insert(e->leg_by_token, key, leg);
            else
                g_free(key);
        }
    }
    const SipHdr *pcv = sip_msg_hdr(sm, SIP_HDR_P_CHARGING_VECTOR);
    SlView icid;
    if (pcv && sip_param_get(sl_view_make(pcv->value.p, pcv->value.len), "icid-value", &icid) &&
        icid.len) {
        g_autofree char *v = sl_view_dup_printable(icid, 0);
        char *key = g_strconcat("icid|", v, NULL);
        CorrLeg *other = g_hash_table_lookup(e->leg_by_token, key);
        if (other && other != leg)
            link_legs(e, leg, other, CORR_LINK_HEADER, "P-Charging-Vector");
        if (!other)
            g_hash_table_insert(e->leg_by_token, key, leg);
        else
            g_free(key);
    }
}

/* Whether the two legs have a signalling host in common (the B2BUA). The
 * first ten messages of each are enough: a leg's hosts appear at once, and
 * the check stays cheap on long legs. */
static bool
legs_share_host(const CorrLeg *a, const CorrLeg *b)
{
    for (guint i = 0; i < a->msgs->len; i++) {
        const CorrMsg *x = g_ptr_array_index(a->msgs, i);
        for (guint j = 0; j < b->msgs->len; j++) {
            const CorrMsg *y = g_ptr_array_index(b->msgs, j);
            if (sl_addr_ip_equal(&x->src, &y->src) || sl_addr_ip_equal(&x->src, &y->dst) ||
                sl_addr_ip_equal(&x->dst, &y->src) || sl_addr_ip_equal(&x->dst, &y->dst))
                return true;
            if (j > 8)
                break;
        }
        if (i > 8)
            break;
    }
    return false;
}

static bool numbers_match(const CorrMsg *a, const CorrMsg *b);

/* A B2BUA that passes media through names the same endpoint in the SDP of
 * both legs: one side's own SDP, and a copy the B2BUA sends on the other
 * leg. Linked only when exactly one other call qualifies: it uses the
 * endpoint within the window, is still up, shares a signalling host (the
 * B2BUA) with this leg, and the SDP there came from another sender. The
 * caller and callee numbers break ties. */
static void
link_by_media(CorrEngine *e, CorrLeg *leg, const CorrMsg *m)
{
    if (!m->media || leg->kind != CORR_KIND_CALL)
        return;
    for (guint i = 0; i < m->media->len; i++) {
        const CorrMedia *md = &g_array_index(m->media, CorrMedia, i);
        if (md->addr.family == SL_AF_NONE || md->addr.port == 0)
            continue;
        MediaSlot *slot = g_hash_table_lookup(e->media, &md->addr);
        if (!slot) {
            slot = g_new0(MediaSlot, 1);
            slot->entries = g_ptr_array_new_with_free_func(g_free);
            SlAddr *key = g_memdup2(&md->addr, sizeof(SlAddr));
            g_hash_table_insert(e->media, key, slot);
        }
        CorrCall *match = NULL;
        CorrLeg *match_leg = NULL;
        bool ambiguous = false;
        GPtrArray *cands = g_ptr_array_new(); /* CorrLeg* */
        /* calls where this sender already used the endpoint have their own
         * copy of it (a load test with one media port, or the B2BUA's
         * copy already made): they are not this leg's other half */
        GPtrArray *taken = g_ptr_array_new();
        for (guint k = 0; k < slot->entries->len; k++) {
            MediaUse *u = g_ptr_array_index(slot->entries, k);
            if (u->leg->call != leg->call && sl_addr_ip_equal(&u->sender, &m->src))
                g_ptr_array_add(taken, u->leg->call);
        }
        for (guint k = 0; k < slot->entries->len; k++) {
            MediaUse *u = g_ptr_array_index(slot->entries, k);
            if (u->leg == leg || u->leg->call->dead || sl_addr_ip_equal(&u->sender, &m->src) ||
                g_ptr_array_find(taken, u->leg->call, NULL))
                continue;
            if (m->ts - u->ts > e->opts.link_window || !leg_active_at(u->leg, m->ts, e->opts.link_window))
                continue;
            if (!legs_share_host(leg, u->leg))
                continue;
            if (match && match != u->leg->call)
                ambiguous = true;
            match = u->leg->call;
            match_leg = u->leg;
            g_ptr_array_add(cands, u->leg);
        }
        g_ptr_array_unref(taken);
        if (ambiguous) {
            /* the caller and callee numbers break the tie, if they can */
            const CorrMsg *mine = leg->first_invite ? leg->first_invite : m;
            match = NULL;
            ambiguous = false;
            for (guint k = 0; k < cands->len; k++) {
                CorrLeg *cl = g_ptr_array_index(cands, k);
                const CorrMsg *theirs = cl->first_invite;
                if (!theirs || !numbers_match(theirs, mine))
                    continue;
                if (match && match != cl->call)
                    ambiguous = true;
                match = cl->call;
                match_leg = cl;
            }
        }
        g_ptr_array_unref(cands);
        if (match && !ambiguous) {
            char buf[SL_ADDR_STRLEN];
            link_legs(e, leg, match_leg, CORR_LINK_MEDIA, sl_addr_str(&md->addr, buf));
        }
        /* remember this use (bounded: old entries give way) */
        if (slot->entries->len >= 64)
            g_ptr_array_remove_index(slot->entries, 0);
        MediaUse *u = g_new0(MediaUse, 1);
        u->leg = leg;
        u->sender = m->src;
        u->ts = m->ts;
        g_ptr_array_add(slot->entries, u);
    }
}

/* A UAC that got a 3xx on its first hop and sends a new INVITE, with a
 * new Call-ID, to the Contact it was given. */
static void
link_by_redirect(CorrEngine *e, CorrLeg *leg, const CorrMsg *m)
{
    if (m->method != SIP_METHOD_INVITE || m->to_tag[0] || !m->ruri)
        return;
    for (GList *l = e->recent_3xx.tail; l; l = l->prev) {
        const CorrMsg *r = l->data;
        if (m->ts - r->ts > e->opts.link_window)
            break;
        if (r->ts - m->ts > LINK_CLOCK_SLACK)
            continue; /* later in time: read from a file before this one */
        if (r->leg == leg || !sl_addr_ip_equal(&r->dst, &m->src))
            continue;
        size_t n = strlen(r->contact);
        if (strncmp(m->ruri, r->contact, n) == 0 && (m->ruri[n] == '\0' || strchr(";?", m->ruri[n]))) {
            link_legs(e, leg, r->leg, CORR_LINK_REDIRECT, r->contact);
            return;
        }
    }
}

/* Keeps the short lists the redirect and numbers rules search, trimmed to
 * their windows (before the rules run, at this message's time) so that
 * their cost does not grow with the capture. */
static void
trim_recent(CorrEngine *e, SlTime now)
{
    CorrMsg *old;
    while ((old = g_queue_peek_head(&e->recent_3xx)) && now - old->ts > e->opts.link_window)
        g_queue_pop_head(&e->recent_3xx);
    while ((old = g_queue_peek_head(&e->recent_invites)) && now - old->ts > NUMBERS_WINDOW)
        g_queue_pop_head(&e->recent_invites);
}

static void
remember_recent(CorrEngine *e, CorrMsg *m)
{
    if (m->role != CORR_MSG_ORIGINAL)
        return;
    if (!m->is_request && m->status >= 300 && m->status < 400 && m->contact &&
        m->cseq_method == SIP_METHOD_INVITE)
        g_queue_push_tail(&e->recent_3xx, m);
    if (m->is_request && m->method == SIP_METHOD_INVITE && !m->to_tag[0])
        g_queue_push_tail(&e->recent_invites, m);
}

/* The last @n digits of a user part ("+1 (226) 338-2742" -> "2263382742"),
 * or NULL when it has fewer. Caller owns. */
static char *
digit_suffix(const char *user, size_t n)
{
    if (!user)
        return NULL;
    GString *d = g_string_new(NULL);
    for (const char *p = user; *p && *p != '@' && *p != ';'; p++)
        if (g_ascii_isdigit(*p))
            g_string_append_c(d, *p);
    if (d->len < n) {
        g_string_free(d, TRUE);
        return NULL;
    }
    char *out = g_strdup(d->str + d->len - n);
    g_string_free(d, TRUE);
    return out;
}

#define NUMBER_DIGITS 7

static bool
numbers_match(const CorrMsg *a, const CorrMsg *b)
{
    g_autofree char *a_to = digit_suffix(a->to_user, NUMBER_DIGITS);
    g_autofree char *b_to = digit_suffix(b->to_user, NUMBER_DIGITS);
    g_autofree char *a_from = digit_suffix(a->from_user, NUMBER_DIGITS);
    g_autofree char *b_from = digit_suffix(b->from_user, NUMBER_DIGITS);
    return (a_to && b_to && strcmp(a_to, b_to) == 0) ||
           (a_from && b_from && strcmp(a_from, b_from) == 0);
}

/* A B2BUA that anchors media shares no endpoint between its legs. Its
 * outgoing INVITE still follows the incoming one within moments, from the
 * host that received it, for the same caller or callee number. Linked only
 * when exactly one unanswered, unlinked leg qualifies. */
static void
link_by_numbers(CorrEngine *e, CorrLeg *leg, const CorrMsg *m)
{
    if (m->method != SIP_METHOD_INVITE || m->to_tag[0])
        return;
    CorrLeg *match = NULL;
    for (GList *l = e->recent_invites.tail; l; l = l->prev) {
        const CorrMsg *r = l->data;
        if (m->ts - r->ts > NUMBERS_WINDOW)
            break;
        if (r->ts - m->ts > LINK_CLOCK_SLACK)
            continue; /* later in time: read from a file before this one */
        if (r->leg == leg || !sl_addr_ip_equal(&r->dst, &m->src))
            continue;
        CorrLeg *cand = r->leg;
        if (cand->call->legs->len != 1 || cand->ended || cand->call == leg->call ||
            !numbers_match(r, m))
            continue;
        bool answered = false;
        for (guint k = 0; k < cand->msgs->len && !answered; k++) {
            const CorrMsg *x = g_ptr_array_index(cand->msgs, k);
            answered = !x->is_request && x->cseq_method == SIP_METHOD_INVITE &&
                       x->status >= 200 && x->status < 300;
        }
        if (answered)
            continue;
        if (match && match != cand)
            return; /* ambiguous */
        match = cand;
    }
    if (match) {
        char detail[96];
        g_snprintf(detail, sizeof detail, "INVITE %.0f ms later from the same host",
                   (double)(m->ts - ((CorrMsg *)g_ptr_array_index(match->msgs, 0))->ts) / SL_TIME_MSEC);
        link_legs(e, leg, match, CORR_LINK_NUMBERS, detail);
    }
}

static void
leg_update_end(CorrLeg *leg, const CorrMsg *m, const CorrTxn *t)
{
    if (m->is_request || m->role != CORR_MSG_ORIGINAL)
        return;
    if ((m->cseq_method == SIP_METHOD_BYE && m->status >= 200) ||
        (m->cseq_method == SIP_METHOD_INVITE && m->status >= 300 && t->hop == 0 &&
         t->request && !t->request->to_tag[0] && m->status != 401 && m->status != 407)) {
        leg->ended = true;
        leg->end = m->ts;
    }
}

void
corr_engine_feed(CorrEngine *e, const SipFound *f)
{
    g_return_if_fail(e != NULL && f != NULL);
    CorrMsg *m = corr_msg_new(f, &e->opts, e->msgs->len);
    const SipMsg *sm = f->msg;
    if (m->ts > e->last_ts)
        e->last_ts = m->ts;

    /* the bounds on what is kept: the first calls stay whole, later ones go */
    if (e->msgs->len >= e->opts.max_msgs) {
        e->dropped_msgs++;
        corr_msg_free(m);
        return;
    }
    if (e->msg_bytes + msg_bytes(m) > e->opts.max_msg_bytes) {
        e->dropped_bytes++;
        corr_msg_free(m);
        return;
    }
    if (e->live_calls >= e->opts.max_calls &&
        !g_hash_table_contains(e->leg_by_call_id, m->call_id)) {
        e->dropped_calls++;
        corr_msg_free(m);
        return;
    }
    bool created;
    CorrLeg *leg = leg_get(e, m, &created);
    CorrCall *call = leg->call;
    if (call->msgs->len >= e->opts.max_msgs_per_call) {
        e->dropped++;
        corr_msg_free(m);
        return;
    }
    g_ptr_array_add(e->msgs, m);
    e->msg_bytes += msg_bytes(m);
    m->leg = leg;
    if (m->is_request && m->method == SIP_METHOD_INVITE && leg->kind != CORR_KIND_CALL) {
        leg->kind = CORR_KIND_CALL;
        call->kind = CORR_KIND_CALL;
    }

    if (is_duplicate(e, m))
        m->role = CORR_MSG_DUPLICATE;
    CorrTxn *t = txn_match(e, m, sm);
    m->txn = t;
    t->leg = leg;
    if (m->role == CORR_MSG_ORIGINAL && seen_before(e, t, m))
        m->role = CORR_MSG_RETRANSMISSION;
    if (m->role == CORR_MSG_RETRANSMISSION)
        t->retransmissions++;
    else if (m->role == CORR_MSG_DUPLICATE)
        t->duplicates++;
    if (m->is_request && t->request == m) {
        link_hop(e, t, m);
        /* responses that came before their request learn its hop */
        for (guint i = 0; t->request_late && t->hop && i < leg->msgs->len; i++) {
            CorrMsg *r = g_ptr_array_index(leg->msgs, i);
            if (r->txn == t)
                r->hop = t->hop;
        }
    }
    m->hop = t->hop;
    if (!m->is_request && m->status >= 200 && m->role == CORR_MSG_ORIGINAL &&
        (t->final_status == 0 || (m->status < 300 && t->final_status >= 300)))
        t->final_status = m->status;

    m->dialog = dialog_find(e, leg, m, !m->is_request || m->method != SIP_METHOD_ACK);
    dialog_update(m->dialog, m);
    if (m->dialog)
        m->dialog_state = m->dialog->terminated ? CORR_DIALOG_TERMINATED
                          : m->dialog->confirmed ? CORR_DIALOG_CONFIRMED
                                                 : CORR_DIALOG_EARLY;
    if (m->is_request && m->method == SIP_METHOD_INVITE && !m->to_tag[0] && t->hop == 0 &&
        leg->first_invite == NULL)
        leg->first_invite = m;
    leg_update_end(leg, m, t);

    g_ptr_array_add(leg->msgs, m);
    g_ptr_array_add(call->msgs, m);
    if (created)
        publish(e, CORR_EVENT_CALL_ADDED, call, m);

    trim_recent(e, m->ts);
    if (m->role == CORR_MSG_ORIGINAL) {
        if (m->is_request) {
            link_by_headers(e, leg, m, sm);
            if (created)
                link_by_redirect(e, leg, m);
            if (created && leg->call->legs->len == 1)
                link_by_numbers(e, leg, m);
        }
        link_by_media(e, leg, m);
    }
    remember_recent(e, m);
    call = leg->call;
    publish(e, CORR_EVENT_MESSAGE_ADDED, call, m);
    publish(e, CORR_EVENT_CALL_CHANGED, call, m);
}

void
corr_engine_sip_found(const SipFound *found, gpointer engine)
{
    corr_engine_feed(engine, found);
}

static gint
call_start_cmp(gconstpointer a, gconstpointer b)
{
    const CorrCall *x = *(CorrCall *const *)a, *y = *(CorrCall *const *)b;
    const CorrMsg *mx = x->msgs->len ? g_ptr_array_index(x->msgs, 0) : NULL;
    const CorrMsg *my = y->msgs->len ? g_ptr_array_index(y->msgs, 0) : NULL;
    guint ix = mx ? mx->index : G_MAXUINT, iy = my ? my->index : G_MAXUINT;
    return ix < iy ? -1 : ix > iy;
}

void
corr_engine_finish(CorrEngine *e)
{
    /* drop merged calls, order by first message, number from 1 */
    for (guint i = e->calls->len; i > 0; i--) {
        CorrCall *c = g_ptr_array_index(e->calls, i - 1);
        if (c->dead)
            g_ptr_array_remove_index(e->calls, i - 1);
    }
    g_ptr_array_sort(e->calls, call_start_cmp);
    for (guint i = 0; i < e->calls->len; i++) {
        CorrCall *c = g_ptr_array_index(e->calls, i);
        c->id = e->ids_given + i + 1;
        corr_call_compute(c, e->last_ts);
    }
    e->finished = true;
}

GPtrArray *
corr_engine_calls(CorrEngine *e)
{
    return e->calls;
}

CorrCall *
corr_engine_call_by_id(CorrEngine *e, guint id)
{
    for (guint i = 0; i < e->calls->len; i++) {
        CorrCall *c = g_ptr_array_index(e->calls, i);
        if (c->id == id && !c->dead)
            return c;
    }
    return NULL;
}

/* ---------------------------------------------------------- eviction */

/* RFC 3261 Timer F: a non-INVITE request without a final response after
 * this is over. */
#define TIMER_F (32 * SL_TIME_SECOND)

/* A final response on this hop or one upstream (which ends every hop
 * below it). Upstream links point at older transactions, so the walk ends. */
static bool
txn_answered(const CorrTxn *t)
{
    for (; t; t = t->upstream)
        if (t->final_status)
            return true;
    return false;
}

/* A request that began a transaction which has no final response yet. */
static bool
request_unanswered(const CorrMsg *m)
{
    return m->is_request && m->method != SIP_METHOD_ACK && m->txn && m->txn->request == m &&
           !txn_answered(m->txn);
}

/* The rare cases leg_settled() must look closer at, found in one pass:
 * provisional responses beyond 100, CANCELs and BYEs sent long ago. */
typedef struct {
    GHashTable *progressed; /* CorrTxn* */
    GHashTable *cancelled;  /* GUINT_TO_POINTER(CSeq + 1) of CANCELs older than Timer B */
    GHashTable *byed;       /* CorrDialog* with a BYE older than Timer F */
} LegScan;

static void
leg_scan(const CorrLeg *leg, SlTime now, LegScan *s)
{
    s->progressed = g_hash_table_new(NULL, NULL);
    s->cancelled = g_hash_table_new(NULL, NULL);
    s->byed = g_hash_table_new(NULL, NULL);
    for (guint i = 0; i < leg->msgs->len; i++) {
        const CorrMsg *m = g_ptr_array_index(leg->msgs, i);
        if (!m->is_request && m->txn && m->status > 100 && m->status < 200)
            g_hash_table_add(s->progressed, m->txn);
        if (m->is_request && m->method == SIP_METHOD_CANCEL && now - m->ts > TIMER_B)
            g_hash_table_add(s->cancelled, GUINT_TO_POINTER(m->cseq + 1));
        if (m->is_request && m->method == SIP_METHOD_BYE && m->dialog && now - m->ts > TIMER_F)
            g_hash_table_add(s->byed, m->dialog);
    }
}

static void
leg_scan_clear(LegScan *s)
{
    g_hash_table_destroy(s->progressed);
    g_hash_table_destroy(s->cancelled);
    g_hash_table_destroy(s->byed);
}

/* Whether no message can change @leg any more (see corr_engine_evict):
 * every transaction begun in it is over and every confirmed dialog ended.
 * An INVITE without a final response is over past Timer B when it saw no
 * provisional response beyond 100 (timed out), or when a CANCEL of it is
 * older than Timer B (RFC 3261 section 9.1: the UAC gives up on the final
 * response after 64*T1); a confirmed dialog whose BYE is older than Timer F
 * ended, answered or not (section 15.1.1). Linear in the leg's messages. */
static bool
leg_settled(const CorrLeg *leg, SlTime now)
{
    bool look_closer = false;
    for (guint i = 0; i < leg->dialogs->len; i++) {
        const CorrDialog *d = g_ptr_array_index(leg->dialogs, i);
        look_closer |= d->confirmed && !d->terminated;
    }
    for (guint i = 0; i < leg->msgs->len; i++) {
        const CorrMsg *m = g_ptr_array_index(leg->msgs, i);
        if (!request_unanswered(m))
            continue;
        if (now - m->ts <= (m->method == SIP_METHOD_INVITE ? TIMER_B : TIMER_F))
            return false;
        look_closer |= m->method == SIP_METHOD_INVITE;
    }
    if (!look_closer)
        return true;
    LegScan s;
    leg_scan(leg, now, &s);
    bool settled = true;
    for (guint i = 0; i < leg->dialogs->len && settled; i++) {
        const CorrDialog *d = g_ptr_array_index(leg->dialogs, i);
        settled = !d->confirmed || d->terminated || g_hash_table_contains(s.byed, d);
    }
    for (guint i = 0; i < leg->msgs->len && settled; i++) {
        const CorrMsg *m = g_ptr_array_index(leg->msgs, i);
        if (request_unanswered(m) && m->method == SIP_METHOD_INVITE)
            settled = !g_hash_table_contains(s.progressed, m->txn) ||
                      g_hash_table_contains(s.cancelled, GUINT_TO_POINTER(m->cseq + 1));
    }
    leg_scan_clear(&s);
    return settled;
}

static bool
call_evictable(const CorrEngine *e, const CorrCall *c)
{
    if (c->dead)
        return false;
    if (c->msgs->len) {
        const CorrMsg *last = g_ptr_array_index(c->msgs, c->msgs->len - 1);
        if (e->last_ts - last->ts <= e->opts.link_window)
            return false;
    }
    for (guint i = 0; i < c->legs->len; i++)
        if (!leg_settled(g_ptr_array_index(c->legs, i), e->last_ts))
            return false;
    return true;
}

/* What one eviction removes: the entries (live calls) and, through them,
 * their legs and messages; transactions are gathered as they are found. */
typedef struct {
    GHashTable *calls;    /* CorrCall* (live) */
    GHashTable *txns;     /* CorrTxn* */
    GHashTable *txn_ids;  /* GUINT_TO_POINTER(CorrTxn.id) */
} Doomed;

static bool
doomed_leg(const Doomed *d, const CorrLeg *l)
{
    return g_hash_table_contains(d->calls, l->call);
}

static bool
doomed_msg(const Doomed *d, const CorrMsg *m)
{
    return doomed_leg(d, m->leg);
}

/* A merged call goes with the entry it was merged into. */
static bool
doomed_call(const Doomed *d, const CorrCall *c)
{
    while (c->dead && c->merged_into)
        c = c->merged_into;
    return g_hash_table_contains(d->calls, c);
}

static gboolean
txn_value_doomed(gpointer key, gpointer value, gpointer d)
{
    (void)key;
    return g_hash_table_contains(((Doomed *)d)->txns, value);
}

static gboolean
seen_key_doomed(gpointer key, gpointer value, gpointer d)
{
    (void)value;
    guint64 id = g_ascii_strtoull(key, NULL, 10); /* "<txn id>|..." */
    return id <= G_MAXUINT &&
           g_hash_table_contains(((Doomed *)d)->txn_ids, GUINT_TO_POINTER((guint)id));
}

static gboolean
leg_value_doomed(gpointer key, gpointer value, gpointer d)
{
    (void)key;
    return doomed_leg(d, value);
}

static gboolean
dialog_value_doomed(gpointer key, gpointer value, gpointer d)
{
    (void)key;
    return doomed_leg(d, ((CorrDialog *)value)->leg);
}

static gboolean
msg_value_doomed(gpointer key, gpointer value, gpointer d)
{
    (void)key;
    return doomed_msg(d, value);
}

/* Drops the uses by doomed legs; an emptied slot goes. */
static gboolean
media_slot_doomed(gpointer key, gpointer value, gpointer d)
{
    (void)key;
    MediaSlot *slot = value;
    for (guint i = slot->entries->len; i > 0; i--) {
        MediaUse *u = g_ptr_array_index(slot->entries, i - 1);
        if (doomed_leg(d, u->leg))
            g_ptr_array_remove_index(slot->entries, i - 1);
    }
    return slot->entries->len == 0;
}

static void
queue_drop_doomed(GQueue *q, const Doomed *d)
{
    for (GList *l = q->head; l;) {
        GList *next = l->next;
        if (doomed_msg(d, l->data))
            g_queue_delete_link(q, l);
        l = next;
    }
}

/* Repoints what stays away from what goes: a transaction shared with a
 * message that stays (a response matched across Call-IDs) stays with that
 * message's leg; links to doomed requests, hops and legs are cut. */
static void
evict_unlink(CorrEngine *e, Doomed *d)
{
    for (guint i = 0; i < e->msgs->len; i++) {
        CorrMsg *m = g_ptr_array_index(e->msgs, i);
        if (doomed_msg(d, m))
            continue;
        if (m->txn && doomed_leg(d, m->txn->leg))
            m->txn->leg = m->leg;
        if (m->dialog && doomed_leg(d, m->dialog->leg))
            m->dialog = NULL; /* dialogs are per Call-ID, as legs: not expected */
    }
    for (guint i = 0; i < e->txns->len; i++) {
        CorrTxn *t = g_ptr_array_index(e->txns, i);
        if (doomed_leg(d, t->leg)) {
            g_hash_table_add(d->txns, t);
            g_hash_table_add(d->txn_ids, GUINT_TO_POINTER(t->id));
        }
    }
    for (guint i = 0; i < e->txns->len; i++) {
        CorrTxn *t = g_ptr_array_index(e->txns, i);
        if (g_hash_table_contains(d->txns, t))
            continue;
        if (t->request && doomed_msg(d, t->request))
            t->request = NULL;
        if (t->upstream && g_hash_table_contains(d->txns, t->upstream))
            t->upstream = NULL;
    }
    for (guint i = 0; i < e->legs->len; i++) {
        CorrLeg *l = g_ptr_array_index(e->legs, i);
        if (!doomed_leg(d, l) && l->linked_to && doomed_leg(d, l->linked_to))
            l->linked_to = NULL;
    }
}

static void
evict_unindex(CorrEngine *e, Doomed *d)
{
    g_hash_table_foreach_remove(e->txn_by_key, txn_value_doomed, d);
    g_hash_table_foreach_remove(e->txn_by_chain, txn_value_doomed, d);
    g_hash_table_foreach_remove(e->txn_by_request, txn_value_doomed, d);
    g_hash_table_foreach_remove(e->seen, seen_key_doomed, d);
    g_hash_table_foreach_remove(e->leg_by_call_id, leg_value_doomed, d);
    g_hash_table_foreach_remove(e->leg_by_token, leg_value_doomed, d);
    g_hash_table_foreach_remove(e->dialog_by_key, dialog_value_doomed, d);
    g_hash_table_foreach_remove(e->dup_index, msg_value_doomed, d);
    g_hash_table_foreach_remove(e->media, media_slot_doomed, d);
    queue_drop_doomed(&e->recent_3xx, d);
    queue_drop_doomed(&e->recent_invites, d);
}

typedef bool (*DoomedTest)(const Doomed *d, gconstpointer obj);

static bool
test_msg(const Doomed *d, gconstpointer o)
{
    return doomed_msg(d, o);
}

static bool
test_txn(const Doomed *d, gconstpointer o)
{
    return g_hash_table_contains(d->txns, o);
}

static bool
test_leg(const Doomed *d, gconstpointer o)
{
    return doomed_leg(d, o);
}

static bool
test_call(const Doomed *d, gconstpointer o)
{
    return doomed_call(d, o);
}

/* Splits the owning array *@arr: what stays goes into a new array of the
 * right size, in the same order; what goes is appended to @gone. */
static void
array_split(GPtrArray **arr, GDestroyNotify free_func, const Doomed *d, DoomedTest doomed,
            GPtrArray *gone)
{
    GPtrArray *old = *arr;
    GPtrArray *kept = g_ptr_array_new_full(old->len, free_func);
    for (guint i = 0; i < old->len; i++) {
        gpointer p = g_ptr_array_index(old, i);
        g_ptr_array_add(doomed(d, p) ? gone : kept, p);
    }
    g_ptr_array_set_free_func(old, NULL);
    g_ptr_array_unref(old);
    *arr = kept;
}

/* Frees the entries of @d->calls and everything that belongs to them. Every
 * test for "doomed" runs before anything is freed. */
static void
evict_calls(CorrEngine *e, Doomed *d)
{
    evict_unlink(e, d);
    evict_unindex(e, d);
    GPtrArray *gone_msgs = g_ptr_array_new_with_free_func(corr_msg_free);
    GPtrArray *gone_txns = g_ptr_array_new_with_free_func(txn_free);
    GPtrArray *gone_legs = g_ptr_array_new_with_free_func(leg_free);
    GPtrArray *gone_calls = g_ptr_array_new_with_free_func(corr_call_free);
    array_split(&e->calls, corr_call_free, d, test_call, gone_calls);
    array_split(&e->legs, leg_free, d, test_leg, gone_legs);
    array_split(&e->txns, txn_free, d, test_txn, gone_txns);
    array_split(&e->msgs, corr_msg_free, d, test_msg, gone_msgs);
    for (guint i = 0; i < gone_msgs->len; i++)
        e->msg_bytes -= msg_bytes(g_ptr_array_index(gone_msgs, i));
    for (guint i = 0; i < e->msgs->len; i++)
        ((CorrMsg *)g_ptr_array_index(e->msgs, i))->index = i;
    g_ptr_array_unref(gone_calls);
    g_ptr_array_unref(gone_legs);
    g_ptr_array_unref(gone_txns);
    g_ptr_array_unref(gone_msgs);
}

guint
corr_engine_evict(CorrEngine *e, guint keep, CorrEvictFunc func, gpointer user_data)
{
    g_return_val_if_fail(e != NULL, 0);
    GPtrArray *victims = g_ptr_array_new();
    for (guint i = 0; i < e->calls->len; i++) {
        CorrCall *c = g_ptr_array_index(e->calls, i);
        if (call_evictable(e, c))
            g_ptr_array_add(victims, c);
    }
    if (victims->len <= keep) {
        g_ptr_array_unref(victims);
        return 0;
    }
    /* the oldest go; the newest @keep stay */
    g_ptr_array_sort(victims, call_start_cmp);
    g_ptr_array_set_size(victims, victims->len - keep);
    Doomed d = {
        g_hash_table_new(NULL, NULL),
        g_hash_table_new(NULL, NULL),
        g_hash_table_new(NULL, NULL),
    };
    for (guint i = 0; i < victims->len; i++) {
        CorrCall *c = g_ptr_array_index(victims, i);
        g_hash_table_add(d.calls, c);
        if (!e->finished)
            c->id = ++e->ids_given;
        if (!c->streams)
            corr_call_compute(c, e->last_ts);
        if (func)
            func(c, user_data);
    }
    evict_calls(e, &d);
    guint n = victims->len;
    e->evicted += n;
    e->live_calls -= n;
    g_hash_table_destroy(d.calls);
    g_hash_table_destroy(d.txns);
    g_hash_table_destroy(d.txn_ids);
    g_ptr_array_unref(victims);
    return n;
}

guint
corr_engine_evicted(const CorrEngine *e)
{
    g_return_val_if_fail(e != NULL, 0);
    return e->evicted;
}

void
corr_engine_counts(const CorrEngine *e, CorrEngineCounts *out)
{
    g_return_if_fail(e != NULL && out != NULL);
    memset(out, 0, sizeof *out);
    out->messages = e->msgs->len;
    out->transactions = e->txns->len;
    out->legs = e->legs->len;
    for (guint i = 0; i < e->legs->len; i++)
        out->dialogs += ((CorrLeg *)g_ptr_array_index(e->legs, i))->dialogs->len;
    for (guint i = 0; i < e->calls->len; i++) {
        if (((CorrCall *)g_ptr_array_index(e->calls, i))->dead)
            out->merged++;
        else
            out->calls++;
    }
    GHashTableIter it;
    gpointer slot;
    g_hash_table_iter_init(&it, e->media);
    while (g_hash_table_iter_next(&it, NULL, &slot))
        out->index_entries += ((MediaSlot *)slot)->entries->len;
    GHashTable *tables[] = { e->txn_by_key,   e->txn_by_chain,  e->txn_by_request,
                             e->leg_by_call_id, e->dialog_by_key, e->leg_by_token,
                             e->media,        e->dup_index,     e->seen };
    for (size_t i = 0; i < G_N_ELEMENTS(tables); i++)
        out->index_entries += g_hash_table_size(tables[i]);
    out->index_entries += e->recent_3xx.length + e->recent_invites.length;
}

void
corr_engine_update_call(CorrEngine *e, CorrCall *call)
{
    if (call && !call->dead)
        corr_call_compute(call, e->last_ts);
}
