/* diff_side.c - one side of `annals diff` and `annals log`: a dataset, a database or REV:PATH, loaded and checked.
 *
 * A REV:PATH side is written by git into the private directory under the
 * name REV:PATH itself and loaded from there (the working directory is
 * that directory for the time of the load), so that its diagnostics read
 * `HEAD~1:data/events/2021.yaml:12:5: error: ...`.
 */
#define _GNU_SOURCE
#include "diff_side.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "annals/cli.h"
#include "annals/db.h"
#include "annals/util.h"

static bool is_sqlite_file(const char *path)
{
    static const char magic[16] = "SQLite format 3";   /* with its NUL */
    char head[16];
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    bool yes = fread(head, 1, sizeof(head), f) == sizeof(head) &&
               memcmp(head, magic, sizeof(magic)) == 0;
    fclose(f);
    return yes;
}

int side_git(const char *rev, const char *path, const char *name, side *s)
{
    memset(s, 0, sizeof(*s));
    s->type = SIDE_GIT;
    s->name = strdup(name);
    s->rev = strdup(rev);
    s->gitpath = strdup(path);
    if (!s->name || !s->rev || !s->gitpath) {
        side_close(s);
        return -1;
    }
    return 0;
}

int side_parse(const char *arg, side *s)
{
    memset(s, 0, sizeof(*s));
    struct stat st;
    if (stat(arg, &st) == 0) {
        s->type = S_ISREG(st.st_mode) && is_sqlite_file(arg) ? SIDE_DATABASE : SIDE_DATASET;
        s->name = strdup(arg);
        s->path = strdup(arg);
        if (!s->name || !s->path) {
            side_close(s);
            return -2;
        }
        /* "data/" and "data" are the same root. */
        for (size_t n = strlen(s->path); n > 1 && s->path[n - 1] == '/'; n--)
            s->path[n - 1] = '\0';
        return 0;
    }
    const char *colon = strchr(arg, ':');
    if (!colon || colon == arg)
        return -1;
    char *rev = strndup(arg, (size_t)(colon - arg));
    int rc = rev ? side_git(rev, colon + 1, arg, s) : -1;
    free(rev);
    return rc == 0 ? 0 : -2;
}

const char *side_root(const side *s)
{
    return s->type == SIDE_DATABASE || s->type == SIDE_EMPTY ? NULL : s->path;
}

void side_close(side *s)
{
    for (size_t i = 0; i < s->nchanged; i++)
        free(s->changed[i]);
    free(s->changed);
    db_close(s->db);
    free(s->name);
    free(s->path);
    free(s->rev);
    free(s->gitpath);
    memset(s, 0, sizeof(*s));
}

/* Where REV:PATH goes inside the git directory: its own name when that is a safe path. */
static char *git_dest(const side *s, gitrev_dir *gd)
{
    const char *name = s->name;
    bool safe = gitrev_safe_path(name);
    char *dest = strdup(safe ? name : "tree");
    struct stat st;
    char *full = dest ? str_printf("%s/%s", gitrev_dir_path(gd), dest) : NULL;
    /* The same REV:PATH on both sides: the second gets a directory of its own. */
    for (int i = 2; full && stat(full, &st) == 0 && i < 100; i++) {
        free(dest);
        free(full);
        dest = str_printf("%d/%s", i, safe ? name : "tree");
        full = dest ? str_printf("%s/%s", gitrev_dir_path(gd), dest) : NULL;
    }
    free(full);
    return dest;
}

