/* sipladder: what correlation keeps of one SIP message (copies of the
 * fields it keys on and shows, the message bytes, an SDP summary). */
#include <string.h>

#include "corr-private.h"
#include "sdp.h"

static char *
dup_or_null(SlView v)
{
    return v.len ? sl_view_dup_printable(v, 0) : NULL;
}

static char *
dup_or_empty(SlView v)
{
    return sl_view_dup_printable(v, 0);
}

/* The user part of a name-addr's URI (for tel: the number). */
static char *
user_of(const SipNameAddr *na)
{
    return dup_or_empty(na->uri.user);
}

static void
media_clear(gpointer p)
{
    CorrMedia *m = p;
    g_free(m->media);
    g_free(m->codecs);
    g_free(m->direction);
}

static GArray *
summarise_sdp(SlView body)
{
    Sdp sdp;
    SlError err = { 0 };
    SlStatus st = sdp_parse(body, &sdp, &err);
    if (st == SL_ERR_NOT_MINE)
        return NULL;
    GArray *out = g_array_new(FALSE, TRUE, sizeof(CorrMedia));
    g_array_set_clear_func(out, media_clear);
    for (size_t i = 0; i < sdp.n_media; i++) {
        const SdpMedia *sm = &sdp.media[i];
        CorrMedia m = { 0 };
        if (sm->has_conn)
            m.addr = sm->conn;
        m.addr.port = sm->port;
        m.media = sl_view_dup_printable(sm->media, 0);
        GString *codecs = g_string_new(NULL);
        for (size_t k = 0; k < sm->n_rtpmap; k++) {
            g_autofree char *enc = sl_view_dup_printable(sm->rtpmap[k].encoding, 0);
            g_string_append_printf(codecs, "%s%s/%u", codecs->len ? " " : "", enc,
                                   sm->rtpmap[k].clock_rate);
        }
        if (sm->n_rtpmap == 0)
            for (size_t k = 0; k < sm->n_formats; k++) {
                g_autofree char *f = sl_view_dup_printable(sm->formats[k], 0);
                g_string_append_printf(codecs, "%s%s", codecs->len ? " " : "", f);
            }
        m.codecs = g_string_free(codecs, FALSE);
        m.direction = g_strdup(sdp_direction_name(sm->direction));
        for (size_t k = 0; k < sm->n_rtpmap && m.n_pts < G_N_ELEMENTS(m.pts); k++)
            m.pts[m.n_pts++] = (uint8_t)sm->rtpmap[k].pt;
        g_array_append_val(out, m);
    }
    return out;
}

/* Hash of the Via chain, element by element (branch, else sent-by), from
 * value @skip on: a request forwarded by a proxy has one Via more, so its
 * chain without the top equals the upstream request's whole chain. The
 * branch survives the received/rport parameters a server adds. */
static guint32
via_chain_hash(const SipMsg *m, unsigned skip)
{
    SipValueIter it = { 0 };
    SlView val;
    guint32 h = 2166136261u;
    unsigned i = 0;
    /* the entries the parser counted: none beyond the sip-via limit */
    while (i < m->n_via && sip_msg_next_value(m, SIP_HDR_VIA, &it, &val)) {
        if (i++ < skip)
            continue;
        SipVia via;
        sip_via_parse(val, &via);
        SlView key = via.branch.len ? via.branch : via.host;
        h = (h ^ sl_view_hash(key)) * 16777619u;
        h = (h ^ via.port) * 16777619u;
    }
    return h;
}

