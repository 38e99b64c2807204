/* listing.c - listings of actors, places and sources with their event counts (text, JSON, CSV), and one record read whole. */
#include "annals/listing.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/render.h"
#include "annals/util.h"

const char *const listing_format_names[] = {
    [LISTING_TEXT] = "text", [LISTING_JSON] = "json", [LISTING_CSV] = "csv", NULL};

int listing_format_find(const char *name, listing_format *fmt)
{
    for (int i = 0; listing_format_names[i]; i++)
        if (strcmp(name, listing_format_names[i]) == 0) {
            *fmt = (listing_format)i;
            return 0;
        }
    return -1;
}

/* ---- The statements of one kind ------------------------------------------- */

/*
 * main: the records in id order. Columns: actors (id, name, kind, events,
 * description), places (id, name, kind, events, lat, lon), sources (id,
 * title, published, events, publisher, author, accessed, url, notes); then
 * for every kind the file's path and the line. The first four are what the
 * text listing aligns.
 */
typedef struct {
    const char *noun, *plural;
    const char *main;
    const char *one;          /* main's columns for one id (listing_get) */
    const char *aliases;      /* ? = id; NULL for sources */
    const char *parents;      /* ? = id */
    const char *children;     /* (id, name) whose parent is ? */
    const char *all;          /* count of events through the hierarchy */
    const char *parents_key;  /* "part_of" / "within" */
    const char *parents_word; /* "part of" / "within" */
    const char *children_word;
} kind_spec;

#define ACTOR_COLS "SELECT a.id, a.name, a.kind, (SELECT count(DISTINCT event_id) FROM " \
                   "event_actors WHERE actor_id = a.id), a.description, f.path, a.line "    \
                   "FROM actors a JOIN files f ON f.id = a.file_id"
#define PLACE_COLS "SELECT p.id, p.name, p.kind, (SELECT count(DISTINCT event_id) FROM " \
                   "event_places WHERE place_id = p.id), p.lat, p.lon, f.path, p.line "      \
                   "FROM places p JOIN files f ON f.id = p.file_id"
#define SOURCE_COLS "SELECT s.id, s.title, s.published, (SELECT count(DISTINCT event_id) " \
                    "FROM event_sources WHERE source_id = s.id), s.publisher, s.author, "    \
                    "s.accessed, s.url, s.notes, f.path, s.line "                           \
                    "FROM sources s JOIN files f ON f.id = s.file_id"

/*
 * aliases, parents, children and all for a kind with names and a hierarchy:
 * K its key ("actor": actor_names, actor_parents, actor_id), T its table
 * ("actors", also event_actors), A T's alias in the children's query.
 */
#define HIERARCHY_SQL(K, T, A)                                                                   \
    "SELECT name FROM " K "_names WHERE " K "_id = ? AND is_alias = 1 ORDER BY line, col",      \
    "SELECT parent_id FROM " K "_parents WHERE " K "_id = ? ORDER BY line, col",               \
    "SELECT p." K "_id, " A ".name FROM " K "_parents p JOIN " T " " A " ON " A ".id = p." K   \
    "_id WHERE p.parent_id = ? ORDER BY p." K "_id",                                            \
    "WITH RECURSIVE d(id) AS (SELECT ? UNION SELECT p." K "_id FROM " K "_parents p "          \
    "JOIN d ON p.parent_id = d.id) SELECT count(DISTINCT event_id) FROM event_" T " "          \
    "WHERE " K "_id IN (SELECT id FROM d)"

