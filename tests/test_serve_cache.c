/* test_serve_cache.c - `annals serve`'s answers kept per database state: hits, misses, bounds, one computation per question. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "annals/serve.h"

static void pause_us(long us)
{
    struct timespec t = {0, us * 1000};
    nanosleep(&t, NULL);
}

/* take: 1 with the body (checked against want), 0 when the caller must compute. */
static int take(serve_cache *c, unsigned long gen, const char *key, const char *want)
{
    char *body = NULL;
    size_t len = 0;
    int rc = serve_cache_take(c, gen, key, &body, &len);
    if (rc == 1) {
        assert_non_null(want);
        assert_int_equal(len, strlen(want));
        assert_memory_equal(body, want, len);
    }
    free(body);
    return rc;
}

static void put(serve_cache *c, unsigned long gen, const char *key, const char *body)
{
    serve_cache_put(c, gen, key, body, strlen(body));
}

static void test_hit_and_miss(void **state)
{
    (void)state;
    serve_cache *c = serve_cache_new(1 << 20);
    assert_non_null(c);
    assert_int_equal(take(c, 1, "/api/facets", NULL), 0);
    put(c, 1, "/api/facets", "{\"total\": 3}");
    assert_int_equal(take(c, 1, "/api/facets", "{\"total\": 3}"), 1);
    assert_int_equal(take(c, 1, "/api/facets", "{\"total\": 3}"), 1);
    /* Another key, another state: not the same answer. */
    assert_int_equal(take(c, 1, "/api/facets?actor=x", NULL), 0);
    serve_cache_drop(c, 1, "/api/facets?actor=x");
    assert_int_equal(take(c, 2, "/api/facets", NULL), 0);
    put(c, 2, "/api/facets", "{\"total\": 4}");
    assert_int_equal(take(c, 2, "/api/facets", "{\"total\": 4}"), 1);
    /* A dropped answer (an error) is not kept: asked again, computed again. */
    assert_int_equal(take(c, 2, "/api/facets?actor=x", NULL), 0);
    serve_cache_drop(c, 2, "/api/facets?actor=x");
    assert_int_equal(take(c, 2, "/api/facets?actor=x", NULL), 0);
    serve_cache_drop(c, 2, "/api/facets?actor=x");
    /* An empty answer is an answer. */
    assert_int_equal(take(c, 2, "empty", NULL), 0);
    put(c, 2, "empty", "");
    assert_int_equal(take(c, 2, "empty", ""), 1);
    serve_cache_free(c);
    serve_cache_free(NULL);
}

/* The bound in bytes: the least recently used answers go first; one too big is not kept. */
static void test_bounds(void **state)
{
    (void)state;
    serve_cache *c = serve_cache_new(100);
    char key[16];
    for (int i = 0; i < 5; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        assert_int_equal(take(c, 1, key, NULL), 0);
        put(c, 1, key, "0123456789012345678901234");     /* 25 bytes: 4 fit */
        assert_int_equal(take(c, 1, "k1", i >= 1 ? "0123456789012345678901234" : NULL),
                         i >= 1 ? 1 : 0);
        if (i < 1)
            serve_cache_drop(c, 1, "k1");
    }
    /* k1 was used at every step: kept; k0, the oldest, is gone. */
    assert_int_equal(take(c, 1, "k1", "0123456789012345678901234"), 1);
    assert_int_equal(take(c, 1, "k0", NULL), 0);
    serve_cache_drop(c, 1, "k0");
    assert_int_equal(take(c, 1, "k4", "0123456789012345678901234"), 1);
    /* More than half of the bound: answered, not kept. */
    assert_int_equal(take(c, 1, "big", NULL), 0);
    put(c, 1, "big", "0123456789012345678901234567890123456789012345678901234567890");
    assert_int_equal(take(c, 1, "big", NULL), 0);
    serve_cache_drop(c, 1, "big");
    /* The count bound: many small answers, never more than SERVE_CACHE_ENTRIES kept. */
    serve_cache_free(c);
    c = serve_cache_new(1 << 20);
    for (int i = 0; i < SERVE_CACHE_ENTRIES * 2; i++) {
        snprintf(key, sizeof(key), "n%d", i);
        assert_int_equal(take(c, 1, key, NULL), 0);
        put(c, 1, key, "x");
    }
    assert_int_equal(take(c, 1, "n0", NULL), 0);
    serve_cache_drop(c, 1, "n0");
    snprintf(key, sizeof(key), "n%d", SERVE_CACHE_ENTRIES * 2 - 1);
    assert_int_equal(take(c, 1, key, "x"), 1);
    serve_cache_free(c);
}

