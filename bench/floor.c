/* floor.c - the benchmark's floor: what annals' two dependencies cost on their own.
 *
 * usage: annals-floor parse FILE...
 *        annals-floor insert SCHEMA.sql DB FILE...
 *
 * parse: libyaml's event parser over each file (read into memory first),
 *        nothing else. The floor of `annals check`.
 * insert: the same parse, plus a straight-line mapping of each record to
 *        the rows annals stores (same tables, same columns, same indexes,
 *        same full-text rebuild), inserted with prepared statements in one
 *        transaction, indexes built after the rows. No validation, no date
 *        arithmetic (bounds are 0), no text folding. The floor of
 *        `annals load`.
 * Prints the seconds it took on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>
#include <yaml.h>

typedef struct node node;
struct node {
    int kind;             /* 's' scalar, 'l' list, 'm' mapping */
    char *s;              /* scalar text */
    int line, col;
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

static void push(node *p, node *c)
{
    p->v = realloc(p->v, (p->n + 1) * sizeof(*p->v));
    if (!p->v)
        abort();
    p->v[p->n++] = c;
}

static node *build(yaml_parser_t *ps, yaml_event_t *ev)
{
    node *x = calloc(1, sizeof(*x));
    if (!x)
        abort();
    x->line = (int)ev->start_mark.line + 1;
    x->col = (int)ev->start_mark.column + 1;
    if (ev->type == YAML_SCALAR_EVENT) {
        x->kind = 's';
        x->s = (char *)ev->data.scalar.value;
        ev->data.scalar.value = NULL;
        yaml_event_delete(ev);
        return x;
    }
    x->kind = ev->type == YAML_SEQUENCE_START_EVENT ? 'l' : 'm';
    yaml_event_type_t end = x->kind == 'l' ? YAML_SEQUENCE_END_EVENT : YAML_MAPPING_END_EVENT;
    yaml_event_delete(ev);
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(ps, &e))
            abort();
        if (e.type == end) {
            yaml_event_delete(&e);
            return x;
        }
        push(x, build(ps, &e));
    }
}

static const node *get(const node *m, const char *key)
{
    for (size_t i = 0; m && m->kind == 'm' && i + 1 < m->n; i += 2)
        if (strcmp(m->v[i]->s, key) == 0)
            return m->v[i + 1];
    return NULL;
}

static const char *text(const node *m, const char *key)
{
    const node *v = get(m, key);
    return v && v->kind == 's' ? v->s : NULL;
}

enum { S_FILE, S_ACTOR, S_PLACE, S_SOURCE, S_EVENT, S_ANAME, S_PNAME, S_APARENT, S_PPARENT,
       S_EPARENT, S_EACTOR, S_EPLACE, S_ETAG, S_ESOURCE, S_EFIGURE, S_N };

static const char *const sql[S_N] = {
    "INSERT INTO files(id, path, hash, size) VALUES (?, ?, '', 0)",
    "INSERT INTO actors(id, name, kind, description, file_id, line, col) VALUES (?,?,?,?,?,?,?)",
    "INSERT INTO places(id, name, kind, lat, lon, file_id, line, col) VALUES (?,?,?,?,?,?,?,?)",
    "INSERT INTO sources(id, title, publisher, author, published, accessed, url, notes, "
    "file_id, line, col) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO events(id, date, lower, upper, precision, uncertain, approximate, title, "
    "summary, type, notes, file_id, line, col) VALUES (?,?,0,0,'day',0,0,?,?,?,?,?,?,?)",
    "INSERT INTO actor_names VALUES (?, ?, ?, ?, ?, ?, ?)",
    "INSERT INTO place_names VALUES (?, ?, ?, ?, ?, ?, ?)",
    "INSERT OR IGNORE INTO actor_parents VALUES (?, ?, ?, ?)",
    "INSERT OR IGNORE INTO place_parents VALUES (?, ?, ?, ?)",
    "INSERT OR IGNORE INTO event_parents VALUES (?, ?, ?, ?)",
    "INSERT INTO event_actors VALUES (?, ?, ?, ?, ?, ?)",
    "INSERT INTO event_places VALUES (?, ?, ?, ?, ?)",
    "INSERT INTO event_tags VALUES (?, ?, ?)",
    "INSERT INTO event_sources VALUES (?, ?, ?, ?, ?, ?, ?)",
    "INSERT INTO event_figures VALUES (?, ?, ?, ?, ?, ?, ?)",
};

static sqlite3 *db;
static sqlite3_stmt *st[S_N];
static long file_id;

