/* render_timelinejs.c - the JSON that TimelineJS 3 reads: {"title", "events", "eras", "scale"}. */
#include "annals/render.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "annals/edtf.h"
#include "annals/util.h"

/*
 * How annals dates become TimelineJS dates (timeline.knightlab.com/docs/json-format.html):
 *
 * - Date objects carry numbers, as fine as the date is: {"year"} for a year,
 *   decade or century, {"year","month"} for a month or season,
 *   {"year","month","day"} for a day, and hour, minute, second (UTC) for a
 *   date and time. A span at its own precision (a decade 201X, a season)
 *   gets an end_date at that precision: {2010} - {2019}, {2014,6} - {2014,8}.
 * - Years are astronomical, as in EDTF and ISO 8601: 44 BCE is -43.
 *   TimelineJS places dates with JavaScript's Date, whose setFullYear is
 *   astronomical too, so marks land on the right year. Its own labels read a
 *   negative year as that many years BCE (-43 as "43 BCE", one year off), so
 *   every date before 1 CE carries a display_date in words ("15 March 44 BCE").
 * - display_date (edtf_humanize) is given for everything but a plain, certain
 *   full day, whose label TimelineJS writes well itself.
 * - Open end ("2019-03/.."): no end_date (TimelineJS has no "ongoing"); the
 *   display_date says "since March 2019". Open start ("../1985"): the known
 *   end is the start_date, with no end_date and "until 1985". An unknown side
 *   ("2019-03/", "/1985") is handled the same way: only the known side is
 *   given, and the display_date keeps the "?".
 * - Events of type "era" become "eras" (TimelineJS draws them as bands behind
 *   the events). An era needs both ends: an open side runs to the first or
 *   last finite date of the timeline.
 * - TimelineJS writes headline, text, group and display_date into the page
 *   as HTML, so each is HTML-escaped here (before the JSON escaping).
 * - "scale" is "cosmological" when a date lies beyond what JavaScript's Date
 *   can hold (about 271,821 BCE to 275,760 CE), else "human".
 */

/* The seconds JavaScript's Date can hold either side of 1970: 8.64e15 ms. */
#define JS_DATE_MAX_SECONDS INT64_C(8640000000000)

typedef struct {
    FILE *out;
    char **err;
    bool cosmological;
    bool first;
    int64_t lo, hi;        /* finite extent of every date, for open eras */
} tljs_ctx;

/* Write s HTML-escaped, as one JSON string. Returns -1 when out of memory. */
static int json_html_string(FILE *out, const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return -1;
    render_html_escape(m, s);
    if (fclose(m) != 0) {
        free(buf);
        return -1;
    }
    json_write_string(out, buf, len);
    free(buf);
    return 0;
}

/* One side of a date as TimelineJS fields: a bound read at a precision. */
typedef struct {
    edtf_civil c;
    int nfields;           /* 1 year, 2 +month, 3 +day, 6 +time */
} tl_date;

static tl_date tl_date_of(int64_t bound, edtf_precision p)
{
    tl_date t;
    t.c = edtf_civil_of(bound);
    t.nfields = p >= EDTF_PREC_SECOND ? 6 : p == EDTF_PREC_DAY ? 3
              : p == EDTF_PREC_MONTH || p == EDTF_PREC_SEASON ? 2 : 1;
    return t;
}

static bool tl_date_same(const tl_date *a, const tl_date *b)
{
    return a->nfields == b->nfields && a->c.year == b->c.year
        && (a->nfields < 2 || a->c.month == b->c.month)
        && (a->nfields < 3 || a->c.day == b->c.day)
        && (a->nfields < 6 || (a->c.hour == b->c.hour && a->c.minute == b->c.minute
                               && a->c.second == b->c.second));
}

static void write_tl_date(tljs_ctx *c, int64_t bound, const tl_date *t)
{
    if (bound < -JS_DATE_MAX_SECONDS || bound > JS_DATE_MAX_SECONDS)
        c->cosmological = true;
    fprintf(c->out, "{\"year\": %" PRId64, t->c.year);
    if (t->nfields >= 2)
        fprintf(c->out, ", \"month\": %d", t->c.month);
    if (t->nfields >= 3)
        fprintf(c->out, ", \"day\": %d", t->c.day);
    if (t->nfields >= 6)
        fprintf(c->out, ", \"hour\": %d, \"minute\": %d, \"second\": %d", t->c.hour, t->c.minute,
                t->c.second);
    fputc('}', c->out);
}

/*
 * The start and (when it differs) end of an event as TimelineJS dates; see
 * the comment at the top. from/to are bounds; has_to false: no end_date.
 */
static void event_span(const edtf_date *d, int64_t *from, edtf_precision *pf, int64_t *to,
                       edtf_precision *pt, bool *has_to)
{
    const edtf_point *a = &d->start, *z = &d->end;
    *has_to = true;
    if (!d->is_interval) {
        *from = a->lower;
        *to = a->upper;
        *pf = *pt = a->precision;
    } else if (a->kind == EDTF_END_DATE && z->kind == EDTF_END_DATE) {
        *from = a->lower;
        *pf = a->precision;
        *to = z->upper;
        *pt = z->precision;
    } else if (a->kind == EDTF_END_DATE) {      /* open or unknown end */
        *from = *to = a->lower;
        *pf = *pt = a->precision;
        *has_to = false;
    } else {                                    /* open or unknown start */
        *from = *to = z->lower;
        *pf = *pt = z->precision;
        *has_to = false;
    }
}

/* display_date for everything but a plain, certain full day of the common era. */
static bool needs_display_date(const edtf_date *d)
{
    return d->is_interval || d->precision != EDTF_PREC_DAY || d->qualifiers != 0
        || d->start.year < 1;
}

