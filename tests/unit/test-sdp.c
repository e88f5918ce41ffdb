/* sipladder: unit tests for dissect/sdp.c (RFC 8866) and dissect/rtp-pt.c
 * (RFC 3551 section 6). */
#include "rtp-pt.h"
#include "sdp.h"

#include <glib.h>
#include <string.h>

/* A common session part: tables below append their lines to it. */
#define HDR "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"

/* One parse over a private heap copy of exactly the input bytes, so that
 * AddressSanitizer reports any read past the end. */
typedef struct {
    guint8 *buf;
    size_t len;
    Sdp *sdp;
    SlError err;
    SlStatus status;
} Parsed;

static Parsed *
parsed_new(const void *text, size_t len)
{
    Parsed *p = g_new0(Parsed, 1);
    p->len = len;
    if (len) {
        p->buf = g_malloc(len);
        memcpy(p->buf, text, len);
    }
    p->sdp = g_new0(Sdp, 1);
    p->status = sdp_parse(sl_view_make(p->buf, len), p->sdp, &p->err);
    return p;
}

static Parsed *
parsed_new_str(const char *text)
{
    return parsed_new(text, strlen(text));
}

static void
parsed_free(Parsed *p)
{
    g_free(p->buf);
    g_free(p->sdp);
    g_free(p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Parsed, parsed_free)

#define assert_view_eq(v, s)                       \
    do {                                           \
        g_autofree char *got_ = sl_view_dup(v);    \
        g_assert_cmpstr(got_, ==, (s));            \
    } while (0)

#define assert_status(got, want) \
    g_assert_cmpstr(sl_status_name(got), ==, sl_status_name(want))

/* "ip:port", "[ip6]:port" or "-:port" when no IP. */
static char *
addr_text(const SlAddr *a)
{
    char buf[SL_ADDR_STRLEN];
    return g_strdup(sl_addr_str(a, buf));
}

#define assert_addr_eq(a, s)                        \
    do {                                            \
        g_autofree char *got_ = addr_text(a);       \
        g_assert_cmpstr(got_, ==, (s));             \
    } while (0)

/* "fmt fmt fmt" */
static char *
formats_text(const SdpMedia *m)
{
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < m->n_formats; i++) {
        g_autofree char *f = sl_view_dup(m->formats[i]);
        g_string_append_printf(s, "%s%s", i ? " " : "", f);
    }
    return g_string_free(s, FALSE);
}

/* "pt enc/rate/channels {fmtp};..." */
static char *
rtpmap_text(const SdpMedia *m)
{
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < m->n_rtpmap; i++) {
        const SdpRtpmap *r = &m->rtpmap[i];
        g_autofree char *enc = sl_view_dup(r->encoding);
        g_string_append_printf(s, "%s%u %s/%u/%u", i ? ";" : "", r->pt, enc,
                               r->clock_rate, r->channels);
        if (r->fmtp.len) {
            g_autofree char *fmtp = sl_view_dup(r->fmtp);
            g_string_append_printf(s, " {%s}", fmtp);
        }
    }
    return g_string_free(s, FALSE);
}

/* --- Not SDP. --- */

#define TEXT(s) { s, sizeof(s) - 1 }

static void
test_not_mine(void)
{
    static const struct {
        const char *text;
        size_t len;
    } cases[] = {
        TEXT(""),
        TEXT("v"),
        TEXT("V=0\r\n"),
        TEXT(" v=0\r\n"),
        TEXT("\r\nv=0\r\n"),
        TEXT("o=- 1 1 IN IP4 10.0.0.1\r\nv=0\r\n"),
        TEXT("INVITE sip:bob@example.com SIP/2.0\r\n"),
        TEXT("\0v=0\r\n"),
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(Parsed) p = parsed_new(cases[i].text, cases[i].len);
        assert_status(p->status, SL_ERR_NOT_MINE);
        assert_status(p->err.status, SL_OK); /* not an error: next parser */
        g_assert_cmpuint(p->sdp->n_media, ==, 0);
        g_assert_false(p->sdp->has_origin);
    }
}

/* --- v=, o=, s=, t=. --- */

typedef struct {
    const char *sdp;
    SlStatus status;
    bool has_origin;
    const char *user, *sess_id, *sess_version, *origin_addr;
    const char *session_name;
    bool has_timing;
    guint64 start, stop;
} SessionCase;

static const SessionCase session_cases[] = {
    { "v=0\r\no=alice 2890844526 2890844527 IN IP4 10.47.16.5\r\ns=SDP Seminar\r\n"
      "t=2873397496 2873404696\r\n",
      SL_OK, true, "alice", "2890844526", "2890844527", "10.47.16.5:0", "SDP Seminar",
      true, 2873397496u, 2873404696u },
    /* s= with a single space is how RFC 8866 spells "no name" */
    { "v=0\r\no=- 1 1 IN IP4 host.example.com\r\ns= \r\nt=0 0\r\n",
      SL_OK, true, "-", "1", "1", "-:0", " ", true, 0, 0 },
    { "v=0\r\no=bob 3 4 IN IP6 2001:db8::1\r\ns=-\r\nt=0 0\r\n",
      SL_OK, true, "bob", "3", "4", "[2001:db8::1]:0", "-", true, 0, 0 },
    /* missing unicast-address */
    { "v=0\r\no=alice 1 1 IN IP4\r\ns=x\r\nt=0 0\r\n",
      SL_ERR_MALFORMED, false, "alice", "1", "1", "-:0", "x", true, 0, 0 },
    /* IPv6 address under IP4 */
    { "v=0\r\no=alice 1 1 IN IP4 ::1\r\ns=x\r\nt=0 0\r\n",
      SL_ERR_MALFORMED, false, "alice", "1", "1", "-:0", "x", true, 0, 0 },
    { "v=1\r\no=a 1 1 IN IP4 10.0.0.1\r\ns=x\r\nt=0 0\r\n",
      SL_ERR_MALFORMED, true, "a", "1", "1", "10.0.0.1:0", "x", true, 0, 0 },
    { "v=\r\ns=x\r\nt=0 0\r\n",
      SL_ERR_MALFORMED, false, "", "", "", "-:0", "x", true, 0, 0 },
    { "v=0\r\ns=x\r\nt=0\r\n",
      SL_ERR_MALFORMED, false, "", "", "", "-:0", "x", false, 0, 0 },
    { "v=0\r\ns=x\r\nt=now later\r\n",
      SL_ERR_MALFORMED, false, "", "", "", "-:0", "x", false, 0, 0 },
    /* only the first o=, s= and t= count */
    { "v=0\r\no=a 1 1 IN IP4 10.0.0.1\r\no=b 2 2 IN IP4 10.0.0.2\r\ns=one\r\ns=two\r\n"
      "t=1 2\r\nt=3 4\r\n",
      SL_OK, true, "a", "1", "1", "10.0.0.1:0", "one", true, 1, 2 },
    /* the minimum that starts with "v=" */
    { "v=0", SL_OK, false, "", "", "", "-:0", "", false, 0, 0 },
};

static void
test_session_lines(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(session_cases); i++) {
        const SessionCase *c = &session_cases[i];
        g_autofree char *shown = g_strescape(c->sdp, NULL);
        g_test_message("case %zu: %s", i, shown);
        g_autoptr(Parsed) p = parsed_new_str(c->sdp);
        const Sdp *s = p->sdp;
        assert_status(p->status, c->status);
        g_assert_cmpint(s->has_origin, ==, c->has_origin);
        assert_view_eq(s->origin_user, c->user);
        assert_view_eq(s->origin_sess_id, c->sess_id);
        assert_view_eq(s->origin_sess_version, c->sess_version);
        assert_addr_eq(&s->origin_addr, c->origin_addr);
        assert_view_eq(s->session_name, c->session_name);
        g_assert_cmpint(s->has_timing, ==, c->has_timing);
        g_assert_cmpuint(s->time_start, ==, c->start);
        g_assert_cmpuint(s->time_stop, ==, c->stop);
        g_assert_cmpuint(s->n_media, ==, 0);
        g_assert_cmpuint(s->n_bad_lines, ==, 0);
    }
}

