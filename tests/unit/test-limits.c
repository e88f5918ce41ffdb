/* Unit tests: the named limits (common/sllimits.h) and each bound at its
 * edge: N accepted, N+1 dropped or marked and counted; the loader's
 * warnings, once per limit with file and frame, then a count. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cap-decode.h"
#include "corr-load.h"
#include "corr.h"
#include "sip-dissect.h"
#include "sip-msg.h"
#include "sllimits.h"

#define LINKTYPE_RAW 101 /* IPv4/IPv6 without a link header (DLT_RAW in files) */

/* ------------------------------------------------------------ frames */

/* An IPv4 packet: @proto, @flags_frag (flags and offset word), @id. */
static GByteArray *
ipv4(const uint8_t src[4], const uint8_t dst[4], uint8_t proto, uint16_t id,
     uint16_t flags_frag, const void *payload, size_t len)
{
    GByteArray *b = g_byte_array_new();
    size_t total = 20 + len;
    uint8_t h[20] = { 0x45, 0, (uint8_t)(total >> 8), (uint8_t)total, (uint8_t)(id >> 8),
                      (uint8_t)id, (uint8_t)(flags_frag >> 8), (uint8_t)flags_frag, 64, proto };
    memcpy(h + 12, src, 4);
    memcpy(h + 16, dst, 4);
    g_byte_array_append(b, h, 20);
    g_byte_array_append(b, payload, (guint)len);
    return b;
}

static GByteArray *
udp(const uint8_t src[4], uint16_t sport, const uint8_t dst[4], uint16_t dport,
    const void *data, size_t len)
{
    g_autoptr(GByteArray) u = g_byte_array_new();
    uint16_t ulen = (uint16_t)(8 + len);
    uint8_t h[8] = { (uint8_t)(sport >> 8), (uint8_t)sport, (uint8_t)(dport >> 8),
                     (uint8_t)dport, (uint8_t)(ulen >> 8), (uint8_t)ulen, 0, 0 };
    g_byte_array_append(u, h, 8);
    g_byte_array_append(u, data, (guint)len);
    return ipv4(src, dst, 17, 0, 0, u->data, u->len);
}

static GByteArray *
tcp(const uint8_t src[4], uint16_t sport, const uint8_t dst[4], uint16_t dport, uint32_t seq,
    const void *data, size_t len)
{
    g_autoptr(GByteArray) t = g_byte_array_new();
    uint8_t h[20] = { (uint8_t)(sport >> 8), (uint8_t)sport, (uint8_t)(dport >> 8),
                      (uint8_t)dport, (uint8_t)(seq >> 24), (uint8_t)(seq >> 16),
                      (uint8_t)(seq >> 8), (uint8_t)seq, 0, 0, 0, 1, 0x50, 0x18, 0xff, 0xff };
    g_byte_array_append(t, h, 20);
    g_byte_array_append(t, data, (guint)len);
    return ipv4(src, dst, 6, 0, 0, t->data, t->len);
}

static const uint8_t A[4] = { 10, 0, 0, 1 }, B[4] = { 10, 0, 0, 2 };

/* ------------------------------------------------------------ table */

static void
test_table(void)
{
    SlLimits l;
    sl_limits_init(&l);
    for (unsigned i = 0; i < SL_LIMIT_COUNT; i++) {
        const SlLimitInfo *info = sl_limit_info((SlLimitId)i);
        SlLimitId id;
        g_assert_true(sl_limit_lookup(info->name, &id));
        g_assert_cmpint(id, ==, i);
        g_assert_cmpuint(l.value[i], ==, info->def);
        g_assert_cmpuint(info->min, <=, info->def);
        g_assert_cmpuint(info->def, <=, info->max);
        g_assert_true(info->what && info->when_hit && info->counted);
    }
    /* the parser's bound on headers is SipMsg's array */
    g_assert_cmpuint(sl_limit_info(SL_LIMIT_SIP_HEADERS)->max, ==, SIP_MAX_HEADERS);
    g_autofree char *none = sl_limits_to_string(&l);
    g_assert_cmpstr(none, ==, "");
}

