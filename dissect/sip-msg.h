/* sipladder: SIP message parser over a bounded view (RFC 3261 sections 7,
 * 18.3, 20 and 25; compact forms from section 7.3.3 and the IANA registry).
 * The message is parsed in place: every field is a view into the caller's
 * bytes, valid as long as those bytes are. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "status.h"
#include "view.h"

G_BEGIN_DECLS

typedef enum {
    SIP_METHOD_UNKNOWN = 0,
    SIP_METHOD_INVITE,
    SIP_METHOD_ACK,
    SIP_METHOD_BYE,
    SIP_METHOD_CANCEL,
    SIP_METHOD_REGISTER,
    SIP_METHOD_OPTIONS,
    SIP_METHOD_PRACK,
    SIP_METHOD_UPDATE,
    SIP_METHOD_INFO,
    SIP_METHOD_SUBSCRIBE,
    SIP_METHOD_NOTIFY,
    SIP_METHOD_REFER,
    SIP_METHOD_MESSAGE,
    SIP_METHOD_PUBLISH,
} SipMethod;

/* Method from its name (case-sensitive, RFC 3261 section 7.1). */
SipMethod sip_method_from_view(SlView name);
const char *sip_method_name(SipMethod m); /* "INVITE"; "UNKNOWN" */

/* Headers that sipladder reads by name; everything else is SIP_HDR_OTHER
 * and kept in order with its name. */
typedef enum {
    SIP_HDR_OTHER = 0,
    SIP_HDR_VIA,
    SIP_HDR_CALL_ID,
    SIP_HDR_FROM,
    SIP_HDR_TO,
    SIP_HDR_CSEQ,
    SIP_HDR_CONTACT,
    SIP_HDR_CONTENT_LENGTH,
    SIP_HDR_CONTENT_TYPE,
    SIP_HDR_MAX_FORWARDS,
    SIP_HDR_RECORD_ROUTE,
    SIP_HDR_ROUTE,
    SIP_HDR_REASON,
    SIP_HDR_USER_AGENT,
    SIP_HDR_SERVER,
    SIP_HDR_P_ASSERTED_IDENTITY,
    SIP_HDR_P_PREFERRED_IDENTITY,
    SIP_HDR_REMOTE_PARTY_ID,
    SIP_HDR_DIVERSION,
    SIP_HDR_HISTORY_INFO,
    SIP_HDR_SUBJECT,
    SIP_HDR_SUPPORTED,
    SIP_HDR_REQUIRE,
    SIP_HDR_PROXY_REQUIRE,
    SIP_HDR_UNSUPPORTED,
    SIP_HDR_ALLOW,
    SIP_HDR_ALLOW_EVENTS,
    SIP_HDR_EVENT,
    SIP_HDR_REFER_TO,
    SIP_HDR_REFERRED_BY,
    SIP_HDR_REPLACES,
    SIP_HDR_CONTENT_ENCODING,
    SIP_HDR_CONTENT_DISPOSITION,
    SIP_HDR_SESSION_EXPIRES,
    SIP_HDR_IDENTITY,
    SIP_HDR_EXPIRES,
    SIP_HDR_DATE,
    SIP_HDR_RSEQ,
    SIP_HDR_RACK,
    SIP_HDR_WARNING,
    SIP_HDR_RETRY_AFTER,
    SIP_HDR_ACCEPT,
    SIP_HDR_AUTHORIZATION,
    SIP_HDR_PROXY_AUTHORIZATION,
    SIP_HDR_WWW_AUTHENTICATE,
    SIP_HDR_PROXY_AUTHENTICATE,
    SIP_HDR_SESSION_ID,
    SIP_HDR_X_CALL_ID,
    SIP_HDR_X_CID,
    SIP_HDR_P_CHARGING_VECTOR,
    SIP_HDR_COUNT
} SipHdrId;

/* Canonical name of a known header ("Call-ID"); NULL for OTHER. */
const char *sip_hdr_name(SipHdrId id);
/* Looks up a header name, long or compact form, case-insensitively. */
SipHdrId sip_hdr_id_from_name(SlView name);
/* Whether the header's grammar is a comma-separated list (Via, Contact...). */
bool sip_hdr_is_list(SipHdrId id);

typedef struct {
    SipHdrId id;
    SlView name;  /* as written */
    SlView value; /* trimmed; may contain folded CRLF+WSP, which is LWS */
} SipHdr;

/* --- URIs, name-addr, parameters (sip-uri.c) --- */

