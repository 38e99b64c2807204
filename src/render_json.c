/* render_json.c - the report as JSON: {"events": [...]}, one event a line, every field. */
#include <stdlib.h>
#include <string.h>

#include "annals/render.h"

/*
 * Each event:
 *
 *   id, date (EDTF as written), start and end (ISO 8601 bounds, inclusive:
 *   "2014-06-01", "-0043-03-15", with "T..Z" when the date names seconds;
 *   null for an open end ".."; an unknown end carries the bound that
 *   stands, as in the database), when (the date in words), title, summary,
 *   type, actors [{id, name, role, kind, description}], places [{id, name,
 *   kind, lat, lon}] (lat and lon only when the place has coords), tags
 *   [..], sources [{id, title, quote, locator, url, author, publisher,
 *   published, accessed, notes}] (published and accessed as EDTF, as
 *   written), figures [{name, value, low, high, unit}], part_of, notes.
 *   Missing values are null, empty lists []. An actor's aliases and
 *   part_of and a place's aliases and within are in the listings
 *   (`annals actors --format json`), not repeated in every event.
 */

#define KEY(out, k) fputs(",\"" k "\":", out)
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* An object of string members (the first of a list, or one after a comma). */
static void write_object(FILE *out, bool first, const render_json_member *m, size_t n)
{
    fputs(first ? "{" : ",{", out);
    render_json_members(out, m, n, false);
    putc('}', out);
}

static void write_event(FILE *out, const report_event *ev)
{
    char start[64], end[64], when[256];
    render_iso_bounds(&ev->when, start, end, sizeof(start));
    edtf_humanize(&ev->when, when, sizeof(when));
    const render_json_member head[] = {
        {"id", ev->id}, {"date", ev->date}, {"start", *start ? start : NULL},
        {"end", *end ? end : NULL}, {"when", when}, {"title", ev->title},
        {"summary", ev->summary}, {"type", ev->type}};
    putc('{', out);
    render_json_members(out, head, COUNT(head), false);
    KEY(out, "actors");
    putc('[', out);
    for (size_t i = 0; i < ev->nactors; i++) {
        const report_actor *a = &ev->actors[i];
        const render_json_member fields[] = {
            {"id", a->id}, {"name", a->name}, {"role", a->role}, {"kind", a->kind},
            {"description", a->description}};
        write_object(out, i == 0, fields, COUNT(fields));
    }
    putc(']', out);
    KEY(out, "places");
    putc('[', out);
    for (size_t i = 0; i < ev->nplaces; i++) {
        const report_place *p = &ev->places[i];
        fputs(i ? ",{\"id\":" : "{\"id\":", out);
        render_json_string(out, p->id);
        KEY(out, "name");
        render_json_string(out, p->name);
        KEY(out, "kind");
        render_json_string(out, p->kind);
        if (p->has_coords) {
            KEY(out, "lat");
            render_json_number(out, p->lat);
            KEY(out, "lon");
            render_json_number(out, p->lon);
        }
        putc('}', out);
    }
    putc(']', out);
    KEY(out, "tags");
    putc('[', out);
    for (size_t i = 0; i < ev->ntags; i++) {
        if (i)
            putc(',', out);
        render_json_string(out, ev->tags[i]);
    }
    putc(']', out);
    KEY(out, "sources");
    putc('[', out);
    for (size_t i = 0; i < ev->nsources; i++) {
        const report_source *s = &ev->sources[i];
        const render_json_member fields[] = {
            {"id", s->id}, {"title", s->title}, {"quote", s->quote},
            {"locator", s->locator}, {"url", s->url}, {"author", s->author},
            {"publisher", s->publisher}, {"published", s->published},
            {"accessed", s->accessed}, {"notes", s->notes}};
        write_object(out, i == 0, fields, COUNT(fields));
    }
    putc(']', out);
    KEY(out, "figures");
    putc('[', out);
    for (size_t i = 0; i < ev->nfigures; i++) {
        const report_figure *f = &ev->figures[i];
        fputs(i ? ",{\"name\":" : "{\"name\":", out);
        render_json_string(out, f->name);
        KEY(out, "value");
        render_json_number(out, f->value);
        KEY(out, "low");
        if (f->has_low)
            render_json_number(out, f->low);
        else
            fputs("null", out);
        KEY(out, "high");
        if (f->has_high)
            render_json_number(out, f->high);
        else
            fputs("null", out);
        KEY(out, "unit");
        render_json_string(out, f->unit);
        putc('}', out);
    }
    putc(']', out);
    const render_json_member tail[] = {{"part_of", ev->part_of}, {"notes", ev->notes}};
    putc(',', out);
    render_json_members(out, tail, COUNT(tail), false);
    putc('}', out);
}

int render_json(query_cursor *cur, const render_options *opts, char **err)
{
    FILE *out = opts->out;
    const report_event *ev;
    long count = 0;
    int rc;
    fputs("{\"events\": [", out);
    while ((rc = query_next(cur, &ev, err)) == 1) {
        fputs(count ? ",\n  " : "\n  ", out);
        write_event(out, ev);
        count++;
    }
    if (rc < 0)
        return -1;
    fputs(count ? "\n]}\n" : "]}\n", out);
    return 0;
}
