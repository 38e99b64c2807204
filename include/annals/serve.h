/* serve.h - `annals serve`'s parts: the shared state, the JSON API and page, the compiled-in assets, the file watcher. */
#ifndef ANNALS_SERVE_H
#define ANNALS_SERVE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sqlite3.h>
#include <sys/types.h>

#include "annals/http.h"

/* Read connections kept open for the requests (each used by one request at a time). */
#define SERVE_POOL 4
/* The most events one /api/events answer holds (limit=), and its default. */
#define SERVE_MAX_LIMIT 5000
#define SERVE_DEFAULT_LIMIT 100
/* Answers kept per database state (facets, strips, totals): at most this many bytes and entries. */
#define SERVE_CACHE_BYTES (48u << 20)
#define SERVE_CACHE_ENTRIES 256
/* Threads preparing the first answers after each load: the first view's, its strips', the facets'. */
#define SERVE_WARMERS 3

typedef struct serve_cache serve_cache;
typedef struct serve_bounds serve_bounds;
typedef struct serve_lanes serve_lanes;
typedef struct serve_links serve_links;

/*
 * Something read from the database at one state and shared by the
 * requests (the events' bounds, lanes and links): a slot of
 * serve_state holds the latest one read; each request that uses it holds
 * a reference (serve_snapshot_take, src/serve_snapshot.c).
 */
typedef struct serve_snapshot serve_snapshot;
typedef struct {
    void *(*read)(sqlite3 *db, char **err);    /* a new one, or NULL with *err a new message */
    void (*free)(void *data);
} serve_snapshot_kind;
typedef struct {
    const serve_snapshot_kind *kind;
    serve_snapshot *cur;       /* the latest read (or NULL); guarded by serve_state's mu */
    bool reading;              /* a request is reading a new one */
} serve_snapshot_slot;

/*
 * What the requests, the watcher and the command share. The command owns
 * it (serve_state_init / serve_state_free); every field below mu is
 * guarded by mu.
 */
typedef struct {
    const char *dbpath;        /* the database served (read only) */
    const char *editor;        /* --editor template, or NULL */
    bool watching;             /* the dataset is watched (paths were given) */

    pthread_mutex_t mu;
    pthread_cond_t changed;    /* signalled when generation moves or stopping is set */
    unsigned long generation;  /* moves at every reload, good or bad */
    char *diagnostics;         /* the last load's diagnostics (text), NULL when none */
    size_t errors, warnings;   /* of the last load */
    bool stopping;
    sqlite3 *pool[SERVE_POOL]; /* opened on first use (or by serve_db_replace) */
    bool busy[SERVE_POOL];
    pthread_cond_t freed;      /* signalled when a pool connection is given back */
    sqlite3 *pool_next[SERVE_POOL]; /* a busy slot's connection to a new file: put in place
                                       (and the old one closed) when the slot is given back */
    dev_t db_dev;              /* the file the pool reads (--db), 0 and 0 until known: a slot */
    ino_t db_ino;              /* opened later must open that very file */
    char db_closed[512];       /* why the pool has no connection (serve_db_retire), or "" */
    atomic_bool halt;          /* set when stopping: statements under way are interrupted */
    atomic_bool retiring;      /* set while serve_db_retire waits: the same, on the old file */

    serve_cache *cache;        /* answers of the current generation; locks itself */
    serve_snapshot_slot bounds;    /* the events' bounds (serve_bounds) */
    serve_snapshot_slot lanes; /* the events' lanes (serve_lanes), for the strips */
    serve_snapshot_slot links; /* the events' links (serve_links), for the facets */
    pthread_cond_t snapshot_read;  /* signalled when a slot's reading is done */
    pthread_t warmers[SERVE_WARMERS];  /* compute the unfiltered answers after each reload */
    size_t warming;            /* how many of them run */
} serve_state;

/* Initialise st for the database at dbpath. Returns 0, or -1 (out of resources). */
int serve_state_init(serve_state *st, const char *dbpath, const char *editor, bool watching);

