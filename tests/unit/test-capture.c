/* sipladder: unit tests for capture/: link layers, IPv4/IPv6 with their
 * fragments and extension headers, tunnels, UDP, TCP byte streams, SCTP
 * DATA chunks (cap-decode.c, cap-ipfrag.c, cap-tcp.c) and capture files
 * (cap-source-file.c). Frames are assembled byte by byte in memory. */
#include "cap-decode.h"
#include "cap-source.h"
#include "status.h"

#include <arpa/inet.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <pcap/pcap.h>
#include <stddef.h>
#include <string.h>
#include <zlib.h>

/* Link types by their LINKTYPE_ numbers (DLT_RAW is 14 on some BSDs). */
enum {
    LT_NULL = 0,
    LT_EN10MB = 1,
    LT_RAW = 12,
    LT_RAW_BSD = 14,
    LT_IEEE802_11 = 105,
    LT_LOOP = 108,
    LT_SLL = 113,
    LT_IPV4 = 228,
    LT_IPV6 = 229,
    LT_SLL2 = 276,
};

enum {
    IPP_HOPOPT = 0,
    IPP_IPIP = 4,
    IPP_TCP = 6,
    IPP_UDP = 17,
    IPP_IPV6 = 41,
    IPP_ROUTING = 43,
    IPP_FRAGMENT = 44,
    IPP_GRE = 47,
    IPP_AH = 51,
    IPP_DSTOPTS = 60,
    IPP_SCTP = 132,
};

enum { TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04, TH_PSH = 0x08, TH_ACK = 0x10 };
enum { SCTP_E = 0x01, SCTP_B = 0x02, SCTP_U = 0x04, SCTP_BE = 0x03 };

#define T0 ((SlTime)1700000000 * SL_TIME_SECOND)
#define SOURCE_ID 7u

#define PAYLOAD "INVITE sip:bob@example.com SIP/2.0\r\n"
#define V4_SRC "192.0.2.10"
#define V4_DST "198.51.100.20"
#define V6_SRC "2001:db8::10"
#define V6_DST "2001:db8:1::20"
#define OUT4_SRC "10.1.1.1"
#define OUT4_DST "10.2.2.2"
#define OUT6_SRC "fd00::1"
#define OUT6_DST "fd00::2"
#define A4S "192.0.2.10:5060"
#define A4D "198.51.100.20:5080"
#define A6S "[2001:db8::10]:5060"
#define A6D "[2001:db8:1::20]:5080"

/* ------------------------------------------------------------ frame bytes */

typedef GByteArray Buf;

static Buf *
buf_new(const void *p, size_t n)
{
    Buf *b = g_byte_array_sized_new((guint)n);
    if (n)
        g_byte_array_append(b, p, (guint)n);
    return b;
}

static Buf *
buf_str(const char *s)
{
    return buf_new(s, strlen(s));
}

/* A header being assembled; multi-byte fields are big-endian. */
typedef struct {
    uint8_t b[128];
    size_t n;
} Hdr;

static void
h8(Hdr *h, unsigned v)
{
    g_assert_cmpuint(h->n, <, sizeof h->b);
    h->b[h->n++] = (uint8_t)(v & 0xff);
}

static void
h16(Hdr *h, unsigned v)
{
    h8(h, v >> 8);
    h8(h, v);
}

static void
h32(Hdr *h, uint32_t v)
{
    h16(h, v >> 16);
    h16(h, v & 0xffff);
}

static void
hbytes(Hdr *h, const void *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h8(h, ((const uint8_t *)p)[i]);
}

static void
hfill(Hdr *h, unsigned byte, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h8(h, byte);
}

/* Puts @h in front of @b; returns @b. */
static Buf *
push(Buf *b, const Hdr *h)
{
    return g_byte_array_prepend(b, h->b, (guint)h->n);
}

static void
ip_bytes(int af, const char *text, uint8_t *out)
{
    g_assert_cmpint(inet_pton(af, text, out), ==, 1);
}

static uint16_t
inet_checksum(const uint8_t *p, size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* IPv4 header (RFC 791) with @opt_words 4-byte option words (NOPs);
 * Total Length covers the header and everything in @b. */
static Buf *
wrap_ipv4_ttl(Buf *b, const char *src, const char *dst, uint8_t proto, uint16_t id,
              uint16_t frag, size_t opt_words, uint8_t ttl)
{
    Hdr h = { 0 };
    uint8_t a[4];
    size_t hlen = 20 + 4 * opt_words;
    g_assert_cmpuint(hlen + b->len, <=, 65535);
    h8(&h, 0x40 | (unsigned)(hlen / 4));
    h8(&h, 0);
    h16(&h, (unsigned)(hlen + b->len));
    h16(&h, id);
    h16(&h, frag);
    h8(&h, ttl);
    h8(&h, proto);
    h16(&h, 0);
    ip_bytes(AF_INET, src, a);
    hbytes(&h, a, 4);
    ip_bytes(AF_INET, dst, a);
    hbytes(&h, a, 4);
    for (size_t i = 0; i < opt_words; i++)
        h32(&h, 0x01010101);
    uint16_t sum = inet_checksum(h.b, h.n);
    h.b[10] = (uint8_t)(sum >> 8);
    h.b[11] = (uint8_t)(sum & 0xff);
    return push(b, &h);
}

static Buf *
wrap_ipv4_x(Buf *b, const char *src, const char *dst, uint8_t proto, uint16_t id,
            uint16_t frag, size_t opt_words)
{
    return wrap_ipv4_ttl(b, src, dst, proto, id, frag, opt_words, 64);
}

static Buf *
wrap_ipv4(Buf *b, const char *src, const char *dst, uint8_t proto)
{
    return wrap_ipv4_x(b, src, dst, proto, 0x1234, 0, 0);
}

/* IPv6 header (RFC 8200 section 3); Payload Length covers @b. */
static Buf *
wrap_ipv6_hlim(Buf *b, const char *src, const char *dst, uint8_t next, uint8_t hlim)
{
    Hdr h = { 0 };
    uint8_t a[16];
    g_assert_cmpuint(b->len, <=, 65535);
    h32(&h, 0x60000000);
    h16(&h, b->len);
    h8(&h, next);
    h8(&h, hlim);
    ip_bytes(AF_INET6, src, a);
    hbytes(&h, a, 16);
    ip_bytes(AF_INET6, dst, a);
    hbytes(&h, a, 16);
    return push(b, &h);
}

static Buf *
wrap_ipv6(Buf *b, const char *src, const char *dst, uint8_t next)
{
    return wrap_ipv6_hlim(b, src, dst, next, 64);
}

/* Outer (tunnel) headers: another IPv4 id and TTL, another hop limit, so
 * that the inner header's values can be told apart. */
static Buf *
wrap_outer4(Buf *b, uint8_t proto)
{
    return wrap_ipv4_ttl(b, OUT4_SRC, OUT4_DST, proto, 0x0bad, 0, 0, 200);
}

static Buf *
wrap_outer6(Buf *b, uint8_t next)
{
    return wrap_ipv6_hlim(b, OUT6_SRC, OUT6_DST, next, 200);
}

/* Hop-by-hop or destination options header of (@units + 1) * 8 bytes,
 * filled by one PadN option. */
static Buf *
wrap_ip6_opts(Buf *b, uint8_t next, unsigned units)
{
    Hdr h = { 0 };
    size_t total = ((size_t)units + 1) * 8;
    h8(&h, next);
    h8(&h, units);
    h8(&h, 1); /* PadN */
    h8(&h, (unsigned)(total - 4));
    hfill(&h, 0, total - 4);
    return push(b, &h);
}

/* Type 2 routing header (RFC 6275 section 6.4): 24 bytes. */
static Buf *
wrap_ip6_routing(Buf *b, uint8_t next)
{
    Hdr h = { 0 };
    uint8_t a[16];
    h8(&h, next);
    h8(&h, 2); /* (2 + 1) * 8 bytes */
    h8(&h, 2); /* routing type */
    h8(&h, 1); /* segments left */
    h32(&h, 0);
    ip_bytes(AF_INET6, "2001:db8:2::1", a);
    hbytes(&h, a, 16);
    return push(b, &h);
}

/* Authentication header (RFC 4302) with a 12-byte ICV: 24 bytes. */
static Buf *
wrap_ip6_ah(Buf *b, uint8_t next)
{
    Hdr h = { 0 };
    h8(&h, next);
    h8(&h, 4); /* (4 + 2) * 4 bytes */
    h16(&h, 0);
    h32(&h, 0x100); /* SPI */
    h32(&h, 1);     /* sequence number */
    hfill(&h, 0xab, 12);
    return push(b, &h);
}

/* Fragment header (RFC 8200 section 4.5); @offset in bytes. */
static Buf *
wrap_ip6_frag(Buf *b, uint8_t next, size_t offset, bool more, uint32_t id)
{
    Hdr h = { 0 };
    g_assert_cmpuint(offset % 8, ==, 0);
    h8(&h, next);
    h8(&h, 0);
    h16(&h, (unsigned)offset | (more ? 1u : 0u));
    h32(&h, id);
    return push(b, &h);
}

static Buf *
wrap_udp_len(Buf *b, uint16_t sport, uint16_t dport, unsigned ulen)
{
    Hdr h = { 0 };
    h16(&h, sport);
    h16(&h, dport);
    h16(&h, ulen);
    h16(&h, 0);
    return push(b, &h);
}

static Buf *
wrap_udp(Buf *b, uint16_t sport, uint16_t dport)
{
    return wrap_udp_len(b, sport, dport, (unsigned)(8 + b->len));
}

/* TCP header (RFC 9293 section 3.1) with @opt_words words of NOP options. */
static Buf *
wrap_tcp(Buf *b, uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags,
         unsigned opt_words)
{
    Hdr h = { 0 };
    h16(&h, sport);
    h16(&h, dport);
    h32(&h, seq);
    h32(&h, (flags & TH_ACK) ? 1 : 0);
    h16(&h, (5 + opt_words) << 12 | flags);
    h16(&h, 65535);
    h16(&h, 0);
    h16(&h, 0);
    for (unsigned i = 0; i < opt_words; i++)
        h32(&h, 0x01010101);
    return push(b, &h);
}

/* Appends one SCTP chunk (RFC 9260 section 3.2) and its padding. */
static void
sctp_chunk(Buf *chunks, uint8_t type, uint8_t flags, const void *body, size_t n)
{
    Hdr h = { 0 };
    h8(&h, type);
    h8(&h, flags);
    h16(&h, (unsigned)(4 + n));
    g_byte_array_append(chunks, h.b, (guint)h.n);
    if (n)
        g_byte_array_append(chunks, body, (guint)n);
    static const uint8_t zero[4] = { 0 };
    g_byte_array_append(chunks, zero, (guint)((4 - n % 4) % 4));
}

/* Appends a DATA chunk (RFC 9260 section 3.3.1). */
static void
sctp_data(Buf *chunks, uint8_t flags, uint32_t tsn, uint16_t sid, uint16_t ssn, uint32_t ppid,
          const char *data)
{
    Hdr h = { 0 };
    h32(&h, tsn);
    h16(&h, sid);
    h16(&h, ssn);
    h32(&h, ppid);
    Buf *body = buf_new(h.b, h.n);
    g_byte_array_append(body, (const guint8 *)data, (guint)strlen(data));
    sctp_chunk(chunks, 0, flags, body->data, body->len);
    g_byte_array_unref(body);
}

static Buf *
wrap_sctp(Buf *chunks, uint16_t sport, uint16_t dport)
{
    Hdr h = { 0 };
    h16(&h, sport);
    h16(&h, dport);
    h32(&h, 0x11223344); /* verification tag */
    h32(&h, 0);          /* checksum, not verified by the decoder */
    return push(chunks, &h);
}

/* GRE (RFC 2784, RFC 2890): optional checksum, key and sequence words. */
static Buf *
wrap_gre(Buf *b, uint16_t flags, uint16_t proto)
{
    Hdr h = { 0 };
    h16(&h, flags);
    h16(&h, proto);
    if (flags & 0x8000)
        h32(&h, 0); /* checksum + reserved */
    if (flags & 0x2000)
        h32(&h, 0xdeadbeef);
    if (flags & 0x1000)
        h32(&h, 7);
    return push(b, &h);
}

/* ERSPAN type II header: version 1, session 1, index 0. */
static Buf *
wrap_erspan2(Buf *b)
{
    Hdr h = { 0 };
    h32(&h, 0x10000001);
    h32(&h, 0);
    return push(b, &h);
}

/* ERSPAN type III header (12 bytes, no platform subheader). */
static Buf *
wrap_erspan3(Buf *b)
{
    Hdr h = { 0 };
    h32(&h, 0x20000001);
    h32(&h, 0x12345678); /* timestamp */
    h32(&h, 0);          /* SGT, P, FT, HW ID, D, Gra, O=0 */
    return push(b, &h);
}

/* VXLAN header (RFC 7348 section 5): I flag and a 24-bit VNI. */
static Buf *
wrap_vxlan(Buf *b, uint32_t vni)
{
    Hdr h = { 0 };
    h8(&h, 0x08);
    hfill(&h, 0, 3);
    h32(&h, vni << 8);
    return push(b, &h);
}

static Buf *
wrap_eth(Buf *b, uint16_t type)
{
    static const uint8_t macs[12] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
                                      0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb };
    Hdr h = { 0 };
    hbytes(&h, macs, sizeof macs);
    h16(&h, type);
    return push(b, &h);
}

/* One 802.1Q/802.1ad tag body: TCI and the next EtherType. The TPID is
 * the EtherType of the header in front. */
static Buf *
wrap_vlan(Buf *b, uint16_t tci, uint16_t type)
{
    Hdr h = { 0 };
    h16(&h, tci);
    h16(&h, type);
    return push(b, &h);
}

static Buf *
wrap_mpls(Buf *b, uint32_t label, bool bottom)
{
    Hdr h = { 0 };
    h32(&h, label << 12 | (bottom ? 0x100u : 0u) | 64);
    return push(b, &h);
}

/* Linux cooked capture v1: 16 bytes, protocol last. */
static Buf *
wrap_sll(Buf *b, uint16_t proto)
{
    static const uint8_t mac[6] = { 0x02, 0x42, 0xac, 0x11, 0x00, 0x02 };
    Hdr h = { 0 };
    h16(&h, 0); /* to us */
    h16(&h, 1); /* ARPHRD_ETHER */
    h16(&h, 6);
    hbytes(&h, mac, 6);
    h16(&h, 0);
    h16(&h, proto);
    return push(b, &h);
}

/* Linux cooked capture v2: 20 bytes, protocol first. */
static Buf *
wrap_sll2(Buf *b, uint16_t proto)
{
    static const uint8_t mac[6] = { 0x02, 0x42, 0xac, 0x11, 0x00, 0x02 };
    Hdr h = { 0 };
    h16(&h, proto);
    h16(&h, 0);
    h32(&h, 2); /* interface index */
    h16(&h, 1); /* ARPHRD_ETHER */
    h8(&h, 4);  /* outgoing */
    h8(&h, 6);
    hbytes(&h, mac, 6);
    h16(&h, 0);
    return push(b, &h);
}

/* BSD loopback: a 4-byte address family in the writer's byte order. */
static Buf *
wrap_null(Buf *b, uint32_t family, bool big_endian)
{
    Hdr h = { 0 };
    if (big_endian) {
        h32(&h, family);
    } else {
        for (int i = 0; i < 4; i++)
            h8(&h, family >> (8 * i));
    }
    return push(b, &h);
}

/* The common inner packets: UDP 5060 -> 5080 carrying PAYLOAD. */
static Buf *
udp4_text(const char *text)
{
    return wrap_ipv4(wrap_udp(buf_str(text), 5060, 5080), V4_SRC, V4_DST, IPP_UDP);
}

static Buf *
udp4(void)
{
    return udp4_text(PAYLOAD);
}

static Buf *
udp6(void)
{
    return wrap_ipv6(wrap_udp(buf_str(PAYLOAD), 5060, 5080), V6_SRC, V6_DST, IPP_UDP);
}

/* ---------------------------------------------------------- collecting */

typedef enum {
    TCP_CONSUME_ALL,
    TCP_CONSUME_NONE,
    TCP_CONSUME_TWO,  /* two bytes of each delivery, in two calls */
    TCP_IGNORE,       /* cap_tcp_stream_ignore() on the first delivery */
    TCP_USER_DATA,    /* attach a tag to every stream, consume everything */
} TcpMode;

/* One delivered CapPacket, copied out of the callback. */
typedef struct {
    uint64_t frame;
    SlTime ts;
    uint32_t cap_len, wire_len, source_id;
    SlAddr src, dst;
    CapTransport transport;
    uint32_t flags;
    uint16_t vlan;
    uint16_t ip_id;
    uint8_t ttl;
    uint32_t sctp_ppid;
    GBytes *payload;
    CapTunnel tunnel;
    uint8_t tunnel_depth;
    uint32_t tunnel_id;
    SlAddr tunnel_src, tunnel_dst;
    const CapTcpStream *stream;
    gpointer user_data; /* TCP: the stream's user data during the call */
} Got;

typedef struct {
    CapDecoder *dec;
    GPtrArray *got; /* Got* */
    TcpMode mode;
    int tags_made;
    int tags_freed;
} Collector;

typedef struct {
    Collector *c;
    int id;
} Tag;

static void
tag_free(gpointer p)
{
    Tag *t = p;
    t->c->tags_freed++;
    g_free(t);
}

static void
got_free(gpointer p)
{
    Got *g = p;
    g_bytes_unref(g->payload);
    g_free(g);
}

