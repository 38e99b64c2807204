/* vocab.h - the free vocabularies of a dataset (event types, tags, actor roles): values in use, counts, near-duplicates. */
#ifndef ANNALS_VOCAB_H
#define ANNALS_VOCAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sqlite3.h>

#include "annals/listing.h"

typedef enum { VOCAB_TYPES, VOCAB_TAGS, VOCAB_ROLES } vocab_kind;

/* "type", "tag", "role"; "types", "tags", "roles". Static strings. */
const char *vocab_noun(vocab_kind kind);
const char *vocab_plural(vocab_kind kind);

/* One value in use: how many events use it (for roles also how many actors hold it). */
typedef struct {
    char *value;
    long long events;
    long long actors;     /* VOCAB_ROLES only; 0 otherwise */
} vocab_value;

/*
 * Whether value (compared as given: the vocabularies are lower case) is
 * used by some event as a kind: 0 when it is; NAMES_EUSER (names.h) with
 * *err "no type matches 'battel' (closest: 'battle')" when it is not
 * (shown is how to quote the value: the user's spelling); NAMES_EDB with
 * *err on failure. *err is a new message the caller frees.
 */
int vocab_check(sqlite3 *db, vocab_kind kind, const char *value, const char *shown, char **err);

/*
 * Every value of kind in db, in byte order of the values. On success 0 and
 * *values a new array of *n entries (free with vocab_values_free); on
 * failure -1 with *err a new message (the caller frees it) and nothing to free.
 */
int vocab_values(sqlite3 *db, vocab_kind kind, vocab_value **values, size_t *n, char **err);
void vocab_values_free(vocab_value *values, size_t n);   /* NULL is a no-op */

/*
 * Write the values of kind with their counts:
 *   text  aligned columns: value, events (and actors for roles); colour only when color
 *   json  {"types": [{"type": "meeting", "events": 3}]}, and likewise
 *         {"tags": [{"tag", "events"}]}, {"roles": [{"role", "events", "actors"}]}
 *   csv   RFC 4180 with CRLF: a header row (type,events / tag,events /
 *         role,events,actors), then one row per value
 * Returns 0, or -1 with *err a new message. Write errors on out are the
 * caller's to detect (ferror).
 */
int vocab_write(sqlite3 *db, vocab_kind kind, listing_format fmt, FILE *out, bool color,
                char **err);

/*
 * Whether two values of one vocabulary look like one value written twice:
 * they differ only in case or punctuation ("air-strike" / "airstrike"), by
 * a plural ("attack" / "attacks", "casualty" / "casualties"), by a word
 * added to the other ("punic" / "punic-wars"), or by a small edit
 * ("mesting" / "meeting"). Equal strings are not near-duplicates.
 */
bool vocab_near(const char *a, const char *b);

#endif
