/* actornet — raw access to an_counts for the counts file (graph/cooc_io.c).
 * Private to graph/; defined at the end of graph/cooc.c. */
#ifndef ACTORNET_GRAPH_COOC_RAW_H
#define ACTORNET_GRAPH_COOC_RAW_H

#include "actornet/cooc.h"

/* n_aliases given at creation (0 for NULL). */
size_t an_i_counts_alias_count(const an_counts *c);
/* Same sizes and options (what an_counts_merge requires). */
int an_i_counts_same_shape(const an_counts *x, const an_counts *y);

/* Add stored numbers to c. AN_EINVAL for an index out of range (pairs: also
 * a >= b or windows == 0), AN_ELIMIT if a sum would overflow, AN_ENOMEM; c
 * is unchanged on failure. weighted_fx is in units of 2^-32. */
an_status an_i_counts_add_totals(an_counts *c, uint64_t documents, uint64_t bytes,
                                 uint64_t mentions, uint64_t windows);
an_status an_i_counts_add_actor(an_counts *c, size_t a, const an_actor_counts *ac);
an_status an_i_counts_add_alias(an_counts *c, size_t alias, uint64_t hits);
an_status an_i_counts_add_pair(an_counts *c, size_t a, size_t b, uint64_t windows,
                               uint64_t documents, uint64_t weighted_fx);
/* an_counts_drop_pairs was called on c. */
int an_i_counts_pairs_dropped(const an_counts *c);
/* The counted pairs as keys a << 32 | b in ascending (a, b) order, in a new
 * array (8 bytes a pair, against an_counts_pairs' 40); free with an_i_free.
 * None: *keys NULL, *n 0. */
an_status an_i_counts_pair_keys(const an_counts *c, uint64_t **keys, size_t *n);
/* The stored numbers of a counted pair; 0 when (a, b) is not one. */
int an_i_counts_pair_get(const an_counts *c, size_t a, size_t b, uint64_t *windows,
                         uint64_t *documents, uint64_t *weighted_fx);

/* AN_EINVAL if the shapes differ, AN_ELIMIT if dst += src would overflow any
 * number, AN_ENOMEM; else reserves room so that an_counts_merge(dst, src)
 * cannot fail. dst's counts are unchanged in every case. */
an_status an_i_counts_prepare_merge(an_counts *dst, const an_counts *src);

#endif
