/* yamlread.c - libyaml events -> small node trees with 1-based positions, streamed record by record. */
#include "annals/yamlread.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "annals/util.h"

/*
 * How it works. libyaml's event parser hands us one event at a time. The
 * root mapping of each document is walked key by key and never built as a
 * whole: when a top-level value is a sequence, each item is built as a tree,
 * handed to the caller and freed before the next one is read. Any other
 * top-level value is built and handed over once. So memory is bounded by the
 * largest record (plus the copies kept for anchors).
 *
 * Every tree is at most YREAD_MAX_DEPTH collections deep, aliases included,
 * so the recursive helpers below (copy, free, height) are bounded too.
 *
 * Errors come in two kinds. Data errors (duplicate key, unknown alias, NUL
 * in a string, ...) are added to the list and the offending node is dropped;
 * reading goes on. Fatal errors (syntax, invalid UTF-8, depth and alias
 * limits, out of memory, the callback asking to stop) set r->stop: every
 * function then unwinds, freeing what it holds, and the file is left.
 */

/* ---- positions ---- */

/*
 * The one place where libyaml's 0-based marks become 1-based positions.
 * libyaml counts columns in characters (Unicode code points, a tab is one),
 * not bytes; we keep that, and diag.c draws its carets the same way.
 */
static void mark_pos(yaml_mark_t m, int *line, int *col)
{
    *line = m.line < (size_t)INT_MAX ? (int)m.line + 1 : INT_MAX;
    *col = m.column < (size_t)INT_MAX ? (int)m.column + 1 : INT_MAX;
}

/* Bytes in the UTF-8 line break at s (libyaml's breaks: LF, CR, CRLF, NEL, LS, PS), or 0. */
static size_t break_len(const unsigned char *s, size_t n)
{
    if (n >= 2 && s[0] == '\r' && s[1] == '\n')
        return 2;
    if (s[0] == '\n' || s[0] == '\r')
        return 1;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0x85)
        return 2;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9))
        return 3;
    return 0;
}

static size_t utf8_width(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/*
 * The 0-based mark of byte offset off in buf, counted as libyaml counts
 * (characters, BOM skipped). libyaml's reader errors give a byte offset and
 * no mark. The bytes before off are valid UTF-8 (the reader checked them);
 * an offset inside a character points at that character.
 */
static yaml_mark_t offset_mark(const char *buf, size_t len, size_t off)
{
    const unsigned char *s = (const unsigned char *)buf;
    yaml_mark_t m = {0, 0, 0};
    size_t i = 0;
    if (off > len)
        off = len;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 && off >= 3)
        i = 3;
    while (i < off) {
        size_t w = break_len(s + i, len - i);
        if (w) {
            m.line++;
            m.column = 0;
        } else {
            w = utf8_width(s[i]);
            m.column++;
        }
        if (i + w > off) {      /* off falls inside this character */
            if (m.column)
                m.column--;
            break;
        }
        i += w;
    }
    m.index = i;
    return m;
}

/* The byte at a mark's line and column, or -1 (used to spot tabs). */
static int byte_at_mark(const char *buf, size_t len, yaml_mark_t m)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (size_t line = 0; line < m.line && i < len;) {
        size_t w = break_len(s + i, len - i);
        i += w ? w : 1;
        line += w != 0;
    }
    for (size_t col = 0; col < m.column && i < len; col++) {
        if (break_len(s + i, len - i))
            return -1;
        i += utf8_width(s[i]);
    }
    return i < len ? s[i] : -1;
}

/* ---- nodes ---- */

static bool scalar_is_null(const char *s, size_t len, bool plain)
{
    if (!plain)
        return false;
    if (len == 0)
        return true;
    return (len == 1 && s[0] == '~') ||
           (len == 4 && (memcmp(s, "null", 4) == 0 || memcmp(s, "Null", 4) == 0 ||
                         memcmp(s, "NULL", 4) == 0));
}

bool ynode_is_null(const ynode *n)
{
    return n && n->kind == YNODE_SCALAR && scalar_is_null(n->text, n->len, n->plain);
}

const ynode *ynode_get(const ynode *map, const char *key)
{
    if (!map || map->kind != YNODE_MAP || !key)
        return NULL;
    size_t len = strlen(key);
    for (size_t i = 0; i < map->n; i++)
        if (map->keys[i]->len == len && memcmp(map->keys[i]->text, key, len) == 0)
            return map->items[i];
    return NULL;
}

/*
 * Nodes come from a pool owned by the reader of one file: a node tree is
 * built and freed for every record, and taking nodes from slabs through a
 * free list is much cheaper than a malloc and a free for each of them.
 * The pool holds at most as many nodes as were alive at once (one record,
 * plus the anchors of a document) and is released with the reader.
 */
enum { NODE_SLAB = 256 };

/* Under AddressSanitizer a node in the free list is poisoned: a use after
   node_free is still caught, as it would be with free(). */
#if defined(__SANITIZE_ADDRESS__)
#define ANNALS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ANNALS_ASAN 1
#endif
#endif
#ifdef ANNALS_ASAN
#include <sanitizer/asan_interface.h>
#define NODE_POISON(n) ASAN_POISON_MEMORY_REGION((n), sizeof(ynode))
#define NODE_UNPOISON(n) ASAN_UNPOISON_MEMORY_REGION((n), sizeof(ynode))
#define NODE_UNPOISON_SLAB(s) ASAN_UNPOISON_MEMORY_REGION((s), sizeof(node_slab))
#else
#define NODE_UNPOISON_SLAB(s) ((void)(s))
#define NODE_POISON(n) ((void)(n))
#define NODE_UNPOISON(n) ((void)(n))
#endif

typedef struct node_slab {
    struct node_slab *next;
    ynode v[NODE_SLAB];
} node_slab;

typedef struct {
    node_slab *slabs;
    size_t used;        /* nodes of slabs->v handed out so far */
    ynode *spare;       /* freed nodes, linked through their items field */
} node_pool;

static ynode *node_alloc(node_pool *p)
{
    ynode *n = p->spare;
    if (n) {
        NODE_UNPOISON(n);
        p->spare = (ynode *)(void *)n->items;
    } else {
        if (!p->slabs || p->used == NODE_SLAB) {
            node_slab *s = malloc(sizeof(*s));
            if (!s)
                return NULL;
            s->next = p->slabs;
            p->slabs = s;
            p->used = 0;
        }
        n = &p->slabs->v[p->used++];
    }
    memset(n, 0, sizeof(*n));
    return n;
}

static void pool_release(node_pool *p)
{
    while (p->slabs) {
        NODE_UNPOISON_SLAB(p->slabs);
        node_slab *next = p->slabs->next;
        free(p->slabs);
        p->slabs = next;
    }
    p->used = 0;
    p->spare = NULL;
}

static ynode *node_new(node_pool *p, ynode_kind kind, yaml_mark_t start)
{
    ynode *n = node_alloc(p);
    if (n) {
        n->kind = kind;
        mark_pos(start, &n->line, &n->col);
    }
    return n;
}

