/* targets.c - the fuzz targets' bodies, shared by the libFuzzer binaries and the regression test. */
#include "targets.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "annals/db.h"
#include "annals/diag.h"
#include "annals/edtf.h"
#include "annals/load.h"
#include "annals/query.h"
#include "annals/render.h"

#ifndef ANNALS_SOURCE_DIR
#define ANNALS_SOURCE_DIR "."
#endif

int fuzz_edtf(const uint8_t *data, size_t size)
{
    for (int interval = 0; interval < 2; interval++) {
        edtf_date d;
        char err[128], buf[256];
        size_t off = 0;
        if (edtf_parse((const char *)data, size, interval, &d, err, sizeof(err), &off) == 0) {
            edtf_humanize(&d, buf, sizeof(buf));
            edtf_humanize(&d, buf, 8);            /* truncation */
            edtf_format_iso(d.lower, true, buf, sizeof(buf));
            edtf_format_iso(d.upper, false, buf, sizeof(buf));
            if (d.lower > d.upper)
                abort();                          /* bounds must be ordered */
        } else if (off > size) {
            abort();                              /* the offset points into the input */
        }
    }
    return 0;
}

static sqlite3 *check_db;
static char tmpdir[64];

int fuzz_dataset(const uint8_t *data, size_t size)
{
    if (!check_db) {
        char *err = NULL;
        if (db_open(NULL, DB_TEMP, &check_db, &err) != 0)
            abort();
        snprintf(tmpdir, sizeof(tmpdir), "/tmp/annals-fuzz-XXXXXX");
        if (!mkdtemp(tmpdir))
            abort();
    }
    char path[96];
    snprintf(path, sizeof(path), "%s/input.yaml", tmpdir);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
    diag_list *dl = diag_list_new();
    char *files[] = {path}, *err = NULL;
    load_options opts = {.commit = false};
    load_stats st;
    if (load_dataset(check_db, files, 1, &opts, dl, &st, &err) != 0) {
        /* a database failure is a bug; "out of memory" can be the input's size */
        if (err && !strstr(err, "out of memory"))
            abort();
    }
    free(err);
    diag_sort(dl);
    FILE *null = fopen("/dev/null", "w");
    diag_print_text(dl, null, false);
    diag_print_json(dl, null);
    fclose(null);
    diag_list_free(dl);
    return 0;
}

static sqlite3 *report_db;

static sqlite3 *open_report_db(void)
{
    char *err = NULL;
    if (db_open(NULL, DB_TEMP, &report_db, &err) != 0)
        abort();
    const char *dir = getenv("ANNALS_FUZZ_DATA");
    char path[1024];
    snprintf(path, sizeof(path), "%s", dir ? dir : ANNALS_SOURCE_DIR "/tests/data/report/main");
    const char *paths[] = {path};
    char **files;
    size_t n;
    diag_list *dl = diag_list_new();
    load_options opts = {.commit = true};
    load_stats st;
    if (load_collect_files(paths, 1, &files, &n, dl) != 0 ||
        load_dataset(report_db, files, n, &opts, dl, &st, &err) != 0 || st.events == 0)
        abort();
    load_free_files(files, n);
    diag_list_free(dl);
    return report_db;
}

int fuzz_query(const uint8_t *data, size_t size)
{
    if (!report_db)
        open_report_db();
    /* Fields separated by NUL bytes; a missing field is no filter. */
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    const char *field[8] = {NULL};
    size_t k = 0;
    for (size_t i = 0, start = 0; i <= size && k < 8; i++) {
        if (i == size || copy[i] == '\0') {
            field[k++] = i > start ? copy + start : NULL;
            start = i + 1;
        }
    }
    query_filter f = {.actor = field[0], .region = field[1], .from = field[2],
                      .to = field[3], .type = field[4], .tag = field[5], .text = field[6],
                      .role = field[7], .limit = size % 7};
    query_cursor *c = NULL;
    char *err = NULL;
    if (query_open(report_db, &f, &c, &err) == 0) {
        FILE *null = fopen("/dev/null", "w");
        render_options ro = {.out = null};
        render_text(c, &ro, &err);
        free(err);
        err = NULL;
        query_rewind(c, &err);
        render_json(c, &ro, &err);
        fclose(null);
        query_close(c);
    }
    free(err);
    free(copy);
    return 0;
}

void fuzz_cleanup(void)
{
    db_close(check_db);
    db_close(report_db);
    check_db = report_db = NULL;
    if (tmpdir[0]) {
        char path[96];
        snprintf(path, sizeof(path), "%s/input.yaml", tmpdir);
        unlink(path);
        rmdir(tmpdir);
        tmpdir[0] = '\0';
    }
}
