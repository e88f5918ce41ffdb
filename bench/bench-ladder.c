/* bench-ladder: time to lay out one long call and to render it as SVG and
 * as text (the ladder stage), on messages that went through the SIP parser
 * and the correlation engine as if read from a capture.
 *
 * Usage: bench-ladder [-n MESSAGES] [-o FILE.svg]   (default 10000 messages)
 *
 * The call: alice (10.0.0.10) calls bob (10.0.0.20) through a
 * record-routing proxy (10.0.0.1), so every request and response crosses
 * two hops; then in-dialog INFO (DTMF), OPTIONS, UPDATE (session refresh)
 * and hold/resume re-INVITEs with SDP, a few first-hop retransmissions and
 * silences longer than the ladder's gap threshold, over a few minutes of
 * capture time; then BYE/200. Prints messages, arrows, rows, columns, the
 * best of three runs of layout, SVG and text rendering (wall and CPU
 * milliseconds), their sizes and the peak resident memory. Exits 1 when
 * the call or the layout does not hold exactly one arrow per message fed
 * (the benchmark checks itself), 2 on a usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "corr.h"
#include "ladder.h"
#include "sip-msg.h"

#define CRLF "\r\n"
#define PROXY "10.0.0.1:5060"
#define RUNS 3
/* capture time of the first message: 2023-11-14 22:13:20 UTC */
#define T0 ((SlTime)1700000000 * SL_TIME_SECOND)

/* Messages per step of the call (see gen_*). */
#define SETUP_MSGS 10   /* INVITE, 100 on both hops, 180, 200, ACK */
#define REINVITE_MSGS 7 /* INVITE x2, 100 from the proxy, 200 x2, ACK x2 */
#define TXN_MSGS 4      /* request and 200 on both hops */
#define BYE_MSGS 4

typedef struct {
    const char *addr;  /* signalling "ip:port" */
    const char *ip;    /* media address */
    const char *user, *display, *tag;
    const char *agent; /* User-Agent, and Server in its responses */
    unsigned rtp_port;
    unsigned sdp_version;
    uint32_t cseq;     /* of its last request */
} Ua;

typedef struct {
    CorrEngine *engine;
    GRand *rand;       /* fixed seed: the same call every run */
    SlTime now;
    uint64_t frame;
    guint fed;
    guint branch;      /* the last branch number used */
    Ua alice, bob;
} Gen;

/* One transaction between two user agents through the proxy. */
typedef struct {
    const Ua *from, *to;
    const char *method;
    uint32_t cseq;
    guint branch;
    bool initial;      /* the dialog-creating INVITE */
} Txn;

typedef enum {
    UNIT_INFO,
    UNIT_OPTIONS,
    UNIT_UPDATE,
    UNIT_REINVITE,
} Unit;

/* What happens in the dialog, over and over: mostly DTMF, a keep-alive, a
 * session refresh, a hold or a resume. */
static const Unit rotation[] = {
    UNIT_INFO, UNIT_INFO,   UNIT_INFO, UNIT_INFO, UNIT_OPTIONS,  UNIT_INFO,
    UNIT_INFO, UNIT_UPDATE, UNIT_INFO, UNIT_INFO, UNIT_REINVITE, UNIT_OPTIONS,
};

/* ------------------------------------------------------------ messages */

static const char *
reason_of(unsigned status)
{
    switch (status) {
    case 100: return "Trying";
    case 180: return "Ringing";
    default: return "OK";
    }
}

static void
append_from_to(GString *s, const Txn *t)
{
    g_string_append_printf(s, "From: \"%s\" <sip:%s@example.com>;tag=%s" CRLF, t->from->display,
                           t->from->user, t->from->tag);
    g_string_append_printf(s, "To: \"%s\" <sip:%s@example.com>", t->to->display, t->to->user);
}

static void
append_body(GString *s, const char *content_type, const char *body)
{
    if (body)
        g_string_append_printf(s, "Content-Type: %s" CRLF, content_type);
    g_string_append_printf(s, "Content-Length: %zu" CRLF CRLF, body ? strlen(body) : 0);
    if (body)
        g_string_append(s, body);
}

static void
append_vias(GString *s, const Txn *t, guint hop)
{
    if (hop == 1)
        g_string_append_printf(s, "Via: SIP/2.0/UDP " PROXY ";branch=z9hG4bK%08x.1" CRLF,
                               t->branch);
    g_string_append_printf(s, "Via: SIP/2.0/UDP %s;rport;branch=z9hG4bK%08x", t->from->addr,
                           t->branch);
    if (hop == 1)
        g_string_append_printf(s, ";received=%s", t->from->ip);
    g_string_append(s, CRLF);
}

