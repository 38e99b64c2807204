/* test_edtf_human.c - table-driven tests of dates as people write them: readings, hints, round trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "annals/edtf.h"
#include "annals/edtf_human.h"

typedef struct {
    const char *input;
    edtf_human_kind kind;
    const char *edtf0;       /* the (first) reading; NULL for NONE */
    const char *edtf1;       /* the second reading of an ambiguous text */
} read_row;

#define ONE(in, e) { in, EDTF_HUMAN_ONE, e, NULL }
#define TWO(in, k, e0, e1) { in, EDTF_HUMAN_##k, e0, e1 }
#define NONE(in) { in, EDTF_HUMAN_NONE, NULL, NULL }

static const read_row read_rows[] = {
    /* BC, BCE, B.C.: 1 BCE is the year 0000 */
    ONE("44 BC", "-0043"),
    ONE("44 BCE", "-0043"),
    ONE("44 B.C.", "-0043"),
    ONE("44 B.C.E.", "-0043"),
    ONE("44BC", "-0043"),
    ONE("1 BC", "0000"),
    ONE("2 bce", "-0001"),
    ONE("12345 BC", "Y-12344"),
    NONE("0 BC"),
    /* day month year BC */
    ONE("15 March 44 BC", "-0043-03-15"),
    ONE("March 15, 44 BC", "-0043-03-15"),
    ONE("15 Mar. 44 BCE", "-0043-03-15"),
    ONE("March 44 BC", "-0043-03"),
    /* c., ca., circa */
    ONE("c. 390 BC", "-0389~"),
    ONE("ca. 390 BCE", "-0389~"),
    ONE("circa 390 BC", "-0389~"),
    ONE("c.390 BC", "-0389~"),
    ONE("c. 1850", "1850~"),
    ONE("about 1850", "1850~"),
    ONE("c. 2019?", "2019%"),
    ONE("390 BC?", "-0389?"),
    /* AD, CE */
    ONE("AD 14", "0014"),
    ONE("A.D. 14", "0014"),
    ONE("14 AD", "0014"),
    ONE("14 CE", "0014"),
    ONE("800", "0800"),
    NONE("0 AD"),
    /* month year, day month year */
    ONE("March 2019", "2019-03"),
    ONE("march 2019", "2019-03"),
    ONE("Sept. 2019", "2019-09"),
    ONE("28 June 2021", "2021-06-28"),
    ONE("June 28, 2021", "2021-06-28"),
    ONE("June 28 2021", "2021-06-28"),
    ONE("the 15th of March 2019", "2019-03-15"),
    ONE("1st May 2020", "2020-05-01"),
    NONE("June 28"),
    NONE("March"),
    /* numeric days: unambiguous when one number is above 12 */
    ONE("28/06/2021", "2021-06-28"),
    ONE("06/28/2021", "2021-06-28"),
    ONE("28.06.2021", "2021-06-28"),
    ONE("28-06-2021", "2021-06-28"),
    ONE("07/07/2021", "2021-07-07"),
    ONE("2021/06/28", "2021-06-28"),
    ONE("2019-3-5", "2019-03-05"),
    ONE("06/2021", "2021-06"),
    TWO("05/06/2021", DAY_MONTH, "2021-06-05", "2021-05-06"),
    TWO("05.06.2021", DAY_MONTH, "2021-06-05", "2021-05-06"),
    TWO("1-2-2021", DAY_MONTH, "2021-02-01", "2021-01-02"),
    NONE("28/13/2021"),
    NONE("28/06/21"),
    NONE("28/06-2021"),
    /* seasons */
    ONE("summer 2014", "2014-22"),
    ONE("Spring 2014", "2014-21"),
    ONE("autumn 2014", "2014-23"),
    ONE("fall 2014", "2014-23"),
    ONE("winter 2014", "2014-24"),
    ONE("winter 2023\xE2\x80\x93" "24", "2023-24"),
    ONE("winter 1999-2000", "1999-24"),
    ONE("summer 44 BC", "-0043-22"),
    ONE("summer 2014?", "2014-22?"),
    /* decades and centuries */
    ONE("1990s", "199X"),
    ONE("the 1990s", "199X"),
    ONE("1990's", "199X"),
    ONE("c. 1990s", "199X~"),
    TWO("1900s", CENTURY, "19XX", "190X"),
    TWO("the 2000s", CENTURY, "20XX", "200X"),
    ONE("19th century", "18XX"),
    ONE("3rd century BC", "-02XX"),
    ONE("1st century BC", "-00XX"),
    NONE("1st century"),
    NONE("1995s"),
    NONE("40s BC"),
    /* ranges with a hyphen or an en dash */
    ONE("2014-2019", "2014/2019"),
    ONE("2014\xE2\x80\x93" "2019", "2014/2019"),
    ONE("2014 - 2019", "2014/2019"),
    ONE("2014 \xE2\x80\x94 2019", "2014/2019"),
    ONE("2014 to 2019", "2014/2019"),
    ONE("from 2014 to 2019", "2014/2019"),
    ONE("between 2014 and 2019", "2014/2019"),
    ONE("1939-45", "1939/1945"),
    ONE("1939\xE2\x80\x93" "45", "1939/1945"),
    ONE("March\xE2\x80\x93June 2019", "2019-03/2019-06"),
    ONE("15\xE2\x80\x93" "17 March 2019", "2019-03-15/2019-03-17"),
    ONE("15 March \xE2\x80\x93 17 April 2019", "2019-03-15/2019-04-17"),
    ONE("summer 2014 \xE2\x80\x93 March 2019", "2014-22/2019-03"),
    ONE("2014-22 \xE2\x80\x93 2019-03", "2014-22/2019-03"),
    ONE("since January 2021", "2021-01/.."),
    ONE("until 1985", "../1985"),
    ONE("January 2021 \xE2\x80\x93 ?", "2021-01/"),
    ONE("? \xE2\x80\x93 June 2021", "/2021-06"),
    NONE("1945-39"),
    /* BCE ranges */
    ONE("-0217\xE2\x80\x93-0201", "-0217/-0201"),
    ONE("-0217 - -0201", "-0217/-0201"),
    ONE("44\xE2\x80\x93" "42 BC", "-0043/-0041"),
    ONE("218\xE2\x80\x93" "201 BCE", "-0217/-0200"),
    ONE("390 BC \xE2\x80\x93 AD 14", "-0389/0014"),
    ONE("c. 390\xE2\x80\x93" "380 BC", "-0389~/-0379"),
    /* negative years of fewer than four digits: both readings */
    TWO("-44-03-15", SHORT_YEAR, "-0043-03-15", "-0044-03-15"),
    TWO("-44", SHORT_YEAR, "-0043", "-0044"),
    TWO("-217\xE2\x80\x93-201", SHORT_YEAR, "-0216/-0200", "-0217/-0201"),
    ONE("\xE2\x88\x92" "0043", "-0043"),       /* U+2212 minus sign */
    /* not dates */
    NONE(""),
    NONE("banana"),
    NONE("2019 bananas"),
    NONE("\xC3\xA9t\xC3\xA9 2019"),
    NONE("2019\xE2\x80\x93"),
    NONE("after 1850"),
    NONE("-44 BC"),
    NONE("05/06/2021 \xE2\x80\x93 1900s"),
    NONE("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25"),
    NONE("1234567890123 BC"),
};

