/* test_lsp_text.c - LSP positions (UTF-16 and UTF-8) <-> bytes, URIs, and the cursor's YAML context. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annals/lsp_text.h"

/* "a é € 😀 b": bytes 0 a, 1 ' ', 2-3 é, 4 ' ', 5-7 €, 8 ' ', 9-12 😀, 13 ' ', 14 b */
static const char line1[] = "a \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 b\nx\r\ny";

typedef struct {
    unsigned line, ch;        /* position */
    lsp_encoding enc;
    size_t offset;            /* its byte offset */
    bool round_trip;          /* lsp_pos_of(offset) gives the position back */
} pos_row;

static const pos_row pos_rows[] = {
    {0, 0, LSP_ENC_UTF16, 0, true},
    {0, 2, LSP_ENC_UTF16, 2, true},
    {0, 3, LSP_ENC_UTF16, 4, true},      /* after é: one unit, two bytes */
    {0, 5, LSP_ENC_UTF16, 8, true},      /* after €: one unit, three bytes */
    {0, 8, LSP_ENC_UTF16, 13, true},     /* after 😀: two units (a surrogate pair) */
    {0, 7, LSP_ENC_UTF16, 9, false},     /* inside the pair: the character's start */
    {0, 10, LSP_ENC_UTF16, 15, true},    /* the line's end */
    {0, 99, LSP_ENC_UTF16, 15, false},   /* past it: the line's end */
    {1, 1, LSP_ENC_UTF16, 17, true},     /* CR LF: the CR is not a character of the line */
    {1, 5, LSP_ENC_UTF16, 17, false},
    {2, 0, LSP_ENC_UTF16, 19, true},
    {2, 1, LSP_ENC_UTF16, 20, true},
    {9, 0, LSP_ENC_UTF16, 20, false},    /* past the last line: the end */
    {0, 4, LSP_ENC_UTF8, 4, true},       /* bytes */
    {0, 3, LSP_ENC_UTF8, 2, false},      /* inside é: its start */
    {0, 13, LSP_ENC_UTF8, 13, true},
    {0, 11, LSP_ENC_UTF8, 9, false},
};

static void test_positions(void **state)
{
    (void)state;
    size_t len = strlen(line1);
    for (size_t i = 0; i < sizeof(pos_rows) / sizeof(pos_rows[0]); i++) {
        const pos_row *r = &pos_rows[i];
        lsp_pos p = {r->line, r->ch};
        size_t off = lsp_offset_of(line1, len, p, r->enc);
        if (off != r->offset)
            fail_msg("row %zu: offset %zu, expected %zu", i, off, r->offset);
        if (r->round_trip) {
            lsp_pos back = lsp_pos_of(line1, len, off, r->enc);
            if (back.line != r->line || back.character != r->ch)
                fail_msg("row %zu: back to %u:%u", i, back.line, back.character);
        }
    }
}

static void test_invalid_bytes(void **state)
{
    (void)state;
    /* an invalid byte counts one unit both ways */
    static const char t[] = "a\xff" "b\xc3";
    lsp_pos p = lsp_pos_of(t, 4, 3, LSP_ENC_UTF16);
    assert_int_equal(p.character, 3);
    assert_int_equal(lsp_offset_of(t, 4, p, LSP_ENC_UTF16), 3);
    p = lsp_pos_of(t, 4, 4, LSP_ENC_UTF16);
    assert_int_equal(p.character, 4);
}

typedef struct {
    int line, col, span;      /* annals: 1-based, characters */
    lsp_encoding enc;
    unsigned start, end;      /* characters of the range */
} col_row;

