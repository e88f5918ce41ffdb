/* sipladder: SIP message parsing (RFC 3261 sections 7, 18.3, 20, 25).
 *   SIP-message    = Request / Response
 *   Request-Line   = Method SP Request-URI SP SIP-Version CRLF
 *   Status-Line    = SIP-Version SP Status-Code SP Reason-Phrase CRLF
 *   message-header = header-name HCOLON header-value CRLF, where a line
 *                    starting with SP or HTAB continues the previous one
 *   HCOLON         = *( SP / HTAB ) ":" SWS
 * Bare LF line ends are accepted and flagged. */
#include <string.h>

#include "sip-msg.h"
#include "sllimits.h"

/* ------------------------------------------------------------- methods */

static const char *const method_names[] = {
    [SIP_METHOD_UNKNOWN] = "UNKNOWN",     [SIP_METHOD_INVITE] = "INVITE",
    [SIP_METHOD_ACK] = "ACK",             [SIP_METHOD_BYE] = "BYE",
    [SIP_METHOD_CANCEL] = "CANCEL",       [SIP_METHOD_REGISTER] = "REGISTER",
    [SIP_METHOD_OPTIONS] = "OPTIONS",     [SIP_METHOD_PRACK] = "PRACK",
    [SIP_METHOD_UPDATE] = "UPDATE",       [SIP_METHOD_INFO] = "INFO",
    [SIP_METHOD_SUBSCRIBE] = "SUBSCRIBE", [SIP_METHOD_NOTIFY] = "NOTIFY",
    [SIP_METHOD_REFER] = "REFER",         [SIP_METHOD_MESSAGE] = "MESSAGE",
    [SIP_METHOD_PUBLISH] = "PUBLISH",
};

SipMethod
sip_method_from_view(SlView name)
{
    for (unsigned m = 1; m < G_N_ELEMENTS(method_names); m++)
        if (sl_view_eq_str(name, method_names[m]))
            return (SipMethod)m;
    return SIP_METHOD_UNKNOWN;
}

const char *
sip_method_name(SipMethod m)
{
    return (unsigned)m < G_N_ELEMENTS(method_names) ? method_names[m] : "UNKNOWN";
}

/* ------------------------------------------------------- header table */

typedef struct {
    const char *name;
    size_t len;
    char compact; /* RFC 3261 section 7.3.3 and the IANA registry; 0 if none */
    bool is_list; /* header-value = elem *(COMMA elem) */
    bool single;  /* must appear at most once */
} HdrInfo;

