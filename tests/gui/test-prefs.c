/* Unit tests: GUI preferences in their key file and the time formats of
 * the call list (gui/ui-prefs.c); no display needed. */
#include <glib/gstdio.h>
#include <string.h>

#include "ui-prefs.h"

static void
test_roundtrip(void)
{
    g_autofree char *dir = g_dir_make_tmp("sl-prefs-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "sub", "sipladder.ini", NULL);
    g_autofree char *aliases = g_build_filename(dir, "aliases.txt", NULL);
    g_assert_true(g_file_set_contents(aliases, "10.0.0.10=phone\n10.0.0.20:5060 b2bua\n", -1,
                                      NULL));
    UiPrefs p = { .merge_ip = true,
                  .time_format = UI_TIME_RELATIVE,
                  .aliases_file = aliases,
                  .tls_keylog_file = "/keys/tls keys.log",
                  .keep_calls = 0,
                  .capture_file_mib = 0 };
    g_autoptr(GError) error = NULL;
    g_assert_true(ui_prefs_save(&p, path, &error)); /* makes the folder */
    g_assert_no_error(error);
    UiPrefs q;
    ui_prefs_load(&q, path, &error);
    g_assert_no_error(error);
    g_assert_true(q.merge_ip);
    g_assert_cmpint(q.time_format, ==, UI_TIME_RELATIVE);
    g_assert_cmpstr(q.aliases_file, ==, aliases);
    g_assert_cmpstr(q.tls_keylog_file, ==, "/keys/tls keys.log");
    /* the key is in the file by its name */
    g_autofree char *ini = NULL;
    g_assert_true(g_file_get_contents(path, &ini, NULL, NULL));
    g_assert_nonnull(strstr(ini, "tls-keylog-file=/keys/tls keys.log\n"));
    /* a copy owns its strings, even from itself */
    UiPrefs c = { 0 };
    ui_prefs_copy(&c, &q);
    g_assert_true(c.tls_keylog_file != q.tls_keylog_file);
    ui_prefs_copy(&c, &c);
    g_assert_cmpstr(c.tls_keylog_file, ==, "/keys/tls keys.log");
    ui_prefs_clear(&c);
    /* cleared: saved empty, read back as none */
    g_clear_pointer(&q.tls_keylog_file, g_free);
    g_assert_true(ui_prefs_save(&q, path, &error));
    ui_prefs_clear(&q);
    ui_prefs_load(&q, path, &error);
    g_assert_no_error(error);
    g_assert_null(q.tls_keylog_file);
    g_assert_cmpstr(q.aliases_file, ==, aliases);
    g_assert_cmpuint(q.keep_calls, ==, 0); /* 0 (keep every call) is not the default */
    g_assert_cmpuint(q.capture_file_mib, ==, 0); /* nor is 0 (no bound on the file) */
    q.capture_file_mib = 300;
    g_assert_true(ui_prefs_save(&q, path, &error));
    g_clear_pointer(&ini, g_free);
    g_assert_true(g_file_get_contents(path, &ini, NULL, NULL));
    g_assert_nonnull(strstr(ini, "capture-file-limit-mib=300\n"));
    ui_prefs_clear(&q);
    ui_prefs_load(&q, path, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(q.capture_file_mib, ==, 300);
    LadderOptions o;
    ui_prefs_ladder_options(&q, &o, &error);
    g_assert_no_error(error);
    g_assert_true(o.merge_ip);
    g_assert_nonnull(o.aliases);
    g_assert_cmpstr(g_hash_table_lookup(o.aliases, "10.0.0.10"), ==, "phone");
    g_hash_table_unref(o.aliases);
    ui_prefs_clear(&q);
    g_unlink(path);
    g_unlink(aliases);
    g_autofree char *sub = g_path_get_dirname(path);
    g_rmdir(sub);
    g_rmdir(dir);
}

static void
test_missing_and_broken(void)
{
    UiPrefs p;
    g_autoptr(GError) error = NULL;
    ui_prefs_load(&p, "/nonexistent/sipladder.ini", &error);
    g_assert_no_error(error); /* no file yet: the defaults, quietly */
    g_assert_false(p.merge_ip);
    g_assert_cmpint(p.time_format, ==, UI_TIME_ABSOLUTE);
    g_assert_null(p.aliases_file);
    g_assert_null(p.tls_keylog_file);
    g_assert_cmpuint(p.keep_calls, ==, UI_LIVE_KEEP_CALLS);
    g_assert_cmpuint(p.capture_file_mib, ==, UI_LIVE_FILE_MIB);
    g_autofree char *dir = g_dir_make_tmp("sl-prefs-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "sipladder.ini", NULL);
    g_assert_true(g_file_set_contents(path, "this is [not a key file\n", -1, NULL));
    ui_prefs_load(&p, path, &error);
    g_assert_nonnull(error); /* said, and the defaults */
    g_assert_cmpint(p.time_format, ==, UI_TIME_ABSOLUTE);
    g_clear_error(&error);
    g_assert_true(g_file_set_contents(path,
                                      "[sipladder]\ntime-format=bogus\nkeep-calls=many\n"
                                      "capture-file-limit-mib=lots\n",
                                      -1, NULL));
    ui_prefs_load(&p, path, &error);
    g_assert_no_error(error);
    g_assert_cmpint(p.time_format, ==, UI_TIME_ABSOLUTE);
    g_assert_cmpuint(p.keep_calls, ==, UI_LIVE_KEEP_CALLS);
    g_assert_cmpuint(p.capture_file_mib, ==, UI_LIVE_FILE_MIB);
    /* a bound past the largest one is the largest */
    g_assert_true(g_file_set_contents(path, "[sipladder]\ncapture-file-limit-mib=99999999999\n",
                                      -1, NULL));
    ui_prefs_load(&p, path, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(p.capture_file_mib, ==, UI_LIVE_FILE_MIB_MAX);
    g_unlink(path);
    g_rmdir(dir);
}

/* Limits: saved as the CLI's --limit takes them, read back into values;
 * a bad text in the file gives the defaults and says why. */
static void
test_limits(void)
{
    g_autofree char *dir = g_dir_make_tmp("sl-prefs-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "sipladder.ini", NULL);
    UiPrefs p = { .limits = "calls=1000, tcp-buffer=64K" };
    g_autoptr(GError) error = NULL;
    g_assert_true(ui_prefs_save(&p, path, &error));
    UiPrefs q;
    ui_prefs_load(&q, path, &error);
    g_assert_no_error(error);
    SlLimits lim;
    g_assert_true(ui_prefs_limits(&q, &lim, &error));
    g_assert_cmpuint(lim.value[SL_LIMIT_CALLS], ==, 1000);
    g_assert_cmpuint(lim.value[SL_LIMIT_TCP_BUFFER], ==, 64 * 1024);
    g_assert_cmpuint(lim.value[SL_LIMIT_SIP_MESSAGE], ==,
                     sl_limit_info(SL_LIMIT_SIP_MESSAGE)->def);
    ui_prefs_clear(&q);
    g_assert_true(g_file_set_contents(path, "[sipladder]\nlimits=calls=0\n", -1, NULL));
    ui_prefs_load(&q, path, &error);
    g_assert_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
    g_assert_null(q.limits);
    g_assert_true(ui_prefs_limits(&q, &lim, NULL));
    g_assert_cmpuint(lim.value[SL_LIMIT_CALLS], ==, sl_limit_info(SL_LIMIT_CALLS)->def);
    ui_prefs_clear(&q);
    g_unlink(path);
    g_rmdir(dir);
}

static void
test_time_formats(void)
{
    SlTime origin = sl_time_from_parts(1795615645, 109521000); /* 2026-11-25 14:07:25.109521 */
    SlTime t = origin + 12 * SL_TIME_SECOND + 345 * SL_TIME_MSEC;
    g_autofree char *abs = ui_time_format(t, origin, UI_TIME_ABSOLUTE);
    g_autofree char *day = ui_time_format(t, origin, UI_TIME_OF_DAY);
    g_autofree char *rel = ui_time_format(t, origin, UI_TIME_RELATIVE);
    g_assert_cmpstr(abs, ==, "2026-11-25 14:07:37.454521");
    g_assert_cmpstr(day, ==, "14:07:37.454");
    g_assert_cmpstr(rel, ==, "+12.345");
    g_assert_cmpstr(ui_time_format_name(UI_TIME_OF_DAY), ==, "time-of-day");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ui-prefs/roundtrip", test_roundtrip);
    g_test_add_func("/ui-prefs/missing-and-broken", test_missing_and_broken);
    g_test_add_func("/ui-prefs/time-formats", test_time_formats);
    g_test_add_func("/ui-prefs/limits", test_limits);
    return g_test_run();
}
