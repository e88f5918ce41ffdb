/* sipladder: capture files (pcap, pcapng, optionally gzip-compressed) read
 * through libpcap, one frame at a time; plain pcap files of the common link
 * types are read by large read() calls into one reused buffer instead (see
 * "Fast pcap reading" below). */
#include <errno.h>
#include <unistd.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "cap-source.h"
#include "status.h"

typedef struct {
    CapSource base;
    pcap_t *pcap;
    FILE *fp;      /* plain file or a cookie stream over @gz */
    gzFile gz;     /* non-NULL for gzip input */
    int linktype;
    /* fast reading (libpcap opened the file and checked its header) */
    bool fast;
    bool swapped;  /* the file's byte order is not ours */
    bool micro;    /* microsecond timestamps (else nanoseconds) */
    int fd;        /* fileno(fp), read with pread() at @off */
    uint32_t snapshot; /* pcap_snapshot(): longer records are cut to it */
    uint8_t *buf;  /* @cap bytes; [pos, len) not yet consumed */
    size_t cap;    /* the file's size at open, within [FAST_MIN, FAST_BUF] */
    size_t pos, len;
    uint64_t off;  /* file offset of buf[len] */
    uint64_t consumed; /* file offset of buf[pos] */
    bool eof;
} FileSource;

/* Fast pcap reading. Record headers and data are parsed in place in the
 * buffer, so a frame's data stays valid until the next call (as libpcap's
 * does). The buffer holds a whole record of the largest allowed length. */
#define FAST_BUF (1024u * 1024u)
#define FAST_MIN (4u * 1024u) /* a small file gets a small buffer */
#define FAST_READ (256u * 1024u) /* bytes per read(): stays in the cache */
#define FAST_MAX_CAPLEN 262144u  /* libpcap's maximum for these link types */

/* --- gzip through a stdio cookie so that libpcap reads it as a FILE. --- */

static ssize_t
gz_cookie_read(void *cookie, char *buf, size_t size)
{
    if (size > INT32_MAX)
        size = INT32_MAX;
    int n = gzread((gzFile)cookie, buf, (unsigned)size);
    return n < 0 ? -1 : n;
}

static int
gz_cookie_close(void *cookie)
{
    (void)cookie; /* closed by file_free, which still needs gzoffset */
    return 0;
}

static const cookie_io_functions_t gz_cookie_funcs = {
    .read = gz_cookie_read,
    .write = NULL,
    .seek = NULL,
    .close = gz_cookie_close,
};

static CapReadResult fast_next(FileSource *fs, CapFrame *out, GError **error);

static CapReadResult
file_next(CapSource *base, CapFrame *out, GError **error)
{
    FileSource *fs = (FileSource *)base;
    if (fs->fast)
        return fast_next(fs, out, error);
    struct pcap_pkthdr *hdr = NULL;
    const u_char *data = NULL;

    int rc = pcap_next_ex(fs->pcap, &hdr, &data);
    if (rc == PCAP_ERROR_BREAK || rc == 0)
        return CAP_READ_END;
    if (rc < 0) {
        const char *why = pcap_geterr(fs->pcap);
        bool truncated = why && strstr(why, "truncated") != NULL;
        g_set_error(error, SL_IO_ERROR, truncated ? SL_IO_ERROR_TRUNCATED : SL_IO_ERROR_READ,
                    "%s: %s after frame %" G_GUINT64_FORMAT " (%s)", base->name,
                    truncated ? "file is truncated" : "read error", base->frames,
                    why ? why : "unknown error");
        return CAP_READ_ERROR;
    }
    base->frames++;
    out->frame = base->frames;
    /* The handle was opened with nanosecond precision: tv_usec holds ns.
     * Times outside what SlTime holds (before 1970, after 2262) are
     * clamped, so that no later arithmetic on them can overflow. */
    out->ts = sl_time_from_parts((int64_t)hdr->ts.tv_sec, (int64_t)hdr->ts.tv_usec);
    out->cap_len = hdr->caplen;
    out->wire_len = hdr->len;
    out->linktype = fs->linktype;
    out->data = data;
    return CAP_READ_FRAME;
}