static void
collect(const CapPacket *pkt, gpointer user)
{
    Collector *c = user;
    Got *g = g_new0(Got, 1);
    g->frame = pkt->frame;
    g->ts = pkt->ts;
    g->cap_len = pkt->cap_len;
    g->wire_len = pkt->wire_len;
    g->source_id = pkt->source_id;
    g->src = pkt->src;
    g->dst = pkt->dst;
    g->transport = pkt->transport;
    g->flags = pkt->flags;
    g->vlan = pkt->vlan;
    g->ip_id = pkt->ip_id;
    g->ttl = pkt->ttl;
    g->sctp_ppid = pkt->sctp_ppid;
    g->payload = g_bytes_new(pkt->payload.p, pkt->payload.len);
    g->tunnel = pkt->tunnel;
    g->tunnel_depth = pkt->tunnel_depth;
    g->tunnel_id = pkt->tunnel_id;
    g->tunnel_src = pkt->tunnel_src;
    g->tunnel_dst = pkt->tunnel_dst;
    g->stream = pkt->stream;
    g_ptr_array_add(c->got, g);

    if (pkt->transport != CAP_TRANSPORT_TCP) {
        g_assert_null(pkt->stream);
        return;
    }
    g_assert_nonnull(pkt->stream);
    switch (c->mode) {
    case TCP_CONSUME_ALL:
        cap_tcp_stream_consume(pkt->stream, pkt->payload.len);
        break;
    case TCP_CONSUME_NONE:
        break;
    case TCP_CONSUME_TWO:
        cap_tcp_stream_consume(pkt->stream, 1);
        cap_tcp_stream_consume(pkt->stream, 1);
        break;
    case TCP_IGNORE:
        cap_tcp_stream_ignore(pkt->stream);
        break;
    case TCP_USER_DATA:
        if (cap_tcp_stream_get_user_data(pkt->stream) == NULL) {
            Tag *t = g_new0(Tag, 1);
            t->c = c;
            t->id = ++c->tags_made;
            cap_tcp_stream_set_user_data(pkt->stream, t, tag_free);
        }
        g->user_data = cap_tcp_stream_get_user_data(pkt->stream);
        cap_tcp_stream_consume(pkt->stream, pkt->payload.len);
        break;
    }
}

static Collector *
collector_new(const CapLimits *limits, TcpMode mode)
{
    Collector *c = g_new0(Collector, 1);
    c->got = g_ptr_array_new_with_free_func(got_free);
    c->mode = mode;
    c->dec = cap_decoder_new(limits, collect, c);
    g_assert_nonnull(c->dec);
    return c;
}

static void
collector_free(Collector *c)
{
    cap_decoder_free(c->dec); /* first: it may call tag_free */
    g_ptr_array_unref(c->got);
    g_free(c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Collector, collector_free)

static Got *
got_at(Collector *c, guint i)
{
    g_assert_cmpuint(i, <, c->got->len);
    return g_ptr_array_index(c->got, i);
}

static const CapStats *
stats(Collector *c)
{
    return cap_decoder_stats(c->dec);
}

/* Feeds @b (consumed) as one frame whose last @cut bytes the snaplen
 * removed. The captured bytes are copied to a buffer of exactly their
 * size, so that AddressSanitizer reports any read past them. */
static void
feed_cut(Collector *c, int linktype, Buf *b, uint64_t frame, SlTime ts, size_t cut)
{
    g_assert_cmpuint(cut, <=, b->len);
    size_t cap = b->len - cut;
    guint8 *data = g_malloc(cap ? cap : 1);
    if (cap)
        memcpy(data, b->data, cap);
    CapFrame f = {
        .frame = frame,
        .ts = ts,
        .cap_len = (uint32_t)cap,
        .wire_len = b->len,
        .linktype = linktype,
        .data = data,
    };
    cap_decoder_feed(c->dec, &f, SOURCE_ID);
    g_free(data);
    g_byte_array_unref(b);
}

static void
feed(Collector *c, int linktype, Buf *b, uint64_t frame, SlTime ts)
{
    feed_cut(c, linktype, b, frame, ts, 0);
}

static char *
addr_text(const SlAddr *a)
{
    char buf[SL_ADDR_STRLEN];
    return g_strdup(sl_addr_str(a, buf));
}

#define assert_addr(a, s)                      \
    do {                                       \
        g_autofree char *got_ = addr_text(a);  \
        g_assert_cmpstr(got_, ==, (s));        \
    } while (0)

/* Compares a payload with text: as strings (readable failures), then as
 * bytes (embedded NULs and length). */
static void
assert_payload(const Got *g, const char *want)
{
    gsize n = 0;
    const char *p = g_bytes_get_data(g->payload, &n);
    g_autofree char *text = g_strndup(p ? p : "", n);
    g_assert_cmpstr(text, ==, want);
    g_assert_cmpmem(p, n, want, strlen(want));
}

static uint64_t
stat_at(const CapStats *s, size_t off)
{
    uint64_t v;
    memcpy(&v, (const char *)s + off, sizeof v);
    return v;
}

#define STAT(field) offsetof(CapStats, field)

/* Adds one test per table row, named @prefix + row name. The row's name
 * must be its first member. */
static void
add_table(const char *prefix, const void *rows, size_t n, size_t size, GTestDataFunc func)
{
    for (size_t i = 0; i < n; i++) {
        const void *row = (const char *)rows + i * size;
        const char *name = *(const char *const *)row;
        g_autofree char *path = g_strconcat(prefix, name, NULL);
        g_test_add_data_func(path, row, func);
    }
}

#define ADD_TABLE(prefix, table, func) \
    add_table(prefix, table, G_N_ELEMENTS(table), sizeof table[0], func)

/* ------------------------------------------ one frame, one UDP payload */

typedef struct {
    const char *name;
    int linktype;
    Buf *(*build)(void);
    size_t cut;          /* bytes removed by the snaplen */
    const char *payload; /* expected UDP payload */
    uint32_t flags;      /* expected CAP_PKT_* */
    uint16_t vlan;
    const char *src, *dst;
} DeliverCase;

static void
test_deliver(gconstpointer data)
{
    const DeliverCase *tc = data;
    g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
    Buf *b = tc->build();
    size_t len = b->len;
    feed_cut(c, tc->linktype, b, 42, T0 + 123456789, tc->cut);

    g_assert_cmpuint(c->got->len, ==, 1);
    Got *g = got_at(c, 0);
    assert_payload(g, tc->payload);
    g_assert_cmphex(g->flags, ==, tc->flags);
    g_assert_cmpuint(g->vlan, ==, tc->vlan);
    /* the innermost IP header's: tunnels' outer headers carry 0x0bad/200 */
    g_assert_cmphex(g->ip_id, ==, g->src.family == SL_AF_INET ? 0x1234 : 0);
    g_assert_cmpuint(g->ttl, ==, 64);
    assert_addr(&g->src, tc->src);
    assert_addr(&g->dst, tc->dst);
    g_assert_cmpint(g->transport, ==, CAP_TRANSPORT_UDP);
    g_assert_cmpuint(g->frame, ==, 42);
    g_assert_cmpint(g->ts, ==, T0 + 123456789);
    g_assert_cmpuint(g->cap_len, ==, len - tc->cut);
    g_assert_cmpuint(g->wire_len, ==, len);
    g_assert_cmpuint(g->source_id, ==, SOURCE_ID);

    const CapStats *s = stats(c);
    g_assert_cmpuint(s->frames, ==, 1);
    g_assert_cmpuint(s->bytes, ==, len - tc->cut);
    g_assert_cmpuint(s->payloads, ==, 1);
    g_assert_cmpuint(s->malformed, ==, 0);
    g_assert_cmpuint(s->truncated, ==, 0);
    g_assert_cmpuint(s->non_ip, ==, 0);
    g_assert_cmpuint(s->unsupported_link, ==, 0);
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, 0);
}

/* --- link layers --- */

static Buf *l_en10mb(void) { return wrap_eth(udp4(), 0x0800); }
static Buf *l_en10mb_v6(void) { return wrap_eth(udp6(), 0x86dd); }
static Buf *l_vlan(void) { return wrap_eth(wrap_vlan(udp4(), 0x2064, 0x0800), 0x8100); }
static Buf *l_vlan_v6(void) { return wrap_eth(wrap_vlan(udp6(), 0xeffe, 0x86dd), 0x8100); }

static Buf *
l_qinq(void)
{
    Buf *b = wrap_vlan(udp4(), 100, 0x0800);  /* C-tag */
    b = wrap_vlan(b, 200, 0x8100);            /* S-tag */
    return wrap_eth(b, 0x88a8);
}

static Buf *
l_qinq_9100(void)
{
    return wrap_eth(wrap_vlan(wrap_vlan(udp4(), 100, 0x0800), 300, 0x8100), 0x9100);
}

static Buf *
l_vlan_four(void)
{
    Buf *b = wrap_vlan(udp4(), 4, 0x0800);
    b = wrap_vlan(b, 3, 0x8100);
    b = wrap_vlan(b, 2, 0x8100);
    b = wrap_vlan(b, 1, 0x8100);
    return wrap_eth(b, 0x88a8);
}

static Buf *
l_mpls(void)
{
    return wrap_eth(wrap_mpls(wrap_mpls(udp4(), 16, true), 17, false), 0x8847);
}

static Buf *
l_pppoe(void)
{
    Hdr h = { 0 };
    Buf *b = udp4();
    h8(&h, 0x11);             /* version 1, type 1 */
    h8(&h, 0);                /* session data */
    h16(&h, 0x0042);          /* session id */
    h16(&h, (unsigned)(2 + b->len));
    h16(&h, 0x0021);          /* PPP: IPv4 */
    return wrap_eth(push(b, &h), 0x8864);
}

static Buf *l_sll(void) { return wrap_sll(udp4(), 0x0800); }
static Buf *l_sll_v6(void) { return wrap_sll(udp6(), 0x86dd); }
static Buf *l_sll_vlan(void) { return wrap_sll(wrap_vlan(udp4(), 5, 0x0800), 0x8100); }
static Buf *l_sll2(void) { return wrap_sll2(udp4(), 0x0800); }
static Buf *l_sll2_v6(void) { return wrap_sll2(udp6(), 0x86dd); }
static Buf *l_null_le4(void) { return wrap_null(udp4(), 2, false); }
static Buf *l_null_be4(void) { return wrap_null(udp4(), 2, true); }
static Buf *l_null_le6_24(void) { return wrap_null(udp6(), 24, false); }
static Buf *l_null_le6_28(void) { return wrap_null(udp6(), 28, false); }
static Buf *l_null_le6_30(void) { return wrap_null(udp6(), 30, false); }
static Buf *l_null_be6_24(void) { return wrap_null(udp6(), 24, true); }
static Buf *l_null_be6_28(void) { return wrap_null(udp6(), 28, true); }
static Buf *l_null_be6_30(void) { return wrap_null(udp6(), 30, true); }
static Buf *l_loop4(void) { return wrap_null(udp4(), 2, true); }
static Buf *l_loop6(void) { return wrap_null(udp6(), 24, true); }

static const DeliverCase link_cases[] = {
    { "en10mb-ipv4", LT_EN10MB, l_en10mb, 0, PAYLOAD, 0, 0, A4S, A4D },
    { "en10mb-ipv6", LT_EN10MB, l_en10mb_v6, 0, PAYLOAD, 0, 0, A6S, A6D },
    { "vlan-ipv4", LT_EN10MB, l_vlan, 0, PAYLOAD, CAP_PKT_VLAN, 100, A4S, A4D },
    { "vlan-ipv6-pcp7-vid4094", LT_EN10MB, l_vlan_v6, 0, PAYLOAD, CAP_PKT_VLAN, 4094, A6S, A6D },
    { "qinq-88a8-8100", LT_EN10MB, l_qinq, 0, PAYLOAD, CAP_PKT_VLAN, 200, A4S, A4D },
    { "qinq-9100-8100", LT_EN10MB, l_qinq_9100, 0, PAYLOAD, CAP_PKT_VLAN, 300, A4S, A4D },
    { "vlan-four-tags", LT_EN10MB, l_vlan_four, 0, PAYLOAD, CAP_PKT_VLAN, 1, A4S, A4D },
    { "mpls-two-labels", LT_EN10MB, l_mpls, 0, PAYLOAD, 0, 0, A4S, A4D },
    { "pppoe-session", LT_EN10MB, l_pppoe, 0, PAYLOAD, 0, 0, A4S, A4D },
    { "linux-sll-ipv4", LT_SLL, l_sll, 0, PAYLOAD, 0, 0, A4S, A4D },
    { "linux-sll-ipv6", LT_SLL, l_sll_v6, 0, PAYLOAD, 0, 0, A6S, A6D },
    { "linux-sll-vlan", LT_SLL, l_sll_vlan, 0, PAYLOAD, CAP_PKT_VLAN, 5, A4S, A4D },
    { "linux-sll2-ipv4", LT_SLL2, l_sll2, 0, PAYLOAD, 0, 0, A4S, A4D },
    { "linux-sll2-ipv6", LT_SLL2, l_sll2_v6, 0, PAYLOAD, 0, 0, A6S, A6D },
    { "raw-ipv4", LT_RAW, udp4, 0, PAYLOAD, 0, 0, A4S, A4D },
    { "raw-ipv6", LT_RAW, udp6, 0, PAYLOAD, 0, 0, A6S, A6D },
    { "raw-bsd14-ipv4", LT_RAW_BSD, udp4, 0, PAYLOAD, 0, 0, A4S, A4D },
    { "ipv4-linktype", LT_IPV4, udp4, 0, PAYLOAD, 0, 0, A4S, A4D },
    { "ipv6-linktype", LT_IPV6, udp6, 0, PAYLOAD, 0, 0, A6S, A6D },
    { "null-little-endian-ipv4", LT_NULL, l_null_le4, 0, PAYLOAD, 0, 0, A4S, A4D },
    { "null-big-endian-ipv4", LT_NULL, l_null_be4, 0, PAYLOAD, 0, 0, A4S, A4D },
    { "null-little-endian-ipv6-24", LT_NULL, l_null_le6_24, 0, PAYLOAD, 0, 0, A6S, A6D },
    { "null-little-endian-ipv6-28", LT_NULL, l_null_le6_28, 0, PAYLOAD, 0, 0, A6S, A6D },
    { "null-little-endian-ipv6-30", LT_NULL, l_null_le6_30, 0, PAYLOAD, 0, 0, A6S, A6D },
    { "null-big-endian-ipv6-24", LT_NULL, l_null_be6_24, 0, PAYLOAD, 0, 0, A6S, A6D },
    { "null-big-endian-ipv6-28", LT_NULL, l_null_be6_28, 0, PAYLOAD, 0, 0, A6S, A6D },
    { "null-big-endian-ipv6-30", LT_NULL, l_null_be6_30, 0, PAYLOAD, 0, 0, A6S, A6D },
    { "loop-ipv4", LT_LOOP, l_loop4, 0, PAYLOAD, 0, 0, A4S, A4D },
    { "loop-ipv6", LT_LOOP, l_loop6, 0, PAYLOAD, 0, 0, A6S, A6D },
};

/* --- IP and UDP details --- */

#define DIGITS100                                                              \
    "0123456789012345678901234567890123456789012345678901234567890123456789" \
    "012345678901234567890123456789"

static Buf *
u_empty(void)
{
    return wrap_eth(udp4_text(""), 0x0800);
}

static Buf *
u_padding(void)
{
    /* 14 + 20 + 8 + 2 = 44 bytes, padded to the 60-byte minimum */
    Buf *b = wrap_eth(udp4_text("hi"), 0x0800);
    static const uint8_t pad[16] = { 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
                                     0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa };
    return g_byte_array_append(b, pad, sizeof pad);
}

static Buf *
u_padding_v6(void)
{
    Buf *b = wrap_ipv6(wrap_udp(buf_str("hi"), 5060, 5080), V6_SRC, V6_DST, IPP_UDP);
    b = wrap_eth(b, 0x86dd);
    static const uint8_t pad[6] = { 0x55, 0x55, 0x55, 0x55, 0x55, 0x55 };
    return g_byte_array_append(b, pad, sizeof pad);
}

static Buf *
u_snaplen(void)
{
    return wrap_eth(udp4_text(DIGITS100), 0x0800);
}

static Buf *
u_len_beyond_ip(void)
{
    Buf *b = wrap_udp_len(buf_str("0123456789"), 5060, 5080, 8 + 50);
    return wrap_eth(wrap_ipv4(b, V4_SRC, V4_DST, IPP_UDP), 0x0800);
}

static Buf *
u_len_short(void)
{
    Buf *b = wrap_udp_len(buf_str("0123456789"), 5060, 5080, 8 + 3);
    return wrap_eth(wrap_ipv4(b, V4_SRC, V4_DST, IPP_UDP), 0x0800);
}

static Buf *
u_ipv4_options(void)
{
    Buf *b = wrap_udp(buf_str(PAYLOAD), 5060, 5080);
    return wrap_eth(wrap_ipv4_x(b, V4_SRC, V4_DST, IPP_UDP, 0x1234, 0x4000, 3), 0x0800);
}

static Buf *
u_vxlan_port_plain(void)
{
    /* 'p' (0x70) lacks the VXLAN I flag (0x08): an ordinary datagram */
    Buf *b = wrap_udp(buf_str("plain text to the vxlan port, not vxlan"), 5060, 4789);
    return wrap_eth(wrap_ipv4(b, V4_SRC, V4_DST, IPP_UDP), 0x0800);
}

static const DeliverCase udp_cases[] = {
    { "zero-length-payload", LT_EN10MB, u_empty, 0, "", 0, 0, A4S, A4D },
    { "ethernet-padding-ipv4", LT_EN10MB, u_padding, 0, "hi", 0, 0, A4S, A4D },
    { "ethernet-padding-ipv6", LT_EN10MB, u_padding_v6, 0, "hi", 0, 0, A6S, A6D },
    { "cut-by-snaplen", LT_EN10MB, u_snaplen, 60, "0123456789012345678901234567890123456789",
      CAP_PKT_TRUNCATED, 0, A4S, A4D },
    { "udp-length-beyond-captured", LT_EN10MB, u_len_beyond_ip, 0, "0123456789",
      CAP_PKT_TRUNCATED, 0, A4S, A4D },
    { "udp-length-shorter-than-ip", LT_EN10MB, u_len_short, 0, "012", 0, 0, A4S, A4D },
    { "ipv4-options", LT_EN10MB, u_ipv4_options, 0, PAYLOAD, 0, 0, A4S, A4D },
    { "vxlan-port-without-i-flag", LT_EN10MB, u_vxlan_port_plain, 0,
      "plain text to the vxlan port, not vxlan", 0, 0, A4S, "198.51.100.20:4789" },
};

