/* render_csv.c - the report as CSV (RFC 4180): a header row, then one row per event. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "annals/render.h"
#include "annals/util.h"

/*
 * Columns: id, date, start, end, title, summary, type,
 * actors, roles, places, tags, sources, figures, part_of, notes, quotes,
 * locators.
 * start and end are as in the JSON report, empty for an open end. Lists
 * are joined by ';' (ids, roles, tags and figure names are slugs, so they
 * hold no ';'). roles runs parallel to actors: the n-th role is the n-th
 * actor's, empty when it has none; quotes and locators run parallel to
 * sources likewise, and as they are free text, a ';' or '\' inside one is
 * written "\;" or "\\". A figure is "name=value", then " (low–high)"
 * when a range is given, then " unit". The records an event links to
 * (actors, places, sources) are in the CSV listings, by id.
 * Lines end in CRLF; a field holding ',', '"', CR or LF is quoted with its
 * quotes doubled. A missing value is an empty field.
 */

/* Add free text as one item of a ';'-joined list: ';' and '\\' escaped with '\\'. */
static void fld_add_item(strbuf *f, const char *s)
{
    for (const char *p = s; p && *p;) {
        size_t n = strcspn(p, ";\\");
        strbuf_addn(f, p, n);
        p += n;
        if (*p) {
            strbuf_add(f, *p == ';' ? "\\;" : "\\\\");
            p++;
        }
    }
}

/* Write s as the next field of the row (not the first): a ',' then the field. */
static void fld_next(FILE *out, const char *s)
{
    putc(',', out);
    render_csv_field(out, s);
}

/* Write the list field built in f (empty when nothing was added). */
static void fld_write(FILE *out, strbuf *f)
{
    fld_next(out, strbuf_str(f));
    strbuf_reset(f);
}

/*
 * Write, as one field, the string member at offset of each of the n items
 * of an array (stride bytes apart), joined by ';'; a NULL member is an
 * empty item. escape: the members are free text (fld_add_item).
 */
static void fld_join(FILE *out, strbuf *f, const void *items, size_t n, size_t stride,
                     size_t offset, bool escape)
{
    for (size_t i = 0; i < n; i++) {
        const char *s = *(const char *const *)((const char *)items + i * stride + offset);
        strbuf_add(f, i ? ";" : "");
        if (escape)
            fld_add_item(f, s);
        else
            strbuf_add(f, s ? s : "");
    }
    fld_write(out, f);
}

/* fld_join over the member m of the n items of the array a, of type T. */
#define LIST(out, f, a, n, T, m, escape) fld_join(out, f, a, n, sizeof(T), offsetof(T, m), escape)

static void write_event(FILE *out, const report_event *ev, strbuf *f)
{
    char start[64], end[64], num[RENDER_FIGURE_MAX];
    render_iso_bounds(&ev->when, start, end, sizeof(start));
    const char *const head[] = {ev->date, start, end, ev->title, ev->summary, ev->type};
    render_csv_field(out, ev->id);
    for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
        fld_next(out, head[i]);
    LIST(out, f, ev->actors, ev->nactors, report_actor, id, false);
    LIST(out, f, ev->actors, ev->nactors, report_actor, role, false);
    LIST(out, f, ev->places, ev->nplaces, report_place, id, false);
    fld_join(out, f, ev->tags, ev->ntags, sizeof(*ev->tags), 0, false);
    LIST(out, f, ev->sources, ev->nsources, report_source, id, false);
    for (size_t i = 0; i < ev->nfigures; i++) {
        const report_figure *fg = &ev->figures[i];
        strbuf_add(f, i ? ";" : "");
        strbuf_add(f, fg->name);
        strbuf_add(f, "=");
        render_figure(fg, num, sizeof(num));
        strbuf_add(f, num);
        if (fg->unit) {
            strbuf_add(f, " ");
            strbuf_add(f, fg->unit);
        }
    }
    fld_write(out, f);
    fld_next(out, ev->part_of);
    fld_next(out, ev->notes);
    LIST(out, f, ev->sources, ev->nsources, report_source, quote, true);
    LIST(out, f, ev->sources, ev->nsources, report_source, locator, true);
    fputs("\r\n", out);
}

int render_csv(query_cursor *cur, const render_options *opts, char **err)
{
    FILE *out = opts->out;
    const report_event *ev;
    strbuf f = STRBUF_INIT;
    int rc;
    fputs("id,date,start,end,title,summary,type,actors,roles,places,tags,sources,figures,"
          "part_of,notes,quotes,locators\r\n", out);
    while ((rc = query_next(cur, &ev, err)) == 1) {
        write_event(out, ev, &f);
        if (f.oom) {
            strbuf_free(&f);
            *err = strdup("out of memory");
            return -1;
        }
    }
    strbuf_free(&f);
    return rc < 0 ? -1 : 0;
}
