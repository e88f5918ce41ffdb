/* Unit tests: the core loader (correlate/corr-load.c): progress up to the
 * file size, cancel keeping what was read, warnings naming file and frame,
 * calls and streams of a sample. */
#include <glib/gstdio.h>
#include <string.h>

#include "corr-load.h"

typedef struct {
    uint64_t last_done, last_total;
    guint progress_calls;
    guint messages;
    guint cancel_after; /* set the cancel flag after this many messages; 0 never */
    gint cancel;
    GPtrArray *warnings; /* "kind|file|frame|text" */
} Seen;

static void
on_progress(uint64_t done, uint64_t total, gpointer user)
{
    Seen *s = user;
    g_assert_cmpuint(done, >=, s->last_done); /* never goes back */
    g_assert_cmpuint(done, <=, total);
    s->last_done = done;
    s->last_total = total;
    s->progress_calls++;
}

static void
on_message(const CorrLoadFile *f, const SipFound *found, gpointer user)
{
    Seen *s = user;
    s->messages++;
    if (s->cancel_after && s->messages == s->cancel_after)
        g_atomic_int_set(&s->cancel, 1);
}

static void
on_warn(CorrLoadWarnKind kind, const char *file, uint64_t frame, const char *text, gpointer user)
{
    Seen *s = user;
    g_ptr_array_add(s->warnings,
                    g_strdup_printf("%d|%s|%" G_GUINT64_FORMAT "|%s", kind, file, frame, text));
}

static char *
sample(const char *name)
{
    const char *root = g_getenv("SL_SOURCE_DIR");
    return g_build_filename(root ? root : ".", "samples", name, NULL);
}

static CorrLoad *
load(char **files, CorrEngine *e, Seen *s)
{
    s->warnings = g_ptr_array_new_with_free_func(g_free);
    CorrLoadOptions o;
    corr_load_options_init(&o);
    o.engine = e;
    o.media = true;
    o.progress_func = on_progress;
    o.message_func = on_message;
    o.warn_func = on_warn;
    o.user_data = s;
    o.cancel = &s->cancel;
    return corr_load_files(files, &o);
}

static void
test_progress_to_size(void)
{
    g_autofree char *path = sample("flow4-b2bua.pcap");
    GStatBuf st;
    g_assert_cmpint(g_stat(path, &st), ==, 0);
    char *files[] = { path, NULL };
    Seen s = { 0 };
    g_autoptr(CorrEngine) e = corr_engine_new(NULL);
    g_autoptr(CorrLoad) l = load(files, e, &s);
    g_assert_true(corr_load_complete(l));
    g_assert_false(corr_load_cancelled(l));
    g_assert_cmpuint(s.progress_calls, >=, 1);
    g_assert_cmpuint(s.last_total, ==, (uint64_t)st.st_size);
    g_assert_cmpuint(s.last_done, ==, (uint64_t)st.st_size);
    g_assert_cmpuint(s.warnings->len, ==, 0);
    /* the B2BUA's two legs are one call, with the RTP bound to it */
    GPtrArray *calls = corr_engine_calls(e);
    g_assert_cmpuint(calls->len, ==, 1);
    CorrCall *c = g_ptr_array_index(calls, 0);
    g_assert_cmpuint(c->legs->len, ==, 2);
    g_assert_cmpuint(corr_load_streams(l)->len, >, 0);
    g_assert_nonnull(corr_load_stream_info(l));
    g_assert_true(corr_load_stream_info(l)[0].call == c);
    GPtrArray *in = corr_load_inputs(l);
    g_assert_cmpuint(in->len, ==, 1);
    const CorrLoadFile *f = g_ptr_array_index(in, 0);
    g_assert_true(f->complete);
    g_assert_true(f->has_first_frame);
    g_assert_cmpuint(f->size, ==, (uint64_t)st.st_size);
    g_assert_true(corr_load_stream_file(l, 0) == f);
    g_ptr_array_unref(s.warnings);
}

