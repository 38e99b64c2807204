/* diff.c - compare two annals databases record by record: added, removed, renamed, changed, moved.
 *
 * Each kind is read from both databases in id order (its own columns, then
 * each list from its link table, merged in by owner), skipping the rows of
 * files whose content is the same on both sides. Records are matched by
 * id; the records left over on each side are matched as renames (see
 * diff.h for the rule), kind by kind in the order actors, places, sources,
 * events, so that the references of a later kind (an event's actors) and
 * of the same kind (part_of, within) are read under their new ids. The
 * fields of the kinds are one table: a new key is one row.
 */
#define _GNU_SOURCE
#include "annals/diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/util.h"

/* ---- The fields of each kind ---------------------------------------------- */

/*
 * A scalar field: SQL for its text and its JSON over the row alias r.
 * A list field: SQL giving (owner, ref, tail_json, tail_text) rows in the
 * order of the file, for the owners in OWNERS (replaced by a subquery);
 * an item's JSON is the ref as a string, or {"id": ref, tail...} when
 * object; its text is ref followed by tail_text.
 */
typedef struct {
    const char *name;
    diff_field_type type;
    const char *text_sql, *json_sql;   /* scalars */
    const char *list_sql;              /* lists */
    int ref_kind;                      /* lists: the kind the ref names, or -1 */
    bool object;                       /* lists: items are JSON objects */
} field_spec;

typedef struct {
    const char *table;
    int label;             /* the field that names a record (name, title) */
    int date;              /* the date field, or -1 */
    const field_spec *fields;
    size_t nfields;
} kind_spec;

#define TEXT(col) {#col, DIFF_TEXT, "r." #col, "json_quote(r." #col ")", NULL, -1, false}
#define LONG(col) {#col, DIFF_LONG, "r." #col, "json_quote(r." #col ")", NULL, -1, false}
#define DATE(col) {#col, DIFF_DATE, "r." #col, "json_quote(r." #col ")", NULL, -1, false}
#define LIST(name, sql, kind, obj) {name, DIFF_LIST, NULL, NULL, sql, kind, obj}
/* A number as the JSON report writes it: integers without a fraction. */
#define NUM(x) "(CASE WHEN " x " = CAST(" x " AS INTEGER) AND abs(" x ") < 1e15 " \
               "THEN CAST(CAST(" x " AS INTEGER) AS TEXT) ELSE CAST(" x " AS TEXT) END)"

static const field_spec actor_fields[] = {
    TEXT(name),
    TEXT(kind),
    LIST("aliases", "SELECT actor_id, NULL, json_quote(name), name FROM actor_names "
                    "WHERE is_alias = 1 AND actor_id IN OWNERS ORDER BY actor_id, line, col",
         -1, false),
    LIST("part_of", "SELECT actor_id, parent_id, '', '' FROM actor_parents "
                    "WHERE actor_id IN OWNERS ORDER BY actor_id, line, col",
         DIFF_ACTOR, false),
    LONG(description),
};

static const field_spec place_fields[] = {
    TEXT(name),
    TEXT(kind),
    LIST("within", "SELECT place_id, parent_id, '', '' FROM place_parents "
                   "WHERE place_id IN OWNERS ORDER BY place_id, line, col",
         DIFF_PLACE, false),
    {"coords", DIFF_COORDS,
     "CASE WHEN r.lat IS NULL THEN NULL ELSE " NUM("r.lat") " || ', ' || " NUM("r.lon") " END",
     "CASE WHEN r.lat IS NULL THEN 'null' ELSE '[' || " NUM("r.lat") " || ',' || "
     NUM("r.lon") " || ']' END", NULL, -1, false},
    LIST("aliases", "SELECT place_id, NULL, json_quote(name), name FROM place_names "
                    "WHERE is_alias = 1 AND place_id IN OWNERS ORDER BY place_id, line, col",
         -1, false),
};

static const field_spec source_fields[] = {
    TEXT(title),
    TEXT(publisher),
    TEXT(author),
    DATE(published),
    DATE(accessed),
    TEXT(url),
    LONG(notes),
};

static const field_spec event_fields[] = {
    DATE(date),
    TEXT(title),
    LONG(summary),
    TEXT(type),
    LIST("actors", "SELECT event_id, actor_id, ',\"role\":' || json_quote(role), "
                   "coalesce(' (' || role || ')', '') FROM event_actors "
                   "WHERE event_id IN OWNERS ORDER BY event_id, seq",
         DIFF_ACTOR, true),
    LIST("places", "SELECT event_id, place_id, '', '' FROM event_places "
                   "WHERE event_id IN OWNERS ORDER BY event_id, seq",
         DIFF_PLACE, true),
    LIST("tags", "SELECT event_id, NULL, json_quote(tag), tag FROM event_tags "
                 "WHERE event_id IN OWNERS ORDER BY event_id, seq",
         -1, false),
    LIST("sources", "SELECT event_id, source_id, ',\"quote\":' || json_quote(quote) || "
                    "',\"locator\":' || json_quote(locator), "
                    "coalesce(' \"' || quote || '\"', '') || coalesce(' at ' || locator, '') "
                    "FROM event_sources WHERE event_id IN OWNERS ORDER BY event_id, seq",
         DIFF_SOURCE, true),
    LIST("figures", "SELECT event_id, NULL, json_object('name', name, 'value', "
                    "json(" NUM("value") "), 'low', json(" NUM("low") "), 'high', json("
                    NUM("high") "), 'unit', unit), name || ': ' || " NUM("value")
                    " || coalesce(' (' || " NUM("low") " || '-' || " NUM("high") " || ')', '')"
                    " || coalesce(' ' || unit, '') FROM event_figures "
                    "WHERE event_id IN OWNERS ORDER BY event_id, seq",
         -1, false),
    LIST("part_of", "SELECT event_id, parent_id, '', '' FROM event_parents "
                    "WHERE event_id IN OWNERS ORDER BY event_id",
         DIFF_EVENT, false),
    LONG(notes),
};

