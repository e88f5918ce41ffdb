/* sipladder GUI: loading one capture on a worker thread, from a file or
 * from a live source (an interface or a HEP listener).
 *
 * The correlation engine is not thread-safe, so the worker owns it (and
 * the loader's stream tables) until the load ends: meanwhile the main
 * thread only gets snapshots (UiCallRow), coalesced and posted to the
 * main context at most every UI_LOAD_POST_MS, and progress. When the
 * done callback runs, the worker has exited and the engine belongs to the
 * main thread (ui_load_engine).
 *
 * The worker reads a live source with CapLiveOptions.idle_ms (an
 * interface's frames wait in the source's queue, filled by its capture
 * thread: STYLE.md section 8), so that even when no packet comes it posts
 * what changed and the figures (UiLiveStats), and evicts finished calls
 * beyond UiLiveSpec.keep_calls. Every frame goes to a pcap file as well,
 * which ui_load_save_capture_async copies. */
#pragma once

#include <gio/gio.h>

#include "corr-load.h"
#include "corr.h"
#include "corr-filter.h"
#include "ui-live.h"

G_BEGIN_DECLS

#define UI_LOAD_POST_MS 100

/* One line of the call list: a copy of what a call shows, so that the
 * main thread never reads the engine while the worker writes it. */
typedef struct {
    gconstpointer key;  /* the CorrCall: an identity only, while loading */
    guint id;
    CorrKind kind;
    bool removed;       /* merged into another call */
    bool evicted;       /* freed by corr_engine_evict (live captures): only
                         * this row is left; its key was the freed call */
    SlTime start;
    char *caller, *caller_display, *callee, *callee_display;
    char *state;
    double duration_s;  /* -1: never answered */
    int64_t pdd_ms;     /* -1: not applicable */
    guint legs, streams, findings, msgs;
    double mos;         /* worst MOS, -1 when none */
    char **call_ids, **addrs, **methods, **words; /* for the filter */
} UiCallRow;

/* A snapshot of @c (caller owns, ui_call_row_free). */
UiCallRow *ui_call_row_new(const CorrCall *c);
void ui_call_row_free(gpointer row);
/* The filter's view of @r (borrows from @r). */
void ui_call_row_subject(const UiCallRow *r, CorrFilterSubject *out);

typedef struct UiLoad UiLoad;

/* Every callback runs on the main context that called ui_load_start. */
typedef struct {
    /* @rows: UiCallRow* (the callee takes the array). With @final, every
     * call of the finished engine (ids final); else the calls that
     * changed since the last post. */
    void (*rows)(UiLoad *load, GPtrArray *rows, gboolean final, gpointer user_data);
    void (*progress)(UiLoad *load, uint64_t done, uint64_t total, gpointer user_data);
    void (*warning)(UiLoad *load, CorrLoadWarnKind kind, const char *text, gpointer user_data);
    /* The worker has exited; the engine is the main thread's now. */
    void (*done)(UiLoad *load, gpointer user_data);
    /* Live sources: the figures changed (borrowed for the call). */
    void (*live)(UiLoad *load, const UiLiveStats *stats, gpointer user_data);
} UiLoadCallbacks;

/* Starts loading @path (copied). @tls_keylog: a TLS key log file (copied;
 * NULL for none) the worker reads first to decrypt SIP over TLS; when it
 * cannot be read, a CORR_LOAD_WARN_READ warning says so and the load goes
 * on without it. @limits (copied; NULL: the defaults) bound memory; each
 * one hit comes as a CORR_LOAD_WARN_LIMIT warning. Caller owns the result (ui_load_free). */
UiLoad *ui_load_start(const char *path, const char *tls_keylog, const SlLimits *limits,
                      const UiLoadCallbacks *cb, gpointer user_data);
/* Starts loading @paths (NULL-terminated, copied) as one capture: the
 * frames of every file in time order (corr_load_files). The rest as for
 * ui_load_start. */
UiLoad *ui_load_start_files(const char *const *paths, const char *tls_keylog,
                            const SlLimits *limits, const UiLoadCallbacks *cb,
                            gpointer user_data);
/* Starts capturing from what @spec says (copied). The worker opens the
 * source (failing that, a CORR_LOAD_WARN_OPEN warning, and the load ends
 * with no input), writes every frame to @pcap_path (created at the first
 * frame; NULL: not written) up to UiLiveSpec.file_limit or a write error
 * (a warning and UiLiveStats.file_full / file_failed say so; the file
 * stays a whole prefix of the capture) and reads until ui_load_stop(). Rows of calls
 * evicted from memory come with evicted set, before any later row that
 * may reuse their key. @tls_keylog and @limits as for ui_load_start. */
UiLoad *ui_load_start_live(const UiLiveSpec *spec, const char *pcap_path, const char *tls_keylog,
                           const SlLimits *limits, const UiLoadCallbacks *cb,
                           gpointer user_data);
/* Asks the worker to stop; what it read stays (done still follows). */
void ui_load_cancel(UiLoad *l);
/* Live: ends the capture (cap_source_stop); the worker reads what was
 * captured, finishes the load and calls done. Nothing for files. */
void ui_load_stop(UiLoad *l);
gboolean ui_load_is_live(const UiLoad *l);
/* Live: the latest figures posted (main thread). */
void ui_load_live_stats(UiLoad *l, UiLiveStats *out);
/* Live: copies what was captured so far (every frame flushed to the
 * capture file; all it holds once stopped) to @dest on a worker thread;
 * the finish gives the packet count, or -1 with @error set. */
void ui_load_save_capture_async(UiLoad *l, const char *dest, GAsyncReadyCallback done,
                                gpointer user_data);
gint64 ui_load_save_capture_finish(GAsyncResult *res, GError **error);
/* Cancels and drops pending callbacks; the worker frees what is left
 * when it ends (no waiting here). */
void ui_load_free(UiLoad *l);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UiLoad, ui_load_free)

/* Another reference: the engine and loader stay while one is held (a
 * worker laying out a call holds one). Thread-safe. */
gpointer ui_load_ref(gpointer l);
void ui_load_unref(gpointer l);

const char *ui_load_path(const UiLoad *l);
gboolean ui_load_is_done(const UiLoad *l);
gboolean ui_load_was_cancelled(const UiLoad *l);
/* After done (NULL before): the engine and the loader (borrowed, valid
 * while @l lives). */
CorrEngine *ui_load_engine(UiLoad *l);
CorrLoad *ui_load_result(UiLoad *l);

G_END_DECLS
