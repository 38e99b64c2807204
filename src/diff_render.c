/* diff_render.c - a diff result as text (for a terminal), Markdown (a pull-request comment) or JSON. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "annals/diff.h"
#include "annals/edtf.h"
#include "annals/render.h"
#include "annals/util.h"

int diff_format_find(const char *name, diff_format *f)
{
    static const struct {
        const char *name;
        diff_format f;
    } formats[] = {{"text", DIFF_FORMAT_TEXT}, {"markdown", DIFF_FORMAT_MARKDOWN},
                   {"json", DIFF_FORMAT_JSON}};
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        if (strcmp(name, formats[i].name) == 0) {
            *f = formats[i].f;
            return 0;
        }
    return -1;
}

/* "2 added, 3 changed": the counts that are not 0, or "no differences". */
static int counts(char *buf, size_t size, size_t added, size_t removed, size_t renamed,
                  size_t changed)
{
    const size_t n[] = {added, removed, renamed, changed};
    const char *const what[] = {"added", "removed", "renamed", "changed"};
    int len = 0;
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < 4; i++) {
        if (!n[i])
            continue;
        size_t at = (size_t)len < size ? (size_t)len : size;
        len += snprintf(buf + at, size - at, "%s%zu %s", len ? ", " : "", n[i], what[i]);
    }
    return len ? len : snprintf(buf, size, "no differences");
}

int diff_summary(const diff_result *r, char *buf, size_t size)
{
    return counts(buf, size, r->added.n, r->removed.n, r->renamed.n, r->changed.n);
}

/* ---- Dates ------------------------------------------------------------------------ */

/*
 * How a date moved, in words: "January 2021 → 21 January 2021; start
 * 2021-01-01 → 2021-01-21, end 2021-01-31 → 2021-01-21". Either side may
 * be NULL (the date was added or removed). A new string, or NULL when
 * neither side parses or memory runs out.
 */
static char *date_words(const char *old, const char *new)
{
    edtf_date d[2];
    bool ok[2] = {false, false};
    const char *text[2] = {old, new};
    char words[2][256] = {"(none)", "(none)"}, lo[2][64] = {"", ""}, hi[2][64] = {"", ""};
    for (int i = 0; i < 2; i++) {
        if (!text[i])
            continue;
        ok[i] = edtf_parse(text[i], strlen(text[i]), true, &d[i], NULL, 0, NULL) == 0;
        if (!ok[i])
            continue;
        bool t = d[i].precision == EDTF_PREC_SECOND;
        edtf_humanize(&d[i], words[i], sizeof(words[i]));
        edtf_format_iso(d[i].lower, t, lo[i], sizeof(lo[i]));
        edtf_format_iso(d[i].upper, t, hi[i], sizeof(hi[i]));
    }
    if (!ok[0] && !ok[1])
        return NULL;
    strbuf s = STRBUF_INIT;
    strbuf_addf(&s, "%s → %s", words[0], words[1]);
    if (ok[0] && ok[1]) {
        const char *sep = "; ";
        if (d[0].lower != d[1].lower) {
            strbuf_addf(&s, "%sstart %s → %s", sep, lo[0], lo[1]);
            sep = ", ";
        }
        if (d[0].upper != d[1].upper)
            strbuf_addf(&s, "%send %s → %s", sep, hi[0], hi[1]);
    }
    return strbuf_detach(&s);
}

/* ---- Word diffs ----------------------------------------------------------------------- */

/* Words of context kept on each side of a change in a long text. */
#define CONTEXT_WORDS 6

/* The byte offset after the first n words of s (len bytes), or len. */
static size_t words_head(const char *s, size_t len, size_t n)
{
    size_t i = 0;
    for (size_t w = 0; w < n && i < len; w++) {
        while (i < len && s[i] == ' ')
            i++;
        while (i < len && s[i] != ' ')
            i++;
    }
    return i;
}

/* The byte offset where the last n words of s begin, or 0. */
static size_t words_tail(const char *s, size_t len, size_t n)
{
    size_t i = len;
    for (size_t w = 0; w < n && i > 0; w++) {
        while (i > 0 && s[i - 1] == ' ')
            i--;
        while (i > 0 && s[i - 1] != ' ')
            i--;
    }
    return i;
}