/* --- c= at both levels. --- */

typedef struct {
    const char *sdp;
    SlStatus status;
    bool sess_has_conn;
    const char *sess_addr, *sess_text;
    bool media_has_conn, media_own;
    const char *media_addr, *media_text;
} ConnCase;

static const ConnCase conn_cases[] = {
    { "v=0\r\nc=IN IP4 192.0.2.10\r\nm=audio 4000 RTP/AVP 0\r\n",
      SL_OK, true, "192.0.2.10:0", "192.0.2.10", true, false, "192.0.2.10:4000", "192.0.2.10" },
    { "v=0\r\nc=IN IP6 2001:db8::10\r\nm=audio 4000 RTP/AVP 0\r\n",
      SL_OK, true, "[2001:db8::10]:0", "2001:db8::10", true, false, "[2001:db8::10]:4000",
      "2001:db8::10" },
    /* lower-case keywords are tolerated */
    { "v=0\r\nc=in ip4 192.0.2.10\r\nm=audio 4000 RTP/AVP 0\r\n",
      SL_OK, true, "192.0.2.10:0", "192.0.2.10", true, false, "192.0.2.10:4000", "192.0.2.10" },
    /* IPv4 multicast with TTL and address count */
    { "v=0\r\nc=IN IP4 224.2.1.1/127/3\r\nm=audio 4000 RTP/AVP 0\r\n",
      SL_OK, true, "224.2.1.1:0", "224.2.1.1", true, false, "224.2.1.1:4000", "224.2.1.1" },
    /* IPv6 multicast with address count */
    { "v=0\r\nc=IN IP6 FF15::101/3\r\nm=audio 4000 RTP/AVP 0\r\n",
      SL_OK, true, "[ff15::101]:0", "FF15::101", true, false, "[ff15::101]:4000", "FF15::101" },
    /* media c= overrides session c= */
    { "v=0\r\nc=IN IP4 192.0.2.10\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP4 198.51.100.7\r\n",
      SL_OK, true, "192.0.2.10:0", "192.0.2.10", true, true, "198.51.100.7:4000",
      "198.51.100.7" },
    { "v=0\r\nc=IN IP4 192.0.2.10\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP6 ::1\r\n",
      SL_OK, true, "192.0.2.10:0", "192.0.2.10", true, true, "[::1]:4000", "::1" },
    /* media-level only */
    { "v=0\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP4 198.51.100.7\r\n",
      SL_OK, false, "-:0", "", true, true, "198.51.100.7:4000", "198.51.100.7" },
    /* first c= of a media section counts */
    { "v=0\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP4 198.51.100.7\r\nc=IN IP4 198.51.100.8\r\n",
      SL_OK, false, "-:0", "", true, true, "198.51.100.7:4000", "198.51.100.7" },
    /* first session c= counts */
    { "v=0\r\nc=IN IP4 192.0.2.10\r\nc=IN IP4 192.0.2.11\r\nm=audio 4000 RTP/AVP 0\r\n",
      SL_OK, true, "192.0.2.10:0", "192.0.2.10", true, false, "192.0.2.10:4000", "192.0.2.10" },
    /* host names are not addresses, but legal */
    { "v=0\r\nc=IN IP4 host.example.com\r\nm=audio 4000 RTP/AVP 0\r\n",
      SL_OK, false, "-:0", "host.example.com", false, false, "-:4000", "host.example.com" },
    /* a media host name hides the session address */
    { "v=0\r\nc=IN IP4 192.0.2.10\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP4 media.example.com\r\n",
      SL_OK, true, "192.0.2.10:0", "192.0.2.10", false, true, "-:4000", "media.example.com" },
    /* other network and address types are not IP */
    { "v=0\r\nc=ATM NSAP 47.0091.8100.0000.0060.3e64.fd01.0060.3e64.fd01.00\r\n"
      "m=audio 4000 RTP/AVP 0\r\n",
      SL_OK, false, "-:0", "47.0091.8100.0000.0060.3e64.fd01.0060.3e64.fd01.00", false, false,
      "-:4000", "47.0091.8100.0000.0060.3e64.fd01.0060.3e64.fd01.00" },
    /* hold by 0.0.0.0 is still an address */
    { "v=0\r\nc=IN IP4 0.0.0.0\r\nm=audio 4000 RTP/AVP 0\r\n",
      SL_OK, true, "0.0.0.0:0", "0.0.0.0", true, false, "0.0.0.0:4000", "0.0.0.0" },
    /* malformed: missing address, family mismatch */
    { "v=0\r\nc=IN IP4\r\nm=audio 4000 RTP/AVP 0\r\n",
      SL_ERR_MALFORMED, false, "-:0", "", false, false, "-:4000", "" },
    { "v=0\r\nc=IN IP6 192.0.2.10\r\nm=audio 4000 RTP/AVP 0\r\n",
      SL_ERR_MALFORMED, false, "-:0", "192.0.2.10", false, false, "-:4000", "192.0.2.10" },
    { "v=0\r\nc=IN IP4 /127\r\nm=audio 4000 RTP/AVP 0\r\n",
      SL_ERR_MALFORMED, false, "-:0", "", false, false, "-:4000", "" },
    { "v=0\r\nc=IN IP4 192.0.2.10\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP4 ::1\r\n",
      SL_ERR_MALFORMED, true, "192.0.2.10:0", "192.0.2.10", false, true, "-:4000", "::1" },
};

static void
test_connection(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(conn_cases); i++) {
        const ConnCase *c = &conn_cases[i];
        g_autofree char *shown = g_strescape(c->sdp, NULL);
        g_test_message("case %zu: %s", i, shown);
        g_autoptr(Parsed) p = parsed_new_str(c->sdp);
        const Sdp *s = p->sdp;
        assert_status(p->status, c->status);
        g_assert_cmpint(s->has_conn, ==, c->sess_has_conn);
        assert_addr_eq(&s->conn, c->sess_addr);
        assert_view_eq(s->conn_text, c->sess_text);
        g_assert_cmpuint(s->n_media, ==, 1);
        g_assert_cmpint(s->media[0].has_conn, ==, c->media_has_conn);
        g_assert_cmpint(s->media[0].has_own_conn, ==, c->media_own);
        assert_addr_eq(&s->media[0].conn, c->media_addr);
        assert_view_eq(s->media[0].conn_text, c->media_text);
    }
}

/* --- m= lines. --- */

typedef struct {
    const char *mline;
    SlStatus status;
    const char *media;
    unsigned port, n_ports;
    const char *proto;
    bool is_rtp;
    const char *formats;
} MediaCase;

