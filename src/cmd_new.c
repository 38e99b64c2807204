/* cmd_new.c - `annals new KIND`: a ready-to-fill YAML record to paste or append to a file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "annals/cli.h"
#include "commands.h"

static const cli_option options[] = {{NULL, 0, NULL, NULL}};

/*
 * Each template is valid as it is (placeholders are valid values), so a
 * record appended under its section checks clean until edited; every key
 * the kind takes is listed, the optional ones commented out.
 */
static const struct {
    const char *kind, *section, *body;
} templates[] = {
    {"event", "events",
     "  - id: new-event                # a-z 0-9 . _ - ; unique among events\n"
     "    date: @TODAY@              # EDTF: 2021, 2021-01, 2014-22 (summer), 2019?, 2014/2019\n"
     "    title: New event              # one line\n"
     "    # summary: >-\n"
     "    #   What happened, in a few sentences.\n"
     "    # type: attack\n"
     "    # actors:\n"
     "    #   - {id: ACTOR-ID, role: perpetrator}\n"
     "    # places: [PLACE-ID]\n"
     "    # tags: [TAG]\n"
     "    # sources:\n"
     "    #   - {id: SOURCE-ID, quote: \"The words that support this.\", locator: p. 1}\n"
     "    # figures:\n"
     "    #   - {name: deaths, value: 0, low: 0, high: 0, unit: people}\n"
     "    # part_of: EVENT-ID\n"
     "    # notes: Why the date is what it is.\n"},
    {"actor", "actors",
     "  - id: new-actor\n"
     "    name: New actor\n"
     "    # kind: person               # person, state, organization, armed-group, coalition, other\n"
     "    # aliases: [Another name]\n"
     "    # part_of: ACTOR-ID\n"
     "    # description: Who they are.\n"},
    {"place", "places",
     "  - id: new-place\n"
     "    name: New place\n"
     "    # kind: city                 # region, country, admin, city, site, other\n"
     "    # within: PLACE-ID\n"
     "    # coords: [0.0, 0.0]         # [lat, lon]\n"
     "    # aliases: [Another name]\n"},
    {"source", "sources",
     "  - id: new-source\n"
     "    title: New source\n"
     "    # publisher: Publisher\n"
     "    # author: Author\n"
     "    # published: 2021-06\n"
     "    accessed: @TODAY@\n"
     "    # url: https://example.org/article\n"
     "    # notes: What it is and how far to trust it.\n"},
};
#define NTEMPLATES (sizeof(templates) / sizeof(templates[0]))

static int on_option(void *ctx, int opt, const char *value)
{
    (void)ctx, (void)opt, (void)value;
    return EXIT_OK;
}

static int run(int argc, char **argv)
{
    const char **args;
    size_t n;
    int code;
    if (cli_parse(&cmd_new, argc, argv, on_option, NULL, &args, &n, &code) != 0) {
        free(args);
        return code;
    }
    const char *kind = n ? args[0] : NULL;
    size_t k = 0;
    while (kind && k < NTEMPLATES && strcmp(templates[k].kind, kind) != 0)
        k++;
    free(args);
    if (!kind || k == NTEMPLATES || n > 1)
        return cli_usage_error(&cmd_new, "which kind? (event, actor, place or source)");
    char today[16];
    time_t now = time(NULL);
    struct tm tm;
    strftime(today, sizeof(today), "%Y-%m-%d", gmtime_r(&now, &tm));
    /* A document of its own: appended to any file, it is valid YAML. */
    printf("---\n%s:\n", templates[k].section);
    /* Each @TODAY@ of the template becomes today's date. */
    const char *p = templates[k].body, *at;
    while ((at = strstr(p, "@TODAY@")) != NULL) {
        fwrite(p, 1, (size_t)(at - p), stdout);
        fputs(today, stdout);
        p = at + strlen("@TODAY@");
    }
    fputs(p, stdout);
    return EXIT_OK;
}

const cli_command cmd_new = {
    "new", "print a ready-to-fill record: annals new event|actor|place|source >> file.yaml",
    "event|actor|place|source", options, run, NULL};
