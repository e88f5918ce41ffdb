/* sipladder: frame decoding from the link layer to transport payloads.
 * RFC 791, RFC 8200 section 4 (extension headers), RFC 768, RFC 9260
 * section 3.3.1 (DATA chunk), RFC 2003 and RFC 4213 section 3 (IP in IP,
 * IPv6 in IPv4), RFC 2784 + RFC 2890 (GRE), RFC 7348 (VXLAN), RFC 8926
 * section 3.4 (GENEVE), IEEE 802.1Q/802.1ad, Linux cooked capture v1/v2,
 * BSD loopback. */
#include <pcap/pcap.h>
#include <string.h>

#include "cap-hep.h"
#include "cap-private.h"
#include "sllimits.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

enum {
    ETH_IPV4 = 0x0800,
    ETH_IPV6 = 0x86DD,
    ETH_VLAN = 0x8100,
    ETH_QINQ = 0x88A8,
    ETH_QINQ_OLD = 0x9100,
    ETH_MPLS = 0x8847,
    ETH_MPLS_MC = 0x8848,
    ETH_PPPOE = 0x8864,
    ETH_TEB = 0x6558,       /* GRE: transparent Ethernet bridging */
    ETH_ERSPAN2 = 0x88BE,
    ETH_ERSPAN3 = 0x22EB,
    ETH_PPP = 0x880B,
};

enum {
    IPP_HOPOPT = 0, IPP_IPIP = 4, IPP_TCP = 6, IPP_UDP = 17, IPP_IPV6 = 41,
    IPP_ROUTING = 43, IPP_FRAGMENT = 44, IPP_GRE = 47, IPP_ESP = 50, IPP_AH = 51,
    IPP_NONE = 59, IPP_DSTOPTS = 60, IPP_MOBILITY = 135, IPP_HIP = 139,
    IPP_SHIM6 = 140, IPP_SCTP = 132,
};

#define VXLAN_PORT 4789
#define GENEVE_PORT 6081
#define HEP_PORT 9060

/* An SCTP user message being rebuilt from DATA chunk fragments
 * (RFC 9260 section 6.9): B first, then consecutive TSNs, E last. */
typedef struct {
    SlAddr src, dst;
    uint16_t sid;
} SctpKey;

typedef struct {
    SctpKey key;
    uint32_t next_tsn;
    GByteArray *data;
} SctpPartial;

#define SCTP_MAX_PARTIALS 1024

struct CapDecoder {
    CapLimits limits;
    CapStats stats;
    CapFragTable *frags;
    GHashTable *sctp; /* SctpKey* -> SctpPartial* */
    size_t sctp_held;
    CapTcpTable *tcp;
    CapHepSeq *hep_seq;
    CapPacketFunc func;
    gpointer user;
};

/* Per-frame state while walking down the layers. */
typedef struct {
    CapDecoder *dec;
    CapPacket pkt;
    unsigned depth; /* tunnels entered */
    bool ip_cut;    /* the innermost IP payload lacks bytes its header counts */
} Ctx;

static void dec_ethertype(Ctx *c, uint16_t type, SlView v);
static void dec_ether(Ctx *c, SlView v);
static void dec_ip(Ctx *c, SlView v);
static void dec_ipv4(Ctx *c, SlView v);
static void dec_ipv6(Ctx *c, SlView v);
static void dec_l4(Ctx *c, uint8_t proto, SlView v);

const char *
cap_transport_name(CapTransport t)
{
    switch (t) {
    case CAP_TRANSPORT_UDP: return "UDP";
    case CAP_TRANSPORT_TCP: return "TCP";
    case CAP_TRANSPORT_SCTP: return "SCTP";
    case CAP_TRANSPORT_NONE: break;
    }
    return "-";
}

const char *
cap_tunnel_name(CapTunnel t)
{
    switch (t) {
    case CAP_TUNNEL_IPIP: return "IPIP";
    case CAP_TUNNEL_GRE: return "GRE";
    case CAP_TUNNEL_ERSPAN: return "ERSPAN";
    case CAP_TUNNEL_VXLAN: return "VXLAN";
    case CAP_TUNNEL_GENEVE: return "GENEVE";
    case CAP_TUNNEL_HEP: return "HEP";
    case CAP_TUNNEL_NONE: break;
    }
    return "-";
}