static const MediaCase media_cases[] = {
    { "m=audio 49170 RTP/AVP 0", SL_OK, "audio", 49170, 1, "RTP/AVP", true, "0" },
    { "m=audio 49170/2 RTP/AVP 0", SL_OK, "audio", 49170, 2, "RTP/AVP", true, "0" },
    { "m=audio 0 RTP/AVP 0 8", SL_OK, "audio", 0, 1, "RTP/AVP", true, "0 8" },
    { "m=video 51372 RTP/AVPF 96 97 98", SL_OK, "video", 51372, 1, "RTP/AVPF", true,
      "96 97 98" },
    { "m=audio 9 UDP/TLS/RTP/SAVPF 111 0", SL_OK, "audio", 9, 1, "UDP/TLS/RTP/SAVPF", true,
      "111 0" },
    { "m=audio 9 RTP/SAVP 0", SL_OK, "audio", 9, 1, "RTP/SAVP", true, "0" },
    { "m=image 0 udptl t38", SL_OK, "image", 0, 1, "udptl", false, "t38" },
    { "m=application 9 TCP/MSRP *", SL_OK, "application", 9, 1, "TCP/MSRP", false, "*" },
    { "m=audio 65535 RTP/AVP 127", SL_OK, "audio", 65535, 1, "RTP/AVP", true, "127" },
    { "m=audio  49170\tRTP/AVP  0 8 ", SL_OK, "audio", 49170, 1, "RTP/AVP", true, "0 8" },
    { "m=audio 65536 RTP/AVP 0", SL_ERR_MALFORMED, "audio", 0, 1, "RTP/AVP", true, "0" },
    { "m=audio -1 RTP/AVP 0", SL_ERR_MALFORMED, "audio", 0, 1, "RTP/AVP", true, "0" },
    { "m=audio 49170/0 RTP/AVP 0", SL_ERR_MALFORMED, "audio", 49170, 1, "RTP/AVP", true, "0" },
    { "m=audio 49170/ RTP/AVP 0", SL_ERR_MALFORMED, "audio", 49170, 1, "RTP/AVP", true, "0" },
    { "m=audio 49170 RTP/AVP", SL_ERR_MALFORMED, "audio", 49170, 1, "RTP/AVP", true, "" },
    { "m=audio", SL_ERR_MALFORMED, "audio", 0, 1, "", false, "" },
    { "m=", SL_ERR_MALFORMED, "", 0, 1, "", false, "" },
    { "m=audio 49170 RTP/AVP 0 x", SL_ERR_MALFORMED, "audio", 49170, 1, "RTP/AVP", true, "0 x" },
    { "m=audio 49170 RTP/AVP 128", SL_ERR_MALFORMED, "audio", 49170, 1, "RTP/AVP", true, "128" },
};

static void
test_media_line(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(media_cases); i++) {
        const MediaCase *c = &media_cases[i];
        g_test_message("case %zu: %s", i, c->mline);
        g_autofree char *text = g_strconcat(HDR, c->mline, "\r\n", NULL);
        g_autoptr(Parsed) p = parsed_new_str(text);
        assert_status(p->status, c->status);
        g_assert_cmpuint(p->sdp->n_media, ==, 1);
        const SdpMedia *m = &p->sdp->media[0];
        assert_view_eq(m->media, c->media);
        g_assert_cmpuint(m->port, ==, c->port);
        g_assert_cmpuint(m->n_ports, ==, c->n_ports);
        assert_view_eq(m->proto, c->proto);
        g_assert_cmpint(m->is_rtp, ==, c->is_rtp);
        g_autofree char *formats = formats_text(m);
        g_assert_cmpstr(formats, ==, c->formats);
        /* session c= is inherited, with the media port */
        g_assert_true(m->has_conn);
        g_assert_false(m->has_own_conn);
        g_assert_cmpuint(m->conn.port, ==, c->port);
    }
}

/* Several media sections: each attribute lands on its own section (the RFC
 * 8866 section 5 example, extended). */
static void
test_several_media(void)
{
    static const char text[] =
        "v=0\r\n"
        "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1\r\n"
        "s=Call to John Smith\r\n"
        "i=SDP Offer #1\r\n"
        "u=http://www.jdoe.example.com/home.html\r\n"
        "e=Jane Doe <jane@jdoe.example.com>\r\n"
        "p=+1 617 555-6011\r\n"
        "c=IN IP4 198.51.100.1\r\n"
        "b=AS:128\r\n"
        "t=0 0\r\n"
        "a=recvonly\r\n"
        "m=audio 49170 RTP/AVP 0\r\n"
        "a=ptime:20\r\n"
        "m=audio 0 RTP/AVP 8\r\n"
        "m=video 51372 RTP/AVP 99\r\n"
        "c=IN IP6 2001:db8::2\r\n"
        "b=AS:64\r\n"
        "a=rtpmap:99 h263-1998/90000\r\n"
        "a=sendrecv\r\n";
    static const struct {
        const char *media;
        unsigned port;
        const char *conn;
        const char *dir;
        int ptime;
        const char *rtpmap;
    } want[] = {
        { "audio", 49170, "198.51.100.1:49170", "recvonly", 20, "0 PCMU/8000/1" },
        { "audio", 0, "198.51.100.1:0", "recvonly", -1, "8 PCMA/8000/1" },
        { "video", 51372, "[2001:db8::2]:51372", "sendrecv", -1, "99 h263-1998/90000/1" },
    };
    g_autoptr(Parsed) p = parsed_new(text, sizeof text - 1);
    assert_status(p->status, SL_OK);
    g_assert_cmpuint(p->sdp->n_bad_lines, ==, 0);
    g_assert_cmpstr(sdp_direction_name(p->sdp->direction), ==, "recvonly");
    g_assert_cmpuint(p->sdp->n_media, ==, G_N_ELEMENTS(want));
    for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
        const SdpMedia *m = &p->sdp->media[i];
        assert_view_eq(m->media, want[i].media);
        g_assert_cmpuint(m->port, ==, want[i].port);
        assert_addr_eq(&m->conn, want[i].conn);
        g_assert_cmpstr(sdp_direction_name(m->direction), ==, want[i].dir);
        g_assert_cmpint(m->ptime, ==, want[i].ptime);
        g_autofree char *maps = rtpmap_text(m);
        g_assert_cmpstr(maps, ==, want[i].rtpmap);
    }
}

/* --- a=rtpmap and a=fmtp. --- */

typedef struct {
    const char *session_attrs; /* lines before m= */
    const char *section;       /* m= line and its attributes */
    SlStatus status;
    const char *rtpmap;        /* rtpmap_text() of the media */
} RtpmapCase;

