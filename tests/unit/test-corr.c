/* sipladder: unit tests for correlate/ (corr-engine.c, corr-call.c,
 * corr-msg.c, corr-stats.c): transactions, retransmissions and duplicates,
 * proxy hops, dialogs, call states and timings, entry kinds, the links
 * between B2BUA legs (and the cases that must stay apart), events, the
 * per-call memory bound, eviction of finished entries in long captures and
 * the RFC 6076 figures.
 *
 * Every message is written as text here, parsed with sip_msg_parse() and
 * fed to the engine with a CapPacket made up by the test: capture time,
 * addresses and IPv4 Identification are chosen by each case. */
#include <string.h>

#include "corr.h"
#include "sip-msg.h"

#define CRLF "\r\n"

/* Capture time of the first message: 2023-11-14 22:13:20 UTC. */
#define T0 ((SlTime)1700000000 * SL_TIME_SECOND)

/* Signalling addresses. */
#define PHONE "10.0.0.10:5060"
#define PHONE2 "10.0.0.11:5060"
#define B2B "10.0.0.20:5060"
#define B2B2 "10.0.0.21:5060"
#define GW "10.0.0.50:5060"
#define PROXY "10.0.0.1:5060"
#define REGISTRAR "10.0.0.2:5060"
#define REDIR "10.0.0.5:5060"
#define TARGET "10.0.0.60:5060"
#define MEDIASRV "10.0.0.99:5060"

/* ------------------------------------------------------------ helpers */

/* One message and the packet that carries it. Unset fields take defaults:
 * CSeq 1, From alice;tag=fa, To bob without tag, the Request-URI
 * sip:<to>@<dst host>, one Via with the sender's address and the branch
 * z9hG4bK-<Call-ID>-<CSeq>-<method> (responses: the receiver's address and
 * the CSeq method), an IP ID unique per frame. */
typedef struct {
    int64_t t;               /* ms after T0 */
    const char *src, *dst;   /* "ip:port" */
    uint16_t ip_id;          /* 0: a fresh one, unless no_ip_id */
    bool no_ip_id;
    const char *method;      /* a request; NULL for a response */
    unsigned status;
    const char *ruri;
    const char *cid;
    unsigned cseq;
    const char *cseq_method; /* responses: defaults to INVITE */
    const char *from, *ftag; /* From user and tag */
    const char *to, *ttag;   /* To user and tag (NULL: none) */
    const char *branch;      /* top Via branch; "" for none */
    const char *via;         /* whole Via list, values separated by '|' */
    const char *contact;     /* Contact value, angle brackets added when absent */
    const char *sdp;         /* "ip:port" of one m=audio line */
    const char *extra;       /* more header lines, each ending in CRLF */
} Msg;

typedef struct {
    CorrEngine *e;
    uint64_t frame;
} Fx;

static const char *
reason_for(unsigned status)
{
    switch (status) {
    case 100: return "Trying";
    case 180: return "Ringing";
    case 183: return "Session Progress";
    case 200: return "OK";
    case 302: return "Moved Temporarily";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 486: return "Busy Here";
    case 487: return "Request Terminated";
    case 503: return "Service Unavailable";
    case 600: return "Busy Everywhere";
    case 603: return "Decline";
    default: return "Other";
    }
}

/* "10.0.0.10:5060" -> "10.0.0.10" (caller frees) */
static char *
host_of(const char *hostport)
{
    const char *colon = strrchr(hostport, ':');
    return colon ? g_strndup(hostport, (gsize)(colon - hostport)) : g_strdup(hostport);
}

static char *
msg_text(const Msg *m)
{
    GString *s = g_string_new(NULL);
    bool req = m->method != NULL;
    const char *cseq_method = req ? m->method : (m->cseq_method ? m->cseq_method : "INVITE");
    unsigned cseq = m->cseq ? m->cseq : 1;
    const char *from = m->from ? m->from : "alice";
    const char *ftag = m->ftag ? m->ftag : "fa";
    const char *to = m->to ? m->to : "bob";
    g_autofree char *dst_host = host_of(m->dst);

    if (req) {
        if (m->ruri)
            g_string_append_printf(s, "%s %s SIP/2.0" CRLF, m->method, m->ruri);
        else
            g_string_append_printf(s, "%s sip:%s@%s SIP/2.0" CRLF, m->method, to, dst_host);
    } else {
        g_string_append_printf(s, "SIP/2.0 %u %s" CRLF, m->status, reason_for(m->status));
    }
    if (m->via) {
        g_auto(GStrv) vias = g_strsplit(m->via, "|", -1);
        for (guint i = 0; vias[i]; i++)
            g_string_append_printf(s, "Via: SIP/2.0/UDP %s" CRLF, vias[i]);
    } else {
        const char *sb = req ? m->src : m->dst;
        if (m->branch && !m->branch[0])
            g_string_append_printf(s, "Via: SIP/2.0/UDP %s" CRLF, sb);
        else if (m->branch)
            g_string_append_printf(s, "Via: SIP/2.0/UDP %s;branch=%s" CRLF, sb, m->branch);
        else
            g_string_append_printf(s, "Via: SIP/2.0/UDP %s;branch=z9hG4bK-%s-%u-%s" CRLF, sb,
                                   m->cid, cseq, cseq_method);
    }
    if (req)
        g_string_append(s, "Max-Forwards: 70" CRLF);
    g_string_append_printf(s, "From: <sip:%s@example.com>;tag=%s" CRLF, from, ftag);
    if (m->ttag)
        g_string_append_printf(s, "To: <sip:%s@example.com>;tag=%s" CRLF, to, m->ttag);
    else
        g_string_append_printf(s, "To: <sip:%s@example.com>" CRLF, to);
    g_string_append_printf(s, "Call-ID: %s" CRLF, m->cid);
    g_string_append_printf(s, "CSeq: %u %s" CRLF, cseq, cseq_method);
    if (m->contact) {
        if (m->contact[0] == '<')
            g_string_append_printf(s, "Contact: %s" CRLF, m->contact);
        else
            g_string_append_printf(s, "Contact: <%s>" CRLF, m->contact);
    }
    if (m->extra)
        g_string_append(s, m->extra);
    g_autofree char *body = NULL;
    if (m->sdp) {
        g_autofree char *ip = host_of(m->sdp);
        const char *port = strrchr(m->sdp, ':') + 1;
        body = g_strdup_printf("v=0" CRLF "o=- 1 1 IN IP4 %s" CRLF "s=-" CRLF "c=IN IP4 %s" CRLF
                               "t=0 0" CRLF "m=audio %s RTP/AVP 0 18" CRLF
                               "a=rtpmap:0 PCMU/8000" CRLF "a=rtpmap:18 G729/8000" CRLF
                               "a=sendrecv" CRLF,
                               ip, ip, port);
        g_string_append(s, "Content-Type: application/sdp" CRLF);
    }
    g_string_append_printf(s, "Content-Length: %zu" CRLF CRLF, body ? strlen(body) : 0);
    if (body)
        g_string_append(s, body);
    return g_string_free(s, FALSE);
}

static void
fx_init(Fx *fx, const CorrOptions *opts)
{
    fx->e = corr_engine_new(opts);
    fx->frame = 0;
}