void
cap_limits_init(CapLimits *l)
{
    l->frag_max_bytes = (size_t)sl_limit_info(SL_LIMIT_IP_FRAGMENTS)->def;
    l->frag_timeout = 30 * SL_TIME_SECOND;
    l->tcp_max_buffer = (size_t)sl_limit_info(SL_LIMIT_TCP_BUFFER)->def;
    l->tcp_max_streams = (size_t)sl_limit_info(SL_LIMIT_TCP_STREAMS)->def;
    l->tcp_max_total = (size_t)sl_limit_info(SL_LIMIT_TCP_MEMORY)->def;
    l->tcp_idle_timeout = 600 * SL_TIME_SECOND;
    l->max_tunnel_depth = 16;
}

static guint
sctp_key_hash(gconstpointer p)
{
    const SctpKey *k = p;
    return sl_addr_hash(&k->src) * 31 + sl_addr_hash(&k->dst) + k->sid;
}

static gboolean
sctp_key_equal(gconstpointer a, gconstpointer b)
{
    const SctpKey *x = a, *y = b;
    return x->sid == y->sid && sl_addr_equal(&x->src, &y->src) && sl_addr_equal(&x->dst, &y->dst);
}

static void
sctp_partial_free(gpointer p)
{
    SctpPartial *sp = p;
    g_byte_array_unref(sp->data);
    g_free(sp);
}

CapDecoder *
cap_decoder_new(const CapLimits *limits, CapPacketFunc func, gpointer user)
{
    g_return_val_if_fail(func != NULL, NULL);
    CapDecoder *d = g_new0(CapDecoder, 1);
    if (limits)
        d->limits = *limits;
    else
        cap_limits_init(&d->limits);
    d->frags = cap_frag_table_new(&d->limits, &d->stats);
    d->tcp = cap_tcp_table_new(&d->limits, &d->stats);
    d->sctp = g_hash_table_new_full(sctp_key_hash, sctp_key_equal, NULL, sctp_partial_free);
    d->hep_seq = cap_hep_seq_new();
    d->func = func;
    d->user = user;
    return d;
}

void
cap_decoder_free(CapDecoder *d)
{
    if (!d)
        return;
    cap_tcp_table_free(d->tcp);
    cap_frag_table_free(d->frags);
    g_hash_table_destroy(d->sctp);
    cap_hep_seq_free(d->hep_seq);
    g_free(d);
}

const CapStats *
cap_decoder_stats(const CapDecoder *d)
{
    return &d->stats;
}

size_t
cap_decoder_held_bytes(const CapDecoder *d)
{
    return cap_frag_held(d->frags) + cap_tcp_held(d->tcp) + d->sctp_held;
}

void
cap_decoder_finish(CapDecoder *d)
{
    cap_tcp_table_finish(d->tcp, d->func, d->user);
    cap_frag_table_clear(d->frags);
    g_hash_table_remove_all(d->sctp);
    d->sctp_held = 0;
}

static void
truncated(Ctx *c)
{
    c->dec->stats.truncated++;
}

static void
malformed(Ctx *c)
{
    c->dec->stats.malformed++;
}

/* ---------------------------------------------------------------- link */

void
cap_decoder_feed(CapDecoder *d, const CapFrame *f, uint32_t source_id)
{
    Ctx c = { .dec = d };
    c.pkt.frame = f->frame;
    c.pkt.ts = f->ts < 0 ? 0 : f->ts; /* sources clamp; this keeps the rule for all */
    c.pkt.cap_len = f->cap_len;
    c.pkt.wire_len = f->wire_len;
    c.pkt.source_id = source_id;
    if (f->cap_len < f->wire_len)
        c.pkt.flags |= CAP_PKT_TRUNCATED;
    d->stats.frames++;
    d->stats.bytes += f->cap_len;
    cap_frag_table_expire(d->frags, f->ts);

    SlView v = sl_view_make(f->data, f->cap_len);
    switch (f->linktype) {
    case DLT_EN10MB:
        dec_ether(&c, v);
        break;
    case DLT_RAW:
    case 14: /* DLT_RAW on some BSDs */
    case DLT_IPV4:
    case DLT_IPV6:
        dec_ip(&c, v);
        break;
    case DLT_NULL:
    case DLT_LOOP: {
        /* 4-byte address family: host order for NULL, network for LOOP */
        uint32_t fam_be, fam;
        SlView h = v;
        if (!sl_view_be32(&v, &fam_be) || !sl_view_le32(&h, &fam)) {
            truncated(&c);
            break;
        }
        uint32_t family = f->linktype == DLT_LOOP ? fam_be : (fam_be < 256 ? fam_be : fam);
        if (family == 2)
            dec_ipv4(&c, v);
        else if (family == 10 || family == 24 || family == 28 || family == 30)
            dec_ipv6(&c, v);
        else
            d->stats.non_ip++;
        break;
    }
    case DLT_LINUX_SLL: {
        /* packet type(2) ARPHRD(2) addr len(2) addr(8) protocol(2) */
        uint16_t proto;
        if (!sl_view_skip(&v, 14) || !sl_view_be16(&v, &proto)) {
            truncated(&c);
            break;
        }
        dec_ethertype(&c, proto, v);
        break;
    }
    case DLT_LINUX_SLL2: {
        /* protocol(2) reserved(2) ifindex(4) ARPHRD(2) type(1) alen(1) addr(8) */
        uint16_t proto;
        if (!sl_view_be16(&v, &proto) || !sl_view_skip(&v, 18)) {
            truncated(&c);
            break;
        }
        dec_ethertype(&c, proto, v);
        break;
    }
    default:
        d->stats.unsupported_link++;
        break;
    }
}

