/* db.c - the annals SQLite database: open safely, create the schema, transactions, statements. */
#include "annals/db.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "annals/util.h"

extern const char annals_schema_sql[];

char *db_error(sqlite3 *db, const char *sql)
{
    const char *msg = db ? sqlite3_errmsg(db) : "out of memory";
    if (!sql)
        return str_printf("%s", msg);
    /* Keep the SQL short and on one line in the message. */
    char shown[120];
    size_t n = 0;
    for (const char *p = sql; *p && n < sizeof(shown) - 4; p++) {
        char c = (*p == '\n' || *p == '\t') ? ' ' : *p;
        if (c == ' ' && n && shown[n - 1] == ' ')
            continue;
        shown[n++] = c;
    }
    shown[n] = '\0';
    return str_printf("%s (in: %s%s)", msg, shown, strlen(sql) > n ? "..." : "");
}

int db_fail(sqlite3 *db, const char *sql, char **err)
{
    if (!*err)
        *err = db_error(db, sql);
    return -1;
}

int db_exec(sqlite3 *db, const char *sql, char **err)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        *err = db_error(db, sql);
        return -1;
    }
    return 0;
}

int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **stmt, char **err)
{
    if (sqlite3_prepare_v2(db, sql, -1, stmt, NULL) != SQLITE_OK) {
        *err = db_error(db, sql);
        sqlite3_finalize(*stmt);
        *stmt = NULL;
        return -1;
    }
    return 0;
}

int db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

static void sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv, int strip)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    int n = sqlite3_value_bytes(argv[0]);
    char *f = strip ? text_fold(s, (size_t)n) : text_lower(s, (size_t)n);
    if (!f) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    sqlite3_result_text(ctx, f, -1, free);
}

static void sql_fold_marks(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    sql_fold(ctx, argc, argv, 1);
}

static void sql_lower(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    sql_fold(ctx, argc, argv, 0);
}

/* Reads one integer PRAGMA; -1 on failure (for instance: not a database). */
static int pragma_int(sqlite3 *db, const char *sql, long long *v)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

static int check_identity(sqlite3 *db, const char *path, long long *version, char **err);

/*
 * Give an empty database the schema. Under the write lock (a second
 * process doing the same waits), and only when it is still empty then:
 * otherwise the other one created it, and it is checked like any database.
 */
