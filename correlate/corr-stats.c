/* sipladder: RFC 6076 SIP end-to-end performance metrics over every call
 * and registration of an engine:
 *   SRD  Session Request Delay (section 4.2): INVITE to the first 18x/2xx
 *        (successful) or to the failure final response (failed)
 *   SDD  Session Disconnect Delay (4.3): BYE to its final response
 *   SER  Session Establishment Ratio (4.6): answered INVITEs /
 *        (INVITEs - INVITEs answered with a 3xx)
 *   ISA  Ineffective Session Attempts (4.8): INVITEs ending in 408, 500,
 *        503 or 504 over all INVITEs
 *   RRD  Registration Request Delay (4.1): REGISTER to its 2xx
 * Only first-hop transactions of initial requests count, never their
 * retransmissions or duplicates. */
#include <string.h>

#include "corr-private.h"

static void
delay_add(CorrDelay *d, SlTime from, SlTime to)
{
    double ms = (double)(to - from) / SL_TIME_MSEC;
    if (d->n == 0 || ms < d->min_ms)
        d->min_ms = ms;
    if (d->n == 0 || ms > d->max_ms)
        d->max_ms = ms;
    d->sum_ms += ms;
    d->n++;
}

/* First response of @t matching @pred after the request. */
static const CorrMsg *
first_response(GPtrArray *msgs, const CorrTxn *t, bool (*pred)(unsigned status))
{
    for (guint i = 0; i < msgs->len; i++) {
        const CorrMsg *m = g_ptr_array_index(msgs, i);
        if (m->txn == t && !m->is_request && m->role == CORR_MSG_ORIGINAL && pred(m->status))
            return m;
    }
    return NULL;
}

static bool
is_progress_or_success(unsigned s)
{
    return (s >= 180 && s < 190) || (s >= 200 && s < 300);
}

static bool
is_final(unsigned s)
{
    return s >= 200;
}

static bool
is_success(unsigned s)
{
    return s >= 200 && s < 300;
}

void
corr_stats_compute(CorrEngine *e, CorrStats *out)
{
    memset(out, 0, sizeof *out);
    GPtrArray *msgs = corr_engine_messages(e);
    for (guint i = 0; i < msgs->len; i++) {
        const CorrMsg *m = g_ptr_array_index(msgs, i);
        if (m->role == CORR_MSG_DUPLICATE)
            continue;
        if (!m->is_request && m->status < G_N_ELEMENTS(out->response_counts))
            out->response_counts[m->status]++;
        if (m->is_request && (unsigned)m->method < G_N_ELEMENTS(out->requests_by_method))
            out->requests_by_method[m->method]++;
        if (!m->is_request || m->role != CORR_MSG_ORIGINAL || !m->txn || m->txn->request != m ||
            m->hop != 0)
            continue;
        const CorrTxn *t = m->txn;
        if (m->method == SIP_METHOD_INVITE && !m->to_tag[0]) {
            out->session_requests++;
            const CorrMsg *fin = first_response(msgs, t, is_final);
            const CorrMsg *ok = first_response(msgs, t, is_progress_or_success);
            if (ok)
                delay_add(&out->srd_success, m->ts, ok->ts);
            else if (fin && fin->status >= 300)
                delay_add(&out->srd_failure, m->ts, fin->ts);
            if (t->final_status >= 200 && t->final_status < 300)
                out->answered++;
            else if (t->final_status >= 300 && t->final_status < 400)
                out->redirected++;
            else if (t->final_status == 408 || t->final_status == 500 ||
                     t->final_status == 503 || t->final_status == 504)
                out->ineffective++;
        } else if (m->method == SIP_METHOD_BYE) {
            const CorrMsg *fin = first_response(msgs, t, is_final);
            if (fin)
                delay_add(&out->sdd, m->ts, fin->ts);
        } else if (m->method == SIP_METHOD_REGISTER) {
            const CorrMsg *ok = first_response(msgs, t, is_success);
            if (ok)
                delay_add(&out->rrd, m->ts, ok->ts);
        }
    }
}
