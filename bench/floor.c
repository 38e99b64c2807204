/* floor.c - the benchmark's floor: what annals' two dependencies cost on their own.
 *
 * usage: annals-floor parse FILE...
 *        annals-floor insert [--schema SCHEMA.sql] DB FILE...
 *        annals-floor --version
 *
 * parse:  libyaml's event parser over each file (read into memory first),
 *         counting events; nothing else. The floor of `annals check`.
 * insert: the same parse, plus a straight-line mapping of each record to
 *         the rows annals stores (the INSERTs of src/records.c: same tables,
 *         same columns, same indexes, same full-text rebuild), with prepared
 *         statements in one transaction, secondary indexes dropped before
 *         the rows and built after them, as annals does. No validation, no
 *         EDTF (an event's bounds are its year's), no text folding, one
 *         thread. The floor of `annals load`. DB must not exist yet; the
 *         schema is schema/schema.sql (its path is compiled in).
 *
 * Timings go to stdout, one "PHASE SECONDS" line each: parse mode prints
 * `parse`; insert mode prints `rows` (libyaml + inserts), `indexes`, `fts`,
 * `commit` and `total`. Counts go to stderr. Any failure exits 1 with a
 * message; wrong usage exits 2.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sqlite3.h>
#include <yaml.h>

#ifndef FLOOR_SCHEMA
#define FLOOR_SCHEMA "schema/schema.sql"
#endif

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("annals-floor: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q)
        die("out of memory");
    return q;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The whole file, NUL-terminated; *len its size. Dies on failure. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open '%s'", path);
    size_t cap = 1 << 16, n = 0;
    char *b = xrealloc(NULL, cap);
    for (;;) {
        n += fread(b + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        cap *= 2;
        b = xrealloc(b, cap);
    }
    if (ferror(f))
        die("cannot read '%s'", path);
    fclose(f);
    b[n] = '\0';
    *len = n;
    return b;
}

/* ---- One record as a tree (what any loader builds before it maps) ------- */

typedef struct node node;
struct node {
    char kind;            /* 's' scalar, 'l' list, 'm' mapping */
    char *s;              /* scalar text (libyaml's buffer, taken over) */
    int line, col;        /* 1-based */
    size_t n;
    node **v;             /* items; for a mapping: key, value, key, value... */
};

static void node_free(node *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->n; i++)
        node_free(x->v[i]);
    free(x->v);
    free(x->s);
    free(x);
}

static long nevents;   /* libyaml events parsed */

static void parse_event(yaml_parser_t *ps, yaml_event_t *ev, const char *path)
{
    nevents++;
    if (!yaml_parser_parse(ps, ev))
        die("%s:%zu: %s", path, ps->problem_mark.line + 1,
            ps->problem ? ps->problem : "YAML error");
}

/* The node that *ev starts (consumed, with every event up to its end). */
static node *build(yaml_parser_t *ps, yaml_event_t *ev, const char *path)
{
    node *x = xrealloc(NULL, sizeof(*x));
    memset(x, 0, sizeof(*x));
    x->line = (int)ev->start_mark.line + 1;
    x->col = (int)ev->start_mark.column + 1;
    if (ev->type != YAML_SEQUENCE_START_EVENT && ev->type != YAML_MAPPING_START_EVENT) {
        x->kind = 's';   /* a scalar; an alias is kept as an empty one */
        if (ev->type == YAML_SCALAR_EVENT) {
            x->s = (char *)ev->data.scalar.value;
            ev->data.scalar.value = NULL;
        }
        yaml_event_delete(ev);
        return x;
    }
    x->kind = ev->type == YAML_SEQUENCE_START_EVENT ? 'l' : 'm';
    yaml_event_type_t end = x->kind == 'l' ? YAML_SEQUENCE_END_EVENT : YAML_MAPPING_END_EVENT;
    yaml_event_delete(ev);
    size_t cap = 0;
    for (;;) {
        yaml_event_t e;
        parse_event(ps, &e, path);
        if (e.type == end) {
            yaml_event_delete(&e);
            return x;
        }
        if (x->n == cap) {
            cap = cap ? cap * 2 : 8;
            x->v = xrealloc(x->v, cap * sizeof(*x->v));
        }
        x->v[x->n++] = build(ps, &e, path);
    }
}

