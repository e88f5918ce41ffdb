/* RFC 4475 torture messages (../shared/corpora/rfc4475): every valid
 * message parses with the fields its INDEX.md names, every invalid one
 * yields a typed error, none reads out of bounds (each file is parsed from
 * a buffer of exactly its size, under AddressSanitizer). Skips when the
 * shared folder is absent. */
#include <stdio.h>
#include <string.h>

#include "sip-msg.h"

typedef enum { VALID, INVALID, SEMANTIC } Class;

typedef struct {
    const char *name;
    Class cls;
    SlStatus status;      /* expected parse status */
    const char *method;   /* method name, or NULL for responses / unchecked */
    unsigned code;        /* status code for responses */
    const char *call_id;  /* NULL: unchecked */
    int64_t cseq;         /* -1: unchecked */
    int vias;             /* -1: unchecked */
    int64_t body;         /* body length, -1: unchecked */
    uint32_t flags;       /* flags that must be set */
} Expect;

static const Expect expects[] = {
    /* 3.1.1 valid */
    { "wsinv", VALID, SL_OK, "INVITE", 0, "wsinv.ndaksdj@192.0.2.1", 9, 3, 150, 0 },
    { "intmeth", VALID, SL_OK, "!interesting-Method0123456789_*+`.%indeed'~", 0, NULL, 139122385, -1, 0, 0 },
    { "esc01", VALID, SL_OK, "INVITE", 0, NULL, -1, -1, 150, 0 },
    { "escnull", VALID, SL_OK, "REGISTER", 0, NULL, -1, -1, 0, 0 },
    { "esc02", VALID, SL_OK, "RE%47IST%45R", 0, NULL, -1, -1, -1, 0 },
    { "lwsdisp", VALID, SL_OK, "OPTIONS", 0, NULL, -1, -1, -1, 0 },
    { "longreq", VALID, SL_OK, "INVITE", 0, NULL, -1, 34, 150, 0 },
    { "dblreq", VALID, SL_OK, "REGISTER", 0, "dblreq.0ha0isndaksdj99sdfafnl3lk233412", -1, -1, 0,
      SIP_FLAG_TRAILING_DATA },
    { "semiuri", VALID, SL_OK, "OPTIONS", 0, NULL, -1, -1, -1, 0 },
    { "transports", VALID, SL_OK, "OPTIONS", 0, NULL, -1, 5, -1, 0 },
    { "mpart01", VALID, SL_OK, "MESSAGE", 0, NULL, -1, -1, 553, 0 },
    { "unreason", VALID, SL_OK, NULL, 200, NULL, -1, -1, 154, 0 },
    { "noreason", VALID, SL_OK, NULL, 100, NULL, -1, -1, -1, 0 },
    /* 3.1.2 invalid */
    { "badinv01", INVALID, SL_ERR_MALFORMED, "INVITE", 0, NULL, -1, -1, -1, 0 },
    { "clerr", INVALID, SL_ERR_MALFORMED, "INVITE", 0, NULL, -1, -1, -1, SIP_FLAG_CL_MISMATCH },
    { "ncl", INVALID, SL_ERR_MALFORMED, "INVITE", 0, NULL, -1, -1, -1, 0 },
    { "scalar02", INVALID, SL_ERR_MALFORMED, "REGISTER", 0, NULL, -1, -1, -1, 0 },
    { "scalarlg", INVALID, SL_ERR_MALFORMED, NULL, 503, NULL, -1, -1, -1, 0 },
    { "quotbal", INVALID, SL_ERR_MALFORMED, "INVITE", 0, NULL, -1, -1, -1, 0 },
    { "ltgtruri", INVALID, SL_ERR_MALFORMED, "INVITE", 0, NULL, -1, -1, -1, 0 },
    { "lwsruri", INVALID, SL_ERR_MALFORMED, "INVITE", 0, NULL, -1, -1, -1, 0 },
    { "lwsstart", INVALID, SL_ERR_MALFORMED, "INVITE", 0, NULL, -1, -1, -1, 0 },
    { "trws", INVALID, SL_ERR_MALFORMED, "OPTIONS", 0, NULL, -1, -1, -1, 0 },
    { "escruri", INVALID, SL_ERR_MALFORMED, "INVITE", 0, NULL, -1, -1, -1, 0 },
    { "baddate", INVALID, SL_ERR_MALFORMED, "INVITE", 0, NULL, -1, -1, -1, 0 },
    { "regbadct", INVALID, SL_ERR_MALFORMED, "REGISTER", 0, NULL, -1, -1, -1, 0 },
    { "badaspec", INVALID, SL_ERR_MALFORMED, "OPTIONS", 0, NULL, -1, -1, -1, 0 },
    { "baddn", INVALID, SL_ERR_MALFORMED, "OPTIONS", 0, NULL, -1, -1, -1, SIP_FLAG_NO_BLANK_LINE },
    { "badvers", INVALID, SL_ERR_MALFORMED, "OPTIONS", 0, NULL, -1, -1, -1, 0 },
    { "mismatch01", INVALID, SL_ERR_MALFORMED, "OPTIONS", 0, NULL, -1, -1, -1, 0 },
    { "mismatch02", INVALID, SL_ERR_MALFORMED, "NEWMETHOD", 0, NULL, -1, -1, -1, 0 },
    { "bigcode", INVALID, SL_ERR_MALFORMED, NULL, 0, NULL, -1, -1, -1, 0 },
    { "test", INVALID, SL_ERR_MALFORMED, "INVITE", 0, NULL, -1, -1, 18, 0 },
    /* 3.2 - 3.4 semantic: parse (possibly flagged) */
    { "badbranch", SEMANTIC, SL_OK, "OPTIONS", 0, NULL, -1, 1, -1, 0 },
    { "insuf", SEMANTIC, SL_OK, "INVITE", 0, "", -1, -1, -1, SIP_FLAG_MISSING },
    { "unkscm", SEMANTIC, SL_OK, "OPTIONS", 0, NULL, -1, -1, -1, 0 },
    { "novelsc", SEMANTIC, SL_OK, "OPTIONS", 0, NULL, -1, -1, -1, 0 },
    { "unksm2", SEMANTIC, SL_OK, "REGISTER", 0, NULL, -1, -1, -1, 0 },
    { "bext01", SEMANTIC, SL_OK, "OPTIONS", 0, NULL, -1, -1, -1, 0 },
    { "invut", SEMANTIC, SL_OK, "INVITE", 0, NULL, -1, -1, 40, 0 },
    { "regaut01", SEMANTIC, SL_OK, "REGISTER", 0, NULL, -1, -1, 0, 0 },
    { "multi01", SEMANTIC, SL_ERR_MALFORMED, "INVITE", 0, NULL, -1, -1, -1, SIP_FLAG_DUPLICATE },
    { "mcl01", SEMANTIC, SL_ERR_MALFORMED, "OPTIONS", 0, NULL, -1, -1, -1, 0 },
    { "bcast", SEMANTIC, SL_OK, NULL, 200, NULL, -1, 2, -1, 0 },
    { "zeromf", SEMANTIC, SL_OK, "OPTIONS", 0, NULL, -1, -1, -1, 0 },
    { "cparam01", SEMANTIC, SL_OK, "REGISTER", 0, NULL, -1, -1, -1, 0 },
    { "cparam02", SEMANTIC, SL_OK, "REGISTER", 0, NULL, -1, -1, -1, 0 },
    { "regescrt", SEMANTIC, SL_OK, "REGISTER", 0, NULL, -1, -1, 0, 0 },
    { "sdp01", SEMANTIC, SL_OK, "INVITE", 0, NULL, -1, -1, -1, 0 },
    { "inv2543", SEMANTIC, SL_OK, "INVITE", 0, NULL, -1, -1, 105, SIP_FLAG_NO_CONTENT_LENGTH },
};

