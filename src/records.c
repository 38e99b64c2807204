/* records.c - validate one record against the format's key tables and turn it into rows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "annals/edtf.h"
#include "annals/edtf_human.h"
#include "annals/names.h"
#include "annals/records.h"
#include "annals/util.h"

/* ---- The format as tables: one row per key ------------------------------ */

typedef enum {
    T_ID,       /* the record's id: a slug */
    T_SLUG,     /* a slug from a free vocabulary (type, role, figure name) */
    T_LINE,     /* one line of text */
    T_TEXT,     /* text, may span lines */
    T_ENUM,     /* one of spec->values */
    T_DATE,     /* an EDTF date, not an interval */
    T_WHEN,     /* an EDTF date or interval */
    T_URL,      /* http:// or https:// */
    T_NUMBER,   /* a plain number */
    T_COORDS,   /* [lat, lon] */
    T_REF,      /* one id of kind spec->what */
    T_REFS,     /* one id or a list of ids */
    T_LINES,    /* a list of one-line texts */
    T_SLUGS,    /* a list of slugs */
    T_REF_LIST, /* a list of ids */
    T_RECORDS   /* a list of mappings per spec->sub; a bare id stands for {id: ...} */
} field_type;

typedef struct field_spec {
    const char *key;
    field_type type;
    bool required;
    const char *what;                 /* referenced kind, or a noun for messages */
    const char *const *values;        /* T_ENUM */
    const struct field_spec *sub;     /* T_RECORDS */
} field_spec;

#define MAX_FIELDS 16

static const char *const actor_kinds[] = {
    "person", "state", "organization", "armed-group", "coalition", "other", NULL};
static const char *const place_kinds[] = {
    "region", "country", "admin", "city", "site", "other", NULL};

static const field_spec actor_fields[] = {
    {"id", T_ID, true, "actor", NULL, NULL},
    {"name", T_LINE, true, NULL, NULL, NULL},
    {"kind", T_ENUM, false, NULL, actor_kinds, NULL},
    {"aliases", T_LINES, false, "alias", NULL, NULL},
    {"part_of", T_REFS, false, "actor", NULL, NULL},
    {"description", T_TEXT, false, NULL, NULL, NULL},
    {NULL, 0, false, NULL, NULL, NULL}};

static const field_spec place_fields[] = {
    {"id", T_ID, true, "place", NULL, NULL},
    {"name", T_LINE, true, NULL, NULL, NULL},
    {"kind", T_ENUM, false, NULL, place_kinds, NULL},
    {"within", T_REFS, false, "place", NULL, NULL},
    {"coords", T_COORDS, false, NULL, NULL, NULL},
    {"aliases", T_LINES, false, "alias", NULL, NULL},
    {NULL, 0, false, NULL, NULL, NULL}};

static const field_spec source_fields[] = {
    {"id", T_ID, true, "source", NULL, NULL},
    {"title", T_LINE, true, NULL, NULL, NULL},
    {"publisher", T_TEXT, false, NULL, NULL, NULL},
    {"author", T_TEXT, false, NULL, NULL, NULL},
    {"published", T_DATE, false, NULL, NULL, NULL},
    {"accessed", T_DATE, false, NULL, NULL, NULL},
    {"url", T_URL, false, NULL, NULL, NULL},
    {"notes", T_TEXT, false, NULL, NULL, NULL},
    {NULL, 0, false, NULL, NULL, NULL}};

static const field_spec event_actor_fields[] = {
    {"id", T_REF, true, "actor", NULL, NULL},
    {"role", T_SLUG, false, "role", NULL, NULL},
    {NULL, 0, false, NULL, NULL, NULL}};

static const field_spec event_source_fields[] = {
    {"id", T_REF, true, "source", NULL, NULL},
    {"quote", T_TEXT, false, NULL, NULL, NULL},
    {"locator", T_TEXT, false, NULL, NULL, NULL},
    {NULL, 0, false, NULL, NULL, NULL}};

static const field_spec figure_fields[] = {
    {"name", T_SLUG, true, "figure name", NULL, NULL},
    {"value", T_NUMBER, true, NULL, NULL, NULL},
    {"low", T_NUMBER, false, NULL, NULL, NULL},
    {"high", T_NUMBER, false, NULL, NULL, NULL},
    {"unit", T_LINE, false, NULL, NULL, NULL},
    {NULL, 0, false, NULL, NULL, NULL}};

