/* sipladder GUI: loading one capture on a worker thread (see ui-load.h). */
#include "ui-load.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "corr-media.h"
#include "status.h"

/* Frames between two evictions while packets flow (and at every post
 * after frames came). */
#define UI_LOAD_EVICT_FRAMES 4096

struct UiLoad {
    gint refs;
    char *path;            /* the (first) file; live: the capture file written (may be NULL) */
    char **paths;          /* files: every file, read as one capture */
    char *keylog_path;     /* TLS key log file to read, or NULL */
    SlLimits limits;       /* bounds on memory, for the loader */
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
    GPtrArray *unsent;     /* UiCallRow* taken but not posted yet */
    gint64 last_post_us;
    gint rows_pending;     /* a rows post waits on the main context */
    gint progress_pending;
    gint64 last_progress_us; /* worker: when progress was last posted */
    gint live_pending;
    GMutex lock;           /* guards the progress figures, source and stats */
    uint64_t done_bytes, total_bytes;
    /* live sources */
    UiLiveSpec *live;      /* NULL for files */
    CapSource *source;     /* while open: read by the worker only; set, cleared
                            * and stopped under lock */
    gint stop;             /* ui_load_stop ran */
    UiLiveStats stats;     /* under lock */
    UiLiveStats posted;    /* main thread: the figures last posted */
    uint64_t frames;       /* worker: frames analysed */
    uint64_t evicted_at;   /* worker: frames analysed at the last eviction */
    pcap_t *dead;          /* worker: the capture file being written */
    pcap_dumper_t *dumper;
    bool pcap_failed;      /* it could not be opened or written: no more */
    bool file_full;        /* it reached UiLiveSpec.file_limit: no more */
    uint64_t written;      /* frames written to it */
    uint64_t file_bytes;   /* its size once what is written is flushed */
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
    if (l->live && l->path)
        g_unlink(l->path); /* the capture file is ours */
    g_free(l->path);
    g_strfreev(l->paths);
    g_free(l->keylog_path);
    corr_engine_free(l->engine); /* its calls borrow the loader's streams */
    corr_load_free(l->load);
    if (l->dirty)
        g_hash_table_destroy(l->dirty);
    g_ptr_array_unref(l->unsent);
    ui_live_spec_free(l->live);
    g_main_context_unref(l->context);
    g_mutex_clear(&l->lock);
    g_free(l);
}

/* ------------------------------------------------------------ rows */