/* --- IPv6 extension headers --- */

static Buf *
e_wrap6(Buf *b, uint8_t next)
{
    return wrap_eth(wrap_ipv6(b, V6_SRC, V6_DST, next), 0x86dd);
}

static Buf *
e_udp(void)
{
    return wrap_udp(buf_str(PAYLOAD), 5060, 5080);
}

static Buf *e_hbh(void) { return e_wrap6(wrap_ip6_opts(e_udp(), IPP_UDP, 0), IPP_HOPOPT); }
static Buf *e_dst(void) { return e_wrap6(wrap_ip6_opts(e_udp(), IPP_UDP, 1), IPP_DSTOPTS); }
static Buf *e_rt(void) { return e_wrap6(wrap_ip6_routing(e_udp(), IPP_UDP), IPP_ROUTING); }
static Buf *e_ah(void) { return e_wrap6(wrap_ip6_ah(e_udp(), IPP_UDP), IPP_AH); }

static Buf *
e_chain(void)
{
    Buf *b = wrap_ip6_opts(e_udp(), IPP_UDP, 1);     /* destination options */
    b = wrap_ip6_routing(b, IPP_DSTOPTS);
    b = wrap_ip6_opts(b, IPP_ROUTING, 0);             /* hop-by-hop, first */
    return e_wrap6(b, IPP_HOPOPT);
}

static Buf *
e_atomic_fragment(void)
{
    return e_wrap6(wrap_ip6_frag(e_udp(), IPP_UDP, 0, false, 99), IPP_FRAGMENT);
}

/* @n destination options headers in a row. */
static Buf *
e_many(unsigned n)
{
    Buf *b = e_udp();
    uint8_t next = IPP_UDP;
    for (unsigned i = 0; i < n; i++) {
        b = wrap_ip6_opts(b, next, 0);
        next = IPP_DSTOPTS;
    }
    return e_wrap6(b, next);
}

static Buf *e_fifteen(void) { return e_many(15); }
static Buf *e_sixteen(void) { return e_many(16); }

static const DeliverCase ipv6_cases[] = {
    { "hop-by-hop", LT_EN10MB, e_hbh, 0, PAYLOAD, 0, 0, A6S, A6D },
    { "destination-options-16-bytes", LT_EN10MB, e_dst, 0, PAYLOAD, 0, 0, A6S, A6D },
    { "routing-type-2", LT_EN10MB, e_rt, 0, PAYLOAD, 0, 0, A6S, A6D },
    { "authentication-header", LT_EN10MB, e_ah, 0, PAYLOAD, 0, 0, A6S, A6D },
    { "hop-by-hop-routing-destination", LT_EN10MB, e_chain, 0, PAYLOAD, 0, 0, A6S, A6D },
    { "atomic-fragment", LT_EN10MB, e_atomic_fragment, 0, PAYLOAD, 0, 0, A6S, A6D },
    { "fifteen-extension-headers", LT_EN10MB, e_fifteen, 0, PAYLOAD, 0, 0, A6S, A6D },
};

/* --- tunnels: the inner addresses are delivered --- */

static Buf *
t_v4(Buf *inner, uint8_t proto)
{
    return wrap_eth(wrap_outer4(inner, proto), 0x0800);
}

static Buf *t_ipip(void) { return t_v4(udp4(), IPP_IPIP); }
static Buf *t_6in4(void) { return t_v4(udp6(), IPP_IPV6); }
static Buf *t_4in6(void) { return wrap_eth(wrap_outer6(udp4(), IPP_IPIP), 0x86dd); }
static Buf *t_gre(void) { return t_v4(wrap_gre(udp4(), 0, 0x0800), IPP_GRE); }
static Buf *t_gre_ks(void) { return t_v4(wrap_gre(udp4(), 0x3000, 0x0800), IPP_GRE); }
static Buf *t_gre_cks(void) { return t_v4(wrap_gre(udp4(), 0xb000, 0x0800), IPP_GRE); }
static Buf *t_gre_v6(void) { return t_v4(wrap_gre(udp6(), 0x2000, 0x86dd), IPP_GRE); }

static Buf *
t_gre_over_v6(void)
{
    Buf *b = wrap_gre(udp4(), 0x1000, 0x0800);
    return wrap_eth(wrap_outer6(b, IPP_GRE), 0x86dd);
}

static Buf *
t_gre_teb(void)
{
    return t_v4(wrap_gre(wrap_eth(udp4(), 0x0800), 0x2000, 0x6558), IPP_GRE);
}

static Buf *
t_gre_ppp(void)
{
    /* enhanced GRE (version 1, key present) carrying PPP with address and
     * control bytes and the two-byte IPv4 protocol */
    Hdr h = { 0 };
    h8(&h, 0xff);
    h8(&h, 0x03);
    h16(&h, 0x0021);
    Buf *b = push(udp4(), &h);
    return t_v4(wrap_gre(b, 0x2001, 0x880b), IPP_GRE);
}

static Buf *
t_erspan1(void)
{
    return t_v4(wrap_gre(wrap_eth(udp4(), 0x0800), 0, 0x88be), IPP_GRE);
}

static Buf *
t_erspan2(void)
{
    return t_v4(wrap_gre(wrap_erspan2(wrap_eth(udp4(), 0x0800)), 0x1000, 0x88be), IPP_GRE);
}

static Buf *
t_erspan3(void)
{
    return t_v4(wrap_gre(wrap_erspan3(wrap_eth(udp4(), 0x0800)), 0x1000, 0x22eb), IPP_GRE);
}

static Buf *
t_vxlan(void)
{
    Buf *b = wrap_vxlan(wrap_eth(udp4(), 0x0800), 100);
    return t_v4(wrap_udp(b, 49152, 4789), IPP_UDP);
}

static Buf *
t_vxlan_inner_vlan(void)
{
    Buf *b = wrap_vxlan(wrap_eth(wrap_vlan(udp4(), 300, 0x0800), 0x8100), 100);
    return t_v4(wrap_udp(b, 49152, 4789), IPP_UDP);
}

static Buf *
t_vlan_both_sides(void)
{
    Buf *inner = wrap_eth(wrap_vlan(udp4(), 20, 0x0800), 0x8100);
    Buf *b = wrap_outer4(wrap_gre(inner, 0, 0x6558), IPP_GRE);
    return wrap_eth(wrap_vlan(b, 10, 0x0800), 0x8100);
}

/* GENEVE (RFC 8926 section 3.4) with @opt_words words of options: one
 * option header (class 0x0101, type 1, length opt_words - 1) and zeros. */
static Buf *
wrap_geneve(Buf *b, uint16_t proto, uint32_t vni, unsigned opt_words)
{
    Hdr h = { 0 };
    h8(&h, opt_words & 0x3f); /* version 0 */
    h8(&h, 0);
    h16(&h, proto);
    h32(&h, vni << 8);
    if (opt_words) {
        h16(&h, 0x0101);
        h8(&h, 1);
        h8(&h, (opt_words - 1) & 0x1f);
        hfill(&h, 0, (opt_words - 1) * 4);
    }
    return push(b, &h);
}

static Buf *
t_geneve_eth(void)
{
    Buf *b = wrap_geneve(wrap_eth(udp4(), 0x0800), 0x6558, 0xabcdef, 3);
    return t_v4(wrap_udp(b, 49152, 6081), IPP_UDP);
}

static Buf *
t_geneve_ipv4(void)
{
    return t_v4(wrap_udp(wrap_geneve(udp4(), 0x0800, 5, 0), 49152, 6081), IPP_UDP);
}

static Buf *
t_geneve_ipv6_over_v6(void)
{
    Buf *b = wrap_udp(wrap_geneve(udp6(), 0x86dd, 6, 1), 49152, 6081);
    return wrap_eth(wrap_outer6(b, IPP_UDP), 0x86dd);
}

/* IPv4 in GRE (key 0xdeadbeef) in IP-in-IP, then VXLAN in GENEVE inside:
 * four tunnels, the outermost being the IP-in-IP between OUT4 addresses. */
static Buf *
t_nested_four(void)
{
    Buf *b = wrap_vxlan(wrap_eth(udp4(), 0x0800), 77);
    b = wrap_ipv4(wrap_udp(b, 49152, 4789), "10.5.5.5", "10.6.6.6", IPP_UDP);
    b = wrap_geneve(b, 0x0800, 88, 0);
    b = wrap_ipv4(wrap_udp(b, 49152, 6081), "10.3.3.3", "10.4.4.4", IPP_UDP);
    b = wrap_ipv4(wrap_gre(b, 0x2000, 0x0800), "10.7.7.7", "10.8.8.8", IPP_GRE);
    return t_v4(b, IPP_IPIP);
}

static const DeliverCase tunnel_cases[] = {
    { "geneve-ethernet-options", LT_EN10MB, t_geneve_eth, 0, PAYLOAD, CAP_PKT_TUNNELED, 0, A4S,
      A4D },
    { "geneve-ipv4", LT_EN10MB, t_geneve_ipv4, 0, PAYLOAD, CAP_PKT_TUNNELED, 0, A4S, A4D },
    { "geneve-ipv6-over-ipv6", LT_EN10MB, t_geneve_ipv6_over_v6, 0, PAYLOAD, CAP_PKT_TUNNELED, 0,
      A6S, A6D },
    { "nested-four-deep", LT_EN10MB, t_nested_four, 0, PAYLOAD, CAP_PKT_TUNNELED, 0, A4S, A4D },
    { "ipv4-in-ipv4", LT_EN10MB, t_ipip, 0, PAYLOAD, CAP_PKT_TUNNELED, 0, A4S, A4D },
    { "ipv6-in-ipv4", LT_EN10MB, t_6in4, 0, PAYLOAD, CAP_PKT_TUNNELED, 0, A6S, A6D },
    { "ipv4-in-ipv6", LT_EN10MB, t_4in6, 0, PAYLOAD, CAP_PKT_TUNNELED, 0, A4S, A4D },
    { "gre-ipv4", LT_EN10MB, t_gre, 0, PAYLOAD, CAP_PKT_TUNNELED, 0, A4S, A4D },
    { "gre-key-sequence", LT_EN10MB, t_gre_ks, 0, PAYLOAD, CAP_PKT_TUNNELED, 0, A4S, A4D },
    { "gre-checksum-key-sequence", LT_EN10MB, t_gre_cks, 0, PAYLOAD, CAP_PKT_TUNNELED, 0, A4S,
      A4D },
    { "gre-ipv6-inner", LT_EN10MB, t_gre_v6, 0, PAYLOAD, CAP_PKT_TUNNELED, 0, A6S, A6D },
    { "gre-over-ipv6", LT_EN10MB, t_gre_over_v6, 0, PAYLOAD, CAP_PKT_TUNNELED, 0, A4S, A4D },
    { "gre-teb-ethernet", LT_EN10MB, t_gre_teb, 0, PAYLOAD, CAP_PKT_TUNNELED, 0, A4S, A4D },
    { "gre-ppp", LT_EN10MB, t_gre_ppp, 0, PAYLOAD, CAP_PKT_TUNNELED, 0, A4S, A4D },
    { "erspan-type1", LT_EN10MB, t_erspan1, 0, PAYLOAD, CAP_PKT_TUNNELED, 0, A4S, A4D },
    { "erspan-type2", LT_EN10MB, t_erspan2, 0, PAYLOAD, CAP_PKT_TUNNELED, 0, A4S, A4D },
    { "erspan-type3", LT_EN10MB, t_erspan3, 0, PAYLOAD, CAP_PKT_TUNNELED, 0, A4S, A4D },
    { "vxlan", LT_EN10MB, t_vxlan, 0, PAYLOAD, CAP_PKT_TUNNELED, 0, A4S, A4D },
    { "vxlan-inner-vlan", LT_EN10MB, t_vxlan_inner_vlan, 0, PAYLOAD,
      CAP_PKT_TUNNELED | CAP_PKT_VLAN, 300, A4S, A4D },
    { "outer-vlan-wins", LT_EN10MB, t_vlan_both_sides, 0, PAYLOAD,
      CAP_PKT_TUNNELED | CAP_PKT_VLAN, 10, A4S, A4D },
};

/* --- tunnels: the outermost tunnel stays on the packet --- */

typedef struct {
    const char *name;
    Buf *(*build)(void);
    CapTunnel kind;
    unsigned depth;
    uint32_t id;
    const char *outer_src, *outer_dst;
} TunnelMetaCase;

#define O4S "10.1.1.1:0"
#define O4D "10.2.2.2:0"
#define O6S "fd00::1"
#define O6D "fd00::2"

static const TunnelMetaCase tunnel_meta_cases[] = {
    { "plain", l_en10mb, CAP_TUNNEL_NONE, 0, 0, NULL, NULL },
    { "ipip", t_ipip, CAP_TUNNEL_IPIP, 1, 0, O4S, O4D },
    { "ipv6-in-ipv4", t_6in4, CAP_TUNNEL_IPIP, 1, 0, O4S, O4D },
    { "ipv4-in-ipv6", t_4in6, CAP_TUNNEL_IPIP, 1, 0, "[" O6S "]:0", "[" O6D "]:0" },
    { "gre-key", t_gre_v6, CAP_TUNNEL_GRE, 1, 0xdeadbeef, O4S, O4D },
    { "gre-teb", t_gre_teb, CAP_TUNNEL_GRE, 1, 0xdeadbeef, O4S, O4D },
    { "erspan-type1", t_erspan1, CAP_TUNNEL_ERSPAN, 1, 0, O4S, O4D },
    { "erspan-type2", t_erspan2, CAP_TUNNEL_ERSPAN, 1, 1, O4S, O4D },
    { "erspan-type3", t_erspan3, CAP_TUNNEL_ERSPAN, 1, 1, O4S, O4D },
    { "vxlan", t_vxlan, CAP_TUNNEL_VXLAN, 1, 100, O4S, O4D },
    { "geneve", t_geneve_eth, CAP_TUNNEL_GENEVE, 1, 0xabcdef, O4S, O4D },
    { "geneve-over-ipv6", t_geneve_ipv6_over_v6, CAP_TUNNEL_GENEVE, 1, 6, "[" O6S "]:0",
      "[" O6D "]:0" },
    { "nested-four-outermost", t_nested_four, CAP_TUNNEL_IPIP, 4, 0, O4S, O4D },
};

static void
test_tunnel_meta(gconstpointer data)
{
    const TunnelMetaCase *tc = data;
    g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
    feed(c, LT_EN10MB, tc->build(), 1, T0);
    g_assert_cmpuint(c->got->len, ==, 1);
    Got *g = got_at(c, 0);
    g_assert_cmpint(g->tunnel, ==, tc->kind);
    g_assert_cmpuint(g->tunnel_depth, ==, tc->depth);
    g_assert_cmphex(g->tunnel_id, ==, tc->id);
    if (tc->outer_src) {
        assert_addr(&g->tunnel_src, tc->outer_src);
        assert_addr(&g->tunnel_dst, tc->outer_dst);
    } else {
        g_assert_cmpint(g->tunnel_src.family, ==, SL_AF_NONE);
        g_assert_cmpint(g->tunnel_dst.family, ==, SL_AF_NONE);
    }
}

/* The same datagram captured inside a tunnel and outside it gives the same
 * addresses, IPv4 Identification and bytes, so correlation sees one
 * message and a duplicate (corr-engine.c compares exactly these). */
static void
test_tunnel_same_as_plain(void)
{
    Buf *(*builds[])(void) = { t_ipip, t_gre, t_gre_teb, t_erspan2, t_erspan3, t_vxlan,
                               t_geneve_eth, t_geneve_ipv4, t_nested_four };
    g_autoptr(Collector) plain = collector_new(NULL, TCP_CONSUME_ALL);
    feed(plain, LT_EN10MB, l_en10mb(), 1, T0);
    Got *p = got_at(plain, 0);
    for (size_t i = 0; i < G_N_ELEMENTS(builds); i++) {
        g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
        feed(c, LT_EN10MB, builds[i](), 2, T0);
        g_assert_cmpuint(c->got->len, ==, 1);
        Got *g = got_at(c, 0);
        g_assert_true(sl_addr_equal(&g->src, &p->src));
        g_assert_true(sl_addr_equal(&g->dst, &p->dst));
        g_assert_cmphex(g->ip_id, ==, p->ip_id);
        g_assert_true(g_bytes_equal(g->payload, p->payload));
        g_assert_cmpint(g->tunnel, !=, CAP_TUNNEL_NONE);
        g_assert_cmpint(p->tunnel, ==, CAP_TUNNEL_NONE);
    }
}

static void
test_tunnel_names(void)
{
    g_assert_cmpstr(cap_tunnel_name(CAP_TUNNEL_NONE), ==, "-");
    g_assert_cmpstr(cap_tunnel_name(CAP_TUNNEL_IPIP), ==, "IPIP");
    g_assert_cmpstr(cap_tunnel_name(CAP_TUNNEL_GRE), ==, "GRE");
    g_assert_cmpstr(cap_tunnel_name(CAP_TUNNEL_ERSPAN), ==, "ERSPAN");
    g_assert_cmpstr(cap_tunnel_name(CAP_TUNNEL_VXLAN), ==, "VXLAN");
    g_assert_cmpstr(cap_tunnel_name(CAP_TUNNEL_GENEVE), ==, "GENEVE");
}

/* Not GENEVE (version 1, unknown protocol): delivered as a datagram to
 * port 6081; GENEVE whose options run past the packet: truncated. */
