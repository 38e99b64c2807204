/* test_diff.c - the comparison of two datasets: every kind of change, renames, moves, filters, word diffs. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "annals/db.h"
#include "annals/diag.h"
#include "annals/diff.h"
#include "annals/load.h"

/* The base dataset: a.yaml (actors, places, sources), b.yaml (events). */
#define A_BASE \
    "actors:\n" \
    "  - id: is\n" \
    "    name: Islamic State\n" \
    "    aliases: [ISIS, Daesh]\n" \
    "  - id: isgs\n" \
    "    name: Islamic State in the Greater Sahara\n" \
    "    part_of: is\n" \
    "  - id: us\n" \
    "    name: United States\n" \
    "    kind: state\n" \
    "places:\n" \
    "  - id: mali\n" \
    "    name: Mali\n" \
    "    coords: [17.5, -4]\n" \
    "  - id: menaka\n" \
    "    name: Menaka\n" \
    "    within: mali\n" \
    "sources:\n" \
    "  - id: art\n" \
    "    title: An article\n" \
    "    published: 2021-06-28\n"

#define EV_RAID \
    "  - id: raid\n" \
    "    date: 2021-01\n" \
    "    title: Raid near Menaka\n" \
    "    summary: Fighters of the Greater Sahara branch attacked a village near Menaka at night.\n" \
    "    type: attack\n" \
    "    actors: [{id: isgs, role: attacker}, us]\n" \
    "    places: [menaka]\n" \
    "    tags: [sahel, raid]\n" \
    "    sources: [{id: art, quote: A raid., locator: p. 2}]\n" \
    "    figures: [{name: killed, value: 12, low: 10, high: 15}]\n"
#define EV_MEET \
    "  - id: meet\n" \
    "    date: 2021-06-28\n" \
    "    title: Meeting in Rome\n" \
    "    actors: [us]\n" \
    "    sources: [art]\n"
#define EV_TALK \
    "  - id: talk\n" \
    "    date: 2021-06-28\n" \
    "    title: A talk at the meeting\n" \
    "    part_of: meet\n" \
    "    actors: [us]\n" \
    "    sources: [art]\n"
#define B_BASE "events:\n" EV_RAID EV_MEET EV_TALK

/*
 * One case: OLD's and NEW's a.yaml and b.yaml (NULL: the base), and the
 * result written compactly: "+kind:id", "-kind:id", ">kind:old>new",
 * "~kind:id[field,field]", "@kind:id" (moved), space separated, in the
 * order added, removed, renamed, changed, moved.
 */
typedef struct {
    const char *name;
    const char *old_a, *old_b, *new_a, *new_b;
    bool moves;
    const char *expect;
} diff_case;