/*
 * Write the unchanged words of an op with at most CONTEXT_WORDS before
 * the next change and after the last one, "…" for what is left out.
 */
static void same_span(FILE *out, const diff_word *w, bool first, bool last,
                      void (*write)(FILE *, const char *, size_t))
{
    size_t len = w->len, head = words_head(w->s, len, CONTEXT_WORDS),
           tail = words_tail(w->s, len, CONTEXT_WORDS);
    if (first && last) {
        write(out, w->s, len);
    } else if (first) {
        if (tail > 0)
            fputs("… ", out);
        write(out, w->s + tail, len - tail);
    } else if (last) {
        write(out, w->s, head);
        if (head < len)
            fputs(" …", out);
    } else if (head < tail) {
        write(out, w->s, head);
        fputs(" … ", out);
        write(out, w->s + tail, len - tail);
    } else {
        write(out, w->s, len);
    }
}

/* ---- Text ------------------------------------------------------------------------- */

typedef struct {
    FILE *out;
    bool color;
} text_out;

static void paint(const text_out *t, const char *code)
{
    if (t->color)
        fputs(code, t->out);
}

/* A span of data (not NUL-terminated) made safe for a terminal. */
static void plain_span(FILE *out, const char *s, size_t len)
{
    char *copy = strndup(s, len);
    render_plain(out, copy ? copy : "");
    free(copy);
}

static void text_word_diff(const text_out *t, const diff_word *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            putc(' ', t->out);
        if (w[i].op == DIFF_DEL) {
            paint(t, SGR_RED);
            fputs(t->color ? "" : "[-", t->out);
        } else if (w[i].op == DIFF_INS) {
            paint(t, SGR_GREEN);
            fputs(t->color ? "" : "{+", t->out);
        }
        if (w[i].op == DIFF_SAME)
            same_span(t->out, &w[i], i == 0, i + 1 == n, plain_span);
        else
            plain_span(t->out, w[i].s, w[i].len);
        if (w[i].op != DIFF_SAME) {
            fputs(t->color ? "" : w[i].op == DIFF_DEL ? "-]" : "+}", t->out);
            paint(t, SGR_RESET);
        }
    }
}

static void text_value(const text_out *t, const char *s)
{
    if (s)
        render_plain(t->out, s);
    else
        fputs("(none)", t->out);
}

static void text_items(const text_out *t, char **items, size_t n, const char *sign,
                       const char *color, bool *first)
{
    for (size_t i = 0; i < n; i++) {
        fputs(*first ? " " : ", ", t->out);
        *first = false;
        paint(t, color);
        fputs(sign, t->out);
        render_plain(t->out, items[i]);
        paint(t, SGR_RESET);
    }
}

static void text_field(const text_out *t, const diff_field *f, int indent)
{
    render_pad(t->out, (size_t)indent);
    fprintf(t->out, "%s:", f->field);
    if (f->type == DIFF_LIST) {
        bool first = true;
        text_items(t, f->added, f->nadded, "+", SGR_GREEN, &first);
        text_items(t, f->removed, f->nremoved, "-", SGR_RED, &first);
        putc('\n', t->out);
        return;
    }
    if (f->type == DIFF_LONG && f->old_text && f->new_text) {
        diff_word *w;
        size_t n;
        if (diff_words(f->old_text, f->new_text, &w, &n) == 0) {
            putc(' ', t->out);
            text_word_diff(t, w, n);
            free(w);
            putc('\n', t->out);
            return;
        }
    }
    putc(' ', t->out);
    paint(t, SGR_RED);
    text_value(t, f->old_text);
    paint(t, SGR_RESET);
    fputs(" → ", t->out);
    paint(t, SGR_GREEN);
    text_value(t, f->new_text);
    paint(t, SGR_RESET);
    if (f->type == DIFF_DATE) {
        char *words = date_words(f->old_text, f->new_text);
        if (words) {
            paint(t, SGR_DIM);
            fprintf(t->out, " (%s)", words);
            paint(t, SGR_RESET);
        }
        free(words);
    }
    putc('\n', t->out);
}

static void text_fields(const text_out *t, const diff_entry *e, int indent)
{
    for (size_t i = 0; i < e->nfields; i++)
        text_field(t, &e->fields[i], indent);
}

