/* commands.h - the command table's entries, one per src/cmd_*.c file. */
#ifndef ANNALS_COMMANDS_H
#define ANNALS_COMMANDS_H

#include "annals/cli.h"

extern const cli_command cmd_check;
extern const cli_command cmd_load;

#endif
