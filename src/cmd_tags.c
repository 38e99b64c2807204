/* cmd_tags.c - `annals tags`: the tags in use with their counts (the runner is in cmd_types.c). */
#include "annals/cli.h"
#include "annals/vocab.h"
#include "commands.h"

static int run(int argc, char **argv)
{
    return cmd_run_vocab(&cmd_tags, VOCAB_TAGS, argc, argv);
}

const cli_command cmd_tags = {
    "tags", "list the tags in use and how many events have each",
    "[--db FILE | PATH...] [--format FORMAT]", cmd_listing_options, run, NULL};