/* Frees n and everything below it; NULL (also as a child) is a no-op. */
static void node_free(node_pool *p, ynode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++) {
        node_free(p, n->items[i]);
        if (n->keys)
            node_free(p, n->keys[i]);
    }
    free(n->items);     /* a mapping's keys live in the same block */
    if (n->text != n->small)
        free(n->text);
    n->items = (ynode **)(void *)p->spare;
    p->spare = n;
    NODE_POISON(n);
}

/* Capacity of the items (and keys) arrays of a collection of n children. */
static size_t cap_for(size_t n)
{
    if (n == 0)
        return 0;
    size_t c = 8;
    while (c < n && c <= SIZE_MAX / 2)
        c *= 2;
    return c;
}

/*
 * Make room for cap children in collection n (which holds n->n, fewer):
 * one block holds items[0..cap) and, for a mapping, keys[0..cap) after it.
 */
static bool node_reserve(ynode *n, size_t cap)
{
    size_t per = n->kind == YNODE_MAP ? 2 : 1;
    if (cap > SIZE_MAX / (per * sizeof(ynode *)))
        return false;
    size_t old = n->items ? cap_for(n->n) : 0;
    ynode **block = realloc(n->items, cap * per * sizeof(*block));
    if (!block)
        return false;
    if (per == 2 && n->n)
        memmove(block + cap, block + old, n->n * sizeof(*block));
    n->items = block;
    n->keys = per == 2 ? block + cap : NULL;
    return true;
}

/*
 * Append item (and key, for a mapping) to collection n, which takes them.
 * Returns false when out of memory; then n is unchanged and the caller
 * still owns key and item.
 */
static bool node_push(ynode *n, ynode *key, ynode *item)
{
    if ((!n->items || n->n == cap_for(n->n)) && !node_reserve(n, cap_for(n->n + 1)))
        return false;
    if (n->kind == YNODE_MAP)
        n->keys[n->n] = key;
    n->items[n->n++] = item;
    return true;
}

/* Collections between n and its deepest leaf, n included (a scalar is 0). */
static int node_height(const ynode *n)
{
    if (n->kind == YNODE_SCALAR)
        return 0;
    int h = 0;
    for (size_t i = 0; i < n->n; i++) {
        int c = node_height(n->items[i]);
        if (c > h)
            h = c;
    }
    return h + 1;
}

/* ---- the reader's state ---- */

typedef enum {
    ANCHOR_OPEN,        /* its node is being read (an alias now would be recursive) */
    ANCHOR_DONE,        /* node holds a copy */
    ANCHOR_BROKEN,      /* its node had an error and was dropped (already reported) */
    ANCHOR_SECTION      /* on a streamed top-level sequence: never built */
} anchor_state;

typedef struct {
    char *name;         /* owned */
    anchor_state state;
    ynode *node;        /* owned deep copy when ANCHOR_DONE */
    int height;
} anchor;

typedef struct {
    const char *file;
    const char *buf;
    size_t len;
    diag_list *dl;
    yread_fn fn;
    void *ctx;
    yaml_parser_t parser;
    /* Anchors of the current document (YAML scopes them to a document). */
    anchor *anchors;
    size_t nanchors, capanchors;
    strmap anchor_index;        /* name -> index in anchors */
    size_t alias_nodes;         /* nodes made by alias expansion in this file */
    bool stop;                  /* leave the file now */
    int ret;                    /* what yread_* returns */
    node_pool pool;             /* every node of this file */
    /* Resuming after a syntax error (see "resuming" below). */
    yread_gap_fn gap;           /* told of each part that could not be read; may be NULL */
    size_t base_off, base_line; /* where the parser's input starts in buf (a line start) */
    size_t end_off;             /* where it ends */
    bool resumable;             /* stopped by a syntax error: reading may resume */
    yaml_mark_t err_mark, ctx_mark;  /* the error's marks, in the file */
    bool has_ctx;
    /* The records' list being read: its key and the column of its `-` (-1: none). */
    const ynode *sec_key;
    long sec_col;
    size_t sec_index;           /* index of the record being read */
    ynode *resume_sec;          /* owned copy of sec_key when resuming in a list */
    long resume_col;
    size_t resume_index;
} yreader;

/* Stop reading; the first reason to stop decides the return value. */
static void halt(yreader *r, int ret)
{
    if (!r->stop) {
        r->stop = true;
        r->ret = ret;
    }
}

static void fail_oom(yreader *r)
{
    if (!r->stop)
        diag_add(r->dl, DIAG_ERROR, r->file, 0, 0, 0, NULL, "out of memory");
    halt(r, -1);
}

/* Report an error at a mark (no span). */
#define ERR_AT(r, line, col, ...) \
    diag_add((r)->dl, DIAG_ERROR, (r)->file, (line), (col), 0, NULL, __VA_ARGS__)

/* Bytes of a key worth showing in a message: at most 60, whole characters. */
static int shown_len(const ynode *k)
{
    size_t n = k->len;
    if (n > 60) {
        n = 60;
        while (n > 0 && ((unsigned char)k->text[n] & 0xC0) == 0x80)
            n--;
    }
    return (int)n;
}

static const char *shown_more(const ynode *k)
{
    return k->len > (size_t)shown_len(k) ? "..." : "";
}

static int span_of(const ynode *n)
{
    return n->kind == YNODE_SCALAR && n->end_col > n->col ? n->end_col - n->col : 0;
}

/* ---- syntax and encoding errors from libyaml ---- */

/* "while parsing a block mapping" -> "a block mapping" */
static const char *context_subject(const char *context)
{
    static const char *const prefixes[] = {"while parsing ", "while scanning "};
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(context, prefixes[i], n) == 0)
            return context + n;
    }
    return context;
}

static ynode *node_copy(yreader *r, const ynode *s, bool counted);

/* The bytes of line (0-based) of buf: *start, and its length without the break. */
static bool line_bytes(const char *buf, size_t len, size_t line, size_t *start, size_t *n)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (size_t l = 0; l < line && i < len;) {
        size_t w = break_len(s + i, len - i);
        i += w ? w : 1;
        l += w != 0;
    }
    if (i >= len && line > 0)
        return false;
    size_t e = i;
    while (e < len && !break_len(s + e, len - e))
        e++;
    *start = i;
    *n = e - i;
    return true;
}

/* True when line (its n bytes) holds a ` #` after some value, outside quotes. */
static bool has_inner_comment(const char *l, size_t n)
{
    bool in_single = false, in_double = false, seen_text = false;
    for (size_t i = 0; i < n; i++) {
        char c = l[i];
        if (c == '\'' && !in_double)
            in_single = !in_single;
        else if (c == '"' && !in_single)
            in_double = !in_double;
        else if (c == '#' && i > 0 && (l[i - 1] == ' ' || l[i - 1] == '\t') && !in_single &&
                 !in_double)
            return seen_text;
        if (c != ' ' && c != '\t' && c != '-')
            seen_text = true;
    }
    return false;
}