static void
test_parse(void)
{
    SlLimits l;
    sl_limits_init(&l);
    g_autoptr(GError) error = NULL;
    g_assert_true(sl_limits_set(&l, "tcp-buffer=64K", &error));
    g_assert_cmpuint(l.value[SL_LIMIT_TCP_BUFFER], ==, 64 * 1024);
    g_assert_true(sl_limits_set(&l, "ip-fragments=2MiB", &error));
    g_assert_cmpuint(l.value[SL_LIMIT_IP_FRAGMENTS], ==, 2u << 20);
    g_assert_true(sl_limits_set(&l, "tcp-memory=1G", &error));
    g_assert_cmpuint(l.value[SL_LIMIT_TCP_MEMORY], ==, (uint64_t)1 << 30);
    g_assert_true(sl_limits_set_list(&l, "calls=7, sip-via=3;multipart-depth=1", &error));
    g_assert_no_error(error);
    g_assert_cmpuint(l.value[SL_LIMIT_CALLS], ==, 7);
    g_assert_cmpuint(l.value[SL_LIMIT_SIP_VIA], ==, 3);
    g_assert_cmpuint(l.value[SL_LIMIT_MULTIPART_DEPTH], ==, 1);
    /* what to_string writes, set_list reads back */
    g_autofree char *text = sl_limits_to_string(&l);
    SlLimits back;
    sl_limits_init(&back);
    g_assert_true(sl_limits_set_list(&back, text, &error));
    g_assert_cmpmem(&back, sizeof back, &l, sizeof l);

    static const char *const bad[] = {
        "calls",              /* no value */
        "nope=1",             /* no such limit */
        "calls=",             /* empty */
        "calls=1K",           /* counts take no suffix */
        "calls=0",            /* below the minimum */
        "calls=-1",
        "multipart-depth=0",  /* SDP inside a multipart body is always looked for */
        "sip-headers=257",    /* above SipMsg's array */
        "tcp-buffer=1T",      /* unknown suffix */
        "tcp-buffer=99999999999999999999", /* overflow */
        "sip-message=17179869184G",        /* overflow through the factor */
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        SlLimits before = l;
        g_clear_error(&error);
        g_assert_false(sl_limits_set(&l, bad[i], &error));
        g_assert_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
        g_assert_cmpmem(&before, sizeof before, &l, sizeof l);
    }
    /* the range ends themselves are accepted */
    g_assert_true(sl_limits_set(&l, "sip-headers=256", NULL));
    g_assert_true(sl_limits_set(&l, "sip-headers=1", NULL));
    g_autofree char *f1 = sl_limit_format(SL_LIMIT_SIP_MESSAGE, 256 * 1024);
    g_assert_cmpstr(f1, ==, "256 KiB");
    g_autofree char *f2 = sl_limit_format(SL_LIMIT_SIP_MESSAGE, 1500);
    g_assert_cmpstr(f2, ==, "1500 bytes");
    g_autofree char *f3 = sl_limit_format(SL_LIMIT_CALLS, 1000);
    g_assert_cmpstr(f3, ==, "1000");
}

/* ------------------------------------------------------------ SIP */

/* A request with @n_hdrs extra header fields and @n_via Via entries (in
 * one header), and @body_pad bytes of body. */
static GString *
request(unsigned n_hdrs, unsigned n_via, size_t body_pad)
{
    GString *s = g_string_new("INVITE sip:bob@example.test SIP/2.0\r\nVia: ");
    for (unsigned i = 0; i < n_via; i++)
        g_string_append_printf(s, "%sSIP/2.0/UDP 10.0.0.%u:5060;branch=z9hG4bK%u",
                               i ? ", " : "", i % 250 + 1, i);
    g_string_append(s, "\r\nFrom: <sip:a@example.test>;tag=1\r\nTo: <sip:bob@example.test>\r\n"
                       "Call-ID: lim@example.test\r\nCSeq: 1 INVITE\r\n");
    for (unsigned i = 0; i < n_hdrs; i++)
        g_string_append_printf(s, "X-H%u: v\r\n", i);
    g_string_append_printf(s, "Content-Length: %zu\r\n\r\n", body_pad);
    for (size_t i = 0; i < body_pad; i++)
        g_string_append_c(s, 'x');
    return s;
}

static SipMsg msg; /* large: not on the stack */

