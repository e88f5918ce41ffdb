/* sipladder GUI: saving calls as a new capture (see ui-save.h). */
#include "ui-save.h"

#include <pcap/pcap.h>

#include "cap-decode.h"
#include "cap-source.h"
#include "rtp-stream.h"
#include "status.h"

typedef struct {
    SlAddr src, dst;
    uint32_t ssrc;
    SlTime first_ts, last_ts;
} StreamKey;

struct UiSaveSpec {
    char **sources;      /* read as one capture, frames merged by time */
    GHashTable *frames;  /* gint64* frame_key() -> itself: SIP frames */
    GArray *streams;     /* StreamKey */
};

/* A frame of source @file (its index in the sources). */
static gint64
frame_key(guint file, uint64_t frame)
{
    return (gint64)(((uint64_t)file << 48) | (frame & ((1ull << 48) - 1)));
}

typedef struct {
    const UiSaveSpec *spec;
    bool keep;           /* the frame being decoded carries a chosen packet */
} ReadState;

UiSaveSpec *
ui_save_spec_new(const char *source)
{
    const char *const sources[] = { source, NULL };
    return ui_save_spec_new_files(sources);
}

UiSaveSpec *
ui_save_spec_new_files(const char *const *sources)
{
    UiSaveSpec *s = g_new0(UiSaveSpec, 1);
    s->sources = g_strdupv((char **)sources);
    s->frames = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    s->streams = g_array_new(FALSE, FALSE, sizeof(StreamKey));
    return s;
}

void
ui_save_spec_free(UiSaveSpec *s)
{
    if (!s)
        return;
    g_strfreev(s->sources);
    g_hash_table_destroy(s->frames);
    g_array_unref(s->streams);
    g_free(s);
}

void
ui_save_spec_add_call(UiSaveSpec *s, const CorrCall *call)
{
    for (guint i = 0; call->msgs && i < call->msgs->len; i++) {
        const CorrMsg *m = g_ptr_array_index(call->msgs, i);
        gint64 *f = g_new(gint64, 1);
        *f = frame_key(m->file, m->frame);
        g_hash_table_add(s->frames, f);
    }
    for (guint i = 0; call->streams && i < call->streams->len; i++) {
        const RtpStream *st = g_ptr_array_index(call->streams, i);
        StreamKey k = { st->src, st->dst, st->ssrc, st->first_ts, st->last_ts };
        g_array_append_val(s->streams, k);
    }
}

guint
ui_save_spec_n_frames(const UiSaveSpec *s)
{
    return g_hash_table_size(s->frames);
}

/* RTP header: the SSRC is the 32-bit word at byte 8 (RFC 3550 5.1). */
static bool
rtp_ssrc(SlView payload, uint32_t *ssrc)
{
    SlView v = payload;
    SlView head;
    if (!sl_view_take(&v, 12, &head) || (sl_view_at(head, 0) >> 6) != 2)
        return false;
    *ssrc = (uint32_t)sl_view_at(head, 8) << 24 | (uint32_t)sl_view_at(head, 9) << 16 |
            (uint32_t)sl_view_at(head, 10) << 8 | (uint32_t)sl_view_at(head, 11);
    return true;
}

static void
on_packet(const CapPacket *pkt, gpointer user)
{
    ReadState *rs = user;
    if (pkt->transport != CAP_TRANSPORT_UDP || rs->spec->streams->len == 0)
        return;
    uint32_t ssrc;
    if (!rtp_ssrc(pkt->payload, &ssrc))
        return;
    for (guint i = 0; i < rs->spec->streams->len; i++) {
        const StreamKey *k = &g_array_index(rs->spec->streams, StreamKey, i);
        if (k->ssrc == ssrc && pkt->ts >= k->first_ts && pkt->ts <= k->last_ts &&
            sl_addr_equal(&k->src, &pkt->src) && sl_addr_equal(&k->dst, &pkt->dst)) {
            rs->keep = true;
            return;
        }
    }
}

typedef struct {
    CapSource *src;
    CapFrame frame;      /* its next frame, when has_frame */
    bool has_frame;
    guint index;
} SaveInput;

/* Reads the next frame of @in; false at its end, or on a read error
 * (@error set: it names the source and frame). */
