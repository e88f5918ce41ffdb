/* sipladder GUI: UiApp, the GtkApplication: one instance per session
 * (files given to a second `sipladder` open in the running one), actions
 * app.open, app.preferences, app.about, app.quit, and the preferences. */
#pragma once

#include <gtk/gtk.h>

#include "ui-prefs.h"

G_BEGIN_DECLS

#define UI_TYPE_APP (ui_app_get_type())
G_DECLARE_FINAL_TYPE(UiApp, ui_app, UI, APP, GtkApplication)

#define UI_APP_ID "org.sipladder.Sipladder"
/* The hint of g_application_open() that reads the files as one capture,
 * in one tab (`sipladder --merge FILE...`). */
#define UI_APP_OPEN_MERGED "merge"

/* @flags are added to G_APPLICATION_HANDLES_OPEN (tests pass
 * G_APPLICATION_NON_UNIQUE). */
UiApp *ui_app_new(GApplicationFlags flags);
/* The preferences in use (borrowed). */
const UiPrefs *ui_app_get_prefs(UiApp *app);
/* Replaces and saves the preferences; every window follows. */
void ui_app_set_prefs(UiApp *app, const UiPrefs *prefs);

G_END_DECLS
