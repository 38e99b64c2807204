/* cmd_roles.c - `annals roles`: the actor roles in use with their counts (the runner is in cmd_types.c). */
#include "annals/cli.h"
#include "annals/vocab.h"
#include "commands.h"

static int run(int argc, char **argv)
{
    return cmd_run_vocab(&cmd_roles, VOCAB_ROLES, argc, argv);
}

const cli_command cmd_roles = {
    "roles", "list the roles actors play in events, with how many events and actors have each",
    "[--db FILE | PATH...] [--format FORMAT]", cmd_listing_options, run, NULL};
