/* serve_watch.c - `annals serve` with dataset paths: load them, watch their directories (inotify), load again on change. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "annals/db.h"
#include "annals/diag.h"
#include "annals/load.h"
#include "annals/serve.h"
#include "annals/util.h"

/* Changes are gathered until the files have been quiet this long (an editor saves in steps). */
#define QUIET_MS 150
/* Directories deeper than this are not searched for more to watch. */
#define MAX_DEPTH 32

#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | \
                    IN_DELETE_SELF | IN_MOVE_SELF)

struct serve_watch {
    serve_state *st;
    sqlite3 *db;            /* the writer (or, with --db, a reader): only the watcher's thread
                               uses it after the start */
    char **paths;
    size_t npaths;
    int ino;                /* inotify descriptor */
    int wake[2];            /* a byte on wake[1] stops the thread */
    long long data_version; /* --db: the database's state last seen */
    uint64_t print;         /* --db: and what it held then (content_print) */
    struct file_id {        /* --db: the file served (w->db reads it, unless retired), */
        dev_t dev;          /* its -wal and its -shm when they were there */
        ino_t ino;
        bool known;
    } file, wal, shm;
    char *told;             /* --db: what was last said of the file (status, stderr), or NULL */
    pthread_t thread;
    bool running;
};

/*
 * Load the dataset once into w->db (committed only when it has no error,
 * so a bad load keeps the last good content) and tell the state. The
 * diagnostics, when any, also go to out.
 */
static void load_once(serve_watch *w, FILE *out)
{
    diag_list *dl = diag_list_new();
    char **files = NULL, *err = NULL;
    size_t nfiles = 0;
    load_options lo = {.commit = true};
    load_stats stats;
    if (!dl) {
        serve_state_reloaded(w->st, str_printf("annals serve: out of memory\n"), 1, 0);
        return;
    }
    if (load_collect_files((const char *const *)w->paths, w->npaths, &files, &nfiles, dl) == 0)
        load_dataset(w->db, files, nfiles, &lo, dl, &stats, &err);
    diag_sort(dl);
    size_t errors = diag_count(dl, DIAG_ERROR) + (err ? 1 : 0);
    size_t warnings = diag_count(dl, DIAG_WARNING);
    char *text = NULL;
    size_t len = 0;
    FILE *f = (errors || warnings) ? open_memstream(&text, &len) : NULL;
    if (f) {
        diag_print_text(dl, f, false);
        if (err)
            fprintf(f, "error: %s\n", err);
        diag_print_summary(dl, f, nfiles);
        if (fclose(f) != 0) {
            free(text);
            text = NULL;
        }
    }
    if (text && out) {
        fputs(text, out);
        fflush(out);
    }
    free(err);
    load_free_files(files, nfiles);
    diag_list_free(dl);
    serve_state_reloaded(w->st, text, errors, warnings);
}

/* Watch dir and, below depth, every directory under it (hidden ones skipped, as the load does). */
static void watch_tree(serve_watch *w, const char *dir, int depth)
{
    if (inotify_add_watch(w->ino, dir, WATCH_MASK | IN_ONLYDIR) < 0 || depth >= MAX_DEPTH)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char *sub = str_printf("%s/%s", dir, de->d_name);
        struct stat sb;
        if (sub && stat(sub, &sb) == 0 && S_ISDIR(sb.st_mode))
            watch_tree(w, sub, depth + 1);
        free(sub);
    }
    closedir(d);
}

