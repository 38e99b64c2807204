/* crossref.c - dataset-wide rules checked in SQL once every file is stored: references, aliases, cycles. */
#include <stdlib.h>
#include <string.h>

#include "annals/crossref.h"
#include "annals/db.h"
#include "annals/names.h"
#include "annals/util.h"

/* What the rules work with: the database, where to look, where problems go. */
typedef struct {
    sqlite3 *db;
    reload_plan plan;
    diag_list *dl;
    char **err;              /* the first database failure */
} checking;

/* Suggestions are computed for this many unresolved references of a kind; the rest get none. */
#define MAX_SUGGESTED 100

/*
 * One kind of reference: rows of `link` whose `ref` column must name a row
 * of `target`. `owner_sql` gives, for the link's owner, the file path.
 */
typedef struct {
    names_kind kind;         /* of the records referenced */
    const char *select;      /* ref, path, line, col of the unresolved references
                                a reload must report */
    const char *select_all;  /* the same after a full load */
    const char *skipped;     /* the same among the references of duplicate records */
    const char *define_hint;
} ref_rule;

/*
 * Unresolved references from the owners in files read by this load
 * (file_id >= ?1; all files on a full load), and from anywhere to ids that
 * a reload removed (temp.gone).
 */
#define UNRESOLVED(link, ref, owner, owner_table, target, kind)                      \
    "SELECT l." ref ", f.path, l.line, l.col FROM " owner_table " o JOIN " link       \
    " l ON l." owner " = o.id JOIN files f ON f.id = o.file_id WHERE o.file_id >= ?1" \
    " AND NOT EXISTS (SELECT 1 FROM " target " t WHERE t.id = l." ref ") UNION "      \
    "SELECT l." ref ", f.path, l.line, l.col FROM " link " l JOIN " owner_table " o"  \
    " ON o.id = l." owner " JOIN files f ON f.id = o.file_id WHERE l." ref " IN "     \
    "(SELECT id FROM temp.gone WHERE kind = '" kind "') AND NOT EXISTS (SELECT 1 FROM " \
    target " t WHERE t.id = l." ref ") ORDER BY 2, 3, 4"

/*
 * After a full load every owner is new: find the distinct ids the links
 * name that have no target (a skip through the link's index on a load), and
 * only then look up the links, owners and files of those few. On 100k events
 * this takes milliseconds where going through every owner, as a reload must,
 * takes a quarter of a second per kind of link.
 */
#define UNRESOLVED_ALL(link, ref, owner, owner_table, target)                        \
    "SELECT l." ref ", f.path, l.line, l.col FROM " link " l CROSS JOIN "            \
    owner_table " o ON o.id = l." owner " JOIN files f ON f.id = o.file_id WHERE l." \
    ref " IN (SELECT d.id FROM (SELECT DISTINCT " ref " AS id FROM " link ") d "     \
    "WHERE NOT EXISTS (SELECT 1 FROM " target " t WHERE t.id = d.id)) ORDER BY 2, 3, 4"

/* A duplicate record is not stored, but its references are checked (store.c). */
#define UNRESOLVED_SKIPPED(link, target)                                             \
    "SELECT s.ref, f.path, s.line, s.col FROM temp.skipped_refs s JOIN files f ON "  \
    "f.id = s.file_id WHERE s.link = '" link "' AND NOT EXISTS (SELECT 1 FROM "      \
    target " t WHERE t.id = s.ref) ORDER BY 2, 3, 4"

#define REF_RULE(link, ref, owner, owner_table, target, kind)                        \
    UNRESOLVED(link, ref, owner, owner_table, target, kind),                         \
    UNRESOLVED_ALL(link, ref, owner, owner_table, target),                           \
    UNRESOLVED_SKIPPED(link, target)

static const ref_rule ref_rules[] = {
    {NAMES_ACTOR, REF_RULE("event_actors", "actor_id", "event_id", "events", "actors", "actor"),
     "define it in an actors: list, or correct the id"},
    {NAMES_PLACE, REF_RULE("event_places", "place_id", "event_id", "events", "places", "place"),
     "define it in a places: list, or correct the id"},
    {NAMES_SOURCE, REF_RULE("event_sources", "source_id", "event_id", "events", "sources",
                            "source"),
     "define it in a sources: list, or correct the id"},
    {NAMES_EVENT, REF_RULE("event_parents", "parent_id", "event_id", "events", "events", "event"),
     "part_of names another event's id"},
    {NAMES_ACTOR, REF_RULE("actor_parents", "parent_id", "actor_id", "actors", "actors", "actor"),
     "part_of names another actor's id"},
    {NAMES_PLACE, REF_RULE("place_parents", "parent_id", "place_id", "places", "places", "place"),
     "within names another place's id"},
};

