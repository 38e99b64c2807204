/* lsp_complete.c - completion: ids of the kind expected, keys a record lacks, values in use, date forms. */
#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/lsp.h"
#include "annals/records.h"
#include "annals/util.h"

/* Ids offered at most; more makes the list incomplete (the client asks again as you type). */
#define MAX_ITEMS 200

/* CompletionItemKind values. */
enum { CK_PROPERTY = 10, CK_VALUE = 12, CK_ENUM = 13, CK_KEYWORD = 14, CK_SNIPPET = 15,
       CK_REFERENCE = 18 };

/* The date forms, as snippets (the format's table of dates). */
static const struct {
    const char *label, *snippet, *doc;
} date_forms[] = {
    {"YYYY-MM-DD", "${1:2021}-${2:01}-${3:21}", "a day"},
    {"YYYY-MM", "${1:2021}-${2:01}", "a month"},
    {"YYYY", "${1:2021}", "a year"},
    {"YYYY-SS (season)", "${1:2014}-${2|21,22,23,24|}", "a season: 21 spring, 22 summer, "
                                                         "23 autumn, 24 winter"},
    {"YYYY-MM-DDThh:mm:ssZ", "${1:2021}-${2:06}-${3:28}T${4:10}:${5:30}:${6:00}Z",
     "a date and time (UTC, or an offset such as +02:00)"},
    {"START/END (interval)", "${1:2014-22}/${2:2019-03}", "from the start's lower bound to "
                                                          "the end's upper bound"},
    {"START/.. (open end)", "${1:2019-03}/..", "from a date on, with no end"},
    {"../END (open start)", "../${1:1985}", "until a date, with no start"},
    {"START/ (unknown end)", "${1:2019-03}/", "the end is not known"},
    {"YYYY? (uncertain)", "${1:2019}?", "uncertain: ? (approximate: ~, both: %)"},
    {"YYYY~ (approximate)", "${1:2019}~", "approximate"},
    {"19XX (unspecified digits)", "${1:19}XX", "the whole range the digits can stand for"},
    {"-YYYY (BCE)", "-${1:0043}-${2:03}-${3:15}", "astronomical years: -0043 is 44 BCE"},
};

static json_t *item(const char *label, int kind, const char *detail)
{
    json_t *it = json_pack("{s:s, s:i}", "label", label, "kind", kind);
    if (it && detail)
        json_object_set_new(it, "detail", json_string(detail));
    return it;
}

static void complete_keys(lsp_server *s, const lsp_file_text *ft, const lsp_context *ctx,
                          json_t *items)
{
    if (!ctx->section[0]) {
        static const char *const sections[] = {"actors", "places", "sources", "events"};
        for (size_t i = 0; i < 4; i++) {
            json_t *it = item(sections[i], CK_KEYWORD, "section");
            json_object_set_new(it, "insertText", json_sprintf("%s:", sections[i]));
            json_array_append_new(items, it);
        }
        return;
    }
    char have[2048];
    lsp_context_keys(ft->text, ft->len, ctx, have, sizeof(have));
    const char *key;
    for (size_t k = 0; (key = records_key(ctx->section, ctx->outer, k)) != NULL; k++) {
        bool present = false;
        for (const char *h = have; *h && !present; h += strlen(h) + 1)
            present = strcmp(h, key) == 0;
        if (present)
            continue;
        json_t *it = item(key, CK_PROPERTY, NULL);
        json_object_set_new(it, "insertText", json_sprintf("%s: ", key));
        json_object_set_new(it, "sortText", json_sprintf("%02zu", k));
        json_array_append_new(items, it);
    }
    (void)s;
}

static sqlite3_stmt *prepare(lsp_server *s, const char *sql)
{
    sqlite3_stmt *st;
    char *err;
    if (!s->db)
        return NULL;
    if (db_prepare(s->db, sql, &st, &err) != 0) {
        lsp_log(s, "completion query failed: %s", err);
        free(err);
        return NULL;
    }
    return st;
}

static const char *text_of(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? t : "";
}

