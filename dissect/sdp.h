/* sipladder: SDP parser (RFC 8866, formerly RFC 4566) with the attributes
 * that matter for following RTP: rtpmap/fmtp (RFC 8866 section 6.6-6.7),
 * ptime/maxptime, direction, rtcp (RFC 3605), rtcp-mux (RFC 5761) and
 * crypto (RFC 4568). */
#pragma once

#include "addr.h"
#include "status.h"
#include "view.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef enum {
    SDP_DIR_SENDRECV = 0,
    SDP_DIR_SENDONLY,
    SDP_DIR_RECVONLY,
    SDP_DIR_INACTIVE,
} SdpDirection;

/* "sendrecv", "sendonly", "recvonly", "inactive" (static); "unknown" for
 * values outside the enum. */
const char *sdp_direction_name(SdpDirection d);

#define SDP_MAX_MEDIA 16
#define SDP_MAX_FORMATS 32

/* The codec of one RTP payload type. */
typedef struct {
    unsigned pt;         /* 0..127 */
    SlView encoding;     /* "PCMU", "opus"...: from a=rtpmap (borrowed from
                          * the body) or a static string from rtp-pt.c */
    uint32_t clock_rate; /* from a=rtpmap; when it has none (malformed),
                          * rtp_pt_clock_rate(); 0 when unknown */
    unsigned channels;   /* 1 when absent */
    SlView fmtp;         /* a=fmtp parameters after "<pt> ", empty if none */
} SdpRtpmap;

typedef struct {
    SlView media;     /* "audio", "video", "image", "application"... */
    uint16_t port;    /* 0 = rejected */
    uint16_t n_ports; /* from "port/count", 1 when absent */
    SlView proto;     /* "RTP/AVP", "RTP/SAVP", "udptl"... */
    bool is_rtp;      /* proto contains "RTP/" (RTP/AVP, UDP/TLS/RTP/SAVPF...):
                       * formats are payload types */
    SlView formats[SDP_MAX_FORMATS];
    size_t n_formats; /* as written; at most SDP_MAX_FORMATS kept */
    /* One per RTP payload type in format order (duplicates once): from
     * a=rtpmap, else from the static table (encoding points at a static
     * string). Dynamic types without a=rtpmap and non-RTP media get none. */
    SdpRtpmap rtpmap[SDP_MAX_FORMATS];
    size_t n_rtpmap;
    /* Effective connection: the media's own c= line if it has one (even if
     * that names a host rather than an address), else the session c=.
     * conn.port is the media port. */
    SlAddr conn;
    bool has_conn;       /* conn holds an IP address */
    bool has_own_conn;   /* the media section had its own c= line */
    SlView conn_text;    /* connection-address as written, without "/ttl"
                          * or "/count"; may be a host name */
    SdpDirection direction; /* media attribute, else session, else sendrecv */
    int ptime;              /* a=ptime in ms (fraction dropped), -1 when absent */
    int maxptime;           /* a=maxptime in ms, -1 when absent */
    /* a=rtcp:<port> [IN IP4|IP6 <addr>] (RFC 3605). rtcp_addr is the
     * address given there, else the effective conn address (family
     * SL_AF_NONE when neither is an IP); its port is rtcp_port. All zero
     * without a=rtcp. */
    uint16_t rtcp_port;
    SlAddr rtcp_addr;
    bool has_rtcp;
    bool rtcp_mux; /* a=rtcp-mux */
    /* First well-formed a=crypto:<tag> <suite> <key-params> (RFC 4568). */
    bool has_crypto;
    unsigned crypto_tag;
    SlView crypto_suite; /* "AES_CM_128_HMAC_SHA1_80"... */
} SdpMedia;

typedef struct {
    /* o=<username> <sess-id> <sess-version> <nettype> <addrtype> <addr> */
    SlView origin_user, origin_sess_id, origin_sess_version;
    SlAddr origin_addr; /* family SL_AF_NONE when a host name */
    bool has_origin;    /* all six fields were present */
    SlView session_name; /* s= value as written */
    /* t=<start> <stop> (first t= line), NTP seconds, 0 = unbounded */
    uint64_t time_start, time_stop;
    bool has_timing;
    SlAddr conn;       /* session-level c= */
    bool has_conn;     /* conn holds an IP address */
    SlView conn_text;  /* as in SdpMedia */
    SdpDirection direction; /* session-level, sendrecv when absent */
    SdpMedia media[SDP_MAX_MEDIA];
    size_t n_media;
    bool has_bare_lf;           /* some line ended in LF alone */
    bool has_unterminated_line; /* the last line had no LF */
    unsigned n_bad_lines;  /* lines ignored: no "<letter>=" start, unknown
                            * type letter, a second v= */
    unsigned n_blank_lines; /* empty lines (not allowed, but harmless) */
} Sdp;

/* Parses @body, exactly the SDP bytes (e.g. Content-Length bytes of a SIP
 * body). Never reads outside @body. Fills @out completely (it need not be
 * initialised); every view in it borrows from @body or from static
 * strings, so it is valid while @body lives.
 *
 * Lines may end in CRLF or LF (flagged), the last one in nothing (flagged);
 * blank lines are counted and skipped. Lines without "<letter>=" and
 * unknown type letters are ignored and counted (not an error). Known lines
 * and attributes whose value breaks their grammar make the result
 * SL_ERR_MALFORMED, but parsing goes on and what parsed is kept.
 *
 * Returns SL_OK; SL_ERR_NOT_MINE when @body does not start with "v="
 * (including bodies shorter than 2 bytes); SL_ERR_MALFORMED (see above;
 * also v= other than 0); SL_ERR_LIMIT when there are more than
 * SDP_MAX_MEDIA m= lines (the rest and their attributes are dropped) or
 * more than SDP_MAX_FORMATS formats in one m= line (the first ones kept).
 * When several problems occur the first one's status is returned. Never
 * returns SL_ERR_TRUNCATED: only the caller knows if bytes were missing
 * (has_unterminated_line is a hint).
 *
 * @err (may be NULL) gets the first problem through sl_error_set(), which
 * keeps an error already recorded there: initialise it to zero. Its
 * offset is relative to @body. */
SlStatus sdp_parse(SlView body, Sdp *out, SlError *err);

/* The rtpmap entry of @pt in @m, or NULL if none. Borrowed from @m. */
const SdpRtpmap *sdp_media_rtpmap(const SdpMedia *m, unsigned pt);

G_END_DECLS
