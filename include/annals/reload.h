/* reload.h - what a load must read: every file, or only those whose content changed since the last load. */
#ifndef ANNALS_RELOAD_H
#define ANNALS_RELOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "annals/load.h"

/*
 * The plan of a load. On an incremental load the rows of kept files stay,
 * and the dataset-wide rules (crossref.h) look only at what can be
 * affected: the files read (ids from first_file on) and the ids that went
 * away (temp.gone).
 */
typedef struct {
    bool *keep;              /* keep[i]: files[i] is unchanged, its rows stay (not read) */
    size_t kept;             /* how many are kept */
    bool incremental;        /* false: every row went, every file is read */
    int64_t first_file;      /* the file id of the first file this load reads */
    bool kept_clean;         /* the kept files had no diagnostic at their last load
                                (load_options.keep_errors) */
    bool text_index;         /* keep the full-text index (not load_options.no_text_index) */
} reload_plan;

/*
 * Decide what to read, and delete what goes. With opts->commit and a
 * database that holds most of these files unchanged, the rows of changed
 * and removed files are deleted and the plan is incremental; otherwise
 * every row is deleted. Run inside the load's transaction. Returns 0 and
 * *plan (free it with reload_plan_free), or -1 with *err a new message
 * (the caller frees it) and *plan empty.
 */
int reload_plan_make(sqlite3 *db, char *const *files, size_t nfiles,
                     const load_options *opts, reload_plan *plan, char **err);
void reload_plan_free(reload_plan *plan);   /* an empty plan is a no-op */

/*
 * Bring the full-text index up to date after the inserts (unless the plan
 * leaves it alone). 0, or -1 with *err.
 */
int reload_finish(sqlite3 *db, const reload_plan *plan, char **err);

/*
 * A file's content as this load sees it: its overlay in opts when it has
 * one (copied), else the file read from disk (file_read_all's contract,
 * max bytes at most).
 */
char *reload_read(const load_options *opts, const char *path, size_t *len, size_t max);

/* The hex fingerprint of a file's content (17 bytes with the NUL), as files.hash keeps it. */
void reload_fingerprint(const char *buf, size_t len, char hex[17]);

#endif
