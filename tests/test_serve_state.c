/* test_serve_state.c - `annals serve`'s read connections: a replaced file's pool, a retired pool, a stop that interrupts. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "annals/db.h"
#include "annals/serve.h"
#include "annals/util.h"

typedef struct {
    char dir[64];
    char *path, *other;     /* the path served; a second database beside it */
    serve_state st;
} fixture;

/* An annals database at path with one table more, named marker, to tell the files apart. */
static void make_db(const char *path, const char *marker)
{
    sqlite3 *db;
    char *err = NULL, *sql = str_printf("CREATE TABLE %s(x)", marker);
    assert_int_equal(db_open(path, DB_WRITE, &db, &err), 0);
    assert_int_equal(db_exec(db, sql, &err), 0);
    free(sql);
    db_close(db);
}

/* The marker table of the file db reads. */
static char *marker_of(sqlite3 *db)
{
    sqlite3_stmt *q;
    char *err = NULL;
    assert_int_equal(db_prepare(db, "SELECT name FROM sqlite_schema WHERE name LIKE 'marker_%'",
                                &q, &err), 0);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    char *name = str_printf("%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return name;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    snprintf(f->dir, sizeof(f->dir), "/tmp/annals-test-serve-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    f->path = str_printf("%s/served.db", f->dir);
    f->other = str_printf("%s/other.db", f->dir);
    make_db(f->path, "marker_old");
    make_db(f->other, "marker_new");
    assert_int_equal(serve_state_init(&f->st, f->path, NULL, false), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    serve_state_free(&f->st);
    char *cmd = str_printf("rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(f->path);
    free(f->other);
    free(f);
    return 0;
}

/* Take a connection; its marker must be want. Returns the slot. */
static int take_reading(serve_state *st, const char *want)
{
    sqlite3 *db;
    char *err = NULL;
    int slot = serve_db_acquire(st, &db, &err);
    if (slot < 0)
        fail_msg("no connection: %s", err);
    char *m = marker_of(db);
    assert_string_equal(m, want);
    free(m);
    return slot;
}

/*
 * Rename other over the path, its -wal and -shm removed first (as a user
 * must: see serve_db_next), and open the pool's connections to it as the
 * watcher does.
 */
static void replace_file(fixture *f, bool open_them)
{
    for (int i = 0; i < 2; i++) {
        char *p = str_printf("%s%s", f->path, i ? "-shm" : "-wal");
        unlink(p);
        free(p);
    }
    assert_int_equal(rename(f->other, f->path), 0);
    struct stat sb;
    assert_int_equal(stat(f->path, &sb), 0);
    sqlite3 *conns[SERVE_POOL] = {NULL};
    char *err = NULL;
    for (int i = 0; open_them && i < SERVE_POOL; i++)
        assert_int_equal(serve_db_open(&f->st, &conns[i], &err), 0);
    serve_db_replace(&f->st, conns, sb.st_dev, sb.st_ino);
}

/* A slot in use keeps its old connection until given back; every other one reads the new file. */
static void test_replace_given_back(void **state)
{
    fixture *f = *state;
    int busy = take_reading(&f->st, "marker_old");
    char *m = marker_of(f->st.pool[busy]);    /* still the old file while in use */
    assert_string_equal(m, "marker_old");
    free(m);
    replace_file(f, true);
    m = marker_of(f->st.pool[busy]);
    assert_string_equal(m, "marker_old");
    free(m);
    int slots[SERVE_POOL - 1];
    for (int i = 0; i < SERVE_POOL - 1; i++)
        slots[i] = take_reading(&f->st, "marker_new");
    serve_db_release(&f->st, busy);
    /* The only free slot is the one given back: it reads the new file now. */
    assert_int_equal(take_reading(&f->st, "marker_new"), busy);
    serve_db_release(&f->st, busy);
    for (int i = 0; i < SERVE_POOL - 1; i++)
        serve_db_release(&f->st, slots[i]);
}

/* A slot opened when first needed opens only the file the pool reads. */
static void test_open_when_needed(void **state)
{
    fixture *f = *state;
    replace_file(f, false);
    int slot = take_reading(&f->st, "marker_new");
    serve_db_release(&f->st, slot);
    /* The path now names yet another file: the slots not open yet refuse it. */
    char *third = str_printf("%s/third.db", f->dir);
    make_db(third, "marker_third");
    assert_int_equal(rename(third, f->path), 0);
    free(third);
    int open = 0, refused = 0;
    for (int i = 0; i < SERVE_POOL; i++) {
        sqlite3 *db;
        char *err = NULL;
        int s = serve_db_acquire(&f->st, &db, &err);
        if (s >= 0) {
            char *m = marker_of(db);
            assert_string_equal(m, "marker_new");
            free(m);
            open++;
            continue;     /* kept: the next acquire takes another slot */
        }
        assert_non_null(strstr(err, "was replaced or removed"));
        free(err);
        refused++;
    }
    assert_int_equal(open, 1);      /* the slot opened before the file was replaced */
    assert_int_equal(refused, SERVE_POOL - 1);
    for (int i = 0; i < SERVE_POOL; i++)
        if (f->st.busy[i])
            serve_db_release(&f->st, i);
}

typedef struct {
    serve_state *st;
    int slot;
} giver;

static void *give_back_later(void *arg)
{
    giver *g = arg;
    struct timespec t = {0, 100 * 1000 * 1000};
    nanosleep(&t, NULL);
    serve_db_release(g->st, g->slot);
    return NULL;
}

/* Retired: waits for the slots in use, then every acquire fails with the reason, until replaced. */
static void test_retire(void **state)
{
    fixture *f = *state;
    giver g = {&f->st, take_reading(&f->st, "marker_old")};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, give_back_later, &g), 0);
    serve_db_retire(&f->st, "the database was replaced");
    assert_false(f->st.busy[g.slot]);     /* it waited for the slot to be given back */
    pthread_join(t, NULL);
    for (int i = 0; i < SERVE_POOL; i++)
        assert_null(f->st.pool[i]);
    for (int round = 0; round < 3; round++) {
        sqlite3 *db;
        char *err = NULL;
        assert_int_equal(serve_db_acquire(&f->st, &db, &err), -1);
        assert_string_equal(err, "the database was replaced");
        free(err);
    }
    replace_file(f, true);
    serve_db_release(&f->st, take_reading(&f->st, "marker_new"));
}

typedef struct {
    serve_state *st;
    int slot;
    sqlite3 *db;
    int rc;                 /* what the long statement's step gave */
} runner;

/* A statement that runs for minutes unless interrupted, on the runner's connection. */
static const char long_sql[] = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                               "WHERE x < 300000000) SELECT count(*) FROM c";

static void *run_long(void *arg)
{
    runner *r = arg;
    sqlite3_stmt *q;
    char *err = NULL;
    assert_int_equal(db_prepare(r->db, long_sql, &q, &err), 0);
    r->rc = sqlite3_step(q);
    sqlite3_finalize(q);
    serve_db_release(r->st, r->slot);
    return NULL;
}

/* Retiring the pool does not wait for a statement under way: it is interrupted. */
static void test_retire_interrupts(void **state)
{
    fixture *f = *state;
    runner r = {.st = &f->st};
    char *err = NULL;
    r.slot = serve_db_acquire(&f->st, &r.db, &err);
    assert_true(r.slot >= 0);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, run_long, &r), 0);
    struct timespec pause = {0, 50 * 1000 * 1000};
    nanosleep(&pause, NULL);
    serve_db_retire(&f->st, "the database was replaced");
    pthread_join(t, NULL);
    assert_int_equal(r.rc, SQLITE_INTERRUPT);
    /* The connections opened afterwards are not interrupted. */
    replace_file(f, true);
    int slot = serve_db_acquire(&f->st, &r.db, &err);
    assert_true(slot >= 0);
    sqlite3_stmt *q;
    assert_int_equal(db_prepare(r.db, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
                                      "FROM c WHERE x < 100000) SELECT count(*) FROM c", &q, &err), 0);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 100000);
    sqlite3_finalize(q);
    serve_db_release(&f->st, slot);
}

static void *halt_later(void *arg)
{
    serve_state *st = arg;
    struct timespec t = {0, 50 * 1000 * 1000};
    nanosleep(&t, NULL);
    atomic_store(&st->halt, true);
    return NULL;
}

/* Stopping ends a statement under way (here one that never ends by itself). */
static void test_halt_interrupts(void **state)
{
    fixture *f = *state;
    sqlite3 *db;
    char *err = NULL;
    int slot = serve_db_acquire(&f->st, &db, &err);
    assert_true(slot >= 0);
    sqlite3_stmt *q;
    assert_int_equal(db_prepare(db, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
                                    "FROM c) SELECT count(*) FROM c", &q, &err), 0);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, halt_later, &f->st), 0);
    assert_int_equal(sqlite3_step(q), SQLITE_INTERRUPT);
    sqlite3_finalize(q);
    pthread_join(t, NULL);
    serve_db_release(&f->st, slot);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_replace_given_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_when_needed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retire, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retire_interrupts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_halt_interrupts, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
