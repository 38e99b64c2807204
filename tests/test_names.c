/* test_names.c - valid ids, the one suggester, and names resolved against a database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "annals/db.h"
#include "annals/names.h"
#include "annals/util.h"
#include "fixture.h"

/* ---- Ids --------------------------------------------------------------------- */

static void test_is_id(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool valid;
    } rows[] = {
        {"a", true}, {"1st-battle", true}, {"a-b.c_d", true}, {"islamic-state", true},
        {"", false}, {"A", false}, {"Mark Antony", false}, {"-a", false}, {".a", false},
        {"_a", false}, {"ménaka", false}, {"a b", false}, {"a/b", false},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true},   /* 64 */
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},  /* 65 */
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        if (names_is_id(rows[i].text, strlen(rows[i].text)) != rows[i].valid)
            fail_msg("names_is_id(\"%s\") should be %d", rows[i].text, rows[i].valid);
}

static void test_id_from(void **state)
{
    (void)state;
    static const struct {
        const char *text, *id;   /* id NULL: none comes of it */
    } rows[] = {
        {"Mark Antony", "mark-antony"}, {"Cassius", "cassius"}, {"Armed Group", "armed-group"},
        {"Ménaka  Town", "menaka-town"}, {"x.", "x"}, {"Car Bomb!", "car-bomb"},
        {"already-an-id", "already-an-id"}, {"--", NULL}, {"", NULL}, {"داعش", NULL},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char *got = names_id_from(rows[i].text);
        if (!rows[i].id ? got != NULL : !got || strcmp(got, rows[i].id) != 0)
            fail_msg("names_id_from(\"%s\"): expected %s, got %s", rows[i].text,
                     rows[i].id ? rows[i].id : "NULL", got ? got : "NULL");
        free(got);
    }
}

/* ---- The suggester ------------------------------------------------------------- */

/*
 * One row: a text, candidates ("id" or "id=folded name", each a record's
 * name), how many to keep, and the picks expected, best first, joined by
 * spaces ("" for none).
 */
typedef struct {
    const char *text;
    const char *candidates[8];
    size_t max;
    const char *expect;
} rank_row;

static const rank_row rank_rows[] = {
    /* Typos: within a third of the length (1 to 4). */
    {"titel", {"title", "date", "summary"}, 1, "title"},
    {"bagdad", {"baghdad", "basra", "mosul"}, 3, "baghdad"},
    {"islamic-stat", {"islamic-state", "is-greater-sahara"}, 3, "islamic-state"},
    {"Atack", {"attack", "assassination", "war"}, 3, "attack"},   /* compared folded */
    {"Ménaka", {"menaka-town", "menaka"}, 3, "menaka menaka-town"},
    {"x", {"xy", "ab", "xyz"}, 3, "xy"},                            /* at least 1 */
    {"qqqqqqqqqq", {"islamic-state", "is-greater-sahara", "q"}, 3, ""},
    /* Ties: by distance, then by id. */
    {"cat", {"hat", "cut", "bat", "cart"}, 3, "bat cart cut"},
    {"cat", {"hat", "cut", "bat"}, 1, "bat"},
    /* Words: shared prefixes, or a name that stands whole in the text. */
    {"isis-sahel",
     {"islamic-state", "islamic-state=islamic state", "islamic-state=isis",
      "is-greater-sahara", "is-greater-sahara=islamic state in the greater sahara"},
     3, "is-greater-sahara islamic-state"},
    {"isis-sahel", {"islamic-state=isis", "is-greater-sahara"}, 1, "is-greater-sahara"},
    {"punic-war", {"war", "battle"}, 3, "war"},
    {"sahara", {"is-greater-sahara", "sahra"}, 3, "sahra is-greater-sahara"},  /* typo first */
    {"greater", {"is-greater-sahara"}, 3, "is-greater-sahara"},
    {"is", {"islamic-state"}, 3, ""},                /* too short to share words */
    /* A record counts once, by its closest name. */
    {"ceasar", {"caesar=julius caesar", "caesar", "caesar=caesar", "cesar-x"}, 3, "caesar"},
    {"julius", {"caesar=julius caesar", "julia"}, 3, "julia caesar"},
};

static void test_ranking(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(rank_rows) / sizeof(rank_rows[0]); i++) {
        const rank_row *row = &rank_rows[i];
        names_ranking r;
        assert_int_equal(names_ranking_init(&r, row->text, row->max), 0);
        for (size_t k = 0; k < 8 && row->candidates[k]; k++) {
            char id[80];
            snprintf(id, sizeof(id), "%s", row->candidates[k]);
            char *eq = strchr(id, '=');
            if (eq)
                *eq = '\0';
            names_ranking_feed(&r, id, eq ? eq + 1 : NULL);
        }
        char got[256] = "";
        for (size_t k = 0; k < r.n; k++)
            snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", k ? " " : "",
                     r.pick[k].id);
        if (strcmp(got, row->expect) != 0)
            fail_msg("ranking '%s' (row %zu): expected \"%s\", got \"%s\"", row->text, i,
                     row->expect, got);
        if (*got)
            assert_string_equal(names_ranking_best(&r), r.pick[0].id);
        else
            assert_null(names_ranking_best(&r));
        names_ranking_free(&r);
    }
}