static char *corpus_dir;

static GBytes *
load(const char *name)
{
    g_autofree char *path = g_strdup_printf("%s/%s.dat", corpus_dir, name);
    g_autoptr(GError) error = NULL;
    char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &data, &len, &error))
        g_error("%s", error->message);
    return g_bytes_new_take(data, len);
}

/* The exact bytes, in a buffer of exactly their size. */
static SlView
exact(GBytes *b, uint8_t **owned)
{
    gsize len;
    const void *p = g_bytes_get_data(b, &len);
    *owned = g_malloc(len ? len : 1);
    memcpy(*owned, p, len);
    return sl_view_make(*owned, len);
}

static void
check_one(gconstpointer data)
{
    const Expect *e = data;
    g_autoptr(GBytes) bytes = load(e->name);
    uint8_t *buf;
    SlView v = exact(bytes, &buf);
    SipMsg *m = g_new0(SipMsg, 1);
    SlStatus st = sip_msg_parse(v, SIP_FRAMING_DATAGRAM, NULL, m);
    if (st != e->status) {
        g_test_message("%s: status %s (%s at %zu), expected %s", e->name, sl_status_name(st),
                       m->error.msg ? m->error.msg : "-", m->error.offset,
                       sl_status_name(e->status));
        g_test_fail();
    }
    if (st != SL_OK)
        g_assert_nonnull(m->error.msg);
    if (e->method)
        g_assert_true(m->is_request && sl_view_eq_str(m->method_name, e->method));
    else
        g_assert_false(m->is_request);
    g_assert_cmpuint(m->status, ==, e->code);
    if (e->call_id)
        g_assert_true(sl_view_eq_str(m->call_id, e->call_id));
    if (e->cseq >= 0)
        g_assert_cmpuint(m->cseq, ==, (uint32_t)e->cseq);
    if (e->vias >= 0)
        g_assert_cmpuint(m->n_via, ==, (unsigned)e->vias);
    if (e->body >= 0)
        g_assert_cmpuint(m->body.len, ==, (size_t)e->body);
    g_assert_cmphex(m->flags & e->flags, ==, e->flags);
    g_assert_cmpuint(m->raw.len, <=, v.len);

    /* every prefix, both framings: a defined status, never past the end */
    for (size_t n = 0; n < v.len; n++) {
        uint8_t *p = g_memdup2(buf, n ? n : 1);
        for (int f = 0; f < 2; f++) {
            SlStatus ps = sip_msg_parse(sl_view_make(p, n),
                                        f ? SIP_FRAMING_STREAM : SIP_FRAMING_DATAGRAM, NULL, m);
            g_assert_cmpint(ps, >=, SL_OK);
            g_assert_cmpint(ps, <=, SL_ERR_LIMIT);
            if (ps == SL_OK || ps == SL_ERR_MALFORMED)
                g_assert_cmpuint(m->raw.len, <=, n);
        }
        g_free(p);
    }
    g_free(m);
    g_free(buf);
}

