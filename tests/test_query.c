/* test_query.c - filters, hierarchies, name resolution, chronological order and the cursor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "annals/db.h"
#include "annals/diag.h"
#include "annals/load.h"
#include "annals/query.h"

#define FIXTURE "data/report/main"
#include "fixture.h"   /* fixture_setup: the fixture loaded once for the group */

/*
 * The ids a filter selects, space-separated, in the cursor's order; or
 * "error N: message" when query_open fails with N. The result is static.
 */
static const char *ids(sqlite3 *db, query_filter f)
{
    static char buf[4096];
    query_cursor *c;
    char *err = NULL;
    int rc = query_open(db, &f, &c, &err);
    if (rc != 0) {
        snprintf(buf, sizeof(buf), "error %d: %s", rc, err ? err : "(no message)");
        free(err);
        return buf;
    }
    buf[0] = '\0';
    const report_event *ev;
    size_t n = 0;
    while ((rc = query_next(c, &ev, &err)) == 1)
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? " " : "", ev->id);
    if (rc < 0) {
        snprintf(buf, sizeof(buf), "next failed: %s", err);
        free(err);
    }
    query_close(c);
    return buf;
}

#define ALL                                                                          \
    "before-republic civil-war rubicon ides-of-march decade is-advance caliphate "   \
    "approx-2019 still-active aa-new-year zz-new-year month-2021 year-2021 cell-raid " \
    "full-event rome-summit"

static void test_order_without_filter(void **state)
{
    query_filter f = {0};
    assert_string_equal(ids(*state, f), ALL);
}

/* Ties on the lower bound: what ends first first (2021-01-01, 2021-01, 2021), then id. */
static void test_order_ties(void **state)
{
    query_filter f = {.from = "2021-01-01", .to = "2021-01-01"};
    assert_string_equal(ids(*state, f),
                        "still-active aa-new-year zz-new-year month-2021 year-2021");
    /* Equal bounds: by id, whatever the order of the files. */
    query_filter g = {.from = "2021-06-28", .to = "2021-06-28", .type = "pledge"};
    assert_string_equal(ids(*state, g), "full-event");
    query_filter h = {.region = "rome", .from = "2021"};
    assert_string_equal(ids(*state, h), "full-event rome-summit");
}

/*
 * Equal lower bounds: the earlier upper bound first, an open end (the
 * largest bound) last, then id. Ids run against the order, so id alone
 * cannot pass.
 */
static void test_order_open_end_last(void **state)
{
    (void)state;
    static const struct { const char *id, *date; } rows[] = {
        {"a", "2021-01/.."}, {"b", "2021/.."}, {"c", "2021/2022"}, {"d", "2021"},
        {"e", "2021-01"}, {"f", "2021-01-01/2021-01-02"}, {"g", "2021-01-01"},
    };
    sqlite3 *db;
    char *err = NULL;
    assert_int_equal(db_open(NULL, DB_TEMP, &db, &err), 0);
    assert_int_equal(db_exec(db, "INSERT INTO files(id, path, hash, size) "
                                 "VALUES (1, 'x.yaml', '0', 0)", &err), 0);
    sqlite3_stmt *st;
    assert_int_equal(db_prepare(db, "INSERT INTO events(id, date, lower, upper, precision, "
                                    "title, file_id, line, col) VALUES (?, ?, ?, ?, 'day', "
                                    "'t', 1, 1, 1)", &st, &err), 0);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        edtf_date d;
        assert_int_equal(edtf_parse(rows[i].date, strlen(rows[i].date), true, &d, NULL, 0,
                                    NULL), 0);
        sqlite3_bind_text(st, 1, rows[i].id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, rows[i].date, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, d.lower);
        sqlite3_bind_int64(st, 4, d.upper);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    assert_string_equal(ids(db, (query_filter){0}), "g f e d c a b");
    /* The walk of a broad filter keeps the same order. */
    assert_int_equal(db_exec(db, "INSERT INTO event_tags SELECT id, 0, 't' FROM events",
                             &err), 0);
    assert_string_equal(ids(db, (query_filter){.tag = "t"}), "g f e d c a b");
    db_close(db);
}