/* Ids of kind whose id, name or alias starts with prefix (folded). */
static bool complete_ids(lsp_server *s, const lsp_file_text *ft, const lsp_context *ctx,
                         const char *kind, const char *prefix, json_t *items)
{
    bool named = strcmp(kind, "actor") == 0 || strcmp(kind, "place") == 0;
    char *sql;
    if (named)
        /* the matches first (by the folded names' index), then the aliases of
           those only, in one pass: names have no index by owner */
        sql = str_printf(
            "WITH m(id) AS (SELECT DISTINCT %1$s_id FROM %1$s_names WHERE folded >= ?1 AND "
            "folded < ?1 || char(1114111) ORDER BY 1 LIMIT %3$d) "
            "SELECT t.id, t.name, a.aliases, (SELECT name FROM %1$s_names y WHERE y.folded >= "
            "?1 AND y.folded < ?1 || char(1114111) AND y.%1$s_id = t.id AND y.is_alias = 1 "
            "LIMIT 1) FROM m JOIN %2$s t ON t.id = m.id LEFT JOIN (SELECT %1$s_id AS id, "
            "group_concat(name, ' ') AS aliases FROM %1$s_names WHERE is_alias = 1 AND "
            "%1$s_id IN m GROUP BY %1$s_id) a ON a.id = t.id ORDER BY t.id",
            kind, lsp_kind_table(kind), MAX_ITEMS + 1);
    else
        sql = str_printf("SELECT t.id, t.title, NULL, NULL FROM %s t WHERE t.id >= ?1 AND t.id "
                         "< ?1 || char(1114111) ORDER BY t.id LIMIT %d",
                         lsp_kind_table(kind), MAX_ITEMS + 1);
    sqlite3_stmt *st = sql ? prepare(s, sql) : NULL;
    free(sql);
    if (!st)
        return false;
    char *folded = text_fold(prefix, strlen(prefix));
    sqlite3_bind_text(st, 1, folded ? folded : prefix, -1, SQLITE_TRANSIENT);
    free(folded);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (++n > MAX_ITEMS)
            break;
        const char *id = text_of(st, 0), *name = text_of(st, 1), *aliases = text_of(st, 2);
        const char *matched = text_of(st, 3);
        json_t *it = item(id, CK_REFERENCE, name);
        /* the alias typed first, so that a client filtering by it keeps the item */
        json_object_set_new(it, "filterText", json_sprintf("%s%s%s %s%s%s", matched,
                                                           *matched ? " " : "", id, name,
                                                           *aliases ? " " : "", aliases));
        json_object_set_new(it, "textEdit", json_pack("{s:o, s:s}", "range",
                                                      lsp_bytes_range(s, ft, ctx->word_start, ctx->word_end), "newText", id));
        if (*aliases)
            json_object_set_new(it, "documentation", json_sprintf("aliases: %s", aliases));
        json_array_append_new(items, it);
    }
    sqlite3_finalize(st);
    return n > MAX_ITEMS;
}

/* The values in use after type:, tags:, role:, with how many events use each. */
static void complete_values(lsp_server *s, const lsp_context *ctx, json_t *items)
{
    const char *sql = NULL;
    if (strcmp(ctx->section, "events") == 0 && !ctx->outer[0] && strcmp(ctx->key, "type") == 0)
        sql = "SELECT type, count(*) FROM events WHERE type IS NOT NULL GROUP BY type "
              "ORDER BY 2 DESC, 1 LIMIT 500";
    else if (strcmp(ctx->section, "events") == 0 && !ctx->outer[0] &&
             strcmp(ctx->key, "tags") == 0)
        sql = "SELECT tag, count(DISTINCT event_id) FROM event_tags GROUP BY tag "
              "ORDER BY 2 DESC, 1 LIMIT 500";
    else if (strcmp(ctx->section, "events") == 0 && strcmp(ctx->outer, "actors") == 0 &&
             strcmp(ctx->key, "role") == 0)
        sql = "SELECT role, count(*) FROM event_actors WHERE role IS NOT NULL GROUP BY role "
              "ORDER BY 2 DESC, 1 LIMIT 500";
    sqlite3_stmt *st = sql ? prepare(s, sql) : NULL;
    for (int rank = 0; st && sqlite3_step(st) == SQLITE_ROW; rank++) {
        long long n = sqlite3_column_int64(st, 1);
        char detail[64];
        snprintf(detail, sizeof(detail), "%lld %s", n, n == 1 ? "use" : "uses");
        json_t *it = item(text_of(st, 0), CK_VALUE, detail);
        json_object_set_new(it, "sortText", json_sprintf("%05d", rank));
        json_array_append_new(items, it);
    }
    sqlite3_finalize(st);
    const char *const *v = ctx->outer[0] ? NULL : records_values(ctx->section, ctx->key);
    for (; v && *v; v++)
        json_array_append_new(items, item(*v, CK_ENUM, NULL));
}

static void complete_dates(json_t *items)
{
    for (size_t i = 0; i < sizeof(date_forms) / sizeof(date_forms[0]); i++) {
        json_t *it = item(date_forms[i].label, CK_SNIPPET, date_forms[i].doc);
        json_object_set_new(it, "insertText", json_string(date_forms[i].snippet));
        json_object_set_new(it, "insertTextFormat", json_integer(2));
        json_object_set_new(it, "sortText", json_sprintf("%02zu", i));
        json_array_append_new(items, it);
    }
}

json_t *lsp_completion(lsp_server *s, const json_t *params, lsp_error *e)
{
    lsp_cursor c;
    if (lsp_cursor_open(s, params, &c, e) != 0)
        return NULL;
    const lsp_file_text *ft = &c.ft;
    const lsp_context *ctx = &c.ctx;
    size_t off = c.offset;
    json_t *items = json_array();
    bool incomplete = false;
    bool def;
    const char *kind = lsp_context_id_kind(ctx, &def);
    if (ctx->at_key) {
        complete_keys(s, ft, ctx, items);
    } else if (kind && !def) {
        char *prefix = strndup(ft->text + ctx->word_start,
                               off > ctx->word_start ? off - ctx->word_start : 0);
        incomplete = prefix && complete_ids(s, ft, ctx, kind, prefix, items);
        free(prefix);
    } else if (!ctx->outer[0] &&
               ((strcmp(ctx->section, "events") == 0 && strcmp(ctx->key, "date") == 0) ||
                (strcmp(ctx->section, "sources") == 0 &&
                 (strcmp(ctx->key, "published") == 0 || strcmp(ctx->key, "accessed") == 0)))) {
        complete_dates(items);
    } else if (ctx->key[0]) {
        complete_values(s, ctx, items);
    }
    lsp_cursor_close(&c);
    return json_pack("{s:b, s:o}", "isIncomplete", incomplete, "items", items);
}