static const kind_spec specs[] = {
    [LISTING_ACTORS] = {"actor", "actors", ACTOR_COLS " ORDER BY a.id",
                        ACTOR_COLS " WHERE a.id = ?", HIERARCHY_SQL("actor", "actors", "a"),
                        "part_of", "part of", "members"},
    [LISTING_PLACES] = {"place", "places", PLACE_COLS " ORDER BY p.id",
                        PLACE_COLS " WHERE p.id = ?", HIERARCHY_SQL("place", "places", "pl"),
                        "within", "within", "contains"},
    [LISTING_SOURCES] = {"source", "sources", SOURCE_COLS " ORDER BY s.id",
                         SOURCE_COLS " WHERE s.id = ?", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

enum { S_MAIN, S_ALIASES, S_PARENTS, S_CHILDREN, S_ALL, S_COUNT };

typedef struct listing_stmts {
    sqlite3 *db;
    const kind_spec *spec;
    sqlite3_stmt *st[S_COUNT];
} stmts;

static void stmts_free(stmts *s)
{
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(s->st[i]);
}

static int stmts_prepare(stmts *s, sqlite3 *db, listing_kind kind, bool one, char **err)
{
    memset(s, 0, sizeof(*s));
    s->db = db;
    s->spec = &specs[kind];
    const char *sql[S_COUNT] = {one ? s->spec->one : s->spec->main, s->spec->aliases,
                                s->spec->parents, s->spec->children, s->spec->all};
    for (int i = 0; i < S_COUNT; i++)
        if (sql[i] && db_prepare(db, sql[i], &s->st[i], err) != 0) {
            stmts_free(s);
            return -1;
        }
    return 0;
}

/* ---- Lists of strings fetched per record ------------------------------------ */

static void list_free(listing_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i]);
        if (l->names)
            free(l->names[i]);
    }
    free(l->v);
    free(l->names);
    memset(l, 0, sizeof(*l));
}

/* Run st with ? = id and keep column 0 (and 1 when two) of every row. */
static int fetch(sqlite3 *db, sqlite3_stmt *st, const char *id, bool two, listing_list *l,
                 char **err)
{
    memset(l, 0, sizeof(*l));
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    int rc;
    size_t cap = 0, cap_names = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (array_grow(&l->v, &cap, l->n, sizeof(*l->v), 8) != 0 ||
            (two && array_grow(&l->names, &cap_names, l->n, sizeof(*l->names), 8) != 0))
            goto oom;
        const char *a = (const char *)sqlite3_column_text(st, 0);
        const char *b = two ? (const char *)sqlite3_column_text(st, 1) : NULL;
        l->v[l->n] = strdup(a ? a : "");
        if (two)
            l->names[l->n] = strdup(b ? b : "");
        l->n++;
        if (!l->v[l->n - 1] || (two && !l->names[l->n - 1]))
            goto oom;
    }
    if (rc != SQLITE_DONE) {
        *err = db_error(db, sqlite3_sql(st));
        sqlite3_reset(st);
        list_free(l);
        return -1;
    }
    sqlite3_reset(st);
    return 0;
oom:
    sqlite3_reset(st);
    list_free(l);
    *err = str_printf("out of memory");
    return -1;
}

/* The count of events through the hierarchy of record id. */
static int count_all(stmts *s, const char *id, long long *n, char **err)
{
    sqlite3_stmt *st = s->st[S_ALL];
    *n = 0;
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) {
        *err = db_error(s->db, sqlite3_sql(st));
        return -1;
    }
    return 0;
}

static const char *col(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/*
 * The aliases, the parents, the children (when children is not NULL) and
 * the count of events through the hierarchy of record id. On failure
 * returns -1 with *err, and the lists hold nothing.
 */
static int fetch_links(stmts *s, const char *id, listing_list *aliases, listing_list *parents,
                       listing_list *children, long long *all, char **err)
{
    memset(aliases, 0, sizeof(*aliases));
    memset(parents, 0, sizeof(*parents));
    if (children)
        memset(children, 0, sizeof(*children));
    if (fetch(s->db, s->st[S_ALIASES], id, false, aliases, err) == 0 &&
        fetch(s->db, s->st[S_PARENTS], id, false, parents, err) == 0 &&
        (!children || fetch(s->db, s->st[S_CHILDREN], id, true, children, err) == 0) &&
        count_all(s, id, all, err) == 0)
        return 0;
    list_free(aliases);
    list_free(parents);
    if (children)
        list_free(children);
    return -1;
}

static void json_list(FILE *out, const listing_list *l)
{
    putc('[', out);
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            putc(',', out);
        render_json_string(out, l->v[i]);
    }
    putc(']', out);
}

