/* main.c - the annals command table: find the command, run it, check stdout. */
#include <stdio.h>
#include <string.h>

#include "annals/cli.h"
#include "annals/util.h"
#include "commands.h"

const cli_command *const main_commands[] = {
    &cmd_check,
    &cmd_load,
    &cmd_report,
    &cmd_show,
    &cmd_actors,
    &cmd_places,
    &cmd_sources,
    &cmd_new,
    &cmd_complete,
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
        fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fputs("\n'annals COMMAND --help' lists a command's options.\n"
          "exit codes: 0 success, 1 the data has errors, 2 wrong usage,\n"
          "            3 an I/O or database failure\n", out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "help") == 0 && argc > 2) {   /* annals help COMMAND */
        for (size_t i = 0; i < NCOMMANDS; i++)
            if (strcmp(commands[i]->name, argv[2]) == 0) {
                cli_print_help(commands[i], stdout);
                return cli_finish_stdout(EXIT_OK);
            }
        name = argv[2];
    } else if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
               strcmp(name, "help") == 0) {
        print_help(stdout);
        return cli_finish_stdout(EXIT_OK);
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("annals %s\n", ANNALS_VERSION);
        return cli_finish_stdout(EXIT_OK);
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return cli_finish_stdout(commands[i]->run(argc - 2, argv + 2));
    suggest sg;
    suggest_init(&sg, name);
    for (size_t i = 0; i < NCOMMANDS; i++)
        suggest_feed(&sg, commands[i]->name);
    fprintf(stderr, "annals: unknown command '%s'%s%s%s\ntry 'annals --help'\n", name,
            sg.best ? " (did you mean '" : "", sg.best ? sg.best : "", sg.best ? "'?)" : "");
    suggest_free(&sg);
    return EXIT_USAGE;
}
