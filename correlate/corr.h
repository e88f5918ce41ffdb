/* sipladder: correlation of SIP messages into transactions, dialogs, legs
 * and calls (RFC 3261 sections 12 and 17; RFC 7989 Session-ID; RFC 3455
 * P-Charging-Vector). The engine takes one message at a time, in capture
 * order, so that files and live sources are handled alike; every timeout
 * and window is in capture time.
 *
 * Vocabulary:
 *   message      one SIP message as seen on the wire (CorrMsg)
 *   transaction  a request and its responses on one hop (CorrTxn)
 *   hop          one transaction of an end-to-end request forwarded by
 *                proxies: the same request with one more Via
 *   dialog       Call-ID + both tags (CorrDialog); early or confirmed
 *   leg          every message of one Call-ID (CorrLeg)
 *   call         the legs of one end-to-end call (CorrCall), linked by
 *                Call-ID, a correlation header, shared media or redirect */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "sip-dissect.h"
#include "sltime.h"

G_BEGIN_DECLS

typedef struct CorrEngine CorrEngine;
typedef struct CorrCall CorrCall;
typedef struct CorrLeg CorrLeg;
typedef struct CorrDialog CorrDialog;
typedef struct CorrTxn CorrTxn;

typedef enum {
    CORR_KIND_CALL,
    CORR_KIND_REGISTRATION,
    CORR_KIND_OPTIONS,
    CORR_KIND_MESSAGE,
    CORR_KIND_SUBSCRIPTION,
    CORR_KIND_OTHER,
} CorrKind;
const char *corr_kind_name(CorrKind k); /* "call", "registration"... */

typedef enum {
    CORR_LINK_FIRST = 0,    /* the leg that started the call */
    CORR_LINK_SAME_CALL_ID, /* reserved: messages of one Call-ID are one leg */
    CORR_LINK_HEADER,       /* X-Call-ID, X-CID, Session-ID, P-Charging-Vector */
    CORR_LINK_MEDIA,        /* SDP of both legs names the same media endpoint */
    CORR_LINK_REDIRECT,     /* a new INVITE to the Contact of a 3xx */
    CORR_LINK_NUMBERS,      /* a B2BUA's outgoing INVITE right after the incoming
                             * one, same caller or callee number (media anchored) */
} CorrLinkReason;
/* "same-call-id" for FIRST and SAME_CALL_ID, "header", "media", "redirect",
 * "numbers" */
const char *corr_link_name(CorrLinkReason r);

typedef enum {
    CORR_STATE_CALLING,
    CORR_STATE_PROCEEDING,
    CORR_STATE_RINGING,
    CORR_STATE_EARLY_MEDIA,
    CORR_STATE_IN_CALL,
    CORR_STATE_COMPLETED,
    CORR_STATE_CANCELLED,
    CORR_STATE_REJECTED,
    CORR_STATE_BUSY,
    CORR_STATE_REDIRECTED,
    CORR_STATE_FAILED,
    CORR_STATE_TIMED_OUT,
} CorrState;
const char *corr_state_name(CorrState s); /* "in call", "completed"... */

typedef enum {
    CORR_DIALOG_NONE = 0,   /* no dialog yet (no To tag) */
    CORR_DIALOG_EARLY,      /* a provisional response with a To tag */
    CORR_DIALOG_CONFIRMED,  /* a 2xx to the INVITE */
    CORR_DIALOG_TERMINATED, /* BYE answered, or a failure before confirmation */
} CorrDialogState;
const char *corr_dialog_state_name(CorrDialogState s); /* "none", "early"... */

typedef enum {
    CORR_MSG_ORIGINAL = 0,
    CORR_MSG_RETRANSMISSION, /* sent again by the same element (timer) */
    CORR_MSG_DUPLICATE,      /* the same packet captured a second time */
} CorrMsgRole;
const char *corr_msg_role_name(CorrMsgRole r);

/* Media endpoint announced in one SDP m= line. */
typedef struct {
    SlAddr addr;      /* connection address and media port */
    char *media;      /* "audio", "video"... */
    char *codecs;     /* "PCMU/8000 G729/8000 telephone-event/8000" */
    char *direction;  /* "sendrecv"... */
    uint8_t pts[32];  /* RTP payload types offered on the m= line */
    guint n_pts;
} CorrMedia;

/* What correlation keeps of a message. Strings are owned by the engine
 * and valid as long as it lives. */
