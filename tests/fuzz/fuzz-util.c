/* sipladder: checks shared by the fuzz targets (see fuzz-util.h). Every
 * FUZZ_CHECK states a documented contract of a public header; a failure
 * aborts, which libFuzzer and replay-main.c report as a crash. */
#include "fuzz-util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Keeps fuzz_touch() from being optimised away. */
static volatile uint32_t touch_sink;

void
fuzz_init(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

void
fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: fuzz check failed: %s\n", file, line, what);
    fflush(stderr);
    abort();
}

uint32_t
fuzz_touch(SlView v)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < v.len; i++)
        h = (h ^ (uint32_t)sl_view_at(v, i)) * 16777619u;
    touch_sink += h;
    return h;
}

bool
fuzz_view_within(SlView inner, SlView outer)
{
    if (inner.len == 0)
        return true;
    if (inner.p == NULL || outer.p == NULL || inner.len > outer.len)
        return false;
    uintptr_t in = (uintptr_t)inner.p, out = (uintptr_t)outer.p;
    return in >= out && in - out <= outer.len - inner.len;
}

/* @v lies inside @outer, and every byte of it can be read. */
#define CHECK_VIEW(v, outer)                          \
    do {                                              \
        FUZZ_CHECK(fuzz_view_within((v), (outer)));   \
        fuzz_touch(v);                                \
    } while (0)

static bool
view_has_prefix_bytes(SlView v, const char *s)
{
    size_t n = strlen(s);
    return v.len >= n && sl_view_eq(sl_view_sub(v, 0, n), sl_view_make(s, n));
}

/* ---------------------------------------------------------- memory file */

static int memfd = -1;
static char memfd_path[64];

const char *
fuzz_memfd_store(const uint8_t *data, size_t size)
{
    if (memfd < 0) {
        memfd = memfd_create("sl-fuzz-capture", MFD_CLOEXEC);
        if (memfd < 0) {
            perror("memfd_create");
            abort();
        }
        snprintf(memfd_path, sizeof memfd_path, "/proc/self/fd/%d", memfd);
    }
    if (ftruncate(memfd, 0) != 0) {
        perror("ftruncate");
        abort();
    }
    size_t done = 0;
    while (done < size) {
        ssize_t n = pwrite(memfd, data + done, size - done, (off_t)done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            perror("pwrite");
            abort();
        }
        done += (size_t)n;
    }
    return memfd_path;
}

/* ------------------------------------------------------------ SIP parts */

/* sip_param_next() over @params: views inside, and progress on each call. */
static void
walk_params(SlView params)
{
    SlView rest = params, name, value;
    size_t count = 0;
    while (sip_param_next(&rest, &name, &value)) {
        CHECK_VIEW(name, params);
        CHECK_VIEW(value, params);
        CHECK_VIEW(rest, params);
        FUZZ_CHECK(++count <= params.len + 1);
    }
}

static void
check_uri(const SipUri *u, SlView text)
{
    CHECK_VIEW(u->scheme, text);
    CHECK_VIEW(u->user, text);
    CHECK_VIEW(u->password, text);
    CHECK_VIEW(u->host, text);
    CHECK_VIEW(u->params, text);
    CHECK_VIEW(u->headers, text);
    if (u->is_sip)
        FUZZ_CHECK(sl_view_ieq_str(u->scheme, "sip") || sl_view_ieq_str(u->scheme, "sips"));
    walk_params(u->params);
}

static SlStatus
parse_uri_checked(SlView text)
{
    SipUri u;
    SlStatus st = sip_uri_parse(text, &u);
    FUZZ_CHECK(st == SL_OK || st == SL_ERR_MALFORMED);
    check_uri(&u, text);
    return st;
}

static void
check_name_addr_fields(const SipNameAddr *na, SlView value)
{
    CHECK_VIEW(na->display, value);
    CHECK_VIEW(na->uri_text, value);
    CHECK_VIEW(na->params, value);
    CHECK_VIEW(na->tag, na->params);
    check_uri(&na->uri, na->uri_text);
}

