/* serve_api.c - `annals serve`'s answers: the page's assets and the JSON API, built on the query, the renderers and the listings. */
/* realpath() is X/Open, beyond the POSIX base the build asks for. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/detail.h"
#include "annals/edtf.h"
#include "annals/listing.h"
#include "annals/names.h"
#include "annals/query.h"
#include "annals/render.h"
#include "annals/serve.h"
#include "annals/util.h"

/* Lanes of the density strips: the busiest first actors, the rest in "other". */
#define DENSITY_LANES 24
#define DENSITY_MAX_BINS 2000

/* ---- Bodies written to memory ------------------------------------------------ */

typedef struct {
    FILE *f;
    char *buf;
    size_t len;
} membuf;

static int mem_open(membuf *m)
{
    m->buf = NULL;
    m->len = 0;
    m->f = open_memstream(&m->buf, &m->len);
    return m->f ? 0 : -1;
}

/* Close m and hand its text to rep as JSON with status. -1 when out of memory. */
static int mem_reply(membuf *m, http_reply *rep, unsigned status)
{
    bool bad = ferror(m->f) != 0;
    if (fclose(m->f) != 0 || bad) {
        free(m->buf);
        return -1;
    }
    rep->status = status;
    rep->type = "application/json; charset=utf-8";
    rep->body = m->buf;
    rep->len = m->len;
    return 0;
}

static void mem_discard(membuf *m)
{
    fclose(m->f);
    free(m->buf);
}

/* ---- Parameters -------------------------------------------------------------- */

/* Which parameters a route takes (the others take none: route_api checks). */
enum { P_FILTERS = 1, P_PAGING = 2, P_BINS = 4 };

typedef struct {
    query_filter f;
    long bins;
} params;

static const char *const filter_names[] = {"actor", "role", "region", "from", "to", "type",
                                           "tag", "text", "source", NULL};

static int parse_count(const char *s, long min, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min)
        return -1;
    *out = v;
    return 0;
}

/*
 * Read req's parameters into p, as `annals report` reads its options (a
 * repeated one: the last counts; an empty one does not filter). Returns
 * 0, or 400 (the reply is made) or -1 (out of memory).
 */
static int read_params(const http_request *req, unsigned takes, params *p, http_reply *rep)
{
    memset(p, 0, sizeof(*p));
    for (size_t i = 0; i < req->nparams; i++) {
        const char *k = req->params[i].key, *v = req->params[i].value;
        char msg[256];
        const char **slot = NULL;
        query_filter *f = &p->f;
        if (takes & P_FILTERS) {
            const char **slots[] = {&f->actor, &f->role, &f->region, &f->from, &f->to,
                                    &f->type, &f->tag, &f->text, &f->source};
            for (size_t j = 0; filter_names[j]; j++)
                if (strcmp(k, filter_names[j]) == 0)
                    slot = slots[j];
        }
        if (slot) {
            *slot = *v ? v : NULL;
        } else if ((takes & P_PAGING) && strcmp(k, "limit") == 0) {
            if (parse_count(v, 1, &f->limit) != 0) {
                snprintf(msg, sizeof(msg), "--limit needs a positive whole number, not '%.100s'",
                         v);
                return http_reply_error(rep, 400, msg) ? -1 : 400;
            }
            if (f->limit > SERVE_MAX_LIMIT) {
                snprintf(msg, sizeof(msg), "limit %ld is too large: at most %d events a page",
                         f->limit, SERVE_MAX_LIMIT);
                return http_reply_error(rep, 400, msg) ? -1 : 400;
            }
        } else if ((takes & P_PAGING) && strcmp(k, "offset") == 0) {
            if (parse_count(v, 0, &f->offset) != 0) {
                snprintf(msg, sizeof(msg), "offset needs a whole number, not '%.100s'", v);
                return http_reply_error(rep, 400, msg) ? -1 : 400;
            }
        } else if ((takes & P_BINS) && strcmp(k, "bins") == 0) {
            if (parse_count(v, 1, &p->bins) != 0 || p->bins > DENSITY_MAX_BINS) {
                snprintf(msg, sizeof(msg), "bins needs a whole number from 1 to %d, not '%.100s'",
                         DENSITY_MAX_BINS, v);
                return http_reply_error(rep, 400, msg) ? -1 : 400;
            }
        } else {
            const char *names[16];
            size_t n = 0;
            for (size_t j = 0; (takes & P_FILTERS) && filter_names[j]; j++)
                names[n++] = filter_names[j];
            if (takes & P_PAGING) {
                names[n++] = "limit";
                names[n++] = "offset";
            }
            if (takes & P_BINS)
                names[n++] = "bins";
            names[n] = NULL;
            const char *best = names_closest_in(k, names);
            snprintf(msg, sizeof(msg), "unknown parameter '%.100s'%s%.60s%s", k,
                     best ? " (did you mean '" : "", best ? best : "", best ? "'?)" : "");
            return http_reply_error(rep, 400, msg) ? -1 : 400;
        }
    }
    if ((takes & P_PAGING) && !p->f.limit)
        p->f.limit = SERVE_DEFAULT_LIMIT;
    return 0;
}

/*
 * Open a cursor for f; a wrong filter is a 400 with the message the
 * command line gives, a failure a 500. Returns 0 with *cur, else the
 * status (the reply is made) or -1 (out of memory).
 */
static int open_query(sqlite3 *db, const query_filter *f, query_cursor **cur, http_reply *rep)
{
    char *err = NULL;
    int rc = query_open(db, f, cur, &err);
    if (rc == 0)
        return 0;
    unsigned status = rc == QUERY_EFILTER ? 400 : 500;
    rc = http_reply_error(rep, status, err ? err : "the query failed");
    free(err);
    return rc ? -1 : (int)status;
}

/*
 * Read req's parameters (those takes allows) into p and open a cursor for
 * its filter. Returns 0 with *cur (the caller closes it), 1 when the reply
 * is made (a bad parameter or filter: 400; a failure: 500), or -1 when out
 * of memory.
 */
