/* query.c - filters -> one parameterised SQL query in chronological order, read event by event. */
#include "annals/query.h"

#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/names.h"
#include "annals/util.h"

/* ---- The cursor ----------------------------------------------------------- */

enum { L_ACTORS, L_PLACES, L_TAGS, L_SOURCES, L_FIGURES, L_COUNT };

static const char *const link_sql[L_COUNT] = {
    [L_ACTORS] = "SELECT ea.actor_id, a.name, ea.role, a.kind, a.description "
                 "FROM event_actors ea "
                 "JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id = ? ORDER BY ea.seq",
    [L_PLACES] = "SELECT ep.place_id, p.name, p.lat, p.lon, p.kind FROM event_places ep "
                 "JOIN places p ON p.id = ep.place_id WHERE ep.event_id = ? ORDER BY ep.seq",
    [L_TAGS] = "SELECT tag FROM event_tags WHERE event_id = ? ORDER BY seq",
    [L_SOURCES] = "SELECT es.source_id, s.title, s.url, s.publisher, s.author, s.published, "
                  "es.quote, es.locator, s.accessed, s.notes FROM event_sources es "
                  "JOIN sources s ON s.id = es.source_id WHERE es.event_id = ? ORDER BY es.seq",
    [L_FIGURES] = "SELECT name, value, low, high, unit FROM event_figures "
                  "WHERE event_id = ? ORDER BY seq",
};

struct query_cursor {
    sqlite3 *db;
    sqlite3_stmt *main;
    sqlite3_stmt *extent;        /* prepared on first use */
    sqlite3_stmt *links[L_COUNT];
    char *extent_sql;
    bool skip_links;
    bool done;                   /* the main statement ran to its end */
    /* Resolved parameters, bound by name (:actor, :place, ...). */
    char *actor, *place, *role, *type, *tag, *text, *source, *event, *part_of;
    int64_t from, to;
    bool has_from, has_to;
    long limit, offset;
    bool walk;                   /* the one link filter is broad: walk events_chrono */
    /* The current event and its buffers, reused from event to event. */
    report_event ev;
    arena strings;
    size_t cap_actors, cap_places, cap_tags, cap_sources, cap_figures;
};

/* ---- Resolving names ------------------------------------------------------- */

/* A names.h result as query_open's. */
static int filter_rc(int rc)
{
    return rc == 0 ? 0 : rc == NAMES_EUSER ? QUERY_EFILTER : QUERY_EDB;
}

/*
 * The type, tag and role filters (already lower-cased in c) must be words
 * some event uses: a typo is an error naming the closest, as for actors.
 */
static int check_vocabulary(const query_cursor *c, const query_filter *f, char **err)
{
    int rc = 0;
    if (c->type)
        rc = names_check_value(c->db, NAMES_TYPE, c->type, f->type, err);
    if (!rc && c->tag)
        rc = names_check_value(c->db, NAMES_TAG, c->tag, f->tag, err);
    if (!rc && c->role)
        rc = names_check_value(c->db, NAMES_ROLE, c->role, f->role, err);
    return filter_rc(rc);
}

/* ---- Building the query ------------------------------------------------------ */

