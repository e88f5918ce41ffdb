/* sipladder: unit tests for dissect/tls*.c and the WebSocket framing of
 * sip-dissect.c: known answers for the TLS 1.2 PRF and HKDF-Expand-Label
 * (RFC 8448 section 3), key log lines, hand-made WebSocket streams
 * (masked, unmasked, fragmented, control frames between fragments,
 * several frames per segment), and hostile TLS records: every prefix
 * and every corrupted byte of a real TLS 1.3 stream gives no crash,
 * no invented message. */
#include <string.h>

#include "cap-decode.h"
#include "cap-source.h"
#include "sip-dissect.h"
#include "tls-private.h"

static void
unhex(const char *h, uint8_t *out, size_t n)
{
    g_assert_cmpuint(strlen(h), ==, 2 * n);
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(g_ascii_xdigit_value(h[2 * i]) << 4 | g_ascii_xdigit_value(h[2 * i + 1]));
}

static void
test_prf_known_answer(void)
{
    uint8_t secret[16], seed[16], want[32], got[32];
    unhex("9bbe436ba940f017b17652849a71db35", secret, 16);
    unhex("a0ba9f936cda311827a6f796ffd5198c", seed, 16);
    unhex("e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a", want, 32);
    g_assert_true(tls12_prf(GNUTLS_MAC_SHA256, secret, 16, "test label", seed, 16, got, 32));
    g_assert_cmpmem(got, 32, want, 32);
}

/* RFC 8448 section 3: the server handshake traffic secret's key and IV. */
static void
test_hkdf_label_known_answer(void)
{
    uint8_t secret[32], key[16], iv[12], want_key[16], want_iv[12];
    unhex("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38", secret, 32);
    unhex("3fce516009c21727d0f2e4e86ee403bc", want_key, 16);
    unhex("5d313eb2671276ee13000b30", want_iv, 12);
    g_assert_true(tls13_expand_label(GNUTLS_MAC_SHA256, secret, 32, "key", key, 16));
    g_assert_true(tls13_expand_label(GNUTLS_MAC_SHA256, secret, 32, "iv", iv, 12));
    g_assert_cmpmem(key, 16, want_key, 16);
    g_assert_cmpmem(iv, 12, want_iv, 12);
}

#define R32 "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"
#define M48 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" \
            "202122232425262728292a2b2c2d2e2f"

static void
test_keylog_lines(void)
{
    const char *text = "# comment\r\n"
                       "\n"
                       "CLIENT_RANDOM " R32 " " M48 "\r\n"
                       "CLIENT_HANDSHAKE_TRAFFIC_SECRET " R32 " " M48 "\n"
                       "EXPORTER_SECRET " R32 " " M48 "\n"           /* skipped */
                       "CLIENT_RANDOM " R32 " 0011\n"                /* master of 2 bytes */
                       "CLIENT_RANDOM zz" R32 " " M48 "\n"           /* bad hex */
                       "SERVER_TRAFFIC_SECRET_0 " R32 "\n"           /* no secret */
                       "CLIENT_TRAFFIC_SECRET_0 ffff" R32 " " M48;   /* last line, no LF */
    g_autoptr(TlsKeyLog) k = tls_keylog_new();
    g_assert_cmpuint(tls_keylog_add_text(k, sl_view_make(text, strlen(text))), ==, 2);
    g_assert_cmpuint(tls_keylog_bad_lines(k), ==, 4);
    g_assert_cmpuint(tls_keylog_sessions(k), ==, 1);
    uint8_t random[32];
    unhex(R32, random, 32);
    const TlsSecrets *s = tls_keylog_lookup(k, random);
    g_assert_nonnull(s);
    g_assert_cmpuint(s->len[TLS_SECRET_MASTER], ==, 48);
    g_assert_cmpuint(s->len[TLS_SECRET_CLIENT_HS], ==, 48);
    g_assert_cmpuint(s->len[TLS_SECRET_SERVER_AP0], ==, 0);
    g_assert_cmpuint(s->secret[TLS_SECRET_MASTER][47], ==, 0x2f);
    random[0] ^= 1;
    g_assert_null(tls_keylog_lookup(k, random));
}

