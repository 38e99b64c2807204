/* lsp_nav.c - the language server's answers about ids: definition, references, rename, hover, symbols. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/edtf.h"
#include "annals/lsp.h"
#include "annals/util.h"

static const struct {
    const char *kind, *table, *label;
} kinds[] = {
    {"actor", "actors", "name"},
    {"place", "places", "name"},
    {"source", "sources", "title"},
    {"event", "events", "title"},
};

const char *lsp_kind_table(const char *kind)
{
    for (size_t i = 0; i < 4; i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            return kinds[i].table;
    return NULL;
}

static const char *label_column(const char *kind)
{
    for (size_t i = 0; i < 4; i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            return kinds[i].label;
    return "id";
}

static void fail(lsp_error *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(lsp_error *e, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    e->code = code;
    vsnprintf(e->message, sizeof(e->message), fmt, ap);
    va_end(ap);
}

/* path relative to the workspace root when it lies under it. */
static const char *shown_path(const lsp_server *s, const char *path)
{
    size_t n = s->root ? strlen(s->root) : 0;
    if (n && strncmp(path, s->root, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

int lsp_cursor_open(lsp_server *s, const json_t *params, lsp_cursor *c, lsp_error *e)
{
    memset(c, 0, sizeof(*c));
    const json_t *td = json_object_get(params, "textDocument");
    const json_t *pos = json_object_get(params, "position");
    const char *uri = json_string_value(json_object_get(td, "uri"));
    if (!uri || !json_is_object(pos)) {
        fail(e, LSP_INVALID_PARAMS, "textDocument.uri and position are required");
        return -1;
    }
    c->path = lsp_uri_to_path(uri);
    if (!c->path) {
        fail(e, LSP_INVALID_PARAMS, "'%.300s' is no file URI", uri);
        return -1;
    }
    lsp_text_get(s, c->path, &c->ft);
    if (!c->ft.text) {
        fail(e, LSP_REQUEST_FAILED, "cannot read %.400s", c->path);
        lsp_cursor_close(c);
        return -1;
    }
    lsp_pos p = {(unsigned)json_integer_value(json_object_get(pos, "line")),
                 (unsigned)json_integer_value(json_object_get(pos, "character"))};
    c->offset = lsp_offset_of(c->ft.text, c->ft.len, p, s->enc);
    lsp_context_at(c->ft.text, c->ft.len, c->offset, &c->ctx);
    return 0;
}

void lsp_cursor_close(lsp_cursor *c)
{
    lsp_text_release(&c->ft);
    free(c->path);
    c->path = NULL;
}

/* The id under the cursor (a new string) and its kind, or NULL. */
static char *id_at(const lsp_cursor *c, const char **kind, bool *definition)
{
    *kind = lsp_context_id_kind(&c->ctx, definition);
    if (!*kind || c->ctx.word_end <= c->ctx.word_start)
        return NULL;
    return strndup(c->ft.text + c->ctx.word_start, c->ctx.word_end - c->ctx.word_start);
}

/* A prepared statement with ?1 bound to text; NULL after logging a failure. */
static sqlite3_stmt *query(lsp_server *s, const char *sql, const char *arg)
{
    sqlite3_stmt *st;
    char *err;
    if (!s->db || db_prepare(s->db, sql, &st, &err) != 0) {
        lsp_log(s, "query failed: %s", s->db ? err : "no database");
        if (s->db)
            free(err);
        return NULL;
    }
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
    return st;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? t : "";
}

bool lsp_definition_of(lsp_server *s, const char *kind, const char *id, char **path,
                       int *line, int *col)
{
    char *sql = str_printf("SELECT f.path, t.line, t.col FROM %s t JOIN files f ON f.id = "
                           "t.file_id WHERE t.id = ?1", lsp_kind_table(kind));
    sqlite3_stmt *st = sql ? query(s, sql, id) : NULL;
    free(sql);
    bool found = st && sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        *path = strdup(col_text(st, 0));
        *line = sqlite3_column_int(st, 1);
        *col = sqlite3_column_int(st, 2);
        found = *path != NULL;
    }
    sqlite3_finalize(st);
    return found;
}

static json_t *id_location(lsp_server *s, const char *path, int line, int col, const char *id)
{
    return lsp_ws_location(s, path, line, lsp_ws_id_col(s, path, line, col), (int)strlen(id));
}

/*
 * Open the cursor of a position request and take the id under it (a new
 * string, or NULL when there is none) and its kind. -1 with e set when the
 * document cannot be read; else close the cursor after use.
 */
static int open_at_id(lsp_server *s, const json_t *params, lsp_cursor *c, char **id,
                      const char **kind, lsp_error *e)
{
    if (lsp_cursor_open(s, params, c, e) != 0)
        return -1;
    bool def;
    *id = id_at(c, kind, &def);
    return 0;
}

/* Every place an id of kind is used: path, line, col rows. */
static sqlite3_stmt *uses_of(lsp_server *s, const char *kind, const char *id)
{
#define USES(link, ref, owner, owner_table)                                               \
    "SELECT f.path, l.line, l.col FROM " link " l JOIN " owner_table " o ON o.id = l." owner \
    " JOIN files f ON f.id = o.file_id WHERE l." ref " = ?1"
    static const struct {
        const char *kind, *sql;
    } sqls[] = {
        {"actor", USES("event_actors", "actor_id", "event_id", "events") " UNION ALL "
                  USES("actor_parents", "parent_id", "actor_id", "actors") " ORDER BY 1, 2, 3"},
        {"place", USES("event_places", "place_id", "event_id", "events") " UNION ALL "
                  USES("place_parents", "parent_id", "place_id", "places") " ORDER BY 1, 2, 3"},
        {"source", USES("event_sources", "source_id", "event_id", "events") " ORDER BY 1, 2, 3"},
        {"event", USES("event_parents", "parent_id", "event_id", "events") " ORDER BY 1, 2, 3"},
    };
#undef USES
    for (size_t i = 0; i < 4; i++)
        if (strcmp(sqls[i].kind, kind) == 0)
            return query(s, sqls[i].sql, id);
    return NULL;
}

/* Called by walk_sites for each place where an id is written. */
typedef void (*site_fn)(lsp_server *s, const char *path, int line, int col, const char *id,
                        void *ctx);

/*
 * Call fn for the definition of id of kind (when with_definition and it is
 * defined), then for every place it is used, in path and line order.
 */
static void walk_sites(lsp_server *s, const char *kind, const char *id, bool with_definition,
                       site_fn fn, void *ctx)
{
    char *dpath;
    int line, col;
    if (with_definition && lsp_definition_of(s, kind, id, &dpath, &line, &col)) {
        fn(s, dpath, line, col, id, ctx);
        free(dpath);
    }
    sqlite3_stmt *st = uses_of(s, kind, id);
    while (st && sqlite3_step(st) == SQLITE_ROW)
        fn(s, col_text(st, 0), sqlite3_column_int(st, 1), sqlite3_column_int(st, 2), id, ctx);
    sqlite3_finalize(st);
}

/* A site_fn: the site's Location, appended to the array ctx. */
static void add_location(lsp_server *s, const char *path, int line, int col, const char *id,
                         void *ctx)
{
    json_array_append_new(ctx, id_location(s, path, line, col, id));
}

/* An answer about the id under the cursor (NULL when there is none) of kind. */
typedef json_t *(*id_answer)(lsp_server *s, const json_t *params, const char *kind,
                             const char *id);

/* Answer a position request with fn, for the id under its cursor. NULL with e set on failure. */
static json_t *answer_at_id(lsp_server *s, const json_t *params, lsp_error *e, id_answer fn)
{
    lsp_cursor c;
    const char *kind;
    char *id;
    if (open_at_id(s, params, &c, &id, &kind, e) != 0)
        return NULL;
    json_t *r = fn(s, params, kind, id);
    free(id);
    lsp_cursor_close(&c);
    return r;
}

static json_t *definition_at(lsp_server *s, const json_t *params, const char *kind,
                             const char *id)
{
    (void)params;
    json_t *r = NULL;
    char *dpath;
    int line, col;
    if (id && lsp_definition_of(s, kind, id, &dpath, &line, &col)) {
        r = id_location(s, dpath, line, col, id);
        free(dpath);
    }
    return r ? r : json_null();
}

static json_t *references_at(lsp_server *s, const json_t *params, const char *kind,
                             const char *id)
{
    json_t *r = json_array();
    bool decl = json_is_true(json_object_get(json_object_get(params, "context"),
                                             "includeDeclaration"));
    if (id && r)
        walk_sites(s, kind, id, decl, add_location, r);
    return r;
}

json_t *lsp_definition(lsp_server *s, const json_t *params, lsp_error *e)
{
    return answer_at_id(s, params, e, definition_at);
}

json_t *lsp_references(lsp_server *s, const json_t *params, lsp_error *e)
{
    return answer_at_id(s, params, e, references_at);
}

/* ---- Rename -------------------------------------------------------------------- */

static bool valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
              s[i] == '_' || s[i] == '-'))
            return false;
    return true;
}

