/* edtf_human.c - dates as people write them read into EDTF, and the hint a curator needs to write one. */
#include "annals/edtf_human.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annals/edtf.h"
#include "annals/util.h"

/*
 * The text is cut into tokens (numbers, words, punctuation), a range is cut
 * at its dash or "to" into two sides, each side is read into an hside (a
 * year as written with its era, a month, day or season, qualifiers), what
 * one side leaves out is taken from the other ("44-42 BC", "15-17 March
 * 2019", "1939-45"), and each side is written back as EDTF. Nothing here is
 * a guess that could pass unseen: where a text has two readings both are
 * returned, and the caller shows both.
 */

const char edtf_human_forms_hint[] =
    "see docs/dates.md for the date forms: 2021, 2021-01, 2021-01-21, "
    "2014-22 (summer), 201X, 2019?, 2014/2019, 2019/..";

/* ---- Tokens ---------------------------------------------------------------- */

#define MAX_TOKENS 24
#define WORD_MAX 16
#define DASH 'd'             /* the punctuation code of an en or em dash */

typedef enum { TK_NUM, TK_WORD, TK_PUNCT } tk_kind;

typedef struct {
    tk_kind kind;
    size_t off, end;         /* bytes of the text it was read from */
    bool glued;              /* no space between it and the token before */
    bool negative;           /* TK_NUM written with a '-' sign */
    int digits;              /* TK_NUM */
    long long value;         /* TK_NUM */
    char punct;              /* TK_PUNCT: , / . - ? ~ or DASH */
    char word[WORD_MAX];     /* TK_WORD: lower case, dots dropped */
} token;

static bool is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* The length of a dash at s (en dash, em dash, minus sign), or 0. */
static size_t dash_len(const unsigned char *s, size_t n)
{
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x93 || s[2] == 0x94))
        return 3;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x88 && s[2] == 0x92)   /* U+2212 minus */
        return 3;
    return 0;
}

/* Cut text into tokens; -1 for a byte no date form has, or too many tokens. */
static int tokenize(const char *text, size_t len, token *tk, size_t *ntk)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, n = 0;
    bool space = false;
    while (i < len) {
        unsigned char c = s[i];
        if (c == ' ' || c == '\t') {
            space = true;
            i++;
            continue;
        }
        if (n == MAX_TOKENS)
            return -1;
        token *t = &tk[n];
        memset(t, 0, sizeof *t);
        t->off = i;
        t->glued = n > 0 && !space;
        size_t d = dash_len(s + i, len - i);
        bool minus = c == '-' || (d && s[i + 1] == 0x88);
        /* A minus is a sign before digits unless it follows a number directly. */
        size_t after = minus ? i + (d ? d : 1) : i;
        if (minus && after < len && is_digit(s[after]) &&
            (n == 0 || space || tk[n - 1].kind == TK_PUNCT)) {
            t->negative = true;
            i = after;
            c = s[i];
        }
        if (is_digit(c)) {
            t->kind = TK_NUM;
            while (i < len && is_digit(s[i])) {
                if (t->digits == 12)
                    return -1;
                t->value = t->value * 10 + (s[i] - '0');
                t->digits++;
                i++;
            }
        } else if (is_alpha(c)) {
            t->kind = TK_WORD;
            size_t k = 0;
            while (i < len && (is_alpha(s[i]) || (s[i] == '.' && is_alpha(s[i - 1])))) {
                if (s[i] != '.') {
                    if (k + 1 == WORD_MAX)
                        return -1;
                    t->word[k++] = (char)(s[i] | 0x20);
                }
                i++;
            }
        } else if (c == '\'' && n > 0 && tk[n - 1].kind == TK_NUM && !space && i + 1 < len &&
                   (s[i + 1] == 's' || s[i + 1] == 'S')) {
            i++;            /* 1990's: the apostrophe is dropped */
            continue;
        } else if (d || (c && strchr(",/.-?~", c))) {
            t->kind = TK_PUNCT;
            if (minus)
                t->punct = '-';
            else
                t->punct = d ? DASH : (char)c;
            i += d ? d : 1;
        } else {
            return -1;
        }
        t->end = i;
        space = false;
        n++;
    }
    *ntk = n;
    return 0;
}

/* ---- Words ------------------------------------------------------------------- */

typedef struct {
    const char *word;
    int value;
} word_value;