static const RtpmapCase rtpmap_cases[] = {
    /* static types without a=rtpmap */
    { "", "m=audio 1 RTP/AVP 0 8 18 9 3", SL_OK,
      "0 PCMU/8000/1;8 PCMA/8000/1;18 G729/8000/1;9 G722/8000/1;3 GSM/8000/1" },
    { "", "m=audio 1 RTP/AVP 10 11", SL_OK, "10 L16/44100/2;11 L16/44100/1" },
    { "", "m=audio 1 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n"
          "a=fmtp:111 minptime=10;useinbandfec=1",
      SL_OK, "111 opus/48000/2 {minptime=10;useinbandfec=1}" },
    { "", "m=audio 1 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
          "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16",
      SL_OK, "0 PCMU/8000/1;101 telephone-event/8000/1 {0-16}" },
    /* fmtp before rtpmap; fmtp on a static type */
    { "", "m=audio 1 RTP/AVP 96 18\r\na=fmtp:96 mode-set=0,2\r\na=fmtp:18 annexb=no\r\n"
          "a=rtpmap:96 AMR/8000",
      SL_OK, "96 AMR/8000/1 {mode-set=0,2};18 G729/8000/1 {annexb=no}" },
    /* an rtpmap rate wins over the static table */
    { "", "m=audio 1 RTP/AVP 0\r\na=rtpmap:0 PCMU/16000", SL_OK, "0 PCMU/16000/1" },
    /* dynamic type without rtpmap: no entry */
    { "", "m=audio 1 RTP/AVP 96 0", SL_OK, "0 PCMU/8000/1" },
    /* rtpmap for a type not on the m= line: ignored */
    { "", "m=audio 1 RTP/AVP 0\r\na=rtpmap:97 iLBC/8000", SL_OK, "0 PCMU/8000/1" },
    /* duplicates: one entry per type, first rtpmap and fmtp win */
    { "", "m=audio 1 RTP/AVP 0 0", SL_OK, "0 PCMU/8000/1" },
    { "", "m=audio 1 RTP/AVP 97\r\na=rtpmap:97 iLBC/8000\r\na=rtpmap:97 speex/16000\r\n"
          "a=fmtp:97 mode=30\r\na=fmtp:97 mode=20",
      SL_OK, "97 iLBC/8000/1 {mode=30}" },
    /* attribute names are case-insensitive */
    { "", "m=video 1 RTP/AVP 31 96\r\na=RTPMAP:96 H264/90000\r\n"
          "a=fmtp:96 profile-level-id=42e01f;packetization-mode=1",
      SL_OK, "31 H261/90000/1;96 H264/90000/1 {profile-level-id=42e01f;packetization-mode=1}" },
    /* session-level rtpmap is meaningless */
    { "a=rtpmap:96 opus/48000/2\r\n", "m=audio 1 RTP/AVP 96", SL_OK, "" },
    /* non-RTP media: formats are not payload types */
    { "", "m=image 1 udptl t38\r\na=fmtp:t38 T38FaxVersion=0", SL_OK, "" },
    /* malformed: the entry keeps a fallback rate or is left out */
    { "", "m=audio 1 RTP/AVP 97\r\na=rtpmap:97 AMR-WB", SL_ERR_MALFORMED, "97 AMR-WB/16000/1" },
    { "", "m=audio 1 RTP/AVP 97\r\na=rtpmap:97 speex/abc", SL_ERR_MALFORMED, "97 speex/0/1" },
    { "", "m=audio 1 RTP/AVP 97\r\na=rtpmap:97 iLBC/0", SL_ERR_MALFORMED, "97 iLBC/8000/1" },
    { "", "m=audio 1 RTP/AVP 97\r\na=rtpmap:97 iLBC/4294967296", SL_ERR_MALFORMED,
      "97 iLBC/8000/1" },
    { "", "m=audio 1 RTP/AVP 111\r\na=rtpmap:111 opus/48000/x", SL_ERR_MALFORMED,
      "111 opus/48000/1" },
    { "", "m=audio 1 RTP/AVP 0\r\na=rtpmap:abc PCMU/8000", SL_ERR_MALFORMED, "0 PCMU/8000/1" },
    { "", "m=audio 1 RTP/AVP 0\r\na=rtpmap:128 X/8000", SL_ERR_MALFORMED, "0 PCMU/8000/1" },
    { "", "m=audio 1 RTP/AVP 97\r\na=rtpmap:97 /8000", SL_ERR_MALFORMED, "" },
    { "", "m=audio 1 RTP/AVP 97\r\na=rtpmap:97", SL_ERR_MALFORMED, "" },
    { "", "m=audio 1 RTP/AVP 0\r\na=fmtp:x y", SL_ERR_MALFORMED, "0 PCMU/8000/1" },
};

static void
test_rtpmap(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(rtpmap_cases); i++) {
        const RtpmapCase *c = &rtpmap_cases[i];
        g_autofree char *shown = g_strescape(c->section, NULL);
        g_test_message("case %zu: %s", i, shown);
        g_autofree char *text = g_strconcat(HDR, c->session_attrs, c->section, "\r\n", NULL);
        g_autoptr(Parsed) p = parsed_new_str(text);
        assert_status(p->status, c->status);
        g_assert_cmpuint(p->sdp->n_media, ==, 1);
        g_autofree char *maps = rtpmap_text(&p->sdp->media[0]);
        g_assert_cmpstr(maps, ==, c->rtpmap);
    }
}

static void
test_rtpmap_lookup(void)
{
    static const char text[] = HDR "m=audio 1 RTP/AVP 8 111 101\r\n"
                                   "a=rtpmap:111 opus/48000/2\r\n"
                                   "a=rtpmap:101 telephone-event/48000\r\n";
    g_autoptr(Parsed) p = parsed_new(text, sizeof text - 1);
    assert_status(p->status, SL_OK);
    const SdpMedia *m = &p->sdp->media[0];
    static const struct {
        unsigned pt;
        const char *encoding; /* NULL: no entry */
        guint32 clock_rate;
        unsigned channels;
    } cases[] = {
        { 8, "PCMA", 8000, 1 },          { 111, "opus", 48000, 2 },
        { 101, "telephone-event", 48000, 1 }, { 0, NULL, 0, 0 },
        { 96, NULL, 0, 0 },              { 1000, NULL, 0, 0 },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const SdpRtpmap *r = sdp_media_rtpmap(m, cases[i].pt);
        if (cases[i].encoding == NULL) {
            g_assert_null(r);
            continue;
        }
        g_assert_nonnull(r);
        g_assert_cmpuint(r->pt, ==, cases[i].pt);
        assert_view_eq(r->encoding, cases[i].encoding);
        g_assert_cmpuint(r->clock_rate, ==, cases[i].clock_rate);
        g_assert_cmpuint(r->channels, ==, cases[i].channels);
    }
    /* the static entry's encoding is the table's string, not a body copy */
    g_assert_true(sdp_media_rtpmap(m, 8)->encoding.p ==
                  (const guint8 *)rtp_pt_static(8)->name);
}

/* --- Other attributes. --- */

typedef struct {
    const char *session_attrs;
    const char *media_attrs;
    SlStatus status;
    SdpDirection dir;
    int ptime, maxptime;
    bool has_rtcp;
    const char *rtcp_addr; /* "ip:port" */
    bool rtcp_mux;
    bool has_crypto;
    unsigned crypto_tag;
    const char *crypto_suite;
} AttrCase;

#define CRYPTO_KEY "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"

