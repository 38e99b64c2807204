/* serve_links.c - every event's actors, places, tags, sources, type and year by rowid, read once per database state: facets count from compact arrays instead of joining link tables. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/edtf.h"
#include "annals/serve.h"
#include "annals/util.h"

/* The links of one kind: event p's values are val[off[p]] .. val[off[p + 1] - 1]. */
typedef struct {
    uint32_t *off;         /* n + 1 entries (none for SERVE_LINK_TYPES) */
    uint32_t *val;
    uint32_t *role;        /* actors: each link's role number (beside val), or SERVE_LINKS_NONE */
    size_t nval, cap;
    str_index ids;         /* value number -> id */
    uint32_t *sorted;      /* value numbers in id order */
} link_kind;

struct serve_links {
    uint32_t *pos;         /* by rowid: the event's number (its place in id order), or SERVE_LINKS_NONE */
    size_t nrowid;
    size_t n;              /* events */
    uint32_t *type;        /* by event number: its type's value number, or SERVE_LINKS_NONE */
    uint32_t *year;        /* by event number: its start year's number in years, or SERVE_LINKS_NONE */
    int64_t *years;        /* ascending */
    size_t nyears;
    link_kind k[SERVE_LINK_KINDS];
    str_index roles;       /* role number -> role, as stored (lower case) */
};

/* Each kind's links in event id order, the event's file order within it (actors: with their role). */
static const struct {
    const char *sql;
    bool once;             /* a value counted once per event however often it is linked */
} link_sql[SERVE_LINK_TYPES] = {
    [SERVE_LINK_ACTORS] = {"SELECT event_id, actor_id, role FROM event_actors ORDER BY event_id, seq",
                           false},
    [SERVE_LINK_PLACES] = {"SELECT event_id, place_id FROM event_places ORDER BY event_id, seq", false},
    [SERVE_LINK_TAGS] = {"SELECT event_id, tag FROM event_tags ORDER BY event_id, seq", false},
    [SERVE_LINK_SOURCES] = {"SELECT event_id, source_id FROM event_sources ORDER BY event_id, seq",
                            true},
};

void serve_links_free(serve_links *x)
{
    if (!x)
        return;
    free(x->pos);
    free(x->type);
    free(x->year);
    free(x->years);
    for (int k = 0; k < SERVE_LINK_KINDS; k++) {
        free(x->k[k].off);
        free(x->k[k].val);
        free(x->k[k].role);
        free(x->k[k].sorted);
        str_index_free(&x->k[k].ids);
    }
    str_index_free(&x->roles);
    free(x);
}

static void *read_any(sqlite3 *db, char **err)
{
    return serve_links_read(db, err);
}

static void free_any(void *x)
{
    serve_links_free(x);
}

const serve_snapshot_kind serve_links_kind = {read_any, free_any};

static int oom(char **err)
{
    *err = str_printf("out of memory");
    return -1;
}

static int step_failed(sqlite3 *db, sqlite3_stmt *st, char **err)
{
    *err = db_error(db, NULL);
    sqlite3_finalize(st);
    return -1;
}

/* A value number of kind k for id. 0, or -1 when out of memory. */
static int value_of(link_kind *k, const char *id, uint32_t *v)
{
    size_t i = str_index_get(&k->ids, id ? id : "", true);
    if (i == SIZE_MAX || i >= SERVE_LINKS_NONE)
        return -1;
    *v = (uint32_t)i;
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The years, each event's number among them (start_year: each event's year, or INT64_MIN: open). */
static int number_years(serve_links *x, const int64_t *start_year, char **err)
{
    if (!(x->years = malloc((x->n ? x->n : 1) * sizeof(int64_t))))
        return oom(err);
    for (size_t p = 0; p < x->n; p++)
        if (start_year[p] != INT64_MIN)
            x->years[x->nyears++] = start_year[p];
    qsort(x->years, x->nyears, sizeof(int64_t), cmp_i64);
    size_t u = 0;
    for (size_t i = 0; i < x->nyears; i++)
        if (!u || x->years[u - 1] != x->years[i])
            x->years[u++] = x->years[i];
    x->nyears = u;
    int64_t *shrunk = realloc(x->years, (u ? u : 1) * sizeof(int64_t));
    if (shrunk)
        x->years = shrunk;
    for (size_t p = 0; p < x->n; p++) {
        const int64_t *at = start_year[p] == INT64_MIN ? NULL
                            : bsearch(&start_year[p], x->years, x->nyears, sizeof(int64_t), cmp_i64);
        x->year[p] = at ? (uint32_t)(at - x->years) : SERVE_LINKS_NONE;
    }
    return 0;
}

