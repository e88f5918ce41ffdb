/* sipladder: SIP message discovery on UDP, SCTP, TCP and WebSocket.
 * RFC 3261 section 18.3 (framing), RFC 7118 (SIP over WebSocket),
 * RFC 6455 section 5.2 (base framing protocol):
 *   FIN(1) RSV(3) opcode(4) MASK(1) len(7) [len16 | len64] [mask-key(4)]
 *   payload, unmasked by XOR with mask-key[i % 4]. */
#include <string.h>

#include "sip-dissect.h"

/* Non-SIP bytes tolerated at the start of a TCP direction before it is
 * left alone. */
#define STREAM_JUNK_LIMIT (64 * 1024)
#define HTTP_HEADER_LIMIT (16 * 1024)

typedef enum { MODE_UNKNOWN, MODE_SIP, MODE_WS } StreamMode;

typedef struct {
    StreamMode mode;
    size_t junk;
} StreamState;

struct SipDissector {
    SipParseOptions opts;
    SipFoundFunc func;
    gpointer user;
    SipDissectStats stats;
    SipMsg msg;          /* reused for every message (it is large) */
    GByteArray *scratch; /* unmasked WebSocket payload */
};

const char *
sip_transport_name(SipTransport t)
{
    switch (t) {
    case SIP_TRANSPORT_UDP: return "UDP";
    case SIP_TRANSPORT_TCP: return "TCP";
    case SIP_TRANSPORT_SCTP: return "SCTP";
    case SIP_TRANSPORT_WS: return "WS";
    }
    return "-";
}

SipDissector *
sip_dissector_new(const SipParseOptions *opts, SipFoundFunc func, gpointer user)
{
    g_return_val_if_fail(func != NULL, NULL);
    SipDissector *d = g_new0(SipDissector, 1);
    if (opts)
        d->opts = *opts;
    else
        sip_parse_options_init(&d->opts);
    d->func = func;
    d->user = user;
    d->scratch = g_byte_array_new();
    return d;
}

void
sip_dissector_free(SipDissector *d)
{
    if (!d)
        return;
    g_byte_array_unref(d->scratch);
    g_free(d);
}

const SipDissectStats *
sip_dissector_stats(const SipDissector *d)
{
    return &d->stats;
}

static void
emit(SipDissector *d, const CapPacket *pkt, SlStatus st, SipTransport t)
{
    SipFound f = { pkt, &d->msg, st, t };
    d->stats.messages++;
    if (st == SL_ERR_MALFORMED)
        d->stats.malformed++;
    if (pkt->flags & CAP_PKT_TRUNCATED)
        d->msg.flags |= SIP_FLAG_TRUNCATED;
    d->func(&f, d->user);
}

/* A first byte that can start a SIP message: token characters only. */
static bool
plausible_start(SlView v)
{
    int c = sl_view_at(v, 0);
    return c >= 0 && c < 0x80 && (g_ascii_isalnum(c) || strchr("-.!%*_+`'~\r\n", c));
}

/* One message per datagram (RFC 3261 section 18.3). */
static void
dissect_datagram(SipDissector *d, const CapPacket *pkt, SlView data, SipTransport t)
{
    if (!plausible_start(data))
        return;
    SlStatus st = sip_msg_parse(data, SIP_FRAMING_DATAGRAM, &d->opts, &d->msg);
    if (st == SL_ERR_NOT_MINE || st == SL_ERR_NEED_MORE)
        return;
    if (d->msg.flags & SIP_FLAG_TOO_LARGE) {
        d->stats.limit++;
        return;
    }
    if (d->msg.flags & SIP_FLAG_HEADER_LIMIT)
        d->stats.limit++;
    emit(d, pkt, st, t);
}

/* --------------------------------------------------------- WebSocket */

/* Parses one frame at the start of @v. Returns the frame's total length,
 * 0 when incomplete, (size_t)-1 when malformed. */
static size_t
ws_frame(SipDissector *d, SlView v, uint8_t *opcode, SlView *payload)
{
    SlView h = v;
    uint8_t b0, b1;
    if (!sl_view_u8(&h, &b0) || !sl_view_u8(&h, &b1))
        return 0;
    uint64_t len = b1 & 0x7f;
    if (len == 126) {
        uint16_t l16;
        if (!sl_view_be16(&h, &l16))
            return 0;
        len = l16;
    } else if (len == 127) {
        uint32_t hi, lo;
        if (!sl_view_be32(&h, &hi) || !sl_view_be32(&h, &lo))
            return 0;
        len = ((uint64_t)hi << 32) | lo;
    }
    uint8_t key[4] = { 0, 0, 0, 0 };
    bool masked = (b1 & 0x80) != 0;
    if (masked && !sl_view_copy(&h, key, 4))
        return 0;
    if (len > d->opts.max_message)
        return (size_t)-1;
    SlView body;
    if (!sl_view_take(&h, (size_t)len, &body))
        return 0;
    *opcode = b0 & 0x0f;
    g_byte_array_set_size(d->scratch, (guint)body.len);
    SlView copy = body;
    sl_view_copy(&copy, d->scratch->data, body.len);
    if (masked)
        for (size_t i = 0; i < body.len; i++)
            d->scratch->data[i] ^= key[i % 4];
    *payload = sl_view_make(d->scratch->data, body.len);
    return sl_view_offset(v, h);
}