static const field_spec event_fields[] = {
    {"id", T_ID, true, "event", NULL, NULL},
    {"date", T_WHEN, true, NULL, NULL, NULL},
    {"title", T_LINE, true, NULL, NULL, NULL},
    {"summary", T_TEXT, false, NULL, NULL, NULL},
    {"type", T_SLUG, false, "type", NULL, NULL},
    {"actors", T_RECORDS, false, "actor", NULL, event_actor_fields},
    {"places", T_REF_LIST, false, "place", NULL, NULL},
    {"tags", T_SLUGS, false, "tag", NULL, NULL},
    {"sources", T_RECORDS, false, "source", NULL, event_source_fields},
    {"figures", T_RECORDS, false, "figure", NULL, figure_fields},
    {"part_of", T_REF, false, "event", NULL, NULL},
    {"notes", T_TEXT, false, NULL, NULL, NULL},
    {NULL, 0, false, NULL, NULL, NULL}};

/* A validated value: the node, and what was parsed from it. */
typedef struct {
    const ynode *node;   /* NULL when absent, null, or invalid */
    edtf_date date;      /* T_DATE, T_WHEN */
    double num[2];       /* T_NUMBER: [0]; T_COORDS: lat, lon */
} slot;

/* ---- Diagnostics helpers ------------------------------------------------- */

static int span_of(const ynode *n)
{
    if (n->kind == YNODE_SCALAR && n->end_col > n->col)
        return n->end_col - n->col;
    return 1;
}

static void error_at(records_reader *L, const ynode *n, const char *hint, const char *msg)
{
    diag_add(L->dl, DIAG_ERROR, L->file, n->line, n->col, span_of(n), hint, "%s", msg);
}

#define ERROR_AT(L, n, hint, ...)                                             \
    do {                                                                      \
        char *m_ = str_printf(__VA_ARGS__);                                   \
        if (m_)                                                               \
            error_at((L), (n), (hint), m_);                                   \
        free(m_);                                                             \
    } while (0)

/* "a" or "an" before noun. */
static const char *article(const char *noun)
{
    return strchr("aeiou", noun[0]) ? "an" : "a";
}

static const char *kind_noun(const ynode *n)
{
    if (n->kind == YNODE_SEQ)
        return "a list";
    if (n->kind == YNODE_MAP)
        return "a mapping";
    return ynode_is_null(n) ? "nothing" : "text";
}

/* ---- Scalar checks ------------------------------------------------------- */

static bool check_slug(records_reader *L, const ynode *n, const char *what)
{
    if (names_is_id(n->text, n->len))
        return true;
    char *fix = names_id_from(n->text);
    char *hint = fix ? str_printf("write it as '%s'", fix)
                     : str_printf("use 1 to 64 of a-z 0-9 . _ - starting with a letter or digit");
    ERROR_AT(L, n, hint,
             "invalid %s '%s': use 1 to 64 lower-case letters, digits, '.', '_' or '-'",
             what, n->text);
    free(fix);
    free(hint);
    return false;
}

/* Control characters other than tab (and newline when multi_line). */
static bool check_text(records_reader *L, const ynode *n, const char *key, bool multi_line)
{
    for (size_t i = 0; i < n->len; i++) {
        unsigned char c = (unsigned char)n->text[i];
        if (c == '\n' && !multi_line) {
            ERROR_AT(L, n, "remove the line break (a '>' or '|' block ends with one)",
                     "'%s' must be one line of text", key);
            return false;
        }
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
            ERROR_AT(L, n, "remove the character or write it out",
                     "'%s' contains the control character U+%04X", key, c);
            return false;
        }
    }
    /* UTF-8 validity is libyaml's: it rejects invalid input and its escapes
       (\\u, \\x) produce valid UTF-8. */
    return true;
}

/* Strict decimal: -12, 3.5, 1e6, 17.5e6. No hex, inf, nan, underscores. */
static bool parse_number(const char *s, double *out)
{
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    if (!(*p >= '0' && *p <= '9') && !(*p == '.' && p[1] >= '0' && p[1] <= '9'))
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '-' || *p == '+')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p)
        return false;
    char *end;
    double v = strtod(s, &end);
    if (*end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

static bool check_number(records_reader *L, const ynode *n, const char *key, double *out)
{
    if (n->kind != YNODE_SCALAR || !n->plain || !parse_number(n->text, out)) {
        if (n->kind == YNODE_SCALAR && !n->plain && parse_number(n->text, out))
            ERROR_AT(L, n, "remove the quotes", "'%s' must be a number, not a quoted string",
                     key);
        else
            ERROR_AT(L, n, "write a decimal number such as 30 or 17.5e6",
                     "'%s' must be a number, found %s%s%s%s", key, kind_noun(n),
                     n->kind == YNODE_SCALAR ? " '" : "",
                     n->kind == YNODE_SCALAR ? n->text : "",
                     n->kind == YNODE_SCALAR ? "'" : "");
        return false;
    }
    return true;
}

static bool check_url(records_reader *L, const ynode *n)
{
    const char *s = n->text, *rest = NULL;
    if (strncmp(s, "https://", 8) == 0)
        rest = s + 8;
    else if (strncmp(s, "http://", 7) == 0)
        rest = s + 7;
    if (!rest || !*rest || *rest == '/') {
        ERROR_AT(L, n, "write a full address such as https://example.org/page",
                 "invalid url '%s': expected an http:// or https:// URL with a host", s);
        return false;
    }
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>') {
            char *hint = str_printf("write it percent-encoded: %%%02X", c);
            ERROR_AT(L, n, hint, "invalid url '%s': it contains %s%c%s", s,
                     c <= 0x20 || c == 0x7f ? "a space or control character" : "'",
                     c <= 0x20 || c == 0x7f ? ' ' : (char)c,
                     c <= 0x20 || c == 0x7f ? "" : "'");
            free(hint);
            return false;
        }
    }
    return true;
}

