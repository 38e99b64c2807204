/* cmd_log.c - `annals log ID [PATH]`: the history of one record through the commits that changed it.
 *
 * git lists the commits that changed PATH (first parents, newest first).
 * Each commit's dataset is compared with its parent's, only for the
 * record. The newest tree is written out whole; each older one is made
 * from the one before it, git writing only the files the commit changed
 * (side_git_move), and its database starts as a copy of the commit's with
 * only those files read again. The tree at a commit's parent is the tree
 * of the next commit listed, so each state is loaded once. A rename is
 * followed: older commits are searched under the old id.
 */
#include <stdlib.h>
#include <string.h>

#include "annals/cli.h"
#include "annals/diff.h"
#include "annals/gitrev.h"
#include "annals/render.h"
#include "annals/util.h"
#include "commands.h"
#include "diff_side.h"

static const cli_option options[] = {
    {"format", 'f', "FORMAT", "text (default), markdown or json"},
    {NULL, 0, NULL, NULL}};

static int on_option(void *ctx, int opt, const char *value)
{
    (void)opt;   /* the only option: --format */
    if (diff_format_find(value, ctx) != 0)
        return cli_usage_error(&cmd_log, "unknown format '%s' (text, markdown or json)", value);
    return EXIT_OK;
}

static void more_help(FILE *out)
{
    fputs("\nThe commits that changed the record with this id (an event, actor, place or\n"
          "source) in the dataset PATH (default: data), newest first, following first\n"
          "parents as 'git log --first-parent -- PATH' does: commit, date, author,\n"
          "subject, and what the commit changed in the record, field by field.\n"
          "Renames are followed. A commit whose dataset has errors gets its\n"
          "diagnostics; what it changed is shown with the commit after it.\n", out);
}

/* What one commit did to the record. */
typedef struct {
    const gitrev_commit *commit;
    diff_kind kind;
    const char *change;      /* "added", "removed", "renamed", "changed" */
    const char *from;        /* renamed: the old id */
    const char *id;          /* the id after the commit */
    const diff_entry *fields;   /* the entry with the field changes, or NULL */
} step;

/* ---- Output ----------------------------------------------------------------------- */

typedef struct {
    FILE *out;
    diff_format fmt;
    bool color;
    const char *id;
    size_t shown;
    /* Older commits whose changes are shown with the one shown (their
     * datasets have errors, so they cannot be compared one by one). */
    const gitrev_commit *also;
    size_t nalso;
} log_out;

/* " (with 2 earlier commits whose datasets have errors: abc..., def...)" */
static void text_also(const log_out *o)
{
    if (!o->nalso)
        return;
    fprintf(o->out, " (with %zu earlier commit%s whose dataset%s errors:", o->nalso,
            o->nalso == 1 ? "" : "s", o->nalso == 1 ? " has" : "s have");
    for (size_t i = 0; i < o->nalso; i++)
        fprintf(o->out, "%s %.12s", i ? "," : "", o->also[i].hash);
    putc(')', o->out);
}

static void text_step(log_out *o, const step *s)
{
    FILE *out = o->out;
    const gitrev_commit *c = s->commit;
    fprintf(out, "%scommit %s%s\n", o->color ? SGR_YELLOW : "", c->hash,
            o->color ? SGR_RESET : "");
    fputs("Author: ", out);
    render_plain(out, c->author);
    fprintf(out, "\nDate:   %s\n\n    ", c->date);
    render_plain(out, c->subject);
    fprintf(out, "\n\n  %s %s ", s->change, diff_kind_name(s->kind, false));
    if (s->from) {
        render_plain(out, s->from);
        fputs(" → ", out);
    }
    render_plain(out, s->id);
    text_also(o);
    putc('\n', out);
    if (s->fields)
        diff_render_fields(out, s->fields, DIFF_FORMAT_TEXT, o->color, 6);
    putc('\n', out);
}

static void md_step(log_out *o, const step *s)
{
    FILE *out = o->out;
    const gitrev_commit *c = s->commit;
    fprintf(out, "\n### `%.12s` ", c->hash);
    render_md_text(out, c->subject, false);
    fputs("\n\n", out);
    render_md_text(out, c->author, false);
    fprintf(out, ", %s: %s %s `", c->date, s->change, diff_kind_name(s->kind, false));
    if (s->from) {
        render_md_text(out, s->from, false);
        fputs("` → `", out);
    }
    render_md_text(out, s->id, false);
    putc('`', out);
    text_also(o);
    putc('\n', out);
    if (s->fields) {
        putc('\n', out);
        diff_render_fields(out, s->fields, DIFF_FORMAT_MARKDOWN, false, 0);
    }
}