static const word_value months[] = {
    {"january", 1}, {"jan", 1}, {"february", 2}, {"feb", 2}, {"march", 3}, {"mar", 3},
    {"april", 4}, {"apr", 4}, {"may", 5}, {"june", 6}, {"jun", 6}, {"july", 7}, {"jul", 7},
    {"august", 8}, {"aug", 8}, {"september", 9}, {"sept", 9}, {"sep", 9}, {"october", 10},
    {"oct", 10}, {"november", 11}, {"nov", 11}, {"december", 12}, {"dec", 12}, {NULL, 0}};

static const word_value seasons[] = {
    {"spring", 21}, {"summer", 22}, {"autumn", 23}, {"fall", 23}, {"winter", 24}, {NULL, 0}};

enum { ERA_NONE, ERA_BC, ERA_AD };

static const word_value eras[] = {
    {"bc", ERA_BC}, {"bce", ERA_BC}, {"ad", ERA_AD}, {"ce", ERA_AD}, {NULL, 0}};

/* Words that make a date approximate when they come first. */
static const word_value circa[] = {
    {"c", 1}, {"ca", 1}, {"circa", 1}, {"approx", 1}, {"approximately", 1}, {"about", 1},
    {"around", 1}, {NULL, 0}};

static const word_value ordinals[] = {
    {"st", 1}, {"nd", 1}, {"rd", 1}, {"th", 1}, {NULL, 0}};

/* Words that only join others: "the 15th of March", "June 28, 2021". */
static const word_value fillers[] = {{"the", 1}, {"of", 1}, {NULL, 0}};

/* The value of tk's word in table, or 0. */
static int lookup(const token *tk, const word_value *table)
{
    if (tk->kind != TK_WORD)
        return 0;
    for (const word_value *w = table; w->word; w++)
        if (strcmp(w->word, tk->word) == 0)
            return w->value;
    return 0;
}

static bool is_word(const token *tk, const char *word)
{
    return tk->kind == TK_WORD && strcmp(tk->word, word) == 0;
}

static bool is_punct(const token *tk, char p)
{
    return tk->kind == TK_PUNCT && tk->punct == p;
}

/* ---- One side of a date ------------------------------------------------------ */

typedef enum { SIDE_DATE, SIDE_OPEN, SIDE_UNKNOWN, SIDE_EDTF } side_kind;

typedef struct {
    side_kind kind;
    const char *verbatim;    /* SIDE_EDTF: the text, already EDTF */
    size_t vlen;
    long long n;             /* the year as written (a magnitude) */
    int digits;              /* its digits */
    bool has_year, negative;
    int era;                 /* ERA_NONE, ERA_BC, ERA_AD */
    int month, day, season;
    int xdigits;             /* 1: a decade (199X), 2: a century (19XX) */
    bool century_or_decade;  /* "1900s" */
    bool day_month;          /* "05/06/2021": day and month either way round */
    bool bare;               /* one plain number and nothing else ("15" in "15-17 March") */
    unsigned quals;          /* EDTF_UNCERTAIN | EDTF_APPROXIMATE */
} hside;

static edtf_human_kind side_ambiguity(const hside *s)
{
    if (s->kind != SIDE_DATE)
        return EDTF_HUMAN_ONE;
    if (s->day_month)
        return EDTF_HUMAN_DAY_MONTH;
    if (s->century_or_decade)
        return EDTF_HUMAN_CENTURY;
    if (s->negative && s->digits < 4 && s->era == ERA_NONE)
        return EDTF_HUMAN_SHORT_YEAR;
    return EDTF_HUMAN_ONE;
}

