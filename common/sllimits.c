/* sipladder: the named bounds on what grows from input (see sllimits.h).
 * The defaults suit a workstation with 16-32 GiB of memory: together they
 * keep a run under about 8 GiB whatever the capture holds
 * (docs/robustness.md gives the arithmetic and measured figures). */
#include "sllimits.h"

#include <string.h>

#define KiB (UINT64_C(1) << 10)
#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)

static const SlLimitInfo table[SL_LIMIT_COUNT] = {
    [SL_LIMIT_SIP_MESSAGE] = { "sip-message", SL_LIMIT_UNIT_BYTES, 256 * KiB, 1 * KiB, 64 * MiB,
                               "per SIP message",
                               "larger messages are dropped", "messages dropped" },
    /* SipMsg holds at most SIP_MAX_HEADERS (256) header fields */
    [SL_LIMIT_SIP_HEADERS] = { "sip-headers", SL_LIMIT_UNIT_COUNT, 256, 1, 256,
                               "header fields per SIP message",
                               "further header fields are ignored and the message marked",
                               "messages marked" },
    [SL_LIMIT_SIP_VIA] = { "sip-via", SL_LIMIT_UNIT_COUNT, 100, 1, 100000,
                           "Via entries per SIP message",
                           "further Via entries are ignored and the message marked",
                           "messages marked" },
    [SL_LIMIT_MULTIPART_DEPTH] = { "multipart-depth", SL_LIMIT_UNIT_COUNT, 4, 1, 32,
                                   "nested multipart levels searched for SDP",
                                   "deeper parts are not searched and the message marked",
                                   "messages marked" },
    [SL_LIMIT_IP_FRAGMENTS] = { "ip-fragments", SL_LIMIT_UNIT_BYTES, 64 * MiB, 64 * KiB, 16 * GiB,
                                "held by incomplete IP datagrams",
                                "the oldest incomplete datagrams are dropped",
                                "incomplete datagrams dropped" },
    [SL_LIMIT_TCP_BUFFER] = { "tcp-buffer", SL_LIMIT_UNIT_BYTES, 1 * MiB, 4 * KiB, 1 * GiB,
                              "buffered per TCP direction",
                              "the buffered bytes are dropped and the stream resynchronises",
                              "buffers dropped" },
    [SL_LIMIT_TCP_STREAMS] = { "tcp-streams", SL_LIMIT_UNIT_COUNT, 65536, 1, 10000000,
                               "TCP directions followed at once",
                               "the least recently used direction is forgotten",
                               "directions forgotten" },
    [SL_LIMIT_TCP_MEMORY] = { "tcp-memory", SL_LIMIT_UNIT_BYTES, 1 * GiB, 64 * KiB, 64 * GiB,
                              "buffered by every TCP direction together",
                              "the buffer of the direction that grows is dropped",
                              "buffers dropped" },
    [SL_LIMIT_RTP_STREAMS] = { "rtp-streams", SL_LIMIT_UNIT_COUNT, 500000, 1, 100000000,
                               "RTP streams",
                               "packets of further streams are not analysed",
                               "RTP packets not analysed" },
    [SL_LIMIT_CALLS] = { "calls", SL_LIMIT_UNIT_COUNT, 500000, 1, 100000000,
                         "calls and other dialogs",
                         "messages of further Call-IDs are dropped", "messages dropped" },
    [SL_LIMIT_MESSAGES] = { "messages", SL_LIMIT_UNIT_COUNT, 3000000, 1, 1000000000,
                            "SIP messages",
                            "further messages are dropped", "messages dropped" },
    [SL_LIMIT_MESSAGE_BYTES] = { "message-bytes", SL_LIMIT_UNIT_BYTES, 2 * GiB, 64 * KiB,
                                 1024 * GiB, "of SIP messages kept (their bytes)",
                                 "further messages are dropped", "messages dropped" },
    [SL_LIMIT_CALL_MESSAGES] = { "call-messages", SL_LIMIT_UNIT_COUNT, 100000, 1, 1000000000,
                                 "SIP messages per call",
                                 "further messages of that call are dropped",
                                 "messages dropped" },
};

const SlLimitInfo *
sl_limit_info(SlLimitId id)
{
    g_return_val_if_fail((unsigned)id < SL_LIMIT_COUNT, &table[0]);
    return &table[id];
}

bool
sl_limit_lookup(const char *name, SlLimitId *id)
{
    for (unsigned i = 0; name && i < SL_LIMIT_COUNT; i++)
        if (strcmp(name, table[i].name) == 0) {
            *id = (SlLimitId)i;
            return true;
        }
    return false;
}

