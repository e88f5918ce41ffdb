/* sipladder: unit tests for ladder/ (ladder-layout.c, ladder-aliases.c,
 * ladder-draw.c, ladder-text.c): columns and their order, rows in time
 * order, arrows with labels, CSeq and SDP summaries, retransmissions,
 * hops tied across a proxy, compressed silences, merged ports, aliases,
 * hit tests, and packet text that stays inert in SVG and text output.
 *
 * Messages are written as text, parsed with sip_msg_parse() and fed to the
 * correlation engine with made-up packets (time, addresses, frame). */
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "corr.h"
#include "ladder.h"
#include "ladder-private.h"
#include "sip-msg.h"

#define CRLF "\r\n"
#define T0 ((SlTime)1700000000 * SL_TIME_SECOND)

#define UAC "10.0.0.10:5060"
#define PROXY "10.0.0.20:5060"
#define GW "10.0.0.50:5060"

typedef struct {
    int64_t ms;           /* after T0 */
    const char *src, *dst;
    const char *first;    /* request or status line */
    const char *vias;     /* "host:port;branch=x|..." */
    const char *cseq;     /* "1 INVITE" */
    const char *ttag;     /* To tag or NULL */
    const char *sdp;      /* "ip:port" of m=audio, or NULL */
    const char *from;     /* From header value; NULL for the default */
} Msg;

static CorrEngine *engine;
static uint64_t frame;

static void
feed(const Msg *m)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "%s" CRLF, m->first);
    g_auto(GStrv) vias = g_strsplit(m->vias, "|", -1);
    for (guint i = 0; vias[i]; i++)
        g_string_append_printf(s, "Via: SIP/2.0/UDP %s" CRLF, vias[i]);
    g_string_append_printf(s, "From: %s;tag=fa" CRLF,
                           m->from ? m->from : "<sip:1001@example.com>");
    g_string_append_printf(s, "To: <sip:2002@example.com>%s%s" CRLF, m->ttag ? ";tag=" : "",
                           m->ttag ? m->ttag : "");
    g_string_append(s, "Call-ID: ladder-1@10.0.0.10" CRLF);
    g_string_append_printf(s, "CSeq: %s" CRLF, m->cseq);
    g_string_append(s, "User-Agent: TestPhone/1.0 (unit)" CRLF);
    g_autofree char *body = NULL;
    if (m->sdp) {
        g_auto(GStrv) hp = g_strsplit(m->sdp, ":", 2);
        body = g_strdup_printf("v=0" CRLF "o=- 1 1 IN IP4 %s" CRLF "s=-" CRLF "c=IN IP4 %s" CRLF
                               "t=0 0" CRLF "m=audio %s RTP/AVP 0 18" CRLF
                               "a=rtpmap:0 PCMU/8000" CRLF "a=rtpmap:18 G729/8000" CRLF
                               "a=sendonly" CRLF,
                               hp[0], hp[0], hp[1]);
        g_string_append(s, "Content-Type: application/sdp" CRLF);
    }
    g_string_append_printf(s, "Content-Length: %zu" CRLF CRLF, body ? strlen(body) : 0);
    if (body)
        g_string_append(s, body);
    g_autofree char *text = g_string_free(s, FALSE);
    g_autofree SipMsg *sm = g_new0(SipMsg, 1);
    SlStatus st = sip_msg_parse(sl_view_from_str(text), SIP_FRAMING_DATAGRAM, NULL, sm);
    g_assert_cmpint(st, ==, SL_OK);
    CapPacket pkt = { 0 };
    pkt.frame = ++frame;
    pkt.ts = T0 + m->ms * SL_TIME_MSEC;
    pkt.ip_id = (uint16_t)frame;
    g_assert_true(sl_addr_parse(m->src, &pkt.src));
    g_assert_true(sl_addr_parse(m->dst, &pkt.dst));
    pkt.transport = CAP_TRANSPORT_UDP;
    pkt.payload = sl_view_from_str(text);
    SipFound f = { .pkt = &pkt, .msg = sm, .status = SL_OK, .transport = SIP_TRANSPORT_UDP };
    corr_engine_feed(engine, &f);
}

#define DISPLAY_MARKUP "\"<script>alert(1)</script> & co\" <sip:1001@example.com>"

