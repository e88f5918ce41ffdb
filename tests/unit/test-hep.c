/* sipladder: unit tests for capture/cap-hep.c and the HEP paths around it:
 * HEPv3 encoding and parsing, HEPv2, compressed payloads, malformed and
 * partial packets (every prefix), the raw IP frames that stand for HEP
 * payloads, HEP inside a capture (cap-decode.c), and the HEP listener
 * source over UDP and TCP on loopback (cap-source-hep.c). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include "cap-decode.h"
#include "cap-hep.h"
#include "cap-source.h"

#ifndef DLT_RAW
#define DLT_RAW 12
#endif

static const char sip[] = "OPTIONS sip:b@10.0.0.2 SIP/2.0\r\nCall-ID: hep-1\r\nCSeq: 1 OPTIONS\r\n"
                          "Content-Length: 0\r\n\r\n";

static CapHep
sample(void)
{
    CapHep h = { 0 };
    g_assert_true(sl_addr_parse("10.0.0.1:5060", &h.src));
    g_assert_true(sl_addr_parse("10.0.0.2:5080", &h.dst));
    h.ip_proto = 17;
    h.ts = (SlTime)1700000000 * SL_TIME_SECOND + 123456000;
    h.has_ts = true;
    h.capture_id = 2001;
    h.payload_type = CAP_HEP_TYPE_SIP;
    h.auth_key = sl_view_from_str("secret");
    h.payload = sl_view_from_str(sip);
    return h;
}

static void
test_roundtrip(void)
{
    CapHep h = sample();
    g_autoptr(GBytes) b = cap_hep_encode(&h);
    g_assert_nonnull(b);
    gsize n;
    const guint8 *p = g_bytes_get_data(b, &n);
    g_assert_cmpmem(p, 4, "HEP3", 4);
    g_assert_cmpuint((p[4] << 8) | p[5], ==, n);
    CapHep o;
    SlError err = { 0 };
    size_t used = 0;
    g_assert_cmpint(cap_hep_parse(sl_view_make(p, n), &o, &used, &err), ==, SL_OK);
    g_assert_cmpuint(used, ==, n);
    g_assert_cmpuint(o.version, ==, 3);
    g_assert_true(sl_addr_equal(&o.src, &h.src));
    g_assert_true(sl_addr_equal(&o.dst, &h.dst));
    g_assert_cmpint(o.ts, ==, h.ts);
    g_assert_cmpuint(o.capture_id, ==, 2001);
    g_assert_cmpuint(o.payload_type, ==, CAP_HEP_TYPE_SIP);
    g_assert_true(sl_view_eq_str(o.auth_key, "secret"));
    g_assert_true(sl_view_eq_str(o.payload, sip));
    cap_hep_clear(&o);

    /* IPv6 as well */
    g_assert_true(sl_addr_parse("[2001:db8::1]:5060", &h.src));
    g_assert_true(sl_addr_parse("[2001:db8::2]:5060", &h.dst));
    g_autoptr(GBytes) b6 = cap_hep_encode(&h);
    p = g_bytes_get_data(b6, &n);
    g_assert_cmpint(cap_hep_parse(sl_view_make(p, n), &o, NULL, &err), ==, SL_OK);
    g_assert_true(sl_addr_equal(&o.src, &h.src));
    cap_hep_clear(&o);
    /* mixed families cannot be encoded */
    g_assert_true(sl_addr_parse("10.0.0.2:5060", &h.dst));
    g_assert_null(cap_hep_encode(&h));
}

static void
test_v2(void)
{
    guint8 pkt[256] = { 2, 16, 2, 17, 0x13, 0xc4, 0x13, 0xc5, 10, 0, 0, 1, 10, 0, 0, 2 };
    /* time header: little-endian seconds, microseconds, capture id, pad */
    guint8 th[12] = { 0x00, 0xf1, 0x53, 0x65, 0x40, 0xe2, 0x01, 0x00, 0x07, 0x00, 0, 0 };
    memcpy(pkt + 16, th, 12);
    memcpy(pkt + 28, sip, strlen(sip));
    size_t n = 28 + strlen(sip);
    g_assert_true(cap_hep_looks_like(sl_view_make(pkt, n)));
    CapHep o;
    SlError err = { 0 };
    g_assert_cmpint(cap_hep_parse(sl_view_make(pkt, n), &o, NULL, &err), ==, SL_OK);
    g_assert_cmpuint(o.version, ==, 2);
    char a[SL_ADDR_STRLEN];
    g_assert_cmpstr(sl_addr_str(&o.src, a), ==, "10.0.0.1:5060");
    g_assert_cmpstr(sl_addr_str(&o.dst, a), ==, "10.0.0.2:5061");
    g_assert_cmpint(o.ts, ==, (SlTime)0x6553f100 * SL_TIME_SECOND + 123456000);
    g_assert_cmpuint(o.capture_id, ==, 7);
    g_assert_true(sl_view_eq_str(o.payload, sip));
    cap_hep_clear(&o);
    /* a header length that does not match the family */
    pkt[1] = 40;
    g_assert_cmpint(cap_hep_parse(sl_view_make(pkt, n), &o, NULL, &err), ==, SL_ERR_NOT_MINE);
    cap_hep_clear(&o);
}

