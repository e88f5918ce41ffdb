/* sipladder: RTP stream detection and per-stream metrics.
 *
 * Streams are keyed like Wireshark's RTP Streams dialog: source address
 * and port, destination address and port, SSRC. Which UDP payloads are
 * RTP, the dynamic payload type names and clock rates from SDP, and every
 * metric (packets, expected, lost, sequence errors, delta, jitter, skew)
 * follow Wireshark 4.0 (`tshark -o rtp.heuristic_rtp:TRUE -z rtp,streams`)
 * so that both tools agree on the same capture; rtp-stream.c says where
 * that differs from RFC 3550 (appendix A.1 sequence validation, A.3
 * expected and lost, A.8 interarrival jitter).
 *
 * Memory is constant per stream (no per-packet storage) and the number of
 * streams and of media "conversations" is bounded; what the bounds drop is
 * counted in RtpStreamTableStats. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "cap-packet.h"
#include "rtp-quality.h"
#include "sltime.h"

G_BEGIN_DECLS

/* One a=rtpmap entry from SDP. */
typedef struct {
    unsigned pt;
    char *name;          /* encoding name as written ("telephone-event") */
    uint32_t clock_rate; /* from the rtpmap; 0 when it gives none */
} RtpPayloadMap;

/* The running computation of one stream (Wireshark's tap_rtp_stat_t in
 * spirit); read the results from RtpStream after rtp_stream_table_finish. */
typedef struct {
    bool started;
    bool under;          /* sequence numbers below the first one: a cycle */
    int32_t seq_cycles;
    uint16_t seq_num;    /* last in-order sequence number */
    uint16_t start_seq, stop_seq;
    uint16_t last_pt;
    uint32_t first_ts;   /* RTP timestamp of the first packet */
    double first_ms;     /* its arrival, ms since the time origin */
    double time_ms;      /* arrival of the last packet in time order */
    uint32_t total;      /* packets analysed */
    uint32_t wrong_seq;
    double delta, jitter, skew;
    double last_nominal; /* RTP time of the last jitter update, ms from the first */
    double min_delta, max_delta, mean_delta;
    double min_jitter, max_jitter, mean_jitter;
    double max_skew;
    uint64_t max_delta_frame;
    uint32_t last_clock_rate;
    bool has_delta;      /* a regular packet was measured */
    bool has_jitter;     /* ... with a known clock rate */
    bool problem;        /* a wrong sequence number or timestamp was seen */
} RtpStreamCalc;

typedef struct RtpConv RtpConv;

typedef struct RtpStream {
    /* What every packet touches comes first, together (a capture of a
     * thousand calls has thousands of streams, their state out of the
     * cache by the time each one's next packet comes). */
    uint64_t packets;
    uint64_t markers;
    SlTime last_ts;
    uint64_t last_frame;
    RtpConv *conv;              /* cached conversation lookup... */
    guint conv_gen_src, conv_gen_dst; /* ...valid while the table's change counters */
    uint16_t conv_bucket_src, conv_bucket_dst; /* of these address buckets stay */
    uint8_t conv_path;          /* how packets of this stream are dissected */
    bool from_sdp;         /* the address was announced in SDP (else heuristic) */
    bool flow_decided;     /* for the loader: the flow classifier gave its verdict */
    gpointer observer_data; /* for the packet function's own per-stream state (leave NULL) */
    guint64 pt_seen[2];         /* payload types met so far (bit set) */
    RtpStreamCalc calc;
    RtpQualityState quality; /* loss pattern and jitter buffers (rtp-quality.h) */

    guint id;            /* 1, 2... in order of first packet */
    SlAddr src, dst;     /* with ports */
    uint32_t ssrc;
    SlTime first_ts;
    uint64_t first_frame;
    GArray *payload_types; /* guint8, in order of first use */
    char *payload_names;   /* "g711U, telephone-event" as tshark names them
                            * (ordered by payload type number) */
    uint32_t clock_rate;   /* used for jitter; 0 when unknown */
    /* metrics (read after rtp_stream_table_finish) */
    int64_t expected;
    int64_t lost;
    double lost_pct;
    uint64_t seq_errors;   /* wrong sequence numbers (tshark's "wrong sequence" count) */
    double min_delta_ms, mean_delta_ms, max_delta_ms;
    uint64_t max_delta_frame;
    double min_jitter_ms, mean_jitter_ms, max_jitter_ms;
    double max_skew_ms;
    /* false: no packet counted for delta (or jitter); the figures above are
     * then Wireshark's -1 (min), 0 (mean, max) */
    bool has_delta, has_jitter;
    uint64_t pt_changes;        /* packets whose payload type differs from the previous one */
    uint64_t ssrc_changes_hint; /* other SSRCs seen on the same source -> destination */
    bool problem;               /* tshark's "Problems?" column: wrong sequence or timestamp */
    gpointer owner;        /* for the correlation stage: the call (leave NULL) */
    const char *dyn_name[32];   /* names of 96..127 when first met (NULL: none) */
} RtpStream;