static void
test_geneve_not_geneve(void)
{
    static const uint8_t v1[] = { 0x40, 0, 0x65, 0x58, 0, 0, 1, 0, 'x', 'y', 'z', 'z', 'y',
                                  'x', 'x', 'y', 'z', 'z', 'y', 'x', 0, 0, 0, 0 };
    static const uint8_t unknown[] = { 0x00, 0, 0x12, 0x34, 0, 0, 1, 0, 'a', 'b' };
    static const uint8_t cut[] = { 0x3f, 0, 0x65, 0x58, 0, 0, 1, 0, 0, 0, 0, 0 };
    g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
    feed(c, LT_EN10MB,
         t_v4(wrap_udp(buf_new(v1, sizeof v1), 49152, 6081), IPP_UDP), 1, T0);
    feed(c, LT_EN10MB,
         t_v4(wrap_udp(buf_new(unknown, sizeof unknown), 49152, 6081), IPP_UDP), 2, T0);
    g_assert_cmpuint(c->got->len, ==, 2);
    g_assert_cmpuint(got_at(c, 0)->payload ? g_bytes_get_size(got_at(c, 0)->payload) : 0, ==,
                     sizeof v1);
    g_assert_cmpint(got_at(c, 1)->tunnel, ==, CAP_TUNNEL_NONE);
    feed(c, LT_EN10MB, t_v4(wrap_udp(buf_new(cut, sizeof cut), 49152, 6081), IPP_UDP), 3, T0);
    g_assert_cmpuint(c->got->len, ==, 2);
    g_assert_cmpuint(stats(c)->truncated, ==, 1);
}

/* ---------------------------------------------- frames that deliver nothing */

typedef struct {
    const char *name;
    int linktype;
    Buf *(*build)(void);
    size_t cut;
    size_t stat; /* offset of the CapStats counter that must be exactly 1 */
} RejectCase;

static Buf *
truncate_to(Buf *b, size_t n)
{
    g_assert_cmpuint(n, <, b->len);
    return g_byte_array_set_size(b, (guint)n);
}

static Buf *
r_arp(void)
{
    static const uint8_t arp[28] = { 0, 1, 8, 0, 6, 4, 0, 1 };
    return wrap_eth(buf_new(arp, sizeof arp), 0x0806);
}

static Buf *r_null_family(void) { return wrap_null(udp4(), 7, false); }
/* DLT_LOOP is always network order: a little-endian 2 is no family */
static Buf *r_loop_family(void) { return wrap_null(udp4(), 2, false); }

static Buf *
r_raw_not_ip(void)
{
    Buf *b = udp4();
    b->data[0] = 0x55;
    return b;
}

static Buf *r_eth_short(void) { return truncate_to(l_en10mb(), 13); }
static Buf *r_sll_short(void) { return truncate_to(l_sll(), 15); }
static Buf *r_sll2_short(void) { return truncate_to(l_sll2(), 19); }
static Buf *r_null_short(void) { return truncate_to(l_null_le4(), 3); }
static Buf *r_vlan_cut(void) { return truncate_to(l_vlan(), 16); }

static Buf *
r_vlan_five(void)
{
    Buf *b = wrap_vlan(udp4(), 5, 0x0800);
    for (unsigned i = 4; i >= 1; i--)
        b = wrap_vlan(b, (uint16_t)i, 0x8100);
    return wrap_eth(b, 0x8100);
}

static Buf *
r_mpls_no_bottom(void)
{
    Buf *b = udp4();
    for (unsigned i = 0; i < 16; i++)
        b = wrap_mpls(b, 100 + i, false);
    return wrap_eth(b, 0x8847);
}

static Buf *r_ipv4_short(void) { return truncate_to(l_en10mb(), 14 + 19); }

static Buf *
r_ipv4_bad_ihl(void)
{
    Buf *b = l_en10mb();
    b->data[14] = 0x44; /* 16-byte header */
    return b;
}

static Buf *
r_ipv4_total_below_header(void)
{
    Buf *b = l_en10mb();
    b->data[16] = 0;
    b->data[17] = 19;
    return b;
}

static Buf *
r_ipv4_version(void)
{
    Buf *b = l_en10mb();
    b->data[14] = 0x65; /* version 6 under EtherType IPv4 */
    return b;
}

static Buf *
r_ipv4_cut_header_options(void)
{
    /* IHL 15 (60 bytes) but the frame ends after 24 */
    Buf *b = wrap_eth(wrap_ipv4_x(buf_new(NULL, 0), V4_SRC, V4_DST, IPP_UDP, 1, 0, 1), 0x0800);
    b->data[14] = 0x4f;
    b->data[16] = 0;
    b->data[17] = 60;
    return b;
}

static Buf *r_ipv6_short(void) { return truncate_to(l_en10mb_v6(), 14 + 39); }

static Buf *
r_ipv6_version(void)
{
    Buf *b = l_en10mb_v6();
    b->data[14] = 0x40;
    return b;
}

static Buf *
r_ipv6_ext_cut(void)
{
    /* a hop-by-hop header that claims 32 bytes in a payload of 8 */
    Hdr h = { 0 };
    h8(&h, IPP_UDP);
    h8(&h, 3);
    h8(&h, 1);
    h8(&h, 4);
    h32(&h, 0);
    return e_wrap6(push(buf_new(NULL, 0), &h), IPP_HOPOPT);
}

static Buf *
r_udp_short(void)
{
    return wrap_eth(wrap_ipv4(buf_str("abcd"), V4_SRC, V4_DST, IPP_UDP), 0x0800);
}

static Buf *
r_udp_bad_length(void)
{
    Buf *b = wrap_udp_len(buf_str("abc"), 5060, 5080, 5);
    return wrap_eth(wrap_ipv4(b, V4_SRC, V4_DST, IPP_UDP), 0x0800);
}

/* RFC 768: the length counts the header; 0 is only meaningful for IPv6
 * jumbograms (RFC 2675), never over IPv4 */
static Buf *
r_udp_zero_length_ipv4(void)
{
    Buf *b = wrap_udp_len(buf_str("abc"), 5060, 5080, 0);
    return wrap_eth(wrap_ipv4(b, V4_SRC, V4_DST, IPP_UDP), 0x0800);
}

static Buf *
r_tcp_short(void)
{
    return wrap_eth(wrap_ipv4(buf_str("abcdefghijkl"), V4_SRC, V4_DST, IPP_TCP), 0x0800);
}

static Buf *
r_tcp_bad_offset(void)
{
    Buf *b = wrap_tcp(buf_str("abc"), 40000, 5060, 1, TH_ACK, 0);
    b = wrap_eth(wrap_ipv4(b, V4_SRC, V4_DST, IPP_TCP), 0x0800);
    b->data[14 + 20 + 12] = 0x40; /* data offset 4 words */
    return b;
}

static Buf *
r_tcp_options_cut(void)
{
    Buf *b = wrap_tcp(buf_str("abc"), 40000, 5060, 1, TH_ACK, 0);
    b = wrap_eth(wrap_ipv4(b, V4_SRC, V4_DST, IPP_TCP), 0x0800);
    b->data[14 + 20 + 12] = 0xf0; /* 60-byte header in a 23-byte segment */
    return b;
}

static Buf *
r_sctp_short(void)
{
    return wrap_eth(wrap_ipv4(buf_str("abcdefgh"), V4_SRC, V4_DST, IPP_SCTP), 0x0800);
}

static Buf *
sctp_frame(Buf *chunks)
{
    return wrap_eth(wrap_ipv4(wrap_sctp(chunks, 5060, 5061), V4_SRC, V4_DST, IPP_SCTP), 0x0800);
}

static Buf *
r_sctp_chunk_len(void)
{
    static const uint8_t chunk[4] = { 0, 3, 0, 2 };
    return sctp_frame(buf_new(chunk, sizeof chunk));
}

static Buf *
r_sctp_chunk_cut(void)
{
    static const uint8_t chunk[16] = { 0, 3, 0, 40 };
    return sctp_frame(buf_new(chunk, sizeof chunk));
}

static Buf *
r_sctp_data_short(void)
{
    static const uint8_t chunk[8] = { 0, 3, 0, 8, 0, 0, 0, 1 };
    return sctp_frame(buf_new(chunk, sizeof chunk));
}

static Buf *r_gre_version(void) { return t_v4(wrap_gre(udp4(), 0x0002, 0x0800), IPP_GRE); }

static Buf *
r_gre_cut(void)
{
    static const uint8_t gre[4] = { 0x20, 0x00, 0x08, 0x00 }; /* K set, no key */
    return t_v4(buf_new(gre, sizeof gre), IPP_GRE);
}

static const RejectCase reject_cases[] = {
    { "unsupported-link-type", LT_IEEE802_11, l_en10mb, 0, STAT(unsupported_link) },
    { "ethertype-arp", LT_EN10MB, r_arp, 0, STAT(non_ip) },
    { "null-unknown-family", LT_NULL, r_null_family, 0, STAT(non_ip) },
    { "loop-little-endian-family", LT_LOOP, r_loop_family, 0, STAT(non_ip) },
    { "raw-not-ip", LT_RAW, r_raw_not_ip, 0, STAT(non_ip) },
    { "ethernet-cut", LT_EN10MB, r_eth_short, 0, STAT(truncated) },
    { "linux-sll-cut", LT_SLL, r_sll_short, 0, STAT(truncated) },
    { "linux-sll2-cut", LT_SLL2, r_sll2_short, 0, STAT(truncated) },
    { "null-cut", LT_NULL, r_null_short, 0, STAT(truncated) },
    { "vlan-tag-cut", LT_EN10MB, r_vlan_cut, 0, STAT(truncated) },
    { "vlan-five-tags", LT_EN10MB, r_vlan_five, 0, STAT(malformed) },
    { "mpls-no-bottom-of-stack", LT_EN10MB, r_mpls_no_bottom, 0, STAT(malformed) },
    { "ipv4-header-cut", LT_EN10MB, r_ipv4_short, 0, STAT(truncated) },
    { "ipv4-ihl-below-5", LT_EN10MB, r_ipv4_bad_ihl, 0, STAT(malformed) },
    { "ipv4-total-below-header", LT_EN10MB, r_ipv4_total_below_header, 0, STAT(malformed) },
    { "ipv4-wrong-version", LT_EN10MB, r_ipv4_version, 0, STAT(malformed) },
    { "ipv4-options-cut", LT_EN10MB, r_ipv4_cut_header_options, 0, STAT(truncated) },
    { "ipv6-header-cut", LT_EN10MB, r_ipv6_short, 0, STAT(truncated) },
    { "ipv6-wrong-version", LT_EN10MB, r_ipv6_version, 0, STAT(malformed) },
    { "ipv6-extension-cut", LT_EN10MB, r_ipv6_ext_cut, 0, STAT(truncated) },
    { "ipv6-sixteen-extension-headers", LT_EN10MB, e_sixteen, 0, STAT(malformed) },
    { "udp-header-cut", LT_EN10MB, r_udp_short, 0, STAT(truncated) },
    { "udp-length-below-8", LT_EN10MB, r_udp_bad_length, 0, STAT(malformed) },
    { "udp-length-0-over-ipv4", LT_EN10MB, r_udp_zero_length_ipv4, 0, STAT(malformed) },
    { "tcp-header-cut", LT_EN10MB, r_tcp_short, 0, STAT(truncated) },
    { "tcp-data-offset-below-5", LT_EN10MB, r_tcp_bad_offset, 0, STAT(malformed) },
    { "tcp-options-cut", LT_EN10MB, r_tcp_options_cut, 0, STAT(truncated) },
    { "sctp-header-cut", LT_EN10MB, r_sctp_short, 0, STAT(truncated) },
    { "sctp-chunk-length-below-4", LT_EN10MB, r_sctp_chunk_len, 0, STAT(malformed) },
    { "sctp-chunk-cut", LT_EN10MB, r_sctp_chunk_cut, 0, STAT(truncated) },
    { "sctp-data-chunk-too-short", LT_EN10MB, r_sctp_data_short, 0, STAT(malformed) },
    { "gre-version-2", LT_EN10MB, r_gre_version, 0, STAT(malformed) },
    { "gre-key-cut", LT_EN10MB, r_gre_cut, 0, STAT(truncated) },
};

static void
test_reject(gconstpointer data)
{
    const RejectCase *tc = data;
    g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
    feed_cut(c, tc->linktype, tc->build(), 1, T0, tc->cut);
    const CapStats *s = stats(c);
    g_assert_cmpuint(c->got->len, ==, 0);
    g_assert_cmpuint(s->payloads, ==, 0);
    g_assert_cmpuint(s->frames, ==, 1);
    g_assert_cmpuint(stat_at(s, tc->stat), ==, 1);
    /* no other problem counter moved */
    static const size_t problems[] = { STAT(unsupported_link), STAT(non_ip), STAT(malformed),
                                       STAT(truncated) };
    for (size_t i = 0; i < G_N_ELEMENTS(problems); i++) {
        if (problems[i] != tc->stat)
            g_assert_cmpuint(stat_at(s, problems[i]), ==, 0);
    }
}

/* --------------------------------------------------------- tunnel depth */

static Buf *
nested_ipip(unsigned tunnels)
{
    Buf *b = udp4();
    for (unsigned i = 0; i < tunnels; i++)
        b = wrap_outer4(b, IPP_IPIP);
    return wrap_eth(b, 0x0800);
}

static Buf *d_ipip4(void) { return nested_ipip(4); }
static Buf *d_ipip5(void) { return nested_ipip(5); }
static Buf *d_ipip1(void) { return nested_ipip(1); }
static Buf *d_ipip2(void) { return nested_ipip(2); }

static Buf *
d_vxlan_in_gre(void)
{
    Buf *b = wrap_vxlan(wrap_eth(udp4(), 0x0800), 7);
    b = wrap_ipv4(wrap_udp(b, 49152, 4789), "10.3.3.3", "10.4.4.4", IPP_UDP);
    return t_v4(wrap_gre(b, 0, 0x0800), IPP_GRE);
}

typedef struct {
    const char *name;
    unsigned max_depth;
    Buf *(*build)(void);
    bool delivered;
} DepthCase;

static const DepthCase depth_cases[] = {
    { "four-ipip-limit-4", 4, d_ipip4, true },
    { "five-ipip-limit-4", 4, d_ipip5, false },
    { "one-ipip-limit-1", 1, d_ipip1, true },
    { "two-ipip-limit-1", 1, d_ipip2, false },
    { "vxlan-in-gre-limit-2", 2, d_vxlan_in_gre, true },
    { "vxlan-in-gre-limit-1", 1, d_vxlan_in_gre, false },
};

static void
test_tunnel_depth(gconstpointer data)
{
    const DepthCase *tc = data;
    CapLimits lim;
    cap_limits_init(&lim);
    lim.max_tunnel_depth = tc->max_depth;
    g_autoptr(Collector) c = collector_new(&lim, TCP_CONSUME_ALL);
    feed(c, LT_EN10MB, tc->build(), 1, T0);
    if (tc->delivered) {
        g_assert_cmpuint(c->got->len, ==, 1);
        Got *g = got_at(c, 0);
        assert_payload(g, PAYLOAD);
        assert_addr(&g->src, A4S);
        assert_addr(&g->dst, A4D);
        g_assert_cmphex(g->flags, ==, CAP_PKT_TUNNELED);
        g_assert_cmpuint(stats(c)->malformed, ==, 0);
    } else {
        g_assert_cmpuint(c->got->len, ==, 0);
        g_assert_cmpuint(stats(c)->malformed, ==, 1);
    }
}

/* ------------------------------------------------------- IPv4 fragments */

#define FRAG_TEXT_LEN 92

/* 92 bytes of text; with its UDP header, a 100-byte datagram to cut up. */
static const char *
frag_text(void)
{
    static char text[FRAG_TEXT_LEN + 1];
    if (text[0] == '\0') {
        for (size_t i = 0; i < FRAG_TEXT_LEN; i++)
            text[i] = (char)('a' + (i * 7) % 26);
    }
    return text;
}

static Buf *
frag_datagram(void)
{
    return wrap_udp(buf_str(frag_text()), 5060, 5080);
}

/* An Ethernet frame with bytes [@off, @off + @len) of @l4; MF is set unless
 * the piece reaches the end. */
static Buf *
frag4(const Buf *l4, size_t off, size_t len, uint16_t id, const char *src)
{
    g_assert_cmpuint(off + len, <=, l4->len);
    bool more = off + len < l4->len;
    uint16_t field = (uint16_t)((more ? 0x2000 : 0) | off / 8);
    Buf *b = buf_new(l4->data + off, len);
    return wrap_eth(wrap_ipv4_x(b, src, V4_DST, IPP_UDP, id, field, 0), 0x0800);
}

typedef struct {
    size_t off, len; /* len 0: to the end */
} Piece;

typedef struct {
    const char *name;
    Piece pieces[6];
    size_t n_pieces;
    uint64_t want_frame; /* frame that completes the datagram */
} FragCase;

static const FragCase frag4_cases[] = {
    { "in-order", { { 0, 48 }, { 48, 48 }, { 96, 0 } }, 3, 3 },
    { "reverse-order", { { 96, 0 }, { 48, 48 }, { 0, 48 } }, 3, 3 },
    { "middle-first", { { 48, 48 }, { 96, 0 }, { 0, 48 } }, 3, 3 },
    { "duplicate", { { 0, 48 }, { 0, 48 }, { 48, 48 }, { 96, 0 } }, 4, 4 },
    { "overlapping", { { 0, 56 }, { 40, 24 }, { 56, 0 } }, 3, 3 },
    { "overlap-with-last", { { 48, 0 }, { 0, 56 } }, 2, 2 },
    { "header-only-first", { { 8, 0 }, { 0, 8 } }, 2, 2 },
};

static size_t
piece_len(const Piece *p, size_t total)
{
    return p->len ? p->len : total - p->off;
}