static void
fx_clear(Fx *fx)
{
    g_clear_pointer(&fx->e, corr_engine_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Fx, fx_clear)

/* Assertions do not abort (see main): a count that is not what the
 * indexing below it needs ends the case. */
#define REQUIRE_LEN(actual, n)                                                                 \
    do {                                                                                       \
        guint len_ = (actual);                                                                 \
        g_assert_cmpuint(len_, ==, (n));                                                       \
        if (len_ != (n))                                                                       \
            return;                                                                            \
    } while (0)

/* Feeds one message; returns what the engine kept, or NULL when it was
 * dropped. */
static CorrMsg *
feed(Fx *fx, const Msg *m)
{
    g_autofree char *text = msg_text(m);
    SipMsg *sm = g_new0(SipMsg, 1);
    SlStatus st = sip_msg_parse(sl_view_from_str(text), SIP_FRAMING_DATAGRAM, NULL, sm);
    if (st != SL_OK)
        g_error("test message does not parse (%s):\n%s", sl_status_name(st), text);

    CapPacket pkt = { 0 };
    fx->frame++;
    pkt.frame = fx->frame;
    pkt.ts = T0 + m->t * SL_TIME_MSEC;
    g_assert_true(sl_addr_parse(m->src, &pkt.src));
    g_assert_true(sl_addr_parse(m->dst, &pkt.dst));
    pkt.transport = CAP_TRANSPORT_UDP;
    pkt.ip_id = m->no_ip_id ? 0 : m->ip_id ? m->ip_id : (uint16_t)(1000 + fx->frame);
    pkt.payload = sl_view_from_str(text);
    SipFound f = { .pkt = &pkt, .msg = sm, .status = st, .transport = SIP_TRANSPORT_UDP };

    GPtrArray *all = corr_engine_messages(fx->e);
    guint before = all->len;
    corr_engine_feed(fx->e, &f);
    g_free(sm);
    return all->len > before ? g_ptr_array_index(all, all->len - 1) : NULL;
}

#define FEED(fx, ...) feed((fx), &(Msg){ __VA_ARGS__ })

static GPtrArray *
calls_of(Fx *fx)
{
    return corr_engine_calls(fx->e);
}

/* Callers check the count first (REQUIRE_LEN). */
static CorrCall *
call_at(Fx *fx, guint i)
{
    GPtrArray *c = corr_engine_calls(fx->e);
    if (i >= c->len)
        g_error("no call %u of %u", i, c->len);
    return g_ptr_array_index(c, i);
}

static CorrLeg *
leg_at(const CorrCall *c, guint i)
{
    if (i >= c->legs->len)
        g_error("no leg %u of %u", i, c->legs->len);
    return g_ptr_array_index(c->legs, i);
}

static guint
live_calls(Fx *fx)
{
    GPtrArray *calls = calls_of(fx);
    guint n = 0;
    for (guint i = 0; i < calls->len; i++)
        n += !((CorrCall *)g_ptr_array_index(calls, i))->dead;
    return n;
}

static void
assert_addr(const SlAddr *a, const char *expected)
{
    char buf[SL_ADDR_STRLEN];
    g_assert_cmpstr(sl_addr_str(a, buf), ==, expected);
}

/* ------------------------------------------------------------ names */

static void
test_names(void)
{
    static const struct {
        CorrState s;
        const char *name;
    } states[] = {
        { CORR_STATE_CALLING, "calling" },       { CORR_STATE_PROCEEDING, "proceeding" },
        { CORR_STATE_RINGING, "ringing" },       { CORR_STATE_EARLY_MEDIA, "early media" },
        { CORR_STATE_IN_CALL, "in call" },       { CORR_STATE_COMPLETED, "completed" },
        { CORR_STATE_CANCELLED, "cancelled" },   { CORR_STATE_REJECTED, "rejected" },
        { CORR_STATE_BUSY, "busy" },             { CORR_STATE_REDIRECTED, "redirected" },
        { CORR_STATE_FAILED, "failed" },         { CORR_STATE_TIMED_OUT, "timed out" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(states); i++)
        g_assert_cmpstr(corr_state_name(states[i].s), ==, states[i].name);

    static const struct {
        CorrKind k;
        const char *name;
    } kinds[] = {
        { CORR_KIND_CALL, "call" },           { CORR_KIND_REGISTRATION, "registration" },
        { CORR_KIND_OPTIONS, "options" },     { CORR_KIND_MESSAGE, "message" },
        { CORR_KIND_SUBSCRIPTION, "subscription" }, { CORR_KIND_OTHER, "other" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++)
        g_assert_cmpstr(corr_kind_name(kinds[i].k), ==, kinds[i].name);

    static const struct {
        CorrLinkReason r;
        const char *name;
    } links[] = {
        { CORR_LINK_FIRST, "same-call-id" }, { CORR_LINK_SAME_CALL_ID, "same-call-id" },
        { CORR_LINK_HEADER, "header" },      { CORR_LINK_MEDIA, "media" },
        { CORR_LINK_REDIRECT, "redirect" },  { CORR_LINK_NUMBERS, "numbers" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(links); i++)
        g_assert_cmpstr(corr_link_name(links[i].r), ==, links[i].name);

    g_assert_cmpstr(corr_dialog_state_name(CORR_DIALOG_NONE), ==, "none");
    g_assert_cmpstr(corr_dialog_state_name(CORR_DIALOG_EARLY), ==, "early");
    g_assert_cmpstr(corr_dialog_state_name(CORR_DIALOG_CONFIRMED), ==, "confirmed");
    g_assert_cmpstr(corr_dialog_state_name(CORR_DIALOG_TERMINATED), ==, "terminated");

    g_assert_cmpstr(corr_msg_role_name(CORR_MSG_ORIGINAL), ==, "original");
    g_assert_cmpstr(corr_msg_role_name(CORR_MSG_RETRANSMISSION), ==, "retransmission");
    g_assert_cmpstr(corr_msg_role_name(CORR_MSG_DUPLICATE), ==, "duplicate");
}

/* ----------------------------------------------------- transactions */

/* What correlation copies from a message. */
static void
test_msg_fields(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    CorrMsg *inv = FEED(&fx, .t = 0, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "f1",
                        .cseq = 7, .from = "15551110001", .to = "15551230001",
                        .contact = "sip:alice@10.0.0.10:5060", .sdp = "10.0.0.10:6000",
                        .ip_id = 4242,
                        .extra = "User-Agent: TestPhone/2.1" CRLF
                                 "P-Asserted-Identity: <sip:+15551110001@example.com>" CRLF);
    CorrMsg *ok = FEED(&fx, .t = 1500, .src = GW, .dst = PHONE, .status = 200, .cid = "f1",
                       .cseq = 7, .from = "15551110001", .to = "15551230001", .ttag = "tb",
                       .sdp = "10.0.0.50:7000",
                       .extra = "Reason: Q.850;cause=16;text=\"Normal call clearing\"" CRLF);
    g_assert_nonnull(inv);
    g_assert_nonnull(ok);
    g_assert_cmpuint(inv->index, ==, 0);
    g_assert_cmpuint(ok->index, ==, 1);
    g_assert_cmpuint(inv->frame, ==, 1);
    g_assert_cmpint(inv->ts, ==, T0);
    g_assert_cmpint(ok->ts, ==, T0 + 1500 * SL_TIME_MSEC);
    assert_addr(&inv->src, PHONE);
    assert_addr(&inv->dst, GW);
    g_assert_cmpuint(inv->ip_id, ==, 4242);
    g_assert_cmpint(inv->transport, ==, SIP_TRANSPORT_UDP);
    g_assert_true(inv->is_request);
    g_assert_cmpint(inv->method, ==, SIP_METHOD_INVITE);
    g_assert_cmpstr(inv->method_name, ==, "INVITE");
    g_assert_cmpstr(inv->ruri, ==, "sip:15551230001@10.0.0.50");
    g_assert_cmpstr(inv->call_id, ==, "f1");
    g_assert_cmpuint(inv->cseq, ==, 7);
    g_assert_cmpstr(inv->from_user, ==, "15551110001");
    g_assert_cmpstr(inv->from_tag, ==, "fa");
    g_assert_cmpstr(inv->to_user, ==, "15551230001");
    g_assert_cmpstr(inv->to_tag, ==, "");
    g_assert_cmpstr(inv->pai_user, ==, "+15551110001");
    g_assert_cmpstr(inv->branch, ==, "z9hG4bK-f1-7-INVITE");
    g_assert_cmpstr(inv->contact, ==, "sip:alice@10.0.0.10:5060");
    g_assert_cmpstr(inv->user_agent, ==, "TestPhone/2.1");
    g_assert_cmpuint(inv->n_via, ==, 1);
    g_assert_true(inv->has_sdp);
    g_assert_nonnull(inv->media);
    g_assert_cmpuint(inv->media->len, ==, 1);
    CorrMedia *md = &g_array_index(inv->media, CorrMedia, 0);
    assert_addr(&md->addr, "10.0.0.10:6000");
    g_assert_cmpstr(md->media, ==, "audio");
    g_assert_cmpstr(md->codecs, ==, "PCMU/8000 G729/8000");
    g_assert_cmpstr(md->direction, ==, "sendrecv");
    g_assert_null(inv->error);
    g_assert_cmpint(inv->q850_cause, ==, -1);

    g_assert_false(ok->is_request);
    g_assert_cmpint(ok->method, ==, SIP_METHOD_UNKNOWN);
    g_assert_cmpstr(ok->method_name, ==, "INVITE");
    g_assert_cmpint(ok->cseq_method, ==, SIP_METHOD_INVITE);
    g_assert_cmpuint(ok->status, ==, 200);
    g_assert_cmpstr(ok->reason, ==, "OK");
    g_assert_cmpstr(ok->to_tag, ==, "tb");
    g_assert_cmpint(ok->q850_cause, ==, 16);
    g_assert_cmpstr(ok->reason_text, ==, "Normal call clearing");
    g_assert_true(ok->has_sdp);
    fx_clear(&fx);
}

static void
test_txn_request_responses(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    CorrMsg *inv = FEED(&fx, .t = 0, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "t1");
    CorrMsg *r100 = FEED(&fx, .t = 5, .src = GW, .dst = PHONE, .status = 100, .cid = "t1");
    CorrMsg *r180 = FEED(&fx, .t = 100, .src = GW, .dst = PHONE, .status = 180, .cid = "t1",
                         .ttag = "tb");
    CorrMsg *r200 = FEED(&fx, .t = 900, .src = GW, .dst = PHONE, .status = 200, .cid = "t1",
                         .ttag = "tb");
    CorrMsg *ack = FEED(&fx, .t = 910, .src = PHONE, .dst = GW, .method = "ACK", .cid = "t1",
                        .ttag = "tb");
    CorrMsg *bye = FEED(&fx, .t = 5000, .src = PHONE, .dst = GW, .method = "BYE", .cid = "t1",
                        .cseq = 2, .ttag = "tb");
    CorrMsg *bye200 = FEED(&fx, .t = 5010, .src = GW, .dst = PHONE, .status = 200, .cid = "t1",
                           .cseq = 2, .cseq_method = "BYE", .ttag = "tb");
    corr_engine_finish(fx.e);

    CorrTxn *t = inv->txn;
    g_assert_nonnull(t);
    g_assert_true(r100->txn == t);
    g_assert_true(r180->txn == t);
    g_assert_true(r200->txn == t);
    g_assert_true(t->request == inv);
    g_assert_cmpint(t->method, ==, SIP_METHOD_INVITE);
    g_assert_cmpstr(t->method_name, ==, "INVITE");
    g_assert_cmpuint(t->final_status, ==, 200);
    g_assert_cmpuint(t->retransmissions, ==, 0);
    g_assert_cmpuint(t->hop, ==, 0);
    g_assert_null(t->upstream);
    assert_addr(&t->client, PHONE);
    assert_addr(&t->server, GW);
    /* every message is an original */
    GPtrArray *all = corr_engine_messages(fx.e);
    REQUIRE_LEN(all->len, 7);
    for (guint i = 0; i < all->len; i++)
        g_assert_cmpint(((CorrMsg *)g_ptr_array_index(all, i))->role, ==, CORR_MSG_ORIGINAL);
    /* BYE and its 200 share another transaction */
    g_assert_true(bye->txn != t);
    g_assert_true(bye200->txn == bye->txn);
    g_assert_true(bye->txn != ack->txn);
    g_assert_cmpint(bye->txn->method, ==, SIP_METHOD_BYE);
    g_assert_cmpuint(bye->txn->final_status, ==, 200);
    /* one leg for the Call-ID, one call */
    REQUIRE_LEN(calls_of(&fx)->len, 1);
    CorrCall *c = call_at(&fx, 0);
    REQUIRE_LEN(c->legs->len, 1);
    g_assert_cmpuint(c->msgs->len, ==, 7);
    g_assert_true(inv->leg == leg_at(c, 0));
    g_assert_true(bye200->leg == inv->leg);
    g_assert_true(t->leg == inv->leg);
    g_assert_cmpuint(c->id, ==, 1);
    g_assert_true(corr_engine_call_by_id(fx.e, 1) == c);
    g_assert_null(corr_engine_call_by_id(fx.e, 2));
    fx_clear(&fx);
}

static void
test_txn_ack_non2xx(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    CorrMsg *inv = FEED(&fx, .t = 0, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "t2",
                        .branch = "z9hG4bKinv2");
    CorrMsg *busy = FEED(&fx, .t = 50, .src = GW, .dst = PHONE, .status = 486, .cid = "t2",
                         .ttag = "tb", .branch = "z9hG4bKinv2");
    /* RFC 3261 section 17.1.1.3: the same branch as the INVITE */
    CorrMsg *ack = FEED(&fx, .t = 55, .src = PHONE, .dst = GW, .method = "ACK", .cid = "t2",
                        .ttag = "tb", .branch = "z9hG4bKinv2");
    corr_engine_finish(fx.e);
    g_assert_true(busy->txn == inv->txn);
    g_assert_true(ack->txn == inv->txn);
    g_assert_cmpint(inv->txn->method, ==, SIP_METHOD_INVITE);
    g_assert_true(inv->txn->request == inv);
    g_assert_cmpuint(inv->txn->final_status, ==, 486);
    g_assert_cmpint(ack->role, ==, CORR_MSG_ORIGINAL);
    g_assert_cmpuint(inv->txn->retransmissions, ==, 0);
    fx_clear(&fx);
}

static void
test_txn_ack_2xx(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    CorrMsg *inv = FEED(&fx, .t = 0, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "t3",
                        .branch = "z9hG4bKinv3");
    CorrMsg *ok = FEED(&fx, .t = 50, .src = GW, .dst = PHONE, .status = 200, .cid = "t3",
                       .ttag = "tb", .branch = "z9hG4bKinv3");
    /* an ACK to a 2xx is a transaction of its own, new branch */
    CorrMsg *ack = FEED(&fx, .t = 55, .src = PHONE, .dst = GW, .method = "ACK", .cid = "t3",
                        .ttag = "tb", .branch = "z9hG4bKack3");
    corr_engine_finish(fx.e);
    g_assert_true(ok->txn == inv->txn);
    g_assert_true(ack->txn != inv->txn);
    g_assert_cmpint(ack->txn->method, ==, SIP_METHOD_ACK);
    g_assert_cmpstr(ack->txn->method_name, ==, "ACK");
    g_assert_true(ack->txn->request == ack);
    g_assert_cmpuint(ack->txn->final_status, ==, 0);
    g_assert_cmpuint(inv->txn->final_status, ==, 200);
    /* the ACK belongs to the INVITE's dialog */
    g_assert_nonnull(ack->dialog);
    g_assert_true(ack->dialog == ok->dialog);
    fx_clear(&fx);
}

static void
test_txn_ack_2xx_same_branch(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    CorrMsg *inv = FEED(&fx, .t = 0, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "t3b",
                        .branch = "z9hG4bKsame");
    FEED(&fx, .t = 50, .src = GW, .dst = PHONE, .status = 200, .cid = "t3b", .ttag = "tb",
         .branch = "z9hG4bKsame");
    CorrMsg *ack = FEED(&fx, .t = 55, .src = PHONE, .dst = GW, .method = "ACK", .cid = "t3b",
                        .ttag = "tb", .branch = "z9hG4bKsame");
    corr_engine_finish(fx.e);
    g_assert_true(ack->txn != inv->txn);
    g_assert_cmpint(ack->txn->method, ==, SIP_METHOD_ACK);
    fx_clear(&fx);
}

static void
test_txn_cancel(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    const char *br = "z9hG4bKinv4";
    CorrMsg *inv = FEED(&fx, .t = 0, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "t4",
                        .branch = br);
    CorrMsg *ring = FEED(&fx, .t = 100, .src = GW, .dst = PHONE, .status = 180, .cid = "t4",
                         .ttag = "tb", .branch = br);
    /* RFC 3261 section 9.1: CANCEL carries the INVITE's branch */
    CorrMsg *cancel = FEED(&fx, .t = 3000, .src = PHONE, .dst = GW, .method = "CANCEL",
                           .cid = "t4", .branch = br);
    CorrMsg *c200 = FEED(&fx, .t = 3005, .src = GW, .dst = PHONE, .status = 200, .cid = "t4",
                         .cseq_method = "CANCEL", .ttag = "tb", .branch = br);
    CorrMsg *r487 = FEED(&fx, .t = 3010, .src = GW, .dst = PHONE, .status = 487, .cid = "t4",
                         .ttag = "tb", .branch = br);
    CorrMsg *ack = FEED(&fx, .t = 3015, .src = PHONE, .dst = GW, .method = "ACK", .cid = "t4",
                        .ttag = "tb", .branch = br);
    corr_engine_finish(fx.e);
    g_assert_true(ring->txn == inv->txn);
    g_assert_true(cancel->txn != inv->txn);
    g_assert_cmpint(cancel->txn->method, ==, SIP_METHOD_CANCEL);
    g_assert_true(cancel->txn->request == cancel);
    g_assert_true(c200->txn == cancel->txn);
    g_assert_cmpuint(cancel->txn->final_status, ==, 200);
    g_assert_true(r487->txn == inv->txn);
    g_assert_cmpuint(inv->txn->final_status, ==, 487);
    g_assert_true(ack->txn == inv->txn);
    /* the early dialog of the 180 ends with the 487 */
    g_assert_true(r487->dialog == ring->dialog);
    g_assert_cmpint(ring->dialog_state, ==, CORR_DIALOG_EARLY);
    g_assert_cmpint(r487->dialog_state, ==, CORR_DIALOG_TERMINATED);
    g_assert_true(inv->leg->ended);
    /* the CANCEL and the INVITE are not retransmissions of each other */
    g_assert_cmpint(cancel->role, ==, CORR_MSG_ORIGINAL);
    g_assert_cmpint(c200->role, ==, CORR_MSG_ORIGINAL);
    g_assert_cmpuint(inv->txn->retransmissions, ==, 0);
    fx_clear(&fx);
}

/* RFC 3261 section 17.2.3: a branch without the magic cookie (or none)
 * falls back to Call-ID, CSeq, From tag and sent-by. */
static void
test_txn_rfc2543(void)
{
    static const struct {
        const char *name;
        const char *branch;
    } rows[] = {
        { "no branch", "" },
        { "old branch", "1234abcd" },
        { "bare cookie", "z9hG4bK" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        g_test_message("row %s", rows[i].name);
        g_auto(Fx) fx = { 0 };
        fx_init(&fx, NULL);
        const char *br = rows[i].branch;
        CorrMsg *inv = FEED(&fx, .t = 0, .src = PHONE, .dst = GW, .method = "INVITE",
                            .cid = "old1", .branch = br);
        CorrMsg *ring = FEED(&fx, .t = 80, .src = GW, .dst = PHONE, .status = 180,
                             .cid = "old1", .ttag = "tb", .branch = br);
        CorrMsg *ok = FEED(&fx, .t = 900, .src = GW, .dst = PHONE, .status = 200,
                           .cid = "old1", .ttag = "tb", .branch = br);
        CorrMsg *bye = FEED(&fx, .t = 4000, .src = PHONE, .dst = GW, .method = "BYE",
                            .cid = "old1", .cseq = 2, .ttag = "tb", .branch = br);
        CorrMsg *bye_ok = FEED(&fx, .t = 4010, .src = GW, .dst = PHONE, .status = 200,
                               .cid = "old1", .cseq = 2, .cseq_method = "BYE", .ttag = "tb",
                               .branch = br);
        /* another call's 200 with the same CSeq and sent-by, other Call-ID */
        CorrMsg *other = FEED(&fx, .t = 4020, .src = GW, .dst = PHONE, .status = 200,
                              .cid = "old2", .ttag = "tc", .branch = br);
        corr_engine_finish(fx.e);
        g_assert_true(ring->txn == inv->txn);
        g_assert_true(ok->txn == inv->txn);
        g_assert_true(inv->txn->request == inv);
        g_assert_cmpuint(inv->txn->final_status, ==, 200);
        g_assert_true(bye->txn != inv->txn);
        g_assert_true(bye_ok->txn == bye->txn);
        g_assert_cmpuint(bye->txn->final_status, ==, 200);
        g_assert_true(other->txn != inv->txn);
        g_assert_null(other->txn->request);
        g_assert_cmpint(ok->role, ==, CORR_MSG_ORIGINAL);
        g_assert_cmpint(other->role, ==, CORR_MSG_ORIGINAL);
        fx_clear(&fx);
    }
}

/* ------------------------------------- retransmission, duplicate, hop */

/* The same INVITE bytes twice, from the same sender to the same receiver. */
static void
test_role_table(void)
{
    static const struct {
        const char *name;
        int64_t dt_ms;
        uint16_t id1, id2; /* 0: no IP ID (IPv6) */
        CorrMsgRole role;
    } rows[] = {
        { "timer A, new IP ID", 500, 100, 101, CORR_MSG_RETRANSMISSION },
        { "captured twice, same IP ID", 1, 100, 100, CORR_MSG_DUPLICATE },
        { "captured twice 900 ms apart, same IP ID", 900, 100, 100, CORR_MSG_DUPLICATE },
        { "same IP ID but 2 s apart", 2000, 100, 100, CORR_MSG_RETRANSMISSION },
        { "new IP ID 1 ms later", 1, 100, 101, CORR_MSG_RETRANSMISSION },
        { "no IP ID, 10 ms", 10, 0, 0, CORR_MSG_DUPLICATE },
        { "no IP ID, 500 ms", 500, 0, 0, CORR_MSG_RETRANSMISSION },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        g_test_message("row %s", rows[i].name);
        g_auto(Fx) fx = { 0 };
        fx_init(&fx, NULL);
        CorrMsg *a = FEED(&fx, .t = 0, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "r1",
                          .sdp = "10.0.0.10:6000", .ip_id = rows[i].id1,
                          .no_ip_id = rows[i].id1 == 0);
        CorrMsg *b = FEED(&fx, .t = rows[i].dt_ms, .src = PHONE, .dst = GW, .method = "INVITE",
                          .cid = "r1", .sdp = "10.0.0.10:6000", .ip_id = rows[i].id2,
                          .no_ip_id = rows[i].id2 == 0);
        corr_engine_finish(fx.e);
        g_assert_cmpint(a->role, ==, CORR_MSG_ORIGINAL);
        g_assert_cmpint(b->role, ==, rows[i].role);
        g_assert_true(b->txn == a->txn);
        g_assert_true(a->txn->request == a);
        g_assert_cmpuint(a->txn->retransmissions, ==,
                         rows[i].role == CORR_MSG_RETRANSMISSION ? 1 : 0);
        g_assert_cmpuint(a->txn->duplicates, ==, rows[i].role == CORR_MSG_DUPLICATE ? 1 : 0);
        CorrCall *c = call_at(&fx, 0);
        g_assert_cmpuint(c->retransmissions, ==,
                         rows[i].role == CORR_MSG_RETRANSMISSION ? 1 : 0);
        g_assert_cmpuint(c->duplicates, ==, rows[i].role == CORR_MSG_DUPLICATE ? 1 : 0);
        g_assert_cmpuint(c->msgs->len, ==, 2);
        g_assert_cmpuint(c->hops, ==, 1);
        fx_clear(&fx);
    }
}

/* The same bytes to another receiver are neither. */
static void
test_role_other_receiver(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    CorrMsg *a = FEED(&fx, .t = 0, .src = PHONE, .dst = GW, .method = "OPTIONS", .cid = "o1",
                      .ip_id = 7, .ruri = "sip:x@example.com");
    CorrMsg *b = FEED(&fx, .t = 1, .src = PHONE, .dst = B2B, .method = "OPTIONS", .cid = "o1",
                      .ip_id = 7, .ruri = "sip:x@example.com");
    corr_engine_finish(fx.e);
    g_assert_cmpint(a->role, ==, CORR_MSG_ORIGINAL);
    g_assert_cmpint(b->role, ==, CORR_MSG_ORIGINAL);
    fx_clear(&fx);
}

static void
test_role_response_retransmission(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    CorrMsg *inv = FEED(&fx, .t = 0, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "r2");
    CorrMsg *r1 = FEED(&fx, .t = 100, .src = GW, .dst = PHONE, .status = 180, .cid = "r2",
                       .ttag = "tb");
    CorrMsg *r2 = FEED(&fx, .t = 600, .src = GW, .dst = PHONE, .status = 180, .cid = "r2",
                       .ttag = "tb");
    /* the same status with another To tag is another fork, not a copy */
    CorrMsg *r3 = FEED(&fx, .t = 700, .src = GW, .dst = PHONE, .status = 180, .cid = "r2",
                       .ttag = "tc");
    CorrMsg *ok = FEED(&fx, .t = 1000, .src = GW, .dst = PHONE, .status = 200, .cid = "r2",
                       .ttag = "tb");
    /* 2xx retransmitted by the UAS (timer G) */
    CorrMsg *ok2 = FEED(&fx, .t = 1500, .src = GW, .dst = PHONE, .status = 200, .cid = "r2",
                        .ttag = "tb");
    corr_engine_finish(fx.e);
    g_assert_cmpint(r1->role, ==, CORR_MSG_ORIGINAL);
    g_assert_cmpint(r2->role, ==, CORR_MSG_RETRANSMISSION);
    g_assert_cmpint(r3->role, ==, CORR_MSG_ORIGINAL);
    g_assert_cmpint(ok->role, ==, CORR_MSG_ORIGINAL);
    g_assert_cmpint(ok2->role, ==, CORR_MSG_RETRANSMISSION);
    g_assert_true(r2->txn == inv->txn);
    g_assert_cmpuint(inv->txn->retransmissions, ==, 2);
    g_assert_cmpuint(call_at(&fx, 0)->retransmissions, ==, 2);
    fx_clear(&fx);
}

/* Scenario 2: the INVITE forwarded by a proxy with one more Via. */
static void
test_hop_proxy(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    const char *v1 = "10.0.0.10:5060;branch=z9hG4bKuac1";
    const char *v2 = "10.0.0.1:5060;branch=z9hG4bKprx1|10.0.0.10:5060;branch=z9hG4bKuac1;"
                     "received=10.0.0.10";
    CorrMsg *inv1 = FEED(&fx, .t = 0, .src = PHONE, .dst = PROXY, .method = "INVITE",
                         .cid = "h1", .via = v1, .sdp = "10.0.0.10:6000",
                         .ruri = "sip:15551230001@example.com");
    CorrMsg *p100 = FEED(&fx, .t = 2, .src = PROXY, .dst = PHONE, .status = 100, .cid = "h1",
                         .via = v1);
    CorrMsg *inv2 = FEED(&fx, .t = 4, .src = PROXY, .dst = GW, .method = "INVITE", .cid = "h1",
                         .via = v2, .sdp = "10.0.0.10:6000");
    CorrMsg *g100 = FEED(&fx, .t = 6, .src = GW, .dst = PROXY, .status = 100, .cid = "h1",
                         .via = v2);
    CorrMsg *g180 = FEED(&fx, .t = 100, .src = GW, .dst = PROXY, .status = 180, .cid = "h1",
                         .ttag = "tb", .via = v2);
    CorrMsg *p180 = FEED(&fx, .t = 102, .src = PROXY, .dst = PHONE, .status = 180, .cid = "h1",
                         .ttag = "tb", .via = v1);
    /* the gateway sends its 180 again: a retransmission on the second hop */
    CorrMsg *g180r = FEED(&fx, .t = 600, .src = GW, .dst = PROXY, .status = 180, .cid = "h1",
                          .ttag = "tb", .via = v2);
    CorrMsg *g200 = FEED(&fx, .t = 1000, .src = GW, .dst = PROXY, .status = 200, .cid = "h1",
                         .ttag = "tb", .via = v2, .sdp = "10.0.0.50:7000");
    CorrMsg *p200 = FEED(&fx, .t = 1002, .src = PROXY, .dst = PHONE, .status = 200, .cid = "h1",
                         .ttag = "tb", .via = v1, .sdp = "10.0.0.50:7000");
    /* no Record-Route: ACK and BYE go straight to the gateway */
    CorrMsg *ack = FEED(&fx, .t = 1010, .src = PHONE, .dst = GW, .method = "ACK", .cid = "h1",
                        .ttag = "tb");
    CorrMsg *bye = FEED(&fx, .t = 6000, .src = PHONE, .dst = GW, .method = "BYE", .cid = "h1",
                        .cseq = 2, .ttag = "tb");
    FEED(&fx, .t = 6010, .src = GW, .dst = PHONE, .status = 200, .cid = "h1", .cseq = 2,
         .cseq_method = "BYE", .ttag = "tb");
    corr_engine_finish(fx.e);

    CorrTxn *t1 = inv1->txn, *t2 = inv2->txn;
    g_assert_true(t1 != t2);
    g_assert_cmpuint(t1->hop, ==, 0);
    g_assert_null(t1->upstream);
    g_assert_cmpuint(t2->hop, ==, 1);
    g_assert_true(t2->upstream == t1);
    g_assert_cmpuint(inv1->hop, ==, 0);
    g_assert_cmpuint(inv2->hop, ==, 1);
    g_assert_cmpuint(inv2->n_via, ==, 2);
    assert_addr(&t2->client, PROXY);
    assert_addr(&t2->server, GW);
    /* each hop's responses stay in their own transaction */
    g_assert_true(p100->txn == t1);
    g_assert_true(p180->txn == t1);
    g_assert_true(p200->txn == t1);
    g_assert_true(g100->txn == t2);
    g_assert_true(g180->txn == t2);
    g_assert_true(g200->txn == t2);
    g_assert_cmpuint(g180->hop, ==, 1);
    g_assert_cmpuint(p180->hop, ==, 0);
    /* once per hop is not a retransmission */
    g_assert_cmpint(inv2->role, ==, CORR_MSG_ORIGINAL);
    g_assert_cmpint(p180->role, ==, CORR_MSG_ORIGINAL);
    g_assert_cmpint(p200->role, ==, CORR_MSG_ORIGINAL);
    g_assert_cmpint(g180r->role, ==, CORR_MSG_RETRANSMISSION);
    g_assert_cmpuint(t2->retransmissions, ==, 1);
    g_assert_cmpuint(t1->retransmissions, ==, 0);
    g_assert_cmpuint(t1->final_status, ==, 200);
    g_assert_cmpuint(t2->final_status, ==, 200);
    /* ACK and BYE skip the proxy: first hop */
    g_assert_cmpuint(ack->hop, ==, 0);
    g_assert_cmpuint(bye->hop, ==, 0);

    REQUIRE_LEN(calls_of(&fx)->len, 1);
    CorrCall *c = call_at(&fx, 0);
    REQUIRE_LEN(c->legs->len, 1);
    g_assert_cmpuint(c->hops, ==, 2);
    g_assert_cmpuint(c->retransmissions, ==, 1);
    g_assert_cmpint(c->state, ==, CORR_STATE_COMPLETED);
    /* post-dial delay and setup on the caller's first hop */
    g_assert_cmpint(c->pdd_ms, ==, 102);
    g_assert_cmpint(c->setup_ms, ==, 1002);
    g_assert_cmpuint(c->endpoints->len, ==, 3);
    assert_addr(&g_array_index(c->endpoints, SlAddr, 0), PHONE);
    assert_addr(&g_array_index(c->endpoints, SlAddr, 1), PROXY);
    assert_addr(&g_array_index(c->endpoints, SlAddr, 2), GW);
    CorrLeg *leg = leg_at(c, 0);
    g_assert_true(leg->first_invite == inv1);
    REQUIRE_LEN(leg->dialogs->len, 1);
    fx_clear(&fx);
}

/* A session border controller hides the topology: its INVITE has only its
 * own Via. Still the next hop of the same request. */
/* The downstream 100 Trying arrives before the forwarded INVITE (HEP from
 * an agent that stamps what it sends after sending it): the INVITE is
 * still the second hop, and the 100 learns that hop. */
static void
test_hop_response_first(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    const char *v1 = "10.0.0.10:5060;branch=z9hG4bKuac1";
    const char *v2 = "10.0.0.1:5060;branch=z9hG4bKprx1|10.0.0.10:5060;branch=z9hG4bKuac1";
    CorrMsg *inv1 = FEED(&fx, .t = 0, .src = PHONE, .dst = PROXY, .method = "INVITE",
                         .cid = "hr", .via = v1);
    CorrMsg *g100 = FEED(&fx, .t = 3, .src = GW, .dst = PROXY, .status = 100, .cid = "hr",
                         .via = v2);
    CorrMsg *inv2 = FEED(&fx, .t = 4, .src = PROXY, .dst = GW, .method = "INVITE", .cid = "hr",
                         .via = v2);
    CorrMsg *g200 = FEED(&fx, .t = 100, .src = GW, .dst = PROXY, .status = 200, .cid = "hr",
                         .ttag = "tb", .via = v2);
    FEED(&fx, .t = 102, .src = PROXY, .dst = PHONE, .status = 200, .cid = "hr", .ttag = "tb",
         .via = v1);
    corr_engine_finish(fx.e);
    g_assert_true(inv2->txn == g100->txn);
    g_assert_true(inv2->txn->request == inv2);
    g_assert_true(inv2->txn->upstream == inv1->txn);
    g_assert_cmpuint(inv2->hop, ==, 1);
    g_assert_cmpuint(g100->hop, ==, 1);
    g_assert_cmpuint(g200->hop, ==, 1);
    g_assert_cmpint(inv2->role, ==, CORR_MSG_ORIGINAL);
    REQUIRE_LEN(calls_of(&fx)->len, 1);
    g_assert_cmpuint(call_at(&fx, 0)->hops, ==, 2);
}

static void
test_hop_topology_hiding(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    CorrMsg *inv1 = FEED(&fx, .t = 0, .src = PHONE, .dst = PROXY, .method = "INVITE",
                         .cid = "h2", .via = "10.0.0.10:5060;branch=z9hG4bKuac2");
    CorrMsg *inv2 = FEED(&fx, .t = 30, .src = PROXY, .dst = GW, .method = "INVITE", .cid = "h2",
                         .via = "10.0.0.1:5060;branch=z9hG4bKsbc2");
    CorrMsg *r = FEED(&fx, .t = 60, .src = GW, .dst = PROXY, .status = 180, .cid = "h2",
                      .ttag = "tb", .via = "10.0.0.1:5060;branch=z9hG4bKsbc2");
    corr_engine_finish(fx.e);
    g_assert_cmpuint(inv2->n_via, ==, 1);
    g_assert_true(inv2->txn != inv1->txn);
    g_assert_cmpuint(inv2->txn->hop, ==, 1);
    g_assert_true(inv2->txn->upstream == inv1->txn);
    g_assert_cmpuint(inv2->hop, ==, 1);
    g_assert_true(r->txn == inv2->txn);
    g_assert_cmpint(inv2->role, ==, CORR_MSG_ORIGINAL);
    g_assert_cmpuint(call_at(&fx, 0)->hops, ==, 2);
    fx_clear(&fx);
}

/* The same request from the same host again with a new branch (a UAC
 * trying another server) is not a forwarded copy; nor is one sent long
 * after. */
static void
test_hop_not_forwarded(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    CorrMsg *a = FEED(&fx, .t = 0, .src = PHONE, .dst = PROXY, .method = "INVITE", .cid = "h3",
                      .branch = "z9hG4bKa3");
    CorrMsg *b = FEED(&fx, .t = 40, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "h3",
                      .branch = "z9hG4bKb3");
    /* another host, 5 s later, one Via: outside the hop window */
    CorrMsg *c = FEED(&fx, .t = 5000, .src = B2B, .dst = GW, .method = "INVITE", .cid = "h3",
                      .branch = "z9hG4bKc3");
    corr_engine_finish(fx.e);
    g_assert_cmpuint(a->hop, ==, 0);
    g_assert_cmpuint(b->hop, ==, 0);
    g_assert_null(b->txn->upstream);
    g_assert_cmpuint(c->hop, ==, 0);
    g_assert_null(c->txn->upstream);
    fx_clear(&fx);
}

/* ----------------------------------------------------------- dialogs */

static void
test_dialog_lifecycle(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    CorrMsg *inv = FEED(&fx, .t = 0, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "d1");
    CorrMsg *r100 = FEED(&fx, .t = 5, .src = GW, .dst = PHONE, .status = 100, .cid = "d1");
    CorrMsg *r180 = FEED(&fx, .t = 100, .src = GW, .dst = PHONE, .status = 180, .cid = "d1",
                         .ttag = "tb");
    CorrDialog *d = r180->dialog;
    g_assert_null(inv->dialog);
    g_assert_null(r100->dialog);
    g_assert_nonnull(d);
    g_assert_false(d->confirmed);
    g_assert_false(d->terminated);
    g_assert_cmpstr(d->call_id, ==, "d1");
    g_assert_cmpstr(d->from_tag, ==, "fa");
    g_assert_cmpstr(d->to_tag, ==, "tb");
    g_assert_true(d->leg == inv->leg);

    CorrMsg *ok = FEED(&fx, .t = 900, .src = GW, .dst = PHONE, .status = 200, .cid = "d1",
                       .ttag = "tb");
    g_assert_true(ok->dialog == d);
    g_assert_true(d->confirmed);
    g_assert_false(d->terminated);
    CorrMsg *ack = FEED(&fx, .t = 910, .src = PHONE, .dst = GW, .method = "ACK", .cid = "d1",
                        .ttag = "tb");
    g_assert_true(ack->dialog == d);
    /* BYE from the callee: From and To swapped */
    CorrMsg *bye = FEED(&fx, .t = 8000, .src = GW, .dst = PHONE, .method = "BYE", .cid = "d1",
                        .from = "bob", .ftag = "tb", .to = "alice", .ttag = "fa");
    g_assert_true(bye->dialog == d);
    g_assert_false(d->terminated);
    CorrMsg *bok = FEED(&fx, .t = 8010, .src = PHONE, .dst = GW, .status = 200, .cid = "d1",
                        .cseq_method = "BYE", .from = "bob", .ftag = "tb", .to = "alice",
                        .ttag = "fa");
    g_assert_true(bok->dialog == d);
    g_assert_true(d->terminated);
    corr_engine_finish(fx.e);

    /* the dialog's state after each message */
    static const CorrDialogState after[] = {
        CORR_DIALOG_NONE,      CORR_DIALOG_NONE,      CORR_DIALOG_EARLY,
        CORR_DIALOG_CONFIRMED, CORR_DIALOG_CONFIRMED, CORR_DIALOG_CONFIRMED,
        CORR_DIALOG_TERMINATED,
    };
    GPtrArray *all = corr_engine_messages(fx.e);
    REQUIRE_LEN(all->len, G_N_ELEMENTS(after));
    for (guint i = 0; i < all->len; i++) {
        const CorrMsg *m = g_ptr_array_index(all, i);
        g_assert_cmpstr(corr_dialog_state_name(m->dialog_state), ==,
                        corr_dialog_state_name(after[i]));
    }

    CorrLeg *leg = inv->leg;
    REQUIRE_LEN(leg->dialogs->len, 1);
    g_assert_true(leg->ended);
    g_assert_cmpint(leg->end, ==, T0 + 8010 * SL_TIME_MSEC);
    CorrCall *c = call_at(&fx, 0);
    g_assert_cmpint(c->state, ==, CORR_STATE_COMPLETED);
    g_assert_cmpstr(c->hangup_by, ==, "callee");
    assert_addr(&c->hangup_addr, GW);
    fx_clear(&fx);
}

static void
test_dialog_forking(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    CorrMsg *inv = FEED(&fx, .t = 0, .src = PHONE, .dst = PROXY, .method = "INVITE", .cid = "d2");
    CorrMsg *f1 = FEED(&fx, .t = 100, .src = PROXY, .dst = PHONE, .status = 180, .cid = "d2",
                       .ttag = "fork1");
    CorrMsg *f2 = FEED(&fx, .t = 120, .src = PROXY, .dst = PHONE, .status = 180, .cid = "d2",
                       .ttag = "fork2");
    CorrMsg *ok = FEED(&fx, .t = 2000, .src = PROXY, .dst = PHONE, .status = 200, .cid = "d2",
                       .ttag = "fork2");
    corr_engine_finish(fx.e);
    CorrLeg *leg = inv->leg;
    REQUIRE_LEN(leg->dialogs->len, 2);
    g_assert_true(f1->dialog != f2->dialog);
    g_assert_true(ok->dialog == f2->dialog);
    g_assert_cmpstr(f1->dialog->to_tag, ==, "fork1");
    g_assert_cmpstr(f2->dialog->to_tag, ==, "fork2");
    g_assert_false(f1->dialog->confirmed);
    g_assert_true(f2->dialog->confirmed);
    g_assert_cmpint(f1->dialog_state, ==, CORR_DIALOG_EARLY);
    g_assert_cmpint(f2->dialog_state, ==, CORR_DIALOG_EARLY);
    g_assert_cmpint(ok->dialog_state, ==, CORR_DIALOG_CONFIRMED);
    g_assert_true(g_ptr_array_index(leg->dialogs, 0) == f1->dialog);
    g_assert_true(g_ptr_array_index(leg->dialogs, 1) == f2->dialog);
    /* still one call, one leg */
    REQUIRE_LEN(calls_of(&fx)->len, 1);
    g_assert_cmpuint(call_at(&fx, 0)->legs->len, ==, 1);
    g_assert_cmpint(call_at(&fx, 0)->state, ==, CORR_STATE_IN_CALL);
    fx_clear(&fx);
}

/* -------------------------------------------------------- call states */

/* One step of a two-party call: '>' caller to callee, '<' callee to
 * caller. Requests from the callee swap From and To. */
typedef struct {
    int64_t t; /* ms; -1 ends the list */
    char dir;
    const char *method;
    unsigned status;
    const char *cseq_method;
    unsigned cseq;
    bool ttag;  /* the callee's tag "tb" in To (or From for '<' requests) */
    bool sdp;
    const char *branch;
} Step;

#define AT(ms, d) .t = (ms), .dir = (d)
#define END { .t = -1 }
/* ACK to a non-2xx final: the INVITE's branch */
#define INVITE0 { AT(0, '>'), .method = "INVITE", .sdp = true }
#define ACK_NON2XX(ms) \
    { AT(ms, '>'), .method = "ACK", .ttag = true, .branch = "z9hG4bK-st-1-INVITE" }

static void
run_steps(Fx *fx, const Step *steps)
{
    for (const Step *s = steps; s->t >= 0; s++) {
        bool fwd = s->dir == '>';
        /* a request from the callee, or the caller's response to one */
        bool callee_req = fwd != (s->method != NULL);
        Msg m = {
            .t = s->t,
            .src = fwd ? PHONE : GW,
            .dst = fwd ? GW : PHONE,
            .method = s->method,
            .status = s->status,
            .cid = "st",
            .cseq = s->cseq ? s->cseq : 1,
            .cseq_method = s->cseq_method,
            .from = callee_req ? "bob" : "alice",
            .ftag = callee_req ? "tb" : "fa",
            .to = callee_req ? "alice" : "bob",
            .ttag = callee_req ? "fa" : (s->ttag ? "tb" : NULL),
            .sdp = s->sdp ? (fwd ? "10.0.0.10:6000" : "10.0.0.50:7000") : NULL,
            .branch = s->branch,
        };
        g_assert_nonnull(feed(fx, &m));
    }
}

static void
test_state_table(void)
{
    static const struct {
        const char *name;
        Step steps[14];
        CorrState state;
        unsigned code;
        int64_t pdd_ms, setup_ms;
        double duration_s; /* -1: never answered */
        const char *hangup_by;
    } rows[] = {
        { "busy 486",
          { INVITE0, { AT(10, '<'), .status = 100 },
            { AT(150, '<'), .status = 180, .ttag = true },
            { AT(4000, '<'), .status = 486, .ttag = true }, ACK_NON2XX(4005), END },
          CORR_STATE_BUSY, 486, 150, -1, -1, NULL },
        { "busy everywhere 600",
          { INVITE0, { AT(200, '<'), .status = 600, .ttag = true }, ACK_NON2XX(210), END },
          CORR_STATE_BUSY, 600, -1, -1, -1, NULL },
        { "not found 404",
          { INVITE0, { AT(10, '<'), .status = 100 },
            { AT(30, '<'), .status = 404, .ttag = true }, ACK_NON2XX(35), END },
          CORR_STATE_REJECTED, 404, -1, -1, -1, NULL },
        { "decline 603",
          { INVITE0, { AT(50, '<'), .status = 180, .ttag = true },
            { AT(2050, '<'), .status = 603, .ttag = true }, ACK_NON2XX(2060), END },
          CORR_STATE_REJECTED, 603, 50, -1, -1, NULL },
        { "unavailable 503",
          { INVITE0, { AT(20, '<'), .status = 503, .ttag = true }, ACK_NON2XX(25), END },
          CORR_STATE_FAILED, 503, -1, -1, -1, NULL },
        { "request timeout 408",
          { INVITE0, { AT(10, '<'), .status = 100 },
            { AT(32000, '<'), .status = 408, .ttag = true }, ACK_NON2XX(32005), END },
          CORR_STATE_TIMED_OUT, 408, -1, -1, -1, NULL },
        { "cancelled",
          { INVITE0, { AT(10, '<'), .status = 100 },
            { AT(300, '<'), .status = 180, .ttag = true },
            { AT(5000, '>'), .method = "CANCEL", .branch = "z9hG4bK-st-1-INVITE" },
            { AT(5005, '<'), .status = 200, .cseq_method = "CANCEL", .ttag = true,
              .branch = "z9hG4bK-st-1-INVITE" },
            { AT(5010, '<'), .status = 487, .ttag = true }, ACK_NON2XX(5015), END },
          CORR_STATE_CANCELLED, 487, 300, -1, -1, "caller" },
        { "redirected 302",
          { INVITE0, { AT(40, '<'), .status = 302, .ttag = true }, ACK_NON2XX(45), END },
          CORR_STATE_REDIRECTED, 302, -1, -1, -1, NULL },
        { "early media 183 with SDP",
          { INVITE0, { AT(10, '<'), .status = 100 },
            { AT(700, '<'), .status = 183, .ttag = true, .sdp = true }, END },
          CORR_STATE_EARLY_MEDIA, 0, 700, -1, -1, NULL },
        { "183 without SDP is ringing",
          { INVITE0, { AT(700, '<'), .status = 183, .ttag = true }, END },
          CORR_STATE_RINGING, 0, 700, -1, -1, NULL },
        { "early media stays after a 180",
          { INVITE0, { AT(400, '<'), .status = 183, .ttag = true, .sdp = true },
            { AT(900, '<'), .status = 180, .ttag = true }, END },
          CORR_STATE_EARLY_MEDIA, 0, 400, -1, -1, NULL },
        { "proceeding",
          { INVITE0, { AT(10, '<'), .status = 100 }, END },
          CORR_STATE_PROCEEDING, 0, -1, -1, -1, NULL },
        { "in call, no BYE",
          { INVITE0, { AT(250, '<'), .status = 180, .ttag = true },
            { AT(3250, '<'), .status = 200, .ttag = true, .sdp = true },
            { AT(3260, '>'), .method = "ACK", .ttag = true },
            { AT(9250, '>'), .method = "INFO", .cseq = 2, .ttag = true }, END },
          CORR_STATE_IN_CALL, 0, 250, 3250, 6.0, NULL },
        { "completed, caller hangs up",
          { INVITE0, { AT(20, '<'), .status = 100 },
            { AT(250, '<'), .status = 180, .ttag = true },
            { AT(3250, '<'), .status = 200, .ttag = true, .sdp = true },
            { AT(3260, '>'), .method = "ACK", .ttag = true },
            { AT(13250, '>'), .method = "BYE", .cseq = 2, .ttag = true },
            { AT(13260, '<'), .status = 200, .cseq_method = "BYE", .cseq = 2, .ttag = true },
            END },
          CORR_STATE_COMPLETED, 0, 250, 3250, 10.0, "caller" },
        { "completed, callee hangs up",
          { INVITE0, { AT(120, '<'), .status = 180, .ttag = true },
            { AT(1120, '<'), .status = 200, .ttag = true, .sdp = true },
            { AT(1130, '>'), .method = "ACK", .ttag = true },
            { AT(4620, '<'), .method = "BYE", .cseq = 1 },
            { AT(4630, '>'), .status = 200, .cseq_method = "BYE", .cseq = 1 }, END },
          CORR_STATE_COMPLETED, 0, 120, 1120, 3.5, "callee" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        g_test_message("row %s", rows[i].name);
        g_auto(Fx) fx = { 0 };
        fx_init(&fx, NULL);
        run_steps(&fx, rows[i].steps);
        corr_engine_finish(fx.e);
        REQUIRE_LEN(calls_of(&fx)->len, 1);
        CorrCall *c = call_at(&fx, 0);
        g_assert_cmpint(c->kind, ==, CORR_KIND_CALL);
        g_assert_cmpstr(corr_state_name(c->state), ==, corr_state_name(rows[i].state));
        g_assert_cmpuint(c->state_code, ==, rows[i].code);
        g_assert_cmpint(c->pdd_ms, ==, rows[i].pdd_ms);
        g_assert_cmpint(c->setup_ms, ==, rows[i].setup_ms);
        if (rows[i].duration_s < 0)
            g_assert_cmpfloat(c->duration_s, <, 0);
        else
            g_assert_cmpfloat_with_epsilon(c->duration_s, rows[i].duration_s, 1e-6);
        g_assert_cmpstr(c->hangup_by, ==, rows[i].hangup_by);
        if (g_strcmp0(rows[i].hangup_by, "callee") == 0)
            assert_addr(&c->hangup_addr, GW);
        else if (rows[i].hangup_by)
            assert_addr(&c->hangup_addr, PHONE);
        g_assert_cmpstr(c->caller, ==, "alice");
        g_assert_cmpstr(c->callee, ==, "bob");
        g_assert_cmpint(c->start, ==, T0);
        g_assert_cmpuint(c->hops, ==, 1);
        g_assert_cmpuint(c->retransmissions, ==, 0);
        /* a final non-2xx to the initial INVITE, or a BYE answered, ends the leg */
        CorrLeg *leg = leg_at(c, 0);
        bool ends = rows[i].state != CORR_STATE_EARLY_MEDIA &&
                    rows[i].state != CORR_STATE_RINGING &&
                    rows[i].state != CORR_STATE_PROCEEDING &&
                    rows[i].state != CORR_STATE_IN_CALL;
        g_assert_cmpint(leg->ended, ==, ends);
        fx_clear(&fx);
    }
}

/* 401 challenge, the INVITE again with credentials, answered, then (when
 * @bye) hung up. */
static void
run_auth_retry(Fx *fx, bool bye)
{
    FEED(fx, .t = 0, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "au",
         .sdp = "10.0.0.10:6000");
    FEED(fx, .t = 20, .src = GW, .dst = PHONE, .status = 401, .cid = "au", .ttag = "x1",
         .extra = "WWW-Authenticate: Digest realm=\"example.com\", nonce=\"abc\"" CRLF);
    FEED(fx, .t = 25, .src = PHONE, .dst = GW, .method = "ACK", .cid = "au", .ttag = "x1",
         .branch = "z9hG4bK-au-1-INVITE");
    CorrMsg *inv2 = FEED(fx, .t = 40, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "au",
                         .cseq = 2, .sdp = "10.0.0.10:6000",
                         .extra = "Authorization: Digest username=\"alice\", nonce=\"abc\"" CRLF);
    g_assert_cmpuint(inv2->hop, ==, 0);
    g_assert_null(inv2->txn->upstream);
    FEED(fx, .t = 300, .src = GW, .dst = PHONE, .status = 180, .cid = "au", .cseq = 2,
         .ttag = "tb");
    FEED(fx, .t = 1300, .src = GW, .dst = PHONE, .status = 200, .cid = "au", .cseq = 2,
         .ttag = "tb", .sdp = "10.0.0.50:7000");
    FEED(fx, .t = 1310, .src = PHONE, .dst = GW, .method = "ACK", .cid = "au", .cseq = 2,
         .ttag = "tb");
    if (bye) {
        FEED(fx, .t = 6300, .src = PHONE, .dst = GW, .method = "BYE", .cid = "au", .cseq = 3,
             .ttag = "tb");
        FEED(fx, .t = 6310, .src = GW, .dst = PHONE, .status = 200, .cid = "au", .cseq = 3,
             .cseq_method = "BYE", .ttag = "tb");
    }
}

static void
test_state_auth_retry(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    run_auth_retry(&fx, false);
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 1);
    CorrCall *c = call_at(&fx, 0);
    g_assert_cmpint(c->state, ==, CORR_STATE_IN_CALL);
    g_assert_cmpuint(c->state_code, ==, 0);
    g_assert_false(leg_at(c, 0)->ended);
    g_assert_null(c->hangup_by);
    /* pdd and setup from the first INVITE (docs/json.md) */
    g_assert_cmpint(c->pdd_ms, ==, 300);
    g_assert_cmpint(c->setup_ms, ==, 1300);
    fx_clear(&fx);

    fx_init(&fx, NULL);
    run_auth_retry(&fx, true);
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 1);
    c = call_at(&fx, 0);
    g_assert_cmpint(c->state, ==, CORR_STATE_COMPLETED);
    g_assert_cmpuint(c->state_code, ==, 0);
    g_assert_cmpfloat_with_epsilon(c->duration_s, 5.0, 1e-6);
    g_assert_cmpstr(c->hangup_by, ==, "caller");
    g_assert_true(leg_at(c, 0)->ended);
    g_assert_cmpuint(leg_at(c, 0)->dialogs->len, ==, 2);
    /* corr.h: hops counts the transactions of the first INVITE over all
     * hops; the INVITE sent again with credentials is another request on
     * the same single hop */
    g_assert_cmpuint(c->hops, ==, 1);
    fx_clear(&fx);
}

/* The same, the challenge alone: rejected 401. */
static void
test_state_auth_only(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    FEED(&fx, .t = 0, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "au2");
    FEED(&fx, .t = 20, .src = GW, .dst = PHONE, .status = 407, .cid = "au2", .ttag = "x1");
    corr_engine_finish(fx.e);
    CorrCall *c = call_at(&fx, 0);
    g_assert_cmpint(c->state, ==, CORR_STATE_REJECTED);
    g_assert_cmpuint(c->state_code, ==, 407);
    /* a challenge does not end the leg: the INVITE may come again */
    g_assert_false(leg_at(c, 0)->ended);
    fx_clear(&fx);
}

/* Timer B: no final response 32 s before the capture ends. */
static void
test_state_timer_b(void)
{
    static const struct {
        int64_t options_at_ms;
        bool trying;
        CorrState state;
    } rows[] = {
        { 40000, false, CORR_STATE_TIMED_OUT },
        { 40000, true, CORR_STATE_TIMED_OUT },
        { 20000, false, CORR_STATE_CALLING },
        { 32000, false, CORR_STATE_CALLING },
        { 32001, false, CORR_STATE_TIMED_OUT },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        g_test_message("OPTIONS at %" G_GINT64_FORMAT " ms, 100 %d", rows[i].options_at_ms,
                       rows[i].trying);
        g_auto(Fx) fx = { 0 };
        fx_init(&fx, NULL);
        FEED(&fx, .t = 0, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "tb1");
        if (rows[i].trying)
            FEED(&fx, .t = 10, .src = GW, .dst = PHONE, .status = 100, .cid = "tb1");
        FEED(&fx, .t = rows[i].options_at_ms, .src = PROXY, .dst = REGISTRAR,
             .method = "OPTIONS", .cid = "ping", .ruri = "sip:10.0.0.2");
        corr_engine_finish(fx.e);
        REQUIRE_LEN(calls_of(&fx)->len, 2);
        CorrCall *c = call_at(&fx, 0);
        g_assert_cmpint(c->kind, ==, CORR_KIND_CALL);
        g_assert_cmpstr(corr_state_name(c->state), ==, corr_state_name(rows[i].state));
        g_assert_cmpint(c->pdd_ms, ==, -1);
        g_assert_cmpint(c->setup_ms, ==, -1);
        g_assert_cmpfloat(c->duration_s, <, 0);
        g_assert_cmpint(call_at(&fx, 1)->kind, ==, CORR_KIND_OPTIONS);
        fx_clear(&fx);
    }
}

static void
test_state_reason(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    FEED(&fx, .t = 0, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "rs");
    FEED(&fx, .t = 100, .src = GW, .dst = PHONE, .status = 200, .cid = "rs", .ttag = "tb");
    FEED(&fx, .t = 2100, .src = GW, .dst = PHONE, .method = "BYE", .cid = "rs", .from = "bob",
         .ftag = "tb", .to = "alice", .ttag = "fa",
         .extra = "Reason: Q.850;cause=17;text=\"User busy\"" CRLF);
    corr_engine_finish(fx.e);
    CorrCall *c = call_at(&fx, 0);
    g_assert_cmpint(c->q850_cause, ==, 17);
    g_assert_cmpstr(c->reason_text, ==, "User busy");
    g_assert_cmpstr(c->hangup_by, ==, "callee");
    g_assert_cmpint(c->state, ==, CORR_STATE_COMPLETED);
    g_assert_cmpfloat_with_epsilon(c->duration_s, 2.0, 1e-6);
    fx_clear(&fx);
}

/* -------------------------------------------------------------- kinds */

static void
test_kind_registration(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    CorrMsg *r1 = FEED(&fx, .t = 0, .src = PHONE, .dst = REGISTRAR, .method = "REGISTER",
                       .cid = "reg1", .from = "1001", .to = "1001", .ruri = "sip:example.com",
                       .contact = "sip:1001@10.0.0.10:5060", .extra = "Expires: 3600" CRLF);
    FEED(&fx, .t = 10, .src = REGISTRAR, .dst = PHONE, .status = 401, .cid = "reg1",
         .cseq_method = "REGISTER", .from = "1001", .to = "1001", .ttag = "r1");
    FEED(&fx, .t = 30, .src = PHONE, .dst = REGISTRAR, .method = "REGISTER", .cid = "reg1",
         .cseq = 2, .from = "1001", .to = "1001", .ruri = "sip:example.com",
         .contact = "sip:1001@10.0.0.10:5060", .extra = "Expires: 3600" CRLF);
    CorrMsg *ok = FEED(&fx, .t = 45, .src = REGISTRAR, .dst = PHONE, .status = 200,
                       .cid = "reg1", .cseq = 2, .cseq_method = "REGISTER", .from = "1001",
                       .to = "1001", .ttag = "r2",
                       .contact = "<sip:1001@10.0.0.10:5060>;expires=600",
                       .extra = "Expires: 3600" CRLF);
    corr_engine_finish(fx.e);
    g_assert_cmpint(r1->expires, ==, 3600);
    g_assert_cmpint(ok->expires, ==, 600);
    REQUIRE_LEN(calls_of(&fx)->len, 1);
    CorrCall *c = call_at(&fx, 0);
    g_assert_cmpint(c->kind, ==, CORR_KIND_REGISTRATION);
    g_assert_cmpint(leg_at(c, 0)->kind, ==, CORR_KIND_REGISTRATION);
    g_assert_cmpstr(c->contact, ==, "sip:1001@10.0.0.10:5060");
    g_assert_cmpint(c->expires, ==, 600);
    g_assert_cmpuint(c->result, ==, 200);
    g_assert_cmpstr(c->caller, ==, "1001");
    g_assert_cmpstr(c->callee, ==, "1001");
    g_assert_cmpuint(c->msgs->len, ==, 4);
    fx_clear(&fx);
}

/* A failed registration keeps the requested expiry, the result is the
 * failure. */
static void
test_kind_registration_failed(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    FEED(&fx, .t = 0, .src = PHONE, .dst = REGISTRAR, .method = "REGISTER", .cid = "reg2",
         .ruri = "sip:example.com", .contact = "<sip:alice@10.0.0.10>;expires=120");
    FEED(&fx, .t = 10, .src = REGISTRAR, .dst = PHONE, .status = 403, .cid = "reg2",
         .cseq_method = "REGISTER", .ttag = "r1");
    corr_engine_finish(fx.e);
    CorrCall *c = call_at(&fx, 0);
    g_assert_cmpint(c->kind, ==, CORR_KIND_REGISTRATION);
    g_assert_cmpint(c->expires, ==, 120);
    g_assert_cmpuint(c->result, ==, 403);
    g_assert_cmpstr(c->contact, ==, "sip:alice@10.0.0.10");
    fx_clear(&fx);
}

static void
test_kind_table(void)
{
    static const struct {
        const char *method;
        const char *then; /* a second request in the same Call-ID, or NULL */
        CorrKind kind;
        unsigned result;
    } rows[] = {
        { "OPTIONS", NULL, CORR_KIND_OPTIONS, 200 },
        { "MESSAGE", NULL, CORR_KIND_MESSAGE, 202 },
        { "SUBSCRIBE", "NOTIFY", CORR_KIND_SUBSCRIPTION, 200 },
        { "NOTIFY", NULL, CORR_KIND_SUBSCRIPTION, 200 },
        { "PUBLISH", NULL, CORR_KIND_OTHER, 200 },
        { "INFO", NULL, CORR_KIND_OTHER, 481 },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        g_test_message("row %s", rows[i].method);
        g_auto(Fx) fx = { 0 };
        fx_init(&fx, NULL);
        FEED(&fx, .t = 0, .src = PHONE, .dst = PROXY, .method = rows[i].method, .cid = "k1",
             .extra = "Event: presence" CRLF);
        FEED(&fx, .t = 10, .src = PROXY, .dst = PHONE, .status = 200, .cid = "k1",
             .cseq_method = rows[i].method, .ttag = "k");
        unsigned last = 200;
        if (rows[i].then) {
            FEED(&fx, .t = 20, .src = PROXY, .dst = PHONE, .method = rows[i].then, .cid = "k1",
                 .cseq = 1, .from = "bob", .ftag = "k", .to = "alice", .ttag = "fa",
                 .extra = "Event: presence" CRLF "Subscription-State: active" CRLF);
            FEED(&fx, .t = 30, .src = PHONE, .dst = PROXY, .status = 200, .cid = "k1",
                 .cseq_method = rows[i].then, .from = "bob", .ftag = "k", .to = "alice",
                 .ttag = "fa");
        }
        if (rows[i].result != 200) {
            FEED(&fx, .t = 40, .src = PHONE, .dst = PROXY, .method = rows[i].method, .cid = "k1",
                 .cseq = 2);
            FEED(&fx, .t = 50, .src = PROXY, .dst = PHONE, .status = rows[i].result,
                 .cid = "k1", .cseq = 2, .cseq_method = rows[i].method, .ttag = "k");
            last = rows[i].result;
        }
        corr_engine_finish(fx.e);
        REQUIRE_LEN(calls_of(&fx)->len, 1);
        CorrCall *c = call_at(&fx, 0);
        g_assert_cmpstr(corr_kind_name(c->kind), ==, corr_kind_name(rows[i].kind));
        g_assert_cmpuint(c->result, ==, last);
        g_assert_cmpstr(c->caller, ==, "alice");
        g_assert_cmpstr(c->callee, ==, "bob");
        fx_clear(&fx);
    }
}

/* Each Call-ID of another kind is its own entry, numbered in start order. */
static void
test_kind_separate_entries(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    FEED(&fx, .t = 0, .src = PHONE, .dst = REGISTRAR, .method = "REGISTER", .cid = "e-reg",
         .ruri = "sip:example.com");
    FEED(&fx, .t = 5, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "e-call");
    FEED(&fx, .t = 10, .src = PHONE, .dst = PROXY, .method = "OPTIONS", .cid = "e-opt");
    FEED(&fx, .t = 15, .src = REGISTRAR, .dst = PHONE, .status = 200, .cid = "e-reg",
         .cseq_method = "REGISTER", .ttag = "r");
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 3);
    g_assert_cmpint(call_at(&fx, 0)->kind, ==, CORR_KIND_REGISTRATION);
    g_assert_cmpint(call_at(&fx, 1)->kind, ==, CORR_KIND_CALL);
    g_assert_cmpint(call_at(&fx, 2)->kind, ==, CORR_KIND_OPTIONS);
    for (guint i = 0; i < 3; i++)
        g_assert_cmpuint(call_at(&fx, i)->id, ==, i + 1);
    g_assert_cmpuint(call_at(&fx, 0)->msgs->len, ==, 2);
    fx_clear(&fx);
}

/* ---------------------------------------------------- B2BUA: linked */

/* RFC 7989 session identifiers. */
#define SID_A "ab30317f1a784dc48ff824d0d3715d86"
#define SID_B "47755a9de7794ba387653f2099600ef2"
#define SID_NULL "00000000000000000000000000000000"

/* Two legs through a B2BUA that anchors media (no shared endpoint) and
 * whose numbers do not match: only the header can link them. */
static void
run_header_legs(Fx *fx, const char *extra1, const char *extra2)
{
    FEED(fx, .t = 0, .src = PHONE, .dst = B2B, .method = "INVITE", .cid = "leg-a",
         .sdp = "10.0.0.10:6000", .extra = extra1);
    FEED(fx, .t = 5, .src = B2B, .dst = PHONE, .status = 100, .cid = "leg-a");
    FEED(fx, .t = 30, .src = B2B, .dst = GW, .method = "INVITE", .cid = "leg-b", .from = "b2b",
         .ftag = "fb", .to = "carol", .sdp = "10.0.0.20:20000", .extra = extra2);
    FEED(fx, .t = 400, .src = GW, .dst = B2B, .status = 180, .cid = "leg-b", .from = "b2b",
         .ftag = "fb", .to = "carol", .ttag = "tg");
}

static void
test_link_headers(void)
{
    static const struct {
        const char *name;
        const char *extra1, *extra2;
        const char *detail;
    } rows[] = {
        { "X-Call-ID", NULL, "X-Call-ID: leg-a" CRLF, "X-Call-ID" },
        { "X-CID", NULL, "X-CID: leg-a" CRLF, "X-CID" },
        { "Session-ID", "Session-ID: " SID_A ";remote=" SID_NULL CRLF,
          "Session-ID: " SID_A ";remote=" SID_NULL CRLF, "Session-ID" },
        { "Session-ID, remote of the other leg", "Session-ID: " SID_A CRLF,
          "Session-ID: " SID_B ";remote=" SID_A CRLF, "Session-ID" },
        { "Session-ID, case differs", "Session-ID: " SID_A CRLF,
          "Session-ID: AB30317F1A784DC48FF824D0D3715D86" CRLF, "Session-ID" },
        { "P-Charging-Vector",
          "P-Charging-Vector: icid-value=1234bc9876e;icid-generated-at=192.0.6.8;"
          "orig-ioi=home1.net" CRLF,
          "P-Charging-Vector: icid-value=1234bc9876e;orig-ioi=home1.net" CRLF,
          "P-Charging-Vector" },
        { "P-Charging-Vector with spaces, base64 value",
          "P-Charging-Vector: icid-value=AyretyU0dm+6O2IrT5tAFrbHLso=023551024" CRLF,
          "P-Charging-Vector: icid-value=AyretyU0dm+6O2IrT5tAFrbHLso=023551024; "
          "orig-ioi=home1.net" CRLF,
          "P-Charging-Vector" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        g_test_message("row %s", rows[i].name);
        g_auto(Fx) fx = { 0 };
        fx_init(&fx, NULL);
        run_header_legs(&fx, rows[i].extra1, rows[i].extra2);
        corr_engine_finish(fx.e);
        REQUIRE_LEN(calls_of(&fx)->len, 1);
        CorrCall *c = call_at(&fx, 0);
        REQUIRE_LEN(c->legs->len, 2);
        CorrLeg *a = leg_at(c, 0), *b = leg_at(c, 1);
        g_assert_cmpstr(a->call_id, ==, "leg-a");
        g_assert_cmpstr(b->call_id, ==, "leg-b");
        g_assert_cmpint(a->linked_by, ==, CORR_LINK_FIRST);
        g_assert_null(a->linked_to);
        g_assert_cmpstr(corr_link_name(b->linked_by), ==, "header");
        g_assert_cmpstr(b->link_detail, ==, rows[i].detail);
        g_assert_true(b->linked_to == a);
        g_assert_true(a->call == c);
        g_assert_true(b->call == c);
        g_assert_cmpuint(c->msgs->len, ==, 4);
        /* messages of both legs in capture order */
        for (guint k = 1; k < c->msgs->len; k++)
            g_assert_cmpuint(((CorrMsg *)g_ptr_array_index(c->msgs, k - 1))->index, <,
                             ((CorrMsg *)g_ptr_array_index(c->msgs, k))->index);
        g_assert_cmpuint(c->hops, ==, 2);
        g_assert_cmpstr(c->caller, ==, "alice");
        g_assert_cmpstr(c->callee, ==, "bob");
        /* the caller's first hop decides: the 180 on the other leg does not */
        g_assert_cmpint(c->state, ==, CORR_STATE_PROCEEDING);
        g_assert_cmpuint(c->endpoints->len, ==, 3);
        assert_addr(&g_array_index(c->endpoints, SlAddr, 0), PHONE);
        assert_addr(&g_array_index(c->endpoints, SlAddr, 1), B2B);
        assert_addr(&g_array_index(c->endpoints, SlAddr, 2), GW);
        fx_clear(&fx);
    }
}

/* Scenario 4: the B2BUA passes the gateway's media address to the phone. */
static void
test_link_media(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    /* leg 1: phone -> B2BUA */
    FEED(&fx, .t = 0, .src = PHONE, .dst = B2B, .method = "INVITE", .cid = "m-leg1",
         .sdp = "10.0.0.10:6000");
    FEED(&fx, .t = 3, .src = B2B, .dst = PHONE, .status = 100, .cid = "m-leg1");
    /* leg 2: B2BUA -> gateway, delayed offer */
    FEED(&fx, .t = 10, .src = B2B, .dst = GW, .method = "INVITE", .cid = "m-leg2", .from = "b2b",
         .ftag = "fb", .to = "gw");
    FEED(&fx, .t = 12, .src = GW, .dst = B2B, .status = 100, .cid = "m-leg2", .from = "b2b",
         .ftag = "fb", .to = "gw");
    FEED(&fx, .t = 200, .src = GW, .dst = B2B, .status = 183, .cid = "m-leg2", .from = "b2b",
         .ftag = "fb", .to = "gw", .ttag = "tg", .sdp = "10.0.0.50:7000");
    /* still two calls before the B2BUA copies the gateway's SDP */
    g_assert_cmpuint(live_calls(&fx), ==, 2);
    CorrMsg *b183 = FEED(&fx, .t = 205, .src = B2B, .dst = PHONE, .status = 183,
                         .cid = "m-leg1", .ttag = "tp", .sdp = "10.0.0.50:7000");
    FEED(&fx, .t = 1200, .src = GW, .dst = B2B, .status = 200, .cid = "m-leg2", .from = "b2b",
         .ftag = "fb", .to = "gw", .ttag = "tg", .sdp = "10.0.0.50:7000");
    FEED(&fx, .t = 1205, .src = B2B, .dst = GW, .method = "ACK", .cid = "m-leg2", .from = "b2b",
         .ftag = "fb", .to = "gw", .ttag = "tg", .sdp = "10.0.0.10:6000");
    FEED(&fx, .t = 1210, .src = B2B, .dst = PHONE, .status = 200, .cid = "m-leg1", .ttag = "tp",
         .sdp = "10.0.0.50:7000");
    FEED(&fx, .t = 1220, .src = PHONE, .dst = B2B, .method = "ACK", .cid = "m-leg1",
         .ttag = "tp");
    /* the gateway side hangs up */
    FEED(&fx, .t = 4200, .src = GW, .dst = B2B, .method = "BYE", .cid = "m-leg2", .cseq = 1,
         .from = "gw", .ftag = "tg", .to = "b2b", .ttag = "fb");
    FEED(&fx, .t = 4202, .src = B2B, .dst = GW, .status = 200, .cid = "m-leg2",
         .cseq_method = "BYE", .from = "gw", .ftag = "tg", .to = "b2b", .ttag = "fb");
    FEED(&fx, .t = 4205, .src = B2B, .dst = PHONE, .method = "BYE", .cid = "m-leg1", .cseq = 1,
         .from = "bob", .ftag = "tp", .to = "alice", .ttag = "fa");
    FEED(&fx, .t = 4210, .src = PHONE, .dst = B2B, .status = 200, .cid = "m-leg1",
         .cseq_method = "BYE", .from = "bob", .ftag = "tp", .to = "alice", .ttag = "fa");
    corr_engine_finish(fx.e);

    REQUIRE_LEN(calls_of(&fx)->len, 1);
    CorrCall *c = call_at(&fx, 0);
    REQUIRE_LEN(c->legs->len, 2);
    CorrLeg *l1 = leg_at(c, 0), *l2 = leg_at(c, 1);
    g_assert_cmpstr(l1->call_id, ==, "m-leg1");
    g_assert_cmpstr(l2->call_id, ==, "m-leg2");
    g_assert_cmpint(l1->linked_by, ==, CORR_LINK_FIRST);
    g_assert_cmpint(l2->linked_by, ==, CORR_LINK_MEDIA);
    g_assert_cmpstr(l2->link_detail, ==, "10.0.0.50:7000");
    g_assert_true(l2->linked_to == l1);
    g_assert_true(b183->leg == l1);
    g_assert_cmpuint(c->msgs->len, ==, 14);
    g_assert_cmpuint(c->endpoints->len, ==, 3);
    assert_addr(&g_array_index(c->endpoints, SlAddr, 0), PHONE);
    assert_addr(&g_array_index(c->endpoints, SlAddr, 1), B2B);
    assert_addr(&g_array_index(c->endpoints, SlAddr, 2), GW);
    g_assert_cmpint(c->state, ==, CORR_STATE_COMPLETED);
    g_assert_cmpint(c->pdd_ms, ==, 205);
    g_assert_cmpint(c->setup_ms, ==, 1210);
    /* the first BYE came from the gateway, the callee of its leg */
    g_assert_cmpstr(c->hangup_by, ==, "callee");
    assert_addr(&c->hangup_addr, GW);
    g_assert_cmpfloat_with_epsilon(c->duration_s, 2.99, 1e-6);
    g_assert_cmpuint(c->hops, ==, 2);
    g_assert_cmpstr(c->caller, ==, "alice");
    g_assert_true(l1->ended);
    g_assert_true(l2->ended);
    fx_clear(&fx);
}

/* A UAC follows a 302 with a new INVITE, new Call-ID, to the Contact. */
static void
test_link_redirect(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    FEED(&fx, .t = 0, .src = PHONE, .dst = REDIR, .method = "INVITE", .cid = "rd-1",
         .ruri = "sip:bob@example.com", .sdp = "10.0.0.10:6000", .branch = "z9hG4bKrd1");
    FEED(&fx, .t = 20, .src = REDIR, .dst = PHONE, .status = 302, .cid = "rd-1", .ttag = "rx",
         .contact = "sip:bob@10.0.0.60", .branch = "z9hG4bKrd1");
    FEED(&fx, .t = 25, .src = PHONE, .dst = REDIR, .method = "ACK", .cid = "rd-1", .ttag = "rx",
         .branch = "z9hG4bKrd1");
    CorrMsg *inv2 = FEED(&fx, .t = 40, .src = PHONE, .dst = TARGET, .method = "INVITE",
                         .cid = "rd-2", .ftag = "fa2", .ruri = "sip:bob@10.0.0.60",
                         .sdp = "10.0.0.10:6002");
    FEED(&fx, .t = 300, .src = TARGET, .dst = PHONE, .status = 180, .cid = "rd-2", .ftag = "fa2",
         .ttag = "tt");
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 1);
    CorrCall *c = call_at(&fx, 0);
    REQUIRE_LEN(c->legs->len, 2);
    g_assert_cmpstr(leg_at(c, 0)->call_id, ==, "rd-1");
    CorrLeg *l2 = leg_at(c, 1);
    g_assert_true(inv2->leg == l2);
    g_assert_cmpint(l2->linked_by, ==, CORR_LINK_REDIRECT);
    g_assert_cmpstr(l2->link_detail, ==, "sip:bob@10.0.0.60");
    g_assert_true(l2->linked_to == leg_at(c, 0));
    g_assert_cmpuint(c->endpoints->len, ==, 3);
    assert_addr(&g_array_index(c->endpoints, SlAddr, 2), TARGET);
    fx_clear(&fx);
}

/* A B2BUA that anchors media: its INVITE follows 20 ms later for the same
 * callee number; later the SDP of both legs names one endpoint, a stronger
 * proof that replaces the reason. */
static void
test_link_numbers_then_media(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    FEED(&fx, .t = 0, .src = PHONE, .dst = B2B, .method = "INVITE", .cid = "n-1",
         .from = "15551110001", .to = "15551230001", .sdp = "10.0.0.10:6000");
    FEED(&fx, .t = 20, .src = B2B, .dst = GW, .method = "INVITE", .cid = "n-2",
         .from = "+1(555)111-0001", .ftag = "fb", .to = "+15551230001",
         .sdp = "10.0.0.20:20000");
    g_assert_cmpuint(live_calls(&fx), ==, 1);
    CorrLeg *l2 = ((CorrMsg *)g_ptr_array_index(corr_engine_messages(fx.e), 1))->leg;
    CorrLeg *l1 = ((CorrMsg *)g_ptr_array_index(corr_engine_messages(fx.e), 0))->leg;
    g_assert_cmpint(l2->linked_by, ==, CORR_LINK_NUMBERS);
    g_assert_cmpstr(l2->link_detail, ==, "INVITE 20 ms later from the same host");
    g_assert_true(l2->linked_to == l1);
    g_assert_true(l1->call == l2->call);

    FEED(&fx, .t = 300, .src = GW, .dst = B2B, .status = 183, .cid = "n-2",
         .from = "+1(555)111-0001", .ftag = "fb", .to = "+15551230001", .ttag = "tg",
         .sdp = "10.0.0.50:7000");
    FEED(&fx, .t = 305, .src = B2B, .dst = PHONE, .status = 183, .cid = "n-1",
         .from = "15551110001", .to = "15551230001", .ttag = "tp", .sdp = "10.0.0.50:7000");
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 1);
    CorrCall *c = call_at(&fx, 0);
    REQUIRE_LEN(c->legs->len, 2);
    g_assert_true(leg_at(c, 0) == l1);
    g_assert_true(leg_at(c, 1) == l2);
    g_assert_cmpint(l2->linked_by, ==, CORR_LINK_MEDIA);
    g_assert_cmpstr(l2->link_detail, ==, "10.0.0.50:7000");
    g_assert_true(l2->linked_to == l1);
    g_assert_cmpint(c->state, ==, CORR_STATE_EARLY_MEDIA);
    g_assert_cmpstr(c->callee, ==, "15551230001");
    fx_clear(&fx);
}

/* A weaker reason never replaces a stronger one. */
static void
test_link_header_not_downgraded(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    FEED(&fx, .t = 0, .src = PHONE, .dst = B2B, .method = "INVITE", .cid = "s-1",
         .from = "15551110001", .to = "15551230001", .sdp = "10.0.0.10:6000");
    FEED(&fx, .t = 20, .src = B2B, .dst = GW, .method = "INVITE", .cid = "s-2",
         .from = "15551110001", .ftag = "fb", .to = "15551230001", .sdp = "10.0.0.10:6000",
         .extra = "X-Call-ID: s-1" CRLF);
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 1);
    CorrLeg *l2 = leg_at(call_at(&fx, 0), 1);
    g_assert_cmpint(l2->linked_by, ==, CORR_LINK_HEADER);
    g_assert_cmpstr(l2->link_detail, ==, "X-Call-ID");
    fx_clear(&fx);
}

/* ---------------------------------------- B2BUA: must stay separate */

static void
assert_all_single_leg(Fx *fx)
{
    GPtrArray *calls = calls_of(fx);
    for (guint i = 0; i < calls->len; i++) {
        CorrCall *c = g_ptr_array_index(calls, i);
        REQUIRE_LEN(c->legs->len, 1);
        g_assert_cmpint(leg_at(c, 0)->linked_by, ==, CORR_LINK_FIRST);
        g_assert_null(leg_at(c, 0)->linked_to);
    }
}

/* A load test: two concurrent calls from one UAC host, same SDP endpoint
 * (SIPp uses one media port), same UAS, same numbers. */
static void
test_nolink_load_test(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    for (int k = 0; k < 2; k++) {
        const char *cid = k ? "load-2" : "load-1";
        const char *ftag = k ? "f2" : "f1";
        int64_t t = k * 10;
        FEED(&fx, .t = t, .src = PHONE, .dst = GW, .method = "INVITE", .cid = cid, .ftag = ftag,
             .from = "sipp", .to = "15551230001", .sdp = "10.0.0.10:6000");
    }
    for (int k = 0; k < 2; k++) {
        const char *cid = k ? "load-2" : "load-1";
        const char *ftag = k ? "f2" : "f1";
        int64_t t = 100 + k * 10;
        FEED(&fx, .t = t, .src = GW, .dst = PHONE, .status = 180, .cid = cid, .ftag = ftag,
             .from = "sipp", .to = "15551230001", .ttag = "u");
        FEED(&fx, .t = t + 1, .src = GW, .dst = PHONE, .status = 200, .cid = cid, .ftag = ftag,
             .from = "sipp", .to = "15551230001", .ttag = "u", .sdp = "10.0.0.50:7000");
        FEED(&fx, .t = t + 2, .src = PHONE, .dst = GW, .method = "ACK", .cid = cid, .ftag = ftag,
             .from = "sipp", .to = "15551230001", .ttag = "u");
    }
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 2);
    g_assert_cmpuint(live_calls(&fx), ==, 2);
    assert_all_single_leg(&fx);
    g_assert_cmpuint(call_at(&fx, 0)->msgs->len, ==, 4);
    g_assert_cmpuint(call_at(&fx, 1)->msgs->len, ==, 4);
    fx_clear(&fx);
}

