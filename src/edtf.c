/* edtf.c - EDTF level 0 and 1 dates: text to bounds, precision and qualifiers, and back to words. */
#include "annals/edtf.h"

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define EDTF_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define EDTF_PRINTF(f, a)
#endif

#define SECS_PER_DAY 86400
#define EN_DASH "\xE2\x80\x93"   /* U+2013 in UTF-8 */
/* Beyond these the civil conversions saturate instead of overflowing. */
#define CIVIL_YEAR_LIMIT INT64_C(1000000000000)
#define CIVIL_DAYS_LIMIT INT64_C(1000000000000000)

static const char *const month_names[12] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"
};

static const char *const season_names[4] = {
    "spring", "summer", "autumn", "winter"
};

/* ------------------------------------------------------------------ */
/* Calendar arithmetic                                                 */
/* ------------------------------------------------------------------ */

int64_t edtf_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b != 0 && a < 0)
        q--;
    return q;
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
    static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && is_leap(y))
        return 29;
    return len[m - 1];
}

/* Howard Hinnant's days_from_civil, in 64-bit arithmetic throughout. */
int64_t edtf_days_from_civil(int64_t y, int m, int d)
{
    if (y > CIVIL_YEAR_LIMIT)
        return INT64_MAX;
    if (y < -CIVIL_YEAR_LIMIT)
        return INT64_MIN;
    int64_t mm = m, dd = d;
    y -= mm <= 2;
    int64_t era = edtf_floor_div(y, 400);
    int64_t yoe = y - era * 400;                                  /* [0, 399] */
    int64_t doy = (153 * (mm > 2 ? mm - 3 : mm + 9) + 2) / 5 + dd - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

/* Seconds at 00:00:00 UTC of y-m-d. Saturates like edtf_days_from_civil. */
int64_t edtf_seconds_from_civil(int64_t y, int m, int d)
{
    int64_t days = edtf_days_from_civil(y, m, d);
    if (days > INT64_MAX / SECS_PER_DAY)
        return EDTF_MAX;
    if (days < INT64_MIN / SECS_PER_DAY)
        return EDTF_MIN;
    return days * SECS_PER_DAY;
}

/* Howard Hinnant's civil_from_days. Clamps absurd day counts. */
void edtf_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
    if (days > CIVIL_DAYS_LIMIT)
        days = CIVIL_DAYS_LIMIT;
    if (days < -CIVIL_DAYS_LIMIT)
        days = -CIVIL_DAYS_LIMIT;
    int64_t z = days + 719468;
    int64_t era = edtf_floor_div(z, 146097);
    int64_t doe = z - era * 146097;                                       /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                     /* [0, 11] */
    int64_t dd = doy - (153 * mp + 2) / 5 + 1;                            /* [1, 31] */
    int64_t mm = mp < 10 ? mp + 3 : mp - 9;                               /* [1, 12] */
    *y = yoe + era * 400 + (mm <= 2);
    *m = (int)mm;
    *d = (int)dd;
}

/* ------------------------------------------------------------------ */
/* Output into a caller's buffer with snprintf semantics               */
/* ------------------------------------------------------------------ */

typedef struct {
    char *buf;
    size_t size;
    size_t len;     /* length of the whole text, written or not */
} edtf_sbuf;

static void sb_init(edtf_sbuf *b, char *buf, size_t size)
{
    b->buf = buf;
    b->size = buf ? size : 0;
    b->len = 0;
    if (b->size > 0)
        b->buf[0] = '\0';
}

static void sb_printf(edtf_sbuf *b, const char *fmt, ...) EDTF_PRINTF(2, 3);

/* Append formatted text; what does not fit is counted, not written. */
static void sb_printf(edtf_sbuf *b, const char *fmt, ...)
{
    size_t avail = b->len < b->size ? b->size - b->len : 0;
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(avail > 0 ? b->buf + b->len : NULL, avail, fmt, ap);
    va_end(ap);
    if (r > 0)
        b->len += (size_t)r;
}

