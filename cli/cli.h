/* sipladder-cli: shared declarations of the command-line front end. */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "cap-decode.h"
#include "sip-dissect.h"

G_BEGIN_DECLS

/* Exit statuses (documented in README.md). */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_INPUT = 1, /* an input could not be read, or only in part */
    CLI_EXIT_USAGE = 2,
};

/* Warnings printed per input before they are summarised. */
#define CLI_MAX_WARNINGS 20

typedef struct CliReader CliReader;

/* Called for every SIP message found in a file. */
typedef void (*CliMessageFunc)(const char *file, const SipFound *found, gpointer user_data);

/* Reads every file in @files, calling @func for each SIP message. Prints
 * one clear line per unreadable file and a warning for truncated files and
 * malformed messages (at most CLI_MAX_WARNINGS per file) on stderr.
 * Returns CLI_EXIT_OK or CLI_EXIT_INPUT. */
int cli_read_files(char **files, CliMessageFunc func, gpointer user_data);

int cli_cmd_messages(int argc, char **argv);
int cli_cmd_calls(int argc, char **argv);
int cli_cmd_call(int argc, char **argv);
int cli_cmd_stats(int argc, char **argv);

G_END_DECLS
