/* cmd_report.c - `annals report`: the events that match the filters, in chronological order, in a format. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "annals/cli.h"
#include "annals/db.h"
#include "annals/query.h"
#include "annals/render.h"
#include "annals/util.h"
#include "commands.h"

static const cli_option options[] = {
    CLI_OPTION_DB,
    {"actor", 'a', "ACTOR", "events of this actor (id, name or alias) or of any actor part of it"},
    {"role", 0, "ROLE", "only events where an actor (the --actor one, if given) has this role"},
    {"region", 'r', "PLACE", "events in this place (id, name or alias) or any place within it"},
    {"from", 0, "DATE", "events that overlap the time from this EDTF date on"},
    {"to", 0, "DATE", "events that overlap the time up to this EDTF date"},
    {"type", 't', "TYPE", "events of this type"},
    {"tag", 0, "TAG", "events with this tag"},
    {"text", 's', "WORDS", "events whose title, summary, notes, source quotes or actors' "
                           "descriptions have every one of these words"},
    {"source", 0, "SOURCE", "events that cite this source id"},
    {"limit", 'n', "N", "at most N events (the first in chronological order)"},
    {"format", 'f', "FORMAT",
     "text (default), markdown, html, json, csv, timelinejs or geojson"},
    {"output", 'o', "FILE", "write to FILE (replaced only when the report is complete)"},
    {"title", 0, "TEXT", "the report's title (markdown, html; default: Timeline)"},
    {"lanes", 0, "BY", "html: one lane per 'actor' (default) or 'region'"},
    {NULL, 0, NULL, NULL}};

enum { O_DB, O_ACTOR, O_ROLE, O_REGION, O_FROM, O_TO, O_TYPE, O_TAG, O_TEXT, O_SOURCE,
       O_LIMIT, O_FORMAT, O_OUTPUT, O_TITLE, O_LANES };

/* Parse a positive count for --limit. */
static int parse_limit(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v <= 0)
        return -1;
    *out = v;
    return 0;
}

/*
 * Where the report goes: stdout, or a temporary file next to path that
 * replaces path only once the whole report is written, so a failure never
 * leaves half a report (nor destroys the previous one). A path that is not
 * a regular file (a device such as /dev/stdout, a FIFO, a symbolic link)
 * is written in place: renaming over it would replace the device or link.
 */
typedef struct {
    FILE *f;
    const char *path;
    char *tmp;       /* NULL when writing in place */
} output;

static int output_open(output *o, const char *path)
{
    o->path = path;
    o->tmp = NULL;
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        o->path = NULL;
        return 0;
    }
    struct stat st;
    bool exists = lstat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode)) {
        o->f = fopen(path, "w");
        return o->f ? 0 : -1;
    }
    o->tmp = str_printf("%s.tmp-XXXXXX", path);
    if (!o->tmp)
        return -1;
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 07777;      /* keep the mode of the file replaced */
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    fchmod(fd, mode);
    o->f = fdopen(fd, "w");
    if (!o->f) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
        errno = e;
        return -1;
    }
    return 0;
}

/* Finish the output: keep it (ok) or throw it away. Returns -1 with errno on failure. */
static int output_close(output *o, bool ok)
{
    if (o->f == stdout)
        return 0;       /* main checks and closes stdout */
    int rc = 0;
    errno = 0;
    if (fflush(o->f) != 0 || ferror(o->f))
        rc = -1;
    int e = errno ? errno : EIO;
    if (fclose(o->f) != 0 && rc == 0) {
        rc = -1;
        e = errno;
    }
    o->f = NULL;
    if (!o->tmp) {
        errno = e;
        return rc;
    }
    if (ok && rc == 0 && rename(o->tmp, o->path) != 0) {
        rc = -1;
        e = errno;
    }
    if (!ok || rc != 0)
        unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    errno = e;
    return rc;
}

typedef struct {
    query_filter f;
    render_options ro;
    const char *db, *out;
    const render_format *fmt;
} settings;

