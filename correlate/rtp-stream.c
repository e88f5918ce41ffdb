/* sipladder: RTP stream table: which UDP payloads are RTP, one stream per
 * (source, destination, SSRC), and the metrics of Wireshark 4.0's RTP
 * Stream Analysis, computed in one pass with constant memory per stream.
 *
 * The code is written from the behaviour of Wireshark 4.0 (RTP heuristic
 * and conversations in epan/dissectors/packet-rtp.c, SDP in packet-sdp.c,
 * the analysis in ui/tap-rtp-analysis.c and ui/tap-rtp-common.c) and of
 * RFC 3550; each computation says which one it follows and where the two
 * differ. */
#include "rtp-stream.h"

#include <math.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "rtp-pt.h"
#include "rtp.h"

/* ---- conversations ----
 *
 * Wireshark keeps RTP state per "conversation", not per stream:
 *   - SDP media: an address and port announced in SDP (any peer). Packets
 *     to it, or failing that from it, are dissected as RTP (or as T.38 for
 *     an m=image udptl line) whatever their ports, and its dynamic payload
 *     types take the names and rates of the SDP's a=rtpmap lines.
 *   - heuristic: created by the first packet the RTP heuristic accepts
 *     from a source port to a destination address and port, when no
 *     conversation matches; it has no payload type map.
 * For its payload map a packet uses the heuristic conversation of
 * (destination, source port) if there is one (it has no map, so a
 * heuristic conversation created by packets that came before the SDP
 * keeps hiding the SDP's names), else the SDP media at the destination,
 * else the one at the source. */
enum { CONV_HEUR = 0, CONV_SDP_RTP, CONV_SDP_OTHER };
/* How a stream's packets are dissected. */
enum { PATH_HEUR = 0, PATH_SDP, PATH_OTHER, PATH_PORT };

#define DYN_FIRST 96u
#define N_DYN 32u
/* Change counters of conversations, by a hash of their address (see
 * addr_changed); a power of two. */
#define N_ADDR_GEN 16384u

typedef struct {
    SlAddr addr;    /* SDP: the media address; heuristic: the destination */
    uint16_t port2; /* heuristic: the source port; SDP: 0 */
    uint16_t zero;
} ConvKey;

typedef struct {
    const char *name[N_DYN]; /* a=rtpmap encoding names of 96..127, interned
                              * in the table (streams keep them); NULL when absent */
    uint32_t rate[N_DYN];
} ConvMap;

struct RtpConv {
    ConvKey key;
    uint8_t kind;
    SlTime setup_ts;
    ConvMap *map;    /* SDP RTP media only */
};

typedef struct {
    SlAddr src, dst;
    uint32_t ssrc;
} StreamKey;

typedef struct StreamEntry StreamEntry;
struct StreamEntry {
    StreamKey key;
    /* The stream whose packet came after this one's last time. Streams of
     * a busy trunk send every 20 ms in a nearly fixed order, so it is
     * likely the next again: its state is prefetched while this packet is
     * worked on (see stream_prefetch). */
    StreamEntry *next;
    RtpStream s;
};

/* The streams by key: open addressing with linear probing over slots that
 * keep each key's hash, so a lookup reads one slot and the entry it finds
 * (its key and the state the packet updates share the first cache line). */
typedef struct {
    guint hash;
    StreamEntry *e; /* NULL: free */
} StreamSlot;

struct RtpStreamTable {
    StreamSlot *slots;      /* n_slots, a power of two, at most half used */
    guint n_slots, n_used;
    StreamEntry *last;      /* the stream of the last RTP packet */
    GPtrArray *order;       /* RtpStream* in id order; owns the entries */
    /* The tables own their conversations. A replaced one is freed at once:
     * only stream caches made invalid by the change (addr_gen) still point
     * to it, and those are never followed. */
    GHashTable *sdp_convs;  /* ConvKey* -> RtpConv* in force at that address */
    GHashTable *heur_convs; /* ConvKey* -> RtpConv* */
    GHashTable *names;      /* interned encoding names (owned keys) */
    /* A packet's conversations are all keyed by its source or destination
     * address (ip and port): a change at an address bumps the counter of
     * that address's bucket, and a stream's cached lookup stays valid
     * while the counters of its two addresses' buckets are unchanged. So
     * a call's SDP re-resolves only the streams at its addresses (and at
     * those sharing their buckets), not every stream of the capture. */
    guint addr_gen[N_ADDR_GEN];
    guint max_streams, max_convs;
    SlTime origin;
    bool has_origin;
    RtpPacketFunc packet_func; /* optional observer of every RTP packet */
    gpointer packet_user;
    bool finished;
    RtpStreamTableStats stats;
};

/* A multiply-xorshift over 64-bit words (then the 32-bit tail); keys are
 * zero-filled so padding never differs. */
static guint
hash_words(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint64_t h = UINT64_C(0x9e3779b97f4a7c15) ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        h = (h ^ w) * UINT64_C(0xbf58476d1ce4e5b9);
        h ^= h >> 31;
    }
    if (i + 4 <= n) {
        uint32_t w;
        memcpy(&w, b + i, 4);
        h = (h ^ w) * UINT64_C(0x94d049bb133111eb);
        h ^= h >> 29;
    }
    return (guint)(h ^ (h >> 32));
}