/* The same load test through a B2BUA that passes media through: each
 * call's two legs belong together, the two calls do not. */
static void
test_nolink_load_test_b2bua(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    for (int k = 0; k < 2; k++) {
        int64_t t = k * 100;
        const char *cin = k ? "lb-2-in" : "lb-1-in";
        const char *cout = k ? "lb-2-out" : "lb-1-out";
        const char *ftag = k ? "f2" : "f1";
        FEED(&fx, .t = t, .src = PHONE, .dst = B2B, .method = "INVITE", .cid = cin, .ftag = ftag,
             .from = "sipp", .to = "service", .sdp = "10.0.0.10:6000");
        FEED(&fx, .t = t + 5, .src = B2B, .dst = GW, .method = "INVITE", .cid = cout,
             .ftag = ftag, .from = "b2b", .to = "service", .sdp = "10.0.0.10:6000");
    }
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 2);
    for (guint i = 0; i < 2; i++) {
        CorrCall *c = call_at(&fx, i);
        g_test_message("call %u: %u legs", i + 1, c->legs->len);
        REQUIRE_LEN(c->legs->len, 2);
        g_assert_cmpint(leg_at(c, 1)->linked_by, ==, CORR_LINK_MEDIA);
    }
    g_assert_cmpstr(leg_at(call_at(&fx, 0), 1)->call_id, ==, "lb-1-out");
    g_assert_cmpstr(leg_at(call_at(&fx, 1), 1)->call_id, ==, "lb-2-out");
    fx_clear(&fx);
}