static int sb_result(const edtf_sbuf *b)
{
    return b->len > INT_MAX ? INT_MAX : (int)b->len;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */
/* ------------------------------------------------------------------ */

typedef struct {
    char *err;
    size_t errlen;
    size_t *err_offset;
} edtf_errctx;

static int fail(edtf_errctx *c, size_t off, const char *fmt, ...) EDTF_PRINTF(3, 4);

/* Record an error message and its offset; always returns -1. */
static int fail(edtf_errctx *c, size_t off, const char *fmt, ...)
{
    if (c->err && c->errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err, c->errlen, fmt, ap);
        va_end(ap);
    }
    if (c->err_offset)
        *c->err_offset = off;
    return -1;
}

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
           ch == '\v' || ch == '\f';
}

/* The bytes that end a digit run in a well-formed date. */
static bool is_separator(char ch)
{
    return ch == '-' || ch == 'T' || ch == ':';
}

static bool is_qualifier(char ch)
{
    return ch == '?' || ch == '~' || ch == '%';
}

/*
 * Report the byte at s[pos] (s holds n readable bytes) as one that does not
 * belong there, naming the EDTF feature it hints at where it can. Returns -1.
 */
static int fail_char(edtf_errctx *c, const char *s, size_t n, size_t pos, size_t base)
{
    unsigned char ch = (unsigned char)s[pos];
    size_t at = base + pos;
    if (is_qualifier((char)ch))
        return fail(c, at, "qualifiers on part of a date are EDTF level 2 and not supported");
    if (ch == 'x')
        return fail(c, at, "lower-case 'x' is not supported (write X for an unspecified digit)");
    if (ch == '[' || ch == ']' || ch == '{' || ch == '}')
        return fail(c, at, "sets ([...] and {...}) are EDTF level 2 and not supported");
    if (ch == ' ')
        return fail(c, at, "unexpected space");
    if (ch == 0xE2 && pos + 2 < n && (unsigned char)s[pos + 1] == 0x80 &&
        ((unsigned char)s[pos + 2] == 0x93 || (unsigned char)s[pos + 2] == 0x94))
        return fail(c, at, "unexpected dash (write an interval with '/', as in 2014/2019)");
    if (ch > 0x20 && ch < 0x7F)
        return fail(c, at, "unexpected character '%c'", ch);
    if (is_space((char)ch))
        return fail(c, at, "unexpected whitespace");
    return fail(c, at, "unexpected byte 0x%02x", ch);
}