/* A list as one CSV field, joined by ';'. */
static int csv_list(FILE *out, const listing_list *l, char **err)
{
    strbuf s = STRBUF_INIT;
    for (size_t i = 0; i < l->n; i++) {
        strbuf_add(&s, i ? ";" : "");
        strbuf_add(&s, l->v[i]);
    }
    bool oom = s.oom;
    if (!oom) {
        putc(',', out);
        render_csv_field(out, strbuf_str(&s));
    }
    strbuf_free(&s);
    if (oom)
        *err = str_printf("out of memory");
    return oom ? -1 : 0;
}

void listing_list_text(FILE *out, const listing_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            fputs(", ", out);
        render_plain(out, l->v[i]);
    }
}

/* ---- Listings ---------------------------------------------------------------- */

#define NAME_MAX_WIDTH 40

typedef struct {
    size_t id, name, kind, count;
} widths;

/*
 * The third column of the text listing: the kind, or for a source the
 * date it was published, in words ("c. 27 BCE"), as a person reads it.
 */
static const char *third_column(const stmts *s, sqlite3_stmt *st, char *buf, size_t size)
{
    if (s->spec != &specs[LISTING_SOURCES] || !col(st, 2))
        return col(st, 2);
    render_date_words(col(st, 2), buf, size);
    return buf;
}

/* First pass of the text listing: the widths of the aligned columns. */
static int measure(stmts *s, widths *w, char **err)
{
    sqlite3_stmt *st = s->st[S_MAIN];
    int rc;
    memset(w, 0, sizeof(*w));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char words[128];
        const char *third = third_column(s, st, words, sizeof(words));
        size_t a = render_width(col(st, 0)), b = render_width(col(st, 1)),
               c = third ? render_width(third) : 1;
        char num[32];
        size_t d = (size_t)snprintf(num, sizeof(num), "%lld", sqlite3_column_int64(st, 3));
        w->id = a > w->id ? a : w->id;
        w->name = b > w->name ? b : w->name;
        w->kind = c > w->kind ? c : w->kind;
        w->count = d > w->count ? d : w->count;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        *err = db_error(s->db, sqlite3_sql(st));
        return -1;
    }
    if (w->name > NAME_MAX_WIDTH)
        w->name = NAME_MAX_WIDTH;
    return 0;
}

static void text_cell(FILE *out, const char *s, size_t width, const char *color)
{
    const char *v = s ? s : "-";
    if (color)
        fputs(color, out);
    render_plain(out, v);
    if (color)
        fputs(SGR_RESET, out);
    size_t w = render_width(v);
    render_pad(out, (w < width ? width - w : 0) + 2);
}

/* ---- JSON members and CSV fields, written alike -------------------------------- */

/* A text: JSON `,"key":"v"` (null when NULL), CSV `,v`. */
static void put_text(FILE *out, listing_format fmt, const char *key, const char *v)
{
    if (fmt == LISTING_JSON) {
        fprintf(out, ",\"%s\":", key);
        render_json_string(out, v);
    } else {
        putc(',', out);
        render_csv_field(out, v);
    }
}

/* A list: a JSON array, or one CSV field joined by ';'. Returns 0, or -1 with *err. */
static int put_list(FILE *out, listing_format fmt, const char *key, const listing_list *l,
                    char **err)
{
    if (fmt == LISTING_CSV)
        return csv_list(out, l, err);
    fprintf(out, ",\"%s\":", key);
    json_list(out, l);
    return 0;
}

/* A number in column i of st: JSON null or CSV empty when it is NULL. */
static void put_number(FILE *out, listing_format fmt, const char *key, sqlite3_stmt *st, int i)
{
    bool null = sqlite3_column_type(st, i) == SQLITE_NULL;
    if (fmt == LISTING_JSON) {
        fprintf(out, ",\"%s\":", key);
        if (null)
            fputs("null", out);
        else
            render_json_number(out, sqlite3_column_double(st, i));
    } else {
        char num[40] = "";
        if (!null)
            render_number(sqlite3_column_double(st, i), num, sizeof(num));
        putc(',', out);
        fputs(num, out);
    }
}