/*
 * A hint for a syntax error whose cause is known: a ': ' inside a plain
 * value (libyaml: "mapping values are not allowed"), a ' #' that turned
 * the rest of a value into a comment, a tab. A new string, or NULL.
 */
static char *syntax_hint(const yreader *r, const char *problem, yaml_mark_t pm, yaml_mark_t cm,
                         const char *context)
{
    if (strstr(problem, "tab") || byte_at_mark(r->buf, r->len, pm) == '\t')
        return str_printf("indent with spaces: YAML does not allow tabs for indentation");
    size_t start, n;
    if (strstr(problem, "mapping values are not allowed") &&
        byte_at_mark(r->buf, r->len, pm) == ':' &&
        line_bytes(r->buf, r->len, pm.line, &start, &n)) {
        /* The value: after the line's first ': ' (past a `- `), trimmed. */
        const char *l = r->buf + start, *v = NULL;
        for (size_t i = 0; i + 1 < n && !v; i++)
            if (l[i] == ':' && l[i + 1] == ' ')
                v = l + i + 2;
        size_t vn = v ? (size_t)(l + n - v) : 0;
        while (vn && (*v == ' ' || *v == '\t'))
            v++, vn--;
        while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t' || v[vn - 1] == '\r'))
            vn--;
        if (v && vn && vn <= 200 && !memchr(v, '"', vn) && !memchr(v, '\\', vn))
            return str_printf("put the value in quotes: \"%.*s\" (a ': ' inside a plain value "
                              "starts a mapping)", (int)vn, v);
        return str_printf("put the value in quotes (a ': ' inside a plain value starts a "
                          "mapping)");
    }
    /* `tags: [war #2, rome]`: the comment took the `]`; the list runs on. */
    if (context && strstr(context, "flow") && line_bytes(r->buf, r->len, cm.line, &start, &n) &&
        has_inner_comment(r->buf + start, n))
        return str_printf("put the value in quotes: ' #' starts a comment, which cut line %zu "
                          "short", (size_t)cm.line + 1);
    return NULL;
}

static void report_parser_error(yreader *r)
{
    const yaml_parser_t *p = &r->parser;
    const char *problem = p->problem ? p->problem : "unknown error";
    int line, col;

    if (p->error == YAML_MEMORY_ERROR) {
        fail_oom(r);
        return;
    }
    if (p->error == YAML_READER_ERROR) {
        mark_pos(offset_mark(r->buf, r->len, p->problem_offset + r->base_off), &line, &col);
        if (strstr(problem, "control characters"))
            diag_add(r->dl, DIAG_ERROR, r->file, line, col, 0,
                     "remove it: text holds no control characters but tab and line break",
                     "invalid character U+%04X: control characters are not allowed",
                     (unsigned)p->problem_value);
        else
            diag_add(r->dl, DIAG_ERROR, r->file, line, col, 0,
                     "save the file as UTF-8", "invalid UTF-8: %s", problem);
        halt(r, 0);
        return;
    }

    yaml_mark_t pm = p->problem_mark, cm = p->context_mark;
    pm.line += r->base_line;
    pm.index += r->base_off;
    cm.line += r->base_line;
    cm.index += r->base_off;
    r->err_mark = pm;
    r->ctx_mark = cm;
    r->has_ctx = p->context != NULL;
    r->resumable = p->error == YAML_SCANNER_ERROR || p->error == YAML_PARSER_ERROR;
    /* The list the error is in: its key is freed as reading unwinds, so keep a copy. */
    r->resume_col = r->sec_col;
    r->resume_index = r->sec_index + 1;
    if (r->resumable && r->sec_key != r->resume_sec) {
        node_free(&r->pool, r->resume_sec);
        r->resume_sec = r->sec_key ? node_copy(r, r->sec_key, false) : NULL;
        if (r->sec_key && !r->resume_sec)
            r->resumable = false;   /* out of memory: no resuming */
    }
    if (r->resume_col < 0) {
        node_free(&r->pool, r->resume_sec);
        r->resume_sec = NULL;
    }
    mark_pos(pm, &line, &col);
    char *hint = syntax_hint(r, problem, pm, cm, p->context);
    if (!p->context) {
        diag_add(r->dl, DIAG_ERROR, r->file, line, col, 0, hint, "yaml syntax error: %s",
                 problem);
    } else {
        int cline, ccol;
        mark_pos(cm, &cline, &ccol);
        if (cline == line && ccol == col) {
            diag_add(r->dl, DIAG_ERROR, r->file, line, col, 0, hint,
                     "yaml syntax error: %s (%s)", problem, p->context);
        } else {
            diag_add(r->dl, DIAG_ERROR, r->file, line, col, 0, hint,
                     "yaml syntax error: %s (%s that started at line %d)", problem,
                     p->context, cline);
            diag_note(r->dl, r->file, cline, ccol, "%s started here",
                      context_subject(p->context));
        }
    }
    free(hint);
    halt(r, 0);
}

/*
 * The next event into *ev (always safe to yaml_event_delete). Returns false,
 * with the error reported, on a syntax error or when reading has stopped.
 */
static bool next_event(yreader *r, yaml_event_t *ev)
{
    memset(ev, 0, sizeof(*ev));
    if (r->stop)
        return false;
    if (!yaml_parser_parse(&r->parser, ev)) {
        report_parser_error(r);
        return false;
    }
    /* A resumed parser reads from a line start: its marks are moved to the file's. */
    ev->start_mark.line += r->base_line;
    ev->start_mark.index += r->base_off;
    ev->end_mark.line += r->base_line;
    ev->end_mark.index += r->base_off;
    return true;
}

/*
 * The next event of a collection that ends with an end_type event (a
 * sequence's or a mapping's end) into *ev: 1; 0 at that end (its event
 * deleted); -1 when reading has stopped (next_event).
 */
static int next_in(yreader *r, yaml_event_t *ev, yaml_event_type_t end_type)
{
    if (!next_event(r, ev))
        return -1;
    if (ev->type != end_type)
        return 1;
    yaml_event_delete(ev);
    return 0;
}

/* ---- anchors ---- */

static void anchors_clear(yreader *r)
{
    for (size_t i = 0; i < r->nanchors; i++) {
        free(r->anchors[i].name);
        node_free(&r->pool, r->anchors[i].node);
    }
    free(r->anchors);
    r->anchors = NULL;
    r->nanchors = r->capanchors = 0;
    strmap_free(&r->anchor_index);
}

/*
 * Open anchor name (NULL: none) for a node about to be read; a name used
 * before is redefined from here on. Returns its index, or SIZE_MAX when
 * there is no anchor or memory ran out (then reading has stopped).
 */
