/* sipladder: the call filter of the GUI's call list and of the CLI's
 * --where (tests/unit/test-filter.c).
 *
 * A filter is words separated by blanks; every word must match (AND).
 * "key:value" words look at one field, bare words at every field:
 *   from:1001      caller number or display name contains "1001"
 *   to:2002        callee number or display name contains "2002"
 *   state:rejected the state starts with "rejected" ("in" finds "in call")
 *   callid:abc     a Call-ID of the call contains "abc"
 *   ip:10.0.0.1    an address of the call is that IP (any port), or that
 *                  IP:port when a port is given
 *   method:INVITE  a request of that method was seen (exact)
 * Values may be quoted ("state:\"in call\""); matching ignores ASCII case.
 * A word with an unknown key ("foo:bar") is a bare word; a known key
 * without a value ("from:", still being typed) is ignored. */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "corr.h"

G_BEGIN_DECLS

/* What a call offers to the filter; every string borrowed, may be NULL;
 * the arrays are NULL-terminated and may be NULL. */
typedef struct {
    const char *caller, *caller_display;
    const char *callee, *callee_display;
    const char *state;
    const char *const *call_ids;
    const char *const *addrs;   /* "10.0.0.1:5060", "[2001:db8::1]:5060" */
    const char *const *methods;
    const char *const *words;   /* anything else bare words may find (URIs, user agents) */
} CorrFilterSubject;

typedef enum {
    CORR_FILTER_ANY,
    CORR_FILTER_FROM,
    CORR_FILTER_TO,
    CORR_FILTER_STATE,
    CORR_FILTER_CALLID,
    CORR_FILTER_IP,
    CORR_FILTER_METHOD,
} CorrFilterField;

typedef struct CorrFilter CorrFilter;

/* Parses @text (NULL or "" gives an empty filter, which matches
 * everything). Never fails; caller owns the result. */
CorrFilter *corr_filter_parse(const char *text);
void corr_filter_free(CorrFilter *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CorrFilter, corr_filter_free)

bool corr_filter_is_empty(const CorrFilter *f);
guint corr_filter_n_terms(const CorrFilter *f);
/* The field and value of term @i (borrowed), for tests and tooltips. */
CorrFilterField corr_filter_term(const CorrFilter *f, guint i, const char **value);
bool corr_filter_match(const CorrFilter *f, const CorrFilterSubject *s);

/* The strings of a call that the filter reads besides its named fields,
 * each set once (NULL-terminated, caller owns: corr_call_terms_clear):
 * the Call-IDs of its legs, the addresses its messages went between, the
 * methods of its requests, and the Request-URIs and User-Agents. */
typedef struct {
    char **call_ids, **addrs, **methods, **words;
} CorrCallTerms;

void corr_call_terms_init(CorrCallTerms *t, const CorrCall *c);
void corr_call_terms_clear(CorrCallTerms *t);
/* The state the filter reads: corr_state_name() for calls, "register 200"
 * style (kind and final status) for other entries (caller owns). */
char *corr_call_filter_state(const CorrCall *c);
/* Whether @c matches @f (the subject built from the call). */
bool corr_filter_match_call(const CorrFilter *f, const CorrCall *c);

G_END_DECLS
