/* sipladder: parser outcomes and the I/O error domain. */
#include "status.h"

SlStatus
sl_error_set(SlError *err, SlStatus status, size_t offset, const char *msg)
{
    if (err != NULL && err->status == SL_OK) {
        err->status = status;
        err->offset = offset;
        err->msg = msg;
    }
    return status;
}

const char *
sl_status_name(SlStatus status)
{
    switch (status) {
    case SL_OK: return "ok";
    case SL_ERR_NOT_MINE: return "not-mine";
    case SL_ERR_NEED_MORE: return "need-more";
    case SL_ERR_TRUNCATED: return "truncated";
    case SL_ERR_MALFORMED: return "malformed";
    case SL_ERR_LIMIT: return "limit";
    }
    return "unknown";
}

G_DEFINE_QUARK(sl-io-error-quark, sl_io_error)

gboolean
sl_never_reached(const char *file, int line, const char *cond)
{
    g_error("%s:%d: cannot happen: %s", file, line, cond);
    return TRUE;
}
