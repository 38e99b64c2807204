/* test_load.c - validation of whole datasets: every error kind at its exact position. */
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

/*
 * One case: up to two files (a.yaml, b.yaml) and the diagnostics expected,
 * each as "FILE:LINE:COL: SEVERITY: message", in the order they are
 * printed; one that ends in "\n" is the whole line, else its start.
 * `count` is the exact number of errors + warnings.
 */
typedef struct {
    const char *name;
    const char *a, *b;
    bool strict;
    int count;
    const char *expect[10];
} load_case;

#define ACTORS \
    "actors:\n" \
    "  - id: islamic-state\n" \
    "    name: Islamic State\n" \
    "    kind: armed-group\n" \
    "    aliases: [ISIS, ISIL, Daesh, داعش]\n" \
    "  - id: is-greater-sahara\n" \
    "    name: Islamic State in the Greater Sahara\n" \
    "    part_of: islamic-state\n" \
    "sources:\n" \
    "  - id: art\n" \
    "    title: An article\n"

/* Two actors whose ids are invalid (reported as such), and a source. */
#define PENDING_ACTORS \
    "actors:\n" \
    "  - {id: Mark Antony, name: Mark Antony}\n" \
    "  - {id: Cassius, name: Gaius Cassius Longinus}\n" \
    "sources:\n" \
    "  - {id: s, title: S}\n"

