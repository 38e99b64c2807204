/* test_vocab.c - near-duplicate vocabulary values (a table), the values in use with their counts, and checking a value. */
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
#include "annals/names.h"
#include "annals/vocab.h"
#include "fixture.h"

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
    return fixture_sql(state,
        "INSERT INTO files VALUES (1, 'a.yaml', '0', 0);"
        "INSERT INTO events (id, date, lower, upper, precision, title, type, file_id, line, col) "
        "VALUES ('e1', '2019', 0, 1, 'year', 'one', 'attack', 1, 1, 1),"
        "       ('e2', '2019', 0, 1, 'year', 'two', 'attack', 1, 2, 1),"
        "       ('e3', '2019', 0, 1, 'year', 'three', NULL, 1, 3, 1);"
        "INSERT INTO event_tags VALUES ('e1', 0, 'b'), ('e1', 1, 'a'), ('e2', 0, 'b');"
        "INSERT INTO event_actors VALUES ('e1', 0, 'x', 'host', 1, 1), ('e1', 1, 'y', 'host', 1, 1),"
        "       ('e2', 0, 'x', 'host', 1, 1), ('e3', 0, 'x', NULL, 1, 1);");
}

/* The types assassination and meeting, the tags rome and summit, the role assassin. */
static int setup_in_use(void **state)
{
    return fixture_sql(state,
        "INSERT INTO files VALUES (1, 'a.yaml', '0', 0);"
        "INSERT INTO events(id, date, lower, upper, precision, title, type, file_id, line, col)"
        " VALUES ('ides', '-0043-03-15', 0, 1, 'day', 'Ides', 'assassination', 1, 8, 9),"
        " ('rome-summit', '2021', 0, 1, 'year', 'Summit', 'meeting', 1, 12, 9);"
        "INSERT INTO event_tags VALUES ('ides', 0, 'rome'), ('rome-summit', 0, 'summit');"
        "INSERT INTO event_actors VALUES ('ides', 0, 'brutus', 'assassin', 9, 9);");
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

static void test_check_value(void **state)
{
    static const struct {
        vocab_kind v;
        const char *value, *expect;
    } rows[] = {
        {VOCAB_TYPES, "meeting", ""},
        {VOCAB_TYPES, "meting", "no type matches 'Meting' (closest: 'meeting')"},
        {VOCAB_TYPES, "earthquake", "no type matches 'Earthquake'"},
        {VOCAB_TAGS, "summit", ""},
        {VOCAB_TAGS, "romes", "no tag matches 'Romes' (closest: 'rome')"},
        {VOCAB_ROLES, "assassin", ""},
        {VOCAB_ROLES, "asassin", "no role matches 'Asassin' (closest: 'assassin')"},
        {VOCAB_ROLES, "victim", "no role matches 'Victim'"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char shown[64], *err = NULL;
        snprintf(shown, sizeof(shown), "%s", rows[i].value);
        shown[0] = (char)(shown[0] - 'a' + 'A');     /* as the user wrote it */
        int rc = vocab_check(*state, rows[i].v, rows[i].value, shown, &err);
        const char *got = rc == 0 ? "" : err;
        assert_int_equal(rc, *rows[i].expect ? NAMES_EUSER : 0);
        if (strcmp(got, rows[i].expect) != 0)
            fail_msg("check '%s': expected \"%s\", got \"%s\"", rows[i].value, rows[i].expect,
                     got);
        free(err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_near_table),
        cmocka_unit_test_setup_teardown(test_values, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_write, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_check_value, setup_in_use, fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