typedef struct {
    guint index;         /* position in corr_engine_messages(); corr_engine_evict()
                          * renumbers the messages that stay, keeping their order */
    guint file;          /* source id of the packet */
    uint64_t frame;
    SlTime ts;
    SlAddr src, dst;
    SipTransport transport;
    uint16_t ip_id;
    bool is_request;
    SipMethod method;    /* SIP_METHOD_UNKNOWN for responses */
    char *method_name;   /* requests: as written; responses: CSeq method */
    char *ruri;
    unsigned status;
    char *reason;
    char *call_id;
    uint32_t cseq;
    SipMethod cseq_method;
    char *from_user, *from_display, *from_tag;
    char *to_user, *to_display, *to_tag;
    char *pai_user;      /* P-Asserted-Identity user, or NULL */
    char *branch;        /* top Via branch */
    char *contact;       /* first Contact URI, or NULL */
    int expires;         /* Expires header or first Contact's expires, -1 */
    char *user_agent;    /* User-Agent or Server */
    char *reason_text;   /* Reason header text, or NULL */
    int q850_cause;      /* Reason: Q.850;cause=N, -1 */
    unsigned n_via;
    guint32 via_hash_all;  /* the Via chain (branches), see corr-msg.c */
    guint32 via_hash_tail; /* the same without the top Via */
    bool has_sdp;
    GArray *media;       /* CorrMedia; NULL without SDP */
    GBytes *raw;         /* the message bytes */
    char *error;         /* parse problem, or NULL */
    CorrMsgRole role;
    CorrTxn *txn;
    CorrLeg *leg;
    CorrDialog *dialog;  /* NULL before a To tag exists */
    CorrDialogState dialog_state; /* the dialog's state after this message */
    guint hop;           /* 0 on the first hop of its end-to-end request */
} CorrMsg;

struct CorrTxn {
    guint id;             /* 1, 2, ... in creation order; never reused */
    SipMethod method;     /* INVITE for an ACK to a non-2xx final */
    char *method_name;
    CorrMsg *request;     /* the first copy of the request */
    SlAddr client, server;
    unsigned final_status; /* 0 until a final response */
    guint retransmissions;
    guint duplicates;
    CorrTxn *upstream;    /* the hop before, for a forwarded request */
    bool request_late;    /* responses came before the request (HEP ordering) */
    guint hop;
    CorrLeg *leg;
};

struct CorrDialog {
    char *call_id, *from_tag, *to_tag; /* tags as in the creating request */
    bool confirmed;
    bool terminated;
    CorrLeg *leg;
};

struct CorrLeg {
    char *call_id;
    CorrKind kind;
    CorrCall *call;
    CorrLinkReason linked_by;
    char *link_detail;   /* header name, media endpoint or Contact */
    CorrLeg *linked_to;  /* the leg this one was linked to */
    GPtrArray *msgs;     /* CorrMsg*, borrowed from the engine */
    GPtrArray *dialogs;  /* CorrDialog*, owned */
    CorrMsg *first_invite; /* the first initial INVITE, hop 0 */
    SlTime start, end;
    bool ended;          /* BYE answered, final non-2xx, or CANCEL/487 */
};

/* Something wrong, found automatically, pointing at the frame that shows it. */
typedef struct {
    char *kind;      /* "one-way-audio", "missing-ack"... (docs/json.md) */
    char *text;      /* one line for people */
    uint64_t frame;  /* 0 when no single frame shows it */
    guint file;
    guint stream;    /* RTP stream id, 0 for signalling findings */
} CorrFinding;

/* One DTMF digit: an RFC 4733 event in RTP, or a SIP INFO. */
typedef struct {
    char digit;
    SlTime ts;
    uint64_t frame;       /* the frame that started it */
    unsigned duration_ms; /* 0 when not known */
    int volume;           /* -dBm0 (RFC 4733), -1 for SIP INFO */
    bool in_rtp;
    SlAddr src;
} CorrDtmf;

