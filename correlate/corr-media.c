/* sipladder: binding RTP streams to calls by SDP (RFC 3264 offer/answer:
 * an m= line's connection address and port say where its author wants to
 * receive), media findings, and each call's MOS. */
#include <math.h>
#include <string.h>

#include "corr-media.h"
#include "corr-private.h"
#include "rtp-event.h"
#include "rtp-pt.h"
#include "rtp-quality.h"

/* A stream may start shortly before the SDP that announces it is seen
 * (early media racing the 183, captures at another point). */
#define SDP_SLACK (2 * SL_TIME_SECOND)
/* An address announced by a call that ended longer ago than this has
 * been reused by someone else. */
#define REUSE_AFTER (60 * SL_TIME_SECOND)
#define GAP_MS 1000.0
#define LOSS_FINDING_PCT 5.0

typedef struct {
    CorrCall *call;
    const CorrMsg *msg;
    const CorrMedia *media;
} Announce;

/* SDP endpoint (ip and port) -> GArray of Announce, over every live call. */
static GHashTable *
index_sdp(CorrEngine *e, GHashTable **by_ip)
{
    GHashTable *idx = g_hash_table_new_full(sl_addr_hash_func, sl_addr_equal_func, g_free,
                                            (GDestroyNotify)g_array_unref);
    *by_ip = g_hash_table_new_full(sl_addr_hash_func, sl_addr_equal_func, g_free,
                                   (GDestroyNotify)g_array_unref);
    GPtrArray *calls = corr_engine_calls(e);
    for (guint i = 0; i < calls->len; i++) {
        CorrCall *c = g_ptr_array_index(calls, i);
        for (guint k = 0; k < c->msgs->len; k++) {
            const CorrMsg *m = g_ptr_array_index(c->msgs, k);
            if (!m->media || m->role != CORR_MSG_ORIGINAL)
                continue;
            for (guint j = 0; j < m->media->len; j++) {
                const CorrMedia *md = &g_array_index(m->media, CorrMedia, j);
                if (md->addr.family == SL_AF_NONE || md->addr.port == 0)
                    continue;
                Announce a = { c, m, md };
                for (int pass = 0; pass < 2; pass++) {
                    GHashTable *t = pass ? *by_ip : idx;
                    SlAddr key = md->addr;
                    if (pass)
                        key.port = 0;
                    GArray *list = g_hash_table_lookup(t, &key);
                    if (!list) {
                        list = g_array_new(FALSE, FALSE, sizeof(Announce));
                        g_hash_table_insert(t, g_memdup2(&key, sizeof key), list);
                    }
                    g_array_append_val(list, a);
                }
            }
        }
    }
    return idx;
}

/* The announcement that best explains a stream starting at @t: the latest
 * one before it (with slack), else the first one after. */
static const Announce *
best(GArray *list, SlTime t)
{
    const Announce *before = NULL, *after = NULL;
    for (guint i = 0; list && i < list->len; i++) {
        const Announce *a = &g_array_index(list, Announce, i);
        if (a->msg->ts <= t + SDP_SLACK) {
            if (!before || a->msg->ts >= before->msg->ts)
                before = a;
        } else if (!after || a->msg->ts < after->msg->ts) {
            after = a;
        }
    }
    if (before && before->call->end + REUSE_AFTER < t)
        before = NULL; /* that call was long over: address reused */
    return before ? before : after;
}

static bool
call_announced(const CorrCall *c, const SlAddr *a)
{
    for (guint k = 0; k < c->msgs->len; k++) {
        const CorrMsg *m = g_ptr_array_index(c->msgs, k);
        for (guint j = 0; m->media && j < m->media->len; j++)
            if (sl_addr_equal(&g_array_index(m->media, CorrMedia, j).addr, a))
                return true;
    }
    return false;
}

