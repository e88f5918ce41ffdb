/* sipladder: the packet record that capture/ hands to the dissectors. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "addr.h"
#include "sltime.h"
#include "view.h"

G_BEGIN_DECLS

typedef enum {
    CAP_TRANSPORT_NONE = 0,
    CAP_TRANSPORT_UDP,
    CAP_TRANSPORT_TCP,
    CAP_TRANSPORT_SCTP,
} CapTransport;

/* "UDP", "TCP", "SCTP" (static). */
const char *cap_transport_name(CapTransport t);

/* One raw frame as read from a source (file, interface, HEP). */
typedef struct {
    uint64_t frame;    /* 1-based frame number within its source */
    SlTime ts;
    uint32_t cap_len;  /* bytes captured (length of @data) */
    uint32_t wire_len; /* bytes on the wire */
    int linktype;      /* DLT_* value */
    const uint8_t *data; /* borrowed; valid until the next read */
} CapFrame;

enum {
    CAP_PKT_IP_REASSEMBLED = 1u << 0, /* payload rebuilt from IP fragments */
    CAP_PKT_TRUNCATED = 1u << 1,      /* the frame was cut by the snaplen */
    CAP_PKT_TUNNELED = 1u << 2,       /* found inside IP-in-IP, GRE or ERSPAN */
    CAP_PKT_TCP_GAP = 1u << 3,        /* TCP: bytes were lost before this data */
    CAP_PKT_VLAN = 1u << 4,           /* carried 802.1Q/802.1ad tags */
};

typedef struct CapTcpStream CapTcpStream;

/* A transport payload: a UDP datagram, one SCTP DATA chunk, or the
 * in-order unconsumed bytes of one TCP direction. All pointers are
 * borrowed; they are valid during the callback only. */
typedef struct {
    uint64_t frame;    /* frame that delivered (completed) this payload */
    SlTime ts;
    uint32_t cap_len;  /* of that frame */
    uint32_t wire_len; /* of that frame */
    uint32_t source_id;
    SlAddr src, dst;   /* with ports */
    CapTransport transport;
    uint32_t flags;    /* CAP_PKT_* */
    uint16_t vlan;     /* outermost VLAN id, 0 when none */
    uint16_t ip_id;    /* IPv4 Identification (innermost header); 0 for IPv6 */
    uint8_t ttl;       /* IPv4 TTL or IPv6 hop limit (innermost header) */
    uint32_t sctp_ppid; /* SCTP payload protocol identifier */
    SlView payload;
    CapTcpStream *stream; /* TCP only: the direction the bytes belong to */
} CapPacket;

G_END_DECLS