static CapReadResult
fast_error(FileSource *fs, bool truncated, const char *why, GError **error)
{
    g_set_error(error, SL_IO_ERROR, truncated ? SL_IO_ERROR_TRUNCATED : SL_IO_ERROR_READ,
                "%s: %s after frame %" G_GUINT64_FORMAT " (%s)", fs->base.name,
                truncated ? "file is truncated" : "read error", fs->base.frames, why);
    return CAP_READ_ERROR;
}

/* Makes at least @need unread bytes available unless the file ends first;
 * returns how many are, or -1 on a read error (errno set). */
static ssize_t
fast_fill(FileSource *fs, size_t need)
{
    if (fs->len - fs->pos >= need || fs->eof)
        return (ssize_t)(fs->len - fs->pos);
    if (fs->pos > 0) {
        memmove(fs->buf, fs->buf + fs->pos, fs->len - fs->pos);
        fs->len -= fs->pos;
        fs->pos = 0;
    }
    if (need > fs->cap || (fs->off >= fs->cap && fs->cap < FAST_BUF)) {
        /* a record longer than the file was at open, or a file that grew
         * while read: the buffer grows, up to its largest size */
        size_t cap = MIN((size_t)FAST_BUF, MAX(need, fs->cap * 2));
        fs->buf = g_realloc(fs->buf, cap);
        fs->cap = cap;
    }
    while (fs->len < need && !fs->eof) {
        size_t want = MIN(fs->cap - fs->len, MAX(FAST_READ, need - fs->len));
        ssize_t n = pread(fs->fd, fs->buf + fs->len, want, (off_t)fs->off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            fs->eof = true; /* a file that shrank or was cut while read ends here too */
        fs->len += (size_t)n;
        fs->off += (uint64_t)n;
    }
    return (ssize_t)(fs->len - fs->pos);
}

static uint32_t
fast_u32(const FileSource *fs, const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return fs->swapped ? GUINT32_SWAP_LE_BE(v) : v;
}

/* One record, with libpcap's checks and messages (sf-pcap.c): a header
 * cut short, a length above the link type's maximum, data cut short; a
 * record longer than the file's snapshot length is cut to it. */
static CapReadResult
fast_next(FileSource *fs, CapFrame *out, GError **error)
{
    char why[128];
    ssize_t avail = fast_fill(fs, 16);
    if (avail < 0)
        goto read_error;
    if (avail == 0)
        return CAP_READ_END;
    if (avail < 16) {
        g_snprintf(why, sizeof why,
                   "truncated dump file; tried to read 16 header bytes, only got %zd", avail);
        return fast_error(fs, true, why, error);
    }
    const uint8_t *h = fs->buf + fs->pos;
    uint32_t sec = fast_u32(fs, h), frac = fast_u32(fs, h + 4);
    uint32_t caplen = fast_u32(fs, h + 8), wire_len = fast_u32(fs, h + 12);
    if (caplen > FAST_MAX_CAPLEN) {
        if (caplen > fs->snapshot)
            g_snprintf(why, sizeof why,
                       "invalid packet capture length %u, bigger than snaplen of %u", caplen,
                       fs->snapshot);
        else
            g_snprintf(why, sizeof why,
                       "invalid packet capture length %u, bigger than maximum of %u", caplen,
                       FAST_MAX_CAPLEN);
        return fast_error(fs, false, why, error);
    }
    avail = fast_fill(fs, 16 + (size_t)caplen);
    if (avail < 0)
        goto read_error;
    if ((size_t)avail < 16 + (size_t)caplen) {
        size_t got = (size_t)avail - 16;
        if (caplen > fs->snapshot && got >= fs->snapshot)
            g_snprintf(why, sizeof why,
                       "truncated dump file; tried to read %u captured bytes, only got %zu",
                       caplen, got);
        else
            g_snprintf(why, sizeof why,
                       "truncated dump file; tried to read %u captured bytes, only got %zu",
                       MIN(caplen, fs->snapshot), MIN(got, (size_t)fs->snapshot));
        return fast_error(fs, true, why, error);
    }
    h = fs->buf + fs->pos;
    fs->pos += 16 + (size_t)caplen;
    fs->consumed += 16 + (uint64_t)caplen;
    fs->base.frames++;
    out->frame = fs->base.frames;
    /* as libpcap 1.10 gives them (even a fraction past one second):
     * seconds and fraction are signed 32-bit numbers in a file of our byte
     * order and unsigned ones in a swapped file; microseconds are scaled
     * to nanoseconds */
    int64_t s64 = fs->swapped ? (int64_t)sec : (int64_t)(int32_t)sec;
    int64_t f64 = fs->swapped ? (int64_t)frac : (int64_t)(int32_t)frac;
    out->ts = sl_time_from_parts(s64, fs->micro ? f64 * 1000 : f64);
    out->cap_len = MIN(caplen, fs->snapshot);
    out->wire_len = wire_len;
    out->linktype = fs->linktype;
    out->data = h + 16;
    return CAP_READ_FRAME;

read_error:
    g_snprintf(why, sizeof why, "error reading dump file: %s", g_strerror(errno));
    return fast_error(fs, false, why, error);
}

/* Whether @fs (just opened by libpcap from a regular file) can be read
 * fast: a classic pcap file, version 2.4, of a link type whose maximum
 * record length is libpcap's usual one. */
static void
fast_setup(FileSource *fs)
{
    uint8_t hdr[24];
    int fd = fileno(fs->fp);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        pread(fd, hdr, sizeof hdr, 0) != (ssize_t)sizeof hdr)
        return;
    uint32_t magic;
    memcpy(&magic, hdr, 4);
    bool swapped;
    if (magic == 0xa1b2c3d4u || magic == 0xa1b23c4du)
        swapped = false;
    else if (magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u)
        swapped = true;
    else
        return; /* pcapng, or a variant libpcap reads its own way */
    uint16_t major, minor;
    memcpy(&major, hdr + 4, 2);
    memcpy(&minor, hdr + 6, 2);
    if (swapped) {
        major = GUINT16_SWAP_LE_BE(major);
        minor = GUINT16_SWAP_LE_BE(minor);
    }
    if (major != 2 || minor != 4)
        return;
    switch (fs->linktype) {
    case DLT_NULL: case DLT_EN10MB: case DLT_RAW: case DLT_LOOP: case DLT_LINUX_SLL:
    case 228: /* DLT_IPV4 */ case 229: /* DLT_IPV6 */ case 276: /* DLT_LINUX_SLL2 */
        break;
    default:
        return;
    }
    int snap = pcap_snapshot(fs->pcap);
    if (snap <= 0)
        return;
    fs->snapshot = (uint32_t)snap;
    fs->swapped = swapped;
    fs->micro = magic == 0xa1b2c3d4u || magic == 0xd4c3b2a1u;
    fs->fd = fd;
    /* the whole file, plus a little for one that grows, when it fits */
    uint64_t size = (uint64_t)st.st_size;
    fs->cap = size >= FAST_BUF ? FAST_BUF : MAX((size_t)FAST_MIN, (size_t)size + FAST_MIN);
    fs->buf = g_malloc(fs->cap);
    fs->off = fs->consumed = sizeof hdr;
    fs->fast = true;
}

