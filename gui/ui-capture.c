/* sipladder GUI: UiCapture (see ui-capture.h). */
#include "ui-capture.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ui-media-plot.h"
#include "ui-save.h"

enum {
    COL_ROW,       /* UiCallRow*, owned by the capture's rows table */
    COL_ID,
    COL_START,
    COL_START_SORT,
    COL_CALLER,
    COL_CALLEE,
    COL_STATE,
    COL_DURATION,
    COL_DURATION_SORT,
    COL_PDD,
    COL_PDD_SORT,
    COL_LEGS,
    COL_STREAMS,
    COL_MOS,
    COL_MOS_SORT,
    COL_FINDINGS,
    COL_IN_MEMORY, /* FALSE: evicted during a live capture (greyed) */
    N_COLS
};

enum {
    SCOL_COLOR,
    SCOL_SRC,
    SCOL_DST,
    SCOL_SSRC,
    SCOL_CODEC,
    SCOL_PACKETS,
    SCOL_LOST,
    SCOL_JITTER,
    SCOL_MOS,
    SCOL_RTCP,
    SCOL_FINDINGS,
    N_SCOLS
};

typedef struct {
    GtkListStore *store;
    GtkTreeModel *filter; /* over store */
    GtkTreeModel *sort;   /* over filter, once loaded */
    GtkTreeView *view;
    GHashTable *iters;    /* key -> GtkTreeIter* in store */
} CallList;

struct _UiCapture {
    GtkBox parent;
    GtkWidget *progress_box, *progress, *live_label, *cancel_button, *save_button;
    GtkWidget *paned, *filter_entry, *status_label;
    GtkWidget *list_notebook, *calls_view, *other_view, *calls_tab_label, *other_tab_label;
    GtkWidget *detail_notebook, *ladder_paned, *ladder_scroll, *ladder_view;
    GtkWidget *fields_view, *raw_view, *streams_view, *media_plot;
    char *path;             /* the (first) file; live: the capture file being written */
    char **paths;           /* files: every file, read as one capture */
    char *title;            /* the tab's: the file's base name, "lo", "HEP ..." */
    UiPrefs prefs;
    UiLoad *load;
    gboolean live;          /* an interface or HEP listener, not a file */
    GHashTable *rows;       /* key -> UiCallRow* (owned) */
    CallList lists[2];      /* 0 calls, 1 other */
    CorrFilter *filter;
    /* the final rows are filled into fresh stores in idle steps, then
     * swapped in: a list of 100 000 calls never blocks the window */
    CallList staging[2];
    GHashTable *staging_rows;
    GPtrArray *final_rows;
    guint final_next;
    guint fill_id;
    gboolean done_pending, loaded;
    SlTime origin;          /* first call's start, for relative times */
    gconstpointer pending;  /* a call activated while loading */
    CorrCall *open_call;
    GtkListStore *streams_store;
    GHashTable *stream_index; /* RtpStream* -> index+1 in corr_load_streams */
};

G_DEFINE_TYPE(UiCapture, ui_capture, GTK_TYPE_BOX)

enum { SIG_WARNING, SIG_LOADED, SIG_NOTICE, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------ list */

static gboolean
row_visible(GtkTreeModel *model, GtkTreeIter *iter, gpointer user)
{
    UiCapture *c = user;
    UiCallRow *row = NULL;
    gtk_tree_model_get(model, iter, COL_ROW, &row, -1);
    if (!row)
        return FALSE;
    if (!c->filter || corr_filter_is_empty(c->filter))
        return TRUE;
    CorrFilterSubject s;
    ui_call_row_subject(row, &s);
    return corr_filter_match(c->filter, &s);
}

static void
list_attach(UiCapture *c, CallList *l, bool sorted)
{
    gtk_tree_view_set_model(l->view, NULL);
    g_clear_object(&l->sort);
    g_clear_object(&l->filter);
    l->filter = gtk_tree_model_filter_new(GTK_TREE_MODEL(l->store), NULL);
    gtk_tree_model_filter_set_visible_func(GTK_TREE_MODEL_FILTER(l->filter), row_visible, c,
                                           NULL);
    if (sorted) {
        /* the rows come in id order: no sorting until a header is clicked
         * (sorting 100 000 rows through the model takes a second) */
        l->sort = gtk_tree_model_sort_new_with_model(l->filter);
    }
    gtk_tree_view_set_model(l->view, sorted ? l->sort : l->filter);
    /* sorting waits for the end of the load: inserting into a sorted
     * model costs a move of every row behind it */
    GList *cols = gtk_tree_view_get_columns(l->view);
    for (GList *it = cols; it; it = it->next)
        gtk_tree_view_column_set_clickable(it->data, sorted);
    g_list_free(cols);
}

static void
fmt_cell(GtkTreeViewColumn *col, GtkCellRenderer *cell, GtkTreeModel *model, GtkTreeIter *iter,
         gpointer data)
{
    guint v = 0;
    gtk_tree_model_get(model, iter, GPOINTER_TO_INT(data), &v, -1);
    char buf[16];
    g_snprintf(buf, sizeof buf, "%u", v);
    g_object_set(cell, "text", v || GPOINTER_TO_INT(data) == COL_ID ? buf : "", NULL);
}

static void
list_add_column(CallList *l, const char *title, int text_col, int sort_col, bool numeric,
                int width)
{
    GtkCellRenderer *r = gtk_cell_renderer_text_new();
    GtkTreeViewColumn *col;
    if (numeric) {
        g_object_set(r, "xalign", 1.0, NULL);
        col = gtk_tree_view_column_new();
        gtk_tree_view_column_set_title(col, title);
        gtk_tree_view_column_pack_start(col, r, TRUE);
        gtk_tree_view_column_set_cell_data_func(col, r, fmt_cell, GINT_TO_POINTER(text_col),
                                                NULL);
    } else {
        col = gtk_tree_view_column_new_with_attributes(title, r, "text", text_col, NULL);
        if (text_col == COL_CALLER || text_col == COL_CALLEE || text_col == COL_STATE)
            g_object_set(r, "ellipsize", PANGO_ELLIPSIZE_END, NULL);
    }
    gtk_tree_view_column_add_attribute(col, r, "sensitive", COL_IN_MEMORY);
    gtk_tree_view_column_set_resizable(col, TRUE);
    gtk_tree_view_column_set_sort_column_id(col, sort_col);
    /* fixed sizes: the view need not measure every row of a large list */
    gtk_tree_view_column_set_sizing(col, GTK_TREE_VIEW_COLUMN_FIXED);
    gtk_tree_view_column_set_fixed_width(col, width);
    gtk_tree_view_append_column(l->view, col);
}

/* A fresh store and iterator table for @l. */
static void
list_store_init(CallList *l)
{
    l->store = gtk_list_store_new(N_COLS, G_TYPE_POINTER, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_INT64,
                                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                  G_TYPE_DOUBLE, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_UINT,
                                  G_TYPE_UINT, G_TYPE_STRING, G_TYPE_DOUBLE, G_TYPE_UINT,
                                  G_TYPE_BOOLEAN);
    l->iters = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)gtk_tree_iter_free);
}

