/* sipladder: live capture on an interface. The capture helper program
 * (capture/sipladder-capture.c) holds the privileges and streams a pcap
 * file over a pipe; this source runs it, reads the stream through the
 * file source, and collects the kernel statistics it reports on its
 * standard error. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cap-source.h"
#include "sl-config.h"
#include "status.h"

typedef struct {
    CapSource base;
    CapSource *stream;    /* the pcap stream from the helper */
    GPid pid;
    bool reaped;
    int exit_status;
    int err_fd;           /* the helper's standard error, non-blocking */
    GString *err_text;    /* what it said besides statistics */
    GString *err_line;    /* a partial line */
    CapSourceStats stats;
    CapLiveOptions opts;
    volatile int stopped;
    /* with opts.idle_ms: a thread reads @stream into @queue */
    GThread *reader;
    GAsyncQueue *queue;    /* Queued* */
    gint queued;           /* frames in the queue (atomic) */
    gint queue_dropped;    /* atomic */
    CapReadResult end;     /* how the stream ended, once the reader saw it */
    GError *end_error;
    bool ended;
    struct Queued *held;   /* the frame last returned (its data is borrowed) */
} LiveSource;

/* One frame copied by the reader thread; data follows. A NULL-data item
 * with @last set marks the end of the stream. */
typedef struct Queued {
    CapFrame frame;
    bool last;
    CapReadResult end;
    GError *error;
    uint8_t data[];
} Queued;

char *
cap_capture_helper_path(void)
{
    const char *env = g_getenv("SIPLADDER_CAPTURE");
    if (env && env[0])
        return g_file_test(env, G_FILE_TEST_IS_EXECUTABLE) ? g_strdup(env) : NULL;
    g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *dir = self ? g_path_get_dirname(self) : NULL;
    const char *candidates[] = {
        dir ? "../capture/sipladder-capture" : NULL, /* the build tree */
        dir ? "../../capture/sipladder-capture" : NULL,
        dir ? "sipladder-capture" : NULL,            /* beside the program */
    };
    for (guint i = 0; i < G_N_ELEMENTS(candidates); i++) {
        if (!candidates[i])
            continue;
        g_autofree char *p = g_build_filename(dir, candidates[i], NULL);
        if (g_file_test(p, G_FILE_TEST_IS_EXECUTABLE))
            return g_canonicalize_filename(p, NULL);
    }
    g_autofree char *installed = g_build_filename(SL_LIBEXECDIR, "sipladder-capture", NULL);
    if (g_file_test(installed, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer(&installed);
    return NULL;
}

/* Reads what the helper wrote on its standard error so far: statistics
 * lines update the counters, anything else is kept for messages. */
static void
drain_stderr(LiveSource *ls, bool blocking)
{
    if (ls->err_fd < 0)
        return;
    if (blocking) {
        int fl = fcntl(ls->err_fd, F_GETFL);
        fcntl(ls->err_fd, F_SETFL, fl & ~O_NONBLOCK);
    }
    char buf[1024];
    for (;;) {
        ssize_t n = read(ls->err_fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] != '\n') {
                if (ls->err_line->len < 4096)
                    g_string_append_c(ls->err_line, buf[i]);
                continue;
            }
            unsigned long long r, d, f;
            if (sscanf(ls->err_line->str, "stats received=%llu dropped=%llu ifdropped=%llu", &r,
                       &d, &f) == 3) {
                ls->stats.has_kernel = true;
                ls->stats.kernel_received = r;
                ls->stats.kernel_dropped = d;
                ls->stats.iface_dropped = f;
            } else if (!g_str_has_prefix(ls->err_line->str, "capturing on ") &&
                       ls->err_text->len < 16384) {
                g_string_append_printf(ls->err_text, "%s\n", ls->err_line->str);
            }
            g_string_truncate(ls->err_line, 0);
        }
    }
}

