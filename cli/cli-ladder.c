/* sipladder-cli ladder: a call's ladder diagram as SVG, PNG, PDF or text. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "corr-load.h"
#include "ladder.h"

typedef struct {
    int call;
    char *call_id;
    gboolean all;
    gboolean merge_ip;
    char **alias;
    char *aliases_file;
    char *output;
    char *format;
    double scale;
    double gap;
} LadderArgs;

/* The calls the arguments select (CorrCall*, borrowed), or NULL with a
 * message printed. --where narrows every choice; without --call,
 * --call-id or --all it takes the first call that matches, else (no call
 * matching) the first entry that does, a registration say. */
static GPtrArray *
select_calls(CorrEngine *e, const LadderArgs *a)
{
    GPtrArray *all = corr_engine_calls(e);
    GPtrArray *out = g_ptr_array_new();
    CorrCall *first_entry = NULL;
    for (guint i = 0; i < all->len; i++) {
        CorrCall *c = g_ptr_array_index(all, i);
        if (!cli_where_match(c))
            continue;
        if (!first_entry)
            first_entry = c;
        if (a->all) {
            g_ptr_array_add(out, c);
        } else if (a->call_id) {
            for (guint k = 0; k < c->legs->len; k++) {
                const CorrLeg *leg = g_ptr_array_index(c->legs, k);
                if (leg->call_id && strcmp(leg->call_id, a->call_id) == 0) {
                    g_ptr_array_add(out, c);
                    break;
                }
            }
        } else if (a->call > 0 ? c->id == (guint)a->call : c->kind == CORR_KIND_CALL) {
            g_ptr_array_add(out, c);
            break;
        }
        if (out->len && !a->all)
            break;
    }
    if (out->len == 0 && first_entry && cli_where_given() && !a->all && !a->call_id &&
        a->call <= 0)
        g_ptr_array_add(out, first_entry);
    if (out->len == 0) {
        const char *where = cli_where_given() ? " matching --where" : "";
        if (a->call_id)
            g_printerr("sipladder-cli ladder: no call%s has Call-ID '%s'\n", where, a->call_id);
        else if (a->call > 0)
            g_printerr("sipladder-cli ladder: no call %d%s (see 'calls')\n", a->call, where);
        else
            g_printerr("sipladder-cli ladder: no call%s in the input\n", where);
        g_ptr_array_unref(out);
        return NULL;
    }
    return out;
}

static bool
write_all(const char *path, const char *data, GError **error)
{
    if (path == NULL || strcmp(path, "-") == 0) {
        size_t n = strlen(data);
        if (fwrite(data, 1, n, stdout) != n || fflush(stdout) != 0) {
            g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
                        "standard output: %s", g_strerror(errno));
            return false;
        }
        return true;
    }
    return g_file_set_contents(path, data, -1, error);
}

static int
render(const LadderLayout *l, LadderFormat fmt, const LadderArgs *a)
{
    LadderStyle style;
    ladder_style_init(&style);
    g_autoptr(GError) error = NULL;
    bool ok;
    if (fmt == LADDER_FORMAT_TEXT || fmt == LADDER_FORMAT_SVG) {
        g_autofree char *doc = fmt == LADDER_FORMAT_TEXT ? ladder_render_text(l)
                                                         : ladder_render_svg(l, &style);
        ok = write_all(a->output, doc, &error);
    } else if (fmt == LADDER_FORMAT_PNG) {
        ok = ladder_render_png(l, &style, a->scale, a->output, &error);
    } else {
        ok = ladder_render_pdf(l, &style, a->output, &error);
    }
    if (!ok) {
        g_printerr("sipladder-cli ladder: %s\n", error->message);
        return CLI_EXIT_INPUT;
    }
    return CLI_EXIT_OK;
}