static const col_row col_rows[] = {
    {1, 1, 1, LSP_ENC_UTF16, 0, 1},
    {1, 7, 1, LSP_ENC_UTF16, 6, 8},      /* 😀 is the 7th character, two units */
    {1, 9, 1, LSP_ENC_UTF16, 9, 10},
    {1, 7, 1, LSP_ENC_UTF8, 9, 13},
    {1, 3, 3, LSP_ENC_UTF8, 2, 8},       /* é € */
    {1, 9, 4, LSP_ENC_UTF16, 9, 13},     /* past the line's end: one unit a column */
    {1, 0, 0, LSP_ENC_UTF16, 0, 0},      /* no column: the line's start */
    {3, 1, 1, LSP_ENC_UTF16, 0, 1},
};

static void test_columns(void **state)
{
    (void)state;
    size_t len = strlen(line1);
    for (size_t i = 0; i < sizeof(col_rows) / sizeof(col_rows[0]); i++) {
        const col_row *r = &col_rows[i];
        lsp_pos a = lsp_pos_of_col(line1, len, r->line, r->col, r->enc);
        lsp_pos b = lsp_pos_after(line1, len, r->line, r->col, r->span, r->enc);
        if (a.line != (unsigned)(r->line - 1) || a.character != r->start ||
            b.character != r->end)
            fail_msg("row %zu: %u:%u-%u, expected %u-%u", i, a.line, a.character, b.character,
                     r->start, r->end);
    }
}

