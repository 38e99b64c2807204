/* cmd_date.c - `annals date TEXT...`: what a date means: its EDTF, words, bounds, precision and qualifiers. */
#include <stdlib.h>
#include <string.h>

#include "annals/cli.h"
#include "annals/diag.h"
#include "annals/edtf.h"
#include "annals/edtf_human.h"
#include "annals/render.h"
#include "commands.h"

static const cli_option options[] = {
    {"format", 'f', "FORMAT", "text (default) or json"},
    {NULL, 0, NULL, NULL}};

/* One text read as a date: the EDTF it is (as written, or read from a form people write). */
typedef struct {
    const char *text;
    char edtf[EDTF_HUMAN_MAX];
    bool converted;          /* text was not EDTF: edtf was read from it */
    edtf_date d;
} date_reading;

/*
 * Read text as EDTF, else as a form people write with one reading.
 * Returns 0, or -1 with *why the diagnostic `check` gives (free it).
 */
static int read_date(const char *text, date_reading *r, edtf_problem *why)
{
    memset(r, 0, sizeof *r);
    r->text = text;
    size_t len = strlen(text);
    if (edtf_parse(text, len, true, &r->d, NULL, 0, NULL) == 0) {
        snprintf(r->edtf, sizeof r->edtf, "%s", text);   /* the longest EDTF is 51 bytes */
        return 0;
    }
    edtf_human h;
    if (edtf_human_read(text, len, &h) == EDTF_HUMAN_ONE &&
        edtf_parse(h.edtf[0], strlen(h.edtf[0]), true, &r->d, NULL, 0, NULL) == 0) {
        memcpy(r->edtf, h.edtf[0], sizeof r->edtf);
        r->converted = true;
        return 0;
    }
    if (edtf_human_explain(text, len, true, why) != 0) {
        why->message = NULL;
        why->hint = NULL;
    }
    return -1;
}

/*
 * A bound in words and as ISO 8601: "1 January 44 BCE" and "-0043-01-01"
 * (with the time of day when with_time); an open end is "" and "..".
 */
static void bound_text(int64_t bound, bool with_time, char *words, char *iso, size_t size)
{
    edtf_format_iso(bound, with_time, iso, size);
    words[0] = '\0';
    edtf_date day;
    if (bound != EDTF_MIN && bound != EDTF_MAX &&
        edtf_parse(iso, strlen(iso), false, &day, NULL, 0, NULL) == 0)
        edtf_humanize(&day, words, size);
}

static const char *qualifier_words(unsigned q)
{
    if (q == (EDTF_UNCERTAIN | EDTF_APPROXIMATE))
        return "uncertain, approximate";
    if (q == EDTF_UNCERTAIN)
        return "uncertain";
    if (q == EDTF_APPROXIMATE)
        return "approximate";
    return "none";
}

/* "from" or "to" line of the text form. */
static void text_bound(const char *label, int64_t bound, bool with_time, bool unknown)
{
    char words[128], iso[64];
    bound_text(bound, with_time, words, iso, sizeof words);
    printf("  %-11s ", label);
    if (bound == EDTF_MIN || bound == EDTF_MAX)
        fputs("open (no limit)", stdout);
    else if (words[0])
        printf("%s (%s)", words, iso);
    else
        fputs(iso, stdout);
    if (unknown)
        fputs(", as the other end: this end is not known", stdout);
    putchar('\n');
}

static void print_text(const date_reading *r)
{
    char words[256];
    const edtf_date *d = &r->d;
    bool with_time = d->precision == EDTF_PREC_SECOND;
    edtf_humanize(d, words, sizeof words);
    render_plain(stdout, r->text);
    putchar('\n');
    printf("  %-11s %s%s\n", "edtf", r->edtf, r->converted ? "  (write this)" : "");
    printf("  %-11s %s\n", "in words", words);
    text_bound("from", d->lower, with_time, d->is_interval && d->start.kind == EDTF_END_UNKNOWN);
    text_bound("to", d->upper, with_time, d->is_interval && d->end.kind == EDTF_END_UNKNOWN);
    printf("  %-11s %s\n", "precision", edtf_precision_name(d->precision));
    printf("  %-11s %s\n", "qualifiers", qualifier_words(d->qualifiers));
}

/* A JSON bound: ISO text, or null for an open end. */
static void json_bound(const char *key, int64_t bound, bool with_time)
{
    char words[128], iso[64];
    bound_text(bound, with_time, words, iso, sizeof words);
    bool open = bound == EDTF_MIN || bound == EDTF_MAX;
    printf(", \"%s\": ", key);
    render_json_string(stdout, open ? NULL : iso);
    printf(", \"%s_words\": ", key);
    render_json_string(stdout, open || !words[0] ? NULL : words);
}