/* Parse a --from / --to date into *bound (lower or upper). */
static int parse_bound(const char *opt, const char *text, bool upper, int64_t *bound,
                       char **err)
{
    edtf_date d;
    char msg[160];
    if (edtf_parse(text, strlen(text), false, &d, msg, sizeof(msg), NULL) != 0) {
        *err = str_printf("invalid %s date '%s': %s", opt, text, msg);
        return QUERY_EFILTER;
    }
    *bound = upper ? d.upper : d.lower;
    return 0;
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

/*
 * The FTS5 query for user words: each whitespace-separated word becomes a
 * quoted string (quotes doubled), so no word can be read as FTS syntax
 * (AND, NEAR, column filters, *). Words are ANDed. NULL when out of memory;
 * "" when there is no word.
 */
static char *fts_query(const char *text)
{
    size_t n = strlen(text);
    char *q = malloc(n * 4 + 3);    /* a word costs at most 2 per byte + 3 */
    if (!q)
        return NULL;
    size_t o = 0;
    const char *p = text;
    while (*p) {
        while (is_space(*p))
            p++;
        if (!*p)
            break;
        if (o)
            q[o++] = ' ';
        q[o++] = '"';
        while (*p && !is_space(*p)) {
            if (*p == '"')
                q[o++] = '"';
            q[o++] = *p++;
        }
        q[o++] = '"';
    }
    q[o] = '\0';
    return q;
}

static char *lower_dup(const char *s)
{
    return s ? text_lower(s, strlen(s)) : NULL;
}

/* The WITH part shared by the main and the extent statements: the hierarchies. */
static void build_with(const query_cursor *c, strbuf *b)
{
    if (!c->actor && !c->place)
        return;
    strbuf_add(b, "WITH RECURSIVE");
    if (c->actor)
        strbuf_add(b, "\n  sel_actors(id) AS (SELECT :actor UNION SELECT p.actor_id FROM "
                      "actor_parents p JOIN sel_actors s ON p.parent_id = s.id)");
    if (c->actor && c->place)
        strbuf_add(b, ",");
    if (c->place)
        strbuf_add(b, "\n  sel_places(id) AS (SELECT :place UNION SELECT p.place_id FROM "
                      "place_parents p JOIN sel_places s ON p.parent_id = s.id)");
    strbuf_add(b, "\n");
}

/*
 * A filter by a link: the rows of a link table that an event must have one
 * of. `from` selects them ("FROM t x WHERE ..."), `key` is their event id.
 * With probe, the conditions are written so that they cannot drive the
 * lookup (a unary + on each column): the event id, which the caller adds,
 * must, or each event would scan all the matching links.
 */
typedef struct {
    const char *key;
    char *from;
} link_filter;

enum { MAX_LINK_FILTERS = 5 };

/* The link filters of c, in a fixed order; returns how many (new strings in f). */
static size_t link_filters(const query_cursor *c, bool probe, link_filter f[MAX_LINK_FILTERS])
{
    const char *p = probe ? "+" : "";
    size_t n = 0;
    if (c->actor || c->role)
        f[n++] = (link_filter){"ea.event_id", str_printf(
            "FROM event_actors ea WHERE %s%s%s%s",
            c->actor ? p : "", c->actor ? "ea.actor_id IN (SELECT id FROM sel_actors)" : "1",
            c->role ? " AND " : "", c->role ? (probe ? "+ea.role = :role" : "ea.role = :role")
                                            : "")};
    if (c->place)
        f[n++] = (link_filter){"ep.event_id", str_printf(
            "FROM event_places ep WHERE %sep.place_id IN (SELECT id FROM sel_places)", p)};
    if (c->tag)
        f[n++] = (link_filter){"t.event_id",
                               str_printf("FROM event_tags t WHERE %st.tag = :tag", p)};
    if (c->source)
        f[n++] = (link_filter){"es.event_id", str_printf(
            "FROM event_sources es WHERE %ses.source_id = :source", p)};
    if (c->part_of)
        f[n++] = (link_filter){"pp.event_id", str_printf(
            "FROM event_parents pp WHERE %spp.parent_id = :part_of", p)};
    return n;
}

static void free_link_filters(link_filter *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(f[i].from);
}

/* The FROM and WHERE parts shared by every statement, then ORDER BY and LIMIT when ordered. */
static void build_where(const query_cursor *c, strbuf *b, bool ordered)
{
    strbuf_add(b, "FROM events e\nWHERE 1");
    /*
     * Two ways to answer. When a link filter is selective (a leaf actor, a
     * rare tag), it is written as "e.id IN (event ids from the link's
     * index)": SQLite drives the query from that index and sorts the few
     * matches, so a query on a million events answers in milliseconds.
     * When the one link filter is broad (c->walk: an actor with many
     * parts, a tag on a tenth of the events; see is_broad), sorting its
     * matches would cost more than finding them: the query walks
     * events_chrono (lower, upper, id) and checks each event's
     * links with EXISTS, so rows stream with no sort and the first page is
     * there at once. Without link filters it walks events_chrono too. The
     * unary + keeps date and type conditions from driving: they are rarely
     * selective.
     */
    link_filter f[MAX_LINK_FILTERS];
    size_t n = link_filters(c, c->walk, f);
    for (size_t i = 0; i < n; i++) {
        if (!f[i].from) {
            b->oom = true;
            continue;
        }
        strbuf_add(b, c->walk ? "\n  AND EXISTS (SELECT 1 " : "\n  AND e.id IN (SELECT ");
        if (!c->walk)
            strbuf_add(b, f[i].key);
        strbuf_add(b, c->walk ? "" : " ");
        strbuf_add(b, f[i].from);
        if (c->walk) {
            strbuf_add(b, " AND ");
            strbuf_add(b, f[i].key);
            strbuf_add(b, " = e.id");
        }
        strbuf_add(b, ")");
    }
    free_link_filters(f, n);
    if (c->has_from)
        strbuf_add(b, "\n  AND +e.upper >= :from");
    if (c->has_to)
        strbuf_add(b, "\n  AND +e.lower <= :to");
    if (c->type)
        strbuf_add(b, "\n  AND +e.type = :type");
    if (c->event)
        strbuf_add(b, "\n  AND e.id = :event");
    if (c->text)
        strbuf_add(b, "\n  AND e.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH "
                      ":text)");
    if (!ordered)
        return;
    strbuf_add(b, "\nORDER BY e.lower, e.upper, e.id");
    if (c->limit > 0 || c->offset > 0)
        strbuf_add(b, c->limit > 0 ? "\nLIMIT :limit" : "\nLIMIT -1");
    if (c->offset > 0)
        strbuf_add(b, " OFFSET :offset");
}

static void bind_named_text(sqlite3_stmt *st, const char *name, const char *v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0)
        db_bind_text(st, i, v);
}