static const load_case cases[] = {
    {"valid minimal", ACTORS,
     "events:\n  - id: e1\n    date: 2021-01\n    title: Attack\n    actors: [islamic-state]\n"
     "    sources: [art]\n",
     false, 0, {NULL}},
    {"unknown key with suggestion", ACTORS,
     "events:\n  - id: e1\n    date: 2021\n    titel: X\n    sources: [art]\n", false, 2,
     {"b.yaml:2:5: error: event 'e1' has no 'title'",
      "b.yaml:4:5: error: unknown key 'titel' in event (did you mean 'title'?)"}},
    {"duplicate key", ACTORS,
     "events:\n  - id: e1\n    date: 2021\n    title: X\n    title: Y\n    sources: [art]\n",
     false, 1, {"b.yaml:5:5: error: duplicate key 'title'"}},
    {"wrong node type", ACTORS,
     "events:\n  - id: e1\n    date: 2021\n    title: [a, b]\n    sources: [art]\n", false, 1,
     {"b.yaml:4:12: error: 'title' must be one line of text, found a list"}},
    {"invalid utf-8", ACTORS,
     "events:\n  - id: e1\n    date: 2021\n    title: caf\xe9\n    sources: [art]\n", false, 1,
     {"b.yaml:4:15: error: invalid UTF-8: invalid trailing UTF-8 octet\n"}},
    {"yaml syntax error", ACTORS,
     "events:\n  - id: e1\n    date: 2021\n   title: X\n", false, 3,
     {"b.yaml:2:5: error: event 'e1' has no 'title'", "b.yaml:2:9: warning: event 'e1' cites",
      "b.yaml:4:4: error: yaml syntax error: did not find expected '-' indicator"}},
    {"empty required texts", ACTORS,
     "sources:\n  - {id: s2, title: '   '}\nevents:\n  - id: e1\n    date: 2021\n"
     "    title: \"\"\n    sources: [art]\nplaces:\n  - id: p\n    name: |\n\n",
     false, 3,
     {"b.yaml:2:21: error: source 's2' has an empty 'title'\n",
      "b.yaml:6:12: error: event 'e1' has an empty 'title'\n",
      "b.yaml:10:11: error: place 'p' has an empty 'name'\n"}},
    {"a duplicate record is checked fully", ACTORS,
     "actors:\n  - id: islamic-state\n    name: Again\n    part_of: nobody\n"
     "places:\n  - {id: p, name: P}\n  - {id: p, name: Q, within: [nowhere]}\n"
     "events:\n  - {id: e1, date: 2021, title: One, sources: [art]}\n"
     "  - {id: e1, date: 2021, title: Two, actors: [ghost], places: [atlantis],\n"
     "     sources: [nosuch], part_of: no-event}\n",
     false, 9,
     {"b.yaml:2:9: error: duplicate actor id 'islamic-state'\n",
      "b.yaml:4:14: error: unknown actor 'nobody'\n",
      "b.yaml:7:10: error: duplicate place id 'p'\n",
      "b.yaml:7:31: error: unknown place 'nowhere'\n",
      "b.yaml:10:10: error: duplicate event id 'e1'\n",
      "b.yaml:10:47: error: unknown actor 'ghost'\n",
      "b.yaml:10:64: error: unknown place 'atlantis'\n",
      "b.yaml:11:16: error: unknown source 'nosuch'\n",
      "b.yaml:11:34: error: unknown event 'no-event'\n"}},
    {"missing required date", ACTORS,
     "events:\n  - id: e1\n    title: X\n    sources: [art]\n", false, 1,
     {"b.yaml:2:5: error: event 'e1' has no 'date'"}},
    {"invalid id", ACTORS,
     "events:\n  - id: Bad Id\n    date: 2021\n    title: X\n    sources: [art]\n", false, 1,
     {"b.yaml:2:9: error: invalid id 'Bad Id'"}},
    {"duplicate id across files", ACTORS,
     "actors:\n  - id: islamic-state\n    name: Again\n", false, 1,
     {"b.yaml:2:9: error: duplicate actor id 'islamic-state'"}},
    {"unknown reference with suggestion", ACTORS,
     "events:\n  - id: e1\n    date: 2021\n    title: X\n    actors: [islamic-stat]\n"
     "    sources: [art]\n",
     false, 1,
     {"b.yaml:5:14: error: unknown actor 'islamic-stat' (did you mean 'islamic-state'?)"}},
    {"unknown reference with a word-level suggestion (the spec's example)", ACTORS,
     "events:\n  - id: e1\n    date: 2021\n    title: X\n    actors:\n      - isis-sahel\n"
     "    sources: [art]\n",
     false, 1,
     {"b.yaml:6:9: error: unknown actor 'isis-sahel' (did you mean 'is-greater-sahara'?)"}},
    {"reference by alias", ACTORS,
     "events:\n  - id: e1\n    date: 2021\n    title: X\n    actors:\n      - {id: ISIS, "
     "role: perpetrator}\n    sources: [art]\n",
     false, 1,
     {"b.yaml:6:14: error: unknown actor 'ISIS' ('ISIS' is an alias of 'islamic-state': write "
      "its id)"}},
    {"advice never names an invalid id: the record it will be instead", PENDING_ACTORS,
     "events:\n  - id: e1\n    date: -0041\n    title: Philippi\n"
     "    actors: [mark-antony, cassius]\n    sources: [s]\n",
     false, 4,
     {"a.yaml:2:10: error: invalid id 'Mark Antony': use 1 to 64 lower-case letters, digits, "
      "'.', '_' or '-'\n",
      "a.yaml:3:10: error: invalid id 'Cassius': use 1 to 64 lower-case letters, digits, "
      "'.', '_' or '-'\n",
      "b.yaml:5:14: error: unknown actor 'mark-antony' (actor 'Mark Antony' at ./a.yaml:2 "
      "will have this id once its id is written as its hint says)\n",
      "b.yaml:5:27: error: unknown actor 'cassius' (actor 'Cassius' at ./a.yaml:3 will have "
      "this id once its id is written as its hint says)\n"}},
    {"a typo of an invalid id gets no suggestion", PENDING_ACTORS,
     "events:\n  - id: e1\n    date: -0041\n    title: Philippi\n"
     "    actors: [mark-antonyy]\n    sources: [s]\n",
     false, 3,
     {"a.yaml:2:10: error: invalid id 'Mark Antony'", "a.yaml:3:10: error: invalid id 'Cassius'",
      "b.yaml:5:14: error: unknown actor 'mark-antonyy'\n"}},
    {"reference by non-Latin alias", ACTORS,
     "events:\n  - id: e1\n    date: 2021\n    title: X\n    actors: [داعش]\n"
     "    sources: [art]\n",
     false, 1, {"b.yaml:5:14: error: unknown actor 'داعش' ('داعش' is an alias of 'islamic-state'"}},
    {"alias used twice", ACTORS,
     "actors:\n  - id: other\n    name: Other\n    aliases: [isis]\n", false, 1,
     {"b.yaml:4:15: error: alias 'isis' of actor 'other' is already an alias of actor "
      "'islamic-state'"}},
    {"alias equal to another actor's name", ACTORS,
     "actors:\n  - id: other\n    name: Other\n    aliases: [islamic state]\n", false, 1,
     {"b.yaml:4:15: error: alias 'islamic state' of actor 'other' is already the id or name"}},
    {"part_of cycle", ACTORS,
     "actors:\n  - id: a\n    name: A\n    part_of: b\n  - id: b\n    name: B\n    part_of: [a]\n",
     false, 1, {"b.yaml:4:14: error: actor 'a' is part of itself: a -> b -> a"}},
    {"within cycle of one", NULL,
     "places:\n  - id: p\n    name: P\n    within: p\n", false, 1,
     {"b.yaml:4:13: error: place 'p' is within itself: p -> p"}},
    {"event part_of unknown", ACTORS,
     "events:\n  - id: e1\n    date: 2021\n    title: X\n    part_of: e2\n    sources: [art]\n",
     false, 1, {"b.yaml:5:14: error: unknown event 'e2'"}},
    {"coords out of range", NULL,
     "places:\n  - id: p\n    name: P\n    coords: [95, 44.4]\n", false, 1,
     {"b.yaml:4:14: error: latitude 95 is out of range (-90..90)"}},
    {"coords wrong shape", NULL,
     "places:\n  - id: p\n    name: P\n    coords: 33.3\n", false, 1,
     {"b.yaml:4:13: error: 'coords' must be a list of two numbers [lat, lon]"}},
    {"invalid url", NULL,
     "sources:\n  - id: s\n    title: S\n    url: ftp://example.org\n", false, 1,
     {"b.yaml:4:10: error: invalid url 'ftp://example.org'"}},
    {"figure low above value", ACTORS,
     "events:\n  - id: e1\n    date: 2021\n    title: X\n    sources: [art]\n    figures:\n"
     "      - {name: deaths, value: 30, low: 40}\n",
     false, 1, {"b.yaml:7:40: error: figure 'deaths': low 40 is above value 30"}},
    {"figure value not a number", ACTORS,
     "events:\n  - id: e1\n    date: 2021\n    title: X\n    sources: [art]\n    figures:\n"
     "      - {name: deaths, value: thirty}\n",
     false, 1, {"b.yaml:7:31: error: 'value' must be a number, found text 'thirty'"}},
    {"quoted number", ACTORS,
     "events:\n  - id: e1\n    date: 2021\n    title: X\n    sources: [art]\n    figures:\n"
     "      - {name: deaths, value: \"30\"}\n",
     false, 1, {"b.yaml:7:31: error: 'value' must be a number, not a quoted string"}},
    {"multi-line title", ACTORS,
     "events:\n  - id: e1\n    date: 2021\n    title: |\n      two\n      lines\n"
     "    sources: [art]\n",
     false, 1, {"b.yaml:4:12: error: 'title' must be one line of text"}},
    {"enum with suggestion", NULL,
     "actors:\n  - id: a\n    name: A\n    kind: persn\n", false, 1,
     {"b.yaml:4:11: error: unknown kind 'persn' (did you mean 'person'?)"}},
    {"invalid day points at the day", ACTORS,
     "events:\n  - id: e1\n    date: 2021-02-29\n    title: X\n    sources: [art]\n", false, 1,
     {"b.yaml:3:19: error: invalid date '2021-02-29'"}},
    {"interval start after end", ACTORS,
     "events:\n  - id: e1\n    date: 2021/2019\n    title: X\n    sources: [art]\n", false, 1,
     {"b.yaml:3:11: error: invalid date '2021/2019': interval start 2021 lies after its end "
      "2019\n"}},
    {"not a date", ACTORS,
     "events:\n  - id: e1\n    date: last summer\n    title: X\n    sources: [art]\n", false, 1,
     {"b.yaml:3:11: error: invalid date 'last summer'"}},
    {"no source is a warning", ACTORS,
     "events:\n  - id: e1\n    date: 2021\n    title: X\n", false, 1,
     {"b.yaml:2:9: warning: event 'e1' cites no source"}},
    {"strict makes it an error", ACTORS,
     "events:\n  - id: e1\n    date: 2021\n    title: X\n", true, 1,
     {"b.yaml:2:9: error: event 'e1' cites no source"}},
    {"unknown section", NULL, "event:\n  - id: e1\n", false, 1,
     {"b.yaml:1:1: error: unknown section 'event' (did you mean 'events'?)"}},
    {"document not a mapping", NULL, "- id: e1\n", false, 1,
     {"b.yaml:1:1: error: a document must be a mapping with keys actors, places, sources, "
      "events\n"}},
    {"section not a list", NULL, "actors:\n  id: a\n", false, 1,
     {"b.yaml:2:3: error: 'actors' must be a list of actors, found a mapping"}},
    {"record not a mapping", NULL, "actors:\n  - just-a-name\n", false, 1,
     {"b.yaml:2:5: error: expected an actor (a mapping), found text"}},
    {"within unknown place with suggestion", NULL,
     "places:\n  - id: iraq\n    name: Iraq\n    within: midle-east\n  - id: middle-east\n"
     "    name: Middle East\n",
     false, 1, {"b.yaml:4:13: error: unknown place 'midle-east' (did you mean 'middle-east'?)"}},
    {"published must not be an interval", NULL,
     "sources:\n  - id: s\n    title: S\n    published: 2020/2021\n", false, 1,
     {"b.yaml:4:20: error: invalid date '2020/2021': expected a date, not an interval\n"}},
    {"tag listed twice", ACTORS,
     "events:\n  - id: e1\n    date: 2021\n    title: X\n    sources: [art]\n"
     "    tags: [isis, war, isis]\n",
     false, 1, {"b.yaml:6:23: error: 'tags' lists 'isis' twice"}},
    {"invalid tag slug with fix", ACTORS,
     "events:\n  - id: e1\n    date: 2021\n    title: X\n    sources: [art]\n"
     "    tags: [Car Bomb]\n",
     false, 1, {"b.yaml:6:12: error: invalid tag 'Car Bomb'"}},
    {"control character in text", ACTORS,
     "events:\n  - id: e1\n    date: 2021\n    title: \"bell\\a\"\n    sources: [art]\n", false,
     1, {"b.yaml:4:12: error: 'title' contains the control character U+0007"}},
    {"anchors and merge keys are fine", ACTORS,
     "events:\n  - &base\n    id: e1\n    date: 2021\n    title: X\n    sources: [art]\n"
     "  - <<: *base\n    id: e2\n",
     false, 0, {NULL}},
    {"empty files are fine", "", "# nothing here\n", false, 0, {NULL}},
    {"null section is an empty list", NULL, "events:\nactors: []\n", false, 0, {NULL}},
};

