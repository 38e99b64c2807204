/* test_lsp_proto.c - the language server's framing and JSON-RPC messages, table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annals/lsp_proto.h"

/* A stream cut into chunks of `chunk` bytes, and the bodies and errors expected from it. */
typedef struct {
    const char *stream;
    const char *bodies[4];   /* in order; NULL ends */
    int errors;              /* LSP_FRAME_ERRORs expected */
} frame_row;

static const frame_row frame_rows[] = {
    {"Content-Length: 2\r\n\r\n{}", {"{}"}, 0},
    {"Content-Length: 2\r\n\r\n{}Content-Length: 3\r\n\r\n[1]", {"{}", "[1]"}, 0},
    {"content-length:2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}",
     {"{}"}, 0},
    {"Content-Length: 0\r\n\r\n", {""}, 0},
    /* a header block without a length is skipped; the next message still comes */
    {"Content-Type: x\r\n\r\nContent-Length: 2\r\n\r\n{}", {"{}"}, 1},
    {"Content-Length: abc\r\n\r\nContent-Length: 2\r\n\r\n{}", {"{}"}, 1},
    {"Content-Length: -4\r\n\r\n", {NULL}, 1},
    {"Content-Length: 99999999999999999999\r\n\r\n", {NULL}, 1},
    /* a body of UTF-8: the length counts bytes */
    {"Content-Length: 8\r\n\r\n\"\xc3\xa9t\xc3\xa9\"X", {"\"\xc3\xa9t\xc3\xa9\"X"}, 0},
    /* an incomplete body waits */
    {"Content-Length: 10\r\n\r\n{}", {NULL}, 0},
};

/* What run_frames has taken of a row's stream so far. */
typedef struct {
    const frame_row *row;
    size_t got;
    int errors;
} frames_taken;

/* An lsp_frame_fn: each body must be the row's next one. */
static bool take_frame(void *ctx, const char *body, size_t len, const char *why)
{
    frames_taken *t = ctx;
    if (!body) {
        assert_non_null(why);
        t->errors++;
        return true;
    }
    const char *want = t->row->bodies[t->got++];
    assert_non_null(want);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(body, want, len);
    assert_int_equal(body[len], '\0');
    return true;
}

/* The row's stream fed in chunks of chunk bytes through the server's pump. */
static void run_frames(const frame_row *r, size_t chunk)
{
    lsp_framer *f = lsp_framer_new();
    assert_non_null(f);
    size_t n = strlen(r->stream);
    frames_taken t = {r, 0, 0};
    for (size_t off = 0; off < n; off += chunk) {
        size_t k = n - off < chunk ? n - off : chunk;
        assert_int_equal(lsp_framer_pump(f, r->stream + off, k, take_frame, &t), 0);
    }
    assert_null(r->bodies[t.got]);
    assert_int_equal(t.errors, r->errors);
    lsp_framer_free(f);
}

/* Returning false leaves the frames after it in the framer, for the next pump. */
static bool take_one(void *ctx, const char *body, size_t len, const char *why)
{
    (void)body;
    (void)len;
    (void)why;
    (*(int *)ctx)++;
    return false;
}

static void test_pump_stops(void **state)
{
    (void)state;
    lsp_framer *f = lsp_framer_new();
    assert_non_null(f);
    static const char two[] = "Content-Length: 2\r\n\r\n{}Content-Length: 2\r\n\r\n[]";
    int calls = 0;
    assert_int_equal(lsp_framer_pump(f, two, strlen(two), take_one, &calls), 0);
    assert_int_equal(calls, 1);
    char *body;
    size_t len;
    const char *why;
    assert_int_equal(lsp_framer_next(f, &body, &len, &why), LSP_FRAME_MESSAGE);
    assert_string_equal(body, "[]");
    free(body);
    lsp_framer_free(f);
}

static void test_framing(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(frame_rows) / sizeof(frame_rows[0]); i++) {
        run_frames(&frame_rows[i], 1 << 20);   /* all at once */
        run_frames(&frame_rows[i], 1);         /* a byte at a time */
        run_frames(&frame_rows[i], 7);
    }
}