static void t(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static void step(sqlite3_stmt *s)
{
    if (sqlite3_step(s) != SQLITE_DONE) {
        fprintf(stderr, "floor: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    sqlite3_reset(s);
}

static void name_row(int k, const char *owner, const node *n, int alias)
{
    sqlite3_stmt *s = st[k];
    t(s, 1, owner);
    t(s, 2, n->s);
    t(s, 3, n->s);
    t(s, 4, n->s);
    sqlite3_bind_int(s, 5, alias);
    sqlite3_bind_int(s, 6, n->line);
    sqlite3_bind_int(s, 7, n->col);
    step(s);
}

/* Rows (owner, [seq,] value, [line, col]) for a scalar or list of scalars. */
static void each(int k, const char *owner, const node *v, int seq, int pos)
{
    if (!v)
        return;
    size_t n = v->kind == 'l' ? v->n : 1;
    for (size_t i = 0; i < n; i++) {
        const node *it = v->kind == 'l' ? v->v[i] : v;
        int c = 1;
        t(st[k], c++, owner);
        if (seq)
            sqlite3_bind_int64(st[k], c++, (sqlite3_int64)i);
        t(st[k], c++, it->s);
        if (pos) {
            sqlite3_bind_int(st[k], c++, it->line);
            sqlite3_bind_int(st[k], c, it->col);
        }
        step(st[k]);
    }
}

static void names(int k, const char *id, const node *rec, const node *idn)
{
    name_row(k, id, idn, 0);
    if (get(rec, "name"))
        name_row(k, id, get(rec, "name"), 0);
    const node *al = get(rec, "aliases");
    for (size_t i = 0; al && i < al->n; i++)
        name_row(k, id, al->v[i], 1);
}

static void record(const char *section, const node *r)
{
    const node *idn = get(r, "id");
    if (!idn)
        return;
    const char *id = idn->s;
    sqlite3_stmt *s;
    if (strcmp(section, "actors") == 0) {
        s = st[S_ACTOR];
        t(s, 1, id), t(s, 2, text(r, "name")), t(s, 3, text(r, "kind"));
        t(s, 4, text(r, "description"));
        sqlite3_bind_int64(s, 5, file_id), sqlite3_bind_int(s, 6, idn->line);
        sqlite3_bind_int(s, 7, idn->col);
        step(s);
        names(S_ANAME, id, r, idn);
        each(S_APARENT, id, get(r, "part_of"), 0, 1);
    } else if (strcmp(section, "places") == 0) {
        s = st[S_PLACE];
        const node *c = get(r, "coords");
        t(s, 1, id), t(s, 2, text(r, "name")), t(s, 3, text(r, "kind"));
        if (c && c->n == 2) {
            sqlite3_bind_double(s, 4, atof(c->v[0]->s));
            sqlite3_bind_double(s, 5, atof(c->v[1]->s));
        } else {
            sqlite3_bind_null(s, 4), sqlite3_bind_null(s, 5);
        }
        sqlite3_bind_int64(s, 6, file_id), sqlite3_bind_int(s, 7, idn->line);
        sqlite3_bind_int(s, 8, idn->col);
        step(s);
        names(S_PNAME, id, r, idn);
        each(S_PPARENT, id, get(r, "within"), 0, 1);
    } else if (strcmp(section, "sources") == 0) {
        static const char *const keys[] = {"title", "publisher", "author", "published",
                                           "accessed", "url", "notes"};
        s = st[S_SOURCE];
        t(s, 1, id);
        for (int i = 0; i < 7; i++)
            t(s, i + 2, text(r, keys[i]));
        sqlite3_bind_int64(s, 9, file_id), sqlite3_bind_int(s, 10, idn->line);
        sqlite3_bind_int(s, 11, idn->col);
        step(s);
    } else if (strcmp(section, "events") == 0) {
        s = st[S_EVENT];
        t(s, 1, id), t(s, 2, text(r, "date")), t(s, 3, text(r, "title"));
        t(s, 4, text(r, "summary")), t(s, 5, text(r, "type")), t(s, 6, text(r, "notes"));
        sqlite3_bind_int64(s, 7, file_id), sqlite3_bind_int(s, 8, idn->line);
        sqlite3_bind_int(s, 9, idn->col);
        step(s);
        const node *a = get(r, "actors");
        for (size_t i = 0; a && i < a->n; i++) {
            const node *it = a->v[i], *ref = it->kind == 's' ? it : get(it, "id");
            s = st[S_EACTOR];
            t(s, 1, id), sqlite3_bind_int64(s, 2, (sqlite3_int64)i), t(s, 3, ref->s);
            t(s, 4, it->kind == 'm' ? text(it, "role") : NULL);
            sqlite3_bind_int(s, 5, ref->line), sqlite3_bind_int(s, 6, ref->col);
            step(s);
        }
        const node *so = get(r, "sources");
        for (size_t i = 0; so && i < so->n; i++) {
            const node *it = so->v[i], *ref = it->kind == 's' ? it : get(it, "id");
            s = st[S_ESOURCE];
            t(s, 1, id), sqlite3_bind_int64(s, 2, (sqlite3_int64)i), t(s, 3, ref->s);
            t(s, 4, it->kind == 'm' ? text(it, "quote") : NULL);
            t(s, 5, it->kind == 'm' ? text(it, "locator") : NULL);
            sqlite3_bind_int(s, 6, ref->line), sqlite3_bind_int(s, 7, ref->col);
            step(s);
        }
        const node *fi = get(r, "figures");
        for (size_t i = 0; fi && i < fi->n; i++) {
            const node *it = fi->v[i];
            s = st[S_EFIGURE];
            t(s, 1, id), sqlite3_bind_int64(s, 2, (sqlite3_int64)i), t(s, 3, text(it, "name"));
            sqlite3_bind_double(s, 4, atof(text(it, "value") ? text(it, "value") : "0"));
            const char *lo = text(it, "low"), *hi = text(it, "high");
            lo ? sqlite3_bind_double(s, 5, atof(lo)) : sqlite3_bind_null(s, 5);
            hi ? sqlite3_bind_double(s, 6, atof(hi)) : sqlite3_bind_null(s, 6);
            t(s, 7, text(it, "unit"));
            step(s);
        }
        each(S_EPLACE, id, get(r, "places"), 1, 1);
        each(S_ETAG, id, get(r, "tags"), 1, 0);
        each(S_EPARENT, id, get(r, "part_of"), 0, 1);
    }
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) {
        perror(path);
        exit(1);
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* Parse one file; with insert, map its records to rows. Returns the events parsed. */
static long parse(const char *path, int insert)
{
    size_t len;
    char *buf = slurp(path, &len);
    yaml_parser_t ps;
    yaml_parser_initialize(&ps);
    yaml_parser_set_input_string(&ps, (const unsigned char *)buf, len);
    long events = 0;
    int depth = 0;
    char *section = NULL;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&ps, &ev)) {
            fprintf(stderr, "floor: %s: %s\n", path, ps.problem);
            exit(1);
        }
        events++;
        yaml_event_type_t type = ev.type;
        if (!insert) {
            yaml_event_delete(&ev);
            if (type == YAML_STREAM_END_EVENT)
                break;
            continue;
        }
        /* depth 1: document mapping; 2: a section's list; 3: records. */
        if (type == YAML_MAPPING_START_EVENT && depth == 2) {
            node *r = build(&ps, &ev);
            record(section, r);
            node_free(r);
            continue;
        }
        if (type == YAML_SCALAR_EVENT && depth == 1) {
            free(section);
            section = strdup((const char *)ev.data.scalar.value);
        }
        if (type == YAML_MAPPING_START_EVENT || type == YAML_SEQUENCE_START_EVENT)
            depth++;
        if (type == YAML_MAPPING_END_EVENT || type == YAML_SEQUENCE_END_EVENT)
            depth--;
        yaml_event_delete(&ev);
        if (type == YAML_STREAM_END_EVENT)
            break;
    }
    free(section);
    yaml_parser_delete(&ps);
    free(buf);
    return events;
}

static void exec(const char *q)
{
    char *err = NULL;
    if (sqlite3_exec(db, q, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "floor: %s\n", err);
        exit(1);
    }
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[1], "insert") == 0 && argc < 5)) {
        fputs("usage: annals-floor parse FILE...\n"
              "       annals-floor insert SCHEMA.sql DB FILE...\n", stderr);
        return 2;
    }
    double t0 = now();
    if (strcmp(argv[1], "parse") == 0) {
        long events = 0;
        for (int i = 2; i < argc; i++)
            events += parse(argv[i], 0);
        printf("%.3f\n", now() - t0);
        fprintf(stderr, "%ld libyaml events\n", events);
        return 0;
    }
    size_t len;
    char *schema = slurp(argv[2], &len);
    remove(argv[3]);
    if (sqlite3_open(argv[3], &db) != SQLITE_OK)
        return 1;
    exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768");
    exec(schema);
    free(schema);
    /* Same strategy as annals: rows first, then the secondary indexes. */
    sqlite3_stmt *q;
    sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql "
                           "IS NOT NULL", -1, &q, NULL);
    char *create[64];
    int ncreate = 0;
    while (sqlite3_step(q) == SQLITE_ROW && ncreate < 64)
        create[ncreate++] = strdup((const char *)sqlite3_column_text(q, 1));
    sqlite3_finalize(q);
    exec("BEGIN");
    for (int i = 0; i < ncreate; i++) {
        char drop[256];
        const char *name = create[i] + strlen("CREATE INDEX ");
        snprintf(drop, sizeof(drop), "DROP INDEX %.*s", (int)strcspn(name, " "), name);
        exec(drop);
    }
    for (int i = 0; i < S_N; i++)
        if (sqlite3_prepare_v2(db, sql[i], -1, &st[i], NULL) != SQLITE_OK) {
            fprintf(stderr, "floor: %s: %s\n", sql[i], sqlite3_errmsg(db));
            return 1;
        }
    for (int i = 4; i < argc; i++) {
        file_id = i - 3;
        sqlite3_bind_int64(st[S_FILE], 1, file_id);
        t(st[S_FILE], 2, argv[i]);
        step(st[S_FILE]);
        parse(argv[i], 1);
    }
    for (int i = 0; i < S_N; i++)
        sqlite3_finalize(st[i]);
    for (int i = 0; i < ncreate; i++) {
        exec(create[i]);
        free(create[i]);
    }
    exec("INSERT INTO events_fts(events_fts) VALUES('rebuild'); COMMIT");
    sqlite3_close(db);
    printf("%.3f\n", now() - t0);
    return 0;
}
