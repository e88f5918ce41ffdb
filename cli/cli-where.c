/* sipladder-cli --where EXPR: the calls a command shows, chosen with the
 * GUI's call filter (corr-filter.h), so that a script finds the call it
 * wants as a user does in the call list. */
#include "cli.h"
#include "corr-filter.h"

static char *where_text;
static CorrFilter *where;

static const GOptionEntry entries[] = {
    { "where", 0, 0, G_OPTION_ARG_STRING, &where_text,
      "Only the calls matching EXPR: words that must all match, 'from:', 'to:', "
      "'state:', 'callid:', 'ip:', 'method:' for one field (as the GUI's filter)",
      "EXPR" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
};

const GOptionEntry *
cli_where_entries(void)
{
    return entries;
}

bool
cli_where_given(void)
{
    return where_text && where_text[0];
}

bool
cli_where_match(const CorrCall *c)
{
    if (!cli_where_given())
        return true;
    if (!where)
        where = corr_filter_parse(where_text);
    return corr_filter_match_call(where, c);
}
