/* lint.h - `check --lint`: loose ends in a loaded dataset that are not errors (near-duplicate vocabulary, unused records, placeholders). */
#ifndef ANNALS_LINT_H
#define ANNALS_LINT_H

#include <sqlite3.h>

#include "annals/diag.h"

/* A title or name longer than this many characters is a warning. */
#define LINT_LINE_MAX 200

/*
 * Look over the dataset loaded in db and add a warning to dl, with its
 * position and a hint, for each of:
 *   - two values of one vocabulary (types, tags, roles) that look like one
 *     value written twice (vocab_near), naming both and their counts;
 *   - an actor, place or source that no event and no other record refers to;
 *   - a record still holding what `annals new` left to fill in (a text
 *     with TODO in it, or the id new-event, new-actor, ...);
 *   - a title or name longer than LINT_LINE_MAX characters;
 *   - an event with places, none of which has coords (GeoJSON leaves it out).
 * db must hold the whole dataset (a load kept with its texts, not a lean
 * check). Returns 0, or -1 with *err a new message (the caller frees it);
 * warnings added before a failure stay in dl.
 */
int lint_run(sqlite3 *db, diag_list *dl, char **err);

#endif