/*
 * Without a selective filter the order comes from events_chrono, with no
 * sorting step (rows stream); a filter by a link (actor, place, tag,
 * source, words) drives the query from that link's index and never scans
 * every event.
 */
static void check_plan(sqlite3 *db, query_filter f, bool streams)
{
    query_cursor *c;
    char *err = NULL;
    assert_int_equal(query_open(db, &f, &c, &err), 0);
    sqlite3_stmt *st = NULL, *plan;
    while ((st = sqlite3_next_stmt(db, st)) != NULL)
        if (strstr(sqlite3_sql(st), "ORDER BY e.lower"))
            break;
    assert_non_null(st);
    char *sql = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sqlite3_sql(st));
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &plan, NULL), SQLITE_OK);
    sqlite3_free(sql);
    bool uses_index = false, sorts = false, scans_events = false;
    while (sqlite3_step(plan) == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(plan, 3);
        uses_index |= strstr(d, "events_chrono") != NULL;
        sorts |= strstr(d, "TEMP B-TREE FOR ORDER BY") != NULL;
        scans_events |= strncmp(d, "SCAN e", 6) == 0 && (d[6] == ' ' || d[6] == '\0');
    }
    sqlite3_finalize(plan);
    query_close(c);
    if (streams) {
        assert_true(uses_index);
        assert_false(sorts);
    } else {
        assert_false(scans_events);
    }
}

static void test_query_plans(void **state)
{
    check_plan(*state, (query_filter){0}, true);
    check_plan(*state, (query_filter){.type = "attack"}, true);
    check_plan(*state, (query_filter){.from = "2020", .to = "2021"}, true);
}

/* 30,000 events, each with one of 1,000 actors and places and a tag. */
static sqlite3 *many_events(void)
{
    sqlite3 *db;
    char *err = NULL;
    assert_int_equal(db_open(NULL, DB_TEMP, &db, &err), 0);
    assert_int_equal(db_exec(db,
        "INSERT INTO files(id, path, hash, size) VALUES (1, 'x.yaml', '0', 0);"
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 29999) "
        "INSERT INTO events(id, date, lower, upper, precision, title, file_id, line, col) "
        "SELECT printf('e%05d', i), printf('%04d', 1000 + (i * 7919) % 1000), "
        "  (1000 + (i * 7919) % 1000 - 1970) * 31556952, "
        "  (1000 + (i * 7919) % 1000 - 1970) * 31556952 + 1000, 'year', "
        "  printf('event %d with a title long enough to need room', i), 1, i + 1, 1 FROM n;"
        "UPDATE events SET type = 'year';"
        "INSERT INTO event_tags(event_id, seq, tag) SELECT id, 0, 't' FROM events;"
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999) "
        "INSERT INTO actors(id, name, file_id, line, col) SELECT printf('a%d', i), "
        "  printf('A%d', i), 1, 1, 1 FROM n;"
        "INSERT INTO places(id, name, file_id, line, col) SELECT printf('p%d', substr(id, 2)),"
        "  name, 1, 1, 1 FROM actors;"
        "INSERT INTO actor_names SELECT id, id, id, id, 0, 1, 1 FROM actors;"
        "INSERT INTO place_names SELECT id, id, id, id, 0, 1, 1 FROM places;"
        "INSERT INTO event_actors SELECT id, 0, printf('a%d', rowid % 1000), NULL, 1, 1 "
        "  FROM events;"
        "INSERT INTO event_places SELECT id, 0, printf('p%d', rowid % 1000), 1, 1 FROM events;"
        "INSERT INTO events_fts(events_fts) VALUES('rebuild');",
        &err), 0);
    return db;
}

static void test_selective_plans(void **state)
{
    (void)state;
    sqlite3 *db = many_events();
    check_plan(db, (query_filter){.actor = "a7"}, false);
    check_plan(db, (query_filter){.region = "p7", .from = "1500"}, false);
    check_plan(db, (query_filter){.text = "12345", .limit = 3}, false);
    check_plan(db, (query_filter){.actor = "a7", .region = "p7", .tag = "t", .type = "year",
                                  .from = "1019", .text = "event"}, false);
    /* And the answer: the 30 events of a7, in order. */
    query_filter f = {.actor = "a7"};
    query_cursor *c;
    char *err = NULL;
    assert_int_equal(query_open(db, &f, &c, &err), 0);
    const report_event *ev;
    int n = 0;
    int64_t last = INT64_MIN;
    while (query_next(c, &ev, &err) == 1) {
        assert_true(ev->when.lower >= last);
        last = ev->when.lower;
        n++;
    }
    assert_int_equal(n, 30);
    query_close(c);
    db_close(db);
}

