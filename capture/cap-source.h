/* sipladder: packet sources. A source yields raw frames; the decoder turns
 * them into CapPacket records. Files, live interfaces (through the capture
 * helper program, sipladder-capture) and HEP listeners sit behind the same
 * interface. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "cap-packet.h"

G_BEGIN_DECLS

typedef struct CapSource CapSource;

typedef enum {
    CAP_READ_IDLE = 2,  /* live sources with CapLiveOptions.idle_ms: no frame came in that
                         * time; read again */
    CAP_READ_FRAME = 1, /* @out holds a frame */
    CAP_READ_END = 0,   /* no more frames */
    CAP_READ_ERROR = -1 /* @error set; frames read before stay valid */
} CapReadResult;

/* What a live source counts beside its frames. */
typedef struct {
    bool has_kernel;          /* the kernel figures below are known */
    uint64_t kernel_received; /* pcap_stats: packets the filter saw */
    uint64_t kernel_dropped;  /* ... dropped for lack of buffer space */
    uint64_t iface_dropped;   /* ... dropped by the interface or its driver */
    uint64_t malformed;       /* HEP: packets that did not decode, dropped */
    uint64_t ignored;         /* HEP: packets of types not analysed (logs...) */
    uint64_t queue_dropped;   /* frames dropped by sipladder: its queue was full */
} CapSourceStats;

typedef struct {
    CapReadResult (*next)(CapSource *src, CapFrame *out, GError **error);
    void (*free)(CapSource *src);
    /* Bytes consumed from the underlying file so far (progress); may be NULL. */
    uint64_t (*position)(CapSource *src);
    /* Live sources: asks the source to end (thread- and signal-safe). */
    void (*stop)(CapSource *src);
    void (*stats)(CapSource *src, CapSourceStats *out);
} CapSourceOps;

struct CapSource {
    const CapSourceOps *ops;
    char *name;        /* file name or interface, for messages */
    uint32_t id;       /* source id stamped into packets */
    uint64_t size;     /* total bytes when known (files), else 0 */
    uint64_t frames;   /* frames returned so far */
};

/* Opens a pcap or pcapng file, optionally gzip-compressed. Caller owns the
 * result (cap_source_free). On failure returns NULL and sets @error
 * (SL_IO_ERROR_OPEN or SL_IO_ERROR_FORMAT) with a message naming the file. */
CapSource *cap_source_open_file(const char *path, GError **error);

/* Reads a pcap or pcapng stream from @fd (a pipe: the capture helper's
 * output), which the source then owns. @name is for messages. Blocks until
 * the stream's header arrives. */
CapSource *cap_source_open_fd(int fd, const char *name, GError **error);

/* When a live source ends (every field optional: 0 or NULL). */
typedef struct {
    double duration_s;        /* after this many seconds */
    uint64_t max_frames;      /* after this many frames */
    const volatile int *stop; /* as soon as *stop is non-zero (a signal handler's flag) */
    const char *filter;       /* interfaces: a BPF capture filter */
    int snaplen;              /* interfaces: bytes kept per packet (default 262144) */
    /* > 0: a read that waits this long without a frame returns
     * CAP_READ_IDLE, so that the reader can act on a quiet line (an
     * interface is then read by a thread of the source, which queues at
     * most CAP_LIVE_QUEUE frames and counts the rest as dropped) */
    unsigned idle_ms;
} CapLiveOptions;

#define CAP_LIVE_QUEUE 65536

/* Captures on the interface @iface through the capture helper program,
 * which holds the capture privileges and streams packets over a pipe. On
 * failure (no such interface, no permission, bad filter) returns NULL with
 * the helper's message in @error (SL_IO_ERROR_OPEN). */
CapSource *cap_source_open_live(const char *iface, const CapLiveOptions *opts, GError **error);

/* Where the capture helper is: $SIPLADDER_CAPTURE, next to the running
 * program (build tree or bindir), or the installed libexec directory.
 * Caller owns the string; NULL when not found. */
char *cap_capture_helper_path(void);

/* Lists the capture interfaces through the helper: one "name\tdescription\t
 * addresses\tup|down" line each (caller owns, g_strfreev). */
char **cap_list_interfaces(GError **error);

/* Receives HEPv1/v2/v3 on @listen ("ip:port", "[v6]:port") over UDP and
 * TCP. Each HEP packet becomes a raw IP frame (DLT_RAW) with the
 * addresses, ports and time that HEP carried; malformed HEP is counted
 * and dropped. */
CapSource *cap_source_open_hep(const char *listen, const CapLiveOptions *opts, GError **error);

/* Asks a live source to end: its next read returns CAP_READ_END once what
 * was captured is read. Does nothing for files. Signal-safe. */
void cap_source_stop(CapSource *src);
/* Zeroes @out, then fills what the source counts. */
void cap_source_stats(CapSource *src, CapSourceStats *out);

/* Reads the next frame into @out (its data borrowed until the next call). */
CapReadResult cap_source_next(CapSource *src, CapFrame *out, GError **error);
uint64_t cap_source_position(CapSource *src);
void cap_source_free(CapSource *src);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CapSource, cap_source_free)

G_END_DECLS