static size_t anchor_open(yreader *r, const yaml_char_t *yname)
{
    if (!yname || r->stop)
        return SIZE_MAX;
    const char *name = (const char *)yname;
    size_t len = strlen(name);
    const size_t *ix = strmap_get(&r->anchor_index, name, len);
    if (ix) {
        anchor *a = &r->anchors[*ix];
        node_free(&r->pool, a->node);
        a->node = NULL;
        a->state = ANCHOR_OPEN;
        return *ix;
    }
    if (array_grow(&r->anchors, &r->capanchors, r->nanchors, sizeof(*r->anchors), 8) != 0) {
        fail_oom(r);
        return SIZE_MAX;
    }
    anchor *a = &r->anchors[r->nanchors];
    a->name = strdup(name);
    if (!a->name || strmap_put(&r->anchor_index, a->name, len, r->nanchors) != 0) {
        free(a->name);
        fail_oom(r);
        return SIZE_MAX;
    }
    a->state = ANCHOR_OPEN;
    a->node = NULL;
    a->height = 0;
    return r->nanchors++;
}

static ynode *node_copy(yreader *r, const ynode *s, bool counted);

/*
 * Close anchor ix (SIZE_MAX: none) on the finished node n (NULL: dropped)
 * by keeping a deep copy. Returns false when out of memory.
 */
static bool anchor_close(yreader *r, size_t ix, const ynode *n)
{
    if (ix == SIZE_MAX || r->stop)
        return !r->stop;
    anchor *a = &r->anchors[ix];
    node_free(&r->pool, a->node);       /* a nested anchor of the same name, now shadowed */
    a->node = NULL;
    a->state = ANCHOR_BROKEN;
    if (!n)
        return true;
    a->node = node_copy(r, n, false);
    if (!a->node) {
        fail_oom(r);
        return false;
    }
    a->state = ANCHOR_DONE;
    a->height = node_height(n);
    return true;
}

/* Mark anchor ix as standing on a streamed top-level sequence. */
static void anchor_section(yreader *r, size_t ix)
{
    if (ix == SIZE_MAX || r->stop)
        return;
    node_free(&r->pool, r->anchors[ix].node);
    r->anchors[ix].node = NULL;
    r->anchors[ix].state = ANCHOR_SECTION;
}

/*
 * A deep copy of s. When counted, every node made counts towards
 * YREAD_MAX_ALIAS_NODES, and copying stops as soon as the limit is passed.
 * Returns NULL when out of memory or past the limit (r->alias_nodes tells
 * which); nothing is reported here.
 */
static ynode *node_copy(yreader *r, const ynode *s, bool counted)
{
    if (counted && ++r->alias_nodes > YREAD_MAX_ALIAS_NODES)
        return NULL;
    ynode *d = node_alloc(&r->pool);
    if (!d)
        return NULL;
    d->kind = s->kind;
    d->line = s->line;
    d->col = s->col;
    d->plain = s->plain;
    d->end_col = s->end_col;
    if (s->kind == YNODE_SCALAR) {
        d->text = s->len < sizeof(d->small) ? d->small : malloc(s->len + 1);
        if (!d->text) {
            node_free(&r->pool, d);
            return NULL;
        }
        memcpy(d->text, s->text, s->len + 1);
        d->len = s->len;
        return d;
    }
    if (s->n) {
        if (!node_reserve(d, cap_for(s->n))) {
            node_free(&r->pool, d);
            return NULL;
        }
        memset(d->items, 0, cap_for(s->n) * (d->keys ? 2 : 1) * sizeof(*d->items));
    }
    d->n = s->n;      /* children not yet copied are NULL: node_free skips them */
    for (size_t i = 0; i < s->n; i++) {
        if (s->kind == YNODE_MAP && !(d->keys[i] = node_copy(r, s->keys[i], counted))) {
            node_free(&r->pool, d);
            return NULL;
        }
        if (!(d->items[i] = node_copy(r, s->items[i], counted))) {
            node_free(&r->pool, d);
            return NULL;
        }
    }
    return d;
}

/* ---- building one node from events ---- */

static ynode *build_node(yreader *r, yaml_event_t *ev, int depth);

static void too_deep(yreader *r, int line, int col)
{
    ERR_AT(r, line, col, "nesting deeper than %d levels", YREAD_MAX_DEPTH);
    halt(r, 0);
}

/* A NUL-terminated copy of s with each NUL byte replaced by U+FFFD. */
static char *copy_without_nul(const char *s, size_t len, size_t *outlen)
{
    size_t nuls = 0;
    for (size_t i = 0; i < len; i++)
        nuls += s[i] == '\0';
    if (len > SIZE_MAX - 1 - 2 * nuls)
        return NULL;
    char *t = malloc(len + 2 * nuls + 1), *p = t;
    if (!t)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\0') {
            memcpy(p, "\xEF\xBF\xBD", 3);
            p += 3;
        } else {
            *p++ = s[i];
        }
    }
    *p = '\0';
    *outlen = (size_t)(p - t);
    return t;
}

static ynode *build_scalar(yreader *r, yaml_event_t *ev)
{
    const char *value = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    ynode *n = node_new(&r->pool, YNODE_SCALAR, ev->start_mark);
    size_t aix = anchor_open(r, ev->data.scalar.anchor);
    if (!n || r->stop)
        goto oom;
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (ev->start_mark.line == ev->end_mark.line) {
        int line;
        mark_pos(ev->end_mark, &line, &n->end_col);
    }
    if (len > YREAD_MAX_SCALAR) {
        /* Kept as an empty quoted string so that the key stays present. */
        ERR_AT(r, n->line, n->col, "string is longer than %u MiB",
               (unsigned)(YREAD_MAX_SCALAR >> 20));
        len = 0;
        n->plain = false;
        n->end_col = 0;
    }
    if (memchr(value, '\0', len)) {
        diag_add(r->dl, DIAG_ERROR, r->file, n->line, n->col, span_of(n),
                 "a NUL cannot be stored; remove the \\0 escape",
                 "string contains a NUL character");
        n->text = copy_without_nul(value, len, &n->len);
    } else if (len < sizeof(n->small)) {
        /* Most scalars are short: kept in the node, and libyaml's buffer is
           freed at once, while it is hot, for its next scalar to reuse. */
        memcpy(n->small, value, len);
        n->small[len] = '\0';
        n->text = n->small;
        n->len = len;
    } else if (len == ev->data.scalar.length) {
        /* libyaml's buffer is NUL-terminated and ours to take: no copy. */
        n->text = (char *)ev->data.scalar.value;
        n->len = len;
        ev->data.scalar.value = NULL;
    } else {
        n->text = copy_without_nul(value, len, &n->len);
    }
    if (!n->text)
        goto oom;
    yaml_event_delete(ev);
    if (!anchor_close(r, aix, n)) {
        node_free(&r->pool, n);
        return NULL;
    }
    return n;
oom:
    node_free(&r->pool, n);
    yaml_event_delete(ev);
    fail_oom(r);
    return NULL;
}

