/* listing.c - listings and descriptions of actors, places and sources, with their event counts. */
#include "annals/listing.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/names.h"
#include "annals/query.h"
#include "annals/render.h"
#include "annals/util.h"

#define BOLD "\033[1m"
#define CYAN "\033[36m"
#define DIM "\033[2m"
#define RESET "\033[0m"

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
 * main: the records in id order. Columns: actors (id, name, kind, events),
 * places (id, name, kind, events, lat, lon), sources (id, title, published,
 * events, publisher, author, accessed, url, notes). The first four are what
 * the text listing aligns.
 */
typedef struct {
    const char *noun, *plural;
    const char *main;
    const char *one;          /* main's columns for one id (show) */
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

static const kind_spec specs[] = {
    [LISTING_ACTORS] = {
        "actor", "actors", ACTOR_COLS " ORDER BY a.id", ACTOR_COLS " WHERE a.id = ?",
        "SELECT name FROM actor_names WHERE actor_id = ? AND is_alias = 1 ORDER BY line, col",
        "SELECT parent_id FROM actor_parents WHERE actor_id = ? ORDER BY line, col",
        "SELECT p.actor_id, a.name FROM actor_parents p JOIN actors a ON a.id = p.actor_id "
        "WHERE p.parent_id = ? ORDER BY p.actor_id",
        "WITH RECURSIVE d(id) AS (SELECT ? UNION SELECT p.actor_id FROM actor_parents p "
        "JOIN d ON p.parent_id = d.id) SELECT count(DISTINCT event_id) FROM event_actors "
        "WHERE actor_id IN (SELECT id FROM d)",
        "part_of", "part of", "members"},
    [LISTING_PLACES] = {
        "place", "places", PLACE_COLS " ORDER BY p.id", PLACE_COLS " WHERE p.id = ?",
        "SELECT name FROM place_names WHERE place_id = ? AND is_alias = 1 ORDER BY line, col",
        "SELECT parent_id FROM place_parents WHERE place_id = ? ORDER BY line, col",
        "SELECT p.place_id, pl.name FROM place_parents p JOIN places pl ON pl.id = p.place_id "
        "WHERE p.parent_id = ? ORDER BY p.place_id",
        "WITH RECURSIVE d(id) AS (SELECT ? UNION SELECT p.place_id FROM place_parents p "
        "JOIN d ON p.parent_id = d.id) SELECT count(DISTINCT event_id) FROM event_places "
        "WHERE place_id IN (SELECT id FROM d)",
        "within", "within", "contains"},
    [LISTING_SOURCES] = {
        "source", "sources", SOURCE_COLS " ORDER BY s.id", SOURCE_COLS " WHERE s.id = ?",
        NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

enum { S_MAIN, S_ALIASES, S_PARENTS, S_CHILDREN, S_ALL, S_COUNT };

typedef struct {
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

typedef struct {
    char **v;
    char **names;   /* second column, when asked for */
    size_t n;
} strlist;

static void strlist_free(strlist *l)
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
static int fetch(sqlite3 *db, sqlite3_stmt *st, const char *id, bool two, strlist *l,
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
        strlist_free(l);
        return -1;
    }
    sqlite3_reset(st);
    return 0;
oom:
    sqlite3_reset(st);
    strlist_free(l);
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

static void json_list(FILE *out, const strlist *l)
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
static int csv_list(FILE *out, const strlist *l, char **err)
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

static void text_list(FILE *out, const strlist *l)
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
        fputs(RESET, out);
    size_t w = render_width(v);
    render_pad(out, (w < width ? width - w : 0) + 2);
}

static int write_row(stmts *s, listing_kind kind, listing_format fmt, FILE *out, bool color,
                     const widths *w, bool first, char **err)
{
    sqlite3_stmt *st = s->st[S_MAIN];
    const char *id = col(st, 0);
    long long events = sqlite3_column_int64(st, 3), all = 0;
    strlist aliases, parents;
    if (fetch(s->db, s->st[S_ALIASES], id, false, &aliases, err) != 0)
        return -1;
    if (fetch(s->db, s->st[S_PARENTS], id, false, &parents, err) != 0 ||
        count_all(s, id, &all, err) != 0) {
        strlist_free(&aliases);
        strlist_free(&parents);
        return -1;
    }
    int rc = 0;
    switch (fmt) {
    case LISTING_TEXT: {
        text_cell(out, id, w->id, color ? BOLD : NULL);
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
            fprintf(out, "  %s%s ", color ? DIM : "", s->spec->parents_word);
            text_list(out, &parents);
            fputs(color ? RESET : "", out);
            sep = true;
        }
        if (aliases.n) {
            fprintf(out, "%s%saka ", sep ? "; " : "  ", color ? DIM : "");
            text_list(out, &aliases);
            fputs(color ? RESET : "", out);
        }
        putc('\n', out);
        break;
    }
    case LISTING_JSON:
        fputs(first ? "\n  {\"id\":" : ",\n  {\"id\":", out);
        render_json_string(out, id);
        if (kind == LISTING_SOURCES) {
            static const struct { const char *key; int col; } f[] = {
                {"title", 1}, {"publisher", 4}, {"author", 5}, {"published", 2},
                {"accessed", 6}, {"url", 7}, {"notes", 8}};
            for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
                fprintf(out, ",\"%s\":", f[i].key);
                render_json_string(out, col(st, f[i].col));
            }
            fprintf(out, ",\"events\":%lld}", events);
            break;
        }
        fputs(",\"name\":", out);
        render_json_string(out, col(st, 1));
        fputs(",\"kind\":", out);
        render_json_string(out, col(st, 2));
        fputs(",\"aliases\":", out);
        json_list(out, &aliases);
        fprintf(out, ",\"%s\":", s->spec->parents_key);
        json_list(out, &parents);
        if (kind == LISTING_ACTORS) {
            fputs(",\"description\":", out);
            render_json_string(out, col(st, 4));
        }
        if (kind == LISTING_PLACES) {
            bool coords = sqlite3_column_type(st, 4) != SQLITE_NULL;
            fputs(",\"lat\":", out);
            if (coords)
                render_json_number(out, sqlite3_column_double(st, 4));
            else
                fputs("null", out);
            fputs(",\"lon\":", out);
            if (coords)
                render_json_number(out, sqlite3_column_double(st, 5));
            else
                fputs("null", out);
        }
        fprintf(out, ",\"events\":%lld,\"events_all\":%lld}", events, all);
        break;
    case LISTING_CSV:
        render_csv_field(out, id);
        if (kind == LISTING_SOURCES) {
            static const int cols[] = {1, 4, 5, 2, 6, 7, 8};
            for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
                putc(',', out);
                render_csv_field(out, col(st, cols[i]));
            }
            fprintf(out, ",%lld\r\n", events);
            break;
        }
        putc(',', out);
        render_csv_field(out, col(st, 1));
        putc(',', out);
        render_csv_field(out, col(st, 2));
        rc = csv_list(out, &aliases, err);
        if (!rc)
            rc = csv_list(out, &parents, err);
        if (!rc && kind == LISTING_ACTORS) {
            putc(',', out);
            render_csv_field(out, col(st, 4));
        }
        if (!rc && kind == LISTING_PLACES) {
            char num[40] = "";
            putc(',', out);
            if (sqlite3_column_type(st, 4) != SQLITE_NULL)
                render_number(sqlite3_column_double(st, 4), num, sizeof(num));
            fputs(num, out);
            putc(',', out);
            num[0] = '\0';
            if (sqlite3_column_type(st, 5) != SQLITE_NULL)
                render_number(sqlite3_column_double(st, 5), num, sizeof(num));
            fputs(num, out);
        }
        if (!rc)
            fprintf(out, ",%lld,%lld\r\n", events, all);
        break;
    }
    strlist_free(&aliases);
    strlist_free(&parents);
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

/* ---- show ------------------------------------------------------------------ */

#define LABEL 13

static void label(FILE *out, const char *name, bool color)
{
    fprintf(out, "  %s%s%s", color ? DIM : "", name, color ? RESET : "");
    render_pad(out, LABEL > strlen(name) ? LABEL - strlen(name) : 1);
}

/* A label and a one-line value; nothing when the value is NULL. */
static void field(FILE *out, const char *name, const char *value, bool color)
{
    if (!value)
        return;
    label(out, name, color);
    render_plain(out, value);
    putc('\n', out);
}

/* A label and a date held as EDTF: in words, then the EDTF ("c. 27 BCE (-0026~)"). */
static void date_field(FILE *out, const char *name, const char *edtf, bool color)
{
    if (!edtf)
        return;
    char words[128];
    render_date_words(edtf, words, sizeof(words));
    label(out, name, color);
    render_plain(out, words);
    if (strcmp(words, edtf) != 0) {
        fputs(" (", out);
        render_plain(out, edtf);
        putc(')', out);
    }
    putc('\n', out);
}

/* A label and a value of several lines, each further line under the first. */
static void field_lines(FILE *out, const char *name, const char *value, bool color)
{
    if (!value)
        return;
    label(out, name, color);
    const char *p = value;
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char line[1024];
        while (n) {     /* in pieces, so a long line needs no allocation */
            size_t k = n < sizeof(line) - 1 ? n : sizeof(line) - 1;
            while (k < n && k > 4 && ((unsigned char)p[k] & 0xC0) == 0x80)
                k--;    /* never split a UTF-8 character */
            memcpy(line, p, k);
            line[k] = '\0';
            render_plain(out, line);
            p += k;
            n -= k;
        }
        putc('\n', out);
        if (!nl || !nl[1])
            break;
        p = nl + 1;
        render_pad(out, 2 + LABEL);
    }
}

