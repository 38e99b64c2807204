/* cmd_check.c - `annals check`: validate a dataset and report every problem, writing nothing. */
#include <stdlib.h>
#include <string.h>

#include "annals/cli.h"
#include "annals/db.h"
#include "commands.h"

static const cli_option options[] = {
    {"strict", 0, NULL, "treat warnings (such as an event with no source) as errors"},
    {"format", 'f', "FORMAT", "diagnostics as 'text' (default) or 'json'"},
    {"quiet", 'q', NULL, "print nothing when there is no problem"},
    {NULL, 0, NULL, NULL}};

static int run(int argc, char **argv)
{
    cli_parser p;
    cli_init(&p, argc, argv);
    load_options opts = {.commit = false, .strict = false};
    cli_diag_format fmt = CLI_DIAG_TEXT;
    bool quiet = false;
    const char **paths = calloc((size_t)argc + 1, sizeof(*paths));
    size_t npaths = 0;
    int k;
    while ((k = cli_next(&p, &cmd_check)) != CLI_END) {
        switch (k) {
        case CLI_ERROR:
            free(paths);
            return EXIT_USAGE;
        case CLI_HELP:
            free(paths);
            cli_print_help(&cmd_check, stdout);
            return EXIT_OK;
        case CLI_POSITIONAL:
            paths[npaths++] = p.value;
            break;
        case 0:
            opts.strict = true;
            break;
        case 1:
            if (strcmp(p.value, "text") == 0)
                fmt = CLI_DIAG_TEXT;
            else if (strcmp(p.value, "json") == 0)
                fmt = CLI_DIAG_JSON;
            else {
                free(paths);
                return cli_usage_error(&cmd_check, "unknown format '%s' (text or json)",
                                       p.value);
            }
            break;
        case 2:
            quiet = true;
            break;
        }
    }
    sqlite3 *db;
    char *err;
    if (db_open(NULL, DB_TEMP, &db, &err) != 0) {
        fprintf(stderr, "annals check: %s\n", err);
        free(err);
        free(paths);
        return EXIT_IO;
    }
    int code = cli_load(db, paths, npaths, &opts, fmt, quiet, stdout, NULL);
    db_close(db);
    free(paths);
    return code;
}

const cli_command cmd_check = {
    "check", "validate a dataset and report every problem with its position",
    "[options] [PATH...]", options, run};
