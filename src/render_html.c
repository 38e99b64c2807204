/* render_html.c - one self-contained HTML5 page: the timeline of timeline_layout.h as SVG, then the event list. */
#include "annals/render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "annals/edtf.h"
#include "annals/timeline_layout.h"
#include "annals/util.h"

/*
 * The page is written in five passes over the cursor, so that memory stays
 * bounded by the number of lanes (actors or places), never by the number of
 * events (timeline_layout.h's steps):
 *   1. the lanes and the finite extent of the dates (timeline_add);
 *   2. the layout: each mark's row, which gives each lane's height;
 *   3. the SVG, placing the marks again the same way (same order, same result);
 *   4. the event list, grouped by year;
 *   5. the actors, places and sources the events name.
 */

typedef struct {
    query_cursor *cur;
    FILE *out;
    char **err;
    timeline_layout tl;
    long count;
    char year[64];          /* the event list's current year heading; "" before the first */
} html_ctx;

static char *oom(void)
{
    return strdup("out of memory");
}

/* The date in words (edtf_humanize) into buf; a fixed buffer is enough for every form. */
static const char *human(const edtf_date *d, char *buf, size_t size)
{
    edtf_humanize(d, buf, size);
    return buf;
}

/* ------------------------------------------------------------------ */
/* The timeline                                                        */
/* ------------------------------------------------------------------ */

/*
 * One pass over the cursor: fn for every event, from the first. Returns 0,
 * or -1 with *c->err (fn sets it when it fails).
 */
static int each_event(html_ctx *c, int (*fn)(html_ctx *c, const report_event *ev))
{
    if (query_rewind(c->cur, c->err) != 0)
        return -1;
    const report_event *ev;
    int rc;
    while ((rc = query_next(c->cur, &ev, c->err)) == 1)
        if (fn(c, ev) != 0)
            return -1;
    return rc < 0 ? -1 : 0;
}

/* Pass 1: the event's lane (in order of first appearance) and dates. */
static int lanes_event(html_ctx *c, const report_event *ev)
{
    if (timeline_add(&c->tl, ev) == 0)
        return 0;
    *c->err = oom();
    return -1;
}

/*
 * The next event's mark (passes 2 and 3). Returns 0 (the caller frees the
 * mark), 1 for an event left out of the chart, or -1 with *c->err.
 */
static int place(html_ctx *c, const report_event *ev, timeline_mark *m)
{
    int r = timeline_place(&c->tl, ev, m);
    if (r < 0)
        *c->err = oom();
    return r;
}

/* Pass 2: the row of the event's mark, which gives its lane's height. */
static int layout_event(html_ctx *c, const report_event *ev)
{
    timeline_mark m;
    if (place(c, ev, &m) < 0)
        return -1;
    timeline_mark_free(&m);
    return 0;
}

static void svg_defs(FILE *out)
{
    fputs("<defs>\n", out);
    for (size_t i = 0; i <= TIMELINE_NCOLOURS; i++) {
        const char *col = timeline_colour(i);
        fprintf(out, "<linearGradient id=\"fade-r%zu\"><stop offset=\"0.55\" stop-color=\"%s\"/>"
                "<stop offset=\"1\" stop-color=\"%s\" stop-opacity=\"0.12\"/></linearGradient>\n",
                i, col, col);
        fprintf(out, "<linearGradient id=\"fade-l%zu\"><stop offset=\"0\" stop-color=\"%s\" "
                "stop-opacity=\"0.12\"/><stop offset=\"0.45\" stop-color=\"%s\"/></linearGradient>\n",
                i, col, col);
    }
    fputs("</defs>\n", out);
}

static void svg_axis(const html_ctx *c)
{
    FILE *out = c->out;
    const timeline_axis *ax = &c->tl.axis;
    double top = TIMELINE_AXIS_H, bottom = c->tl.height - TIMELINE_FOOT_H;
    fprintf(out, "<g class=\"axis\">\n");
    for (size_t i = 0; i < ax->nticks; i++) {
        double x = ax->ticks[i].x;
        fprintf(out, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\">", x, top - 6, x, bottom + 6,
                x, top - 11);
        render_html_escape(out, ax->ticks[i].label);
        fprintf(out, "</text><text class=\"tick\" x=\"%.1f\" y=\"%.1f\">", x, bottom + 21);
        render_html_escape(out, ax->ticks[i].label);
        fputs("</text>\n", out);
    }
    fprintf(out, "<line class=\"rule\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
            ax->left, top - 0.5, ax->left + ax->width, top - 0.5);
    fprintf(out, "<line class=\"rule\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
            ax->left, bottom + 0.5, ax->left + ax->width, bottom + 0.5);
    fputs("</g>\n", out);
}

