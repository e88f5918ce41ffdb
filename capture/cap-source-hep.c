/* sipladder: a HEP collector as a packet source. It listens on one
 * address and port over UDP and TCP (capture agents use either), decodes
 * each HEP packet and returns it as a raw IP frame with the addresses,
 * ports and time that HEP carried, so that everything downstream (and a
 * pcap written from the frames) sees the packet the agent captured. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cap-hep.h"
#include "cap-source.h"
#include "status.h"

#ifndef DLT_RAW
#define DLT_RAW 12
#endif

#define HEP_MAX_CLIENTS 64
#define HEP_CLIENT_BUFFER (256 * 1024) /* bytes buffered per TCP client */
#define HEP_POLL_MS 100

typedef struct {
    int fd;
    GByteArray *buf;
} HepClient;

typedef struct {
    CapSource base;
    int udp, listener;
    GArray *clients;     /* HepClient */
    CapHepSeq *tcp_seq;  /* TCP payloads' sequence numbers */
    CapLiveOptions opts;
    volatile int stopped;
    double started;
    CapSourceStats stats;
    uint8_t frame[CAP_HEP_MAX_PAYLOAD + 128];
    uint8_t dgram[65536];
} HepSource;

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static SlTime
wall_now(void)
{
    return (SlTime)g_get_real_time() * 1000;
}

/* Turns one HEP packet into the frame to return. False when it carries
 * nothing to analyse (counted). */
static bool
hep_to_frame(HepSource *hs, const CapHep *h, CapFrame *out)
{
    if (h->payload_type != 0 && h->payload_type != CAP_HEP_TYPE_SIP &&
        h->payload_type != CAP_HEP_TYPE_RTP && h->payload_type != CAP_HEP_TYPE_RTCP) {
        hs->stats.ignored++;
        return false;
    }
    uint32_t seq = h->ip_proto == 6 ? cap_hep_seq_next(hs->tcp_seq, h) : 0;
    size_t len = cap_hep_frame(h, seq, hs->frame, sizeof hs->frame);
    if (len == 0) {
        hs->stats.malformed++;
        return false;
    }
    hs->base.frames++;
    out->frame = hs->base.frames;
    out->ts = h->has_ts ? h->ts : wall_now();
    out->cap_len = out->wire_len = (uint32_t)len;
    out->linktype = DLT_RAW;
    out->data = hs->frame;
    return true;
}

/* Decodes a datagram; true when @out holds a frame. */
static bool
take_datagram(HepSource *hs, SlView d, CapFrame *out)
{
    CapHep h;
    SlError err = { 0 };
    SlStatus st = cap_hep_parse(d, &h, NULL, &err);
    bool ok = st == SL_OK && hep_to_frame(hs, &h, out);
    if (st != SL_OK)
        hs->stats.malformed++;
    cap_hep_clear(&h);
    return ok;
}

/* Takes the first whole HEP packet out of a client's buffer; true when
 * @out holds a frame. Garbage is skipped up to the next "HEP3". */
static bool
take_stream(HepSource *hs, HepClient *c, CapFrame *out)
{
    while (c->buf->len) {
        SlView d = sl_view_make(c->buf->data, c->buf->len);
        CapHep h;
        SlError err = { 0 };
        size_t used = 0;
        SlStatus st = cap_hep_parse(d, &h, &used, &err);
        if (st == SL_ERR_NEED_MORE) {
            cap_hep_clear(&h);
            return false;
        }
        bool ok = false;
        if (st == SL_OK) {
            ok = hep_to_frame(hs, &h, out);
            /* the frame is copied: the buffer may move now */
            g_byte_array_remove_range(c->buf, 0, (guint)used);
        } else {
            hs->stats.malformed++;
            size_t next = 0;
            SlView rest = sl_view_tail(d, 1);
            guint drop = sl_view_find(rest, "HEP3", 4, &next) ? (guint)(next + 1) : c->buf->len;
            g_byte_array_remove_range(c->buf, 0, drop);
        }
        cap_hep_clear(&h);
        if (ok)
            return true;
    }
    return false;
}

static void
client_close(HepSource *hs, guint i)
{
    HepClient *c = &g_array_index(hs->clients, HepClient, i);
    close(c->fd);
    g_byte_array_unref(c->buf);
    g_array_remove_index_fast(hs->clients, i);
}

static bool
should_end(HepSource *hs)
{
    if (hs->stopped || (hs->opts.stop && *hs->opts.stop))
        return true;
    if (hs->opts.max_frames && hs->base.frames >= hs->opts.max_frames)
        return true;
    return hs->opts.duration_s > 0 && now_s() - hs->started >= hs->opts.duration_s;
}

