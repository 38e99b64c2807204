/* test_yamlread.c - the YAML reader: records, positions, aliases, limits and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "annals/diag.h"
#include "annals/yamlread.h"

/* ---- helpers: run the reader, collect what it delivers ---- */

/*
 * Each delivered item, with its value dumped as text: a plain scalar as
 * `text@L:C-E` (E = end_col), a quoted one as `"text"@L:C-E`, a list as
 * `[...]@L:C`, a mapping as `{key@L:C: value, ...}@L:C`.
 */
typedef struct {
    char section[32];
    bool in_seq;
    size_t index;
    char dump[1024];
} got_item;

typedef struct {
    got_item v[16];
    size_t n;
    size_t stop_after;      /* the callback returns 7 after this many (0: never) */
} collector;

typedef struct {
    collector c;
    diag_list *dl;
    char *json;             /* the diagnostics, as diag_print_json prints them */
    int rc;
} result;

static void dump_node(char *buf, size_t size, const ynode *n)
{
    size_t len = strlen(buf);
    char *p = buf + len;
    size_t left = size - len;
    if (n->kind == YNODE_SCALAR) {
        snprintf(p, left, n->plain ? "%s@%d:%d-%d" : "\"%s\"@%d:%d-%d", n->text, n->line,
                 n->col, n->end_col);
        return;
    }
    snprintf(p, left, "%s", n->kind == YNODE_SEQ ? "[" : "{");
    for (size_t i = 0; i < n->n; i++) {
        if (i)
            strncat(buf, ", ", size - strlen(buf) - 1);
        if (n->kind == YNODE_MAP) {
            len = strlen(buf);
            snprintf(buf + len, size - len, "%s@%d:%d: ", n->keys[i]->text,
                     n->keys[i]->line, n->keys[i]->col);
        }
        dump_node(buf, size, n->items[i]);
    }
    len = strlen(buf);
    snprintf(buf + len, size - len, "%s@%d:%d", n->kind == YNODE_SEQ ? "]" : "}", n->line,
             n->col);
}

static int collect(void *ctx, const yread_item *it)
{
    collector *c = ctx;
    assert_non_null(it->file);
    assert_true(c->n < sizeof(c->v) / sizeof(c->v[0]));
    got_item *g = &c->v[c->n++];
    snprintf(g->section, sizeof(g->section), "%s", it->section->text);
    g->in_seq = it->in_sequence;
    g->index = it->index;
    g->dump[0] = '\0';
    dump_node(g->dump, sizeof(g->dump), it->value);
    return c->stop_after && c->n == c->stop_after ? 7 : 0;
}

static void finish(result *res)
{
    size_t size = 0;
    FILE *out = open_memstream(&res->json, &size);
    assert_non_null(out);
    diag_print_json(res->dl, out);
    fclose(out);
}

static void run_n(result *res, const char *yaml, size_t len)
{
    memset(res, 0, sizeof(*res));
    res->dl = diag_list_new();
    assert_non_null(res->dl);
    res->rc = yread_buffer("t.yaml", yaml, len, res->dl, collect, &res->c);
    finish(res);
}

static void run(result *res, const char *yaml)
{
    run_n(res, yaml, strlen(yaml));
}

static void run_file(result *res, const char *path)
{
    memset(res, 0, sizeof(*res));
    res->dl = diag_list_new();
    assert_non_null(res->dl);
    res->rc = yread_file(path, res->dl, collect, &res->c);
    finish(res);
}

static void result_free(result *res)
{
    diag_list_free(res->dl);
    free(res->json);
}

static size_t nerrors(const result *res)
{
    return diag_count(res->dl, DIAG_ERROR);
}

/* The JSON holds an error at line:col with exactly this (JSON-escaped) message. */
static void assert_diag(const result *res, int line, int col, const char *msg)
{
    char want[512];
    snprintf(want, sizeof(want),
             "\"line\":%d,\"column\":%d,\"severity\":\"error\",\"message\":\"%s\"", line, col,
             msg);
    if (!strstr(res->json, want))
        fail_msg("expected %s\nin %s", want, res->json);
}

static void assert_contains(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle))
        fail_msg("expected %s\nin %s", needle, haystack);
}

static void assert_item(const result *res, size_t i, const char *section, bool in_seq,
                        size_t index, const char *dump)
{
    if (i >= res->c.n)
        fail_msg("item %zu not delivered (only %zu)", i, res->c.n);
    const got_item *g = &res->c.v[i];
    assert_string_equal(g->section, section);
    assert_int_equal(g->in_seq, in_seq);
    assert_int_equal(g->index, index);
    assert_string_equal(g->dump, dump);
}

/* ---- records, positions, scalars ---- */

