/* cli_load.c - the validate-and-load step that check, load and report share, their options, and the database a reading command opens. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "annals/cli.h"
#include "annals/diag.h"
#include "annals/lint.h"

typedef struct {
    struct timespec start, last;
    bool shown;
} progress_state;

static double seconds_between(struct timespec a, struct timespec b)
{
    return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

/* "  37/100 files  412000 records  98000 records/s", at most ten times a second. */
static void show_progress(void *ctx, size_t done, size_t total, size_t records)
{
    progress_state *p = ctx;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (done < total && seconds_between(p->last, now) < 0.1)
        return;
    p->last = now;
    double secs = seconds_between(p->start, now);
    if (done == total && !p->shown)
        return;   /* fast enough that nothing was shown: say nothing */
    p->shown = true;
    fprintf(stderr, "\r\033[K%zu/%zu files  %zu records  %.0f records/s", done, total, records,
            secs > 0 ? (double)records / secs : 0.0);
    if (done == total)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

int cli_load(sqlite3 *db, const char *const *paths, size_t npaths,
             const load_options *opts, cli_diag_format fmt, bool quiet, FILE *out,
             load_stats *stats)
{
    return cli_load_lint(db, paths, npaths, opts, false, fmt, quiet, out, stats);
}

int cli_load_lint(sqlite3 *db, const char *const *paths, size_t npaths,
                  const load_options *opts, bool lint, cli_diag_format fmt, bool quiet,
                  FILE *out, load_stats *stats)
{
    static const char *const default_paths[] = {"data"};
    if (npaths == 0) {
        paths = default_paths;
        npaths = 1;
    }
    diag_list *dl = diag_list_new();
    if (!dl) {
        fputs("annals: out of memory\n", stderr);
        return EXIT_IO;
    }
    char **files = NULL, *err = NULL;
    size_t nfiles = 0;
    int code = EXIT_OK;
    load_stats local;
    if (!stats)
        stats = &local;
    /* Progress only on a terminal, and only for loads that take a while. */
    progress_state ps = {.shown = false};
    load_options o = *opts;
    if (isatty(STDERR_FILENO)) {
        clock_gettime(CLOCK_MONOTONIC, &ps.start);
        ps.last = ps.start;
        o.progress = show_progress;
        o.progress_ctx = &ps;
    }
    opts = &o;
    if (load_collect_files(paths, npaths, &files, &nfiles, dl) != 0) {
        code = EXIT_IO;
    } else if (load_dataset(db, files, nfiles, opts, dl, stats, &err) != 0) {
        code = EXIT_IO;
    } else if (diag_count(dl, DIAG_ERROR) > 0) {
        code = EXIT_DATA;
    } else if (lint && lint_run(db, dl, &err) != 0) {
        code = EXIT_IO;
    } else if (lint && opts->strict) {
        diag_promote_warnings(dl);     /* --strict: lint warnings are errors too */
        code = diag_count(dl, DIAG_ERROR) > 0 ? EXIT_DATA : EXIT_OK;
    }
    diag_sort(dl);
    if (fmt == CLI_DIAG_JSON) {
        diag_print_json(dl, out);
    } else {
        diag_print_text(dl, out, cli_color(out));
        if (!quiet || diag_count(dl, DIAG_ERROR) || diag_count(dl, DIAG_WARNING))
            diag_print_summary(dl, out, nfiles);
    }
    if (err)
        fprintf(stderr, "annals: %s\n", err);
    free(err);
    load_free_files(files, nfiles);
    diag_list_free(dl);
    return code;
}

int cli_load_option(const cli_command *cmd, int opt, const char *value, cli_load_settings *s)
{
    const char *name = cmd->options[opt].name;
    if (strcmp(name, "strict") == 0)
        s->load.strict = true;
    else if (strcmp(name, "quiet") == 0)
        s->quiet = true;
    else if (strcmp(name, "format") == 0 && cli_diag_format_find(value, &s->fmt) != 0)
        return cli_unknown_value(cmd, "format", value, cli_diag_format_names);
    return EXIT_OK;
}

int cli_open_dataset(const cli_command *cmd, const char *dbpath, const char *const *paths,
                     size_t npaths, sqlite3 **db)
{
    *db = NULL;
    if (dbpath && npaths)
        return cli_usage_error(cmd, "give either --db FILE or dataset paths, not both");
    struct stat st;
    if (!dbpath && !npaths && stat("annals.db", &st) == 0)
        dbpath = "annals.db";
    if (dbpath)
        return cli_db_open(cmd->name, dbpath, DB_READ, db);
    int code = cli_db_open(cmd->name, NULL, DB_TEMP, db);
    if (code != EXIT_OK)
        return code;
    load_options lo = {.commit = true, .strict = false};
    code = cli_load(*db, paths, npaths, &lo, CLI_DIAG_TEXT, true, stderr, NULL);
    if (code != EXIT_OK) {
        db_close(*db);
        *db = NULL;
    }
    return code;
}

int cli_parse_open(const cli_command *cmd, int argc, char **argv,
                   int (*on_option)(void *ctx, int opt, const char *value), void *ctx,
                   const char *const *dbpath, sqlite3 **db, int *code)
{
    const char **paths;
    size_t npaths;
    *db = NULL;
    if (cli_parse(cmd, argc, argv, on_option, ctx, &paths, &npaths, code) != 0)
        return -1;
    *code = cli_open_dataset(cmd, *dbpath, paths, npaths, db);
    free(paths);
    return *code == EXIT_OK ? 0 : -1;
}
