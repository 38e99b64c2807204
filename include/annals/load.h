/* load.h - read a dataset's files, validate every record and the whole, store it in SQLite. */
#ifndef ANNALS_LOAD_H
#define ANNALS_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <sqlite3.h>

#include "annals/diag.h"

typedef struct {
    size_t files;
    size_t actors, places, sources, events;
} load_stats;

/* The content of a file as an editor holds it, read instead of the file on disk. */
typedef struct {
    const char *path;  /* as it appears in the files given to load_dataset */
    const char *text;  /* len bytes, not necessarily NUL-terminated */
    size_t len;
} load_overlay;

typedef struct {
    bool commit;       /* keep the result (load) or always roll back (check) */
    bool strict;       /* warnings are errors */
    /*
     * With commit: commit even when the data has errors, so that the
     * database shows the dataset as it stands (what an editor asks about).
     * The files with problems are marked so that the next load reads them
     * again, which keeps a reload's diagnostics those of a full load.
     * A reload with keep_errors takes the files it keeps to have had no
     * diagnostic (it looks for sourceless events only in the files it
     * reads): fill such a database with keep_errors loads only.
     */
    bool keep_errors;
    /*
     * May be NULL. unchanged[i]: files[i] is known to hold what the last
     * load of this database read (the caller watches the files and its
     * buffers), so a reload keeps it without reading it to compare its
     * fingerprint. Files with a problem at that load are read anyway.
     */
    const bool *unchanged;
    /*
     * With commit: leave the full-text index (events_fts) alone, neither
     * built nor kept up to date, for a private database that no text
     * search reads (annals diff and log). It is then stale: never hand
     * such a database to a query with a text filter.
     */
    bool no_text_index;
    /* Files whose content is taken from memory (may be NULL): unsaved buffers. */
    const load_overlay *overlays;
    size_t noverlays;
    /* Called after each file (may be NULL): files done, files in all, records read. */
    void (*progress)(void *ctx, size_t done, size_t total, size_t records);
    void *progress_ctx;
} load_options;

/*
 * Collect the dataset's files: every *.yaml and *.yml file under each path
 * (a file, or a directory searched recursively; hidden entries skipped),
 * sorted in byte order of their paths, without repeats. A path that does
 * not exist or cannot be read is an error in dl and makes it return -1.
 * A directory given in paths that holds no such file, and a broken
 * symbolic link named like one, are errors in dl too, but the others are
 * still collected and 0 is returned: check dl before keeping a result.
 * On success *files is a new array of new strings (free with
 * load_free_files) and *n its length.
 */
int load_collect_files(const char *const *paths, size_t npaths, char ***files,
                       size_t *n, diag_list *dl);
void load_free_files(char **files, size_t n);

/* True when a file name ends in .yaml or .yml: a file a dataset reads. */
bool load_has_yaml_ext(const char *name);

/*
 * Replace the content of db with the dataset in files, in one transaction:
 * every record is validated and stored, then the dataset-wide rules are
 * checked (references, aliases, cycles). Problems go to dl. The
 * transaction is committed only when opts->commit and there is no error;
 * otherwise it is rolled back and db is as it was.
 * Returns 0 when the dataset was read (look at dl for its errors), -1 on an
 * I/O or database failure (*err is a new message; the caller frees it; a
 * file that cannot be read is also reported in dl).
 */
int load_dataset(sqlite3 *db, char *const *files, size_t nfiles,
                 const load_options *opts, diag_list *dl, load_stats *stats,
                 char **err);

#endif
