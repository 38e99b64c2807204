/* lsp_text.c - LSP positions <-> bytes, file URIs, and the YAML context of a cursor, from the text alone. */
#include "annals/lsp_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "annals/records.h"
#include "annals/util.h"

/* ---- Positions -------------------------------------------------------------- */

/* One character at p (n bytes left): its byte length (1 for an invalid byte) and units. */
static size_t char_len(const char *p, size_t n, lsp_encoding enc, unsigned *units)
{
    uint32_t cp;
    size_t k = utf8_decode((const unsigned char *)p, n, &cp);
    if (k == 0) {
        *units = 1;
        return 1;
    }
    *units = enc == LSP_ENC_UTF8 ? (unsigned)k : cp >= 0x10000 ? 2 : 1;
    return k;
}

size_t lsp_line_start(const char *text, size_t len, unsigned line)
{
    size_t off = 0;
    for (unsigned l = 0; l < line; l++) {
        const char *nl = memchr(text + off, '\n', len - off);
        if (!nl)
            return len;
        off = (size_t)(nl - text) + 1;
    }
    return off;
}

/* The end of the line starting at off (before its '\n' and a '\r' before it). */
static size_t line_end(const char *text, size_t len, size_t off)
{
    const char *nl = memchr(text + off, '\n', len - off);
    size_t e = nl ? (size_t)(nl - text) : len;
    if (e > off && text[e - 1] == '\r')
        e--;
    return e;
}

size_t lsp_offset_of(const char *text, size_t len, lsp_pos pos, lsp_encoding enc)
{
    size_t off = lsp_line_start(text, len, pos.line);
    if (off >= len)
        return len;
    size_t end = line_end(text, len, off);
    unsigned done = 0;
    while (off < end && done < pos.character) {
        unsigned u;
        size_t k = char_len(text + off, end - off, enc, &u);
        if (done + u > pos.character)
            break;
        done += u;
        off += k;
    }
    return off;
}

lsp_pos lsp_pos_of(const char *text, size_t len, size_t offset, lsp_encoding enc)
{
    if (offset > len)
        offset = len;
    lsp_pos p = {0, 0};
    size_t start = 0;
    for (const char *nl; (nl = memchr(text + start, '\n', offset - start)) != NULL;) {
        p.line++;
        start = (size_t)(nl - text) + 1;
    }
    /* a character the offset falls inside is not counted: the position is its
       start; nor is the CR of a CR LF, as lsp_offset_of does not count it */
    size_t end = line_end(text, len, start);
    if (offset > end)
        offset = end;
    for (size_t off = start; off < offset;) {
        unsigned u;
        size_t k = char_len(text + off, len - off, enc, &u);
        if (off + k > offset)
            break;
        p.character += u;
        off += k;
    }
    return p;
}

lsp_pos lsp_pos_of_col(const char *text, size_t len, int line, int col, lsp_encoding enc)
{
    return lsp_pos_after(text, len, line, col, 0, enc);
}

lsp_pos lsp_pos_after(const char *text, size_t len, int line, int col, int span,
                      lsp_encoding enc)
{
    lsp_pos p = {line > 0 ? (unsigned)(line - 1) : 0, 0};
    size_t off = lsp_line_start(text, len, p.line);
    size_t end = off < len ? line_end(text, len, off) : len;
    long chars = (col > 0 ? col - 1 : 0) + (span > 0 ? span : 0);
    for (long c = 0; c < chars; c++) {
        unsigned u = 1;
        if (off < end)
            off += char_len(text + off, end - off, enc, &u);
        p.character += u;   /* past the end: one unit per column, as written */
    }
    return p;
}