static void
list_store_clear(CallList *l)
{
    g_clear_object(&l->store);
    g_clear_pointer(&l->iters, g_hash_table_destroy);
}

static void
list_init(UiCapture *c, CallList *l, GtkWidget *view, bool calls)
{
    l->view = GTK_TREE_VIEW(view);
    list_store_init(l);
    list_add_column(l, "#", COL_ID, COL_ID, true, 50);
    list_add_column(l, "Start", COL_START, COL_START_SORT, false, 215);
    list_add_column(l, calls ? "Caller" : "From", COL_CALLER, COL_CALLER, false, 230);
    list_add_column(l, calls ? "Callee" : "To", COL_CALLEE, COL_CALLEE, false, 180);
    list_add_column(l, calls ? "State" : "Result", COL_STATE, COL_STATE, false, 130);
    if (calls) {
        list_add_column(l, "Duration", COL_DURATION, COL_DURATION_SORT, false, 80);
        list_add_column(l, "PDD", COL_PDD, COL_PDD_SORT, false, 70);
        list_add_column(l, "Legs", COL_LEGS, COL_LEGS, true, 50);
        list_add_column(l, "Streams", COL_STREAMS, COL_STREAMS, true, 70);
        list_add_column(l, "Worst MOS", COL_MOS, COL_MOS_SORT, false, 90);
    }
    list_add_column(l, "Findings", COL_FINDINGS, COL_FINDINGS, true, 70);
    gtk_tree_selection_set_mode(gtk_tree_view_get_selection(l->view), GTK_SELECTION_MULTIPLE);
    gtk_tree_view_set_fixed_height_mode(l->view, TRUE);
    list_attach(c, l, false);
}

static void
list_set_row(UiCapture *c, CallList *l, GtkTreeIter *iter, UiCallRow *r)
{
    g_autofree char *start = ui_time_format(r->start, c->origin, c->prefs.time_format);
    g_autofree char *dur = r->duration_s >= 0 ? g_strdup_printf("%.3f", r->duration_s) : NULL;
    g_autofree char *pdd = r->pdd_ms >= 0 ? g_strdup_printf("%" G_GINT64_FORMAT " ms", r->pdd_ms)
                                          : NULL;
    g_autofree char *mos = r->mos >= 0 ? g_strdup_printf("%.2f", r->mos) : NULL;
    g_autofree char *caller = r->caller_display && *r->caller_display
                                  ? g_strdup_printf("%s (%s)", r->caller ? r->caller : "",
                                                    r->caller_display)
                                  : g_strdup(r->caller);
    gtk_list_store_set(l->store, iter, COL_ROW, r, COL_ID, r->id, COL_START, start,
                       COL_START_SORT, (gint64)r->start, COL_CALLER, caller, COL_CALLEE,
                       r->callee, COL_STATE, r->state, COL_DURATION, dur, COL_DURATION_SORT,
                       r->duration_s, COL_PDD, pdd, COL_PDD_SORT, (gint64)r->pdd_ms, COL_LEGS,
                       r->legs, COL_STREAMS, r->streams, COL_MOS, mos, COL_MOS_SORT, r->mos,
                       COL_FINDINGS, r->findings, COL_IN_MEMORY, !r->evicted, -1);
}

/* Inserts, updates or (merged calls) removes the line of @r in @lists
 * (calls, other), @rows owning the rows; takes @r. The line of an evicted
 * call stays, keyed by its row from then on: the freed call's address may
 * come back as another call's. */
static void
rows_apply(UiCapture *c, CallList *lists, GHashTable *rows, UiCallRow *r)
{
    CallList *l = &lists[r->kind == CORR_KIND_CALL ? 0 : 1];
    if (r->evicted && r->key != r) {
        gconstpointer old = r->key;
        if (c->pending == old)
            c->pending = NULL; /* nothing left to open */
        GtkTreeIter *oit = g_hash_table_lookup(l->iters, old);
        r->key = r;
        if (oit) {
            g_hash_table_insert(l->iters, r, gtk_tree_iter_copy(oit));
            g_hash_table_remove(l->iters, old);
        }
        GtkTreeIter *it = g_hash_table_lookup(l->iters, r);
        GtkTreeIter fresh;
        if (!it) {
            gtk_list_store_append(l->store, &fresh);
            g_hash_table_insert(l->iters, r, gtk_tree_iter_copy(&fresh));
            it = &fresh;
        }
        list_set_row(c, l, it, r); /* before the old row goes: the filter reads it */
        g_hash_table_remove(rows, old);
        g_hash_table_replace(rows, r, r);
        return;
    }
    GtkTreeIter *it = g_hash_table_lookup(l->iters, r->key);
    if (r->removed) {
        if (it) {
            gtk_list_store_remove(l->store, it);
            g_hash_table_remove(l->iters, r->key);
        }
        g_hash_table_remove(rows, r->key);
        ui_call_row_free(r);
        return;
    }
    if (c->origin == 0 || r->start < c->origin)
        c->origin = r->start;
    GtkTreeIter fresh;
    if (!it) {
        gtk_list_store_append(l->store, &fresh);
        it = &fresh;
    }
    list_set_row(c, l, it, r); /* before the old row goes: the filter reads it */
    if (it == &fresh)
        g_hash_table_insert(l->iters, (gpointer)r->key, gtk_tree_iter_copy(&fresh));
    g_hash_table_replace(rows, (gpointer)r->key, r);
}

static void
update_status(UiCapture *c)
{
    guint calls = ui_capture_count_rows(c, TRUE), other = ui_capture_count_rows(c, FALSE);
    g_autofree char *a = g_strdup_printf("Calls (%u)", calls);
    g_autofree char *b = g_strdup_printf("Registrations and other (%u)", other);
    gtk_label_set_text(GTK_LABEL(c->calls_tab_label), a);
    gtk_label_set_text(GTK_LABEL(c->other_tab_label), b);
    if (c->load && ui_load_is_done(c->load) && ui_load_result(c->load)) {
        CorrLoad *ld = ui_load_result(c->load);
        g_autofree char *s = g_strdup_printf("%u calls, %u other, %u RTP streams%s", calls, other,
                                             corr_load_streams(ld)->len,
                                             corr_load_cancelled(ld) ? " (cancelled)" : "");
        gtk_label_set_text(GTK_LABEL(c->status_label), s);
    }
}

/* ------------------------------------------------------------ loading */

static void finish_done(UiCapture *c);