static void svg_lanes(const html_ctx *c)
{
    FILE *out = c->out;
    fputs("<g class=\"lanes\">\n", out);
    for (size_t i = 0; i < c->tl.nlanes; i++) {
        const timeline_lane *l = &c->tl.lanes[i];
        double h = (double)l->rows * TIMELINE_ROW_H + 2 * TIMELINE_LANE_PAD;
        fprintf(out, "<rect class=\"%s\" x=\"0\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
                i % 2 ? "band odd" : "band", l->top, TIMELINE_W, h);
        fprintf(out, "<text class=\"lane\" x=\"%.1f\" y=\"%.1f\" fill=\"%s\"><title>",
                c->tl.axis.left - 10, l->top + TIMELINE_LANE_PAD + TIMELINE_ROW_H / 2 + 4,
                timeline_colour(l->colour));
        render_html_escape(out, l->name);
        fputs("</title>", out);
        render_html_escape(out, l->label);
        fputs("</text>\n", out);
    }
    fputs("</g>\n", out);
}

/* The arrow at an open end of a bar: at x, pointing the way dir says (1 right, -1 left). */
static void svg_arrow(FILE *out, double x, double cy, double dir, const char *colour)
{
    double w = dir * TIMELINE_ARROW_W, h = TIMELINE_MARK_H / 2 + 2;
    fprintf(out, "<path class=\"open\" d=\"M%.1f %.1fl%.1f %.1fl%.1f %.1fz\" fill=\"%s\"/>",
            x, cy - h, w, h, -w, h, colour);
}

static void svg_mark(FILE *out, const report_event *ev, const timeline_mark *m,
                     const timeline_lane *l)
{
    char date[256];
    const char *colour = timeline_colour(l->colour);
    const char *vague = m->vague ? " vague" : "";
    fputs("<a href=\"#ev-", out);
    render_html_escape(out, ev->id);
    fputs("\"><title>", out);
    render_html_escape(out, human(&ev->when, date, sizeof date));
    fputs(": ", out);
    render_html_escape(out, ev->title);
    fputs("</title>", out);
    if (m->point) {
        fprintf(out, "<circle class=\"mark%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" "
                "stroke=\"%s\"/>", vague, m->x0, m->cy, TIMELINE_POINT_R, colour, colour);
    } else {
        const char *fade = m->open_hi ? "url(#fade-r" : m->open_lo ? "url(#fade-l" : NULL;
        fprintf(out, "<rect class=\"mark%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                "rx=\"3\" ", vague, m->x0, m->cy - TIMELINE_MARK_H / 2,
                fmax(m->x1 - m->x0, 2.0), TIMELINE_MARK_H);
        if (fade && !(m->open_lo && m->open_hi))
            fprintf(out, "fill=\"%s%zu)\"", fade, l->colour);
        else
            fprintf(out, "fill=\"%s\"", colour);
        fprintf(out, " stroke=\"%s\"/>", colour);
        if (m->open_hi)
            svg_arrow(out, m->x1, m->cy, 1, colour);
        if (m->open_lo)
            svg_arrow(out, m->x0, m->cy, -1, colour);
    }
    if (m->label) {
        fprintf(out, "<text class=\"label%s\" x=\"%.1f\" y=\"%.1f\"%s>",
                m->label_over ? " over" : "", m->label_x, m->cy + 4,
                m->label_end ? " text-anchor=\"end\"" : "");
        render_html_escape(out, m->label);
        fputs("</text>", out);
    }
    fputs("</a>\n", out);
}

/* Pass 3: the event's mark, drawn. */
static int svg_event(html_ctx *c, const report_event *ev)
{
    timeline_mark m;
    int r = place(c, ev, &m);
    if (r != 0)
        return r < 0 ? -1 : 0;
    svg_mark(c->out, ev, &m, &c->tl.lanes[m.lane]);
    timeline_mark_free(&m);
    return 0;
}

/* The SVG: the lanes and the axis, then pass 3. */
static int write_svg(html_ctx *c)
{
    FILE *out = c->out;
    fprintf(out, "<figure class=\"chart\">\n<svg class=\"timeline\" viewBox=\"0 0 %.0f %.0f\" "
            "width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label=\"Timeline of %ld events\">\n",
            TIMELINE_W, c->tl.height, TIMELINE_W, c->tl.height, c->count);
    svg_defs(out);
    svg_lanes(c);
    svg_axis(c);
    fputs("<g class=\"marks\">\n", out);
    if (each_event(c, svg_event) != 0)
        return -1;
    fputs("</g>\n</svg>\n", out);
    fprintf(out, "<figcaption>Lanes: the %s of each event (\u201cother\u201d when it has none). "
            "Circles mark dates shorter than half a percent of the axis, bars spans; an arrow "
            "and a fade mark an open end; a dashed outline an uncertain or approximate date. "
            "Each mark links to its event below%s.</figcaption>\n</figure>\n",
            c->tl.by_region ? "first place" : "first actor",
            c->count <= TIMELINE_LABEL_LIMIT ? "" : "; with this many events the marks go "
            "without labels: point at one for its date and title");
    return 0;
}

