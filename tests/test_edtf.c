/* test_edtf.c - table-driven tests of EDTF parsing, bounds, ISO output and words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annals/edtf.h"

/* Bounds are written as ISO text in the tables: first and last second of a day. */
#define B(day) day "T00:00:00Z"
#define E(day) day "T23:59:59Z"

#define U EDTF_UNCERTAIN
#define A EDTF_APPROXIMATE
#define UA (EDTF_UNCERTAIN | EDTF_APPROXIMATE)

typedef struct {
    const char *input;
    bool allow_interval;
    const char *lower;      /* ISO with time, or ".." */
    const char *upper;
    edtf_precision prec;
    unsigned quals;
    const char *err;        /* substring of the reason; NULL when valid */
    long offset;            /* expected err_offset; -1 when not checked */
    size_t len;             /* bytes of input; 0 means strlen(input) */
} parse_row;

/* Valid: anywhere (intervals allowed) / where only a date is allowed. */
#define OK(in, lo, hi, p, q) { in, true, lo, hi, EDTF_PREC_##p, q, NULL, -1, 0 }
#define OKD(in, lo, hi, p, q) { in, false, lo, hi, EDTF_PREC_##p, q, NULL, -1, 0 }
/* Invalid, with the reason and its offset (-1: offset not checked). */
#define BAD(in, e, off) { in, true, NULL, NULL, EDTF_PREC_NONE, 0, e, off, 0 }
#define BADD(in, e, off) { in, false, NULL, NULL, EDTF_PREC_NONE, 0, e, off, 0 }
/* Invalid, input given with an explicit length (embedded NUL). */
#define BADN(in, n, e, off) { in, true, NULL, NULL, EDTF_PREC_NONE, 0, e, off, n }