/* One idle step of filling the final rows into the staging lists; at the
 * end the staging lists replace the ones shown. */
static gboolean
fill_step(gpointer user)
{
    UiCapture *c = user;
    GPtrArray *rows = c->final_rows;
    for (guint n = 0; c->final_next < rows->len && n < 2000; n++, c->final_next++) {
        UiCallRow *r = g_ptr_array_index(rows, c->final_next);
        g_ptr_array_index(rows, c->final_next) = NULL;
        rows_apply(c, c->staging, c->staging_rows, r);
    }
    if (c->final_next < rows->len)
        return G_SOURCE_CONTINUE;
    for (int i = 0; i < 2; i++) {
        CallList *l = &c->lists[i];
        gtk_tree_view_set_model(l->view, NULL);
        g_clear_object(&l->sort);
        g_clear_object(&l->filter);
        list_store_clear(l);
        l->store = g_steal_pointer(&c->staging[i].store);
        l->iters = g_steal_pointer(&c->staging[i].iters);
        list_attach(c, l, true);
    }
    g_hash_table_destroy(c->rows); /* after the stores that pointed into it */
    c->rows = g_steal_pointer(&c->staging_rows);
    g_clear_pointer(&c->final_rows, g_ptr_array_unref);
    c->fill_id = 0;
    update_status(c);
    if (c->done_pending)
        finish_done(c);
    return G_SOURCE_REMOVE;
}

static gint
row_id_cmp(gconstpointer a, gconstpointer b)
{
    const UiCallRow *x = *(const UiCallRow *const *)a, *y = *(const UiCallRow *const *)b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static void
on_rows(UiLoad *load, GPtrArray *rows, gboolean final, gpointer user)
{
    UiCapture *c = user;
    if (!final) {
        for (guint i = 0; i < rows->len; i++) {
            UiCallRow *r = g_ptr_array_index(rows, i);
            g_ptr_array_index(rows, i) = NULL;
            rows_apply(c, c->lists, c->rows, r);
        }
        g_ptr_array_unref(rows);
        update_status(c);
        return;
    }
    /* ids are final now: fresh lists, filled in idle steps. The engine no
     * longer holds evicted calls: their rows move over, first (they took
     * the first ids) */
    g_autoptr(GPtrArray) evicted = g_ptr_array_new();
    GHashTableIter hit;
    gpointer key, value;
    g_hash_table_iter_init(&hit, c->rows);
    while (g_hash_table_iter_next(&hit, &key, &value))
        if (((UiCallRow *)value)->evicted) {
            g_ptr_array_add(evicted, value);
            g_hash_table_iter_steal(&hit); /* the old stores still show it until the swap */
        }
    g_ptr_array_sort(evicted, row_id_cmp);
    for (guint i = 0; i < evicted->len; i++)
        g_ptr_array_insert(rows, (gint)i, g_ptr_array_index(evicted, i));
    c->origin = 0;
    for (guint i = 0; i < rows->len; i++) {
        const UiCallRow *r = g_ptr_array_index(rows, i);
        if (!r->removed && (c->origin == 0 || r->start < c->origin))
            c->origin = r->start;
    }
    for (int i = 0; i < 2; i++)
        list_store_init(&c->staging[i]);
    c->staging_rows = g_hash_table_new_full(NULL, NULL, NULL, ui_call_row_free);
    c->final_rows = rows;
    c->final_next = 0;
    c->fill_id = g_idle_add(fill_step, c);
}

static void
on_progress(UiLoad *load, uint64_t done, uint64_t total, gpointer user)
{
    UiCapture *c = user;
    gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(c->progress),
                                  total ? (double)done / (double)total : 0);
    g_autofree char *a = g_format_size(done);
    g_autofree char *b = g_format_size(total);
    g_autofree char *text = g_strdup_printf("Reading %s: %s of %s", c->title, a, b);
    gtk_progress_bar_set_text(GTK_PROGRESS_BAR(c->progress), text);
}

static void
on_warning(UiLoad *load, CorrLoadWarnKind kind, const char *text, gpointer user)
{
    g_signal_emit(user, signals[SIG_WARNING], 0, (int)kind, text);
}

static void
on_live(UiLoad *load, const UiLiveStats *st, gpointer user)
{
    UiCapture *c = user;
    g_autofree char *text = ui_live_stats_format(c->title, st);
    gtk_label_set_text(GTK_LABEL(c->live_label), text);
}

static void open_call(UiCapture *c, CorrCall *call);

static void
on_done(UiLoad *load, gpointer user)
{
    UiCapture *c = user;
    if (c->fill_id)
        c->done_pending = TRUE; /* after the final rows are in */
    else
        finish_done(c);
}

static void
finish_done(UiCapture *c)
{
    UiLoad *load = c->load;
    c->done_pending = FALSE;
    c->loaded = TRUE;
    if (c->live)
        gtk_widget_hide(c->cancel_button); /* the figures and Save stay */
    else
        gtk_widget_hide(c->progress_box);
    CorrLoad *ld = ui_load_result(load);
    GPtrArray *streams = corr_load_streams(ld);
    for (guint i = 0; i < streams->len; i++)
        g_hash_table_insert(c->stream_index, g_ptr_array_index(streams, i),
                            GUINT_TO_POINTER(i + 1));
    update_status(c);
    UiLiveStats st;
    ui_load_live_stats(load, &st);
    if (st.evicted && c->pending && !g_hash_table_contains(c->rows, c->pending))
        c->pending = NULL; /* merged into a call that was evicted: freed with it */
    CorrCall *call = (CorrCall *)c->pending;
    while (call && call->dead && call->merged_into)
        call = call->merged_into;
    if (!call) {
        /* show something at once: the first call, else the first entry */
        GPtrArray *calls = corr_engine_calls(ui_load_engine(load));
        for (guint i = 0; i < calls->len && !call; i++) {
            CorrCall *k = g_ptr_array_index(calls, i);
            if (k->kind == CORR_KIND_CALL)
                call = k;
        }
        if (!call && calls->len)
            call = g_ptr_array_index(calls, 0);
    }
    if (call)
        open_call(c, call);
    g_signal_emit(c, signals[SIG_LOADED], 0);
}

static void
on_cancel_clicked(UiCapture *c)
{
    if (c->live)
        ui_capture_stop(c);
    else if (c->load)
        ui_load_cancel(c->load);
    gtk_widget_set_sensitive(c->cancel_button, FALSE);
}

/* ------------------------------------------------------------ call */

static void
text_clear(GtkWidget *tv)
{
    gtk_text_buffer_set_text(gtk_text_view_get_buffer(GTK_TEXT_VIEW(tv)), "", 0);
}