static void
reap(LiveSource *ls)
{
    if (ls->reaped || ls->pid <= 0)
        return;
    int st = 0;
    while (waitpid(ls->pid, &st, 0) < 0 && errno == EINTR)
        ;
    ls->reaped = true;
    ls->exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* The helper's own words, without the trailing newline (borrowed). */
static const char *
helper_message(LiveSource *ls)
{
    g_strchomp(ls->err_text->str);
    ls->err_text->len = strlen(ls->err_text->str);
    return ls->err_text->len ? ls->err_text->str : "the capture helper stopped";
}

static gpointer
reader_main(gpointer p)
{
    LiveSource *ls = p;
    for (;;) {
        CapFrame f;
        GError *e = NULL;
        CapReadResult r = cap_source_next(ls->stream, &f, &e);
        if (r != CAP_READ_FRAME) {
            Queued *q = g_malloc0(sizeof(Queued));
            q->last = true;
            q->end = r;
            q->error = e;
            g_async_queue_push(ls->queue, q);
            return NULL;
        }
        if (g_atomic_int_get(&ls->queued) >= CAP_LIVE_QUEUE) {
            g_atomic_int_inc(&ls->queue_dropped); /* the analysis falls behind */
            continue;
        }
        Queued *q = g_malloc(sizeof(Queued) + f.cap_len);
        q->frame = f;
        q->last = false;
        q->error = NULL;
        memcpy(q->data, f.data, f.cap_len);
        q->frame.data = q->data;
        g_atomic_int_inc(&ls->queued);
        g_async_queue_push(ls->queue, q);
    }
}

/* Reads through the reader thread's queue: CAP_READ_IDLE after
 * opts.idle_ms without a frame. */
static CapReadResult
queue_next(LiveSource *ls, CapFrame *out, GError **error)
{
    g_clear_pointer(&ls->held, g_free);
    if (ls->ended)
        return CAP_READ_END;
    Queued *q = g_async_queue_timeout_pop(ls->queue, (guint64)ls->opts.idle_ms * 1000);
    if (!q)
        return CAP_READ_IDLE;
    if (q->last) {
        ls->ended = true;
        CapReadResult r = q->end;
        if (q->error)
            g_propagate_error(error, q->error);
        g_free(q);
        return r;
    }
    g_atomic_int_dec_and_test(&ls->queued);
    ls->held = q;
    *out = q->frame;
    ls->base.frames++;
    out->frame = ls->base.frames;
    return CAP_READ_FRAME;
}

static CapReadResult
live_next(CapSource *base, CapFrame *out, GError **error)
{
    LiveSource *ls = (LiveSource *)base;
    if (ls->reader) {
        drain_stderr(ls, false);
        g_autoptr(GError) e = NULL;
        CapReadResult r = queue_next(ls, out, &e);
        if (r == CAP_READ_FRAME || r == CAP_READ_IDLE)
            return r;
        reap(ls);
        drain_stderr(ls, true);
        bool clean = ls->exit_status == 0 || (ls->stopped && ls->exit_status == 128 + SIGTERM);
        if (clean && (r == CAP_READ_END || (e && e->code == SL_IO_ERROR_TRUNCATED)))
            return CAP_READ_END;
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_READ, "%s: %s", base->name,
                    ls->err_text->len ? helper_message(ls) : e ? e->message : "capture ended");
        return CAP_READ_ERROR;
    }
    drain_stderr(ls, false);
    g_autoptr(GError) e = NULL;
    CapReadResult r = cap_source_next(ls->stream, out, &e);
    if (r == CAP_READ_FRAME) {
        base->frames = ls->stream->frames;
        return r;
    }
    /* the stream ended: the helper stopped or failed */
    reap(ls);
    drain_stderr(ls, true);
    bool clean = ls->exit_status == 0 || (ls->stopped && ls->exit_status == 128 + SIGTERM);
    if (clean && r == CAP_READ_END)
        return CAP_READ_END;
    if (clean && e && e->code == SL_IO_ERROR_TRUNCATED)
        return CAP_READ_END; /* stopped in the middle of a record */
    g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_READ, "%s: %s", base->name,
                ls->err_text->len ? helper_message(ls) : e ? e->message : "capture ended");
    return CAP_READ_ERROR;
}

static void
live_stop(CapSource *base)
{
    LiveSource *ls = (LiveSource *)base;
    ls->stopped = 1;
    if (ls->pid > 0 && !ls->reaped)
        kill(ls->pid, SIGTERM);
}

static void
live_stats(CapSource *base, CapSourceStats *out)
{
    LiveSource *ls = (LiveSource *)base;
    drain_stderr(ls, false);
    *out = ls->stats;
    out->queue_dropped = (uint64_t)g_atomic_int_get(&ls->queue_dropped);
}