/*
 * Append value v to the event being read (whose links start at start);
 * once: not twice. With roles (actors), role (a role, or NULL) beside it.
 */
static int append(serve_links *x, link_kind *k, size_t start, uint32_t v, bool once,
                  const char *role)
{
    if (once)
        for (size_t i = start; i < k->nval; i++)
            if (k->val[i] == v)
                return 0;
    size_t cap = k->cap;
    if (k->nval >= UINT32_MAX - 1 || array_grow(&k->val, &k->cap, k->nval, sizeof(uint32_t), 1024) != 0)
        return -1;
    if (k == &x->k[SERVE_LINK_ACTORS]) {
        if (k->cap != cap) {
            uint32_t *grown = realloc(k->role, k->cap * sizeof(uint32_t));
            if (!grown)
                return -1;
            k->role = grown;
        }
        size_t r = role ? str_index_get(&x->roles, role, true) : SERVE_LINKS_NONE;
        if (r == SIZE_MAX || (role && r >= SERVE_LINKS_NONE))
            return -1;
        k->role[k->nval] = (uint32_t)r;
    }
    k->val[k->nval++] = v;
    return 0;
}

/*
 * Event p's links of one kind: the rows of links (in event id order) up to
 * those of the event id (a link whose event is not there is skipped).
 * 0, or -1 when out of memory; *rc is the statement's last step.
 */
static int take_links(serve_links *x, link_kind *k, sqlite3_stmt *links, int *rc, const char *id,
                      size_t p, bool once)
{
    while (*rc == SQLITE_ROW) {
        const char *linked = (const char *)sqlite3_column_text(links, 0);
        int cmp = strcmp(id, linked ? linked : "");
        if (cmp < 0)
            break;
        uint32_t v;
        if (cmp == 0 && (value_of(k, (const char *)sqlite3_column_text(links, 1), &v) != 0 ||
                         append(x, k, k->off[p], v, once,
                                (const char *)sqlite3_column_text(links, 2)) != 0))
            return -1;
        *rc = sqlite3_step(links);
    }
    return 0;
}

/*
 * The events in id order (their rowids, types and start years) and every
 * kind's links: all the streams are in event id order (the events' id
 * index, each link table's primary key), so one merge over them gives
 * each link its event's number, and the arrays fill in order.
 */