#define H(name) name, sizeof(name) - 1
static const HdrInfo hdr_table[SIP_HDR_COUNT] = {
    [SIP_HDR_VIA] = { H("Via"), 'v', true, false },
    [SIP_HDR_CALL_ID] = { H("Call-ID"), 'i', false, true },
    [SIP_HDR_FROM] = { H("From"), 'f', false, true },
    [SIP_HDR_TO] = { H("To"), 't', false, true },
    [SIP_HDR_CSEQ] = { H("CSeq"), 0, false, true },
    [SIP_HDR_CONTACT] = { H("Contact"), 'm', true, false },
    [SIP_HDR_CONTENT_LENGTH] = { H("Content-Length"), 'l', false, true },
    [SIP_HDR_CONTENT_TYPE] = { H("Content-Type"), 'c', false, true },
    [SIP_HDR_MAX_FORWARDS] = { H("Max-Forwards"), 0, false, true },
    [SIP_HDR_RECORD_ROUTE] = { H("Record-Route"), 0, true, false },
    [SIP_HDR_ROUTE] = { H("Route"), 0, true, false },
    [SIP_HDR_REASON] = { H("Reason"), 0, true, false },
    [SIP_HDR_USER_AGENT] = { H("User-Agent"), 0, false, false },
    [SIP_HDR_SERVER] = { H("Server"), 0, false, false },
    [SIP_HDR_P_ASSERTED_IDENTITY] = { H("P-Asserted-Identity"), 0, true, false },
    [SIP_HDR_P_PREFERRED_IDENTITY] = { H("P-Preferred-Identity"), 0, true, false },
    [SIP_HDR_REMOTE_PARTY_ID] = { H("Remote-Party-ID"), 0, true, false },
    [SIP_HDR_DIVERSION] = { H("Diversion"), 0, true, false },
    [SIP_HDR_HISTORY_INFO] = { H("History-Info"), 0, true, false },
    [SIP_HDR_SUBJECT] = { H("Subject"), 's', false, false },
    [SIP_HDR_SUPPORTED] = { H("Supported"), 'k', true, false },
    [SIP_HDR_REQUIRE] = { H("Require"), 0, true, false },
    [SIP_HDR_PROXY_REQUIRE] = { H("Proxy-Require"), 0, true, false },
    [SIP_HDR_UNSUPPORTED] = { H("Unsupported"), 0, true, false },
    [SIP_HDR_ALLOW] = { H("Allow"), 0, true, false },
    [SIP_HDR_ALLOW_EVENTS] = { H("Allow-Events"), 'u', true, false },
    [SIP_HDR_EVENT] = { H("Event"), 'o', false, false },
    [SIP_HDR_REFER_TO] = { H("Refer-To"), 'r', false, false },
    [SIP_HDR_REFERRED_BY] = { H("Referred-By"), 'b', false, false },
    [SIP_HDR_REPLACES] = { H("Replaces"), 0, false, false },
    [SIP_HDR_CONTENT_ENCODING] = { H("Content-Encoding"), 'e', true, false },
    [SIP_HDR_CONTENT_DISPOSITION] = { H("Content-Disposition"), 0, false, false },
    [SIP_HDR_SESSION_EXPIRES] = { H("Session-Expires"), 'x', false, false },
    [SIP_HDR_IDENTITY] = { H("Identity"), 'y', false, false },
    [SIP_HDR_EXPIRES] = { H("Expires"), 0, false, false },
    [SIP_HDR_DATE] = { H("Date"), 0, false, false },
    [SIP_HDR_RSEQ] = { H("RSeq"), 0, false, false },
    [SIP_HDR_RACK] = { H("RAck"), 0, false, false },
    [SIP_HDR_WARNING] = { H("Warning"), 0, true, false },
    [SIP_HDR_RETRY_AFTER] = { H("Retry-After"), 0, false, false },
    [SIP_HDR_ACCEPT] = { H("Accept"), 0, true, false },
    [SIP_HDR_AUTHORIZATION] = { H("Authorization"), 0, false, false },
    [SIP_HDR_PROXY_AUTHORIZATION] = { H("Proxy-Authorization"), 0, false, false },
    [SIP_HDR_WWW_AUTHENTICATE] = { H("WWW-Authenticate"), 0, false, false },
    [SIP_HDR_PROXY_AUTHENTICATE] = { H("Proxy-Authenticate"), 0, false, false },
    [SIP_HDR_SESSION_ID] = { H("Session-ID"), 0, false, false },
    [SIP_HDR_X_CALL_ID] = { H("X-Call-ID"), 0, false, false },
    [SIP_HDR_X_CID] = { H("X-CID"), 0, false, false },
    [SIP_HDR_P_CHARGING_VECTOR] = { H("P-Charging-Vector"), 0, false, false },
};

const char *
sip_hdr_name(SipHdrId id)
{
    return (unsigned)id < SIP_HDR_COUNT ? hdr_table[id].name : NULL;
}

bool
sip_hdr_is_list(SipHdrId id)
{
    return (unsigned)id < SIP_HDR_COUNT && hdr_table[id].is_list;
}

