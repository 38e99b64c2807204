/* load.c - find a dataset's files and load them into SQLite in one transaction. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "annals/db.h"
#include "annals/util.h"
#include "annals/yamlread.h"
#include "load_internal.h"


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
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 32;
        char **v = realloc(sv->v, cap * sizeof(*v));
        if (!v) {
            free(s);
            return -1;
        }
        sv->v = v;
        sv->cap = cap;
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

/* ---- Loading ------------------------------------------------------------- */

/*
 * A fast 64-bit content fingerprint (not a security hash): FNV-1a's
 * constants over 8-byte words, with a final mix. Only equality matters.
 */
static uint64_t content_hash(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x100000001b3u;
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001b3u;
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93u;
    return h ^ (h >> 32);
}

void load_hash_hex(const char *buf, size_t len, char hex[17])
{
    snprintf(hex, 17, "%016llx", (unsigned long long)content_hash(buf, len));
}

char *load_read(const load_options *opts, const char *path, size_t *len, size_t max)
{
    for (size_t i = 0; i < opts->noverlays; i++) {
        const load_overlay *o = &opts->overlays[i];
        if (strcmp(o->path, path) != 0)
            continue;
        if (o->len > max) {
            errno = EFBIG;
            return NULL;
        }
        char *buf = malloc(o->len + 1);
        if (!buf)
            return NULL;
        memcpy(buf, o->text, o->len);
        buf[o->len] = '\0';
        *len = o->len;
        return buf;
    }
    return file_read_all(path, len, max);
}

/* Read one file, register it in `files`, and stream its records into the loader. */
static int load_file(loader *L, const load_options *opts, const char *path)
{
    size_t len = 0;
    char *buf = load_read(opts, path, &len, YREAD_MAX_FILE);
    if (!buf) {
        int e = errno;
        if (e == EFBIG)
            diag_add(L->dl, DIAG_ERROR, path, 0, 0, 0, "split it into smaller files",
                     "file is larger than %u MiB", YREAD_MAX_FILE >> 20);
        else
            diag_add(L->dl, DIAG_ERROR, path, 0, 0, 0, "check the path and its permissions",
                     "cannot read file: %s", strerror(e));
        return e == EFBIG ? 0 : -1;
    }
    char hash[17];
    load_hash_hex(buf, len, hash);
    L->file = path;
    row_begin(L, ST_FILE);
    row_int(L, L->file_id);
    row_str(L, path);
    row_str(L, hash);
    row_int(L, (int64_t)len);
    if (row_end(L) < 0) {
        free(buf);
        return -1;
    }
    int rc = yread_buffer(path, buf, len, L->dl, records_item, L);
    free(buf);
    return L->err ? -1 : rc < 0 ? -1 : 0;
}

/*
 * Secondary indexes are dropped before the bulk insert and built again
 * after it, inside the same transaction: building an index from all rows
 * at once is far cheaper than updating it row by row, and a rollback
 * brings the old ones back. The database may have been crafted, so an index
 * is rebuilt only from a definition found verbatim in annals' own schema.
 */
static int drop_indexes(loader *L, strvec *saved)
{
    static const char sql[] = "SELECT name, sql, tbl_name FROM sqlite_schema WHERE type = "
                              "'index' AND sql IS NOT NULL";
    sqlite3_stmt *st;
    if (db_prepare(L->db, sql, &st, &L->err) != 0)
        return -1;
    strvec names = {0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *def = (const char *)sqlite3_column_text(st, 1);
        const char *table = (const char *)sqlite3_column_text(st, 2);
        if (!name || !table || !db_schema_has(def)) {
            L->err = str_printf("index '%s' is not one of annals' schema: the database "
                                "was altered outside annals; load into a new database",
                                name ? name : "?");
            rc = SQLITE_ERROR;
            break;
        }
        /* A check (a database thrown away) builds only the indexes its rules
           need to avoid quadratic joins: those of the name tables. */
        bool needed = !L->lean || strstr(table, "_names") != NULL;
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
        return L->err ? -1 : loader_fail(L, sql);
    }
    for (size_t i = 0; i < names.n && !L->err; i++)
        db_exec(L->db, names.v[i], &L->err);
    load_free_files(names.v, names.n);
    return L->err ? -1 : 0;
}

static int create_indexes(loader *L, const strvec *saved)
{
    for (size_t i = 0; i < saved->n && !L->err; i++)
        db_exec(L->db, saved->v[i], &L->err);
    return L->err ? -1 : 0;
}