static bool
call_offers_pt(const CorrCall *c, unsigned pt)
{
    bool any = false;
    for (guint k = 0; k < c->msgs->len; k++) {
        const CorrMsg *m = g_ptr_array_index(c->msgs, k);
        for (guint j = 0; m->media && j < m->media->len; j++) {
            const CorrMedia *md = &g_array_index(m->media, CorrMedia, j);
            for (guint p = 0; p < md->n_pts; p++) {
                any = true;
                if (md->pts[p] == pt)
                    return true;
            }
        }
    }
    return !any; /* nothing offered: nothing to compare with */
}

/* Whether any SDP of the call asked for media in one direction or none
 * (sendonly, recvonly, inactive: hold, RFC 3264 section 8.4). */
static bool
call_has_hold(const CorrCall *c)
{
    for (guint k = 0; k < c->msgs->len; k++) {
        const CorrMsg *m = g_ptr_array_index(c->msgs, k);
        for (guint j = 0; m->media && j < m->media->len; j++)
            if (g_strcmp0(g_array_index(m->media, CorrMedia, j).direction, "sendrecv") != 0)
                return true;
    }
    return false;
}

static const CorrMsg *
first_bye(const CorrCall *c)
{
    for (guint k = 0; k < c->msgs->len; k++) {
        const CorrMsg *m = g_ptr_array_index(c->msgs, k);
        if (m->is_request && m->method == SIP_METHOD_BYE && m->role == CORR_MSG_ORIGINAL)
            return m;
    }
    return NULL;
}

/* The codec name of a payload type as the call's SDP named it, else the
 * static table's name, into @out. */
static void
codec_of(const CorrCall *c, unsigned pt, char out[32])
{
    for (guint k = 0; c && k < c->msgs->len; k++) {
        const CorrMsg *m = g_ptr_array_index(c->msgs, k);
        for (guint j = 0; m->media && j < m->media->len; j++) {
            const CorrMedia *md = &g_array_index(m->media, CorrMedia, j);
            for (guint p = 0; p < md->n_pts; p++) {
                if (md->pts[p] != pt)
                    continue;
                /* codecs lists "NAME/rate" in the order of pts */
                g_auto(GStrv) names = g_strsplit(md->codecs, " ", -1);
                if (p < g_strv_length(names)) {
                    char *slash = strchr(names[p], '/');
                    if (slash)
                        *slash = '\0';
                    g_strlcpy(out, names[p], 32);
                    return;
                }
            }
        }
    }
    const RtpPtInfo *info = rtp_pt_static(pt);
    g_strlcpy(out, info ? info->name : rtp_stream_pt_short_name(pt), 32);
}

static void
stream_findings(CorrCall *c, const RtpStream *s, const CorrStreamInfo *info)
{
    char src[SL_ADDR_STRLEN], dst[SL_ADDR_STRLEN];
    sl_addr_str(&s->src, src);
    sl_addr_str(&s->dst, dst);
    if (!call_announced(c, &s->dst))
        corr_call_add_finding(c, "unannounced-port", s->first_frame, 0, s->id,
                              "RTP to %s, a port no SDP of the call announced", dst);
    else if (!call_announced(c, &s->src))
        corr_call_add_finding(c, "nat", s->first_frame, 0, s->id,
                              "RTP from %s, an address or port no SDP of the call announced "
                              "(NAT or a misconfigured media address)", src);
    for (guint i = 0; s->payload_types && i < s->payload_types->len; i++) {
        unsigned pt = g_array_index(s->payload_types, guint8, i);
        if (!call_offers_pt(c, pt))
            corr_call_add_finding(c, "payload-type", s->first_frame, 0, s->id,
                                  "payload type %u from %s was not offered in SDP", pt, src);
    }
    if (s->has_delta && s->max_delta_ms > GAP_MS)
        corr_call_add_finding(c, "gap", s->max_delta_frame, 0, s->id,
                              "%.0f ms without RTP from %s", s->max_delta_ms, src);
    if (s->lost_pct >= LOSS_FINDING_PCT)
        corr_call_add_finding(c, "packet-loss", s->last_frame, 0, s->id,
                              "%.1f %% of the packets from %s lost", s->lost_pct, src);
    const CorrMsg *bye = first_bye(c);
    if (bye && s->last_ts > bye->ts + SL_TIME_SECOND)
        corr_call_add_finding(c, "media-after-bye", s->last_frame, 0, s->id,
                              "RTP from %s went on %.1f s after the BYE (frame %" G_GUINT64_FORMAT ")",
                              src, sl_time_to_seconds(s->last_ts - bye->ts), bye->frame);
    (void)info;
}