static const diff_case cases[] = {
    {"identical", NULL, NULL, NULL, NULL, false, ""},
    {"event added", NULL, NULL, NULL,
     B_BASE "  - id: new-one\n    date: 2022\n    title: New\n    sources: [art]\n", false,
     "+event:new-one"},
    {"event removed", NULL, NULL, NULL, "events:\n" EV_RAID EV_MEET, false, "-event:talk"},
    {"date changed", NULL, NULL, NULL,
     "events:\n" EV_RAID EV_MEET
     "  - id: talk\n    date: 2021-06-29\n    title: A talk at the meeting\n"
     "    part_of: meet\n    actors: [us]\n    sources: [art]\n",
     false, "~event:talk[date]"},
    {"role changed, tag added, figure changed", NULL, NULL, NULL,
     "events:\n"
     "  - id: raid\n    date: 2021-01\n    title: Raid near Menaka\n"
     "    summary: Fighters of the Greater Sahara branch attacked a village near Menaka at night.\n"
     "    type: attack\n    actors: [{id: isgs, role: raider}, us]\n    places: [menaka]\n"
     "    tags: [sahel, raid, night]\n    sources: [{id: art, quote: A raid., locator: p. 2}]\n"
     "    figures: [{name: killed, value: 13, low: 10, high: 15}]\n" EV_MEET EV_TALK,
     false, "~event:raid[actors,tags,figures]"},
    {"summary and type changed, place and source dropped", NULL, NULL, NULL,
     "events:\n"
     "  - id: raid\n    date: 2021-01\n    title: Raid near Menaka\n"
     "    summary: Fighters of the branch attacked a village near Menaka at dawn.\n"
     "    type: raid\n    actors: [{id: isgs, role: attacker}, us]\n"
     "    tags: [sahel, raid]\n    sources: [art]\n"
     "    figures: [{name: killed, value: 12, low: 10, high: 15}]\n" EV_MEET EV_TALK,
     false, "~event:raid[summary,type,places,sources]"},
    {"list order is not a change", NULL, NULL, NULL,
     "events:\n"
     "  - id: raid\n    date: 2021-01\n    title: Raid near Menaka\n"
     "    summary: Fighters of the Greater Sahara branch attacked a village near Menaka at night.\n"
     "    type: attack\n    actors: [us, {id: isgs, role: attacker}]\n    places: [menaka]\n"
     "    tags: [raid, sahel]\n    sources: [{id: art, quote: A raid., locator: p. 2}]\n"
     "    figures: [{name: killed, value: 12, low: 10, high: 15}]\n" EV_MEET EV_TALK,
     false, ""},
    {"actor renamed, references follow", NULL, NULL,
     "actors:\n  - id: is\n    name: Islamic State\n    aliases: [ISIS, Daesh]\n"
     "  - id: is-sahara\n    name: Islamic State in the Greater Sahara\n    part_of: is\n"
     "  - id: us\n    name: United States\n    kind: state\n"
     "places:\n  - id: mali\n    name: Mali\n    coords: [17.5, -4]\n"
     "  - id: menaka\n    name: Menaka\n    within: mali\n"
     "sources:\n  - id: art\n    title: An article\n    published: 2021-06-28\n",
     "events:\n"
     "  - id: raid\n    date: 2021-01\n    title: Raid near Menaka\n"
     "    summary: Fighters of the Greater Sahara branch attacked a village near Menaka at night.\n"
     "    type: attack\n    actors: [{id: is-sahara, role: attacker}, us]\n    places: [menaka]\n"
     "    tags: [sahel, raid]\n    sources: [{id: art, quote: A raid., locator: p. 2}]\n"
     "    figures: [{name: killed, value: 12, low: 10, high: 15}]\n" EV_MEET EV_TALK,
     false, ">actor:isgs>is-sahara"},
    {"parent and child renamed together", NULL, NULL,
     "actors:\n  - id: islamic-state\n    name: Islamic State\n    aliases: [ISIS, Daesh]\n"
     "  - id: is-sahara\n    name: Islamic State in the Greater Sahara\n"
     "    part_of: islamic-state\n"
     "  - id: us\n    name: United States\n    kind: state\n"
     "places:\n  - id: mali\n    name: Mali\n    coords: [17.5, -4]\n"
     "  - id: menaka\n    name: Menaka\n    within: mali\n"
     "sources:\n  - id: art\n    title: An article\n    published: 2021-06-28\n",
     "events:\n"
     "  - id: raid\n    date: 2021-01\n    title: Raid near Menaka\n"
     "    summary: Fighters of the Greater Sahara branch attacked a village near Menaka at night.\n"
     "    type: attack\n    actors: [{id: is-sahara, role: attacker}, us]\n    places: [menaka]\n"
     "    tags: [sahel, raid]\n    sources: [{id: art, quote: A raid., locator: p. 2}]\n"
     "    figures: [{name: killed, value: 12, low: 10, high: 15}]\n" EV_MEET EV_TALK,
     false, ">actor:isgs>is-sahara >actor:is>islamic-state"},
    {"event renamed, its part_of child follows", NULL, NULL, NULL,
     "events:\n" EV_RAID
     "  - id: rome-meeting\n    date: 2021-06-28\n    title: Meeting in Rome\n"
     "    actors: [us]\n    sources: [art]\n"
     "  - id: talk\n    date: 2021-06-28\n    title: A talk at the meeting\n"
     "    part_of: rome-meeting\n    actors: [us]\n    sources: [art]\n",
     false, ">event:meet>rome-meeting"},
    {"renamed by its unique title, with a change", NULL, NULL, NULL,
     "events:\n" EV_RAID EV_MEET
     "  - id: meeting-talk\n    date: 2021-06-29\n    title: A talk at the meeting\n"
     "    part_of: meet\n    actors: [us]\n    sources: [art]\n",
     false, ">event:talk>meeting-talk ~event:meeting-talk[date]"},
    {"place coords and source date changed",
     NULL, NULL,
     "actors:\n  - id: is\n    name: Islamic State\n    aliases: [ISIS, Daesh]\n"
     "  - id: isgs\n    name: Islamic State in the Greater Sahara\n    part_of: is\n"
     "  - id: us\n    name: United States\n    kind: state\n"
     "places:\n  - id: mali\n    name: Mali\n    coords: [17, -4]\n"
     "  - id: menaka\n    name: Menaka\n    within: mali\n"
     "sources:\n  - id: art\n    title: An article\n    published: 2021-06\n",
     NULL, false, "~place:mali[coords] ~source:art[published]"},
    {"actor lost an alias and a parent", NULL, NULL,
     "actors:\n  - id: is\n    name: Islamic State\n    aliases: [ISIS]\n"
     "  - id: isgs\n    name: Islamic State in the Greater Sahara\n"
     "  - id: us\n    name: United States\n    kind: state\n"
     "places:\n  - id: mali\n    name: Mali\n    coords: [17.5, -4]\n"
     "  - id: menaka\n    name: Menaka\n    within: mali\n"
     "sources:\n  - id: art\n    title: An article\n    published: 2021-06-28\n",
     NULL, false, "~actor:is[aliases] ~actor:isgs[part_of]"},
    {"moved to another file is not a change", A_BASE "events:\n" EV_TALK,
     "events:\n" EV_RAID EV_MEET, NULL, NULL, false, ""},
    {"moved, listed with moves", A_BASE "events:\n" EV_TALK, "events:\n" EV_RAID EV_MEET,
     NULL, NULL, true, "@event:talk"},
    {"moved within a file", NULL, NULL, NULL, "events:\n" EV_MEET EV_RAID EV_TALK, true,
     "@event:meet @event:raid"},
    {"two records alike are not guessed", NULL,
     "events:\n" EV_RAID EV_MEET EV_TALK
     "  - id: x1\n    date: 2020\n    title: Same\n    sources: [art]\n"
     "  - id: x2\n    date: 2020\n    title: Same\n    sources: [art]\n",
     NULL,
     "events:\n" EV_RAID EV_MEET EV_TALK
     "  - id: y1\n    date: 2020\n    title: Same\n    sources: [art]\n"
     "  - id: y2\n    date: 2020\n    title: Same\n    sources: [art]\n",
     false, "+event:y1 +event:y2 -event:x1 -event:x2"},
};

