/* gen.c - synthetic annals datasets in the spec's format, for benchmarks and load tests.
 *
 * usage: annals-gen EVENTS FILES OUTDIR [SEED]
 *
 * Writes OUTDIR/actors.yaml, places.yaml, sources.yaml and the events spread
 * over FILES files OUTDIR/events/eNNNN.yaml: realistic mixes of date forms
 * (days, months, years, seasons, intervals, open ends, qualifiers, BCE,
 * unspecified digits), 1 to 3 actors with roles, places, tags, sources with
 * quotes, figures. The output depends only on the arguments.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    /* xorshift64*: fast and good enough for test data. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1Du) >> 32) % n;
}

static const char *const words[] = {
    "attack", "market", "convoy", "meeting", "coalition", "border", "village",
    "statement", "ceasefire", "offensive", "pledge", "aid", "prison", "militia",
    "checkpoint", "election", "protest", "raid", "summit", "agreement", "river",
    "bridge", "airport", "Ménaka", "Mosul", "Raqqa", "Sinai", "Sahel"};
#define NWORDS (sizeof(words) / sizeof(words[0]))
static const char *const types[] = {"attack", "meeting", "statement", "death",
                                    "announcement", "pledge", "military-campaign"};
static const char *const roles[] = {"perpetrator", "target", "host", "speaker",
                                    "donor", "mediator"};

static void sentence(FILE *f, int n)
{
    for (int i = 0; i < n; i++)
        fprintf(f, "%s%s", i ? " " : "", words[rnd(NWORDS)]);
}

static int days_in(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* A date in one of the forms the spec offers, weighted towards the common ones. */
static void date(FILE *f)
{
    int y = 1990 + (int)rnd(35), m = 1 + (int)rnd(12), d = 1 + (int)rnd((uint32_t)days_in(y, m));
    uint32_t k = rnd(100);
    if (k < 40)
        fprintf(f, "%04d-%02d-%02d", y, m, d);
    else if (k < 60)
        fprintf(f, "%04d-%02d", y, m);
    else if (k < 70)
        fprintf(f, "%04d", y);
    else if (k < 75)
        fprintf(f, "%04d-%d", y, 21 + (int)rnd(4));
    else if (k < 83)
        fprintf(f, "%04d-%02d/%04d-%02d", y, m, y + 1 + (int)rnd(3), 1 + (int)rnd(12));
    else if (k < 86)
        fprintf(f, "%04d-%02d/..", y, m);
    else if (k < 88)
        fprintf(f, "../%04d", y);
    else if (k < 92)
        fprintf(f, "%04d%c", y, "?~%"[rnd(3)]);
    else if (k < 94)
        fprintf(f, "%03dX", y / 10);
    else if (k < 96)
        fprintf(f, "-%04d-%02d-%02d", 1 + (int)rnd(3000), m, d < 29 ? d : 28);
    else
        fprintf(f, "%04d-%02d-%02dT%02d:%02d:00Z", y, m, d, (int)rnd(24), (int)rnd(60));
}