/* ------------------------------------------------------------------ */
/* The event list                                                      */
/* ------------------------------------------------------------------ */

/* A <dt> and a <dd> listing names, each in <bdi> (a right-to-left name keeps its commas in place). */
static void list_names(FILE *out, const char *term, const report_actor *actors,
                       const report_place *places, size_t n)
{
    fprintf(out, "<dt>%s</dt><dd>", term);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", " : "", out);
        render_html_text(out, "<bdi>", actors ? actors[i].name : places[i].name, "</bdi>");
        if (actors)
            render_html_text(out, " <span class=\"role\">(", actors[i].role, ")</span>");
    }
    fputs("</dd>\n", out);
}

static void write_event(FILE *out, const report_event *ev)
{
    char date[256];
    render_html_text(out, "<article class=\"event\" id=\"ev-", ev->id, "\">\n");
    render_html_text(out, "<h3><span class=\"date\">", human(&ev->when, date, sizeof date),
                     "</span> ");
    render_html_text(out, "", ev->title, "</h3>\n");
    if (ev->type || ev->part_of) {
        fputs("<p class=\"kind\">", out);
        render_html_text(out, "<span class=\"type\">", ev->type, "</span>");
        if (ev->part_of) {
            fputs(ev->type ? " \u00b7 part of " : "part of ", out);
            render_html_text(out, "<a href=\"#ev-", ev->part_of, "\">");
            render_html_text(out, "", ev->part_of, "</a>");
        }
        fputs("</p>\n", out);
    }
    render_html_text(out, "<p class=\"summary\">", ev->summary, "</p>\n");
    bool dl = ev->nactors || ev->nplaces || ev->ntags || ev->nfigures;
    if (dl)
        fputs("<dl>\n", out);
    if (ev->nactors)
        list_names(out, "Actors", ev->actors, NULL, ev->nactors);
    if (ev->nplaces)
        list_names(out, "Places", NULL, ev->places, ev->nplaces);
    if (ev->ntags) {
        fputs("<dt>Tags</dt><dd>", out);
        for (size_t i = 0; i < ev->ntags; i++)
            render_html_text(out, "<span class=\"tag\">", ev->tags[i], "</span> ");
        fputs("</dd>\n", out);
    }
    if (ev->nfigures) {
        fputs("<dt>Figures</dt><dd>", out);
        for (size_t i = 0; i < ev->nfigures; i++) {
            const report_figure *f = &ev->figures[i];
            char num[RENDER_FIGURE_MAX];
            render_figure(f, num, sizeof(num));
            render_html_text(out, i ? "; " : "", f->name, ": ");
            fputs(num, out);
            render_html_text(out, " ", f->unit, "");
        }
        fputs("</dd>\n", out);
    }
    if (dl)
        fputs("</dl>\n", out);
    render_html_sources(out, ev->sources, ev->nsources, "<ol class=\"sources\">", "</ol>", "\n");
    if (ev->notes && *ev->notes)
        render_html_text(out, "<p class=\"notes\">", ev->notes, "</p>\n");
    fputs("</article>\n", out);
}

/* Pass 4: the event under the heading of the year it starts in (render_year_heading). */
static int list_event(html_ctx *c, const report_event *ev)
{
    char heading[64];
    render_year_heading(ev->when.lower, heading, sizeof heading);
    if (strcmp(heading, c->year) != 0) {
        if (*c->year)
            fputs("</section>\n", c->out);
        render_html_text(c->out, "<section class=\"year\">\n<h2>", heading, "</h2>\n");
        memcpy(c->year, heading, sizeof c->year);
    }
    write_event(c->out, ev);
    return 0;
}

/* The event list: pass 4. */
static int write_list(html_ctx *c)
{
    fputs("<main class=\"events\">\n", c->out);
    if (each_event(c, list_event) != 0)
        return -1;
    if (*c->year)
        fputs("</section>\n", c->out);
    fputs("</main>\n", c->out);
    return 0;
}