static int
check_args(LadderArgs *a, LadderFormat *fmt, GHashTable *aliases)
{
    int choices = (a->call > 0) + (a->call_id != NULL) + (a->all != 0);
    if (choices > 1) {
        g_printerr("sipladder-cli ladder: --call, --call-id and --all exclude each other\n");
        return CLI_EXIT_USAGE;
    }
    if (a->format) {
        if (!ladder_format_parse(a->format, fmt)) {
            g_printerr("sipladder-cli ladder: unknown format '%s' (svg, png, pdf, text)\n",
                       a->format);
            return CLI_EXIT_USAGE;
        }
    } else if (a->output && strcmp(a->output, "-") != 0) {
        if (!ladder_format_from_name(a->output, fmt)) {
            g_printerr("sipladder-cli ladder: cannot tell the format of '%s' "
                       "(.svg, .png, .pdf, .txt, or --format)\n",
                       a->output);
            return CLI_EXIT_USAGE;
        }
    } else {
        *fmt = LADDER_FORMAT_TEXT;
    }
    if ((*fmt == LADDER_FORMAT_PNG || *fmt == LADDER_FORMAT_PDF) &&
        (!a->output || strcmp(a->output, "-") == 0)) {
        g_printerr("sipladder-cli ladder: PNG and PDF need -o FILE\n");
        return CLI_EXIT_USAGE;
    }
    if (a->scale <= 0 || a->scale > 8) {
        g_printerr("sipladder-cli ladder: --scale must be in (0, 8]\n");
        return CLI_EXIT_USAGE;
    }
    g_autoptr(GError) error = NULL;
    for (guint i = 0; a->alias && a->alias[i]; i++) {
        if (!ladder_aliases_add(aliases, a->alias[i], &error)) {
            g_printerr("sipladder-cli ladder: --alias: %s\n", error->message);
            return CLI_EXIT_USAGE;
        }
    }
    if (a->aliases_file && !ladder_aliases_load(aliases, a->aliases_file, &error)) {
        g_printerr("sipladder-cli ladder: --aliases: %s\n", error->message);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* Loads @files and renders the selected calls. */
static int
run(char **files, const LadderArgs *a, LadderFormat fmt, GHashTable *aliases)
{
    int status;
    g_autoptr(CorrEngine) engine = corr_engine_new(NULL);
    CorrLoadOptions lo;
    corr_load_options_init(&lo);
    lo.engine = engine;
    lo.media = true;
    g_autoptr(CorrLoad) load = cli_load(files, &lo, &status);
    g_autoptr(GPtrArray) calls = select_calls(engine, a);
    if (!calls)
        return CLI_EXIT_INPUT;
    LadderOptions opts;
    ladder_options_init(&opts);
    opts.merge_ip = a->merge_ip;
    opts.aliases = aliases;
    opts.gap_threshold = a->gap > 0 ? (SlTime)(a->gap * 1e9) : 0;
    g_autoptr(LadderLayout) l = ladder_layout_build(calls, corr_load_streams(load),
                                                    corr_load_stream_info(load), &opts);
    int r = render(l, fmt, a);
    if (r != CLI_EXIT_OK)
        status = r;
    return status;
}

int
cli_cmd_ladder(int argc, char **argv)
{
    LadderArgs a = { .scale = 1.0, .gap = 5.0 };
    g_auto(GStrv) files = NULL;
    GOptionEntry entries[] = {
        { "call", 'c', 0, G_OPTION_ARG_INT, &a.call, "The call's id (from 'calls'; default: the first call)", "N" },
        { "call-id", 0, 0, G_OPTION_ARG_STRING, &a.call_id, "The call with a leg of this Call-ID", "ID" },
        { "all", 'a', 0, G_OPTION_ARG_NONE, &a.all, "Every call, registration and dialog in one ladder", NULL },
        { "merge-ip", 'm', 0, G_OPTION_ARG_NONE, &a.merge_ip, "One column per IP address, whatever the port", NULL },
        { "alias", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a.alias, "Name a column (repeatable)", "ADDR=NAME" },
        { "aliases", 0, 0, G_OPTION_ARG_FILENAME, &a.aliases_file, "Read aliases from a file (ADDR=NAME per line)", "FILE" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &a.output, "Write to FILE (default: standard output)", "FILE" },
        { "format", 'f', 0, G_OPTION_ARG_STRING, &a.format, "svg, png, pdf or text (default: from -o, else text)", "FMT" },
        { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &a.scale, "PNG pixels per layout unit (default 1)", "S" },
        { "gap", 0, 0, G_OPTION_ARG_DOUBLE, &a.gap, "Show silences longer than S seconds as a break (default 5; 0: never)", "S" },
        cli_where_entries()[0],
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE..." },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) oc = g_option_context_new("FILE... - draw a call's ladder diagram");
    g_option_context_add_main_entries(oc, entries, NULL);
    g_option_context_add_main_entries(oc, cli_input_entries(), NULL);
    g_option_context_set_description(oc,
        "One column per endpoint, one row per message, RTP streams as bands with\n"
        "codec, loss, jitter and MOS, findings marked where they happen, B2BUA legs\n"
        "in their own colours. The SVG keeps labels as text (see docs/ladder.md).\n"
        "Exit status: 0 success, 1 input error or no such call, 2 bad usage.");
    g_autoptr(GError) error = NULL;
    int status = CLI_EXIT_USAGE;
    g_autoptr(GHashTable) aliases = ladder_aliases_new();
    LadderFormat fmt;
    if (!g_option_context_parse(oc, &argc, &argv, &error)) {
        g_printerr("sipladder-cli ladder: %s\n", error->message);
        goto out;
    }
    if ((status = cli_input_check(files, "ladder")) != CLI_EXIT_OK)
        goto out;
    if ((status = check_args(&a, &fmt, aliases)) != CLI_EXIT_OK)
        goto out;

    status = run(files, &a, fmt, aliases);
out:
    g_free(a.call_id);
    g_strfreev(a.alias);
    g_free(a.aliases_file);
    g_free(a.output);
    g_free(a.format);
    return status;
}
