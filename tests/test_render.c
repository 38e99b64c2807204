/* test_render.c - the text, markdown, json and csv renderers: exact output, escaping, helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "annals/db.h"
#include "annals/diag.h"
#include "annals/load.h"
#include "annals/query.h"
#include "annals/render.h"

#define FIXTURE "data/report/main"
#include "fixture.h"

/* Render the events of f in format name into a new string (the caller frees). */
static char *render(sqlite3 *db, const char *name, query_filter f, bool color, const char *title)
{
    const render_format *fmt = render_find(name);
    assert_non_null(fmt);
    query_cursor *c;
    char *err = NULL, *buf = NULL;
    size_t len = 0;
    if (query_open(db, &f, &c, &err) != 0)
        fail_msg("query_open: %s", err);
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    render_options ro = {.out = out, .color = color, .title = title};
    int rc = fmt->fn(c, &ro, &err);
    fclose(out);
    query_close(c);
    if (rc != 0)
        fail_msg("%s: %s", name, err);
    return buf;
}

static void expect(sqlite3 *db, const char *name, query_filter f, const char *want)
{
    char *got = render(db, name, f, false, NULL);
    assert_string_equal(got, want);
    free(got);
}

static const char expect_text[] =
    "open start\n"
    "  until 510 BCE     Kings rule Rome — Rome\n"
    "\n"
    "44 BCE\n"
    "  15 March 44 BCE   Caesar is assassinated in Rome — Julius Caesar, Marcus Junius Brutus · Rome\n"
    "\n"
    "2019\n"
    "  since March 2019  Islamic State remains active in Iraq — Islamic State · Iraq\n"
    "\n"
    "2021\n"
    "  28 June 2021      Pledge <script>alert(\"x\")</script> | *bold* & [link](x), \"quoted\" — Global Coalition, Islamic State · Rome, Baghdad\n"
    "\n"
    "4 events\n";

static const char expect_markdown[] =
    "# Timeline\n"
    "\n"
    "## Open start\n"
    "\n"
    "- **until 510 BCE** — Kings rule Rome[^1]\\\n"
    "  Places: Rome · Tags: render\n"
    "\n"
    "## 44 BCE\n"
    "\n"
    "- **15 March 44 BCE** — Caesar is assassinated in Rome[^2]\\\n"
    "  Stabbed by senators led by Brutus.\\\n"
    "  Actors: Julius Caesar (victim), Marcus Junius Brutus (assassin) · Places: Rome · Tags: assassination, render\\\n"
    "  Notes: The Ides of March; the date is the one Plutarch gives.\n"
    "\n"
    "## 2019\n"
    "\n"
    "- **since March 2019** — Islamic State remains active in Iraq[^3]\\\n"
    "  Actors: Islamic State · Places: Iraq · Tags: render, resurgence\n"
    "\n"
    "## 2021\n"
    "\n"
    "- **28 June 2021** — Pledge &lt;script&gt;alert(\"x\")&lt;/script&gt; \\| \\*bold\\* &amp; \\[link\\](x), \"quoted\"[^4][^5]\\\n"
    "  First line, with a comma; a \"quote\", a back\\\\slash # and a second line with \\`code\\` and \\_under\\_.\\\n"
    "  Actors: Global Coalition (host), Islamic State · Places: Rome, Baghdad · Tags: render, money · Figures: pledge 17500000 (17000000–18000000) US dollars, share 0.1\\\n"
    "  Notes: Every field is set.\n"
    "\n"
    "## Actors\n"
    "\n"
    "- **Global Coalition** (coalition): A coalition with a description.\n"
    "- **Islamic State** (armed-group)\n"
    "- **Julius Caesar** (person): Roman general and dictator, killed on the Ides of March.\n"
    "- **Marcus Junius Brutus** (person)\n"
    "\n"
    "## Places\n"
    "\n"
    "- **Baghdad** (city, 33.3152, 44.3661)\n"
    "- **Iraq** (country, 33.22, 43.68)\n"
    "- **Rome** (city, 41.9028, 12.4964)\n"
    "\n"
    "## Sources\n"
    "\n"
    "- *A report without a URL*, c. 27 BCE\n"
    "- *An article: \"Rome\" &amp; &lt;more&gt;*, Example Press, June 2021, <https://example.org/a_b?x=1&y=2>\n"
    "- *Plutarch, Life of Caesar*, Plutarch, 100–109, accessed 28 June 2021, <https://example.org/plutarch>: Translated by Bernadotte Perrin; a Loeb edition.\n"
    "\n"
    "[^1]: *Plutarch, Life of Caesar*, Plutarch, 100–109, accessed 28 June 2021, <https://example.org/plutarch>\n"
    "[^2]: *Plutarch, Life of Caesar*, Plutarch, 100–109, accessed 28 June 2021, ch. 66, <https://example.org/plutarch>: “Caesar was stabbed 23 times.”\n"
    "[^3]: *An article: \"Rome\" &amp; &lt;more&gt;*, Example Press, June 2021, <https://example.org/a_b?x=1&y=2>\n"
    "[^4]: *An article: \"Rome\" &amp; &lt;more&gt;*, Example Press, June 2021, paragraph 3, <https://example.org/a_b?x=1&y=2>: “He said: \"17.5 million\" &lt;b&gt;”\n"
    "[^5]: *A report without a URL*, c. 27 BCE, p. 4; fig. 2\\\\\n";

