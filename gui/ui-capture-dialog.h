/* sipladder GUI: UiCaptureDialog, Capture > Start: the interfaces (listed
 * by the capture helper, with their addresses, up or down) or a HEP
 * listener's address and port, and a capture filter checked with libpcap
 * as the user types; Start stays insensitive while the choice is not
 * valid. The window starts the capture on GTK_RESPONSE_ACCEPT. */
#pragma once

#include <gtk/gtk.h>

#include "ui-app.h"
#include "ui-live.h"

G_BEGIN_DECLS

#define UI_TYPE_CAPTURE_DIALOG (ui_capture_dialog_get_type())
G_DECLARE_FINAL_TYPE(UiCaptureDialog, ui_capture_dialog, UI, CAPTURE_DIALOG, GtkDialog)

/* Belongs to @app (its preferences give keep_calls and
 * capture_file_mib); lists the
 * interfaces on a worker thread. */
GtkWidget *ui_capture_dialog_new(UiApp *app, GtkWindow *parent);

/* What to capture (caller owns), or NULL while the choice is not valid. */
UiLiveSpec *ui_capture_dialog_get_spec(UiCaptureDialog *d);
gboolean ui_capture_dialog_can_start(UiCaptureDialog *d);

/* The interfaces, once listed (UiLiveIface*, borrowed); NULL before. When
 * listing failed the array is empty and the dialog shows why. */
GPtrArray *ui_capture_dialog_get_interfaces(UiCaptureDialog *d);
/* Chooses the interface @name; FALSE when it is not listed. */
gboolean ui_capture_dialog_select_interface(UiCaptureDialog *d, const char *name);
/* Chooses a HEP listener on @listen ("ip:port"). */
void ui_capture_dialog_set_hep(UiCaptureDialog *d, const char *listen);
/* Types @text into the filter field. */
void ui_capture_dialog_set_filter(UiCaptureDialog *d, const char *text);
/* What is wrong with the filter, as shown under it; NULL when it is valid. */
const char *ui_capture_dialog_get_filter_error(UiCaptureDialog *d);

G_END_DECLS
