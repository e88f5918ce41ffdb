/* sipladder: G.711 (ITU-T G.711 section 2: 8-bit mu-law and A-law with the
 * segment/quantisation layout of Tables 1 and 2) and G.722 decoding. */
#include <string.h>

#include "audio-codec.h"
#include "sl-config.h"

#ifdef SL_HAVE_SPANDSP
#include <spandsp.h>
#endif

int16_t
audio_ulaw_decode(uint8_t u)
{
    u = (uint8_t)~u;
    int t = ((u & 0x0f) << 3) + 0x84;
    t <<= (u & 0x70) >> 4;
    return (int16_t)((u & 0x80) ? (0x84 - t) : (t - 0x84));
}

int16_t
audio_alaw_decode(uint8_t a)
{
    a ^= 0x55;
    int t = (a & 0x0f) << 4;
    int seg = (a & 0x70) >> 4;
    if (seg == 0)
        t += 8;
    else if (seg == 1)
        t += 0x108;
    else
        t = (t + 0x108) << (seg - 1);
    return (int16_t)((a & 0x80) ? t : -t);
}

typedef enum { CODEC_ULAW, CODEC_ALAW, CODEC_G722 } Codec;

struct AudioDecoder {
    Codec codec;
#ifdef SL_HAVE_SPANDSP
    g722_decode_state_t *g722;
#endif
};

bool
audio_has_g722(void)
{
#ifdef SL_HAVE_SPANDSP
    return true;
#else
    return false;
#endif
}

AudioDecoder *
audio_decoder_new(const char *encoding, unsigned *rate)
{
    AudioDecoder *d = g_new0(AudioDecoder, 1);
    if (g_ascii_strcasecmp(encoding, "PCMU") == 0 || g_ascii_strcasecmp(encoding, "g711U") == 0) {
        d->codec = CODEC_ULAW;
        *rate = 8000;
    } else if (g_ascii_strcasecmp(encoding, "PCMA") == 0 ||
               g_ascii_strcasecmp(encoding, "g711A") == 0) {
        d->codec = CODEC_ALAW;
        *rate = 8000;
#ifdef SL_HAVE_SPANDSP
    } else if (g_ascii_strcasecmp(encoding, "G722") == 0) {
        d->codec = CODEC_G722;
        d->g722 = g722_decode_init(NULL, 64000, 0);
        *rate = 16000;
#endif
    } else {
        g_free(d);
        return NULL;
    }
    return d;
}

void
audio_decoder_free(AudioDecoder *d)
{
    if (!d)
        return;
#ifdef SL_HAVE_SPANDSP
    if (d->g722)
        g722_decode_free(d->g722);
#endif
    g_free(d);
}

size_t
audio_decoder_samples_for(const AudioDecoder *d, size_t payload_len)
{
    return d->codec == CODEC_G722 ? payload_len * 2 : payload_len;
}

void
audio_decoder_decode(AudioDecoder *d, SlView payload, GArray *out)
{
    size_t n = audio_decoder_samples_for(d, payload.len);
    guint at = out->len;
    g_array_set_size(out, at + (guint)n);
    int16_t *dst = &g_array_index(out, int16_t, at);
    SlView v = payload;
    uint8_t b;
    switch (d->codec) {
    case CODEC_ULAW:
        for (size_t i = 0; sl_view_u8(&v, &b); i++)
            dst[i] = audio_ulaw_decode(b);
        break;
    case CODEC_ALAW:
        for (size_t i = 0; sl_view_u8(&v, &b); i++)
            dst[i] = audio_alaw_decode(b);
        break;
    case CODEC_G722: {
#ifdef SL_HAVE_SPANDSP
        int got = g722_decode(d->g722, dst, payload.p, (int)payload.len);
        g_array_set_size(out, at + (guint)MAX(got, 0));
#endif
        break;
    }
    }
}