static const char expect_json[] =
    "{\"events\": [\n"
    "  {\"id\":\"before-republic\",\"date\":\"../-0509\",\"start\":null,\"end\":\"-0509-12-31\",\"when\":\"until 510 BCE\",\"title\":\"Kings rule Rome\",\"summary\":null,\"type\":null,\"actors\":[],\"places\":[{\"id\":\"rome\",\"name\":\"Rome\",\"kind\":\"city\",\"lat\":41.9028,\"lon\":12.4964}],\"tags\":[\"render\"],\"sources\":[{\"id\":\"plutarch\",\"title\":\"Plutarch, Life of Caesar\",\"quote\":null,\"locator\":null,\"url\":\"https://example.org/plutarch\",\"author\":\"Plutarch\",\"publisher\":null,\"published\":\"010X\",\"accessed\":\"2021-06-28\",\"notes\":\"Translated by Bernadotte Perrin; a Loeb edition.\"}],\"figures\":[],\"part_of\":null,\"notes\":null},\n"
    "  {\"id\":\"ides-of-march\",\"date\":\"-0043-03-15\",\"start\":\"-0043-03-15\",\"end\":\"-0043-03-15\",\"when\":\"15 March 44 BCE\",\"title\":\"Caesar is assassinated in Rome\",\"summary\":\"Stabbed by senators led by Brutus.\",\"type\":\"assassination\",\"actors\":[{\"id\":\"caesar\",\"name\":\"Julius Caesar\",\"role\":\"victim\",\"kind\":\"person\",\"description\":\"Roman general and dictator, killed on the Ides of March.\"},{\"id\":\"brutus\",\"name\":\"Marcus Junius Brutus\",\"role\":\"assassin\",\"kind\":\"person\",\"description\":null}],\"places\":[{\"id\":\"rome\",\"name\":\"Rome\",\"kind\":\"city\",\"lat\":41.9028,\"lon\":12.4964}],\"tags\":[\"assassination\",\"render\"],\"sources\":[{\"id\":\"plutarch\",\"title\":\"Plutarch, Life of Caesar\",\"quote\":\"Caesar was stabbed 23 times.\",\"locator\":\"ch. 66\",\"url\":\"https://example.org/plutarch\",\"author\":\"Plutarch\",\"publisher\":null,\"published\":\"010X\",\"accessed\":\"2021-06-28\",\"notes\":\"Translated by Bernadotte Perrin; a Loeb edition.\"}],\"figures\":[],\"part_of\":null,\"notes\":\"The Ides of March; the date is the one Plutarch gives.\"},\n"
    "  {\"id\":\"still-active\",\"date\":\"2019-03/..\",\"start\":\"2019-03-01\",\"end\":null,\"when\":\"since March 2019\",\"title\":\"Islamic State remains active in Iraq\",\"summary\":null,\"type\":null,\"actors\":[{\"id\":\"islamic-state\",\"name\":\"Islamic State\",\"role\":null,\"kind\":\"armed-group\",\"description\":null}],\"places\":[{\"id\":\"iraq\",\"name\":\"Iraq\",\"kind\":\"country\",\"lat\":33.22,\"lon\":43.68}],\"tags\":[\"render\",\"resurgence\"],\"sources\":[{\"id\":\"art\",\"title\":\"An article: \\\"Rome\\\" & <more>\",\"quote\":null,\"locator\":null,\"url\":\"https://example.org/a_b?x=1&y=2\",\"author\":null,\"publisher\":\"Example Press\",\"published\":\"2021-06\",\"accessed\":null,\"notes\":null}],\"figures\":[],\"part_of\":null,\"notes\":null},\n"
    "  {\"id\":\"full-event\",\"date\":\"2021-06-28\",\"start\":\"2021-06-28\",\"end\":\"2021-06-28\",\"when\":\"28 June 2021\",\"title\":\"Pledge <script>alert(\\\"x\\\")</script> | *bold* & [link](x), \\\"quoted\\\"\",\"summary\":\"First line, with a comma; a \\\"quote\\\", a back\\\\slash\\n# and a second line with `code` and _under_.\",\"type\":\"pledge\",\"actors\":[{\"id\":\"coalition\",\"name\":\"Global Coalition\",\"role\":\"host\",\"kind\":\"coalition\",\"description\":\"A coalition with a description.\"},{\"id\":\"islamic-state\",\"name\":\"Islamic State\",\"role\":null,\"kind\":\"armed-group\",\"description\":null}],\"places\":[{\"id\":\"rome\",\"name\":\"Rome\",\"kind\":\"city\",\"lat\":41.9028,\"lon\":12.4964},{\"id\":\"baghdad\",\"name\":\"Baghdad\",\"kind\":\"city\",\"lat\":33.3152,\"lon\":44.3661}],\"tags\":[\"render\",\"money\"],\"sources\":[{\"id\":\"art\",\"title\":\"An article: \\\"Rome\\\" & <more>\",\"quote\":\"He said: \\\"17.5 million\\\" <b>\",\"locator\":\"paragraph 3\",\"url\":\"https://example.org/a_b?x=1&y=2\",\"author\":null,\"publisher\":\"Example Press\",\"published\":\"2021-06\",\"accessed\":null,\"notes\":null},{\"id\":\"report-src\",\"title\":\"A report without a URL\",\"quote\":null,\"locator\":\"p. 4; fig. 2\\\\\",\"url\":null,\"author\":null,\"publisher\":null,\"published\":\"-0026~\",\"accessed\":null,\"notes\":null}],\"figures\":[{\"name\":\"pledge\",\"value\":17500000,\"low\":17000000,\"high\":18000000,\"unit\":\"US dollars\"},{\"name\":\"share\",\"value\":0.1,\"low\":null,\"high\":null,\"unit\":null}],\"part_of\":\"rome-summit\",\"notes\":\"Every field is set.\"}\n"
    "]}\n";

