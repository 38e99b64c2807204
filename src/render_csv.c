/* render_csv.c - the report as CSV (RFC 4180): a header row, then one row per event. */
#include <stdlib.h>
#include <string.h>

#include "annals/render.h"

/*
 * Columns: id, date, start, end, title, summary, type,
 * actors, roles, places, tags, sources, figures, part_of.
 * start and end are as in the JSON report, empty for an open end. Lists
 * are joined by ';' (ids, roles, tags and figure names are slugs, so they
 * hold no ';'). roles runs parallel to actors: the n-th role is the n-th
 * actor's, empty when it has none. A figure is "name=value", then
 * " (low..high)" when a range is given, then " unit".
 * Lines end in CRLF; a field holding ',', '"', CR or LF is quoted with its
 * quotes doubled. A missing value is an empty field.
 */

/* A growable line buffer for the list fields. */
typedef struct {
    char *s;
    size_t n, cap;
    bool oom;
} field;

static void fld_add(field *f, const char *s)
{
    size_t n = strlen(s);
    if (f->oom)
        return;
    if (f->n + n + 1 > f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 256;
        while (cap < f->n + n + 1)
            cap *= 2;
        char *p = realloc(f->s, cap);
        if (!p) {
            f->oom = true;
            return;
        }
        f->s = p;
        f->cap = cap;
    }
    memcpy(f->s + f->n, s, n + 1);
    f->n += n;
}

static void fld_reset(field *f)
{
    f->n = 0;
    if (f->s)
        f->s[0] = '\0';
}

/* Write the list field built in f (empty when nothing was added). */
static void fld_write(FILE *out, field *f)
{
    putc(',', out);
    render_csv_field(out, f->n ? f->s : "");
    fld_reset(f);
}

static void write_event(FILE *out, const report_event *ev, field *f)
{
    char start[64], end[64], num[40];
    render_iso_bounds(&ev->when, start, end, sizeof(start));
    render_csv_field(out, ev->id);
    putc(',', out);
    render_csv_field(out, ev->date);
    putc(',', out);
    render_csv_field(out, start);
    putc(',', out);
    render_csv_field(out, end);
    putc(',', out);
    render_csv_field(out, ev->title);
    putc(',', out);
    render_csv_field(out, ev->summary);
    putc(',', out);
    render_csv_field(out, ev->type);
    for (size_t i = 0; i < ev->nactors; i++) {
        fld_add(f, i ? ";" : "");
        fld_add(f, ev->actors[i].id);
    }
    fld_write(out, f);
    for (size_t i = 0; i < ev->nactors; i++) {
        fld_add(f, i ? ";" : "");
        fld_add(f, ev->actors[i].role ? ev->actors[i].role : "");
    }
    fld_write(out, f);
    for (size_t i = 0; i < ev->nplaces; i++) {
        fld_add(f, i ? ";" : "");
        fld_add(f, ev->places[i].id);
    }
    fld_write(out, f);
    for (size_t i = 0; i < ev->ntags; i++) {
        fld_add(f, i ? ";" : "");
        fld_add(f, ev->tags[i]);
    }
    fld_write(out, f);
    for (size_t i = 0; i < ev->nsources; i++) {
        fld_add(f, i ? ";" : "");
        fld_add(f, ev->sources[i].id);
    }
    fld_write(out, f);
    for (size_t i = 0; i < ev->nfigures; i++) {
        const report_figure *fg = &ev->figures[i];
        fld_add(f, i ? ";" : "");
        fld_add(f, fg->name);
        fld_add(f, "=");
        render_number(fg->value, num, sizeof(num));
        fld_add(f, num);
        if (fg->has_low || fg->has_high) {
            render_number(fg->has_low ? fg->low : fg->value, num, sizeof(num));
            fld_add(f, " (");
            fld_add(f, num);
            fld_add(f, "..");
            render_number(fg->has_high ? fg->high : fg->value, num, sizeof(num));
            fld_add(f, num);
            fld_add(f, ")");
        }
        if (fg->unit) {
            fld_add(f, " ");
            fld_add(f, fg->unit);
        }
    }
    fld_write(out, f);
    putc(',', out);
    render_csv_field(out, ev->part_of);
    fputs("\r\n", out);
}

int render_csv(query_cursor *cur, const render_options *opts, char **err)
{
    FILE *out = opts->out;
    const report_event *ev;
    field f = {0};
    int rc;
    fputs("id,date,start,end,title,summary,type,actors,roles,places,tags,sources,figures,"
          "part_of\r\n", out);
    while ((rc = query_next(cur, &ev, err)) == 1) {
        write_event(out, ev, &f);
        if (f.oom) {
            free(f.s);
            *err = strdup("out of memory");
            return -1;
        }
    }
    free(f.s);
    return rc < 0 ? -1 : 0;
}