SipHdrId
sip_hdr_id_from_name(SlView name)
{
    if (name.len == 1) {
        int c = sl_ascii_lower(sl_view_at(name, 0));
        for (unsigned i = 1; i < SIP_HDR_COUNT; i++)
            if (hdr_table[i].compact == c)
                return (SipHdrId)i;
        return SIP_HDR_OTHER;
    }
    int first = sl_ascii_lower(sl_view_at(name, 0));
    for (unsigned i = 1; i < SIP_HDR_COUNT; i++) {
        const HdrInfo *h = &hdr_table[i];
        if (h->len == name.len && sl_ascii_lower(h->name[0]) == first &&
            sl_view_ieq(name, sl_view_make(h->name, h->len)))
            return (SipHdrId)i;
    }
    return SIP_HDR_OTHER;
}

void
sip_parse_options_init(SipParseOptions *o)
{
    o->max_headers = (unsigned)sl_limit_info(SL_LIMIT_SIP_HEADERS)->def;
    o->max_message = (size_t)sl_limit_info(SL_LIMIT_SIP_MESSAGE)->def;
    o->max_via = (unsigned)sl_limit_info(SL_LIMIT_SIP_VIA)->def;
    o->max_multipart_depth = (unsigned)sl_limit_info(SL_LIMIT_MULTIPART_DEPTH)->def;
}

/* --------------------------------------------------------- start line */

static const char *const known_schemes[] = { "sip:", "sips:", "tel:", NULL };

/* Is this line "SIP/x.y ..." or "... SIP/x.y" at all? Anything else is
 * somebody else's protocol. */
static bool
line_is_start_line(SlView line)
{
    if (sl_view_ihas_prefix(line, "SIP/"))
        return true;
    SlView l = sl_view_trim_right(line);
    if (l.len < 8)
        return false;
    SlView tail = sl_view_tail(l, l.len - 7);
    if (sl_view_ihas_prefix(tail, "SIP/") && g_ascii_isdigit(sl_view_at(tail, 4)) &&
        sl_view_at(tail, 5) == '.' && g_ascii_isdigit(sl_view_at(tail, 6))) {
        SlView m = l;
        SlView method = sl_view_take_token(&m);
        return method.len > 0 && sl_view_at(m, 0) == ' ';
    }
    /* a known method and a SIP URI without a version: ours, but broken */
    SlView m = l;
    SlView method = sl_view_take_token(&m);
    if (sip_method_from_view(method) == SIP_METHOD_UNKNOWN || sl_view_at(m, 0) != ' ')
        return false;
    m = sl_view_trim_left(m);
    for (int i = 0; known_schemes[i]; i++)
        if (sl_view_ihas_prefix(m, known_schemes[i]))
            return true;
    return false;
}

bool
sip_msg_looks_like(SlView data)
{
    SlView v = data, line;
    if (!sl_view_line(&v, &line, NULL))
        line = sl_view_sub(data, 0, 512);
    return line_is_start_line(line);
}

static bool
version_ok(SlView v)
{
    return sl_view_ieq_str(v, "SIP/2.0");
}

