/* util.h - small shared helpers: strings and buffers, a hash and a string map, files, JSON escaping, text folding, edit distance. */
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

/* ---- A growing array ---------------------------------------------------------- */

/*
 * Room for one more element in a growing array: when n == *cap, *v (an
 * array of elements of size bytes, or NULL) is reallocated to twice the
 * capacity (first at least) and *cap updated. Returns 0, or -1 when out of
 * memory, leaving *v and *cap as they were. v is a pointer to the array
 * pointer: `if (array_grow(&list, &cap, n, sizeof(*list), 16) != 0)`.
 */
int array_grow(void *v, size_t *cap, size_t n, size_t size, size_t first);

/* ---- A growable string ------------------------------------------------------- */

/*
 * Text built piece by piece. Start from STRBUF_INIT (or all zero); after an
 * add, s is NUL-terminated. When memory runs out, oom is set and every later
 * add does nothing: check oom once at the end. strbuf_free releases s.
 */
typedef struct {
    char *s;        /* NULL until something is added */
    size_t n;       /* length, without the NUL */
    size_t cap;
    bool oom;
} strbuf;

#define STRBUF_INIT {NULL, 0, 0, false}

void strbuf_addn(strbuf *b, const char *s, size_t n);
void strbuf_add(strbuf *b, const char *s);
void strbuf_addf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text so far: "" when nothing was added. Valid until the next add. */
const char *strbuf_str(const strbuf *b);
/* Empty it, keeping its memory; oom stays set (text was lost: that must not be forgotten). */
void strbuf_reset(strbuf *b);
/*
 * Hand the text over: a new string the caller frees ("" when nothing was
 * added), or NULL when out of memory (now or before). b is then empty.
 */
char *strbuf_detach(strbuf *b);
void strbuf_free(strbuf *b);   /* a freed or zeroed strbuf is a no-op */

/* ---- Strings that never move until a reset ------------------------------------ */

/*
 * Copies live in blocks that are never reallocated, so pointers handed out
 * stay valid until the next arena_reset. A reset merges the blocks into one
 * big enough for all that was held, so a steady use (one record at a time)
 * soon allocates nothing at all. Zeroed is empty.
 */
typedef struct arena_block arena_block;
typedef struct {
    arena_block *head;  /* the block being filled; older ones follow */
    bool oom;           /* a copy failed since the last reset */
} arena;

/* A copy of n bytes of s, NUL-terminated; NULL (and a->oom) when out of memory. */
const char *arena_dup(arena *a, const char *s, size_t n);
/* Forget every copy (their memory is reused); clears oom. */
void arena_reset(arena *a);
void arena_free(arena *a);

/* ---- A hash and a string map ---------------------------------------------------- */

/*
 * A fast 64-bit hash of n bytes (not a security hash): FNV-1a's constants
 * over 8-byte words, with a final mix. File fingerprints in the database
 * are this hash: changing it makes the next load read every file again.
 */
uint64_t hash_bytes(const char *p, size_t n);

/* String -> size_t. Keys are borrowed (not copied): each must stay valid while in the map. */
typedef struct {
    const char *key;    /* NULL = empty slot */
    size_t len;
    size_t val;
} strmap_slot;

/*
 * Up to STRMAP_SMALL keys are kept in a plain array and found by a linear
 * scan (most maps hold a handful of keys: no hashing, no allocation); past
 * that, an open-addressing hash table. Start from all zero.
 */
#define STRMAP_SMALL 12

typedef struct {
    strmap_slot *v;
    size_t cap, n;      /* cap is 0 (small mode) or a power of two */
    strmap_slot small[STRMAP_SMALL];
} strmap;

/* The value stored for key (len bytes), or NULL. */
const size_t *strmap_get(const strmap *m, const char *key, size_t len);
/* Set key -> val. Returns 0, or -1 when out of memory (the map is unchanged). */
int strmap_put(strmap *m, const char *key, size_t len, size_t val);
void strmap_free(strmap *m);

/*
 * Strings numbered in the order they are added (0, 1, 2 ...), found again
 * in constant time: copies of the keys, indexed by a strmap.
 * Zero-initialise it; free with str_index_free.
 */
typedef struct {
    char **keys;      /* by number; owned */
    size_t n, cap;
    strmap map;       /* key (the copy in keys) -> number */
} str_index;

/* The number of key: when absent, add it (with add) or return SIZE_MAX. SIZE_MAX when out of memory. */
size_t str_index_get(str_index *m, const char *key, bool add);
void str_index_free(str_index *m);

/* Terminal colours (SGR escapes), for output that is painted on a terminal only. */
#define SGR_BOLD "\033[1m"
#define SGR_DIM "\033[2m"
#define SGR_RED "\033[31m"
#define SGR_GREEN "\033[32m"
#define SGR_YELLOW "\033[33m"
#define SGR_CYAN "\033[36m"
#define SGR_RESET "\033[0m"

#endif