/* A closing list: its section starts before its first item, so an empty one writes nothing. */
typedef struct {
    FILE *out;
    const char *heading;
    bool started;
} closing_list;

/* One actor, place or source of the closing lists. */
static void list_record(void *ctx, const report_record *r)
{
    closing_list *l = ctx;
    FILE *out = l->out;
    if (!l->started)
        fprintf(out, "<section class=\"records\">\n<h2>%s</h2>\n<dl>\n", l->heading);
    l->started = true;
    fputs("<dt>", out);
    if (r->source.title) {
        render_html_citation(out, &r->source);
    } else {
        fputs("<bdi>", out);
        render_html_escape(out, r->name);
        fputs("</bdi>", out);
    }
    if (r->kind || r->has_coords) {
        fputs(" <span class=\"role\">(", out);
        if (r->kind)
            render_html_escape(out, r->kind);
        if (r->has_coords) {
            fputs(r->kind ? ", " : "", out);
            char la[40], lo[40];
            render_number(r->lat, la, sizeof la);
            render_number(r->lon, lo, sizeof lo);
            fprintf(out, "%s, %s", la, lo);
        }
        fputs(")</span>", out);
    }
    fputs("</dt>", out);
    if (r->description) {
        fputs("<dd>", out);
        render_html_escape(out, r->description);
        fputs("</dd>", out);
    }
    fputc('\n', out);
}

/* Pass 5: every actor, place and source the events name, with what the event list leaves out. */
static int write_records(html_ctx *c)
{
    static const struct { query_linked_kind kind; const char *heading; } lists[] = {
        {QUERY_LINKED_ACTORS, "Actors"}, {QUERY_LINKED_PLACES, "Places"},
        {QUERY_LINKED_SOURCES, "Sources"}};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        closing_list l = {c->out, lists[i].heading, false};
        if (query_linked(c->cur, lists[i].kind, list_record, &l, c->err) != 0)
            return -1;
        if (l.started)
            fputs("</dl>\n</section>\n", c->out);
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* The page                                                            */
/* ------------------------------------------------------------------ */

static const char page_css[] =
    ":root{color-scheme:light;--ink:#1d2125;--muted:#5b636b;--rule:#d9dde1}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0 auto;max-width:1240px;padding:24px 20px 48px;color:var(--ink);background:#fff;"
    "font:15px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"DejaVu Sans\","
    "\"Liberation Sans\",Arial,sans-serif}\n"
    "header h1{font-size:1.8em;margin:0 0 .1em;line-height:1.2}\n"
    "header p{margin:0 0 1em;color:var(--muted)}\n"
    "figure.chart{margin:0 0 2em;padding:0}\n"
    "svg.timeline{display:block;width:100%;height:auto;font-family:inherit}\n"
    "svg .band{fill:#fff}svg .band.odd{fill:#f3f5f7}\n"
    "svg .grid{stroke:#e2e5e9;stroke-width:1}\n"
    "svg .rule{stroke:#8a929a;stroke-width:1}\n"
    "svg .tick{font-size:12px;fill:#3b4248;text-anchor:middle}\n"
    "svg .lane{font-size:12px;font-weight:600;text-anchor:end}\n"
    "svg .label{font-size:12px;fill:#262b30}\n"
    "svg .label.over{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}\n"
    "svg .mark{stroke-width:1.2}\n"
    "svg .mark.vague{fill-opacity:.45;stroke-dasharray:3 2;stroke-width:1.5}\n"
    "svg a:hover .mark,svg a:focus .mark{stroke:#000;stroke-width:2}\n"
    "svg a:hover .label{text-decoration:underline}\n"
    "figcaption{font-size:.85em;color:var(--muted);margin-top:.4em}\n"
    "section.year h2{font-size:1.35em;margin:1.4em 0 .4em;padding-bottom:.15em;"
    "border-bottom:2px solid var(--rule)}\n"
    "section.year h2::first-letter{text-transform:uppercase}\n"
    "article.event{margin:0 0 1.1em;padding:.2em 0 .6em .9em;border-left:3px solid var(--rule)}\n"
    "article.event:target{border-left-color:#0072b2;background:#f2f8fc}\n"
    "article.event h3{font-size:1.05em;margin:0 0 .2em}\n"
    "article.event h3 .date{display:block;font-weight:600;color:var(--muted);font-size:.9em}\n"
    ".kind{margin:0 0 .3em;font-size:.9em;color:var(--muted)}\n"
    ".type{font-variant:small-caps;letter-spacing:.03em}\n"
    ".summary{margin:.2em 0 .4em}\n"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.1em .8em;margin:.3em 0;font-size:.92em}\n"
    "dt{color:var(--muted)}dd{margin:0}\n"
    ".role{color:var(--muted)}\n"
    ".notes{margin:.3em 0 0;font-size:.9em;color:#363c42}\n"
    "section.records h2{font-size:1.35em;margin:1.4em 0 .4em;padding-bottom:.15em;"
    "border-bottom:2px solid var(--rule)}\n"
    "section.records dl{display:block;font-size:.92em}\n"
    "section.records dt{color:var(--ink);font-weight:600;margin-top:.5em}\n"
    "section.records dd{margin:0 0 0 1.2em}\n"
    ".tag{display:inline-block;padding:0 .45em;border:1px solid var(--rule);border-radius:.7em;"
    "font-size:.9em;margin:0 .2em .15em 0}\n"
    "ol.sources{margin:.4em 0 0;padding-left:1.4em;font-size:.9em}\n"
    "ol.sources li{margin:0 0 .3em}\n"
    "blockquote{margin:.25em 0 .2em;padding:.1em .8em;border-left:3px solid #c4cad0;color:#363c42;"
    "font-style:italic}\n"
    "a{color:#005a8c}\n"
    "footer{margin-top:2.5em;font-size:.8em;color:var(--muted)}\n"
    "@media print{\n"
    "@page{margin:14mm}\n"
    "body{max-width:none;padding:0;font-size:10.5pt;color:#000;background:#fff}\n"
    "svg.timeline{width:100%;max-width:100%;height:auto}\n"
    "figure.chart{break-inside:avoid;page-break-inside:avoid}\n"
    "svg .band.odd{fill:#f6f6f6}\n"
    "article.event{break-inside:avoid;page-break-inside:avoid;background:none}\n"
    "section.year h2{break-after:avoid;page-break-after:avoid}\n"
    "a{color:#000;text-decoration:none}\n"
    "a.url{text-decoration:underline}\n"
    "}\n";

