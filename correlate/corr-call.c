/* sipladder: call attributes computed from a call's messages: state,
 * caller and callee, post-dial delay, setup time, duration, who hung up,
 * Reason / Q.850, retransmissions, hops and the endpoints in ladder order.
 * The state follows what the caller saw: the first hop of the caller's leg
 * (RFC 3261 sections 13.2.2 and 15; the state names of Wireshark's VoIP
 * Calls, refined). */
#include <stdarg.h>
#include <string.h>

#include "corr-private.h"
#include "rtp-event.h"

static void
finding_free(gpointer p)
{
    CorrFinding *f = p;
    g_free(f->kind);
    g_free(f->text);
    g_free(f);
}

void
corr_call_add_finding(CorrCall *call, const char *kind, uint64_t frame, guint file, guint stream,
                      const char *fmt, ...)
{
    if (!call->findings)
        call->findings = g_ptr_array_new_with_free_func(finding_free);
    CorrFinding *f = g_new0(CorrFinding, 1);
    f->kind = g_strdup(kind);
    va_list ap;
    va_start(ap, fmt);
    f->text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    f->frame = frame;
    f->file = file;
    f->stream = stream;
    g_ptr_array_add(call->findings, f);
}

/* Keeps the digits in time order: each goes after the last one not later
 * than it, found from the end (digits mostly come in order, so adding one
 * costs little however many the call has). */
void
corr_call_add_dtmf(CorrCall *call, const CorrDtmf *d)
{
    if (!call->dtmf)
        call->dtmf = g_array_new(FALSE, FALSE, sizeof(CorrDtmf));
    guint at = call->dtmf->len;
    while (at > 0 && g_array_index(call->dtmf, CorrDtmf, at - 1).ts > d->ts)
        at--;
    g_array_insert_val(call->dtmf, at, *d);
}

/* DTMF sent as SIP INFO (application/dtmf-relay or application/dtmf). */
static void
info_dtmf(CorrCall *c)
{
    for (guint i = 0; i < c->msgs->len; i++) {
        const CorrMsg *m = g_ptr_array_index(c->msgs, i);
        if (!m->is_request || m->method != SIP_METHOD_INFO || m->role != CORR_MSG_ORIGINAL)
            continue;
        gsize len;
        const void *raw = g_bytes_get_data(m->raw, &len);
        SipMsg *sm = g_new0(SipMsg, 1);
        sip_msg_parse(sl_view_make(raw, len), SIP_FRAMING_DATAGRAM, NULL, sm);
        unsigned ms = 0;
        char digit = sip_info_dtmf(sm->content_type, sm->body, &ms);
        g_free(sm);
        if (!digit)
            continue;
        CorrDtmf d = { digit, m->ts, m->frame, ms, -1, false, m->src };
        corr_call_add_dtmf(c, &d);
    }
}

/* Retransmissions beyond this in one transaction make a storm. */
#define RETRANSMISSION_STORM 4

/* Signalling findings: a 2xx to an INVITE never acknowledged, and
 * transactions retransmitted again and again. */
static void
signalling_findings(CorrCall *c, SlTime capture_end)
{
    GHashTable *reported = g_hash_table_new(NULL, NULL);
    for (guint i = 0; i < c->msgs->len; i++) {
        const CorrMsg *m = g_ptr_array_index(c->msgs, i);
        if (m->txn && m->txn->retransmissions > RETRANSMISSION_STORM &&
            !g_hash_table_contains(reported, m->txn)) {
            g_hash_table_add(reported, m->txn);
            corr_call_add_finding(c, "retransmissions", m->frame, m->file, 0,
                                  "%s sent %u times (%u retransmissions): no answer reached it",
                                  m->txn->method_name, m->txn->retransmissions + 1,
                                  m->txn->retransmissions);
        }
        if (m->is_request || m->cseq_method != SIP_METHOD_INVITE || m->status < 200 ||
            m->status >= 300 || m->role != CORR_MSG_ORIGINAL)
            continue;
        /* an ACK from the 2xx's receiver, in the same dialog, after it */
        bool acked = false;
        for (guint k = i + 1; k < c->msgs->len && !acked; k++) {
            const CorrMsg *a = g_ptr_array_index(c->msgs, k);
            acked = a->is_request && a->method == SIP_METHOD_ACK && a->cseq == m->cseq &&
                    g_strcmp0(a->call_id, m->call_id) == 0 && sl_addr_ip_equal(&a->src, &m->dst);
        }
        if (!acked && capture_end - m->ts > 32 * SL_TIME_SECOND)
            corr_call_add_finding(c, "missing-ack", m->frame, m->file, 0,
                                  "%u %s to INVITE was never acknowledged by %s", m->status,
                                  m->reason ? m->reason : "", "its receiver");
    }
    g_hash_table_destroy(reported);
}

