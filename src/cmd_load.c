/* cmd_load.c - `annals load`: validate a dataset and replace a database's content with it, atomically. */
#include <stdlib.h>
#include <unistd.h>

#include "annals/cli.h"
#include "annals/db.h"
#include "commands.h"

static const cli_option options[] = {
    {"db", 'd', "FILE", "the database to write (default: annals.db)"},
    CLI_OPTION_STRICT,
    CLI_OPTION_DIAG_FORMAT,
    {"quiet", 'q', NULL, "print nothing on success"},
    {NULL, 0, NULL, NULL}};

enum { O_DB, O_STRICT, O_FORMAT, O_QUIET };

typedef struct {
    const char *db;
    cli_load_settings ls;
} settings;

static int on_option(void *ctx, int opt, const char *value)
{
    settings *s = ctx;
    if (opt == O_DB)
        s->db = value;
    return cli_load_option(&cmd_load, opt, value, &s->ls);
}

static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

/* On a terminal, when the load has to wait for another one to finish. */
static void say_waiting(void *ctx)
{
    fprintf(stderr, "annals load: waiting for another load of %s to finish\n",
            (const char *)ctx);
}

/* Open the database, load, and say what happened. */
static int load(const settings *s, const char **paths, size_t npaths)
{
    sqlite3 *db;
    if (cli_db_open(cmd_load.name, s->db, DB_WRITE, &db) != EXIT_OK)
        return EXIT_IO;
    /* A second load of the same database waits for the first, then runs. */
    db_waiter waiter = {.notice = isatty(STDERR_FILENO) ? say_waiting : NULL,
                        .ctx = (void *)s->db, .timeout_ms = DB_LOAD_WAIT_MS};
    db_set_waiter(db, &waiter);
    load_stats st;
    bool json = s->ls.fmt == CLI_DIAG_JSON;
    int code = cli_load(db, paths, npaths, &s->ls.load, s->ls.fmt, true, json ? stdout : stderr,
                        &st);
    if (code == EXIT_OK)
        db_empty_wal(db, DB_BUSY_TIMEOUT_MS);   /* best effort: see db.h */
    db_close(db);
    if (code == EXIT_OK && !s->ls.quiet && !json)
        printf("loaded %zu event%s, %zu actor%s, %zu place%s, %zu source%s from %zu file%s "
               "into %s\n", st.events, plural(st.events), st.actors, plural(st.actors),
               st.places, plural(st.places), st.sources, plural(st.sources), st.files,
               plural(st.files), s->db);
    else if (code != EXIT_OK && !json)
        fprintf(stderr, "annals load: nothing written; %s is unchanged\n", s->db);
    return code;
}

static int run(int argc, char **argv)
{
    settings s = {.db = "annals.db", .ls = {.load = {.commit = true}, .fmt = CLI_DIAG_TEXT}};
    const char **paths;
    size_t npaths;
    int code;
    if (cli_parse(&cmd_load, argc, argv, on_option, &s, &paths, &npaths, &code) == 0)
        code = load(&s, paths, npaths);
    free(paths);
    return code;
}

const cli_command cmd_load = {
    "load", "validate a dataset and replace the database's content with it, atomically",
    "[options] [PATH...]", options, run, NULL};
