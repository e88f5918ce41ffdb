/* sipladder: the TLS record layer of one TCP connection, its hellos and
 * record decryption with a key log. RFC 5246 section 6.2.1 and RFC 8446
 * section 5.1 (records):
 *   TLSPlaintext = type(1: 20 CCS, 21 alert, 22 handshake, 23 data)
 *                  legacy_version(2: 3.x) length(2) fragment
 * RFC 8446 section 4 (handshake messages): msg_type(1) length(3) body;
 *   ClientHello = legacy_version(2) random(32) session_id<0..32>
 *                 cipher_suites<2..2^16-2> compression<1..2^8-1>
 *                 extensions<8..2^16-1>
 *   ServerHello = legacy_version(2) random(32) session_id<0..32>
 *                 cipher_suite(2) compression(1) extensions<6..2^16-1>
 *   Extension   = type(2) data<0..2^16-1>; server_name (0): list<1..2^16-1>
 *                 of name_type(1) host_name<1..2^16-1> (RFC 6066 section 3);
 *                 supported_versions (43) in ServerHello: selected(2).
 * TLS 1.3 records after the ServerHello are TLSCiphertext (type 23) whose
 * plaintext ends in the real content type and zero padding (section 5.2);
 * keys change after each Finished and KeyUpdate (sections 4.4.4, 4.6.3). */
#include <string.h>

#include "tls-private.h"

enum {
    CT_CCS = 20, CT_ALERT = 21, CT_HANDSHAKE = 22, CT_DATA = 23, CT_HEARTBEAT = 24,
};
enum {
    HS_CLIENT_HELLO = 1, HS_SERVER_HELLO = 2, HS_FINISHED = 20, HS_KEY_UPDATE = 24,
};
enum { EXT_SERVER_NAME = 0, EXT_SUPPORTED_VERSIONS = 43 };

#define TLS13 0x0304
#define TAG_LEN 16

/* SHA-256("HelloRetryRequest"): the random of a HelloRetryRequest. */
static const uint8_t hrr_random[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
};

typedef struct {
    GByteArray *hs;      /* handshake bytes not yet parsed into messages */
    bool hs_broken;      /* handshake reassembly gave up (bound or gap) */
    bool encrypted;      /* records of this direction are protected */
    unsigned epoch;      /* TLS 1.3: 1 handshake keys, 2 and on application keys */
    TlsCipherState cs;   /* the keys in use (NULL aead: none) */
    TlsCipherState next; /* TLS 1.2: prepared until ChangeCipherSpec */
    bool switch_after;   /* TLS 1.3: Finished or KeyUpdate in this record */
    bool lost;           /* a TCP gap: the record sequence is unknown */
    uint64_t decrypted;  /* records that authenticated */
} Dir;

struct TlsConn {
    TlsSessionInfo info;
    TlsKeyLog *keys;
    const TlsSecrets *secrets;
    const TlsSuite *suite;
    bool client_known;
    bool swapped; /* set_client() just exchanged the ends */
    uint8_t client_random[32], server_random[32];
    Dir dir[2]; /* [0] client to server */
    uint8_t *plain; /* one record's plaintext */
};

const char *
tls_state_name(TlsState s)
{
    switch (s) {
    case TLS_STATE_HANDSHAKE: return "handshake";
    case TLS_STATE_DECRYPTED: return "decrypted";
    case TLS_STATE_NO_KEYS: return "encrypted: no keys in the key log";
    case TLS_STATE_NO_KEYLOG: return "encrypted: no key log";
    case TLS_STATE_NO_HELLO: return "encrypted: handshake not captured";
    case TLS_STATE_UNSUPPORTED: return "encrypted: cipher suite not supported";
    case TLS_STATE_FAILED: return "encrypted: keys do not match";
    case TLS_STATE_MALFORMED: return "malformed";
    }
    return "-";
}

const char *
tls_version_name(uint16_t v)
{
    switch (v) {
    case 0x0300: return "SSL 3.0";
    case 0x0301: return "TLS 1.0";
    case 0x0302: return "TLS 1.1";
    case 0x0303: return "TLS 1.2";
    case 0x0304: return "TLS 1.3";
    }
    return "-";
}

