/* reload.c - which files a load must read: all of them, or only those that changed since the last load.
 *
 * A database remembers each file's content fingerprint. When most files
 * are unchanged, a load keeps their rows, deletes the rows of the files
 * that changed or went away, and reads only the changed and new files.
 * The dataset-wide rules then look at what can be affected: references
 * from the files read (file ids from the plan's first_file on) and
 * references to ids that went away (temp.gone). Rules over small tables
 * (aliases, cycles) and the source warning run over everything, so a
 * reload reports exactly what a full load would. The fingerprints are this
 * file's too: the files table keeps them, and a load reads a file's content
 * through reload_read so that an editor's unsaved buffer counts as the file.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/reload.h"
#include "annals/util.h"

/* Above this share of changed files, reading everything is cheaper. */
#define MAX_CHANGED_SHARE 0.5

static const char temp_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS gone(kind TEXT NOT NULL, id TEXT NOT NULL);"
    "DELETE FROM temp.gone;";

/* Everything goes: the rows of every file. */
static const char clear_all_sql[] =
    "DELETE FROM event_figures; DELETE FROM event_sources; DELETE FROM event_tags;"
    "DELETE FROM event_places; DELETE FROM event_actors; DELETE FROM event_parents;"
    "DELETE FROM place_parents; DELETE FROM actor_parents; DELETE FROM place_names;"
    "DELETE FROM actor_names; INSERT INTO events_fts(events_fts) VALUES('delete-all');"
    "DELETE FROM events; DELETE FROM sources; DELETE FROM places; DELETE FROM actors;"
    "DELETE FROM files;";

/*
 * The events of the files in temp.stale leave the full-text index, before
 * their rows go, while events_text still gives the very texts that were
 * indexed (quotes and descriptions included).
 */
static const char unindex_stale_sql[] =
    "INSERT INTO events_fts(events_fts, rowid, title, summary, notes, quotes, descriptions) "
    " SELECT 'delete', t.* FROM events_text t JOIN events e ON e.rowid = t.event_rowid "
    " WHERE e.file_id IN stale;";

/* The rows of the files in temp.stale go; their ids are kept in temp.gone. */
static const char clear_stale_sql[] =
    "INSERT INTO gone SELECT 'actor', id FROM actors WHERE file_id IN stale;"
    "INSERT INTO gone SELECT 'place', id FROM places WHERE file_id IN stale;"
    "INSERT INTO gone SELECT 'source', id FROM sources WHERE file_id IN stale;"
    "INSERT INTO gone SELECT 'event', id FROM events WHERE file_id IN stale;"
    "DELETE FROM event_figures WHERE event_id IN (SELECT id FROM gone WHERE kind = 'event');"
    "DELETE FROM event_sources WHERE event_id IN (SELECT id FROM gone WHERE kind = 'event');"
    "DELETE FROM event_tags WHERE event_id IN (SELECT id FROM gone WHERE kind = 'event');"
    "DELETE FROM event_places WHERE event_id IN (SELECT id FROM gone WHERE kind = 'event');"
    "DELETE FROM event_actors WHERE event_id IN (SELECT id FROM gone WHERE kind = 'event');"
    "DELETE FROM event_parents WHERE event_id IN (SELECT id FROM gone WHERE kind = 'event');"
    "DELETE FROM actor_names WHERE actor_id IN (SELECT id FROM gone WHERE kind = 'actor');"
    "DELETE FROM actor_parents WHERE actor_id IN (SELECT id FROM gone WHERE kind = 'actor');"
    "DELETE FROM place_names WHERE place_id IN (SELECT id FROM gone WHERE kind = 'place');"
    "DELETE FROM place_parents WHERE place_id IN (SELECT id FROM gone WHERE kind = 'place');"
    "DELETE FROM events WHERE file_id IN stale; DELETE FROM sources WHERE file_id IN stale;"
    "DELETE FROM places WHERE file_id IN stale; DELETE FROM actors WHERE file_id IN stale;"
    "DELETE FROM files WHERE id IN stale; DROP TABLE temp.stale;";

/* The stored fingerprint of path, or NULL (a new file). The caller frees. */
static char *stored_hash(sqlite3_stmt *find, const char *path, sqlite3_int64 *id)
{
    sqlite3_bind_text(find, 1, path, -1, SQLITE_STATIC);
    char *h = NULL;
    if (sqlite3_step(find) == SQLITE_ROW) {
        *id = sqlite3_column_int64(find, 0);
        h = strdup((const char *)sqlite3_column_text(find, 1));
    }
    sqlite3_reset(find);
    return h;
}

/* A file's content fingerprint: util's hash (only equality matters). */
void reload_fingerprint(const char *buf, size_t len, char hex[17])
{
    snprintf(hex, 17, "%016llx", (unsigned long long)hash_bytes(buf, len));
}

char *reload_read(const load_options *opts, const char *path, size_t *len, size_t max)
{
    for (size_t i = 0; i < opts->noverlays; i++) {
        const load_overlay *o = &opts->overlays[i];
        if (strcmp(o->path, path) != 0)
            continue;
        if (o->len > max) {
            errno = EFBIG;
            return NULL;
        }
        char *buf = malloc(o->len + 1);
        if (!buf)
            return NULL;
        memcpy(buf, o->text, o->len);
        buf[o->len] = '\0';
        *len = o->len;
        return buf;
    }
    return file_read_all(path, len, max);
}

