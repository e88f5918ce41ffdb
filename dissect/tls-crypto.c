/* sipladder: TLS key derivation and record decryption over GnuTLS's
 * primitives: the TLS 1.2 PRF (RFC 5246 section 5), HKDF-Expand-Label
 * (RFC 8446 section 7.1), the AEAD nonce and additional data of TLS 1.2
 * (RFC 5246 section 6.2.3.3, RFC 5288 section 3, RFC 7905 section 2) and
 * TLS 1.3 (RFC 8446 section 5.2, 5.3). No cipher is written here. */
#include <string.h>

#include "tls-private.h"

#define TAG_LEN 16

/* The AEAD suites we decrypt; key exchange does not matter with a key log. */
static const TlsSuite suites[] = {
    { 0x1301, "TLS_AES_128_GCM_SHA256", GNUTLS_CIPHER_AES_128_GCM, GNUTLS_MAC_SHA256, 16, 12, 0,
      true },
    { 0x1302, "TLS_AES_256_GCM_SHA384", GNUTLS_CIPHER_AES_256_GCM, GNUTLS_MAC_SHA384, 32, 12, 0,
      true },
    { 0x1303, "TLS_CHACHA20_POLY1305_SHA256", GNUTLS_CIPHER_CHACHA20_POLY1305, GNUTLS_MAC_SHA256,
      32, 12, 0, true },
    { 0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", GNUTLS_CIPHER_AES_128_GCM,
      GNUTLS_MAC_SHA256, 16, 4, 8, false },
    { 0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", GNUTLS_CIPHER_AES_256_GCM,
      GNUTLS_MAC_SHA384, 32, 4, 8, false },
    { 0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", GNUTLS_CIPHER_AES_128_GCM,
      GNUTLS_MAC_SHA256, 16, 4, 8, false },
    { 0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", GNUTLS_CIPHER_AES_256_GCM,
      GNUTLS_MAC_SHA384, 32, 4, 8, false },
    { 0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", GNUTLS_CIPHER_CHACHA20_POLY1305,
      GNUTLS_MAC_SHA256, 32, 12, 0, false },
    { 0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", GNUTLS_CIPHER_CHACHA20_POLY1305,
      GNUTLS_MAC_SHA256, 32, 12, 0, false },
    { 0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", GNUTLS_CIPHER_CHACHA20_POLY1305,
      GNUTLS_MAC_SHA256, 32, 12, 0, false },
    { 0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256", GNUTLS_CIPHER_AES_128_GCM, GNUTLS_MAC_SHA256,
      16, 4, 8, false },
    { 0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384", GNUTLS_CIPHER_AES_256_GCM, GNUTLS_MAC_SHA384,
      32, 4, 8, false },
    { 0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", GNUTLS_CIPHER_AES_128_GCM,
      GNUTLS_MAC_SHA256, 16, 4, 8, false },
    { 0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", GNUTLS_CIPHER_AES_256_GCM,
      GNUTLS_MAC_SHA384, 32, 4, 8, false },
};

const TlsSuite *
tls_suite_find(uint16_t id)
{
    for (size_t i = 0; i < G_N_ELEMENTS(suites); i++)
        if (suites[i].id == id)
            return &suites[i];
    return NULL;
}

const char *
tls_cipher_suite_name(uint16_t id)
{
    const TlsSuite *s = tls_suite_find(id);
    return s ? s->name : NULL;
}

/* P_hash(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) ...
 * A(0) = seed, A(i) = HMAC(secret, A(i-1)); here seed = label + seed. */
bool
tls12_prf(gnutls_mac_algorithm_t mac, const uint8_t *secret, size_t secret_len,
          const char *label, const uint8_t *seed, size_t seed_len, uint8_t *out, size_t out_len)
{
    size_t hlen = gnutls_hmac_get_len(mac);
    size_t llen = strlen(label);
    if (hlen == 0 || hlen > 64 || llen + seed_len > 256)
        return false;
    uint8_t full_seed[256], a[64], block[64];
    memcpy(full_seed, label, llen);
    memcpy(full_seed + llen, seed, seed_len);
    size_t slen = llen + seed_len;
    if (gnutls_hmac_fast(mac, secret, secret_len, full_seed, slen, a) < 0)
        return false;
    size_t done = 0;
    while (done < out_len) {
        gnutls_hmac_hd_t h;
        if (gnutls_hmac_init(&h, mac, secret, secret_len) < 0)
            return false;
        if (gnutls_hmac(h, a, hlen) < 0 || gnutls_hmac(h, full_seed, slen) < 0) {
            gnutls_hmac_deinit(h, NULL);
            return false;
        }
        gnutls_hmac_deinit(h, block);
        size_t n = MIN(hlen, out_len - done);
        memcpy(out + done, block, n);
        done += n;
        if (gnutls_hmac_fast(mac, secret, secret_len, a, hlen, a) < 0)
            return false;
    }
    return true;
}

