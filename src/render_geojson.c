/* render_geojson.c - an RFC 7946 FeatureCollection: one Point per (event, place with coordinates). */
#include "annals/render.h"

#include <stddef.h>

#include "annals/edtf.h"

/*
 * Each event is written once for every place of it that has coordinates,
 * in the event's order of places; events without such a place are left
 * out (a map has nowhere to put them). Positions are [longitude, latitude]
 * in WGS 84, as RFC 7946 section 3.1.1 asks (the data files write
 * [lat, lon]). "start" and "end" are the ISO 8601 bounds (with the time of
 * day for dates that name a second), null for an open end. The feature has
 * no "id" member: an event with two places would give two features the
 * same id; properties.id and properties.place_id identify it.
 */

/* The string member at offset of each of the n items (stride bytes apart) as a JSON array. */
static void write_array(FILE *out, const void *items, size_t n, size_t stride, size_t offset)
{
    putc('[', out);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", " : "", out);
        render_json_string(out, *(const char *const *)((const char *)items + i * stride + offset));
    }
    putc(']', out);
}

static void write_feature(FILE *out, const report_event *ev, const report_place *p, bool first)
{
    char start[64], end[64];
    render_iso_bounds(&ev->when, start, end, sizeof start);
    /* An ISO bound, or null for an open end (""). */
    const render_json_member props[] = {
        {"id", ev->id}, {"date", ev->date}, {"start", *start ? start : NULL},
        {"end", *end ? end : NULL}, {"title", ev->title}, {"summary", ev->summary},
        {"type", ev->type}, {"place_id", p->id}, {"place_name", p->name}};
    fputs(first ? "\n    " : ",\n    ", out);
    fputs("{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [", out);
    render_json_number(out, p->lon);
    fputs(", ", out);
    render_json_number(out, p->lat);
    fputs("]}, \"properties\": {", out);
    render_json_members(out, props, sizeof(props) / sizeof(props[0]), true);
    fputs(", \"actors\": ", out);
    write_array(out, ev->actors, ev->nactors, sizeof(*ev->actors), offsetof(report_actor, id));
    fputs(", \"tags\": ", out);
    write_array(out, ev->tags, ev->ntags, sizeof(*ev->tags), 0);
    fputs("}}", out);
}

int render_geojson(query_cursor *cur, const render_options *opts, char **err)
{
    *err = NULL;
    FILE *out = opts->out;
    if (query_rewind(cur, err) != 0)
        return -1;
    fputs("{\"type\": \"FeatureCollection\", \"features\": [", out);
    const report_event *ev;
    bool first = true;
    size_t left_out = 0;
    int rc;
    while ((rc = query_next(cur, &ev, err)) == 1) {
        bool placed = false;
        for (size_t i = 0; i < ev->nplaces; i++) {
            if (!ev->places[i].has_coords)
                continue;
            write_feature(out, ev, &ev->places[i], first);
            first = false;
            placed = true;
        }
        left_out += !placed;
    }
    if (opts->left_out)
        *opts->left_out = left_out;
    if (rc < 0)
        return -1;
    fputs(first ? "]}\n" : "\n  ]}\n", out);
    return 0;
}