/* Two sequential calls from one phone through a media-passing B2BUA,
 * reusing media port 6000; the first ends (BYE/200) before the second. */
static void
test_nolink_sequential_calls(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    for (int k = 0; k < 2; k++) {
        int64_t t = k * 10000;
        g_autofree char *c1 = g_strdup_printf("seq-%d-in", k + 1);
        g_autofree char *c2 = g_strdup_printf("seq-%d-out", k + 1);
        FEED(&fx, .t = t, .src = PHONE, .dst = B2B, .method = "INVITE", .cid = c1,
             .sdp = "10.0.0.10:6000");
        FEED(&fx, .t = t + 10, .src = B2B, .dst = GW, .method = "INVITE", .cid = c2,
             .from = "b2b", .ftag = "fb", .to = "gw", .sdp = "10.0.0.10:6000");
        FEED(&fx, .t = t + 500, .src = GW, .dst = B2B, .status = 200, .cid = c2, .from = "b2b",
             .ftag = "fb", .to = "gw", .ttag = "tg", .sdp = "10.0.0.50:7000");
        FEED(&fx, .t = t + 505, .src = B2B, .dst = PHONE, .status = 200, .cid = c1,
             .ttag = "tp", .sdp = "10.0.0.50:7000");
        FEED(&fx, .t = t + 510, .src = PHONE, .dst = B2B, .method = "ACK", .cid = c1,
             .ttag = "tp");
        FEED(&fx, .t = t + 512, .src = B2B, .dst = GW, .method = "ACK", .cid = c2, .from = "b2b",
             .ftag = "fb", .to = "gw", .ttag = "tg");
        FEED(&fx, .t = t + 5000, .src = PHONE, .dst = B2B, .method = "BYE", .cid = c1,
             .cseq = 2, .ttag = "tp");
        FEED(&fx, .t = t + 5005, .src = B2B, .dst = GW, .method = "BYE", .cid = c2, .cseq = 2,
             .from = "b2b", .ftag = "fb", .to = "gw", .ttag = "tg");
        FEED(&fx, .t = t + 5010, .src = GW, .dst = B2B, .status = 200, .cid = c2, .cseq = 2,
             .cseq_method = "BYE", .from = "b2b", .ftag = "fb", .to = "gw", .ttag = "tg");
        FEED(&fx, .t = t + 5015, .src = B2B, .dst = PHONE, .status = 200, .cid = c1, .cseq = 2,
             .cseq_method = "BYE", .ttag = "tp");
    }
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 2);
    for (guint i = 0; i < 2; i++) {
        CorrCall *c = call_at(&fx, i);
        REQUIRE_LEN(c->legs->len, 2);
        g_assert_cmpuint(c->msgs->len, ==, 10);
        g_assert_cmpint(c->state, ==, CORR_STATE_COMPLETED);
        g_autofree char *in = g_strdup_printf("seq-%u-in", i + 1);
        g_autofree char *out = g_strdup_printf("seq-%u-out", i + 1);
        g_assert_cmpstr(leg_at(c, 0)->call_id, ==, in);
        g_assert_cmpstr(leg_at(c, 1)->call_id, ==, out);
        g_assert_cmpint(leg_at(c, 1)->linked_by, ==, CORR_LINK_MEDIA);
    }
    fx_clear(&fx);
}