static void test_records_in_order(void **state)
{
    (void)state;
    result res;
    run(&res, "actors:\n"
              "  - id: a1\n"
              "  - id: a2\n"
              "events:\n"
              "  - id: e1\n"
              "places: []\n"
              "sources:\n"
              "  - id: s1\n");
    assert_int_equal(res.rc, 0);
    assert_int_equal(nerrors(&res), 0);
    assert_int_equal(res.c.n, 4);
    assert_item(&res, 0, "actors", true, 0, "{id@2:5: a1@2:9-11}@2:5");
    assert_item(&res, 1, "actors", true, 1, "{id@3:5: a2@3:9-11}@3:5");
    assert_item(&res, 2, "events", true, 0, "{id@5:5: e1@5:9-11}@5:5");
    assert_item(&res, 3, "sources", true, 0, "{id@8:5: s1@8:9-11}@8:5");
    result_free(&res);
}

static void test_nested_positions(void **state)
{
    (void)state;
    result res;
    run(&res, "events:\n"
              "  - id: e1\n"
              "    actors:\n"
              "      - {id: isis, role: claimed}\n"
              "      - usa\n"
              "    figures:\n"
              "      - name: killed\n"
              "        value: 12\n");
    assert_int_equal(nerrors(&res), 0);
    assert_int_equal(res.c.n, 1);
    assert_item(&res, 0, "events", true, 0,
                "{id@2:5: e1@2:9-11, "
                "actors@3:5: [{id@4:10: isis@4:14-18, role@4:20: claimed@4:26-33}@4:9, "
                "usa@5:9-12]@4:7, "
                "figures@6:5: [{name@7:9: killed@7:15-21, value@8:9: 12@8:16-18}@7:9]@7:7"
                "}@2:5");
    result_free(&res);
}

static void test_scalars_as_written(void **state)
{
    (void)state;
    result res;
    run(&res, "events:\n"
              "  - year: 2019\n"
              "    month: 2021-01\n"
              "    dq: \"2019\"\n"
              "    sq: 'it''s'\n"
              "    empty:\n"
              "    block: |\n"
              "      two\n"
              "      lines\n"
              "    uni: \"\xC3\xA9t\xC3\xA9\"\n"
              "  - {a: \xC3\xA9\xC3\xA9\xC3\xA9, b: c}\n");
    assert_int_equal(nerrors(&res), 0);
    assert_int_equal(res.c.n, 2);
    /* Columns count characters: "été" is 3 characters wide, not 5 bytes. */
    assert_item(&res, 0, "events", true, 0,
                "{year@2:5: 2019@2:11-15, month@3:5: 2021-01@3:12-19, "
                "dq@4:5: \"2019\"@4:9-15, sq@5:5: \"it's\"@5:9-16, empty@6:5: @6:11-11, "
                "block@7:5: \"two\nlines\n\"@7:12-0, uni@10:5: \"\xC3\xA9t\xC3\xA9\"@10:10-15}@2:5");
    assert_item(&res, 1, "events", true, 1,
                "{a@11:6: \xC3\xA9\xC3\xA9\xC3\xA9@11:9-12, b@11:14: c@11:17-18}@11:5");
    result_free(&res);
}

static int check_nulls(void *ctx, const yread_item *it)
{
    static const struct {
        const char *key;
        bool is_null;
    } rows[] = {
        {"a", true}, {"b", true}, {"c", true}, {"d", true}, {"e", true},
        {"f", false}, {"g", false}, {"h", false}, {"i", false}, {"j", false},
    };
    (void)ctx;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const ynode *v = ynode_get(it->value, rows[i].key);
        assert_non_null(v);
        if (ynode_is_null(v) != rows[i].is_null)
            fail_msg("ynode_is_null of key %s", rows[i].key);
    }
    assert_null(ynode_get(it->value, "zz"));
    assert_null(ynode_get(it->value, ""));
    assert_null(ynode_get(NULL, "a"));
    assert_null(ynode_get(ynode_get(it->value, "f"), "a"));    /* not a mapping */
    assert_false(ynode_is_null(NULL));
    assert_false(ynode_is_null(ynode_get(it->value, "j")));     /* a list */
    return 0;
}

static void test_null_and_get(void **state)
{
    (void)state;
    const char *yaml = "events:\n"
                       "  - {a: , b: ~, c: null, d: Null, e: NULL, f: \"\", g: nil,"
                       " h: 'null', i: 0, j: []}\n";
    diag_list *dl = diag_list_new();
    assert_int_equal(yread_buffer("t.yaml", yaml, strlen(yaml), dl, check_nulls, NULL), 0);
    assert_int_equal(diag_count(dl, DIAG_ERROR), 0);
    diag_list_free(dl);
}

