/* sipladder fuzz target: the frame decoder without libpcap, over several
 * frames, so that IP fragment reassembly, TCP and SCTP reassembly,
 * tunnels and WebSocket framing see multi-packet inputs.
 *
 * Input layout (tests/fuzz/make-seeds.py writes seeds in it):
 *   byte 0          bits 0-2: link type, index into link_types[]
 *                   bit 3: source id 1 instead of 0
 *                   bit 4: small CapLimits (reach the memory bounds)
 *   then records    u16 big-endian prefix: bits 12-15 time step (index
 *                   into time_steps[]), bits 0-11 frame length; then the
 *                   frame bytes (a short last record takes what is left)
 * Frames are numbered from 1; timestamps start at 2023-11-14 22:13:20
 * UTC and grow by the time step (saturating at the largest SlTime), so
 * that fragment and TCP idle timeouts fire. Each frame is a private heap copy of exactly its length, freed
 * after cap_decoder_feed(): AddressSanitizer reports reads past its end
 * and bytes kept without copying. */
#include <pcap/dlt.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-util.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

static const int link_types[8] = {
    DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW,
    DLT_NULL,   DLT_LOOP,      DLT_IPV4,       DLT_IPV6,
};

static const SlTime time_steps[16] = {
    0,
    1000,                  /* 1 us */
    SL_TIME_MSEC,
    10 * SL_TIME_MSEC,
    100 * SL_TIME_MSEC,
    SL_TIME_SECOND,
    2 * SL_TIME_SECOND,
    5 * SL_TIME_SECOND,
    10 * SL_TIME_SECOND,
    31 * SL_TIME_SECOND,   /* past the default fragment timeout */
    60 * SL_TIME_SECOND,
    300 * SL_TIME_SECOND,
    601 * SL_TIME_SECOND,  /* past the default TCP idle timeout */
    3600 * SL_TIME_SECOND,
    86400 * SL_TIME_SECOND,
    365 * 86400 * SL_TIME_SECOND,
};

#define FRAME_LEN_MASK 0x0fffu

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    SlView in = sl_view_make(data, size);
    uint8_t mode;
    if (!sl_view_u8(&in, &mode))
        return 0;

    CapLimits small, *limits = NULL;
    if (mode & 0x10) {
        cap_limits_init(&small);
        small.frag_max_bytes = 3000;
        small.frag_timeout = 2 * SL_TIME_SECOND;
        small.tcp_max_buffer = 1500;
        small.tcp_max_streams = 3;
        small.tcp_idle_timeout = 20 * SL_TIME_SECOND;
        small.max_tunnel_depth = 1;
        limits = &small;
    }
    FuzzPipeline fp;
    fuzz_pipeline_init(&fp, limits);

    CapFrame frame = { 0 };
    frame.linktype = link_types[mode & 0x07];
    frame.ts = (SlTime)1700000000 * SL_TIME_SECOND;
    uint32_t source_id = (mode & 0x08) ? 1 : 0;
    uint16_t prefix;
    while (sl_view_be16(&in, &prefix)) {
        size_t len = MIN((size_t)(prefix & FRAME_LEN_MASK), in.len);
        SlView bytes;
        sl_view_take(&in, len, &bytes);
        uint8_t *copy = malloc(len);
        if (copy == NULL && len != 0)
            abort();
        if (len)
            sl_view_copy(&bytes, copy, len);
        frame.frame++;
        SlTime step = time_steps[prefix >> 12];
        if (frame.ts <= G_MAXINT64 - step) /* saturate: SlTime is signed */
            frame.ts += step;
        frame.cap_len = (uint32_t)len;
        frame.wire_len = (uint32_t)len;
        frame.data = copy;
        fuzz_pipeline_feed(&fp, &frame, source_id);
        free(copy);
    }
    fuzz_pipeline_finish(&fp);
    return 0;
}