static void test_actor_by_id_name_alias(void **state)
{
    const char *want = "civil-war rubicon ides-of-march";
    const char *names[] = {"caesar", "Julius Caesar", "JULIUS CAESAR", "Caesar", "Καίσαρ",
                           "ΚΑΙΣΑΡ", "καισαρ"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        query_filter f = {.actor = names[i]};
        assert_string_equal(ids(*state, f), want);
    }
}

static void test_actor_hierarchy(void **state)
{
    /* Three levels of part_of below islamic-state, found by an Arabic alias. */
    const char *want = "decade is-advance caliphate approx-2019 still-active month-2021 "
                       "cell-raid full-event";
    query_filter f = {.actor = "داعش"};
    assert_string_equal(ids(*state, f), want);
    query_filter g = {.actor = "isis"};
    assert_string_equal(ids(*state, g), want);
    query_filter h = {.actor = "ISGS"};
    assert_string_equal(ids(*state, h), "decade cell-raid");
    /* Diacritics folded: "menaka cell" finds "Ménaka Cell". */
    query_filter k = {.actor = "menaka cell"};
    assert_string_equal(ids(*state, k), "cell-raid");
    query_filter l = {.actor = "cell-leader"};
    assert_string_equal(ids(*state, l), "cell-raid");
    /* Rome's members are caesar and brutus. */
    query_filter m = {.actor = "Res Publica Romana"};
    assert_string_equal(ids(*state, m), "civil-war rubicon ides-of-march");
}

static void test_role(void **state)
{
    query_filter f = {.actor = "rome", .role = "assassin"};
    assert_string_equal(ids(*state, f), "ides-of-march");
    query_filter g = {.role = "perpetrator"};
    assert_string_equal(ids(*state, g), "is-advance month-2021 cell-raid");
    query_filter h = {.actor = "isis", .role = "Perpetrator"};
    assert_string_equal(ids(*state, h), "is-advance month-2021 cell-raid");
    query_filter k = {.actor = "caesar", .role = "perpetrator"};   /* both known, not together */
    assert_string_equal(ids(*state, k), "");
    query_filter l = {.role = "nobody"};
    assert_string_equal(ids(*state, l), "error -1: no role matches 'nobody'");
    query_filter m = {.actor = "rome", .role = "asassin"};
    assert_string_equal(ids(*state, m), "error -1: no role matches 'asassin' "
                                        "(closest: 'assassin')");
}

static void test_region(void **state)
{
    query_filter f = {.region = "africa"};     /* mali, menaka, menaka-town: 3 levels */
    assert_string_equal(ids(*state, f), "decade cell-raid");
    query_filter g = {.region = "menaka"};     /* an id */
    assert_string_equal(ids(*state, g), "cell-raid");
    query_filter h = {.region = "MÉNAKA"};     /* a name, case-insensitively */
    assert_string_equal(ids(*state, h), "cell-raid");
    query_filter k = {.region = "Menaka Town"};   /* diacritics folded */
    assert_string_equal(ids(*state, k), "cell-raid");
    query_filter l = {.region = "العراق"};
    assert_string_equal(ids(*state, l), "is-advance caliphate still-active month-2021 "
                                        "full-event");
    query_filter m = {.region = "Italy"};
    assert_string_equal(ids(*state, m), "before-republic rubicon ides-of-march full-event "
                                        "rome-summit");
}

