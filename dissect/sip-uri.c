/* sipladder: SIP URIs, name-addr, parameters, lists and Via values.
 * RFC 3261 sections 19.1 and 25.1:
 *   SIP-URI      = "sip:" [ userinfo ] hostport uri-parameters [ headers ]
 *   userinfo     = ( user / telephone-subscriber ) [ ":" password ] "@"
 *   hostport     = host [ ":" port ]
 *   host         = hostname / IPv4address / IPv6reference
 *   name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
 *   display-name = *(token LWS) / quoted-string
 *   via-parm     = sent-protocol LWS sent-by *( SEMI via-params )
 *   sent-protocol = protocol-name SLASH protocol-version SLASH transport
 * where SLASH = SWS "/" SWS and SEMI = SWS ";" SWS. */
#include <string.h>

#include "sip-msg.h"

static bool
is_ws(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ---------------------------------------------------------- parameters */

bool
sip_param_next(SlView *params, SlView *name, SlView *value)
{
    SlView p = sl_view_trim_left(*params);
    if (p.len == 0) {
        *params = p;
        return false;
    }
    if (sl_view_at(p, 0) == ';')
        sl_view_skip(&p, 1);
    /* one parameter runs to the next ';' outside a quoted string */
    size_t i = 0;
    bool quoted = false;
    for (; i < p.len; i++) {
        int c = sl_view_at(p, i);
        if (quoted && c == '\\') {
            i++;
            continue;
        }
        if (c == '"')
            quoted = !quoted;
        else if (c == ';' && !quoted)
            break;
    }
    SlView one = sl_view_sub(p, 0, i);
    *params = sl_view_tail(p, i);
    SlView n, v;
    if (sl_view_split_u8(one, '=', &n, &v)) {
        *name = sl_view_trim(n);
        *value = sl_view_trim(v);
    } else {
        *name = sl_view_trim(one);
        *value = SL_VIEW_EMPTY;
    }
    return true;
}

bool
sip_param_get(SlView params, const char *name, SlView *value)
{
    SlView n, v;
    while (sip_param_next(&params, &n, &v)) {
        if (sl_view_ieq_str(n, name)) {
            if (value)
                *value = v;
            return true;
        }
    }
    return false;
}

/* Params must each have a token name: ";;" or a trailing ';' is malformed. */
static bool
params_valid(SlView params)
{
    SlView n, v;
    if (sl_view_at(sl_view_trim(params), 0) == ';' && sl_view_trim(params).len == 1)
        return false;
    while (sip_param_next(&params, &n, &v))
        if (!sl_view_is_token(n))
            return false;
    return true;
}

bool
sip_list_next(SlView *rest, SlView *item)
{
    SlView r = sl_view_trim_left(*rest);
    if (r.len == 0) {
        *rest = r;
        return false;
    }
    size_t i = 0;
    bool quoted = false;
    int angle = 0;
    for (; i < r.len; i++) {
        int c = sl_view_at(r, i);
        if (quoted) {
            if (c == '\\')
                i++;
            else if (c == '"')
                quoted = false;
            continue;
        }
        if (c == '"')
            quoted = true;
        else if (c == '<')
            angle++;
        else if (c == '>' && angle > 0)
            angle--;
        else if (c == ',' && angle == 0)
            break;
    }
    *item = sl_view_trim(sl_view_sub(r, 0, i));
    *rest = sl_view_tail(r, i + 1);
    return true;
}

/* ---------------------------------------------------------------- URIs */

static bool
is_scheme_char(int c)
{
    return g_ascii_isalnum(c) || c == '+' || c == '-' || c == '.';
}

/* hostport: host [ ":" port ], host may be an IPv6 reference. */
static bool
parse_hostport(SlView hp, SlView *host, uint16_t *port)
{
    SlView port_text = SL_VIEW_EMPTY;
    if (sl_view_at(hp, 0) == '[') {
        size_t close;
        if (!sl_view_find_u8(hp, ']', &close))
            return false;
        *host = sl_view_sub(hp, 1, close - 1);
        SlView after = sl_view_tail(hp, close + 1);
        if (after.len) {
            if (sl_view_at(after, 0) != ':')
                return false;
            port_text = sl_view_tail(after, 1);
        }
    } else {
        SlView h, p;
        if (sl_view_split_u8(hp, ':', &h, &p))
            port_text = p;
        *host = h;
    }
    *port = 0;
    if (host->len == 0)
        return false;
    for (size_t i = 0; i < host->len; i++) {
        int c = sl_view_at(*host, i);
        if (!(g_ascii_isalnum(c) || c == '.' || c == '-' || c == ':' || c == '_'))
            return false;
    }
    if (port_text.len) {
        uint64_t v;
        if (!sl_view_parse_uint(port_text, 5, 65535, &v) || port_text.len != sl_view_trim(port_text).len)
            return false;
        *port = (uint16_t)v;
    }
    return true;
}

SlStatus
sip_uri_parse(SlView text, SipUri *uri)
{
    memset(uri, 0, sizeof *uri);
    SlView scheme, rest;
    if (!sl_view_split_u8(text, ':', &scheme, &rest) || scheme.len == 0 ||
        !g_ascii_isalpha(sl_view_at(scheme, 0)))
        return SL_ERR_MALFORMED;
    for (size_t i = 0; i < scheme.len; i++)
        if (!is_scheme_char(sl_view_at(scheme, i)))
            return SL_ERR_MALFORMED;
    uri->scheme = scheme;
    for (size_t i = 0; i < rest.len; i++)
        if (is_ws(sl_view_at(rest, i)) || sl_view_at(rest, i) == '<' || sl_view_at(rest, i) == '>')
            return SL_ERR_MALFORMED;

    uri->is_sip = sl_view_ieq_str(scheme, "sip") || sl_view_ieq_str(scheme, "sips");
    if (!uri->is_sip) {
        /* absoluteURI / tel: the opaque part; tel params after ';' */
        SlView body, params;
        if (sl_view_split_u8(rest, ';', &body, &params))
            uri->params = params;
        uri->user = body;
        return rest.len ? SL_OK : SL_ERR_MALFORMED;
    }

    /* userinfo ends at the last '@': a user part may hold ';' and '?',
     * while uri-parameters and headers never hold a bare '@' */
    SlView hostpart = rest;
    for (size_t i = rest.len; i > 0; i--) {
        if (sl_view_at(rest, i - 1) == '@') {
            SlView userinfo = sl_view_sub(rest, 0, i - 1);
            SlView u, pw;
            if (sl_view_split_u8(userinfo, ':', &u, &pw))
                uri->password = pw;
            uri->user = u;
            hostpart = sl_view_tail(rest, i);
            break;
        }
    }
    SlView headers;
    if (sl_view_split_u8(hostpart, '?', &hostpart, &headers))
        uri->headers = headers;
    SlView hp, params;
    if (sl_view_split_u8(hostpart, ';', &hp, &params))
        uri->params = params;
    if (!parse_hostport(hp, &uri->host, &uri->port))
        return SL_ERR_MALFORMED;
    return SL_OK;
}

/* ----------------------------------------------------------- name-addr */

/* Ends at the closing quote; false when unterminated. */
static bool
quoted_string_end(SlView v, size_t *end)
{
    for (size_t i = 1; i < v.len; i++) {
        int c = sl_view_at(v, i);
        if (c == '\\') {
            i++;
            continue;
        }
        if (c == '"') {
            *end = i;
            return true;
        }
    }
    return false;
}

SlStatus
sip_name_addr_parse(SlView value, SipNameAddr *out)
{
    memset(out, 0, sizeof *out);
    SlView v = sl_view_trim(value);
    SlStatus st = SL_OK;
    SlView after;

    if (v.len == 0)
        return SL_ERR_MALFORMED;
    if (sl_view_at(v, 0) == '"') {
        size_t end;
        if (!quoted_string_end(v, &end))
            return SL_ERR_MALFORMED;
        out->display = sl_view_sub(v, 1, end - 1);
        v = sl_view_trim_left(sl_view_tail(v, end + 1));
        if (sl_view_at(v, 0) != '<')
            return SL_ERR_MALFORMED;
    }
    size_t lt;
    SlView semi_before = v;
    size_t semi = v.len;
    sl_view_find_u8(v, ';', &semi);
    if (sl_view_find_u8(v, '<', &lt) && lt < semi) {
        if (out->display.len == 0 && lt > 0) {
            /* display-name = *(token LWS) */
            SlView d = sl_view_trim(sl_view_sub(v, 0, lt));
            for (size_t i = 0; i < d.len; i++) {
                int c = sl_view_at(d, i);
                SlView one = sl_view_sub(d, i, 1);
                if (!is_ws(c) && !sl_view_is_token(one))
                    st = SL_ERR_MALFORMED;
            }
            out->display = d;
        }
        size_t gt;
        SlView inner = sl_view_tail(v, lt + 1);
        if (!sl_view_find_u8(inner, '>', &gt))
            return SL_ERR_MALFORMED;
        out->has_brackets = true;
        SlView u = sl_view_sub(inner, 0, gt);
        if (sl_view_trim(u).len != u.len)
            st = SL_ERR_MALFORMED; /* LWS inside <> (RFC 4475 3.1.2.14) */
        out->uri_text = sl_view_trim(u);
        after = sl_view_tail(inner, gt + 1);
    } else {
        /* addr-spec: parameters after it are header parameters, and a URI
         * with headers must be in brackets (RFC 3261 section 20) */
        (void)semi_before;
        out->uri_text = sl_view_trim(sl_view_sub(v, 0, semi));
        after = sl_view_tail(v, semi);
        size_t q;
        if (sl_view_find_u8(out->uri_text, '?', &q) || sl_view_find_u8(out->uri_text, ',', &q))
            st = SL_ERR_MALFORMED;
    }
    if (sip_uri_parse(out->uri_text, &out->uri) != SL_OK)
        st = SL_ERR_MALFORMED;
    after = sl_view_trim(after);
    if (after.len) {
        if (sl_view_at(after, 0) != ';')
            return SL_ERR_MALFORMED;
        out->params = sl_view_tail(after, 1);
        if (!params_valid(after))
            st = SL_ERR_MALFORMED;
        sip_param_get(out->params, "tag", &out->tag);
    }
    return st;
}

/* ----------------------------------------------------------------- Via */

SlStatus
sip_via_parse(SlView value, SipVia *out)
{
    memset(out, 0, sizeof *out);
    SlView v = sl_view_trim(value);
    /* sent-protocol: three tokens separated by SLASH */
    SlView parts[3];
    const SlView whole = v;
    for (int i = 0; i < 3; i++) {
        sl_view_skip_ws(&v);
        parts[i] = sl_view_take_token(&v);
        if (parts[i].len == 0)
            return SL_ERR_MALFORMED;
        sl_view_skip_ws(&v);
        if (i < 2) {
            if (sl_view_at(v, 0) != '/')
                return SL_ERR_MALFORMED;
            sl_view_skip(&v, 1);
        }
    }
    out->protocol = sl_view_sub(whole, 0, sl_view_offset(whole, parts[1]) + parts[1].len);
    out->transport = parts[2];
    sl_view_skip_ws(&v);
    /* sent-by runs to ';' (or the end) */
    SlView sent_by, params;
    bool has_params = sl_view_split_u8(v, ';', &sent_by, &params);
    sent_by = sl_view_trim(sent_by);
    /* allow LWS around ':' in sent-by = host [ COLON port ] */
    if (!parse_hostport(sent_by, &out->host, &out->port)) {
        SlView h, p;
        if (!sl_view_split_u8(sent_by, ':', &h, &p))
            return SL_ERR_MALFORMED;
        uint64_t port;
        out->host = sl_view_trim(h);
        if (!sl_view_parse_uint(p, 5, 65535, &port) || out->host.len == 0)
            return SL_ERR_MALFORMED;
        out->port = (uint16_t)port;
    }
    if (has_params) {
        out->params = params;
        if (!params_valid(params))
            return SL_ERR_MALFORMED;
        sip_param_get(params, "branch", &out->branch);
        sip_param_get(params, "received", &out->received);
        out->has_rport = sip_param_get(params, "rport", &out->rport);
        out->is_rfc3261 = sl_view_has_prefix(out->branch, "z9hG4bK");
    }
    return SL_OK;
}

/* -------------------------------------------------------------- Reason */

SlStatus
sip_reason_parse(SlView value, SipReason *out)
{
    memset(out, 0, sizeof *out);
    out->cause = -1;
    SlView v = sl_view_trim(value), protocol, params;
    bool has_params = sl_view_split_u8(v, ';', &protocol, &params);
    out->protocol = sl_view_trim(protocol);
    if (!sl_view_is_token(out->protocol))
        return SL_ERR_MALFORMED;
    if (!has_params)
        return SL_OK;
    SlStatus st = SL_OK;
    SlView cause, text;
    if (sip_param_get(params, "cause", &cause)) {
        uint64_t n;
        if (sl_view_parse_uint(cause, 5, 65535, &n))
            out->cause = (int)n;
        else
            st = SL_ERR_MALFORMED;
    }
    if (sip_param_get(params, "text", &text)) {
        if (text.len >= 2 && sl_view_at(text, 0) == '"' && sl_view_at(text, text.len - 1) == '"')
            text = sl_view_sub(text, 1, text.len - 2);
        out->text = text;
    }
    return st;
}
