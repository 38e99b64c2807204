/* rows.c - the loader's two halves: readers encode rows, a writer thread inserts them.
 *
 * Parsing and validating YAML (libyaml, node trees) and inserting into
 * SQLite run on different cores: a reader appends each row to insert to a
 * chunk of bytes, hands full chunks over a bounded queue, and the writer
 * binds and steps them in the same order. Two readers can read two files at
 * once, each through a lane of its own: the rows of the file whose turn it
 * is (files take turns in reading order) go straight to the queue, the
 * other reader's wait in its lane until its file's turn, so the writer sees
 * exactly the rows, in exactly the order, of a single reader. Memory stays
 * bounded by the queue (QUEUE_CHUNKS chunks of ~CHUNK_BYTES) and the rows of
 * one file waiting in a lane. When no thread can be started, chunks are
 * executed in place.
 *
 * Encoding of a row: one byte, the statement; then values, each a tag byte
 * ('N' null, 'I' int64, 'D' double, 'T' uint32 length + bytes); then 'E'.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/util.h"
#include "load_internal.h"

#define CHUNK_BYTES (256u << 10)
#define QUEUE_CHUNKS 8
#define MAX_COLS 16

typedef struct {
    char *buf;
    size_t len, cap;
} chunk;

struct writer {
    /* the queue */
    pthread_mutex_t mu;
    pthread_cond_t changed;
    chunk *queue[QUEUE_CHUNKS];
    size_t head, count;
    size_t turn;        /* the file (in reading order) whose rows go to the queue now */
    bool done, threaded;
    size_t readers;     /* reader threads a load may use: 1, or 2 beside a writer thread */
    bool failed;        /* shared: the writer gave up (under mu when threaded) */
    pthread_t thread;
    /* writer side */
    loader *L;
    diag_list *dl;      /* the writer's own diagnostics, merged at the end */
    char *err;
    bool skip;          /* the last main row was a duplicate: skip its links */
    bool broken;        /* the writer's own view of a failure */
};

/* One reader's side of the queue. */
struct lane {
    struct writer *w;
    chunk *cur;         /* being filled */
    chunk **held;       /* full chunks of this file, kept until its turn */
    size_t nheld, capheld;
    size_t seq;         /* this file's place in reading order */
    bool oom;
};

/* ---- Reader side: encoding ------------------------------------------------ */

static void put(loader *L, const void *p, size_t n)
{
    struct lane *ln = L->lane;
    chunk *c = ln->cur;
    if (ln->oom)
        return;
    if (!c) {
        c = ln->cur = calloc(1, sizeof(*c));
        if (!c) {
            ln->oom = true;
            return;
        }
    }
    if (c->len + n > c->cap) {
        size_t cap = c->cap ? c->cap : CHUNK_BYTES + 4096;
        while (cap < c->len + n)
            cap *= 2;
        char *b = realloc(c->buf, cap);
        if (!b) {
            ln->oom = true;
            return;
        }
        c->buf = b;
        c->cap = cap;
    }
    memcpy(c->buf + c->len, p, n);
    c->len += n;
}

static void put_tag(loader *L, char tag, const void *p, size_t n)
{
    put(L, &tag, 1);
    if (n)
        put(L, p, n);
}

void row_begin(loader *L, enum loader_stmt stmt)
{
    unsigned char s = (unsigned char)stmt;
    put(L, &s, 1);
}

void row_null(loader *L)
{
    put_tag(L, 'N', NULL, 0);
}

void row_int(loader *L, int64_t v)
{
    put_tag(L, 'I', &v, sizeof(v));
}

void row_double(loader *L, double v)
{
    put_tag(L, 'D', &v, sizeof(v));
}

void row_text(loader *L, const char *s, size_t len)
{
    if (!s) {
        row_null(L);
        return;
    }
    uint32_t n = (uint32_t)len;
    put_tag(L, 'T', &n, sizeof(n));
    put(L, s, len);
}

void row_str(loader *L, const char *s)
{
    row_text(L, s, s ? strlen(s) : 0);
}

