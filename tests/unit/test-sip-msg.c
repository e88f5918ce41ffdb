/* Unit tests: SIP message parsing (dissect/sip-msg.c, sip-uri.c, sip-body.c). */
#include <string.h>

#include "sip-msg.h"

#define CRLF "\r\n"

static const char invite[] =
    "INVITE sip:+15551234@gw-b.example.com;user=phone SIP/2.0" CRLF
    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds;rport" CRLF
    "Via: SIP/2.0/TCP 10.0.0.9;branch=z9hG4bKold, SIP/2.0/UDP [2001:db8::9]:5070;received=192.0.2.1" CRLF
    "Max-Forwards: 70" CRLF
    "To: <sip:+15551234@example.com>" CRLF
    "From: \"Alice \\\"A\\\" Smith\" <sip:alice@example.com>;tag=1928301774" CRLF
    "Call-ID: a84b4c76e66710@pc33.example.com" CRLF
    "CSeq: 314159 INVITE" CRLF
    "Contact: <sip:alice@10.0.0.1:5060;transport=udp>;expires=60, sip:alt@10.0.0.2" CRLF
    "Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>" CRLF
    "P-Asserted-Identity: \"Alice\" <sip:alice@example.com>, <tel:+15550001>" CRLF
    "Diversion: <sip:bob@example.com>;reason=unconditional" CRLF
    "History-Info: <sip:bob@example.com>;index=1, <sip:carol@example.com>;index=1.1" CRLF
    "User-Agent: TestPhone/1.0" CRLF
    "X-Custom: one" CRLF
    "Subject: a folded" CRLF
    "  subject line" CRLF
    "Content-Type: application/sdp" CRLF
    "Content-Length: 12" CRLF
    CRLF
    "v=0\r\no=- 1\r\n";

static SlView
v(const char *s)
{
    return sl_view_from_str(s);
}

