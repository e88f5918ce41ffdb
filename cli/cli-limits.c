/* sipladder-cli: --limit NAME=VALUE (sllimits.h) on every command that
 * reads captures, `--limit help`, and the limits a load hit for JSON
 * output (the warnings themselves come from the loader). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static char **limit_args;
static SlLimits limits;
static bool limits_ready;
static CorrLoadLimit hits[SL_LIMIT_COUNT];
static char *hit_files[SL_LIMIT_COUNT];

static const GOptionEntry entries[] = {
    { "limit", 'L', 0, G_OPTION_ARG_STRING_ARRAY, &limit_args,
      "Set a limit on memory (repeatable; '--limit help' lists them)", "NAME=VALUE" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
};

const GOptionEntry *
cli_limit_entries(void)
{
    return entries;
}

static void
print_help(void)
{
    printf("Limits (--limit NAME=VALUE, repeatable; sizes take K, M or G):\n\n");
    printf("  %-16s %-10s %s\n", "NAME", "DEFAULT", "BOUNDS / WHEN HIT");
    for (unsigned i = 0; i < SL_LIMIT_COUNT; i++) {
        const SlLimitInfo *info = sl_limit_info((SlLimitId)i);
        g_autofree char *def = sl_limit_format((SlLimitId)i, info->def);
        printf("  %-16s %-10s %s\n  %-16s %-10s when hit: %s\n", info->name, def, info->what,
               "", "", info->when_hit);
    }
    printf("\nA limit is reported once, when first hit (file and frame), and counted at\n"
           "the end of the run.\n");
}

int
cli_limits_check(const char *cmd)
{
    sl_limits_init(&limits);
    limits_ready = true;
    for (int i = 0; limit_args && limit_args[i]; i++) {
        if (strcmp(limit_args[i], "help") == 0) {
            print_help();
            exit(CLI_EXIT_OK);
        }
        g_autoptr(GError) error = NULL;
        if (!sl_limits_set(&limits, limit_args[i], &error)) {
            g_printerr("sipladder-cli %s: --limit: %s\n", cmd, error->message);
            return CLI_EXIT_USAGE;
        }
    }
    return CLI_EXIT_OK;
}

const SlLimits *
cli_limits(void)
{
    if (!limits_ready) {
        sl_limits_init(&limits);
        limits_ready = true;
    }
    return &limits;
}

void
cli_limits_record(const CorrLoad *l)
{
    cli_limits_record_hits(corr_load_limits(l));
}

void
cli_limits_record_hits(const CorrLoadLimit *h)
{
    for (unsigned i = 0; i < SL_LIMIT_COUNT; i++) {
        g_free(hit_files[i]);
        hits[i] = h[i];
        hit_files[i] = g_strdup(h[i].file);
        hits[i].file = hit_files[i];
    }
}

static JsonNode *
limits_node(void)
{
    bool any = false;
    for (unsigned i = 0; i < SL_LIMIT_COUNT; i++)
        any |= hits[i].count > 0;
    if (!any)
        return NULL;
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_array(b);
    for (unsigned i = 0; i < SL_LIMIT_COUNT; i++) {
        const CorrLoadLimit *h = &hits[i];
        if (h->count == 0)
            continue;
        const SlLimitInfo *info = sl_limit_info((SlLimitId)i);
        g_autofree char *text = corr_load_limit_text((SlLimitId)i, h, false);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, info->name);
        json_builder_set_member_name(b, "value");
        json_builder_add_int_value(b, (gint64)h->value);
        json_builder_set_member_name(b, "unit");
        json_builder_add_string_value(b, info->unit == SL_LIMIT_UNIT_BYTES ? "bytes" : "count");
        json_builder_set_member_name(b, "count");
        json_builder_add_int_value(b, (gint64)h->count);
        json_builder_set_member_name(b, "counted");
        json_builder_add_string_value(b, info->counted);
        json_builder_set_member_name(b, "file");
        json_builder_add_string_value(b, h->file ? h->file : "");
        json_builder_set_member_name(b, "frame");
        json_builder_add_int_value(b, (gint64)h->frame);
        json_builder_set_member_name(b, "text");
        json_builder_add_string_value(b, text);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    return json_builder_get_root(b);
}

void
cli_limits_json_add(JsonBuilder *b)
{
    JsonNode *node = limits_node();
    if (!node)
        return;
    json_builder_set_member_name(b, "limits");
    json_builder_add_value(b, node);
}

char *
cli_limits_json_member(void)
{
    g_autoptr(JsonNode) node = limits_node();
    if (!node)
        return g_strdup("");
    g_autofree char *text = json_to_string(node, FALSE);
    return g_strdup_printf(",\n \"limits\": %s", text);
}
