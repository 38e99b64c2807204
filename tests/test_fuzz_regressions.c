/* test_fuzz_regressions.c - every input the fuzzers ever found, replayed through the same target bodies. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "annals/util.h"
#include "targets.h"

/*
 * What each input must come to (fuzz_outcome): a regression input replays
 * its fix, not only the absence of a crash. Every input on disk needs a row
 * here and every row its input, so a new finding gets its expectation.
 */
typedef struct {
    const char *dir, *name, *outcome;
} expected;

static const expected expect[] = {
    {"edtf", "bad-season", "date: error: expected a date, not an interval | interval: error: "
                           "expected 2 digits for the month"},
    {"edtf", "leap", "date: error: day 29 does not exist in February 2021 | interval: error: "
                     "day 29 does not exist in February 2021"},
    {"edtf", "long-year", "date: error: expected a date, not an interval | interval: since "
                          "1000000000 BCE"},
    {"dataset", "nul", "1 errors, 1 warnings; 0/0/0/1 records; first: a.yaml:4:12: string "
                       "contains a NUL character"},
    {"dataset", "reload-cli", "0 errors, 0 warnings; 1/0/1/1 records"},
    {"dataset", "self-alias", "1 errors, 0 warnings; 0/0/0/0 records; first: a.yaml:1:8: "
                              "alias '*a' is used inside the node it refers to"},
    {"query", "all-fields", "refused: invalid --to date '..': '..' (an open end) is only "
                            "allowed in an interval"},
    {"query", "fts-syntax", "0 events"},
    {"lsp", "crlf-position", "1 bodies (0 messages, 1 invalid), 1 framing errors"},
    {"lsp", "seed-1", "3 bodies (3 messages, 0 invalid), 0 framing errors"},
    {"lsp", "seed-2", "3 bodies (0 messages, 3 invalid), 1 framing errors"},
    {"lsp", "seed-3", "1 bodies (1 messages, 0 invalid), 1 framing errors"},
};
#define NEXPECT (sizeof(expect) / sizeof(expect[0]))

/* Replay every file of data/fuzz-regressions/DIR, checking each outcome; returns how many. */
static int replay(const char *dir, int (*target)(const uint8_t *, size_t))
{
    char path[512];
    snprintf(path, sizeof(path), "data/fuzz-regressions/%s", dir);
    DIR *d = opendir(path);
    assert_non_null(d);
    int n = 0, failures = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char file[1024];
        snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
        size_t len;
        char *buf = file_read_all(file, &len, 16u << 20);
        assert_non_null(buf);
        assert_int_equal(target((const uint8_t *)buf, len), 0);
        free(buf);
        const expected *e = NULL;
        for (size_t i = 0; i < NEXPECT && !e; i++)
            if (strcmp(expect[i].dir, dir) == 0 && strcmp(expect[i].name, de->d_name) == 0)
                e = &expect[i];
        if (!e) {
            print_error("%s: no expected outcome in test_fuzz_regressions.c; it came to: %s\n",
                        file, fuzz_outcome());
            failures++;
        } else if (strcmp(e->outcome, fuzz_outcome()) != 0) {
            print_error("%s: expected \"%s\"\n  got \"%s\"\n", file, e->outcome,
                        fuzz_outcome());
            failures++;
        }
        n++;
    }
    closedir(d);
    /* Every row of the table has its input. */
    for (size_t i = 0; i < NEXPECT; i++) {
        if (strcmp(expect[i].dir, dir) != 0)
            continue;
        char file[1024];
        snprintf(file, sizeof(file), "%s/%s", path, expect[i].name);
        if (access(file, R_OK) != 0) {
            print_error("%s: expected, but there is no such input\n", file);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
    return n;
}

static void test_edtf(void **state)
{
    (void)state;
    assert_true(replay("edtf", fuzz_edtf) > 0);
}

static void test_dataset(void **state)
{
    (void)state;
    assert_true(replay("dataset", fuzz_dataset) > 0);
}

static void test_query(void **state)
{
    (void)state;
    assert_true(replay("query", fuzz_query) > 0);
}

static void test_lsp(void **state)
{
    (void)state;
    assert_true(replay("lsp", fuzz_lsp) > 0);
}

static int teardown(void **state)
{
    (void)state;
    fuzz_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edtf),
        cmocka_unit_test(test_dataset),
        cmocka_unit_test(test_query),
        cmocka_unit_test(test_lsp),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