/* Parses @text into msg with @o. */
static SlStatus
parse(const GString *text, SipFraming framing, const SipParseOptions *o)
{
    return sip_msg_parse(sl_view_make(text->str, text->len), framing, o, &msg);
}

static void
test_sip_headers(void)
{
    SipParseOptions o;
    sip_parse_options_init(&o);
    o.max_headers = 10;
    /* Via, From, To, Call-ID, CSeq, Content-Length = 6 fields + 4 = 10 */
    g_autoptr(GString) ok = request(4, 1, 0);
    g_assert_cmpint(parse(ok, SIP_FRAMING_DATAGRAM, &o), ==, SL_OK);
    g_assert_cmpuint(msg.n_hdrs, ==, 10);
    g_autoptr(GString) over = request(5, 1, 0);
    g_assert_cmpint(parse(over, SIP_FRAMING_DATAGRAM, &o), ==, SL_ERR_LIMIT);
    g_assert_true(msg.flags & SIP_FLAG_HEADER_LIMIT);
    g_assert_cmpuint(msg.n_hdrs, ==, 10);
}

static void
test_sip_via(void)
{
    SipParseOptions o;
    sip_parse_options_init(&o);
    o.max_via = 5;
    g_autoptr(GString) ok = request(0, 5, 0);
    g_assert_cmpint(parse(ok, SIP_FRAMING_DATAGRAM, &o), ==, SL_OK);
    g_assert_cmpuint(msg.n_via, ==, 5);
    g_assert_false(msg.flags & SIP_FLAG_VIA_LIMIT);
    g_autoptr(GString) over = request(0, 6, 0);
    g_assert_cmpint(parse(over, SIP_FRAMING_DATAGRAM, &o), ==, SL_ERR_LIMIT);
    g_assert_true(msg.flags & SIP_FLAG_VIA_LIMIT);
    g_assert_cmpuint(msg.n_via, ==, 5);
    g_assert_true(msg.has_via); /* the top one is still read */
    g_assert_cmpstr(msg.error.msg, ==, "too many Via entries");
}

static void
test_sip_message_size(void)
{
    g_autoptr(GString) m = request(0, 1, 100);
    SipParseOptions o;
    sip_parse_options_init(&o);
    o.max_message = m->len;
    SlView v = sl_view_make(m->str, m->len);
    g_assert_cmpint(sip_msg_parse(v, SIP_FRAMING_STREAM, &o, &msg), ==, SL_OK);
    g_assert_cmpint(sip_msg_parse(v, SIP_FRAMING_DATAGRAM, &o, &msg), ==, SL_OK);
    o.max_message = m->len - 1;
    g_assert_cmpint(sip_msg_parse(v, SIP_FRAMING_STREAM, &o, &msg), ==, SL_ERR_LIMIT);
    g_assert_true(msg.flags & SIP_FLAG_TOO_LARGE);
    g_assert_cmpint(sip_msg_parse(v, SIP_FRAMING_DATAGRAM, &o, &msg), ==, SL_ERR_LIMIT);
    g_assert_true(msg.flags & SIP_FLAG_TOO_LARGE);
    /* a header block that never ends stops at the bound, not later */
    g_autoptr(GString) endless = g_string_new("INVITE sip:b@x SIP/2.0\r\n");
    while (endless->len < 4096)
        g_string_append(endless, "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaa\r\n");
    o.max_message = 8192;
    g_assert_cmpint(parse(endless, SIP_FRAMING_STREAM, &o), ==, SL_ERR_NEED_MORE);
    o.max_message = 4096;
    g_assert_cmpint(parse(endless, SIP_FRAMING_STREAM, &o), ==, SL_ERR_LIMIT);
}

/* A body of @depth nested multipart/mixed levels around an SDP part. */
static GString *
nested(unsigned depth)
{
    GString *body = g_string_new("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\n"
                                 "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\n");
    g_autofree char *type = g_strdup("application/sdp");
    for (unsigned d = 0; d < depth; d++) {
        GString *outer = g_string_new(NULL);
        g_string_append_printf(outer, "--b%u\r\nContent-Type: %s\r\n\r\n%s\r\n--b%u--\r\n", d,
                               type, body->str, d);
        g_string_free(body, TRUE);
        body = outer;
        g_free(type);
        type = g_strdup_printf("multipart/mixed;boundary=b%u", d);
    }
    GString *m = g_string_new(NULL);
    g_string_append_printf(m,
                           "INVITE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
                           "From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: mp\r\n"
                           "CSeq: 1 INVITE\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n%s",
                           type, body->len, body->str);
    g_string_free(body, TRUE);
    return m;
}

