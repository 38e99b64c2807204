/* names.c - ids, names and aliases: what is a valid id, which record a text names, and what is closest to a typo. */
#include "annals/names.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/util.h"

/* ---- Ids ---------------------------------------------------------------------- */

bool names_is_id(const char *s, size_t len)
{
    if (len < 1 || len > 64)
        return false;
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-'))
            return false;
    }
    return true;
}

char *names_id_from(const char *text)
{
    char *s = text_fold(text, strlen(text));
    if (!s)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; s[i] && o < 64; i++) {
        char c = s[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_')
            s[o++] = c;
        else if (o && s[o - 1] != '-')
            s[o++] = '-';
    }
    while (o && (s[o - 1] == '-' || s[o - 1] == '.' || s[o - 1] == '_'))
        o--;
    s[o] = '\0';
    if (!names_is_id(s, o)) {
        free(s);
        return NULL;
    }
    return s;
}

/* ---- Closeness ---------------------------------------------------------------- */

static bool is_separator(char c)
{
    return c == '-' || c == '_' || c == '.' || c == ' ' || c == '/';
}

static size_t letters(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += !is_separator(*s);
    return n;
}

/* The length of the word at s (up to a separator or the end). */
static size_t word_len(const char *s)
{
    size_t k = 0;
    while (s[k] && !is_separator(s[k]))
        k++;
    return k;
}

/*
 * Word overlap of text with cand: for each word of text, the longest
 * common prefix (of at least 2 letters) with a word of cand, summed.
 * "isis-sahel" and "is-greater-sahara" share "is" + "sah" = 5.
 */
static size_t word_overlap(const char *text, const char *cand)
{
    size_t total = 0;
    for (const char *t = text; *t;) {
        while (*t && is_separator(*t))
            t++;
        size_t best = 0;
        for (const char *c = cand; *c;) {
            while (*c && is_separator(*c))
                c++;
            size_t k = 0;
            while (t[k] && c[k] && !is_separator(t[k]) && t[k] == c[k])
                k++;
            if (k > best)
                best = k;
            c += word_len(c);
        }
        total += best >= 2 ? best : 0;
        t += word_len(t);
    }
    return total;
}

/* True when every word of cand is a whole word of text ("isis" in "isis-sahel"). */
static bool words_within(const char *cand, const char *text)
{
    bool any = false;
    for (const char *c = cand; *c;) {
        while (*c && is_separator(*c))
            c++;
        size_t n = word_len(c);
        if (!n)
            break;
        bool found = false;
        for (const char *t = text; *t && !found;) {
            while (*t && is_separator(*t))
                t++;
            size_t m = word_len(t);
            found = m == n && strncmp(t, c, n) == 0;
            t += m;
        }
        if (!found)
            return false;
        any = true;
        c += n;
    }
    return any;
}

/*
 * How close name is to the ranking's text: 0 for a typo (*score the
 * distance), 1 for shared words (*score the text's letters not shared),
 * 2 when not close. Words are looked at only when words_too.
 */
static int closeness(const names_ranking *r, const char *name, bool words_too, size_t *score)
{
    size_t d = edit_distance(r->text, name, r->limit);
    if (d <= r->limit) {
        *score = d;
        return 0;
    }
    if (!words_too)
        return 2;
    size_t o = word_overlap(r->text, name);
    if (o < 3 || o * 2 < r->letters)
        o = 0;
    size_t whole = letters(name);
    if (whole >= 3 && whole > o && words_within(name, r->text))
        o = whole;
    if (!o)
        return 2;
    *score = r->letters > o ? r->letters - o : 0;
    return 1;
}

/* True when (rank, score, id) comes before pick p. */
static bool before(int rank, size_t score, const char *id, const names_pick *p)
{
    if (rank != p->rank)
        return rank < p->rank;
    if (score != p->score)
        return score < p->score;
    return strcmp(id, p->id) < 0;
}

int names_ranking_init(names_ranking *r, const char *text, size_t max)
{
    memset(r, 0, sizeof(*r));
    r->max = max < 1 ? 1 : max > NAMES_CLOSEST ? NAMES_CLOSEST : max;
    r->text = text_fold(text, strlen(text));
    if (!r->text)
        return -1;
    size_t n = strlen(r->text);
    /* Close enough to be a typo: a third of the length, at least 1, at most 4. */
    r->limit = n / 3 < 1 ? 1 : n / 3 > 4 ? 4 : n / 3;
    r->letters = letters(r->text);
    return 0;
}