#define NFIELDS(a) (sizeof(a) / sizeof(a[0]))
static const kind_spec kinds[DIFF_NKINDS] = {
    {"actors", 0, -1, actor_fields, NFIELDS(actor_fields)},
    {"places", 0, -1, place_fields, NFIELDS(place_fields)},
    {"sources", 0, -1, source_fields, NFIELDS(source_fields)},
    {"events", 1, 0, event_fields, NFIELDS(event_fields)},
};

const char *diff_kind_name(diff_kind k, bool plural)
{
    static const char *const names[DIFF_NKINDS][2] = {
        {"actor", "actors"}, {"place", "places"}, {"source", "sources"}, {"event", "events"}};
    return (unsigned)k < DIFF_NKINDS ? names[k][plural] : "record";
}

/* ---- Records in memory ------------------------------------------------------ */

typedef struct {
    char *ref;          /* NULL for items that name no record */
    char *tail_json;
    char *tail_text;
} item;

typedef struct {
    char *text, *json;  /* scalars */
    item *items;        /* lists, in the file's order */
    size_t nitems, cap;
} value;

typedef struct {
    char *id;
    char *pos;          /* "relpath:line" */
    value *v;           /* one per field of the kind */
    int match;          /* index of the record it pairs with on the other side, or -1 */
    bool renamed;
} record;

typedef struct {
    record *v;
    size_t n, cap;
    size_t nfields;
} records;

static void records_free(records *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        record *r = &rs->v[i];
        for (size_t f = 0; r->v && f < rs->nfields; f++) {
            value *v = &r->v[f];
            free(v->text);
            free(v->json);
            for (size_t k = 0; k < v->nitems; k++) {
                free(v->items[k].ref);
                free(v->items[k].tail_json);
                free(v->items[k].tail_text);
            }
            free(v->items);
        }
        free(r->v);
        free(r->id);
        free(r->pos);
    }
    free(rs->v);
    memset(rs, 0, sizeof(*rs));
}

static char *dup_col(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? strdup((const char *)s) : NULL;
}

/* A dup that fails only when out of memory: NULL stays NULL. */
#define DUP_OK(dst, st, i) (((dst) = dup_col(st, i)) != NULL || \
                            sqlite3_column_type(st, i) == SQLITE_NULL)

/* ---- One side --------------------------------------------------------------- */

typedef struct {
    sqlite3_int64 id;
    char *rel;
    char *hash;
} file_row;

typedef struct {
    const diff_side *side;
    file_row *files;
    size_t nfiles;
    char **keep;            /* with a filter: the ids of the events that match, sorted */
    size_t nkeep;
    bool filtered;          /* keep applies */
    bool by_id;             /* only the records in temp.annals_diff_ids are read */
} side_state;

static int fail_db(sqlite3 *db, const char *sql, char **err)
{
    *err = db_error(db, sql);
    return QUERY_EDB;
}

static int oom(char **err)
{
    *err = str_printf("out of memory");
    return QUERY_EDB;
}

/* Called for each row of a query; 0 to go on, else the failure (with *err). */
typedef int (*row_fn)(void *ctx, sqlite3_stmt *st, char **err);

/* Run sql on db and hand each row to row. 0, or the first failure with *err. */
static int each_row(sqlite3 *db, const char *sql, row_fn row, void *ctx, char **err)
{
    if (!sql)
        return oom(err);
    sqlite3_stmt *st;
    if (db_prepare(db, sql, &st, err) != 0)
        return QUERY_EDB;
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = row(ctx, st, err);
    if (rc == 0 && step != SQLITE_DONE)
        rc = fail_db(db, sql, err);
    sqlite3_finalize(st);
    return rc;
}

/* path relative to root; root NULL: returned as is. A new string. */
static char *relative(const char *path, const char *root)
{
    if (root) {
        size_t n = strlen(root);
        while (n > 1 && root[n - 1] == '/')
            n--;
        if (strncmp(path, root, n) == 0 && path[n] == '/')
            return strdup(path + n + 1);
        if (strncmp(path, root, n) == 0 && path[n] == '\0') {
            const char *slash = strrchr(path, '/');
            return strdup(slash ? slash + 1 : path);
        }
    }
    return strdup(path);
}

/* The deepest directory holding every path (with no trailing '/'), or "" when none. */
static char *common_dir(char **paths, size_t n)
{
    if (n == 0)
        return strdup("");
    size_t len = strlen(paths[0]);
    for (size_t i = 1; i < n; i++) {
        size_t k = 0;
        while (k < len && paths[i][k] && paths[i][k] == paths[0][k])
            k++;
        len = k;
    }
    /* Back to a directory boundary: the prefix must end just before a '/'. */
    while (len > 0 && paths[0][len] != '/')
        len--;
    for (size_t i = 0; len > 0 && i < n; i++)
        if (paths[i][len] != '/')
            len = 0;
    return strndup(paths[0], len);
}

/* Reading the files table: the rows, and their full paths until made relative. */
typedef struct {
    side_state *s;
    char **paths;
    size_t cap, pcap;
} files_read;

static int file_row_read(void *ctx, sqlite3_stmt *st, char **err)
{
    files_read *fr = ctx;
    side_state *s = fr->s;
    if (array_grow(&s->files, &fr->cap, s->nfiles, sizeof(*s->files), 64) != 0 ||
        array_grow(&fr->paths, &fr->pcap, s->nfiles, sizeof(*fr->paths), 64) != 0)
        return oom(err);
    file_row *f = &s->files[s->nfiles];
    f->id = sqlite3_column_int64(st, 0);
    f->rel = NULL;
    fr->paths[s->nfiles] = dup_col(st, 1);
    f->hash = dup_col(st, 2);
    s->nfiles++;
    return fr->paths[s->nfiles - 1] && f->hash ? 0 : oom(err);
}

static int read_files(side_state *s, char **err)
{
    files_read fr = {s, NULL, 0, 0};
    int rc = each_row(s->side->db, "SELECT id, path, hash FROM files ORDER BY id",
                      file_row_read, &fr, err);
    char **paths = fr.paths;
    char *root = NULL;
    if (rc == 0 && !s->side->root && !(root = common_dir(paths, s->nfiles)))
        rc = oom(err);
    const char *r = s->side->root ? s->side->root : (root && *root ? root : NULL);
    for (size_t i = 0; rc == 0 && i < s->nfiles; i++)
        if (!(s->files[i].rel = relative(paths[i], r)))
            rc = oom(err);
    for (size_t i = 0; i < s->nfiles; i++)
        free(paths[i]);
    free(paths);
    free(root);
    return rc;
}

