/* records.h - validate the records of a file against the format and turn them into rows. */
#ifndef ANNALS_RECORDS_H
#define ANNALS_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "annals/diag.h"
#include "annals/rows.h"
#include "annals/yamlread.h"

/*
 * One reader's state: what records_item needs and updates. Each reader
 * thread has its own; it never sees the database, only its lane.
 */
typedef struct {
    diag_list *dl;           /* this reader's diagnostics */
    row_lane *lane;          /* where its rows go */
    const char *file;        /* the file being read */
    int64_t file_id;         /* its id in the files table */
    size_t records;          /* records read so far (for progress) */
    bool lean;               /* checking only: skip texts no rule looks at */
} records_reader;

/*
 * yread_fn (ctx is a records_reader): validate one top-level item, report
 * its problems, and write its rows (what can be stored, valid or not, so
 * that later references resolve). Non-zero stops the file: the writer has
 * failed or memory ran out.
 */
int records_item(void *ctx, const yread_item *item);

/*
 * yread_gap_fn (ctx is a records_reader): write the ids a part lost to a
 * syntax error may have defined (ROW_UNREADABLE rows), so that references
 * to them are not called unknown. A failing writer stops the load at the
 * next row_end.
 */
void records_gap(void *ctx, const yread_gap *gap);

/*
 * The format's keys, for an editor's completion: the i-th key (from 0, in
 * the format's order) of a record of section ("events"), or with outer
 * ("actors") of an item of that list in such a record; NULL past the last,
 * or for no such mapping. Static strings.
 */
const char *records_key(const char *section, const char *outer, size_t i);

/*
 * The kind of record ("actor") whose id a key holds, in a record of section
 * or an item of its list outer (NULL or ""): a definition (the record's own
 * `id`, *definition set) or a reference; NULL when the key holds no id.
 */
const char *records_id_kind(const char *section, const char *outer, const char *key,
                            bool *definition);

/* The values key of a record of section takes, when they are a fixed list (NULL-terminated, static); else NULL. */
const char *const *records_values(const char *section, const char *key);

#endif