bool
tls_looks_like_record(SlView v)
{
    uint8_t type, major, minor;
    uint16_t len;
    return sl_view_u8(&v, &type) && type >= CT_CCS && type <= CT_HEARTBEAT &&
           sl_view_u8(&v, &major) && major == 3 && sl_view_u8(&v, &minor) && minor <= 4 &&
           sl_view_be16(&v, &len) && len > 0 && len <= TLS_MAX_RECORD;
}

TlsConn *
tls_conn_new(const CapPacket *pkt, TlsKeyLog *keys)
{
    g_return_val_if_fail(pkt != NULL, NULL);
    TlsConn *c = g_new0(TlsConn, 1);
    c->info.client = pkt->src;
    c->info.server = pkt->dst;
    c->info.first_frame = pkt->frame;
    c->info.first_ts = pkt->ts;
    c->info.source_id = pkt->source_id;
    c->info.state = TLS_STATE_HANDSHAKE;
    c->keys = keys ? tls_keylog_ref(keys) : NULL;
    for (int i = 0; i < 2; i++)
        c->dir[i].hs = g_byte_array_new();
    c->plain = g_malloc(TLS_MAX_RECORD);
    return c;
}

void
tls_conn_free(TlsConn *c)
{
    if (!c)
        return;
    for (int i = 0; i < 2; i++) {
        g_byte_array_unref(c->dir[i].hs);
        tls_cipher_clear(&c->dir[i].cs);
        tls_cipher_clear(&c->dir[i].next);
    }
    tls_keylog_unref(c->keys);
    g_free(c->plain);
    g_free(c);
}

const TlsSessionInfo *
tls_conn_info(const TlsConn *c)
{
    return &c->info;
}

static int
dir_of(const TlsConn *c, const CapPacket *pkt)
{
    return sl_addr_equal(&pkt->src, &c->info.client) ? 0 : 1;
}

/* The hellos say who the client is; until then the first sender is. */
static void
set_client(TlsConn *c, int sender_dir, bool sender_is_client)
{
    if (c->client_known)
        return;
    c->client_known = true;
    if ((sender_dir == 0) == sender_is_client)
        return;
    c->swapped = true;
    SlAddr a = c->info.client;
    c->info.client = c->info.server;
    c->info.server = a;
    Dir d = c->dir[0];
    c->dir[0] = c->dir[1];
    c->dir[1] = d;
    uint64_t r = c->info.records[0];
    c->info.records[0] = c->info.records[1];
    c->info.records[1] = r;
}

/* ------------------------------------------------------------- hellos */

static void
parse_sni(TlsConn *c, SlView ext)
{
    SlView list, name;
    uint16_t llen, nlen;
    uint8_t type;
    if (!sl_view_be16(&ext, &llen) || !sl_view_take(&ext, llen, &list))
        return;
    while (sl_view_u8(&list, &type) && sl_view_be16(&list, &nlen) &&
           sl_view_take(&list, nlen, &name)) {
        if (type == 0) { /* host_name */
            g_autofree char *s = sl_view_dup_printable(name, sizeof c->info.sni - 1);
            g_strlcpy(c->info.sni, s, sizeof c->info.sni);
            return;
        }
    }
}

/* Extensions of a hello: calls back for the two we read. */
static void
parse_extensions(TlsConn *c, SlView v, bool server, uint16_t *selected_version)
{
    uint16_t total, type, len;
    SlView exts, data;
    if (!sl_view_be16(&v, &total) || !sl_view_take(&v, total, &exts))
        return;
    while (sl_view_be16(&exts, &type) && sl_view_be16(&exts, &len) &&
           sl_view_take(&exts, len, &data)) {
        if (!server && type == EXT_SERVER_NAME)
            parse_sni(c, data);
        else if (server && type == EXT_SUPPORTED_VERSIONS)
            sl_view_be16(&data, selected_version);
    }
}

static void
client_hello(TlsConn *c, int d, SlView v)
{
    uint16_t version, n16;
    uint8_t n8;
    if (!sl_view_be16(&v, &version) || !sl_view_copy(&v, c->client_random, 32))
        return;
    set_client(c, d, true);
    c->info.has_client_hello = true;
    if (!sl_view_u8(&v, &n8) || !sl_view_skip(&v, n8) || /* session_id */
        !sl_view_be16(&v, &n16) || !sl_view_skip(&v, n16) || /* cipher_suites */
        !sl_view_u8(&v, &n8) || !sl_view_skip(&v, n8))    /* compression */
        return;
    parse_extensions(c, v, false, NULL);
}