/* Close the pool's connections and free what st holds. */
void serve_state_free(serve_state *st);

/*
 * A load is over: record its diagnostics (text, taken over by st; NULL
 * when none) and counts, move the generation and wake every waiting
 * stream.
 */
void serve_state_reloaded(serve_state *st, char *diagnostics, size_t errors, size_t warnings);

/* Tell every stream to end (the server is stopping) and stop the warmer. */
void serve_state_stop(serve_state *st);

/*
 * Start the threads that, after each move of the generation (and once at
 * the start), ask the answers a page asks first (the extent and the first
 * page of events with no filter; beside them the strips' lanes; and, at a
 * lower priority, the facets), so that they are in the cache before a
 * page asks. Returns 0, or -1 (not every thread: answers are then computed
 * when asked). serve_state_stop stops them.
 */
int serve_state_warm(serve_state *st);

/*
 * Take a read connection from the pool (opened on first use), waiting
 * while every one is in use. Returns its slot with *db, or -1 with *err
 * (the database cannot be opened). Give it back with serve_db_release.
 */
int serve_db_acquire(serve_state *st, sqlite3 **db, char **err);
void serve_db_release(serve_state *st, int slot);

/*
 * Open a read connection to st->dbpath for the pool: read only, and
 * interrupted (SQLITE_INTERRUPT) as soon as the server stops. Returns 0
 * with *db, or -1 with *err a new message.
 */
int serve_db_open(serve_state *st, sqlite3 **db, char **err);

/*
 * The file at st->dbpath was replaced (--db): the pool reads the file
 * dev/ino from now on, through conns[0 .. SERVE_POOL - 1], taken over
 * (a NULL one is opened when first needed, and only when the path still
 * names that file). An idle slot's old connection is closed now, a busy
 * one's when it is given back.
 */
void serve_db_replace(serve_state *st, sqlite3 *const conns[SERVE_POOL], dev_t dev, ino_t ino);

/*
 * Close every connection of the pool, waiting for those in use to be
 * given back (their statements under way are interrupted: they read a
 * file that is no longer served); until serve_db_replace,
 * serve_db_acquire fails with why (a copy is kept, cut to fit
 * st->db_closed).
 */
void serve_db_retire(serve_state *st, const char *why);

/* Answer with the update stream (Server-Sent Events). Returns 0, or -1 when out of memory. */
int serve_updates(serve_state *st, http_reply *rep);

/*
 * The HTTP handler of the whole site (an http_handler; ctx is the
 * serve_state): the page and its assets, /api/..., and the update stream.
 */
int serve_handle(void *ctx, const http_request *req, http_reply *rep);

/* ---- Answers kept per database state (src/serve_cache.c) ---- */

/* A new empty cache of at most max_bytes of answers, or NULL when out of memory. */
serve_cache *serve_cache_new(size_t max_bytes);
void serve_cache_free(serve_cache *c);     /* NULL is a no-op */

/*
 * The answer kept for key at database state gen: 1 with *body a new copy
 * (the caller frees it) of *len bytes. 0 when there is none: the caller
 * must compute it and then call serve_cache_put or serve_cache_drop with
 * the same gen and key (whoever asks for it meanwhile waits for that).
 * -1 when out of memory.
 */
int serve_cache_take(serve_cache *c, unsigned long gen, const char *key, char **body,
                     size_t *len);
/* Keep a copy of the answer of a serve_cache_take that returned 0 (dropped when it does not fit). */
void serve_cache_put(serve_cache *c, unsigned long gen, const char *key, const char *body,
                     size_t len);
/* Give up the answer of a serve_cache_take that returned 0 (an error is not kept). */
void serve_cache_drop(serve_cache *c, unsigned long gen, const char *key);

/* ---- What is read once per database state (src/serve_snapshot.c) ---- */

