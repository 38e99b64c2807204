/* load.c - find a dataset's files and load them into SQLite in one transaction.
 *
 * The stages of a load, each with its own state (docs/architecture.md):
 * reload.c plans what to read; reader threads (this file) read files and
 * records.c turns their records into rows; rows.c carries the rows to the
 * writer in file order; store.c inserts them; crossref.c checks the
 * dataset-wide rules. This file owns the load job and the readers.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "annals/crossref.h"
#include "annals/db.h"
#include "annals/load.h"
#include "annals/records.h"
#include "annals/reload.h"
#include "annals/rows.h"
#include "annals/store.h"
#include "annals/util.h"
#include "annals/yamlread.h"


/* ---- Files --------------------------------------------------------------- */

typedef struct {
    char **v;
    size_t n, cap;
    size_t broken;      /* event files reported as broken links (not in v) */
} strvec;

static int strvec_push(strvec *sv, char *s)
{
    if (!s)
        return -1;
    if (array_grow(&sv->v, &sv->cap, sv->n, sizeof(*sv->v), 32) != 0) {
        free(s);
        return -1;
    }
    sv->v[sv->n++] = s;
    return 0;
}

bool load_has_yaml_ext(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

/* The directories from a walk's root down to the one being read. */
typedef struct dir_chain {
    dev_t dev;
    ino_t ino;
    const struct dir_chain *up;
} dir_chain;

static bool chain_has(const dir_chain *c, const struct stat *st)
{
    for (; c; c = c->up)
        if (c->dev == st->st_dev && c->ino == st->st_ino)
            return true;
    return false;
}

/*
 * A symbolic link under a directory whose target is missing (or a loop):
 * when it is named like an event file, an error at its path, and the walk
 * goes on with the other files; other names are not event files and are
 * passed over. Counted in out->broken. False when path is not such a link.
 */
static bool broken_link(const char *path, const char *name, strvec *out, diag_list *dl)
{
    int e = errno;
    struct stat st;
    if ((e != ENOENT && e != ELOOP) || lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
        return false;
    if (!load_has_yaml_ext(name))
        return true;
    char target[1024];
    ssize_t n = readlink(path, target, sizeof(target) - 1);
    target[n > 0 ? n : 0] = '\0';
    out->broken++;
    diag_add(dl, DIAG_ERROR, path, 0, 0, 0, "remove the link, or restore the file it points to",
             "broken symbolic link: its target '%s' %s", target,
             e == ELOOP ? "is a loop of links" : "does not exist");
    return true;
}

/*
 * Add the YAML files under dir, recursively. Symbolic links are followed,
 * except a link back to a directory being walked (a loop): its files are
 * read once, through the walk above it. Unreadable directories are errors.
 */
static int walk_dir(const char *dir, const dir_chain *up, strvec *out, diag_list *dl,
                    int depth)
{
    if (depth > 64)
        return diag_add(dl, DIAG_ERROR, dir, 0, 0, 0, NULL,
                        "directories nested deeper than 64 levels");
    struct stat self;
    if (stat(dir, &self) != 0)
        return diag_add(dl, DIAG_ERROR, dir, 0, 0, 0, "check the path and its permissions",
                        "cannot read directory: %s", strerror(errno));
    if (chain_has(up, &self))
        return 0;
    dir_chain here = {self.st_dev, self.st_ino, up};
    DIR *d = opendir(dir);
    if (!d)
        return diag_add(dl, DIAG_ERROR, dir, 0, 0, 0, "check the path and its permissions",
                        "cannot read directory: %s", strerror(errno));
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')   /* ., .., and hidden files such as .git */
            continue;
        size_t dl_len = strlen(dir);
        char *path = str_printf("%s%s%s", dir, dl_len && dir[dl_len - 1] == '/' ? "" : "/",
                                de->d_name);
        if (!path) {
            rc = -1;
            break;
        }
        struct stat st;
        if (stat(path, &st) != 0) {
            if (!broken_link(path, de->d_name, out, dl))
                rc = diag_add(dl, DIAG_ERROR, path, 0, 0, 0, NULL, "cannot read: %s",
                              strerror(errno));
            free(path);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (walk_dir(path, &here, out, dl, depth + 1) < 0)
                rc = -1;
            free(path);
        } else if (S_ISREG(st.st_mode) && load_has_yaml_ext(de->d_name)) {
            if (strvec_push(out, path) < 0)
                rc = -1;
        } else {
            free(path);
        }
    }
    closedir(d);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int load_collect_files(const char *const *paths, size_t npaths, char ***files,
                       size_t *n, diag_list *dl)
{
    strvec sv = {0};
    int rc = 0;
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            rc = diag_add(dl, DIAG_ERROR, paths[i], 0, 0, 0,
                          "give a YAML file or a directory of them",
                          "cannot read: %s", strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            size_t before = sv.n + sv.broken;
            if (walk_dir(paths[i], NULL, &sv, dl, 0) < 0)
                rc = -1;
            else if (sv.n + sv.broken == before)
                diag_add(dl, DIAG_ERROR, paths[i], 0, 0, 0,
                         "give a directory that holds the dataset's files, or the files "
                         "themselves",
                         "no event file here: nothing named *.yaml or *.yml in this "
                         "directory or below");
        } else if (strvec_push(&sv, strdup(paths[i])) < 0) {
            rc = -1;
        }
    }
    if (sv.n > 1)
        qsort(sv.v, sv.n, sizeof(*sv.v), cmp_str);
    /* The same file given twice (a directory and a file in it) is read once. */
    size_t w = 0;
    for (size_t i = 0; i < sv.n; i++) {
        if (w && strcmp(sv.v[w - 1], sv.v[i]) == 0)
            free(sv.v[i]);
        else
            sv.v[w++] = sv.v[i];
    }
    if (rc < 0) {
        load_free_files(sv.v, w);
        *files = NULL;
        *n = 0;
        return -1;
    }
    *files = sv.v;
    *n = w;
    return 0;
}

void load_free_files(char **files, size_t n)
{
    for (size_t i = 0; files && i < n; i++)
        free(files[i]);
    free(files);
}

/* ---- The load job --------------------------------------------------------- */

/* What load_dataset owns for the length of one load (its thread only). */
typedef struct {
    sqlite3 *db;
    const load_options *opts;
    load_stats *stats;
    diag_list *dl;           /* the caller's: every stage's diagnostics end here */
    char *err;               /* the first failure: the load stops */
    bool lean;               /* checking only: skip texts and indexes no rule needs */
} load_job;

/*
 * Secondary indexes are dropped before the bulk insert and built again
 * after it, inside the same transaction: building an index from all rows
 * at once is far cheaper than updating it row by row, and a rollback
 * brings the old ones back. The database may have been crafted, so an index
 * is rebuilt only from a definition found verbatim in annals' own schema.
 */
static int drop_indexes(load_job *J, strvec *saved)
{
    static const char sql[] = "SELECT name, sql, tbl_name FROM sqlite_schema WHERE type = "
                              "'index' AND sql IS NOT NULL";
    sqlite3_stmt *st;
    if (db_prepare(J->db, sql, &st, &J->err) != 0)
        return -1;
    strvec names = {0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *def = (const char *)sqlite3_column_text(st, 1);
        const char *table = (const char *)sqlite3_column_text(st, 2);
        if (!name || !table || !db_schema_has(def)) {
            J->err = str_printf("index '%s' is not one of annals' schema: the database "
                                "was altered outside annals; load into a new database",
                                name ? name : "?");
            rc = SQLITE_ERROR;
            break;
        }
        /* A check (a database thrown away) builds only the indexes its rules
           need to avoid quadratic joins: those of the name tables. */
        bool needed = !J->lean || strstr(table, "_names") != NULL;
        char *drop = sqlite3_mprintf("DROP INDEX \"%w\"", name);
        if (strvec_push(&names, drop ? strdup(drop) : NULL) ||
            (needed && strvec_push(saved, strdup(def)))) {
            sqlite3_free(drop);
            rc = SQLITE_NOMEM;
            break;
        }
        sqlite3_free(drop);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        load_free_files(names.v, names.n);
        return J->err ? -1 : db_fail(J->db, sql, &J->err);
    }
    for (size_t i = 0; i < names.n && !J->err; i++)
        db_exec(J->db, names.v[i], &J->err);
    load_free_files(names.v, names.n);
    return J->err ? -1 : 0;
}

static int create_indexes(load_job *J, const strvec *saved)
{
    for (size_t i = 0; i < saved->n && !J->err; i++)
        db_exec(J->db, saved->v[i], &J->err);
    return J->err ? -1 : 0;
}

/* ---- Reading: one or two readers over the files, taking turns ------------ */

/* What the readers share: read only, but for what mu guards. */
typedef struct {
    char *const *files;
    const size_t *todo;          /* indexes in files of the files to read, in order */
    size_t ntodo;
    int64_t first_id;            /* the file id of todo[0]; one more for each next */
    const load_options *opts;
    row_queue *queue;            /* the writer's (thread-safe) */
    size_t nfiles, kept;         /* for progress: all files, and those kept as they are */
    pthread_mutex_t mu;          /* guards what follows */
    size_t next;                 /* the next of todo to take */
    size_t done, records;        /* files read and records stored so far */
    bool stop;                   /* a reader failed: take no more files */
} reading;

/* One reader thread's own state; no other thread touches it until joined. */
typedef struct {
    reading *shared;
    records_reader rec;          /* its diagnostics, lane and file */
    bool io_failed;              /* a file could not be read (reported) */
    bool failed;                 /* the load cannot go on (the writer, or memory) */
} reader;

/* Read one file, register it in `files`, and stream its records into rows. */
static int load_file(records_reader *R, const load_options *opts, const char *path)
{
    size_t len = 0;
    char *buf = reload_read(opts, path, &len, YREAD_MAX_FILE);
    if (!buf) {
        int e = errno;
        if (e == EFBIG)
            diag_add(R->dl, DIAG_ERROR, path, 0, 0, 0, "split it into smaller files",
                     "file is larger than %u MiB", YREAD_MAX_FILE >> 20);
        else
            diag_add(R->dl, DIAG_ERROR, path, 0, 0, 0, "check the path and its permissions",
                     "cannot read file: %s", strerror(e));
        return e == EFBIG ? 0 : -1;
    }
    char hash[17];
    reload_fingerprint(buf, len, hash);
    R->file = path;
    row_begin(R->lane, ROW_FILE);
    row_int(R->lane, R->file_id);
    row_str(R->lane, path);
    row_str(R->lane, hash);
    row_int(R->lane, (int64_t)len);
    if (row_end(R->lane) < 0) {
        free(buf);
        return -1;
    }
    int rc = yread_buffer_gaps(path, buf, len, R->dl, records_item, records_gap, R);
    free(buf);
    return rc < 0 ? -1 : 0;
}

/*
 * Take the next file, read it, hand its rows on in its turn; until none is
 * left. Reads carry on past a file that cannot be read (its error is
 * reported), not past a failure of the writer or of memory.
 */
static void *read_files(void *arg)
{
    reader *r = arg;
    reading *shared = r->shared;
    records_reader *R = &r->rec;
    for (;;) {
        pthread_mutex_lock(&shared->mu);
        size_t k = shared->next;
        bool take = !shared->stop && k < shared->ntodo;
        if (take)
            shared->next++;
        pthread_mutex_unlock(&shared->mu);
        if (!take)
            break;
        size_t before = R->records;
        R->file_id = shared->first_id + (int64_t)k;
        lane_begin(R->lane, k);
        bool fatal = false;
        if (load_file(R, shared->opts, shared->files[shared->todo[k]]) < 0) {
            if (row_queue_failed(shared->queue))
                fatal = true;
            else
                r->io_failed = true;
        }
        if (lane_end(R->lane, fatal) < 0)
            fatal = true;
        pthread_mutex_lock(&shared->mu);
        shared->stop |= fatal;
        shared->done++;
        shared->records += R->records - before;
        const load_options *opts = shared->opts;
        if (opts->progress)
            opts->progress(opts->progress_ctx, shared->kept + shared->done, shared->nfiles,
                           shared->records);
        pthread_mutex_unlock(&shared->mu);
        if (fatal) {
            r->failed = true;
            break;
        }
    }
    return NULL;
}

/*
 * Read every file the plan does not keep: on this thread, and on a second
 * one when the writer has a thread of its own (so that reading, the slower
 * half, uses both cores while the writer keeps up). Each reader has its own
 * state, lane and diagnostics; the rows reach the writer in file order
 * whoever reads them, and the readers' diagnostics are merged in reader
 * order, so the database and the diagnostics are those of one reader. -1
 * on a failure that stops the load; *io_failed when a file could not be
 * read.
 */
static int read_all(load_job *J, store *S, char *const *files, size_t nfiles,
                    const reload_plan *plan, bool *io_failed)
{
    size_t *todo = malloc((nfiles + 1) * sizeof(*todo)), ntodo = 0;
    if (!todo) {
        J->err = str_printf("out of memory");
        return -1;
    }
    for (size_t i = 0; i < nfiles; i++)
        if (!plan->keep[i])
            todo[ntodo++] = i;
    reading shared = {.files = files, .todo = todo, .ntodo = ntodo,
                      .first_id = plan->first_file, .opts = J->opts, .queue = store_queue(S),
                      .nfiles = nfiles, .kept = nfiles - ntodo};
    pthread_mutex_init(&shared.mu, NULL);
    reader r[2] = {{.shared = &shared, .rec = {.lean = J->lean}},
                   {.shared = &shared, .rec = {.lean = J->lean}}};
    size_t nreaders = ntodo > 1 ? store_readers(S) : 1;
    int rc = 0;
    for (size_t j = 0; j < nreaders; j++) {
        r[j].rec.dl = diag_list_new();
        r[j].rec.lane = lane_open(shared.queue);
        if (!r[j].rec.dl || !r[j].rec.lane)
            rc = -1;
    }
    pthread_t second;
    bool started = !rc && nreaders == 2 &&
                   pthread_create(&second, NULL, read_files, &r[1]) == 0;
    if (!rc)
        read_files(&r[0]);
    if (started)
        pthread_join(second, NULL);
    for (size_t j = 0; j < nreaders; j++) {
        lane_close(r[j].rec.lane);
        if (r[j].rec.dl) {
            diag_list_move(J->dl, r[j].rec.dl);
            diag_list_free(r[j].rec.dl);
        }
        *io_failed |= r[j].io_failed;
        if (r[j].failed)
            rc = -1;
    }
    J->stats->files = shared.kept + shared.done;
    pthread_mutex_destroy(&shared.mu);
    free(todo);
    if (rc && !J->err && !row_queue_failed(shared.queue))
        J->err = str_printf("out of memory");
    return rc;
}

/* ---- After the rows -------------------------------------------------------- */

/* Counts of what the database holds after the load. */
static int count_rows(load_job *J)
{
    static const char sql[] = "SELECT (SELECT count(*) FROM actors), (SELECT count(*) FROM "
                              "places), (SELECT count(*) FROM sources), (SELECT count(*) "
                              "FROM events)";
    sqlite3_stmt *st;
    if (db_prepare(J->db, sql, &st, &J->err) != 0)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        J->stats->actors = (size_t)sqlite3_column_int64(st, 0);
        J->stats->places = (size_t)sqlite3_column_int64(st, 1);
        J->stats->sources = (size_t)sqlite3_column_int64(st, 2);
        J->stats->events = (size_t)sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
    return 0;
}

/*
 * keep_errors: the files with a diagnostic get an empty fingerprint, which
 * no content has, so that the next reload reads them again: a reload keeps
 * only files that were clean, as it does after an ordinary load.
 */
static int mark_files_with_problems(load_job *J)
{
    static const char sql[] = "UPDATE files SET hash = '' WHERE path = ?";
    sqlite3_stmt *st;
    if (db_prepare(J->db, sql, &st, &J->err) != 0)
        return -1;
    int rc = SQLITE_DONE;
    for (size_t i = 0; i < diag_list_len(J->dl) && rc == SQLITE_DONE; i++) {
        diag_view d = diag_at(J->dl, i);
        if (!d.file)
            continue;
        sqlite3_bind_text(st, 1, d.file, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_fail(J->db, sql, &J->err);
}

int load_dataset(sqlite3 *db, char *const *files, size_t nfiles,
                 const load_options *opts, diag_list *dl, load_stats *stats,
                 char **err)
{
    memset(stats, 0, sizeof(*stats));
    *err = NULL;
    load_job J = {.db = db, .opts = opts, .stats = stats, .dl = dl, .lean = !opts->commit};
    /* IMMEDIATE: take the write lock now, so a second writer waits or fails here. */
    if (db_exec(db, "BEGIN IMMEDIATE", err) != 0)
        return -1;
    reload_plan plan = {0};
    strvec indexes = {0};
    int rc = db_migrate(db, &J.err) != 0 ? -1 : 0;
    if (!rc)
        rc = reload_plan_make(db, files, nfiles, opts, &plan, &J.err);
    /* A full load builds the indexes once at the end; a reload keeps them. */
    if (!rc && !plan.incremental)
        rc = drop_indexes(&J, &indexes);
    store *S = NULL;
    if (!rc && !(S = store_open(db, &J.err)))
        rc = -1;
    bool io_failed = false;
    if (!rc)
        rc = read_all(&J, S, files, nfiles, &plan, &io_failed);
    if (store_close(S, dl, &J.err) < 0)
        rc = -1;
    if (!rc)
        rc = create_indexes(&J, &indexes);
    load_free_files(indexes.v, indexes.n);
    if (!rc && !io_failed)
        rc = crossref_check(db, plan, dl, &J.err);
    if (!rc)
        rc = count_rows(&J);
    if (opts->strict)
        diag_promote_warnings(dl);
    bool keep_result = !rc && !io_failed && opts->commit &&
                       (opts->keep_errors || diag_count(dl, DIAG_ERROR) == 0);
    if (keep_result) {
        rc = reload_finish(db, &plan, &J.err);
        if (!rc && opts->keep_errors)
            rc = mark_files_with_problems(&J);
        if (!rc)
            rc = db_exec(db, "PRAGMA optimize; COMMIT", &J.err);
    }
    reload_plan_free(&plan);
    if (!keep_result || rc) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        if (io_failed && !J.err)
            J.err = str_printf("some files could not be read");
    }
    if (diag_list_oom(dl) && !J.err)
        J.err = str_printf("out of memory");
    *err = J.err;
    return *err ? -1 : 0;
}