/*
 * What to say of an unknown reference (names.h): the record that will have
 * this id once its invalid id is corrected, the record the text is a name
 * of, or the closest id. NULL when nothing helps; a database failure is
 * kept in *C->err. *hint is set when the advice changes what to do, *fix
 * to the id to write instead (new strings, the caller frees).
 */
static char *advice(checking *C, const ref_rule *r, const char *ref, char **hint, char **fix)
{
    names_advice a;
    char *err = NULL, *out = NULL;
    if (names_advise(C->db, NAMES_BIT(r->kind), ref, 1, &a, &err) != 0) {
        if (!*C->err)
            *C->err = err;
        else
            free(err);
    } else if ((out = names_advice_text(&a, ref)) != NULL && a.what == NAMES_NAME) {
        char *longer = str_printf("%s: write its id", out);
        free(out);
        out = longer;
    } else if (out && a.what == NAMES_PENDING) {
        *hint = str_printf("correct the id at %s:%d, not this reference", a.file,
                           a.line);
    }
    if (out && names_advice_fix(&a))
        *fix = strdup(names_advice_fix(&a));
    names_advice_free(&a);
    return out;
}

/* True when a part lost to a syntax error may have defined ref (temp.unreadable). */
static bool maybe_defined(sqlite3_stmt *lost, const char *noun, const char *ref)
{
    sqlite3_bind_text(lost, 1, ref, -1, SQLITE_STATIC);
    sqlite3_bind_text(lost, 2, noun, -1, SQLITE_STATIC);
    bool found = sqlite3_step(lost) == SQLITE_ROW;
    sqlite3_reset(lost);
    return found;
}

/*
 * Report the unknown references that sql finds (ref, path, line, col), for
 * rule r; not those to an id that a part lost to a syntax error may have
 * defined: the syntax error is the problem to fix.
 */
static int report_unknown(checking *C, const ref_rule *r, const char *sql, bool bind_first,
                          int *shown_so_far)
{
    static const char lost_sql[] =
        "SELECT 1 FROM temp.unreadable WHERE id = ?1 AND kind IN (?2, '*')";
    sqlite3_stmt *st, *lost;
    if (db_prepare(C->db, lost_sql, &lost, C->err) != 0)
        return -1;
    if (db_prepare(C->db, sql, &st, C->err) != 0) {
        sqlite3_finalize(lost);
        return -1;
    }
    if (bind_first)
        sqlite3_bind_int64(st, 1, C->plan.first_file);
    int rc, shown = *shown_so_far;
    const char *noun = names_noun(r->kind);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *ref = (const char *)sqlite3_column_text(st, 0);
        if (maybe_defined(lost, noun, ref))
            continue;   /* the syntax error is the problem to fix */
        const char *path = (const char *)sqlite3_column_text(st, 1);
        int line = sqlite3_column_int(st, 2), col = sqlite3_column_int(st, 3);
        char *hint = NULL, *fix = NULL;
        char *sug = shown++ < MAX_SUGGESTED ? advice(C, r, ref, &hint, &fix) : NULL;
        int span = (int)strlen(ref);
        if (sug)
            diag_add(C->dl, DIAG_ERROR, path, line, col, span,
                     hint ? hint : r->define_hint, "unknown %s '%s' (%s)", noun, ref, sug);
        else
            diag_add(C->dl, DIAG_ERROR, path, line, col, span, r->define_hint,
                     "unknown %s '%s'", noun, ref);
        diag_detail(C->dl, DIAG_ABOUT_UNKNOWN_ID, noun, ref, fix);
        free(sug);
        free(hint);
        free(fix);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(lost);
    *shown_so_far = shown;
    return rc == SQLITE_DONE ? 0 : db_fail(C->db, sql, C->err);
}

static int check_references(checking *C)
{
    for (size_t i = 0; i < sizeof(ref_rules) / sizeof(ref_rules[0]); i++) {
        const ref_rule *r = &ref_rules[i];
        int shown = 0;
        if (report_unknown(C, r, C->plan.incremental ? r->select : r->select_all,
                           C->plan.incremental, &shown) < 0 ||
            report_unknown(C, r, r->skipped, false, &shown) < 0)
            return -1;
    }
    return 0;
}

/*
 * Aliases: an actor's alias may equal no other actor's id, name or alias;
 * a place's alias no other place's alias (case-insensitively). The later
 * of two equal aliases is the error; an alias equal to an id or name is.
 */