/* TLS 1.2 (RFC 5246 section 6.3): key_block = PRF(master_secret,
 * "key expansion", server_random + client_random) split into
 * client_write_key, server_write_key, client_write_IV, server_write_IV
 * (AEAD suites have no MAC keys). */
static bool
keys12(TlsConn *c)
{
    const TlsSuite *s = c->suite;
    if (c->secrets->len[TLS_SECRET_MASTER] != TLS_MASTER_LEN)
        return false;
    uint8_t seed[64], block[2 * 32 + 2 * 12];
    memcpy(seed, c->server_random, 32);
    memcpy(seed + 32, c->client_random, 32);
    size_t need = 2 * (size_t)s->key_len + 2 * (size_t)s->fixed_iv_len;
    if (!tls12_prf(s->prf_mac, c->secrets->secret[TLS_SECRET_MASTER], TLS_MASTER_LEN,
                   "key expansion", seed, sizeof seed, block, need))
        return false;
    const uint8_t *ck = block, *sk = block + s->key_len;
    const uint8_t *civ = block + 2 * s->key_len, *siv = civ + s->fixed_iv_len;
    return tls_cipher_init12(&c->dir[0].next, s, ck, civ) &&
           tls_cipher_init12(&c->dir[1].next, s, sk, siv);
}

/* TLS 1.3: both directions switch to their handshake traffic keys. */
static bool
keys13(TlsConn *c)
{
    const TlsSecrets *x = c->secrets;
    for (int d = 0; d < 2; d++) {
        c->dir[d].encrypted = true;
        c->dir[d].epoch = 1;
    }
    if (!x->len[TLS_SECRET_CLIENT_HS] || !x->len[TLS_SECRET_SERVER_HS])
        return false;
    return tls_cipher_init13(&c->dir[0].cs, c->suite, x->secret[TLS_SECRET_CLIENT_HS],
                             x->len[TLS_SECRET_CLIENT_HS]) &&
           tls_cipher_init13(&c->dir[1].cs, c->suite, x->secret[TLS_SECRET_SERVER_HS],
                             x->len[TLS_SECRET_SERVER_HS]);
}

static void
server_hello(TlsConn *c, int d, SlView v)
{
    uint16_t legacy, suite, selected = 0;
    uint8_t random[32], n8;
    if (!sl_view_be16(&v, &legacy) || !sl_view_copy(&v, random, 32))
        return;
    set_client(c, d, false);
    if (memcmp(random, hrr_random, 32) == 0)
        return; /* HelloRetryRequest: another ClientHello and ServerHello follow */
    if (!sl_view_u8(&v, &n8) || !sl_view_skip(&v, n8) || !sl_view_be16(&v, &suite) ||
        !sl_view_skip(&v, 1))
        return;
    parse_extensions(c, v, true, &selected);
    memcpy(c->server_random, random, 32);
    c->info.has_server_hello = true;
    c->info.version = selected ? selected : legacy;
    c->info.cipher_suite = suite;
    bool tls13 = c->info.version == TLS13;

    const TlsSuite *s = tls_suite_find(suite);
    if (tls13) /* later records are protected, whether we can read them or not */
        for (int i = 0; i < 2; i++)
            c->dir[i].encrypted = true;
    if (c->keys == NULL) {
        c->info.state = TLS_STATE_NO_KEYLOG;
        return;
    }
    if (s == NULL || s->tls13 != tls13 || (!tls13 && c->info.version != 0x0303) ||
        !c->info.has_client_hello) {
        c->info.state = c->info.has_client_hello ? TLS_STATE_UNSUPPORTED : TLS_STATE_NO_HELLO;
        return;
    }
    c->suite = s;
    c->secrets = tls_keylog_lookup(c->keys, c->client_random);
    if (c->secrets == NULL) {
        c->info.state = TLS_STATE_NO_KEYS;
        return;
    }
    bool ok = tls13 ? keys13(c) : keys12(c);
    c->info.state = ok ? TLS_STATE_DECRYPTED : TLS_STATE_NO_KEYS;
}

/* The application traffic secret that follows @d's current keys: secret 0
 * from the key log after Finished, then HKDF-Expand-Label(secret,
 * "traffic upd", "", Hash.length) for each KeyUpdate. */