static const AttrCase attr_cases[] = {
    { "", "", SL_OK, SDP_DIR_SENDRECV, -1, -1, false, "-:0", false, false, 0, "" },
    { "", "a=ptime:20\r\na=maxptime:40\r\n", SL_OK, SDP_DIR_SENDRECV, 20, 40, false, "-:0",
      false, false, 0, "" },
    { "", "a=ptime:20.5\r\n", SL_OK, SDP_DIR_SENDRECV, 20, -1, false, "-:0", false, false, 0,
      "" },
    { "", "a=ptime:abc\r\n", SL_ERR_MALFORMED, SDP_DIR_SENDRECV, -1, -1, false, "-:0", false,
      false, 0, "" },
    { "", "a=ptime:\r\na=maxptime:20.\r\n", SL_ERR_MALFORMED, SDP_DIR_SENDRECV, -1, -1, false,
      "-:0", false, false, 0, "" },
    /* direction: session inherited, media overrides, last one wins */
    { "a=sendonly\r\n", "", SL_OK, SDP_DIR_SENDONLY, -1, -1, false, "-:0", false, false, 0, "" },
    { "a=sendonly\r\n", "a=recvonly\r\n", SL_OK, SDP_DIR_RECVONLY, -1, -1, false, "-:0", false,
      false, 0, "" },
    { "", "a=inactive\r\n", SL_OK, SDP_DIR_INACTIVE, -1, -1, false, "-:0", false, false, 0, "" },
    { "a=inactive\r\n", "a=sendrecv\r\n", SL_OK, SDP_DIR_SENDRECV, -1, -1, false, "-:0", false,
      false, 0, "" },
    { "", "a=sendonly\r\na=inactive\r\n", SL_OK, SDP_DIR_INACTIVE, -1, -1, false, "-:0", false,
      false, 0, "" },
    /* RFC 3605 */
    { "", "a=rtcp:53020\r\n", SL_OK, SDP_DIR_SENDRECV, -1, -1, true, "10.0.0.1:53020", false,
      false, 0, "" },
    { "", "a=rtcp:53020 IN IP4 126.16.64.4\r\n", SL_OK, SDP_DIR_SENDRECV, -1, -1, true,
      "126.16.64.4:53020", false, false, 0, "" },
    { "", "a=rtcp:53020 IN IP6 2001:2345:6789:ABCD:EF01:2345:6789:ABCD\r\n", SL_OK,
      SDP_DIR_SENDRECV, -1, -1, true, "[2001:2345:6789:abcd:ef01:2345:6789:abcd]:53020", false,
      false, 0, "" },
    { "", "a=rtcp:53020 IN IP4 rtcp.example.com\r\n", SL_OK, SDP_DIR_SENDRECV, -1, -1, true,
      "-:53020", false, false, 0, "" },
    { "", "a=rtcp:99999\r\n", SL_ERR_MALFORMED, SDP_DIR_SENDRECV, -1, -1, false, "-:0", false,
      false, 0, "" },
    { "", "a=rtcp:53020 IN IP4\r\n", SL_ERR_MALFORMED, SDP_DIR_SENDRECV, -1, -1, true,
      "-:53020", false, false, 0, "" },
    /* RFC 5761 */
    { "", "a=rtcp-mux\r\n", SL_OK, SDP_DIR_SENDRECV, -1, -1, false, "-:0", true, false, 0, "" },
    /* RFC 4568 */
    { "", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 " CRYPTO_KEY "|2^20|1:32\r\n", SL_OK,
      SDP_DIR_SENDRECV, -1, -1, false, "-:0", false, true, 1, "AES_CM_128_HMAC_SHA1_80" },
    { "", "a=crypto:2 AES_CM_128_HMAC_SHA1_32 " CRYPTO_KEY "\r\n"
          "a=crypto:3 AES_256_CM_HMAC_SHA1_80 " CRYPTO_KEY " KDR=1\r\n",
      SL_OK, SDP_DIR_SENDRECV, -1, -1, false, "-:0", false, true, 2, "AES_CM_128_HMAC_SHA1_32" },
    { "", "a=crypto:999999999 F8_128_HMAC_SHA1_80 " CRYPTO_KEY "\r\n", SL_OK, SDP_DIR_SENDRECV,
      -1, -1, false, "-:0", false, true, 999999999, "F8_128_HMAC_SHA1_80" },
    { "", "a=crypto:1\r\n", SL_ERR_MALFORMED, SDP_DIR_SENDRECV, -1, -1, false, "-:0", false,
      false, 0, "" },
    { "", "a=crypto:1a AES_CM_128_HMAC_SHA1_80 " CRYPTO_KEY "\r\n", SL_ERR_MALFORMED,
      SDP_DIR_SENDRECV, -1, -1, false, "-:0", false, false, 0, "" },
    { "", "a=crypto:1234567890 AES_CM_128_HMAC_SHA1_80 " CRYPTO_KEY "\r\n", SL_ERR_MALFORMED,
      SDP_DIR_SENDRECV, -1, -1, false, "-:0", false, false, 0, "" },
    { "", "a=crypto:1 AES-CM " CRYPTO_KEY "\r\n", SL_ERR_MALFORMED,
      SDP_DIR_SENDRECV, -1, -1, false, "-:0", false, false, 0, "" },
    { "", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw==\r\n",
      SL_ERR_MALFORMED, SDP_DIR_SENDRECV, -1, -1, false, "-:0", false, false, 0, "" },
    { "", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 :PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n",
      SL_ERR_MALFORMED, SDP_DIR_SENDRECV, -1, -1, false, "-:0", false, false, 0, "" },
    /* a bad line does not hide a good one after it */
    { "", "a=crypto:x\r\na=crypto:5 AES_CM_128_HMAC_SHA1_80 " CRYPTO_KEY "\r\n",
      SL_ERR_MALFORMED, SDP_DIR_SENDRECV, -1, -1, false, "-:0", false, true, 5,
      "AES_CM_128_HMAC_SHA1_80" },
    /* media-only attributes at session level are ignored */
    { "a=ptime:30\r\na=rtcp-mux\r\na=rtcp:9\r\n", "", SL_OK, SDP_DIR_SENDRECV, -1, -1, false,
      "-:0", false, false, 0, "" },
    /* unknown attributes are legal */
    { "a=tool:baresip 0.6.2\r\n", "a=label:1\r\na=rtcp-rsize\r\na=x-foo\r\n", SL_OK,
      SDP_DIR_SENDRECV, -1, -1, false, "-:0", false, false, 0, "" },
};

static void
test_attributes(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(attr_cases); i++) {
        const AttrCase *c = &attr_cases[i];
        g_autofree char *shown_s = g_strescape(c->session_attrs, NULL);
        g_autofree char *shown_m = g_strescape(c->media_attrs, NULL);
        g_test_message("case %zu: %s|%s", i, shown_s, shown_m);
        g_autofree char *text = g_strconcat(HDR, c->session_attrs, "m=audio 49170 RTP/AVP 0\r\n",
                                            c->media_attrs, NULL);
        g_autoptr(Parsed) p = parsed_new_str(text);
        assert_status(p->status, c->status);
        g_assert_cmpuint(p->sdp->n_media, ==, 1);
        const SdpMedia *m = &p->sdp->media[0];
        g_assert_cmpstr(sdp_direction_name(m->direction), ==, sdp_direction_name(c->dir));
        g_assert_cmpint(m->ptime, ==, c->ptime);
        g_assert_cmpint(m->maxptime, ==, c->maxptime);
        g_assert_cmpint(m->has_rtcp, ==, c->has_rtcp);
        if (c->has_rtcp)
            g_assert_cmpuint(m->rtcp_port, ==, m->rtcp_addr.port);
        assert_addr_eq(&m->rtcp_addr, c->rtcp_addr);
        g_assert_cmpint(m->rtcp_mux, ==, c->rtcp_mux);
        g_assert_cmpint(m->has_crypto, ==, c->has_crypto);
        g_assert_cmpuint(m->crypto_tag, ==, c->crypto_tag);
        assert_view_eq(m->crypto_suite, c->crypto_suite);
        g_assert_cmpuint(p->sdp->n_bad_lines, ==, 0);
    }
}

/* --- Line ends and lines that are not SDP. --- */

typedef struct {
    const char *sdp;
    size_t len; /* 0: strlen */
    bool has_bare_lf, has_unterminated;
    unsigned n_bad, n_blank;
    int ptime; /* of the single media section, which every case has */
} LineCase;

#define NUL_CASE HDR "m=audio 1 RTP/AVP 0\r\na=ptime:20\r\n\0\0\r\na\0=x\r\n"