static bool check_date(records_reader *L, const ynode *n, bool interval, edtf_date *d)
{
    if (edtf_parse(n->text, n->len, interval, d, NULL, 0, NULL) == 0)
        return true;
    /* The reason, or for a date as people write it ("44 BC") the EDTF to write. */
    edtf_problem why;
    if (edtf_human_explain(n->text, n->len, interval, &why) != 0) {
        diag_add(L->dl, DIAG_ERROR, L->file, n->line, n->col, 1, NULL, "out of memory");
        return false;
    }
    /* Point at the offending character when the scalar is on one line. */
    int col = n->col + (n->plain ? 0 : 1) + (int)why.offset;
    if (n->end_col == 0 || col >= n->end_col)
        col = n->col;
    diag_add(L->dl, DIAG_ERROR, L->file, n->line, col, 1, why.hint, "%s", why.message);
    edtf_problem_free(&why);
    return false;
}

/* ---- Structure ----------------------------------------------------------- */

static bool check_record(records_reader *L, const field_spec *spec, const ynode *n,
                         const char *noun, slot *slots);

static bool expect_scalar(records_reader *L, const ynode *n, const char *key, const char *want)
{
    if (n->kind == YNODE_SCALAR && !ynode_is_null(n))
        return true;
    ERROR_AT(L, n, NULL, "'%s' must be %s, found %s", key, want, kind_noun(n));
    return false;
}

static bool expect_list(records_reader *L, const ynode *n, const char *key, const char *want)
{
    if (n->kind == YNODE_SEQ)
        return true;
    ERROR_AT(L, n, "write a list: [a, b] or one '- item' per line",
             "'%s' must be a list of %s, found %s", key, want, kind_noun(n));
    return false;
}

/* Report an item that repeats an earlier one in the same list (compared case-insensitively). */
static bool check_unique_items(records_reader *L, const ynode *list, const char *key)
{
    bool ok = true;
    for (size_t i = 1; i < list->n; i++) {
        const ynode *a = list->items[i];
        if (a->kind != YNODE_SCALAR)
            continue;
        for (size_t j = 0; j < i; j++) {
            const ynode *b = list->items[j];
            if (b->kind == YNODE_SCALAR && a->len == b->len &&
                strncasecmp(a->text, b->text, a->len) == 0) {
                ERROR_AT(L, a, "remove the repeated item", "'%s' lists '%s' twice", key,
                         a->text);
                diag_note(L->dl, L->file, b->line, b->col, "first listed here");
                ok = false;
                break;
            }
        }
    }
    return ok;
}

