/* sipladder GUI: UiCaptureDialog (see ui-capture-dialog.h). */
#include "ui-capture-dialog.h"

enum { ICOL_NAME, ICOL_ADDRESSES, ICOL_STATE, ICOL_DESCRIPTION, ICOL_UP };

struct _UiCaptureDialog {
    GtkDialog parent;
    GtkWidget *iface_radio, *iface_view, *iface_status, *filter_entry, *filter_error;
    GtkWidget *hep_radio, *hep_entry, *hep_error, *start_button;
    GtkListStore *iface_store;
    UiApp *app;
    GPtrArray *ifaces;   /* UiLiveIface*, once listed */
    char *filter_message; /* what is wrong with the filter, NULL when valid */
    gboolean disposed;
};

G_DEFINE_TYPE(UiCaptureDialog, ui_capture_dialog, GTK_TYPE_DIALOG)

static void
show_error(GtkWidget *label, GtkWidget *entry, const char *text)
{
    gtk_label_set_text(GTK_LABEL(label), text ? text : "");
    gtk_widget_set_visible(label, text != NULL);
    GtkStyleContext *sc = gtk_widget_get_style_context(entry);
    if (text)
        gtk_style_context_add_class(sc, GTK_STYLE_CLASS_ERROR);
    else
        gtk_style_context_remove_class(sc, GTK_STYLE_CLASS_ERROR);
}

static char *
selected_iface(UiCaptureDialog *d)
{
    GtkTreeModel *m;
    GtkTreeIter it;
    char *name = NULL;
    if (gtk_tree_selection_get_selected(gtk_tree_view_get_selection(GTK_TREE_VIEW(d->iface_view)),
                                        &m, &it))
        gtk_tree_model_get(m, &it, ICOL_NAME, &name, -1);
    return name;
}

static gboolean
hep_chosen(UiCaptureDialog *d)
{
    return gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(d->hep_radio));
}

/* Checks the choice as the user types: the filter with libpcap, the HEP
 * address; Start only when everything holds. */
static void
validate(UiCaptureDialog *d)
{
    gboolean hep = hep_chosen(d);
    gtk_widget_set_sensitive(d->filter_entry, !hep); /* HEP carries what the agent chose */
    g_clear_pointer(&d->filter_message, g_free);
    char *msg = NULL;
    if (!ui_live_check_filter(gtk_entry_get_text(GTK_ENTRY(d->filter_entry)), &msg))
        d->filter_message = msg;
    show_error(d->filter_error, d->filter_entry, hep ? NULL : d->filter_message);
    g_autofree char *hep_msg = NULL;
    gboolean hep_ok = ui_live_check_listen(gtk_entry_get_text(GTK_ENTRY(d->hep_entry)), &hep_msg);
    show_error(d->hep_error, d->hep_entry, hep && !hep_ok ? hep_msg : NULL);
    g_autofree char *iface = selected_iface(d);
    gboolean ok = hep ? hep_ok : iface != NULL && d->filter_message == NULL;
    gtk_widget_set_sensitive(d->start_button, ok);
}

static void
on_changed(UiCaptureDialog *d)
{
    validate(d);
}

static void
on_hep_changed(UiCaptureDialog *d)
{
    validate(d);
}

/* Going to the HEP address chooses HEP; going to the list, an interface. */
static gboolean
on_hep_focus(UiCaptureDialog *d, GdkEvent *event, GtkWidget *entry)
{
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(d->hep_radio), TRUE);
    return FALSE;
}

static gboolean
on_iface_focus(UiCaptureDialog *d, GdkEvent *event, GtkWidget *view)
{
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(d->iface_radio), TRUE);
    return FALSE;
}

static void
on_iface_selected(UiCaptureDialog *d)
{
    validate(d);
}

static void
on_iface_activated(UiCaptureDialog *d, GtkTreePath *path, GtkTreeViewColumn *col)
{
    if (gtk_widget_get_sensitive(d->start_button))
        gtk_dialog_response(GTK_DIALOG(d), GTK_RESPONSE_ACCEPT);
}

/* ------------------------------------------------------------ interfaces */

static void
iface_free(gpointer p)
{
    UiLiveIface *i = p;
    ui_live_iface_clear(i);
    g_free(i);
}