static void
test_multipart_depth(void)
{
    SipParseOptions o;
    sip_parse_options_init(&o);
    o.max_multipart_depth = 3;
    SlView sdp;
    g_autoptr(GString) ok = nested(3);
    g_assert_cmpint(parse(ok, SIP_FRAMING_DATAGRAM, &o), ==, SL_OK);
    g_assert_cmpuint(msg.max_multipart_depth, ==, 3);
    g_assert_true(sip_msg_find_sdp(&msg, msg.max_multipart_depth, &sdp));
    g_assert_true(sl_view_has_prefix(sdp, "v=0"));
    g_autoptr(GString) over = nested(4);
    g_assert_cmpint(parse(over, SIP_FRAMING_DATAGRAM, &o), ==, SL_ERR_LIMIT);
    g_assert_true(msg.flags & SIP_FLAG_MULTIPART_LIMIT);
    g_assert_false(sip_msg_find_sdp(&msg, msg.max_multipart_depth, &sdp));
    /* depth 1: one multipart level, none inside it */
    o.max_multipart_depth = 1;
    g_autoptr(GString) one = nested(1);
    g_assert_cmpint(parse(one, SIP_FRAMING_DATAGRAM, &o), ==, SL_OK);
    g_autoptr(GString) two = nested(2);
    g_assert_cmpint(parse(two, SIP_FRAMING_DATAGRAM, &o), ==, SL_ERR_LIMIT);
    /* 0, as options filled field by field leave it, is the default */
    o.max_multipart_depth = 0;
    g_assert_cmpint(parse(over, SIP_FRAMING_DATAGRAM, &o), ==, SL_OK);
}

/* The dissector counts each bound apart. */
static void
count_found(const SipFound *f, gpointer user)
{
    (*(guint *)user)++;
}

static void
test_dissector_counters(void)
{
    SipParseOptions o;
    sip_parse_options_init(&o);
    o.max_via = 2;
    o.max_headers = 12;
    guint found = 0;
    g_autoptr(SipDissector) d = sip_dissector_new(&o, count_found, &found);
    g_autoptr(GString) via = request(0, 3, 0);
    g_autoptr(GString) hdrs = request(20, 1, 0);
    g_autoptr(GString) fine = request(0, 2, 0);
    GString *msgs[] = { via, hdrs, fine };
    for (size_t i = 0; i < G_N_ELEMENTS(msgs); i++) {
        CapPacket p = { .frame = i + 1, .transport = CAP_TRANSPORT_UDP };
        p.payload = sl_view_make(msgs[i]->str, msgs[i]->len);
        sip_dissector_packet(&p, d);
    }
    const SipDissectStats *st = sip_dissector_stats(d);
    g_assert_cmpuint(found, ==, 3); /* marked, not dropped */
    g_assert_cmpuint(st->via_limit, ==, 1);
    g_assert_cmpuint(st->header_limit, ==, 1);
    g_assert_cmpuint(st->too_large, ==, 0);
    g_assert_cmpuint(st->limit, ==, 2);
}

/* ------------------------------------------------------------ decoder */

typedef struct {
    guint payloads;
} Sink;

static void
sink(const CapPacket *pkt, gpointer user)
{
    ((Sink *)user)->payloads++; /* consumes nothing: TCP bytes stay buffered */
}

static void
feed(CapDecoder *dec, GByteArray *b, uint64_t frame)
{
    CapFrame f = { .frame = frame, .ts = (SlTime)frame * SL_TIME_MSEC, .cap_len = b->len,
                   .wire_len = b->len, .linktype = 12 /* DLT_RAW */, .data = b->data };
    cap_decoder_feed(dec, &f, 0);
    g_byte_array_unref(b);
}