/*
 * The data of slot at database state gen or a later one, read with db
 * when st has none (one request reads; the others asking wait for it).
 * Returns it, with *ref the reference to give back with
 * serve_snapshot_release, or NULL with *err a new message.
 */
const void *serve_snapshot_take(serve_state *st, serve_snapshot_slot *slot, unsigned long gen,
                                sqlite3 *db, serve_snapshot **ref, char **err);
void serve_snapshot_release(serve_state *st, serve_snapshot *ref);    /* NULL is a no-op */
/* Drop what slot holds (serve_state_free). */
void serve_snapshot_clear(serve_state *st, serve_snapshot_slot *slot);

/* ---- The events' bounds and lanes (src/serve_lanes.c) ---- */

/*
 * Every event's bounds (lower, upper) by the event's rowid, read from db
 * in one snapshot: 16 bytes an event. A filter that is only a date range
 * is matched with them without SQL, and the strips place events with
 * them. Returns a new one (free with serve_bounds_free), or NULL with
 * *err a new message.
 */
serve_bounds *serve_bounds_read(sqlite3 *db, char **err);
void serve_bounds_free(serve_bounds *b);     /* NULL is a no-op */
extern const serve_snapshot_kind serve_bounds_kind;
/* One more than the highest rowid of an event. */
size_t serve_bounds_rows(const serve_bounds *b);
/* The bounds of the event with this rowid: false when there is none. */
bool serve_bounds_of(const serve_bounds *b, int64_t rowid, int64_t *lower, int64_t *upper);

/* No lane: the event names no actor. */
#define SERVE_NO_LANE UINT32_MAX

/*
 * Every event's lane, its first actor (as the HTML report's timeline lays
 * them out), by the event's rowid, read from db in one snapshot: 4 bytes
 * an event, for the density strips. Returns a new one (free with
 * serve_lanes_free), or NULL with *err a new message.
 */
serve_lanes *serve_lanes_read(sqlite3 *db, char **err);
void serve_lanes_free(serve_lanes *l);     /* NULL is a no-op */
extern const serve_snapshot_kind serve_lanes_kind;

/* The lane of the event with this rowid (a number below serve_lanes_count), or SERVE_NO_LANE. */
uint32_t serve_lanes_of(const serve_lanes *l, int64_t rowid);
size_t serve_lanes_count(const serve_lanes *l);
/* The actor id of a lane; owned by l. */
const char *serve_lanes_id(const serve_lanes *l, uint32_t lane);

/* ---- The events' links (src/serve_links.c) ---- */

/* What an event is linked to; SERVE_LINK_TYPES: its type (none or one). */
typedef enum {
    SERVE_LINK_ACTORS, SERVE_LINK_PLACES, SERVE_LINK_TAGS, SERVE_LINK_SOURCES, SERVE_LINK_TYPES,
    SERVE_LINK_KINDS
} serve_link_kind;

/* No value: no type, or an open start (no year). */
#define SERVE_LINKS_NONE UINT32_MAX

/* One event's links: of[k][0 .. n[k] - 1] are value numbers of kind k; owned by the serve_links. */
typedef struct {
    const uint32_t *of[SERVE_LINK_KINDS];
    size_t n[SERVE_LINK_KINDS];
    const uint32_t *actor_roles;     /* beside of[SERVE_LINK_ACTORS]: each link's role number, or SERVE_LINKS_NONE */
    uint32_t year;           /* the year its start falls in (a number below serve_links_years), or SERVE_LINKS_NONE */
} serve_event_links;

/*
 * Every event's actors (with their roles), places and tags (each link, in the file's order),
 * sources (each once), type and start year, by rowid, read from db in one
 * snapshot: compact arrays (4 bytes a link, 8 an actor's, 28 an event), so that facets
 * are counted by walking the matching rowids. Returns a new one (free with
 * serve_links_free), or NULL with *err a new message.
 */
serve_links *serve_links_read(sqlite3 *db, char **err);
void serve_links_free(serve_links *x);     /* NULL is a no-op */
extern const serve_snapshot_kind serve_links_kind;

