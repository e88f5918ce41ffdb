/* sipladder: network endpoints. */
#include "addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

void
sl_addr_set_v4(SlAddr *a, const uint8_t ip[4], uint16_t port)
{
    memset(a, 0, sizeof *a);
    a->family = SL_AF_INET;
    a->port = port;
    memcpy(a->ip, ip, 4);
}

void
sl_addr_set_v6(SlAddr *a, const uint8_t ip[16], uint16_t port)
{
    memset(a, 0, sizeof *a);
    a->family = SL_AF_INET6;
    a->port = port;
    memcpy(a->ip, ip, 16);
}

bool
sl_addr_ip_equal(const SlAddr *a, const SlAddr *b)
{
    return a->family == b->family && memcmp(a->ip, b->ip, 16) == 0;
}

bool
sl_addr_equal(const SlAddr *a, const SlAddr *b)
{
    return a->port == b->port && sl_addr_ip_equal(a, b);
}

int
sl_addr_compare(const SlAddr *a, const SlAddr *b)
{
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    int c = memcmp(a->ip, b->ip, 16);
    if (c)
        return c < 0 ? -1 : 1;
    if (a->port != b->port)
        return a->port < b->port ? -1 : 1;
    return 0;
}

guint
sl_addr_hash(const SlAddr *a)
{
    guint32 h = 2166136261u ^ a->family;
    for (int i = 0; i < 16; i++) {
        h ^= a->ip[i];
        h *= 16777619u;
    }
    h ^= a->port;
    h *= 16777619u;
    return h;
}

guint
sl_addr_hash_func(gconstpointer a)
{
    return sl_addr_hash(a);
}

gboolean
sl_addr_equal_func(gconstpointer a, gconstpointer b)
{
    return sl_addr_equal(a, b);
}

void
sl_addr_pair_init_unordered(SlAddrPair *p, const SlAddr *x, const SlAddr *y)
{
    bool swap = sl_addr_compare(x, y) > 0;
    p->first = swap ? *y : *x;
    p->second = swap ? *x : *y;
}

guint
sl_addr_pair_hash(gconstpointer p)
{
    const SlAddrPair *k = p;
    return sl_addr_hash(&k->first) * 31 + sl_addr_hash(&k->second);
}

gboolean
sl_addr_pair_equal(gconstpointer a, gconstpointer b)
{
    const SlAddrPair *x = a, *y = b;
    return sl_addr_equal(&x->first, &y->first) && sl_addr_equal(&x->second, &y->second);
}

char *
sl_addr_ip_str(const SlAddr *a, char buf[SL_ADDR_IP_STRLEN])
{
    buf[0] = '\0';
    if (a->family == SL_AF_INET)
        inet_ntop(AF_INET, a->ip, buf, SL_ADDR_IP_STRLEN);
    else if (a->family == SL_AF_INET6)
        inet_ntop(AF_INET6, a->ip, buf, SL_ADDR_IP_STRLEN);
    else
        g_strlcpy(buf, "-", SL_ADDR_IP_STRLEN);
    return buf;
}

char *
sl_addr_str(const SlAddr *a, char buf[SL_ADDR_STRLEN])
{
    char ip[SL_ADDR_IP_STRLEN];
    sl_addr_ip_str(a, ip);
    if (a->family == SL_AF_INET6)
        snprintf(buf, SL_ADDR_STRLEN, "[%s]:%u", ip, a->port);
    else
        snprintf(buf, SL_ADDR_STRLEN, "%s:%u", ip, a->port);
    return buf;
}

bool
sl_addr_parse_ip_view(const void *p, size_t len, SlAddr *out)
{
    char buf[SL_ADDR_IP_STRLEN];
    uint8_t bin[16];
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, p, len);
    buf[len] = '\0';
    if (memchr(buf, '\0', len))
        return false;
    if (inet_pton(AF_INET, buf, bin) == 1) {
        sl_addr_set_v4(out, bin, 0);
        return true;
    }
    if (inet_pton(AF_INET6, buf, bin) == 1) {
        sl_addr_set_v6(out, bin, 0);
        return true;
    }
    return false;
}

bool
sl_addr_parse(const char *text, SlAddr *out)
{
    size_t n = strlen(text);
    const char *host = text;
    size_t host_len = n;
    const char *port = NULL;

    if (n && text[0] == '[') {
        const char *close = strchr(text, ']');
        if (!close)
            return false;
        host = text + 1;
        host_len = (size_t)(close - host);
        if (close[1] == ':')
            port = close + 2;
        else if (close[1] != '\0')
            return false;
    } else {
        const char *colon = strchr(text, ':');
        if (colon && strchr(colon + 1, ':') == NULL) {
            host_len = (size_t)(colon - text);
            port = colon + 1;
        }
    }
    SlAddr a;
    if (!sl_addr_parse_ip_view(host, host_len, &a))
        return false;
    if (port) {
        char *end = NULL;
        unsigned long v = strtoul(port, &end, 10);
        if (!g_ascii_isdigit(*port) || *end != '\0' || v > 65535)
            return false;
        a.port = (uint16_t)v;
    }
    *out = a;
    return true;
}
