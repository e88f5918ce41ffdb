/* sipladder-cli: reading capture files through capture/ and dissect/. */
#include "cli.h"

#include "status.h"

typedef struct {
    const char *file;
    CliMessageFunc func;
    gpointer user;
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
    rc->func(rc->file, f, rc->user);
}

static int
read_one(const char *file, guint index, CliMessageFunc func, gpointer user)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(CapSource) src = cap_source_open_file(file, &error);
    if (src == NULL) {
        g_printerr("sipladder-cli: %s\n", error->message);
        return CLI_EXIT_INPUT;
    }
    src->id = index;
    ReadCtx rc = { .file = file, .func = func, .user = user };
    g_autoptr(SipDissector) sip = sip_dissector_new(NULL, on_message, &rc);
    g_autoptr(CapDecoder) dec = cap_decoder_new(NULL, sip_dissector_packet, sip);

    int status = CLI_EXIT_OK;
    CapFrame frame;
    CapReadResult r;
    while ((r = cap_source_next(src, &frame, &error)) == CAP_READ_FRAME)
        cap_decoder_feed(dec, &frame, src->id);
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
    int status = CLI_EXIT_OK;
    for (int i = 0; files[i]; i++)
        if (read_one(files[i], (guint)i, func, user) != CLI_EXIT_OK)
            status = CLI_EXIT_INPUT;
    return status;
}