static void
show_raw(UiCapture *c, const CorrMsg *m)
{
    GtkTextBuffer *b = gtk_text_view_get_buffer(GTK_TEXT_VIEW(c->raw_view));
    gtk_text_buffer_set_text(b, "", 0);
    if (!m || !m->raw)
        return;
    gsize len = 0;
    const char *data = g_bytes_get_data(m->raw, &len);
    /* NULs would end the text early: show them as '.' */
    g_autofree char *copy = g_malloc(len + 1);
    for (gsize i = 0; i < len; i++)
        copy[i] = data[i] ? data[i] : '.';
    copy[len] = 0;
    g_autofree char *text = g_utf8_make_valid(copy, (gssize)len);
    GtkTextIter end;
    gtk_text_buffer_get_end_iter(b, &end);
    gtk_text_buffer_insert(b, &end, text, -1);
    /* header names are tagged, never marked up: the text stays plain */
    bool in_headers = true;
    int n = gtk_text_buffer_get_line_count(b);
    for (int line = 0; line < n && in_headers; line++) {
        GtkTextIter s, e;
        gtk_text_buffer_get_iter_at_line(b, &s, line);
        e = s;
        if (!gtk_text_iter_ends_line(&e))
            gtk_text_iter_forward_to_line_end(&e);
        g_autofree char *l = gtk_text_buffer_get_text(b, &s, &e, FALSE);
        if (*l == '\0' || strcmp(l, "\r") == 0) {
            in_headers = false;
            GtkTextIter body_end;
            gtk_text_buffer_get_end_iter(b, &body_end);
            gtk_text_buffer_apply_tag_by_name(b, "body", &e, &body_end);
            break;
        }
        if (line == 0) {
            gtk_text_buffer_apply_tag_by_name(b, "start-line", &s, &e);
            continue;
        }
        const char *colon = strchr(l, ':');
        if (l[0] == ' ' || l[0] == '\t' || !colon)
            continue;
        GtkTextIter ne = s;
        gtk_text_iter_forward_chars(&ne, (int)g_utf8_strlen(l, colon - l));
        gtk_text_buffer_apply_tag_by_name(b, "header-name", &s, &ne);
    }
}

static void
show_fields(UiCapture *c, const CorrMsg *m)
{
    GString *s = g_string_new(NULL);
    char a[SL_ADDR_STRLEN], b[SL_ADDR_STRLEN], t[SL_TIME_STRLEN];
    g_string_append_printf(s, "Frame %" G_GUINT64_FORMAT "  %s  %s\n%s -> %s\n", m->frame,
                           sl_time_format(m->ts, t), sip_transport_name(m->transport),
                           sl_addr_str(&m->src, a), sl_addr_str(&m->dst, b));
    if (m->is_request)
        g_string_append_printf(s, "Request:  %s %s\n", m->method_name ? m->method_name : "?",
                               m->ruri ? m->ruri : "");
    else
        g_string_append_printf(s, "Response: %u %s\n", m->status, m->reason ? m->reason : "");
    g_string_append_printf(s, "Call-ID:  %s\nCSeq:     %u %s\n", m->call_id ? m->call_id : "",
                           m->cseq, m->method_name ? m->method_name : "");
    g_string_append_printf(s, "From:     %s%s%s tag=%s\n", m->from_display ? m->from_display : "",
                           m->from_display ? " " : "", m->from_user ? m->from_user : "",
                           m->from_tag ? m->from_tag : "-");
    g_string_append_printf(s, "To:       %s%s%s tag=%s\n", m->to_display ? m->to_display : "",
                           m->to_display ? " " : "", m->to_user ? m->to_user : "",
                           m->to_tag ? m->to_tag : "-");
    g_string_append_printf(s, "Via:      %u, branch %s\n", m->n_via, m->branch ? m->branch : "-");
    if (m->contact)
        g_string_append_printf(s, "Contact:  %s\n", m->contact);
    if (m->user_agent)
        g_string_append_printf(s, "Agent:    %s\n", m->user_agent);
    if (m->reason_text)
        g_string_append_printf(s, "Reason:   %s\n", m->reason_text);
    g_string_append_printf(s, "Role:     %s, hop %u, dialog %s\n", corr_msg_role_name(m->role),
                           m->hop, corr_dialog_state_name(m->dialog_state));
    if (m->error)
        g_string_append_printf(s, "Problem:  %s\n", m->error);
    for (guint i = 0; m->media && i < m->media->len; i++) {
        const CorrMedia *md = &g_array_index(m->media, CorrMedia, i);
        g_string_append_printf(s, "SDP:      %s %s %s %s\n", md->media ? md->media : "",
                               sl_addr_str(&md->addr, a), md->codecs ? md->codecs : "",
                               md->direction ? md->direction : "");
    }
    g_autofree char *text = g_string_free(s, FALSE);
    g_autofree char *valid = g_utf8_make_valid(text, -1);
    gtk_text_buffer_set_text(gtk_text_view_get_buffer(GTK_TEXT_VIEW(c->fields_view)), valid, -1);
}

static void
on_arrow_selected(UiCapture *c, int index)
{
    const LadderLayout *l = ui_ladder_view_get_layout(UI_LADDER_VIEW(c->ladder_view));
    if (!l || index < 0) {
        text_clear(c->fields_view);
        text_clear(c->raw_view);
        return;
    }
    const CorrMsg *m = g_array_index(l->arrows, LadderArrow, index).msg;
    show_fields(c, m);
    show_raw(c, m);
}

static void
on_band_selected(UiCapture *c, int index)
{
    const LadderLayout *l = ui_ladder_view_get_layout(UI_LADDER_VIEW(c->ladder_view));
    text_clear(c->raw_view);
    if (!l || index < 0) {
        text_clear(c->fields_view);
        return;
    }
    const LadderBand *b = &g_array_index(l->bands, LadderBand, index);
    g_autofree char *text = g_strdup_printf("RTP stream SSRC 0x%08X\n%s\n\n%s", b->ssrc,
                                            b->label ? b->label : "",
                                            b->tooltip ? b->tooltip : "");
    g_autofree char *valid = g_utf8_make_valid(text, -1);
    gtk_text_buffer_set_text(gtk_text_view_get_buffer(GTK_TEXT_VIEW(c->fields_view)), valid, -1);
}

