/* crossref.h - the dataset-wide rules, checked in SQL once every file is stored: references, aliases, cycles, sources. */
#ifndef ANNALS_CROSSREF_H
#define ANNALS_CROSSREF_H

#include <sqlite3.h>

#include "annals/diag.h"
#include "annals/reload.h"

/*
 * Check the rules over what db holds, inside the load's transaction. The
 * plan says where to look for unresolved references: everywhere after a
 * full load, only what can be affected after an incremental one (the
 * diagnostics are the same). Problems go to dl. Returns 0, or -1 on a
 * database failure with *err a new message (the caller frees it) unless
 * *err held one already.
 */
int crossref_check(sqlite3 *db, reload_plan plan, diag_list *dl, char **err);

#endif