static void
test_ip_fragments(void)
{
    uint8_t data[1480];
    memset(data, 'x', sizeof data);
    CapLimits l;
    cap_limits_init(&l);
    l.frag_max_bytes = 3 * sizeof data; /* three first fragments fit exactly */
    Sink s = { 0 };
    g_autoptr(CapDecoder) dec = cap_decoder_new(&l, sink, &s);
    for (uint16_t id = 1; id <= 3; id++)
        feed(dec, ipv4(A, B, 17, id, 0x2000, data, sizeof data), id);
    g_assert_cmpuint(cap_decoder_stats(dec)->ip_frag_limit, ==, 0);
    g_assert_cmpuint(cap_decoder_held_bytes(dec), ==, 3 * sizeof data);
    feed(dec, ipv4(A, B, 17, 4, 0x2000, data, sizeof data), 4);
    g_assert_cmpuint(cap_decoder_stats(dec)->ip_frag_limit, ==, 1);
    g_assert_cmpuint(cap_decoder_held_bytes(dec), <=, l.frag_max_bytes);
    /* a thousand more stay under the bound */
    for (unsigned i = 0; i < 1000; i++)
        feed(dec, ipv4(A, B, 17, (uint16_t)(100 + i), 0x2000, data, sizeof data), 5 + i);
    g_assert_cmpuint(cap_decoder_stats(dec)->ip_frag_limit, ==, 1001);
    g_assert_cmpuint(cap_decoder_held_bytes(dec), <=, l.frag_max_bytes);
}

static void
test_tcp_buffer(void)
{
    char data[1000];
    memset(data, 'a', sizeof data);
    CapLimits l;
    cap_limits_init(&l);
    l.tcp_max_buffer = 3000;
    Sink s = { 0 };
    g_autoptr(CapDecoder) dec = cap_decoder_new(&l, sink, &s);
    for (uint32_t i = 0; i < 3; i++)
        feed(dec, tcp(A, 40000, B, 5060, 1 + i * 1000, data, sizeof data), i + 1);
    g_assert_cmpuint(cap_decoder_stats(dec)->tcp_limit, ==, 0);
    g_assert_cmpuint(cap_decoder_held_bytes(dec), ==, 3000);
    feed(dec, tcp(A, 40000, B, 5060, 3001, data, 1), 4);
    g_assert_cmpuint(cap_decoder_stats(dec)->tcp_limit, ==, 1);
    g_assert_cmpuint(cap_decoder_held_bytes(dec), ==, 0);
}

static void
test_tcp_streams_and_memory(void)
{
    char data[1000];
    memset(data, 'a', sizeof data);
    CapLimits l;
    cap_limits_init(&l);
    l.tcp_max_streams = 4;
    l.tcp_max_total = 4000;
    Sink s = { 0 };
    g_autoptr(CapDecoder) dec = cap_decoder_new(&l, sink, &s);
    for (uint16_t p = 1; p <= 4; p++)
        feed(dec, tcp(A, p, B, 5060, 1, data, sizeof data), p);
    const CapStats *st = cap_decoder_stats(dec);
    g_assert_cmpuint(st->tcp_streams_evicted, ==, 0);
    g_assert_cmpuint(st->tcp_memory_limit, ==, 0);
    g_assert_cmpuint(cap_decoder_held_bytes(dec), ==, 4000);
    /* a fifth direction: the least recently used one goes */
    feed(dec, tcp(A, 5, B, 5060, 1, data, 10), 5);
    g_assert_cmpuint(st->tcp_streams_evicted, ==, 1);
    g_assert_cmpuint(cap_decoder_held_bytes(dec), ==, 3010);
    /* up to the total is kept; one byte beyond it, the direction that grew
     * drops its buffer */
    feed(dec, tcp(A, 5, B, 5060, 11, data, 990), 6);
    g_assert_cmpuint(st->tcp_memory_limit, ==, 0);
    g_assert_cmpuint(st->tcp_streams_evicted, ==, 1);
    g_assert_cmpuint(cap_decoder_held_bytes(dec), ==, 4000);
    feed(dec, tcp(A, 5, B, 5060, 1001, data, 1), 7);
    g_assert_cmpuint(st->tcp_memory_limit, ==, 1);
    g_assert_cmpuint(cap_decoder_held_bytes(dec), ==, 3000);
}

/* ------------------------------------------------------------ engine */

