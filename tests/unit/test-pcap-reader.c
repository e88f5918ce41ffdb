/* The fast pcap reader of cap_source_open_file() against libpcap's own
 * (cap_source_open_fd() reads through libpcap): the same frames, times,
 * lengths and bytes, and the same outcome and message at the end, on
 * files of both byte orders and time precisions, with records longer than
 * the snapshot length, records larger than a read, and files cut at every
 * byte of their last records; and a file cut while it is being read. */
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cap-source.h"
#include "status.h"

typedef struct {
    bool swapped; /* written in the other byte order */
    bool nano;
    uint32_t snaplen;
    uint32_t linktype;
} FileKind;

static void
put32(GByteArray *b, uint32_t v, bool swapped)
{
    if (swapped)
        v = GUINT32_SWAP_LE_BE(v);
    g_byte_array_append(b, (const guint8 *)&v, 4);
}

static void
put16(GByteArray *b, uint16_t v, bool swapped)
{
    if (swapped)
        v = GUINT16_SWAP_LE_BE(v);
    g_byte_array_append(b, (const guint8 *)&v, 2);
}

static void
header(GByteArray *b, const FileKind *k)
{
    put32(b, k->nano ? 0xa1b23c4du : 0xa1b2c3d4u, k->swapped);
    put16(b, 2, k->swapped);
    put16(b, 4, k->swapped);
    put32(b, 0, k->swapped);
    put32(b, 0, k->swapped);
    put32(b, k->snaplen, k->swapped);
    put32(b, k->linktype, k->swapped);
}

static void
record(GByteArray *b, const FileKind *k, uint32_t sec, uint32_t frac, uint32_t caplen,
       uint32_t wire_len, GRand *r)
{
    put32(b, sec, k->swapped);
    put32(b, frac, k->swapped);
    put32(b, caplen, k->swapped);
    put32(b, wire_len, k->swapped);
    for (uint32_t i = 0; i < caplen; i++) {
        guint8 v = (guint8)g_rand_int(r);
        g_byte_array_append(b, &v, 1);
    }
}

/* Records of every size class: empty, small, Ethernet-sized, larger than
 * a read (256 KiB) up to the maximum, longer than the snapshot length
 * (kept whole by the file, cut by the readers), and odd times: seconds
 * past 2038, fractions past one second. */
static GByteArray *
make_file(const FileKind *k, guint32 seed, size_t n)
{
    g_autoptr(GRand) r = g_rand_new_with_seed(seed);
    GByteArray *b = g_byte_array_new();
    header(b, k);
    for (size_t i = 0; i < n; i++) {
        uint32_t caplen;
        switch (g_rand_int_range(r, 0, 20)) {
        case 0:
            caplen = 0;
            break;
        case 1:
            caplen = (uint32_t)g_rand_int_range(r, 200000, 262145);
            break;
        case 2:
            caplen = k->snaplen + (uint32_t)g_rand_int_range(r, 1, 100);
            break;
        default:
            caplen = (uint32_t)g_rand_int_range(r, 1, 1600);
            break;
        }
        if (caplen > 262144)
            caplen = 262144;
        uint32_t sec = g_rand_boolean(r) ? 1700000000u + (uint32_t)i : g_rand_int(r);
        uint32_t frac = g_rand_int_range(r, 0, 8) == 0 ? g_rand_int(r)
                                                        : (uint32_t)g_rand_int_range(r, 0, 1000000);
        record(b, k, sec, frac, caplen, caplen + (uint32_t)g_rand_int_range(r, 0, 3), r);
    }
    return b;
}

typedef struct {
    GArray *frames; /* CapFrame, data pointing into @bytes */
    GByteArray *bytes;
    CapReadResult end;
    int code;
    char *message;
} Run;

static void
run_free(Run *run)
{
    g_array_unref(run->frames);
    g_byte_array_unref(run->bytes);
    g_free(run->message);
    g_free(run);
}

static Run *
read_all(CapSource *src)
{
    Run *run = g_new0(Run, 1);
    run->frames = g_array_new(FALSE, FALSE, sizeof(CapFrame));
    run->bytes = g_byte_array_new();
    GArray *offsets = g_array_new(FALSE, FALSE, sizeof(guint));
    GError *error = NULL;
    CapFrame f;
    while ((run->end = cap_source_next(src, &f, &error)) == CAP_READ_FRAME) {
        guint off = run->bytes->len;
        g_array_append_val(offsets, off);
        g_byte_array_append(run->bytes, f.data, f.cap_len);
        g_array_append_val(run->frames, f);
    }
    for (guint i = 0; i < run->frames->len; i++)
        g_array_index(run->frames, CapFrame, i).data =
            run->bytes->data + g_array_index(offsets, guint, i);
    g_array_unref(offsets);
    if (error) {
        run->code = error->code;
        run->message = g_strdup(error->message);
        g_error_free(error);
    }
    return run;
}

/* Reads @path both ways and checks that the two agree. Returns the
 * number of frames. */