/* Fields named by the corpus INDEX.md beyond the common table. */
static void
check_details(void)
{
    SipMsg *m = g_new0(SipMsg, 1);
    uint8_t *buf;
    SlView val;
    SipValueIter it;

    g_autoptr(GBytes) wsinv = load("wsinv");
    sip_msg_parse(exact(wsinv, &buf), SIP_FRAMING_DATAGRAM, NULL, m);
    g_assert_cmpint(m->max_forwards, ==, 68);
    g_assert_true(sl_view_eq_str(m->from.tag, "98asjd8"));
    g_assert_true(sl_view_eq_str(m->to.tag, "1918181833n"));
    g_assert_true(sl_view_eq_str(m->via.branch, "390skdjuw"));
    SipUri ruri;
    g_assert_cmpint(sip_uri_parse(m->ruri, &ruri), ==, SL_OK);
    g_assert_true(sl_view_eq_str(ruri.user, "vivekg"));
    g_assert_true(sl_view_eq_str(ruri.host, "chair-dnrc.example.com"));
    const SipHdr *odd = sip_msg_hdr_by_name(m, "UnknownHeaderWithUnusualValue");
    g_assert_nonnull(odd);
    g_assert_true(sl_view_eq_str(odd->value, ";;,,;;,;"));
    g_assert_cmpuint(sip_msg_hdr(m, SIP_HDR_SUBJECT)->value.len, ==, 0);
    g_free(buf);

    g_autoptr(GBytes) esc02 = load("esc02");
    sip_msg_parse(exact(esc02, &buf), SIP_FRAMING_DATAGRAM, NULL, m);
    g_assert_cmpint(m->method, ==, SIP_METHOD_UNKNOWN);
    unsigned contacts = 0;
    memset(&it, 0, sizeof it);
    while (sip_msg_next_value(m, SIP_HDR_CONTACT, &it, &val))
        contacts++;
    g_assert_cmpuint(contacts, ==, 2);
    g_free(buf);

    g_autoptr(GBytes) escnull = load("escnull");
    sip_msg_parse(exact(escnull, &buf), SIP_FRAMING_DATAGRAM, NULL, m);
    contacts = 0;
    memset(&it, 0, sizeof it);
    while (sip_msg_next_value(m, SIP_HDR_CONTACT, &it, &val))
        contacts++;
    g_assert_cmpuint(contacts, ==, 2);
    g_free(buf);

    g_autoptr(GBytes) lwsdisp = load("lwsdisp");
    sip_msg_parse(exact(lwsdisp, &buf), SIP_FRAMING_DATAGRAM, NULL, m);
    g_assert_true(sl_view_eq_str(m->from.display, "caller"));
    g_assert_true(sl_view_eq_str(m->from.tag, "323"));
    g_free(buf);

    g_autoptr(GBytes) semiuri = load("semiuri");
    sip_msg_parse(exact(semiuri, &buf), SIP_FRAMING_DATAGRAM, NULL, m);
    g_assert_cmpint(sip_uri_parse(m->ruri, &ruri), ==, SL_OK);
    g_assert_true(sl_view_eq_str(ruri.user, "user;par=u%40example.net"));
    g_assert_true(sl_view_eq_str(ruri.host, "example.com"));
    g_free(buf);

    g_autoptr(GBytes) transports = load("transports");
    sip_msg_parse(exact(transports, &buf), SIP_FRAMING_DATAGRAM, NULL, m);
    const char *want[] = { "UDP", "SCTP", "TLS", "UNKNOWN", "TCP" };
    memset(&it, 0, sizeof it);
    for (int i = 0; i < 5; i++) {
        SipVia via;
        g_assert_true(sip_msg_next_value(m, SIP_HDR_VIA, &it, &val));
        g_assert_cmpint(sip_via_parse(val, &via), ==, SL_OK);
        g_assert_true(sl_view_eq_str(via.transport, want[i]));
    }
    g_free(buf);

    g_autoptr(GBytes) mpart = load("mpart01");
    sip_msg_parse(exact(mpart, &buf), SIP_FRAMING_DATAGRAM, NULL, m);
    SlView boundary, type, params;
    sip_content_type_split(sip_msg_hdr(m, SIP_HDR_CONTENT_TYPE)->value, &type, &params);
    g_assert_true(sl_view_eq_str(type, "multipart/mixed"));
    g_assert_true(sip_param_get(params, "boundary", &boundary));
    size_t pos = 0;
    SipBodyPart part;
    unsigned parts = 0;
    while (sip_multipart_next(m->body, boundary, &pos, &part))
        parts++;
    g_assert_cmpuint(parts, ==, 2);
    g_free(buf);

    g_autoptr(GBytes) cparam01 = load("cparam01");
    sip_msg_parse(exact(cparam01, &buf), SIP_FRAMING_DATAGRAM, NULL, m);
    SipNameAddr na;
    sip_name_addr_parse(sip_msg_hdr(m, SIP_HDR_CONTACT)->value, &na);
    g_assert_true(sip_param_get(na.params, "unknownparam", NULL));
    g_assert_false(sip_param_get(na.uri.params, "unknownparam", NULL));
    g_free(buf);

    g_autoptr(GBytes) cparam02 = load("cparam02");
    sip_msg_parse(exact(cparam02, &buf), SIP_FRAMING_DATAGRAM, NULL, m);
    sip_name_addr_parse(sip_msg_hdr(m, SIP_HDR_CONTACT)->value, &na);
    g_assert_false(sip_param_get(na.params, "unknownparam", NULL));
    g_assert_true(sip_param_get(na.uri.params, "unknownparam", NULL));
    g_free(buf);

    g_autoptr(GBytes) noreason = load("noreason");
    sip_msg_parse(exact(noreason, &buf), SIP_FRAMING_DATAGRAM, NULL, m);
    g_assert_cmpuint(m->reason.len, ==, 0);
    g_free(buf);

    g_autoptr(GBytes) badbranch = load("badbranch");
    sip_msg_parse(exact(badbranch, &buf), SIP_FRAMING_DATAGRAM, NULL, m);
    g_assert_true(sl_view_eq_str(m->via.branch, "z9hG4bK"));
    g_free(buf);
    g_free(m);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    const char *shared = g_getenv("SL_SHARED_DIR");
    corpus_dir = g_build_filename(shared ? shared : "../shared", "corpora", "rfc4475", NULL);
    if (!g_file_test(corpus_dir, G_FILE_TEST_IS_DIR)) {
        printf("1..0 # SKIP %s is absent\n", corpus_dir);
        return 0;
    }
    /* every file in the corpus has an expectation */
    g_autoptr(GDir) dir = g_dir_open(corpus_dir, 0, NULL);
    const char *f;
    while ((f = g_dir_read_name(dir)) != NULL) {
        if (!g_str_has_suffix(f, ".dat"))
            continue;
        gboolean known = FALSE;
        for (size_t i = 0; i < G_N_ELEMENTS(expects); i++)
            if (strlen(f) == strlen(expects[i].name) + 4 && strncmp(f, expects[i].name, strlen(expects[i].name)) == 0)
                known = TRUE;
        if (!known)
            g_error("%s has no expectation in this test", f);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(expects); i++) {
        g_autofree char *path = g_strdup_printf("/rfc4475/%s", expects[i].name);
        g_test_add_data_func(path, &expects[i], check_one);
    }
    g_test_add_func("/rfc4475/details", check_details);
    return g_test_run();
}
