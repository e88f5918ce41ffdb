/* sipladder-cli audio: one RTP stream decoded to a WAV file (G.711 mu-law
 * and A-law; G.722 where spandsp is available), silence for lost packets. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "audio-codec.h"
#include "cli.h"
#include "corr-media.h"
#include "rtp.h"

typedef struct {
    SlAddr src, dst;
    uint32_t ssrc;
    AudioDecoder *dec;
    GArray *samples;     /* int16_t */
    bool started;
    uint16_t next_seq;
    size_t last_samples; /* samples of the last packet: the size of a gap's packets */
    uint64_t lost_packets;
} AudioCtx;

static void
on_packet(const CliFileInfo *info, const CapPacket *pkt, gpointer user)
{
    AudioCtx *a = user;
    if (pkt->transport != CAP_TRANSPORT_UDP || !sl_addr_equal(&pkt->src, &a->src) ||
        !sl_addr_equal(&pkt->dst, &a->dst))
        return;
    RtpHdr h;
    if (rtp_hdr_parse(pkt->payload, &h, NULL) != SL_OK || h.ssrc != a->ssrc)
        return;
    size_t n = audio_decoder_samples_for(a->dec, h.payload.len);
    if (a->started) {
        int16_t step = (int16_t)(uint16_t)(h.seq - a->next_seq);
        if (step < 0)
            return; /* late or duplicate: already played or filled */
        if (step > 0 && step < 1000) {
            /* lost packets become silence of their length */
            size_t fill = (size_t)step * (a->last_samples ? a->last_samples : n);
            guint at = a->samples->len;
            g_array_set_size(a->samples, at + (guint)fill);
            memset(&g_array_index(a->samples, int16_t, at), 0, fill * sizeof(int16_t));
            a->lost_packets += (uint64_t)step;
        }
    }
    a->started = true;
    a->next_seq = (uint16_t)(h.seq + 1);
    a->last_samples = n;
    audio_decoder_decode(a->dec, h.payload, a->samples);
}

static void
put_le(FILE *f, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        fputc((int)((v >> (8 * i)) & 0xff), f);
}

/* RIFF/WAVE, PCM 16-bit mono. */
static bool
write_wav(const char *path, const GArray *samples, unsigned rate, GError **error)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", path,
                    g_strerror(errno));
        return false;
    }
    uint32_t data = samples->len * 2;
    fwrite("RIFF", 1, 4, f);
    put_le(f, 36 + data, 4);
    fwrite("WAVEfmt ", 1, 8, f);
    put_le(f, 16, 4);   /* fmt chunk size */
    put_le(f, 1, 2);    /* PCM */
    put_le(f, 1, 2);    /* mono */
    put_le(f, rate, 4);
    put_le(f, rate * 2, 4);
    put_le(f, 2, 2);    /* block align */
    put_le(f, 16, 2);   /* bits per sample */
    fwrite("data", 1, 4, f);
    put_le(f, data, 4);
    for (guint i = 0; i < samples->len; i++)
        put_le(f, (uint16_t)g_array_index(samples, int16_t, i), 2);
    if (fclose(f) != 0) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "%s: write failed", path);
        return false;
    }
    return true;
}

int
cli_cmd_audio(int argc, char **argv)
{
    gint id = 0;
    g_autofree char *out = NULL;
    g_auto(GStrv) files = NULL;
    GOptionEntry entries[] = {
        { "stream", 's', 0, G_OPTION_ARG_INT, &id, "The stream's id (from 'rtp')", "N" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "WAV file to write", "FILE" },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE..." },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) oc = g_option_context_new("FILE... - decode an RTP stream to WAV");
    g_option_context_add_main_entries(oc, entries, NULL);
    g_option_context_add_main_entries(oc, cli_limit_entries(), NULL);
    g_option_context_set_description(oc,
        "Decodes stream N (as numbered by 'rtp') to 16-bit mono WAV: G.711 mu-law\n"
        "and A-law, and G.722 when built with spandsp. Lost packets become silence\n"
        "of the same length; late and duplicate packets are skipped.\n"
        "Exit status: 0 success, 1 input error, unknown stream or codec, 2 bad usage.");
    g_autoptr(GError) error = NULL;
    if (!g_option_context_parse(oc, &argc, &argv, &error)) {
        g_printerr("sipladder-cli audio: %s\n", error->message);
        return CLI_EXIT_USAGE;
    }
    int limits_ok = cli_limits_check("audio");
    if (limits_ok != CLI_EXIT_OK)
        return limits_ok;
    if (!files || !files[0] || id <= 0 || !out) {
        g_printerr("sipladder-cli audio: --stream N, -o FILE and a capture file are needed\n");
        return CLI_EXIT_USAGE;
    }
    int status;
    g_autoptr(CorrEngine) engine = corr_engine_new(NULL);
    CliMedia *media = cli_media_read(files, engine, &status);
    GPtrArray *streams = cli_media_streams(media);
    if ((guint)id > streams->len) {
        g_printerr("sipladder-cli audio: no stream %d (there are %u)\n", id, streams->len);
        cli_media_free(media);
        return CLI_EXIT_INPUT;
    }
    const RtpStream *s = g_ptr_array_index(streams, id - 1);
    const char *codec = cli_media_codec(media, (guint)id - 1);
    AudioCtx a = { .src = s->src, .dst = s->dst, .ssrc = s->ssrc };
    unsigned rate = 0;
    a.dec = codec ? audio_decoder_new(codec, &rate) : NULL;
    if (!a.dec) {
        g_printerr("sipladder-cli audio: stream %d is %s, which cannot be decoded (G.711%s only)\n",
                   id, codec ? codec : "of an unknown codec", audio_has_g722() ? " and G.722" : "");
        cli_media_free(media);
        return CLI_EXIT_INPUT;
    }
    cli_media_free(media);
    a.samples = g_array_new(FALSE, FALSE, sizeof(int16_t));
    int st2 = cli_read_files_packets(files, NULL, on_packet, &a);
    bool ok = write_wav(out, a.samples, rate, &error);
    if (ok)
        g_printerr("sipladder-cli audio: %s: %.2f s at %u Hz, %" G_GUINT64_FORMAT
                   " lost packets as silence\n",
                   out, (double)a.samples->len / rate, rate, a.lost_packets);
    else
        g_printerr("sipladder-cli audio: %s\n", error->message);
    g_array_unref(a.samples);
    audio_decoder_free(a.dec);
    if (!ok)
        return CLI_EXIT_INPUT;
    return status != CLI_EXIT_OK ? status : st2;
}