static void
test_cancel_keeps_read(void)
{
    g_autofree char *path = sample("flow4-b2bua.pcap");
    char *files[] = { path, path, NULL };
    Seen s = { .cancel_after = 3 };
    g_autoptr(CorrEngine) e = corr_engine_new(NULL);
    g_autoptr(CorrLoad) l = load(files, e, &s);
    g_assert_true(corr_load_cancelled(l));
    g_assert_false(corr_load_complete(l));
    /* stopped within the frame that set the flag: the messages read stay */
    g_assert_cmpuint(s.messages, >=, 3);
    g_assert_cmpuint(s.messages, <, 14);
    g_assert_cmpuint(corr_engine_messages(e)->len, ==, s.messages);
    g_assert_cmpuint(corr_engine_calls(e)->len, ==, 1);
    /* the second file was never opened */
    g_assert_cmpuint(corr_load_inputs(l)->len, ==, 1);
    const CorrLoadFile *f = g_ptr_array_index(corr_load_inputs(l), 0);
    g_assert_false(f->complete);
    g_assert_cmpuint(s.warnings->len, ==, 0); /* cancelling is no error */
    g_ptr_array_unref(s.warnings);
}

static void
test_truncated_warns(void)
{
    g_autofree char *path = sample("flow4-b2bua.pcap");
    g_autofree char *bytes = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(path, &bytes, &len, NULL));
    g_autofree char *dir = g_dir_make_tmp("sl-load-XXXXXX", NULL);
    g_assert_nonnull(dir);
    g_autofree char *cut = g_build_filename(dir, "cut.pcap", NULL);
    g_assert_true(g_file_set_contents(cut, bytes, 3000, NULL)); /* mid-record */
    char *files[] = { cut, NULL };
    Seen s = { 0 };
    g_autoptr(CorrEngine) e = corr_engine_new(NULL);
    CorrLoad *l = load(files, e, &s);
    g_assert_false(corr_load_complete(l));
    g_assert_false(corr_load_cancelled(l));
    g_assert_cmpuint(s.warnings->len, ==, 1);
    const char *w = g_ptr_array_index(s.warnings, 0);
    g_autofree char *want = g_strdup_printf("%d|%s|6|", CORR_LOAD_WARN_READ, cut);
    g_assert_true(g_str_has_prefix(w, want));
    g_assert_nonnull(strstr(w, "cut.pcap: file is truncated after frame 6"));
    g_assert_nonnull(strstr(w, "the messages up to frame 6 were read"));
    g_assert_cmpuint(corr_engine_messages(e)->len, ==, 6); /* kept */
    corr_load_free(l);
    g_ptr_array_unref(s.warnings);
    g_unlink(cut);
    g_rmdir(dir);
}

static void
test_missing_and_not_capture(void)
{
    g_autofree char *readme = sample("README.md");
    char *files[] = { "/nonexistent/x.pcap", readme, NULL };
    Seen s = { 0 };
    g_autoptr(CorrLoad) l = load(files, NULL, &s);
    g_assert_false(corr_load_complete(l));
    g_assert_cmpuint(corr_load_inputs(l)->len, ==, 0);
    g_assert_cmpuint(s.warnings->len, ==, 2);
    g_assert_true(g_str_has_prefix(g_ptr_array_index(s.warnings, 0), "0|/nonexistent/x.pcap|0|"));
    g_assert_nonnull(strstr(g_ptr_array_index(s.warnings, 1), "not a pcap or pcapng"));
    g_assert_null(corr_load_stream_info(l)); /* no engine, no binding */
    g_ptr_array_unref(s.warnings);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/corr-load/progress-to-size", test_progress_to_size);
    g_test_add_func("/corr-load/cancel-keeps-read", test_cancel_keeps_read);
    g_test_add_func("/corr-load/truncated-warns", test_truncated_warns);
    g_test_add_func("/corr-load/missing-and-not-capture", test_missing_and_not_capture);
    return g_test_run();
}
