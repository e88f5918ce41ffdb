/* Unit tests: streams bound to calls through SDP, media findings, MOS and
 * DTMF collection (correlate/corr-media.c). */
#include <string.h>

#include "corr-media.h"

#define CRLF "\r\n"

static void
feed(CorrEngine *e, uint64_t frame, int64_t ms, const char *src, const char *dst, const char *text)
{
    SipMsg *m = g_new0(SipMsg, 1);
    SlView v = sl_view_from_str(text);
    g_assert_cmpint(sip_msg_parse(v, SIP_FRAMING_DATAGRAM, NULL, m), ==, SL_OK);
    CapPacket pkt = { 0 };
    pkt.frame = frame;
    pkt.ts = (SlTime)ms * SL_TIME_MSEC + (SlTime)1000 * SL_TIME_SECOND;
    g_assert_true(sl_addr_parse(src, &pkt.src));
    g_assert_true(sl_addr_parse(dst, &pkt.dst));
    pkt.transport = CAP_TRANSPORT_UDP;
    pkt.ip_id = (uint16_t)frame;
    SipFound f = { &pkt, m, SL_OK, SIP_TRANSPORT_UDP };
    corr_engine_feed(e, &f);
    g_free(m);
}

static char *
msg(const char *start, const char *cseq, const char *to_tag, const char *sdp_addr, int port,
    const char *pts)
{
    g_autofree char *body = sdp_addr ? g_strdup_printf("v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\n"
                                                       "c=IN IP4 %s\r\nt=0 0\r\n"
                                                       "m=audio %d RTP/AVP %s\r\n",
                                                       sdp_addr, sdp_addr, port, pts)
                                     : g_strdup("");
    return g_strdup_printf("%s" CRLF "Via: SIP/2.0/UDP 10.0.0.10;branch=z9hG4bK-%s" CRLF
                           "From: <sip:1001@a>;tag=fa" CRLF "To: <sip:2002@b>%s%s" CRLF
                           "Call-ID: media-1" CRLF "CSeq: %s" CRLF "%s"
                           "Content-Length: %zu" CRLF CRLF "%s",
                           start, cseq, to_tag ? ";tag=" : "", to_tag ? to_tag : "", cseq,
                           sdp_addr ? "Content-Type: application/sdp" CRLF : "", strlen(body),
                           body);
}

/* A calls B and B answers @answer_pts (payload types, then attribute lines). */
static CorrEngine *
call_with_answer(const char *answer_pts)
{
    CorrEngine *e = corr_engine_new(NULL);
    const char *A = "10.0.0.10:5060", *B = "10.0.0.50:5060";
    g_autofree char *inv = msg("INVITE sip:2002@b SIP/2.0", "1 INVITE", NULL, "10.0.0.10", 6000, "0 8");
    g_autofree char *ok = msg("SIP/2.0 200 OK", "1 INVITE", "tb", "10.0.0.50", 7000, answer_pts);
    g_autofree char *ack = msg("ACK sip:2002@b SIP/2.0", "1 ACK", "tb", NULL, 0, NULL);
    feed(e, 1, 0, A, B, inv);
    feed(e, 2, 1000, B, A, ok);
    feed(e, 3, 1010, A, B, ack);
    corr_engine_finish(e);
    return e;
}

/* A answers B: A offers 10.0.0.10:6000 (PCMU, PCMA), B answers 10.0.0.50:7000
 * (PCMU); answered at 1 s, BYE from A at 10 s. */
static CorrEngine *
one_call(void)
{
    CorrEngine *e = corr_engine_new(NULL);
    const char *A = "10.0.0.10:5060", *B = "10.0.0.50:5060";
    g_autofree char *inv = msg("INVITE sip:2002@b SIP/2.0", "1 INVITE", NULL, "10.0.0.10", 6000, "0 8");
    g_autofree char *ok = msg("SIP/2.0 200 OK", "1 INVITE", "tb", "10.0.0.50", 7000, "0");
    g_autofree char *ack = msg("ACK sip:2002@b SIP/2.0", "1 ACK", "tb", NULL, 0, NULL);
    g_autofree char *bye = msg("BYE sip:2002@b SIP/2.0", "2 BYE", "tb", NULL, 0, NULL);
    g_autofree char *bok = msg("SIP/2.0 200 OK", "2 BYE", "tb", NULL, 0, NULL);
    feed(e, 1, 0, A, B, inv);
    feed(e, 2, 1000, B, A, ok);
    feed(e, 3, 1010, A, B, ack);
    feed(e, 900, 10000, A, B, bye);
    feed(e, 901, 10010, B, A, bok);
    corr_engine_finish(e);
    return e;
}