static CapReadResult
hep_next(CapSource *base, CapFrame *out, GError **error)
{
    HepSource *hs = (HepSource *)base;
    /* whole packets already buffered first */
    for (guint i = 0; i < hs->clients->len; i++)
        if (take_stream(hs, &g_array_index(hs->clients, HepClient, i), out))
            return CAP_READ_FRAME;
    double waited_from = now_s();
    while (!should_end(hs)) {
        if (hs->opts.idle_ms && now_s() - waited_from >= hs->opts.idle_ms / 1000.0)
            return CAP_READ_IDLE;
        struct pollfd fds[2 + HEP_MAX_CLIENTS];
        nfds_t n = 0;
        fds[n++] = (struct pollfd){ .fd = hs->udp, .events = POLLIN };
        fds[n++] = (struct pollfd){ .fd = hs->listener, .events = POLLIN };
        for (guint i = 0; i < hs->clients->len; i++)
            fds[n++] = (struct pollfd){ .fd = g_array_index(hs->clients, HepClient, i).fd,
                                        .events = POLLIN };
        int r = poll(fds, n, hs->opts.idle_ms ? (int)MIN(hs->opts.idle_ms, HEP_POLL_MS) : HEP_POLL_MS);
        if (r < 0 && errno != EINTR) {
            g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_READ, "%s: poll: %s", base->name,
                        g_strerror(errno));
            return CAP_READ_ERROR;
        }
        if (r <= 0)
            continue;
        if (fds[0].revents & POLLIN) {
            ssize_t got = recv(hs->udp, hs->dgram, sizeof hs->dgram, 0);
            if (got > 0 && take_datagram(hs, sl_view_make(hs->dgram, (size_t)got), out))
                return CAP_READ_FRAME;
        }
        if (fds[1].revents & POLLIN) {
            int fd = accept(hs->listener, NULL, NULL);
            if (fd >= 0 && hs->clients->len < HEP_MAX_CLIENTS) {
                HepClient c = { .fd = fd, .buf = g_byte_array_new() };
                g_array_append_val(hs->clients, c);
            } else if (fd >= 0) {
                close(fd); /* too many agents at once */
            }
        }
        /* clients: fds[2 + i] is client i as it was when polled */
        for (guint i = (guint)n - 2; i-- > 0;) {
            if (!(fds[2 + i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            HepClient *c = &g_array_index(hs->clients, HepClient, i);
            ssize_t got = recv(c->fd, hs->dgram, sizeof hs->dgram, 0);
            if (got <= 0) {
                client_close(hs, i);
                continue;
            }
            if (c->buf->len + (size_t)got > HEP_CLIENT_BUFFER) {
                hs->stats.malformed++; /* no packet boundary in sight */
                client_close(hs, i);
                continue;
            }
            g_byte_array_append(c->buf, hs->dgram, (guint)got);
            if (take_stream(hs, c, out))
                return CAP_READ_FRAME;
        }
    }
    return CAP_READ_END;
}

static void
hep_stop(CapSource *base)
{
    ((HepSource *)base)->stopped = 1;
}

static void
hep_stats(CapSource *base, CapSourceStats *out)
{
    *out = ((HepSource *)base)->stats;
}

static void
hep_free(CapSource *base)
{
    HepSource *hs = (HepSource *)base;
    while (hs->clients->len)
        client_close(hs, 0);
    g_array_unref(hs->clients);
    cap_hep_seq_free(hs->tcp_seq);
    if (hs->udp >= 0)
        close(hs->udp);
    if (hs->listener >= 0)
        close(hs->listener);
    g_free(base->name);
    g_free(hs);
}

static const CapSourceOps hep_ops = {
    .next = hep_next,
    .free = hep_free,
    .stop = hep_stop,
    .stats = hep_stats,
};

static socklen_t
to_sockaddr(const SlAddr *a, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof(*ss));
    if (a->family == SL_AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)ss;
        in->sin_family = AF_INET;
        in->sin_port = htons(a->port);
        memcpy(&in->sin_addr, a->ip, 4);
        return sizeof(*in);
    }
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(a->port);
    memcpy(&in6->sin6_addr, a->ip, 16);
    return sizeof(*in6);
}

static int
bound_socket(const SlAddr *a, int type, const char *spec, GError **error)
{
    struct sockaddr_storage ss;
    socklen_t len = to_sockaddr(a, &ss);
    int fd = socket(ss.ss_family, type | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) != 0 ||
        (type == SOCK_STREAM && listen(fd, 16) != 0)) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_OPEN, "cannot listen for HEP on %s (%s): %s",
                    spec, type == SOCK_STREAM ? "TCP" : "UDP", g_strerror(e));
        return -1;
    }
    if (type == SOCK_DGRAM) {
        int rcv = 8 * 1024 * 1024;
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
    }
    return fd;
}

CapSource *
cap_source_open_hep(const char *spec, const CapLiveOptions *opts, GError **error)
{
    SlAddr a;
    if (!sl_addr_parse(spec, &a) || a.port == 0) {
        g_set_error(error, SL_IO_ERROR, SL_IO_ERROR_OPEN,
                    "'%s' is not an address and port to listen on (e.g. 0.0.0.0:9060)", spec);
        return NULL;
    }
    int udp = bound_socket(&a, SOCK_DGRAM, spec, error);
    if (udp < 0)
        return NULL;
    int tcp = bound_socket(&a, SOCK_STREAM, spec, error);
    if (tcp < 0) {
        close(udp);
        return NULL;
    }
    HepSource *hs = g_new0(HepSource, 1);
    hs->base.ops = &hep_ops;
    hs->base.name = g_strdup_printf("HEP %s", spec);
    hs->udp = udp;
    hs->listener = tcp;
    hs->clients = g_array_new(FALSE, FALSE, sizeof(HepClient));
    hs->tcp_seq = cap_hep_seq_new();
    hs->opts = opts ? *opts : (CapLiveOptions){ 0 };
    hs->started = now_s();
    return &hs->base;
}