static void test_multiple_documents(void **state)
{
    (void)state;
    result res;
    run(&res, "events:\n"
              "  - id: e1\n"
              "---\n"
              "events:\n"
              "  - id: e2\n"
              "...\n"
              "---\n"
              "actors:\n"
              "  - id: a1\n");
    assert_int_equal(res.rc, 0);
    assert_int_equal(nerrors(&res), 0);     /* `events` in two documents is fine */
    assert_int_equal(res.c.n, 3);
    assert_item(&res, 0, "events", true, 0, "{id@2:5: e1@2:9-11}@2:5");
    assert_item(&res, 1, "events", true, 0, "{id@5:5: e2@5:9-11}@5:5");
    assert_item(&res, 2, "actors", true, 0, "{id@9:5: a1@9:9-11}@9:5");
    result_free(&res);
}

static void test_empty_inputs(void **state)
{
    (void)state;
    static const char *const inputs[] = {
        "", "\n", "# only a comment\n", "---\n", "---\n...\n", "--- ~\n", "---\n---\n",
        "--- null\n", "events: []\n",
    };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        result res;
        run(&res, inputs[i]);
        if (res.rc != 0 || res.c.n != 0 || nerrors(&res) != 0)
            fail_msg("input %zu: rc %d, %zu items, %s", i, res.rc, res.c.n, res.json);
        result_free(&res);
    }
    result res;
    run_n(&res, NULL, 0);
    assert_int_equal(res.rc, 0);
    assert_int_equal(nerrors(&res), 0);
    result_free(&res);
}

static void test_crlf_and_bom(void **state)
{
    (void)state;
    result res;
    run(&res, "\xEF\xBB\xBF" "events:\r\n  - id: a\r\n    title: \"x\r\n      y\"\r\n");
    assert_int_equal(nerrors(&res), 0);
    assert_item(&res, 0, "events", true, 0,
                "{id@2:5: a@2:9-10, title@3:5: \"x y\"@3:12-0}@2:5");
    result_free(&res);
}

/* ---- structure errors ---- */

static void test_root_not_mapping(void **state)
{
    (void)state;
    result res;
    run(&res, "- a\n"
              "- b\n"
              "---\n"
              "events:\n"
              "  - id: x\n"
              "--- hello\n"
              "--- \"\"\n");
    assert_int_equal(res.rc, 0);
    assert_int_equal(nerrors(&res), 3);
    assert_diag(&res, 1, 1,
                "a document must be a mapping with keys actors, places, sources, events");
    assert_diag(&res, 6, 5,
                "a document must be a mapping with keys actors, places, sources, events");
    assert_diag(&res, 7, 5,
                "a document must be a mapping with keys actors, places, sources, events");
    assert_int_equal(res.c.n, 1);           /* the good document is still read */
    assert_item(&res, 0, "events", true, 0, "{id@5:5: x@5:9-10}@5:5");
    result_free(&res);
}

static void test_section_not_sequence(void **state)
{
    (void)state;
    result res;
    run(&res, "title: hello\n"
              "events:\n"
              "places: {a: 1}\n");
    assert_int_equal(nerrors(&res), 0);     /* top-level keys are the caller's to check */
    assert_int_equal(res.c.n, 3);
    assert_item(&res, 0, "title", false, 0, "hello@1:8-13");
    assert_item(&res, 1, "events", false, 0, "@2:8-8");
    assert_item(&res, 2, "places", false, 0, "{a@3:10: 1@3:13-14}@3:9");
    result_free(&res);
}

static void test_duplicate_keys(void **state)
{
    (void)state;
    result res;
    run(&res, "events:\n"
              "  - id: e1\n"
              "    title: one\n"
              "    title: two\n"
              "  - {id: e2, id: e3}\n"
              "actors: []\n"
              "events:\n"
              "  - id: dropped\n");
    assert_int_equal(res.rc, 0);
    assert_int_equal(nerrors(&res), 3);
    assert_contains(res.json, "\"line\":4,\"column\":5,\"severity\":\"error\","
                              "\"message\":\"duplicate key 'title'\","
                              "\"hint\":\"give each key once per mapping: delete one of the two or "
                              "merge their values\","
                              "\"notes\":[{\"file\":\"t.yaml\",\"line\":3,\"column\":5,"
                              "\"message\":\"first given here\"}]");
    assert_contains(res.json, "\"line\":5,\"column\":14,\"severity\":\"error\","
                              "\"message\":\"duplicate key 'id'\","
                              "\"hint\":\"give each key once per mapping: delete one of the two or "
                              "merge their values\","
                              "\"notes\":[{\"file\":\"t.yaml\",\"line\":5,\"column\":6,");
    assert_contains(res.json, "\"line\":7,\"column\":1,\"severity\":\"error\","
                              "\"message\":\"duplicate key 'events'\","
                              "\"hint\":\"give each key once per mapping: delete one of the two or "
                              "merge their values\","
                              "\"notes\":[{\"file\":\"t.yaml\",\"line\":1,\"column\":1,");
    /* The later value is dropped; so is the repeated section. */
    assert_int_equal(res.c.n, 2);
    assert_item(&res, 0, "events", true, 0, "{id@2:5: e1@2:9-11, title@3:5: one@3:12-15}@2:5");
    assert_item(&res, 1, "events", true, 1, "{id@5:6: e2@5:10-12}@5:5");
    result_free(&res);
}