static void json_step(log_out *o, const step *s)
{
    FILE *out = o->out;
    const gitrev_commit *c = s->commit;
    const render_json_member m[] = {
        {"commit", c->hash},
        {"date", c->date},
        {"author", c->author},
        {"subject", c->subject},
        {"kind", diff_kind_name(s->kind, false)},
        {"change", s->change},
        {"id", s->id},
        {"from", s->from},    /* the last: written only for a rename */
    };
    size_t n = sizeof(m) / sizeof(m[0]);
    fputs(o->shown ? ",\n  {" : "\n  {", out);
    render_json_members(out, m, s->from ? n : n - 1, false);
    if (o->nalso) {
        fputs(",\"also\":[", out);
        for (size_t i = 0; i < o->nalso; i++) {
            if (i)
                putc(',', out);
            render_json_string(out, o->also[i].hash);
        }
        putc(']', out);
    }
    fputs(",\"fields\":", out);
    if (s->fields)
        diff_render_fields(out, s->fields, DIFF_FORMAT_JSON, false, 0);
    else
        fputs("[]", out);
    putc('}', out);
}

static void show_step(log_out *o, const step *s)
{
    if (o->fmt == DIFF_FORMAT_JSON)
        json_step(o, s);
    else if (o->fmt == DIFF_FORMAT_MARKDOWN)
        md_step(o, s);
    else
        text_step(o, s);
    o->shown++;
}

/* ---- The walk ----------------------------------------------------------------------- */

/* A changed entry of r for kind and id, or NULL. */
static const diff_entry *changed_entry(const diff_result *r, diff_kind kind, const char *id)
{
    for (size_t i = 0; i < r->changed.n; i++)
        if (r->changed.v[i].kind == kind && strcmp(r->changed.v[i].id, id) == 0)
            return &r->changed.v[i];
    return NULL;
}

/*
 * Show what the commit did to the record (*track, any kind), and follow a
 * rename: *track becomes the old id (a new string in *owned).
 */
static int show_commit(log_out *o, const gitrev_commit *c, const diff_result *r,
                       const char **track, char **owned)
{
    const char *id = *track;
    char *from = NULL;
    for (size_t i = 0; i < r->added.n; i++)
        show_step(o, &(step){c, r->added.v[i].kind, "added", NULL, id, NULL});
    for (size_t i = 0; i < r->removed.n; i++)
        show_step(o, &(step){c, r->removed.v[i].kind, "removed", NULL, id, NULL});
    for (size_t i = 0; i < r->renamed.n; i++) {
        const diff_entry *e = &r->renamed.v[i];
        show_step(o, &(step){c, e->kind, "renamed", e->old_id, e->id,
                             changed_entry(r, e->kind, e->id)});
        /* Renamed to the id followed: before this commit it had the old one. */
        if (strcmp(e->id, id) == 0 && !from && !(from = strdup(e->old_id)))
            return -1;
    }
    for (size_t i = 0; i < r->changed.n; i++)
        if (!r->changed.v[i].old_id)
            show_step(o, &(step){c, r->changed.v[i].kind, "changed", NULL, id,
                                 &r->changed.v[i]});
    if (from) {
        free(*owned);
        *owned = from;
        *track = from;
    }
    return 0;
}

/* The tree in the git directory: the commit it is PATH at, and where it is. */
typedef struct {
    char *rev, *path;   /* NULL when there is none */
    bool of_base;       /* it is the tree of the side the next one starts from */
} on_disk;

static void on_disk_forget(on_disk *t, gitrev_dir *gd)
{
    free(t->rev);
    free(t->path);
    t->rev = t->path = NULL;
    gitrev_dir_clear(gd);
}

/*
 * Load PATH as it is at commit hash (NULL: before the first commit, an
 * empty dataset) into s, starting from base when given; its tree is made
 * from the one on disk when there is one. PATH missing at that commit is
 * an empty dataset too. Returns side_open's code.
 */
static int open_at(side *s, gitrev_dir *gd, const side *base, const char *hash,
                   const char *path, on_disk *t)
{
    memset(s, 0, sizeof(*s));
    int rc = EXIT_USAGE;
    if (hash) {
        char *gitpath = str_printf("./%s", path), *name = str_printf("%.12s:%s", hash, path);
        rc = gitpath && name ? side_git(hash, gitpath, name, s) : -1;
        free(gitpath);
        free(name);
        if (rc != 0)
            return EXIT_IO;
        s->may_be_missing = true;   /* PATH made later than the commit */
        if (t->rev && side_git_move(s, gd, t->rev, t->path) == 0)
            s->known_changes = base && t->of_base;   /* changes against base's files */
        else if (t->rev)
            on_disk_forget(t, gd);   /* emptied: extracted whole */
        rc = side_open(s, gd, base, "log");
        free(t->rev);
        free(t->path);
        t->rev = t->path = NULL;
        /* Kept for the next commit, with errors or without (not when PATH is missing). */
        if (rc != EXIT_USAGE && rc != EXIT_IO && (!(t->rev = strdup(hash)) ||
                                                  !(t->path = strdup(s->path))))
            rc = EXIT_IO;
    }
    if (rc == EXIT_USAGE) {
        on_disk_forget(t, gd);
        side_close(s);
        s->type = SIDE_EMPTY;
        rc = side_open(s, gd, NULL, "log");
    }
    return rc;
}