static void
call_findings(CorrCall *c)
{
    if (!c->streams)
        return;
    for (guint i = 0; i < c->streams->len; i++) {
        const RtpStream *s = g_ptr_array_index(c->streams, i);
        /* the same direction with another SSRC, starting after this one */
        for (guint k = 0; k < c->streams->len; k++) {
            const RtpStream *o = g_ptr_array_index(c->streams, k);
            if (o != s && o->ssrc != s->ssrc && sl_addr_equal(&o->src, &s->src) &&
                sl_addr_equal(&o->dst, &s->dst) && o->first_ts > s->first_ts &&
                o->first_ts <= s->last_ts + SL_TIME_SECOND) {
                corr_call_add_finding(c, "ssrc-change", o->first_frame, 0, o->id,
                                      "SSRC changed from 0x%08X to 0x%08X mid-stream", s->ssrc,
                                      o->ssrc);
                break;
            }
        }
    }
    bool answered = c->state == CORR_STATE_IN_CALL || c->state == CORR_STATE_COMPLETED;
    if (!answered || call_has_hold(c))
        return; /* on hold, media in one direction is what was asked for */
    for (guint i = 0; i < c->streams->len; i++) {
        const RtpStream *s = g_ptr_array_index(c->streams, i);
        bool reverse = false;
        for (guint k = 0; k < c->streams->len && !reverse; k++) {
            const RtpStream *o = g_ptr_array_index(c->streams, k);
            reverse = sl_addr_ip_equal(&o->src, &s->dst) && sl_addr_ip_equal(&o->dst, &s->src);
        }
        if (!reverse) {
            char src[SL_ADDR_STRLEN], dst[SL_ADDR_STRLEN];
            corr_call_add_finding(c, "one-way-audio", s->first_frame, 0, s->id,
                                  "RTP flows from %s to %s but never back", sl_addr_str(&s->src, src),
                                  sl_addr_str(&s->dst, dst));
            return;
        }
    }
}

typedef struct {
    const CorrMediaCollector *collector; /* the owner */
    GArray *seconds;    /* CorrSecond */
    uint64_t lost_seen; /* quality.lost when the series last looked */
    /* The second the last packet counted in: packets from @cur_from to
     * @cur_to (capture times) count in @cur, the element @cur_index of
     * @seconds kept here and written back when another second starts or
     * the series is read (a packet touches this struct alone). */
    SlTime cur_from, cur_to;
    guint cur_index;
    bool has_cur;
    CorrSecond cur;
} Series;

static void
series_flush(Series *se)
{
    if (se->has_cur)
        g_array_index(se->seconds, CorrSecond, se->cur_index) = se->cur;
}

static void
series_free(gpointer p)
{
    Series *se = p;
    g_array_unref(se->seconds);
    g_free(se);
}

struct CorrMediaCollector {
    GHashTable *events; /* RtpStream* -> GArray of CorrDtmf */
    GHashTable *last_ts; /* RtpStream* -> RTP timestamp of the last event (+1) */
    GHashTable *series;  /* RtpStream* -> Series* */
};

const GArray *
corr_media_series(const CorrMediaCollector *c, const RtpStream *s)
{
    Series *se = c ? g_hash_table_lookup(c->series, s) : NULL;
    if (!se)
        return NULL;
    series_flush(se);
    return se->seconds;
}

