/* lsp_server.c - the language server's loop: read messages, keep the lifecycle, dispatch requests, debounce checks. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "annals/lsp.h"
#include "annals/util.h"

/*
 * Quiet time after an edit before the dataset is checked again: long enough
 * to take a burst of changes (a paste, a macro) as one; keystrokes typed
 * while a check runs are taken together after it anyway.
 */
#define DEBOUNCE_MS 40

long long lsp_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void lsp_log(lsp_server *s, const char *fmt, ...)
{
    if (!s->log)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    fprintf(s->log, "%02d:%02d:%02d.%03ld ", tm.tm_hour, tm.tm_min, tm.tm_sec,
            ts.tv_nsec / 1000000);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(s->log, fmt, ap);
    va_end(ap);
    fputc('\n', s->log);
    fflush(s->log);
}

void lsp_send(lsp_server *s, json_t *msg)
{
    if (!msg) {
        lsp_log(s, "out of memory: a message was not sent");
        return;
    }
    if (s->log) {
        char *text = json_dumps(msg, JSON_COMPACT);
        if (text && strlen(text) > 2000)
            strcpy(text + 1990, "...");
        lsp_log(s, "<- %s", text ? text : "?");
        free(text);
    }
    if (lsp_write(s->out, msg) != 0 && !s->exit_now) {
        lsp_log(s, "cannot write to the client: %s", strerror(errno));
        s->exit_now = true;
        s->exit_code = 1;
    }
    json_decref(msg);
}

static void reply_error(lsp_server *s, const json_t *id, int code, const char *message)
{
    lsp_log(s, "error %d: %s", code, message);
    lsp_send(s, lsp_error_response(id, code, message));
}

/* ---- Lifecycle ----------------------------------------------------------------- */

static bool lists(const json_t *array, const char *value)
{
    size_t i;
    json_t *v;
    json_array_foreach(array, i, v)
        if (json_is_string(v) && strcmp(json_string_value(v), value) == 0)
            return true;
    return false;
}

static json_t *initialize(lsp_server *s, const json_t *params, lsp_error *e)
{
    const json_t *caps = json_object_get(params, "capabilities");
    const json_t *encs = json_object_get(json_object_get(caps, "general"), "positionEncodings");
    s->enc = lists(encs, "utf-8") ? LSP_ENC_UTF8 : LSP_ENC_UTF16;
    s->watch_files = json_is_true(json_object_get(
        json_object_get(json_object_get(caps, "workspace"), "didChangeWatchedFiles"),
        "dynamicRegistration"));
    if (lsp_ws_init(s, params, e) != 0)
        return NULL;
    s->initialized = true;
    return json_pack(
        "{s:{s:s, s:{s:b, s:i, s:{s:b}}, s:{s:[s,s,s,s], s:b}, s:b, s:b, s:b, s:{s:b}, s:b,"
        " s:b, s:{s:[s]}}, s:{s:s, s:s}}",
        "capabilities", "positionEncoding", s->enc == LSP_ENC_UTF8 ? "utf-8" : "utf-16",
        "textDocumentSync", "openClose", 1, "change", 2, "save", "includeText", 0,
        "completionProvider", "triggerCharacters", "[", ",", " ", ":", "resolveProvider", 0,
        "hoverProvider", 1, "definitionProvider", 1, "referencesProvider", 1,
        "renameProvider", "prepareProvider", 1, "documentSymbolProvider", 1,
        "workspaceSymbolProvider", 1, "codeActionProvider", "codeActionKinds", "quickfix",
        "serverInfo", "name", "annals", "version", ANNALS_VERSION);
}

/* Ask the client to tell us about YAML files changed on disk (git checkout, another editor). */
static void register_watchers(lsp_server *s)
{
    if (!s->watch_files)
        return;
    json_t *req = json_pack(
        "{s:s, s:I, s:s, s:{s:[{s:s, s:s, s:{s:[{s:s}, {s:s}]}}]}}", "jsonrpc", "2.0", "id",
        (json_int_t)++s->next_id, "method", "client/registerCapability", "params",
        "registrations", "id", "annals-watch", "method", "workspace/didChangeWatchedFiles",
        "registerOptions", "watchers", "globPattern", "**/*.yaml", "globPattern", "**/*.yml");
    lsp_send(s, req);
}

static const char *str_or_empty(const json_t *v)
{
    return json_is_string(v) ? json_string_value(v) : "";
}

/* ---- Buffers ------------------------------------------------------------------ */

static void mark_dirty(lsp_server *s, int delay_ms)
{
    s->dirty_at = lsp_now_ms() + delay_ms - s->debounce_ms;
    s->dirty = true;
}