/* Read "NUM sep NUM [sep NUM]" (one separator, no spaces) as a numeric date. */
static bool read_numeric(const token *tk, size_t a, size_t b, hside *s)
{
    size_t n = b - a;
    if (n != 3 && n != 5)
        return false;
    char sep = tk[a + 1].kind == TK_PUNCT ? tk[a + 1].punct : 0;
    if (sep != '/' && sep != '.' && sep != '-')
        return false;
    for (size_t i = a; i < b; i++) {
        bool want_num = (i - a) % 2 == 0;
        if (i > a && !tk[i].glued)
            return false;
        if (want_num ? tk[i].kind != TK_NUM || (i > a && tk[i].negative)
                     : !is_punct(&tk[i], sep))
            return false;
    }
    const token *p = &tk[a], *q = &tk[a + 2], *r = n == 5 ? &tk[a + 4] : NULL;
    bool year_first = p->digits >= 3 || p->negative;
    s->has_year = true;
    if (year_first) {                          /* 2019-3-5, 2021/06/28, -44-03-15 */
        if (q->digits > 2 || (r && r->digits > 2))
            return false;
        s->n = p->value;
        s->digits = p->digits;
        s->negative = p->negative;
        s->month = (int)q->value;
        s->day = r ? (int)r->value : 0;
        return true;
    }
    const token *y = r ? r : q;                /* 28/06/2021, 06/2021 */
    if (y->digits != 4 || p->digits > 2 || (r && q->digits > 2))
        return false;
    s->n = y->value;
    s->digits = 4;
    if (!r) {
        s->month = (int)p->value;
        return true;
    }
    long long x = p->value, z = q->value;
    if (x > 12 && z <= 12) {
        s->day = (int)x;
        s->month = (int)z;
    } else if (x <= 12 && z > 12) {
        s->month = (int)x;
        s->day = (int)z;
    } else if (x <= 12 && z <= 12) {
        s->day = (int)x;
        s->month = (int)z;
        s->day_month = x != z;
    } else {
        return false;
    }
    return true;
}

/* Read tokens [a, b) as one date written as people write it. */
static bool read_words(const token *tk, size_t a, size_t b, hside *s)
{
    /* Qualifiers: "c." / "circa" / "~" first, "?" / "~" last. */
    while (a < b && (lookup(&tk[a], circa) || is_punct(&tk[a], '~') || is_word(&tk[a], "the"))) {
        if (!is_word(&tk[a], "the"))
            s->quals |= EDTF_APPROXIMATE;
        a++;
    }
    while (b > a && (is_punct(&tk[b - 1], '?') || is_punct(&tk[b - 1], '~'))) {
        s->quals |= is_punct(&tk[b - 1], '?') ? EDTF_UNCERTAIN : EDTF_APPROXIMATE;
        b--;
    }
    /* The era: "44 BC", "14 AD", "AD 14". */
    if (b > a && lookup(&tk[b - 1], eras)) {
        s->era = lookup(&tk[b - 1], eras);
        b--;
    } else if (b > a && lookup(&tk[a], eras) == ERA_AD) {
        s->era = ERA_AD;
        a++;
    }
    if (a == b)
        return false;
    for (size_t i = a; i < b; i++)
        if (tk[i].kind == TK_PUNCT && tk[i].punct != ',')
            return read_numeric(tk, a, b, s) && (s->era == ERA_NONE || !s->negative);

    const token *nums[3];
    size_t nnums = 0;
    int ordinal = 0, decade = 0;
    bool century = false;
    for (size_t i = a; i < b; i++) {
        const token *t = &tk[i];
        int v;
        if (t->kind == TK_NUM) {
            if (nnums == 3)
                return false;
            nums[nnums++] = t;
        } else if (is_punct(t, ',') || lookup(t, fillers)) {
            continue;
        } else if ((v = lookup(t, months)) != 0) {
            if (s->month || s->season)
                return false;
            s->month = v;
        } else if ((v = lookup(t, seasons)) != 0) {
            if (s->month || s->season)
                return false;
            s->season = v;
        } else if (is_word(t, "century") || is_word(t, "c")) {
            century = true;
        } else if (t->glued && i > a && tk[i - 1].kind == TK_NUM && lookup(t, ordinals)) {
            if (ordinal)
                return false;
            ordinal = (int)nnums;               /* the number before it, counted from 1 */
        } else if (t->glued && i > a && tk[i - 1].kind == TK_NUM && is_word(t, "s")) {
            if (decade)
                return false;
            decade = (int)nnums;
        } else {
            return false;
        }
    }
    for (size_t i = 0; i < nnums; i++)
        if (nums[i]->negative && (s->era != ERA_NONE || i != nnums - 1))
            return false;

    if (century) {                              /* 3rd century BC, 19th century */
        if (nnums != 1 || ordinal != 1 || s->month || s->season || decade)
            return false;
        long long c = nums[0]->value;
        if (c < 1 || c > 100 || nums[0]->negative || (c == 1 && s->era != ERA_BC))
            return false;
        s->has_year = true;
        s->n = (c - 1) * 100;
        s->negative = s->era == ERA_BC;
        s->era = ERA_NONE;
        s->digits = 4;
        s->xdigits = 2;
        return true;
    }
    if (decade) {                               /* 1990s, the 1900s */
        long long y = nums[0]->value;
        if (nnums != 1 || ordinal || s->month || s->season || s->era == ERA_BC ||
            nums[0]->negative || nums[0]->digits < 3 || y % 10 != 0 || y > 9990)
            return false;
        s->has_year = true;
        s->n = y;
        s->digits = 4;
        s->xdigits = y % 100 == 0 ? 2 : 1;
        s->century_or_decade = y % 100 == 0;
        return true;
    }
    if (s->season && (nnums != 1 || ordinal))
        return false;
    const token *year = NULL;
    if (s->month && nnums == 2 && !ordinal) {   /* 28 June 2021, June 28, 2021 */
        bool first_is_day = nums[0]->digits <= 2 && !nums[0]->negative;
        const token *day = first_is_day ? nums[0] : nums[1];
        year = first_is_day ? nums[1] : nums[0];
        if (day->digits > 2 || day->negative)
            return false;
        s->day = (int)day->value;
    } else if (s->month && nnums == 2 && ordinal) {   /* the 15th of March 2019 */
        s->day = (int)nums[ordinal - 1]->value;
        year = nums[2 - ordinal];
        if (nums[ordinal - 1]->digits > 2)
            return false;
    } else if (nnums == 1 && !ordinal) {
        year = nums[0];                         /* March 2019, 44 BC, summer 2014 */
        /* "15 March" with no year: a day, not the year 15 (the year comes from a range). */
        if (s->month && year->digits <= 2 && s->era == ERA_NONE && !year->negative) {
            s->day = (int)year->value;
            return true;
        }
    } else if (nnums == 1 && ordinal && s->month) {
        s->day = (int)nums[0]->value;           /* 15th March: a year comes from the range */
        return nums[0]->digits <= 2;
    } else if (nnums == 0 && s->month) {
        return true;                            /* March in "March-June 2019" */
    } else {
        return false;
    }
    s->has_year = true;
    s->n = year->value;
    s->digits = year->digits;
    s->negative = year->negative;
    s->bare = nnums == 1 && !s->month && !s->season && s->era == ERA_NONE && !s->quals &&
              !year->negative;
    return true;
}