static void execute_chunk(struct writer *w, chunk *c);

static void chunk_free(chunk *c)
{
    if (c) {
        free(c->buf);
        free(c);
    }
}

/* Queue c for the writer (mu held); waits while the queue is full. False,
   and c freed, once the writer has failed. */
static bool enqueue_locked(struct writer *w, chunk *c)
{
    while (w->count == QUEUE_CHUNKS && !w->failed)
        pthread_cond_wait(&w->changed, &w->mu);
    if (w->failed) {
        chunk_free(c);
        return false;
    }
    w->queue[(w->head + w->count) % QUEUE_CHUNKS] = c;
    w->count++;
    pthread_cond_broadcast(&w->changed);
    return true;
}

/* Queue the chunks the lane holds, then c (when not NULL), all in order (mu held). */
static bool release_locked(struct lane *ln, chunk *c)
{
    bool ok = !ln->w->failed;
    for (size_t i = 0; i < ln->nheld; i++) {
        if (ok)
            ok = enqueue_locked(ln->w, ln->held[i]);
        else
            chunk_free(ln->held[i]);
    }
    ln->nheld = 0;
    if (c) {
        if (ok)
            ok = enqueue_locked(ln->w, c);
        else
            chunk_free(c);
    }
    return ok;
}

/* Hand the full current chunk on: to the queue on this file's turn, else to the lane. */
static int lane_flush(struct lane *ln)
{
    struct writer *w = ln->w;
    chunk *c = ln->cur;
    ln->cur = NULL;
    if (!c)
        return 0;
    if (!w->threaded) {
        execute_chunk(w, c);
        chunk_free(c);
        w->failed = w->broken;
        return w->failed ? -1 : 0;
    }
    pthread_mutex_lock(&w->mu);
    bool mine = w->turn == ln->seq, ok = !w->failed;
    if (mine)
        ok = release_locked(ln, c);
    pthread_mutex_unlock(&w->mu);
    if (mine || !ok) {
        if (!mine)
            chunk_free(c);
        return ok ? 0 : -1;
    }
    if (ln->nheld == ln->capheld) {
        size_t cap = ln->capheld ? ln->capheld * 2 : 16;
        chunk **v = realloc(ln->held, cap * sizeof(*v));
        if (!v) {
            chunk_free(c);
            ln->oom = true;
            return -1;
        }
        ln->held = v;
        ln->capheld = cap;
    }
    ln->held[ln->nheld++] = c;
    return 0;
}

int row_end(loader *L)
{
    struct lane *ln = L->lane;
    put_tag(L, 'E', NULL, 0);
    if (ln->oom)
        return -1;
    if (ln->cur && ln->cur->len >= CHUNK_BYTES)
        return lane_flush(ln);
    return 0;
}

int lane_open(loader *L)
{
    struct lane *ln = calloc(1, sizeof(*ln));
    if (!ln) {
        if (!L->err)
            L->err = str_printf("out of memory");
        return -1;
    }
    ln->w = L->writer;
    L->lane = ln;
    return 0;
}

void lane_begin(loader *L, size_t seq)
{
    L->lane->seq = seq;
}

int lane_end(loader *L, bool drop)
{
    struct lane *ln = L->lane;
    struct writer *w = ln->w;
    chunk *last = ln->cur;
    ln->cur = NULL;
    if (drop) {
        chunk_free(last);
        last = NULL;
    }
    if (!w->threaded) {     /* one reader: every file's turn is now */
        ln->cur = last;
        return lane_flush(ln) == 0 && !w->failed && !ln->oom ? 0 : -1;
    }
    pthread_mutex_lock(&w->mu);
    while (w->turn != ln->seq)
        pthread_cond_wait(&w->changed, &w->mu);
    if (drop) {
        for (size_t i = 0; i < ln->nheld; i++)
            chunk_free(ln->held[i]);
        ln->nheld = 0;
    }
    bool ok = release_locked(ln, last);
    w->turn++;
    pthread_cond_broadcast(&w->changed);
    pthread_mutex_unlock(&w->mu);
    return ok && !ln->oom ? 0 : -1;
}

