/* sipladder samples/regenerate-ways-in: makes OpenSSL write the NSS key
 * log of every connection (SSL_CTX_set_keylog_callback) to the file named
 * by SSLKEYLOGFILE, in programs that do not offer it themselves (Debian
 * 12's Kamailio 5.6 tls module). Loaded with LD_PRELOAD; the key log lines
 * are OpenSSL's own, this only appends them to the file. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <openssl/ssl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
keylog_line(const SSL *ssl, const char *line)
{
    const char *path = getenv("SSLKEYLOGFILE");
    char buf[1024];
    size_t n = strlen(line);
    (void)ssl;
    if (path == NULL || n + 1 > sizeof buf)
        return;
    memcpy(buf, line, n);
    buf[n] = '\n';
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd < 0)
        return;
    if (write(fd, buf, n + 1) < 0) {
        /* nothing to do: the line is lost */
    }
    close(fd);
}

SSL *
SSL_new(SSL_CTX *ctx)
{
    static SSL *(*real_new)(SSL_CTX *);
    if (real_new == NULL)
        *(void **)&real_new = dlsym(RTLD_NEXT, "SSL_new");
    if (ctx && getenv("SSLKEYLOGFILE"))
        SSL_CTX_set_keylog_callback(ctx, keylog_line);
    return real_new(ctx);
}
