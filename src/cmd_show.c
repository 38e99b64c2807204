/* cmd_show.c - `annals show`: one event, actor, place or source with everything about it. */
#include <stdlib.h>
#include <string.h>

#include "annals/cli.h"
#include "annals/db.h"
#include "annals/detail.h"
#include "commands.h"

static const cli_option options[] = {
    CLI_OPTION_DB,
    {NULL, 0, NULL, NULL}};

static int on_option(void *ctx, int opt, const char *value)
{
    (void)opt;   /* the only option: --db */
    *(const char **)ctx = value;
    return EXIT_OK;
}

static int run(int argc, char **argv)
{
    const cli_command *cmd = &cmd_show;
    const char *dbpath = NULL, **paths;
    size_t npaths;
    int code;
    if (cli_parse(cmd, argc, argv, on_option, &dbpath, &paths, &npaths, &code) != 0)
        return code;
    if (npaths == 0) {
        free(paths);
        return cli_usage_error(cmd, "which id? (annals show ID)");
    }
    /* The first argument is the id; the others are dataset paths. */
    const char *id = paths[0];
    sqlite3 *db;
    code = cli_open_dataset(cmd, dbpath, paths + 1, npaths - 1, &db);
    free(paths);
    if (code != EXIT_OK)
        return code;
    char *err = NULL;
    int n = detail_show(db, id, stdout, cli_color(stdout), &err);
    if (n < 0) {
        fprintf(stderr, "annals show: %s\n", err);
        free(err);
        code = EXIT_IO;
    } else if (n == 0) {
        char *hint = detail_hint(db, id);
        fprintf(stderr, "annals show: no event, actor, place or source has the id '%s'%s%s%s\n",
                id, hint ? " (" : "", hint ? hint : "", hint ? ")" : "");
        free(hint);
        code = EXIT_DATA;
    }
    db_close(db);
    return code;
}

const cli_command cmd_show = {
    "show", "show one event, actor, place or source with everything linked to it",
    "ID [--db FILE | PATH...]", options, run, NULL};
