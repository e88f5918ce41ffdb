/* sipladder: SDP parser (RFC 8866 sections 5 and 9; a=rtcp from RFC 3605,
 * a=rtcp-mux from RFC 5761, a=crypto from RFC 4568 section 9.1). */
#include "sdp.h"

#include "rtp-pt.h"

#include <string.h>

/* RFC 8866 section 9 (abridged):
 *   session-description = version-field origin-field session-name-field
 *                         [information-field] [uri-field] *email-field
 *                         *phone-field [connection-field] *bandwidth-field
 *                         1*time-description [key-field] *attribute-field
 *                         *media-description
 *   media-description   = media-field [information-field]
 *                         *connection-field *bandwidth-field [key-field]
 *                         *attribute-field
 *   <field>             = <type> "=" <value> CRLF
 * Real traffic bends the order, so it is not enforced: every line is
 * session-level until the first m= line, media-level after it. */

/* Parser state; lives on sdp_parse()'s stack. */
typedef struct {
    SlView body;
    Sdp *out;
    SlError *err;
    SlStatus status; /* first problem, SL_OK until then */
    bool seen_version, seen_origin, seen_session_name, seen_conn;
    bool in_media;   /* an m= line was seen */
    SdpMedia *cur;   /* open media section; NULL before the first m= and in
                      * sections dropped by SDP_MAX_MEDIA */
    /* The open media section, indexed like cur->formats. */
    bool has_dir, has_rtcp_addr;
    int fmt_pt[SDP_MAX_FORMATS]; /* payload type, -1 when not one */
    SdpRtpmap map[SDP_MAX_FORMATS];
    bool has_map[SDP_MAX_FORMATS];
    SlView fmtp[SDP_MAX_FORMATS];
} SdpParser;

static void
fail(SdpParser *ps, SlStatus status, SlView where, const char *msg)
{
    sl_error_set(ps->err, status, sl_view_offset(ps->body, where), msg);
    if (ps->status == SL_OK)
        ps->status = status;
}

static gboolean
is_blank(gchar c)
{
    return c == ' ' || c == '\t';
}

static gboolean
is_not_blank(gchar c)
{
    return !is_blank(c);
}

/* Next SP/HTAB-separated field of @v (empty at the end), consumed. The
 * grammar asks for single SP; runs of blanks are tolerated. */
static SlView
next_field(SlView *v)
{
    sl_view_take_while(v, is_blank);
    return sl_view_take_while(v, is_not_blank);
}

/* A payload type 0..127 written as a decimal number. */
static bool
parse_pt(SlView v, unsigned *pt)
{
    uint64_t n;
    if (!sl_view_parse_uint(v, 3, RTP_PT_MAX, &n))
        return false;
    *pt = (unsigned)n;
    return true;
}

typedef enum {
    ADDR_BAD,  /* breaks the grammar (missing field, IP of the wrong family) */
    ADDR_HOST, /* well-formed but not an IP: FQDN, other nettype/addrtype */
    ADDR_IP,
} AddrKind;

/* nettype SP addrtype SP connection-address (RFC 8866 section 9)
 *   connection-address = multicast-address / unicast-address / FQDN
 *   IP4-multicast      = m1 3( "." decimal-uchar ) "/" ttl [ "/" numaddr ]
 *   IP6-multicast      = IP6-address [ "/" numaddr ]
 * @text gets the address without the "/..." suffixes; @out is cleared
 * unless the result is ADDR_IP. */
static AddrKind
parse_address(SlView nettype, SlView addrtype, SlView address, SlAddr *out, SlView *text)
{
    SlView suffix;
    sl_view_split_u8(address, '/', text, &suffix);
    memset(out, 0, sizeof *out);
    if (nettype.len == 0 || addrtype.len == 0 || text->len == 0)
        return ADDR_BAD;
    int want;
    if (!sl_view_ieq_str(nettype, "IN"))
        return ADDR_HOST;
    if (sl_view_ieq_str(addrtype, "IP4"))
        want = SL_AF_INET;
    else if (sl_view_ieq_str(addrtype, "IP6"))
        want = SL_AF_INET6;
    else
        return ADDR_HOST;
    SlAddr a;
    if (!sl_addr_parse_ip_view(text->p, text->len, &a))
        return ADDR_HOST;
    if (a.family != want)
        return ADDR_BAD;
    *out = a;
    return ADDR_IP;
}