/* The request of @t on @hop (0: sender to proxy, 1: proxy to receiver);
 * caller frees. */
static char *
txn_request(const Txn *t, guint hop, const char *content_type, const char *body)
{
    GString *s = g_string_sized_new(1024);
    if (t->initial && hop == 0)
        g_string_append_printf(s, "%s sip:%s@example.com SIP/2.0" CRLF, t->method, t->to->user);
    else
        g_string_append_printf(s, "%s sip:%s@%s SIP/2.0" CRLF, t->method, t->to->user,
                               t->to->addr);
    append_vias(s, t, hop);
    g_string_append_printf(s, "Max-Forwards: %d" CRLF, 70 - (int)hop);
    if (t->initial && hop == 1)
        g_string_append(s, "Record-Route: <sip:10.0.0.1;lr>" CRLF);
    if (!t->initial && hop == 0)
        g_string_append(s, "Route: <sip:10.0.0.1;lr>" CRLF);
    append_from_to(s, t);
    g_string_append_printf(s, t->initial ? CRLF : ";tag=%s" CRLF, t->to->tag);
    g_string_append_printf(s, "Call-ID: 3c26700b5a1d-4f1c@10.0.0.10" CRLF "CSeq: %u %s" CRLF,
                           t->cseq, t->method);
    if (strcmp(t->method, "INVITE") == 0 || strcmp(t->method, "UPDATE") == 0)
        g_string_append_printf(s, "Contact: <sip:%s@%s>" CRLF, t->from->user, t->from->addr);
    g_string_append_printf(s, "User-Agent: %s" CRLF, t->from->agent);
    if (strcmp(t->method, "INVITE") == 0)
        g_string_append(s, "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE" CRLF
                           "Supported: replaces, timer" CRLF);
    if (strcmp(t->method, "UPDATE") == 0)
        g_string_append(s, "Session-Expires: 1800;refresher=uac" CRLF);
    append_body(s, content_type, body);
    return g_string_free(s, FALSE);
}

/* A response to @t on @hop, sent by the receiver (hop 1) or the proxy
 * (hop 0); a 100 from the proxy carries no To tag. Caller frees. */
static char *
txn_response(const Txn *t, guint hop, unsigned status, const char *body)
{
    GString *s = g_string_sized_new(1024);
    g_string_append_printf(s, "SIP/2.0 %u %s" CRLF, status, reason_of(status));
    append_vias(s, t, hop);
    if (t->initial && status > 100)
        g_string_append(s, "Record-Route: <sip:10.0.0.1;lr>" CRLF);
    append_from_to(s, t);
    if (status > 100 || !t->initial)
        g_string_append_printf(s, ";tag=%s", t->to->tag);
    g_string_append_printf(s, CRLF "Call-ID: 3c26700b5a1d-4f1c@10.0.0.10" CRLF
                                   "CSeq: %u %s" CRLF,
                           t->cseq, t->method);
    bool refresh = strcmp(t->method, "INVITE") == 0 || strcmp(t->method, "UPDATE") == 0;
    if (status >= 180 && refresh)
        g_string_append_printf(s, "Contact: <sip:%s@%s>" CRLF, t->to->user, t->to->addr);
    g_string_append_printf(s, "Server: %s" CRLF,
                           status == 100 && hop == 0 ? "kamailio (5.6.4 (x86_64/linux))"
                                                     : t->to->agent);
    if (status == 200 && strcmp(t->method, "OPTIONS") == 0)
        g_string_append(s, "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE" CRLF
                           "Accept: application/sdp, application/dtmf-relay" CRLF);
    append_body(s, "application/sdp", body);
    return g_string_free(s, FALSE);
}

/* An SDP offer or answer of @ua, its version one more than the last
 * (RFC 4566, RFC 3264 section 8). Caller frees. */
static char *
sdp_of(Ua *ua, const char *direction)
{
    ua->sdp_version++;
    return g_strdup_printf("v=0" CRLF "o=%s 8000 %u IN IP4 %s" CRLF "s=-" CRLF
                           "c=IN IP4 %s" CRLF "t=0 0" CRLF "m=audio %u RTP/AVP 0 8 101" CRLF
                           "a=rtpmap:0 PCMU/8000" CRLF "a=rtpmap:8 PCMA/8000" CRLF
                           "a=rtpmap:101 telephone-event/8000" CRLF "a=fmtp:101 0-15" CRLF
                           "a=ptime:20" CRLF "a=%s" CRLF,
                           ua->user, ua->sdp_version, ua->ip, ua->ip, ua->rtp_port, direction);
}