/* A side's values are in range (a day is checked against its month later, by edtf_parse). */
static bool side_valid(const hside *s)
{
    if (s->kind != SIDE_DATE)
        return true;
    if (!s->has_year || s->n > 999999999 || ((s->era != ERA_NONE || s->negative) && s->n < 1 &&
                                             !s->xdigits))
        return false;
    if (s->month && (s->month < 1 || s->month > 12))
        return false;
    if (s->day && (s->day < 1 || s->day > 31 || !s->month))
        return false;
    if (s->day_month && s->day > 12)
        return false;
    return true;
}

/* Read tokens [a, b): "?" (unknown), ".." (open), a form people write, or EDTF as written. */
static bool read_side(const char *text, const token *tk, size_t a, size_t b, hside *s)
{
    memset(s, 0, sizeof *s);
    if (a == b)
        return false;              /* "2019-": open or not known? Write which. */
    if (b == a + 1 && is_punct(&tk[a], '?')) {
        s->kind = SIDE_UNKNOWN;
        return true;
    }
    if (b == a + 2 && is_punct(&tk[a], '.') && is_punct(&tk[a + 1], '.') && tk[a + 1].glued) {
        s->kind = SIDE_OPEN;
        return true;
    }
    if (read_words(tk, a, b, s) && (s->has_year ? side_valid(s) : true))
        return true;
    memset(s, 0, sizeof *s);
    edtf_date d;
    s->kind = SIDE_EDTF;
    s->verbatim = text + tk[a].off;
    s->vlen = tk[b - 1].end - tk[a].off;
    return edtf_parse(s->verbatim, s->vlen, false, &d, NULL, 0, NULL) == 0;
}

/* The astronomical year of side s in reading r (0 is 1 BCE). */
static long long side_year(const hside *s, int r)
{
    if (s->era == ERA_BC)
        return 1 - s->n;
    if (s->negative && s->digits < 4)
        return r == 0 ? 1 - s->n : -s->n;   /* -44: 44 BCE as people mean it, or EDTF's 45 BCE */
    return s->negative ? -s->n : s->n;
}

