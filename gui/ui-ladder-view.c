/* sipladder GUI: UiLadderView (see ui-ladder-view.h). */
#include "ui-ladder-view.h"

#include <math.h>

struct _UiLadderView {
    GtkDrawingArea parent;
    GPtrArray *calls;   /* CorrCall*, borrowed from the engine */
    GPtrArray *streams; /* RtpStream*, borrowed from the loader */
    const CorrStreamInfo *info;
    LadderOptions opts;
    LadderLayout *layout;
    LadderStyle style;
    double zoom;
    /* GtkScrollable: the view scrolls itself, so that a ladder taller than
     * a window system's largest window still works and the column titles
     * can stay at the top */
    GtkAdjustment *hadj, *vadj;
    GtkScrollablePolicy hpolicy, vpolicy;
    /* a large call is laid out on a worker thread */
    GCancellable *building;
    guint building_msgs;
    int pending_arrow;      /* selected once the layout arrives */
    gpointer keep;          /* keeps the engine alive for the worker */
    GDestroyNotify keep_unref;
    gpointer (*keep_ref)(gpointer);
};

/* Room kept above and below a selected arrow scrolled into view (units). */
#define UI_LADDER_ROW_MARGIN 40.0

G_DEFINE_TYPE_WITH_CODE(UiLadderView, ui_ladder_view, GTK_TYPE_DRAWING_AREA,
                        G_IMPLEMENT_INTERFACE(GTK_TYPE_SCROLLABLE, NULL))

enum { PROP_0, PROP_HADJUSTMENT, PROP_VADJUSTMENT, PROP_HSCROLL_POLICY, PROP_VSCROLL_POLICY };

/* Calls with more messages than this are laid out off the main thread. */
#define UI_LADDER_SYNC_MSGS 2000