void names_ranking_feed(names_ranking *r, const char *id, const char *name)
{
    if (!r->text || !id)
        return;
    if (!name)
        name = id;
    /* Once the picks are all typos, a match of words cannot enter. */
    bool words_too = r->n < r->max || r->pick[r->max - 1].rank > 0;
    size_t score;
    int rank = closeness(r, name, words_too, &score);
    if (rank > 1)
        return;
    if (r->n == r->max && !before(rank, score, id, &r->pick[r->n - 1]))
        return;     /* not among the best (nor better than a name of a record kept) */
    char *copy = NULL;
    for (size_t i = 0; i < r->n; i++) {
        if (strcmp(r->pick[i].id, id) == 0) {
            if (!before(rank, score, id, &r->pick[i]))
                return;              /* this record is already in by a closer name */
            copy = r->pick[i].id;    /* re-inserted below at its new place */
            memmove(&r->pick[i], &r->pick[i + 1], (r->n - i - 1) * sizeof(r->pick[0]));
            r->n--;
            break;
        }
    }
    if (!copy && !(copy = strdup(id)))
        return;
    size_t at = 0;
    while (at < r->n && !before(rank, score, id, &r->pick[at]))
        at++;
    if (at >= r->max) {
        free(copy);
        return;
    }
    if (r->n == r->max)
        free(r->pick[--r->n].id);
    memmove(&r->pick[at + 1], &r->pick[at], (r->n - at) * sizeof(r->pick[0]));
    r->pick[at] = (names_pick){copy, rank, score};
    r->n++;
}

const char *names_ranking_best(const names_ranking *r)
{
    return r->n ? r->pick[0].id : NULL;
}

char *names_ranking_list(const names_ranking *r)
{
    if (!r->n)
        return NULL;
    strbuf b = STRBUF_INIT;
    for (size_t i = 0; i < r->n; i++)
        strbuf_addf(&b, "%s'%s'", i ? ", " : "", r->pick[i].id);
    return strbuf_detach(&b);
}

void names_ranking_free(names_ranking *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->pick[i].id);
    free(r->text);
    memset(r, 0, sizeof(*r));
}

const char *names_closest_in(const char *text, const char *const *choices)
{
    names_ranking r;
    const char *best = NULL;
    if (names_ranking_init(&r, text, 1) == 0) {
        for (const char *const *c = choices; *c; c++)
            names_ranking_feed(&r, *c, NULL);
        for (const char *const *c = choices; r.n && *c && !best; c++)
            if (strcmp(*c, r.pick[0].id) == 0)
                best = *c;
    }
    names_ranking_free(&r);
    return best;
}

/* ---- The records of a database --------------------------------------------------- */

/* The statements of one kind of record. */
typedef struct {
    const char *noun, *plural;
    const char *by_id;       /* 1 when ?1 is an id */
    const char *by_key;      /* (id, name, is_alias) whose name's key is annals_lower(?1) */
    const char *by_folded;   /* ... whose folded name is annals_fold(?1) */
    const char *all_names;   /* (id, folded name) of every name, ids included */
    const char *where;       /* (path, line) of the record with id ?1 */
} kind_spec;

#define NAMED(table, names, owner)                                                      \
    "SELECT 1 FROM " table " WHERE id = ?1",                                            \
    "SELECT n." owner ", n.name, n.is_alias, t.name FROM " names " n JOIN " table " t "   \
    "ON t.id = n." owner " WHERE n.key = annals_lower(?1) ORDER BY n." owner              \
    ", n.is_alias, n.line, n.col",                                                      \
    "SELECT n." owner ", n.name, n.is_alias, t.name FROM " names " n JOIN " table " t "   \
    "ON t.id = n." owner " WHERE n.folded = annals_fold(?1) ORDER BY n." owner            \
    ", n.is_alias, n.line, n.col",                                                      \
    "SELECT " owner ", folded FROM " names,                                              \
    "SELECT f.path, t.line FROM " table " t JOIN files f ON f.id = t.file_id WHERE t.id = ?1"

#define UNNAMED(table)                                                                  \
    "SELECT 1 FROM " table " WHERE id = ?1", NULL, NULL, "SELECT id, NULL FROM " table,   \
    "SELECT f.path, t.line FROM " table " t JOIN files f ON f.id = t.file_id WHERE t.id = ?1"

