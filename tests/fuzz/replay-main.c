/* sipladder: replays fuzz inputs through LLVMFuzzerTestOneInput() when a
 * target is built without libFuzzer (STYLE.md section 10), so that every
 * `meson test` run feeds the seed corpus and every past crasher to the
 * parsers, under AddressSanitizer/UBSan when the build enables them.
 *
 *   fuzz-<target> PATH...
 *
 * Each PATH is a file or a directory (walked recursively, in name order;
 * dot files, README*, INDEX.md and SHA256SUMS are not inputs). A PATH that
 * does not exist is skipped with a TAP comment. Output is TAP: "1..N",
 * then "ok I - FILE" per input; no input at all gives "1..0 # SKIP".
 * A failed check or a sanitizer report ends the process, which is the
 * failure signal; each input is named on stderr before it runs.
 * Exit status: 0 when every input ran, 99 when an input cannot be read. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_DEPTH 16

static bool
is_input_name(const char *name)
{
    return name[0] != '.' && !g_str_has_prefix(name, "README") && strcmp(name, "INDEX.md") != 0 &&
           strcmp(name, "SHA256SUMS") != 0;
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Appends the input files under @path (owned strings) to @out. */
static void
collect(const char *path, int depth, GPtrArray *out)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        printf("# skipped %s: %s\n", path, g_strerror(errno));
        return;
    }
    if (S_ISREG(st.st_mode)) {
        g_ptr_array_add(out, g_strdup(path));
        return;
    }
    if (!S_ISDIR(st.st_mode) || depth >= MAX_DEPTH) {
        printf("# skipped %s: not a file or directory within reach\n", path);
        return;
    }
    GError *error = NULL;
    GDir *dir = g_dir_open(path, 0, &error);
    if (dir == NULL) {
        printf("# skipped %s: %s\n", path, error->message);
        g_error_free(error);
        return;
    }
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(dir)) != NULL)
        if (is_input_name(name))
            g_ptr_array_add(names, g_strdup(name));
    g_dir_close(dir);
    g_ptr_array_sort(names, compare_names);
    for (guint i = 0; i < names->len; i++) {
        char *child = g_build_filename(path, g_ptr_array_index(names, i), NULL);
        collect(child, depth + 1, out);
        g_free(child);
    }
    g_ptr_array_unref(names);
}

int
main(int argc, char **argv)
{
    GPtrArray *inputs = g_ptr_array_new_with_free_func(g_free);
    for (int i = 1; i < argc; i++)
        collect(argv[i], 0, inputs);
    if (inputs->len == 0) {
        printf("1..0 # SKIP no inputs\n");
        g_ptr_array_unref(inputs);
        return 0;
    }

    printf("1..%u\n", inputs->len);
    fflush(stdout);
    for (guint i = 0; i < inputs->len; i++) {
        const char *path = g_ptr_array_index(inputs, i);
        gchar *contents = NULL;
        gsize len = 0;
        GError *error = NULL;
        if (!g_file_get_contents(path, &contents, &len, &error)) {
            printf("Bail out! cannot read %s: %s\n", path, error->message);
            g_error_free(error);
            g_ptr_array_unref(inputs);
            return 99;
        }
        /* exactly @len bytes, so that AddressSanitizer sees any overread
         * (g_file_get_contents adds a NUL terminator) */
        uint8_t *data = malloc(len);
        if (data == NULL && len != 0)
            abort();
        if (len)
            memcpy(data, contents, len);
        g_free(contents);

        /* named first: a sanitizer may end the process without a word
         * about which input it was */
        fprintf(stderr, "replay-main: input %u: %s\n", i + 1, path);
        fflush(stderr);
        LLVMFuzzerTestOneInput(data, len);
        free(data);
        printf("ok %u - %s\n", i + 1, path);
        fflush(stdout);
    }
    g_ptr_array_unref(inputs);
    return 0;
}