static bool check_value(records_reader *L, const field_spec *f, const ynode *n, slot *s)
{
    const char *key = f->key;
    switch (f->type) {
    case T_ID:
        return expect_scalar(L, n, key, "an id") && check_slug(L, n, "id");
    case T_SLUG:
        return expect_scalar(L, n, key, "a slug") && check_slug(L, n, f->what);
    case T_LINE:
        return expect_scalar(L, n, key, "one line of text") && check_text(L, n, key, false);
    case T_TEXT:
        return expect_scalar(L, n, key, "text") && check_text(L, n, key, true);
    case T_ENUM: {
        if (!expect_scalar(L, n, key, "a word"))
            return false;
        for (const char *const *v = f->values; *v; v++)
            if (strcmp(*v, n->text) == 0)
                return true;
        const char *best = names_closest_in(n->text, f->values);
        char list[200] = "";
        for (const char *const *v = f->values; *v; v++) {
            strncat(list, *v, sizeof(list) - strlen(list) - 1);
            if (v[1])
                strncat(list, ", ", sizeof(list) - strlen(list) - 1);
        }
        char *hint = str_printf("one of: %s", list);
        if (best) {
            ERROR_AT(L, n, hint, "unknown %s '%s' (did you mean '%s'?)", key, n->text, best);
            diag_detail(L->dl, DIAG_ABOUT_OTHER, NULL, NULL, best);
        } else
            ERROR_AT(L, n, hint, "unknown %s '%s'", key, n->text);
        free(hint);
        return false;
    }
    case T_DATE:
    case T_WHEN:
        return expect_scalar(L, n, key, "a date") &&
               check_date(L, n, f->type == T_WHEN, &s->date);
    case T_URL:
        return expect_scalar(L, n, key, "a URL") && check_url(L, n);
    case T_NUMBER:
        return check_number(L, n, key, &s->num[0]);
    case T_COORDS: {
        if (n->kind != YNODE_SEQ || n->n != 2) {
            ERROR_AT(L, n, "write coords: [33.31, 44.37] (latitude first)",
                     "'coords' must be a list of two numbers [lat, lon], found %s",
                     n->kind == YNODE_SEQ ? "a list of another length" : kind_noun(n));
            return false;
        }
        /* Both checked, so that both are reported. */
        bool lat_ok = check_number(L, n->items[0], "latitude", &s->num[0]);
        bool lon_ok = check_number(L, n->items[1], "longitude", &s->num[1]);
        bool ok = lat_ok && lon_ok;
        if (ok && (s->num[0] < -90 || s->num[0] > 90)) {
            ERROR_AT(L, n->items[0], "coords are [lat, lon]: latitude comes first",
                     "latitude %s is out of range (-90..90)", n->items[0]->text);
            ok = false;
        }
        if (ok && (s->num[1] < -180 || s->num[1] > 180)) {
            ERROR_AT(L, n->items[1], NULL, "longitude %s is out of range (-180..180)",
                     n->items[1]->text);
            ok = false;
        }
        return ok;
    }
    case T_REF:
        return expect_scalar(L, n, key, "an id");
    case T_REFS:
        if (n->kind == YNODE_SCALAR)
            return expect_scalar(L, n, key, "an id or a list of ids");
        /* fall through */
    case T_REF_LIST:
    case T_LINES:
    case T_SLUGS: {
        if (!expect_list(L, n, key, f->type == T_LINES ? "texts" : f->type == T_SLUGS
                                                                    ? "slugs" : "ids"))
            return false;
        bool ok = true;
        for (size_t i = 0; i < n->n; i++) {
            const ynode *it = n->items[i];
            if (f->type == T_LINES)
                ok &= expect_scalar(L, it, key, "a list of one-line texts") &&
                      check_text(L, it, key, false);
            else if (f->type == T_SLUGS)
                ok &= expect_scalar(L, it, key, "a list of slugs") && check_slug(L, it, f->what);
            else
                ok &= expect_scalar(L, it, key, "a list of ids");
        }
        return check_unique_items(L, n, key) && ok;
    }
    case T_RECORDS: {
        if (!expect_list(L, n, key, f->key))
            return false;
        bool ok = true;
        slot sub[MAX_FIELDS];
        for (size_t i = 0; i < n->n; i++) {
            const ynode *it = n->items[i];
            if (it->kind == YNODE_SCALAR && f->sub[0].type == T_REF)
                ok &= expect_scalar(L, it, key, "a list of ids or mappings");
            else
                ok &= check_record(L, f->sub, it, f->what, sub);
        }
        return ok;
    }
    }
    return false;
}

/* A text written but empty or only white space (`title: ""`, `title: "  "`). */
static bool is_blank_text(const field_spec *f, const ynode *v)
{
    if ((f->type != T_LINE && f->type != T_TEXT) || v->kind != YNODE_SCALAR)
        return false;
    return strspn(v->text, " \t\r\n") == v->len;
}

/* Keys of spec as "a, b, c" for a hint. */
static void key_list(const field_spec *spec, char *buf, size_t size)
{
    buf[0] = '\0';
    for (const field_spec *f = spec; f->key; f++) {
        strncat(buf, f->key, size - strlen(buf) - 1);
        if (f[1].key)
            strncat(buf, ", ", size - strlen(buf) - 1);
    }
}

/*
 * Check a mapping against spec. slots[i] gets the value of spec[i] when it
 * is present and valid. Returns true when the whole record is valid.
 */