static bool
next_secret13(TlsConn *c, int d, uint8_t *out, size_t *out_len)
{
    Dir *dir = &c->dir[d];
    if (c->secrets == NULL || c->suite == NULL)
        return false;
    if (dir->epoch <= 1) {
        TlsSecretKind k = d == 0 ? TLS_SECRET_CLIENT_AP0 : TLS_SECRET_SERVER_AP0;
        if (!c->secrets->len[k])
            return false;
        *out_len = c->secrets->len[k];
        memcpy(out, c->secrets->secret[k], *out_len);
        return true;
    }
    if (!dir->cs.secret_len)
        return false;
    *out_len = dir->cs.secret_len;
    return tls13_expand_label(c->suite->prf_mac, dir->cs.secret, dir->cs.secret_len,
                              "traffic upd", out, *out_len);
}

static void
switch_keys13(TlsConn *c, int d)
{
    uint8_t secret[TLS_MAX_SECRET];
    size_t len = 0;
    Dir *dir = &c->dir[d];
    bool ok = next_secret13(c, d, secret, &len);
    dir->epoch++;
    if (!ok || !tls_cipher_init13(&dir->cs, c->suite, secret, len))
        tls_cipher_clear(&dir->cs);
}

static void
handshake_message(TlsConn *c, int d, uint8_t type, SlView body)
{
    Dir *dir = &c->dir[d];
    if (!dir->encrypted) {
        if (type == HS_CLIENT_HELLO)
            client_hello(c, d, body);
        else if (type == HS_SERVER_HELLO)
            server_hello(c, d, body);
        return;
    }
    if (c->info.version == TLS13 && (type == HS_FINISHED || type == HS_KEY_UPDATE))
        dir->switch_after = true;
}

/* Joins handshake fragments and parses every complete message. */
static void
handshake_bytes(TlsConn *c, int d, SlView frag)
{
    Dir *dir = &c->dir[d];
    if (dir->hs_broken)
        return;
    if (dir->hs->len + frag.len > TLS_MAX_HANDSHAKE_BUFFER) {
        g_byte_array_set_size(dir->hs, 0);
        dir->hs_broken = true;
        return;
    }
    g_byte_array_append(dir->hs, frag.p, (guint)frag.len);
    size_t used = 0;
    for (;;) {
        SlView v = sl_view_make(dir->hs->data + used, dir->hs->len - used);
        uint8_t type, l0;
        uint16_t l12;
        SlView body;
        if (!sl_view_u8(&v, &type) || !sl_view_u8(&v, &l0) || !sl_view_be16(&v, &l12) ||
            !sl_view_take(&v, (size_t)l0 << 16 | l12, &body))
            break;
        bool was_encrypted = dir->encrypted;
        c->swapped = false;
        handshake_message(c, d, type, body);
        used += 4 + body.len;
        if (c->swapped) { /* this sender's state moved to the other slot */
            d = 1 - d;
            dir = &c->dir[d];
        }
        if (dir->encrypted != was_encrypted) {
            /* TLS 1.3 ServerHello: anything after it was protected */
            used = dir->hs->len;
            break;
        }
    }
    g_byte_array_remove_range(dir->hs, 0, (guint)used);
}

/* ------------------------------------------------------------ records */

static void
count_failure(TlsConn *c)
{
    c->info.failed_records++;
    if (c->info.state == TLS_STATE_DECRYPTED && c->dir[0].decrypted + c->dir[1].decrypted == 0)
        c->info.state = TLS_STATE_FAILED;
}

/* TLS 1.3: a record that does not authenticate with the handshake keys
 * may be the first under the application keys (a Finished we could not
 * parse); try them once. */
static bool
decrypt13_retry(TlsConn *c, int d, const uint8_t *hdr, SlView frag, size_t *n)
{
    Dir *dir = &c->dir[d];
    if (dir->epoch != 1)
        return false;
    uint8_t secret[TLS_MAX_SECRET];
    size_t len = 0;
    TlsCipherState trial = { 0 };
    if (!next_secret13(c, d, secret, &len) || !tls_cipher_init13(&trial, c->suite, secret, len))
        return false;
    if (!tls_cipher_decrypt(&trial, true, hdr, frag, c->plain, n)) {
        tls_cipher_clear(&trial);
        return false;
    }
    tls_cipher_clear(&dir->cs);
    dir->cs = trial;
    dir->epoch = 2;
    return true;
}

