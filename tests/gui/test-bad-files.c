/* GUI tests (suite gui, under xvfb-run): files that are not what they
 * claim to be. Each gives one clear message in the window's info bar
 * naming the file (and the frame), never a crash; a file that could not
 * be read at all leaves no tab, one read in part (or read, but with
 * nothing it could decode) keeps its tab.
 * Text from files and packets is shown as text, never as Pango markup. */
#include <glib/gstdio.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "gui-test.h"
#include "ui-app.h"
#include "ui-window.h"

static UiApp *app;
static const char *shots_dir;
static char *tmp_dir;

static char *
scratch(const char *name)
{
    return g_build_filename(tmp_dir, name, NULL);
}

/* The sample's bytes, as a little-endian microsecond pcap. */
static GBytes *
sample_bytes(const char *name)
{
    g_autofree char *path = gui_test_sample_path(name);
    char *data = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    g_assert_cmpuint(len, >, 24);
    g_assert_cmpuint((guint8)data[0], ==, 0xd4);
    return g_bytes_new_take(data, len);
}

/* The sample with every frame cut to @snap bytes (and the header saying so). */
static char *
write_snapped(const char *name, guint32 snap)
{
    g_autoptr(GBytes) b = sample_bytes("flow1-direct.pcap");
    gsize len;
    const guint8 *in = g_bytes_get_data(b, &len);
    GByteArray *out = g_byte_array_new();
    g_byte_array_append(out, in, 24);
    memcpy(out->data + 16, &snap, 4);
    for (gsize off = 24; off + 16 <= len;) {
        guint32 h[4];
        memcpy(h, in + off, 16);
        const guint8 *d = in + off + 16;
        off += 16 + h[2];
        if (h[2] > snap)
            h[2] = snap;
        g_byte_array_append(out, (guint8 *)h, 16);
        g_byte_array_append(out, d, h[2]);
    }
    char *path = scratch(name);
    g_assert_true(g_file_set_contents(path, (char *)out->data, out->len, NULL));
    g_byte_array_unref(out);
    return path;
}

