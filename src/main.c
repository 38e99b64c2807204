/* main.c - the annals command table: find the command, run it, check stdout. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "annals/cli.h"
#include "annals/names.h"
#include "commands.h"

const cli_command *const main_commands[] = {
    &cmd_check,
    &cmd_load,
    &cmd_report,
    &cmd_show,
    &cmd_actors,
    &cmd_places,
    &cmd_sources,
    &cmd_types,
    &cmd_tags,
    &cmd_roles,
    &cmd_diff,
    &cmd_log,
    &cmd_new,
    &cmd_date,
    &cmd_serve,
    &cmd_complete,
    &cmd_lsp,
};
#define NCOMMANDS (sizeof(main_commands) / sizeof(main_commands[0]))
const size_t main_ncommands = NCOMMANDS;
#define commands main_commands

static void print_help(FILE *out)
{
    fputs("usage: annals [--version] [--help] COMMAND [options] [args]\n\n"
          "Hand-curated YAML files of dated facts -> a validated SQLite event database\n"
          "-> chronological timelines.\n\ncommands:\n", out);
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (commands[i] != &cmd_complete)   /* plumbing for the completion scripts */
            fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fputs("\n'annals COMMAND --help' or 'annals help COMMAND' lists a command's options;\n"
          "'man annals' has them all, with the date forms and examples.\n"
          "exit codes: 0 success, 1 the data has errors, 2 wrong usage,\n"
          "            3 an I/O or database failure\n", out);
}

static const cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static bool is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0 || strcmp(arg, "help") == 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    const cli_command *cmd;
    if (strcmp(name, "help") == 0 && argc > 2) {   /* annals help COMMAND */
        if ((cmd = find_command(argv[2])) != NULL) {
            cli_print_help(cmd, stdout);
            return cli_finish_stdout(EXIT_OK);
        }
        name = argv[2];
    }
    if (is_help(name)) {
        print_help(stdout);
        return cli_finish_stdout(EXIT_OK);
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("annals %s\n", ANNALS_VERSION);
        return cli_finish_stdout(EXIT_OK);
    }
    if ((cmd = find_command(name)) != NULL)
        return cli_finish_stdout(cmd->run(argc - 2, argv + 2));
    if (name[0] == '-') {
        fprintf(stderr, "annals: unknown option '%s'\ntry 'annals --help'\n", name);
        return EXIT_USAGE;
    }
    const char *names[NCOMMANDS + 1] = {NULL};
    for (size_t i = 0; i < NCOMMANDS; i++)
        names[i] = commands[i]->name;
    const char *best = names_closest_in(name, names);
    fprintf(stderr, "annals: unknown command '%s'%s%s%s\ntry 'annals --help'\n", name,
            best ? " (did you mean '" : "", best ? best : "", best ? "'?)" : "");
    return EXIT_USAGE;
}
