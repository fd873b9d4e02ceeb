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

#ifdef __cplusplus
}
#endif
#endif