static void
test_request(void)
{
    SipMsg *m = g_new0(SipMsg, 1);
    g_assert_cmpint(sip_msg_parse(v(invite), SIP_FRAMING_DATAGRAM, NULL, m), ==, SL_OK);
    g_assert_true(m->is_request);
    g_assert_cmpint(m->method, ==, SIP_METHOD_INVITE);
    g_assert_true(sl_view_eq_str(m->ruri, "sip:+15551234@gw-b.example.com;user=phone"));
    g_assert_true(sl_view_eq_str(m->call_id, "a84b4c76e66710@pc33.example.com"));
    g_assert_cmpuint(m->cseq, ==, 314159);
    g_assert_cmpint(m->cseq_method, ==, SIP_METHOD_INVITE);
    g_assert_cmpint(m->max_forwards, ==, 70);
    g_assert_true(sl_view_eq_str(m->from.tag, "1928301774"));
    g_assert_true(sl_view_eq_str(m->from.display, "Alice \\\"A\\\" Smith"));
    g_assert_true(sl_view_eq_str(m->from.uri.user, "alice"));
    g_assert_true(sl_view_eq_str(m->from.uri.host, "example.com"));
    g_assert_cmpuint(m->to.tag.len, ==, 0);
    g_assert_true(sl_view_eq_str(m->to.uri.user, "+15551234"));
    /* Via: three values over two headers; the top one is typed */
    g_assert_cmpuint(m->n_via, ==, 3);
    g_assert_true(m->has_via);
    g_assert_true(sl_view_eq_str(m->via.transport, "UDP"));
    g_assert_true(sl_view_eq_str(m->via.host, "10.0.0.1"));
    g_assert_cmpuint(m->via.port, ==, 5060);
    g_assert_true(sl_view_eq_str(m->via.branch, "z9hG4bK776asdhds"));
    g_assert_true(m->via.is_rfc3261);
    g_assert_true(m->via.has_rport);
    g_assert_cmpuint(m->via.rport.len, ==, 0);
    SipValueIter it = { 0 };
    SlView val;
    const char *hosts[] = { "10.0.0.1", "10.0.0.9", "2001:db8::9" };
    for (int i = 0; i < 3; i++) {
        SipVia via;
        g_assert_true(sip_msg_next_value(m, SIP_HDR_VIA, &it, &val));
        g_assert_cmpint(sip_via_parse(val, &via), ==, SL_OK);
        g_assert_true(sl_view_eq_str(via.host, hosts[i]));
        if (i == 2) {
            g_assert_cmpuint(via.port, ==, 5070);
            g_assert_true(sl_view_eq_str(via.received, "192.0.2.1"));
        }
    }
    g_assert_false(sip_msg_next_value(m, SIP_HDR_VIA, &it, &val));
    /* list headers split at commas; non-list headers whole */
    SipValueIter rr = { 0 };
    unsigned n = 0;
    while (sip_msg_next_value(m, SIP_HDR_RECORD_ROUTE, &rr, &val))
        n++;
    g_assert_cmpuint(n, ==, 2);
    SipValueIter pai = { 0 };
    g_assert_true(sip_msg_next_value(m, SIP_HDR_P_ASSERTED_IDENTITY, &pai, &val));
    SipNameAddr na;
    g_assert_cmpint(sip_name_addr_parse(val, &na), ==, SL_OK);
    g_assert_true(sl_view_eq_str(na.display, "Alice"));
    g_assert_true(sip_msg_next_value(m, SIP_HDR_P_ASSERTED_IDENTITY, &pai, &val));
    g_assert_cmpint(sip_name_addr_parse(val, &na), ==, SL_OK);
    g_assert_true(sl_view_eq_str(na.uri.scheme, "tel"));
    g_assert_true(sl_view_eq_str(na.uri.user, "+15550001"));
    SipValueIter hi = { 0 };
    n = 0;
    while (sip_msg_next_value(m, SIP_HDR_HISTORY_INFO, &hi, &val))
        n++;
    g_assert_cmpuint(n, ==, 2);
    const SipHdr *div = sip_msg_hdr(m, SIP_HDR_DIVERSION);
    g_assert_nonnull(div);
    g_assert_cmpint(sip_name_addr_parse(div->value, &na), ==, SL_OK);
    SlView reason;
    g_assert_true(sip_param_get(na.params, "reason", &reason));
    g_assert_true(sl_view_eq_str(reason, "unconditional"));
    g_assert_true(sl_view_eq_str(sip_msg_hdr(m, SIP_HDR_USER_AGENT)->value, "TestPhone/1.0"));
    /* unknown headers kept, in order, by name */
    const SipHdr *x = sip_msg_hdr_by_name(m, "x-custom");
    g_assert_nonnull(x);
    g_assert_cmpint(x->id, ==, SIP_HDR_OTHER);
    g_assert_true(sl_view_eq_str(x->value, "one"));
    g_assert_true(x < sip_msg_hdr(m, SIP_HDR_SUBJECT));
    /* folded line: one value across two lines */
    const SipHdr *subj = sip_msg_hdr(m, SIP_HDR_SUBJECT);
    g_assert_true(sl_view_eq_str(subj->value, "a folded" CRLF "  subject line"));
    /* body by Content-Length */
    g_assert_cmpuint(m->body.len, ==, 12);
    g_assert_true(sl_view_eq_str(m->content_type, "application/sdp"));
    SlView sdp;
    g_assert_true(sip_msg_find_sdp(m, 4, &sdp));
    g_assert_true(sl_view_eq_str(sdp, "v=0\r\no=- 1\r\n"));
    g_assert_cmpuint(m->raw.len, ==, strlen(invite));
    g_assert_cmpuint(m->flags, ==, 0);
    g_free(m);
}

typedef struct {
    const char *name;
    const char *text;
    SlStatus status;
    uint32_t flags_set;  /* flags that must be set */
    const char *call_id; /* NULL: not checked */
    unsigned status_code;
    const char *method;
    size_t body_len;
} Case;

