/* diag.c - diagnostics as data: collect, sort by file and line, print as text or JSON. */
#include "annals/diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "annals/util.h"

typedef struct {
    char *file;
    int line, col;
    char *message;
} diag_note_entry;

typedef struct {
    diag_severity sev;
    char *file;
    int line, col, span;
    char *message;
    char *hint;
    size_t seq;
    diag_note_entry *notes;
    size_t nnotes, cap_notes;
    diag_about about;
    char *kind, *id, *fix;   /* diag_detail's */
} diag_entry;

struct diag_list {
    diag_entry *v;
    size_t n, cap;
    bool oom;
};

diag_list *diag_list_new(void)
{
    return calloc(1, sizeof(diag_list));
}

void diag_list_free(diag_list *dl)
{
    if (!dl)
        return;
    for (size_t i = 0; i < dl->n; i++) {
        diag_entry *e = &dl->v[i];
        free(e->file);
        free(e->message);
        free(e->hint);
        free(e->kind);
        free(e->id);
        free(e->fix);
        for (size_t j = 0; j < e->nnotes; j++) {
            free(e->notes[j].file);
            free(e->notes[j].message);
        }
        free(e->notes);
    }
    free(dl->v);
    free(dl);
}

static char *dup_or_null(const char *s, bool *oom)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *oom = true;
    return d;
}

/* Room for one more entry; false (and oom remembered) when there is none. */
static bool grow(diag_list *dl)
{
    if (array_grow(&dl->v, &dl->cap, dl->n, sizeof(*dl->v), 16) != 0) {
        dl->oom = true;
        return false;
    }
    return true;
}

/* A quoted value longer than this many bytes is shortened in a message. */
enum { QUOTE_MAX = 80, QUOTE_KEEP = 60 };

/*
 * Shorten, in place, every '...' run of a message longer than QUOTE_MAX
 * bytes to its first QUOTE_KEEP bytes (whole UTF-8 characters) and "...":
 * a message quoting a 100 kB value stays one readable line.
 */
static void clip_quoted(char *s)
{
    if (!s)
        return;
    char *w = s;
    for (const char *r = s; *r;) {
        const char *close = *r == '\'' ? strchr(r + 1, '\'') : NULL;
        if (!close || close - r - 1 <= QUOTE_MAX) {
            size_t n = close ? (size_t)(close - r) + 1 : 1;
            memmove(w, r, n);
            w += n;
            r += n;
            continue;
        }
        size_t keep = QUOTE_KEEP;
        while (keep && ((unsigned char)r[1 + keep] & 0xC0) == 0x80)
            keep--;
        memmove(w, r, 1 + keep);
        w += 1 + keep;
        memcpy(w, "...'", 4);
        w += 4;
        r = close + 1;
    }
    *w = '\0';
}

/* The message of fmt and ap, clipped (clip_quoted); NULL (and oom remembered) when out of memory. */
static char *message(diag_list *dl, const char *fmt, va_list ap)
{
    char *msg = str_vprintf(fmt, ap);
    if (!msg)
        dl->oom = true;
    clip_quoted(msg);
    return msg;
}

int diag_add(diag_list *dl, diag_severity sev, const char *file, int line,
             int col, int span, const char *hint, const char *fmt, ...)
{
    if (!grow(dl))
        return -1;
    va_list ap;
    va_start(ap, fmt);
    char *msg = message(dl, fmt, ap);
    va_end(ap);
    if (!msg)
        return -1;
    diag_entry *e = &dl->v[dl->n];
    memset(e, 0, sizeof(*e));
    e->sev = sev;
    e->file = dup_or_null(file, &dl->oom);
    e->line = line;
    e->col = col;
    e->span = span;
    e->message = msg;
    e->hint = dup_or_null(hint, &dl->oom);
    clip_quoted(e->hint);
    e->seq = dl->n;
    dl->n++;
    return -1;
}