static char tmpdir[64];

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[160];
    snprintf(path, sizeof(path), "%s/%s/%s", tmpdir, dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* Load a.yaml and b.yaml into a new temporary database; the dataset must be valid. */
static sqlite3 *load(const char *dir, const char *a, const char *b)
{
    char path[160], *err = NULL;
    snprintf(path, sizeof(path), "%s/%s", tmpdir, dir);
    mkdir(path, 0700);
    write_file(dir, "a.yaml", a ? a : A_BASE);
    write_file(dir, "b.yaml", b ? b : B_BASE);
    sqlite3 *db;
    assert_int_equal(db_open(NULL, DB_TEMP, &db, &err), 0);
    diag_list *dl = diag_list_new();
    const char *paths[] = {path};
    char **files;
    size_t n;
    assert_int_equal(load_collect_files(paths, 1, &files, &n, dl), 0);
    load_options lo = {.commit = true};
    load_stats st;
    assert_int_equal(load_dataset(db, files, n, &lo, dl, &st, &err), 0);
    if (diag_count(dl, DIAG_ERROR) > 0)
        diag_print_text(dl, stderr, false);
    assert_int_equal(diag_count(dl, DIAG_ERROR), 0);
    load_free_files(files, n);
    diag_list_free(dl);
    return db;
}

static void write_entries(FILE *m, const diff_entries *es, char sign)
{
    for (size_t i = 0; i < es->n; i++) {
        const diff_entry *e = &es->v[i];
        fprintf(m, " %c%s:", sign, diff_kind_name(e->kind, false));
        if (sign == '>')
            fprintf(m, "%s>%s", e->old_id, e->id);
        else
            fputs(e->id, m);
        if (sign == '~') {
            fputc('[', m);
            for (size_t f = 0; f < e->nfields; f++)
                fprintf(m, "%s%s", f ? "," : "", e->fields[f].field);
            fputc(']', m);
        }
    }
}

static char *compact(const diff_result *r)
{
    char *s = NULL;
    size_t len;
    FILE *m = open_memstream(&s, &len);
    write_entries(m, &r->added, '+');
    write_entries(m, &r->removed, '-');
    write_entries(m, &r->renamed, '>');
    write_entries(m, &r->changed, '~');
    write_entries(m, &r->moved, '@');
    fclose(m);
    if (*s == ' ')
        memmove(s, s + 1, strlen(s));
    return s;
}

static diff_result *compare_dirs(sqlite3 *a, sqlite3 *b, const diff_options *o)
{
    char roots[2][160], *err = NULL;
    snprintf(roots[0], sizeof(roots[0]), "%s/old", tmpdir);
    snprintf(roots[1], sizeof(roots[1]), "%s/new", tmpdir);
    diff_side old = {a, roots[0]}, new = {b, roots[1]};
    diff_result *r;
    int rc = diff_compare(&old, &new, o, &r, &err);
    if (rc != 0)
        fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    return r;
}

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const diff_case *c = &cases[i];
        sqlite3 *a = load("old", c->old_a, c->old_b), *b = load("new", c->new_a, c->new_b);
        diff_options o = {.moves = c->moves};
        diff_result *r = compare_dirs(a, b, &o);
        char *got = compact(r);
        if (strcmp(got, c->expect) != 0)
            fail_msg("%s: expected '%s', got '%s'", c->name, c->expect, got);
        assert_int_equal(diff_result_empty(r), *c->expect == '\0' || *c->expect == '@');
        free(got);
        diff_result_free(r);
        db_close(a);
        db_close(b);
    }
}

