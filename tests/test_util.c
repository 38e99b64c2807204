/* test_util.c - the shared helpers: string buffer, array growth, arena, hash, string map, edit distance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "annals/util.h"

static void test_strbuf(void **state)
{
    (void)state;
    strbuf b = STRBUF_INIT;
    assert_string_equal(strbuf_str(&b), "");
    strbuf_add(&b, "alpha");
    strbuf_addn(&b, ", beta, gamma", 6);
    strbuf_addf(&b, " %d%s", 3, "!");
    assert_string_equal(b.s, "alpha, beta 3!");
    assert_int_equal(b.n, strlen("alpha, beta 3!"));
    /* Past the first block: the text stays whole. */
    for (int i = 0; i < 1000; i++)
        strbuf_add(&b, "0123456789");
    assert_int_equal(b.n, 14 + 10000);
    assert_memory_equal(b.s + 14 + 9990, "0123456789", 11);
    assert_false(b.oom);
    strbuf_reset(&b);
    assert_string_equal(strbuf_str(&b), "");
    strbuf_add(&b, "again");
    char *s = strbuf_detach(&b);
    assert_string_equal(s, "again");
    assert_null(b.s);
    free(s);
    s = strbuf_detach(&b);      /* nothing added: "" */
    assert_string_equal(s, "");
    free(s);
    /* Once memory ran out, adds do nothing, reset keeps the mark, detach says NULL. */
    b.oom = true;
    strbuf_add(&b, "lost");
    assert_null(b.s);
    strbuf_reset(&b);
    assert_true(b.oom);
    assert_null(strbuf_detach(&b));
    strbuf_free(&b);
    strbuf_free(&b);
}

static void test_array_grow(void **state)
{
    (void)state;
    int *v = NULL;
    size_t cap = 0;
    for (size_t n = 0; n < 100; n++) {
        assert_int_equal(array_grow(&v, &cap, n, sizeof(*v), 8), 0);
        v[n] = (int)n;
        assert_true(cap > n);
    }
    assert_int_equal(cap, 128);
    for (size_t n = 0; n < 100; n++)
        assert_int_equal(v[n], (int)n);
    int *same = v;
    assert_int_equal(array_grow(&v, &cap, 50, sizeof(*v), 8), 0);   /* room left: as it was */
    assert_ptr_equal(v, same);
    size_t huge = SIZE_MAX / 2;
    assert_int_equal(array_grow(&v, &huge, huge, 16, 8), -1);        /* too big: -1, v kept */
    assert_ptr_equal(v, same);
    assert_int_equal(huge, SIZE_MAX / 2);
    free(v);
}

static void test_arena(void **state)
{
    (void)state;
    arena a = {0};
    const char *first = arena_dup(&a, "hello world", 5);
    assert_string_equal(first, "hello");
    /* Many copies across blocks: every pointer stays valid until the reset. */
    const char *p[2000];
    char text[32];
    for (int i = 0; i < 2000; i++) {
        snprintf(text, sizeof(text), "string number %d", i);
        p[i] = arena_dup(&a, text, strlen(text));
        assert_non_null(p[i]);
    }
    assert_string_equal(first, "hello");
    for (int i = 0; i < 2000; i++) {
        snprintf(text, sizeof(text), "string number %d", i);
        assert_string_equal(p[i], text);
    }
    arena_reset(&a);
    assert_false(a.oom);
    const char *q = arena_dup(&a, "x", 1);   /* one merged block now */
    assert_string_equal(q, "x");
    arena_free(&a);
    arena_free(&a);
}

static void test_hash(void **state)
{
    (void)state;
    /* Pinned: databases keep file fingerprints made by this hash (the values
       of the loader's fingerprint before it moved here). */
    assert_true(hash_bytes("", 0) == UINT64_C(0xfdbdf6ac4fc52e7f));
    assert_true(hash_bytes("abc", 3) == UINT64_C(0xa26bccee95d9d91f));
    assert_true(hash_bytes("abcdefghijklmnop", 16) == UINT64_C(0xbe351d0a1cd2689a));
    assert_true(hash_bytes("abc", 3) != hash_bytes("abd", 3));
    assert_true(hash_bytes("abc", 3) != hash_bytes("abc", 2));
    assert_true(hash_bytes("", 0) != hash_bytes("\0", 1));
}

static void test_strmap(void **state)
{
    (void)state;
    strmap m = {0};
    static char keys[200][16];
    assert_null(strmap_get(&m, "a", 1));
    /* Small at first, a hash table past STRMAP_SMALL: the same answers. */
    for (size_t i = 0; i < 200; i++) {
        snprintf(keys[i], sizeof(keys[i]), "key-%zu", i);
        assert_int_equal(strmap_put(&m, keys[i], strlen(keys[i]), i), 0);
        for (size_t k = 0; k <= i; k += 7) {
            const size_t *v = strmap_get(&m, keys[k], strlen(keys[k]));
            assert_non_null(v);
            assert_int_equal(*v, k);
        }
    }
    assert_int_equal(m.n, 200);
    assert_int_equal(strmap_put(&m, keys[3], strlen(keys[3]), 333), 0);   /* replaced */
    assert_int_equal(*strmap_get(&m, "key-3", 5), 333);
    assert_int_equal(m.n, 200);
    assert_null(strmap_get(&m, "key-200", 7));
    assert_null(strmap_get(&m, "key-1", 4));        /* a prefix is another key */
    strmap_free(&m);
    assert_null(strmap_get(&m, "key-3", 5));
    strmap_free(&m);
}

static void test_str_index(void **state)
{
    (void)state;
    str_index m = {0};
    char key[32];
    for (size_t i = 0; i < 300; i++) {
        snprintf(key, sizeof(key), "id-%zu", i);
        assert_int_equal(str_index_get(&m, key, true), i);     /* numbered in order */
    }
    assert_int_equal(m.n, 300);
    assert_int_equal(str_index_get(&m, "id-7", false), 7);
    assert_int_equal(str_index_get(&m, "id-7", true), 7);      /* found, not added again */
    assert_int_equal(str_index_get(&m, "id-300", false), SIZE_MAX);
    assert_string_equal(m.keys[299], "id-299");
    str_index_free(&m);
    assert_int_equal(str_index_get(&m, "id-1", false), SIZE_MAX);
}

static void test_edit_distance(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        size_t cap, want;
    } rows[] = {
        {"title", "title", 3, 0}, {"titel", "title", 3, 1}, {"bagdad", "baghdad", 3, 1},
        {"kitten", "sitting", 5, 3}, {"kitten", "sitting", 2, 3}, {"", "abc", 5, 3},
        {"abc", "", 1, 2}, {"ca", "abc", 5, 3},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        assert_int_equal(edit_distance(rows[i].a, rows[i].b, rows[i].cap), rows[i].want);
    /* Longer than the stack rows: the same result from the heap. */
    char x[300], y[300];
    memset(x, 'a', 299);
    memset(y, 'a', 299);
    x[299] = y[299] = '\0';
    y[150] = 'b';
    assert_int_equal(edit_distance(x, y, 4), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strbuf),     cmocka_unit_test(test_array_grow),
        cmocka_unit_test(test_arena),      cmocka_unit_test(test_hash),
        cmocka_unit_test(test_strmap),     cmocka_unit_test(test_str_index),
        cmocka_unit_test(test_edit_distance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
