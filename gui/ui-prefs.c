/* sipladder GUI: preferences in a key file (see ui-prefs.h). */
#include "ui-prefs.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#define GROUP "sipladder"

static const char *const time_names[] = { "absolute", "time-of-day", "relative" };

const char *
ui_time_format_name(UiTimeFormat f)
{
    return (guint)f < G_N_ELEMENTS(time_names) ? time_names[f] : time_names[0];
}

char *
ui_prefs_default_path(void)
{
    return g_build_filename(g_get_user_config_dir(), "sipladder", "sipladder.ini", NULL);
}

void
ui_prefs_load(UiPrefs *p, const char *path, GError **error)
{
    *p = (UiPrefs){ .merge_ip = false,
                    .time_format = UI_TIME_ABSOLUTE,
                    .keep_calls = UI_LIVE_KEEP_CALLS,
                    .capture_file_mib = UI_LIVE_FILE_MIB };
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autoptr(GError) err = NULL;
    if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &err)) {
        if (!g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            g_propagate_error(error, g_steal_pointer(&err));
        return;
    }
    p->merge_ip = g_key_file_get_boolean(kf, GROUP, "merge-ports-by-ip", NULL);
    g_autofree char *tf = g_key_file_get_string(kf, GROUP, "time-format", NULL);
    for (guint i = 0; tf && i < G_N_ELEMENTS(time_names); i++)
        if (g_strcmp0(tf, time_names[i]) == 0)
            p->time_format = (UiTimeFormat)i;
    p->aliases_file = g_key_file_get_string(kf, GROUP, "aliases-file", NULL);
    if (p->aliases_file && !*p->aliases_file)
        g_clear_pointer(&p->aliases_file, g_free);
    p->tls_keylog_file = g_key_file_get_string(kf, GROUP, "tls-keylog-file", NULL);
    if (p->tls_keylog_file && !*p->tls_keylog_file)
        g_clear_pointer(&p->tls_keylog_file, g_free);
    g_autoptr(GError) kerr = NULL;
    guint64 keep = g_key_file_get_uint64(kf, GROUP, "keep-calls", &kerr);
    if (!kerr)
        p->keep_calls = (guint)MIN(keep, G_MAXUINT);
    g_autoptr(GError) ferr = NULL;
    guint64 mib = g_key_file_get_uint64(kf, GROUP, "capture-file-limit-mib", &ferr);
    if (!ferr)
        p->capture_file_mib = (guint)MIN(mib, UI_LIVE_FILE_MIB_MAX);
    p->limits = g_key_file_get_string(kf, GROUP, "limits", NULL);
    if (p->limits && !*p->limits)
        g_clear_pointer(&p->limits, g_free);
    SlLimits lim;
    if (p->limits && !ui_prefs_limits(p, &lim, error))
        g_clear_pointer(&p->limits, g_free); /* a broken file gives the defaults */
}

bool
ui_prefs_limits(const UiPrefs *p, SlLimits *out, GError **error)
{
    sl_limits_init(out);
    return sl_limits_set_list(out, p->limits, error);
}

bool
ui_prefs_save(const UiPrefs *p, const char *path, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_key_file_set_boolean(kf, GROUP, "merge-ports-by-ip", p->merge_ip);
    g_key_file_set_string(kf, GROUP, "time-format", ui_time_format_name(p->time_format));
    g_key_file_set_string(kf, GROUP, "aliases-file", p->aliases_file ? p->aliases_file : "");
    g_key_file_set_string(kf, GROUP, "tls-keylog-file",
                          p->tls_keylog_file ? p->tls_keylog_file : "");
    g_key_file_set_uint64(kf, GROUP, "keep-calls", p->keep_calls);
    g_key_file_set_uint64(kf, GROUP, "capture-file-limit-mib", p->capture_file_mib);
    g_key_file_set_string(kf, GROUP, "limits", p->limits ? p->limits : "");
    g_autofree char *dir = g_path_get_dirname(path);
    if (g_mkdir_with_parents(dir, 0700) != 0) {
        int e = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "%s: %s", dir,
                    g_strerror(e));
        return false;
    }
    return g_key_file_save_to_file(kf, path, error);
}

void
ui_prefs_clear(UiPrefs *p)
{
    g_clear_pointer(&p->aliases_file, g_free);
    g_clear_pointer(&p->tls_keylog_file, g_free);
    g_clear_pointer(&p->limits, g_free);
}

void
ui_prefs_copy(UiPrefs *dest, const UiPrefs *src)
{
    UiPrefs copy = *src;
    copy.aliases_file = g_strdup(src->aliases_file);
    copy.tls_keylog_file = g_strdup(src->tls_keylog_file);
    copy.limits = g_strdup(src->limits);
    ui_prefs_clear(dest);
    *dest = copy;
}

void
ui_prefs_ladder_options(const UiPrefs *p, LadderOptions *opts, GError **error)
{
    ladder_options_init(opts);
    opts->merge_ip = p->merge_ip;
    if (!p->aliases_file)
        return;
    opts->aliases = ladder_aliases_new();
    ladder_aliases_load(opts->aliases, p->aliases_file, error);
}

char *
ui_time_format(SlTime t, SlTime origin, UiTimeFormat f)
{
    if (f == UI_TIME_RELATIVE)
        return g_strdup_printf("+%.3f", sl_time_to_seconds(t - origin));
    char buf[SL_TIME_STRLEN];
    sl_time_format(t, buf);
    if (f == UI_TIME_OF_DAY && strlen(buf) >= 23)
        return g_strndup(buf + 11, 12); /* "HH:MM:SS.mmm" */
    return g_strdup(buf);
}