static void heading(FILE *out, const char *noun, const char *id, bool color, int *shown)
{
    if ((*shown)++)
        putc('\n', out);
    fprintf(out, "%s%s %s%s\n", color ? BOLD : "", noun, id, color ? RESET : "");
}

/* One event line of a list: date, title, [id]; what adds text after the title. */
static void event_line(FILE *out, const report_event *ev, size_t width, bool color)
{
    char date[256];
    edtf_humanize(&ev->when, date, sizeof(date));
    fprintf(out, "    %s%s%s", color ? CYAN : "", date, color ? RESET : "");
    size_t w = render_width(date);
    render_pad(out, (w < width ? width - w : 0) + 2);
    render_plain(out, ev->title);
    fprintf(out, "  %s[%s]%s\n", color ? DIM : "", ev->id, color ? RESET : "");
}

/*
 * The events of filter f as an indented list under "events (N)", in
 * chronological order, with two passes (the first only measures dates).
 * For a source, each line is followed by what the event quotes from it.
 */
static int event_list(sqlite3 *db, const query_filter *f, const char *title,
                      const char *source, bool say_none, FILE *out, bool color, char **err)
{
    query_cursor *cur;
    if (query_open(db, f, &cur, err) != 0)
        return -1;
    int64_t lo, hi;
    long count;
    const report_event *ev;
    size_t width = 0;
    char date[256];
    int rc;
    if (query_extent(cur, &lo, &hi, &count, err) != 0) {
        query_close(cur);
        return -1;
    }
    if (count == 0) {
        if (say_none) {
            label(out, title, color);
            fputs("none\n", out);
        }
        query_close(cur);
        return 0;
    }
    query_skip_links(cur, true);
    while ((rc = query_next(cur, &ev, err)) == 1) {
        edtf_humanize(&ev->when, date, sizeof(date));
        size_t w = render_width(date);
        width = w > width ? w : width;
    }
    query_skip_links(cur, false);
    if (rc < 0 || query_rewind(cur, err) != 0) {
        query_close(cur);
        return -1;
    }
    if (width > 32)
        width = 32;
    label(out, title, color);
    fprintf(out, "%ld\n", count);
    while ((rc = query_next(cur, &ev, err)) == 1) {
        event_line(out, ev, width, color);
        for (size_t i = 0; source && i < ev->nsources; i++) {
            const report_source *s = &ev->sources[i];
            if (strcmp(s->id, source) != 0 || (!s->quote && !s->locator))
                continue;
            fputs("      ", out);
            if (s->locator) {
                render_plain(out, s->locator);
                fputs(s->quote ? ": " : "", out);
            }
            if (s->quote) {
                fputs("\xE2\x80\x9C", out);
                render_plain(out, s->quote);
                fputs("\xE2\x80\x9D", out);
            }
            putc('\n', out);
        }
    }
    query_close(cur);
    return rc < 0 ? -1 : 0;
}