/* A source's fields after its id, in this order; its column in the statement. */
static const struct {
    const char *key;
    int col;
} source_fields[] = {
    {"title", 1}, {"publisher", 4}, {"author", 5}, {"published", 2}, {"accessed", 6}, {"url", 7},
    {"notes", 8},
};

/*
 * The JSON object or CSV row of the record at st, whose id is id: its
 * fields, lists and event counts. Returns 0, or -1 with *err.
 */
static int write_fields(const stmts *s, sqlite3_stmt *st, listing_format fmt, FILE *out,
                        const listing_list *aliases, const listing_list *parents,
                        long long events, long long all, char **err)
{
    if (s->spec == &specs[LISTING_SOURCES]) {
        for (size_t i = 0; i < sizeof(source_fields) / sizeof(source_fields[0]); i++)
            put_text(out, fmt, source_fields[i].key, col(st, source_fields[i].col));
        fprintf(out, fmt == LISTING_JSON ? ",\"events\":%lld}" : ",%lld\r\n", events);
        return 0;
    }
    put_text(out, fmt, "name", col(st, 1));
    put_text(out, fmt, "kind", col(st, 2));
    if (put_list(out, fmt, "aliases", aliases, err) != 0 ||
        put_list(out, fmt, s->spec->parents_key, parents, err) != 0)
        return -1;
    if (s->spec == &specs[LISTING_ACTORS])
        put_text(out, fmt, "description", col(st, 4));
    if (s->spec == &specs[LISTING_PLACES]) {
        put_number(out, fmt, "lat", st, 4);
        put_number(out, fmt, "lon", st, 5);
    }
    fprintf(out, fmt == LISTING_JSON ? ",\"events\":%lld,\"events_all\":%lld}" : ",%lld,%lld\r\n",
            events, all);
    return 0;
}

static int write_row(stmts *s, listing_kind kind, listing_format fmt, FILE *out, bool color,
                     const widths *w, bool first, char **err)
{
    sqlite3_stmt *st = s->st[S_MAIN];
    const char *id = col(st, 0);
    long long events = sqlite3_column_int64(st, 3), all = 0;
    listing_list aliases, parents;
    if (fetch_links(s, id, &aliases, &parents, NULL, &all, err) != 0)
        return -1;
    int rc = 0;
    switch (fmt) {
    case LISTING_TEXT: {
        text_cell(out, id, w->id, color ? SGR_BOLD : NULL);
        text_cell(out, col(st, 1), w->name, NULL);
        char words[128];
        text_cell(out, third_column(s, st, words, sizeof(words)), w->kind, NULL);
        fprintf(out, "%*lld", (int)w->count, events);
        bool sep = false;
        if (kind == LISTING_SOURCES && col(st, 7)) {
            fputs("  ", out);
            render_plain(out, col(st, 7));
        }
        if (parents.n) {
            fprintf(out, "  %s%s ", color ? SGR_DIM : "", s->spec->parents_word);
            listing_list_text(out, &parents);
            fputs(color ? SGR_RESET : "", out);
            sep = true;
        }
        if (aliases.n) {
            fprintf(out, "%s%saka ", sep ? "; " : "  ", color ? SGR_DIM : "");
            listing_list_text(out, &aliases);
            fputs(color ? SGR_RESET : "", out);
        }
        putc('\n', out);
        break;
    }
    case LISTING_JSON:
        fputs(first ? "\n  {\"id\":" : ",\n  {\"id\":", out);
        render_json_string(out, id);
        rc = write_fields(s, st, fmt, out, &aliases, &parents, events, all, err);
        break;
    case LISTING_CSV:
        render_csv_field(out, id);
        rc = write_fields(s, st, fmt, out, &aliases, &parents, events, all, err);
        break;
    }
    list_free(&aliases);
    list_free(&parents);
    return rc;
}

