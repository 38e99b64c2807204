/* rows.c - rows encoded in chunks of bytes, and the lanes that carry them from the readers to the writer.
 *
 * Parsing and validating YAML (libyaml, node trees) and inserting into
 * SQLite run on different cores: a reader appends each row to insert to a
 * chunk of bytes, hands full chunks over a bounded queue, and the writer
 * (store.c) binds and steps them in the same order. Two readers can read
 * two files at once, each through a lane of its own: the rows of the file
 * whose turn it is (files take turns in reading order) go straight to the
 * queue, the other reader's wait in its lane until its file's turn, so the
 * writer sees exactly the rows, in exactly the order, of a single reader.
 * Memory stays bounded by the queue (QUEUE_CHUNKS chunks of ~CHUNK_BYTES)
 * and the rows of one file waiting in a lane. When the writer has no
 * thread, chunks are handed to it in place.
 *
 * Encoding of a row: one byte, its kind; then values, each a tag byte
 * ('N' null, 'I' int64, 'D' double, 'T' uint32 length + bytes); then 'E'.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "annals/rows.h"
#include "annals/util.h"

#define CHUNK_BYTES (256u << 10)
#define QUEUE_CHUNKS 8

struct row_chunk {
    char *buf;
    size_t len, cap;
};

struct row_queue {
    pthread_mutex_t mu;          /* guards what follows when threaded */
    pthread_cond_t changed;
    row_chunk *queue[QUEUE_CHUNKS];
    size_t head, count;
    size_t turn;        /* the file (in reading order) whose rows go to the queue now */
    bool closed;
    bool failed;        /* the writer gave up */
    bool threaded;      /* a writer thread pops; else chunks go to sink in place */
    row_sink sink;
    void *ctx;
};

/* One reader's side of the queue. */
struct row_lane {
    row_queue *q;
    row_chunk *cur;     /* being filled */
    row_chunk **held;   /* full chunks of this file, kept until its turn */
    size_t nheld, capheld;
    size_t seq;         /* this file's place in reading order */
    bool oom;
};

/* ---- Encoding -------------------------------------------------------------- */

static void put(row_lane *ln, const void *p, size_t n)
{
    row_chunk *c = ln->cur;
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

static void put_tag(row_lane *ln, char tag, const void *p, size_t n)
{
    put(ln, &tag, 1);
    if (n)
        put(ln, p, n);
}

void row_begin(row_lane *ln, enum row_kind kind)
{
    unsigned char k = (unsigned char)kind;
    put(ln, &k, 1);
}

void row_null(row_lane *ln)
{
    put_tag(ln, 'N', NULL, 0);
}

void row_int(row_lane *ln, int64_t v)
{
    put_tag(ln, 'I', &v, sizeof(v));
}

void row_double(row_lane *ln, double v)
{
    put_tag(ln, 'D', &v, sizeof(v));
}

void row_text(row_lane *ln, const char *s, size_t len)
{
    if (!s) {
        row_null(ln);
        return;
    }
    uint32_t n = (uint32_t)len;
    put_tag(ln, 'T', &n, sizeof(n));
    put(ln, s, len);
}

void row_str(row_lane *ln, const char *s)
{
    row_text(ln, s, s ? strlen(s) : 0);
}

/* ---- Decoding -------------------------------------------------------------- */

bool row_chunk_next(const row_chunk *c, size_t *pos, row *r)
{
    if (*pos >= c->len)
        return false;
    const char *p = c->buf + *pos;
    r->kind = (enum row_kind)(unsigned char)*p++;
    size_t n = 0;
    for (char tag; (tag = *p++) != 'E';) {
        row_value *x = &r->v[n < ROW_MAX_VALUES ? n : ROW_MAX_VALUES - 1];
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
    r->n = n < ROW_MAX_VALUES ? n : ROW_MAX_VALUES;
    *pos = (size_t)(p - c->buf);
    return true;
}

void row_chunk_free(row_chunk *c)
{
    if (c) {
        free(c->buf);
        free(c);
    }
}

/* ---- The queue ------------------------------------------------------------- */

row_queue *row_queue_new(bool threaded, row_sink sink, void *ctx)
{
    row_queue *q = calloc(1, sizeof(*q));
    if (!q)
        return NULL;
    q->threaded = threaded;
    q->sink = sink;
    q->ctx = ctx;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->changed, NULL);
    return q;
}

row_chunk *row_queue_pop(row_queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->count == 0 && !q->closed)
        pthread_cond_wait(&q->changed, &q->mu);
    row_chunk *c = NULL;
    if (q->count) {
        c = q->queue[q->head];
        q->head = (q->head + 1) % QUEUE_CHUNKS;
        q->count--;
        pthread_cond_broadcast(&q->changed);
    }
    pthread_mutex_unlock(&q->mu);
    return c;
}