static const LineCase line_cases[] = {
    { HDR "m=audio 1 RTP/AVP 0\r\na=ptime:20\r\n", 0, false, false, 0, 0, 20 },
    { "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nt=0 0\nm=audio 1 RTP/AVP 0\na=ptime:20\n", 0, true,
      false, 0, 0, 20 },
    { "v=0\r\ns=-\nt=0 0\r\nm=audio 1 RTP/AVP 0\na=ptime:20\r\n", 0, true, false, 0, 0, 20 },
    /* the last line without terminator still counts */
    { HDR "m=audio 1 RTP/AVP 0\r\na=ptime:20", 0, false, true, 0, 0, 20 },
    { HDR "m=audio 1 RTP/AVP 0\r\na=ptime:20\r", 0, false, true, 0, 0, 20 },
    { HDR "a=ptime:20\r\nm=audio 1 RTP/AVP 0\r", 0, false, true, 0, 0, -1 },
    /* a stray CR before CRLF */
    { HDR "m=audio 1 RTP/AVP 0\r\r\na=ptime:20\r\r\n", 0, false, false, 0, 0, 20 },
    /* blank lines, e.g. an extra CRLF counted in Content-Length */
    { HDR "m=audio 1 RTP/AVP 0\r\na=ptime:20\r\n\r\n", 0, false, false, 0, 1, 20 },
    { HDR "\r\nm=audio 1 RTP/AVP 0\r\n\n\na=ptime:20\r\n", 0, true, false, 0, 3, 20 },
    /* lines without "<letter>=" and unknown letters */
    { HDR "hello\r\nm=audio 1 RTP/AVP 0\r\na=ptime:20\r\n", 0, false, false, 1, 0, 20 },
    { HDR "m=audio 1 RTP/AVP 0\r\nx=foo\r\na=ptime:20\r\nZ=1\r\n", 0, false, false, 2, 0, 20 },
    { HDR "m=audio 1 RTP/AVP 0\r\n=foo\r\na\r\na =ptime:30\r\na=ptime:20\r\n", 0, false, false,
      3, 0, 20 },
    { HDR "v=0\r\nm=audio 1 RTP/AVP 0\r\na=ptime:20\r\n", 0, false, false, 1, 0, 20 },
    /* known but unused types are not bad */
    { "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\ni=info\r\nu=http://example.com/\r\n"
      "e=j@example.com\r\np=+1 555 0100\r\nc=IN IP4 10.0.0.1\r\nb=AS:64\r\nt=0 0\r\n"
      "r=7d 1h 0 25h\r\nz=2882844526 -1h\r\nk=prompt\r\nm=audio 1 RTP/AVP 0\r\ni=voice\r\n"
      "b=TIAS:64000\r\nk=clear:secret\r\na=ptime:20\r\n",
      0, false, false, 0, 0, 20 },
    /* trailing garbage, binary and unterminated */
    { HDR "m=audio 1 RTP/AVP 0\r\na=ptime:20\r\n\x01\x02\xff garbage", 0, false, true, 1, 0,
      20 },
    { HDR "m=audio 1 RTP/AVP 0\r\na=ptime:20\r\nGET / HTTP/1.1\r\nHost: x\r\n", 0, false, false,
      2, 0, 20 },
    /* embedded NUL bytes */
    { NUL_CASE, sizeof NUL_CASE - 1, false, false, 2, 0, 20 },
};

static void
test_lines(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(line_cases); i++) {
        const LineCase *c = &line_cases[i];
        g_test_message("case %zu", i);
        g_autoptr(Parsed) p = parsed_new(c->sdp, c->len ? c->len : strlen(c->sdp));
        assert_status(p->status, SL_OK);
        g_assert_cmpint(p->sdp->has_bare_lf, ==, c->has_bare_lf);
        g_assert_cmpint(p->sdp->has_unterminated_line, ==, c->has_unterminated);
        g_assert_cmpuint(p->sdp->n_bad_lines, ==, c->n_bad);
        g_assert_cmpuint(p->sdp->n_blank_lines, ==, c->n_blank);
        g_assert_cmpuint(p->sdp->n_media, ==, 1);
        g_assert_cmpint(p->sdp->media[0].ptime, ==, c->ptime);
        g_assert_cmpuint(p->sdp->media[0].port, ==, 1);
        g_assert_cmpuint(p->sdp->media[0].n_formats, ==, 1);
        assert_view_eq(p->sdp->media[0].formats[0], "0");
    }
}

/* --- SlError. --- */

typedef struct {
    const char *tail; /* appended to HDR */
    SlStatus status;
    const char *at;   /* the error offset points @skip bytes into the first */
    size_t skip;      /* occurrence of @at */
    const char *msg;
} ErrCase;

static const ErrCase err_cases[] = {
    { "m=audio 70000 RTP/AVP 0\r\n", SL_ERR_MALFORMED, "70000", 0, "bad m= port" },
    { "m=audio 1 RTP/AVP 0\r\na=ptime:x\r\n", SL_ERR_MALFORMED, "ptime:x", 6, "bad ptime" },
    { "m=audio 1 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000/0\r\n", SL_ERR_MALFORMED, "8000/0", 5,
      "bad rtpmap channel count" },
    /* no problem: the record stays clear */
    { "m=audio 1 RTP/AVP 0\r\nc=IN IP4 10.0.0.1/127\r\n", SL_OK, "", 0, NULL },
    { "m=audio 1 RTP/AVP 0\r\nc=IN IP6 10.0.0.1\r\n", SL_ERR_MALFORMED, "IN IP6", 0,
      "bad c= line" },
    /* the first problem is the one reported */
    { "m=audio 1 RTP/AVP 0\r\na=ptime:x\r\na=maxptime:y\r\n", SL_ERR_MALFORMED, "ptime:x",
      6, "bad ptime" },
};

static void
test_error_record(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(err_cases); i++) {
        const ErrCase *c = &err_cases[i];
        g_autofree char *text = g_strconcat(HDR, c->tail, NULL);
        g_autoptr(Parsed) p = parsed_new_str(text);
        assert_status(p->status, c->status);
        assert_status(p->err.status, c->status);
        g_assert_cmpuint(p->err.offset, ==, (size_t)(strstr(text, c->at) - text) + c->skip);
        g_assert_cmpstr(p->err.msg, ==, c->msg);

        /* NULL error record: same outcome */
        Sdp *sdp = g_new0(Sdp, 1);
        assert_status(sdp_parse(sl_view_make(p->buf, p->len), sdp, NULL), c->status);
        g_free(sdp);

        /* an error recorded earlier (e.g. by the SIP parser) is kept */
        SlError err = { SL_ERR_TRUNCATED, 7, "earlier" };
        sdp = g_new0(Sdp, 1);
        assert_status(sdp_parse(sl_view_make(p->buf, p->len), sdp, &err), c->status);
        g_assert_cmpuint(err.offset, ==, 7);
        g_assert_cmpstr(err.msg, ==, "earlier");
        g_free(sdp);
    }
}

/* --- Limits. --- */

/* @n_media sections "m=audio <1000+i> RTP/AVP 0" with "a=ptime:<i+1>";
 * those beyond SDP_MAX_MEDIA also say "a=inactive" and "c=". */
static char *
many_media(unsigned n_media)
{
    GString *s = g_string_new(HDR);
    for (unsigned i = 0; i < n_media; i++) {
        g_string_append_printf(s, "m=audio %u RTP/AVP 0\r\na=ptime:%u\r\n", 1000 + i, i + 1);
        if (i >= SDP_MAX_MEDIA)
            g_string_append(s, "a=inactive\r\nc=IN IP4 192.0.2.99\r\n");
    }
    return g_string_free(s, FALSE);
}

/* One section with formats 0..n_formats-1 and an rtpmap for the last. */
static char *
many_formats(unsigned n_formats)
{
    GString *s = g_string_new(HDR "m=audio 1000 RTP/AVP");
    for (unsigned i = 0; i < n_formats; i++)
        g_string_append_printf(s, " %u", i);
    g_string_append_printf(s, "\r\na=rtpmap:%u X/8000\r\n", n_formats - 1);
    return g_string_free(s, FALSE);
}

