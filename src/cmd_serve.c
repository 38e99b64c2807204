/* cmd_serve.c - `annals serve`: a local, interactive timeline over the database, refreshed when the files change. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "annals/cli.h"
#include "annals/db.h"
#include "annals/http.h"
#include "annals/serve.h"
#include "annals/util.h"
#include "commands.h"

#define DEFAULT_PORT 8470

static const cli_option options[] = {
    {"db", 'd', "FILE", "serve this database, read only (default: annals.db if it exists, "
                        "else load and watch data/)"},
    {"host", 0, "ADDR", "listen on this address (default: 127.0.0.1; another one is reachable "
                        "from elsewhere: a warning says so)"},
    {"port", 'p', "N", "listen on this port (default: 8470; 0: any free port)"},
    {"editor", 0, "TEMPLATE", "the page's \"open in editor\" link, with {path} and {line}, e.g. "
                              "'vscode://file{path}:{line}' (default: none)"},
    {NULL, 0, NULL, NULL}};

enum { O_DB, O_HOST, O_PORT, O_EDITOR };

typedef struct {
    const char *db, *host, *editor;
    unsigned port;
} settings;

static int on_option(void *ctx, int opt, const char *value)
{
    settings *s = ctx;
    char *end;
    unsigned long v;
    switch (opt) {
    case O_DB: s->db = value; break;
    case O_HOST: s->host = value; break;
    case O_EDITOR: s->editor = value; break;
    case O_PORT:
        errno = 0;
        v = strtoul(value, &end, 10);
        if (errno || end == value || *end || v > 65535 || value[0] == '-')
            return cli_usage_error(&cmd_serve, "--port needs a port number from 0 to 65535, "
                                   "not '%s'", value);
        s->port = (unsigned)v;
        break;
    }
    return EXIT_OK;
}

static void more_help(FILE *out)
{
    fputs("\nThe first line on standard output is the URL served. With PATHs (or data/),\n"
          "the files are loaded into a database of its own and watched: a change is\n"
          "loaded again and open pages refresh; a load with errors keeps the last good\n"
          "content and shows the errors on the page. With --db, another 'annals load'\n"
          "into the database refreshes open pages too, and so does a new file in its\n"
          "place (removed and loaded again, or another database renamed over it): it\n"
          "is served once it holds a whole load; while there is none, the page keeps\n"
          "what the old one held. Ctrl-C stops the server.\n"
          "\nJSON API (the page uses it): /api/events, /api/facets, /api/extent,\n"
          "/api/events/ID, /api/actors, /api/places, /api/sources; filters as in\n"
          "'annals report': actor role region from to type tag text source, and\n"
          "limit, offset.\n", out);
}

/* A private directory for the database of the loaded files; removed at the end. */
static char *make_workdir(void)
{
    const char *tmp = getenv("TMPDIR");
    char *dir = str_printf("%s/annals-serve-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (dir && !mkdtemp(dir)) {
        free(dir);
        return NULL;
    }
    return dir;
}

static void remove_workdir(char *dir, const char *dbpath)
{
    if (!dir)
        return;
    const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        char *p = str_printf("%s%s", dbpath, suffixes[i]);
        if (p)
            unlink(p);
        free(p);
    }
    rmdir(dir);
    free(dir);
}

static int serve(const settings *s, const char **paths, size_t npaths)
{
    const cli_command *cmd = &cmd_serve;
    if (s->db && npaths)
        return cli_usage_error(cmd, "give either --db FILE or dataset paths, not both");
    const char *dbpath = s->db;
    struct stat sb;
    if (!dbpath && !npaths && stat("annals.db", &sb) == 0)
        dbpath = "annals.db";
    static const char *const default_paths[] = {"data"};
    if (!dbpath && !npaths) {
        paths = (const char **)default_paths;
        npaths = 1;
    }
    /* Every thread started from here on leaves SIGINT and SIGTERM to sigwait below. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    char *err = NULL, *workdir = NULL, *own_db = NULL;
    int code = EXIT_OK;
    if (dbpath) {
        sqlite3 *probe;      /* refuse a file that is no annals database now, not per request */
        if (cli_db_open(cmd_serve.name, dbpath, DB_READ, &probe) != EXIT_OK)
            return EXIT_IO;
        db_close(probe);
    } else {
        for (size_t i = 0; i < npaths; i++) {
            if (stat(paths[i], &sb) != 0) {
                fprintf(stderr, "annals serve: cannot read '%s': %s\n", paths[i],
                        strerror(errno));
                return EXIT_IO;
            }
        }
        if (!(workdir = make_workdir()) || !(own_db = str_printf("%s/annals.db", workdir))) {
            fprintf(stderr, "annals serve: cannot make a temporary directory: %s\n",
                    strerror(errno));
            remove_workdir(workdir, "");
            return EXIT_IO;
        }
        dbpath = own_db;
    }
    serve_state st;
    if (serve_state_init(&st, dbpath, s->editor, !s->db && own_db) != 0) {
        fputs("annals serve: out of resources\n", stderr);
        remove_workdir(workdir, own_db);
        free(own_db);
        return EXIT_IO;
    }
    /* The files (paths given), or the database (--db: another load) are watched. */
    serve_watch *w = own_db ? serve_watch_start(&st, own_db, paths, npaths, stderr, &err)
                            : serve_watch_db_start(&st, &err);
    if (!w) {
        fprintf(stderr, "annals serve: %s\n", err);
        free(err);
        serve_state_free(&st);
        remove_workdir(workdir, own_db);
        free(own_db);
        return EXIT_IO;
    }
    if (serve_state_warm(&st) != 0)
        fputs("annals serve: warning: cannot start the thread that prepares the first answers; "
              "they are computed when asked\n", stderr);
    const char *host = s->host ? s->host : "127.0.0.1";
    http_server *srv = http_start(host, s->port, serve_handle, &st, &err);
    if (!srv) {
        fprintf(stderr, "annals serve: %s\n", err);
        free(err);
        code = EXIT_IO;
    } else {
        printf("%s\n", http_url(srv));
        fflush(stdout);
        if (strcmp(host, "127.0.0.1") != 0 && strcmp(host, "::1") != 0 &&
            strcmp(host, "localhost") != 0)
            fprintf(stderr, "annals serve: warning: listening on %s: anyone who can reach this "
                            "address can read the whole database\n", host);
        int sig = 0;
        sigwait(&stop, &sig);
        fprintf(stderr, "annals serve: stopping (%s)\n", sig == SIGINT ? "interrupted"
                                                                       : "terminated");
    }
    serve_state_stop(&st);
    http_stop(srv);
    serve_watch_stop(w);
    serve_state_free(&st);
    remove_workdir(workdir, own_db);
    free(own_db);
    return code;
}

static int run(int argc, char **argv)
{
    settings s = {.port = DEFAULT_PORT};
    const char **paths;
    size_t npaths;
    int code;
    if (cli_parse(&cmd_serve, argc, argv, on_option, &s, &paths, &npaths, &code) == 0)
        code = serve(&s, paths, npaths);
    free(paths);
    return code;
}

const cli_command cmd_serve = {
    "serve", "serve an interactive timeline of the database to a browser, on this machine",
    "[--db FILE | PATH...] [--host ADDR] [--port N] [--editor TEMPLATE]", options, run,
    more_help};
