/* sipladder GUI: live capture choices and figures (see ui-live.h). */
#include "ui-live.h"

#include <pcap/pcap.h>
#include <string.h>

#include "addr.h"

UiLiveSpec *
ui_live_spec_new(UiLiveKind kind, const char *name, const char *filter, guint keep_calls)
{
    UiLiveSpec *s = g_new0(UiLiveSpec, 1);
    s->kind = kind;
    s->name = g_strdup(name);
    s->filter = filter && *filter ? g_strdup(filter) : NULL;
    s->keep_calls = keep_calls;
    return s;
}

UiLiveSpec *
ui_live_spec_copy(const UiLiveSpec *s)
{
    UiLiveSpec *c = ui_live_spec_new(s->kind, s->name, s->filter, s->keep_calls);
    c->file_limit = s->file_limit;
    return c;
}

void
ui_live_spec_free(UiLiveSpec *s)
{
    if (!s)
        return;
    g_free(s->name);
    g_free(s->filter);
    g_free(s);
}

char *
ui_live_spec_title(const UiLiveSpec *s)
{
    return s->kind == UI_LIVE_HEP ? g_strdup_printf("HEP %s", s->name) : g_strdup(s->name);
}

bool
ui_live_check_filter(const char *filter, char **error)
{
    if (!filter || !*filter)
        return true;
    pcap_t *p = pcap_open_dead(DLT_EN10MB, 262144);
    if (!p) {
        if (error)
            *error = g_strdup("libpcap could not start");
        return false;
    }
    struct bpf_program prog;
    bool ok = pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) == 0;
    if (ok)
        pcap_freecode(&prog);
    else if (error)
        *error = g_utf8_make_valid(pcap_geterr(p), -1);
    pcap_close(p);
    return ok;
}

bool
ui_live_check_listen(const char *listen, char **error)
{
    SlAddr a;
    if (listen && sl_addr_parse(listen, &a) && a.port != 0)
        return true;
    if (error)
        *error = g_strdup("an address and port to listen on, e.g. 0.0.0.0:9060 or [::]:9060");
    return false;
}

bool
ui_live_iface_parse(const char *line, UiLiveIface *out)
{
    *out = (UiLiveIface){ 0 };
    if (!line)
        return false;
    g_auto(GStrv) f = g_strsplit(line, "\t", 4);
    guint n = g_strv_length(f);
    if (n == 0 || !*g_strstrip(f[0]))
        return false;
    out->name = g_strdup(f[0]);
    out->description = g_strdup(n > 1 ? g_strstrip(f[1]) : "");
    out->addresses = g_strdup(n > 2 ? g_strstrip(f[2]) : "");
    out->up = n > 3 && strcmp(g_strstrip(f[3]), "up") == 0;
    return true;
}

void
ui_live_iface_clear(UiLiveIface *i)
{
    g_clear_pointer(&i->name, g_free);
    g_clear_pointer(&i->description, g_free);
    g_clear_pointer(&i->addresses, g_free);
}

static const char *
plural(uint64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

char *
ui_live_stats_format(const char *title, const UiLiveStats *st)
{
    GString *s = g_string_new(NULL);
    if (!st->started) {
        g_string_append_printf(s, "Starting the capture on %s…", title);
        return g_string_free(s, FALSE);
    }
    g_string_append_printf(s, "%s %s: %" G_GUINT64_FORMAT " %s",
                           st->running ? "Capturing on" : "Captured on", title, st->frames,
                           plural(st->frames, "packet", "packets"));
    if (st->source.has_kernel) {
        g_string_append_printf(s, " · kernel: %" G_GUINT64_FORMAT " received, %" G_GUINT64_FORMAT
                               " dropped",
                               st->source.kernel_received, st->source.kernel_dropped);
        if (st->source.iface_dropped)
            g_string_append_printf(s, ", %" G_GUINT64_FORMAT " dropped by the interface",
                                   st->source.iface_dropped);
    }
    if (st->source.malformed)
        g_string_append_printf(s, " · %" G_GUINT64_FORMAT " malformed HEP %s dropped",
                               st->source.malformed,
                               plural(st->source.malformed, "packet", "packets"));
    if (st->source.ignored)
        g_string_append_printf(s, " · %" G_GUINT64_FORMAT " HEP %s of other types ignored",
                               st->source.ignored, plural(st->source.ignored, "packet", "packets"));
    if (st->source.queue_dropped)
        g_string_append_printf(s, " · %" G_GUINT64_FORMAT
                               " dropped by sipladder (analysis behind)",
                               st->source.queue_dropped);
    if (st->evicted)
        g_string_append_printf(s, " · %u finished %s evicted (at most %u kept)", st->evicted,
                               plural(st->evicted, "call", "calls"), st->keep_calls);
    if (st->file_failed) {
        g_string_append_printf(s, " · the capture file could not be written: %" G_GUINT64_FORMAT
                               " %s saved", st->saved_frames,
                               plural(st->saved_frames, "packet", "packets"));
    } else if (st->file_full) {
        g_autofree char *size = g_format_size_full(st->file_limit, G_FORMAT_SIZE_IEC_UNITS);
        g_string_append_printf(s, " · the capture file is full (%s): the first %" G_GUINT64_FORMAT
                               " %s saved",
                               size, st->saved_frames,
                               plural(st->saved_frames, "packet", "packets"));
    }
    if (!st->running)
        g_string_append(s, " · stopped");
    return g_string_free(s, FALSE);
}
