/* targets.c - the fuzz targets' bodies, shared by the libFuzzer binaries and the regression test.
 *
 * Each body aborts when an invariant the modules promise is broken, so a
 * wrong answer is a finding just like a crash: bounds out of order, a date
 * whose ISO text does not read back, a database failure on valid input, a
 * reload that reports something else than a full check.
 */
#include "targets.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "annals/db.h"
#include "annals/diag.h"
#include "annals/edtf.h"
#include "annals/load.h"
#include "annals/lsp_proto.h"
#include "annals/lsp_text.h"
#include "annals/query.h"
#include "annals/render.h"

#ifndef ANNALS_SOURCE_DIR
#define ANNALS_SOURCE_DIR "."
#endif

/* Abort with a message: libFuzzer (or the test) reports the input. */
#define CHECK(cond, ...)                                              \
    do {                                                              \
        if (!(cond)) {                                                \
            fprintf(stderr, "fuzz invariant broken: %s: ", #cond);    \
            fprintf(stderr, __VA_ARGS__);                             \
            fputc('\n', stderr);                                      \
            abort();                                                  \
        }                                                             \
    } while (0)

/* What the last input came to (see fuzz_outcome). */
static char last_outcome[1024];

static void outcome_printf(bool append, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void outcome_printf(bool append, const char *fmt, ...)
{
    size_t used = append ? strlen(last_outcome) : 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_outcome + used, sizeof(last_outcome) - used, fmt, ap);
    va_end(ap);
}

const char *fuzz_outcome(void)
{
    return last_outcome;
}

/* ---- EDTF ----------------------------------------------------------------- */

/* ISO text of a bound reads back as a date whose lower bound is that bound. */
static void check_iso_round_trip(int64_t bound, bool with_time)
{
    char iso[96];
    int n = edtf_format_iso(bound, with_time, iso, sizeof(iso));
    CHECK(n >= 0 && (size_t)n < sizeof(iso) && (size_t)n == strlen(iso), "length %d", n);
    if (bound == EDTF_MIN || bound == EDTF_MAX) {
        CHECK(strcmp(iso, "..") == 0, "open bound written '%s'", iso);
        return;
    }
    /* EDTF writes years beyond four digits as Y...; only four-digit years read back. */
    const char *y = iso[0] == '-' ? iso + 1 : iso;
    if (iso[0] == '+' || strspn(y, "0123456789") != 4)
        return;
    edtf_date back;
    char err[128];
    CHECK(edtf_parse(iso, (size_t)n, false, &back, err, sizeof(err), NULL) == 0,
          "'%s' does not read back: %s", iso, err);
    int64_t day_start = (bound / 86400 - (bound % 86400 < 0)) * 86400;
    int64_t expect = with_time ? bound : day_start;
    CHECK(back.lower == expect, "'%s' reads back as %lld, not %lld", iso,
          (long long)back.lower, (long long)expect);
}

int fuzz_edtf(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    edtf_date as_date;
    bool date_ok = false;
    last_outcome[0] = '\0';
    for (int interval = 0; interval < 2; interval++) {
        edtf_date d;
        char err[128], buf[256], small[8];
        size_t off = 0;
        if (edtf_parse(text, size, interval, &d, err, sizeof(err), &off) != 0) {
            outcome_printf(true, "%s: error: %s", interval ? " | interval" : "date", err);
            CHECK(off <= size, "error offset %zu beyond %zu bytes", off, size);
            CHECK(err[0] != '\0', "an error without a message");
            /* A date is an interval's degenerate case: both read it. */
            CHECK(!(interval && date_ok), "a date fails as an interval: %s", err);
            continue;
        }
        CHECK(d.lower <= d.upper, "bounds %lld > %lld", (long long)d.lower, (long long)d.upper);
        CHECK(interval || !d.is_interval, "an interval read as a date");
        if (!d.is_interval)
            CHECK(d.start.lower <= d.start.upper, "side bounds out of order");
        if (!interval) {
            as_date = d;
            date_ok = true;
        } else if (date_ok) {
            CHECK(d.lower == as_date.lower && d.upper == as_date.upper,
                  "date and interval readings differ");
        }
        /* Words: snprintf semantics, truncation keeps a prefix. */
        int n = edtf_humanize(&d, buf, sizeof(buf));
        CHECK(n > 0 && (size_t)n < sizeof(buf) && (size_t)n == strlen(buf), "humanize %d", n);
        outcome_printf(true, "%s: %s", interval ? " | interval" : "date", buf);
        CHECK(edtf_humanize(&d, small, sizeof(small)) == n, "truncated length differs");
        CHECK(strncmp(small, buf, sizeof(small) - 1) == 0, "truncation is not a prefix");
        CHECK(edtf_humanize(&d, NULL, 0) == n, "measuring length differs");
        /* ISO bounds read back; the day arithmetic is its own inverse. */
        check_iso_round_trip(d.lower, true);
        check_iso_round_trip(d.upper, true);
        check_iso_round_trip(d.lower, false);
        if (d.lower != EDTF_MIN) {
            int64_t days = d.lower / 86400 - (d.lower % 86400 < 0), yy;
            int mm, dd;
            edtf_civil_from_days(days, &yy, &mm, &dd);
            CHECK(mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31, "civil %d-%d", mm, dd);
            CHECK(edtf_days_from_civil(yy, mm, dd) == days, "day %lld does not round-trip",
                  (long long)days);
        }
    }
    return 0;
}

/* ---- A dataset ------------------------------------------------------------ */

/*
 * The input is one file, or several split on this line. With two or
 * three parts A, B [, C] the loader's reload is checked against a full
 * check: load {A, C} (C empty when absent), then load {A, B}, which keeps
 * A's rows and re-reads B; its diagnostics and counts must be those of a
 * fresh check of {A, B}.
 */
#define FILE_MARKER "\n#annals-fuzz-next-file\n"

static sqlite3 *check_db, *load_db;
static char tmpdir[64];

/* The first occurrence of the marker in [p, end), or NULL. */
static const char *find_marker(const char *p, const char *end)
{
    size_t ml = strlen(FILE_MARKER);
    for (; (size_t)(end - p) >= ml; p++)
        if (*p == FILE_MARKER[0] && memcmp(p, FILE_MARKER, ml) == 0)
            return p;
    return NULL;
}
static void write_file(const char *name, const char *p, size_t n)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL, "cannot write %s: %s", path, strerror(errno));
    CHECK(fwrite(p, 1, n, f) == n && fclose(f) == 0, "cannot write %s", path);
}

