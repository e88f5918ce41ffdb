/* sipladder-cli: reading capture files through capture/ and dissect/. */
#include "cli.h"

#include "status.h"

typedef struct {
    const char *file;
    CliMessageFunc func;
    CliPacketFunc pkt_func; /* may be NULL */
    gpointer user;
    SipDissector *sip;
    CliFileInfo info;
    unsigned warnings;
    unsigned suppressed;
} ReadCtx;

static void
warn_message(ReadCtx *rc, const SipFound *f)
{
    if (f->status == SL_OK)
        return;
    if (rc->warnings >= CLI_MAX_WARNINGS) {
        rc->suppressed++;
        return;
    }
    rc->warnings++;
    const SlError *e = &f->msg->error;
    g_printerr("sipladder-cli: %s: frame %" G_GUINT64_FORMAT ": %s SIP message (%s at byte %zu)\n",
               rc->file, f->pkt->frame, sl_status_name(f->status), e->msg ? e->msg : "?",
               e->offset);
}

static void
on_message(const SipFound *f, gpointer user)
{
    ReadCtx *rc = user;
    warn_message(rc, f);
    if (rc->func)
        rc->func(rc->file, f, rc->user);
}

/* Every payload goes to the SIP dissector first (its messages may set up
 * media the packet callback expects), then to the packet callback. */
static void
on_packet(const CapPacket *pkt, gpointer user)
{
    ReadCtx *rc = user;
    sip_dissector_packet(pkt, rc->sip);
    if (rc->pkt_func)
        rc->pkt_func(&rc->info, pkt, rc->user);
}

static int
read_one(const char *file, guint index, CliMessageFunc func, CliPacketFunc pkt_func, gpointer user)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(CapSource) src = cap_source_open_file(file, &error);
    if (src == NULL) {
        g_printerr("sipladder-cli: %s\n", error->message);
        return CLI_EXIT_INPUT;
    }
    src->id = index;
    ReadCtx rc = { .file = file, .func = func, .pkt_func = pkt_func, .user = user };
    rc.info.file = file;
    rc.info.index = index;
    g_autoptr(SipDissector) sip = sip_dissector_new(NULL, on_message, &rc);
    rc.sip = sip;
    g_autoptr(CapDecoder) dec = cap_decoder_new(NULL, on_packet, &rc);

    int status = CLI_EXIT_OK;
    CapFrame frame;
    CapReadResult r;
    while ((r = cap_source_next(src, &frame, &error)) == CAP_READ_FRAME) {
        if (!rc.info.has_first_frame) {
            rc.info.first_frame_ts = frame.ts;
            rc.info.has_first_frame = true;
        }
        cap_decoder_feed(dec, &frame, src->id);
    }
    cap_decoder_finish(dec);
    if (r == CAP_READ_ERROR) {
        g_printerr("sipladder-cli: warning: %s; the messages up to frame %" G_GUINT64_FORMAT
                   " were read\n",
                   error->message, src->frames);
        status = CLI_EXIT_INPUT;
    }
    if (rc.suppressed)
        g_printerr("sipladder-cli: %s: %u more warnings not shown\n", file, rc.suppressed);
    const CapStats *cs = cap_decoder_stats(dec);
    if (cs->unsupported_link && cs->unsupported_link == cs->frames)
        g_printerr("sipladder-cli: warning: %s: link type not supported, no packet decoded\n",
                   file);
    return status;
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
    int status = CLI_EXIT_OK;
    for (int i = 0; files[i]; i++)
        if (read_one(files[i], (guint)i, msg_func, pkt_func, user) != CLI_EXIT_OK)
            status = CLI_EXIT_INPUT;
    return status;
}