static bool check_record(records_reader *L, const field_spec *spec, const ynode *n,
                         const char *noun, slot *slots)
{
    size_t nspec = 0;
    while (spec[nspec].key)
        nspec++;
    memset(slots, 0, nspec * sizeof(*slots));
    if (n->kind != YNODE_MAP) {
        char keys[200];
        key_list(spec, keys, sizeof(keys));
        char *hint = str_printf("%s %s is a mapping with keys: %s", article(noun), noun, keys);
        ERROR_AT(L, n, hint, "expected %s %s (a mapping), found %s", article(noun), noun,
                 kind_noun(n));
        free(hint);
        return false;
    }
    bool ok = true;
    bool seen[MAX_FIELDS] = {false};
    for (size_t i = 0; i < n->n; i++) {
        const ynode *k = n->keys[i], *v = n->items[i];
        size_t fi = 0;
        while (fi < nspec && strcmp(spec[fi].key, k->text) != 0)
            fi++;
        if (fi == nspec) {
            names_ranking sg;
            names_ranking_init(&sg, k->text, 1);
            for (size_t j = 0; j < nspec; j++)
                names_ranking_feed(&sg, spec[j].key, NULL);
            const char *best = names_ranking_best(&sg);
            char keys[200];
            key_list(spec, keys, sizeof(keys));
            char *hint = str_printf("%s %s takes: %s", article(noun), noun, keys);
            if (best) {
                ERROR_AT(L, k, hint, "unknown key '%s' in %s (did you mean '%s'?)", k->text,
                         noun, best);
                diag_detail(L->dl, DIAG_ABOUT_OTHER, NULL, NULL, best);
            } else
                ERROR_AT(L, k, hint, "unknown key '%s' in %s", k->text, noun);
            free(hint);
            names_ranking_free(&sg);
            ok = false;
            continue;
        }
        seen[fi] = true;
        if (ynode_is_null(v)) {
            /* `key:` with no value: absent when optional, an error when required. */
            if (spec[fi].required) {
                ERROR_AT(L, k, NULL, "'%s' has no value", k->text);
                ok = false;
            }
            continue;
        }
        if (spec[fi].required && is_blank_text(&spec[fi], v)) {
            const ynode *idn = ynode_get(n, "id");
            char *hint = str_printf("write the %s's %s: it is required", noun, spec[fi].key);
            if (idn && idn->kind == YNODE_SCALAR && fi > 0)
                ERROR_AT(L, v, hint, "%s '%s' has an empty '%s'", noun, idn->text, k->text);
            else
                ERROR_AT(L, v, hint, "%s has an empty '%s'", noun, k->text);
            free(hint);
            ok = false;
            continue;
        }
        if (check_value(L, &spec[fi], v, &slots[fi]))
            slots[fi].node = v;
        else
            ok = false;
    }
    for (size_t fi = 0; fi < nspec; fi++) {
        if (spec[fi].required && !seen[fi]) {
            const ynode *idn = ynode_get(n, "id");
            char *hint = str_printf("add '%s: ...' to this %s", spec[fi].key, noun);
            if (idn && idn->kind == YNODE_SCALAR && fi > 0)
                ERROR_AT(L, n, hint, "%s '%s' has no '%s'", noun, idn->text, spec[fi].key);
            else
                ERROR_AT(L, n, hint, "%s has no '%s'", noun, spec[fi].key);
            free(hint);
            ok = false;
        }
    }
    return ok;
}

/* ---- Rows ---------------------------------------------------------------- */

static const char *text_or_null(const slot *s)
{
    return s->node ? s->node->text : NULL;
}

/* Free text that no dataset-wide rule reads: not stored when only checking. */
static void row_prose(records_reader *L, const char *text)
{
    row_str(L->lane, L->lean ? NULL : text);
}

static void row_node(records_reader *L, const ynode *n)
{
    row_text(L->lane, n->text, n->len);
}

/* The end of a main row: where the record is (its id). */
static int row_end_at(records_reader *L, const ynode *idn)
{
    row_int(L->lane, L->file_id);
    row_int(L->lane, idn->line);
    row_int(L->lane, idn->col);
    return row_end(L->lane);
}

/* (owner, [seq,] value, [line, col]) for each scalar of a T_REFS/T_REF_LIST/T_SLUGS slot. */
static int rows_each(records_reader *L, enum row_kind kind, const char *owner, const slot *s,
                     bool with_seq, bool with_pos)
{
    if (!s->node)
        return 0;
    const ynode *n = s->node;
    size_t count = n->kind == YNODE_SEQ ? n->n : 1;
    for (size_t i = 0; i < count; i++) {
        const ynode *it = n->kind == YNODE_SEQ ? n->items[i] : n;
        row_begin(L->lane, kind);
        row_str(L->lane, owner);
        if (with_seq)
            row_int(L->lane, (int64_t)i);
        row_node(L, it);
        if (with_pos) {
            row_int(L->lane, it->line);
            row_int(L->lane, it->col);
        }
        if (row_end(L->lane) < 0)
            return -1;
    }
    return 0;
}

