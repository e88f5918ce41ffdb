/* sipladder-cli capture: capture live (an interface or a HEP listener; a
 * file replays), print each call as it completes, write what was captured
 * to pcap files (rotated by size or time), send SIP to a HOMER collector
 * as HEPv3, and keep memory bounded on captures that run for days by
 * evicting finished calls once they are printed. */
#include <errno.h>
#include <json-glib/json-glib.h>
#include <netdb.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cap-hep.h"
#include "cli.h"

typedef struct {
    /* options */
    char *write;
    char *rotate;
    char *hep_send;
    gint hep_id;
    char *hep_key;
    gint max_calls;
    gboolean json;
    /* rotation */
    uint64_t rotate_bytes;
    SlTime rotate_time;
    /* state */
    CorrEngine *engine;
    pcap_t *dead;
    pcap_dumper_t *dumper;
    int dump_linktype;
    guint file_no;
    uint64_t file_bytes;
    SlTime file_start;
    uint64_t written, skipped_link;
    int hep_fd;
    uint64_t hep_sent, hep_failed;
    GHashTable *printed;   /* CorrCall* already printed */
    GHashTable *pending;   /* CorrCall* done, to print */
    uint64_t packets;
    SlTime last_ts;        /* of the latest packet */
    guint calls_printed;
    int status;
} Capture;

/* ------------------------------------------------------------ -w, --rotate */

/* "100M", "1G", "500k" (bytes) or "60s", "10m", "1h" (capture time). */
static bool
parse_rotate(Capture *c)
{
    if (!c->rotate)
        return true;
    char *end = NULL;
    double v = g_ascii_strtod(c->rotate, &end);
    if (end == c->rotate || v <= 0)
        return false;
    const char *u = end;
    if (g_ascii_strcasecmp(u, "k") == 0 || g_ascii_strcasecmp(u, "kb") == 0)
        c->rotate_bytes = (uint64_t)(v * 1e3);
    else if (g_ascii_strcasecmp(u, "M") == 0 || g_ascii_strcasecmp(u, "MB") == 0)
        c->rotate_bytes = (uint64_t)(v * 1e6);
    else if (g_ascii_strcasecmp(u, "G") == 0 || g_ascii_strcasecmp(u, "GB") == 0)
        c->rotate_bytes = (uint64_t)(v * 1e9);
    else if (strcmp(u, "s") == 0 || u[0] == 0)
        c->rotate_time = (SlTime)(v * 1e9);
    else if (strcmp(u, "m") == 0 || strcmp(u, "min") == 0)
        c->rotate_time = (SlTime)(v * 60e9);
    else if (strcmp(u, "h") == 0)
        c->rotate_time = (SlTime)(v * 3600e9);
    else
        return false;
    return c->rotate_bytes >= 1000 || c->rotate_time >= SL_TIME_SECOND;
}

/* "out.pcap" -> "out-00001.pcap" when rotating. */
static char *
file_name(const Capture *c)
{
    if (!c->rotate)
        return g_strdup(c->write);
    const char *dot = strrchr(c->write, '.');
    const char *slash = strrchr(c->write, '/');
    if (!dot || (slash && dot < slash))
        return g_strdup_printf("%s-%05u", c->write, c->file_no);
    return g_strdup_printf("%.*s-%05u%s", (int)(dot - c->write), c->write, c->file_no, dot);
}

static bool
dump_open(Capture *c, int linktype, SlTime ts)
{
    c->file_no++;
    g_autofree char *name = file_name(c);
    c->dead = pcap_open_dead_with_tstamp_precision(linktype, 262144, PCAP_TSTAMP_PRECISION_NANO);
    c->dumper = pcap_dump_open(c->dead, name);
    if (!c->dumper) {
        g_printerr("sipladder-cli capture: cannot write %s: %s\n", name, pcap_geterr(c->dead));
        pcap_close(c->dead);
        c->dead = NULL;
        c->status = CLI_EXIT_INPUT;
        return false;
    }
    c->dump_linktype = linktype;
    c->file_bytes = 24;
    c->file_start = ts;
    return true;
}

static void
dump_close(Capture *c)
{
    if (c->dumper)
        pcap_dump_close(c->dumper);
    if (c->dead)
        pcap_close(c->dead);
    c->dumper = NULL;
    c->dead = NULL;
}