static int open_request(sqlite3 *db, const http_request *req, unsigned takes, params *p,
                        query_cursor **cur, http_reply *rep)
{
    int rc = read_params(req, takes, p, rep);
    if (rc == 0)
        rc = open_query(db, &p->f, cur, rep);
    return rc < 0 ? -1 : rc > 0 ? 1 : 0;
}

static int fail(http_reply *rep, char *err)
{
    int rc = http_reply_error(rep, 500, err ? err : "the query failed");
    free(err);
    return rc;
}

/* What the events that match a filter span. */
typedef struct {
    long count;
    int64_t lo, hi;            /* min lower, max upper (0 when none) */
    bool has_first;
    int64_t first, last;       /* the earliest and latest start that is not open */
} extent;

/* One event that matches a filter: its rowid and bounds. */
typedef struct {
    int64_t rowid, lower, upper;
} match;

/* Add m to x. */
static void extent_add(extent *x, const match *m)
{
    if (!x->count++ || m->lower < x->lo)
        x->lo = m->lower;
    if (x->count == 1 || m->upper > x->hi)
        x->hi = m->upper;
    if (m->lower != EDTF_MIN) {
        if (!x->has_first || m->lower < x->first)
            x->first = m->lower;
        if (!x->has_first || m->lower > x->last)
            x->last = m->lower;
        x->has_first = true;
    }
}

static void add_to_extent(void *ctx, const match *m)
{
    extent_add(ctx, m);
}

/* ---- /api/events ------------------------------------------------------------- */

/* What an answer is computed with: the database at one state (generation). */
typedef struct {
    serve_state *st;
    unsigned long gen;
    sqlite3 *db;
} api_ctx;

/*
 * Call fn for every event that matches cur's filter (limit and offset
 * aside), in no given order. A filter that is a date range at most is
 * matched against the events' bounds (read once per database state),
 * without SQL; any other with one statement. 0, or -1 with *err.
 */
static int each_match(const api_ctx *a, query_cursor *cur,
                      void (*fn)(void *ctx, const match *m), void *ctx, char **err)
{
    int64_t from, to;
    if (query_dates_only(cur, &from, &to)) {
        serve_snapshot *ref;
        const serve_bounds *b = serve_snapshot_take(a->st, &a->st->bounds, a->gen, a->db, &ref, err);
        if (!b)
            return -1;
        size_t n = serve_bounds_rows(b);
        for (size_t r = 0; r < n; r++) {
            match m = {.rowid = (int64_t)r};
            if (serve_bounds_of(b, m.rowid, &m.lower, &m.upper) && m.upper >= from && m.lower <= to)
                fn(ctx, &m);
        }
        serve_snapshot_release(a->st, ref);
        return 0;
    }
    sqlite3_stmt *st;
    if (query_prepare_over(cur, "SELECT rid, lower, upper FROM matched", &st, err) != 0)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        match m = {sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                   sqlite3_column_int64(st, 2)};
        fn(ctx, &m);
    }
    if (rc != SQLITE_DONE)
        *err = str_printf("%s", sqlite3_errmsg(a->db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * The key of an answer in the cache: its path and parameters, as asked,
 * without those named in skip (NULL-terminated). NULL when out of memory.
 */
static char *cache_key(const char *path, const http_request *req, const char *const *skip)
{
    strbuf b = STRBUF_INIT;
    strbuf_add(&b, path);
    for (size_t i = 0; i < req->nparams; i++) {
        bool skipped = false;
        for (size_t j = 0; skip && skip[j]; j++)
            skipped |= strcmp(req->params[i].key, skip[j]) == 0;
        if (!skipped)
            strbuf_addf(&b, "%c%s=%s", i ? '&' : '?', req->params[i].key, req->params[i].value);
    }
    return strbuf_detach(&b);
}

/*
 * The number of events that match cur's filter, kept per database state:
 * paging through a list counts once. 0, or -1 with *err.
 */
static int cached_total(const api_ctx *a, const http_request *req, query_cursor *cur,
                        long *total, char **err)
{
    static const char *const paging[] = {"limit", "offset", NULL};
    char *key = cache_key("total", req, paging), *body = NULL;
    size_t len;
    int rc = key ? serve_cache_take(a->st->cache, a->gen, key, &body, &len) : -1;
    if (rc < 0) {
        free(key);
        *err = str_printf("out of memory");
        return -1;
    }
    if (rc == 1) {
        *total = strtol(body, NULL, 10);
        free(body);
        free(key);
        return 0;
    }
    extent x = {0};
    rc = each_match(a, cur, add_to_extent, &x, err);
    *total = x.count;
    char text[32];
    int n = snprintf(text, sizeof(text), "%ld", *total);
    if (rc == 0)
        serve_cache_put(a->st->cache, a->gen, key, text, (size_t)n + 1);
    else
        serve_cache_drop(a->st->cache, a->gen, key);
    free(key);
    return rc;
}

/*
 * The document of `annals report --format json` with the same filters,
 * with "total" (every matching event), "offset" and "limit" added first.
 */
static int api_events(const api_ctx *a, const http_request *req, http_reply *rep)
{
    params p;
    query_cursor *cur;
    int rc = open_request(a->db, req, P_FILTERS | P_PAGING, &p, &cur, rep);
    if (rc)
        return rc < 0 ? -1 : 0;
    char *err = NULL;
    long total;
    if (cached_total(a, req, cur, &total, &err) != 0) {
        query_close(cur);
        return fail(rep, err);
    }
    membuf doc;
    if (mem_open(&doc) != 0) {
        query_close(cur);
        return -1;
    }
    render_options ro = {.out = doc.f};
    rc = render_json(cur, &ro, &err);
    query_close(cur);
    if (rc != 0) {
        mem_discard(&doc);
        return fail(rep, err);
    }
    if (fflush(doc.f) != 0 || !doc.buf || doc.buf[0] != '{') {
        mem_discard(&doc);
        return fail(rep, str_printf("the JSON renderer wrote no object"));
    }
    membuf out;
    if (mem_open(&out) != 0) {
        mem_discard(&doc);
        return -1;
    }
    fprintf(out.f, "{\"total\": %ld, \"offset\": %ld, \"limit\": %ld, ", total, p.f.offset,
            p.f.limit);
    fwrite(doc.buf + 1, 1, doc.len - 1, out.f);
    mem_discard(&doc);
    return mem_reply(&out, rep, 200);
}

/* ---- /api/events/ID ------------------------------------------------------------ */

/* Append s to f with every byte outside unreserved characters and '/' percent-encoded. */
static void url_encode_path(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p))
            putc(*p, f);
        else
            fprintf(f, "%%%02X", *p);
    }
}

