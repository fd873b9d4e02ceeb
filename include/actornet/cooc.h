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

/* The largest N of a tokens:N window. */
#define AN_MAX_TOKEN_WINDOW 1000000u

/* Fills o->window and o->tokens from "sentence", "paragraph", "document" or
 * "tokens:N" (N a decimal integer 1..AN_MAX_TOKEN_WINDOW); other fields
 * untouched. AN_EINVAL otherwise (o unchanged). */
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
/* Frees the pair counts of c and keeps the rest (totals, actor margins,
 * alias hits, options), for a caller done with the pairs but not with the
 * margins: an_network_build_dropping_pairs() calls it once the edges are
 * made. Afterwards c has no pairs (an_counts_pair_count() 0), and adding
 * documents to it, merging it or into it, and writing it to a counts file
 * are refused with AN_EINVAL: its sums would be wrong. */
AN_EXPORT an_status an_counts_drop_pairs(an_counts *c);

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


/* ---- counts files (graph/cooc_io.c, format: docs/counts-format.md) ----
 *
 * A counts file holds one or more named sections of counts made with one
 * gazetteer and one set of count options, so that counting shards on many
 * machines and merging the files gives exactly the counts of one run. */

/* 64-bit fingerprint of everything counts refer to in gz: every actor's id,
 * label, type and parents, and every alias's text, actor, case policy and
 * dates, in order (FNV-1a). 0 for NULL gz. The same as
 * an_gazetteer_fingerprint(gz), which computes it once per contents. */
AN_EXPORT uint64_t an_counts_gazetteer_fingerprint(const an_gazetteer *gz);

/* An ordered collection of named counts ("sections": "all", or one per
 * period such as "2016-09") that all share one shape: n_actors, n_aliases
 * and count options (including the actor map). Sections are kept in
 * ascending byte order of their names (period keys sort in time order), so
 * the order never depends on how the set was filled. A section name is 1 to
 * 200 bytes, none of them a space, a control character or DEL. */
typedef struct an_counts_set an_counts_set;

/* An empty set of the given shape (opts as for an_counts_create; NULL =
 * sentence windows; the actor map is copied). AN_EINVAL/AN_ELIMIT as
 * an_counts_create, AN_ENOMEM. */
AN_EXPORT an_status an_counts_set_create(size_t n_actors, size_t n_aliases,
                                         const an_count_options *opts, an_counts_set **out);
/* Destroys the set and every counts in it. NULL accepted. */
AN_EXPORT void an_counts_set_destroy(an_counts_set *set);

/* The set's options (actor_map points into the set, or is NULL). */
AN_EXPORT an_count_options an_counts_set_options(const an_counts_set *set);
AN_EXPORT size_t an_counts_set_actor_count(const an_counts_set *set);
AN_EXPORT size_t an_counts_set_alias_count(const an_counts_set *set);
/* Number of sections; 0 for NULL. */
AN_EXPORT size_t an_counts_set_count(const an_counts_set *set);
/* Name / counts of section i (ascending name order); NULL when out of range.
 * Owned by the set. */
AN_EXPORT const char *an_counts_set_name(const an_counts_set *set, size_t i);
AN_EXPORT const an_counts *an_counts_set_get(const an_counts_set *set, size_t i);
/* The section called name, or NULL. Time: O(log sections). */
AN_EXPORT const an_counts *an_counts_set_find(const an_counts_set *set, const char *name);

/* The counts of section name, created empty (with the set's shape) if the
 * set has no such section. *out is owned by the set; add documents to it
 * with an_counts_add. AN_EINVAL for an invalid name, AN_ENOMEM. */
AN_EXPORT an_status an_counts_set_get_or_create(an_counts_set *set, const char *name,
                                                an_counts **out);

/* Adds c as section name and takes ownership of c. If the set already has
 * that section, c is merged into it and destroyed. AN_EINVAL (invalid name,
 * or c's shape differs from the set's), AN_ELIMIT (a sum would overflow),
 * AN_ENOMEM; on failure the caller still owns c and the set is unchanged. */
AN_EXPORT an_status an_counts_set_take(an_counts_set *set, const char *name, an_counts *c,
                                       an_error *err);

/* dst += src, section by section: sections of src that dst lacks are added
 * as copies. AN_EINVAL if the shapes differ (the message names the
 * difference: sizes, window, mode, weighting, actor map), AN_ELIMIT if a sum
 * would overflow 2^64-1, AN_ENOMEM; dst is unchanged on failure. The result
 * does not depend on the order of merges. Time: O(sections * (actors +
 * aliases) + pairs of src). */
AN_EXPORT an_status an_counts_set_merge(an_counts_set *dst, const an_counts_set *src,
                                        an_error *err);

/* Writes the whole set as a counts file (docs/counts-format.md): header
 * (version, options, fingerprints of gz and of the actor map, sizes), every
 * section, trailer. gz must be the gazetteer the counts were made with
 * (AN_EINVAL if its actor or alias count differs); it gives the
 * fingerprint and the informative names on actor and alias lines. The same
 * counts always give the same bytes. AN_EIO on a write error (checked with
 * ferror; the caller closes out). Time: O(sections * (actors + aliases) +
 * P log P). */
AN_EXPORT an_status an_counts_set_write(const an_counts_set *set, const an_gazetteer *gz,
                                        FILE *out, an_error *err);

/* Shortcut: writes a file holding c as its only section (section NULL =
 * "all"). */
AN_EXPORT an_status an_counts_write(const an_counts *c, const an_gazetteer *gz,
                                    const char *section, FILE *out, an_error *err);

/* Reads a counts file from in (name is used in messages, may be NULL) into a
 * new set (*out, destroy with an_counts_set_destroy). Checks the version
 * (AN_EPARSE "unsupported counts format version"), that the file was made
 * with gz (AN_EINVAL "counts were made with another gazetteer (fingerprint
 * X, this one is Y)"), the syntax of every line and every number
 * (AN_EPARSE with file:line:column; numbers above 2^64-1 included), a
 * truncated file (AN_EPARSE), lines longer than 4096 bytes (AN_EPARSE).
 * AN_EIO on a read error, AN_ENOMEM. Any bytes are safe input. *out is
 * untouched on failure. Time: O(file size + P). */
AN_EXPORT an_status an_counts_set_read(FILE *in, const char *name, const an_gazetteer *gz,
                                       an_counts_set **out, an_error *err);

#ifdef __cplusplus
}
#endif
#endif