static guint
stream_key_hash(gconstpointer k)
{
    return hash_words(k, sizeof(StreamKey));
}

static gboolean
stream_key_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(StreamKey)) == 0;
}

static guint
conv_key_hash(gconstpointer k)
{
    return hash_words(k, sizeof(ConvKey));
}

static gboolean
conv_key_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(ConvKey)) == 0;
}

static void
addr_copy_clean(SlAddr *dst, const SlAddr *src)
{
    *dst = *src;
    dst->reserved = 0;
}

static guint
addr_bucket(const SlAddr *a)
{
    SlAddr k;
    addr_copy_clean(&k, a);
    return hash_words(&k, sizeof k) & (N_ADDR_GEN - 1);
}

/* A conversation keyed by @addr was added or changed. */
static void
addr_changed(RtpStreamTable *t, const SlAddr *addr)
{
    t->addr_gen[addr_bucket(addr)]++;
}

static bool
stream_cache_valid(const RtpStreamTable *t, const RtpStream *s)
{
    return s->conv_gen_src == t->addr_gen[s->conv_bucket_src] &&
           s->conv_gen_dst == t->addr_gen[s->conv_bucket_dst];
}

static void
conv_key_init(ConvKey *k, const SlAddr *addr, uint16_t port2)
{
    memset(k, 0, sizeof *k);
    addr_copy_clean(&k->addr, addr);
    k->port2 = port2;
}

static void
conv_map_free(ConvMap *m)
{
    g_free(m);
}

static void
conv_free(gpointer p)
{
    RtpConv *c = p;
    conv_map_free(c->map);
    g_free(c);
}

static StreamEntry *
stream_entry(RtpStream *s)
{
    return (StreamEntry *)((char *)s - offsetof(StreamEntry, s));
}

static void
stream_free(gpointer p)
{
    RtpStream *s = p;
    StreamEntry *e = stream_entry(s);
    if (s->payload_types)
        g_array_unref(s->payload_types);
    g_free(s->payload_names);
    g_free(e);
}

RtpStreamTable *
rtp_stream_table_new(void)
{
    RtpStreamTable *t = g_new0(RtpStreamTable, 1);
    t->n_slots = 64;
    t->slots = g_new0(StreamSlot, t->n_slots);
    t->order = g_ptr_array_new_with_free_func(stream_free);
    t->sdp_convs = g_hash_table_new_full(conv_key_hash, conv_key_equal, NULL, conv_free);
    t->heur_convs = g_hash_table_new_full(conv_key_hash, conv_key_equal, NULL, conv_free);
    t->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    t->max_streams = RTP_STREAM_TABLE_MAX_STREAMS;
    t->max_convs = RTP_STREAM_TABLE_MAX_CONVS;
    return t;
}

void
rtp_stream_table_free(RtpStreamTable *t)
{
    if (t == NULL)
        return;
    g_free(t->slots);
    g_ptr_array_free(t->order, TRUE);
    g_hash_table_destroy(t->sdp_convs);
    g_hash_table_destroy(t->heur_convs);
    g_hash_table_destroy(t->names);
    g_free(t);
}

void
rtp_stream_table_set_limits(RtpStreamTable *t, guint max_streams, guint max_convs)
{
    g_return_if_fail(t != NULL);
    if (max_streams)
        t->max_streams = max_streams;
    if (max_convs)
        t->max_convs = max_convs;
}

void
rtp_stream_table_set_max_streams(RtpStreamTable *t, guint max_streams)
{
    g_return_if_fail(t != NULL);
    t->max_streams = max_streams;
}

void
rtp_stream_table_set_time_origin(RtpStreamTable *t, SlTime origin)
{
    g_return_if_fail(t != NULL);
    t->origin = origin;
    t->has_origin = true;
}

/* Wireshark's nstime_to_msec() of the time relative to the origin: whole
 * seconds and nanoseconds (both negative before it), then a double. */
static double
rel_ms(const RtpStreamTable *t, SlTime ts)
{
    SlTime rel = ts - t->origin;
    int64_t secs = rel / SL_TIME_SECOND, nsecs = rel % SL_TIME_SECOND;
    return (double)secs * 1000.0 + (double)nsecs / 1000000.0;
}

const RtpStreamTableStats *
rtp_stream_table_stats(const RtpStreamTable *t)
{
    g_return_val_if_fail(t != NULL, NULL);
    return &t->stats;
}

GPtrArray *
rtp_stream_table_streams(RtpStreamTable *t)
{
    g_return_val_if_fail(t != NULL, NULL);
    return t->order;
}

/* A new conversation, or NULL (counted) at the bound; one that replaces
 * another (@replacing) does not grow the tables and is always made. */
static RtpConv *
conv_new(RtpStreamTable *t, const ConvKey *key, uint8_t kind, SlTime setup_ts, bool replacing)
{
    if (!replacing &&
        g_hash_table_size(t->sdp_convs) + g_hash_table_size(t->heur_convs) >= t->max_convs) {
        t->stats.convs_limit++;
        return NULL;
    }
    RtpConv *c = g_new0(RtpConv, 1);
    c->key = *key;
    c->kind = kind;
    c->setup_ts = setup_ts;
    addr_changed(t, &key->addr);
    return c;
}