static void
test_frag4(gconstpointer data)
{
    const FragCase *tc = data;
    g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
    Buf *l4 = frag_datagram();
    g_assert_cmpuint(l4->len, ==, 100);
    for (size_t i = 0; i < tc->n_pieces; i++) {
        const Piece *p = &tc->pieces[i];
        g_assert_cmpuint(c->got->len, ==, 0);
        feed(c, LT_EN10MB, frag4(l4, p->off, piece_len(p, l4->len), 0x4242, V4_SRC), i + 1,
             T0 + (SlTime)i * SL_TIME_MSEC);
    }
    g_byte_array_unref(l4);

    g_assert_cmpuint(c->got->len, ==, 1);
    Got *g = got_at(c, 0);
    assert_payload(g, frag_text());
    assert_addr(&g->src, A4S);
    assert_addr(&g->dst, A4D);
    g_assert_cmphex(g->flags, ==, CAP_PKT_IP_REASSEMBLED);
    g_assert_cmphex(g->ip_id, ==, 0x4242);
    g_assert_cmpuint(g->frame, ==, tc->want_frame);
    g_assert_cmpint(g->ts, ==, T0 + (SlTime)(tc->want_frame - 1) * SL_TIME_MSEC);
    const CapStats *s = stats(c);
    g_assert_cmpuint(s->ip_fragments, ==, tc->n_pieces);
    g_assert_cmpuint(s->ip_reassembled, ==, 1);
    g_assert_cmpuint(s->ip_frag_dropped, ==, 0);
    g_assert_cmpuint(s->payloads, ==, 1);
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, 0);
}

/* Two datagrams with different ids, and one from another source with the
 * same id, interleaved: each is rebuilt from its own fragments. */
static void
test_frag4_interleaved(void)
{
    g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
    Buf *a = frag_datagram();
    Buf *b = wrap_udp(buf_str("second datagram, which is long enough to be cut in two pieces"),
                      5060, 5080);
    feed(c, LT_EN10MB, frag4(a, 0, 48, 1, V4_SRC), 1, T0);
    feed(c, LT_EN10MB, frag4(b, 0, 32, 2, V4_SRC), 2, T0);
    feed(c, LT_EN10MB, frag4(a, 0, 48, 2, "192.0.2.99"), 3, T0);
    feed(c, LT_EN10MB, frag4(b, 32, b->len - 32, 2, V4_SRC), 4, T0);
    feed(c, LT_EN10MB, frag4(a, 48, a->len - 48, 1, V4_SRC), 5, T0);
    g_byte_array_unref(a);
    g_byte_array_unref(b);

    g_assert_cmpuint(c->got->len, ==, 2);
    assert_payload(got_at(c, 0), "second datagram, which is long enough to be cut in two pieces");
    g_assert_cmpuint(got_at(c, 0)->frame, ==, 4);
    assert_payload(got_at(c, 1), frag_text());
    g_assert_cmpuint(got_at(c, 1)->frame, ==, 5);
    /* the lone fragment from 192.0.2.99 is still waiting: 48 bytes */
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, 48);
    g_assert_cmpuint(stats(c)->ip_reassembled, ==, 2);
}

static void
test_frag4_timeout(void)
{
    Buf *l4 = frag_datagram();
    {
        /* the rest arrives 29 s after the first piece: still in time */
        g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
        feed(c, LT_EN10MB, frag4(l4, 0, 48, 1, V4_SRC), 1, T0);
        feed(c, LT_EN10MB, frag4(l4, 48, 52, 1, V4_SRC), 2, T0 + 29 * SL_TIME_SECOND);
        g_assert_cmpuint(c->got->len, ==, 1);
        assert_payload(got_at(c, 0), frag_text());
        g_assert_cmpuint(stats(c)->ip_frag_dropped, ==, 0);
    }
    {
        /* a fragment 31 s later expires the incomplete datagram */
        g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
        feed(c, LT_EN10MB, frag4(l4, 0, 48, 1, V4_SRC), 1, T0);
        g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, 48);
        feed(c, LT_EN10MB, frag4(l4, 0, 48, 2, V4_SRC), 2, T0 + 31 * SL_TIME_SECOND);
        g_assert_cmpuint(stats(c)->ip_frag_dropped, ==, 1);
        g_assert_cmpuint(stats(c)->ip_frag_limit, ==, 0);
        g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, 48); /* datagram 2 only */
        /* the first datagram's tail cannot complete it any more */
        feed(c, LT_EN10MB, frag4(l4, 48, 52, 1, V4_SRC), 3, T0 + 31 * SL_TIME_SECOND);
        g_assert_cmpuint(c->got->len, ==, 0);
        /* but datagram 2 completes */
        feed(c, LT_EN10MB, frag4(l4, 48, 52, 2, V4_SRC), 4, T0 + 32 * SL_TIME_SECOND);
        g_assert_cmpuint(c->got->len, ==, 1);
        g_assert_cmpuint(got_at(c, 0)->frame, ==, 4);
        assert_payload(got_at(c, 0), frag_text());
    }
    g_byte_array_unref(l4);
}

static void
test_frag4_memory_bound(void)
{
    CapLimits lim;
    cap_limits_init(&lim);
    lim.frag_max_bytes = 256;
    g_autoptr(Collector) c = collector_new(&lim, TCP_CONSUME_ALL);
    g_autofree char *big_text = g_strnfill(392, 'z');
    Buf *big = wrap_udp(buf_str(big_text), 5060, 5080); /* 400 bytes */
    Buf *small = frag_datagram();                          /* 100 bytes */
    const CapStats *s = stats(c);

    feed(c, LT_EN10MB, frag4(big, 0, 200, 1, V4_SRC), 1, T0);
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, 200);
    g_assert_cmpuint(s->ip_frag_limit, ==, 0);

    /* a second 200-byte piece does not fit next to the first: the oldest goes */
    feed(c, LT_EN10MB, frag4(big, 0, 200, 2, V4_SRC), 2, T0);
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), <=, 256);
    g_assert_cmpuint(s->ip_frag_limit, ==, 1);
    g_assert_cmpuint(s->ip_frag_dropped, ==, 1);

    /* a piece larger than the whole bound is refused */
    feed(c, LT_EN10MB, frag4(big, 0, 296, 3, V4_SRC), 3, T0);
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), <=, 256);
    g_assert_cmpuint(s->ip_frag_limit, >=, 2);
    g_assert_cmpuint(s->ip_frag_dropped, ==, s->ip_frag_limit);

    /* datagrams within the bound are still rebuilt */
    feed(c, LT_EN10MB, frag4(small, 0, 48, 4, V4_SRC), 4, T0);
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), <=, 256);
    feed(c, LT_EN10MB, frag4(small, 48, 52, 4, V4_SRC), 5, T0);
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), <=, 256);
    g_assert_cmpuint(c->got->len, ==, 1);
    assert_payload(got_at(c, 0), frag_text());
    g_assert_cmpuint(s->ip_reassembled, ==, 1);

    /* the big datagrams can never be completed */
    feed(c, LT_EN10MB, frag4(big, 200, 200, 2, V4_SRC), 6, T0);
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), <=, 256);
    g_assert_cmpuint(c->got->len, ==, 1);
    g_byte_array_unref(big);
    g_byte_array_unref(small);
}

/* Fragments that are wrong on their own. */
static void
test_frag4_invalid(void)
{
    Buf *l4 = frag_datagram();
    {
        /* MF set but not a multiple of 8 bytes */
        g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
        feed(c, LT_EN10MB, frag4(l4, 0, 50, 1, V4_SRC), 1, T0);
        g_assert_cmpuint(stats(c)->malformed, ==, 1);
        g_assert_cmpuint(stats(c)->ip_fragments, ==, 1);
        g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, 0);
    }
    {
        /* a fragment cut by the snaplen can never complete its datagram */
        g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
        feed_cut(c, LT_EN10MB, frag4(l4, 0, 48, 1, V4_SRC), 1, T0, 5);
        feed(c, LT_EN10MB, frag4(l4, 48, 52, 1, V4_SRC), 2, T0);
        g_assert_cmpuint(stats(c)->truncated, ==, 1);
        g_assert_cmpuint(c->got->len, ==, 0);
    }
    {
        /* two last fragments that disagree on the datagram length */
        g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
        feed(c, LT_EN10MB, frag4(l4, 48, 52, 1, V4_SRC), 1, T0);
        Buf *b = frag4(l4, 48, 40, 1, V4_SRC);
        b->data[14 + 6] &= 0xdf; /* clear MF: a second, shorter end */
        feed(c, LT_EN10MB, b, 2, T0);
        feed(c, LT_EN10MB, frag4(l4, 0, 48, 1, V4_SRC), 3, T0);
        g_assert_cmpuint(stats(c)->malformed, ==, 1);
        g_assert_cmpuint(c->got->len, ==, 0);
    }
    {
        /* offset + length beyond 65535 */
        g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
        Buf *b = buf_new(l4->data, 16);
        b = wrap_eth(wrap_ipv4_x(b, V4_SRC, V4_DST, IPP_UDP, 9, 8190, 0), 0x0800);
        feed(c, LT_EN10MB, b, 1, T0);
        g_assert_cmpuint(stats(c)->malformed, ==, 1);
        g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, 0);
    }
    g_byte_array_unref(l4);
}

/* ------------------------------------------------------- IPv6 fragments */

typedef struct {
    const char *name;
    Piece pieces[4];
    size_t n_pieces;
    bool hop_by_hop;      /* unfragmentable part before the Fragment header */
    bool dstopts_inside;  /* fragmentable part starts with destination options */
    uint64_t want_frame;
    bool odd_next;        /* later fragments name another next header */
} Frag6Case;

static const Frag6Case frag6_cases[] = {
    { "two-in-order", { { 0, 56 }, { 56, 0 } }, 2, false, false, 2, false },
    { "two-reversed", { { 56, 0 }, { 0, 56 } }, 2, false, false, 2, false },
    { "three-out-of-order", { { 48, 48 }, { 96, 0 }, { 0, 48 } }, 3, false, false, 3, false },
    { "three-after-hop-by-hop", { { 96, 0 }, { 0, 48 }, { 48, 48 } }, 3, true, false, 3, false },
    { "three-dstopts-inside", { { 56, 56 }, { 0, 56 }, { 112, 0 } }, 3, false, true, 3, false },
    /* RFC 8200 section 4.5: only the offset-zero fragment's value counts */
    { "next-header-of-first-fragment", { { 0, 56 }, { 56, 0 } }, 2, false, false, 2, true },
};

static Buf *
frag6(const Buf *whole, size_t off, size_t len, uint8_t first_next, bool hbh, uint32_t id)
{
    g_assert_cmpuint(off + len, <=, whole->len);
    bool more = off + len < whole->len;
    Buf *b = wrap_ip6_frag(buf_new(whole->data + off, len), first_next, off, more, id);
    uint8_t next = IPP_FRAGMENT;
    if (hbh) {
        b = wrap_ip6_opts(b, IPP_FRAGMENT, 0);
        next = IPP_HOPOPT;
    }
    return e_wrap6(b, next);
}

static void
test_frag6(gconstpointer data)
{
    const Frag6Case *tc = data;
    g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
    Buf *whole = frag_datagram();
    uint8_t first_next = IPP_UDP;
    if (tc->dstopts_inside) {
        whole = wrap_ip6_opts(whole, IPP_UDP, 1);
        first_next = IPP_DSTOPTS;
    }
    for (size_t i = 0; i < tc->n_pieces; i++) {
        const Piece *p = &tc->pieces[i];
        uint8_t next = tc->odd_next && p->off ? 59 : first_next; /* 59: no next header */
        g_assert_cmpuint(c->got->len, ==, 0);
        feed(c, LT_EN10MB,
             frag6(whole, p->off, piece_len(p, whole->len), next, tc->hop_by_hop, 0xabcdef),
             i + 1, T0 + (SlTime)i * SL_TIME_MSEC);
    }
    g_byte_array_unref(whole);

    g_assert_cmpuint(c->got->len, ==, 1);
    Got *g = got_at(c, 0);
    assert_payload(g, frag_text());
    assert_addr(&g->src, A6S);
    assert_addr(&g->dst, A6D);
    g_assert_cmphex(g->flags, ==, CAP_PKT_IP_REASSEMBLED);
    g_assert_cmpuint(g->frame, ==, tc->want_frame);
    g_assert_cmpuint(stats(c)->ip_fragments, ==, tc->n_pieces);
    g_assert_cmpuint(stats(c)->ip_reassembled, ==, 1);
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, 0);
}

static void
test_frag6_invalid(void)
{
    Buf *whole = frag_datagram();
    {
        g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
        feed(c, LT_EN10MB, frag6(whole, 0, 50, IPP_UDP, false, 1), 1, T0);
        g_assert_cmpuint(stats(c)->malformed, ==, 1);
        g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, 0);
    }
    {
        /* same id, other source: two separate datagrams that never complete */
        g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
        feed(c, LT_EN10MB, frag6(whole, 0, 56, IPP_UDP, false, 5), 1, T0);
        Buf *b = wrap_ip6_frag(buf_new(whole->data + 56, 44), IPP_UDP, 56, false, 5);
        feed(c, LT_EN10MB, wrap_eth(wrap_ipv6(b, "2001:db8::99", V6_DST, IPP_FRAGMENT), 0x86dd),
             2, T0);
        g_assert_cmpuint(c->got->len, ==, 0);
        g_assert_cmpuint(stats(c)->ip_fragments, ==, 2);
        g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, 56 + 100);
    }
    g_byte_array_unref(whole);
}

/* ------------------------------------------------------------------ TCP */

enum { C2S = 0, S2C = 1 };
#define PA (TH_PSH | TH_ACK)
#define CLIENT "10.0.0.1:40000"
#define SERVER "10.0.0.2:5060"

typedef struct {
    int dir;
    uint8_t flags; /* TH_*; 0 ends the list */
    uint32_t seq;
    const char *data;
    int ms;             /* capture time after T0 */
    unsigned opt_words; /* TCP option words */
    size_t cut;         /* bytes removed by the snaplen */
} Seg;

typedef struct {
    const char *data; /* NULL ends the list */
    uint64_t frame;
    int dir;
    bool gap;
} Want;

typedef struct {
    const char *name;
    TcpMode mode;
    size_t max_buffer; /* 0: the default */
    bool finish;
    Seg segs[10];
    Want want[8];
    uint64_t retrans, ooo, gaps, limit, streams, truncated;
    size_t held; /* cap_decoder_held_bytes() after the last segment */
} TcpCase;

static Buf *
tcp_frame(int dir, uint8_t flags, uint32_t seq, const char *data, unsigned opt_words)
{
    Buf *b = buf_str(data ? data : "");
    if (dir == C2S)
        b = wrap_ipv4(wrap_tcp(b, 40000, 5060, seq, flags, opt_words), "10.0.0.1", "10.0.0.2",
                      IPP_TCP);
    else
        b = wrap_ipv4(wrap_tcp(b, 5060, 40000, seq, flags, opt_words), "10.0.0.2", "10.0.0.1",
                      IPP_TCP);
    return wrap_eth(b, 0x0800);
}