static void
test_limits(void)
{
    static const struct {
        unsigned n_media, n_formats;
        SlStatus status;
        size_t kept;
        bool has_last_rtpmap; /* the rtpmap of the last format is present */
    } cases[] = {
        { SDP_MAX_MEDIA, 0, SL_OK, SDP_MAX_MEDIA, false },
        { SDP_MAX_MEDIA + 1, 0, SL_ERR_LIMIT, SDP_MAX_MEDIA, false },
        { SDP_MAX_MEDIA + 5, 0, SL_ERR_LIMIT, SDP_MAX_MEDIA, false },
        { 0, SDP_MAX_FORMATS, SL_OK, SDP_MAX_FORMATS, true },
        { 0, SDP_MAX_FORMATS + 1, SL_ERR_LIMIT, SDP_MAX_FORMATS, false },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *text =
            cases[i].n_media ? many_media(cases[i].n_media) : many_formats(cases[i].n_formats);
        g_autoptr(Parsed) p = parsed_new_str(text);
        assert_status(p->status, cases[i].status);
        assert_status(p->err.status, cases[i].status);
        if (cases[i].n_media) {
            g_assert_cmpuint(p->sdp->n_media, ==, cases[i].kept);
            /* the last kept section did not pick up the dropped ones' lines */
            const SdpMedia *last = &p->sdp->media[SDP_MAX_MEDIA - 1];
            g_assert_cmpuint(last->port, ==, 1000 + SDP_MAX_MEDIA - 1);
            g_assert_cmpint(last->ptime, ==, SDP_MAX_MEDIA);
            g_autofree char *last_conn = g_strdup_printf("10.0.0.1:%u", 1000 + SDP_MAX_MEDIA - 1);
            assert_addr_eq(&last->conn, last_conn);
            g_assert_cmpint(p->sdp->direction, ==, SDP_DIR_SENDRECV);
            g_assert_cmpint(last->direction, ==, SDP_DIR_SENDRECV);
            assert_addr_eq(&p->sdp->conn, "10.0.0.1:0");
            if (cases[i].status == SL_ERR_LIMIT) {
                g_autofree char *mline =
                    g_strdup_printf("m=audio %u ", 1000 + SDP_MAX_MEDIA);
                g_assert_cmpuint(p->err.offset, ==, (size_t)(strstr(text, mline) - text) + 2);
            }
        } else {
            const SdpMedia *m = &p->sdp->media[0];
            g_assert_cmpuint(m->n_formats, ==, cases[i].kept);
            g_autofree char *last_fmt = g_strdup_printf("%d", SDP_MAX_FORMATS - 1);
            assert_view_eq(m->formats[SDP_MAX_FORMATS - 1], last_fmt);
            unsigned last_pt = cases[i].n_formats - 1;
            g_assert_cmpint(sdp_media_rtpmap(m, last_pt) != NULL, ==, cases[i].has_last_rtpmap);
        }
    }
}

/* --- Every prefix. --- */

static const char realistic_sdp[] =
    "v=0\r\n"
    "o=- 8271942374 2 IN IP4 192.0.2.45\r\n"
    "s=sipladder test\r\n"
    "c=IN IP4 192.0.2.45\r\n"
    "b=AS:84\r\n"
    "t=0 0\r\n"
    "a=sendrecv\r\n"
    "m=audio 40376 RTP/SAVP 111 0 8 9 101\r\n"
    "a=rtpmap:111 opus/48000/2\r\n"
    "a=fmtp:111 useinbandfec=1;minptime=10\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=ptime:20\r\n"
    "a=maxptime:120\r\n"
    "a=rtcp:40377 IN IP4 192.0.2.45\r\n"
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^31\r\n"
    "a=sendonly\r\n"
    "m=video 40378/2 RTP/AVPF 96 34\r\n"
    "c=IN IP6 2001:db8::45\r\n"
    "a=rtpmap:96 H264/90000\r\n"
    "a=fmtp:96 profile-level-id=42e01f\r\n"
    "a=rtcp-mux\r\n"
    "a=inactive\r\n"
    "m=image 0 udptl t38\r\n"
    "c=IN IP4 224.2.1.1/127/3\r\n";

static bool
view_inside(SlView v, const guint8 *buf, size_t len)
{
    if (v.len == 0)
        return true;
    uintptr_t p = (uintptr_t)v.p, b = (uintptr_t)buf;
    return buf && p >= b && p + v.len <= b + len;
}

/* Every view of @s lies in [buf, buf+len) or, for static rtpmaps, is the
 * table's string. */
static void
assert_views_inside(const Sdp *s, const guint8 *buf, size_t len)
{
    g_assert_true(view_inside(s->origin_user, buf, len));
    g_assert_true(view_inside(s->origin_sess_id, buf, len));
    g_assert_true(view_inside(s->origin_sess_version, buf, len));
    g_assert_true(view_inside(s->session_name, buf, len));
    g_assert_true(view_inside(s->conn_text, buf, len));
    g_assert_cmpuint(s->n_media, <=, SDP_MAX_MEDIA);
    for (size_t i = 0; i < s->n_media; i++) {
        const SdpMedia *m = &s->media[i];
        g_assert_true(view_inside(m->media, buf, len));
        g_assert_true(view_inside(m->proto, buf, len));
        g_assert_true(view_inside(m->conn_text, buf, len));
        g_assert_true(view_inside(m->crypto_suite, buf, len));
        g_assert_cmpuint(m->n_formats, <=, SDP_MAX_FORMATS);
        g_assert_cmpuint(m->n_rtpmap, <=, m->n_formats);
        for (size_t j = 0; j < m->n_formats; j++)
            g_assert_true(view_inside(m->formats[j], buf, len));
        for (size_t j = 0; j < m->n_rtpmap; j++) {
            const SdpRtpmap *r = &m->rtpmap[j];
            const RtpPtInfo *info = rtp_pt_static(r->pt);
            g_assert_true(view_inside(r->encoding, buf, len) ||
                          (info && r->encoding.p == (const guint8 *)info->name));
            g_assert_true(view_inside(r->fmtp, buf, len));
        }
    }
}

static void
check_every_prefix(const char *text, size_t total)
{
    for (size_t n = 0; n <= total; n++) {
        guint8 *buf = n ? g_malloc(n) : NULL;
        if (n)
            memcpy(buf, text, n);
        Sdp *s = g_new0(Sdp, 1);
        SlError err = { 0 };
        SlStatus st = sdp_parse(sl_view_make(buf, n), s, &err);
        if (n < 2) {
            assert_status(st, SL_ERR_NOT_MINE);
        } else if (st != SL_OK && st != SL_ERR_MALFORMED && st != SL_ERR_TRUNCATED) {
            g_error("prefix of %zu bytes: %s", n, sl_status_name(st));
        }
        if (st != SL_OK && st != SL_ERR_NOT_MINE) {
            assert_status(err.status, st);
            g_assert_cmpuint(err.offset, <=, n);
        }
        assert_views_inside(s, buf, n);
        g_free(s);
        g_free(buf);
    }
}

static void
test_every_prefix(void)
{
    size_t total = sizeof realistic_sdp - 1;
    check_every_prefix(realistic_sdp, total);

    /* the same with bare LF */
    g_autofree char *lf = g_strdup(realistic_sdp);
    size_t j = 0;
    for (size_t i = 0; i < total; i++)
        if (lf[i] != '\r')
            lf[j++] = lf[i];
    check_every_prefix(lf, j);

    /* and the whole thing parses as intended */
    g_autoptr(Parsed) p = parsed_new(realistic_sdp, total);
    const Sdp *s = p->sdp;
    assert_status(p->status, SL_OK);
    g_assert_false(s->has_bare_lf);
    g_assert_false(s->has_unterminated_line);
    g_assert_cmpuint(s->n_media, ==, 3);

    const SdpMedia *a = &s->media[0];
    g_autofree char *amaps = rtpmap_text(a);
    g_assert_cmpstr(amaps, ==,
                    "111 opus/48000/2 {useinbandfec=1;minptime=10};0 PCMU/8000/1;"
                    "8 PCMA/8000/1;9 G722/8000/1;101 telephone-event/8000/1 {0-16}");
    assert_addr_eq(&a->conn, "192.0.2.45:40376");
    assert_addr_eq(&a->rtcp_addr, "192.0.2.45:40377");
    g_assert_cmpstr(sdp_direction_name(a->direction), ==, "sendonly");
    g_assert_cmpint(a->ptime, ==, 20);
    g_assert_cmpint(a->maxptime, ==, 120);
    g_assert_true(a->has_crypto);
    g_assert_false(a->rtcp_mux);

    const SdpMedia *v = &s->media[1];
    g_autofree char *vmaps = rtpmap_text(v);
    g_assert_cmpstr(vmaps, ==, "96 H264/90000/1 {profile-level-id=42e01f};34 H263/90000/1");
    g_assert_cmpuint(v->n_ports, ==, 2);
    assert_addr_eq(&v->conn, "[2001:db8::45]:40378");
    g_assert_true(v->rtcp_mux);
    g_assert_cmpstr(sdp_direction_name(v->direction), ==, "inactive");

    const SdpMedia *t = &s->media[2];
    g_assert_cmpuint(t->port, ==, 0);
    g_assert_false(t->is_rtp);
    g_assert_cmpuint(t->n_rtpmap, ==, 0);
    assert_addr_eq(&t->conn, "224.2.1.1:0");
    g_assert_cmpstr(sdp_direction_name(t->direction), ==, "sendrecv");
}