static const parse_row parse_rows[] = {
    /* years */
    OK("2019", B("2019-01-01"), E("2019-12-31"), YEAR, 0),
    OK("1970", B("1970-01-01"), E("1970-12-31"), YEAR, 0),
    OK("0000", B("0000-01-01"), E("0000-12-31"), YEAR, 0),
    OK("0001", B("0001-01-01"), E("0001-12-31"), YEAR, 0),
    OK("9999", B("9999-01-01"), E("9999-12-31"), YEAR, 0),
    OK("1582", B("1582-01-01"), E("1582-12-31"), YEAR, 0),
    OK("-0001", B("-0001-01-01"), E("-0001-12-31"), YEAR, 0),
    OK("-0043", B("-0043-01-01"), E("-0043-12-31"), YEAR, 0),
    OK("-9999", B("-9999-01-01"), E("-9999-12-31"), YEAR, 0),
    OKD("2019", B("2019-01-01"), E("2019-12-31"), YEAR, 0),

    /* months, including every February kind */
    OK("2021-01", B("2021-01-01"), E("2021-01-31"), MONTH, 0),
    OK("2021-02", B("2021-02-01"), E("2021-02-28"), MONTH, 0),
    OK("2024-02", B("2024-02-01"), E("2024-02-29"), MONTH, 0),
    OK("2000-02", B("2000-02-01"), E("2000-02-29"), MONTH, 0),
    OK("1900-02", B("1900-02-01"), E("1900-02-28"), MONTH, 0),
    OK("2021-04", B("2021-04-01"), E("2021-04-30"), MONTH, 0),
    OK("2021-12", B("2021-12-01"), E("2021-12-31"), MONTH, 0),
    OK("-0043-03", B("-0043-03-01"), E("-0043-03-31"), MONTH, 0),
    OK("-0004-02", B("-0004-02-01"), E("-0004-02-29"), MONTH, 0),
    OK("-0100-02", B("-0100-02-01"), E("-0100-02-28"), MONTH, 0),
    OK("-0400-02", B("-0400-02-01"), E("-0400-02-29"), MONTH, 0),
    OK("0000-02", B("0000-02-01"), E("0000-02-29"), MONTH, 0),
    OKD("1999-12", B("1999-12-01"), E("1999-12-31"), MONTH, 0),

    /* days */
    OK("2021-01-21", B("2021-01-21"), E("2021-01-21"), DAY, 0),
    OK("2021-06-28", B("2021-06-28"), E("2021-06-28"), DAY, 0),
    OK("2021-01-05", B("2021-01-05"), E("2021-01-05"), DAY, 0),
    OK("2000-02-29", B("2000-02-29"), E("2000-02-29"), DAY, 0),
    OK("2024-02-29", B("2024-02-29"), E("2024-02-29"), DAY, 0),
    OK("1600-02-29", B("1600-02-29"), E("1600-02-29"), DAY, 0),
    OK("-0004-02-29", B("-0004-02-29"), E("-0004-02-29"), DAY, 0),
    OK("0000-02-29", B("0000-02-29"), E("0000-02-29"), DAY, 0),
    OK("-0400-02-29", B("-0400-02-29"), E("-0400-02-29"), DAY, 0),
    OK("-0043-03-15", B("-0043-03-15"), E("-0043-03-15"), DAY, 0),
    OK("1970-01-01", B("1970-01-01"), E("1970-01-01"), DAY, 0),
    OK("1969-12-31", B("1969-12-31"), E("1969-12-31"), DAY, 0),
    OK("2021-12-31", B("2021-12-31"), E("2021-12-31"), DAY, 0),
    OK("2021-04-30", B("2021-04-30"), E("2021-04-30"), DAY, 0),
    OK("0001-01-01", B("0001-01-01"), E("0001-01-01"), DAY, 0),
    OK("-0001-12-31", B("-0001-12-31"), E("-0001-12-31"), DAY, 0),
    OK("9999-12-31", B("9999-12-31"), E("9999-12-31"), DAY, 0),
    OKD("2021-01-21", B("2021-01-21"), E("2021-01-21"), DAY, 0),

    /* date and time, converted to UTC */
    OK("2021-06-28T10:30:00Z", "2021-06-28T10:30:00Z", "2021-06-28T10:30:00Z", SECOND, 0),
    OK("2021-06-28T10:30:00+02:00", "2021-06-28T08:30:00Z", "2021-06-28T08:30:00Z", SECOND, 0),
    OK("2021-06-28T10:30:00-05:30", "2021-06-28T16:00:00Z", "2021-06-28T16:00:00Z", SECOND, 0),
    OK("2021-06-28T10:30:00", "2021-06-28T10:30:00Z", "2021-06-28T10:30:00Z", SECOND, 0),
    OK("2021-01-01T01:00:00+02:00", "2020-12-31T23:00:00Z", "2020-12-31T23:00:00Z", SECOND, 0),
    OK("2020-12-31T23:30:00-01:00", "2021-01-01T00:30:00Z", "2021-01-01T00:30:00Z", SECOND, 0),
    OK("2024-02-29T23:59:59-00:30", "2024-03-01T00:29:59Z", "2024-03-01T00:29:59Z", SECOND, 0),
    OK("2021-03-01T00:00:00+23:59", "2021-02-28T00:01:00Z", "2021-02-28T00:01:00Z", SECOND, 0),
    OK("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z", SECOND, 0),
    OK("0000-01-01T00:30:00+01:00", "-0001-12-31T23:30:00Z", "-0001-12-31T23:30:00Z", SECOND, 0),
    OK("-0043-03-15T12:00:00Z", "-0043-03-15T12:00:00Z", "-0043-03-15T12:00:00Z", SECOND, 0),
    OK("2021-06-28T23:59:59Z", "2021-06-28T23:59:59Z", "2021-06-28T23:59:59Z", SECOND, 0),
    OK("2021-06-28T00:00:00-00:00", "2021-06-28T00:00:00Z", "2021-06-28T00:00:00Z", SECOND, 0),
    OKD("2021-06-28T10:30:15Z", "2021-06-28T10:30:15Z", "2021-06-28T10:30:15Z", SECOND, 0),

    /* seasons */
    OK("2014-21", B("2014-03-01"), E("2014-05-31"), SEASON, 0),
    OK("2014-22", B("2014-06-01"), E("2014-08-31"), SEASON, 0),
    OK("2014-23", B("2014-09-01"), E("2014-11-30"), SEASON, 0),
    OK("2014-24", B("2014-12-01"), E("2015-02-28"), SEASON, 0),
    OK("2023-24", B("2023-12-01"), E("2024-02-29"), SEASON, 0),
    OK("1999-24", B("1999-12-01"), E("2000-02-29"), SEASON, 0),
    OK("1899-24", B("1899-12-01"), E("1900-02-28"), SEASON, 0),
    OK("-0001-24", B("-0001-12-01"), E("0000-02-29"), SEASON, 0),
    OK("-0044-22", B("-0044-06-01"), E("-0044-08-31"), SEASON, 0),
    OK("2014-22?", B("2014-06-01"), E("2014-08-31"), SEASON, U),
    OK("2014-21~", B("2014-03-01"), E("2014-05-31"), SEASON, A),
    OK("2014-23%", B("2014-09-01"), E("2014-11-30"), SEASON, UA),

    /* unspecified digits */
    OK("201X", B("2010-01-01"), E("2019-12-31"), DECADE, 0),
    OK("20XX", B("2000-01-01"), E("2099-12-31"), CENTURY, 0),
    OK("19XX", B("1900-01-01"), E("1999-12-31"), CENTURY, 0),
    OK("190X", B("1900-01-01"), E("1909-12-31"), DECADE, 0),
    OK("000X", B("0000-01-01"), E("0009-12-31"), DECADE, 0),
    OK("00XX", B("0000-01-01"), E("0099-12-31"), CENTURY, 0),
    OK("999X", B("9990-01-01"), E("9999-12-31"), DECADE, 0),
    OK("-010X", B("-0109-01-01"), E("-0100-12-31"), DECADE, 0),
    OK("-01XX", B("-0199-01-01"), E("-0100-12-31"), CENTURY, 0),
    OK("-000X", B("-0009-01-01"), E("0000-12-31"), DECADE, 0),
    OK("-00XX", B("-0099-01-01"), E("0000-12-31"), CENTURY, 0),
    OK("2004-XX", B("2004-01-01"), E("2004-12-31"), YEAR, 0),
    OK("1985-04-XX", B("1985-04-01"), E("1985-04-30"), MONTH, 0),
    OK("1985-XX-XX", B("1985-01-01"), E("1985-12-31"), YEAR, 0),
    OK("2024-02-XX", B("2024-02-01"), E("2024-02-29"), MONTH, 0),
    OK("2023-02-XX", B("2023-02-01"), E("2023-02-28"), MONTH, 0),
    OK("-0043-XX", B("-0043-01-01"), E("-0043-12-31"), YEAR, 0),
    OK("-0043-03-XX", B("-0043-03-01"), E("-0043-03-31"), MONTH, 0),
    OK("201X?", B("2010-01-01"), E("2019-12-31"), DECADE, U),
    OK("19XX~", B("1900-01-01"), E("1999-12-31"), CENTURY, A),
    OK("1985-04-XX%", B("1985-04-01"), E("1985-04-30"), MONTH, UA),

    /* long years */
    OK("Y12345", B("+12345-01-01"), E("+12345-12-31"), YEAR, 0),
    OK("Y10000", B("+10000-01-01"), E("+10000-12-31"), YEAR, 0),
    OK("Y-10000", B("-10000-01-01"), E("-10000-12-31"), YEAR, 0),
    OK("Y170000002", B("+170000002-01-01"), E("+170000002-12-31"), YEAR, 0),
    OK("Y-170000002", B("-170000002-01-01"), E("-170000002-12-31"), YEAR, 0),
    OK("Y999999999", B("+999999999-01-01"), E("+999999999-12-31"), YEAR, 0),
    OK("Y-999999999", B("-999999999-01-01"), E("-999999999-12-31"), YEAR, 0),
    OK("Y17000~", B("+17000-01-01"), E("+17000-12-31"), YEAR, A),

    /* qualifiers */
    OK("2019?", B("2019-01-01"), E("2019-12-31"), YEAR, U),
    OK("2019~", B("2019-01-01"), E("2019-12-31"), YEAR, A),
    OK("2019%", B("2019-01-01"), E("2019-12-31"), YEAR, UA),
    OK("2021-01?", B("2021-01-01"), E("2021-01-31"), MONTH, U),
    OK("2021-01-21~", B("2021-01-21"), E("2021-01-21"), DAY, A),
    OK("-0043-03-15?", B("-0043-03-15"), E("-0043-03-15"), DAY, U),
    OK("2004-06-11%", B("2004-06-11"), E("2004-06-11"), DAY, UA),
    OKD("1984?", B("1984-01-01"), E("1984-12-31"), YEAR, U),

    /* intervals */
    OK("2014/2019", B("2014-01-01"), E("2019-12-31"), YEAR, 0),
    OK("2014-22/2019-03", B("2014-06-01"), E("2019-03-31"), MONTH, 0),
    OK("2019-03/", B("2019-03-01"), E("2019-03-31"), MONTH, 0),
    OK("/1985", B("1985-01-01"), E("1985-12-31"), YEAR, 0),
    OK("2019-03/..", B("2019-03-01"), "..", MONTH, 0),
    OK("../1985", "..", E("1985-12-31"), YEAR, 0),
    OK("2019/2019", B("2019-01-01"), E("2019-12-31"), YEAR, 0),
    OK("2019-12/2019", B("2019-12-01"), E("2019-12-31"), MONTH, 0),
    OK("2015-02/2014-24", B("2015-02-01"), E("2015-02-28"), MONTH, 0),
    OK("2014-24/2015-03", B("2014-12-01"), E("2015-03-31"), MONTH, 0),
    OK("2021-01-01T10:00:00Z/2021-01-01T10:00:00Z", "2021-01-01T10:00:00Z",
       "2021-01-01T10:00:00Z", SECOND, 0),
    OK("2019-01-01T10:00:00Z/2019", "2019-01-01T10:00:00Z", E("2019-12-31"), SECOND, 0),
    OK("2019?/2020~", B("2019-01-01"), E("2020-12-31"), YEAR, UA),
    OK("2004-06~/2006-08-XX?", B("2004-06-01"), E("2006-08-31"), MONTH, UA),
    OK("-0043-03-15/0014-08-19", B("-0043-03-15"), E("0014-08-19"), DAY, 0),
    OK("201X/20XX", B("2010-01-01"), E("2099-12-31"), DECADE, 0),
    OK("Y-170000002/2019", B("-170000002-01-01"), E("2019-12-31"), YEAR, 0),
    OK("2021-06-28T10:30:00+02:00/..", "2021-06-28T08:30:00Z", "..", SECOND, 0),
    OK("../2021-06-28T10:30:00Z", "..", "2021-06-28T10:30:00Z", SECOND, 0),
    OK("1985-XX-XX/1986", B("1985-01-01"), E("1986-12-31"), YEAR, 0),
    OK("/2019-03-XX", B("2019-03-01"), E("2019-03-31"), MONTH, 0),
    OK("2019~/", B("2019-01-01"), E("2019-12-31"), YEAR, A),
    OK("../2014-22%", "..", E("2014-08-31"), SEASON, UA),
    OK("2021-01-21/2021-01-21", B("2021-01-21"), E("2021-01-21"), DAY, 0),
    OK("2020-12-31T23:00:00-02:00/2021-01-01", "2021-01-01T01:00:00Z", E("2021-01-01"), SECOND, 0),

    /* intervals where only a date is allowed */
    BADD("2019/2020", "expected a date, not an interval", 4),
    BADD("../2020", "expected a date, not an interval", 2),
    BADD("2019/", "expected a date, not an interval", 4),
    BADD("/", "expected a date, not an interval", 0),
    BADD("2019-01-01/..", "expected a date, not an interval", 10),

    /* empty, whitespace, bytes that are no EDTF */
    BAD("", "empty date", 0),
    BADD("", "empty date", 0),
    BAD(" 2019", "unexpected whitespace at the start", 0),
    BAD("\t2019", "unexpected whitespace at the start", 0),
    BAD("2019 ", "unexpected whitespace at the end", 4),
    BAD("2019\n", "unexpected whitespace at the end", 4),
    BAD("2019 \r\n", "unexpected whitespace at the end", 4),
    BAD("   ", "unexpected whitespace at the start", 0),
    BAD("2019 /2020", "unexpected space", 4),
    BAD("2019-01 -02", "unexpected space", 7),
    BAD("2019\t-01", "unexpected whitespace", 4),
    BADN("2019\0", 5, "unexpected byte 0x00", 4),
    BADN("20\00019", 5, "unexpected byte 0x00", 2),
    BADN("\0", 1, "unexpected byte 0x00", 0),
    BADN("2019-01-01\0/2020", 16, "unexpected byte 0x00", 10),
    BAD("2019-01-01\xff", "unexpected byte 0xff", 10),
    BAD("2014\xe2\x80\x93" "2019", "unexpected dash (write an interval with '/'", 4),
    BAD("2021q", "unexpected character 'q'", 4),
    BAD("q2021", "unexpected character 'q'", 0),
    BAD("20q1", "unexpected character 'q'", 2),
    BAD("hello", "unexpected character 'h'", 0),
    BAD("unknown", "unexpected character 'u'", 0),
    BAD("+2019", "unexpected character '+'", 0),
    BAD("2021-W01", "unexpected character 'W'", 5),
    BAD("...", "unexpected character '.'", 0),
    BAD("2019/..?", "unexpected character '.'", 5),
    BAD("[2019,2020]", "EDTF level 2 and not supported", 0),
    BAD("{2019}", "EDTF level 2 and not supported", 0),

    /* years of the wrong length */
    BAD("20191", "expected 4 digits for the year (use Y for longer years)", 0),
    BAD("12345", "expected 4 digits for the year (use Y for longer years)", 0),
    BAD("20191231", "expected 4 digits for the year (write a day as YYYY-MM-DD", 0),
    BAD("2019123X", "expected 4 digits for the year (use Y for longer years)", 0),
    BAD("201", "expected 4 digits for the year", 0),
    BAD("-043", "expected 4 digits for the year", 1),
    BAD("-", "expected 4 digits for the year", 1),
    BAD("--2019", "expected 4 digits for the year", 1),
    BAD("201-01", "expected 4 digits for the year", 0),
    BAD("99999999999999999999999999999999999999999999", "use Y for longer years", 0),
    BAD("-0000", "year -0000 does not exist", 0),
    BAD("-0000-01-01", "year -0000 does not exist", 0),

    /* months and seasons out of range */
    BAD("2021-13", "month 13 is out of range (01-12)", 5),
    BAD("2021-00", "month 00 is out of range (01-12)", 5),
    BAD("2021-20", "month 20 is out of range (01-12)", 5),
    BAD("2021-42", "month 42 is out of range (01-12)", 5),
    BAD("2021-99", "month 99 is out of range (01-12)", 5),
    BAD("-0043-13", "month 13 is out of range (01-12)", 6),
    BAD("2014-25", "seasons 25-41 are EDTF level 2 and not supported", 5),
    BAD("2014-33", "seasons 25-41 are EDTF level 2 and not supported", 5),
    BAD("2014-41", "seasons 25-41 are EDTF level 2 and not supported", 5),
    BAD("2021-1", "expected 2 digits for the month", 5),
    BAD("2021-123", "expected 2 digits for the month", 5),
    BAD("2021-", "expected 2 digits for the month", 5),
    BAD("2014-2019", "write an interval with '/'", 5),
    BAD("2021-1q", "unexpected character 'q'", 6),
    BAD("2014-21-05", "a season cannot have a day", 7),

    /* days that do not exist */
    BAD("2021-02-29", "day 29 does not exist in February 2021", 8),
    BAD("1900-02-29", "day 29 does not exist in February 1900", 8),
    BAD("2100-02-29", "day 29 does not exist in February 2100", 8),
    BAD("-0100-02-29", "day 29 does not exist in February 101 BCE", 9),
    BAD("-0001-02-29", "day 29 does not exist in February 2 BCE", 9),
    BAD("-0043-02-30", "day 30 does not exist in February 44 BCE", 9),
    BAD("0000-02-30", "day 30 does not exist in February 1 BCE", 8),
    BAD("2024-02-30", "day 30 does not exist in February 2024", 8),
    BAD("2021-04-31", "day 31 does not exist in April 2021", 8),
    BAD("2021-01-32", "day 32 does not exist in January 2021", 8),
    BAD("2021-01-99", "day 99 does not exist in January 2021", 8),
    BAD("2021-01-00", "day 00 is out of range", 8),
    BAD("2021-01-1", "expected 2 digits for the day", 8),
    BAD("2021-01-123", "expected 2 digits for the day", 8),
    BAD("2021-01-", "expected 2 digits for the day", 8),
    BAD("2021-01-99999999999999999999999999", "expected 2 digits for the day", 8),

    /* unspecified digits beyond level 1 */
    BAD("XXXX", "EDTF level 2 and not supported", 0),
    BAD("2XXX", "EDTF level 2 and not supported", 0),
    BAD("X019", "EDTF level 2 and not supported", 0),
    BAD("20X9", "EDTF level 2 and not supported", 0),
    BAD("-XXXX", "EDTF level 2 and not supported", 1),
    BAD("1985-XX-15", "a day after an unspecified month is EDTF level 2", 8),
    BAD("1985-0X", "partly unspecified months are EDTF level 2", 5),
    BAD("1985-X4", "partly unspecified months are EDTF level 2", 5),
    BAD("1985-04-1X", "partly unspecified days are EDTF level 2", 8),
    BAD("201X-04", "after an unspecified year is EDTF level 2", 5),
    BAD("19XX-21", "after an unspecified year is EDTF level 2", 5),
    BAD("201x", "lower-case 'x' is not supported", 3),
    BAD("1985-04-xx", "lower-case 'x' is not supported", 8),
    BAD("xxxx", "lower-case 'x' is not supported", 0),
    BAD("20uu", "'u' for unspecified digits is not supported", 2),

    /* long years */
    BAD("Y1234", "a Y year needs more than 4 digits", 1),
    BAD("Y-1234", "a Y year needs more than 4 digits", 2),
    BAD("Y1000000000", "year is out of range", 1),
    BAD("Y-1000000000", "year is out of range", 2),
    BAD("Y99999999999999999999999999999", "year is out of range", 1),
    BAD("Y012345", "a Y year has no leading zeros", 1),
    BAD("Y", "expected digits after Y", 1),
    BAD("Y-", "expected digits after Y", 2),
    BAD("Y12345-01", "a Y year stands alone", 6),
    BAD("Y17E7", "exponential years (E) are EDTF level 2 and not supported", 3),
    BAD("Y171010000S3", "significant digits (S) are EDTF level 2", 10),
    BAD("1950S2", "significant digits (S) are EDTF level 2", 4),
    BAD("y12345", "unexpected character 'y'", 0),
    BAD("Y12345X", "unexpected character 'X'", 6),

    /* times and zones */
    BAD("2021-06-28T10:30Z", "expected hh:mm:ss after T", 11),
    BAD("2021-06-28T", "expected hh:mm:ss after T", 11),
    BAD("2021-06-28T1:30:00", "expected hh:mm:ss after T", 11),
    BAD("2021-06-28T24:00:00Z", "hour 24 is out of range (00-23)", 11),
    BAD("2021-06-28T10:60:00Z", "minute 60 is out of range (00-59)", 14),
    BAD("2021-06-28T10:30:60Z", "second 60 is out of range (00-59)", 17),
    BAD("2021-06-28T10:30:00.5Z", "fractions of a second are not supported", 19),
    BAD("2021-06-28T10:30:00+2:00", "expected a zone as Z, +hh:mm or -hh:mm", 19),
    BAD("2021-06-28T10:30:00+0200", "expected a zone as Z, +hh:mm or -hh:mm", 19),
    BAD("2021-06-28T10:30:00+02", "expected a zone as Z, +hh:mm or -hh:mm", 19),
    BAD("2021-06-28T10:30:00+24:00", "zone hour 24 is out of range (00-23)", 20),
    BAD("2021-06-28T10:30:00+02:60", "zone minute 60 is out of range (00-59)", 23),
    BAD("2021-06-28T10:30:00Zjunk", "unexpected character 'j'", 20),
    BAD("2021-06-28T10:30:00+02:00000", "unexpected character '0'", 25),
    BAD("2021-06-28T10:30:00z", "unexpected character 'z'", 19),
    BAD("2021-06-28t10:30:00Z", "unexpected character 't'", 10),
    BAD("2021-06-28T10:30:00Z?", "qualifiers are not allowed on a date and time", 20),
    BAD("2021-06-28T10:30:00~", "qualifiers are not allowed on a date and time", 19),
    BAD("2021-06T10:30:00Z", "a time needs a full date", 7),
    BAD("2021T10:30:00Z", "a time needs a full date", 4),
    BAD("1985-04-XXT10:00:00Z", "a time needs a full date", 10),
    BAD("2021-02-29T10:00:00Z", "day 29 does not exist in February 2021", 8),

    /* qualifiers in the wrong place */
    BAD("2019??", "more than one qualifier", 4),
    BAD("2019?~", "more than one qualifier", 4),
    BAD("2019~~", "more than one qualifier", 4),
    BAD("?", "a qualifier needs a date before it", 0),
    BAD("2019?-01", "qualifiers on part of a date are EDTF level 2", 4),
    BAD("?2019", "qualifiers on part of a date are EDTF level 2", 0),
    BAD("2004-06~-11", "qualifiers on part of a date are EDTF level 2", 7),

    /* intervals that are no intervals, or run backwards */
    BAD("/", "an interval needs a date on at least one side", 0),
    BAD("../..", "an interval needs a date on at least one side", 0),
    BAD("../", "an interval needs a date on at least one side", 0),
    BAD("/..", "an interval needs a date on at least one side", 0),
    BAD("//", "more than one '/' in an interval", 1),
    BAD("2021/01/21", "more than one '/' in an interval", 7),
    BAD("2019/2020/2021", "more than one '/' in an interval", 9),
    BAD("..", "'..' (an open end) is only allowed in an interval", 0),
    BAD("2021/2019", "interval start 2021 lies after its end 2019", 0),
    BAD("2021-06/2021-05", "interval start 2021-06 lies after its end 2021-05", 0),
    BAD("2021-01-01T10:00:01Z/2021-01-01T10:00:00Z", "lies after its end", 0),
    BAD("2021-01-01T00:30:00+01:00/2020-12-31T23:00:00Z", "lies after its end", 0),
    BAD("2015-03/2014-24", "interval start 2015-03 lies after its end 2014-24", 0),
    BAD("Y12345/2019", "interval start Y12345 lies after its end 2019", 0),
    BAD("2021-01-01/2021-13", "month 13 is out of range (01-12)", 16),
    BAD("2019/2021-02-29", "day 29 does not exist in February 2021", 13),
    BAD("2019-13/2020", "month 13 is out of range (01-12)", 5),
    BAD("2019/ 2020", "unexpected space", 5),
};