/* struct { uint16 length; opaque label<7..255> = "tls13 " + Label;
 *          opaque context<0..255>; } HkdfLabel; */
bool
tls13_expand_label(gnutls_mac_algorithm_t mac, const uint8_t *secret, size_t secret_len,
                   const char *label, uint8_t *out, size_t out_len)
{
    uint8_t info[2 + 1 + 255 + 1];
    size_t llen = 6 + strlen(label);
    if (llen > 255 || out_len > 255 * 64)
        return false;
    info[0] = (uint8_t)(out_len >> 8);
    info[1] = (uint8_t)out_len;
    info[2] = (uint8_t)llen;
    memcpy(info + 3, "tls13 ", 6);
    memcpy(info + 9, label, llen - 6);
    info[3 + llen] = 0; /* empty context */
    gnutls_datum_t key = { (unsigned char *)secret, (unsigned)secret_len };
    gnutls_datum_t inf = { info, (unsigned)(4 + llen) };
    return gnutls_hkdf_expand(mac, &key, &inf, out, out_len) >= 0;
}

void
tls_cipher_clear(TlsCipherState *cs)
{
    if (cs->aead)
        gnutls_aead_cipher_deinit(cs->aead);
    memset(cs, 0, sizeof *cs);
}

static bool
cipher_set_key(TlsCipherState *cs, const TlsSuite *suite, const uint8_t *key)
{
    tls_cipher_clear(cs);
    gnutls_datum_t k = { (unsigned char *)key, suite->key_len };
    if (gnutls_aead_cipher_init(&cs->aead, suite->cipher, &k) < 0) {
        cs->aead = NULL;
        return false;
    }
    cs->suite = suite;
    return true;
}

bool
tls_cipher_init12(TlsCipherState *cs, const TlsSuite *suite, const uint8_t *key,
                  const uint8_t *fixed_iv)
{
    if (!cipher_set_key(cs, suite, key))
        return false;
    memcpy(cs->iv, fixed_iv, suite->fixed_iv_len);
    return true;
}

bool
tls_cipher_init13(TlsCipherState *cs, const TlsSuite *suite, const uint8_t *secret,
                  size_t secret_len)
{
    uint8_t key[32], iv[12];
    if (secret_len > TLS_MAX_SECRET ||
        !tls13_expand_label(suite->prf_mac, secret, secret_len, "key", key, suite->key_len) ||
        !tls13_expand_label(suite->prf_mac, secret, secret_len, "iv", iv, 12))
        return false;
    if (!cipher_set_key(cs, suite, key))
        return false;
    memcpy(cs->iv, iv, 12);
    memcpy(cs->secret, secret, secret_len);
    cs->secret_len = secret_len;
    return true;
}

/* The 64-bit sequence number, left-padded to 12 bytes, XORed with the IV. */
static void
xor_nonce(const uint8_t iv[12], uint64_t seq, uint8_t nonce[12])
{
    memcpy(nonce, iv, 12);
    for (int i = 0; i < 8; i++)
        nonce[11 - i] ^= (uint8_t)(seq >> (8 * i));
}

bool
tls_cipher_decrypt(TlsCipherState *cs, bool tls13, const uint8_t header[5], SlView fragment,
                   uint8_t *out, size_t *out_len)
{
    if (!cs->aead)
        return false;
    const TlsSuite *s = cs->suite;
    uint8_t nonce[12], aad[13];
    size_t aad_len;
    SlView body = fragment;
    if (tls13) {
        xor_nonce(cs->iv, cs->seq, nonce);
        memcpy(aad, header, 5);
        aad_len = 5;
    } else {
        if (s->explicit_nonce) {
            /* GCMNonce = salt (4, from the key block) || nonce_explicit (8) */
            memcpy(nonce, cs->iv, 4);
            if (!sl_view_copy(&body, nonce + 4, 8))
                return false;
        } else {
            xor_nonce(cs->iv, cs->seq, nonce);
        }
        if (body.len < TAG_LEN)
            return false;
        /* additional_data = seq_num + type + version + length (of the plaintext) */
        size_t plen = body.len - TAG_LEN;
        for (int i = 0; i < 8; i++)
            aad[i] = (uint8_t)(cs->seq >> (56 - 8 * i));
        aad[8] = header[0];
        aad[9] = header[1];
        aad[10] = header[2];
        aad[11] = (uint8_t)(plen >> 8);
        aad[12] = (uint8_t)plen;
        aad_len = 13;
    }
    if (body.len < TAG_LEN)
        return false;
    size_t n = body.len;
    if (gnutls_aead_cipher_decrypt(cs->aead, nonce, 12, aad, aad_len, TAG_LEN, body.p, body.len,
                                   out, &n) < 0)
        return false;
    *out_len = n;
    cs->seq++;
    return true;
}
