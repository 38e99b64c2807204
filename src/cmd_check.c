/* cmd_check.c - `annals check`: validate a dataset and report every problem, writing nothing. */
#include <stdlib.h>

#include "annals/cli.h"
#include "annals/db.h"
#include "commands.h"

static const cli_option options[] = {
    {"strict", 0, NULL, "treat warnings (such as an event with no source) as errors"},
    {"format", 'f', "FORMAT", "diagnostics as 'text' (default) or 'json'"},
    {"quiet", 'q', NULL, "print nothing when there is no problem"},
    {"lint", 0, NULL, "also warn about loose ends: near-duplicate types, tags and roles, unused "
                      "records, TODO placeholders, long titles, events a map cannot place"},
    {NULL, 0, NULL, NULL}};

enum { O_STRICT, O_FORMAT, O_QUIET, O_LINT };

typedef struct {
    load_options load;
    cli_diag_format fmt;
    bool quiet;
    bool lint;
} settings;

static int on_option(void *ctx, int opt, const char *value)
{
    settings *s = ctx;
    switch (opt) {
    case O_STRICT: s->load.strict = true; break;
    case O_QUIET: s->quiet = true; break;
    case O_LINT: s->lint = s->load.commit = true; break;   /* lint reads the loaded texts */
    case O_FORMAT:
        if (cli_diag_format_find(value, &s->fmt) != 0)
            return cli_unknown_value(&cmd_check, "format", value, cli_diag_format_names);
        break;
    }
    return EXIT_OK;
}

static int run(int argc, char **argv)
{
    settings s = {.load = {.commit = false}, .fmt = CLI_DIAG_TEXT};
    const char **paths;
    size_t npaths;
    int code;
    if (cli_parse(&cmd_check, argc, argv, on_option, &s, &paths, &npaths, &code) == 0) {
        sqlite3 *db;
        char *err;
        if (db_open(NULL, DB_TEMP, &db, &err) != 0) {
            fprintf(stderr, "annals check: %s\n", err);
            free(err);
            code = EXIT_IO;
        } else {
            code = cli_load_lint(db, paths, npaths, &s.load, s.lint, s.fmt, s.quiet, stdout,
                                 NULL);
            db_close(db);
        }
    }
    free(paths);
    return code;
}

const cli_command cmd_check = {
    "check", "validate a dataset and report every problem with its position",
    "[options] [PATH...]", options, run, NULL};