static SlStatus
parse_start_line(SlView line, SipMsg *msg)
{
    if (sl_view_ihas_prefix(line, "SIP/")) {
        /* Status-Line = SIP-Version SP Status-Code SP Reason-Phrase */
        SlView version, rest, code, reason;
        msg->is_request = false;
        sl_view_split_u8(line, ' ', &version, &rest);
        msg->version = version;
        bool has_reason = sl_view_split_u8(rest, ' ', &code, &reason);
        msg->reason = reason;
        uint64_t status;
        if (code.len != 3 || !sl_view_parse_uint(code, 3, 699, &status) || status < 100)
            return sl_error_set(&msg->error, SL_ERR_MALFORMED, sl_view_offset(line, code),
                                "bad status code");
        msg->status = (unsigned)status;
        if (!has_reason)
            return sl_error_set(&msg->error, SL_ERR_MALFORMED, line.len,
                                "status line without reason phrase");
        if (!version_ok(version))
            return sl_error_set(&msg->error, SL_ERR_MALFORMED, 0, "unsupported SIP version");
        return SL_OK;
    }
    /* Request-Line = Method SP Request-URI SP SIP-Version */
    SlView method, rest, ruri, version;
    msg->is_request = true;
    sl_view_split_u8(line, ' ', &method, &rest);
    msg->method_name = method;
    msg->method = sip_method_from_view(method);
    bool has_version = sl_view_split_u8(rest, ' ', &ruri, &version);
    msg->ruri = ruri;
    msg->version = version;
    if (!sl_view_is_token(method))
        return sl_error_set(&msg->error, SL_ERR_MALFORMED, 0, "bad method");
    if (!has_version) {
        msg->ruri = sl_view_trim(rest);
        return sl_error_set(&msg->error, SL_ERR_MALFORMED, line.len,
                            "request line without SIP version");
    }
    if (ruri.len == 0 || sl_view_at(version, 0) == ' ')
        return sl_error_set(&msg->error, SL_ERR_MALFORMED, sl_view_offset(line, ruri),
                            "extra spaces in request line");
    size_t sp;
    if (sl_view_find_u8(version, ' ', &sp)) {
        /* "INVITE sip:a; lr SIP/2.0": LWS inside the URI, or trailing SP */
        SlView last = version;
        while (sl_view_find_u8(last, ' ', &sp) && sp + 1 <= last.len)
            last = sl_view_tail(last, sp + 1);
        msg->version = last;
        return sl_error_set(&msg->error, SL_ERR_MALFORMED, sl_view_offset(line, version),
                            "whitespace inside request line");
    }
    if (!version_ok(version))
        return sl_error_set(&msg->error, SL_ERR_MALFORMED, sl_view_offset(line, version),
                            "unsupported SIP version");
    SipUri uri;
    if (sl_view_at(ruri, 0) == '<' || sip_uri_parse(ruri, &uri) != SL_OK)
        return sl_error_set(&msg->error, SL_ERR_MALFORMED, sl_view_offset(line, ruri),
                            "bad Request-URI");
    if (uri.is_sip && uri.headers.len)
        return sl_error_set(&msg->error, SL_ERR_MALFORMED, sl_view_offset(line, ruri),
                            "headers in Request-URI");
    return SL_OK;
}

/* ------------------------------------------------------ typed headers */

static gboolean
is_digit(gchar c)
{
    return g_ascii_isdigit(c);
}

static void
mark(SipMsg *msg, SlView at, const char *why)
{
    sl_error_set(&msg->error, SL_ERR_MALFORMED, sl_view_offset(msg->raw, at), why);
}