static void test_unknown_and_ambiguous_names(void **state)
{
    query_filter f = {.actor = "isis-sahel"};
    assert_string_equal(ids(*state, f), "error -1: no actor matches 'isis-sahel' "
                                        "(closest: 'is-greater-sahara', 'islamic-state')");
    query_filter g = {.actor = "qqqqqqqqqq"};
    assert_string_equal(ids(*state, g), "error -1: no actor matches 'qqqqqqqqqq'");
    query_filter h = {.region = "bagdad"};
    assert_string_equal(ids(*state, h), "error -1: no place matches 'bagdad' "
                                        "(closest: 'baghdad')");
    query_filter k = {.region = "Georgia"};
    assert_string_equal(ids(*state, k), "error -1: 'Georgia' matches several places: "
                                        "'georgia' (Georgia), 'georgia-us' (Georgia); "
                                        "give an id");
    query_filter l = {.region = "georgia"};   /* an exact id wins */
    assert_string_equal(ids(*state, l), "");
    query_filter m = {.source = "plutarc"};
    assert_string_equal(ids(*state, m), "error -1: no source matches 'plutarc' "
                                        "(closest: 'plutarch')");
}

static void test_from_to(void **state)
{
    /* BCE: up to the end of 45 BCE; the open start reaches back forever. */
    query_filter f = {.to = "-0044"};
    assert_string_equal(ids(*state, f), "before-republic civil-war rubicon");
    query_filter g = {.from = "-0043", .to = "-0043"};
    assert_string_equal(ids(*state, g), "ides-of-march");
    /* The day the civil war ends overlaps it. */
    query_filter h = {.from = "-0044-12-31", .to = "-0043-03-15"};
    assert_string_equal(ids(*state, h), "civil-war ides-of-march");
    query_filter k = {.to = "-0509-12-31"};
    assert_string_equal(ids(*state, k), "before-republic");
    query_filter l = {.to = "-0510"};
    assert_string_equal(ids(*state, l), "before-republic");
    /* An open end matches every later --from. */
    query_filter m = {.from = "2999"};
    assert_string_equal(ids(*state, m), "still-active");
    /* Edges are inclusive; an unknown start carries its end's bounds. */
    query_filter n = {.from = "2021-06-30"};
    assert_string_equal(ids(*state, n), "still-active year-2021 cell-raid");
    query_filter o = {.from = "2021-07"};
    assert_string_equal(ids(*state, o), "still-active year-2021");
    query_filter p = {.to = "2014-05-31", .from = "1000"};
    assert_string_equal(ids(*state, p), "decade");
    query_filter q = {.to = "2014-06"};
    assert_string_equal(ids(*state, q), "before-republic civil-war rubicon ides-of-march "
                                        "decade is-advance caliphate");
    /* Seasons and qualifiers as bounds. */
    query_filter r = {.from = "2019~", .to = "2019-21"};
    assert_string_equal(ids(*state, r), "decade approx-2019 still-active");
}

/* A filter that is a date range at most, and its bounds; any other filter is not. */
static void test_dates_only(void **state)
{
    static const struct {
        query_filter f;
        bool dates_only;
        int64_t from, to;      /* the seconds of the given dates, or the open ends */
    } rows[] = {
        {{0}, true, INT64_MIN, INT64_MAX},
        {{.from = "2021"}, true, 1609459200, INT64_MAX},
        {{.to = "2021"}, true, INT64_MIN, 1640995199},
        {{.from = "-0043-03-15", .to = "-0043-03-15"}, true, -63517824000, -63517737601},
        {{.text = " \t "}, true, INT64_MIN, INT64_MAX},   /* no word: no filter */
        {{.actor = "caesar"}, false, 0, 0},
        {{.from = "2021", .region = "rome"}, false, 0, 0},
        {{.type = "attack"}, false, 0, 0},
        {{.tag = "caliphate"}, false, 0, 0},
        {{.source = "plutarch"}, false, 0, 0},
        {{.text = "caesar"}, false, 0, 0},
        {{.actor = "caesar", .role = "victim"}, false, 0, 0},
        {{.event = "rubicon"}, false, 0, 0},
        {{.part_of = "full-event"}, false, 0, 0},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        query_cursor *c;
        char *err = NULL;
        if (query_open(*state, &rows[i].f, &c, &err) != 0)
            fail_msg("row %zu: %s", i, err);
        int64_t from = 0, to = 0;
        if (query_dates_only(c, &from, &to) != rows[i].dates_only)
            fail_msg("row %zu: dates only is %s", i, rows[i].dates_only ? "false" : "true");
        if (rows[i].dates_only) {
            assert_int_equal(from, rows[i].from);
            assert_int_equal(to, rows[i].to);
        }
        query_close(c);
    }
}