/* --- Attributes (RFC 8866 section 6 and extensions). --- */

typedef void (*SdpAttrFn)(SdpParser *ps, SdpMedia *m, SlView value, int arg);

/* a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
 * (RFC 8866 section 6.6). Only payload types listed on the m= line count;
 * the first rtpmap of a payload type wins. */
static void
attr_rtpmap(SdpParser *ps, SdpMedia *m, SlView value, int arg)
{
    SlView v = value;
    SlView pt_text = next_field(&v);
    SlView spec = next_field(&v);
    unsigned pt;
    if (!parse_pt(pt_text, &pt)) {
        fail(ps, SL_ERR_MALFORMED, value, "bad rtpmap payload type");
        return;
    }
    size_t i = 0;
    while (i < m->n_formats && ps->fmt_pt[i] != (int)pt)
        i++;
    if (i == m->n_formats || ps->has_map[i])
        return;

    SlView name, rest, rate_text, chan_text;
    bool has_rate = sl_view_split_u8(spec, '/', &name, &rest);
    bool has_chan = sl_view_split_u8(rest, '/', &rate_text, &chan_text);
    if (name.len == 0) {
        fail(ps, SL_ERR_MALFORMED, spec, "rtpmap without encoding name");
        return;
    }
    SdpRtpmap r = { .pt = pt, .encoding = name, .channels = 1 };
    uint64_t n;
    if (has_rate && sl_view_parse_uint(rate_text, 10, UINT32_MAX, &n) && n > 0) {
        r.clock_rate = (uint32_t)n;
    } else {
        r.clock_rate = rtp_pt_clock_rate(pt, name);
        fail(ps, SL_ERR_MALFORMED, has_rate ? rate_text : spec, "bad rtpmap clock rate");
    }
    if (has_chan) {
        if (sl_view_parse_uint(chan_text, 3, 255, &n) && n > 0)
            r.channels = (unsigned)n;
        else
            fail(ps, SL_ERR_MALFORMED, chan_text, "bad rtpmap channel count");
    }
    ps->map[i] = r;
    ps->has_map[i] = true;
}

/* a=fmtp:<format> <format specific parameters> (RFC 8866 section 6.15).
 * Kept for RTP payload types on the m= line; the first one wins. */
static void
attr_fmtp(SdpParser *ps, SdpMedia *m, SlView value, int arg)
{
    if (!m->is_rtp)
        return;
    SlView v = value;
    SlView fmt = next_field(&v);
    unsigned pt;
    if (!parse_pt(fmt, &pt)) {
        fail(ps, SL_ERR_MALFORMED, value, "bad fmtp payload type");
        return;
    }
    for (size_t i = 0; i < m->n_formats; i++) {
        if (ps->fmt_pt[i] == (int)pt) {
            if (ps->fmtp[i].p == NULL)
                ps->fmtp[i] = sl_view_trim(v);
            return;
        }
    }
}

/* a=ptime:<packet time> and a=maxptime:<maximum packet time>, in ms
 * (RFC 8866 sections 6.4, 6.5); decimal fractions are accepted and
 * dropped. @arg: 0 for ptime, 1 for maxptime. */
static void
attr_ptime(SdpParser *ps, SdpMedia *m, SlView value, int arg)
{
    SlView whole, frac;
    bool has_frac = sl_view_split_u8(sl_view_trim(value), '.', &whole, &frac);
    uint64_t ms, ignored;
    if (!sl_view_parse_uint(whole, 6, 100000, &ms) ||
        (has_frac && !sl_view_parse_uint(frac, 9, UINT64_MAX, &ignored))) {
        fail(ps, SL_ERR_MALFORMED, value, arg ? "bad maxptime" : "bad ptime");
        return;
    }
    if (arg)
        m->maxptime = (int)ms;
    else
        m->ptime = (int)ms;
}

