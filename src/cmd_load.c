/* cmd_load.c - `annals load`: validate a dataset and replace a database's content with it, atomically. */
#include <stdlib.h>
#include <string.h>

#include "annals/cli.h"
#include "annals/db.h"
#include "commands.h"

static const cli_option options[] = {
    {"db", 'd', "FILE", "the database to write (default: annals.db)"},
    {"strict", 0, NULL, "treat warnings (such as an event with no source) as errors"},
    {"format", 'f', "FORMAT", "diagnostics as 'text' (default) or 'json'"},
    {"quiet", 'q', NULL, "print nothing on success"},
    {NULL, 0, NULL, NULL}};

static int run(int argc, char **argv)
{
    cli_parser p;
    cli_init(&p, argc, argv);
    load_options opts = {.commit = true, .strict = false};
    cli_diag_format fmt = CLI_DIAG_TEXT;
    bool quiet = false;
    const char *dbpath = "annals.db";
    const char **paths = calloc((size_t)argc + 1, sizeof(*paths));
    size_t npaths = 0;
    int k;
    while ((k = cli_next(&p, &cmd_load)) != CLI_END) {
        switch (k) {
        case CLI_ERROR:
            free(paths);
            return EXIT_USAGE;
        case CLI_HELP:
            free(paths);
            cli_print_help(&cmd_load, stdout);
            return EXIT_OK;
        case CLI_POSITIONAL:
            paths[npaths++] = p.value;
            break;
        case 0:
            dbpath = p.value;
            break;
        case 1:
            opts.strict = true;
            break;
        case 2:
            if (strcmp(p.value, "text") == 0)
                fmt = CLI_DIAG_TEXT;
            else if (strcmp(p.value, "json") == 0)
                fmt = CLI_DIAG_JSON;
            else {
                free(paths);
                return cli_usage_error(&cmd_load, "unknown format '%s' (text or json)",
                                       p.value);
            }
            break;
        case 3:
            quiet = true;
            break;
        }
    }
    sqlite3 *db;
    char *err;
    if (db_open(dbpath, DB_WRITE, &db, &err) != 0) {
        fprintf(stderr, "annals load: %s\n", err);
        free(err);
        free(paths);
        return EXIT_IO;
    }
    load_stats st;
    int code = cli_load(db, paths, npaths, &opts, fmt, true,
                        fmt == CLI_DIAG_JSON ? stdout : stderr, &st);
    db_close(db);
    free(paths);
    if (code == EXIT_OK && !quiet && fmt == CLI_DIAG_TEXT)
        printf("loaded %zu event%s, %zu actor%s, %zu place%s, %zu source%s from %zu file%s "
               "into %s\n", st.events, st.events == 1 ? "" : "s", st.actors,
               st.actors == 1 ? "" : "s", st.places, st.places == 1 ? "" : "s", st.sources,
               st.sources == 1 ? "" : "s", st.files, st.files == 1 ? "" : "s", dbpath);
    else if (code != EXIT_OK && fmt == CLI_DIAG_TEXT)
        fprintf(stderr, "annals load: nothing written; %s is unchanged\n", dbpath);
    return code;
}

const cli_command cmd_load = {
    "load", "validate a dataset and replace the database's content with it, atomically",
    "[options] [PATH...]", options, run};
