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
    AN_WINDOW_DOCUMENT = 2,
    AN_WINDOW_TOKENS = 3     /* two mentions whose first tokens are at most
                                an_count_options.tokens apart */
} an_window;

/* "sentence", "paragraph", "document", "tokens"; NULL for unknown values. */
AN_EXPORT const char *an_window_name(an_window w);
/* Inverse of an_window_name for the plain names "sentence", "paragraph",
 * "document"; AN_EINVAL for anything else (also "tokens", which needs a
 * distance: use an_window_parse_spec). */
AN_EXPORT an_status an_window_parse(const char *name, an_window *out);

/* What one window adds to a pair (sentence, paragraph, document windows). */
typedef enum an_count_mode {
    AN_COUNT_WINDOWS = 0,       /* 1 per window naming both actors (default) */
    AN_COUNT_MENTION_PAIRS = 1  /* 1 per pair of mentions of the two actors in a window */
} an_count_mode;

/* Marks a dropped actor in an actor map. */
#define AN_DROP SIZE_MAX

typedef struct an_count_options {
    an_window window;
    /* ---- added for token windows, counting modes and actor maps; zero =
     * the behaviour before they existed ---- */
    uint32_t tokens;        /* AN_WINDOW_TOKENS: maximum first-token distance N (>= 1) */
    an_count_mode mode;     /* ignored by AN_WINDOW_TOKENS (always mention pairs) */
    int distance_weighting; /* AN_WINDOW_TOKENS: a pair at distance d adds 1/(1+d) to
                               an_pair_counts.weighted (else 1) */
    /* NULL = identity. Else n_actors entries: map[a] is the actor that
     * mentions of a are counted as, or AN_DROP to ignore them. Applied
     * before windows are formed, so margins are exact; two mentions that map
     * to the same actor never form a pair. Copied by an_counts_create. */
    const size_t *actor_map;
} an_count_options;

/* Fills o->window and o->tokens from "sentence", "paragraph", "document" or
 * "tokens:N" (N a decimal integer 1..1000000); other fields untouched.
 * AN_EINVAL otherwise (o unchanged). */
AN_EXPORT an_status an_window_parse_spec(const char *spec, an_count_options *o);

typedef struct an_actor_counts {
    uint64_t mentions;   /* mentions of the actor */
    uint64_t windows;    /* windows that contain the actor at least once;
                            AN_WINDOW_TOKENS: = mentions (every mention is a window) */
    uint64_t documents;  /* documents that contain the actor */
} an_actor_counts;

typedef struct an_pair_counts {
    size_t a, b;         /* actor indices, a < b */
    uint64_t windows;    /* the pair count c_ab: windows that contain both
                            (AN_COUNT_WINDOWS), or mention pairs
                            (AN_COUNT_MENTION_PAIRS, AN_WINDOW_TOKENS) */
    uint64_t documents;  /* documents that contain both in one window */
    double weighted;     /* = windows, except with distance weighting: the sum
                            of 1/(1+d). Kept internally in fixed point (2^-32)
                            so that merging stays exact and order-independent. */
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
/* The options the counts were created with (actor_map points into c, or is
 * NULL). Defaults for NULL c. */
AN_EXPORT an_count_options an_counts_options(const an_counts *c);
AN_EXPORT size_t an_counts_actor_count(const an_counts *c); /* n_actors given at creation */
AN_EXPORT uint64_t an_counts_documents(const an_counts *c);
AN_EXPORT uint64_t an_counts_bytes(const an_counts *c);
AN_EXPORT uint64_t an_counts_mentions(const an_counts *c);
/* Windows seen in total (the margin N of association measures); for
 * AN_WINDOW_TOKENS the number of tokens of all documents. */
AN_EXPORT uint64_t an_counts_windows(const an_counts *c);
AN_EXPORT an_actor_counts an_counts_actor(const an_counts *c, size_t actor);
AN_EXPORT uint64_t an_counts_alias_hits(const an_counts *c, size_t alias);
/* Number of pairs with windows > 0. */
AN_EXPORT size_t an_counts_pair_count(const an_counts *c);
/* A new array of all pairs with windows > 0, in ascending (a, b) order; free it
 * with an_counts_pairs_free(). *out is NULL when *n is 0. Time: O(P log P). */
AN_EXPORT an_status an_counts_pairs(const an_counts *c, an_pair_counts **out, size_t *n);
AN_EXPORT void an_counts_pairs_free(an_pair_counts *pairs);

/* ---- actor selection and roll-up (builds an actor_map) --------------- */

typedef struct an_rollup_options {
    /* Steps up the parent chain (first parent of each actor): 0 = none,
     * 1 = parent, 2 = grandparent, ...; negative = top-most ancestor. */
    int level;
    /* "A=B": mentions of actor id A are counted as actor id B (before the
     * roll-up; chains are followed, cycles are an error). */
    const char *const *merge;
    size_t n_merge;
    /* Keep only actors whose (final, rolled-up) type is in this list;
     * NULL/0 = every type. */
    const char *const *keep_types;
    size_t n_keep_types;
    /* Drop actors whose final type is in this list. */
    const char *const *drop_types;
    size_t n_drop_types;
    /* Drop these actor ids: both their own mentions and those that roll up
     * or merge into them. */
    const char *const *drop_ids;
    size_t n_drop_ids;
} an_rollup_options;

/* Builds *map (an_gazetteer_actor_count(gz) entries, free with
 * an_actor_map_free) for an_count_options.actor_map. An unknown id (merge,
 * drop) or a type no actor has is AN_ENOTFOUND naming it; a malformed merge
 * ("A" without '=') or a merge cycle is AN_EINVAL. o NULL = identity.
 * Time: O(actors * (level + merges) + list lengths). */
AN_EXPORT an_status an_actor_map_build(const an_gazetteer *gz, const an_rollup_options *o,
                                       size_t **map, an_error *err);
AN_EXPORT void an_actor_map_free(size_t *map);

/* ---- periods ---------------------------------------------------------- */

typedef enum an_period {
    AN_PERIOD_DAY = 0,     /* 2016-09-28 */
    AN_PERIOD_WEEK = 1,    /* ISO 8601 week: 2016-W39 (week-year, may differ from the year) */
    AN_PERIOD_MONTH = 2,   /* 2016-09 */
    AN_PERIOD_QUARTER = 3, /* 2016-Q3 */
    AN_PERIOD_YEAR = 4     /* 2016 */
} an_period;

/* "day", "week", "month", "quarter", "year"; NULL for unknown values. */
AN_EXPORT const char *an_period_name(an_period p);
AN_EXPORT an_status an_period_parse(const char *name, an_period *out);
/* Writes the period key of date (YYYYMMDD) into out. Keys of one period
 * kind sort as strings in time order. date 0 gives "undated". AN_EINVAL for
 * an invalid date or period (out = ""). */
AN_EXPORT an_status an_period_key(int32_t date, an_period p, char out[16]);

#ifdef __cplusplus
}
#endif
#endif