static const diff_field *field_of(const diff_entry *e, const char *name)
{
    for (size_t i = 0; i < e->nfields; i++)
        if (strcmp(e->fields[i].field, name) == 0)
            return &e->fields[i];
    fail_msg("no field '%s'", name);
    return NULL;
}

/* The values of a change: list items with roles, JSON as the report writes it. */
static void test_values(void **state)
{
    (void)state;
    sqlite3 *a = load("old", NULL, NULL), *b = load("new", NULL, cases[4].new_b);
    diff_options o = {0};
    diff_result *r = compare_dirs(a, b, &o);
    assert_int_equal(r->changed.n, 1);
    const diff_entry *e = &r->changed.v[0];
    assert_string_equal(e->label, "Raid near Menaka");
    assert_string_equal(e->date, "2021-01");
    const diff_field *f = field_of(e, "actors");
    assert_int_equal(f->nadded, 1);
    assert_int_equal(f->nremoved, 1);
    assert_string_equal(f->added[0], "isgs (raider)");
    assert_string_equal(f->removed[0], "isgs (attacker)");
    assert_string_equal(f->new_json,
                        "[{\"id\":\"isgs\",\"role\":\"raider\"},{\"id\":\"us\",\"role\":null}]");
    f = field_of(e, "tags");
    assert_string_equal(f->added[0], "night");
    assert_int_equal(f->nremoved, 0);
    f = field_of(e, "figures");
    assert_string_equal(f->added[0], "killed: 13 (10-15)");
    assert_string_equal(f->old_json,
                        "[{\"name\":\"killed\",\"value\":12,\"low\":10,\"high\":15,\"unit\":null}]");
    diff_result_free(r);
    db_close(b);

    b = load("new", NULL, cases[3].new_b);   /* talk's date */
    r = compare_dirs(a, b, &o);
    f = field_of(&r->changed.v[0], "date");
    assert_string_equal(f->old_text, "2021-06-28");
    assert_string_equal(f->new_text, "2021-06-29");
    assert_string_equal(f->old_json, "\"2021-06-28\"");
    assert_int_equal(f->type, DIFF_DATE);
    diff_result_free(r);
    db_close(a);
    db_close(b);
}