static SlStatus
parse_name_addr_checked(SlView value, SipNameAddr *na)
{
    SlStatus st = sip_name_addr_parse(value, na);
    FUZZ_CHECK(st == SL_OK || st == SL_ERR_MALFORMED);
    check_name_addr_fields(na, value);
    walk_params(na->params);
    if (st == SL_OK) {
        /* a bad URI makes the name-addr MALFORMED */
        FUZZ_CHECK(parse_uri_checked(na->uri_text) == SL_OK);
    }
    return st;
}

static void
check_via_fields(const SipVia *via, SlView value)
{
    CHECK_VIEW(via->protocol, value);
    CHECK_VIEW(via->transport, value);
    CHECK_VIEW(via->host, value);
    CHECK_VIEW(via->params, value);
    CHECK_VIEW(via->branch, via->params);
    CHECK_VIEW(via->received, via->params);
    CHECK_VIEW(via->rport, via->params);
}

static SlStatus
parse_via_checked(SlView value, SipVia *via)
{
    SlStatus st = sip_via_parse(value, via);
    FUZZ_CHECK(st == SL_OK || st == SL_ERR_MALFORMED);
    check_via_fields(via, value);
    if (st == SL_OK) {
        FUZZ_CHECK(via->protocol.len > 0 && via->transport.len > 0 && via->host.len > 0);
        FUZZ_CHECK(via->is_rfc3261 == view_has_prefix_bytes(via->branch, "z9hG4bK"));
        if (!via->has_rport)
            FUZZ_CHECK(via->rport.len == 0);
        walk_params(via->params);
    }
    return st;
}

static bool
is_name_addr_header(SipHdrId id)
{
    switch (id) {
    case SIP_HDR_FROM:
    case SIP_HDR_TO:
    case SIP_HDR_CONTACT:
    case SIP_HDR_RECORD_ROUTE:
    case SIP_HDR_ROUTE:
    case SIP_HDR_P_ASSERTED_IDENTITY:
    case SIP_HDR_P_PREFERRED_IDENTITY:
    case SIP_HDR_REMOTE_PARTY_ID:
    case SIP_HDR_DIVERSION:
    case SIP_HDR_REFER_TO:
    case SIP_HDR_REFERRED_BY:
        return true;
    default:
        return false;
    }
}

/* Every value of every known header through sip_msg_next_value(), with
 * the typed parser of its grammar. Returns the number of Via values. */
static unsigned
walk_header_values(const SipMsg *msg, bool complete)
{
    unsigned n_via = 0;
    for (int id = SIP_HDR_OTHER + 1; id < SIP_HDR_COUNT; id++) {
        SipValueIter it = { 0 };
        SlView value;
        size_t count = 0;
        while (sip_msg_next_value(msg, (SipHdrId)id, &it, &value)) {
            CHECK_VIEW(value, msg->raw);
            FUZZ_CHECK(++count <= msg->raw.len + msg->n_hdrs);
            if (id == SIP_HDR_VIA) {
                SipVia via;
                SlStatus st = parse_via_checked(value, &via);
                if (n_via == 0 && complete) {
                    /* the topmost Via value is the typed field */
                    FUZZ_CHECK(msg->has_via == (st == SL_OK));
                    if (st == SL_OK)
                        FUZZ_CHECK(sl_view_eq(via.host, msg->via.host) &&
                                   sl_view_eq(via.branch, msg->via.branch) &&
                                   via.port == msg->via.port);
                }
                n_via++;
            } else if (is_name_addr_header((SipHdrId)id)) {
                if (id == SIP_HDR_CONTACT && sl_view_eq_str(value, "*"))
                    continue;
                SipNameAddr na;
                parse_name_addr_checked(value, &na);
                if (count == 1 && complete && (id == SIP_HDR_FROM || id == SIP_HDR_TO)) {
                    const SipNameAddr *typed = id == SIP_HDR_FROM ? &msg->from : &msg->to;
                    FUZZ_CHECK(sl_view_eq(na.uri_text, typed->uri_text));
                    FUZZ_CHECK(sl_view_eq(na.tag, typed->tag));
                }
            } else if (id == SIP_HDR_CALL_ID && count == 1 && complete) {
                FUZZ_CHECK(sl_view_eq(value, msg->call_id));
            }
        }
    }
    return n_via;
}