/* a=sendrecv / a=sendonly / a=recvonly / a=inactive (RFC 8866 section
 * 6.7); the last one wins. @m is NULL at session level; @arg is the
 * SdpDirection. */
static void
attr_direction(SdpParser *ps, SdpMedia *m, SlView value, int arg)
{
    if (m) {
        m->direction = (SdpDirection)arg;
        ps->has_dir = true;
    } else {
        ps->out->direction = (SdpDirection)arg;
    }
}

/* rtcp-attribute = "a=rtcp:" port [nettype space addrtype space
 *                  connection-address] CRLF           (RFC 3605 section 2.1) */
static void
attr_rtcp(SdpParser *ps, SdpMedia *m, SlView value, int arg)
{
    SlView v = value;
    SlView port_text = next_field(&v);
    uint64_t port;
    if (!sl_view_parse_uint(port_text, 5, 65535, &port)) {
        fail(ps, SL_ERR_MALFORMED, value, "bad rtcp port");
        return;
    }
    m->has_rtcp = true;
    m->rtcp_port = (uint16_t)port;
    SlView nettype = next_field(&v);
    if (nettype.len == 0)
        return;
    SlView addrtype = next_field(&v);
    SlView address = next_field(&v);
    SlView text;
    ps->has_rtcp_addr = true;
    if (parse_address(nettype, addrtype, address, &m->rtcp_addr, &text) == ADDR_BAD)
        fail(ps, SL_ERR_MALFORMED, nettype, "bad rtcp address");
}

/* a=rtcp-mux (RFC 5761 section 5.1.1) */
static void
attr_rtcp_mux(SdpParser *ps, SdpMedia *m, SlView value, int arg)
{
    m->rtcp_mux = true;
}

static gboolean
is_suite_char(gchar c)
{
    return g_ascii_isalnum(c) || c == '_';
}

/* RFC 4568 section 9.1:
 *   a=crypto:<tag> 1*WSP <crypto-suite> 1*WSP <key-params>
 *            *(1*WSP <session-param>)
 *   tag          = 1*9DIGIT
 *   crypto-suite = 1*(ALPHA / DIGIT / "_")
 *   key-params   = key-param *(";" key-param)
 *   key-param    = key-method ":" key-info
 * The first well-formed line is kept; keys are not decoded. */
static void
attr_crypto(SdpParser *ps, SdpMedia *m, SlView value, int arg)
{
    SlView v = value;
    SlView tag_text = next_field(&v);
    SlView suite = next_field(&v);
    SlView key_params = next_field(&v);
    uint64_t tag;
    if (!sl_view_parse_uint(tag_text, 9, 999999999, &tag)) {
        fail(ps, SL_ERR_MALFORMED, value, "bad crypto tag");
        return;
    }
    SlView s = suite;
    if (suite.len == 0 || sl_view_take_while(&s, is_suite_char).len != suite.len) {
        fail(ps, SL_ERR_MALFORMED, value, "bad crypto suite");
        return;
    }
    size_t colon;
    if (!sl_view_find_u8(key_params, ':', &colon) || colon == 0) {
        fail(ps, SL_ERR_MALFORMED, value, "bad crypto key-params");
        return;
    }
    if (m->has_crypto)
        return;
    m->has_crypto = true;
    m->crypto_tag = (unsigned)tag;
    m->crypto_suite = suite;
}

/* attribute = (attribute-name ":" attribute-value) / attribute-name.
 * Names compare case-insensitively; unknown attributes are legal and
 * ignored. */