/* ---- URIs ------------------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *lsp_uri_to_path(const char *uri)
{
    static const char scheme[] = "file://";
    if (strncmp(uri, scheme, sizeof(scheme) - 1) != 0)
        return NULL;
    const char *p = uri + sizeof(scheme) - 1;
    if (strncmp(p, "localhost/", 10) == 0)
        p += 9;
    if (*p != '/')
        return NULL;
    char *out = malloc(strlen(p) + 1), *w = out;
    if (!out)
        return NULL;
    for (; *p && *p != '?' && *p != '#'; p++) {
        int h, l;
        if (*p == '%' && (h = hexval(p[1])) >= 0 && (l = hexval(p[2])) >= 0) {
            *w++ = (char)(h * 16 + l);
            p += 2;
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    if (strlen(out) != (size_t)(w - out)) {   /* %00 */
        free(out);
        return NULL;
    }
    return out;
}

char *lsp_path_to_uri(const char *path)
{
    static const char keep[] = "-._~/!$&'()*+,;=:@";
    size_t n = strlen(path);
    char *out = malloc(7 + n * 3 + 1), *w = out;
    if (!out)
        return NULL;
    memcpy(w, "file://", 7);
    w += 7;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            (*p < 0x80 && strchr(keep, *p))) {
            *w++ = (char)*p;
        } else {
            static const char hex[] = "0123456789ABCDEF";
            *w++ = '%';
            *w++ = hex[*p >> 4];
            *w++ = hex[*p & 15];
        }
    }
    *w = '\0';
    return out;
}

/* ---- Context ---------------------------------------------------------------- */

/* One line of the text: [start, end) without its line break. */
typedef struct {
    size_t start, end;
    int indent;          /* leading spaces */
    bool content;        /* not blank, not only a comment */
    bool item;           /* starts with "- " (or is "-") */
    size_t body;         /* where the mapping content starts: after indent and "- " */
    char key[32];        /* a block key `key:` at body, or "" */
    bool key_has_value;  /* something follows the key on the line */
    bool doc_marker;     /* "---" or "..." */
} line_info;

static bool is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
}

static void read_line(const char *t, size_t len, size_t start, line_info *li)
{
    memset(li, 0, sizeof(*li));
    li->start = start;
    li->end = line_end(t, len, start);
    size_t p = start;
    while (p < li->end && t[p] == ' ')
        p++;
    li->indent = (int)(p - start);
    li->content = p < li->end && t[p] != '#';
    li->doc_marker = li->indent == 0 && li->end - p >= 3 &&
                     (strncmp(t + p, "---", 3) == 0 || strncmp(t + p, "...", 3) == 0) &&
                     (li->end - p == 3 || t[p + 3] == ' ');
    if (p < li->end && t[p] == '-' && (p + 1 == li->end || t[p + 1] == ' ') &&
        !li->doc_marker) {
        li->item = true;
        p++;
        while (p < li->end && t[p] == ' ')
            p++;
    }
    li->body = p;
    size_t k = p;
    while (k < li->end && is_key_char(t[k]))
        k++;
    if (k > p && k < li->end + 1 && k - p < sizeof(li->key) &&
        ((k < li->end && t[k] == ':' && (k + 1 == li->end || t[k + 1] == ' ')))) {
        memcpy(li->key, t + p, k - p);
        li->key[k - p] = '\0';
        size_t v = k + 1;
        while (v < li->end && t[v] == ' ')
            v++;
        li->key_has_value = v < li->end && t[v] != '#';
    }
}

/* The start of the line before the one starting at off (off must be > 0). */
static size_t prev_line(const char *t, size_t off)
{
    size_t p = off - 1;   /* the '\n' ending the previous line */
    while (p > 0 && t[p - 1] != '\n')
        p--;
    return p;
}

/* The start of the line after the one starting at off, or len. */
static size_t next_line(const char *t, size_t len, size_t off)
{
    const char *nl = memchr(t + off, '\n', len - off);
    return nl ? (size_t)(nl - t) + 1 : len;
}

