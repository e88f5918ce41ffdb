/* sipladder: packet sources. A source yields raw frames; the decoder turns
 * them into CapPacket records. Files now; live interfaces and HEP plug in
 * behind the same interface. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "cap-packet.h"

G_BEGIN_DECLS

typedef struct CapSource CapSource;

typedef enum {
    CAP_READ_FRAME = 1, /* @out holds a frame */
    CAP_READ_END = 0,   /* no more frames */
    CAP_READ_ERROR = -1 /* @error set; frames read before stay valid */
} CapReadResult;

typedef struct {
    CapReadResult (*next)(CapSource *src, CapFrame *out, GError **error);
    void (*free)(CapSource *src);
    /* Bytes consumed from the underlying file so far (progress); may be NULL. */
    uint64_t (*position)(CapSource *src);
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

/* Reads the next frame into @out (its data borrowed until the next call). */
CapReadResult cap_source_next(CapSource *src, CapFrame *out, GError **error);
uint64_t cap_source_position(CapSource *src);
void cap_source_free(CapSource *src);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CapSource, cap_source_free)

G_END_DECLS