/* Write side s as EDTF in reading r into buf (snprintf semantics). */
static void side_write(const hside *s, int r, char *buf, size_t size)
{
    size_t o = 0;
#define PUT(...) (o += (size_t)snprintf(buf + (o < size ? o : size), o < size ? size - o : 0, __VA_ARGS__))
    switch (s->kind) {
    case SIDE_UNKNOWN:
        PUT("%s", "");
        return;
    case SIDE_OPEN:
        PUT("..");
        return;
    case SIDE_EDTF:
        PUT("%.*s", (int)s->vlen, s->verbatim);
        return;
    case SIDE_DATE:
        break;
    }
    if (s->xdigits) {
        int x = s->century_or_decade && r == 1 ? 1 : s->xdigits;
        char digits[8];
        snprintf(digits, sizeof digits, "%04lld", s->n % 10000);
        for (int k = 0; k < x; k++)
            digits[3 - k] = 'X';
        PUT("%s%s", s->negative ? "-" : "", digits);
    } else {
        long long y = side_year(s, r);
        if (y > 9999 || y < -9999)
            PUT("Y%lld", y);
        else
            PUT("%s%04lld", y < 0 ? "-" : "", y < 0 ? -y : y);
    }
    int month = s->month, day = s->day;
    if (s->day_month && r == 1) {
        month = s->day;
        day = s->month;
    }
    if (s->season)
        PUT("-%02d", s->season);
    else if (month)
        PUT("-%02d", month);
    if (day)
        PUT("-%02d", day);
    if (s->quals == (EDTF_UNCERTAIN | EDTF_APPROXIMATE))
        PUT("%%");
    else if (s->quals == EDTF_UNCERTAIN)
        PUT("?");
    else if (s->quals == EDTF_APPROXIMATE)
        PUT("~");
#undef PUT
}

/* ---- Ranges -------------------------------------------------------------------- */

/* The token at which a range is cut, or b when it is one date. */
static size_t find_cut(const token *tk, size_t a, size_t b, bool between)
{
    for (size_t i = a; i < b; i++) {
        const token *t = &tk[i];
        if (is_punct(t, DASH) || is_word(t, "to") || (between && is_word(t, "and")))
            return i;
        /* A spaced hyphen: "2014 - 2019". */
        if (is_punct(t, '-') && !t->glued && i + 1 < b && !tk[i + 1].glued)
            return i;
    }
    /* "2014-2019", "1939-45": two years joined by a hyphen (a month is at most 12). */
    for (size_t i = a + 1; i + 1 < b; i++) {
        const token *y = &tk[i - 1], *z = &tk[i + 1];
        if (is_punct(&tk[i], '-') && tk[i].glued && z->glued && y->kind == TK_NUM &&
            y->digits == 4 && (i - 1 == a || !y->glued) && z->kind == TK_NUM &&
            !z->negative && z->value > 12 && (z->digits == 4 || z->digits == 2) &&
            (i + 2 == b || !tk[i + 2].glued))
            return i;
    }
    return b;
}

/* What one side of a range leaves out, taken from the other. */
static bool complete_range(hside *l, hside *r)
{
    if (l->kind != SIDE_DATE || r->kind != SIDE_DATE)
        return true;
    /* "15-17 March 2019": a bare number before a day is a day. */
    if (l->bare && r->day && l->n >= 1 && l->n <= 31 && l->digits <= 2) {
        l->day = (int)l->n;
        l->month = r->month;
        l->has_year = false;
    }
    /* "March-June 2019", "15 March - 17 April 2019": the year of the end. */
    if (!l->has_year && l->month) {
        if (!r->has_year || r->xdigits)
            return false;
        l->has_year = true;
        l->n = r->n;
        l->digits = r->digits;
        l->negative = r->negative;
        l->era = r->era;
    }
    /* "1939-45", "2014-19": the end's century from the start. */
    if (r->bare && l->has_year && !l->negative && l->era == ERA_NONE && l->digits == 4 &&
        !l->month && !l->season && !l->xdigits && r->digits < 4) {
        long long unit = r->digits == 1 ? 10 : r->digits == 2 ? 100 : 1000;
        r->n = l->n - l->n % unit + r->n;
        r->digits = 4;
        if (r->n <= l->n)
            return false;
    }
    /* "44-42 BC": the era of the end. */
    if (l->era == ERA_NONE && !l->negative && r->era != ERA_NONE)
        l->era = r->era;
    return true;
}