static uint64_t
file_position(CapSource *base)
{
    FileSource *fs = (FileSource *)base;
    if (fs->fast)
        return fs->consumed;
    if (fs->gz) {
        z_off_t off = gzoffset(fs->gz);
        return off > 0 ? (uint64_t)off : 0;
    }
    long off = fs->fp ? ftell(fs->fp) : -1;
    return off > 0 ? (uint64_t)off : 0;
}

static void
file_free(CapSource *base)
{
    FileSource *fs = (FileSource *)base;
    if (fs->pcap)
        pcap_close(fs->pcap); /* closes fs->fp */
    else if (fs->fp)
        fclose(fs->fp);
    if (fs->gz)
        gzclose(fs->gz);
    g_free(fs->buf);
    g_free(base->name);
    g_free(fs);
}

static CapSource *open_stream(FileSource *fs, FILE *fp, const char *path, GError **error);

static const CapSourceOps file_ops = {
    .next = file_next,
    .free = file_free,
    .position = file_position,
};

CapSource *
cap_source_open_file(const char *path, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);

    struct stat st;
    if (stat(path, &st) != 0) {
        int e = errno;
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_OPEN, "%s: %s", path, g_strerror(e));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_OPEN, "%s: is a directory", path);
        return NULL;
    }
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        int e = errno;
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_OPEN, "%s: %s", path, g_strerror(e));
        return NULL;
    }
    if (st.st_size == 0) {
        fclose(fp);
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_FORMAT, "%s: empty file, not a capture",
                    path);
        return NULL;
    }

    FileSource *fs = g_new0(FileSource, 1);
    fs->base.ops = &file_ops;
    fs->base.name = g_strdup(path);
    fs->base.size = (uint64_t)st.st_size;

    unsigned char magic[2] = { 0, 0 };
    size_t got = fread(magic, 1, 2, fp);
    rewind(fp);
    if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
        int fd = dup(fileno(fp));
        fclose(fp);
        fs->gz = fd >= 0 ? gzdopen(fd, "rb") : NULL;
        if (fs->gz == NULL) {
            g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_OPEN, "%s: cannot open gzip stream",
                        path);
            file_free(&fs->base);
            return NULL;
        }
        gzbuffer(fs->gz, 256 * 1024);
        fp = fopencookie(fs->gz, "r", gz_cookie_funcs);
        if (fp == NULL) {
            g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_OPEN, "%s: cannot read gzip stream",
                        path);
            file_free(&fs->base);
            return NULL;
        }
    }
    CapSource *src = open_stream(fs, fp, path, error);
    if (src && !fs->gz)
        fast_setup(fs);
    return src;
}