static const file_row *file_by_id(const side_state *s, sqlite3_int64 id)
{
    size_t lo = 0, hi = s->nfiles;   /* ordered by id */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->files[mid].id < id)
            lo = mid + 1;
        else if (s->files[mid].id > id)
            hi = mid;
        else
            return &s->files[mid];
    }
    return NULL;
}

static int cmp_file_hash(const void *a, const void *b)
{
    const file_row *x = *(const file_row *const *)a, *y = *(const file_row *const *)b;
    int c = strcmp(x->hash, y->hash);
    return c ? c : strcmp(x->rel, y->rel);
}

/*
 * List in temp.annals_diff_read of a the files to read: those b does not
 * hold too, with the same fingerprint (and with same_path, the same
 * relative path). The records of the others are the same on both sides.
 */
static int mark_read(side_state *a, side_state *b, bool same_path, char **err)
{
    static const char make[] =
        "CREATE TEMP TABLE IF NOT EXISTS annals_diff_read(file_id INTEGER PRIMARY KEY);"
        "DELETE FROM temp.annals_diff_read;";
    static const char add[] = "INSERT INTO temp.annals_diff_read VALUES (?)";
    sqlite3 *db = a->side->db;
    if (db_exec(db, make, err) != 0)
        return QUERY_EDB;
    const file_row **sorted = malloc((b->nfiles + 1) * sizeof(*sorted));
    if (!sorted)
        return oom(err);
    for (size_t i = 0; i < b->nfiles; i++)
        sorted[i] = &b->files[i];
    qsort(sorted, b->nfiles, sizeof(*sorted), cmp_file_hash);
    sqlite3_stmt *st;
    if (db_prepare(db, add, &st, err) != 0) {
        free(sorted);
        return QUERY_EDB;
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < a->nfiles; i++) {
        const file_row *f = &a->files[i];
        bool found = false;
        size_t lo = 0, hi = b->nfiles;
        while (lo < hi && !found) {
            size_t mid = (lo + hi) / 2;
            int c = strcmp(sorted[mid]->hash, f->hash);
            if (c == 0 && same_path)
                c = strcmp(sorted[mid]->rel, f->rel);
            if (c < 0)
                lo = mid + 1;
            else if (c > 0)
                hi = mid;
            else
                found = true;
        }
        if (found)
            continue;
        sqlite3_bind_int64(st, 1, f->id);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = fail_db(db, add, err);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    free(sorted);
    return rc;
}

/* ---- Reading a kind ------------------------------------------------------------ */

/* The records of the files to read, through the index on file_id. */
#define FROM_READ(table) "temp.annals_diff_read d CROSS JOIN " table " r ON r.file_id = d.file_id"
/* With by_id, of these only the records chosen (choose_ids). */
#define BY_ID " WHERE r.id IN temp.annals_diff_ids"

/* The SQL of a list field with OWNERS replaced. A new string, or NULL. */
static char *list_sql(const side_state *s, const kind_spec *k, const field_spec *f)
{
    char *owners = str_printf("(SELECT r.id FROM " FROM_READ("%s") "%s)", k->table,
                              s->by_id ? BY_ID : "");
    const char *at = strstr(f->list_sql, "OWNERS");
    char *sql = owners && at ? str_printf("%.*s%s%s", (int)(at - f->list_sql), f->list_sql,
                                          owners, at + strlen("OWNERS"))
                             : NULL;
    free(owners);
    return sql;
}

/* Reading one kind: where its rows go. */
typedef struct {
    const side_state *s;
    const kind_spec *k;
    records *rs;
    size_t field;           /* read_list: the list field read */
    record *last;           /* read_list: the owner of the previous row */
} kind_read;

/* A record's own row: id, file_id, line, then each scalar's text and JSON. */
static int main_row(void *ctx, sqlite3_stmt *st, char **err)
{
    kind_read *kr = ctx;
    const kind_spec *k = kr->k;
    records *rs = kr->rs;
    if (array_grow(&rs->v, &rs->cap, rs->n, sizeof(*rs->v), 256) != 0)
        return oom(err);
    record *r = &rs->v[rs->n];
    memset(r, 0, sizeof(*r));
    r->match = -1;
    r->v = calloc(k->nfields, sizeof(*r->v));
    rs->n++;
    const file_row *file = file_by_id(kr->s, sqlite3_column_int64(st, 1));
    r->id = dup_col(st, 0);
    r->pos = str_printf("%s:%d", file ? file->rel : "?", sqlite3_column_int(st, 2));
    if (!r->v || !r->id || !r->pos)
        return oom(err);
    int col = 3;
    for (size_t f = 0; f < k->nfields; f++) {
        if (k->fields[f].type == DIFF_LIST)
            continue;
        if (!DUP_OK(r->v[f].text, st, col) || !DUP_OK(r->v[f].json, st, col + 1))
            return oom(err);
        col += 2;
    }
    return 0;
}

static int read_main(side_state *s, const kind_spec *k, records *rs, char **err)
{
    strbuf sql = STRBUF_INIT;
    strbuf_add(&sql, "SELECT r.id, r.file_id, r.line");
    for (size_t f = 0; f < k->nfields; f++)
        if (k->fields[f].type != DIFF_LIST)
            strbuf_addf(&sql, ", %s, %s", k->fields[f].text_sql, k->fields[f].json_sql);
    strbuf_addf(&sql, " FROM " FROM_READ("%s") "%s ORDER BY r.id", k->table,
                s->by_id ? BY_ID : "");
    rs->nfields = k->nfields;
    kind_read kr = {s, k, rs, 0, NULL};
    int rc = each_row(s->side->db, sql.oom ? NULL : sql.s, main_row, &kr, err);
    strbuf_free(&sql);
    return rc;
}

static int cmp_record_id(const void *key, const void *elem)
{
    return strcmp(key, ((const record *)elem)->id);
}

static record *find_record(records *rs, const char *id)
{
    return rs->n ? bsearch(id, rs->v, rs->n, sizeof(*rs->v), cmp_record_id) : NULL;
}

/* One item of a list field: owner, ref, tail_json, tail_text. */
static int list_row(void *ctx, sqlite3_stmt *st, char **err)
{
    kind_read *kr = ctx;
    const char *owner = (const char *)sqlite3_column_text(st, 0);
    if (!owner)
        return 0;
    if (!kr->last || strcmp(kr->last->id, owner) != 0)
        kr->last = find_record(kr->rs, owner);
    if (!kr->last)
        return 0;
    value *v = &kr->last->v[kr->field];
    if (array_grow(&v->items, &v->cap, v->nitems, sizeof(*v->items), 4) != 0)
        return oom(err);
    item *it = &v->items[v->nitems++];
    memset(it, 0, sizeof(*it));
    if (!DUP_OK(it->ref, st, 1) || !(it->tail_json = dup_col(st, 2)) ||
        !(it->tail_text = dup_col(st, 3)))
        return oom(err);
    return 0;
}

static int read_list(side_state *s, const kind_spec *k, size_t f, records *rs, char **err)
{
    char *sql = list_sql(s, k, &k->fields[f]);
    kind_read kr = {s, k, rs, f, NULL};
    int rc = each_row(s->side->db, sql, list_row, &kr, err);
    free(sql);
    return rc;
}

static int read_kind(side_state *s, diff_kind kind, records *rs, char **err)
{
    const kind_spec *k = &kinds[kind];
    int rc = read_main(s, k, rs, err);
    for (size_t f = 0; rc == 0 && f < k->nfields; f++)
        if (k->fields[f].type == DIFF_LIST)
            rc = read_list(s, k, f, rs, err);
    return rc;
}

/* ---- Reading only what one record needs ---------------------------------------- */

typedef struct {
    char **v;
    size_t n, cap;
} id_list;

static int id_row(void *ctx, sqlite3_stmt *st, char **err)
{
    id_list *l = ctx;
    if (array_grow(&l->v, &l->cap, l->n, sizeof(*l->v), 256) != 0 ||
        !(l->v[l->n] = dup_col(st, 0)))
        return oom(err);
    l->n++;
    return 0;
}

/* lone[i]: ids[i] is not in other (both sorted by id). The count of them. */
static size_t mark_lone(const id_list *ids, const id_list *other, bool *lone)
{
    size_t n = 0;
    for (size_t i = 0, j = 0; i < ids->n; i++) {
        while (j < other->n && strcmp(other->v[j], ids->v[i]) < 0)
            j++;
        lone[i] = j == other->n || strcmp(other->v[j], ids->v[i]) != 0;
        n += lone[i];
    }
    return n;
}

/* temp.annals_diff_ids of s: only_id, and with lone the ids it marks. */
static int write_ids(side_state *s, const char *only_id, const id_list *ids, const bool *lone,
                     char **err)
{
    static const char make[] =
        "CREATE TEMP TABLE IF NOT EXISTS annals_diff_ids(id TEXT PRIMARY KEY);"
        "DELETE FROM temp.annals_diff_ids;";
    static const char add[] = "INSERT OR IGNORE INTO temp.annals_diff_ids VALUES (?)";
    sqlite3 *db = s->side->db;
    sqlite3_stmt *st;
    if (db_exec(db, make, err) != 0 || db_prepare(db, add, &st, err) != 0)
        return QUERY_EDB;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i <= ids->n; i++) {
        const char *id = i == ids->n ? only_id : lone ? (lone[i] ? ids->v[i] : NULL) : NULL;
        if (!id)
            continue;
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = fail_db(db, add, err);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    s->by_id = rc == 0;
    return rc;
}

/*
 * For one record (only_id): which records of a kind to read on each side.
 * Records matched by id have nothing to say about another record; those
 * one side has and the other lacks may be renames, whose new ids the
 * references of later kinds are read under, but only when both sides have
 * some. So: the record itself, and the lone ones when both sides have
 * lone ones. They go to temp.annals_diff_ids; by_id is set on both sides.
 */
static int choose_ids(side_state *old, side_state *new, diff_kind kind, const char *only_id,
                      char **err)
{
    id_list ids[2] = {{NULL, 0, 0}, {NULL, 0, 0}};
    side_state *sides[2] = {old, new};
    bool *lone[2] = {NULL, NULL};
    char *sql = str_printf("SELECT r.id FROM " FROM_READ("%s") " ORDER BY r.id",
                           kinds[kind].table);
    int rc = 0;
    for (int i = 0; i < 2; i++) {
        sides[i]->by_id = false;
        if (rc == 0)
            rc = each_row(sides[i]->side->db, sql, id_row, &ids[i], err);
    }
    free(sql);
    if (rc == 0 && (!(lone[0] = malloc((ids[0].n + 1) * sizeof(bool))) ||
                    !(lone[1] = malloc((ids[1].n + 1) * sizeof(bool)))))
        rc = oom(err);
    bool renames = rc == 0 && mark_lone(&ids[0], &ids[1], lone[0]) > 0 &&
                   mark_lone(&ids[1], &ids[0], lone[1]) > 0;
    for (int i = 0; rc == 0 && i < 2; i++)
        rc = write_ids(sides[i], only_id, &ids[i], renames ? lone[i] : NULL, err);
    for (int i = 0; i < 2; i++) {
        for (size_t k = 0; k < ids[i].n; k++)
            free(ids[i].v[k]);
        free(ids[i].v);
        free(lone[i]);
    }
    return rc;
}

/* ---- Renames ------------------------------------------------------------------- */

typedef struct {
    char *from, *to;
} rename_pair;

typedef struct {
    rename_pair *v;
    size_t n, cap;
} rename_map;

static int cmp_rename(const void *a, const void *b)
{
    return strcmp(((const rename_pair *)a)->from, ((const rename_pair *)b)->from);
}

/* The id an OLD reference names in NEW. */
static const char *map_ref(const rename_map *maps, int kind, const char *ref)
{
    if (!ref || kind < 0 || maps[kind].n == 0)
        return ref;
    const rename_map *m = &maps[kind];
    rename_pair key = {(char *)ref, NULL};
    const rename_pair *p = bsearch(&key, m->v, m->n, sizeof(*m->v), cmp_rename);
    return p ? p->to : ref;
}

static int add_rename(rename_map *m, const char *from, const char *to)
{
    if (array_grow(&m->v, &m->cap, m->n, sizeof(*m->v), 16) != 0)
        return -1;
    m->v[m->n].from = (char *)from;   /* borrowed from the records */
    m->v[m->n].to = (char *)to;
    m->n++;
    return 0;   /* the caller sorts the map before it is read again */
}

/* An item's key for comparing lists: mapped ref, then the rest. */
typedef struct {
    const char *ref;
    const item *it;
} item_key;

static int cmp_item_key(const void *a, const void *b)
{
    const item_key *x = a, *y = b;
    int c = strcmp(x->ref ? x->ref : "", y->ref ? y->ref : "");
    return c ? c : strcmp(x->it->tail_json, y->it->tail_json);
}

/* The items of v as sorted keys, refs mapped when maps is not NULL. NULL when out of memory. */
static item_key *sorted_keys(const value *v, const field_spec *f, const rename_map *maps)
{
    item_key *keys = malloc((v->nitems + 1) * sizeof(*keys));
    if (!keys)
        return NULL;
    for (size_t i = 0; i < v->nitems; i++) {
        keys[i].it = &v->items[i];
        keys[i].ref = maps ? map_ref(maps, f->ref_kind, v->items[i].ref) : v->items[i].ref;
    }
    qsort(keys, v->nitems, sizeof(*keys), cmp_item_key);
    return keys;
}

/*
 * A record's content as one string for exact matching: every field, lists
 * sorted, references mapped when maps is given. NULL when out of memory.
 */
static char *signature(const record *r, const kind_spec *k, const rename_map *maps)
{
    strbuf s = STRBUF_INIT;
    for (size_t f = 0; f < k->nfields; f++) {
        const value *v = &r->v[f];
        if (k->fields[f].type != DIFF_LIST) {
            strbuf_addf(&s, "%s\x1f", v->json ? v->json : "null");
            continue;
        }
        item_key *keys = sorted_keys(v, &k->fields[f], maps);
        if (!keys) {
            strbuf_free(&s);
            return NULL;
        }
        for (size_t i = 0; i < v->nitems; i++)
            strbuf_addf(&s, "%s\x1e%s\x1d", keys[i].ref ? keys[i].ref : "",
                        keys[i].it->tail_json);
        free(keys);
        strbuf_add(&s, "\x1f");
    }
    return strbuf_detach(&s);
}

typedef struct {
    char *key;
    record *r;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->r->id, y->r->id);
}

