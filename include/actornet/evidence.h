/* actornet — evidence: the text behind every edge and every actor.
 *
 * An an_evidence store keeps, for every actor pair, up to K windows that
 * counted for it (document, window span, the mentions of both actors, a copy
 * of the window text), and for every actor up to K windows that mention it.
 * It sees the same windows as an_counts_add with the same count options.
 *
 * Which K are kept is a pure function of the documents: the K with the
 * smallest (doc_seq, window start, window end). So adding documents to
 * several stores (one per thread, shard or machine) and merging them gives
 * exactly the store of one pass, whatever the split and merge order —
 * provided every document has its own doc_seq (e.g. its position in the
 * input). Not thread-safe: one store per thread, merge at the end.
 *
 * Memory: about 55 bytes per pair and actor at K = 1 (32 more per
 * further record) plus a buffer of AN_EVIDENCE_BUFFER bytes
 * (an_evidence_set_buffer). A record's text and
 * spans (at most AN_EVIDENCE_MAX_TEXT bytes of text and
 * AN_EVIDENCE_MAX_SPANS spans per actor) go to that buffer, and a full
 * buffer is appended to an unlinked temporary file in $TMPDIR (default
 * /tmp), read back only when an output asks for the record. The file is
 * gone when the store is destroyed (or the process ends).
 */
#ifndef ACTORNET_EVIDENCE_H
#define ACTORNET_EVIDENCE_H

#include <stdio.h>

#include "common.h"
#include "cooc.h"
#include "gazetteer.h"
#include "matcher.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest text copy kept per record (bytes). Longer windows are cut around
 * the mentions, on UTF-8 character boundaries. */
#define AN_EVIDENCE_MAX_TEXT 600
/* At most this many mention spans per actor and record. */
#define AN_EVIDENCE_MAX_SPANS 16

/* Default bytes of record text and spans kept in memory per store. */
#define AN_EVIDENCE_BUFFER ((size_t)1 << 20)

typedef struct an_evidence an_evidence;

/* One supporting window. For actor evidence (an_evidence_actor) b == a and
 * b_spans is empty. All offsets are bytes in the document text. */
typedef struct an_evidence_item {
    size_t a, b;                /* actor indices after the actor map; a < b for pairs */
    uint64_t doc_seq;           /* as given to an_evidence_add */
    const char *doc_id;         /* copy; "" when none was given */
    size_t start, end;          /* the counting window (sentence, paragraph, document,
                                   or first to last mention for tokens:N) */
    size_t text_start;          /* offset of text[0] in the document */
    const char *text;           /* copy of the window (cut to AN_EVIDENCE_MAX_TEXT);
                                   for tokens:N the sentences around the mentions */
    size_t text_len;
    const an_span *a_spans;     /* mentions of a in the window, by start */
    size_t n_a_spans;
    const an_span *b_spans;     /* mentions of b in the window, by start */
    size_t n_b_spans;
} an_evidence_item;

/* An empty store keeping up to k_per_pair records per pair and per actor
 * (k_per_pair >= 1, else AN_EINVAL). AN_ENOMEM. */
AN_EXPORT an_status an_evidence_create(size_t k_per_pair, an_evidence **out);
/* Where the temporary files go: $TMPDIR when set and not empty, else /tmp. */
AN_EXPORT const char *an_evidence_spill_dir(void);
/* Whether to keep actors' own windows (an_evidence_actor) besides the
 * pairs' (default 1). With 0 they are not recorded: a store for pair
 * evidence only does less work per window and an_evidence_actor finds none.
 * Call before adding. AN_EINVAL when ev is NULL. */
AN_EXPORT an_status an_evidence_keep_actors(an_evidence *ev, int keep);
/* Keeps at most `bytes` of record blobs in memory before appending them to
 * the store's temporary file (0: every record but the newest goes there).
 * Call before adding. AN_EINVAL when ev is NULL. */