#define HDRS "Via: SIP/2.0/UDP h;branch=z9hG4bK1" CRLF "From: <sip:a@h>;tag=1" CRLF \
             "To: <sip:b@h>" CRLF "Call-ID: c1" CRLF

static const Case datagram_cases[] = {
    { "response", "SIP/2.0 180 Ringing" CRLF HDRS "CSeq: 1 INVITE" CRLF "Content-Length: 0" CRLF CRLF,
      SL_OK, 0, "c1", 180, NULL, 0 },
    { "empty-reason", "SIP/2.0 100 " CRLF HDRS "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF,
      SL_OK, 0, "c1", 100, NULL, 0 },
    { "compact-forms",
      "OPTIONS sip:b@h SIP/2.0" CRLF "v: SIP/2.0/UDP h;branch=z9hG4bK1" CRLF "f: <sip:a@h>;tag=9" CRLF
      "t: <sip:b@h>" CRLF "i: compact" CRLF "CSeq: 2 OPTIONS" CRLF "m: <sip:a@h>" CRLF "k: 100rel" CRLF
      "s: hi" CRLF "c: text/plain" CRLF "l: 2" CRLF CRLF "hi",
      SL_OK, 0, "compact", 0, "OPTIONS", 2 },
    { "bare-lf", "SIP/2.0 200 OK\n" HDRS "CSeq: 1 BYE\nContent-Length: 0\n\n",
      SL_OK, SIP_FLAG_BARE_LF, "c1", 200, NULL, 0 },
    { "no-content-length-datagram", "MESSAGE sip:b@h SIP/2.0" CRLF HDRS "CSeq: 3 MESSAGE" CRLF CRLF "hello",
      SL_OK, SIP_FLAG_NO_CONTENT_LENGTH, "c1", 0, "MESSAGE", 5 },
    { "trailing-bytes", "BYE sip:b@h SIP/2.0" CRLF HDRS "CSeq: 4 BYE" CRLF "Content-Length: 0" CRLF CRLF "junk",
      SL_OK, SIP_FLAG_TRAILING_DATA, "c1", 0, "BYE", 0 },
    { "content-length-too-big", "BYE sip:b@h SIP/2.0" CRLF HDRS "CSeq: 4 BYE" CRLF "Content-Length: 99" CRLF CRLF "abc",
      SL_ERR_MALFORMED, SIP_FLAG_CL_MISMATCH, "c1", 0, "BYE", 3 },
    { "missing-headers", "OPTIONS sip:b@h SIP/2.0" CRLF "Content-Length: 0" CRLF CRLF,
      SL_OK, SIP_FLAG_MISSING, "", 0, "OPTIONS", 0 },
    { "cseq-mismatch", "OPTIONS sip:b@h SIP/2.0" CRLF HDRS "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF,
      SL_ERR_MALFORMED, 0, "c1", 0, "OPTIONS", 0 },
    { "bad-status", "SIP/2.0 4294967301 x" CRLF HDRS "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF,
      SL_ERR_MALFORMED, 0, "c1", 0, NULL, 0 },
    { "no-blank-line", "SIP/2.0 200 OK" CRLF HDRS "CSeq: 1 BYE" CRLF "l: 0" CRLF,
      SL_OK, SIP_FLAG_NO_BLANK_LINE, "c1", 200, NULL, 0 },
    { "unknown-method", "FOO sip:b@h SIP/2.0" CRLF HDRS "CSeq: 1 FOO" CRLF "l: 0" CRLF CRLF,
      SL_OK, 0, "c1", 0, "FOO", 0 },
    { "duplicate-call-id", "BYE sip:b@h SIP/2.0" CRLF HDRS "Call-ID: other" CRLF "CSeq: 4 BYE" CRLF "l: 0" CRLF CRLF,
      SL_ERR_MALFORMED, SIP_FLAG_DUPLICATE, "c1", 0, "BYE", 0 },
    { "keepalive-crlf-before", CRLF CRLF "SIP/2.0 200 OK" CRLF HDRS "CSeq: 1 BYE" CRLF "l: 0" CRLF CRLF,
      SL_OK, 0, "c1", 200, NULL, 0 },
    { "http", "GET / HTTP/1.1" CRLF "Host: x" CRLF CRLF, SL_ERR_NOT_MINE, 0, NULL, 0, NULL, 0 },
    { "empty", "", SL_ERR_NOT_MINE, 0, NULL, 0, NULL, 0 },
    { "keepalive-only", CRLF CRLF, SL_ERR_NOT_MINE, 0, NULL, 0, NULL, 0 },
};

