/* test_timeline_layout.c - the timeline layout: tick choice and labels, lanes, marks and rows, edge cases. */
#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "annals/edtf.h"
#include "annals/timeline_layout.h"
#include "annals/util.h"

/* cmocka 1.1 compares floats only: doubles within eps, the values in the message. */
#define assert_near(a, b, eps) near_((a), (b), (eps), #a, __FILE__, __LINE__)

static void near_(double a, double b, double eps, const char *what, const char *file, int line)
{
    if (!(fabs(a - b) <= eps))
        fail_msg("%s:%d: %s is %.9f, expected %.9f", file, line, what, a, b);
}

/*
 * With lanes whose names are short (or only "other"), the lane label column
 * is its least width: the axis runs from x 90 over 1200 - 90 - 28 units.
 */
#define LEFT 90.0
#define WIDTH 1082.0

/* An event: an EDTF date, a title, and optionally a first actor and a first place. */
typedef struct {
    const char *date;
    const char *title;
    const char *actor;      /* id; its name is the id in upper case */
    const char *place;
} ev_spec;

typedef struct {
    report_event ev;
    report_actor actor;
    report_place place;
    char actor_name[64], place_name[64];
} test_event;

static void upper(char *dst, size_t size, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < size; i++)
        dst[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i]);
    dst[i] = '\0';
}

/* Fill t from s; fails the test when the date does not parse. */
static void make_event(test_event *t, const ev_spec *s)
{
    memset(t, 0, sizeof *t);
    char err[128];
    if (edtf_parse(s->date, strlen(s->date), true, &t->ev.when, err, sizeof err, NULL) != 0)
        fail_msg("bad date in the test: %s: %s", s->date, err);
    t->ev.id = "ev";
    t->ev.date = s->date;
    t->ev.title = s->title ? s->title : "T";
    if (s->actor) {
        upper(t->actor_name, sizeof t->actor_name, s->actor);
        t->actor = (report_actor){.id = s->actor, .name = t->actor_name};
        t->ev.actors = &t->actor;
        t->ev.nactors = 1;
    }
    if (s->place) {
        upper(t->place_name, sizeof t->place_name, s->place);
        t->place = (report_place){.id = s->place, .name = t->place_name};
        t->ev.places = &t->place;
        t->ev.nplaces = 1;
    }
}

/*
 * Lay out n events as render_html does: add them all, scale, place them
 * all, stack; then the marks of the second placing into marks[] (each
 * freed by the caller with timeline_mark_free). count decides the labels.
 */
static void lay_out(timeline_layout *tl, const ev_spec *specs, size_t n, bool by_region,
                    long count, timeline_mark *marks)
{
    test_event *evs = calloc(n ? n : 1, sizeof *evs);
    assert_non_null(evs);
    for (size_t i = 0; i < n; i++)
        make_event(&evs[i], &specs[i]);
    timeline_init(tl, by_region, count, EDTF_MIN, EDTF_MAX);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(timeline_add(tl, &evs[i].ev), 0);
    assert_int_equal(timeline_scale(tl), 0);
    for (size_t i = 0; i < n; i++) {
        timeline_mark m;
        assert_int_equal(timeline_place(tl, &evs[i].ev, &m), 0);
        timeline_mark_free(&m);
    }
    timeline_stack(tl);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(timeline_place(tl, &evs[i].ev, &marks[i]), 0);
    free(evs);
}

static void free_marks(timeline_mark *marks, size_t n)
{
    for (size_t i = 0; i < n; i++)
        timeline_mark_free(&marks[i]);
}

/* The tick labels joined by '|'. */
static void tick_labels(const timeline_axis *ax, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < ax->nticks && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? "|" : "", ax->ticks[i].label);
}

/* ---- Tick choice ------------------------------------------------------------------ */

/*
 * Each row: the events' dates (no actor: one "other" lane), then the axis
 * that must come out: its ends in bound seconds (the extent with a margin
 * of 3% of it or at least a day, three times as wide on an open side), the
 * step, and every tick's label.
 */
