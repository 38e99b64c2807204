/* render_markdown.c - the report as Markdown: a heading per year, sources as footnotes. */
#include <stdlib.h>
#include <string.h>

#include "annals/render.h"

/*
 * Layout:
 *
 *     # Timeline
 *
 *     ## 2014
 *
 *     - **summer 2014** — Islamic State takes control of northern Iraq[^1]\
 *       In the summer of 2014 Islamic State took control of ...\
 *       Actors: Islamic State (perpetrator) · Places: Northern Iraq · Tags: caliphate
 *
 *     [^1]: *Source title*, Author, Publisher, 28 June 2021, paragraph 19,
 *           <https://...>: “In the summer of 2014 ...”
 *
 * After the events, "## Actors", "## Places" and "## Sources" list every
 * actor, place and source they name, by name, with kind, coordinates and
 * description, and each source's full citation and notes, once.
 * A footnote cites as the HTML page does (render_citation_of): the title,
 * author, publisher, the dates in words, the locator, the URL and the
 * quote. An event's notes follow its other fields.
 *
 * One footnote per citation, numbered in order; the definitions come at
 * the end, written in a second pass over the cursor, so no event is held
 * in memory. Every field is escaped: the characters that mean something to
 * Markdown or HTML cannot format, link or inject anything.
 */

/*
 * Write s escaped for Markdown text. line_start: s begins a line, where
 * '#', '-', '+', '=' and "1." would start a block ('>' is written as &gt;,
 * which starts nothing). Newlines and tabs become spaces; control
 * characters are dropped.
 */
void render_md_text(FILE *out, const char *s, bool line_start)
{
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    if (line_start) {
        if (*p && strchr("#-+=", *p))   /* ">" becomes &gt;, which starts nothing */
            putc('\\', out);
        else if (*p >= '0' && *p <= '9') {
            const unsigned char *q = p;
            while (*q >= '0' && *q <= '9')
                q++;
            if (*q == '.' || *q == ')') {   /* "1. x" would start an ordered list */
                fwrite(p, 1, (size_t)(q - p), out);
                putc('\\', out);
                p = q;
            }
        }
    }
    for (; *p; p++) {
        unsigned char c = *p;
        switch (c) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '~':
            putc('\\', out);
            putc(c, out);
            break;
        case '\n': case '\r': case '\t':
            putc(' ', out);
            break;
        default:
            if (c >= 0x20 && c != 0x7F)
                putc(c, out);
        }
    }
}

/* A URL as an autolink when it can be one, else as escaped text. */
static void md_url(FILE *out, const char *url)
{
    bool ok = true;
    for (const unsigned char *p = (const unsigned char *)url; *p && ok; p++)
        ok = *p > 0x20 && *p != 0x7F && *p != '<' && *p != '>';
    if (ok) {
        fprintf(out, "<%s>", url);
    } else {
        render_md_text(out, url, false);
    }
}

static void write_event(FILE *out, const report_event *ev, long *note)
{
    char date[256];
    edtf_humanize(&ev->when, date, sizeof(date));
    fputs("- **", out);
    render_md_text(out, date, false);
    fputs("** \xE2\x80\x94 ", out);
    render_md_text(out, ev->title, false);
    for (size_t i = 0; i < ev->nsources; i++)
        fprintf(out, "[^%ld]", ++*note);
    if (ev->summary && *ev->summary) {
        fputs("\\\n  ", out);
        render_md_text(out, ev->summary, true);
    }
    bool any = false;
    const char *sep = " \xC2\xB7 ";
    if (ev->nactors) {
        fputs("\\\n  Actors: ", out);
        any = true;
        for (size_t i = 0; i < ev->nactors; i++) {
            fputs(i ? ", " : "", out);
            render_md_text(out, ev->actors[i].name, false);
            if (ev->actors[i].role) {
                fputs(" (", out);
                render_md_text(out, ev->actors[i].role, false);
                putc(')', out);
            }
        }
    }
    if (ev->nplaces) {
        fputs(any ? sep : "\\\n  ", out);
        fputs("Places: ", out);
        any = true;
        for (size_t i = 0; i < ev->nplaces; i++) {
            fputs(i ? ", " : "", out);
            render_md_text(out, ev->places[i].name, false);
        }
    }
    if (ev->ntags) {
        fputs(any ? sep : "\\\n  ", out);
        fputs("Tags: ", out);
        any = true;
        for (size_t i = 0; i < ev->ntags; i++) {
            fputs(i ? ", " : "", out);
            render_md_text(out, ev->tags[i], false);
        }
    }
    if (ev->nfigures) {
        fputs(any ? sep : "\\\n  ", out);
        fputs("Figures: ", out);
        for (size_t i = 0; i < ev->nfigures; i++) {
            const report_figure *f = &ev->figures[i];
            char num[RENDER_FIGURE_MAX];
            fputs(i ? ", " : "", out);
            render_md_text(out, f->name, false);
            render_figure(f, num, sizeof(num));
            fprintf(out, " %s", num);
            if (f->unit) {
                putc(' ', out);
                render_md_text(out, f->unit, false);
            }
        }
    }
    if (ev->notes && *ev->notes) {
        fputs("\\\n  Notes: ", out);
        render_md_text(out, ev->notes, false);
    }
    putc('\n', out);
}