int side_git_move(side *s, gitrev_dir *gd, const char *from_rev, const char *from_path)
{
    char *err = NULL, *dest = git_dest(s, gd);
    if (dest && gitrev_move(gd, from_rev, s->rev, s->gitpath, from_path, dest, &s->changed,
                            &s->nchanged, &err) == 0) {
        free(s->path);
        s->path = dest;
        s->extracted = s->known_changes = true;
        return 0;
    }
    free(err);   /* not a failure: the side is extracted whole instead */
    free(dest);
    gitrev_dir_clear(gd);
    return -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * For load_options.unchanged: which of the files the load of path will read
 * (collected as it collects them, so in its order) are not in s->changed.
 * A new array, or NULL (then every file is fingerprinted).
 */
static bool *unchanged_files(const side *s, const char *path)
{
    const char *paths[] = {path};
    char **files = NULL;
    size_t n = 0, root = strlen(path);
    diag_list *dl = diag_list_new();
    bool *keep = NULL;
    if (dl && load_collect_files(paths, 1, &files, &n, dl) == 0 && diag_list_len(dl) == 0 &&
        (keep = calloc(n + 1, sizeof(*keep)))) {
        for (size_t i = 0; i < n; i++) {
            const char *rel = strncmp(files[i], path, root) == 0 && files[i][root] == '/'
                                  ? files[i] + root + 1
                                  : files[i];
            keep[i] = !s->nchanged ||
                      !bsearch(&rel, s->changed, s->nchanged, sizeof(*s->changed), cmp_str);
        }
    }
    load_free_files(files, n);
    diag_list_free(dl);
    return keep;
}

/* Run sql with ?1 = a and ?2 = b: 1 when it gives a row, 0 when done, -1 on failure. */
static int run2(sqlite3 *db, const char *sql, const char *a, const char *b)
{
    sqlite3_stmt *st;
    char *err = NULL;
    if (db_prepare(db, sql, &st, &err) != 0) {
        free(err);
        return -1;
    }
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0 : -1;
}

#define UNDER(x) "(path = " x " OR substr(path, 1, length(" x ") + 1) = " x " || '/')"

/* Does SQLite find db's structure sound (PRAGMA quick_check)? */
static bool intact(sqlite3 *db)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK)
        return false;
    bool ok = sqlite3_step(st) == SQLITE_ROW &&
              strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0 &&
              sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    return ok;
}

/*
 * Make db a copy of base's database, with the paths of base's files moved
 * to where s has them (path: s's path as loaded). base is the other side,
 * or the cache: a database whose paths are as `annals load` was given them,
 * used only when it holds files under s's own path (a git side: under the
 * path it names in the repository). -1 when no copy was made.
 */
static int copy_base(sqlite3 *db, const side *base, const side *s, const char *path)
{
    const char *from = side_root(base);
    if (!from && s->type == SIDE_GIT)
        from = strncmp(s->gitpath, "./", 2) == 0 ? s->gitpath + 2 : s->gitpath;
    if (base->type == SIDE_DATABASE &&
        run2(base->db, "SELECT 1 FROM files WHERE " UNDER("?1") " LIMIT 1",
             from ? from : path, NULL) != 1)
        return -1;   /* nothing in common */
    sqlite3_backup *b = sqlite3_backup_init(db, "main", base->db, "main");
    if (!b)
        return -1;
    int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    /* A database from outside may be damaged: then it is not used at all. */
    if (rc != SQLITE_DONE || (base->type == SIDE_DATABASE && !intact(db)))
        return -1;
    if (!from || strcmp(from, path) == 0)
        return 0;
    return run2(db, "UPDATE files SET path = CASE WHEN path = ?1 THEN ?2 "
                    "ELSE ?2 || substr(path, length(?1) + 1) END WHERE " UNDER("?1"),
                from, path) == 0 ? 0 : -1;
}

int side_cache(side *s, const char *path, const char *cmd)
{
    char *err = NULL;
    memset(s, 0, sizeof(*s));
    struct stat st;
    if (!path && (stat("annals.db", &st) != 0 || !S_ISREG(st.st_mode) ||
                  !is_sqlite_file("annals.db")))
        return -1;
    if (db_open(path ? path : "annals.db", DB_READ, &s->db, &err) != 0) {
        if (path)
            fprintf(stderr, "annals %s: %s\n", cmd, err);
        free(err);
        return -1;
    }
    s->type = SIDE_DATABASE;
    if (!(s->name = strdup(path ? path : "annals.db")) || !(s->path = strdup(s->name))) {
        if (path)
            fprintf(stderr, "annals %s: out of memory\n", cmd);
        side_close(s);
        return -1;
    }
    return 0;
}