/*
 * Fingerprint every file (but those opts->unchanged vouches for); unchanged
 * ones are kept (plan->keep), the other files of the database go to temp.stale.
 */
static int compare(sqlite3 *db, char *const *files, size_t nfiles, const load_options *opts,
                   reload_plan *plan, char **err)
{
    sqlite3_stmt *find = NULL, *mark = NULL;
    if (db_exec(db, "CREATE TEMP TABLE stale(id INTEGER PRIMARY KEY);"
                    "CREATE TEMP TABLE seen(id INTEGER PRIMARY KEY);", err) ||
        db_prepare(db, "SELECT id, hash FROM files WHERE path = ?", &find, err) ||
        db_prepare(db, "INSERT INTO temp.seen VALUES (?)", &mark, err)) {
        sqlite3_finalize(find);
        return -1;
    }
    for (size_t i = 0; i < nfiles; i++) {
        sqlite3_int64 id = 0;
        char *old = stored_hash(find, files[i], &id), hash[17];
        size_t len;
        /* A file the caller vouches for is kept unread, unless it had a problem (''). */
        bool same = old && old[0] && opts->unchanged && opts->unchanged[i];
        char *buf = old && !same ? reload_read(opts, files[i], &len, (size_t)-1) : NULL;
        if (buf) {
            reload_fingerprint(buf, len, hash);
            same = strcmp(hash, old) == 0;
        }
        if (same) {
            plan->keep[i] = true;
            plan->kept++;
            sqlite3_bind_int64(mark, 1, id);
            sqlite3_step(mark);
            sqlite3_reset(mark);
        }
        free(buf);
        free(old);
    }
    sqlite3_finalize(find);
    sqlite3_finalize(mark);
    return db_exec(db, "INSERT INTO temp.stale SELECT id FROM files WHERE id NOT IN "
                       "temp.seen; DROP TABLE temp.seen;", err);
}

static int plan(sqlite3 *db, char *const *files, size_t nfiles, const load_options *opts,
                reload_plan *p, char **err)
{
    if (db_exec(db, temp_sql, err) != 0)
        return -1;
    long long stored = 0;
    sqlite3_stmt *st;
    if (db_prepare(db, "SELECT count(*) FROM files", &st, err) != 0)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        stored = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);

    if (opts->commit && stored > 0) {
        if (compare(db, files, nfiles, opts, p, err) != 0)
            return -1;
        p->incremental =
            (double)(nfiles - p->kept) <= MAX_CHANGED_SHARE * (double)nfiles &&
            (double)((size_t)stored - p->kept) <= MAX_CHANGED_SHARE * (double)stored;
        p->kept_clean = p->incremental && opts->keep_errors;
    }
    if (!p->incremental) {
        memset(p->keep, 0, nfiles * sizeof(*p->keep));
        p->kept = 0;
        if (db_exec(db, "DROP TABLE IF EXISTS temp.stale", err) ||
            db_exec(db, clear_all_sql, err))
            return -1;
    } else if ((p->text_index && db_exec(db, unindex_stale_sql, err)) ||
               db_exec(db, clear_stale_sql, err)) {
        return -1;
    }
    /* New files get ids after every kept one. */
    if (db_prepare(db, "SELECT coalesce(max(id), 0) + 1 FROM files", &st, err) != 0)
        return -1;
    p->first_file = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 1;
    sqlite3_finalize(st);
    return 0;
}

int reload_plan_make(sqlite3 *db, char *const *files, size_t nfiles,
                     const load_options *opts, reload_plan *p, char **err)
{
    memset(p, 0, sizeof(*p));
    p->text_index = !opts->no_text_index;
    if (!(p->keep = calloc(nfiles + 1, sizeof(*p->keep)))) {
        *err = str_printf("out of memory");
        return -1;
    }
    if (plan(db, files, nfiles, opts, p, err) != 0) {
        reload_plan_free(p);
        return -1;
    }
    return 0;
}

void reload_plan_free(reload_plan *p)
{
    free(p->keep);
    memset(p, 0, sizeof(*p));
}

int reload_finish(sqlite3 *db, const reload_plan *p, char **err)
{
    /*
     * An event's row holds its actors' descriptions: when an actor changed
     * (read again, or gone), rows of unchanged files may hold old ones, and
     * the whole index is built again.
     */
    static const char actors_changed[] =
        "SELECT EXISTS (SELECT 1 FROM temp.gone WHERE kind = 'actor') OR "
        "EXISTS (SELECT 1 FROM actors WHERE file_id >= ?)";
    if (!p->text_index)
        return 0;
    bool rebuild = !p->incremental;
    if (p->incremental) {
        sqlite3_stmt *st;
        if (db_prepare(db, actors_changed, &st, err) != 0)
            return -1;
        sqlite3_bind_int64(st, 1, p->first_file);
        int rc = sqlite3_step(st);
        rebuild = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW) {
            *err = db_error(db, actors_changed);
            return -1;
        }
    }
    if (rebuild)
        return db_exec(db, "INSERT INTO events_fts(events_fts) VALUES('rebuild')", err);
    char *sql = str_printf("INSERT INTO events_fts(rowid, title, summary, notes, quotes, "
                           "descriptions) SELECT t.* FROM events_text t JOIN events e ON "
                           "e.rowid = t.event_rowid WHERE e.file_id >= %lld",
                           (long long)p->first_file);
    if (!sql) {
        *err = str_printf("out of memory");
        return -1;
    }
    int rc = db_exec(db, sql, err);
    free(sql);
    return rc;
}
