/* util.h - small shared helpers: strings, files, JSON escaping, text folding, edit distance. */
#ifndef ANNALS_UTIL_H
#define ANNALS_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* printf into a new string; NULL when out of memory. The caller frees. */
char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *str_vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/*
 * Read a whole file into a new NUL-terminated buffer (the caller frees);
 * *len gets its size. Returns NULL with errno set when it cannot be read,
 * or with errno = EFBIG when it is larger than max bytes.
 */
char *file_read_all(const char *path, size_t *len, size_t max);

/*
 * Write s as a JSON string literal (quotes included), escaping as RFC 8259
 * asks. The output is valid UTF-8 whatever s holds: a byte that starts no
 * valid UTF-8 character (a Latin-1 file name, a hand-edited database) is
 * written as \ufffd, the replacement character, one per byte.
 */
void json_write_string(FILE *out, const char *s, size_t len);

/*
 * Fold text for case- and accent-insensitive matching: lower case and
 * strip the diacritics of Latin, Greek and Cyrillic letters; other
 * characters are kept as they are. Returns a new string (the caller frees)
 * or NULL when out of memory.
 */
char *text_fold(const char *s, size_t len);

/* Lower case only (marks kept): the case-insensitive identity of a name. */
char *text_lower(const char *s, size_t len);

/*
 * Decode one UTF-8 character at s (n bytes left) into *cp; returns its
 * length, or 0 for a byte that starts no valid character (also overlong
 * forms, surrogates and code points past U+10FFFF).
 */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/*
 * Edit distance (with transpositions) between two strings in bytes, capped
 * at cap+1. What is close to a typo is names.h's to say.
 */
size_t edit_distance(const char *a, const char *b, size_t cap);

/*
 * Room for one more element in a growing array: when n == *cap, *v (an
 * array of elements of size bytes, or NULL) is reallocated to twice the
 * capacity (first at least) and *cap updated. Returns 0, or -1 when out of
 * memory, leaving *v and *cap as they were. v is a pointer to the array
 * pointer: `if (array_grow(&list, &cap, n, sizeof(*list), 16) != 0)`.
 */
int array_grow(void *v, size_t *cap, size_t n, size_t size, size_t first);

/*
 * Strings numbered in the order they are added (0, 1, 2 ...), found again
 * in constant time: an open-addressing hash table over copies of the keys.
 * Zero-initialise it; free with str_index_free.
 */
typedef struct {
    char **keys;      /* by number; owned */
    size_t n, cap;
    size_t *slots;    /* number + 1, 0 empty */
    size_t nslots;
} str_index;

/* The number of key: when absent, add it (with add) or return SIZE_MAX. SIZE_MAX when out of memory. */
size_t str_index_get(str_index *m, const char *key, bool add);
void str_index_free(str_index *m);

#endif
