/* util.c - small shared helpers: strings and buffers, a hash and a string map, files, JSON escaping, text folding, edit distance. */
#include "annals/util.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *str_vprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *str_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = str_vprintf(fmt, ap);
    va_end(ap);
    return s;
}

char *file_read_all(const char *path, size_t *len, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        fclose(f);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        fclose(f);
        errno = EISDIR;
        return NULL;
    }
    if ((uintmax_t)st.st_size > max) {
        fclose(f);
        errno = EFBIG;
        return NULL;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        /* The file grew while we read it: make room, within the limit. */
        if (cap > max) {
            free(buf);
            fclose(f);
            errno = EFBIG;
            return NULL;
        }
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    if (!buf || ferror(f)) {
        int e = buf ? EIO : ENOMEM;
        free(buf);
        fclose(f);
        errno = e;
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

void json_write_string(FILE *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    putc('"', out);
    while (p < end) {
        unsigned char c = *p;
        uint32_t cp = 0;
        size_t n = c < 0x80 ? 1 : utf8_decode(p, (size_t)(end - p), &cp);
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        case '\b': fputs("\\b", out); break;
        case '\f': fputs("\\f", out); break;
        default:
            if (c < 0x20 || c == 0x7f)
                fprintf(out, "\\u%04x", c);
            else if (n == 0)
                fputs("\\ufffd", out);    /* a byte that is not UTF-8: U+FFFD */
            else if (n == 3 && (cp == 0x2028 || cp == 0x2029))
                fprintf(out, "\\u%04x", (unsigned)cp);   /* they break JavaScript strings */
            else
                fwrite(p, 1, n, out);
        }
        p += n ? n : 1;
    }
    putc('"', out);
}

size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if ((c & 0xE0) == 0xC0) {
        len = 2; v = c & 0x1F; min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3; v = c & 0x0F; min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4; v = c & 0x07; min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

static size_t utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Base letters of U+00C0..U+00FF; '*' marks the few that fold to two letters. */
static const char latin1_base[] =
    "aaaaaa*ceeeeiiii" "dnooooo*ouuuuy**"
    "aaaaaa*ceeeeiiii" "dnooooo/ouuuuy*y";
/* Base letters of U+0100..U+017F; '1' is ij, '2' is oe. */
static const char latin_ext_a_base[] =
    "aaaaaacccccccc" "dddd" "eeeeeeeeee" "gggggggg" "hhhh" "iiiiiiiiii" "11"
    "jj" "kkk" "llllllllll" "nnnnnnn" "nn" "oooooo" "22" "rrrrrr" "ssssssss"
    "tttttt" "uuuuuuuuuuuu" "ww" "yyy" "zzzzzz" "s";

/* Lower case of cp, keeping its marks (Latin-1, Latin Extended-A, Greek, Cyrillic). */
static uint32_t lower_cp(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        return cp + 32;
    if (cp >= 0x100 && cp <= 0x17F) {
        /* Pairs: upper case on even code points, except 0x139..0x148 and 0x179..0x17E. */
        bool odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
        if (cp == 0x130 || cp == 0x131 || cp == 0x138 || cp == 0x149 || cp == 0x17F)
            return cp == 0x130 ? 'i' : cp;
        if (cp == 0x178)
            return 0xFF;
        return (cp % 2 == (odd_upper ? 1u : 0u)) ? cp + 1 : cp;
    }
    if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
        return cp + 0x20;
    if (cp == 0x386)
        return 0x3AC;
    if (cp >= 0x388 && cp <= 0x38A)
        return cp + 0x25;
    if (cp == 0x38C)
        return 0x3CC;
    if (cp == 0x38E || cp == 0x38F)
        return cp + 0x3F;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 0x50;
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 0x20;
    return cp;
}

/* Writes the folded form of cp to out (at most 4 bytes); returns the length. */
static size_t fold_cp(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
        return 1;
    }
    if (cp >= 0x300 && cp <= 0x36F)      /* combining diacritics */
        return 0;
    if (cp >= 0xC0 && cp <= 0xFF) {
        char b = latin1_base[cp - 0xC0];
        switch (cp) {
        case 0xC6: case 0xE6: memcpy(out, "ae", 2); return 2;
        case 0xD7: case 0xF7: return utf8_encode(cp, out);   /* x and / signs */
        case 0xDE: case 0xFE: memcpy(out, "th", 2); return 2;
        case 0xDF: memcpy(out, "ss", 2); return 2;
        default: out[0] = b; return 1;
        }
    }
    if (cp >= 0x100 && cp <= 0x17F) {
        char b = latin_ext_a_base[cp - 0x100];
        if (b == '1') { memcpy(out, "ij", 2); return 2; }
        if (b == '2') { memcpy(out, "oe", 2); return 2; }
        out[0] = b;
        return 1;
    }
    /* Greek: strip tonos and dialytika, lower case, final sigma as sigma. */
    if (cp >= 0x386 && cp <= 0x3CE) {
        static const uint16_t tonos[][2] = {
            {0x386, 0x3B1}, {0x388, 0x3B5}, {0x389, 0x3B7}, {0x38A, 0x3B9},
            {0x38C, 0x3BF}, {0x38E, 0x3C5}, {0x38F, 0x3C9}, {0x390, 0x3B9},
            {0x3AA, 0x3B9}, {0x3AB, 0x3C5}, {0x3AC, 0x3B1}, {0x3AD, 0x3B5},
            {0x3AE, 0x3B7}, {0x3AF, 0x3B9}, {0x3B0, 0x3C5}, {0x3C2, 0x3C3},
            {0x3CA, 0x3B9}, {0x3CB, 0x3C5}, {0x3CC, 0x3BF}, {0x3CD, 0x3C5},
            {0x3CE, 0x3C9}};
        for (size_t i = 0; i < sizeof(tonos) / sizeof(tonos[0]); i++)
            if (tonos[i][0] == cp)
                return utf8_encode(tonos[i][1], out);
        if (cp >= 0x391 && cp <= 0x3A9)
            cp += 0x20;
        return utf8_encode(cp, out);
    }
    /* Cyrillic: lower case; io folds to ie, short i stays a letter of its own. */
    if (cp >= 0x400 && cp <= 0x42F) {
        if (cp == 0x401)
            cp = 0x435;
        else
            cp += cp < 0x410 ? 0x50 : 0x20;
        return utf8_encode(cp, out);
    }
    if (cp == 0x451)
        return utf8_encode(0x435, out);
    return utf8_encode(cp, out);
}

static char *fold_text(const char *s, size_t len, bool strip_marks)
{
    /* Folding never makes a character longer than 4 bytes nor more than 2 letters. */
    char *out = malloc(len * 2 + 1);
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, o = 0;
    while (i < len) {
        uint32_t cp;
        size_t l = utf8_decode(p + i, len - i, &cp);
        if (!l) {               /* not UTF-8: keep the byte */
            out[o++] = (char)p[i++];
            continue;
        }
        char buf[4];
        size_t fl = strip_marks ? fold_cp(cp, buf) : utf8_encode(lower_cp(cp), buf);
        if (fl > l * 2)         /* cannot happen with the tables above */
            fl = l * 2;
        memcpy(out + o, buf, fl);
        o += fl;
        i += l;
    }
    out[o] = '\0';
    return out;
}

char *text_fold(const char *s, size_t len)
{
    return fold_text(s, len, true);
}

char *text_lower(const char *s, size_t len)
{
    return fold_text(s, len, false);
}

size_t edit_distance(const char *a, const char *b, size_t cap)
{
    /* Optimal string alignment: insertions, deletions, substitutions and
       transpositions of neighbours ("titel" -> "title" is 1). Three rows. */
    size_t la = strlen(a), lb = strlen(b);
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    /* Names are short: their rows fit on the stack. */
    size_t local[3 * 128];
    size_t *buf = lb < 128 ? local : malloc(3 * (lb + 1) * sizeof(*buf));
    if (!buf)
        return cap + 1;
    size_t *prev2 = buf, *prev = buf + lb + 1, *row = buf + 2 * (lb + 1);
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        row[0] = i;
        size_t best = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = prev[j - 1] + cost;
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            row[j] = v;
            if (v < best)
                best = v;
        }
        if (best > cap) {
            if (buf != local)
                free(buf);
            return cap + 1;
        }
        size_t *t = prev2;
        prev2 = prev;
        prev = row;
        row = t;
    }
    size_t d = prev[lb];
    if (buf != local)
        free(buf);
    return d > cap ? cap + 1 : d;
}
int array_grow(void *v, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap)
        return 0;
    size_t want = *cap ? *cap * 2 : first;
    if (want <= n || want > SIZE_MAX / size)
        return -1;
    /* *v is a T*, not a void*: read and write it as bytes (no type punning). */
    void *old, *grown;
    memcpy(&old, v, sizeof(old));
    if (!(grown = realloc(old, want * size)))
        return -1;
    memcpy(v, &grown, sizeof(grown));
    *cap = want;
    return 0;
}

