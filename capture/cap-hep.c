/* sipladder: HEPv1/v2 (a fixed header) and HEPv3 (a chunk list: "HEP3",
 * total length, then vendor/type/length chunks, all big-endian) decoding,
 * HEPv3 encoding, and the raw IP frames that stand for HEP payloads. */
#include "cap-hep.h"

#include <string.h>
#include <zlib.h>

/* HEPv3 generic chunk types (vendor 0). */
enum {
    CHUNK_IP_FAMILY = 0x01,
    CHUNK_IP_PROTO = 0x02,
    CHUNK_IPV4_SRC = 0x03,
    CHUNK_IPV4_DST = 0x04,
    CHUNK_IPV6_SRC = 0x05,
    CHUNK_IPV6_DST = 0x06,
    CHUNK_SRC_PORT = 0x07,
    CHUNK_DST_PORT = 0x08,
    CHUNK_TS_SEC = 0x09,
    CHUNK_TS_USEC = 0x0a,
    CHUNK_PROTO_TYPE = 0x0b,
    CHUNK_CAPTURE_ID = 0x0c,
    CHUNK_AUTH_KEY = 0x0e,
    CHUNK_PAYLOAD = 0x0f,
    CHUNK_PAYLOAD_ZLIB = 0x10,
    CHUNK_CORRELATION_ID = 0x11,
};

#define HEP_AF_INET 2
#define HEP_AF_INET6 10

void
cap_hep_clear(CapHep *h)
{
    g_clear_pointer(&h->inflated, g_bytes_unref);
}

bool
cap_hep_looks_like(SlView d)
{
    if (sl_view_has_prefix(d, "HEP3") || sl_view_has_prefix(d, "EEP3"))
        return d.len >= 6;
    /* HEPv1/v2: version, header length 16 (IPv4) or 40 (IPv6), family */
    int v = sl_view_at(d, 0), hl = sl_view_at(d, 1), fam = sl_view_at(d, 2);
    return (v == 1 || v == 2) && ((hl == 16 && fam == HEP_AF_INET) ||
                                  (hl == 40 && fam == HEP_AF_INET6));
}

/* ------------------------------------------------------------ v1, v2 */

static SlStatus
parse_v12(SlView d, CapHep *h, size_t *used, SlError *err)
{
    SlView v = d;
    uint8_t ver, hlen, fam, proto;
    uint16_t sport, dport;
    if (!sl_view_u8(&v, &ver) || !sl_view_u8(&v, &hlen) || !sl_view_u8(&v, &fam) ||
        !sl_view_u8(&v, &proto) || !sl_view_be16(&v, &sport) || !sl_view_be16(&v, &dport))
        return sl_error_set(err, SL_ERR_MALFORMED, 0, "HEPv2 header cut short");
    size_t alen = fam == HEP_AF_INET ? 4 : 16;
    if (hlen != 8 + 2 * alen)
        return sl_error_set(err, SL_ERR_MALFORMED, 1, "HEPv2 header length does not match");
    uint8_t sip[16], dip[16];
    if (!sl_view_copy(&v, sip, alen) || !sl_view_copy(&v, dip, alen))
        return sl_error_set(err, SL_ERR_MALFORMED, 8, "HEPv2 addresses cut short");
    if (alen == 4) {
        sl_addr_set_v4(&h->src, sip, sport);
        sl_addr_set_v4(&h->dst, dip, dport);
    } else {
        sl_addr_set_v6(&h->src, sip, sport);
        sl_addr_set_v6(&h->dst, dip, dport);
    }
    h->version = ver;
    h->ip_proto = proto;
    if (ver == 2) {
        /* struct hep_timehdr { u32 tv_sec; u32 tv_usec; u16 captid; } as the
         * sender's host writes it: little-endian, padded to 12 bytes */
        uint32_t sec, usec;
        uint16_t id;
        if (!sl_view_le32(&v, &sec) || !sl_view_le32(&v, &usec) || !sl_view_le16(&v, &id) ||
            !sl_view_skip(&v, 2))
            return sl_error_set(err, SL_ERR_MALFORMED, hlen, "HEPv2 time header cut short");
        if (usec >= 1000000)
            return sl_error_set(err, SL_ERR_MALFORMED, hlen + 4, "HEPv2 microseconds out of range");
        h->ts = sl_time_from_parts(sec, (int64_t)usec * 1000);
        h->has_ts = true;
        h->capture_id = id;
    }
    h->payload_type = CAP_HEP_TYPE_SIP;
    h->payload = v;
    if (h->payload.len > CAP_HEP_MAX_PAYLOAD)
        return sl_error_set(err, SL_ERR_LIMIT, d.len - v.len, "HEP payload too large");
    if (used)
        *used = d.len;
    return SL_OK;
}