static void keyed_free(keyed *v, size_t n, bool owned)
{
    for (size_t i = 0; owned && i < n; i++)
        free(v[i].key);
    free(v);
}

/*
 * The unmatched records of rs keyed by signature (by_label false) or by
 * label; with maps, OLD's references are mapped. Sorted by key. NULL when
 * out of memory (*n 0 with no record is not a failure: an empty array).
 */
static keyed *unmatched(records *rs, const kind_spec *k, const rename_map *maps,
                        bool by_label, size_t *n)
{
    keyed *v = malloc((rs->n + 1) * sizeof(*v));
    *n = 0;
    if (!v)
        return NULL;
    for (size_t i = 0; i < rs->n; i++) {
        record *r = &rs->v[i];
        if (r->match >= 0)
            continue;
        char *key = by_label ? r->v[k->label].text : signature(r, k, maps);
        if (!key && !by_label) {
            keyed_free(v, *n, true);
            return NULL;
        }
        if (!key)
            continue;
        v[*n].key = key;
        v[*n].r = r;
        (*n)++;
    }
    qsort(v, *n, sizeof(*v), cmp_keyed);
    return v;
}

/* Is v[i]'s key unique in v? */
static bool unique_key(const keyed *v, size_t n, size_t i)
{
    return (i == 0 || strcmp(v[i - 1].key, v[i].key) != 0) &&
           (i + 1 == n || strcmp(v[i + 1].key, v[i].key) != 0);
}