/* A HEPv3 packet with a zlib-compressed payload chunk. */
static GBytes *
compressed_packet(void)
{
    CapHep h = sample();
    h.payload = sl_view_from_str("X");
    g_autoptr(GBytes) plain = cap_hep_encode(&h);
    gsize n;
    const guint8 *p = g_bytes_get_data(plain, &n);
    /* replace the last chunk (payload "X", 7 bytes) by a 0x10 chunk */
    uLongf zlen = compressBound(sizeof sip);
    g_autofree Bytef *z = g_malloc(zlen);
    g_assert_cmpint(compress2(z, &zlen, (const Bytef *)sip, strlen(sip), 9), ==, Z_OK);
    GByteArray *out = g_byte_array_new();
    g_byte_array_append(out, p, (guint)(n - 7));
    guint8 head[6] = { 0, 0, 0, 0x10, (guint8)((zlen + 6) >> 8), (guint8)(zlen + 6) };
    g_byte_array_append(out, head, 6);
    g_byte_array_append(out, z, (guint)zlen);
    out->data[4] = (guint8)(out->len >> 8);
    out->data[5] = (guint8)out->len;
    return g_byte_array_free_to_bytes(out);
}

static void
test_compressed(void)
{
    g_autoptr(GBytes) b = compressed_packet();
    gsize n;
    const guint8 *p = g_bytes_get_data(b, &n);
    CapHep o;
    SlError err = { 0 };
    g_assert_cmpint(cap_hep_parse(sl_view_make(p, n), &o, NULL, &err), ==, SL_OK);
    g_assert_true(o.compressed);
    g_assert_true(sl_view_eq_str(o.payload, sip));
    cap_hep_clear(&o);
    /* a corrupt compressed chunk is malformed */
    g_autofree guint8 *bad = g_memdup2(p, n);
    bad[n - 3] ^= 0xff;
    bad[n - 8] ^= 0x55;
    SlStatus st = cap_hep_parse(sl_view_make(bad, n), &o, NULL, &err);
    g_assert_cmpint(st, ==, SL_ERR_MALFORMED);
    cap_hep_clear(&o);
}

static void
test_malformed_and_prefixes(void)
{
    CapHep h = sample();
    g_autoptr(GBytes) b = cap_hep_encode(&h);
    gsize n;
    const guint8 *p = g_bytes_get_data(b, &n);
    /* every prefix: need more (a stream waits), never OK, never a crash */
    for (gsize k = 0; k < n; k++) {
        g_autofree guint8 *cut = g_memdup2(p, k ? k : 1);
        CapHep o;
        SlError err = { 0 };
        SlStatus st = cap_hep_parse(sl_view_make(cut, k), &o, NULL, &err);
        g_assert_true(k == 0 ? st == SL_ERR_NOT_MINE : st == SL_ERR_NEED_MORE);
        cap_hep_clear(&o);
    }
    static const struct {
        const char *what;
        gsize at;   /* byte to change */
        guint8 val;
    } cases[] = {
        { "total length below the header", 5, 3 },
        { "a chunk longer than the packet", 6 + 4, 0xff },
        { "a chunk length below its header", 6 + 5, 2 },
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree guint8 *bad = g_memdup2(p, n);
        bad[cases[i].at] = cases[i].val;
        if (cases[i].at == 5)
            bad[4] = 0;
        CapHep o;
        SlError err = { 0 };
        g_assert_cmpint(cap_hep_parse(sl_view_make(bad, n), &o, NULL, &err), ==,
                        SL_ERR_MALFORMED);
        g_assert_nonnull(err.msg);
        cap_hep_clear(&o);
    }
    /* no payload chunk */
    CapHep o;
    SlError err = { 0 };
    g_autofree guint8 *nopay = g_memdup2(p, n);
    gsize cut = n - strlen(sip) - 6;
    nopay[4] = (guint8)(cut >> 8);
    nopay[5] = (guint8)cut;
    g_assert_cmpint(cap_hep_parse(sl_view_make(nopay, cut), &o, NULL, &err), ==,
                    SL_ERR_MALFORMED);
    g_assert_cmpstr(err.msg, ==, "HEPv3 packet without a payload");
    cap_hep_clear(&o);
    g_assert_cmpint(cap_hep_parse(sl_view_from_str("GET / HTTP/1.1\r\n"), &o, NULL, &err), ==,
                    SL_ERR_NOT_MINE);
    cap_hep_clear(&o);
}