/* A media server answers two calls with one fixed endpoint; a third leg
 * naming it could belong to either: not linked. */
static void
test_nolink_media_ambiguous(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    FEED(&fx, .t = 0, .src = PHONE, .dst = B2B, .method = "INVITE", .cid = "amb-z",
         .sdp = "10.0.0.10:6000");
    FEED(&fx, .t = 10, .src = B2B, .dst = MEDIASRV, .method = "INVITE", .cid = "amb-x",
         .from = "b2b", .ftag = "fx", .to = "ivr");
    FEED(&fx, .t = 20, .src = B2B, .dst = MEDIASRV, .method = "INVITE", .cid = "amb-y",
         .from = "b2b", .ftag = "fy", .to = "ivr");
    FEED(&fx, .t = 100, .src = MEDIASRV, .dst = B2B, .status = 200, .cid = "amb-x",
         .from = "b2b", .ftag = "fx", .to = "ivr", .ttag = "mx", .sdp = "10.0.0.99:8000");
    FEED(&fx, .t = 110, .src = MEDIASRV, .dst = B2B, .status = 200, .cid = "amb-y",
         .from = "b2b", .ftag = "fy", .to = "ivr", .ttag = "my", .sdp = "10.0.0.99:8000");
    FEED(&fx, .t = 120, .src = B2B, .dst = PHONE, .status = 200, .cid = "amb-z", .ttag = "tz",
         .sdp = "10.0.0.99:8000");
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 3);
    assert_all_single_leg(&fx);
    g_assert_cmpstr(leg_at(call_at(&fx, 0), 0)->call_id, ==, "amb-z");
    fx_clear(&fx);
}

