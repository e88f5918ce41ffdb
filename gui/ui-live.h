/* sipladder GUI: what a live capture needs that is plain C, tested without
 * a display (tests/gui/test-live.c): the choice of source, the capture
 * filter checked with libpcap as the user types, the HEP listen address,
 * the capture helper's interface lines, and the capture tab's status line. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "cap-source.h"

G_BEGIN_DECLS

/* Finished calls a capture keeps in memory by default (UiPrefs.keep_calls). */
#define UI_LIVE_KEEP_CALLS 10000
/* The capture file's bound by default, in MiB (UiPrefs.capture_file_mib). */
#define UI_LIVE_FILE_MIB 2048
#define UI_LIVE_FILE_MIB_MAX (1u << 24) /* 16 TiB: the largest bound one can set */

typedef enum {
    UI_LIVE_INTERFACE, /* an interface, through the capture helper */
    UI_LIVE_HEP,       /* a HEP listener (UDP and TCP) */
} UiLiveKind;

typedef struct {
    UiLiveKind kind;
    char *name;        /* the interface, or "ip:port" to listen on */
    char *filter;      /* interfaces: a BPF capture filter, NULL for none */
    guint keep_calls;  /* finished calls kept in memory; 0: all */
    uint64_t file_limit; /* bytes the capture file may grow to; 0: no bound.
                          * Frames past it are analysed but not written */
} UiLiveSpec;

/* Caller owns the result (ui_live_spec_free); an empty @filter is none. */
UiLiveSpec *ui_live_spec_new(UiLiveKind kind, const char *name, const char *filter,
                             guint keep_calls);
UiLiveSpec *ui_live_spec_copy(const UiLiveSpec *s);
void ui_live_spec_free(UiLiveSpec *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UiLiveSpec, ui_live_spec_free)
/* The tab's title: "lo", "HEP 0.0.0.0:9060" (caller owns). */
char *ui_live_spec_title(const UiLiveSpec *s);

/* Whether libpcap compiles @filter (for Ethernet, as pcap_compile on
 * pcap_open_dead does; no privileges needed). An empty filter is valid.
 * Else *@error (may be NULL) gets libpcap's message (caller owns). */
bool ui_live_check_filter(const char *filter, char **error);
/* Whether @listen is an address with a port to listen on ("0.0.0.0:9060",
 * "[::1]:9060"); else *@error (may be NULL) says what is expected. */
bool ui_live_check_listen(const char *listen, char **error);

/* One line of `sipladder-capture --list`: "name\tdescription\taddresses\tup|down". */
typedef struct {
    char *name;
    char *description; /* "" when none */
    char *addresses;   /* blank-separated, "" when none */
    bool up;
} UiLiveIface;

/* Parses @line into @out (clear it with ui_live_iface_clear); FALSE when
 * the line has no name. */
bool ui_live_iface_parse(const char *line, UiLiveIface *out);
void ui_live_iface_clear(UiLiveIface *i);

/* What a capture has counted so far. */
typedef struct {
    bool started;           /* the source is open */
    bool running;           /* ... and has not ended */
    uint64_t frames;        /* packets analysed (written to the capture file
                             * unless it stopped: file_full, file_failed) */
    uint64_t saved_frames;  /* of them, flushed to the capture file ... */
    uint64_t saved_bytes;   /* ... whose first saved_bytes hold them */
    CapSourceStats source;  /* kernel received/dropped, malformed HEP, dropped
                             * by sipladder (its queue was full) */
    guint evicted;          /* finished calls evicted from memory */
    guint keep_calls;       /* the bound that evicted them (0: none) */
    uint64_t file_limit;    /* the capture file's bound (0: none) */
    bool file_full;         /* ... was reached: later frames are not saved */
    bool file_failed;       /* writing the capture file failed (disk full): it
                             * keeps the saved_frames flushed before */
} UiLiveStats;

/* The capture tab's status line (caller owns), e.g. "Capturing on lo: 12
 * packets · kernel: 14 received, 0 dropped" or "HEP 0.0.0.0:9060: 40
 * packets · 1 malformed HEP packet dropped · 3 finished calls evicted
 * (at most 1000 kept) · stopped"; a capture file that is full or could
 * not be written is said too. */
char *ui_live_stats_format(const char *title, const UiLiveStats *st);

G_END_DECLS