/* The --editor template with {path} (absolute, percent-encoded) and {line} filled in. */
static char *editor_link(const char *tmpl, const char *file, int line)
{
    membuf m;
    if (mem_open(&m) != 0)
        return NULL;
    char *abs = realpath(file, NULL);
    for (const char *p = tmpl; *p; p++) {
        if (strncmp(p, "{path}", 6) == 0) {
            url_encode_path(m.f, abs ? abs : file);
            p += 5;
        } else if (strncmp(p, "{line}", 6) == 0) {
            fprintf(m.f, "%d", line);
            p += 5;
        } else {
            putc(*p, m.f);
        }
    }
    free(abs);
    if (fclose(m.f) != 0) {
        free(m.buf);
        return NULL;
    }
    return m.buf;
}

static json_t *json_text(const char *s)
{
    return s ? json_string(s) : json_null();
}

/*
 * What `annals show` shows of an event: the event as `report --format
 * json` writes it, with its notes, where it is defined (file, line, and
 * the --editor link), and the events part of it.
 */
static int api_event(serve_state *st, sqlite3 *db, const char *id, http_reply *rep)
{
    query_filter f = {.event = id};
    query_cursor *cur;
    int rc = open_query(db, &f, &cur, rep);
    if (rc)
        return rc < 0 ? -1 : 0;
    char *err = NULL;
    const report_event *ev;
    rc = query_next(cur, &ev, &err);
    if (rc < 0) {
        query_close(cur);
        return fail(rep, err);
    }
    if (rc == 0) {
        query_close(cur);
        char *hint = detail_hint(db, id);
        char *msg = str_printf("no event has the id '%s'%s%s%s", id, hint ? " (" : "",
                               hint ? hint : "", hint ? ")" : "");
        free(hint);
        if (!msg)
            return -1;
        rc = http_reply_error(rep, 404, msg);
        free(msg);
        return rc;
    }
    json_t *o = json_object();
    json_object_set_new(o, "notes", json_text(ev->notes));
    json_object_set_new(o, "file", json_text(ev->file));
    json_object_set_new(o, "line", json_integer(ev->line));
    char *link = st->editor && ev->file ? editor_link(st->editor, ev->file, ev->line) : NULL;
    json_object_set_new(o, "editor", json_text(link));
    free(link);
    /* The event as the JSON report writes it. */
    membuf doc;
    if (mem_open(&doc) != 0) {
        query_close(cur);
        json_decref(o);
        return -1;
    }
    query_rewind(cur, &err);
    render_options ro = {.out = doc.f};
    rc = render_json(cur, &ro, &err);
    query_close(cur);
    if (rc != 0 || fclose(doc.f) != 0) {
        free(doc.buf);
        json_decref(o);
        return fail(rep, err);
    }
    json_t *whole = json_loadb(doc.buf, doc.len, 0, NULL);
    free(doc.buf);
    json_t *events = json_object_get(whole, "events");
    json_object_set(o, "event", json_array_get(events, 0));
    json_decref(whole);
    /* Its parts, in chronological order. */
    json_t *parts = json_array();
    query_filter pf = {.part_of = id};
    if ((rc = open_query(db, &pf, &cur, rep)) != 0) {
        json_decref(o);
        json_decref(parts);
        return rc < 0 ? -1 : 0;
    }
    query_skip_links(cur, true);
    while ((rc = query_next(cur, &ev, &err)) == 1) {
        char when[256];
        edtf_humanize(&ev->when, when, sizeof(when));
        json_t *e = json_object();
        json_object_set_new(e, "id", json_string(ev->id));
        json_object_set_new(e, "date", json_string(ev->date));
        json_object_set_new(e, "when", json_string(when));
        json_object_set_new(e, "title", json_string(ev->title));
        json_array_append_new(parts, e);
    }
    query_close(cur);
    json_object_set_new(o, "parts", parts);
    if (rc < 0) {
        json_decref(o);
        return fail(rep, err);
    }
    char *text = json_dumps(o, JSON_INDENT(1) | JSON_REAL_PRECISION(15));
    json_decref(o);
    if (!text)
        return -1;
    rep->status = 200;
    rep->type = "application/json; charset=utf-8";
    rep->body = text;
    rep->len = strlen(text);
    return 0;
}

/* ", "key": seconds" or null. */
static void write_bound(FILE *out, const char *key, int64_t v, bool present)
{
    if (present)
        fprintf(out, ", \"%s\": %" PRId64, key, v);
    else
        fprintf(out, ", \"%s\": null", key);
}

/*
 * "{"total": N, "start", "end" (the extent of the matching events; null:
 * none, or an open end), "first", "last" (the earliest and latest start
 * that is not open), "filter_from", "filter_to" (the filter's own bounds)
 * opening the answers of /api/facets and /api/extent.
 */
static void write_extent(const extent *x, const params *p, FILE *out)
{
    fprintf(out, "{\"total\": %ld", x->count);
    write_bound(out, "start", x->lo, x->count && x->lo != EDTF_MIN);
    write_bound(out, "end", x->hi, x->count && x->hi != EDTF_MAX);
    write_bound(out, "first", x->first, x->has_first);
    write_bound(out, "last", x->last, x->has_first);
    edtf_date d;
    char msg[160];
    bool has_from = p->f.from && edtf_parse(p->f.from, strlen(p->f.from), false, &d, msg,
                                            sizeof(msg), NULL) == 0;
    write_bound(out, "filter_from", has_from ? d.lower : 0, has_from);
    bool has_to = p->f.to && edtf_parse(p->f.to, strlen(p->f.to), false, &d, msg, sizeof(msg),
                                        NULL) == 0;
    write_bound(out, "filter_to", has_to ? d.upper : 0, has_to);
}

