/* sipladder: SIP message discovery on UDP, SCTP, TCP, TLS and WebSocket.
 * RFC 3261 section 18.3 (framing), RFC 7118 (SIP over WebSocket),
 * RFC 6455 section 4 (opening handshake) and 5.2 (base framing protocol):
 *   FIN(1) RSV(3) opcode(4) MASK(1) len(7) [len16 | len64] [mask-key(4)]
 *   payload, unmasked by XOR with mask-key[i % 4]; section 5.4: a message
 *   is a text/binary frame with FIN 0, continuation frames (opcode 0), the
 *   last with FIN 1; control frames (opcode 8-10) may come in between.
 * TLS (RFC 5246, RFC 8446) through tls.c: decrypted application data is
 * framed like TCP bytes (SIP, or WebSocket after an upgrade). */
#include <string.h>

#include "sip-dissect.h"
#include "tls.h"

/* Non-SIP bytes tolerated at the start of a TCP direction before it is
 * left alone. */
#define STREAM_JUNK_LIMIT (64 * 1024)
#define HTTP_HEADER_LIMIT (16 * 1024)

/* TLS connections tracked at once; further ones are left alone. */
#define TLS_MAX_CONNS 65536

typedef enum { MODE_UNKNOWN, MODE_SIP, MODE_WS, MODE_TLS } StreamMode;

typedef struct StreamState StreamState;
struct StreamState {
    StreamMode mode;
    size_t junk;
    GByteArray *ws_msg;   /* a fragmented WebSocket message being joined */
    bool ws_in_msg;       /* continuation frames expected */
    bool ws_drop_msg;     /* the message passed the bound: skip to its end */
    TlsConn *tls;         /* MODE_TLS: the connection (owned by the dissector) */
    StreamState *inner;   /* MODE_TLS: framing of the decrypted bytes */
    GByteArray *plain;    /* MODE_TLS: decrypted bytes not yet framed */
};

/* One TLS connection and the directions attached to it. */
typedef struct {
    TlsConn *conn;
    SlAddr senders[2];
    unsigned attached;
} TlsEntry;

struct SipDissector {
    SipParseOptions opts;
    SipFoundFunc func;
    gpointer user;
    SipDissectStats stats;
    SipMsg msg;          /* reused for every message (it is large) */
    GByteArray *scratch; /* unmasked WebSocket payload */
    TlsKeyLog *keylog;   /* NULL: TLS sessions are listed, not decrypted */
    GHashTable *tls_by_pair; /* SlAddrPair* (unordered) -> TlsEntry* (latest) */
    GPtrArray *tls_entries;  /* TlsEntry*, owned, in order of appearance */
};

const char *
sip_transport_name(SipTransport t)
{
    switch (t) {
    case SIP_TRANSPORT_UDP: return "UDP";
    case SIP_TRANSPORT_TCP: return "TCP";
    case SIP_TRANSPORT_SCTP: return "SCTP";
    case SIP_TRANSPORT_WS: return "WS";
    case SIP_TRANSPORT_TLS: return "TLS";
    case SIP_TRANSPORT_WSS: return "WSS";
    }
    return "-";
}

static void
tls_entry_free(gpointer p)
{
    TlsEntry *e = p;
    tls_conn_free(e->conn);
    g_free(e);
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
    d->tls_by_pair = g_hash_table_new_full(sl_addr_pair_hash, sl_addr_pair_equal, g_free, NULL);
    d->tls_entries = g_ptr_array_new_with_free_func(tls_entry_free);
    return d;
}

void
sip_dissector_free(SipDissector *d)
{
    if (!d)
        return;
    g_byte_array_unref(d->scratch);
    g_hash_table_destroy(d->tls_by_pair);
    g_ptr_array_unref(d->tls_entries);
    tls_keylog_unref(d->keylog);
    g_free(d);
}

void
sip_dissector_set_tls_keylog(SipDissector *d, TlsKeyLog *keylog)
{
    g_return_if_fail(d != NULL);
    if (keylog)
        tls_keylog_ref(keylog);
    tls_keylog_unref(d->keylog);
    d->keylog = keylog;
}