/* One row of actor_names / place_names. */
static int row_name(records_reader *L, enum row_kind kind, const char *owner, const ynode *n,
                    bool alias)
{
    char *key = text_lower(n->text, n->len), *folded = text_fold(n->text, n->len);
    row_begin(L->lane, kind);
    row_str(L->lane, owner);
    row_node(L, n);
    row_str(L->lane, key);
    row_str(L->lane, folded);
    row_int(L->lane, alias);
    row_int(L->lane, n->line);
    row_int(L->lane, n->col);
    int rc = key && folded ? row_end(L->lane) : -1;
    free(key);
    free(folded);
    return rc;
}

static int rows_names(records_reader *L, enum row_kind kind, const char *owner, const ynode *idn,
                      const slot *name, const slot *aliases)
{
    if (row_name(L, kind, owner, idn, false) < 0)
        return -1;
    if (name->node && row_name(L, kind, owner, name->node, false) < 0)
        return -1;
    for (size_t i = 0; aliases->node && i < aliases->node->n; i++)
        if (row_name(L, kind, owner, aliases->node->items[i], true) < 0)
            return -1;
    return 0;
}

enum { A_ID, A_NAME, A_KIND, A_ALIASES, A_PART_OF, A_DESCRIPTION };

static int store_actor(records_reader *L, const slot *s, const ynode *idn)
{
    row_begin(L->lane, ROW_ACTOR);
    row_node(L, idn);
    row_str(L->lane, s[A_NAME].node ? s[A_NAME].node->text : "");
    row_str(L->lane, text_or_null(&s[A_KIND]));
    row_prose(L, text_or_null(&s[A_DESCRIPTION]));
    if (row_end_at(L, idn) < 0 ||
        rows_names(L, ROW_ACTOR_NAME, idn->text, idn, &s[A_NAME], &s[A_ALIASES]) < 0)
        return -1;
    return rows_each(L, ROW_ACTOR_PARENT, idn->text, &s[A_PART_OF], false, true);
}

enum { P_ID, P_NAME, P_KIND, P_WITHIN, P_COORDS, P_ALIASES };

static int store_place(records_reader *L, const slot *s, const ynode *idn)
{
    row_begin(L->lane, ROW_PLACE);
    row_node(L, idn);
    row_str(L->lane, s[P_NAME].node ? s[P_NAME].node->text : "");
    row_str(L->lane, text_or_null(&s[P_KIND]));
    if (s[P_COORDS].node) {
        row_double(L->lane, s[P_COORDS].num[0]);
        row_double(L->lane, s[P_COORDS].num[1]);
    } else {
        row_null(L->lane);
        row_null(L->lane);
    }
    if (row_end_at(L, idn) < 0 ||
        rows_names(L, ROW_PLACE_NAME, idn->text, idn, &s[P_NAME], &s[P_ALIASES]) < 0)
        return -1;
    return rows_each(L, ROW_PLACE_PARENT, idn->text, &s[P_WITHIN], false, true);
}

enum { S_ID, S_TITLE, S_PUBLISHER, S_AUTHOR, S_PUBLISHED, S_ACCESSED, S_URL, S_NOTES };

static int store_source(records_reader *L, const slot *s, const ynode *idn)
{
    row_begin(L->lane, ROW_SOURCE);
    row_node(L, idn);
    row_str(L->lane, s[S_TITLE].node ? s[S_TITLE].node->text : "");
    for (int i = S_PUBLISHER; i <= S_NOTES; i++)
        row_prose(L, text_or_null(&s[i]));
    return row_end_at(L, idn);
}

enum { E_ID, E_DATE, E_TITLE, E_SUMMARY, E_TYPE, E_ACTORS, E_PLACES, E_TAGS, E_SOURCES,
       E_FIGURES, E_PART_OF, E_NOTES };

/* The id of a T_RECORDS item: the scalar itself, or its `id` value. */
static const ynode *item_id(const ynode *it)
{
    if (it->kind == YNODE_SCALAR)
        return it;
    const ynode *id = ynode_get(it, "id");
    return id && id->kind == YNODE_SCALAR ? id : NULL;
}

static const char *item_text(const ynode *it, const char *key)
{
    if (it->kind != YNODE_MAP)
        return NULL;
    const ynode *v = ynode_get(it, key);
    return v && v->kind == YNODE_SCALAR && !ynode_is_null(v) ? v->text : NULL;
}