static const TcpCase tcp_cases[] = {
    { "handshake-then-in-order", TCP_CONSUME_ALL, 0, false,
      { { C2S, TH_SYN, 1000, "", 0, 0, 0 },
        { S2C, TH_SYN | TH_ACK, 5000, "", 1, 0, 0 },
        { C2S, TH_ACK, 1001, "", 2, 0, 0 },
        { C2S, PA, 1001, "INVITE", 3, 0, 0 },
        { S2C, TH_ACK, 5001, "", 4, 0, 0 },
        { C2S, PA, 1007, " sip:bob", 5, 3, 0 },
        { C2S, TH_FIN | TH_ACK, 1015, "", 6, 0, 0 } },
      { { "INVITE", 4, C2S, false }, { " sip:bob", 6, C2S, false } },
      0, 0, 0, 0, 2, 0, 0 },
    { "unconsumed-offered-again", TCP_CONSUME_NONE, 0, false,
      { { C2S, TH_SYN, 1000, "", 0, 0, 0 },
        { C2S, PA, 1001, "abc", 1, 0, 0 },
        { C2S, PA, 1004, "def", 2, 0, 0 } },
      { { "abc", 2, C2S, false }, { "abcdef", 3, C2S, false } },
      0, 0, 0, 0, 1, 0, 6 },
    { "partly-consumed", TCP_CONSUME_TWO, 0, false,
      { { C2S, TH_SYN, 1000, "", 0, 0, 0 },
        { C2S, PA, 1001, "abcd", 1, 0, 0 },
        { C2S, PA, 1005, "ef", 2, 0, 0 },
        { C2S, PA, 1007, "g", 3, 0, 0 } },
      { { "abcd", 2, C2S, false }, { "cdef", 3, C2S, false }, { "efg", 4, C2S, false } },
      0, 0, 0, 0, 1, 0, 1 },
    { "out-of-order", TCP_CONSUME_ALL, 0, false,
      { { C2S, TH_SYN, 1000, "", 0, 0, 0 },
        { C2S, PA, 1004, "def", 1, 0, 0 },
        { C2S, PA, 1001, "abc", 2, 0, 0 } },
      { { "abc", 3, C2S, false }, { "def", 3, C2S, false } },
      0, 1, 0, 0, 1, 0, 0 },
    { "out-of-order-unconsumed", TCP_CONSUME_NONE, 0, false,
      { { C2S, TH_SYN, 1000, "", 0, 0, 0 },
        { C2S, PA, 1004, "def", 1, 0, 0 },
        { C2S, PA, 1001, "abc", 2, 0, 0 } },
      { { "abc", 3, C2S, false }, { "abcdef", 3, C2S, false } },
      0, 1, 0, 0, 1, 0, 6 },
    { "out-of-order-three", TCP_CONSUME_ALL, 0, false,
      { { C2S, TH_SYN, 1000, "", 0, 0, 0 },
        { C2S, PA, 1007, "ghi", 1, 0, 0 },
        { C2S, PA, 1004, "def", 2, 0, 0 },
        { C2S, PA, 1001, "abc", 3, 0, 0 } },
      { { "abc", 4, C2S, false }, { "def", 4, C2S, false }, { "ghi", 4, C2S, false } },
      0, 2, 0, 0, 1, 0, 0 },
    { "full-retransmission", TCP_CONSUME_ALL, 0, false,
      { { C2S, TH_SYN, 1000, "", 0, 0, 0 },
        { C2S, PA, 1001, "abc", 1, 0, 0 },
        { C2S, PA, 1001, "abc", 2, 0, 0 },
        { C2S, PA, 1004, "def", 3, 0, 0 } },
      { { "abc", 2, C2S, false }, { "def", 4, C2S, false } },
      1, 0, 0, 0, 1, 0, 0 },
    { "retransmitted-while-waiting", TCP_CONSUME_ALL, 0, false,
      { { C2S, TH_SYN, 1000, "", 0, 0, 0 },
        { C2S, PA, 1004, "def", 1, 0, 0 },
        { C2S, PA, 1004, "def", 2, 0, 0 },
        { C2S, PA, 1001, "abc", 3, 0, 0 } },
      { { "abc", 4, C2S, false }, { "def", 4, C2S, false } },
      1, 2, 0, 0, 1, 0, 0 },
    { "partial-overlap-trimmed", TCP_CONSUME_ALL, 0, false,
      { { C2S, TH_SYN, 1000, "", 0, 0, 0 },
        { C2S, PA, 1001, "abcdef", 1, 0, 0 },
        { C2S, PA, 1004, "defghi", 2, 0, 0 } },
      { { "abcdef", 2, C2S, false }, { "ghi", 3, C2S, false } },
      0, 0, 0, 0, 1, 0, 0 },
    { "overlap-with-waiting-segment", TCP_CONSUME_ALL, 0, false,
      { { C2S, TH_SYN, 1000, "", 0, 0, 0 },
        { C2S, PA, 1004, "defgh", 1, 0, 0 },
        { C2S, PA, 1001, "abcdef", 2, 0, 0 } },
      { { "abcdef", 3, C2S, false }, { "gh", 3, C2S, false } },
      0, 1, 0, 0, 1, 0, 0 },
    { "hole-skipped-at-finish", TCP_CONSUME_ALL, 0, true,
      { { C2S, TH_SYN, 1000, "", 0, 0, 0 },
        { C2S, PA, 1001, "abc", 1, 0, 0 },
        { C2S, PA, 1007, "ghi", 2, 0, 0 } },
      { { "abc", 2, C2S, false }, { "ghi", 3, C2S, true } },
      0, 1, 1, 0, 1, 0, 3 },
    { "hole-skipped-drops-bytes-before-it", TCP_CONSUME_NONE, 0, true,
      { { C2S, TH_SYN, 1000, "", 0, 0, 0 },
        { C2S, PA, 1001, "abc", 1, 0, 0 },
        { C2S, PA, 1007, "ghi", 2, 0, 0 } },
      { { "abc", 2, C2S, false }, { "ghi", 3, C2S, true } },
      0, 1, 1, 0, 1, 0, 6 },
    { "hole-skipped-after-2s", TCP_CONSUME_ALL, 0, false,
      { { C2S, TH_SYN, 1000, "", 0, 0, 0 },
        { C2S, PA, 1001, "abc", 10, 0, 0 },
        { C2S, PA, 1007, "ghi", 100, 0, 0 },
        { C2S, PA, 1010, "jkl", 2200, 0, 0 } },
      { { "abc", 2, C2S, false }, { "ghi", 4, C2S, true }, { "jkl", 4, C2S, false } },
      0, 2, 1, 0, 1, 0, 0 },
    { "buffer-bound", TCP_CONSUME_NONE, 8, false,
      { { C2S, TH_SYN, 1000, "", 0, 0, 0 },
        { C2S, PA, 1001, "abcdef", 1, 0, 0 },
        { C2S, PA, 1007, "ghijk", 2, 0, 0 },
        { C2S, PA, 1012, "lmn", 3, 0, 0 } },
      { { "abcdef", 2, C2S, false }, { "abcdefghijk", 3, C2S, false }, { "lmn", 4, C2S, true } },
      0, 0, 0, 1, 1, 0, 3 },
    { "waiting-bytes-bound", TCP_CONSUME_ALL, 8, false,
      { { C2S, TH_SYN, 1000, "", 0, 0, 0 },
        { C2S, PA, 1001, "ab", 1, 0, 0 },
        { C2S, PA, 1010, "jklmn", 2, 0, 0 },
        { C2S, PA, 1015, "opqrs", 3, 0, 0 } },
      { { "ab", 2, C2S, false }, { "jklmn", 4, C2S, true }, { "opqrs", 4, C2S, false } },
      0, 2, 1, 1, 1, 0, 0 },
    { "two-directions-separate", TCP_CONSUME_NONE, 0, false,
      { { C2S, TH_SYN, 1000, "", 0, 0, 0 },
        { S2C, TH_SYN | TH_ACK, 5000, "", 1, 0, 0 },
        { C2S, PA, 1001, "REQ", 2, 0, 0 },
        { S2C, PA, 5001, "RESP", 3, 0, 0 },
        { C2S, PA, 1004, "MORE", 4, 0, 0 },
        { S2C, PA, 5005, "ONSE", 5, 0, 0 } },
      { { "REQ", 3, C2S, false },
        { "RESP", 4, S2C, false },
        { "REQMORE", 5, C2S, false },
        { "RESPONSE", 6, S2C, false } },
      0, 0, 0, 0, 2, 0, 15 },
    { "sequence-wrap", TCP_CONSUME_ALL, 0, false,
      { { C2S, TH_SYN, 0xfffffffd, "", 0, 0, 0 },
        { C2S, PA, 0xfffffffe, "abcd", 1, 0, 0 },
        { C2S, PA, 2, "efgh", 2, 0, 0 },
        { C2S, PA, 0xfffffffe, "abcd", 3, 0, 0 } },
      { { "abcd", 2, C2S, false }, { "efgh", 3, C2S, false } },
      1, 0, 0, 0, 1, 0, 0 },
    { "sequence-wrap-out-of-order", TCP_CONSUME_ALL, 0, false,
      { { C2S, TH_SYN, 0xfffffffd, "", 0, 0, 0 },
        { C2S, PA, 2, "efgh", 1, 0, 0 },
        { C2S, PA, 0xfffffffe, "abcd", 2, 0, 0 } },
      { { "abcd", 3, C2S, false }, { "efgh", 3, C2S, false } },
      0, 1, 0, 0, 1, 0, 0 },
    { "sequence-crosses-2^31", TCP_CONSUME_ALL, 0, false,
      { { C2S, TH_SYN, 0x7ffffffc, "", 0, 0, 0 },
        { C2S, PA, 0x80000001, "efgh", 1, 0, 0 },
        { C2S, PA, 0x7ffffffd, "abcd", 2, 0, 0 },
        { C2S, PA, 0x7ffffffd, "abcd", 3, 0, 0 } },
      { { "abcd", 3, C2S, false }, { "efgh", 3, C2S, false } },
      1, 1, 0, 0, 1, 0, 0 },
    { "syn-at-wrap", TCP_CONSUME_ALL, 0, false,
      { { C2S, TH_SYN, 0xffffffff, "", 0, 0, 0 },
        { C2S, PA, 0, "abc", 1, 0, 0 },
        { C2S, PA, 3, "def", 2, 0, 0 } },
      { { "abc", 2, C2S, false }, { "def", 3, C2S, false } },
      0, 0, 0, 0, 1, 0, 0 },
    { "rst-forgets-stream", TCP_CONSUME_NONE, 0, false,
      { { C2S, TH_SYN, 1000, "", 0, 0, 0 },
        { C2S, PA, 1001, "abc", 1, 0, 0 },
        { C2S, TH_RST | TH_ACK, 1004, "", 2, 0, 0 },
        { C2S, PA, 2000, "xyz", 3, 0, 0 } },
      { { "abc", 2, C2S, false }, { "xyz", 4, C2S, false } },
      0, 0, 0, 0, 2, 0, 3 },
    { "new-syn-restarts-stream", TCP_CONSUME_NONE, 0, false,
      { { C2S, TH_SYN, 1000, "", 0, 0, 0 },
        { C2S, PA, 1001, "abc", 1, 0, 0 },
        { C2S, TH_SYN, 7000, "", 2, 0, 0 },
        { C2S, PA, 7001, "new", 3, 0, 0 } },
      { { "abc", 2, C2S, false }, { "new", 4, C2S, false } },
      0, 0, 0, 0, 1, 0, 3 },
    { "capture-starts-mid-stream", TCP_CONSUME_ALL, 0, false,
      { { C2S, PA, 123456, "abc", 0, 0, 0 }, { C2S, PA, 123459, "def", 1, 0, 0 } },
      { { "abc", 1, C2S, false }, { "def", 2, C2S, false } },
      0, 0, 0, 0, 1, 0, 0 },
    { "segment-cut-by-snaplen-is-lost", TCP_CONSUME_ALL, 0, true,
      { { C2S, TH_SYN, 1000, "", 0, 0, 0 },
        { C2S, PA, 1001, "abc", 1, 0, 0 },
        { C2S, PA, 1004, "defgh", 2, 0, 2 },
        { C2S, PA, 1009, "ijk", 3, 0, 0 } },
      { { "abc", 2, C2S, false }, { "ijk", 4, C2S, true } },
      0, 1, 1, 0, 1, 1, 3 },
};

static void
test_tcp(gconstpointer data)
{
    const TcpCase *tc = data;
    CapLimits lim;
    cap_limits_init(&lim);
    if (tc->max_buffer)
        lim.tcp_max_buffer = tc->max_buffer;
    g_autoptr(Collector) c = collector_new(&lim, tc->mode);

    size_t n_segs = 0;
    for (const Seg *s = tc->segs; s->flags; s++, n_segs++) {
        feed_cut(c, LT_EN10MB, tcp_frame(s->dir, s->flags, s->seq, s->data, s->opt_words),
                 n_segs + 1, T0 + s->ms * SL_TIME_MSEC, s->cut);
        if (tc->max_buffer)
            g_assert_cmpuint(cap_decoder_held_bytes(c->dec), <=, tc->max_buffer);
    }
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, tc->held);
    if (tc->finish)
        cap_decoder_finish(c->dec);

    size_t n_want = 0;
    while (tc->want[n_want].data)
        n_want++;
    g_assert_cmpuint(c->got->len, ==, n_want);
    for (size_t i = 0; i < n_want; i++) {
        const Want *w = &tc->want[i];
        Got *g = got_at(c, (guint)i);
        assert_payload(g, w->data);
        g_assert_cmpuint(g->frame, ==, w->frame);
        g_assert_cmphex(g->flags, ==, w->gap ? CAP_PKT_TCP_GAP : 0);
        g_assert_cmpint(g->transport, ==, CAP_TRANSPORT_TCP);
        assert_addr(&g->src, w->dir == C2S ? CLIENT : SERVER);
        assert_addr(&g->dst, w->dir == C2S ? SERVER : CLIENT);
    }
    const CapStats *s = stats(c);
    g_assert_cmpuint(s->tcp_segments, ==, n_segs);
    g_assert_cmpuint(s->tcp_retransmissions, ==, tc->retrans);
    g_assert_cmpuint(s->tcp_out_of_order, ==, tc->ooo);
    g_assert_cmpuint(s->tcp_gaps, ==, tc->gaps);
    g_assert_cmpuint(s->tcp_limit, ==, tc->limit);
    g_assert_cmpuint(s->tcp_streams, ==, tc->streams);
    g_assert_cmpuint(s->truncated, ==, tc->truncated);
    g_assert_cmpuint(s->payloads, ==, n_want);
    cap_decoder_finish(c->dec);
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, 0);
}

/* TCP has no length of its own: only IPv4 Total Length and IPv6 Payload
 * Length keep Ethernet padding out of the stream. */
static void
test_tcp_ethernet_padding(void)
{
    static const uint8_t pad[12] = { 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
                                     0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa };
    g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_NONE);
    Buf *b = tcp_frame(C2S, PA, 1, "hi", 0); /* 14 + 20 + 20 + 2 = 56 */
    feed(c, LT_EN10MB, g_byte_array_append(b, pad, 4), 1, T0);
    Buf *v6 = wrap_tcp(buf_str("v6"), 40000, 5060, 1, PA, 0);
    v6 = wrap_eth(wrap_ipv6(v6, V6_SRC, V6_DST, IPP_TCP), 0x86dd);
    feed(c, LT_EN10MB, g_byte_array_append(v6, pad, sizeof pad), 2, T0);
    feed(c, LT_EN10MB, g_byte_array_append(tcp_frame(C2S, PA, 3, "!", 0), pad, 5), 3, T0);
    g_assert_cmpuint(c->got->len, ==, 3);
    assert_payload(got_at(c, 0), "hi");
    g_assert_cmphex(got_at(c, 0)->flags, ==, 0);
    assert_payload(got_at(c, 1), "v6");
    assert_payload(got_at(c, 2), "hi!");
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, 3 + 2);
}

static void
test_tcp_streams_distinct(void)
{
    g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_NONE);
    feed(c, LT_EN10MB, tcp_frame(C2S, PA, 100, "req", 0), 1, T0);
    feed(c, LT_EN10MB, tcp_frame(S2C, PA, 900, "resp", 0), 2, T0);
    feed(c, LT_EN10MB, tcp_frame(C2S, PA, 103, "+", 0), 3, T0);
    g_assert_cmpuint(c->got->len, ==, 3);
    g_assert_true(got_at(c, 0)->stream != got_at(c, 1)->stream);
    g_assert_true(got_at(c, 0)->stream == got_at(c, 2)->stream);
    assert_payload(got_at(c, 2), "req+");
    g_assert_cmpuint(stats(c)->tcp_streams, ==, 2);
}

static void
test_tcp_ignore(void)
{
    g_autoptr(Collector) c = collector_new(NULL, TCP_IGNORE);
    feed(c, LT_EN10MB, tcp_frame(C2S, TH_SYN, 1000, "", 0), 1, T0);
    feed(c, LT_EN10MB, tcp_frame(C2S, PA, 1001, "abc", 0), 2, T0);
    feed(c, LT_EN10MB, tcp_frame(C2S, PA, 1004, "def", 0), 3, T0);
    feed(c, LT_EN10MB, tcp_frame(C2S, PA, 1010, "later", 0), 4, T0); /* would wait */
    feed(c, LT_EN10MB, tcp_frame(S2C, PA, 5001, "resp", 0), 5, T0);
    g_assert_cmpuint(c->got->len, ==, 2);
    assert_payload(got_at(c, 0), "abc");
    assert_payload(got_at(c, 1), "resp");
    assert_addr(&got_at(c, 1)->src, SERVER);
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, 0);
    g_assert_cmpuint(stats(c)->tcp_out_of_order, ==, 0);
    g_assert_cmpuint(stats(c)->payloads, ==, 2);
    cap_decoder_finish(c->dec);
    g_assert_cmpuint(c->got->len, ==, 2);
}

static void
test_tcp_user_data(void)
{
    Collector *c = collector_new(NULL, TCP_USER_DATA);
    feed(c, LT_EN10MB, tcp_frame(C2S, PA, 1, "a", 0), 1, T0);
    feed(c, LT_EN10MB, tcp_frame(C2S, PA, 2, "b", 0), 2, T0);
    feed(c, LT_EN10MB, tcp_frame(S2C, PA, 1, "x", 0), 3, T0);
    g_assert_cmpuint(c->got->len, ==, 3);
    g_assert_nonnull(got_at(c, 0)->user_data);
    g_assert_true(got_at(c, 0)->user_data == got_at(c, 1)->user_data);
    g_assert_true(got_at(c, 0)->user_data != got_at(c, 2)->user_data);
    g_assert_cmpint(((Tag *)got_at(c, 0)->user_data)->id, ==, 1);
    g_assert_cmpint(((Tag *)got_at(c, 2)->user_data)->id, ==, 2);
    g_assert_cmpint(c->tags_made, ==, 2);

    /* a new SYN on the same ports is a new connection: its tag goes */
    feed(c, LT_EN10MB, tcp_frame(C2S, TH_SYN, 5000, "", 0), 4, T0);
    g_assert_cmpint(c->tags_freed, ==, 1);
    feed(c, LT_EN10MB, tcp_frame(C2S, PA, 5001, "c", 0), 5, T0);
    g_assert_cmpint(((Tag *)got_at(c, 3)->user_data)->id, ==, 3);

    /* freeing the decoder frees the remaining two */
    g_assert_cmpint(c->tags_freed, ==, 1);
    cap_decoder_free(c->dec);
    c->dec = NULL;
    g_assert_cmpint(c->tags_freed, ==, 3);
    collector_free(c);

    /* cap_decoder_finish() forgets the streams and their data too */
    g_autoptr(Collector) d = collector_new(NULL, TCP_USER_DATA);
    feed(d, LT_EN10MB, tcp_frame(C2S, PA, 1, "a", 0), 1, T0);
    g_assert_cmpint(d->tags_freed, ==, 0);
    cap_decoder_finish(d->dec);
    g_assert_cmpint(d->tags_freed, ==, 1);
}

static void
test_tcp_stream_limit(void)
{
    CapLimits lim;
    cap_limits_init(&lim);
    lim.tcp_max_streams = 2;
    g_autoptr(Collector) c = collector_new(&lim, TCP_CONSUME_NONE);
    feed(c, LT_EN10MB, tcp_frame(C2S, PA, 1, "first", 0), 1, T0);
    feed(c, LT_EN10MB, tcp_frame(S2C, PA, 1, "second", 0), 2, T0);
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, 11);
    /* a third direction evicts the least recently used one (the first) */
    Buf *b = wrap_tcp(buf_str("third"), 40001, 5060, 1, PA, 0);
    feed(c, LT_EN10MB, wrap_eth(wrap_ipv4(b, "10.0.0.1", "10.0.0.2", IPP_TCP), 0x0800), 3, T0);
    g_assert_cmpuint(stats(c)->tcp_streams_evicted, ==, 1);
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, 11);
    /* the first direction starts afresh: its old bytes are gone */
    feed(c, LT_EN10MB, tcp_frame(C2S, PA, 6, "+more", 0), 4, T0);
    g_assert_cmpuint(c->got->len, ==, 4);
    assert_payload(got_at(c, 3), "+more");
    g_assert_cmpuint(stats(c)->tcp_streams, ==, 4);
}