guint
sip_dissector_tls_count(const SipDissector *d)
{
    return d->tls_entries->len;
}

const TlsSessionInfo *
sip_dissector_tls_info(const SipDissector *d, guint index)
{
    g_return_val_if_fail(index < d->tls_entries->len, NULL);
    const TlsEntry *e = g_ptr_array_index(d->tls_entries, index);
    return tls_conn_info(e->conn);
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
    if (d->msg.flags & SIP_FLAG_HEADER_LIMIT)
        d->stats.header_limit++;
    if (d->msg.flags & SIP_FLAG_VIA_LIMIT)
        d->stats.via_limit++;
    if (d->msg.flags & SIP_FLAG_MULTIPART_LIMIT)
        d->stats.multipart_limit++;
    if (d->msg.flags & (SIP_FLAG_HEADER_LIMIT | SIP_FLAG_VIA_LIMIT | SIP_FLAG_MULTIPART_LIMIT))
        d->stats.limit++;
    d->func(&f, d->user);
}

/* A message dropped at the sip-message bound. */
static void
too_large(SipDissector *d)
{
    d->stats.limit++;
    d->stats.too_large++;
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
        too_large(d);
        return;
    }
    emit(d, pkt, st, t);
}

/* --------------------------------------------------------- WebSocket */

typedef struct {
    bool fin;
    bool compressed; /* RSV1: permessage-deflate, which we do not inflate */
    uint8_t opcode;
    SlView payload;  /* unmasked (in d->scratch) */
} WsFrame;

/* Parses one frame at the start of @v. Returns the frame's total length,
 * 0 when incomplete, (size_t)-1 when its length passes the bound. */
static size_t
ws_frame(SipDissector *d, SlView v, WsFrame *f)
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
    f->fin = (b0 & 0x80) != 0;
    f->compressed = (b0 & 0x40) != 0;
    f->opcode = b0 & 0x0f;
    g_byte_array_set_size(d->scratch, (guint)body.len);
    SlView copy = body;
    sl_view_copy(&copy, d->scratch->data, body.len);
    if (masked)
        for (size_t i = 0; i < body.len; i++)
            d->scratch->data[i] ^= key[i % 4];
    f->payload = sl_view_make(d->scratch->data, body.len);
    return sl_view_offset(v, h);
}

/* One frame of a WebSocket stream: a whole message goes to the SIP parser
 * (one message per WebSocket message, RFC 7118 section 5.2); fragments
 * are joined first, within max_message. */
static void
ws_message(SipDissector *d, StreamState *ss, const CapPacket *pkt, const WsFrame *f,
           SipTransport t)
{
    d->stats.ws_frames++;
    if (f->opcode >= 8) /* close, ping, pong */
        return;
    if (f->opcode == 1 || f->opcode == 2) {
        if (ss->ws_in_msg)
            d->stats.ws_unfinished++; /* the previous message never finished */
        ss->ws_in_msg = !f->fin;
        ss->ws_drop_msg = f->compressed;
        if (f->compressed)
            d->stats.ws_compressed++;
        if (f->fin) {
            if (!f->compressed)
                dissect_datagram(d, pkt, f->payload, t);
            return;
        }
        if (!ss->ws_msg)
            ss->ws_msg = g_byte_array_new();
        g_byte_array_set_size(ss->ws_msg, 0);
    } else if (f->opcode != 0 || !ss->ws_in_msg) {
        return; /* reserved opcode, or a continuation of nothing */
    }
    if (!ss->ws_drop_msg) {
        if (ss->ws_msg->len + f->payload.len > d->opts.max_message) {
            too_large(d);
            ss->ws_drop_msg = true;
            g_byte_array_set_size(ss->ws_msg, 0);
        } else {
            g_byte_array_append(ss->ws_msg, f->payload.p, (guint)f->payload.len);
        }
    }
    if (f->opcode == 0 && f->fin) {
        ss->ws_in_msg = false;
        if (!ss->ws_drop_msg)
            dissect_datagram(d, pkt, sl_view_make(ss->ws_msg->data, ss->ws_msg->len), t);
        g_byte_array_set_size(ss->ws_msg, 0);
    }
}

