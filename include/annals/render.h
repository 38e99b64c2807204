/* render.h - one renderer per output format, fed event by event from a query cursor. */
#ifndef ANNALS_RENDER_H
#define ANNALS_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "annals/query.h"

typedef struct {
    FILE *out;
    bool color;             /* ANSI colour (text only; the caller decides: tty and no NO_COLOR) */
    const char *title;      /* report title (HTML <title>, Markdown heading); NULL: "Timeline" */
    const char *lanes;      /* HTML lanes: "actor" (default) or "region" */
    size_t *left_out;       /* GeoJSON: set to the number of events left out for want of a
                               place with coords; may be NULL */
} render_options;

/*
 * A renderer reads every event from cur (it may rewind it) and writes the
 * whole document to opts->out. Returns 0, or -1 with *err a new message.
 * Write errors on out are the caller's to detect (ferror).
 */
typedef int (*render_fn)(query_cursor *cur, const render_options *opts, char **err);

typedef struct {
    const char *name;       /* --format value */
    render_fn fn;
    const char *summary;
} render_format;

/* The table of formats, terminated by {NULL}. */
extern const render_format render_formats[];

/* The format named name, or NULL. */
const render_format *render_find(const char *name);

int render_text(query_cursor *cur, const render_options *opts, char **err);
int render_markdown(query_cursor *cur, const render_options *opts, char **err);
int render_html(query_cursor *cur, const render_options *opts, char **err);
int render_json(query_cursor *cur, const render_options *opts, char **err);
int render_csv(query_cursor *cur, const render_options *opts, char **err);
int render_timelinejs(query_cursor *cur, const render_options *opts, char **err);
int render_geojson(query_cursor *cur, const render_options *opts, char **err);

/* ---- Helpers shared by the renderers and the listings (src/render.c) ---- */

/*
 * Display width of UTF-8 text in terminal columns: one per character,
 * none for combining marks and zero-width characters, two for East Asian
 * wide characters. Invalid bytes count one each.
 */
size_t render_width(const char *s);

/* Write n spaces. */
void render_pad(FILE *out, size_t n);

/*
 * Write text for a terminal or a plain-text file on one line: control
 * characters (C0, DEL, C1, ESC included) become U+FFFD, so data can never
 * move the cursor or change colours; newlines and tabs become spaces.
 * NULL writes nothing.
 */
void render_plain(FILE *out, const char *s);

/*
 * Write s escaped for Markdown text (src/render_markdown.c). line_start: s
 * begins a line, where '#', '-', '+', '=' and "1." would start a block.
 * Newlines and tabs become spaces; control characters are dropped.
 */
void render_md_text(FILE *out, const char *s, bool line_start);

/*
 * Write s for HTML or XML with & < > " ' escaped: safe in element text and
 * in quoted attributes (HTML pages, SVG, TimelineJS fields that it writes
 * into its page). NULL writes nothing.
 */
void render_html_escape(FILE *out, const char *s);

/* Write open, s escaped (render_html_escape), then close; nothing at all when s is NULL. */
void render_html_text(FILE *out, const char *open, const char *s, const char *close);

/*
 * Write an event's n sources as an HTML list: open (the list's start tag),
 * then each source as an <li> with its citation (render_html_citation) and
 * its quote in a <blockquote>, then close. sep ("\n" on a page, "" in a
 * TimelineJS field) follows the list's tags and each </li>, and comes
 * before each <blockquote>. Nothing when n is 0.
 */
void render_html_sources(FILE *out, const report_source *s, size_t n, const char *open,
                         const char *close, const char *sep);

/*
 * Write a citation as HTML: <cite>title</cite>, then the parts of
 * render_citation_of joined by ", ", then the URL: a link when it is an
 * http:// or https:// one (never javascript: or data:), else text.
 */
void render_html_citation(FILE *out, const report_source *s);

/* Write a JSON string, or null when s is NULL. */
void render_json_string(FILE *out, const char *s);

/* A member of a JSON object whose value is a string (NULL: null); the key is a plain name. */
typedef struct {
    const char *key, *value;
} render_json_member;

/*
 * Write the members m[0..n) of an object, without its braces:
 * "k":"v","k2":null, or with spaced "k": "v", "k2": null (GeoJSON's style).
 */
void render_json_members(FILE *out, const render_json_member *m, size_t n, bool spaced);

/*
 * Write a JSON number: integers without a fraction or exponent (17500000),
 * others in the shortest %.17g form that reads back exactly (0.1, 2.5e-07).
 * NaN and infinities, which JSON cannot hold, are written as null.
 */
void render_json_number(FILE *out, double v);

/* The same number as text into buf (snprintf semantics); "" for NaN/inf. */
int render_number(double v, char *buf, size_t size);

/*
 * A figure's value and range as every format writes it, into buf (at least
 * RENDER_FIGURE_MAX bytes): "17500000", or "17500000 (17000000–18000000)"
 * when low or high is given (a side not given is the value). The name and
 * the unit are the caller's to write, escaped as its format needs.
 */
#define RENDER_FIGURE_MAX 128
void render_figure(const report_figure *f, char *buf, size_t size);

/*
 * Write one CSV field as RFC 4180 asks: quoted when it holds a comma, a
 * double quote, CR or LF (or starts or ends with a space), quotes doubled.
 * NULL writes an empty field.
 */
void render_csv_field(FILE *out, const char *s);

/*
 * The heading of the year group an event belongs to, from its lower bound:
 * "2021", "44 BCE" (astronomical year -43), "1 BCE" (year 0), or
 * "open start" for an event whose start is open (EDTF_MIN).
 * Returns snprintf semantics.
 */
int render_year_heading(int64_t lower, char *buf, size_t size);

/*
 * A date that a record holds as EDTF text (a source's published or
 * accessed) in words, as edtf_humanize writes it ("c. 27 BCE", "the
 * 1600s"); the text as it is when it is no valid date (a database edited
 * by hand). NULL writes "". Returns snprintf semantics.
 */
int render_date_words(const char *edtf, char *buf, size_t size);

/*
 * What a citation says after the source's title, as a person reads it, in
 * order: author, publisher, the publication date in words, "accessed" and
 * the access date in words, the event's locator. Every format that a
 * person reads (HTML, Markdown footnotes) writes these parts joined by
 * ", ", then the URL, the quote and the source's notes, so that they all
 * cite alike. part[] points into s and into the buffers of c.
 */
typedef struct {
    const char *part[5];
    size_t n;
    char published[128], accessed[140];
} render_citation;

void render_citation_of(const report_source *s, render_citation *c);


/*
 * The start and end of an event as ISO 8601 (edtf_format_iso, with the
 * time when the date names seconds) into buf (at least 40 bytes each); ""
 * for an open end ("..", unbounded). An unknown end ("2019-03/") carries
 * the bound that stands, as in the database: the known side's bound.
 */
void render_iso_bounds(const edtf_date *d, char *start, char *end, size_t size);

#endif
