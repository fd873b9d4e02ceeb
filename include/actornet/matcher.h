/* actornet — tokenizer, sentence/paragraph segmenter and gazetteer matcher.
 *
 * The matcher is compiled once from a gazetteer and is immutable afterwards:
 * one matcher may be shared by any number of threads, each scanning with its
 * own an_mentions buffer. Matching semantics: docs/matching.md.
 */
#ifndef ACTORNET_MATCHER_H
#define ACTORNET_MATCHER_H

#include "common.h"
#include "gazetteer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct an_matcher an_matcher;

typedef struct an_matcher_options {
    int accent_insensitive; /* non-zero: strip combining marks after NFKD ("Sergueï" ~ "Serguei") */
} an_matcher_options;

typedef struct an_span {
    size_t start, end; /* byte offsets, end exclusive */
} an_span;

typedef struct an_mention {
    size_t start, end;   /* byte offsets into the document text, end exclusive */
    size_t actor;        /* actor index in the gazetteer */
    size_t alias;        /* alias index in the gazetteer */
    uint32_t token;      /* index of the first token of the mention in the document */
    uint32_t sentence;   /* 0-based sentence index in the document */
    uint32_t paragraph;  /* 0-based paragraph index in the document */
} an_mention;

/* Per-thread scan result and scratch space; reuse it across documents.
 * Fields are read-only for the caller. */
typedef struct an_mentions {
    an_mention *items;      /* sorted by start */
    size_t count;
    an_span *sentences;     /* byte span of every sentence in the document */
    size_t n_sentences;
    size_t n_paragraphs;
    size_t n_tokens;
    size_t doc_bytes;       /* length of the scanned text */
    size_t cap_items, cap_sentences; /* internal */
    void *scratch;          /* internal */
} an_mentions;

AN_EXPORT void an_mentions_init(an_mentions *m);
/* Frees everything; m can be re-initialised. NULL accepted. */
AN_EXPORT void an_mentions_finish(an_mentions *m);

/* Compile a matcher from every alias of gz. opts may be NULL.
 * Time: O(total alias bytes). */
AN_EXPORT an_status an_matcher_compile(const an_gazetteer *gz, const an_matcher_options *opts,
                                       an_matcher **out, an_error *err);
AN_EXPORT void an_matcher_destroy(an_matcher *m);

/* Scan one document. `date` (YYYYMMDD, 0 = none) selects dated aliases.
 * Replaces the contents of *out. Any byte sequence is accepted; invalid UTF-8
 * is a token boundary. Time: O(len * longest alias in tokens). */
AN_EXPORT an_status an_matcher_scan(const an_matcher *m, const char *text, size_t len,
                                    int32_t date, an_mentions *out, an_error *err);

/* ---- compiled gazetteers ------------------------------------------------
 * A gazetteer and the matcher compiled from it, as one byte string: reading
 * it back skips the loaders and an_matcher_compile (for the Phoenix
 * dictionaries about 45 ms, against a few). The format belongs to this build
 * of the library on this kind of machine (byte order, word size): it is a
 * cache, not an exchange format (docs/design.md). */

/* Writes gz and m (compiled from gz) to out, with two byte strings of the
 * caller's: `key` (what gz was made from: an_compiled_read only accepts the
 * same key) and `note` (anything to give back on reading, e.g. the load's
 * warnings). AN_ENOMEM, AN_EIO. */
AN_EXPORT an_status an_compiled_write(const an_gazetteer *gz, const an_matcher *m,
                                      const void *key, size_t key_len, const void *note,
                                      size_t note_len, FILE *out, an_error *err);

/* Flag of an_compiled_read: *m may use the matcher's arrays where they lie in
 * data (when data is 8-byte aligned, e.g. a file mapped with mmap) instead
 * of copies: data must then stay unchanged until an_matcher_destroy(*m). */
#define AN_COMPILED_BORROW 1u

/* Reads what an_compiled_write wrote, when it was written with `key` by this
 * build: *gz and *m (destroy both) and, if note is not NULL, the note (a
 * pointer into data). m may be NULL: then only the gazetteer is read (the
 * matcher's part is checksummed, not parsed or checked; the gazetteer never
 * points into data). flags: 0 or AN_COMPILED_BORROW. AN_ENOTFOUND: another
 * key, build or kind of machine; AN_EPARSE: not such a file, or damaged
 * (checksum, or any index out of range: any byte sequence is safe to pass);
 * AN_ENOMEM. */
AN_EXPORT an_status an_compiled_read(const void *data, size_t len, const void *key,
                                     size_t key_len, unsigned flags, an_gazetteer **gz,
                                     an_matcher **m, const void **note, size_t *note_len,
                                     an_error *err);

#ifdef __cplusplus
}
#endif
#endif
