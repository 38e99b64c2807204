/* test_serve_match.c - a filter that is only a date range, answered from the events' bounds kept in memory, gives what SQL gives: totals, extents, facets, strips; the bounds and lanes by rowid. */
#include <inttypes.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "annals/db.h"
#include "annals/edtf.h"
#include "annals/query.h"
#include "annals/serve.h"
#include "fixture.h"

/* The dataset: BCE dates, an open start, an open end, seasons, intervals, several per day. */
#define DATASET "data/report/main"

typedef struct {
    char dir[64];
    char path[96];
    sqlite3 *db;             /* the same database, for the SQL side */
    serve_state st;
} world;

static int setup(void **state)
{
    world *w = calloc(1, sizeof(*w));
    sqlite3 *mem = fixture_load(DATASET, false);
    if (!w || !mem)
        return -1;
    snprintf(w->dir, sizeof(w->dir), "/tmp/annals-match-XXXXXX");
    if (!mkdtemp(w->dir))
        return -1;
    snprintf(w->path, sizeof(w->path), "%s/a.db", w->dir);
    sqlite3 *file;
    if (sqlite3_open(w->path, &file) != SQLITE_OK)
        return -1;
    sqlite3_backup *b = sqlite3_backup_init(file, "main", mem, "main");
    int rc = b && sqlite3_backup_step(b, -1) == SQLITE_DONE ? 0 : -1;
    sqlite3_backup_finish(b);
    sqlite3_close(file);
    db_close(mem);
    char *err = NULL;
    if (rc != 0 || db_open(w->path, DB_READ, &w->db, &err) != 0 ||
        serve_state_init(&w->st, w->path, NULL, false) != 0) {
        fprintf(stderr, "setup: %s\n", err ? err : "failed");
        free(err);
        return -1;
    }
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    serve_state_free(&w->st);
    db_close(w->db);
    char wal[128];
    unlink(w->path);
    snprintf(wal, sizeof(wal), "%s-wal", w->path);
    unlink(wal);
    snprintf(wal, sizeof(wal), "%s-shm", w->path);
    unlink(wal);
    rmdir(w->dir);
    free(w);
    return 0;
}

/* The JSON answer of path with the date range (NULL: not given) and more parameters: key, value, ..., NULL. */
static json_t *ask(world *w, const char *path, const char *from, const char *to, ...)
{
    http_param params[6];
    size_t n = 0;
    if (from)
        params[n++] = (http_param){"from", from};
    if (to)
        params[n++] = (http_param){"to", to};
    va_list ap;
    va_start(ap, to);
    for (const char *key; n < 6 && (key = va_arg(ap, const char *)) != NULL; n++)
        params[n] = (http_param){key, va_arg(ap, const char *)};
    va_end(ap);
    http_request req = {path, params, n};
    http_reply rep = {.status = 200};
    assert_int_equal(serve_handle(&w->st, &req, &rep), 0);
    if (rep.status != 200)
        fail_msg("%s from %s to %s: %u %.*s", path, from ? from : "-", to ? to : "-", rep.status,
                 (int)rep.len, rep.body);
    json_error_t jerr;
    json_t *j = json_loadb(rep.body, rep.len, 0, &jerr);
    free(rep.body);
    assert_non_null(j);
    return j;
}

/* What SQL says of the events the range matches: count, bounds, the earliest and latest start that is not open. */
typedef struct {
    long count;
    int64_t lo, hi, first, last;
    bool has_first;
} sql_extent;

static sql_extent sql_side(world *w, query_filter f)
{
    query_cursor *c;
    char *err = NULL;
    assert_int_equal(query_open(w->db, &f, &c, &err), 0);
    sql_extent x = {0};
    assert_int_equal(query_extent(c, &x.lo, &x.hi, &x.count, &err), 0);
    sqlite3_stmt *st;
    assert_int_equal(query_prepare_over(c, "SELECT min(nullif(lower, :open)), max(nullif(lower, :open))"
                                           " FROM matched", &st, &err), 0);
    sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":open"), EDTF_MIN);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    x.has_first = sqlite3_column_type(st, 0) != SQLITE_NULL;
    x.first = sqlite3_column_int64(st, 0);
    x.last = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    query_close(c);
    return x;
}

/* A bound of an answer: its seconds, or absent (null or not there) as has false. */
static void bound_is(const json_t *answer, const char *key, bool has, int64_t want)
{
    const json_t *v = json_object_get(answer, key);
    if (!has) {
        if (v && !json_is_null(v))
            fail_msg("%s: %" PRId64 ", none expected", key, (int64_t)json_integer_value(v));
        return;
    }
    if (!json_is_integer(v))
        fail_msg("%s: missing, %" PRId64 " expected", key, want);
    assert_int_equal(json_integer_value(v), want);
}