static const struct {
    const char *name;
    SdpAttrFn fn;
    bool is_session_ok; /* also meaningful before the first m= line */
    int arg;
} attr_table[] = {
    { "rtpmap", attr_rtpmap, false, 0 },
    { "fmtp", attr_fmtp, false, 0 },
    { "ptime", attr_ptime, false, 0 },
    { "maxptime", attr_ptime, false, 1 },
    { "sendrecv", attr_direction, true, SDP_DIR_SENDRECV },
    { "sendonly", attr_direction, true, SDP_DIR_SENDONLY },
    { "recvonly", attr_direction, true, SDP_DIR_RECVONLY },
    { "inactive", attr_direction, true, SDP_DIR_INACTIVE },
    { "rtcp", attr_rtcp, false, 0 },
    { "rtcp-mux", attr_rtcp_mux, false, 0 },
    { "crypto", attr_crypto, false, 0 },
};

/* --- Lines. --- */

/* Closes the open media section: builds the rtpmap list and resolves what
 * it inherits from the session. */
static void
media_finish(SdpParser *ps)
{
    SdpMedia *m = ps->cur;
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->n_formats; i++) {
        if (ps->fmt_pt[i] < 0 || sdp_media_rtpmap(m, (unsigned)ps->fmt_pt[i]))
            continue;
        SdpRtpmap r;
        const RtpPtInfo *info = rtp_pt_static((unsigned)ps->fmt_pt[i]);
        if (ps->has_map[i]) {
            r = ps->map[i];
        } else if (info) {
            r = (SdpRtpmap){ info->pt, sl_view_from_str(info->name), info->clock_rate,
                             info->channels, SL_VIEW_EMPTY };
        } else {
            continue;
        }
        r.fmtp = ps->fmtp[i];
        m->rtpmap[m->n_rtpmap++] = r;
    }
    if (!ps->has_dir)
        m->direction = ps->out->direction;
    if (!m->has_own_conn) {
        m->conn = ps->out->conn;
        m->has_conn = ps->out->has_conn;
        m->conn_text = ps->out->conn_text;
    }
    m->conn.port = m->port;
    if (m->has_rtcp) {
        if (!ps->has_rtcp_addr && m->has_conn)
            m->rtcp_addr = m->conn;
        m->rtcp_addr.port = m->rtcp_port;
    }
    ps->cur = NULL;
}

/* media-field = %x6d "=" media SP port ["/" integer] SP proto 1*(SP fmt)
 * (RFC 8866 section 5.14). Opens a media section even when malformed, so
 * that its attributes do not land on the previous one. */
static void
line_media(SdpParser *ps, SlView value)
{
    media_finish(ps);
    ps->in_media = true;
    if (ps->out->n_media >= SDP_MAX_MEDIA) {
        fail(ps, SL_ERR_LIMIT, value, "more than SDP_MAX_MEDIA m= lines");
        return;
    }
    SdpMedia *m = &ps->out->media[ps->out->n_media++];
    memset(m, 0, sizeof *m);
    m->n_ports = 1;
    m->ptime = -1;
    m->maxptime = -1;
    ps->cur = m;
    ps->has_dir = false;
    ps->has_rtcp_addr = false;
    memset(ps->has_map, 0, sizeof ps->has_map);
    memset(ps->fmtp, 0, sizeof ps->fmtp);

    SlView v = value;
    m->media = next_field(&v);
    SlView port_field = next_field(&v);
    m->proto = next_field(&v);
    if (m->media.len == 0 || m->proto.len == 0)
        fail(ps, SL_ERR_MALFORMED, value, "m= needs media, port and proto");

    SlView port_text, count_text;
    bool has_count = sl_view_split_u8(port_field, '/', &port_text, &count_text);
    uint64_t n;
    if (sl_view_parse_uint(port_text, 5, 65535, &n))
        m->port = (uint16_t)n;
    else
        fail(ps, SL_ERR_MALFORMED, port_field, "bad m= port");
    if (has_count) {
        if (sl_view_parse_uint(count_text, 5, 65535, &n) && n > 0)
            m->n_ports = (uint16_t)n;
        else
            fail(ps, SL_ERR_MALFORMED, count_text, "bad m= port count");
    }

    size_t pos;
    m->is_rtp = sl_view_ifind_str(m->proto, "RTP/", &pos);
    for (;;) {
        SlView fmt = next_field(&v);
        if (fmt.len == 0)
            break;
        if (m->n_formats == SDP_MAX_FORMATS) {
            fail(ps, SL_ERR_LIMIT, fmt, "more than SDP_MAX_FORMATS formats");
            break;
        }
        unsigned pt;
        ps->fmt_pt[m->n_formats] = -1;
        if (m->is_rtp) {
            if (parse_pt(fmt, &pt))
                ps->fmt_pt[m->n_formats] = (int)pt;
            else
                fail(ps, SL_ERR_MALFORMED, fmt, "RTP format is not a payload type");
        }
        m->formats[m->n_formats++] = fmt;
    }
    if (m->n_formats == 0 && m->proto.len > 0)
        fail(ps, SL_ERR_MALFORMED, value, "m= without formats");
}

