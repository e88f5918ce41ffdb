/* sipladder GUI: loading one capture on a worker thread (see ui-load.h). */
#include "ui-load.h"

#include "corr-media.h"

struct UiLoad {
    gint refs;
    char *path;
    UiLoadCallbacks cb;
    gpointer user;
    GMainContext *context; /* where callbacks run */
    GThread *thread;
    gint cancel;           /* read by the loader between frames */
    gint detached;         /* ui_load_free ran: callbacks are dropped */
    gint done;
    /* worker side only until done */
    CorrEngine *engine;
    CorrLoad *load;
    GHashTable *dirty;     /* CorrCall* changed since the last post */
    gint64 last_post_us;
    gint rows_pending;     /* a rows post waits on the main context */
    gint progress_pending;
    GMutex lock;           /* guards the two progress figures */
    uint64_t done_bytes, total_bytes;
};

static UiLoad *
load_ref(UiLoad *l)
{
    g_atomic_int_inc(&l->refs);
    return l;
}

gpointer
ui_load_ref(gpointer l)
{
    return load_ref(l);
}

static void load_unref(gpointer p);

void
ui_load_unref(gpointer l)
{
    load_unref(l);
}

static void
load_unref(gpointer p)
{
    UiLoad *l = p;
    if (!g_atomic_int_dec_and_test(&l->refs))
        return;
    g_free(l->path);
    corr_engine_free(l->engine); /* its calls borrow the loader's streams */
    corr_load_free(l->load);
    if (l->dirty)
        g_hash_table_destroy(l->dirty);
    g_main_context_unref(l->context);
    g_mutex_clear(&l->lock);
    g_free(l);
}

/* ------------------------------------------------------------ rows */

static char **
strv_from_set(GHashTable *set)
{
    guint n = 0;
    char **v = (char **)g_hash_table_get_keys_as_array(set, &n);
    char **out = g_new0(char *, n + 1);
    for (guint i = 0; i < n; i++)
        out[i] = g_strdup(v[i]);
    g_free(v);
    return out;
}

UiCallRow *
ui_call_row_new(const CorrCall *c)
{
    UiCallRow *r = g_new0(UiCallRow, 1);
    r->key = c;
    r->id = c->id;
    r->kind = c->kind;
    r->removed = c->dead;
    r->start = c->start;
    r->caller = g_strdup(c->caller);
    r->caller_display = g_strdup(c->caller_display);
    r->callee = g_strdup(c->callee);
    r->callee_display = g_strdup(c->callee_display);
    r->state = g_strdup(c->kind == CORR_KIND_CALL ? corr_state_name(c->state) : NULL);
    r->duration_s = c->duration_s;
    r->pdd_ms = c->pdd_ms;
    r->legs = c->legs ? c->legs->len : 0;
    r->streams = c->streams ? c->streams->len : 0;
    r->findings = c->findings ? c->findings->len : 0;
    r->msgs = c->msgs ? c->msgs->len : 0;
    r->mos = c->mos_worst;
    if (c->kind != CORR_KIND_CALL) {
        /* registrations and the like: what they did and how it ended */
        g_free(r->state);
        r->state = c->result ? g_strdup_printf("%s %u", corr_kind_name(c->kind), c->result)
                             : g_strdup(corr_kind_name(c->kind));
    }
    g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GHashTable) addrs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GHashTable) methods = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GHashTable) words = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; c->legs && i < c->legs->len; i++) {
        const CorrLeg *leg = g_ptr_array_index(c->legs, i);
        if (leg->call_id)
            g_hash_table_add(ids, leg->call_id);
    }
    for (guint i = 0; c->msgs && i < c->msgs->len; i++) {
        const CorrMsg *m = g_ptr_array_index(c->msgs, i);
        char a[SL_ADDR_STRLEN];
        g_hash_table_add(addrs, g_strdup(sl_addr_str(&m->src, a)));
        g_hash_table_add(addrs, g_strdup(sl_addr_str(&m->dst, a)));
        if (m->is_request && m->method_name)
            g_hash_table_add(methods, m->method_name);
        if (m->ruri)
            g_hash_table_add(words, m->ruri);
        if (m->user_agent)
            g_hash_table_add(words, m->user_agent);
    }
    r->call_ids = strv_from_set(ids);
    r->addrs = strv_from_set(addrs);
    r->methods = strv_from_set(methods);
    r->words = strv_from_set(words);
    return r;
}