static void
typed_header(SipMsg *msg, const SipHdr *h, bool first, unsigned max_via)
{
    SlView v = h->value;
    switch (h->id) {
    case SIP_HDR_CALL_ID:
        if (first)
            msg->call_id = v;
        else if (!sl_view_eq(v, msg->call_id))
            msg->flags |= SIP_FLAG_DUPLICATE;
        if (v.len == 0)
            mark(msg, v, "empty Call-ID");
        break;
    case SIP_HDR_CSEQ: {
        /* CSeq = 1*DIGIT LWS Method */
        SlView num = v;
        SlView digits = sl_view_take_while(&num, is_digit);
        SlView method = sl_view_trim(num);
        uint64_t n;
        if (!first) {
            msg->flags |= SIP_FLAG_DUPLICATE;
            break;
        }
        if (!sl_view_parse_uint(digits, 10, G_MAXUINT32, &n) || !sl_view_is_token(method)) {
            mark(msg, v, "bad CSeq");
            msg->cseq_method_name = method;
            msg->cseq_method = sip_method_from_view(method);
            break;
        }
        msg->cseq = (uint32_t)n;
        msg->has_cseq = true;
        msg->cseq_method_name = method;
        msg->cseq_method = sip_method_from_view(method);
        break;
    }
    case SIP_HDR_FROM:
    case SIP_HDR_TO: {
        SipNameAddr *na = h->id == SIP_HDR_FROM ? &msg->from : &msg->to;
        if (!first) {
            SipNameAddr other;
            sip_name_addr_parse(v, &other);
            if (!sl_view_eq(other.uri_text, na->uri_text) || !sl_view_eq(other.tag, na->tag))
                msg->flags |= SIP_FLAG_DUPLICATE;
            break;
        }
        if (sip_name_addr_parse(v, na) != SL_OK)
            mark(msg, v, h->id == SIP_HDR_FROM ? "bad From" : "bad To");
        break;
    }
    case SIP_HDR_VIA: {
        SlView rest = v, item;
        while (sip_list_next(&rest, &item)) {
            if (msg->n_via >= max_via) {
                msg->flags |= SIP_FLAG_VIA_LIMIT;
                sl_error_set(&msg->error, SL_ERR_LIMIT, sl_view_offset(msg->raw, item),
                             "too many Via entries");
                break;
            }
            SipVia via;
            SlStatus st = sip_via_parse(item, &via);
            if (msg->n_via == 0) {
                msg->via = via;
                msg->has_via = st == SL_OK;
            }
            if (st != SL_OK)
                mark(msg, item, "bad Via");
            msg->n_via++;
        }
        break;
    }
    case SIP_HDR_CONTACT: {
        SlView rest = v, item;
        if (sl_view_eq_str(v, "*"))
            break;
        while (sip_list_next(&rest, &item)) {
            SipNameAddr na;
            if (sip_name_addr_parse(item, &na) != SL_OK)
                mark(msg, item, "bad Contact");
        }
        break;
    }
    case SIP_HDR_CONTENT_LENGTH: {
        uint64_t n;
        if (!sl_view_parse_uint(v, 10, G_MAXUINT32, &n)) {
            mark(msg, v, "bad Content-Length");
            break;
        }
        if (msg->has_content_length && msg->content_length != n)
            mark(msg, v, "conflicting Content-Length headers");
        msg->content_length = (size_t)n;
        msg->has_content_length = true;
        break;
    }
    case SIP_HDR_CONTENT_TYPE: {
        SlView params;
        sip_content_type_split(v, &msg->content_type, &params);
        break;
    }
    case SIP_HDR_MAX_FORWARDS: {
        uint64_t n;
        /* Max-Forwards = 1*DIGIT, 0-255 by section 20.22 ("0068" is 68) */
        if (!sl_view_parse_uint(v, 10, 255, &n)) {
            mark(msg, v, "bad Max-Forwards");
            break;
        }
        if (first)
            msg->max_forwards = (int)n;
        else if (msg->max_forwards != (int)n)
            msg->flags |= SIP_FLAG_DUPLICATE;
        break;
    }
    case SIP_HDR_DATE: {
        /* rfc1123-date ends in "GMT" (RFC 3261 section 20.17) */
        SlView t = sl_view_trim(v);
        if (t.len < 3 || !sl_view_eq_str(sl_view_tail(t, t.len - 3), "GMT"))
            mark(msg, v, "Date not in GMT");
        break;
    }
    default:
        break;
    }
}

void
sip_content_type_split(SlView value, SlView *media_type, SlView *params)
{
    SlView t, p;
    if (sl_view_split_u8(value, ';', &t, &p))
        *params = p;
    else
        *params = SL_VIEW_EMPTY;
    *media_type = sl_view_trim(t);
}

/* -------------------------------------------------------------- parse */

/* Skips bytes before the start line: leading CRLFs (keep-alives, RFC 3261
 * section 7.5) (junk is left to the framer). */
static SlView
skip_leading(SlView data)
{
    SlView v = data;
    while (v.len && (sl_view_at(v, 0) == '\r' || sl_view_at(v, 0) == '\n'))
        sl_view_skip(&v, 1);
    return v;
}