static void
fill_streams(UiCapture *c, CorrCall *call)
{
    gtk_list_store_clear(c->streams_store);
    CorrLoad *ld = ui_load_result(c->load);
    const CorrStreamInfo *info = corr_load_stream_info(ld);
    for (guint i = 0; call->streams && i < call->streams->len; i++) {
        const RtpStream *s = g_ptr_array_index(call->streams, i);
        guint idx = GPOINTER_TO_UINT(g_hash_table_lookup(c->stream_index, s));
        const CorrStreamInfo *in = idx && info ? &info[idx - 1] : NULL;
        const CorrLoadFile *f = idx ? corr_load_stream_file(ld, idx - 1) : NULL;
        const RtcpSourceReport *r = f && f->rtcp ? rtcp_reports_lookup(f->rtcp, s->ssrc) : NULL;
        char a[SL_ADDR_STRLEN], b[SL_ADDR_STRLEN], ssrc[16];
        g_snprintf(ssrc, sizeof ssrc, "0x%08X", s->ssrc);
        double rgb[3];
        ui_media_plot_color(i, rgb);
        g_autofree char *color = g_strdup_printf("#%02x%02x%02x", (int)(rgb[0] * 255),
                                                 (int)(rgb[1] * 255), (int)(rgb[2] * 255));
        g_autofree char *lost = g_strdup_printf("%" G_GINT64_FORMAT " (%.1f%%)", s->lost,
                                                s->lost_pct);
        g_autofree char *jit = s->has_jitter ? g_strdup_printf("%.2f / %.2f", s->mean_jitter_ms,
                                                               s->max_jitter_ms)
                                             : NULL;
        g_autofree char *mos = in && in->mos >= 0 ? g_strdup_printf("%.2f", in->mos) : NULL;
        g_autofree char *rtcp = NULL;
        g_autofree char *rtt = r && r->rtt_ms >= 0 ? g_strdup_printf(", RTT %.1f ms", r->rtt_ms)
                                                   : g_strdup("");
        if (r)
            rtcp = g_strdup_printf("SR %" G_GUINT64_FORMAT ", RR %" G_GUINT64_FORMAT
                                   ", lost %.1f%%%s",
                                   r->sender_reports, r->receiver_blocks,
                                   r->fraction_lost * 100.0 / 256.0, rtt);
        GString *fs = g_string_new(NULL);
        for (guint k = 0; call->findings && k < call->findings->len; k++) {
            const CorrFinding *fd = g_ptr_array_index(call->findings, k);
            if (fd->stream == s->id)
                g_string_append_printf(fs, "%s%s", fs->len ? "; " : "", fd->text);
        }
        g_autofree char *findings = g_utf8_make_valid(fs->str, -1);
        g_string_free(fs, TRUE);
        GtkTreeIter it;
        gtk_list_store_insert_with_values(
            c->streams_store, &it, -1, SCOL_COLOR, color, SCOL_SRC, sl_addr_str(&s->src, a),
            SCOL_DST, sl_addr_str(&s->dst, b), SCOL_SSRC, ssrc, SCOL_CODEC,
            in && in->codec[0] ? in->codec : s->payload_names, SCOL_PACKETS, (guint64)s->packets,
            SCOL_LOST, lost, SCOL_JITTER, jit, SCOL_MOS, mos, SCOL_RTCP, rtcp, SCOL_FINDINGS,
            findings, -1);
    }
    ui_media_plot_set_streams(UI_MEDIA_PLOT(c->media_plot), call->streams,
                              corr_load_collector(ld));
}

static void
open_call(UiCapture *c, CorrCall *call)
{
    CorrLoad *ld = ui_load_result(c->load);
    c->open_call = call;
    g_autoptr(GPtrArray) calls = g_ptr_array_new();
    g_ptr_array_add(calls, call);
    UiLadderView *v = UI_LADDER_VIEW(c->ladder_view);
    ui_ladder_view_set_calls(v, calls, corr_load_streams(ld), corr_load_stream_info(ld));
    ui_ladder_view_select_arrow(v, 0);
    fill_streams(c, call);
}

static void
on_row_activated(UiCapture *c, GtkTreePath *path, GtkTreeViewColumn *col, GtkTreeView *view)
{
    GtkTreeModel *model = gtk_tree_view_get_model(view);
    GtkTreeIter it;
    if (!gtk_tree_model_get_iter(model, &it, path))
        return;
    UiCallRow *r = NULL;
    gtk_tree_model_get(model, &it, COL_ROW, &r, -1);
    if (!r)
        return;
    if (r->evicted) {
        ui_ladder_view_set_calls(UI_LADDER_VIEW(c->ladder_view), NULL, NULL, NULL);
        ui_media_plot_set_streams(UI_MEDIA_PLOT(c->media_plot), NULL, NULL);
        gtk_list_store_clear(c->streams_store);
        c->open_call = NULL;
        UiLiveStats st;
        ui_load_live_stats(c->load, &st);
        g_autofree char *text = g_strdup_printf(
            "%s %u was evicted from memory during the capture (at most %u finished calls are "
            "kept: Preferences); its ladder can no longer be shown. Save the capture and open "
            "the file to see it.",
            r->kind == CORR_KIND_CALL ? "Call" : "Entry", r->id, st.keep_calls);
        gtk_text_buffer_set_text(gtk_text_view_get_buffer(GTK_TEXT_VIEW(c->fields_view)), text,
                                 -1);
        text_clear(c->raw_view);
        g_signal_emit(c, signals[SIG_NOTICE], 0, text);
        return;
    }
    if (!ui_load_is_done(c->load)) {
        c->pending = r->key; /* the engine is the worker's until then */
        if (c->live)
            g_signal_emit(c, signals[SIG_NOTICE], 0,
                          "The call opens when the capture stops (Stop, Ctrl+Shift+K).");
        return;
    }
    open_call(c, (CorrCall *)r->key);
    gtk_widget_grab_focus(c->ladder_view);
}

static void
on_filter_changed(UiCapture *c)
{
    ui_capture_set_filter(c, gtk_entry_get_text(GTK_ENTRY(c->filter_entry)));
}

/* ------------------------------------------------------------ API */

void
ui_capture_set_filter(UiCapture *c, const char *text)
{
    g_clear_pointer(&c->filter, corr_filter_free);
    c->filter = corr_filter_parse(text);
    if (g_strcmp0(gtk_entry_get_text(GTK_ENTRY(c->filter_entry)), text ? text : "") != 0)
        gtk_entry_set_text(GTK_ENTRY(c->filter_entry), text ? text : "");
    for (int i = 0; i < 2; i++)
        if (c->lists[i].filter)
            gtk_tree_model_filter_refilter(GTK_TREE_MODEL_FILTER(c->lists[i].filter));
}

const char *
ui_capture_get_path(UiCapture *c)
{
    return c->path;
}

const char *const *
ui_capture_get_paths(UiCapture *c)
{
    return (const char *const *)c->paths;
}

const char *
ui_capture_get_title(UiCapture *c)
{
    return c->title;
}

gboolean
ui_capture_is_live(UiCapture *c)
{
    return c->live;
}

gboolean
ui_capture_is_capturing(UiCapture *c)
{
    return c->live && !c->loaded;
}

void
ui_capture_stop(UiCapture *c)
{
    if (c->live && c->load)
        ui_load_stop(c->load);
}

