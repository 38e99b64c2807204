/* lsp_text.h - text as an editor addresses it: LSP positions (UTF-16 or UTF-8) <-> bytes, file URIs, and what the cursor is on in an event file. */
#ifndef ANNALS_LSP_TEXT_H
#define ANNALS_LSP_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* How a position's character counts: UTF-16 code units (the default) or bytes. */
typedef enum { LSP_ENC_UTF16 = 0, LSP_ENC_UTF8 } lsp_encoding;

/* A 0-based LSP position. */
typedef struct {
    unsigned line, character;
} lsp_pos;

/*
 * The byte offset of pos in text (len bytes). A character past the end of
 * its line, or in the middle of a character, stops at the line's end or
 * the character's start; a line past the last is the end of the text.
 * Bytes that are not valid UTF-8 count as one unit each, both ways.
 */
size_t lsp_offset_of(const char *text, size_t len, lsp_pos pos, lsp_encoding enc);

/* The position of byte offset (clamped to len) in text. */
lsp_pos lsp_pos_of(const char *text, size_t len, size_t offset, lsp_encoding enc);

/* Byte offset where 0-based line starts (len when there is no such line). */
size_t lsp_line_start(const char *text, size_t len, unsigned line);

/*
 * The position of a diagnostic's 1-based line and 1-based column counted
 * in characters (code points), as annals reports them; col 0 is the
 * line's start. Columns past the line's end stay past it.
 */
lsp_pos lsp_pos_of_col(const char *text, size_t len, int line, int col, lsp_encoding enc);

/* The same position moved right by span characters, within its line. */
lsp_pos lsp_pos_after(const char *text, size_t len, int line, int col, int span,
                      lsp_encoding enc);

/*
 * A file URI to a path (percent-decoding; `file://host/` refused): a new
 * string the caller frees, or NULL when the URI is no local file URI or
 * memory ran out.
 */
char *lsp_uri_to_path(const char *uri);
/* A path (absolute) to a file URI, percent-encoding as RFC 3986 asks. New string or NULL. */
char *lsp_path_to_uri(const char *path);

/* What the cursor is on in an event file, found from the text alone (half-typed YAML too). */
typedef struct {
    char section[16];      /* "actors", "places", "sources", "events", or "" */
    char key[32];          /* the key whose value holds the cursor, or "" */
    char outer[32];        /* the list key whose item mapping holds key ("actors" for
                              `- {id: x, role: y}` in an event), or "" */
    bool at_key;           /* a key is expected where the cursor is */
    size_t word_start;     /* the word (id, slug, date) at the cursor: bytes */
    size_t word_end;
    size_t record_start;   /* the record item holding the cursor ("- " line to the next) */
    size_t record_end;
    int key_indent;        /* the record's (or item mapping's) key column, 0-based bytes */
} lsp_context;

/* Analyse text around byte offset. Never fails: an unknown place leaves fields empty. */
void lsp_context_at(const char *text, size_t len, size_t offset, lsp_context *ctx);

/*
 * The kind of id ("actor", "place", "source", "event") a context names,
 * and whether it is a definition (a record's own `id:`) rather than a
 * reference; NULL when the cursor is on no id.
 */
const char *lsp_context_id_kind(const lsp_context *ctx, bool *definition);

/*
 * The keys written in the mapping that holds the cursor (the record, or
 * the item mapping of outer), as a NUL-separated list in buf (empty when
 * none). Used to offer only the keys a record lacks.
 */
void lsp_context_keys(const char *text, size_t len, const lsp_context *ctx, char *buf,
                      size_t size);

#endif
