/* cmd_places.c - `annals places`: every place with its event count (the runner is in cmd_actors.c). */
#include "annals/cli.h"
#include "annals/listing.h"
#include "commands.h"

static const cli_option options[] = {
    {"db", 'd', "FILE", "read this database (default: annals.db if it exists, else load data/)"},
    {"format", 'f', "FORMAT", "text (default), json or csv"},
    {NULL, 0, NULL, NULL}};

static int run(int argc, char **argv)
{
    return cmd_run_listing(&cmd_places, LISTING_PLACES, argc, argv);
}

const cli_command cmd_places = {
    "places", "list the places: kind, within, aliases and how many events name each",
    "[--db FILE | PATH...] [--format FORMAT]", options, run};