static const struct {
    const char *name;
    const char *dates[3];
    int64_t lo, hi;
    timeline_unit unit;
    int64_t step;
    const char *labels;
} tick_rows[] = {
    /* Hours: the first tick names the day and hour, midnight names the day. */
    {"hours", {"2021-06-28T10:30:00Z", "2021-06-28T15:45:00Z"},
     INT64_C(1624789800), INT64_C(1624981500), TIMELINE_HOUR, 12,
     "27 Jun 2021 12:00|28 Jun|12:00|29 Jun|12:00"},
    /* One day: a day of margin each side (2021-06-27 00:00 .. 2021-06-29 23:59:59). */
    {"one day", {"2021-06-28"}, INT64_C(1624752000), INT64_C(1625011199), TIMELINE_HOUR, 12,
     "27 Jun 2021 12:00|28 Jun|12:00|29 Jun|12:00"},
    /* Days: the year on the first tick only. */
    {"days", {"2021-06-01", "2021-06-20"}, INT64_C(1622419200), INT64_C(1624319999),
     TIMELINE_DAY, 2, "2 Jun 2021|4 Jun|6 Jun|8 Jun|10 Jun|12 Jun|14 Jun|16 Jun|18 Jun|20 Jun"},
    /* A month: weeks, counted from the epoch (a Thursday). */
    {"a month", {"2021-06"}, INT64_C(1622419200), INT64_C(1625183999), TIMELINE_DAY, 7,
     "3 Jun 2021|10 Jun|17 Jun|24 Jun|1 Jul"},
    /* Months: the year where it changes. */
    {"months", {"2021-01", "2022-03"}, INT64_C(1608279841), INT64_C(1649950558),
     TIMELINE_MONTH, 2, "Jan 2021|Mar|May|Jul|Sep|Nov|Jan 2022|Mar"},
    /* An open end: three margins on that side; quarters. */
    {"open end", {"2019-03/..", "2021"}, INT64_C(1548710497), INT64_C(1649058910),
     TIMELINE_MONTH, 3, "Apr 2019|Jul|Oct|Jan 2020|Apr|Jul|Oct|Jan 2021|Apr|Jul|Oct|Jan 2022|Apr"},
    {"decades", {"1990", "2021"}, INT64_C(600856705), INT64_C(1671290494), TIMELINE_YEAR, 2,
     "1990|1992|1994|1996|1998|2000|2002|2004|2006|2008|2010|2012|2014|2016|2018|2020|2022"},
    {"centuries", {"1066", "1815"}, INT64_C(-29237494751), INT64_C(-4149798050), TIMELINE_YEAR,
     50, "1050|1100|1150|1200|1250|1300|1350|1400|1450|1500|1550|1600|1650|1700|1750|1800"},
    /* BCE years: -0489 is 490 BCE; ticks where the BCE year is round. */
    {"BCE", {"-0489", "-0043"}, INT64_C(-78021785087), INT64_C(-63069414914), TIMELINE_YEAR, 50,
     "500 BCE|450 BCE|400 BCE|350 BCE|300 BCE|250 BCE|200 BCE|150 BCE|100 BCE|50 BCE"},
    /* Across year 0 by months: year 0 is 1 BCE, and 1 CE says its era. */
    {"across 0, months", {"-0003", "0002"}, INT64_C(-62267506271), INT64_C(-62066845730),
     TIMELINE_MONTH, 6,
     "Jan 4 BCE|Jul|Jan 3 BCE|Jul|Jan 2 BCE|Jul|Jan 1 BCE|Jul|Jan 1 CE|Jul|Jan 2|Jul|Jan 3"},
    /* From year 0 (1 BCE) on: the axis crosses into the common era, so 1 CE says so. */
    {"from 1 BCE", {"0000-03", "0001-09"}, INT64_C(-62163535967), INT64_C(-62110508834),
     TIMELINE_MONTH, 2, "Mar 1 BCE|May|Jul|Sep|Nov|Jan 1 CE|Mar|May|Jul|Sep"},
    /* Across year 0 by centuries: 1 CE stands between 100 BCE and 100, no year 0. */
    {"across 0, centuries", {"-0499", "0500"}, INT64_C(-78860847455), INT64_C(-45410432546),
     TIMELINE_YEAR, 100, "500 BCE|400 BCE|300 BCE|200 BCE|100 BCE|1 CE|100|200|300|400|500"},
    {"millennia", {"-4999", "2000"}, INT64_C(-226547361215), INT64_C(7605268414),
     TIMELINE_YEAR, 500,
     "5000 BCE|4500 BCE|4000 BCE|3500 BCE|3000 BCE|2500 BCE|2000 BCE|1500 BCE|1000 BCE|500 BCE|"
     "1 CE|500|1000|1500|2000"},
    /* Millions of years in words. */
    {"millions", {"Y-170000000", "2000"}, INT64_C(-5525686356784991), INT64_C(160943327872990),
     TIMELINE_YEAR, 20000000,
     "160 million BCE|140 million BCE|120 million BCE|100 million BCE|80 million BCE|"
     "60 million BCE|40 million BCE|20 million BCE|1 CE"},
};