/* ---- /api/facets --------------------------------------------------------------- */

/*
 * Counts of the matching events per actor (place): "count" for the events
 * that name the record itself, "count_all" for those that name it or any
 * record part of (within) it, as the filter by it finds them. Each event
 * is counted once per record however many of its links lead there.
 */
typedef struct {
    const char *key;         /* "actors" */
    const char *records;     /* (id, name) in id order */
    const char *parents;     /* (child id, parent id) */
    serve_link_kind links;   /* the events' links to them */
} tree_facet;

static const tree_facet tree_facets[] = {
    {"actors", "SELECT id, name FROM actors ORDER BY id",
     "SELECT actor_id, parent_id FROM actor_parents", SERVE_LINK_ACTORS},
    {"places", "SELECT id, name FROM places ORDER BY id",
     "SELECT place_id, parent_id FROM place_parents", SERVE_LINK_PLACES},
};
#define NTREES (sizeof(tree_facets) / sizeof(tree_facets[0]))

typedef struct {
    str_index ids;             /* record id -> number, numbered in id order */
    char **names;              /* by number */
    size_t *first, *next;      /* parents of r: edges first[r], next[edge] ... (SIZE_MAX ends) */
    size_t *parent;            /* the parent of each edge */
    size_t nedges, cap;
    long long *direct, *all;
    unsigned long *seen_direct, *seen_all;   /* the event a record was last counted for */
    size_t *stack;
} tree_counts;

static void tree_free(tree_counts *t)
{
    for (size_t i = 0; t->names && i < t->ids.n; i++)
        free(t->names[i]);
    free(t->names);
    str_index_free(&t->ids);
    free(t->first);
    free(t->next);
    free(t->parent);
    free(t->direct);
    free(t->all);
    free(t->seen_direct);
    free(t->seen_all);
    free(t->stack);
}

/* Count record r and every record above it for event ev (a number that changes per event). */
static void tree_count(tree_counts *t, size_t r, unsigned long ev)
{
    if (t->seen_direct[r] != ev) {
        t->seen_direct[r] = ev;
        t->direct[r]++;
    }
    size_t top = 0;
    t->stack[top++] = r;
    while (top) {
        size_t x = t->stack[--top];
        if (t->seen_all[x] == ev)
            continue;
        t->seen_all[x] = ev;
        t->all[x]++;
        for (size_t e = t->first[x]; e != SIZE_MAX; e = t->next[e])
            if (t->seen_all[t->parent[e]] != ev && top <= t->ids.n)
                t->stack[top++] = t->parent[e];
    }
}

static int step_error(sqlite3_stmt *st, char **err)
{
    *err = str_printf("%s", sqlite3_errmsg(sqlite3_db_handle(st)));
    sqlite3_finalize(st);
    return -1;
}

/* The records and their hierarchy into t. Returns 0, or -1 with *err. */
static int tree_load(sqlite3 *db, const tree_facet *k, tree_counts *t, char **err)
{
    sqlite3_stmt *st;
    if (db_prepare(db, k->records, &st, err) != 0)
        return -1;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        size_t n = t->ids.n;
        char *copy = NULL;
        if (!id)
            continue;
        if (array_grow(&t->names, &cap, n, sizeof(*t->names), 64) != 0 ||
            !(copy = strdup(name ? name : id))) {
            sqlite3_finalize(st);
            *err = str_printf("out of memory");
            return -1;
        }
        if (str_index_get(&t->ids, id, true) != n) {
            free(copy);     /* out of memory, or an id twice: counted under the first */
            continue;
        }
        t->names[n] = copy;
    }
    if (rc != SQLITE_DONE)
        return step_error(st, err);
    sqlite3_finalize(st);
    size_t n = t->ids.n + 1;
    t->first = malloc(n * sizeof(size_t));
    t->direct = calloc(n, sizeof(long long));
    t->all = calloc(n, sizeof(long long));
    t->seen_direct = calloc(n, sizeof(unsigned long));
    t->seen_all = calloc(n, sizeof(unsigned long));
    t->stack = malloc((n + 1) * sizeof(size_t));
    if (!t->first || !t->direct || !t->all || !t->seen_direct || !t->seen_all || !t->stack) {
        *err = str_printf("out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        t->first[i] = SIZE_MAX;
    if (db_prepare(db, k->parents, &st, err) != 0)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t c = str_index_get(&t->ids, (const char *)sqlite3_column_text(st, 0), false);
        size_t p = str_index_get(&t->ids, (const char *)sqlite3_column_text(st, 1), false);
        if (c == SIZE_MAX || p == SIZE_MAX)
            continue;
        size_t cap_next = t->cap;
        if (array_grow(&t->next, &cap_next, t->nedges, sizeof(size_t), 64) != 0 ||
            array_grow(&t->parent, &t->cap, t->nedges, sizeof(size_t), 64) != 0) {
            sqlite3_finalize(st);
            *err = str_printf("out of memory");
            return -1;
        }
        t->parent[t->nedges] = p;
        t->next[t->nedges] = t->first[c];
        t->first[c] = t->nedges++;
    }
    if (rc != SQLITE_DONE)
        return step_error(st, err);
    sqlite3_finalize(st);
    return 0;
}

/*
 * "key": [{"id", "name", "count", "count_all", "parents"}] for the records
 * some matching event reaches, in id order; parents are the ids the record
 * is part of (within), so a page can draw the hierarchy.
 */
