/* load_internal.h - what the loader's parts (load.c, records.c, crossref.c) share. */
#ifndef ANNALS_LOAD_INTERNAL_H
#define ANNALS_LOAD_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>

#include "annals/diag.h"
#include "annals/load.h"
#include "annals/yamlread.h"

/* Prepared statements of a load, indexed by this enum (see records.c). */
enum loader_stmt {
    ST_FILE, ST_ACTOR, ST_PLACE, ST_SOURCE, ST_EVENT,
    ST_FIND_ACTOR, ST_FIND_PLACE, ST_FIND_SOURCE, ST_FIND_EVENT, ST_FILE_PATH,
    ST_ACTOR_NAME, ST_PLACE_NAME,
    ST_ACTOR_PARENT, ST_PLACE_PARENT, ST_EVENT_PARENT,
    ST_EVENT_ACTOR, ST_EVENT_PLACE, ST_EVENT_TAG, ST_EVENT_SOURCE, ST_EVENT_FIGURE,
    ST_COUNT
};

struct writer;

typedef struct {
    sqlite3 *db;
    struct writer *writer;   /* the thread that inserts rows (rows.c) */
    struct lane *lane;       /* this reader's way to the writer (rows.c) */
    sqlite3_stmt *st[ST_COUNT];
    diag_list *dl;
    load_stats *stats;
    const char *file;        /* the file being read */
    sqlite3_int64 file_id;
    sqlite3_int64 first_file; /* the id of the first file read by this load */
    char *err;               /* set on a database failure: the load stops */
    size_t records;          /* records read so far (for progress) */
    bool lean;               /* checking only: skip texts no rule looks at */
    bool all_new;            /* a full load: every row comes from the files read now */
} loader;

/* Prepare the statements. -1 with L->err on failure. */
int records_prepare(loader *L);
void records_finalize(loader *L);

/* yread_fn: validate one top-level item and store it. Non-zero stops. */
int records_item(void *ctx, const yread_item *item);

/*
 * Decide what to read (reload.c). With opts->commit and a
 * database that holds most of these files unchanged, keep[i] is set for
 * each unchanged file, the rows of changed and removed files are deleted
 * and *incremental is set; otherwise every row is deleted. Sets
 * L->first_file. -1 with L->err on failure.
 */
int reload_plan(loader *L, char *const *files, size_t nfiles, const load_options *opts,
                bool *keep, bool *incremental);
/* Bring the full-text index up to date after the inserts. */
int reload_finish(loader *L, bool incremental);
/*
 * A file's content: its overlay in opts when it has one (copied), else the
 * file read from disk (file_read_all's contract, max bytes at most).
 */
char *load_read(const load_options *opts, const char *path, size_t *len, size_t max);
/* The hex fingerprint of a file's content (17 bytes with the NUL). */
void load_hash_hex(const char *buf, size_t len, char hex[17]);

/* Dataset-wide rules, once every file is stored. -1 with L->err on failure. */
int crossref_check(loader *L);

/* Record a database failure in L->err (first one wins); returns -1. */
int loader_fail(loader *L, const char *sql);

/*
 * Rows to insert: row_begin, one call per column in the statement's order,
 * row_end. They are executed in order by the writer (rows.c), on a thread
 * of its own. row_end returns -1 once the writer has failed: stop reading.
 * A main row (actor, place, source, event) that repeats an id is reported
 * as a duplicate with a note at the first, and the rows after it up to the
 * next main row (its links) are skipped.
 */
void row_begin(loader *L, enum loader_stmt stmt);
void row_null(loader *L);
void row_int(loader *L, int64_t v);
void row_double(loader *L, double v);
void row_text(loader *L, const char *s, size_t len);   /* NULL: SQL NULL */
void row_str(loader *L, const char *s);                /* NULL: SQL NULL */
int row_end(loader *L);

/* Start the writer (a thread when one can be started). -1 with L->err. */
int writer_start(loader *L);
/* How many reader threads a load may use with this writer: 1 or 2. */
size_t writer_readers(loader *L);

/*
 * A reader's lane to the writer (after writer_start; one per reader, each
 * with its own loader copy). Files take turns: lane_begin(L, seq) before
 * the rows of the seq-th file read (0, 1, 2... over all readers);
 * lane_end(L, drop) after them waits for the file's turn and hands its
 * rows on (or drops them), then passes the turn to the next file. Every
 * seq begun must be ended, on failure too, or the next file waits forever.
 * lane_end returns -1 once the writer has failed or memory ran out.
 */
int lane_open(loader *L);
void lane_begin(loader *L, size_t seq);
int lane_end(loader *L, bool drop);
void lane_close(loader *L);
/* Insert what is left, stop the writer, take over its diagnostics and error. */
int writer_finish(loader *L);
bool writer_failed(loader *L);

#endif