void
ui_call_row_free(gpointer p)
{
    UiCallRow *r = p;
    if (!r)
        return;
    g_free(r->caller);
    g_free(r->caller_display);
    g_free(r->callee);
    g_free(r->callee_display);
    g_free(r->state);
    g_strfreev(r->call_ids);
    g_strfreev(r->addrs);
    g_strfreev(r->methods);
    g_strfreev(r->words);
    g_free(r);
}

void
ui_call_row_subject(const UiCallRow *r, UiFilterSubject *out)
{
    *out = (UiFilterSubject){
        .caller = r->caller,
        .caller_display = r->caller_display,
        .callee = r->callee,
        .callee_display = r->callee_display,
        .state = r->state,
        .call_ids = (const char *const *)r->call_ids,
        .addrs = (const char *const *)r->addrs,
        .methods = (const char *const *)r->methods,
        .words = (const char *const *)r->words,
    };
}

/* ------------------------------------------------------------ posting */

typedef enum { POST_ROWS, POST_PROGRESS, POST_WARNING, POST_DONE } PostKind;

typedef struct {
    UiLoad *load;
    PostKind kind;
    GPtrArray *rows;
    gboolean final;
    CorrLoadWarnKind warn_kind;
    char *text;
} Post;

static void
post_free(gpointer p)
{
    Post *m = p;
    if (m->rows)
        g_ptr_array_unref(m->rows);
    g_free(m->text);
    load_unref(m->load);
    g_free(m);
}

/* Runs on the main context. */
static gboolean
post_dispatch(gpointer p)
{
    Post *m = p;
    UiLoad *l = m->load;
    if (g_atomic_int_get(&l->detached))
        return G_SOURCE_REMOVE;
    switch (m->kind) {
    case POST_ROWS:
        g_atomic_int_set(&l->rows_pending, 0);
        if (l->cb.rows) {
            GPtrArray *rows = m->rows;
            m->rows = NULL;
            l->cb.rows(l, rows, m->final, l->user);
        }
        break;
    case POST_PROGRESS: {
        g_atomic_int_set(&l->progress_pending, 0);
        g_mutex_lock(&l->lock);
        uint64_t done = l->done_bytes, total = l->total_bytes;
        g_mutex_unlock(&l->lock);
        if (l->cb.progress)
            l->cb.progress(l, done, total, l->user);
        break;
    }
    case POST_WARNING:
        if (l->cb.warning)
            l->cb.warning(l, m->warn_kind, m->text, l->user);
        break;
    case POST_DONE:
        g_thread_join(l->thread);
        l->thread = NULL;
        g_atomic_int_set(&l->done, 1);
        if (l->cb.done)
            l->cb.done(l, l->user);
        break;
    }
    return G_SOURCE_REMOVE;
}

/* Always through an idle source: g_main_context_invoke() would run the
 * function right here, on the worker, whenever the main context happens
 * to be free. */
static void
post(UiLoad *l, Post *m)
{
    m->load = load_ref(l);
    GSource *src = g_idle_source_new();
    g_source_set_priority(src, G_PRIORITY_DEFAULT_IDLE);
    g_source_set_callback(src, post_dispatch, m, post_free);
    g_source_set_name(src, "sipladder-load-post");
    g_source_attach(src, l->context);
    g_source_unref(src);
}

/* Worker: the calls that changed, unless the previous batch still waits. */
static void
post_dirty(UiLoad *l)
{
    if (g_hash_table_size(l->dirty) == 0 || g_atomic_int_get(&l->rows_pending))
        return;
    Post *m = g_new0(Post, 1);
    m->kind = POST_ROWS;
    m->rows = g_ptr_array_new_with_free_func(ui_call_row_free);
    GHashTableIter it;
    gpointer call;
    g_hash_table_iter_init(&it, l->dirty);
    while (g_hash_table_iter_next(&it, &call, NULL))
        g_ptr_array_add(m->rows, ui_call_row_new(call));
    g_hash_table_remove_all(l->dirty);
    g_atomic_int_set(&l->rows_pending, 1);
    l->last_post_us = g_get_monotonic_time();
    post(l, m);
}

