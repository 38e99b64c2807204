/* test_fuzz_regressions.c - every input the fuzzers ever found, replayed through the same target bodies. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "annals/util.h"
#include "targets.h"

/* Replay every file of data/fuzz-regressions/DIR; returns how many. */
static int replay(const char *dir, int (*target)(const uint8_t *, size_t))
{
    char path[512];
    snprintf(path, sizeof(path), "data/fuzz-regressions/%s", dir);
    DIR *d = opendir(path);
    assert_non_null(d);
    int n = 0;
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
        n++;
    }
    closedir(d);
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
