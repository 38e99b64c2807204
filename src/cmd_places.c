/* cmd_places.c - `annals places`: every place with its event count (the runner is in cmd_actors.c). */
#include "annals/cli.h"
#include "annals/listing.h"
#include "commands.h"

static int run(int argc, char **argv)
{
    return cmd_run_listing(&cmd_places, LISTING_PLACES, argc, argv);
}

const cli_command cmd_places = {
    "places", "list the places: kind, within, aliases and how many events name each",
    "[--db FILE | PATH...] [--format FORMAT]", cmd_listing_options, run, NULL};