static void
on_event(CorrEventType type, CorrCall *call, const CorrMsg *msg, gpointer user)
{
    UiLoad *l = user;
    if (type != CORR_EVENT_MESSAGE_ADDED && call)
        g_hash_table_add(l->dirty, call);
}

static void
on_progress(uint64_t done, uint64_t total, gpointer user)
{
    UiLoad *l = user;
    g_mutex_lock(&l->lock);
    l->done_bytes = done;
    l->total_bytes = total;
    g_mutex_unlock(&l->lock);
    if (!g_atomic_int_get(&l->progress_pending)) {
        g_atomic_int_set(&l->progress_pending, 1);
        Post *m = g_new0(Post, 1);
        m->kind = POST_PROGRESS;
        post(l, m);
    }
    if (g_get_monotonic_time() - l->last_post_us >= UI_LOAD_POST_MS * 1000)
        post_dirty(l);
}

static void
on_warn(CorrLoadWarnKind kind, const char *file, uint64_t frame, const char *text, gpointer user)
{
    UiLoad *l = user;
    Post *m = g_new0(Post, 1);
    m->kind = POST_WARNING;
    m->warn_kind = kind;
    m->text = g_strdup(text);
    post(l, m);
}

static gpointer
worker(gpointer data)
{
    UiLoad *l = data;
    corr_engine_subscribe(l->engine, on_event, l);
    CorrLoadOptions o;
    corr_load_options_init(&o);
    o.engine = l->engine;
    o.media = true;
    o.progress_func = on_progress;
    o.warn_func = on_warn;
    o.user_data = l;
    o.cancel = &l->cancel;
    char *files[] = { l->path, NULL };
    l->load = corr_load_files(files, &o);
    if (g_atomic_int_get(&l->detached)) {
        load_unref(l); /* nobody waits for the rows */
        return NULL;
    }
    /* finished: ids, merges, streams and findings are final now */
    Post *m = g_new0(Post, 1);
    m->kind = POST_ROWS;
    m->final = TRUE;
    m->rows = g_ptr_array_new_with_free_func(ui_call_row_free);
    GPtrArray *calls = corr_engine_calls(l->engine);
    for (guint i = 0; i < calls->len; i++)
        g_ptr_array_add(m->rows, ui_call_row_new(g_ptr_array_index(calls, i)));
    g_hash_table_remove_all(l->dirty);
    post(l, m);
    Post *d = g_new0(Post, 1);
    d->kind = POST_DONE;
    post(l, d);
    load_unref(l);
    return NULL;
}

UiLoad *
ui_load_start(const char *path, const UiLoadCallbacks *cb, gpointer user)
{
    g_return_val_if_fail(path != NULL && cb != NULL, NULL);
    UiLoad *l = g_new0(UiLoad, 1);
    l->refs = 2; /* the caller's and the worker's */
    l->path = g_strdup(path);
    l->cb = *cb;
    l->user = user;
    l->context = g_main_context_ref_thread_default();
    g_mutex_init(&l->lock);
    l->engine = corr_engine_new(NULL);
    l->dirty = g_hash_table_new(NULL, NULL);
    l->thread = g_thread_new("sipladder-load", worker, l);
    return l;
}

void
ui_load_cancel(UiLoad *l)
{
    g_atomic_int_set(&l->cancel, 1);
}

void
ui_load_free(UiLoad *l)
{
    if (!l)
        return;
    g_atomic_int_set(&l->cancel, 1);
    g_atomic_int_set(&l->detached, 1);
    /* no join: closing a tab must not wait for the engine to finish; the
     * worker drops its own reference when it ends */
    if (l->thread) {
        g_thread_unref(l->thread);
        l->thread = NULL;
    }
    load_unref(l);
}

const char *
ui_load_path(const UiLoad *l)
{
    return l->path;
}

gboolean
ui_load_is_done(const UiLoad *l)
{
    return g_atomic_int_get(&l->done);
}

gboolean
ui_load_was_cancelled(const UiLoad *l)
{
    return l->load && ui_load_is_done(l) && corr_load_cancelled(l->load);
}

CorrEngine *
ui_load_engine(UiLoad *l)
{
    return ui_load_is_done(l) ? l->engine : NULL;
}

CorrLoad *
ui_load_result(UiLoad *l)
{
    return ui_load_is_done(l) ? l->load : NULL;
}
