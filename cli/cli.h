/* sipladder-cli: shared declarations of the command-line front end. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "cap-decode.h"
#include "cap-source.h"
#include "corr-load.h"
#include "sip-dissect.h"

G_BEGIN_DECLS

/* Exit statuses (documented in README.md). */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_INPUT = 1, /* an input could not be read, or only in part */
    CLI_EXIT_USAGE = 2,
};

typedef struct CliReader CliReader;

/* Called for every SIP message found in a file. */
typedef void (*CliMessageFunc)(const char *file, const SipFound *found, gpointer user_data);

/* Reads every file in @files, calling @func for each SIP message. Prints
 * one clear line per unreadable file and a warning for truncated files and
 * malformed messages (at most CORR_LOAD_MAX_WARNINGS per file) on stderr.
 * Returns CLI_EXIT_OK or CLI_EXIT_INPUT. */
int cli_read_files(char **files, CliMessageFunc func, gpointer user_data);

/* The file a packet comes from (CapPacket.source_id is its index). */
typedef CorrLoadFile CliFileInfo;

/* A CorrLoadWarnFunc printing the loader's warnings on stderr. */
void cli_load_warn(CorrLoadWarnKind kind, const char *file, uint64_t frame, const char *text,
                   gpointer user_data);

/* Called for every transport payload of a file (borrowed for the call). */
typedef void (*CliPacketFunc)(const CliFileInfo *info, const CapPacket *pkt, gpointer user_data);

/* cli_read_files() that also calls @pkt_func for every payload the
 * decoder delivers (UDP datagrams, SCTP chunks, TCP stream bytes), after
 * the SIP dissector has seen it. @msg_func and @pkt_func may be NULL. */
int cli_read_files_packets(char **files, CliMessageFunc msg_func, CliPacketFunc pkt_func,
                           gpointer user_data);

/* Files read for their media: the RTP streams of every file (SDP of SIP
 * setting up media as Wireshark does), and, when @engine is given, the SIP
 * correlated there and the streams bound to its calls (the engine is
 * finished). Caller owns (cli_media_free). */
typedef struct CliMedia CliMedia;
struct CorrEngine;
CliMedia *cli_media_read(char **files, struct CorrEngine *engine, int *status);
GPtrArray *cli_media_streams(CliMedia *m);   /* RtpStream*, borrowed */
/* The codec of stream @index as the call's SDP named it; NULL when unknown. */
const char *cli_media_codec(CliMedia *m, guint index);
void cli_media_free(CliMedia *m);

/* --- where commands read from (cli-input.c) --- */
/* -i, --hep-listen, --filter, --duration, --count, --tls-keylog: add them
 * to a command's options. */
const GOptionEntry *cli_input_entries(void);
bool cli_input_is_live(void);
/* After parsing: files or a live source (one of them), and the key log
 * loaded. Prints the problem and returns CLI_EXIT_USAGE/INPUT, or OK. */
int cli_input_check(char **files, const char *cmd);
/* Loads @files, or the live source the options name, through the core
 * loader with @o (the key log and the warning printer filled in); sets
 * *@status. Caller owns the result. */
CorrLoad *cli_load(char **files, CorrLoadOptions *o, int *status);
/* The live source the options name, with Ctrl+C stopping it; NULL with a
 * message printed (and *@status set) when it cannot be opened. */
CapSource *cli_input_open_live(int *status);
/* The command's name for messages (main() sets it). */
void cli_input_set_command(const char *name);
/* Live reads wake the loader's idle_func after @ms without a frame. */
void cli_input_set_idle(unsigned ms);
/* Prints the source's counters (kernel drops, malformed HEP) and frees it. */
void cli_input_close_live(CapSource *src);

/* --- limits (cli-limits.c) --- */
/* --limit NAME=VALUE (also in cli_input_entries()). */
const GOptionEntry *cli_limit_entries(void);
/* After parsing: applies the --limit options (cli_input_check does it);
 * '--limit help' prints the table and exits 0. Prints the problem and
 * returns CLI_EXIT_USAGE for a bad one. */
int cli_limits_check(const char *cmd);
/* The limits in force (borrowed). */
const SlLimits *cli_limits(void);
/* Keeps what @l says about the limits it hit (cli_load calls it). */
void cli_limits_record(const CorrLoad *l);
/* The same from SL_LIMIT_COUNT hits (a command that reads without the
 * loader; the file names are copied). */
void cli_limits_record_hits(const CorrLoadLimit *h);
/* Adds "limits": [...] to the JSON object being built, when the last
 * load hit a limit (docs/json.md). */
void cli_limits_json_add(JsonBuilder *b);
/* The same as text to put before the closing brace of a JSON object that
 * is printed piece by piece: ",\n \"limits\": [...]" or "" (caller owns). */
char *cli_limits_json_member(void);

/* --- --where EXPR (cli-where.c): calls chosen by the call filter --- */

const GOptionEntry *cli_where_entries(void);
bool cli_where_given(void);
/* Whether @c is one the command shows: every call without --where. */
bool cli_where_match(const CorrCall *c);

int cli_cmd_messages(int argc, char **argv);
int cli_cmd_calls(int argc, char **argv);
int cli_cmd_call(int argc, char **argv);
int cli_cmd_stats(int argc, char **argv);
int cli_cmd_rtp(int argc, char **argv);
int cli_cmd_audio(int argc, char **argv);
int cli_cmd_ladder(int argc, char **argv);
int cli_cmd_capture(int argc, char **argv);
int cli_cmd_tls(int argc, char **argv);

/* --tls-keylog: loads @path (NULL: nothing to do) as the key log that
 * cli_tls_keylog() returns; prints one line and returns CLI_EXIT_INPUT
 * when it cannot be read. */
int cli_tls_keylog_load(const char *path, const char *cmd);
/* The key log loaded by cli_tls_keylog_load() (borrowed), or NULL. */
TlsKeyLog *cli_tls_keylog(void);

G_END_DECLS