static void test_non_scalar_keys(void **state)
{
    (void)state;
    result res;
    run(&res, "events:\n"
              "  - ? [a, b]\n"
              "    : x\n"
              "    id: y\n"
              "  - {{k: v}: w, id: z}\n"
              "? [top]\n"
              ": 1\n");
    assert_int_equal(nerrors(&res), 3);
    assert_diag(&res, 2, 7, "a key must be a string, not a list");
    assert_diag(&res, 5, 6, "a key must be a string, not a mapping");
    assert_diag(&res, 6, 3, "a key must be a string, not a list");
    assert_int_equal(res.c.n, 2);
    assert_item(&res, 0, "events", true, 0, "{id@4:5: y@4:9-10}@2:5");
    assert_item(&res, 1, "events", true, 1, "{id@5:17: z@5:21-22}@5:5");
    result_free(&res);
}

/* ---- anchors, aliases, merge keys ---- */

static void test_aliases(void **state)
{
    (void)state;
    result res;
    run(&res, "events:\n"
              "  - id: e1\n"
              "    date: &d 2019\n"
              "    actors: &who [a, b]\n"
              "  - id: e2\n"
              "    date: *d\n"
              "    actors: *who\n"
              "  - &rec {id: e3}\n"
              "  - *rec\n");
    assert_int_equal(nerrors(&res), 0);
    assert_int_equal(res.c.n, 4);
    assert_item(&res, 0, "events", true, 0,
                "{id@2:5: e1@2:9-11, date@3:5: 2019@3:11-18, "
                "actors@4:5: [a@4:19-20, b@4:22-23]@4:13}@2:5");
    /* A copy stands where its alias is; its children keep their own positions. */
    assert_item(&res, 1, "events", true, 1,
                "{id@5:5: e2@5:9-11, date@6:5: 2019@6:11-13, "
                "actors@7:5: [a@4:19-20, b@4:22-23]@7:13}@5:5");
    assert_item(&res, 2, "events", true, 2, "{id@8:11: e3@8:15-17}@8:5");
    assert_item(&res, 3, "events", true, 3, "{id@8:11: e3@8:15-17}@9:5");
    result_free(&res);
}

static void test_alias_errors(void **state)
{
    (void)state;
    result res;
    run(&res, "actors: &all\n"
              "  - id: a\n"
              "events:\n"
              "  - {id: e1, date: *nope}\n"
              "  - &r {id: e2, self: *r}\n"
              "  - {id: e3, who: *all}\n"
              "  - &e {id: e4, in: *e}\n"
              "places: *all\n"
              "---\n"
              "events:\n"
              "  - {id: e5, again: *r}\n");
    assert_int_equal(res.rc, 0);
    assert_int_equal(nerrors(&res), 6);
    assert_diag(&res, 4, 20, "unknown alias '*nope'");
    assert_diag(&res, 5, 23, "alias '*r' is used inside the node it refers to");
    assert_diag(&res, 6, 19,
                "alias '*all' refers to a whole top-level section, which cannot be repeated");
    assert_diag(&res, 7, 21, "alias '*e' is used inside the node it refers to");
    assert_diag(&res, 8, 9,
                "alias '*all' refers to a whole top-level section, which cannot be repeated");
    /* Anchors belong to their document. */
    assert_diag(&res, 11, 21, "unknown alias '*r'");
    /* The bad values are dropped, the records kept. */
    assert_int_equal(res.c.n, 6);
    assert_item(&res, 1, "events", true, 0, "{id@4:6: e1@4:10-12}@4:5");
    assert_item(&res, 5, "events", true, 0, "{id@11:6: e5@11:10-12}@11:5");
    result_free(&res);
}