static RtpStream *
stream(guint id, const char *src, const char *dst, uint32_t ssrc, int64_t from_ms, int64_t to_ms,
       unsigned pt)
{
    RtpStream *s = g_new0(RtpStream, 1);
    s->id = id;
    sl_addr_parse(src, &s->src);
    sl_addr_parse(dst, &s->dst);
    s->ssrc = ssrc;
    s->first_ts = (SlTime)from_ms * SL_TIME_MSEC + (SlTime)1000 * SL_TIME_SECOND;
    s->last_ts = (SlTime)to_ms * SL_TIME_MSEC + (SlTime)1000 * SL_TIME_SECOND;
    s->first_frame = 10 + id;
    s->last_frame = 800 + id;
    s->payload_types = g_array_new(FALSE, FALSE, sizeof(guint8));
    guint8 p = (guint8)pt;
    g_array_append_val(s->payload_types, p);
    s->clock_rate = 8000;
    s->packets = 450;
    s->has_delta = s->has_jitter = true;
    s->mean_delta_ms = 20;
    s->max_delta_ms = 40;
    s->mean_jitter_ms = 1;
    rtp_quality_init(&s->quality);
    for (int k = 0; k < 450; k++)
        rtp_quality_packet(&s->quality, (SlTime)k * 20 * SL_TIME_MSEC, (uint16_t)k,
                           (uint32_t)k * 160, 8000);
    return s;
}

static void
stream_free(gpointer p)
{
    RtpStream *s = p;
    g_array_unref(s->payload_types);
    g_free(s);
}

static bool
has_finding(const CorrCall *c, const char *kind, guint stream_id)
{
    for (guint i = 0; c->findings && i < c->findings->len; i++) {
        const CorrFinding *f = g_ptr_array_index(c->findings, i);
        if (strcmp(f->kind, kind) == 0 && f->stream == stream_id)
            return true;
    }
    return false;
}

static void
test_bind_and_quality(void)
{
    g_autoptr(CorrEngine) e = one_call();
    GPtrArray *streams = g_ptr_array_new_with_free_func(stream_free);
    g_ptr_array_add(streams, stream(1, "10.0.0.10:6000", "10.0.0.50:7000", 0x111, 1100, 9900, 0));
    g_ptr_array_add(streams, stream(2, "10.0.0.50:7000", "10.0.0.10:6000", 0x222, 1100, 9900, 0));
    g_ptr_array_add(streams, stream(3, "10.9.9.9:4000", "10.9.9.8:4002", 0x333, 1100, 9900, 0));
    CorrStreamInfo *info = corr_media_bind(e, streams, NULL);
    CorrCall *c = corr_engine_call_by_id(e, 1);
    g_assert_nonnull(c);
    g_assert_true(info[0].call == c && info[1].call == c);
    g_assert_null(info[2].call); /* nobody announced it */
    g_assert_cmpuint(c->streams->len, ==, 2);
    g_assert_cmpstr(info[0].codec, ==, "PCMU");
    g_assert_cmpfloat_with_epsilon(info[0].r_factor, 93.2, 1e-9); /* no loss, short delay */
    g_assert_cmpfloat_with_epsilon(c->mos_worst, rtp_emodel_mos(93.2), 1e-9);
    g_assert_false(has_finding(c, "one-way-audio", 1));
    for (guint i = 0; c->findings && i < c->findings->len; i++)
        g_error("unexpected finding %s", ((CorrFinding *)g_ptr_array_index(c->findings, i))->kind);
    g_free(info);
    g_ptr_array_unref(streams);
}

static void
test_findings(void)
{
    g_autoptr(CorrEngine) e = one_call();
    GPtrArray *streams = g_ptr_array_new_with_free_func(stream_free);
    /* only A -> B (one-way audio), from a NATed port, with PT 18 that
     * nobody offered, a 1.5 s gap, 7 % loss, and still running 3 s after
     * the BYE; then the same direction with another SSRC */
    RtpStream *s = stream(1, "10.0.0.10:16000", "10.0.0.50:7000", 0x111, 1100, 13000, 18);
    s->max_delta_ms = 1500;
    s->max_delta_frame = 77;
    s->lost_pct = 7;
    g_ptr_array_add(streams, s);
    g_ptr_array_add(streams, stream(2, "10.0.0.10:16000", "10.0.0.50:7000", 0x999, 5000, 9000, 0));
    CorrStreamInfo *info = corr_media_bind(e, streams, NULL);
    CorrCall *c = corr_engine_call_by_id(e, 1);
    g_assert_true(has_finding(c, "one-way-audio", 1));
    g_assert_true(has_finding(c, "nat", 1));
    g_assert_true(has_finding(c, "payload-type", 1));
    g_assert_false(has_finding(c, "payload-type", 2));
    g_assert_true(has_finding(c, "gap", 1));
    g_assert_true(has_finding(c, "packet-loss", 1));
    g_assert_true(has_finding(c, "media-after-bye", 1));
    g_assert_false(has_finding(c, "media-after-bye", 2));
    g_assert_true(has_finding(c, "ssrc-change", 2));
    for (guint i = 0; i < c->findings->len; i++) {
        const CorrFinding *f = g_ptr_array_index(c->findings, i);
        if (strcmp(f->kind, "gap") == 0)
            g_assert_cmpuint(f->frame, ==, 77);
    }
    g_free(info);
    g_ptr_array_unref(streams);
}

