/* sipladder fuzz target: the SIP message parser (dissect/sip-msg.c,
 * sip-uri.c, sip-body.c) and, through the message's body, the SDP parser.
 *
 * The input is one payload. It is parsed
 *   - as a datagram (UDP/SCTP framing);
 *   - as a stream (TCP framing), message after message as the dissector
 *     does;
 * and every result goes through fuzz_check_sip_msg(), which runs the typed
 * accessors (Via, name-addr, URI, multipart, SDP) and checks their
 * contracts. The input's length picks one more check, so that each run
 * costs about two parses and libFuzzer reaches every check by changing
 * the length:
 *   - odd: a complete stream message must need more data when its last
 *     byte, or its second half, is missing (RFC 3261 section 18.3);
 *   - a multiple of four: both framings again with tiny bounds (too many
 *     headers, a message too large: the LIMIT paths). */
#include <stdlib.h>
#include <string.h>

#include "fuzz-util.h"

/* A private heap copy of exactly @len bytes, so that AddressSanitizer
 * reports any read past the end. Caller frees with free(). */
static uint8_t *
exact_copy(const uint8_t *data, size_t len)
{
    uint8_t *buf = malloc(len);
    if (buf == NULL && len != 0)
        abort();
    if (len)
        memcpy(buf, data, len);
    return buf;
}

/* Line feeds and carriage returns in @data: a bound on the header count. */
static size_t
count_lines(const uint8_t *data, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += data[i] == '\n' || data[i] == '\r';
    return n;
}

/* Parses @v message after message with stream framing; returns the end
 * offset of the first complete message (0 when none). */
static size_t
parse_stream(SlView v, const SipParseOptions *opts, SipMsg *msg, bool *first_too_large)
{
    SlView rest = v;
    size_t first_end = 0;
    for (unsigned n = 0; n < 64 && rest.len; n++) {
        SlStatus st = sip_msg_parse(rest, SIP_FRAMING_STREAM, opts, msg);
        fuzz_check_sip_msg(msg, rest, SIP_FRAMING_STREAM, st);
        if (st != SL_OK && st != SL_ERR_MALFORMED && st != SL_ERR_LIMIT)
            break;
        size_t end = sl_view_offset(rest, msg->raw) + msg->raw.len;
        FUZZ_CHECK(end > 0 && end <= rest.len);
        if (n == 0 && st != SL_ERR_LIMIT) {
            first_end = end;
            *first_too_large = (msg->flags & SIP_FLAG_TOO_LARGE) != 0;
        }
        sl_view_skip(&rest, end);
    }
    return first_end;
}

/* A strict prefix of a complete stream message is incomplete. */
static void
check_prefix_needs_more(const uint8_t *data, size_t len, SipMsg *msg)
{
    uint8_t *buf = exact_copy(data, len);
    SlView v = sl_view_make(buf, len);
    SlStatus st = sip_msg_parse(v, SIP_FRAMING_STREAM, NULL, msg);
    fuzz_check_sip_msg(msg, v, SIP_FRAMING_STREAM, st);
    FUZZ_CHECK(st == SL_ERR_NEED_MORE);
    free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    uint8_t *buf = exact_copy(data, size);
    SlView v = sl_view_make(buf, size);
    SipMsg *msg = g_new(SipMsg, 1);
    SipParseOptions opts;
    sip_parse_options_init(&opts);

    SlStatus st = sip_msg_parse(v, SIP_FRAMING_DATAGRAM, &opts, msg);
    fuzz_check_sip_msg(msg, v, SIP_FRAMING_DATAGRAM, st);
    if (st == SL_OK)
        FUZZ_CHECK(!(msg->flags & (SIP_FLAG_CL_MISMATCH | SIP_FLAG_TOO_LARGE)));

    bool too_large = false;
    size_t end = parse_stream(v, &opts, msg, &too_large);
    if ((size & 1) && end > 0 && !too_large && end <= opts.max_message) {
        check_prefix_needs_more(buf, end - 1, msg);
        check_prefix_needs_more(buf, end / 2, msg);
    }

    /* tiny bounds: too many headers, messages too large (only when the
     * input can reach them: else the outcome is the one above) */
    SipParseOptions tiny = { .max_headers = 4, .max_message = 300 };
    if ((size & 3) == 0 &&
        (size > tiny.max_message || count_lines(buf, size) > tiny.max_headers)) {
        st = sip_msg_parse(v, SIP_FRAMING_DATAGRAM, &tiny, msg);
        fuzz_check_sip_msg(msg, v, SIP_FRAMING_DATAGRAM, st);
        FUZZ_CHECK(msg->n_hdrs <= tiny.max_headers);
        parse_stream(v, &tiny, msg, &too_large);
    }

    g_free(msg);
    free(buf);
    return 0;
}
