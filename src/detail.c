/* detail.c - `annals show`: every record with one id, described whole, with the events linked to it. */
#include "annals/detail.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "annals/listing.h"
#include "annals/names.h"
#include "annals/query.h"
#include "annals/render.h"
#include "annals/util.h"

#define LABEL 13

static void label(FILE *out, const char *name, bool color)
{
    fprintf(out, "  %s%s%s", color ? SGR_DIM : "", name, color ? SGR_RESET : "");
    render_pad(out, LABEL > strlen(name) ? LABEL - strlen(name) : 1);
}

/* A label and a one-line value; nothing when the value is NULL. */
static void field(FILE *out, const char *name, const char *value, bool color)
{
    if (!value)
        return;
    label(out, name, color);
    render_plain(out, value);
    putc('\n', out);
}

/* A label and a date held as EDTF: in words, then the EDTF ("c. 27 BCE (-0026~)"). */
static void date_field(FILE *out, const char *name, const char *edtf, bool color)
{
    if (!edtf)
        return;
    char words[128];
    render_date_words(edtf, words, sizeof(words));
    label(out, name, color);
    render_plain(out, words);
    if (strcmp(words, edtf) != 0) {
        fputs(" (", out);
        render_plain(out, edtf);
        putc(')', out);
    }
    putc('\n', out);
}

/* A label and a value of several lines, each further line under the first. */
static void field_lines(FILE *out, const char *name, const char *value, bool color)
{
    if (!value)
        return;
    label(out, name, color);
    const char *p = value;
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char line[1024];
        while (n) {     /* in pieces, so a long line needs no allocation */
            size_t k = n < sizeof(line) - 1 ? n : sizeof(line) - 1;
            while (k < n && k > 4 && ((unsigned char)p[k] & 0xC0) == 0x80)
                k--;    /* never split a UTF-8 character */
            memcpy(line, p, k);
            line[k] = '\0';
            render_plain(out, line);
            p += k;
            n -= k;
        }
        putc('\n', out);
        if (!nl || !nl[1])
            break;
        p = nl + 1;
        render_pad(out, 2 + LABEL);
    }
}

static void heading(FILE *out, const char *noun, const char *id, bool color, int *shown)
{
    if ((*shown)++)
        putc('\n', out);
    fprintf(out, "%s%s %s%s\n", color ? SGR_BOLD : "", noun, id, color ? SGR_RESET : "");
}

/* One event line of a list: date, title, [id]; what adds text after the title. */
static void event_line(FILE *out, const report_event *ev, size_t width, bool color)
{
    char date[256];
    edtf_humanize(&ev->when, date, sizeof(date));
    fprintf(out, "    %s%s%s", color ? SGR_CYAN : "", date, color ? SGR_RESET : "");
    size_t w = render_width(date);
    render_pad(out, (w < width ? width - w : 0) + 2);
    render_plain(out, ev->title);
    fprintf(out, "  %s[%s]%s\n", color ? SGR_DIM : "", ev->id, color ? SGR_RESET : "");
}

/*
 * The events of filter f as an indented list under "events (N)", in
 * chronological order, with two passes (the first only measures dates).
 * For a source, each line is followed by what the event quotes from it.
 */
static int event_list(sqlite3 *db, const query_filter *f, const char *title,
                      const char *source, bool say_none, FILE *out, bool color, char **err)
{
    query_cursor *cur;
    if (query_open(db, f, &cur, err) != 0)
        return -1;
    int64_t lo, hi;
    long count;
    const report_event *ev;
    size_t width = 0;
    char date[256];
    int rc;
    if (query_extent(cur, &lo, &hi, &count, err) != 0) {
        query_close(cur);
        return -1;
    }
    if (count == 0) {
        if (say_none) {
            label(out, title, color);
            fputs("none\n", out);
        }
        query_close(cur);
        return 0;
    }
    query_skip_links(cur, true);
    while ((rc = query_next(cur, &ev, err)) == 1) {
        edtf_humanize(&ev->when, date, sizeof(date));
        size_t w = render_width(date);
        width = w > width ? w : width;
    }
    query_skip_links(cur, false);
    if (rc < 0 || query_rewind(cur, err) != 0) {
        query_close(cur);
        return -1;
    }
    if (width > 32)
        width = 32;
    label(out, title, color);
    fprintf(out, "%ld\n", count);
    while ((rc = query_next(cur, &ev, err)) == 1) {
        event_line(out, ev, width, color);
        for (size_t i = 0; source && i < ev->nsources; i++) {
            const report_source *s = &ev->sources[i];
            if (strcmp(s->id, source) != 0 || (!s->quote && !s->locator))
                continue;
            fputs("      ", out);
            if (s->locator) {
                render_plain(out, s->locator);
                fputs(s->quote ? ": " : "", out);
            }
            if (s->quote) {
                fputs("\xE2\x80\x9C", out);
                render_plain(out, s->quote);
                fputs("\xE2\x80\x9D", out);
            }
            putc('\n', out);
        }
    }
    query_close(cur);
    return rc < 0 ? -1 : 0;
}

static void defined_at(FILE *out, const char *path, int line, bool color)
{
    label(out, "defined", color);
    render_plain(out, path);
    fprintf(out, ":%d\n", line);
}

