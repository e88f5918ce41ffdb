/* sipladder: SlView, a bounded read-only window over bytes.
 *
 * Every parser in sipladder reads packet bytes through an SlView. Only
 * view.c indexes raw pointers; the helpers below never read outside
 * [p, p + len). Consuming helpers advance the view only on success. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef struct {
    const uint8_t *p;
    size_t len;
} SlView;

#define SL_VIEW_EMPTY ((SlView){ NULL, 0 })

/* The smallest helpers are inline: they run for every byte of every
 * message. They are part of the view module and bound-checked all the same. */

/* A view over @len bytes at @p (borrowed). */
static inline SlView
sl_view_make(const void *p, size_t len)
{
    SlView v = { (const uint8_t *)p, p ? len : 0 };
    return v;
}
/* A view over a NUL-terminated string, without the NUL (borrowed). */
SlView sl_view_from_str(const char *s);

static inline bool sl_view_is_empty(SlView v) { return v.len == 0; }

/* --- Binary reads: false when too short, view unchanged. --- */
static inline bool
sl_view_skip(SlView *v, size_t n)
{
    if (v->len < n)
        return false;
    v->p += n;
    v->len -= n;
    return true;
}

static inline bool
sl_view_u8(SlView *v, uint8_t *out)
{
    if (v->len < 1)
        return false;
    *out = v->p[0];
    return sl_view_skip(v, 1);
}

static inline bool
sl_view_be16(SlView *v, uint16_t *out)
{
    if (v->len < 2)
        return false;
    *out = (uint16_t)((v->p[0] << 8) | v->p[1]);
    return sl_view_skip(v, 2);
}

static inline bool
sl_view_be32(SlView *v, uint32_t *out)
{
    if (v->len < 4)
        return false;
    *out = ((uint32_t)v->p[0] << 24) | ((uint32_t)v->p[1] << 16) | ((uint32_t)v->p[2] << 8) |
           v->p[3];
    return sl_view_skip(v, 4);
}

bool sl_view_le16(SlView *v, uint16_t *out);
bool sl_view_le32(SlView *v, uint32_t *out);
/* Move the first @n bytes into @out (a sub-view) and advance. */
bool sl_view_take(SlView *v, size_t n, SlView *out);
/* Copy @n bytes out and advance. */
bool sl_view_copy(SlView *v, void *dst, size_t n);

/* Byte at @off without consuming; false when out of range. */
bool sl_view_peek_u8(SlView v, size_t off, uint8_t *out);
/* Byte at @off or -1 when out of range. */
static inline int
sl_view_at(SlView v, size_t off)
{
    return off < v.len ? v.p[off] : -1;
}

/* Sub-view [off, off+n) clamped to the view. */
static inline SlView
sl_view_sub(SlView v, size_t off, size_t n)
{
    if (off >= v.len)
        return sl_view_make(v.p ? v.p + v.len : NULL, 0);
    if (n > v.len - off)
        n = v.len - off;
    return sl_view_make(v.p + off, n);
}

/* Everything from @off on (empty when off >= len). */
static inline SlView
sl_view_tail(SlView v, size_t off)
{
    return sl_view_sub(v, off, SIZE_MAX);
}

/* ASCII lower case without a function call or the locale. */
static inline int
sl_ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}
/* Offset of @inner inside @outer (inner must be a sub-view of outer). */
size_t sl_view_offset(SlView outer, SlView inner);

/* --- Text helpers. --- */

/* One line up to CRLF or bare LF; @line excludes the terminator. Sets
 * *@bare_lf (may be NULL) when the line ended with LF alone. Returns false
 * when no terminator is found (view unchanged). */
bool sl_view_line(SlView *v, SlView *line, bool *bare_lf);
/* Strip SP, HTAB, CR and LF from both ends (header folding is LWS). */
SlView sl_view_trim(SlView v);
SlView sl_view_trim_left(SlView v);
SlView sl_view_trim_right(SlView v);
bool sl_view_eq(SlView a, SlView b);
bool sl_view_ieq(SlView a, SlView b);                 /* ASCII case-insensitive */
bool sl_view_eq_str(SlView v, const char *s);
bool sl_view_ieq_str(SlView v, const char *s);
bool sl_view_has_prefix(SlView v, const char *s);
bool sl_view_ihas_prefix(SlView v, const char *s);
/* First position of @c, or false. */
bool sl_view_find_u8(SlView v, uint8_t c, size_t *pos);
/* First position of the byte string @needle (length @n), or false. */
bool sl_view_find(SlView v, const void *needle, size_t n, size_t *pos);
/* Case-insensitive search for an ASCII string. */
bool sl_view_ifind_str(SlView v, const char *needle, size_t *pos);
/* Split at the first @c: @before excludes it, @after follows it. When @c
 * is absent, @before is the whole view, @after is empty, result false. */
bool sl_view_split_u8(SlView v, uint8_t c, SlView *before, SlView *after);
/* Consume leading bytes while they are SP/HTAB/CR/LF. */
void sl_view_skip_ws(SlView *v);
/* Consume a run of bytes for which @pred is true; returns it. */
SlView sl_view_take_while(SlView *v, gboolean (*pred)(gchar c));
/* Consume a SIP token (RFC 3261 section 25.1 `token`). */
SlView sl_view_take_token(SlView *v);
bool sl_view_is_token(SlView v);

/* The number helper for CSeq, Content-Length, ports and status codes:
 * decimal digits only (surrounding LWS allowed), not empty, at most
 * @max_digits digits, value <= @max. False on anything else; *out
 * untouched. */
bool sl_view_parse_uint(SlView v, unsigned max_digits, uint64_t max, uint64_t *out);

/* Copies (caller owns, g_free): NUL-terminated; embedded NULs are kept in
 * the buffer, so use the length for binary content. */
char *sl_view_dup(SlView v);
/* Printable copy for display: control bytes and non-UTF-8 become '?',
 * at most @max bytes (0 = no limit). Caller owns. */
char *sl_view_dup_printable(SlView v, size_t max);

/* A GHashTable-friendly hash over the bytes. */
guint sl_view_hash(SlView v);

G_END_DECLS