/* The id to rename at the cursor, checked to exist: a new string, or NULL with e set (or not, for "nothing here"). */
static char *rename_target(lsp_server *s, const json_t *params, lsp_error *e, const char **kind,
                           json_t **range)
{
    lsp_cursor c;
    char *id;
    if (open_at_id(s, params, &c, &id, kind, e) != 0)
        return NULL;
    char *dpath = NULL;
    int line, col;
    if (id && !lsp_definition_of(s, *kind, id, &dpath, &line, &col)) {
        fail(e, LSP_REQUEST_FAILED, "unknown %s '%.100s': only an id that is defined can be "
             "renamed", *kind, id);
        free(id);
        id = NULL;
    } else if (!id) {
        fail(e, LSP_REQUEST_FAILED, "no id here to rename: put the cursor on an id (a "
             "record's id or a reference to one)");
    }
    if (id && range) {
        *range = lsp_bytes_range(s, &c.ft, c.ctx.word_start, c.ctx.word_end);
    }
    free(dpath);
    lsp_cursor_close(&c);
    return id;
}

json_t *lsp_prepare_rename(lsp_server *s, const json_t *params, lsp_error *e)
{
    const char *kind;
    json_t *range = NULL;
    char *id = rename_target(s, params, e, &kind, &range);
    if (!id)
        return NULL;
    json_t *r = json_pack("{s:o, s:s}", "range", range, "placeholder", id);
    free(id);
    return r;
}

