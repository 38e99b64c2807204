/* test_listing.c - one record read whole (listing_get): columns, aliases, hierarchy, event counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "annals/listing.h"

/* The fixture, relative to tests/ (CTest runs the tests there). */
#define FIXTURE "data/report/main"
#include "fixture.h"

/* A list as "a, b, c" (listing_list_text) into a new string; the caller frees. */
static char *list_text(const listing_list *l)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_non_null(m);
    listing_list_text(m, l);
    assert_int_equal(fclose(m), 0);
    return buf;
}

static void expect_str(const char *got, const char *want, const char *what, const char *id)
{
    if (want == NULL ? got != NULL : got == NULL || strcmp(got, want) != 0)
        fail_msg("%s of %s: '%s', expected '%s'", what, id, got ? got : "(null)",
                 want ? want : "(null)");
}

/*
 * Each row: a kind and an id, then what listing_get must return: the
 * columns, the lists as "a, b" ("" when empty; children as "id (name)"),
 * the events naming it and those through the hierarchy, where it is defined.
 */
static const struct {
    listing_kind kind;
    const char *id;
    const char *name, *kind_name, *aliases, *parents, *children;
    long long events, events_all;
    const char *file;
    int line;
} rows[] = {
    /* Members 3 deep: events of is-greater-sahara, sahara-cell, cell-leader count in all. */
    {LISTING_ACTORS, "islamic-state", "Islamic State", "armed-group", "ISIS, Daesh, داعش", "",
     "is-greater-sahara (Islamic State in the Greater Sahara)", 6, 8, "actors.yaml", 4},
    /* One event of its own, two more of its members'. */
    {LISTING_ACTORS, "rome", "Roman Republic", "state", "Res publica Romana", "",
     "brutus (Marcus Junius Brutus), caesar (Julius Caesar)", 1, 3, "actors.yaml", 30},
    {LISTING_ACTORS, "caesar", "Julius Caesar", "person", "Caesar, Καίσαρ", "rome", "", 3, 3,
     "actors.yaml", 0},
    /* The same id as a place: another record. */
    {LISTING_PLACES, "rome", "Rome", "city", "", "italy", "", 4, 4, "places.yaml", 42},
    /* No event of its own, two through the places within it. */
    {LISTING_PLACES, "africa", "Africa", "region", "", "", NULL, 0, 2, "places.yaml", 0},
    {LISTING_PLACES, "iraq", "Iraq", "country", "العراق", "", NULL, 3, 5, "places.yaml", 0},
    /* Sources have no names, hierarchy or kind. */
    {LISTING_SOURCES, "art", "An article: \"Rome\" & <more>", NULL, "", "", "", 7, 0,
     "sources.yaml", 10},
};

static void test_get(void **state)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        listing_record r;
        char *err = NULL;
        if (listing_get(*state, rows[i].kind, rows[i].id, &r, &err) != 1)
            fail_msg("listing_get %s: %s", rows[i].id, err ? err : "not found");
        const char *id = rows[i].id;
        expect_str(r.id, id, "id", id);
        expect_str(r.name, rows[i].name, "name", id);
        expect_str(r.kind_name, rows[i].kind_name, "kind", id);
        char *a = list_text(&r.aliases), *p = list_text(&r.parents);
        expect_str(a, rows[i].aliases, "aliases", id);
        expect_str(p, rows[i].parents, "parents", id);
        free(a);
        free(p);
        if (rows[i].children) {
            char kids[512] = "";
            size_t n = 0;
            for (size_t k = 0; k < r.children.n; k++)
                n += (size_t)snprintf(kids + n, sizeof kids - n, "%s%s (%s)", k ? ", " : "",
                                      r.children.v[k], r.children.names[k]);
            expect_str(kids, rows[i].children, "children", id);
        }
        if (r.events != rows[i].events || r.events_all != rows[i].events_all)
            fail_msg("%s: events %lld, all %lld", id, r.events, r.events_all);
        size_t fl = strlen(rows[i].file), pl = strlen(r.path);
        if (pl < fl || strcmp(r.path + pl - fl, rows[i].file) != 0)
            fail_msg("%s: defined in %s, expected %s", id, r.path, rows[i].file);
        if (rows[i].line)
            assert_int_equal(r.line, rows[i].line);
        listing_record_free(&r);
        listing_record_free(&r);      /* freed: a no-op */
    }
}

/* The fields of each kind: words, coordinates, a source's columns. */
static void test_kind_fields(void **state)
{
    listing_record r;
    char *err = NULL;
    assert_int_equal(listing_get(*state, LISTING_PLACES, "rome", &r, &err), 1);
    assert_string_equal(r.noun, "place");
    assert_string_equal(r.parents_word, "within");
    assert_string_equal(r.children_word, "contains");
    assert_true(r.has_coords);
    assert_true(r.lat == 41.9028 && r.lon == 12.4964);
    assert_null(r.description);
    listing_record_free(&r);

    assert_int_equal(listing_get(*state, LISTING_PLACES, "africa", &r, &err), 1);
    assert_false(r.has_coords);
    listing_record_free(&r);

    assert_int_equal(listing_get(*state, LISTING_ACTORS, "caesar", &r, &err), 1);
    assert_string_equal(r.noun, "actor");
    assert_string_equal(r.parents_word, "part of");
    assert_string_equal(r.children_word, "members");
    assert_string_equal(r.description, "Roman general and dictator, killed on the Ides of March.");
    assert_false(r.has_coords);
    listing_record_free(&r);

    assert_int_equal(listing_get(*state, LISTING_SOURCES, "art", &r, &err), 1);
    assert_string_equal(r.noun, "source");
    assert_null(r.parents_word);
    assert_string_equal(r.publisher, "Example Press");
    assert_null(r.author);
    assert_string_equal(r.published, "2021-06");
    assert_null(r.accessed);
    assert_string_equal(r.url, "https://example.org/a_b?x=1&y=2");
    assert_null(r.notes);
    assert_int_equal(r.aliases.n + r.parents.n + r.children.n, 0);
    listing_record_free(&r);
}

/* An id that no record of that kind has: 0, nothing to free, no message. */
static void test_not_found(void **state)
{
    static const struct { listing_kind kind; const char *id; } none[] = {
        {LISTING_ACTORS, "nobody"}, {LISTING_PLACES, "islamic-state"},
        {LISTING_SOURCES, "rome"}, {LISTING_ACTORS, "ISIS"},   /* an alias is not an id */
        {LISTING_ACTORS, ""},
    };
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        listing_record r;
        char *err = NULL;
        assert_int_equal(listing_get(*state, none[i].kind, none[i].id, &r, &err), 0);
        assert_null(err);
        assert_null(r.id);
        assert_null(r.st);
        listing_record_free(&r);
    }
}

/* A database failure: -1 with a message naming the statement. */
static void test_db_error(void **state)
{
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);    /* no schema */
    listing_record r;
    char *err = NULL;
    assert_int_equal(listing_get(db, LISTING_ACTORS, "x", &r, &err), -1);
    assert_non_null(err);
    assert_non_null(strstr(err, "no such table"));
    assert_null(r.st);
    free(err);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get),
        cmocka_unit_test(test_kind_fields),
        cmocka_unit_test(test_not_found),
        cmocka_unit_test(test_db_error),
    };
    return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
