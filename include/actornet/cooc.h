/* actornet — co-mention counting.
 *
 * Counts are associative: counting any split of a corpus into several an_counts
 * and merging them gives exactly the counts of the whole.
 */
#ifndef ACTORNET_COOC_H
#define ACTORNET_COOC_H

#include "common.h"
#include "matcher.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum an_window {
    AN_WINDOW_SENTENCE = 0,
    AN_WINDOW_PARAGRAPH = 1,
    AN_WINDOW_DOCUMENT = 2
} an_window;

/* "sentence", "paragraph", "document"; NULL for unknown values. */
AN_EXPORT const char *an_window_name(an_window w);
/* Inverse of an_window_name; AN_EINVAL for unknown names. */
AN_EXPORT an_status an_window_parse(const char *name, an_window *out);

typedef struct an_count_options {
    an_window window;
} an_count_options;

typedef struct an_actor_counts {
    uint64_t mentions;   /* mentions of the actor */
    uint64_t windows;    /* windows that contain the actor at least once */
    uint64_t documents;  /* documents that contain the actor */
} an_actor_counts;

typedef struct an_pair_counts {
    size_t a, b;         /* actor indices, a < b */
    uint64_t windows;    /* windows that contain both */
    uint64_t documents;  /* documents that contain both in one window */
} an_pair_counts;

typedef struct an_counts an_counts;

/* n_actors / n_aliases: from the gazetteer the mentions refer to. opts may be NULL (sentence). */
AN_EXPORT an_status an_counts_create(size_t n_actors, size_t n_aliases,
                                     const an_count_options *opts, an_counts **out);
AN_EXPORT void an_counts_destroy(an_counts *c);

/* Add one document's mentions (as filled by an_matcher_scan). */
AN_EXPORT an_status an_counts_add(an_counts *c, const an_mentions *m);
/* dst += src; both must have the same sizes and options (else AN_EINVAL). */
AN_EXPORT an_status an_counts_merge(an_counts *dst, const an_counts *src);

AN_EXPORT an_window an_counts_window(const an_counts *c);
AN_EXPORT size_t an_counts_actor_count(const an_counts *c); /* n_actors given at creation */
AN_EXPORT uint64_t an_counts_documents(const an_counts *c);
AN_EXPORT uint64_t an_counts_bytes(const an_counts *c);
AN_EXPORT uint64_t an_counts_mentions(const an_counts *c);
AN_EXPORT uint64_t an_counts_windows(const an_counts *c); /* windows seen in total */
AN_EXPORT an_actor_counts an_counts_actor(const an_counts *c, size_t actor);
AN_EXPORT uint64_t an_counts_alias_hits(const an_counts *c, size_t alias);
/* Number of pairs with windows > 0. */
AN_EXPORT size_t an_counts_pair_count(const an_counts *c);
/* A new array of all pairs with windows > 0, in ascending (a, b) order; free it
 * with an_counts_pairs_free(). *out is NULL when *n is 0. Time: O(P log P). */
AN_EXPORT an_status an_counts_pairs(const an_counts *c, an_pair_counts **out, size_t *n);
AN_EXPORT void an_counts_pairs_free(an_pair_counts *pairs);

#ifdef __cplusplus
}
#endif
#endif
