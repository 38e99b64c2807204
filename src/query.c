/* query.c - filters -> one parameterised SQL query in chronological order, read event by event. */
#include "annals/query.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/names.h"
#include "annals/util.h"
#include "annals/vocab.h"

/* ---- The cursor ----------------------------------------------------------- */

enum { L_ACTORS, L_PLACES, L_TAGS, L_SOURCES, L_FIGURES, L_COUNT };

/* The statements that read an event's lists, for one event id (?). */
static const char *const link_sql[L_COUNT] = {
    [L_ACTORS] = "SELECT ea.actor_id, a.name, ea.role, a.kind, a.description "
                 "FROM event_actors ea "
                 "JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id = ? ORDER BY ea.seq",
    [L_PLACES] = "SELECT ep.place_id, p.name, p.lat, p.lon, p.kind, "
                 "p.lat IS NOT NULL AND p.lon IS NOT NULL FROM event_places ep "
                 "JOIN places p ON p.id = ep.place_id WHERE ep.event_id = ? ORDER BY ep.seq",
    [L_TAGS] = "SELECT tag FROM event_tags WHERE event_id = ? ORDER BY seq",
    [L_SOURCES] = "SELECT es.source_id, s.title, s.url, s.publisher, s.author, s.published, "
                  "es.quote, es.locator, s.accessed, s.notes FROM event_sources es "
                  "JOIN sources s ON s.id = es.source_id WHERE es.event_id = ? ORDER BY es.seq",
    [L_FIGURES] = "SELECT name, value, low, high, unit, low IS NOT NULL, high IS NOT NULL "
                  "FROM event_figures WHERE event_id = ? ORDER BY seq",
};

/* What a column of a link statement is read as, into a member of its list's element. */
typedef enum { COL_END, COL_TEXT, COL_REAL, COL_BOOL } col_kind;

typedef struct {
    col_kind kind;
    size_t offset;        /* of the member in the element */
} link_col;

enum { MAX_LINK_COLS = 10 };

/*
 * Where a link statement's rows go: the array and its length in
 * report_event, the element's size, and the member each column fills, in
 * the statement's column order.
 */
typedef struct {
    size_t list, count;
    size_t size;
    link_col cols[MAX_LINK_COLS + 1];     /* ended by COL_END */
} link_spec;

#define LIST(list, count, type) \
    offsetof(report_event, list), offsetof(report_event, count), sizeof(type)
#define COL(kind, type, member) {COL_##kind, offsetof(type, member)}
/* The lists whose columns are all text, in short. */
#define A(member) COL(TEXT, report_actor, member)
#define S(member) COL(TEXT, report_source, member)

static const link_spec link_specs[L_COUNT] = {
    [L_ACTORS] = {LIST(actors, nactors, report_actor),
                  {A(id), A(name), A(role), A(kind), A(description)}},
    [L_PLACES] = {LIST(places, nplaces, report_place),
                  {COL(TEXT, report_place, id), COL(TEXT, report_place, name),
                   COL(REAL, report_place, lat), COL(REAL, report_place, lon),
                   COL(TEXT, report_place, kind), COL(BOOL, report_place, has_coords)}},
    [L_TAGS] = {LIST(tags, ntags, const char *), {{COL_TEXT, 0}}},
    [L_SOURCES] = {LIST(sources, nsources, report_source),
                   {S(id), S(title), S(url), S(publisher), S(author), S(published), S(quote),
                    S(locator), S(accessed), S(notes)}},
    [L_FIGURES] = {LIST(figures, nfigures, report_figure),
                   {COL(TEXT, report_figure, name), COL(REAL, report_figure, value),
                    COL(REAL, report_figure, low), COL(REAL, report_figure, high),
                    COL(TEXT, report_figure, unit), COL(BOOL, report_figure, has_low),
                    COL(BOOL, report_figure, has_high)}},
};

#undef A
#undef S

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
    size_t caps[L_COUNT];        /* the capacity of each list */
};