static int create_schema(sqlite3 *db, const char *path, char **err)
{
    long long tables = 0;
    if (db_exec(db, "BEGIN IMMEDIATE", err) != 0)
        return -1;
    if (pragma_int(db, "SELECT count(*) FROM sqlite_schema", &tables) != 0) {
        *err = db_error(db, NULL);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    if (tables > 0) {
        long long version;
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return check_identity(db, path, &version, err);
    }
    char *sql = str_printf("%s\nPRAGMA application_id = %d;\nPRAGMA user_version = %d;\nCOMMIT;",
                           annals_schema_sql, DB_APPLICATION_ID, DB_SCHEMA_VERSION);
    if (!sql) {
        *err = str_printf("out of memory");
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    int rc = db_exec(db, sql, err);
    free(sql);
    if (rc)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

bool db_schema_has(const char *statement)
{
    size_t n = statement ? strlen(statement) : 0;
    if (n == 0)
        return false;
    for (const char *p = strstr(annals_schema_sql, statement); p; p = strstr(p + 1, statement))
        if ((p == annals_schema_sql || p[-1] == '\n') && p[n] == ';')
            return true;
    return false;
}

/*
 * Check that an open, non-empty database is one of ours and of a version we
 * read; *version gets its schema version. 0, or -1 with *err; 1 for a
 * SQLite database with nothing in it.
 */
static int check_identity(sqlite3 *db, const char *path, long long *version, char **err)
{
    long long app = 0, tables = 0;
    if (pragma_int(db, "PRAGMA application_id", &app) != 0 ||
        pragma_int(db, "SELECT count(*) FROM sqlite_schema", &tables) != 0) {
        *err = str_printf("'%s' is not an annals database (%s); refusing to touch it",
                          path, sqlite3_errmsg(db));
        return -1;
    }
    if (app == 0 && tables == 0)
        return 1;   /* an empty SQLite database (another load is making it): nothing to lose */
    if (app != DB_APPLICATION_ID) {
        *err = str_printf("'%s' is a SQLite database but not an annals database "
                          "(application_id %lld); refusing to touch it", path, app);
        return -1;
    }
    pragma_int(db, "PRAGMA user_version", version);
    if (*version > DB_SCHEMA_VERSION) {
        *err = str_printf("'%s' has schema version %lld, newer than this annals "
                          "understands (%d); upgrade annals", path, *version,
                          DB_SCHEMA_VERSION);
        return -1;
    }
    if (*version < 1) {
        *err = str_printf("'%s' has schema version %lld, which this annals cannot "
                          "migrate; load the dataset into a new database", path, *version);
        return -1;
    }
    return 0;
}

/*
 * WAL: readers see the last commit while a load runs. synchronous NORMAL:
 * a commit is durable at the next checkpoint; after a power loss the
 * database is as before the load or after it, never in between.
 */
static const char wal_sql[] = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL";

/*
 * db_exec, retried while another connection holds a lock that SQLite does
 * not wait for itself: switching a new database to WAL needs it alone for
 * a moment, while a second load may be reading it.
 */
static int exec_waiting(sqlite3 *db, const char *sql, char **err)
{
    for (int waited = 0, step = 1;; waited += step, step = step < 64 ? step * 2 : 100) {
        int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return 0;
        if ((rc & 0xff) != SQLITE_BUSY || waited >= DB_LOAD_WAIT_MS)
            break;
        sqlite3_sleep(step);
    }
    *err = db_error(db, sql);
    return -1;
}

/*
 * Before SQLite's first use: no memory statistics (they take a global mutex
 * on every allocation, and annals never reads them). Harmless when SQLite
 * was already initialized by the host program: the call is then refused.
 */
static void sqlite_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Why a file cannot be created at path (errno from open), as a new message. */
static char *create_error(const char *path, int e)
{
    const char *slash = strrchr(path, '/');
    int dir_len = slash ? (int)(slash - path) : 0;
    if (slash && dir_len == 0)
        dir_len = 1;   /* "/x.db": the root */
    if (slash && e == ENOENT)
        return str_printf("cannot create database '%s': folder '%.*s' does not exist", path,
                          dir_len, path);
    if (slash && e == ENOTDIR)
        return str_printf("cannot create database '%s': '%.*s' is not a folder", path, dir_len,
                          path);
    return str_printf("cannot create database '%s': %s", path, strerror(e));
}

/*
 * Create the annals database at path, which does not exist, atomically:
 * it is built whole under a temporary name in the same folder and linked
 * into place only then, so the path never names a half-made database.
 * link() fails when path exists: another load created it meanwhile, which
 * is as good (it is then opened and checked as any database). Where the
 * file system has no hard links, a rename is the fallback. -1 and *err on
 * failure; the temporary file is removed in every case.
 */
static int create_database(const char *path, char **err)
{
    static unsigned counter;
    char *tmp = NULL;
    int fd = -1;
    for (int attempt = 0; fd < 0 && attempt < 100; attempt++) {
        free(tmp);
        tmp = str_printf("%s.%ld-%u.new", path, (long)getpid(),
                         __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED));
        if (!tmp) {
            *err = str_printf("out of memory");
            return -1;
        }
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) {
            *err = create_error(path, errno);
            free(tmp);
            return -1;
        }
    }
    if (fd < 0) {
        *err = create_error(path, EEXIST);
        free(tmp);
        return -1;
    }
    close(fd);
    sqlite3 *db;
    int rc = db_open(tmp, DB_WRITE, &db, err);
    if (rc == 0) {
        db_close(db);   /* the last connection: the WAL is folded in and removed */
        if (link(tmp, path) != 0 && errno != EEXIST) {
            int e = errno;
            struct stat st;
            bool no_links = e == EPERM || e == EOPNOTSUPP || e == ENOSYS || e == EMLINK;
            if (!(no_links && stat(path, &st) != 0 && errno == ENOENT &&
                  rename(tmp, path) == 0)) {
                *err = create_error(path, e);
                rc = -1;
            }
        }
    }
    unlink(tmp);
    free(tmp);
    return rc;
}

int db_open(const char *path, db_mode mode, sqlite3 **out, char **err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_setup);
    *out = NULL;
    *err = NULL;
    bool fresh = false;
    int flags;
    if (mode == DB_TEMP) {
        path = "";
        flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        fresh = true;
    } else {
        struct stat st;
        int found = stat(path, &st);
        if (found != 0 && (errno == ENOENT || errno == ENOTDIR) && mode == DB_WRITE) {
            if (create_database(path, err) != 0)
                return -1;
            found = stat(path, &st);
        }
        if (found != 0) {
            *err = str_printf("cannot open database '%s': %s", path, strerror(errno));
            return -1;
        } else if (S_ISDIR(st.st_mode)) {
            *err = str_printf("cannot open database '%s': it is a directory", path);
            return -1;
        } else if (!S_ISREG(st.st_mode)) {
            /* A device, pipe or socket: SQLite would read it as an empty database. */
            *err = str_printf("cannot open database '%s': not a regular file", path);
            return -1;
        } else if (st.st_size == 0) {
            if (mode == DB_READ) {
                *err = str_printf("database '%s' is empty; fill it first with "
                                  "'annals load --db %s'", path, path);
                return -1;
            }
            fresh = true;
        }
        flags = mode == DB_READ ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    }
    /*
     * NOMUTEX: a connection is used by one thread at a time (the loader's
     * writer thread takes it over while the reader parses, and hands it
     * back through its own mutex), so SQLite's per-call locking is waste.
     */
    flags |= SQLITE_OPEN_NOMUTEX;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        *err = str_printf("cannot open database '%s': %s", path,
                          db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -1;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, mode == DB_WRITE ? DB_LOAD_WAIT_MS : DB_BUSY_TIMEOUT_MS);
    /*
     * The file may be hostile: no statement it holds (a trigger, a view, an
     * index definition) may reach another file through ATTACH, rewrite the
     * schema behind SQLite's back, or call a function with side effects.
     */
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    const int fn_flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    if (sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL) != SQLITE_OK ||
        sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL) != SQLITE_OK ||
        sqlite3_create_function(db, "annals_fold", 1, fn_flags, NULL, sql_fold_marks, NULL,
                                NULL) != SQLITE_OK ||
        sqlite3_create_function(db, "annals_lower", 1, fn_flags, NULL, sql_lower, NULL,
                                NULL) != SQLITE_OK) {
        *err = db_error(db, NULL);
        sqlite3_close(db);
        return -1;
    }
    long long version;
    int rc = fresh ? 0 : check_identity(db, path, &version, err);
    if (rc == 1 && mode == DB_WRITE) {
        fresh = true;
        rc = 0;
    } else if (rc == 1) {
        *err = str_printf("database '%s' is empty; fill it first with 'annals load --db %s'",
                          path, path);
        rc = -1;
    }
    /* A bounded page cache: memory must not grow with the dataset. */
    if (!rc)
        rc = db_exec(db, mode == DB_TEMP ? "PRAGMA cache_size = -32768; "
                                           "PRAGMA journal_mode = MEMORY; "
                                           "PRAGMA synchronous = OFF"
                                         : "PRAGMA cache_size = -32768", err);
    if (!rc && mode == DB_WRITE)
        rc = exec_waiting(db, wal_sql, err);
    if (!rc && fresh)
        rc = create_schema(db, path, err);
    if (rc) {
        sqlite3_close(db);
        return -1;
    }
    *out = db;
    return 0;
}