static void test_read_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof read_rows / sizeof read_rows[0]; i++) {
        const read_row *r = &read_rows[i];
        edtf_human h;
        edtf_human_kind k = edtf_human_read(r->input, strlen(r->input), &h);
        if (k != r->kind) {
            print_error("'%s': kind %d, expected %d (read '%s')\n", r->input, (int)k,
                        (int)r->kind, h.edtf[0]);
            fail();
        }
        if (r->edtf0 && strcmp(h.edtf[0], r->edtf0) != 0) {
            print_error("'%s': read '%s', expected '%s'\n", r->input, h.edtf[0], r->edtf0);
            fail();
        }
        if (r->edtf1 && strcmp(h.edtf[1], r->edtf1) != 0) {
            print_error("'%s': second reading '%s', expected '%s'\n", r->input, h.edtf[1],
                        r->edtf1);
            fail();
        }
        /* Every reading is EDTF that edtf_parse accepts. */
        for (int j = 0; r->kind != EDTF_HUMAN_NONE && j < (r->edtf1 ? 2 : 1); j++)
            if (edtf_parse(h.edtf[j], strlen(h.edtf[j]), true, NULL, NULL, 0, NULL) != 0) {
                print_error("'%s': reading '%s' is not EDTF\n", r->input, h.edtf[j]);
                fail();
            }
    }
}

