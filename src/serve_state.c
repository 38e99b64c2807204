/* serve_state.c - what `annals serve`'s requests and watcher share: the read connections, the load's outcome, the update stream. */
/* gettid() and a thread's own nice value (setpriority on its id) are Linux's. */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "annals/db.h"
#include "annals/serve.h"
#include "annals/util.h"

/* An idle update stream sends a comment this often, so proxies and browsers keep it. */
#define KEEPALIVE_S 15
/* SQLite asks whether to go on every this many steps of a statement (a few microseconds). */
#define HALT_CHECK_STEPS 1000

int serve_state_init(serve_state *st, const char *dbpath, const char *editor, bool watching)
{
    memset(st, 0, sizeof(*st));
    st->dbpath = dbpath;
    st->editor = editor;
    st->watching = watching;
    atomic_init(&st->halt, false);
    atomic_init(&st->retiring, false);
    if (pthread_mutex_init(&st->mu, NULL) != 0)
        return -1;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(&st->changed, &ca);
    pthread_condattr_destroy(&ca);
    if (rc != 0)
        goto no_changed;
    if (pthread_cond_init(&st->freed, NULL) != 0)
        goto no_freed;
    if (pthread_cond_init(&st->snapshot_read, NULL) != 0)
        goto no_snapshot_read;
    st->bounds.kind = &serve_bounds_kind;
    st->lanes.kind = &serve_lanes_kind;
    st->links.kind = &serve_links_kind;
    if (!(st->cache = serve_cache_new(SERVE_CACHE_BYTES)))
        goto no_cache;
    return 0;
no_cache:
    pthread_cond_destroy(&st->snapshot_read);
no_snapshot_read:
    pthread_cond_destroy(&st->freed);
no_freed:
    pthread_cond_destroy(&st->changed);
no_changed:
    pthread_mutex_destroy(&st->mu);
    return -1;
}

void serve_state_free(serve_state *st)
{
    serve_state_stop(st);
    serve_cache_free(st->cache);
    serve_snapshot_clear(st, &st->bounds);
    serve_snapshot_clear(st, &st->lanes);
    serve_snapshot_clear(st, &st->links);
    pthread_cond_destroy(&st->snapshot_read);
    for (int i = 0; i < SERVE_POOL; i++) {
        db_close(st->pool[i]);
        db_close(st->pool_next[i]);
    }
    free(st->diagnostics);
    pthread_cond_destroy(&st->freed);
    pthread_cond_destroy(&st->changed);
    pthread_mutex_destroy(&st->mu);
}

void serve_state_reloaded(serve_state *st, char *diagnostics, size_t errors, size_t warnings)
{
    pthread_mutex_lock(&st->mu);
    free(st->diagnostics);
    st->diagnostics = diagnostics;
    st->errors = errors;
    st->warnings = warnings;
    st->generation++;
    pthread_cond_broadcast(&st->changed);
    pthread_mutex_unlock(&st->mu);
}

void serve_state_stop(serve_state *st)
{
    /* First: the warm-up and the requests under way end at their next step. */
    atomic_store(&st->halt, true);
    pthread_mutex_lock(&st->mu);
    st->stopping = true;
    pthread_cond_broadcast(&st->changed);
    size_t warming = st->warming;
    st->warming = 0;
    pthread_mutex_unlock(&st->mu);
    for (size_t i = 0; i < warming; i++)
        pthread_join(st->warmers[i], NULL);
}

/* ---- Warming the cache ------------------------------------------------------- */

/*
 * What a page asks first, with no filter (the page's own requests, as it
 * sends them), in three plans run by three threads. The first view's
 * needs: the extent (which reads the bounds) then the first page, and
 * beside them the lanes (the strips: the longest of the three to read).
 * The facets (which read the links: longer still) come after the view on
 * the page; their thread runs at a lower priority (nice), so that it takes
 * only the CPU the page and its first requests leave. A step is a
 * request, or (path NULL) a snapshot read at an offset of serve_state.
 */
typedef struct {
    http_request req;
    size_t slot;
} warm_step;

static const http_param first_page[] = {{"limit", "100"}};
static const warm_step first_view[] = {
    {{"/api/extent", NULL, 0}, 0},
    {{"/api/events", first_page, 1}, 0},
};
static const warm_step first_strips[] = {
    {{NULL, NULL, 0}, offsetof(serve_state, lanes)},
};
static const warm_step after_view[] = {
    {{"/api/facets", NULL, 0}, 0},
};

static const struct {
    const warm_step *steps;
    size_t n;
    int nice;              /* added to the thread's nice value */
} warm_plans[SERVE_WARMERS] = {
    {first_view, sizeof(first_view) / sizeof(first_view[0]), 0},
    {first_strips, sizeof(first_strips) / sizeof(first_strips[0]), 0},
    {after_view, sizeof(after_view) / sizeof(after_view[0]), 10},
};