/* ---- Reading: one or two readers over the files, taking turns ------------ */

/* What the readers share. */
typedef struct {
    char *const *files;
    const size_t *todo;          /* indexes in files of the files to read, in order */
    size_t ntodo;
    sqlite3_int64 first_id;      /* the file id of todo[0]; one more for each next */
    const load_options *opts;
    size_t nfiles, kept;         /* for progress: all files, and those kept as they are */
    pthread_mutex_t mu;          /* guards what follows */
    size_t next;                 /* the next of todo to take */
    size_t done, records;        /* files read and records stored so far */
    bool stop;                   /* a reader failed: take no more files */
} reading;

typedef struct {
    reading *job;
    loader L;                    /* this reader's copy: its file, diagnostics and lane */
    bool io_failed;              /* a file could not be read (reported) */
    bool failed;                 /* the load cannot go on (L.err or the writer) */
} reader;

/*
 * Take the next file, read it, hand its rows on in its turn; until none is
 * left. Reads carry on past a file that cannot be read (its error is
 * reported), not past a failure of the writer or of memory.
 */
static void *read_files(void *arg)
{
    reader *r = arg;
    reading *job = r->job;
    for (;;) {
        pthread_mutex_lock(&job->mu);
        size_t k = job->next;
        bool take = !job->stop && k < job->ntodo;
        if (take)
            job->next++;
        pthread_mutex_unlock(&job->mu);
        if (!take)
            break;
        size_t before = r->L.records;
        r->L.file_id = job->first_id + (sqlite3_int64)k;
        lane_begin(&r->L, k);
        bool fatal = false;
        if (load_file(&r->L, job->opts, job->files[job->todo[k]]) < 0) {
            if (writer_failed(&r->L) || r->L.err)
                fatal = true;
            else
                r->io_failed = true;
        }
        if (lane_end(&r->L, fatal) < 0)
            fatal = true;
        pthread_mutex_lock(&job->mu);
        job->stop |= fatal;
        job->done++;
        job->records += r->L.records - before;
        if (job->opts->progress)
            job->opts->progress(job->opts->progress_ctx, job->kept + job->done, job->nfiles,
                                job->records);
        pthread_mutex_unlock(&job->mu);
        if (fatal) {
            r->failed = true;
            break;
        }
    }
    return NULL;
}

/*
 * Read every file not kept: on this thread, and on a second one when the
 * writer has a thread of its own (so that reading, the slower half, uses
 * both cores while the writer keeps up). The rows reach the writer in file
 * order whoever reads them, so the database and the diagnostics are those
 * of one reader. -1 on a failure that stops the load; *io_failed when a file
 * could not be read.
 */
static int read_all(loader *L, char *const *files, size_t nfiles, const bool *keep,
                    const load_options *opts, bool *io_failed)
{
    size_t *todo = malloc((nfiles + 1) * sizeof(*todo)), ntodo = 0;
    if (!todo) {
        L->err = str_printf("out of memory");
        return -1;
    }
    for (size_t i = 0; i < nfiles; i++)
        if (!keep[i])
            todo[ntodo++] = i;
    reading job = {.files = files, .todo = todo, .ntodo = ntodo, .first_id = L->first_file,
                   .opts = opts, .nfiles = nfiles, .kept = nfiles - ntodo};
    pthread_mutex_init(&job.mu, NULL);
    reader r[2] = {{.job = &job, .L = *L}, {.job = &job, .L = *L}};   /* records 0, err NULL */
    size_t nreaders = ntodo > 1 ? writer_readers(L) : 1;
    int rc = 0;
    for (size_t j = 0; j < nreaders && !rc; j++) {
        if (j > 0 && !(r[j].L.dl = diag_list_new()))
            rc = -1;
        if (!rc)
            rc = lane_open(&r[j].L);
    }
    pthread_t second;
    bool started = !rc && nreaders == 2 &&
                   pthread_create(&second, NULL, read_files, &r[1]) == 0;
    if (!rc)
        read_files(&r[0]);
    if (started)
        pthread_join(second, NULL);
    for (size_t j = 0; j < nreaders; j++) {
        lane_close(&r[j].L);
        if (j > 0 && r[j].L.dl) {
            diag_list_move(L->dl, r[j].L.dl);
            diag_list_free(r[j].L.dl);
        }
        if (r[j].L.err && !L->err)
            L->err = r[j].L.err;
        else
            free(r[j].L.err);
        L->records += r[j].L.records;
        *io_failed |= r[j].io_failed;
        if (r[j].failed)
            rc = -1;
    }
    L->stats->files = job.kept + job.done;
    pthread_mutex_destroy(&job.mu);
    free(todo);
    if (rc && !L->err && !writer_failed(L))
        L->err = str_printf("out of memory");
    return rc;
}