/* Links of an event to actors (with role) or sources (with quote, locator). */
static int rows_links(records_reader *L, enum row_kind kind, const char *event, const slot *s,
                      bool citation)
{
    for (size_t i = 0; s->node && i < s->node->n; i++) {
        const ynode *it = s->node->items[i], *idn = item_id(it);
        if (!idn)
            continue;
        row_begin(L->lane, kind);
        row_str(L->lane, event);
        row_int(L->lane, (int64_t)i);
        row_node(L, idn);
        if (citation) {
            row_prose(L, item_text(it, "quote"));
            row_prose(L, item_text(it, "locator"));
        } else {
            row_str(L->lane, item_text(it, "role"));
        }
        row_int(L->lane, idn->line);
        row_int(L->lane, idn->col);
        if (row_end(L->lane) < 0)
            return -1;
    }
    return 0;
}

/* Figures: stored when valid; low <= value <= high checked here. */
static int rows_figures(records_reader *L, const char *event, const slot *s)
{
    for (size_t i = 0; s->node && i < s->node->n; i++) {
        const ynode *it = s->node->items[i];
        if (it->kind != YNODE_MAP)
            continue;
        const ynode *name = ynode_get(it, "name"), *vals[3] = {
            ynode_get(it, "value"), ynode_get(it, "low"), ynode_get(it, "high")};
        double v[3] = {0, 0, 0};
        bool have[3] = {false, false, false};
        for (int k = 0; k < 3; k++)
            have[k] = vals[k] && vals[k]->kind == YNODE_SCALAR && vals[k]->plain &&
                      parse_number(vals[k]->text, &v[k]);
        if (!name || name->kind != YNODE_SCALAR || !have[0])
            continue;
        if (have[1] && v[1] > v[0]) {
            ERROR_AT(L, vals[1], "low <= value <= high", "figure '%s': low %s is above value %s",
                     name->text, vals[1]->text, vals[0]->text);
            continue;
        }
        if (have[2] && v[2] < v[0]) {
            ERROR_AT(L, vals[2], "low <= value <= high", "figure '%s': high %s is below value %s",
                     name->text, vals[2]->text, vals[0]->text);
            continue;
        }
        row_begin(L->lane, ROW_EVENT_FIGURE);
        row_str(L->lane, event);
        row_int(L->lane, (int64_t)i);
        row_node(L, name);
        for (int k = 0; k < 3; k++) {
            if (have[k])
                row_double(L->lane, v[k]);
            else
                row_null(L->lane);
        }
        row_str(L->lane, item_text(it, "unit"));
        if (row_end(L->lane) < 0)
            return -1;
    }
    return 0;
}

static int store_event(records_reader *L, const slot *s, const ynode *idn, const ynode *rec)
{
    const edtf_date *d = &s[E_DATE].date;
    const ynode *date = ynode_get(rec, "date");
    bool dated = s[E_DATE].node != NULL;
    row_begin(L->lane, ROW_EVENT);
    row_node(L, idn);
    row_str(L->lane, date && date->kind == YNODE_SCALAR ? date->text : "");
    row_int(L->lane, dated ? d->lower : 0);
    row_int(L->lane, dated ? d->upper : 0);
    row_str(L->lane, edtf_precision_name(dated ? d->precision : EDTF_PREC_NONE));
    row_int(L->lane, dated && (d->qualifiers & EDTF_UNCERTAIN));
    row_int(L->lane, dated && (d->qualifiers & EDTF_APPROXIMATE));
    row_str(L->lane, s[E_TITLE].node && !L->lean ? s[E_TITLE].node->text : "");
    row_prose(L, text_or_null(&s[E_SUMMARY]));
    row_str(L->lane, text_or_null(&s[E_TYPE]));
    row_prose(L, text_or_null(&s[E_NOTES]));
    const char *id = idn->text;
    if (row_end_at(L, idn) < 0 ||
        rows_links(L, ROW_EVENT_ACTOR, id, &s[E_ACTORS], false) < 0 ||
        rows_links(L, ROW_EVENT_SOURCE, id, &s[E_SOURCES], true) < 0 ||
        rows_each(L, ROW_EVENT_PLACE, id, &s[E_PLACES], true, true) < 0 ||
        rows_each(L, ROW_EVENT_TAG, id, &s[E_TAGS], true, false) < 0 ||
        rows_each(L, ROW_EVENT_PARENT, id, &s[E_PART_OF], false, true) < 0 ||
        rows_figures(L, id, &s[E_FIGURES]) < 0)
        return -1;
    return 0;
}

/* ---- Sections ------------------------------------------------------------ */

typedef struct {
    const char *section;
    const char *noun;
    const field_spec *fields;
} kind_info;

static const kind_info kinds[] = {
    {"actors", "actor", actor_fields},
    {"places", "place", place_fields},
    {"sources", "source", source_fields},
    {"events", "event", event_fields},
};

