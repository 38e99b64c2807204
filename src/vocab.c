/* vocab.c - the free vocabularies (event types, tags, actor roles): values in use with counts, and near-duplicates. */
#include "annals/vocab.h"

#include <stdlib.h>
#include <string.h>

#include "annals/db.h"
#include "annals/names.h"
#include "annals/render.h"
#include "annals/util.h"

typedef struct {
    const char *noun, *plural;
    const char *sql;     /* value, events, actors; in byte order of the values */
    const char *has;     /* a row when ?1 is in use */
    const char *all;     /* every value in use, and NULL (names_check_in) */
} vocab_spec;

static const vocab_spec specs[] = {
    [VOCAB_TYPES] = {"type", "types",
                     "SELECT type, count(*), 0 FROM events WHERE type IS NOT NULL "
                     "GROUP BY type ORDER BY type",
                     "SELECT 1 FROM events WHERE type = ?1",
                     "SELECT DISTINCT type, NULL FROM events"},
    [VOCAB_TAGS] = {"tag", "tags",
                    "SELECT tag, count(DISTINCT event_id), 0 FROM event_tags "
                    "GROUP BY tag ORDER BY tag",
                    "SELECT 1 FROM event_tags WHERE tag = ?1",
                    "SELECT DISTINCT tag, NULL FROM event_tags"},
    [VOCAB_ROLES] = {"role", "roles",
                     "SELECT role, count(DISTINCT event_id), count(DISTINCT actor_id) "
                     "FROM event_actors WHERE role IS NOT NULL GROUP BY role ORDER BY role",
                     "SELECT 1 FROM event_actors WHERE role = ?1",
                     "SELECT DISTINCT role, NULL FROM event_actors"},
};

const char *vocab_noun(vocab_kind kind)
{
    return specs[kind].noun;
}

const char *vocab_plural(vocab_kind kind)
{
    return specs[kind].plural;
}

int vocab_check(sqlite3 *db, vocab_kind kind, const char *value, const char *shown, char **err)
{
    const vocab_spec *spec = &specs[kind];
    return names_check_in(db, spec->noun, spec->has, spec->all, value, shown, err);
}

void vocab_values_free(vocab_value *values, size_t n)
{
    if (!values)
        return;
    for (size_t i = 0; i < n; i++)
        free(values[i].value);
    free(values);
}

int vocab_values(sqlite3 *db, vocab_kind kind, vocab_value **values, size_t *n, char **err)
{
    *values = NULL;
    *n = 0;
    sqlite3_stmt *st;
    if (db_prepare(db, specs[kind].sql, &st, err) != 0)
        return -1;
    vocab_value *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (array_grow(&v, &cap, len, sizeof(*v), 16) != 0)
            goto oom;
        const char *text = (const char *)sqlite3_column_text(st, 0);
        v[len].value = strdup(text ? text : "");
        if (!v[len].value)
            goto oom;
        v[len].events = sqlite3_column_int64(st, 1);
        v[len].actors = sqlite3_column_int64(st, 2);
        len++;
    }
    if (rc != SQLITE_DONE) {
        *err = db_error(db, specs[kind].sql);
        sqlite3_finalize(st);
        vocab_values_free(v, len);
        return -1;
    }
    sqlite3_finalize(st);
    *values = v;
    *n = len;
    return 0;
oom:
    sqlite3_finalize(st);
    vocab_values_free(v, len);
    *err = str_printf("out of memory");
    return -1;
}

/* ---- Writing ------------------------------------------------------------------- */

static void write_text(bool roles, const vocab_value *v, size_t n, FILE *out, bool color)
{
    size_t w = 0, wn = 0;
    for (size_t i = 0; i < n; i++) {
        size_t a = render_width(v[i].value);
        char num[32];
        size_t b = (size_t)snprintf(num, sizeof num, "%lld", v[i].events);
        w = a > w ? a : w;
        wn = b > wn ? b : wn;
    }
    for (size_t i = 0; i < n; i++) {
        if (color)
            fputs(SGR_BOLD, out);
        render_plain(out, v[i].value);
        if (color)
            fputs(SGR_RESET, out);
        render_pad(out, w - render_width(v[i].value) + 2);
        fprintf(out, "%*lld %s", (int)wn, v[i].events, v[i].events == 1 ? "event" : "events");
        if (roles)
            fprintf(out, "%s  %lld %s", v[i].events == 1 ? " " : "", v[i].actors,
                    v[i].actors == 1 ? "actor" : "actors");
        fputc('\n', out);
    }
}