/* Opens the pcap reader over @fp (owned by @fs from here on). */
static CapSource *
open_stream(FileSource *fs, FILE *fp, const char *path, GError **error)
{
    fs->fp = fp;
    setvbuf(fp, NULL, _IOFBF, 256 * 1024);

    char errbuf[PCAP_ERRBUF_SIZE] = "";
    fs->pcap = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (fs->pcap == NULL) {
        /* libpcap closes nothing on failure; the FILE is still ours. */
        bool unknown = strstr(errbuf, "unknown file format") != NULL;
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_FORMAT, "%s: %s", path,
                    unknown ? "not a pcap or pcapng capture file" : errbuf);
        file_free(&fs->base);
        return NULL;
    }
    fs->linktype = pcap_datalink(fs->pcap);
    return &fs->base;
}

CapSource *
cap_source_open_fd(int fd, const char *name, GError **error)
{
    FILE *fp = fdopen(fd, "rb");
    if (fp == NULL) {
        int e = errno;
        close(fd);
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_OPEN, "%s: %s", name, g_strerror(e));
        return NULL;
    }
    FileSource *fs = g_new0(FileSource, 1);
    fs->base.ops = &file_ops;
    fs->base.name = g_strdup(name);
    return open_stream(fs, fp, name, error);
}

void
cap_source_stop(CapSource *src)
{
    if (src && src->ops->stop)
        src->ops->stop(src);
}

void
cap_source_stats(CapSource *src, CapSourceStats *out)
{
    memset(out, 0, sizeof(*out));
    if (src && src->ops->stats)
        src->ops->stats(src, out);
}

CapReadResult
cap_source_next(CapSource *src, CapFrame *out, GError **error)
{
    g_return_val_if_fail(src != NULL && out != NULL, CAP_READ_ERROR);
    return src->ops->next(src, out, error);
}

uint64_t
cap_source_position(CapSource *src)
{
    return src && src->ops->position ? src->ops->position(src) : 0;
}

void
cap_source_free(CapSource *src)
{
    if (src)
        src->ops->free(src);
}