void row_queue_fail(row_queue *q)
{
    /* Tell the readers, and wake one that waits for room. */
    pthread_mutex_lock(&q->mu);
    q->failed = true;
    pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->mu);
}

void row_queue_close(row_queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->closed = true;
    pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->mu);
}

bool row_queue_failed(row_queue *q)
{
    if (!q->threaded)
        return q->failed;
    pthread_mutex_lock(&q->mu);
    bool f = q->failed;
    pthread_mutex_unlock(&q->mu);
    return f;
}

void row_queue_free(row_queue *q)
{
    if (!q)
        return;
    /* After a failure, chunks may still wait in the queue. */
    for (; q->count; q->count--, q->head = (q->head + 1) % QUEUE_CHUNKS)
        row_chunk_free(q->queue[q->head]);
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->changed);
    free(q);
}

/* Queue c for the writer (mu held); waits while the queue is full. False,
   and c freed, once the writer has failed. */
static bool enqueue_locked(row_queue *q, row_chunk *c)
{
    while (q->count == QUEUE_CHUNKS && !q->failed)
        pthread_cond_wait(&q->changed, &q->mu);
    if (q->failed) {
        row_chunk_free(c);
        return false;
    }
    q->queue[(q->head + q->count) % QUEUE_CHUNKS] = c;
    q->count++;
    pthread_cond_broadcast(&q->changed);
    return true;
}

/* ---- Lanes ----------------------------------------------------------------- */

/* Queue the chunks the lane holds, then c (when not NULL), all in order (mu held). */
static bool release_locked(row_lane *ln, row_chunk *c)
{
    bool ok = !ln->q->failed;
    for (size_t i = 0; i < ln->nheld; i++) {
        if (ok)
            ok = enqueue_locked(ln->q, ln->held[i]);
        else
            row_chunk_free(ln->held[i]);
    }
    ln->nheld = 0;
    if (c) {
        if (ok)
            ok = enqueue_locked(ln->q, c);
        else
            row_chunk_free(c);
    }
    return ok;
}

/* Hand the full current chunk on: to the queue on this file's turn, else to the lane. */
static int lane_flush(row_lane *ln)
{
    row_queue *q = ln->q;
    row_chunk *c = ln->cur;
    ln->cur = NULL;
    if (!c)
        return 0;
    if (!q->threaded) {
        if (!q->failed && !q->sink(q->ctx, c))
            q->failed = true;
        row_chunk_free(c);
        return q->failed ? -1 : 0;
    }
    pthread_mutex_lock(&q->mu);
    bool mine = q->turn == ln->seq, ok = !q->failed;
    if (mine)
        ok = release_locked(ln, c);
    pthread_mutex_unlock(&q->mu);
    if (mine || !ok) {
        if (!mine)
            row_chunk_free(c);
        return ok ? 0 : -1;
    }
    if (array_grow(&ln->held, &ln->capheld, ln->nheld, sizeof(*ln->held), 16) != 0) {
        row_chunk_free(c);
        ln->oom = true;
        return -1;
    }
    ln->held[ln->nheld++] = c;
    return 0;
}

int row_end(row_lane *ln)
{
    put_tag(ln, 'E', NULL, 0);
    if (ln->oom)
        return -1;
    if (ln->cur && ln->cur->len >= CHUNK_BYTES)
        return lane_flush(ln);
    return 0;
}

row_lane *lane_open(row_queue *q)
{
    row_lane *ln = calloc(1, sizeof(*ln));
    if (ln)
        ln->q = q;
    return ln;
}

void lane_begin(row_lane *ln, size_t seq)
{
    ln->seq = seq;
}

int lane_end(row_lane *ln, bool drop)
{
    row_queue *q = ln->q;
    row_chunk *last = ln->cur;
    ln->cur = NULL;
    if (drop) {
        row_chunk_free(last);
        last = NULL;
    }
    if (!q->threaded) {     /* one reader: every file's turn is now */
        ln->cur = last;
        return lane_flush(ln) == 0 && !q->failed && !ln->oom ? 0 : -1;
    }
    pthread_mutex_lock(&q->mu);
    while (q->turn != ln->seq)
        pthread_cond_wait(&q->changed, &q->mu);
    if (drop) {
        for (size_t i = 0; i < ln->nheld; i++)
            row_chunk_free(ln->held[i]);
        ln->nheld = 0;
    }
    bool ok = release_locked(ln, last);
    q->turn++;
    pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->mu);
    return ok && !ln->oom ? 0 : -1;
}

void lane_close(row_lane *ln)
{
    if (!ln)
        return;
    for (size_t i = 0; i < ln->nheld; i++)
        row_chunk_free(ln->held[i]);
    row_chunk_free(ln->cur);
    free(ln->held);
    free(ln);
}
