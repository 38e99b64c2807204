/* gitrev.c - a dataset as it is at a git revision, read through git (ls-tree, cat-file) into a private directory.
 *
 * git runs as a child process (posix_spawnp, never a shell), with its
 * standard input from a file, its errors into a file of the private
 * directory and its output through a pipe that is read as a stream. Every
 * path this module creates is registered first, so that the directory can
 * be removed on the way out, and by a signal handler that uses only
 * unlink and rmdir.
 */
#define _GNU_SOURCE
#include "annals/gitrev.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "annals/load.h"
#include "annals/util.h"

extern char **environ;

struct gitrev_dir {
    char *path;
    char **made;          /* every path created under it, in order */
    size_t nmade, cap;
    size_t seq;           /* names of the scratch files */
    struct gitrev_dir *next;
};

/* ---- Removal, also from a signal handler --------------------------------- */

static gitrev_dir *volatile live;   /* directories not yet removed */
static volatile pid_t running;      /* the git child being waited for, or 0 */
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
#define NSIGNALS (sizeof(cleanup_signals) / sizeof(cleanup_signals[0]))
static struct sigaction previous[NSIGNALS];
static bool handlers_set;

static void remove_made(const gitrev_dir *d)
{
    for (size_t i = d->nmade; i-- > 0;)
        if (unlink(d->made[i]) != 0)
            rmdir(d->made[i]);
    rmdir(d->path);
}

static void on_signal(int sig)
{
    /* git first: it could still create a file in a directory being removed. */
    pid_t child = running;
    if (child > 0 && kill(child, SIGKILL) == 0)
        waitpid(child, NULL, 0);
    for (const gitrev_dir *d = live; d; d = d->next)
        remove_made(d);
    for (size_t i = 0; i < NSIGNALS; i++)
        if (cleanup_signals[i] == sig)
            sigaction(sig, &previous[i], NULL);
    raise(sig);
}

/* Block the cleanup signals while the registry changes (the handler reads it). */
static void block(sigset_t *old, bool on)
{
    if (on) {
        sigset_t set;
        sigemptyset(&set);
        for (size_t i = 0; i < NSIGNALS; i++)
            sigaddset(&set, cleanup_signals[i]);
        sigprocmask(SIG_BLOCK, &set, old);
    } else {
        sigprocmask(SIG_SETMASK, old, NULL);
    }
}

/* Register path (a new copy) as made under d, before it is created. -1 when out of memory. */
static int note_made(gitrev_dir *d, const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    sigset_t old;
    block(&old, true);
    int rc = array_grow(&d->made, &d->cap, d->nmade, sizeof(*d->made), 64);
    if (rc == 0)
        d->made[d->nmade++] = copy;
    else
        free(copy);
    block(&old, false);
    return rc;
}

gitrev_dir *gitrev_dir_new(char **err)
{
    const char *tmp = getenv("TMPDIR");
    gitrev_dir *d = calloc(1, sizeof(*d));
    if (!d || !(d->path = str_printf("%s/annals-git-XXXXXX", tmp && *tmp ? tmp : "/tmp"))) {
        free(d);
        *err = str_printf("out of memory");
        return NULL;
    }
    sigset_t old;
    block(&old, true);
    if (!mkdtemp(d->path)) {
        block(&old, false);
        *err = str_printf("cannot make a temporary directory '%s': %s", d->path,
                          strerror(errno));
        free(d->path);
        free(d);
        return NULL;
    }
    d->next = live;
    live = d;
    if (!handlers_set) {
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        for (size_t i = 0; i < NSIGNALS; i++)
            sigaction(cleanup_signals[i], &sa, &previous[i]);
        handlers_set = true;
    }
    block(&old, false);
    return d;
}

void gitrev_dir_clear(gitrev_dir *d)
{
    sigset_t old;
    block(&old, true);
    for (size_t i = d->nmade; i-- > 0;) {
        if (unlink(d->made[i]) != 0)
            rmdir(d->made[i]);
        free(d->made[i]);
    }
    d->nmade = 0;
    block(&old, false);
}

const char *gitrev_dir_path(const gitrev_dir *d)
{
    return d->path;
}