CorrMsg *
corr_msg_new(const SipFound *f, const CorrOptions *opts, guint index)
{
    const SipMsg *m = f->msg;
    CorrMsg *c = g_new0(CorrMsg, 1);
    c->index = index;
    c->file = f->pkt->source_id;
    c->frame = f->pkt->frame;
    c->ts = f->pkt->ts;
    c->src = f->pkt->src;
    c->dst = f->pkt->dst;
    c->transport = f->transport;
    c->ip_id = f->pkt->ip_id;
    c->is_request = m->is_request;
    c->method = m->is_request ? m->method : SIP_METHOD_UNKNOWN;
    c->method_name = dup_or_empty(m->is_request ? m->method_name : m->cseq_method_name);
    c->ruri = m->is_request ? dup_or_empty(m->ruri) : NULL;
    c->status = m->status;
    c->reason = m->is_request ? NULL : dup_or_empty(m->reason);
    c->call_id = dup_or_empty(m->call_id);
    c->cseq = m->cseq;
    c->cseq_method = m->cseq_method;
    c->from_user = user_of(&m->from);
    c->from_display = dup_or_null(m->from.display);
    c->from_tag = dup_or_empty(m->from.tag);
    c->to_user = user_of(&m->to);
    c->to_display = dup_or_null(m->to.display);
    c->to_tag = dup_or_empty(m->to.tag);
    c->branch = dup_or_empty(m->via.branch);
    c->n_via = m->n_via;
    c->expires = -1;
    c->q850_cause = -1;

    const SipHdr *h;
    if ((h = sip_msg_hdr(m, SIP_HDR_P_ASSERTED_IDENTITY)) != NULL) {
        SipValueIter it = { 0 };
        SlView v;
        SipNameAddr na;
        if (sip_msg_next_value(m, SIP_HDR_P_ASSERTED_IDENTITY, &it, &v) &&
            sip_name_addr_parse(v, &na) == SL_OK)
            c->pai_user = user_of(&na);
    }
    if ((h = sip_msg_hdr(m, SIP_HDR_CONTACT)) != NULL) {
        SipValueIter it = { 0 };
        SlView v;
        SipNameAddr na;
        if (sip_msg_next_value(m, SIP_HDR_CONTACT, &it, &v) && !sl_view_eq_str(v, "*")) {
            sip_name_addr_parse(v, &na);
            c->contact = dup_or_null(na.uri_text);
            SlView e;
            uint64_t n;
            if (sip_param_get(na.params, "expires", &e) && sl_view_parse_uint(e, 10, G_MAXINT32, &n))
                c->expires = (int)n;
        }
    }
    if ((h = sip_msg_hdr(m, SIP_HDR_EXPIRES)) != NULL && c->expires < 0) {
        uint64_t n;
        if (sl_view_parse_uint(h->value, 10, G_MAXINT32, &n))
            c->expires = (int)n;
    }
    h = sip_msg_hdr(m, SIP_HDR_USER_AGENT);
    if (h == NULL)
        h = sip_msg_hdr(m, SIP_HDR_SERVER);
    if (h)
        c->user_agent = dup_or_null(h->value);
    SipValueIter rit = { 0 };
    SlView rv;
    while (sip_msg_next_value(m, SIP_HDR_REASON, &rit, &rv)) {
        SipReason r;
        if (sip_reason_parse(rv, &r) != SL_OK && r.protocol.len == 0)
            continue;
        if (sl_view_ieq_str(r.protocol, "Q.850") && r.cause >= 0)
            c->q850_cause = r.cause;
        if (c->reason_text == NULL && r.text.len)
            c->reason_text = dup_or_null(r.text);
        if (c->reason_text == NULL && r.cause >= 0)
            c->reason_text = g_strdup_printf("%.*s cause %d", (int)MIN(r.protocol.len, 16),
                                             (const char *)r.protocol.p, r.cause);
    }
    SlView sdp;
    if (sip_msg_find_sdp(m, m->max_multipart_depth, &sdp)) {
        c->media = summarise_sdp(sdp);
        c->has_sdp = c->media != NULL;
    }
    size_t keep = MIN(m->raw.len, opts->max_raw_bytes);
    c->raw = g_bytes_new(m->raw.p, keep);
    if (f->status != SL_OK)
        c->error = g_strdup_printf("%s: %s at byte %zu", sl_status_name(f->status),
                                   m->error.msg ? m->error.msg : "?", m->error.offset);
    c->via_hash_all = via_chain_hash(m, 0);
    c->via_hash_tail = via_chain_hash(m, 1);
    return c;
}

void
corr_msg_free(gpointer p)
{
    CorrMsg *c = p;
    g_free(c->method_name);
    g_free(c->ruri);
    g_free(c->reason);
    g_free(c->call_id);
    g_free(c->from_user);
    g_free(c->from_display);
    g_free(c->from_tag);
    g_free(c->to_user);
    g_free(c->to_display);
    g_free(c->to_tag);
    g_free(c->pai_user);
    g_free(c->branch);
    g_free(c->contact);
    g_free(c->user_agent);
    g_free(c->reason_text);
    if (c->media)
        g_array_unref(c->media);
    g_bytes_unref(c->raw);
    g_free(c->error);
    g_free(c);
}
