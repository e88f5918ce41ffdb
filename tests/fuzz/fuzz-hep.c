/* sipladder fuzz target: HEP (capture/cap-hep.c): HEPv1, HEPv2 and HEPv3
 * with zlib-compressed payloads, the HEPv3 encoder, and the raw IP frames
 * that stand for HEP payloads (cap_hep_frame), through the decoder.
 *
 * The input is a byte stream as a collector reads it over TCP: HEP packet
 * after HEP packet. Each packet cap_hep_parse() accepts is checked against
 * cap-hep.h; it is encoded again with cap_hep_encode() and that must parse
 * back to the same fields; cap_hep_frame() must give an IP packet with
 * good checksums that carries the payload, and the frame goes through the
 * decoder and the SIP dissector (FuzzPipeline, DLT_RAW; the messages found
 * get the SipFound checks, fuzz-sip checks them in depth). Last, the first
 * bytes of the input go to the decoder as one UDP datagram to port 9060,
 * the path HEP takes inside a capture file. */
#include <pcap/dlt.h>
#include <stdlib.h>
#include <string.h>

#include "cap-hep.h"
#include "fuzz-util.h"

#define MAX_PACKETS 32
#define FRAME_CAP (CAP_HEP_MAX_PAYLOAD + 64)

/* The ones' complement sum of RFC 1071, not yet folded. */
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
    return (uint16_t)acc;
}

static bool
addr_ok(const SlAddr *a)
{
    return a->family == SL_AF_INET || a->family == SL_AF_INET6;
}

/* One parsed packet against cap-hep.h. */
static void
check_fields(const CapHep *h, SlView data, size_t used)
{
    FUZZ_CHECK(used > 0 && used <= data.len);
    SlView packet = sl_view_sub(data, 0, used);
    FUZZ_CHECK(h->version >= 1 && h->version <= 3);
    FUZZ_CHECK(addr_ok(&h->src) && h->dst.family == h->src.family);
    FUZZ_CHECK(h->payload.len <= CAP_HEP_MAX_PAYLOAD);
    if (h->compressed) {
        FUZZ_CHECK(h->version == 3 && h->inflated != NULL);
        gsize n;
        const uint8_t *p = g_bytes_get_data(h->inflated, &n);
        FUZZ_CHECK(h->payload.len == n && (n == 0 || h->payload.p == p));
    } else {
        FUZZ_CHECK(h->inflated == NULL);
        FUZZ_CHECK(fuzz_view_within(h->payload, packet));
    }
    fuzz_touch(h->payload);
    FUZZ_CHECK(fuzz_view_within(h->auth_key, packet));
    FUZZ_CHECK(fuzz_view_within(h->correlation_id, packet));
    if (h->version < 3) {
        FUZZ_CHECK(h->payload_type == CAP_HEP_TYPE_SIP && h->auth_key.len == 0);
        FUZZ_CHECK(h->has_ts == (h->version == 2));
        FUZZ_CHECK(used == data.len); /* v1, v2: the rest of the datagram */
    } else {
        FUZZ_CHECK(used >= 6 && used == (size_t)(data.p[4] << 8 | data.p[5]));
    }
    FUZZ_CHECK(cap_hep_looks_like(data));
}

/* cap_hep_encode() parses back to the same packet. */
static void
check_encode(const CapHep *h)
{
    GBytes *enc = cap_hep_encode(h);
    if (enc == NULL) {
        FUZZ_CHECK(h->auth_key.len > 1024 || h->correlation_id.len > 1024 ||
                   h->payload.len + h->auth_key.len + h->correlation_id.len > 0xffff - 200);
        return;
    }
    gsize n;
    const uint8_t *p = g_bytes_get_data(enc, &n);
    CapHep back;
    size_t used;
    SlError err = { 0 };
    SlStatus st = cap_hep_parse(sl_view_make(p, n), &back, &used, &err);
    FUZZ_CHECK(st == SL_OK && used == n);
    FUZZ_CHECK(back.version == 3 && !back.compressed && back.has_ts);
    FUZZ_CHECK(sl_addr_equal(&back.src, &h->src) && sl_addr_equal(&back.dst, &h->dst));
    FUZZ_CHECK(back.ip_proto == (h->ip_proto ? h->ip_proto : 17));
    FUZZ_CHECK(back.payload_type == (h->payload_type ? h->payload_type : CAP_HEP_TYPE_SIP));
    FUZZ_CHECK(back.capture_id == h->capture_id);
    FUZZ_CHECK(sl_view_eq(back.payload, h->payload));
    FUZZ_CHECK(sl_view_eq(back.auth_key, h->auth_key));
    FUZZ_CHECK(sl_view_eq(back.correlation_id, h->correlation_id));
    if (h->has_ts && h->ts >= 0 && h->ts / SL_TIME_SECOND <= G_MAXUINT32)
        FUZZ_CHECK(back.ts == h->ts - h->ts % 1000);
    cap_hep_clear(&back);
    g_bytes_unref(enc);
}