/* Feeds a parsed SIP text to @e as frame @frame. */
static void
engine_feed(CorrEngine *e, const char *text, uint64_t frame)
{
    SipParseOptions o;
    sip_parse_options_init(&o);
    SlStatus st = sip_msg_parse(sl_view_from_str(text), SIP_FRAMING_DATAGRAM, &o, &msg);
    CapPacket p = { .frame = frame, .ts = (SlTime)frame * SL_TIME_MSEC };
    sl_addr_set_v4(&p.src, A, 5060);
    sl_addr_set_v4(&p.dst, B, 5060);
    SipFound f = { &p, &msg, st, SIP_TRANSPORT_UDP };
    corr_engine_feed(e, &f);
}

static char *
invite(unsigned call, unsigned cseq)
{
    return g_strdup_printf("INVITE sip:b@x SIP/2.0\r\n"
                           "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK%u-%u\r\n"
                           "From: <sip:a@x>;tag=%u\r\nTo: <sip:b@x>\r\nCall-ID: c%u\r\n"
                           "CSeq: %u INVITE\r\nContent-Length: 0\r\n\r\n",
                           call, cseq, call, call, cseq);
}

static void
test_engine_calls(void)
{
    g_autoptr(CorrEngine) e = corr_engine_new(NULL);
    corr_engine_set_limits(e, 3, 0, 0, 0);
    for (unsigned c = 1; c <= 3; c++) {
        g_autofree char *t = invite(c, 1);
        engine_feed(e, t, c);
    }
    CorrEngineDrops d;
    corr_engine_drops(e, &d);
    g_assert_cmpuint(d.calls, ==, 0);
    g_autofree char *fourth = invite(4, 1);
    engine_feed(e, fourth, 4);
    /* a known Call-ID still gets its messages */
    g_autofree char *again = invite(2, 2);
    engine_feed(e, again, 5);
    corr_engine_drops(e, &d);
    g_assert_cmpuint(d.calls, ==, 1);
    corr_engine_finish(e);
    GPtrArray *calls = corr_engine_calls(e);
    g_assert_cmpuint(calls->len, ==, 3);
    for (guint i = 0; i < calls->len; i++) {
        const CorrCall *c = g_ptr_array_index(calls, i);
        const CorrLeg *leg = g_ptr_array_index(c->legs, 0);
        g_autofree char *want = g_strdup_printf("c%u", i + 1);
        g_assert_cmpstr(leg->call_id, ==, want);
        g_assert_cmpuint(c->msgs->len, ==, i == 1 ? 2 : 1);
    }
}

static void
test_engine_messages(void)
{
    g_autoptr(CorrEngine) e = corr_engine_new(NULL);
    corr_engine_set_limits(e, 0, 4, 3, 0);
    /* call 1: three messages (its bound), the fourth dropped */
    for (unsigned q = 1; q <= 4; q++) {
        g_autofree char *t = invite(1, q);
        engine_feed(e, t, q);
    }
    CorrEngineDrops d;
    corr_engine_drops(e, &d);
    g_assert_cmpuint(d.call_messages, ==, 1);
    g_assert_cmpuint(corr_engine_dropped_messages(e), ==, 1);
    g_assert_cmpuint(d.messages, ==, 0);
    /* call 2: the fourth message of the engine, then the total bound */
    g_autofree char *a = invite(2, 1);
    engine_feed(e, a, 5);
    g_autofree char *b = invite(2, 2);
    engine_feed(e, b, 6);
    corr_engine_drops(e, &d);
    g_assert_cmpuint(d.messages, ==, 1);
    g_assert_cmpuint(corr_engine_messages(e)->len, ==, 4);
}

static void
test_engine_message_bytes(void)
{
    g_autofree char *a = invite(1, 1);
    g_autofree char *b = invite(2, 1);
    g_autofree char *c = invite(3, 1);
    g_autoptr(CorrEngine) e = corr_engine_new(NULL);
    /* room for exactly two of these messages (same length) */
    g_assert_cmpuint(strlen(a), ==, strlen(b));
    corr_engine_set_limits(e, 0, 0, 0, 2 * strlen(a));
    engine_feed(e, a, 1);
    engine_feed(e, b, 2);
    CorrEngineDrops d;
    corr_engine_drops(e, &d);
    g_assert_cmpuint(d.message_bytes, ==, 0);
    engine_feed(e, c, 3);
    corr_engine_drops(e, &d);
    g_assert_cmpuint(d.message_bytes, ==, 1);
    g_assert_cmpuint(corr_engine_messages(e)->len, ==, 2);
}

