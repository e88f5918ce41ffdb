/* sipladder: timestamp formatting. */
#include "sltime.h"

#include <stdio.h>
#include <time.h>

char *
sl_time_format(SlTime t, char buf[SL_TIME_STRLEN])
{
    int64_t sec = t / SL_TIME_SECOND;
    int64_t ns = t % SL_TIME_SECOND;
    if (ns < 0) {
        ns += SL_TIME_SECOND;
        sec -= 1;
    }
    time_t tt = (time_t)sec;
    struct tm tm;
    if (gmtime_r(&tt, &tm) == NULL) {
        snprintf(buf, SL_TIME_STRLEN, "%" G_GINT64_FORMAT ".%06d", sec, (int)(ns / 1000));
        return buf;
    }
    /* the year is bounded by gmtime_r; %04d keeps ordinary years aligned */
    g_snprintf(buf, SL_TIME_STRLEN, "%04d-%02d-%02d %02d:%02d:%02d.%06d", tm.tm_year + 1900,
               tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ns / 1000));
    return buf;
}