/* Counts of what the database holds after the load. */
static int count_rows(loader *L, load_stats *stats)
{
    static const char sql[] = "SELECT (SELECT count(*) FROM actors), (SELECT count(*) FROM "
                              "places), (SELECT count(*) FROM sources), (SELECT count(*) "
                              "FROM events)";
    sqlite3_stmt *st;
    if (db_prepare(L->db, sql, &st, &L->err) != 0)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        stats->actors = (size_t)sqlite3_column_int64(st, 0);
        stats->places = (size_t)sqlite3_column_int64(st, 1);
        stats->sources = (size_t)sqlite3_column_int64(st, 2);
        stats->events = (size_t)sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
    return 0;
}

/*
 * keep_errors: the files with a diagnostic get an empty fingerprint, which
 * no content has, so that the next reload reads them again: a reload keeps
 * only files that were clean, as it does after an ordinary load.
 */
static int mark_files_with_problems(loader *L)
{
    static const char sql[] = "UPDATE files SET hash = '' WHERE path = ?";
    sqlite3_stmt *st;
    if (db_prepare(L->db, sql, &st, &L->err) != 0)
        return -1;
    int rc = SQLITE_DONE;
    for (size_t i = 0; i < diag_list_len(L->dl) && rc == SQLITE_DONE; i++) {
        diag_view d = diag_at(L->dl, i);
        if (!d.file)
            continue;
        sqlite3_bind_text(st, 1, d.file, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : loader_fail(L, sql);
}

int load_dataset(sqlite3 *db, char *const *files, size_t nfiles,
                 const load_options *opts, diag_list *dl, load_stats *stats,
                 char **err)
{
    memset(stats, 0, sizeof(*stats));
    *err = NULL;
    loader L = {.db = db, .dl = dl, .stats = stats, .lean = !opts->commit};
    strvec indexes = {0};
    bool *keep = calloc(nfiles + 1, sizeof(*keep)), incremental = false;
    if (!keep) {
        *err = str_printf("out of memory");
        return -1;
    }
    /* IMMEDIATE: take the write lock now, so a second writer waits or fails here. */
    if (db_exec(db, "BEGIN IMMEDIATE", err) != 0) {
        free(keep);
        return -1;
    }
    int rc = db_migrate(db, &L.err) != 0 ? -1 : 0;
    if (!rc)
        rc = reload_plan(&L, files, nfiles, opts, keep, &incremental);
    L.all_new = !incremental;
    /* A full load builds the indexes once at the end; a reload keeps them. */
    if (!rc && !incremental)
        rc = drop_indexes(&L, &indexes);
    if (!rc)
        rc = records_prepare(&L);
    if (!rc)
        rc = writer_start(&L);
    bool io_failed = false;
    if (!rc)
        rc = read_all(&L, files, nfiles, keep, opts, &io_failed);
    free(keep);
    if (writer_finish(&L) < 0)
        rc = -1;
    records_finalize(&L);
    if (!rc)
        rc = create_indexes(&L, &indexes);
    load_free_files(indexes.v, indexes.n);
    if (!rc && !io_failed)
        rc = crossref_check(&L);
    if (!rc)
        rc = count_rows(&L, stats);
    if (opts->strict)
        diag_promote_warnings(dl);
    bool keep_result = !rc && !io_failed && opts->commit &&
                       (opts->keep_errors || diag_count(dl, DIAG_ERROR) == 0);
    if (keep_result) {
        rc = reload_finish(&L, incremental);
        if (!rc && opts->keep_errors)
            rc = mark_files_with_problems(&L);
        if (!rc)
            rc = db_exec(db, "PRAGMA optimize; COMMIT", &L.err);
    }
    if (!keep_result || rc) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        if (io_failed && !L.err)
            L.err = str_printf("some files could not be read");
    }
    if (diag_list_oom(dl) && !L.err)
        L.err = str_printf("out of memory");
    *err = L.err;
    return *err ? -1 : 0;
}