static void
dec_ether(Ctx *c, SlView v)
{
    uint16_t type;
    if (!sl_view_skip(&v, 12) || !sl_view_be16(&v, &type)) {
        truncated(c);
        return;
    }
    dec_ethertype(c, type, v);
}

static void
dec_mpls(Ctx *c, SlView v)
{
    for (int i = 0; i < 16; i++) {
        uint32_t label;
        if (!sl_view_be32(&v, &label)) {
            truncated(c);
            return;
        }
        if (label & 0x100) { /* bottom of stack */
            dec_ip(c, v);
            return;
        }
    }
    malformed(c);
}

static void
dec_ppp_proto(Ctx *c, uint16_t proto, SlView v)
{
    if (proto == 0x0021)
        dec_ipv4(c, v);
    else if (proto == 0x0057)
        dec_ipv6(c, v);
    else
        c->dec->stats.non_ip++;
}

static void
dec_ethertype(Ctx *c, uint16_t type, SlView v)
{
    for (int tags = 0; type == ETH_VLAN || type == ETH_QINQ || type == ETH_QINQ_OLD; tags++) {
        uint16_t tci;
        if (tags >= 4) {
            malformed(c);
            return;
        }
        if (!sl_view_be16(&v, &tci) || !sl_view_be16(&v, &type)) {
            truncated(c);
            return;
        }
        if (!(c->pkt.flags & CAP_PKT_VLAN))
            c->pkt.vlan = tci & 0x0fff;
        c->pkt.flags |= CAP_PKT_VLAN;
    }
    switch (type) {
    case ETH_IPV4:
        dec_ipv4(c, v);
        break;
    case ETH_IPV6:
        dec_ipv6(c, v);
        break;
    case ETH_MPLS:
    case ETH_MPLS_MC:
        dec_mpls(c, v);
        break;
    case ETH_PPPOE: {
        uint16_t proto;
        if (!sl_view_skip(&v, 6) || !sl_view_be16(&v, &proto)) {
            truncated(c);
            return;
        }
        dec_ppp_proto(c, proto, v);
        break;
    }
    default:
        c->dec->stats.non_ip++;
        break;
    }
}

/* ------------------------------------------------------------------ IP */

static void
dec_ip(Ctx *c, SlView v)
{
    uint8_t b;
    if (!sl_view_peek_u8(v, 0, &b)) {
        truncated(c);
        return;
    }
    if ((b >> 4) == 4)
        dec_ipv4(c, v);
    else if ((b >> 4) == 6)
        dec_ipv6(c, v);
    else
        c->dec->stats.non_ip++;
}