static ynode *expand_alias(yreader *r, yaml_event_t *ev, int depth)
{
    const char *name = (const char *)ev->data.alias.anchor;
    int line, col, endline, endcol;
    mark_pos(ev->start_mark, &line, &col);
    mark_pos(ev->end_mark, &endline, &endcol);
    const size_t *ix = strmap_get(&r->anchor_index, name, strlen(name));
    const anchor *a = ix ? &r->anchors[*ix] : NULL;
    ynode *n = NULL;

    if (!a)
        diag_add(r->dl, DIAG_ERROR, r->file, line, col, endcol - col,
                 "anchors (&name) must come before their aliases, in the same document",
                 "unknown alias '*%s'", name);
    else if (a->state == ANCHOR_OPEN)
        ERR_AT(r, line, col, "alias '*%s' is used inside the node it refers to", name);
    else if (a->state == ANCHOR_SECTION)
        ERR_AT(r, line, col, "alias '*%s' refers to a whole top-level section, which cannot be repeated", name);
    else if (a->state == ANCHOR_DONE && depth - 1 + a->height > YREAD_MAX_DEPTH)
        too_deep(r, line, col);
    else if (a->state == ANCHOR_DONE) {
        n = node_copy(r, a->node, true);
        if (!n && r->alias_nodes > YREAD_MAX_ALIAS_NODES) {
            ERR_AT(r, line, col, "alias expansion exceeds %d nodes (possible billion-laughs attack)",
                   YREAD_MAX_ALIAS_NODES);
            halt(r, 0);
        } else if (!n) {
            fail_oom(r);
        } else {
            /* The copy stands where the alias is written; its children keep
               the positions of the text they were copied from. */
            n->line = line;
            n->col = col;
            n->end_col = n->kind == YNODE_SCALAR && endline == line ? endcol : 0;
        }
    }
    /* ANCHOR_BROKEN: the anchored node's error was reported; drop quietly. */
    yaml_event_delete(ev);
    return n;
}

static ynode *build_seq(yreader *r, yaml_event_t *ev, int depth)
{
    ynode *n = node_new(&r->pool, YNODE_SEQ, ev->start_mark);
    size_t aix = anchor_open(r, ev->data.sequence_start.anchor);
    yaml_event_delete(ev);
    if (!n) {
        fail_oom(r);
        return NULL;
    }
    yaml_event_t iev;
    int more;
    while ((more = next_in(r, &iev, YAML_SEQUENCE_END_EVENT)) > 0) {
        ynode *item = build_node(r, &iev, depth + 1);
        if (item && !node_push(n, NULL, item)) {
            node_free(&r->pool, item);
            fail_oom(r);
        }
    }
    if (more == 0 && anchor_close(r, aix, n))
        return n;
    node_free(&r->pool, n);
    return NULL;
}

static bool is_merge_key(const ynode *k)
{
    return k->kind == YNODE_SCALAR && k->plain && k->len == 2 && memcmp(k->text, "<<", 2) == 0;
}

/* Report k unless it can be a key (a scalar). */
static bool key_ok(yreader *r, const ynode *k)
{
    if (k->kind == YNODE_SCALAR)
        return true;
    ERR_AT(r, k->line, k->col, "a key must be a string, not a %s",
           k->kind == YNODE_MAP ? "mapping" : "list");
    return false;
}

/* Report k if keys (indexed by idx) holds it already. */
static bool key_repeated(yreader *r, const ynode *keys, const strmap *idx, const ynode *k)
{
    const size_t *first = strmap_get(idx, k->text, k->len);
    if (!first)
        return false;
    const ynode *f = keys->keys[*first];
    diag_add(r->dl, DIAG_ERROR, r->file, k->line, k->col, span_of(k),
             "give each key once per mapping: delete one of the two or merge their values",
             "duplicate key '%.*s%s'", shown_len(k), k->text, shown_more(k));
    diag_note(r->dl, r->file, f->line, f->col, "first given here");
    return true;
}

/* Add the mappings of a `<<` value v (which it takes) to the list merges. */
static void add_merge_sources(yreader *r, ynode *merges, ynode *v)
{
    static const char hint[] = "write `<<: *name` or `<<: [*a, *b]` with anchored mappings";
    if (v->kind == YNODE_MAP) {
        if (!node_push(merges, NULL, v)) {
            node_free(&r->pool, v);
            fail_oom(r);
        }
        return;
    }
    if (v->kind == YNODE_SEQ) {
        for (size_t i = 0; i < v->n && !r->stop; i++) {
            ynode *m = v->items[i];
            if (m->kind != YNODE_MAP)
                diag_add(r->dl, DIAG_ERROR, r->file, m->line, m->col, span_of(m), hint,
                         "a merge key '<<' takes mappings; this item is not one");
            else if (node_push(merges, NULL, m))
                v->items[i] = NULL;
            else
                fail_oom(r);
        }
    } else {
        diag_add(r->dl, DIAG_ERROR, r->file, v->line, v->col, span_of(v), hint,
                 "the value of a merge key '<<' must be a mapping or a list of mappings");
    }
    node_free(&r->pool, v);
}

/* Move into m each key of each merge source that m lacks; earlier sources win. */
static void apply_merges(yreader *r, ynode *m, strmap *idx, ynode *merges)
{
    for (size_t s = 0; s < merges->n && !r->stop; s++) {
        ynode *src = merges->items[s];
        for (size_t i = 0; i < src->n; i++) {
            ynode *k = src->keys[i];
            if (strmap_get(idx, k->text, k->len))
                continue;
            if (!node_push(m, k, src->items[i])) {
                fail_oom(r);
                return;
            }
            src->keys[i] = src->items[i] = NULL;
            if (strmap_put(idx, k->text, k->len, m->n - 1) != 0) {
                fail_oom(r);
                return;
            }
        }
    }
}

/*
 * Explicit keys are collected first and merge sources (`<<`) applied at the
 * end, so an explicit key wins wherever it is written; merged keys come
 * after the explicit ones, in the order of their sources.
 */