#define ALIAS_CLASH(names, owner, table, others)                                     \
    "SELECT a.name, a." owner ", fa.path, a.line, a.col, b." owner ", b.name, "      \
    "b.is_alias, fb.path, b.line, b.col FROM " names " a JOIN " table " ta ON ta.id " \
    "= a." owner " JOIN files fa ON fa.id = ta.file_id JOIN " names " b ON b.key = "  \
    "a.key AND b." owner " <> a." owner " JOIN " table " tb ON tb.id = b." owner      \
    " JOIN files fb ON fb.id = tb.file_id WHERE a.is_alias = 1 AND (" others " OR "   \
    "(b.is_alias = 1 AND (fb.path < fa.path OR (fb.path = fa.path AND (b.line < "      \
    "a.line OR (b.line = a.line AND b.col < a.col)))))) ORDER BY fa.path, a.line, a.col"

static int check_aliases(checking *C)
{
    static const struct {
        const char *noun, *sql;
    } rules[] = {
        {"actor", ALIAS_CLASH("actor_names", "actor_id", "actors", "b.is_alias = 0")},
        {"place", ALIAS_CLASH("place_names", "place_id", "places", "0")},
    };
    for (size_t i = 0; i < 2; i++) {
        sqlite3_stmt *st;
        if (db_prepare(C->db, rules[i].sql, &st, C->err) != 0)
            return -1;
        int rc;
        const char *last_owner = NULL;
        (void)last_owner;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *alias = (const char *)sqlite3_column_text(st, 0);
            const char *owner = (const char *)sqlite3_column_text(st, 1);
            const char *other = (const char *)sqlite3_column_text(st, 5);
            const char *what = sqlite3_column_int(st, 7) ? "an alias" : "the id or name";
            diag_add(C->dl, DIAG_ERROR, (const char *)sqlite3_column_text(st, 2),
                     sqlite3_column_int(st, 3), sqlite3_column_int(st, 4),
                     (int)strlen(alias), "an alias must name one record only: remove or "
                     "reword one of them",
                     "alias '%s' of %s '%s' is already %s of %s '%s'", alias, rules[i].noun,
                     owner, what, rules[i].noun, other);
            diag_note(C->dl, (const char *)sqlite3_column_text(st, 8),
                      sqlite3_column_int(st, 9), sqlite3_column_int(st, 10),
                      "'%s' given here", (const char *)sqlite3_column_text(st, 6));
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return db_fail(C->db, rules[i].sql, C->err);
    }
    return 0;
}

/* ---- Cycles -------------------------------------------------------------- */

typedef struct {
    char *child, *parent, *path;
    int line, col;
    bool reported;
} edge;

static void free_edges(edge *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(e[i].child);
        free(e[i].parent);
        free(e[i].path);
    }
    free(e);
}

/*
 * Report one cycle through edge `start`: the shortest path from its parent
 * back to its child, over edges between nodes that lie on cycles.
 */
static void report_cycle(checking *C, edge *e, size_t n, size_t start, const char *noun,
                         const char *key)
{
    /* Breadth-first search over edge indexes; prev[] links back. */
    size_t *queue = malloc(n * sizeof(*queue)), *prev = malloc(n * sizeof(*prev));
    bool *seen = calloc(n, sizeof(*seen));
    if (!queue || !prev || !seen) {
        free(queue);
        free(prev);
        free(seen);
        return;
    }
    size_t head = 0, tail = 0, found = n;
    queue[tail++] = start;
    seen[start] = true;
    prev[start] = n;
    while (head < tail && found == n) {
        size_t cur = queue[head++];
        if (strcmp(e[cur].parent, e[start].child) == 0) {
            found = cur;
            break;
        }
        for (size_t j = 0; j < n; j++) {
            if (!seen[j] && strcmp(e[j].child, e[cur].parent) == 0) {
                seen[j] = true;
                prev[j] = cur;
                queue[tail++] = j;
            }
        }
    }
    if (found != n) {
        /* The path start -> ... -> found, walked back from found, then written forwards. */
        size_t m = 0;
        for (size_t k = found; k != n; k = prev[k])
            queue[m++] = k;           /* the queue is done with: reuse it */
        strbuf text = STRBUF_INIT;
        for (size_t k = m; k-- > 0;) {
            strbuf_addf(&text, "%s -> ", e[queue[k]].child);
            e[queue[k]].reported = true;
        }
        strbuf_add(&text, e[start].child);
        if (!text.oom)
            diag_add(C->dl, DIAG_ERROR, e[start].path, e[start].line, e[start].col,
                     (int)strlen(e[start].parent), "remove one link of the cycle",
                     "%s '%s' is %s itself: %s", noun, e[start].child, key, text.s);
        strbuf_free(&text);
    }
    e[start].reported = true;
    free(queue);
    free(prev);
    free(seen);
}

