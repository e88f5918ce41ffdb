/* sipladder GUI: saving calls as a new capture: the frames of their SIP
 * messages and of their RTP, copied from the original files into a pcap. */
#pragma once

#include <gio/gio.h>
#include <stdbool.h>

#include "corr.h"

G_BEGIN_DECLS

typedef struct UiSaveSpec UiSaveSpec;

/* What to copy from @source (copied): nothing yet. Caller owns. */
UiSaveSpec *ui_save_spec_new(const char *source);
/* The same from @sources (NULL-terminated, copied), read as one capture
 * as corr_load_files() reads them (CorrMsg.file indexes them). */
UiSaveSpec *ui_save_spec_new_files(const char *const *sources);
void ui_save_spec_free(UiSaveSpec *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UiSaveSpec, ui_save_spec_free)
/* Adds every message frame of @call and, for each RTP stream bound to it,
 * the packets of that stream (source, destination and SSRC) between its
 * first and last packet's times. Copies what it needs: @call may go afterwards. */
void ui_save_spec_add_call(UiSaveSpec *s, const CorrCall *call);
guint ui_save_spec_n_frames(const UiSaveSpec *s); /* SIP frames so far */

/* Re-reads the sources (merged by time) and writes the chosen frames to
 * @dest as pcap
 * (nanosecond timestamps, the link type of the first frame written;
 * frames of another link type are skipped and counted in the message).
 * *@written gets the frame count. The async form runs it on a worker
 * thread and takes @s. */
bool ui_save_spec_write(const UiSaveSpec *s, const char *dest, guint64 *written, GError **error);
void ui_save_spec_write_async(UiSaveSpec *s, const char *dest, GCancellable *cancel,
                              GAsyncReadyCallback done, gpointer user_data);
/* The frame count, or -1 with @error set. */
gint64 ui_save_spec_write_finish(GAsyncResult *res, GError **error);

G_END_DECLS
