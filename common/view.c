/* sipladder: SlView, bounded reads over bytes. The only file that indexes
 * raw pointers of packet data. */
#include "view.h"

#include <string.h>

SlView
sl_view_from_str(const char *s)
{
    return sl_view_make(s, s ? strlen(s) : 0);
}

bool
sl_view_le16(SlView *v, uint16_t *out)
{
    if (v->len < 2)
        return false;
    *out = (uint16_t)(v->p[0] | (v->p[1] << 8));
    v->p += 2;
    v->len -= 2;
    return true;
}

bool
sl_view_le32(SlView *v, uint32_t *out)
{
    if (v->len < 4)
        return false;
    *out = ((uint32_t)v->p[3] << 24) | ((uint32_t)v->p[2] << 16) |
           ((uint32_t)v->p[1] << 8) | v->p[0];
    v->p += 4;
    v->len -= 4;
    return true;
}

bool
sl_view_take(SlView *v, size_t n, SlView *out)
{
    if (v->len < n)
        return false;
    out->p = v->p;
    out->len = n;
    v->p += n;
    v->len -= n;
    return true;
}

bool
sl_view_copy(SlView *v, void *dst, size_t n)
{
    if (v->len < n)
        return false;
    if (n)
        memcpy(dst, v->p, n);
    v->p += n;
    v->len -= n;
    return true;
}

bool
sl_view_peek_u8(SlView v, size_t off, uint8_t *out)
{
    if (off >= v.len)
        return false;
    *out = v.p[off];
    return true;
}

size_t
sl_view_offset(SlView outer, SlView inner)
{
    if (inner.p < outer.p || inner.p > outer.p + outer.len)
        return 0;
    return (size_t)(inner.p - outer.p);
}

bool
sl_view_line(SlView *v, SlView *line, bool *bare_lf)
{
    const uint8_t *nl = v->len ? memchr(v->p, '\n', v->len) : NULL;
    if (nl == NULL)
        return false;
    size_t end = (size_t)(nl - v->p);
    bool crlf = end > 0 && v->p[end - 1] == '\r';
    line->p = v->p;
    line->len = crlf ? end - 1 : end;
    if (bare_lf)
        *bare_lf = !crlf;
    v->p += end + 1;
    v->len -= end + 1;
    return true;
}

static inline bool
is_lws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

SlView
sl_view_trim_left(SlView v)
{
    while (v.len && is_lws(v.p[0])) {
        v.p++;
        v.len--;
    }
    return v;
}

SlView
sl_view_trim_right(SlView v)
{
    while (v.len && is_lws(v.p[v.len - 1]))
        v.len--;
    return v;
}

SlView
sl_view_trim(SlView v)
{
    return sl_view_trim_right(sl_view_trim_left(v));
}