SlStatus
sip_msg_parse(SlView data, SipFraming framing, const SipParseOptions *opts, SipMsg *msg)
{
    SipParseOptions defaults;
    if (opts == NULL) {
        sip_parse_options_init(&defaults);
        opts = &defaults;
    }
    unsigned max_headers = MIN(opts->max_headers, SIP_MAX_HEADERS);
    /* options filled field by field by older callers leave these 0 */
    unsigned max_via = opts->max_via ? opts->max_via
                                     : (unsigned)sl_limit_info(SL_LIMIT_SIP_VIA)->def;
    unsigned max_depth = opts->max_multipart_depth
                             ? opts->max_multipart_depth
                             : (unsigned)sl_limit_info(SL_LIMIT_MULTIPART_DEPTH)->def;

    memset(msg, 0, offsetof(SipMsg, hdrs));
    msg->n_hdrs = 0;
    memset(msg->first, 0xff, sizeof msg->first);
    memset(&msg->body, 0, sizeof *msg - offsetof(SipMsg, body));
    msg->max_forwards = -1;
    msg->max_multipart_depth = max_depth;

    SlView start = skip_leading(data);
    SlView v = start, line;
    bool bare = false;
    msg->raw = start;

    if (!sl_view_line(&v, &line, &bare)) {
        if (framing == SIP_FRAMING_STREAM && start.len < opts->max_message)
            return SL_ERR_NEED_MORE;
        return SL_ERR_NOT_MINE;
    }
    if (!line_is_start_line(line))
        return SL_ERR_NOT_MINE;
    if (bare)
        msg->flags |= SIP_FLAG_BARE_LF;
    parse_start_line(line, msg);

    /* header block */
    bool closed = false;
    SipHdr *cur = NULL;
    while (v.len) {
        if (!sl_view_line(&v, &line, &bare)) {
            if (framing == SIP_FRAMING_STREAM)
                goto need_more;
            line = v; /* last line without terminator */
            v = sl_view_tail(v, v.len);
        }
        if (bare)
            msg->flags |= SIP_FLAG_BARE_LF;
        if (line.len == 0) {
            closed = true;
            break;
        }
        int c0 = sl_view_at(line, 0);
        if ((c0 == ' ' || c0 == '\t') && cur) {
            /* folded continuation: extend the value to the end of this line */
            size_t from = sl_view_offset(msg->raw, cur->value);
            size_t to = sl_view_offset(msg->raw, line) + line.len;
            cur->value = sl_view_trim(sl_view_sub(msg->raw, from, to - from));
            continue;
        }
        if (cur)
            typed_header(msg, cur, msg->first[cur->id] == (int16_t)(cur - msg->hdrs),
                         max_via);
        cur = NULL;
        SlView name, value;
        if (!sl_view_split_u8(line, ':', &name, &value) ||
            !sl_view_is_token(sl_view_trim_right(name))) {
            mark(msg, line, "header line without name and colon");
            continue;
        }
        name = sl_view_trim_right(name);
        if (msg->n_hdrs >= max_headers) {
            msg->flags |= SIP_FLAG_HEADER_LIMIT;
            sl_error_set(&msg->error, SL_ERR_LIMIT, sl_view_offset(msg->raw, line),
                         "too many headers");
            continue;
        }
        cur = &msg->hdrs[msg->n_hdrs];
        cur->name = name;
        cur->value = sl_view_trim(value);
        cur->id = sip_hdr_id_from_name(name);
        if (msg->first[cur->id] < 0)
            msg->first[cur->id] = (int16_t)msg->n_hdrs;
        msg->n_hdrs++;
    }
    if (cur)
        typed_header(msg, cur, msg->first[cur->id] == (int16_t)(cur - msg->hdrs),
                     max_via);
    if (!closed) {
        if (framing == SIP_FRAMING_STREAM)
            goto need_more;
        msg->flags |= SIP_FLAG_NO_BLANK_LINE;
    }

    /* body */
    size_t avail = v.len;
    if (!msg->has_content_length) {
        msg->flags |= SIP_FLAG_NO_CONTENT_LENGTH;
        /* RFC 3261 section 18.3: on a datagram the body is the rest; on a
         * stream Content-Length is mandatory, so treat it as zero */
        msg->content_length = framing == SIP_FRAMING_STREAM ? 0 : avail;
    }
    if (msg->content_length > avail) {
        if (framing == SIP_FRAMING_STREAM) {
            if (sl_view_offset(data, v) + msg->content_length > opts->max_message) {
                msg->flags |= SIP_FLAG_TOO_LARGE;
                return sl_error_set(&msg->error, SL_ERR_LIMIT, 0, "message too large");
            }
            return SL_ERR_NEED_MORE;
        }
        msg->flags |= SIP_FLAG_CL_MISMATCH;
        mark(msg, v, "Content-Length exceeds body");
        msg->body = v;
    } else {
        sl_view_take(&v, msg->content_length, &msg->body);
        if (framing == SIP_FRAMING_DATAGRAM && sl_view_trim(v).len)
            msg->flags |= SIP_FLAG_TRAILING_DATA;
    }
    msg->raw = sl_view_sub(start, 0, sl_view_offset(start, msg->body) + msg->body.len);
    if (msg->raw.len > opts->max_message) {
        msg->flags |= SIP_FLAG_TOO_LARGE;
        sl_error_set(&msg->error, SL_ERR_LIMIT, 0, "message too large");
    }
    if (sl_view_ihas_prefix(msg->content_type, "multipart/") &&
        sip_msg_multipart_too_deep(msg, max_depth)) {
        msg->flags |= SIP_FLAG_MULTIPART_LIMIT;
        sl_error_set(&msg->error, SL_ERR_LIMIT, sl_view_offset(msg->raw, msg->body),
                     "multipart body nested too deep");
    }

    /* checks across headers */
    if (msg->call_id.len == 0 || !msg->has_cseq || msg->from.uri_text.len == 0 ||
        msg->to.uri_text.len == 0 || msg->n_via == 0)
        msg->flags |= SIP_FLAG_MISSING;
    if (msg->flags & SIP_FLAG_DUPLICATE)
        mark(msg, msg->raw, "single-value header repeated with another value");
    if (msg->is_request && msg->has_cseq && !sl_view_eq(msg->cseq_method_name, msg->method_name))
        mark(msg, msg->raw, "CSeq method does not match the request");
    return msg->error.status;

need_more:
    if (start.len >= opts->max_message) {
        msg->flags |= SIP_FLAG_TOO_LARGE;
        return sl_error_set(&msg->error, SL_ERR_LIMIT, 0, "header block too large");
    }
    return SL_ERR_NEED_MORE;
}