void gitrev_dir_remove(gitrev_dir *d)
{
    if (!d)
        return;
    sigset_t old;
    block(&old, true);
    remove_made(d);
    gitrev_dir *volatile *p = &live;
    while (*p && *p != d)
        p = &(*p)->next;
    if (*p)
        *p = d->next;
    if (!live && handlers_set) {
        for (size_t i = 0; i < NSIGNALS; i++)
            sigaction(cleanup_signals[i], &previous[i], NULL);
        handlers_set = false;
    }
    block(&old, false);
    for (size_t i = 0; i < d->nmade; i++)
        free(d->made[i]);
    free(d->made);
    free(d->path);
    free(d);
}

/* A new scratch file name in d (registered); NULL when out of memory. */
static char *scratch(gitrev_dir *d, const char *what)
{
    char *p = str_printf("%s/.%s-%zu", d->path, what, d->seq++);
    if (p && note_made(d, p) != 0) {
        free(p);
        p = NULL;
    }
    return p;
}

/* ---- Running git ---------------------------------------------------------- */

typedef struct {
    pid_t pid;
    FILE *out;          /* git's standard output */
    char *errpath;      /* git's standard error */
} child;

/*
 * Start git with argv (argv[0] is "git"), stdin from in_path (NULL:
 * /dev/null), stdout into a pipe read through c->out. -1 with *err.
 */
static int git_start(gitrev_dir *d, char *const argv[], const char *in_path, child *c,
                     char **err)
{
    c->out = NULL;
    c->errpath = scratch(d, "git-stderr");
    int fds[2] = {-1, -1};
    posix_spawn_file_actions_t fa;
    if (!c->errpath || pipe2(fds, O_CLOEXEC) != 0) {
        *err = str_printf("cannot run git: %s", c->errpath ? strerror(errno) : "out of memory");
        free(c->errpath);
        c->errpath = NULL;
        return -1;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, in_path ? in_path : "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, c->errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    /* The handler must know the child as soon as it exists; git itself runs
     * with the signal mask of before. */
    sigset_t old;
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    block(&old, true);
    posix_spawnattr_setsigmask(&attr, &old);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    int rc = posix_spawnp(&c->pid, "git", &fa, &attr, argv, environ);
    if (rc == 0)
        running = c->pid;
    block(&old, false);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        *err = str_printf("cannot run git: %s (is git installed?)", strerror(rc));
        free(c->errpath);
        c->errpath = NULL;
        return -1;
    }
    c->out = fdopen(fds[0], "r");
    if (!c->out) {
        close(fds[0]);
        kill(c->pid, SIGTERM);
        waitpid(c->pid, NULL, 0);
        running = 0;
        *err = str_printf("out of memory");
        free(c->errpath);
        c->errpath = NULL;
        return -1;
    }
    return 0;
}

/*
 * Wait for git. 0 when it succeeded; else -1 with *err: git's first error
 * line without "fatal: " (or how it ended), unless *err is already set.
 */
static int git_finish(child *c, char **err)
{
    /* Read what is left, so that git never blocks on a full pipe. */
    char buf[4096];
    while (c->out && fread(buf, 1, sizeof(buf), c->out) > 0)
        ;
    if (c->out)
        fclose(c->out);
    int status = 0, rc = 0;
    while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
        ;
    running = 0;
    if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        rc = -1;
        if (!*err) {
            size_t len;
            char *text = file_read_all(c->errpath, &len, 1 << 16);
            char *line = text;
            if (line) {
                line[strcspn(line, "\n")] = '\0';
                if (strncmp(line, "fatal: ", 7) == 0)
                    line += 7;
            }
            if (line && *line)
                *err = str_printf("git: %s", line);
            else if (WIFEXITED(status))
                *err = str_printf("git failed with exit code %d", WEXITSTATUS(status));
            else
                *err = str_printf("git was killed by signal %d", WTERMSIG(status));
            free(text);
        }
    }
    unlink(c->errpath);
    free(c->errpath);
    c->errpath = NULL;
    return rc;
}