bool
sl_view_eq(SlView a, SlView b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

bool
sl_view_ieq(SlView a, SlView b)
{
    if (a.len != b.len)
        return false;
    for (size_t i = 0; i < a.len; i++)
        if (sl_ascii_lower(a.p[i]) != sl_ascii_lower(b.p[i]))
            return false;
    return true;
}

bool
sl_view_eq_str(SlView v, const char *s)
{
    return sl_view_eq(v, sl_view_from_str(s));
}

bool
sl_view_ieq_str(SlView v, const char *s)
{
    return sl_view_ieq(v, sl_view_from_str(s));
}

bool
sl_view_has_prefix(SlView v, const char *s)
{
    size_t n = strlen(s);
    return v.len >= n && memcmp(v.p, s, n) == 0;
}

bool
sl_view_ihas_prefix(SlView v, const char *s)
{
    size_t n = strlen(s);
    return v.len >= n && sl_view_ieq(sl_view_make(v.p, n), sl_view_make(s, n));
}

bool
sl_view_find_u8(SlView v, uint8_t c, size_t *pos)
{
    const uint8_t *hit = v.len ? memchr(v.p, c, v.len) : NULL;
    if (hit == NULL)
        return false;
    *pos = (size_t)(hit - v.p);
    return true;
}

bool
sl_view_find(SlView v, const void *needle, size_t n, size_t *pos)
{
    if (n == 0) {
        *pos = 0;
        return true;
    }
    if (v.len < n)
        return false;
    const uint8_t *hit = memmem(v.p, v.len, needle, n);
    if (hit == NULL)
        return false;
    *pos = (size_t)(hit - v.p);
    return true;
}

bool
sl_view_ifind_str(SlView v, const char *needle, size_t *pos)
{
    size_t n = strlen(needle);
    if (n == 0) {
        *pos = 0;
        return true;
    }
    for (size_t i = 0; i + n <= v.len; i++) {
        if (sl_ascii_lower(v.p[i]) == sl_ascii_lower((guchar)needle[0]) &&
            sl_view_ieq(sl_view_make(v.p + i, n), sl_view_make(needle, n))) {
            *pos = i;
            return true;
        }
    }
    return false;
}

bool
sl_view_split_u8(SlView v, uint8_t c, SlView *before, SlView *after)
{
    size_t pos;
    if (!sl_view_find_u8(v, c, &pos)) {
        *before = v;
        *after = sl_view_make(v.p ? v.p + v.len : NULL, 0);
        return false;
    }
    *before = sl_view_make(v.p, pos);
    *after = sl_view_make(v.p + pos + 1, v.len - pos - 1);
    return true;
}

void
sl_view_skip_ws(SlView *v)
{
    *v = sl_view_trim_left(*v);
}

SlView
sl_view_take_while(SlView *v, gboolean (*pred)(gchar c))
{
    size_t n = 0;
    while (n < v->len && pred((gchar)v->p[n]))
        n++;
    SlView out = sl_view_make(v->p, n);
    v->p += n;
    v->len -= n;
    return out;
}

/* token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
 * (RFC 3261 section 25.1) */
static inline bool
is_token_char(uint8_t c)
{
    if (g_ascii_isalnum(c))
        return true;
    switch (c) {
    case '-': case '.': case '!': case '%': case '*':
    case '_': case '+': case '`': case '\'': case '~':
        return true;
    default:
        return false;
    }
}

SlView
sl_view_take_token(SlView *v)
{
    size_t n = 0;
    while (n < v->len && is_token_char(v->p[n]))
        n++;
    SlView out = sl_view_make(v->p, n);
    v->p += n;
    v->len -= n;
    return out;
}

bool
sl_view_is_token(SlView v)
{
    if (v.len == 0)
        return false;
    for (size_t i = 0; i < v.len; i++)
        if (!is_token_char(v.p[i]))
            return false;
    return true;
}

bool
sl_view_parse_uint(SlView v, unsigned max_digits, uint64_t max, uint64_t *out)
{
    v = sl_view_trim(v);
    if (v.len == 0 || v.len > max_digits || v.len > 19)
        return false;
    uint64_t value = 0;
    for (size_t i = 0; i < v.len; i++) {
        if (!g_ascii_isdigit(v.p[i]))
            return false;
        value = value * 10 + (uint64_t)(v.p[i] - '0');
    }
    if (value > max)
        return false;
    *out = value;
    return true;
}

char *
sl_view_dup(SlView v)
{
    char *s = g_malloc(v.len + 1);
    if (v.len)
        memcpy(s, v.p, v.len);
    s[v.len] = '\0';
    return s;
}

char *
sl_view_dup_printable(SlView v, size_t max)
{
    if (max && v.len > max)
        v.len = max;
    char *s = sl_view_dup(v);
    /* each invalid byte becomes '?', validation going on after it (never
     * from the start again: a long run of bad bytes stays linear) */
    const char *from = s, *end = NULL, *stop = s + v.len;
    while (from < stop && !g_utf8_validate(from, stop - from, &end)) {
        *(char *)end = '?';
        from = end + 1;
    }
    for (size_t i = 0; i < v.len; i++)
        if ((guchar)s[i] < 0x20 || s[i] == 0x7f)
            s[i] = (s[i] == '\t') ? ' ' : '?';
    return s;
}

guint
sl_view_hash(SlView v)
{
    /* FNV-1a */
    guint32 h = 2166136261u;
    for (size_t i = 0; i < v.len; i++) {
        h ^= v.p[i];
        h *= 16777619u;
    }
    return h;
}
