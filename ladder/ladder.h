/* sipladder: the ladder (sequence) diagram of calls or messages.
 *
 * ladder_layout_build() turns correlated calls into a LadderLayout:
 * columns (one per endpoint), rows (one per message, RTP stream start and
 * end, and compressed silence), arrows, RTP bands and notes, each with
 * its geometry in layout units and the frame it came from. It knows
 * nothing of cairo or GTK. ladder_draw() is the only drawing code: it
 * walks a layout onto a LadderCanvas (ladder-canvas.h); the text ladder
 * and the exports walk the same layout. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "corr-media.h"
#include "corr.h"
#include "ladder-canvas.h"
#include "rtp-stream.h"
#include "sltime.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------ options */

typedef struct {
    bool merge_ip;       /* one column per IP address, whatever the port */
    GHashTable *aliases; /* "10.0.0.1" or "10.0.0.1:5060" -> name; borrowed, may be NULL */
    /* a gap longer than this between two rows is drawn as a compressed
     * silence (a short break with its duration) */
    SlTime gap_threshold;
} LadderOptions;

void ladder_options_init(LadderOptions *o);

/* Parses "ADDR=NAME" into @aliases (ADDR an IP, or IP:port, [v6]:port).
 * Returns false with @error set on a bad entry. */
bool ladder_aliases_add(GHashTable *aliases, const char *spec, GError **error);
/* Reads an aliases file: one "ADDR=NAME" or "ADDR NAME" per line; '#'
 * starts a comment. */
bool ladder_aliases_load(GHashTable *aliases, const char *path, GError **error);
/* A table for ladder_aliases_add (caller owns, g_hash_table_unref). */
GHashTable *ladder_aliases_new(void);

/* ------------------------------------------------------------ layout */

typedef struct {
    guint index;      /* 0.. left to right */
    SlAddr addr;      /* port 0 when columns are merged by IP */
    char *title;      /* alias, else the User-Agent/Server product, else NULL */
    char *address;    /* "10.0.0.10:5060" (or "10.0.0.10" merged) */
    double x;         /* centre of the life line */
} LadderColumn;

typedef enum {
    LADDER_ROW_MESSAGE,
    LADDER_ROW_RTP_START,
    LADDER_ROW_RTP_END,
    LADDER_ROW_GAP,   /* compressed silence */
} LadderRowKind;

typedef struct {
    LadderRowKind kind;
    double y;         /* baseline of the row's arrow (top of a gap row) */
    SlTime ts;        /* time of the row (start of the gap) */
    SlTime gap;       /* LADDER_ROW_GAP: duration of the silence */
    int item;         /* index into arrows or bands; -1 for gaps */
    char *time_abs;   /* "15:04:05.123456" */
    char *time_rel;   /* seconds since the first row: "+12.345" */
    char *time_delta; /* since the previous row: "+0.012" */
} LadderRow;

typedef struct {
    guint row;
    const CorrMsg *msg;   /* borrowed from the engine */
    uint64_t frame;
    guint file;
    guint from_col, to_col; /* equal: a message to the same column (loop) */
    double y, x1, x2;     /* from x1 to x2 at y */
    char *label;          /* "INVITE", "180 Ringing" */
    char *cseq;           /* "1 INVITE" */
    char *sdp;            /* "SDP PCMU G729 10.0.0.10:6000 sendrecv" or NULL */
    char *tooltip;        /* the message's first lines */
    guint leg;            /* index into legs: its colour */
    bool is_request;
    bool retransmission;  /* a retransmission or duplicate: dashed */
    guint copies;         /* on an original: retransmissions that followed */
    int hop_of;           /* the arrow this one forwards (previous hop), or -1 */
} LadderArrow;

typedef struct {
    const RtpStream *stream;  /* borrowed */
    uint32_t ssrc;
    guint from_col, to_col;
    guint row_start, row_end;
    double x1, x2, y1, y2;    /* from x1 to x2; first to last packet */
    guint lane;               /* bands side by side in one time span */
    char *label;              /* "PCMU 1500 pkts, lost 0.0%, jitter 1.2 ms, MOS 4.4" */
    char *tooltip;
    guint leg;
} LadderBand;

