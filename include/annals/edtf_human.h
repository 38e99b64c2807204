/* edtf_human.h - dates as people write them ("44 BC", "c. 390 BCE", "March 2019") read into the EDTF to write. */
#ifndef ANNALS_EDTF_HUMAN_H
#define ANNALS_EDTF_HUMAN_H

#include <stdbool.h>
#include <stddef.h>

/* The longest EDTF text a reading can be, with its NUL. */
#define EDTF_HUMAN_MAX 64

/* What a text written as people write dates reads as. */
typedef enum {
    EDTF_HUMAN_NONE = 0,      /* not a form this module reads */
    EDTF_HUMAN_ONE,           /* one reading: edtf[0] */
    EDTF_HUMAN_DAY_MONTH,     /* "05/06/2021": edtf[0] day first, edtf[1] month first */
    EDTF_HUMAN_CENTURY,       /* "1900s": edtf[0] the century 19XX, edtf[1] the decade 190X */
    EDTF_HUMAN_SHORT_YEAR     /* "-44-03-15": edtf[0] -0043-03-15 (44 BCE as people count),
                                 edtf[1] -0044-03-15 (45 BCE, as EDTF counts -44) */
} edtf_human_kind;

typedef struct {
    edtf_human_kind kind;
    char edtf[2][EDTF_HUMAN_MAX];   /* the readings; edtf[1] only for the ambiguous kinds */
    bool bce;                       /* a reading names a year before 1 CE */
} edtf_human;

/*
 * Read len bytes of text as a date people write: "44 BC", "15 March 44 BC",
 * "c. 390 BCE", "AD 14", "March 2019", "June 28, 2021", "28/06/2021",
 * "summer 2014", "1990s", "3rd century BC", "2014-2019", "2014–2019",
 * "44–42 BC", "since 2019", "-44-03-15" ... docs/dates.md lists every form.
 * Returns out->kind; a reading is EDTF in form but not checked (a day may
 * not exist: run edtf_parse on it). Never fails otherwise; text need not be
 * NUL-terminated.
 */
edtf_human_kind edtf_human_read(const char *text, size_t len, edtf_human *out);

/* A date that edtf_parse rejects, explained as `annals check` reports it. */
typedef struct {
    char *message;    /* "invalid date '44 BC': not written in EDTF" */
    char *hint;       /* "write -0043 (44 BCE; ...)", or the date forms */
    size_t offset;    /* byte of text the problem lies at */
} edtf_problem;

/*
 * Explain why len bytes of text are not a date (allow_interval as for
 * edtf_parse): the reason edtf_parse gives, or for a form people write the
 * EDTF to write, with both readings when it is ambiguous. Returns 0 with
 * *out filled (free it with edtf_problem_free), 1 when text is a valid date
 * (nothing to explain; *out is empty), or -1 when out of memory (*out is
 * empty).
 */
int edtf_human_explain(const char *text, size_t len, bool allow_interval, edtf_problem *out);

/* Free what edtf_human_explain filled in; the fields become NULL. NULL is a no-op. */
void edtf_problem_free(edtf_problem *p);

/* The hint for a date annals cannot read as any form: the EDTF forms, briefly. */
extern const char edtf_human_forms_hint[];

#endif