AN_EXPORT an_status an_evidence_set_buffer(an_evidence *ev, size_t bytes);
/* NULL accepted. */
AN_EXPORT void an_evidence_destroy(an_evidence *ev);
AN_EXPORT size_t an_evidence_k(const an_evidence *ev);

/* Records the windows of one document: m is what an_matcher_scan filled for
 * text[0..len); co the count options of the counts (NULL = sentence
 * windows, identity map). A pair gets one record per window that names
 * both actors (tokens:N: one per pair of mentions at most N tokens apart);
 * an actor one per window that names it (tokens:N: per sentence). doc_id
 * may be NULL. AN_EINVAL (bad arguments, a mention outside the text, an
 * actor outside the map), AN_ENOMEM, AN_EIO (the temporary file could not
 * be created or written), AN_ELIMIT (an actor index above 2^32 - 2); on
 * failure the store may hold part of the document's records (each record is
 * whole). Time: O(window mentions^2 + kept text). */
AN_EXPORT an_status an_evidence_add(an_evidence *ev, uint64_t doc_seq, const char *doc_id,
                                    const char *text, size_t len, const an_mentions *m,
                                    const an_count_options *co);

/* dst += src, keeping the K smallest per pair and actor (dst's K). Exact and
 * order-independent. AN_ENOMEM, AN_EIO (dst may then hold part of src);
 * AN_ELIMIT, dst unchanged, for a src of more than 2^32 table slots. */
AN_EXPORT an_status an_evidence_merge(an_evidence *dst, const an_evidence *src);

/* Moves the store's index (the keys of every record, about 55 bytes per
 * pair and actor at K = 1) to its temporary file and frees it, with the buffer: a hint
 * before work that needs the memory (actornet map parks evidence while the
 * network is analysed). The next call that reads or changes the store reads
 * the index back (one sequential read); results are unchanged. AN_EIO,
 * AN_ENOMEM (the store then stays as it was). */
AN_EXPORT an_status an_evidence_park(an_evidence *ev);

/* Number of pairs / actors with at least one record. */
AN_EXPORT size_t an_evidence_pair_count(const an_evidence *ev);
AN_EXPORT size_t an_evidence_actor_count(const an_evidence *ev);

/* The records of pair {a, b} (either order; a != b) in ascending (doc_seq,
 * start, end) order; *n = 0 and NULL when none, and when they cannot be
 * read back (out of memory, a read error on the temporary file). The first
 * call for a pair reads its records into memory, where they stay: valid
 * until the next add, merge or destroy. Not safe to call from two threads
 * on one store. Time: O(K) reads the first time, then O(1) expected. */
AN_EXPORT const an_evidence_item *an_evidence_pair(const an_evidence *ev, size_t a, size_t b,
                                                   size_t *n);
/* The records of actor a (its mention windows), same order. */
AN_EXPORT const an_evidence_item *an_evidence_actor(const an_evidence *ev, size_t a, size_t *n);

/* JSON Lines, one object per pair record, sorted by (a, b, doc_seq, start):
 *   {"a":"RUS","b":"SYR","doc":"news/01.txt","doc_seq":3,"start":120,"end":245,
 *    "text_start":120,"text":"...","a_spans":[[s,e],...],"b_spans":[[s,e],...]}
 * a and b are actor ids from gz (index as a decimal string when gz is NULL
 * or lacks the actor); spans are document byte offsets. Every string is
 * escaped per RFC 8259 (invalid UTF-8 as \ufffd). AN_EIO on a write error
 * (or a read error on the temporary file), AN_ENOMEM. Records are read back
 * one at a time: memory does not grow with the number written. */
AN_EXPORT an_status an_evidence_write_jsonl(const an_evidence *ev, const an_gazetteer *gz,
                                            FILE *out, an_error *err);
/* The same lines for the one pair {a, b} (none when it has no record). */
AN_EXPORT an_status an_evidence_write_pair(const an_evidence *ev, const an_gazetteer *gz,
                                           size_t a, size_t b, FILE *out, an_error *err);

#ifdef __cplusplus
}
#endif
#endif