/* The changed entry of a renamed record, if it also changed. */
static const diff_entry *changes_of(const diff_result *r, const diff_entry *renamed)
{
    for (size_t i = 0; i < r->changed.n; i++) {
        const diff_entry *c = &r->changed.v[i];
        if (c->kind == renamed->kind && c->old_id && strcmp(c->id, renamed->id) == 0)
            return c;
    }
    return NULL;
}

static void text_line(const text_out *t, const char *sign, const char *color,
                      const diff_entry *e)
{
    fputs("  ", t->out);
    paint(t, color);
    fputs(sign, t->out);
    putc(' ', t->out);
    if (e->old_id) {
        render_plain(t->out, e->old_id);
        fputs(" → ", t->out);
    }
    paint(t, SGR_BOLD);
    render_plain(t->out, e->id);
    paint(t, SGR_RESET);
    if (e->label) {
        fputs("  ", t->out);
        render_plain(t->out, e->label);
    }
    if (e->date) {
        paint(t, SGR_DIM);
        fputs(" (", t->out);
        render_plain(t->out, e->date);
        putc(')', t->out);
        paint(t, SGR_RESET);
    }
    putc('\n', t->out);
}

static bool kind_has(const diff_entries *es, diff_kind k)
{
    for (size_t i = 0; i < es->n; i++)
        if (es->v[i].kind == k)
            return true;
    return false;
}

static void text_render(FILE *out, const diff_result *r, const diff_render_options *o)
{
    text_out t = {out, o->color};
    for (int k = 0; k < DIFF_NKINDS; k++) {
        if (!kind_has(&r->added, k) && !kind_has(&r->removed, k) &&
            !kind_has(&r->renamed, k) && !kind_has(&r->changed, k))
            continue;
        paint(&t, SGR_BOLD);
        fprintf(out, "%s\n", diff_kind_name(k, true));
        paint(&t, SGR_RESET);
        for (size_t i = 0; i < r->added.n; i++)
            if (r->added.v[i].kind == (diff_kind)k)
                text_line(&t, "+", SGR_GREEN, &r->added.v[i]);
        for (size_t i = 0; i < r->removed.n; i++)
            if (r->removed.v[i].kind == (diff_kind)k)
                text_line(&t, "-", SGR_RED, &r->removed.v[i]);
        for (size_t i = 0; i < r->renamed.n; i++) {
            const diff_entry *e = &r->renamed.v[i];
            if (e->kind != (diff_kind)k)
                continue;
            text_line(&t, ">", SGR_CYAN, e);
            const diff_entry *c = changes_of(r, e);
            if (c)
                text_fields(&t, c, 6);
        }
        for (size_t i = 0; i < r->changed.n; i++) {
            const diff_entry *e = &r->changed.v[i];
            if (e->kind != (diff_kind)k || e->old_id)
                continue;
            text_line(&t, "~", SGR_YELLOW, e);
            text_fields(&t, e, 6);
        }
        putc('\n', out);
    }
    if (o->moves && r->moved.n) {
        paint(&t, SGR_BOLD);
        fputs("moved\n", out);
        paint(&t, SGR_RESET);
        for (size_t i = 0; i < r->moved.n; i++) {
            const diff_entry *e = &r->moved.v[i];
            fprintf(out, "  %s ", diff_kind_name(e->kind, false));
            render_plain(out, e->id);
            fputs(": ", out);
            render_plain(out, e->old_pos);
            fputs(" → ", out);
            render_plain(out, e->new_pos);
            putc('\n', out);
        }
        putc('\n', out);
    }
    char summary[160];
    diff_summary(r, summary, sizeof(summary));
    fprintf(out, "%s\n", summary);
}

/* ---- Markdown ----------------------------------------------------------------------- */