/* Pair unmatched OLD and NEW records whose keys are equal and unique. -1 when out of memory. */
static int pair_by_key(records *old, records *new, const kind_spec *k, rename_map *maps,
                       diff_kind kind, bool by_label, bool *progress)
{
    size_t no, nn;
    keyed *o = unmatched(old, k, maps, by_label, &no);
    keyed *n = unmatched(new, k, NULL, by_label, &nn);
    int rc = o && n ? 0 : -1;
    for (size_t i = 0, j = 0; rc == 0 && i < no && j < nn;) {
        int c = strcmp(o[i].key, n[j].key);
        if (c < 0) {
            i++;
        } else if (c > 0) {
            j++;
        } else {
            if (unique_key(o, no, i) && unique_key(n, nn, j)) {
                o[i].r->match = (int)(n[j].r - new->v);
                n[j].r->match = (int)(o[i].r - old->v);
                o[i].r->renamed = n[j].r->renamed = true;
                if (add_rename(&maps[kind], o[i].r->id, n[j].r->id) != 0)
                    rc = -1;
                *progress = true;
            }
            i++;
            j++;
        }
    }
    keyed_free(o, no, !by_label);
    keyed_free(n, nn, !by_label);
    if (maps[kind].n)
        qsort(maps[kind].v, maps[kind].n, sizeof(*maps[kind].v), cmp_rename);
    return rc;
}

static int find_renames(records *old, records *new, diff_kind kind, rename_map *maps,
                        char **err)
{
    const kind_spec *k = &kinds[kind];
    bool progress = true;
    /* Exact content, until no new pair appears (a pair can make another equal). */
    while (progress) {
        progress = false;
        if (pair_by_key(old, new, k, maps, kind, false, &progress) != 0)
            return oom(err);
    }
    if (pair_by_key(old, new, k, maps, kind, true, &progress) != 0)
        return oom(err);
    return 0;
}