/* ------------------------------------------------------------ v3 */

static SlStatus
inflate_payload(SlView z, CapHep *h, size_t at, SlError *err)
{
    guint8 *out = g_malloc(CAP_HEP_MAX_PAYLOAD);
    z_stream s = { 0 };
    if (inflateInit2(&s, 15 + 32) != Z_OK) { /* zlib or gzip header */
        g_free(out);
        return sl_error_set(err, SL_ERR_MALFORMED, at, "cannot start zlib");
    }
    s.next_in = (Bytef *)z.p;
    s.avail_in = (uInt)MIN(z.len, (size_t)UINT32_MAX);
    s.next_out = out;
    s.avail_out = CAP_HEP_MAX_PAYLOAD;
    int rc = inflate(&s, Z_FINISH);
    size_t n = CAP_HEP_MAX_PAYLOAD - s.avail_out;
    inflateEnd(&s);
    if (rc != Z_STREAM_END) {
        g_free(out);
        return sl_error_set(err, rc == Z_BUF_ERROR && s.avail_out == 0 ? SL_ERR_LIMIT
                                                                      : SL_ERR_MALFORMED,
                            at, "compressed HEP payload does not inflate");
    }
    h->inflated = g_bytes_new_take(out, n);
    h->payload = sl_view_make(g_bytes_get_data(h->inflated, NULL), n);
    h->compressed = true;
    return SL_OK;
}

