/* actornet — a small strict JSON parser (RFC 8259), internal.
 *
 * Parses one JSON text into a tree of an_json_value nodes owned by an
 * an_json_doc. Nothing in the tree outlives the doc; an_i_json_parse() on the
 * same doc (or an_i_json_doc_free) invalidates every pointer into an earlier
 * tree, which lets a JSONL reader reuse one doc (and its memory) line by line.
 *
 * Strict: one value with optional surrounding whitespace, no comments, no
 * trailing commas, no leading zeros, no control characters in strings, input
 * must be valid UTF-8. \uXXXX escapes are decoded (surrogate pairs joined;
 * a lone surrogate becomes U+FFFD). Nesting deeper than AN_JSON_MAX_DEPTH is
 * an error; the parser recurses at most that deep. Any byte sequence is safe.
 */
#ifndef ACTORNET_NER_JSON_H
#define ACTORNET_NER_JSON_H

#include <stddef.h>

#include "actornet/common.h"

#define AN_JSON_MAX_DEPTH 64

typedef enum an_json_type {
    AN_JSON_NULL,
    AN_JSON_FALSE,
    AN_JSON_TRUE,
    AN_JSON_NUMBER,
    AN_JSON_STRING,
    AN_JSON_ARRAY,
    AN_JSON_OBJECT
} an_json_type;

typedef struct an_json_value an_json_value;
struct an_json_value {
    an_json_type type;
    /* STRING: decoded UTF-8, NUL-terminated (may contain NUL from \u0000; use len).
     * NUMBER: the number as written, NUL-terminated. Otherwise NULL. */
    const char *str;
    size_t len;           /* STRING/NUMBER: bytes of str; ARRAY/OBJECT: number of children */
    double number;        /* NUMBER: value by strtod-like conversion (C locale digits) */
    const char *key;      /* member of an OBJECT: its decoded name, NUL-terminated; else NULL */
    size_t key_len;
    an_json_value *child; /* ARRAY/OBJECT: first element/member */
    an_json_value *next;  /* next sibling in the parent */
    size_t offset;        /* byte offset of the value in the input */
};

typedef struct an_json_doc an_json_doc;

/* Position of a syntax error: byte offset into the input and 1-based line and
 * column (bytes) within it. */
typedef struct an_json_error {
    size_t offset;
    unsigned long line;
    unsigned long column;
    char message[128];
} an_json_error;

/* New empty doc, NULL on out of memory. */
an_json_doc *an_i_json_doc_create(void);
/* NULL accepted. */
void an_i_json_doc_free(an_json_doc *doc);

/* Parse text[0..len) into doc (replacing its previous tree). On success *root
 * points into doc. Returns AN_EPARSE (filling *e if non-NULL) on malformed
 * input, AN_ENOMEM on allocation failure. */
an_status an_i_json_parse(an_json_doc *doc, const char *text, size_t len,
                          const an_json_value **root, an_json_error *e);

/* Member `key` of an object (the last one if repeated), NULL if absent or if
 * obj is not an object. */
const an_json_value *an_i_json_get(const an_json_value *obj, const char *key);

/* "string", "number", ... for messages. */
const char *an_i_json_type_name(an_json_type t);

/* Length of the longest valid UTF-8 prefix of s[0..len) (strict: no
 * overlongs, surrogates or code points above U+10FFFF). Equals len when valid. */
size_t an_i_utf8_valid_prefix(const char *s, size_t len);

#endif
