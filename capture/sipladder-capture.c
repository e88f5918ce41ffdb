/* sipladder-capture: the small program that holds the capture privileges.
 *
 * It opens one interface with libpcap, applies a capture filter, drops
 * every privilege it can, and streams what it captures as a pcap file to
 * standard output (or -w FILE), flushing every packet, until --duration,
 * --count, SIGINT/SIGTERM or the reader going away. The GUI and the CLI run
 * it and read the stream, as Wireshark does with dumpcap, so they never
 * need privileges themselves. Kernel statistics (pcap_stats) go to
 * standard error as "stats received=N dropped=N ifdropped=N" lines, every
 * second with --stats and once at the end.
 *
 * It needs CAP_NET_RAW and CAP_NET_ADMIN (or root): grant them once with
 *   setcap cap_net_raw,cap_net_admin+eip /path/to/sipladder-capture
 *
 * Exit status: 0 done, 1 capture error, 2 bad usage, 3 no permission. */
#include <errno.h>
#include <linux/capability.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "sl-config.h"

#define EXIT_CAPTURE 1
#define EXIT_USAGE 2
#define EXIT_PERM 3

static volatile sig_atomic_t stop_requested;

static void
on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void
usage(FILE *out)
{
    fprintf(out,
            "Usage: sipladder-capture -i IFACE [-f FILTER] [-s SNAPLEN] [-w FILE|-]\n"
            "                         [--duration S] [--count N] [--stats]\n"
            "       sipladder-capture --list\n"
            "       sipladder-capture --check-filter FILTER [-i IFACE]\n"
            "Streams the packets of IFACE as a pcap file (default: standard output).\n");
}

/* --list: one line per interface: name, TAB, description, TAB, its
 * addresses separated by spaces. */
static int
list_interfaces(void)
{
    pcap_if_t *all = NULL;
    char err[PCAP_ERRBUF_SIZE] = "";
    if (pcap_findalldevs(&all, err) != 0) {
        fprintf(stderr, "sipladder-capture: cannot list interfaces: %s\n", err);
        return EXIT_CAPTURE;
    }
    for (pcap_if_t *d = all; d; d = d->next) {
        printf("%s\t%s\t", d->name, d->description ? d->description : "");
        bool first = true;
        for (pcap_addr_t *a = d->addresses; a; a = a->next) {
            char buf[INET6_ADDRSTRLEN] = "";
            if (!a->addr)
                continue;
            if (a->addr->sa_family == AF_INET)
                inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)a->addr)->sin_addr, buf,
                          sizeof buf);
            else if (a->addr->sa_family == AF_INET6)
                inet_ntop(AF_INET6, &((struct sockaddr_in6 *)(void *)a->addr)->sin6_addr, buf,
                          sizeof buf);
            else
                continue;
            printf("%s%s", first ? "" : " ", buf);
            first = false;
        }
        printf("\t%s\n", (d->flags & PCAP_IF_UP) ? "up" : "down");
    }
    pcap_freealldevs(all);
    return 0;
}

/* --check-filter: compiles @filter for Ethernet (or @iface's link type
 * when it can be opened) without capturing. */
static int
check_filter(const char *filter)
{
    pcap_t *p = pcap_open_dead(DLT_EN10MB, 262144);
    struct bpf_program prog;
    int rc = pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN);
    if (rc != 0) {
        fprintf(stderr, "sipladder-capture: bad capture filter: %s\n", pcap_geterr(p));
        pcap_close(p);
        return EXIT_USAGE;
    }
    pcap_freecode(&prog);
    pcap_close(p);
    return 0;
}

/* Gives up every capability and a set-uid identity once the handle is
 * open: the rest of the run needs none. */
static void
drop_privileges(void)
{
    if (geteuid() == 0 && getuid() != 0) {
        if (setgid(getgid()) != 0 || setuid(getuid()) != 0)
            fprintf(stderr, "sipladder-capture: warning: cannot drop set-uid privileges\n");
    }
    struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    if (getuid() != 0 && syscall(SYS_capset, &hdr, data) != 0)
        fprintf(stderr, "sipladder-capture: warning: cannot drop capabilities: %s\n",
                strerror(errno));
}

static void
print_stats(pcap_t *p, bool final)
{
    struct pcap_stat st;
    if (pcap_stats(p, &st) != 0)
        return;
    fprintf(stderr, "stats received=%u dropped=%u ifdropped=%u%s\n", st.ps_recv, st.ps_drop,
            st.ps_ifdrop, final ? " final" : "");
    fflush(stderr);
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct {
    pcap_dumper_t *d;
    unsigned long long count, n;
    bool done;
} Writer;

static void
write_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
    Writer *w = (Writer *)(void *)user;
    if (w->done)
        return;
    pcap_dump((u_char *)w->d, h, data);
    if (pcap_dump_flush(w->d) != 0) {
        if (errno != EPIPE)
            fprintf(stderr, "sipladder-capture: write: %s\n", strerror(errno));
        w->done = true; /* the reader went away */
        return;
    }
    w->n++;
    if (w->count && w->n >= w->count)
        w->done = true;
}