static const node *get(const node *m, const char *key)
{
    for (size_t i = 0; m && m->kind == 'm' && i + 1 < m->n; i += 2)
        if (m->v[i]->s && strcmp(m->v[i]->s, key) == 0)
            return m->v[i + 1];
    return NULL;
}

static const char *text(const node *m, const char *key)
{
    const node *v = get(m, key);
    return v && v->kind == 's' ? v->s : NULL;
}

/* ---- Rows: the INSERT statements of src/records.c ------------------------ */

enum { S_FILE, S_ACTOR, S_PLACE, S_SOURCE, S_EVENT, S_ANAME, S_PNAME, S_APARENT, S_PPARENT,
       S_EPARENT, S_EACTOR, S_EPLACE, S_ETAG, S_ESOURCE, S_EFIGURE, S_N };

static const char *const sql[S_N] = {
    [S_FILE] = "INSERT INTO files(id, path, hash, size) VALUES (?, ?, ?, ?)",
    [S_ACTOR] = "INSERT INTO actors(id, name, kind, description, file_id, line, col) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
    [S_PLACE] = "INSERT INTO places(id, name, kind, lat, lon, file_id, line, col) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [S_SOURCE] = "INSERT INTO sources(id, title, publisher, author, published, accessed, "
                 "url, notes, file_id, line, col) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [S_EVENT] = "INSERT INTO events(id, date, lower, upper, precision, uncertain, "
                "approximate, title, summary, type, notes, file_id, line, col) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [S_ANAME] = "INSERT INTO actor_names(actor_id, name, key, folded, is_alias, line, col) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
    [S_PNAME] = "INSERT INTO place_names(place_id, name, key, folded, is_alias, line, col) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
    [S_APARENT] = "INSERT OR IGNORE INTO actor_parents(actor_id, parent_id, line, col) "
                  "VALUES (?, ?, ?, ?)",
    [S_PPARENT] = "INSERT OR IGNORE INTO place_parents(place_id, parent_id, line, col) "
                  "VALUES (?, ?, ?, ?)",
    [S_EPARENT] = "INSERT OR IGNORE INTO event_parents(event_id, parent_id, line, col) "
                  "VALUES (?, ?, ?, ?)",
    [S_EACTOR] = "INSERT INTO event_actors(event_id, seq, actor_id, role, line, col) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
    [S_EPLACE] = "INSERT INTO event_places(event_id, seq, place_id, line, col) "
                 "VALUES (?, ?, ?, ?, ?)",
    [S_ETAG] = "INSERT INTO event_tags(event_id, seq, tag) VALUES (?, ?, ?)",
    [S_ESOURCE] = "INSERT INTO event_sources(event_id, seq, source_id, quote, locator, "
                  "line, col) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [S_EFIGURE] = "INSERT INTO event_figures(event_id, seq, name, value, low, high, unit) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)",
};

static sqlite3 *db;
static sqlite3_stmt *st[S_N];
static sqlite3_int64 file_id;
static long rows;

/* Bindings: text (NULL binds NULL), integer, a number's text as a double. */
static void bt(int k, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st[k], i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st[k], i);
}

static void bi(int k, int i, sqlite3_int64 v)
{
    sqlite3_bind_int64(st[k], i, v);
}

static void bd(int k, int i, const char *v)
{
    if (v)
        sqlite3_bind_double(st[k], i, strtod(v, NULL));
    else
        sqlite3_bind_null(st[k], i);
}

static void step(int k)
{
    if (sqlite3_step(st[k]) != SQLITE_DONE)
        die("%s (in: %s)", sqlite3_errmsg(db), sql[k]);
    sqlite3_reset(st[k]);
    rows++;
}

/* The end of a main row: file, line, col of the record's id. */
static void at(int k, int i, const node *idn)
{
    bi(k, i, file_id);
    bi(k, i + 1, idn->line);
    bi(k, i + 2, idn->col);
    step(k);
}

static void name_row(int k, const char *owner, const node *n, int alias)
{
    bt(k, 1, owner);
    bt(k, 2, n->s);
    bt(k, 3, n->s);      /* annals: lower case; the floor folds nothing */
    bt(k, 4, n->s);
    bi(k, 5, alias);
    bi(k, 6, n->line);
    bi(k, 7, n->col);
    step(k);
}