static ynode *build_map(yreader *r, yaml_event_t *ev, int depth)
{
    ynode *m = node_new(&r->pool, YNODE_MAP, ev->start_mark);
    size_t aix = anchor_open(r, ev->data.mapping_start.anchor);
    yaml_mark_t start = ev->start_mark;
    yaml_event_delete(ev);
    strmap idx = {0};
    ynode *merges = NULL;               /* list of merge sources */
    ynode *merge_key = NULL;            /* the first `<<`, for a duplicate's note */
    if (!m) {
        fail_oom(r);
        return NULL;
    }
    yaml_event_t kev, vev;
    int more;
    while ((more = next_in(r, &kev, YAML_MAPPING_END_EVENT)) > 0) {
        ynode *k = build_node(r, &kev, depth + 1);
        ynode *v = next_event(r, &vev) ? build_node(r, &vev, depth + 1) : NULL;
        if (r->stop || !k || !v || !key_ok(r, k)) {
            /* a dropped key or value was reported where it failed */
            node_free(&r->pool, k);
            node_free(&r->pool, v);
            continue;
        }
        if (is_merge_key(k)) {
            if (merge_key) {
                diag_add(r->dl, DIAG_ERROR, r->file, k->line, k->col, 2,
                         "merge several mappings with one key: <<: [*first, *second]",
                         "duplicate key '<<'");
                diag_note(r->dl, r->file, merge_key->line, merge_key->col, "first given here");
                node_free(&r->pool, k);
                node_free(&r->pool, v);
                continue;
            }
            merge_key = k;
            if (!(merges = node_new(&r->pool, YNODE_SEQ, start))) {
                node_free(&r->pool, v);
                fail_oom(r);
                break;
            }
            add_merge_sources(r, merges, v);
            continue;
        }
        if (key_repeated(r, m, &idx, k)) {
            node_free(&r->pool, k);
            node_free(&r->pool, v);
            continue;
        }
        if (!node_push(m, k, v)) {
            node_free(&r->pool, k);
            node_free(&r->pool, v);
            fail_oom(r);
        } else if (strmap_put(&idx, k->text, k->len, m->n - 1) != 0) {
            fail_oom(r);
        }
    }
    bool done = more == 0;      /* the whole mapping was read */
    if (done && merges)
        apply_merges(r, m, &idx, merges);
    strmap_free(&idx);
    node_free(&r->pool, merges);
    node_free(&r->pool, merge_key);
    if (done && !r->stop && anchor_close(r, aix, m))
        return m;
    node_free(&r->pool, m);
    return NULL;
}

/*
 * Build the node that starts with *ev (which this takes and deletes) at
 * nesting depth (the level it has if it is a collection; a document root
 * is 1). Returns NULL when the node was dropped after an error or when
 * reading has stopped.
 */
static ynode *build_node(yreader *r, yaml_event_t *ev, int depth)
{
    if (r->stop) {
        yaml_event_delete(ev);
        return NULL;
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        return build_scalar(r, ev);
    case YAML_ALIAS_EVENT:
        return expand_alias(r, ev, depth);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (depth > YREAD_MAX_DEPTH) {
            int line, col;
            mark_pos(ev->start_mark, &line, &col);
            too_deep(r, line, col);
            yaml_event_delete(ev);
            return NULL;
        }
        return ev->type == YAML_SEQUENCE_START_EVENT ? build_seq(r, ev, depth)
                                                     : build_map(r, ev, depth);
    default:
        /* libyaml only gives node events here; be safe anyway */
        yaml_event_delete(ev);
        halt(r, 0);
        return NULL;
    }
}

/* ---- streaming the root of a document ---- */

static void deliver(yreader *r, const ynode *section, const ynode *value, bool in_sequence,
                    size_t index)
{
    if (!r->fn || r->stop)
        return;
    yread_item item = {r->file, section, value, in_sequence, index};
    int rc = r->fn(r->ctx, &item);
    if (rc)
        halt(r, rc);
}

/*
 * Read the value of top-level key section, starting with *ev (taken). A
 * sequence is streamed item by item; anything else is built and handed
 * over whole (an alias of a list is handed over item by item too). When
 * give is false (the key had an error) nothing is handed over, but the
 * value is still read so that its anchors exist and its errors show.
 */
/*
 * The items of a list of records, after its SEQUENCE-START, up to its end:
 * each built and handed over as an item of section (NULL: read, not handed
 * over) from index on. col is the column of the list's `-` (-1 for a flow
 * list): where reading resumes after a syntax error inside a record.
 */
static void read_items(yreader *r, const ynode *section, long col, size_t index)
{
    r->sec_key = section;
    r->sec_col = col;
    for (; !r->stop; index++) {
        yaml_event_t iev;
        r->sec_index = index;
        int more = next_in(r, &iev, YAML_SEQUENCE_END_EVENT);
        if (more < 0)
            return;     /* sec_col stays: a syntax error resumes in this list */
        if (more == 0)
            break;
        ynode *item = build_node(r, &iev, 3);
        if (item && section)
            deliver(r, section, item, true, index);
        node_free(&r->pool, item);
    }
    if (!r->stop)
        r->sec_col = -1;
}

static void read_section(yreader *r, const ynode *section, bool give, yaml_event_t *ev)
{
    if (ev->type != YAML_SEQUENCE_START_EVENT) {
        ynode *v = build_node(r, ev, 2);
        if (v && give && v->kind == YNODE_SEQ) {        /* an alias of a list */
            for (size_t i = 0; i < v->n; i++)
                deliver(r, section, v->items[i], true, i);
        } else if (v && give) {
            deliver(r, section, v, false, 0);
        }
        node_free(&r->pool, v);
        return;
    }
    size_t aix = anchor_open(r, ev->data.sequence_start.anchor);
    bool block = ev->data.sequence_start.style != YAML_FLOW_SEQUENCE_STYLE;
    long col = block ? (long)ev->start_mark.column : -1;
    yaml_event_delete(ev);
    read_items(r, give ? section : NULL, col, 0);
    anchor_section(r, aix);
}

/*
 * Walk the root mapping key by key; *ev (taken) is its start. An anchor on
 * the root stays open to the end of the document (when anchors are
 * cleared), so an alias to it is reported as recursive, which it is.
 */
static void read_root(yreader *r, yaml_event_t *ev)
{
    anchor_open(r, ev->data.mapping_start.anchor);
    yaml_mark_t start = ev->start_mark;
    yaml_event_delete(ev);
    ynode *seen = node_new(&r->pool, YNODE_MAP, start);     /* keys only (items NULL) */
    strmap idx = {0};
    if (!seen) {
        fail_oom(r);
        return;
    }
    yaml_event_t kev, vev;
    while (next_in(r, &kev, YAML_MAPPING_END_EVENT) > 0) {
        ynode *k = build_node(r, &kev, 2);
        bool kept = false;
        if (k && key_ok(r, k)) {
            if (is_merge_key(k))
                ERR_AT(r, k->line, k->col,
                       "a merge key '<<' cannot be used at the top level of a document");
            else if (!key_repeated(r, seen, &idx, k) && !r->stop) {
                if (!node_push(seen, k, NULL))
                    fail_oom(r);
                else if (strmap_put(&idx, k->text, k->len, seen->n - 1) != 0)
                    fail_oom(r);
                kept = seen->n && seen->keys[seen->n - 1] == k;
            }
        }
        if (next_event(r, &vev))
            read_section(r, k, kept, &vev);
        if (!kept)
            node_free(&r->pool, k);
    }
    strmap_free(&idx);
    node_free(&r->pool, seen);
}

/* Consume the node starting with *ev (taken) without building it. */
static void skip_node(yreader *r, yaml_event_t *ev)
{
    size_t open = 0;
    for (;;) {
        yaml_event_type_t t = ev->type;
        yaml_event_delete(ev);
        if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT)
            open++;
        else if ((t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT) && open)
            open--;
        if (!open || !next_event(r, ev))
            return;
    }
}