typedef struct {
    const char *input;
    bool allow_interval;
    int rc;                  /* of edtf_human_explain */
    const char *message;     /* exact */
    const char *hint;        /* exact */
    size_t offset;
} explain_row;

#define FORMS "see docs/dates.md for the date forms: 2021, 2021-01, 2021-01-21, " \
              "2014-22 (summer), 201X, 2019?, 2014/2019, 2019/.."
#define ZERO "EDTF counts 1 BCE as year 0000, 2 BCE as -0001"

static const explain_row explain_rows[] = {
    {"44 BC", true, 0, "invalid date '44 BC': not written in EDTF",
     "write -0043 (44 BCE); " ZERO, 0},
    {"15 March 44 BC", false, 0, "invalid date '15 March 44 BC': not written in EDTF",
     "write -0043-03-15 (15 March 44 BCE); " ZERO, 0},
    {"c. 390 BC", true, 0, "invalid date 'c. 390 BC': not written in EDTF",
     "write -0389~ (c. 390 BCE); " ZERO, 0},
    {"March 2019", true, 0, "invalid date 'March 2019': not written in EDTF",
     "write 2019-03 (March 2019)", 0},
    {"28 June 2021", true, 0, "invalid date '28 June 2021': not written in EDTF",
     "write 2021-06-28 (28 June 2021)", 0},
    {"summer 2014", true, 0, "invalid date 'summer 2014': not written in EDTF",
     "write 2014-22 (summer 2014)", 0},
    {"1990s", true, 0, "invalid date '1990s': not written in EDTF",
     "write 199X (the 1990s)", 0},
    {"2014\xE2\x80\x93" "2019", true, 0,
     "invalid date '2014\xE2\x80\x93" "2019': not written in EDTF",
     "write 2014/2019 (2014 \xE2\x80\x93 2019)", 0},
    {"05/06/2021", true, 0,
     "invalid date '05/06/2021': the day and the month could be either way round",
     "write 2021-06-05 for 5 June 2021, or 2021-05-06 for 6 May 2021", 0},
    {"1900s", true, 0, "invalid date '1900s': a century or a decade",
     "write 19XX for the years 1900\xE2\x80\x93" "1999, or 190X for 1900\xE2\x80\x93" "1909", 0},
    {"-44-03-15", true, 0, "invalid date '-44-03-15': expected 4 digits for the year",
     "write -0043-03-15 for 15 March 44 BCE; -0044-03-15 would be 15 March 45 BCE (" ZERO ")", 1},
    /* A form people write, naming a day that does not exist. */
    {"31 February 2021", true, 0,
     "invalid date '31 February 2021': day 31 does not exist in February 2021", FORMS, 0},
    {"2019-2014", true, 0, "invalid date '2019-2014': interval start 2019 lies after its end 2014",
     FORMS, 0},
    /* An interval where a date is wanted (a source's published date). */
    {"2014-2019", false, 0, "invalid date '2014-2019': expected a date, not an interval",
     FORMS, 0},
    /* Not a date at all: edtf_parse's reason and offset. */
    {"banana", true, 0, "invalid date 'banana': unexpected character 'b'", FORMS, 0},
    {"2021-02-30", true, 0,
     "invalid date '2021-02-30': day 30 does not exist in February 2021", FORMS, 8},
    /* EDTF's shape with a month that does not exist, BCE as CE: not a range of years. */
    {"2019-13", true, 0, "invalid date '2019-13': month 13 is out of range (01-12)", FORMS, 5},
    {"-0206-13", true, 0, "invalid date '-0206-13': month 13 is out of range (01-12)", FORMS, 6},
    {"-0206-00", true, 0, "invalid date '-0206-00': month 00 is out of range (01-12)", FORMS, 6},
    {"2019-00", true, 0, "invalid date '2019-00': month 00 is out of range (01-12)", FORMS, 5},
    /* Valid: nothing to explain. */
    {"2021-06-28", true, 1, NULL, NULL, 0},
    {"-0043", true, 1, NULL, NULL, 0},
};

