/* cmd_show.c - `annals show`: one event, actor, place or source with everything about it. */
#include <stdlib.h>
#include <string.h>

#include "annals/cli.h"
#include "annals/db.h"
#include "annals/listing.h"
#include "commands.h"

static const cli_option options[] = {
    {"db", 'd', "FILE", "read this database (default: annals.db if it exists, else load data/)"},
    {NULL, 0, NULL, NULL}};

static int run(int argc, char **argv)
{
    const cli_command *cmd = &cmd_show;
    cli_parser p;
    cli_init(&p, argc, argv);
    const char *dbpath = NULL, *id = NULL;
    const char **paths = calloc((size_t)argc + 1, sizeof(*paths));
    size_t npaths = 0;
    int k;
    if (!paths) {
        fputs("annals show: out of memory\n", stderr);
        return EXIT_IO;
    }
    while ((k = cli_next(&p, cmd)) != CLI_END) {
        switch (k) {
        case CLI_ERROR:
            free(paths);
            return EXIT_USAGE;
        case CLI_HELP:
            free(paths);
            cli_print_help(cmd, stdout);
            return EXIT_OK;
        case CLI_POSITIONAL:
            if (!id)
                id = p.value;
            else
                paths[npaths++] = p.value;
            break;
        case 0:
            dbpath = p.value;
            break;
        }
    }
    if (!id) {
        free(paths);
        return cli_usage_error(cmd, "which id? (annals show ID)");
    }
    sqlite3 *db;
    int code = cmd_open_db(cmd, dbpath, paths, npaths, &db);
    free(paths);
    if (code != EXIT_OK)
        return code;
    char *err = NULL;
    int n = listing_show(db, id, stdout, cli_color(stdout), &err);
    if (n < 0) {
        fprintf(stderr, "annals show: %s\n", err);
        free(err);
        code = EXIT_IO;
    } else if (n == 0) {
        char *hint = listing_hint(db, id);
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
    "ID [--db FILE | PATH...]", options, run};
