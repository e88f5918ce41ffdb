/* Unit tests: the core loader (correlate/corr-load.c): progress up to the
 * file size, cancel keeping what was read, warnings naming file and frame,
 * calls and streams of a sample. */
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "corr-load.h"

typedef struct {
    uint64_t last_done, last_total;
    guint progress_calls;
    guint messages;
    guint cancel_after; /* set the cancel flag after this many messages; 0 never */
    gint cancel;
    GPtrArray *warnings; /* "kind|file|frame|text" */
    gpointer user;
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
    /* the failures begin 14 s after the B2BUA call ends */
    g_autofree char *path = sample("flow4-b2bua.pcap");
    g_autofree char *later = sample("failures.pcap");
    char *files[] = { later, path, NULL };
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
    /* the later file was never opened: the merge had not reached it */
    g_assert_cmpuint(corr_load_inputs(l)->len, ==, 1);
    const CorrLoadFile *f = g_ptr_array_index(corr_load_inputs(l), 0);
    g_assert_cmpstr(f->file, ==, path);
    g_assert_cmpuint(f->index, ==, 1);
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

static guint written_frames; /* records of the last write_capture() */

/* A little-endian microsecond pcap of @copies copies of @sample's records,
 * each copy 1000 s after the one before; cut to @snap bytes a frame when
 * @snap > 0; with link type @linktype when >= 0. Returns its path. */
static char *
write_capture(const char *dir, const char *name, const char *sample_name, guint copies,
              guint32 snap, gint linktype)
{
    g_autofree char *path = sample(sample_name);
    g_autofree guint8 *in = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(path, (char **)&in, &len, NULL));
    g_assert_cmpuint(len, >=, 24);
    g_assert_cmpuint(in[0], ==, 0xd4); /* the samples are little-endian, microseconds */
    GByteArray *out = g_byte_array_new();
    g_byte_array_append(out, in, 24);
    written_frames = 0;
    if (snap)
        memcpy(out->data + 16, &snap, 4);
    if (linktype >= 0) {
        guint32 lt = (guint32)linktype;
        memcpy(out->data + 20, &lt, 4);
    }
    for (guint c = 0; c < copies; c++) {
        for (gsize off = 24; off + 16 <= len;) {
            guint32 hdr[4];
            memcpy(hdr, in + off, 16);
            g_assert_cmpuint(off + 16 + hdr[2], <=, len);
            const guint8 *data = in + off + 16;
            guint32 incl = hdr[2];
            off += 16 + incl;
            hdr[0] += 1000 * c;
            if (snap && incl > snap)
                hdr[2] = incl = snap;
            g_byte_array_append(out, (guint8 *)hdr, 16);
            written_frames++;
            g_byte_array_append(out, data, incl);
        }
    }
    char *file = g_build_filename(dir, name, NULL);
    g_assert_true(g_file_set_contents(file, (char *)out->data, out->len, NULL));
    g_byte_array_unref(out);
    return file;
}

typedef struct {
    const char *path;
    uint64_t at_frame;  /* act when this frame is read */
    int how;            /* 0 truncate to half, 1 overwrite the rest with junk, 2 append records */
    uint64_t frames;
} Change;

static void
change_file(const CorrLoadFile *file, const CapFrame *frame, gpointer user)
{
    Seen *s = user;
    Change *ch = s->user;
    ch->frames = frame->frame;
    if (frame->frame != ch->at_frame)
        return;
    GStatBuf st;
    g_assert_cmpint(g_stat(ch->path, &st), ==, 0);
    FILE *fp = fopen(ch->path, "r+b");
    g_assert_nonnull(fp);
    if (ch->how == 0) {
        g_assert_cmpint(ftruncate(fileno(fp), st.st_size / 2), ==, 0);
    } else if (ch->how == 1) {
        g_assert_cmpint(fseek(fp, st.st_size / 2, SEEK_SET), ==, 0);
        for (off_t i = st.st_size / 2; i < st.st_size; i++)
            fputc((int)((i * 131) & 0xff) | 0x80, fp);
    } else {
        /* as a capture program does: whole records at the end */
        guint8 rec[16 + 2048];
        g_assert_cmpint(fseek(fp, 24, SEEK_SET), ==, 0);
        g_assert_cmpuint(fread(rec, 1, 16, fp), ==, 16);
        guint32 incl;
        memcpy(&incl, rec + 8, 4);
        g_assert_cmpuint(incl, <=, 2048);
        g_assert_cmpuint(fread(rec + 16, 1, incl, fp), ==, incl);
        g_assert_cmpint(fseek(fp, 0, SEEK_END), ==, 0);
        for (int i = 0; i < 10; i++)
            g_assert_cmpuint(fwrite(rec, 1, 16 + incl, fp), ==, 16 + incl);
    }
    g_assert_cmpint(fclose(fp), ==, 0);
}

/* A file that changes while it is read (cut short, overwritten, grown by
 * another program): reading stops with one warning naming the file and
 * the frame, or reads to its end; what came before is kept. Never a
 * crash. The file is large, so that the change lies beyond what any
 * read-ahead holds. */