static void remove_file(const char *name)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    unlink(path);
}

static void dataset_init(void)
{
    char *err = NULL;
    CHECK(db_open(NULL, DB_TEMP, &check_db, &err) == 0, "%s", err);
    CHECK(db_open(NULL, DB_TEMP, &load_db, &err) == 0, "%s", err);
    /* A RAM disk when there is one: every input is written to a file. */
    struct stat st;
    const char *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
                       access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(tmpdir, sizeof(tmpdir), "%s/annals-fuzz-XXXXXX", base);
    CHECK(mkdtemp(tmpdir) != NULL, "mkdtemp: %s", strerror(errno));
    atexit(fuzz_cleanup);   /* libFuzzer exits without a teardown */
}

typedef struct {
    size_t errors, warnings;
    load_stats stats;
} outcome;

/* Load (or check) the dataset in tmpdir; print its diagnostics nowhere. */
static outcome load_dir(sqlite3 *db, bool commit)
{
    const char *paths[] = {tmpdir};
    char **files = NULL, *err = NULL;
    size_t n = 0;
    diag_list *dl = diag_list_new();
    CHECK(dl != NULL, "out of memory");
    CHECK(load_collect_files(paths, 1, &files, &n, dl) == 0, "cannot list %s", tmpdir);
    outcome o = {0};
    load_options opts = {.commit = commit};
    if (load_dataset(db, files, n, &opts, dl, &o.stats, &err) != 0)
        /* a database failure is a bug; out of memory can be the input's size */
        CHECK(err && strstr(err, "out of memory"), "load failed: %s", err ? err : "?");
    free(err);
    load_free_files(files, n);
    o.errors = diag_count(dl, DIAG_ERROR);
    o.warnings = diag_count(dl, DIAG_WARNING);
    diag_sort(dl);
    if (!commit) {      /* the check's outcome */
        outcome_printf(false, "%zu errors, %zu warnings; %zu/%zu/%zu/%zu records", o.errors,
                       o.warnings, o.stats.actors, o.stats.places, o.stats.sources,
                       o.stats.events);
        size_t first = 0;     /* the first error, else the first diagnostic */
        while (first < diag_list_len(dl) && diag_at(dl, first).sev != DIAG_ERROR)
            first++;
        if (first == diag_list_len(dl))
            first = 0;
        if (diag_list_len(dl)) {
            diag_view v = diag_at(dl, first);
            const char *file = v.file ? strrchr(v.file, '/') : NULL;
            outcome_printf(true, "; first: %s:%d:%d: %s",
                           file ? file + 1 : v.file ? v.file : "-", v.line, v.col, v.message);
        }
    }
    FILE *null = fopen("/dev/null", "w");
    CHECK(null != NULL, "/dev/null");
    diag_print_text(dl, null, false);
    diag_print_json(dl, null);
    diag_print_summary(dl, null, n);
    fclose(null);
    diag_list_free(dl);
    return o;
}