static void bind_named_int(sqlite3_stmt *st, const char *name, int64_t v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0)
        sqlite3_bind_int64(st, i, v);
}

static void bind_all(const query_cursor *c, sqlite3_stmt *st)
{
    bind_named_text(st, ":actor", c->actor);
    bind_named_text(st, ":place", c->place);
    bind_named_text(st, ":role", c->role);
    bind_named_text(st, ":type", c->type);
    bind_named_text(st, ":tag", c->tag);
    bind_named_text(st, ":text", c->text);
    bind_named_text(st, ":source", c->source);
    bind_named_text(st, ":event", c->event);
    bind_named_text(st, ":part_of", c->part_of);
    bind_named_int(st, ":from", c->from);
    bind_named_int(st, ":to", c->to);
    bind_named_int(st, ":limit", c->limit);
    bind_named_int(st, ":offset", c->offset);
}

/*
 * Whether to walk: when the only filter is one link filter and it is broad,
 * matching at least one event in BROAD_SHARE (counted up to that many
 * links, so a broad filter costs milliseconds to measure). With two link
 * filters their conjunction may be rare however broad each is, and a date
 * filter cannot bound the walk's start (a long span may begin early): in
 * those cases, as with words or an event id, the query is driven.
 * -1 with *err on a database failure.
 */