/* Consumes an HTTP header block that upgrades to WebSocket; returns its
 * length, 0 when incomplete, (size_t)-1 when it is not an upgrade. */
static size_t
http_upgrade(SlView v)
{
    size_t end;
    if (!sl_view_find(v, "\r\n\r\n", 4, &end))
        return v.len > HTTP_HEADER_LIMIT ? (size_t)-1 : 0;
    SlView head = sl_view_sub(v, 0, end);
    size_t pos;
    if (!sl_view_ifind_str(head, "websocket", &pos))
        return (size_t)-1;
    return end + 4;
}

/* ------------------------------------------------------------- streams */

static void
state_free(gpointer p)
{
    g_free(p);
}

/* Skips to the next line that could start a message; returns bytes to
 * drop (all but a possibly partial last line when none is found). */
static size_t
resync(SlView v)
{
    SlView rest = v, line;
    while (sl_view_line(&rest, &line, NULL)) {
        size_t off = sl_view_offset(v, rest);
        if (sip_msg_looks_like(rest) || sl_view_has_prefix(rest, "GET ") ||
            sl_view_has_prefix(rest, "HTTP/"))
            return off;
    }
    size_t consumed = sl_view_offset(v, rest);
    return consumed ? consumed : (v.len > 4096 ? v.len : 0);
}

static void
dissect_stream(SipDissector *d, const CapPacket *pkt)
{
    CapTcpStream *s = pkt->stream;
    StreamState *ss = cap_tcp_stream_get_user_data(s);
    if (ss == NULL) {
        ss = g_new0(StreamState, 1);
        cap_tcp_stream_set_user_data(s, ss, state_free);
    }
    SlView v = pkt->payload;
    while (v.len) {
        if (ss->mode == MODE_WS) {
            uint8_t opcode = 0;
            SlView payload;
            size_t n = ws_frame(d, v, &opcode, &payload);
            if (n == 0)
                break;
            if (n == (size_t)-1) {
                d->stats.limit++;
                cap_tcp_stream_ignore(s);
                return;
            }
            d->stats.ws_frames++;
            if (opcode <= 2)
                dissect_datagram(d, pkt, payload, SIP_TRANSPORT_WS);
            sl_view_skip(&v, n);
            cap_tcp_stream_consume(s, n);
            continue;
        }
        /* keep-alive CRLFs between messages (RFC 5626 section 3.5.1) */
        int c = sl_view_at(v, 0);
        if (c == '\r' || c == '\n') {
            sl_view_skip(&v, 1);
            cap_tcp_stream_consume(s, 1);
            continue;
        }
        if (ss->mode == MODE_UNKNOWN && (c == 0x16 || c == 0x17 || c == 0x15)) {
            /* TLS records: encrypted SIP cannot be read */
            d->stats.streams_ignored++;
            cap_tcp_stream_ignore(s);
            return;
        }
        if (sl_view_has_prefix(v, "GET ") || sl_view_has_prefix(v, "HTTP/1.1 101")) {
            size_t n = http_upgrade(v);
            if (n == 0)
                break;
            if (n != (size_t)-1) {
                ss->mode = MODE_WS;
                sl_view_skip(&v, n);
                cap_tcp_stream_consume(s, n);
                continue;
            }
        }
        SlStatus st = sip_msg_parse(v, SIP_FRAMING_STREAM, &d->opts, &d->msg);
        if (st == SL_ERR_NEED_MORE)
            break;
        if (st == SL_OK || st == SL_ERR_MALFORMED ||
            (st == SL_ERR_LIMIT && !(d->msg.flags & SIP_FLAG_TOO_LARGE))) {
            size_t n = sl_view_offset(v, d->msg.raw) + d->msg.raw.len;
            ss->mode = MODE_SIP;
            emit(d, pkt, st, SIP_TRANSPORT_TCP);
            sl_view_skip(&v, n);
            cap_tcp_stream_consume(s, n);
            continue;
        }
        if (st == SL_ERR_LIMIT) {
            /* a message larger than the bound: drop it (all that is
             * buffered when it is not complete yet) */
            size_t n = sl_view_offset(v, d->msg.raw) + d->msg.raw.len;
            d->stats.limit++;
            sl_view_skip(&v, n);
            cap_tcp_stream_consume(s, n);
            continue;
        }
        /* not SIP here: skip to the next plausible start line */
        size_t n = resync(v);
        if (n == 0)
            break;
        ss->junk += n;
        d->stats.junk_bytes += n;
        sl_view_skip(&v, n);
        cap_tcp_stream_consume(s, n);
        if (ss->mode == MODE_UNKNOWN && ss->junk > STREAM_JUNK_LIMIT) {
            d->stats.streams_ignored++;
            cap_tcp_stream_ignore(s);
            return;
        }
    }
}

void
sip_dissector_packet(const CapPacket *pkt, gpointer user)
{
    SipDissector *d = user;
    switch (pkt->transport) {
    case CAP_TRANSPORT_UDP:
        dissect_datagram(d, pkt, pkt->payload, SIP_TRANSPORT_UDP);
        break;
    case CAP_TRANSPORT_SCTP:
        dissect_datagram(d, pkt, pkt->payload, SIP_TRANSPORT_SCTP);
        break;
    case CAP_TRANSPORT_TCP:
        if (pkt->stream)
            dissect_stream(d, pkt);
        break;
    case CAP_TRANSPORT_NONE:
        break;
    }
}