static SlStatus
parse_v3(SlView d, CapHep *h, size_t *used, SlError *err)
{
    SlView v = d;
    uint16_t total;
    if (!sl_view_skip(&v, 4) || !sl_view_be16(&v, &total))
        return sl_error_set(err, SL_ERR_NEED_MORE, 6, "HEPv3 header cut short");
    if (total < 6)
        return sl_error_set(err, SL_ERR_MALFORMED, 4, "HEPv3 length shorter than its header");
    if (total > d.len) {
        sl_error_set(err, SL_ERR_NEED_MORE, total, "HEPv3 packet longer than the data");
        return SL_ERR_NEED_MORE;
    }
    v = sl_view_sub(d, 6, total - 6u);
    h->version = 3;
    uint8_t family = 0, sip4[4] = { 0 }, dip4[4] = { 0 }, sip6[16] = { 0 }, dip6[16] = { 0 };
    uint16_t sport = 0, dport = 0;
    uint32_t sec = 0, usec = 0;
    bool has_sec = false, has_payload = false, has4 = false, has6 = false;
    while (v.len) {
        size_t at = total - v.len;
        uint16_t vendor, type, clen;
        SlView c;
        if (!sl_view_be16(&v, &vendor) || !sl_view_be16(&v, &type) || !sl_view_be16(&v, &clen))
            return sl_error_set(err, SL_ERR_MALFORMED, at, "HEPv3 chunk header cut short");
        if (clen < 6 || !sl_view_take(&v, clen - 6u, &c))
            return sl_error_set(err, SL_ERR_MALFORMED, at, "HEPv3 chunk length out of bounds");
        if (vendor != 0)
            continue; /* vendor chunks are not ours */
        SlView cv = c;
        uint8_t u8 = 0;
        uint16_t u16 = 0;
        uint32_t u32 = 0;
        bool ok = true;
        switch (type) {
        case CHUNK_IP_FAMILY:
            ok = sl_view_u8(&cv, &family);
            break;
        case CHUNK_IP_PROTO:
            ok = sl_view_u8(&cv, &h->ip_proto);
            break;
        case CHUNK_IPV4_SRC:
            ok = sl_view_copy(&cv, sip4, 4);
            has4 = true;
            break;
        case CHUNK_IPV4_DST:
            ok = sl_view_copy(&cv, dip4, 4);
            has4 = true;
            break;
        case CHUNK_IPV6_SRC:
            ok = sl_view_copy(&cv, sip6, 16);
            has6 = true;
            break;
        case CHUNK_IPV6_DST:
            ok = sl_view_copy(&cv, dip6, 16);
            has6 = true;
            break;
        case CHUNK_SRC_PORT:
            ok = sl_view_be16(&cv, &sport);
            break;
        case CHUNK_DST_PORT:
            ok = sl_view_be16(&cv, &dport);
            break;
        case CHUNK_TS_SEC:
            ok = sl_view_be32(&cv, &sec);
            has_sec = ok;
            break;
        case CHUNK_TS_USEC:
            ok = sl_view_be32(&cv, &usec);
            break;
        case CHUNK_PROTO_TYPE:
            ok = sl_view_u8(&cv, &u8);
            h->payload_type = u8;
            break;
        case CHUNK_CAPTURE_ID:
            /* a u32, or a u16 from older agents */
            if (cv.len == 2) {
                ok = sl_view_be16(&cv, &u16);
                h->capture_id = u16;
            } else {
                ok = sl_view_be32(&cv, &u32);
                h->capture_id = u32;
            }
            break;
        case CHUNK_AUTH_KEY:
            h->auth_key = c;
            break;
        case CHUNK_CORRELATION_ID:
            h->correlation_id = c;
            break;
        case CHUNK_PAYLOAD:
            h->payload = c;
            has_payload = true;
            break;
        case CHUNK_PAYLOAD_ZLIB: {
            cap_hep_clear(h);
            SlStatus st = inflate_payload(c, h, at, err);
            if (st != SL_OK)
                return st;
            has_payload = true;
            break;
        }
        default:
            break;
        }
        if (!ok)
            return sl_error_set(err, SL_ERR_MALFORMED, at, "HEPv3 chunk too short for its type");
    }
    if (family == HEP_AF_INET && has4) {
        sl_addr_set_v4(&h->src, sip4, sport);
        sl_addr_set_v4(&h->dst, dip4, dport);
    } else if (family == HEP_AF_INET6 && has6) {
        sl_addr_set_v6(&h->src, sip6, sport);
        sl_addr_set_v6(&h->dst, dip6, dport);
    } else {
        return sl_error_set(err, SL_ERR_MALFORMED, 6, "HEPv3 packet without addresses");
    }
    if (!has_payload)
        return sl_error_set(err, SL_ERR_MALFORMED, 6, "HEPv3 packet without a payload");
    if (h->payload.len > CAP_HEP_MAX_PAYLOAD)
        return sl_error_set(err, SL_ERR_LIMIT, 6, "HEP payload too large");
    if (has_sec) {
        if (usec >= 1000000)
            return sl_error_set(err, SL_ERR_MALFORMED, 6, "HEPv3 microseconds out of range");
        h->ts = sl_time_from_parts(sec, (int64_t)usec * 1000);
        h->has_ts = true;
    }
    if (used)
        *used = total;
    return SL_OK;
}

SlStatus
cap_hep_parse(SlView data, CapHep *out, size_t *used, SlError *err)
{
    memset(out, 0, sizeof(*out));
    if (used)
        *used = 0;
    if (sl_view_has_prefix(data, "HEP3") || sl_view_has_prefix(data, "EEP3"))
        return parse_v3(data, out, used, err);
    if (data.len < 4)
        return data.len && (data.p[0] == 'H' || data.p[0] == 'E') ? SL_ERR_NEED_MORE
                                                                  : SL_ERR_NOT_MINE;
    if (!cap_hep_looks_like(data))
        return SL_ERR_NOT_MINE;
    return parse_v12(data, out, used, err);
}