static void
walk_multipart(const SipMsg *msg)
{
    const SipHdr *ct = sip_msg_hdr(msg, SIP_HDR_CONTENT_TYPE);
    if (ct == NULL)
        return;
    SlView type, params, boundary;
    sip_content_type_split(ct->value, &type, &params);
    CHECK_VIEW(type, ct->value);
    CHECK_VIEW(params, ct->value);
    if (!sl_view_ihas_prefix(type, "multipart/") || !sip_param_get(params, "boundary", &boundary))
        return;
    CHECK_VIEW(boundary, params);
    size_t pos = 0, prev = 0, count = 0;
    SipBodyPart part;
    while (sip_multipart_next(msg->body, boundary, &pos, &part)) {
        FUZZ_CHECK(pos > prev && pos <= msg->body.len); /* progress */
        FUZZ_CHECK(++count <= msg->body.len);
        prev = pos;
        CHECK_VIEW(part.headers, msg->body);
        CHECK_VIEW(part.body, msg->body);
        CHECK_VIEW(part.content_type, msg->body);
    }
}

void
fuzz_check_sip_msg(const SipMsg *msg, SlView data, SipFraming framing, SlStatus st)
{
    FUZZ_CHECK((unsigned)st <= SL_ERR_LIMIT && st != SL_ERR_TRUNCATED);
    if (framing == SIP_FRAMING_DATAGRAM)
        FUZZ_CHECK(st != SL_ERR_NEED_MORE);
    CHECK_VIEW(msg->raw, data);
    if (st == SL_ERR_NOT_MINE || st == SL_ERR_NEED_MORE)
        return;

    const SlView raw = msg->raw;
    /* OK and MALFORMED come only from a parse that reached the end */
    const bool complete = st == SL_OK || st == SL_ERR_MALFORMED;
    FUZZ_CHECK(raw.len > 0);
    int c0 = sl_view_at(data, 0);
    if (framing == SIP_FRAMING_DATAGRAM && c0 != '\r' && c0 != '\n')
        FUZZ_CHECK(sip_msg_looks_like(data));

    CHECK_VIEW(msg->body, raw);
    CHECK_VIEW(msg->method_name, raw);
    CHECK_VIEW(msg->ruri, raw);
    CHECK_VIEW(msg->version, raw);
    CHECK_VIEW(msg->reason, raw);
    CHECK_VIEW(msg->call_id, raw);
    CHECK_VIEW(msg->cseq_method_name, raw);
    CHECK_VIEW(msg->content_type, raw);
    check_name_addr_fields(&msg->from, raw);
    check_name_addr_fields(&msg->to, raw);
    check_via_fields(&msg->via, raw);
    FUZZ_CHECK(sip_method_name(msg->method) != NULL);

    if (msg->is_request) {
        FUZZ_CHECK(msg->status == 0);
        FUZZ_CHECK(msg->method == sip_method_from_view(msg->method_name));
    } else if (msg->status != 0) {
        FUZZ_CHECK(msg->status >= 100 && msg->status <= 699);
    }
    if (msg->has_cseq)
        FUZZ_CHECK(msg->cseq_method == sip_method_from_view(msg->cseq_method_name));
    FUZZ_CHECK(msg->max_forwards >= -1 && msg->max_forwards <= 255);

    /* the header table and the index of first headers */
    FUZZ_CHECK(msg->n_hdrs <= SIP_MAX_HEADERS);
    bool seen[SIP_HDR_COUNT] = { false };
    for (unsigned i = 0; i < msg->n_hdrs; i++) {
        const SipHdr *h = &msg->hdrs[i];
        FUZZ_CHECK((unsigned)h->id < SIP_HDR_COUNT);
        CHECK_VIEW(h->name, raw);
        CHECK_VIEW(h->value, raw);
        FUZZ_CHECK(h->name.len > 0 && sl_view_is_token(h->name));
        FUZZ_CHECK(sip_hdr_id_from_name(h->name) == h->id);
        if (h->id != SIP_HDR_OTHER)
            FUZZ_CHECK(sip_hdr_name(h->id) != NULL);
        if (!seen[h->id]) {
            FUZZ_CHECK(msg->first[h->id] == (int16_t)i);
            seen[h->id] = true;
        }
    }
    for (int id = 0; id < SIP_HDR_COUNT; id++) {
        if (!seen[id])
            FUZZ_CHECK(msg->first[id] == -1);
        if (id != SIP_HDR_OTHER) {
            const SipHdr *h = sip_msg_hdr(msg, (SipHdrId)id);
            FUZZ_CHECK(seen[id] ? h == &msg->hdrs[msg->first[id]] : h == NULL);
        }
    }
    FUZZ_CHECK(sip_msg_hdr_by_name(msg, "Via") == sip_msg_hdr(msg, SIP_HDR_VIA));
    FUZZ_CHECK(sip_msg_hdr_by_name(msg, "v") == sip_msg_hdr(msg, SIP_HDR_VIA));
    const SipHdr *x = sip_msg_hdr_by_name(msg, "X-Fuzz");
    FUZZ_CHECK(x == NULL || sl_view_ieq_str(x->name, "X-Fuzz"));

    unsigned n_via = walk_header_values(msg, complete);

    if (complete) {
        /* beyond the sip-via bound, the entries parsed stop at the bound */
        if (msg->flags & SIP_FLAG_VIA_LIMIT)
            FUZZ_CHECK(n_via >= msg->n_via);
        else
            FUZZ_CHECK(n_via == msg->n_via);
        if (msg->has_via)
            FUZZ_CHECK(msg->n_via > 0);
        if (msg->n_via == 0)
            FUZZ_CHECK(msg->flags & SIP_FLAG_MISSING);
        FUZZ_CHECK(!msg->has_content_length == !!(msg->flags & SIP_FLAG_NO_CONTENT_LENGTH));
        if (framing == SIP_FRAMING_STREAM)
            FUZZ_CHECK(!(msg->flags & SIP_FLAG_NO_BLANK_LINE));
        FUZZ_CHECK(msg->error.offset <= raw.len);
    }
    if (st == SL_OK) {
        FUZZ_CHECK(msg->error.status == SL_OK);
        if (msg->has_content_length)
            FUZZ_CHECK(msg->body.len == msg->content_length);
        if (msg->is_request)
            FUZZ_CHECK(parse_uri_checked(msg->ruri) == SL_OK);
    } else {
        FUZZ_CHECK(msg->error.status != SL_OK && msg->error.msg != NULL);
    }
    if (msg->is_request && msg->ruri.len)
        parse_uri_checked(msg->ruri);

    walk_multipart(msg);
    SlView sdp_body;
    if (sip_msg_find_sdp(msg, 3, &sdp_body)) {
        CHECK_VIEW(sdp_body, msg->body);
        Sdp *sdp = g_new(Sdp, 1);
        SlError err = { 0 };
        SlStatus sst = sdp_parse(sdp_body, sdp, &err);
        fuzz_check_sdp(sdp, sdp_body, sst, &err);
        g_free(sdp);
    }
}

