/* sipladder-cli: where the analysis commands read from. Capture files by
 * default; with -i IFACE a live interface (through the capture helper),
 * with --hep-listen ADDR:PORT a HEP collector, stopped by --duration,
 * --count or Ctrl+C, after which the command prints the same output it
 * gives for a file. --tls-keylog decrypts SIP over TLS in any of them. */
#include <signal.h>
#include <string.h>

#include "cli.h"

static struct {
    char *iface;
    char *hep_listen;
    char *filter;
    double duration;
    gint64 count;
    char *tls_keylog;
} input;

static volatile int stop_flag;
static CapSource *live_source;
static unsigned idle_ms;
static const char *command = "sipladder-cli";

void
cli_input_set_command(const char *name)
{
    command = name;
}

void
cli_input_set_idle(unsigned ms)
{
    idle_ms = ms;
}

static const GOptionEntry entries[] = {
    { "interface", 'i', 0, G_OPTION_ARG_STRING, &input.iface,
      "Capture live on IFACE instead of reading files", "IFACE" },
    { "hep-listen", 0, 0, G_OPTION_ARG_STRING, &input.hep_listen,
      "Receive HEP (v1-v3, UDP and TCP) on ADDR:PORT instead of reading files", "ADDR:PORT" },
    { "filter", 'F', 0, G_OPTION_ARG_STRING, &input.filter,
      "Live capture filter (BPF, as tcpdump)", "EXPR" },
    { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &input.duration,
      "Live: stop after S seconds (default: Ctrl+C)", "S" },
    { "count", 0, 0, G_OPTION_ARG_INT64, &input.count, "Live: stop after N packets", "N" },
    { "tls-keylog", 0, 0, G_OPTION_ARG_FILENAME, &input.tls_keylog,
      "Decrypt SIP over TLS with this key log (NSS format, SSLKEYLOGFILE)", "FILE" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
};

/* The entries above and --limit. */
static GOptionEntry all_entries[G_N_ELEMENTS(entries) + 1];

const GOptionEntry *
cli_input_entries(void)
{
    if (all_entries[0].long_name == NULL) {
        memcpy(all_entries, entries, sizeof entries - sizeof entries[0]);
        all_entries[G_N_ELEMENTS(entries) - 1] = cli_limit_entries()[0];
    }
    return all_entries;
}

bool
cli_input_is_live(void)
{
    return input.iface || input.hep_listen;
}

int
cli_input_check(char **files, const char *cmd)
{
    int limits_ok = cli_limits_check(cmd);
    if (limits_ok != CLI_EXIT_OK)
        return limits_ok;
    bool have_files = files && files[0];
    if (input.iface && input.hep_listen) {
        g_printerr("sipladder-cli %s: -i and --hep-listen exclude each other\n", cmd);
        return CLI_EXIT_USAGE;
    }
    if (cli_input_is_live() && have_files) {
        g_printerr("sipladder-cli %s: give capture files or a live source, not both\n", cmd);
        return CLI_EXIT_USAGE;
    }
    if (!cli_input_is_live() && !have_files) {
        g_printerr("sipladder-cli %s: no capture file given (see --help)\n", cmd);
        return CLI_EXIT_USAGE;
    }
    if (!cli_input_is_live() && (input.filter || input.duration > 0 || input.count > 0)) {
        g_printerr("sipladder-cli %s: --filter, --duration and --count need -i or "
                   "--hep-listen\n",
                   cmd);
        return CLI_EXIT_USAGE;
    }
    if (input.duration < 0 || input.count < 0) {
        g_printerr("sipladder-cli %s: --duration and --count must not be negative\n", cmd);
        return CLI_EXIT_USAGE;
    }
    return cli_tls_keylog_load(input.tls_keylog, cmd);
}

static void
on_interrupt(int sig)
{
    (void)sig;
    stop_flag = 1;
    if (live_source)
        cap_source_stop(live_source); /* sets a flag or signals the helper */
}

CapSource *
cli_input_open_live(int *status)
{
    CapLiveOptions lo = { .duration_s = input.duration,
                          .max_frames = (uint64_t)input.count,
                          .stop = &stop_flag,
                          .filter = input.filter,
                          .idle_ms = idle_ms };
    g_autoptr(GError) error = NULL;
    CapSource *src = input.iface ? cap_source_open_live(input.iface, &lo, &error)
                                 : cap_source_open_hep(input.hep_listen, &lo, &error);
    if (!src) {
        g_printerr("sipladder-cli %s: %s\n", command, error->message);
        *status = CLI_EXIT_INPUT;
        return NULL;
    }
    live_source = src;
    struct sigaction sa = { .sa_handler = on_interrupt, .sa_flags = SA_RESTART };
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    g_printerr("sipladder-cli: reading %s%s (Ctrl+C stops)\n", src->name,
               input.duration > 0 ? " for the given duration" : "");
    return src;
}

void
cli_input_close_live(CapSource *src)
{
    if (!src)
        return;
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    live_source = NULL;
    CapSourceStats st;
    cap_source_stats(src, &st);
    if (st.has_kernel)
        g_printerr("sipladder-cli: %s: %" G_GUINT64_FORMAT " packets captured, kernel received %"
                   G_GUINT64_FORMAT ", dropped %" G_GUINT64_FORMAT " (interface %" G_GUINT64_FORMAT
                   "), dropped by sipladder %" G_GUINT64_FORMAT "\n",
                   src->name, src->frames, st.kernel_received, st.kernel_dropped,
                   st.iface_dropped, st.queue_dropped);
    else
        g_printerr("sipladder-cli: %s: %" G_GUINT64_FORMAT " packets, %" G_GUINT64_FORMAT
                   " malformed HEP dropped, %" G_GUINT64_FORMAT " of other types ignored\n",
                   src->name, src->frames, st.malformed, st.ignored);
    cap_source_free(src);
}

CorrLoad *
cli_load(char **files, CorrLoadOptions *o, int *status)
{
    o->tls_keylog = cli_tls_keylog();
    o->limits = cli_limits();
    if (!o->warn_func)
        o->warn_func = cli_load_warn;
    if (!cli_input_is_live()) {
        CorrLoad *l = corr_load_files(files, o);
        *status = corr_load_complete(l) ? CLI_EXIT_OK : CLI_EXIT_INPUT;
        cli_limits_record(l);
        return l;
    }
    CapSource *src = cli_input_open_live(status);
    if (!src) {
        /* an empty result, so that callers print an empty listing */
        char *none[] = { NULL };
        return corr_load_files(none, o);
    }
    CorrLoad *l = corr_load_source(src, o);
    *status = corr_load_complete(l) ? CLI_EXIT_OK : CLI_EXIT_INPUT;
    cli_limits_record(l);
    cli_input_close_live(src);
    return l;
}