static char tmpdir[64];

static int write_file(const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static void make_tmpdir(void)
{
    strcpy(tmpdir, "/tmp/annals-test-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
}

/* In tmpdir (its files written): a new temporary database and the dataset's files. */
static void open_dataset(sqlite3 **db, diag_list **dl, char ***files, size_t *n)
{
    assert_int_equal(chdir(tmpdir), 0);
    char *err = NULL;
    assert_int_equal(db_open(NULL, DB_TEMP, db, &err), 0);
    *dl = diag_list_new();
    const char *paths[] = {"."};
    assert_int_equal(load_collect_files(paths, 1, files, n, *dl), 0);
}

/* Free what open_dataset made, leave tmpdir and remove it. */
static void close_dataset(sqlite3 *db, diag_list *dl, char **files, size_t n)
{
    diag_list_free(dl);
    load_free_files(files, n);
    db_close(db);
    assert_int_equal(chdir("/"), 0);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
    assert_int_equal(system(cmd), 0);
}

/* Run one case; the diagnostics' text (with paths relative to tmpdir) into *out. */
static int run_case(const load_case *c, char **out, size_t *nerr)
{
    make_tmpdir();
    if (c->a)
        assert_int_equal(write_file("a.yaml", c->a), 0);
    if (c->b)
        assert_int_equal(write_file("b.yaml", c->b), 0);
    sqlite3 *db;
    char *err = NULL;
    diag_list *dl;
    char **files;
    size_t n;
    open_dataset(&db, &dl, &files, &n);
    load_options opts = {.commit = false, .strict = c->strict};
    load_stats st;
    int rc = load_dataset(db, files, n, &opts, dl, &st, &err);
    if (rc != 0)
        fail_msg("%s: load failed: %s", c->name, err);
    diag_sort(dl);
    size_t len;
    FILE *m = open_memstream(out, &len);
    diag_print_text(dl, m, false);
    fclose(m);
    *nerr = diag_count(dl, DIAG_ERROR) + diag_count(dl, DIAG_WARNING);
    close_dataset(db, dl, files, n);
    return rc;
}

static void test_cases(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const load_case *c = &cases[i];
        char *out = NULL;
        size_t nerr = 0;
        run_case(c, &out, &nerr);
        bool ok = (int)nerr == c->count;
        /* Expected lines appear in order, each at the start of a line. */
        const char *from = out;
        for (size_t k = 0; ok && k < sizeof(c->expect) / sizeof(c->expect[0]) && c->expect[k]; k++) {
            char want[512];
            snprintf(want, sizeof(want), "./%s", c->expect[k]);
            const char *hit = strstr(from, want);
            if (!hit || (hit != out && hit[-1] != '\n'))
                ok = false;
            else
                from = hit + 1;
        }
        if (!ok) {
            print_error("case '%s': expected %d problems, got %zu:\n%s\n", c->name, c->count,
                        nerr, out);
            failures++;
        }
        free(out);
    }
    assert_int_equal(failures, 0);
}

/* The summary and JSON forms carry the same diagnostics. */
static void test_json_and_summary(void **state)
{
    (void)state;
    diag_list *dl = diag_list_new();
    diag_add(dl, DIAG_WARNING, "b.yaml", 3, 2, 1, NULL, "second");
    diag_add(dl, DIAG_ERROR, "a.yaml", 9, 4, 1, "do this", "first \"quoted\"");
    diag_note(dl, "a.yaml", 1, 1, "see here");
    diag_sort(dl);
    char *buf;
    size_t len;
    FILE *m = open_memstream(&buf, &len);
    diag_print_json(dl, m);
    diag_print_summary(dl, m, 12);
    fclose(m);
    const char *first = strstr(buf, "\"file\":\"a.yaml\",\"line\":9,\"column\":4,"
                                    "\"severity\":\"error\",\"message\":\"first \\\"quoted\\\"\","
                                    "\"hint\":\"do this\",\"notes\":[{\"file\":\"a.yaml\","
                                    "\"line\":1,\"column\":1,\"message\":\"see here\"}]");
    const char *second = strstr(buf, "\"file\":\"b.yaml\",\"line\":3");
    assert_non_null(first);
    assert_non_null(second);
    assert_true(first < second);
    assert_non_null(strstr(buf, "1 error, 1 warning in 2 of 12 files\n"));
    free(buf);
    diag_list_free(dl);
}

/* The summary line: how many problems, in how many of the files read. */
static void test_summary(void **state)
{
    (void)state;
    static const struct {
        const char *files[3];   /* a diagnostic at each non-NULL file ("" = a note) */
        diag_severity sev;
        size_t nfiles;
        const char *want;
    } sums[] = {
        {{NULL}, DIAG_ERROR, 3, "no problems in 3 files\n"},
        {{"a.yaml"}, DIAG_ERROR, 1, "1 error in 1 file\n"},
        {{"a.yaml", "a.yaml"}, DIAG_ERROR, 2, "2 errors in 1 of 2 files\n"},
        {{"a.yaml", "b.yaml"}, DIAG_WARNING, 2, "2 warnings in 2 files\n"},
        {{"a.yaml", "b.yaml", "a.yaml"}, DIAG_WARNING, 12, "3 warnings in 2 of 12 files\n"},
        {{"a.yaml", ""}, DIAG_ERROR, 4, "1 error in 1 of 4 files\n"},
    };
    for (size_t i = 0; i < sizeof sums / sizeof sums[0]; i++) {
        diag_list *dl = diag_list_new();
        for (size_t j = 0; j < 3 && sums[i].files[j]; j++) {
            if (*sums[i].files[j])
                diag_add(dl, sums[i].sev, sums[i].files[j], 1, 1, 1, NULL, "problem");
            else
                diag_note(dl, "c.yaml", 1, 1, "a note is not a problem");
        }
        char *buf;
        size_t len;
        FILE *m = open_memstream(&buf, &len);
        diag_print_summary(dl, m, sums[i].nfiles);
        fclose(m);
        assert_string_equal(buf, sums[i].want);
        free(buf);
        diag_list_free(dl);
    }
}

/* One keep_errors load of files (in tmpdir) into db; its errors and warnings. */
static void reload_counts(sqlite3 *db, char **files, size_t n, const bool *unchanged,
                          size_t *errors, size_t *warnings)
{
    diag_list *dl = diag_list_new();
    load_options opts = {.commit = true, .keep_errors = true, .unchanged = unchanged};
    load_stats st;
    char *err = NULL;
    if (load_dataset(db, files, n, &opts, dl, &st, &err) != 0)
        fail_msg("load failed: %s", err);
    *errors = diag_count(dl, DIAG_ERROR);
    *warnings = diag_count(dl, DIAG_WARNING);
    diag_list_free(dl);
}

/*
 * load_options.unchanged: a file the caller vouches for is kept unread (so
 * a change on disk it did not see stays unseen), but a file that had a
 * problem is read again all the same; a reload that reads one file reports
 * that file's sourceless event and keeps the others' (clean) as they were.
 */
static void test_reload_unchanged(void **state)
{
    (void)state;
    make_tmpdir();
    assert_int_equal(write_file("a.yaml", ACTORS), 0);
    assert_int_equal(write_file("b.yaml", "events:\n  - {id: e1, date: 2021, title: A, "
                                          "sources: [art]}\n"), 0);
    assert_int_equal(write_file("c.yaml", "events:\n  - {id: e2, date: 2021, title: B, "
                                          "actors: [nobody], sources: [art]}\n"), 0);
    assert_int_equal(write_file("d.yaml", "events:\n  - {id: e3, date: 2021, title: C, "
                                          "sources: [art]}\n"), 0);
    sqlite3 *db;
    diag_list *dl;
    char **files;
    size_t n, errors, warnings;
    open_dataset(&db, &dl, &files, &n);
    assert_int_equal(n, 4);
    reload_counts(db, files, n, NULL, &errors, &warnings);
    assert_int_equal(errors, 1);   /* unknown actor 'nobody' in c.yaml */
    assert_int_equal(warnings, 0);

    /* b.yaml loses its source on disk: vouched for, it is not read. */
    assert_int_equal(write_file("b.yaml", "events:\n  - {id: e1, date: 2021, title: A}\n"), 0);
    const bool all[4] = {true, true, true, true}, but_b[4] = {true, false, true, true};
    reload_counts(db, files, n, all, &errors, &warnings);
    assert_int_equal(errors, 1);   /* c.yaml, read again though vouched for */
    assert_int_equal(warnings, 0);
    reload_counts(db, files, n, but_b, &errors, &warnings);
    assert_int_equal(errors, 1);
    assert_int_equal(warnings, 1); /* e1 cites no source */
    /* b.yaml has a problem now: read again, even vouched for. */
    reload_counts(db, files, n, all, &errors, &warnings);
    assert_int_equal(errors, 1);
    assert_int_equal(warnings, 1);
    close_dataset(db, dl, files, n);
}

/* Load the files of the current directory into db; the errors it found. */
static size_t load_here(sqlite3 *db, const load_options *opts)
{
    diag_list *dl = diag_list_new();
    const char *paths[] = {"."};
    char **files, *err = NULL;
    size_t n;
    load_stats st;
    assert_int_equal(load_collect_files(paths, 1, &files, &n, dl), 0);
    if (load_dataset(db, files, n, opts, dl, &st, &err) != 0)
        fail_msg("load failed: %s", err);
    size_t nerr = diag_count(dl, DIAG_ERROR);
    diag_list_free(dl);
    load_free_files(files, n);
    return nerr;
}

/* How many rows sql (a count with ?1) gives for word. */
static int count_of(sqlite3 *db, const char *sql, const char *word)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, word, -1, SQLITE_STATIC);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