/* Many threads ask the same question at once: it is computed once, and each gets the answer. */
typedef struct {
    serve_cache *c;
    unsigned long gen;
    int computed;              /* by this thread */
    pthread_mutex_t *mu;
    int *total_computed;
} asker;

static void *ask(void *arg)
{
    asker *a = arg;
    char *body = NULL;
    size_t len = 0;
    int rc = serve_cache_take(a->c, a->gen, "/api/facets", &body, &len);
    if (rc == 0) {
        pause_us(2000);           /* a slow computation: the others wait for it */
        pthread_mutex_lock(a->mu);
        (*a->total_computed)++;
        pthread_mutex_unlock(a->mu);
        a->computed = 1;
        serve_cache_put(a->c, a->gen, "/api/facets", "answer", 6);
    } else {
        assert_int_equal(rc, 1);
        assert_int_equal(len, 6);
        assert_memory_equal(body, "answer", 6);
    }
    free(body);
    return NULL;
}

/* n threads (at most 8) run fn on the same question of state gen at once; how many computed it. */
static int ask_at_once(serve_cache *c, unsigned long gen, int n, void *(*fn)(void *))
{
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    int total = 0;
    asker a[8];
    pthread_t t[8];
    assert_true(n <= 8);
    for (int i = 0; i < n; i++) {
        a[i] = (asker){c, gen, 0, &mu, &total};
        assert_int_equal(pthread_create(&t[i], NULL, fn, &a[i]), 0);
    }
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    return total;
}

static void test_one_computation(void **state)
{
    (void)state;
    enum { THREADS = 8, ROUNDS = 200 };
    serve_cache *c = serve_cache_new(1 << 20);
    for (unsigned long round = 1; round <= ROUNDS; round++)
        assert_int_equal(ask_at_once(c, round, THREADS, ask), 1);
    serve_cache_free(c);
}

/* A computation given up (an error): a waiting asker computes it instead. */
static void *ask_and_fail(void *arg)
{
    asker *a = arg;
    char *body = NULL;
    size_t len = 0;
    int rc = serve_cache_take(a->c, a->gen, "q", &body, &len);
    if (rc == 0) {
        pause_us(1000);
        pthread_mutex_lock(a->mu);
        int first = (*a->total_computed)++ == 0;
        pthread_mutex_unlock(a->mu);
        if (first) {
            serve_cache_drop(a->c, a->gen, "q");
        } else {
            a->computed = 1;
            serve_cache_put(a->c, a->gen, "q", "ok", 2);
        }
    }
    free(body);
    return NULL;
}

static void test_dropped_computation(void **state)
{
    (void)state;
    enum { THREADS = 4, ROUNDS = 100 };
    serve_cache *c = serve_cache_new(1 << 20);
    for (unsigned long round = 1; round <= ROUNDS; round++) {
        int total = ask_at_once(c, round, THREADS, ask_and_fail);
        /* The first computation failed: exactly one more (unless nobody was left to ask). */
        assert_true(total >= 1 && total <= 2);
        if (total == 2)
            assert_int_equal(take(c, round, "q", "ok"), 1);
    }
    serve_cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_and_miss),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_one_computation),
        cmocka_unit_test(test_dropped_computation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