static void test_ranking_list_and_closest_in(void **state)
{
    (void)state;
    names_ranking r;
    assert_int_equal(names_ranking_init(&r, "cat", 3), 0);
    assert_null(names_ranking_list(&r));
    names_ranking_feed(&r, "cut", NULL);
    names_ranking_feed(&r, "bat", NULL);
    char *list = names_ranking_list(&r);
    assert_string_equal(list, "'bat', 'cut'");
    free(list);
    names_ranking_free(&r);
    names_ranking_free(&r);   /* twice is harmless */

    static const char *const kinds[] = {"event", "actor", "place", "source", NULL};
    assert_ptr_equal(names_closest_in("events", kinds), kinds[0]);
    assert_ptr_equal(names_closest_in("Sorce", kinds), kinds[3]);
    assert_null(names_closest_in("thing", kinds));
    static const char *const none[] = {NULL};
    assert_null(names_closest_in("x", none));
}

/* ---- Against a database ---------------------------------------------------------- */

/* Two actors with invalid ids (as check stores them), names and aliases. */
static int setup(void **state)
{
    return fixture_sql(state,
        "INSERT INTO files VALUES (1, 'a.yaml', '0', 0), (2, 'b.yaml', '0', 0);"
        "INSERT INTO actors(id, name, file_id, line, col) VALUES"
        " ('islamic-state', 'Islamic State', 1, 2, 9),"
        " ('is-greater-sahara', 'Islamic State in the Greater Sahara', 1, 6, 9),"
        " ('Mark Antony', 'Mark Antony', 2, 2, 10),"
        " ('Cassius', 'Gaius Cassius Longinus', 2, 3, 10),"
        " ('brutus', 'Marcus Junius Brutus', 2, 4, 10);"
        "INSERT INTO actor_names SELECT id, id, annals_lower(id), annals_fold(id), 0, line, col"
        " FROM actors;"
        "INSERT INTO actor_names SELECT id, name, annals_lower(name), annals_fold(name), 0,"
        " line + 1, col FROM actors;"
        "INSERT INTO actor_names VALUES ('islamic-state', 'ISIS', 'isis', 'isis', 1, 4, 15),"
        " ('islamic-state', 'Daesh', 'daesh', 'daesh', 1, 4, 21);"
        "INSERT INTO places(id, name, file_id, line, col) VALUES"
        " ('georgia', 'Georgia', 1, 10, 9), ('georgia-us', 'Georgia', 1, 12, 9),"
        " ('menaka', 'Ménaka', 1, 14, 9);"
        "INSERT INTO place_names SELECT id, id, annals_lower(id), annals_fold(id), 0, line, col"
        " FROM places;"
        "INSERT INTO place_names SELECT id, name, annals_lower(name), annals_fold(name), 0,"
        " line + 1, col FROM places;"
        "INSERT INTO sources(id, title, file_id, line, col) VALUES"
        " ('plutarch', 'Life of Caesar', 1, 20, 9);"
        "INSERT INTO events(id, date, lower, upper, precision, title, type, file_id, line, col)"
        " VALUES ('ides', '-0043-03-15', 0, 1, 'day', 'Ides', 'assassination', 2, 8, 9),"
        " ('rome-summit', '2021', 0, 1, 'year', 'Summit', 'meeting', 2, 12, 9);"
        "INSERT INTO event_tags VALUES ('ides', 0, 'rome'), ('rome-summit', 0, 'summit');"
        "INSERT INTO event_actors VALUES ('ides', 0, 'brutus', 'assassin', 9, 9);");
}

/* names_advise then names_advice_text, as "WHAT: text" ("nothing" when none). */
static char *advise(sqlite3 *db, unsigned kinds, const char *text)
{
    static const char *const what[] = {"nothing", "pending", "name", "close"};
    names_advice a;
    char *err = NULL;
    if (names_advise(db, kinds, text, 1, &a, &err) != 0) {
        names_advice_free(&a);
        char *out = str_printf("failed: %s", err);
        free(err);
        return out;
    }
    char *words = names_advice_text(&a, text);
    char *out = str_printf("%s: %s", what[a.what], words ? words : "-");
    free(words);
    names_advice_free(&a);
    return out;
}