static void did_open(lsp_server *s, const json_t *params)
{
    const json_t *td = json_object_get(params, "textDocument");
    const char *uri = json_string_value(json_object_get(td, "uri"));
    const char *text = json_string_value(json_object_get(td, "text"));
    if (!uri || !text)
        return;
    size_t len = json_string_length(json_object_get(td, "text"));
    char *copy = malloc(len + 1);
    if (!copy)
        return;
    memcpy(copy, text, len + 1);
    lsp_ws_open(s, uri, copy, len, json_integer_value(json_object_get(td, "version")));
    mark_dirty(s, 0);
}

/* Apply one change (a range and its new text, or the whole text) to d. */
static int apply_change(lsp_server *s, lsp_doc *d, const json_t *change)
{
    const json_t *jt = json_object_get(change, "text");
    if (!json_is_string(jt))
        return -1;
    const char *text = json_string_value(jt);
    size_t n = json_string_length(jt);
    const json_t *range = json_object_get(change, "range");
    size_t a = 0, b = d->len;
    if (range) {
        const json_t *st = json_object_get(range, "start"), *en = json_object_get(range, "end");
        lsp_pos ps = {(unsigned)json_integer_value(json_object_get(st, "line")),
                      (unsigned)json_integer_value(json_object_get(st, "character"))};
        lsp_pos pe = {(unsigned)json_integer_value(json_object_get(en, "line")),
                      (unsigned)json_integer_value(json_object_get(en, "character"))};
        a = lsp_offset_of(d->text, d->len, ps, s->enc);
        b = lsp_offset_of(d->text, d->len, pe, s->enc);
        if (b < a)
            b = a;
    }
    char *t = malloc(d->len - (b - a) + n + 1);
    if (!t)
        return -1;
    memcpy(t, d->text, a);
    memcpy(t + a, text, n);
    memcpy(t + a + n, d->text + b, d->len - b);
    d->len = d->len - (b - a) + n;
    t[d->len] = '\0';
    free(d->text);
    d->text = t;
    return 0;
}

static void did_change(lsp_server *s, const json_t *params)
{
    const json_t *td = json_object_get(params, "textDocument");
    lsp_doc *d = lsp_ws_doc(s, str_or_empty(json_object_get(td, "uri")));
    if (!d)
        return;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(params, "contentChanges"), i, c)
        if (apply_change(s, d, c) != 0)
            lsp_log(s, "a change could not be applied to %s", d->uri);
    d->gen = ++s->gen;
    d->version = json_integer_value(json_object_get(td, "version"));
    mark_dirty(s, s->debounce_ms);
}

/* ---- Dispatch ------------------------------------------------------------------ */

typedef json_t *(*handler)(lsp_server *s, const json_t *params, lsp_error *e);

/*
 * settle: check the edits made since the last check before answering, as
 * the answer holds positions in the files (a rename's edits must fall on
 * the text as it is now). Completion and hover read the cursor's context
 * from the buffer itself and need only the ids and names, which an edit
 * being typed rarely changes: they answer at once, not after a check.
 */
static const struct {
    const char *method;
    handler fn;
    bool settle;
} requests[] = {
    {"textDocument/completion", lsp_completion, false},
    {"textDocument/hover", lsp_hover, false},
    {"textDocument/definition", lsp_definition, true},
    {"textDocument/references", lsp_references, true},
    {"textDocument/prepareRename", lsp_prepare_rename, true},
    {"textDocument/rename", lsp_rename, true},
    {"textDocument/documentSymbol", lsp_document_symbol, true},
    {"workspace/symbol", lsp_workspace_symbol, true},
    {"textDocument/codeAction", lsp_code_action, true},
};

static void on_request(lsp_server *s, const lsp_message *m)
{
    const char *method = m->method;
    if (strcmp(method, "initialize") == 0) {
        if (s->initialized)
            return reply_error(s, m->id, LSP_INVALID_REQUEST, "the server is initialized already");
        lsp_error e = {0};
        json_t *r = initialize(s, m->params, &e);
        if (r)
            lsp_send(s, lsp_response(m->id, r));
        else
            reply_error(s, m->id, e.code, e.message);
        return;
    }
    if (!s->initialized)
        return reply_error(s, m->id, LSP_SERVER_NOT_INITIALIZED,
                           "the server is not initialized: send 'initialize' first");
    if (strcmp(method, "shutdown") == 0) {
        s->shutdown = true;
        lsp_send(s, lsp_response(m->id, json_null()));
        return;
    }
    if (s->shutdown)
        return reply_error(s, m->id, LSP_INVALID_REQUEST, "the server is shutting down");
    for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
        if (strcmp(requests[i].method, method) != 0)
            continue;
        if (requests[i].settle || !s->db_has_data)
            lsp_ws_settle(s);
        long long t0 = lsp_now_ms();
        lsp_error e = {0};
        json_t *r = requests[i].fn(s, m->params, &e);
        lsp_log(s, "%s answered in %lld ms", method, lsp_now_ms() - t0);
        if (r)
            lsp_send(s, lsp_response(m->id, r));
        else
            reply_error(s, m->id, e.code ? e.code : LSP_INTERNAL_ERROR,
                        e.message[0] ? e.message : "out of memory");
        return;
    }
    char msg[300];
    snprintf(msg, sizeof(msg), "unknown method '%.200s'", method);
    reply_error(s, m->id, LSP_METHOD_NOT_FOUND, msg);
}