static void test_bad_dates(void **state)
{
    query_filter f = {.from = "2021-13"};
    assert_string_equal(ids(*state, f),
                        "error -1: invalid --from date '2021-13': month 13 is out of range "
                        "(01-12)");
    query_filter g = {.to = "2019/2020"};
    assert_string_equal(ids(*state, g), "error -1: invalid --to date '2019/2020': expected a "
                                        "date, not an interval");
    query_filter h = {.from = "2021", .to = "2019"};
    assert_string_equal(ids(*state, h), "error -1: --from 2021 lies after --to 2019");
}

static void test_type_tag(void **state)
{
    query_filter f = {.type = "attack"};
    assert_string_equal(ids(*state, f), "month-2021 cell-raid");
    query_filter g = {.type = "ATTACK"};
    assert_string_equal(ids(*state, g), "month-2021 cell-raid");
    query_filter h = {.tag = "render"};
    assert_string_equal(ids(*state, h), "before-republic ides-of-march still-active full-event");
    query_filter k = {.tag = "caliphate", .type = "proclamation"};
    assert_string_equal(ids(*state, k), "caliphate");
    query_filter l = {.tag = "caliphate", .type = "attack"};   /* both used, never together */
    assert_string_equal(ids(*state, l), "");
    /* A word no event uses is an error with the closest, as an unknown actor is. */
    query_filter m = {.tag = "none-such"};
    assert_string_equal(ids(*state, m), "error -1: no tag matches 'none-such'");
    query_filter n = {.type = "Atack"};
    assert_string_equal(ids(*state, n), "error -1: no type matches 'Atack' (closest: 'attack')");
    query_filter o = {.tag = "resurgance"};
    assert_string_equal(ids(*state, o), "error -1: no tag matches 'resurgance' "
                                        "(closest: 'resurgence')");
}

static void test_text(void **state)
{
    query_filter f = {.text = "caliphate"};
    assert_string_equal(ids(*state, f), "caliphate");
    query_filter g = {.text = "menaka"};             /* diacritics folded */
    assert_string_equal(ids(*state, g), "cell-raid");
    query_filter h = {.text = "Islamic  Iraq"};       /* every word */
    assert_string_equal(ids(*state, h), "is-advance caliphate still-active");
    query_filter k = {.text = "senators"};           /* the summary too */
    assert_string_equal(ids(*state, k), "ides-of-march");
    /* FTS syntax is taken as words, never as syntax. */
    const char *hostile[] = {"NEAR(a b)", "title:caesar", "\"", "caesar*", "a OR b",
                             "-caesar", "^x", "(", "AND", "\"unterminated"};
    for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
        query_filter x = {.text = hostile[i]};
        const char *r = ids(*state, x);
        assert_true(strncmp(r, "error", 5) != 0 && strncmp(r, "next", 4) != 0);
    }
    query_filter y = {.text = "title:caesar"};
    assert_string_equal(ids(*state, y), "");
    query_filter z = {.text = "   "};                 /* no word: no filter */
    assert_string_equal(ids(*state, z), ALL);
}

static void test_limit_and_combined(void **state)
{
    query_filter f = {.limit = 3};
    assert_string_equal(ids(*state, f), "before-republic civil-war rubicon");
    query_filter g = {.actor = "isis", .region = "iraq", .from = "2015", .limit = 2};
    assert_string_equal(ids(*state, g), "still-active month-2021");
    query_filter h = {.actor = "caesar", .region = "africa"};
    assert_string_equal(ids(*state, h), "");
    query_filter k = {.source = "plutarch", .type = "war"};
    assert_string_equal(ids(*state, k), "civil-war");
    query_filter l = {.event = "full-event"};
    assert_string_equal(ids(*state, l), "full-event");
    query_filter m = {.part_of = "rome-summit"};
    assert_string_equal(ids(*state, m), "full-event");
}