static void defined_at(FILE *out, const char *path, int line, bool color)
{
    label(out, "defined", color);
    render_plain(out, path);
    fprintf(out, ":%d\n", line);
}

static int show_event(sqlite3 *db, const char *id, FILE *out, bool color, int *shown,
                      char **err)
{
    query_cursor *cur;
    query_filter f = {.event = id};
    if (query_open(db, &f, &cur, err) != 0)
        return -1;
    const report_event *ev;
    int rc = query_next(cur, &ev, err);
    if (rc <= 0) {
        query_close(cur);
        return rc;
    }
    char buf[256], start[64], end[64];
    heading(out, "event", ev->id, color, shown);
    field(out, "title", ev->title, color);
    edtf_humanize(&ev->when, buf, sizeof(buf));
    render_iso_bounds(&ev->when, start, end, sizeof(start));
    label(out, "date", color);
    render_plain(out, buf);
    fprintf(out, " (%s: %s .. %s)\n", ev->date, *start ? start : "open",
            *end ? end : "open");
    field_lines(out, "summary", ev->summary, color);
    field(out, "type", ev->type, color);
    field(out, "part of", ev->part_of, color);
    for (size_t i = 0; i < ev->nactors; i++) {
        label(out, i ? "" : "actors", color);
        render_plain(out, ev->actors[i].name);
        fprintf(out, " [%s]", ev->actors[i].id);
        if (ev->actors[i].role)
            fprintf(out, " as %s", ev->actors[i].role);
        putc('\n', out);
    }
    for (size_t i = 0; i < ev->nplaces; i++) {
        label(out, i ? "" : "places", color);
        render_plain(out, ev->places[i].name);
        fprintf(out, " [%s]", ev->places[i].id);
        if (ev->places[i].has_coords) {
            char la[40], lo[40];
            render_number(ev->places[i].lat, la, sizeof(la));
            render_number(ev->places[i].lon, lo, sizeof(lo));
            fprintf(out, " (%s, %s)", la, lo);
        }
        putc('\n', out);
    }
    if (ev->ntags) {
        label(out, "tags", color);
        for (size_t i = 0; i < ev->ntags; i++)
            fprintf(out, "%s%s", i ? ", " : "", ev->tags[i]);
        putc('\n', out);
    }
    for (size_t i = 0; i < ev->nfigures; i++) {
        const report_figure *fg = &ev->figures[i];
        char num[RENDER_FIGURE_MAX];
        label(out, i ? "" : "figures", color);
        render_figure(fg, num, sizeof(num));
        fprintf(out, "%s %s", fg->name, num);
        if (fg->unit) {
            putc(' ', out);
            render_plain(out, fg->unit);
        }
        putc('\n', out);
    }
    for (size_t i = 0; i < ev->nsources; i++) {
        const report_source *s = &ev->sources[i];
        label(out, i ? "" : "sources", color);
        render_plain(out, s->title);
        fprintf(out, " [%s]", s->id);
        if (s->locator) {
            fputs(", ", out);
            render_plain(out, s->locator);
        }
        if (s->url) {
            fputs(" <", out);
            render_plain(out, s->url);
            putc('>', out);
        }
        putc('\n', out);
        if (s->quote) {
            label(out, "", color);
            fputs("  \xE2\x80\x9C", out);
            render_plain(out, s->quote);
            fputs("\xE2\x80\x9D\n", out);
        }
    }
    field_lines(out, "notes", ev->notes, color);
    defined_at(out, ev->file, ev->line, color);
    query_close(cur);
    query_filter parts = {.part_of = id};
    return event_list(db, &parts, "parts", NULL, false, out, color, err) < 0 ? -1 : 1;
}