#define BROAD_SHARE 20
static int is_broad(query_cursor *c, char **err)
{
    if (c->text || c->event || c->has_from || c->has_to)
        return 0;
    link_filter f[MAX_LINK_FILTERS];
    size_t n = link_filters(c, false, f);
    int rc = 0;
    strbuf q = STRBUF_INIT;
    sqlite3_stmt *st = NULL;
    if (n == 1) {
        /*
         * Count up to cap = events / BROAD_SHARE + 1 (max(rowid): at once;
         * NULL when there is no event, hence ifnull: LIMIT NULL is an error).
         */
        build_with(c, &q);
        strbuf_add(&q, "SELECT count(*) >= ifnull((SELECT max(rowid) FROM events), 0) / :share + 1 "
                       "FROM (SELECT 1 ");
        strbuf_add(&q, f[0].from ? f[0].from : "");
        strbuf_add(&q, " LIMIT ifnull((SELECT max(rowid) FROM events), 0) / :share + 1)");
        if (q.oom || !f[0].from) {
            *err = str_printf("out of memory");
            rc = -1;
        } else if (db_prepare(c->db, q.s, &st, err) != 0) {
            rc = -1;
        } else {
            bind_all(c, st);
            bind_named_int(st, ":share", BROAD_SHARE);
            if (sqlite3_step(st) == SQLITE_ROW) {
                rc = sqlite3_column_int(st, 0);
            } else {
                *err = db_error(c->db, q.s);
                rc = -1;
            }
            sqlite3_finalize(st);
        }
    }
    free(q.s);
    free_link_filters(f, n);
    return rc;
}

static int set_copy(char **dst, const char *src, bool lower, char **err)
{
    if (!src)
        return 0;
    *dst = lower ? lower_dup(src) : strdup(src);
    if (!*dst) {
        *err = str_printf("out of memory");
        return QUERY_EDB;
    }
    return 0;
}

int query_open(sqlite3 *db, const query_filter *f, query_cursor **out, char **err)
{
    *out = NULL;
    *err = NULL;
    query_cursor *c = calloc(1, sizeof(*c));
    if (!c) {
        *err = str_printf("out of memory");
        return QUERY_EDB;
    }
    c->db = db;
    c->limit = f->limit > 0 ? f->limit : 0;
    c->offset = f->offset > 0 ? f->offset : 0;
    int rc = 0;
    if (f->actor)
        rc = filter_rc(names_resolve(db, NAMES_ACTOR, f->actor, &c->actor, err));
    if (!rc && f->region)
        rc = filter_rc(names_resolve(db, NAMES_PLACE, f->region, &c->place, err));
    if (!rc && f->source)
        rc = filter_rc(names_resolve(db, NAMES_SOURCE, f->source, &c->source, err));
    if (!rc && f->from) {
        rc = parse_bound("--from", f->from, false, &c->from, err);
        c->has_from = true;
    }
    if (!rc && f->to) {
        rc = parse_bound("--to", f->to, true, &c->to, err);
        c->has_to = true;
    }
    if (!rc && c->has_from && c->has_to && c->from > c->to) {
        *err = str_printf("--from %s lies after --to %s", f->from, f->to);
        rc = QUERY_EFILTER;
    }
    if (!rc)
        rc = set_copy(&c->role, f->role, true, err);
    if (!rc)
        rc = set_copy(&c->type, f->type, true, err);
    if (!rc)
        rc = set_copy(&c->tag, f->tag, true, err);
    if (!rc)
        rc = check_vocabulary(c, f, err);
    if (!rc)
        rc = set_copy(&c->event, f->event, false, err);
    if (!rc)
        rc = set_copy(&c->part_of, f->part_of, false, err);
    if (!rc && f->text) {
        c->text = fts_query(f->text);
        if (!c->text) {
            *err = str_printf("out of memory");
            rc = QUERY_EDB;
        } else if (!*c->text) {     /* no word: no filter */
            free(c->text);
            c->text = NULL;
        }
    }
    if (rc) {
        query_close(c);
        return rc;
    }

    int broad = is_broad(c, err);
    if (broad < 0) {
        query_close(c);
        return QUERY_EDB;
    }
    c->walk = broad == 1;
    strbuf main = STRBUF_INIT, ext = {0};
    build_with(c, &main);
    strbuf_add(&main, "SELECT e.id, e.date, e.title, e.summary, e.type, e.notes,\n"
                      "  (SELECT path FROM files WHERE id = e.file_id), e.line,\n"
                      "  (SELECT parent_id FROM event_parents WHERE event_id = e.id)\n");
    build_where(c, &main, true);
    build_with(c, &ext);
    strbuf_add(&ext, "SELECT min(x.lower), max(x.upper), count(*) FROM (SELECT e.lower, e.upper\n");
    build_where(c, &ext, true);
    strbuf_add(&ext, ") x");
    if (main.oom || ext.oom) {
        free(main.s);
        free(ext.s);
        query_close(c);
        *err = str_printf("out of memory");
        return QUERY_EDB;
    }
    c->extent_sql = ext.s;
    rc = db_prepare(db, main.s, &c->main, err);
    free(main.s);
    for (int i = 0; !rc && i < L_COUNT; i++)
        rc = db_prepare(db, link_sql[i], &c->links[i], err);
    if (rc) {
        query_close(c);
        return QUERY_EDB;
    }
    bind_all(c, c->main);
    *out = c;
    return 0;
}