/* ------------------------------------------------------------ encode */

static void
chunk_head(GByteArray *b, uint16_t type, size_t len)
{
    guint8 h[6] = { 0, 0, (guint8)(type >> 8), (guint8)type, (guint8)((len + 6) >> 8),
                    (guint8)(len + 6) };
    g_byte_array_append(b, h, 6);
}

static void
chunk_u8(GByteArray *b, uint16_t type, uint8_t v)
{
    chunk_head(b, type, 1);
    g_byte_array_append(b, &v, 1);
}

static void
chunk_u16(GByteArray *b, uint16_t type, uint16_t v)
{
    guint8 x[2] = { (guint8)(v >> 8), (guint8)v };
    chunk_head(b, type, 2);
    g_byte_array_append(b, x, 2);
}

static void
chunk_u32(GByteArray *b, uint16_t type, uint32_t v)
{
    guint8 x[4] = { (guint8)(v >> 24), (guint8)(v >> 16), (guint8)(v >> 8), (guint8)v };
    chunk_head(b, type, 4);
    g_byte_array_append(b, x, 4);
}

static void
chunk_bytes(GByteArray *b, uint16_t type, const void *p, size_t n)
{
    chunk_head(b, type, n);
    g_byte_array_append(b, p, (guint)n);
}

GBytes *
cap_hep_encode(const CapHep *h)
{
    if (h->payload.len > CAP_HEP_MAX_PAYLOAD || h->auth_key.len > 1024 ||
        h->correlation_id.len > 1024 || h->src.family != h->dst.family ||
        h->src.family == SL_AF_NONE)
        return NULL;
    GByteArray *b = g_byte_array_sized_new((guint)(h->payload.len + 128));
    g_byte_array_append(b, (const guint8 *)"HEP3\0\0", 6);
    bool v4 = h->src.family == SL_AF_INET;
    chunk_u8(b, CHUNK_IP_FAMILY, v4 ? HEP_AF_INET : HEP_AF_INET6);
    chunk_u8(b, CHUNK_IP_PROTO, h->ip_proto ? h->ip_proto : 17);
    chunk_bytes(b, v4 ? CHUNK_IPV4_SRC : CHUNK_IPV6_SRC, h->src.ip, v4 ? 4 : 16);
    chunk_bytes(b, v4 ? CHUNK_IPV4_DST : CHUNK_IPV6_DST, h->dst.ip, v4 ? 4 : 16);
    chunk_u16(b, CHUNK_SRC_PORT, h->src.port);
    chunk_u16(b, CHUNK_DST_PORT, h->dst.port);
    chunk_u32(b, CHUNK_TS_SEC, (uint32_t)(h->ts / SL_TIME_SECOND));
    chunk_u32(b, CHUNK_TS_USEC, (uint32_t)(h->ts % SL_TIME_SECOND / 1000));
    chunk_u8(b, CHUNK_PROTO_TYPE, h->payload_type ? h->payload_type : CAP_HEP_TYPE_SIP);
    chunk_u32(b, CHUNK_CAPTURE_ID, h->capture_id);
    if (h->auth_key.len)
        chunk_bytes(b, CHUNK_AUTH_KEY, h->auth_key.p, h->auth_key.len);
    if (h->correlation_id.len)
        chunk_bytes(b, CHUNK_CORRELATION_ID, h->correlation_id.p, h->correlation_id.len);
    chunk_bytes(b, CHUNK_PAYLOAD, h->payload.p, h->payload.len);
    if (b->len > 0xffff) {
        g_byte_array_unref(b);
        return NULL;
    }
    b->data[4] = (guint8)(b->len >> 8);
    b->data[5] = (guint8)b->len;
    return g_byte_array_free_to_bytes(b);
}

