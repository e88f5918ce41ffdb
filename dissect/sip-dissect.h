/* sipladder: finds SIP messages in transport payloads on any port: one per
 * UDP datagram or SCTP DATA chunk, framed by Content-Length on TCP byte
 * streams (RFC 3261 section 18.3), and inside WebSocket frames after an
 * HTTP Upgrade (RFC 7118, RFC 6455 section 5.2). */
#pragma once

#include <glib.h>

#include "cap-decode.h"
#include "cap-packet.h"
#include "sip-msg.h"

G_BEGIN_DECLS

typedef enum {
    SIP_TRANSPORT_UDP,
    SIP_TRANSPORT_TCP,
    SIP_TRANSPORT_SCTP,
    SIP_TRANSPORT_WS,
} SipTransport;

const char *sip_transport_name(SipTransport t); /* "UDP", "TCP", "SCTP", "WS" */

/* Everything known about one message as it is found. Borrowed: valid for
 * the duration of the callback only. */
typedef struct {
    const CapPacket *pkt;   /* frame, time, addresses of the delivering packet */
    const SipMsg *msg;
    SlStatus status;        /* SL_OK, SL_ERR_MALFORMED or SL_ERR_LIMIT */
    SipTransport transport;
} SipFound;

typedef void (*SipFoundFunc)(const SipFound *found, gpointer user_data);

typedef struct {
    uint64_t messages;
    uint64_t malformed;
    uint64_t limit;          /* messages dropped at a size bound */
    uint64_t ws_frames;
    uint64_t streams_ignored; /* TCP directions that carry no SIP */
    uint64_t junk_bytes;     /* stream bytes skipped while resynchronising */
} SipDissectStats;

typedef struct SipDissector SipDissector;

/* @opts may be NULL for the defaults. Caller owns the result. */
SipDissector *sip_dissector_new(const SipParseOptions *opts, SipFoundFunc func,
                                gpointer user_data);
void sip_dissector_free(SipDissector *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SipDissector, sip_dissector_free)

/* Feeds one payload from the capture decoder (a CapPacketFunc-compatible
 * entry point: pass the dissector as user data). */
void sip_dissector_packet(const CapPacket *pkt, gpointer dissector);
const SipDissectStats *sip_dissector_stats(const SipDissector *d);

G_END_DECLS