/* ---- Field changes ------------------------------------------------------------- */

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* An item as shown: its ref (under its new id when renamed) and the rest. */
static char *item_text(const item_key *k)
{
    return str_printf("%s%s", k->ref ? k->ref : "", k->it->tail_text);
}

static void write_item_json(FILE *m, const item *it, bool object)
{
    if (!it->ref) {
        fputs(it->tail_json, m);
    } else if (object) {
        fputs("{\"id\":", m);
        json_write_string(m, it->ref, strlen(it->ref));
        fprintf(m, "%s}", it->tail_json);
    } else {
        json_write_string(m, it->ref, strlen(it->ref));
    }
}

static char *list_json(const value *v, bool object)
{
    char *s = NULL;
    size_t len;
    FILE *m = open_memstream(&s, &len);
    if (!m)
        return NULL;
    fputc('[', m);
    for (size_t i = 0; i < v->nitems; i++) {
        if (i)
            fputc(',', m);
        write_item_json(m, &v->items[i], object);
    }
    fputc(']', m);
    if (fclose(m) != 0) {
        free(s);
        return NULL;
    }
    return s;
}

static void field_free(diff_field *f)
{
    free(f->old_text);
    free(f->new_text);
    free(f->old_json);
    free(f->new_json);
    for (size_t i = 0; i < f->nadded; i++)
        free(f->added[i]);
    for (size_t i = 0; i < f->nremoved; i++)
        free(f->removed[i]);
    free(f->added);
    free(f->removed);
}

/* Append s (NULL: out of memory) to v, which has room for it. */
static int push_text(char **v, size_t *n, char *s)
{
    if (!s)
        return -1;
    v[(*n)++] = s;
    return 0;
}

/* Compare one list field: the items only in OLD (removed) and only in NEW (added). */
static int diff_list(const value *o, const value *n, const field_spec *f,
                     const rename_map *maps, diff_field *out, bool *differs)
{
    item_key *ko = sorted_keys(o, f, maps), *kn = sorted_keys(n, f, NULL);
    /* At most every item of OLD removed and every item of NEW added. */
    out->removed = malloc((o->nitems + 1) * sizeof(*out->removed));
    out->added = malloc((n->nitems + 1) * sizeof(*out->added));
    int rc = ko && kn && out->removed && out->added ? 0 : -1;
    size_t i = 0, j = 0;
    while (rc == 0 && (i < o->nitems || j < n->nitems)) {
        int c = i == o->nitems ? 1 : j == n->nitems ? -1 : cmp_item_key(&ko[i], &kn[j]);
        if (c < 0)
            rc = push_text(out->removed, &out->nremoved, item_text(&ko[i++]));
        else if (c > 0)
            rc = push_text(out->added, &out->nadded, item_text(&kn[j++]));
        else
            i++, j++;
    }
    free(ko);
    free(kn);
    *differs = out->nadded || out->nremoved;
    if (rc == 0 && *differs &&
        (!(out->old_json = list_json(o, f->object)) || !(out->new_json = list_json(n, f->object))))
        rc = -1;
    return rc;
}

/* The fields of o and n that differ, into e. -1 when out of memory. */
static int diff_fields(const record *o, const record *n, const kind_spec *k,
                       const rename_map *maps, diff_entry *e)
{
    e->fields = calloc(k->nfields, sizeof(*e->fields));
    if (!e->fields)
        return -1;
    for (size_t f = 0; f < k->nfields; f++) {
        const field_spec *fs = &k->fields[f];
        const value *vo = &o->v[f], *vn = &n->v[f];
        diff_field *d = &e->fields[e->nfields];
        memset(d, 0, sizeof(*d));
        d->field = fs->name;
        d->type = fs->type;
        bool differs;
        if (fs->type == DIFF_LIST) {
            if (diff_list(vo, vn, fs, maps, d, &differs) != 0) {
                field_free(d);
                return -1;
            }
        } else {
            differs = !same(vo->json, vn->json);
            if (differs && ((vo->text && !(d->old_text = strdup(vo->text))) ||
                            (vn->text && !(d->new_text = strdup(vn->text))) ||
                            !(d->old_json = strdup(vo->json ? vo->json : "null")) ||
                            !(d->new_json = strdup(vn->json ? vn->json : "null")))) {
                field_free(d);
                return -1;
            }
        }
        if (differs)
            e->nfields++;
        else
            field_free(d);
    }
    return 0;
}

/* ---- The result ---------------------------------------------------------------- */

static void entry_free(diff_entry *e)
{
    free(e->id);
    free(e->old_id);
    free(e->label);
    free(e->date);
    free(e->old_pos);
    free(e->new_pos);
    for (size_t i = 0; i < e->nfields; i++)
        field_free(&e->fields[i]);
    free(e->fields);
}

static void entries_free(diff_entries *es)
{
    for (size_t i = 0; i < es->n; i++)
        entry_free(&es->v[i]);
    free(es->v);
}

void diff_result_free(diff_result *r)
{
    if (!r)
        return;
    entries_free(&r->added);
    entries_free(&r->removed);
    entries_free(&r->renamed);
    entries_free(&r->changed);
    entries_free(&r->moved);
    free(r);
}

bool diff_result_empty(const diff_result *r)
{
    return r->added.n + r->removed.n + r->renamed.n + r->changed.n == 0;
}

static char *dup_or_null(const char *s, bool *bad)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d)
        *bad = true;
    return d;
}

/*
 * A new entry in es for a record: o and/or n (either may be NULL). Its
 * label and date come from n when there is one. NULL when out of memory.
 */
static diff_entry *push_entry(diff_entries *es, diff_kind kind, const record *o,
                              const record *n)
{
    if (array_grow(&es->v, &es->cap, es->n, sizeof(*es->v), 16) != 0)
        return NULL;
    const kind_spec *k = &kinds[kind];
    const record *shown = n ? n : o;
    diff_entry *e = &es->v[es->n];
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    bool bad = false;
    e->id = dup_or_null(shown->id, &bad);
    e->old_id = o && n && strcmp(o->id, n->id) != 0 ? dup_or_null(o->id, &bad) : NULL;
    e->label = dup_or_null(shown->v[k->label].text, &bad);
    e->date = k->date >= 0 ? dup_or_null(shown->v[k->date].text, &bad) : NULL;
    e->old_pos = o ? dup_or_null(o->pos, &bad) : NULL;
    e->new_pos = n ? dup_or_null(n->pos, &bad) : NULL;
    es->n++;
    if (bad) {
        entry_free(e);
        es->n--;
        return NULL;
    }
    return e;
}

