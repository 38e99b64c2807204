/* rows.h - the rows a load inserts, encoded in chunks of bytes, and the lanes that carry them from the readers to the writer in file order. */
#ifndef ANNALS_ROWS_H
#define ANNALS_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * What a row is: one per table a load fills. The store (store.h) maps each
 * kind to its statement; a row's values are that statement's parameters,
 * in order. A main row (actor, place, source, event) ends with file_id,
 * line, col and starts with the id; the rows after it up to the next main
 * or file row are its links. ROW_UNREADABLE rows belong to no record; they
 * go to temp.unreadable, for this load's crossref only.
 */
enum row_kind {
    ROW_FILE, ROW_ACTOR, ROW_PLACE, ROW_SOURCE, ROW_EVENT,
    ROW_ACTOR_NAME, ROW_PLACE_NAME,
    ROW_ACTOR_PARENT, ROW_PLACE_PARENT, ROW_EVENT_PARENT,
    ROW_EVENT_ACTOR, ROW_EVENT_PLACE, ROW_EVENT_TAG, ROW_EVENT_SOURCE, ROW_EVENT_FIGURE,
    ROW_UNREADABLE,     /* kind, id: an id a part lost to a syntax error may define */
    ROW_KINDS
};

/* The most values a row has; decoding keeps the first ROW_MAX_VALUES. */
#define ROW_MAX_VALUES 16

/* One decoded value: tag 'N' (null), 'I' (i), 'D' (d) or 'T' (s, n bytes). */
typedef struct {
    char tag;
    int64_t i;
    double d;
    const char *s;
    uint32_t n;
} row_value;

/* One decoded row; texts point into the chunk it came from. */
typedef struct {
    enum row_kind kind;
    size_t n;
    row_value v[ROW_MAX_VALUES];
} row;

/* A block of encoded rows, in the order they were written. */
typedef struct row_chunk row_chunk;

/*
 * Decode the row at *pos of c into r and advance *pos (start from 0).
 * False when there is no row left.
 */
bool row_chunk_next(const row_chunk *c, size_t *pos, row *r);
void row_chunk_free(row_chunk *c);   /* NULL is a no-op */

/*
 * The way from the readers to the writer: a bounded queue of chunks, and
 * the turns files take in it. The writer consumes chunks through `sink`:
 * on a thread of its own that calls row_queue_pop, or, for a queue made
 * without one, inside the reader's calls (lane_end, and row_end when a
 * chunk is full). sink returns false once the writer has failed: every
 * later chunk is then dropped and the readers are told.
 */
typedef struct row_queue row_queue;
typedef bool (*row_sink)(void *ctx, const row_chunk *c);

/* A new queue; threaded when a thread will pop from it. NULL when out of memory. */
row_queue *row_queue_new(bool threaded, row_sink sink, void *ctx);
/*
 * Writer thread: the next chunk in order (the caller frees it), waiting
 * for one; NULL once the queue is closed and empty.
 */
row_chunk *row_queue_pop(row_queue *q);
/* Writer thread: the writer has failed; readers stop, chunks are dropped. */
void row_queue_fail(row_queue *q);
/* No more chunks will come: row_queue_pop returns NULL once the queue is empty. */
void row_queue_close(row_queue *q);
/* True once the writer has failed. Any thread. */
bool row_queue_failed(row_queue *q);
/* Free the queue and any chunk left in it (after the writer thread is joined). NULL is a no-op. */
void row_queue_free(row_queue *q);

/*
 * One reader's way into the queue; each reader has its own. Files take
 * turns: lane_begin(ln, seq) before the rows of the seq-th file read (0, 1,
 * 2... over all readers); lane_end(ln, drop) after them waits for the
 * file's turn and hands its rows on (or drops them), then passes the turn
 * to the next file. Every seq begun must be ended, on failure too, or the
 * next file waits forever. lane_end returns -1 once the writer has failed
 * or memory ran out.
 */
typedef struct row_lane row_lane;

/* A new lane into q; NULL when out of memory. */
row_lane *lane_open(row_queue *q);
void lane_begin(row_lane *ln, size_t seq);
int lane_end(row_lane *ln, bool drop);
/* Free the lane and the rows it still holds. NULL is a no-op. */
void lane_close(row_lane *ln);

/*
 * Write a row: row_begin, one call per value in the statement's order,
 * row_end. row_end returns -1 once the writer has failed or memory ran
 * out: stop reading.
 */
void row_begin(row_lane *ln, enum row_kind kind);
void row_null(row_lane *ln);
void row_int(row_lane *ln, int64_t v);
void row_double(row_lane *ln, double v);
void row_text(row_lane *ln, const char *s, size_t len);   /* NULL: SQL NULL */
void row_str(row_lane *ln, const char *s);                /* NULL: SQL NULL */
int row_end(row_lane *ln);

#endif