/* The table's copy of @name (streams keep the names of their payload
 * types after the conversation that named them is gone); NULL, counted,
 * once RTP_STREAM_TABLE_MAX_NAMES distinct names are kept. */
static const char *
name_intern(RtpStreamTable *t, const char *name)
{
    const char *kept = g_hash_table_lookup(t->names, name);
    if (kept)
        return kept;
    if (g_hash_table_size(t->names) >= RTP_STREAM_TABLE_MAX_NAMES) {
        t->stats.names_limit++;
        return NULL;
    }
    char *copy = g_strdup(name);
    g_hash_table_insert(t->names, copy, copy);
    return copy;
}

static ConvMap *
conv_map_new(RtpStreamTable *t, const RtpPayloadMap *map, size_t n_map)
{
    ConvMap *m = g_new0(ConvMap, 1);
    for (size_t i = 0; map && i < n_map; i++) {
        unsigned pt = map[i].pt;
        if (pt < DYN_FIRST || pt > RTP_PT_MAX || map[i].name == NULL)
            continue;
        m->name[pt - DYN_FIRST] = name_intern(t, map[i].name);
        m->rate[pt - DYN_FIRST] = map[i].clock_rate;
    }
    return m;
}

/* Wireshark sorts the conversations of one address by the frame that set
 * them up and uses the latest; a second setup by the same frame updates
 * that conversation (its running state stays). Setup times stand in for
 * frame numbers here. */
static void
sdp_media_set(RtpStreamTable *t, const SlAddr *addr, SlTime ts, uint8_t kind,
              const RtpPayloadMap *map, size_t n_map)
{
    ConvKey key;
    conv_key_init(&key, addr, 0);
    RtpConv *cur = g_hash_table_lookup(t->sdp_convs, &key);
    if (cur && ts < cur->setup_ts)
        return; /* never in force: a later setup already is */
    RtpConv *c = cur;
    if (cur == NULL || ts > cur->setup_ts) {
        c = conv_new(t, &key, kind, ts, cur != NULL);
        if (c == NULL)
            return;
        g_hash_table_replace(t->sdp_convs, &c->key, c);
    }
    c->kind = kind;
    conv_map_free(c->map);
    c->map = kind == CONV_SDP_RTP ? conv_map_new(t, map, n_map) : NULL;
    addr_changed(t, &key.addr);
}

void
rtp_stream_table_expect(RtpStreamTable *t, const SlAddr *addr, SlTime ts, const RtpPayloadMap *map,
                        size_t n_map)
{
    g_return_if_fail(t != NULL && addr != NULL);
    sdp_media_set(t, addr, ts, CONV_SDP_RTP, map, n_map);
}

void
rtp_stream_table_expect_not_rtp(RtpStreamTable *t, const SlAddr *addr, SlTime ts)
{
    g_return_if_fail(t != NULL && addr != NULL);
    sdp_media_set(t, addr, ts, CONV_SDP_OTHER, NULL, 0);
}

/* UDP ports that Wireshark 4.0 gives to a protocol whose dissector takes
 * any payload (`tshark -G decodes`, udp.port): the well-known services
 * below 1024 and a few common registered ones. Without SDP, packets to or
 * from them never reach the RTP heuristic (packet-udp.c tries the low
 * port, then the high port, before heuristics). Ports of dissectors that
 * check their payload (STUN, ICQ, OICQ on 8000...) are not listed: RTP on
 * them still reaches the heuristic. */
static const uint16_t claimed_ports[] = {
    7,    13,   19,   37,   49,   53,   67,   68,   69,   88,   111,  123,  137,
    138,  161,  162,  173,  177,  213,  269,  319,  320,  389,  427,  434,  464,
    473,  496,  500,  502,  513,  514,  520,  521,  524,  525,  539,  546,  547,
    573,  623,  631,  646,  654,  664,  698,  699,  701,  750,  853,  854,  910,
    921,  925,  1645, 1646, 1700, 1701, 1812, 1813, 1900, 2055, 4500, 4739, 4789,
    5353, 5355, 6343, 9996,
};

