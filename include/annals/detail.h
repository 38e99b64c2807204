/* detail.h - `annals show`: one id described whole, events, actors, places and sources alike. */
#ifndef ANNALS_DETAIL_H
#define ANNALS_DETAIL_H

#include <stdbool.h>
#include <stdio.h>
#include <sqlite3.h>

/*
 * Describe every record whose id is id, of every kind (an event, an actor,
 * a place and a source may share one), with everything about it and the
 * events linked to it in chronological order: for an actor also those of
 * the actors part_of it, for a place those of the places within it, for an
 * event the events part_of it. Text only; colour only when color.
 * Returns the number of records described (0 when none has that id), or
 * -1 with *err a new message (the caller frees it). Write errors on out
 * are the caller's to detect (ferror).
 */
int detail_show(sqlite3 *db, const char *id, FILE *out, bool color, char **err);

/*
 * A hint for an id that names nothing, from names_advise over every kind:
 * "'ISIS' is an alias of actor 'islamic-state'" when it is a name or
 * alias, else "did you mean 'x'?" for the closest id of any kind, or NULL
 * when nothing is close (or on failure). The caller frees the string.
 */
char *detail_hint(sqlite3 *db, const char *id);

#endif