static const char expect_csv[] =
    "id,date,start,end,title,summary,type,actors,roles,places,tags,sources,figures,part_of,notes,quotes,locators\r\n"
    "before-republic,../-0509,,-0509-12-31,Kings rule Rome,,,,,rome,render,plutarch,,,,,\r\n"
    "ides-of-march,-0043-03-15,-0043-03-15,-0043-03-15,Caesar is assassinated in Rome,Stabbed by senators led by Brutus.,assassination,caesar;brutus,victim;assassin,rome,assassination;render,plutarch,,,The Ides of March; the date is the one Plutarch gives.,Caesar was stabbed 23 times.,ch. 66\r\n"
    "still-active,2019-03/..,2019-03-01,,Islamic State remains active in Iraq,,,islamic-state,,iraq,render;resurgence,art,,,,,\r\n"
    "full-event,2021-06-28,2021-06-28,2021-06-28,\"Pledge <script>alert(\"\"x\"\")</script> | *bold* & [link](x), \"\"quoted\"\"\",\"First line, with a comma; a \"\"quote\"\", a back\\slash\n"
    "# and a second line with `code` and _under_.\",pledge,coalition;islamic-state,host;,rome;baghdad,render;money,art;report-src,pledge=17500000 (17000000–18000000) US dollars;share=0.1,rome-summit,Every field is set.,\"He said: \"\"17.5 million\"\" <b>;\",paragraph 3;p. 4\\; fig. 2\\\\\r\n";

