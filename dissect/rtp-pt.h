/* sipladder: RTP payload types: the RFC 3551 section 6 static table and
 * clock rates of well-known encoding names. */
#pragma once

#include "view.h"

#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

#define RTP_PT_MAX 127u

/* Media kind column of RFC 3551 tables 4 and 5. */
typedef enum {
    RTP_PT_AUDIO = 1,
    RTP_PT_VIDEO = 2,
    RTP_PT_AUDIO_VIDEO = 3, /* MP2T */
} RtpPtMedia;

/* One statically assigned payload type. */
typedef struct {
    unsigned pt;
    const char *name;    /* IANA encoding name as in SDP rtpmap, e.g. "PCMU" */
    uint32_t clock_rate; /* RTP timestamp rate in Hz */
    unsigned channels;   /* 1 except L16 stereo (PT 10) */
    RtpPtMedia media;
} RtpPtInfo;

/* True for the dynamic range 96..127 (RFC 3551 section 3). */
static inline bool
rtp_pt_is_dynamic(unsigned pt)
{
    return pt >= 96 && pt <= RTP_PT_MAX;
}

/* The RFC 3551 entry for @pt, or NULL for reserved, unassigned and dynamic
 * payload types (and anything above 127). Returns a static record. */
const RtpPtInfo *rtp_pt_static(unsigned pt);

/* Fallback RTP clock rate when an rtpmap gives none (a rate written in an
 * rtpmap always wins over this). @encoding_name (may be empty) is compared
 * case-insensitively with a table of encodings whose rate is fixed (PCMU,
 * G722 = 8000, opus = 48000, AMR-WB = 16000, H264 = 90000...). When the
 * name is empty or not in that table (including names whose rate varies,
 * such as speex, L16 or DVI4) the static table for @pt is used. Returns 0
 * when neither gives a rate. */
uint32_t rtp_pt_clock_rate(unsigned pt, SlView encoding_name_or_empty);

G_END_DECLS