void
corr_call_free(gpointer p)
{
    CorrCall *c = p;
    if (c->findings)
        g_ptr_array_unref(c->findings);
    if (c->streams)
        g_ptr_array_unref(c->streams);
    if (c->dtmf)
        g_array_unref(c->dtmf);
    g_ptr_array_unref(c->legs);
    g_ptr_array_unref(c->msgs);
    g_array_unref(c->endpoints);
    g_free(c->caller);
    g_free(c->caller_display);
    g_free(c->callee);
    g_free(c->callee_display);
    g_free(c->caller_asserted);
    g_free(c->hangup_by);
    g_free(c->reason_text);
    g_free(c->contact);
    g_free(c);
}

static void
add_endpoint(GArray *eps, const SlAddr *a)
{
    for (guint i = 0; i < eps->len; i++)
        if (sl_addr_equal(&g_array_index(eps, SlAddr, i), a))
            return;
    g_array_append_val(eps, *a);
}

/* The final response's effect on a call that was not answered. */
static CorrState
state_for_final(unsigned status)
{
    if (status >= 300 && status < 400)
        return CORR_STATE_REDIRECTED;
    switch (status) {
    case 486:
    case 600:
        return CORR_STATE_BUSY;
    case 487:
        return CORR_STATE_CANCELLED;
    case 408:
        return CORR_STATE_TIMED_OUT;
    default:
        break;
    }
    if (status >= 500 && status != 603)
        return CORR_STATE_FAILED;
    return CORR_STATE_REJECTED;
}

/* The caller's own legs: the first one, and those it started after a 3xx
 * (linked by redirect, from the same host). */
static bool
is_caller_leg(const CorrCall *c, const CorrLeg *leg)
{
    const CorrLeg *first = g_ptr_array_index(c->legs, 0);
    if (leg == first)
        return true;
    return leg->linked_by == CORR_LINK_REDIRECT && leg->first_invite && first->first_invite &&
           sl_addr_ip_equal(&leg->first_invite->src, &first->first_invite->src);
}

/* Messages of the caller's INVITEs on the caller's first hop. */
static bool
is_caller_invite_txn(const CorrCall *c, const CorrMsg *m)
{
    return m->hop == 0 && m->txn && m->txn->method == SIP_METHOD_INVITE && m->txn->request &&
           !m->txn->request->to_tag[0] && is_caller_leg(c, m->leg);
}

static void
compute_call(CorrCall *c, SlTime capture_end)
{
    const CorrLeg *first = g_ptr_array_index(c->legs, 0);
    const CorrMsg *invite = first->first_invite;
    SlTime t_invite = invite ? invite->ts : 0, t_ring = 0, t_answer = 0, t_bye = 0;
    SlTime t_last_invite = t_invite;
    bool answered = false, cancelled = false;
    const CorrMsg *bye = NULL;

    c->state = CORR_STATE_CALLING;
    c->state_code = 0;
    if (invite) {
        c->caller = g_strdup(invite->from_user);
        c->caller_display = g_strdup(invite->from_display);
        c->callee = g_strdup(invite->to_user && invite->to_user[0] ? invite->to_user : "");
        c->callee_display = g_strdup(invite->to_display);
        c->caller_asserted = g_strdup(invite->pai_user);
    }
    for (guint i = 0; i < c->msgs->len; i++) {
        const CorrMsg *m = g_ptr_array_index(c->msgs, i);
        if (m->role != CORR_MSG_ORIGINAL)
            continue;
        if (m->reason_text && !c->reason_text)
            c->reason_text = g_strdup(m->reason_text);
        if (m->q850_cause >= 0 && c->q850_cause < 0)
            c->q850_cause = m->q850_cause;
        if (m->is_request && m->method == SIP_METHOD_BYE && !bye) {
            bye = m;
            t_bye = m->ts;
        }
        if (m->is_request && m->method == SIP_METHOD_CANCEL && is_caller_leg(c, m->leg) &&
            !answered)
            cancelled = true;
        if (!is_caller_invite_txn(c, m))
            continue;
        if (m->is_request) {
            if (m->method == SIP_METHOD_INVITE && !answered) {
                /* a new attempt after a challenge or a redirect */
                if (c->state == CORR_STATE_REJECTED || c->state == CORR_STATE_REDIRECTED) {
                    c->state = CORR_STATE_CALLING;
                    c->state_code = 0;
                }
                t_last_invite = m->ts;
            }
            continue;
        }
        if (answered)
            continue;
        if (m->status == 100) {
            if (c->state == CORR_STATE_CALLING)
                c->state = CORR_STATE_PROCEEDING;
        } else if (m->status < 200) {
            if (!t_ring)
                t_ring = m->ts;
            if (m->status == 183 && m->has_sdp)
                c->state = CORR_STATE_EARLY_MEDIA;
            else if (c->state != CORR_STATE_EARLY_MEDIA)
                c->state = CORR_STATE_RINGING;
        } else if (m->status < 300) {
            answered = true;
            t_answer = m->ts;
            c->state = CORR_STATE_IN_CALL;
        } else {
            c->state = state_for_final(m->status);
            c->state_code = m->status;
        }
    }
    if (answered && bye)
        c->state = CORR_STATE_COMPLETED;
    else if (!answered && cancelled && c->state != CORR_STATE_REDIRECTED)
        c->state = CORR_STATE_CANCELLED;
    else if (!answered && invite &&
             (c->state == CORR_STATE_CALLING || c->state == CORR_STATE_PROCEEDING) &&
             capture_end - t_last_invite > 32 * SL_TIME_SECOND)
        c->state = CORR_STATE_TIMED_OUT;
    if (c->state == CORR_STATE_CANCELLED && !c->state_code)
        c->state_code = 487;

    c->pdd_ms = invite && t_ring ? (t_ring - t_invite) / SL_TIME_MSEC : -1;
    c->setup_ms = invite && t_answer ? (t_answer - t_invite) / SL_TIME_MSEC : -1;
    c->duration_s = -1;
    if (answered)
        c->duration_s = sl_time_to_seconds((t_bye ? t_bye : c->end) - t_answer);

    /* who hung up: the first BYE (or the CANCEL) and the side it came from */
    if (bye && bye->leg->first_invite) {
        bool from_uac = g_strcmp0(bye->from_tag, bye->leg->first_invite->from_tag) == 0;
        c->hangup_by = g_strdup(from_uac ? "caller" : "callee");
        c->hangup_addr = bye->src;
    } else if (cancelled) {
        c->hangup_by = g_strdup("caller");
        c->hangup_addr = invite ? invite->src : c->hangup_addr;
    }
    /* transactions of the first INVITE over every hop and leg */
    if (invite) {
        for (guint i = 0; i < c->msgs->len; i++) {
            const CorrMsg *m = g_ptr_array_index(c->msgs, i);
            if (m->is_request && m->method == SIP_METHOD_INVITE && !m->to_tag[0] &&
                m->role == CORR_MSG_ORIGINAL && m->txn && m->txn->request == m &&
                m->leg->first_invite && m->cseq == m->leg->first_invite->cseq)
                c->hops++;
        }
    }
}