typedef struct {
    uint64_t offered;        /* UDP payloads offered */
    uint64_t rtp;            /* taken as RTP */
    uint64_t rtcp_conflict;  /* marker + PT 64..95: RTCP (RFC 5761) */
    uint64_t not_rtp_sdp;    /* to/from a non-RTP SDP media (T.38) */
    uint64_t claimed_port;   /* no SDP, and a port Wireshark gives to another protocol */
    uint64_t malformed;      /* RTP whose header runs past the end (SDP media) or whose
                              * padding Wireshark cannot show */
    uint64_t streams_limit;  /* packets dropped: too many streams */
    uint64_t convs_limit;    /* conversations not created: too many */
    uint64_t names_limit;    /* rtpmap names dropped: too many distinct ones */
} RtpStreamTableStats;

typedef struct RtpStreamTable RtpStreamTable;

/* Default bounds. */
#define RTP_STREAM_TABLE_MAX_STREAMS 100000
#define RTP_STREAM_TABLE_MAX_CONVS 200000
#define RTP_STREAM_TABLE_MAX_NAMES 4096

/* Caller owns the result (rtp_stream_table_free). */
RtpStreamTable *rtp_stream_table_new(void);
void rtp_stream_table_free(RtpStreamTable *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RtpStreamTable, rtp_stream_table_free)

/* Times are measured, as in Wireshark, in milliseconds (a double) since
 * the first frame of the capture: pass that frame's time before the first
 * packet (default: the first packet offered). It only changes the last
 * bits of the figures, as Wireshark's own rounding does. */
void rtp_stream_table_set_time_origin(RtpStreamTable *t, SlTime origin);

/* Changes the bounds (0 keeps a value); for tests and live captures. */
void rtp_stream_table_set_limits(RtpStreamTable *t, guint max_streams, guint max_convs);
/* The bound on streams, 0 included (no stream at all): what a loader
 * reading several files has left of a bound on all of them. */
void rtp_stream_table_set_max_streams(RtpStreamTable *t, guint max_streams);

/* Media announced by SDP at @addr (ip and port) from time @ts: RTP to
 * that address is RTP even without the heuristic, and its dynamic
 * payload types get @map's names and clock rates. @map may be NULL.
 * The entries are copied.
 *
 * @ts is the setup time, Wireshark's setup frame: the time of the message
 * for an offer, of the request for a 2xx answer. Per address the media
 * with the latest setup time is in force for the packets that follow: a
 * call with a later @ts replaces the current one (a new conversation,
 * packets arriving through it see its map), the same @ts updates it, an
 * earlier @ts changes nothing. */
void rtp_stream_table_expect(RtpStreamTable *t, const SlAddr *addr, SlTime ts,
                             const RtpPayloadMap *map, size_t n_map);

/* Non-RTP media announced by SDP at @addr (Wireshark does this for T.38
 * over UDPTL): UDP to or from it is not RTP from then on, until a newer
 * rtp_stream_table_expect() for the same address (setup times as there). */
void rtp_stream_table_expect_not_rtp(RtpStreamTable *t, const SlAddr *addr, SlTime ts);

/* Offers a UDP payload (a CapPacket with transport UDP). Returns true
 * when it was taken as RTP. Never fails; bad input is counted. Packets
 * must come in capture order. */
bool rtp_stream_table_packet(RtpStreamTable *t, const CapPacket *pkt);
/* The same, returning the stream that took the packet (borrowed: valid
 * while the table lives), or NULL when it was not taken as RTP. */
RtpStream *rtp_stream_table_feed(RtpStreamTable *t, const CapPacket *pkt);

/* Called for every packet taken as RTP, after the stream's figures were
 * updated: @name and @clock_rate are the payload type's as the table
 * resolved them. Everything is borrowed for the call. */
typedef void (*RtpPacketFunc)(RtpStream *s, const CapPacket *pkt, SlView payload, unsigned pt,
                              const char *name, uint32_t clock_rate, gpointer user_data);
void rtp_stream_table_set_packet_func(RtpStreamTable *t, RtpPacketFunc func, gpointer user_data);

/* Computes the final figures (expected, lost, names...). Packets may not
 * be offered afterwards. */
void rtp_stream_table_finish(RtpStreamTable *t);

/* RtpStream*, in id order; borrowed, valid while the table lives. */
GPtrArray *rtp_stream_table_streams(RtpStreamTable *t);
const RtpStreamTableStats *rtp_stream_table_stats(const RtpStreamTable *t);

/* Wireshark's short name of a static payload type ("g711U", "g711A",
 * "CN", "Unassigned"...) or "RTPType-<n>" for 96..127. Static string
 * (for n > 127: "Unknown"). */
const char *rtp_stream_pt_short_name(unsigned pt);

G_END_DECLS