/* Events with this title, and events the full-text index finds by the word. */
#define TITLED(db, word) count_of(db, "SELECT count(*) FROM events WHERE title = ?1", word)
#define MATCHES(db, word) \
    count_of(db, "SELECT count(*) FROM events_fts WHERE events_fts MATCH ?1", word)
#define EVENT(title) "events:\n  - id: e1\n    date: 2021\n    title: " title "\n" \
                     "    sources: [art]\n"

/* no_text_index: the rows are kept, the full-text index is left alone, on loads and reloads. */
static void test_no_text_index(void **state)
{
    (void)state;
    make_tmpdir();
    assert_int_equal(write_file("a.yaml", ACTORS), 0);
    assert_int_equal(write_file("b.yaml", EVENT("Attack")), 0);
    load_options plain = {.commit = true}, lean = {.commit = true, .no_text_index = true};
    sqlite3 *db, *indexed;
    diag_list *dl;
    char **files, *err = NULL;
    size_t n;
    open_dataset(&db, &dl, &files, &n);
    assert_int_equal(db_open(NULL, DB_TEMP, &indexed, &err), 0);

    assert_int_equal(load_here(db, &lean), 0);
    assert_int_equal(load_here(indexed, &plain), 0);
    assert_int_equal(TITLED(db, "Attack"), 1);
    assert_int_equal(MATCHES(db, "Attack"), 0);
    assert_int_equal(MATCHES(indexed, "Attack"), 1);

    /* A reload of the one changed file, with and without an index to leave alone. */
    assert_int_equal(write_file("b.yaml", EVENT("Raid")), 0);
    assert_int_equal(load_here(db, &lean), 0);
    assert_int_equal(load_here(indexed, &lean), 0);
    assert_int_equal(TITLED(db, "Raid"), 1);
    assert_int_equal(TITLED(indexed, "Raid"), 1);
    assert_int_equal(MATCHES(db, "Raid"), 0);
    assert_int_equal(MATCHES(indexed, "Raid"), 0);
    /* The control: an ordinary reload keeps the index. */
    assert_int_equal(write_file("b.yaml", EVENT("Siege")), 0);
    sqlite3 *fresh;
    assert_int_equal(db_open(NULL, DB_TEMP, &fresh, &err), 0);
    assert_int_equal(load_here(fresh, &plain), 0);
    assert_int_equal(write_file("b.yaml", EVENT("Ambush")), 0);
    assert_int_equal(load_here(fresh, &plain), 0);
    assert_int_equal(MATCHES(fresh, "Ambush"), 1);
    assert_int_equal(MATCHES(fresh, "Siege"), 0);

    db_close(indexed);
    db_close(fresh);
    close_dataset(db, dl, files, n);
}