/* Combine the kinds of two sides; -1 when they are ambiguous in two different ways. */
static int combine(edtf_human_kind a, edtf_human_kind b)
{
    if (a == EDTF_HUMAN_ONE)
        return b;
    if (b == EDTF_HUMAN_ONE || b == a)
        return a;
    return -1;
}

edtf_human_kind edtf_human_read(const char *text, size_t len, edtf_human *out)
{
    memset(out, 0, sizeof *out);
    token tk[MAX_TOKENS];
    size_t n;
    if (text == NULL || tokenize(text, len, tk, &n) != 0 || n == 0)
        return EDTF_HUMAN_NONE;
    /* "since 2019", "until 1985", "from 2014 to 2019", "between 2014 and 2019". */
    bool since = is_word(&tk[0], "since");
    bool until = is_word(&tk[0], "until") || is_word(&tk[0], "till");
    bool between = is_word(&tk[0], "between");
    size_t a = since || until || between || is_word(&tk[0], "from") ? 1 : 0;

    hside l, r;
    size_t cut = find_cut(tk, a, n, between);
    bool range = cut < n;
    if ((since || until) && range)
        return EDTF_HUMAN_NONE;
    if (!range) {
        if (!read_side(text, tk, a, n, &l))
            return EDTF_HUMAN_NONE;
    } else {
        if (!read_side(text, tk, a, cut, &l) || !read_side(text, tk, cut + 1, n, &r))
            return EDTF_HUMAN_NONE;
        /* "winter 2014-15" is one season, not a range. */
        if (l.kind == SIDE_DATE && l.season == 24 && !l.day && r.kind == SIDE_DATE && r.bare &&
            (r.n == l.n + 1 || (r.digits == 2 && r.n == (l.n + 1) % 100))) {
            range = false;
        } else if (!complete_range(&l, &r)) {
            return EDTF_HUMAN_NONE;
        }
    }
    if (l.kind != SIDE_DATE && !range)
        return EDTF_HUMAN_NONE;            /* a lone "?" or EDTF: nothing to read */
    if (!side_valid(&l) || (range && !side_valid(&r)))
        return EDTF_HUMAN_NONE;
    if ((since || until) && l.kind != SIDE_DATE)
        return EDTF_HUMAN_NONE;

    int kind = side_ambiguity(&l);
    if (range)
        kind = combine((edtf_human_kind)kind, side_ambiguity(&r));
    if (kind < 0)
        return EDTF_HUMAN_NONE;
    int readings = kind == EDTF_HUMAN_ONE ? 1 : 2;
    for (int k = 0; k < readings; k++) {
        char one[EDTF_HUMAN_MAX], two[EDTF_HUMAN_MAX];
        side_write(&l, k, one, sizeof one);
        if (range)
            side_write(&r, k, two, sizeof two);
        int w = snprintf(out->edtf[k], EDTF_HUMAN_MAX, "%s%s%s%s", until ? "../" : "", one,
                         since ? "/.." : range ? "/" : "", range ? two : "");
        if (w < 0 || w >= EDTF_HUMAN_MAX)
            return EDTF_HUMAN_NONE;
    }
    out->bce = l.era == ERA_BC || l.negative || (range && (r.era == ERA_BC || r.negative));
    out->kind = (edtf_human_kind)kind;
    if (kind == EDTF_HUMAN_ONE && strlen(out->edtf[0]) == len && memcmp(out->edtf[0], text, len) == 0) {
        memset(out, 0, sizeof *out);       /* EDTF as written ("2021-02-30"): nothing to read */
        return EDTF_HUMAN_NONE;
    }
    return out->kind;
}

/* ---- The diagnostic ------------------------------------------------------------ */

/* "15 March 44 BCE" for an EDTF reading; false when it is not a date (allow_interval). */
static bool words_of(const char *edtf, bool allow_interval, char *buf, size_t size,
                     edtf_date *d, char *why, size_t whylen)
{
    if (edtf_parse(edtf, strlen(edtf), allow_interval, d, why, whylen, NULL) != 0)
        return false;
    edtf_humanize(d, buf, size);
    return true;
}

/* The first and last year of a parsed date, as "1900–1999". */
static void year_span(const edtf_date *d, char *buf, size_t size)
{
    int64_t y0, y1;
    int m, dd;
    edtf_civil_from_days(d->lower / 86400 - (d->lower % 86400 < 0), &y0, &m, &dd);
    edtf_civil_from_days(d->upper / 86400 - (d->upper % 86400 < 0), &y1, &m, &dd);
    snprintf(buf, size, "%lld\xE2\x80\x93%lld", (long long)y0, (long long)y1);
}

