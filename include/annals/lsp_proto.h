/* lsp_proto.h - the Language Server Protocol's transport: Content-Length framing and JSON-RPC 2.0 messages (jansson). */
#ifndef ANNALS_LSP_PROTO_H
#define ANNALS_LSP_PROTO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* JSON-RPC and LSP error codes. */
enum {
    LSP_PARSE_ERROR = -32700,
    LSP_INVALID_REQUEST = -32600,
    LSP_METHOD_NOT_FOUND = -32601,
    LSP_INVALID_PARAMS = -32602,
    LSP_INTERNAL_ERROR = -32603,
    LSP_SERVER_NOT_INITIALIZED = -32002,
    LSP_REQUEST_FAILED = -32803
};

/* The largest message body taken; a larger one is skipped and reported. */
#define LSP_MAX_MESSAGE (300u << 20)

/*
 * A framer cuts a byte stream into message bodies: headers (`Content-Length:
 * N`, optionally `Content-Type`), an empty line, N bytes. Feed it what was
 * read, then take every complete body out.
 */
typedef struct lsp_framer lsp_framer;

/* A new framer; NULL when out of memory. Free with lsp_framer_free (NULL is a no-op). */
lsp_framer *lsp_framer_new(void);
void lsp_framer_free(lsp_framer *f);

/* Append n bytes read from the stream. -1 when out of memory (nothing appended). */
int lsp_framer_feed(lsp_framer *f, const char *data, size_t n);

typedef enum {
    LSP_FRAME_NONE = 0,   /* no complete message yet: feed more */
    LSP_FRAME_MESSAGE,    /* *body is a new NUL-terminated string of *len bytes (caller frees) */
    LSP_FRAME_ERROR       /* a header block was malformed or a body too large: *err says
                             why (a static string); it was skipped, take the next */
} lsp_frame_status;

lsp_frame_status lsp_framer_next(lsp_framer *f, char **body, size_t *len, const char **err);

/*
 * What lsp_framer_pump hands each frame to: a body (len bytes,
 * NUL-terminated, freed after the call), or with body NULL a framing error
 * (why, as lsp_framer_next gives it). Return false to take no more frames
 * now (the rest stays in the framer).
 */
typedef bool (*lsp_frame_fn)(void *ctx, const char *body, size_t len, const char *why);

/*
 * Feed n bytes read from the stream, then hand every complete frame to fn,
 * in order: the reading loop of the server (and of its fuzz target). -1
 * when out of memory (nothing fed).
 */
int lsp_framer_pump(lsp_framer *f, const char *data, size_t n, lsp_frame_fn fn, void *ctx);

typedef enum {
    LSP_MSG_REQUEST,       /* method and id */
    LSP_MSG_NOTIFICATION,  /* method, no id */
    LSP_MSG_RESPONSE       /* id, result or error (answers to our requests) */
} lsp_msg_kind;

/* One parsed JSON-RPC message. The borrowed fields live as long as root. */
typedef struct {
    lsp_msg_kind kind;
    json_t *root;          /* owned: the whole message */
    json_t *id;            /* borrowed; NULL for a notification */
    const char *method;    /* borrowed; NULL for a response */
    json_t *params;        /* borrowed; NULL when absent */
} lsp_message;

/*
 * Parse a body as one JSON-RPC 2.0 message. Returns 0 and fills *msg (free
 * with lsp_message_clear), or on failure the error code to answer with
 * (LSP_PARSE_ERROR for text that is no JSON, LSP_INVALID_REQUEST for JSON
 * that is no message), with a reason in err (errlen bytes) and *id a new
 * reference to the message's id when one could be read (else NULL; the
 * caller decrefs).
 */
int lsp_message_parse(const char *body, size_t len, lsp_message *msg, json_t **id,
                      char *err, size_t errlen);
void lsp_message_clear(lsp_message *msg);

/*
 * Write msg with its header to out and flush. Returns 0, or -1 when it
 * could not be encoded or written. msg stays the caller's.
 */
int lsp_write(FILE *out, const json_t *msg);

/* New messages (NULL when out of memory). These steal the reference to result / params. */
json_t *lsp_response(const json_t *id, json_t *result);
json_t *lsp_error_response(const json_t *id, int code, const char *message);
json_t *lsp_notification(const char *method, json_t *params);

#endif