void diag_note(diag_list *dl, const char *file, int line, int col,
               const char *fmt, ...)
{
    if (dl->n == 0)
        return;
    diag_entry *e = &dl->v[dl->n - 1];
    if (array_grow(&e->notes, &e->cap_notes, e->nnotes, sizeof(*e->notes), 2) != 0) {
        dl->oom = true;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = message(dl, fmt, ap);
    va_end(ap);
    if (!msg)
        return;
    diag_note_entry *ne = &e->notes[e->nnotes++];
    ne->file = dup_or_null(file, &dl->oom);
    ne->line = line;
    ne->col = col;
    ne->message = msg;
}

void diag_promote_warnings(diag_list *dl)
{
    for (size_t i = 0; i < dl->n; i++)
        if (dl->v[i].sev == DIAG_WARNING)
            dl->v[i].sev = DIAG_ERROR;
}

size_t diag_count(const diag_list *dl, diag_severity sev)
{
    size_t c = 0;
    for (size_t i = 0; i < dl->n; i++)
        c += dl->v[i].sev == sev;
    return c;
}

bool diag_list_oom(const diag_list *dl)
{
    return dl->oom;
}

size_t diag_list_len(const diag_list *dl)
{
    return dl->n;
}

diag_view diag_at(const diag_list *dl, size_t i)
{
    const diag_entry *e = &dl->v[i];
    return (diag_view){e->sev,    e->file,  e->line, e->col, e->span, e->message,
                       e->hint,   e->nnotes, e->about, e->kind, e->id, e->fix};
}

void diag_detail(diag_list *dl, diag_about about, const char *kind, const char *id,
                 const char *fix)
{
    if (dl->n == 0)
        return;
    diag_entry *e = &dl->v[dl->n - 1];
    free(e->kind);
    free(e->id);
    free(e->fix);
    e->about = about;
    e->kind = dup_or_null(kind, &dl->oom);
    e->id = dup_or_null(id, &dl->oom);
    e->fix = dup_or_null(fix, &dl->oom);
}

diag_view diag_note_at(const diag_list *dl, size_t i, size_t j)
{
    const diag_note_entry *n = &dl->v[i].notes[j];
    return (diag_view){.sev = DIAG_NOTE, .file = n->file, .line = n->line, .col = n->col,
                       .message = n->message};
}

static int cmp_entry(const void *pa, const void *pb)
{
    const diag_entry *a = pa, *b = pb;
    /* Problems without a file come first: they are about the whole run. */
    if (!a->file != !b->file)
        return a->file ? 1 : -1;
    if (a->file) {
        int c = strcmp(a->file, b->file);
        if (c)
            return c;
    }
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void diag_sort(diag_list *dl)
{
    if (dl->n > 1)
        qsort(dl->v, dl->n, sizeof(*dl->v), cmp_entry);
}

static const char *sev_name(diag_severity s)
{
    return s == DIAG_ERROR ? "error" : s == DIAG_WARNING ? "warning" : "note";
}

static const char *sev_color(diag_severity s)
{
    return s == DIAG_ERROR ? "\033[1;31m" : s == DIAG_WARNING ? "\033[1;35m" : "\033[1;36m";
}

/*
 * A file's text, kept while consecutive diagnostics point into it, with a
 * cursor on the last line shown: diagnostics come sorted by line, so each
 * file is walked once, not once per diagnostic.
 */
typedef struct {
    const char *name;
    char *text;
    size_t len;
    const char *cur;   /* start of line cur_line */
    int cur_line;
} src_cache;

static void cache_load(src_cache *c, const char *file)
{
    if (c->name && file && strcmp(c->name, file) == 0)
        return;
    free(c->text);
    c->text = NULL;
    c->len = 0;
    c->name = file;
    c->cur = NULL;
    c->cur_line = 0;
    if (file)
        c->text = file_read_all(file, &c->len, 64u << 20);
}

/* The start of line `line` (1-based), or NULL past the end. */
static const char *cache_line(src_cache *c, int line)
{
    if (!c->cur || line < c->cur_line) {
        c->cur = c->text;
        c->cur_line = 1;
    }
    const char *end = c->text + c->len;
    while (c->cur_line < line) {
        const char *nl = memchr(c->cur, '\n', (size_t)(end - c->cur));
        if (!nl)
            return NULL;
        c->cur = nl + 1;
        c->cur_line++;
    }
    return c->cur < end ? c->cur : NULL;
}

/* The length of the UTF-8 character at p (its code point in *cp), 0 for a byte that starts none. */
static size_t char_at(const char *p, const char *end, uint32_t *cp)
{
    return utf8_decode((const unsigned char *)p, (size_t)(end - p), cp);
}

/* Advance one character (as the reader counts columns: one per UTF-8 sequence). */
static const char *next_char(const char *p, const char *end)
{
    uint32_t cp;
    size_t n = char_at(p, end, &cp);
    return p + (n ? n : 1);
}

/*
 * Copy text to a terminal harmlessly: control characters (C0 but tab, DEL,
 * C1) and bytes that are not UTF-8 become '?', so a file cannot drive the
 * terminal.
 */
static void put_safe(FILE *out, const char *p, const char *end)
{
    while (p < end) {
        uint32_t cp;
        size_t n = char_at(p, end, &cp);
        if (n == 0 || (cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp <= 0x9F))
            fputc('?', out);
        else
            fwrite(p, 1, n, out);
        p += n ? n : 1;
    }
}

/*
 * A line of up to EXCERPT_WIDTH characters is shown whole; a longer one as
 * a window of EXCERPT_WIDTH characters that starts EXCERPT_BEFORE
 * characters before the caret (or ends at the line's end when the caret is
 * near it), with "..." where it was cut.
 */
enum { EXCERPT_WIDTH = 120, EXCERPT_BEFORE = 40 };

/* p advanced by up to n characters, never past end; *walked gets how many it went. */
static const char *advance(const char *p, const char *end, int n, int *walked)
{
    int i = 0;
    for (; i < n && p < end; i++)
        p = next_char(p, end);
    if (walked)
        *walked = i;
    return p;
}

/* Print line `line` of the cached file and a caret line under col. */
static void print_excerpt(FILE *out, src_cache *c, int line, int col, int span,
                          bool color)
{
    if (!c->text || line < 1)
        return;
    const char *p = cache_line(c, line);
    if (!p)
        return;
    const char *end = c->text + c->len;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        eol = end;
    if (eol > p && eol[-1] == '\r')
        eol--;
    /*
     * The window: `first` is the 1-based column of its first character.
     * Only as much of the line is walked as the window needs, so a
     * megabyte-long line costs no more than the caret's column.
     */
    int first = 1, walked;
    const char *from = p, *to = advance(p, eol, EXCERPT_WIDTH + 1, &walked);
    if (walked <= EXCERPT_WIDTH) {
        to = eol;                   /* a line that fits is shown whole */
    } else {
        first = col - EXCERPT_BEFORE > 1 ? col - EXCERPT_BEFORE : 1;
        from = advance(p, eol, first - 1, &walked);
        first = walked + 1;         /* a caret past the line's end: from its end */
        to = advance(from, eol, EXCERPT_WIDTH, &walked);
        if (walked < EXCERPT_WIDTH) {   /* near the end: the window ends there */
            first -= EXCERPT_WIDTH - walked;
            from = advance(p, eol, first - 1, NULL);
            to = eol;
        }
    }
    bool cut_left = from > p, cut_right = to < eol;
    fprintf(out, "%5d | %s", line, cut_left ? "..." : "");
    put_safe(out, from, to);
    fprintf(out, "%s\n      | %s", cut_right ? "..." : "", cut_left ? "   " : "");
    /* Columns count characters: keep tabs as tabs, one space per character. */
    const char *q = from;
    for (int i = first; i < col && q < to; i++) {
        fputc(*q == '\t' ? '\t' : ' ', out);
        q = next_char(q, to);
    }
    if (color)
        fputs("\033[1;32m", out);
    fputc('^', out);
    for (int i = 1; i < span && col + i < first + EXCERPT_WIDTH; i++)
        fputc('~', out);
    if (color)
        fputs("\033[0m", out);
    fputc('\n', out);
}

static void print_location(FILE *out, const char *file, int line, int col)
{
    if (!file) {
        fputs("annals", out);
        return;
    }
    put_safe(out, file, file + strlen(file));
    if (line > 0)
        fprintf(out, ":%d:%d", line, col > 0 ? col : 1);
}

void diag_print_text(const diag_list *dl, FILE *out, bool color)
{
    src_cache cache = {0};
    for (size_t i = 0; i < dl->n; i++) {
        const diag_entry *e = &dl->v[i];
        if (color)
            fputs("\033[1m", out);
        print_location(out, e->file, e->line, e->col);
        fputs(": ", out);
        if (color)
            fprintf(out, "%s%s:\033[0m\033[1m ", sev_color(e->sev), sev_name(e->sev));
        else
            fprintf(out, "%s: ", sev_name(e->sev));
        put_safe(out, e->message, e->message + strlen(e->message));
        fputs(color ? "\033[0m\n" : "\n", out);
        if (e->file && e->line > 0) {
            cache_load(&cache, e->file);
            print_excerpt(out, &cache, e->line, e->col, e->span, color);
        }
        if (e->hint) {
            fputs("      = hint: ", out);
            put_safe(out, e->hint, e->hint + strlen(e->hint));
            fputc('\n', out);
        }
        for (size_t j = 0; j < e->nnotes; j++) {
            const diag_note_entry *ne = &e->notes[j];
            print_location(out, ne->file, ne->line, ne->col);
            fprintf(out, ": %snote:%s ", color ? sev_color(DIAG_NOTE) : "",
                    color ? "\033[0m" : "");
            put_safe(out, ne->message, ne->message + strlen(ne->message));
            fputc('\n', out);
        }
    }
    free(cache.text);
}

static void json_pos(FILE *out, const char *file, int line, int col)
{
    fputs("\"file\":", out);
    if (file)
        json_write_string(out, file, strlen(file));
    else
        fputs("null", out);
    fprintf(out, ",\"line\":%d,\"column\":%d", line, col);
}

void diag_print_json(const diag_list *dl, FILE *out)
{
    fputs("[", out);
    for (size_t i = 0; i < dl->n; i++) {
        const diag_entry *e = &dl->v[i];
        fputs(i ? ",\n{" : "\n{", out);
        json_pos(out, e->file, e->line, e->col);
        fprintf(out, ",\"severity\":\"%s\",\"message\":", sev_name(e->sev));
        json_write_string(out, e->message, strlen(e->message));
        fputs(",\"hint\":", out);
        if (e->hint)
            json_write_string(out, e->hint, strlen(e->hint));
        else
            fputs("null", out);
        fputs(",\"notes\":[", out);
        for (size_t j = 0; j < e->nnotes; j++) {
            fputs(j ? ",{" : "{", out);
            json_pos(out, e->notes[j].file, e->notes[j].line, e->notes[j].col);
            fputs(",\"message\":", out);
            json_write_string(out, e->notes[j].message, strlen(e->notes[j].message));
            fputs("}", out);
        }
        fputs("]}", out);
    }
    fputs(dl->n ? "\n]\n" : "]\n", out);
}

static void plural(FILE *out, size_t n, const char *word)
{
    fprintf(out, "%zu %s%s", n, word, n == 1 ? "" : "s");
}

/* How many files hold an error or a warning; 0 when unknown (out of memory). */
static size_t files_with_problems(const diag_list *dl)
{
    strmap seen = {0};
    size_t n = 0;
    for (size_t i = 0; i < diag_list_len(dl); i++) {
        diag_view d = diag_at(dl, i);
        if (d.sev == DIAG_NOTE || !d.file || strmap_get(&seen, d.file, strlen(d.file)))
            continue;
        if (strmap_put(&seen, d.file, strlen(d.file), 1) != 0) {
            n = 0;
            break;
        }
        n++;
    }
    strmap_free(&seen);
    return n;
}

void diag_print_summary(const diag_list *dl, FILE *out, size_t nfiles)
{
    size_t ne = diag_count(dl, DIAG_ERROR), nw = diag_count(dl, DIAG_WARNING);
    if (!ne && !nw) {
        fputs("no problems", out);
    } else {
        if (ne)
            plural(out, ne, "error");
        if (ne && nw)
            fputs(", ", out);
        if (nw)
            plural(out, nw, "warning");
    }
    /* "in 1 of 12 files" when the problems are in fewer files than were read. */
    size_t with = files_with_problems(dl);
    fputs(" in ", out);
    if (with && with < nfiles)
        fprintf(out, "%zu of ", with);
    plural(out, nfiles, "file");
    fputc('\n', out);
}

void diag_list_move(diag_list *dst, diag_list *src)
{
    for (size_t i = 0; i < src->n && grow(dst); i++) {
        dst->v[dst->n] = src->v[i];
        dst->v[dst->n].seq = dst->n;
        dst->n++;
        memset(&src->v[i], 0, sizeof(src->v[i]));
    }
    dst->oom |= src->oom;
}