typedef struct {
    GPtrArray *pkts; /* CapPacket copies (payload duplicated) */
} Got;

static void
on_pkt(const CapPacket *pkt, gpointer user)
{
    Got *g = user;
    CapPacket *c = g_new(CapPacket, 1);
    *c = *pkt;
    c->payload = sl_view_make(g_memdup2(pkt->payload.p, pkt->payload.len), pkt->payload.len);
    g_ptr_array_add(g->pkts, c);
}

static void
got_free(gpointer p)
{
    CapPacket *c = p;
    g_free((gpointer)c->payload.p);
    g_free(c);
}

static void
test_frames(void)
{
    CapHep h = sample();
    guint8 buf[2048];
    Got g = { g_ptr_array_new_with_free_func(got_free) };
    g_autoptr(CapDecoder) dec = cap_decoder_new(NULL, on_pkt, &g);
    size_t n = cap_hep_frame(&h, 0, buf, sizeof buf);
    g_assert_cmpuint(n, ==, 20 + 8 + strlen(sip));
    CapFrame f = { .frame = 1, .ts = h.ts, .cap_len = (uint32_t)n, .wire_len = (uint32_t)n,
                   .linktype = DLT_RAW, .data = buf };
    cap_decoder_feed(dec, &f, 0);
    /* TCP: two payloads of one direction continue one stream */
    h.ip_proto = 6;
    CapHepSeq *seq = cap_hep_seq_new();
    static const char *parts[] = { "OPTIONS sip:b@10.0.0.2 SIP/2.0\r\nCall-ID: t\r\n",
                                   "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n" };
    for (guint i = 0; i < 2; i++) {
        h.payload = sl_view_from_str(parts[i]);
        uint32_t s = cap_hep_seq_next(seq, &h);
        g_assert_cmpuint(s, ==, i == 0 ? 1 : 1 + strlen(parts[0]));
        n = cap_hep_frame(&h, s, buf, sizeof buf);
        g_assert_cmpuint(n, ==, 20 + 20 + strlen(parts[i]));
        f.frame = 2 + i;
        f.cap_len = f.wire_len = (uint32_t)n;
        cap_decoder_feed(dec, &f, 0);
    }
    cap_hep_seq_free(seq);
    cap_decoder_finish(dec);
    g_assert_cmpuint(g.pkts->len, >=, 2);
    const CapPacket *u = g_ptr_array_index(g.pkts, 0);
    g_assert_cmpint(u->transport, ==, CAP_TRANSPORT_UDP);
    g_assert_true(sl_addr_equal(&u->src, &h.src));
    g_assert_true(sl_addr_equal(&u->dst, &h.dst));
    g_assert_true(sl_view_eq_str(u->payload, sip));
    /* the TCP bytes arrive in order, as one stream (bytes nobody consumed
     * are offered again with the next segment) */
    const CapPacket *last = g_ptr_array_index(g.pkts, g.pkts->len - 1);
    g_assert_cmpint(last->transport, ==, CAP_TRANSPORT_TCP);
    g_autofree char *want = g_strconcat(parts[0], parts[1], NULL);
    g_assert_true(sl_view_eq_str(last->payload, want));
    g_assert_cmpuint(cap_decoder_stats(dec)->tcp_retransmissions, ==, 0);
    g_ptr_array_unref(g.pkts);
}

/* HEP sent to a collector, inside a capture: the decoder gives the
 * packet HEP carried, with HEP's addresses and time. */
static void
test_inside_capture(void)
{
    CapHep h = sample();
    g_autoptr(GBytes) hep = cap_hep_encode(&h);
    gsize hn;
    const guint8 *hp = g_bytes_get_data(hep, &hn);
    CapHep outer = { 0 };
    g_assert_true(sl_addr_parse("192.0.2.1:40000", &outer.src));
    g_assert_true(sl_addr_parse("192.0.2.9:9060", &outer.dst));
    outer.ip_proto = 17;
    outer.payload = sl_view_make(hp, hn);
    guint8 buf[4096];
    size_t n = cap_hep_frame(&outer, 0, buf, sizeof buf);
    Got g = { g_ptr_array_new_with_free_func(got_free) };
    g_autoptr(CapDecoder) dec = cap_decoder_new(NULL, on_pkt, &g);
    CapFrame f = { .frame = 1, .ts = 5 * SL_TIME_SECOND, .cap_len = (uint32_t)n,
                   .wire_len = (uint32_t)n, .linktype = DLT_RAW, .data = buf };
    cap_decoder_feed(dec, &f, 0);
    /* a log chunk (type 100) is counted, not delivered */
    h.payload_type = CAP_HEP_TYPE_LOG;
    g_autoptr(GBytes) log = cap_hep_encode(&h);
    outer.payload = sl_view_make(g_bytes_get_data(log, NULL), g_bytes_get_size(log));
    n = cap_hep_frame(&outer, 0, buf, sizeof buf);
    f.frame = 2;
    f.cap_len = f.wire_len = (uint32_t)n;
    cap_decoder_feed(dec, &f, 0);
    g_assert_cmpuint(g.pkts->len, ==, 1);
    const CapPacket *p = g_ptr_array_index(g.pkts, 0);
    g_assert_true(sl_addr_equal(&p->src, &h.src));
    g_assert_true(sl_addr_equal(&p->dst, &h.dst));
    g_assert_cmpint(p->ts, ==, h.ts);
    g_assert_cmpint(p->tunnel, ==, CAP_TUNNEL_HEP);
    g_assert_cmpuint(p->tunnel_id, ==, 2001);
    g_assert_true(sl_view_eq_str(p->payload, sip));
    const CapStats *st = cap_decoder_stats(dec);
    g_assert_cmpuint(st->hep, ==, 2);
    g_assert_cmpuint(st->hep_ignored, ==, 1);
    g_ptr_array_unref(g.pkts);
}