size_t str_index_get(str_index *m, const char *key, bool add)
{
    size_t len = strlen(key);
    const size_t *found = strmap_get(&m->map, key, len);
    if (found)
        return *found;
    if (!add)
        return SIZE_MAX;
    char *copy = strdup(key);
    if (!copy || array_grow(&m->keys, &m->cap, m->n, sizeof(*m->keys), 64) != 0 ||
        strmap_put(&m->map, copy, len, m->n) != 0) {
        free(copy);
        return SIZE_MAX;
    }
    m->keys[m->n] = copy;
    return m->n++;
}

void str_index_free(str_index *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->keys[i]);
    free(m->keys);
    strmap_free(&m->map);
    memset(m, 0, sizeof(*m));
}

/* ---- A growable string ------------------------------------------------------- */

void strbuf_addn(strbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

void strbuf_add(strbuf *b, const char *s)
{
    strbuf_addn(b, s, strlen(s));
}

void strbuf_addf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = str_vprintf(fmt, ap);
    va_end(ap);
    if (s)
        strbuf_add(b, s);
    else
        b->oom = true;
    free(s);
}

const char *strbuf_str(const strbuf *b)
{
    return b->s ? b->s : "";
}

void strbuf_reset(strbuf *b)
{
    b->n = 0;
    if (b->s)
        b->s[0] = '\0';
}