UiCallRow *
ui_call_row_new(const CorrCall *c)
{
    UiCallRow *r = g_new0(UiCallRow, 1);
    r->key = c;
    r->id = c->id;
    r->kind = c->kind;
    r->removed = c->dead;
    r->evicted = false;
    r->start = c->start;
    r->caller = g_strdup(c->caller);
    r->caller_display = g_strdup(c->caller_display);
    r->callee = g_strdup(c->callee);
    r->callee_display = g_strdup(c->callee_display);
    r->state = corr_call_filter_state(c);
    r->duration_s = c->duration_s;
    r->pdd_ms = c->pdd_ms;
    r->legs = c->legs ? c->legs->len : 0;
    r->streams = c->streams ? c->streams->len : 0;
    r->findings = c->findings ? c->findings->len : 0;
    r->msgs = c->msgs ? c->msgs->len : 0;
    r->mos = c->mos_worst;
    CorrCallTerms t;
    corr_call_terms_init(&t, c);
    r->call_ids = t.call_ids; /* taken */
    r->addrs = t.addrs;
    r->methods = t.methods;
    r->words = t.words;
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
ui_call_row_subject(const UiCallRow *r, CorrFilterSubject *out)
{
    *out = (CorrFilterSubject){
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

typedef enum { POST_ROWS, POST_PROGRESS, POST_WARNING, POST_LIVE, POST_DONE } PostKind;

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
    case POST_LIVE:
        g_atomic_int_set(&l->live_pending, 0);
        g_mutex_lock(&l->lock);
        l->posted = l->stats;
        g_mutex_unlock(&l->lock);
        if (l->cb.live)
            l->cb.live(l, &l->posted, l->user);
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

static gint
row_start_cmp(gconstpointer a, gconstpointer b)
{
    const UiCallRow *x = *(const UiCallRow *const *)a, *y = *(const UiCallRow *const *)b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Worker: snapshots of the calls that changed, to post. A live capture
 * shows its calls as they are now (state, caller, timings); a file's show
 * what was read until the load ends. */
static void
take_dirty(UiLoad *l)
{
    GHashTableIter it;
    gpointer call;
    guint first = l->unsent->len;
    g_hash_table_iter_init(&it, l->dirty);
    while (g_hash_table_iter_next(&it, &call, NULL)) {
        if (l->live)
            corr_engine_update_call(l->engine, call);
        g_ptr_array_add(l->unsent, ui_call_row_new(call));
    }
    g_hash_table_remove_all(l->dirty);
    /* new lines go to the end of the list in the order the calls began */
    if (l->unsent->len - first > 1)
        qsort(l->unsent->pdata + first, l->unsent->len - first, sizeof(gpointer), row_start_cmp);
}

/* Worker: posts the rows taken; @force even while a post waits. */
static void
post_unsent(UiLoad *l, bool force)
{
    if (l->unsent->len == 0 || (!force && g_atomic_int_get(&l->rows_pending)))
        return;
    Post *m = g_new0(Post, 1);
    m->kind = POST_ROWS;
    m->rows = l->unsent;
    l->unsent = g_ptr_array_new_with_free_func(ui_call_row_free);
    g_atomic_int_set(&l->rows_pending, 1);
    l->last_post_us = g_get_monotonic_time();
    post(l, m);
}

/* Worker: the calls that changed, unless the previous batch still waits. */
static void
post_dirty(UiLoad *l)
{
    if (g_atomic_int_get(&l->rows_pending))
        return;
    take_dirty(l);
    post_unsent(l, false);
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
    /* at most every UI_LOAD_POST_MS, as rows: each post redraws the bar
     * (and more), work the main thread would take from the loader */
    gint64 now = g_get_monotonic_time();
    if (!g_atomic_int_get(&l->progress_pending) &&
        (done >= total || now - l->last_progress_us >= UI_LOAD_POST_MS * 1000)) {
        l->last_progress_us = now;
        g_atomic_int_set(&l->progress_pending, 1);
        Post *m = g_new0(Post, 1);
        m->kind = POST_PROGRESS;
        post(l, m);
    }
    if (now - l->last_post_us >= UI_LOAD_POST_MS * 1000)
        post_dirty(l);
}

static void
post_warning(UiLoad *l, CorrLoadWarnKind kind, const char *text)
{
    Post *m = g_new0(Post, 1);
    m->kind = POST_WARNING;
    m->warn_kind = kind;
    m->text = g_strdup(text);
    post(l, m);
}

static void
on_warn(CorrLoadWarnKind kind, const char *file, uint64_t frame, const char *text, gpointer user)
{
    post_warning(user, kind, text);
}

/* Worker: the live figures, unless a post of them still waits (@force:
 * anyway; the main thread reads the figures when the post runs). */
static void
post_live(UiLoad *l, bool force)
{
    if (!force && g_atomic_int_get(&l->live_pending))
        return;
    g_atomic_int_set(&l->live_pending, 1);
    Post *m = g_new0(Post, 1);
    m->kind = POST_LIVE;
    post(l, m);
}

/* ------------------------------------------------------------ live sources
 *
 * The worker reads the source with CapLiveOptions.idle_ms, so that a quiet
 * line wakes it (the loader's idle_func) as packets do (its frame_func):
 * between two frames it evicts, posts the rows and takes the figures, which
 * only the thread that reads the source may do (cap_source_stats). An
 * interface's frames wait in the source's own bounded queue, filled by its
 * reader thread; what does not fit is counted (CapSourceStats.queue_dropped). */

static void
on_evicted(CorrCall *call, gpointer user)
{
    UiLoad *l = user;
    UiCallRow *r = ui_call_row_new(call);
    r->evicted = true;
    g_ptr_array_add(l->unsent, r);
    g_hash_table_remove(l->dirty, call);
}

/* Worker, between frames: forgets finished calls beyond the bound; their
 * rows go out marked evicted, after the rows taken before. */
static void
live_evict(UiLoad *l, uint64_t frames)
{
    l->evicted_at = frames;
    if (l->live->keep_calls == 0)
        return;
    take_dirty(l); /* no snapshot may be taken of a freed call */
    corr_engine_evict(l->engine, l->live->keep_calls, on_evicted, l);
    g_mutex_lock(&l->lock);
    l->stats.evicted = corr_engine_evicted(l->engine);
    g_mutex_unlock(&l->lock);
}

/* "it keeps the first 3 packets" (caller owns). */
static char *
keeps_text(uint64_t n)
{
    if (n == 0)
        return g_strdup("it keeps no packet");
    if (n == 1)
        return g_strdup("it keeps the first packet");
    return g_strdup_printf("it keeps the first %" G_GUINT64_FORMAT " packets", n);
}

/* Worker: writing the capture file failed (a full disk, most likely). It
 * is cut back to what the last good flush held, which Save still copies,
 * and written no more; the warning and the status line say so. */
static void
live_file_failed(UiLoad *l, int err)
{
    g_mutex_lock(&l->lock);
    uint64_t keep = l->stats.saved_bytes, kept = l->stats.saved_frames;
    l->stats.file_failed = true;
    g_mutex_unlock(&l->lock);
    pcap_dump_close(l->dumper); /* its last flush may fail too: cut after it */
    l->dumper = NULL;
    l->pcap_failed = true;
    if (truncate(l->path, (off_t)keep) != 0 && errno != EINVAL)
        g_debug("%s: cannot cut back to %" G_GUINT64_FORMAT " bytes", l->path, keep);
    g_autofree char *keeps = keeps_text(kept);
    g_autofree char *text = g_strdup_printf(
        "Cannot write the capture file %s: %s; %s, later ones are analysed but cannot be saved",
        l->path, g_strerror(err ? err : EIO), keeps);
    post_warning(l, CORR_LOAD_WARN_READ, text);
    post_live(l, true);
}

/* Worker: flushes the capture file; what it holds now can be copied. */
static void
live_flush(UiLoad *l)
{
    if (!l->dumper)
        return;
    errno = 0;
    if (pcap_dump_flush(l->dumper) != 0 || ferror(pcap_dump_file(l->dumper))) {
        live_file_failed(l, errno);
        return;
    }
    g_mutex_lock(&l->lock);
    l->stats.saved_bytes = l->file_bytes;
    l->stats.saved_frames = l->written;
    g_mutex_unlock(&l->lock);
}

/* Worker: frame @frame would take the capture file past its bound: it
 * stops there, so that it stays a whole prefix of the capture (frame k
 * is record k, which Save Selected Calls relies on). */
static void
live_file_full(UiLoad *l, uint64_t frame)
{
    l->file_full = true;
    live_flush(l);
    if (l->pcap_failed)
        return; /* that last flush failed: live_file_failed said so */
    g_mutex_lock(&l->lock);
    l->stats.file_full = true;
    g_mutex_unlock(&l->lock);
    g_autofree char *size = g_format_size_full(l->live->file_limit, G_FORMAT_SIZE_IEC_UNITS);
    g_autofree char *keeps = keeps_text(l->written);
    g_autofree char *text = g_strdup_printf(
        "The capture file %s reached its bound of %s at frame %" G_GUINT64_FORMAT
        ": %s, later ones are analysed but not saved (the bound is in Preferences)",
        l->path, size, frame, keeps);
    post_warning(l, CORR_LOAD_WARN_LIMIT, text);
    post_live(l, true);
}

/* Worker, between frames: at most every UI_LOAD_POST_MS, the rows and the
 * figures. */
static void
live_tick(UiLoad *l)
{
    gint64 now = g_get_monotonic_time();
    if (now - l->last_post_us < UI_LOAD_POST_MS * 1000)
        return;
    if (l->frames != l->evicted_at)
        live_evict(l, l->frames);
    post_dirty(l);
    l->last_post_us = now;
    live_flush(l);
    CapSourceStats st;
    cap_source_stats(l->source, &st);
    g_mutex_lock(&l->lock);
    l->stats.frames = l->frames;
    l->stats.source = st;
    g_mutex_unlock(&l->lock);
    post_live(l, false);
}

static void
on_idle(double quiet_s, gpointer user)
{
    live_tick(user);
}

/* Every frame read, before it is analysed: now and then the rows, figures
 * and evictions (of what came before it), then the capture file. */
static void
on_frame(const CorrLoadFile *file, const CapFrame *f, gpointer user)
{
    UiLoad *l = user;
    if (l->frames - l->evicted_at >= UI_LOAD_EVICT_FRAMES)
        live_evict(l, l->frames);
    live_tick(l);
    l->frames++;
    if (!l->path || l->pcap_failed || l->file_full)
        return;
    if (!l->dumper) {
        l->dead = pcap_open_dead_with_tstamp_precision(f->linktype, 262144,
                                                       PCAP_TSTAMP_PRECISION_NANO);
        l->dumper = l->dead ? pcap_dump_open(l->dead, l->path) : NULL;
        if (!l->dumper) {
            l->pcap_failed = true;
            g_mutex_lock(&l->lock);
            l->stats.file_failed = true; /* said on the status line and by Save */
            g_mutex_unlock(&l->lock);
            g_autofree char *text = g_strdup_printf(
                "Cannot write the capture file %s: %s; what is captured cannot be saved", l->path,
                l->dead ? pcap_geterr(l->dead) : "libpcap could not start");
            post_warning(l, CORR_LOAD_WARN_READ, text);
            post_live(l, true);
            return;
        }
        l->file_bytes = 24; /* the file header */
    }
    if (f->linktype != pcap_datalink(l->dead))
        return; /* one source, one link type */
    uint64_t record = 16 + (uint64_t)f->cap_len;
    if (l->live->file_limit && l->file_bytes + record > l->live->file_limit) {
        live_file_full(l, l->frames);
        return;
    }
    struct pcap_pkthdr h = { 0 };
    h.ts.tv_sec = (time_t)(f->ts / SL_TIME_SECOND);
    h.ts.tv_usec = (suseconds_t)(f->ts % SL_TIME_SECOND); /* ns: opened with NANO */
    h.caplen = f->cap_len;
    h.len = f->wire_len;
    errno = 0;
    pcap_dump((u_char *)l->dumper, &h, f->data); /* frame k is record k: Save Selected Calls */
    if (ferror(pcap_dump_file(l->dumper))) {
        live_file_failed(l, errno); /* the stream's buffer could not be written out */
        return;
    }
    l->written++;
    l->file_bytes += record;
}

static CapSource *
live_open(const UiLiveSpec *spec, GError **error)
{
    CapLiveOptions o = { .idle_ms = UI_LOAD_POST_MS };
    if (spec->kind == UI_LIVE_HEP)
        return cap_source_open_hep(spec->name, &o, error);
    o.filter = spec->filter;
    return cap_source_open_live(spec->name, &o, error);
}

/* Worker: opens the source, reads it until it ends, and closes the
 * capture file. */
static CorrLoad *
live_load(UiLoad *l, CorrLoadOptions *o)
{
    g_autoptr(GError) error = NULL;
    CapSource *src = live_open(l->live, &error);
    if (!src) {
        post_warning(l, CORR_LOAD_WARN_OPEN, error->message);
        char *none[] = { NULL };
        return corr_load_files(none, o); /* no input: the tab says so and goes */
    }
    g_mutex_lock(&l->lock);
    l->source = src;
    l->stats.started = l->stats.running = true;
    gboolean stop = g_atomic_int_get(&l->stop);
    g_mutex_unlock(&l->lock);
    if (stop)
        cap_source_stop(src); /* stopped while it opened */
    post_live(l, true);
    o->frame_func = on_frame;
    o->idle_func = on_idle;
    CorrLoad *ld = corr_load_source(src, o);
    live_flush(l);
    if (l->dumper)
        pcap_dump_close(l->dumper);
    if (l->dead)
        pcap_close(l->dead);
    l->dumper = NULL;
    l->dead = NULL;
    CapSourceStats st;
    cap_source_stats(src, &st); /* the last figures, the source having ended */
    g_mutex_lock(&l->lock);
    l->source = NULL;
    l->stats.running = false;
    l->stats.frames = l->frames;
    l->stats.source = st;
    l->stats.evicted = corr_engine_evicted(l->engine);
    g_mutex_unlock(&l->lock);
    cap_source_free(src); /* now: a HEP port is free again at Stop (the load keeps
                           * its own copy of the source's name) */
    post_unsent(l, true); /* evicted rows the final rows do not hold */
    post_live(l, true);
    return ld;
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
    o.warn_func = on_warn;
    o.user_data = l;
    o.cancel = &l->cancel;
    o.limits = &l->limits;
    g_autoptr(TlsKeyLog) keylog = NULL;
    if (l->keylog_path) {
        g_autoptr(GError) error = NULL;
        keylog = tls_keylog_new();
        if (tls_keylog_load_file(keylog, l->keylog_path, &error)) {
            o.tls_keylog = keylog;
        } else {
            /* a warning, not an error: the capture loads, TLS stays encrypted */
            g_autofree char *text =
                g_strdup_printf("TLS key log not used, SIP over TLS is not decrypted: %s",
                                error->message);
            post_warning(l, CORR_LOAD_WARN_READ, text);
        }
    }
    if (l->live) {
        l->load = live_load(l, &o);
    } else {
        o.progress_func = on_progress;
        l->load = corr_load_files(l->paths, &o);
    }
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

static UiLoad *
load_new(const char *path, const char *keylog, const SlLimits *limits, const UiLoadCallbacks *cb,
         gpointer user)
{
    UiLoad *l = g_new0(UiLoad, 1);
    if (limits)
        l->limits = *limits;
    else
        sl_limits_init(&l->limits);
    l->refs = 2; /* the caller's and the worker's */
    l->path = g_strdup(path);
    l->keylog_path = g_strdup(keylog);
    l->cb = *cb;
    l->user = user;
    l->context = g_main_context_ref_thread_default();
    g_mutex_init(&l->lock);
    l->engine = corr_engine_new(NULL);
    l->dirty = g_hash_table_new(NULL, NULL);
    l->unsent = g_ptr_array_new_with_free_func(ui_call_row_free);
    return l;
}

UiLoad *
ui_load_start(const char *path, const char *tls_keylog, const SlLimits *limits,
              const UiLoadCallbacks *cb, gpointer user)
{
    g_return_val_if_fail(path != NULL, NULL);
    const char *const paths[] = { path, NULL };
    return ui_load_start_files(paths, tls_keylog, limits, cb, user);
}

UiLoad *
ui_load_start_files(const char *const *paths, const char *tls_keylog, const SlLimits *limits,
                    const UiLoadCallbacks *cb, gpointer user)
{
    g_return_val_if_fail(paths != NULL && paths[0] != NULL && cb != NULL, NULL);
    UiLoad *l = load_new(paths[0], tls_keylog, limits, cb, user);
    l->paths = g_strdupv((char **)paths);
    l->thread = g_thread_new("sipladder-load", worker, l);
    return l;
}

UiLoad *
ui_load_start_live(const UiLiveSpec *spec, const char *pcap_path, const char *tls_keylog,
                   const SlLimits *limits, const UiLoadCallbacks *cb, gpointer user)
{
    g_return_val_if_fail(spec != NULL && cb != NULL, NULL);
    UiLoad *l = load_new(pcap_path, tls_keylog, limits, cb, user);
    l->live = ui_live_spec_copy(spec);
    l->stats.keep_calls = spec->keep_calls;
    l->stats.file_limit = spec->file_limit;
    l->posted = l->stats;
    l->thread = g_thread_new("sipladder-load", worker, l);
    return l;
}

void
ui_load_cancel(UiLoad *l)
{
    g_atomic_int_set(&l->cancel, 1);
}

void
ui_load_stop(UiLoad *l)
{
    if (!l->live)
        return;
    g_mutex_lock(&l->lock);
    g_atomic_int_set(&l->stop, 1);
    if (l->source)
        cap_source_stop(l->source);
    g_mutex_unlock(&l->lock);
}

gboolean
ui_load_is_live(const UiLoad *l)
{
    return l->live != NULL;
}

void
ui_load_live_stats(UiLoad *l, UiLiveStats *out)
{
    *out = l->posted;
}

void
ui_load_free(UiLoad *l)
{
    if (!l)
        return;
    g_atomic_int_set(&l->cancel, 1);
    g_atomic_int_set(&l->detached, 1);
    ui_load_stop(l); /* a capture waiting for packets ends too */
    if (l->live && l->path)
        g_unlink(l->path); /* now: the worker may outlive the program; writes go nowhere */
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

/* ------------------------------------------------------------ saving a capture */

typedef struct {
    UiLoad *load;
    char *dest;
    uint64_t bytes, frames;
} CopyJob;

static void
copy_job_free(gpointer p)
{
    CopyJob *j = p;
    load_unref(j->load);
    g_free(j->dest);
    g_free(j);
}

static void
copy_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancel)
{
    CopyJob *j = data;
    FILE *in = g_fopen(j->load->path, "rb");
    if (!in) {
        int e = errno;
        g_task_return_new_error(task, SL_IO_ERROR, SL_IO_ERROR_OPEN, "Cannot read %s: %s",
                                j->load->path, g_strerror(e));
        return;
    }
    FILE *out = g_fopen(j->dest, "wb");
    if (!out) {
        int e = errno;
        fclose(in);
        g_task_return_new_error(task, SL_IO_ERROR, SL_IO_ERROR_WRITE, "Cannot write %s: %s",
                                j->dest, g_strerror(e));
        return;
    }
    char buf[65536];
    uint64_t left = j->bytes;
    bool ok = true;
    while (left && ok) {
        size_t n = fread(buf, 1, MIN(left, sizeof buf), in);
        if (n == 0) {
            /* the capture file is shorter than it was (cut back after a
             * failed write) or cannot be read: a fault of the source */
            int e = ferror(in) ? errno : 0;
            fclose(in);
            fclose(out);
            g_unlink(j->dest);
            g_task_return_new_error(task, SL_IO_ERROR, SL_IO_ERROR_OPEN, "Cannot read %s: %s",
                                    j->load->path, e ? g_strerror(e) : "it ended early");
            return;
        }
        ok = fwrite(buf, 1, n, out) == n;
        left -= n;
    }
    int e = errno;
    ok = fclose(out) == 0 && ok;
    fclose(in);
    if (!ok) {
        g_task_return_new_error(task, SL_IO_ERROR, SL_IO_ERROR_WRITE, "Cannot write %s: %s",
                                j->dest, g_strerror(e));
        return;
    }
    g_task_return_int(task, (gssize)j->frames);
}

void
ui_load_save_capture_async(UiLoad *l, const char *dest, GAsyncReadyCallback done, gpointer user)
{
    g_autoptr(GTask) task = g_task_new(NULL, NULL, done, user);
    g_mutex_lock(&l->lock);
    uint64_t bytes = l->stats.saved_bytes, frames = l->stats.saved_frames;
    bool failed = l->stats.file_failed;
    g_mutex_unlock(&l->lock);
    if (!l->live || !l->path || frames == 0) {
        g_task_return_new_error(task, SL_IO_ERROR, SL_IO_ERROR_WRITE,
                                !l->live || !l->path ? "This capture keeps no file to save"
                                : failed ? "The capture file could not be written"
                                                       : "No packet has been captured yet");
        return;
    }
    CopyJob *j = g_new0(CopyJob, 1);
    j->load = load_ref(l); /* the capture file stays while it is copied */
    j->dest = g_strdup(dest);
    j->bytes = bytes;
    j->frames = frames;
    g_task_set_task_data(task, j, copy_job_free);
    g_task_run_in_thread(task, copy_thread);
}

gint64
ui_load_save_capture_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_int(G_TASK(res), error);
}
