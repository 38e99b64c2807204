/* test_rows.c - the row encoding and the lanes: values come back as written, files in their turn, a writer's failure reaches the readers. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "annals/rows.h"

/* ---- Encoding -------------------------------------------------------------- */

/* What a sink saw: every row's kind and values, texts copied. */
typedef struct {
    size_t rows;
    enum row_kind kind[8];
    size_t n[8];
    row_value v[8][ROW_MAX_VALUES];
    char text[8][ROW_MAX_VALUES][32];
} seen_rows;

static bool copy_sink(void *ctx, const row_chunk *c)
{
    seen_rows *s = ctx;
    row r;
    for (size_t pos = 0; row_chunk_next(c, &pos, &r); s->rows++) {
        assert_true(s->rows < 8);
        s->kind[s->rows] = r.kind;
        s->n[s->rows] = r.n;
        for (size_t i = 0; i < r.n; i++) {
            s->v[s->rows][i] = r.v[i];
            if (r.v[i].tag == 'T') {
                assert_true(r.v[i].n < 32);
                memcpy(s->text[s->rows][i], r.v[i].s, r.v[i].n);
                s->text[s->rows][i][r.v[i].n] = '\0';
            }
        }
    }
    return true;
}

static void test_values_round_trip(void **state)
{
    (void)state;
    seen_rows s = {0};
    row_queue *q = row_queue_new(false, copy_sink, &s);
    row_lane *ln = lane_open(q);
    assert_non_null(q);
    assert_non_null(ln);
    lane_begin(ln, 0);
    row_begin(ln, ROW_PLACE);
    row_str(ln, "baghdad");
    row_text(ln, "Baghdad, Iraq", 7);      /* a length, not up to the NUL */
    row_str(ln, NULL);
    row_double(ln, 33.31);
    row_int(ln, -44);
    row_null(ln);
    row_str(ln, "");
    assert_int_equal(row_end(ln), 0);
    row_begin(ln, ROW_EVENT_TAG);
    row_int(ln, INT64_MAX);
    assert_int_equal(row_end(ln), 0);
    assert_int_equal(s.rows, 0);           /* nothing handed over before the file ends */
    assert_int_equal(lane_end(ln, false), 0);

    assert_int_equal(s.rows, 2);
    assert_int_equal(s.kind[0], ROW_PLACE);
    assert_int_equal(s.n[0], 7);
    assert_int_equal(s.v[0][0].tag, 'T');
    assert_string_equal(s.text[0][0], "baghdad");
    assert_string_equal(s.text[0][1], "Baghdad");
    assert_int_equal(s.v[0][2].tag, 'N');
    assert_int_equal(s.v[0][3].tag, 'D');
    assert_true(s.v[0][3].d == 33.31);
    assert_int_equal(s.v[0][4].tag, 'I');
    assert_true(s.v[0][4].i == -44);
    assert_int_equal(s.v[0][5].tag, 'N');
    assert_int_equal(s.v[0][6].tag, 'T');
    assert_int_equal(s.v[0][6].n, 0);
    assert_int_equal(s.kind[1], ROW_EVENT_TAG);
    assert_int_equal(s.n[1], 1);
    assert_true(s.v[1][0].i == INT64_MAX);
    assert_false(row_queue_failed(q));
    lane_close(ln);
    row_queue_free(q);
}

/* ---- Turns ----------------------------------------------------------------- */

#define FILES 12
#define ROWS_PER_FILE 40
#define PAD 20000          /* 40 rows of 20 kB: each file fills several chunks */

/* What the writer saw, in order: seq * 1000 + row of each row. */
typedef struct {
    row_queue *q;
    int64_t order[FILES * ROWS_PER_FILE];
    size_t n;
    size_t fail_after;     /* chunks; 0: never fail */
    size_t chunks;
    bool bad;              /* a row not as written (checked on the main thread) */
} order_log;

static bool order_sink(void *ctx, const row_chunk *c)
{
    order_log *o = ctx;
    row r;
    for (size_t pos = 0; row_chunk_next(c, &pos, &r);) {
        if (r.kind != ROW_EVENT_TAG || r.n != 2 || r.v[1].n != PAD ||
            o->n == FILES * ROWS_PER_FILE)
            o->bad = true;
        else
            o->order[o->n++] = r.v[0].i;
    }
    return !o->fail_after || ++o->chunks < o->fail_after;
}

