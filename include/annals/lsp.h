/* lsp.h - the annals language server: its state, the workspace it checks, and one handler per LSP request. */
#ifndef ANNALS_LSP_H
#define ANNALS_LSP_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>

#include "annals/diag.h"
#include "annals/lsp_proto.h"
#include "annals/lsp_text.h"

/* An open document: the editor's buffer, which replaces the file on disk. */
typedef struct {
    char *uri;
    char *path;          /* the file's path (from the URI) */
    char *text;          /* NUL-terminated, len bytes */
    size_t len;
    long long version;
    unsigned long long gen;   /* the server's count of edits when it last changed */
} lsp_doc;

/*
 * What a check read of a file: an open buffer as it was (its gen), or the
 * file on disk as stat saw it just before. The next check reads the file
 * again only when this differs.
 */
typedef struct {
    bool known;          /* false: no stat, or a stat too close to a write to trust */
    unsigned long long gen;   /* the buffer's; 0 for the file on disk */
    long long dev, ino, size, mtime_ns, ctime_ns;
} lsp_file_sig;

/* A file's text as the server sees it: the open buffer, or the file read from disk. */
typedef struct {
    const char *text;
    size_t len;
    char *owned;         /* set when read from disk: freed by lsp_text_release */
} lsp_file_text;

typedef struct lsp_server {
    FILE *out;           /* protocol messages only */
    FILE *log;           /* --log: a trace, or NULL */
    lsp_encoding enc;
    bool initialized, shutdown;
    bool exit_now;
    int exit_code;
    /* the workspace */
    char *root;          /* absolute directory */
    char **paths;        /* the dataset's paths (absolute) */
    size_t npaths;
    lsp_doc *docs;
    size_t ndocs, docs_cap;
    sqlite3 *db;         /* the dataset as it stands, errors included */
    bool db_has_data;
    diag_list *diags;    /* of the last check, sorted */
    char **files;        /* the dataset's files at the last check */
    size_t nfiles;
    lsp_file_sig *sigs;  /* parallel to files: what the last check read; NULL when
                            that check did not keep its result */
    unsigned long long gen;   /* edits to buffers so far (lsp_doc.gen) */
    char **published;    /* URIs given a non-empty list last time */
    size_t npublished;
    bool dirty;          /* buffers or files changed since the last check */
    long long dirty_at;  /* when (ms, monotonic) */
    int debounce_ms;
    long long next_id;   /* of requests the server sends */
    bool watch_files;    /* the client can register file watchers */
} lsp_server;

/* An error answer to a request: code and message. */
typedef struct {
    int code;
    char message[512];
} lsp_error;

/* Milliseconds on a monotonic clock. */
long long lsp_now_ms(void);

/* Append a line to the --log trace (no-op without one). */
void lsp_log(lsp_server *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Send a message (stolen) to the client; a write failure ends the server. */
void lsp_send(lsp_server *s, json_t *msg);

/* ---- The workspace (lsp_workspace.c) ---- */

/*
 * Set the root and dataset paths from initialize's params: the paths in
 * initializationOptions.paths (relative to the root) when given, else
 * data/ under the root when it is a directory, else the root. -1 with e set.
 */
int lsp_ws_init(lsp_server *s, const json_t *params, lsp_error *e);
void lsp_ws_free(lsp_server *s);

lsp_doc *lsp_ws_doc(lsp_server *s, const char *uri);
/* Open (or replace) a buffer; take over text (malloc'd, len bytes, NUL-terminated). */
int lsp_ws_open(lsp_server *s, const char *uri, char *text, size_t len, long long version);
void lsp_ws_close(lsp_server *s, const char *uri);

/* The text of path: open buffer or disk. ft->text is NULL when it cannot be read. */
void lsp_text_get(lsp_server *s, const char *path, lsp_file_text *ft);
void lsp_text_release(lsp_file_text *ft);

/*
 * Check the dataset as it stands (open buffers over files) into s->db,
 * reading only what changed since the last check, and publish the
 * diagnostics of every file that has any (an empty list for a file whose
 * problems are gone). Returns 0, or -1 after logging a failure.
 */
int lsp_ws_check(lsp_server *s);
/* Check now when something changed (before answering from the database). */
void lsp_ws_settle(lsp_server *s);

/* A Range over the 1-based line/col (characters) and span of path. */
json_t *lsp_ws_range(lsp_server *s, const char *path, int line, int col, int span);
json_t *lsp_ws_location(lsp_server *s, const char *path, int line, int col, int span);

/*
 * Where the quoted or plain id written at line/col of path starts (col moved
 * past an opening quote). Returns col.
 */
int lsp_ws_id_col(lsp_server *s, const char *path, int line, int col);

/* ---- Requests (lsp_complete.c, lsp_nav.c, lsp_actions.c) ---- */

/* Each returns the result (a new reference, json null for none) or NULL with *e set. */
json_t *lsp_completion(lsp_server *s, const json_t *params, lsp_error *e);
json_t *lsp_hover(lsp_server *s, const json_t *params, lsp_error *e);
json_t *lsp_definition(lsp_server *s, const json_t *params, lsp_error *e);
json_t *lsp_references(lsp_server *s, const json_t *params, lsp_error *e);
json_t *lsp_prepare_rename(lsp_server *s, const json_t *params, lsp_error *e);
json_t *lsp_rename(lsp_server *s, const json_t *params, lsp_error *e);
json_t *lsp_document_symbol(lsp_server *s, const json_t *params, lsp_error *e);
json_t *lsp_workspace_symbol(lsp_server *s, const json_t *params, lsp_error *e);
json_t *lsp_code_action(lsp_server *s, const json_t *params, lsp_error *e);

/* The cursor of a textDocument/position request: the buffer, where, and what is there. */
typedef struct {
    lsp_file_text ft;    /* the doc's text, or the file's */
    char *path;
    size_t offset;       /* bytes into ft.text */
    lsp_context ctx;
} lsp_cursor;

/* Fill c from params; -1 with e set when the document is unknown. Close it after use. */
int lsp_cursor_open(lsp_server *s, const json_t *params, lsp_cursor *c, lsp_error *e);
void lsp_cursor_close(lsp_cursor *c);

/* A Range from a to b; and one over the bytes [from, to) of ft in the server's encoding. */
json_t *lsp_range_json(lsp_pos a, lsp_pos b);
json_t *lsp_bytes_range(const lsp_server *s, const lsp_file_text *ft, size_t from, size_t to);

/* Where the database has id of kind ("actor") defined: true, *path (new) and line/col. */
bool lsp_definition_of(lsp_server *s, const char *kind, const char *id, char **path,
                       int *line, int *col);

/*
 * The server's diagnostic, in path, that a client's one (as published: its
 * range and message) stands for: true and *out (valid until the next
 * check), or false when there is none (the client's is out of date).
 */
bool lsp_ws_diag_of(lsp_server *s, const char *path, const json_t *client, diag_view *out);

/* The table, kind noun and key column of a kind of id ("actor" -> actors). */
const char *lsp_kind_table(const char *kind);

/* ---- The server (lsp_server.c) ---- */

/*
 * Serve the protocol on in_fd (reading) and out (writing), tracing to log
 * (may be NULL), until `exit`. Returns the exit code: 0 after shutdown and
 * exit, 1 after exit alone or when the input ends without them.
 */
int lsp_serve(int in_fd, FILE *out, FILE *log);

#endif