static int show_record(sqlite3 *db, listing_kind kind, const char *id, FILE *out, bool color,
                       int *shown, char **err)
{
    stmts s;
    if (stmts_prepare(&s, db, kind, true, err) != 0)
        return -1;
    sqlite3_stmt *st = s.st[S_MAIN];
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        if (rc != SQLITE_DONE)
            *err = db_error(db, sqlite3_sql(st));
        stmts_free(&s);
        return rc == SQLITE_DONE ? 0 : -1;
    }
    strlist aliases = {0}, parents = {0}, children = {0};
    long long all = 0;
    if (fetch(db, s.st[S_ALIASES], id, false, &aliases, err) != 0 ||
        fetch(db, s.st[S_PARENTS], id, false, &parents, err) != 0 ||
        fetch(db, s.st[S_CHILDREN], id, true, &children, err) != 0 ||
        count_all(&s, id, &all, err) != 0) {
        strlist_free(&aliases);
        strlist_free(&parents);
        strlist_free(&children);
        stmts_free(&s);
        return -1;
    }
    heading(out, s.spec->noun, id, color, shown);
    query_filter f = {0};
    const char *path;
    int line;
    if (kind == LISTING_SOURCES) {
        field(out, "title", col(st, 1), color);
        field(out, "publisher", col(st, 4), color);
        field(out, "author", col(st, 5), color);
        date_field(out, "published", col(st, 2), color);
        date_field(out, "accessed", col(st, 6), color);
        field(out, "url", col(st, 7), color);
        field_lines(out, "notes", col(st, 8), color);
        path = col(st, 9);
        line = sqlite3_column_int(st, 10);
        f.source = id;
    } else {
        field(out, "name", col(st, 1), color);
        field(out, "kind", col(st, 2), color);
        if (aliases.n) {
            label(out, "aliases", color);
            text_list(out, &aliases);
            putc('\n', out);
        }
        if (parents.n) {
            label(out, s.spec->parents_word, color);
            text_list(out, &parents);
            putc('\n', out);
        }
        for (size_t i = 0; i < children.n; i++) {
            label(out, i ? "" : s.spec->children_word, color);
            render_plain(out, children.v[i]);
            fputs(" (", out);
            render_plain(out, children.names[i]);
            fputs(")\n", out);
        }
        if (kind == LISTING_ACTORS) {
            field_lines(out, "description", col(st, 4), color);
            path = col(st, 5);
            line = sqlite3_column_int(st, 6);
            f.actor = id;
        } else {
            if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
                char la[40], lo[40];
                render_number(sqlite3_column_double(st, 4), la, sizeof(la));
                render_number(sqlite3_column_double(st, 5), lo, sizeof(lo));
                label(out, "coords", color);
                fprintf(out, "%s, %s\n", la, lo);
            }
            path = col(st, 6);
            line = sqlite3_column_int(st, 7);
            f.region = id;
        }
    }
    defined_at(out, path ? path : "?", line, color);
    strlist_free(&aliases);
    strlist_free(&parents);
    strlist_free(&children);
    stmts_free(&s);
    int r = event_list(db, &f, "events", kind == LISTING_SOURCES ? id : NULL, true, out, color,
                       err);
    return r < 0 ? -1 : 1;
}

int listing_show(sqlite3 *db, const char *id, FILE *out, bool color, char **err)
{
    int shown = 0, rc = show_event(db, id, out, color, &shown, err);
    for (int k = LISTING_ACTORS; rc >= 0 && k <= LISTING_SOURCES; k++)
        rc = show_record(db, (listing_kind)k, id, out, color, &shown, err);
    return rc < 0 ? -1 : shown;
}

char *listing_hint(sqlite3 *db, const char *id)
{
    names_advice a;
    char *err = NULL, *hint = NULL;
    if (names_advise(db, NAMES_ANY, id, 1, &a, &err) == 0)
        hint = names_advice_text(&a, id);
    free(err);
    names_advice_free(&a);
    return hint;
}