/* A code span that holds s whatever backticks it has; newlines become spaces. */
static void md_code(FILE *out, const char *s)
{
    if (!s) {
        fputs("(none)", out);
        return;
    }
    size_t run = 0, longest = 0;
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    for (size_t i = 0; i <= longest; i++)
        putc('`', out);
    bool pad = s[0] == '`' || s[0] == ' ' || (*s && s[strlen(s) - 1] == '`');
    if (pad)
        putc(' ', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        putc(*p == '\n' || *p == '\r' || *p == '\t' ? ' ' : (*p < 0x20 || *p == 0x7F) ? '?' : *p,
             out);
    if (pad)
        putc(' ', out);
    for (size_t i = 0; i <= longest; i++)
        putc('`', out);
}

static void md_span(FILE *out, const char *s, size_t len)
{
    char *copy = strndup(s, len);
    render_md_text(out, copy ? copy : "", false);
    free(copy);
}

static void md_field(FILE *out, const diff_field *f, const char *indent)
{
    fprintf(out, "%s- `%s`: ", indent, f->field);
    if (f->type == DIFF_LIST) {
        const char *sep = "";
        if (f->nadded) {
            fputs("added ", out);
            for (size_t i = 0; i < f->nadded; i++) {
                fputs(i ? ", " : "", out);
                md_code(out, f->added[i]);
            }
            sep = "; ";
        }
        if (f->nremoved) {
            fprintf(out, "%sremoved ", sep);
            for (size_t i = 0; i < f->nremoved; i++) {
                fputs(i ? ", " : "", out);
                md_code(out, f->removed[i]);
            }
        }
        putc('\n', out);
        return;
    }
    diff_word *w;
    size_t n;
    if (f->type == DIFF_LONG && f->old_text && f->new_text &&
        diff_words(f->old_text, f->new_text, &w, &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            fputs(i ? " " : "", out);
            fputs(w[i].op == DIFF_DEL ? "~~" : w[i].op == DIFF_INS ? "**" : "", out);
            if (w[i].op == DIFF_SAME)
                same_span(out, &w[i], i == 0, i + 1 == n, md_span);
            else
                md_span(out, w[i].s, w[i].len);
            fputs(w[i].op == DIFF_DEL ? "~~" : w[i].op == DIFF_INS ? "**" : "", out);
        }
        free(w);
        putc('\n', out);
        return;
    }
    md_code(out, f->old_text);
    fputs(" → ", out);
    md_code(out, f->new_text);
    if (f->type == DIFF_DATE) {
        char *words = date_words(f->old_text, f->new_text);
        if (words) {
            fputs(" (", out);
            render_md_text(out, words, false);
            putc(')', out);
        }
        free(words);
    }
    putc('\n', out);
}

static void md_line(FILE *out, const char *what, const diff_entry *e)
{
    fprintf(out, "- **%s** ", what);
    if (e->old_id) {
        md_code(out, e->old_id);
        fputs(" → ", out);
    }
    md_code(out, e->id);
    if (e->label) {
        fputs(": ", out);
        render_md_text(out, e->label, false);
    }
    if (e->date) {
        fputs(" (", out);
        render_md_text(out, e->date, false);
        putc(')', out);
    }
    putc('\n', out);
}

static void md_render(FILE *out, const diff_result *r, const diff_render_options *o)
{
    char summary[160];
    diff_summary(r, summary, sizeof(summary));
    fputs("**annals diff** ", out);
    md_code(out, o->old_name);
    fputs(" → ", out);
    md_code(out, o->new_name);
    fprintf(out, ": %s\n", summary);
    for (int k = 0; k < DIFF_NKINDS; k++) {
        size_t na = 0, nr = 0, nn = 0, nc = 0;
        for (size_t i = 0; i < r->added.n; i++)
            na += r->added.v[i].kind == (diff_kind)k;
        for (size_t i = 0; i < r->removed.n; i++)
            nr += r->removed.v[i].kind == (diff_kind)k;
        for (size_t i = 0; i < r->renamed.n; i++)
            nn += r->renamed.v[i].kind == (diff_kind)k;
        for (size_t i = 0; i < r->changed.n; i++)
            nc += r->changed.v[i].kind == (diff_kind)k;
        if (na + nr + nn + nc == 0)
            continue;
        const char *name = diff_kind_name(k, true);
        char what[160];
        counts(what, sizeof(what), na, nr, nn, nc);
        fprintf(out, "\n### %c%s (%s)\n\n", name[0] - 'a' + 'A', name + 1, what);
        for (size_t i = 0; i < r->added.n; i++)
            if (r->added.v[i].kind == (diff_kind)k)
                md_line(out, "added", &r->added.v[i]);
        for (size_t i = 0; i < r->removed.n; i++)
            if (r->removed.v[i].kind == (diff_kind)k)
                md_line(out, "removed", &r->removed.v[i]);
        for (size_t i = 0; i < r->renamed.n; i++) {
            const diff_entry *e = &r->renamed.v[i];
            if (e->kind != (diff_kind)k)
                continue;
            md_line(out, "renamed", e);
            const diff_entry *c = changes_of(r, e);
            for (size_t f = 0; c && f < c->nfields; f++)
                md_field(out, &c->fields[f], "  ");
        }
        for (size_t i = 0; i < r->changed.n; i++) {
            const diff_entry *e = &r->changed.v[i];
            if (e->kind != (diff_kind)k || e->old_id)
                continue;
            md_line(out, "changed", e);
            for (size_t f = 0; f < e->nfields; f++)
                md_field(out, &e->fields[f], "  ");
        }
    }
    if (o->moves && r->moved.n) {
        fputs("\n### Moved\n\n", out);
        for (size_t i = 0; i < r->moved.n; i++) {
            const diff_entry *e = &r->moved.v[i];
            fprintf(out, "- %s ", diff_kind_name(e->kind, false));
            md_code(out, e->id);
            fputs(": ", out);
            md_code(out, e->old_pos);
            fputs(" → ", out);
            md_code(out, e->new_pos);
            putc('\n', out);
        }
    }
}

/* ---- JSON --------------------------------------------------------------------------- */

static void json_fields(FILE *out, const diff_entry *e)
{
    putc('[', out);
    for (size_t i = 0; i < e->nfields; i++) {
        const diff_field *f = &e->fields[i];
        fputs(i ? ",{\"field\":" : "{\"field\":", out);
        render_json_string(out, f->field);
        fprintf(out, ",\"old\":%s,\"new\":%s}", f->old_json ? f->old_json : "null",
                f->new_json ? f->new_json : "null");
    }
    putc(']', out);
}

static void json_list(FILE *out, const char *key, const diff_entries *es, bool first)
{
    fprintf(out, "%s\n  \"%s\": [", first ? "" : ",", key);
    for (size_t i = 0; i < es->n; i++) {
        const diff_entry *e = &es->v[i];
        fputs(i ? ",\n    {\"kind\":" : "\n    {\"kind\":", out);
        render_json_string(out, diff_kind_name(e->kind, false));
        if (strcmp(key, "renamed") == 0) {
            fputs(",\"from\":", out);
            render_json_string(out, e->old_id);
            fputs(",\"to\":", out);
            render_json_string(out, e->id);
        } else {
            fputs(",\"id\":", out);
            render_json_string(out, e->id);
        }
        if (strcmp(key, "changed") == 0) {
            fputs(",\"fields\":", out);
            json_fields(out, e);
        } else if (strcmp(key, "moved") == 0) {
            fputs(",\"from\":", out);
            render_json_string(out, e->old_pos);
            fputs(",\"to\":", out);
            render_json_string(out, e->new_pos);
        }
        putc('}', out);
    }
    fputs(es->n ? "\n  ]" : "]", out);
}

static void json_render(FILE *out, const diff_result *r, const diff_render_options *o)
{
    putc('{', out);
    json_list(out, "added", &r->added, true);
    json_list(out, "removed", &r->removed, false);
    json_list(out, "renamed", &r->renamed, false);
    json_list(out, "changed", &r->changed, false);
    if (o->moves)
        json_list(out, "moved", &r->moved, false);
    fputs("\n}\n", out);
}

void diff_render(FILE *out, const diff_result *r, diff_format f, const diff_render_options *o)
{
    switch (f) {
    case DIFF_FORMAT_TEXT: text_render(out, r, o); break;
    case DIFF_FORMAT_MARKDOWN: md_render(out, r, o); break;
    case DIFF_FORMAT_JSON: json_render(out, r, o); break;
    }
}

void diff_render_fields(FILE *out, const diff_entry *e, diff_format f, bool color, int indent)
{
    if (f == DIFF_FORMAT_JSON) {
        json_fields(out, e);
        return;
    }
    for (size_t i = 0; i < e->nfields; i++) {
        if (f == DIFF_FORMAT_MARKDOWN) {
            md_field(out, &e->fields[i], "");
        } else {
            text_out t = {out, color};
            text_field(&t, &e->fields[i], indent);
        }
    }
}
