/* sipladder GUI: preferences kept in a key file,
 * g_get_user_config_dir()/sipladder/sipladder.ini (no GSettings schema to
 * install). */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "ladder.h"
#include "sllimits.h"
#include "ui-live.h"

G_BEGIN_DECLS

typedef enum {
    UI_TIME_ABSOLUTE,  /* "2026-11-25 14:07:25.109521" */
    UI_TIME_OF_DAY,    /* "14:07:25.109" */
    UI_TIME_RELATIVE,  /* seconds since the capture's first call: "+12.345" */
} UiTimeFormat;

typedef struct {
    bool merge_ip;        /* ladder: one column per IP address */
    UiTimeFormat time_format; /* of the call list's start column */
    char *aliases_file;   /* "ADDR=NAME" lines for column titles; NULL for none */
    char *tls_keylog_file; /* TLS key log (SSLKEYLOGFILE format) read at each
                            * load to decrypt SIP over TLS; NULL for none */
    guint keep_calls;     /* live captures: finished calls kept in memory (0: all) */
    guint capture_file_mib; /* live captures: MiB the capture file (for Save)
                             * may grow to; later packets are analysed, not
                             * saved (0: no bound) */
    char *limits;         /* "NAME=VALUE,..." of sllimits.h (as --limit takes them);
                           * NULL for the defaults */
} UiPrefs;

/* The default file: $XDG_CONFIG_HOME/sipladder/sipladder.ini (caller owns). */
char *ui_prefs_default_path(void);
/* Reads @path into @p (defaults for what is missing; a missing or broken
 * file gives the defaults, @error tells why when it was broken). */
void ui_prefs_load(UiPrefs *p, const char *path, GError **error);
bool ui_prefs_save(const UiPrefs *p, const char *path, GError **error);
void ui_prefs_clear(UiPrefs *p);
/* Copies @src into @dest (strings duplicated; @dest's own freed after, so
 * @src may share them). */
void ui_prefs_copy(UiPrefs *dest, const UiPrefs *src);
const char *ui_time_format_name(UiTimeFormat f); /* "absolute", "time-of-day", "relative" */

/* The limits @p sets (defaults for the rest). False with @error when
 * its text is bad: the items before the bad one are applied. */
bool ui_prefs_limits(const UiPrefs *p, SlLimits *out, GError **error);

/* Ladder options from @p (aliases loaded from the file, if any: caller
 * unrefs opts->aliases). A broken aliases file sets @error, the rest stays. */
void ui_prefs_ladder_options(const UiPrefs *p, LadderOptions *opts, GError **error);

/* @t formatted as @f says, @origin being the relative-time zero (caller owns). */
char *ui_time_format(SlTime t, SlTime origin, UiTimeFormat f);

G_END_DECLS