/* Copy src into dst (size bytes), cut short when it does not fit. */
static void set(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/*
 * The key that owns the block line li (an item, or a key of an item's
 * mapping), looking upward: "" when it is the section itself. *is_section
 * tells whether the owner is the top-level key.
 */
static void owner_key(const char *t, size_t len, const line_info *li, char *out, size_t size,
                      bool *is_section)
{
    *is_section = false;
    out[0] = '\0';
    int ind = li->indent;
    bool item = li->item;
    for (size_t off = li->start; off > 0;) {
        off = prev_line(t, off);
        line_info up;
        read_line(t, len, off, &up);
        if (up.doc_marker)
            return;
        if (!up.content)
            continue;
        if (item && up.item && up.indent == ind)
            continue;   /* a sibling item */
        if (up.indent < ind || (item && up.indent == ind && up.key[0] && !up.key_has_value)) {
            if (up.item && !item && (int)(up.body - up.start) == ind) {
                /* li is a key of up's item mapping: its owner is up's owner */
                owner_key(t, len, &up, out, size, is_section);
                return;
            }
            if (up.key[0] && !up.key_has_value) {
                set(out, size, up.key);
                *is_section = up.indent == 0 && !up.item;
            }
            return;
        }
    }
}

typedef struct {
    char type;        /* '[' or '{' */
    char key[32];     /* in a mapping: the key being given a value */
    bool after_colon;
} flow_level;

#define MAX_FLOW 8

void lsp_context_at(const char *t, size_t len, size_t offset, lsp_context *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
    if (offset > len)
        offset = len;
    size_t ls = offset;
    while (ls > 0 && t[ls - 1] != '\n')
        ls--;
    line_info cur;
    read_line(t, len, ls, &cur);
    if (offset > cur.end)
        offset = cur.end;

    /* The word at the cursor. */
    static const char stops[] = " \t,[]{}#\"'";
    size_t ws = offset, we = offset;
    while (ws > ls && !strchr(stops, t[ws - 1]) && !(t[ws - 1] == ':' && (ws == offset ||
                                                                          t[ws] == ' ')))
        ws--;
    while (we < cur.end && !strchr(stops, t[we]) &&
           !(t[we] == ':' && (we + 1 == cur.end || t[we + 1] == ' ')))
        we++;
    ctx->word_start = ws;
    ctx->word_end = we;

    /* The section: the top-level key above, within this document. */
    size_t section_line = len;
    for (size_t off = ls;;) {
        line_info li;
        read_line(t, len, off, &li);
        if (li.doc_marker && off != ls)
            break;
        if (li.content && li.indent == 0 && !li.item && li.key[0]) {
            set(ctx->section, sizeof(ctx->section), li.key);
            section_line = off;
            break;
        }
        if (off == 0)
            break;
        off = prev_line(t, off);
    }
    if (section_line == ls) {   /* on the section's own line */
        if (!cur.key[0] || offset <= cur.body + strlen(cur.key))
            ctx->at_key = offset >= cur.body, ctx->section[0] = '\0';
        return;
    }
    if (section_line == len) {
        ctx->at_key = cur.indent == 0 && !cur.item;
        return;
    }
    /* The record: the item at the section's item indent holding the cursor. */
    int item_indent = -1;
    for (size_t off = next_line(t, len, section_line); off < len; off = next_line(t, len, off)) {
        line_info li;
        read_line(t, len, off, &li);
        if (li.content) {
            if (li.item)
                item_indent = li.indent;
            break;
        }
    }
    if (item_indent < 0)
        item_indent = cur.item ? cur.indent : 0;
    ctx->record_start = ctx->record_end = ls;
    bool in_record = false;
    for (size_t off = ls; off > section_line; off = prev_line(t, off)) {
        line_info li;
        read_line(t, len, off, &li);
        if (li.content && li.item && li.indent == item_indent) {
            ctx->record_start = off;
            ctx->key_indent = (int)(li.body - li.start);
            in_record = true;
            break;
        }
        if (li.content && li.indent <= item_indent && off != ls)
            break;
    }
    if (in_record) {
        size_t off = next_line(t, len, ctx->record_start);
        for (; off < len; off = next_line(t, len, off)) {
            line_info li;
            read_line(t, len, off, &li);
            if (li.doc_marker || (li.content && li.indent <= item_indent))
                break;
        }
        ctx->record_end = off;
    }

    /* The cursor's line, up to the cursor: block key, then flow levels. */
    flow_level fl[MAX_FLOW];
    int depth = 0;
    char block_key[32] = "";
    bool block_colon = false;
    char quote = 0;
    size_t tok = cur.body;
    for (size_t p = cur.body; p < offset; p++) {
        char c = t[p];
        if (quote) {
            if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '#' && (p == cur.body || t[p - 1] == ' '))
            return;   /* in a comment */
        if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '[' || c == '{') {
            if (depth < MAX_FLOW) {
                fl[depth].type = c;
                fl[depth].key[0] = '\0';
                fl[depth].after_colon = false;
            }
            depth++;
            tok = p + 1;
        } else if (c == ']' || c == '}') {
            if (depth > 0)
                depth--;
            tok = p + 1;
        } else if (c == ',') {
            if (depth > 0 && depth <= MAX_FLOW) {
                fl[depth - 1].key[0] = '\0';
                fl[depth - 1].after_colon = false;
            }
            tok = p + 1;
        } else if (c == ':' && (p + 1 >= offset || t[p + 1] == ' ')) {
            size_t a = tok;
            while (a < p && t[a] == ' ')
                a++;
            char k[32] = "";
            if (p - a < sizeof(k)) {
                memcpy(k, t + a, p - a);
                k[p - a] = '\0';
            }
            if (depth == 0) {
                set(block_key, sizeof(block_key), k);
                block_colon = true;
            } else if (depth <= MAX_FLOW && fl[depth - 1].type == '{') {
                set(fl[depth - 1].key, sizeof(fl[depth - 1].key), k);
                fl[depth - 1].after_colon = true;
            }
            tok = p + 1;
        } else if (c == ' ') {
            tok = p + 1;
        }
    }
    if (depth > MAX_FLOW)
        return;

    /* Who owns this line's content: the record (outer "") or an item mapping. */
    char line_owner[32] = "";
    bool owner_is_section = false;
    bool record_line = cur.item && cur.indent == item_indent && in_record &&
                       ctx->record_start == ls;
    if (record_line) {
        owner_is_section = true;
    } else {
        owner_key(t, len, &cur, line_owner, sizeof(line_owner), &owner_is_section);
    }
    const char *outer_of_line = owner_is_section ? "" : line_owner;

    if (depth > 0) {
        flow_level *top = &fl[depth - 1];
        /* the key owning the innermost flow collection */
        const char *owner = "";
        const char *owner_outer = "";
        if (depth >= 2 && fl[depth - 2].type == '{') {
            owner = fl[depth - 2].key;
        } else if (depth >= 2) {
            owner = depth >= 3 && fl[depth - 3].type == '{' ? fl[depth - 3].key
                    : block_colon ? block_key : line_owner;
        } else if (block_colon) {
            owner = block_key;
            owner_outer = outer_of_line;
        } else {
            owner = line_owner;   /* `- {id: x}` or `- [a, b]`: the list's key */
        }
        if (top->type == '{') {
            set(ctx->outer, sizeof(ctx->outer), owner);
            if (top->after_colon)
                set(ctx->key, sizeof(ctx->key), top->key);
            else
                ctx->at_key = true;
        } else {
            set(ctx->key, sizeof(ctx->key), owner);
            set(ctx->outer, sizeof(ctx->outer), owner_outer);
        }
        return;
    }
    if (block_colon) {
        set(ctx->key, sizeof(ctx->key), block_key);
        /* a key on an item line below the record is a key of that item's mapping */
        if (cur.item && !record_line)
            set(ctx->outer, sizeof(ctx->outer), line_owner);
        else
            set(ctx->outer, sizeof(ctx->outer), outer_of_line);
        return;
    }
    if (cur.item && !record_line) {
        /* `- value` of a block list: the value of the list's key */
        set(ctx->key, sizeof(ctx->key), line_owner);
        if (!owner_is_section && line_owner[0]) {
            line_info li = cur;
            char up[32];
            bool sec;
            /* the owner of the key line that owns this list */
            for (size_t off = cur.start; off > 0;) {
                off = prev_line(t, off);
                read_line(t, len, off, &li);
                if (li.content && strcmp(li.key, line_owner) == 0)
                    break;
            }
            owner_key(t, len, &li, up, sizeof(up), &sec);
            if (!sec && !(li.item && li.indent == item_indent))
                set(ctx->outer, sizeof(ctx->outer), up);
        }
        return;
    }
    ctx->at_key = true;
    set(ctx->outer, sizeof(ctx->outer), outer_of_line);
    if (cur.item && !record_line)
        set(ctx->outer, sizeof(ctx->outer), line_owner);
}