/* Value of two ASCII digits at s. */
static int two_digits(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

/*
 * Length of the run of digit-like bytes (0-9, X, x) starting at s[pos],
 * stopping at end. A lower-case x or a 'u' directly after digits is
 * reported (returns -1); otherwise *run is set and 0 returned.
 */
static int scan_run(edtf_errctx *c, const char *s, size_t n, size_t pos, size_t end,
                    size_t base, size_t *run)
{
    size_t i = pos;
    while (i < end && (is_digit(s[i]) || s[i] == 'X' || s[i] == 'x'))
        i++;
    for (size_t k = pos; k < i; k++)
        if (s[k] == 'x')
            return fail_char(c, s, n, k, base);
    if (i > pos && i < end && s[i] == 'u')
        return fail(c, base + i, "'u' for unspecified digits is not supported (write X)");
    *run = i - pos;
    return 0;
}

/* A year as people write it: 2019, 44 BCE, 1 BCE (year 0), 170000002. */
static void sb_year_human(edtf_sbuf *b, int64_t y)
{
    if (y > 0)
        sb_printf(b, "%" PRId64, y);
    else
        sb_printf(b, "%" PRId64 " BCE", 1 - y);
}

/* Write a year as ISO 8601 writes it: 2021, 0000, -0043, +12345, -12345. */
static void sb_year_iso(edtf_sbuf *b, int64_t y)
{
    if (y > 9999)
        sb_printf(b, "+%" PRId64, y);
    else if (y < 0)
        sb_printf(b, "-%04" PRId64, -y);
    else
        sb_printf(b, "%04" PRId64, y);
}

/* Bounds of a whole year, or of a run of years. */
static void year_bounds(int64_t ylo, int64_t yhi, edtf_point *p)
{
    p->lower = edtf_seconds_from_civil(ylo, 1, 1);
    p->upper = edtf_seconds_from_civil(yhi + 1, 1, 1) - 1;
}

/* Parse a Y-prefixed year ("Y12345", "Y-170000002") ending at end. */
static int parse_long_year(edtf_errctx *c, const char *s, size_t n, size_t end,
                           size_t base, edtf_point *p)
{
    size_t pos = 1;
    bool neg = false;
    if (pos < end && s[pos] == '-') {
        neg = true;
        pos++;
    }
    size_t ds = pos;
    while (pos < end && is_digit(s[pos]))
        pos++;
    size_t run = pos - ds;
    if (run == 0) {
        if (ds < end)
            return fail_char(c, s, n, ds, base);
        return fail(c, base + ds, "expected digits after Y");
    }
    if (pos < end && s[pos] == 'E')
        return fail(c, base + pos, "exponential years (E) are EDTF level 2 and not supported");
    if (pos < end && s[pos] == 'S')
        return fail(c, base + pos, "significant digits (S) are EDTF level 2 and not supported");
    if (s[ds] == '0')
        return fail(c, base + ds, "a Y year has no leading zeros");
    if (run <= 4)
        return fail(c, base + ds,
                    "a Y year needs more than 4 digits (write shorter years without Y)");
    if (run > 9)
        return fail(c, base + ds, "year is out of range (at most %d either side of 0)",
                    EDTF_YEAR_MAX);
    if (pos < end) {
        if (s[pos] == '-')
            return fail(c, base + pos, "a Y year stands alone (no month or day)");
        return fail_char(c, s, n, pos, base);
    }
    int64_t v = 0;
    for (size_t k = ds; k < pos; k++)
        v = v * 10 + (s[k] - '0');
    p->year = neg ? -v : v;
    p->precision = EDTF_PREC_YEAR;
    year_bounds(p->year, p->year, p);
    return 0;
}

/* Parse "T hh:mm:ss [Z | +hh:mm | -hh:mm]" starting at the T. */
static int parse_time(edtf_errctx *c, const char *s, size_t n, size_t pos, size_t end,
                      size_t base, edtf_point *p)
{
    pos++; /* the T */
    if (end - pos < 8 || !is_digit(s[pos]) || !is_digit(s[pos + 1]) || s[pos + 2] != ':' ||
        !is_digit(s[pos + 3]) || !is_digit(s[pos + 4]) || s[pos + 5] != ':' ||
        !is_digit(s[pos + 6]) || !is_digit(s[pos + 7]))
        return fail(c, base + pos, "expected hh:mm:ss after T");
    p->hour = two_digits(s + pos);
    p->minute = two_digits(s + pos + 3);
    p->second = two_digits(s + pos + 6);
    if (p->hour > 23)
        return fail(c, base + pos, "hour %02d is out of range (00-23)", p->hour);
    if (p->minute > 59)
        return fail(c, base + pos + 3, "minute %02d is out of range (00-59)", p->minute);
    if (p->second > 59)
        return fail(c, base + pos + 6, "second %02d is out of range (00-59)", p->second);
    p->has_time = true;
    pos += 8;
    if (pos < end && (s[pos] == '.' || s[pos] == ','))
        return fail(c, base + pos, "fractions of a second are not supported");
    if (pos < end && s[pos] == 'Z') {
        p->has_tz = true;
        pos++;
    } else if (pos < end && (s[pos] == '+' || s[pos] == '-')) {
        size_t zs = pos + 1;
        if (end - zs < 5 || !is_digit(s[zs]) || !is_digit(s[zs + 1]) || s[zs + 2] != ':' ||
            !is_digit(s[zs + 3]) || !is_digit(s[zs + 4]))
            return fail(c, base + pos, "expected a zone as Z, +hh:mm or -hh:mm");
        int zh = two_digits(s + zs), zm = two_digits(s + zs + 3);
        if (zh > 23)
            return fail(c, base + zs, "zone hour %02d is out of range (00-23)", zh);
        if (zm > 59)
            return fail(c, base + zs + 3, "zone minute %02d is out of range (00-59)", zm);
        p->has_tz = true;
        p->tz_minutes = (s[pos] == '-' ? -1 : 1) * (zh * 60 + zm);
        pos = zs + 5;
    }
    if (pos < end)
        return fail_char(c, s, n, pos, base);
    return 0;
}

/*
 * Parse one date (no '/'): s holds n bytes, found at offset base of the
 * whole text. Fills *p. Returns 0, or -1 with the error recorded.
 */
static int parse_point(edtf_errctx *c, const char *s, size_t n, size_t base, edtf_point *p)
{
    memset(p, 0, sizeof *p);
    p->kind = EDTF_END_DATE;

    /* A single qualifier at the very end applies to the whole date. */
    size_t end = n;
    size_t qpos = 0;
    if (end > 0 && is_qualifier(s[end - 1])) {
        char q = s[end - 1];
        p->qualifiers = q == '?' ? EDTF_UNCERTAIN
                      : q == '~' ? EDTF_APPROXIMATE
                      : EDTF_UNCERTAIN | EDTF_APPROXIMATE;
        end--;
        qpos = end;
        if (end > 0 && is_qualifier(s[end - 1]))
            return fail(c, base + end - 1,
                        "more than one qualifier (use %% for uncertain and approximate)");
        if (end == 0)
            return fail(c, base, "a qualifier needs a date before it");
    }

    if (s[0] == 'Y')
        return parse_long_year(c, s, n, end, base, p);

    /* Year: optional minus, exactly four digits, the last one or two may be X. */
    size_t pos = 0;
    bool neg = false;
    if (s[0] == '-') {
        neg = true;
        pos = 1;
    }
    size_t ys = pos, run;
    if (scan_run(c, s, n, ys, end, base, &run) < 0)
        return -1;
    if (run < 4 && ys + run < end && !is_separator(s[ys + run]))
        return fail_char(c, s, n, ys + run, base);
    if (run == 8 && ys + run == end && !memchr(s + ys, 'X', run))
        return fail(c, base + ys, "expected 4 digits for the year "
                    "(write a day as YYYY-MM-DD, with dashes)");
    if (run != 4)
        return fail(c, base + ys, run > 4
                    ? "expected 4 digits for the year (use Y for longer years)"
                    : "expected 4 digits for the year");
    size_t xs = 0;
    while (xs < 4 && s[ys + 3 - xs] == 'X')
        xs++;
    bool x_inside = false;
    for (size_t k = 0; k < 4 - xs; k++)
        x_inside = x_inside || s[ys + k] == 'X';
    if (xs > 2 || x_inside)
        return fail(c, base + ys,
                    "only the last one or two digits of a year may be X (201X, 19XX); "
                    "other forms are EDTF level 2 and not supported");
    int64_t mag = 0;
    for (size_t k = 0; k < 4; k++)
        mag = mag * 10 + (s[ys + k] == 'X' ? 0 : s[ys + k] - '0');
    if (neg && mag == 0 && xs == 0)
        return fail(c, base, "year -0000 does not exist (1 BCE is 0000)");
    p->year = neg ? -mag : mag;
    p->year_unspecified = (int)xs;
    pos = ys + 4;

    if (pos == end) {
        int64_t span = xs == 0 ? 0 : xs == 1 ? 9 : 99;
        int64_t ylo = neg ? -(mag + span) : mag, yhi = neg ? -mag : mag + span;
        p->precision = xs == 0 ? EDTF_PREC_YEAR : xs == 1 ? EDTF_PREC_DECADE : EDTF_PREC_CENTURY;
        year_bounds(ylo, yhi, p);
        return 0;
    }
    if (s[pos] == 'S')
        return fail(c, base + pos, "significant digits (S) are EDTF level 2 and not supported");
    if (s[pos] == 'T')
        return fail(c, base + pos, "a time needs a full date (YYYY-MM-DD)");
    if (s[pos] != '-')
        return fail_char(c, s, n, pos, base);
    if (xs > 0)
        return fail(c, base + pos + 1,
                    "a month or season after an unspecified year is EDTF level 2 and not supported");
    pos++;

    /* Month or season: two digits, or XX. */
    size_t ms = pos;
    if (scan_run(c, s, n, ms, end, base, &run) < 0)
        return -1;
    if (run != 2) {
        if (run < 2 && ms + run < end && !is_separator(s[ms + run]))
            return fail_char(c, s, n, ms + run, base);
        if (run == 4 && ms + 4 == end && s[ms] != 'X' && s[ms + 3] != 'X')
            return fail(c, base + ms, "expected 2 digits for the month "
                        "(write an interval with '/', as in 2014/2019)");
        return fail(c, base + ms, "expected 2 digits for the month");
    }
    if (s[ms] == 'X' || s[ms + 1] == 'X') {
        if (s[ms] != 'X' || s[ms + 1] != 'X')
            return fail(c, base + ms, "partly unspecified months are EDTF level 2 and not supported");
        p->month_unspecified = true;
    } else {
        int mv = two_digits(s + ms);
        if (mv >= 21 && mv <= 24)
            p->season = mv;
        else if (mv >= 25 && mv <= 41)
            return fail(c, base + ms, "seasons 25-41 are EDTF level 2 and not supported");
        else if (mv < 1 || mv > 12)
            return fail(c, base + ms, "month %02d is out of range (01-12)", mv);
        else
            p->month = mv;
    }
    pos = ms + 2;

    if (pos == end) {
        if (p->season) {
            static const int first[4] = { 3, 6, 9, 12 };
            int fm = first[p->season - 21];
            p->precision = EDTF_PREC_SEASON;
            p->lower = edtf_seconds_from_civil(p->year, fm, 1);
            p->upper = fm == 12 ? edtf_seconds_from_civil(p->year + 1, 3, 1) - 1
                                : edtf_seconds_from_civil(p->year, fm + 3, 1) - 1;
        } else if (p->month_unspecified) {
            p->precision = EDTF_PREC_YEAR;
            year_bounds(p->year, p->year, p);
        } else {
            p->precision = EDTF_PREC_MONTH;
            p->lower = edtf_seconds_from_civil(p->year, p->month, 1);
            p->upper = p->month == 12 ? edtf_seconds_from_civil(p->year + 1, 1, 1) - 1
                                      : edtf_seconds_from_civil(p->year, p->month + 1, 1) - 1;
        }
        return 0;
    }
    if (s[pos] == 'T')
        return fail(c, base + pos, "a time needs a full date (YYYY-MM-DD)");
    if (s[pos] != '-')
        return fail_char(c, s, n, pos, base);
    if (p->season)
        return fail(c, base + pos, "a season cannot have a day");
    pos++;

    /* Day: two digits, or XX. */
    size_t ds = pos;
    if (scan_run(c, s, n, ds, end, base, &run) < 0)
        return -1;
    if (run != 2) {
        if (run < 2 && ds + run < end && !is_separator(s[ds + run]))
            return fail_char(c, s, n, ds + run, base);
        return fail(c, base + ds, "expected 2 digits for the day");
    }
    if (s[ds] == 'X' || s[ds + 1] == 'X') {
        if (s[ds] != 'X' || s[ds + 1] != 'X')
            return fail(c, base + ds, "partly unspecified days are EDTF level 2 and not supported");
        p->day_unspecified = true;
    } else {
        if (p->month_unspecified)
            return fail(c, base + ds,
                        "a day after an unspecified month is EDTF level 2 and not supported");
        int dv = two_digits(s + ds);
        if (dv == 0)
            return fail(c, base + ds, "day 00 is out of range");
        if (dv > days_in_month(p->year, p->month)) {
            edtf_sbuf yb;
            char ytext[24];
            sb_init(&yb, ytext, sizeof ytext);
            sb_year_human(&yb, p->year);     /* "February 44 BCE", not "-0043" */
            return fail(c, base + ds, "day %02d does not exist in %s %s", dv,
                        month_names[p->month - 1], ytext);
        }
        p->day = dv;
    }
    pos = ds + 2;

    if (pos < end && s[pos] == 'T') {
        if (p->month_unspecified || p->day_unspecified)
            return fail(c, base + pos, "a time needs a full date (YYYY-MM-DD)");
        if (parse_time(c, s, n, pos, end, base, p) < 0)
            return -1;
        if (p->qualifiers)
            return fail(c, base + qpos, "qualifiers are not allowed on a date and time");
        p->precision = EDTF_PREC_SECOND;
        p->lower = edtf_seconds_from_civil(p->year, p->month, p->day) +
                   p->hour * 3600 + p->minute * 60 + p->second - (int64_t)p->tz_minutes * 60;
        p->upper = p->lower;
        return 0;
    }
    if (pos < end)
        return fail_char(c, s, n, pos, base);
    if (p->month_unspecified) {
        p->precision = EDTF_PREC_YEAR;
        year_bounds(p->year, p->year, p);
    } else if (p->day_unspecified) {
        p->precision = EDTF_PREC_MONTH;
        p->lower = edtf_seconds_from_civil(p->year, p->month, 1);
        p->upper = p->lower + (int64_t)days_in_month(p->year, p->month) * SECS_PER_DAY - 1;
    } else {
        p->precision = EDTF_PREC_DAY;
        p->lower = edtf_seconds_from_civil(p->year, p->month, p->day);
        p->upper = p->lower + SECS_PER_DAY - 1;
    }
    return 0;
}

/* Parse one side of an interval: a date, ".." (open) or nothing (unknown). */
static int parse_side(edtf_errctx *c, const char *s, size_t n, size_t base, edtf_point *p)
{
    if (n == 0) {
        memset(p, 0, sizeof *p);
        p->kind = EDTF_END_UNKNOWN;
        return 0;
    }
    if (n == 2 && s[0] == '.' && s[1] == '.') {
        memset(p, 0, sizeof *p);
        p->kind = EDTF_END_OPEN;
        return 0;
    }
    return parse_point(c, s, n, base, p);
}

/*
 * Parse len bytes of text as an EDTF level 0 or 1 date or interval. On
 * failure returns -1 with the reason in err and its offset in *err_offset;
 * *out is then left as it was. On success err is set to "".
 */
int edtf_parse(const char *text, size_t len, bool allow_interval,
               edtf_date *out, char *err, size_t errlen, size_t *err_offset)
{
    edtf_errctx c = { err, errlen, err_offset };
    edtf_date d;
    memset(&d, 0, sizeof d);
    if (err && errlen > 0)
        err[0] = '\0';

    if (text == NULL || len == 0)
        return fail(&c, 0, "empty date");
    if (is_space(text[0]))
        return fail(&c, 0, "unexpected whitespace at the start");
    if (is_space(text[len - 1])) {
        size_t i = len;
        while (i > 0 && is_space(text[i - 1]))
            i--;
        return fail(&c, i, "unexpected whitespace at the end");
    }

    size_t slash = len, slash2 = len;
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '/')
            continue;
        if (slash == len) {
            slash = i;
        } else {
            slash2 = i;
            break;
        }
    }

    if (slash == len) {
        if (len == 2 && text[0] == '.' && text[1] == '.')
            return fail(&c, 0, "'..' (an open end) is only allowed in an interval");
        if (parse_point(&c, text, len, 0, &d.start) < 0)
            return -1;
        d.end.kind = EDTF_END_UNKNOWN;
        d.lower = d.start.lower;
        d.upper = d.start.upper;
        d.precision = d.start.precision;
        d.qualifiers = d.start.qualifiers;
    } else {
        if (!allow_interval)
            return fail(&c, slash, "expected a date, not an interval");
        if (slash2 != len)
            return fail(&c, slash2, "more than one '/' in an interval");
        size_t elen = len - slash - 1;
        if (parse_side(&c, text, slash, 0, &d.start) < 0 ||
            parse_side(&c, text + slash + 1, elen, slash + 1, &d.end) < 0)
            return -1;
        edtf_point *a = &d.start, *b = &d.end;
        if (a->kind != EDTF_END_DATE && b->kind != EDTF_END_DATE)
            return fail(&c, 0, "an interval needs a date on at least one side");
        if (a->kind == EDTF_END_DATE && b->kind == EDTF_END_DATE && a->lower > b->upper)
            return fail(&c, 0, "interval start %.*s lies after its end %.*s",
                        (int)slash, text, (int)elen, text + slash + 1);
        if (a->kind == EDTF_END_OPEN)
            a->lower = a->upper = EDTF_MIN;
        if (b->kind == EDTF_END_OPEN)
            b->lower = b->upper = EDTF_MAX;
        if (a->kind == EDTF_END_UNKNOWN) {
            a->lower = b->lower;
            a->upper = b->upper;
        }
        if (b->kind == EDTF_END_UNKNOWN) {
            b->lower = a->lower;
            b->upper = a->upper;
        }
        d.is_interval = true;
        d.lower = a->kind == EDTF_END_DATE ? a->lower
                : a->kind == EDTF_END_OPEN ? EDTF_MIN : b->lower;
        d.upper = b->kind == EDTF_END_DATE ? b->upper
                : b->kind == EDTF_END_OPEN ? EDTF_MAX : a->upper;
        d.precision = a->precision > b->precision ? a->precision : b->precision;
        d.qualifiers = a->qualifiers | b->qualifiers;
    }
    if (out)
        *out = d;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