/* ---- Building the query ------------------------------------------------------ */

/* Parse the date of --from or --to (param ":from" or ":to") into *bound (lower or upper). */
static int parse_bound(const char *param, const char *text, bool upper, int64_t *bound,
                       char **err)
{
    edtf_date d;
    char msg[160];
    if (edtf_parse(text, strlen(text), false, &d, msg, sizeof(msg), NULL) != 0) {
        *err = str_printf("invalid --%s date '%s': %s", param + 1, text, msg);
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

/* ---- The filters ----------------------------------------------------------- */

/* How a filter's text becomes the value bound to its parameter. */
typedef enum {
    BY_NAME,    /* the id of the one record of a kind it names (names_resolve) */
    BY_DATE,    /* an EDTF date's lower bound (:from) or upper bound (:to) */
    BY_WORD,    /* lower-cased, a word some event uses in a vocabulary (vocab_check) */
    AS_GIVEN,   /* an id, as given */
    AS_WORDS    /* words for the full-text index (fts_query) */
} filter_how;

/*
 * One filter: the text at `given` in query_filter becomes the value bound
 * to param, kept at `kept` in query_cursor (a char *; the dates have their
 * own members). kind is a names_kind (BY_NAME), a vocab_kind (BY_WORD), or
 * 1 for the upper bound (BY_DATE).
 */
typedef struct {
    const char *param;
    size_t given, kept;
    filter_how how;
    int kind;
} filter_spec;

#define GIVEN(member) offsetof(query_filter, member)
#define KEPT(member) offsetof(query_cursor, member)

/* In the order they are checked: the first error is the one reported. */
static const filter_spec filter_specs[] = {
    {":actor", GIVEN(actor), KEPT(actor), BY_NAME, NAMES_ACTOR},
    {":place", GIVEN(region), KEPT(place), BY_NAME, NAMES_PLACE},
    {":source", GIVEN(source), KEPT(source), BY_NAME, NAMES_SOURCE},
    {":from", GIVEN(from), 0, BY_DATE, 0},
    {":to", GIVEN(to), 0, BY_DATE, 1},
    {":type", GIVEN(type), KEPT(type), BY_WORD, VOCAB_TYPES},
    {":tag", GIVEN(tag), KEPT(tag), BY_WORD, VOCAB_TAGS},
    {":role", GIVEN(role), KEPT(role), BY_WORD, VOCAB_ROLES},
    {":event", GIVEN(event), KEPT(event), AS_GIVEN, 0},
    {":part_of", GIVEN(part_of), KEPT(part_of), AS_GIVEN, 0},
    {":text", GIVEN(text), KEPT(text), AS_WORDS, 0},
};

enum { NFILTERS = sizeof(filter_specs) / sizeof(filter_specs[0]) };

static const char *given_text(const query_filter *f, const filter_spec *fs)
{
    return *(const char *const *)((const char *)f + fs->given);
}

/* Where the filter's value is kept in c (not for dates). */
static char **kept_text(const query_cursor *c, const filter_spec *fs)
{
    return (char **)((char *)c + fs->kept);
}

/* A names.h or vocab.h result as query_open's. */
static int filter_rc(int rc)
{
    return rc == 0 ? 0 : rc == NAMES_EUSER ? QUERY_EFILTER : QUERY_EDB;
}

static int out_of_memory(char **err)
{
    *err = str_printf("out of memory");
    return QUERY_EDB;
}

/* Keep in c the value of filter fs for text, the user's. Returns 0, QUERY_EFILTER or QUERY_EDB. */
static int set_filter(query_cursor *c, const query_filter *f, const filter_spec *fs,
                      const char *text, char **err)
{
    char **kept = kept_text(c, fs);
    switch (fs->how) {
    case BY_NAME:
        return filter_rc(names_resolve(c->db, (names_kind)fs->kind, text, kept, err));
    case BY_DATE: {
        bool upper = fs->kind == 1;
        int rc = parse_bound(fs->param, text, upper, upper ? &c->to : &c->from, err);
        *(upper ? &c->has_to : &c->has_from) = true;
        if (!rc && upper && c->has_from && c->from > c->to) {
            *err = str_printf("--from %s lies after --to %s", f->from, f->to);
            rc = QUERY_EFILTER;
        }
        return rc;
    }
    case BY_WORD:
        if (!(*kept = text_lower(text, strlen(text))))
            return out_of_memory(err);
        return filter_rc(vocab_check(c->db, (vocab_kind)fs->kind, *kept, text, err));
    case AS_GIVEN:
        return (*kept = strdup(text)) ? 0 : out_of_memory(err);
    case AS_WORDS:
        if (!(*kept = fts_query(text)))
            return out_of_memory(err);
        if (!**kept) {      /* no word: no filter */
            free(*kept);
            *kept = NULL;
        }
        return 0;
    }
    return 0;
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
    for (size_t i = 0; i < NFILTERS; i++) {
        const filter_spec *fs = &filter_specs[i];
        if (fs->how == BY_DATE)
            bind_named_int(st, fs->param, fs->kind == 1 ? c->to : c->from);
        else
            bind_named_text(st, fs->param, *kept_text(c, fs));
    }
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
    for (size_t i = 0; !rc && i < NFILTERS; i++) {
        const char *text = given_text(f, &filter_specs[i]);
        if (text)
            rc = set_filter(c, f, &filter_specs[i], text, err);
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

/* Read column i of st into the member of item that col says. */
static void read_col(query_cursor *c, sqlite3_stmt *st, int i, const link_col *col, char *item)
{
    const char *text;
    double real;
    bool flag;
    switch (col->kind) {
    case COL_END: break;
    case COL_TEXT:
        text = col_text(c, st, i);
        memcpy(item + col->offset, &text, sizeof(text));
        break;
    case COL_REAL:
        real = sqlite3_column_double(st, i);
        memcpy(item + col->offset, &real, sizeof(real));
        break;
    case COL_BOOL:
        flag = sqlite3_column_int(st, i) != 0;
        memcpy(item + col->offset, &flag, sizeof(flag));
        break;
    }
}

/* Fill the current event's lists with the per-event statements. */
static int fill_links(query_cursor *c, char **err)
{
    char *ev = (char *)&c->ev;
    for (int k = 0; k < L_COUNT; k++) {
        const link_spec *ls = &link_specs[k];
        sqlite3_stmt *st = c->links[k];
        size_t *n = (size_t *)(ev + ls->count);
        sqlite3_bind_text(st, 1, c->ev.id, -1, SQLITE_STATIC);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (array_grow(ev + ls->list, &c->caps[k], *n, ls->size, 8) != 0)
                goto oom;
            char *item;         /* the list is a T *: read it as bytes (no type punning) */
            memcpy(&item, ev + ls->list, sizeof(item));
            item += (*n)++ * ls->size;
            for (int i = 0; ls->cols[i].kind != COL_END; i++)
                read_col(c, st, i, &ls->cols[i], item);
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

bool query_dates_only(const query_cursor *c, int64_t *from, int64_t *to)
{
    for (size_t i = 0; i < NFILTERS; i++)
        if (filter_specs[i].how != BY_DATE && *kept_text(c, &filter_specs[i]))
            return false;
    *from = c->has_from ? c->from : INT64_MIN;
    *to = c->has_to ? c->to : INT64_MAX;
    return true;
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
    for (size_t i = 0; i < NFILTERS; i++)
        if (filter_specs[i].how != BY_DATE)
            free(*kept_text(c, &filter_specs[i]));
    free(c->ev.actors);
    free(c->ev.places);
    free(c->ev.tags);
    free(c->ev.sources);
    free(c->ev.figures);
    arena_free(&c->strings);
    free(c);
}
