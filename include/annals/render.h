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

#endif
