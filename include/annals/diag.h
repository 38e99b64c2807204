/* diag.h - diagnostics as data: collect, sort by file and line, print. */
#ifndef ANNALS_DIAG_H
#define ANNALS_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum { DIAG_ERROR = 0, DIAG_WARNING, DIAG_NOTE } diag_severity;

typedef struct diag_list diag_list;

/* A new, empty list. Returns NULL when out of memory. Free with diag_list_free. */
diag_list *diag_list_new(void);
void diag_list_free(diag_list *dl);   /* NULL is a no-op */

/*
 * Add a diagnostic. file may be NULL (a problem with no file, line 0).
 * line and col are 1-based (0 = unknown); span is the number of characters
 * to underline (0 or 1 = a single caret). hint says how to fix it (may be
 * NULL). The message is printf-formatted: lower case, no full stop.
 * Returns -1 so that `return diag_add(...)` reads as an error return.
 * Out of memory is remembered and reported by diag_list_oom().
 */
int diag_add(diag_list *dl, diag_severity sev, const char *file, int line,
             int col, int span, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

/* Attach a note ("first defined here") to the diagnostic added last. */
void diag_note(diag_list *dl, const char *file, int line, int col,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* What a diagnostic is about, for tools that act on it (an editor's quick fixes). */
typedef enum {
    DIAG_ABOUT_OTHER = 0,       /* nothing said */
    DIAG_ABOUT_UNKNOWN_ID,      /* a reference to an id no record has */
    DIAG_ABOUT_DUPLICATE_ID     /* a record whose id an earlier record has */
} diag_about;

/*
 * Say, of the diagnostic added last, what it is about: the kind of record
 * (its noun, "actor") and the id, for UNKNOWN_ID and DUPLICATE_ID (else
 * NULL); and fix, the text that would replace its span (a "did you mean",
 * or NULL). Out of memory is remembered as diag_add's is.
 */
void diag_detail(diag_list *dl, diag_about about, const char *kind, const char *id,
                 const char *fix);

/* Move every diagnostic of src to the end of dst; src keeps empty entries (free it). */
void diag_list_move(diag_list *dst, diag_list *src);

/* Turn every warning into an error (--strict). */
void diag_promote_warnings(diag_list *dl);

size_t diag_count(const diag_list *dl, diag_severity sev);
bool diag_list_oom(const diag_list *dl);

/* Sort by file (byte order), line, column, then order of addition. */
void diag_sort(diag_list *dl);

/* A read-only view of one diagnostic; the strings live as long as the list. */
typedef struct {
    diag_severity sev;
    const char *file;        /* NULL for a problem with no file */
    int line, col, span;     /* as given to diag_add */
    const char *message;
    const char *hint;        /* NULL when none */
    size_t nnotes;
    diag_about about;        /* diag_detail's, or DIAG_ABOUT_OTHER and NULLs */
    const char *kind, *id, *fix;
} diag_view;

/* How many diagnostics the list holds (in its current order). */
size_t diag_list_len(const diag_list *dl);
/* The i-th diagnostic (i < diag_list_len). */
diag_view diag_at(const diag_list *dl, size_t i);
/* The j-th note of the i-th diagnostic (severity DIAG_NOTE, span 0, no hint). */
diag_view diag_note_at(const diag_list *dl, size_t i, size_t j);

/*
 * Print every diagnostic as `file:line:col: severity: message`, followed by
 * the source line with a caret under the column and the hint, then notes.
 * Source lines are read from the files on demand. color adds ANSI colour.
 */
void diag_print_text(const diag_list *dl, FILE *out, bool color);

/* Print one JSON array of {file,line,column,severity,message,hint,notes}. */
void diag_print_json(const diag_list *dl, FILE *out);

/*
 * Print "3 errors, 1 warning in 12 files" when every file read has a problem,
 * "1 warning in 1 of 12 files" when fewer do, or "no problems in 12 files".
 */
void diag_print_summary(const diag_list *dl, FILE *out, size_t nfiles);

#endif
