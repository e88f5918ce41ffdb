/* sipladder: RTP streams bound to calls through the SDP of their
 * signalling, with the media findings and per-call voice quality. */
#pragma once

#include <glib.h>

#include "corr.h"
#include "rtp-stream.h"

G_BEGIN_DECLS

/* Per-stream voice quality and where the stream belongs. */
typedef struct {
    CorrCall *call;       /* NULL when no call's SDP names the stream */
    CorrLeg *leg;         /* the leg whose SDP named it */
    char codec[32];       /* encoding of the first payload type, as SDP named it */
    double r_factor, mos; /* E-model (rtp-quality.h); -1 when not audio */
    RtpQuality quality;   /* loss, bursts, jitter buffers, delay (valid when mos >= 0) */
} CorrStreamInfo;

/* Collects RFC 4733 events per stream while a table reads packets: pass
 * corr_media_packet with the collector as user data to
 * rtp_stream_table_set_packet_func(). */
typedef struct CorrMediaCollector CorrMediaCollector;

/* One second of a stream, for plots: packets that arrived in it, packets
 * found lost in it (sequence gaps), and the running jitter at its end. */
typedef struct {
    uint32_t packets;
    uint32_t lost;
    float jitter_ms;
} CorrSecond;

/* Seconds kept per stream at most (a day). */
#define CORR_SERIES_MAX 86400

/* The per-second series of @s (CorrSecond, from its first packet), or NULL. */
const GArray *corr_media_series(const CorrMediaCollector *c, const RtpStream *s);
CorrMediaCollector *corr_media_collector_new(void);
void corr_media_collector_free(CorrMediaCollector *c);
void corr_media_packet(RtpStream *s, const CapPacket *pkt, SlView payload, unsigned pt,
                       const char *name, uint32_t clock_rate, gpointer collector);

/* Binds every stream of @streams (RtpStream*, after
 * rtp_stream_table_finish) to the call whose SDP announced its
 * destination (else its source, else its addresses with another port),
 * sets stream->owner, fills each call's streams, MOS and media findings
 * (one-way audio, NAT, unannounced port, payload type outside the offer,
 * SSRC change, gaps, media after BYE, loss) and the DTMF digits that
 * @collector (may be NULL) saw in them. Call after
 * corr_engine_finish(). Returns an array parallel to @streams (caller
 * owns, g_free). */
CorrStreamInfo *corr_media_bind(CorrEngine *e, GPtrArray *streams,
                                CorrMediaCollector *collector);

G_END_DECLS