static int
cmp_port(const void *a, const void *b)
{
    return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static bool
port_is_claimed(uint16_t port)
{
    return bsearch(&port, claimed_ports, G_N_ELEMENTS(claimed_ports), sizeof port, cmp_port) !=
           NULL;
}

/* Which dissector takes the packet and which conversation holds its
 * state. Dissector: the SDP media at the destination, else at the source
 * (packet-udp.c tries the conversation before ports and heuristics).
 * Map: packet-rtp.c get_conv_info(): the heuristic conversation of
 * (destination, source port), else the media at the destination, else
 * the one at the source. */
static void
conv_resolve(RtpStreamTable *t, const CapPacket *pkt, uint8_t *path, RtpConv **data)
{
    ConvKey k;
    conv_key_init(&k, &pkt->dst, 0);
    RtpConv *at_dst = g_hash_table_lookup(t->sdp_convs, &k);
    conv_key_init(&k, &pkt->src, 0);
    RtpConv *at_src = g_hash_table_lookup(t->sdp_convs, &k);
    RtpConv *dis = at_dst ? at_dst : at_src;
    if (dis)
        *path = dis->kind == CONV_SDP_OTHER ? PATH_OTHER : PATH_SDP;
    else if (port_is_claimed(pkt->src.port) || port_is_claimed(pkt->dst.port))
        *path = PATH_PORT;
    else
        *path = PATH_HEUR;
    conv_key_init(&k, &pkt->dst, pkt->src.port);
    RtpConv *heur = g_hash_table_lookup(t->heur_convs, &k);
    *data = heur ? heur : dis;
}

/* ---- payload types ---- */

/* Wireshark's rtp_payload_type_short_vals. */
static const char *const static_names[96] = {
    [0] = "g711U", [1] = "fs-1016", [2] = "g721", [3] = "GSM", [4] = "g723",
    [5] = "DVI4 8k", [6] = "DVI4 16k", [7] = "Exp. from Xerox PARC", [8] = "g711A",
    [9] = "g722", [10] = "16-bit audio, stereo", [11] = "16-bit audio, monaural",
    [12] = "Qualcomm", [13] = "CN", [14] = "MPEG-I/II Audio", [15] = "g728",
    [16] = "DVI4 11k", [17] = "DVI4 22k", [18] = "g729", [19] = "CN(old)",
    [25] = "CellB", [26] = "JPEG", [28] = "NV", [31] = "h261", [32] = "MPEG-I/II Video",
    [33] = "MPEG-II streams", [34] = "h263",
    [72] = "Reserved for RTCP conflict avoidance", [73] = "Reserved for RTCP conflict avoidance",
    [74] = "Reserved for RTCP conflict avoidance", [75] = "Reserved for RTCP conflict avoidance",
    [76] = "Reserved for RTCP conflict avoidance",
};

static const char *const dyn_short_names[N_DYN] = {
    "RTPType-96",  "RTPType-97",  "RTPType-98",  "RTPType-99",  "RTPType-100", "RTPType-101",
    "RTPType-102", "RTPType-103", "RTPType-104", "RTPType-105", "RTPType-106", "RTPType-107",
    "RTPType-108", "RTPType-109", "RTPType-110", "RTPType-111", "RTPType-112", "RTPType-113",
    "RTPType-114", "RTPType-115", "RTPType-116", "RTPType-117", "RTPType-118", "RTPType-119",
    "RTPType-120", "RTPType-121", "RTPType-122", "RTPType-123", "RTPType-124", "RTPType-125",
    "RTPType-126", "RTPType-127",
};

const char *
rtp_stream_pt_short_name(unsigned pt)
{
    if (pt < DYN_FIRST)
        return static_names[pt] ? static_names[pt] : "Unassigned";
    if (pt <= RTP_PT_MAX)
        return dyn_short_names[pt - DYN_FIRST];
    return "Unknown";
}

/* Wireshark's clock rates of static payload types (ui/tap-rtp-analysis.c
 * clock_map: RFC 3551 tables 4 and 5 plus 1016, G721 and old CN). */
static uint32_t
static_clock_rate(unsigned pt)
{
    switch (pt) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 7: case 8: case 9:
    case 12: case 13: case 15: case 18: case 19:
        return 8000;
    case 6:
        return 16000;
    case 10: case 11:
        return 44100;
    case 16:
        return 11025;
    case 17:
        return 22050;
    case 14: case 25: case 26: case 28: case 31: case 32: case 33: case 34:
        return 90000;
    default:
        return 0;
    }
}

/* Wireshark's rate of a dynamic payload type known only by name
 * (get_dyn_pt_clock_rate): the name starts with one of these
 * (case-insensitive), tried from the last so that "AMR-WB" wins over
 * "AMR". */
static const struct {
    const char *prefix;
    uint32_t rate;
} dyn_rates[] = {
    { "AMR", 8000 },       { "AMR-WB", 16000 },    { "BMPEG", 90000 },     { "BT656", 90000 },
    { "DV", 90000 },       { "EVRC", 8000 },       { "EVRC0", 8000 },      { "EVRC1", 8000 },
    { "EVRCB", 8000 },     { "EVRCB0", 8000 },     { "EVRCB1", 8000 },     { "EVRCWB", 16000 },
    { "EVRCWB0", 16000 },  { "EVRCWB1", 16000 },   { "EVS", 16000 },       { "G7221", 16000 },
    { "G726-16", 8000 },   { "G726-24", 8000 },    { "G726-32", 8000 },    { "G726-40", 8000 },
    { "G729D", 8000 },     { "G729E", 8000 },      { "GSM-EFR", 8000 },    { "H263-1998", 90000 },
    { "H263-2000", 90000 }, { "H264", 90000 },     { "MP1S", 90000 },      { "MP2P", 90000 },
    { "MP4V-ES", 90000 },  { "mpa-robust", 90000 }, { "opus", 48000 },     { "pointer", 90000 },
    { "raw", 90000 },      { "red", 1000 },        { "SMV", 8000 },        { "SMV0", 8000 },
    { "t140", 1000 },      { "telephone-event", 8000 },
};

