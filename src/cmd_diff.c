/* cmd_diff.c - `annals diff`: what changed between two versions of a dataset, record by record. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "annals/cli.h"
#include "annals/diff.h"
#include "annals/gitrev.h"
#include "annals/util.h"
#include "commands.h"
#include "diff_side.h"

static const cli_option options[] = {
    {"format", 'f', "FORMAT", "text (default), markdown (a pull-request comment) or json"},
    {"exit-code", 0, NULL, "exit with 1 when there are differences, 0 when there are none"},
    {"moves", 0, NULL, "also list records that only moved to another file or line"},
    {"db", 'd', "FILE", "an annals database to start from, read only (default: annals.db if it "
                        "exists)"},
    {"actor", 'a', "ACTOR", "only events of this actor (or of an actor part of it), on either side"},
    {"region", 'r', "PLACE", "only events in this place (or a place within it), on either side"},
    {"from", 0, "DATE", "only events that overlap the time from this EDTF date on"},
    {"to", 0, "DATE", "only events that overlap the time up to this EDTF date"},
    {"type", 't', "TYPE", "only events of this type"},
    {"tag", 0, "TAG", "only events with this tag"},
    {NULL, 0, NULL, NULL}};

enum { O_FORMAT, O_EXIT_CODE, O_MOVES, O_DB, O_ACTOR, O_REGION, O_FROM, O_TO, O_TYPE, O_TAG };

typedef struct {
    diff_format fmt;
    bool exit_code, moves, filtered;
    const char *db;      /* --db, or NULL */
    query_filter f;
} settings;

static int on_option(void *ctx, int opt, const char *value)
{
    settings *s = ctx;
    switch (opt) {
    case O_FORMAT:
        if (diff_format_find(value, &s->fmt) != 0)
            return cli_usage_error(&cmd_diff, "unknown format '%s' (text, markdown or json)",
                                   value);
        break;
    case O_EXIT_CODE: s->exit_code = true; break;
    case O_MOVES: s->moves = true; break;
    case O_DB: s->db = value; break;
    case O_ACTOR: s->f.actor = value; break;
    case O_REGION: s->f.region = value; break;
    case O_FROM: s->f.from = value; break;
    case O_TO: s->f.to = value; break;
    case O_TYPE: s->f.type = value; break;
    case O_TAG: s->f.tag = value; break;
    }
    if (opt >= O_ACTOR)
        s->filtered = true;
    return EXIT_OK;
}

static void more_help(FILE *out)
{
    fputs("\nOLD and NEW are each a dataset (files or directories), an annals database,\n"
          "or REV:PATH (PATH as it is at git revision REV, from the top of the\n"
          "repository, read through git; the working tree is not touched).\n"
          "'annals diff REV [PATH]' compares REV:PATH with PATH as it is now\n"
          "(PATH: default data).\n"
          "Records are matched by id; a record removed and one added of the same kind\n"
          "are one record renamed when all their fields are equal (references read\n"
          "under the new ids), or else when they alone have that name or title.\n"
          "A record that only moved to another file or line has not changed.\n"
          "exit codes: 0 done (with --exit-code: no differences), 1 a side has errors\n"
          "            (with --exit-code: or there are differences), 2 wrong usage, 3 I/O\n",
          out);
}

/*
 * The two sides from the positional arguments: OLD NEW, or REV [PATH].
 * Returns EXIT_OK, or EXIT_USAGE / EXIT_IO after printing why.
 */
static int parse_sides(const char **pos, size_t npos, side *old, side *new)
{
    const cli_command *cmd = &cmd_diff;
    if (npos == 0 || npos > 2)
        return cli_usage_error(cmd, npos ? "too many arguments (OLD NEW, or REV [PATH])"
                                         : "what to compare? (OLD NEW, or REV [PATH])");
    struct stat st;
    bool rev_form = npos == 1 || (stat(pos[0], &st) != 0 && !strchr(pos[0], ':') &&
                                  gitrev_is_revision(pos[0]));
    if (rev_form) {
        const char *path = npos == 2 ? pos[1] : "data";
        if (path[0] == '/')
            return cli_usage_error(cmd, "give PATH relative to the current directory: '%s'",
                                   path);
        if (!gitrev_is_revision(pos[0]))
            return cli_usage_error(cmd, "'%s' is not a git revision here%s", pos[0],
                                   stat(pos[0], &st) == 0 ? " (to compare two datasets, "
                                                            "give both: annals diff OLD NEW)"
                                                          : "");
        bool dotted = strncmp(path, "./", 2) == 0 || strncmp(path, "../", 3) == 0;
        char *gitpath = str_printf("%s%s", dotted ? "" : "./", path);
        char *name = str_printf("%s:%s", pos[0], path);
        int rc = gitpath && name ? side_git(pos[0], gitpath, name, old) : -1;
        free(gitpath);
        free(name);
        if (rc != 0 || side_parse(path, new) == -2) {
            fputs("annals diff: out of memory\n", stderr);
            return EXIT_IO;
        }
        if (!new->name)
            return cli_usage_error(cmd, "no dataset at '%s'", path);
        return EXIT_OK;
    }
    for (size_t i = 0; i < 2; i++) {
        side *s = i ? new : old;
        int rc = side_parse(pos[i], s);
        if (rc == -2) {
            fputs("annals diff: out of memory\n", stderr);
            return EXIT_IO;
        }
        if (rc == -1)
            return cli_usage_error(cmd, "'%s' is not a dataset, a database%s", pos[i],
                                   i == 0 ? ", REV:PATH or a git revision" : " or REV:PATH");
    }
    return EXIT_OK;
}