/* Write a bound the way the tables write it. */
static const char *iso(int64_t bound, char *buf, size_t size)
{
    edtf_format_iso(bound, true, buf, size);
    return buf;
}

static void test_parse_table(void **state)
{
    (void)state;
    size_t n = sizeof parse_rows / sizeof parse_rows[0];
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        const parse_row *r = &parse_rows[i];
        size_t len = r->len ? r->len : strlen(r->input);
        /* An exact-size heap copy: reading past len trips AddressSanitizer. */
        char *text = malloc(len ? len : 1);
        assert_non_null(text);
        memcpy(text, r->input, len);
        edtf_date d;
        char err[160] = "untouched";
        size_t off = 9999;
        int rc = edtf_parse(text, len, r->allow_interval, &d, err, sizeof err, &off);
        free(text);
        if (r->err) {
            if (rc != -1) {
                print_error("row %zu '%s': expected error '%s', got success\n", i, r->input, r->err);
                failures++;
            } else if (strstr(err, r->err) == NULL) {
                print_error("row %zu '%s': expected error '%s', got '%s'\n", i, r->input, r->err, err);
                failures++;
            } else if (r->offset >= 0 && off != (size_t)r->offset) {
                print_error("row %zu '%s': error '%s' at offset %zu, expected %ld\n", i,
                            r->input, err, off, r->offset);
                failures++;
            } else if (off > len) {
                print_error("row %zu '%s': offset %zu beyond the text\n", i, r->input, off);
                failures++;
            }
            continue;
        }
        if (rc != 0) {
            print_error("row %zu '%s': expected success, got '%s' at %zu\n", i, r->input, err, off);
            failures++;
            continue;
        }
        char lo[64], hi[64];
        iso(d.lower, lo, sizeof lo);
        iso(d.upper, hi, sizeof hi);
        if (strcmp(lo, r->lower) != 0 || strcmp(hi, r->upper) != 0) {
            print_error("row %zu '%s': bounds %s .. %s, expected %s .. %s\n", i, r->input, lo,
                        hi, r->lower, r->upper);
            failures++;
        }
        if (d.precision != r->prec) {
            print_error("row %zu '%s': precision %s, expected %s\n", i, r->input,
                        edtf_precision_name(d.precision), edtf_precision_name(r->prec));
            failures++;
        }
        if (d.qualifiers != r->quals) {
            print_error("row %zu '%s': qualifiers %u, expected %u\n", i, r->input,
                        d.qualifiers, r->quals);
            failures++;
        }
        if (err[0] != '\0') {
            print_error("row %zu '%s': err not cleared on success\n", i, r->input);
            failures++;
        }
        if (d.lower > d.upper) {
            print_error("row %zu '%s': lower bound after upper bound\n", i, r->input);
            failures++;
        }
    }
    if (failures)
        fail_msg("%d of %zu parse rows failed", failures, n);
    assert_true(n >= 170);
}

