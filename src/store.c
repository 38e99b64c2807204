/* store.c - the database side of a load: prepared statements, the writer thread that runs the readers' rows, duplicate ids. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/store.h"
#include "annals/util.h"

/* The statements: one per row kind (rows.h), then those of the duplicate rule. */
enum {
    ST_FIND_ACTOR = ROW_KINDS, ST_FIND_PLACE, ST_FIND_SOURCE, ST_FIND_EVENT, ST_FILE_PATH,
    ST_SKIPPED_REF,     /* a reference of a duplicate record, kept only to be checked */
    ST_COUNT
};

/* Where the record that holds an id already is: path, line, col. */
#define FIND_FIRST(table) \
    "SELECT f.path, t.line, t.col FROM " table " t JOIN files f ON f.id = t.file_id WHERE t.id = ?"

static const char *const stmt_sql[ST_COUNT] = {
    [ROW_FILE] = "INSERT INTO files(id, path, hash, size) VALUES (?, ?, ?, ?)",
    [ROW_ACTOR] = "INSERT INTO actors(id, name, kind, description, file_id, line, col) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)",
    [ROW_PLACE] = "INSERT INTO places(id, name, kind, lat, lon, file_id, line, col) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [ROW_SOURCE] = "INSERT INTO sources(id, title, publisher, author, published, accessed, "
                   "url, notes, file_id, line, col) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [ROW_EVENT] = "INSERT INTO events(id, date, lower, upper, precision, uncertain, "
                  "approximate, title, summary, type, notes, file_id, line, col) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [ROW_ACTOR_NAME] = "INSERT INTO actor_names(actor_id, name, key, folded, is_alias, line, "
                       "col) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [ROW_PLACE_NAME] = "INSERT INTO place_names(place_id, name, key, folded, is_alias, line, "
                       "col) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [ROW_ACTOR_PARENT] = "INSERT OR IGNORE INTO actor_parents(actor_id, parent_id, line, col) "
                         "VALUES (?, ?, ?, ?)",
    [ROW_PLACE_PARENT] = "INSERT OR IGNORE INTO place_parents(place_id, parent_id, line, col) "
                         "VALUES (?, ?, ?, ?)",
    [ROW_EVENT_PARENT] = "INSERT OR IGNORE INTO event_parents(event_id, parent_id, line, col) "
                         "VALUES (?, ?, ?, ?)",
    [ROW_EVENT_ACTOR] = "INSERT INTO event_actors(event_id, seq, actor_id, role, line, col) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
    [ROW_EVENT_PLACE] = "INSERT INTO event_places(event_id, seq, place_id, line, col) "
                        "VALUES (?, ?, ?, ?, ?)",
    [ROW_EVENT_TAG] = "INSERT INTO event_tags(event_id, seq, tag) VALUES (?, ?, ?)",
    [ROW_EVENT_SOURCE] = "INSERT INTO event_sources(event_id, seq, source_id, quote, locator, "
                         "line, col) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [ROW_EVENT_FIGURE] = "INSERT INTO event_figures(event_id, seq, name, value, low, high, "
                         "unit) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [ROW_UNREADABLE] = "INSERT INTO temp.unreadable(kind, id) VALUES (?, ?)",
    [ST_FIND_ACTOR] = FIND_FIRST("actors"),
    [ST_FIND_PLACE] = FIND_FIRST("places"),
    [ST_FIND_SOURCE] = FIND_FIRST("sources"),
    [ST_FIND_EVENT] = FIND_FIRST("events"),
    [ST_FILE_PATH] = "SELECT path FROM files WHERE id = ?",
    [ST_SKIPPED_REF] = "INSERT INTO temp.skipped_refs(link, ref, file_id, line, col) "
                       "VALUES (?, ?, ?, ?, ?)",
};

struct store {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
    row_queue *queue;
    pthread_t thread;
    bool threaded;
    size_t readers;
    /* The writer's own: touched only by whoever runs the rows (its thread,
       or the reader in place), read by store_close after the join. */
    diag_list *dl;      /* duplicates, moved to the load's list at the end */
    char *err;
    bool skip;          /* the last main row was a duplicate: skip its links */
    int64_t skip_file;  /* the duplicate's file id */
    bool broken;        /* a statement failed: run nothing more */
};

/* ---- Duplicate ids --------------------------------------------------------- */

/* The path of a file id (registered by an earlier row), or "?". */
static const char *file_path(store *s, int64_t id, char *buf, size_t size)
{
    sqlite3_stmt *st = s->st[ST_FILE_PATH];
    sqlite3_bind_int64(st, 1, id);
    snprintf(buf, size, "%s",
             sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "?");
    sqlite3_reset(st);
    return buf;
}

/*
 * A second definition of an id. The error goes to the later of the two in
 * (path, line, column) order, the note to the earlier: what a full load
 * reads first, even when a reload inserts the later one first.
 */
static void duplicate(store *s, const row *r)
{
    static const struct {
        int kind, find;
        const char *noun;
    } kinds[] = {{ROW_ACTOR, ST_FIND_ACTOR, "actor"},
                 {ROW_PLACE, ST_FIND_PLACE, "place"},
                 {ROW_SOURCE, ST_FIND_SOURCE, "source"},
                 {ROW_EVENT, ST_FIND_EVENT, "event"}};
    size_t k = 0;
    while (kinds[k].kind != (int)r->kind)
        k++;
    /* Main rows end with file_id, line, col; the id comes first. */
    const row_value *v = r->v;
    size_t n = r->n;
    char path[4096], first[4096];
    file_path(s, v[n - 3].i, path, sizeof(path));
    int line = (int)v[n - 2].i, col = (int)v[n - 1].i, fline = 0, fcol = 0;
    sqlite3_stmt *f = s->st[kinds[k].find];
    sqlite3_bind_text(f, 1, v[0].s, (int)v[0].n, SQLITE_STATIC);
    snprintf(first, sizeof(first), "?");
    if (sqlite3_step(f) == SQLITE_ROW) {
        snprintf(first, sizeof(first), "%s", (const char *)sqlite3_column_text(f, 0));
        fline = sqlite3_column_int(f, 1);
        fcol = sqlite3_column_int(f, 2);
    }
    sqlite3_reset(f);
    int c = strcmp(first, path);
    bool swap = c > 0 || (c == 0 && (fline > line || (fline == line && fcol > col)));
    diag_add(s->dl, DIAG_ERROR, swap ? first : path, swap ? fline : line, swap ? fcol : col,
             (int)v[0].n, "give one of them another id, or merge the two",
             "duplicate %s id '%.*s'", kinds[k].noun, (int)v[0].n, v[0].s);
    char *id = strndup(v[0].s, v[0].n);
    diag_detail(s->dl, DIAG_ABOUT_DUPLICATE_ID, kinds[k].noun, id, NULL);
    free(id);
    diag_note(s->dl, swap ? path : first, swap ? line : fline, swap ? col : fcol,
              "first defined here");
}

/* ---- Running rows ---------------------------------------------------------- */

static bool is_main(enum row_kind kind)
{
    return kind == ROW_ACTOR || kind == ROW_PLACE || kind == ROW_SOURCE || kind == ROW_EVENT;
}

static void fail_with(store *s, sqlite3_stmt *st)
{
    if (!s->err)
        s->err = db_error(s->db, sqlite3_sql(st));
    s->broken = true;
}

/*
 * The rows that hold a reference: the link table's name and the
 * reference's value; each such row ends with the reference's line, col.
 */
static const struct {
    enum row_kind kind;
    const char *link;
    size_t ref;
} ref_rows[] = {
    {ROW_EVENT_ACTOR, "event_actors", 2},   {ROW_EVENT_PLACE, "event_places", 2},
    {ROW_EVENT_SOURCE, "event_sources", 2}, {ROW_EVENT_PARENT, "event_parents", 1},
    {ROW_ACTOR_PARENT, "actor_parents", 1}, {ROW_PLACE_PARENT, "place_parents", 1},
};

/*
 * A link of a duplicate record: not stored, but its reference goes to
 * temp.skipped_refs, where crossref.c looks for unknown ids: a duplicate is
 * checked fully.
 */
static void skipped_row(store *s, const row *r)
{
    size_t k = 0, nrules = sizeof(ref_rows) / sizeof(ref_rows[0]);
    while (k < nrules && ref_rows[k].kind != r->kind)
        k++;
    if (k == nrules || r->n < ref_rows[k].ref + 3 || r->v[ref_rows[k].ref].tag != 'T')
        return;
    sqlite3_stmt *st = s->st[ST_SKIPPED_REF];
    const row_value *ref = &r->v[ref_rows[k].ref];
    sqlite3_bind_text(st, 1, ref_rows[k].link, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ref->s, (int)ref->n, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, s->skip_file);
    sqlite3_bind_int64(st, 4, r->v[r->n - 2].i);
    sqlite3_bind_int64(st, 5, r->v[r->n - 1].i);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        fail_with(s, st);
}

static void run_row(store *s, const row *r)
{
    if (r->kind == ROW_UNREADABLE) {
        /* belongs to no record: never a duplicate's link */
    } else if (r->kind == ROW_FILE || is_main(r->kind)) {
        s->skip = false;
    } else if (s->skip) {
        skipped_row(s, r);
        return;
    }
    sqlite3_stmt *st = s->st[r->kind];
    for (size_t i = 0; i < r->n; i++) {
        int col = (int)i + 1;
        const row_value *x = &r->v[i];
        switch (x->tag) {
        case 'I': sqlite3_bind_int64(st, col, x->i); break;
        case 'D': sqlite3_bind_double(st, col, x->d); break;
        case 'T': sqlite3_bind_text(st, col, x->s, (int)x->n, SQLITE_STATIC); break;
        default: sqlite3_bind_null(st, col); break;
        }
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        /* inserted */
    } else if ((rc & 0xff) == SQLITE_CONSTRAINT && is_main(r->kind)) {
        duplicate(s, r);
        s->skip = true;
        s->skip_file = r->v[r->n - 3].i;
    } else {
        fail_with(s, st);
    }
}

/* row_sink: run the rows of c in order; false once a statement has failed. */
static bool run_chunk(void *ctx, const row_chunk *c)
{
    store *s = ctx;
    row r;
    for (size_t pos = 0; !s->broken && row_chunk_next(c, &pos, &r);)
        run_row(s, &r);
    return !s->broken;
}

static void *writer_main(void *arg)
{
    store *s = arg;
    row_chunk *c;
    while ((c = row_queue_pop(s->queue)) != NULL) {
        bool ok = !s->broken && run_chunk(s, c);
        row_chunk_free(c);
        if (!ok)
            row_queue_fail(s->queue);
    }
    return NULL;
}

/* ---- Life cycle ------------------------------------------------------------ */

static void finalize_all(store *s)
{
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
}

store *store_open(sqlite3 *db, char **err)
{
    store *s = calloc(1, sizeof(*s));
    if (!s || !(s->dl = diag_list_new())) {
        free(s);
        *err = str_printf("out of memory");
        return NULL;
    }
    s->db = db;
    /* The references of duplicate records, for crossref.c (see skipped_row);
       the ids parts lost to syntax errors may define (ROW_UNREADABLE). Both
       are this load's only: a file with a syntax error is read again by the
       next load (it is not kept, or kept with no fingerprint). */
    static const char skipped_sql[] =
        "CREATE TEMP TABLE IF NOT EXISTS skipped_refs(link TEXT NOT NULL, ref TEXT NOT NULL,"
        " file_id INTEGER NOT NULL, line INTEGER NOT NULL, col INTEGER NOT NULL);"
        "DELETE FROM temp.skipped_refs;"
        "CREATE TEMP TABLE IF NOT EXISTS unreadable(kind TEXT NOT NULL, id TEXT NOT NULL);"
        "DELETE FROM temp.unreadable;";
    if (db_exec(db, skipped_sql, err) != 0) {
        diag_list_free(s->dl);
        free(s);
        return NULL;
    }
    for (int i = 0; i < ST_COUNT; i++) {
        if (db_prepare(db, stmt_sql[i], &s->st[i], err) != 0) {
            finalize_all(s);
            diag_list_free(s->dl);
            free(s);
            return NULL;
        }
    }
    /* ANNALS_THREADS: 0 no thread, 1 the writer's only, else two readers too. */
    const char *env = getenv("ANNALS_THREADS");
    bool want = !(env && strcmp(env, "0") == 0);
    s->queue = row_queue_new(want, run_chunk, s);
    if (!s->queue) {
        *err = str_printf("out of memory");
        store_close(s, NULL, err);
        return NULL;
    }
    s->threaded = want && pthread_create(&s->thread, NULL, writer_main, s) == 0;
    if (want && !s->threaded) {
        /* No thread to be had: the readers hand their chunks over in place. */
        row_queue_free(s->queue);
        if (!(s->queue = row_queue_new(false, run_chunk, s))) {
            *err = str_printf("out of memory");
            store_close(s, NULL, err);
            return NULL;
        }
    }
    s->readers = s->threaded && !(env && strcmp(env, "1") == 0) ? 2 : 1;
    return s;
}

row_queue *store_queue(store *s)
{
    return s->queue;
}

size_t store_readers(const store *s)
{
    return s->readers;
}

int store_close(store *s, diag_list *dl, char **err)
{
    if (!s)
        return 0;
    if (s->threaded) {
        row_queue_close(s->queue);
        pthread_join(s->thread, NULL);
    }
    row_queue_free(s->queue);
    finalize_all(s);
    if (dl)
        diag_list_move(dl, s->dl);
    diag_list_free(s->dl);
    int rc = s->err ? -1 : 0;
    if (s->err && !*err)
        *err = s->err;
    else
        free(s->err);
    free(s);
    return rc;
}