static void
list_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancel)
{
    GError *error = NULL;
    char **lines = cap_list_interfaces(&error);
    if (!lines) {
        g_task_return_error(task, error);
        return;
    }
    GPtrArray *ifaces = g_ptr_array_new_with_free_func(iface_free);
    for (guint i = 0; lines[i]; i++) {
        UiLiveIface *f = g_new0(UiLiveIface, 1);
        if (ui_live_iface_parse(lines[i], f))
            g_ptr_array_add(ifaces, f);
        else
            iface_free(f);
    }
    g_strfreev(lines);
    g_task_return_pointer(task, ifaces, (GDestroyNotify)g_ptr_array_unref);
}

static void
on_listed(GObject *source, GAsyncResult *res, gpointer data)
{
    UiCaptureDialog *d = UI_CAPTURE_DIALOG(source);
    g_autoptr(GError) error = NULL;
    GPtrArray *ifaces = g_task_propagate_pointer(G_TASK(res), &error);
    if (d->disposed) {
        if (ifaces)
            g_ptr_array_unref(ifaces);
        return;
    }
    if (!ifaces) {
        d->ifaces = g_ptr_array_new_with_free_func(iface_free);
        g_autofree char *text = g_strdup_printf(
            "Cannot list the interfaces: %s. A HEP listener still works.", error->message);
        gtk_label_set_text(GTK_LABEL(d->iface_status), text);
        validate(d);
        return;
    }
    d->ifaces = ifaces;
    GtkTreeIter first_up;
    gboolean have_first = FALSE;
    for (guint i = 0; i < ifaces->len; i++) {
        const UiLiveIface *f = g_ptr_array_index(ifaces, i);
        GtkTreeIter it;
        gtk_list_store_insert_with_values(d->iface_store, &it, -1, ICOL_NAME, f->name,
                                          ICOL_ADDRESSES, f->addresses, ICOL_STATE,
                                          f->up ? "up" : "down", ICOL_DESCRIPTION,
                                          f->description, ICOL_UP, f->up, -1);
        /* the first interface up with an address, as a start */
        if (!have_first && f->up && *f->addresses) {
            first_up = it;
            have_first = TRUE;
        }
    }
    g_autofree char *text = g_strdup_printf(
        "%u interfaces. Capturing runs the helper sipladder-capture, which holds the "
        "capture privileges; sipladder itself needs none.",
        ifaces->len);
    gtk_label_set_text(GTK_LABEL(d->iface_status), text);
    GtkTreeSelection *sel = gtk_tree_view_get_selection(GTK_TREE_VIEW(d->iface_view));
    if (have_first && !gtk_tree_selection_count_selected_rows(sel))
        gtk_tree_selection_select_iter(sel, &first_up);
    validate(d);
}

/* ------------------------------------------------------------ API */

UiLiveSpec *
ui_capture_dialog_get_spec(UiCaptureDialog *d)
{
    if (!gtk_widget_get_sensitive(d->start_button))
        return NULL;
    const UiPrefs *p = d->app ? ui_app_get_prefs(d->app) : NULL;
    guint keep = p ? p->keep_calls : UI_LIVE_KEEP_CALLS;
    UiLiveSpec *spec;
    if (hep_chosen(d)) {
        spec = ui_live_spec_new(UI_LIVE_HEP, gtk_entry_get_text(GTK_ENTRY(d->hep_entry)), NULL,
                                keep);
    } else {
        g_autofree char *iface = selected_iface(d);
        spec = ui_live_spec_new(UI_LIVE_INTERFACE, iface,
                                gtk_entry_get_text(GTK_ENTRY(d->filter_entry)), keep);
    }
    spec->file_limit = (uint64_t)(p ? p->capture_file_mib : UI_LIVE_FILE_MIB) << 20;
    return spec;
}

gboolean
ui_capture_dialog_can_start(UiCaptureDialog *d)
{
    return gtk_widget_get_sensitive(d->start_button);
}

GPtrArray *
ui_capture_dialog_get_interfaces(UiCaptureDialog *d)
{
    return d->ifaces;
}

