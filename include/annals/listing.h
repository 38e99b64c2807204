/* listing.h - listings of actors, places and sources with their event counts, and one record read whole. */
#ifndef ANNALS_LISTING_H
#define ANNALS_LISTING_H

#include <stdbool.h>
#include <stdio.h>
#include <sqlite3.h>

typedef enum { LISTING_ACTORS, LISTING_PLACES, LISTING_SOURCES } listing_kind;
typedef enum { LISTING_TEXT, LISTING_JSON, LISTING_CSV } listing_format;

/* The names of listing_format's values, in its order, NULL-terminated. */
extern const char *const listing_format_names[];

/* The listing format named name ("text", "json", "csv"): 0 with *fmt, or -1. */
int listing_format_find(const char *name, listing_format *fmt);

/*
 * Write every record of kind in id order, with the number of events linked
 * to it directly ("events") and, for actors and places, also through the
 * hierarchy ("events_all": those of every actor part_of it, or of every
 * place within it, at any depth, as `report --actor/--region` finds them).
 *
 *   text  aligned columns, one record a line: id, name (title for
 *         sources), kind (published for sources), the direct event count,
 *         then "part of ..; aka .." / "within ..; aka .." / the URL.
 *         Colour only when color.
 *   json  {"actors": [{id, name, kind, aliases, part_of, events, events_all}]},
 *         {"places": [{id, name, kind, aliases, within, lat, lon, events,
 *         events_all}]}, {"sources": [{id, title, publisher, author,
 *         published, accessed, url, events}]}; missing values null.
 *   csv   RFC 4180 with CRLF, a header row, the JSON fields as columns,
 *         lists joined by ';'.
 *
 * Returns 0, or -1 with *err a new message (the caller frees it). Write
 * errors on out are the caller's to detect (ferror).
 */
int listing_write(sqlite3 *db, listing_kind kind, listing_format fmt, FILE *out, bool color,
                  char **err);

/* ---- One record, as the detail view (detail.h) shows it ---------------------- */

/* Texts fetched for a record: its aliases, its parents, its children (with their names). */
typedef struct {
    char **v;
    char **names;   /* children only: each child's name; else NULL */
    size_t n;
} listing_list;

/*
 * An actor, a place or a source with everything the database holds about
 * it. Texts are NULL when not set; the fields of another kind are NULL or 0.
 * Every pointer stays valid until listing_record_free.
 */
typedef struct {
    listing_kind kind;
    const char *noun;           /* "actor", "place", "source" */
    const char *parents_word;   /* "part of" / "within"; NULL for sources */
    const char *children_word;  /* "members" / "contains"; NULL for sources */
    const char *id;
    const char *name;           /* a source's title */
    const char *kind_name;      /* actors and places */
    const char *description;    /* actors */
    bool has_coords;            /* places */
    double lat, lon;
    const char *publisher, *author, *published, *accessed, *url, *notes;  /* sources */
    const char *path;           /* where it is defined */
    int line;
    listing_list aliases, parents, children;   /* empty for sources */
    long long events;           /* events that name it */
    long long events_all;       /* also through the hierarchy (listing_write's events_all) */
    struct listing_stmts *st;   /* private: the statements the texts belong to */
} listing_record;

/*
 * The record of kind whose id is id into *rec. Returns 1, 0 when there is
 * none (*rec holds nothing to free), or -1 with *err a new message (the
 * caller frees it; *rec holds nothing to free).
 */
int listing_get(sqlite3 *db, listing_kind kind, const char *id, listing_record *rec, char **err);

/* Frees what rec holds; a zeroed or freed record is a no-op. */
void listing_record_free(listing_record *rec);

/* Write l's texts for a terminal (render_plain), joined by ", ". */
void listing_list_text(FILE *out, const listing_list *l);

#endif
