/* sipladder: UDP flow classification through nDPI. nDPI reads from the IP
 * header, so each payload is given a minimal IPv4 or IPv6 and UDP header
 * of its own addresses and ports. */
#include <ndpi/ndpi_api.h>
#include <string.h>

#include "flow-class.h"

#define MAX_FLOWS 65536
#define MAX_PACKETS_PER_FLOW 10
#define MAX_PAYLOAD 512 /* what nDPI needs to decide; the rest is not copied */

typedef struct {
    SlAddrPair key; /* unordered */
    struct ndpi_flow_struct *flow; /* freed once decided */
    unsigned packets;
    FlowClassKind kind;
} Flow;

struct FlowClassifier {
    struct ndpi_detection_module_struct *ndpi;
    GHashTable *flows; /* SlAddrPair* -> Flow* */
};

const char *
flow_class_ndpi_version(void)
{
    return ndpi_revision();
}

const char *
flow_class_name(FlowClassKind k)
{
    switch (k) {
    case FLOW_CLASS_RTP: return "RTP";
    case FLOW_CLASS_RTCP: return "RTCP";
    case FLOW_CLASS_SIP: return "SIP";
    case FLOW_CLASS_OTHER: return "other";
    case FLOW_CLASS_UNKNOWN: break;
    }
    return "unknown";
}

static void
flow_free(gpointer p)
{
    Flow *f = p;
    if (f->flow)
        ndpi_flow_free(f->flow);
    g_free(f);
}

FlowClassifier *
flow_class_new(void)
{
    struct ndpi_detection_module_struct *ndpi = ndpi_init_detection_module(ndpi_no_prefs);
    if (!ndpi)
        return NULL;
    NDPI_PROTOCOL_BITMASK all;
    NDPI_BITMASK_SET_ALL(all);
    ndpi_set_protocol_detection_bitmask2(ndpi, &all);
    ndpi_finalize_initialization(ndpi);
    FlowClassifier *fc = g_new0(FlowClassifier, 1);
    fc->ndpi = ndpi;
    fc->flows = g_hash_table_new_full(sl_addr_pair_hash, sl_addr_pair_equal, NULL, flow_free);
    return fc;
}

void
flow_class_free(FlowClassifier *fc)
{
    if (!fc)
        return;
    g_hash_table_destroy(fc->flows);
    ndpi_exit_detection_module(fc->ndpi);
    g_free(fc);
}

static FlowClassKind
kind_of(ndpi_protocol p)
{
    uint16_t ids[2] = { p.app_protocol, p.master_protocol };
    for (int i = 0; i < 2; i++) {
        if (ids[i] == NDPI_PROTOCOL_RTP)
            return FLOW_CLASS_RTP;
        if (ids[i] == NDPI_PROTOCOL_RTCP)
            return FLOW_CLASS_RTCP;
        if (ids[i] == NDPI_PROTOCOL_SIP)
            return FLOW_CLASS_SIP;
    }
    return (p.app_protocol || p.master_protocol) ? FLOW_CLASS_OTHER : FLOW_CLASS_UNKNOWN;
}

/* An IP + UDP header around (the start of) the payload. */
static size_t
build_packet(const CapPacket *pkt, uint8_t *buf, size_t cap)
{
    SlView v = pkt->payload;
    size_t n = MIN(v.len, MAX_PAYLOAD);
    size_t ip = pkt->src.family == SL_AF_INET6 ? 40 : 20;
    if (ip + 8 + n > cap)
        return 0;
    memset(buf, 0, ip + 8);
    size_t udp_len = 8 + n;
    if (ip == 20) {
        buf[0] = 0x45;
        buf[2] = (uint8_t)((20 + udp_len) >> 8);
        buf[3] = (uint8_t)(20 + udp_len);
        buf[8] = 64;
        buf[9] = 17;
        memcpy(buf + 12, pkt->src.ip, 4);
        memcpy(buf + 16, pkt->dst.ip, 4);
    } else {
        buf[0] = 0x60;
        buf[4] = (uint8_t)(udp_len >> 8);
        buf[5] = (uint8_t)udp_len;
        buf[6] = 17;
        buf[7] = 64;
        memcpy(buf + 8, pkt->src.ip, 16);
        memcpy(buf + 24, pkt->dst.ip, 16);
    }
    uint8_t *u = buf + ip;
    u[0] = (uint8_t)(pkt->src.port >> 8);
    u[1] = (uint8_t)pkt->src.port;
    u[2] = (uint8_t)(pkt->dst.port >> 8);
    u[3] = (uint8_t)pkt->dst.port;
    u[4] = (uint8_t)(udp_len >> 8);
    u[5] = (uint8_t)udp_len;
    SlView copy = v;
    sl_view_copy(&copy, u + 8, n);
    return ip + 8 + n;
}

FlowClassKind
flow_class_packet(FlowClassifier *fc, const CapPacket *pkt)
{
    return flow_class_packet_decided(fc, pkt, NULL);
}

FlowClassKind
flow_class_packet_decided(FlowClassifier *fc, const CapPacket *pkt, bool *decided)
{
    if (decided)
        *decided = false;
    if (pkt->transport != CAP_TRANSPORT_UDP ||
        (pkt->src.family != SL_AF_INET && pkt->src.family != SL_AF_INET6))
        return FLOW_CLASS_UNKNOWN;
    SlAddrPair key;
    sl_addr_pair_init_unordered(&key, &pkt->src, &pkt->dst);
    Flow *f = g_hash_table_lookup(fc->flows, &key);
    if (!f) {
        if (g_hash_table_size(fc->flows) >= MAX_FLOWS)
            return FLOW_CLASS_UNKNOWN;
        f = g_new0(Flow, 1);
        f->key = key;
        f->flow = ndpi_flow_malloc(SIZEOF_FLOW_STRUCT);
        if (!f->flow) {
            g_free(f);
            return FLOW_CLASS_UNKNOWN;
        }
        memset(f->flow, 0, SIZEOF_FLOW_STRUCT);
        g_hash_table_insert(fc->flows, &f->key, f);
    }
    if (decided && !f->flow)
        *decided = true;
    if (!f->flow)
        return f->kind;
    uint8_t buf[40 + 8 + MAX_PAYLOAD];
    size_t len = build_packet(pkt, buf, sizeof buf);
    if (len == 0)
        return f->kind;
    ndpi_protocol p = ndpi_detection_process_packet(fc->ndpi, f->flow, buf, (unsigned short)len,
                                                    (uint64_t)(pkt->ts / SL_TIME_MSEC));
    f->kind = kind_of(p);
    if (f->kind != FLOW_CLASS_UNKNOWN || ++f->packets >= MAX_PACKETS_PER_FLOW) {
        if (f->kind == FLOW_CLASS_UNKNOWN) {
            uint8_t guessed = 0;
            f->kind = kind_of(ndpi_detection_giveup(fc->ndpi, f->flow, 1, &guessed));
        }
        ndpi_flow_free(f->flow); /* decided: keep the verdict, not the state */
        f->flow = NULL;
        if (decided)
            *decided = true;
    }
    return f->kind;
}

FlowClassKind
flow_class_lookup(FlowClassifier *fc, const SlAddr *a, const SlAddr *b)
{
    SlAddrPair key;
    sl_addr_pair_init_unordered(&key, a, b);
    Flow *f = g_hash_table_lookup(fc->flows, &key);
    return f ? f->kind : FLOW_CLASS_UNKNOWN;
}