static void test_text(void **state)
{
    expect(*state, "text", (query_filter){.tag = "render"}, expect_text);
}

static void test_markdown(void **state)
{
    expect(*state, "markdown", (query_filter){.tag = "render"}, expect_markdown);
}

static void test_json(void **state)
{
    expect(*state, "json", (query_filter){.tag = "render"}, expect_json);
}

static void test_csv(void **state)
{
    expect(*state, "csv", (query_filter){.tag = "render"}, expect_csv);
}

/* Alignment counts characters: "? – June 2021" is 13 characters in 15 bytes. */
static void test_text_alignment_utf8(void **state)
{
    expect(*state, "text", (query_filter){.type = "attack"},
           "2021\n"
           "  January 2021   Market attack in central Baghdad — Islamic State · Baghdad\n"
           "  ? – June 2021  Raid near Ménaka town — Abu Example · Ménaka town\n"
           "\n"
           "2 events\n");
}

static void test_text_color_and_title(void **state)
{
    char *got = render(*state, "text", (query_filter){.event = "month-2021"}, true, "Attacks");
    assert_string_equal(got,
                        "\033[1mAttacks\033[0m\n\n"
                        "\033[1m2021\033[0m\n"
                        "  \033[36mJanuary 2021\033[0m  Market attack in central Baghdad"
                        "\033[2m — Islamic State · Baghdad\033[0m\n"
                        "\n"
                        "1 event\n");
    free(got);
}

static void test_markdown_title(void **state)
{
    char *got = render(*state, "markdown", (query_filter){.event = "year-2021"}, false,
                       "My *own* <title>");
    assert_string_equal(got, "# My \\*own\\* &lt;title&gt;\n"
                             "\n"
                             "## 2021\n"
                             "\n"
                             "- **2021** — A year of attacks[^1]\n"
                             "\n"
                             "## Sources\n"
                             "\n"
                             "- *A report without a URL*, c. 27 BCE\n"
                             "\n"
                             "[^1]: *A report without a URL*, c. 27 BCE\n");
    free(got);
}

static void test_empty(void **state)
{
    query_filter none = {.text = "nonesuch"};
    expect(*state, "text", none, "no events\n");
    expect(*state, "markdown", none, "# Timeline\n\n*No events.*\n");
    expect(*state, "json", none, "{\"events\": []}\n");
    expect(*state, "csv", none,
           "id,date,start,end,title,summary,type,actors,roles,places,tags,sources,figures,"
           "part_of,notes,quotes,locators\r\n");
}

/* A test that changes the shared fixture does so in a savepoint it rolls back: order does not matter. */
static int begin_change(void **state)
{
    char *err = NULL;
    int rc = db_exec(*state, "SAVEPOINT change", &err);
    free(err);
    return rc;
}

static int undo_change(void **state)
{
    char *err = NULL;
    int rc = db_exec(*state, "ROLLBACK TO change; RELEASE change", &err);
    free(err);
    return rc;
}

