/* test_vocab.c - near-duplicate vocabulary values (a table) and the values in use with their counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/vocab.h"

typedef struct {
    const char *a, *b;
    bool near;
} near_row;

static const near_row near_rows[] = {
    /* punctuation and case */
    {"airstrike", "air-strike", true},
    {"air_strike", "air-strike", true},
    {"car.bomb", "car-bomb", true},
    {"Attack", "attack", true},
    /* plurals */
    {"attack", "attacks", true},
    {"casualty", "casualties", true},
    {"ambush", "ambushes", true},
    {"punic-war", "punic-wars", true},
    {"battle", "battles", true},
    {"commander", "commanders", true},
    /* one word more */
    {"punic", "punic-wars", true},
    {"siege", "siege-warfare", true},
    {"war", "civil-war", false},              /* a word before is another thing */
    {"attack", "attack-on-civilians", false}, /* two words more */
    /* small edits on long enough values */
    {"meeting", "mesting", true},
    {"assassination", "assasination", true},
    {"demonstration", "demonstartion", true},
    {"iraq", "iran", false},
    {"host", "hosts", true},
    {"host", "ghost", false},
    {"sahel", "sahara", false},
    {"attacker", "defender", false},
    {"detainer", "detainee", false},            /* another word, not a typo */
    {"attacker", "attacked", false},
    {"meeting", "meetimg", false},              /* an ending; the listing shows it */
    {"perpetrator", "target", false},
    /* not near */
    {"attack", "attack", false},
    {"speaker", "subject", false},
    {"siege", "battle", false},
};

static void test_near_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof near_rows / sizeof near_rows[0]; i++) {
        const near_row *r = &near_rows[i];
        if (vocab_near(r->a, r->b) != r->near || vocab_near(r->b, r->a) != r->near) {
            print_error("'%s' / '%s': expected %s\n", r->a, r->b, r->near ? "near" : "not near");
            fail();
        }
    }
}

static int setup(void **state)
{
    sqlite3 *db;
    char *err = NULL;
    if (db_open(NULL, DB_TEMP, &db, &err) != 0) {
        free(err);
        return -1;
    }
    const char *sql =
        "INSERT INTO files VALUES (1, 'a.yaml', '0', 0);"
        "INSERT INTO events (id, date, lower, upper, precision, title, type, file_id, line, col) "
        "VALUES ('e1', '2019', 0, 1, 'year', 'one', 'attack', 1, 1, 1),"
        "       ('e2', '2019', 0, 1, 'year', 'two', 'attack', 1, 2, 1),"
        "       ('e3', '2019', 0, 1, 'year', 'three', NULL, 1, 3, 1);"
        "INSERT INTO event_tags VALUES ('e1', 0, 'b'), ('e1', 1, 'a'), ('e2', 0, 'b');"
        "INSERT INTO event_actors VALUES ('e1', 0, 'x', 'host', 1, 1), ('e1', 1, 'y', 'host', 1, 1),"
        "       ('e2', 0, 'x', 'host', 1, 1), ('e3', 0, 'x', NULL, 1, 1);";
    if (db_exec(db, sql, &err) != 0) {
        fprintf(stderr, "%s\n", err);
        free(err);
        db_close(db);
        return -1;
    }
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    return 0;
}

static void test_values(void **state)
{
    sqlite3 *db = *state;
    vocab_value *v;
    size_t n;
    char *err = NULL;
    assert_int_equal(vocab_values(db, VOCAB_TYPES, &v, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].value, "attack");
    assert_int_equal(v[0].events, 2);
    vocab_values_free(v, n);
    assert_int_equal(vocab_values(db, VOCAB_TAGS, &v, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].value, "a");
    assert_int_equal(v[1].events, 2);
    vocab_values_free(v, n);
    assert_int_equal(vocab_values(db, VOCAB_ROLES, &v, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].events, 2);
    assert_int_equal(v[0].actors, 2);
    vocab_values_free(v, n);
    vocab_values_free(NULL, 0);
}

static void test_write(void **state)
{
    sqlite3 *db = *state;
    char *buf = NULL, *err = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    assert_int_equal(vocab_write(db, VOCAB_ROLES, LISTING_CSV, out, false, &err), 0);
    assert_int_equal(vocab_write(db, VOCAB_TAGS, LISTING_JSON, out, false, &err), 0);
    assert_int_equal(vocab_write(db, VOCAB_TYPES, LISTING_TEXT, out, false, &err), 0);
    fclose(out);
    assert_string_equal(buf, "role,events,actors\r\nhost,2,2\r\n"
                             "{\"tags\": [\n  {\"tag\": \"a\", \"events\": 1},\n"
                             "  {\"tag\": \"b\", \"events\": 2}\n]}\n"
                             "attack  2 events\n");
    free(buf);
    assert_string_equal(vocab_noun(VOCAB_ROLES), "role");
    assert_string_equal(vocab_plural(VOCAB_TAGS), "tags");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_near_table),
        cmocka_unit_test_setup_teardown(test_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