static void
test_names(void)
{
    g_assert_cmpstr(tls_version_name(0x0304), ==, "TLS 1.3");
    g_assert_cmpstr(tls_version_name(0x0303), ==, "TLS 1.2");
    g_assert_cmpstr(tls_version_name(0x9999), ==, "-");
    g_assert_cmpstr(tls_cipher_suite_name(0x1301), ==, "TLS_AES_128_GCM_SHA256");
    g_assert_cmpstr(tls_cipher_suite_name(0xCCA8), ==,
                    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    g_assert_null(tls_cipher_suite_name(0x002F)); /* CBC: not decrypted */
    g_assert_cmpstr(sip_transport_name(SIP_TRANSPORT_TLS), ==, "TLS");
    g_assert_cmpstr(sip_transport_name(SIP_TRANSPORT_WSS), ==, "WSS");
}

/* ----------------------------------------------- streams through a decoder */

typedef struct {
    GPtrArray *found; /* "TRANSPORT first-line" */
} Sink;

static void
on_found(const SipFound *f, gpointer user)
{
    Sink *s = user;
    SlView v = f->msg->raw, first;
    if (!sl_view_line(&v, &first, NULL))
        first = f->msg->raw;
    g_autofree char *text = sl_view_dup_printable(first, 80);
    g_ptr_array_add(s->found, g_strdup_printf("%s %s", sip_transport_name(f->transport), text));
}

/* IPv4 + TCP (DLT_RAW) segments of one connection 10.0.0.1:40000 <->
 * 10.0.0.2:5060; each direction keeps its sequence number. */
typedef struct {
    CapDecoder *dec;
    SipDissector *sip;
    uint32_t seq[2];
    uint64_t frame;
} Wire;

static void
wire_send(Wire *w, int dir, const void *data, size_t n)
{
    uint8_t pkt[2000];
    g_assert_cmpuint(n, <=, sizeof pkt - 40);
    memset(pkt, 0, 40);
    pkt[0] = 0x45;
    pkt[2] = (uint8_t)((40 + n) >> 8);
    pkt[3] = (uint8_t)(40 + n);
    pkt[8] = 64;
    pkt[9] = 6;
    uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 };
    memcpy(pkt + 12, dir ? b : a, 4);
    memcpy(pkt + 16, dir ? a : b, 4);
    uint16_t sp = dir ? 5060 : 40000, dp = dir ? 40000 : 5060;
    pkt[20] = (uint8_t)(sp >> 8), pkt[21] = (uint8_t)sp;
    pkt[22] = (uint8_t)(dp >> 8), pkt[23] = (uint8_t)dp;
    uint32_t s = w->seq[dir];
    pkt[24] = (uint8_t)(s >> 24), pkt[25] = (uint8_t)(s >> 16), pkt[26] = (uint8_t)(s >> 8),
    pkt[27] = (uint8_t)s;
    pkt[32] = 0x50;
    pkt[33] = 0x18; /* PSH ACK */
    memcpy(pkt + 40, data, n);
    w->seq[dir] += (uint32_t)n;
    CapFrame f = { .frame = ++w->frame, .ts = (SlTime)w->frame * SL_TIME_MSEC,
                   .cap_len = (uint32_t)(40 + n), .wire_len = (uint32_t)(40 + n),
                   .linktype = 12, .data = pkt };
    cap_decoder_feed(w->dec, &f, 0);
}

static void
wire_init(Wire *w, Sink *s)
{
    memset(w, 0, sizeof *w);
    w->seq[0] = 1000;
    w->seq[1] = 9000;
    s->found = g_ptr_array_new_with_free_func(g_free);
    w->sip = sip_dissector_new(NULL, on_found, s);
    w->dec = cap_decoder_new(NULL, sip_dissector_packet, w->sip);
}

static void
wire_clear(Wire *w, Sink *s)
{
    cap_decoder_finish(w->dec);
    cap_decoder_free(w->dec);
    sip_dissector_free(w->sip);
    g_ptr_array_unref(s->found);
}

#define MSG_OPTIONS                                                                      \
    "OPTIONS sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/WS x.invalid;branch=z9hG4bK1\r\n" \
    "From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: ws1\r\n"       \
    "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
#define MSG_OK                                                                           \
    "SIP/2.0 200 OK\r\nVia: SIP/2.0/WS x.invalid;branch=z9hG4bK1\r\n"                    \
    "From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>;tag=2\r\nCall-ID: ws1\r\n" \
    "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"

/* Appends one WebSocket frame (RFC 6455 section 5.2). */
static void
ws_put(GByteArray *out, bool fin, uint8_t opcode, bool masked, const char *data, size_t n)
{
    static const uint8_t key[4] = { 0x37, 0xfa, 0x21, 0x3d };
    uint8_t h[8];
    size_t hl = 0;
    h[hl++] = (uint8_t)((fin ? 0x80 : 0) | opcode);
    if (n < 126) {
        h[hl++] = (uint8_t)((masked ? 0x80 : 0) | n);
    } else {
        h[hl++] = (uint8_t)((masked ? 0x80 : 0) | 126);
        h[hl++] = (uint8_t)(n >> 8);
        h[hl++] = (uint8_t)n;
    }
    g_byte_array_append(out, h, (guint)hl);
    if (masked)
        g_byte_array_append(out, key, 4);
    for (size_t i = 0; i < n; i++) {
        uint8_t c = (uint8_t)data[i] ^ (masked ? key[i % 4] : 0);
        g_byte_array_append(out, &c, 1);
    }
}

