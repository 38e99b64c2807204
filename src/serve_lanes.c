/* serve_lanes.c - every event's lane (its first actor) by rowid, and its links (serve_links.c), read once per database state: the density strips and the facets count from them without a join per event. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/serve.h"
#include "annals/util.h"

struct serve_lanes {
    uint32_t *of;          /* by event rowid: the lane, or SERVE_NO_LANE */
    size_t n;              /* rowids 0 .. n-1 */
    str_index ids;         /* lane number -> actor id */
    serve_links *links;    /* every event's links, of the same state */
    unsigned long gen;     /* the database state it was read at */
    int refs;              /* serve_state's and each request's */
};

void serve_lanes_free(serve_lanes *l)
{
    if (!l)
        return;
    free(l->of);
    str_index_free(&l->ids);
    serve_links_free(l->links);
    free(l);
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

serve_lanes *serve_lanes_read(sqlite3 *db, unsigned long gen, char **err)
{
    *err = NULL;
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT max(rowid) FROM events", &st, err) != 0)
        return NULL;
    int64_t max = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    serve_lanes *l = calloc(1, sizeof(*l));
    if (!l || max < -1 || (uint64_t)max + 1 > SIZE_MAX / sizeof(uint32_t)) {
        free(l);
        *err = str_printf("out of memory");
        return NULL;
    }
    l->n = (size_t)(max + 1);
    l->gen = gen;
    l->refs = 1;
    if (!(l->of = malloc((l->n ? l->n : 1) * sizeof(uint32_t)))) {
        serve_lanes_free(l);
        *err = str_printf("out of memory");
        return NULL;
    }
    for (size_t i = 0; i < l->n; i++)
        l->of[i] = SERVE_NO_LANE;
    if (read_lanes(db, l, err) != 0 || !(l->links = serve_links_read(db, err))) {
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

const serve_links *serve_lanes_links(const serve_lanes *l)
{
    return l->links;
}

const char *serve_lanes_id(const serve_lanes *l, uint32_t lane)
{
    return l->ids.keys[lane];
}

/* ---- One per database state, shared by the requests ------------------------------ */

serve_lanes *serve_state_lanes(serve_state *st, unsigned long gen, sqlite3 *db, char **err)
{
    *err = NULL;
    pthread_mutex_lock(&st->mu);
    while (st->lanes_reading)
        pthread_cond_wait(&st->lanes_read, &st->mu);
    serve_lanes *l = st->lanes;
    if (l && l->gen >= gen) {
        l->refs++;
        pthread_mutex_unlock(&st->mu);
        return l;
    }
    st->lanes_reading = true;
    pthread_mutex_unlock(&st->mu);
    serve_lanes *fresh = serve_lanes_read(db, gen, err);
    pthread_mutex_lock(&st->mu);
    st->lanes_reading = false;
    if (fresh) {
        serve_lanes *old = st->lanes;
        st->lanes = fresh;
        fresh->refs++;          /* st's and the caller's */
        if (old && --old->refs == 0)
            serve_lanes_free(old);
    }
    pthread_cond_broadcast(&st->lanes_read);
    pthread_mutex_unlock(&st->mu);
    return fresh;
}

void serve_state_lanes_release(serve_state *st, serve_lanes *l)
{
    if (!l)
        return;
    pthread_mutex_lock(&st->mu);
    bool last = --l->refs == 0;
    pthread_mutex_unlock(&st->mu);
    if (last)
        serve_lanes_free(l);
}
