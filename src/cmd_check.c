/* cmd_check.c - `annals check`: validate a dataset and report every problem, writing nothing. */
#include <stdlib.h>

#include "annals/cli.h"
#include "annals/db.h"
#include "commands.h"

static const cli_option options[] = {
    CLI_OPTION_STRICT,
    CLI_OPTION_DIAG_FORMAT,
    {"quiet", 'q', NULL, "print nothing when there is no problem"},
    {"lint", 0, NULL, "also warn about loose ends: near-duplicate types, tags and roles, unused "
                      "records, TODO placeholders, long titles, events a map cannot place"},
    {NULL, 0, NULL, NULL}};

enum { O_STRICT, O_FORMAT, O_QUIET, O_LINT };

typedef struct {
    cli_load_settings ls;
    bool lint;
} settings;

static int on_option(void *ctx, int opt, const char *value)
{
    settings *s = ctx;
    if (opt == O_LINT)
        s->lint = s->ls.load.commit = true;     /* lint reads the loaded texts */
    return cli_load_option(&cmd_check, opt, value, &s->ls);
}

static int run(int argc, char **argv)
{
    settings s = {.ls = {.load = {.commit = false}, .fmt = CLI_DIAG_TEXT}};
    const char **paths;
    size_t npaths;
    sqlite3 *db;
    int code;
    if (cli_parse(&cmd_check, argc, argv, on_option, &s, &paths, &npaths, &code) != 0)
        return code;
    if ((code = cli_db_open(cmd_check.name, NULL, DB_TEMP, &db)) == EXIT_OK)
        code = cli_load_lint(db, paths, npaths, &s.ls.load, s.lint, s.ls.fmt, s.ls.quiet,
                             stdout, NULL);
    db_close(db);
    free(paths);
    return code;
}

const cli_command cmd_check = {
    "check", "validate a dataset and report every problem with its position",
    "[options] [PATH...]", options, run, NULL};