/* Flow 2 of SCENARIOS.md with a retransmitted 200 and a 20 s silence
 * before the BYE. */
static const Msg proxy_flow[] = {
    { 0, UAC, PROXY, "INVITE sip:2002@10.0.0.20 SIP/2.0", UAC ";branch=z9hG4bK-a1", "1 INVITE",
      NULL, "10.0.0.10:6000", DISPLAY_MARKUP },
    { 1, PROXY, UAC, "SIP/2.0 100 Trying", UAC ";branch=z9hG4bK-a1", "1 INVITE", NULL, NULL,
      DISPLAY_MARKUP },
    { 2, PROXY, GW, "INVITE sip:2002@10.0.0.50 SIP/2.0",
      PROXY ";branch=z9hG4bK-p1|" UAC ";branch=z9hG4bK-a1", "1 INVITE", NULL, "10.0.0.10:6000",
      DISPLAY_MARKUP },
    { 3, GW, PROXY, "SIP/2.0 180 Ringing", PROXY ";branch=z9hG4bK-p1|" UAC ";branch=z9hG4bK-a1",
      "1 INVITE", "gw1", NULL, DISPLAY_MARKUP },
    { 4, PROXY, UAC, "SIP/2.0 180 Ringing", UAC ";branch=z9hG4bK-a1", "1 INVITE", "gw1", NULL,
      DISPLAY_MARKUP },
    { 1000, GW, PROXY, "SIP/2.0 200 OK", PROXY ";branch=z9hG4bK-p1|" UAC ";branch=z9hG4bK-a1",
      "1 INVITE", "gw1", "10.0.0.50:7000", DISPLAY_MARKUP },
    { 1001, PROXY, UAC, "SIP/2.0 200 OK", UAC ";branch=z9hG4bK-a1", "1 INVITE", "gw1",
      "10.0.0.50:7000", DISPLAY_MARKUP },
    { 1002, UAC, GW, "ACK sip:2002@10.0.0.50 SIP/2.0", UAC ";branch=z9hG4bK-a2", "1 ACK", "gw1",
      NULL, DISPLAY_MARKUP },
    { 1500, GW, PROXY, "SIP/2.0 200 OK", PROXY ";branch=z9hG4bK-p1|" UAC ";branch=z9hG4bK-a1",
      "1 INVITE", "gw1", "10.0.0.50:7000", DISPLAY_MARKUP },
    { 21500, UAC, GW, "BYE sip:2002@10.0.0.50 SIP/2.0", UAC ";branch=z9hG4bK-a3", "2 BYE", "gw1",
      NULL, DISPLAY_MARKUP },
    { 21501, GW, UAC, "SIP/2.0 200 OK", UAC ";branch=z9hG4bK-a3", "2 BYE", "gw1", NULL,
      DISPLAY_MARKUP },
};

static LadderLayout *
proxy_layout(const LadderOptions *opts)
{
    engine = corr_engine_new(NULL);
    frame = 0;
    for (guint i = 0; i < G_N_ELEMENTS(proxy_flow); i++)
        feed(&proxy_flow[i]);
    corr_engine_finish(engine);
    GPtrArray *calls = corr_engine_calls(engine);
    g_assert_cmpuint(calls->len, ==, 1);
    return ladder_layout_build(calls, NULL, NULL, opts);
}

static void
done(void)
{
    g_clear_pointer(&engine, corr_engine_free);
}

static const LadderArrow *
arrow(const LadderLayout *l, guint i)
{
    g_assert_cmpuint(i, <, l->arrows->len);
    return &g_array_index(l->arrows, LadderArrow, i);
}

static void
test_columns(void)
{
    g_autoptr(LadderLayout) l = proxy_layout(NULL);
    g_assert_cmpuint(l->columns->len, ==, 3);
    const char *want[] = { UAC, PROXY, GW };
    double prev_x = 0;
    for (guint i = 0; i < 3; i++) {
        const LadderColumn *c = &g_array_index(l->columns, LadderColumn, i);
        g_assert_cmpstr(c->address, ==, want[i]);
        g_assert_cmpstr(c->title, ==, "TestPhone/1.0"); /* product of User-Agent */
        g_assert_cmpfloat(c->x, >, prev_x);
        g_assert_cmpfloat(c->x, <, l->width);
        prev_x = c->x;
    }
    done();
}