/* One document, after its DOCUMENT-START event. */
static void read_document(yreader *r)
{
    yaml_event_t ev;
    if (!next_event(r, &ev))
        return;
    if (ev.type == YAML_MAPPING_START_EVENT) {
        read_root(r, &ev);
    } else if (ev.type == YAML_SCALAR_EVENT &&
               scalar_is_null((const char *)ev.data.scalar.value, ev.data.scalar.length,
                              ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE)) {
        yaml_event_delete(&ev);         /* an empty document */
    } else {
        int line, col;
        mark_pos(ev.start_mark, &line, &col);
        ERR_AT(r, line, col, "a document must be a mapping with keys actors, places, sources, events");
        skip_node(r, &ev);
    }
    if (next_event(r, &ev))             /* DOCUMENT-END */
        yaml_event_delete(&ev);
    anchors_clear(r);
}

static void read_stream(yreader *r)
{
    yaml_event_t ev;
    while (next_event(r, &ev)) {
        yaml_event_type_t t = ev.type;
        yaml_event_delete(&ev);
        if (t == YAML_STREAM_END_EVENT)
            return;
        if (t == YAML_DOCUMENT_START_EVENT)
            read_document(r);
    }
}

/* ---- resuming after a syntax error ----
 *
 * libyaml stops at its first error. To read on, a new parser is started at
 * a point where the text can be understood again: the next record of the
 * list the error was in (the next `- ` at the column of that list's `-`),
 * or the next top-level key or document marker. A resumed list is read
 * from its first record to the first line that leaves it (a top-level
 * line), as a document of its own whose root is that list; reading then
 * goes on at the top level. Positions stay the file's: the parser reads
 * from a line start, and next_event moves its marks by base_line and
 * base_off. The ids written in the part skipped (`id: X`) are given to the
 * gap callback: records that may have been defined there.
 */

/* Bytes of indentation (spaces) of the line at s (n bytes); SIZE_MAX for a blank or comment line. */
static size_t line_indent(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] == ' ')
        i++;
    if (i == n || s[i] == '#' || s[i] == '\r')
        return SIZE_MAX;
    return i;
}

typedef enum { SYNC_NONE, SYNC_TOP, SYNC_ITEM } sync_kind;

/* What the line at s (n bytes, not blank) can resume as, in a list whose `-` is at col. */
static sync_kind line_sync(const char *s, size_t n, size_t indent, long col)
{
    if (indent == 0 && n >= 3 && (memcmp(s, "---", 3) == 0 || memcmp(s, "...", 3) == 0) &&
        (n == 3 || s[3] == ' ' || s[3] == '\r'))
        return SYNC_TOP;
    bool dash = indent < n && s[indent] == '-' &&
                (indent + 1 == n || s[indent + 1] == ' ' || s[indent + 1] == '\r');
    if (col >= 0 && indent == (size_t)col && dash)
        return SYNC_ITEM;
    if (indent == 0 && !dash)
        return SYNC_TOP;
    return SYNC_NONE;
}

/* The end of the line at off (its break excluded) and the start of the next. */
static size_t line_end(const yreader *r, size_t off, size_t *next)
{
    const unsigned char *s = (const unsigned char *)r->buf;
    size_t e = off;
    while (e < r->len && !break_len(s + e, r->len - e))
        e++;
    *next = e < r->len ? e + break_len(s + e, r->len - e) : e;
    return e;
}

/* Add the values written as `id: X` in the line at s (n bytes) to ids. */
static void collect_ids(yreader *r, const char *s, size_t n, ynode *ids)
{
    for (size_t i = 0; i + 3 <= n; i++) {
        if (memcmp(s + i, "id:", 3) != 0 ||
            (i > 0 && s[i - 1] != ' ' && s[i - 1] != '{' && s[i - 1] != ',' && s[i - 1] != '-'))
            continue;
        size_t a = i + 3;
        while (a < n && s[a] == ' ')
            a++;
        size_t b = a;
        if (a < n && (s[a] == '"' || s[a] == '\'')) {
            char q = s[a++];
            for (b = a; b < n && s[b] != q; b++)
                ;
        } else {
            while (b < n && s[b] != ',' && s[b] != '}' && s[b] != ']' && s[b] != '\r' &&
                   !(s[b] == '#' && b > a && s[b - 1] == ' '))
                b++;
            while (b > a && s[b - 1] == ' ')
                b--;
        }
        if (b == a || b - a > 64)
            continue;
        ynode *id = node_alloc(&r->pool);
        if (!id || !(id->text = b - a < sizeof(id->small) ? id->small : malloc(b - a + 1)) ||
            !node_push(ids, NULL, id)) {
            node_free(&r->pool, id);
            return;
        }
        id->kind = YNODE_SCALAR;
        memcpy(id->text, s + a, b - a);
        id->text[b - a] = '\0';
        id->len = b - a;
    }
}

/*
 * After a syntax error: find where to resume (*off, *kind), and tell the
 * gap callback about the part skipped. False when nothing is left to read.
 */
static bool find_resync(yreader *r, size_t *off, sync_kind *kind)
{
    size_t err_line = r->err_mark.line, from = err_line + 1;
    /* An error at the end of the input (an unclosed quote or bracket) is
       about what its context opened: resume after the context's line. */
    if (r->err_mark.index >= r->end_off && r->has_ctx && r->ctx_mark.line < err_line)
        from = r->ctx_mark.line + 1;
    if (from <= r->base_line)
        from = r->base_line + 1;
    size_t first = r->has_ctx && r->ctx_mark.line < err_line ? r->ctx_mark.line : err_line;
    size_t gap_start = r->base_off, gap_line = r->base_line;
    ynode *ids = node_new(&r->pool, YNODE_SEQ, r->err_mark);
    *kind = SYNC_NONE;
    size_t o = r->base_off, line = r->base_line, next;
    for (; o < r->len; o = next, line++) {
        size_t e = line_end(r, o, &next);
        size_t indent = line_indent(r->buf + o, e - o);
        sync_kind k = indent == SIZE_MAX ? SYNC_NONE
                                         : line_sync(r->buf + o, e - o, indent, r->resume_col);
        if (line >= from && k != SYNC_NONE) {
            *kind = k;
            break;
        }
        if (line <= first && k != SYNC_NONE) {   /* the record the error is in starts here */
            gap_start = o;
            gap_line = line;
            if (ids)
                while (ids->n)
                    node_free(&r->pool, ids->items[--ids->n]);
        }
        if (line >= gap_line && ids)
            collect_ids(r, r->buf + o, e - o, ids);
        if (next == o)
            break;
    }
    (void)gap_start;
    if (r->gap && ids) {
        const char **v = ids->n ? malloc(ids->n * sizeof(*v)) : NULL;
        for (size_t i = 0; v && i < ids->n; i++)
            v[i] = ids->items[i]->text;
        const char *section = r->resume_sec ? r->resume_sec->text : NULL;
        yread_gap g = {r->file, section, (int)gap_line + 1,
                       (int)(*kind != SYNC_NONE ? line : line + 1), v, v ? ids->n : 0};
        r->gap(r->ctx, &g);
        free(v);
    }
    node_free(&r->pool, ids);
    if (*kind == SYNC_NONE)
        return false;
    int l, c;
    mark_pos((yaml_mark_t){o, line, 0}, &l, &c);
    diag_note(r->dl, r->file, l, c, "reading resumes here, at the next %s",
              *kind == SYNC_ITEM ? "record" : "top-level key");
    *off = o;
    return true;
}