typedef struct {
    const char *input;
    const char *words;
} human_row;

static const human_row human_rows[] = {
    { "2019", "2019" },
    { "0001", "1" },
    { "0800", "800" },
    { "0000", "1 BCE" },
    { "-0043", "44 BCE" },
    { "2021-01", "January 2021" },
    { "2021-12", "December 2021" },
    { "-0043-03", "March 44 BCE" },
    { "2021-01-21", "21 January 2021" },
    { "2021-01-05", "5 January 2021" },
    { "-0043-03-15", "15 March 44 BCE" },
    { "2014-21", "spring 2014" },
    { "2014-22", "summer 2014" },
    { "2014-23", "autumn 2014" },
    { "2014-24", "winter 2014\xe2\x80\x93" "15" },
    { "1999-24", "winter 1999\xe2\x80\x93" "2000" },
    { "-0044-24", "winter 45\xe2\x80\x93" "44 BCE" },
    { "0000-24", "winter 1 BCE\xe2\x80\x93" "1 CE" },
    { "-0044-22", "summer 45 BCE" },
    { "201X", "the 2010s" },
    { "19XX", "the 1900s" },
    { "20XX", "the 2000s" },
    { "190X", "1900\xe2\x80\x93" "1909" },
    { "001X", "the 10s" },
    { "000X", "1 BCE\xe2\x80\x93" "9 CE" },
    { "-010X", "110\xe2\x80\x93" "101 BCE" },
    { "-01XX", "200\xe2\x80\x93" "101 BCE" },
    { "2004-XX", "2004" },
    { "1985-04-XX", "April 1985" },
    { "1985-XX-XX", "1985" },
    { "2019~", "c. 2019" },
    { "2019?", "2019?" },
    { "2019%", "c. 2019?" },
    { "2014-22~", "c. summer 2014" },
    { "201X?", "the 2010s?" },
    { "2021-01-21%", "c. 21 January 2021?" },
    { "2021-06-28T10:30:00Z", "28 June 2021, 10:30 UTC" },
    { "2021-06-28T10:30:00", "28 June 2021, 10:30 UTC" },
    { "2021-06-28T10:30:15Z", "28 June 2021, 10:30:15 UTC" },
    { "2021-06-28T10:30:00+02:00", "28 June 2021, 10:30 +02:00" },
    { "2021-06-28T10:30:00-05:30", "28 June 2021, 10:30 -05:30" },
    { "2021-06-28T10:30:00+00:00", "28 June 2021, 10:30 UTC" },
    { "Y170000002", "170000002" },
    { "Y-170000002", "170000003 BCE" },
    { "Y12345?", "12345?" },
    { "2014/2019", "2014 \xe2\x80\x93 2019" },
    { "2014-22/2019-03", "summer 2014 \xe2\x80\x93 March 2019" },
    { "2021-01/..", "since January 2021" },
    { "../1985", "until 1985" },
    { "2021-01/", "January 2021 \xe2\x80\x93 ?" },
    { "/1985", "? \xe2\x80\x93 1985" },
    { "2019?/2020~", "2019? \xe2\x80\x93 c. 2020" },
    { "-0043-03-15/0014-08-19", "15 March 44 BCE \xe2\x80\x93 19 August 14" },
    { "2010-03~/..", "since c. March 2010" },
    { "../201X", "until the 2010s" },
};

