/* lsp_actions.c - quick fixes: a diagnostic's "did you mean", and a stub record for an unknown id. */
#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/lsp.h"
#include "annals/util.h"

static json_t *edit_action(const char *title, const char *uri, json_t *range, const char *text,
                           json_t *diag)
{
    json_t *a = json_pack("{s:s, s:s, s:{s:{s:[{s:o, s:s}]}}}", "title", title, "kind",
                          "quickfix", "edit", "changes", uri, "range", range, "newText", text);
    if (a && diag)
        json_object_set_new(a, "diagnostics", json_pack("[O]", diag));
    return a;
}

/* The start of the line after the record holding 0-based line `line` of text. */
static size_t record_end(const char *t, size_t len, unsigned line, int *item_indent)
{
    size_t off = lsp_line_start(t, len, line);
    /* up to the record's "- " line */
    size_t rs = off;
    for (;;) {
        size_t p = rs;
        while (p < len && t[p] == ' ')
            p++;
        if (p < len && t[p] == '-' && (p + 1 >= len || t[p + 1] == ' ' || t[p + 1] == '\n')) {
            *item_indent = (int)(p - rs);
            break;
        }
        if (rs == 0) {
            *item_indent = 2;
            break;
        }
        rs--;
        while (rs > 0 && t[rs - 1] != '\n')
            rs--;
    }
    size_t q = off;
    for (;;) {
        const char *nl = memchr(t + q, '\n', len - q);
        if (!nl)
            return len;
        q = (size_t)(nl - t) + 1;
        size_t p = q;
        while (p < len && t[p] == ' ')
            p++;
        if (p < len && t[p] != '\n' && t[p] != '#' && t[p] != '\r' && (int)(p - q) <= *item_indent)
            return q;
    }
}

/* "create actor 'x'": a stub record after the last of its kind, in the file that keeps most. */
static json_t *create_action(lsp_server *s, const char *kind, const char *id, const char *here,
                             json_t *diag)
{
    const char *table = lsp_kind_table(kind);
    char *sql = str_printf("SELECT f.path, max(t.line) FROM %s t JOIN files f ON f.id = t.file_id "
                           "GROUP BY t.file_id ORDER BY count(*) DESC, f.path LIMIT 1", table);
    sqlite3_stmt *st = NULL;
    char *err = NULL, *path = NULL;
    int last = 0;
    if (sql && s->db && db_prepare(s->db, sql, &st, &err) == 0 &&
        sqlite3_step(st) == SQLITE_ROW) {
        path = strdup((const char *)sqlite3_column_text(st, 0));
        last = sqlite3_column_int(st, 1);
    }
    free(err);
    free(sql);
    sqlite3_finalize(st);
    const char *label = strcmp(kind, "source") == 0 || strcmp(kind, "event") == 0 ? "title"
                                                                                  : "name";
    const char *extra = strcmp(kind, "event") == 0 ? "date: YYYY-MM-DD\n" : "";
    lsp_file_text ft;
    lsp_text_get(s, path ? path : here, &ft);
    if (!ft.text) {
        free(path);
        return NULL;
    }
    size_t at;
    char *text;
    int ind = 2;
    if (path) {
        at = record_end(ft.text, ft.len, (unsigned)(last - 1), &ind);
        bool nl = at > 0 && ft.text[at - 1] != '\n';
        char *pad = str_printf("%*s", ind + 2, "");
        text = str_printf("%s%*s- id: %s\n%s%s%s%s: %s\n", nl ? "\n" : "", ind, "", id,
                          *extra ? pad : "", extra, pad ? pad : "", label, id);
        free(pad);
    } else {
        at = ft.len;
        bool nl = at > 0 && ft.text[at - 1] != '\n';
        text = str_printf("%s\n%s:\n  - id: %s\n    %s%s%s: %s\n", nl ? "\n" : "", table, id,
                          extra, *extra ? "    " : "", label, id);
    }
    lsp_pos p = lsp_pos_of(ft.text, ft.len, at, s->enc);
    lsp_text_release(&ft);
    char *uri = lsp_path_to_uri(path ? path : here);
    char *title = str_printf("create %s '%s'", kind, id);
    json_t *range = lsp_range_json(p, p);
    json_t *a = uri && title && text ? edit_action(title, uri, range, text, diag) : NULL;
    if (!a)
        json_decref(range);
    free(uri);
    free(title);
    free(text);
    free(path);
    return a;
}

json_t *lsp_code_action(lsp_server *s, const json_t *params, lsp_error *e)
{
    const char *uri = json_string_value(json_object_get(json_object_get(params, "textDocument"),
                                                        "uri"));
    char *here = uri ? lsp_uri_to_path(uri) : NULL;
    if (!here) {
        e->code = LSP_INVALID_PARAMS;
        snprintf(e->message, sizeof(e->message), "textDocument.uri must be a file URI");
        return NULL;
    }
    json_t *out = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(json_object_get(params, "context"), "diagnostics"), i, d) {
        diag_view v;
        if (!lsp_ws_diag_of(s, here, d, &v))
            continue;   /* not the server's, or out of date */
        if (v.fix) {
            char *title = str_printf("replace with '%s'", v.fix);
            json_t *a = title ? edit_action(title, uri, json_deep_copy(json_object_get(d, "range")),
                                            v.fix, d) : NULL;
            if (a) {
                json_object_set_new(a, "isPreferred", json_true());
                json_array_append_new(out, a);
            }
            free(title);
        }
        if (v.about == DIAG_ABOUT_UNKNOWN_ID && v.kind && v.id) {
            json_t *a = create_action(s, v.kind, v.id, here, d);
            if (a)
                json_array_append_new(out, a);
        }
    }
    free(here);
    return out;
}
