/* targets.h - the fuzz targets' bodies, shared by the libFuzzer binaries and the regression test.
 *
 * Each returns 0; a broken invariant aborts (with a message on stderr), as
 * a crash would, so that libFuzzer keeps the input and the test fails.
 */
#ifndef ANNALS_FUZZ_TARGETS_H
#define ANNALS_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

/*
 * EDTF: the bytes parsed as a date and as an interval; on success the
 * bounds are ordered, the words and the ISO bounds are written (and
 * truncated), and the ISO text of each bound reads back as that bound.
 */
int fuzz_edtf(const uint8_t *data, size_t size);

/*
 * A whole dataset: the input is written to a file in a private directory
 * (on /dev/shm when there is one) and checked like `annals check`
 * (load_collect_files + load_dataset, commit false). An input with the line
 * "#annals-fuzz-next-file" is split there into two files A and B (a second
 * such line starts a third part C): then {A, C} and {A, B} are loaded one
 * after the other into a kept database, and the second, incremental load
 * must report the same numbers of errors and warnings as the check of
 * {A, B}, hold the same records, and leave a sound full-text index.
 */
int fuzz_dataset(const uint8_t *data, size_t size);

/*
 * Report filters: the input split on NUL bytes gives actor, region, from,
 * to, type, tag, text, role, source; the query runs over the fixture
 * dataset tests/data/report/main (or $ANNALS_FUZZ_DATA), loaded once, and
 * is rendered in every format. A filter may be refused; the database and
 * the renderers must not fail.
 */
int fuzz_query(const uint8_t *data, size_t size);

/*
 * The language server's reader: the input after its first byte is a byte
 * stream fed to the framer in chunks (of 1 to 64 bytes, chosen by the first
 * byte); every body is parsed as a JSON-RPC message, and read as an
 * editor's buffer: the cursor context and positions at several offsets.
 */
int fuzz_lsp(const uint8_t *data, size_t size);

/*
 * What the last input came to, in a line of text, for the regression test
 * to compare with what is expected of it:
 *   edtf     "date: WORDS | interval: WORDS", each reading's words, or
 *            "error: MESSAGE" when it is refused;
 *   dataset  "E errors, W warnings; A/P/S/E records; first: FILE:LINE:COL: MESSAGE"
 *            of the check (of {A, B} when split): its first error (else its
 *            first warning), FILE without its folder;
 *   query    "refused: MESSAGE", or "N events";
 *   lsp      "F bodies (M messages, I invalid), E framing errors".
 */
const char *fuzz_outcome(void);

/* Free what the targets keep between inputs (databases, the directory). */
void fuzz_cleanup(void);

#endif
