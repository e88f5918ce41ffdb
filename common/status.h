/* sipladder: parser outcomes, the SlError record and the I/O error domain. */
#pragma once

#include <glib.h>
#include <stddef.h>

G_BEGIN_DECLS

/* Outcome of every parser (STYLE.md section 4). */
typedef enum {
    SL_OK = 0,
    SL_ERR_NOT_MINE,  /* not this protocol: try the next parser */
    SL_ERR_NEED_MORE, /* stream transport, incomplete: keep bytes, wait */
    SL_ERR_TRUNCATED, /* capture ended early: partial result kept */
    SL_ERR_MALFORMED, /* violates the grammar: what parsed is kept */
    SL_ERR_LIMIT,     /* a configured bound was hit */
} SlStatus;

/* A parser's first problem: status, byte offset into the parsed unit and a
 * static message. Filling it never allocates. */
typedef struct {
    SlStatus status;
    size_t offset;
    const char *msg; /* static string, never freed */
} SlError;

/* Record the first error only (later ones are usually consequences). Returns
 * @status so that callers can write `return sl_error_set(...)`. @err may be
 * NULL. */
SlStatus sl_error_set(SlError *err, SlStatus status, size_t offset, const char *msg);

/* A short lower-case name ("ok", "malformed"...); static. */
const char *sl_status_name(SlStatus status);

/* "Cannot happen, but survive it": asserts in debug builds, evaluates to the
 * condition in release builds so the caller can recover. */
#ifdef NDEBUG
#define SL_NEVER(cond) (G_UNLIKELY(cond))
#else
#define SL_NEVER(cond) (G_UNLIKELY(cond) ? sl_never_reached(__FILE__, __LINE__, #cond) : FALSE)
#endif
/* Aborts with the condition's text (debug builds' SL_NEVER). */
gboolean sl_never_reached(const char *file, int line, const char *cond);

/* GError domain for I/O and user-facing boundaries. */
#define SL_IO_ERROR (sl_io_error_quark())
GQuark sl_io_error_quark(void);

typedef enum {
    SL_IO_ERROR_OPEN,      /* cannot open: missing, permission, directory */
    SL_IO_ERROR_FORMAT,    /* not a capture file, unknown format */
    SL_IO_ERROR_TRUNCATED, /* file ends in the middle of a record */
    SL_IO_ERROR_READ,      /* other read failure */
    SL_IO_ERROR_WRITE,     /* export or output failure */
} SlIoError;

G_END_DECLS
