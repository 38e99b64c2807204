/* test_detail.c - the detail view of `annals show` (detail_show) and its hint for unknown ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "annals/detail.h"

/* The fixture, relative to tests/ (CTest runs the tests there). */
#define FIXTURE "data/report/main"
#include "fixture.h"

/* detail_show of id into a new string (the caller frees); *n gets its return value. */
static char *show(sqlite3 *db, const char *id, bool color, int *n)
{
    char *buf = NULL, *err = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_non_null(m);
    *n = detail_show(db, id, m, color, &err);
    assert_int_equal(fclose(m), 0);
    if (*n < 0)
        fail_msg("detail_show %s: %s", id, err);
    return buf;
}

/* Fails the test unless s starts with prefix, showing both. */
static void expect_prefix(const char *s, const char *prefix)
{
    if (strncmp(s, prefix, strlen(prefix)) != 0)
        fail_msg("output:\n%s\nexpected to start with:\n%s", s, prefix);
}

/* An actor whole: its fields, where it is defined, its events with dates aligned. */
static void test_actor(void **state)
{
    int n;
    char *out = show(*state, "caesar", false, &n);
    assert_int_equal(n, 1);
    assert_string_equal(out,
        "actor caesar\n"
        "  name         Julius Caesar\n"
        "  kind         person\n"
        "  aliases      Caesar, Καίσαρ\n"
        "  part of      rome\n"
        "  description  Roman general and dictator, killed on the Ides of March.\n"
        "  defined      " FIXTURE "/actors.yaml:35\n"
        "  events       3\n"
        "    49 BCE – 45 BCE    Caesar's civil war  [civil-war]\n"
        "    10 January 49 BCE  Caesar crosses the Rubicon  [rubicon]\n"
        "    15 March 44 BCE    Caesar is assassinated in Rome  [ides-of-march]\n");
    free(out);
}

/* One id, two records (an actor and a place): both, a blank line between them. */
static void test_shared_id(void **state)
{
    int n;
    char *out = show(*state, "rome", false, &n);
    assert_int_equal(n, 2);
    expect_prefix(out, "actor rome\n  name         Roman Republic\n");
    assert_non_null(strstr(out, "  members      brutus (Marcus Junius Brutus)\n"
                                "               caesar (Julius Caesar)\n"));
    const char *place = strstr(out, "\n\nplace rome\n");
    assert_non_null(place);
    assert_non_null(strstr(place, "  within       italy\n  coords       41.9028, 12.4964\n"));
    free(out);
}

/* A source: dates in words with the EDTF, and under each event what it quotes. */
static void test_source(void **state)
{
    int n;
    char *out = show(*state, "plutarch", false, &n);
    assert_int_equal(n, 1);
    expect_prefix(out,
        "source plutarch\n"
        "  title        Plutarch, Life of Caesar\n"
        "  author       Plutarch\n"
        "  published    100–109 (010X)\n"
        "  accessed     28 June 2021 (2021-06-28)\n"
        "  url          https://example.org/plutarch\n");
    assert_non_null(strstr(out, "  events       4\n"));
    assert_non_null(strstr(out, "    15 March 44 BCE    Caesar is assassinated in Rome  [ides-of-march]\n"
                                "      ch. 66: \u201cCaesar was stabbed 23 times.\u201d\n"));
    free(out);
}

/* An event: a summary of two lines keeps its second under the first; its parts follow. */
static void test_event(void **state)
{
    int n;
    char *out = show(*state, "full-event", false, &n);
    assert_int_equal(n, 1);
    assert_non_null(strstr(out, "  summary      First line, with a comma; a \"quote\", a back\\slash\n"
                                "               # and a second line with `code` and _under_.\n"));
    assert_non_null(strstr(out, "  actors       Global Coalition [coalition] as host\n"
                                "               Islamic State [islamic-state]\n"));
    free(out);
    out = show(*state, "rome-summit", false, &n);
    assert_int_equal(n, 1);
    assert_non_null(strstr(out, "  parts        1\n    28 June 2021  Pledge <script>"));
    free(out);
}

/* Colour: the heading bold, labels dim, dates cyan; nothing else changes. */
static void test_color(void **state)
{
    int n;
    char *out = show(*state, "caesar", true, &n);
    expect_prefix(out, "\033[1mactor caesar\033[0m\n  \033[2mname\033[0m         Julius");
    assert_non_null(strstr(out, "    \033[36m49 BCE – 45 BCE\033[0m    Caesar's civil war  "
                                "\033[2m[civil-war]\033[0m\n"));
    free(out);
}

/* No record has the id: 0 and nothing written. */
static void test_unknown(void **state)
{
    int n;
    char *out = show(*state, "ISIS", false, &n);     /* an alias, not an id */
    assert_int_equal(n, 0);
    assert_string_equal(out, "");
    free(out);
}

static void test_hint(void **state)
{
    static const struct { const char *id, *hint; } rows[] = {
        {"ISIS", "'ISIS' is an alias of actor 'islamic-state'"},
        {"romee", "did you mean 'rome'?"},
        {"zzzzzz", NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *hint = detail_hint(*state, rows[i].id);
        if (rows[i].hint == NULL ? hint != NULL : !hint || strcmp(hint, rows[i].hint) != 0)
            fail_msg("hint for %s: %s", rows[i].id, hint ? hint : "(none)");
        free(hint);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_actor),
        cmocka_unit_test(test_shared_id),
        cmocka_unit_test(test_source),
        cmocka_unit_test(test_event),
        cmocka_unit_test(test_color),
        cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_hint),
    };
    return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