struct CorrCall {
    guint id;            /* 1, 2, ... in start order after corr_engine_finish(); entries
                          * evicted before it took the first ids (corr_engine_evict) */
    CorrKind kind;
    GPtrArray *legs;     /* CorrLeg*, borrowed; the first is the caller's */
    GPtrArray *msgs;     /* CorrMsg* of every leg, in capture order */
    SlTime start, end;
    CorrState state;
    unsigned state_code; /* the final response behind REJECTED, BUSY... */
    char *caller, *caller_display, *callee;
    char *callee_display;
    char *caller_asserted; /* P-Asserted-Identity user of the first INVITE */
    int64_t pdd_ms, setup_ms; /* -1 when not applicable */
    double duration_s;        /* -1 when never answered */
    char *hangup_by;     /* "caller", "callee" or NULL */
    SlAddr hangup_addr;
    char *reason_text;   /* from a Reason header */
    int q850_cause;
    guint retransmissions;
    guint duplicates;
    guint hops;          /* transactions of the first INVITE, over all hops */
    GArray *endpoints;   /* SlAddr, in ladder column order */
    /* registrations */
    char *contact;
    int expires;
    unsigned result;     /* final status of the last transaction */
    GPtrArray *findings; /* CorrFinding*, owned; signalling ones from corr_engine_finish() */
    GPtrArray *streams;  /* RtpStream* bound by corr_media_bind(), borrowed; NULL when none */
    GArray *dtmf;        /* CorrDtmf in time order: SIP INFO ones from corr_engine_finish(),
                          * RTP ones added by corr_media_bind(); NULL when none */
    double mos_worst, mos_mean; /* over the bound streams; -1 when none */
    bool dead;           /* merged into another call */
    CorrCall *merged_into;
};

/* The bounds on what the engine keeps (the calls, messages,
 * message-bytes and call-messages limits of sllimits.h): a message beyond one is dropped and
 * counted (corr_engine_drops). A message with a new Call-ID is dropped
 * while max_calls entries are live (merged calls count once); evict
 * finished ones (corr_engine_evict) to make room. */
typedef struct {
    SlTime link_window;    /* media/header/redirect links only within this */
    guint max_msgs_per_call;
    size_t max_raw_bytes;  /* message bytes kept per message */
    guint max_calls;       /* live entries (calls and other dialogs) */
    guint max_msgs;        /* messages of every entry together */
    uint64_t max_msg_bytes; /* their bytes (CorrMsg.raw) together */
} CorrOptions;
/* The defaults (those of sllimits.h for the bounds). */
void corr_options_init(CorrOptions *o);

typedef enum {
    CORR_EVENT_CALL_ADDED,
    CORR_EVENT_CALL_CHANGED,
    CORR_EVENT_CALL_MERGED, /* @call was merged into @call->merged_into */
    CORR_EVENT_MESSAGE_ADDED,
} CorrEventType;

typedef void (*CorrEventFunc)(CorrEventType type, CorrCall *call, const CorrMsg *msg,
                              gpointer user_data);

/* @opts may be NULL for defaults. Caller owns the engine. */
CorrEngine *corr_engine_new(const CorrOptions *opts);
void corr_engine_free(CorrEngine *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CorrEngine, corr_engine_free)

/* Events name calls the engine holds; once corr_engine_evict() has freed a
 * call, no event names it again. */
void corr_engine_subscribe(CorrEngine *e, CorrEventFunc func, gpointer user_data);

/* Feeds one message (a SipDissector callback result). */
void corr_engine_feed(CorrEngine *e, const SipFound *found);
/* A SipFoundFunc adaptor: pass the engine as user data. */
void corr_engine_sip_found(const SipFound *found, gpointer engine);
/* End of input: applies timeouts (capture time), numbers calls by start. */
void corr_engine_finish(CorrEngine *e);

/* Every message in capture order (CorrMsg*; borrowed). */
GPtrArray *corr_engine_messages(CorrEngine *e);
/* Live calls and other entries, in start order (CorrCall*; borrowed). */
GPtrArray *corr_engine_calls(CorrEngine *e);
CorrCall *corr_engine_call_by_id(CorrEngine *e, guint id);
/* Messages dropped because their call held max_msgs_per_call. */
guint corr_engine_dropped_messages(const CorrEngine *e);

/* Messages dropped at each bound of CorrOptions. */
typedef struct {
    uint64_t call_messages; /* their call held max_msgs_per_call messages */
    uint64_t calls;         /* a new Call-ID while max_calls entries were live */
    uint64_t messages;      /* max_msgs messages were kept */
    uint64_t message_bytes; /* the message would pass max_msg_bytes */
} CorrEngineDrops;
void corr_engine_drops(const CorrEngine *e, CorrEngineDrops *out);
/* Changes the bounds of CorrOptions (0 keeps a value); the messages and
 * entries kept so far stay. */