void lane_close(loader *L)
{
    struct lane *ln = L->lane;
    if (!ln)
        return;
    for (size_t i = 0; i < ln->nheld; i++)
        chunk_free(ln->held[i]);
    chunk_free(ln->cur);
    free(ln->held);
    free(ln);
    L->lane = NULL;
}

/* ---- Writer side: executing ----------------------------------------------- */

typedef struct {
    char tag;
    int64_t i;
    double d;
    const char *s;
    uint32_t n;
} value;

static void writer_fail(struct writer *w, const char *sql)
{
    if (!w->err)
        w->err = db_error(w->L->db, sql);
    w->broken = true;
}

/* The path of a file id (registered by an earlier row), or "?". */
static const char *file_path(struct writer *w, int64_t id, char *buf, size_t size)
{
    sqlite3_stmt *st = w->L->st[ST_FILE_PATH];
    sqlite3_bind_int64(st, 1, id);
    snprintf(buf, size, "%s",
             sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "?");
    sqlite3_reset(st);
    return buf;
}

/*
 * A second definition of an id. The error goes to the later of the two in
 * (path, line, column) order, the note to the earlier: what a full load
 * reads first, even when a reload inserts the later one first.
 */
static void duplicate(struct writer *w, int stmt, const value *v, size_t n)
{
    static const struct {
        int stmt, find;
        const char *noun;
    } kinds[] = {{ST_ACTOR, ST_FIND_ACTOR, "actor"},
                 {ST_PLACE, ST_FIND_PLACE, "place"},
                 {ST_SOURCE, ST_FIND_SOURCE, "source"},
                 {ST_EVENT, ST_FIND_EVENT, "event"}};
    size_t k = 0;
    while (kinds[k].stmt != stmt)
        k++;
    /* Main rows end with file_id, line, col; the id comes first. */
    char path[4096], first[4096];
    file_path(w, v[n - 3].i, path, sizeof(path));
    int line = (int)v[n - 2].i, col = (int)v[n - 1].i, fline = 0, fcol = 0;
    sqlite3_stmt *f = w->L->st[kinds[k].find];
    sqlite3_bind_text(f, 1, v[0].s, (int)v[0].n, SQLITE_STATIC);
    snprintf(first, sizeof(first), "?");
    if (sqlite3_step(f) == SQLITE_ROW) {
        snprintf(first, sizeof(first), "%s", (const char *)sqlite3_column_text(f, 0));
        fline = sqlite3_column_int(f, 1);
        fcol = sqlite3_column_int(f, 2);
    }
    sqlite3_reset(f);
    int c = strcmp(first, path);
    bool swap = c > 0 || (c == 0 && (fline > line || (fline == line && fcol > col)));
    diag_add(w->dl, DIAG_ERROR, swap ? first : path, swap ? fline : line, swap ? fcol : col,
             (int)v[0].n, "give one of them another id, or merge the two",
             "duplicate %s id '%.*s'", kinds[k].noun, (int)v[0].n, v[0].s);
    diag_note(w->dl, swap ? path : first, swap ? line : fline, swap ? col : fcol,
              "first defined here");
}

static bool is_main(int stmt)
{
    return stmt == ST_ACTOR || stmt == ST_PLACE || stmt == ST_SOURCE || stmt == ST_EVENT;
}

static void execute_row(struct writer *w, int stmt, const value *v, size_t n)
{
    if (stmt == ST_FILE)
        w->skip = false;
    else if (is_main(stmt))
        w->skip = false;
    else if (w->skip)
        return;
    sqlite3_stmt *st = w->L->st[stmt];
    for (size_t i = 0; i < n; i++) {
        int col = (int)i + 1;
        switch (v[i].tag) {
        case 'I': sqlite3_bind_int64(st, col, v[i].i); break;
        case 'D': sqlite3_bind_double(st, col, v[i].d); break;
        case 'T': sqlite3_bind_text(st, col, v[i].s, (int)v[i].n, SQLITE_STATIC); break;
        default: sqlite3_bind_null(st, col); break;
        }
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        /* inserted */
    } else if ((rc & 0xff) == SQLITE_CONSTRAINT && is_main(stmt)) {
        duplicate(w, stmt, v, n);
        w->skip = true;
    } else {
        writer_fail(w, sqlite3_sql(st));
    }
}