char *strbuf_detach(strbuf *b)
{
    char *s = b->oom ? NULL : b->s ? b->s : strdup("");
    if (b->oom)
        free(b->s);
    memset(b, 0, sizeof(*b));
    return s;
}

void strbuf_free(strbuf *b)
{
    free(b->s);
    memset(b, 0, sizeof(*b));
}

/* ---- Strings that never move until a reset ------------------------------------ */

struct arena_block {
    arena_block *next;
    size_t cap, used;
    char data[];
};

void arena_free(arena *a)
{
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

void arena_reset(arena *a)
{
    a->oom = false;
    if (!a->head)
        return;
    if (!a->head->next) {
        a->head->used = 0;
        return;
    }
    size_t total = 0;
    for (arena_block *b = a->head; b; b = b->next)
        total += b->cap;
    arena_free(a);
    arena_block *b = malloc(sizeof(*b) + total);
    if (b) {
        b->next = NULL;
        b->cap = total;
        b->used = 0;
    }
    a->head = b;
}

const char *arena_dup(arena *a, const char *s, size_t n)
{
    arena_block *b = a->head;
    if (!b || b->cap - b->used < n + 1) {
        size_t cap = b ? b->cap * 2 : 4096;
        if (cap < n + 1)
            cap = n + 1;
        arena_block *nb = malloc(sizeof(*nb) + cap);
        if (!nb) {
            a->oom = true;
            return NULL;
        }
        nb->next = b;
        nb->cap = cap;
        nb->used = 0;
        a->head = b = nb;
    }
    char *p = b->data + b->used;
    memcpy(p, s, n);
    p[n] = '\0';
    b->used += n + 1;
    return p;
}

/* ---- A hash and a string map ---------------------------------------------------- */

uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x100000001b3u;
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001b3u;
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93u;
    return h ^ (h >> 32);
}

static strmap_slot *strmap_slot_for(const strmap *m, const char *key, size_t len)
{
    size_t i = (size_t)hash_bytes(key, len) & (m->cap - 1);
    while (m->v[i].key && !(m->v[i].len == len && memcmp(m->v[i].key, key, len) == 0))
        i = (i + 1) & (m->cap - 1);
    return &m->v[i];
}

const size_t *strmap_get(const strmap *m, const char *key, size_t len)
{
    if (!m->cap) {
        for (size_t i = 0; i < m->n; i++)
            if (m->small[i].len == len && memcmp(m->small[i].key, key, len) == 0)
                return &m->small[i].val;
        return NULL;
    }
    const strmap_slot *s = strmap_slot_for(m, key, len);
    return s->key ? &s->val : NULL;
}

int strmap_put(strmap *m, const char *key, size_t len, size_t val)
{
    if (!m->cap) {
        for (size_t i = 0; i < m->n; i++) {
            if (m->small[i].len == len && memcmp(m->small[i].key, key, len) == 0) {
                m->small[i].val = val;
                return 0;
            }
        }
        if (m->n < STRMAP_SMALL) {
            m->small[m->n++] = (strmap_slot){key, len, val};
            return 0;
        }
    }
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        strmap_slot *v = calloc(cap, sizeof(*v));
        if (!v)
            return -1;
        strmap_slot *old = m->cap ? m->v : m->small;
        size_t oldcap = m->cap ? m->cap : m->n;
        m->v = v;
        m->cap = cap;
        for (size_t i = 0; i < oldcap; i++)
            if (old[i].key)
                *strmap_slot_for(m, old[i].key, old[i].len) = old[i];
        if (old != m->small)
            free(old);
    }
    strmap_slot *s = strmap_slot_for(m, key, len);
    if (!s->key) {
        s->key = key;
        s->len = len;
        m->n++;
    }
    s->val = val;
    return 0;
}

void strmap_free(strmap *m)
{
    free(m->v);
    memset(m, 0, sizeof(*m));
}
