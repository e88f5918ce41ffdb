/* sipladder fuzz target: the whole reading pipeline from the bytes of a
 * capture file: cap_source_open_file() (pcap, pcapng, gzip through
 * libpcap and zlib), cap_decoder_feed() for every frame, the SIP
 * dissector on every payload, cap_decoder_finish().
 *
 * cap_source_open_file() takes a path, so the input is written to a
 * memory file (fuzz_memfd_store). */
#include "cap-source.h"
#include "fuzz-util.h"
#include "status.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    const char *memfd_path = fuzz_memfd_store(data, size);

    GError *error = NULL;
    CapSource *src = cap_source_open_file(memfd_path, &error);
    if (src == NULL) {
        FUZZ_CHECK(error != NULL && error->domain == SL_IO_ERROR &&
                   (error->code == SL_IO_ERROR_OPEN || error->code == SL_IO_ERROR_FORMAT));
        FUZZ_CHECK(size == 0 || error->code == SL_IO_ERROR_FORMAT);
        g_error_free(error);
        return 0;
    }
    FUZZ_CHECK(error == NULL && size > 0 && src->size == size);

    FuzzPipeline fp;
    fuzz_pipeline_init(&fp, NULL);
    CapFrame frame;
    CapReadResult r;
    uint64_t frames = 0;
    while ((r = cap_source_next(src, &frame, &error)) == CAP_READ_FRAME) {
        frames++;
        FUZZ_CHECK(frame.frame == frames && src->frames == frames);
        FUZZ_CHECK(cap_source_position(src) <= src->size);
        fuzz_touch(sl_view_make(frame.data, frame.cap_len));
        fuzz_pipeline_feed(&fp, &frame, src->id);
    }
    if (r == CAP_READ_ERROR) {
        FUZZ_CHECK(error != NULL && error->domain == SL_IO_ERROR);
        g_clear_error(&error);
    } else {
        FUZZ_CHECK(r == CAP_READ_END && error == NULL);
    }
    fuzz_pipeline_finish(&fp);
    cap_source_free(src);
    return 0;
}
