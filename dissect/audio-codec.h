/* sipladder: decoding of RTP audio payloads to 16-bit linear PCM: G.711
 * mu-law and A-law (ITU-T G.711), and G.722 through spandsp when the build
 * found it. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "view.h"

G_BEGIN_DECLS

int16_t audio_ulaw_decode(uint8_t u);
int16_t audio_alaw_decode(uint8_t a);

typedef struct AudioDecoder AudioDecoder;

/* A decoder for an encoding name ("PCMU", "PCMA", "G722"); NULL when the
 * encoding cannot be decoded here. *@rate gets the output sample rate. */
AudioDecoder *audio_decoder_new(const char *encoding, unsigned *rate);
void audio_decoder_free(AudioDecoder *d);
/* Appends the samples of one payload to @out (int16_t). */
void audio_decoder_decode(AudioDecoder *d, SlView payload, GArray *out);
/* Samples of silence that stand for one lost packet of @payload_len bytes. */
size_t audio_decoder_samples_for(const AudioDecoder *d, size_t payload_len);
/* Whether G.722 decoding is available in this build. */
bool audio_has_g722(void);

G_END_DECLS
