/* render_geojson.c - an RFC 7946 FeatureCollection: one Point per (event, place with coordinates). */
#include "annals/render.h"

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

/* An ISO bound from render_iso_bounds, or null for an open end (""). */
static void write_bound(FILE *out, const char *iso)
{
    render_json_string(out, *iso ? iso : NULL);
}

static void write_feature(FILE *out, const report_event *ev, const report_place *p, bool first)
{
    char start[64], end[64];
    render_iso_bounds(&ev->when, start, end, sizeof start);
    fputs(first ? "\n    " : ",\n    ", out);
    fputs("{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [", out);
    render_json_number(out, p->lon);
    fputs(", ", out);
    render_json_number(out, p->lat);
    fputs("]}, \"properties\": {\"id\": ", out);
    render_json_string(out, ev->id);
    fputs(", \"date\": ", out);
    render_json_string(out, ev->date);
    fputs(", \"start\": ", out);
    write_bound(out, start);
    fputs(", \"end\": ", out);
    write_bound(out, end);
    fputs(", \"title\": ", out);
    render_json_string(out, ev->title);
    fputs(", \"summary\": ", out);
    render_json_string(out, ev->summary);
    fputs(", \"type\": ", out);
    render_json_string(out, ev->type);
    fputs(", \"place_id\": ", out);
    render_json_string(out, p->id);
    fputs(", \"place_name\": ", out);
    render_json_string(out, p->name);
    fputs(", \"actors\": [", out);
    for (size_t i = 0; i < ev->nactors; i++) {
        if (i)
            fputs(", ", out);
        render_json_string(out, ev->actors[i].id);
    }
    fputs("], \"tags\": [", out);
    for (size_t i = 0; i < ev->ntags; i++) {
        if (i)
            fputs(", ", out);
        render_json_string(out, ev->tags[i]);
    }
    fputs("]}}", out);
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