/* Do both sides name the same dataset or database on disk? */
static bool same_files(const side *a, const side *b)
{
    if (a->type != b->type || a->type == SIDE_GIT)
        return false;
    char *ra = realpath(a->path, NULL), *rb = realpath(b->path, NULL);
    bool yes = ra && rb && strcmp(ra, rb) == 0;
    free(ra);
    free(rb);
    return yes;
}

static int run(int argc, char **argv)
{
    settings s = {.fmt = DIFF_FORMAT_TEXT};
    const char **pos;
    size_t npos;
    int code;
    if (cli_parse(&cmd_diff, argc, argv, on_option, &s, &pos, &npos, &code) != 0)
        return code;
    side old = {0}, new = {0};
    code = parse_sides(pos, npos, &old, &new);
    free(pos);
    gitrev_dir *gd = NULL;
    char *err = NULL;
    bool same = false;
    /* --db, or annals.db when OLD is not a database: a starting point for OLD. */
    side cache = {0};
    bool cached = false;
    if (code == EXIT_OK && (s.db || old.type != SIDE_DATABASE)) {
        cached = side_cache(&cache, s.db, "diff") == 0;
        if (!cached && s.db)
            code = EXIT_IO;
    }
    if (code == EXIT_OK && (old.type == SIDE_GIT || new.type == SIDE_GIT) &&
        !(gd = gitrev_dir_new(&err))) {
        fprintf(stderr, "annals diff: %s\n", err);
        free(err);
        code = EXIT_IO;
    }
    if (code == EXIT_OK) {
        /* Both sides are checked, so that all their errors are shown at once. */
        /* annals.db, when it mirrors OLD's files, spares reading them. */
        /* The same files on both sides: checked once, nothing to compare. */
        same = !s.filtered && same_files(&old, &new);
        old.check_only = same;
        int c_old = side_open(&old, gd, cached ? &cache : NULL, "diff");
        int c_new = same ? c_old : side_open(&new, gd, c_old == EXIT_OK ? &old : NULL, "diff");
        code = c_old != EXIT_OK ? c_old : c_new;
        if (c_old == EXIT_DATA || c_new == EXIT_DATA)
            fprintf(stderr, "annals diff: %s%s%s %s errors; nothing compared\n",
                    c_old == EXIT_DATA ? old.name : "",
                    c_old == EXIT_DATA && c_new == EXIT_DATA ? " and " : "",
                    c_new == EXIT_DATA ? new.name : "",
                    c_old == EXIT_DATA && c_new == EXIT_DATA ? "have" : "has");
    }
    diff_result *r = NULL;
    if (code == EXIT_OK && same && !(r = calloc(1, sizeof(*r)))) {
        fputs("annals diff: out of memory\n", stderr);
        code = EXIT_IO;
    } else if (code == EXIT_OK && !same) {
        diff_side a = {old.db, side_root(&old)}, b = {new.db, side_root(&new)};
        diff_options o = {.moves = s.moves, .filter = s.filtered ? &s.f : NULL};
        int rc = diff_compare(&a, &b, &o, &r, &err);
        if (rc != 0) {
            fprintf(stderr, "annals diff: %s\n", err ? err : "out of memory");
            free(err);
            code = rc == QUERY_EFILTER ? EXIT_USAGE : EXIT_IO;
        }
    }
    if (r) {
        diff_render_options ro = {old.name, new.name,
                                  s.fmt == DIFF_FORMAT_TEXT && cli_color(stdout), s.moves};
        diff_render(stdout, r, s.fmt, &ro);
        if (s.exit_code && !diff_result_empty(r))
            code = EXIT_DATA;
        diff_result_free(r);
    }
    side_close(&cache);
    side_close(&old);
    side_close(&new);
    gitrev_dir_remove(gd);
    return code;
}

const cli_command cmd_diff = {
    "diff", "show what changed between two versions of a dataset, record by record",
    "[options] OLD NEW | [options] REV [PATH]", options, run, more_help};
