/* http.c - a small local HTTP server on libmicrohttpd: GET and HEAD only, Host check, limits, strict headers.
 *
 * libmicrohttpd parses the requests; this file decides which are answered
 * and adds the headers every answer carries. One thread per connection:
 * a Server-Sent Events stream may then wait on its own thread.
 */
#include "annals/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "annals/util.h"

/*
 * Nothing from elsewhere: scripts, styles and requests only to this server;
 * no inline script or style, no frames, no forms posting anywhere.
 */
#define CSP "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
            "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

struct http_server {
    struct MHD_Daemon *daemon;
    http_handler handler;
    void *ctx;
    char *host;          /* as given, for the Host check */
    /* Set once the daemon runs (port 0 asks it for one), read by its threads. */
    _Atomic unsigned port;
    char *url;
};

int http_reply_error(http_reply *rep, unsigned status, const char *msg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return -1;
    fputs("{\"error\": ", f);
    json_write_string(f, msg, strlen(msg));
    fputs("}\n", f);
    if (fclose(f) != 0) {
        free(buf);
        return -1;
    }
    free(rep->body);
    rep->status = status;
    rep->type = "application/json; charset=utf-8";
    rep->body = buf;
    rep->len = len;
    return 0;
}

/* True when s (n bytes) is a numeric IPv4 address or a bracketed IPv6 one. */
static bool is_ip_literal(const char *s, size_t n)
{
    char buf[64];
    unsigned char addr[16];
    if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
        if (n - 2 >= sizeof(buf))
            return false;
        memcpy(buf, s + 1, n - 2);
        buf[n - 2] = '\0';
        return inet_pton(AF_INET6, buf, addr) == 1;
    }
    if (n >= sizeof(buf))
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return inet_pton(AF_INET, buf, addr) == 1;
}

bool http_host_allowed(const char *header, const char *host, unsigned port)
{
    if (!header || !*header)
        return false;
    size_t n = strlen(header);
    /* Split "name:port"; a bracketed IPv6 literal holds colons of its own. */
    const char *colon = strrchr(header, ':');
    const char *close = strrchr(header, ']');
    size_t name_len = n;
    unsigned long given = 80;
    if (colon && (!close || colon > close)) {
        name_len = (size_t)(colon - header);
        char *end;
        errno = 0;
        given = strtoul(colon + 1, &end, 10);
        if (errno || end == colon + 1 || *end || given > 65535)
            return false;
    }
    if (given != port || name_len == 0)
        return false;
    if (is_ip_literal(header, name_len))
        return true;
    if (name_len == 9 && strncasecmp(header, "localhost", 9) == 0)
        return true;
    return host && strlen(host) == name_len && strncasecmp(header, host, name_len) == 0;
}

/* Collects the query parameters; counts past the limit without keeping them. */
typedef struct {
    http_param v[HTTP_MAX_PARAMS];
    size_t n;
    bool too_many;
} param_list;

static enum MHD_Result collect_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    param_list *p = cls;
    if (p->n == HTTP_MAX_PARAMS) {
        p->too_many = true;
        return MHD_NO;
    }
    p->v[p->n].key = key ? key : "";
    p->v[p->n].value = value ? value : "";
    p->n++;
    return MHD_YES;
}

static void add_headers(struct MHD_Response *r, const char *cache)
{
    MHD_add_response_header(r, "Content-Security-Policy", CSP);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(r, "Cache-Control", cache ? cache : "no-store");
}

/* A stream as libmicrohttpd calls it. */
typedef struct {
    http_stream_fn fn;
    void *ctx;
    void (*done)(void *ctx);
} stream_call;

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    stream_call *c = cls;
    ssize_t n = c->fn(c->ctx, buf, max);
    return n < 0 ? MHD_CONTENT_READER_END_OF_STREAM : n;
}

static void stream_free(void *cls)
{
    stream_call *c = cls;
    if (c->done)
        c->done(c->ctx);
    free(c);
}