/* What a rename adds its edits to: the WorkspaceEdit's changes, and the new id. */
typedef struct {
    json_t *changes;
    const char *name;
} renaming;

/* A site_fn: an edit replacing id at path:line:col with the new name (ctx: a renaming). */
static void add_edit(lsp_server *s, const char *path, int line, int col, const char *id,
                     void *ctx)
{
    json_t *changes = ((renaming *)ctx)->changes;
    const char *name = ((renaming *)ctx)->name;
    char *uri = lsp_path_to_uri(path);
    if (!uri)
        return;
    json_t *list = json_object_get(changes, uri);
    if (!list) {
        list = json_array();
        json_object_set_new(changes, uri, list);
    }
    json_array_append_new(
        list, json_pack("{s:o, s:s}", "range",
                        lsp_ws_range(s, path, line, lsp_ws_id_col(s, path, line, col),
                                     (int)strlen(id)),
                        "newText", name));
    free(uri);
}

json_t *lsp_rename(lsp_server *s, const json_t *params, lsp_error *e)
{
    const char *name = json_string_value(json_object_get(params, "newName"));
    if (!name) {
        fail(e, LSP_INVALID_PARAMS, "newName is required");
        return NULL;
    }
    const char *kind;
    char *id = rename_target(s, params, e, &kind, NULL);
    if (!id)
        return NULL;
    char *dpath = NULL;
    int line, col;
    json_t *r = NULL;
    if (!valid_id(name)) {
        fail(e, LSP_REQUEST_FAILED, "'%.100s' is not a valid id: write 1 to 64 characters of "
             "a-z, 0-9, '.', '_' and '-', starting with a letter or a digit", name);
    } else if (strcmp(name, id) != 0 && lsp_definition_of(s, kind, name, &dpath, &line, &col)) {
        fail(e, LSP_REQUEST_FAILED, "%s '%s' already exists (%.300s:%d): choose another id",
             kind, name, shown_path(s, dpath), line);
    } else {
        renaming rn = {json_object(), name};
        walk_sites(s, kind, id, true, add_edit, &rn);
        r = json_pack("{s:o}", "changes", rn.changes);
    }
    free(dpath);
    free(id);
    return r;
}