/* The slide text: the summary, then the citations, as HTML. A new string, or NULL. */
static char *slide_html(const report_event *ev, size_t *len)
{
    char *buf = NULL;
    FILE *m = open_memstream(&buf, len);
    if (!m)
        return NULL;
    render_html_text(m, "<p>", ev->summary, "</p>");
    render_html_sources(m, ev->sources, ev->nsources, "<ul class=\"annals-sources\">", "</ul>", "");
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static int write_text(tljs_ctx *c, const report_event *ev)
{
    size_t len = 0;
    char *html = slide_html(ev, &len);
    if (!html)
        return -1;
    fputs("\"text\": {\"headline\": ", c->out);
    int rc = json_html_string(c->out, ev->title);
    fputs(", \"text\": ", c->out);
    json_write_string(c->out, html, len);
    fputc('}', c->out);
    free(html);
    return rc;
}

static bool is_era(const report_event *ev)
{
    return ev->type && strcmp(ev->type, "era") == 0;
}

static int write_event(tljs_ctx *c, const report_event *ev)
{
    FILE *out = c->out;
    int64_t from, to;
    edtf_precision pf, pt;
    bool has_to;
    event_span(&ev->when, &from, &pf, &to, &pt, &has_to);
    tl_date a = tl_date_of(from, pf), z = tl_date_of(to, pt);
    fputs(c->first ? "\n    {" : ",\n    {", out);
    c->first = false;
    fputs("\"unique_id\": ", out);
    json_write_string(out, ev->id, strlen(ev->id));
    fputs(", \"start_date\": ", out);
    write_tl_date(c, from, &a);
    if (has_to && !tl_date_same(&a, &z)) {
        fputs(", \"end_date\": ", out);
        write_tl_date(c, to, &z);
    }
    if (needs_display_date(&ev->when)) {
        char words[256];
        edtf_humanize(&ev->when, words, sizeof words);
        fputs(", \"display_date\": ", out);
        if (json_html_string(out, words) != 0)
            return -1;
    }
    fputs(", ", out);
    if (write_text(c, ev) != 0)
        return -1;
    if (ev->nactors) {
        fputs(", \"group\": ", out);
        if (json_html_string(out, ev->actors[0].name) != 0)
            return -1;
    }
    fputc('}', out);
    return 0;
}

static int write_era(tljs_ctx *c, const report_event *ev)
{
    FILE *out = c->out;
    const edtf_date *d = &ev->when;
    /* The side that gives each bound: the whole for a date, else the matching end. */
    const edtf_point *a = &d->start, *z = d->is_interval ? &d->end : &d->start;
    if (d->is_interval && a->kind != EDTF_END_DATE)
        a = z;
    if (d->is_interval && z->kind != EDTF_END_DATE)
        z = &d->start;
    int64_t from = d->lower == EDTF_MIN ? c->lo : d->lower;
    int64_t to = d->upper == EDTF_MAX ? c->hi : d->upper;
    tl_date ta = tl_date_of(from, a->precision), tz = tl_date_of(to, z->precision);
    fputs(c->first ? "\n    {" : ",\n    {", out);
    c->first = false;
    fputs("\"start_date\": ", out);
    write_tl_date(c, from, &ta);
    fputs(", \"end_date\": ", out);
    write_tl_date(c, to, &tz);
    fputs(", ", out);
    if (write_text(c, ev) != 0)
        return -1;
    fputc('}', out);
    return 0;
}

/* One pass over the cursor writing the events (eras false) or the eras (eras true). */
static int pass(tljs_ctx *c, query_cursor *cur, bool eras)
{
    if (query_rewind(cur, c->err) != 0)
        return -1;
    c->first = true;
    const report_event *ev;
    int rc;
    while ((rc = query_next(cur, &ev, c->err)) == 1) {
        if (!eras) {
            edtf_widen(&c->lo, &c->hi, ev->when.lower);
            edtf_widen(&c->lo, &c->hi, ev->when.upper);
            edtf_widen(&c->lo, &c->hi, ev->when.start.kind == EDTF_END_DATE ? ev->when.start.upper : EDTF_MIN);
            edtf_widen(&c->lo, &c->hi, ev->when.is_interval && ev->when.end.kind == EDTF_END_DATE
                                           ? ev->when.end.lower : EDTF_MIN);
        }
        if (is_era(ev) != eras)
            continue;
        if ((eras ? write_era(c, ev) : write_event(c, ev)) != 0) {
            *c->err = strdup("out of memory");
            return -1;
        }
    }
    return rc < 0 ? -1 : 0;
}

int render_timelinejs(query_cursor *cur, const render_options *opts, char **err)
{
    *err = NULL;
    tljs_ctx c;
    memset(&c, 0, sizeof c);
    c.out = opts->out;
    c.err = err;
    c.lo = INT64_MAX;
    c.hi = INT64_MIN;
    int64_t lo, hi;
    long count;
    if (query_extent(cur, &lo, &hi, &count, err) != 0)
        return -1;
    FILE *out = c.out;
    fputs("{\n  \"title\": {\"text\": {\"headline\": ", out);
    if (json_html_string(out, opts->title ? opts->title : "Timeline") != 0)
        goto oom;
    fprintf(out, ", \"text\": \"<p>%ld event%s</p>\"}},\n  \"events\": [", count,
            count == 1 ? "" : "s");
    if (pass(&c, cur, false) != 0)
        return -1;
    fputs("\n  ],\n  \"eras\": [", out);
    if (pass(&c, cur, true) != 0)
        return -1;
    fprintf(out, "\n  ],\n  \"scale\": \"%s\"\n}\n", c.cosmological ? "cosmological" : "human");
    return 0;
oom:
    *err = strdup("out of memory");
    return -1;
}