/* Write a bound as ISO 8601; see the header. */
int edtf_format_iso(int64_t bound, bool with_time, char *buf, size_t size)
{
    edtf_sbuf b;
    sb_init(&b, buf, size);
    if (bound == EDTF_MIN || bound == EDTF_MAX) {
        sb_printf(&b, "..");
        return sb_result(&b);
    }
    edtf_civil c = edtf_civil_of(bound);
    sb_year_iso(&b, c.year);
    sb_printf(&b, "-%02d-%02d", c.month, c.day);
    if (with_time)
        sb_printf(&b, "T%02d:%02d:%02dZ", c.hour, c.minute, c.second);
    return sb_result(&b);
}

/* A run of years: 1900–1909, 110–101 BCE, 1 BCE–9 CE. */
static void sb_year_range(edtf_sbuf *b, int64_t a, int64_t z)
{
    if (a >= 1)
        sb_printf(b, "%" PRId64 EN_DASH "%" PRId64, a, z);
    else if (z <= 0)
        sb_printf(b, "%" PRId64 EN_DASH "%" PRId64 " BCE", 1 - a, 1 - z);
    else
        sb_printf(b, "%" PRId64 " BCE" EN_DASH "%" PRId64 " CE", 1 - a, z);
}

edtf_civil edtf_civil_of(int64_t bound)
{
    edtf_civil c;
    int64_t days = bound / SECS_PER_DAY, sod = bound % SECS_PER_DAY;
    if (sod < 0) {                  /* floor, without overflow near INT64_MIN */
        sod += SECS_PER_DAY;
        days--;
    }
    edtf_civil_from_days(days, &c.year, &c.month, &c.day);
    c.hour = (int)(sod / 3600);
    c.minute = (int)(sod / 60 % 60);
    c.second = (int)(sod % 60);
    return c;
}