/* The full-text index of a loaded database matches its events. */
static void check_fts(sqlite3 *db)
{
    char *err = NULL;
    int rc = db_exec(db, "INSERT INTO events_fts(events_fts) VALUES('integrity-check')", &err);
    CHECK(rc == 0, "full-text index: %s", err ? err : "?");
}

int fuzz_dataset(const uint8_t *data, size_t size)
{
    if (!check_db)
        dataset_init();
    const char *p = (const char *)data, *end = p + size;
    const char *part[3] = {p, NULL, NULL};
    size_t len[3] = {size, 0, 0}, nparts = 1, ml = strlen(FILE_MARKER);
    for (const char *q = p; nparts < 3 && (size_t)(end - q) >= ml;) {
        const char *m = find_marker(q, end);
        if (!m)
            break;
        len[nparts - 1] = (size_t)(m - part[nparts - 1]);
        part[nparts] = m + ml;
        len[nparts] = (size_t)(end - part[nparts]);
        nparts++;
        q = m + ml;
    }

    write_file("a.yaml", part[0], len[0]);
    if (nparts == 1) {
        remove_file("b.yaml");
        load_dir(check_db, false);
        return 0;
    }
    write_file("b.yaml", part[1], len[1]);
    outcome full = load_dir(check_db, false);

    /* The reload: from nothing to {A, C}, then to {A, B}. */
    char *err = NULL;
    diag_list *dl = diag_list_new();
    load_options opts = {.commit = true};
    load_stats st;
    CHECK(load_dataset(load_db, NULL, 0, &opts, dl, &st, &err) == 0, "emptying: %s", err);
    diag_list_free(dl);
    write_file("b.yaml", part[2] ? part[2] : "", len[2]);
    outcome first = load_dir(load_db, true);
    write_file("b.yaml", part[1], len[1]);
    outcome again = load_dir(load_db, true);
    CHECK(again.errors == full.errors && again.warnings == full.warnings,
          "a reload reports %zu errors, %zu warnings; a check %zu, %zu (the first load: %zu "
          "errors)", again.errors, again.warnings, full.errors, full.warnings, first.errors);
    if (full.errors == 0) {
        CHECK(again.stats.actors == full.stats.actors && again.stats.places == full.stats.places &&
              again.stats.sources == full.stats.sources && again.stats.events == full.stats.events,
              "a reload holds %zu/%zu/%zu/%zu records; a check %zu/%zu/%zu/%zu",
              again.stats.actors, again.stats.places, again.stats.sources, again.stats.events,
              full.stats.actors, full.stats.places, full.stats.sources, full.stats.events);
        check_fts(load_db);
    }
    return 0;
}