/* One IPv4/UDP frame (link type RAW) carrying @payload, in a new pcap. */
static char *
write_raw_udp(const char *name, const char *payload)
{
    size_t plen = strlen(payload);
    size_t ip_len = 20 + 8 + plen;
    GByteArray *out = g_byte_array_new();
    guint32 g[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 101 /* DLT_RAW */ };
    g_byte_array_append(out, (guint8 *)g, 24);
    guint32 h[4] = { 1700000000, 0, (guint32)ip_len, (guint32)ip_len };
    g_byte_array_append(out, (guint8 *)h, 16);
    guint8 ip[28] = { 0x45, 0, (guint8)(ip_len >> 8), (guint8)ip_len, 0, 1, 0, 0, 64, 17, 0, 0,
                      192, 0, 2, 1, 192, 0, 2, 2,
                      0x13, 0xc4, 0x13, 0xc4, (guint8)((8 + plen) >> 8), (guint8)(8 + plen), 0, 0 };
    guint32 sum = 0;
    for (int i = 0; i < 20; i += 2)
        sum += (guint32)(ip[i] << 8 | ip[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    ip[10] = (guint8)(~sum >> 8);
    ip[11] = (guint8)~sum;
    g_byte_array_append(out, ip, sizeof ip);
    g_byte_array_append(out, (const guint8 *)payload, (guint)plen);
    char *path = scratch(name);
    g_assert_true(g_file_set_contents(path, (char *)out->data, out->len, NULL));
    g_byte_array_unref(out);
    return path;
}

static void
find_info_label(GtkWidget *w, gpointer out)
{
    if (*(GtkWidget **)out)
        return;
    if (GTK_IS_INFO_BAR(w)) {
        GtkWidget *area = gtk_info_bar_get_content_area(GTK_INFO_BAR(w));
        GList *kids = gtk_container_get_children(GTK_CONTAINER(area));
        for (GList *k = kids; k; k = k->next)
            if (GTK_IS_LABEL(k->data)) {
                *(GtkWidget **)out = k->data;
                break;
            }
        g_list_free(kids);
        return;
    }
    if (GTK_IS_CONTAINER(w))
        gtk_container_forall(GTK_CONTAINER(w), find_info_label, out);
}

/* What the info bar's label shows (its text, after any markup parsing). */
static const char *
info_label_text(UiWindow *w)
{
    GtkWidget *label = NULL;
    find_info_label(GTK_WIDGET(w), &label);
    g_assert_nonnull(label);
    g_assert_false(gtk_label_get_use_markup(GTK_LABEL(label)));
    g_assert_true(gtk_widget_get_visible(gtk_widget_get_parent(gtk_widget_get_parent(label))) ||
                  gtk_widget_get_visible(label));
    return gtk_label_get_text(GTK_LABEL(label));
}

typedef struct {
    const char *name;       /* test name */
    char *(*make)(void);    /* the file (caller frees) */
    const char *words[3];   /* in the message, beside the file's name */
    gboolean keeps_tab;     /* something was read: the tab stays */
    guint calls;            /* rows when the tab stays */
} BadFile;

static char *
make_empty(void)
{
    char *p = scratch("empty.pcap");
    g_assert_true(g_file_set_contents(p, "", 0, NULL));
    return p;
}

static char *
make_directory(void)
{
    char *p = scratch("a-directory.pcap");
    g_assert_cmpint(g_mkdir_with_parents(p, 0755), ==, 0);
    return p;
}

static char *
make_header_cut(void)
{
    g_autoptr(GBytes) b = sample_bytes("flow1-direct.pcap");
    char *p = scratch("header-cut.pcap");
    g_assert_true(g_file_set_contents(p, g_bytes_get_data(b, NULL), 14, NULL));
    return p;
}

static char *
make_unknown_link(void)
{
    g_autoptr(GBytes) b = sample_bytes("flow1-direct.pcap");
    gsize len = 0;
    const void *bytes = g_bytes_get_data(b, &len);
    guint8 *d = g_memdup2(bytes, len);
    guint32 lt = 4242;
    memcpy(d + 20, &lt, 4);
    char *p = scratch("link-4242.pcap");
    g_assert_true(g_file_set_contents(p, (char *)d, (gssize)len, NULL));
    g_free(d);
    return p;
}

static char *
make_snapped(void)
{
    return write_snapped("snap-120.pcap", 120);
}

static const BadFile bad_files[] = {
    { "empty", make_empty, { "empty" }, FALSE, 0 },
    { "directory", make_directory, { "is a directory" }, FALSE, 0 },
    { "header-cut", make_header_cut, { "truncated" }, FALSE, 0 },
    { "unknown-link-type", make_unknown_link, { "link type 4242", "not supported" }, TRUE, 0 },
    { "small-snaplen", make_snapped,
      { "cut short by the capture's snaplen", "at most 120 bytes kept" }, TRUE, 1 },
};

static void
test_bad_file(gconstpointer data)
{
    const BadFile *bf = data;
    g_autofree char *path = bf->make();
    g_autofree char *base = g_path_get_basename(path);
    UiWindow *w = gui_test_new_window(app);
    UiCapture *c = gui_test_open_and_wait(w, path);
    const char *msg = ui_window_get_message(w);
    g_assert_nonnull(msg);
    g_assert_nonnull(strstr(msg, base));
    for (int i = 0; i < 3 && bf->words[i]; i++)
        g_assert_nonnull(strstr(msg, bf->words[i]));
    g_assert_nonnull(strstr(info_label_text(w), base));
    if (bf->keeps_tab) {
        g_assert_cmpuint(ui_window_count_captures(w), ==, 1);
        g_assert_cmpuint(ui_capture_count_rows(c, TRUE), ==, bf->calls);
    } else {
        g_assert_cmpuint(ui_window_count_captures(w), ==, 0);
    }
    if (shots_dir) {
        g_autofree char *png = g_strdup_printf("%s/bad-%s.png", shots_dir, bf->name);
        gui_test_save_png(GTK_WIDGET(w), png);
    }
    g_object_unref(c);
    gtk_widget_destroy(GTK_WIDGET(w));
}

/* Drops the capabilities that let root read any file, for this thread
 * and the threads it starts from now on (the loader's worker). */
static gboolean
drop_dac_override(void)
{
    struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct d[2];
    if (syscall(SYS_capget, &hdr, d) != 0)
        return FALSE;
    guint32 drop = (1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH);
    d[0].effective &= ~drop;
    return syscall(SYS_capset, &hdr, d) == 0;
}

static void
restore_dac_override(void)
{
    struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct d[2];
    g_assert_cmpint(syscall(SYS_capget, &hdr, d), ==, 0);
    d[0].effective |= d[0].permitted & ((1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH));
    g_assert_cmpint(syscall(SYS_capset, &hdr, d), ==, 0);
}

static void
test_no_permission(void)
{
    g_autofree char *path = scratch("no-permission.pcap");
    g_autoptr(GBytes) b = sample_bytes("flow1-direct.pcap");
    gsize len;
    const char *d = g_bytes_get_data(b, &len);
    g_assert_true(g_file_set_contents(path, d, (gssize)len, NULL));
    g_assert_cmpint(g_chmod(path, 0), ==, 0);
    if (geteuid() == 0 && !drop_dac_override()) {
        g_test_skip("cannot drop root's right to read any file");
        return;
    }
    UiWindow *w = gui_test_new_window(app);
    UiCapture *c = gui_test_open_and_wait(w, path);
    if (geteuid() == 0)
        restore_dac_override();
    const char *msg = ui_window_get_message(w);
    g_assert_nonnull(msg);
    g_assert_nonnull(strstr(msg, "no-permission.pcap"));
    g_assert_nonnull(strstr(msg, "Permission denied"));
    g_assert_cmpuint(ui_window_count_captures(w), ==, 0);
    g_object_unref(c);
    gtk_widget_destroy(GTK_WIDGET(w));
    g_unlink(path);
}

/* Markup in a file name and in a SIP display name shows as typed. */
static void
test_markup_stays_text(void)
{
    const char *hostile = "<b>bold &amp; <span foreground='red'>x"; /* no '/': a file name */
    g_autofree char *name = g_strdup_printf("%s.pcap", hostile);
    g_autofree char *path = scratch(name);
    g_assert_true(g_file_set_contents(path, "not a capture\n", -1, NULL));
    UiWindow *w = gui_test_new_window(app);
    UiCapture *c = gui_test_open_and_wait(w, path);
    g_assert_nonnull(strstr(info_label_text(w), hostile));
    g_object_unref(c);
    gtk_widget_destroy(GTK_WIDGET(w));

    const char *invite =
        "INVITE sip:bob@192.0.2.2 SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-markup\r\n"
        "Max-Forwards: 70\r\n"
        "From: \"<i>Eve</i> & <b>co</b>\" <sip:eve@192.0.2.1>;tag=1\r\n"
        "To: <sip:bob@192.0.2.2>\r\n"
        "Call-ID: markup@192.0.2.1\r\n"
        "CSeq: 1 INVITE\r\n"
        "Contact: <sip:eve@192.0.2.1>\r\n"
        "Content-Length: 0\r\n\r\n";
    g_autofree char *pcap = write_raw_udp("markup.pcap", invite);
    w = gui_test_new_window(app);
    c = gui_test_open_and_wait(w, pcap);
    g_assert_null(ui_window_get_message(w));
    g_assert_cmpuint(ui_capture_count_rows(c, TRUE), ==, 1);
    const UiCallRow *r = ui_capture_get_row(c, TRUE, 0);
    g_assert_nonnull(r);
    g_assert_cmpstr(r->caller_display, ==, "<i>Eve</i> & <b>co</b>");
    g_object_unref(c);
    gtk_widget_destroy(GTK_WIDGET(w));
}

/* Removes @path and, when it is a directory, all below it. */
static void
remove_tree(const char *path)
{
    GDir *d = g_dir_open(path, 0, NULL);
    if (d) {
        const char *n;
        while ((n = g_dir_read_name(d))) {
            g_autofree char *sub = g_build_filename(path, n, NULL);
            remove_tree(sub);
        }
        g_dir_close(d);
    }
    g_remove(path);
}

int
main(int argc, char **argv)
{
    int skip = gui_test_start(&argc, &argv, "sl-gui-bad", &tmp_dir, &shots_dir);
    if (skip)
        return skip;
    app = ui_app_new(G_APPLICATION_NON_UNIQUE);
    g_assert_true(g_application_register(G_APPLICATION(app), NULL, NULL));
    for (size_t i = 0; i < G_N_ELEMENTS(bad_files); i++) {
        g_autofree char *name = g_strdup_printf("/gui/bad-file/%s", bad_files[i].name);
        g_test_add_data_func(name, &bad_files[i], test_bad_file);
    }
    g_test_add_func("/gui/bad-file/no-permission", test_no_permission);
    g_test_add_func("/gui/markup-stays-text", test_markup_stays_text);
    int rc = g_test_run();
    g_object_unref(app);
    remove_tree(tmp_dir);
    g_free(tmp_dir);
    return rc;
}