/* ---- Hover --------------------------------------------------------------------- */

/* A bound as a day in words: "1 June 2014", "15 March 44 BCE"; "open" for an open end. */
static void bound_words(int64_t bound, bool with_time, char *buf, size_t size)
{
    if (bound == EDTF_MIN || bound == EDTF_MAX) {
        snprintf(buf, size, "open");
        return;
    }
    char iso[64];
    edtf_format_iso(bound, with_time, iso, sizeof(iso));
    edtf_date d;
    if (edtf_parse(iso, strlen(iso), false, &d, NULL, 0, NULL) == 0)
        edtf_humanize(&d, buf, size);
    else
        snprintf(buf, size, "%s", iso);
}

/* The value after `key:` on the cursor's line: trimmed, unquoted, without a comment. */
static char *line_value(const lsp_file_text *ft, size_t offset, size_t *start)
{
    size_t ls = offset, le = offset;
    while (ls > 0 && ft->text[ls - 1] != '\n')
        ls--;
    while (le < ft->len && ft->text[le] != '\n' && ft->text[le] != '\r')
        le++;
    const char *colon = memchr(ft->text + ls, ':', le - ls);
    if (!colon)
        return NULL;
    size_t a = (size_t)(colon - ft->text) + 1;
    while (a < le && ft->text[a] == ' ')
        a++;
    size_t b = a;
    while (b < le && !(ft->text[b] == '#' && b > a && ft->text[b - 1] == ' '))
        b++;
    while (b > a && ft->text[b - 1] == ' ')
        b--;
    if (b > a + 1 && (ft->text[a] == '"' || ft->text[a] == '\'') && ft->text[b - 1] == ft->text[a])
        a++, b--;
    *start = a;
    return strndup(ft->text + a, b - a);
}

static json_t *hover_date(lsp_server *s, const lsp_file_text *ft, size_t offset)
{
    size_t start;
    char *v = line_value(ft, offset, &start);
    if (!v || !*v) {
        free(v);
        return json_null();
    }
    edtf_date d;
    char err[200], words[200], lo[100], hi[100];
    char *md;
    if (edtf_parse(v, strlen(v), true, &d, err, sizeof(err), NULL) != 0) {
        md = str_printf("`%s`: %s", v, err);
    } else {
        edtf_humanize(&d, words, sizeof(words));
        bool t = d.precision == EDTF_PREC_SECOND;
        bound_words(d.lower, t, lo, sizeof(lo));
        bound_words(d.upper, t, hi, sizeof(hi));
        md = str_printf("%s: %s - %s", words, lo, hi);
    }
    json_t *r = json_pack("{s:{s:s, s:s}, s:o}", "contents", "kind", "markdown", "value",
                          md ? md : "", "range", lsp_bytes_range(s, ft, start, start + strlen(v)));
    free(md);
    free(v);
    return r;
}