/* A private temporary database for s. EXIT_OK, or EXIT_IO after saying why. */
static int open_temp(side *s, const char *cmd)
{
    char *err = NULL;
    if (cli_db_open(cmd, NULL, DB_TEMP, &s->db) != EXIT_OK)
        return EXIT_IO;
    /* Whole in memory (128 MB at most): spilling a copy to the temporary file
     * would cost more than the copy. */
    db_exec(s->db, "PRAGMA cache_size = -131072", &err);
    free(err);
    return EXIT_OK;
}

/* Validate and load the dataset at path (relative to the current directory) into s->db. */
static int load_side(side *s, const side *base, const char *path, const char *cmd)
{
    if (open_temp(s, cmd) != EXIT_OK)
        return EXIT_IO;
    /* A failed copy is no failure: the load then reads every file, into a new database. */
    bool copied = base && base->db && copy_base(s->db, base, s, path) == 0;
    if (base && base->db && !copied) {
        db_close(s->db);
        s->db = NULL;
        if (open_temp(s, cmd) != EXIT_OK)
            return EXIT_IO;
    }
    /*
     * No text search reads a side: its full-text index is not built. A side
     * only checked is a check (texts not stored, nothing kept), unless it
     * starts from a copy: then keeping it lets unchanged files go unread.
     */
    load_options lo = {.commit = copied || !s->check_only, .no_text_index = true};
    bool *unchanged = copied && s->known_changes ? unchanged_files(s, path) : NULL;
    lo.unchanged = unchanged;
    const char *paths[] = {path};
    int code = cli_load(s->db, paths, 1, &lo, CLI_DIAG_TEXT, true, stderr, NULL);
    free(unchanged);
    return code;
}

/* Load git side s from its files in gd: the directory gd is the current one meanwhile. */
static int load_in(side *s, gitrev_dir *gd, const side *base, const char *cmd)
{
    int here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (here < 0 || chdir(gitrev_dir_path(gd)) != 0) {
        fprintf(stderr, "annals %s: cannot enter '%s': %s\n", cmd, gitrev_dir_path(gd),
                strerror(errno));
        if (here >= 0)
            close(here);
        return EXIT_IO;
    }
    int code = load_side(s, base, s->path, cmd);
    if (fchdir(here) != 0) {
        fprintf(stderr, "annals %s: cannot return to the working directory: %s\n", cmd,
                strerror(errno));
        code = EXIT_IO;
    }
    close(here);
    return code;
}

int side_open(side *s, gitrev_dir *gd, const side *base, const char *cmd)
{
    char *err = NULL;
    switch (s->type) {
    case SIDE_DATABASE:
        return cli_db_open(cmd, s->path, DB_READ, &s->db);
    case SIDE_DATASET:
        return load_side(s, base, s->path, cmd);
    case SIDE_EMPTY:
        return open_temp(s, cmd);
    case SIDE_GIT:
        break;
    }
    if (s->extracted)
        return load_in(s, gd, base, cmd);
    free(s->path);
    if (!(s->path = git_dest(s, gd))) {
        fprintf(stderr, "annals %s: out of memory\n", cmd);
        return EXIT_IO;
    }
    int rc = gitrev_extract(gd, s->rev, s->gitpath, s->path, &err);
    if (rc != 0) {
        if (rc != 1 || !s->may_be_missing)
            fprintf(stderr, "annals %s: %s\n", cmd, err);
        free(err);
        return rc == 1 ? EXIT_USAGE : EXIT_IO;
    }
    return load_in(s, gd, base, cmd);
}