static void names(int k, const char *id, const node *rec, const node *idn)
{
    name_row(k, id, idn, 0);
    const node *name = get(rec, "name"), *al = get(rec, "aliases");
    if (name && name->s)
        name_row(k, id, name, 0);
    for (size_t i = 0; al && al->kind == 'l' && i < al->n; i++)
        if (al->v[i]->s)
            name_row(k, id, al->v[i], 1);
}

/* Rows (owner, [seq,] value, [line, col]) for a scalar or a list of scalars. */
static void each(int k, const char *owner, const node *v, int with_seq, int with_pos)
{
    size_t count = !v ? 0 : v->kind == 'l' ? v->n : 1;
    for (size_t i = 0; i < count; i++) {
        const node *it = v->kind == 'l' ? v->v[i] : v;
        if (!it->s)
            continue;
        int c = 1;
        bt(k, c++, owner);
        if (with_seq)
            bi(k, c++, (sqlite3_int64)i);
        bt(k, c++, it->s);
        if (with_pos) {
            bi(k, c++, it->line);
            bi(k, c, it->col);
        }
        step(k);
    }
}

/* Links to actors (with role) or sources (with quote, locator): a bare id or {id: ...}. */
static void links(int k, const char *event, const node *list, int citation)
{
    for (size_t i = 0; list && list->kind == 'l' && i < list->n; i++) {
        const node *it = list->v[i], *ref = it->kind == 's' ? it : get(it, "id");
        if (!ref || !ref->s)
            continue;
        bt(k, 1, event);
        bi(k, 2, (sqlite3_int64)i);
        bt(k, 3, ref->s);
        int c = 4;
        if (citation) {
            bt(k, c++, text(it, "quote"));
            bt(k, c++, text(it, "locator"));
        } else {
            bt(k, c++, text(it, "role"));
        }
        bi(k, c++, ref->line);
        bi(k, c, ref->col);
        step(k);
    }
}

/*
 * Not EDTF: the year the text starts with, as a year-long span in seconds.
 * Enough for the rows and the chronological index to hold integers of the
 * size and spread annals stores.
 */
static void year_span(const char *date, sqlite3_int64 *lo, sqlite3_int64 *hi)
{
    const char *p = date ? date : "";
    p += strspn(p, "./Y");
    sqlite3_int64 y = strtoll(p, NULL, 10);
    *lo = (y - 1970) * 31556952;
    *hi = *lo + 31556951;
}

static void record(const char *section, const node *r)
{
    const node *idn = get(r, "id");
    if (!idn || !idn->s)
        return;
    const char *id = idn->s;
    if (strcmp(section, "events") == 0) {
        sqlite3_int64 lo, hi;
        year_span(text(r, "date"), &lo, &hi);
        bt(S_EVENT, 1, id);
        bt(S_EVENT, 2, text(r, "date"));
        bi(S_EVENT, 3, lo);
        bi(S_EVENT, 4, hi);
        bt(S_EVENT, 5, "day");
        bi(S_EVENT, 6, 0);
        bi(S_EVENT, 7, 0);
        bt(S_EVENT, 8, text(r, "title"));
        bt(S_EVENT, 9, text(r, "summary"));
        bt(S_EVENT, 10, text(r, "type"));
        bt(S_EVENT, 11, text(r, "notes"));
        at(S_EVENT, 12, idn);
        links(S_EACTOR, id, get(r, "actors"), 0);
        links(S_ESOURCE, id, get(r, "sources"), 1);
        each(S_EPLACE, id, get(r, "places"), 1, 1);
        each(S_ETAG, id, get(r, "tags"), 1, 0);
        each(S_EPARENT, id, get(r, "part_of"), 0, 1);
        const node *fi = get(r, "figures");
        for (size_t i = 0; fi && fi->kind == 'l' && i < fi->n; i++) {
            const node *it = fi->v[i];
            if (!text(it, "name") || !text(it, "value"))
                continue;
            bt(S_EFIGURE, 1, id);
            bi(S_EFIGURE, 2, (sqlite3_int64)i);
            bt(S_EFIGURE, 3, text(it, "name"));
            bd(S_EFIGURE, 4, text(it, "value"));
            bd(S_EFIGURE, 5, text(it, "low"));
            bd(S_EFIGURE, 6, text(it, "high"));
            bt(S_EFIGURE, 7, text(it, "unit"));
            step(S_EFIGURE);
        }
    } else if (strcmp(section, "actors") == 0) {
        bt(S_ACTOR, 1, id);
        bt(S_ACTOR, 2, text(r, "name"));
        bt(S_ACTOR, 3, text(r, "kind"));
        bt(S_ACTOR, 4, text(r, "description"));
        at(S_ACTOR, 5, idn);
        names(S_ANAME, id, r, idn);
        each(S_APARENT, id, get(r, "part_of"), 0, 1);
    } else if (strcmp(section, "places") == 0) {
        const node *c = get(r, "coords");
        int ll = c && c->kind == 'l' && c->n == 2;
        bt(S_PLACE, 1, id);
        bt(S_PLACE, 2, text(r, "name"));
        bt(S_PLACE, 3, text(r, "kind"));
        bd(S_PLACE, 4, ll ? c->v[0]->s : NULL);
        bd(S_PLACE, 5, ll ? c->v[1]->s : NULL);
        at(S_PLACE, 6, idn);
        names(S_PNAME, id, r, idn);
        each(S_PPARENT, id, get(r, "within"), 0, 1);
    } else if (strcmp(section, "sources") == 0) {
        static const char *const keys[] = {"title", "publisher", "author", "published",
                                           "accessed", "url", "notes"};
        bt(S_SOURCE, 1, id);
        for (int i = 0; i < 7; i++)
            bt(S_SOURCE, i + 2, text(r, keys[i]));
        at(S_SOURCE, 9, idn);
    }
}