/* The same without the second media-server call: linked (the control). */
static void
test_link_media_single_candidate(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    FEED(&fx, .t = 0, .src = PHONE, .dst = B2B, .method = "INVITE", .cid = "amb-z",
         .sdp = "10.0.0.10:6000");
    FEED(&fx, .t = 10, .src = B2B, .dst = MEDIASRV, .method = "INVITE", .cid = "amb-x",
         .from = "b2b", .ftag = "fx", .to = "ivr");
    FEED(&fx, .t = 100, .src = MEDIASRV, .dst = B2B, .status = 200, .cid = "amb-x",
         .from = "b2b", .ftag = "fx", .to = "ivr", .ttag = "mx", .sdp = "10.0.0.99:8000");
    FEED(&fx, .t = 120, .src = B2B, .dst = PHONE, .status = 200, .cid = "amb-z", .ttag = "tz",
         .sdp = "10.0.0.99:8000");
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 1);
    CorrLeg *l = leg_at(call_at(&fx, 0), 1);
    g_assert_cmpstr(l->call_id, ==, "amb-x");
    g_assert_cmpint(l->linked_by, ==, CORR_LINK_MEDIA);
    g_assert_cmpstr(l->link_detail, ==, "10.0.0.99:8000");
    fx_clear(&fx);
}

/* Two phones call the same number through the B2BUA moments apart; its
 * outgoing INVITE could follow either. */
static void
test_nolink_numbers_ambiguous(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    FEED(&fx, .t = 0, .src = PHONE, .dst = B2B, .method = "INVITE", .cid = "na-1",
         .from = "15551110001", .to = "15551230001", .sdp = "10.0.0.10:6000");
    FEED(&fx, .t = 5, .src = PHONE2, .dst = B2B, .method = "INVITE", .cid = "na-2",
         .from = "15551110002", .to = "15551230001", .sdp = "10.0.0.11:6000");
    FEED(&fx, .t = 25, .src = B2B, .dst = GW, .method = "INVITE", .cid = "na-3",
         .from = "5551110009", .ftag = "fb", .to = "15551230001", .sdp = "10.0.0.20:20000");
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 3);
    assert_all_single_leg(&fx);
    fx_clear(&fx);
}

/* One incoming candidate; the caller number matches (the callee numbers
 * have too few digits to compare). */
static void
test_link_numbers_caller(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    FEED(&fx, .t = 0, .src = PHONE, .dst = B2B, .method = "INVITE", .cid = "nc-1",
         .from = "15551110001", .to = "1002", .sdp = "10.0.0.10:6000");
    FEED(&fx, .t = 1500, .src = B2B, .dst = GW, .method = "INVITE", .cid = "nc-2",
         .from = "+15551110001", .ftag = "fb", .to = "0049301234567", .sdp = "10.0.0.20:20000");
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 1);
    CorrCall *c = call_at(&fx, 0);
    REQUIRE_LEN(c->legs->len, 2);
    g_assert_cmpint(leg_at(c, 1)->linked_by, ==, CORR_LINK_NUMBERS);
    g_assert_cmpstr(leg_at(c, 1)->link_detail, ==, "INVITE 1500 ms later from the same host");
    fx_clear(&fx);
}

/* The B2BUA's INVITE 2.5 s after the incoming one, nothing in between:
 * outside the 2 s window of the numbers rule. */
static void
test_nolink_numbers_after_window(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    FEED(&fx, .t = 0, .src = PHONE2, .dst = B2B, .method = "INVITE", .cid = "nw-1",
         .from = "15551110002", .to = "15551230003", .sdp = "10.0.0.11:6000");
    FEED(&fx, .t = 2500, .src = B2B, .dst = GW, .method = "INVITE", .cid = "nw-2",
         .from = "15551110002", .ftag = "fb", .to = "15551230003", .sdp = "10.0.0.20:20002");
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 2);
    assert_all_single_leg(&fx);
    fx_clear(&fx);
}

/* The new INVITE to a 302's Contact 70 s later, nothing in between:
 * outside the link window (60 s by default). */
static void
test_nolink_redirect_after_window(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    FEED(&fx, .t = 0, .src = PHONE, .dst = REDIR, .method = "INVITE", .cid = "rw-1",
         .ruri = "sip:bob@example.com", .branch = "z9hG4bKrw1");
    FEED(&fx, .t = 20, .src = REDIR, .dst = PHONE, .status = 302, .cid = "rw-1", .ttag = "rx",
         .contact = "sip:bob@10.0.0.60", .branch = "z9hG4bKrw1");
    FEED(&fx, .t = 70000, .src = PHONE, .dst = TARGET, .method = "INVITE", .cid = "rw-2",
         .ftag = "fa2", .ruri = "sip:bob@10.0.0.60");
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 2);
    assert_all_single_leg(&fx);
    fx_clear(&fx);
}

/* Files read out of time order: a 302 from a later file, read first, and
 * then an INVITE 30 s earlier to its Contact. The INVITE cannot follow a
 * redirect it never got, so the legs stay apart. */
static void
test_nolink_redirect_from_later_file(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    FEED(&fx, .t = 30000, .src = PHONE, .dst = REDIR, .method = "INVITE", .cid = "rl-1",
         .ruri = "sip:bob@example.com", .branch = "z9hG4bKrl1");
    FEED(&fx, .t = 30020, .src = REDIR, .dst = PHONE, .status = 302, .cid = "rl-1", .ttag = "rx",
         .contact = "sip:bob@10.0.0.60", .branch = "z9hG4bKrl1");
    FEED(&fx, .t = 0, .src = PHONE, .dst = TARGET, .method = "INVITE", .cid = "rl-2",
         .ftag = "fa2", .ruri = "sip:bob@10.0.0.60");
    /* within the clock slack (2 s) the same order still links */
    FEED(&fx, .t = 40000, .src = PHONE, .dst = REDIR, .method = "INVITE", .cid = "rl-3",
         .ruri = "sip:carol@example.com", .branch = "z9hG4bKrl3");
    FEED(&fx, .t = 41000, .src = REDIR, .dst = PHONE, .status = 302, .cid = "rl-3", .ttag = "ry",
         .contact = "sip:carol@10.0.0.60", .branch = "z9hG4bKrl3");
    FEED(&fx, .t = 39500, .src = PHONE, .dst = TARGET, .method = "INVITE", .cid = "rl-4",
         .ftag = "fa4", .ruri = "sip:carol@10.0.0.60");
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 3);
    g_assert_cmpuint(call_at(&fx, 0)->legs->len, ==, 1);
    g_assert_cmpuint(call_at(&fx, 1)->legs->len, ==, 1);
    g_assert_cmpstr(leg_at(call_at(&fx, 1), 0)->call_id, ==, "rl-2");
    CorrCall *c = call_at(&fx, 2);
    REQUIRE_LEN(c->legs->len, 2);
    /* legs are in time order, and the later one records the link */
    g_assert_cmpstr(leg_at(c, 0)->call_id, ==, "rl-4");
    g_assert_cmpint(leg_at(c, 1)->linked_by, ==, CORR_LINK_REDIRECT);
    g_assert_true(leg_at(c, 1)->linked_to == leg_at(c, 0));
    fx_clear(&fx);
}

/* The control of the two cases above within their windows, with other
 * traffic in between. */
static void
test_link_within_windows_busy_capture(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    FEED(&fx, .t = 0, .src = PHONE, .dst = REDIR, .method = "INVITE", .cid = "rb-1",
         .ruri = "sip:bob@example.com", .branch = "z9hG4bKrb1");
    FEED(&fx, .t = 20, .src = REDIR, .dst = PHONE, .status = 302, .cid = "rb-1", .ttag = "rx",
         .contact = "<sip:bob@10.0.0.60;transport=udp>", .branch = "z9hG4bKrb1");
    for (int k = 0; k < 5; k++) {
        g_autofree char *cid = g_strdup_printf("rb-ping-%d", k);
        FEED(&fx, .t = 10000 * (k + 1), .src = PROXY, .dst = REGISTRAR, .method = "OPTIONS",
             .cid = cid, .ruri = "sip:10.0.0.2");
    }
    FEED(&fx, .t = 59000, .src = PHONE, .dst = TARGET, .method = "INVITE", .cid = "rb-2",
         .ftag = "fa2", .ruri = "sip:bob@10.0.0.60;transport=udp");
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 6);
    CorrCall *c = call_at(&fx, 0);
    REQUIRE_LEN(c->legs->len, 2);
    g_assert_cmpint(leg_at(c, 1)->linked_by, ==, CORR_LINK_REDIRECT);
    g_assert_cmpstr(leg_at(c, 1)->link_detail, ==, "sip:bob@10.0.0.60;transport=udp");
    fx_clear(&fx);
}

static void
test_nolink_unknown_x_call_id(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    run_header_legs(&fx, NULL, "X-Call-ID: no-such-call@10.0.0.99" CRLF);
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 2);
    assert_all_single_leg(&fx);
    g_assert_cmpstr(leg_at(call_at(&fx, 1), 0)->call_id, ==, "leg-b");
    fx_clear(&fx);
}

/* Different Session-IDs and icid-values do not link. */
static void
test_nolink_different_tokens(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    run_header_legs(&fx, "Session-ID: " SID_A CRLF "P-Charging-Vector: icid-value=aaa111" CRLF,
                    "Session-ID: " SID_B ";remote=" SID_NULL CRLF
                    "P-Charging-Vector: icid-value=bbb222" CRLF);
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 2);
    assert_all_single_leg(&fx);
    fx_clear(&fx);
}

/* RFC 7989 section 6: the null UUID means "not known yet"; two legs that
 * both carry it share nothing. */
static void
test_nolink_null_session_id(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    run_header_legs(&fx, "Session-ID: " SID_NULL ";remote=" SID_NULL CRLF,
                    "Session-ID: " SID_NULL ";remote=" SID_NULL CRLF);
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 2);
    assert_all_single_leg(&fx);
    fx_clear(&fx);
}

/* ------------------------------------------------------------ events */

typedef struct {
    guint added, merged, messages, changed;
    CorrCall *added_calls[4];
    CorrCall *merged_from, *merged_into;
    const CorrMsg *msgs[16];
    CorrCall *msg_calls[16];
} EventLog;

static void
on_event(CorrEventType type, CorrCall *call, const CorrMsg *msg, gpointer user)
{
    EventLog *log = user;
    g_assert_nonnull(call);
    switch (type) {
    case CORR_EVENT_CALL_ADDED:
        g_assert_nonnull(msg);
        g_assert_false(call->dead);
        if (log->added < G_N_ELEMENTS(log->added_calls))
            log->added_calls[log->added] = call;
        log->added++;
        break;
    case CORR_EVENT_CALL_MERGED:
        g_assert_true(call->dead);
        g_assert_nonnull(call->merged_into);
        g_assert_false(call->merged_into->dead);
        g_assert_cmpuint(call->legs->len, ==, 0);
        log->merged_from = call;
        log->merged_into = call->merged_into;
        log->merged++;
        break;
    case CORR_EVENT_MESSAGE_ADDED:
        g_assert_nonnull(msg);
        g_assert_false(call->dead);
        g_assert_true(msg->leg->call == call);
        if (log->messages < G_N_ELEMENTS(log->msgs)) {
            log->msgs[log->messages] = msg;
            log->msg_calls[log->messages] = call;
        }
        log->messages++;
        break;
    case CORR_EVENT_CALL_CHANGED:
        log->changed++;
        break;
    }
}

static void
test_events(void)
{
    g_auto(Fx) fx = { 0 };
    EventLog log = { 0 };
    fx_init(&fx, NULL);
    corr_engine_subscribe(fx.e, on_event, &log);
    run_header_legs(&fx, NULL, "X-Call-ID: leg-a" CRLF);
    /* a third, unrelated call */
    FEED(&fx, .t = 500, .src = PHONE2, .dst = GW, .method = "INVITE", .cid = "ev-3");
    /* and one more message of the first call */
    FEED(&fx, .t = 600, .src = B2B, .dst = PHONE, .status = 180, .cid = "leg-a", .ttag = "tp");

    g_assert_cmpuint(log.added, ==, 3);
    g_assert_cmpuint(log.merged, ==, 1);
    g_assert_cmpuint(log.messages, ==, 6);
    g_assert_cmpuint(log.changed, >=, 6);
    /* leg-b's call was merged into leg-a's */
    g_assert_true(log.merged_from == log.added_calls[1]);
    g_assert_true(log.merged_into == log.added_calls[0]);
    GPtrArray *all = corr_engine_messages(fx.e);
    REQUIRE_LEN(all->len, 6);
    for (guint i = 0; i < 6; i++)
        g_assert_true(log.msgs[i] == g_ptr_array_index(all, i));
    /* MESSAGE_ADDED names the call the message is in after linking */
    g_assert_true(log.msg_calls[0] == log.added_calls[0]);
    g_assert_true(log.msg_calls[2] == log.added_calls[0]);
    g_assert_true(log.msg_calls[3] == log.added_calls[0]);
    g_assert_true(log.msg_calls[4] == log.added_calls[2]);
    g_assert_true(log.msg_calls[5] == log.added_calls[0]);

    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 2);
    g_assert_true(call_at(&fx, 0) == log.added_calls[0]);
    g_assert_true(call_at(&fx, 1) == log.added_calls[2]);
    g_assert_cmpuint(call_at(&fx, 1)->id, ==, 2);
    fx_clear(&fx);
}

/* ------------------------------------------------------ memory bound */

static void
test_max_msgs_per_call(void)
{
    CorrOptions opts;
    corr_options_init(&opts);
    opts.max_msgs_per_call = 5;
    g_auto(Fx) fx = { 0 };
    EventLog log = { 0 };
    fx_init(&fx, &opts);
    corr_engine_subscribe(fx.e, on_event, &log);
    FEED(&fx, .t = 0, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "big");
    FEED(&fx, .t = 5, .src = GW, .dst = PHONE, .status = 100, .cid = "big");
    FEED(&fx, .t = 100, .src = GW, .dst = PHONE, .status = 180, .cid = "big", .ttag = "tb");
    FEED(&fx, .t = 1000, .src = GW, .dst = PHONE, .status = 200, .cid = "big", .ttag = "tb");
    CorrMsg *fifth = FEED(&fx, .t = 1010, .src = PHONE, .dst = GW, .method = "ACK", .cid = "big",
                          .ttag = "tb");
    g_assert_nonnull(fifth);
    CorrMsg *dropped[3];
    dropped[0] = FEED(&fx, .t = 1500, .src = GW, .dst = PHONE, .status = 200, .cid = "big",
                      .ttag = "tb");
    dropped[1] = FEED(&fx, .t = 5000, .src = PHONE, .dst = GW, .method = "BYE", .cid = "big",
                      .cseq = 2, .ttag = "tb");
    dropped[2] = FEED(&fx, .t = 5010, .src = GW, .dst = PHONE, .status = 200, .cid = "big",
                      .cseq = 2, .cseq_method = "BYE", .ttag = "tb");
    for (int i = 0; i < 3; i++)
        g_assert_null(dropped[i]);
    /* another call is still accepted */
    CorrMsg *other = FEED(&fx, .t = 6000, .src = PHONE2, .dst = GW, .method = "OPTIONS",
                          .cid = "small");
    g_assert_nonnull(other);
    corr_engine_finish(fx.e);
    g_assert_cmpuint(corr_engine_dropped_messages(fx.e), ==, 3);
    g_assert_cmpuint(corr_engine_messages(fx.e)->len, ==, 6);
    g_assert_cmpuint(log.messages, ==, 6);
    REQUIRE_LEN(calls_of(&fx)->len, 2);
    CorrCall *c = call_at(&fx, 0);
    g_assert_cmpuint(c->msgs->len, ==, 5);
    g_assert_cmpuint(leg_at(c, 0)->msgs->len, ==, 5);
    g_assert_true(g_ptr_array_index(c->msgs, 4) == fifth);
    g_assert_cmpint(c->state, ==, CORR_STATE_IN_CALL);
    fx_clear(&fx);
}

/* ---------------------------------------------------------- eviction */

/* How a short call from PHONE to GW ends. */
typedef enum {
    SHORT_COMPLETED, /* INVITE 100 180 200 ACK BYE 200 */
    SHORT_BUSY,      /* INVITE 100 486 ACK */
    SHORT_CANCELLED, /* INVITE 100 180 CANCEL 200 487 ACK */
    SHORT_IN_CALL,   /* INVITE 100 180 200 ACK, never hung up */
} ShortEnd;

static const struct {
    guint msgs;
    CorrState state;
} short_ends[] = {
    [SHORT_COMPLETED] = { 7, CORR_STATE_COMPLETED },
    [SHORT_BUSY] = { 4, CORR_STATE_BUSY },
    [SHORT_CANCELLED] = { 7, CORR_STATE_CANCELLED },
    [SHORT_IN_CALL] = { 5, CORR_STATE_IN_CALL },
};

/* Feeds one short call starting at @t ms, SDP on media port @port of both
 * sides; every message lies within 2 s. Returns the messages kept. */
static guint
run_short_call(Fx *fx, int64_t t, const char *cid, ShortEnd end, guint port)
{
    g_autofree char *inv_branch = g_strdup_printf("z9hG4bK-%s-1-INVITE", cid);
    char sdp_a[32], sdp_b[32];
    g_snprintf(sdp_a, sizeof sdp_a, "10.0.0.10:%u", port);
    g_snprintf(sdp_b, sizeof sdp_b, "10.0.0.50:%u", port);
    guint n = 0;
    n += FEED(fx, .t = t, .src = PHONE, .dst = GW, .method = "INVITE", .cid = cid,
              .sdp = sdp_a) != NULL;
    n += FEED(fx, .t = t + 5, .src = GW, .dst = PHONE, .status = 100, .cid = cid) != NULL;
    if (end == SHORT_BUSY) {
        n += FEED(fx, .t = t + 300, .src = GW, .dst = PHONE, .status = 486, .cid = cid,
                  .ttag = "tb") != NULL;
        n += FEED(fx, .t = t + 305, .src = PHONE, .dst = GW, .method = "ACK", .cid = cid,
                  .ttag = "tb", .branch = inv_branch) != NULL;
        return n;
    }
    n += FEED(fx, .t = t + 100, .src = GW, .dst = PHONE, .status = 180, .cid = cid,
              .ttag = "tb") != NULL;
    if (end == SHORT_CANCELLED) {
        n += FEED(fx, .t = t + 1000, .src = PHONE, .dst = GW, .method = "CANCEL", .cid = cid,
                  .branch = inv_branch) != NULL;
        n += FEED(fx, .t = t + 1005, .src = GW, .dst = PHONE, .status = 200, .cid = cid,
                  .cseq_method = "CANCEL", .ttag = "tb", .branch = inv_branch) != NULL;
        n += FEED(fx, .t = t + 1010, .src = GW, .dst = PHONE, .status = 487, .cid = cid,
                  .ttag = "tb") != NULL;
        n += FEED(fx, .t = t + 1015, .src = PHONE, .dst = GW, .method = "ACK", .cid = cid,
                  .ttag = "tb", .branch = inv_branch) != NULL;
        return n;
    }
    n += FEED(fx, .t = t + 500, .src = GW, .dst = PHONE, .status = 200, .cid = cid,
              .ttag = "tb", .sdp = sdp_b) != NULL;
    n += FEED(fx, .t = t + 510, .src = PHONE, .dst = GW, .method = "ACK", .cid = cid,
              .ttag = "tb") != NULL;
    if (end == SHORT_IN_CALL)
        return n;
    n += FEED(fx, .t = t + 1900, .src = PHONE, .dst = GW, .method = "BYE", .cid = cid,
              .cseq = 2, .ttag = "tb") != NULL;
    n += FEED(fx, .t = t + 1910, .src = GW, .dst = PHONE, .status = 200, .cid = cid, .cseq = 2,
              .cseq_method = "BYE", .ttag = "tb") != NULL;
    return n;
}