static void test_advise(void **state)
{
    static const struct {
        unsigned kinds;
        const char *text, *expect;
    } rows[] = {
        /* An invalid id is never advised; the record it will be instead. */
        {NAMES_BIT(NAMES_ACTOR), "mark-antony",
         "pending: actor 'Mark Antony' at b.yaml:2 will have this id once its id is written "
         "as its hint says"},
        {NAMES_BIT(NAMES_ACTOR), "cassius",
         "pending: actor 'Cassius' at b.yaml:3 will have this id once its id is written as "
         "its hint says"},
        {NAMES_BIT(NAMES_ACTOR), "mark-antonyy", "nothing: -"},
        {NAMES_BIT(NAMES_ACTOR), "Gaius Cassius Longinus", "nothing: -"},
        /* A name or alias: the record's id. */
        {NAMES_BIT(NAMES_ACTOR), "ISIS", "name: 'ISIS' is an alias of 'islamic-state'"},
        {NAMES_BIT(NAMES_ACTOR), "marcus junius brutus",
         "name: 'marcus junius brutus' is the name of 'brutus'"},
        {NAMES_ANY, "daesh", "name: 'daesh' is an alias of actor 'islamic-state'"},
        {NAMES_ANY, "MENAKA", "name: 'MENAKA' is the name of place 'menaka'"},
        /* Close ids, of the kinds asked only. */
        {NAMES_BIT(NAMES_ACTOR), "isis-sahel", "close: did you mean 'is-greater-sahara'?"},
        {NAMES_BIT(NAMES_ACTOR), "brutsu", "close: did you mean 'brutus'?"},
        {NAMES_BIT(NAMES_ACTOR), "plutarc", "nothing: -"},
        {NAMES_BIT(NAMES_SOURCE), "plutarc", "close: did you mean 'plutarch'?"},
        {NAMES_ANY, "rome-sumit", "close: did you mean 'rome-summit'?"},
        {NAMES_ANY, "zzzzzzzz", "nothing: -"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char *got = advise(*state, rows[i].kinds, rows[i].text);
        if (strcmp(got, rows[i].expect) != 0)
            fail_msg("advise '%s': expected \"%s\", got \"%s\"", rows[i].text, rows[i].expect,
                     got);
        free(got);
    }
}

/* names_resolve as "=id" or "error N: message". */
static char *resolve(sqlite3 *db, names_kind kind, const char *text)
{
    char *id = NULL, *err = NULL;
    int rc = names_resolve(db, kind, text, &id, &err);
    char *out = rc == 0 ? str_printf("=%s", id) : str_printf("error %d: %s", rc, err);
    free(id);
    free(err);
    return out;
}

static void test_resolve(void **state)
{
    static const struct {
        names_kind kind;
        const char *text, *expect;
    } rows[] = {
        {NAMES_ACTOR, "islamic-state", "=islamic-state"},
        {NAMES_ACTOR, "Islamic State", "=islamic-state"},
        {NAMES_ACTOR, "isis", "=islamic-state"},
        {NAMES_ACTOR, "ISLAMIC-STATE", "=islamic-state"},
        {NAMES_PLACE, "menaka", "=menaka"},
        {NAMES_PLACE, "MÉNAKA", "=menaka"},
        {NAMES_PLACE, "Menaka", "=menaka"},          /* folded */
        {NAMES_PLACE, "georgia", "=georgia"},        /* an exact id wins */
        {NAMES_PLACE, "Georgia",
         "error -1: 'Georgia' matches several places: 'georgia' (Georgia), 'georgia-us' "
         "(Georgia); give an id"},
        {NAMES_ACTOR, "isis-sahel",
         "error -1: no actor matches 'isis-sahel' (closest: 'is-greater-sahara', "
         "'islamic-state')"},
        {NAMES_ACTOR, "mark-antony", "error -1: no actor matches 'mark-antony'"},
        {NAMES_ACTOR, "qqqqqqqqqq", "error -1: no actor matches 'qqqqqqqqqq'"},
        {NAMES_SOURCE, "plutarch", "=plutarch"},
        {NAMES_SOURCE, "Plutarch", "error -1: no source matches 'Plutarch' (closest: "
                                   "'plutarch')"},
        {NAMES_EVENT, "ides", "=ides"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char *got = resolve(*state, rows[i].kind, rows[i].text);
        if (strcmp(got, rows[i].expect) != 0)
            fail_msg("resolve '%s': expected \"%s\", got \"%s\"", rows[i].text,
                     rows[i].expect, got);
        free(got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_is_id),
        cmocka_unit_test(test_id_from),
        cmocka_unit_test(test_ranking),
        cmocka_unit_test(test_ranking_list_and_closest_in),
        cmocka_unit_test(test_advise),
        cmocka_unit_test(test_resolve),
    };
    return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