int64_t edtf_year_of(int64_t bound)
{
    return edtf_civil_of(bound).year;
}

void edtf_widen(int64_t *lo, int64_t *hi, int64_t t)
{
    if (t == EDTF_MIN || t == EDTF_MAX)
        return;
    if (t < *lo)
        *lo = t;
    if (t > *hi)
        *hi = t;
}

/* One date in words, with its qualifiers. */
static void human_point(edtf_sbuf *b, const edtf_point *p)
{
    if (p->kind != EDTF_END_DATE)
        return;
    if (p->qualifiers & EDTF_APPROXIMATE)
        sb_printf(b, "c. ");
    switch (p->precision) {
    case EDTF_PREC_CENTURY:
    case EDTF_PREC_DECADE: {
        int64_t ylo = edtf_year_of(p->lower), yhi = edtf_year_of(p->upper);
        /* "the 1900s" would be ambiguous for the decade 190X: write it out. */
        if (ylo >= 1 && !(p->precision == EDTF_PREC_DECADE && ylo % 100 == 0))
            sb_printf(b, "the %" PRId64 "s", ylo);
        else
            sb_year_range(b, ylo, yhi);
        break;
    }
    case EDTF_PREC_SEASON:
        if (p->season < 21 || p->season > 24)
            break;
        sb_printf(b, "%s ", season_names[p->season - 21]);
        if (p->season != 24)
            sb_year_human(b, p->year);
        else if (p->year >= 1000 && p->year + 1 <= 9999 && p->year / 100 == (p->year + 1) / 100)
            sb_printf(b, "%" PRId64 EN_DASH "%02d", p->year, (int)((p->year + 1) % 100));
        else
            sb_year_range(b, p->year, p->year + 1);
        break;
    case EDTF_PREC_MONTH:
    case EDTF_PREC_DAY:
    case EDTF_PREC_SECOND:
        if (p->month < 1 || p->month > 12)
            break;
        if (p->precision != EDTF_PREC_MONTH)
            sb_printf(b, "%d ", p->day);
        sb_printf(b, "%s ", month_names[p->month - 1]);
        sb_year_human(b, p->year);
        if (p->precision == EDTF_PREC_SECOND) {
            sb_printf(b, ", %02d:%02d", p->hour, p->minute);
            if (p->second != 0)
                sb_printf(b, ":%02d", p->second);
            if (!p->has_tz || p->tz_minutes == 0)
                sb_printf(b, " UTC");
            else
                sb_printf(b, " %c%02d:%02d", p->tz_minutes < 0 ? '-' : '+',
                          (p->tz_minutes < 0 ? -p->tz_minutes : p->tz_minutes) / 60,
                          (p->tz_minutes < 0 ? -p->tz_minutes : p->tz_minutes) % 60);
        }
        break;
    case EDTF_PREC_YEAR:
    default:
        sb_year_human(b, p->year);
        break;
    }
    if (p->qualifiers & EDTF_UNCERTAIN)
        sb_printf(b, "?");
}

