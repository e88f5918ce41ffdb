/* sipladder: the named bounds on what grows from input (STYLE.md section
 * 5): one table of names, units, defaults and ranges, shared by the CLI
 * (--limit NAME=VALUE), the GUI preferences and the loader that hands each
 * value to the stage it bounds. docs/robustness.md lists them. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef enum {
    SL_LIMIT_SIP_MESSAGE,     /* bytes of one SIP message */
    SL_LIMIT_SIP_HEADERS,     /* header fields per SIP message */
    SL_LIMIT_SIP_VIA,         /* Via entries per SIP message */
    SL_LIMIT_MULTIPART_DEPTH, /* multipart levels searched for SDP */
    SL_LIMIT_IP_FRAGMENTS,    /* bytes held by incomplete IP datagrams */
    SL_LIMIT_TCP_BUFFER,      /* bytes buffered per TCP direction */
    SL_LIMIT_TCP_STREAMS,     /* TCP directions followed at once */
    SL_LIMIT_TCP_MEMORY,      /* bytes buffered by every TCP direction together */
    SL_LIMIT_RTP_STREAMS,     /* RTP streams kept, every file together */
    SL_LIMIT_CALLS,           /* calls and other dialogs kept */
    SL_LIMIT_MESSAGES,        /* SIP messages kept, every call together */
    SL_LIMIT_MESSAGE_BYTES,   /* bytes of the SIP messages kept, every call together */
    SL_LIMIT_CALL_MESSAGES,   /* SIP messages kept per call */
    SL_LIMIT_COUNT
} SlLimitId;

typedef enum {
    SL_LIMIT_UNIT_BYTES,
    SL_LIMIT_UNIT_COUNT,
} SlLimitUnit;

typedef struct {
    const char *name;     /* "sip-message": what --limit takes */
    SlLimitUnit unit;
    uint64_t def, min, max;
    const char *what;     /* follows the value: "256 KiB" "per SIP message" */
    const char *when_hit; /* "larger messages are dropped" */
    const char *counted;  /* what a hit count counts: "messages dropped" */
} SlLimitInfo;

/* The table entry of @id (static). */
const SlLimitInfo *sl_limit_info(SlLimitId id);
/* Finds a limit by name (case-sensitive); false when there is none. */
bool sl_limit_lookup(const char *name, SlLimitId *id);

typedef struct {
    uint64_t value[SL_LIMIT_COUNT];
} SlLimits;

/* Every limit at its default. */
void sl_limits_init(SlLimits *l);

/* Reads a value of @id: a decimal number, for bytes with an optional
 * suffix K, M or G (powers of 1024, "KiB" and "k" accepted too). Values
 * outside the limit's range are refused. On failure @error says why
 * (G_OPTION_ERROR_BAD_VALUE). */
bool sl_limit_parse_value(SlLimitId id, const char *text, uint64_t *out, GError **error);
/* Applies one "NAME=VALUE". */
bool sl_limits_set(SlLimits *l, const char *assignment, GError **error);
/* Applies "NAME=VALUE" items separated by commas, semicolons or blanks;
 * stops at the first bad one (the ones before stay applied). */
bool sl_limits_set_list(SlLimits *l, const char *list, GError **error);
/* The limits that differ from their defaults as "a=1,b=64K" ("" when
 * none); caller owns. sl_limits_set_list() reads it back. */
char *sl_limits_to_string(const SlLimits *l);
/* @value for people: "256 KiB", "100000" (caller owns). */
char *sl_limit_format(SlLimitId id, uint64_t value);

G_END_DECLS