/* ------------------------------------------------------------ loader */

/* Writes a pcap file (raw IPv4 frames, 1 ms apart) of @frames. */
static void
write_pcap(const char *path, GPtrArray *frames, uint32_t start_s)
{
    g_autoptr(GByteArray) out = g_byte_array_new();
    uint32_t gh[6] = { 0xa1b2c3d4, 2 | (4u << 16), 0, 0, 65535, LINKTYPE_RAW };
    g_byte_array_append(out, (const guint8 *)gh, sizeof gh);
    for (guint i = 0; i < frames->len; i++) {
        GByteArray *f = g_ptr_array_index(frames, i);
        uint32_t rh[4] = { 1767225600 + start_s, i * 1000, f->len, f->len };
        g_byte_array_append(out, (const guint8 *)rh, sizeof rh);
        g_byte_array_append(out, f->data, f->len);
    }
    g_assert_true(g_file_set_contents(path, (const char *)out->data, out->len, NULL));
}

typedef struct {
    GPtrArray *texts;
    GArray *frames;
} Warnings;

static void
on_warn(CorrLoadWarnKind kind, const char *file, uint64_t frame, const char *text, gpointer user)
{
    Warnings *w = user;
    if (kind != CORR_LOAD_WARN_LIMIT)
        return;
    g_ptr_array_add(w->texts, g_strdup(text));
    g_array_append_val(w->frames, frame);
}