static void test_humanize_table(void **state)
{
    (void)state;
    size_t n = sizeof human_rows / sizeof human_rows[0];
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        const human_row *r = &human_rows[i];
        edtf_date d;
        char err[128], out[128];
        if (edtf_parse(r->input, strlen(r->input), true, &d, err, sizeof err, NULL) != 0) {
            print_error("humanize row %zu '%s': does not parse: %s\n", i, r->input, err);
            failures++;
            continue;
        }
        int w = edtf_humanize(&d, out, sizeof out);
        if (strcmp(out, r->words) != 0 || w != (int)strlen(r->words)) {
            print_error("humanize row %zu '%s': got '%s' (%d), expected '%s'\n", i, r->input,
                        out, w, r->words);
            failures++;
        }
    }
    if (failures)
        fail_msg("%d of %zu humanize rows failed", failures, n);
    assert_true(n >= 40);
}

typedef struct {
    int64_t bound;
    bool with_time;
    const char *text;
} iso_row;

static const iso_row iso_rows[] = {
    { 0, false, "1970-01-01" },
    { 0, true, "1970-01-01T00:00:00Z" },
    { -1, true, "1969-12-31T23:59:59Z" },
    { -1, false, "1969-12-31" },
    { 86399, true, "1970-01-01T23:59:59Z" },
    { 951868800, false, "2000-03-01" },
    { 951868799, true, "2000-02-29T23:59:59Z" },
    { -2203891200, false, "1900-03-01" },
    { -2203891201, false, "1900-02-28" },
    { 1611225000, true, "2021-01-21T10:30:00Z" },
    { -62135596800, true, "0001-01-01T00:00:00Z" },
    { -62167219200, true, "0000-01-01T00:00:00Z" },
    { -62167219201, true, "-0001-12-31T23:59:59Z" },
    { -63517824000, false, "-0043-03-15" },
    { 253402300799, true, "9999-12-31T23:59:59Z" },
    { 253402300800, true, "+10000-01-01T00:00:00Z" },
    { INT64_MAX - 1, true, "+292277026596-12-04T15:30:06Z" },
    { INT64_MIN + 1, true, "-292277022657-01-27T08:29:53Z" },
    { EDTF_MIN, true, ".." },
    { EDTF_MAX, false, ".." },
};