gboolean
ui_capture_dialog_select_interface(UiCaptureDialog *d, const char *name)
{
    GtkTreeModel *m = GTK_TREE_MODEL(d->iface_store);
    GtkTreeIter it;
    for (gboolean ok = gtk_tree_model_get_iter_first(m, &it); ok;
         ok = gtk_tree_model_iter_next(m, &it)) {
        g_autofree char *n = NULL;
        gtk_tree_model_get(m, &it, ICOL_NAME, &n, -1);
        if (g_strcmp0(n, name) == 0) {
            gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(d->iface_radio), TRUE);
            gtk_tree_selection_select_iter(
                gtk_tree_view_get_selection(GTK_TREE_VIEW(d->iface_view)), &it);
            validate(d);
            return TRUE;
        }
    }
    return FALSE;
}

void
ui_capture_dialog_set_hep(UiCaptureDialog *d, const char *listen)
{
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(d->hep_radio), TRUE);
    gtk_entry_set_text(GTK_ENTRY(d->hep_entry), listen);
    validate(d);
}

void
ui_capture_dialog_set_filter(UiCaptureDialog *d, const char *text)
{
    gtk_entry_set_text(GTK_ENTRY(d->filter_entry), text); /* "changed" validates */
}

const char *
ui_capture_dialog_get_filter_error(UiCaptureDialog *d)
{
    return d->filter_message;
}

/* ------------------------------------------------------------ object */

static void
dialog_dispose(GObject *o)
{
    UI_CAPTURE_DIALOG(o)->disposed = TRUE;
    G_OBJECT_CLASS(ui_capture_dialog_parent_class)->dispose(o);
}

static void
dialog_finalize(GObject *o)
{
    UiCaptureDialog *d = UI_CAPTURE_DIALOG(o);
    if (d->ifaces)
        g_ptr_array_unref(d->ifaces);
    g_free(d->filter_message);
    G_OBJECT_CLASS(ui_capture_dialog_parent_class)->finalize(o);
}

static void
ui_capture_dialog_class_init(UiCaptureDialogClass *klass)
{
    GtkWidgetClass *wc = GTK_WIDGET_CLASS(klass);
    G_OBJECT_CLASS(klass)->dispose = dialog_dispose;
    G_OBJECT_CLASS(klass)->finalize = dialog_finalize;
    gtk_widget_class_set_template_from_resource(wc,
                                                "/org/sipladder/Sipladder/ui-capture-dialog.ui");
#define BIND(name) gtk_widget_class_bind_template_child(wc, UiCaptureDialog, name)
    BIND(iface_radio);
    BIND(iface_view);
    BIND(iface_status);
    BIND(iface_store);
    BIND(filter_entry);
    BIND(filter_error);
    BIND(hep_radio);
    BIND(hep_entry);
    BIND(hep_error);
    BIND(start_button);
#undef BIND
    gtk_widget_class_bind_template_callback(wc, on_changed);
    gtk_widget_class_bind_template_callback(wc, on_hep_changed);
    gtk_widget_class_bind_template_callback(wc, on_iface_selected);
    gtk_widget_class_bind_template_callback(wc, on_hep_focus);
    gtk_widget_class_bind_template_callback(wc, on_iface_focus);
    gtk_widget_class_bind_template_callback(wc, on_iface_activated);
}

static void
ui_capture_dialog_init(UiCaptureDialog *d)
{
    gtk_widget_init_template(GTK_WIDGET(d));
    gtk_style_context_add_class(gtk_widget_get_style_context(d->filter_error),
                                GTK_STYLE_CLASS_ERROR);
    gtk_style_context_add_class(gtk_widget_get_style_context(d->hep_error),
                                GTK_STYLE_CLASS_ERROR);
    validate(d);
}

GtkWidget *
ui_capture_dialog_new(UiApp *app, GtkWindow *parent)
{
    UiCaptureDialog *d = g_object_new(UI_TYPE_CAPTURE_DIALOG, "transient-for", parent,
                                      "application", app, "use-header-bar", TRUE, NULL);
    d->app = app;
    g_autoptr(GTask) task = g_task_new(d, NULL, on_listed, NULL); /* holds the dialog */
    g_task_run_in_thread(task, list_thread);
    return GTK_WIDGET(d);
}
