/* diff.h - compare two annals databases record by record: added, removed, renamed, changed, moved. */
#ifndef ANNALS_DIFF_H
#define ANNALS_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sqlite3.h>

#include "annals/query.h"

/* The kinds of record, in the order a result lists them. */
typedef enum { DIFF_ACTOR = 0, DIFF_PLACE, DIFF_SOURCE, DIFF_EVENT, DIFF_NKINDS } diff_kind;

/* "actor", "place", "source", "event" (and with plural "actors", ...). Static strings. */
const char *diff_kind_name(diff_kind k, bool plural);

/* How a field's value is shown. */
typedef enum {
    DIFF_TEXT,     /* one line: old -> new */
    DIFF_LONG,     /* prose (summary, description, notes): a word diff */
    DIFF_DATE,     /* EDTF: with its words and how the bounds moved */
    DIFF_COORDS,   /* [lat, lon] */
    DIFF_LIST      /* items added and removed */
} diff_field_type;

/* One field that differs. Strings are owned by the result. */
typedef struct {
    const char *field;        /* the key as written in files: "date", "actors" */
    diff_field_type type;
    char *old_text, *new_text;   /* scalars as written; NULL when absent (lists: NULL) */
    char *old_json, *new_json;   /* the values as JSON, as the JSON report writes them */
    char **added, **removed;     /* lists: the items (as "id (role)", "tag") */
    size_t nadded, nremoved;
} diff_field;

/* One record in a result. */
typedef struct {
    diff_kind kind;
    char *id;                 /* the id (in NEW for a renamed record) */
    char *old_id;             /* the id in OLD when renamed, else NULL */
    char *label;              /* its name or title (NEW's when it has one) */
    char *date;               /* events: the EDTF date (NEW's when it has one); else NULL */
    char *old_pos, *new_pos;  /* "events/2021.yaml:12", relative to each side's root */
    diff_field *fields;       /* changed: the fields that differ */
    size_t nfields;
} diff_entry;

typedef struct {
    diff_entry *v;
    size_t n, cap;
} diff_entries;

/* The result: each list sorted by kind, then id. */
typedef struct {
    diff_entries added, removed, renamed, changed, moved;
} diff_result;

void diff_result_free(diff_result *r);   /* NULL is a no-op */

/* True when the result holds no difference (moves are not differences). */
bool diff_result_empty(const diff_result *r);

/* One side: a loaded, valid annals database. */
typedef struct {
    sqlite3 *db;
    /*
     * Files' paths are shown relative to root (a directory or a file as
     * the dataset was given); NULL: relative to the deepest directory
     * holding every file of the side.
     */
    const char *root;
} diff_side;

typedef struct {
    bool moves;                  /* list records whose file or line changed */
    const query_filter *filter;  /* NULL: every record; else only the events that
                                    match it on either side (no other kind) */
    const char *only_id;         /* NULL, or compare only the record with this id
                                    (in OLD or NEW, each kind) */
} diff_options;

/*
 * Compare OLD with NEW. A record is matched by its id; failing that, a
 * record removed from OLD and one added in NEW of the same kind are one
 * record renamed when (1) every field is equal once references to renamed
 * records are read under their new ids, or else (2) they have the same
 * name (actors, places) or title (sources, events) and no other removed
 * or added record of that kind has it. Records of a file whose content
 * (fingerprint in the files table) is the same on both sides are the same
 * and are not read; with moves, only when the file also has the same path.
 * The order of a list's items is not compared.
 * Returns 0 with *out a new result (free with diff_result_free); on failure
 * QUERY_EFILTER (the filter matches no actor or place on either side, or a
 * bad date) or QUERY_EDB, with *err a new message (the caller frees).
 * With only_id, only that record and the records that may be renames
 * (some on each side that the other lacks) are read.
 * Temporary tables (temp.annals_diff_read, temp.annals_diff_ids) are made
 * on each connection and dropped again.
 */
int diff_compare(const diff_side *old, const diff_side *new, const diff_options *o,
                 diff_result **out, char **err);

/* ---- Word diff (for long text) ---- */

typedef enum { DIFF_SAME, DIFF_DEL, DIFF_INS } diff_op_kind;

typedef struct {
    diff_op_kind op;
    const char *s;            /* into the old (SAME, DEL) or new (INS) text */
    size_t len;
} diff_word;

/*
 * The words (runs of non-space characters) of a and b aligned by a
 * longest common subsequence; runs of the same op are merged, each op's
 * text spans its words with the spaces between them. *out is a new array
 * (the caller frees) of *n ops pointing into a and b; -1 when out of
 * memory, or when the texts are too long to align (once their common
 * first and last words are set aside, the product of their word counts
 * is over 4,000,000): then the caller shows both whole.
 */
int diff_words(const char *a, const char *b, diff_word **out, size_t *n);

/* ---- Output (src/diff_render.c) ---- */

typedef enum { DIFF_FORMAT_TEXT, DIFF_FORMAT_MARKDOWN, DIFF_FORMAT_JSON } diff_format;

/* "text", "markdown" or "json": 0 with *f, or -1 for another name. */
int diff_format_find(const char *name, diff_format *f);

typedef struct {
    const char *old_name, *new_name;   /* how the sides were named on the command line */
    bool color;                        /* ANSI colour (text only) */
    bool moves;                        /* list the moves */
} diff_render_options;

/* Write the whole result in a format. Write errors are the caller's (ferror). */
void diff_render(FILE *out, const diff_result *r, diff_format f, const diff_render_options *o);

/*
 * The summary: "2 added, 1 removed, 1 renamed, 3 changed" ("no differences"),
 * into buf (snprintf semantics).
 */
int diff_summary(const diff_result *r, char *buf, size_t size);

/*
 * Write one entry's field changes as the text format does (indented by
 * indent spaces), the Markdown format (a list), or a JSON array of
 * {"field","old","new"}: for `annals log`.
 */
void diff_render_fields(FILE *out, const diff_entry *e, diff_format f, bool color, int indent);

#endif