/* Calls of the eviction runs: every 97th from the 5th is never hung up. */
static ShortEnd
short_end_of(guint i)
{
    if (i % 97 == 5)
        return SHORT_IN_CALL;
    if (i % 10 == 3)
        return SHORT_BUSY;
    if (i % 10 == 7)
        return SHORT_CANCELLED;
    return SHORT_COMPLETED;
}

/* What the eviction callback saw. */
typedef struct {
    CorrEngine *e;
    guint calls, msgs, legs;
    guint last_id;
    GHashTable *cids;   /* Call-ID (owned) -> GUINT_TO_POINTER(id) */
    GHashTable *states; /* Call-ID (owned) -> GINT_TO_POINTER(state + 1) */
} EvictLog;

static void
evict_log_init(EvictLog *log, CorrEngine *e)
{
    memset(log, 0, sizeof *log);
    log->e = e;
    log->cids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    log->states = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

static void
evict_log_clear(EvictLog *log)
{
    g_clear_pointer(&log->cids, g_hash_table_destroy);
    g_clear_pointer(&log->states, g_hash_table_destroy);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(EvictLog, evict_log_clear)

/* Checks that the call is whole and its messages still in the engine, and
 * that final ids are given in eviction order. */
static void
on_evict(CorrCall *call, gpointer user)
{
    EvictLog *log = user;
    GPtrArray *all = corr_engine_messages(log->e);
    g_assert_false(call->dead);
    g_assert_cmpuint(call->id, ==, log->last_id + 1);
    log->last_id = call->id;
    g_assert_cmpuint(call->legs->len, >=, 1);
    g_assert_cmpuint(call->msgs->len, >=, 1);
    guint leg_msgs = 0;
    for (guint i = 0; i < call->legs->len; i++) {
        CorrLeg *leg = g_ptr_array_index(call->legs, i);
        g_assert_true(leg->call == call);
        leg_msgs += leg->msgs->len;
        g_hash_table_replace(log->cids, g_strdup(leg->call_id), GUINT_TO_POINTER(call->id));
        g_hash_table_replace(log->states, g_strdup(leg->call_id),
                             GINT_TO_POINTER((int)call->state + 1));
    }
    g_assert_cmpuint(leg_msgs, ==, call->msgs->len);
    for (guint i = 0; i < call->msgs->len; i++) {
        CorrMsg *m = g_ptr_array_index(call->msgs, i);
        g_assert_true(m->leg->call == call);
        g_assert_cmpstr(m->call_id, ==, m->leg->call_id);
        g_assert_cmpuint(m->index, <, all->len);
        g_assert_true(m->index < all->len && g_ptr_array_index(all, m->index) == m);
    }
    log->calls++;
    log->msgs += call->msgs->len;
    log->legs += call->legs->len;
}

/* The number in "sc-<n>". */
static guint
short_index(const char *cid)
{
    return (guint)g_ascii_strtoull(cid + 3, NULL, 10);
}

/* Messages are numbered by position and belong to live calls only. */
static void
assert_messages_compact(Fx *fx)
{
    GPtrArray *all = corr_engine_messages(fx->e);
    guint in_calls = 0;
    for (guint i = 0; i < all->len; i++)
        g_assert_cmpuint(((CorrMsg *)g_ptr_array_index(all, i))->index, ==, i);
    GPtrArray *calls = calls_of(fx);
    for (guint i = 0; i < calls->len; i++)
        in_calls += ((CorrCall *)g_ptr_array_index(calls, i))->msgs->len;
    g_assert_cmpuint(in_calls, ==, all->len);
}

/* 1,000 short calls, 3 s apart, with evict(keep = 10) after every 50th:
 * what stays is the 10 newest finished calls, those that ended within the
 * link window (5 s here: at most 2 more) and those never hung up. */
static void
test_evict_short_calls(void)
{
    enum { N = 1000, KEEP = 10, EVERY = 50, RECENT = 2 };
    CorrOptions opts;
    corr_options_init(&opts);
    opts.link_window = 5 * SL_TIME_SECOND;
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, &opts);
    g_auto(EvictLog) log = { 0 };
    evict_log_init(&log, fx.e);
    guint in_call = 0, fed = 0, evicted = 0;
    for (guint i = 0; i < N; i++) {
        g_autofree char *cid = g_strdup_printf("sc-%u", i);
        ShortEnd end = short_end_of(i);
        guint n = run_short_call(&fx, (int64_t)i * 3000, cid, end, 10000 + 2 * (i % 500));
        g_assert_cmpuint(n, ==, short_ends[end].msgs);
        fed += n;
        in_call += end == SHORT_IN_CALL;
        if ((i + 1) % EVERY)
            continue;
        evicted += corr_engine_evict(fx.e, KEEP, on_evict, &log);
        g_assert_cmpuint(corr_engine_evicted(fx.e), ==, evicted);
        g_assert_cmpuint(log.calls, ==, evicted);
        g_assert_cmpuint(live_calls(&fx), <=, KEEP + RECENT + in_call);
        g_assert_cmpuint(live_calls(&fx), >=, KEEP + in_call);
        g_assert_cmpuint(live_calls(&fx) + evicted, ==, i + 1);
        assert_messages_compact(&fx);
        g_assert_cmpuint(corr_engine_messages(fx.e)->len + log.msgs, ==, fed);
    }
    /* the callback saw every evicted call whole, with its final state */
    g_assert_cmpuint(g_hash_table_size(log.cids), ==, evicted);
    g_assert_cmpuint(log.legs, ==, evicted);
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, log.cids);
    while (g_hash_table_iter_next(&it, &key, NULL))
        g_assert_cmpint(short_end_of(short_index(key)), !=, SHORT_IN_CALL);

    corr_engine_finish(fx.e);
    GPtrArray *calls = calls_of(&fx);
    g_assert_cmpuint(calls->len + evicted, ==, N);
    guint kept_in_call = 0;
    for (guint k = 0; k < calls->len; k++) {
        CorrCall *c = g_ptr_array_index(calls, k);
        /* numbered after the evicted ones, in start order */
        g_assert_cmpuint(c->id, ==, evicted + k + 1);
        g_assert_true(corr_engine_call_by_id(fx.e, c->id) == c);
        REQUIRE_LEN(c->legs->len, 1);
        const char *cid = leg_at(c, 0)->call_id;
        g_assert_false(g_hash_table_contains(log.cids, cid));
        ShortEnd end = short_end_of(short_index(cid));
        g_assert_cmpuint(c->msgs->len, ==, short_ends[end].msgs);
        g_assert_cmpstr(corr_state_name(c->state), ==, corr_state_name(short_ends[end].state));
        g_assert_cmpstr(c->caller, ==, "alice");
        kept_in_call += end == SHORT_IN_CALL;
    }
    g_assert_cmpuint(kept_in_call, ==, in_call);
    g_assert_cmpuint(calls->len, <=, KEEP + RECENT + in_call);
    g_assert_cmpuint(calls->len, >=, KEEP + in_call);
    assert_messages_compact(&fx);
    fx_clear(&fx);
}

/* A call that can still change is never evicted, however old; one that
 * cannot goes, with its final state. Each row is fed at 0 and left for a
 * day, then a month (OPTIONS pings elsewhere move capture time on). */
static void
test_evict_in_progress(void)
{
    static const struct {
        const char *name;
        Step steps[10];
        bool goes;
        CorrState state;
    } rows[] = {
        { "answered, no BYE",
          { INVITE0, { AT(100, '<'), .status = 200, .ttag = true, .sdp = true },
            { AT(110, '>'), .method = "ACK", .ttag = true }, END },
          false, CORR_STATE_IN_CALL },
        { "answered, re-INVITE answered, no BYE",
          { INVITE0, { AT(100, '<'), .status = 200, .ttag = true, .sdp = true },
            { AT(110, '>'), .method = "ACK", .ttag = true },
            { AT(60000, '>'), .method = "INVITE", .cseq = 2, .ttag = true, .sdp = true },
            { AT(60100, '<'), .status = 200, .cseq = 2, .ttag = true, .sdp = true },
            { AT(60110, '>'), .method = "ACK", .cseq = 2, .ttag = true }, END },
          false, CORR_STATE_IN_CALL },
        { "ringing, no final response",
          { INVITE0, { AT(10, '<'), .status = 100 },
            { AT(300, '<'), .status = 180, .ttag = true }, END },
          false, CORR_STATE_RINGING },
        { "early media, no final response",
          { INVITE0, { AT(300, '<'), .status = 183, .ttag = true, .sdp = true }, END },
          false, CORR_STATE_EARLY_MEDIA },
        { "answered, BYE never answered (Timer F)",
          { INVITE0, { AT(100, '<'), .status = 200, .ttag = true, .sdp = true },
            { AT(110, '>'), .method = "ACK", .ttag = true },
            { AT(5000, '>'), .method = "BYE", .cseq = 2, .ttag = true }, END },
          true, CORR_STATE_COMPLETED },
        { "completed",
          { INVITE0, { AT(100, '<'), .status = 200, .ttag = true, .sdp = true },
            { AT(110, '>'), .method = "ACK", .ttag = true },
            { AT(5000, '>'), .method = "BYE", .cseq = 2, .ttag = true },
            { AT(5010, '<'), .status = 200, .cseq_method = "BYE", .cseq = 2, .ttag = true },
            END },
          true, CORR_STATE_COMPLETED },
        { "only a 100 (Timer B)",
          { INVITE0, { AT(10, '<'), .status = 100 }, END },
          true, CORR_STATE_TIMED_OUT },
        { "no answer at all (Timer B)", { INVITE0, END }, true, CORR_STATE_TIMED_OUT },
        { "ringing, CANCEL answered, 487 lost",
          { INVITE0, { AT(300, '<'), .status = 180, .ttag = true },
            { AT(5000, '>'), .method = "CANCEL", .branch = "z9hG4bK-st-1-INVITE" },
            { AT(5005, '<'), .status = 200, .cseq_method = "CANCEL", .ttag = true,
              .branch = "z9hG4bK-st-1-INVITE" },
            END },
          true, CORR_STATE_CANCELLED },
        { "challenged, not tried again",
          { INVITE0, { AT(20, '<'), .status = 407, .ttag = true }, ACK_NON2XX(25), END },
          true, CORR_STATE_REJECTED },
        { "busy",
          { INVITE0, { AT(20, '<'), .status = 486, .ttag = true }, ACK_NON2XX(25), END },
          true, CORR_STATE_BUSY },
    };
    const int64_t day = 24 * 3600 * 1000;
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        g_test_message("row %s", rows[i].name);
        g_auto(Fx) fx = { 0 };
        fx_init(&fx, NULL);
        g_auto(EvictLog) log = { 0 };
        evict_log_init(&log, fx.e);
        run_steps(&fx, rows[i].steps);
        /* nothing is old yet */
        g_assert_cmpuint(corr_engine_evict(fx.e, 0, on_evict, &log), ==, 0);
        FEED(&fx, .t = day, .src = PROXY, .dst = REGISTRAR, .method = "OPTIONS",
             .cid = "ping-1", .ruri = "sip:10.0.0.2");
        g_assert_cmpuint(corr_engine_evict(fx.e, 0, on_evict, &log), ==, rows[i].goes);
        /* a month later the first ping goes (unanswered: Timer F) */
        FEED(&fx, .t = 30 * day, .src = PROXY, .dst = REGISTRAR, .method = "OPTIONS",
             .cid = "ping-2", .ruri = "sip:10.0.0.2");
        g_assert_cmpuint(corr_engine_evict(fx.e, 0, on_evict, &log), ==, 1);
        g_assert_true(g_hash_table_contains(log.cids, "ping-1"));
        gpointer state;
        if (g_hash_table_lookup_extended(log.states, "st", NULL, &state)) {
            g_assert_true(rows[i].goes);
            g_assert_cmpuint(GPOINTER_TO_UINT(g_hash_table_lookup(log.cids, "st")), ==, 1);
            g_assert_cmpstr(corr_state_name(GPOINTER_TO_INT(state) - 1), ==,
                            corr_state_name(rows[i].state));
        } else {
            /* still here a month later, still what it was */
            g_assert_false(rows[i].goes);
            corr_engine_finish(fx.e);
            REQUIRE_LEN(calls_of(&fx)->len, 2);
            CorrCall *c = call_at(&fx, 0);
            g_assert_cmpstr(leg_at(c, 0)->call_id, ==, "st");
            g_assert_cmpuint(c->id, ==, 2); /* after ping-1, evicted with id 1 */
            g_assert_cmpstr(corr_state_name(c->state), ==, corr_state_name(rows[i].state));
        }
            fx_clear(&fx);
    }
}

/* Every event names a call the engine holds (an evicted one never again). */
static void
on_event_live(CorrEventType type, CorrCall *call, const CorrMsg *msg, gpointer user)
{
    CorrEngine *e = user;
    (void)type;
    g_assert_true(g_ptr_array_find(corr_engine_calls(e), call, NULL));
    if (msg)
        g_assert_true(g_ptr_array_find(corr_engine_messages(e), msg, NULL));
}

/* After eviction, messages with an evicted Call-ID start new entries: a
 * late retransmission, a new INVITE, and the very same call again (same
 * bytes: neither a duplicate nor a retransmission of the evicted one). */
static void
test_evict_call_id_again(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    g_auto(EvictLog) log = { 0 };
    evict_log_init(&log, fx.e);
    corr_engine_subscribe(fx.e, on_event_live, fx.e);
    run_short_call(&fx, 0, "sc-1", SHORT_COMPLETED, 6000);
    run_short_call(&fx, 3000, "sc-2", SHORT_BUSY, 6002);
    run_short_call(&fx, 6000, "sc-3", SHORT_COMPLETED, 6004);
    run_short_call(&fx, 100000, "sc-4", SHORT_COMPLETED, 6006);
    g_assert_cmpuint(corr_engine_evict(fx.e, 0, on_evict, &log), ==, 3);
    CorrEngineCounts n;
    corr_engine_counts(fx.e, &n);
    g_assert_cmpuint(n.calls, ==, 1);
    g_assert_cmpuint(n.legs, ==, 1);
    g_assert_cmpuint(n.messages, ==, 7);

    /* the 200 to sc-1's BYE, sent again */
    CorrMsg *late = FEED(&fx, .t = 101000, .src = GW, .dst = PHONE, .status = 200,
                         .cid = "sc-1", .cseq = 2, .cseq_method = "BYE", .ttag = "tb");
    g_assert_nonnull(late);
    g_assert_cmpint(late->role, ==, CORR_MSG_ORIGINAL);
    g_assert_null(late->txn->request);
    g_assert_cmpuint(late->leg->msgs->len, ==, 1);
    g_assert_cmpuint(late->leg->call->msgs->len, ==, 1);
    /* a new INVITE with sc-2's Call-ID, answered */
    CorrMsg *inv = FEED(&fx, .t = 102000, .src = PHONE, .dst = GW, .method = "INVITE",
                        .cid = "sc-2", .cseq = 5, .ftag = "fa2");
    FEED(&fx, .t = 102500, .src = GW, .dst = PHONE, .status = 200, .cid = "sc-2", .cseq = 5,
         .ftag = "fa2", .ttag = "tb2");
    g_assert_nonnull(inv);
    g_assert_true(inv->leg->first_invite == inv);
    g_assert_cmpuint(inv->leg->msgs->len, ==, 2);
    /* sc-3 once more, byte for byte */
    run_short_call(&fx, 110000, "sc-3", SHORT_COMPLETED, 6004);
    corr_engine_finish(fx.e);
    REQUIRE_LEN(calls_of(&fx)->len, 4);
    static const struct {
        const char *cid;
        guint msgs;
        CorrKind kind;
        CorrState state;
    } want[] = {
        { "sc-4", 7, CORR_KIND_CALL, CORR_STATE_COMPLETED },
        { "sc-1", 1, CORR_KIND_OTHER, CORR_STATE_CALLING },
        { "sc-2", 2, CORR_KIND_CALL, CORR_STATE_IN_CALL },
        { "sc-3", 7, CORR_KIND_CALL, CORR_STATE_COMPLETED },
    };
    for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
        CorrCall *c = call_at(&fx, i);
        g_assert_cmpuint(c->id, ==, 3 + i + 1);
        REQUIRE_LEN(c->legs->len, 1);
        g_assert_cmpstr(leg_at(c, 0)->call_id, ==, want[i].cid);
        g_assert_cmpuint(c->msgs->len, ==, want[i].msgs);
        g_assert_cmpint(c->kind, ==, want[i].kind);
        if (c->kind == CORR_KIND_CALL)
            g_assert_cmpstr(corr_state_name(c->state), ==, corr_state_name(want[i].state));
        g_assert_cmpuint(c->retransmissions, ==, 0);
        g_assert_cmpuint(c->duplicates, ==, 0);
    }
    /* transaction ids are not reused: 1-10 went to the first four calls
     * (INVITE, ACK and BYE; a busy call's ACK is its INVITE's), 11 and 12
     * to the late 200 and the new INVITE */
    CorrCall *again = call_at(&fx, 3);
    g_assert_cmpuint(((CorrMsg *)g_ptr_array_index(again->msgs, 0))->txn->id, ==, 13);
    assert_messages_compact(&fx);
    fx_clear(&fx);
}

/* A B2BUA's second leg that joins within the link window keeps the first
 * leg, ended, in memory; the call goes whole when both legs are over, and
 * the call merged into it goes too. */