int listing_write(sqlite3 *db, listing_kind kind, listing_format fmt, FILE *out, bool color,
                  char **err)
{
    stmts s;
    if (stmts_prepare(&s, db, kind, false, err) != 0)
        return -1;
    widths w = {0};
    if (fmt == LISTING_TEXT && measure(&s, &w, err) != 0) {
        stmts_free(&s);
        return -1;
    }
    if (fmt == LISTING_JSON)
        fprintf(out, "{\"%s\": [", s.spec->plural);
    if (fmt == LISTING_CSV)
        fputs(kind == LISTING_ACTORS
                  ? "id,name,kind,aliases,part_of,description,events,events_all\r\n"
              : kind == LISTING_PLACES
                  ? "id,name,kind,aliases,within,lat,lon,events,events_all\r\n"
                  : "id,title,publisher,author,published,accessed,url,notes,events\r\n",
              out);
    int rc, n = 0;
    sqlite3_stmt *st = s.st[S_MAIN];
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (write_row(&s, kind, fmt, out, color, &w, n == 0, err) != 0) {
            stmts_free(&s);
            return -1;
        }
        n++;
    }
    if (rc != SQLITE_DONE) {
        *err = db_error(db, sqlite3_sql(st));
        stmts_free(&s);
        return -1;
    }
    if (fmt == LISTING_JSON)
        fputs(n ? "\n]}\n" : "]}\n", out);
    stmts_free(&s);
    return 0;
}

/* ---- One record --------------------------------------------------------------- */

int listing_get(sqlite3 *db, listing_kind kind, const char *id, listing_record *rec, char **err)
{
    memset(rec, 0, sizeof(*rec));
    stmts *s = malloc(sizeof(*s));
    if (!s) {
        *err = str_printf("out of memory");
        return -1;
    }
    if (stmts_prepare(s, db, kind, true, err) != 0) {
        free(s);
        return -1;
    }
    sqlite3_stmt *st = s->st[S_MAIN];
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        if (rc != SQLITE_DONE)
            *err = db_error(db, sqlite3_sql(st));
        stmts_free(s);
        free(s);
        return rc == SQLITE_DONE ? 0 : -1;
    }
    rec->st = s;
    if (fetch_links(s, id, &rec->aliases, &rec->parents, &rec->children, &rec->events_all,
                    err) != 0) {
        listing_record_free(rec);
        return -1;
    }
    rec->kind = kind;
    rec->noun = s->spec->noun;
    rec->parents_word = s->spec->parents_word;
    rec->children_word = s->spec->children_word;
    rec->id = col(st, 0);
    rec->name = col(st, 1);
    rec->events = sqlite3_column_int64(st, 3);
    if (kind == LISTING_SOURCES) {
        rec->published = col(st, 2);
        rec->publisher = col(st, 4);
        rec->author = col(st, 5);
        rec->accessed = col(st, 6);
        rec->url = col(st, 7);
        rec->notes = col(st, 8);
    } else {
        rec->kind_name = col(st, 2);
    }
    if (kind == LISTING_ACTORS)
        rec->description = col(st, 4);
    if (kind == LISTING_PLACES && sqlite3_column_type(st, 4) != SQLITE_NULL) {
        rec->has_coords = true;
        rec->lat = sqlite3_column_double(st, 4);
        rec->lon = sqlite3_column_double(st, 5);
    }
    int path = sqlite3_column_count(st) - 2;     /* every kind's last two: path, line */
    rec->path = col(st, path);
    rec->line = sqlite3_column_int(st, path + 1);
    return 1;
}

void listing_record_free(listing_record *rec)
{
    list_free(&rec->aliases);
    list_free(&rec->parents);
    list_free(&rec->children);
    if (rec->st) {
        stmts_free(rec->st);
        free(rec->st);
    }
    memset(rec, 0, sizeof(*rec));
}