static void
dec_ipv4(Ctx *c, SlView v)
{
    SlView hdr = v;
    uint8_t ver_ihl, tos, ttl, proto;
    uint16_t total, id, frag;
    uint8_t src[4], dst[4];
    if (!sl_view_u8(&hdr, &ver_ihl) || !sl_view_u8(&hdr, &tos) || !sl_view_be16(&hdr, &total) ||
        !sl_view_be16(&hdr, &id) || !sl_view_be16(&hdr, &frag) || !sl_view_u8(&hdr, &ttl) ||
        !sl_view_u8(&hdr, &proto) || !sl_view_skip(&hdr, 2) || !sl_view_copy(&hdr, src, 4) ||
        !sl_view_copy(&hdr, dst, 4)) {
        truncated(c);
        return;
    }
    size_t ihl = (size_t)(ver_ihl & 0x0f) * 4;
    if ((ver_ihl >> 4) != 4 || ihl < 20 || total < ihl) {
        malformed(c);
        return;
    }
    if (v.len < ihl) {
        truncated(c);
        return;
    }
    /* the datagram ends at Total Length; trailing link padding is not ours */
    SlView payload = sl_view_sub(v, ihl, (size_t)total - ihl);
    c->ip_cut = v.len < total;
    if (c->ip_cut)
        c->pkt.flags |= CAP_PKT_TRUNCATED;

    if (c->pkt.src.family)
        c->pkt.flags |= CAP_PKT_TUNNELED;
    sl_addr_set_v4(&c->pkt.src, src, 0);
    sl_addr_set_v4(&c->pkt.dst, dst, 0);
    c->pkt.ip_id = id;
    c->pkt.ttl = ttl;

    size_t offset = (size_t)(frag & 0x1fff) * 8;
    bool more = (frag & 0x2000) != 0;
    if (offset == 0 && !more) {
        dec_l4(c, proto, payload);
        return;
    }
    c->dec->stats.ip_fragments++;
    if (v.len < total) {
        truncated(c); /* a cut fragment can never complete its datagram */
        return;
    }
    CapFragKey key = { .family = 4, .proto = proto, .id = id };
    memcpy(key.src, src, 4);
    memcpy(key.dst, dst, 4);
    size_t len = 0;
    uint8_t *whole = cap_frag_add(c->dec->frags, &key, c->pkt.ts, offset, more, proto,
                                  payload, &len, NULL);
    if (whole) {
        c->pkt.flags |= CAP_PKT_IP_REASSEMBLED;
        dec_l4(c, proto, sl_view_make(whole, len));
        g_free(whole);
    }
}

static void
dec_ipv6(Ctx *c, SlView v)
{
    uint32_t vtf;
    uint16_t plen;
    uint8_t next, hlim, src[16], dst[16];
    if (!sl_view_be32(&v, &vtf) || !sl_view_be16(&v, &plen) || !sl_view_u8(&v, &next) ||
        !sl_view_u8(&v, &hlim) || !sl_view_copy(&v, src, 16) || !sl_view_copy(&v, dst, 16)) {
        truncated(c);
        return;
    }
    if ((vtf >> 28) != 6) {
        malformed(c);
        return;
    }
    c->ip_cut = false;
    if (plen != 0) { /* 0 = jumbogram: the rest of the frame */
        c->ip_cut = v.len < plen;
        if (c->ip_cut)
            c->pkt.flags |= CAP_PKT_TRUNCATED;
        v = sl_view_sub(v, 0, plen);
    }
    if (c->pkt.src.family)
        c->pkt.flags |= CAP_PKT_TUNNELED;
    sl_addr_set_v6(&c->pkt.src, src, 0);
    sl_addr_set_v6(&c->pkt.dst, dst, 0);
    c->pkt.ip_id = 0;
    c->pkt.ttl = hlim;

    uint8_t *whole = NULL;
    for (int n = 0; n < 16; n++) {
        switch (next) {
        case IPP_HOPOPT:
        case IPP_ROUTING:
        case IPP_DSTOPTS:
        case IPP_MOBILITY:
        case IPP_HIP:
        case IPP_SHIM6: {
            uint8_t nh, hlen;
            SlView h = v;
            if (!sl_view_u8(&h, &nh) || !sl_view_u8(&h, &hlen) ||
                !sl_view_skip(&v, ((size_t)hlen + 1) * 8)) {
                truncated(c);
                goto out;
            }
            next = nh;
            continue;
        }
        case IPP_AH: {
            uint8_t nh, hlen;
            SlView h = v;
            if (!sl_view_u8(&h, &nh) || !sl_view_u8(&h, &hlen) ||
                !sl_view_skip(&v, ((size_t)hlen + 2) * 4)) {
                truncated(c);
                goto out;
            }
            next = nh;
            continue;
        }
        case IPP_FRAGMENT: {
            uint8_t nh, res;
            uint16_t off_m;
            uint32_t id;
            if (whole || !sl_view_u8(&v, &nh) || !sl_view_u8(&v, &res) ||
                !sl_view_be16(&v, &off_m) || !sl_view_be32(&v, &id)) {
                if (whole)
                    malformed(c);
                else
                    truncated(c);
                goto out;
            }
            size_t offset = (size_t)(off_m >> 3) * 8;
            bool more = (off_m & 1) != 0;
            if (offset == 0 && !more) { /* atomic fragment */
                next = nh;
                continue;
            }
            c->dec->stats.ip_fragments++;
            if (c->ip_cut) {
                truncated(c);
                goto out;
            }
            CapFragKey key = { .family = 6, .proto = 0, .id = id };
            memcpy(key.src, src, 16);
            memcpy(key.dst, dst, 16);
            size_t len = 0;
            uint8_t first_next = nh;
            whole = cap_frag_add(c->dec->frags, &key, c->pkt.ts, offset, more, nh, v, &len,
                                 &first_next);
            if (!whole)
                goto out;
            c->pkt.flags |= CAP_PKT_IP_REASSEMBLED;
            v = sl_view_make(whole, len);
            next = first_next;
            continue;
        }
        case IPP_NONE:
        case IPP_ESP:
            goto out;
        default:
            dec_l4(c, next, v);
            goto out;
        }
    }
    malformed(c); /* too many extension headers */
out:
    g_free(whole);
}