enum { SIG_ARROW_SELECTED, SIG_BAND_SELECTED, SIG_LAYOUT_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static double
adj_value(GtkAdjustment *adj)
{
    return adj ? gtk_adjustment_get_value(adj) : 0;
}

static void
configure_adj(GtkAdjustment *adj, double page, double content)
{
    if (!adj)
        return;
    double upper = MAX(page, content);
    gtk_adjustment_configure(adj, CLAMP(gtk_adjustment_get_value(adj), 0, upper - page), 0,
                             upper, 20, page * 0.9, page);
}

/* Whether the view or a widget around it is being destroyed: then the
 * scroll bars that share its adjustments may be gone already. */
static gboolean
view_going(UiLadderView *v)
{
    for (GtkWidget *w = GTK_WIDGET(v); w; w = gtk_widget_get_parent(w))
        if (gtk_widget_in_destruction(w))
            return TRUE;
    return FALSE;
}

/* The adjustments after a change of layout, zoom or allocation. */
static void
update_size(UiLadderView *v)
{
    GtkWidget *w = GTK_WIDGET(v);
    if (view_going(v))
        return;
    double cw = v->layout ? v->layout->width * v->zoom : 0;
    double ch = v->layout ? v->layout->height * v->zoom : 0;
    configure_adj(v->hadj, gtk_widget_get_allocated_width(w), cw);
    configure_adj(v->vadj, gtk_widget_get_allocated_height(w), ch);
    gtk_widget_queue_draw(w);
}

typedef struct {
    GPtrArray *calls, *streams;
    const CorrStreamInfo *info;
    LadderOptions opts;
    gpointer keep;
    GDestroyNotify keep_unref;
} BuildJob;

static void
build_job_free(gpointer p)
{
    BuildJob *j = p;
    g_ptr_array_unref(j->calls);
    if (j->streams)
        g_ptr_array_unref(j->streams);
    if (j->opts.aliases)
        g_hash_table_unref(j->opts.aliases);
    if (j->keep_unref)
        j->keep_unref(j->keep);
    g_free(j);
}

static void
build_thread(GTask *task, gpointer src, gpointer data, GCancellable *cancel)
{
    BuildJob *j = data;
    g_task_return_pointer(task, ladder_layout_build(j->calls, j->streams, j->info, &j->opts),
                          (GDestroyNotify)ladder_layout_free);
}

/* The smallest zoom a new ladder gets to fit the view's width. */
#define UI_LADDER_FIT_MIN 0.7

static void
layout_ready(UiLadderView *v, LadderLayout *layout)
{
    v->layout = layout;
    /* a new ladder wider than the view shrinks to fit, within reason: all
     * of its columns at once matter more than the size of the text */
    int w = gtk_widget_get_allocated_width(GTK_WIDGET(v));
    if (layout && w > 1 && layout->width * v->zoom > w)
        v->zoom = MAX(UI_LADDER_FIT_MIN, w / layout->width);
    update_size(v);
    g_signal_emit(v, signals[SIG_LAYOUT_CHANGED], 0);
    if (v->pending_arrow >= 0 && layout) {
        int a = v->pending_arrow;
        v->pending_arrow = -1;
        ui_ladder_view_select_arrow(v, a);
    }
}

static void
build_done(GObject *src, GAsyncResult *res, gpointer data)
{
    LadderLayout *l = g_task_propagate_pointer(G_TASK(res), NULL);
    GCancellable *cancel = g_task_get_cancellable(G_TASK(res));
    if (g_cancellable_is_cancelled(cancel)) {
        if (l)
            ladder_layout_free(l); /* superseded, or the view went */
        return;
    }
    UiLadderView *v = data;
    g_clear_object(&v->building);
    layout_ready(v, l);
}

static guint
count_msgs(GPtrArray *calls)
{
    guint n = 0;
    for (guint i = 0; calls && i < calls->len; i++) {
        const CorrCall *c = g_ptr_array_index(calls, i);
        n += c->msgs ? c->msgs->len : 0;
    }
    return n;
}

static void
rebuild(UiLadderView *v)
{
    if (v->building) {
        g_cancellable_cancel(v->building);
        g_clear_object(&v->building);
    }
    g_clear_pointer(&v->layout, ladder_layout_free);
    v->style.selected_arrow = -1;
    v->style.selected_band = -1;
    v->pending_arrow = -1;
    guint n = count_msgs(v->calls);
    if (!v->calls || v->calls->len == 0 || n <= UI_LADDER_SYNC_MSGS) {
        layout_ready(v, v->calls && v->calls->len
                            ? ladder_layout_build(v->calls, v->streams, v->info, &v->opts)
                            : NULL);
        return;
    }
    BuildJob *j = g_new0(BuildJob, 1);
    j->calls = g_ptr_array_ref(v->calls);
    j->streams = v->streams ? g_ptr_array_ref(v->streams) : NULL;
    j->info = v->info;
    j->opts = v->opts;
    if (j->opts.aliases)
        g_hash_table_ref(j->opts.aliases);
    if (v->keep && v->keep_ref) {
        j->keep = v->keep_ref(v->keep);
        j->keep_unref = v->keep_unref;
    }
    v->building = g_cancellable_new();
    v->building_msgs = n;
    /* the task holds no reference on the view: a cancelled result is
     * dropped without touching it (dispose cancels) */
    g_autoptr(GTask) task = g_task_new(NULL, v->building, build_done, v);
    g_task_set_task_data(task, j, build_job_free);
    g_task_run_in_thread(task, build_thread);
    update_size(v);
}

void
ui_ladder_view_set_calls(UiLadderView *v, GPtrArray *calls, GPtrArray *streams,
                         const CorrStreamInfo *info)
{
    g_return_if_fail(UI_IS_LADDER_VIEW(v));
    g_clear_pointer(&v->calls, g_ptr_array_unref);
    g_clear_pointer(&v->streams, g_ptr_array_unref);
    v->calls = calls ? g_ptr_array_ref(calls) : NULL;
    v->streams = streams ? g_ptr_array_ref(streams) : NULL;
    v->info = info;
    rebuild(v);
}

void
ui_ladder_view_set_owner(UiLadderView *v, gpointer owner, gpointer (*ref)(gpointer),
                         GDestroyNotify unref)
{
    g_return_if_fail(UI_IS_LADDER_VIEW(v));
    v->keep = owner;
    v->keep_ref = ref;
    v->keep_unref = unref;
}

gboolean
ui_ladder_view_is_building(UiLadderView *v)
{
    return v->building != NULL;
}

void
ui_ladder_view_set_options(UiLadderView *v, const LadderOptions *opts)
{
    g_return_if_fail(UI_IS_LADDER_VIEW(v));
    if (v->opts.aliases)
        g_hash_table_unref(v->opts.aliases);
    v->opts = *opts;
    if (v->opts.aliases)
        g_hash_table_ref(v->opts.aliases);
    rebuild(v);
}

const LadderLayout *
ui_ladder_view_get_layout(UiLadderView *v)
{
    g_return_val_if_fail(UI_IS_LADDER_VIEW(v), NULL);
    return v->layout;
}

const LadderStyle *
ui_ladder_view_get_style(UiLadderView *v)
{
    return &v->style;
}

/* The visible part of the view, in widget pixels. */
static void
visible_range(UiLadderView *v, double *top, double *height)
{
    *top = adj_value(v->vadj);
    *height = gtk_widget_get_allocated_height(GTK_WIDGET(v));
}

static void
scroll_to_y(UiLadderView *v, double y_units)
{
    if (!v->vadj)
        return;
    double top, h;
    visible_range(v, &top, &h);
    double y = y_units * v->zoom;
    double header = v->layout ? v->layout->header_h * v->zoom : 0;
    if (y - UI_LADDER_ROW_MARGIN * v->zoom < top + header)
        gtk_adjustment_set_value(v->vadj, MAX(0, y - header - UI_LADDER_ROW_MARGIN * v->zoom));
    else if (y + UI_LADDER_ROW_MARGIN * v->zoom > top + h)
        gtk_adjustment_set_value(v->vadj, y + UI_LADDER_ROW_MARGIN * v->zoom - h);
}

void
ui_ladder_view_select_arrow(UiLadderView *v, int index)
{
    g_return_if_fail(UI_IS_LADDER_VIEW(v));
    if (!v->layout && v->building) {
        v->pending_arrow = index;
        return;
    }
    if (!v->layout || index < 0 || (guint)index >= v->layout->arrows->len)
        index = -1;
    v->style.selected_arrow = index;
    v->style.selected_band = -1;
    if (index >= 0)
        scroll_to_y(v, g_array_index(v->layout->arrows, LadderArrow, index).y);
    gtk_widget_queue_draw(GTK_WIDGET(v));
    g_signal_emit(v, signals[SIG_ARROW_SELECTED], 0, index);
}

void
ui_ladder_view_select_band(UiLadderView *v, int index)
{
    g_return_if_fail(UI_IS_LADDER_VIEW(v));
    if (!v->layout || index < 0 || (guint)index >= v->layout->bands->len)
        index = -1;
    v->style.selected_band = index;
    v->style.selected_arrow = -1;
    gtk_widget_queue_draw(GTK_WIDGET(v));
    g_signal_emit(v, signals[SIG_BAND_SELECTED], 0, index);
}

int
ui_ladder_view_get_selected_arrow(UiLadderView *v)
{
    return v->style.selected_arrow;
}

int
ui_ladder_view_get_selected_band(UiLadderView *v)
{
    return v->style.selected_band;
}

void
ui_ladder_view_step(UiLadderView *v, int delta)
{
    if (!v->layout || v->layout->arrows->len == 0)
        return;
    int n = (int)v->layout->arrows->len;
    int cur = v->style.selected_arrow;
    int next = cur < 0 ? (delta > 0 ? 0 : n - 1) : CLAMP(cur + delta, 0, n - 1);
    ui_ladder_view_select_arrow(v, next);
}

void
ui_ladder_view_set_zoom(UiLadderView *v, double zoom)
{
    g_return_if_fail(UI_IS_LADDER_VIEW(v));
    v->zoom = CLAMP(zoom, UI_LADDER_ZOOM_MIN, UI_LADDER_ZOOM_MAX);
    update_size(v);
    gtk_widget_queue_draw(GTK_WIDGET(v));
}

double
ui_ladder_view_get_zoom(UiLadderView *v)
{
    return v->zoom;
}

/* ------------------------------------------------------------ events */

static gboolean
view_draw(GtkWidget *w, cairo_t *cr)
{
    UiLadderView *v = UI_LADDER_VIEW(w);
    cairo_set_source_rgb(cr, v->style.background.r, v->style.background.g,
                         v->style.background.b);
    cairo_paint(cr);
    if (!v->layout && v->building) {
        g_autofree char *text = g_strdup_printf("Laying out %u messages\u2026", v->building_msgs);
        PangoLayout *pl = gtk_widget_create_pango_layout(w, text); /* plain text */
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        cairo_move_to(cr, 16, 16);
        pango_cairo_show_layout(cr, pl);
        g_object_unref(pl);
    }
    if (!v->layout)
        return TRUE;
    double top, h;
    visible_range(v, &top, &h);
    cairo_translate(cr, -adj_value(v->hadj), -top);
    cairo_scale(cr, v->zoom, v->zoom);
    g_autoptr(LadderCanvas) c = ladder_canvas_cairo_new(cr, v->style.font_family);
    /* the column titles stay at the top of the visible part */
    ladder_draw(v->layout, c, &v->style, top / v->zoom, (top + h) / v->zoom, TRUE);
    return TRUE;
}

static void
on_adj_changed(GtkAdjustment *adj, gpointer v)
{
    gtk_widget_queue_draw(GTK_WIDGET(v));
}

static void
set_adj(UiLadderView *v, GtkAdjustment **slot, GtkAdjustment *adj)
{
    if (*slot == adj && adj)
        return;
    if (*slot) {
        g_signal_handlers_disconnect_by_data(*slot, v);
        g_clear_object(slot);
    }
    if (!adj)
        adj = gtk_adjustment_new(0, 0, 0, 0, 0, 0);
    *slot = g_object_ref_sink(adj);
    g_signal_connect(adj, "value-changed", G_CALLBACK(on_adj_changed), v);
    update_size(v);
}

static void
view_set_property(GObject *o, guint id, const GValue *value, GParamSpec *pspec)
{
    UiLadderView *v = UI_LADDER_VIEW(o);
    switch (id) {
    case PROP_HADJUSTMENT:
        set_adj(v, &v->hadj, g_value_get_object(value));
        break;
    case PROP_VADJUSTMENT:
        set_adj(v, &v->vadj, g_value_get_object(value));
        break;
    case PROP_HSCROLL_POLICY:
        v->hpolicy = g_value_get_enum(value);
        break;
    case PROP_VSCROLL_POLICY:
        v->vpolicy = g_value_get_enum(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(o, id, pspec);
    }
}

static void
view_get_property(GObject *o, guint id, GValue *value, GParamSpec *pspec)
{
    UiLadderView *v = UI_LADDER_VIEW(o);
    switch (id) {
    case PROP_HADJUSTMENT:
        g_value_set_object(value, v->hadj);
        break;
    case PROP_VADJUSTMENT:
        g_value_set_object(value, v->vadj);
        break;
    case PROP_HSCROLL_POLICY:
        g_value_set_enum(value, v->hpolicy);
        break;
    case PROP_VSCROLL_POLICY:
        g_value_set_enum(value, v->vpolicy);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(o, id, pspec);
    }
}

static void
view_size_allocate(GtkWidget *w, GtkAllocation *a)
{
    GTK_WIDGET_CLASS(ui_ladder_view_parent_class)->size_allocate(w, a);
    update_size(UI_LADDER_VIEW(w));
}

static gboolean
view_button_press(GtkWidget *w, GdkEventButton *ev)
{
    UiLadderView *v = UI_LADDER_VIEW(w);
    gtk_widget_grab_focus(w);
    if (!v->layout || ev->button != GDK_BUTTON_PRIMARY)
        return FALSE;
    double x = (ev->x + adj_value(v->hadj)) / v->zoom;
    double y = (ev->y + adj_value(v->vadj)) / v->zoom;
    int a = ladder_layout_arrow_at(v->layout, x, y);
    if (a >= 0) {
        ui_ladder_view_select_arrow(v, a);
        return TRUE;
    }
    int b = ladder_layout_band_at(v->layout, x, y);
    if (b >= 0)
        ui_ladder_view_select_band(v, b);
    return TRUE;
}

static gboolean
view_scroll(GtkWidget *w, GdkEventScroll *ev)
{
    UiLadderView *v = UI_LADDER_VIEW(w);
    if (!(ev->state & GDK_CONTROL_MASK))
        return FALSE; /* the scrolled window scrolls */
    double dy = 0;
    if (ev->direction == GDK_SCROLL_UP)
        dy = -1;
    else if (ev->direction == GDK_SCROLL_DOWN)
        dy = 1;
    else if (ev->direction == GDK_SCROLL_SMOOTH)
        gdk_event_get_scroll_deltas((GdkEvent *)ev, NULL, &dy);
    if (dy != 0)
        ui_ladder_view_set_zoom(v, v->zoom * (dy < 0 ? 1.1 : 1 / 1.1));
    return TRUE;
}

static gboolean
view_key_press(GtkWidget *w, GdkEventKey *ev)
{
    UiLadderView *v = UI_LADDER_VIEW(w);
    switch (ev->keyval) {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
        ui_ladder_view_step(v, -1);
        return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
        ui_ladder_view_step(v, 1);
        return TRUE;
    case GDK_KEY_Home:
        ui_ladder_view_select_arrow(v, 0);
        return TRUE;
    case GDK_KEY_End:
        if (v->layout && v->layout->arrows->len)
            ui_ladder_view_select_arrow(v, (int)v->layout->arrows->len - 1);
        return TRUE;
    default:
        return GTK_WIDGET_CLASS(ui_ladder_view_parent_class)->key_press_event(w, ev);
    }
}

/* Tooltips are plain text (gtk_tooltip_set_text): packet text is never
 * read as markup. */
static gboolean
view_query_tooltip(GtkWidget *w, int x, int y, gboolean keyboard, GtkTooltip *tip)
{
    UiLadderView *v = UI_LADDER_VIEW(w);
    if (!v->layout || keyboard)
        return FALSE;
    double lx = (x + adj_value(v->hadj)) / v->zoom;
    double ly = (y + adj_value(v->vadj)) / v->zoom;
    int a = ladder_layout_arrow_at(v->layout, lx, ly);
    const char *text = NULL;
    if (a >= 0)
        text = g_array_index(v->layout->arrows, LadderArrow, a).tooltip;
    int b = a < 0 ? ladder_layout_band_at(v->layout, lx, ly) : -1;
    if (b >= 0)
        text = g_array_index(v->layout->bands, LadderBand, b).tooltip;
    if (!text || !*text)
        return FALSE;
    gtk_tooltip_set_text(tip, text);
    return TRUE;
}

static void
view_dispose(GObject *o)
{
    UiLadderView *v = UI_LADDER_VIEW(o);
    for (GtkAdjustment **a = &v->hadj; a; a = a == &v->hadj ? &v->vadj : NULL) {
        if (*a) {
            g_signal_handlers_disconnect_by_data(*a, v);
            g_clear_object(a);
        }
    }
    G_OBJECT_CLASS(ui_ladder_view_parent_class)->dispose(o);
}

static void
view_finalize(GObject *o)
{
    UiLadderView *v = UI_LADDER_VIEW(o);
    if (v->building) {
        g_cancellable_cancel(v->building);
        g_clear_object(&v->building);
    }
    g_clear_pointer(&v->layout, ladder_layout_free);
    g_clear_pointer(&v->calls, g_ptr_array_unref);
    g_clear_pointer(&v->streams, g_ptr_array_unref);
    if (v->opts.aliases)
        g_hash_table_unref(v->opts.aliases);
    G_OBJECT_CLASS(ui_ladder_view_parent_class)->finalize(o);
}

static void
ui_ladder_view_class_init(UiLadderViewClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);
    GtkWidgetClass *wc = GTK_WIDGET_CLASS(klass);
    oc->dispose = view_dispose;
    oc->finalize = view_finalize;
    wc->draw = view_draw;
    wc->button_press_event = view_button_press;
    wc->scroll_event = view_scroll;
    wc->key_press_event = view_key_press;
    wc->query_tooltip = view_query_tooltip;
    wc->size_allocate = view_size_allocate;
    oc->set_property = view_set_property;
    oc->get_property = view_get_property;
    g_object_class_override_property(oc, PROP_HADJUSTMENT, "hadjustment");
    g_object_class_override_property(oc, PROP_VADJUSTMENT, "vadjustment");
    g_object_class_override_property(oc, PROP_HSCROLL_POLICY, "hscroll-policy");
    g_object_class_override_property(oc, PROP_VSCROLL_POLICY, "vscroll-policy");
    signals[SIG_ARROW_SELECTED] = g_signal_new("arrow-selected", G_TYPE_FROM_CLASS(klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 1, G_TYPE_INT);
    signals[SIG_LAYOUT_CHANGED] = g_signal_new("layout-changed", G_TYPE_FROM_CLASS(klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 0);
    signals[SIG_BAND_SELECTED] = g_signal_new("band-selected", G_TYPE_FROM_CLASS(klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 1, G_TYPE_INT);
    gtk_widget_class_set_css_name(wc, "ladderview");
}

static void
ui_ladder_view_init(UiLadderView *v)
{
    v->zoom = 1.0;
    v->pending_arrow = -1;
    ladder_options_init(&v->opts);
    ladder_style_init(&v->style);
    GtkWidget *w = GTK_WIDGET(v);
    gtk_widget_set_can_focus(w, TRUE);
    gtk_widget_set_size_request(w, 200, 120);
    gtk_widget_set_has_tooltip(w, TRUE);
    gtk_widget_add_events(w, GDK_BUTTON_PRESS_MASK | GDK_SCROLL_MASK | GDK_SMOOTH_SCROLL_MASK |
                                 GDK_KEY_PRESS_MASK | GDK_POINTER_MOTION_MASK);
}

GtkWidget *
ui_ladder_view_new(void)
{
    return g_object_new(UI_TYPE_LADDER_VIEW, NULL);
}