void
sl_limits_init(SlLimits *l)
{
    for (unsigned i = 0; i < SL_LIMIT_COUNT; i++)
        l->value[i] = table[i].def;
}

/* The multiplier a bytes suffix names, 0 when it is not one. */
static uint64_t
suffix_factor(const char *s)
{
    static const struct {
        const char *text;
        uint64_t factor;
    } suffixes[] = {
        { "", 1 },     { "B", 1 },      { "K", KiB },   { "k", KiB },   { "KiB", KiB },
        { "M", MiB },  { "MiB", MiB },  { "G", GiB },   { "GiB", GiB },
    };
    for (unsigned i = 0; i < G_N_ELEMENTS(suffixes); i++)
        if (strcmp(s, suffixes[i].text) == 0)
            return suffixes[i].factor;
    return 0;
}

bool
sl_limit_parse_value(SlLimitId id, const char *text, uint64_t *out, GError **error)
{
    g_return_val_if_fail((unsigned)id < SL_LIMIT_COUNT && text != NULL, false);
    const SlLimitInfo *info = &table[id];
    size_t digits = 0;
    uint64_t n = 0;
    bool overflow = false;
    while (g_ascii_isdigit(text[digits])) {
        unsigned d = (unsigned)(text[digits] - '0');
        if (n > (UINT64_MAX - d) / 10)
            overflow = true;
        else
            n = n * 10 + d;
        digits++;
    }
    uint64_t factor = info->unit == SL_LIMIT_UNIT_BYTES ? suffix_factor(text + digits)
                                                         : (text[digits] ? 0 : 1);
    if (digits == 0 || factor == 0) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "limit %s: '%s' is not a %s", info->name, text,
                    info->unit == SL_LIMIT_UNIT_BYTES ? "size (N, NK, NM or NG)" : "number");
        return false;
    }
    if (overflow || n > UINT64_MAX / factor || n * factor < info->min ||
        n * factor > info->max) {
        g_autofree char *lo = sl_limit_format(id, info->min);
        g_autofree char *hi = sl_limit_format(id, info->max);
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "limit %s: %s is out of range (%s to %s)", info->name, text, lo, hi);
        return false;
    }
    *out = n * factor;
    return true;
}

bool
sl_limits_set(SlLimits *l, const char *assignment, GError **error)
{
    g_return_val_if_fail(l != NULL && assignment != NULL, false);
    const char *eq = strchr(assignment, '=');
    size_t name_len = eq ? (size_t)(eq - assignment) : strlen(assignment);
    g_autofree char *name = g_strndup(assignment, name_len);
    SlLimitId id;
    if (!sl_limit_lookup(name, &id)) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "no limit named '%s' (--limit help lists them)", name);
        return false;
    }
    if (!eq) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "limit %s: give NAME=VALUE", name);
        return false;
    }
    uint64_t v;
    if (!sl_limit_parse_value(id, eq + 1, &v, error))
        return false;
    l->value[id] = v;
    return true;
}

bool
sl_limits_set_list(SlLimits *l, const char *list, GError **error)
{
    g_return_val_if_fail(l != NULL, false);
    if (!list)
        return true;
    g_auto(GStrv) items = g_strsplit_set(list, ",; \t\n", -1);
    for (int i = 0; items[i]; i++)
        if (items[i][0] && !sl_limits_set(l, items[i], error))
            return false;
    return true;
}

char *
sl_limits_to_string(const SlLimits *l)
{
    GString *s = g_string_new(NULL);
    for (unsigned i = 0; i < SL_LIMIT_COUNT; i++) {
        if (l->value[i] == table[i].def)
            continue;
        g_string_append_printf(s, "%s%s=%" G_GUINT64_FORMAT, s->len ? "," : "", table[i].name,
                               l->value[i]);
    }
    return g_string_free(s, FALSE);
}

char *
sl_limit_format(SlLimitId id, uint64_t v)
{
    g_return_val_if_fail((unsigned)id < SL_LIMIT_COUNT, g_strdup("?"));
    if (table[id].unit == SL_LIMIT_UNIT_COUNT)
        return g_strdup_printf("%" G_GUINT64_FORMAT, v);
    if (v >= GiB && v % GiB == 0)
        return g_strdup_printf("%" G_GUINT64_FORMAT " GiB", v / GiB);
    if (v >= MiB && v % MiB == 0)
        return g_strdup_printf("%" G_GUINT64_FORMAT " MiB", v / MiB);
    if (v >= KiB && v % KiB == 0)
        return g_strdup_printf("%" G_GUINT64_FORMAT " KiB", v / KiB);
    return g_strdup_printf("%" G_GUINT64_FORMAT " bytes", v);
}
