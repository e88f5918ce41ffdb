/* sipladder: internals shared by the decoder's parts (not installed). */
#pragma once

#include "cap-decode.h"

/* --- IP fragment reassembly (cap-ipfrag.c) --- */

typedef struct {
    uint8_t family;
    uint8_t proto; /* IPv4 protocol; 0 for IPv6 (the next header travels inside) */
    uint8_t src[16];
    uint8_t dst[16];
    uint32_t id;
} CapFragKey;

typedef struct CapFragTable CapFragTable;

CapFragTable *cap_frag_table_new(const CapLimits *limits, CapStats *stats);
void cap_frag_table_free(CapFragTable *t);
/* Adds the fragment at byte @offset of its datagram. Returns a complete
 * datagram (caller owns, g_free) with its length in *@out_len once every
 * byte has arrived, else NULL. For IPv6, *@out_next is the next header
 * value of the first fragment's Fragment header. */
uint8_t *cap_frag_add(CapFragTable *t, const CapFragKey *key, SlTime ts, size_t offset,
                      bool more, uint8_t next_header, SlView data, size_t *out_len,
                      uint8_t *out_next);
size_t cap_frag_held(const CapFragTable *t);
/* Drops incomplete datagrams older than the timeout at capture time @now. */
void cap_frag_table_expire(CapFragTable *t, SlTime now);
/* Drops every incomplete datagram. */
void cap_frag_table_clear(CapFragTable *t);

/* --- TCP directions (cap-tcp.c) --- */

typedef struct CapTcpTable CapTcpTable;

enum {
    CAP_TCP_FIN = 0x01,
    CAP_TCP_SYN = 0x02,
    CAP_TCP_RST = 0x04,
};

CapTcpTable *cap_tcp_table_new(const CapLimits *limits, CapStats *stats);
void cap_tcp_table_free(CapTcpTable *t);
/* One segment. @pkt carries frame, time, addresses and ports; its payload
 * and stream are filled before each delivery to @func. */
void cap_tcp_table_segment(CapTcpTable *t, CapPacket *pkt, uint32_t seq, uint8_t flags,
                           SlView data, CapPacketFunc func, gpointer user_data);
void cap_tcp_table_finish(CapTcpTable *t, CapPacketFunc func, gpointer user_data);
size_t cap_tcp_held(const CapTcpTable *t);