static void
test_tcp_idle_timeout(void)
{
    g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_NONE);
    feed(c, LT_EN10MB, tcp_frame(C2S, PA, 1, "abc", 0), 1, T0);
    /* another direction 601 s later: the idle one is forgotten */
    feed(c, LT_EN10MB, tcp_frame(S2C, PA, 1, "x", 0), 2, T0 + 601 * SL_TIME_SECOND);
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, 1);
    g_assert_cmpuint(stats(c)->tcp_streams_evicted, ==, 0);
    feed(c, LT_EN10MB, tcp_frame(C2S, PA, 4, "def", 0), 3, T0 + 602 * SL_TIME_SECOND);
    g_assert_cmpuint(c->got->len, ==, 3);
    assert_payload(got_at(c, 2), "def");
    g_assert_cmpuint(stats(c)->tcp_streams, ==, 3);
}

/* The delivery made by cap_decoder_finish() after a skipped hole belongs
 * to the same source and VLAN as the segments that carried its bytes. */
static void
test_tcp_finish_keeps_context(void)
{
    g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
    static const struct { uint32_t seq; const char *data; } segs[] = {
        { 1001, "abc" }, { 1007, "ghi" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(segs); i++) {
        Buf *b = wrap_tcp(buf_str(segs[i].data), 40000, 5060, segs[i].seq, PA, 0);
        b = wrap_ipv4(b, "10.0.0.1", "10.0.0.2", IPP_TCP);
        feed(c, LT_EN10MB, wrap_eth(wrap_vlan(b, 42, 0x0800), 0x8100), i + 1, T0);
    }
    g_assert_cmpuint(c->got->len, ==, 1);
    g_assert_cmpuint(got_at(c, 0)->source_id, ==, SOURCE_ID);
    g_assert_cmpuint(got_at(c, 0)->vlan, ==, 42);
    cap_decoder_finish(c->dec);
    g_assert_cmpuint(c->got->len, ==, 2);
    Got *g = got_at(c, 1);
    assert_payload(g, "ghi");
    g_assert_cmpuint(g->frame, ==, 2);
    g_assert_cmpuint(g->source_id, ==, SOURCE_ID);
    g_assert_cmpuint(g->vlan, ==, 42);
    g_assert_cmphex(g->flags, ==, CAP_PKT_VLAN | CAP_PKT_TCP_GAP);
}

/* A segment whose frame lost only its trailer (Ethernet FCS) to the
 * snaplen is complete: IPv4 Total Length shows every byte was captured. */
static void
test_tcp_cut_trailer_keeps_segment(void)
{
    static const uint8_t fcs[4] = { 0xde, 0xad, 0xbe, 0xef };
    g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
    Buf *b = tcp_frame(C2S, PA, 1, "abc", 0);
    feed_cut(c, LT_EN10MB, g_byte_array_append(b, fcs, sizeof fcs), 1, T0, sizeof fcs);
    feed(c, LT_EN10MB, tcp_frame(C2S, PA, 4, "def", 0), 2, T0);
    g_assert_cmpuint(stats(c)->truncated, ==, 0);
    g_assert_cmpuint(c->got->len, ==, 2);
    assert_payload(got_at(c, 0), "abc");
    assert_payload(got_at(c, 1), "def");
}

/* The same for an IPv6 fragment: Payload Length shows it is complete. */
static void
test_frag6_cut_trailer_keeps_fragment(void)
{
    static const uint8_t fcs[4] = { 0xde, 0xad, 0xbe, 0xef };
    g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
    Buf *whole = frag_datagram();
    Buf *b = frag6(whole, 0, 56, IPP_UDP, false, 3);
    feed_cut(c, LT_EN10MB, g_byte_array_append(b, fcs, sizeof fcs), 1, T0, sizeof fcs);
    feed(c, LT_EN10MB, frag6(whole, 56, 44, IPP_UDP, false, 3), 2, T0);
    g_byte_array_unref(whole);
    g_assert_cmpuint(stats(c)->truncated, ==, 0);
    g_assert_cmpuint(c->got->len, ==, 1);
    assert_payload(got_at(c, 0), frag_text());
}

/* ----------------------------------------------------------------- SCTP */

typedef struct {
    uint8_t type; /* 0 = DATA; others carry @data as an opaque body */
    uint8_t flags;
    uint32_t tsn;
    uint16_t sid;
    uint32_t ppid;
    const char *data; /* NULL ends the list */
} Chunk;

typedef struct {
    const char *data; /* NULL ends the list */
    uint32_t ppid;
    uint64_t frame;
} SctpWant;

typedef struct {
    const char *name;
    size_t max_buffer; /* 0: the default */
    Chunk pkts[4][4];  /* packets of chunks; an empty packet ends the list */
    SctpWant want[4];
    uint64_t chunks, fragmented, limit;
    size_t held;
} SctpCase;

static const SctpCase sctp_cases[] = {
    { "one-data-chunk", 0,
      { { { 0, SCTP_BE, 1, 0, 46, "INVITE sip:a@b SIP/2.0" } } },
      { { "INVITE sip:a@b SIP/2.0", 46, 1 } },
      1, 0, 0, 0 },
    { "two-data-chunks-one-packet", 0,
      { { { 0, SCTP_BE, 1, 0, 46, "abc" }, { 0, SCTP_BE, 2, 1, 47, "defgh" } } },
      { { "abc", 46, 1 }, { "defgh", 47, 1 } },
      2, 0, 0, 0 },
    { "non-data-chunks-skipped", 0,
      { { { 4, 0, 0, 0, 0, "heartbeat info" },
          { 0, SCTP_BE, 5, 0, 46, "xyz" },
          { 3, 0, 0, 0, 0, "sack body..." } } },
      { { "xyz", 46, 1 } },
      1, 0, 0, 0 },
    { "unordered-chunk", 0,
      { { { 0, SCTP_U | SCTP_BE, 9, 0, 46, "urgent" } } },
      { { "urgent", 46, 1 } },
      1, 0, 0, 0 },
    { "fragmented-over-three-packets", 0,
      { { { 0, SCTP_B, 10, 1, 46, "one-" } },
        { { 0, 0, 11, 1, 46, "two-" } },
        { { 0, SCTP_E, 12, 1, 46, "three" } } },
      { { "one-two-three", 46, 3 } },
      3, 3, 0, 0 },
    { "fragmented-in-one-packet", 0,
      { { { 0, SCTP_B, 20, 2, 51, "ab" }, { 0, 0, 21, 2, 51, "cd" }, { 0, SCTP_E, 22, 2, 51, "ef" } } },
      { { "abcdef", 51, 1 } },
      3, 3, 0, 0 },
    { "fragment-after-tsn-gap-dropped", 0,
      { { { 0, SCTP_B, 10, 1, 46, "one-" } },
        { { 0, SCTP_E, 12, 1, 46, "three" } },
        { { 0, SCTP_BE, 13, 1, 46, "ok" } } },
      { { "ok", 46, 3 } },
      3, 2, 0, 0 },
    { "fragments-without-begin-dropped", 0,
      { { { 0, 0, 11, 1, 46, "two-" } }, { { 0, SCTP_E, 12, 1, 46, "three" } } },
      { { NULL, 0, 0 } },
      2, 2, 0, 0 },
    { "incomplete-message-held", 0,
      { { { 0, SCTP_B, 30, 1, 46, "abcd" } } },
      { { NULL, 0, 0 } },
      1, 1, 0, 4 },
    { "new-begin-restarts-message", 0,
      { { { 0, SCTP_B, 40, 1, 46, "old" } },
        { { 0, SCTP_B, 41, 1, 46, "new-" } },
        { { 0, SCTP_E, 42, 1, 46, "msg" } } },
      { { "new-msg", 46, 3 } },
      3, 3, 0, 0 },
    { "fragments-over-buffer-bound", 6,
      { { { 0, SCTP_B, 50, 1, 46, "aaaa" } },
        { { 0, 0, 51, 1, 46, "bbbb" } },
        { { 0, SCTP_E, 52, 1, 46, "cc" } } },
      { { NULL, 0, 0 } },
      3, 3, 1, 0 },
};

static void
test_sctp(gconstpointer data)
{
    const SctpCase *tc = data;
    CapLimits lim;
    cap_limits_init(&lim);
    if (tc->max_buffer)
        lim.tcp_max_buffer = tc->max_buffer;
    g_autoptr(Collector) c = collector_new(&lim, TCP_CONSUME_ALL);

    for (size_t i = 0; i < G_N_ELEMENTS(tc->pkts) && tc->pkts[i][0].data; i++) {
        Buf *chunks = buf_new(NULL, 0);
        for (size_t j = 0; j < G_N_ELEMENTS(tc->pkts[i]) && tc->pkts[i][j].data; j++) {
            const Chunk *k = &tc->pkts[i][j];
            if (k->type == 0)
                sctp_data(chunks, k->flags, k->tsn, k->sid, (uint16_t)i, k->ppid, k->data);
            else
                sctp_chunk(chunks, k->type, k->flags, k->data, strlen(k->data));
        }
        feed(c, LT_EN10MB, sctp_frame(chunks), i + 1, T0 + (SlTime)i * SL_TIME_MSEC);
    }

    size_t n_want = 0;
    while (n_want < G_N_ELEMENTS(tc->want) && tc->want[n_want].data)
        n_want++;
    g_assert_cmpuint(c->got->len, ==, n_want);
    for (size_t i = 0; i < n_want; i++) {
        Got *g = got_at(c, (guint)i);
        assert_payload(g, tc->want[i].data);
        g_assert_cmpuint(g->sctp_ppid, ==, tc->want[i].ppid);
        g_assert_cmpuint(g->frame, ==, tc->want[i].frame);
        g_assert_cmpint(g->transport, ==, CAP_TRANSPORT_SCTP);
        g_assert_cmphex(g->flags, ==, 0);
        assert_addr(&g->src, "192.0.2.10:5060");
        assert_addr(&g->dst, "198.51.100.20:5061");
    }
    const CapStats *s = stats(c);
    g_assert_cmpuint(s->sctp_chunks, ==, tc->chunks);
    g_assert_cmpuint(s->sctp_fragmented, ==, tc->fragmented);
    g_assert_cmpuint(s->tcp_limit, ==, tc->limit);
    g_assert_cmpuint(s->payloads, ==, n_want);
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, tc->held);
}

/* cap-decode.h: cap_decoder_finish() "then forgets all state": nothing
 * stays held, neither TCP bytes nor IP fragments nor SCTP fragments. */
static void
test_finish_forgets_all_state(void)
{
    g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_NONE);
    feed(c, LT_EN10MB, tcp_frame(C2S, PA, 1, "abc", 0), 1, T0);
    Buf *l4 = frag_datagram();
    feed(c, LT_EN10MB, frag4(l4, 0, 48, 1, V4_SRC), 2, T0);
    g_byte_array_unref(l4);
    Buf *chunks = buf_new(NULL, 0);
    sctp_data(chunks, SCTP_B, 1, 0, 0, 46, "abcd");
    feed(c, LT_EN10MB, sctp_frame(chunks), 3, T0);
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, 3 + 48 + 4);

    cap_decoder_finish(c->dec);
    g_assert_cmpuint(cap_decoder_held_bytes(c->dec), ==, 0);
    /* a later tail completes nothing from before the finish */
    l4 = frag_datagram();
    feed(c, LT_EN10MB, frag4(l4, 48, 52, 1, V4_SRC), 4, T0);
    g_byte_array_unref(l4);
    chunks = buf_new(NULL, 0);
    sctp_data(chunks, SCTP_E, 2, 0, 0, 46, "efgh");
    feed(c, LT_EN10MB, sctp_frame(chunks), 5, T0);
    g_assert_cmpuint(c->got->len, ==, 1);
}

/* TCP and SCTP over IPv6 with a destination options header. */
static void
test_ipv6_transports(void)
{
    g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
    Buf *b = wrap_tcp(buf_str("over tcp"), 5060, 5062, 77, PA, 0);
    feed(c, LT_EN10MB, e_wrap6(wrap_ip6_opts(b, IPP_TCP, 0), IPP_DSTOPTS), 1, T0);
    Buf *chunks = buf_new(NULL, 0);
    sctp_data(chunks, SCTP_BE, 1, 0, 0, 46, "over sctp");
    b = wrap_sctp(chunks, 5060, 5063);
    feed(c, LT_EN10MB, e_wrap6(wrap_ip6_opts(b, IPP_SCTP, 0), IPP_DSTOPTS), 2, T0);

    g_assert_cmpuint(c->got->len, ==, 2);
    assert_payload(got_at(c, 0), "over tcp");
    g_assert_cmpint(got_at(c, 0)->transport, ==, CAP_TRANSPORT_TCP);
    assert_addr(&got_at(c, 0)->src, A6S);
    assert_addr(&got_at(c, 0)->dst, "[2001:db8:1::20]:5062");
    assert_payload(got_at(c, 1), "over sctp");
    g_assert_cmpint(got_at(c, 1)->transport, ==, CAP_TRANSPORT_SCTP);
    assert_addr(&got_at(c, 1)->dst, "[2001:db8:1::20]:5063");
    g_assert_cmpuint(got_at(c, 1)->sctp_ppid, ==, 46);
}

/* ---------------------------------------------------------------- misc */

static void
test_limits_defaults(void)
{
    CapLimits lim;
    memset(&lim, 0xff, sizeof lim);
    cap_limits_init(&lim);
    g_assert_cmpuint(lim.frag_max_bytes, ==, 64u << 20);
    g_assert_cmpint(lim.frag_timeout, ==, 30 * SL_TIME_SECOND);
    g_assert_cmpuint(lim.tcp_max_buffer, ==, 1u << 20);
    g_assert_cmpuint(lim.tcp_max_streams, ==, 65536);
    g_assert_cmpuint(lim.tcp_max_total, ==, (size_t)1 << 30);
    g_assert_cmpint(lim.tcp_idle_timeout, ==, 600 * SL_TIME_SECOND);
    g_assert_cmpuint(lim.max_tunnel_depth, ==, 16);
}

static void
test_transport_names(void)
{
    g_assert_cmpstr(cap_transport_name(CAP_TRANSPORT_UDP), ==, "UDP");
    g_assert_cmpstr(cap_transport_name(CAP_TRANSPORT_TCP), ==, "TCP");
    g_assert_cmpstr(cap_transport_name(CAP_TRANSPORT_SCTP), ==, "SCTP");
    g_assert_cmpstr(cap_transport_name(CAP_TRANSPORT_NONE), ==, "-");
}

static void
test_stats_totals(void)
{
    g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
    Buf *a = l_en10mb(), *b = r_arp(), *d = l_sll2();
    size_t total = a->len + b->len + d->len;
    feed(c, LT_EN10MB, a, 1, T0);
    feed(c, LT_EN10MB, b, 2, T0 + 1);
    feed(c, LT_SLL2, d, 3, T0 + 2);
    const CapStats *s = stats(c);
    g_assert_cmpuint(s->frames, ==, 3);
    g_assert_cmpuint(s->bytes, ==, total);
    g_assert_cmpuint(s->payloads, ==, 2);
    g_assert_cmpuint(s->non_ip, ==, 1);
    g_assert_cmpuint(c->got->len, ==, 2);
    g_assert_cmpuint(got_at(c, 1)->frame, ==, 3);
    g_assert_cmpint(got_at(c, 1)->ts, ==, T0 + 2);
}

/* --------------------------------------------------------- capture files */

typedef struct {
    char *dir;
    GPtrArray *files; /* paths to remove */
} TmpDir;

static TmpDir *
tmpdir_new(void)
{
    GError *error = NULL;
    TmpDir *t = g_new0(TmpDir, 1);
    t->dir = g_dir_make_tmp("sl-test-capture-XXXXXX", &error);
    g_assert_no_error(error);
    t->files = g_ptr_array_new_with_free_func(g_free);
    return t;
}

/* A path inside the directory, removed by tmpdir_free. Caller frees. */
static char *
tmpdir_path(TmpDir *t, const char *name)
{
    char *path = g_build_filename(t->dir, name, NULL);
    g_ptr_array_add(t->files, g_strdup(path));
    return path;
}

