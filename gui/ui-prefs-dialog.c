/* sipladder GUI: UiPrefsDialog (see ui-prefs-dialog.h). */
#include "ui-prefs-dialog.h"

struct _UiPrefsDialog {
    GtkDialog parent;
    GtkWidget *merge_check, *time_combo, *aliases_button, *keylog_button, *keep_spin;
    GtkWidget *file_spin;
    GtkWidget *limits_entry;
    UiApp *app;
    gboolean loading; /* filling the widgets: no change to apply */
};

G_DEFINE_TYPE(UiPrefsDialog, ui_prefs_dialog, GTK_TYPE_DIALOG)

static void
apply(UiPrefsDialog *d)
{
    if (d->loading)
        return;
    UiPrefs p = { 0 };
    p.merge_ip = gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(d->merge_check));
    const char *id = gtk_combo_box_get_active_id(GTK_COMBO_BOX(d->time_combo));
    for (UiTimeFormat f = UI_TIME_ABSOLUTE; f <= UI_TIME_RELATIVE; f++)
        if (g_strcmp0(id, ui_time_format_name(f)) == 0)
            p.time_format = f;
    p.aliases_file = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(d->aliases_button));
    p.tls_keylog_file = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(d->keylog_button));
    p.keep_calls = (guint)gtk_spin_button_get_value_as_int(GTK_SPIN_BUTTON(d->keep_spin));
    p.capture_file_mib = (guint)gtk_spin_button_get_value_as_int(GTK_SPIN_BUTTON(d->file_spin));
    /* limits: only a text that reads well replaces the ones in force */
    const char *text = gtk_entry_get_text(GTK_ENTRY(d->limits_entry));
    SlLimits lim;
    g_autoptr(GError) error = NULL;
    sl_limits_init(&lim);
    if (sl_limits_set_list(&lim, text, &error)) {
        p.limits = sl_limits_to_string(&lim);
        gtk_entry_set_icon_from_icon_name(GTK_ENTRY(d->limits_entry), GTK_ENTRY_ICON_SECONDARY,
                                          NULL);
    } else {
        p.limits = g_strdup(ui_app_get_prefs(d->app)->limits);
        gtk_entry_set_icon_from_icon_name(GTK_ENTRY(d->limits_entry), GTK_ENTRY_ICON_SECONDARY,
                                          "dialog-warning");
        gtk_entry_set_icon_tooltip_text(GTK_ENTRY(d->limits_entry), GTK_ENTRY_ICON_SECONDARY,
                                        error->message);
    }
    ui_app_set_prefs(d->app, &p);
    ui_prefs_clear(&p);
}

static void
on_clear_aliases(UiPrefsDialog *d)
{
    gtk_file_chooser_unselect_all(GTK_FILE_CHOOSER(d->aliases_button));
    apply(d);
}

static void
on_clear_keylog(UiPrefsDialog *d)
{
    gtk_file_chooser_unselect_all(GTK_FILE_CHOOSER(d->keylog_button));
    apply(d);
}

static void
ui_prefs_dialog_class_init(UiPrefsDialogClass *klass)
{
    GtkWidgetClass *wc = GTK_WIDGET_CLASS(klass);
    gtk_widget_class_set_template_from_resource(wc,
                                                "/org/sipladder/Sipladder/ui-prefs-dialog.ui");
    gtk_widget_class_bind_template_child(wc, UiPrefsDialog, merge_check);
    gtk_widget_class_bind_template_child(wc, UiPrefsDialog, time_combo);
    gtk_widget_class_bind_template_child(wc, UiPrefsDialog, aliases_button);
    gtk_widget_class_bind_template_child(wc, UiPrefsDialog, keylog_button);
    gtk_widget_class_bind_template_child(wc, UiPrefsDialog, keep_spin);
    gtk_widget_class_bind_template_child(wc, UiPrefsDialog, file_spin);
    gtk_widget_class_bind_template_child(wc, UiPrefsDialog, limits_entry);
    gtk_widget_class_bind_template_callback(wc, on_clear_aliases);
    gtk_widget_class_bind_template_callback(wc, on_clear_keylog);
}

static void
ui_prefs_dialog_init(UiPrefsDialog *d)
{
    gtk_widget_init_template(GTK_WIDGET(d));
}

GtkWidget *
ui_prefs_dialog_new(UiApp *app, GtkWindow *parent)
{
    UiPrefsDialog *d = g_object_new(UI_TYPE_PREFS_DIALOG, "transient-for", parent, "application", app,
                                    "use-header-bar", TRUE, NULL);
    d->app = app;
    const UiPrefs *p = ui_app_get_prefs(app);
    d->loading = TRUE;
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(d->merge_check), p->merge_ip);
    gtk_combo_box_set_active_id(GTK_COMBO_BOX(d->time_combo),
                                ui_time_format_name(p->time_format));
    if (p->aliases_file)
        gtk_file_chooser_set_filename(GTK_FILE_CHOOSER(d->aliases_button), p->aliases_file);
    if (p->tls_keylog_file)
        gtk_file_chooser_set_filename(GTK_FILE_CHOOSER(d->keylog_button), p->tls_keylog_file);
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(d->keep_spin), p->keep_calls);
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(d->file_spin), p->capture_file_mib);
    gtk_entry_set_text(GTK_ENTRY(d->limits_entry), p->limits ? p->limits : "");
    g_autoptr(GString) tip = g_string_new("Bounds on memory, taking effect at the next load "
                                          "(sizes take K, M or G); a limit hit is reported once "
                                          "in the info bar:");
    for (unsigned i = 0; i < SL_LIMIT_COUNT; i++) {
        const SlLimitInfo *info = sl_limit_info((SlLimitId)i);
        g_autofree char *def = sl_limit_format((SlLimitId)i, info->def);
        g_string_append_printf(tip, "\n%s (default %s %s)", info->name, def, info->what);
    }
    gtk_widget_set_tooltip_text(d->limits_entry, tip->str);
    d->loading = FALSE;
    g_signal_connect_swapped(d->merge_check, "toggled", G_CALLBACK(apply), d);
    g_signal_connect_swapped(d->time_combo, "changed", G_CALLBACK(apply), d);
    g_signal_connect_swapped(d->aliases_button, "file-set", G_CALLBACK(apply), d);
    g_signal_connect_swapped(d->keylog_button, "file-set", G_CALLBACK(apply), d);
    g_signal_connect_swapped(d->keep_spin, "value-changed", G_CALLBACK(apply), d);
    g_signal_connect_swapped(d->file_spin, "value-changed", G_CALLBACK(apply), d);
    g_signal_connect_swapped(d->limits_entry, "changed", G_CALLBACK(apply), d);
    return GTK_WIDGET(d);
}
