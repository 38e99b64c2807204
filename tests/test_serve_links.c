/* test_serve_links.c - every event's links by rowid: the file's order, sources once, types, start years, values in id order, events that are not there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "annals/db.h"
#include "annals/edtf.h"
#include "annals/serve.h"

/* The events, with rowids out of their id order and a gap; links in each table's own order. */
static const char fixture_sql[] =
    "INSERT INTO files VALUES (1, 'a.yaml', '0', 0);"
    "INSERT INTO events (rowid, id, date, lower, upper, precision, title, type, file_id, line, col)"
    " VALUES (5, 'b', 'x', :b, 0, 'year', 'B', NULL, 1, 1, 1),"
    "        (2, 'a', 'x', :a, 0, 'year', 'A', 'battle', 1, 1, 1),"
    "        (9, 'd', 'x', :d, 0, 'year', 'D', 'accord', 1, 1, 1),"
    "        (3, 'c', 'x', :c, 0, 'year', 'C', 'battle', 1, 1, 1);"
    "INSERT INTO event_actors VALUES ('a', 0, 'zeta', 'victim', 1, 1), ('a', 1, 'alpha', NULL, 1, 1),"
    "  ('a', 2, 'zeta', 'leader', 1, 1), ('aa', 0, 'ghost', 'ghost-role', 1, 1),"
    "  ('b', 0, 'alpha', 'leader', 1, 1),"
    "  ('d', 0, 'mu', NULL, 1, 1), ('zz', 0, 'ghost', NULL, 1, 1);"
    "INSERT INTO event_places VALUES ('c', 0, 'rome', 1, 1), ('d', 0, 'carthage', 1, 1),"
    "  ('d', 1, 'rome', 1, 1);"
    "INSERT INTO event_tags VALUES ('a', 0, 'war'), ('a', 1, 'siege'), ('a', 2, 'war'),"
    "  ('d', 0, 'peace');"
    "INSERT INTO event_sources VALUES ('a', 0, 's2', NULL, NULL, 1, 1),"
    "  ('a', 1, 's1', NULL, NULL, 1, 1), ('a', 2, 's2', 'again', NULL, 1, 1),"
    "  ('c', 0, 's1', NULL, NULL, 1, 1);";

/* Each event: its rowid, its links as "id id ..." per kind (types: the type), its actors' roles ("-": none), and its start. */
static const struct {
    int64_t rowid;
    const char *links[SERVE_LINK_KINDS];
    const char *roles;
    int64_t year;           /* INT64_MIN: an open start */
} events[] = {
    {2, {"zeta alpha zeta", "", "war siege war", "s2 s1", "battle"}, "victim - leader", 2014},
    {3, {"", "rome", "", "s1", "battle"}, "", -217},
    {5, {"alpha", "", "", "", ""}, "leader", INT64_MIN},
    {9, {"mu", "carthage rome", "peace", "", "accord"}, "-", 2014},
};

/* The role names of e's actors, space-separated, "-" for none, from their numbers. */
static void roles_of(const serve_links *x, const serve_event_links *e, char *out, size_t max)
{
    static const char *const names[] = {"victim", "leader", "ghost-role"};
    out[0] = '\0';
    for (size_t i = 0; i < e->n[SERVE_LINK_ACTORS]; i++) {
        const char *name = "-";
        for (size_t r = 0; r < sizeof(names) / sizeof(names[0]); r++)
            if (e->actor_roles[i] != SERVE_LINKS_NONE && e->actor_roles[i] == serve_links_role(x, names[r]))
                name = names[r];
        size_t n = strlen(out);
        snprintf(out + n, max - n, "%s%s", i ? " " : "", name);
    }
}

static int64_t lower_of(const char *text)
{
    edtf_date d;
    char msg[160];
    assert_int_equal(edtf_parse(text, strlen(text), false, &d, msg, sizeof(msg), NULL), 0);
    return d.lower;
}

