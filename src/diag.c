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
    size_t nnotes;
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
    if (dl->n < dl->cap)
        return true;
    size_t cap = dl->cap ? dl->cap * 2 : 16;
    diag_entry *v = realloc(dl->v, cap * sizeof(*v));
    if (!v) {
        dl->oom = true;
        return false;
    }
    dl->v = v;
    dl->cap = cap;
    return true;
}

int diag_add(diag_list *dl, diag_severity sev, const char *file, int line,
             int col, int span, const char *hint, const char *fmt, ...)
{
    if (!grow(dl))
        return -1;
    va_list ap;
    va_start(ap, fmt);
    char *msg = str_vprintf(fmt, ap);
    va_end(ap);
    if (!msg) {
        dl->oom = true;
        return -1;
    }
    diag_entry *e = &dl->v[dl->n];
    memset(e, 0, sizeof(*e));
    e->sev = sev;
    e->file = dup_or_null(file, &dl->oom);
    e->line = line;
    e->col = col;
    e->span = span;
    e->message = msg;
    e->hint = dup_or_null(hint, &dl->oom);
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
    diag_note_entry *notes = realloc(e->notes, (e->nnotes + 1) * sizeof(*notes));
    if (!notes) {
        dl->oom = true;
        return;
    }
    e->notes = notes;
    va_list ap;
    va_start(ap, fmt);
    char *msg = str_vprintf(fmt, ap);
    va_end(ap);
    if (!msg) {
        dl->oom = true;
        return;
    }
    diag_note_entry *ne = &notes[e->nnotes++];
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

/* A file's text, kept while consecutive diagnostics point into it. */
typedef struct {
    const char *name;
    char *text;
    size_t len;
} src_cache;

static void cache_load(src_cache *c, const char *file)
{
    if (c->name && file && strcmp(c->name, file) == 0)
        return;
    free(c->text);
    c->text = NULL;
    c->len = 0;
    c->name = file;
    if (file)
        c->text = file_read_all(file, &c->len, 64u << 20);
}

/* Print line `line` of the cached file and a caret line under col. */
static void print_excerpt(FILE *out, src_cache *c, int line, int col, int span,
                          bool color)
{
    if (!c->text || line < 1)
        return;
    const char *p = c->text, *end = c->text + c->len;
    for (int l = 1; l < line && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return;
        p = nl + 1;
    }
    if (p >= end)
        return;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
    if (n && p[n - 1] == '\r')
        n--;
    fprintf(out, "%5d | %.*s\n      | ", line, (int)n, p);
    /* Columns count characters: keep tabs as tabs, one space per character. */
    const char *q = p;
    for (int i = 1; i < col && q < p + n; i++) {
        fputc(*q == '\t' ? '\t' : ' ', out);
        q++;
        while (q < p + n && ((unsigned char)*q & 0xC0) == 0x80)
            q++;
    }
    if (color)
        fputs("\033[1;32m", out);
    fputc('^', out);
    for (int i = 1; i < span; i++)
        fputc('~', out);
    if (color)
        fputs("\033[0m", out);
    fputc('\n', out);
}

static void print_location(FILE *out, const char *file, int line, int col)
{
    if (!file)
        fputs("annals", out);
    else if (line <= 0)
        fputs(file, out);
    else
        fprintf(out, "%s:%d:%d", file, line, col > 0 ? col : 1);
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
            fprintf(out, "%s%s:\033[0m\033[1m %s\033[0m\n", sev_color(e->sev),
                    sev_name(e->sev), e->message);
        else
            fprintf(out, "%s: %s\n", sev_name(e->sev), e->message);
        if (e->file && e->line > 0) {
            cache_load(&cache, e->file);
            print_excerpt(out, &cache, e->line, e->col, e->span, color);
        }
        if (e->hint)
            fprintf(out, "      = hint: %s\n", e->hint);
        for (size_t j = 0; j < e->nnotes; j++) {
            const diag_note_entry *ne = &e->notes[j];
            print_location(out, ne->file, ne->line, ne->col);
            fprintf(out, ": %snote:%s %s\n", color ? sev_color(DIAG_NOTE) : "",
                    color ? "\033[0m" : "", ne->message);
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
    fputs(" in ", out);
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
