/* sipladder: timestamps taken from packets (nanoseconds since the epoch). */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* Nanoseconds since 1970-01-01 UTC. All timeouts and windows in sipladder
 * are in capture time, never the wall clock. */
typedef int64_t SlTime;

#define SL_TIME_SECOND ((SlTime)1000000000)
#define SL_TIME_MSEC ((SlTime)1000000)

static inline double sl_time_to_seconds(SlTime t) { return (double)t / 1e9; }

/* The latest time an SlTime holds (2262-04-11). */
#define SL_TIME_MAX ((SlTime)INT64_MAX)

/* Seconds and nanoseconds to SlTime, clamped to [0, SL_TIME_MAX]: packet
 * times are never negative, so differences of two of them never overflow. */
static inline SlTime
sl_time_from_parts(int64_t sec, int64_t nsec)
{
    if (sec < 0 || nsec < 0)
        return 0;
    if (sec >= INT64_MAX / SL_TIME_SECOND)
        return SL_TIME_MAX;
    SlTime t = (SlTime)sec * SL_TIME_SECOND;
    if (nsec > SL_TIME_MAX - t)
        return SL_TIME_MAX;
    return t + (SlTime)nsec;
}

/* "2024-05-01 12:34:56.123456" (UTC, microseconds) into @buf. */
#define SL_TIME_STRLEN 40
char *sl_time_format(SlTime t, char buf[SL_TIME_STRLEN]);

G_END_DECLS