static void
test_evict_b2bua_legs(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    g_auto(EvictLog) log = { 0 };
    evict_log_init(&log, fx.e);
    corr_engine_subscribe(fx.e, on_event_live, fx.e);
    /* leg A: phone -> B2BUA, over after 5 s */
    FEED(&fx, .t = 0, .src = PHONE, .dst = B2B, .method = "INVITE", .cid = "leg-a");
    FEED(&fx, .t = 100, .src = B2B, .dst = PHONE, .status = 200, .cid = "leg-a", .ttag = "ta");
    FEED(&fx, .t = 110, .src = PHONE, .dst = B2B, .method = "ACK", .cid = "leg-a", .ttag = "ta");
    FEED(&fx, .t = 5000, .src = PHONE, .dst = B2B, .method = "BYE", .cid = "leg-a", .cseq = 2,
         .ttag = "ta");
    FEED(&fx, .t = 5010, .src = B2B, .dst = PHONE, .status = 200, .cid = "leg-a", .cseq = 2,
         .cseq_method = "BYE", .ttag = "ta");
    /* 50 s later: leg A is over, but within the link window */
    FEED(&fx, .t = 55000, .src = PROXY, .dst = REGISTRAR, .method = "OPTIONS", .cid = "tick-1",
         .ruri = "sip:10.0.0.2");
    g_assert_cmpuint(corr_engine_evict(fx.e, 0, on_evict, &log), ==, 0);
    /* leg B names leg A and is answered: one call, in progress */
    FEED(&fx, .t = 58000, .src = B2B, .dst = GW, .method = "INVITE", .cid = "leg-b",
         .from = "b2b", .ftag = "fb", .extra = "X-Call-ID: leg-a" CRLF);
    FEED(&fx, .t = 58500, .src = GW, .dst = B2B, .status = 200, .cid = "leg-b", .from = "b2b",
         .ftag = "fb", .ttag = "tg");
    FEED(&fx, .t = 58510, .src = B2B, .dst = GW, .method = "ACK", .cid = "leg-b", .from = "b2b",
         .ftag = "fb", .ttag = "tg");
    CorrEngineCounts n;
    corr_engine_counts(fx.e, &n);
    g_assert_cmpuint(n.merged, ==, 1);
    /* hours later: leg B is still up, so leg A stays with it */
    FEED(&fx, .t = 3 * 3600 * 1000, .src = PROXY, .dst = REGISTRAR, .method = "OPTIONS",
         .cid = "tick-2", .ruri = "sip:10.0.0.2");
    g_assert_cmpuint(corr_engine_evict(fx.e, 0, on_evict, &log), ==, 1); /* tick-1 */
    g_assert_false(g_hash_table_contains(log.cids, "leg-a"));
    /* leg B hung up; a minute and more later both legs go together */
    FEED(&fx, .t = 3 * 3600 * 1000 + 10, .src = GW, .dst = B2B, .method = "BYE", .cid = "leg-b",
         .from = "gw", .ftag = "tg", .to = "b2b", .ttag = "fb", .cseq = 7);
    FEED(&fx, .t = 3 * 3600 * 1000 + 20, .src = B2B, .dst = GW, .status = 200, .cid = "leg-b",
         .from = "gw", .ftag = "tg", .to = "b2b", .ttag = "fb", .cseq = 7,
         .cseq_method = "BYE");
    FEED(&fx, .t = 3 * 3600 * 1000 + 61000, .src = PROXY, .dst = REGISTRAR,
         .method = "OPTIONS", .cid = "tick-3", .ruri = "sip:10.0.0.2");
    guint legs_before = log.legs;
    g_assert_cmpuint(corr_engine_evict(fx.e, 0, on_evict, &log), ==, 2); /* and tick-2 */
    g_assert_cmpuint(log.legs - legs_before, ==, 3);
    g_assert_true(g_hash_table_contains(log.cids, "leg-a"));
    g_assert_cmpuint(GPOINTER_TO_UINT(g_hash_table_lookup(log.cids, "leg-a")), ==,
                     GPOINTER_TO_UINT(g_hash_table_lookup(log.cids, "leg-b")));
    corr_engine_counts(fx.e, &n);
    g_assert_cmpuint(n.merged, ==, 0);
    g_assert_cmpuint(n.calls, ==, 1); /* tick-3 */
    g_assert_cmpuint(n.legs, ==, 1);
    g_assert_cmpuint(n.messages, ==, 1);
    g_assert_cmpuint(n.dialogs, ==, 0);
    g_assert_cmpuint(corr_engine_evicted(fx.e), ==, 3);
    fx_clear(&fx);
}

/* Resident set size in bytes, from /proc/self/statm; 0 when unknown. */
static guint64
rss_bytes(void)
{
    g_autofree char *text = NULL;
    if (!g_file_get_contents("/proc/self/statm", &text, NULL, NULL))
        return 0;
    char **f = g_strsplit(text, " ", 3);
    guint64 pages = f[0] && f[1] ? g_ascii_strtoull(f[1], NULL, 10) : 0;
    g_strfreev(f);
    return pages * 4096;
}

/* A long run: 100,000 short calls with -m slow (else 20,000, or 10,000
 * under the sanitizers, to stay well inside the test timeout), evict(keep =
 * 10) after every 100th. What the engine holds after each eviction does not
 * grow; without the sanitizers (whose quarantine keeps freed memory)
 * neither does the resident set. */
static void
test_evict_flat(void)
{
#if defined(__SANITIZE_ADDRESS__)
    guint calls = g_test_slow() ? 100000 : 10000;
#else
    guint calls = g_test_slow() ? 100000 : 20000;
#endif
    enum { KEEP = 10, EVERY = 100, WARM = 1000 };
    CorrOptions opts;
    corr_options_init(&opts);
    opts.link_window = 5 * SL_TIME_SECOND;
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, &opts);
    CorrEngineCounts warm = { 0 }, peak = { 0 }, n;
    guint64 rss_warm = 0, rss_peak = 0;
    for (guint i = 0; i < calls; i++) {
        g_autofree char *cid = g_strdup_printf("sc-%u", i);
        ShortEnd end = i % 10 == 3 ? SHORT_BUSY : i % 10 == 7 ? SHORT_CANCELLED
                                                              : SHORT_COMPLETED;
        run_short_call(&fx, (int64_t)i * 3000, cid, end, 10000 + 2 * (i % 500));
        if ((i + 1) % EVERY)
            continue;
        corr_engine_evict(fx.e, KEEP, NULL, NULL);
        corr_engine_counts(fx.e, &n);
        if (i + 1 == WARM) {
            warm = n;
            rss_warm = rss_bytes();
        } else if (i + 1 > WARM) {
            peak.messages = MAX(peak.messages, n.messages);
            peak.transactions = MAX(peak.transactions, n.transactions);
            peak.dialogs = MAX(peak.dialogs, n.dialogs);
            peak.legs = MAX(peak.legs, n.legs);
            peak.calls = MAX(peak.calls, n.calls);
            peak.merged = MAX(peak.merged, n.merged);
            peak.index_entries = MAX(peak.index_entries, n.index_entries);
            rss_peak = MAX(rss_peak, rss_bytes());
        }
    }
    g_test_message("%u calls: after each eviction at most %u calls, %u messages, %u "
                   "transactions, %u dialogs, %u index entries (at call %u: %u, %u, %u, %u, "
                   "%u); RSS %" G_GUINT64_FORMAT " KiB at call %u, at most %" G_GUINT64_FORMAT
                   " KiB after",
                   calls, peak.calls, peak.messages, peak.transactions, peak.dialogs,
                   peak.index_entries, WARM, warm.calls, warm.messages, warm.transactions,
                   warm.dialogs, warm.index_entries, rss_warm / 1024, WARM, rss_peak / 1024);
    g_assert_cmpuint(corr_engine_evicted(fx.e) + n.calls, ==, calls);
    g_assert_cmpuint(peak.calls, <=, KEEP + 2);
    g_assert_cmpuint(peak.calls, ==, warm.calls);
    g_assert_cmpuint(peak.messages, ==, warm.messages);
    g_assert_cmpuint(peak.transactions, ==, warm.transactions);
    g_assert_cmpuint(peak.dialogs, ==, warm.dialogs);
    g_assert_cmpuint(peak.legs, ==, warm.legs);
    g_assert_cmpuint(peak.merged, ==, 0);
    g_assert_cmpuint(peak.index_entries, ==, warm.index_entries);
#if !defined(__SANITIZE_ADDRESS__)
    if (rss_warm)
        g_assert_cmpuint(rss_peak, <, rss_warm + 4 * 1024 * 1024);
#endif
    fx_clear(&fx);
}

/* ------------------------------------------------------------- stats */

static void
test_stats(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    /* call 1 through a proxy: answered; SRD 200 ms on the first hop, SDD 30 ms */
    const char *v1 = "10.0.0.10:5060;branch=z9hG4bKs1";
    const char *v2 = "10.0.0.1:5060;branch=z9hG4bKs1p|10.0.0.10:5060;branch=z9hG4bKs1";
    FEED(&fx, .t = 0, .src = PHONE, .dst = PROXY, .method = "INVITE", .cid = "st-1", .via = v1);
    FEED(&fx, .t = 2, .src = PROXY, .dst = PHONE, .status = 100, .cid = "st-1", .via = v1);
    FEED(&fx, .t = 4, .src = PROXY, .dst = GW, .method = "INVITE", .cid = "st-1", .via = v2);
    FEED(&fx, .t = 150, .src = GW, .dst = PROXY, .status = 180, .cid = "st-1", .ttag = "tb",
         .via = v2);
    FEED(&fx, .t = 200, .src = PROXY, .dst = PHONE, .status = 180, .cid = "st-1", .ttag = "tb",
         .via = v1);
    FEED(&fx, .t = 900, .src = GW, .dst = PROXY, .status = 200, .cid = "st-1", .ttag = "tb",
         .via = v2);
    FEED(&fx, .t = 1000, .src = PROXY, .dst = PHONE, .status = 200, .cid = "st-1", .ttag = "tb",
         .via = v1);
    FEED(&fx, .t = 1010, .src = PHONE, .dst = GW, .method = "ACK", .cid = "st-1", .ttag = "tb");
    FEED(&fx, .t = 5000, .src = PHONE, .dst = GW, .method = "BYE", .cid = "st-1", .cseq = 2,
         .ttag = "tb");
    FEED(&fx, .t = 5030, .src = GW, .dst = PHONE, .status = 200, .cid = "st-1", .cseq = 2,
         .cseq_method = "BYE", .ttag = "tb");
    /* call 2: busy after 1 s; the INVITE retransmitted once and captured
     * twice (a duplicate) */
    FEED(&fx, .t = 10000, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "st-2",
         .ip_id = 500);
    FEED(&fx, .t = 10001, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "st-2",
         .ip_id = 500);
    FEED(&fx, .t = 10500, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "st-2",
         .ip_id = 501);
    FEED(&fx, .t = 11000, .src = GW, .dst = PHONE, .status = 486, .cid = "st-2", .ttag = "tb");
    /* call 3: redirected after 50 ms */
    FEED(&fx, .t = 20000, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "st-3");
    FEED(&fx, .t = 20050, .src = GW, .dst = PHONE, .status = 302, .cid = "st-3", .ttag = "tb",
         .contact = "sip:bob@10.0.0.77");
    /* call 4: 503 after 100 ms */
    FEED(&fx, .t = 30000, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "st-4");
    FEED(&fx, .t = 30100, .src = GW, .dst = PHONE, .status = 503, .cid = "st-4", .ttag = "tb");
    /* a registration: RRD 20 ms after the 401 round */
    FEED(&fx, .t = 40000, .src = PHONE, .dst = REGISTRAR, .method = "REGISTER", .cid = "st-r",
         .ruri = "sip:example.com");
    FEED(&fx, .t = 40010, .src = REGISTRAR, .dst = PHONE, .status = 401, .cid = "st-r",
         .cseq_method = "REGISTER", .ttag = "r");
    FEED(&fx, .t = 40100, .src = PHONE, .dst = REGISTRAR, .method = "REGISTER", .cid = "st-r",
         .cseq = 2, .ruri = "sip:example.com");
    FEED(&fx, .t = 40120, .src = REGISTRAR, .dst = PHONE, .status = 200, .cid = "st-r",
         .cseq = 2, .cseq_method = "REGISTER", .ttag = "r");
    corr_engine_finish(fx.e);

    CorrStats s;
    corr_stats_compute(fx.e, &s);
    g_assert_cmpuint(s.session_requests, ==, 4);
    g_assert_cmpuint(s.answered, ==, 1);
    g_assert_cmpuint(s.redirected, ==, 1);
    g_assert_cmpuint(s.ineffective, ==, 1);
    /* SER = answered / (session_requests - redirected) = 1 / 3 */
    g_assert_cmpuint(s.srd_success.n, ==, 1);
    g_assert_cmpfloat_with_epsilon(s.srd_success.min_ms, 200, 1e-9);
    g_assert_cmpfloat_with_epsilon(s.srd_success.max_ms, 200, 1e-9);
    g_assert_cmpfloat_with_epsilon(s.srd_success.sum_ms, 200, 1e-9);
    g_assert_cmpuint(s.srd_failure.n, ==, 3);
    g_assert_cmpfloat_with_epsilon(s.srd_failure.min_ms, 50, 1e-9);
    g_assert_cmpfloat_with_epsilon(s.srd_failure.max_ms, 1000, 1e-9);
    g_assert_cmpfloat_with_epsilon(s.srd_failure.sum_ms, 1150, 1e-9);
    g_assert_cmpuint(s.sdd.n, ==, 1);
    g_assert_cmpfloat_with_epsilon(s.sdd.sum_ms, 30, 1e-9);
    g_assert_cmpuint(s.rrd.n, ==, 1);
    g_assert_cmpfloat_with_epsilon(s.rrd.sum_ms, 20, 1e-9);
    /* counts: every copy but duplicates */
    g_assert_cmpuint(s.requests_by_method[SIP_METHOD_INVITE], ==, 2 + 2 + 1 + 1);
    g_assert_cmpuint(s.requests_by_method[SIP_METHOD_REGISTER], ==, 2);
    g_assert_cmpuint(s.requests_by_method[SIP_METHOD_BYE], ==, 1);
    g_assert_cmpuint(s.requests_by_method[SIP_METHOD_ACK], ==, 1);
    g_assert_cmpuint(s.response_counts[100], ==, 1);
    g_assert_cmpuint(s.response_counts[180], ==, 2);
    g_assert_cmpuint(s.response_counts[200], ==, 4);
    g_assert_cmpuint(s.response_counts[486], ==, 1);
    g_assert_cmpuint(s.response_counts[302], ==, 1);
    g_assert_cmpuint(s.response_counts[503], ==, 1);
    g_assert_cmpuint(s.response_counts[401], ==, 1);
    fx_clear(&fx);
}

/* SRD counts the first 18x; a 100 Trying does not end it. */
static void
test_stats_srd_progress(void)
{
    g_auto(Fx) fx = { 0 };
    fx_init(&fx, NULL);
    FEED(&fx, .t = 0, .src = PHONE, .dst = GW, .method = "INVITE", .cid = "sp");
    FEED(&fx, .t = 10, .src = GW, .dst = PHONE, .status = 100, .cid = "sp");
    FEED(&fx, .t = 420, .src = GW, .dst = PHONE, .status = 183, .cid = "sp", .ttag = "tb");
    FEED(&fx, .t = 2420, .src = GW, .dst = PHONE, .status = 480, .cid = "sp", .ttag = "tb");
    corr_engine_finish(fx.e);
    CorrStats s;
    corr_stats_compute(fx.e, &s);
    g_assert_cmpuint(s.session_requests, ==, 1);
    g_assert_cmpuint(s.answered, ==, 0);
    g_assert_cmpuint(s.srd_success.n, ==, 1);
    g_assert_cmpfloat_with_epsilon(s.srd_success.sum_ms, 420, 1e-9);
    g_assert_cmpuint(s.srd_failure.n, ==, 0);
    g_assert_cmpuint(s.ineffective, ==, 0);
    fx_clear(&fx);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* a failed check marks its case failed and the others still run */
    g_test_set_nonfatal_assertions();
    g_test_add_func("/corr/names", test_names);
    g_test_add_func("/corr/msg/fields", test_msg_fields);
    g_test_add_func("/corr/txn/request-and-responses", test_txn_request_responses);
    g_test_add_func("/corr/txn/ack-non-2xx", test_txn_ack_non2xx);
    g_test_add_func("/corr/txn/ack-2xx", test_txn_ack_2xx);
    g_test_add_func("/corr/txn/ack-2xx-same-branch", test_txn_ack_2xx_same_branch);
    g_test_add_func("/corr/txn/cancel", test_txn_cancel);
    g_test_add_func("/corr/txn/rfc2543", test_txn_rfc2543);
    g_test_add_func("/corr/role/table", test_role_table);
    g_test_add_func("/corr/role/other-receiver", test_role_other_receiver);
    g_test_add_func("/corr/role/response-retransmission", test_role_response_retransmission);
    g_test_add_func("/corr/hop/proxy", test_hop_proxy);
    g_test_add_func("/corr/hop/topology-hiding", test_hop_topology_hiding);
    g_test_add_func("/corr/hop/response-first", test_hop_response_first);
    g_test_add_func("/corr/hop/not-forwarded", test_hop_not_forwarded);
    g_test_add_func("/corr/dialog/lifecycle", test_dialog_lifecycle);
    g_test_add_func("/corr/dialog/forking", test_dialog_forking);
    g_test_add_func("/corr/state/table", test_state_table);
    g_test_add_func("/corr/state/auth-retry", test_state_auth_retry);
    g_test_add_func("/corr/state/auth-only", test_state_auth_only);
    g_test_add_func("/corr/state/timer-b", test_state_timer_b);
    g_test_add_func("/corr/state/reason", test_state_reason);
    g_test_add_func("/corr/kind/registration", test_kind_registration);
    g_test_add_func("/corr/kind/registration-failed", test_kind_registration_failed);
    g_test_add_func("/corr/kind/table", test_kind_table);
    g_test_add_func("/corr/kind/separate-entries", test_kind_separate_entries);
    g_test_add_func("/corr/link/headers", test_link_headers);
    g_test_add_func("/corr/link/media", test_link_media);
    g_test_add_func("/corr/link/media-single-candidate", test_link_media_single_candidate);
    g_test_add_func("/corr/link/redirect", test_link_redirect);
    g_test_add_func("/corr/link/numbers-then-media", test_link_numbers_then_media);
    g_test_add_func("/corr/link/numbers-caller", test_link_numbers_caller);
    g_test_add_func("/corr/link/within-windows-busy-capture",
                    test_link_within_windows_busy_capture);
    g_test_add_func("/corr/link/header-not-downgraded", test_link_header_not_downgraded);
    g_test_add_func("/corr/nolink/load-test", test_nolink_load_test);
    g_test_add_func("/corr/nolink/load-test-b2bua", test_nolink_load_test_b2bua);
    g_test_add_func("/corr/nolink/sequential-calls", test_nolink_sequential_calls);
    g_test_add_func("/corr/nolink/media-ambiguous", test_nolink_media_ambiguous);
    g_test_add_func("/corr/nolink/numbers-ambiguous", test_nolink_numbers_ambiguous);
    g_test_add_func("/corr/nolink/numbers-after-window", test_nolink_numbers_after_window);
    g_test_add_func("/corr/nolink/redirect-after-window", test_nolink_redirect_after_window);
    g_test_add_func("/corr/nolink/redirect-from-later-file", test_nolink_redirect_from_later_file);
    g_test_add_func("/corr/nolink/unknown-x-call-id", test_nolink_unknown_x_call_id);
    g_test_add_func("/corr/nolink/different-tokens", test_nolink_different_tokens);
    g_test_add_func("/corr/nolink/null-session-id", test_nolink_null_session_id);
    g_test_add_func("/corr/events", test_events);
    g_test_add_func("/corr/limit/max-msgs-per-call", test_max_msgs_per_call);
    g_test_add_func("/corr/evict/short-calls", test_evict_short_calls);
    g_test_add_func("/corr/evict/in-progress", test_evict_in_progress);
    g_test_add_func("/corr/evict/call-id-again", test_evict_call_id_again);
    g_test_add_func("/corr/evict/b2bua-legs", test_evict_b2bua_legs);
    g_test_add_func("/corr/evict/flat", test_evict_flat);
    g_test_add_func("/corr/stats/figures", test_stats);
    g_test_add_func("/corr/stats/srd-progress", test_stats_srd_progress);
    return g_test_run();
}
