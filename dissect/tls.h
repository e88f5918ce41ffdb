/* sipladder: TLS for SIP over TLS and secure WebSocket: the record layer
 * over a TCP connection, the hellos (randoms, cipher suite, version, SNI)
 * and decryption with the secrets of an NSS key log (SSLKEYLOGFILE).
 *
 * RFC 5246 sections 5 (PRF), 6.2 (records), 6.3 (key block), 6.2.3.3
 * (AEAD ciphers); RFC 5288 (AES-GCM suites); RFC 7905 (ChaCha20-Poly1305
 * suites); RFC 8446 sections 4.1.2/4.1.3 (hellos), 4.2.1 (supported
 * versions), 5.1-5.4 (records, per-record nonce), 7.1-7.3 (HKDF-Expand-
 * Label, traffic keys), 4.6.3 (KeyUpdate); RFC 6066 section 3 (SNI).
 * The ciphers, MACs and HKDF are GnuTLS's (gnutls/crypto.h). */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "cap-packet.h"
#include "sltime.h"
#include "status.h"
#include "view.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------ key log */

/* Secrets from an NSS key log, by ClientHello random. Shared (refcounted),
 * read-only once loaded: several dissectors may use one. */
typedef struct TlsKeyLog TlsKeyLog;

/* Lines longer than this are skipped. */
#define TLS_KEYLOG_MAX_LINE 1024
/* Client randoms kept; further ones are counted and dropped. */
#define TLS_KEYLOG_MAX_SESSIONS (1u << 20)

TlsKeyLog *tls_keylog_new(void);
TlsKeyLog *tls_keylog_ref(TlsKeyLog *k);
void tls_keylog_unref(TlsKeyLog *k);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TlsKeyLog, tls_keylog_unref)

/* Adds the lines of @text ("LABEL <client random hex> <secret hex>"; '#'
 * comments, blank lines and unknown labels are skipped). Labels read:
 * CLIENT_RANDOM (TLS 1.2 master secret), CLIENT_HANDSHAKE_TRAFFIC_SECRET,
 * SERVER_HANDSHAKE_TRAFFIC_SECRET, CLIENT_TRAFFIC_SECRET_0,
 * SERVER_TRAFFIC_SECRET_0. Returns the number of lines taken. */
guint tls_keylog_add_text(TlsKeyLog *k, SlView text);
/* Reads a key log file (at most 64 MiB). FALSE with @error
 * (SL_IO_ERROR_OPEN, SL_IO_ERROR_FORMAT when no line was usable). */
gboolean tls_keylog_load_file(TlsKeyLog *k, const char *path, GError **error);
/* Client randoms with at least one secret. */
guint tls_keylog_sessions(const TlsKeyLog *k);
/* Lines skipped as malformed (bad hex, wrong lengths, too long). */
guint tls_keylog_bad_lines(const TlsKeyLog *k);

/* ------------------------------------------------------------ sessions */

typedef enum {
    TLS_STATE_HANDSHAKE,   /* hellos not complete yet */
    TLS_STATE_DECRYPTED,   /* keys found, records decrypt */
    TLS_STATE_NO_KEYS,     /* the key log has no secret for this session */
    TLS_STATE_NO_KEYLOG,   /* no key log given */
    TLS_STATE_NO_HELLO,    /* capture began after the hellos: randoms unknown */
    TLS_STATE_UNSUPPORTED, /* cipher suite or version we cannot decrypt */
    TLS_STATE_FAILED,      /* records did not authenticate with the keys */
    TLS_STATE_MALFORMED,   /* the byte stream is not TLS records */
} TlsState;

const char *tls_state_name(TlsState s);             /* "decrypted", "no keys"... */
const char *tls_version_name(uint16_t version);      /* "TLS 1.2", "TLS 1.3", "-" */
/* IANA name of the suites we know ("TLS_AES_128_GCM_SHA256"), else NULL. */
const char *tls_cipher_suite_name(uint16_t suite);

/* What is known of one TLS connection. Borrowed from its TlsConn. */
typedef struct {
    SlAddr client, server;  /* with ports */
    uint64_t first_frame;   /* frame of its first record */
    SlTime first_ts;
    uint32_t source_id;
    uint16_t version;       /* negotiated: 0x0303, 0x0304; 0 unknown */
    uint16_t cipher_suite;  /* 0 unknown */
    char sni[256];          /* server_name (host_name), printable; "" when absent */
    TlsState state;
    uint64_t records[2];    /* [0] client to server, [1] server to client */
    uint64_t app_bytes[2];  /* decrypted application data bytes */
    uint64_t failed_records; /* records that did not decrypt */
    bool has_client_hello, has_server_hello;
} TlsSessionInfo;

/* One TCP connection carrying TLS (both directions). */
typedef struct TlsConn TlsConn;

/* Bounds on what a connection buffers (STYLE.md section 5). */
#define TLS_MAX_RECORD (16384 + 2048)        /* TLSCiphertext.length */
#define TLS_MAX_HANDSHAKE_BUFFER (256 * 1024) /* handshake messages in reassembly */

/* A connection first seen in @pkt (its first record). @keys may be NULL
 * (sessions are then listed, never decrypted); it is referenced. Caller
 * owns the result. */
TlsConn *tls_conn_new(const CapPacket *pkt, TlsKeyLog *keys);
void tls_conn_free(TlsConn *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TlsConn, tls_conn_free)

/* Whether @v (stream bytes) starts like a TLS record: content type 20-24,
 * version 3.x, a length within TLS_MAX_RECORD. */
bool tls_looks_like_record(SlView v);

/* Reads the complete records at the start of @data, sent in the direction
 * of @pkt (its source is one end of @c). Decrypted application data is
 * appended to @app_out. Returns the bytes consumed (whole records only);
 * sets *@status to SL_OK, or SL_ERR_MALFORMED when the stream is not TLS
 * (stop feeding it) or SL_ERR_LIMIT when @app_out would pass @max_out
 * (the data of that record is dropped). Never fails otherwise: records
 * that cannot be decrypted are counted. */
size_t tls_conn_feed(TlsConn *c, const CapPacket *pkt, SlView data, GByteArray *app_out,
                     size_t max_out, SlStatus *status);
/* A TCP gap in the direction of @pkt: the record sequence is lost there. */
void tls_conn_gap(TlsConn *c, const CapPacket *pkt);
const TlsSessionInfo *tls_conn_info(const TlsConn *c);

G_END_DECLS