typedef struct {
    char *kind;      /* finding kind ("one-way-audio") */
    char *text;
    uint64_t frame;
    guint col;       /* where it is marked */
    double x, y;
    int arrow;       /* the arrow it refers to, or -1 */
    int band;        /* the band it refers to, or -1 */
} LadderNote;

typedef struct {
    guint index;
    char *call_id;
    char *text;      /* "leg 2: Call-ID xyz (linked by media 10.0.0.10:6000 to leg 1)" */
    CorrKind kind;
} LadderLeg;

typedef struct {
    GArray *columns;  /* LadderColumn */
    GArray *rows;     /* LadderRow, top to bottom */
    GArray *arrows;   /* LadderArrow, in row order */
    GArray *bands;    /* LadderBand */
    GArray *notes;    /* LadderNote */
    GArray *legs;     /* LadderLeg */
    char *title;      /* "Call 1: 1001 -> 2002, completed" */
    SlTime start;     /* time of the first row */
    /* geometry */
    double width, height;
    double header_h;  /* column titles at the top */
    double legend_y;  /* top of the legend below the rows */
    double time_w;    /* the time column at the left */
} LadderLayout;

/* Lays out @calls (CorrCall*, borrowed; one or more) with the RTP streams
 * bound to them (@info parallel to @streams, from corr_media_bind; both may
 * be NULL). The layout borrows messages and streams: keep the engine and
 * the stream tables alive while it lives. @opts may be NULL. It only reads
 * its inputs and touches no global state, so it may run on a worker
 * thread while nothing changes the calls; time and memory are linear in
 * messages, streams and findings. */
LadderLayout *ladder_layout_build(GPtrArray *calls, GPtrArray *streams,
                                  const CorrStreamInfo *info, const LadderOptions *opts);
/* Lays out any list of messages (CorrMsg*, in capture order). */
LadderLayout *ladder_layout_build_msgs(GPtrArray *msgs, const LadderOptions *opts);
void ladder_layout_free(LadderLayout *l);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LadderLayout, ladder_layout_free)

/* The arrow at @x, @y (layout units), or -1; the band likewise. */
int ladder_layout_arrow_at(const LadderLayout *l, double x, double y);
int ladder_layout_band_at(const LadderLayout *l, double x, double y);

/* ------------------------------------------------------------ drawing */

typedef struct {
    const char *font_family; /* "DejaVu Sans Mono" */
    double font_size;
    LadderColor background, foreground, grid, selection;
    LadderColor legs[8];     /* colour of leg i is legs[i % 8] */
    int selected_arrow;      /* highlighted, or -1 */
    int selected_band;
} LadderStyle;

void ladder_style_init(LadderStyle *s);

/* Draws the part of @l between @y_from and @y_to (layout units; 0 and
 * l->height for all) onto @c. With @sticky_header, the column titles are
 * drawn at @y_from (a page of a PDF, the top of a scrolled view); else at
 * the top of the layout. */
void ladder_draw(const LadderLayout *l, LadderCanvas *c, const LadderStyle *s, double y_from,
                 double y_to, bool sticky_header);

/* ------------------------------------------------------------ output */

typedef enum {
    LADDER_FORMAT_SVG,
    LADDER_FORMAT_PNG,
    LADDER_FORMAT_PDF,
    LADDER_FORMAT_TEXT,
} LadderFormat;

/* The format a file name asks for (by extension); false if none. */
bool ladder_format_from_name(const char *name, LadderFormat *out);
bool ladder_format_parse(const char *s, LadderFormat *out);

/* The whole layout as an SVG document (caller owns). */
char *ladder_render_svg(const LadderLayout *l, const LadderStyle *s);
/* Writes @l to @path as PNG (@scale device pixels per unit) or PDF
 * (A4-wide pages, the column titles repeated on each). */
bool ladder_render_png(const LadderLayout *l, const LadderStyle *s, double scale,
                       const char *path, GError **error);
bool ladder_render_pdf(const LadderLayout *l, const LadderStyle *s, const char *path,
                       GError **error);
/* An ASCII ladder for terminals and e-mails (caller owns). */
char *ladder_render_text(const LadderLayout *l);

G_END_DECLS