static int show_event(sqlite3 *db, const char *id, FILE *out, bool color, int *shown,
                      char **err)
{
    query_cursor *cur;
    query_filter f = {.event = id};
    if (query_open(db, &f, &cur, err) != 0)
        return -1;
    const report_event *ev;
    int rc = query_next(cur, &ev, err);
    if (rc <= 0) {
        query_close(cur);
        return rc;
    }
    char buf[256], start[64], end[64];
    heading(out, "event", ev->id, color, shown);
    field(out, "title", ev->title, color);
    edtf_humanize(&ev->when, buf, sizeof(buf));
    render_iso_bounds(&ev->when, start, end, sizeof(start));
    label(out, "date", color);
    render_plain(out, buf);
    fprintf(out, " (%s: %s .. %s)\n", ev->date, *start ? start : "open",
            *end ? end : "open");
    field_lines(out, "summary", ev->summary, color);
    field(out, "type", ev->type, color);
    field(out, "part of", ev->part_of, color);
    for (size_t i = 0; i < ev->nactors; i++) {
        label(out, i ? "" : "actors", color);
        render_plain(out, ev->actors[i].name);
        fprintf(out, " [%s]", ev->actors[i].id);
        if (ev->actors[i].role)
            fprintf(out, " as %s", ev->actors[i].role);
        putc('\n', out);
    }
    for (size_t i = 0; i < ev->nplaces; i++) {
        label(out, i ? "" : "places", color);
        render_plain(out, ev->places[i].name);
        fprintf(out, " [%s]", ev->places[i].id);
        if (ev->places[i].has_coords) {
            char la[40], lo[40];
            render_number(ev->places[i].lat, la, sizeof(la));
            render_number(ev->places[i].lon, lo, sizeof(lo));
            fprintf(out, " (%s, %s)", la, lo);
        }
        putc('\n', out);
    }
    if (ev->ntags) {
        label(out, "tags", color);
        for (size_t i = 0; i < ev->ntags; i++)
            fprintf(out, "%s%s", i ? ", " : "", ev->tags[i]);
        putc('\n', out);
    }
    for (size_t i = 0; i < ev->nfigures; i++) {
        const report_figure *fg = &ev->figures[i];
        char num[RENDER_FIGURE_MAX];
        label(out, i ? "" : "figures", color);
        render_figure(fg, num, sizeof(num));
        fprintf(out, "%s %s", fg->name, num);
        if (fg->unit) {
            putc(' ', out);
            render_plain(out, fg->unit);
        }
        putc('\n', out);
    }
    for (size_t i = 0; i < ev->nsources; i++) {
        const report_source *s = &ev->sources[i];
        label(out, i ? "" : "sources", color);
        render_plain(out, s->title);
        fprintf(out, " [%s]", s->id);
        if (s->locator) {
            fputs(", ", out);
            render_plain(out, s->locator);
        }
        if (s->url) {
            fputs(" <", out);
            render_plain(out, s->url);
            putc('>', out);
        }
        putc('\n', out);
        if (s->quote) {
            label(out, "", color);
            fputs("  \xE2\x80\x9C", out);
            render_plain(out, s->quote);
            fputs("\xE2\x80\x9D\n", out);
        }
    }
    field_lines(out, "notes", ev->notes, color);
    defined_at(out, ev->file, ev->line, color);
    query_close(cur);
    query_filter parts = {.part_of = id};
    return event_list(db, &parts, "parts", NULL, false, out, color, err) < 0 ? -1 : 1;
}

static int show_record(sqlite3 *db, listing_kind kind, const char *id, FILE *out, bool color,
                       int *shown, char **err)
{
    listing_record r;
    int rc = listing_get(db, kind, id, &r, err);
    if (rc <= 0)
        return rc;
    heading(out, r.noun, id, color, shown);
    query_filter f = {0};
    if (kind == LISTING_SOURCES) {
        field(out, "title", r.name, color);
        field(out, "publisher", r.publisher, color);
        field(out, "author", r.author, color);
        date_field(out, "published", r.published, color);
        date_field(out, "accessed", r.accessed, color);
        field(out, "url", r.url, color);
        field_lines(out, "notes", r.notes, color);
        f.source = id;
    } else {
        field(out, "name", r.name, color);
        field(out, "kind", r.kind_name, color);
        if (r.aliases.n) {
            label(out, "aliases", color);
            listing_list_text(out, &r.aliases);
            putc('\n', out);
        }
        if (r.parents.n) {
            label(out, r.parents_word, color);
            listing_list_text(out, &r.parents);
            putc('\n', out);
        }
        for (size_t i = 0; i < r.children.n; i++) {
            label(out, i ? "" : r.children_word, color);
            render_plain(out, r.children.v[i]);
            fputs(" (", out);
            render_plain(out, r.children.names[i]);
            fputs(")\n", out);
        }
        if (kind == LISTING_ACTORS) {
            field_lines(out, "description", r.description, color);
            f.actor = id;
        } else {
            if (r.has_coords) {
                char la[40], lo[40];
                render_number(r.lat, la, sizeof(la));
                render_number(r.lon, lo, sizeof(lo));
                label(out, "coords", color);
                fprintf(out, "%s, %s\n", la, lo);
            }
            f.region = id;
        }
    }
    defined_at(out, r.path ? r.path : "?", r.line, color);
    listing_record_free(&r);
    rc = event_list(db, &f, "events", kind == LISTING_SOURCES ? id : NULL, true, out, color, err);
    return rc < 0 ? -1 : 1;
}

int detail_show(sqlite3 *db, const char *id, FILE *out, bool color, char **err)
{
    int shown = 0, rc = show_event(db, id, out, color, &shown, err);
    for (int k = LISTING_ACTORS; rc >= 0 && k <= LISTING_SOURCES; k++)
        rc = show_record(db, (listing_kind)k, id, out, color, &shown, err);
    return rc < 0 ? -1 : shown;
}

char *detail_hint(sqlite3 *db, const char *id)
{
    names_advice a;
    char *err = NULL, *hint = NULL;
    if (names_advise(db, NAMES_ANY, id, 1, &a, &err) == 0)
        hint = names_advice_text(&a, id);
    free(err);
    names_advice_free(&a);
    return hint;
}