typedef struct {
    SlView scheme;   /* "sip", "sips", "tel", or any absoluteURI scheme */
    SlView user;     /* escaped as written; empty when absent */
    SlView password;
    SlView host;     /* IPv6 references without the brackets */
    uint16_t port;   /* 0 when absent */
    SlView params;   /* after the first ';' of hostport, without it */
    SlView headers;  /* after '?', without it */
    bool is_sip;     /* sip or sips */
} SipUri;

/* Parses a URI (RFC 3261 section 19.1, 25.1). Non-SIP schemes keep the
 * opaque part in @user (for tel: the number). SL_ERR_MALFORMED when the
 * text is not a URI (fields filled as far as understood). */
SlStatus sip_uri_parse(SlView text, SipUri *uri);

typedef struct {
    SlView display;   /* without quotes; quoted-pairs left escaped */
    SlView uri_text;  /* without the angle brackets */
    SipUri uri;
    SlView params;    /* header parameters, after the first ';', without it */
    SlView tag;       /* value of the tag parameter; empty when absent */
    bool has_brackets;
} SipNameAddr;

/* name-addr / addr-spec with header parameters (RFC 3261 section 20.10,
 * 20.20, 20.39): (name-addr / addr-spec) *( SEMI param ). */
SlStatus sip_name_addr_parse(SlView value, SipNameAddr *out);

/* Iterates ";name=value" parameters: false at the end. On an empty
 * parameter (";;") returns true with an empty @name. */
bool sip_param_next(SlView *params, SlView *name, SlView *value);
/* Finds a parameter by name (case-insensitive). */
bool sip_param_get(SlView params, const char *name, SlView *value);

/* Splits the next element of a comma-separated list, honouring quoted
 * strings and <...>. False when @rest is empty. */
bool sip_list_next(SlView *rest, SlView *item);

typedef struct {
    SlView protocol;   /* "SIP/2.0" (LWS around '/' allowed, kept as written) */
    SlView transport;  /* "UDP", "TCP", "TLS", "SCTP", "WS", "WSS" or other */
    SlView host;       /* sent-by host, IPv6 without brackets */
    uint16_t port;     /* 0 when absent */
    SlView params;
    SlView branch;
    SlView received;
    SlView rport;      /* value of rport; empty when bare or absent */
    bool has_rport;
    bool is_rfc3261;   /* branch starts with the magic cookie z9hG4bK */
} SipVia;

/* One via-parm (RFC 3261 section 20.42). */
SlStatus sip_via_parse(SlView value, SipVia *out);

typedef struct {
    SlView protocol; /* "SIP", "Q.850"... */
    int cause;       /* -1 when absent or unreadable */
    SlView text;     /* without the quotes; empty when absent */
} SipReason;

/* One reason-value of a Reason header (RFC 3326 section 2):
 *   reason-value = protocol *(SEMI reason-params)
 *   reason-params = protocol-cause / reason-text / reason-extension */
SlStatus sip_reason_parse(SlView value, SipReason *out);

/* --- Messages --- */

enum {
    SIP_FLAG_BARE_LF = 1u << 0,        /* some line ended in LF alone */
    SIP_FLAG_NO_CONTENT_LENGTH = 1u << 1,
    SIP_FLAG_CL_MISMATCH = 1u << 2,    /* Content-Length larger than the data */
    SIP_FLAG_TRAILING_DATA = 1u << 3,  /* datagram bytes after the body */
    SIP_FLAG_DUPLICATE = 1u << 4,      /* a single-value header appears twice */
    SIP_FLAG_MISSING = 1u << 5,        /* Call-ID, CSeq, From, To or Via missing */
    SIP_FLAG_HEADER_LIMIT = 1u << 6,   /* headers beyond the bound were dropped */
    SIP_FLAG_NO_BLANK_LINE = 1u << 7,  /* header block not closed (datagram) */
    SIP_FLAG_TRUNCATED = 1u << 8,      /* the capture cut the message */
    SIP_FLAG_TOO_LARGE = 1u << 9,      /* stream message beyond max_message */
    SIP_FLAG_VIA_LIMIT = 1u << 10,     /* Via entries beyond max_via were ignored */
    SIP_FLAG_MULTIPART_LIMIT = 1u << 11, /* multipart nested beyond max_multipart_depth */
};

/* The bounds of sllimits.h: sip-headers, sip-message, sip-via,
 * multipart-depth. A bound hit gives SL_ERR_LIMIT and a flag. */