/* Where a resumed list starting at off (its `-` at col) ends: the first line that leaves it. */
static size_t list_end(const yreader *r, size_t off, long col)
{
    size_t o = off, next;
    line_end(r, o, &next);      /* the first line is the list's */
    for (o = next; o < r->len; o = next) {
        size_t e = line_end(r, o, &next);
        size_t indent = line_indent(r->buf + o, e - o);
        if (indent != SIZE_MAX && (indent < (size_t)col ||
                                   line_sync(r->buf + o, e - o, indent, col) == SYNC_TOP))
            return o;
        if (next == o)
            break;
    }
    return r->len;
}

/* Start a new parser on buf[off, end), which begins at line `line`. False when out of memory. */
static bool restart_parser(yreader *r, size_t off, size_t end, size_t line)
{
    yaml_parser_delete(&r->parser);
    if (!yaml_parser_initialize(&r->parser)) {
        memset(&r->parser, 0, sizeof(r->parser));
        yaml_parser_initialize(&r->parser);
        fail_oom(r);
        return false;
    }
    yaml_parser_set_input_string(&r->parser, (const unsigned char *)r->buf + off, end - off);
    r->base_off = off;
    r->base_line = line;
    r->end_off = end;
    return true;
}

/* A resumed list: a document whose root is the list; its items go on from resume_index. */
static void read_resumed_list(yreader *r)
{
    yaml_event_t ev;
    while (next_event(r, &ev)) {
        yaml_event_type_t t = ev.type;
        if (t == YAML_SEQUENCE_START_EVENT) {
            yaml_event_delete(&ev);
            read_items(r, r->resume_sec, r->resume_col, r->resume_index);
            continue;
        }
        if (t == YAML_MAPPING_START_EVENT || t == YAML_SCALAR_EVENT || t == YAML_ALIAS_EVENT) {
            skip_node(r, &ev);
            continue;
        }
        yaml_event_delete(&ev);
        if (t == YAML_STREAM_END_EVENT)
            return;
    }
}

/* An anchor left open by the error names a node that was never finished. */
static void anchors_break_open(yreader *r)
{
    for (size_t i = 0; i < r->nanchors; i++)
        if (r->anchors[i].state == ANCHOR_OPEN)
            r->anchors[i].state = ANCHOR_BROKEN;
}

/* The line (0-based) that starts at off, counted from a known (from, line). */
static size_t line_at(const yreader *r, size_t from, size_t line, size_t off)
{
    const unsigned char *s = (const unsigned char *)r->buf;
    for (size_t i = from; i < off;) {
        size_t w = break_len(s + i, r->len - i);
        i += w ? w : 1;
        line += w != 0;
    }
    return line;
}

/* Read the whole file, resuming after each syntax error. */
static void read_resuming(yreader *r)
{
    bool in_list = false;
    size_t list_stop = r->len;
    for (;;) {
        if (in_list)
            read_resumed_list(r);
        else
            read_stream(r);
        size_t off;
        sync_kind kind;
        if (r->stop && !r->resumable)
            return;
        if (!r->stop && !(in_list && list_stop < r->len))
            return;
        if (!r->stop) {
            off = list_stop;    /* the resumed list is over: on at the top level */
            kind = SYNC_TOP;
        } else if (!find_resync(r, &off, &kind)) {
            return;
        }
        size_t line = line_at(r, r->base_off, r->base_line, off);
        anchors_break_open(r);
        if (kind == SYNC_TOP && off + 3 <= r->len && memcmp(r->buf + off, "---", 3) == 0)
            anchors_clear(r);
        in_list = kind == SYNC_ITEM;
        r->sec_col = -1;
        r->sec_key = NULL;
        if (in_list)
            list_stop = list_end(r, off, r->resume_col);
        r->stop = r->resumable = false;
        r->ret = 0;
        if (!restart_parser(r, off, in_list ? list_stop : r->len, line))
            return;
    }
}

/* ---- entry points ---- */

static void report_too_large(const char *name, diag_list *dl)
{
    diag_add(dl, DIAG_ERROR, name, 0, 0, 0, "split it into several files",
             "file is larger than %u MiB", (unsigned)(YREAD_MAX_FILE >> 20));
}

int yread_buffer(const char *name, const char *buf, size_t len, diag_list *dl,
                 yread_fn fn, void *ctx)
{
    return yread_buffer_gaps(name, buf, len, dl, fn, NULL, ctx);
}

int yread_buffer_gaps(const char *name, const char *buf, size_t len, diag_list *dl,
                      yread_fn fn, yread_gap_fn gap, void *ctx)
{
    if (len > YREAD_MAX_FILE) {
        report_too_large(name, dl);
        return 0;
    }
    if (!buf)
        buf = "", len = 0;
    /* libyaml would read UTF-16 with a BOM; the format is UTF-8 only. */
    if (len >= 2 && (memcmp(buf, "\xFF\xFE", 2) == 0 || memcmp(buf, "\xFE\xFF", 2) == 0)) {
        diag_add(dl, DIAG_ERROR, name, 1, 1, 0, "save the file as UTF-8",
                 "invalid UTF-8: the file is encoded as UTF-16");
        return 0;
    }
    yreader r = {.file = name, .buf = buf, .len = len, .dl = dl, .fn = fn, .ctx = ctx,
                 .gap = gap, .end_off = len, .sec_col = -1, .resume_col = -1};
    if (!yaml_parser_initialize(&r.parser)) {
        diag_add(dl, DIAG_ERROR, name, 0, 0, 0, NULL, "out of memory");
        return -1;
    }
    yaml_parser_set_input_string(&r.parser, (const unsigned char *)buf, len);
    read_resuming(&r);
    node_free(&r.pool, r.resume_sec);
    anchors_clear(&r);
    pool_release(&r.pool);
    yaml_parser_delete(&r.parser);
    return r.ret;
}

int yread_file(const char *path, diag_list *dl, yread_fn fn, void *ctx)
{
    size_t len = 0;
    errno = 0;
    char *buf = file_read_all(path, &len, YREAD_MAX_FILE);
    if (!buf && errno == EFBIG) {
        report_too_large(path, dl);
        return 0;
    }
    if (!buf) {
        diag_add(dl, DIAG_ERROR, path, 0, 0, 0, NULL, "cannot read file: %s",
                 strerror(errno ? errno : EIO));
        return -1;
    }
    int rc = yread_buffer(path, buf, len, dl, fn, ctx);
    free(buf);
    return rc;
}