static void test_merge_keys(void **state)
{
    (void)state;
    result res;
    run(&res, "events:\n"
              "  - &base {id: base, type: attack, tags: [t1]}\n"
              "  - <<: *base\n"
              "    id: e2\n"
              "  - id: e3\n"
              "    <<: [*base, {type: meeting, summary: s}]\n"
              "    type: explicit\n"
              "  - <<: 5\n"
              "    id: e4\n"
              "  - {<<: [*base, 3], id: e5}\n"
              "  - {<<: *base, <<: *base, id: e6}\n"
              "  - {\"<<\": quoted}\n");
    assert_int_equal(nerrors(&res), 3);
    assert_diag(&res, 8, 9,
                "the value of a merge key '<<' must be a mapping or a list of mappings");
    assert_diag(&res, 10, 18, "a merge key '<<' takes mappings; this item is not one");
    assert_contains(res.json, "\"line\":11,\"column\":17,\"severity\":\"error\","
                              "\"message\":\"duplicate key '<<'\","
                              "\"hint\":\"merge several mappings with one key: <<: [*first, *second]\","
                              "\"notes\":[{\"file\":\"t.yaml\",\"line\":11,\"column\":6,");
    assert_int_equal(res.c.n, 7);
    /* Explicit keys win wherever they are written; merged keys follow them. */
    assert_item(&res, 1, "events", true, 1,
                "{id@4:5: e2@4:9-11, type@2:22: attack@2:28-34, "
                "tags@2:36: [t1@2:43-45]@2:42}@3:5");
    /* Of several sources, the earlier wins. */
    assert_item(&res, 2, "events", true, 2,
                "{id@5:5: e3@5:9-11, type@7:5: explicit@7:11-19, "
                "tags@2:36: [t1@2:43-45]@2:42, summary@6:33: s@6:42-43}@5:5");
    assert_item(&res, 3, "events", true, 3, "{id@9:5: e4@9:9-11}@8:5");
    assert_item(&res, 4, "events", true, 4,
                "{id@10:22: e5@10:26-28, type@2:22: attack@2:28-34, "
                "tags@2:36: [t1@2:43-45]@2:42}@10:5");
    /* A quoted "<<" is an ordinary key. */
    assert_item(&res, 6, "events", true, 6, "{<<@12:6: quoted@12:12-18}@12:5");
    result_free(&res);
}

static void test_merge_key_at_top_level(void **state)
{
    (void)state;
    result res;
    run(&res, "<<: {events: []}\nevents: []\n");
    assert_int_equal(nerrors(&res), 1);
    assert_diag(&res, 1, 1, "a merge key '<<' cannot be used at the top level of a document");
    assert_int_equal(res.c.n, 0);
    result_free(&res);
}

static void test_billion_laughs(void **state)
{
    (void)state;
    result res;
    run_file(&res, "data/yaml/billion.yaml");
    assert_int_equal(res.rc, 0);
    assert_int_equal(nerrors(&res), 1);
    /* Levels b, c, d copy 12330 nodes; each *d copies 11111: the 8th alias of e passes 100000. */
    assert_diag(&res, 8, 40,
                "alias expansion exceeds 100000 nodes (possible billion-laughs attack)");
    assert_int_equal(res.c.n, 0);           /* reading stopped: no record, not even the next */
    /* Where it stopped is the bound on the work (no clock: a busy machine would flake). */
    result_free(&res);
}

static void test_billion_laughs_top_level(void **state)
{
    (void)state;
    result res;
    run_file(&res, "data/yaml/billion_top.yaml");
    assert_int_equal(res.rc, 0);
    /* Each level is a streamed section: every alias (9 levels x 10) is an error. */
    assert_int_equal(nerrors(&res), 90);
    assert_diag(&res, 3, 8,
                "alias '*a' refers to a whole top-level section, which cannot be repeated");
    assert_int_equal(res.c.n, 10);          /* the ten "lol" of section a */
    result_free(&res);
}

/* ---- limits ---- */

static char *nested(const char *prefix, size_t levels, const char *inner)
{
    size_t n = strlen(prefix) + 2 * levels + strlen(inner) + 2;
    char *s = malloc(n), *p = s;
    assert_non_null(s);
    p += sprintf(p, "%s", prefix);
    for (size_t i = 0; i < levels; i++)
        *p++ = '[';
    p += sprintf(p, "%s", inner);
    for (size_t i = 0; i < levels; i++)
        *p++ = ']';
    strcpy(p, "\n");
    return s;
}