static void
live_free(CapSource *base)
{
    LiveSource *ls = (LiveSource *)base;
    if (ls->pid > 0 && !ls->reaped)
        kill(ls->pid, SIGTERM); /* the reader thread then sees the stream end */
    if (ls->reader) {
        g_thread_join(ls->reader);
        Queued *q;
        while ((q = g_async_queue_try_pop(ls->queue))) {
            if (q->error)
                g_error_free(q->error);
            g_free(q);
        }
        g_async_queue_unref(ls->queue);
    }
    g_free(ls->held);
    if (ls->pid > 0 && !ls->reaped)
        reap(ls);
    cap_source_free(ls->stream);
    if (ls->err_fd >= 0)
        close(ls->err_fd);
    g_string_free(ls->err_text, TRUE);
    g_string_free(ls->err_line, TRUE);
    g_free(base->name);
    g_free(ls);
}

static const CapSourceOps live_ops = {
    .next = live_next,
    .free = live_free,
    .stop = live_stop,
    .stats = live_stats,
};

CapSource *
cap_source_open_live(const char *iface, const CapLiveOptions *opts, GError **error)
{
    g_autofree char *helper = cap_capture_helper_path();
    if (!helper) {
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_OPEN,
                    "%s: the capture helper sipladder-capture was not found (set "
                    "SIPLADDER_CAPTURE to its path)",
                    iface);
        return NULL;
    }
    CapLiveOptions o = opts ? *opts : (CapLiveOptions){ 0 };
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(argv, g_strdup(helper));
    g_ptr_array_add(argv, g_strdup("-i"));
    g_ptr_array_add(argv, g_strdup(iface));
    g_ptr_array_add(argv, g_strdup("--stats"));
    if (o.filter && o.filter[0]) {
        g_ptr_array_add(argv, g_strdup("-f"));
        g_ptr_array_add(argv, g_strdup(o.filter));
    }
    if (o.snaplen > 0) {
        g_ptr_array_add(argv, g_strdup("-s"));
        g_ptr_array_add(argv, g_strdup_printf("%d", o.snaplen));
    }
    if (o.duration_s > 0) {
        g_ptr_array_add(argv, g_strdup("--duration"));
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        g_ptr_array_add(argv, g_strdup(g_ascii_dtostr(buf, sizeof buf, o.duration_s)));
    }
    if (o.max_frames > 0) {
        g_ptr_array_add(argv, g_strdup("--count"));
        g_ptr_array_add(argv, g_strdup_printf("%" G_GUINT64_FORMAT, o.max_frames));
    }
    g_ptr_array_add(argv, NULL);

    GPid pid;
    int out_fd, err_fd;
    g_autoptr(GError) e = NULL;
    if (!g_spawn_async_with_pipes(NULL, (char **)argv->pdata, NULL,
                                  G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL,
                                  &out_fd, &err_fd, &e)) {
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_OPEN, "%s: cannot run %s: %s", iface, helper,
                    e->message);
        return NULL;
    }
    LiveSource *ls = g_new0(LiveSource, 1);
    ls->base.ops = &live_ops;
    ls->base.name = g_strdup(iface);
    ls->pid = pid;
    ls->err_fd = err_fd;
    ls->err_text = g_string_new(NULL);
    ls->err_line = g_string_new(NULL);
    ls->opts = o;
    fcntl(err_fd, F_SETFL, fcntl(err_fd, F_GETFL) | O_NONBLOCK);
    ls->stream = cap_source_open_fd(out_fd, iface, &e);
    if (!ls->stream) {
        /* the helper failed before writing a header: say what it said */
        reap(ls);
        drain_stderr(ls, true);
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_OPEN, "%s",
                    ls->err_text->len ? helper_message(ls) : e->message);
        live_free(&ls->base);
        return NULL;
    }
    if (o.idle_ms > 0) {
        ls->queue = g_async_queue_new();
        ls->reader = g_thread_new("sipladder-capture-reader", reader_main, ls);
    }
    return &ls->base;
}

char **
cap_list_interfaces(GError **error)
{
    g_autofree char *helper = cap_capture_helper_path();
    if (!helper) {
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_OPEN,
                    "the capture helper sipladder-capture was not found");
        return NULL;
    }
    const char *argv[] = { helper, "--list", NULL };
    g_autofree char *out = NULL, *err = NULL;
    int status = 0;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                      error))
        return NULL;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_OPEN, "%s", g_strchomp(err));
        return NULL;
    }
    g_auto(GStrv) lines = g_strsplit(g_strchomp(out), "\n", 0);
    GPtrArray *keep = g_ptr_array_new();
    for (guint i = 0; lines[i]; i++)
        if (lines[i][0])
            g_ptr_array_add(keep, g_strdup(lines[i]));
    g_ptr_array_add(keep, NULL);
    return (char **)g_ptr_array_free(keep, FALSE);
}