static sqlite3 *fixture(void)
{
    sqlite3 *db;
    char *err = NULL;
    assert_int_equal(db_open(NULL, DB_TEMP, &db, &err), 0);
    const char *rest = fixture_sql;
    while (*rest) {
        sqlite3_stmt *st;
        const char *tail;
        assert_int_equal(sqlite3_prepare_v2(db, rest, -1, &st, &tail), SQLITE_OK);
        if (!st)
            break;
        int i;
        if ((i = sqlite3_bind_parameter_index(st, ":a")))
            sqlite3_bind_int64(st, i, lower_of("2014-06"));
        if ((i = sqlite3_bind_parameter_index(st, ":b")))
            sqlite3_bind_int64(st, i, EDTF_MIN);
        if ((i = sqlite3_bind_parameter_index(st, ":c")))
            sqlite3_bind_int64(st, i, lower_of("-0217"));
        if ((i = sqlite3_bind_parameter_index(st, ":d")))
            sqlite3_bind_int64(st, i, lower_of("2014-12-31"));
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
        rest = tail;
    }
    return db;
}

/* The ids of e's links of a kind, space-separated. */
static void ids_of(const serve_links *x, const serve_event_links *e, serve_link_kind kind,
                   char *out, size_t max)
{
    out[0] = '\0';
    for (size_t i = 0; i < e->n[kind]; i++) {
        size_t n = strlen(out);
        snprintf(out + n, max - n, "%s%s", i ? " " : "", serve_links_id(x, kind, e->of[kind][i]));
    }
}

static void test_links_by_rowid(void **state)
{
    (void)state;
    sqlite3 *db = fixture();
    char *err = NULL;
    serve_links *x = serve_links_read(db, &err);
    assert_null(err);
    assert_non_null(x);
    for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
        serve_event_links e;
        assert_true(serve_links_event(x, events[i].rowid, &e));
        for (int kind = 0; kind < SERVE_LINK_KINDS; kind++) {
            char got[128];
            ids_of(x, &e, kind, got, sizeof(got));
            assert_string_equal(got, events[i].links[kind]);
        }
        char roles[128];
        roles_of(x, &e, roles, sizeof(roles));
        assert_string_equal(roles, events[i].roles);
        if (events[i].year == INT64_MIN)
            assert_int_equal(e.year, SERVE_LINKS_NONE);
        else
            assert_int_equal(serve_links_year(x, e.year), events[i].year);
    }
    /* No event at these rowids: a gap, beyond the last, negative. */
    serve_event_links e;
    assert_false(serve_links_event(x, 4, &e));
    assert_false(serve_links_event(x, 10, &e));
    assert_false(serve_links_event(x, -1, &e));
    assert_true(serve_links_bytes(x) > 0);
    /* A role no kept link has (a link to no event is not read). */
    assert_int_equal(serve_links_role(x, "ghost-role"), SERVE_LINKS_NONE);
    assert_int_equal(serve_links_role(x, "nobody"), SERVE_LINKS_NONE);
    serve_links_free(x);
    db_close(db);
}

/* The values of each kind in id order (byte order); links to no event are not read. */
static void test_values_in_id_order(void **state)
{
    (void)state;
    static const char *const want[SERVE_LINK_KINDS] = {
        "alpha mu zeta", "carthage rome", "peace siege war", "s1 s2", "accord battle",
    };
    sqlite3 *db = fixture();
    char *err = NULL;
    serve_links *x = serve_links_read(db, &err);
    assert_non_null(x);
    for (int kind = 0; kind < SERVE_LINK_KINDS; kind++) {
        char got[128] = "";
        for (size_t i = 0; i < serve_links_values(x, kind); i++) {
            size_t n = strlen(got);
            snprintf(got + n, sizeof(got) - n, "%s%s", i ? " " : "",
                     serve_links_id(x, kind, serve_links_sorted(x, kind, i)));
        }
        assert_string_equal(got, want[kind]);
    }
    assert_int_equal(serve_links_years(x), 2);
    assert_int_equal(serve_links_year(x, 0), -217);
    assert_int_equal(serve_links_year(x, 1), 2014);
    serve_links_free(x);
    db_close(db);
}

static void test_empty_database(void **state)
{
    (void)state;
    sqlite3 *db;
    char *err = NULL;
    assert_int_equal(db_open(NULL, DB_TEMP, &db, &err), 0);
    serve_links *x = serve_links_read(db, &err);
    assert_non_null(x);
    serve_event_links e;
    assert_false(serve_links_event(x, 0, &e));
    for (int kind = 0; kind < SERVE_LINK_KINDS; kind++)
        assert_int_equal(serve_links_values(x, kind), 0);
    assert_int_equal(serve_links_years(x), 0);
    serve_links_free(x);
    serve_links_free(NULL);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_links_by_rowid),
        cmocka_unit_test(test_values_in_id_order),
        cmocka_unit_test(test_empty_database),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