static void
on_frame(const CorrLoadFile *file, const CapFrame *f, gpointer user)
{
    Capture *c = user;
    if (!c->write || c->status == CLI_EXIT_INPUT)
        return;
    if (c->dumper && f->linktype != c->dump_linktype) {
        c->skipped_link++; /* one file holds one link type */
        return;
    }
    if (c->dumper && ((c->rotate_bytes && c->file_bytes + 16 + f->cap_len > c->rotate_bytes) ||
                      (c->rotate_time && f->ts - c->file_start >= c->rotate_time)))
        dump_close(c);
    if (!c->dumper && !dump_open(c, f->linktype, f->ts))
        return;
    struct pcap_pkthdr h = { .caplen = f->cap_len, .len = f->wire_len };
    h.ts.tv_sec = (time_t)(f->ts / SL_TIME_SECOND);
    h.ts.tv_usec = (suseconds_t)(f->ts % SL_TIME_SECOND); /* nanoseconds: see open_dead */
    pcap_dump((u_char *)c->dumper, &h, f->data);
    if (cli_input_is_live())
        pcap_dump_flush(c->dumper);
    c->file_bytes += 16 + f->cap_len;
    c->written++;
}

/* ------------------------------------------------------------ HEP */

static int
hep_connect(const char *spec)
{
    SlAddr a;
    struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *res = NULL;
    g_autofree char *host = NULL, *port = NULL;
    if (sl_addr_parse(spec, &a) && a.port) {
        char ip[SL_ADDR_IP_STRLEN];
        host = g_strdup(sl_addr_ip_str(&a, ip));
        port = g_strdup_printf("%u", a.port);
    } else {
        const char *colon = strrchr(spec, ':');
        if (!colon)
            return -1;
        host = g_strndup(spec, (gsize)(colon - spec));
        port = g_strdup(colon + 1);
    }
    if (getaddrinfo(host, port, &hints, &res) != 0)
        return -1;
    int fd = socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

static void
on_message(const CorrLoadFile *file, const SipFound *f, gpointer user)
{
    Capture *c = user;
    if (c->hep_fd < 0)
        return;
    CapHep h = { 0 };
    h.src = f->pkt->src;
    h.dst = f->pkt->dst;
    h.ip_proto = f->pkt->transport == CAP_TRANSPORT_TCP    ? 6
               : f->pkt->transport == CAP_TRANSPORT_SCTP ? 132
                                                           : 17;
    h.ts = f->pkt->ts;
    h.has_ts = true;
    h.capture_id = (uint32_t)c->hep_id;
    h.payload_type = CAP_HEP_TYPE_SIP;
    if (c->hep_key)
        h.auth_key = sl_view_from_str(c->hep_key);
    h.payload = f->msg->raw;
    g_autoptr(GBytes) b = cap_hep_encode(&h);
    gsize n = 0;
    const void *p = b ? g_bytes_get_data(b, &n) : NULL;
    /* a connected UDP socket reports an earlier datagram's ICMP error on
     * the next send, which then did not go out: send it again once */
    ssize_t r = p ? send(c->hep_fd, p, n, 0) : -1;
    if (r < 0 && p && errno == ECONNREFUSED)
        r = send(c->hep_fd, p, n, 0);
    if (r == (ssize_t)n)
        c->hep_sent++;
    else
        c->hep_failed++;
}

/* ------------------------------------------------------------ calls */

static void
print_call(Capture *c, CorrCall *call)
{
    if (!cli_where_match(call))
        return; /* --where: not one of those asked for */
    char t[SL_TIME_STRLEN];
    sl_time_format(call->start, t);
    const char *callid = call->legs->len ? ((CorrLeg *)g_ptr_array_index(call->legs, 0))->call_id
                                         : "";
    if (c->json) {
        g_autoptr(JsonBuilder) jb = json_builder_new();
        json_builder_begin_object(jb);
        json_builder_set_member_name(jb, "kind");
        json_builder_add_string_value(jb, corr_kind_name(call->kind));
        json_builder_set_member_name(jb, "start");
        json_builder_add_string_value(jb, t);
        json_builder_set_member_name(jb, "caller");
        json_builder_add_string_value(jb, call->caller ? call->caller : "");
        json_builder_set_member_name(jb, "callee");
        json_builder_add_string_value(jb, call->callee ? call->callee : "");
        json_builder_set_member_name(jb, "state");
        json_builder_add_string_value(jb, call->kind == CORR_KIND_CALL ? corr_state_name(call->state)
                                                                       : "done");
        json_builder_set_member_name(jb, "state_code");
        json_builder_add_int_value(jb, call->kind == CORR_KIND_CALL ? call->state_code
                                                                    : call->result);
        json_builder_set_member_name(jb, "duration_s");
        if (call->duration_s >= 0)
            json_builder_add_double_value(jb, call->duration_s);
        else
            json_builder_add_null_value(jb);
        json_builder_set_member_name(jb, "legs");
        json_builder_add_int_value(jb, call->legs->len);
        json_builder_set_member_name(jb, "messages");
        json_builder_add_int_value(jb, call->msgs->len);
        json_builder_set_member_name(jb, "call_id");
        json_builder_add_string_value(jb, callid ? callid : "");
        json_builder_end_object(jb);
        g_autoptr(JsonNode) root = json_builder_get_root(jb);
        g_autofree char *line = json_to_string(root, FALSE);
        printf("%s\n", line);
    } else {
        printf("%s %-12s %-16s -> %-16s %-12s legs %u msgs %-4u %s\n", t,
               corr_kind_name(call->kind), call->caller ? call->caller : "-",
               call->callee ? call->callee : "-",
               call->kind == CORR_KIND_CALL ? corr_state_name(call->state) : "done",
               call->legs->len, call->msgs->len, callid ? callid : "");
    }
    fflush(stdout);
    c->calls_printed++;
}

/* A call is done when every leg has ended. */
static bool
call_done(const CorrCall *call)
{
    if (call->dead || call->legs->len == 0)
        return false;
    for (guint i = 0; i < call->legs->len; i++)
        if (!((const CorrLeg *)g_ptr_array_index(call->legs, i))->ended)
            return false;
    return true;
}

/* A done call waits in @pending until PRINT_DELAY of capture time has
 * passed after its last message: the other hops of a proxied BYE and its
 * answers, and a B2BUA's other leg, arrive within it. */
#define PRINT_DELAY (SL_TIME_SECOND / 2)

static void
on_event(CorrEventType type, CorrCall *call, const CorrMsg *msg, gpointer user)
{
    Capture *c = user;
    if (type == CORR_EVENT_CALL_MERGED && call) {
        g_hash_table_remove(c->pending, call);
        return;
    }
    if (type != CORR_EVENT_CALL_CHANGED || !call || g_hash_table_contains(c->printed, call))
        return;
    if (call_done(call))
        g_hash_table_add(c->pending, call);
    else
        g_hash_table_remove(c->pending, call);
}

static void
on_evict(CorrCall *call, gpointer user)
{
    Capture *c = user;
    g_hash_table_remove(c->pending, call);
    if (!g_hash_table_remove(c->printed, call))
        print_call(c, call);
}

/* Prints the pending calls whose last message is PRINT_DELAY old at @now. */
static void
print_ready(Capture *c, SlTime now)
{
    GHashTableIter it;
    gpointer k;
    g_hash_table_iter_init(&it, c->pending);
    while (g_hash_table_iter_next(&it, &k, NULL)) {
        CorrCall *call = k;
        const CorrMsg *last = call->msgs->len ? g_ptr_array_index(call->msgs, call->msgs->len - 1)
                                              : NULL;
        if (last && now - last->ts < PRINT_DELAY)
            continue;
        g_hash_table_iter_remove(&it);
        corr_engine_update_call(c->engine, call);
        g_hash_table_add(c->printed, call);
        print_call(c, call);
    }
    /* more printed calls in memory than asked: forget the oldest */
    if (c->max_calls > 0 && g_hash_table_size(c->printed) > (guint)c->max_calls)
        corr_engine_evict(c->engine, (guint)c->max_calls, on_evict, c);
}

/* A quiet line: capture time goes on as wall time does. */
static void
on_idle(double quiet_s, gpointer user)
{
    Capture *c = user;
    if (g_hash_table_size(c->pending) && c->last_ts)
        print_ready(c, c->last_ts + (SlTime)(quiet_s * 1e9));
}

static void
on_packet(const CorrLoadFile *file, const CapPacket *pkt, gpointer user)
{
    Capture *c = user;
    if (pkt->ts > c->last_ts)
        c->last_ts = pkt->ts;
    if (g_hash_table_size(c->pending))
        print_ready(c, pkt->ts);
    /* now and then, forget what is finished and printed */
    if (c->max_calls > 0 && ++c->packets % 4096 == 0)
        corr_engine_evict(c->engine, (guint)c->max_calls, on_evict, c);
}

/* ------------------------------------------------------------ command */

int
cli_cmd_capture(int argc, char **argv)
{
    Capture c = { .max_calls = 10000, .hep_fd = -1, .hep_id = 1 };
    g_auto(GStrv) files = NULL;
    GOptionEntry entries[] = {
        { "write", 'w', 0, G_OPTION_ARG_FILENAME, &c.write, "Write the captured packets to FILE (pcap)", "FILE" },
        { "rotate", 0, 0, G_OPTION_ARG_STRING, &c.rotate, "With -w: a new file every SIZE (100M, 1G) or SECONDS (60s, 10m, 1h)", "SIZE|TIME" },
        { "hep-send", 0, 0, G_OPTION_ARG_STRING, &c.hep_send, "Send every SIP message as HEPv3 over UDP to HOST:PORT", "HOST:PORT" },
        { "hep-id", 0, 0, G_OPTION_ARG_INT, &c.hep_id, "HEP capture agent id (default 1)", "N" },
        { "hep-key", 0, 0, G_OPTION_ARG_STRING, &c.hep_key, "HEP authentication key", "KEY" },
        { "max-calls", 0, 0, G_OPTION_ARG_INT, &c.max_calls, "Finished calls kept in memory (default 10000; 0: all)", "N" },
        { "json", 'j', 0, G_OPTION_ARG_NONE, &c.json, "One JSON object per finished call", NULL },
        cli_where_entries()[0],
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "[FILE...]" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) oc = g_option_context_new("- capture and print calls as they complete");
    g_option_context_add_main_entries(oc, entries, NULL);
    g_option_context_add_main_entries(oc, cli_input_entries(), NULL);
    g_option_context_set_description(oc,
        "Captures on an interface (-i, through the sipladder-capture helper) or\n"
        "receives HEP (--hep-listen), or replays files, and prints one line per\n"
        "call as it completes (then the calls still open). -w writes the packets\n"
        "(from a HEP source: the packets HEP carried, with their addresses,\n"
        "ports and times). --hep-send forwards the SIP to a HOMER collector.\n"
        "Exit status: 0 success, 1 capture or input error, 2 bad usage.");
    g_autoptr(GError) error = NULL;
    int status = CLI_EXIT_USAGE;
    if (!g_option_context_parse(oc, &argc, &argv, &error)) {
        g_printerr("sipladder-cli capture: %s\n", error->message);
        goto out;
    }
    if ((status = cli_input_check(files, "capture")) != CLI_EXIT_OK)
        goto out;
    status = CLI_EXIT_USAGE;
    if (c.rotate && !c.write) {
        g_printerr("sipladder-cli capture: --rotate needs -w FILE\n");
        goto out;
    }
    if (!parse_rotate(&c)) {
        g_printerr("sipladder-cli capture: --rotate '%s': give a size (100M) or a time (60s)\n",
                   c.rotate);
        goto out;
    }
    if (c.max_calls < 0 || c.hep_id < 0) {
        g_printerr("sipladder-cli capture: --max-calls and --hep-id must not be negative\n");
        goto out;
    }
    if (c.hep_send && (c.hep_fd = hep_connect(c.hep_send)) < 0) {
        g_printerr("sipladder-cli capture: --hep-send '%s': not an address and port to send "
                   "to\n",
                   c.hep_send);
        goto out;
    }
    c.engine = corr_engine_new(NULL);
    c.printed = g_hash_table_new(NULL, NULL);
    c.pending = g_hash_table_new(NULL, NULL);
    corr_engine_subscribe(c.engine, on_event, &c);
    CorrLoadOptions o;
    corr_load_options_init(&o);
    o.engine = c.engine;
    o.frame_func = on_frame;
    o.message_func = on_message;
    o.packet_func = on_packet;
    o.idle_func = on_idle;
    cli_input_set_idle(250);
    o.user_data = &c;
    c.status = CLI_EXIT_OK;
    int st;
    CorrLoad *l = cli_load(files, &o, &st);
    dump_close(&c);
    /* what is left: calls not finished, or finished at the very end */
    GPtrArray *calls = corr_engine_calls(c.engine);
    for (guint i = 0; i < calls->len; i++) {
        CorrCall *call = g_ptr_array_index(calls, i);
        if (!g_hash_table_contains(c.printed, call))
            print_call(&c, call);
    }
    g_printerr("sipladder-cli capture: %u calls and entries printed, %u evicted from memory",
               c.calls_printed, corr_engine_evicted(c.engine));
    if (c.write)
        g_printerr(", %" G_GUINT64_FORMAT " packets written to %u file%s", c.written, c.file_no,
                   c.file_no == 1 ? "" : "s");
    if (c.skipped_link)
        g_printerr(" (%" G_GUINT64_FORMAT " of another link type not written)", c.skipped_link);
    if (c.hep_fd >= 0)
        g_printerr(", %" G_GUINT64_FORMAT " SIP messages sent as HEP (%" G_GUINT64_FORMAT
                   " failed)",
                   c.hep_sent, c.hep_failed);
    g_printerr("\n");
    corr_load_free(l);
    g_hash_table_destroy(c.printed);
    g_hash_table_destroy(c.pending);
    corr_engine_free(c.engine);
    status = st != CLI_EXIT_OK ? st : c.status;
    if (c.hep_failed)
        status = CLI_EXIT_INPUT;
out:
    if (c.hep_fd >= 0)
        close(c.hep_fd);
    g_free(c.write);
    g_free(c.rotate);
    g_free(c.hep_send);
    g_free(c.hep_key);
    return status;
}