static bool
has_prefix_ci(const char *s, const char *prefix)
{
    return g_ascii_strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static uint32_t
dyn_clock_rate(const char *name)
{
    for (size_t i = G_N_ELEMENTS(dyn_rates); i-- > 0;)
        if (has_prefix_ci(name, dyn_rates[i].prefix))
            return dyn_rates[i].rate;
    return 0;
}

/* Name and clock rate of @pt for a packet whose data conversation is
 * @conv (NULL: none). Static types: no name here (the table one is used
 * at the end) and the static rate. Dynamic types: the SDP map's entry
 * when the conversation has a map (none when the type is missing from
 * it); otherwise what Wireshark registers on those numbers by default
 * (RFC 2198 redundancy on 99, RFC 4733 events on 100 and 101). The rate:
 * 0 for telephone-event (RFC 4733 2.2.1: the timestamp stays at the start
 * of the event, so Wireshark leaves such packets out of jitter), else the
 * rtpmap rate, else one known for the name, else 0. */
static const char *
pt_name_rate(const RtpConv *conv, unsigned pt, uint32_t *rate)
{
    if (pt < DYN_FIRST) {
        *rate = static_clock_rate(pt);
        return NULL;
    }
    const char *name = NULL;
    uint32_t map_rate = 0;
    if (conv && conv->map) {
        name = conv->map->name[pt - DYN_FIRST];
        map_rate = conv->map->rate[pt - DYN_FIRST];
    } else if (pt == 99) {
        name = "rtp.rfc2198";
    } else if (pt == 100 || pt == 101) {
        name = "rtpevent";
    }
    if (name == NULL || has_prefix_ci(name, "telephone-event"))
        *rate = 0;
    else
        *rate = map_rate ? map_rate : dyn_clock_rate(name);
    return name;
}

/* ---- the analysis of one packet ----
 *
 * Wireshark 4.0 rtppacket_analyse(), which is RFC 3550 in spirit with
 * these differences:
 *   - time order: a packet is "in time" when its RTP timestamp is at most
 *     2^31 ahead of the first packet's (modulo 2^32), not when it is ahead
 *     of the previous one. Packets out of time are flagged (wrong
 *     timestamp), skip the jitter and leave the arrival reference alone.
 *   - sequence numbers (A.1): no probation and no restart detection. A
 *     packet one after the last in-order one is in order; one further
 *     ahead, or more than 0xFF00 behind (a lost wrap), counts a wrong
 *     sequence number and becomes the reference; one behind (late or
 *     duplicate) counts a wrong sequence number and is ignored. Cycles
 *     count when a number falls below the first one.
 *   - expected and lost (A.3): expected is last - first + 1 + 65536 *
 *     cycles, with "last" the number of the last packet received, not the
 *     highest; lost = expected - received, so duplicates make it negative.
 *   - jitter (A.8): J += (|D| - J) / 16 in milliseconds, where D compares
 *     the arrival time since the last in-time packet with the RTP time
 *     since the last in-time packet of known clock rate, both RTP times
 *     taken from the first packet at the current packet's rate (so a rate
 *     change shows as a jump). Only in-time packets of known rate update
 *     it; RFC 4733 events (rate 0, see pt_name_rate) do not. The mean and
 *     extremes only count "regular" packets: no marker, not comfort noise
 *     or right after it, in time. Mean delta and mean jitter are running
 *     means that divide by the number of packets so far, regular or not,
 *     as Wireshark does.
 *   - the clock rate divides as an integer number of kHz (44100 Hz counts
 *     as 44 kHz), as Wireshark does. */
static void
calc_first(RtpStreamCalc *c, const RtpHdr *h, double now_ms)
{
    c->started = true;
    c->start_seq = c->stop_seq = c->seq_num = h->seq;
    c->first_ts = h->timestamp;
    c->first_ms = c->time_ms = now_ms;
    c->last_pt = h->pt;
    c->min_delta = -1;
    c->min_jitter = -1;
    c->total = 1;
}

static void
calc_sequence(RtpStreamCalc *c, unsigned seq, bool in_time, bool *wrong_seq)
{
    /* cycles: a number below the first one starts a new cycle; one above
     * it ends the "under" state. */
    if (in_time && !c->under &&
        (seq < c->start_seq || (seq == 0 && c->stop_seq == 65535))) {
        c->seq_cycles++;
        c->under = true;
    } else if (in_time && c->under && seq > c->start_seq) {
        c->under = false;
    }

    int next = (int)c->seq_num + 1;
    int s = (int)seq;
    *wrong_seq = false;
    if (in_time && next == s) {
        c->seq_num = (uint16_t)seq;
    } else if (in_time && c->seq_num == 65535 && s == 0) {
        c->seq_num = 0;
    } else if (in_time && (next < s || (int)c->seq_num - s > 0xFF00)) {
        c->seq_num = (uint16_t)seq; /* lost packets (or a lost wrap) */
        *wrong_seq = true;
    } else if (next > s) {
        *wrong_seq = true; /* late or duplicate */
    }
}

static void
calc_packet(RtpStream *st, const RtpHdr *h, uint64_t frame, double now_ms, uint32_t clock_rate)
{
    RtpStreamCalc *c = &st->calc;
    if (!c->started) {
        calc_first(c, h, now_ms);
        return;
    }
    uint32_t rtp_elapsed = h->timestamp - c->first_ts; /* modulo 2^32 */
    bool in_time = rtp_elapsed < UINT32_C(0x80000000);
    bool wrong_seq;
    calc_sequence(c, h->seq, in_time, &wrong_seq);
    if (wrong_seq)
        c->wrong_seq++;
    if (wrong_seq || !in_time)
        c->problem = true;

    bool is_cn = h->pt == 13 || h->pt == 19;
    bool follows_cn = c->last_pt == 13 || c->last_pt == 19;
    if (h->pt != c->last_pt)
        st->pt_changes++;
    c->last_pt = h->pt;

    /* A rate under 1 kHz would divide by zero in Wireshark; treat it as
     * unknown. */
    uint32_t khz = clock_rate / 1000;
    double delta = now_ms - c->time_ms;
    double jitter_now = 0;
    c->delta = delta;
    if (khz != 0 && in_time) {
        c->last_clock_rate = clock_rate;
        double nominal = (double)rtp_elapsed / (double)khz;
        /* in Wireshark's order of operations, for the same last bits */
        double expected = c->time_ms + (nominal - c->last_nominal);
        double d = fabs(now_ms - expected);
        jitter_now = (15 * c->jitter + d) / 16;
        c->jitter = jitter_now;
        c->last_nominal = nominal;
        /* skew: RTP time minus arrival time, both since the first packet */
        c->skew = nominal - (now_ms - c->first_ms);
        if (fabs(c->skew) > fabs(c->max_skew))
            c->max_skew = c->skew;
    }

    bool regular = !h->marker && !is_cn && in_time && !follows_cn;
    if (regular) {
        if (delta > c->max_delta) {
            c->max_delta = delta;
            c->max_delta_frame = frame;
        }
        if (c->min_delta == -1 || delta < c->min_delta)
            c->min_delta = delta;
        c->mean_delta = (c->mean_delta * (c->total - 1) + delta) / c->total;
        c->has_delta = true;
        if (khz != 0) {
            if (c->jitter > c->max_jitter)
                c->max_jitter = c->jitter;
            c->mean_jitter = (c->mean_jitter * (c->total - 1) + jitter_now) / c->total;
            if (c->min_jitter == -1 || c->jitter < c->min_jitter)
                c->min_jitter = c->jitter;
            c->has_jitter = true;
        }
    }
    if (in_time)
        c->time_ms = now_ms;
    c->stop_seq = h->seq;
    c->total++;
}

/* ---- streams ---- */

/* Asks for the cache lines that a packet of @e reads and updates: the
 * entry up to the stream's cold fields. */
static void
stream_prefetch(const StreamEntry *e)
{
    const char *p = (const char *)e;
    for (size_t off = 0; off < offsetof(StreamEntry, s) + offsetof(RtpStream, id); off += 64)
        __builtin_prefetch(p + off, 1);
}

static StreamEntry *
stream_find(const RtpStreamTable *t, const StreamKey *key, guint hash)
{
    guint mask = t->n_slots - 1;
    for (guint i = hash & mask;; i = (i + 1) & mask) {
        const StreamSlot *sl = &t->slots[i];
        if (sl->e == NULL)
            return NULL;
        if (sl->hash == hash && memcmp(&sl->e->key, key, sizeof *key) == 0)
            return sl->e;
    }
}

static void
slot_put(StreamSlot *slots, guint n_slots, StreamEntry *e, guint hash)
{
    guint mask = n_slots - 1;
    guint i = hash & mask;
    while (slots[i].e)
        i = (i + 1) & mask;
    slots[i].hash = hash;
    slots[i].e = e;
}

static void
stream_insert(RtpStreamTable *t, StreamEntry *e, guint hash)
{
    if ((t->n_used + 1) * 2 > t->n_slots) {
        guint n = t->n_slots * 2;
        StreamSlot *grown = g_new0(StreamSlot, n);
        for (guint i = 0; i < t->n_slots; i++)
            if (t->slots[i].e)
                slot_put(grown, n, t->slots[i].e, t->slots[i].hash);
        g_free(t->slots);
        t->slots = grown;
        t->n_slots = n;
    }
    slot_put(t->slots, t->n_slots, e, hash);
    t->n_used++;
}

static RtpStream *
stream_new(RtpStreamTable *t, const StreamKey *key, guint hash, const CapPacket *pkt)
{
    StreamEntry *e = g_new0(StreamEntry, 1);
    e->key = *key;
    RtpStream *s = &e->s;
    s->id = t->order->len + 1;
    s->src = key->src;
    s->dst = key->dst;
    s->ssrc = key->ssrc;
    s->first_ts = pkt->ts;
    s->first_frame = pkt->frame;
    s->conv_bucket_src = (uint16_t)addr_bucket(&key->src);
    s->conv_bucket_dst = (uint16_t)addr_bucket(&key->dst);
    s->payload_types = g_array_new(FALSE, FALSE, sizeof(guint8));
    g_ptr_array_add(t->order, s);
    stream_insert(t, e, hash);
    return s;
}

static void
stream_note_pt(RtpStream *s, unsigned pt, const char *name)
{
    guint64 bit = G_GUINT64_CONSTANT(1) << (pt & 63);
    if (s->pt_seen[pt >> 6] & bit)
        return;
    s->pt_seen[pt >> 6] |= bit;
    guint8 v = (guint8)pt;
    g_array_append_val(s->payload_types, v);
    if (pt >= DYN_FIRST)
        s->dyn_name[pt - DYN_FIRST] = name;
}

/* The P bit as Wireshark handles it (packet-rtp.c). The heuristic checks
 * the count unless the frame was cut by the snaplen (then the last byte
 * is not the count): a count of 0 or longer than what follows the header
 * is not RTP. The dissector, heuristic or SDP, then never taps a cut
 * frame with P, nor one with nothing after the header or a count of 0
 * (showing the count throws before the tap); a count that is too long is
 * clipped. One case is left out on purpose: with a count of 0 Wireshark
 * does tap the packet when the payload's own dissector throws first (an
 * RFC 4733 event shorter than 4 bytes...); such a packet is not RTP here. */
static bool
padding_passes_heuristic(const CapPacket *pkt, const RtpHdr *hdr)
{
    if (!hdr->padding || (pkt->flags & CAP_PKT_TRUNCATED))
        return true;
    size_t after_header = pkt->payload.len - hdr->header_len;
    int count = sl_view_at(pkt->payload, pkt->payload.len - 1);
    return count > 0 && (size_t)count <= after_header;
}

static bool
padding_is_tapped(const CapPacket *pkt, const RtpHdr *hdr)
{
    if (!hdr->padding)
        return true;
    if (pkt->flags & CAP_PKT_TRUNCATED)
        return false;
    size_t after_header = pkt->payload.len - hdr->header_len;
    int count = sl_view_at(pkt->payload, pkt->payload.len - 1);
    return after_header > 0 && count > 0;
}

bool
rtp_stream_table_packet(RtpStreamTable *t, const CapPacket *pkt)
{
    return rtp_stream_table_feed(t, pkt) != NULL;
}

RtpStream *
rtp_stream_table_feed(RtpStreamTable *t, const CapPacket *pkt)
{
    g_return_val_if_fail(t != NULL && pkt != NULL, NULL);
    if (t->finished)
        return NULL;
    t->stats.offered++;
    if (pkt->transport != CAP_TRANSPORT_UDP)
        return NULL;
    /* Version 2 only: neither the heuristic nor an SDP conversation takes
     * anything else as RTP (RFC 7983: first byte 128..191). */
    int b0 = sl_view_at(pkt->payload, 0);
    if (b0 < 0 || (b0 >> 6) != RTP_VERSION)
        return NULL;

    RtpHdr hdr;
    (void)rtp_hdr_parse(pkt->payload, &hdr, NULL); /* header_len says what parsed */
    StreamKey key;
    memset(&key, 0, sizeof key);
    addr_copy_clean(&key.src, &pkt->src);
    addr_copy_clean(&key.dst, &pkt->dst);
    key.ssrc = hdr.ssrc;

    guint hash = stream_key_hash(&key);
    StreamEntry *e = stream_find(t, &key, hash);
    RtpStream *s = e ? &e->s : NULL;
    if (s) {
        /* the state this packet updates, and the observer's: ask for all
         * of it at once rather than miss the cache line after line */
        stream_prefetch(e);
        if (s->observer_data)
            __builtin_prefetch(s->observer_data, 1);
    }
    uint8_t path;
    RtpConv *conv;
    if (s && stream_cache_valid(t, s)) {
        path = s->conv_path;
        conv = s->conv;
    } else {
        conv_resolve(t, pkt, &path, &conv);
    }

    if (path == PATH_OTHER) {
        t->stats.not_rtp_sdp++;
        return NULL;
    }
    if (path == PATH_PORT) {
        t->stats.claimed_port++;
        return NULL;
    }
    if (hdr.header_len == 0) {
        /* the CSRC list or extension runs past the end: Wireshark throws
         * before tapping the packet */
        if (path == PATH_SDP)
            t->stats.malformed++;
        return NULL;
    }
    if (path == PATH_HEUR) {
        /* packet-rtp.c dissect_rtp_heur(): PT 72..76 (marker or not) and a
         * bad padding count are not RTP. What passes creates the
         * conversation, even when the dissector then finds RTCP (RTPFB,
         * PSFB, XR: marker + 77..79) or does not tap it (padding). */
        if (hdr.pt >= RTP_PT_RTCP_RESERVED_FIRST && hdr.pt <= RTP_PT_RTCP_RESERVED_LAST) {
            t->stats.rtcp_conflict += hdr.marker;
            return NULL;
        }
        if (!padding_passes_heuristic(pkt, &hdr))
            return NULL;
        if (conv == NULL) {
            ConvKey k;
            conv_key_init(&k, &pkt->dst, pkt->src.port);
            conv = conv_new(t, &k, CONV_HEUR, pkt->ts, false);
            if (conv)
                g_hash_table_insert(t->heur_convs, &conv->key, conv);
        }
    }
    if (rtp_hdr_is_rtcp_conflict(&hdr)) {
        t->stats.rtcp_conflict++;
        return NULL;
    }
    if (!padding_is_tapped(pkt, &hdr)) {
        t->stats.malformed++;
        return NULL;
    }

    if (s == NULL) {
        if (t->order->len >= t->max_streams) {
            t->stats.streams_limit++;
            return NULL;
        }
        s = stream_new(t, &key, hash, pkt);
    }
    s->conv = conv;
    s->conv_path = path;
    s->conv_gen_src = t->addr_gen[s->conv_bucket_src];
    s->conv_gen_dst = t->addr_gen[s->conv_bucket_dst];
    if (path == PATH_SDP)
        s->from_sdp = true;

    /* a conversation without RTP state (T.38's) gives no map; static
     * types need none (and the conversation stays out of the cache) */
    uint32_t rate;
    const char *name = pt_name_rate(hdr.pt >= DYN_FIRST && conv && conv->kind != CONV_SDP_OTHER
                                        ? conv
                                        : NULL,
                                    hdr.pt, &rate);
    if (!t->has_origin)
        rtp_stream_table_set_time_origin(t, pkt->ts);
    calc_packet(s, &hdr, pkt->frame, rel_ms(t, pkt->ts), rate);
    stream_note_pt(s, hdr.pt, name);
    s->packets++;
    if (hdr.marker)
        s->markers++;
    s->last_ts = pkt->ts;
    s->last_frame = pkt->frame;
    rtp_quality_packet(&s->quality, pkt->ts, hdr.seq, hdr.timestamp, rate);
    t->stats.rtp++;
    e = stream_entry(s);
    if (t->last && t->last != e)
        t->last->next = e;
    t->last = e;
    if (e->next)
        stream_prefetch(e->next);
    if (t->packet_func)
        t->packet_func(s, pkt, hdr.payload, hdr.pt, name, rate, t->packet_user);
    return s;
}

void
rtp_stream_table_set_packet_func(RtpStreamTable *t, RtpPacketFunc func, gpointer user_data)
{
    t->packet_func = func;
    t->packet_user = user_data;
}

/* ---- the end ---- */

static char *
payload_names(const RtpStream *s)
{
    /* ui/tap-rtp-common.c joins the names in payload type order. */
    GString *out = g_string_new(NULL);
    for (unsigned pt = 0; pt <= RTP_PT_MAX; pt++) {
        if (!(s->pt_seen[pt >> 6] & (G_GUINT64_CONSTANT(1) << (pt & 63))))
            continue;
        const char *name = pt >= DYN_FIRST ? s->dyn_name[pt - DYN_FIRST] : NULL;
        if (name == NULL)
            name = rtp_stream_pt_short_name(pt);
        if (out->len)
            g_string_append(out, ", ");
        g_string_append(out, name);
    }
    return g_string_free(out, FALSE);
}

static void
stream_finish(RtpStream *s)
{
    const RtpStreamCalc *c = &s->calc;
    /* ui/tap-rtp-common.c rtpstream_info_calculate(): expected is a
     * guint32 and lost a gint32 there, so a stream whose last number is
     * below its first wraps the same way. */
    uint32_t expected =
        (uint32_t)((int64_t)c->stop_seq + (int64_t)c->seq_cycles * 0x10000 - c->start_seq + 1);
    int32_t lost = (int32_t)(expected - c->total);
    s->expected = expected;
    s->lost = lost;
    s->lost_pct = expected ? (double)lost * 100.0 / (double)expected : 0.0;
    s->seq_errors = c->wrong_seq;
    s->problem = c->problem;
    s->clock_rate = c->last_clock_rate;
    s->min_delta_ms = c->min_delta;
    s->mean_delta_ms = c->mean_delta;
    s->max_delta_ms = c->max_delta;
    s->max_delta_frame = c->max_delta_frame;
    s->min_jitter_ms = c->min_jitter;
    s->mean_jitter_ms = c->mean_jitter;
    s->max_jitter_ms = c->max_jitter;
    s->max_skew_ms = c->max_skew;
    s->has_delta = c->has_delta;
    s->has_jitter = c->has_jitter;
    g_free(s->payload_names);
    s->payload_names = payload_names(s);
}

void
rtp_stream_table_finish(RtpStreamTable *t)
{
    g_return_if_fail(t != NULL);
    if (t->finished)
        return;
    t->finished = true;
    /* other SSRCs on the same source -> destination */
    GHashTable *pairs = g_hash_table_new_full(stream_key_hash, stream_key_equal, g_free, g_free);
    for (guint i = 0; i < t->order->len; i++) {
        RtpStream *s = g_ptr_array_index(t->order, i);
        stream_finish(s);
        StreamKey pk = stream_entry(s)->key;
        pk.ssrc = 0;
        guint *n = g_hash_table_lookup(pairs, &pk);
        if (n == NULL) {
            StreamKey *stored = g_new(StreamKey, 1);
            *stored = pk;
            n = g_new0(guint, 1);
            g_hash_table_insert(pairs, stored, n);
        }
        (*n)++;
    }
    for (guint i = 0; i < t->order->len; i++) {
        RtpStream *s = g_ptr_array_index(t->order, i);
        StreamKey pk = stream_entry(s)->key;
        pk.ssrc = 0;
        const guint *n = g_hash_table_lookup(pairs, &pk);
        s->ssrc_changes_hint = *n - 1;
    }
    g_hash_table_destroy(pairs);
}