static SlStatus
protected_record(TlsConn *c, int d, const uint8_t *hdr, SlView frag, GByteArray *out,
                 size_t max_out)
{
    Dir *dir = &c->dir[d];
    bool tls13 = c->info.version == TLS13;
    size_t n = 0;
    if (!dir->lost && !dir->cs.aead && tls13 && c->secrets &&
        decrypt13_retry(c, d, hdr, frag, &n))
        goto decrypted;
    if (dir->lost || !dir->cs.aead) {
        if (c->info.state == TLS_STATE_HANDSHAKE && !c->info.has_server_hello)
            c->info.state = c->keys ? TLS_STATE_NO_HELLO : TLS_STATE_NO_KEYLOG;
        return SL_OK;
    }
    if (!tls_cipher_decrypt(&dir->cs, tls13, hdr, frag, c->plain, &n) &&
        !(tls13 && decrypt13_retry(c, d, hdr, frag, &n))) {
        count_failure(c);
        return SL_OK;
    }
decrypted:
    dir->decrypted++;
    if (c->info.state == TLS_STATE_FAILED)
        c->info.state = TLS_STATE_DECRYPTED;
    uint8_t type = hdr[0];
    if (tls13) {
        /* TLSInnerPlaintext = content type(1) zeros[length_of_padding] */
        while (n > 0 && c->plain[n - 1] == 0)
            n--;
        if (n == 0) {
            count_failure(c);
            return SL_OK;
        }
        type = c->plain[--n];
    }
    SlView content = sl_view_make(c->plain, n);
    SlStatus st = SL_OK;
    if (type == CT_HANDSHAKE) {
        handshake_bytes(c, d, content);
    } else if (type == CT_DATA) {
        if (out->len + n > max_out) {
            st = SL_ERR_LIMIT;
        } else {
            g_byte_array_append(out, c->plain, (guint)n);
            c->info.app_bytes[d] += n;
        }
    }
    if (dir->switch_after) {
        dir->switch_after = false;
        switch_keys13(c, d);
    }
    return st;
}

size_t
tls_conn_feed(TlsConn *c, const CapPacket *pkt, SlView data, GByteArray *out, size_t max_out,
              SlStatus *status)
{
    g_return_val_if_fail(c != NULL && pkt != NULL && out != NULL && status != NULL, 0);
    *status = SL_OK;
    size_t used = 0;
    int d = dir_of(c, pkt);
    for (;;) {
        SlView v = sl_view_tail(data, used);
        if (v.len < 5)
            break;
        if (!tls_looks_like_record(v)) {
            if (c->info.state != TLS_STATE_DECRYPTED)
                c->info.state = TLS_STATE_MALFORMED;
            *status = SL_ERR_MALFORMED;
            break;
        }
        uint8_t hdr[5];
        SlView frag;
        sl_view_copy(&v, hdr, 5);
        if (!sl_view_take(&v, (size_t)hdr[3] << 8 | hdr[4], &frag))
            break; /* incomplete: wait for more */
        used += 5 + frag.len;
        d = dir_of(c, pkt); /* a hello may have swapped the ends */
        c->info.records[d]++;
        Dir *dir = &c->dir[d];
        if (hdr[0] == CT_CCS) {
            /* TLS 1.2: this direction's next record is protected; in
             * TLS 1.3 a compatibility record without meaning */
            if (c->info.version != TLS13 && c->info.has_server_hello && !dir->encrypted) {
                dir->encrypted = true;
                dir->cs = dir->next;
                memset(&dir->next, 0, sizeof dir->next);
            }
            continue;
        }
        if (!dir->encrypted) {
            if (hdr[0] == CT_HANDSHAKE)
                handshake_bytes(c, d, frag);
            else if (hdr[0] == CT_DATA && !c->info.has_client_hello &&
                     c->info.state == TLS_STATE_HANDSHAKE)
                c->info.state = c->keys ? TLS_STATE_NO_HELLO : TLS_STATE_NO_KEYLOG;
            /* else: early data, or an alert in the clear */
            continue;
        }
        SlStatus st = protected_record(c, d, hdr, frag, out, max_out);
        if (st != SL_OK)
            *status = st;
    }
    return used;
}

void
tls_conn_gap(TlsConn *c, const CapPacket *pkt)
{
    Dir *dir = &c->dir[dir_of(c, pkt)];
    if (dir->encrypted)
        dir->lost = true;
    else
        dir->hs_broken = true;
}
