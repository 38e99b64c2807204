/* render.c - the table of output formats and the small writers the renderers share. */
#include "annals/render.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "annals/util.h"

const render_format render_formats[] = {
    {"text", render_text, "aligned lines grouped by year, for a terminal (default)"},
    {"markdown", render_markdown, "Markdown: a heading per year, sources as footnotes"},
    {"html", render_html, "one self-contained HTML page with a visual timeline"},
    {"json", render_json, "JSON: {\"events\": [...]} with every field"},
    {"csv", render_csv, "CSV (RFC 4180): one row per event, lists joined by ';'"},
    {"timelinejs", render_timelinejs, "TimelineJS3 JSON"},
    {"geojson", render_geojson, "GeoJSON FeatureCollection of the events' places"},
    {NULL, NULL, NULL}};

const render_format *render_find(const char *name)
{
    for (const render_format *f = render_formats; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

/* ---- Text ------------------------------------------------------------------ */

/* Decode one UTF-8 character at s (NUL-terminated); an invalid byte is U+FFFD, length 1. */
static size_t decode(const unsigned char *s, uint32_t *cp)
{
    size_t l = utf8_decode(s, strnlen((const char *)s, 4), cp);
    if (l)
        return l;
    *cp = 0xFFFD;
    return 1;
}

static bool is_zero_width(uint32_t cp)
{
    return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x483 && cp <= 0x489) ||
           (cp >= 0x591 && cp <= 0x5BD) || (cp >= 0x610 && cp <= 0x61A) ||
           (cp >= 0x64B && cp <= 0x65F) || cp == 0x670 || (cp >= 0x6D6 && cp <= 0x6DC) ||
           (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F) || cp == 0xFEFF;
}

static bool is_wide(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
           (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
           (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t render_width(const char *s)
{
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (p && *p) {
        uint32_t cp;
        p += decode(p, &cp);
        w += is_zero_width(cp) ? 0 : is_wide(cp) ? 2 : 1;
    }
    return w;
}

void render_pad(FILE *out, size_t n)
{
    while (n--)
        putc(' ', out);
}

void render_plain(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (p && *p) {
        uint32_t cp;
        size_t l = decode(p, &cp);
        if (cp == '\n' || cp == '\t' || cp == '\r')
            putc(' ', out);
        else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
                 (cp == 0xFFFD && l == 1))
            fputs("\xEF\xBF\xBD", out);
        else
            fwrite(p, 1, l, out);
        p += l;
    }
}

void render_html_escape(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: putc(*s, out); break;
        }
    }
}

/* True when url may go into an href: http:// or https:// only (no javascript:, data:...). */
static bool url_is_web(const char *url)
{
    return url && (strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0);
}

void render_html_text(FILE *out, const char *open, const char *s, const char *close)
{
    if (!s)
        return;
    fputs(open, out);
    render_html_escape(out, s);
    fputs(close, out);
}

void render_html_sources(FILE *out, const report_source *s, size_t n, const char *open,
                         const char *close, const char *sep)
{
    if (n == 0)
        return;
    fprintf(out, "%s%s", open, sep);
    for (size_t i = 0; i < n; i++) {
        fputs("<li>", out);
        render_html_citation(out, &s[i]);
        if (s[i].quote) {
            fputs(sep, out);
            render_html_text(out, "<blockquote>", s[i].quote, "</blockquote>");
        }
        fprintf(out, "</li>%s", sep);
    }
    fprintf(out, "%s%s", close, sep);
}

void render_html_citation(FILE *out, const report_source *s)
{
    fputs("<cite>", out);
    render_html_escape(out, s->title);
    fputs("</cite>", out);
    render_citation cite;
    render_citation_of(s, &cite);
    for (size_t k = 0; k < cite.n; k++) {
        fputs(", ", out);
        render_html_escape(out, cite.part[k]);
    }
    if (s->url && url_is_web(s->url)) {
        fputs(", <a class=\"url\" href=\"", out);
        render_html_escape(out, s->url);
        fputs("\">", out);
        render_html_escape(out, s->url);
        fputs("</a>", out);
    } else if (s->url) {
        fputs(", <span class=\"url\">", out);
        render_html_escape(out, s->url);
        fputs("</span>", out);
    }
}

/* ---- JSON and CSV ------------------------------------------------------------- */

void render_json_string(FILE *out, const char *s)
{
    if (s)
        json_write_string(out, s, strlen(s));
    else
        fputs("null", out);
}

int render_number(double v, char *buf, size_t size)
{
    if (!isfinite(v))
        return snprintf(buf, size, "%s", "");
    if (v == floor(v) && fabs(v) < 1e21)
        return snprintf(buf, size, "%.0f", v == 0 ? 0.0 : v);   /* no "-0" */
    char tmp[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    return snprintf(buf, size, "%s", tmp);
}

void render_figure(const report_figure *f, char *buf, size_t size)
{
    char v[40], lo[40], hi[40];
    render_number(f->value, v, sizeof(v));
    if (!f->has_low && !f->has_high) {
        snprintf(buf, size, "%s", v);
        return;
    }
    render_number(f->has_low ? f->low : f->value, lo, sizeof(lo));
    render_number(f->has_high ? f->high : f->value, hi, sizeof(hi));
    snprintf(buf, size, "%s (%s\u2013%s)", v, lo, hi);
}

void render_json_members(FILE *out, const render_json_member *m, size_t n, bool spaced)
{
    for (size_t i = 0; i < n; i++) {
        fprintf(out, spaced ? "%s\"%s\": " : "%s\"%s\":", i ? (spaced ? ", " : ",") : "",
                m[i].key);
        render_json_string(out, m[i].value);
    }
}

void render_json_number(FILE *out, double v)
{
    char buf[40];
    render_number(v, buf, sizeof(buf));
    fputs(*buf ? buf : "null", out);
}

void render_csv_field(FILE *out, const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s);
    bool quote = n && (s[0] == ' ' || s[n - 1] == ' ');
    for (const char *p = s; *p && !quote; p++)
        quote = *p == ',' || *p == '"' || *p == '\r' || *p == '\n';
    if (!quote) {
        fputs(s, out);
        return;
    }
    putc('"', out);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            putc('"', out);
        putc(*p, out);
    }
    putc('"', out);
}

