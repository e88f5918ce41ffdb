/* sipladder-cli: command-line front end of sipladder. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "flow-class.h"
#include "sl-config.h"

#include <pcap/pcap.h>

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} CliCommand;

static const CliCommand commands[] = {
    { "messages", cli_cmd_messages, "list the SIP messages in capture files" },
    { "calls", cli_cmd_calls, "list calls (B2BUA legs together), registrations, other dialogs" },
    { "call", cli_cmd_call, "print one call's messages with leg, hop and transaction" },
    { "stats", cli_cmd_stats, "RFC 6076 delays and ratios, request and response counts" },
    { "rtp", cli_cmd_rtp, "list RTP streams with loss, delta and jitter (as tshark -z rtp,streams)" },
    { "ladder", cli_cmd_ladder, "draw a call's ladder diagram (SVG, PNG, PDF or text)" },
    { "capture", cli_cmd_capture, "capture live (-i, --hep-listen), print calls as they complete, write pcap, send HEP" },
    { "audio", cli_cmd_audio, "decode one RTP stream (G.711, G.722) to a WAV file" },
    { "tls", cli_cmd_tls, "list TLS connections (endpoints, SNI, decrypted or why not)" },
};

static void
usage(FILE *out)
{
    fprintf(out, "Usage: sipladder-cli COMMAND [OPTION...] FILE...\n\n"
                 "SIP/RTP protocol analyzer and call-flow visualizer.\n\nCommands:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nOptions:\n"
                 "  -h, --help     show this help (COMMAND --help for a command's options)\n"
                 "  -V, --version  show the version\n\n"
                 "Commands that read captures take --limit NAME=VALUE to bound memory\n"
                 "(COMMAND --limit help lists the limits and their defaults).\n\n"
                 "Exit status: 0 success, 1 input error, 2 bad usage.\n");
}

int
main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("sipladder-cli %s (%s; nDPI %s)\n", SL_VERSION, pcap_lib_version(),
               flow_class_ndpi_version());
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        if (strcmp(cmd, commands[i].name) == 0) {
            cli_input_set_command(commands[i].name);
            return commands[i].run(argc - 1, argv + 1);
        }
    fprintf(stderr, "sipladder-cli: unknown command '%s' (see --help)\n", cmd);
    return CLI_EXIT_USAGE;
}