/* The markdown describing id of kind, or NULL when there is no such record. */
static char *describe(lsp_server *s, const char *kind, const char *id)
{
    char *sql = str_printf("SELECT t.%s, f.path, t.line%s FROM %s t JOIN files f ON f.id = "
                           "t.file_id WHERE t.id = ?1", label_column(kind),
                           strcmp(kind, "actor") == 0 || strcmp(kind, "place") == 0
                               ? ", t.kind" : strcmp(kind, "event") == 0 ? ", t.date"
                                                                          : ", t.publisher",
                           lsp_kind_table(kind));
    sqlite3_stmt *st = sql ? query(s, sql, id) : NULL;
    free(sql);
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return NULL;
    }
    char *md = str_printf("**%s** `%s`: %s\n\n", kind, id, col_text(st, 0));
    const char *extra = col_text(st, 3);
    if (md && *extra) {
        char *m2 = str_printf("%s%s: %s\n\n", md, strcmp(kind, "event") == 0 ? "date"
                                                  : strcmp(kind, "source") == 0 ? "publisher"
                                                                                  : "kind",
                              extra);
        free(md);
        md = m2;
    }
    char *where = str_printf("defined at %s:%d", shown_path(s, col_text(st, 1)),
                             sqlite3_column_int(st, 2));
    sqlite3_finalize(st);
    /* aliases */
    if (md && (strcmp(kind, "actor") == 0 || strcmp(kind, "place") == 0)) {
        char *q = str_printf("SELECT group_concat(name, ', ') FROM %s_names WHERE %s_id = ?1 AND "
                             "is_alias = 1", kind, kind);
        st = q ? query(s, q, id) : NULL;
        free(q);
        if (st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
            char *m2 = str_printf("%saliases: %s\n\n", md, col_text(st, 0));
            free(md);
            md = m2;
        }
        sqlite3_finalize(st);
        /* the chain of part_of / within, first parent at each step */
        char *chain = NULL;
        char cur[128];
        snprintf(cur, sizeof(cur), "%s", id);
        q = str_printf("SELECT parent_id FROM %s_parents WHERE %s_id = ?1 ORDER BY line LIMIT 1",
                       kind, kind);
        for (int depth = 0; q && depth < 16; depth++) {
            st = query(s, q, cur);
            if (!st || sqlite3_step(st) != SQLITE_ROW) {
                sqlite3_finalize(st);
                break;
            }
            snprintf(cur, sizeof(cur), "%s", col_text(st, 0));
            sqlite3_finalize(st);
            char *c2 = str_printf("%s%s`%s`", chain ? chain : "", chain ? " > " : "", cur);
            free(chain);
            chain = c2;
        }
        free(q);
        if (chain && md) {
            char *m2 = str_printf("%s%s: %s\n\n", md, strcmp(kind, "actor") == 0 ? "part of"
                                                                                  : "within",
                                  chain);
            free(md);
            md = m2;
        }
        free(chain);
    }
    /* the first line of the description (actors), notes (sources) or summary (events) */
    const char *text_col = strcmp(kind, "actor") == 0 ? "description"
                           : strcmp(kind, "source") == 0 ? "notes"
                           : strcmp(kind, "event") == 0 ? "summary" : NULL;
    if (md && text_col) {
        char *q = str_printf("SELECT %s FROM %s WHERE id = ?1", text_col, lsp_kind_table(kind));
        st = q ? query(s, q, id) : NULL;
        free(q);
        if (st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
            const char *d = col_text(st, 0);
            size_t n = strcspn(d, "\n");
            char *m2 = str_printf("%s%.*s\n\n", md, (int)n, d);
            free(md);
            md = m2;
        }
        sqlite3_finalize(st);
    }
    /* how many events refer to it */
    static const struct {
        const char *kind, *sql;
    } counts[] = {
        {"actor", "SELECT count(DISTINCT event_id) FROM event_actors WHERE actor_id = ?1"},
        {"place", "SELECT count(DISTINCT event_id) FROM event_places WHERE place_id = ?1"},
        {"source", "SELECT count(DISTINCT event_id) FROM event_sources WHERE source_id = ?1"},
        {"event", "SELECT count(*) FROM event_parents WHERE parent_id = ?1"},
    };
    for (size_t i = 0; md && i < 4; i++) {
        if (strcmp(counts[i].kind, kind) != 0)
            continue;
        st = query(s, counts[i].sql, id);
        long long n = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_finalize(st);
        const char *what = strcmp(kind, "event") == 0
                               ? (n == 1 ? "event is part of it" : "events are part of it")
                               : (n == 1 ? "event refers to it" : "events refer to it");
        char *m2 = str_printf("%s%lld %s; %s", md, n, what, where ? where : "");
        free(md);
        md = m2;
    }
    free(where);
    return md;
}