static void
tmpdir_free(TmpDir *t)
{
    for (guint i = 0; i < t->files->len; i++)
        g_remove(g_ptr_array_index(t->files, i));
    g_assert_cmpint(g_rmdir(t->dir), ==, 0);
    g_ptr_array_unref(t->files);
    g_free(t->dir);
    g_free(t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TmpDir, tmpdir_free)

typedef struct {
    time_t sec;
    long frac;      /* microseconds, or nanoseconds in a nanosecond file */
    uint32_t extra; /* wire bytes beyond the captured ones */
} Stamp;

static const Stamp stamps[3] = {
    { 1700000000, 1, 0 },
    { 1700000001, 500000, 20 },
    { 1700000003, 999999, 0 },
};

static const char *const file_payloads[3] = { "one", "two", "three" };

static Buf *
file_frame(int linktype, size_t i)
{
    Buf *ip = udp4_text(file_payloads[i]);
    return linktype == LT_SLL2 ? wrap_sll2(ip, 0x0800) : wrap_eth(ip, 0x0800);
}

static void
write_pcap(const char *path, int linktype, u_int precision, const Stamp *st, size_t n)
{
    pcap_t *p = pcap_open_dead_with_tstamp_precision(linktype, 65535, precision);
    g_assert_nonnull(p);
    pcap_dumper_t *d = pcap_dump_open(p, path);
    g_assert_nonnull(d);
    for (size_t i = 0; i < n; i++) {
        Buf *b = file_frame(linktype, i);
        struct pcap_pkthdr h;
        memset(&h, 0, sizeof h);
        h.ts.tv_sec = st[i].sec;
        h.ts.tv_usec = (suseconds_t)st[i].frac;
        h.caplen = b->len;
        h.len = b->len + st[i].extra;
        pcap_dump((u_char *)d, &h, b->data);
        g_byte_array_unref(b);
    }
    pcap_dump_close(d);
    pcap_close(p);
}

static void
le16(Buf *b, uint16_t v)
{
    uint8_t x[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    g_byte_array_append(b, x, 2);
}

static void
le32(Buf *b, uint32_t v)
{
    uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    g_byte_array_append(b, x, 4);
}

/* A little-endian pcapng file: a Section Header Block, one Interface
 * Description Block (microsecond timestamps, the default) and one Enhanced
 * Packet Block per frame, none with options. */
static Buf *
pcapng_bytes(int linktype, const Stamp *st, size_t n)
{
    Buf *f = buf_new(NULL, 0);
    le32(f, 0x0a0d0d0a);
    le32(f, 28);
    le32(f, 0x1a2b3c4d);
    le16(f, 1);
    le16(f, 0);
    le32(f, 0xffffffff); /* section length unknown */
    le32(f, 0xffffffff);
    le32(f, 28);

    le32(f, 1);
    le32(f, 20);
    le16(f, (uint16_t)linktype);
    le16(f, 0);
    le32(f, 65535);
    le32(f, 20);

    for (size_t i = 0; i < n; i++) {
        Buf *b = file_frame(linktype, i);
        size_t padded = (b->len + 3) / 4 * 4;
        uint32_t total = (uint32_t)(32 + padded);
        uint64_t ts = (uint64_t)st[i].sec * 1000000u + (uint64_t)st[i].frac;
        le32(f, 6);
        le32(f, total);
        le32(f, 0); /* interface id */
        le32(f, (uint32_t)(ts >> 32));
        le32(f, (uint32_t)ts);
        le32(f, b->len);
        le32(f, b->len + st[i].extra);
        g_byte_array_append(f, b->data, b->len);
        static const uint8_t zero[4] = { 0 };
        g_byte_array_append(f, zero, (guint)(padded - b->len));
        le32(f, total);
        g_byte_array_unref(b);
    }
    return f;
}

static void
write_bytes(const char *path, const void *p, size_t n)
{
    GError *error = NULL;
    g_file_set_contents(path, p, (gssize)n, &error);
    g_assert_no_error(error);
}

static Buf *
read_bytes(const char *path)
{
    GError *error = NULL;
    char *text = NULL;
    gsize n = 0;
    g_file_get_contents(path, &text, &n, &error);
    g_assert_no_error(error);
    Buf *b = buf_new(text, n);
    g_free(text);
    return b;
}

/* Reads every frame of @path, checks it against stamps[]/file_payloads[]
 * (@ns_per_unit: nanoseconds per unit of the file's timestamps) and feeds
 * it to a decoder to check the payloads. @plain: not compressed, so the
 * position at the end is the file size. */
static void
check_file(const char *path, int linktype, SlTime ns_per_unit, bool plain)
{
    GError *error = NULL;
    g_autoptr(CapSource) src = cap_source_open_file(path, &error);
    g_assert_no_error(error);
    g_assert_nonnull(src);
    g_assert_cmpstr(src->name, ==, path);
    Buf *whole = read_bytes(path);
    g_assert_cmpuint(src->size, ==, whole->len);
    g_byte_array_unref(whole);

    g_autoptr(Collector) c = collector_new(NULL, TCP_CONSUME_ALL);
    CapFrame f;
    for (size_t i = 0; i < 3; i++) {
        memset(&f, 0, sizeof f);
        g_assert_cmpint(cap_source_next(src, &f, &error), ==, CAP_READ_FRAME);
        g_assert_no_error(error);
        Buf *want = file_frame(linktype, i);
        g_assert_cmpuint(f.frame, ==, i + 1);
        g_assert_cmpint(f.ts, ==,
                        (SlTime)stamps[i].sec * SL_TIME_SECOND + stamps[i].frac * ns_per_unit);
        g_assert_cmpint(f.linktype, ==, linktype);
        g_assert_cmpuint(f.cap_len, ==, want->len);
        g_assert_cmpuint(f.wire_len, ==, want->len + stamps[i].extra);
        g_assert_cmpmem(f.data, f.cap_len, want->data, want->len);
        g_byte_array_unref(want);
        cap_decoder_feed(c->dec, &f, src->id);
    }
    g_assert_cmpint(cap_source_next(src, &f, &error), ==, CAP_READ_END);
    g_assert_no_error(error);
    g_assert_cmpuint(src->frames, ==, 3);
    uint64_t pos = cap_source_position(src);
    if (plain)
        g_assert_cmpuint(pos, ==, src->size);
    else
        g_assert_true(pos > 0 && pos <= src->size);

    g_assert_cmpuint(c->got->len, ==, 3);
    for (guint i = 0; i < 3; i++) {
        Got *g = got_at(c, i);
        assert_payload(g, file_payloads[i]);
        assert_addr(&g->src, A4S);
        g_assert_cmpuint(g->frame, ==, i + 1);
        /* the second frame lost 20 bytes to the snaplen (of its FCS, say) */
        g_assert_cmphex(g->flags, ==, i == 1 ? CAP_PKT_TRUNCATED : 0);
    }
}

static void
test_file_pcap_en10mb(void)
{
    g_autoptr(TmpDir) t = tmpdir_new();
    g_autofree char *path = tmpdir_path(t, "en10mb.pcap");
    write_pcap(path, LT_EN10MB, PCAP_TSTAMP_PRECISION_MICRO, stamps, 3);
    check_file(path, LT_EN10MB, 1000, true);
}

static void
test_file_pcap_sll2(void)
{
    g_autoptr(TmpDir) t = tmpdir_new();
    g_autofree char *path = tmpdir_path(t, "sll2.pcap");
    write_pcap(path, LT_SLL2, PCAP_TSTAMP_PRECISION_MICRO, stamps, 3);
    check_file(path, LT_SLL2, 1000, true);
}

static void
test_file_pcap_nano(void)
{
    static const Stamp nano[3] = {
        { 1700000000, 123456789, 0 },
        { 1700000001, 1, 20 },
        { 1700000002, 999999999, 0 },
    };
    g_autoptr(TmpDir) t = tmpdir_new();
    g_autofree char *path = tmpdir_path(t, "nano.pcap");
    write_pcap(path, LT_EN10MB, PCAP_TSTAMP_PRECISION_NANO, nano, 3);

    GError *error = NULL;
    g_autoptr(CapSource) src = cap_source_open_file(path, &error);
    g_assert_no_error(error);
    CapFrame f;
    for (size_t i = 0; i < 3; i++) {
        g_assert_cmpint(cap_source_next(src, &f, &error), ==, CAP_READ_FRAME);
        g_assert_cmpint(f.ts, ==, (SlTime)nano[i].sec * SL_TIME_SECOND + nano[i].frac);
    }
    g_assert_cmpint(cap_source_next(src, &f, &error), ==, CAP_READ_END);
    g_assert_no_error(error);
}

static void
test_file_pcapng(void)
{
    g_autoptr(TmpDir) t = tmpdir_new();
    g_autofree char *path = tmpdir_path(t, "capture.pcapng");
    Buf *b = pcapng_bytes(LT_EN10MB, stamps, 3);
    write_bytes(path, b->data, b->len);
    g_byte_array_unref(b);
    check_file(path, LT_EN10MB, 1000, true);
}

static void
test_file_pcapng_sll2(void)
{
    g_autoptr(TmpDir) t = tmpdir_new();
    g_autofree char *path = tmpdir_path(t, "sll2.pcapng");
    Buf *b = pcapng_bytes(LT_SLL2, stamps, 3);
    write_bytes(path, b->data, b->len);
    g_byte_array_unref(b);
    check_file(path, LT_SLL2, 1000, true);
}

static void
write_gzip(const char *path, const Buf *b)
{
    gzFile gz = gzopen(path, "wb");
    g_assert_nonnull(gz);
    g_assert_cmpint(gzwrite(gz, b->data, b->len), ==, (int)b->len);
    g_assert_cmpint(gzclose(gz), ==, Z_OK);
}

static void
test_file_gzip(void)
{
    g_autoptr(TmpDir) t = tmpdir_new();
    g_autofree char *plain = tmpdir_path(t, "plain.pcap");
    g_autofree char *gz = tmpdir_path(t, "compressed.pcap.gz");
    write_pcap(plain, LT_EN10MB, PCAP_TSTAMP_PRECISION_MICRO, stamps, 3);
    Buf *b = read_bytes(plain);
    write_gzip(gz, b);
    g_byte_array_unref(b);
    Buf *z = read_bytes(gz);
    g_assert_cmphex(z->data[0], ==, 0x1f);
    g_assert_cmphex(z->data[1], ==, 0x8b);
    g_byte_array_unref(z);
    check_file(gz, LT_EN10MB, 1000, false);
}

static void
test_file_gzip_pcapng(void)
{
    g_autoptr(TmpDir) t = tmpdir_new();
    g_autofree char *gz = tmpdir_path(t, "compressed.pcapng.gz");
    Buf *b = pcapng_bytes(LT_EN10MB, stamps, 3);
    write_gzip(gz, b);
    g_byte_array_unref(b);
    check_file(gz, LT_EN10MB, 1000, false);
}

/* --- files that cannot be opened --- */

typedef struct {
    const char *name;
    /* Creates the input in @t and returns its path (caller frees). */
    char *(*make)(TmpDir *t);
    int code;            /* SlIoError */
    const char *mention; /* besides the path, the message contains this */
} OpenErrCase;

static char *
o_missing(TmpDir *t)
{
    return g_build_filename(t->dir, "no-such-file.pcap", NULL);
}

static char *
o_directory(TmpDir *t)
{
    return g_strdup(t->dir);
}

static char *
o_empty(TmpDir *t)
{
    char *path = tmpdir_path(t, "zero-bytes.pcap");
    write_bytes(path, "", 0);
    return path;
}

static char *
o_text(TmpDir *t)
{
    char *path = tmpdir_path(t, "notes.txt");
    const char *text = "This is a text file, not a packet capture.\n";
    write_bytes(path, text, strlen(text));
    return path;
}

static char *
o_gzip_text(TmpDir *t)
{
    char *path = tmpdir_path(t, "notes.txt.gz");
    Buf *b = buf_str("This is a text file, not a packet capture.\n");
    write_gzip(path, b);
    g_byte_array_unref(b);
    return path;
}

/* A prefix of a valid three-frame pcap file. */
static char *
cut_pcap(TmpDir *t, const char *name, size_t keep)
{
    g_autofree char *full = tmpdir_path(t, "full.pcap");
    write_pcap(full, LT_EN10MB, PCAP_TSTAMP_PRECISION_MICRO, stamps, 3);
    Buf *b = read_bytes(full);
    g_assert_cmpuint(keep, <, b->len);
    char *path = tmpdir_path(t, name);
    write_bytes(path, b->data, keep);
    g_byte_array_unref(b);
    return path;
}

static char *o_cut_magic(TmpDir *t) { return cut_pcap(t, "cut-magic.pcap", 2); }
static char *o_cut_header(TmpDir *t) { return cut_pcap(t, "cut-header.pcap", 10); }

static const OpenErrCase open_err_cases[] = {
    { "missing", o_missing, SL_IO_ERROR_OPEN, "No such file" },
    { "directory", o_directory, SL_IO_ERROR_OPEN, "is a directory" },
    { "empty", o_empty, SL_IO_ERROR_FORMAT, "empty file" },
    { "text", o_text, SL_IO_ERROR_FORMAT, "not a pcap or pcapng" },
    { "gzip-text", o_gzip_text, SL_IO_ERROR_FORMAT, "not a pcap or pcapng" },
    { "cut-in-magic", o_cut_magic, SL_IO_ERROR_FORMAT, "truncated" },
    { "cut-in-global-header", o_cut_header, SL_IO_ERROR_FORMAT, "truncated" },
};

static void
test_file_open_error(gconstpointer data)
{
    const OpenErrCase *tc = data;
    g_autoptr(TmpDir) t = tmpdir_new();
    g_autofree char *path = tc->make(t);
    GError *error = NULL;
    CapSource *src = cap_source_open_file(path, &error);
    g_assert_null(src);
    g_assert_error(error, SL_IO_ERROR, tc->code);
    g_assert_nonnull(strstr(error->message, path));
    g_assert_nonnull(strstr(error->message, tc->mention));
    g_error_free(error);
}

/* --- files cut inside a record --- */

typedef struct {
    const char *name;
    bool pcapng;
    bool gzip;           /* the cut file, compressed (a complete gzip stream) */
    size_t cut_from_end; /* bytes removed from the end of the file */
    size_t frames_before; /* frames read before the error */
} CutCase;

static const CutCase cut_cases[] = {
    { "pcap-in-last-packet-data", false, false, 5, 2 },
    { "pcap-in-last-record-header", false, false, 0, 2 }, /* computed below */
    { "pcapng-in-last-block", true, false, 9, 2 },
    { "gzip-pcap-in-last-packet-data", false, true, 5, 2 },
};

static void
test_file_cut_record(gconstpointer data)
{
    const CutCase *tc = data;
    g_autoptr(TmpDir) t = tmpdir_new();
    g_autofree char *full = tmpdir_path(t, "full");
    g_autofree char *path = tmpdir_path(t, "cut");
    Buf *b;
    if (tc->pcapng) {
        b = pcapng_bytes(LT_EN10MB, stamps, 3);
    } else {
        write_pcap(full, LT_EN10MB, PCAP_TSTAMP_PRECISION_MICRO, stamps, 3);
        b = read_bytes(full);
    }
    size_t keep = b->len - tc->cut_from_end;
    if (tc->cut_from_end == 0) {
        /* 8 bytes into the 16-byte header of the third record */
        Buf *last = file_frame(LT_EN10MB, 2);
        keep = b->len - last->len - 16 + 8;
        g_byte_array_unref(last);
    }
    if (tc->gzip) {
        g_byte_array_set_size(b, (guint)keep);
        write_gzip(path, b);
    } else {
        write_bytes(path, b->data, keep);
    }
    g_byte_array_unref(b);

    GError *error = NULL;
    g_autoptr(CapSource) src = cap_source_open_file(path, &error);
    g_assert_no_error(error);
    CapFrame f;
    for (size_t i = 0; i < tc->frames_before; i++) {
        g_assert_cmpint(cap_source_next(src, &f, &error), ==, CAP_READ_FRAME);
        g_assert_no_error(error);
        g_assert_cmpuint(f.frame, ==, i + 1);
    }
    g_assert_cmpint(cap_source_next(src, &f, &error), ==, CAP_READ_ERROR);
    g_assert_error(error, SL_IO_ERROR, SL_IO_ERROR_TRUNCATED);
    g_assert_nonnull(strstr(error->message, path));
    g_assert_cmpuint(src->frames, ==, tc->frames_before);
    g_error_free(error);
}

/* ----------------------------------------------------------------- main */

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/capture/limits-defaults", test_limits_defaults);
    g_test_add_func("/capture/transport-names", test_transport_names);
    g_test_add_func("/capture/stats-totals", test_stats_totals);
    ADD_TABLE("/capture/link/", link_cases, test_deliver);
    ADD_TABLE("/capture/udp/", udp_cases, test_deliver);
    ADD_TABLE("/capture/ipv6/", ipv6_cases, test_deliver);
    ADD_TABLE("/capture/tunnel/", tunnel_cases, test_deliver);
    ADD_TABLE("/capture/tunnel-depth/", depth_cases, test_tunnel_depth);
    ADD_TABLE("/capture/tunnel-meta/", tunnel_meta_cases, test_tunnel_meta);
    g_test_add_func("/capture/tunnel/same-as-plain", test_tunnel_same_as_plain);
    g_test_add_func("/capture/tunnel/names", test_tunnel_names);
    g_test_add_func("/capture/tunnel/geneve-not-geneve", test_geneve_not_geneve);
    ADD_TABLE("/capture/reject/", reject_cases, test_reject);
    ADD_TABLE("/capture/ipv4-frag/", frag4_cases, test_frag4);
    g_test_add_func("/capture/ipv4-frag/interleaved", test_frag4_interleaved);
    g_test_add_func("/capture/ipv4-frag/timeout", test_frag4_timeout);
    g_test_add_func("/capture/ipv4-frag/memory-bound", test_frag4_memory_bound);
    g_test_add_func("/capture/ipv4-frag/invalid", test_frag4_invalid);
    ADD_TABLE("/capture/ipv6-frag/", frag6_cases, test_frag6);
    g_test_add_func("/capture/ipv6-frag/invalid", test_frag6_invalid);
    g_test_add_func("/capture/ipv6-frag/cut-trailer-keeps-fragment",
                    test_frag6_cut_trailer_keeps_fragment);
    g_test_add_func("/capture/ipv6/tcp-and-sctp", test_ipv6_transports);
    ADD_TABLE("/capture/tcp/", tcp_cases, test_tcp);
    g_test_add_func("/capture/tcp/ethernet-padding", test_tcp_ethernet_padding);
    g_test_add_func("/capture/tcp/streams-distinct", test_tcp_streams_distinct);
    g_test_add_func("/capture/tcp/ignore", test_tcp_ignore);
    g_test_add_func("/capture/tcp/user-data", test_tcp_user_data);
    g_test_add_func("/capture/tcp/stream-limit", test_tcp_stream_limit);
    g_test_add_func("/capture/tcp/idle-timeout", test_tcp_idle_timeout);
    g_test_add_func("/capture/tcp/finish-keeps-source-and-vlan", test_tcp_finish_keeps_context);
    g_test_add_func("/capture/tcp/cut-trailer-keeps-segment", test_tcp_cut_trailer_keeps_segment);
    ADD_TABLE("/capture/sctp/", sctp_cases, test_sctp);
    g_test_add_func("/capture/file/pcap-en10mb", test_file_pcap_en10mb);
    g_test_add_func("/capture/file/pcap-linux-sll2", test_file_pcap_sll2);
    g_test_add_func("/capture/file/pcap-nanoseconds", test_file_pcap_nano);
    g_test_add_func("/capture/file/pcapng", test_file_pcapng);
    g_test_add_func("/capture/file/pcapng-linux-sll2", test_file_pcapng_sll2);
    g_test_add_func("/capture/file/gzip-pcap", test_file_gzip);
    g_test_add_func("/capture/file/gzip-pcapng", test_file_gzip_pcapng);
    ADD_TABLE("/capture/file/open-error/", open_err_cases, test_file_open_error);
    ADD_TABLE("/capture/file/cut/", cut_cases, test_file_cut_record);
    g_test_add_func("/capture/finish/forgets-all-state", test_finish_forgets_all_state);

    return g_test_run();
}