static void on_notification(lsp_server *s, const lsp_message *m)
{
    const char *method = m->method;
    if (strcmp(method, "exit") == 0) {
        s->exit_now = true;
        s->exit_code = s->shutdown ? 0 : 1;
        return;
    }
    if (!s->initialized || s->shutdown)
        return;   /* dropped, as the protocol asks */
    if (strcmp(method, "initialized") == 0) {
        register_watchers(s);
        mark_dirty(s, 0);
    } else if (strcmp(method, "textDocument/didOpen") == 0) {
        did_open(s, m->params);
    } else if (strcmp(method, "textDocument/didChange") == 0) {
        did_change(s, m->params);
    } else if (strcmp(method, "textDocument/didClose") == 0) {
        lsp_ws_close(s, str_or_empty(json_object_get(
                            json_object_get(m->params, "textDocument"), "uri")));
        mark_dirty(s, 0);
    } else if (strcmp(method, "textDocument/didSave") == 0 ||
               strcmp(method, "workspace/didChangeWatchedFiles") == 0) {
        mark_dirty(s, 0);
    }
}

static void on_body(lsp_server *s, const char *body, size_t len)
{
    lsp_message m;
    json_t *id = NULL;
    char err[300];
    int code = lsp_message_parse(body, len, &m, &id, err, sizeof(err));
    if (code != 0) {
        reply_error(s, id, code, err);
        json_decref(id);
        return;
    }
    if (s->log) {
        lsp_log(s, "-> %.*s", len > 2000 ? 2000 : (int)len, body);
    }
    if (m.kind == LSP_MSG_REQUEST)
        on_request(s, &m);
    else if (m.kind == LSP_MSG_NOTIFICATION)
        on_notification(s, &m);
    lsp_message_clear(&m);
}

/* An lsp_frame_fn: a message, or -32700 for a framing error; no more after `exit`. */
static bool on_frame(void *ctx, const char *body, size_t len, const char *why)
{
    lsp_server *s = ctx;
    if (body)
        on_body(s, body, len);
    else
        reply_error(s, NULL, LSP_PARSE_ERROR, why);
    return !s->exit_now;
}

int lsp_serve(int in_fd, FILE *out, FILE *log)
{
    lsp_server s = {.out = out, .log = log, .debounce_ms = DEBOUNCE_MS, .exit_code = 1};
    const char *env = getenv("ANNALS_LSP_DEBOUNCE_MS");
    if (env && *env)
        s.debounce_ms = atoi(env);
    lsp_framer *f = lsp_framer_new();
    char *buf = malloc(65536);
    if (!f || !buf) {
        lsp_framer_free(f);
        free(buf);
        return 1;
    }
    lsp_log(&s, "annals %s language server started", ANNALS_VERSION);
    bool eof = false;
    while (!s.exit_now && !eof) {
        int timeout = -1;
        if (s.dirty) {
            long long wait = s.dirty_at + s.debounce_ms - lsp_now_ms();
            timeout = wait > 0 ? (int)wait : 0;
        }
        struct pollfd pfd = {in_fd, POLLIN, 0};
        int pr = poll(&pfd, 1, timeout);
        if (pr < 0 && errno != EINTR)
            break;
        if (pr == 0) {
            lsp_ws_check(&s);
            continue;
        }
        if (pr < 0)
            continue;
        ssize_t n = read(in_fd, buf, 65536);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            eof = true;
            break;
        }
        if (lsp_framer_pump(f, buf, (size_t)n, on_frame, &s) != 0) {
            lsp_log(&s, "out of memory");
            break;
        }
    }
    if (eof)
        lsp_log(&s, "the input ended without 'exit'");
    int code = s.exit_now ? s.exit_code : 1;
    lsp_log(&s, "exit %d", code);
    lsp_framer_free(f);
    free(buf);
    lsp_ws_free(&s);
    return code;
}