static void print_json(const date_reading *r, const edtf_problem *why, bool first)
{
    fputs(first ? "\n  {\"text\": " : ",\n  {\"text\": ", stdout);
    render_json_string(stdout, r->text);
    if (why) {
        fputs(", \"error\": ", stdout);
        render_json_string(stdout, why->message);
        fputs(", \"hint\": ", stdout);
        render_json_string(stdout, why->hint);
        fputs("}", stdout);
        return;
    }
    const edtf_date *d = &r->d;
    char words[256];
    edtf_humanize(d, words, sizeof words);
    bool with_time = d->precision == EDTF_PREC_SECOND;
    fputs(", \"edtf\": ", stdout);
    render_json_string(stdout, r->edtf);
    printf(", \"converted\": %s, \"words\": ", r->converted ? "true" : "false");
    render_json_string(stdout, words);
    json_bound("lower", d->lower, with_time);
    json_bound("upper", d->upper, with_time);
    printf(", \"precision\": \"%s\", \"uncertain\": %s, \"approximate\": %s, "
           "\"interval\": %s}", edtf_precision_name(d->precision),
           d->qualifiers & EDTF_UNCERTAIN ? "true" : "false",
           d->qualifiers & EDTF_APPROXIMATE ? "true" : "false",
           d->is_interval ? "true" : "false");
}

/* A negative year ("-44-03-15") is a date to read, not an option. */
static bool is_negative_date(const char *arg)
{
    return arg[0] == '-' && arg[1] >= '0' && arg[1] <= '9';
}

static int run(int argc, char **argv)
{
    const cli_command *cmd = &cmd_date;
    bool json = false;
    const char **texts = calloc((size_t)argc + 1, sizeof *texts);
    size_t ntexts = 0;
    if (!texts) {
        fputs("annals date: out of memory\n", stderr);
        return EXIT_IO;
    }
    cli_parser p;
    cli_init(&p, argc, argv);
    for (;;) {
        if (p.i < p.argc && !p.only_positional && is_negative_date(p.argv[p.i])) {
            texts[ntexts++] = p.argv[p.i++];
            continue;
        }
        int k = cli_next(&p, cmd);
        if (k == CLI_END)
            break;
        if (k == CLI_ERROR || k == CLI_HELP) {
            free(texts);
            if (k == CLI_HELP)
                cli_print_help(cmd, stdout);
            return k == CLI_HELP ? EXIT_OK : EXIT_USAGE;
        }
        if (k == CLI_POSITIONAL) {
            texts[ntexts++] = p.value;
        } else if (strcmp(p.value, "json") == 0 || strcmp(p.value, "text") == 0) {
            json = strcmp(p.value, "json") == 0;
        } else {
            free(texts);
            return cli_unknown_value(cmd, "format", p.value, cli_diag_format_names);
        }
    }
    if (ntexts == 0) {
        free(texts);
        return cli_usage_error(cmd, "which date? (annals date TEXT...)");
    }
    diag_list *dl = diag_list_new();
    if (!dl) {
        free(texts);
        fputs("annals date: out of memory\n", stderr);
        return EXIT_IO;
    }
    int code = EXIT_OK;
    if (json)
        fputs("[", stdout);
    for (size_t i = 0; i < ntexts; i++) {
        date_reading r;
        edtf_problem why = {NULL, NULL, 0};
        if (read_date(texts[i], &r, &why) != 0) {
            code = EXIT_DATA;
            if (!why.message) {
                fputs("annals date: out of memory\n", stderr);
                code = EXIT_IO;
                break;
            }
            if (json)
                print_json(&r, &why, i == 0);
            else
                diag_add(dl, DIAG_ERROR, NULL, 0, 0, 0, why.hint, "%s", why.message);
            edtf_problem_free(&why);
            continue;
        }
        if (json)
            print_json(&r, NULL, i == 0);
        else
            print_text(&r);
    }
    if (json)
        fputs(ntexts ? "\n]\n" : "]\n", stdout);
    diag_print_text(dl, stderr, cli_color(stderr));
    if (diag_list_oom(dl) && code == EXIT_DATA)
        code = EXIT_IO;
    diag_list_free(dl);
    free(texts);
    return code;
}

static void more_help(FILE *out)
{
    fputs("\nEach TEXT is an EDTF date (2021-06-28, 2014-22, 201X, -0043, 2014/2019, 2019/..)\n"
          "or a date as people write it (44 BC, 15 March 44 BC, c. 390 BCE, AD 14, March 2019,\n"
          "June 28, 2021, summer 2014, 1990s, 3rd century BC, 2014-2019, 44-42 BC);\n"
          "for each, the EDTF to write, the date in words, its first and last day,\n"
          "its precision and its qualifiers. A text with two readings (05/06/2021,\n"
          "-44-03-15) is an error that gives both. Exit code 1 when a text is not a date.\n"
          "A negative year is a date, not an option: annals date -0043-03-15.\n", out);
}

const cli_command cmd_date = {
    "date", "read dates (EDTF, or as people write them: 44 BC, March 2019) and say what they mean",
    "[--format FORMAT] TEXT...", options, run, more_help};
