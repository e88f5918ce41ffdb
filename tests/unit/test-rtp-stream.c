/* Unit tests: RTP header parsing and classifiers (dissect/rtp.c) and the
 * RTP stream table with its Wireshark 4.0 metrics (correlate/rtp-stream.c).
 * The expected figures of the synthetic streams were computed by hand and
 * checked against `tshark -o rtp.heuristic_rtp:TRUE -z rtp,streams` 4.0.17
 * on the same packets. */
#include <math.h>
#include <string.h>

#include "rtp-stream.h"
#include "rtp.h"

/* ------------------------------------------------------------ headers */

typedef struct {
    const char *name;
    const uint8_t *bytes;
    size_t len;
    SlStatus status;
    uint8_t version, cc, pt;
    bool padding, extension, marker;
    uint16_t seq;
    uint32_t ts, ssrc;
    uint32_t csrc0;
    uint16_t ext_profile;
    size_t ext_len, header_len, padding_len, payload_len;
} HdrCase;

static const uint8_t basic[] = { 0x80, 0x00, 0x12, 0x34, 0x00, 0x01, 0x02, 0x03, 0xde, 0xad,
                                 0xbe, 0xef, 0xff, 0xff, 0xff, 0xff };
static const uint8_t marker_ev[] = { 0x80, 0xe5, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0x00, 0x00,
                                     0x00, 0x01, 0x01, 0x80, 0x00, 0xa0 };
static const uint8_t csrc2[] = { 0x82, 0x08, 0x00, 0x07, 0x00, 0x00, 0x00, 0xa0, 0x11, 0x11,
                                 0x11, 0x11, 0xc1, 0xc1, 0xc1, 0xc1, 0xc2, 0xc2, 0xc2, 0xc2, 0x55 };
static const uint8_t ext1[] = { 0x90, 0x6f, 0x00, 0x01, 0x00, 0x00, 0x03, 0xc0, 0x22, 0x22,
                                0x22, 0x22, 0xbe, 0xde, 0x00, 0x01, 0x10, 0xaa, 0x00, 0x00,
                                0x01, 0x02, 0x03 };
static const uint8_t pad4[] = { 0xa0, 0x00, 0x00, 0x02, 0x00, 0x00, 0x01, 0x40, 0x33, 0x33,
                                0x33, 0x33, 0x01, 0x02, 0x00, 0x00, 0x00, 0x04 };
static const uint8_t pad0[] = { 0xa0, 0x00, 0x00, 0x02, 0x00, 0x00, 0x01, 0x40, 0x33, 0x33,
                                0x33, 0x33, 0x01, 0x02, 0x00 };
static const uint8_t pad_long[] = { 0xa0, 0x00, 0x00, 0x02, 0x00, 0x00, 0x01, 0x40, 0x33, 0x33,
                                    0x33, 0x33, 0x01, 0x09 };
static const uint8_t short8[] = { 0x80, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00 };
static const uint8_t csrc_cut[] = { 0x83, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
                                    0x00, 0x00, 0x00, 0x01, 0xc1, 0xc1, 0xc1, 0xc1 };
static const uint8_t ext_cut[] = { 0x90, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                   0x00, 0x01, 0xbe, 0xde, 0x00, 0x02, 0x10, 0xaa, 0x00, 0x00 };
static const uint8_t version1[] = { 0x40, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
                                    0x00, 0x00, 0x00, 0x01 };

static const HdrCase hdr_cases[] = {
    { "basic", basic, sizeof basic, SL_OK, 2, 0, 0, false, false, false, 0x1234, 0x00010203,
      0xdeadbeef, 0, 0, 0, 12, 0, 4 },
    { "marker, PT 101, max seq and ts", marker_ev, sizeof marker_ev, SL_OK, 2, 0, 101, false,
      false, true, 0xffff, 0xfffffffe, 1, 0, 0, 0, 12, 0, 4 },
    { "two CSRC", csrc2, sizeof csrc2, SL_OK, 2, 2, 8, false, false, false, 7, 160, 0x11111111,
      0xc1c1c1c1, 0, 0, 20, 0, 1 },
    { "one-byte header extension", ext1, sizeof ext1, SL_OK, 2, 0, 111, false, true, false, 1,
      960, 0x22222222, 0, 0xbede, 4, 20, 0, 3 },
    { "padding 4", pad4, sizeof pad4, SL_OK, 2, 0, 0, true, false, false, 2, 320, 0x33333333, 0,
      0, 0, 12, 4, 2 },
    { "padding count 0", pad0, sizeof pad0, SL_ERR_MALFORMED, 2, 0, 0, true, false, false, 2,
      320, 0x33333333, 0, 0, 0, 12, 0, 3 },
    { "padding longer than payload", pad_long, sizeof pad_long, SL_ERR_MALFORMED, 2, 0, 0, true,
      false, false, 2, 320, 0x33333333, 0, 0, 0, 12, 0, 2 },
    { "fixed header cut", short8, sizeof short8, SL_ERR_MALFORMED, 2, 0, 0, false, false, false,
      1, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "CSRC list cut", csrc_cut, sizeof csrc_cut, SL_ERR_MALFORMED, 2, 3, 0, false, false,
      false, 1, 0, 1, 0xc1c1c1c1, 0, 0, 0, 0, 0 },
    { "extension longer than packet", ext_cut, sizeof ext_cut, SL_ERR_MALFORMED, 2, 0, 0, false,
      true, false, 1, 0, 1, 0, 0xbede, 0, 0, 0, 0 },
    { "version 1", version1, sizeof version1, SL_ERR_NOT_MINE, 1, 0, 0, false, false, false, 0,
      0, 0, 0, 0, 0, 0, 0, 0 },
    { "empty", basic, 0, SL_ERR_NOT_MINE, 0, 0, 0, false, false, false, 0, 0, 0, 0, 0, 0, 0, 0,
      0 },
};

