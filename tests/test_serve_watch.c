/* test_serve_watch.c - what the --db watcher of `annals serve` does with what it sees at the path (serve_db_next). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "annals/serve.h"

/* Each row: present, same, old_open, old_companions, wal_written -> the step. */
static const struct {
    serve_db_sight sight;
    serve_db_step step;
} rows[] = {
    /* The file served, untouched: only another load's commit matters. */
    {{true, true, true, false, false}, SERVE_DB_SAME},
    {{true, true, true, true, true}, SERVE_DB_SAME},
    /* Removed (and not made again yet): keep what the old file held, whatever is left beside it. */
    {{false, false, true, true, true}, SERVE_DB_REMOVED},
    {{false, false, true, false, false}, SERVE_DB_REMOVED},
    {{false, false, false, true, true}, SERVE_DB_REMOVED},
    /* (b) another file with a -wal and -shm of its own (or none yet): open it beside the old one. */
    {{true, false, true, false, false}, SERVE_DB_TRY},
    {{true, false, true, false, true}, SERVE_DB_TRY},
    /* (a), (c) the old -wal, -shm left: the old file's connections are closed first ... */
    {{true, false, true, true, false}, SERVE_DB_RETIRE},
    {{true, false, true, true, true}, SERVE_DB_RETIRE},
    /* ... then the new file is read through them only while the log holds no frame. */
    {{true, false, false, true, true}, SERVE_DB_WAIT},
    {{true, false, false, true, false}, SERVE_DB_TRY},
    /* Once the log is gone (the load that wrote it removes it when it ends). */
    {{true, false, false, false, false}, SERVE_DB_TRY},
    /* Renamed away and back while the old connections were closed: open it again. */
    {{true, true, false, true, false}, SERVE_DB_TRY},
};

static void test_steps(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        serve_db_step got = serve_db_next(&rows[i].sight);
        if (got != rows[i].step)
            fail_msg("row %zu: step %d, expected %d", i, (int)got, (int)rows[i].step);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_steps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
