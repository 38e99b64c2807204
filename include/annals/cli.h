/* cli.h - command-line plumbing shared by the commands: exit codes, options, help, output. */
#ifndef ANNALS_CLI_H
#define ANNALS_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* Exit codes (also in the man page and the README). */
enum {
    EXIT_OK = 0,      /* success */
    EXIT_DATA = 1,    /* the data has errors */
    EXIT_USAGE = 2,   /* wrong usage */
    EXIT_IO = 3       /* an I/O or database failure */
};

/* One option of a command: --name (and -s), with a value when metavar is set. */
typedef struct {
    const char *name;     /* long name without "--" */
    char short_name;      /* 0 for none */
    const char *metavar;  /* NULL: a flag */
    const char *help;
} cli_option;

/* A command: name, one-line summary, usage tail, options; run gets argv after the name. */
typedef struct {
    const char *name;
    const char *summary;
    const char *usage;        /* e.g. "[options] [PATH...]" */
    const cli_option *options; /* terminated by {NULL} */
    int (*run)(int argc, char **argv);
    void (*more_help)(FILE *out); /* printed after the options by --help; may be NULL */
} cli_command;

/* Parser state over argv[0..argc). */
typedef struct {
    int argc;
    char **argv;
    int i;
    bool only_positional;     /* after "--" */
    const char *value;        /* the value of the last option, or the positional */
} cli_parser;

#define CLI_END (-1)
#define CLI_POSITIONAL (-2)
#define CLI_ERROR (-3)
#define CLI_HELP (-4)

void cli_init(cli_parser *p, int argc, char **argv);

/*
 * The next argument: the index of an option in opts (p->value holds its
 * value), CLI_POSITIONAL (p->value is the argument), CLI_HELP for
 * -h/--help, CLI_END, or CLI_ERROR after printing a one-line message and a
 * hint to stderr for cmd.
 */
int cli_next(cli_parser *p, const cli_command *cmd);

/*
 * Parse argv[0..argc) for cmd. Each option goes to on_option(ctx, index in
 * cmd->options, value), which returns 0, or EXIT_USAGE after
 * cli_usage_error(). Positional arguments are collected in *pos (a new
 * array the caller frees) and counted in *npos.
 * Returns 0 to go on. Returns -1 when the command is over, with *pos NULL
 * (nothing to free) and *code its exit code: EXIT_OK after --help,
 * EXIT_USAGE after a usage error (already printed), EXIT_IO when out of
 * memory.
 */
int cli_parse(const cli_command *cmd, int argc, char **argv,
              int (*on_option)(void *ctx, int opt, const char *value), void *ctx,
              const char ***pos, size_t *npos, int *code);

/* Print cmd's help (usage, summary, every option) to out. */
void cli_print_help(const cli_command *cmd, FILE *out);

/* Print "annals CMD: message" and "try 'annals CMD --help'" to stderr; returns EXIT_USAGE. */
int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * A value of an option or argument that is none of choices (a
 * NULL-terminated list): "unknown format 'jsno' (did you mean 'json'?)"
 * with the closest (names.h), else "unknown format 'yaml' (text, json or
 * csv)". Printed as cli_usage_error does; returns EXIT_USAGE.
 */
int cli_unknown_value(const cli_command *cmd, const char *what, const char *value,
                      const char *const *choices);

/* True when out is a terminal and NO_COLOR is unset or empty. */
bool cli_color(FILE *out);

/*
 * Flush and close stdout; a write error (full disk, closed pipe) becomes a
 * message on stderr and EXIT_IO. Returns code otherwise.
 */
int cli_finish_stdout(int code);

#include <sqlite3.h>
#include "annals/db.h"
#include "annals/load.h"

/*
 * db_open for a command: on failure "annals CMD: why" on stderr (cmd is
 * the command's name) and EXIT_IO, with *db NULL. EXIT_OK with *db (close
 * it with db_close) otherwise.
 */