void
ui_capture_get_live_stats(UiCapture *c, UiLiveStats *out)
{
    ui_load_live_stats(c->load, out);
}

const char *
ui_capture_get_live_status(UiCapture *c)
{
    return c->live ? gtk_label_get_text(GTK_LABEL(c->live_label)) : NULL;
}

void
ui_capture_save_capture(UiCapture *c, const char *path, GAsyncReadyCallback done, gpointer user)
{
    ui_load_save_capture_async(c->load, path, done, user);
}

const UiCallRow *
ui_capture_get_row(UiCapture *c, gboolean calls, guint n)
{
    GtkTreeIter it;
    UiCallRow *r = NULL;
    GtkTreeModel *m = GTK_TREE_MODEL(c->lists[calls ? 0 : 1].store);
    if (gtk_tree_model_iter_nth_child(m, &it, NULL, (int)n))
        gtk_tree_model_get(m, &it, COL_ROW, &r, -1);
    return r;
}

gboolean
ui_capture_activate_row(UiCapture *c, gboolean calls, guint n)
{
    CallList *l = &c->lists[calls ? 0 : 1];
    GtkTreeModel *m = gtk_tree_view_get_model(l->view);
    GtkTreeIter it;
    if (!gtk_tree_model_iter_nth_child(m, &it, NULL, (int)n))
        return FALSE;
    g_autoptr(GtkTreePath) path = gtk_tree_model_get_path(m, &it);
    gtk_tree_view_row_activated(l->view, path, gtk_tree_view_get_column(l->view, 0));
    return TRUE;
}

gboolean
ui_capture_is_loaded(UiCapture *c)
{
    return c->loaded;
}

gboolean
ui_capture_was_opened(UiCapture *c)
{
    CorrLoad *ld = c->load ? ui_load_result(c->load) : NULL;
    return ld && corr_load_inputs(ld)->len > 0;
}

guint
ui_capture_count_rows(UiCapture *c, gboolean calls)
{
    return (guint)gtk_tree_model_iter_n_children(GTK_TREE_MODEL(c->lists[calls ? 0 : 1].store),
                                                  NULL);
}

guint
ui_capture_count_visible(UiCapture *c, gboolean calls)
{
    GtkTreeModel *m = c->lists[calls ? 0 : 1].filter;
    return m ? (guint)gtk_tree_model_iter_n_children(m, NULL) : 0;
}

gboolean
ui_capture_open_call(UiCapture *c, guint id)
{
    if (!ui_capture_is_loaded(c))
        return FALSE;
    CorrCall *call = corr_engine_call_by_id(ui_load_engine(c->load), id);
    if (!call)
        return FALSE;
    open_call(c, call);
    return TRUE;
}

guint
ui_capture_get_open_call(UiCapture *c)
{
    return c->open_call ? c->open_call->id : 0;
}

UiLadderView *
ui_capture_get_ladder_view(UiCapture *c)
{
    return UI_LADDER_VIEW(c->ladder_view);
}

char *
ui_capture_get_message_text(UiCapture *c, gboolean raw)
{
    GtkTextBuffer *b = gtk_text_view_get_buffer(GTK_TEXT_VIEW(raw ? c->raw_view : c->fields_view));
    GtkTextIter s, e;
    gtk_text_buffer_get_bounds(b, &s, &e);
    return gtk_text_buffer_get_text(b, &s, &e, FALSE);
}

void
ui_capture_show_detail(UiCapture *c, int page)
{
    gtk_notebook_set_current_page(GTK_NOTEBOOK(c->detail_notebook), page);
}

guint
ui_capture_count_streams(UiCapture *c)
{
    return (guint)gtk_tree_model_iter_n_children(GTK_TREE_MODEL(c->streams_store), NULL);
}

gboolean
ui_capture_export_ladder(UiCapture *c, const char *path, GError **error)
{
    const LadderLayout *l = ui_ladder_view_get_layout(UI_LADDER_VIEW(c->ladder_view));
    if (!l) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "No call is open to export");
        return FALSE;
    }
    LadderFormat fmt;
    if (!ladder_format_from_name(path, &fmt) || fmt == LADDER_FORMAT_TEXT) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "%s: give the file name an extension .svg, .png or .pdf", path);
        return FALSE;
    }
    LadderStyle style; /* the export shows no selection */
    ladder_style_init(&style);
    if (fmt == LADDER_FORMAT_PNG)
        return ladder_render_png(l, &style, 1.0, path, error);
    if (fmt == LADDER_FORMAT_PDF)
        return ladder_render_pdf(l, &style, path, error);
    g_autofree char *svg = ladder_render_svg(l, &style);
    return g_file_set_contents(path, svg, -1, error);
}

/* The first frame of @call's messages. */
static uint64_t
call_first_frame(const CorrCall *call)
{
    uint64_t first = G_MAXUINT64;
    for (guint i = 0; call->msgs && i < call->msgs->len; i++)
        first = MIN(first, ((const CorrMsg *)g_ptr_array_index(call->msgs, i))->frame);
    return first;
}

gboolean
ui_capture_save_pcap(UiCapture *c, const char *path, GAsyncReadyCallback done, gpointer user,
                     GError **error)
{
    if (!ui_capture_is_loaded(c)) {
        if (c->live)
            g_set_error(error, G_IO_ERROR, G_IO_ERROR_PENDING,
                        "Stop the capture to save calls, or save every packet captured so far "
                        "(Capture > Save, Ctrl+Shift+S)");
        else
            g_set_error(error, G_IO_ERROR, G_IO_ERROR_PENDING, "%s is still loading", c->title);
        return FALSE;
    }
    if (c->live && !c->path) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "This capture keeps no file to save calls from");
        return FALSE;
    }
    /* a live capture's calls come from its file, where frame k is record
     * k: it may have stopped short of some (its bound, a failed write) */
    UiLiveStats st = { 0 };
    if (c->live)
        ui_load_live_stats(c->load, &st);
    bool stopped = st.file_full || st.file_failed;
    g_autoptr(GPtrArray) calls = g_ptr_array_new();
    guint evicted = 0, late = 0;
    int page = gtk_notebook_get_current_page(GTK_NOTEBOOK(c->list_notebook));
    CallList *l = &c->lists[page == 1 ? 1 : 0];
    GtkTreeModel *model = NULL;
    GList *sel = gtk_tree_selection_get_selected_rows(gtk_tree_view_get_selection(l->view), &model);
    for (GList *it = sel; it; it = it->next) {
        GtkTreeIter iter;
        UiCallRow *r = NULL;
        if (gtk_tree_model_get_iter(model, &iter, it->data))
            gtk_tree_model_get(model, &iter, COL_ROW, &r, -1);
        if (r && r->evicted)
            evicted++; /* its frames are no longer known */
        else if (r)
            g_ptr_array_add(calls, (gpointer)r->key);
    }
    g_list_free_full(sel, (GDestroyNotify)gtk_tree_path_free);
    if (calls->len == 0 && c->open_call)
        g_ptr_array_add(calls, c->open_call);
    for (guint i = 0; stopped && i < calls->len; i++)
        if (call_first_frame(g_ptr_array_index(calls, i)) > st.saved_frames)
            late++;
    if (late) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "%s came after the capture file stopped at %" G_GUINT64_FORMAT
                    " packets (%s): %s cannot be saved; select calls from before it",
                    calls->len == 1 ? "The call" : late == calls->len ? "The selected calls"
                                                                      : "Some selected calls",
                    st.saved_frames,
                    st.file_failed ? "it could not be written" : "its bound, set in Preferences",
                    late == 1 ? "that call" : "those calls");
        return FALSE;
    }
    UiSaveSpec *spec = c->paths ? ui_save_spec_new_files((const char *const *)c->paths)
                                : ui_save_spec_new(c->path);
    for (guint i = 0; i < calls->len; i++)
        ui_save_spec_add_call(spec, g_ptr_array_index(calls, i));
    if (ui_save_spec_n_frames(spec) == 0) {
        ui_save_spec_free(spec);
        if (evicted)
            g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                        "The selected calls were evicted from memory during the capture; save "
                        "the whole capture instead (Capture > Save, Ctrl+Shift+S)");
        else
            g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                        "Select calls to save first");
        return FALSE;
    }
    ui_save_spec_write_async(spec, path, NULL, done, user);
    return TRUE;
}