/* Filters keep the events that match on either side; other kinds go. */
static void test_filter(void **state)
{
    (void)state;
    /* OLD has raid with isgs; NEW drops isgs from it and changes talk. */
    const char *nb = "events:\n"
                     "  - id: raid\n    date: 2021-01\n    title: Raid near Menaka\n"
                     "    summary: Fighters attacked.\n    actors: [us]\n    sources: [art]\n"
                     EV_MEET
                     "  - id: talk\n    date: 2021-06-29\n    title: A talk at the meeting\n"
                     "    part_of: meet\n    actors: [us]\n    sources: [art]\n";
    sqlite3 *a = load("old", NULL, NULL), *b = load("new", NULL, nb);
    query_filter f = {.actor = "isgs"};
    diff_options o = {.filter = &f};
    diff_result *r = compare_dirs(a, b, &o);
    char *got = compact(r);
    assert_string_equal(got, "~event:raid[summary,type,actors,places,tags,sources,figures]");
    free(got);
    diff_result_free(r);

    /* A name known on neither side is an error; on one side it is not. */
    f.actor = "nobody";
    char *err = NULL;
    diff_side old = {a, NULL}, new = {b, NULL};
    assert_int_equal(diff_compare(&old, &new, &o, &r, &err), QUERY_EFILTER);
    assert_non_null(strstr(err, "nobody"));
    free(err);

    /* only_id: one record's changes. */
    diff_options only = {.only_id = "talk"};
    r = compare_dirs(a, b, &only);
    got = compact(r);
    assert_string_equal(got, "~event:talk[date]");
    free(got);
    diff_result_free(r);
    db_close(a);
    db_close(b);
}

/* Files with the same content on both sides are not read. */
static void test_same_files_skipped(void **state)
{
    (void)state;
    sqlite3 *a = load("old", NULL, NULL), *b = load("new", NULL, NULL);
    /* Tamper with NEW's rows behind the fingerprint: an identical file is not read again. */
    assert_int_equal(sqlite3_exec(b, "UPDATE events SET title = 'changed'", NULL, NULL, NULL),
                     0);
    diff_options o = {0};
    diff_result *r = compare_dirs(a, b, &o);
    assert_true(diff_result_empty(r));
    diff_result_free(r);
    /* Another fingerprint: the file is read and the change seen. */
    assert_int_equal(sqlite3_exec(b, "UPDATE files SET hash = '0' WHERE path LIKE '%b.yaml'",
                                  NULL, NULL, NULL), 0);
    r = compare_dirs(a, b, &o);
    assert_int_equal(r->changed.n, 3);
    diff_result_free(r);
    db_close(a);
    db_close(b);
}

typedef struct {
    const char *a, *b, *expect;   /* ops as "=same -del +ins", space separated */
} words_case;