static int on_option(void *ctx, int opt, const char *value)
{
    settings *s = ctx;
    const cli_command *cmd = &cmd_report;
    switch (opt) {
    case O_DB: s->db = value; break;
    case O_ACTOR: s->f.actor = value; break;
    case O_ROLE: s->f.role = value; break;
    case O_REGION: s->f.region = value; break;
    case O_FROM: s->f.from = value; break;
    case O_TO: s->f.to = value; break;
    case O_TYPE: s->f.type = value; break;
    case O_TAG: s->f.tag = value; break;
    case O_TEXT: s->f.text = value; break;
    case O_SOURCE: s->f.source = value; break;
    case O_OUTPUT: s->out = value; break;
    case O_TITLE: s->ro.title = value; break;
    case O_LIMIT:
        if (parse_limit(value, &s->f.limit) != 0)
            return cli_usage_error(cmd, "--limit needs a positive whole number, not '%s'", value);
        break;
    case O_FORMAT:
        if (!(s->fmt = render_find(value))) {
            const char *names[16] = {NULL};
            for (size_t i = 0; i + 1 < 16 && render_formats[i].name; i++)
                names[i] = render_formats[i].name;
            return cli_unknown_value(cmd, "format", value, names);
        }
        break;
    case O_LANES: {
        static const char *const lanes[] = {"actor", "region", NULL};
        if (strcmp(value, lanes[0]) != 0 && strcmp(value, lanes[1]) != 0)
            return cli_unknown_value(cmd, "lanes", value, lanes);
        s->ro.lanes = value;
        break;
    }
    }
    return EXIT_OK;
}

static void more_help(FILE *out)
{
    fputs("\nformats:\n", out);
    for (const render_format *rf = render_formats; rf->name; rf++)
        fprintf(out, "  %-12s %s\n", rf->name, rf->summary);
}

static int run(int argc, char **argv)
{
    const cli_command *cmd = &cmd_report;
    settings s = {.ro = {.out = stdout}, .fmt = render_find("text")};
    sqlite3 *db;
    int code;
    if (cli_parse_open(cmd, argc, argv, on_option, &s, &s.db, &db, &code) != 0)
        return code;

    char *err = NULL;
    query_cursor *cur;
    int rc = query_open(db, &s.f, &cur, &err);
    if (rc != 0) {
        fprintf(stderr, "annals report: %s\n", err);
        free(err);
        db_close(db);
        return rc == QUERY_EFILTER ? EXIT_USAGE : EXIT_IO;
    }
    output o;
    if (output_open(&o, s.out) != 0) {
        fprintf(stderr, "annals report: cannot write '%s': %s\n", s.out, strerror(errno));
        query_close(cur);
        db_close(db);
        return EXIT_IO;
    }
    s.ro.out = o.f;
    s.ro.color = o.f == stdout && cli_color(stdout) && strcmp(s.fmt->name, "text") == 0;
    size_t left_out = 0;
    s.ro.left_out = &left_out;
    rc = s.fmt->fn(cur, &s.ro, &err);
    if (rc == 0 && left_out > 0)     /* a map has nowhere to put them: say so */
        fprintf(stderr, "annals report: %zu matching event%s left out of the GeoJSON: "
                "%s no place with coords\n", left_out,
                left_out == 1 ? "" : "s", left_out == 1 ? "it has" : "they have");
    if (rc != 0) {
        fprintf(stderr, "annals report: %s\n", err ? err : "the report failed");
        free(err);
        code = EXIT_IO;
    }
    if (output_close(&o, rc == 0) != 0) {
        fprintf(stderr, "annals report: cannot write '%s': %s\n", s.out, strerror(errno));
        code = EXIT_IO;
    }
    query_close(cur);
    db_close(db);
    return code;
}

const cli_command cmd_report = {
    "report", "write the events that match the filters, in chronological order",
    "[--db FILE | PATH...] [filters] [--format FORMAT] [-o FILE]", options, run, more_help};