/* cap_hep_frame(): an IPv4/IPv6 + UDP/TCP packet with good checksums. */
static size_t
check_frame(const CapHep *h, uint32_t seq, uint8_t *buf)
{
    size_t n = cap_hep_frame(h, seq, buf, FRAME_CAP);
    bool v4 = h->src.family == SL_AF_INET, tcp = h->ip_proto == 6;
    size_t iph = v4 ? 20 : 40, th = tcp ? 20 : 8;
    FUZZ_CHECK(n == 0 || n == iph + th + h->payload.len);
    if (n == 0) {
        FUZZ_CHECK(iph + th + h->payload.len > 65535);
        return 0;
    }
    FUZZ_CHECK(buf[0] >> 4 == (v4 ? 4 : 6));
    if (v4)
        FUZZ_CHECK(fold(sum16(buf, 20, 0)) == 0xffff);
    size_t alen = v4 ? 4 : 16;
    const uint8_t *src = buf + (v4 ? 12 : 8);
    FUZZ_CHECK(memcmp(src, h->src.ip, alen) == 0 && memcmp(src + alen, h->dst.ip, alen) == 0);
    uint32_t acc = sum16(src, 2 * alen, 0) + (tcp ? 6u : 17u) + (uint32_t)(th + h->payload.len);
    FUZZ_CHECK(fold(sum16(buf + iph, th + h->payload.len, acc)) == 0xffff);
    FUZZ_CHECK(h->payload.len == 0 || memcmp(buf + iph + th, h->payload.p, h->payload.len) == 0);
    return n;
}

/* The input as one IPv4/UDP datagram to the HEP port (DLT_RAW). */
static void
feed_as_datagram(FuzzPipeline *fp, const uint8_t *data, size_t size, uint64_t frame_no)
{
    size_t n = MIN(size, (size_t)8192);
    uint8_t *frame = malloc(28 + n);
    if (frame == NULL)
        abort();
    static const uint8_t head[28] = {
        0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 17, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2,
        0x13, 0xc4, 0x23, 0x84, 0, 0, 0, 0, /* UDP 5060 -> 9060, no checksum */
    };
    memcpy(frame, head, sizeof head);
    frame[2] = (uint8_t)((28 + n) >> 8);
    frame[3] = (uint8_t)(28 + n);
    frame[24] = (uint8_t)((8 + n) >> 8);
    frame[25] = (uint8_t)(8 + n);
    uint16_t ck = (uint16_t)~fold(sum16(frame, 20, 0));
    frame[10] = (uint8_t)(ck >> 8);
    frame[11] = (uint8_t)ck;
    memcpy(frame + 28, data, n);
    CapFrame f = { .frame = frame_no, .ts = (SlTime)1700000000 * SL_TIME_SECOND,
                   .cap_len = (uint32_t)(28 + n), .wire_len = (uint32_t)(28 + n),
                   .linktype = DLT_RAW, .data = frame };
    fuzz_pipeline_feed(fp, &f, 0);
    free(frame);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    /* cap_hep_frame() writes within its @cap (checked): one buffer for
     * every run, the decoder gets an exact copy */
    static uint8_t frame[FRAME_CAP];
    uint8_t *buf = malloc(size ? size : 1);
    if (buf == NULL)
        abort();
    memcpy(buf, data, size);
    FuzzPipeline fp;
    fuzz_pipeline_init(&fp, NULL);
    fp.check_messages = false; /* fuzz-sip checks SIP in depth */
    CapHepSeq *seqs = cap_hep_seq_new();

    SlView rest = sl_view_make(buf, size);
    uint64_t frame_no = 0;
    for (unsigned i = 0; i < MAX_PACKETS && rest.len; i++) {
        CapHep h;
        size_t used = 7;
        SlError err = { 0 };
        SlStatus st = cap_hep_parse(rest, &h, &used, &err);
        FUZZ_CHECK(st == SL_OK || st == SL_ERR_NOT_MINE || st == SL_ERR_NEED_MORE ||
                   st == SL_ERR_MALFORMED || st == SL_ERR_LIMIT);
        if (st != SL_OK) {
            FUZZ_CHECK(used == 0); /* h.inflated may be set: cleared below */
            if (st == SL_ERR_MALFORMED || st == SL_ERR_LIMIT)
                FUZZ_CHECK(err.status == st && err.msg != NULL);
            if (st == SL_ERR_NOT_MINE)
                FUZZ_CHECK(!cap_hep_looks_like(rest) || rest.len < 4);
            cap_hep_clear(&h);
            break;
        }
        check_fields(&h, rest, used);
        check_encode(&h);
        uint32_t seq = h.ip_proto == 6 ? cap_hep_seq_next(seqs, &h) : 0;
        size_t n = check_frame(&h, seq, frame);
        if (n) {
            /* exactly n bytes for AddressSanitizer */
            uint8_t *copy = malloc(n);
            if (copy == NULL)
                abort();
            memcpy(copy, frame, n);
            CapFrame f = { .frame = ++frame_no, .ts = h.has_ts ? h.ts : 0,
                           .cap_len = (uint32_t)n, .wire_len = (uint32_t)n,
                           .linktype = DLT_RAW, .data = copy };
            fuzz_pipeline_feed(&fp, &f, 0);
            free(copy);
        }
        cap_hep_clear(&h);
        FUZZ_CHECK(h.inflated == NULL);
        sl_view_skip(&rest, used);
    }
    feed_as_datagram(&fp, buf, size, ++frame_no);
    fuzz_pipeline_finish(&fp);
    cap_hep_seq_free(seqs);
    free(buf);
    return 0;
}