static int read_events(sqlite3 *db, serve_links *x, int64_t *start_year, char **err)
{
    sqlite3_stmt *ev, *links[SERVE_LINK_TYPES] = {0};
    int rc_l[SERVE_LINK_TYPES];
    if (db_prepare(db, "SELECT id, rowid, type, lower FROM events ORDER BY id", &ev, err) != 0)
        return -1;
    int rc = 0;
    for (int kind = 0; kind < SERVE_LINK_TYPES && rc == 0; kind++) {
        link_kind *k = &x->k[kind];
        if (!(k->off = malloc((x->n + 1) * sizeof(uint32_t))))
            rc = oom(err);
        else if ((rc = db_prepare(db, link_sql[kind].sql, &links[kind], err)) == 0)
            rc_l[kind] = sqlite3_step(links[kind]);
        if (k->off)
            k->off[0] = 0;
    }
    size_t p = 0;
    int rc_ev = SQLITE_DONE;
    while (rc == 0 && (rc_ev = sqlite3_step(ev)) == SQLITE_ROW && p < x->n) {
        const char *id = (const char *)sqlite3_column_text(ev, 0);
        int64_t rowid = sqlite3_column_int64(ev, 1);
        if (rowid >= 0 && (uint64_t)rowid < x->nrowid)
            x->pos[rowid] = (uint32_t)p;
        x->type[p] = SERVE_LINKS_NONE;
        if (sqlite3_column_type(ev, 2) != SQLITE_NULL &&
            value_of(&x->k[SERVE_LINK_TYPES], (const char *)sqlite3_column_text(ev, 2),
                     &x->type[p]) != 0)
            rc = oom(err);
        int64_t lower = sqlite3_column_int64(ev, 3);
        start_year[p] = lower == EDTF_MIN ? INT64_MIN : edtf_year_of(lower);
        for (int kind = 0; kind < SERVE_LINK_TYPES && rc == 0; kind++) {
            link_kind *k = &x->k[kind];
            if (take_links(x, k, links[kind], &rc_l[kind], id ? id : "", p, link_sql[kind].once) != 0)
                rc = oom(err);
            k->off[p + 1] = (uint32_t)k->nval;
        }
        p++;
    }
    if (rc == 0 && rc_ev != SQLITE_ROW && rc_ev != SQLITE_DONE) {
        *err = db_error(db, NULL);
        rc = -1;
    }
    for (int kind = 0; kind < SERVE_LINK_TYPES; kind++) {
        if (rc == 0 && rc_l[kind] != SQLITE_ROW && rc_l[kind] != SQLITE_DONE) {
            *err = db_error(db, NULL);
            rc = -1;
        }
        sqlite3_finalize(links[kind]);
    }
    sqlite3_finalize(ev);
    x->n = p;       /* fewer only if the table changed under a reader: it does not in a transaction */
    return rc;
}

/* Each kind's value array, shrunk to what it holds. */
static void shrink_values(serve_links *x)
{
    for (int kind = 0; kind < SERVE_LINK_TYPES; kind++) {
        link_kind *k = &x->k[kind];
        size_t cap = k->nval ? k->nval : 1;
        uint32_t *shrunk = realloc(k->val, cap * sizeof(uint32_t));
        uint32_t *roles = k->role ? realloc(k->role, cap * sizeof(uint32_t)) : NULL;
        if (shrunk)
            k->val = shrunk;
        if (roles)
            k->role = roles;
        k->cap = cap;       /* what a failed shrink keeps is at least that */
    }
}

typedef struct {
    const char *key;
    uint32_t v;
} keyed;

static int cmp_key(const void *a, const void *b)
{
    return strcmp(((const keyed *)a)->key, ((const keyed *)b)->key);
}

/* Each kind's value numbers in id order (byte order, as SQLite's ORDER BY). */
static int sort_values(serve_links *x, char **err)
{
    for (int kind = 0; kind < SERVE_LINK_KINDS; kind++) {
        link_kind *k = &x->k[kind];
        size_t n = k->ids.n ? k->ids.n : 1;
        keyed *by = malloc(n * sizeof(*by));
        if (!by || !(k->sorted = malloc(n * sizeof(uint32_t)))) {
            free(by);
            return oom(err);
        }
        for (size_t i = 0; i < k->ids.n; i++)
            by[i] = (keyed){k->ids.keys[i], (uint32_t)i};
        qsort(by, k->ids.n, sizeof(*by), cmp_key);
        for (size_t i = 0; i < k->ids.n; i++)
            k->sorted[i] = by[i].v;
        free(by);
    }
    return 0;
}