/* ---- Files --------------------------------------------------------------- */

/*
 * Parse one file with libyaml. Without insert: count the events, nothing
 * else. With insert: each record (a mapping inside a section's list) is
 * built as a tree and mapped to rows.
 */
static void parse_file(const char *path, int insert)
{
    size_t len;
    char *buf = slurp(path, &len);
    if (insert) {
        bi(S_FILE, 1, file_id);
        bt(S_FILE, 2, path);
        bt(S_FILE, 3, "0000000000000000");   /* annals: a 64-bit fingerprint, hex */
        bi(S_FILE, 4, (sqlite3_int64)len);
        step(S_FILE);
    }
    yaml_parser_t ps;
    if (!yaml_parser_initialize(&ps))
        die("out of memory");
    yaml_parser_set_input_string(&ps, (const unsigned char *)buf, len);
    int depth = 0, key_next = 1;   /* depth 1: a document's mapping; 2: a section's list */
    char *section = NULL;
    for (;;) {
        yaml_event_t ev;
        parse_event(&ps, &ev, path);
        yaml_event_type_t type = ev.type;
        if (!insert) {
            yaml_event_delete(&ev);
            if (type == YAML_STREAM_END_EVENT)
                break;
            continue;
        }
        if (type == YAML_MAPPING_START_EVENT && depth == 2 && section) {
            node *r = build(&ps, &ev, path);
            record(section, r);
            node_free(r);
            continue;
        }
        if (depth == 1 && type == YAML_SCALAR_EVENT) {
            if (key_next) {
                free(section);
                section = strdup((const char *)ev.data.scalar.value);
            }
            key_next = !key_next;
        } else if (depth == 1 && (type == YAML_MAPPING_START_EVENT ||
                                  type == YAML_SEQUENCE_START_EVENT)) {
            key_next = 1;   /* a section's value: the next scalar at depth 1 is a key */
        }
        if (type == YAML_MAPPING_START_EVENT || type == YAML_SEQUENCE_START_EVENT)
            depth++;
        else if (type == YAML_MAPPING_END_EVENT || type == YAML_SEQUENCE_END_EVENT)
            depth--;
        else if (type == YAML_DOCUMENT_START_EVENT)
            key_next = 1;
        yaml_event_delete(&ev);
        if (type == YAML_STREAM_END_EVENT)
            break;
    }
    free(section);
    yaml_parser_delete(&ps);
    free(buf);
}

static void exec(const char *q)
{
    char *err = NULL;
    if (sqlite3_exec(db, q, NULL, NULL, &err) != SQLITE_OK)
        die("%s (in: %.80s)", err ? err : sqlite3_errmsg(db), q);
}

