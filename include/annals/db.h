/* db.h - the annals SQLite database: open safely, create the schema, transactions, statements. */
#ifndef ANNALS_DB_H
#define ANNALS_DB_H

#include <sqlite3.h>
#include <stdbool.h>

/* PRAGMA application_id of every annals database ("Anls"). */
#define DB_APPLICATION_ID 0x416E6C73
/* PRAGMA user_version of the schema in schema/schema.sql. */
#define DB_SCHEMA_VERSION 3
/* How long a reader waits for a lock (a checkpoint, a recovery) before giving up (ms). */
#define DB_BUSY_TIMEOUT_MS 5000
/* How long a load (DB_WRITE) waits for another load of the same database (ms). */
#define DB_LOAD_WAIT_MS (10 * 60 * 1000)
/* After how long a waiter's notice is given (ms): short waits go unmentioned. */
#define DB_WAIT_NOTICE_MS 100

typedef enum {
    DB_READ,    /* an existing annals database, read only */
    DB_WRITE,   /* an annals database, created when the file is absent or empty */
    DB_TEMP     /* a private temporary database with the schema, gone when closed */
} db_mode;

/*
 * Open the database at path. With DB_WRITE, a path that does not exist is
 * created atomically: it names nothing, or a whole annals database with
 * its schema (two processes creating it at once both end up with the one
 * that won). A file that exists and is not an annals
 * database (another SQLite file, or not SQLite at all) is never written:
 * -1 is returned with *err explaining why. A database of a newer schema
 * version is refused too; one of an older version is opened as it is
 * (db_migrate brings it up to date). The functions annals_fold(text) and
 * annals_lower(text) are registered on the connection.
 * Returns 0 and *out on success; on failure -1, *out NULL and *err a new
 * message (the caller frees it with free()).
 */
int db_open(const char *path, db_mode mode, sqlite3 **out, char **err);

/*
 * Waiting for another process's write lock (a second load of the same
 * database). The caller owns the struct, which must outlive the
 * connection; notice (may be NULL) is called once, when a wait first
 * lasts DB_WAIT_NOTICE_MS, from the thread that waits; after timeout_ms
 * the statement fails with "database is locked".
 */
typedef struct {
    void (*notice)(void *ctx);
    void *ctx;
    int timeout_ms;
    int waited_ms;      /* the handler's own */
    bool told;
} db_waiter;

/* Wait on db's locks as w says (instead of the default timeouts above). */
void db_set_waiter(sqlite3 *db, db_waiter *w);

/*
 * Copy the write-ahead log into the database file and empty the log,
 * waiting up to wait_ms for readers to move on. A load does it last:
 * while another process keeps the database open (annals serve), the log
 * outlives the load, and were the file then removed or renamed over,
 * whatever file took its name would be read through the log's frames
 * (SQLite names the log after the path: https://sqlite.org/howtocorrupt.html,
 * 2.4). Returns 0, or -1 when a reader held on (the log is then left as
 * it was, its frames still valid for this file). Replaces db's busy handler.
 */
int db_empty_wal(sqlite3 *db, int wait_ms);

/* Close; NULL is a no-op. Every statement of the caller's must be finalized. */
void db_close(sqlite3 *db);

/* Run SQL text with no results. On failure -1 and *err = "message (in: SQL)". */
int db_exec(sqlite3 *db, const char *sql, char **err);

/* Prepare one statement. On failure -1, *stmt NULL and *err = "message (in: SQL)". */
int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **stmt, char **err);

/* A new "message (in: SQL)" for the connection's last error; the caller frees. */
char *db_error(sqlite3 *db, const char *sql);
/* Keep the first failure: *err = db_error(db, sql) unless *err is set already. Returns -1. */
int db_fail(sqlite3 *db, const char *sql, char **err);

/*
 * True when statement (without its ';') is one of the statements of
 * schema/schema.sql, verbatim, as SQLite keeps it in sqlite_schema.sql.
 */
bool db_schema_has(const char *statement);

/*
 * Bring a database of an older schema version up to DB_SCHEMA_VERSION; a
 * current one is left alone. Run it inside the caller's write transaction,
 * so that a rollback leaves the file as it was. Reading needs no migration:
 * every query states its order, an old index only serves it less well.
 * Returns 0, or -1 with *err a new message.
 */
int db_migrate(sqlite3 *db, char **err);

/* Bind text, or NULL when s is NULL. */
int db_bind_text(sqlite3_stmt *st, int i, const char *s);

#endif