/* ------------------------------------------------------------ feeding */

/* Parses @text (owned, freed here) as a UDP datagram from @src to @dst at
 * the current time and feeds it to the engine. Exits when it does not
 * parse: that is a bug in this program. */
static void
gen_send(Gen *g, const char *src, const char *dst, char *text)
{
    SipMsg *sm = g_new0(SipMsg, 1);
    SlStatus st = sip_msg_parse(sl_view_from_str(text), SIP_FRAMING_DATAGRAM, NULL, sm);
    if (st != SL_OK) {
        fprintf(stderr, "bench-ladder: message does not parse (%s):\n%s", sl_status_name(st),
                text);
        exit(1);
    }
    CapPacket pkt = { 0 };
    pkt.frame = ++g->frame;
    pkt.ts = g->now;
    if (!sl_addr_parse(src, &pkt.src) || !sl_addr_parse(dst, &pkt.dst))
        g_error("bad address %s or %s", src, dst);
    pkt.transport = CAP_TRANSPORT_UDP;
    pkt.ip_id = (uint16_t)(1000 + g->frame); /* a retransmission is not a duplicate */
    pkt.payload = sl_view_from_str(text);
    pkt.cap_len = pkt.wire_len = (uint32_t)(pkt.payload.len + 42);
    SipFound f = { .pkt = &pkt, .msg = sm, .status = st, .transport = SIP_TRANSPORT_UDP };
    corr_engine_feed(g->engine, &f);
    g->fed++;
    g_free(sm);
    g_free(text);
}

static void
gen_wait_ms(Gen *g, int lo, int hi)
{
    g->now += (SlTime)g_rand_int_range(g->rand, lo, hi + 1) * SL_TIME_MSEC;
}

static Txn
gen_txn_new(Gen *g, Ua *from, Ua *to, const char *method)
{
    if (strcmp(method, "ACK") != 0)
        from->cseq++;
    return (Txn){ .from = from, .to = to, .method = method, .cseq = from->cseq,
                  .branch = ++g->branch };
}

/* Sends the first hop of @t's request, @retrans more times on timer E or
 * A (RFC 3261 section 17.1: 500 ms, doubling up to 4 s), then the second
 * hop once the proxy has it. */
static void
gen_request(Gen *g, const Txn *t, guint retrans, const char *content_type, const char *body)
{
    gen_send(g, t->from->addr, PROXY, txn_request(t, 0, content_type, body));
    for (guint i = 0, wait = 500; i < retrans; i++, wait = MIN(wait * 2, 4000)) {
        g->now += (SlTime)wait * SL_TIME_MSEC;
        gen_send(g, t->from->addr, PROXY, txn_request(t, 0, content_type, body));
    }
    gen_wait_ms(g, 1, 2);
    gen_send(g, PROXY, t->to->addr, txn_request(t, 1, content_type, body));
}

/* @status from the receiver to the proxy, then from the proxy back. */
static void
gen_response(Gen *g, const Txn *t, unsigned status, const char *body)
{
    gen_send(g, t->to->addr, PROXY, txn_response(t, 1, status, body));
    gen_wait_ms(g, 1, 2);
    gen_send(g, PROXY, t->from->addr, txn_response(t, 0, status, body));
}

/* The ACK of a 2xx: a transaction of its own, the INVITE's CSeq. */
static void
gen_ack(Gen *g, Ua *from, Ua *to, uint32_t cseq)
{
    Txn ack = gen_txn_new(g, from, to, "ACK");
    ack.cseq = cseq;
    gen_wait_ms(g, 5, 20);
    gen_request(g, &ack, 0, NULL, NULL);
}

static void
gen_setup(Gen *g)
{
    Txn t = gen_txn_new(g, &g->alice, &g->bob, "INVITE");
    t.initial = true;
    g_autofree char *offer = sdp_of(&g->alice, "sendrecv");
    gen_send(g, t.from->addr, PROXY, txn_request(&t, 0, "application/sdp", offer));
    gen_wait_ms(g, 1, 2);
    gen_send(g, PROXY, t.from->addr, txn_response(&t, 0, 100, NULL));
    gen_send(g, PROXY, t.to->addr, txn_request(&t, 1, "application/sdp", offer));
    gen_wait_ms(g, 5, 15);
    gen_send(g, t.to->addr, PROXY, txn_response(&t, 1, 100, NULL));
    gen_wait_ms(g, 40, 90);
    gen_response(g, &t, 180, NULL);
    gen_wait_ms(g, 3000, 6000);
    g_autofree char *answer = sdp_of(&g->bob, "sendrecv");
    gen_response(g, &t, 200, answer);
    gen_ack(g, &g->alice, &g->bob, t.cseq);
}