static void
test_websocket(void)
{
    Sink s;
    Wire w;
    wire_init(&w, &s);
    const char *up = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Protocol: sip\r\n\r\n";
    const char *ans = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Protocol: sip\r\n\r\n";
    wire_send(&w, 0, up, strlen(up));
    wire_send(&w, 1, ans, strlen(ans));
    /* client: masked, fragmented in three with a ping between, then a
     * whole masked message in the same segment */
    g_autoptr(GByteArray) c = g_byte_array_new();
    const char *msg = MSG_OPTIONS;
    size_t n = strlen(msg);
    ws_put(c, false, 1, true, msg, 20);
    ws_put(c, true, 9, true, "ping", 4);
    ws_put(c, false, 0, true, msg + 20, 30);
    ws_put(c, true, 0, true, msg + 50, n - 50);
    ws_put(c, true, 1, true, msg, n);
    /* sent in pieces of 7 bytes: frames cross segments */
    for (size_t off = 0; off < c->len; off += 7)
        wire_send(&w, 0, c->data + off, MIN(7, c->len - off));
    /* server: unmasked, two frames in one segment, a compressed one skipped */
    g_autoptr(GByteArray) sv = g_byte_array_new();
    ws_put(sv, true, 1, false, MSG_OK, strlen(MSG_OK));
    ws_put(sv, true, 0x41 & 0x0f, false, "x", 1); /* RSV bits set below */
    sv->data[sv->len - 3] |= 0x40;
    ws_put(sv, true, 1, false, MSG_OK, strlen(MSG_OK));
    wire_send(&w, 1, sv->data, sv->len);
    g_assert_cmpuint(s.found->len, ==, 4);
    g_assert_cmpstr(g_ptr_array_index(s.found, 0), ==, "WS OPTIONS sip:b@example.com SIP/2.0");
    g_assert_cmpstr(g_ptr_array_index(s.found, 1), ==, "WS OPTIONS sip:b@example.com SIP/2.0");
    g_assert_cmpstr(g_ptr_array_index(s.found, 2), ==, "WS SIP/2.0 200 OK");
    g_assert_cmpstr(g_ptr_array_index(s.found, 3), ==, "WS SIP/2.0 200 OK");
    g_assert_cmpuint(sip_dissector_stats(w.sip)->ws_compressed, ==, 1);
    wire_clear(&w, &s);
}

/* A fragmented message beyond max_message is dropped, the next one read. */
static void
test_websocket_fragment_bound(void)
{
    Sink s;
    Wire w;
    wire_init(&w, &s);
    const char *up = "GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n";
    wire_send(&w, 0, up, strlen(up));
    g_autoptr(GByteArray) c = g_byte_array_new();
    char chunk[1000];
    memset(chunk, 'a', sizeof chunk);
    ws_put(c, false, 1, true, chunk, sizeof chunk);
    wire_send(&w, 0, c->data, c->len);
    for (int i = 0; i < 300; i++) { /* 300 KB, past the 256 KiB default */
        g_byte_array_set_size(c, 0);
        ws_put(c, false, 0, true, chunk, sizeof chunk);
        wire_send(&w, 0, c->data, c->len);
    }
    g_byte_array_set_size(c, 0);
    ws_put(c, true, 0, true, chunk, 10);
    ws_put(c, true, 1, true, MSG_OPTIONS, strlen(MSG_OPTIONS));
    wire_send(&w, 0, c->data, c->len);
    g_assert_cmpuint(s.found->len, ==, 1);
    g_assert_cmpuint(sip_dissector_stats(w.sip)->limit, >=, 1);
    wire_clear(&w, &s);
}

/* ------------------------------------------------- hostile TLS records */

/* The TCP payload bytes of the real TLS 1.3 sample, per direction. */
typedef struct {
    GByteArray *dir[2];
    SlAddr client;
    bool have_client;
} Streams;

static void
grab(const CapPacket *pkt, gpointer user)
{
    Streams *st = user;
    if (pkt->transport != CAP_TRANSPORT_TCP || !pkt->stream)
        return;
    if (!st->have_client) {
        st->client = pkt->src;
        st->have_client = true;
    }
    int d = sl_addr_equal(&pkt->src, &st->client) ? 0 : 1;
    g_byte_array_append(st->dir[d], pkt->payload.p, (guint)pkt->payload.len);
    cap_tcp_stream_consume(pkt->stream, pkt->payload.len);
}

