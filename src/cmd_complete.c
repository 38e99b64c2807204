/* cmd_complete.c - `annals complete WHAT` (hidden): words for the shell completion scripts. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annals/cli.h"
#include "annals/db.h"
#include "annals/render.h"
#include "commands.h"

static const cli_option options[] = {
    {"db", 'd', "FILE", "the database whose ids to list (default: annals.db)"},
    {NULL, 0, NULL, NULL}};

static int on_option(void *ctx, int opt, const char *value)
{
    (void)opt;
    *(const char **)ctx = value;
    return EXIT_OK;
}

/* Ids of a kind (or types, tags, roles) from the database; a missing database lists nothing. */
static int ids(const char *dbpath, const char *what)
{
    static const struct {
        const char *what, *sql;
    } kinds[] = {
        {"actors", "SELECT id FROM actors ORDER BY id"},
        {"places", "SELECT id FROM places ORDER BY id"},
        {"sources", "SELECT id FROM sources ORDER BY id"},
        {"events", "SELECT id FROM events ORDER BY id"},
        {"ids", "SELECT id FROM actors UNION SELECT id FROM places UNION SELECT id FROM "
                "sources UNION SELECT id FROM events ORDER BY 1"},
        {"types", "SELECT DISTINCT type FROM events WHERE type IS NOT NULL ORDER BY 1"},
        {"tags", "SELECT DISTINCT tag FROM event_tags ORDER BY 1"},
        {"roles", "SELECT DISTINCT role FROM event_actors WHERE role IS NOT NULL ORDER BY 1"},
    };
    size_t k = 0;
    while (k < sizeof(kinds) / sizeof(kinds[0]) && strcmp(kinds[k].what, what) != 0)
        k++;
    if (k == sizeof(kinds) / sizeof(kinds[0]))
        return cli_usage_error(&cmd_complete, "unknown word list '%s'", what);
    sqlite3 *db;
    char *err;
    if (db_open(dbpath, DB_READ, &db, &err) != 0) {
        free(err);
        return EXIT_OK;     /* no database yet: nothing to complete */
    }
    sqlite3_stmt *st;
    if (db_prepare(db, kinds[k].sql, &st, &err) == 0) {
        while (sqlite3_step(st) == SQLITE_ROW)
            puts((const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    } else {
        free(err);
    }
    db_close(db);
    return EXIT_OK;
}

static bool has_format(const cli_command *cmd)
{
    for (const cli_option *o = cmd->options; o && o->name; o++)
        if (strcmp(o->name, "format") == 0)
            return true;
    return false;
}

static int run(int argc, char **argv)
{
    const char *dbpath = "annals.db", **args;
    size_t n;
    int code;
    if (cli_parse(&cmd_complete, argc, argv, on_option, &dbpath, &args, &n, &code) != 0)
        return code;
    const char *what = n ? args[0] : "commands";
    const char *arg = n > 1 ? args[1] : NULL;
    free(args);
    if (strcmp(what, "commands") == 0) {
        for (size_t i = 0; i < main_ncommands; i++)
            if (main_commands[i] != &cmd_complete)   /* hidden: not for people */
                puts(main_commands[i]->name);
        return EXIT_OK;
    }
    if (strcmp(what, "options") == 0 || strcmp(what, "formats") == 0) {
        const cli_command *cmd = NULL;
        for (size_t i = 0; arg && i < main_ncommands; i++)
            if (strcmp(main_commands[i]->name, arg) == 0)
                cmd = main_commands[i];
        if (!cmd)
            return cli_usage_error(&cmd_complete, "options of which command?");
        if (what[0] == 'o') {
            for (const cli_option *o = cmd->options; o && o->name; o++)
                printf("--%s\n", o->name);
            puts("--help");
        } else if (!has_format(cmd)) {
            /* no --format: no words */
        } else if (cmd == &cmd_report) {
            for (const render_format *f = render_formats; f->name; f++)
                puts(f->name);
        } else if (cmd == &cmd_diff || cmd == &cmd_log) {
            puts("text\nmarkdown\njson");
        } else {
            const char *const *names = cmd == &cmd_check || cmd == &cmd_load || cmd == &cmd_date
                                           ? cli_diag_format_names : listing_format_names;
            for (size_t i = 0; names[i]; i++)
                puts(names[i]);
        }
        return EXIT_OK;
    }
    return ids(dbpath, what);
}

const cli_command cmd_complete = {
    "complete", "print words for the shell completion scripts, one a line (ids from the database)",
    "[commands | options CMD | formats CMD | actors | places | sources | events | ids |\n"
    "                       types | tags | roles] [--db FILE]", options, run, NULL};