static void write_tree_facet(const tree_facet *k, const tree_counts *t, FILE *out)
{
    fprintf(out, ",\n\"%s\": [", k->key);
    int n = 0;
    for (size_t r = 0; r < t->ids.n; r++) {
        if (!t->all[r])
            continue;
        fputs(n++ ? ",\n  {\"id\": " : "\n  {\"id\": ", out);
        render_json_string(out, t->ids.keys[r]);
        fputs(", \"name\": ", out);
        render_json_string(out, t->names[r]);
        fprintf(out, ", \"count\": %lld, \"count_all\": %lld, \"parents\": [", t->direct[r],
                t->all[r]);
        for (size_t e = t->first[r]; e != SIZE_MAX; e = t->next[e]) {
            render_json_string(out, t->ids.keys[t->parent[e]]);
            if (t->next[e] != SIZE_MAX)
                putc(',', out);
        }
        fputs("]}", out);
    }
    fputs("]", out);
}

/* Step st (SELECT rid[, lower] FROM matched) calling fn on each row. 0, or -1 with *err. */
/*
 * One pass over the matching events' rowids: each event's links come
 * from serve_links (read once per database state), counted in arrays
 * by value, so the answer's memory is that of the vocabularies.
 */
typedef struct {
    const serve_links *x;
    tree_counts tree[NTREES];
    size_t *record[NTREES];                  /* link value -> record number in tree, or SIZE_MAX */
    long long *count[SERVE_LINK_KINDS];      /* tags, sources, types: events (tags: links) by value */
    long long *years;                        /* by year number */
    unsigned long ev;                        /* events counted so far */
    extent span;                             /* of the matching events */
    bool by_role;                            /* the filter names a role: */
    uint32_t role;                           /* an actor counts where it has this one */
} facet_pass;

static void count_facets(void *ctx, const match *m)
{
    facet_pass *f = ctx;
    extent_add(&f->span, m);
    serve_event_links e;
    if (!serve_links_event(f->x, m->rowid, &e))
        return;
    f->ev++;
    for (size_t k = 0; k < NTREES; k++) {
        serve_link_kind kind = tree_facets[k].links;
        for (size_t i = 0; i < e.n[kind]; i++) {
            /* What a click on the actor shows: the events where it has the role. */
            if (f->by_role && kind == SERVE_LINK_ACTORS && e.actor_roles[i] != f->role)
                continue;
            size_t r = f->record[k][e.of[kind][i]];
            if (r != SIZE_MAX)
                tree_count(&f->tree[k], r, f->ev);
        }
    }
    for (int kind = SERVE_LINK_TAGS; kind < SERVE_LINK_KINDS; kind++)
        for (size_t i = 0; i < e.n[kind]; i++)
            f->count[kind][e.of[kind][i]]++;
    if (e.year != SERVE_LINKS_NONE)
        f->years[e.year]++;
}

static void facet_pass_free(facet_pass *f)
{
    for (size_t k = 0; k < NTREES; k++) {
        tree_free(&f->tree[k]);
        free(f->record[k]);
    }
    for (int kind = 0; kind < SERVE_LINK_KINDS; kind++)
        free(f->count[kind]);
    free(f->years);
}

/* The records, their hierarchy and the counters, zero. 0, or -1 with *err. */
static int facet_pass_init(facet_pass *f, sqlite3 *db, char **err)
{
    for (size_t k = 0; k < NTREES; k++) {
        serve_link_kind kind = tree_facets[k].links;
        size_t n = serve_links_values(f->x, kind);
        if (tree_load(db, &tree_facets[k], &f->tree[k], err) != 0)
            return -1;
        if (!(f->record[k] = malloc((n ? n : 1) * sizeof(size_t)))) {
            *err = str_printf("out of memory");
            return -1;
        }
        for (size_t v = 0; v < n; v++)
            f->record[k][v] = str_index_get(&f->tree[k].ids, serve_links_id(f->x, kind, (uint32_t)v),
                                            false);
    }
    for (int kind = SERVE_LINK_TAGS; kind < SERVE_LINK_KINDS; kind++)
        if (!(f->count[kind] = calloc(serve_links_values(f->x, kind) + 1, sizeof(long long)))) {
            *err = str_printf("out of memory");
            return -1;
        }
    if (!(f->years = calloc(serve_links_years(f->x) + 1, sizeof(long long)))) {
        *err = str_printf("out of memory");
        return -1;
    }
    return 0;
}

/*
 * One facet: "key": [{"id", "name" (named: the title of a source), "count"}]
 * for the values some matching event has, in id order. The titles come in
 * the same order from one statement (one read, not one per source).
 */
static int write_facet(sqlite3 *db, const facet_pass *f, serve_link_kind kind, const char *key,
                       FILE *out, char **err)
{
    sqlite3_stmt *titles = NULL;
    int rc = SQLITE_DONE;
    if (kind == SERVE_LINK_SOURCES) {
        if (db_prepare(db, "SELECT id, title FROM sources ORDER BY id", &titles, err) != 0)
            return -1;
        rc = sqlite3_step(titles);
    }
    fprintf(out, ",\n\"%s\": [", key);
    int n = 0;
    for (size_t i = 0; i < serve_links_values(f->x, kind); i++) {
        uint32_t v = serve_links_sorted(f->x, kind, i);
        const char *id = serve_links_id(f->x, kind, v);
        int cmp = 1;
        while (rc == SQLITE_ROW) {
            const char *titled = (const char *)sqlite3_column_text(titles, 0);
            if ((cmp = strcmp(titled ? titled : "", id)) >= 0)
                break;
            rc = sqlite3_step(titles);
        }
        if (!f->count[kind][v])
            continue;
        fputs(n++ ? ",\n  {\"id\": " : "\n  {\"id\": ", out);
        render_json_string(out, id);
        if (rc == SQLITE_ROW && cmp == 0 && sqlite3_column_type(titles, 1) != SQLITE_NULL) {
            fputs(", \"name\": ", out);
            render_json_string(out, (const char *)sqlite3_column_text(titles, 1));
        }
        fprintf(out, ", \"count\": %lld}", f->count[kind][v]);
    }
    fputs("]", out);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *err = str_printf("%s", sqlite3_errmsg(db));
        sqlite3_finalize(titles);
        return -1;
    }
    sqlite3_finalize(titles);
    return 0;
}