static void write_json(const vocab_spec *spec, bool roles, const vocab_value *v, size_t n,
                       FILE *out)
{
    fprintf(out, "{\"%s\": [", spec->plural);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%s\n  {\"%s\": ", i ? "," : "", spec->noun);
        render_json_string(out, v[i].value);
        fprintf(out, ", \"events\": %lld", v[i].events);
        if (roles)
            fprintf(out, ", \"actors\": %lld", v[i].actors);
        fputc('}', out);
    }
    fputs(n ? "\n]}\n" : "]}\n", out);
}

static void write_csv(const vocab_spec *spec, bool roles, const vocab_value *v, size_t n,
                      FILE *out)
{
    fprintf(out, "%s,events%s\r\n", spec->noun, roles ? ",actors" : "");
    for (size_t i = 0; i < n; i++) {
        render_csv_field(out, v[i].value);
        fprintf(out, ",%lld", v[i].events);
        if (roles)
            fprintf(out, ",%lld", v[i].actors);
        fputs("\r\n", out);
    }
}

int vocab_write(sqlite3 *db, vocab_kind kind, listing_format fmt, FILE *out, bool color,
                char **err)
{
    vocab_value *v;
    size_t n;
    if (vocab_values(db, kind, &v, &n, err) != 0)
        return -1;
    const vocab_spec *spec = &specs[kind];
    bool roles = kind == VOCAB_ROLES;
    switch (fmt) {
    case LISTING_TEXT: write_text(roles, v, n, out, color); break;
    case LISTING_JSON: write_json(spec, roles, v, n, out); break;
    case LISTING_CSV: write_csv(spec, roles, v, n, out); break;
    }
    vocab_values_free(v, n);
    return 0;
}

/* ---- Near-duplicates ------------------------------------------------------------- */

#define KEY_MAX 128

/* Lower case without punctuation or spaces: "Air-Strike" -> "airstrike". False when too long. */
static bool squeeze(const char *s, char *key)
{
    size_t k = 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '-' || c == '_' || c == ' ' || c == '.' || c == '\'' || c == '/')
            continue;
        if (k + 1 == KEY_MAX)
            return false;
        key[k++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
    }
    key[k] = '\0';
    return true;
}

/* The singular of an English plural key, in place: attacks -> attack, casualties -> casualty. */
static void singular(char *key)
{
    size_t n = strlen(key);
    if (n > 4 && strcmp(key + n - 3, "ies") == 0)
        strcpy(key + n - 3, "y");
    else if (n > 4 && (strcmp(key + n - 4, "ches") == 0 || strcmp(key + n - 4, "shes") == 0 ||
                       strcmp(key + n - 3, "xes") == 0 || strcmp(key + n - 4, "sses") == 0))
        key[n - 2] = '\0';
    else if (n > 3 && key[n - 1] == 's' && key[n - 2] != 's')
        key[n - 1] = '\0';
}

/* Length of the first word of s (up to '-', '_' or ' '). */
static size_t word_len(const char *s)
{
    return strcspn(s, "-_ ");
}

/* b is a plus one more word after it: "punic" / "punic-wars". */
static bool one_word_more(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (strncmp(a, b, n) != 0 || !strchr("-_ ", b[n]) || b[n] == '\0')
        return false;
    const char *rest = b + n + 1;
    return *rest && rest[word_len(rest)] == '\0';
}

bool vocab_near(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return false;
    char ka[KEY_MAX], kb[KEY_MAX];
    if (!squeeze(a, ka) || !squeeze(b, kb))
        return false;
    if (strcmp(ka, kb) == 0)
        return true;                      /* case, punctuation: air-strike / airstrike */
    if (one_word_more(a, b) || one_word_more(b, a))
        return true;                      /* punic / punic-wars */
    size_t la = strlen(ka), lb = strlen(kb), shorter = la < lb ? la : lb;
    char sa[KEY_MAX], sb[KEY_MAX];
    memcpy(sa, ka, la + 1);
    memcpy(sb, kb, lb + 1);
    singular(sa);
    singular(sb);
    if (strcmp(sa, sb) == 0)
        return true;                      /* a plural: attack / attacks */
    /*
     * A small edit, where names are long enough that one letter is a typo
     * (not iraq / iran), and not in the ending of two words of one length,
     * which is another word (detainer / detainee, attacker / attacked).
     */
    size_t at = 0;
    while (ka[at] && ka[at] == kb[at])
        at++;
    if (la == lb && at + 2 >= la)
        return false;
    size_t d = edit_distance(ka, kb, 2);
    return (shorter >= 5 && d <= 1) || (shorter >= 9 && d <= 2);
}