static void test_ticks(void **state)
{
    (void)state;
    for (size_t r = 0; r < sizeof tick_rows / sizeof tick_rows[0]; r++) {
        ev_spec specs[3];
        size_t n = 0;
        for (; n < 3 && tick_rows[r].dates[n]; n++)
            specs[n] = (ev_spec){tick_rows[r].dates[n], NULL, NULL, NULL};
        timeline_layout tl;
        timeline_mark marks[3];
        lay_out(&tl, specs, n, false, (long)n, marks);
        const timeline_axis *ax = &tl.axis;
        char labels[1024];
        tick_labels(ax, labels, sizeof labels);
        if (ax->lo != tick_rows[r].lo || ax->hi != tick_rows[r].hi ||
            ax->step.unit != tick_rows[r].unit || ax->step.step != tick_rows[r].step ||
            strcmp(labels, tick_rows[r].labels) != 0)
            fail_msg("%s: axis %" PRId64 "..%" PRId64 " step %d x %" PRId64 " labels %s",
                     tick_rows[r].name, ax->lo, ax->hi, (int)ax->step.unit, ax->step.step,
                     labels);
        assert_near(ax->left, LEFT, 1e-9);
        assert_near(ax->width, WIDTH, 1e-9);
        /* Ticks are in order, inside the axis, each at its x. */
        for (size_t i = 0; i < ax->nticks; i++) {
            assert_true(ax->ticks[i].t >= ax->lo && ax->ticks[i].t <= ax->hi);
            assert_true(i == 0 || ax->ticks[i - 1].t < ax->ticks[i].t);
            double x = LEFT + WIDTH * (double)(ax->ticks[i].t - ax->lo) / (double)(ax->hi - ax->lo);
            assert_near(ax->ticks[i].x, x, 1e-6);
        }
        free_marks(marks, n);
        timeline_free(&tl);
    }
}

/* Where the ticks fall: on the hour, on midnight, on the first of a month, on 1 January. */
static void test_tick_positions(void **state)
{
    (void)state;
    timeline_axis ax;
    memset(&ax, 0, sizeof ax);
    /* 2021-06-27 00:00 .. 2021-06-29 23:59:59 by 12 hours: from 12:00 on the first day. */
    timeline_axis_set(&ax, INT64_C(1624752000), INT64_C(1625011199), LEFT, WIDTH);
    assert_int_equal(ax.nticks, 5);
    assert_int_equal(ax.ticks[0].t, INT64_C(1624795200));
    assert_int_equal(ax.ticks[1].t, INT64_C(1624838400));
    /* Across 0 by centuries: the tick 100 BCE is 1 January of the astronomical year -99. */
    timeline_axis_set(&ax, INT64_C(-78860847455), INT64_C(-45410432546), LEFT, WIDTH);
    assert_int_equal(ax.step.step, 100);
    assert_string_equal(ax.ticks[4].label, "100 BCE");
    assert_int_equal(ax.ticks[4].t, edtf_seconds_from_civil(-99, 1, 1));
    assert_string_equal(ax.ticks[5].label, "1 CE");
    assert_int_equal(ax.ticks[5].t, edtf_seconds_from_civil(1, 1, 1));
    /* A narrower axis takes a coarser step for the same span. */
    timeline_axis_set(&ax, INT64_C(-78860847455), INT64_C(-45410432546), LEFT, 300);
    assert_int_equal(ax.step.unit, TIMELINE_YEAR);
    assert_int_equal(ax.step.step, 500);
    char labels[512];
    tick_labels(&ax, labels, sizeof labels);
    assert_string_equal(labels, "500 BCE|1 CE|500");
}

