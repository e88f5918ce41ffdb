/* sipladder: frame decoder: link layers, IPv4/IPv6 with fragment
 * reassembly, tunnels (IP-in-IP, GRE, ERSPAN, VXLAN), UDP, SCTP DATA and
 * TCP byte streams. Turns CapFrame records into CapPacket payloads.
 *
 * RFC 791 (IPv4, fragmentation), RFC 8200 (IPv6, extension headers and
 * fragmentation), RFC 768 (UDP), RFC 9293 (TCP sequence space), RFC 9260
 * section 3 (SCTP chunks), RFC 2784/2890 (GRE), RFC 7348 (VXLAN). */
#pragma once

#include <glib.h>

#include "cap-packet.h"
#include "cap-source.h"

G_BEGIN_DECLS

/* Bounds on memory that grows from input (STYLE.md section 5). */
typedef struct {
    size_t frag_max_bytes;    /* bytes held by incomplete IP fragments */
    SlTime frag_timeout;      /* drop incomplete datagrams older than this */
    size_t tcp_max_buffer;    /* buffered bytes per TCP direction */
    size_t tcp_max_streams;   /* TCP directions tracked at once */
    size_t tcp_max_total;     /* buffered bytes of every direction together */
    SlTime tcp_idle_timeout;  /* forget a direction idle this long */
    unsigned max_tunnel_depth;
} CapLimits;

/* Fills @limits with the defaults: those of sllimits.h (ip-fragments,
 * tcp-buffer, tcp-streams, tcp-memory), 30 s for fragments, 10 min idle,
 * 16 nested tunnels. */
void cap_limits_init(CapLimits *limits);

typedef struct {
    uint64_t frames;
    uint64_t bytes;            /* captured bytes read */
    uint64_t payloads;         /* CapPacket records delivered */
    uint64_t unsupported_link; /* frames of a link type we do not decode */
    uint64_t non_ip;           /* frames that carry no IP */
    uint64_t malformed;        /* headers that contradict themselves */
    uint64_t truncated;        /* frames cut before the end of a header */
    uint64_t ip_fragments;
    uint64_t ip_reassembled;
    uint64_t ip_frag_dropped;  /* incomplete datagrams dropped (timeout or limit) */
    uint64_t ip_frag_limit;    /* times the fragment memory bound was hit */
    uint64_t tcp_segments;
    uint64_t tcp_retransmissions;
    uint64_t tcp_out_of_order;
    uint64_t tcp_gaps;         /* holes skipped in a byte stream */
    uint64_t tcp_limit;        /* times a per-direction buffer bound was hit */
    uint64_t tcp_memory_limit; /* times the bound on all directions together was hit */
    uint64_t tcp_streams;      /* directions created */
    uint64_t tcp_streams_evicted;
    uint64_t sctp_chunks;
    uint64_t sctp_fragmented;  /* DATA chunks that carry part of a user message */
    uint64_t hep;              /* HEP packets decapsulated (HEP inside a capture) */
    uint64_t hep_malformed;    /* HEP packets that did not decode, dropped */
    uint64_t hep_ignored;      /* HEP packets of types not analysed (logs...) */
} CapStats;

typedef struct CapDecoder CapDecoder;

/* Receives each transport payload. @pkt and its views are borrowed for the
 * duration of the call. For TCP, the payload is every in-order byte not yet
 * consumed in that direction; call cap_tcp_stream_consume() for the bytes
 * used, the rest is offered again with the next data. */
typedef void (*CapPacketFunc)(const CapPacket *pkt, gpointer user_data);

/* @limits may be NULL for the defaults. Caller owns the result. */
CapDecoder *cap_decoder_new(const CapLimits *limits, CapPacketFunc func, gpointer user_data);
void cap_decoder_free(CapDecoder *dec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CapDecoder, cap_decoder_free)

/* Decodes one frame. Never fails: problems are counted in the stats. */
void cap_decoder_feed(CapDecoder *dec, const CapFrame *frame, uint32_t source_id);
/* End of input: skips remaining TCP holes so that data waiting behind a
 * lost segment is delivered, then forgets all state. */
void cap_decoder_finish(CapDecoder *dec);
const CapStats *cap_decoder_stats(const CapDecoder *dec);
/* Bytes currently held for reassembly (fragments and TCP buffers). */
size_t cap_decoder_held_bytes(const CapDecoder *dec);

/* --- TCP byte streams (one per direction) --- */

/* Drops the first @n delivered bytes (clamped to what is buffered). */
void cap_tcp_stream_consume(CapTcpStream *s, size_t n);
/* Stop buffering and delivering this direction (not a protocol we read). */
void cap_tcp_stream_ignore(CapTcpStream *s);
/* One user pointer per direction, freed with @destroy with the stream. */
gpointer cap_tcp_stream_get_user_data(const CapTcpStream *s);
void cap_tcp_stream_set_user_data(CapTcpStream *s, gpointer data, GDestroyNotify destroy);

G_END_DECLS
