/* sipladder: network endpoint (IPv4/IPv6 address and port). */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef struct {
    uint8_t family; /* SL_AF_NONE, SL_AF_INET or SL_AF_INET6 */
    uint8_t reserved;
    uint16_t port;  /* host order; 0 when not applicable */
    uint8_t ip[16]; /* IPv4 uses the first 4 bytes, the rest stay zero */
} SlAddr;

enum { SL_AF_NONE = 0, SL_AF_INET = 4, SL_AF_INET6 = 6 };

/* "255.255.255.255", or an IPv6 address of up to 45 characters */
#define SL_ADDR_IP_STRLEN 46
/* "[ipv6]:65535" */
#define SL_ADDR_STRLEN (SL_ADDR_IP_STRLEN + 8)

void sl_addr_set_v4(SlAddr *a, const uint8_t ip[4], uint16_t port);
void sl_addr_set_v6(SlAddr *a, const uint8_t ip[16], uint16_t port);
bool sl_addr_equal(const SlAddr *a, const SlAddr *b);
bool sl_addr_ip_equal(const SlAddr *a, const SlAddr *b);
/* Total order (family, ip, port) for sorting. */
int sl_addr_compare(const SlAddr *a, const SlAddr *b);
guint sl_addr_hash(const SlAddr *a);
/* GHashTable adaptors over SlAddr pointers. */
guint sl_addr_hash_func(gconstpointer a);
gboolean sl_addr_equal_func(gconstpointer a, gconstpointer b);

/* Two endpoints as one hash key: a direction (first = source) or, made
 * with sl_addr_pair_init_unordered(), a conversation in either direction. */
typedef struct {
    SlAddr first, second;
} SlAddrPair;

/* Orders the two so that both directions give the same pair. */
void sl_addr_pair_init_unordered(SlAddrPair *p, const SlAddr *x, const SlAddr *y);
/* GHashTable adaptors over SlAddrPair pointers. */
guint sl_addr_pair_hash(gconstpointer p);
gboolean sl_addr_pair_equal(gconstpointer a, gconstpointer b);

/* Writes the address without port into @buf and returns @buf. */
char *sl_addr_ip_str(const SlAddr *a, char buf[SL_ADDR_IP_STRLEN]);
/* Writes "ip:port" (IPv6 as "[ip]:port") into @buf and returns @buf. */
char *sl_addr_str(const SlAddr *a, char buf[SL_ADDR_STRLEN]);
/* Parses "ip", "ip:port", "[ipv6]" or "[ipv6]:port" (or bare IPv6); *out is
 * untouched on failure. */
bool sl_addr_parse(const char *text, SlAddr *out);
/* Parses a textual IP (no port) from a view, e.g. from SDP or Via. */
bool sl_addr_parse_ip_view(const void *p, size_t len, SlAddr *out);

G_END_DECLS