static int check_cycles(checking *C)
{
    static const struct {
        const char *noun, *key, *table, *child, *owner;
    } rules[] = {
        {"actor", "part of", "actor_parents", "actor_id", "actors"},
        {"place", "within", "place_parents", "place_id", "places"},
        {"event", "part of", "event_parents", "event_id", "events"},
    };
    for (size_t r = 0; r < 3; r++) {
        /* Every node that reaches itself; then the edges among those nodes. */
        char *sql = str_printf(
            "WITH RECURSIVE walk(start, node) AS ("
            " SELECT %2$s, parent_id FROM %1$s"
            " UNION SELECT w.start, p.parent_id FROM walk w JOIN %1$s p"
            " ON p.%2$s = w.node WHERE w.node <> w.start),"
            " cyc(id) AS (SELECT start FROM walk WHERE node = start)"
            " SELECT p.%2$s, p.parent_id, f.path, p.line, p.col FROM %1$s p"
            " JOIN %3$s o ON o.id = p.%2$s JOIN files f ON f.id = o.file_id"
            " WHERE p.%2$s IN cyc AND p.parent_id IN cyc"
            " ORDER BY f.path, p.line, p.col",
            rules[r].table, rules[r].child, rules[r].owner);
        sqlite3_stmt *st;
        if (!sql || db_prepare(C->db, sql, &st, C->err) != 0) {
            free(sql);
            return -1;
        }
        edge *e = NULL;
        size_t n = 0, cap = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (array_grow(&e, &cap, n, sizeof(*e), 16) != 0)
                break;
            e[n].child = strdup((const char *)sqlite3_column_text(st, 0));
            e[n].parent = strdup((const char *)sqlite3_column_text(st, 1));
            e[n].path = strdup((const char *)sqlite3_column_text(st, 2));
            e[n].line = sqlite3_column_int(st, 3);
            e[n].col = sqlite3_column_int(st, 4);
            e[n].reported = false;
            n++;
            if (!e[n - 1].child || !e[n - 1].parent || !e[n - 1].path)
                break;
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            free_edges(e, n);
            rc = db_fail(C->db, sql, C->err);
            free(sql);
            return rc;
        }
        free(sql);
        for (size_t i = 0; i < n; i++)
            if (!e[i].reported)
                report_cycle(C, e, n, i, rules[r].noun, rules[r].key);
        free_edges(e, n);
    }
    return 0;
}

/*
 * An event with no source: a warning, for every event. A reload whose kept
 * files had no diagnostic (plan.kept_clean) looks only at the files it
 * read, as whether an event cites a source depends on its own file alone;
 * any other reload looks at kept events too, to report what a full load
 * reports.
 */
static int check_sources(checking *C)
{
    /* The inner scan reads the small index on events(id), in the order of
       event_sources' key, not the table; the table only for the few found. */
    static const char all_sql[] =
        "SELECT e.id, f.path, e.line, e.col FROM events e JOIN files f ON f.id = e.file_id "
        "WHERE e.rowid IN (SELECT x.rowid FROM events x WHERE NOT EXISTS "
        "(SELECT 1 FROM event_sources s WHERE s.event_id = x.id))";
    static const char read_sql[] =
        "SELECT e.id, f.path, e.line, e.col FROM events e JOIN files f ON f.id = e.file_id "
        "WHERE e.file_id >= ?1 AND NOT EXISTS "
        "(SELECT 1 FROM event_sources s WHERE s.event_id = e.id)";
    bool narrow = C->plan.incremental && C->plan.kept_clean;
    const char *sql = narrow ? read_sql : all_sql;
    sqlite3_stmt *st;
    if (db_prepare(C->db, sql, &st, C->err) != 0)
        return -1;
    if (narrow)
        sqlite3_bind_int64(st, 1, C->plan.first_file);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        diag_add(C->dl, DIAG_WARNING, (const char *)sqlite3_column_text(st, 1),
                 sqlite3_column_int(st, 2), sqlite3_column_int(st, 3), 1,
                 "add sources: [SOURCE-ID], with a quote if you can",
                 "event '%s' cites no source", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_fail(C->db, sql, C->err);
}

int crossref_check(sqlite3 *db, reload_plan plan, diag_list *dl, char **err)
{
    checking c = {db, plan, dl, err}, *C = &c;
    if (check_references(C) < 0 || check_aliases(C) < 0 || check_cycles(C) < 0 ||
        check_sources(C) < 0)
        return -1;
    return 0;
}
