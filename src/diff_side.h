/* diff_side.h - one side of `annals diff` and `annals log`: a dataset, a database or REV:PATH, loaded and checked. */
#ifndef ANNALS_DIFF_SIDE_H
#define ANNALS_DIFF_SIDE_H

#include <stdbool.h>
#include <sqlite3.h>

#include "annals/gitrev.h"

typedef enum { SIDE_DATASET, SIDE_DATABASE, SIDE_GIT, SIDE_EMPTY } side_type;

typedef struct {
    char *name;          /* as shown: the argument, or REV:PATH */
    side_type type;
    char *path;          /* dataset or database path; git: the path inside the git directory */
    char *rev, *gitpath; /* SIDE_GIT: what to read */
    bool check_only;     /* only its errors matter (the other side is the same files):
                            after side_open db may be empty */
    sqlite3 *db;         /* after side_open: the loaded, valid database */
    /* SIDE_GIT: no PATH at REV is an empty history, not an error: EXIT_USAGE, nothing said. */
    bool may_be_missing;
    /* SIDE_GIT made by side_git_move: its files are at path in the git directory already. */
    bool extracted;
    /* With known_changes, the only files (relative to path, sorted) that can differ
       from those of the base side_open is given: the others are not read. */
    bool known_changes;
    char **changed;
    size_t nchanged;
} side;

/*
 * What arg names: an existing path (a database when the file starts with
 * SQLite's header, else a dataset), else REV:PATH when it has a ':'.
 * Returns 0 and fills s (free with side_close), -1 when arg names none of
 * these (nothing is printed), -2 when out of memory.
 */
int side_parse(const char *arg, side *s);

/* A git side for REV:PATH, shown as name. 0, or -1 when out of memory. */
int side_git(const char *rev, const char *path, const char *name, side *s);

/*
 * Load and check the side: a database is opened read only; a dataset (or
 * REV:PATH, written into gd first) is validated and loaded into a private
 * temporary database. With base (a side already loaded from the same kind
 * of files, or side_cache's), the new database starts as a copy of base's
 * and only the files whose content differs are read (the loader's reload). Diagnostics
 * go to stderr as `annals check` writes them. Returns EXIT_OK, EXIT_DATA
 * (the side has errors), EXIT_USAGE (REV or PATH is wrong) or EXIT_IO,
 * after printing why, prefixed with cmd.
 */
int side_open(side *s, gitrev_dir *gd, const side *base, const char *cmd);

/*
 * A database to start from (side_open's base): path (--db), or with path
 * NULL ./annals.db, the database `annals load` keeps, when there is one.
 * It is opened read only; side_open reuses its rows of the files it holds
 * unchanged (the fingerprints decide) and writes nothing. Returns 0 and s
 * (free with side_close); -1 when there is none: with path NULL nothing
 * is printed (it is only a cache), with path the reason, after cmd.
 */
int side_cache(side *s, const char *path, const char *cmd);

/*
 * Make the files of git side s (side_git) out of the tree another git side
 * left in gd (from_rev, at from_path there), writing only what differs
 * between the revisions: s is then extracted, with its changes known (set
 * known_changes false when the base given to side_open is not the side
 * that tree was loaded for). Returns 0; -1 when that cannot be done (PATH
 * is not a tree at both revisions, git fails): gd is then emptied and
 * side_open extracts s whole.
 */
int side_git_move(side *s, gitrev_dir *gd, const char *from_rev, const char *from_path);

/* The root its files' paths are relative to (for diff_side), or NULL. */
const char *side_root(const side *s);

void side_close(side *s);   /* frees what s holds; s itself is the caller's */

#endif