static void test_year_words(void **state)
{
    (void)state;
    static const struct {
        int64_t year;
        bool ce, abbreviate;
        const char *words;
    } rows[] = {
        {2021, false, false, "2021"},     {2021, true, false, "2021 CE"},
        {1, true, true, "1 CE"},          {0, false, false, "1 BCE"},
        {-43, false, false, "44 BCE"},    {-12499, false, false, "12,500 BCE"},
        {-169999999, false, true, "170 million BCE"},
        {-169999999, false, false, "170,000,000 BCE"},
        {-2499999, false, true, "2.5 million BCE"},
        {-2499998, false, true, "2,499,999 BCE"},
        {-3999999999, false, true, "4 billion BCE"},
        {12345, false, true, "12,345"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char buf[64];
        timeline_year_words(rows[i].year, rows[i].ce, rows[i].abbreviate, buf, sizeof buf);
        if (strcmp(buf, rows[i].words) != 0)
            fail_msg("year %" PRId64 ": '%s', expected '%s'", rows[i].year, buf, rows[i].words);
    }
}

/* ---- Lanes ----------------------------------------------------------------------- */

/* Lanes by first actor in order of first appearance, "other" last whatever the order. */
static void test_lanes_by_actor(void **state)
{
    (void)state;
    const ev_spec specs[] = {
        {"2001", NULL, NULL, "p1"}, {"2002", NULL, "b", "p2"}, {"2003", NULL, "a", NULL},
        {"2004", NULL, "b", "p1"},
    };
    timeline_layout tl;
    timeline_mark m[4];
    lay_out(&tl, specs, 4, false, 4, m);
    assert_int_equal(tl.nlanes, 3);
    assert_string_equal(tl.lanes[0].id, "b");
    assert_string_equal(tl.lanes[0].name, "B");
    assert_string_equal(tl.lanes[1].id, "a");
    assert_null(tl.lanes[2].id);
    assert_string_equal(tl.lanes[2].name, "other");
    assert_int_equal(tl.other, 2);
    assert_int_equal(tl.lanes[0].colour, 0);
    assert_int_equal(tl.lanes[1].colour, 1);
    assert_int_equal(tl.lanes[2].colour, TIMELINE_NCOLOURS);
    assert_string_equal(timeline_colour(TIMELINE_NCOLOURS), "#7f7f7f");
    assert_string_equal(timeline_colour(0), "#0072b2");
    size_t want[] = {2, 0, 1, 0};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(m[i].lane, want[i]);
    free_marks(m, 4);
    timeline_free(&tl);

    /* By region: the first place; no "other" lane when every event has a place. */
    const ev_spec placed[] = {{"2001", NULL, "a", "p2"}, {"2002", NULL, NULL, "p1"},
                              {"2003", NULL, "b", "p2"}};
    lay_out(&tl, placed, 3, true, 3, m);
    assert_int_equal(tl.nlanes, 2);
    assert_string_equal(tl.lanes[0].id, "p2");
    assert_string_equal(tl.lanes[1].id, "p1");
    assert_int_equal(tl.other, SIZE_MAX);
    assert_int_equal(m[0].lane, 0);
    assert_int_equal(m[1].lane, 1);
    assert_int_equal(m[2].lane, 0);
    free_marks(m, 3);
    timeline_free(&tl);
}

/* Colours go round the palette; the lane column widens for long names, then cuts them. */
static void test_lane_colours_and_labels(void **state)
{
    (void)state;
    static const char *const ids[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i",
                                      "a very long actor name that cannot fit in the column"};
    ev_spec specs[10];
    for (size_t i = 0; i < 10; i++)
        specs[i] = (ev_spec){"2001", NULL, ids[i], NULL};
    timeline_layout tl;
    timeline_mark m[10];
    lay_out(&tl, specs, 9, false, 9, m);
    assert_int_equal(tl.nlanes, 9);
    assert_int_equal(tl.lanes[7].colour, 7);
    assert_int_equal(tl.lanes[8].colour, 0);
    assert_near(tl.axis.left, LEFT, 1e-9);
    assert_string_equal(tl.lanes[8].label, "I");
    free_marks(m, 9);
    timeline_free(&tl);

    lay_out(&tl, specs, 10, false, 10, m);
    assert_near(tl.axis.left, 270.0, 1e-9);     /* the widest the column gets */
    assert_near(tl.axis.width, 1200.0 - 270.0 - 28.0, 1e-9);
    assert_string_equal(tl.lanes[9].name, "A VERY LONG ACTOR NAME THAT CANNOT FIT IN THE COLUMN");
    assert_string_equal(tl.lanes[9].label, "A VERY LONG ACTOR NAME THAT\u2026");
    assert_string_equal(tl.lanes[0].label, "A");
    free_marks(m, 10);
    timeline_free(&tl);
}

/* ---- Marks and rows ---------------------------------------------------------------- */

/*
 * Without labels (more than TIMELINE_LABEL_LIMIT events), bars that overlap
 * take different rows, and one that starts after another ends takes its row
 * again; each lane's rows make its height.
 */
static void test_rows(void **state)
{
    (void)state;
    const ev_spec specs[] = {
        {"2000/2009", NULL, "a", NULL},   /* row 0 */
        {"2005/2014", NULL, "a", NULL},   /* overlaps the first: row 1 */
        {"2011/2020", NULL, "a", NULL},   /* after the first: row 0 again */
        {"2000/2020", NULL, "a", NULL},   /* overlaps all: row 2 */
        {"2016/2020", NULL, "a", NULL},   /* a year after the second: row 1 */
        {"2000/2009", NULL, "b", NULL},   /* another lane: its own row 0 */
        {"2010/2020", NULL, "b", NULL},   /* starts as the other ends: too close, row 1 */
    };
    timeline_layout tl;
    timeline_mark m[7];
    lay_out(&tl, specs, 7, false, TIMELINE_LABEL_LIMIT + 1, m);
    long want[] = {0, 1, 0, 2, 1, 0, 1};
    for (size_t i = 0; i < 7; i++) {
        assert_int_equal(m[i].row, want[i]);
        assert_null(m[i].label);
        assert_false(m[i].point);
        /* Without labels a bar takes its own extent, less 6 units: rows need 2 between bars. */
        assert_near(m[i].occ_l, m[i].x0 + 6, 1e-9);
        assert_near(m[i].occ_r, m[i].x1, 1e-9);
    }
    assert_int_equal(tl.lanes[0].rows, 3);
    assert_int_equal(tl.lanes[1].rows, 2);
    /* Lane a: 34 (axis) + 3 rows of 20 + 2 x 5 padding = 104 for lane b's top. */
    assert_near(tl.lanes[0].top, 34.0, 1e-9);
    assert_near(tl.lanes[1].top, 104.0, 1e-9);
    assert_near(tl.height, 104.0 + 2 * 20 + 10 + 30, 1e-9);
    assert_near(m[0].cy, 34.0 + 5 + 10, 1e-9);
    assert_near(m[3].cy, 34.0 + 5 + 2 * 20 + 10, 1e-9);
    assert_near(m[5].cy, 104.0 + 5 + 10, 1e-9);
    /* The bars sit on the axis: 2000-01-01 .. 2020-12-31T23:59:59 with 3% each side. */
    int64_t lo = edtf_seconds_from_civil(2000, 1, 1), hi = edtf_seconds_from_civil(2021, 1, 1) - 1;
    int64_t pad = (int64_t)((double)(hi - lo) * 0.03);
    assert_int_equal(tl.axis.lo, lo - pad);
    assert_int_equal(tl.axis.hi, hi + pad);
    double x0 = LEFT + WIDTH * (double)pad / (double)(hi - lo + 2 * pad);
    assert_near(m[0].x0, x0, 1e-6);
    assert_near(m[3].x1, LEFT + WIDTH - (x0 - LEFT), 1e-6);
    free_marks(m, 7);
    timeline_free(&tl);
}

/*
 * Labels: to the right of the mark when there is room, else to its left
 * (text-anchor end), else over the bar. Long titles are cut with an ellipsis.
 */
static void test_labels(void **state)
{
    (void)state;
    const ev_spec specs[] = {
        {"1990", "Left", "a", NULL},            /* room to the right */
        {"2020", "Right end", "b", NULL},       /* at the right end: label to the left */
        {"1990/2020", "The whole of it", "c", NULL},  /* no room either side: over the bar */
        {"1995", "An exceedingly long title that goes on and on and on well past what a "
                 "label may take on the chart", "d", NULL},
    };
    timeline_layout tl;
    timeline_mark m[4];
    lay_out(&tl, specs, 4, false, 4, m);
    assert_string_equal(m[0].label, "Left");
    assert_false(m[0].label_end);
    assert_false(m[0].label_over);
    assert_near(m[0].label_x, m[0].x1 + 5, 1e-9);
    assert_near(m[0].occ_r, m[0].x1 + 5 + 12 * (0.72 + 0.615 + 0.352 + 0.392), 1e-9);

    assert_string_equal(m[1].label, "Right end");
    assert_true(m[1].label_end);
    assert_false(m[1].label_over);
    assert_near(m[1].label_x, m[1].x0 - 5, 1e-9);

    assert_string_equal(m[2].label, "The whole of it");
    assert_true(m[2].label_over);
    assert_false(m[2].label_end);
    assert_near(m[2].label_x, m[2].x0 + 5, 1e-9);

    /* Cut to about 360 units (30 ems at 12), the space before the ellipsis dropped. */
    assert_string_equal(m[3].label,
                        "An exceedingly long title that goes on and on and on well\u2026");
    free_marks(m, 4);
    timeline_free(&tl);
}

/*
 * Open ends: the bar runs to the axis's edge, the label never past it, and
 * the axis has three margins on that side.
 */
static void test_open_ends(void **state)
{
    (void)state;
    const ev_spec specs[] = {{"../1995", "Since ever", "a", NULL},
                             {"2005/..", "Still", "b", NULL}};
    timeline_layout tl;
    timeline_mark m[2];
    lay_out(&tl, specs, 2, false, 2, m);
    assert_true(tl.axis.open_lo);
    assert_true(tl.axis.open_hi);
    /* The finite extent: the known sides whole, 1995 and 2005. */
    int64_t lo = edtf_seconds_from_civil(1995, 1, 1);
    int64_t hi = edtf_seconds_from_civil(2006, 1, 1) - 1;
    int64_t pad3 = (int64_t)((double)(hi - lo) * 0.03 * 3.0);
    assert_int_equal(tl.axis.lo, lo - pad3);
    assert_int_equal(tl.axis.hi, hi + pad3);

    assert_true(m[0].open_lo);
    assert_false(m[0].open_hi);
    assert_near(m[0].x0, LEFT, 1e-9);
    assert_near(m[0].x1, timeline_x(&tl.axis, edtf_seconds_from_civil(1996, 1, 1) - 1), 1e-9);
    assert_false(m[0].label_end);
    assert_near(m[0].label_x, m[0].x1 + 5, 1e-9);
    assert_near(m[0].occ_l, LEFT - TIMELINE_ARROW_W, 1e-9);

    assert_true(m[1].open_hi);
    assert_false(m[1].open_lo);
    assert_near(m[1].x0, timeline_x(&tl.axis, edtf_seconds_from_civil(2005, 1, 1)), 1e-9);
    assert_near(m[1].x1, LEFT + WIDTH, 1e-9);
    assert_true(m[1].label_end);
    assert_near(m[1].label_x, m[1].x0 - 5, 1e-9);
    assert_near(m[1].occ_r, LEFT + WIDTH + TIMELINE_ARROW_W, 1e-9);
    free_marks(m, 2);
    timeline_free(&tl);
}

/*
 * Short spans are points; uncertain and approximate dates take the same
 * room as certain ones and are marked vague; an unknown end is no open end.
 */
static void test_points_and_uncertain(void **state)
{
    (void)state;
    const ev_spec specs[] = {
        {"2001", NULL, NULL, NULL},  {"2001?", NULL, NULL, NULL}, {"2001~", NULL, NULL, NULL},
        {"1500/2000", NULL, NULL, NULL}, {"1950/", NULL, NULL, NULL},
    };
    timeline_layout tl;
    timeline_mark m[5];
    lay_out(&tl, specs, 5, false, TIMELINE_LABEL_LIMIT + 1, m);
    assert_true(m[0].point);
    assert_false(m[0].vague);
    assert_true(m[1].vague);
    assert_true(m[2].vague);
    for (size_t i = 1; i < 3; i++) {
        assert_true(m[i].point);
        assert_near(m[i].x0, m[0].x0, 1e-9);
        assert_near(m[i].x1, m[0].x0, 1e-9);
    }
    /* The point is the middle of the year's span. */
    double a = timeline_x(&tl.axis, edtf_seconds_from_civil(2001, 1, 1));
    double z = timeline_x(&tl.axis, edtf_seconds_from_civil(2002, 1, 1) - 1);
    assert_near(m[0].x0, (a + z) / 2, 1e-9);
    /* Three points on one spot take three rows. */
    assert_int_equal(m[0].row, 0);
    assert_int_equal(m[1].row, 1);
    assert_int_equal(m[2].row, 2);
    assert_false(m[3].point);
    assert_false(m[4].open_hi);
    assert_false(tl.axis.open_hi);
    free_marks(m, 5);
    timeline_free(&tl);
}

/* ---- Edge cases ----------------------------------------------------------------------- */

/* One event: a day-long bar on an axis of the day and a day each side. */
static void test_one_event(void **state)
{
    (void)state;
    const ev_spec specs[] = {{"2021-06-28", "Event", NULL, NULL}};
    timeline_layout tl;
    timeline_mark m[1];
    lay_out(&tl, specs, 1, false, 1, m);
    assert_int_equal(tl.nlanes, 1);
    assert_string_equal(tl.lanes[0].name, "other");
    assert_int_equal(tl.lanes[0].rows, 1);
    assert_false(m[0].point);
    /* The axis spans 259199 seconds; the day starts 86400 in and ends a day before the end. */
    assert_near(m[0].x0, LEFT + WIDTH * 86400.0 / 259199.0, 1e-6);
    assert_near(m[0].x1, LEFT + WIDTH * 172799.0 / 259199.0, 1e-6);
    assert_near(m[0].label_x, m[0].x1 + 5, 1e-9);
    assert_near(tl.height, 34 + 20 + 10 + 30, 1e-9);
    free_marks(m, 1);
    timeline_free(&tl);
}

/* Events all on one day: points on one spot, each in its own row while labels are drawn. */
static void test_same_day(void **state)
{
    (void)state;
    const ev_spec specs[] = {{"2021-06-28", "A", "x", NULL}, {"2021-06-28", "B", "x", NULL},
                             {"2021-06-28", "C", "x", NULL}, {"2021-06-28", "D", "x", NULL}};
    timeline_layout tl;
    timeline_mark m[4];
    lay_out(&tl, specs, 4, false, 4, m);
    assert_int_equal(tl.nlanes, 1);
    assert_int_equal(tl.lanes[0].rows, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(m[i].row, (long)i);
        assert_near(m[i].x0, m[0].x0, 1e-9);
    }
    assert_near(tl.height, 34 + 4 * 20 + 10 + 30, 1e-9);
    free_marks(m, 4);
    timeline_free(&tl);
}

/* No event: no lane, an axis of two days around the epoch, just the axis's height. */
static void test_empty(void **state)
{
    (void)state;
    timeline_layout tl;
    lay_out(&tl, NULL, 0, false, 0, NULL);
    assert_int_equal(tl.nlanes, 0);
    assert_int_equal(tl.axis.lo, -86400);
    assert_int_equal(tl.axis.hi, 86400);
    assert_int_equal(tl.axis.step.unit, TIMELINE_HOUR);
    char labels[512];
    tick_labels(&tl.axis, labels, sizeof labels);
    /* 6 hours: the axis is a day shorter than one day's with its margins. */
    assert_int_equal(tl.axis.step.step, 6);
    assert_string_equal(labels, "31 Dec 1969 06:00|12:00|18:00|1 Jan 1970|06:00|12:00|18:00|2 Jan");
    assert_near(tl.height, 34 + 30, 1e-9);
    timeline_free(&tl);
    timeline_free(&tl);     /* a freed layout frees as a no-op */
}

/* An event whose lane the first step never saw (the data changed between steps) is left out. */
static void test_unknown_lane(void **state)
{
    (void)state;
    test_event a, b;
    make_event(&a, &(ev_spec){"2001", NULL, "a", NULL});
    make_event(&b, &(ev_spec){"2002", NULL, "b", NULL});
    timeline_layout tl;
    timeline_init(&tl, false, 2, EDTF_MIN, EDTF_MAX);
    assert_int_equal(timeline_add(&tl, &a.ev), 0);
    assert_int_equal(timeline_scale(&tl), 0);
    timeline_mark m;
    assert_int_equal(timeline_place(&tl, &b.ev, &m), 1);
    assert_null(m.label);
    assert_int_equal(timeline_place(&tl, &a.ev, &m), 0);
    assert_int_equal(m.lane, 0);
    timeline_mark_free(&m);
    timeline_free(&tl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ticks),
        cmocka_unit_test(test_tick_positions),
        cmocka_unit_test(test_year_words),
        cmocka_unit_test(test_lanes_by_actor),
        cmocka_unit_test(test_lane_colours_and_labels),
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_open_ends),
        cmocka_unit_test(test_points_and_uncertain),
        cmocka_unit_test(test_one_event),
        cmocka_unit_test(test_same_day),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_unknown_lane),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