int cli_db_open(const char *cmd, const char *path, db_mode mode, sqlite3 **db);

/* How diagnostics are printed. */
typedef enum { CLI_DIAG_TEXT, CLI_DIAG_JSON } cli_diag_format;

/* The names of cli_diag_format's values, in its order, NULL-terminated. */
extern const char *const cli_diag_format_names[];

/* --format for diagnostics: "text" or "json". 0, or -1 for another name. */
int cli_diag_format_find(const char *name, cli_diag_format *fmt);

/*
 * Validate the dataset under paths (default "data" when npaths is 0) and
 * load it into db (kept only when opts->commit and there is no error).
 * Every diagnostic is printed to out (text with excerpts, or JSON), the
 * text form followed by the summary line unless quiet.
 * Returns EXIT_OK, EXIT_DATA (errors in the data) or EXIT_IO.
 */
int cli_load(sqlite3 *db, const char *const *paths, size_t npaths,
             const load_options *opts, cli_diag_format fmt, bool quiet, FILE *out,
             load_stats *stats);

/*
 * cli_load, and with lint the warnings of lint_run (check --lint) over the
 * dataset when it has no error: opts->commit must then be set (db holds the
 * dataset for lint to read; give it a temporary database). With
 * opts->strict the lint warnings are errors too (EXIT_DATA).
 */
int cli_load_lint(sqlite3 *db, const char *const *paths, size_t npaths,
                  const load_options *opts, bool lint, cli_diag_format fmt, bool quiet,
                  FILE *out, load_stats *stats);

/*
 * What check and load are told by --strict, --format (of the diagnostics)
 * and --quiet, as cli_load takes it.
 */
typedef struct {
    load_options load;
    cli_diag_format fmt;
    bool quiet;
} cli_load_settings;

/* The rows of those options in a command's table (--quiet's help is the command's). */
#define CLI_OPTION_STRICT \
    {"strict", 0, NULL, "treat warnings (such as an event with no source) as errors"}
#define CLI_OPTION_DIAG_FORMAT \
    {"format", 'f', "FORMAT", "diagnostics as 'text' (default) or 'json'"}

/*
 * Take cmd's option opt (its index in cmd->options) into s when it is
 * --strict, --format or --quiet; any other option is left to the caller.
 * Returns EXIT_OK, or EXIT_USAGE after cli_unknown_value for a format that
 * is neither text nor json. Call it from cli_parse's on_option.
 */
int cli_load_option(const cli_command *cmd, int opt, const char *value, cli_load_settings *s);

/* The --db row of a reading command's options (cli_open_dataset). */
#define CLI_OPTION_DB \
    {"db", 'd', "FILE", "read this database (default: annals.db if it exists, else load data/)"}

/*
 * The database a reading command (report, show, the listings) works on:
 * the database dbpath when given (read only); else the dataset under
 * paths, validated and loaded into a temporary database (diagnostics on
 * stderr); with neither, annals.db when it exists, else the dataset under
 * "data". dbpath and paths together are a usage error. Returns EXIT_OK
 * with *db (close it with db_close), or the exit code after printing why
 * (*db NULL): EXIT_DATA when the dataset has errors, EXIT_USAGE, EXIT_IO.
 */
int cli_open_dataset(const cli_command *cmd, const char *dbpath, const char *const *paths,
                     size_t npaths, sqlite3 **db);

/*
 * cli_parse, then cli_open_dataset with *dbpath (where on_option keeps
 * --db; read once parsing is done) and the positional arguments as the
 * dataset's paths: the start of a command that reads a database and takes
 * no other argument. Returns 0 with *db open (close it with db_close), or
 * -1 when the command is over, with *code its exit code (EXIT_OK after
 * --help) and *db NULL.
 */
int cli_parse_open(const cli_command *cmd, int argc, char **argv,
                   int (*on_option)(void *ctx, int opt, const char *value), void *ctx,
                   const char *const *dbpath, sqlite3 **db, int *code);

#endif