/* Read a snapshot at state gen, when no request did. */
static void warm_snapshot(serve_state *st, serve_snapshot_slot *slot, unsigned long gen)
{
    sqlite3 *db;
    char *err = NULL;
    int pooled = serve_db_acquire(st, &db, &err);
    serve_snapshot *ref = NULL;
    if (pooled >= 0) {
        serve_snapshot_take(st, slot, gen, db, &ref, &err);
        serve_snapshot_release(st, ref);
        serve_db_release(st, pooled);
    }
    free(err);      /* a failure is the page's to see */
}

typedef struct {
    serve_state *st;
    size_t plan;
} warmer;

static void *warm_main(void *arg)
{
    warmer w = *(warmer *)arg;
    free(arg);
    serve_state *st = w.st;
    /* Linux: a thread's own nice value; a failure leaves it as it was. */
    if (warm_plans[w.plan].nice)
        (void)setpriority(PRIO_PROCESS, (id_t)gettid(), getpriority(PRIO_PROCESS, 0) +
                                                          warm_plans[w.plan].nice);
    unsigned long done = 0;
    bool first = true;
    for (;;) {
        pthread_mutex_lock(&st->mu);
        while (!st->stopping && !first && st->generation == done)
            pthread_cond_wait(&st->changed, &st->mu);
        bool stopping = st->stopping;
        done = st->generation;
        pthread_mutex_unlock(&st->mu);
        if (stopping)
            return NULL;
        first = false;
        for (size_t i = 0; i < warm_plans[w.plan].n; i++) {
            const warm_step *step = &warm_plans[w.plan].steps[i];
            if (!step->req.path) {
                warm_snapshot(st, (serve_snapshot_slot *)((char *)st + step->slot), done);
                continue;
            }
            http_reply rep = {.status = 200};
            serve_handle(st, &step->req, &rep);    /* a failure is the page's to see */
            free(rep.body);
        }
    }
}

int serve_state_warm(serve_state *st)
{
    for (size_t i = 0; i < SERVE_WARMERS; i++) {
        warmer *w = malloc(sizeof(*w));
        if (!w)
            return -1;
        *w = (warmer){st, i};
        pthread_mutex_lock(&st->mu);
        bool started = pthread_create(&st->warmers[i], NULL, warm_main, w) == 0;
        st->warming += started;
        pthread_mutex_unlock(&st->mu);
        if (!started) {
            free(w);
            return -1;
        }
    }
    return 0;
}

/* SQLite's progress handler on the pool's connections: non-zero ends the statement. */
static int halted(void *arg)
{
    serve_state *st = arg;
    return atomic_load_explicit(&st->halt, memory_order_relaxed) ||
           atomic_load_explicit(&st->retiring, memory_order_relaxed);
}

int serve_db_open(serve_state *st, sqlite3 **db, char **err)
{
    if (db_open(st->dbpath, DB_READ, db, err) != 0)
        return -1;
    sqlite3_progress_handler(*db, HALT_CHECK_STEPS, halted, st);
    return 0;
}

/*
 * Open a slot's connection when first needed: to the file the pool reads
 * (when known), so that a file put in its place meanwhile is never read
 * before the watcher has checked it. The path is looked at before and
 * after the open; the file the pool reads stays open (the watcher's
 * connection), so its identity cannot be taken by another file.
 */
static int open_slot(serve_state *st, dev_t dev, ino_t ino, sqlite3 **db, char **err)
{
    struct stat sb;
    bool known = dev != 0 || ino != 0;
    if (known && (stat(st->dbpath, &sb) != 0 || sb.st_dev != dev || sb.st_ino != ino))
        goto replaced;
    if (serve_db_open(st, db, err) != 0)
        return -1;
    if (known && (stat(st->dbpath, &sb) != 0 || sb.st_dev != dev || sb.st_ino != ino)) {
        db_close(*db);
        *db = NULL;
        goto replaced;
    }
    return 0;
replaced:
    *err = str_printf("the database '%s' was replaced or removed; the page refreshes when the "
                      "new one is read", st->dbpath);
    return -1;
}