static guint
compare(const char *path)
{
    GError *error = NULL;
    CapSource *fast = cap_source_open_file(path, &error);
    g_assert_no_error(error);
    int fd = open(path, O_RDONLY);
    g_assert_cmpint(fd, >=, 0);
    CapSource *slow = cap_source_open_fd(fd, path, &error);
    g_assert_no_error(error);
    Run *a = read_all(fast), *b = read_all(slow);
    g_assert_cmpuint(a->frames->len, ==, b->frames->len);
    for (guint i = 0; i < a->frames->len; i++) {
        const CapFrame *x = &g_array_index(a->frames, CapFrame, i);
        const CapFrame *y = &g_array_index(b->frames, CapFrame, i);
        g_assert_cmpuint(x->frame, ==, y->frame);
        g_assert_cmpint(x->ts, ==, y->ts);
        g_assert_cmpuint(x->cap_len, ==, y->cap_len);
        g_assert_cmpuint(x->wire_len, ==, y->wire_len);
        g_assert_cmpint(x->linktype, ==, y->linktype);
        g_assert_true(memcmp(x->data, y->data, x->cap_len) == 0);
    }
    g_assert_cmpint(a->end, ==, b->end);
    g_assert_cmpint(a->code, ==, b->code);
    g_assert_cmpstr(a->message, ==, b->message);
    if (a->end == CAP_READ_END)
        g_assert_cmpuint(cap_source_position(fast), ==, fast->size);
    guint n = a->frames->len;
    run_free(a);
    run_free(b);
    cap_source_free(fast);
    cap_source_free(slow);
    return n;
}

static char *
write_tmp(const GByteArray *b, size_t len)
{
    GError *error = NULL;
    char *path = NULL;
    int fd = g_file_open_tmp("sl-pcap-XXXXXX.pcap", &path, &error);
    g_assert_no_error(error);
    close(fd);
    g_file_set_contents(path, (const char *)b->data, (gssize)len, &error);
    g_assert_no_error(error);
    return path;
}

static const FileKind kinds[] = {
    { false, false, 65535, 1 },
    { true, false, 65535, 1 },
    { false, true, 65535, 1 },
    { true, true, 65535, 113 },
    { false, false, 96, 1 },     /* records longer than the snapshot */
    { false, true, 0, 276 },     /* no snapshot length: the link type's maximum */
    { false, false, 300000, 1 }, /* above the maximum: the maximum */
};

static void
test_same_frames(gconstpointer data)
{
    const FileKind *k = data;
    for (guint32 seed = 1; seed <= 3; seed++) {
        GByteArray *b = make_file(k, seed, 60);
        char *path = write_tmp(b, b->len);
        g_assert_cmpuint(compare(path), ==, 60);
        g_unlink(path);
        g_free(path);
        g_byte_array_unref(b);
    }
}

/* Cut at every byte of the last two records (and of the first one, which
 * ends right after the file header). */
static void
test_cut_everywhere(gconstpointer data)
{
    const FileKind *k = data;
    g_autoptr(GRand) r = g_rand_new_with_seed(7);
    GByteArray *b = g_byte_array_new();
    header(b, k);
    size_t first_end = 0, starts[3];
    for (int i = 0; i < 3; i++) {
        starts[i] = b->len;
        record(b, k, 1700000000u + (uint32_t)i, 1000u * (uint32_t)i, 40 + (uint32_t)i * 50, 200, r);
        if (i == 0)
            first_end = b->len;
    }
    for (size_t len = 24; len <= b->len; len++) {
        if (len > first_end && len < starts[1])
            continue;
        char *path = write_tmp(b, len);
        guint n = compare(path);
        g_assert_cmpuint(n, <=, 3);
        g_unlink(path);
        g_free(path);
    }
    g_byte_array_unref(b);
}

/* A record longer than the link type's maximum: an error, the frames
 * before it kept. */
static void
test_record_too_long(void)
{
    FileKind k = { false, false, 65535, 1 };
    g_autoptr(GRand) r = g_rand_new_with_seed(3);
    GByteArray *b = g_byte_array_new();
    header(b, &k);
    record(b, &k, 1700000000u, 0, 60, 60, r);
    put32(b, 1700000001u, false);
    put32(b, 0, false);
    put32(b, 262145, false);
    put32(b, 262145, false);
    char *path = write_tmp(b, b->len);
    g_assert_cmpuint(compare(path), ==, 1);
    GError *error = NULL;
    g_autoptr(CapSource) src = cap_source_open_file(path, &error);
    CapFrame f;
    g_assert_cmpint(cap_source_next(src, &f, &error), ==, CAP_READ_FRAME);
    g_assert_cmpint(cap_source_next(src, &f, &error), ==, CAP_READ_ERROR);
    g_assert_error(error, SL_IO_ERROR, SL_IO_ERROR_READ);
    g_assert_nonnull(strstr(error->message, "after frame 1"));
    g_error_free(error);
    g_unlink(path);
    g_free(path);
    g_byte_array_unref(b);
}

/* The file is cut to a third while it is read (as when a capture being
 * written is rotated away): reading stops at a clear error or at the end,
 * never past what the file holds, and the frames read before are whole. */