/* ---- Report filters ------------------------------------------------------- */

static sqlite3 *report_db;

static void open_report_db(void)
{
    char *err = NULL;
    CHECK(db_open(NULL, DB_TEMP, &report_db, &err) == 0, "%s", err);
    const char *dir = getenv("ANNALS_FUZZ_DATA");
    char path[1024];
    snprintf(path, sizeof(path), "%s", dir ? dir : ANNALS_SOURCE_DIR "/tests/data/report/main");
    const char *paths[] = {path};
    char **files;
    size_t n;
    diag_list *dl = diag_list_new();
    load_options opts = {.commit = true};
    load_stats st;
    CHECK(load_collect_files(paths, 1, &files, &n, dl) == 0, "cannot list %s", path);
    CHECK(load_dataset(report_db, files, n, &opts, dl, &st, &err) == 0 && st.events > 0 &&
              diag_count(dl, DIAG_ERROR) == 0,
          "cannot load %s: %s", path, err ? err : "errors in the data");
    load_free_files(files, n);
    diag_list_free(dl);
}

int fuzz_query(const uint8_t *data, size_t size)
{
    if (!report_db)
        open_report_db();
    /* Fields separated by NUL bytes; a missing or empty field is no filter. */
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    enum { NFIELDS = 9 };
    const char *field[NFIELDS] = {NULL};
    size_t k = 0;
    for (size_t i = 0, start = 0; i <= size && k < NFIELDS; i++) {
        if (i == size || copy[i] == '\0') {
            field[k++] = i > start ? copy + start : NULL;
            start = i + 1;
        }
    }
    query_filter f = {.actor = field[0], .region = field[1], .from = field[2],
                      .to = field[3], .type = field[4], .tag = field[5], .text = field[6],
                      .role = field[7], .source = field[8], .limit = (long)(size % 7)};
    query_cursor *c = NULL;
    char *err = NULL;
    int rc = query_open(report_db, &f, &c, &err);
    /* A filter may be wrong (QUERY_EFILTER); the database must never fail. */
    CHECK(rc == 0 || rc == QUERY_EFILTER, "query_open %d: %s", rc, err ? err : "?");
    CHECK(rc == 0 || (err && *err), "a refused filter without a message");
    if (rc != 0)
        outcome_printf(false, "refused: %s", err);
    if (rc == 0) {
        FILE *null = fopen("/dev/null", "w");
        CHECK(null != NULL, "/dev/null");
        render_options ro = {.out = null};
        /* Every format, on the same cursor, rewound in between. */
        for (const render_format *fmt = render_formats; fmt->name; fmt++) {
            CHECK(query_rewind(c, &err) == 0, "rewind: %s", err ? err : "?");
            CHECK(fmt->fn(c, &ro, &err) == 0, "render %s: %s", fmt->name, err ? err : "?");
        }
        int64_t lo, hi;
        long count;
        CHECK(query_extent(c, &lo, &hi, &count, &err) == 0, "extent: %s", err ? err : "?");
        CHECK(count == 0 || lo <= hi, "extent %lld > %lld", (long long)lo, (long long)hi);
        outcome_printf(false, "%ld events", count);
        fclose(null);
        query_close(c);
    }
    free(err);
    free(copy);
    return 0;
}

/* ---- The language server's reader ----------------------------------------- */