/* ---- Reading events --------------------------------------------------------- */

static const char *col_text(query_cursor *c, sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return NULL;
    const char *s = (const char *)sqlite3_column_text(st, i);
    int n = sqlite3_column_bytes(st, i);
    if (!s) {               /* out of memory converting the value */
        c->strings.oom = true;
        return NULL;
    }
    return arena_dup(&c->strings, s, (size_t)n);
}

#define PUSH(c, field, count, capf)                                                   \
    do {                                                                              \
        if (array_grow(&(c)->ev.field, &(c)->capf, (c)->ev.count, sizeof(*(c)->ev.field),  \
                       8) != 0)                                                       \
            goto oom;                                                                 \
    } while (0)

/* Fill the current event's lists with the per-event statements. */
static int fill_links(query_cursor *c, char **err)
{
    report_event *ev = &c->ev;
    for (int k = 0; k < L_COUNT; k++) {
        sqlite3_stmt *st = c->links[k];
        sqlite3_bind_text(st, 1, ev->id, -1, SQLITE_STATIC);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            switch (k) {
            case L_ACTORS: {
                PUSH(c, actors, nactors, cap_actors);
                report_actor *a = &ev->actors[ev->nactors++];
                a->id = col_text(c, st, 0);
                a->name = col_text(c, st, 1);
                a->role = col_text(c, st, 2);
                a->kind = col_text(c, st, 3);
                a->description = col_text(c, st, 4);
                break;
            }
            case L_PLACES: {
                PUSH(c, places, nplaces, cap_places);
                report_place *p = &ev->places[ev->nplaces++];
                p->id = col_text(c, st, 0);
                p->name = col_text(c, st, 1);
                p->has_coords = sqlite3_column_type(st, 2) != SQLITE_NULL &&
                                sqlite3_column_type(st, 3) != SQLITE_NULL;
                p->lat = sqlite3_column_double(st, 2);
                p->lon = sqlite3_column_double(st, 3);
                p->kind = col_text(c, st, 4);
                break;
            }
            case L_TAGS:
                PUSH(c, tags, ntags, cap_tags);
                ev->tags[ev->ntags++] = col_text(c, st, 0);
                break;
            case L_SOURCES: {
                PUSH(c, sources, nsources, cap_sources);
                report_source *s = &ev->sources[ev->nsources++];
                s->id = col_text(c, st, 0);
                s->title = col_text(c, st, 1);
                s->url = col_text(c, st, 2);
                s->publisher = col_text(c, st, 3);
                s->author = col_text(c, st, 4);
                s->published = col_text(c, st, 5);
                s->quote = col_text(c, st, 6);
                s->locator = col_text(c, st, 7);
                s->accessed = col_text(c, st, 8);
                s->notes = col_text(c, st, 9);
                break;
            }
            case L_FIGURES: {
                PUSH(c, figures, nfigures, cap_figures);
                report_figure *fg = &ev->figures[ev->nfigures++];
                fg->name = col_text(c, st, 0);
                fg->value = sqlite3_column_double(st, 1);
                fg->has_low = sqlite3_column_type(st, 2) != SQLITE_NULL;
                fg->low = sqlite3_column_double(st, 2);
                fg->has_high = sqlite3_column_type(st, 3) != SQLITE_NULL;
                fg->high = sqlite3_column_double(st, 3);
                fg->unit = col_text(c, st, 4);
                break;
            }
            }
        }
        if (rc != SQLITE_DONE) {
            *err = db_error(c->db, sqlite3_sql(st));
            sqlite3_reset(st);
            return -1;
        }
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    return 0;
oom:
    for (int k = 0; k < L_COUNT; k++)
        sqlite3_reset(c->links[k]);
    *err = str_printf("out of memory");
    return -1;
}