static const words_case word_cases[] = {
    {"one two three", "one two three", "=one two three"},
    {"one two three", "one 2 three", "=one -two +2 =three"},
    {"", "new words", "+new words"},
    {"old words", "", "-old words"},
    {"a b c d", "a x c y", "=a -b +x =c -d +y"},
    {"the  quick\nfox", "the quick fox jumps", "=the  quick\nfox +jumps"},
};

static void test_words(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(word_cases) / sizeof(word_cases[0]); i++) {
        diff_word *w;
        size_t n;
        assert_int_equal(diff_words(word_cases[i].a, word_cases[i].b, &w, &n), 0);
        char *s = NULL;
        size_t len;
        FILE *m = open_memstream(&s, &len);
        for (size_t k = 0; k < n; k++)
            fprintf(m, "%s%c%.*s", k ? " " : "",
                    w[k].op == DIFF_SAME ? '=' : w[k].op == DIFF_DEL ? '-' : '+', (int)w[k].len,
                    w[k].s);
        fclose(m);
        if (strcmp(s, word_cases[i].expect) != 0)
            fail_msg("words %zu: expected '%s', got '%s'", i, word_cases[i].expect, s);
        free(s);
        free(w);
    }
}

/* The renderers: JSON has exactly the shape; text and Markdown say the same. */
static void test_render(void **state)
{
    (void)state;
    sqlite3 *a = load("old", NULL, NULL), *b = load("new", NULL, cases[10].new_b);
    diff_options o = {0};
    diff_result *r = compare_dirs(a, b, &o);
    diff_render_options ro = {"old", "new", false, false};
    char *s = NULL;
    size_t len;
    FILE *m = open_memstream(&s, &len);
    diff_render(m, r, DIFF_FORMAT_JSON, &ro);
    fclose(m);
    assert_string_equal(s, "{\n  \"added\": [],\n  \"removed\": [],\n  \"renamed\": [\n"
                           "    {\"kind\":\"event\",\"from\":\"talk\",\"to\":\"meeting-talk\"}\n"
                           "  ],\n  \"changed\": [\n"
                           "    {\"kind\":\"event\",\"id\":\"meeting-talk\",\"fields\":["
                           "{\"field\":\"date\",\"old\":\"2021-06-28\",\"new\":\"2021-06-29\"}]}\n"
                           "  ]\n}\n");
    free(s);
    m = open_memstream(&s, &len);
    diff_render(m, r, DIFF_FORMAT_TEXT, &ro);
    fclose(m);
    assert_string_equal(s, "events\n"
                           "  > talk → meeting-talk  A talk at the meeting (2021-06-29)\n"
                           "      date: 2021-06-28 → 2021-06-29 (28 June 2021 → 29 June 2021; "
                           "start 2021-06-28 → 2021-06-29, end 2021-06-28 → 2021-06-29)\n"
                           "\n1 renamed, 1 changed\n");
    free(s);
    m = open_memstream(&s, &len);
    diff_render(m, r, DIFF_FORMAT_MARKDOWN, &ro);
    fclose(m);
    assert_non_null(strstr(s, "**annals diff** `old` → `new`: 1 renamed, 1 changed\n"));
    assert_non_null(strstr(s, "### Events (1 renamed, 1 changed)\n"));
    assert_non_null(strstr(s, "- **renamed** `talk` → `meeting-talk`: A talk at the meeting"));
    assert_non_null(strstr(s, "  - `date`: `2021-06-28` → `2021-06-29`"));
    free(s);
    diff_result_free(r);
    db_close(a);
    db_close(b);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/annals-test-diff-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    const char *names[] = {"old/a.yaml", "old/b.yaml", "new/a.yaml", "new/b.yaml", "old", "new"};
    char path[160];
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", tmpdir, names[i]);
        if (unlink(path) != 0)
            rmdir(path);
    }
    return rmdir(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_filter),
        cmocka_unit_test(test_same_files_skipped),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_render),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