static int mkdir_p(const char *path)
{
    return mkdir(path, 0777) == 0 || errno == EEXIST ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s EVENTS FILES OUTDIR [SEED]\n", argv[0]);
        return 2;
    }
    long nevents = atol(argv[1]), nfiles = atol(argv[2]);
    const char *out = argv[3];
    rng_state = argc > 4 ? strtoull(argv[4], NULL, 10) * 2654435761u + 1 : 88172645463325252u;
    if (nevents < 1 || nfiles < 1) {
        fprintf(stderr, "EVENTS and FILES must be positive\n");
        return 2;
    }
    long nactors = nevents / 50 + 10, nplaces = nevents / 100 + 10, nsources = nevents / 20 + 5;
    char path[4096];
    snprintf(path, sizeof(path), "%s/events", out);
    if (mkdir_p(out) || mkdir_p(path)) {
        perror(out);
        return 1;
    }

    snprintf(path, sizeof(path), "%s/actors.yaml", out);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return 1;
    }
    fputs("actors:\n", f);
    for (long i = 0; i < nactors; i++) {
        fprintf(f, "  - id: actor-%ld\n    name: Actor %ld ", i, i);
        sentence(f, 1);
        fprintf(f, "\n    kind: %s\n", i % 3 ? "armed-group" : "state");
        fprintf(f, "    aliases: [A%ld, \"Группа %ld\"]\n", i, i);
        if (i >= 10)
            fprintf(f, "    part_of: actor-%u\n", rnd((uint32_t)(i < 10 ? 1 : 10)));
    }
    fclose(f);

    snprintf(path, sizeof(path), "%s/places.yaml", out);
    if (!(f = fopen(path, "w"))) {
        perror(path);
        return 1;
    }
    fputs("places:\n", f);
    for (long i = 0; i < nplaces; i++) {
        fprintf(f, "  - id: place-%ld\n    name: Place %ld\n", i, i);
        if (i >= 10)
            fprintf(f, "    within: place-%u\n    coords: [%.4f, %.4f]\n", rnd(10),
                    -60.0 + rnd(120000) / 1000.0, -170.0 + rnd(340000) / 1000.0);
        else
            fputs("    kind: region\n", f);
    }
    fclose(f);

    snprintf(path, sizeof(path), "%s/sources.yaml", out);
    if (!(f = fopen(path, "w"))) {
        perror(path);
        return 1;
    }
    fputs("sources:\n", f);
    for (long i = 0; i < nsources; i++)
        fprintf(f, "  - id: source-%ld\n    title: Report %ld\n    publisher: Agency %ld\n"
                   "    published: 2021-06\n    url: https://example.org/report/%ld\n",
                i, i, i % 40, i);
    fclose(f);

    long per = (nevents + nfiles - 1) / nfiles, e = 0;
    for (long fi = 0; fi < nfiles && e < nevents; fi++) {
        snprintf(path, sizeof(path), "%s/events/e%04ld.yaml", out, fi);
        if (!(f = fopen(path, "w"))) {
            perror(path);
            return 1;
        }
        fputs("events:\n", f);
        for (long j = 0; j < per && e < nevents; j++, e++) {
            fprintf(f, "  - id: ev-%ld\n    date: ", e);
            date(f);
            fputs("\n    title: ", f);
            sentence(f, 4 + (int)rnd(5));
            fputs("\n    summary: >-\n      ", f);
            sentence(f, 12 + (int)rnd(20));
            fprintf(f, "\n    type: %s\n    actors:\n", types[rnd(7)]);
            int na = 1 + (int)rnd(3);
            for (int a = 0; a < na; a++)
                if (rnd(2))
                    fprintf(f, "      - {id: actor-%u, role: %s}\n",
                            (unsigned)(rnd((uint32_t)nactors / 3) * 3 + (unsigned)a),
                            roles[rnd(6)]);
                else
                    fprintf(f, "      - actor-%u\n",
                            (unsigned)(rnd((uint32_t)nactors / 3) * 3 + (unsigned)a));
            fprintf(f, "    places: [place-%u]\n", rnd((uint32_t)nplaces));
            fprintf(f, "    tags: [%s, t%u]\n", words[rnd(8)], rnd(50));
            fprintf(f, "    sources:\n      - id: source-%u\n        quote: \"", rnd((uint32_t)nsources));
            sentence(f, 8);
            fprintf(f, "\"\n        locator: p. %u\n", 1 + rnd(40));
            if (rnd(4) == 0)
                fprintf(f, "    figures:\n      - {name: deaths, value: %u, low: 0, high: 9999}\n",
                        rnd(200));
        }
        if (fclose(f) != 0) {
            perror(path);
            return 1;
        }
    }
    return 0;
}