static void test_header_without_end(void **state)
{
    (void)state;
    lsp_framer *f = lsp_framer_new();
    char junk[9000];
    memset(junk, 'x', sizeof(junk));
    assert_int_equal(lsp_framer_feed(f, junk, sizeof(junk)), 0);
    char *body;
    size_t len;
    const char *err;
    assert_int_equal(lsp_framer_next(f, &body, &len, &err), LSP_FRAME_ERROR);
    static const char ok[] = "Content-Length: 2\r\n\r\n{}";
    assert_int_equal(lsp_framer_feed(f, ok, strlen(ok)), 0);
    assert_int_equal(lsp_framer_next(f, &body, &len, &err), LSP_FRAME_MESSAGE);
    assert_string_equal(body, "{}");
    free(body);
    lsp_framer_free(f);
    lsp_framer_free(NULL);
}

typedef struct {
    const char *body;
    int code;                /* 0: valid */
    lsp_msg_kind kind;
    const char *method;
    const char *id;          /* the id as JSON, or NULL */
} msg_row;

static const msg_row msg_rows[] = {
    {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}", 0,
     LSP_MSG_REQUEST, "initialize", "1"},
    {"{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"shutdown\"}", 0, LSP_MSG_REQUEST,
     "shutdown", "\"a\""},
    {"{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}", 0, LSP_MSG_NOTIFICATION, "exit", NULL},
    {"{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":null}", 0, LSP_MSG_RESPONSE, NULL, "3"},
    {"{\"jsonrpc\":\"2.0\",\"id\":4,\"error\":{\"code\":1,\"message\":\"x\"}}", 0,
     LSP_MSG_RESPONSE, NULL, "4"},
    {"{bad", LSP_PARSE_ERROR, 0, NULL, NULL},
    {"", LSP_PARSE_ERROR, 0, NULL, NULL},
    {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"} trailing", LSP_PARSE_ERROR, 0, NULL, NULL},
    {"[1,2]", LSP_INVALID_REQUEST, 0, NULL, NULL},
    {"{\"jsonrpc\":\"1.0\",\"id\":5,\"method\":\"x\"}", LSP_INVALID_REQUEST, 0, NULL, "5"},
    {"{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":7}", LSP_INVALID_REQUEST, 0, NULL, "6"},
    {"{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"x\"}", LSP_INVALID_REQUEST, 0, NULL, NULL},
    {"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"x\",\"params\":3}", LSP_INVALID_REQUEST, 0,
     NULL, "7"},
    {"{\"jsonrpc\":\"2.0\",\"id\":8}", LSP_INVALID_REQUEST, 0, NULL, "8"},
};

static void test_messages(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(msg_rows) / sizeof(msg_rows[0]); i++) {
        const msg_row *r = &msg_rows[i];
        lsp_message m;
        json_t *id = NULL;
        char err[200] = "";
        int code = lsp_message_parse(r->body, strlen(r->body), &m, &id, err, sizeof(err));
        assert_int_equal(code, r->code);
        json_t *got_id = code == 0 ? m.id : id;
        if (r->id) {
            assert_non_null(got_id);
            char *s = json_dumps(got_id, JSON_ENCODE_ANY | JSON_COMPACT);
            assert_string_equal(s, r->id);
            free(s);
        } else {
            assert_null(got_id);
        }
        if (code == 0) {
            assert_int_equal(m.kind, r->kind);
            if (r->method)
                assert_string_equal(m.method, r->method);
            else
                assert_null(m.method);
            lsp_message_clear(&m);
        } else {
            assert_true(strlen(err) > 0);
            json_decref(id);
        }
    }
}

static void test_write(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&buf, &size);
    json_t *id = json_integer(9);
    json_t *msg = lsp_response(id, json_pack("{s:s}", "a", "\xc3\xa9"));
    assert_int_equal(lsp_write(out, msg), 0);
    json_decref(msg);
    msg = lsp_error_response(NULL, LSP_METHOD_NOT_FOUND, "unknown method 'x'");
    assert_int_equal(lsp_write(out, msg), 0);
    json_decref(msg);
    json_decref(id);
    fclose(out);
    static const char want[] =
        "Content-Length: 44\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{\"a\":\"\xc3\xa9\"}}"
        "Content-Length: 82\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32601,"
        "\"message\":\"unknown method 'x'\"}}";
    assert_string_equal(buf, want);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_framing),
        cmocka_unit_test(test_pump_stops),
        cmocka_unit_test(test_header_without_end),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