static void
test_hdr_table(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(hdr_cases); i++) {
        const HdrCase *c = &hdr_cases[i];
        RtpHdr h;
        SlError err = { 0 };
        SlStatus st = rtp_hdr_parse(sl_view_make(c->bytes, c->len), &h, &err);
        g_test_message("case %s", c->name);
        g_assert_cmpint(st, ==, c->status);
        if (st != SL_OK)
            g_assert_nonnull(err.msg);
        g_assert_cmpuint(h.version, ==, c->version);
        if (c->status == SL_ERR_NOT_MINE)
            continue;
        g_assert_cmpuint(h.csrc_count, ==, c->cc);
        g_assert_cmpuint(h.pt, ==, c->pt);
        g_assert_cmpint(h.padding, ==, c->padding);
        g_assert_cmpint(h.extension, ==, c->extension);
        g_assert_cmpint(h.marker, ==, c->marker);
        g_assert_cmpuint(h.seq, ==, c->seq);
        g_assert_cmphex(h.timestamp, ==, c->ts);
        g_assert_cmphex(h.ssrc, ==, c->ssrc);
        if (c->cc)
            g_assert_cmphex(h.csrc[0], ==, c->csrc0);
        g_assert_cmphex(h.ext_profile, ==, c->ext_profile);
        g_assert_cmpuint(h.ext_data.len, ==, c->ext_len);
        g_assert_cmpuint(h.header_len, ==, c->header_len);
        g_assert_cmpuint(h.padding_len, ==, c->padding_len);
        g_assert_cmpuint(h.payload.len, ==, c->payload_len);
    }
    /* the second CSRC and the payload byte of csrc2 */
    RtpHdr h;
    g_assert_cmpint(rtp_hdr_parse(sl_view_make(csrc2, sizeof csrc2), &h, NULL), ==, SL_OK);
    g_assert_cmphex(h.csrc[1], ==, 0xc2c2c2c2);
    g_assert_cmpint(sl_view_at(h.payload, 0), ==, 0x55);
    /* padding removed: the payload is the two bytes 01 02 */
    g_assert_cmpint(rtp_hdr_parse(sl_view_make(pad4, sizeof pad4), &h, NULL), ==, SL_OK);
    g_assert_cmpint(sl_view_at(h.payload, 1), ==, 0x02);
    g_assert_cmpint(sl_view_at(h.ext_data, 0), ==, -1);
}

/* Every prefix of every sample parses to NOT_MINE (nothing), MALFORMED or
 * OK; the header is complete exactly when the prefix holds it. */
static void
test_every_prefix(void)
{
    const uint8_t *samples[] = { basic, marker_ev, csrc2, ext1, pad4 };
    const size_t lens[] = { sizeof basic, sizeof marker_ev, sizeof csrc2, sizeof ext1,
                            sizeof pad4 };
    for (size_t s = 0; s < G_N_ELEMENTS(samples); s++) {
        RtpHdr full;
        g_assert_cmpint(rtp_hdr_parse(sl_view_make(samples[s], lens[s]), &full, NULL), ==,
                        SL_OK);
        for (size_t n = 0; n <= lens[s]; n++) {
            /* a copy of exactly n bytes, so ASan sees any over-read */
            g_autofree uint8_t *copy = g_malloc(n ? n : 1);
            memcpy(copy, samples[s], n);
            RtpHdr h;
            SlStatus st = rtp_hdr_parse(sl_view_make(copy, n), &h, NULL);
            if (n == 0) {
                g_assert_cmpint(st, ==, SL_ERR_NOT_MINE);
                continue;
            }
            g_assert_true(st == SL_OK || st == SL_ERR_MALFORMED);
            if (n < full.header_len) {
                g_assert_cmpint(st, ==, SL_ERR_MALFORMED);
                g_assert_cmpuint(h.header_len, ==, 0);
            } else {
                g_assert_cmpuint(h.header_len, ==, full.header_len);
                g_assert_cmpuint(h.ssrc, ==, full.ssrc);
            }
        }
    }
}