static void test_uris(void **state)
{
    (void)state;
    static const struct {
        const char *uri, *path;
    } rows[] = {
        {"file:///home/a/data/x.yaml", "/home/a/data/x.yaml"},
        {"file:///home/a%20b/%C3%A9t%C3%A9.yaml", "/home/a b/\xc3\xa9t\xc3\xa9.yaml"},
        {"file:///tmp/100%25/a%23b.yaml", "/tmp/100%/a#b.yaml"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char *p = lsp_uri_to_path(rows[i].uri);
        assert_non_null(p);
        assert_string_equal(p, rows[i].path);
        char *u = lsp_path_to_uri(p);
        assert_string_equal(u, rows[i].uri);
        free(p);
        free(u);
    }
    char *p = lsp_uri_to_path("file://localhost/etc/x");
    assert_string_equal(p, "/etc/x");
    free(p);
    assert_null(lsp_uri_to_path("http://example.com/x"));
    assert_null(lsp_uri_to_path("file://server/share/x"));
    assert_null(lsp_uri_to_path("file:///a%00b"));
    assert_null(lsp_uri_to_path("untitled:1"));
}

/* A text with '|' where the cursor is, and what the context there must be. */
typedef struct {
    const char *text;
    const char *section, *key, *outer;
    bool at_key;
    const char *kind;         /* lsp_context_id_kind, or NULL */
    bool definition;
    const char *word;         /* the word at the cursor */
    const char *keys;         /* lsp_context_keys, '|'-joined, or NULL to skip */
} ctx_row;

#define EV "events:\n  - id: e1\n    date: 2019\n"

static const ctx_row ctx_rows[] = {
    {EV "    actors: [isl|]\n", "events", "actors", "", false, "actor", false, "isl", NULL},
    {EV "    actors: [a, b|c]\n", "events", "actors", "", false, "actor", false, "bc", NULL},
    {EV "    actors:\n      - is|\n", "events", "actors", "", false, "actor", false, "is", NULL},
    {EV "    actors:\n    - is|\n", "events", "actors", "", false, "actor", false, "is", NULL},
    {EV "    actors:\n      - {id: isl|, role: x}\n", "events", "id", "actors", false, "actor",
     false, "isl", NULL},
    {EV "    actors:\n      - {id: a, role: per|}\n", "events", "role", "actors", false, NULL,
     false, "per", NULL},
    {EV "    actors:\n      - {id: a, |}\n", "events", "", "actors", true, NULL, false, "",
     "id"},
    {EV "    actors:\n      - id: isl|\n        role: x\n", "events", "id", "actors", false,
     "actor", false, "isl", NULL},
    {EV "    actors:\n      - id: a\n        role: x|\n", "events", "role", "actors", false,
     NULL, false, "x", NULL},
    {EV "    places: [mosul|]\n", "events", "places", "", false, "place", false, "mosul", NULL},
    {EV "    sources:\n      - id: art|\n        quote: q\n", "events", "id", "sources", false,
     "source", false, "art", NULL},
    {EV "    part_of: ev|\n", "events", "part_of", "", false, "event", false, "ev", NULL},
    {"events:\n  - id: fall|-of-mosul\n", "events", "id", "", false, "event", true,
     "fall-of-mosul", NULL},
    {EV "    ti|\n", "events", "", "", true, NULL, false, "ti", "id|date"},
    {EV "    type: attack\n    |\n    title: x\n", "events", "", "", true, NULL, false, "",
     "id|date|type|title"},
    {EV "    date: 2014-2|2\n", "events", "date", "", false, NULL, false, "2014-22", NULL},
    {"actors:\n  - id: a\n    name: A\n    part_of: is|\n", "actors", "part_of", "", false,
     "actor", false, "is", NULL},
    {"actors:\n  - id: a\n    part_of: [x, is|]\n", "actors", "part_of", "", false, "actor",
     false, "is", NULL},
    {"places:\n  - id: m\n    within: ir|\n", "places", "within", "", false, "place", false,
     "ir", NULL},
    {"places:\n- id: m\n  within: ir|\n", "places", "within", "", false, "place", false, "ir",
     NULL},
    {"sources:\n  - id: art|icle\n", "sources", "id", "", false, "source", true, "article",
     NULL},
    {"actors:\n  - id: a # a comment: is|\n", "actors", "", "", false, NULL, false, "is", NULL},
    {"ev|", "", "", "", true, NULL, false, "ev", NULL},
    {"", "", "", "", true, NULL, false, "", NULL},
    {"actors:\n  - id: a\n---\n|", "", "", "", true, NULL, false, "", NULL},
    {"events:\n  - id: [\n    {{: |", "events", "", "", false, NULL, false, "", NULL},
    {EV "    actors: [\"isl|\n", "events", "actors", "", false, "actor", false, "isl", NULL},
};

static void test_context(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(ctx_rows) / sizeof(ctx_rows[0]); i++) {
        const ctx_row *r = &ctx_rows[i];
        const char *bar = strchr(r->text, '|');
        size_t off = bar ? (size_t)(bar - r->text) : 0;
        char text[512];
        snprintf(text, sizeof(text), "%.*s%s", (int)off, r->text, bar ? bar + 1 : "");
        lsp_context c;
        lsp_context_at(text, strlen(text), off, &c);
        bool def;
        const char *kind = lsp_context_id_kind(&c, &def);
        char word[128];
        snprintf(word, sizeof(word), "%.*s", (int)(c.word_end - c.word_start),
                 text + c.word_start);
        if (strcmp(c.section, r->section) || strcmp(c.key, r->key) ||
            strcmp(c.outer, r->outer) || c.at_key != r->at_key ||
            (kind == NULL) != (r->kind == NULL) || (kind && strcmp(kind, r->kind)) ||
            (kind && def != r->definition) || strcmp(word, r->word))
            fail_msg("row %zu (%s): section '%s' key '%s' outer '%s' at_key %d kind %s def %d "
                     "word '%s'", i, r->text, c.section, c.key, c.outer, c.at_key,
                     kind ? kind : "-", def, word);
        if (r->keys) {
            char keys[256], joined[512] = "";
            size_t n = 0;
            lsp_context_keys(text, strlen(text), &c, keys, sizeof(keys));
            for (const char *k = keys; *k && n + strlen(k) + 2 < sizeof(joined);
                 k += strlen(k) + 1) {
                if (n)
                    joined[n++] = '|';
                memcpy(joined + n, k, strlen(k) + 1);
                n += strlen(k);
            }
            if (strcmp(joined, r->keys) != 0)
                fail_msg("row %zu: keys '%s', expected '%s'", i, joined, r->keys);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_invalid_bytes),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_uris),
        cmocka_unit_test(test_context),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
