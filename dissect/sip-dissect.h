/* sipladder: finds SIP messages in transport payloads on any port: one per
 * UDP datagram or SCTP DATA chunk, framed by Content-Length on TCP byte
 * streams (RFC 3261 section 18.3), inside WebSocket messages after an
 * HTTP Upgrade (RFC 7118, RFC 6455 section 5), and in TLS connections
 * (SIP over TLS, secure WebSocket) decrypted with a key log (tls.h). */
#pragma once

#include <glib.h>

#include "cap-decode.h"
#include "cap-packet.h"
#include "sip-msg.h"
#include "tls.h"

G_BEGIN_DECLS

typedef enum {
    SIP_TRANSPORT_UDP,
    SIP_TRANSPORT_TCP,
    SIP_TRANSPORT_SCTP,
    SIP_TRANSPORT_WS,
    SIP_TRANSPORT_TLS, /* decrypted from TLS on TCP */
    SIP_TRANSPORT_WSS, /* WebSocket inside decrypted TLS */
} SipTransport;

/* "UDP", "TCP", "SCTP", "WS", "TLS", "WSS" */
const char *sip_transport_name(SipTransport t);

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
    uint64_t messages;       /* SipFound callbacks */
    uint64_t malformed;      /* of those, the ones with SL_ERR_MALFORMED */
    uint64_t limit;          /* messages (or frames, connections) at any bound */
    uint64_t too_large;      /* messages dropped: beyond max_message (sip-message) */
    uint64_t header_limit;   /* messages with headers beyond max_headers (sip-headers) */
    uint64_t via_limit;      /* messages with Via entries beyond max_via (sip-via) */
    uint64_t multipart_limit; /* messages nested beyond max_multipart_depth */
    uint64_t ws_frames;
    uint64_t ws_unfinished;  /* WebSocket messages a new one cut short, dropped */
    uint64_t streams_ignored; /* TCP directions that carry no SIP */
    uint64_t junk_bytes;     /* stream bytes skipped while resynchronising */
    uint64_t ws_compressed;  /* WebSocket messages compressed (RSV1), not read */
    uint64_t tls_sessions;   /* TLS connections seen */
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

/* Decrypt TLS with the secrets of @keylog (referenced; NULL: none). Set it
 * before the first packet. Without a key log TLS connections are still
 * followed and listed (endpoints, SNI, version), never decrypted. */
void sip_dissector_set_tls_keylog(SipDissector *d, TlsKeyLog *keylog);
/* The TLS connections seen so far, in order of their first record. The
 * info is borrowed: valid while the dissector lives. */
guint sip_dissector_tls_count(const SipDissector *d);
const TlsSessionInfo *sip_dissector_tls_info(const SipDissector *d, guint index);

G_END_DECLS