/* Drop the schema's secondary indexes; returns their CREATE statements (*n). The caller frees. */
static char **drop_indexes(size_t *n)
{
    sqlite3_stmt *q;
    const char *s = "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL";
    if (sqlite3_prepare_v2(db, s, -1, &q, NULL) != SQLITE_OK)
        die("%s", sqlite3_errmsg(db));
    char **create = NULL, **drop = NULL;
    *n = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        create = xrealloc(create, (*n + 1) * sizeof(*create));
        drop = xrealloc(drop, (*n + 1) * sizeof(*drop));
        drop[*n] = xrealloc(NULL, (size_t)sqlite3_column_bytes(q, 0) + 16);
        sprintf(drop[*n], "DROP INDEX \"%s\"", (const char *)sqlite3_column_text(q, 0));
        create[(*n)++] = strdup((const char *)sqlite3_column_text(q, 1));
    }
    sqlite3_finalize(q);
    for (size_t i = 0; i < *n; i++) {
        exec(drop[i]);
        free(drop[i]);
    }
    free(drop);
    return create;
}

static int insert(const char *schema_path, const char *dbpath, char **files, int nfiles)
{
    struct stat sb;
    if (stat(dbpath, &sb) == 0)
        die("'%s' exists: the floor writes a new database", dbpath);
    size_t len;
    char *schema = slurp(schema_path, &len);
    double t0 = now();
    if (sqlite3_open(dbpath, &db) != SQLITE_OK)
        die("cannot open '%s': %s", dbpath, sqlite3_errmsg(db));
    /* annals' settings for a database it writes (src/db.c). */
    exec("PRAGMA cache_size = -32768; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
    exec(schema);
    free(schema);
    exec("BEGIN IMMEDIATE");
    size_t nindex;
    char **indexes = drop_indexes(&nindex);   /* built again after the rows */
    for (int i = 0; i < S_N; i++)
        if (sqlite3_prepare_v2(db, sql[i], -1, &st[i], NULL) != SQLITE_OK)
            die("%s (in: %s)", sqlite3_errmsg(db), sql[i]);
    for (int i = 0; i < nfiles; i++) {
        file_id = i + 1;
        parse_file(files[i], 1);
    }
    for (int i = 0; i < S_N; i++)
        sqlite3_finalize(st[i]);
    double t1 = now();
    for (size_t i = 0; i < nindex; i++) {
        exec(indexes[i]);
        free(indexes[i]);
    }
    free(indexes);
    double t2 = now();
    exec("INSERT INTO events_fts(events_fts) VALUES('rebuild')");
    double t3 = now();
    exec("COMMIT");
    if (sqlite3_close(db) != SQLITE_OK)
        die("%s", sqlite3_errmsg(db));
    double t4 = now();
    printf("rows %.3f\nindexes %.3f\nfts %.3f\ncommit %.3f\ntotal %.3f\n", t1 - t0, t2 - t1,
           t3 - t2, t4 - t3, t4 - t0);
    fprintf(stderr, "%d files, %ld libyaml events, %ld rows\n", nfiles, nevents, rows);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("SQLite %s, libyaml %s\n", sqlite3_libversion(), yaml_get_version_string());
        return 0;
    }
    if (argc >= 3 && strcmp(argv[1], "parse") == 0) {
        double t0 = now();
        for (int i = 2; i < argc; i++)
            parse_file(argv[i], 0);
        printf("parse %.3f\n", now() - t0);
        fprintf(stderr, "%d files, %ld libyaml events\n", argc - 2, nevents);
        return 0;
    }
    if (argc >= 4 && strcmp(argv[1], "insert") == 0) {
        const char *schema = FLOOR_SCHEMA;
        int a = 2;
        if (strcmp(argv[a], "--schema") == 0) {
            schema = argv[a + 1];
            a += 2;
        }
        if (argc - a >= 2)
            return insert(schema, argv[a], argv + a + 1, argc - a - 1);
    }
    fputs("usage: annals-floor parse FILE...\n"
          "       annals-floor insert [--schema SCHEMA.sql] DB FILE...\n"
          "       annals-floor --version\n", stderr);
    return 2;
}