/* A hold (@hold) or resume by @from: offer, 100 from the proxy, answer,
 * ACK. */
static void
gen_reinvite(Gen *g, Ua *from, Ua *to, bool hold)
{
    Txn t = gen_txn_new(g, from, to, "INVITE");
    g_autofree char *offer = sdp_of(from, hold ? "sendonly" : "sendrecv");
    gen_send(g, from->addr, PROXY, txn_request(&t, 0, "application/sdp", offer));
    gen_wait_ms(g, 1, 2);
    gen_send(g, PROXY, from->addr, txn_response(&t, 0, 100, NULL));
    gen_send(g, PROXY, to->addr, txn_request(&t, 1, "application/sdp", offer));
    gen_wait_ms(g, 20, 60);
    g_autofree char *answer = sdp_of(to, hold ? "recvonly" : "sendrecv");
    gen_response(g, &t, 200, answer);
    gen_ack(g, from, to, t.cseq);
}

/* A request without an offer and its 200: INFO carries one DTMF digit
 * (application/dtmf-relay), UPDATE refreshes the session, OPTIONS is a
 * keep-alive. */
static void
gen_simple(Gen *g, Ua *from, Ua *to, const char *method, guint retrans)
{
    Txn t = gen_txn_new(g, from, to, method);
    g_autofree char *body = NULL;
    if (strcmp(method, "INFO") == 0)
        body = g_strdup_printf("Signal=%c" CRLF "Duration=160" CRLF,
                               "0123456789*#"[g_rand_int_range(g->rand, 0, 12)]);
    gen_request(g, &t, retrans, "application/dtmf-relay", body);
    gen_wait_ms(g, 10, 40);
    gen_response(g, &t, 200, NULL);
}

static guint
unit_size(Unit u)
{
    return u == UNIT_REINVITE ? REINVITE_MSGS : TXN_MSGS;
}

/* The call, exactly @n messages (at least SETUP_MSGS + BYE_MSGS): the
 * setup, units from the rotation while they fit, an INFO whose
 * retransmissions take up the rest, the BYE. */
static void
gen_call(Gen *g, guint n)
{
    gen_setup(g);
    guint left = n - SETUP_MSGS - BYE_MSGS;
    for (guint k = 0;; k++) {
        Unit u = rotation[k % G_N_ELEMENTS(rotation)];
        guint retrans = u != UNIT_REINVITE && k % 41 == 40;
        guint size = unit_size(u) + retrans;
        if (size > left || (left - size > 0 && left - size < TXN_MSGS))
            break;
        /* a silence over the ladder's gap threshold now and then */
        if (k % 300 == 299)
            gen_wait_ms(g, 15000, 25000);
        else
            gen_wait_ms(g, 20, 100);
        Ua *from = k % 2 ? &g->bob : &g->alice;
        Ua *to = k % 2 ? &g->alice : &g->bob;
        switch (u) {
        case UNIT_INFO: gen_simple(g, &g->alice, &g->bob, "INFO", retrans); break;
        case UNIT_OPTIONS: gen_simple(g, from, to, "OPTIONS", retrans); break;
        case UNIT_UPDATE: gen_simple(g, &g->bob, &g->alice, "UPDATE", retrans); break;
        case UNIT_REINVITE:
            gen_reinvite(g, &g->alice, &g->bob, k / G_N_ELEMENTS(rotation) % 2 == 0);
            break;
        }
        left -= size;
    }
    guint bye_retrans = 0;
    gen_wait_ms(g, 20, 100);
    if (left >= TXN_MSGS)
        gen_simple(g, &g->alice, &g->bob, "INFO", left - TXN_MSGS);
    else
        bye_retrans = left;
    gen_wait_ms(g, 1000, 3000);
    Txn bye = gen_txn_new(g, &g->bob, &g->alice, "BYE");
    gen_request(g, &bye, bye_retrans, NULL, NULL);
    gen_wait_ms(g, 5, 20);
    gen_response(g, &bye, 200, NULL);
}

/* ------------------------------------------------------------ timing */

/* The best of several runs of one step: wall time (what a user waits) and
 * CPU time of the process (what the step costs; it does not count the
 * time another process had the core). */
typedef struct {
    double wall_ms, cpu_ms;
    gint64 wall0;
    double cpu0;
} Best;

