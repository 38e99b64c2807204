/* test_render_html.c - the HTML, TimelineJS and GeoJSON renderers on the fixture tests/data/render. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "annals/db.h"
#include "annals/diag.h"
#include "annals/load.h"
#include "annals/query.h"
#include "annals/render.h"

/* The fixture, relative to tests/ (CTest runs the tests there). */
#define FIXTURE "data/render"
#include "fixture.h"

static int setup(void **state)
{
    *state = fixture_load(FIXTURE, false);
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    db_close(*state);
    return 0;
}

/* Render the events that f selects with fn into a new string (the caller frees). */
static char *render_str(sqlite3 *db, render_fn fn, const query_filter *f, const char *lanes,
                        const char *title)
{
    query_filter none;
    memset(&none, 0, sizeof none);
    query_cursor *cur = NULL;
    char *err = NULL;
    if (query_open(db, f ? f : &none, &cur, &err) != 0)
        fail_msg("query_open: %s", err);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_non_null(m);
    render_options opts = {.out = m, .color = false, .title = title, .lanes = lanes};
    int rc = fn(cur, &opts, &err);
    assert_int_equal(fclose(m), 0);
    if (rc != 0)
        fail_msg("render: %s", err ? err : "(no message)");
    query_close(cur);
    assert_int_equal(strlen(buf), len);
    return buf;
}