/* What a diagnostic is about (diag_detail), as the loader says it. */
static void test_details(void **state)
{
    (void)state;
    make_tmpdir();
    assert_int_equal(write_file("a.yaml", ACTORS), 0);
    assert_int_equal(write_file("b.yaml", "events:\n  - id: e1\n    date: 2021\n    titel: X\n"
                                          "    actors: [islamic-stat]\n    sources: [art]\n"
                                          "  - {id: e1, date: 2021, title: Y, sources: [art]}\n"), 0);
    sqlite3 *db;
    diag_list *dl;
    char **files;
    size_t n;
    open_dataset(&db, &dl, &files, &n);
    load_options opts = {0};
    load_stats st;
    char *err = NULL;
    assert_int_equal(load_dataset(db, files, n, &opts, dl, &st, &err), 0);
    static const struct {
        const char *message;   /* its start */
        diag_about about;
        const char *kind, *id, *fix;
    } want[] = {
        {"unknown key 'titel'", DIAG_ABOUT_OTHER, NULL, NULL, "title"},
        {"unknown actor 'islamic-stat'", DIAG_ABOUT_UNKNOWN_ID, "actor", "islamic-stat",
         "islamic-state"},
        {"duplicate event id 'e1'", DIAG_ABOUT_DUPLICATE_ID, "event", "e1", NULL},
    };
    int seen = 0;
    for (size_t i = 0; i < diag_list_len(dl); i++) {
        diag_view d = diag_at(dl, i);
        size_t k = 0;
        while (k < 3 && strncmp(d.message, want[k].message, strlen(want[k].message)) != 0)
            k++;
        if (k == 3) {                 /* "event 'e1' has no 'title'" */
            assert_int_equal(d.about, DIAG_ABOUT_OTHER);
            assert_null(d.fix);
            continue;
        }
        seen |= 1 << k;
        assert_int_equal(d.about, want[k].about);
        assert_true(!d.kind == !want[k].kind && (!d.kind || !strcmp(d.kind, want[k].kind)));
        assert_true(!d.id == !want[k].id && (!d.id || !strcmp(d.id, want[k].id)));
        assert_true(!d.fix == !want[k].fix && (!d.fix || !strcmp(d.fix, want[k].fix)));
    }
    assert_int_equal(seen, 7);
    close_dataset(db, dl, files, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_json_and_summary),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_reload_unchanged),
        cmocka_unit_test(test_no_text_index),
        cmocka_unit_test(test_details),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
