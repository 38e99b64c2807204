/* listing.h - listings and descriptions of actors, places and sources, with their event counts. */
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

/*
 * Describe every record whose id is id, of every kind (an event, an actor,
 * a place and a source may share one), with everything about it and the
 * events linked to it in chronological order: for an actor also those of
 * the actors part_of it, for a place those of the places within it, for an
 * event the events part_of it. Text only.
 * Returns the number of records described (0 when none has that id), or
 * -1 with *err a new message.
 */
int listing_show(sqlite3 *db, const char *id, FILE *out, bool color, char **err);

/*
 * A hint for an id that names nothing, from names_advise over every kind:
 * "'ISIS' is an alias of actor 'islamic-state'" when it is a name or
 * alias, else "did you mean 'x'?" for the closest id of any kind, or NULL
 * when nothing is close (or on failure). The caller frees the string.
 */
char *listing_hint(sqlite3 *db, const char *id);

#endif