/* --- rtp-pt.c. --- */

static void
test_rtp_pt_static(void)
{
    static const struct {
        unsigned pt;
        const char *name;
        guint32 clock_rate;
        unsigned channels;
        RtpPtMedia media;
    } assigned[] = {
        { 0, "PCMU", 8000, 1, RTP_PT_AUDIO },      { 3, "GSM", 8000, 1, RTP_PT_AUDIO },
        { 4, "G723", 8000, 1, RTP_PT_AUDIO },      { 5, "DVI4", 8000, 1, RTP_PT_AUDIO },
        { 6, "DVI4", 16000, 1, RTP_PT_AUDIO },     { 7, "LPC", 8000, 1, RTP_PT_AUDIO },
        { 8, "PCMA", 8000, 1, RTP_PT_AUDIO },      { 9, "G722", 8000, 1, RTP_PT_AUDIO },
        { 10, "L16", 44100, 2, RTP_PT_AUDIO },     { 11, "L16", 44100, 1, RTP_PT_AUDIO },
        { 12, "QCELP", 8000, 1, RTP_PT_AUDIO },    { 13, "CN", 8000, 1, RTP_PT_AUDIO },
        { 14, "MPA", 90000, 1, RTP_PT_AUDIO },     { 15, "G728", 8000, 1, RTP_PT_AUDIO },
        { 16, "DVI4", 11025, 1, RTP_PT_AUDIO },    { 17, "DVI4", 22050, 1, RTP_PT_AUDIO },
        { 18, "G729", 8000, 1, RTP_PT_AUDIO },     { 25, "CelB", 90000, 1, RTP_PT_VIDEO },
        { 26, "JPEG", 90000, 1, RTP_PT_VIDEO },    { 28, "nv", 90000, 1, RTP_PT_VIDEO },
        { 31, "H261", 90000, 1, RTP_PT_VIDEO },    { 32, "MPV", 90000, 1, RTP_PT_VIDEO },
        { 33, "MP2T", 90000, 1, RTP_PT_AUDIO_VIDEO }, { 34, "H263", 90000, 1, RTP_PT_VIDEO },
    };
    /* every type 0..127 (and beyond) is either in the list or NULL */
    for (unsigned pt = 0; pt <= 300; pt++) {
        const RtpPtInfo *info = rtp_pt_static(pt);
        size_t i = 0;
        while (i < G_N_ELEMENTS(assigned) && assigned[i].pt != pt)
            i++;
        if (i == G_N_ELEMENTS(assigned)) {
            g_assert_null(info);
            continue;
        }
        g_assert_nonnull(info);
        g_assert_cmpuint(info->pt, ==, pt);
        g_assert_cmpstr(info->name, ==, assigned[i].name);
        g_assert_cmpuint(info->clock_rate, ==, assigned[i].clock_rate);
        g_assert_cmpuint(info->channels, ==, assigned[i].channels);
        g_assert_cmpint(info->media, ==, assigned[i].media);
        g_assert_false(rtp_pt_is_dynamic(pt));
    }
    g_assert_null(rtp_pt_static(G_MAXUINT));
    g_assert_false(rtp_pt_is_dynamic(95));
    g_assert_true(rtp_pt_is_dynamic(96));
    g_assert_true(rtp_pt_is_dynamic(127));
    g_assert_false(rtp_pt_is_dynamic(128));
}

static void
test_rtp_pt_clock_rate(void)
{
    static const struct {
        unsigned pt;
        const char *name;
        guint32 clock_rate;
    } cases[] = {
        { 0, "", 8000 },
        { 9, "", 8000 },
        { 10, "", 44100 },
        { 6, "", 16000 },
        { 34, "", 90000 },
        { 96, "", 0 },
        { 19, "", 0 },
        { 200, "", 0 },
        { 96, "opus", 48000 },
        { 96, "OPUS", 48000 },
        { 101, "telephone-event", 8000 },
        { 96, "AMR", 8000 },
        { 96, "AMR-WB", 16000 },
        { 96, "amr-wb", 16000 },
        { 97, "iLBC", 8000 },
        { 97, "G722", 8000 },
        { 97, "g729", 8000 },
        { 97, "H264", 90000 },
        { 97, "VP8", 90000 },
        /* rate varies with the offer: only an rtpmap can tell */
        { 97, "speex", 0 },
        { 97, "L16", 0 },
        { 97, "DVI4", 0 },
        { 6, "DVI4", 16000 },
        { 97, "unknown-codec", 0 },
        /* a known name wins over the number */
        { 0, "G722", 8000 },
        { 0, "opus", 48000 },
        /* prefixes are not names */
        { 97, "AMR-W", 0 },
        { 97, "opus2", 0 },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_test_message("case %zu: %u %s", i, cases[i].pt, cases[i].name);
        g_assert_cmpuint(rtp_pt_clock_rate(cases[i].pt, sl_view_from_str(cases[i].name)), ==,
                         cases[i].clock_rate);
    }
    g_assert_cmpuint(rtp_pt_clock_rate(8, SL_VIEW_EMPTY), ==, 8000);
}

static void
test_direction_name(void)
{
    static const struct {
        SdpDirection dir;
        const char *name;
    } cases[] = {
        { SDP_DIR_SENDRECV, "sendrecv" },
        { SDP_DIR_SENDONLY, "sendonly" },
        { SDP_DIR_RECVONLY, "recvonly" },
        { SDP_DIR_INACTIVE, "inactive" },
        { (SdpDirection)42, "unknown" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
        g_assert_cmpstr(sdp_direction_name(cases[i].dir), ==, cases[i].name);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sdp/not-mine", test_not_mine);
    g_test_add_func("/sdp/session-lines", test_session_lines);
    g_test_add_func("/sdp/connection", test_connection);
    g_test_add_func("/sdp/media-line", test_media_line);
    g_test_add_func("/sdp/several-media", test_several_media);
    g_test_add_func("/sdp/rtpmap", test_rtpmap);
    g_test_add_func("/sdp/rtpmap-lookup", test_rtpmap_lookup);
    g_test_add_func("/sdp/attributes", test_attributes);
    g_test_add_func("/sdp/lines", test_lines);
    g_test_add_func("/sdp/error-record", test_error_record);
    g_test_add_func("/sdp/limits", test_limits);
    g_test_add_func("/sdp/every-prefix", test_every_prefix);
    g_test_add_func("/sdp/direction-name", test_direction_name);
    g_test_add_func("/rtp-pt/static", test_rtp_pt_static);
    g_test_add_func("/rtp-pt/clock-rate", test_rtp_pt_clock_rate);
    return g_test_run();
}