/* ------------------------------------------------------------------ SDP */

static void
check_addr(const SlAddr *a)
{
    FUZZ_CHECK(a->family == SL_AF_NONE || a->family == SL_AF_INET || a->family == SL_AF_INET6);
    if (a->family != SL_AF_NONE) {
        char buf[SL_ADDR_STRLEN];
        FUZZ_CHECK(sl_addr_str(a, buf) == buf && strlen(buf) < sizeof buf);
    }
}

static void
check_media(const SdpMedia *m, SlView body)
{
    CHECK_VIEW(m->media, body);
    CHECK_VIEW(m->proto, body);
    CHECK_VIEW(m->conn_text, body);
    CHECK_VIEW(m->crypto_suite, body);
    size_t pos;
    FUZZ_CHECK(m->is_rtp == sl_view_ifind_str(m->proto, "RTP/", &pos));
    FUZZ_CHECK(m->n_formats <= SDP_MAX_FORMATS);
    for (size_t i = 0; i < m->n_formats; i++) {
        FUZZ_CHECK(m->formats[i].len > 0);
        CHECK_VIEW(m->formats[i], body);
    }
    FUZZ_CHECK(m->n_rtpmap <= m->n_formats);
    if (!m->is_rtp)
        FUZZ_CHECK(m->n_rtpmap == 0);
    for (size_t i = 0; i < m->n_rtpmap; i++) {
        const SdpRtpmap *r = &m->rtpmap[i];
        FUZZ_CHECK(r->pt <= 127);
        fuzz_touch(r->encoding); /* the body or a static string */
        CHECK_VIEW(r->fmtp, body);
        for (size_t j = 0; j < i; j++)
            FUZZ_CHECK(m->rtpmap[j].pt != r->pt); /* duplicates once */
        FUZZ_CHECK(sdp_media_rtpmap(m, r->pt) == r);
    }
    /* every listed format that is a payload type: its entry, if any, is
     * one of the table (the table's entries were checked above; a scan of
     * all 256 types per media would cost more than the parse) */
    for (size_t i = 0; i < m->n_formats; i++) {
        uint64_t pt;
        if (!sl_view_parse_uint(m->formats[i], 3, 255, &pt))
            continue;
        const SdpRtpmap *r = sdp_media_rtpmap(m, (unsigned)pt);
        if (r != NULL)
            FUZZ_CHECK(r >= m->rtpmap && r < m->rtpmap + m->n_rtpmap && r->pt == pt);
    }
    FUZZ_CHECK(sdp_media_rtpmap(m, 1000) == NULL && sdp_media_rtpmap(m, G_MAXUINT) == NULL);

    check_addr(&m->conn);
    if (m->has_conn)
        FUZZ_CHECK(m->conn.family == SL_AF_INET || m->conn.family == SL_AF_INET6);
    FUZZ_CHECK(m->conn.port == m->port);
    FUZZ_CHECK((unsigned)m->direction <= SDP_DIR_INACTIVE);
    FUZZ_CHECK(strcmp(sdp_direction_name(m->direction), "unknown") != 0);
    FUZZ_CHECK(m->ptime >= -1 && m->maxptime >= -1);
    check_addr(&m->rtcp_addr);
    if (m->has_rtcp)
        FUZZ_CHECK(m->rtcp_addr.port == m->rtcp_port);
    else
        FUZZ_CHECK(m->rtcp_port == 0);
}