/* "years": [{"year", "count"}] by the year each event starts in (astronomical; open starts left out). */
static void write_years(const facet_pass *f, FILE *out)
{
    fputs(",\n\"years\": [", out);
    int n = 0;
    for (size_t y = 0; y < serve_links_years(f->x); y++)
        if (f->years[y])
            fprintf(out, "%s{\"year\": %" PRId64 ", \"count\": %lld}", n++ ? ", " : "",
                    serve_links_year(f->x, (uint32_t)y), f->years[y]);
    fputs("]", out);
}

/*
 * The extent of the matching events and their counts: actors, places,
 * types, tags, sources, years, from one pass over them.
 */
static int write_counts_facets(const api_ctx *a, query_cursor *cur, const params *p, FILE *out,
                               char **err)
{
    serve_snapshot *ref;
    facet_pass f = {.x = serve_snapshot_take(a->st, &a->st->links, a->gen, a->db, &ref, err)};
    if (!f.x)
        return -1;
    int rc = -1;
    char *role = p->f.role ? text_lower(p->f.role, strlen(p->f.role)) : NULL;
    if (p->f.role && !role) {
        *err = str_printf("out of memory");
        goto done;
    }
    f.by_role = role != NULL;
    f.role = role ? serve_links_role(f.x, role) : SERVE_LINKS_NONE;
    free(role);
    if (facet_pass_init(&f, a->db, err) != 0 || each_match(a, cur, count_facets, &f, err) != 0)
        goto done;
    write_extent(&f.span, p, out);
    for (size_t k = 0; k < NTREES; k++)
        write_tree_facet(&tree_facets[k], &f.tree[k], out);
    if (write_facet(a->db, &f, SERVE_LINK_TYPES, "types", out, err) != 0 ||
        write_facet(a->db, &f, SERVE_LINK_TAGS, "tags", out, err) != 0 ||
        write_facet(a->db, &f, SERVE_LINK_SOURCES, "sources", out, err) != 0)
        goto done;
    write_years(&f, out);
    rc = 0;
done:
    facet_pass_free(&f);
    serve_snapshot_release(a->st, ref);
    return rc;
}

/*
 * /api/facets, or with counts false /api/extent: what the events of a
 * filter span, without the counts (what a page needs first).
 */
static int api_facets(const api_ctx *a, const http_request *req, bool counts, http_reply *rep)
{
    params p;
    query_cursor *cur;
    int rc = open_request(a->db, req, P_FILTERS, &p, &cur, rep);
    if (rc)
        return rc < 0 ? -1 : 0;
    char *err = NULL;
    membuf m;
    if (mem_open(&m) != 0) {
        query_close(cur);
        return -1;
    }
    extent x = {0};
    if (counts)
        rc = write_counts_facets(a, cur, &p, m.f, &err);
    else if ((rc = each_match(a, cur, add_to_extent, &x, &err)) == 0)
        write_extent(&x, &p, m.f);
    query_close(cur);
    if (rc != 0) {
        mem_discard(&m);
        return fail(rep, err);
    }
    fputs("}\n", m.f);
    return mem_reply(&m, rep, 200);
}

/* ---- /api/density ---------------------------------------------------------------- */

/*
 * How many matching events start in each of bins equal slices of
 * [from, to] (events starting earlier count in the first), per lane: the
 * event's first actor, as in the HTML report's timeline. The page draws
 * these strips when too many events are in view to draw one by one. The
 * lanes and bounds come from serve_lanes.c (read once per database state):
 * one pass over the matching events counts each lane and marks the events
 * (a bit per event of the database); a second over the marks, in memory,
 * counts the slices of the busiest lanes. Memory is that of the answer
 * and the marks.
 */
typedef struct {
    uint32_t lane;           /* SERVE_NO_LANE: no actor */
    const char *id;          /* NULL: no actor */
    long long total;
} lane_total;

static int cmp_lane(const void *a, const void *b)
{
    const lane_total *x = a, *y = b;
    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    if (!x->id || !y->id)
        return x->id ? -1 : y->id ? 1 : 0;
    return strcmp(x->id, y->id);
}


typedef struct {
    const serve_lanes *lanes;
    const serve_bounds *bounds;
    uint64_t *marked;        /* a bit by rowid: the event matches */
    size_t none;             /* the index of "no actor" in totals and row */
    long long *totals;       /* by lane, then none */
    int32_t *row;            /* by lane, then none: its row in counts, -1 for "other" */
    long long *counts;       /* rows of bins: the shown lanes, then other */
    int64_t lo, width;
    long bins;
    size_t other;            /* the row of "other" */
} density_pass;

static size_t lane_index(const density_pass *d, int64_t rowid)
{
    uint32_t lane = serve_lanes_of(d->lanes, rowid);
    return lane == SERVE_NO_LANE ? d->none : lane;
}

static void count_lane(void *ctx, const match *m)
{
    density_pass *d = ctx;
    d->totals[lane_index(d, m->rowid)]++;
    if (m->rowid >= 0 && (uint64_t)m->rowid < serve_bounds_rows(d->bounds))
        d->marked[m->rowid / 64] |= UINT64_C(1) << (m->rowid % 64);
}

/* The second pass: every marked event into its lane's slice. */
static void count_bins(density_pass *d)
{
    size_t words = (serve_bounds_rows(d->bounds) + 63) / 64;
    for (size_t w = 0; w < words; w++)
        for (uint64_t bits = d->marked[w]; bits; bits &= bits - 1) {
            int64_t rowid = (int64_t)(w * 64 + (size_t)__builtin_ctzll(bits)), lower, upper;
            if (!serve_bounds_of(d->bounds, rowid, &lower, &upper))
                continue;
            long long bin = lower <= d->lo ? 0 : (long long)((lower - d->lo) / d->width);
            if (bin >= d->bins)
                bin = d->bins - 1;
            int32_t r = d->row[lane_index(d, rowid)];
            d->counts[(size_t)(r < 0 ? d->other : (size_t)r) * (size_t)d->bins + (size_t)bin]++;
        }
}

