/* bench-read: throughput of reading plus SIP dissection (capture ->
 * dissect) over capture files, on one core.
 *
 * Usage: bench-read [--repeat N] FILE...
 * Prints frames, bytes, SIP messages, CPU seconds, packets/s, MB/s and the
 * peak resident memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cap-decode.h"
#include "cap-source.h"
#include "sip-dissect.h"

static void
on_sip(const SipFound *f, gpointer user)
{
    uint64_t *n = user;
    /* touch what a consumer would read */
    *n += f->msg->call_id.len ? 1 : 1;
}

static double
cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
    int repeat = 1, first = 1;
    if (argc > 2 && strcmp(argv[1], "--repeat") == 0) {
        repeat = atoi(argv[2]);
        first = 3;
    }
    if (first >= argc || repeat < 1) {
        fprintf(stderr, "usage: bench-read [--repeat N] FILE...\n");
        return 2;
    }
    uint64_t frames = 0, bytes = 0, sip = 0;
    double t0 = cpu_seconds();
    for (int r = 0; r < repeat; r++) {
        for (int i = first; i < argc; i++) {
            GError *error = NULL;
            CapSource *src = cap_source_open_file(argv[i], &error);
            if (!src) {
                fprintf(stderr, "bench-read: %s\n", error->message);
                return 1;
            }
            SipDissector *d = sip_dissector_new(NULL, on_sip, &sip);
            CapDecoder *dec = cap_decoder_new(NULL, sip_dissector_packet, d);
            CapFrame f;
            while (cap_source_next(src, &f, &error) == CAP_READ_FRAME)
                cap_decoder_feed(dec, &f, 0);
            cap_decoder_finish(dec);
            const CapStats *st = cap_decoder_stats(dec);
            frames += st->frames;
            bytes += st->bytes;
            g_clear_error(&error);
            cap_decoder_free(dec);
            sip_dissector_free(d);
            cap_source_free(src);
        }
    }
    double secs = cpu_seconds() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("frames %llu\nbytes %llu\nsip_messages %llu\ncpu_seconds %.3f\n"
           "packets_per_second %.0f\nmegabytes_per_second %.1f\nmax_rss_kib %ld\n",
           (unsigned long long)frames, (unsigned long long)bytes, (unsigned long long)sip, secs,
           frames / secs, bytes / secs / 1e6, ru.ru_maxrss);
    return 0;
}