void
fuzz_check_sdp(const Sdp *sdp, SlView body, SlStatus st, const SlError *err)
{
    FUZZ_CHECK((unsigned)st <= SL_ERR_LIMIT);
    FUZZ_CHECK(st != SL_ERR_TRUNCATED && st != SL_ERR_NEED_MORE);
    bool starts_v = sl_view_at(body, 0) == 'v' && sl_view_at(body, 1) == '=';
    FUZZ_CHECK((st == SL_ERR_NOT_MINE) == !starts_v);
    if (st == SL_ERR_NOT_MINE)
        return;
    if (st == SL_OK) {
        FUZZ_CHECK(err->status == SL_OK);
    } else {
        /* the first problem is both returned and recorded */
        FUZZ_CHECK(err->status == st && err->msg != NULL && err->offset <= body.len);
    }
    CHECK_VIEW(sdp->origin_user, body);
    CHECK_VIEW(sdp->origin_sess_id, body);
    CHECK_VIEW(sdp->origin_sess_version, body);
    CHECK_VIEW(sdp->session_name, body);
    CHECK_VIEW(sdp->conn_text, body);
    check_addr(&sdp->origin_addr);
    check_addr(&sdp->conn);
    if (sdp->has_conn)
        FUZZ_CHECK(sdp->conn.family == SL_AF_INET || sdp->conn.family == SL_AF_INET6);
    FUZZ_CHECK((unsigned)sdp->direction <= SDP_DIR_INACTIVE);
    FUZZ_CHECK(sdp->n_media <= SDP_MAX_MEDIA);
    for (size_t i = 0; i < sdp->n_media; i++)
        check_media(&sdp->media[i], body);
}

/* ------------------------------------------------------------- pipeline */

