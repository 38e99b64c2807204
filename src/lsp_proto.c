/* lsp_proto.c - Content-Length framing and JSON-RPC 2.0 messages for the language server. */
#include "annals/lsp_proto.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "annals/util.h"

/* A header block longer than this without its empty line is not LSP. */
#define MAX_HEADER 8192

struct lsp_framer {
    strbuf in;         /* bytes held */
    size_t pos;        /* bytes already consumed */
    size_t skip;       /* body bytes still to drop (a message too large) */
};

lsp_framer *lsp_framer_new(void)
{
    return calloc(1, sizeof(lsp_framer));
}

void lsp_framer_free(lsp_framer *f)
{
    if (!f)
        return;
    strbuf_free(&f->in);
    free(f);
}

int lsp_framer_feed(lsp_framer *f, const char *data, size_t n)
{
    if (f->skip) {
        size_t drop = n < f->skip ? n : f->skip;
        f->skip -= drop;
        data += drop;
        n -= drop;
    }
    /* What was consumed goes: all of it, or the front once it is most of the buffer. */
    if (f->pos > 0 && f->pos == f->in.n) {
        strbuf_reset(&f->in);
        f->pos = 0;
    } else if (f->pos > 65536 && f->pos * 2 > f->in.n) {
        memmove(f->in.s, f->in.s + f->pos, f->in.n - f->pos + 1);
        f->in.n -= f->pos;
        f->pos = 0;
    }
    strbuf_addn(&f->in, data, n);
    return f->in.oom ? -1 : 0;
}

/* The end of the header block at p (just past its empty line), or NULL. */
static const char *header_end(const char *p, size_t n)
{
    for (size_t i = 0; i + 3 < n; i++)
        if (p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r' && p[i + 3] == '\n')
            return p + i + 4;
    return NULL;
}

/* Content-Length from a header block; -1 when missing or malformed. */
static long long content_length(const char *p, const char *end)
{
    static const char name[] = "content-length:";
    long long found = -1;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        size_t n = (size_t)(eol - p);
        if (n >= sizeof(name) - 1 && strncasecmp(p, name, sizeof(name) - 1) == 0) {
            const char *v = p + sizeof(name) - 1;
            while (v < eol && (*v == ' ' || *v == '\t'))
                v++;
            long long x = 0;
            const char *d = v;
            while (d < eol && *d >= '0' && *d <= '9' && x <= (long long)LSP_MAX_MESSAGE * 10)
                x = x * 10 + (*d++ - '0');
            while (d < eol && (*d == ' ' || *d == '\t' || *d == '\r'))
                d++;
            if (d == v || d != eol)
                return -1;
            found = x;
        }
        p = eol + 1;
    }
    return found;
}

lsp_frame_status lsp_framer_next(lsp_framer *f, char **body, size_t *len, const char **err)
{
    *body = NULL;
    *len = 0;
    const char *start = strbuf_str(&f->in) + f->pos;
    size_t avail = f->in.n - f->pos;
    if (avail == 0 || f->skip)
        return LSP_FRAME_NONE;
    const char *end = header_end(start, avail);
    if (!end) {
        if (avail <= MAX_HEADER)
            return LSP_FRAME_NONE;
        f->pos = f->in.n;   /* drop it all: this is no header */
        *err = "header without an end (an empty line) in the first 8192 bytes";
        return LSP_FRAME_ERROR;
    }
    long long n = content_length(start, end);
    size_t hlen = (size_t)(end - start);
    if (n < 0) {
        f->pos += hlen;
        *err = "header without a valid Content-Length";
        return LSP_FRAME_ERROR;
    }
    if ((unsigned long long)n > LSP_MAX_MESSAGE) {
        size_t have = avail - hlen;
        if ((unsigned long long)have >= (unsigned long long)n) {
            f->pos += hlen + (size_t)n;
        } else {
            f->skip = (size_t)n - have;
            f->pos = f->in.n;
        }
        *err = "message larger than 300 MiB skipped";
        return LSP_FRAME_ERROR;
    }
    if (avail - hlen < (size_t)n)
        return LSP_FRAME_NONE;
    char *b = malloc((size_t)n + 1);
    if (!b) {
        f->pos += hlen + (size_t)n;
        *err = "out of memory";
        return LSP_FRAME_ERROR;
    }
    memcpy(b, end, (size_t)n);
    b[n] = '\0';
    f->pos += hlen + (size_t)n;
    *body = b;
    *len = (size_t)n;
    return LSP_FRAME_MESSAGE;
}

