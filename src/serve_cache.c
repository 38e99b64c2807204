/* serve_cache.c - `annals serve`'s answers kept per database state: bounded, least recently used first out, one computation per question. */
#include <stdlib.h>
#include <string.h>

#include "annals/serve.h"
#include "annals/util.h"

typedef struct {
    char *key;
    unsigned long gen;     /* the database state the answer is of */
    char *body;            /* NULL while pending */
    size_t len;
    bool pending;          /* a request is computing it */
    unsigned long used;    /* the tick of its last use */
} cache_entry;

struct serve_cache {
    pthread_mutex_t mu;
    pthread_cond_t done;   /* a pending entry was filled or dropped */
    cache_entry *v;
    size_t n, cap;
    size_t bytes, max_bytes;
    unsigned long tick;
};

serve_cache *serve_cache_new(size_t max_bytes)
{
    serve_cache *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    if (pthread_mutex_init(&c->mu, NULL) != 0) {
        free(c);
        return NULL;
    }
    if (pthread_cond_init(&c->done, NULL) != 0) {
        pthread_mutex_destroy(&c->mu);
        free(c);
        return NULL;
    }
    c->max_bytes = max_bytes;
    return c;
}

void serve_cache_free(serve_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].key);
        free(c->v[i].body);
    }
    free(c->v);
    pthread_cond_destroy(&c->done);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static size_t find(const serve_cache *c, unsigned long gen, const char *key)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].gen == gen && strcmp(c->v[i].key, key) == 0)
            return i;
    return SIZE_MAX;
}

/* Remove entry i (not a pending one: its computer still refers to it by key). */
static void remove_at(serve_cache *c, size_t i)
{
    c->bytes -= c->v[i].len;
    free(c->v[i].key);
    free(c->v[i].body);
    c->v[i] = c->v[--c->n];
}

/*
 * Make room for len more bytes: first every answer of an older state than
 * gen, then the least recently used. Pending entries stay.
 */
static void evict(serve_cache *c, unsigned long gen, size_t len)
{
    for (size_t i = c->n; i-- > 0;)
        if (!c->v[i].pending && c->v[i].gen < gen)
            remove_at(c, i);
    while (c->bytes + len > c->max_bytes || c->n >= SERVE_CACHE_ENTRIES) {
        size_t oldest = SIZE_MAX;
        for (size_t i = 0; i < c->n; i++)
            if (!c->v[i].pending && (oldest == SIZE_MAX || c->v[i].used < c->v[oldest].used))
                oldest = i;
        if (oldest == SIZE_MAX)
            return;
        remove_at(c, oldest);
    }
}

int serve_cache_take(serve_cache *c, unsigned long gen, const char *key, char **body,
                     size_t *len)
{
    *body = NULL;
    *len = 0;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        size_t i = find(c, gen, key);
        if (i == SIZE_MAX)
            break;
        cache_entry *e = &c->v[i];
        if (e->pending) {
            pthread_cond_wait(&c->done, &c->mu);
            continue;       /* filled, or dropped: look again */
        }
        e->used = ++c->tick;
        char *copy = malloc(e->len ? e->len : 1);
        if (copy)
            memcpy(copy, e->body, e->len);
        *len = e->len;
        pthread_mutex_unlock(&c->mu);
        if (!copy)
            return -1;
        *body = copy;
        return 1;
    }
    /* Absent: the caller computes it; a pending entry makes the others wait. */
    evict(c, gen, 0);
    char *k = strdup(key);
    if (!k || array_grow(&c->v, &c->cap, c->n, sizeof(*c->v), 16) != 0) {
        pthread_mutex_unlock(&c->mu);
        free(k);
        return -1;
    }
    c->v[c->n++] = (cache_entry){.key = k, .gen = gen, .pending = true, .used = ++c->tick};
    pthread_mutex_unlock(&c->mu);
    return 0;
}

/* Settle the pending entry of (gen, key): keep body (a copy) when given and it fits, else remove it. */
static void settle(serve_cache *c, unsigned long gen, const char *key, const char *body,
                   size_t len)
{
    pthread_mutex_lock(&c->mu);
    size_t i = find(c, gen, key);
    if (i != SIZE_MAX && c->v[i].pending) {
        char *copy = body && len <= c->max_bytes / 2 ? malloc(len ? len : 1) : NULL;
        if (copy) {
            memcpy(copy, body, len);
            evict(c, gen, len);             /* the entry, still pending, stays */
            cache_entry *e = &c->v[find(c, gen, key)];
            e->pending = false;
            e->body = copy;
            e->len = len;
            e->used = ++c->tick;
            c->bytes += len;
        } else {
            c->v[i].pending = false;
            remove_at(c, i);
        }
    }
    pthread_cond_broadcast(&c->done);
    pthread_mutex_unlock(&c->mu);
}

void serve_cache_put(serve_cache *c, unsigned long gen, const char *key, const char *body,
                     size_t len)
{
    settle(c, gen, key, body, len);
}

void serve_cache_drop(serve_cache *c, unsigned long gen, const char *key)
{
    settle(c, gen, key, NULL, 0);
}
