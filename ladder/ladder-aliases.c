/* sipladder: endpoint aliases for ladder column titles ("10.0.0.1=Proxy-A"). */
#include "ladder.h"

#include <string.h>

#include "status.h"

GHashTable *
ladder_aliases_new(void)
{
    return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

/* Stores under the canonical spelling ("ip" or "ip:port") that the
 * layout looks up. */
static bool
aliases_put(GHashTable *aliases, const char *addr, const char *name, GError **error)
{
    g_autofree char *a = g_strstrip(g_strdup(addr));
    g_autofree char *n = g_strstrip(g_strdup(name));
    SlAddr parsed;
    if (!a[0] || !sl_addr_parse(a, &parsed)) {
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_FORMAT, "bad alias address '%s'", a);
        return false;
    }
    if (!n[0] || !g_utf8_validate(n, -1, NULL)) {
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_FORMAT, "alias for '%s' has no name", a);
        return false;
    }
    char buf[SL_ADDR_STRLEN];
    const char *key = parsed.port ? sl_addr_str(&parsed, buf) : sl_addr_ip_str(&parsed, buf);
    g_hash_table_replace(aliases, g_strdup(key), g_steal_pointer(&n));
    return true;
}

bool
ladder_aliases_add(GHashTable *aliases, const char *spec, GError **error)
{
    const char *eq = strchr(spec, '=');
    if (!eq) {
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_FORMAT, "alias '%s' is not ADDR=NAME", spec);
        return false;
    }
    g_autofree char *addr = g_strndup(spec, (gsize)(eq - spec));
    return aliases_put(aliases, addr, eq + 1, error);
}

bool
ladder_aliases_load(GHashTable *aliases, const char *path, GError **error)
{
    g_autofree char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, error))
        return false;
    g_auto(GStrv) lines = g_strsplit(text, "\n", 0);
    for (guint i = 0; lines[i]; i++) {
        char *hash = strchr(lines[i], '#');
        if (hash)
            *hash = 0;
        char *line = g_strstrip(lines[i]);
        if (!line[0])
            continue;
        char *sep = strchr(line, '=');
        if (!sep)
            sep = strpbrk(line, " \t");
        g_autoptr(GError) e = NULL;
        if (!sep) {
            g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_FORMAT,
                        "%s: line %u: expected ADDR=NAME or ADDR NAME", path, i + 1);
            return false;
        }
        *sep = 0;
        if (!aliases_put(aliases, line, sep + 1, &e)) {
            g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_FORMAT, "%s: line %u: %s", path, i + 1,
                        e->message);
            return false;
        }
    }
    return true;
}