/* ---- Filters ------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ids of the events of s matching f. QUERY_EFILTER when f names nothing there. */
static int filter_ids(side_state *s, const query_filter *f, char **err)
{
    query_cursor *cur;
    int rc = query_open(s->side->db, f, &cur, err);
    if (rc != 0)
        return rc;
    query_skip_links(cur, true);
    const report_event *ev;
    size_t cap = 0;
    while ((rc = query_next(cur, &ev, err)) == 1) {
        if (array_grow(&s->keep, &cap, s->nkeep, sizeof(*s->keep), 256) != 0) {
            rc = -1;
            break;
        }
        if (!(s->keep[s->nkeep] = strdup(ev->id))) {
            rc = -1;
            break;
        }
        s->nkeep++;
    }
    query_close(cur);
    if (rc < 0) {
        if (!*err)
            *err = str_printf("out of memory");
        return QUERY_EDB;
    }
    if (s->nkeep)
        qsort(s->keep, s->nkeep, sizeof(*s->keep), cmp_str);
    s->filtered = true;
    return 0;
}

static bool kept(const side_state *s, const record *r)
{
    return r && s->nkeep && bsearch(&r->id, s->keep, s->nkeep, sizeof(*s->keep), cmp_str);
}

/* ---- Comparing ----------------------------------------------------------------- */

typedef struct {
    side_state old, new;
    const diff_options *opts;
    rename_map maps[DIFF_NKINDS];
    diff_result *res;
} compare;

/* Should the entry for o/n (either NULL) be in the result? */
static bool wanted(const compare *c, diff_kind kind, const record *o, const record *n)
{
    const char *only = c->opts->only_id;
    if (only && !((o && strcmp(o->id, only) == 0) || (n && strcmp(n->id, only) == 0)))
        return false;
    if (!c->old.filtered && !c->new.filtered)
        return true;
    return kind == DIFF_EVENT && (kept(&c->old, o) || kept(&c->new, n));
}

static int compare_kind(compare *c, diff_kind kind, records *old, records *new, char **err)
{
    const kind_spec *k = &kinds[kind];
    /* Same id: merge the two id-ordered lists. */
    for (size_t i = 0, j = 0; i < old->n && j < new->n;) {
        int cmp = strcmp(old->v[i].id, new->v[j].id);
        if (cmp == 0) {
            old->v[i].match = (int)j;
            new->v[j].match = (int)i;
        }
        i += cmp <= 0;
        j += cmp >= 0;
    }
    int rc = find_renames(old, new, kind, c->maps, err);
    for (size_t i = 0; rc == 0 && i < old->n; i++) {
        record *o = &old->v[i], *n = o->match >= 0 ? &new->v[o->match] : NULL;
        if (!wanted(c, kind, o, n))
            continue;
        if (!n) {
            if (!push_entry(&c->res->removed, kind, o, NULL))
                rc = oom(err);
            continue;
        }
        if (o->renamed && !push_entry(&c->res->renamed, kind, o, n)) {
            rc = oom(err);
            break;
        }
        diff_entry probe = {0};
        if (diff_fields(o, n, k, c->maps, &probe) != 0) {
            entry_free(&probe);
            rc = oom(err);
            break;
        }
        if (probe.nfields > 0) {
            diff_entry *e = push_entry(&c->res->changed, kind, o, n);
            if (!e) {
                entry_free(&probe);
                rc = oom(err);
                break;
            }
            e->fields = probe.fields;
            e->nfields = probe.nfields;
        } else {
            free(probe.fields);
        }
        if (c->opts->moves && !o->renamed && strcmp(o->pos, n->pos) != 0 &&
            !push_entry(&c->res->moved, kind, o, n))
            rc = oom(err);
    }
    for (size_t j = 0; rc == 0 && j < new->n; j++)
        if (new->v[j].match < 0 && wanted(c, kind, NULL, &new->v[j]) &&
            !push_entry(&c->res->added, kind, NULL, &new->v[j]))
            rc = oom(err);
    return rc;
}

static int cmp_entry(const void *a, const void *b)
{
    const diff_entry *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return strcmp(x->id, y->id);
}

static void side_free(side_state *s)
{
    for (size_t i = 0; i < s->nfiles; i++) {
        free(s->files[i].rel);
        free(s->files[i].hash);
    }
    free(s->files);
    for (size_t i = 0; i < s->nkeep; i++)
        free(s->keep[i]);
    free(s->keep);
}

/* Apply the filter on both sides: an error on one side only is no error. */
static int apply_filter(compare *c, char **err)
{
    char *e_old = NULL, *e_new = NULL;
    int r_old = filter_ids(&c->old, c->opts->filter, &e_old);
    int r_new = filter_ids(&c->new, c->opts->filter, &e_new);
    int rc = 0;
    if (r_old == QUERY_EDB) {
        rc = QUERY_EDB;
        *err = e_old;
        e_old = NULL;
    } else if (r_new == QUERY_EDB) {
        rc = QUERY_EDB;
        *err = e_new;
        e_new = NULL;
    } else if (r_old != 0 && r_new != 0) {
        rc = QUERY_EFILTER;
        *err = e_new;
        e_new = NULL;
    }
    free(e_old);
    free(e_new);
    /* A side where the filter names nothing keeps no event. */
    c->old.filtered = c->new.filtered = true;
    return rc;
}

