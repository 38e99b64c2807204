/* gitrev.h - a dataset as it is at a git revision, read through git into a private directory. */
#ifndef ANNALS_GITREV_H
#define ANNALS_GITREV_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A private temporary directory (mode 0700, under $TMPDIR or /tmp) that
 * holds what is read from git. gitrev_dir_remove removes it with all it
 * holds; until then a SIGINT, SIGTERM, SIGHUP or SIGPIPE removes it too
 * before the process dies of the signal. Returns NULL with *err (the
 * caller frees) on failure.
 */
typedef struct gitrev_dir gitrev_dir;
gitrev_dir *gitrev_dir_new(char **err);
const char *gitrev_dir_path(const gitrev_dir *d);
void gitrev_dir_remove(gitrev_dir *d);   /* NULL is a no-op */
/* Remove everything in d, keeping d. */
void gitrev_dir_clear(gitrev_dir *d);

/*
 * Write the YAML files (*.yaml, *.yml) of the object REV:PATH, what
 * `git show REV:PATH` names (PATH from the top of the repository, or from
 * the current directory when it starts with ./ or ../), to dest inside d:
 * a tree becomes the directory dest with the tree's files below it; a
 * file becomes the file dest. dest is relative to d and may have several
 * components (they are created); ".." and empty components are refused.
 * The working tree and the index are not touched. Symbolic links and
 * submodules are skipped. Returns 0; 1 when REV is a revision without
 * PATH (*err says so); or -1 with *err a new message (git's own when it
 * refuses REV).
 */
int gitrev_extract(gitrev_dir *d, const char *rev, const char *path, const char *dest,
                   char **err);

/*
 * Make the tree that gitrev_extract wrote at dest for REV:PATH the tree of
 * TO:PATH, at new_dest (dest renamed; the same name is fine): only the
 * files that differ between the two revisions (`git diff-tree`) are
 * removed or written. Returns 0 with *changed a new sorted array (free
 * each string and the array) of the *nchanged paths that differ, relative
 * to the tree; or -1 with *err (PATH is not a tree at both revisions, or
 * git failed): the tree is then in no known state (clear d).
 */
int gitrev_move(gitrev_dir *d, const char *rev, const char *to, const char *path,
                const char *dest, const char *new_dest, char ***changed, size_t *nchanged,
                char **err);

/* One commit of a history, newest first. */
typedef struct {
    char *hash;      /* full hex */
    char *parent;    /* the first parent, or NULL for a root commit */
    char *date;      /* author date, ISO 8601 strict (2021-06-28T10:30:00+02:00) */
    char *author;
    char *subject;
} gitrev_commit;

/*
 * The commits that changed PATH (relative to the current directory),
 * following first parents from HEAD, newest first, as `git log
 * --first-parent -- PATH` lists them. On success 0 with *out a new array
 * (free with gitrev_commits_free) of *n commits; -1 with *err otherwise.
 */
int gitrev_log(gitrev_dir *d, const char *path, gitrev_commit **out, size_t *n, char **err);
void gitrev_commits_free(gitrev_commit *c, size_t n);

/* True when p is a relative path with no empty, "." or ".." component. */
bool gitrev_safe_path(const char *p);

/* True when arg names a revision of the repository around the current directory. */
bool gitrev_is_revision(const char *arg);

#endif