static const kind_spec kinds[] = {
    [NAMES_EVENT] = {"event", "events", UNNAMED("events")},
    [NAMES_ACTOR] = {"actor", "actors", NAMED("actors", "actor_names", "actor_id")},
    [NAMES_PLACE] = {"place", "places", NAMED("places", "place_names", "place_id")},
    [NAMES_SOURCE] = {"source", "sources", UNNAMED("sources")},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

const char *names_noun(names_kind kind)
{
    return kinds[kind].noun;
}

static const char *col(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static int oom(char **err)
{
    *err = str_printf("out of memory");
    return NAMES_EDB;
}

/* A failed step of st: its error in *err, st finalized. */
static int step_failed(sqlite3 *db, sqlite3_stmt *st, char **err)
{
    *err = db_error(db, sqlite3_sql(st));
    sqlite3_finalize(st);
    return NAMES_EDB;
}

/*
 * The first row of sql (by_key or by_folded) for text whose record has a
 * valid id: 1 with a's NAME fields set, 0 when there is none, or NAMES_EDB.
 */
static int find_name(sqlite3 *db, const char *sql, names_kind k, const char *text,
                     names_advice *a, char **err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, sql, &st, err) != 0)
        return NAMES_EDB;
    sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = col(st, 0), *name = col(st, 1);
        if (!id || !name || !names_is_id(id, strlen(id)))
            continue;
        a->what = NAMES_NAME;
        a->kind = k;
        a->alias = sqlite3_column_int(st, 2) != 0;
        a->id = strdup(id);
        a->name = strdup(name);
        sqlite3_finalize(st);
        return a->id && a->name ? 1 : oom(err);
    }
    if (rc != SQLITE_DONE)
        return step_failed(db, st, err);
    sqlite3_finalize(st);
    return 0;
}

/* Where the record of kind k with id is: a->file and a->line. 0, or NAMES_EDB. */
static int find_where(sqlite3 *db, names_kind k, const char *id, names_advice *a, char **err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, kinds[k].where, &st, err) != 0)
        return NAMES_EDB;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        a->file = strdup(col(st, 0) ? col(st, 0) : "?");
        a->line = sqlite3_column_int(st, 1);
        sqlite3_finalize(st);
        return a->file ? 0 : oom(err);
    }
    if (rc != SQLITE_DONE)
        return step_failed(db, st, err);
    sqlite3_finalize(st);
    return 0;
}

/*
 * One pass over every name of kind k: feed the ranking with the names of
 * records whose id is valid; among the others, find one whose id reads as
 * text once written as its hint says (a->id and a->kind then set).
 * 0, or NAMES_EDB.
 */
static int scan_names(sqlite3 *db, names_kind k, const char *text, names_advice *a,
                      char **err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, kinds[k].all_names, &st, err) != 0)
        return NAMES_EDB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = col(st, 0);
        if (!id)
            continue;
        if (names_is_id(id, strlen(id))) {
            names_ranking_feed(&a->close, id, col(st, 1));
            continue;
        }
        if (a->id)
            continue;
        char *fixed = names_id_from(id);
        bool same = fixed && strcmp(fixed, text) == 0;
        free(fixed);
        if (same) {
            a->kind = k;
            if (!(a->id = strdup(id))) {
                sqlite3_finalize(st);
                return oom(err);
            }
        }
    }
    if (rc != SQLITE_DONE)
        return step_failed(db, st, err);
    sqlite3_finalize(st);
    return 0;
}

int names_advise(sqlite3 *db, unsigned asked, const char *text, size_t max, names_advice *a,
                 char **err)
{
    memset(a, 0, sizeof(*a));
    a->many_kinds = (asked & (asked - 1)) != 0;
    if (names_ranking_init(&a->close, text, max) != 0) {
        oom(err);
        return -1;
    }
    for (size_t k = 0; k < NKINDS && !a->id; k++)
        if ((asked & NAMES_BIT(k)) && scan_names(db, (names_kind)k, text, a, err) != 0)
            return -1;
    if (a->id) {
        a->what = NAMES_PENDING;
        return find_where(db, a->kind, a->id, a, err) != 0 ? -1 : 0;
    }
    for (size_t k = 0; k < NKINDS; k++) {
        if (!(asked & NAMES_BIT(k)) || !kinds[k].by_key)
            continue;
        int rc = find_name(db, kinds[k].by_key, (names_kind)k, text, a, err);
        if (rc == 0)
            rc = find_name(db, kinds[k].by_folded, (names_kind)k, text, a, err);
        if (rc < 0)
            return -1;
        if (rc == 1)
            return 0;
    }
    a->what = a->close.n ? NAMES_CLOSE : NAMES_NOTHING;
    return 0;
}

char *names_advice_text(const names_advice *a, const char *text)
{
    const char *noun = names_noun(a->kind);
    switch (a->what) {
    case NAMES_NAME:
        return str_printf("'%s' is %s of %s%s'%s'", text, a->alias ? "an alias" : "the name",
                          a->many_kinds ? noun : "", a->many_kinds ? " " : "", a->id);
    case NAMES_PENDING:
        return str_printf("%s '%s' at %s:%d will have this id once its id is written as its "
                          "hint says", noun, a->id, a->file ? a->file : "?", a->line);
    case NAMES_CLOSE:
        return str_printf("did you mean '%s'?", names_ranking_best(&a->close));
    case NAMES_NOTHING:
        break;
    }
    return NULL;
}