static void
on_found(const SipFound *f, gpointer user)
{
    FuzzPipeline *fp = user;
    fp->found++;
    FUZZ_CHECK(f->status == SL_OK || f->status == SL_ERR_MALFORMED || f->status == SL_ERR_LIMIT);
    FUZZ_CHECK(f->pkt != NULL && f->msg != NULL);
    FUZZ_CHECK(sip_transport_name(f->transport) != NULL);
    if (!fp->check_messages) {
        CHECK_VIEW(f->msg->raw, f->transport == SIP_TRANSPORT_WS ? f->msg->raw : f->pkt->payload);
        return;
    }
    switch (f->pkt->transport) {
    case CAP_TRANSPORT_UDP:
        FUZZ_CHECK(f->transport == SIP_TRANSPORT_UDP);
        fuzz_check_sip_msg(f->msg, f->pkt->payload, SIP_FRAMING_DATAGRAM, f->status);
        break;
    case CAP_TRANSPORT_SCTP:
        FUZZ_CHECK(f->transport == SIP_TRANSPORT_SCTP);
        fuzz_check_sip_msg(f->msg, f->pkt->payload, SIP_FRAMING_DATAGRAM, f->status);
        break;
    case CAP_TRANSPORT_TCP:
        FUZZ_CHECK(f->transport == SIP_TRANSPORT_TCP || f->transport == SIP_TRANSPORT_WS);
        if (f->transport == SIP_TRANSPORT_TCP)
            fuzz_check_sip_msg(f->msg, f->pkt->payload, SIP_FRAMING_STREAM, f->status);
        else /* unmasked into the dissector's own buffer */
            fuzz_check_sip_msg(f->msg, f->msg->raw, SIP_FRAMING_DATAGRAM, f->status);
        break;
    case CAP_TRANSPORT_NONE:
        fuzz_fail(__FILE__, __LINE__, "SIP found in a packet without transport");
        break;
    }
}

static void
on_packet(const CapPacket *pkt, gpointer user)
{
    FuzzPipeline *fp = user;
    fp->delivered++;
    FUZZ_CHECK(cap_transport_name(pkt->transport) != NULL);
    FUZZ_CHECK(pkt->transport == CAP_TRANSPORT_UDP || pkt->transport == CAP_TRANSPORT_TCP ||
               pkt->transport == CAP_TRANSPORT_SCTP);
    FUZZ_CHECK((pkt->transport == CAP_TRANSPORT_TCP) == (pkt->stream != NULL));
    FUZZ_CHECK(pkt->src.family == SL_AF_INET || pkt->src.family == SL_AF_INET6);
    FUZZ_CHECK(pkt->dst.family == pkt->src.family);
    FUZZ_CHECK((pkt->flags & ~(uint32_t)0x1f) == 0);
    if (fp->current)
        FUZZ_CHECK(pkt->frame == fp->current);
    else
        FUZZ_CHECK(pkt->frame <= fp->fed || fp->fed == 0);
    fuzz_touch(pkt->payload);
    uint64_t before = fp->found;
    sip_dissector_packet(pkt, fp->sip);
    FUZZ_CHECK(sip_dissector_stats(fp->sip)->messages == fp->found && fp->found >= before);
}

void
fuzz_pipeline_init(FuzzPipeline *fp, const CapLimits *limits)
{
    memset(fp, 0, sizeof *fp);
    fp->check_messages = true;
    fp->sip = sip_dissector_new(NULL, on_found, fp);
    fp->dec = cap_decoder_new(limits, on_packet, fp);
}

void
fuzz_pipeline_feed(FuzzPipeline *fp, const CapFrame *frame, uint32_t source_id)
{
    fp->current = frame->frame;
    cap_decoder_feed(fp->dec, frame, source_id);
    fp->current = 0;
    fp->fed++;
    const CapStats *st = cap_decoder_stats(fp->dec);
    FUZZ_CHECK(st->frames == fp->fed);
    FUZZ_CHECK(st->payloads == fp->delivered);
}

void
fuzz_pipeline_finish(FuzzPipeline *fp)
{
    size_t held = cap_decoder_held_bytes(fp->dec);
    cap_decoder_finish(fp->dec);
    const CapStats *st = cap_decoder_stats(fp->dec);
    FUZZ_CHECK(st->frames == fp->fed);
    FUZZ_CHECK(st->payloads == fp->delivered);
    FUZZ_CHECK(cap_decoder_held_bytes(fp->dec) <= held); /* TCP state is forgotten */
    const SipDissectStats *ss = sip_dissector_stats(fp->sip);
    FUZZ_CHECK(ss->messages == fp->found && ss->malformed <= ss->messages);
    cap_decoder_free(fp->dec);
    sip_dissector_free(fp->sip);
    memset(fp, 0, sizeof *fp);
}
