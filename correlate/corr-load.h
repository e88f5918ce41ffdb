/* sipladder: loading capture files into the core: frames from capture/,
 * SIP from dissect/, calls from the correlation engine, and the RTP
 * streams that the SDP of that SIP sets up (as Wireshark 4.0 does with its
 * default preferences), with RTCP reports, DTMF and nDPI's opinion, bound
 * to the calls at the end. One loader serves both front ends: the CLI
 * prints its warnings on stderr, the GUI runs it on a worker thread with
 * progress and cancel.
 *
 * SDP takes effect (packet-sip.c, packet-sdp.c; sip.delay_sdp_changes
 * off): the SDP of a request at once; the SDP of a 2xx as of its request
 * (so it does not replace what a 183 set up in between); the SDP of 1xx
 * and 3xx responses, and of a retransmitted 2xx (UDP), at once; the SDP of
 * 4xx-6xx never; a retransmitted request (UDP) changes nothing. Only SIP
 * is read: Wireshark also applies the SDP of H.248/Megaco and MGCP. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "cap-source.h"
#include "corr-media.h"
#include "corr.h"
#include "flow-class.h"
#include "rtcp-reports.h"
#include "rtp-stream.h"
#include "sip-dissect.h"
#include "sllimits.h"
#include "tls.h"

G_BEGIN_DECLS

/* Warnings about malformed messages reported per file; the rest are
 * counted and reported in one CORR_LOAD_WARN_SUPPRESSED line. */
#define CORR_LOAD_MAX_WARNINGS 20

/* One input file, as far as it was read. */
typedef struct {
    const char *file;       /* the name as given (borrowed from the caller's array) */
    guint index;            /* its position there; CapPacket.source_id */
    uint64_t size;          /* bytes, 0 until opened */
    SlTime first_frame_ts;  /* time of the first frame (Wireshark's relative-time origin) */
    bool has_first_frame;
    uint64_t frames;        /* frames read */
    bool opened;            /* false: could not be opened (see the warnings) */
    bool complete;          /* read to its end, without error or cancel */
    /* with media: the RTP streams and RTCP reports of the whole load
     * (every file is read into the same ones; borrowed); else NULL */
    RtpStreamTable *table;
    RtcpReports *rtcp;
} CorrLoadFile;

typedef enum {
    CORR_LOAD_WARN_OPEN,       /* the file cannot be opened or is not a capture */
    CORR_LOAD_WARN_READ,       /* reading stopped early (truncated, read error) */
    CORR_LOAD_WARN_MESSAGE,    /* a malformed SIP message (file and frame named) */
    CORR_LOAD_WARN_SUPPRESSED, /* "N more warnings not shown" */
    CORR_LOAD_WARN_LINK,       /* no frame of the file had a supported link type */
    CORR_LOAD_WARN_SNAPLEN,    /* frames were cut short by the capture's snaplen */
    CORR_LOAD_WARN_LIMIT,      /* a limit (sllimits.h) was reached: once per run when
                                * first hit (file and frame named), and once at the end
                                * with the count */
} CorrLoadWarnKind;

/* One warning: @text is a complete sentence naming the file (and frame),
 * e.g. "x.pcap: frame 7: MALFORMED SIP message (no CSeq at byte 40)".
 * Borrowed for the call. */
typedef void (*CorrLoadWarnFunc)(CorrLoadWarnKind kind, const char *file, uint64_t frame,
                                 const char *text, gpointer user_data);
/* Bytes read so far out of @total (every file), now and then and at the
 * end of each file. */
typedef void (*CorrLoadProgressFunc)(uint64_t done, uint64_t total, gpointer user_data);
/* Every SIP message (borrowed for the call), after the engine took it. */
typedef void (*CorrLoadMessageFunc)(const CorrLoadFile *file, const SipFound *found,
                                    gpointer user_data);
/* Every transport payload the decoder delivers (borrowed for the call),
 * after the SIP dissector and the RTP tables have seen it. */
typedef void (*CorrLoadPacketFunc)(const CorrLoadFile *file, const CapPacket *pkt,
                                   gpointer user_data);

/* Every frame read (borrowed for the call), before it is decoded: to
 * write what a live source captures to a file. */
typedef void (*CorrLoadFrameFunc)(const CorrLoadFile *file, const CapFrame *frame,
                                  gpointer user_data);