/* The links of the event with this rowid into *e: false when there is no such event. */
bool serve_links_event(const serve_links *x, int64_t rowid, serve_event_links *e);
/* How many values of a kind; the id of one (owned by x); the i-th in id order (byte order). */
size_t serve_links_values(const serve_links *x, serve_link_kind kind);
const char *serve_links_id(const serve_links *x, serve_link_kind kind, uint32_t v);
uint32_t serve_links_sorted(const serve_links *x, serve_link_kind kind, size_t i);
/* How many start years; the y-th, ascending (astronomical). */
size_t serve_links_years(const serve_links *x);
int64_t serve_links_year(const serve_links *x, uint32_t y);
/* The memory it holds, in bytes. */
size_t serve_links_bytes(const serve_links *x);
/* The number of a role (as stored: lower case) among the actors' links, or SERVE_LINKS_NONE when none has it. */
uint32_t serve_links_role(const serve_links *x, const char *role);

/* ---- Compiled-in assets (src/serve_assets.c) ---- */

typedef struct {
    const char *path;          /* "/", "/app.js" */
    const char *type;          /* Content-Type */
    const char *body;          /* NUL-terminated text */
} serve_asset;

/* The asset served at path, or NULL: nothing else is ever read. */
const serve_asset *serve_asset_find(const char *path);

/* ---- The watcher (src/serve_watch.c) ---- */

typedef struct serve_watch serve_watch;

/*
 * Load the dataset under paths (npaths > 0) into the database at dbpath
 * (created) once, then watch its directories with inotify and load again,
 * incrementally, whenever a file changes, reporting each load to st. A
 * load with errors keeps the last good content. The first load is done
 * before this returns; its diagnostics are also written to diag_out.
 * Returns a new watcher (stop it with serve_watch_stop), or NULL with
 * *err a new message.
 */
serve_watch *serve_watch_start(serve_state *st, const char *dbpath, const char *const *paths,
                               size_t npaths, FILE *diag_out, char **err);

/* Stop watching, wait for a load under way, free w. NULL is a no-op. */
void serve_watch_stop(serve_watch *w);

/*
 * Watch the database at st->dbpath (--db) for changes made by other
 * processes (another `annals load` into it): a commit moves the
 * generation, so open pages refresh and kept answers are computed again.
 * Polls SQLite's data version every SERVE_DB_POLL_MS. Returns a new watcher (stop it
 * with serve_watch_stop), or NULL with *err a new message.
 */
#define SERVE_DB_POLL_MS 250
serve_watch *serve_watch_db_start(serve_state *st, char **err);

/*
 * What the --db watcher sees at st->dbpath when it looks, and what it does
 * then (serve_db_next). SQLite names a database's write-ahead log and its
 * index after the path ("-wal", "-shm"), not after the file: when the file
 * is removed or renamed over while they are open, whatever file takes the
 * name is read through the old ones (https://sqlite.org/howtocorrupt.html,
 * 2.4 and 2.5).
 */
typedef struct {
    bool present;          /* a file is at the path */
    bool same;             /* it is the file served */
    bool old_open;         /* the served file's connections are open */
    bool old_companions;   /* the path's -wal or -shm is the served file's */
    bool wal_written;      /* the path's -wal is not empty */
} serve_db_sight;

typedef enum {
    SERVE_DB_SAME,     /* the file served: look for another load's commit */
    SERVE_DB_REMOVED,  /* no file: keep serving what the old one held, and say so */
    SERVE_DB_RETIRE,   /* another file sharing the old -wal, -shm: close the old file's
                          connections (one process must not open the log twice) */
    SERVE_DB_WAIT,     /* ... and that log holds frames: open nothing, look again */
    SERVE_DB_TRY       /* another file: open it, and serve it once it holds a whole load */
} serve_db_step;

serve_db_step serve_db_next(const serve_db_sight *s);

#endif