typedef struct {
    unsigned max_headers; /* at most SIP_MAX_HEADERS */
    size_t max_message;   /* bytes; a stream message beyond this is LIMIT */
    unsigned max_via;     /* Via entries parsed; more are ignored (LIMIT); 0: default */
    unsigned max_multipart_depth; /* multipart nesting searched for SDP; 0: default */
} SipParseOptions;

#define SIP_MAX_HEADERS 256
/* The defaults of sllimits.h. */
void sip_parse_options_init(SipParseOptions *o);

typedef enum { SIP_FRAMING_DATAGRAM, SIP_FRAMING_STREAM } SipFraming;

typedef struct {
    SlView raw;          /* the whole message: start line to end of body */
    bool is_request;
    SipMethod method;
    SlView method_name;  /* as written */
    SlView ruri;
    SlView version;
    unsigned status;     /* 0 for requests or when unparseable */
    SlView reason;

    SipHdr hdrs[SIP_MAX_HEADERS];
    unsigned n_hdrs;
    int16_t first[SIP_HDR_COUNT]; /* index of the first header of an id, -1 */

    SlView body;
    size_t content_length;
    bool has_content_length;

    /* typed fields of the headers every message needs */
    SlView call_id;
    uint32_t cseq;
    bool has_cseq;
    SlView cseq_method_name;
    SipMethod cseq_method;
    SipNameAddr from, to;
    SipVia via;          /* topmost Via value */
    bool has_via;
    unsigned n_via;      /* Via values over all Via headers */
    int max_forwards;    /* -1 when absent */
    SlView content_type; /* media type without parameters */

    uint32_t flags;      /* SIP_FLAG_* */
    SlError error;       /* first problem, when the result is not SL_OK */
    unsigned max_multipart_depth; /* the bound it was parsed with: pass it to
                                   * sip_msg_find_sdp() */
} SipMsg;

/* Parses one SIP message from the start of @data.
 *   DATAGRAM: the body is Content-Length bytes (or the rest of the data
 *   when absent); bytes after it are flagged, not parsed.
 *   STREAM: returns SL_ERR_NEED_MORE until the header block and the body
 *   are complete; msg->raw.len is then the number of bytes to consume.
 * Returns SL_OK; SL_ERR_NOT_MINE when the first line is not a SIP start
 * line; SL_ERR_MALFORMED with the message filled as far as it parsed;
 * SL_ERR_LIMIT when a stream message exceeds max_message. @opts may be
 * NULL for the defaults. Never reads outside @data. */
SlStatus sip_msg_parse(SlView data, SipFraming framing, const SipParseOptions *opts,
                       SipMsg *msg);

/* Quick test: does @data start with something that looks like a SIP start
 * line? Cheap enough to run on every payload. */
bool sip_msg_looks_like(SlView data);

/* First header of @id, or NULL. */
const SipHdr *sip_msg_hdr(const SipMsg *msg, SipHdrId id);
/* First header with this name (long or compact), or NULL. */
const SipHdr *sip_msg_hdr_by_name(const SipMsg *msg, const char *name);

/* Iterates the values of every header of @id in order, splitting list
 * headers at commas. Start with *@iter = 0 and @rest empty. */
typedef struct {
    unsigned next_hdr;
    SlView rest;
    bool in_list;
} SipValueIter;
bool sip_msg_next_value(const SipMsg *msg, SipHdrId id, SipValueIter *iter, SlView *value);

/* The session description carried by the message: the body when its type
 * is application/sdp, or the first application/sdp part of a multipart
 * body (nested up to @max_depth levels). */
bool sip_msg_find_sdp(const SipMsg *msg, unsigned max_depth, SlView *sdp);
/* Whether the body holds multipart bodies nested more than @max_depth
 * levels (a multipart body itself is level 1). */
bool sip_msg_multipart_too_deep(const SipMsg *msg, unsigned max_depth);

/* --- multipart bodies (RFC 2046 section 5.1) --- */
typedef struct {
    SlView content_type; /* media type without parameters */
    SlView headers;
    SlView body;
} SipBodyPart;
/* Iterates the parts of a multipart body with boundary @boundary. Start
 * with *@pos = 0. False at the end or when the body is malformed. */
bool sip_multipart_next(SlView body, SlView boundary, size_t *pos, SipBodyPart *part);
/* Extracts "type/subtype" and the parameters of a Content-Type value. */
void sip_content_type_split(SlView value, SlView *media_type, SlView *params);

G_END_DECLS