typedef struct {
    CorrEngine *engine;  /* borrowed; may be NULL: no correlation */
    bool media;          /* build the RTP stream table and RTCP reports */
    CorrLoadMessageFunc message_func;
    CorrLoadPacketFunc packet_func;
    CorrLoadWarnFunc warn_func;
    CorrLoadProgressFunc progress_func;
    CorrLoadFrameFunc frame_func;
    /* Live sources opened with CapLiveOptions.idle_ms: called when no
     * frame came for that long (a quiet line), with the wall-clock
     * seconds since the last frame. */
    void (*idle_func)(double quiet_s, gpointer user_data);
    TlsKeyLog *tls_keylog; /* borrowed; NULL: TLS is listed, not decrypted */
    /* Bounds on memory (copied at the start; NULL: the defaults). They go
     * to the decoder, the SIP dissector, the RTP table and the engine
     * (corr_engine_set_limits); each counts over every file. */
    const SlLimits *limits;
    gpointer user_data;  /* for every function above */
    /* Read with g_atomic_int_get between frames (any thread may set it to
     * 1); what was read before stays. May be NULL. */
    const gint *cancel;
} CorrLoadOptions;

void corr_load_options_init(CorrLoadOptions *o);

typedef struct CorrLoad CorrLoad;

/* Reads @files (NULL-terminated; the array must outlive the result) as one
 * capture: one decoder, SIP dissector and RTP table, fed the frames of
 * every file in time order (the earlier file first on a tie), as mergecap
 * merges them. A file is opened when the merge reaches its first frame
 * (read ahead when there are several), so only files that overlap in time
 * are open together. With an engine, finishes it and, with media, binds the
 * streams to its calls. Never fails: unreadable input gives warnings, and
 * corr_load_complete() says whether everything was read. Caller owns the
 * result (corr_load_free); it must outlive the engine's use of stream
 * pointers (calls borrow the streams). */
CorrLoad *corr_load_files(char **files, const CorrLoadOptions *opts);
/* Reads the live source @src (borrowed: an interface or a HEP listener,
 * or a file) until it ends: its duration or count, or cap_source_stop()
 * from another thread or a signal handler's flag. The rest as for
 * corr_load_files(); the source's name (copied) stands for the file. */
CorrLoad *corr_load_source(CapSource *src, const CorrLoadOptions *opts);
void corr_load_free(CorrLoad *l);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CorrLoad, corr_load_free)

/* Every file completely read (none missing, truncated or cancelled). */
bool corr_load_complete(const CorrLoad *l);
/* Whether the cancel flag stopped the load. */
bool corr_load_cancelled(const CorrLoad *l);
/* The files opened (CorrLoadFile*, borrowed), in the order given. */
GPtrArray *corr_load_inputs(CorrLoad *l);
/* With media: every file's streams in order (RtpStream*, borrowed), and
 * what binding said of each (parallel; NULL without an engine). */
GPtrArray *corr_load_streams(CorrLoad *l);
const CorrStreamInfo *corr_load_stream_info(const CorrLoad *l);
/* The CorrLoadFile of a stream's first packet (borrowed), by its index in
 * corr_load_streams(). */
const CorrLoadFile *corr_load_stream_file(CorrLoad *l, guint index);
/* The time of the first frame read, of every input (the origin of
 * relative times, as in Wireshark for the merged capture); false when no
 * frame was read. */
bool corr_load_time_origin(const CorrLoad *l, SlTime *out);
/* With media and an engine: per-second series and DTMF (borrowed). */
const CorrMediaCollector *corr_load_collector(const CorrLoad *l);
/* With media: nDPI's classification of the RTP flows (borrowed; NULL when
 * nDPI could not start). */
FlowClassifier *corr_load_classifier(const CorrLoad *l);

/* One limit as the load met it. */
typedef struct {
    uint64_t value;   /* the bound in force */
    uint64_t count;   /* what SlLimitInfo.counted says, over the run; 0: not hit */
    const char *file; /* where it was first hit (borrowed from the load); NULL if not */
    uint64_t frame;
} CorrLoadLimit;
/* The limits, indexed by SlLimitId (SL_LIMIT_COUNT entries, borrowed). */
const CorrLoadLimit *corr_load_limits(const CorrLoad *l);
/* The warning text for a limit first hit at @frame of @file, and for its
 * count at the end (@frame 0 and @count: the summary); caller owns. */
char *corr_load_limit_text(SlLimitId id, const CorrLoadLimit *hit, bool summary);

/* The bounds @lim sets on the SIP parser and on the frame decoder (for a
 * reader that builds its own, as `sipladder-cli tls` does). */
void corr_load_stage_options(const SlLimits *lim, SipParseOptions *sopts, CapLimits *climits);
/* The counters behind the SIP and decoder limits of @sip and @dec (either
 * may be NULL), indexed by SlLimitId; the other entries are 0. */
void corr_load_stage_counters(const SipDissector *sip, const CapDecoder *dec,
                              uint64_t now[SL_LIMIT_COUNT]);

G_END_DECLS