/*
 * Data the validator would refuse (control characters, a summary that
 * starts like a Markdown block) written straight into the database: the
 * renderers must still keep it inert.
 */
static void test_control_characters(void **state)
{
    sqlite3 *db = *state;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE events SET title = ?, summary = ? "
                                            "WHERE id = 'year-2021'", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, "Bell\a esc\033[31mred\x7f c1\xc2\x9b end\ttab", -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 2, "1. not a list\r\nline\x01two", -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    query_filter f = {.event = "year-2021"};
    expect(db, "text", f,
           "2021\n"
           "  2021  Bell\xEF\xBF\xBD esc\xEF\xBF\xBD[31mred\xEF\xBF\xBD c1\xEF\xBF\xBD end tab\n"
           "\n"
           "1 event\n");
    expect(db, "markdown", f,
           "# Timeline\n\n## 2021\n\n"
           "- **2021** — Bell esc\\[31mred c1\xc2\x9b end tab[^1]\\\n"
           "  1\\. not a list  linetwo\n"
           "\n"
           "## Sources\n"
           "\n"
           "- *A report without a URL*, c. 27 BCE\n"
           "\n"
           "[^1]: *A report without a URL*, c. 27 BCE\n");
    expect(db, "json", f,
           "{\"events\": [\n"
           "  {\"id\":\"year-2021\",\"date\":\"2021\",\"start\":\"2021-01-01\",\"end\":\"2021-12-31\","
           "\"when\":\"2021\",\"title\":\"Bell\\u0007 esc\\u001b[31mred\\u007f c1\xc2\x9b end\\ttab\","
           "\"summary\":\"1. not a list\\r\\nline\\u0001two\",\"type\":null,\"actors\":[],"
           "\"places\":[],\"tags\":[],\"sources\":[{\"id\":\"report-src\",\"title\":"
           "\"A report without a URL\",\"quote\":null,\"locator\":null,\"url\":null,"
           "\"author\":null,\"publisher\":null,\"published\":\"-0026~\",\"accessed\":null,"
           "\"notes\":null}],\"figures\":[],\"part_of\":null,\"notes\":null}\n"
           "]}\n");
    expect(db, "csv", f,
           "id,date,start,end,title,summary,type,actors,roles,places,tags,sources,figures,"
           "part_of,notes,quotes,locators\r\n"
           "year-2021,2021,2021-01-01,2021-12-31,Bell\a esc\033[31mred\x7f c1\xc2\x9b end\ttab,"
           "\"1. not a list\r\nline\x01two\",,,,,,report-src,,,,,\r\n");
    /* Other block starters at the start of a summary line. */
    const char *starts[][2] = {{"# heading", "\\# heading"}, {"- item", "\\- item"},
                               {"> quote", "&gt; quote"}, {"12) x", "12\\) x"},
                               {"2021 was", "2021 was"}};
    for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
        assert_int_equal(sqlite3_prepare_v2(db, "UPDATE events SET summary = ? "
                                                "WHERE id = 'year-2021'", -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, starts[i][0], -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
        char *got = render(db, "markdown", f, false, NULL);
        char want[64];
        snprintf(want, sizeof(want), "\\\n  %s\n", starts[i][1]);
        assert_non_null(strstr(got, want));
        free(got);
    }
}

static void test_find(void **state)
{
    const char *names[] = {"text", "markdown", "html", "json", "csv", "timelinejs", "geojson"};
    size_t n = 0;
    for (const render_format *f = render_formats; f->name; f++, n++) {
        assert_string_equal(f->name, names[n]);
        assert_non_null(f->fn);
        assert_non_null(f->summary);
        assert_ptr_equal(render_find(f->name), f);
    }
    assert_int_equal(n, 7);
    assert_null(render_find("yaml"));
    assert_null(render_find(""));
}

static void test_numbers(void **state)
{
    static const struct { double v; const char *want; } rows[] = {
        {17500000, "17500000"}, {17.5e6, "17500000"}, {0.1, "0.1"}, {-0.0, "0"},
        {30, "30"}, {-12, "-12"}, {2.5e-7, "2.5e-07"}, {123.456, "123.456"},
        {1.0 / 3, "0.3333333333333333"}, {1e21, "1e+21"}, {9007199254740993.0, "9007199254740992"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        render_number(rows[i].v, buf, sizeof(buf));
        assert_string_equal(buf, rows[i].want);
    }
    render_number(NAN, buf, sizeof(buf));
    assert_string_equal(buf, "");
    char *s = NULL;
    size_t len;
    FILE *out = open_memstream(&s, &len);
    render_json_number(out, INFINITY);
    putc(' ', out);
    render_json_number(out, 0.5);
    fclose(out);
    assert_string_equal(s, "null 0.5");
    free(s);
}

static void test_width_and_csv_fields(void **state)
{
    assert_int_equal(render_width(""), 0);
    assert_int_equal(render_width("Ménaka"), 6);
    assert_int_equal(render_width("داعش"), 4);
    assert_int_equal(render_width("e\xcc\x81"), 1);         /* e + combining acute */
    assert_int_equal(render_width("日本"), 4);
    assert_int_equal(render_width("? – June"), 8);
    static const struct { const char *in, *want; } rows[] = {
        {"plain", "plain"}, {"a,b", "\"a,b\""}, {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"two\nlines", "\"two\nlines\""}, {"cr\r", "\"cr\r\""}, {" pad", "\" pad\""},
        {"back\\slash", "back\\slash"}, {"", ""},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char *s = NULL;
        size_t len;
        FILE *out = open_memstream(&s, &len);
        render_csv_field(out, rows[i].in);
        fclose(out);
        assert_string_equal(s, rows[i].want);
        free(s);
    }
    char buf[32];
    render_year_heading(EDTF_MIN, buf, sizeof(buf));
    assert_string_equal(buf, "open start");
    render_year_heading(edtf_seconds_from_civil(0, 6, 1), buf, sizeof(buf));
    assert_string_equal(buf, "1 BCE");
    render_year_heading(edtf_seconds_from_civil(-43, 3, 15), buf, sizeof(buf));
    assert_string_equal(buf, "44 BCE");
    render_year_heading(edtf_seconds_from_civil(1, 1, 1), buf, sizeof(buf));
    assert_string_equal(buf, "1");
    render_year_heading(edtf_seconds_from_civil(2021, 12, 31) + 86399, buf, sizeof(buf));
    assert_string_equal(buf, "2021");
}

/* Bounds with a time keep it; open ends are empty, an unknown end carries the other's. */
static void test_iso_bounds(void **state)
{
    static const struct { const char *date, *start, *end; } rows[] = {
        {"2021-06-28T10:30:00+02:00", "2021-06-28T08:30:00Z", "2021-06-28T08:30:00Z"},
        {"2019-03/..", "2019-03-01", ""},
        {"../1985", "", "1985-12-31"},
        {"2019-03/", "2019-03-01", "2019-03-31"},
        {"/1985", "1985-01-01", "1985-12-31"},
        {"-0043-03-15", "-0043-03-15", "-0043-03-15"},
        {"Y170000002", "+170000002-01-01", "+170000002-12-31"},
        {"2014-24", "2014-12-01", "2015-02-28"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        edtf_date d;
        char start[64], end[64];
        assert_int_equal(edtf_parse(rows[i].date, strlen(rows[i].date), true, &d, NULL, 0,
                                    NULL), 0);
        render_iso_bounds(&d, start, end, sizeof(start));
        assert_string_equal(start, rows[i].start);
        assert_string_equal(end, rows[i].end);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_text_alignment_utf8),
        cmocka_unit_test(test_text_color_and_title),
        cmocka_unit_test(test_markdown_title),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_width_and_csv_fields),
        cmocka_unit_test(test_iso_bounds),
        cmocka_unit_test_setup_teardown(test_control_characters, begin_change, undo_change),
    };
    return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
