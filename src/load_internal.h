/* load_internal.h - what the loader's parts (load.c, records.c, crossref.c) share. */
#ifndef ANNALS_LOAD_INTERNAL_H
#define ANNALS_LOAD_INTERNAL_H

#include <stdbool.h>
#include <sqlite3.h>

#include "annals/diag.h"
#include "annals/load.h"
#include "annals/yamlread.h"

/* Prepared statements of a load, indexed by this enum (see records.c). */
enum loader_stmt {
    ST_FILE, ST_ACTOR, ST_PLACE, ST_SOURCE, ST_EVENT,
    ST_FIND_ACTOR, ST_FIND_PLACE, ST_FIND_SOURCE, ST_FIND_EVENT,
    ST_ACTOR_NAME, ST_PLACE_NAME,
    ST_ACTOR_PARENT, ST_PLACE_PARENT, ST_EVENT_PARENT,
    ST_EVENT_ACTOR, ST_EVENT_PLACE, ST_EVENT_TAG, ST_EVENT_SOURCE, ST_EVENT_FIGURE,
    ST_COUNT
};

typedef struct {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
    diag_list *dl;
    load_stats *stats;
    const char *file;        /* the file being read */
    sqlite3_int64 file_id;
    char *err;               /* set on a database failure: the load stops */
    bool lean;               /* checking only: skip texts no rule looks at */
} loader;

/* Prepare the statements. -1 with L->err on failure. */
int records_prepare(loader *L);
void records_finalize(loader *L);

/* yread_fn: validate one top-level item and store it. Non-zero stops. */
int records_item(void *ctx, const yread_item *item);

/* Dataset-wide rules, once every file is stored. -1 with L->err on failure. */
int crossref_check(loader *L);

/* Record a database failure in L->err (first one wins); returns -1. */
int loader_fail(loader *L, const char *sql);

#endif
