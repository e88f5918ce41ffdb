/* sipladder: RTP fixed header (RFC 3550 section 5.1, header extension
 * section 5.3.1, padding section 5.1 "P") and cheap RTP / RTCP
 * classifiers for UDP payloads (RFC 3550 appendix A.1 and A.2, RFC 5761
 * section 4 for RTP and RTCP sharing one port). RTCP contents are parsed
 * by rtcp.h. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "status.h"
#include "view.h"

G_BEGIN_DECLS

#define RTP_VERSION 2
#define RTP_FIXED_HEADER_LEN 12
#define RTP_MAX_CSRC 15

/* RFC 5761 section 4: RTP payload types 64..95 with the marker bit set
 * collide with RTCP packet types 192..223; 72..76 (200..204: SR, RR,
 * SDES, BYE, APP) are the ones RFC 3551 reserves. */
#define RTP_PT_RTCP_CONFLICT_FIRST 64
#define RTP_PT_RTCP_CONFLICT_LAST 95
#define RTP_PT_RTCP_RESERVED_FIRST 72
#define RTP_PT_RTCP_RESERVED_LAST 76

/*  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * |                           timestamp                           |
 * |           synchronization source (SSRC) identifier            |
 * |            contributing source (CSRC) identifiers  (CC of them)|
 * |      defined by profile       |           length              |  X=1
 * |                        header extension (length words)        |
 * |                          payload ...    | padding | pad count |  P=1
 */
typedef struct {
    uint8_t version;
    bool padding;      /* P bit */
    bool extension;    /* X bit */
    bool marker;       /* M bit */
    uint8_t csrc_count;
    uint8_t pt;        /* 0..127 */
    uint16_t seq;
    uint32_t timestamp;
    uint32_t ssrc;
    uint32_t csrc[RTP_MAX_CSRC];
    uint16_t ext_profile; /* "defined by profile" (0xBEDE: RFC 8285 one-byte) */
    SlView ext_data;      /* the extension words, without their 4-byte header */
    size_t header_len;    /* fixed header + CSRC + extension; 0 when incomplete */
    uint8_t padding_len;  /* the count in the last byte when P is set and valid */
    SlView payload;       /* after the header, without the padding */
} RtpHdr;

/* Parses the RTP header at the start of @data (one whole UDP payload: the
 * last byte is the padding count when P is set). Never reads outside
 * @data. Fills @hdr completely (views borrow from @data).
 *
 * Returns SL_OK; SL_ERR_NOT_MINE when @data is empty or the version is not
 * 2 (nothing else is read); SL_ERR_MALFORMED when the fixed header, the
 * CSRC list or the header extension run past the end (hdr->header_len is
 * then 0 and the fields read so far are kept), or when P is set and the
 * padding count is 0 or larger than what follows the header (header_len
 * and the fields are valid, payload is everything after the header,
 * padding_len is 0). @err (may be NULL, zero it first) gets the first
 * problem with its byte offset. */
SlStatus rtp_hdr_parse(SlView data, RtpHdr *hdr, SlError *err);

/* Cheap test for a UDP payload met without signalling (the heuristic of
 * RFC 3550 appendix A.1 reduced to one packet, as Wireshark's RTP
 * heuristic does): version 2; payload type not 72..76 (RTCP SR..APP in the
 * RTP position); the CSRC list and header extension fit; when P is set,
 * a padding count that is neither 0 nor longer than the data after the
 * header (skipped when @padding_known is false, e.g. a frame cut by the
 * snaplen, whose last byte is not the real one). The marker/RTCP conflict
 * range 64..95 is not excluded here: see rtp_hdr_is_rtcp_conflict(). */
bool rtp_looks_like(SlView data, bool padding_known);

/* RFC 5761 section 4: a packet with M set and PT 64..95 is RTCP (packet
 * type 192..223) whatever carried it. */
static inline bool
rtp_hdr_is_rtcp_conflict(const RtpHdr *hdr)
{
    return hdr->marker && hdr->pt >= RTP_PT_RTCP_CONFLICT_FIRST &&
           hdr->pt <= RTP_PT_RTCP_CONFLICT_LAST;
}

/* Cheap test for RTCP (RFC 3550 section 6.4 and appendix A.2): version 2,
 * first packet type 200..207 (SR, RR, SDES, BYE, APP, RTPFB, PSFB, XR)
 * and a length that fits. Appendix A.2 asks for SR or RR first in a
 * compound packet, but RFC 5506 (reduced-size RTCP) allows any type, so
 * any of 200..207 is accepted. */
bool rtcp_looks_like(SlView data);

G_END_DECLS