json_t *lsp_hover(lsp_server *s, const json_t *params, lsp_error *e)
{
    lsp_cursor c;
    if (lsp_cursor_open(s, params, &c, e) != 0)
        return NULL;
    json_t *r = json_null();
    const char *kind;
    bool def;
    char *id = NULL;
    const lsp_context *ctx = &c.ctx;
    if (!ctx->at_key && (strcmp(ctx->key, "date") == 0 || strcmp(ctx->key, "published") == 0 ||
                         strcmp(ctx->key, "accessed") == 0) && ctx->outer[0] == '\0') {
        r = hover_date(s, &c.ft, c.offset);
    } else if ((id = id_at(&c, &kind, &def)) != NULL) {
        char *md = describe(s, kind, id);
        if (md) {
            r = json_pack("{s:{s:s, s:s}, s:o}", "contents", "kind", "markdown", "value", md,
                          "range", lsp_bytes_range(s, &c.ft, c.ctx.word_start, c.ctx.word_end));
        }
        free(md);
    }
    free(id);
    lsp_cursor_close(&c);
    return r ? r : json_null();
}

/* ---- Symbols --------------------------------------------------------------------- */

static int symbol_kind(const char *kind)
{
    return strcmp(kind, "actor") == 0 ? 5 : strcmp(kind, "place") == 0 ? 23
           : strcmp(kind, "source") == 0 ? 19 : 24;
}

static json_t *line_range(unsigned a, unsigned b)
{
    return lsp_range_json((lsp_pos){a, 0}, (lsp_pos){b, 0});
}

