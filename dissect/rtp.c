/* sipladder: RTP fixed header parser and RTP/RTCP classifiers (RFC 3550
 * sections 5.1, 5.3.1, 6.4, appendices A.1 and A.2; RFC 5761 section 4). */
#include "rtp.h"

#include <string.h>

/* Reads the fixed header, CSRC list and header extension. Returns false
 * (with @err set) when one of them runs past the end of @v. */
static bool
parse_header(SlView *v, RtpHdr *hdr, SlError *err, size_t *offset)
{
    uint8_t b0, b1;
    if (!sl_view_u8(v, &b0) || !sl_view_u8(v, &b1) || !sl_view_be16(v, &hdr->seq) ||
        !sl_view_be32(v, &hdr->timestamp) || !sl_view_be32(v, &hdr->ssrc)) {
        sl_error_set(err, SL_ERR_MALFORMED, *offset, "RTP fixed header incomplete");
        return false;
    }
    (void)b0;
    *offset = RTP_FIXED_HEADER_LEN;
    for (unsigned i = 0; i < hdr->csrc_count; i++) {
        if (!sl_view_be32(v, &hdr->csrc[i])) {
            sl_error_set(err, SL_ERR_MALFORMED, *offset, "CSRC list past the end");
            return false;
        }
        *offset += 4;
    }
    if (hdr->extension) {
        /* RFC 3550 5.3.1: 16 bits defined by profile, 16 bits length in
         * 32-bit words not counting this 4-byte header. */
        uint16_t words;
        if (!sl_view_be16(v, &hdr->ext_profile) || !sl_view_be16(v, &words)) {
            sl_error_set(err, SL_ERR_MALFORMED, *offset, "header extension past the end");
            return false;
        }
        if (!sl_view_take(v, (size_t)words * 4, &hdr->ext_data)) {
            sl_error_set(err, SL_ERR_MALFORMED, *offset, "header extension longer than packet");
            return false;
        }
        *offset += 4 + (size_t)words * 4;
    }
    return true;
}

SlStatus
rtp_hdr_parse(SlView data, RtpHdr *hdr, SlError *err)
{
    memset(hdr, 0, sizeof *hdr);
    int b0 = sl_view_at(data, 0);
    if (b0 < 0)
        return sl_error_set(err, SL_ERR_NOT_MINE, 0, "empty payload");
    hdr->version = (uint8_t)(b0 >> 6);
    if (hdr->version != RTP_VERSION)
        return sl_error_set(err, SL_ERR_NOT_MINE, 0, "RTP version is not 2");
    hdr->padding = (b0 & 0x20) != 0;
    hdr->extension = (b0 & 0x10) != 0;
    hdr->csrc_count = (uint8_t)(b0 & 0x0f);
    int b1 = sl_view_at(data, 1);
    if (b1 >= 0) {
        hdr->marker = (b1 & 0x80) != 0;
        hdr->pt = (uint8_t)(b1 & 0x7f);
    }

    SlView v = data;
    size_t offset = 0;
    if (!parse_header(&v, hdr, err, &offset))
        return SL_ERR_MALFORMED;
    hdr->header_len = offset;
    hdr->payload = v;
    if (!hdr->padding)
        return SL_OK;

    /* RFC 3550 5.1: the last octet counts the padding octets, itself
     * included, so it is never 0 and never more than follows the header. */
    int count = sl_view_at(data, data.len - 1);
    if (v.len == 0 || count <= 0 || (size_t)count > v.len)
        return sl_error_set(err, SL_ERR_MALFORMED, data.len - 1,
                            "padding count is 0 or longer than the payload");
    hdr->padding_len = (uint8_t)count;
    hdr->payload = sl_view_sub(v, 0, v.len - (size_t)count);
    return SL_OK;
}

bool
rtp_looks_like(SlView data, bool padding_known)
{
    if (data.len < RTP_FIXED_HEADER_LEN)
        return false;
    int b0 = sl_view_at(data, 0), b1 = sl_view_at(data, 1);
    if ((b0 >> 6) != RTP_VERSION)
        return false;
    unsigned pt = (unsigned)b1 & 0x7f;
    if (pt >= RTP_PT_RTCP_RESERVED_FIRST && pt <= RTP_PT_RTCP_RESERVED_LAST)
        return false;
    RtpHdr hdr;
    SlStatus st = rtp_hdr_parse(data, &hdr, NULL);
    if (hdr.header_len == 0)
        return false;
    return st == SL_OK || !padding_known;
}

bool
rtcp_looks_like(SlView data)
{
    SlView v = data;
    uint8_t b0, type;
    uint16_t words;
    if (!sl_view_u8(&v, &b0) || !sl_view_u8(&v, &type) || !sl_view_be16(&v, &words))
        return false;
    if ((b0 >> 6) != RTP_VERSION || type < 200 || type > 207)
        return false;
    /* RFC 3550 6.4.1: length in 32-bit words minus one. */
    return ((size_t)words + 1) * 4 <= data.len;
}
