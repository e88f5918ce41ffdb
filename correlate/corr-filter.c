/* sipladder: the call filter (see corr-filter.h). */
#include "corr-filter.h"

#include <string.h>

#include "addr.h"

typedef struct {
    CorrFilterField field;
    char *value; /* ASCII lower case */
} Term;

struct CorrFilter {
    GArray *terms; /* Term */
};

static const struct {
    const char *key;
    CorrFilterField field;
} keys[] = {
    { "from", CORR_FILTER_FROM },     { "to", CORR_FILTER_TO },
    { "state", CORR_FILTER_STATE },   { "callid", CORR_FILTER_CALLID },
    { "call-id", CORR_FILTER_CALLID }, { "ip", CORR_FILTER_IP },
    { "method", CORR_FILTER_METHOD },
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
add_term(CorrFilter *f, const char *word)
{
    Term t = { CORR_FILTER_ANY, NULL };
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

CorrFilter *
corr_filter_parse(const char *text)
{
    CorrFilter *f = g_new0(CorrFilter, 1);
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
corr_filter_free(CorrFilter *f)
{
    if (!f)
        return;
    g_array_unref(f->terms);
    g_free(f);
}

bool
corr_filter_is_empty(const CorrFilter *f)
{
    return f->terms->len == 0;
}

guint
corr_filter_n_terms(const CorrFilter *f)
{
    return f->terms->len;
}

CorrFilterField
corr_filter_term(const CorrFilter *f, guint i, const char **value)
{
    g_return_val_if_fail(i < f->terms->len, CORR_FILTER_ANY);
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
term_matches(const Term *t, const CorrFilterSubject *s)
{
    const char *v = t->value;
    switch (t->field) {
    case CORR_FILTER_FROM:
        return contains(s->caller, v) || contains(s->caller_display, v);
    case CORR_FILTER_TO:
        return contains(s->callee, v) || contains(s->callee_display, v);
    case CORR_FILTER_STATE:
        return s->state && g_ascii_strncasecmp(s->state, v, strlen(v)) == 0;
    case CORR_FILTER_CALLID:
        return any_contains(s->call_ids, v);
    case CORR_FILTER_IP:
        for (guint i = 0; s->addrs && s->addrs[i]; i++)
            if (addr_matches(s->addrs[i], v))
                return true;
        return false;
    case CORR_FILTER_METHOD:
        return any_equal(s->methods, v);
    case CORR_FILTER_ANY:
        break;
    }
    return contains(s->caller, v) || contains(s->caller_display, v) || contains(s->callee, v) ||
           contains(s->callee_display, v) || contains(s->state, v) ||
           any_contains(s->call_ids, v) || any_contains(s->addrs, v) ||
           any_contains(s->methods, v) || any_contains(s->words, v);
}

bool
corr_filter_match(const CorrFilter *f, const CorrFilterSubject *s)
{
    for (guint i = 0; i < f->terms->len; i++)
        if (!term_matches(&g_array_index(f->terms, Term, i), s))
            return false;
    return true;
}

/* ------------------------------------------------------------ calls */

/* The keys of @set as a NULL-terminated array of copies. */
static char **
strv_from_set(GHashTable *set)
{
    char **v = g_new0(char *, g_hash_table_size(set) + 1);
    GHashTableIter it;
    gpointer key;
    guint n = 0;
    g_hash_table_iter_init(&it, set);
    while (g_hash_table_iter_next(&it, &key, NULL))
        v[n++] = g_strdup(key);
    return v;
}

void
corr_call_terms_init(CorrCallTerms *t, const CorrCall *c)
{
    g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GHashTable) addrs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GHashTable) methods = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GHashTable) words = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; c->legs && i < c->legs->len; i++) {
        const CorrLeg *leg = g_ptr_array_index(c->legs, i);
        if (leg->call_id)
            g_hash_table_add(ids, leg->call_id);
    }
    for (guint i = 0; c->msgs && i < c->msgs->len; i++) {
        const CorrMsg *m = g_ptr_array_index(c->msgs, i);
        char a[SL_ADDR_STRLEN];
        g_hash_table_add(addrs, g_strdup(sl_addr_str(&m->src, a)));
        g_hash_table_add(addrs, g_strdup(sl_addr_str(&m->dst, a)));
        if (m->is_request && m->method_name)
            g_hash_table_add(methods, m->method_name);
        if (m->ruri)
            g_hash_table_add(words, m->ruri);
        if (m->user_agent)
            g_hash_table_add(words, m->user_agent);
    }
    t->call_ids = strv_from_set(ids);
    t->addrs = strv_from_set(addrs);
    t->methods = strv_from_set(methods);
    t->words = strv_from_set(words);
}

void
corr_call_terms_clear(CorrCallTerms *t)
{
    g_clear_pointer(&t->call_ids, g_strfreev);
    g_clear_pointer(&t->addrs, g_strfreev);
    g_clear_pointer(&t->methods, g_strfreev);
    g_clear_pointer(&t->words, g_strfreev);
}

char *
corr_call_filter_state(const CorrCall *c)
{
    if (c->kind == CORR_KIND_CALL)
        return g_strdup(corr_state_name(c->state));
    /* registrations and the like: what they did and how it ended */
    return c->result ? g_strdup_printf("%s %u", corr_kind_name(c->kind), c->result)
                     : g_strdup(corr_kind_name(c->kind));
}

bool
corr_filter_match_call(const CorrFilter *f, const CorrCall *c)
{
    if (corr_filter_is_empty(f))
        return true;
    CorrCallTerms t;
    corr_call_terms_init(&t, c);
    g_autofree char *state = corr_call_filter_state(c);
    CorrFilterSubject s = {
        .caller = c->caller,
        .caller_display = c->caller_display,
        .callee = c->callee,
        .callee_display = c->callee_display,
        .state = state,
        .call_ids = (const char *const *)t.call_ids,
        .addrs = (const char *const *)t.addrs,
        .methods = (const char *const *)t.methods,
        .words = (const char *const *)t.words,
    };
    bool m = corr_filter_match(f, &s);
    corr_call_terms_clear(&t);
    return m;
}