const char *lsp_context_id_kind(const lsp_context *ctx, bool *definition)
{
    *definition = false;
    if (ctx->at_key || !ctx->key[0])
        return NULL;
    return records_id_kind(ctx->section, ctx->outer, ctx->key, definition);
}

static void add_key(char *buf, size_t size, size_t *used, const char *k, size_t n)
{
    if (n == 0 || *used + n + 2 > size)
        return;
    memcpy(buf + *used, k, n);
    *used += n;
    buf[(*used)++] = '\0';
    buf[*used] = '\0';
}

/* Keys `k:` inside the flow mapping around offset on its line. */
static void flow_keys(const char *t, size_t ls, size_t le, size_t offset, char *buf,
                      size_t size, size_t *used)
{
    size_t open = offset;
    while (open > ls && t[open - 1] != '{')
        open--;
    if (open == ls)
        return;
    size_t close = offset;
    while (close < le && t[close] != '}')
        close++;
    size_t tok = open;
    for (size_t p = open; p < close; p++) {
        if (t[p] == ',' || t[p] == ' ')
            tok = p + 1;
        else if (t[p] == ':' && (p + 1 == close || t[p + 1] == ' ')) {
            if (p != offset)
                add_key(buf, size, used, t + tok, p - tok);
            tok = p + 1;
        }
    }
}