static void
test_cut_while_reading(void)
{
    FileKind k = { false, false, 65535, 1 };
    g_autoptr(GRand) r = g_rand_new_with_seed(11);
    GByteArray *b = g_byte_array_new();
    header(b, &k);
    for (uint32_t i = 0; i < 40000; i++)
        record(b, &k, 1700000000u + i / 50, (i % 50) * 20000u, 172, 172, r);
    char *path = write_tmp(b, b->len);
    GError *error = NULL;
    g_autoptr(CapSource) src = cap_source_open_file(path, &error);
    g_assert_no_error(error);
    CapFrame f;
    for (int i = 0; i < 10; i++)
        g_assert_cmpint(cap_source_next(src, &f, &error), ==, CAP_READ_FRAME);
    size_t cut = b->len / 3 + 5; /* inside a record */
    g_assert_cmpint(truncate(path, (off_t)cut), ==, 0);
    CapReadResult res;
    uint64_t n = 10;
    while ((res = cap_source_next(src, &f, &error)) == CAP_READ_FRAME) {
        n++;
        /* every frame read is the one written */
        size_t at = 24 + (size_t)(n - 1) * (16 + 172) + 16;
        g_assert_true(memcmp(f.data, b->data + at, 172) == 0);
    }
    g_assert_cmpint(res, ==, CAP_READ_ERROR);
    g_assert_error(error, SL_IO_ERROR, SL_IO_ERROR_TRUNCATED);
    g_assert_nonnull(strstr(error->message, "file is truncated after frame"));
    g_assert_cmpuint(n, ==, (cut - 24) / (16 + 172));
    g_error_free(error);
    g_unlink(path);
    g_free(path);
    g_byte_array_unref(b);
}

/* A small file grows while it is read (a capture still being written):
 * every record appended is read, whole, including one longer than the
 * file was when it was opened (the reader's buffer is sized to the file
 * and grows with it). */
static void
test_grow_while_reading(void)
{
    FileKind k = { false, false, 65535, 1 };
    g_autoptr(GRand) r = g_rand_new_with_seed(13);
    GByteArray *b = g_byte_array_new();
    header(b, &k);
    for (uint32_t i = 0; i < 2; i++)
        record(b, &k, 1700000000u, i * 20000u, 172, 172, r);
    size_t small = b->len;
    char *path = write_tmp(b, small);
    GError *error = NULL;
    g_autoptr(CapSource) src = cap_source_open_file(path, &error);
    g_assert_no_error(error);
    CapFrame f;
    g_assert_cmpint(cap_source_next(src, &f, &error), ==, CAP_READ_FRAME);
    /* appended: many short records, one long, more short ones */
    for (uint32_t i = 0; i < 3000; i++)
        record(b, &k, 1700000001u + i / 50, (i % 50) * 20000u, 172, 172, r);
    record(b, &k, 1700000100u, 0, 60000, 60000, r);
    for (uint32_t i = 0; i < 100; i++)
        record(b, &k, 1700000101u, i, 90, 90, r);
    FILE *fp = fopen(path, "ab");
    g_assert_nonnull(fp);
    g_assert_cmpuint(fwrite(b->data + small, 1, b->len - small, fp), ==, b->len - small);
    g_assert_cmpint(fclose(fp), ==, 0);
    CapReadResult res;
    uint64_t n = 1;
    size_t at = 24 + 16 + 172; /* the second record's header */
    while ((res = cap_source_next(src, &f, &error)) == CAP_READ_FRAME) {
        n++;
        uint32_t caplen;
        memcpy(&caplen, b->data + at + 8, 4);
        g_assert_cmpuint(f.cap_len, ==, caplen);
        g_assert_true(memcmp(f.data, b->data + at + 16, caplen) == 0);
        at += 16 + caplen;
    }
    g_assert_cmpint(res, ==, CAP_READ_END);
    g_assert_no_error(error);
    g_assert_cmpuint(n, ==, 2 + 3000 + 1 + 100);
    g_assert_cmpuint(at, ==, b->len);
    g_unlink(path);
    g_free(path);
    g_byte_array_unref(b);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        const FileKind *k = &kinds[i];
        g_autofree char *name =
            g_strdup_printf("/pcap-reader/same-frames/%s-%s-snap%u-lt%u",
                            k->swapped ? "swapped" : "native", k->nano ? "ns" : "us",
                            k->snaplen, k->linktype);
        g_test_add_data_func(name, k, test_same_frames);
        g_autofree char *cut =
            g_strdup_printf("/pcap-reader/cut-everywhere/%s-%s-snap%u-lt%u",
                            k->swapped ? "swapped" : "native", k->nano ? "ns" : "us",
                            k->snaplen, k->linktype);
        g_test_add_data_func(cut, k, test_cut_everywhere);
    }
    g_test_add_func("/pcap-reader/record-too-long", test_record_too_long);
    g_test_add_func("/pcap-reader/cut-while-reading", test_cut_while_reading);
    g_test_add_func("/pcap-reader/grow-while-reading", test_grow_while_reading);
    return g_test_run();
}