static void write_counts(FILE *out, const long long *counts, long bins)
{
    fputs(", \"counts\": [", out);
    for (long j = 0; j < bins; j++)
        fprintf(out, j ? ",%lld" : "%lld", counts[j]);
    fputs("]}", out);
}

/* The answer, once d is counted: the shown lanes (order[0 .. shown-1], named ones) then other. */
static int write_density(sqlite3 *db, const density_pass *d, const lane_total *order,
                         size_t shown, bool any_other, int64_t hi, FILE *out, char **err)
{
    sqlite3_stmt *name_st;
    if (db_prepare(db, "SELECT name FROM actors WHERE id = ?", &name_st, err) != 0)
        return -1;
    fprintf(out, "{\"from\": %" PRId64 ", \"to\": %" PRId64 ", \"bins\": %ld, \"lanes\": [",
            d->lo, hi, d->bins);
    size_t written = 0;
    for (size_t i = 0; i < shown; i++) {
        if (!order[i].id)
            continue;
        fputs(written++ ? ",\n  {\"id\": " : "\n  {\"id\": ", out);
        render_json_string(out, order[i].id);
        sqlite3_bind_text(name_st, 1, order[i].id, -1, SQLITE_STATIC);
        int rc = sqlite3_step(name_st);
        if (rc == SQLITE_ROW) {
            fputs(", \"name\": ", out);
            render_json_string(out, (const char *)sqlite3_column_text(name_st, 0));
        } else if (rc != SQLITE_DONE) {        /* interrupted (the server stops), or failed */
            *err = db_error(db, NULL);
            sqlite3_finalize(name_st);
            return -1;
        }
        sqlite3_reset(name_st);
        write_counts(out, d->counts + (size_t)d->row[order[i].lane == SERVE_NO_LANE
                                                         ? d->none : order[i].lane] *
                                          (size_t)d->bins, d->bins);
    }
    if (any_other) {
        fputs(written ? ",\n  {\"id\": null" : "\n  {\"id\": null", out);
        write_counts(out, d->counts + d->other * (size_t)d->bins, d->bins);
    }
    fputs("]}\n", out);
    sqlite3_finalize(name_st);
    return 0;
}

static int api_density(const api_ctx *a, const http_request *req, http_reply *rep)
{
    params p;
    query_cursor *cur;
    int rc = open_request(a->db, req, P_FILTERS | P_BINS, &p, &cur, rep);
    if (rc)
        return rc < 0 ? -1 : 0;
    if (!p.f.from || !p.f.to || !p.bins) {
        query_close(cur);
        return http_reply_error(rep, 400, "density needs from, to and bins");
    }
    edtf_date from, to;
    char msg[160];
    edtf_parse(p.f.from, strlen(p.f.from), false, &from, msg, sizeof(msg), NULL);
    edtf_parse(p.f.to, strlen(p.f.to), false, &to, msg, sizeof(msg), NULL);
    /* Valid: query_open checked them. */
    density_pass d = {.lo = from.lower, .bins = p.bins,
                      .width = (to.upper - from.lower) / p.bins + 1};
    char *err = NULL;
    serve_snapshot *lanes_ref, *bounds_ref = NULL;
    const serve_lanes *lanes = serve_snapshot_take(a->st, &a->st->lanes, a->gen, a->db, &lanes_ref,
                                                   &err);
    lane_total *order = NULL;
    membuf m = {0};
    bool oom = false;
    if (!lanes || !(d.bounds = serve_snapshot_take(a->st, &a->st->bounds, a->gen, a->db,
                                                   &bounds_ref, &err)))
        goto done;
    d.lanes = lanes;
    d.none = serve_lanes_count(lanes);
    d.totals = calloc(d.none + 1, sizeof(long long));
    d.row = malloc((d.none + 1) * sizeof(int32_t));
    d.marked = calloc((serve_bounds_rows(d.bounds) + 63) / 64 + 1, sizeof(uint64_t));
    if ((oom = !d.totals || !d.row || !d.marked) || each_match(a, cur, count_lane, &d, &err) != 0)
        goto done;
    /* The busiest lanes first; the first DENSITY_LANES named ones are shown, the rest is "other". */
    size_t n = 0;
    for (size_t i = 0; i <= d.none; i++)
        n += d.totals[i] != 0;
    if ((oom = !(order = malloc((n ? n : 1) * sizeof(*order)))))
        goto done;
    n = 0;
    for (size_t i = 0; i <= d.none; i++) {
        d.row[i] = -1;
        if (d.totals[i])
            order[n++] = (lane_total){i == d.none ? SERVE_NO_LANE : (uint32_t)i,
                                      i == d.none ? NULL : serve_lanes_id(lanes, (uint32_t)i),
                                      d.totals[i]};
    }
    qsort(order, n, sizeof(*order), cmp_lane);
    size_t shown = n < DENSITY_LANES ? n : DENSITY_LANES, rows = 0;
    for (size_t i = 0; i < shown; i++)
        if (order[i].id)
            d.row[order[i].lane] = (int32_t)rows++;
    d.other = rows;
    bool any_other = rows < n;
    if ((oom = !(d.counts = calloc((rows + 1) * (size_t)p.bins, sizeof(long long)))))
        goto done;
    count_bins(&d);
    if ((oom = mem_open(&m) != 0))
        goto done;
    if (write_density(a->db, &d, order, shown, any_other, to.upper, m.f, &err) != 0) {
        mem_discard(&m);
        m.f = NULL;
    }
done:
    query_close(cur);
    serve_snapshot_release(a->st, lanes_ref);
    serve_snapshot_release(a->st, bounds_ref);
    free(d.marked);
    free(d.totals);
    free(d.row);
    free(d.counts);
    free(order);
    if (oom) {
        free(err);
        return -1;
    }
    if (!m.f)
        return fail(rep, err);
    return mem_reply(&m, rep, 200);
}

/* ---- /api/actors, /api/places, /api/sources ------------------------------------ */