/* The writer thread, as store.c runs it: nothing more once a chunk has failed. */
static void *writer(void *arg)
{
    order_log *o = arg;
    row_chunk *c;
    bool ok = true;
    while ((c = row_queue_pop(o->q)) != NULL) {
        if (ok && !order_sink(o, c)) {
            ok = false;
            row_queue_fail(o->q);
        }
        row_chunk_free(c);
    }
    return NULL;
}

typedef struct {
    row_lane *ln;
    size_t first;          /* this reader's files: first, first + 2, ... */
    int failures;          /* calls that returned -1 */
} file_reader;

static char pad[PAD];

static void *read_files(void *arg)
{
    file_reader *fr = arg;
    for (size_t seq = fr->first; seq < FILES; seq += 2) {
        lane_begin(fr->ln, seq);
        bool failed = false;
        for (int i = 0; i < ROWS_PER_FILE && !failed; i++) {
            row_begin(fr->ln, ROW_EVENT_TAG);
            row_int(fr->ln, (int64_t)seq * 1000 + i);
            row_text(fr->ln, pad, PAD);
            failed = row_end(fr->ln) < 0;
        }
        if (lane_end(fr->ln, failed) < 0 || failed)
            fr->failures++;
    }
    return NULL;
}

/* Two readers on two threads, one writer thread; the rows as one reader would write them. */
static void run_two_readers(order_log *o)
{
    o->q = row_queue_new(true, order_sink, o);
    assert_non_null(o->q);
    pthread_t w, second;
    assert_int_equal(pthread_create(&w, NULL, writer, o), 0);
    file_reader r[2] = {{lane_open(o->q), 0, 0}, {lane_open(o->q), 1, 0}};
    assert_non_null(r[0].ln);
    assert_non_null(r[1].ln);
    assert_int_equal(pthread_create(&second, NULL, read_files, &r[1]), 0);
    read_files(&r[0]);
    pthread_join(second, NULL);
    lane_close(r[0].ln);
    lane_close(r[1].ln);
    row_queue_close(o->q);
    pthread_join(w, NULL);
    assert_false(o->bad);
    if (o->fail_after) {
        assert_true(row_queue_failed(o->q));
        assert_true(r[0].failures + r[1].failures > 0);
    } else {
        assert_false(row_queue_failed(o->q));
        assert_int_equal(r[0].failures + r[1].failures, 0);
    }
    row_queue_free(o->q);
}

static void test_files_take_turns(void **state)
{
    (void)state;
    memset(pad, 'x', sizeof(pad));
    /* Which reader gets ahead differs from run to run: repeat. */
    for (int round = 0; round < 30; round++) {
        order_log *o = calloc(1, sizeof(*o));
        assert_non_null(o);
        run_two_readers(o);
        size_t k = 0;
        for (size_t seq = 0; seq < FILES; seq++) {
            for (int i = 0; i < ROWS_PER_FILE; i++, k++)
                assert_true(o->order[k] == (int64_t)seq * 1000 + i);
        }
        assert_int_equal(o->n, k);
        free(o);
    }
}

static void test_writer_failure_stops_readers(void **state)
{
    (void)state;
    memset(pad, 'x', sizeof(pad));
    for (int round = 0; round < 30; round++) {
        order_log *o = calloc(1, sizeof(*o));
        assert_non_null(o);
        o->fail_after = 2;
        run_two_readers(o);      /* returns: no reader waits forever */
        assert_int_equal(o->chunks, 2);
        free(o);
    }
}

static bool failing_sink(void *ctx, const row_chunk *c)
{
    (void)c;
    (*(int *)ctx)++;
    return false;
}

/* Without a writer thread, the chunk runs in place and its failure is the reader's at once. */
static void test_failure_in_place(void **state)
{
    (void)state;
    int calls = 0;
    row_queue *q = row_queue_new(false, failing_sink, &calls);
    row_lane *ln = lane_open(q);
    assert_non_null(ln);
    lane_begin(ln, 0);
    row_begin(ln, ROW_FILE);
    row_int(ln, 1);
    assert_int_equal(row_end(ln), 0);
    assert_int_equal(lane_end(ln, false), -1);
    assert_true(row_queue_failed(q));
    lane_begin(ln, 1);
    row_begin(ln, ROW_FILE);
    row_int(ln, 2);
    row_end(ln);
    assert_int_equal(lane_end(ln, false), -1);
    assert_int_equal(calls, 1);          /* nothing more runs once it has failed */
    lane_close(ln);
    row_queue_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_round_trip),
        cmocka_unit_test(test_files_take_turns),
        cmocka_unit_test(test_writer_failure_stops_readers),
        cmocka_unit_test(test_failure_in_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