static void
series_packet(CorrMediaCollector *c, RtpStream *s, const CapPacket *pkt)
{
    /* the stream keeps a pointer to its series: no lookup per packet */
    Series *se = s->observer_data;
    if (!se || se->collector != c) {
        se = g_hash_table_lookup(c->series, s);
        if (!se) {
            se = g_new0(Series, 1);
            se->seconds = g_array_new(FALSE, TRUE, sizeof(CorrSecond));
            se->collector = c;
            g_hash_table_insert(c->series, s, se);
        }
        s->observer_data = se;
    }
    if (!se->has_cur || pkt->ts < se->cur_from || pkt->ts >= se->cur_to) {
        SlTime rel = pkt->ts - s->first_ts;
        guint sec = rel > 0 ? (guint)(rel / SL_TIME_SECOND) : 0;
        if (sec >= CORR_SERIES_MAX)
            return;
        series_flush(se);
        if (sec >= se->seconds->len)
            g_array_set_size(se->seconds, sec + 1);
        se->cur = g_array_index(se->seconds, CorrSecond, sec);
        se->cur_index = sec;
        se->has_cur = true;
        /* the packets of that second; before the stream's first packet,
         * only this one (they count in second 0 each on their own) */
        se->cur_from = rel > 0 ? s->first_ts + (SlTime)sec * SL_TIME_SECOND : pkt->ts;
        /* saturated: a capture's clock may stand at the largest SlTime */
        SlTime span = rel > 0 ? SL_TIME_SECOND : 1;
        se->cur_to = se->cur_from <= G_MAXINT64 - span ? se->cur_from + span : G_MAXINT64;
    }
    se->cur.packets++;
    se->cur.lost += (uint32_t)(s->quality.lost - se->lost_seen);
    se->lost_seen = s->quality.lost;
    se->cur.jitter_ms = (float)s->calc.jitter;
}

CorrMediaCollector *
corr_media_collector_new(void)
{
    CorrMediaCollector *c = g_new0(CorrMediaCollector, 1);
    c->events = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_array_unref);
    c->last_ts = g_hash_table_new(NULL, NULL);
    c->series = g_hash_table_new_full(NULL, NULL, NULL, series_free);
    return c;
}

void
corr_media_collector_free(CorrMediaCollector *c)
{
    if (!c)
        return;
    g_hash_table_destroy(c->events);
    g_hash_table_destroy(c->last_ts);
    g_hash_table_destroy(c->series);
    g_free(c);
}

/* An RFC 4733 event is sent in several packets with one RTP timestamp
 * (section 2.5.1.2); the digit counts once, its duration from the end
 * packet. */
void
corr_media_packet(RtpStream *s, const CapPacket *pkt, SlView payload, unsigned pt,
                  const char *name, uint32_t clock_rate, gpointer user)
{
    CorrMediaCollector *c = user;
    series_packet(c, s, pkt);
    if (!name || (g_ascii_strcasecmp(name, "telephone-event") != 0 &&
                  g_ascii_strcasecmp(name, "rtpevent") != 0))
        return;
    RtpEvent ev;
    if (rtp_event_parse(payload, &ev) != SL_OK || ev.event > 16)
        return;
    uint32_t ts;
    SlView v = pkt->payload;
    if (!sl_view_skip(&v, 4) || !sl_view_be32(&v, &ts))
        return;
    GArray *list = g_hash_table_lookup(c->events, s);
    if (!list) {
        list = g_array_new(FALSE, FALSE, sizeof(CorrDtmf));
        g_hash_table_insert(c->events, s, list);
    }
    guint key = GPOINTER_TO_UINT(g_hash_table_lookup(c->last_ts, s));
    unsigned rate = clock_rate ? clock_rate : 8000; /* RFC 4733: the audio's rate, 8000 usually */
    if (key && key - 1 == ts && list->len) {
        CorrDtmf *last = &g_array_index(list, CorrDtmf, list->len - 1);
        last->duration_ms = (unsigned)((uint64_t)ev.duration * 1000 / rate);
        return;
    }
    if (list->len >= 1000)
        return; /* a bound per stream */
    g_hash_table_insert(c->last_ts, s, GUINT_TO_POINTER(ts + 1));
    CorrDtmf d = { rtp_event_char(ev.event), pkt->ts, pkt->frame,
                   (unsigned)((uint64_t)ev.duration * 1000 / rate), ev.volume, true, pkt->src };
    g_array_append_val(list, d);
    (void)pt;
}