static void test_links(void **state)
{
    query_filter f = {.event = "full-event"};
    query_cursor *c;
    char *err = NULL;
    const report_event *ev;
    assert_int_equal(query_open(*state, &f, &c, &err), 0);
    assert_int_equal(query_next(c, &ev, &err), 1);
    assert_string_equal(ev->id, "full-event");
    assert_string_equal(ev->date, "2021-06-28");
    assert_int_equal(ev->when.precision, EDTF_PREC_DAY);
    assert_string_equal(ev->type, "pledge");
    assert_string_equal(ev->part_of, "rome-summit");
    assert_string_equal(ev->notes, "Every field is set.");
    assert_string_equal(ev->file, FIXTURE "/events.yaml");
    assert_true(ev->line > 1);
    assert_int_equal(ev->nactors, 2);
    assert_string_equal(ev->actors[0].id, "coalition");
    assert_string_equal(ev->actors[0].name, "Global Coalition");
    assert_string_equal(ev->actors[0].role, "host");
    assert_null(ev->actors[1].role);
    assert_int_equal(ev->nplaces, 2);
    assert_string_equal(ev->places[1].name, "Baghdad");
    assert_true(ev->places[1].has_coords);
    assert_true(ev->places[1].lat == 33.3152 && ev->places[1].lon == 44.3661);
    assert_int_equal(ev->ntags, 2);
    assert_string_equal(ev->tags[0], "render");
    assert_string_equal(ev->tags[1], "money");
    assert_int_equal(ev->nsources, 2);
    assert_string_equal(ev->sources[0].quote, "He said: \"17.5 million\" <b>");
    assert_string_equal(ev->sources[0].locator, "paragraph 3");
    assert_string_equal(ev->sources[0].url, "https://example.org/a_b?x=1&y=2");
    assert_string_equal(ev->sources[0].publisher, "Example Press");
    assert_string_equal(ev->sources[0].published, "2021-06");
    assert_null(ev->sources[1].url);
    assert_null(ev->sources[1].quote);
    assert_int_equal(ev->nfigures, 2);
    assert_string_equal(ev->figures[0].name, "pledge");
    assert_true(ev->figures[0].value == 17500000 && ev->figures[0].has_low &&
                ev->figures[0].low == 17000000 && ev->figures[0].high == 18000000);
    assert_string_equal(ev->figures[0].unit, "US dollars");
    assert_false(ev->figures[1].has_low || ev->figures[1].has_high);
    assert_null(ev->figures[1].unit);
    assert_int_equal(query_next(c, &ev, &err), 0);
    assert_int_equal(query_next(c, &ev, &err), 0);   /* stays at the end */
    query_close(c);
}

/* Rewind gives the same events again; skipping links leaves the lists empty. */
static void test_rewind_and_skip_links(void **state)
{
    query_filter f = {.actor = "isis"};
    query_cursor *c;
    char *err = NULL;
    const report_event *ev;
    assert_int_equal(query_open(*state, &f, &c, &err), 0);
    char first[1024] = "", second[1024] = "";
    size_t n = 0, links = 0;
    query_skip_links(c, true);
    while (query_next(c, &ev, &err) == 1) {
        n += (size_t)snprintf(first + n, sizeof(first) - n, "%s ", ev->id);
        links += ev->nactors + ev->nplaces + ev->nsources;
    }
    assert_int_equal(links, 0);
    assert_int_equal(query_rewind(c, &err), 0);
    query_skip_links(c, false);
    n = 0;
    while (query_next(c, &ev, &err) == 1) {
        n += (size_t)snprintf(second + n, sizeof(second) - n, "%s ", ev->id);
        links += ev->nactors;
    }
    assert_string_equal(first, second);
    assert_true(links > 0);
    /* Rewind in the middle. */
    assert_int_equal(query_rewind(c, &err), 0);
    assert_int_equal(query_next(c, &ev, &err), 1);
    assert_int_equal(query_rewind(c, &err), 0);
    assert_int_equal(query_next(c, &ev, &err), 1);
    assert_string_equal(ev->id, "decade");
    query_close(c);
}

