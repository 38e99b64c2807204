/* cmd_sources.c - `annals sources`: every source with its event count (the runner is in cmd_actors.c). */
#include "annals/cli.h"
#include "annals/listing.h"
#include "commands.h"

static int run(int argc, char **argv)
{
    return cmd_run_listing(&cmd_sources, LISTING_SOURCES, argc, argv);
}

const cli_command cmd_sources = {
    "sources", "list the sources: title, publication, URL and how many events cite each",
    "[--db FILE | PATH...] [--format FORMAT]", cmd_listing_options, run, NULL};
