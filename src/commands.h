/* commands.h - the command table's entries, one per src/cmd_*.c file. */
#ifndef ANNALS_COMMANDS_H
#define ANNALS_COMMANDS_H

#include <stddef.h>
#include <sqlite3.h>

#include "annals/cli.h"
#include "annals/listing.h"

extern const cli_command cmd_check;
extern const cli_command cmd_load;
extern const cli_command cmd_report;
extern const cli_command cmd_show;
extern const cli_command cmd_actors;
extern const cli_command cmd_places;
extern const cli_command cmd_sources;
extern const cli_command cmd_diff;
extern const cli_command cmd_log;
extern const cli_command cmd_new;
extern const cli_command cmd_date;
extern const cli_command cmd_types;
extern const cli_command cmd_tags;
extern const cli_command cmd_roles;
extern const cli_command cmd_complete;
extern const cli_command cmd_lsp;
extern const cli_command cmd_serve;

/* The command table (src/main.c), for help and completion. */
extern const cli_command *const main_commands[];
extern const size_t main_ncommands;

/*
 * The whole of `annals actors|places|sources` (src/cmd_actors.c): options
 * --db, --format text|json|csv and PATHs, then listing_write.
 */
int cmd_run_listing(const cli_command *cmd, listing_kind kind, int argc, char **argv);

/* A listing's writer: listing_write or vocab_write, with its kind as an int. */
typedef int (*cmd_listing_writer)(sqlite3 *db, int what, listing_format fmt, FILE *out,
                                  bool color, char **err);
/* cmd_run_listing with any writer (src/cmd_actors.c); the same options and exit codes. */
int cmd_run_writer(const cli_command *cmd, cmd_listing_writer write, int what, int argc,
                   char **argv);
/* The whole of `annals types|tags|roles` (src/cmd_types.c): cmd_run_writer with vocab_write. */
int cmd_run_vocab(const cli_command *cmd, int kind, int argc, char **argv);
/* The options every listing takes: --db FILE, --format FORMAT. */
extern const cli_option cmd_listing_options[];

#endif
