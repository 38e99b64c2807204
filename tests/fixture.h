/* fixture.h - for the cmocka tests: a dataset of tests/data, or rows given as SQL, in a temporary database. */
#ifndef ANNALS_TEST_FIXTURE_H
#define ANNALS_TEST_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "annals/db.h"
#include "annals/diag.h"
#include "annals/load.h"

/*
 * A new temporary database holding the dataset under path (relative to
 * tests/, where CTest runs the tests). strict: a warning fails it too.
 * Returns NULL after printing why to stderr (the load's message, the
 * diagnostics) when it cannot be loaded or has errors. The caller closes
 * it with db_close.
 */
static inline sqlite3 *fixture_load(const char *path, bool strict)
{
    sqlite3 *db;
    char *err = NULL;
    if (db_open(NULL, DB_TEMP, &db, &err) != 0) {
        fprintf(stderr, "db_open: %s\n", err);
        free(err);
        return NULL;
    }
    const char *paths[] = {path};
    char **files = NULL;
    size_t nfiles = 0;
    diag_list *dl = diag_list_new();
    load_options opts = {.commit = true, .strict = strict};
    load_stats st;
    int rc = dl ? load_collect_files(paths, 1, &files, &nfiles, dl) : -1;
    if (rc == 0)
        rc = load_dataset(db, files, nfiles, &opts, dl, &st, &err);
    if (rc == 0 && (diag_count(dl, DIAG_ERROR) || (strict && diag_count(dl, DIAG_WARNING)))) {
        diag_sort(dl);
        diag_print_text(dl, stderr, false);
        fprintf(stderr, "the dataset %s has %s\n", path, strict ? "problems" : "errors");
        rc = -1;
    }
    if (err)
        fprintf(stderr, "load: %s\n", err);
    free(err);
    load_free_files(files, nfiles);
    diag_list_free(dl);
    if (rc != 0) {
        db_close(db);
        return NULL;
    }
    return db;
}

/*
 * A cmocka setup: a new temporary database with the schema, then sql run
 * on it. 0 with *state the database, or -1 after printing why to stderr.
 */
static inline int fixture_sql(void **state, const char *sql)
{
    sqlite3 *db;
    char *err = NULL;
    if (db_open(NULL, DB_TEMP, &db, &err) != 0 || db_exec(db, sql, &err) != 0) {
        fprintf(stderr, "fixture: %s\n", err ? err : "out of memory");
        free(err);
        db_close(db);
        return -1;
    }
    *state = db;
    return 0;
}

/* The cmocka teardown of either setup: close the database in *state. */
static inline int fixture_teardown(void **state)
{
    db_close(*state);
    return 0;
}

/* cmocka group setup around fixture_load of FIXTURE (strict); fixture_teardown undoes it. */
#ifdef FIXTURE
static inline int fixture_setup(void **state)
{
    *state = fixture_load(FIXTURE, true);
    return *state ? 0 : -1;
}
#endif

#endif
