/* sipladder fuzz target: the SDP parser (dissect/sdp.c, rtp-pt.c).
 *
 * The input is one session description (the Content-Length bytes of a SIP
 * body). fuzz_check_sdp() checks the result against sdp.h and looks up
 * the payload types of every media with sdp_media_rtpmap(). The input is
 * then cut after its last line feed: the whole input must be flagged
 * has_unterminated_line and the cut one must not. */
#include <stdlib.h>
#include <string.h>

#include "fuzz-util.h"

static SlStatus
parse_checked(const uint8_t *data, size_t len, Sdp *sdp)
{
    /* exactly @len bytes, so that AddressSanitizer sees any overread */
    uint8_t *buf = malloc(len);
    if (buf == NULL && len != 0)
        abort();
    if (len)
        memcpy(buf, data, len);
    SlView body = sl_view_make(buf, len);
    SlError err = { 0 };
    SlStatus st = sdp_parse(body, sdp, &err);
    fuzz_check_sdp(sdp, body, st, &err);
    free(buf); /* @sdp borrows from @buf: not used after this */
    return st;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    Sdp *sdp = g_new(Sdp, 1);
    SlStatus st = parse_checked(data, size, sdp);
    bool unterminated = sdp->has_unterminated_line;

    /* cut after the last LF: every line of the cut body is complete */
    size_t cut = size;
    while (cut > 0 && data[cut - 1] != '\n')
        cut--;
    if (cut < size && st != SL_ERR_NOT_MINE) {
        FUZZ_CHECK(unterminated);
        if (parse_checked(data, cut, sdp) != SL_ERR_NOT_MINE)
            FUZZ_CHECK(!sdp->has_unterminated_line);
    }
    g_free(sdp);
    return 0;
}
