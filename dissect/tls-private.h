/* sipladder: TLS internals shared by tls.c, tls-keylog.c and tls-crypto.c
 * (and the unit tests): secrets by client random, the TLS 1.2 PRF, TLS 1.3
 * HKDF-Expand-Label and one AEAD direction. */
#pragma once

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "tls.h"

G_BEGIN_DECLS

#define TLS_RANDOM_LEN 32
#define TLS_MASTER_LEN 48
#define TLS_MAX_SECRET 64 /* SHA-384 is 48; room for longer hashes */

/* The secrets a key log holds for one client random. */
typedef enum {
    TLS_SECRET_MASTER,     /* CLIENT_RANDOM (TLS 1.2 and earlier) */
    TLS_SECRET_CLIENT_HS,  /* CLIENT_HANDSHAKE_TRAFFIC_SECRET */
    TLS_SECRET_SERVER_HS,  /* SERVER_HANDSHAKE_TRAFFIC_SECRET */
    TLS_SECRET_CLIENT_AP0, /* CLIENT_TRAFFIC_SECRET_0 */
    TLS_SECRET_SERVER_AP0, /* SERVER_TRAFFIC_SECRET_0 */
    TLS_SECRET_COUNT,
} TlsSecretKind;

typedef struct {
    uint8_t random[TLS_RANDOM_LEN];
    uint8_t len[TLS_SECRET_COUNT]; /* 0: not in the log */
    uint8_t secret[TLS_SECRET_COUNT][TLS_MAX_SECRET];
} TlsSecrets;

/* The secrets for @client_random, or NULL. Borrowed; valid while @k lives. */
const TlsSecrets *tls_keylog_lookup(const TlsKeyLog *k, const uint8_t client_random[32]);

/* What a cipher suite needs. */
typedef struct {
    uint16_t id;
    const char *name;
    gnutls_cipher_algorithm_t cipher; /* an AEAD */
    gnutls_mac_algorithm_t prf_mac;   /* PRF / HKDF hash */
    uint8_t key_len;
    uint8_t fixed_iv_len;    /* TLS 1.2 GCM: 4 (salt); ChaCha20 and TLS 1.3: 12 */
    uint8_t explicit_nonce;  /* TLS 1.2 GCM: 8 bytes at the start of each record */
    bool tls13;
} TlsSuite;

const TlsSuite *tls_suite_find(uint16_t id);

/* TLS 1.2 PRF (RFC 5246 section 5): P_hash(secret, label + seed) into
 * @out. FALSE when GnuTLS refuses. */
bool tls12_prf(gnutls_mac_algorithm_t mac, const uint8_t *secret, size_t secret_len,
               const char *label, const uint8_t *seed, size_t seed_len, uint8_t *out,
               size_t out_len);

/* HKDF-Expand-Label (RFC 8446 section 7.1) with an empty context:
 * HKDF-Expand(secret, uint16 length || "tls13 " label || 0, length). */
bool tls13_expand_label(gnutls_mac_algorithm_t mac, const uint8_t *secret, size_t secret_len,
                        const char *label, uint8_t *out, size_t out_len);

/* One direction's record protection. */
typedef struct {
    gnutls_aead_cipher_hd_t aead; /* NULL: none yet */
    const TlsSuite *suite;
    uint8_t iv[12];
    uint64_t seq;
    uint8_t secret[TLS_MAX_SECRET]; /* TLS 1.3 traffic secret (KeyUpdate) */
    size_t secret_len;
} TlsCipherState;

void tls_cipher_clear(TlsCipherState *cs);
/* TLS 1.2: key and fixed IV taken from the key block. */
bool tls_cipher_init12(TlsCipherState *cs, const TlsSuite *suite, const uint8_t *key,
                       const uint8_t *fixed_iv);
/* TLS 1.3: key and IV from a traffic secret (RFC 8446 section 7.3). */
bool tls_cipher_init13(TlsCipherState *cs, const TlsSuite *suite, const uint8_t *secret,
                       size_t secret_len);
/* Decrypts the fragment of one record (@header: its 5 bytes) into @out
 * (room for @fragment_len bytes); sets *@out_len. TLS 1.2 builds the
 * additional data from the sequence number, @type and @version; TLS 1.3
 * uses the record header. On success the sequence number advances. */
bool tls_cipher_decrypt(TlsCipherState *cs, bool tls13, const uint8_t header[5], SlView fragment,
                        uint8_t *out, size_t *out_len);

G_END_DECLS
