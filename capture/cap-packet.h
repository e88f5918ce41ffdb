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
    CAP_PKT_TUNNELED = 1u << 2,       /* found inside a tunnel (CapPacket.tunnel) */
    CAP_PKT_TCP_GAP = 1u << 3,        /* TCP: bytes were lost before this data */
    CAP_PKT_VLAN = 1u << 4,           /* carried 802.1Q/802.1ad tags */
};

/* The outermost tunnel or mirror encapsulation a packet was found in. */
typedef enum {
    CAP_TUNNEL_NONE = 0,
    CAP_TUNNEL_IPIP,   /* IPv4 or IPv6 carried directly in IPv4/IPv6 (RFC 2003, RFC 4213) */
    CAP_TUNNEL_GRE,    /* GRE with IP, PPP or Ethernet (RFC 2784, RFC 2890, RFC 1701 TEB) */
    CAP_TUNNEL_ERSPAN, /* ERSPAN type I, II or III in GRE */
    CAP_TUNNEL_VXLAN,  /* UDP 4789 (RFC 7348) */
    CAP_TUNNEL_GENEVE, /* UDP 6081 (RFC 8926) */
    CAP_TUNNEL_HEP,    /* HEP (Homer encapsulation): addresses and time from HEP */
} CapTunnel;

/* "IPIP", "GRE", "ERSPAN", "VXLAN", "GENEVE", "HEP", "-" (static). */
const char *cap_tunnel_name(CapTunnel t);

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
    /* The outermost tunnel (the mirror or tunnel the packet came through);
     * all zero when the packet was not tunnelled. For TCP, those of the
     * frame that delivered the bytes. */
    CapTunnel tunnel;
    uint8_t tunnel_depth;          /* tunnels entered, outermost first */
    uint32_t tunnel_id;            /* its VNI (VXLAN, GENEVE), GRE key or ERSPAN session */
    SlAddr tunnel_src, tunnel_dst; /* its outer IP addresses (port 0) */
} CapPacket;

G_END_DECLS