/* SQLite's busy handler with a waiter: sleeps up to the waiter's timeout, tells once. */
static int wait_busy(void *arg, int count)
{
    db_waiter *w = arg;
    if (count == 0)
        w->waited_ms = 0;
    if (w->waited_ms >= w->timeout_ms)
        return 0;
    if (!w->told && w->waited_ms >= DB_WAIT_NOTICE_MS && w->notice) {
        w->told = true;
        w->notice(w->ctx);
    }
    int step = count < 7 ? 1 << count : 100;   /* 1, 2, 4 ... 64 ms, then 100 */
    sqlite3_sleep(step);
    w->waited_ms += step;
    return 1;
}

void db_set_waiter(sqlite3 *db, db_waiter *w)
{
    w->waited_ms = 0;
    w->told = false;
    sqlite3_busy_handler(db, wait_busy, w);
}

int db_empty_wal(sqlite3 *db, int wait_ms)
{
    sqlite3_busy_timeout(db, wait_ms);
    return sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) ==
                   SQLITE_OK ? 0 : -1;
}

void db_close(sqlite3 *db)
{
    /* close_v2: a statement still open (a bug) delays the close, never crashes it. */
    sqlite3_close_v2(db);
}

/*
 * The steps from each older schema version to the next, in order: steps[0]
 * turns version 1 into 2. Version 1 ordered events with equal lower bounds
 * wider span first; version 2 puts what ends first first, and its index
 * events_chrono follows. Version 3's full-text index also holds an event's
 * notes, its sources' quotes and its actors' descriptions (the view
 * events_text), rebuilt here so that a reload finds every event in it.
 */
static const char *const migrations[DB_SCHEMA_VERSION - 1] = {
    "DROP INDEX IF EXISTS events_chrono;\n"
    "CREATE INDEX events_chrono ON events(lower, upper, id);\n"
    "PRAGMA user_version = 2;",
    "DROP TABLE IF EXISTS events_fts;\n"
    "DROP VIEW IF EXISTS events_text;\n"
    "CREATE VIEW events_text(event_rowid, title, summary, notes, quotes, descriptions) AS\n"
    "SELECT e.rowid, e.title, e.summary, e.notes,\n"
    "       (SELECT group_concat(quote, ' ') FROM (SELECT quote FROM event_sources\n"
    "         WHERE event_id = e.id ORDER BY seq)),\n"
    "       (SELECT group_concat(description, ' ') FROM (SELECT a.description FROM event_actors x\n"
    "         JOIN actors a ON a.id = x.actor_id WHERE x.event_id = e.id ORDER BY x.seq))\n"
    "FROM events e;\n"
    "CREATE VIRTUAL TABLE events_fts USING fts5(\n"
    "    title, summary, notes, quotes, descriptions,\n"
    "    content='events_text', content_rowid='event_rowid',\n"
    "    tokenize='unicode61 remove_diacritics 2'\n"
    ");\n"
    "INSERT INTO events_fts(events_fts) VALUES('rebuild');\n"
    "PRAGMA user_version = 3;",
};

int db_migrate(sqlite3 *db, char **err)
{
    long long version = 0;
    if (pragma_int(db, "PRAGMA user_version", &version) != 0) {
        *err = db_error(db, "PRAGMA user_version");
        return -1;
    }
    for (long long v = version; v >= 1 && v < DB_SCHEMA_VERSION; v++)
        if (db_exec(db, migrations[v - 1], err) != 0)
            return -1;
    return 0;
}