/* ----------------------------------------------------------- tunnels */

/* Counts one more encapsulation; the first one entered is the outermost,
 * whose kind and IP addresses (those of the header just read) the packet
 * keeps. */
static bool
enter_tunnel(Ctx *c, CapTunnel kind, uint32_t id)
{
    if (c->depth >= c->dec->limits.max_tunnel_depth) {
        malformed(c);
        return false;
    }
    if (c->depth == 0) {
        c->pkt.tunnel = kind;
        c->pkt.tunnel_id = id;
        c->pkt.tunnel_src = c->pkt.src;
        c->pkt.tunnel_dst = c->pkt.dst;
        c->pkt.tunnel_src.port = c->pkt.tunnel_dst.port = 0;
    }
    c->depth++;
    c->pkt.tunnel_depth = (uint8_t)MIN(c->depth, 255u);
    c->pkt.flags |= CAP_PKT_TUNNELED;
    return true;
}

/* GRE turned out to carry ERSPAN: the outermost tunnel's kind says so. */
static void
refine_tunnel(Ctx *c, CapTunnel kind, uint32_t id)
{
    if (c->depth == 1) {
        c->pkt.tunnel = kind;
        c->pkt.tunnel_id = id;
    }
}

static void
dec_gre(Ctx *c, SlView v)
{
    uint16_t flags, proto;
    if (!sl_view_be16(&v, &flags) || !sl_view_be16(&v, &proto)) {
        truncated(c);
        return;
    }
    unsigned version = flags & 0x7;
    if (version > 1) {
        malformed(c);
        return;
    }
    uint32_t key = 0;
    if ((flags & 0x8000) && !sl_view_skip(&v, 4)) { /* C: checksum + reserved */
        truncated(c);
        return;
    }
    if ((flags & 0x2000) && !sl_view_be32(&v, &key)) { /* K: key */
        truncated(c);
        return;
    }
    size_t skip = 0;
    if (flags & 0x1000) /* S: sequence number */
        skip += 4;
    if (version == 1 && (flags & 0x0080)) /* enhanced GRE: acknowledgment */
        skip += 4;
    if (!sl_view_skip(&v, skip)) {
        truncated(c);
        return;
    }
    refine_tunnel(c, CAP_TUNNEL_GRE, key);
    switch (proto) {
    case ETH_IPV4:
        dec_ipv4(c, v);
        break;
    case ETH_IPV6:
        dec_ipv6(c, v);
        break;
    case ETH_TEB:
        dec_ether(c, v);
        break;
    case ETH_ERSPAN2: {
        /* type I has no header (no S bit); type II has 8 bytes:
         * Ver(4) VLAN(12) COS(3) En(2) T(1) Session ID(10) Reserved(12) Index(20) */
        uint32_t w0 = 0;
        if ((flags & 0x1000) && (!sl_view_be32(&v, &w0) || !sl_view_skip(&v, 4))) {
            truncated(c);
            return;
        }
        refine_tunnel(c, CAP_TUNNEL_ERSPAN, w0 & 0x3ff);
        dec_ether(c, v);
        break;
    }
    case ETH_ERSPAN3: {
        /* 12 bytes, the session ID as in type II; the O flag (lowest bit)
         * adds an 8-byte platform subheader */
        uint32_t w0;
        uint8_t b;
        if (!sl_view_peek_u8(v, 11, &b) || !sl_view_be32(&v, &w0) ||
            !sl_view_skip(&v, (b & 1) ? 16 : 8)) {
            truncated(c);
            return;
        }
        refine_tunnel(c, CAP_TUNNEL_ERSPAN, w0 & 0x3ff);
        dec_ether(c, v);
        break;
    }
    case ETH_PPP: {
        uint8_t b0, b1;
        if (!sl_view_peek_u8(v, 0, &b0) || !sl_view_peek_u8(v, 1, &b1)) {
            truncated(c);
            return;
        }
        if (b0 == 0xff && b1 == 0x03) /* address and control */
            sl_view_skip(&v, 2);
        uint8_t p0;
        uint16_t pproto;
        if (!sl_view_u8(&v, &p0)) {
            truncated(c);
            return;
        }
        if (p0 & 1) { /* compressed one-byte protocol field */
            pproto = p0;
        } else {
            uint8_t p1;
            if (!sl_view_u8(&v, &p1)) {
                truncated(c);
                return;
            }
            pproto = (uint16_t)(p0 << 8 | p1);
        }
        dec_ppp_proto(c, pproto, v);
        break;
    }
    default:
        c->dec->stats.non_ip++;
        break;
    }
}

