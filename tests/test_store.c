/* test_store.c - the writer: rows inserted in order, duplicate ids reported at the later place with their links skipped, a failing statement stops the load. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "annals/db.h"
#include "annals/diag.h"
#include "annals/rows.h"
#include "annals/store.h"

/* Each test runs with the writer on a thread of its own and without one. */
static const char *const thread_modes[] = {"0", "1", "2"};

typedef struct {
    sqlite3 *db;
    store *s;
    row_lane *ln;
    diag_list *dl;
    char *err;
} fixture;

static void begin(fixture *f, const char *threads)
{
    memset(f, 0, sizeof(*f));
    setenv("ANNALS_THREADS", threads, 1);
    assert_int_equal(db_open(NULL, DB_TEMP, &f->db, &f->err), 0);
    assert_int_equal(db_exec(f->db, "BEGIN", &f->err), 0);
    f->s = store_open(f->db, &f->err);
    assert_non_null(f->s);
    assert_int_equal(store_readers(f->s), strcmp(threads, "2") == 0 ? 2 : 1);
    f->ln = lane_open(store_queue(f->s));
    assert_non_null(f->ln);
    f->dl = diag_list_new();
    assert_non_null(f->dl);
    lane_begin(f->ln, 0);
}

/* Hand the rows over, stop the writer; returns store_close's result. */
static int finish(fixture *f)
{
    lane_end(f->ln, false);   /* -1 when the writer failed in place: store_close says why */
    lane_close(f->ln);
    return store_close(f->s, f->dl, &f->err);
}

static void end(fixture *f)
{
    sqlite3_exec(f->db, "ROLLBACK", NULL, NULL, NULL);
    db_close(f->db);
    diag_list_free(f->dl);
    free(f->err);
    unsetenv("ANNALS_THREADS");
}

static void file_row(row_lane *ln, int64_t id, const char *path)
{
    row_begin(ln, ROW_FILE);
    row_int(ln, id);
    row_str(ln, path);
    row_str(ln, "0123456789abcdef");
    row_int(ln, 10);
    assert_int_equal(row_end(ln), 0);
}

static void actor_row(row_lane *ln, const char *id, int64_t file, int line, int col)
{
    row_begin(ln, ROW_ACTOR);
    row_str(ln, id);
    row_str(ln, "A name");
    row_null(ln);
    row_null(ln);
    row_int(ln, file);
    row_int(ln, line);
    row_int(ln, col);
    assert_int_equal(row_end(ln), 0);
}

/* A link of the actor just written: one of its names. */
static void name_row(row_lane *ln, const char *actor, const char *name, int line)
{
    row_begin(ln, ROW_ACTOR_NAME);
    row_str(ln, actor);
    row_str(ln, name);
    row_str(ln, name);
    row_str(ln, name);
    row_int(ln, 0);
    row_int(ln, line);
    row_int(ln, 5);
    assert_int_equal(row_end(ln), 0);
}

static int count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void test_duplicate_id(void **state)
{
    (void)state;
    for (size_t m = 0; m < 3; m++) {
        fixture f;
        begin(&f, thread_modes[m]);
        file_row(f.ln, 1, "a.yaml");
        actor_row(f.ln, "isis", 1, 2, 9);
        name_row(f.ln, "isis", "ISIS", 3);
        actor_row(f.ln, "isis", 1, 7, 9);        /* the duplicate */
        name_row(f.ln, "isis", "Daesh", 8);      /* its link: skipped */
        actor_row(f.ln, "aqim", 1, 12, 9);       /* the next record: kept, links too */
        name_row(f.ln, "aqim", "AQIM", 13);
        assert_int_equal(finish(&f), 0);
        assert_null(f.err);

        assert_int_equal(diag_list_len(f.dl), 1);
        diag_view d = diag_at(f.dl, 0);
        assert_int_equal(d.sev, DIAG_ERROR);
        assert_string_equal(d.file, "a.yaml");
        assert_int_equal(d.line, 7);
        assert_int_equal(d.col, 9);
        assert_int_equal(d.span, 4);
        assert_string_equal(d.message, "duplicate actor id 'isis'");
        assert_string_equal(d.hint, "give one of them another id, or merge the two");
        assert_int_equal(d.nnotes, 1);
        diag_view n = diag_note_at(f.dl, 0, 0);
        assert_string_equal(n.file, "a.yaml");
        assert_int_equal(n.line, 2);
        assert_string_equal(n.message, "first defined here");

        assert_int_equal(count(f.db, "SELECT count(*) FROM actors"), 2);
        assert_int_equal(count(f.db, "SELECT line FROM actors WHERE id = 'isis'"), 2);
        assert_int_equal(count(f.db, "SELECT count(*) FROM actor_names WHERE name = 'Daesh'"), 0);
        assert_int_equal(count(f.db, "SELECT count(*) FROM actor_names"), 2);
        end(&f);
    }
}

/* A reload may insert the later definition first: the error still goes to the later place. */
static void test_duplicate_reported_at_the_later(void **state)
{
    (void)state;
    for (size_t m = 0; m < 3; m++) {
        fixture f;
        begin(&f, thread_modes[m]);
        file_row(f.ln, 1, "b.yaml");
        actor_row(f.ln, "isis", 1, 3, 7);
        file_row(f.ln, 2, "a.yaml");
        actor_row(f.ln, "isis", 2, 40, 7);
        assert_int_equal(finish(&f), 0);
        assert_int_equal(diag_list_len(f.dl), 1);
        diag_view d = diag_at(f.dl, 0);
        assert_string_equal(d.file, "b.yaml");
        assert_int_equal(d.line, 3);
        diag_view n = diag_note_at(f.dl, 0, 0);
        assert_string_equal(n.file, "a.yaml");
        assert_int_equal(n.line, 40);
        end(&f);
    }
}

/* A statement that fails for another reason stops the writer; its message is the error. */
static void test_failure_is_the_error(void **state)
{
    (void)state;
    for (size_t m = 0; m < 3; m++) {
        fixture f;
        begin(&f, thread_modes[m]);
        file_row(f.ln, 1, "a.yaml");
        row_begin(f.ln, ROW_EVENT_TAG);      /* tag NOT NULL */
        row_str(f.ln, "e1");
        row_int(f.ln, 0);
        row_null(f.ln);
        row_end(f.ln);
        actor_row(f.ln, "after", 1, 9, 1);   /* never inserted */
        assert_int_equal(finish(&f), -1);
        assert_non_null(f.err);
        assert_non_null(strstr(f.err, "NOT NULL constraint failed: event_tags.tag"));
        assert_non_null(strstr(f.err, "(in: INSERT INTO event_tags"));
        assert_int_equal(diag_list_len(f.dl), 0);
        assert_int_equal(count(f.db, "SELECT count(*) FROM actors"), 0);
        end(&f);
    }
}

/* An earlier failure of the load is kept; the writer's own goes. */
static void test_first_error_wins(void **state)
{
    (void)state;
    fixture f;
    begin(&f, "1");
    row_begin(f.ln, ROW_EVENT_TAG);
    row_str(f.ln, "e1");
    row_int(f.ln, 0);
    row_null(f.ln);
    row_end(f.ln);
    f.err = strdup("the first failure");
    assert_int_equal(finish(&f), -1);
    assert_string_equal(f.err, "the first failure");
    end(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_duplicate_id),
        cmocka_unit_test(test_duplicate_reported_at_the_later),
        cmocka_unit_test(test_failure_is_the_error),
        cmocka_unit_test(test_first_error_wins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