/* Positions: offset -> position -> offset is the offset's character start. */
static void check_positions(const char *t, size_t len, size_t off)
{
    for (int e = 0; e < 2; e++) {
        lsp_encoding enc = e ? LSP_ENC_UTF8 : LSP_ENC_UTF16;
        lsp_pos p = lsp_pos_of(t, len, off, enc);
        size_t back = lsp_offset_of(t, len, p, enc);
        CHECK(back <= off, "offset %zu -> %u:%u -> %zu", off, p.line, p.character, back);
        lsp_pos q = lsp_pos_of(t, len, back, enc);
        CHECK(q.line == p.line && q.character == p.character, "%u:%u -> %zu -> %u:%u", p.line,
              p.character, back, q.line, q.character);
    }
}

/* What fuzz_lsp counts of the frames the server's pump hands it. */
typedef struct {
    size_t n, taken;             /* stream bytes; body bytes so far */
    size_t bodies, messages, invalid, framing;
} lsp_counts;

/* An lsp_frame_fn: each body parsed as a message and read as an editor's buffer. */
static bool fuzz_frame(void *ctx, const char *body, size_t len, const char *why)
{
    lsp_counts *k = ctx;
    if (!body) {
        CHECK(why && *why, "an error without a reason");
        k->framing++;
        return true;
    }
    k->bodies++;
    k->taken += len;
    CHECK(k->taken <= k->n, "bodies of %zu bytes from %zu", k->taken, k->n);
    CHECK(body[len] == '\0', "body not terminated");
    lsp_message m;
    json_t *id = NULL;
    char err[200];
    int code = lsp_message_parse(body, len, &m, &id, err, sizeof(err));
    if (code == 0) {
        k->messages++;
        CHECK(id == NULL, "an id for a valid message");
        CHECK((m.kind == LSP_MSG_RESPONSE) == (m.method == NULL), "method and kind");
        lsp_message_clear(&m);
    } else {
        CHECK(code == LSP_PARSE_ERROR || code == LSP_INVALID_REQUEST, "code %d", code);
        k->invalid++;
        CHECK(err[0] != '\0', "an error without a reason");
        json_decref(id);
    }
    /* The body as an editor's buffer: the context and positions anywhere. */
    for (size_t at = 0; at <= len; at += len / 7 + 1) {
        lsp_context c;
        lsp_context_at(body, len, at, &c);
        CHECK(c.word_start <= c.word_end && c.word_end <= len, "word %zu-%zu of %zu",
              c.word_start, c.word_end, len);
        bool def;
        (void)lsp_context_id_kind(&c, &def);
        char keys[256];
        lsp_context_keys(body, len, &c, keys, sizeof(keys));
        check_positions(body, len, at);
    }
    return true;
}

int fuzz_lsp(const uint8_t *data, size_t size)
{
    /* The first byte picks the size of the chunks the stream arrives in. */
    size_t chunk = size ? (size_t)data[0] % 64 + 1 : 1;
    const char *stream = (const char *)data + (size ? 1 : 0);
    lsp_counts k = {.n = size ? size - 1 : 0};
    lsp_framer *f = lsp_framer_new();
    CHECK(f != NULL, "out of memory");
    for (size_t off = 0; off < k.n; off += chunk) {
        size_t len = k.n - off < chunk ? k.n - off : chunk;
        CHECK(lsp_framer_pump(f, stream + off, len, fuzz_frame, &k) == 0, "feed failed");
    }
    lsp_framer_free(f);
    outcome_printf(false, "%zu bodies (%zu messages, %zu invalid), %zu framing errors",
                   k.bodies, k.messages, k.invalid, k.framing);
    return 0;
}

void fuzz_cleanup(void)
{
    db_close(check_db);
    db_close(load_db);
    db_close(report_db);
    check_db = load_db = report_db = NULL;
    if (tmpdir[0]) {
        remove_file("a.yaml");
        remove_file("b.yaml");
        rmdir(tmpdir);
        tmpdir[0] = '\0';
    }
}