static double
cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
best_start(Best *b)
{
    if (b->wall_ms == 0)
        b->wall_ms = b->cpu_ms = G_MAXDOUBLE;
    b->cpu0 = cpu_ms();
    b->wall0 = g_get_monotonic_time();
}

static void
best_stop(Best *b)
{
    b->wall_ms = MIN(b->wall_ms, (double)(g_get_monotonic_time() - b->wall0) / 1000.0);
    b->cpu_ms = MIN(b->cpu_ms, cpu_ms() - b->cpu0);
}

static int
usage(void)
{
    fprintf(stderr, "usage: bench-ladder [-n MESSAGES] [-o FILE.svg]   (MESSAGES >= %d)\n",
            SETUP_MSGS + BYE_MSGS);
    return 2;
}

int
main(int argc, char **argv)
{
    guint n = 10000;
    const char *svg_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            n = (guint)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            svg_path = argv[++i];
        else
            return usage();
    }
    if (n < SETUP_MSGS + BYE_MSGS || n > 1000000)
        return usage();

    Gen g = { 0 };
    CorrOptions copts;
    corr_options_init(&copts);
    copts.max_msgs_per_call = MAX(copts.max_msgs_per_call, n);
    g.engine = corr_engine_new(&copts);
    g.rand = g_rand_new_with_seed(5060);
    g.now = T0;
    g.alice = (Ua){ .addr = "10.0.0.10:5060", .ip = "10.0.0.10", .user = "1001",
                    .display = "Alice", .tag = "a73kszlfl", .rtp_port = 16384,
                    .agent = "Yealink SIP-T46S 66.86.0.15" };
    g.bob = (Ua){ .addr = "10.0.0.20:5060", .ip = "10.0.0.20", .user = "2002",
                  .display = "Bob", .tag = "1928301774", .rtp_port = 20000,
                  .agent = "Grandstream GXP2170 1.0.11.23" };
    gen_call(&g, n);
    corr_engine_finish(g.engine);

    GPtrArray *calls = corr_engine_calls(g.engine);
    const CorrCall *call = calls->len == 1 ? g_ptr_array_index(calls, 0) : NULL;
    if (g.fed != n || !call || call->msgs->len != n) {
        fprintf(stderr, "bench-ladder: fed %u messages for %u; %u calls, the first with %u\n",
                g.fed, n, calls->len, call ? call->msgs->len : 0);
        return 1;
    }

    LadderOptions lopts;
    ladder_options_init(&lopts);
    LadderStyle style;
    ladder_style_init(&style);
    Best layout = { 0 }, svg = { 0 }, text = { 0 };
    LadderLayout *l = NULL;
    for (int r = 0; r < RUNS; r++) {
        g_clear_pointer(&l, ladder_layout_free);
        best_start(&layout);
        l = ladder_layout_build(calls, NULL, NULL, &lopts);
        best_stop(&layout);
    }
    size_t svg_bytes = 0, text_bytes = 0;
    for (int r = 0; r < RUNS; r++) {
        best_start(&svg);
        g_autofree char *out = ladder_render_svg(l, &style);
        best_stop(&svg);
        svg_bytes = strlen(out);
        if (svg_path && r == 0 && !g_file_set_contents(svg_path, out, -1, NULL)) {
            fprintf(stderr, "bench-ladder: cannot write %s\n", svg_path);
            return 1;
        }
    }
    for (int r = 0; r < RUNS; r++) {
        best_start(&text);
        g_autofree char *out = ladder_render_text(l);
        best_stop(&text);
        text_bytes = strlen(out);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("messages %u\narrows %u\nrows %u\ncolumns %u\ncapture_seconds %.1f\n"
           "layout_ms %.1f\nlayout_cpu_ms %.1f\nsvg_ms %.1f\nsvg_cpu_ms %.1f\nsvg_bytes %zu\n"
           "text_ms %.1f\ntext_cpu_ms %.1f\ntext_bytes %zu\nmax_rss_kib %ld\n",
           n, l->arrows->len, l->rows->len, l->columns->len,
           (double)(call->end - call->start) / SL_TIME_SECOND, layout.wall_ms, layout.cpu_ms,
           svg.wall_ms, svg.cpu_ms, svg_bytes, text.wall_ms, text.cpu_ms, text_bytes,
           ru.ru_maxrss);
    bool ok = l->arrows->len == n;
    if (!ok)
        fprintf(stderr, "bench-ladder: %u arrows for %u messages\n", l->arrows->len, n);
    ladder_layout_free(l);
    g_rand_free(g.rand);
    corr_engine_free(g.engine);
    return ok ? 0 : 1;
}
