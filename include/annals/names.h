/* names.h - ids, names and aliases: what is a valid id, which record a text names, and what is closest to a typo. */
#ifndef ANNALS_NAMES_H
#define ANNALS_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <sqlite3.h>

/*
 * One suggester for the whole of annals, so that check, report, show and
 * the command line suggest the same thing for the same typo.
 *
 * The text and every candidate are compared folded (text_fold: lower
 * case, diacritics stripped). A candidate is close when it is
 *
 *   a typo     an edit distance (insert, delete, substitute, swap two
 *              neighbours) of at most a third of the text's length, at
 *              least 1 and at most 4: "titel" -> "title", "bagdad" ->
 *              "baghdad";
 *   words      the words of the text and of the candidate (split at
 *              - _ . / and space) share prefixes of two letters or more
 *              adding up to 3 letters and to half the text's letters
 *              ("isis-sahel" -> "is-greater-sahara": "is" + "sah"), or
 *              the candidate's words all stand whole in the text, 3
 *              letters or more (the alias "ISIS" in "isis-sahel").
 *
 * A typo ranks before words; then the smaller distance, the more letters
 * shared, the id in byte order. A record with several names (its id, its
 * name, its aliases) counts once, by its closest name. A record whose id
 * is not a valid id is never suggested. "Did you mean" shows the first;
 * "closest" the first NAMES_CLOSEST, best first.
 */

/* True when s (len bytes) is a valid id: 1 to 64 of a-z 0-9 . _ -, starting with a-z or 0-9. */
bool names_is_id(const char *s, size_t len);

/*
 * The id that text reads as ("Armed Group" -> "armed-group", "Mark
 * Antony" -> "mark-antony"), as the hint of an invalid id proposes it.
 * A new string (the caller frees), or NULL when no id comes of it or out
 * of memory.
 */
char *names_id_from(const char *text);

/* ---- Ranking candidates in memory ------------------------------------------ */

#define NAMES_CLOSEST 3

typedef struct {
    char *id;        /* owned */
    int rank;        /* 0 a typo, 1 shared words */
    size_t score;    /* the distance, or the letters of the text not shared */
} names_pick;

/* The closest candidates to a text so far, best first. */
typedef struct {
    char *text;      /* the text, folded */
    size_t limit;    /* the largest distance that reads as a typo */
    size_t letters;  /* the text's letters (separators not counted) */
    size_t max;      /* how many picks to keep: 1..NAMES_CLOSEST */
    size_t n;
    names_pick pick[NAMES_CLOSEST];
} names_ranking;

/*
 * Start a ranking for text, keeping the max closest (clamped to
 * 1..NAMES_CLOSEST). Returns 0, or -1 when out of memory (the ranking is
 * then empty and feeding it does nothing; names_ranking_free is still fine).
 */
int names_ranking_init(names_ranking *r, const char *text, size_t max);

/*
 * Consider the record id under one of its names, given folded (text_fold)
 * or NULL for the id itself (ids are their own folded form). A candidate
 * that is not close, or that cannot be copied (out of memory), is left out.
 */
void names_ranking_feed(names_ranking *r, const char *id, const char *name);

/* The closest id, or NULL when none is close. Valid until the ranking is freed. */
const char *names_ranking_best(const names_ranking *r);

/* The picks quoted and joined: "'a', 'b', 'c'". A new string, or NULL when none (or out of memory). */
char *names_ranking_list(const names_ranking *r);

void names_ranking_free(names_ranking *r);

/* The closest of choices (a NULL-terminated list) to text, or NULL. Points into choices. */
const char *names_closest_in(const char *text, const char *const *choices);

/* ---- Records of a database --------------------------------------------------- */

typedef enum { NAMES_EVENT, NAMES_ACTOR, NAMES_PLACE, NAMES_SOURCE } names_kind;

/* Sets of kinds for names_advise. */
#define NAMES_BIT(kind) (1u << (kind))
#define NAMES_ANY (NAMES_BIT(NAMES_EVENT) | NAMES_BIT(NAMES_ACTOR) | NAMES_BIT(NAMES_PLACE) | \
                   NAMES_BIT(NAMES_SOURCE))