/* (Re)add the watches: each directory path, and the directory holding each file path. */
static void watch_all(serve_watch *w)
{
    for (size_t i = 0; i < w->npaths; i++) {
        struct stat sb;
        if (stat(w->paths[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            watch_tree(w, w->paths[i], 0);
            continue;
        }
        char *copy = strdup(w->paths[i]);
        if (!copy)
            continue;
        char *slash = strrchr(copy, '/');
        if (slash == copy)
            slash[1] = '\0';
        else if (slash)
            *slash = '\0';
        inotify_add_watch(w->ino, slash ? copy : ".", WATCH_MASK | IN_ONLYDIR);
        free(copy);
    }
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/*
 * Read the pending events; true when one may change the dataset: a YAML
 * file, a directory, or a watched directory itself going away. Editors'
 * backup and swap files are not.
 */
static bool drain(serve_watch *w)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool relevant = false;
    for (;;) {
        ssize_t n = read(w->ino, buf, sizeof(buf));
        if (n <= 0)
            return relevant;
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            if (e->mask & (IN_ISDIR | IN_DELETE_SELF | IN_MOVE_SELF | IN_Q_OVERFLOW))
                relevant = true;
            else if (e->len && e->name[0] != '.' &&
                     (has_suffix(e->name, ".yaml") || has_suffix(e->name, ".yml")))
                relevant = true;
            p += sizeof(*e) + e->len;
        }
    }
}

static void *watch_main(void *arg)
{
    serve_watch *w = arg;
    struct pollfd fds[2] = {{.fd = w->ino, .events = POLLIN}, {.fd = w->wake[0], .events = POLLIN}};
    for (;;) {
        if (poll(fds, 2, -1) < 0 && errno != EINTR)
            break;
        if (fds[1].revents)
            break;
        if (!(fds[0].revents & POLLIN) || !drain(w))
            continue;
        /* Wait until the files have been quiet for a while, then load once. */
        int r;
        while ((r = poll(fds, 2, QUIET_MS)) > 0 && !fds[1].revents)
            drain(w);
        if (fds[1].revents)
            break;
        watch_all(w);     /* new directories */
        load_once(w, stderr);
    }
    return NULL;
}

static void free_watch(serve_watch *w)
{
    if (w->ino >= 0)
        close(w->ino);
    if (w->wake[0] >= 0) {
        close(w->wake[0]);
        close(w->wake[1]);
    }
    db_close(w->db);
    free(w->told);
    for (size_t i = 0; i < w->npaths; i++)
        free(w->paths[i]);
    free(w->paths);
    free(w);
}

/* A new watcher of st with nothing open yet, or NULL with *err. */
static serve_watch *new_watch(serve_state *st, char **err)
{
    *err = NULL;
    serve_watch *w = calloc(1, sizeof(*w));
    if (!w) {
        *err = str_printf("out of memory");
        return NULL;
    }
    w->st = st;
    w->ino = -1;
    w->wake[0] = w->wake[1] = -1;
    return w;
}

serve_watch *serve_watch_start(serve_state *st, const char *dbpath, const char *const *paths,
                               size_t npaths, FILE *diag_out, char **err)
{
    serve_watch *w = new_watch(st, err);
    if (!w)
        return NULL;
    w->paths = calloc(npaths, sizeof(char *));
    for (size_t i = 0; w->paths && i < npaths; i++) {
        if (!(w->paths[i] = strdup(paths[i]))) {
            w->npaths = i;
            free_watch(w);
            *err = str_printf("out of memory");
            return NULL;
        }
        w->npaths = i + 1;
    }
    if (!w->paths) {
        free_watch(w);
        *err = str_printf("out of memory");
        return NULL;
    }
    if (db_open(dbpath, DB_WRITE, &w->db, err) != 0) {
        free_watch(w);
        return NULL;
    }
    if ((w->ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0 ||
        pipe(w->wake) != 0) {
        *err = str_printf("cannot watch the files: %s", strerror(errno));
        free_watch(w);
        return NULL;
    }
    /* Watch first: a change made during the first load is then not missed. */
    watch_all(w);
    load_once(w, diag_out);
    if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
        *err = str_printf("cannot start the watcher thread");
        free_watch(w);
        return NULL;
    }
    w->running = true;
    return w;
}

void serve_watch_stop(serve_watch *w)
{
    if (!w)
        return;
    if (w->running) {
        ssize_t n = write(w->wake[1], "x", 1);
        (void)n;
        pthread_join(w->thread, NULL);
    }
    free_watch(w);
}

/* ---- --db: another process's load ------------------------------------------------ */

static int data_version(sqlite3 *db, long long *v)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0)
        *v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc;
}

/*
 * What the database holds, in one number: its schema version and its
 * files (id, path, size, content fingerprint). A load writes what the
 * files say, so the same files are the same content: a commit that leaves
 * them, or a checkpoint (annals load empties the log when it ends, which
 * moves PRAGMA data_version a second time), needs no refresh. 0, or -1.
 */
static int content_print(sqlite3 *db, uint64_t *print)
{
    static const char sql[] = "SELECT (SELECT user_version FROM pragma_user_version), id, path, "
                              "size, hash FROM files ORDER BY id";
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        return -1;
    strbuf b = STRBUF_INIT;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        strbuf_addf(&b, "%lld %lld %s %lld %s\n", (long long)sqlite3_column_int64(q, 0),
                    (long long)sqlite3_column_int64(q, 1), (const char *)sqlite3_column_text(q, 2),
                    (long long)sqlite3_column_int64(q, 3), (const char *)sqlite3_column_text(q, 4));
    sqlite3_finalize(q);
    bool whole = rc == SQLITE_DONE && !b.oom;
    if (whole)
        *print = hash_bytes(strbuf_str(&b), b.n);
    strbuf_free(&b);
    return whole ? 0 : -1;
}