/* What `annals actors|places|sources --format json` writes. */
static int api_listing(sqlite3 *db, listing_kind kind, http_reply *rep)
{
    membuf m;
    if (mem_open(&m) != 0)
        return -1;
    char *err = NULL;
    if (listing_write(db, kind, LISTING_JSON, m.f, false, &err) != 0) {
        mem_discard(&m);
        return fail(rep, err);
    }
    return mem_reply(&m, rep, 200);
}

/* ---- /api/status ------------------------------------------------------------------ */

/* The last load: generation, whether the files are watched, its errors and diagnostics. */
static int api_status(serve_state *st, http_reply *rep)
{
    membuf m;
    if (mem_open(&m) != 0)
        return -1;
    pthread_mutex_lock(&st->mu);
    fprintf(m.f, "{\"generation\": %lu, \"watching\": %s, \"errors\": %zu, \"warnings\": %zu, "
                 "\"diagnostics\": ", st->generation, st->watching ? "true" : "false",
            st->errors, st->warnings);
    render_json_string(m.f, st->diagnostics);
    pthread_mutex_unlock(&st->mu);
    fputs("}\n", m.f);
    return mem_reply(&m, rep, 200);
}

/* ---- Routing ------------------------------------------------------------------------ */

typedef enum { R_EVENTS, R_EVENT, R_FACETS, R_EXTENT, R_DENSITY, R_ACTORS, R_PLACES, R_SOURCES } route;

/*
 * The API's paths (/api/events/ID aside): whether each takes the filters,
 * and whether its answers are kept per database state (what a page asks
 * again and again, or what costs a pass over every event).
 */
static const struct {
    const char *path;
    route r;
    bool filtered, kept;
} routes[] = {
    {"events", R_EVENTS, true, false},     /* its total is kept (cached_total) */
    {"facets", R_FACETS, true, true},
    {"extent", R_EXTENT, true, true},
    {"density", R_DENSITY, true, true},
    {"actors", R_ACTORS, false, true},
    {"places", R_PLACES, false, true},
    {"sources", R_SOURCES, false, true},
};

/* Answer route r with a connection from the pool. */
static int answer(serve_state *st, unsigned long gen, route r, const char *id,
                  const http_request *req, http_reply *rep)
{
    api_ctx a = {st, gen, NULL};
    char *err = NULL;
    int slot = serve_db_acquire(st, &a.db, &err);
    if (slot < 0)
        return fail(rep, err);
    int rc = 0;
    switch (r) {
    case R_EVENTS: rc = api_events(&a, req, rep); break;
    case R_EVENT: rc = api_event(st, a.db, id, rep); break;
    case R_FACETS: rc = api_facets(&a, req, true, rep); break;
    case R_EXTENT: rc = api_facets(&a, req, false, rep); break;
    case R_DENSITY: rc = api_density(&a, req, rep); break;
    case R_ACTORS: rc = api_listing(a.db, LISTING_ACTORS, rep); break;
    case R_PLACES: rc = api_listing(a.db, LISTING_PLACES, rep); break;
    case R_SOURCES: rc = api_listing(a.db, LISTING_SOURCES, rep); break;
    }
    serve_db_release(st, slot);
    return rc;
}

/* Answer r from the cache, or compute it and keep it when it is a success. */
static int answer_kept(serve_state *st, unsigned long gen, route r, const http_request *req,
                       http_reply *rep)
{
    char *key = cache_key(req->path, req, NULL), *body;
    size_t len;
    int rc = key ? serve_cache_take(st->cache, gen, key, &body, &len) : -1;
    if (rc == 1) {
        rep->status = 200;
        rep->type = "application/json; charset=utf-8";
        rep->body = body;
        rep->len = len;
        rc = 0;
    } else if (rc == 0) {
        rc = answer(st, gen, r, NULL, req, rep);
        if (rc == 0 && rep->status == 200 && rep->body)
            serve_cache_put(st->cache, gen, key, rep->body, rep->len);
        else
            serve_cache_drop(st->cache, gen, key);
    }
    free(key);
    return rc;
}

static int no_parameters(const http_request *req, http_reply *rep)
{
    char *msg = str_printf("%s takes no parameters", req->path);
    int rc = msg ? http_reply_error(rep, 400, msg) : -1;
    free(msg);
    return rc;
}

static int route_api(serve_state *st, const http_request *req, http_reply *rep)
{
    const char *path = req->path + strlen("/api/");
    if (strcmp(path, "status") == 0 || strcmp(path, "updates") == 0 ||
        (strncmp(path, "events/", 7) == 0 && path[7] && !strchr(path + 7, '/'))) {
        if (req->nparams)
            return no_parameters(req, rep);
        if (strcmp(path, "status") == 0)
            return api_status(st, rep);
        if (strcmp(path, "updates") == 0)
            return serve_updates(st, rep);
        return answer(st, 0, R_EVENT, path + 7, req, rep);
    }
    size_t i = 0, n = sizeof(routes) / sizeof(routes[0]);
    while (i < n && strcmp(path, routes[i].path) != 0)
        i++;
    if (i == n)
        return http_reply_error(rep, 404, "no such API path (see 'annals serve --help')");
    if (!routes[i].filtered && req->nparams)
        return no_parameters(req, rep);
    pthread_mutex_lock(&st->mu);
    unsigned long gen = st->generation;
    pthread_mutex_unlock(&st->mu);
    return routes[i].kept ? answer_kept(st, gen, routes[i].r, req, rep)
                          : answer(st, gen, routes[i].r, NULL, req, rep);
}

int serve_handle(void *ctx, const http_request *req, http_reply *rep)
{
    serve_state *st = ctx;
    if (strncmp(req->path, "/api/", 5) == 0)
        return route_api(st, req, rep);
    const serve_asset *a = serve_asset_find(req->path);
    if (!a)
        return http_reply_error(rep, 404, "not found");
    size_t len = strlen(a->body);
    if (!(rep->body = malloc(len ? len : 1)))
        return -1;
    memcpy(rep->body, a->body, len);
    rep->len = len;
    rep->type = a->type;
    rep->status = 200;
    rep->cache = "no-cache";
    return 0;
}
