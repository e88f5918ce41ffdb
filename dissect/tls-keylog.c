/* sipladder: the NSS key log format (SSLKEYLOGFILE), as browsers, OpenSSL's
 * keylog callback and GnuTLS write it:
 *   line   = label SP client-random-hex SP secret-hex [CR] LF
 *   label  = "CLIENT_RANDOM" / "CLIENT_HANDSHAKE_TRAFFIC_SECRET" /
 *            "SERVER_HANDSHAKE_TRAFFIC_SECRET" / "CLIENT_TRAFFIC_SECRET_0" /
 *            "SERVER_TRAFFIC_SECRET_0" / other labels (skipped)
 *   client-random-hex = 64HEXDIG; secret-hex = 2*128HEXDIG (48 bytes for
 *   CLIENT_RANDOM); lines starting with '#' are comments. */
#include <string.h>

#include "tls-private.h"

#define KEYLOG_MAX_FILE (64u << 20)

struct TlsKeyLog {
    gint refs;
    GHashTable *by_random; /* uint8_t[32] (in the value) -> TlsSecrets* */
    guint bad_lines;
    guint dropped;
};

static const struct {
    const char *label;
    TlsSecretKind kind;
} labels[] = {
    { "CLIENT_RANDOM", TLS_SECRET_MASTER },
    { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", TLS_SECRET_CLIENT_HS },
    { "SERVER_HANDSHAKE_TRAFFIC_SECRET", TLS_SECRET_SERVER_HS },
    { "CLIENT_TRAFFIC_SECRET_0", TLS_SECRET_CLIENT_AP0 },
    { "SERVER_TRAFFIC_SECRET_0", TLS_SECRET_SERVER_AP0 },
};

static guint
random_hash(gconstpointer p)
{
    guint h;
    memcpy(&h, p, sizeof h); /* the client random is random */
    return h;
}

static gboolean
random_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, TLS_RANDOM_LEN) == 0;
}

TlsKeyLog *
tls_keylog_new(void)
{
    TlsKeyLog *k = g_new0(TlsKeyLog, 1);
    k->refs = 1;
    k->by_random = g_hash_table_new_full(random_hash, random_equal, NULL, g_free);
    return k;
}

TlsKeyLog *
tls_keylog_ref(TlsKeyLog *k)
{
    g_return_val_if_fail(k != NULL, NULL);
    g_atomic_int_inc(&k->refs);
    return k;
}

void
tls_keylog_unref(TlsKeyLog *k)
{
    if (k && g_atomic_int_dec_and_test(&k->refs)) {
        g_hash_table_destroy(k->by_random);
        g_free(k);
    }
}

guint
tls_keylog_sessions(const TlsKeyLog *k)
{
    return g_hash_table_size(k->by_random);
}

guint
tls_keylog_bad_lines(const TlsKeyLog *k)
{
    return k->bad_lines;
}

const TlsSecrets *
tls_keylog_lookup(const TlsKeyLog *k, const uint8_t client_random[32])
{
    return k ? g_hash_table_lookup(k->by_random, client_random) : NULL;
}

/* Decodes exactly @n bytes of hex filling the whole view. */
static bool
hex_decode(SlView v, uint8_t *out, size_t n)
{
    if (v.len != 2 * n)
        return false;
    for (size_t i = 0; i < n; i++) {
        int hi = g_ascii_xdigit_value(sl_view_at(v, 2 * i));
        int lo = g_ascii_xdigit_value(sl_view_at(v, 2 * i + 1));
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

typedef enum { LINE_TAKEN, LINE_SKIPPED, LINE_BAD } LineResult;

/* One line: taken, skipped (a label we do not need), or malformed. */
static LineResult
add_line(TlsKeyLog *k, SlView line)
{
    SlView label, rest, rnd, secret;
    if (!sl_view_split_u8(line, ' ', &label, &rest) || !sl_view_split_u8(rest, ' ', &rnd, &secret))
        return LINE_BAD;
    secret = sl_view_trim(secret);
    int kind = -1;
    for (size_t i = 0; i < G_N_ELEMENTS(labels); i++)
        if (sl_view_eq_str(label, labels[i].label))
            kind = (int)labels[i].kind;
    if (kind < 0)
        return LINE_SKIPPED; /* EXPORTER_SECRET, EARLY_TRAFFIC_SECRET...: not needed */
    uint8_t random[TLS_RANDOM_LEN], value[TLS_MAX_SECRET];
    size_t vlen = secret.len / 2;
    if (!hex_decode(rnd, random, TLS_RANDOM_LEN) || vlen == 0 || vlen > TLS_MAX_SECRET ||
        !hex_decode(secret, value, vlen) || (kind == TLS_SECRET_MASTER && vlen != TLS_MASTER_LEN))
        return LINE_BAD;
    TlsSecrets *s = g_hash_table_lookup(k->by_random, random);
    if (s == NULL) {
        if (g_hash_table_size(k->by_random) >= TLS_KEYLOG_MAX_SESSIONS) {
            k->dropped++;
            return LINE_SKIPPED;
        }
        s = g_new0(TlsSecrets, 1);
        memcpy(s->random, random, TLS_RANDOM_LEN);
        g_hash_table_insert(k->by_random, s->random, s);
    }
    memcpy(s->secret[kind], value, vlen);
    s->len[kind] = (uint8_t)vlen;
    return LINE_TAKEN;
}

guint
tls_keylog_add_text(TlsKeyLog *k, SlView text)
{
    g_return_val_if_fail(k != NULL, 0);
    guint taken = 0;
    SlView line;
    while (sl_view_line(&text, &line, NULL) || (text.len && sl_view_take(&text, text.len, &line))) {
        line = sl_view_trim(line);
        if (line.len == 0 || sl_view_at(line, 0) == '#')
            continue;
        LineResult r = line.len > TLS_KEYLOG_MAX_LINE ? LINE_BAD : add_line(k, line);
        if (r == LINE_BAD)
            k->bad_lines++;
        else if (r == LINE_TAKEN)
            taken++;
    }
    return taken;
}

gboolean
tls_keylog_load_file(TlsKeyLog *k, const char *path, GError **error)
{
    g_return_val_if_fail(k != NULL && path != NULL, FALSE);
    g_autoptr(GMappedFile) map = g_mapped_file_new(path, FALSE, NULL);
    if (map == NULL) {
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_OPEN, "%s: cannot read the TLS key log",
                    path);
        return FALSE;
    }
    size_t len = g_mapped_file_get_length(map);
    if (len > KEYLOG_MAX_FILE) {
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_FORMAT,
                    "%s: TLS key log larger than %u MiB", path, KEYLOG_MAX_FILE >> 20);
        return FALSE;
    }
    SlView text = sl_view_make(g_mapped_file_get_contents(map), len);
    if (len && tls_keylog_add_text(k, text) == 0) {
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_FORMAT,
                    "%s: not a TLS key log (no line \"LABEL <client random> <secret>\")", path);
        return FALSE;
    }
    return TRUE;
}