static void test_depth_limit(void **state)
{
    (void)state;
    /* root 1, events 2, the record 3: the k-th '[' is at depth 3 + k, column 7 + k */
    char *ok = nested("events:\n  - x: ", 61, "y");
    result res;
    run(&res, ok);
    assert_int_equal(nerrors(&res), 0);
    assert_int_equal(res.c.n, 1);
    result_free(&res);
    free(ok);

    char *deep = nested("events:\n  - x: ", 100000, "y");
    run(&res, deep);
    assert_int_equal(res.rc, 0);
    assert_int_equal(nerrors(&res), 1);
    assert_diag(&res, 2, 69, "nesting deeper than 64 levels");
    assert_int_equal(res.c.n, 0);
    result_free(&res);
    free(deep);

    /* An alias cannot smuggle depth in: a copy 4 levels high placed at depth
       61 reaches 64, at depth 62 it would reach 65. */
    char *alias = nested("events:\n  - a: &d [[[[x]]]]\n  - b: ", 57, "*d");
    run(&res, alias);
    assert_int_equal(nerrors(&res), 0);
    assert_int_equal(res.c.n, 2);
    result_free(&res);
    free(alias);
    alias = nested("events:\n  - a: &d [[[[x]]]]\n  - b: ", 58, "*d");
    run(&res, alias);
    assert_int_equal(nerrors(&res), 1);
    assert_diag(&res, 3, 66, "nesting deeper than 64 levels");
    assert_int_equal(res.c.n, 1);
    result_free(&res);
    free(alias);
}

static void test_long_scalar(void **state)
{
    (void)state;
    size_t big = YREAD_MAX_SCALAR + 1;
    const char *head = "events:\n  - title: ", *tail = "\n    id: x\n";
    char *yaml = malloc(strlen(head) + big + strlen(tail) + 1);
    assert_non_null(yaml);
    strcpy(yaml, head);
    memset(yaml + strlen(head), 'x', big);
    strcpy(yaml + strlen(head) + big, tail);
    result res;
    run(&res, yaml);
    assert_int_equal(nerrors(&res), 1);
    assert_diag(&res, 2, 12, "string is longer than 1 MiB");
    assert_item(&res, 0, "events", true, 0, "{title@2:5: \"\"@2:12-0, id@3:5: x@3:9-10}@2:5");
    result_free(&res);
    free(yaml);
}

static void test_nul_escape(void **state)
{
    (void)state;
    result res;
    run(&res, "events:\n  - title: \"a\\0b\"\n");
    assert_int_equal(nerrors(&res), 1);
    assert_diag(&res, 2, 12, "string contains a NUL character");
    /* The NUL is kept out of the text (as U+FFFD). */
    assert_item(&res, 0, "events", true, 0, "{title@2:5: \"a\xEF\xBF\xBD" "b\"@2:12-18}@2:5");
    result_free(&res);
}

/* ---- syntax and encoding errors ---- */