/* Write the date in words; see the header and docs/dates.md. */
int edtf_humanize(const edtf_date *d, char *buf, size_t size)
{
    edtf_sbuf b;
    sb_init(&b, buf, size);
    if (d == NULL)
        return 0;
    if (!d->is_interval) {
        human_point(&b, &d->start);
        return sb_result(&b);
    }
    edtf_end_kind a = d->start.kind, z = d->end.kind;
    if (a == EDTF_END_DATE && z == EDTF_END_DATE) {
        human_point(&b, &d->start);
        sb_printf(&b, " " EN_DASH " ");
        human_point(&b, &d->end);
    } else if (a == EDTF_END_DATE && z == EDTF_END_OPEN) {
        sb_printf(&b, "since ");
        human_point(&b, &d->start);
    } else if (a == EDTF_END_OPEN && z == EDTF_END_DATE) {
        sb_printf(&b, "until ");
        human_point(&b, &d->end);
    } else if (a == EDTF_END_DATE && z == EDTF_END_UNKNOWN) {
        human_point(&b, &d->start);
        sb_printf(&b, " " EN_DASH " ?");
    } else if (a == EDTF_END_UNKNOWN && z == EDTF_END_DATE) {
        sb_printf(&b, "? " EN_DASH " ");
        human_point(&b, &d->end);
    }
    return sb_result(&b);
}

/* Name of a precision; "none" for values outside the enum. */
const char *edtf_precision_name(edtf_precision p)
{
    static const char *const names[] = {
        "none", "century", "decade", "year", "season", "month", "day", "second"
    };
    if ((int)p < 0 || (int)p >= (int)(sizeof names / sizeof names[0]))
        return "none";
    return names[p];
}