/* ----------------------------------------------------------- transport */

static void
deliver(Ctx *c, CapTransport t, uint16_t sport, uint16_t dport, SlView payload)
{
    c->pkt.transport = t;
    c->pkt.src.port = sport;
    c->pkt.dst.port = dport;
    c->pkt.payload = payload;
    c->pkt.stream = NULL;
    c->dec->stats.payloads++;
    c->dec->func(&c->pkt, c->dec->user);
}

/* VXLAN (RFC 7348 section 5): flags(8, I = 0x08) reserved(24) VNI(24)
 * reserved(8), then an Ethernet frame. Returns false when the datagram does
 * not look like VXLAN (it is then delivered as it is). */
static bool
dec_vxlan(Ctx *c, SlView v)
{
    uint8_t vflags;
    uint32_t vni;
    SlView h = v;
    if (!sl_view_u8(&h, &vflags) || !(vflags & 0x08) || !sl_view_skip(&h, 3) ||
        !sl_view_be32(&h, &vni) || h.len < 14)
        return false;
    if (enter_tunnel(c, CAP_TUNNEL_VXLAN, vni >> 8))
        dec_ether(c, h);
    return true;
}

/* GENEVE (RFC 8926 section 3.4):
 *   Ver(2) Opt Len(6) O(1) C(1) Rsvd(6) Protocol Type(16)
 *   VNI(24) Reserved(8) Variable-Length Options (Opt Len * 4 bytes)
 * then the frame the Protocol Type names (0x6558 Ethernet, IPv4, IPv6).
 * Returns false when the datagram is not GENEVE version 0. */
static bool
dec_geneve(Ctx *c, SlView v)
{
    uint8_t b0, b1;
    uint16_t proto;
    uint32_t vni;
    SlView h = v;
    if (!sl_view_u8(&h, &b0) || !sl_view_u8(&h, &b1) || !sl_view_be16(&h, &proto) ||
        !sl_view_be32(&h, &vni) || (b0 >> 6) != 0)
        return false;
    if (proto != ETH_TEB && proto != ETH_IPV4 && proto != ETH_IPV6)
        return false;
    if (!sl_view_skip(&h, (size_t)(b0 & 0x3f) * 4)) {
        truncated(c);
        return true;
    }
    if (!enter_tunnel(c, CAP_TUNNEL_GENEVE, vni >> 8))
        return true;
    if (proto == ETH_TEB)
        dec_ether(c, h);
    else if (proto == ETH_IPV4)
        dec_ipv4(c, h);
    else
        dec_ipv6(c, h);
    return true;
}

/* HEP sent to a collector (capture/cap-hep.h): "HEP3" on any port, HEPv1
 * and v2 (a weaker signature) on the usual port 9060 only. The packet HEP
 * carried is decoded as a raw IP frame with HEP's addresses, ports and
 * time. Returns false when the datagram is not HEP (it is then delivered
 * as it is). */