static void test_invalid_utf8(void **state)
{
    (void)state;
    static const struct {
        const char *yaml;
        int line, col;
        const char *message;
    } rows[] = {
        {"events:\n  - id: a\n    title: x\xFF\n", 3, 13,
         "invalid UTF-8: invalid leading UTF-8 octet"},
        /* columns count characters: the é before is one */
        {"events:\n  - id: a\n    title: \xC3\xA9x\xFF\n", 3, 14,
         "invalid UTF-8: invalid leading UTF-8 octet"},
        /* a broken two-byte character is pointed at its first byte */
        {"a: 1\r\nb: \xC3" "A\n", 2, 4, "invalid UTF-8: invalid trailing UTF-8 octet"},
        {"a: \xE2\x82", 1, 4, "invalid UTF-8: incomplete UTF-8 octet sequence"},
        {"\xEF\xBB\xBF" "a: \xFF\n", 1, 4, "invalid UTF-8: invalid leading UTF-8 octet"},
        {"a: b\n\x01\n", 2, 1, "invalid character U+0001: control characters are not allowed"},
        {"\xFF\xFE" "a\0:\0", 1, 1, "invalid UTF-8: the file is encoded as UTF-16"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        result res;
        size_t len = strlen(rows[i].yaml);
        run_n(&res, rows[i].yaml, i == 6 ? 6 : len);
        assert_int_equal(res.rc, 0);
        if (nerrors(&res) != 1)
            fail_msg("row %zu: %s", i, res.json);
        assert_diag(&res, rows[i].line, rows[i].col, rows[i].message);
        result_free(&res);
    }
}

static void test_syntax_errors(void **state)
{
    (void)state;
    result res;

    /* bad indentation: the records complete before the error were delivered */
    run(&res, "events:\n"
              "  - id: a\n"
              "  - id: b\n"
              "   x: 1\n");
    assert_int_equal(res.rc, 0);
    assert_int_equal(nerrors(&res), 1);
    assert_contains(res.json, "\"line\":4,\"column\":4,\"severity\":\"error\",\"message\":"
                              "\"yaml syntax error: did not find expected '-' indicator "
                              "(while parsing a block collection that started at line 2)\"");
    assert_contains(res.json, "\"notes\":[{\"file\":\"t.yaml\",\"line\":2,\"column\":3,"
                              "\"message\":\"a block collection started here\"}]");
    assert_int_equal(res.c.n, 2);
    assert_item(&res, 0, "events", true, 0, "{id@2:5: a@2:9-10}@2:5");
    assert_item(&res, 1, "events", true, 1, "{id@3:5: b@3:9-10}@3:5");
    result_free(&res);

    /* unclosed quote */
    run(&res, "events:\n  - title: \"abc\n");
    assert_int_equal(nerrors(&res), 1);
    assert_diag(&res, 3, 1, "yaml syntax error: found unexpected end of stream "
                            "(while scanning a quoted scalar that started at line 2)");
    assert_contains(res.json, "\"notes\":[{\"file\":\"t.yaml\",\"line\":2,\"column\":12,"
                              "\"message\":\"a quoted scalar started here\"}]");
    result_free(&res);

    /* tab indentation, as libyaml words it after a plain scalar ... */
    run(&res, "events:\n  - id: a\n\ttitle: b\n");
    assert_int_equal(nerrors(&res), 1);
    assert_contains(res.json, "\"line\":3,\"column\":1,\"severity\":\"error\",\"message\":"
                              "\"yaml syntax error: found a tab character that violates "
                              "indentation (while scanning a plain scalar that started at "
                              "line 2)\",\"hint\":"
                              "\"indent with spaces: YAML does not allow tabs for indentation\"");
    result_free(&res);

    /* ... and elsewhere (the hint comes from looking at the character) */
    run(&res, "events:\n  - id: a\n    tags:\n  \t  - x\n");
    assert_int_equal(nerrors(&res), 1);
    assert_contains(res.json, "\"line\":4,\"column\":3,\"severity\":\"error\",\"message\":"
                              "\"yaml syntax error: found character that cannot start any "
                              "token (while scanning for the next token)\",\"hint\":"
                              "\"indent with spaces: YAML does not allow tabs for indentation\"");
    result_free(&res);

    /* a value where a key belongs; no context */
    run(&res, "events: a: b\n");
    assert_int_equal(nerrors(&res), 1);
    assert_diag(&res, 1, 10,
                "yaml syntax error: mapping values are not allowed in this context");
    result_free(&res);

    /* after a syntax error in a flow list reading resumes at the next
       top-level key, here in the next document */
    run(&res, "events: [a\n---\nevents: [b]\n");
    assert_int_equal(nerrors(&res), 1);
    assert_contains(res.json, "{\"file\":\"t.yaml\",\"line\":3,\"column\":1,\"message\":"
                              "\"reading resumes here, at the next top-level key\"}");
    assert_int_equal(res.c.n, 2);
    assert_item(&res, 0, "events", true, 0, "a@1:10-11");
    assert_item(&res, 1, "events", true, 0, "b@3:10-11");
    result_free(&res);
}

/* ---- resuming after a syntax error ---- */

typedef struct {
    collector c;
    char gaps[512];         /* each gap as `section L-L: id id;` */
} gap_collector;

static int collect_g(void *ctx, const yread_item *it)
{
    return collect(&((gap_collector *)ctx)->c, it);
}

static void collect_gap(void *ctx, const yread_gap *gap)
{
    gap_collector *g = ctx;
    size_t len = strlen(g->gaps);
    snprintf(g->gaps + len, sizeof(g->gaps) - len, "%s %d-%d:",
             gap->section ? gap->section : "?", gap->first_line, gap->last_line);
    for (size_t i = 0; i < gap->nids; i++) {
        len = strlen(g->gaps);
        snprintf(g->gaps + len, sizeof(g->gaps) - len, " %s", gap->ids[i]);
    }
    len = strlen(g->gaps);
    snprintf(g->gaps + len, sizeof(g->gaps) - len, ";");
}

static void test_resync(void **state)
{
    (void)state;
    static const char yaml[] = "sources:\n"
                               "  - id: s1\n"
                               "    title: The Twelve Caesars: Divus Julius\n"
                               "  - id: s2\n"
                               "    title: B\n"
                               "events:\n"
                               "  - id: e1\n"
                               "    title: x: y\n"
                               "places:\n"
                               "  - id: p1\n";
    gap_collector g = {0};
    result res = {0};
    res.dl = diag_list_new();
    assert_non_null(res.dl);
    res.rc = yread_buffer_gaps("t.yaml", yaml, strlen(yaml), res.dl, collect_g, collect_gap,
                               &g);
    finish(&res);
    assert_int_equal(res.rc, 0);
    assert_int_equal(nerrors(&res), 2);
    assert_contains(res.json, "\"line\":3,\"column\":30,\"severity\":\"error\",\"message\":"
                              "\"yaml syntax error: mapping values are not allowed in this "
                              "context\",\"hint\":\"put the value in quotes: \\\"The Twelve "
                              "Caesars: Divus Julius\\\"");
    /* the records after each error are read (s2 in the same list, p1 after
       the next top-level key); each lost record is a gap with its id */
    assert_int_equal(g.c.n, 2);
    assert_string_equal(g.c.v[0].section, "sources");
    assert_string_equal(g.c.v[0].dump, "{id@4:5: s2@4:9-11, title@5:5: B@5:12-13}@4:5");
    assert_string_equal(g.c.v[1].section, "places");
    assert_string_equal(g.c.v[1].dump, "{id@10:5: p1@10:9-11}@10:5");
    assert_string_equal(g.gaps, "sources 2-3: s1;events 7-8: e1;");
    result_free(&res);
}

/* ---- the callback and files ---- */

static void test_callback_stops(void **state)
{
    (void)state;
    const char *yaml = "events:\n  - id: a\n  - id: b\n  - id: c\n---\nevents: [d]\n";
    result res;
    memset(&res, 0, sizeof(res));
    res.dl = diag_list_new();
    res.c.stop_after = 2;
    res.rc = yread_buffer("t.yaml", yaml, strlen(yaml), res.dl, collect, &res.c);
    assert_int_equal(res.rc, 7);
    assert_int_equal(res.c.n, 2);
    assert_int_equal(diag_count(res.dl, DIAG_ERROR), 0);
    diag_list_free(res.dl);

    /* a NULL callback just checks the file */
    diag_list *dl = diag_list_new();
    assert_int_equal(yread_buffer("t.yaml", yaml, strlen(yaml), dl, NULL, NULL), 0);
    assert_int_equal(diag_count(dl, DIAG_ERROR), 0);
    diag_list_free(dl);
}

static void test_read_file(void **state)
{
    (void)state;
    result res;
    run_file(&res, "data/yaml/records.yaml");
    assert_int_equal(res.rc, 0);
    assert_int_equal(nerrors(&res), 0);
    assert_int_equal(res.c.n, 2);
    assert_item(&res, 0, "events", true, 0,
                "{id@3:5: first@3:9-14, date@4:5: 2021-01@4:11-18}@3:5");
    assert_item(&res, 1, "events", true, 1, "{id@5:5: second@5:9-15, date@6:5: 2019@6:11-15}@5:5");
    result_free(&res);
}

static void test_file_errors(void **state)
{
    (void)state;
    result res;
    run_file(&res, "data/yaml/no-such-file.yaml");
    assert_int_equal(res.rc, -1);
    assert_int_equal(nerrors(&res), 1);
    assert_contains(res.json, "{\"file\":\"data/yaml/no-such-file.yaml\",\"line\":0,"
                              "\"column\":0,\"severity\":\"error\",\"message\":"
                              "\"cannot read file: No such file or directory\"");
    result_free(&res);

    run_file(&res, "data/yaml");
    assert_int_equal(res.rc, -1);
    assert_diag(&res, 0, 0, "cannot read file: Is a directory");
    result_free(&res);
}

static void test_file_too_large(void **state)
{
    (void)state;
    /* A sparse file: the size is checked before anything is read. */
    char path[] = "/tmp/annals-yamlread-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)YREAD_MAX_FILE + 1), 0);
    close(fd);
    result res;
    run_file(&res, path);
    unlink(path);
    assert_int_equal(res.rc, 0);
    assert_int_equal(nerrors(&res), 1);
    assert_diag(&res, 0, 0, "file is larger than 256 MiB");
    assert_int_equal(res.c.n, 0);
    result_free(&res);

    /* the same limit on a buffer (its bytes are never touched) */
    run_n(&res, "", (size_t)YREAD_MAX_FILE + 1);
    assert_diag(&res, 0, 0, "file is larger than 256 MiB");
    result_free(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_in_order),
        cmocka_unit_test(test_nested_positions),
        cmocka_unit_test(test_scalars_as_written),
        cmocka_unit_test(test_null_and_get),
        cmocka_unit_test(test_multiple_documents),
        cmocka_unit_test(test_empty_inputs),
        cmocka_unit_test(test_crlf_and_bom),
        cmocka_unit_test(test_root_not_mapping),
        cmocka_unit_test(test_section_not_sequence),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_non_scalar_keys),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_alias_errors),
        cmocka_unit_test(test_merge_keys),
        cmocka_unit_test(test_merge_key_at_top_level),
        cmocka_unit_test(test_billion_laughs),
        cmocka_unit_test(test_billion_laughs_top_level),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_long_scalar),
        cmocka_unit_test(test_nul_escape),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_resync),
        cmocka_unit_test(test_callback_stops),
        cmocka_unit_test(test_read_file),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_file_too_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