static void
test_arrows(void)
{
    g_autoptr(LadderLayout) l = proxy_layout(NULL);
    static const struct {
        const char *label;
        guint from, to;
        bool retr;
    } want[] = {
        { "INVITE", 0, 1, false },      { "100 Trying", 1, 0, false },
        { "INVITE", 1, 2, false },      { "180 Ringing", 2, 1, false },
        { "180 Ringing", 1, 0, false }, { "200 OK", 2, 1, false },
        { "200 OK", 1, 0, false },      { "ACK", 0, 2, false },
        { "200 OK (retr. 1)", 2, 1, true }, { "BYE", 0, 2, false },
        { "200 OK", 2, 0, false },
    };
    g_assert_cmpuint(l->arrows->len, ==, G_N_ELEMENTS(want));
    double prev_y = 0;
    for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
        const LadderArrow *a = arrow(l, i);
        g_assert_cmpstr(a->label, ==, want[i].label);
        g_assert_cmpuint(a->from_col, ==, want[i].from);
        g_assert_cmpuint(a->to_col, ==, want[i].to);
        g_assert_cmpint(a->retransmission, ==, want[i].retr);
        g_assert_cmpuint(a->frame, ==, i + 1);
        g_assert_cmpfloat(a->y, >, prev_y);
        prev_y = a->y;
    }
    g_assert_cmpstr(arrow(l, 0)->cseq, ==, "CSeq 1 INVITE");
    g_assert_cmpstr(arrow(l, 9)->cseq, ==, "CSeq 2 BYE");
    /* the SDP summary: address, codecs without rates, a direction other
     * than sendrecv */
    g_assert_cmpstr(arrow(l, 0)->sdp, ==, "SDP 10.0.0.10:6000 PCMU G729 sendonly");
    g_assert_null(arrow(l, 1)->sdp);
    /* the original 200 counts its retransmission */
    g_assert_cmpuint(arrow(l, 5)->copies, ==, 1);
    g_assert_cmpuint(arrow(l, 6)->copies, ==, 0);
    /* the arrow ends at its columns */
    const LadderColumn *c0 = &g_array_index(l->columns, LadderColumn, 0);
    const LadderColumn *c2 = &g_array_index(l->columns, LadderColumn, 2);
    g_assert_cmpfloat(arrow(l, 7)->x1, ==, c0->x);
    g_assert_cmpfloat(arrow(l, 7)->x2, ==, c2->x);
    /* the tooltip holds the first lines, and stops at the body */
    g_assert_true(g_str_has_prefix(arrow(l, 0)->tooltip, "INVITE sip:2002@10.0.0.20 SIP/2.0\nVia:"));
    g_assert_null(strstr(arrow(l, 0)->tooltip, "v=0"));
    done();
}

static void
test_hops(void)
{
    g_autoptr(LadderLayout) l = proxy_layout(NULL);
    g_assert_cmpint(arrow(l, 0)->hop_of, ==, -1);
    g_assert_cmpint(arrow(l, 2)->hop_of, ==, 0); /* INVITE forwarded */
    g_assert_cmpint(arrow(l, 4)->hop_of, ==, 3); /* 180 forwarded back */
    g_assert_cmpint(arrow(l, 6)->hop_of, ==, 5); /* 200 forwarded back */
    g_assert_cmpint(arrow(l, 1)->hop_of, ==, -1); /* the proxy's own 100 */
    g_assert_cmpint(arrow(l, 7)->hop_of, ==, -1); /* ACK goes direct */
    g_assert_cmpint(arrow(l, 8)->hop_of, ==, -1); /* a retransmission is not a hop */
    done();
}