int query_next(query_cursor *c, const report_event **ev, char **err)
{
    *ev = NULL;
    if (c->done)            /* stepping again would start over */
        return 0;
    int rc = sqlite3_step(c->main);
    if (rc == SQLITE_DONE) {
        c->done = true;
        return 0;
    }
    if (rc != SQLITE_ROW) {
        *err = db_error(c->db, sqlite3_sql(c->main));
        return -1;
    }
    arena_reset(&c->strings);
    report_event *e = &c->ev;
    sqlite3_stmt *st = c->main;
    e->id = col_text(c, st, 0);
    e->date = col_text(c, st, 1);
    e->title = col_text(c, st, 2);
    e->summary = col_text(c, st, 3);
    e->type = col_text(c, st, 4);
    e->notes = col_text(c, st, 5);
    e->file = col_text(c, st, 6);
    e->line = sqlite3_column_int(st, 7);
    e->part_of = col_text(c, st, 8);
    e->nactors = e->nplaces = e->ntags = e->nsources = e->nfigures = 0;
    if (c->strings.oom || !e->id || !e->date || !e->title) {
        *err = str_printf(c->strings.oom ? "out of memory" : "event with no id, date or title "
                                                              "in the database");
        return -1;
    }
    char msg[160];
    if (edtf_parse(e->date, strlen(e->date), true, &e->when, msg, sizeof(msg), NULL) != 0) {
        *err = str_printf("event '%s' has an invalid date '%s' in the database: %s", e->id,
                          e->date, msg);
        return -1;
    }
    if (!c->skip_links && fill_links(c, err) != 0)
        return -1;
    if (c->strings.oom) {
        *err = str_printf("out of memory");
        return -1;
    }
    *ev = e;
    return 1;
}

int query_rewind(query_cursor *c, char **err)
{
    (void)err;
    sqlite3_reset(c->main);     /* an earlier step's error was already reported */
    c->done = false;
    return 0;
}

int query_extent(query_cursor *c, int64_t *lower, int64_t *upper, long *count, char **err)
{
    if (!c->extent) {
        if (db_prepare(c->db, c->extent_sql, &c->extent, err) != 0)
            return -1;
        bind_all(c, c->extent);
    }
    int rc = sqlite3_step(c->extent);
    if (rc != SQLITE_ROW) {
        *err = db_error(c->db, c->extent_sql);
        sqlite3_reset(c->extent);
        return -1;
    }
    *count = (long)sqlite3_column_int64(c->extent, 2);
    *lower = *count ? sqlite3_column_int64(c->extent, 0) : 0;
    *upper = *count ? sqlite3_column_int64(c->extent, 1) : 0;
    sqlite3_reset(c->extent);
    return 0;
}