serve_db_step serve_db_next(const serve_db_sight *s)
{
    if (!s->present)
        return SERVE_DB_REMOVED;
    if (s->same && s->old_open)
        return SERVE_DB_SAME;
    if (s->same)
        return SERVE_DB_TRY;      /* renamed away and back while retired */
    if (s->old_companions && s->old_open)
        return SERVE_DB_RETIRE;
    if (s->old_companions && s->wal_written)
        return SERVE_DB_WAIT;
    return SERVE_DB_TRY;
}

/* The identity of the file at path into *id (known false when there is none). */
static void file_id_of(const char *path, struct file_id *id, off_t *size)
{
    struct stat sb;
    id->known = stat(path, &sb) == 0;
    id->dev = id->known ? sb.st_dev : 0;
    id->ino = id->known ? sb.st_ino : 0;
    if (size)
        *size = id->known ? sb.st_size : 0;
}

static bool same_file(const struct file_id *a, const struct file_id *b)
{
    return a->known && b->known && a->dev == b->dev && a->ino == b->ino;
}

/* The identity of the path's "-wal" or "-shm" into *id; *size its size. */
static void companion_id(const char *dbpath, const char *suffix, struct file_id *id, off_t *size)
{
    char *p = str_printf("%s%s", dbpath, suffix);
    if (p) {
        file_id_of(p, id, size);
    } else {
        *id = (struct file_id){0};
        if (size)
            *size = 0;
    }
    free(p);
}

/*
 * Say what happened to the file, once (the same message again says
 * nothing): on the page (the status's diagnostics; the generation moves
 * so that open pages read them) and on standard error. Takes msg.
 */
static void tell(serve_watch *w, char *msg, bool error)
{
    if (!msg || (w->told && strcmp(w->told, msg) == 0)) {
        free(msg);
        return;
    }
    free(w->told);
    w->told = msg;
    fprintf(stderr, "annals serve: %s: %s\n", error ? "error" : "warning", msg);
    serve_state_reloaded(w->st, str_printf("%s: %s\n", error ? "error" : "warning", msg),
                         error ? 1 : 0, error ? 0 : 1);
}

/*
 * Open the file at the path (read only) as the one served: it must be
 * the same file before and after the open and, when it replaces another,
 * hold a whole load (a load into a new file commits it in one
 * transaction; until then it holds the schema alone). 0 with *db and *id;
 * 1 when it is not ready yet; -1 with *err when it cannot be served.
 */
static int open_served(serve_watch *w, bool replacing, sqlite3 **db, struct file_id *id,
                       char **err)
{
    const char *path = w->st->dbpath;
    struct file_id after;
    *db = NULL;
    *err = NULL;
    file_id_of(path, id, NULL);
    if (!id->known)
        return 1;
    if (db_open(path, DB_READ, db, err) != 0)
        return -1;
    sqlite3_stmt *q = NULL;
    int loaded = 0;
    if (db_prepare(*db, "SELECT EXISTS (SELECT 1 FROM files)", &q, err) == 0) {
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW)
            loaded = sqlite3_column_int(q, 0);
        else
            *err = db_error(*db, "SELECT EXISTS (SELECT 1 FROM files)");
        sqlite3_finalize(q);
    }
    file_id_of(path, &after, NULL);
    int rc = *err ? -1 : (replacing && !loaded) || !same_file(id, &after) ? 1 : 0;
    if (rc == 0 && (data_version(*db, &w->data_version) != 0 ||
                    content_print(*db, &w->print) != 0)) {
        *err = db_error(*db, NULL);
        rc = -1;
    }
    if (rc != 0) {
        db_close(*db);
        *db = NULL;
    }
    return rc;
}

/*
 * Serve the file at the path from now on: the watcher's connection and
 * the pool's read it (the pool's in use are replaced when given back),
 * its -wal and -shm are noted, and the generation moves. 0, 1 (not
 * ready: look again later) or -1 with *err.
 */
static int switch_to(serve_watch *w, char **err)
{
    sqlite3 *db, *conns[SERVE_POOL] = {NULL};
    struct file_id id;
    bool replacing = w->file.known;
    int rc = open_served(w, replacing, &db, &id, err);
    if (rc != 0)
        return rc;
    for (int i = 0; i < SERVE_POOL; i++) {
        char *ignored = NULL;     /* a slot not opened now is opened when first needed */
        if (serve_db_open(w->st, &conns[i], &ignored) != 0)
            conns[i] = NULL;
        free(ignored);
    }
    serve_db_replace(w->st, conns, id.dev, id.ino);
    db_close(w->db);
    w->db = db;
    w->file = id;
    companion_id(w->st->dbpath, "-wal", &w->wal, NULL);
    companion_id(w->st->dbpath, "-shm", &w->shm, NULL);
    free(w->told);
    w->told = NULL;
    if (replacing) {
        fprintf(stderr, "annals serve: the database '%s' was replaced: serving the new one\n",
                w->st->dbpath);
        serve_state_reloaded(w->st, NULL, 0, 0);
    }
    return 0;
}

