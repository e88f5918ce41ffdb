/* sipladder: capture files (pcap, pcapng, optionally gzip-compressed) read
 * through libpcap, one frame at a time. */
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
} FileSource;

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

static CapReadResult
file_next(CapSource *base, CapFrame *out, GError **error)
{
    FileSource *fs = (FileSource *)base;
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

static uint64_t
file_position(CapSource *base)
{
    FileSource *fs = (FileSource *)base;
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
    return open_stream(fs, fp, path, error);
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