int diff_compare(const diff_side *old, const diff_side *new, const diff_options *o,
                 diff_result **out, char **err)
{
    compare c;
    memset(&c, 0, sizeof(c));
    c.old.side = old;
    c.new.side = new;
    c.opts = o;
    *out = NULL;
    *err = NULL;
    if (!(c.res = calloc(1, sizeof(*c.res))))
        return oom(err);
    int rc = read_files(&c.old, err);
    if (rc == 0)
        rc = read_files(&c.new, err);
    if (rc == 0)
        rc = mark_read(&c.old, &c.new, o->moves, err);
    if (rc == 0)
        rc = mark_read(&c.new, &c.old, o->moves, err);
    if (rc == 0 && o->filter)
        rc = apply_filter(&c, err);
    for (int kind = 0; rc == 0 && kind < DIFF_NKINDS; kind++) {
        records ro = {0}, rn = {0};
        if (o->only_id)
            rc = choose_ids(&c.old, &c.new, (diff_kind)kind, o->only_id, err);
        if (rc == 0)
            rc = read_kind(&c.old, (diff_kind)kind, &ro, err);
        if (rc == 0)
            rc = read_kind(&c.new, (diff_kind)kind, &rn, err);
        if (rc == 0)
            rc = compare_kind(&c, (diff_kind)kind, &ro, &rn, err);
        /* The rename map borrows the records' ids: keep copies past them. */
        size_t copied = 0;
        for (; rc == 0 && copied < c.maps[kind].n; copied++) {
            rename_pair *p = &c.maps[kind].v[copied];
            char *from = strdup(p->from), *to = strdup(p->to);
            if (!from || !to) {
                free(from);
                free(to);
                rc = oom(err);
                break;
            }
            p->from = from;
            p->to = to;
        }
        c.maps[kind].n = copied;
        records_free(&ro);
        records_free(&rn);
    }
    for (int kind = 0; kind < DIFF_NKINDS; kind++) {
        for (size_t i = 0; i < c.maps[kind].n; i++) {
            free(c.maps[kind].v[i].from);
            free(c.maps[kind].v[i].to);
        }
        free(c.maps[kind].v);
    }
    static const char drop[] = "DROP TABLE IF EXISTS temp.annals_diff_read;"
                               "DROP TABLE IF EXISTS temp.annals_diff_ids";
    sqlite3_exec(old->db, drop, NULL, NULL, NULL);
    sqlite3_exec(new->db, drop, NULL, NULL, NULL);
    side_free(&c.old);
    side_free(&c.new);
    if (rc != 0) {
        diff_result_free(c.res);
        return rc;
    }
    diff_entries *lists[] = {&c.res->added, &c.res->removed, &c.res->renamed,
                             &c.res->changed, &c.res->moved};
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
        if (lists[i]->n)
            qsort(lists[i]->v, lists[i]->n, sizeof(*lists[i]->v), cmp_entry);
    *out = c.res;
    return 0;
}

/* ---- Word diff ---------------------------------------------------------------- */

typedef struct {
    const char *s;
    size_t len;
} word;

/* The words of s. A new array (*n words), or NULL when out of memory. */
static word *split_words(const char *s, size_t *n)
{
    size_t cap = 0;
    word *w = NULL;
    *n = 0;
    if (array_grow(&w, &cap, 0, sizeof(*w), 16) != 0)
        return NULL;
    for (const char *p = s; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        const char *start = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            p++;
        if (array_grow(&w, &cap, *n, sizeof(*w), 16) != 0) {
            free(w);
            return NULL;
        }
        w[(*n)++] = (word){start, (size_t)(p - start)};
    }
    return w;
}

static bool word_eq(const word *a, const word *b)
{
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* Append one word under op, merging with the previous op of the same kind. */
static void emit(diff_word *out, size_t *n, diff_op_kind op, const word *w)
{
    if (*n > 0 && out[*n - 1].op == op) {
        diff_word *last = &out[*n - 1];
        last->len = (size_t)(w->s + w->len - last->s);
    } else {
        out[(*n)++] = (diff_word){op, w->s, w->len};
    }
}

#define WORDS_MAX_CELLS 4000000u

int diff_words(const char *a, const char *b, diff_word **out, size_t *n)
{
    size_t na, nb;
    word *wa = split_words(a ? a : "", &na), *wb = split_words(b ? b : "", &nb);
    *out = NULL;
    *n = 0;
    int rc = -1;
    uint32_t *t = NULL;
    if (!wa || !wb)
        goto done;
    /* Common prefix and suffix need no table. */
    size_t pre = 0, suf = 0;
    while (pre < na && pre < nb && word_eq(&wa[pre], &wb[pre]))
        pre++;
    while (suf < na - pre && suf < nb - pre && word_eq(&wa[na - 1 - suf], &wb[nb - 1 - suf]))
        suf++;
    size_t ma = na - pre - suf, mb = nb - pre - suf;
    if (ma && mb && (ma + 1) > WORDS_MAX_CELLS / (mb + 1))
        goto done;
    /* t[i][j]: the longest common subsequence of the middles from i and j on. */
    size_t w = mb + 1;
    t = calloc((ma + 1) * w, sizeof(*t));
    *out = malloc((na + nb + 1) * sizeof(**out));
    if (!t || !*out)
        goto done;
    for (size_t i = ma; i-- > 0;)
        for (size_t j = mb; j-- > 0;)
            t[i * w + j] = word_eq(&wa[pre + i], &wb[pre + j])
                               ? t[(i + 1) * w + j + 1] + 1
                               : (t[(i + 1) * w + j] > t[i * w + j + 1] ? t[(i + 1) * w + j]
                                                                        : t[i * w + j + 1]);
    for (size_t i = 0; i < pre; i++)
        emit(*out, n, DIFF_SAME, &wa[i]);
    size_t i = 0, j = 0;
    while (i < ma || j < mb) {
        if (i < ma && j < mb && word_eq(&wa[pre + i], &wb[pre + j])) {
            emit(*out, n, DIFF_SAME, &wa[pre + i]);
            i++, j++;
        } else if (i < ma && (j == mb || t[(i + 1) * w + j] >= t[i * w + j + 1])) {
            emit(*out, n, DIFF_DEL, &wa[pre + i++]);   /* on a tie, what goes before what comes */
        } else {
            emit(*out, n, DIFF_INS, &wb[pre + j++]);
        }
    }
    for (size_t k = na - suf; k < na; k++)
        emit(*out, n, DIFF_SAME, &wa[k]);
    rc = 0;
done:
    if (rc != 0) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    free(t);
    free(wa);
    free(wb);
    return rc;
}
