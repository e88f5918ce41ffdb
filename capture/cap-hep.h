/* sipladder: HEP, the Homer Encapsulation Protocol (HEPv1, HEPv2 and
 * HEPv3/EEP), that capture agents (Kamailio's siptrace, heplify,
 * FreeSWITCH, Asterisk) use to send the packets they see to a collector.
 *
 * A HEP packet carries one captured payload with its addresses, ports,
 * time and capture agent. sipladder reads HEP from a listener or inside a
 * capture file, turns each into a raw IP frame with the addresses, ports
 * and time that HEP carried (so that the rest of the pipeline, and a pcap
 * written from it, sees the original packet), and sends HEPv3. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "sltime.h"
#include "status.h"
#include "view.h"

G_BEGIN_DECLS

/* HEPv3 payload types (chunk 0x000b) that sipladder knows. */
enum {
    CAP_HEP_TYPE_SIP = 1,
    CAP_HEP_TYPE_RTP = 4,
    CAP_HEP_TYPE_RTCP = 5,
    CAP_HEP_TYPE_LOG = 100,
};

/* Largest payload a HEP packet may carry here (after decompression). */
#define CAP_HEP_MAX_PAYLOAD 65000

/* One decoded HEP packet. Views point into the input, except a
 * decompressed payload, which points into @inflated. */
typedef struct {
    unsigned version;     /* 1, 2 or 3 */
    uint8_t ip_proto;     /* 17 UDP, 6 TCP, 132 SCTP */
    SlAddr src, dst;      /* with ports */
    SlTime ts;
    bool has_ts;          /* HEPv1 carries no time */
    uint32_t capture_id;
    uint8_t payload_type; /* CAP_HEP_TYPE_*; 0 when not given (v1, v2: SIP) */
    SlView auth_key;      /* chunk 0x000e, empty when absent */
    SlView correlation_id; /* chunk 0x0011 */
    SlView payload;
    bool compressed;      /* the payload came from a zlib chunk (0x0010) */
    GBytes *inflated;     /* owns a decompressed payload; NULL otherwise */
} CapHep;

void cap_hep_clear(CapHep *h);

/* Cheap test on a UDP or TCP payload: does it start like HEP? */
bool cap_hep_looks_like(SlView data);

/* Parses one HEP packet from the start of @data. Returns SL_OK;
 * SL_ERR_NOT_MINE when it is not HEP; SL_ERR_NEED_MORE when @data holds
 * only the start of a packet (a TCP stream must wait for more bytes; for
 * HEPv3 @err->offset then holds the length it needs); SL_ERR_MALFORMED
 * with @err set; SL_ERR_LIMIT for a payload over CAP_HEP_MAX_PAYLOAD.
 * @used (may be NULL) gets the bytes the packet took. Never reads outside
 * @data. Call cap_hep_clear() after any outcome. */
SlStatus cap_hep_parse(SlView data, CapHep *out, size_t *used, SlError *err);

/* Encodes @h as HEPv3 (payload uncompressed). Caller owns the bytes. */
GBytes *cap_hep_encode(const CapHep *h);

/* TCP sequence numbers for the payloads of HEP packets that carried TCP:
 * each payload continues its direction's byte stream, so that the TCP
 * reassembly joins a message split over several HEP packets and does not
 * take the next message for a retransmission. Bounded (emptied when
 * full). */
typedef struct CapHepSeq CapHepSeq;
CapHepSeq *cap_hep_seq_new(void);
void cap_hep_seq_free(CapHepSeq *t);
/* The sequence number of @h's payload (1 for a direction's first). */
uint32_t cap_hep_seq_next(CapHepSeq *t, const CapHep *h);

/* Writes a raw IPv4 or IPv6 packet (DLT_RAW) that carries h->payload from
 * h->src to h->dst over UDP, or over TCP (SCTP payloads go as UDP) with
 * sequence number @tcp_seq, into @buf. Returns its length, or 0 when it
 * does not fit @cap or the addresses are of mixed families. */
size_t cap_hep_frame(const CapHep *h, uint32_t tcp_seq, uint8_t *buf, size_t cap);

G_END_DECLS
