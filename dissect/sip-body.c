/* sipladder: SIP message bodies: multipart (RFC 2046 section 5.1, RFC 5621)
 * and finding the session description.
 *   multipart-body = [preamble CRLF] dash-boundary CRLF body-part
 *                    *(CRLF dash-boundary CRLF body-part) close-delimiter
 *   dash-boundary  = "--" boundary
 * The body is framed by Content-Length before it gets here; parts may hold
 * binary data, so only the delimiters are searched for. */
#include <string.h>

#include "sip-msg.h"

/* Finds "--boundary" at a line start at or after @from. */
static bool
find_delimiter(SlView body, SlView boundary, size_t from, size_t *at)
{
    while (from < body.len) {
        SlView rest = sl_view_tail(body, from);
        size_t pos;
        if (!sl_view_find(rest, "--", 2, &pos))
            return false;
        size_t abs = from + pos;
        SlView cand = sl_view_tail(body, abs + 2);
        bool at_line_start = abs == 0 || sl_view_at(body, abs - 1) == '\n';
        if (at_line_start && cand.len >= boundary.len &&
            sl_view_eq(sl_view_sub(cand, 0, boundary.len), boundary)) {
            *at = abs;
            return true;
        }
        from = abs + 1;
    }
    return false;
}

static SlView
unquote(SlView v)
{
    v = sl_view_trim(v);
    if (v.len >= 2 && sl_view_at(v, 0) == '"' && sl_view_at(v, v.len - 1) == '"')
        return sl_view_sub(v, 1, v.len - 2);
    return v;
}

bool
sip_multipart_next(SlView body, SlView boundary, size_t *pos, SipBodyPart *part)
{
    memset(part, 0, sizeof *part);
    boundary = unquote(boundary);
    if (boundary.len == 0 || boundary.len > 70)
        return false;
    size_t start;
    if (!find_delimiter(body, boundary, *pos, &start))
        return false;
    size_t after = start + 2 + boundary.len;
    SlView tail = sl_view_tail(body, after);
    if (sl_view_has_prefix(tail, "--"))
        return false; /* close-delimiter */
    SlView v = tail, line;
    if (!sl_view_line(&v, &line, NULL))
        return false;
    /* part headers up to an empty line */
    size_t hdr_start = sl_view_offset(body, v);
    size_t hdr_end = hdr_start;
    bool have_blank = false;
    while (sl_view_line(&v, &line, NULL)) {
        if (line.len == 0) {
            have_blank = true;
            break;
        }
        hdr_end = sl_view_offset(body, v);
        SlView name, value;
        if (sl_view_split_u8(line, ':', &name, &value) &&
            (sl_view_ieq_str(sl_view_trim(name), "Content-Type") ||
             sl_view_ieq_str(sl_view_trim(name), "c"))) {
            SlView params;
            sip_content_type_split(value, &part->content_type, &params);
        }
    }
    if (!have_blank)
        return false;
    size_t body_start = sl_view_offset(body, v);
    size_t next;
    if (!find_delimiter(body, boundary, body_start, &next))
        return false;
    /* the CRLF before the next delimiter belongs to the delimiter */
    size_t end = next;
    if (end > body_start && sl_view_at(body, end - 1) == '\n')
        end--;
    if (end > body_start && sl_view_at(body, end - 1) == '\r')
        end--;
    part->headers = sl_view_sub(body, hdr_start, hdr_end - hdr_start);
    part->body = sl_view_sub(body, body_start, end - body_start);
    *pos = next;
    return true;
}

/* The Content-Type value of @part (its own header carries the
 * parameters the split-off media type lacks). */
static SlView
part_content_type(const SipBodyPart *part)
{
    SlView ct = part->content_type;
    SlView v = part->headers, line;
    while (sl_view_line(&v, &line, NULL)) {
        SlView name, value;
        if (sl_view_split_u8(line, ':', &name, &value) &&
            (sl_view_ieq_str(sl_view_trim(name), "Content-Type") ||
             sl_view_ieq_str(sl_view_trim(name), "c")))
            ct = value;
    }
    return ct;
}

static bool
find_sdp_in(SlView content_type_value, SlView body, unsigned depth, SlView *sdp)
{
    SlView type, params;
    sip_content_type_split(content_type_value, &type, &params);
    if (sl_view_ieq_str(type, "application/sdp")) {
        *sdp = body;
        return true;
    }
    if (!sl_view_ihas_prefix(type, "multipart/") || depth == 0)
        return false;
    SlView boundary;
    if (!sip_param_get(params, "boundary", &boundary))
        return false;
    size_t pos = 0;
    SipBodyPart part;
    while (sip_multipart_next(body, boundary, &pos, &part))
        if (find_sdp_in(part_content_type(&part), part.body, depth - 1, sdp))
            return true;
    return false;
}

/* Whether a multipart body sits below @depth more levels. Each level
 * scans its own bytes once, so the work is at most the body's size times
 * the depth allowed. */
static bool
too_deep_in(SlView content_type_value, SlView body, unsigned depth)
{
    SlView type, params, boundary;
    sip_content_type_split(content_type_value, &type, &params);
    if (!sl_view_ihas_prefix(type, "multipart/"))
        return false;
    if (depth == 0)
        return true;
    if (!sip_param_get(params, "boundary", &boundary))
        return false;
    size_t pos = 0;
    SipBodyPart part;
    while (sip_multipart_next(body, boundary, &pos, &part))
        if (too_deep_in(part_content_type(&part), part.body, depth - 1))
            return true;
    return false;
}

bool
sip_msg_multipart_too_deep(const SipMsg *msg, unsigned max_depth)
{
    const SipHdr *ct = sip_msg_hdr(msg, SIP_HDR_CONTENT_TYPE);
    if (ct == NULL || msg->body.len == 0)
        return false;
    return too_deep_in(ct->value, msg->body, max_depth);
}

bool
sip_msg_find_sdp(const SipMsg *msg, unsigned max_depth, SlView *sdp)
{
    const SipHdr *ct = sip_msg_hdr(msg, SIP_HDR_CONTENT_TYPE);
    if (ct == NULL || msg->body.len == 0)
        return false;
    return find_sdp_in(ct->value, msg->body, max_depth, sdp);
}