json_t *lsp_document_symbol(lsp_server *s, const json_t *params, lsp_error *e)
{
    const char *uri = json_string_value(json_object_get(json_object_get(params, "textDocument"),
                                                        "uri"));
    char *path = uri ? lsp_uri_to_path(uri) : NULL;
    if (!path) {
        fail(e, LSP_INVALID_PARAMS, "textDocument.uri must be a file URI");
        return NULL;
    }
    lsp_file_text ft;
    lsp_text_get(s, path, &ft);
    json_t *out = json_array();
    /* sections: top-level keys, each up to the next one */
    size_t nlines = 0;
    for (size_t off = 0; ft.text && off < ft.len;) {
        const char *nl = memchr(ft.text + off, '\n', ft.len - off);
        nlines++;
        off = nl ? (size_t)(nl - ft.text) + 1 : ft.len;
    }
    for (size_t off = 0, line = 0; ft.text && off < ft.len; line++) {
        const char *nl = memchr(ft.text + off, '\n', ft.len - off);
        size_t end = nl ? (size_t)(nl - ft.text) : ft.len;
        size_t k = off;
        while (k < end && ((ft.text[k] >= 'a' && ft.text[k] <= 'z') || ft.text[k] == '_'))
            k++;
        const char *kind = NULL;
        if (k > off && k < end && ft.text[k] == ':') {
            for (size_t i = 0; i < 4; i++)
                if (k - off == strlen(kinds[i].table) &&
                    strncmp(ft.text + off, kinds[i].table, k - off) == 0)
                    kind = kinds[i].kind;
        }
        if (kind) {
            /* the section's last line: before the next top-level line */
            size_t stop = nl ? (size_t)(nl - ft.text) + 1 : ft.len, last = line;
            for (size_t l = line + 1; stop < ft.len; l++) {
                const char *n2 = memchr(ft.text + stop, '\n', ft.len - stop);
                char c = ft.text[stop];
                if (c != ' ' && c != '\n' && c != '#' && c != '-' && c != '\r')
                    break;
                if (c == '-' && stop + 2 < ft.len && strncmp(ft.text + stop, "---", 3) == 0)
                    break;
                last = l;
                stop = n2 ? (size_t)(n2 - ft.text) + 1 : ft.len;
            }
            json_t *children = json_array();
            char *sql = str_printf("SELECT t.id, t.%s, t.line, t.col FROM %s t JOIN files f ON "
                                   "f.id = t.file_id WHERE f.path = ?1 AND t.line > %zu AND "
                                   "t.line <= %zu ORDER BY t.line", label_column(kind),
                                   lsp_kind_table(kind), line + 1, last + 1);
            sqlite3_stmt *st = sql ? query(s, sql, path) : NULL;
            free(sql);
            while (st && sqlite3_step(st) == SQLITE_ROW) {
                const char *id = col_text(st, 0);
                int l = sqlite3_column_int(st, 2), c = sqlite3_column_int(st, 3);
                json_t *sel = lsp_ws_range(s, path, l, lsp_ws_id_col(s, path, l, c),
                                           (int)strlen(id));
                json_array_append_new(
                    children, json_pack("{s:s, s:s, s:i, s:O, s:o}", "name", id, "detail",
                                        col_text(st, 1), "kind", symbol_kind(kind), "range",
                                        sel, "selectionRange", sel));
            }
            sqlite3_finalize(st);
            json_array_append_new(
                out, json_pack("{s:s, s:i, s:o, s:o, s:o}", "name", lsp_kind_table(kind), "kind",
                               3, "range", line_range((unsigned)line, (unsigned)last + 1),
                               "selectionRange", line_range((unsigned)line, (unsigned)line),
                               "children", children));
        }
        off = nl ? (size_t)(nl - ft.text) + 1 : ft.len;
    }
    (void)nlines;
    lsp_text_release(&ft);
    free(path);
    return out;
}

json_t *lsp_workspace_symbol(lsp_server *s, const json_t *params, lsp_error *e)
{
    const char *q = json_string_value(json_object_get(params, "query"));
    static const char sql[] =
        "SELECT * FROM ("
        "SELECT 'actor', a.id, a.name, f.path, a.line, a.col FROM actors a JOIN files f ON "
        " f.id = a.file_id WHERE a.id IN (SELECT actor_id FROM actor_names WHERE instr(folded, "
        " annals_fold(?1)) > 0) UNION ALL "
        "SELECT 'place', p.id, p.name, f.path, p.line, p.col FROM places p JOIN files f ON "
        " f.id = p.file_id WHERE p.id IN (SELECT place_id FROM place_names WHERE instr(folded, "
        " annals_fold(?1)) > 0) UNION ALL "
        "SELECT 'source', t.id, t.title, f.path, t.line, t.col FROM sources t JOIN files f ON "
        " f.id = t.file_id WHERE instr(t.id, annals_fold(?1)) > 0 OR instr(annals_fold(t.title),"
        " annals_fold(?1)) > 0 UNION ALL "
        "SELECT 'event', t.id, t.title, f.path, t.line, t.col FROM events t JOIN files f ON "
        " f.id = t.file_id WHERE instr(t.id, annals_fold(?1)) > 0) LIMIT 500";
    sqlite3_stmt *st = query(s, sql, q ? q : "");
    json_t *out = json_array();
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        const char *id = col_text(st, 1);
        json_array_append_new(
            out, json_pack("{s:s, s:i, s:s, s:o}", "name", id, "kind",
                           symbol_kind(col_text(st, 0)), "containerName", col_text(st, 2),
                           "location", id_location(s, col_text(st, 3), sqlite3_column_int(st, 4),
                                                   sqlite3_column_int(st, 5), id)));
    }
    sqlite3_finalize(st);
    (void)e;
    return out;
}