static void
test_rows_and_gap(void)
{
    g_autoptr(LadderLayout) l = proxy_layout(NULL);
    /* 11 messages and one compressed silence of 20 s before the BYE */
    g_assert_cmpuint(l->rows->len, ==, 12);
    guint gaps = 0;
    for (guint i = 0; i < l->rows->len; i++) {
        const LadderRow *r = &g_array_index(l->rows, LadderRow, i);
        if (r->kind != LADDER_ROW_GAP)
            continue;
        gaps++;
        g_assert_cmpint(r->gap, ==, 20000 * SL_TIME_MSEC);
        g_assert_cmpuint(i, ==, 9);
    }
    g_assert_cmpuint(gaps, ==, 1);
    const LadderRow *bye = &g_array_index(l->rows, LadderRow, arrow(l, 9)->row);
    g_assert_cmpstr(bye->time_rel, ==, "+21.500000");
    g_assert_cmpstr(bye->time_delta, ==, "Δ20.000000");
    g_assert_cmpstr(bye->time_abs, ==, "22:13:41.500000");
    /* the silence costs less height than a second of rows would */
    g_assert_cmpfloat(arrow(l, 9)->y - arrow(l, 8)->y, <, 3 * (arrow(l, 8)->y - arrow(l, 7)->y));

    LadderOptions o;
    ladder_options_init(&o);
    o.gap_threshold = 0;
    g_autoptr(LadderLayout) nogap = ladder_layout_build(corr_engine_calls(engine), NULL, NULL, &o);
    g_assert_cmpuint(nogap->rows->len, ==, 11);
    double height_20s = l->height;
    done();

    /* the same call hung up two hours later is no taller */
    engine = corr_engine_new(NULL);
    frame = 0;
    for (guint i = 0; i < G_N_ELEMENTS(proxy_flow); i++) {
        Msg m = proxy_flow[i];
        if (i >= 9)
            m.ms += 2 * 3600 * 1000 - 20000;
        feed(&m);
    }
    corr_engine_finish(engine);
    g_autoptr(LadderLayout) two_hours = ladder_layout_build(corr_engine_calls(engine), NULL, NULL,
                                                            NULL);
    g_assert_cmpfloat(two_hours->height, ==, height_20s);
    const LadderRow *gap = &g_array_index(two_hours->rows, LadderRow, 9);
    g_assert_cmpint(gap->kind, ==, LADDER_ROW_GAP);
    g_autofree char *t = ladder_render_text(two_hours);
    g_assert_nonnull(strstr(t, "~~~ 2 h 00 min 00 s later ~~~"));
    done();
}

static void
test_legs_legend(void)
{
    g_autoptr(LadderLayout) l = proxy_layout(NULL);
    g_assert_cmpuint(l->legs->len, ==, 1);
    const LadderLeg *L = &g_array_index(l->legs, LadderLeg, 0);
    g_assert_cmpstr(L->call_id, ==, "ladder-1@10.0.0.10");
    g_assert_cmpstr(L->text, ==, "leg 1: Call-ID ladder-1@10.0.0.10");
    g_assert_true(g_str_has_prefix(l->title, "Call 1: 1001 -> 2002, completed"));
    g_assert_cmpfloat(l->legend_y, <, l->height);
    done();
}

static void
test_aliases_merge(void)
{
    g_autoptr(GHashTable) aliases = ladder_aliases_new();
    g_autoptr(GError) error = NULL;
    g_assert_true(ladder_aliases_add(aliases, "10.0.0.20=Proxy-A", &error));
    g_assert_true(ladder_aliases_add(aliases, "10.0.0.50:5060 = GW-B", &error));
    g_assert_false(ladder_aliases_add(aliases, "no-equals-sign", &error));
    g_clear_error(&error);
    g_assert_false(ladder_aliases_add(aliases, "999.1.1.1=x", &error));
    g_clear_error(&error);
    g_assert_false(ladder_aliases_add(aliases, "10.0.0.1=", &error));
    g_clear_error(&error);

    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("aliases-XXXXXX", &path, &error);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert_true(g_file_set_contents(path, "# lab\n10.0.0.10 Alice's phone\n\n", -1, &error));
    g_assert_true(ladder_aliases_load(aliases, path, &error));
    g_assert_true(g_file_set_contents(path, "10.0.0.10\n", -1, &error));
    g_assert_false(ladder_aliases_load(aliases, path, &error));
    g_assert_nonnull(strstr(error->message, "line 1"));
    g_clear_error(&error);
    g_unlink(path);

    LadderOptions o;
    ladder_options_init(&o);
    o.aliases = aliases;
    g_autoptr(LadderLayout) l = proxy_layout(&o);
    g_assert_cmpstr(g_array_index(l->columns, LadderColumn, 0).title, ==, "Alice's phone");
    g_assert_cmpstr(g_array_index(l->columns, LadderColumn, 1).title, ==, "Proxy-A");
    g_assert_cmpstr(g_array_index(l->columns, LadderColumn, 2).title, ==, "GW-B");
    done();

    /* a second port of the proxy: its own column, or one with merge_ip */
    engine = corr_engine_new(NULL);
    frame = 0;
    Msg a = proxy_flow[0];
    Msg b = proxy_flow[1];
    b.src = "10.0.0.20:5080";
    feed(&a);
    feed(&b);
    corr_engine_finish(engine);
    GPtrArray *msgs = corr_engine_messages(engine);
    g_autoptr(LadderLayout) apart = ladder_layout_build_msgs(msgs, NULL);
    g_assert_cmpuint(apart->columns->len, ==, 3);
    ladder_options_init(&o);
    o.merge_ip = true;
    g_autoptr(LadderLayout) merged = ladder_layout_build_msgs(msgs, &o);
    g_assert_cmpuint(merged->columns->len, ==, 2);
    g_assert_cmpstr(g_array_index(merged->columns, LadderColumn, 1).address, ==, "10.0.0.20");
    g_assert_cmpuint(arrow(merged, 1)->from_col, ==, 1);
    done();
}