static int
send_to(int type, uint16_t port, const void *p, size_t n, size_t chunk)
{
    int fd = socket(AF_INET, type, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (type == SOCK_DGRAM) {
        ssize_t r = sendto(fd, p, n, 0, (struct sockaddr *)&sa, sizeof sa);
        close(fd);
        return r == (ssize_t)n ? 0 : -1;
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    for (size_t off = 0; off < n; off += chunk) {
        size_t k = MIN(chunk, n - off);
        if (send(fd, (const guint8 *)p + off, k, 0) != (ssize_t)k) {
            close(fd);
            return -1;
        }
        g_usleep(2000);
    }
    close(fd);
    return 0;
}

static void
test_listener(void)
{
    uint16_t port = (uint16_t)(20000 + getpid() % 20000);
    g_autofree char *spec = g_strdup_printf("127.0.0.1:%u", port);
    CapLiveOptions o = { .max_frames = 3, .duration_s = 10 };
    g_autoptr(GError) error = NULL;
    g_autoptr(CapSource) src = cap_source_open_hep(spec, &o, &error);
    g_assert_no_error(error);
    g_assert_nonnull(src);
    /* a second listener on the same port fails with a clear message */
    g_autoptr(CapSource) again = cap_source_open_hep(spec, &o, &error);
    g_assert_null(again);
    g_assert_nonnull(strstr(error->message, "cannot listen for HEP on"));
    g_clear_error(&error);

    CapHep h = sample();
    g_autoptr(GBytes) one = cap_hep_encode(&h);
    g_autoptr(GBytes) two = compressed_packet();
    /* UDP: one good datagram, one garbage "HEP3" datagram */
    g_assert_cmpint(send_to(SOCK_DGRAM, port, g_bytes_get_data(one, NULL), g_bytes_get_size(one),
                            0), ==, 0);
    g_assert_cmpint(send_to(SOCK_DGRAM, port, "HEP3\0\7x", 7, 0), ==, 0);
    /* TCP: two packets in one stream, cut in 50-byte pieces */
    GByteArray *stream = g_byte_array_new();
    g_byte_array_append(stream, g_bytes_get_data(one, NULL), (guint)g_bytes_get_size(one));
    g_byte_array_append(stream, g_bytes_get_data(two, NULL), (guint)g_bytes_get_size(two));
    g_assert_cmpint(send_to(SOCK_STREAM, port, stream->data, stream->len, 50), ==, 0);
    g_byte_array_unref(stream);

    guint frames = 0;
    CapFrame f;
    CapReadResult r;
    while ((r = cap_source_next(src, &f, &error)) == CAP_READ_FRAME) {
        frames++;
        g_assert_cmpint(f.linktype, ==, DLT_RAW);
        g_assert_cmpint(f.ts, ==, h.ts);
        g_assert_cmpuint(f.cap_len, ==, 20 + 8 + strlen(sip));
        g_assert_cmpmem(f.data + 28, f.cap_len - 28, sip, strlen(sip));
    }
    g_assert_cmpint(r, ==, CAP_READ_END);
    g_assert_cmpuint(frames, ==, 3);
    CapSourceStats st;
    cap_source_stats(src, &st);
    g_assert_cmpuint(st.malformed, ==, 1);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hep/roundtrip", test_roundtrip);
    g_test_add_func("/hep/v2", test_v2);
    g_test_add_func("/hep/compressed", test_compressed);
    g_test_add_func("/hep/malformed-and-prefixes", test_malformed_and_prefixes);
    g_test_add_func("/hep/frames", test_frames);
    g_test_add_func("/hep/inside-capture", test_inside_capture);
    g_test_add_func("/hep/listener", test_listener);
    return g_test_run();
}
