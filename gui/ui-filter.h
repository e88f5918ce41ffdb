/* sipladder GUI: the call list's filter, plain C (no GTK) so that it is
 * unit-tested on its own.
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
} UiFilterSubject;

typedef enum {
    UI_FILTER_ANY,
    UI_FILTER_FROM,
    UI_FILTER_TO,
    UI_FILTER_STATE,
    UI_FILTER_CALLID,
    UI_FILTER_IP,
    UI_FILTER_METHOD,
} UiFilterField;

typedef struct UiFilter UiFilter;

/* Parses @text (NULL or "" gives an empty filter, which matches
 * everything). Never fails; caller owns the result. */
UiFilter *ui_filter_parse(const char *text);
void ui_filter_free(UiFilter *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UiFilter, ui_filter_free)

bool ui_filter_is_empty(const UiFilter *f);
guint ui_filter_n_terms(const UiFilter *f);
/* The field and value of term @i (borrowed), for tests and tooltips. */
UiFilterField ui_filter_term(const UiFilter *f, guint i, const char **value);
bool ui_filter_match(const UiFilter *f, const UiFilterSubject *s);

G_END_DECLS
