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
 * record appended to a dataset checks clean until edited; what is left to
 * fill says "TODO:" (grep -rn TODO: data finds it). Every key the kind
 * takes is listed, the optional ones commented out with a placeholder in
 * upper case (ACTOR-ID) that is not a valid id: uncommented and left
 * unfilled, it is an error. YYYY-MM-DD becomes today's (local) date.
 */
static const struct {
    const char *kind, *section, *body;
} templates[] = {
    {"event", "events",
     "  - id: new-event                   # a-z 0-9 . _ -, unique among events\n"
     "    date: YYYY-MM-DD                # EDTF: 2021, 2021-01, 2014-22 (summer), 2019?, 2014/2019\n"
     "    title: \"TODO: what happened, in one line\"\n"
     "    # summary: >-\n"
     "    #   What happened, in a few sentences.\n"
     "    # type: attack\n"
     "    # actors:\n"
     "    #   - {id: ACTOR-ID, role: perpetrator}\n"
     "    # places: [PLACE-ID]\n"
     "    # tags: [TAG]\n"
     "    # sources:                      # without one, a warning\n"
     "    #   - {id: SOURCE-ID, quote: \"The words that support this.\", locator: p. 1}\n"
     "    # figures:\n"
     "    #   - {name: deaths, value: 0, low: 0, high: 0, unit: people}\n"
     "    # part_of: EVENT-ID\n"
     "    # notes: Why the date is what it is.\n"},
    {"actor", "actors",
     "  - id: new-actor                   # a-z 0-9 . _ -, unique among actors\n"
     "    name: \"TODO: name\"\n"
     "    # kind: person                  # person, state, organization, armed-group, coalition, other\n"
     "    # aliases: [Another name]\n"
     "    # part_of: ACTOR-ID             # or a list: [ACTOR-ID, ACTOR-ID]\n"
     "    # description: Who they are.\n"},
    {"place", "places",
     "  - id: new-place                   # a-z 0-9 . _ -, unique among places\n"
     "    name: \"TODO: name\"\n"
     "    # kind: city                    # region, country, admin, city, site, other\n"
     "    # within: PLACE-ID              # or a list: [PLACE-ID, PLACE-ID]\n"
     "    # coords: [0.0, 0.0]            # [lat, lon] in decimal degrees\n"
     "    # aliases: [Another name]\n"},
    {"source", "sources",
     "  - id: new-source                  # a-z 0-9 . _ -, unique among sources\n"
     "    title: \"TODO: title\"\n"
     "    # publisher: Publisher\n"
     "    # author: Author\n"
     "    # published: 2021-06\n"
     "    accessed: YYYY-MM-DD\n"
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
    if (cli_parse(&cmd_new, argc, argv, on_option, NULL, &args, &n, &code) != 0)
        return code;
    const char *kind = n ? args[0] : NULL;
    size_t k = 0;
    while (kind && k < NTEMPLATES && strcmp(templates[k].kind, kind) != 0)
        k++;
    free(args);
    if (!kind)
        return cli_usage_error(&cmd_new, "which kind? (event, actor, place or source)");
    if (k == NTEMPLATES) {
        const char *kinds[NTEMPLATES + 1] = {NULL};
        for (size_t i = 0; i < NTEMPLATES; i++)
            kinds[i] = templates[i].kind;
        return cli_unknown_value(&cmd_new, "kind", kind, kinds);
    }
    if (n > 1)
        return cli_usage_error(&cmd_new, "one kind at a time");
    char today[16];
    time_t now = time(NULL);
    struct tm tm;
    strftime(today, sizeof(today), "%Y-%m-%d", localtime_r(&now, &tm));   /* the user's day */
    /* A document of its own: appended to any file, it is valid YAML. */
    printf("---\n%s:\n", templates[k].section);
    /* Each YYYY-MM-DD of the template becomes today's date. */
    const char *p = templates[k].body, *at;
    while ((at = strstr(p, "YYYY-MM-DD")) != NULL) {
        fwrite(p, 1, (size_t)(at - p), stdout);
        fputs(today, stdout);
        p = at + strlen("YYYY-MM-DD");
    }
    fputs(p, stdout);
    return EXIT_OK;
}

const cli_command cmd_new = {
    "new", "print a ready-to-fill record: annals new event|actor|place|source >> file.yaml",
    "event|actor|place|source", options, run, NULL};
