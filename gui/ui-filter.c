/* sipladder GUI: the call list's filter (see ui-filter.h). */
#include "ui-filter.h"

#include <string.h>

typedef struct {
    UiFilterField field;
    char *value; /* ASCII lower case */
} Term;

struct UiFilter {
    GArray *terms; /* Term */
};

static const struct {
    const char *key;
    UiFilterField field;
} keys[] = {
    { "from", UI_FILTER_FROM },     { "to", UI_FILTER_TO },
    { "state", UI_FILTER_STATE },   { "callid", UI_FILTER_CALLID },
    { "call-id", UI_FILTER_CALLID }, { "ip", UI_FILTER_IP },
    { "method", UI_FILTER_METHOD },
};

static void
term_clear(gpointer p)
{
    g_free(((Term *)p)->value);
}

/* Reads one word starting at *@p (blanks skipped): returns it (caller
 * owns, quotes removed) or NULL at the end. */
static char *
next_word(const char **p)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s) {
        *p = s;
        return NULL;
    }
    GString *w = g_string_new(NULL);
    bool quoted = false;
    for (; *s && (quoted || (*s != ' ' && *s != '\t')); s++) {
        if (*s == '"')
            quoted = !quoted;
        else
            g_string_append_c(w, *s);
    }
    *p = s;
    return g_string_free(w, FALSE);
}

static void
add_term(UiFilter *f, const char *word)
{
    Term t = { UI_FILTER_ANY, NULL };
    const char *colon = strchr(word, ':');
    if (colon) {
        for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
            if (strlen(keys[i].key) == (size_t)(colon - word) &&
                g_ascii_strncasecmp(word, keys[i].key, (size_t)(colon - word)) == 0) {
                t.field = keys[i].field;
                word = colon + 1;
                break;
            }
        }
    }
    if (!*word)
        return; /* "from:" while it is being typed: no term yet */
    t.value = g_ascii_strdown(word, -1);
    g_array_append_val(f->terms, t);
}

UiFilter *
ui_filter_parse(const char *text)
{
    UiFilter *f = g_new0(UiFilter, 1);
    f->terms = g_array_new(FALSE, FALSE, sizeof(Term));
    g_array_set_clear_func(f->terms, term_clear);
    const char *p = text ? text : "";
    char *w;
    while ((w = next_word(&p)) != NULL) {
        add_term(f, w);
        g_free(w);
    }
    return f;
}

void
ui_filter_free(UiFilter *f)
{
    if (!f)
        return;
    g_array_unref(f->terms);
    g_free(f);
}

bool
ui_filter_is_empty(const UiFilter *f)
{
    return f->terms->len == 0;
}

guint
ui_filter_n_terms(const UiFilter *f)
{
    return f->terms->len;
}

UiFilterField
ui_filter_term(const UiFilter *f, guint i, const char **value)
{
    g_return_val_if_fail(i < f->terms->len, UI_FILTER_ANY);
    const Term *t = &g_array_index(f->terms, Term, i);
    *value = t->value;
    return t->field;
}

/* ASCII case-insensitive substring; @needle already lower case. */
static bool
contains(const char *hay, const char *needle)
{
    if (!hay)
        return false;
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++)
        if (g_ascii_strncasecmp(p, needle, n) == 0)
            return true;
    return n == 0;
}

static bool
any_contains(const char *const *list, const char *needle)
{
    for (guint i = 0; list && list[i]; i++)
        if (contains(list[i], needle))
            return true;
    return false;
}

static bool
any_equal(const char *const *list, const char *value)
{
    for (guint i = 0; list && list[i]; i++)
        if (g_ascii_strcasecmp(list[i], value) == 0)
            return true;
    return false;
}

/* @addr is "IP:port", "[v6]:port" or a bare IP; @value an IP or IP:port. */
static bool
addr_matches(const char *addr, const char *value)
{
    if (g_ascii_strcasecmp(addr, value) == 0)
        return true;
    size_t n = strlen(value);
    if (g_ascii_strncasecmp(addr, value, n) == 0 && addr[n] == ':')
        return true; /* IPv4 without the port */
    if (addr[0] == '[' && g_ascii_strncasecmp(addr + 1, value, n) == 0 && addr[n + 1] == ']')
        return true; /* IPv6 without the port */
    return false;
}

static bool
term_matches(const Term *t, const UiFilterSubject *s)
{
    const char *v = t->value;
    switch (t->field) {
    case UI_FILTER_FROM:
        return contains(s->caller, v) || contains(s->caller_display, v);
    case UI_FILTER_TO:
        return contains(s->callee, v) || contains(s->callee_display, v);
    case UI_FILTER_STATE:
        return s->state && g_ascii_strncasecmp(s->state, v, strlen(v)) == 0;
    case UI_FILTER_CALLID:
        return any_contains(s->call_ids, v);
    case UI_FILTER_IP:
        for (guint i = 0; s->addrs && s->addrs[i]; i++)
            if (addr_matches(s->addrs[i], v))
                return true;
        return false;
    case UI_FILTER_METHOD:
        return any_equal(s->methods, v);
    case UI_FILTER_ANY:
        break;
    }
    return contains(s->caller, v) || contains(s->caller_display, v) || contains(s->callee, v) ||
           contains(s->callee_display, v) || contains(s->state, v) ||
           any_contains(s->call_ids, v) || any_contains(s->addrs, v) ||
           any_contains(s->methods, v) || any_contains(s->words, v);
}

bool
ui_filter_match(const UiFilter *f, const UiFilterSubject *s)
{
    for (guint i = 0; i < f->terms->len; i++)
        if (!term_matches(&g_array_index(f->terms, Term, i), s))
            return false;
    return true;
}