static bool
dec_hep(Ctx *c, uint16_t sport, uint16_t dport, SlView v)
{
    /* the first byte rules out nearly every payload (RTP starts with 0x80) */
    int b0 = sl_view_at(v, 0);
    bool v3 = (b0 == 'H' || b0 == 'E') &&
              (sl_view_has_prefix(v, "HEP3") || sl_view_has_prefix(v, "EEP3"));
    if (!v3 && !((dport == HEP_PORT || sport == HEP_PORT) && cap_hep_looks_like(v)))
        return false;
    CapHep h;
    SlError err = { 0 };
    if (cap_hep_parse(v, &h, NULL, &err) != SL_OK) {
        cap_hep_clear(&h);
        c->dec->stats.hep_malformed++;
        return true;
    }
    c->dec->stats.hep++;
    if (h.payload_type != 0 && h.payload_type != CAP_HEP_TYPE_SIP &&
        h.payload_type != CAP_HEP_TYPE_RTP && h.payload_type != CAP_HEP_TYPE_RTCP) {
        c->dec->stats.hep_ignored++;
        cap_hep_clear(&h);
        return true;
    }
    size_t cap = h.payload.len + 64;
    g_autofree uint8_t *frame = g_malloc(cap);
    uint32_t seq = h.ip_proto == 6 ? cap_hep_seq_next(c->dec->hep_seq, &h) : 0;
    size_t n = cap_hep_frame(&h, seq, frame, cap);
    if (n && enter_tunnel(c, CAP_TUNNEL_HEP, h.capture_id)) {
        if (h.has_ts)
            c->pkt.ts = h.ts;
        dec_ip(c, sl_view_make(frame, n));
    } else if (!n) {
        c->dec->stats.hep_malformed++;
    }
    cap_hep_clear(&h);
    return true;
}

static void
dec_udp(Ctx *c, SlView v)
{
    uint16_t sport, dport, ulen;
    if (!sl_view_be16(&v, &sport) || !sl_view_be16(&v, &dport) || !sl_view_be16(&v, &ulen) ||
        !sl_view_skip(&v, 2)) {
        truncated(c);
        return;
    }
    if (ulen >= 8) {
        if ((size_t)ulen - 8 > v.len)
            c->pkt.flags |= CAP_PKT_TRUNCATED;
        v = sl_view_sub(v, 0, (size_t)ulen - 8);
    } else if (ulen != 0 || c->pkt.src.family != SL_AF_INET6) {
        /* 0 is legal for IPv6 jumbograms only (RFC 2675) */
        malformed(c);
        return;
    }
    if (dport == VXLAN_PORT && dec_vxlan(c, v))
        return;
    if (dport == GENEVE_PORT && dec_geneve(c, v))
        return;
    if (dec_hep(c, sport, dport, v))
        return;
    deliver(c, CAP_TRANSPORT_UDP, sport, dport, v);
}

static void
dec_tcp(Ctx *c, SlView v)
{
    uint16_t sport, dport, offflags;
    uint32_t seq, ack;
    SlView h = v;
    if (!sl_view_be16(&h, &sport) || !sl_view_be16(&h, &dport) || !sl_view_be32(&h, &seq) ||
        !sl_view_be32(&h, &ack) || !sl_view_be16(&h, &offflags)) {
        truncated(c);
        return;
    }
    size_t doff = (size_t)(offflags >> 12) * 4;
    if (doff < 20) {
        malformed(c);
        return;
    }
    if (!sl_view_skip(&v, doff)) {
        truncated(c);
        return;
    }
    if (c->ip_cut) {
        /* the segment was cut by the snaplen: its bytes are incomplete and
         * would corrupt the stream; treat it as lost */
        truncated(c);
        v.len = 0;
    }
    uint8_t flags = 0;
    if (offflags & 0x01)
        flags |= CAP_TCP_FIN;
    if (offflags & 0x02)
        flags |= CAP_TCP_SYN;
    if (offflags & 0x04)
        flags |= CAP_TCP_RST;
    c->pkt.transport = CAP_TRANSPORT_TCP;
    c->pkt.src.port = sport;
    c->pkt.dst.port = dport;
    cap_tcp_table_segment(c->dec->tcp, &c->pkt, seq, flags, v, c->dec->func, c->dec->user);
}

