/* libFuzzer target: the corpus pass of one thread against several, as the
 * CLI runs it. The input is documents separated by 0x1E bytes, scanned with
 * the fuzz_matcher gazetteer; each goes to an_counts_add and an_evidence_add
 * of one "whole" accumulator and of one of two "shard" accumulators (chosen by
 * a bit pattern), which are then merged. The first two bytes choose the
 * window (sentence, paragraph, document, tokens:N), the counting mode,
 * distance weighting, K, whether actors' own windows are kept, the evidence
 * buffer (none, 200 bytes, the default: records spill to the temporary file)
 * and when the shard stores are parked.
 * Invariants: the merged counts write the same counts file as the whole
 * ones and the merged evidence the same JSON Lines (exact, order-independent
 * merge); every pair has 1 <= documents <= windows and documents <= the
 * number of documents; every pair with evidence has counts, and at most K
 * records whose windows lie inside their document. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/actornet.h"
#include "fuzz_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_DOCS = 64 };

typedef struct acc {
    an_counts *c;
    an_evidence *ev;
} acc;

static void acc_open(acc *a, const an_count_options *co, size_t k, int actors, size_t buffer) {
    if (an_counts_create(an_gazetteer_actor_count(g_gz), an_gazetteer_alias_count(g_gz), co,
                         &a->c) != AN_OK ||
        an_evidence_create(k, &a->ev) != AN_OK || an_evidence_keep_actors(a->ev, actors) != AN_OK)
        abort();
    if (buffer != (size_t)-1 && an_evidence_set_buffer(a->ev, buffer) != AN_OK) abort();
}

static void acc_close(acc *a) {
    an_counts_destroy(a->c);
    an_evidence_destroy(a->ev);
}

/* What the accumulator writes: its counts file, then its evidence. */
static char *dump(const acc *a, size_t *len) {
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f) abort();
    if (an_counts_write(a->c, g_gz, NULL, f, NULL) != AN_OK) abort();
    if (an_evidence_write_jsonl(a->ev, g_gz, f, NULL) != AN_OK) abort();
    if (fclose(f) != 0) abort();
    return buf;
}

static void check_pairs(const acc *a, size_t n_docs, size_t k) {
    an_pair_counts *p = NULL;
    size_t n = 0;
    if (an_counts_pairs(a->c, &p, &n) != AN_OK) abort();
    for (size_t i = 0; i < n; i++) {
        if (p[i].a >= p[i].b || p[i].documents < 1 || p[i].documents > p[i].windows ||
            p[i].documents > n_docs)
            abort();
        size_t m = 0;
        const an_evidence_item *it = an_evidence_pair(a->ev, p[i].a, p[i].b, &m);
        if (m > k || (m && !it)) abort();
        for (size_t j = 0; j < m; j++)
            if (it[j].a != p[i].a || it[j].b != p[i].b || it[j].start > it[j].end ||
                it[j].doc_seq >= n_docs)
                abort();
    }
    if (an_evidence_pair_count(a->ev) > n) abort(); /* no evidence without counts */
    an_counts_pairs_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!g_gz) setup();
    if (size < 2) return 0;
    uint8_t o0 = data[0], o1 = data[1];
    data += 2;
    size -= 2;

    an_count_options co;
    memset(&co, 0, sizeof co);
    static const an_window windows[] = {AN_WINDOW_SENTENCE, AN_WINDOW_PARAGRAPH,
                                        AN_WINDOW_DOCUMENT, AN_WINDOW_TOKENS};
    co.window = windows[o0 & 3];
    co.mode = (o0 >> 2) & 1 ? AN_COUNT_MENTION_PAIRS : AN_COUNT_WINDOWS;
    co.tokens = 1 + ((o0 >> 3) & 7);
    co.distance_weighting = (o0 >> 6) & 1;
    int accent = o0 >> 7;
    size_t k = 1 + (o1 & 3);
    int actors = (o1 >> 2) & 1;
    static const size_t buffers[] = {0, 200, (size_t)-1, (size_t)-1};
    size_t buffer = buffers[(o1 >> 3) & 3];
    unsigned park = (o1 >> 5) & 7; /* park a shard after documents d with d % 8 == park */

    acc whole, shard[2];
    acc_open(&whole, &co, k, actors, buffer);
    acc_open(&shard[0], &co, k, actors, buffer);
    acc_open(&shard[1], &co, k, actors, (size_t)-1);
    an_mentions m;
    an_mentions_init(&m);
    size_t n_docs = 0;
    for (size_t at = 0; at <= size && n_docs < MAX_DOCS; n_docs++) {
        const uint8_t *end = memchr(data + at, 0x1E, size - at);
        size_t len = end ? (size_t)(end - (data + at)) : size - at;
        const char *text = (const char *)data + at;
        if (an_matcher_scan(g_m[accent], text, len, 0, &m, NULL) != AN_OK) abort();
        acc *to = &shard[(n_docs * 5 + o1) % 3 == 0];
        for (acc *a = &whole; a; a = a == &whole ? to : NULL) {
            if (an_counts_add(a->c, &m) != AN_OK) abort();
            if (an_evidence_add(a->ev, n_docs, "d", text, len, &m, &co) != AN_OK) abort();
        }
        if (n_docs % 8 == park && an_evidence_park(to->ev) != AN_OK) abort();
        at += len + 1;
    }
    an_mentions_finish(&m);
    check_pairs(&whole, n_docs, k);

    /* merge the shards, one into the other or the other way round */
    acc *dst = &shard[o1 & 1], *src = &shard[!(o1 & 1)];
    if (an_counts_merge(dst->c, src->c) != AN_OK) abort();
    if (an_evidence_merge(dst->ev, src->ev) != AN_OK) abort();
    check_pairs(dst, n_docs, k);
    size_t lw = 0, lm = 0;
    char *w = dump(&whole, &lw), *mg = dump(dst, &lm);
    if (lw != lm || memcmp(w, mg, lw) != 0) abort();
    free(w);
    free(mg);
    acc_close(&whole);
    acc_close(&shard[0]);
    acc_close(&shard[1]);
    return 0;
}