int render_html(query_cursor *cur, const render_options *opts, char **err)
{
    *err = NULL;
    if (opts->lanes && strcmp(opts->lanes, "region") != 0 && strcmp(opts->lanes, "actor") != 0) {
        *err = str_printf("unknown lanes '%s' (expected 'actor' or 'region')", opts->lanes);
        return -1;
    }
    bool by_region = opts->lanes && strcmp(opts->lanes, "region") == 0;
    const char *title = opts->title ? opts->title : "Timeline";
    html_ctx c = {.cur = cur, .out = opts->out, .err = err};

    int64_t xlo, xhi;
    if (query_extent(cur, &xlo, &xhi, &c.count, err) != 0)
        return -1;
    /* Open ends are ignored; pass 1 finds the finite extent they leave. */
    timeline_init(&c.tl, by_region, c.count, xlo, xhi);
    int rc = -1;
    if (c.count > 0 && each_event(&c, lanes_event) != 0)
        goto done;
    if (c.count > 0 && timeline_scale(&c.tl) != 0) {
        *err = oom();
        goto done;
    }

    FILE *out = c.out;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"annals " ANNALS_VERSION "\">\n<title>", out);
    render_html_escape(out, title);
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>", page_css);
    render_html_escape(out, title);
    fputs("</h1>\n<p>", out);
    if (c.count > 0) {
        int64_t lo = c.tl.lo, hi = c.tl.hi;
        bool open_lo = c.tl.axis.open_lo, open_hi = c.tl.axis.open_hi;
        char a[64], z[64];
        timeline_year_words(edtf_civil_of(lo <= hi ? lo : 0).year, false, false, a, sizeof a);
        timeline_year_words(edtf_civil_of(lo <= hi ? hi : 0).year, false, false, z, sizeof z);
        fprintf(out, "%ld event%s", c.count, c.count == 1 ? "" : "s");
        if (lo <= hi) {
            fputs(", ", out);
            if (open_lo)
                fputs("\u2026 ", out);
            render_html_escape(out, a);
            if (strcmp(a, z) != 0 || open_hi) {
                fputs(" \u2013 ", out);
                render_html_escape(out, z);
            }
            if (open_hi)
                fputs(" \u2026", out);
        }
    } else {
        fputs("No events.", out);
    }
    fputs("</p>\n</header>\n", out);

    if (c.count > 0) {
        if (each_event(&c, layout_event) != 0)
            goto done;
        timeline_stack(&c.tl);
        if (write_svg(&c) != 0 || write_list(&c) != 0 || write_records(&c) != 0)
            goto done;
    }
    fputs("<footer>Made with annals " ANNALS_VERSION ".</footer>\n</body>\n</html>\n", out);
    rc = 0;
done:
    timeline_free(&c.tl);
    return rc;
}