char *
ui_capture_dup_message(UiCapture *c)
{
    const LadderLayout *l = ui_ladder_view_get_layout(UI_LADDER_VIEW(c->ladder_view));
    int a = ui_ladder_view_get_selected_arrow(UI_LADDER_VIEW(c->ladder_view));
    if (!l || a < 0)
        return NULL;
    const CorrMsg *m = g_array_index(l->arrows, LadderArrow, a).msg;
    if (!m || !m->raw)
        return NULL;
    gsize len;
    const char *data = g_bytes_get_data(m->raw, &len);
    return g_utf8_make_valid(data, (gssize)len);
}

void
ui_capture_zoom(UiCapture *c, double factor)
{
    UiLadderView *v = UI_LADDER_VIEW(c->ladder_view);
    ui_ladder_view_set_zoom(v, factor == 0 ? 1.0 : ui_ladder_view_get_zoom(v) * factor);
}

static void
apply_ladder_prefs(UiCapture *c)
{
    LadderOptions o;
    g_autoptr(GError) error = NULL;
    ui_prefs_ladder_options(&c->prefs, &o, &error);
    if (error)
        g_signal_emit(c, signals[SIG_WARNING], 0, (int)CORR_LOAD_WARN_OPEN, error->message);
    ui_ladder_view_set_options(UI_LADDER_VIEW(c->ladder_view), &o);
    if (o.aliases)
        g_hash_table_unref(o.aliases);
}

void
ui_capture_set_prefs(UiCapture *c, const UiPrefs *prefs)
{
    ui_prefs_copy(&c->prefs, prefs);
    for (int i = 0; i < 2; i++) {
        GHashTableIter it;
        gpointer key, iter;
        g_hash_table_iter_init(&it, c->lists[i].iters);
        while (g_hash_table_iter_next(&it, &key, &iter))
            list_set_row(c, &c->lists[i], iter, g_hash_table_lookup(c->rows, key));
    }
    apply_ladder_prefs(c);
    if (c->open_call)
        open_call(c, c->open_call);
}

/* ------------------------------------------------------------ object */

static void
streams_init(UiCapture *c)
{
    c->streams_store = gtk_list_store_new(N_SCOLS, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                          G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT64,
                                          G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                          G_TYPE_STRING, G_TYPE_STRING);
    GtkTreeView *tv = GTK_TREE_VIEW(c->streams_view);
    gtk_tree_view_set_model(tv, GTK_TREE_MODEL(c->streams_store));
    GtkCellRenderer *swatch = gtk_cell_renderer_text_new();
    g_object_set(swatch, "text", "\u25A0", NULL);
    gtk_tree_view_append_column(
        tv, gtk_tree_view_column_new_with_attributes("", swatch, "foreground", SCOL_COLOR, NULL));
    static const struct {
        const char *title;
        int col;
    } cols[] = {
        { "Source", SCOL_SRC },        { "Destination", SCOL_DST }, { "SSRC", SCOL_SSRC },
        { "Codec", SCOL_CODEC },       { "Packets", SCOL_PACKETS }, { "Lost", SCOL_LOST },
        { "Jitter mean/max ms", SCOL_JITTER }, { "MOS", SCOL_MOS }, { "RTCP", SCOL_RTCP },
        { "Findings", SCOL_FINDINGS },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cols); i++) {
        GtkTreeViewColumn *col = gtk_tree_view_column_new_with_attributes(
            cols[i].title, gtk_cell_renderer_text_new(), "text", cols[i].col, NULL);
        gtk_tree_view_column_set_resizable(col, TRUE);
        gtk_tree_view_append_column(tv, col);
    }
}

static void
text_tags_init(UiCapture *c)
{
    GtkTextBuffer *b = gtk_text_view_get_buffer(GTK_TEXT_VIEW(c->raw_view));
    gtk_text_buffer_create_tag(b, "start-line", "weight", PANGO_WEIGHT_BOLD, NULL);
    gtk_text_buffer_create_tag(b, "header-name", "weight", PANGO_WEIGHT_BOLD, "foreground",
                               "#1f5fbf", NULL);
    gtk_text_buffer_create_tag(b, "body", "foreground", "#555555", NULL);
}

static void
capture_dispose(GObject *o)
{
    UiCapture *c = UI_CAPTURE(o);
    /* the worker goes first: the views below borrow from its engine */
    if (c->load) {
        ui_ladder_view_set_calls(UI_LADDER_VIEW(c->ladder_view), NULL, NULL, NULL);
        ui_media_plot_set_streams(UI_MEDIA_PLOT(c->media_plot), NULL, NULL);
        c->open_call = NULL;
        g_clear_pointer(&c->load, ui_load_free);
    }
    for (int i = 0; i < 2; i++) {
        CallList *l = &c->lists[i];
        if (l->view)
            gtk_tree_view_set_model(l->view, NULL);
        l->view = NULL; /* dispose may run again, after the views went */
        g_clear_object(&l->sort);
        g_clear_object(&l->filter);
        list_store_clear(l);
    }
    g_clear_object(&c->streams_store);
    if (c->fill_id) {
        g_source_remove(c->fill_id);
        c->fill_id = 0;
    }
    for (int i = 0; i < 2; i++)
        list_store_clear(&c->staging[i]);
    g_clear_pointer(&c->staging_rows, g_hash_table_destroy);
    g_clear_pointer(&c->final_rows, g_ptr_array_unref);
    G_OBJECT_CLASS(ui_capture_parent_class)->dispose(o);
}

