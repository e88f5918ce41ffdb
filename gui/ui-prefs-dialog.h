/* sipladder GUI: UiPrefsDialog, editing the preferences (ui-prefs.h);
 * every change applies at once through ui_app_set_prefs. */
#pragma once

#include <gtk/gtk.h>

#include "ui-app.h"

G_BEGIN_DECLS

#define UI_TYPE_PREFS_DIALOG (ui_prefs_dialog_get_type())
G_DECLARE_FINAL_TYPE(UiPrefsDialog, ui_prefs_dialog, UI, PREFS_DIALOG, GtkDialog)

GtkWidget *ui_prefs_dialog_new(UiApp *app, GtkWindow *parent);

G_END_DECLS