int query_linked(query_cursor *c, query_linked_kind kind,
                 void (*fn)(void *ctx, const report_record *r), void *ctx, char **err)
{
    static const char *const head[] = {
        [QUERY_LINKED_ACTORS] = "SELECT a.id, a.name, a.kind, a.description, NULL, NULL "
                                "FROM actors a WHERE a.id IN (SELECT l.actor_id FROM "
                                "event_actors l WHERE l.event_id IN (SELECT e.id\n",
        [QUERY_LINKED_PLACES] = "SELECT a.id, a.name, a.kind, NULL, a.lat, a.lon "
                                "FROM places a WHERE a.id IN (SELECT l.place_id FROM "
                                "event_places l WHERE l.event_id IN (SELECT e.id\n",
        [QUERY_LINKED_SOURCES] = "SELECT a.id, a.title, NULL, a.notes, NULL, NULL, a.url, "
                                 "a.publisher, a.author, a.published, a.accessed "
                                 "FROM sources a WHERE a.id IN (SELECT l.source_id FROM "
                                 "event_sources l WHERE l.event_id IN (SELECT e.id\n",
    };
    strbuf q = STRBUF_INIT;
    build_with(c, &q);
    strbuf_add(&q, head[kind]);
    build_where(c, &q, true);
    strbuf_add(&q, kind == QUERY_LINKED_SOURCES ? "))\nORDER BY a.title, a.id"
                                                : "))\nORDER BY a.name, a.id");
    if (q.oom) {
        free(q.s);
        *err = str_printf("out of memory");
        return -1;
    }
    sqlite3_stmt *st;
    if (db_prepare(c->db, q.s, &st, err) != 0) {
        free(q.s);
        return -1;
    }
    bind_all(c, st);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        report_record r = {
            .id = (const char *)sqlite3_column_text(st, 0),
            .name = (const char *)sqlite3_column_text(st, 1),
            .kind = (const char *)sqlite3_column_text(st, 2),
            .description = (const char *)sqlite3_column_text(st, 3),
            .has_coords = sqlite3_column_type(st, 4) != SQLITE_NULL &&
                          sqlite3_column_type(st, 5) != SQLITE_NULL,
            .lat = sqlite3_column_double(st, 4),
            .lon = sqlite3_column_double(st, 5),
        };
        if (kind == QUERY_LINKED_SOURCES)
            r.source = (report_source){
                .id = r.id, .title = r.name, .notes = r.description,
                .url = (const char *)sqlite3_column_text(st, 6),
                .publisher = (const char *)sqlite3_column_text(st, 7),
                .author = (const char *)sqlite3_column_text(st, 8),
                .published = (const char *)sqlite3_column_text(st, 9),
                .accessed = (const char *)sqlite3_column_text(st, 10),
            };
        if (r.id && r.name)
            fn(ctx, &r);
    }
    if (rc != SQLITE_DONE)
        *err = db_error(c->db, q.s);
    sqlite3_finalize(st);
    free(q.s);
    return rc == SQLITE_DONE ? 0 : -1;
}

int query_prepare_over(query_cursor *c, const char *tail, sqlite3_stmt **st, char **err)
{
    /*
     * Unordered: walking events_chrono for a broad filter (c->walk) only
     * pays when rows must come in order and stop early; here every match
     * is read, so the link filters drive.
     */
    query_cursor driven = *c;
    driven.walk = false;
    strbuf b = STRBUF_INIT;
    build_with(c, &b);
    strbuf_add(&b, b.n ? ",\n  matched AS (SELECT e.id, e.lower, e.upper, e.type, e.rowid AS rid\n"
                       : "WITH matched AS (SELECT e.id, e.lower, e.upper, e.type, e.rowid AS rid\n");
    build_where(&driven, &b, false);
    strbuf_add(&b, ")\n");
    strbuf_add(&b, tail);
    if (b.oom) {
        free(b.s);
        *err = str_printf("out of memory");
        return -1;
    }
    int rc = db_prepare(c->db, b.s, st, err);
    free(b.s);
    if (rc == 0)
        bind_all(c, *st);
    return rc;
}

void query_skip_links(query_cursor *c, bool skip)
{
    c->skip_links = skip;
}

void query_close(query_cursor *c)
{
    if (!c)
        return;
    sqlite3_finalize(c->main);
    sqlite3_finalize(c->extent);
    for (int i = 0; i < L_COUNT; i++)
        sqlite3_finalize(c->links[i]);
    free(c->extent_sql);
    free(c->actor);
    free(c->place);
    free(c->role);
    free(c->type);
    free(c->tag);
    free(c->text);
    free(c->source);
    free(c->event);
    free(c->part_of);
    free(c->ev.actors);
    free(c->ev.places);
    free(c->ev.tags);
    free(c->ev.sources);
    free(c->ev.figures);
    arena_free(&c->strings);
    free(c);
}
