/* store.h - the database side of a load: the statements rows are inserted with, the writer that runs them, the duplicate-id rule. */
#ifndef ANNALS_STORE_H
#define ANNALS_STORE_H

#include <stddef.h>
#include <sqlite3.h>

#include "annals/diag.h"
#include "annals/rows.h"

/*
 * The writer of one load. It owns the prepared statements (one per row
 * kind, and those the duplicate rule asks with); nothing else sees them.
 * Rows are executed in the order they reach its queue. A main row whose id
 * is taken already is a duplicate: an error at the later of the two in
 * (path, line, column) order with a note at the earlier, and the rows after
 * it up to the next main row (its links) are skipped; the references among
 * them go to temp.skipped_refs (made, empty, by store_open), for crossref.h
 * to check: a duplicate is not stored, but checked fully.
 */
typedef struct store store;

/*
 * Prepare the statements on db (inside the caller's transaction) and start
 * the writer: on a thread of its own, unless ANNALS_THREADS=0 or none can
 * be started. Returns the store (free it with store_close), or NULL with
 * *err a new message (the caller frees it) on failure.
 */
store *store_open(sqlite3 *db, char **err);

/* The queue the readers' lanes write into (rows.h); it lives as long as s. */
row_queue *store_queue(store *s);

/*
 * How many reader threads may feed this writer: 2 beside a writer thread
 * (unless ANNALS_THREADS=1), else 1.
 */
size_t store_readers(const store *s);

/*
 * After every lane is closed: run what is left in the queue, stop the
 * writer, move its diagnostics (duplicates) to dl, finalize the statements
 * and free s. Returns 0, or -1 when the writer failed: *err is then its
 * message (new, the caller frees it) unless *err held one already, which
 * is kept. NULL is a no-op returning 0.
 */
int store_close(store *s, diag_list *dl, char **err);

#endif