/* "event", "actor", "place", "source". */
const char *names_noun(names_kind kind);

/* What a text that is no id of some kinds is, as far as the database knows. */
typedef enum {
    NAMES_NOTHING,   /* nothing is close */
    NAMES_PENDING,   /* a record whose id is invalid reads as the text: once its id is
                        written as its error's hint says, the text is right */
    NAMES_NAME,      /* the text is a name or alias of a record: use its id */
    NAMES_CLOSE      /* records close to the text: close */
} names_what;

typedef struct {
    names_what what;
    names_kind kind;    /* PENDING, NAME: the record's kind */
    bool many_kinds;    /* several kinds were asked: messages name the kind */
    char *id;           /* PENDING: the id as written (invalid); NAME: the record's id */
    char *name;         /* NAME: the name or alias as written */
    bool alias;         /* NAME: an alias, not the name */
    char *file;         /* PENDING: where the record is */
    int line;
    names_ranking close;
} names_advice;

/*
 * What to tell about text, which names no record of the kinds (a set of
 * NAMES_BIT): in this order, a record of one of those kinds whose invalid
 * id would read as text (PENDING); a record one of whose names or aliases
 * is text, compared lower-cased, then folded (NAME; the first by kind,
 * then by id); the max records closest to text (CLOSE); else NOTHING.
 * Records with an invalid id are never NAME nor CLOSE.
 * Returns 0, or -1 with *err a new message on a database failure or out
 * of memory. Free *a with names_advice_free in both cases.
 */
int names_advise(sqlite3 *db, unsigned kinds, const char *text, size_t max, names_advice *a,
                 char **err);

/*
 * The advice as words, for a message's parentheses: "'ISIS' is an alias
 * of 'islamic-state'" (of actor 'islamic-state' when several kinds were
 * asked), "actor 'Mark Antony' at a.yaml:2 will have this id once its id
 * is written as its hint says", "did you mean 'x'?". A new string (the
 * caller frees), or NULL for NOTHING or out of memory.
 */
char *names_advice_text(const names_advice *a, const char *text);

/*
 * The id to write instead of the text: a NAME's record id, or the closest
 * of CLOSE; NULL for PENDING (the record's id is what to correct) and
 * NOTHING. Valid until the advice is freed.
 */
const char *names_advice_fix(const names_advice *a);

void names_advice_free(names_advice *a);

/* What names_resolve and names_check_in return besides 0. */
#define NAMES_EUSER (-1)   /* the text names nothing, or several records: *err says so */
#define NAMES_EDB (-2)     /* a database failure or out of memory: *err says so */

/*
 * The one record of kind that text names, for a filter: an exact id; else
 * the ids, names and aliases compared lower-cased; else compared folded.
 * Returns 0 with *id a new string (the caller frees). A text that names
 * several records is NAMES_EUSER with "'Georgia' matches several places:
 * 'georgia' (Georgia), 'georgia-us' (Georgia); give an id"; one that names
 * none is NAMES_EUSER with "no actor matches 'x' (closest: 'a', 'b')".
 * NAMES_EDB on failure. *err is a new message the caller frees.
 */
int names_resolve(sqlite3 *db, names_kind kind, const char *text, char **id, char **err);

/*
 * Whether text is one of a set of words the database holds (a vocabulary:
 * see vocab_check): has_sql (one parameter, ?1) has a row for it. Returns 0
 * when it does; NAMES_EUSER with *err "no type matches 'battel' (closest:
 * 'battle')" (noun "type") over the closest words of all_sql's rows (the
 * word, and its folded form or NULL for the word itself) when it does not;
 * shown is how to quote text (the user's spelling). NAMES_EDB with *err on
 * failure.
 */
int names_check_in(sqlite3 *db, const char *noun, const char *has_sql, const char *all_sql,
                   const char *text, const char *shown, char **err);

#endif
