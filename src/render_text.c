/* render_text.c - the default report: aligned lines grouped by year, for a terminal. */
#include <stdlib.h>
#include <string.h>

#include "annals/render.h"
#include "annals/util.h"

/*
 * Layout:
 *
 *     2014
 *       summer 2014            Islamic State takes control of ... — Islamic State · Northern Iraq
 *
 *     3 events
 *
 * A heading line per year of the events' lower bounds ("44 BCE" before
 * Christ, "open start" for events whose start is open), then one line per
 * event, indented by two: the date in words padded to the widest date of
 * the report (at most DATE_MAX columns; a longer one is followed by two
 * spaces), the title, and after " — " the actors' names (", "), then
 * " · " and the places' names. The last line counts the events.
 * Widths count characters, not bytes. Colour only when opts->color.
 */

#define DATE_MAX 32

/* The first pass: the widest date, without reading any event's links. */
static int widest_date(query_cursor *cur, size_t *width, char **err)
{
    const report_event *ev;
    char buf[256];
    int rc;
    *width = 0;
    query_skip_links(cur, true);
    while ((rc = query_next(cur, &ev, err)) == 1) {
        edtf_humanize(&ev->when, buf, sizeof(buf));
        size_t w = render_width(buf);
        if (w > *width)
            *width = w;
    }
    query_skip_links(cur, false);
    if (rc < 0)
        return -1;
    if (*width > DATE_MAX)
        *width = DATE_MAX;
    return query_rewind(cur, err);
}

static void write_names(FILE *out, const report_event *ev)
{
    if (!ev->nactors && !ev->nplaces)
        return;
    fputs(" \xE2\x80\x94 ", out);   /* em dash */
    for (size_t i = 0; i < ev->nactors; i++) {
        if (i)
            fputs(", ", out);
        render_plain(out, ev->actors[i].name);
    }
    if (ev->nactors && ev->nplaces)
        fputs(" \xC2\xB7 ", out);   /* middle dot */
    for (size_t i = 0; i < ev->nplaces; i++) {
        if (i)
            fputs(", ", out);
        render_plain(out, ev->places[i].name);
    }
}

int render_text(query_cursor *cur, const render_options *opts, char **err)
{
    FILE *out = opts->out;
    bool color = opts->color;
    size_t width;
    if (widest_date(cur, &width, err) != 0)
        return -1;
    if (opts->title) {
        fputs(color ? SGR_BOLD : "", out);
        render_plain(out, opts->title);
        fputs(color ? SGR_RESET "\n\n" : "\n\n", out);
    }
    const report_event *ev;
    char year[64] = "", heading[64], date[256];
    long count = 0;
    int rc;
    while ((rc = query_next(cur, &ev, err)) == 1) {
        render_year_heading(ev->when.lower, heading, sizeof(heading));
        if (count == 0 || strcmp(heading, year) != 0) {
            if (count)
                putc('\n', out);
            fprintf(out, "%s%s%s\n", color ? SGR_BOLD : "", heading, color ? SGR_RESET : "");
            memcpy(year, heading, sizeof(year));
        }
        edtf_humanize(&ev->when, date, sizeof(date));
        size_t w = render_width(date);
        fprintf(out, "  %s%s%s", color ? SGR_CYAN : "", date, color ? SGR_RESET : "");
        render_pad(out, w < width ? width - w + 2 : 2);
        render_plain(out, ev->title);
        fputs(color ? SGR_DIM : "", out);
        write_names(out, ev);
        fputs(color ? SGR_RESET "\n" : "\n", out);
        count++;
    }
    if (rc < 0)
        return -1;
    if (count)
        putc('\n', out);
    if (count == 0)
        fputs("no events\n", out);
    else
        fprintf(out, "%ld event%s\n", count, count == 1 ? "" : "s");
    return 0;
}