/* ------------------------------------------------------------ frames */

#define HEP_SEQ_FLOWS 65536

struct CapHepSeq {
    GHashTable *next; /* SlAddrPair* -> next sequence number */
};

CapHepSeq *
cap_hep_seq_new(void)
{
    CapHepSeq *t = g_new0(CapHepSeq, 1);
    t->next = g_hash_table_new_full(sl_addr_pair_hash, sl_addr_pair_equal, g_free, NULL);
    return t;
}

void
cap_hep_seq_free(CapHepSeq *t)
{
    if (!t)
        return;
    g_hash_table_destroy(t->next);
    g_free(t);
}

uint32_t
cap_hep_seq_next(CapHepSeq *t, const CapHep *h)
{
    SlAddrPair key = { h->src, h->dst };
    gpointer v = g_hash_table_lookup(t->next, &key);
    uint32_t seq = v ? GPOINTER_TO_UINT(v) : 1;
    if (!v && g_hash_table_size(t->next) >= HEP_SEQ_FLOWS)
        g_hash_table_remove_all(t->next);
    SlAddrPair *k = g_new(SlAddrPair, 1);
    *k = key;
    g_hash_table_replace(t->next, k, GUINT_TO_POINTER((guint)(seq + (uint32_t)h->payload.len)));
    return seq;
}

static void
put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
}

static uint32_t
sum16(const uint8_t *p, size_t n, uint32_t acc)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        acc += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        acc += (uint32_t)p[n - 1] << 8;
    return acc;
}

static uint16_t
fold(uint32_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    return (uint16_t)~acc;
}

size_t
cap_hep_frame(const CapHep *h, uint32_t tcp_seq, uint8_t *buf, size_t cap)
{
    bool v4 = h->src.family == SL_AF_INET;
    if (h->src.family != h->dst.family || (!v4 && h->src.family != SL_AF_INET6))
        return 0;
    bool tcp = h->ip_proto == 6;
    size_t iph = v4 ? 20 : 40, th = tcp ? 20 : 8;
    size_t len = iph + th + h->payload.len;
    if (len > cap || len > 65535)
        return 0;
    memset(buf, 0, iph + th);
    size_t alen = v4 ? 4 : 16;
    uint8_t *ip = buf, *t = buf + iph;
    if (v4) {
        ip[0] = 0x45;
        put16(ip + 2, (uint16_t)len);
        ip[6] = 0x40; /* don't fragment */
        ip[8] = 64;
        ip[9] = tcp ? 6 : 17;
        memcpy(ip + 12, h->src.ip, 4);
        memcpy(ip + 16, h->dst.ip, 4);
        put16(ip + 10, fold(sum16(ip, 20, 0)));
    } else {
        ip[0] = 0x60;
        put16(ip + 4, (uint16_t)(th + h->payload.len));
        ip[6] = tcp ? 6 : 17;
        ip[7] = 64;
        memcpy(ip + 8, h->src.ip, 16);
        memcpy(ip + 24, h->dst.ip, 16);
    }
    put16(t, h->src.port);
    put16(t + 2, h->dst.port);
    if (tcp) {
        put32(t + 4, tcp_seq);
        t[12] = 5 << 4;
        t[13] = 0x18; /* PSH, ACK */
        put16(t + 14, 65535);
    } else {
        put16(t + 4, (uint16_t)(th + h->payload.len));
    }
    if (h->payload.len)
        memcpy(t + th, h->payload.p, h->payload.len);
    /* transport checksum over the pseudo-header */
    uint32_t acc = sum16(h->src.ip, alen, 0);
    acc = sum16(h->dst.ip, alen, acc);
    acc += (uint32_t)(tcp ? 6 : 17) + (uint32_t)(th + h->payload.len);
    acc = sum16(t, th + h->payload.len, acc);
    uint16_t ck = fold(acc);
    if (!tcp && ck == 0)
        ck = 0xffff;
    put16(t + (tcp ? 16 : 6), ck);
    return len;
}