static long long sum_density(const json_t *d)
{
    long long n = 0;
    size_t i, j;
    json_t *lane, *c;
    json_array_foreach(json_object_get(d, "lanes"), i, lane)
        json_array_foreach(json_object_get(lane, "counts"), j, c)
            n += json_integer_value(c);
    return n;
}

/* Date ranges across the dataset's edges: none, one side, BCE, an exact day, before and after all. */
static const struct {
    const char *from, *to;
} ranges[] = {
    {NULL, NULL}, {"2019", NULL}, {NULL, "-0044"}, {"-0048", "-0044"}, {"2021-01-01", "2021-01-01"},
    {"-0509", "-0509"}, {"2014", "2014"}, {"2030", NULL}, {NULL, "-1000"}, {"-9999", "9999"},
    {"2019-03", "2019-03"}, {"2021-06-29", NULL},
};

static void test_dates_from_memory(void **state)
{
    world *w = *state;
    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
        const char *from = ranges[i].from, *to = ranges[i].to;
        sql_extent x = sql_side(w, (query_filter){.from = from, .to = to});
        json_t *ext = ask(w, "/api/extent", from, to, NULL);
        assert_int_equal(json_integer_value(json_object_get(ext, "total")), x.count);
        bound_is(ext, "start", x.count && x.lo != EDTF_MIN, x.lo);
        bound_is(ext, "end", x.count && x.hi != EDTF_MAX, x.hi);
        bound_is(ext, "first", x.has_first, x.first);
        bound_is(ext, "last", x.has_first, x.last);
        json_t *facets = ask(w, "/api/facets", from, to, NULL);
        assert_true(json_equal(json_object_get(facets, "total"), json_object_get(ext, "total")));
        json_t *page = ask(w, "/api/events", from, to, "limit", "1", NULL);
        assert_int_equal(json_integer_value(json_object_get(page, "total")), x.count);
        if (from && to) {
            json_t *d = ask(w, "/api/density", from, to, "bins", "7", NULL);
            assert_int_equal(sum_density(d), x.count);
            json_decref(d);
        }
        json_decref(ext);
        json_decref(facets);
        json_decref(page);
    }
}

/* A filter that is not only dates goes through SQL: its strips hold its events, each once. */
static void test_density_through_sql(void **state)
{
    world *w = *state;
    static const char *const words[] = {"the", "caesar", "attack", "zzzz"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        json_t *d = ask(w, "/api/density", "-0600", "2030", "bins", "9", "text", words[i], NULL);
        sql_extent x = sql_side(w, (query_filter){.from = "-0600", .to = "2030", .text = words[i]});
        assert_int_equal(sum_density(d), x.count);
        json_decref(d);
    }
}

/* The bounds and lanes by rowid: every event's, none where there is no event. */
static void test_bounds_and_lanes(void **state)
{
    world *w = *state;
    char *err = NULL;
    serve_bounds *b = serve_bounds_read(w->db, &err);
    serve_lanes *l = serve_lanes_read(w->db, &err);
    assert_non_null(b);
    assert_non_null(l);
    sqlite3_stmt *st;
    assert_int_equal(db_prepare(w->db, "SELECT e.rowid, e.lower, e.upper, (SELECT actor_id FROM"
                                       " event_actors WHERE event_id = e.id AND seq = 0)"
                                       " FROM events e", &st, &err), 0);
    size_t events = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t rowid = sqlite3_column_int64(st, 0), lower, upper;
        assert_true(serve_bounds_of(b, rowid, &lower, &upper));
        assert_int_equal(lower, sqlite3_column_int64(st, 1));
        assert_int_equal(upper, sqlite3_column_int64(st, 2));
        uint32_t lane = serve_lanes_of(l, rowid);
        const char *actor = (const char *)sqlite3_column_text(st, 3);
        if (!actor)
            assert_int_equal(lane, SERVE_NO_LANE);
        else
            assert_string_equal(serve_lanes_id(l, lane), actor);
        events++;
    }
    sqlite3_finalize(st);
    assert_true(events > 10);
    assert_int_equal(serve_bounds_rows(b), events + 1);    /* rowids 1 .. events */
    int64_t lower, upper;
    assert_false(serve_bounds_of(b, 0, &lower, &upper));
    assert_false(serve_bounds_of(b, -1, &lower, &upper));
    assert_false(serve_bounds_of(b, (int64_t)events + 1, &lower, &upper));
    assert_int_equal(serve_lanes_of(l, (int64_t)events + 5), SERVE_NO_LANE);
    serve_bounds_free(b);
    serve_lanes_free(l);
    serve_bounds_free(NULL);
    serve_lanes_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates_from_memory),
        cmocka_unit_test(test_density_through_sql),
        cmocka_unit_test(test_bounds_and_lanes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