static bool
input_next(SaveInput *in, GError **error)
{
    CapReadResult r = cap_source_next(in->src, &in->frame, error);
    in->has_frame = r == CAP_READ_FRAME;
    return in->has_frame || r != CAP_READ_ERROR;
}

bool
ui_save_spec_write(const UiSaveSpec *s, const char *dest, guint64 *written, GError **error)
{
    *written = 0;
    guint n = g_strv_length(s->sources);
    g_autofree SaveInput *in = g_new0(SaveInput, n);
    bool ok = true;
    for (guint i = 0; i < n && ok; i++) {
        in[i].index = i;
        in[i].src = cap_source_open_file(s->sources[i], error);
        ok = in[i].src && input_next(&in[i], error);
        if (in[i].src)
            in[i].src->id = i;
    }
    ReadState rs = { s, false };
    g_autoptr(CapDecoder) dec = cap_decoder_new(NULL, on_packet, &rs);
    pcap_t *dead = NULL;
    pcap_dumper_t *out = NULL;
    guint64 other_link = 0;
    while (ok) {
        /* the earliest frame of every source (the earlier source on a
         * tie), as the load read them */
        SaveInput *next = NULL;
        for (guint i = 0; i < n; i++)
            if (in[i].has_frame && (!next || in[i].frame.ts < next->frame.ts))
                next = &in[i];
        if (!next)
            break;
        const CapFrame *frame = &next->frame;
        rs.keep = false;
        cap_decoder_feed(dec, frame, next->index);
        gint64 f = frame_key(next->index, frame->frame);
        if (rs.keep || g_hash_table_contains(s->frames, &f)) {
            if (!dead) {
                dead = pcap_open_dead_with_tstamp_precision(frame->linktype, 262144,
                                                            PCAP_TSTAMP_PRECISION_NANO);
                out = dead ? pcap_dump_open(dead, dest) : NULL;
                if (!out) {
                    g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_WRITE, "Cannot write %s: %s",
                                dest, dead ? pcap_geterr(dead) : "out of memory");
                    ok = false;
                    break;
                }
            }
            if (frame->linktype != pcap_datalink(dead)) {
                other_link++;
            } else {
                struct pcap_pkthdr h = { 0 };
                h.ts.tv_sec = (time_t)(frame->ts / SL_TIME_SECOND);
                h.ts.tv_usec = (suseconds_t)(frame->ts % SL_TIME_SECOND); /* ns: opened with NANO */
                h.caplen = frame->cap_len;
                h.len = frame->wire_len;
                pcap_dump((u_char *)out, &h, frame->data);
                (*written)++;
            }
        }
        ok = input_next(next, error);
    }
    if (out && pcap_dump_flush(out) != 0 && ok) {
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_WRITE, "Cannot write %s", dest);
        ok = false;
    }
    if (out)
        pcap_dump_close(out);
    if (dead)
        pcap_close(dead);
    for (guint i = 0; i < n; i++)
        if (in[i].src)
            cap_source_free(in[i].src);
    if (ok && *written == 0) {
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_WRITE, "%s: no frame of the selected calls found",
                    s->sources[0]);
        ok = false;
    }
    if (ok && other_link)
        g_debug("%s: %" G_GUINT64_FORMAT " frames of another link type not saved", dest,
                other_link);
    return ok;
}

typedef struct {
    UiSaveSpec *spec;
    char *dest;
} WriteJob;

static void
job_free(gpointer p)
{
    WriteJob *j = p;
    ui_save_spec_free(j->spec);
    g_free(j->dest);
    g_free(j);
}

static void
write_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancel)
{
    WriteJob *j = data;
    guint64 n = 0;
    GError *error = NULL;
    if (ui_save_spec_write(j->spec, j->dest, &n, &error))
        g_task_return_int(task, (gssize)n);
    else
        g_task_return_error(task, error);
}

void
ui_save_spec_write_async(UiSaveSpec *s, const char *dest, GCancellable *cancel,
                         GAsyncReadyCallback done, gpointer user)
{
    WriteJob *j = g_new0(WriteJob, 1);
    j->spec = s;
    j->dest = g_strdup(dest);
    g_autoptr(GTask) task = g_task_new(NULL, cancel, done, user);
    g_task_set_task_data(task, j, job_free);
    g_task_run_in_thread(task, write_thread);
}

gint64
ui_save_spec_write_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_int(G_TASK(res), error);
}
