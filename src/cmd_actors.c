/* cmd_actors.c - `annals actors`: every actor with its event count; also the listing runner places and sources share. */
#include <stdlib.h>
#include <string.h>

#include "annals/cli.h"
#include "annals/db.h"
#include "annals/listing.h"
#include "commands.h"

const cli_option cmd_listing_options[] = {
    CLI_OPTION_DB,
    {"format", 'f', "FORMAT", "text (default), json or csv"},
    {NULL, 0, NULL, NULL}};

typedef struct {
    const cli_command *cmd;
    const char *db;
    listing_format fmt;
} listing_settings;

static int on_listing_option(void *ctx, int opt, const char *value)
{
    listing_settings *s = ctx;
    if (opt == 0)
        s->db = value;
    else if (listing_format_find(value, &s->fmt) != 0)
        return cli_unknown_value(s->cmd, "format", value, listing_format_names);
    return EXIT_OK;
}

/* The options of every listing are those above: --db (0) and --format (1). */
int cmd_run_writer(const cli_command *cmd, cmd_listing_writer write, int what, int argc,
                   char **argv)
{
    listing_settings s = {.cmd = cmd, .fmt = LISTING_TEXT};
    sqlite3 *db;
    int code;
    if (cli_parse_open(cmd, argc, argv, on_listing_option, &s, &s.db, &db, &code) != 0)
        return code;
    char *err = NULL;
    if (write(db, what, s.fmt, stdout, s.fmt == LISTING_TEXT && cli_color(stdout), &err) != 0) {
        fprintf(stderr, "annals %s: %s\n", cmd->name, err);
        free(err);
        code = EXIT_IO;
    }
    db_close(db);
    return code;
}

static int write_listing(sqlite3 *db, int what, listing_format fmt, FILE *out, bool color,
                         char **err)
{
    return listing_write(db, (listing_kind)what, fmt, out, color, err);
}

int cmd_run_listing(const cli_command *cmd, listing_kind kind, int argc, char **argv)
{
    return cmd_run_writer(cmd, write_listing, (int)kind, argc, argv);
}

static int run(int argc, char **argv)
{
    return cmd_run_listing(&cmd_actors, LISTING_ACTORS, argc, argv);
}

const cli_command cmd_actors = {
    "actors", "list the actors: kind, part_of, aliases and how many events name each",
    "[--db FILE | PATH...] [--format FORMAT]", cmd_listing_options, run, NULL};
