/* sipladder: helpers shared by the fuzz targets (STYLE.md section 10).
 *
 * A fuzz target must assert facts, not only survive: the checks below
 * verify documented contracts (every view lies inside the bytes it
 * borrows from, counts stay within their bounds, statuses are the ones a
 * function may return, accessors agree with the parsed fields) and call
 * abort() when one fails, so that libFuzzer and the replay runner report
 * it like a crash. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cap-decode.h"
#include "sdp.h"
#include "sip-dissect.h"
#include "sip-msg.h"

G_BEGIN_DECLS

/* The entry point of every target (libFuzzer's interface). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Makes GLib criticals and warnings fatal (a g_return_if_fail() reached
 * from packet bytes is a bug). Cheap after the first call. */
void fuzz_init(void);

void fuzz_fail(const char *file, int line, const char *what) G_GNUC_NORETURN;

#define FUZZ_CHECK(cond)                                  \
    do {                                                  \
        if (G_UNLIKELY(!(cond)))                          \
            fuzz_fail(__FILE__, __LINE__, #cond);         \
    } while (0)

/* Reads every byte of @v (AddressSanitizer reports a view that points
 * outside its buffer). Returns a value that depends on the bytes. */
uint32_t fuzz_touch(SlView v);

/* True when @inner is empty or lies entirely inside @outer. */
bool fuzz_view_within(SlView inner, SlView outer);

/* Checks a SipMsg returned by sip_msg_parse(@data, @framing) with status
 * @st and runs the typed accessors over it: header values through
 * sip_msg_next_value(), sip_via_parse(), sip_name_addr_parse(),
 * sip_uri_parse() on the Request-URI, multipart iteration,
 * sip_msg_find_sdp() and sdp_parse() (checked with fuzz_check_sdp()). */
void fuzz_check_sip_msg(const SipMsg *msg, SlView data, SipFraming framing, SlStatus st);

/* Checks the result of sdp_parse(@body) = @st with error record @err
 * (zero-initialised before the call) and looks up the payload types that
 * every media lists. */
void fuzz_check_sdp(const Sdp *sdp, SlView body, SlStatus st, const SlError *err);

/* Replaces the contents of a memory file (memfd_create, made at the
 * first call) with @data and returns its path, /proc/self/fd/N, for the
 * functions that open a capture by name. */
const char *fuzz_memfd_store(const uint8_t *data, size_t size);

/* --- The reading pipeline: decoder -> SIP dissector, with checks. --- */

typedef struct {
    CapDecoder *dec;
    SipDissector *sip;
    uint64_t fed;        /* frames given to cap_decoder_feed */
    uint64_t current;    /* frame number being fed, 0 in finish */
    uint64_t delivered;  /* CapPacket callbacks seen */
    uint64_t found;      /* SipFound callbacks seen */
    /* false: SIP messages found get only the SipFound checks, not
     * fuzz_check_sip_msg() (for targets whose subject is elsewhere and
     * whose speed matters; fuzz-sip checks messages in depth) */
    bool check_messages;
} FuzzPipeline;

/* @limits may be NULL for the defaults. Sets check_messages. */
void fuzz_pipeline_init(FuzzPipeline *fp, const CapLimits *limits);
/* Feeds one frame and checks the decoder's counters. */
void fuzz_pipeline_feed(FuzzPipeline *fp, const CapFrame *frame, uint32_t source_id);
/* cap_decoder_finish(), final checks, frees everything. */
void fuzz_pipeline_finish(FuzzPipeline *fp);

G_END_DECLS