static void
test_unannounced_port(void)
{
    g_autoptr(CorrEngine) e = one_call();
    GPtrArray *streams = g_ptr_array_new_with_free_func(stream_free);
    /* to B's address but another port: bound by address, flagged */
    g_ptr_array_add(streams, stream(1, "10.0.0.10:6000", "10.0.0.50:7100", 0x111, 1100, 9000, 0));
    CorrStreamInfo *info = corr_media_bind(e, streams, NULL);
    CorrCall *c = corr_engine_call_by_id(e, 1);
    g_assert_true(info[0].call == c);
    g_assert_true(has_finding(c, "unannounced-port", 1));
    g_free(info);
    g_ptr_array_unref(streams);
}

static void
test_hold_is_not_one_way_audio(void)
{
    for (int hold = 0; hold < 2; hold++) {
        g_autoptr(CorrEngine) e = call_with_answer(hold ? "0\r\na=sendonly" : "0");
        GPtrArray *streams = g_ptr_array_new_with_free_func(stream_free);
        g_ptr_array_add(streams, stream(1, "10.0.0.50:7000", "10.0.0.10:6000", 0x1, 1100, 9000, 0));
        CorrStreamInfo *info = corr_media_bind(e, streams, NULL);
        CorrCall *c = corr_engine_call_by_id(e, 1);
        g_assert_cmpint(c->state, ==, CORR_STATE_IN_CALL);
        g_assert_cmpint(has_finding(c, "one-way-audio", 1), ==, !hold);
        g_free(info);
        g_ptr_array_unref(streams);
    }
}

static void
test_dtmf_collector(void)
{
    g_autoptr(CorrEngine) e = one_call();
    GPtrArray *streams = g_ptr_array_new_with_free_func(stream_free);
    RtpStream *s = stream(1, "10.0.0.10:6000", "10.0.0.50:7000", 0x111, 1100, 9000, 0);
    g_ptr_array_add(streams, s);
    g_ptr_array_add(streams, stream(2, "10.0.0.50:7000", "10.0.0.10:6000", 0x222, 1100, 9000, 0));
    CorrMediaCollector *col = corr_media_collector_new();
    /* digit 5 in three packets (one RTP timestamp), then # */
    static const struct { uint8_t ev, flags; uint16_t dur; uint32_t ts; } pk[] = {
        { 5, 10, 160, 8000 }, { 5, 10, 320, 8000 }, { 5, 0x80 | 10, 800, 8000 },
        { 11, 0x80 | 12, 400, 16000 },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(pk); i++) {
        uint8_t raw[16] = { 0x80, 101, 0, (uint8_t)i, (uint8_t)(pk[i].ts >> 24),
                            (uint8_t)(pk[i].ts >> 16), (uint8_t)(pk[i].ts >> 8), (uint8_t)pk[i].ts,
                            0, 0, 1, 0x11, pk[i].ev, pk[i].flags, (uint8_t)(pk[i].dur >> 8),
                            (uint8_t)pk[i].dur };
        CapPacket pkt = { 0 };
        pkt.frame = 100 + i;
        pkt.ts = s->first_ts + (SlTime)i * 20 * SL_TIME_MSEC;
        pkt.src = s->src;
        pkt.payload = sl_view_make(raw, sizeof raw);
        corr_media_packet(s, &pkt, sl_view_make(raw + 12, 4), 101, "telephone-event", 8000, col);
        corr_media_packet(s, &pkt, sl_view_make(raw + 12, 4), 0, "PCMU", 8000, col); /* ignored */
    }
    CorrStreamInfo *info = corr_media_bind(e, streams, col);
    CorrCall *c = corr_engine_call_by_id(e, 1);
    g_assert_nonnull(c->dtmf);
    g_assert_cmpuint(c->dtmf->len, ==, 2);
    const CorrDtmf *d0 = &g_array_index(c->dtmf, CorrDtmf, 0);
    g_assert_cmpint(d0->digit, ==, '5');
    g_assert_cmpuint(d0->frame, ==, 100);
    g_assert_cmpuint(d0->duration_ms, ==, 100); /* 800 / 8000 s */
    g_assert_cmpint(d0->volume, ==, 10);
    g_assert_cmpint(g_array_index(c->dtmf, CorrDtmf, 1).digit, ==, '#');
    corr_media_collector_free(col);
    g_free(info);
    g_ptr_array_unref(streams);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/media/bind-and-quality", test_bind_and_quality);
    g_test_add_func("/media/findings", test_findings);
    g_test_add_func("/media/unannounced-port", test_unannounced_port);
    g_test_add_func("/media/dtmf", test_dtmf_collector);
    g_test_add_func("/media/hold", test_hold_is_not_one_way_audio);
    return g_test_run();
}