static void test_extent(void **state)
{
    query_cursor *c;
    char *err = NULL;
    int64_t lo, hi;
    long n;
    query_filter f = {.actor = "rome"};
    assert_int_equal(query_open(*state, &f, &c, &err), 0);
    assert_int_equal(query_extent(c, &lo, &hi, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_true(lo == edtf_seconds_from_civil(-48, 1, 1));
    assert_true(hi == edtf_seconds_from_civil(-43, 3, 16) - 1);
    /* The extent does not move the cursor. */
    const report_event *ev;
    assert_int_equal(query_next(c, &ev, &err), 1);
    assert_string_equal(ev->id, "civil-war");
    assert_int_equal(query_extent(c, &lo, &hi, &n, &err), 0);
    assert_int_equal(query_next(c, &ev, &err), 1);
    assert_string_equal(ev->id, "rubicon");
    query_close(c);

    query_filter g = {0};   /* open on both sides */
    assert_int_equal(query_open(*state, &g, &c, &err), 0);
    assert_int_equal(query_extent(c, &lo, &hi, &n, &err), 0);
    assert_int_equal(n, 16);
    assert_true(lo == EDTF_MIN && hi == EDTF_MAX);
    query_close(c);

    query_filter h = {.limit = 2};   /* the limit counts */
    assert_int_equal(query_open(*state, &h, &c, &err), 0);
    assert_int_equal(query_extent(c, &lo, &hi, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_true(hi == edtf_seconds_from_civil(-43, 1, 1) - 1);
    query_close(c);

    query_filter k = {.text = "nonesuch"};
    assert_int_equal(query_open(*state, &k, &c, &err), 0);
    assert_int_equal(query_extent(c, &lo, &hi, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_int_equal(query_next(c, &ev, &err), 0);
    query_close(c);
}

/* Many events stream in order through the reused buffers. */
static void test_many_events(void **state)
{
    (void)state;
    char *err = NULL;
    sqlite3 *db = many_events();
    query_filter f = {0};
    query_cursor *c;
    assert_int_equal(query_open(db, &f, &c, &err), 0);
    const report_event *ev;
    long n = 0;
    int64_t last = INT64_MIN;
    char last_id[16] = "";
    int rc;
    while ((rc = query_next(c, &ev, &err)) == 1) {
        int64_t lo = (int64_t)atoi(ev->date);   /* bounds grow with the year */
        assert_true(lo >= last);
        if (lo == last)
            assert_true(strcmp(ev->id, last_id) > 0);
        last = lo;
        snprintf(last_id, sizeof(last_id), "%s", ev->id);
        assert_int_equal(ev->ntags, 1);
        n++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, 30000);
    query_close(c);
    db_close(db);
}

/* A database without the schema: a failure of the database, not of the filter. */
static void test_database_failure(void **state)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    query_cursor *c = (query_cursor *)state;   /* anything not NULL */
    char *err = NULL;
    query_filter f = {.actor = "isis"};
    assert_int_equal(query_open(db, &f, &c, &err), QUERY_EDB);
    assert_null(c);
    assert_non_null(strstr(err, "no such table"));
    free(err);
    err = NULL;
    query_filter g = {0};
    assert_int_equal(query_open(db, &g, &c, &err), QUERY_EDB);
    assert_non_null(err);
    free(err);
    sqlite3_close(db);
    query_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_without_filter),
        cmocka_unit_test(test_order_ties),
        cmocka_unit_test(test_order_open_end_last),
        cmocka_unit_test(test_query_plans),
        cmocka_unit_test(test_selective_plans),
        cmocka_unit_test(test_actor_by_id_name_alias),
        cmocka_unit_test(test_actor_hierarchy),
        cmocka_unit_test(test_role),
        cmocka_unit_test(test_region),
        cmocka_unit_test(test_unknown_and_ambiguous_names),
        cmocka_unit_test(test_from_to),
        cmocka_unit_test(test_dates_only),
        cmocka_unit_test(test_bad_dates),
        cmocka_unit_test(test_type_tag),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_limit_and_combined),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_rewind_and_skip_links),
        cmocka_unit_test(test_extent),
        cmocka_unit_test(test_many_events),
        cmocka_unit_test(test_database_failure),
    };
    return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