const char *names_advice_fix(const names_advice *a)
{
    return a->what == NAMES_NAME    ? a->id
           : a->what == NAMES_CLOSE ? names_ranking_best(&a->close)
                                    : NULL;
}

void names_advice_free(names_advice *a)
{
    free(a->id);
    free(a->name);
    free(a->file);
    names_ranking_free(&a->close);
    memset(a, 0, sizeof(*a));
}

/* ---- Resolving a filter ---------------------------------------------------------- */

/*
 * The records whose names match text by sql (by_key or by_folded): 1 with
 * *id when one record does, 0 when none, NAMES_EUSER when several (listed
 * with their names in *err), NAMES_EDB on failure.
 */
static int lookup(sqlite3 *db, const kind_spec *k, const char *sql, const char *text,
                  char **id, char **err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, sql, &st, err) != 0)
        return NAMES_EDB;
    sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    strbuf list = STRBUF_INIT;
    char *last = NULL;
    int rc, n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *rid = col(st, 0), *name = col(st, 3);
        if (!rid || (last && strcmp(last, rid) == 0))
            continue;             /* rows come by record: one entry each */
        free(last);
        last = strdup(rid);
        if (!last || (n++ == 0 && !(*id = strdup(rid)))) {
            sqlite3_finalize(st);
            free(last);
            free(*id);
            *id = NULL;
            strbuf_free(&list);
            return oom(err);
        }
        strbuf_addf(&list, "%s'%s' (%s)", n > 1 ? ", " : "", rid, name ? name : "");
    }
    free(last);
    if (rc != SQLITE_DONE || list.oom || n > 1) {
        free(*id);
        *id = NULL;
    }
    if (rc != SQLITE_DONE) {
        strbuf_free(&list);
        return step_failed(db, st, err);
    }
    sqlite3_finalize(st);
    if (list.oom || n > 1) {
        *err = list.oom ? NULL : str_printf("'%s' matches several %s: %s; give an id", text,
                                            k->plural, list.s);
        strbuf_free(&list);
        return *err ? NAMES_EUSER : oom(err);
    }
    strbuf_free(&list);
    return n;
}

/* Whether sql (one ?1) has a row for text: 1, 0, or NAMES_EDB. */
static int exists(sqlite3 *db, const char *sql, const char *text, char **err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, sql, &st, err) != 0)
        return NAMES_EDB;
    sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return step_failed(db, st, err);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW;
}

/* The closest candidates of sql ((id, folded name) rows) to text, as "no NOUN matches ...". */
static int no_match(sqlite3 *db, const char *noun, const char *sql, const char *text,
                    const char *shown, char **err)
{
    names_ranking r;
    if (names_ranking_init(&r, text, NAMES_CLOSEST) != 0)
        return oom(err);
    sqlite3_stmt *st;
    if (db_prepare(db, sql, &st, err) != 0) {
        names_ranking_free(&r);
        return NAMES_EDB;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = col(st, 0);
        if (id && names_is_id(id, strlen(id)))
            names_ranking_feed(&r, id, col(st, 1));
    }
    if (rc != SQLITE_DONE) {
        names_ranking_free(&r);
        return step_failed(db, st, err);
    }
    sqlite3_finalize(st);
    char *list = names_ranking_list(&r);
    *err = list ? str_printf("no %s matches '%s' (closest: %s)", noun, shown, list)
                : str_printf("no %s matches '%s'", noun, shown);
    free(list);
    names_ranking_free(&r);
    return *err ? NAMES_EUSER : oom(err);
}

int names_resolve(sqlite3 *db, names_kind kind, const char *text, char **id, char **err)
{
    const kind_spec *k = &kinds[kind];
    *id = NULL;
    int rc = exists(db, k->by_id, text, err);
    if (rc == 1)
        return (*id = strdup(text)) ? 0 : oom(err);
    const char *steps[2] = {k->by_key, k->by_folded};
    for (int i = 0; rc == 0 && i < 2; i++)
        if (steps[i] && (rc = lookup(db, k, steps[i], text, id, err)) == 1)
            return 0;
    if (rc < 0)
        return rc;
    return no_match(db, k->noun, k->all_names, text, text, err);
}

int names_check_in(sqlite3 *db, const char *noun, const char *has_sql, const char *all_sql,
                   const char *text, const char *shown, char **err)
{
    int rc = exists(db, has_sql, text, err);
    if (rc != 0)
        return rc == 1 ? 0 : rc;
    return no_match(db, noun, all_sql, text, shown, err);
}