/* Run git and keep its whole output in *out (NUL-terminated, *len bytes). */
static int git_output(gitrev_dir *d, char *const argv[], char **out, size_t *len, char **err)
{
    child c;
    *out = NULL;
    *len = 0;
    if (git_start(d, argv, NULL, &c, err) != 0)
        return -1;
    FILE *m = open_memstream(out, len);
    char buf[8192];
    size_t n;
    while (m && (n = fread(buf, 1, sizeof(buf), c.out)) > 0)
        fwrite(buf, 1, n, m);
    if (!m || fclose(m) != 0) {
        *err = str_printf("out of memory");
        git_finish(&c, err);
        free(*out);
        *out = NULL;
        return -1;
    }
    if (git_finish(&c, err) != 0) {
        free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

bool gitrev_is_revision(const char *arg)
{
    if (!arg || !*arg || arg[0] == '-')
        return false;
    char *spec = str_printf("%s^{tree}", arg), *out = NULL, *err = NULL;
    if (!spec)
        return false;
    gitrev_dir *d = gitrev_dir_new(&err);
    bool ok = false;
    size_t len;
    if (d) {
        char *argv[] = {"git", "rev-parse", "--verify", "--quiet", spec, NULL};
        ok = git_output(d, argv, &out, &len, &err) == 0;
    }
    free(out);
    free(err);
    free(spec);
    gitrev_dir_remove(d);
    return ok;
}

/* ---- Extracting a tree ------------------------------------------------------ */

bool gitrev_safe_path(const char *p)
{
    if (!*p || *p == '/')
        return false;
    for (const char *s = p; *s;) {
        size_t n = strcspn(s, "/");
        if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
            return false;
        s += n;
        if (*s == '/')
            s++;
        else
            break;
    }
    return p[strlen(p) - 1] != '/';
}

/* Create the directories of rel (all but its last component) under d. */
static int make_parents(gitrev_dir *d, const char *rel, char **err)
{
    char *full = str_printf("%s/%s", d->path, rel);
    if (!full)
        goto oom;
    for (char *s = full + strlen(d->path) + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        struct stat st;
        if (stat(full, &st) != 0) {
            if (note_made(d, full) != 0) {
                free(full);
                goto oom;
            }
            if (mkdir(full, 0700) != 0) {
                *err = str_printf("cannot make '%s': %s", full, strerror(errno));
                free(full);
                return -1;
            }
        }
        *s = '/';
    }
    free(full);
    return 0;
oom:
    *err = str_printf("out of memory");
    return -1;
}

/* Copy n bytes from in to a new file dest (registered in d). */
static int write_blob(gitrev_dir *d, FILE *in, size_t n, const char *rel, char **err)
{
    if (make_parents(d, rel, err) != 0)
        return -1;
    char *full = str_printf("%s/%s", d->path, rel);
    if (!full || note_made(d, full) != 0) {
        free(full);
        *err = str_printf("out of memory");
        return -1;
    }
    FILE *f = fopen(full, "wx");
    if (!f) {
        *err = str_printf("cannot write '%s': %s", full, strerror(errno));
        free(full);
        return -1;
    }
    char buf[16384];
    while (n > 0) {
        size_t want = n < sizeof(buf) ? n : sizeof(buf);
        size_t got = fread(buf, 1, want, in);
        if (got == 0 || fwrite(buf, 1, got, f) != got)
            break;
        n -= got;
    }
    int rc = 0;
    if (fclose(f) != 0 || n > 0) {
        *err = str_printf("cannot write '%s': %s", full, n > 0 ? "git's output ended early"
                                                               : strerror(errno));
        rc = -1;
    }
    free(full);
    return rc;
}

/* One blob to write: its object name and where it goes, relative to d. */
typedef struct {
    char *sha;
    char *rel;
} blob;

static void blobs_free(blob *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(b[i].sha);
        free(b[i].rel);
    }
    free(b);
}

/*
 * The YAML blobs of the tree `spec` from `git ls-tree -r -z`, each as
 * dest/PATH-IN-TREE. Entries: "MODE SP TYPE SP SHA TAB PATH NUL".
 */
static int list_tree(gitrev_dir *d, const char *spec, const char *dest, blob **out,
                     size_t *n, char **err)
{
    char *argv[] = {"git", "ls-tree", "-r", "-z", "--full-tree", (char *)spec, NULL};
    char *text;
    size_t len, cap = 0;
    *out = NULL;
    *n = 0;
    if (git_output(d, argv, &text, &len, err) != 0)
        return -1;
    for (char *p = text; p < text + len; p += strlen(p) + 1) {
        char *tab = strchr(p, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        char mode[16], type[16], sha[80];
        if (sscanf(p, "%15s %15s %79s", mode, type, sha) != 3 || strcmp(type, "blob") != 0 ||
            strcmp(mode, "120000") == 0 || !load_has_yaml_ext(tab + 1) || !gitrev_safe_path(tab + 1))
            continue;
        if (array_grow(out, &cap, *n, sizeof(**out), 64) != 0)
            goto oom;
        blob *b = &(*out)[*n];
        b->sha = strdup(sha);
        b->rel = str_printf("%s/%s", dest, tab + 1);
        (*n)++;
        if (!b->sha || !b->rel)
            goto oom;
    }
    free(text);
    return 0;
oom:
    free(text);
    blobs_free(*out, *n);
    *out = NULL;
    *n = 0;
    *err = str_printf("out of memory");
    return -1;
}

/* Write every blob through one `git cat-file --batch`. */
static int write_blobs(gitrev_dir *d, const blob *b, size_t n, char **err)
{
    if (n == 0)
        return 0;
    char *list = scratch(d, "objects");
    FILE *f = list ? fopen(list, "w") : NULL;
    if (!f) {
        *err = str_printf("cannot write a list of objects: %s",
                          list ? strerror(errno) : "out of memory");
        free(list);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s\n", b[i].sha);
    if (fclose(f) != 0) {
        *err = str_printf("cannot write a list of objects: %s", strerror(errno));
        free(list);
        return -1;
    }
    char *argv[] = {"git", "cat-file", "--batch", NULL};
    child c;
    int rc = git_start(d, argv, list, &c, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char head[256], sha[80], type[16];
        size_t size;
        if (!fgets(head, sizeof(head), c.out) ||
            sscanf(head, "%79s %15s %zu", sha, type, &size) != 3 ||
            strcmp(type, "blob") != 0) {
            *err = str_printf("git cat-file: unexpected answer for %s", b[i].sha);
            rc = -1;
        } else if (write_blob(d, c.out, size, b[i].rel, err) != 0 || getc(c.out) != '\n') {
            if (!*err)
                *err = str_printf("git cat-file: unexpected answer for %s", b[i].sha);
            rc = -1;
        }
    }
    if (git_finish(&c, err) != 0)
        rc = -1;
    unlink(list);
    free(list);
    return rc;
}

int gitrev_extract(gitrev_dir *d, const char *rev, const char *path, const char *dest,
                   char **err)
{
    *err = NULL;
    if (!gitrev_safe_path(dest)) {
        *err = str_printf("'%s' cannot name a file in the temporary directory", dest);
        return -1;
    }
    if (rev[0] == '-') {
        *err = str_printf("'%s' is not a revision", rev);
        return -1;
    }
    char *spec = str_printf("%s:%s", rev, path), *type = NULL;
    size_t len;
    if (!spec) {
        *err = str_printf("out of memory");
        return -1;
    }
    char *argv_type[] = {"git", "cat-file", "-t", spec, NULL};
    int rc = git_output(d, argv_type, &type, &len, err);
    if (rc != 0 && gitrev_is_revision(rev)) {
        /* The revision is fine: PATH is not in it. */
        free(*err);
        *err = str_printf("'%s' does not exist (no '%s' at '%s')", spec, path, rev);
        free(spec);
        return 1;
    }
    if (rc == 0 && strncmp(type, "tree", 4) == 0) {
        blob *b;
        size_t n;
        rc = list_tree(d, spec, dest, &b, &n, err);
        if (rc == 0) {
            /* An empty tree still makes a directory: an empty dataset. */
            char *probe = str_printf("%s/x", dest);
            rc = probe ? make_parents(d, probe, err) : -1;
            if (!probe)
                *err = str_printf("out of memory");
            free(probe);
            if (rc == 0)
                rc = write_blobs(d, b, n, err);
            blobs_free(b, n);
        }
    } else if (rc == 0 && strncmp(type, "blob", 4) == 0) {
        blob b = {NULL, (char *)dest};
        char *argv_sha[] = {"git", "rev-parse", "--verify", spec, NULL};
        rc = git_output(d, argv_sha, &b.sha, &len, err);
        if (rc == 0) {
            b.sha[strcspn(b.sha, "\n")] = '\0';
            rc = write_blobs(d, &b, 1, err);
        }
        free(b.sha);
    } else if (rc == 0) {
        type[strcspn(type, "\n")] = '\0';
        *err = str_printf("'%s' is a %s, not a directory or a file", spec, type);
        rc = -1;
    }
    free(type);
    free(spec);
    return rc;
}

/* ---- Moving an extracted tree to another revision ---------------------------- */

/* A YAML file gitrev_extract would write: a regular file (mode 100...) with a safe path. */
static bool wanted(const char *mode, const char *rel)
{
    return strncmp(mode, "100", 3) == 0 && load_has_yaml_ext(rel) && gitrev_safe_path(rel);
}

/*
 * Rename dest to new_dest under d, the registry following: the entries
 * under dest are renamed and moved after new_dest's parents (made now), so
 * that removal, last made first, still empties a directory before it.
 */
static int rename_tree(gitrev_dir *d, const char *dest, const char *new_dest, char **err)
{
    if (strcmp(dest, new_dest) == 0)
        return 0;
    if (make_parents(d, new_dest, err) != 0)
        return -1;
    char *from = str_printf("%s/%s", d->path, dest), *to = str_printf("%s/%s", d->path, new_dest);
    char **moved = calloc(d->nmade + 1, sizeof(*moved));
    int rc = from && to && moved ? 0 : -1;
    if (rc != 0)
        *err = str_printf("out of memory");
    size_t nfrom = from ? strlen(from) : 0, nmoved = 0, kept = 0;
    for (size_t i = 0; rc == 0 && i < d->nmade; i++) {
        const char *m = d->made[i];
        if (strncmp(m, from, nfrom) != 0 || (m[nfrom] != '\0' && m[nfrom] != '/'))
            continue;
        if (!(moved[nmoved] = str_printf("%s%s", to, m + nfrom))) {
            *err = str_printf("out of memory");
            rc = -1;
        } else {
            nmoved++;
        }
    }
    if (rc == 0 && rename(from, to) != 0) {
        *err = str_printf("cannot rename '%s': %s", from, strerror(errno));
        rc = -1;
    }
    if (rc == 0) {
        sigset_t old;
        block(&old, true);
        for (size_t i = 0; i < d->nmade; i++) {
            const char *m = d->made[i];
            if (strncmp(m, from, nfrom) == 0 && (m[nfrom] == '\0' || m[nfrom] == '/'))
                free(d->made[i]);
            else
                d->made[kept++] = d->made[i];
        }
        memcpy(d->made + kept, moved, nmoved * sizeof(*moved));
        d->nmade = kept + nmoved;
        block(&old, false);
        nmoved = 0;
    }
    for (size_t i = 0; i < nmoved; i++)
        free(moved[i]);
    free(moved);
    free(from);
    free(to);
    return rc;
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Apply `git diff-tree -r -z` output (from the tree on disk to the one
 * wanted) to the tree at dest: files removed, blobs to write into *b, and
 * each path that differs into *changed.
 * Entries: ":OLDMODE NEWMODE OLDSHA NEWSHA STATUS" NUL PATH NUL.
 */
static int plan_move(gitrev_dir *d, char *text, size_t len, const char *dest, blob **b,
                     size_t *nb, char ***changed, size_t *nchanged, char **err)
{
    size_t cap = 0, ccap = 0;
    for (char *p = text; p < text + len;) {
        char *head = p, *rel = p + strlen(p) + 1;
        if (rel >= text + len)
            break;
        p = rel + strlen(rel) + 1;
        char old_mode[16], new_mode[16], old_sha[80], new_sha[80];
        if (sscanf(head, ":%15s %15s %79s %79s", old_mode, new_mode, old_sha, new_sha) != 4) {
            *err = str_printf("git diff-tree: unexpected output '%.40s'", head);
            return -1;
        }
        bool had = wanted(old_mode, rel), has = wanted(new_mode, rel);
        if (!had && !has)
            continue;
        char *full = str_printf("%s/%s/%s", d->path, dest, rel);
        if (!full || array_grow(changed, &ccap, *nchanged, sizeof(**changed), 16) != 0 ||
            !((*changed)[*nchanged] = strdup(rel)))
            goto oom;
        (*nchanged)++;
        /* The file goes (a new version is written in its place: blobs are created). */
        if (had && unlink(full) != 0 && errno != ENOENT) {
            *err = str_printf("cannot remove '%s': %s", full, strerror(errno));
            free(full);
            return -1;
        }
        free(full);
        if (!has)
            continue;
        if (array_grow(b, &cap, *nb, sizeof(**b), 16) != 0)
            goto oom;
        blob *x = &(*b)[*nb];
        x->sha = strdup(new_sha);
        x->rel = str_printf("%s/%s", dest, rel);
        (*nb)++;
        if (!x->sha || !x->rel)
            goto oom;
    }
    if (*nchanged)
        qsort(*changed, *nchanged, sizeof(**changed), cmp_path);
    return 0;
oom:
    *err = str_printf("out of memory");
    return -1;
}

int gitrev_move(gitrev_dir *d, const char *rev, const char *to, const char *path,
                const char *dest, const char *new_dest, char ***changed, size_t *nchanged,
                char **err)
{
    *err = NULL;
    *changed = NULL;
    *nchanged = 0;
    if (!gitrev_safe_path(new_dest)) {
        *err = str_printf("'%s' cannot name a file in the temporary directory", new_dest);
        return -1;
    }
    if (rev[0] == '-' || to[0] == '-') {
        *err = str_printf("'%s' is not a revision", rev[0] == '-' ? rev : to);
        return -1;
    }
    char *from_spec = str_printf("%s:%s", rev, path), *to_spec = str_printf("%s:%s", to, path);
    char *argv[] = {"git", "diff-tree", "-r", "-z", "--no-renames", "--no-abbrev",
                    from_spec, to_spec, NULL};
    char *text = NULL;
    size_t len;
    blob *b = NULL;
    size_t nb = 0;
    int rc = from_spec && to_spec ? 0 : -1;
    if (rc != 0)
        *err = str_printf("out of memory");
    if (rc == 0)
        rc = git_output(d, argv, &text, &len, err);
    if (rc == 0)
        rc = plan_move(d, text, len, dest, &b, &nb, changed, nchanged, err);
    if (rc == 0)
        rc = rename_tree(d, dest, new_dest, err);
    for (size_t i = 0; rc == 0 && i < nb; i++) {
        char *moved = str_printf("%s%s", new_dest, b[i].rel + strlen(dest));
        if (!moved) {
            *err = str_printf("out of memory");
            rc = -1;
            break;
        }
        free(b[i].rel);
        b[i].rel = moved;
    }
    if (rc == 0)
        rc = write_blobs(d, b, nb, err);
    if (rc != 0) {
        for (size_t i = 0; i < *nchanged; i++)
            free((*changed)[i]);
        free(*changed);
        *changed = NULL;
        *nchanged = 0;
    }
    blobs_free(b, nb);
    free(text);
    free(from_spec);
    free(to_spec);
    return rc;
}

/* ---- History ---------------------------------------------------------------- */

void gitrev_commits_free(gitrev_commit *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(c[i].hash);
        free(c[i].parent);
        free(c[i].date);
        free(c[i].author);
        free(c[i].subject);
    }
    free(c);
}

/* The next field of a record split by 0x1f; NULL when none is left. */
static char *next_field(char **p)
{
    if (!*p)
        return NULL;
    char *start = *p, *sep = strchr(start, '\x1f');
    if (sep) {
        *sep = '\0';
        *p = sep + 1;
    } else {
        *p = NULL;
    }
    return start;
}

int gitrev_log(gitrev_dir *d, const char *path, gitrev_commit **out, size_t *n, char **err)
{
    *out = NULL;
    *n = 0;
    *err = NULL;
    char *argv[] = {"git", "log", "--first-parent", "-z",
                    "--format=%H%x1f%P%x1f%aI%x1f%an%x1f%s", "--", (char *)path, NULL};
    char *text;
    size_t len, cap = 0;
    if (git_output(d, argv, &text, &len, err) != 0)
        return -1;
    for (char *rec = text; rec < text + len; rec += strlen(rec) + 1) {
        char *p = rec, *hash = next_field(&p), *parents = next_field(&p),
             *date = next_field(&p), *author = next_field(&p), *subject = next_field(&p);
        if (!subject)
            continue;
        if (array_grow(out, &cap, *n, sizeof(**out), 16) != 0)
            goto oom;
        gitrev_commit *c = &(*out)[(*n)++];
        size_t plen = strcspn(parents, " ");
        c->hash = strdup(hash);
        c->parent = plen ? strndup(parents, plen) : NULL;
        c->date = strdup(date);
        c->author = strdup(author);
        c->subject = strdup(subject);
        if (!c->hash || (plen && !c->parent) || !c->date || !c->author || !c->subject)
            goto oom;
    }
    free(text);
    return 0;
oom:
    free(text);
    gitrev_commits_free(*out, *n);
    *out = NULL;
    *n = 0;
    *err = str_printf("out of memory");
    return -1;
}