static void
compute_registration(CorrCall *c)
{
    for (guint i = 0; i < c->msgs->len; i++) {
        const CorrMsg *m = g_ptr_array_index(c->msgs, i);
        if (m->role != CORR_MSG_ORIGINAL)
            continue;
        if (m->is_request && m->method == SIP_METHOD_REGISTER) {
            if (!c->caller)
                c->caller = g_strdup(m->from_user);
            if (!c->callee)
                c->callee = g_strdup(m->to_user);
            if (m->contact) {
                g_free(c->contact);
                c->contact = g_strdup(m->contact);
            }
            if (m->expires >= 0)
                c->expires = m->expires;
        } else if (!m->is_request && m->cseq_method == SIP_METHOD_REGISTER && m->status >= 200) {
            c->result = m->status;
            if (m->status < 300 && m->expires >= 0)
                c->expires = m->expires; /* what the registrar granted */
        }
    }
}

static void
compute_other(CorrCall *c)
{
    for (guint i = 0; i < c->msgs->len; i++) {
        const CorrMsg *m = g_ptr_array_index(c->msgs, i);
        if (m->role != CORR_MSG_ORIGINAL)
            continue;
        if (m->is_request && !c->caller) {
            c->caller = g_strdup(m->from_user);
            c->callee = g_strdup(m->to_user);
        }
        if (!m->is_request && m->status >= 200)
            c->result = m->status;
    }
}

void
corr_call_compute(CorrCall *c, SlTime capture_end)
{
    g_clear_pointer(&c->caller, g_free);
    g_clear_pointer(&c->caller_display, g_free);
    g_clear_pointer(&c->callee, g_free);
    g_clear_pointer(&c->callee_display, g_free);
    g_clear_pointer(&c->caller_asserted, g_free);
    g_clear_pointer(&c->hangup_by, g_free);
    g_clear_pointer(&c->reason_text, g_free);
    c->q850_cause = -1;
    c->retransmissions = c->duplicates = c->hops = 0;
    c->pdd_ms = c->setup_ms = -1;
    c->duration_s = -1;
    c->result = 0;
    g_array_set_size(c->endpoints, 0);
    if (c->msgs->len == 0)
        return;
    const CorrMsg *m0 = g_ptr_array_index(c->msgs, 0);
    c->start = m0->ts;
    c->end = m0->ts;
    for (guint i = 0; i < c->msgs->len; i++) {
        const CorrMsg *m = g_ptr_array_index(c->msgs, i);
        if (m->ts < c->start)
            c->start = m->ts;
        if (m->ts > c->end)
            c->end = m->ts;
        if (m->role == CORR_MSG_RETRANSMISSION)
            c->retransmissions++;
        else if (m->role == CORR_MSG_DUPLICATE)
            c->duplicates++;
        add_endpoint(c->endpoints, &m->src);
        add_endpoint(c->endpoints, &m->dst);
    }
    if (c->findings)
        g_ptr_array_set_size(c->findings, 0);
    if (c->dtmf)
        g_array_set_size(c->dtmf, 0);
    if (c->kind == CORR_KIND_CALL) {
        compute_call(c, capture_end);
        signalling_findings(c, capture_end);
        info_dtmf(c);
    }
    else if (c->kind == CORR_KIND_REGISTRATION)
        compute_registration(c);
    else
        compute_other(c);
}