static int
open_handle(const char *iface, int snaplen, pcap_t **out)
{
    char err[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = pcap_create(iface, err);
    if (!p) {
        fprintf(stderr, "sipladder-capture: %s: %s\n", iface, err);
        return EXIT_CAPTURE;
    }
    pcap_set_snaplen(p, snaplen);
    pcap_set_promisc(p, 1);
    pcap_set_immediate_mode(p, 1);
    pcap_set_buffer_size(p, 32 * 1024 * 1024);
    pcap_set_timeout(p, 100);
    pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
    int rc = pcap_activate(p);
    if (rc == PCAP_ERROR_PERM_DENIED || (rc < 0 && errno == EPERM)) {
        char self[4096] = "";
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n > 0)
            self[n] = 0;
        fprintf(stderr,
                "sipladder-capture: cannot capture on %s: permission denied.\n"
                "Capturing needs the capabilities CAP_NET_RAW and CAP_NET_ADMIN. Grant them\n"
                "once, as root, with:\n"
                "  setcap cap_net_raw,cap_net_admin+eip %s\n"
                "or run the capture as root.\n",
                iface, self[0] ? self : "sipladder-capture");
        pcap_close(p);
        return EXIT_PERM;
    }
    if (rc == PCAP_ERROR_NO_SUCH_DEVICE) {
        fprintf(stderr, "sipladder-capture: no interface named '%s' (see --list)\n", iface);
        pcap_close(p);
        return EXIT_CAPTURE;
    }
    if (rc < 0) {
        fprintf(stderr, "sipladder-capture: cannot capture on %s: %s\n", iface, pcap_geterr(p));
        pcap_close(p);
        return EXIT_CAPTURE;
    }
    if (rc > 0)
        fprintf(stderr, "sipladder-capture: warning: %s: %s\n", iface, pcap_statustostr(rc));
    *out = p;
    return 0;
}

int
main(int argc, char **argv)
{
    const char *iface = NULL, *filter = NULL, *out_path = "-", *check = NULL;
    int snaplen = 262144;
    double duration = 0;
    unsigned long long count = 0;
    bool stats = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--list") == 0 || strcmp(a, "-D") == 0)
            return list_interfaces();
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(a, "--version") == 0) {
            printf("sipladder-capture %s (%s)\n", SL_VERSION, pcap_lib_version());
            return 0;
        }
        if (strcmp(a, "--stats") == 0) {
            stats = true;
            continue;
        }
        if (!v) {
            fprintf(stderr, "sipladder-capture: %s needs a value\n", a);
            return EXIT_USAGE;
        }
        if (strcmp(a, "-i") == 0)
            iface = v;
        else if (strcmp(a, "-f") == 0)
            filter = v;
        else if (strcmp(a, "-w") == 0)
            out_path = v;
        else if (strcmp(a, "--check-filter") == 0)
            check = v;
        else if (strcmp(a, "-s") == 0)
            snaplen = atoi(v);
        else if (strcmp(a, "--duration") == 0)
            duration = atof(v);
        else if (strcmp(a, "--count") == 0)
            count = strtoull(v, NULL, 10);
        else {
            fprintf(stderr, "sipladder-capture: unknown option %s\n", a);
            usage(stderr);
            return EXIT_USAGE;
        }
        i++;
    }
    if (check)
        return check_filter(check);
    if (!iface) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (snaplen < 64 || snaplen > 262144 || duration < 0) {
        fprintf(stderr, "sipladder-capture: snaplen or duration out of range\n");
        return EXIT_USAGE;
    }
    pcap_t *p = NULL;
    int rc = open_handle(iface, snaplen, &p);
    if (rc != 0)
        return rc;
    if (filter && filter[0]) {
        struct bpf_program prog;
        if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0 ||
            pcap_setfilter(p, &prog) != 0) {
            fprintf(stderr, "sipladder-capture: bad capture filter: %s\n", pcap_geterr(p));
            pcap_close(p);
            return EXIT_USAGE;
        }
        pcap_freecode(&prog);
    }
    drop_privileges();

    FILE *out = strcmp(out_path, "-") == 0 ? stdout : fopen(out_path, "wb");
    if (!out) {
        fprintf(stderr, "sipladder-capture: %s: %s\n", out_path, strerror(errno));
        pcap_close(p);
        return EXIT_CAPTURE;
    }
    pcap_dumper_t *d = pcap_dump_fopen(p, out);
    if (!d) {
        fprintf(stderr, "sipladder-capture: %s: %s\n", out_path, pcap_geterr(p));
        pcap_close(p);
        return EXIT_CAPTURE;
    }
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    pcap_dump_flush(d); /* the reader sees the file header at once */
    fprintf(stderr, "capturing on %s\n", iface);
    fflush(stderr);

    /* non-blocking reads under poll(): the timeout of a handle in
     * immediate mode is not honoured everywhere */
    char err[PCAP_ERRBUF_SIZE] = "";
    int fd = pcap_get_selectable_fd(p);
    if (fd < 0 || pcap_setnonblock(p, 1, err) != 0) {
        fprintf(stderr, "sipladder-capture: %s: cannot poll the capture: %s\n", iface, err);
        pcap_dump_close(d);
        pcap_close(p);
        return EXIT_CAPTURE;
    }
    Writer w = { .d = d, .count = count };
    double start = now_s(), last_stats = start;
    int status = 0;
    while (!stop_requested && !w.done) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        int pr = poll(&pfd, 1, 100);
        if (pr < 0 && errno != EINTR) {
            fprintf(stderr, "sipladder-capture: poll: %s\n", strerror(errno));
            status = EXIT_CAPTURE;
            break;
        }
        if (pr > 0) {
            int r = pcap_dispatch(p, -1, write_packet, (u_char *)&w);
            if (r < 0 && r != PCAP_ERROR_BREAK) {
                fprintf(stderr, "sipladder-capture: %s: %s\n", iface, pcap_geterr(p));
                status = EXIT_CAPTURE;
                break;
            }
        }
        double t = now_s();
        if (duration > 0 && t - start >= duration)
            break;
        if (stats && t - last_stats >= 1.0) {
            print_stats(p, false);
            last_stats = t;
        }
    }
    print_stats(p, true);
    pcap_dump_close(d);
    pcap_close(p);
    return status;
}