static void
test_hit(void)
{
    g_autoptr(LadderLayout) l = proxy_layout(NULL);
    for (guint i = 0; i < l->arrows->len; i++) {
        const LadderArrow *a = arrow(l, i);
        g_assert_cmpint(ladder_layout_arrow_at(l, (a->x1 + a->x2) / 2, a->y - 3), ==, (int)i);
    }
    g_assert_cmpint(ladder_layout_arrow_at(l, 1, 1), ==, -1);
    g_assert_cmpint(ladder_layout_arrow_at(l, l->width - 1, arrow(l, 0)->y), ==, -1);
    g_assert_cmpint(ladder_layout_band_at(l, 300, 200), ==, -1);
    done();
}

static guint
count(const char *hay, const char *needle)
{
    guint n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void
test_svg(void)
{
    g_autoptr(LadderLayout) l = proxy_layout(NULL);
    LadderStyle s;
    ladder_style_init(&s);
    g_autofree char *svg = ladder_render_svg(l, &s);
    g_assert_cmpuint(count(svg, "<g class=\"message\""), ==, 11);
    g_assert_cmpuint(count(svg, "<g class=\"endpoint\""), ==, 3);
    g_assert_nonnull(strstr(svg, "<g class=\"message\" data-frame=\"1\""));
    g_assert_nonnull(strstr(svg, "<g class=\"message\" data-frame=\"11\""));
    g_assert_nonnull(strstr(svg, ">ladder-1@10.0.0.10") ? svg : strstr(svg, "ladder-1@10.0.0.10"));
    /* the display name from the packets is text, never markup */
    g_assert_nonnull(strstr(svg, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    g_assert_null(strstr(svg, "<script"));
    g_assert_null(strstr(svg, "</script"));
    /* messages come in row order */
    const char *p1 = strstr(svg, "data-frame=\"8\"");
    const char *p2 = strstr(svg, "data-frame=\"10\"");
    g_assert_true(p1 && p2 && p1 < p2);
    done();
}

static void
test_text(void)
{
    g_autoptr(LadderLayout) l = proxy_layout(NULL);
    g_autofree char *t = ladder_render_text(l);
    g_auto(GStrv) lines = g_strsplit(t, "\n", -1);
    /* the INVITE: a label line, then an arrow from the first lifeline to
     * the second */
    guint found = 0;
    for (guint i = 0; lines[i] && lines[i + 1]; i++) {
        if (!strstr(lines[i], " INVITE (SDP) ") || !g_str_has_prefix(lines[i], "22:13:20.000000"))
            continue;
        const char *arrow_line = lines[i + 1];
        g_assert_true(g_str_has_prefix(arrow_line, "+0.000000"));
        const char *bar = strchr(arrow_line, '|');
        g_assert_nonnull(bar);
        g_assert_true(g_str_has_prefix(bar, "|---"));
        g_assert_nonnull(strstr(bar, "-->|"));
        g_assert_nonnull(strstr(arrow_line, "CSeq 1 INVITE | SDP 10.0.0.10:6000 PCMU G729"));
        found++;
        break;
    }
    g_assert_cmpuint(found, ==, 1);
    g_assert_nonnull(strstr(t, "|<...")); /* the retransmission */
    g_assert_nonnull(strstr(t, "~~~ 20.0 s later ~~~"));
    g_assert_nonnull(strstr(t, "leg 1: Call-ID ladder-1@10.0.0.10"));
    done();
}

static void
test_clean_text(void)
{
    /* control characters and bad UTF-8 from packets never reach a label */
    engine = corr_engine_new(NULL);
    frame = 0;
    Msg m = proxy_flow[0];
    m.from = "\"a\x01" "b\" <sip:1001@example.com>";
    feed(&m);
    corr_engine_finish(engine);
    g_autoptr(LadderLayout) l = ladder_layout_build_msgs(corr_engine_messages(engine), NULL);
    const char *tip = arrow(l, 0)->tooltip;
    for (const char *p = tip; *p; p++)
        g_assert_true((unsigned char)*p >= 0x20 || *p == '\n');
    g_assert_true(g_utf8_validate(tip, -1, NULL));
    done();
}

/* The label cleaner against a plain character-by-character reference:
 * valid UTF-8 (bad bytes U+FFFD), ASCII controls and DEL as spaces, at
 * most @max characters then an ellipsis; over random bytes and a few
 * cases written out. */
static char *
clean_reference(const char *s, gssize len, guint max)
{
    g_autofree char *valid = g_utf8_make_valid(s, len);
    GString *out = g_string_new(NULL);
    guint n = 0;
    for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (n++ == max) {
            g_string_append(out, "…");
            break;
        }
        g_string_append_unichar(out, c < 0x20 || c == 0x7f ? ' ' : c);
    }
    return g_string_free(out, FALSE);
}

static void
test_text_clean(void)
{
    static const struct {
        const char *in;
        guint max;
        const char *want;
    } cases[] = {
        { "INVITE sip:bob@b.example SIP/2.0", 100, "INVITE sip:bob@b.example SIP/2.0" },
        { "a\tb\r\nc\x7f", 100, "a b  c " },
        { "abcdef", 3, "abc…" },
        { "abc", 3, "abc" },
        { "caf\xc3\xa9 \xe2\x82\xac", 6, "café €" },
        { "caf\xc3\xa9 \xe2\x82\xac", 4, "café…" },
        { "a\xff\xfe" "b", 100, "a\xef\xbf\xbd\xef\xbf\xbd" "b" },
        { "", 5, "" },
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *got = ladder_text_clean(cases[i].in, -1, cases[i].max);
        g_assert_cmpstr(got, ==, cases[i].want);
    }
    g_autofree char *none = ladder_text_clean(NULL, -1, 5);
    g_assert_cmpstr(none, ==, "");
    g_autoptr(GRand) r = g_rand_new_with_seed(5);
    static const char alphabet[] = "ab <&\t\n\r\x01\x7f\x80\xbf\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xff";
    for (int k = 0; k < 5000; k++) {
        char buf[64];
        gssize n = g_rand_int_range(r, 0, sizeof buf);
        for (gssize j = 0; j < n; j++)
            buf[j] = alphabet[g_rand_int_range(r, 0, sizeof alphabet - 1)];
        guint max = (guint)g_rand_int_range(r, 0, 70);
        g_autofree char *got = ladder_text_clean(buf, n, max);
        g_autofree char *want = clean_reference(buf, n, max);
        g_assert_cmpstr(got, ==, want);
        g_assert_true(g_utf8_validate(got, -1, NULL));
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    g_test_add_func("/ladder/columns", test_columns);
    g_test_add_func("/ladder/text-clean", test_text_clean);
    g_test_add_func("/ladder/arrows", test_arrows);
    g_test_add_func("/ladder/hops", test_hops);
    g_test_add_func("/ladder/rows-and-gap", test_rows_and_gap);
    g_test_add_func("/ladder/legs-legend", test_legs_legend);
    g_test_add_func("/ladder/aliases-merge", test_aliases_merge);
    g_test_add_func("/ladder/hit", test_hit);
    g_test_add_func("/ladder/svg", test_svg);
    g_test_add_func("/ladder/text", test_text);
    g_test_add_func("/ladder/clean-text", test_clean_text);
    return g_test_run();
}
