/* sipladder: geometry and helpers shared by the ladder's layout, drawing
 * and text rendering (not part of the interface). */
#pragma once

#include <glib.h>

#include "sltime.h"

/* Font sizes in layout units. Text is monospace: one character is
 * LADDER_CHAR_EM of the size wide (DejaVu Sans Mono's advance). */
typedef enum {
    LADDER_FONT_SMALL,
    LADDER_FONT_NORMAL,
    LADDER_FONT_TITLE,
} LadderFontKind;

#define LADDER_CHAR_EM 0.602
#define LADDER_SIZE_SMALL 10.0
#define LADDER_SIZE_NORMAL 12.0
#define LADDER_SIZE_TITLE 14.0

#define LADDER_PAD 8.0
#define LADDER_COL_MIN 150.0    /* narrowest distance between two columns */
#define LADDER_LOOP_W 40.0      /* a message from a column to itself */
#define LADDER_ROW_H 40.0
#define LADDER_GAP_H 26.0       /* a compressed silence */
#define LADDER_HEADER_H 78.0    /* title and column heads */
#define LADDER_TIME_W 150.0     /* the time column */
#define LADDER_LEGEND_LINE 18.0
#define LADDER_SWATCH 12.0
#define LADDER_NOTE_STEP 13.0   /* notes stacked on one row */
#define LADDER_NOTE_MARK 16.0   /* the finding marker before its text */
#define LADDER_LABEL_MAX 90     /* characters of a label */
#define LADDER_SDP_MAX 70       /* characters of an SDP summary */
#define LADDER_TOOLTIP_LINES 12

static inline double
ladder_font_size(LadderFontKind k)
{
    return k == LADDER_FONT_SMALL ? LADDER_SIZE_SMALL
         : k == LADDER_FONT_TITLE ? LADDER_SIZE_TITLE
                                  : LADDER_SIZE_NORMAL;
}

/* Width of @text (UTF-8, may be NULL) in layout units. */
static inline double
ladder_text_width(const char *text, LadderFontKind k)
{
    if (!text)
        return 0;
    return (double)g_utf8_strlen(text, -1) * LADDER_CHAR_EM * ladder_font_size(k);
}

/* Width of a column head: the title over the address in the small font,
 * or the address alone in the normal font. */
static inline double
ladder_head_width(const char *title, const char *address)
{
    if (!title)
        return ladder_text_width(address, LADDER_FONT_NORMAL);
    return MAX(ladder_text_width(address, LADDER_FONT_SMALL),
               ladder_text_width(title, LADDER_FONT_NORMAL));
}

/* One line of packet text fit for a label: valid UTF-8, control
 * characters as spaces, at most @max characters (then an ellipsis).
 * Caller owns. */
char *ladder_text_clean(const char *s, gssize len, guint max);
/* "15:04:05.123456", "+1.234567" since @start, "Δ0.000512" since @prev. */
void ladder_time_texts(SlTime t, SlTime start, SlTime prev, char **abs, char **rel,
                       char **delta);
/* "2 h 00 min 03 s", "4 min 10 s", "7.5 s" */
char *ladder_duration_text(SlTime d);
