/* edtf.h - EDTF (ISO 8601-2) level 0 and 1 dates: parse, bounds, words. */
#ifndef ANNALS_EDTF_H
#define ANNALS_EDTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Every bound is a count of seconds on one proleptic Gregorian UTC scale:
 * 0 is 1970-01-01T00:00:00Z, negative values run back through year 0
 * (= 1 BCE) and beyond. Bounds are inclusive: the day 2021-01-21 is
 * [2021-01-21T00:00:00, 2021-01-21T23:59:59].
 * An open end ("..") is EDTF_MIN or EDTF_MAX.
 */
#define EDTF_MIN INT64_MIN
#define EDTF_MAX INT64_MAX

/* The largest year magnitude a date may name (Y999999999, Y-999999999). */
#define EDTF_YEAR_MAX 999999999

/* The finest unit a date names. Ordered from coarse to fine. */
typedef enum {
    EDTF_PREC_NONE = 0,   /* open or unknown interval end */
    EDTF_PREC_CENTURY,    /* 19XX */
    EDTF_PREC_DECADE,     /* 201X */
    EDTF_PREC_YEAR,       /* 2019 */
    EDTF_PREC_SEASON,     /* 2014-22 */
    EDTF_PREC_MONTH,      /* 2021-01, also 2004-XX is YEAR with unspecified month */
    EDTF_PREC_DAY,        /* 2021-01-21 */
    EDTF_PREC_SECOND      /* 2021-06-28T10:30:00Z */
} edtf_precision;

/* Qualifier bits. */
enum {
    EDTF_UNCERTAIN = 1u << 0,   /* ? */
    EDTF_APPROXIMATE = 1u << 1  /* ~ ; % sets both */
};

/* Kind of one side of a date. */
typedef enum {
    EDTF_END_DATE = 0,    /* a date */
    EDTF_END_OPEN,        /* ".." : unbounded */
    EDTF_END_UNKNOWN      /* empty : not known */
} edtf_end_kind;

/* One calendar date as written (one side of an interval, or the whole date). */
typedef struct {
    edtf_end_kind kind;
    int64_t year;          /* astronomical: 0 is 1 BCE; unspecified digits
                              read as 0 (201X is 2010, -010X is -100) */
    int month;             /* 1..12, or 0 when not given / unspecified */
    int day;               /* 1..31, or 0 when not given / unspecified */
    int season;            /* 21..24, or 0 */
    int hour, minute, second;
    int tz_minutes;        /* offset east of UTC, when has_tz */
    bool has_time, has_tz;
    int year_unspecified;  /* number of trailing X digits in the year: 0, 1, 2 */
    bool month_unspecified, day_unspecified;
    edtf_precision precision;
    unsigned qualifiers;   /* EDTF_UNCERTAIN | EDTF_APPROXIMATE */
    int64_t lower, upper;  /* inclusive bounds of this side; an open start is
                              EDTF_MIN, an open end EDTF_MAX, an unknown
                              side carries the other side's bounds */
} edtf_point;

/* A parsed date or interval. */
typedef struct {
    bool is_interval;
    edtf_point start;      /* the date itself when !is_interval */
    edtf_point end;        /* only when is_interval */
    int64_t lower, upper;  /* inclusive bounds of the whole */
    edtf_precision precision; /* the finest of the sides that are dates */
    unsigned qualifiers;   /* union of the sides' qualifiers */
} edtf_date;

/*
 * Parse len bytes of text as an EDTF level 0 or 1 date or interval.
 * Returns 0 on success and fills *out. On failure returns -1, writes a
 * lower-case reason without a full stop into err (errlen bytes, may be 0),
 * sets *err_offset (if not NULL) to the 0-based byte offset in text where
 * the problem lies, and leaves *out unspecified.
 * allow_interval false rejects intervals ("a date, not an interval").
 */
int edtf_parse(const char *text, size_t len, bool allow_interval,
               edtf_date *out, char *err, size_t errlen, size_t *err_offset);

/*
 * Days from 1970-01-01 to the proleptic Gregorian day y-m-d (astronomical
 * year; 0 is 1 BCE). DAYS, not seconds: edtf_seconds_from_civil gives
 * seconds. m is 1..12 and d 1..31 (d is not checked against the month: day
 * 0 is the last day of the month before). Years beyond +-10^12 saturate to
 * INT64_MIN / INT64_MAX; an m outside 1..12 gives a meaningless result,
 * never undefined behaviour.
 */
int64_t edtf_days_from_civil(int64_t y, int m, int d);

/*
 * Seconds of 00:00:00 UTC on the day y-m-d, on the bound scale above.
 * Same rules as edtf_days_from_civil; a result beyond int64_t (years
 * beyond about +-2.9 * 10^11) saturates to EDTF_MIN / EDTF_MAX.
 */
int64_t edtf_seconds_from_civil(int64_t y, int m, int d);

/*
 * The inverse of edtf_days_from_civil: the civil date of a day count.
 * Any int64_t day count is accepted (counts beyond +-10^15 days are
 * clamped). y, m and d must not be NULL.
 */
void edtf_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/* a / b rounded toward minus infinity (b > 0): the day of a bound is edtf_floor_div(bound, 86400). */
int64_t edtf_floor_div(int64_t a, int64_t b);

/* A bound as its UTC calendar date and time of day. */
typedef struct {
    int64_t year;          /* astronomical: 0 is 1 BCE */
    int month, day;        /* 1..12, 1..31 */
    int hour, minute, second;
} edtf_civil;

/* The civil date and time of a bound (EDTF_MIN and EDTF_MAX clamp far away). */
edtf_civil edtf_civil_of(int64_t bound);

/* The astronomical year of a bound: edtf_civil_of(bound).year. */
int64_t edtf_year_of(int64_t bound);

/*
 * Widen the finite extent [*lo, *hi] to take bound t; the open ends
 * EDTF_MIN and EDTF_MAX are ignored. Start an empty extent from
 * lo = INT64_MAX, hi = INT64_MIN (lo > hi: nothing finite yet).
 */
void edtf_widen(int64_t *lo, int64_t *hi, int64_t t);

/*
 * Write a bound as ISO 8601: "2021-01-21", "0000-01-01", "-0043-03-15",
 * and with an explicit sign for years beyond 4 digits: "+170000002-01-01",
 * "-170000002-01-01". with_time appends "T10:30:00Z" (bounds are UTC).
 * EDTF_MIN / EDTF_MAX write "..". Returns the length the whole text needs,
 * without the NUL (snprintf semantics: truncated but NUL-terminated when
 * size is too small; buf may be NULL when size is 0).
 */
int edtf_format_iso(int64_t bound, bool with_time, char *buf, size_t size);

/*
 * Write the date as people write it (English, UTF-8): "21 January 2021",
 * "January 2021", "summer 2014", "c. 2019" (approximate), "2019?"
 * (uncertain), "44 BCE", "2014 – 2019", "since January 2021",
 * "until 1985", "January 2021 – ?", "the 2010s", "the 1900s",
 * "28 June 2021, 10:30 UTC". docs/dates.md lists every form.
 * Returns snprintf semantics (see edtf_format_iso); d must come from
 * edtf_parse. A NULL d writes "".
 */
int edtf_humanize(const edtf_date *d, char *buf, size_t size);

/* "none", "century", "decade", "year", "season", "month", "day", "second";
 * "none" for a value outside the enum. The string is static. */
const char *edtf_precision_name(edtf_precision p);

#endif