static void test_explain_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof explain_rows / sizeof explain_rows[0]; i++) {
        const explain_row *r = &explain_rows[i];
        edtf_problem p;
        int rc = edtf_human_explain(r->input, strlen(r->input), r->allow_interval, &p);
        if (rc != r->rc) {
            print_error("'%s': rc %d, expected %d\n", r->input, rc, r->rc);
            fail();
        }
        if (rc == 1) {
            assert_null(p.message);
            assert_null(p.hint);
            continue;
        }
        if (strcmp(p.message, r->message) != 0 || strcmp(p.hint, r->hint) != 0 ||
            p.offset != r->offset) {
            print_error("'%s':\n  message '%s'\n  hint    '%s'\n  offset  %zu\n", r->input,
                        p.message, p.hint, p.offset);
            fail();
        }
        edtf_problem_free(&p);
        assert_null(p.message);
    }
    edtf_problem_free(NULL);
}

/* What edtf_humanize writes reads back as a date with the same bounds. */
static void test_words_read_back(void **state)
{
    (void)state;
    static const char *const dates[] = {
        "2019", "2021-01", "2021-01-21", "2014-21", "2014-22", "2014-23", "2023-24",
        "1999-24", "201X", "-0043", "-0043-03-15", "Y170000002", "Y-170000002", "2019~",
        "2019%", "-010X", "-000X", "2014/2019", "2014-22/2019-03", "2021-01/..", "../1985",
        "2021-01/", "/2021-06", "-0217/-0201", "1985-04-XX", "0000", "0001", "-0389~",
    };
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        edtf_date d, back;
        char words[128];
        assert_int_equal(edtf_parse(dates[i], strlen(dates[i]), true, &d, NULL, 0, NULL), 0);
        edtf_humanize(&d, words, sizeof words);
        edtf_human h;
        /* "2019?" and the like are EDTF already: words that parse need no reading. */
        const char *edtf = words;
        if (edtf_parse(words, strlen(words), true, &back, NULL, 0, NULL) != 0) {
            if (edtf_human_read(words, strlen(words), &h) != EDTF_HUMAN_ONE) {
                print_error("'%s' in words is '%s', which does not read back\n", dates[i], words);
                fail();
            }
            edtf = h.edtf[0];
            assert_int_equal(edtf_parse(edtf, strlen(edtf), true, &back, NULL, 0, NULL), 0);
        }
        if (back.lower != d.lower || back.upper != d.upper || back.qualifiers != d.qualifiers) {
            print_error("'%s' -> '%s' -> '%s': other bounds\n", dates[i], words, edtf);
            fail();
        }
    }
}

/* Text need not be NUL-terminated, and no input overruns a reading. */
static void test_lengths(void **state)
{
    (void)state;
    edtf_human h;
    assert_int_equal(edtf_human_read("44 BC and more", 5, &h), EDTF_HUMAN_ONE);
    assert_string_equal(h.edtf[0], "-0043");
    assert_int_equal(edtf_human_read(NULL, 0, &h), EDTF_HUMAN_NONE);
    assert_int_equal(edtf_human_read("44 BC\0", 6, &h), EDTF_HUMAN_NONE);
    /* The longest readings fit or are refused, never cut. */
    const char *big = "c. 999999999 BC? \xE2\x80\x93 c. 999999998 BC?";
    edtf_human_kind k = edtf_human_read(big, strlen(big), &h);
    assert_int_equal(k, EDTF_HUMAN_ONE);
    assert_string_equal(h.edtf[0], "Y-999999998%/Y-999999997%");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_table),
        cmocka_unit_test(test_explain_table),
        cmocka_unit_test(test_words_read_back),
        cmocka_unit_test(test_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
