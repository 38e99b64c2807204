/* targets.h - the fuzz targets' bodies, shared by the libFuzzer binaries and the regression test. */
#ifndef ANNALS_FUZZ_TARGETS_H
#define ANNALS_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

/* EDTF: parse (as a date and as an interval), then humanize and format the bounds. */
int fuzz_edtf(const uint8_t *data, size_t size);

/* A whole dataset in one input: written to one file, checked like `annals check`. */
int fuzz_dataset(const uint8_t *data, size_t size);

/*
 * Report filters: the input split on NUL bytes gives actor, region, from,
 * to, type, tag, text, role; the query runs over the fixture dataset
 * tests/data/report/main (found through ANNALS_FUZZ_DATA or the source
 * directory compiled in) and is rendered as text and JSON.
 */
int fuzz_query(const uint8_t *data, size_t size);

/* Free what the targets keep between inputs (databases, temp dirs). */
void fuzz_cleanup(void);

#endif
