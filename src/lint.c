/* lint.c - `check --lint`: loose ends in a loaded dataset, as warnings with a position and a hint. */
#include "annals/lint.h"

#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/util.h"
#include "annals/vocab.h"

/*
 * Most rules are one query each over the loaded tables: every row is one
 * warning, and the query gives its position and the words of its message
 * (path, line, col, then the rule's own columns, which its writer turns
 * into a message and a hint). Identifiers in the SQL come from the tables
 * below, never from the data; values are bound.
 */

typedef struct {
    const char *noun;         /* "event" */
    const char *table;        /* "events" */
} record_kind;

static const record_kind kinds[] = {
    {"event", "events"}, {"actor", "actors"}, {"place", "places"}, {"source", "sources"}};

/* Run sql; for every row call emit(row) after path, line and col. */
static int each_row(sqlite3 *db, const char *sql, const char *bind, diag_list *dl,
                    void (*emit)(sqlite3_stmt *st, diag_list *dl, const char *path, int line,
                                 int col, const void *ctx),
                    const void *ctx, char **err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, sql, &st, err) != 0)
        return -1;
    if (bind)
        sqlite3_bind_text(st, 1, bind, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        emit(st, dl, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int(st, 1),
             sqlite3_column_int(st, 2), ctx);
    if (rc != SQLITE_DONE)
        *err = db_error(db, sql);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static const char *text_col(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "";
}

/* ---- Records nothing refers to ----------------------------------------------- */

typedef struct {
    const char *noun, *table;
    const char *refs;         /* SQL: 1 when something refers to r.id */
    const char *hint;
} unused_rule;

static const unused_rule unused_rules[] = {
    {"actor", "actors",
     "EXISTS (SELECT 1 FROM event_actors WHERE actor_id = r.id) OR "
     "EXISTS (SELECT 1 FROM actor_parents WHERE parent_id = r.id)",
     "name it in an event's actors, or remove it"},
    {"place", "places",
     "EXISTS (SELECT 1 FROM event_places WHERE place_id = r.id) OR "
     "EXISTS (SELECT 1 FROM place_parents WHERE parent_id = r.id)",
     "name it in an event's places, or remove it"},
    {"source", "sources", "EXISTS (SELECT 1 FROM event_sources WHERE source_id = r.id)",
     "cite it in an event's sources, or remove it"},
};

static void emit_unused(sqlite3_stmt *st, diag_list *dl, const char *path, int line, int col,
                        const void *ctx)
{
    const unused_rule *r = ctx;
    diag_add(dl, DIAG_WARNING, path, line, col, 0, r->hint,
             "%s '%s' is not referred to by any event or other record", r->noun,
             text_col(st, 3));
}

static int lint_unused(sqlite3 *db, diag_list *dl, char **err)
{
    for (size_t i = 0; i < sizeof unused_rules / sizeof unused_rules[0]; i++) {
        const unused_rule *r = &unused_rules[i];
        char *sql = str_printf("SELECT f.path, r.line, r.col, r.id FROM %s r JOIN files f "
                               "ON f.id = r.file_id WHERE NOT (%s)", r->table, r->refs);
        if (!sql) {
            *err = str_printf("out of memory");
            return -1;
        }
        int rc = each_row(db, sql, NULL, dl, emit_unused, r, err);
        free(sql);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* ---- What `annals new` left to fill in ---------------------------------------- */

typedef struct {
    int kind;                 /* index in kinds[] */
    const char *column;
} text_field;

/* The texts a placeholder can be left in. */
static const text_field placeholder_fields[] = {
    {0, "title"}, {0, "summary"}, {0, "notes"}, {1, "name"}, {1, "description"},
    {2, "name"}, {3, "title"}, {3, "publisher"}, {3, "author"}, {3, "notes"}};

static void emit_placeholder(sqlite3_stmt *st, diag_list *dl, const char *path, int line,
                             int col, const void *ctx)
{
    const text_field *f = ctx;
    diag_add(dl, DIAG_WARNING, path, line, col, 0,
             "write what 'annals new' left to fill in, or remove the record",
             "%s '%s' still has the placeholder 'TODO' in its %s", kinds[f->kind].noun,
             text_col(st, 3), f->column);
}

static void emit_new_id(sqlite3_stmt *st, diag_list *dl, const char *path, int line, int col,
                        const void *ctx)
{
    const record_kind *k = ctx;
    diag_add(dl, DIAG_WARNING, path, line, col, 0, "give it an id of its own",
             "%s '%s' still has the id 'annals new' gives every new %s", k->noun,
             text_col(st, 3), k->noun);
}

static int lint_placeholders(sqlite3 *db, diag_list *dl, char **err)
{
    for (size_t i = 0; i < sizeof placeholder_fields / sizeof placeholder_fields[0]; i++) {
        const text_field *f = &placeholder_fields[i];
        char *sql = str_printf("SELECT f.path, r.line, r.col, r.id FROM %s r JOIN files f "
                               "ON f.id = r.file_id WHERE instr(r.%s, 'TODO') > 0",
                               kinds[f->kind].table, f->column);
        int rc = sql ? each_row(db, sql, NULL, dl, emit_placeholder, f, err) : -1;
        free(sql);
        if (rc != 0)
            goto fail;
    }
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char *sql = str_printf("SELECT f.path, r.line, r.col, r.id FROM %s r JOIN files f "
                               "ON f.id = r.file_id WHERE r.id = 'new-' || ?", kinds[i].table);
        int rc = sql ? each_row(db, sql, kinds[i].noun, dl, emit_new_id, &kinds[i], err) : -1;
        free(sql);
        if (rc != 0)
            goto fail;
    }
    return 0;
fail:
    if (!*err)
        *err = str_printf("out of memory");
    return -1;
}

/* ---- Titles and names longer than a line ---------------------------------------- */

static const text_field line_fields[] = {{0, "title"}, {1, "name"}, {2, "name"}, {3, "title"}};

static void emit_long(sqlite3_stmt *st, diag_list *dl, const char *path, int line, int col,
                      const void *ctx)
{
    const text_field *f = ctx;
    diag_add(dl, DIAG_WARNING, path, line, col, 0,
             f->kind == 0 ? "keep the title to one line and put the rest in the summary"
                          : "shorten it; the rest belongs in the notes or description",
             "%s '%s' has a %s of %d characters (more than %d)", kinds[f->kind].noun,
             text_col(st, 3), f->column, sqlite3_column_int(st, 4), LINT_LINE_MAX);
}

static int lint_long(sqlite3 *db, diag_list *dl, char **err)
{
    for (size_t i = 0; i < sizeof line_fields / sizeof line_fields[0]; i++) {
        const text_field *f = &line_fields[i];
        char *sql = str_printf("SELECT f.path, r.line, r.col, r.id, length(r.%s) FROM %s r "
                               "JOIN files f ON f.id = r.file_id WHERE length(r.%s) > %d",
                               f->column, kinds[f->kind].table, f->column, LINT_LINE_MAX);
        int rc = sql ? each_row(db, sql, NULL, dl, emit_long, f, err) : -1;
        free(sql);
        if (rc != 0) {
            if (!*err)
                *err = str_printf("out of memory");
            return -1;
        }
    }
    return 0;
}

/* ---- Events a map cannot place ----------------------------------------------------- */

static void emit_unmapped(sqlite3_stmt *st, diag_list *dl, const char *path, int line, int col,
                          const void *ctx)
{
    (void)ctx;
    const char *places = text_col(st, 4);
    char *hint = str_printf("add coords: [lat, lon] to %s %s", strchr(places, ',') ? "a place of"
                            : "place", places);
    diag_add(dl, DIAG_WARNING, path, line, col, 0, hint,
             "event '%s' has no place with coords: report --format geojson leaves it out",
             text_col(st, 3));
    free(hint);
}

static int lint_unmapped(sqlite3 *db, diag_list *dl, char **err)
{
    static const char sql[] =
        "SELECT f.path, e.line, e.col, e.id, group_concat('''' || p.id || '''', ', ') "
        "FROM events e JOIN files f ON f.id = e.file_id "
        "JOIN event_places ep ON ep.event_id = e.id JOIN places p ON p.id = ep.place_id "
        "GROUP BY e.id HAVING count(p.lat) = 0";
    return each_row(db, sql, NULL, dl, emit_unmapped, NULL, err);
}

/* ---- Near-duplicate vocabulary -------------------------------------------------------- */

/* Where a value is first used: the event (or, for a role, the actor entry) in file order. */
static const char *const first_use[] = {
    [VOCAB_TYPES] = "SELECT f.path, e.line, e.col FROM events e JOIN files f ON f.id = e.file_id "
                    "WHERE e.type = ? ORDER BY f.path, e.line, e.col LIMIT 1",
    [VOCAB_TAGS] = "SELECT f.path, e.line, e.col FROM event_tags t JOIN events e ON e.id = "
                   "t.event_id JOIN files f ON f.id = e.file_id WHERE t.tag = ? "
                   "ORDER BY f.path, e.line, e.col LIMIT 1",
    [VOCAB_ROLES] = "SELECT f.path, a.line, a.col FROM event_actors a JOIN events e ON e.id = "
                    "a.event_id JOIN files f ON f.id = e.file_id WHERE a.role = ? "
                    "ORDER BY f.path, a.line, a.col LIMIT 1",
};

typedef struct {
    vocab_kind kind;
    const vocab_value *rare, *common;
} near_pair;

static void emit_near(sqlite3_stmt *st, diag_list *dl, const char *path, int line, int col,
                      const void *ctx)
{
    (void)st;
    const near_pair *p = ctx;
    const char *noun = vocab_noun(p->kind);
    char *hint = str_printf("if they mean the same, write '%s' everywhere (annals %s lists "
                            "every %s in use)", p->common->value, vocab_plural(p->kind), noun);
    diag_add(dl, DIAG_WARNING, path, line, col, 0, hint,
             "%s '%s' (%lld event%s) looks like %s '%s' (%lld event%s)", noun, p->rare->value,
             p->rare->events, p->rare->events == 1 ? "" : "s", noun, p->common->value,
             p->common->events, p->common->events == 1 ? "" : "s");
    free(hint);
}

static int lint_near(sqlite3 *db, diag_list *dl, char **err)
{
    for (int k = VOCAB_TYPES; k <= VOCAB_ROLES; k++) {
        vocab_value *v;
        size_t n;
        if (vocab_values(db, (vocab_kind)k, &v, &n, err) != 0)
            return -1;
        int rc = 0;
        for (size_t i = 0; i < n && rc == 0; i++)
            for (size_t j = i + 1; j < n && rc == 0; j++) {
                if (!vocab_near(v[i].value, v[j].value))
                    continue;
                /* The warning stands where the less used value is first used. */
                bool i_rare = v[i].events < v[j].events;
                near_pair p = {(vocab_kind)k, i_rare ? &v[i] : &v[j], i_rare ? &v[j] : &v[i]};
                rc = each_row(db, first_use[k], p.rare->value, dl, emit_near, &p, err);
            }
        vocab_values_free(v, n);
        if (rc != 0)
            return -1;
    }
    return 0;
}

int lint_run(sqlite3 *db, diag_list *dl, char **err)
{
    static int (*const rules[])(sqlite3 *, diag_list *, char **) = {
        lint_near, lint_unused, lint_placeholders, lint_long, lint_unmapped};
    *err = NULL;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (rules[i](db, dl, err) != 0)
            return -1;
    return 0;
}
