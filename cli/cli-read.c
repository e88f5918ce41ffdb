/* sipladder-cli: reading capture files through the core loader
 * (correlate/corr-load.h), its warnings printed on stderr. */
#include "cli.h"

typedef struct {
    CliMessageFunc msg_func;
    CliPacketFunc pkt_func;
    gpointer user;
} ReadCtx;

void
cli_load_warn(CorrLoadWarnKind kind, const char *file, uint64_t frame, const char *text,
              gpointer user)
{
    bool prefixed = kind == CORR_LOAD_WARN_READ || kind == CORR_LOAD_WARN_LINK ||
                    kind == CORR_LOAD_WARN_SNAPLEN || kind == CORR_LOAD_WARN_LIMIT;
    g_printerr("sipladder-cli: %s%s\n", prefixed ? "warning: " : "", text);
}

static void
on_message(const CorrLoadFile *file, const SipFound *f, gpointer user)
{
    ReadCtx *rc = user;
    rc->msg_func(file->file, f, rc->user);
}

static void
on_packet(const CorrLoadFile *file, const CapPacket *pkt, gpointer user)
{
    ReadCtx *rc = user;
    rc->pkt_func(file, pkt, rc->user);
}

int
cli_read_files(char **files, CliMessageFunc func, gpointer user)
{
    return cli_read_files_packets(files, func, NULL, user);
}

int
cli_read_files_packets(char **files, CliMessageFunc msg_func, CliPacketFunc pkt_func,
                       gpointer user)
{
    ReadCtx rc = { msg_func, pkt_func, user };
    CorrLoadOptions o;
    corr_load_options_init(&o);
    o.message_func = msg_func ? on_message : NULL;
    o.packet_func = pkt_func ? on_packet : NULL;
    o.user_data = &rc;
    int status;
    g_autoptr(CorrLoad) l = cli_load(files, &o, &status);
    return status;
}