int lsp_framer_pump(lsp_framer *f, const char *data, size_t n, lsp_frame_fn fn, void *ctx)
{
    if (lsp_framer_feed(f, data, n) != 0)
        return -1;
    for (;;) {
        char *body;
        size_t len;
        const char *why = NULL;
        lsp_frame_status st = lsp_framer_next(f, &body, &len, &why);
        if (st == LSP_FRAME_NONE)
            return 0;
        bool more = fn(ctx, st == LSP_FRAME_MESSAGE ? body : NULL, len, why);
        free(body);
        if (!more)
            return 0;
    }
}

static int invalid(json_t *root, json_t **id, char *err, size_t errlen, const char *why)
{
    json_t *v = json_is_object(root) ? json_object_get(root, "id") : NULL;
    if (v && (json_is_string(v) || json_is_integer(v)))
        *id = json_incref(v);
    snprintf(err, errlen, "%s", why);
    json_decref(root);
    return LSP_INVALID_REQUEST;
}

int lsp_message_parse(const char *body, size_t len, lsp_message *msg, json_t **id,
                      char *err, size_t errlen)
{
    memset(msg, 0, sizeof(*msg));
    *id = NULL;
    json_error_t je;
    json_t *root = json_loadb(body, len, 0, &je);
    if (!root) {
        snprintf(err, errlen, "parse error: %s (line %d, column %d)", je.text, je.line,
                 je.column);
        return LSP_PARSE_ERROR;
    }
    if (!json_is_object(root))
        return invalid(root, id, err, errlen, "a message must be a JSON object");
    json_t *version = json_object_get(root, "jsonrpc");
    if (!json_is_string(version) || strcmp(json_string_value(version), "2.0") != 0)
        return invalid(root, id, err, errlen, "\"jsonrpc\" must be \"2.0\"");
    json_t *mid = json_object_get(root, "id");
    if (mid && !json_is_string(mid) && !json_is_integer(mid) && !json_is_null(mid))
        return invalid(root, id, err, errlen, "\"id\" must be a number or a string");
    json_t *method = json_object_get(root, "method");
    json_t *params = json_object_get(root, "params");
    if (method) {
        if (!json_is_string(method))
            return invalid(root, id, err, errlen, "\"method\" must be a string");
        if (params && !json_is_object(params) && !json_is_array(params))
            return invalid(root, id, err, errlen, "\"params\" must be an object or an array");
        msg->kind = mid ? LSP_MSG_REQUEST : LSP_MSG_NOTIFICATION;
        msg->method = json_string_value(method);
    } else if (mid && (json_object_get(root, "result") || json_object_get(root, "error"))) {
        msg->kind = LSP_MSG_RESPONSE;
    } else {
        return invalid(root, id, err, errlen, "a message needs a \"method\" or a \"result\"");
    }
    msg->root = root;
    msg->id = mid;
    msg->params = params;
    return 0;
}

void lsp_message_clear(lsp_message *msg)
{
    json_decref(msg->root);
    memset(msg, 0, sizeof(*msg));
}

int lsp_write(FILE *out, const json_t *msg)
{
    char *text = json_dumps(msg, JSON_COMPACT);
    if (!text)
        return -1;
    size_t n = strlen(text);
    int rc = fprintf(out, "Content-Length: %zu\r\n\r\n", n) < 0 ||
             fwrite(text, 1, n, out) != n || fflush(out) != 0 ? -1 : 0;
    free(text);
    return rc;
}

json_t *lsp_response(const json_t *id, json_t *result)
{
    return json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id ? id : json_null(),
                     "result", result ? result : json_null());
}

json_t *lsp_error_response(const json_t *id, int code, const char *message)
{
    return json_pack("{s:s, s:O, s:{s:i, s:s}}", "jsonrpc", "2.0", "id",
                     id ? id : json_null(), "error", "code", code, "message", message);
}

json_t *lsp_notification(const char *method, json_t *params)
{
    return json_pack("{s:s, s:s, s:o}", "jsonrpc", "2.0", "method", method, "params",
                     params ? params : json_object());
}