/*
 * Newest first: the state after commit `newest` (cur) is compared with the
 * state before commit i (prev). When prev has errors, cur is kept and the
 * next older state is tried: the changes then found are shown with commit
 * `newest` and the commits after it down to i (o->also). When cur has
 * errors, the changes of commits newest..i cannot be known.
 */
static int walk(log_out *o, gitrev_dir *gd, const gitrev_commit *commits, size_t n,
                const char *path)
{
    if (n == 0)
        return EXIT_OK;
    side cur, prev;
    const char *track = o->id;
    char *owned = NULL;
    size_t newest = 0;
    on_disk tree = {NULL, NULL, true};
    int cur_rc = open_at(&cur, gd, NULL, commits[0].hash, path, &tree);
    int code = cur_rc == EXIT_IO ? EXIT_IO : EXIT_OK;
    for (size_t i = 0; i < n && code == EXIT_OK; i++) {
        const gitrev_commit *c = &commits[i];
        int rc = open_at(&prev, gd, cur_rc == EXIT_OK ? &cur : NULL, c->parent, path, &tree);
        if (rc == EXIT_IO) {
            code = EXIT_IO;
        } else if (rc != EXIT_OK && cur_rc == EXIT_OK && i + 1 < n) {
            side_close(&prev);   /* keep cur: compare it with an older state */
            tree.of_base = false;   /* the tree on disk is prev's, not cur's */
            continue;
        } else if (rc != EXIT_OK || cur_rc != EXIT_OK) {
            fprintf(stderr, "annals log: the dataset at %.12s has errors: what commit%s "
                            "%.12s%s%.12s changed is not shown\n",
                    rc != EXIT_OK ? (c->parent ? c->parent : "?") : commits[newest].hash,
                    newest < i ? "s" : "", commits[newest].hash, newest < i ? " to " : "",
                    newest < i ? c->hash : "");
        } else {
            diff_side a = {prev.db, side_root(&prev)}, b = {cur.db, side_root(&cur)};
            diff_options opts = {.only_id = track};
            diff_result *r;
            char *err = NULL;
            if (diff_compare(&a, &b, &opts, &r, &err) != 0) {
                fprintf(stderr, "annals log: %s\n", err ? err : "out of memory");
                free(err);
                code = EXIT_IO;
            } else {
                o->also = commits + newest + 1;
                o->nalso = i - newest;
                if (show_commit(o, &commits[newest], r, &track, &owned) != 0)
                    code = EXIT_IO;
                diff_result_free(r);
            }
        }
        side_close(&cur);
        cur = prev;          /* the parent's tree is the next commit's */
        cur_rc = rc;
        tree.of_base = true; /* and it is on disk */
        newest = i + 1;
    }
    side_close(&cur);
    on_disk_forget(&tree, gd);
    free(owned);
    return code;
}

static int run(int argc, char **argv)
{
    const cli_command *cmd = &cmd_log;
    diff_format fmt = DIFF_FORMAT_TEXT;
    const char **pos;
    size_t npos;
    int code;
    if (cli_parse(cmd, argc, argv, on_option, &fmt, &pos, &npos, &code) != 0)
        return code;
    if (npos == 0 || npos > 2) {
        free(pos);
        return cli_usage_error(cmd, npos ? "too many arguments (ID [PATH])"
                                         : "which record? (annals log ID [PATH])");
    }
    const char *id = pos[0], *path = npos > 1 ? pos[1] : "data";
    free(pos);
    if (path[0] == '/')
        return cli_usage_error(cmd, "give PATH relative to the current directory: '%s'", path);
    char *err = NULL;
    gitrev_dir *gd = gitrev_dir_new(&err);
    gitrev_commit *commits = NULL;
    size_t n = 0;
    if (!gd || gitrev_log(gd, path, &commits, &n, &err) != 0) {
        fprintf(stderr, "annals log: %s\n", err ? err : "out of memory");
        free(err);
        gitrev_dir_remove(gd);
        return EXIT_IO;
    }
    log_out o = {stdout, fmt, fmt == DIFF_FORMAT_TEXT && cli_color(stdout), id, 0, NULL, 0};
    if (fmt == DIFF_FORMAT_JSON) {
        fputs("{\"id\":", stdout);
        render_json_string(stdout, id);
        fputs(",\"commits\":[", stdout);
    } else if (fmt == DIFF_FORMAT_MARKDOWN) {
        fputs("**annals log** `", stdout);
        render_md_text(stdout, id, false);
        fputs("` in `", stdout);
        render_md_text(stdout, path, false);
        fputs("`\n", stdout);
    }
    code = walk(&o, gd, commits, n, path);
    if (fmt == DIFF_FORMAT_JSON)
        fputs(o.shown ? "\n]}\n" : "]}\n", stdout);
    if (code == EXIT_OK && o.shown == 0) {
        fprintf(stderr, "annals log: no commit changed a record with the id '%s' in '%s'\n", id,
                path);
        code = EXIT_DATA;
    }
    gitrev_commits_free(commits, n);
    gitrev_dir_remove(gd);
    return code;
}

const cli_command cmd_log = {
    "log", "show the commits that changed one record, newest first, field by field",
    "[options] ID [PATH]", options, run, more_help};