static int read_all(sqlite3 *db, serve_links *x, char **err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT count(*), max(rowid) FROM events", &st, err) != 0)
        return -1;
    if (sqlite3_step(st) != SQLITE_ROW)
        return step_failed(db, st, err);
    int64_t count = sqlite3_column_int64(st, 0);
    int64_t max = sqlite3_column_type(st, 1) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    if (count < 0 || max < -1 || count >= SERVE_LINKS_NONE ||
        (uint64_t)max + 1 > SIZE_MAX / sizeof(uint32_t))
        return oom(err);
    x->n = (size_t)count;
    x->nrowid = (size_t)(max + 1);
    x->pos = malloc((x->nrowid ? x->nrowid : 1) * sizeof(uint32_t));
    x->type = malloc((x->n ? x->n : 1) * sizeof(uint32_t));
    x->year = malloc((x->n ? x->n : 1) * sizeof(uint32_t));
    if (!x->pos || !x->type || !x->year)
        return oom(err);
    for (size_t i = 0; i < x->nrowid; i++)
        x->pos[i] = SERVE_LINKS_NONE;
    int64_t *start_year = malloc((x->n ? x->n : 1) * sizeof(int64_t));
    if (!start_year)
        return oom(err);
    int rc = read_events(db, x, start_year, err);
    if (rc == 0)
        rc = number_years(x, start_year, err);
    free(start_year);
    if (rc != 0)
        return -1;
    shrink_values(x);
    return sort_values(x, err);
}

serve_links *serve_links_read(sqlite3 *db, char **err)
{
    *err = NULL;
    serve_links *x = calloc(1, sizeof(*x));
    if (!x) {
        oom(err);
        return NULL;
    }
    /* One snapshot for all the reads, whoever writes meanwhile. */
    bool own = sqlite3_get_autocommit(db) != 0;
    if (own && db_exec(db, "BEGIN", err) != 0) {
        free(x);
        return NULL;
    }
    int rc = read_all(db, x, err);
    if (own)
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);     /* read only: nothing to lose */
    if (rc != 0) {
        serve_links_free(x);
        return NULL;
    }
    return x;
}

bool serve_links_event(const serve_links *x, int64_t rowid, serve_event_links *e)
{
    if (rowid < 0 || (uint64_t)rowid >= x->nrowid || x->pos[rowid] == SERVE_LINKS_NONE)
        return false;
    uint32_t p = x->pos[rowid];
    for (int kind = 0; kind < SERVE_LINK_TYPES; kind++) {
        const link_kind *k = &x->k[kind];
        e->of[kind] = k->val + k->off[p];
        e->n[kind] = k->off[p + 1] - k->off[p];
    }
    e->actor_roles = x->k[SERVE_LINK_ACTORS].role ? x->k[SERVE_LINK_ACTORS].role +
                                                    x->k[SERVE_LINK_ACTORS].off[p] : NULL;
    e->of[SERVE_LINK_TYPES] = &x->type[p];
    e->n[SERVE_LINK_TYPES] = x->type[p] != SERVE_LINKS_NONE;
    e->year = x->year[p];
    return true;
}

size_t serve_links_values(const serve_links *x, serve_link_kind kind)
{
    return x->k[kind].ids.n;
}

const char *serve_links_id(const serve_links *x, serve_link_kind kind, uint32_t v)
{
    return x->k[kind].ids.keys[v];
}

uint32_t serve_links_sorted(const serve_links *x, serve_link_kind kind, size_t i)
{
    return x->k[kind].sorted[i];
}

size_t serve_links_years(const serve_links *x)
{
    return x->nyears;
}

int64_t serve_links_year(const serve_links *x, uint32_t y)
{
    return x->years[y];
}

size_t serve_links_bytes(const serve_links *x)
{
    size_t b = sizeof(*x) + x->nrowid * 4 + x->n * 8 + x->nyears * 8;
    for (int kind = 0; kind < SERVE_LINK_KINDS; kind++) {
        const link_kind *k = &x->k[kind];
        b += (k->off ? (x->n + 1) * 4 : 0) + k->cap * (k->role ? 8 : 4) + k->ids.n * 4;
    }
    return b;
}

uint32_t serve_links_role(const serve_links *x, const char *role)
{
    const size_t *r = strmap_get(&x->roles.map, role, strlen(role));
    return r ? (uint32_t)*r : SERVE_LINKS_NONE;
}
