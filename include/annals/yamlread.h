/* yamlread.h - libyaml events -> small node trees with 1-based positions, streamed record by record. */
#ifndef ANNALS_YAMLREAD_H
#define ANNALS_YAMLREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "annals/diag.h"

/* Limits; each breach is an error at its position (see docs/reliability.md). */
#define YREAD_MAX_DEPTH 64                 /* nesting of collections */
#define YREAD_MAX_SCALAR (1u << 20)        /* bytes in one scalar */
#define YREAD_MAX_FILE (256u << 20)        /* bytes in one file */
#define YREAD_MAX_ALIAS_NODES 100000       /* nodes copied by alias expansion, per file */

typedef enum { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP } ynode_kind;

typedef struct ynode ynode;
struct ynode {
    ynode_kind kind;
    int line, col;      /* 1-based position of the node's first character */
    /* scalar */
    char *text;         /* UTF-8, NUL-terminated; never contains a NUL byte */
    size_t len;         /* bytes in text */
    char small[32];     /* text's storage when it fits (the reader's business) */
    bool plain;         /* written without quotes (so `~`, `null`, `` are null) */
    int end_col;        /* 1-based column just past a single-line scalar */
    /* sequence: items[0..n); mapping: keys[i] -> items[i], in file order,
       keys are scalars and unique (duplicates are errors, the later dropped) */
    size_t n;
    ynode **items;
    ynode **keys;
};

/* True for a plain empty, `~`, `null`, `Null` or `NULL` scalar. */
bool ynode_is_null(const ynode *n);

/* The value of key in a mapping, or NULL. */
const ynode *ynode_get(const ynode *map, const char *key);

/*
 * One record handed to the caller: section is the top-level key (a scalar,
 * e.g. "events"); value is one item of the section's sequence when
 * in_sequence, else the section's whole value (a scalar, mapping or null).
 * The nodes are freed after the callback returns: copy what you keep.
 */
typedef struct {
    const char *file;
    const ynode *section;
    const ynode *value;
    bool in_sequence;
    size_t index;       /* 0-based item index when in_sequence */
} yread_item;

/* Return 0 to go on, non-zero to stop reading (returned by yread_file). */
typedef int (*yread_fn)(void *ctx, const yread_item *item);

/*
 * A part of a file that a syntax error made unreadable: from the start of
 * the record the error is in up to where reading resumed (lines first_line
 * to last_line, 1-based). section is the top-level key of the list it is
 * in (NULL when unknown); ids are the values written as `id: X` in it, the
 * records it may have defined. Valid during the call only.
 */
typedef struct {
    const char *file;
    const char *section;
    int first_line, last_line;
    const char *const *ids;
    size_t nids;
} yread_gap;

typedef void (*yread_gap_fn)(void *ctx, const yread_gap *gap);

/*
 * Read every document of the YAML file at path. Each document must be a
 * mapping (or empty); every item of each top-level key's sequence is built
 * as a tree and handed to fn, one at a time, so memory stays bounded by the
 * largest record. Anchors and aliases are resolved (expansion bounded by
 * YREAD_MAX_ALIAS_NODES); `<<` merge keys are applied.
 * Syntax errors, invalid UTF-8, duplicate keys, NUL characters and limit
 * breaches are added to dl at their position; reading goes on where it can.
 * After a syntax error it resumes at the next record of the same list (the
 * next `- ` at that list's column) or the next top-level key, so that the
 * records after it are read too; see yread_buffer_gaps for what is lost.
 * Returns 0 when the file was read (even with data errors in dl), -1 when
 * the file could not be opened or read (an error with no position is in dl),
 * or fn's non-zero value.
 */
int yread_file(const char *path, diag_list *dl, yread_fn fn, void *ctx);

/* The same on a buffer in memory; name is used in diagnostics. */
int yread_buffer(const char *name, const char *buf, size_t len, diag_list *dl,
                 yread_fn fn, void *ctx);

/* The same, telling gap (may be NULL; with ctx) of each part a syntax error made unreadable. */
int yread_buffer_gaps(const char *name, const char *buf, size_t len, diag_list *dl,
                      yread_fn fn, yread_gap_fn gap, void *ctx);

#endif