#define YEAR_ZERO "EDTF counts 1 BCE as year 0000, 2 BCE as -0001"

/*
 * EDTF's own numeric shape, [-]YYYY-MM or [-]YYYY-MM-DD: such a text that
 * does not parse names a month or day out of range, which the parser's
 * reason says better than any other reading ("2019-00" is not the year
 * 2019, "-0206-13" not 207 BCE to 13 CE).
 */
static bool edtf_shaped(const char *s, size_t n)
{
    size_t i = n && s[0] == '-' ? 1 : 0, groups = 0;
    for (size_t k = 0; k < 4; k++, i++)
        if (i >= n || !is_digit((unsigned char)s[i]))
            return false;
    while (i < n) {
        if (s[i] != '-' || i + 2 >= n || !is_digit((unsigned char)s[i + 1]) ||
            !is_digit((unsigned char)s[i + 2]))
            return false;
        i += 3;
        groups++;
    }
    return groups == 1 || groups == 2;
}

int edtf_human_explain(const char *text, size_t len, bool allow_interval, edtf_problem *out)
{
    memset(out, 0, sizeof *out);
    char reason[160], why[160];
    size_t off = 0;
    if (edtf_parse(text, len, allow_interval, NULL, reason, sizeof reason, &off) == 0)
        return 1;
    int tlen = len > INT_MAX ? INT_MAX : (int)len;
    edtf_human h;
    edtf_human_kind kind = edtf_shaped(text, len) ? EDTF_HUMAN_NONE : edtf_human_read(text, len, &h);
    char w0[160], w1[160];
    edtf_date d0, d1;
    bool ok0 = kind != EDTF_HUMAN_NONE &&
               words_of(h.edtf[0], allow_interval, w0, sizeof w0, &d0, why, sizeof why);
    bool ok1 = kind != EDTF_HUMAN_NONE && kind != EDTF_HUMAN_ONE &&
               words_of(h.edtf[1], allow_interval, w1, sizeof w1, &d1, NULL, 0);
    if (kind == EDTF_HUMAN_ONE && ok0) {
        out->message = str_printf("invalid date '%.*s': not written in EDTF", tlen, text);
        out->hint = str_printf("write %s (%s)%s", h.edtf[0], w0,
                               h.bce ? "; " YEAR_ZERO : "");
    } else if (kind == EDTF_HUMAN_ONE) {
        /* A form people write, naming a date that does not exist: say why. */
        out->message = str_printf("invalid date '%.*s': %s", tlen, text, why);
        out->hint = str_printf("%s", edtf_human_forms_hint);
    } else if (kind == EDTF_HUMAN_DAY_MONTH && ok0 && ok1) {
        out->message = str_printf("invalid date '%.*s': the day and the month could be "
                                  "either way round", tlen, text);
        out->hint = str_printf("write %s for %s, or %s for %s", h.edtf[0], w0, h.edtf[1], w1);
    } else if (kind == EDTF_HUMAN_CENTURY && ok0 && ok1) {
        char y0[64], y1[64];
        year_span(&d0, y0, sizeof y0);
        year_span(&d1, y1, sizeof y1);
        out->message = str_printf("invalid date '%.*s': a century or a decade", tlen, text);
        out->hint = str_printf("write %s for the years %s, or %s for %s", h.edtf[0], y0,
                               h.edtf[1], y1);
    } else if (kind == EDTF_HUMAN_SHORT_YEAR && ok0 && ok1) {
        out->message = str_printf("invalid date '%.*s': %s", tlen, text, reason);
        out->hint = str_printf("write %s for %s; %s would be %s (" YEAR_ZERO ")", h.edtf[0],
                               w0, h.edtf[1], w1);
        out->offset = off;
    } else {
        out->message = str_printf("invalid date '%.*s': %s", tlen, text, reason);
        out->hint = str_printf("%s", edtf_human_forms_hint);
        out->offset = off;
    }
    if (!out->message || !out->hint) {
        edtf_problem_free(out);
        return -1;
    }
    return 0;
}

void edtf_problem_free(edtf_problem *p)
{
    if (!p)
        return;
    free(p->message);
    free(p->hint);
    p->message = p->hint = NULL;
}
