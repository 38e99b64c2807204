/* cmd_types.c - `annals types`: the event types in use with their counts; also the runner tags and roles share. */
#include "annals/cli.h"
#include "annals/vocab.h"
#include "commands.h"

static int write_vocab(sqlite3 *db, int what, listing_format fmt, FILE *out, bool color,
                       char **err)
{
    return vocab_write(db, (vocab_kind)what, fmt, out, color, err);
}

int cmd_run_vocab(const cli_command *cmd, int kind, int argc, char **argv)
{
    return cmd_run_writer(cmd, write_vocab, kind, argc, argv);
}

static int run(int argc, char **argv)
{
    return cmd_run_vocab(&cmd_types, VOCAB_TYPES, argc, argv);
}

const cli_command cmd_types = {
    "types", "list the event types in use and how many events have each",
    "[--db FILE | PATH...] [--format FORMAT]", cmd_listing_options, run, NULL};