static void write_note(FILE *out, long n, const report_source *s)
{
    render_citation c;
    render_citation_of(s, &c);
    fprintf(out, "[^%ld]: *", n);
    render_md_text(out, s->title, false);
    putc('*', out);
    for (size_t i = 0; i < c.n; i++) {
        fputs(", ", out);
        render_md_text(out, c.part[i], false);
    }
    if (s->url) {
        fputs(", ", out);
        md_url(out, s->url);
    }
    if (s->quote) {
        fputs(": \xE2\x80\x9C", out);
        render_md_text(out, s->quote, false);
        fputs("\xE2\x80\x9D", out);
    }
    putc('\n', out);
}

/* A closing list: its heading is written before its first item, so an empty one writes nothing. */
typedef struct {
    FILE *out;
    const char *heading;
    bool started;
} closing_list;

static FILE *list_item(closing_list *l)
{
    if (!l->started)
        fprintf(l->out, "\n## %s\n\n", l->heading);
    l->started = true;
    return l->out;
}

/* One source of the closing list: the citation, then the source's notes. */
static void write_source(void *ctx, const report_record *r)
{
    FILE *out = list_item(ctx);
    render_citation c;
    render_citation_of(&r->source, &c);
    fputs("- *", out);
    render_md_text(out, r->source.title, false);
    putc('*', out);
    for (size_t i = 0; i < c.n; i++) {
        fputs(", ", out);
        render_md_text(out, c.part[i], false);
    }
    if (r->source.url) {
        fputs(", ", out);
        md_url(out, r->source.url);
    }
    if (r->source.notes && *r->source.notes) {
        fputs(": ", out);
        render_md_text(out, r->source.notes, false);
    }
    putc('\n', out);
}

/* One actor or place of the closing lists: "- **Name** (kind, lat, lon): description". */
static void write_record(void *ctx, const report_record *r)
{
    FILE *out = list_item(ctx);
    fputs("- **", out);
    render_md_text(out, r->name, false);
    fputs("**", out);
    if (r->kind || r->has_coords) {
        fputs(" (", out);
        render_md_text(out, r->kind, false);
        if (r->has_coords) {
            char la[40], lo[40];
            render_number(r->lat, la, sizeof(la));
            render_number(r->lon, lo, sizeof(lo));
            fprintf(out, "%s%s, %s", r->kind ? ", " : "", la, lo);
        }
        putc(')', out);
    }
    if (r->description && *r->description) {
        fputs(": ", out);
        render_md_text(out, r->description, false);
    }
    putc('\n', out);
}

int render_markdown(query_cursor *cur, const render_options *opts, char **err)
{
    FILE *out = opts->out;
    fputs("# ", out);
    render_md_text(out, opts->title ? opts->title : "Timeline", false);
    fputs("\n", out);
    const report_event *ev;
    char year[64] = "", heading[64];
    long count = 0, note = 0;
    int rc;
    while ((rc = query_next(cur, &ev, err)) == 1) {
        render_year_heading(ev->when.lower, heading, sizeof(heading));
        if (count == 0 || strcmp(heading, year) != 0) {
            memcpy(year, heading, sizeof(year));
            if (heading[0] >= 'a' && heading[0] <= 'z')   /* "Open start" */
                heading[0] = (char)(heading[0] - 'a' + 'A');
            fprintf(out, "\n## %s\n\n", heading);
        }
        write_event(out, ev, &note);
        count++;
    }
    if (rc < 0)
        return -1;
    if (count == 0) {
        fputs("\n*No events.*\n", out);
        return 0;
    }
    /* The actors and places named above, with what the event lines leave out. */
    closing_list actors = {out, "Actors", false}, places = {out, "Places", false},
                 sources = {out, "Sources", false};
    if (query_linked(cur, QUERY_LINKED_ACTORS, write_record, &actors, err) != 0 ||
        query_linked(cur, QUERY_LINKED_PLACES, write_record, &places, err) != 0 ||
        query_linked(cur, QUERY_LINKED_SOURCES, write_source, &sources, err) != 0)
        return -1;
    if (note == 0)
        return 0;
    /* Second pass: the footnotes, numbered as above. */
    if (query_rewind(cur, err) != 0)
        return -1;
    putc('\n', out);
    note = 0;
    while ((rc = query_next(cur, &ev, err)) == 1)
        for (size_t i = 0; i < ev->nsources; i++)
            write_note(out, ++note, &ev->sources[i]);
    return rc < 0 ? -1 : 0;
}