/* ---- Dates ------------------------------------------------------------------- */

int render_date_words(const char *edtf, char *buf, size_t size)
{
    edtf_date d;
    if (!edtf)
        return snprintf(buf, size, "%s", "");
    if (edtf_parse(edtf, strlen(edtf), true, &d, NULL, 0, NULL) != 0)
        return snprintf(buf, size, "%s", edtf);
    return edtf_humanize(&d, buf, size);
}

void render_citation_of(const report_source *s, render_citation *c)
{
    c->n = 0;
    if (s->author && *s->author)
        c->part[c->n++] = s->author;
    if (s->publisher && *s->publisher)
        c->part[c->n++] = s->publisher;
    if (s->published && *s->published) {
        render_date_words(s->published, c->published, sizeof(c->published));
        c->part[c->n++] = c->published;
    }
    if (s->accessed && *s->accessed) {
        char words[sizeof(c->published)];
        render_date_words(s->accessed, words, sizeof(words));
        snprintf(c->accessed, sizeof(c->accessed), "accessed %s", words);
        c->part[c->n++] = c->accessed;
    }
    if (s->locator && *s->locator)
        c->part[c->n++] = s->locator;
}

int render_year_heading(int64_t lower, char *buf, size_t size)
{
    if (lower == EDTF_MIN)
        return snprintf(buf, size, "open start");
    int64_t y = edtf_year_of(lower);
    if (y > 0)
        return snprintf(buf, size, "%" PRId64, y);
    return snprintf(buf, size, "%" PRId64 " BCE", 1 - y);
}

void render_iso_bounds(const edtf_date *d, char *start, char *end, size_t size)
{
    bool with_time = d->precision == EDTF_PREC_SECOND;
    if (d->lower == EDTF_MIN)
        snprintf(start, size, "%s", "");
    else
        edtf_format_iso(d->lower, with_time, start, size);
    if (d->upper == EDTF_MAX)
        snprintf(end, size, "%s", "");
    else
        edtf_format_iso(d->upper, with_time, end, size);
}