static size_t count_of(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* The text right after the mark link of event id: its <title>, then the mark element. */
static const char *mark_of(const char *html, const char *id)
{
    char want[128];
    snprintf(want, sizeof want, "<a href=\"#ev-%s\"><title>", id);
    const char *p = strstr(html, want);
    if (!p)
        fail_msg("no mark links to event %s", id);
    p = strstr(p, "</title>");
    assert_non_null(p);
    return p + strlen("</title>");
}

static void assert_has(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("missing: %s", needle);
}

static void assert_lacks(const char *hay, const char *needle)
{
    if (strstr(hay, needle))
        fail_msg("unexpected: %s", needle);
}

/* ------------------------------------------------------------------ */

static void test_html_document(void **state)
{
    char *html = render_str(*state, render_html, NULL, NULL, NULL);
    assert_true(strncmp(html, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
    assert_has(html, "<title>Timeline</title>");
    assert_has(html, "<meta charset=\"utf-8\">");
    assert_int_equal(count_of(html, "<svg"), 1);
    assert_int_equal(count_of(html, "</svg>"), 1);
    assert_int_equal(count_of(html, "<style>"), 1);
    assert_has(html, "@media print");
    assert_has(html, "break-inside:avoid");
    assert_lacks(html, "<script");
    assert_lacks(html, "<link");
    assert_lacks(html, "@import");
    assert_lacks(html, "url(http");
    size_t n = strlen(html);
    assert_true(n > 20);
    assert_string_equal(html + n - 8, "</html>\n");
    /* Every open <article>, <section> is closed. */
    assert_int_equal(count_of(html, "<article "), count_of(html, "</article>"));
    assert_int_equal(count_of(html, "<section "), count_of(html, "</section>"));
    assert_int_equal(count_of(html, "<article "), 11);
    /* "http" only in the source link (href and its text), nowhere else: no network. */
    const char *url = "https://example.org/compendium?a=1&amp;b=2";
    size_t links = 0;
    for (const char *p = html; (p = strstr(p, "http")); p += 4) {
        if (strncmp(p, url, strlen(url)) != 0)
            fail_msg("'http' outside a source link: %.60s", p);
        links++;
    }
    assert_true(links >= 2);
    assert_has(html, "<a class=\"url\" href=\"https://example.org/compendium?a=1&amp;b=2\">");
    free(html);
}

static void test_html_marks(void **state)
{
    char *html = render_str(*state, render_html, NULL, NULL, NULL);
    /* Days on a 2500-year axis are points; spans of years are bars. */
    assert_true(strncmp(mark_of(html, "caesar-assassinated"), "<circle", 7) == 0);
    assert_true(strncmp(mark_of(html, "market-attack"), "<circle", 7) == 0);
    assert_true(strncmp(mark_of(html, "roman-republic"), "<rect", 5) == 0);
    /*
     * The axis runs about 2,830 years (509 BCE to 2021, with margins, three
     * times wider on the open side), so a span under 0.5 % of it, 14 years,
     * is a point: the campaign's 4.8 years (summer 2014 - March 2019) too.
     */
    assert_true(strncmp(mark_of(html, "coalition-campaign"), "<circle", 7) == 0);
    /* The open end runs to the edge, faded, with an arrow. */
    const char *open = mark_of(html, "insurgency");
    assert_true(strncmp(open, "<rect", 5) == 0);
    const char *end = strstr(open, "</a>");
    assert_non_null(end);
    const char *fade = strstr(open, "fill=\"url(#fade-r");
    const char *arrow = strstr(open, "<path class=\"open\"");
    assert_true(fade && fade < end);
    assert_true(arrow && arrow < end);
    /* Approximate and uncertain dates are drawn dashed. */
    assert_has(mark_of(html, "halley-comet"), "class=\"mark vague\"");
    /* Tooltips: the date in words and the title. */
    assert_has(html, "<a href=\"#ev-caesar-assassinated\"><title>15 March 44 BCE: "
                     "Assassination of Julius Caesar</title>");
    assert_has(html, "<title>since March 2019: Insurgency continues");
    free(html);
}

static void test_html_lanes(void **state)
{
    char *html = render_str(*state, render_html, NULL, NULL, NULL);
    /* By actor (the default): the first actor of each event, "other" for none, last. */
    assert_has(html, "<title>Αθήνα</title>Αθήνα</text>");
    assert_has(html, "<title>Roman Senate</title>");
    assert_has(html, "<title>Marcus Junius Brutus</title>");
    assert_has(html, "<title>أبو جعفر المنصور</title>");
    assert_has(html, "<title>Islamic State</title>Islamic State</text>");
    assert_lacks(html, "<title>Julius Caesar</title>");  /* second actor: no lane */
    const char *other = strstr(html, "<title>other</title>other</text>");
    assert_non_null(other);
    assert_null(strstr(other + 1, "class=\"lane\""));
    assert_int_equal(count_of(html, "class=\"lane\""), 7);
    assert_has(html, "Lanes: the first actor of each event");
    free(html);

    html = render_str(*state, render_html, NULL, "region", "By place");
    assert_has(html, "<title>By place</title>");
    assert_has(html, "<title>Μαραθών</title>Μαραθών</text>");
    assert_has(html, "<title>بغداد</title>");
    assert_has(html, "<title>Mosul</title>");
    assert_lacks(html, "<title>Αθήνα</title>");
    assert_int_equal(count_of(html, "class=\"lane\""), 6);   /* marathon rome baghdad mosul iraq other */
    assert_has(html, "Lanes: the first place of each event");
    free(html);

    /* An unknown lanes value is an error, not a silent default. */
    query_filter none;
    memset(&none, 0, sizeof none);
    query_cursor *cur = NULL;
    char *err = NULL;
    assert_int_equal(query_open(*state, &none, &cur, &err), 0);
    FILE *devnull = fopen("/dev/null", "w");
    assert_non_null(devnull);
    render_options opts = {.out = devnull, .lanes = "colour"};
    assert_int_equal(render_html(cur, &opts, &err), -1);
    assert_non_null(err);
    assert_has(err, "unknown lanes 'colour'");
    free(err);
    fclose(devnull);
    query_close(cur);
}

static void test_html_axis(void **state)
{
    char *html = render_str(*state, render_html, NULL, NULL, NULL);
    /* 490 BCE to 2021 CE: ticks every 200 years, BCE ones counted as historians do. */
    assert_has(html, ">400 BCE</text>");
    assert_has(html, ">200 BCE</text>");
    assert_has(html, ">1 CE</text>");
    assert_has(html, ">1000</text>");
    assert_has(html, ">2000</text>");
    assert_lacks(html, ">0</text>");
    assert_lacks(html, ">-");
    free(html);

    /* 2021 and the open insurgency from March 2019: quarters, the year where it changes. */
    query_filter f;
    memset(&f, 0, sizeof f);
    f.from = "2021";
    f.to = "2021";
    html = render_str(*state, render_html, &f, NULL, NULL);
    assert_has(html, ">Apr 2019</text>");
    assert_has(html, ">Jan 2020</text>");
    assert_has(html, ">Jan 2021</text>");
    assert_has(html, ">Jul</text>");
    assert_lacks(html, ">Jul 2020</text>");
    /* On a two-year axis a day is still a point, the open end still a bar. */
    assert_true(strncmp(mark_of(html, "market-attack"), "<circle", 7) == 0);
    assert_true(strncmp(mark_of(html, "insurgency"), "<rect", 5) == 0);
    free(html);

    /* On an axis of a few years the same campaign is a bar. */
    memset(&f, 0, sizeof f);
    f.from = "2014";
    f.to = "2019";
    html = render_str(*state, render_html, &f, NULL, NULL);
    assert_true(strncmp(mark_of(html, "coalition-campaign"), "<rect", 5) == 0);
    free(html);

    /* BCE days: the axis around the Ides of March. */
    memset(&f, 0, sizeof f);
    f.from = "-0043-03";
    f.to = "-0043-03";
    f.type = "death";
    html = render_str(*state, render_html, &f, NULL, NULL);
    assert_has(html, ">14 Mar 44 BCE 12:00</text>");
    assert_has(html, ">15 Mar</text>");
    assert_true(strncmp(mark_of(html, "caesar-assassinated"), "<rect", 5) == 0);
    assert_has(html, ">15 March 44 BCE</span>");
    free(html);
}

static void test_html_escaping(void **state)
{
    char *html = render_str(*state, render_html, NULL, NULL, "<Mine> & \"yours\"");
    assert_lacks(html, "<script>");
    assert_lacks(html, "alert(1)</script>");
    assert_lacks(html, "<b>");
    assert_lacks(html, "<i>");
    assert_lacks(html, "<Mine>");
    assert_has(html, "<title>&lt;Mine&gt; &amp; &quot;yours&quot;</title>");
    assert_has(html, "<h1>&lt;Mine&gt; &amp; &quot;yours&quot;</h1>");
    const char *t = "Market attack &lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; "
                    "&amp; &#39;single&#39;";
    assert_has(html, t);
    assert_true(count_of(html, t) >= 2);          /* the list and the tooltip */
    assert_has(html, "An attack in central Baghdad; the summary has &lt;i&gt;tags&lt;/i&gt; "
                     "&amp; &quot;quotes&quot;.");
    assert_has(html, "Coalition &amp; &quot;friends&quot; &lt;b&gt;");
    assert_has(html, "<blockquote>A &lt;b&gt;bold&lt;/b&gt; claim &amp; more</blockquote>");
    assert_has(html, "<cite>A compendium of &lt;dates&gt; &amp; &quot;events&quot;</cite>");
    assert_has(html, "Curator&#39;s notebook");
    free(html);
}

static void test_html_anchors(void **state)
{
    char *html = render_str(*state, render_html, NULL, NULL, NULL);
    /* Every link to an event has its anchor, and every event is linked from a mark. */
    size_t hrefs = 0, ids = 0;
    for (const char *p = html; (p = strstr(p, "href=\"#ev-")); p++) {
        const char *s = p + strlen("href=\"#"), *e = strchr(s, '"');
        assert_non_null(e);
        char want[160];
        snprintf(want, sizeof want, "id=\"%.*s\"", (int)(e - s), s);
        if (!strstr(html, want))
            fail_msg("link without anchor: %s", want);
        hrefs++;
    }
    for (const char *p = html; (p = strstr(p, "id=\"ev-")); p++) {
        const char *s = p + strlen("id=\""), *e = strchr(s, '"');
        char want[160];
        snprintf(want, sizeof want, "<a href=\"#%.*s\">", (int)(e - s), s);
        if (!strstr(html, want))
            fail_msg("event without a mark: %s", want);
        ids++;
    }
    assert_int_equal(ids, 11);
    assert_int_equal(hrefs, 12);     /* 11 marks, 1 part_of link */
    assert_has(html, "part of <a href=\"#ev-coalition-campaign\">");
    free(html);
}

static void test_html_list(void **state)
{
    char *html = render_str(*state, render_html, NULL, NULL, NULL);
    /* Grouped by year, in order, with the year as people write it. */
    const char *y490 = strstr(html, "<h2>490 BCE</h2>");
    const char *y509 = strstr(html, "<h2>509 BCE</h2>");
    const char *y44 = strstr(html, "<h2>44 BCE</h2>");
    const char *y762 = strstr(html, "<h2>762</h2>");
    const char *y2014 = strstr(html, "<h2>2014</h2>");
    const char *y2021 = strstr(html, "<h2>2021</h2>");
    assert_true(y509 && y490 && y44 && y762 && y2014 && y2021);
    assert_true(y509 < y490 && y490 < y44 && y44 < y762 && y762 < y2014 && y2014 < y2021);
    assert_int_equal(count_of(html, "<h2>2014</h2>"), 1);
    assert_int_equal(count_of(html, "<section class=\"year\">"), 8);  /* 509 490 44 BCE, 762 1066 2014 2019 2021 */
    /* Then the actors, places and sources the events name, each once, with every field. */
    assert_int_equal(count_of(html, "<section class=\"records\">"), 3);
    const char *actors = strstr(html, "<h2>Actors</h2>"), *places = strstr(html, "<h2>Places</h2>"),
               *sources = strstr(html, "<h2>Sources</h2>");
    assert_true(y2021 && actors && y2021 < actors && actors < places && places < sources);
    /* An event: date, title, summary, actors with roles, places, tags, figures, sources. */
    const char *ev = strstr(html, "<article class=\"event\" id=\"ev-marathon\">");
    assert_non_null(ev);
    const char *end = strstr(ev, "</article>");
    char *one = strndup(ev, (size_t)(end - ev));
    assert_has(one, "<span class=\"date\">September 490 BCE</span> Battle of Marathon</h3>");
    assert_has(one, "<p class=\"summary\">Athenians and Plataeans defeat a Persian landing force.</p>");
    assert_has(one, "<dt>Actors</dt><dd><bdi>Αθήνα</bdi> <span class=\"role\">(defender)</span>, "
                    "<bdi>Achaemenid Empire</bdi> <span class=\"role\">(attacker)</span></dd>");
    assert_has(one, "<dt>Places</dt><dd><bdi>Μαραθών</bdi></dd>");
    assert_has(one, "<span class=\"tag\">battle</span>");
    assert_has(one, "<dt>Figures</dt><dd>deaths: 6400 (6000\u20137000) Persians</dd>");
    assert_has(one, "<li><cite>A compendium of &lt;dates&gt; &amp; &quot;events&quot;</cite>, "
                    "Test Author, May 2020, accessed 2 January 2021, book 6, 112, "
                    "<a class=\"url\" href=\"https://example.org/"
                    "compendium?a=1&amp;b=2\">");
    assert_has(one, "<blockquote>They ran &lt;at&gt; the enemy &amp; won</blockquote>");
    assert_has(one, "<p class=\"notes\">Herodotus gives the Persian dead; the Greek dead were "
                    "192 &amp; &lt;few&gt;.</p>");
    free(one);
    /* The closing lists: an actor's kind and description, a source's citation and notes. */
    assert_has(actors, "<dt><bdi>Αθήνα</bdi> <span class=\"role\">(state)</span></dt>"
                       "<dd>The city-state of Athens &amp; its &lt;allies&gt;.</dd>");
    assert_has(sources, "<dt><cite>A compendium of &lt;dates&gt; &amp; &quot;events&quot;</cite>, "
                        "Test Author, May 2020, accessed 2 January 2021, <a class=\"url\" "
                        "href=\"https://example.org/compendium?a=1&amp;b=2\">https://example.org/"
                        "compendium?a=1&amp;b=2</a></dt><dd>Second &lt;edition&gt; &amp; revised.</dd>");
    assert_has(html, "<span class=\"date\">28 June 2021, 10:30 UTC</span>");
    assert_has(html, "<span class=\"date\">c. April 1066</span>");
    assert_has(html, "<span class=\"date\">October 2019 \u2013 ?</span>");
    free(html);
}

static void test_html_empty(void **state)
{
    query_filter f;
    memset(&f, 0, sizeof f);
    f.text = "nonesuch";
    char *html = render_str(*state, render_html, &f, NULL, NULL);
    assert_has(html, "No events.");
    assert_lacks(html, "<svg");
    assert_lacks(html, "<article");
    assert_has(html, "</html>\n");
    free(html);
}

/* A dataset written by the test: deep time, 170 million years. */
static void test_html_deep_time(void **state)
{
    (void)state;
    char dir[] = "/tmp/annals-render-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/deep.yaml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("sources:\n  - id: s\n    title: S\nevents:\n"
          "  - id: old\n    date: Y-170000002\n    title: Something very old\n    sources: [s]\n"
          "  - id: new\n    date: 2021-01-21\n    title: Something new\n    sources: [s]\n", f);
    assert_int_equal(fclose(f), 0);
    sqlite3 *db = fixture_load(dir, false);
    assert_non_null(db);
    char *html = render_str(db, render_html, NULL, NULL, NULL);
    assert_has(html, "million BCE</text>");
    assert_has(html, ">1 CE</text>");
    assert_has(html, "<h2>170000003 BCE</h2>");
    assert_has(html, "<title>170000003 BCE: Something very old</title>");
    free(html);
    char *tl = render_str(db, render_timelinejs, NULL, NULL, NULL);
    assert_has(tl, "\"start_date\": {\"year\": -170000002}");
    assert_has(tl, "\"scale\": \"cosmological\"");
    free(tl);

    /* Only the old event: a year, drawn with month ticks on a BCE year. */
    query_filter q;
    memset(&q, 0, sizeof q);
    q.to = "0001";
    html = render_str(db, render_html, &q, NULL, NULL);
    assert_has(html, ">Jan 170,000,003 BCE</text>");
    free(html);
    db_close(db);
    unlink(path);
    rmdir(dir);
}

/* ------------------------------------------------------------------ */

static void test_timelinejs(void **state)
{
    char *tl = render_str(*state, render_timelinejs, NULL, NULL, "A <b>title</b>");
    assert_true(strncmp(tl, "{\n  \"title\": {\"text\": {\"headline\": \"A &lt;b&gt;title&lt;/b&gt;\"",
                        60) == 0);
    assert_has(tl, "\"text\": \"<p>11 events</p>\"");
    /* Astronomical years, with the year in words beside. */
    assert_has(tl, "{\"unique_id\": \"caesar-assassinated\", \"start_date\": {\"year\": -43, "
                   "\"month\": 3, \"day\": 15}, \"display_date\": \"15 March 44 BCE\", "
                   "\"text\": {\"headline\": \"Assassination of Julius Caesar\", \"text\": "
                   "\"<p>Caesar is stabbed in the Curia of Pompey on the Ides of March.</p>");
    assert_has(tl, "\"group\": \"Marcus Junius Brutus\"}");
    /* A plain day of our era: no display_date. */
    assert_has(tl, "{\"unique_id\": \"baghdad-founded\", \"start_date\": {\"year\": 762, "
                   "\"month\": 7, \"day\": 30}, \"text\"");
    /* A season: month span. A multi-year interval: start and end at their precision. */
    assert_has(tl, "{\"unique_id\": \"mosul-summer\", \"start_date\": {\"year\": 2014, \"month\": 6}, "
                   "\"end_date\": {\"year\": 2014, \"month\": 8}, \"display_date\": \"summer 2014\"");
    assert_has(tl, "{\"unique_id\": \"coalition-campaign\", \"start_date\": {\"year\": 2014, "
                   "\"month\": 6}, \"end_date\": {\"year\": 2019, \"month\": 3}, "
                   "\"display_date\": \"summer 2014 \u2013 March 2019\"");
    /* Open end: no end_date. Unknown end likewise. */
    assert_has(tl, "{\"unique_id\": \"insurgency\", \"start_date\": {\"year\": 2019, \"month\": 3}, "
                   "\"display_date\": \"since March 2019\"");
    assert_has(tl, "{\"unique_id\": \"new-leader\", \"start_date\": {\"year\": 2019, \"month\": 10}, "
                   "\"display_date\": \"October 2019 \u2013 ?\"");
    /* Date and time in UTC. */
    assert_has(tl, "\"start_date\": {\"year\": 2021, \"month\": 6, \"day\": 28, \"hour\": 10, "
                   "\"minute\": 30, \"second\": 0}");
    /* Escaped for HTML inside JSON. */
    assert_has(tl, "\"headline\": \"Market attack &lt;script&gt;alert(1)&lt;/script&gt; "
                   "&quot;quoted&quot; &amp; &#39;single&#39;\"");
    assert_has(tl, "\"group\": \"Coalition &amp; &quot;friends&quot; &lt;b&gt;\"");
    /* Citations as on the HTML page (render_html_citation): dates in words. */
    assert_has(tl, "<li><cite>A compendium of &lt;dates&gt; &amp; &quot;events&quot;</cite>, "
                   "Test Author, May 2020, accessed 2 January 2021, ");
    assert_has(tl, "<a class=\\\"url\\\" href=\\\"https://example.org/compendium?a=1&amp;b=2\\\">");
    assert_has(tl, "<blockquote>A &lt;b&gt;bold&lt;/b&gt; claim &amp; more</blockquote>");
    assert_lacks(tl, "<script");
    /* The era goes to "eras", not "events". */
    const char *eras = strstr(tl, "\"eras\": [");
    assert_non_null(eras);
    const char *rr = strstr(tl, "Roman Republic");
    assert_true(rr && rr > eras);
    assert_lacks(tl, "\"unique_id\": \"roman-republic\"");
    assert_has(eras, "{\"start_date\": {\"year\": -508}, \"end_date\": {\"year\": -26}, "
                     "\"text\": {\"headline\": \"Roman Republic\"");
    assert_int_equal(count_of(tl, "\"unique_id\""), 10);
    assert_has(tl, "\"scale\": \"human\"\n}\n");
    free(tl);
}

static void test_geojson(void **state)
{
    char *gj = render_str(*state, render_geojson, NULL, NULL, NULL);
    assert_true(strncmp(gj, "{\"type\": \"FeatureCollection\", \"features\": [", 43) == 0);
    /* [lon, lat]: the files write [lat, lon]. */
    assert_has(gj, "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": "
                   "[44.3661, 33.3152]}, \"properties\": {\"id\": \"baghdad-founded\", \"date\": "
                   "\"0762-07-30\", \"start\": \"0762-07-30\", \"end\": \"0762-07-30\", \"title\": "
                   "\"Founding of Baghdad (مدينة السلام)\", \"summary\": null, \"type\": \"founding\", "
                   "\"place_id\": \"baghdad\", \"place_name\": \"بغداد\", \"actors\": [\"al-mansur\"], "
                   "\"tags\": [\"city\"]}}");
    assert_has(gj, "\"coordinates\": [23.9633, 38.1536]");
    assert_has(gj, "\"id\": \"caesar-assassinated\", \"date\": \"-0043-03-15\", \"start\": "
                   "\"-0043-03-15\", \"end\": \"-0043-03-15\"");
    assert_has(gj, "\"id\": \"insurgency\", \"date\": \"2019-03/..\", \"start\": \"2019-03-01\", "
                   "\"end\": null");
    assert_has(gj, "\"start\": \"2021-06-28T10:30:00Z\", \"end\": \"2021-06-28T10:30:00Z\"");
    assert_has(gj, "\"actors\": [\"coalition\", \"islamic-state\"]");
    /* No coordinates, no feature: the place 'nowhere', the event without places. */
    assert_lacks(gj, "nowhere");
    assert_lacks(gj, "halley-comet");
    assert_lacks(gj, "new-leader");
    /* One feature per (event, place with coords): 2 for mosul-summer. */
    assert_int_equal(count_of(gj, "\"id\": \"mosul-summer\""), 2);
    assert_int_equal(count_of(gj, "\"type\": \"Feature\""), 10);
    assert_has(gj, "\"title\": \"Market attack <script>alert(1)</script> \\\"quoted\\\" & 'single'\"");
    free(gj);

    query_filter f;
    memset(&f, 0, sizeof f);
    f.text = "nonesuch";
    gj = render_str(*state, render_geojson, &f, NULL, NULL);
    assert_string_equal(gj, "{\"type\": \"FeatureCollection\", \"features\": []}\n");
    free(gj);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_document),
        cmocka_unit_test(test_html_marks),
        cmocka_unit_test(test_html_lanes),
        cmocka_unit_test(test_html_axis),
        cmocka_unit_test(test_html_escaping),
        cmocka_unit_test(test_html_anchors),
        cmocka_unit_test(test_html_list),
        cmocka_unit_test(test_html_empty),
        cmocka_unit_test(test_html_deep_time),
        cmocka_unit_test(test_timelinejs),
        cmocka_unit_test(test_geojson),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