/* Consumes an HTTP header block that upgrades to WebSocket (a GET with
 * "Upgrade: websocket", or the 101 answer); returns its length, 0 when
 * incomplete, (size_t)-1 when it is not an upgrade. */
static size_t
http_upgrade(SlView v)
{
    size_t end;
    if (!sl_view_find(v, "\r\n\r\n", 4, &end))
        return v.len > HTTP_HEADER_LIMIT ? (size_t)-1 : 0;
    SlView head = sl_view_sub(v, 0, end), line;
    sl_view_line(&head, &line, NULL); /* request or status line */
    for (;;) {
        bool last = !sl_view_line(&head, &line, NULL);
        if (last)
            line = head;
        SlView name, value;
        if (sl_view_split_u8(line, ':', &name, &value) &&
            sl_view_ieq_str(sl_view_trim(name), "upgrade")) {
            size_t pos;
            return sl_view_ifind_str(value, "websocket", &pos) ? end + 4 : (size_t)-1;
        }
        if (last)
            return (size_t)-1;
    }
}

/* ------------------------------------------------------------- streams */

static void
state_free(gpointer p)
{
    StreamState *ss = p;
    if (!ss)
        return;
    if (ss->ws_msg)
        g_byte_array_unref(ss->ws_msg);
    if (ss->plain)
        g_byte_array_unref(ss->plain);
    state_free(ss->inner);
    g_free(ss);
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

typedef enum {
    FRAME_GO_ON,   /* all complete units consumed; wait for more bytes */
    FRAME_STOP,    /* not a protocol we read: leave the stream alone */
    FRAME_TLS,     /* TLS records start here */
} FrameResult;

/* Frames SIP messages (RFC 3261 section 18.3), or WebSocket frames after
 * an upgrade, at the start of stream bytes @v; *@used says how many were
 * consumed. @secure: the bytes were decrypted from TLS. */
static FrameResult
frame_stream(SipDissector *d, StreamState *ss, const CapPacket *pkt, SlView v, bool secure,
             size_t *used)
{
    SlView start = v;
    FrameResult res = FRAME_GO_ON;
    while (v.len) {
        if (ss->mode == MODE_WS) {
            WsFrame f;
            size_t n = ws_frame(d, v, &f);
            if (n == 0)
                break;
            if (n == (size_t)-1) {
                too_large(d);
                res = FRAME_STOP;
                break;
            }
            ws_message(d, ss, pkt, &f, secure ? SIP_TRANSPORT_WSS : SIP_TRANSPORT_WS);
            sl_view_skip(&v, n);
            continue;
        }
        /* keep-alive CRLFs between messages (RFC 5626 section 3.5.1) */
        int c = sl_view_at(v, 0);
        if (c == '\r' || c == '\n') {
            sl_view_skip(&v, 1);
            continue;
        }
        if (ss->mode == MODE_UNKNOWN && !secure && (c == 0x16 || c == 0x17 || c == 0x15)) {
            if (v.len < 5)
                break;
            if (tls_looks_like_record(v)) {
                res = FRAME_TLS;
                break;
            }
        }
        if (sl_view_has_prefix(v, "GET ") || sl_view_has_prefix(v, "HTTP/1.1 101")) {
            size_t n = http_upgrade(v);
            if (n == 0)
                break;
            if (n != (size_t)-1) {
                ss->mode = MODE_WS;
                sl_view_skip(&v, n);
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
            emit(d, pkt, st, secure ? SIP_TRANSPORT_TLS : SIP_TRANSPORT_TCP);
            sl_view_skip(&v, n);
            continue;
        }
        if (st == SL_ERR_LIMIT) {
            /* a message larger than the bound: drop it (all that is
             * buffered when it is not complete yet) */
            size_t n = sl_view_offset(v, d->msg.raw) + d->msg.raw.len;
            too_large(d);
            sl_view_skip(&v, n);
            continue;
        }
        /* not SIP here: skip to the next plausible start line */
        size_t n = resync(v);
        if (n == 0)
            break;
        ss->junk += n;
        d->stats.junk_bytes += n;
        sl_view_skip(&v, n);
        if (ss->mode == MODE_UNKNOWN && ss->junk > STREAM_JUNK_LIMIT) {
            d->stats.streams_ignored++;
            res = FRAME_STOP;
            break;
        }
    }
    *used = sl_view_offset(start, v);
    return res;
}

/* The TLS connection of @pkt's address pair: the latest one, unless this
 * direction was attached to it before (a new connection on the same
 * ports). NULL at the bound. */
static TlsConn *
tls_attach(SipDissector *d, const CapPacket *pkt)
{
    SlAddrPair key;
    sl_addr_pair_init_unordered(&key, &pkt->src, &pkt->dst);
    TlsEntry *e = g_hash_table_lookup(d->tls_by_pair, &key);
    if (e && e->attached < 2 &&
        !(e->attached == 1 && sl_addr_equal(&e->senders[0], &pkt->src))) {
        e->senders[e->attached++] = pkt->src;
        return e->conn;
    }
    if (d->tls_entries->len >= TLS_MAX_CONNS) {
        d->stats.limit++;
        return NULL;
    }
    e = g_new0(TlsEntry, 1);
    e->conn = tls_conn_new(pkt, d->keylog);
    e->senders[e->attached++] = pkt->src;
    g_ptr_array_add(d->tls_entries, e);
    g_hash_table_replace(d->tls_by_pair, g_memdup2(&key, sizeof key), e);
    d->stats.tls_sessions++;
    return e->conn;
}

/* TLS records at the start of @v: decrypted application data is framed
 * by the inner state. Returns the bytes consumed, or (size_t)-1 when the
 * stream is to be left alone. */
static size_t
dissect_tls(SipDissector *d, StreamState *ss, const CapPacket *pkt, SlView v)
{
    if (!ss->tls) {
        ss->tls = tls_attach(d, pkt);
        if (!ss->tls)
            return (size_t)-1;
        ss->inner = g_new0(StreamState, 1);
        ss->plain = g_byte_array_new();
    }
    if (pkt->flags & CAP_PKT_TCP_GAP)
        tls_conn_gap(ss->tls, pkt);
    SlStatus st;
    size_t max_plain = d->opts.max_message + TLS_MAX_RECORD;
    size_t n = tls_conn_feed(ss->tls, pkt, v, ss->plain, max_plain, &st);
    if (st == SL_ERR_LIMIT)
        d->stats.limit++;
    if (ss->plain->len && ss->inner->mode != MODE_TLS) {
        size_t used = 0;
        SlView plain = sl_view_make(ss->plain->data, ss->plain->len);
        FrameResult r = frame_stream(d, ss->inner, pkt, plain, true, &used);
        g_byte_array_remove_range(ss->plain, 0, (guint)used);
        if (r == FRAME_STOP) {
            ss->inner->mode = MODE_TLS; /* decrypted, but not SIP: stop framing */
            g_byte_array_set_size(ss->plain, 0);
        }
        if (ss->plain->len >= max_plain) { /* cannot happen: framing drops big messages */
            d->stats.limit++;
            g_byte_array_set_size(ss->plain, 0);
        }
    } else if (ss->inner->mode == MODE_TLS) {
        g_byte_array_set_size(ss->plain, 0);
    }
    if (st == SL_ERR_MALFORMED) {
        d->stats.streams_ignored++;
        return (size_t)-1;
    }
    return n;
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
    if (ss->mode != MODE_TLS) {
        size_t used = 0;
        FrameResult r = frame_stream(d, ss, pkt, v, false, &used);
        cap_tcp_stream_consume(s, used);
        if (r == FRAME_STOP) {
            cap_tcp_stream_ignore(s);
            return;
        }
        if (r != FRAME_TLS)
            return;
        ss->mode = MODE_TLS;
        v = sl_view_tail(v, used);
    }
    size_t n = dissect_tls(d, ss, pkt, v);
    if (n == (size_t)-1) {
        cap_tcp_stream_ignore(s);
        return;
    }
    cap_tcp_stream_consume(s, n);
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