/* The fields of a record of section, or of an item of its list outer (NULL or "" for the record). */
static const field_spec *fields_of(const char *section, const char *outer)
{
    for (size_t k = 0; k < 4; k++) {
        if (strcmp(kinds[k].section, section) != 0)
            continue;
        if (!outer || !outer[0])
            return kinds[k].fields;
        for (const field_spec *f = kinds[k].fields; f->key; f++)
            if (f->type == T_RECORDS && strcmp(f->key, outer) == 0)
                return f->sub;
        break;
    }
    return NULL;
}

const char *records_key(const char *section, const char *outer, size_t i)
{
    const field_spec *f = fields_of(section, outer);
    for (size_t k = 0; f && f[k].key; k++)
        if (k == i)
            return f[k].key;
    return NULL;
}

const char *records_id_kind(const char *section, const char *outer, const char *key,
                            bool *definition)
{
    *definition = false;
    const field_spec *f = fields_of(section, outer);
    while (f && f->key && strcmp(f->key, key) != 0)
        f++;
    if (!f || !f->key)
        return NULL;
    switch (f->type) {
    case T_ID:
        *definition = true;
        return f->what;
    case T_REF:
    case T_REFS:
    case T_REF_LIST:
        return f->what;
    case T_RECORDS:   /* a bare id stands for {id: ...} */
        for (const field_spec *sub = f->sub; sub->key; sub++)
            if (strcmp(sub->key, "id") == 0 && sub->type == T_REF)
                return sub->what;
        return NULL;
    default:
        return NULL;
    }
}

const char *const *records_values(const char *section, const char *key)
{
    const field_spec *f = fields_of(section, NULL);
    for (; f && f->key; f++)
        if (f->type == T_ENUM && strcmp(f->key, key) == 0)
            return f->values;
    return NULL;
}

int records_item(void *ctx, const yread_item *item)
{
    records_reader *L = ctx;
    const ynode *sec = item->section;
    size_t k = 0;
    while (k < 4 && strcmp(kinds[k].section, sec->text) != 0)
        k++;
    if (k == 4) {
        if (item->index == 0) {   /* one error per section, not per item */
            names_ranking sg;
            names_ranking_init(&sg, sec->text, 1);
            for (size_t i = 0; i < 4; i++)
                names_ranking_feed(&sg, kinds[i].section, NULL);
            const char *hint = "top-level keys are actors, places, sources and events";
            if (names_ranking_best(&sg)) {
                ERROR_AT(L, sec, hint, "unknown section '%s' (did you mean '%s'?)", sec->text,
                         names_ranking_best(&sg));
                diag_detail(L->dl, DIAG_ABOUT_OTHER, NULL, NULL, names_ranking_best(&sg));
            } else
                ERROR_AT(L, sec, hint, "unknown section '%s'", sec->text);
            names_ranking_free(&sg);
        }
        return 0;
    }
    if (!item->in_sequence) {
        if (!ynode_is_null(item->value))  /* `events:` alone is an empty list */
            ERROR_AT(L, item->value, "write one '- id: ...' record per item",
                     "'%s' must be a list of %ss, found %s", sec->text, kinds[k].noun,
                     kind_noun(item->value));
        return 0;
    }
    slot slots[MAX_FIELDS];
    const ynode *rec = item->value;
    L->records++;
    check_record(L, kinds[k].fields, rec, kinds[k].noun, slots);
    /* Store what can be stored, valid or not: later references then resolve.
       Any error rolls the whole load back, so nothing invalid is kept. */
    const ynode *idn = rec->kind == YNODE_MAP ? ynode_get(rec, "id") : NULL;
    if (!idn || idn->kind != YNODE_SCALAR || ynode_is_null(idn))
        return 0;
    int rc;
    switch (k) {
    case 0: rc = store_actor(L, slots, idn); break;
    case 1: rc = store_place(L, slots, idn); break;
    case 2: rc = store_source(L, slots, idn); break;
    default: rc = store_event(L, slots, idn, rec); break;
    }
    return rc < 0 ? -1 : 0;
}

void records_gap(void *ctx, const yread_gap *gap)
{
    records_reader *L = ctx;
    const char *kind = "*";     /* in no known list: an id of any kind */
    for (size_t k = 0; gap->section && k < 4; k++)
        if (strcmp(kinds[k].section, gap->section) == 0)
            kind = kinds[k].noun;
    for (size_t i = 0; i < gap->nids; i++) {
        row_begin(L->lane, ROW_UNREADABLE);
        row_str(L->lane, kind);
        row_str(L->lane, gap->ids[i]);
        if (row_end(L->lane) < 0)
            return;
    }
}