/* ------------------------------------------------------------ access */

const SipHdr *
sip_msg_hdr(const SipMsg *msg, SipHdrId id)
{
    if ((unsigned)id >= SIP_HDR_COUNT || id == SIP_HDR_OTHER || msg->first[id] < 0)
        return NULL;
    return &msg->hdrs[msg->first[id]];
}

const SipHdr *
sip_msg_hdr_by_name(const SipMsg *msg, const char *name)
{
    SlView n = sl_view_from_str(name);
    SipHdrId id = sip_hdr_id_from_name(n);
    if (id != SIP_HDR_OTHER)
        return sip_msg_hdr(msg, id);
    for (unsigned i = 0; i < msg->n_hdrs; i++)
        if (sl_view_ieq(msg->hdrs[i].name, n))
            return &msg->hdrs[i];
    return NULL;
}

bool
sip_msg_next_value(const SipMsg *msg, SipHdrId id, SipValueIter *it, SlView *value)
{
    for (;;) {
        if (it->in_list && sip_list_next(&it->rest, value))
            return true;
        it->in_list = false;
        while (it->next_hdr < msg->n_hdrs && msg->hdrs[it->next_hdr].id != id)
            it->next_hdr++;
        if (it->next_hdr >= msg->n_hdrs)
            return false;
        const SipHdr *h = &msg->hdrs[it->next_hdr++];
        if (!sip_hdr_is_list(id)) {
            *value = h->value;
            return true;
        }
        it->rest = h->value;
        it->in_list = true;
    }
}