static void execute_chunk(struct writer *w, chunk *c)
{
    const char *p = c->buf, *end = c->buf + c->len;
    value v[MAX_COLS];
    while (p < end && !w->broken) {
        int stmt = (unsigned char)*p++;
        size_t n = 0;
        for (char tag; (tag = *p++) != 'E';) {
            value *x = &v[n < MAX_COLS ? n : MAX_COLS - 1];
            x->tag = tag;
            if (tag == 'I') {
                memcpy(&x->i, p, sizeof(x->i));
                p += sizeof(x->i);
            } else if (tag == 'D') {
                memcpy(&x->d, p, sizeof(x->d));
                p += sizeof(x->d);
            } else if (tag == 'T') {
                memcpy(&x->n, p, sizeof(x->n));
                p += sizeof(x->n);
                x->s = p;
                p += x->n;
            }
            n++;
        }
        execute_row(w, stmt, v, n < MAX_COLS ? n : MAX_COLS);
    }
}

static void *writer_main(void *arg)
{
    struct writer *w = arg;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (w->count == 0 && !w->done)
            pthread_cond_wait(&w->changed, &w->mu);
        if (w->count == 0) {
            pthread_mutex_unlock(&w->mu);
            break;
        }
        chunk *c = w->queue[w->head];
        w->head = (w->head + 1) % QUEUE_CHUNKS;
        w->count--;
        pthread_cond_broadcast(&w->changed);
        pthread_mutex_unlock(&w->mu);
        execute_chunk(w, c);
        chunk_free(c);
        if (w->broken) {
            /* Tell the reader, and wake it if it waits for room. */
            pthread_mutex_lock(&w->mu);
            w->failed = true;
            pthread_cond_broadcast(&w->changed);
            pthread_mutex_unlock(&w->mu);
        }
    }
    return NULL;
}

/* ---- Life cycle ------------------------------------------------------------ */

int writer_start(loader *L)
{
    struct writer *w = calloc(1, sizeof(*w));
    if (!w || !(w->dl = diag_list_new())) {
        free(w);
        L->err = str_printf("out of memory");
        return -1;
    }
    w->L = L;
    L->writer = w;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->changed, NULL);
    /* ANNALS_THREADS: 0 no thread, 1 the writer's only, else two readers too. */
    const char *env = getenv("ANNALS_THREADS");
    bool want = !(env && strcmp(env, "0") == 0);
    w->threaded = want && pthread_create(&w->thread, NULL, writer_main, w) == 0;
    w->readers = w->threaded && !(env && strcmp(env, "1") == 0) ? 2 : 1;
    return 0;
}

int writer_finish(loader *L)
{
    struct writer *w = L->writer;
    if (!w)
        return 0;
    if (w->threaded) {
        pthread_mutex_lock(&w->mu);
        w->done = true;
        pthread_cond_broadcast(&w->changed);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->thread, NULL);
        /* After a failure, chunks may still wait in the queue. */
        for (; w->count; w->count--, w->head = (w->head + 1) % QUEUE_CHUNKS)
            chunk_free(w->queue[w->head]);
    }
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->changed);
    diag_list_move(L->dl, w->dl);
    diag_list_free(w->dl);
    if (w->err && !L->err)
        L->err = w->err;
    else
        free(w->err);
    free(w);
    L->writer = NULL;
    return L->err ? -1 : 0;
}

size_t writer_readers(loader *L)
{
    return L->writer ? L->writer->readers : 1;
}

bool writer_failed(loader *L)
{
    struct writer *w = L->writer;
    if (!w)
        return false;
    if (!w->threaded)
        return w->failed;
    pthread_mutex_lock(&w->mu);
    bool f = w->failed;
    pthread_mutex_unlock(&w->mu);
    return f;
}