/* One look at the database: replaced, removed, or another connection's commit. */
static void db_check(serve_watch *w)
{
    const char *path = w->st->dbpath;
    struct file_id now, wal, shm;
    off_t wal_size;
    file_id_of(path, &now, NULL);
    companion_id(path, "-wal", &wal, &wal_size);
    companion_id(path, "-shm", &shm, NULL);
    serve_db_sight sight = {
        .present = now.known,
        .same = same_file(&now, &w->file),
        .old_open = w->db != NULL,
        .old_companions = same_file(&wal, &w->wal) || same_file(&shm, &w->shm),
        .wal_written = wal_size > 0,
    };
    long long v;
    char *err = NULL;
    int rc;
    bool changed;
    switch (serve_db_next(&sight)) {
    case SERVE_DB_SAME:
        changed = false;
        if (data_version(w->db, &v) == 0 && v != w->data_version) {
            uint64_t print = 0;
            w->data_version = v;
            changed = content_print(w->db, &print) != 0 || print != w->print;
            w->print = print;
        }
        if (changed || w->told) {
            free(w->told);     /* renamed away and back: nothing to say any more */
            w->told = NULL;
            serve_state_reloaded(w->st, NULL, 0, 0);
        }
        break;
    case SERVE_DB_REMOVED:
        tell(w, str_printf("the database '%s' was removed; %s; load it again with "
                           "'annals load --db %s'", path,
                           w->db ? "showing what it held" : "nothing to show", path), false);
        break;
    case SERVE_DB_RETIRE:
        err = str_printf("the database '%s' was replaced; the new one is read as soon as it "
                         "holds a whole load", path);
        serve_db_retire(w->st, err ? err : "the database was replaced");
        free(err);
        db_close(w->db);
        w->db = NULL;
        db_check(w);      /* look again at once: the old connections are closed */
        break;
    case SERVE_DB_WAIT:
        tell(w, str_printf("the database '%s' was replaced, but its write-ahead log '%s-wal' is "
                           "still the old file's and holds changes: the new file is not read "
                           "until that log is gone (a load writing into it removes it when it "
                           "ends; otherwise remove '%s-wal' and '%s-shm', and only then load "
                           "into the file)", path, path, path, path),
             false);
        break;
    case SERVE_DB_TRY:
        rc = switch_to(w, &err);
        if (rc < 0)
            tell(w, str_printf("the database '%s' was replaced by a file that cannot be served "
                               "(%s); %s", path, err, w->db ? "showing what the old one held"
                                                             : "nothing to show"), true);
        else if (rc > 0)
            tell(w, str_printf("the database '%s' was replaced; the new one holds no whole "
                               "load yet; %s", path, w->db ? "showing what the old one held"
                                                           : "nothing to show until it does"),
                 false);
        free(err);
        break;
    }
}

static void *db_watch_main(void *arg)
{
    serve_watch *w = arg;
    struct pollfd fd = {.fd = w->wake[0], .events = POLLIN};
    for (;;) {
        int r = poll(&fd, 1, SERVE_DB_POLL_MS);
        if (r > 0 || (r < 0 && errno != EINTR))
            break;
        db_check(w);
    }
    return NULL;
}

serve_watch *serve_watch_db_start(serve_state *st, char **err)
{
    serve_watch *w = new_watch(st, err);
    if (!w)
        return NULL;
    /* A file replaced while it is opened is seen by open_served: a few tries. */
    int rc = 1;
    for (int tries = 0; rc == 1 && tries < 5; tries++)
        rc = switch_to(w, err);
    if (rc != 0) {
        if (rc == 1)
            *err = str_printf("the database '%s' holds no load yet, or it was replaced while "
                              "opened; fill it first with 'annals load --db %s'", st->dbpath,
                              st->dbpath);
        free_watch(w);
        return NULL;
    }
    if (pipe(w->wake) != 0) {
        *err = str_printf("cannot watch the database: %s", strerror(errno));
        free_watch(w);
        return NULL;
    }
    if (pthread_create(&w->thread, NULL, db_watch_main, w) != 0) {
        *err = str_printf("cannot start the watcher thread");
        free_watch(w);
        return NULL;
    }
    w->running = true;
    return w;
}