int serve_db_acquire(serve_state *st, sqlite3 **db, char **err)
{
    *err = NULL;
    pthread_mutex_lock(&st->mu);
    int slot = -1;
    for (;;) {
        if (st->db_closed[0]) {
            *err = str_printf("%s", st->db_closed);
            pthread_mutex_unlock(&st->mu);
            return -1;
        }
        for (int i = 0; i < SERVE_POOL && slot < 0; i++)
            if (!st->busy[i])
                slot = i;
        if (slot >= 0)
            break;
        pthread_cond_wait(&st->freed, &st->mu);
    }
    st->busy[slot] = true;
    dev_t dev = st->db_dev;
    ino_t ino = st->db_ino;
    pthread_mutex_unlock(&st->mu);
    /* Only this thread touches pool[slot] while it is busy. */
    if (!st->pool[slot] && open_slot(st, dev, ino, &st->pool[slot], err) != 0) {
        serve_db_release(st, slot);
        return -1;
    }
    *db = st->pool[slot];
    return slot;
}

void serve_db_release(serve_state *st, int slot)
{
    sqlite3 *old = NULL;
    pthread_mutex_lock(&st->mu);
    if (st->pool_next[slot]) {
        old = st->pool[slot];
        st->pool[slot] = st->pool_next[slot];
        st->pool_next[slot] = NULL;
    }
    st->busy[slot] = false;
    pthread_cond_broadcast(&st->freed);
    pthread_mutex_unlock(&st->mu);
    db_close(old);
}

void serve_db_replace(serve_state *st, sqlite3 *const conns[SERVE_POOL], dev_t dev, ino_t ino)
{
    sqlite3 *old[2 * SERVE_POOL] = {NULL};
    pthread_mutex_lock(&st->mu);
    for (int i = 0; i < SERVE_POOL; i++) {
        if (st->busy[i]) {
            old[SERVE_POOL + i] = st->pool_next[i];     /* a file replaced twice meanwhile */
            st->pool_next[i] = conns[i];
        } else {
            old[i] = st->pool[i];
            st->pool[i] = conns[i];
        }
    }
    st->db_dev = dev;
    st->db_ino = ino;
    st->db_closed[0] = '\0';
    pthread_mutex_unlock(&st->mu);
    for (int i = 0; i < 2 * SERVE_POOL; i++)
        db_close(old[i]);
}

void serve_db_retire(serve_state *st, const char *why)
{
    sqlite3 *old[2 * SERVE_POOL] = {NULL};
    pthread_mutex_lock(&st->mu);
    snprintf(st->db_closed, sizeof(st->db_closed), "%s", why);
    atomic_store(&st->retiring, true);
    for (;;) {
        bool busy = false;
        for (int i = 0; i < SERVE_POOL; i++)
            busy |= st->busy[i];
        if (!busy)
            break;
        pthread_cond_wait(&st->freed, &st->mu);
    }
    for (int i = 0; i < SERVE_POOL; i++) {
        old[i] = st->pool[i];
        old[SERVE_POOL + i] = st->pool_next[i];
        st->pool[i] = st->pool_next[i] = NULL;
    }
    atomic_store(&st->retiring, false);
    pthread_mutex_unlock(&st->mu);
    for (int i = 0; i < 2 * SERVE_POOL; i++)
        db_close(old[i]);
}

/* ---- The update stream (Server-Sent Events) -------------------------------- */

typedef struct {
    serve_state *st;
    unsigned long seen;     /* the generation the page was last told of */
    bool greeted;
} update_stream;

/*
 * First a greeting with the current generation (so a page that reconnects
 * learns whether it missed a reload), then one "reload" event per change,
 * and a comment when idle. Ends when the server stops.
 */
static ssize_t update_next(void *ctx, char *buf, size_t max)
{
    update_stream *u = ctx;
    serve_state *st = u->st;
    pthread_mutex_lock(&st->mu);
    if (!u->greeted) {
        u->greeted = true;
        u->seen = st->generation;
        pthread_mutex_unlock(&st->mu);
        return snprintf(buf, max, "retry: 1000\nevent: hello\ndata: %lu\n\n", u->seen);
    }
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += KEEPALIVE_S;
    while (!st->stopping && st->generation == u->seen) {
        if (pthread_cond_timedwait(&st->changed, &st->mu, &until) == ETIMEDOUT)
            break;
    }
    if (st->stopping) {
        pthread_mutex_unlock(&st->mu);
        return -1;
    }
    int n;
    if (st->generation != u->seen) {
        u->seen = st->generation;
        n = snprintf(buf, max, "event: reload\ndata: %lu\n\n", u->seen);
    } else {
        n = snprintf(buf, max, ": idle\n\n");
    }
    pthread_mutex_unlock(&st->mu);
    return n;
}

static void update_done(void *ctx)
{
    free(ctx);
}

int serve_updates(serve_state *st, http_reply *rep)
{
    update_stream *u = calloc(1, sizeof(*u));
    if (!u)
        return -1;
    u->st = st;
    rep->type = "text/event-stream";
    rep->stream = update_next;
    rep->stream_ctx = u;
    rep->stream_done = update_done;
    return 0;
}