static void
test_datagram_cases(void)
{
    SipMsg *m = g_new0(SipMsg, 1);
    for (size_t i = 0; i < G_N_ELEMENTS(datagram_cases); i++) {
        const Case *c = &datagram_cases[i];
        SlStatus st = sip_msg_parse(v(c->text), SIP_FRAMING_DATAGRAM, NULL, m);
        if (st != c->status)
            g_error("%s: status %s, expected %s", c->name, sl_status_name(st),
                    sl_status_name(c->status));
        if (st == SL_ERR_NOT_MINE)
            continue;
        if ((m->flags & c->flags_set) != c->flags_set)
            g_error("%s: flags 0x%x lack 0x%x", c->name, m->flags, c->flags_set);
        if (c->call_id)
            g_assert_true(sl_view_eq_str(m->call_id, c->call_id));
        g_assert_cmpuint(m->status, ==, c->status_code);
        if (c->method)
            g_assert_true(sl_view_eq_str(m->method_name, c->method));
        g_assert_cmpuint(m->body.len, ==, c->body_len);
        if (st != SL_OK)
            g_assert_nonnull(m->error.msg);
    }
    g_free(m);
}

static void
test_header_table(void)
{
    static const struct { const char *name; SipHdrId id; } names[] = {
        { "i", SIP_HDR_CALL_ID }, { "F", SIP_HDR_FROM }, { "t", SIP_HDR_TO },
        { "v", SIP_HDR_VIA }, { "m", SIP_HDR_CONTACT }, { "l", SIP_HDR_CONTENT_LENGTH },
        { "c", SIP_HDR_CONTENT_TYPE }, { "k", SIP_HDR_SUPPORTED }, { "s", SIP_HDR_SUBJECT },
        { "e", SIP_HDR_CONTENT_ENCODING }, { "o", SIP_HDR_EVENT }, { "r", SIP_HDR_REFER_TO },
        { "b", SIP_HDR_REFERRED_BY }, { "u", SIP_HDR_ALLOW_EVENTS },
        { "x", SIP_HDR_SESSION_EXPIRES }, { "y", SIP_HDR_IDENTITY },
        { "CALL-ID", SIP_HDR_CALL_ID }, { "via", SIP_HDR_VIA }, { "cseq", SIP_HDR_CSEQ },
        { "Record-Route", SIP_HDR_RECORD_ROUTE }, { "Route", SIP_HDR_ROUTE },
        { "max-forwards", SIP_HDR_MAX_FORWARDS }, { "Reason", SIP_HDR_REASON },
        { "Server", SIP_HDR_SERVER }, { "p-asserted-identity", SIP_HDR_P_ASSERTED_IDENTITY },
        { "X-Call-ID", SIP_HDR_X_CALL_ID }, { "Session-ID", SIP_HDR_SESSION_ID },
        { "P-Charging-Vector", SIP_HDR_P_CHARGING_VECTOR }, { "Foo", SIP_HDR_OTHER },
        { "z", SIP_HDR_OTHER }, { "Vias", SIP_HDR_OTHER },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        g_assert_cmpint(sip_hdr_id_from_name(v(names[i].name)), ==, names[i].id);
    g_assert_cmpstr(sip_hdr_name(SIP_HDR_CALL_ID), ==, "Call-ID");
    g_assert_true(sip_hdr_is_list(SIP_HDR_VIA));
    g_assert_false(sip_hdr_is_list(SIP_HDR_CALL_ID));
    g_assert_cmpint(sip_method_from_view(v("REGISTER")), ==, SIP_METHOD_REGISTER);
    g_assert_cmpint(sip_method_from_view(v("register")), ==, SIP_METHOD_UNKNOWN);
    g_assert_cmpstr(sip_method_name(SIP_METHOD_PRACK), ==, "PRACK");
}

typedef struct {
    const char *text;
    SlStatus status;
    const char *scheme, *user, *host;
    unsigned port;
    const char *params, *headers;
} UriCase;

static void
test_uris(void)
{
    static const UriCase cases[] = {
        { "sip:alice@example.com", SL_OK, "sip", "alice", "example.com", 0, "", "" },
        { "sips:alice:pw@10.0.0.1:5061;transport=tls", SL_OK, "sips", "alice", "10.0.0.1", 5061,
          "transport=tls", "" },
        { "sip:user;par=u%40example.net@example.com", SL_OK, "sip", "user;par=u%40example.net",
          "example.com", 0, "", "" },
        { "sip:[2001:db8::1]:5070;lr", SL_OK, "sip", "", "2001:db8::1", 5070, "lr", "" },
        { "sip:example.com?Route=%3Csip:x%3E", SL_OK, "sip", "", "example.com", 0, "",
          "Route=%3Csip:x%3E" },
        { "tel:+15551234;phone-context=x", SL_OK, "tel", "+15551234", "", 0, "phone-context=x", "" },
        { "nobodyKnowsThisScheme:totallyopaquecontent", SL_OK, "nobodyKnowsThisScheme",
          "totallyopaquecontent", "", 0, "", "" },
        { "sip:a@h:99999", SL_ERR_MALFORMED, "sip", "a", "h", 0, "", "" },
        { "sip:a@", SL_ERR_MALFORMED, "sip", "a", "", 0, "", "" },
        { "noscheme", SL_ERR_MALFORMED, "", "", "", 0, "", "" },
        { "sip:a b@h", SL_ERR_MALFORMED, "sip", "", "", 0, "", "" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const UriCase *c = &cases[i];
        SipUri u;
        SlStatus st = sip_uri_parse(v(c->text), &u);
        if (st != c->status)
            g_error("%s: %s", c->text, sl_status_name(st));
        if (st != SL_OK)
            continue;
        g_assert_true(sl_view_eq_str(u.scheme, c->scheme));
        g_assert_true(sl_view_eq_str(u.user, c->user));
        g_assert_true(sl_view_eq_str(u.host, c->host));
        g_assert_cmpuint(u.port, ==, c->port);
        g_assert_true(sl_view_eq_str(u.params, c->params));
        g_assert_true(sl_view_eq_str(u.headers, c->headers));
    }
}

typedef struct {
    const char *text;
    SlStatus status;
    const char *display, *uri, *tag;
    gboolean brackets;
} NaCase;

static void
test_name_addr(void)
{
    static const NaCase cases[] = {
        { "\"Bob\" <sip:bob@h>;tag=x1", SL_OK, "Bob", "sip:bob@h", "x1", TRUE },
        { "Bob Smith <sip:bob@h;lr>", SL_OK, "Bob Smith", "sip:bob@h;lr", "", TRUE },
        { "caller<sip:caller@example.com>;tag=323", SL_OK, "caller", "sip:caller@example.com", "323", TRUE },
        /* addr-spec: the parameter belongs to the header, not the URI */
        { "sip:+19725552222@gw1.example.net;unknownparam", SL_OK, "",
          "sip:+19725552222@gw1.example.net", "", FALSE },
        { "<sip:+19725552222@gw1.example.net;unknownparam>", SL_OK, "",
          "sip:+19725552222@gw1.example.net;unknownparam", "", TRUE },
        { "isbn:2983792873", SL_OK, "", "isbn:2983792873", "", FALSE },
        { "\"Mr. J. User <sip:j.user@example.com>", SL_ERR_MALFORMED, NULL, NULL, NULL, FALSE },
        { "\"Watson, Thomas\" < sip:t.watson@example.org >", SL_ERR_MALFORMED, "Watson, Thomas",
          "sip:t.watson@example.org", "", TRUE },
        { "Bell, Alexander <sip:a.g.bell@example.com>;tag=43", SL_ERR_MALFORMED, NULL, NULL, NULL, FALSE },
        { "sip:user@example.com?Route=%3Csip:sip.example.com%3E", SL_ERR_MALFORMED, NULL, NULL, NULL, FALSE },
        { "<sip:a@h>;;;;", SL_ERR_MALFORMED, NULL, NULL, NULL, FALSE },
        { "", SL_ERR_MALFORMED, NULL, NULL, NULL, FALSE },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const NaCase *c = &cases[i];
        SipNameAddr na;
        SlStatus st = sip_name_addr_parse(v(c->text), &na);
        if (st != c->status)
            g_error("'%s': %s", c->text, sl_status_name(st));
        if (c->display == NULL)
            continue;
        g_assert_true(sl_view_eq_str(na.display, c->display));
        g_assert_true(sl_view_eq_str(na.uri_text, c->uri));
        g_assert_true(sl_view_eq_str(na.tag, c->tag));
        g_assert_cmpint(na.has_brackets, ==, c->brackets);
    }
}

static void
test_via(void)
{
    SipVia via;
    g_assert_cmpint(sip_via_parse(v("SIP  /   2.0  / TCP     spindle.example.com   ;"
                                    "   branch  =   z9hG4bK9ikj8  "), &via), ==, SL_OK);
    g_assert_true(sl_view_eq_str(via.transport, "TCP"));
    g_assert_true(sl_view_eq_str(via.host, "spindle.example.com"));
    g_assert_true(sl_view_eq_str(via.branch, "z9hG4bK9ikj8"));
    g_assert_cmpint(sip_via_parse(v("SIP/2.0/UDP 192.0.2.1:5060;rport=5062;received=1.2.3.4;branch=abc"),
                                  &via), ==, SL_OK);
    g_assert_true(sl_view_eq_str(via.rport, "5062"));
    g_assert_false(via.is_rfc3261);
    g_assert_cmpuint(via.port, ==, 5060);
    g_assert_cmpint(sip_via_parse(v("SIP/2.0/UDP 192.0.2.15;;"), &via), ==, SL_ERR_MALFORMED);
    g_assert_cmpint(sip_via_parse(v("SIP/2.0 192.0.2.15"), &via), ==, SL_ERR_MALFORMED);
    g_assert_cmpint(sip_via_parse(v(""), &via), ==, SL_ERR_MALFORMED);
}

static void
test_reason(void)
{
    SipReason r;
    g_assert_cmpint(sip_reason_parse(v("SIP ;cause=200 ;text=\"Call completed elsewhere\""), &r), ==,
                    SL_OK);
    g_assert_true(sl_view_eq_str(r.protocol, "SIP"));
    g_assert_cmpint(r.cause, ==, 200);
    g_assert_true(sl_view_eq_str(r.text, "Call completed elsewhere"));
    g_assert_cmpint(sip_reason_parse(v("Q.850;cause=16"), &r), ==, SL_OK);
    g_assert_true(sl_view_eq_str(r.protocol, "Q.850"));
    g_assert_cmpint(r.cause, ==, 16);
    g_assert_cmpuint(r.text.len, ==, 0);
    g_assert_cmpint(sip_reason_parse(v("SIP"), &r), ==, SL_OK);
    g_assert_cmpint(r.cause, ==, -1);
    g_assert_cmpint(sip_reason_parse(v("Q.850;cause=abc"), &r), ==, SL_ERR_MALFORMED);
    g_assert_cmpint(sip_reason_parse(v("\"x\";cause=1"), &r), ==, SL_ERR_MALFORMED);
}

static void
test_stream_framing(void)
{
    const char *two = "SIP/2.0 200 OK" CRLF HDRS "CSeq: 1 BYE" CRLF "Content-Length: 4" CRLF CRLF "abcd"
                      "SIP/2.0 180 Ringing" CRLF HDRS "CSeq: 1 INVITE" CRLF "Content-Length: 0" CRLF CRLF;
    SipMsg *m = g_new0(SipMsg, 1);
    SlView all = v(two);
    g_assert_cmpint(sip_msg_parse(all, SIP_FRAMING_STREAM, NULL, m), ==, SL_OK);
    g_assert_cmpuint(m->status, ==, 200);
    g_assert_true(sl_view_eq_str(m->body, "abcd"));
    size_t first = m->raw.len;
    g_assert_cmpint(sip_msg_parse(sl_view_tail(all, first), SIP_FRAMING_STREAM, NULL, m), ==, SL_OK);
    g_assert_cmpuint(m->status, ==, 180);
    g_assert_cmpuint(first + m->raw.len, ==, all.len);
    /* every cut inside the first message asks for more */
    for (size_t n = 1; n < first; n++) {
        g_autofree uint8_t *buf = g_memdup2(two, n);
        SlStatus st = sip_msg_parse(sl_view_make(buf, n), SIP_FRAMING_STREAM, NULL, m);
        if (st != SL_ERR_NEED_MORE)
            g_error("cut at %zu: %s", n, sl_status_name(st));
    }
    /* stream Content-Length is mandatory: absent means zero */
    g_assert_cmpint(sip_msg_parse(v("SIP/2.0 200 OK" CRLF HDRS "CSeq: 1 BYE" CRLF CRLF "SIP/2.0"),
                                  SIP_FRAMING_STREAM, NULL, m), ==, SL_OK);
    g_assert_cmpuint(m->body.len, ==, 0);
    /* too large: LIMIT, not an endless wait */
    SipParseOptions o;
    sip_parse_options_init(&o);
    o.max_message = 64;
    g_assert_cmpint(sip_msg_parse(all, SIP_FRAMING_STREAM, &o, m), ==, SL_ERR_LIMIT);
    g_assert_true(m->flags & SIP_FLAG_TOO_LARGE);
    g_free(m);
}

static void
test_header_limit(void)
{
    GString *s = g_string_new("SIP/2.0 200 OK" CRLF HDRS "CSeq: 1 BYE" CRLF);
    for (int i = 0; i < 300; i++)
        g_string_append_printf(s, "X-H%d: %d" CRLF, i, i);
    g_string_append(s, "Content-Length: 0" CRLF CRLF);
    SipMsg *m = g_new0(SipMsg, 1);
    SipParseOptions o;
    sip_parse_options_init(&o);
    o.max_headers = 20;
    g_assert_cmpint(sip_msg_parse(sl_view_make(s->str, s->len), SIP_FRAMING_DATAGRAM, &o, m), ==,
                    SL_ERR_LIMIT);
    g_assert_cmpuint(m->n_hdrs, ==, 20);
    g_assert_true(m->flags & SIP_FLAG_HEADER_LIMIT);
    g_assert_true(sl_view_eq_str(m->call_id, "c1")); /* what parsed is kept */
    g_string_free(s, TRUE);
    g_free(m);
}

static const char multipart[] =
    "INVITE sip:9275890000@h SIP/2.0" CRLF HDRS "CSeq: 1 INVITE" CRLF
    "Content-Type: multipart/mixed;boundary=\"unique-boundary-1\"" CRLF
    "Content-Length: 184" CRLF CRLF
    "--unique-boundary-1" CRLF
    "Content-Type: application/sdp" CRLF CRLF
    "v=0" CRLF "m=audio 1 RTP/AVP 0" CRLF CRLF
    "--unique-boundary-1" CRLF
    "Content-Type: application/isup; version=itu-t92+" CRLF CRLF
    "\x01\x00\n\x02" CRLF
    "--unique-boundary-1--" CRLF;

static void
test_multipart(void)
{
    SipMsg *m = g_new0(SipMsg, 1);
    SlView all = sl_view_make(multipart, sizeof multipart - 1);
    SlStatus st = sip_msg_parse(all, SIP_FRAMING_DATAGRAM, NULL, m);
    g_assert_cmpint(st, ==, SL_OK);
    g_assert_cmpuint(m->body.len, ==, 184);
    SlView sdp;
    g_assert_true(sip_msg_find_sdp(m, 4, &sdp));
    g_assert_true(sl_view_eq_str(sdp, "v=0" CRLF "m=audio 1 RTP/AVP 0" CRLF));
    /* depth 0 does not open multipart bodies */
    g_assert_false(sip_msg_find_sdp(m, 0, &sdp));
    size_t pos = 0;
    SipBodyPart part;
    unsigned parts = 0;
    while (sip_multipart_next(m->body, v("\"unique-boundary-1\""), &pos, &part)) {
        parts++;
        if (parts == 2) {
            g_assert_true(sl_view_eq_str(part.content_type, "application/isup"));
            g_assert_cmpuint(part.body.len, ==, 4);
        }
    }
    g_assert_cmpuint(parts, ==, 2);
    g_free(m);
}

/* Every prefix of every message, each in a buffer of exactly its length,
 * parses to a defined status without reading outside it. */
static void
test_every_prefix(void)
{
    const char *msgs[] = { invite, multipart, datagram_cases[2].text, datagram_cases[3].text };
    SipMsg *m = g_new0(SipMsg, 1);
    for (size_t k = 0; k < G_N_ELEMENTS(msgs); k++) {
        size_t len = strlen(msgs[k]);
        for (size_t n = 0; n <= len; n++) {
            uint8_t *buf = g_memdup2(msgs[k], n ? n : 1);
            for (int f = 0; f < 2; f++) {
                SlStatus st = sip_msg_parse(sl_view_make(buf, n), f ? SIP_FRAMING_STREAM
                                                                    : SIP_FRAMING_DATAGRAM, NULL, m);
                g_assert_true(st == SL_OK || st == SL_ERR_MALFORMED || st == SL_ERR_NOT_MINE ||
                              st == SL_ERR_NEED_MORE);
                if (st == SL_OK || st == SL_ERR_MALFORMED)
                    g_assert_cmpuint(m->raw.len, <=, n);
            }
            g_free(buf);
        }
    }
    g_free(m);
}

static void
test_looks_like(void)
{
    g_assert_true(sip_msg_looks_like(v("SIP/2.0 200 OK\r\n")));
    g_assert_true(sip_msg_looks_like(v("INVITE sip:a@b SIP/2.0\r\n")));
    g_assert_true(sip_msg_looks_like(v("INVITE sip:alan@jasomi.com\r\n")));
    g_assert_false(sip_msg_looks_like(v("GET / HTTP/1.1\r\n")));
    g_assert_false(sip_msg_looks_like(v("\x80\x00\x12\x34")));
    g_assert_false(sip_msg_looks_like(v("")));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sip/request", test_request);
    g_test_add_func("/sip/datagram-cases", test_datagram_cases);
    g_test_add_func("/sip/header-table", test_header_table);
    g_test_add_func("/sip/uri", test_uris);
    g_test_add_func("/sip/name-addr", test_name_addr);
    g_test_add_func("/sip/via", test_via);
    g_test_add_func("/sip/reason", test_reason);
    g_test_add_func("/sip/stream-framing", test_stream_framing);
    g_test_add_func("/sip/header-limit", test_header_limit);
    g_test_add_func("/sip/multipart", test_multipart);
    g_test_add_func("/sip/every-prefix", test_every_prefix);
    g_test_add_func("/sip/looks-like", test_looks_like);
    return g_test_run();
}
