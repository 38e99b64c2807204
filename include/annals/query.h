/* query.h - filters -> one parameterised SQL query in chronological order, read event by event. */
#ifndef ANNALS_QUERY_H
#define ANNALS_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "annals/edtf.h"

/* What to select. NULL / 0 fields do not filter. All combine with AND. */
typedef struct {
    const char *actor;    /* id, name or alias, case-insensitive; includes part_of descendants */
    const char *role;     /* with actor (or alone): the actor's role in the event; a role
                             some event gives */
    const char *region;   /* place id, name or alias; includes places within it */
    const char *from;     /* EDTF: events whose span overlaps [lower(from), upper(to)] */
    const char *to;
    const char *type;     /* a type some event has (case-insensitive) */
    const char *tag;      /* a tag some event has (case-insensitive) */
    const char *text;     /* FTS5 words over title and summary, diacritics folded */
    long limit;           /* 0: no limit */
    long offset;          /* skip this many first events (paging); 0: none */
    /* Added for `annals show` (exact ids, no hierarchy): */
    const char *source;   /* events citing this source id */
    const char *event;    /* only the event with this id */
    const char *part_of;  /* events directly part_of this event id */
} query_filter;

/* What query_open returns on failure (query_next and the others return -1). */
#define QUERY_EFILTER (-1)  /* the filter is wrong: unknown or ambiguous name, bad date */
#define QUERY_EDB (-2)      /* a database failure or out of memory */

typedef struct {
    const char *id;
    const char *name;
    const char *role;        /* NULL when none */
    const char *kind;        /* NULL when none */
    const char *description; /* NULL when none */
} report_actor;

typedef struct {
    const char *id;
    const char *name;
    const char *kind;        /* NULL when none */
    bool has_coords;
    double lat, lon;
} report_place;

/* A source as the event cites it; every text is NULL when none. */
typedef struct {
    const char *id;
    const char *title;
    const char *url;
    const char *publisher;
    const char *author;
    const char *published; /* EDTF as written */
    const char *accessed;  /* EDTF as written */
    const char *notes;     /* the source's own notes */
    const char *quote;     /* the event's quote from it */
    const char *locator;
} report_source;

typedef struct {
    const char *name;
    double value;
    bool has_low, has_high;
    double low, high;
    const char *unit;      /* NULL when none */
} report_figure;

/* One event with everything linked to it. Valid until the next cursor call. */
typedef struct {
    const char *id;
    const char *date;        /* EDTF as written */
    edtf_date when;          /* parsed: bounds, sides, qualifiers */
    const char *title;
    const char *summary;     /* NULL when none */
    const char *type;        /* NULL when none */
    const char *part_of;     /* NULL when none */
    const char *notes;       /* NULL when none */
    const char *file;        /* where it is defined */
    int line;
    report_actor *actors;   size_t nactors;
    report_place *places;   size_t nplaces;
    const char **tags;      size_t ntags;
    report_source *sources; size_t nsources;
    report_figure *figures; size_t nfigures;
} report_event;

typedef struct query_cursor query_cursor;

/*
 * Resolve the filter's names and prepare the query. An actor, region or
 * source that matches nothing, a type, tag or role that no event uses, or
 * an invalid --from/--to date, is an error: QUERY_EFILTER (-1) with *err a
 * new message naming the closest matches (the caller frees it).
 * On success *out is a new cursor (free with query_close) positioned
 * before the first event.
 * Names resolve as names_resolve says (names.h): an exact id; else the
 * names, ids and aliases compared lower-cased; else compared folded
 * (without diacritics). A name that fits several records is an error
 * listing them (QUERY_EFILTER).
 * A database failure returns QUERY_EDB (-2) with *err.
 */
int query_open(sqlite3 *db, const query_filter *f, query_cursor **out, char **err);

/*
 * The next event in chronological order (lower bound, then upper bound:
 * what ends first comes first, an open end last; then id). Returns 1 with *ev set, 0 at the end, -1 on failure with *err.
 * Events stream from SQLite: only the current one is held in memory.
 */
int query_next(query_cursor *c, const report_event **ev, char **err);

/* Start again from the first event (renderers that need two passes). Returns 0. */
int query_rewind(query_cursor *c, char **err);

/*
 * Bounds over all matching events (within the limit): min lower, max upper,
 * and the count; with no event the count and both bounds are 0. Runs its
 * own statement: the cursor's position does not change.
 */
int query_extent(query_cursor *c, int64_t *lower, int64_t *upper, long *count, char **err);

/* An actor, a place or a source as the reports describe it; text NULL when none. */
typedef struct {
    const char *id, *name, *kind;  /* name: a source's title; kind: none for sources */
    const char *description;   /* an actor's description, a source's notes */
    bool has_coords;           /* places only */
    double lat, lon;
    report_source source;      /* sources only: every field but quote and locator */
} report_record;

typedef enum {
    QUERY_LINKED_ACTORS, QUERY_LINKED_PLACES, QUERY_LINKED_SOURCES
} query_linked_kind;

/*
 * Call fn for every actor, place or source that a matching event names
 * (within the limit), ordered by name (a source's title) then id; r is
 * valid during the call only.
 * Runs its own statement: the cursor's position does not change. Returns
 * 0, or -1 with *err a new message.
 */
int query_linked(query_cursor *c, query_linked_kind kind,
                 void (*fn)(void *ctx, const report_record *r), void *ctx, char **err);

void query_close(query_cursor *c);   /* NULL is a no-op */

/*
 * True when c's filter is at most a date range: then an event matches
 * exactly when its upper bound >= *from and its lower bound <= *to
 * (INT64_MIN and INT64_MAX when a side is not given), which a caller
 * holding every event's bounds can test without SQL.
 */
bool query_dates_only(const query_cursor *c, int64_t *from, int64_t *to);

/*
 * Prepare a statement over the matching events (limit and offset
 * ignored): tail is SQL that reads the table `matched(id, lower, upper,
 * type, rid)` (rid: the event's rowid), e.g. "SELECT type, count(*) FROM matched GROUP BY type". The
 * filter's own parameters are bound; tail's are the caller's to bind
 * (named ones only: :name). Returns 0 with *st (the caller finalizes it
 * before closing the cursor), or -1 with *err.
 */
int query_prepare_over(query_cursor *c, const char *tail, sqlite3_stmt **st, char **err);

/*
 * With skip true, query_next fills only the event's own columns (id, date,
 * when, title, summary, type, part_of, notes, file, line) and leaves every
 * list empty: a cheap pass for renderers that measure before they write.
 */
void query_skip_links(query_cursor *c, bool skip);

#endif