static void test_format_iso_table(void **state)
{
    (void)state;
    size_t n = sizeof iso_rows / sizeof iso_rows[0];
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        char out[64];
        int w = edtf_format_iso(iso_rows[i].bound, iso_rows[i].with_time, out, sizeof out);
        if (strcmp(out, iso_rows[i].text) != 0 || w != (int)strlen(iso_rows[i].text)) {
            print_error("iso row %zu (%" PRId64 "): got '%s' (%d), expected '%s'\n", i,
                        iso_rows[i].bound, out, w, iso_rows[i].text);
            failures++;
        }
    }
    if (failures)
        fail_msg("%d of %zu format_iso rows failed", failures, n);
}

/* Fixed points of the scale, known outside this code (POSIX time). */
static void test_anchors(void **state)
{
    (void)state;
    assert_int_equal(edtf_seconds_from_civil(1970, 1, 1), 0);
    assert_int_equal(edtf_seconds_from_civil(2000, 3, 1), 951868800);
    assert_int_equal(edtf_seconds_from_civil(1900, 3, 1), -2203891200);
    assert_int_equal(edtf_seconds_from_civil(2021, 1, 21), 1611187200);
    assert_int_equal(edtf_seconds_from_civil(1, 1, 1), -62135596800);
    assert_int_equal(edtf_seconds_from_civil(0, 1, 1), -62167219200);
    assert_int_equal(edtf_seconds_from_civil(9999, 12, 31) + 86399, 253402300799);
    assert_int_equal(edtf_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(edtf_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(edtf_days_from_civil(2000, 1, 1), 10957);
    /* leap rule: 2000, 0, -4, -400 leap; 1900, -100 not */
    assert_int_equal(edtf_days_from_civil(2000, 3, 1) - edtf_days_from_civil(2000, 2, 28), 2);
    assert_int_equal(edtf_days_from_civil(1900, 3, 1) - edtf_days_from_civil(1900, 2, 28), 1);
    assert_int_equal(edtf_days_from_civil(0, 3, 1) - edtf_days_from_civil(0, 2, 28), 2);
    assert_int_equal(edtf_days_from_civil(-4, 3, 1) - edtf_days_from_civil(-4, 2, 28), 2);
    assert_int_equal(edtf_days_from_civil(-100, 3, 1) - edtf_days_from_civil(-100, 2, 28), 1);
    assert_int_equal(edtf_days_from_civil(-400, 3, 1) - edtf_days_from_civil(-400, 2, 28), 2);
    /* a 400-year cycle is 146097 days, on both sides of year 0 */
    assert_int_equal(edtf_days_from_civil(2000, 1, 1) - edtf_days_from_civil(1600, 1, 1), 146097);
    assert_int_equal(edtf_days_from_civil(0, 1, 1) - edtf_days_from_civil(-400, 1, 1), 146097);
    /* the extreme years stay in range */
    assert_true(edtf_seconds_from_civil(-999999999, 1, 1) < edtf_seconds_from_civil(-9999, 1, 1));
    assert_true(edtf_seconds_from_civil(1000000000, 1, 1) > 0);
    /* absurd years saturate instead of overflowing */
    assert_true(edtf_seconds_from_civil(INT64_MAX, 1, 1) == EDTF_MAX);
    assert_true(edtf_seconds_from_civil(INT64_MIN, 1, 1) == EDTF_MIN);
    assert_true(edtf_days_from_civil(INT64_MAX, 12, 31) == INT64_MAX);
    assert_true(edtf_seconds_from_civil(400000000000, 1, 1) == EDTF_MAX);
}

/* Days in a month by counting, not by the code under test. */
static int naive_month_len(int64_t y, int m)
{
    static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : len[m - 1];
}

/* Every day from -2000 to 2400 against a plain day counter, both ways. */
static void test_against_counting(void **state)
{
    (void)state;
    int64_t n = edtf_days_from_civil(-2000, 1, 1);
    int64_t count = n;
    for (int64_t y = -2000; y <= 2400; y++) {
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= naive_month_len(y, m); d++) {
                if (edtf_days_from_civil(y, m, d) != count)
                    fail_msg("days_from_civil(%" PRId64 ",%d,%d) = %" PRId64 ", counted %" PRId64,
                             y, m, d, edtf_days_from_civil(y, m, d), count);
                int64_t yy;
                int mm, dd;
                edtf_civil_from_days(count, &yy, &mm, &dd);
                if (yy != y || mm != m || dd != d)
                    fail_msg("civil_from_days(%" PRId64 ") = %" PRId64 "-%d-%d, expected %" PRId64
                             "-%d-%d", count, yy, mm, dd, y, m, d);
                count++;
            }
        }
    }
    /* and the day counter meets the epoch where POSIX puts it */
    assert_int_equal(edtf_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(count - n, edtf_days_from_civil(2401, 1, 1) - edtf_days_from_civil(-2000, 1, 1));
}

/* The parsed fields, beyond the bounds. */
static void test_fields(void **state)
{
    (void)state;
    edtf_date d;
    const char *t = "2021-06-28T10:30:00+02:00";
    assert_int_equal(edtf_parse(t, strlen(t), false, &d, NULL, 0, NULL), 0);
    assert_false(d.is_interval);
    assert_int_equal(d.start.kind, EDTF_END_DATE);
    assert_int_equal(d.start.year, 2021);
    assert_int_equal(d.start.month, 6);
    assert_int_equal(d.start.day, 28);
    assert_int_equal(d.start.hour, 10);
    assert_int_equal(d.start.minute, 30);
    assert_true(d.start.has_time);
    assert_true(d.start.has_tz);
    assert_int_equal(d.start.tz_minutes, 120);

    t = "-010X";
    assert_int_equal(edtf_parse(t, strlen(t), false, &d, NULL, 0, NULL), 0);
    assert_int_equal(d.start.year, -100);
    assert_int_equal(d.start.year_unspecified, 1);

    t = "1985-04-XX";
    assert_int_equal(edtf_parse(t, strlen(t), false, &d, NULL, 0, NULL), 0);
    assert_int_equal(d.start.month, 4);
    assert_int_equal(d.start.day, 0);
    assert_true(d.start.day_unspecified);
    assert_false(d.start.month_unspecified);

    t = "2014-24~";
    assert_int_equal(edtf_parse(t, strlen(t), false, &d, NULL, 0, NULL), 0);
    assert_int_equal(d.start.season, 24);
    assert_int_equal(d.start.month, 0);
    assert_int_equal(d.start.qualifiers, EDTF_APPROXIMATE);

    t = "../2019?";
    assert_int_equal(edtf_parse(t, strlen(t), true, &d, NULL, 0, NULL), 0);
    assert_true(d.is_interval);
    assert_int_equal(d.start.kind, EDTF_END_OPEN);
    assert_int_equal(d.start.precision, EDTF_PREC_NONE);
    assert_true(d.start.lower == EDTF_MIN);
    assert_int_equal(d.end.kind, EDTF_END_DATE);
    assert_int_equal(d.qualifiers, EDTF_UNCERTAIN);

    t = "2019/";
    assert_int_equal(edtf_parse(t, strlen(t), true, &d, NULL, 0, NULL), 0);
    assert_int_equal(d.end.kind, EDTF_END_UNKNOWN);
    assert_true(d.end.lower == d.start.lower && d.end.upper == d.start.upper);
}

/* Error reporting with no buffer, a tiny buffer, no offset; *out left alone. */
static void test_error_plumbing(void **state)
{
    (void)state;
    edtf_date d;
    memset(&d, 0x5a, sizeof d);
    edtf_date before = d;
    assert_int_equal(edtf_parse("2021-13", 7, false, &d, NULL, 0, NULL), -1);
    assert_memory_equal(&d, &before, sizeof d);
    char small[6];
    size_t off = 0;
    assert_int_equal(edtf_parse("2021-13", 7, false, &d, small, sizeof small, &off), -1);
    assert_string_equal(small, "month");
    assert_int_equal(off, 5);
    assert_int_equal(edtf_parse(NULL, 0, true, &d, small, sizeof small, NULL), -1);
    assert_int_equal(edtf_parse("2019", 4, true, NULL, NULL, 0, NULL), 0);
    /* only len bytes are read: the rest of the string is not the date */
    assert_int_equal(edtf_parse("2019-13", 4, true, &d, NULL, 0, NULL), 0);
    assert_int_equal(d.precision, EDTF_PREC_YEAR);
}

/* Text far longer than any date, in every position. */
static void test_huge_inputs(void **state)
{
    (void)state;
    enum { N = 100000 };
    static const char *const prefixes[] = { "", "Y", "Y-", "-", "2021-", "2021-01-",
                                            "2021-01-01T", "2021-01-01T10:30:00+",
                                            "2019/", "2019?/", "Y12345" };
    static const char fills[] = { '1', '0', 'X', '9', '/', '-', '?' };
    char *text = malloc(N);
    assert_non_null(text);
    for (size_t p = 0; p < sizeof prefixes / sizeof prefixes[0]; p++) {
        for (size_t f = 0; f < sizeof fills; f++) {
            size_t plen = strlen(prefixes[p]);
            memcpy(text, prefixes[p], plen);
            memset(text + plen, fills[f], N - plen);
            edtf_date d;
            char err[128];
            size_t off = SIZE_MAX;
            int rc = edtf_parse(text, N, true, &d, err, sizeof err, &off);
            if (rc != -1 || off > N)
                fail_msg("huge input '%s' + '%c'...: rc %d offset %zu", prefixes[p], fills[f],
                         rc, off);
        }
    }
    free(text);
}

/* snprintf semantics: truncation, size 0, the length that would be written. */
static void test_truncation(void **state)
{
    (void)state;
    char buf[8];
    assert_int_equal(edtf_format_iso(0, true, NULL, 0), 20);
    memset(buf, 'z', sizeof buf);
    assert_int_equal(edtf_format_iso(0, true, buf, 5), 20);
    assert_string_equal(buf, "1970");
    assert_int_equal(buf[5], 'z');

    edtf_date d;
    const char *t = "2014-22/2019-03";
    assert_int_equal(edtf_parse(t, strlen(t), true, &d, NULL, 0, NULL), 0);
    int full = edtf_humanize(&d, NULL, 0);
    assert_int_equal(full, (int)strlen("summer 2014 \xe2\x80\x93 March 2019"));
    assert_int_equal(edtf_humanize(&d, buf, sizeof buf), full);
    assert_string_equal(buf, "summer ");
    assert_int_equal(edtf_humanize(&d, buf, 1), full);
    assert_string_equal(buf, "");
    assert_int_equal(edtf_humanize(NULL, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
}

static void test_precision_names(void **state)
{
    (void)state;
    static const char *const names[] = { "none", "century", "decade", "year",
                                         "season", "month", "day", "second" };
    for (int p = EDTF_PREC_NONE; p <= EDTF_PREC_SECOND; p++)
        assert_string_equal(edtf_precision_name((edtf_precision)p), names[p]);
    assert_string_equal(edtf_precision_name((edtf_precision)99), "none");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_anchors),
        cmocka_unit_test(test_against_counting),
        cmocka_unit_test(test_parse_table),
        cmocka_unit_test(test_humanize_table),
        cmocka_unit_test(test_format_iso_table),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_error_plumbing),
        cmocka_unit_test(test_huge_inputs),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_precision_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
