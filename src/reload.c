/* reload.c - which files a load must read: all of them, or only those that changed since the last load.
 *
 * A database remembers each file's content fingerprint. When most files
 * are unchanged, a load keeps their rows, deletes the rows of the files
 * that changed or went away, and reads only the changed and new files.
 * The dataset-wide rules then look at what can be affected: references
 * from the files read (file ids from L->first_file on) and references to
 * ids that went away (temp.gone). Rules over small tables (aliases, cycles) and the
 * source warning run over everything, so a reload reports exactly what a
 * full load would.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/util.h"
#include "load_internal.h"

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
    "INSERT INTO events_fts(events_fts, rowid, title, summary) "
    " SELECT 'delete', rowid, title, summary FROM events WHERE file_id IN stale;"
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

int reload_plan(loader *L, char *const *files, size_t nfiles, const load_options *opts,
                bool *keep, bool *incremental)
{
    bool allow = opts->commit;
    *incremental = false;
    memset(keep, 0, nfiles * sizeof(*keep));
    if (db_exec(L->db, temp_sql, &L->err) != 0)
        return -1;
    long long stored = 0;
    sqlite3_stmt *st;
    if (db_prepare(L->db, "SELECT count(*) FROM files", &st, &L->err) != 0)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        stored = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);

    size_t kept = 0;
    if (allow && stored > 0) {
        /* Fingerprint every file; unchanged ones are kept, the rest are stale. */
        sqlite3_stmt *find = NULL, *mark = NULL;
        if (db_exec(L->db, "CREATE TEMP TABLE stale(id INTEGER PRIMARY KEY);"
                           "CREATE TEMP TABLE seen(id INTEGER PRIMARY KEY);", &L->err) ||
            db_prepare(L->db, "SELECT id, hash FROM files WHERE path = ?", &find, &L->err) ||
            db_prepare(L->db, "INSERT INTO temp.seen VALUES (?)", &mark, &L->err)) {
            sqlite3_finalize(find);
            return -1;
        }
        for (size_t i = 0; i < nfiles; i++) {
            sqlite3_int64 id = 0;
            char *old = stored_hash(find, files[i], &id), hash[17];
            size_t len;
            char *buf = old ? load_read(opts, files[i], &len, (size_t)-1) : NULL;
            if (buf) {
                load_hash_hex(buf, len, hash);
                if (strcmp(hash, old) == 0) {
                    keep[i] = true;
                    kept++;
                    sqlite3_bind_int64(mark, 1, id);
                    sqlite3_step(mark);
                    sqlite3_reset(mark);
                }
            }
            free(buf);
            free(old);
        }
        sqlite3_finalize(find);
        sqlite3_finalize(mark);
        if (db_exec(L->db, "INSERT INTO temp.stale SELECT id FROM files WHERE id NOT IN "
                           "temp.seen; DROP TABLE temp.seen;", &L->err))
            return -1;
        *incremental = (double)(nfiles - kept) <= MAX_CHANGED_SHARE * (double)nfiles &&
                       (double)((size_t)stored - kept) <= MAX_CHANGED_SHARE * (double)stored;
    }
    if (!*incremental) {
        memset(keep, 0, nfiles * sizeof(*keep));
        if (db_exec(L->db, "DROP TABLE IF EXISTS temp.stale", &L->err) ||
            db_exec(L->db, clear_all_sql, &L->err))
            return -1;
    } else if (db_exec(L->db, clear_stale_sql, &L->err)) {
        return -1;
    }
    /* New files get ids after every kept one. */
    if (db_prepare(L->db, "SELECT coalesce(max(id), 0) + 1 FROM files", &st, &L->err) != 0)
        return -1;
    L->first_file = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 1;
    sqlite3_finalize(st);
    return 0;
}

int reload_finish(loader *L, bool incremental)
{
    if (!incremental)
        return db_exec(L->db, "INSERT INTO events_fts(events_fts) VALUES('rebuild')", &L->err);
    char *sql = str_printf("INSERT INTO events_fts(rowid, title, summary) SELECT rowid, "
                           "title, summary FROM events WHERE file_id >= %lld",
                           (long long)L->first_file);
    if (!sql) {
        L->err = str_printf("out of memory");
        return -1;
    }
    int rc = db_exec(L->db, sql, &L->err);
    free(sql);
    return rc;
}