/* Queue rep (or a plain error when rep could not be built) on the connection. */
static enum MHD_Result send_reply(struct MHD_Connection *conn, http_reply *rep)
{
    struct MHD_Response *r;
    if (rep->stream) {
        stream_call *c = malloc(sizeof(*c));
        r = NULL;
        if (c) {
            *c = (stream_call){rep->stream, rep->stream_ctx, rep->stream_done};
            r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024, stream_read, c,
                                                  stream_free);
            if (r)
                rep->stream_done = NULL;    /* stream_free calls it */
            else
                free(c);
        }
    } else {
        r = MHD_create_response_from_buffer(rep->len, rep->body, MHD_RESPMEM_MUST_FREE);
        if (r)
            rep->body = NULL;   /* the response owns it now */
    }
    if (!r) {
        free(rep->body);
        if (rep->stream_done)
            rep->stream_done(rep->stream_ctx);
        return MHD_NO;          /* closes the connection */
    }
    if (rep->type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rep->type);
    add_headers(r, rep->cache);
    if (rep->status == 405)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result ok = MHD_queue_response(conn, rep->status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *conn, unsigned status, const char *msg)
{
    http_reply rep = {0};
    if (http_reply_error(&rep, status, msg) != 0)
        return MHD_NO;
    return send_reply(conn, &rep);
}

/* The marker of a request seen once: MHD calls the handler again when the headers are in. */
static int seen_marker;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    (void)version;
    (void)upload_data;
    http_server *s = cls;
    if (*req_cls == NULL) {
        *req_cls = &seen_marker;
        return MHD_YES;
    }
    bool is_get = strcmp(method, MHD_HTTP_METHOD_GET) == 0;
    bool is_head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    if (*upload_data_size) {
        *upload_data_size = 0;  /* never read: the answer below refuses it */
        return MHD_YES;
    }
    const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!http_host_allowed(host, s->host, atomic_load(&s->port)))
        return send_error(conn, 403, "the Host header does not name this server");
    if (!is_get && !is_head)
        return send_error(conn, 405, "only GET and HEAD are allowed: this server is read only");
    const char *clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                   MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_TRANSFER_ENCODING);
    if ((clen && strcmp(clen, "0") != 0) || te)
        return send_error(conn, 413, "a request body is not accepted");
    param_list params = {.n = 0};
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_param, &params);
    if (params.too_many) {
        char msg[80];
        snprintf(msg, sizeof(msg), "too many parameters (at most %d)", HTTP_MAX_PARAMS);
        return send_error(conn, 400, msg);
    }
    http_request req = {.path = url, .params = params.v, .nparams = params.n};
    http_reply rep = {.status = 200};
    if (s->handler(s->ctx, &req, &rep) != 0) {
        free(rep.body);
        if (rep.stream_done)
            rep.stream_done(rep.stream_ctx);
        return send_error(conn, 500, "out of memory");
    }
    return send_reply(conn, &rep);
}

/* libmicrohttpd's complaints are not printed: a library never prints. */
static void quiet_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    (void)fmt;
    (void)ap;
}

http_server *http_start(const char *host, unsigned port, http_handler handler, void *ctx,
                        char **err)
{
    *err = NULL;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV}, *ai = NULL;
    if (strcmp(host, "localhost") != 0)
        hints.ai_flags |= AI_NUMERICHOST;
    char portbuf[16];
    snprintf(portbuf, sizeof(portbuf), "%u", port);
    int gai = getaddrinfo(host, portbuf, &hints, &ai);
    if (gai != 0) {
        *err = str_printf("cannot listen on '%s': %s (give a numeric address such as "
                          "127.0.0.1 or ::1)", host, gai_strerror(gai));
        return NULL;
    }
    http_server *s = calloc(1, sizeof(*s));
    if (!s || !(s->host = strdup(host))) {
        free(s);
        freeaddrinfo(ai);
        *err = str_printf("out of memory");
        return NULL;
    }
    s->handler = handler;
    s->ctx = ctx;
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_ERROR_LOG;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->daemon = MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, ai->ai_addr,
        MHD_OPTION_EXTERNAL_LOGGER, quiet_log, NULL,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_MAX_CONNECTIONS,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)HTTP_MAX_PER_IP,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_MAX_REQUEST * 2,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_TIMEOUT_S,
        MHD_OPTION_END);
    int e = errno;
    freeaddrinfo(ai);
    if (!s->daemon) {
        *err = str_printf("cannot listen on %s port %u: %s", host, port,
                          e ? strerror(e) : "the HTTP server did not start");
        free(s->host);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    unsigned bound = info && info->port ? info->port : port;
    atomic_store(&s->port, bound);
    bool v6 = strchr(host, ':') != NULL;
    s->url = str_printf(v6 ? "http://[%s]:%u/" : "http://%s:%u/", host, bound);
    if (!s->url) {
        http_stop(s);
        *err = str_printf("out of memory");
        return NULL;
    }
    return s;
}

unsigned http_port(const http_server *s)
{
    return atomic_load(&s->port);
}

const char *http_url(const http_server *s)
{
    return s->url;
}

void http_stop(http_server *s)
{
    if (!s)
        return;
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    free(s->host);
    free(s->url);
    free(s);
}