/* version-field = %x76 "=" 1*DIGIT CRLF; only 0 is defined. */
static void
line_version(SdpParser *ps, SlView value)
{
    if (ps->seen_version) {
        ps->out->n_bad_lines++;
        return;
    }
    ps->seen_version = true;
    uint64_t version;
    if (!sl_view_parse_uint(value, 9, UINT32_MAX, &version) || version != 0)
        fail(ps, SL_ERR_MALFORMED, value, "SDP version is not 0");
}

/* origin-field = %x6f "=" username SP sess-id SP sess-version SP
 *                nettype SP addrtype SP unicast-address CRLF */
static void
line_origin(SdpParser *ps, SlView value)
{
    Sdp *out = ps->out;
    if (ps->seen_origin || ps->in_media)
        return;
    ps->seen_origin = true;
    SlView v = value;
    out->origin_user = next_field(&v);
    out->origin_sess_id = next_field(&v);
    out->origin_sess_version = next_field(&v);
    SlView nettype = next_field(&v);
    SlView addrtype = next_field(&v);
    SlView address = next_field(&v);
    SlView text;
    AddrKind kind = parse_address(nettype, addrtype, address, &out->origin_addr, &text);
    if (out->origin_user.len == 0 || out->origin_sess_id.len == 0 ||
        out->origin_sess_version.len == 0 || kind == ADDR_BAD) {
        fail(ps, SL_ERR_MALFORMED, value, "bad o= line");
        return;
    }
    out->has_origin = true;
}

/* session-name-field = %x73 "=" text CRLF; kept as written. */
static void
line_session_name(SdpParser *ps, SlView value)
{
    if (ps->seen_session_name || ps->in_media)
        return;
    ps->seen_session_name = true;
    ps->out->session_name = value;
}

/* time-fields = 1*( %x74 "=" start-time SP stop-time ...); the first. */
static void
line_timing(SdpParser *ps, SlView value)
{
    Sdp *out = ps->out;
    if (out->has_timing || ps->in_media)
        return;
    SlView v = value;
    SlView start = next_field(&v);
    SlView stop = next_field(&v);
    if (!sl_view_parse_uint(start, 19, UINT64_MAX, &out->time_start) ||
        !sl_view_parse_uint(stop, 19, UINT64_MAX, &out->time_stop)) {
        out->time_start = out->time_stop = 0;
        fail(ps, SL_ERR_MALFORMED, value, "bad t= line");
        return;
    }
    out->has_timing = true;
}

/* connection-field = %x63 "=" nettype SP addrtype SP connection-address
 * (RFC 8866 section 5.7). The first c= of each level counts; a media c=
 * replaces the session one even when it names a host. */
static void
line_connection(SdpParser *ps, SlView value)
{
    SlView v = value;
    SlView nettype = next_field(&v);
    SlView addrtype = next_field(&v);
    SlView address = next_field(&v);
    SlAddr addr;
    SlView text;
    AddrKind kind = parse_address(nettype, addrtype, address, &addr, &text);
    if (kind == ADDR_BAD)
        fail(ps, SL_ERR_MALFORMED, value, "bad c= line");
    if (!ps->in_media) {
        if (ps->seen_conn)
            return;
        ps->seen_conn = true;
        ps->out->conn = addr;
        ps->out->has_conn = kind == ADDR_IP;
        ps->out->conn_text = text;
    } else if (ps->cur && !ps->cur->has_own_conn) {
        ps->cur->has_own_conn = true;
        ps->cur->conn = addr;
        ps->cur->has_conn = kind == ADDR_IP;
        ps->cur->conn_text = text;
    }
}

