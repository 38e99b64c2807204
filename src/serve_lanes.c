/* serve_lanes.c - every event's bounds, and its lane (its first actor), by rowid, each read once per database state: a date range is matched without SQL, and the density strips count without a join per event. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/serve.h"
#include "annals/util.h"

struct serve_bounds {
    int64_t *lower, *upper;    /* by event rowid; lower > upper where there is no event */
    size_t n;                  /* rowids 0 .. n-1 */
};

struct serve_lanes {
    uint32_t *of;          /* by event rowid: the lane, or SERVE_NO_LANE */
    size_t n;              /* rowids 0 .. n-1 */
    str_index ids;         /* lane number -> actor id */
};

void serve_bounds_free(serve_bounds *b)
{
    if (!b)
        return;
    free(b->lower);
    free(b->upper);
    free(b);
}

void serve_lanes_free(serve_lanes *l)
{
    if (!l)
        return;
    free(l->of);
    str_index_free(&l->ids);
    free(l);
}

static void *read_bounds_any(sqlite3 *db, char **err)
{
    return serve_bounds_read(db, err);
}

static void free_bounds_any(void *b)
{
    serve_bounds_free(b);
}

static void *read_lanes_any(sqlite3 *db, char **err)
{
    return serve_lanes_read(db, err);
}

static void free_lanes_any(void *l)
{
    serve_lanes_free(l);
}

const serve_snapshot_kind serve_bounds_kind = {read_bounds_any, free_bounds_any};
const serve_snapshot_kind serve_lanes_kind = {read_lanes_any, free_lanes_any};

/* One more than the highest rowid of an event (0 when there is none), or -1 with *err. */
static int rows_of(sqlite3 *db, size_t *n, char **err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT max(rowid) FROM events", &st, err) != 0)
        return -1;
    if (sqlite3_step(st) != SQLITE_ROW) {      /* interrupted (the server stops), or failed */
        *err = db_error(db, NULL);
        sqlite3_finalize(st);
        return -1;
    }
    int64_t max = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (max < -1 || (uint64_t)max + 1 > SIZE_MAX / sizeof(int64_t)) {
        *err = str_printf("out of memory");
        return -1;
    }
    *n = (size_t)(max + 1);
    return 0;
}

static int step_failed(sqlite3 *db, sqlite3_stmt *a, sqlite3_stmt *b, char **err)
{
    *err = db_error(db, NULL);
    sqlite3_finalize(a);
    sqlite3_finalize(b);
    return -1;
}

/*
 * Both streams are in event id order (the events' id index and the
 * primary key of event_actors): one merge pairs each event's rowid with
 * its first actor, reading each table once, in order.
 */
static int read_lanes(sqlite3 *db, serve_lanes *l, char **err)
{
    sqlite3_stmt *ev = NULL, *first = NULL;
    if (db_prepare(db, "SELECT id, rowid FROM events ORDER BY id", &ev, err) != 0 ||
        db_prepare(db, "SELECT event_id, actor_id FROM event_actors WHERE seq = 0"
                       " ORDER BY event_id", &first, err) != 0) {
        sqlite3_finalize(ev);
        return -1;
    }
    int rc_ev = sqlite3_step(ev), rc_first = sqlite3_step(first);
    while (rc_ev == SQLITE_ROW && rc_first == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(ev, 0);
        const char *linked = (const char *)sqlite3_column_text(first, 0);
        int cmp = strcmp(id ? id : "", linked ? linked : "");
        if (cmp < 0) {
            rc_ev = sqlite3_step(ev);
            continue;
        }
        if (cmp == 0) {
            int64_t rowid = sqlite3_column_int64(ev, 1);
            const char *actor = (const char *)sqlite3_column_text(first, 1);
            size_t lane = str_index_get(&l->ids, actor ? actor : "", true);
            if (lane == SIZE_MAX || lane >= SERVE_NO_LANE) {
                sqlite3_finalize(ev);
                sqlite3_finalize(first);
                *err = str_printf("out of memory");
                return -1;
            }
            if (rowid >= 0 && (uint64_t)rowid < l->n)
                l->of[rowid] = (uint32_t)lane;
            rc_ev = sqlite3_step(ev);
        }
        rc_first = sqlite3_step(first);
    }
    if ((rc_ev != SQLITE_ROW && rc_ev != SQLITE_DONE) ||
        (rc_first != SQLITE_ROW && rc_first != SQLITE_DONE))
        return step_failed(db, ev, first, err);
    sqlite3_finalize(ev);
    sqlite3_finalize(first);
    return 0;
}

serve_bounds *serve_bounds_read(sqlite3 *db, char **err)
{
    *err = NULL;
    serve_bounds *b = calloc(1, sizeof(*b));
    if (!b) {
        *err = str_printf("out of memory");
        return NULL;
    }
    if (rows_of(db, &b->n, err) != 0) {
        free(b);
        return NULL;
    }
    b->lower = malloc((b->n ? b->n : 1) * sizeof(int64_t));
    b->upper = malloc((b->n ? b->n : 1) * sizeof(int64_t));
    if (!b->lower || !b->upper) {
        serve_bounds_free(b);
        *err = str_printf("out of memory");
        return NULL;
    }
    for (size_t i = 0; i < b->n; i++) {
        b->lower[i] = INT64_MAX;
        b->upper[i] = INT64_MIN;
    }
    /* From the chronological index: it holds them, and the rowid. */
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT rowid, lower, upper FROM events ORDER BY lower, upper, id", &st,
                   err) != 0) {
        serve_bounds_free(b);
        return NULL;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t rowid = sqlite3_column_int64(st, 0);
        if (rowid >= 0 && (uint64_t)rowid < b->n) {
            b->lower[rowid] = sqlite3_column_int64(st, 1);
            b->upper[rowid] = sqlite3_column_int64(st, 2);
        }
    }
    if (rc != SQLITE_DONE) {
        *err = db_error(db, NULL);
        serve_bounds_free(b);
        b = NULL;
    }
    sqlite3_finalize(st);
    return b;
}

size_t serve_bounds_rows(const serve_bounds *b)
{
    return b->n;
}

bool serve_bounds_of(const serve_bounds *b, int64_t rowid, int64_t *lower, int64_t *upper)
{
    if (rowid < 0 || (uint64_t)rowid >= b->n || b->lower[rowid] > b->upper[rowid])
        return false;
    *lower = b->lower[rowid];
    *upper = b->upper[rowid];
    return true;
}

serve_lanes *serve_lanes_read(sqlite3 *db, char **err)
{
    *err = NULL;
    serve_lanes *l = calloc(1, sizeof(*l));
    if (!l) {
        *err = str_printf("out of memory");
        return NULL;
    }
    if (rows_of(db, &l->n, err) != 0) {
        free(l);
        return NULL;
    }
    if (!(l->of = malloc((l->n ? l->n : 1) * sizeof(uint32_t)))) {
        serve_lanes_free(l);
        *err = str_printf("out of memory");
        return NULL;
    }
    for (size_t i = 0; i < l->n; i++)
        l->of[i] = SERVE_NO_LANE;
    if (read_lanes(db, l, err) != 0) {
        serve_lanes_free(l);
        return NULL;
    }
    return l;
}

uint32_t serve_lanes_of(const serve_lanes *l, int64_t rowid)
{
    return rowid >= 0 && (uint64_t)rowid < l->n ? l->of[rowid] : SERVE_NO_LANE;
}

size_t serve_lanes_count(const serve_lanes *l)
{
    return l->ids.n;
}

const char *serve_lanes_id(const serve_lanes *l, uint32_t lane)
{
    return l->ids.keys[lane];
}