static bool
load_sample(Streams *st, TlsKeyLog **keys)
{
    /* __FILE__ is this file's path as the compiler saw it, relative to
     * the build directory that meson test runs in */
    g_autofree char *here = g_path_get_dirname(__FILE__);
    g_autofree char *pcap = g_build_filename(here, "..", "..", "samples", "ways-tls13.pcap", NULL);
    g_autofree char *kl = g_build_filename(here, "..", "..", "samples", "ways-tls13.keys", NULL);
    g_autoptr(CapSource) src = cap_source_open_file(pcap, NULL);
    if (!src)
        return false;
    st->dir[0] = g_byte_array_new();
    st->dir[1] = g_byte_array_new();
    g_autoptr(CapDecoder) dec = cap_decoder_new(NULL, grab, st);
    CapFrame f;
    while (cap_source_next(src, &f, NULL) == CAP_READ_FRAME)
        cap_decoder_feed(dec, &f, 0);
    *keys = tls_keylog_new();
    g_assert_true(tls_keylog_load_file(*keys, kl, NULL));
    return true;
}

/* Feeds both directions to a fresh connection, client bytes first (the
 * sample's records alternate, but each direction decrypts on its own);
 * returns the application bytes decrypted. */
static size_t
replay(const Streams *st, TlsKeyLog *keys, GByteArray *c2s, GByteArray *s2c)
{
    CapPacket pkt = { 0 };
    pkt.src = st->client;
    pkt.dst = st->client;
    pkt.dst.port = 5061;
    if (pkt.src.port == 5061)
        pkt.src.port = 1;
    g_autoptr(TlsConn) conn = tls_conn_new(&pkt, keys);
    g_autoptr(GByteArray) out = g_byte_array_new();
    GByteArray *dirs[2] = { c2s, s2c };
    /* hellos first: ClientHello record, then the server's whole flight */
    size_t used[2] = { 0, 0 };
    for (int round = 0; round < 4; round++) {
        for (int d = 0; d < 2; d++) {
            CapPacket p = pkt;
            if (d) {
                p.src = pkt.dst;
                p.dst = pkt.src;
            }
            SlStatus status;
            SlView v = sl_view_make(dirs[d]->data + used[d], dirs[d]->len - used[d]);
            used[d] += tls_conn_feed(conn, &p, v, out, 1 << 20, &status);
            if (status == SL_ERR_MALFORMED)
                used[d] = dirs[d]->len;
        }
    }
    return out->len;
}

static void
test_tls_sample_and_corruptions(void)
{
    Streams st = { 0 };
    g_autoptr(TlsKeyLog) keys = NULL;
    if (!load_sample(&st, &keys)) {
        g_test_skip("samples/ways-tls13.pcap not found");
        return;
    }
    size_t whole = replay(&st, keys, st.dir[0], st.dir[1]);
    g_assert_cmpuint(whole, >, 2000); /* the server side: client records came before its hello here */
    /* every prefix of the client's bytes: no more than the whole */
    for (size_t n = 0; n <= st.dir[0]->len; n += 13) {
        g_autoptr(GByteArray) c = g_byte_array_new();
        g_byte_array_append(c, st.dir[0]->data, (guint)n);
        g_assert_cmpuint(replay(&st, keys, c, st.dir[1]), <=, whole);
    }
    /* one flipped byte anywhere in the server's bytes: fewer bytes decrypt
     * (a record fails authentication) or the stream is not TLS any more */
    for (size_t i = 0; i < st.dir[1]->len; i += 7) {
        g_autoptr(GByteArray) s = g_byte_array_new();
        g_byte_array_append(s, st.dir[1]->data, st.dir[1]->len);
        s->data[i] ^= 0x5a;
        g_assert_cmpuint(replay(&st, keys, st.dir[0], s), <=, whole);
    }
    g_byte_array_unref(st.dir[0]);
    g_byte_array_unref(st.dir[1]);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tls/prf-known-answer", test_prf_known_answer);
    g_test_add_func("/tls/hkdf-label-known-answer", test_hkdf_label_known_answer);
    g_test_add_func("/tls/keylog-lines", test_keylog_lines);
    g_test_add_func("/tls/names", test_names);
    g_test_add_func("/tls/sample-corruptions", test_tls_sample_and_corruptions);
    g_test_add_func("/websocket/frames", test_websocket);
    g_test_add_func("/websocket/fragment-bound", test_websocket_fragment_bound);
    return g_test_run();
}