void lsp_context_keys(const char *t, size_t len, const lsp_context *ctx, char *buf,
                      size_t size)
{
    size_t used = 0;
    if (size < 2)
        return;
    buf[0] = buf[1] = '\0';
    if (ctx->record_end <= ctx->record_start)
        return;
    size_t offset = ctx->word_start;
    size_t ls = offset;
    while (ls > 0 && t[ls - 1] != '\n')
        ls--;
    line_info cur;
    read_line(t, len, ls, &cur);
    if (ctx->outer[0]) {
        if (memchr(t + ls, '{', offset - ls)) {
            flow_keys(t, ls, cur.end, offset, buf, size, &used);
            return;
        }
        /* a block item mapping: from its "- " line down, keys at its body column */
        size_t item = ls;
        line_info li = cur;
        while (!li.item && item > ctx->record_start) {
            item = prev_line(t, item);
            read_line(t, len, item, &li);
        }
        int col = (int)(li.body - li.start);
        for (size_t off = item; off < ctx->record_end; off = next_line(t, len, off)) {
            read_line(t, len, off, &li);
            if (off != item && li.content && li.indent < col)
                break;
            if (li.key[0] && (int)(li.body - li.start) == col && off != ls)
                add_key(buf, size, &used, li.key, strlen(li.key));
        }
        return;
    }
    for (size_t off = ctx->record_start; off < ctx->record_end; off = next_line(t, len, off)) {
        line_info li;
        read_line(t, len, off, &li);
        if (li.key[0] && (int)(li.body - li.start) == ctx->key_indent && off != ls &&
            (off == ctx->record_start || !li.item))
            add_key(buf, size, &used, li.key, strlen(li.key));
    }
}
