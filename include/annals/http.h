/* http.h - a small local HTTP server on libmicrohttpd: GET and HEAD only, Host check, limits, strict headers. */
#ifndef ANNALS_HTTP_H
#define ANNALS_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Limits on what a client may send or hold. */
#define HTTP_MAX_CONNECTIONS 64     /* open connections at once (each has a thread) */
#define HTTP_MAX_PER_IP 32          /* of which from one address */
#define HTTP_MAX_REQUEST 16384      /* bytes of request line and headers */
#define HTTP_MAX_PARAMS 64          /* query parameters in one request */
#define HTTP_TIMEOUT_S 60           /* an idle connection is closed after this */

/* One query parameter, decoded; value is "" for "?key". */
typedef struct {
    const char *key;
    const char *value;
} http_param;

/* A request the handler answers. Valid for the duration of the call. */
typedef struct {
    const char *path;       /* decoded path, e.g. "/api/events" */
    const http_param *params;
    size_t nparams;
} http_request;

/*
 * A streamed body (Server-Sent Events): called again and again on the
 * connection's own thread; it may block (briefly: it is also how the
 * stream notices the server stopping). Writes at most max bytes to buf and
 * returns how many (0: nothing yet, call again), or -1 to end the stream.
 * done is called once when the connection ends, with the same ctx.
 */
typedef ssize_t (*http_stream_fn)(void *ctx, char *buf, size_t max);

/* What the handler answers. http.c adds the security headers to every answer. */
typedef struct {
    unsigned status;          /* 200, 400, 404, ... */
    const char *type;         /* Content-Type */
    char *body;               /* malloc'ed; http.c frees it */
    size_t len;
    const char *cache;        /* Cache-Control value; NULL: no-store */
    http_stream_fn stream;    /* instead of body: a stream */
    void *stream_ctx;
    void (*stream_done)(void *ctx);
} http_reply;

/*
 * The handler: fill rep from req. Returns 0, or -1 when out of memory
 * (http.c then answers 500). It runs on the connection's thread: several
 * run at once.
 */
typedef int (*http_handler)(void *ctx, const http_request *req, http_reply *rep);

typedef struct http_server http_server;

/*
 * Listen on host (a numeric IPv4 or IPv6 address, or "localhost") and
 * port (0: a free port), answering every GET and HEAD with handler; other
 * methods get 405, a request whose Host header names another server (DNS
 * rebinding) 403, one with too many parameters or a body 400 or 413.
 * Returns a new server (stop it with http_stop), or NULL with *err a new
 * message (the caller frees it).
 */
http_server *http_start(const char *host, unsigned port, http_handler handler, void *ctx,
                        char **err);

/* The port the server listens on (the one picked when 0 was asked). */
unsigned http_port(const http_server *s);

/* The URL the server answers at, e.g. "http://127.0.0.1:8470/"; owned by s. */
const char *http_url(const http_server *s);

/*
 * Whether a Host header value may reach a server bound to host:port: an IP
 * literal or "localhost" (a name that DNS rebinding cannot forge) or host
 * itself, with the port served (absent means 80).
 */
bool http_host_allowed(const char *header, const char *host, unsigned port);

/* Stop listening, wait for the requests under way, free s. NULL is a no-op. */
void http_stop(http_server *s);

/* Build a JSON error reply {"error": msg} with status. Returns 0, or -1 when out of memory. */
int http_reply_error(http_reply *rep, unsigned status, const char *msg);

#endif