/* attribute-field = %x61 "=" attribute CRLF */
static void
line_attribute(SdpParser *ps, SlView value)
{
    if (ps->in_media && ps->cur == NULL)
        return; /* section dropped by SDP_MAX_MEDIA */
    SlView name, attr_value;
    sl_view_split_u8(value, ':', &name, &attr_value);
    name = sl_view_trim(name);
    for (size_t i = 0; i < G_N_ELEMENTS(attr_table); i++) {
        if (!sl_view_ieq_str(name, attr_table[i].name))
            continue;
        if (ps->cur || attr_table[i].is_session_ok)
            attr_table[i].fn(ps, ps->cur, attr_value, attr_table[i].arg);
        return;
    }
}

/* Line types of RFC 8866 section 5; a NULL handler is known and skipped.
 * k= is obsolete but still legal. */
static const struct {
    char type;
    void (*fn)(SdpParser *ps, SlView value);
} line_table[] = {
    { 'v', line_version },    { 'o', line_origin },     { 's', line_session_name },
    { 'i', NULL },            { 'u', NULL },            { 'e', NULL },
    { 'p', NULL },            { 'c', line_connection }, { 'b', NULL },
    { 't', line_timing },     { 'r', NULL },            { 'z', NULL },
    { 'k', NULL },            { 'a', line_attribute },  { 'm', line_media },
};

static void
parse_line(SdpParser *ps, SlView line)
{
    while (line.len > 0 && sl_view_at(line, line.len - 1) == '\r')
        line.len--; /* a stray CR before CRLF, or a cut CRLF */
    if (line.len == 0) {
        ps->out->n_blank_lines++;
        return;
    }
    int type = sl_view_at(line, 0);
    if (sl_view_at(line, 1) != '=' || type < 'a' || type > 'z') {
        ps->out->n_bad_lines++;
        return;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(line_table); i++) {
        if (line_table[i].type != type)
            continue;
        if (line_table[i].fn)
            line_table[i].fn(ps, sl_view_tail(line, 2));
        return;
    }
    ps->out->n_bad_lines++;
}

SlStatus
sdp_parse(SlView body, Sdp *out, SlError *err)
{
    g_return_val_if_fail(out != NULL, SL_ERR_MALFORMED);
    memset(out, 0, sizeof *out);
    out->direction = SDP_DIR_SENDRECV;
    if (!sl_view_has_prefix(body, "v="))
        return SL_ERR_NOT_MINE;

    SdpParser ps = { .body = body, .out = out, .err = err, .status = SL_OK };
    SlView rest = body;
    while (rest.len > 0) {
        SlView line;
        bool bare_lf = false;
        if (!sl_view_line(&rest, &line, &bare_lf)) {
            line = rest;
            rest = sl_view_tail(rest, rest.len);
            out->has_unterminated_line = true;
        }
        if (bare_lf)
            out->has_bare_lf = true;
        parse_line(&ps, line);
    }
    media_finish(&ps);
    return ps.status;
}

const SdpRtpmap *
sdp_media_rtpmap(const SdpMedia *m, unsigned pt)
{
    g_return_val_if_fail(m != NULL, NULL);
    for (size_t i = 0; i < m->n_rtpmap; i++)
        if (m->rtpmap[i].pt == pt)
            return &m->rtpmap[i];
    return NULL;
}

const char *
sdp_direction_name(SdpDirection d)
{
    switch (d) {
    case SDP_DIR_SENDRECV: return "sendrecv";
    case SDP_DIR_SENDONLY: return "sendonly";
    case SDP_DIR_RECVONLY: return "recvonly";
    case SDP_DIR_INACTIVE: return "inactive";
    }
    return "unknown";
}