void corr_engine_set_limits(CorrEngine *e, guint max_calls, guint max_msgs,
                            guint max_msgs_per_call, uint64_t max_msg_bytes);

/* --- bounded memory for long captures --- */

/* Called for each call about to be evicted, with its messages still valid. */
typedef void (*CorrEvictFunc)(CorrCall *call, gpointer user_data);

/* Forgets finished entries so that at most @keep of them stay in memory,
 * the oldest (by first message) going first. An entry is finished when its
 * last message is older than CorrOptions.link_window (capture time, against
 * the latest message fed), so that a late B2BUA leg or retransmission can
 * still join it, and every leg of it can no longer change:
 *   - every transaction begun in it is over: a final response (on its hop
 *     or one upstream), or its request older than Timer F (32 s) for a
 *     non-INVITE, Timer B for an INVITE that saw no provisional response
 *     beyond 100 (a timed-out call), or a CANCEL of it older than Timer B;
 *   - every confirmed dialog ended: its BYE answered, or sent longer than
 *     Timer F ago (RFC 3261 section 15.1.1).
 * So a call answered and not hung up, or ringing, stays however old.
 *
 * Each evicted entry has its attributes computed as corr_engine_finish()
 * would (at the latest capture time; left alone once corr_media_bind() gave
 * it streams) and, before corr_engine_finish(), the next final id: evicted
 * entries are numbered 1, 2, ... in eviction order over the whole run, and
 * corr_engine_finish() numbers the entries left after them. Then @func (may
 * be NULL) sees it, borrowed, with its legs, messages and findings; @func
 * may read the engine but not feed it or evict. Then the entry, the calls
 * merged into it, its legs, dialogs, transactions and messages are freed and
 * every lookup entry naming them is dropped. corr_engine_messages() loses
 * those messages and renumbers the rest (CorrMsg.index, order kept): hold a
 * message pointer or its frame across an eviction, not its index. A later
 * message with an evicted Call-ID starts a new leg and entry. Pointers to
 * evicted objects held elsewhere (CorrStreamInfo and RtpStream owners from
 * corr_media_bind, ladder layouts, rows) dangle: evict before binding media,
 * and forget what @func names. Not from inside an event callback. Each call
 * walks everything the engine holds: call it every few seconds of capture or
 * every few hundred calls, not per message. Returns how many entries were
 * evicted. */
guint corr_engine_evict(CorrEngine *e, guint keep, CorrEvictFunc func, gpointer user_data);
/* Entries evicted so far. */
guint corr_engine_evicted(const CorrEngine *e);

/* Recomputes @call's attributes (state, caller, timings, findings) from
 * what was fed so far, as corr_engine_finish() does at the end: for live
 * captures that show calls as they complete. */
void corr_engine_update_call(CorrEngine *e, CorrCall *call);

/* What the engine holds now: to watch that a long capture stays bounded. */
typedef struct {
    guint messages, transactions, dialogs, legs;
    guint calls;         /* live entries */
    guint merged;        /* calls merged into others, kept until they go */
    guint index_entries; /* entries of every lookup table and short list */
} CorrEngineCounts;
void corr_engine_counts(const CorrEngine *e, CorrEngineCounts *out);

/* Adds a finding to @call (copies the strings). */
void corr_call_add_finding(CorrCall *call, const char *kind, uint64_t frame, guint file,
                           guint stream, const char *fmt, ...) G_GNUC_PRINTF(6, 7);

/* --- RFC 6076 figures (corr-stats.c) --- */
typedef struct {
    guint n;
    double min_ms, max_ms, sum_ms;
} CorrDelay;

typedef struct {
    guint session_requests;   /* initial INVITEs, first hop, no retransmissions */
    guint answered;           /* ... answered by a 2xx */
    guint redirected;         /* ... ended by a 3xx */
    guint ineffective;        /* ... ended by 408, 500, 503 or 504 */
    CorrDelay srd_success;    /* INVITE to first 18x or 2xx */
    CorrDelay srd_failure;    /* INVITE to a failure final response */
    CorrDelay sdd;            /* BYE to its final response */
    CorrDelay rrd;            /* REGISTER to its 2xx */
    guint response_counts[700]; /* by status code, every response copy but duplicates */
    guint requests_by_method[SIP_METHOD_PUBLISH + 1];
} CorrStats;

void corr_stats_compute(CorrEngine *e, CorrStats *out);

G_END_DECLS