static void
test_changes_while_read(gconstpointer data)
{
    int how = GPOINTER_TO_INT(data);
    g_autofree char *dir = g_dir_make_tmp("sl-load-XXXXXX", NULL);
    g_assert_nonnull(dir);
    g_autofree char *path = write_capture(dir, "changing.pcap", "flow4-b2bua.pcap", 600, 0, -1);
    guint total = written_frames;
    Change ch = { .path = path, .at_frame = 100, .how = how };
    Seen s = { .user = &ch };
    s.warnings = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(CorrEngine) e = corr_engine_new(NULL);
    CorrLoadOptions o;
    corr_load_options_init(&o);
    o.engine = e;
    o.media = true;
    o.frame_func = change_file;
    o.message_func = on_message;
    o.warn_func = on_warn;
    o.user_data = &s;
    CorrLoad *l = corr_load_files((char *[]){ path, NULL }, &o);
    g_assert_cmpuint(ch.frames, >=, 100);
    g_assert_cmpuint(s.messages, >, 0);
    g_assert_cmpuint(corr_engine_messages(e)->len, ==, s.messages); /* kept */
    if (how == 2) {
        /* grown: read to the end as it was or as it became */
        g_assert_true(corr_load_complete(l));
        g_assert_cmpuint(ch.frames, >=, total);
    } else {
        g_assert_false(corr_load_complete(l));
        g_assert_cmpuint(s.warnings->len, >=, 1);
        gboolean named = FALSE;
        for (guint i = 0; i < s.warnings->len; i++) {
            const char *w = g_ptr_array_index(s.warnings, i);
            if (strstr(w, "changing.pcap") && strstr(w, "frame"))
                named = TRUE;
        }
        g_assert_true(named);
        /* the file ends about half-way: not every copy was read */
        g_assert_cmpuint(ch.frames, <, total);
        g_assert_cmpuint(corr_load_inputs(l)->len, ==, 1);
        const CorrLoadFile *f = g_ptr_array_index(corr_load_inputs(l), 0);
        g_assert_false(f->complete);
    }
    corr_load_free(l);
    g_ptr_array_unref(s.warnings);
    g_unlink(path);
    g_rmdir(dir);
}

/* Frames cut by a small snaplen: each SIP message in one is reported as
 * incomplete (not as the sender's malformed message) and one warning
 * counts the frames cut. */
static void
test_snaplen_warns(void)
{
    g_autofree char *dir = g_dir_make_tmp("sl-load-XXXXXX", NULL);
    g_autofree char *path = write_capture(dir, "snap.pcap", "flow1-direct.pcap", 1, 120, -1);
    Seen s = { 0 };
    g_autoptr(CorrEngine) e = corr_engine_new(NULL);
    CorrLoad *l = load((char *[]){ path, NULL }, e, &s);
    g_assert_true(corr_load_complete(l));
    guint snap = 0, incomplete = 0;
    for (guint i = 0; i < s.warnings->len; i++) {
        const char *w = g_ptr_array_index(s.warnings, i);
        g_assert_nonnull(strstr(w, "snap.pcap"));
        g_assert_null(strstr(w, "MALFORMED"));
        if (atoi(w) == CORR_LOAD_WARN_SNAPLEN) {
            snap++;
            g_assert_nonnull(strstr(w, "at most 120 bytes kept"));
            g_assert_nonnull(strstr(w, "from frame 1,"));
        }
        if (strstr(w, "SIP message incomplete: the capture kept 120 of the frame's"))
            incomplete++;
    }
    g_assert_cmpuint(snap, ==, 1);
    g_assert_cmpuint(incomplete, >=, 1);
    corr_load_free(l);
    g_ptr_array_unref(s.warnings);
    g_unlink(path);
    g_rmdir(dir);
}

/* A link type the decoder does not know: one warning with its number,
 * and the file counts as not analysed. */
static void
test_unknown_link_type(void)
{
    g_autofree char *dir = g_dir_make_tmp("sl-load-XXXXXX", NULL);
    g_autofree char *path = write_capture(dir, "link.pcap", "flow1-direct.pcap", 1, 0, 4242);
    Seen s = { 0 };
    g_autoptr(CorrEngine) e = corr_engine_new(NULL);
    CorrLoad *l = load((char *[]){ path, NULL }, e, &s);
    g_assert_false(corr_load_complete(l));
    g_assert_cmpuint(s.warnings->len, ==, 1);
    const char *w = g_ptr_array_index(s.warnings, 0);
    g_assert_cmpint(atoi(w), ==, CORR_LOAD_WARN_LINK);
    g_assert_nonnull(strstr(w, "link.pcap: link type 4242 (unknown) is not supported"));
    g_assert_cmpuint(corr_engine_messages(e)->len, ==, 0);
    corr_load_free(l);
    g_ptr_array_unref(s.warnings);
    g_unlink(path);
    g_rmdir(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/corr-load/progress-to-size", test_progress_to_size);
    g_test_add_func("/corr-load/cancel-keeps-read", test_cancel_keeps_read);
    g_test_add_func("/corr-load/truncated-warns", test_truncated_warns);
    g_test_add_func("/corr-load/missing-and-not-capture", test_missing_and_not_capture);
    g_test_add_data_func("/corr-load/changes-while-read/truncated", GINT_TO_POINTER(0),
                         test_changes_while_read);
    g_test_add_data_func("/corr-load/changes-while-read/overwritten", GINT_TO_POINTER(1),
                         test_changes_while_read);
    g_test_add_data_func("/corr-load/changes-while-read/grown", GINT_TO_POINTER(2),
                         test_changes_while_read);
    g_test_add_func("/corr-load/snaplen-warns", test_snaplen_warns);
    g_test_add_func("/corr-load/unknown-link-type", test_unknown_link_type);
    return g_test_run();
}