static void
test_load_calls_warned_once(void)
{
    g_autofree char *dir = g_dir_make_tmp("sl-limits-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "invites.pcap", NULL);
    g_autoptr(GPtrArray) frames =
        g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
    for (unsigned c = 1; c <= 10; c++) {
        g_autofree char *t = invite(c, 1);
        g_ptr_array_add(frames, udp(A, 5060, B, 5060, t, strlen(t)));
    }
    write_pcap(path, frames, 0);
    SlLimits lim;
    sl_limits_init(&lim);
    lim.value[SL_LIMIT_CALLS] = 4;
    Warnings w = { g_ptr_array_new_with_free_func(g_free),
                   g_array_new(FALSE, FALSE, sizeof(uint64_t)) };
    g_autoptr(CorrEngine) e = corr_engine_new(NULL);
    CorrLoadOptions o;
    corr_load_options_init(&o);
    o.engine = e;
    o.limits = &lim;
    o.warn_func = on_warn;
    o.user_data = &w;
    char *files[] = { path, NULL };
    g_autoptr(CorrLoad) l = corr_load_files(files, &o);
    g_assert_cmpuint(corr_engine_calls(e)->len, ==, 4);
    /* once when first hit (frame 5), once at the end with the count */
    g_assert_cmpuint(w.texts->len, ==, 2);
    g_assert_cmpuint(g_array_index(w.frames, uint64_t, 0), ==, 5);
    g_autofree char *first = g_strdup_printf("%s: frame 5: limit calls reached", path);
    g_assert_true(g_str_has_prefix(g_ptr_array_index(w.texts, 0), first));
    g_assert_nonnull(strstr(g_ptr_array_index(w.texts, 1), ": 6 messages dropped"));
    const CorrLoadLimit *hits = corr_load_limits(l);
    g_assert_cmpuint(hits[SL_LIMIT_CALLS].count, ==, 6);
    g_assert_cmpuint(hits[SL_LIMIT_CALLS].value, ==, 4);
    g_assert_cmpuint(hits[SL_LIMIT_CALLS].frame, ==, 5);
    g_assert_cmpstr(hits[SL_LIMIT_CALLS].file, ==, path);
    for (unsigned i = 0; i < SL_LIMIT_COUNT; i++)
        if (i != SL_LIMIT_CALLS)
            g_assert_cmpuint(hits[i].count, ==, 0);
    g_ptr_array_unref(w.texts);
    g_array_unref(w.frames);
    g_unlink(path);
    g_rmdir(dir);
}

/* rtp-streams counts every file together: 3 streams in each of two files
 * (other SSRCs, the second file later) with a bound of 4 keep 3 + 1, the
 * limit first hit in the second file. */
static void
test_load_rtp_streams_across_files(void)
{
    g_autofree char *dir = g_dir_make_tmp("sl-limits-XXXXXX", NULL);
    char *paths[3] = { g_build_filename(dir, "a.pcap", NULL), g_build_filename(dir, "b.pcap", NULL),
                       NULL };
    for (unsigned f = 0; f < 2; f++) {
        g_autoptr(GPtrArray) frames =
            g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
        const char *sdp = "v=0\r\no=- 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\n"
                          "t=0 0\r\nm=audio 40000 RTP/AVP 0\r\n";
        g_autofree char *inv = g_strdup_printf(
            "INVITE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKr%u\r\n"
            "From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: r%u\r\nCSeq: 1 INVITE\r\n"
            "Content-Type: application/sdp\r\nContent-Length: %zu\r\n\r\n%s",
            f, f, strlen(sdp), sdp);
        g_ptr_array_add(frames, udp(A, 5060, B, 5060, inv, strlen(inv)));
        for (uint8_t ssrc = 1 + 3 * f; ssrc <= 3 + 3 * f; ssrc++) {
            uint8_t rtp[32] = { 0x80, 0, 0, ssrc, 0, 0, 0, 160, 0, 0, 0, ssrc };
            g_ptr_array_add(frames, udp(A, 30000, B, 40000, rtp, sizeof rtp));
        }
        write_pcap(paths[f], frames, 10 * f); /* b.pcap 10 s after a.pcap */
    }
    SlLimits lim;
    sl_limits_init(&lim);
    lim.value[SL_LIMIT_RTP_STREAMS] = 4;
    Warnings w = { g_ptr_array_new_with_free_func(g_free),
                   g_array_new(FALSE, FALSE, sizeof(uint64_t)) };
    g_autoptr(CorrEngine) e = corr_engine_new(NULL);
    CorrLoadOptions o;
    corr_load_options_init(&o);
    o.engine = e;
    o.media = true;
    o.limits = &lim;
    o.warn_func = on_warn;
    o.user_data = &w;
    g_autoptr(CorrLoad) l = corr_load_files(paths, &o);
    g_assert_cmpuint(corr_load_streams(l)->len, ==, 4);
    const CorrLoadLimit *hits = corr_load_limits(l);
    g_assert_cmpuint(hits[SL_LIMIT_RTP_STREAMS].count, ==, 2);
    g_assert_cmpstr(hits[SL_LIMIT_RTP_STREAMS].file, ==, paths[1]);
    g_assert_cmpuint(hits[SL_LIMIT_RTP_STREAMS].frame, ==, 3);
    g_assert_cmpuint(w.texts->len, ==, 2);
    g_ptr_array_unref(w.texts);
    g_array_unref(w.frames);
    for (unsigned f = 0; f < 2; f++) {
        g_unlink(paths[f]);
        g_free(paths[f]);
    }
    g_rmdir(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/limits/table", test_table);
    g_test_add_func("/limits/parse", test_parse);
    g_test_add_func("/limits/sip-headers", test_sip_headers);
    g_test_add_func("/limits/sip-via", test_sip_via);
    g_test_add_func("/limits/sip-message", test_sip_message_size);
    g_test_add_func("/limits/multipart-depth", test_multipart_depth);
    g_test_add_func("/limits/dissector-counters", test_dissector_counters);
    g_test_add_func("/limits/ip-fragments", test_ip_fragments);
    g_test_add_func("/limits/tcp-buffer", test_tcp_buffer);
    g_test_add_func("/limits/tcp-streams-and-memory", test_tcp_streams_and_memory);
    g_test_add_func("/limits/calls", test_engine_calls);
    g_test_add_func("/limits/messages", test_engine_messages);
    g_test_add_func("/limits/message-bytes", test_engine_message_bytes);
    g_test_add_func("/limits/load-calls-warned-once", test_load_calls_warned_once);
    g_test_add_func("/limits/load-rtp-streams-across-files", test_load_rtp_streams_across_files);
    return g_test_run();
}