static void
capture_finalize(GObject *o)
{
    UiCapture *c = UI_CAPTURE(o);
    g_hash_table_destroy(c->rows);
    g_hash_table_destroy(c->stream_index);
    corr_filter_free(c->filter);
    ui_prefs_clear(&c->prefs);
    g_free(c->path);
    g_strfreev(c->paths);
    g_free(c->title);
    G_OBJECT_CLASS(ui_capture_parent_class)->finalize(o);
}

static void
ui_capture_class_init(UiCaptureClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);
    GtkWidgetClass *wc = GTK_WIDGET_CLASS(klass);
    oc->dispose = capture_dispose;
    oc->finalize = capture_finalize;
    g_type_ensure(UI_TYPE_LADDER_VIEW);
    g_type_ensure(UI_TYPE_MEDIA_PLOT);
    gtk_widget_class_set_template_from_resource(wc, "/org/sipladder/Sipladder/ui-capture.ui");
#define BIND(name) gtk_widget_class_bind_template_child(wc, UiCapture, name)
    BIND(progress_box);
    BIND(progress);
    BIND(live_label);
    BIND(cancel_button);
    BIND(save_button);
    BIND(paned);
    BIND(filter_entry);
    BIND(status_label);
    BIND(list_notebook);
    BIND(calls_view);
    BIND(other_view);
    BIND(calls_tab_label);
    BIND(other_tab_label);
    BIND(detail_notebook);
    BIND(ladder_paned);
    BIND(ladder_scroll);
    BIND(ladder_view);
    BIND(fields_view);
    BIND(raw_view);
    BIND(streams_view);
    BIND(media_plot);
#undef BIND
    gtk_widget_class_bind_template_callback(wc, on_cancel_clicked);
    gtk_widget_class_bind_template_callback(wc, on_filter_changed);
    gtk_widget_class_bind_template_callback(wc, on_row_activated);
    gtk_widget_class_bind_template_callback(wc, on_arrow_selected);
    gtk_widget_class_bind_template_callback(wc, on_band_selected);
    signals[SIG_WARNING] = g_signal_new("warning", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT,
                                        G_TYPE_STRING);
    signals[SIG_LOADED] = g_signal_new("loaded", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);
    signals[SIG_NOTICE] = g_signal_new("notice", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ui_capture_init(UiCapture *c)
{
    gtk_widget_init_template(GTK_WIDGET(c));
    c->rows = g_hash_table_new_full(NULL, NULL, NULL, ui_call_row_free);
    c->stream_index = g_hash_table_new(NULL, NULL);
    list_init(c, &c->lists[0], c->calls_view, true);
    list_init(c, &c->lists[1], c->other_view, false);
    streams_init(c);
    text_tags_init(c);
}

static const UiLoadCallbacks load_callbacks = { on_rows, on_progress, on_warning, on_done,
                                                on_live };

UiCapture *
ui_capture_new(const char *path, const UiPrefs *prefs)
{
    const char *const paths[] = { path, NULL };
    return ui_capture_new_files(paths, prefs);
}

UiCapture *
ui_capture_new_files(const char *const *paths, const UiPrefs *prefs)
{
    g_return_val_if_fail(paths && paths[0], NULL);
    UiCapture *c = g_object_new(UI_TYPE_CAPTURE, NULL);
    c->path = g_strdup(paths[0]);
    c->paths = g_strdupv((char **)paths);
    g_autofree char *base = g_path_get_basename(paths[0]);
    guint n = g_strv_length(c->paths);
    c->title = n > 1 ? g_strdup_printf("%s + %u more", base, n - 1) : g_steal_pointer(&base);
    ui_capture_set_prefs(c, prefs);
    SlLimits limits;
    ui_prefs_limits(&c->prefs, &limits, NULL); /* the dialog takes only good ones */
    c->load = ui_load_start_files(paths, c->prefs.tls_keylog_file, &limits, &load_callbacks, c);
    ui_ladder_view_set_owner(UI_LADDER_VIEW(c->ladder_view), c->load, ui_load_ref,
                             ui_load_unref);
    on_progress(c->load, 0, 0, c);
    return c;
}

UiCapture *
ui_capture_new_live(const UiLiveSpec *spec, const UiPrefs *prefs)
{
    UiCapture *c = g_object_new(UI_TYPE_CAPTURE, NULL);
    c->live = TRUE;
    c->title = ui_live_spec_title(spec);
    /* every packet goes to a scratch file, for Save and for saving calls:
     * in the user's cache folder, on disk (the temporary folder may be
     * memory) */
    g_autofree char *dir = g_build_filename(g_get_user_cache_dir(), "sipladder", NULL);
    g_autofree char *tmpl = g_build_filename(dir, "capture-XXXXXX.pcap", NULL);
    int fd = g_mkdir_with_parents(dir, 0700) == 0 ? g_mkstemp_full(tmpl, O_RDWR, 0600) : -1;
    if (fd >= 0) {
        g_close(fd, NULL);
        c->path = g_steal_pointer(&tmpl);
    } else {
        int e = errno; /* Save will say the capture keeps no file */
        g_warning("cannot make a capture file in %s (%s): what is captured cannot be saved",
                  dir, g_strerror(e));
    }
    ui_capture_set_prefs(c, prefs);
    SlLimits limits;
    ui_prefs_limits(&c->prefs, &limits, NULL);
    c->load = ui_load_start_live(spec, c->path, c->prefs.tls_keylog_file, &limits,
                                 &load_callbacks, c);
    ui_ladder_view_set_owner(UI_LADDER_VIEW(c->ladder_view), c->load, ui_load_ref,
                             ui_load_unref);
    gtk_widget_hide(c->progress);
    gtk_widget_show(c->live_label);
    gtk_widget_show(c->save_button);
    gtk_button_set_label(GTK_BUTTON(c->cancel_button), "_Stop");
    gtk_widget_set_tooltip_text(c->cancel_button,
                                "End the capture; what was captured stays (Ctrl+Shift+K)");
    gtk_text_buffer_set_text(
        gtk_text_view_get_buffer(GTK_TEXT_VIEW(c->fields_view)),
        "Calls appear in the list as they are captured\n"
        "and update as their messages come. Their ladders\n"
        "and media open once the capture stops (Stop,\n"
        "Ctrl+Shift+K). Every packet captured stays;\n"
        "Save (Ctrl+Shift+S) keeps them as pcap.",
        -1);
    UiLiveStats st;
    ui_load_live_stats(c->load, &st);
    on_live(c->load, &st, c);
    return c;
}
