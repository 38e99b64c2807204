/* cmd_actors.c - `annals actors`: every actor with its event count; also the listing runner places and sources share. */
#include <stdlib.h>
#include <string.h>

#include "annals/cli.h"
#include "annals/db.h"
#include "annals/listing.h"
#include "commands.h"

static const cli_option options[] = {
    {"db", 'd', "FILE", "read this database (default: annals.db if it exists, else load data/)"},
    {"format", 'f', "FORMAT", "text (default), json or csv"},
    {NULL, 0, NULL, NULL}};

int cmd_run_listing(const cli_command *cmd, listing_kind kind, int argc, char **argv)
{
    cli_parser p;
    cli_init(&p, argc, argv);
    const char *dbpath = NULL;
    listing_format fmt = LISTING_TEXT;
    const char **paths = calloc((size_t)argc + 1, sizeof(*paths));
    size_t npaths = 0;
    int k;
    if (!paths) {
        fprintf(stderr, "annals %s: out of memory\n", cmd->name);
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
            paths[npaths++] = p.value;
            break;
        case 0:
            dbpath = p.value;
            break;
        case 1:
            if (listing_format_find(p.value, &fmt) != 0) {
                free(paths);
                return cli_usage_error(cmd, "unknown format '%s' (text, json or csv)", p.value);
            }
            break;
        }
    }
    sqlite3 *db;
    int code = cmd_open_db(cmd, dbpath, paths, npaths, &db);
    free(paths);
    if (code != EXIT_OK)
        return code;
    char *err = NULL;
    if (listing_write(db, kind, fmt, stdout, fmt == LISTING_TEXT && cli_color(stdout),
                      &err) != 0) {
        fprintf(stderr, "annals %s: %s\n", cmd->name, err);
        free(err);
        code = EXIT_IO;
    }
    db_close(db);
    return code;
}

static int run(int argc, char **argv)
{
    return cmd_run_listing(&cmd_actors, LISTING_ACTORS, argc, argv);
}

const cli_command cmd_actors = {
    "actors", "list the actors: kind, part_of, aliases and how many events name each",
    "[--db FILE | PATH...] [--format FORMAT]", options, run};
