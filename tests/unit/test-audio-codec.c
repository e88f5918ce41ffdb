/* Unit tests: G.711 and G.722 decoding. */
#include <string.h>

#include "audio-codec.h"

static void
test_g711_points(void)
{
    /* ITU-T G.711 tables: the extremes and the smallest steps */
    g_assert_cmpint(audio_ulaw_decode(0xff), ==, 0);
    g_assert_cmpint(audio_ulaw_decode(0x7f), ==, 0);
    g_assert_cmpint(audio_ulaw_decode(0x00), ==, -32124);
    g_assert_cmpint(audio_ulaw_decode(0x80), ==, 32124);
    g_assert_cmpint(audio_ulaw_decode(0xfe), ==, 8);
    g_assert_cmpint(audio_alaw_decode(0xd5), ==, 8);
    g_assert_cmpint(audio_alaw_decode(0x55), ==, -8);
    g_assert_cmpint(audio_alaw_decode(0xaa), ==, 32256);
    g_assert_cmpint(audio_alaw_decode(0x2a), ==, -32256);
    /* mu-law is monotonic over each half */
    for (int i = 0x80; i < 0xff; i++)
        g_assert_cmpint(audio_ulaw_decode((uint8_t)i), >, audio_ulaw_decode((uint8_t)(i + 1)));
}

static void
test_decoders(void)
{
    unsigned rate = 0;
    g_assert_null(audio_decoder_new("G729", &rate));
    AudioDecoder *d = audio_decoder_new("PCMA", &rate);
    g_assert_nonnull(d);
    g_assert_cmpuint(rate, ==, 8000);
    static const uint8_t payload[] = { 0xd5, 0x55, 0xaa };
    GArray *out = g_array_new(FALSE, FALSE, sizeof(int16_t));
    audio_decoder_decode(d, sl_view_make(payload, 3), out);
    g_assert_cmpuint(out->len, ==, 3);
    g_assert_cmpint(g_array_index(out, int16_t, 2), ==, 32256);
    g_assert_cmpuint(audio_decoder_samples_for(d, 160), ==, 160);
    audio_decoder_free(d);
    if (audio_has_g722()) {
        AudioDecoder *w = audio_decoder_new("G722", &rate);
        g_assert_nonnull(w);
        g_assert_cmpuint(rate, ==, 16000);
        uint8_t silence[160];
        memset(silence, 0xff, sizeof silence);
        g_array_set_size(out, 0);
        audio_decoder_decode(w, sl_view_make(silence, sizeof silence), out);
        g_assert_cmpuint(out->len, ==, 320); /* two samples per byte at 16 kHz */
        audio_decoder_free(w);
    }
    g_array_unref(out);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/audio/g711", test_g711_points);
    g_test_add_func("/audio/decoders", test_decoders);
    return g_test_run();
}