static void
sctp_drop(CapDecoder *d, SctpPartial *sp)
{
    d->sctp_held -= sp->data->len;
    g_hash_table_remove(d->sctp, &sp->key);
}

/* Appends one fragment; delivers the user message when E arrives. Only
 * in-order fragments are joined (a lost or reordered one drops the message). */
static void
sctp_fragment(Ctx *c, uint16_t sport, uint16_t dport, uint16_t sid, uint32_t tsn,
              uint8_t cflags, SlView chunk)
{
    CapDecoder *d = c->dec;
    SctpKey key = { c->pkt.src, c->pkt.dst, sid };
    key.src.port = sport;
    key.dst.port = dport;
    SctpPartial *sp = g_hash_table_lookup(d->sctp, &key);
    if (cflags & 0x02) { /* B: first fragment */
        if (sp)
            sctp_drop(d, sp);
        if (g_hash_table_size(d->sctp) >= SCTP_MAX_PARTIALS) {
            d->stats.malformed++;
            return;
        }
        sp = g_new0(SctpPartial, 1);
        sp->key = key;
        sp->data = g_byte_array_new();
        g_hash_table_insert(d->sctp, &sp->key, sp);
    } else if (sp == NULL || sp->next_tsn != tsn) {
        if (sp)
            sctp_drop(d, sp);
        return;
    }
    if (sp->data->len + chunk.len > d->limits.tcp_max_buffer) {
        d->stats.tcp_limit++;
        sctp_drop(d, sp);
        return;
    }
    g_byte_array_append(sp->data, chunk.p, (guint)chunk.len);
    d->sctp_held += chunk.len;
    sp->next_tsn = tsn + 1;
    if (cflags & 0x01) { /* E: last fragment */
        GByteArray *whole = g_byte_array_ref(sp->data);
        sctp_drop(d, sp);
        deliver(c, CAP_TRANSPORT_SCTP, sport, dport, sl_view_make(whole->data, whole->len));
        g_byte_array_unref(whole);
    }
}

static void
dec_sctp(Ctx *c, SlView v)
{
    uint16_t sport, dport;
    if (!sl_view_be16(&v, &sport) || !sl_view_be16(&v, &dport) || !sl_view_skip(&v, 8)) {
        truncated(c);
        return;
    }
    while (v.len >= 4) {
        uint8_t type, cflags;
        uint16_t clen;
        SlView chunk;
        if (!sl_view_u8(&v, &type) || !sl_view_u8(&v, &cflags) || !sl_view_be16(&v, &clen))
            break;
        if (clen < 4) {
            malformed(c);
            return;
        }
        if (!sl_view_take(&v, (size_t)clen - 4, &chunk)) {
            truncated(c);
            return;
        }
        sl_view_skip(&v, (4 - clen % 4) % 4); /* padding; may be absent at the end */
        if (type != 0) /* DATA */
            continue;
        c->dec->stats.sctp_chunks++;
        uint32_t tsn, ppid;
        uint16_t sid, ssn;
        if (!sl_view_be32(&chunk, &tsn) || !sl_view_be16(&chunk, &sid) ||
            !sl_view_be16(&chunk, &ssn) || !sl_view_be32(&chunk, &ppid)) {
            malformed(c);
            continue;
        }
        c->pkt.sctp_ppid = ppid;
        if ((cflags & 0x03) == 0x03) { /* B and E: a whole user message */
            deliver(c, CAP_TRANSPORT_SCTP, sport, dport, chunk);
            continue;
        }
        c->dec->stats.sctp_fragmented++;
        sctp_fragment(c, sport, dport, sid, tsn, cflags, chunk);
    }
}

static void
dec_l4(Ctx *c, uint8_t proto, SlView v)
{
    switch (proto) {
    case IPP_UDP:
        dec_udp(c, v);
        break;
    case IPP_TCP:
        dec_tcp(c, v);
        break;
    case IPP_SCTP:
        dec_sctp(c, v);
        break;
    case IPP_IPIP:
        if (enter_tunnel(c, CAP_TUNNEL_IPIP, 0))
            dec_ipv4(c, v);
        break;
    case IPP_IPV6:
        if (enter_tunnel(c, CAP_TUNNEL_IPIP, 0))
            dec_ipv6(c, v);
        break;
    case IPP_GRE:
        if (enter_tunnel(c, CAP_TUNNEL_GRE, 0))
            dec_gre(c, v);
        break;
    default:
        break;
    }
}