CorrStreamInfo *
corr_media_bind(CorrEngine *e, GPtrArray *streams, CorrMediaCollector *collector)
{
    GHashTable *by_ip;
    GHashTable *idx = index_sdp(e, &by_ip);
    CorrStreamInfo *info = g_new0(CorrStreamInfo, streams->len ? streams->len : 1);
    GPtrArray *calls = corr_engine_calls(e);
    for (guint i = 0; i < calls->len; i++) {
        CorrCall *c = g_ptr_array_index(calls, i);
        g_clear_pointer(&c->streams, g_ptr_array_unref);
        c->mos_worst = c->mos_mean = -1;
    }
    for (guint i = 0; i < streams->len; i++) {
        RtpStream *s = g_ptr_array_index(streams, i);
        CorrStreamInfo *in = &info[i];
        const Announce *a = best(g_hash_table_lookup(idx, &s->dst), s->first_ts);
        if (!a)
            a = best(g_hash_table_lookup(idx, &s->src), s->first_ts);
        if (!a) {
            SlAddr ip = s->dst;
            ip.port = 0;
            a = best(g_hash_table_lookup(by_ip, &ip), s->first_ts);
        }
        if (!a) {
            SlAddr ip = s->src;
            ip.port = 0;
            a = best(g_hash_table_lookup(by_ip, &ip), s->first_ts);
        }
        unsigned pt = s->payload_types && s->payload_types->len
                          ? g_array_index(s->payload_types, guint8, 0)
                          : 0;
        in->r_factor = in->mos = -1;
        if (a) {
            in->call = a->call;
            in->leg = a->msg->leg;
            s->owner = a->call;
            if (!a->call->streams)
                a->call->streams = g_ptr_array_new();
            g_ptr_array_add(a->call->streams, s);
            GArray *ev = collector ? g_hash_table_lookup(collector->events, s) : NULL;
            for (guint k = 0; ev && k < ev->len; k++)
                corr_call_add_dtmf(a->call, &g_array_index(ev, CorrDtmf, k));
        }
        codec_of(in->call, pt, in->codec);
        if (s->clock_rate && pt != 13 && pt != 19 && s->packets > 1 &&
            g_ascii_strcasecmp(in->codec, "telephone-event") != 0) {
            rtp_quality_result(&s->quality, in->codec, s->has_delta ? s->mean_delta_ms : 20,
                               s->has_jitter ? s->mean_jitter_ms : 0, -1, &in->quality);
            in->r_factor = in->quality.r_factor;
            in->mos = in->quality.mos;
        }
    }
    for (guint i = 0; i < calls->len; i++) {
        CorrCall *c = g_ptr_array_index(calls, i);
        if (!c->streams)
            continue;
        double sum = 0;
        guint n = 0;
        for (guint k = 0; k < c->streams->len; k++) {
            const RtpStream *s = g_ptr_array_index(c->streams, k);
            guint at = 0;
            g_ptr_array_find(streams, s, &at);
            stream_findings(c, s, &info[at]);
            if (info[at].mos < 0)
                continue;
            sum += info[at].mos;
            n++;
            if (c->mos_worst < 0 || info[at].mos < c->mos_worst)
                c->mos_worst = info[at].mos;
        }
        c->mos_mean = n ? sum / n : -1;
        call_findings(c);
    }
    g_hash_table_destroy(idx);
    g_hash_table_destroy(by_ip);
    return info;
}