static void
test_classifiers(void)
{
    /* RTCP SR and RR: marker + PT 72/73 in the RTP position */
    static const uint8_t sr[] = { 0x80, 0xc8, 0x00, 0x06, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0, 0,
                                  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
    static const uint8_t rr[] = { 0x81, 0xc9, 0x00, 0x07, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0,
                                  0,    0,    0,    0,    0,    0,    0,    0,    0, 0, 0, 0,
                                  0,    0,    0,    0,    0,    0,    0,    0 };
    static const uint8_t pt73[] = { 0x80, 0x49, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0xff };
    static const uint8_t pt77m[] = { 0x80, 0xcd, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0xff };
    g_assert_false(rtp_looks_like(sl_view_make(sr, sizeof sr), true));
    g_assert_false(rtp_looks_like(sl_view_make(rr, sizeof rr), true));
    g_assert_false(rtp_looks_like(sl_view_make(pt73, sizeof pt73), true));
    g_assert_true(rtcp_looks_like(sl_view_make(sr, sizeof sr)));
    g_assert_true(rtcp_looks_like(sl_view_make(rr, sizeof rr)));
    /* PT 77 with the marker passes the heuristic but is RTCP (PSFB 205)
     * by RFC 5761 */
    RtpHdr h;
    g_assert_true(rtp_looks_like(sl_view_make(pt77m, sizeof pt77m), true));
    g_assert_cmpint(rtp_hdr_parse(sl_view_make(pt77m, sizeof pt77m), &h, NULL), ==, SL_OK);
    g_assert_true(rtp_hdr_is_rtcp_conflict(&h));
    g_assert_false(rtp_hdr_is_rtcp_conflict(&(RtpHdr){ .marker = false, .pt = 77 }));
    g_assert_false(rtp_hdr_is_rtcp_conflict(&(RtpHdr){ .marker = true, .pt = 96 }));

    g_assert_true(rtp_looks_like(sl_view_make(basic, sizeof basic), true));
    g_assert_true(rtp_looks_like(sl_view_make(ext1, sizeof ext1), true));
    g_assert_false(rtp_looks_like(sl_view_make(version1, sizeof version1), true));
    g_assert_false(rtp_looks_like(sl_view_make(short8, sizeof short8), true));
    g_assert_false(rtp_looks_like(sl_view_make(csrc_cut, sizeof csrc_cut), true));
    /* a bad padding count rejects, unless the last byte is not the real one */
    g_assert_false(rtp_looks_like(sl_view_make(pad0, sizeof pad0), true));
    g_assert_true(rtp_looks_like(sl_view_make(pad0, sizeof pad0), false));

    g_assert_false(rtcp_looks_like(sl_view_make(basic, sizeof basic)));
    static const uint8_t sr_long[] = { 0x80, 0xc8, 0x00, 0x09, 0x11, 0x22, 0x33, 0x44 };
    static const uint8_t v1_sr[] = { 0x40, 0xc8, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44 };
    static const uint8_t t199[] = { 0x80, 0xc7, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44 };
    g_assert_false(rtcp_looks_like(sl_view_make(sr_long, sizeof sr_long)));
    g_assert_false(rtcp_looks_like(sl_view_make(v1_sr, sizeof v1_sr)));
    g_assert_false(rtcp_looks_like(sl_view_make(t199, sizeof t199)));
    g_assert_false(rtcp_looks_like(sl_view_make(sr, 3)));
}

/* ------------------------------------------------------------ streams */

typedef struct {
    double at_ms; /* arrival, ms from the start */
    uint8_t pt;
    uint16_t seq;
    uint32_t ts;
    bool marker;
} Pkt;

typedef struct {
    RtpStreamTable *t;
    uint64_t frame;
    uint8_t buf[64];
} Feed;

#define T0 (SL_TIME_SECOND * 1000)

static void
addr4(SlAddr *a, uint8_t last, uint16_t port)
{
    const uint8_t ip[4] = { 10, 0, 0, last };
    sl_addr_set_v4(a, ip, port);
}

/* Offers one RTP packet from 10.0.0.<src>:<sport> to 10.0.0.<dst>:<dport>. */
static bool
offer(Feed *f, uint8_t src, uint16_t sport, uint8_t dst, uint16_t dport, uint32_t ssrc,
      const Pkt *p)
{
    uint8_t *b = f->buf;
    b[0] = 0x80;
    b[1] = (uint8_t)((p->marker ? 0x80 : 0) | p->pt);
    b[2] = (uint8_t)(p->seq >> 8);
    b[3] = (uint8_t)p->seq;
    for (int i = 0; i < 4; i++) {
        b[4 + i] = (uint8_t)(p->ts >> (24 - 8 * i));
        b[8 + i] = (uint8_t)(ssrc >> (24 - 8 * i));
    }
    memset(b + 12, 0xd5, 20);
    CapPacket pkt = { 0 };
    pkt.frame = ++f->frame;
    pkt.ts = T0 + (SlTime)llround(p->at_ms * 1e6);
    pkt.transport = CAP_TRANSPORT_UDP;
    addr4(&pkt.src, src, sport);
    addr4(&pkt.dst, dst, dport);
    pkt.payload = sl_view_make(b, 32);
    pkt.cap_len = pkt.wire_len = 74;
    return rtp_stream_table_packet(f->t, &pkt);
}

/* Feeds @n packets as one stream (10.0.0.1:4000 -> 10.0.0.2:5000) and
 * returns it after finish (borrowed from @t). */
static const RtpStream *
run_stream(RtpStreamTable *t, const Pkt *pkts, size_t n)
{
    Feed f = { .t = t };
    for (size_t i = 0; i < n; i++)
        g_assert_true(offer(&f, 1, 4000, 2, 5000, 0x1234, &pkts[i]));
    rtp_stream_table_finish(t);
    GPtrArray *streams = rtp_stream_table_streams(t);
    g_assert_cmpuint(streams->len, ==, 1);
    return g_ptr_array_index(streams, 0);
}

#define ASSERT_MS(a, b) g_assert_cmpfloat_with_epsilon((a), (b), 1e-9)

/* 20 ms packetization at 8 kHz, no loss, no jitter. */
static void
test_no_loss(void)
{
    Pkt p[10];
    for (int i = 0; i < 10; i++)
        p[i] = (Pkt){ 20.0 * i, 0, (uint16_t)(100 + i), 1000 + 160u * i, i == 0 };
    g_autoptr(RtpStreamTable) t = rtp_stream_table_new();
    const RtpStream *s = run_stream(t, p, 10);
    g_assert_cmpuint(s->id, ==, 1);
    g_assert_cmpuint(s->ssrc, ==, 0x1234);
    g_assert_cmpuint(s->src.port, ==, 4000);
    g_assert_cmpuint(s->packets, ==, 10);
    g_assert_cmpint(s->expected, ==, 10);
    g_assert_cmpint(s->lost, ==, 0);
    g_assert_cmpuint(s->seq_errors, ==, 0);
    g_assert_false(s->problem);
    g_assert_false(s->from_sdp);
    g_assert_true(s->has_delta && s->has_jitter);
    ASSERT_MS(s->min_delta_ms, 20);
    ASSERT_MS(s->mean_delta_ms, 20);
    ASSERT_MS(s->max_delta_ms, 20);
    g_assert_cmpuint(s->max_delta_frame, ==, 2); /* the first of the equal deltas */
    ASSERT_MS(s->max_jitter_ms, 0);
    ASSERT_MS(s->mean_jitter_ms, 0);
    g_assert_cmpuint(s->clock_rate, ==, 8000);
    g_assert_cmpuint(s->markers, ==, 1);
    g_assert_cmpstr(s->payload_names, ==, "g711U");
    g_assert_cmpuint(s->first_frame, ==, 1);
    g_assert_cmpuint(s->last_frame, ==, 10);
    g_assert_cmpint(s->last_ts - s->first_ts, ==, 180 * SL_TIME_MSEC);
}

/* Interarrival jitter by hand (RFC 3550 A.8 as Wireshark computes it):
 * arrivals 0, 20, 41, 60 ms with 20 ms of RTP time each:
 *   D = 0, 1, 1 -> J = 0, 1/16, (15/16 + 1)/16 = 0.12109375
 * mean over packets so far: (0)/1, (0 + 0.0625)/2, (0.03125*2 + J3)/3.
 * The same at 8, 16 and 48 kHz. */
static void
test_jitter_by_hand(void)
{
    static const struct {
        uint8_t pt;
        uint32_t step;
        const char *name;
        uint32_t rate;
    } clocks[] = {
        { 0, 160, "g711U", 8000 },
        { 6, 320, "DVI4 16k", 16000 },
        { 111, 960, "opus", 48000 },
    };
    for (size_t k = 0; k < G_N_ELEMENTS(clocks); k++) {
        const double at[] = { 0, 20, 41, 60 };
        Pkt p[4];
        for (int i = 0; i < 4; i++)
            p[i] = (Pkt){ at[i], clocks[k].pt, (uint16_t)i, 5000 + clocks[k].step * i, false };
        g_autoptr(RtpStreamTable) t = rtp_stream_table_new();
        SlAddr media;
        addr4(&media, 2, 5000);
        RtpPayloadMap map[] = { { 111, (char *)"opus", 48000 } };
        rtp_stream_table_expect(t, &media, 0, map, 1);
        const RtpStream *s = run_stream(t, p, 4);
        g_test_message("clock %u", clocks[k].rate);
        g_assert_cmpstr(s->payload_names, ==, clocks[k].name);
        g_assert_cmpuint(s->clock_rate, ==, clocks[k].rate);
        g_assert_true(s->from_sdp);
        ASSERT_MS(s->min_jitter_ms, 0);
        ASSERT_MS(s->max_jitter_ms, 0.12109375);
        ASSERT_MS(s->mean_jitter_ms, (0.03125 * 2 + 0.12109375) / 3);
        ASSERT_MS(s->min_delta_ms, 19);
        ASSERT_MS(s->max_delta_ms, 21);
        ASSERT_MS(s->mean_delta_ms, 20);
        g_assert_cmpuint(s->max_delta_frame, ==, 3);
        ASSERT_MS(s->max_skew_ms, -1); /* arrived 1 ms late at 41 ms */
    }
}

/* 44.1 kHz counts as 44 kHz in Wireshark: 882 samples are 20.045 ms. */
static void
test_integer_khz(void)
{
    Pkt p[2] = { { 0, 11, 1, 0, false }, { 20, 11, 2, 882, false } };
    g_autoptr(RtpStreamTable) t = rtp_stream_table_new();
    const RtpStream *s = run_stream(t, p, 2);
    g_assert_cmpuint(s->clock_rate, ==, 44100);
    ASSERT_MS(s->max_jitter_ms, fabs(20.0 - 882.0 / 44.0) / 16);
}

static void
test_loss_duplicate_reorder(void)
{
    static const struct {
        const char *name;
        uint16_t seqs[8];
        size_t n;
        int64_t expected, lost;
        uint64_t errors;
    } cases[] = {
        { "one lost", { 1, 2, 4, 5 }, 4, 5, 1, 1 },
        { "duplicate: negative loss", { 1, 2, 2, 3 }, 4, 3, -1, 1 },
        { "reordered", { 1, 2, 4, 3, 5 }, 5, 5, 0, 2 },
        { "wrap at 65535", { 65534, 65535, 0, 1 }, 4, 4, 0, 0 },
        { "wrap with a loss", { 65534, 0, 1 }, 3, 4, 1, 1 },
        /* the last number below the first one: a cycle is counted, as in
         * Wireshark (65536 + 50 - 100 + 1 expected) */
        { "last below first", { 100, 101, 102, 50 }, 4, 65487, 65483, 1 },
        /* far back (less than 0xFF00): late, and a cycle is counted */
        { "far back", { 65000, 65001, 10 }, 3, 547, 544, 1 },
    };
    for (size_t k = 0; k < G_N_ELEMENTS(cases); k++) {
        Pkt p[8];
        for (size_t i = 0; i < cases[k].n; i++)
            p[i] = (Pkt){ 20.0 * i, 8, cases[k].seqs[i], 160u * (uint32_t)i, false };
        g_autoptr(RtpStreamTable) t = rtp_stream_table_new();
        const RtpStream *s = run_stream(t, p, cases[k].n);
        g_test_message("case %s", cases[k].name);
        g_assert_cmpint(s->expected, ==, cases[k].expected);
        g_assert_cmpint(s->lost, ==, cases[k].lost);
        g_assert_cmpuint(s->seq_errors, ==, cases[k].errors);
        g_assert_cmpint(s->problem, ==, cases[k].errors != 0);
        g_assert_cmpstr(s->payload_names, ==, "g711A");
        ASSERT_MS(s->lost_pct, 100.0 * (double)cases[k].lost / (double)cases[k].expected);
    }
}

/* Time order is judged against the first packet's timestamp, modulo 2^32:
 * a wrap is fine, a timestamp 2^31 or more ahead is out of time. */
static void
test_timestamp_order(void)
{
    Pkt wrap[40];
    for (int i = 0; i < 40; i++)
        wrap[i] = (Pkt){ 20.0 * i, 0, (uint16_t)i, 0xfffff000u + 160u * (uint32_t)i, false };
    g_autoptr(RtpStreamTable) t1 = rtp_stream_table_new();
    const RtpStream *s = run_stream(t1, wrap, 40);
    g_assert_false(s->problem);
    ASSERT_MS(s->max_jitter_ms, 0);

    Pkt far[5] = { { 0, 0, 1, 5000, false },
                   { 20, 0, 2, 5160, false },
                   { 40, 0, 3, 5000 + 0x90000000u, false },
                   { 60, 0, 4, 5480, false },
                   { 80, 0, 5, 5640, false } };
    g_autoptr(RtpStreamTable) t2 = rtp_stream_table_new();
    s = run_stream(t2, far, 5);
    g_assert_true(s->problem); /* wrong timestamp */
    /* the out-of-time packet does not advance the sequence reference, so
     * the next one looks like a jump */
    g_assert_cmpuint(s->seq_errors, ==, 1);
    g_assert_cmpint(s->lost, ==, 0);
    ASSERT_MS(s->max_jitter_ms, 0); /* the far one is skipped */
    ASSERT_MS(s->max_delta_ms, 40); /* at 60 ms, against the last in-time packet at 20 */

    /* back to the first timestamp is still "in time" for Wireshark */
    Pkt back[3] = { { 0, 0, 1, 1000, false }, { 20, 0, 2, 1160, false },
                    { 40, 0, 3, 1000, false } };
    g_autoptr(RtpStreamTable) t3 = rtp_stream_table_new();
    s = run_stream(t3, back, 3);
    g_assert_false(s->problem);
    ASSERT_MS(s->max_jitter_ms, 40.0 / 16);
}

/* Marker, comfort noise and the packet after it stay out of delta and
 * jitter; payload names come in payload type order. */
static void
test_marker_cn_pt_change(void)
{
    Pkt p[] = {
        { 0, 8, 1, 0, true },
        { 20, 8, 2, 160, false },
        { 40, 8, 3, 320, false },
        { 540, 13, 4, 4320, false },  /* CN after a 500 ms silence: not regular */
        { 560, 8, 5, 4480, true },    /* follows CN, marker: not regular */
        { 1000, 8, 6, 8000, true },   /* talkspurt after 440 ms: marker, not regular */
        { 1020, 0, 7, 8160, false },  /* PT change, regular */
    };
    g_autoptr(RtpStreamTable) t = rtp_stream_table_new();
    const RtpStream *s = run_stream(t, p, G_N_ELEMENTS(p));
    g_assert_cmpstr(s->payload_names, ==, "g711U, g711A, CN");
    g_assert_cmpuint(s->payload_types->len, ==, 3);
    g_assert_cmpuint(g_array_index(s->payload_types, guint8, 0), ==, 8);
    g_assert_cmpuint(g_array_index(s->payload_types, guint8, 1), ==, 13);
    g_assert_cmpuint(g_array_index(s->payload_types, guint8, 2), ==, 0);
    g_assert_cmpuint(s->markers, ==, 3);
    g_assert_cmpuint(s->pt_changes, ==, 3);
    ASSERT_MS(s->max_delta_ms, 20);
    ASSERT_MS(s->min_delta_ms, 20);
    g_assert_cmpuint(s->max_delta_frame, ==, 2);
    g_assert_false(s->problem);
}

/* RFC 4733 events: named by SDP, rate 0, so they do not move the RTP time
 * reference; the audio packet after them is measured against the last
 * audio timestamp and the last packet's arrival (figures as tshark). */
static void
test_telephone_event(void)
{
    Pkt p[] = {
        { 0, 0, 10, 1000, false },   { 20, 0, 11, 1160, false },
        { 40, 101, 12, 1320, false }, { 60, 101, 13, 1320, false },
        { 80, 0, 14, 1200, false },  { 100, 0, 15, 1640, false },
    };
    g_autoptr(RtpStreamTable) t = rtp_stream_table_new();
    SlAddr media;
    addr4(&media, 2, 5000);
    RtpPayloadMap map[] = { { 101, (char *)"telephone-event", 8000 } };
    rtp_stream_table_expect(t, &media, 0, map, 1);
    const RtpStream *s = run_stream(t, p, G_N_ELEMENTS(p));
    g_assert_cmpstr(s->payload_names, ==, "g711U, telephone-event");
    ASSERT_MS(s->min_delta_ms, 20);
    ASSERT_MS(s->max_delta_ms, 20);
    /* D at the 5th packet: |20 - (200/8 - 20)| = 15 -> J = 0.9375;
     * 6th: |20 - (640/8 - 25)| = 35 -> J = (15 * 0.9375 + 35) / 16 */
    ASSERT_MS(s->min_jitter_ms, 0);
    ASSERT_MS(s->max_jitter_ms, (15 * 0.9375 + 35) / 16);
    ASSERT_MS(s->mean_jitter_ms, 0.80078125);
    g_assert_false(s->problem);

    /* Without SDP, PT 101 is Wireshark's "rtpevent", 99 "rtp.rfc2198",
     * other dynamic types "RTPType-<n>"; none of them has a rate. */
    g_autoptr(RtpStreamTable) t2 = rtp_stream_table_new();
    Feed f = { .t = t2 };
    const uint8_t pts[] = { 99, 100, 101, 96, 127 };
    for (size_t i = 0; i < G_N_ELEMENTS(pts); i++)
        for (int k = 0; k < 3; k++)
            g_assert_true(offer(&f, 1, (uint16_t)(6000 + 2 * i), 2, 7000, (uint32_t)i,
                                &(Pkt){ 20.0 * k, pts[i], (uint16_t)k, 160u * k, false }));
    rtp_stream_table_finish(t2);
    GPtrArray *streams = rtp_stream_table_streams(t2);
    g_assert_cmpuint(streams->len, ==, 5);
    const char *names[] = { "rtp.rfc2198", "rtpevent", "rtpevent", "RTPType-96", "RTPType-127" };
    for (guint i = 0; i < streams->len; i++) {
        const RtpStream *st = g_ptr_array_index(streams, i);
        g_assert_cmpstr(st->payload_names, ==, names[i]);
        g_assert_cmpuint(st->clock_rate, ==, 0);
        g_assert_false(st->has_jitter);
        g_assert_true(st->has_delta);
    }
}

/* SDP decides what is RTP: T.38 media is not, claimed ports are not
 * without SDP, PT 72..76 only with SDP, marker + 64..95 never (RTCP). */
static void
test_detection(void)
{
    g_autoptr(RtpStreamTable) t = rtp_stream_table_new();
    Feed f = { .t = t };
    Pkt pcmu = { 0, 0, 1, 160, false };
    Pkt pt72 = { 0, 72, 1, 160, false };
    Pkt sr = { 0, 72, 1, 160, true };

    g_assert_false(offer(&f, 1, 2000, 2, 53, 1, &pcmu));   /* DNS port */
    g_assert_false(offer(&f, 1, 137, 2, 40000, 1, &pcmu)); /* NBNS port */
    g_assert_false(offer(&f, 1, 2000, 2, 3000, 1, &pt72)); /* heuristic: RTCP range */
    g_assert_false(offer(&f, 1, 2000, 2, 3000, 1, &sr));

    SlAddr dns, media, fax;
    addr4(&dns, 2, 53);
    addr4(&media, 2, 3000);
    addr4(&fax, 2, 4000);
    rtp_stream_table_expect(t, &dns, 0, NULL, 0);
    rtp_stream_table_expect(t, &media, 0, NULL, 0);
    rtp_stream_table_expect_not_rtp(t, &fax, 0);
    g_assert_true(offer(&f, 1, 2000, 2, 53, 1, &pcmu));
    g_assert_true(offer(&f, 1, 2000, 2, 3000, 2, &pt72));
    g_assert_false(offer(&f, 1, 2000, 2, 3000, 3, &sr));
    g_assert_false(offer(&f, 1, 2000, 2, 4000, 4, &pcmu));
    g_assert_false(offer(&f, 2, 4000, 1, 2000, 4, &pcmu)); /* from the T.38 media too */
    /* RTP again at the T.38 address after a newer RTP offer */
    rtp_stream_table_expect(t, &fax, 1, NULL, 0);
    g_assert_true(offer(&f, 1, 2000, 2, 4000, 4, &pcmu));
    /* from an announced address (symmetric RTP) is RTP as well */
    g_assert_true(offer(&f, 2, 3000, 1, 53, 5, &pcmu));

    const RtpStreamTableStats *st = rtp_stream_table_stats(t);
    g_assert_cmpuint(st->rtp, ==, 4);
    g_assert_cmpuint(st->rtcp_conflict, ==, 2);
    g_assert_cmpuint(st->not_rtp_sdp, ==, 2);
    g_assert_cmpuint(st->claimed_port, ==, 2);
    rtp_stream_table_finish(t);
    GPtrArray *streams = rtp_stream_table_streams(t);
    g_assert_cmpuint(streams->len, ==, 4);
    const RtpStream *s = g_ptr_array_index(streams, 1);
    g_assert_true(s->from_sdp);
    g_assert_cmpstr(s->payload_names, ==, "Reserved for RTCP conflict avoidance");
}

/* SDP names dynamic types only through its map; a type missing from the
 * map is RTPType-<n>; a heuristic conversation made before the SDP keeps
 * hiding it (Wireshark looks that one up first); the newest setup wins. */
static void
test_sdp_maps(void)
{
    g_autoptr(RtpStreamTable) t = rtp_stream_table_new();
    Feed f = { .t = t };
    SlAddr a;
    addr4(&a, 2, 5000);
    Pkt ev = { 0, 101, 1, 160, false };
    Pkt ev2 = { 20, 101, 2, 320, false };
    /* before any SDP: heuristic, rtpevent */
    g_assert_true(offer(&f, 1, 4000, 2, 5000, 1, &ev));
    /* RTCP XR (marker + PT 79) passes the heuristic, so it makes the
     * conversation before being found to be RTCP (checked with tshark) */
    g_assert_false(offer(&f, 3, 4008, 2, 5000, 9, &(Pkt){ 0, 79, 1, 0, true }));
    RtpPayloadMap map[] = { { 101, (char *)"telephone-event", 8000 },
                            { 96, (char *)"speex", 16000 } };
    rtp_stream_table_expect(t, &a, 10, map, 2);
    g_assert_true(offer(&f, 1, 4000, 2, 5000, 1, &ev2));      /* still hidden */
    g_assert_true(offer(&f, 1, 4002, 2, 5000, 2, &ev));       /* other port: SDP */
    g_assert_true(offer(&f, 1, 4002, 2, 5000, 2, &(Pkt){ 20, 96, 2, 480, false }));
    g_assert_true(offer(&f, 1, 4002, 2, 5000, 2, &(Pkt){ 40, 97, 3, 800, false }));
    /* an older setup does not replace the newer one */
    RtpPayloadMap other[] = { { 101, (char *)"foo", 8000 } };
    rtp_stream_table_expect(t, &a, 5, other, 1);
    g_assert_true(offer(&f, 1, 4004, 2, 5000, 3, &ev));
    /* a newer one does */
    rtp_stream_table_expect(t, &a, 20, other, 1);
    g_assert_true(offer(&f, 1, 4006, 2, 5000, 4, &ev));
    g_assert_true(offer(&f, 1, 4006, 2, 5000, 4, &ev2));
    g_assert_true(offer(&f, 3, 4008, 2, 5000, 5, &ev));
    rtp_stream_table_finish(t);
    GPtrArray *streams = rtp_stream_table_streams(t);
    g_assert_cmpuint(streams->len, ==, 5);
    const RtpStream *s1 = g_ptr_array_index(streams, 0), *s2 = g_ptr_array_index(streams, 1),
                    *s3 = g_ptr_array_index(streams, 2), *s4 = g_ptr_array_index(streams, 3),
                    *s5 = g_ptr_array_index(streams, 4);
    g_assert_cmpstr(s5->payload_names, ==, "rtpevent");
    g_assert_true(s5->from_sdp);
    g_assert_cmpstr(s1->payload_names, ==, "rtpevent");
    g_assert_true(s1->from_sdp); /* the second packet came through the SDP media */
    g_assert_cmpstr(s2->payload_names, ==, "speex, RTPType-97, telephone-event");
    g_assert_cmpuint(s2->clock_rate, ==, 16000); /* the rtpmap rate of speex */
    g_assert_cmpstr(s3->payload_names, ==, "telephone-event");
    g_assert_cmpstr(s4->payload_names, ==, "foo");
    g_assert_cmpuint(s4->clock_rate, ==, 8000);
}

static void
test_limits_and_hint(void)
{
    g_autoptr(RtpStreamTable) t = rtp_stream_table_new();
    rtp_stream_table_set_limits(t, 2, 0);
    Feed f = { .t = t };
    Pkt p = { 0, 0, 1, 160, false };
    g_assert_true(offer(&f, 1, 4000, 2, 5000, 1, &p));
    g_assert_true(offer(&f, 1, 4000, 2, 5000, 2, &p));
    g_assert_false(offer(&f, 1, 4000, 2, 5000, 3, &p));
    g_assert_cmpuint(rtp_stream_table_stats(t)->streams_limit, ==, 1);
    rtp_stream_table_finish(t);
    GPtrArray *streams = rtp_stream_table_streams(t);
    g_assert_cmpuint(streams->len, ==, 2);
    const RtpStream *s = g_ptr_array_index(streams, 0);
    g_assert_cmpuint(s->ssrc_changes_hint, ==, 1);
    /* a single packet: nothing measured (tshark prints -1 / 0 / 0) */
    g_assert_false(s->has_delta);
    g_assert_false(s->has_jitter);
    ASSERT_MS(s->min_delta_ms, -1);
    g_assert_cmpint(s->expected, ==, 1);
    /* after finish nothing is taken */
    g_assert_false(offer(&f, 1, 4000, 2, 5000, 1, &p));

    /* non-UDP and non-RTP payloads are refused without creating anything */
    g_autoptr(RtpStreamTable) t2 = rtp_stream_table_new();
    CapPacket pkt = { 0 };
    pkt.transport = CAP_TRANSPORT_TCP;
    pkt.payload = sl_view_make(basic, sizeof basic);
    g_assert_false(rtp_stream_table_packet(t2, &pkt));
    pkt.transport = CAP_TRANSPORT_UDP;
    pkt.payload = sl_view_make(version1, sizeof version1);
    g_assert_false(rtp_stream_table_packet(t2, &pkt));
    pkt.payload = sl_view_make(NULL, 0);
    g_assert_false(rtp_stream_table_packet(t2, &pkt));
    rtp_stream_table_finish(t2);
    g_assert_cmpuint(rtp_stream_table_streams(t2)->len, ==, 0);
    g_assert_cmpuint(rtp_stream_table_stats(t2)->offered, ==, 3);
}

/* Padding as Wireshark taps it: a count longer than the payload only
 * through SDP; a count of 0, an empty payload, or a frame cut by the
 * snaplen never. */
static bool
offer_raw(RtpStreamTable *t, uint16_t dport, const uint8_t *bytes, size_t len, bool cut)
{
    CapPacket pkt = { 0 };
    pkt.frame = 1;
    pkt.ts = T0;
    pkt.transport = CAP_TRANSPORT_UDP;
    pkt.flags = cut ? CAP_PKT_TRUNCATED : 0;
    addr4(&pkt.src, 1, 4000);
    addr4(&pkt.dst, 2, dport);
    pkt.payload = sl_view_make(bytes, len);
    return rtp_stream_table_packet(t, &pkt);
}

static void
test_padding_paths(void)
{
    g_autoptr(RtpStreamTable) t = rtp_stream_table_new();
    SlAddr media;
    addr4(&media, 2, 5000);
    rtp_stream_table_expect(t, &media, 0, NULL, 0);
    /* heuristic (port 6000) and SDP (port 5000) */
    g_assert_true(offer_raw(t, 6000, pad4, sizeof pad4, false));
    g_assert_true(offer_raw(t, 5000, pad4, sizeof pad4, false));
    g_assert_false(offer_raw(t, 6000, pad_long, sizeof pad_long, false));
    g_assert_true(offer_raw(t, 5000, pad_long, sizeof pad_long, false));
    g_assert_false(offer_raw(t, 6000, pad0, sizeof pad0, false));
    g_assert_false(offer_raw(t, 5000, pad0, sizeof pad0, false));
    g_assert_false(offer_raw(t, 5000, pad4, 12, false)); /* nothing after the header */
    g_assert_false(offer_raw(t, 6000, pad4, sizeof pad4, true));
    g_assert_false(offer_raw(t, 5000, pad4, sizeof pad4, true));
    /* without P, a cut frame is fine once the header is there */
    g_assert_true(offer_raw(t, 6000, basic, sizeof basic, true));
    g_assert_false(offer_raw(t, 6000, csrc_cut, sizeof csrc_cut, true));
    /* what passed the heuristic or came through SDP but is not tapped */
    g_assert_cmpuint(rtp_stream_table_stats(t)->malformed, ==, 4);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rtp/header-table", test_hdr_table);
    g_test_add_func("/rtp/every-prefix", test_every_prefix);
    g_test_add_func("/rtp/classifiers", test_classifiers);
    g_test_add_func("/rtp-stream/no-loss", test_no_loss);
    g_test_add_func("/rtp-stream/jitter-by-hand", test_jitter_by_hand);
    g_test_add_func("/rtp-stream/integer-khz", test_integer_khz);
    g_test_add_func("/rtp-stream/loss-duplicate-reorder", test_loss_duplicate_reorder);
    g_test_add_func("/rtp-stream/timestamp-order", test_timestamp_order);
    g_test_add_func("/rtp-stream/marker-cn-pt-change", test_marker_cn_pt_change);
    g_test_add_func("/rtp-stream/telephone-event", test_telephone_event);
    g_test_add_func("/rtp-stream/detection", test_detection);
    g_test_add_func("/rtp-stream/sdp-maps", test_sdp_maps);
    g_test_add_func("/rtp-stream/limits-and-hint", test_limits_and_hint);
    g_test_add_func("/rtp-stream/padding-paths", test_padding_paths);
    return g_test_run();
}
