/* Co-mention counting: windows, once-per-window rule, pair documents, merge. */
#include <stdint.h>

#include "actornet/cooc.h"
#include "core/internal.h"
#include "test_util.h"
#include "test_alloc.h"

/* A hand-built document: mentions as (actor, alias, sentence, paragraph). */
typedef struct doc {
    size_t n;
    an_mention items[400];
    size_t n_sentences, n_paragraphs, bytes;
} doc;

static void doc_start(doc *d, size_t n_sentences, size_t n_paragraphs, size_t bytes) {
    memset(d, 0, sizeof *d);
    d->n_sentences = n_sentences;
    d->n_paragraphs = n_paragraphs;
    d->bytes = bytes;
}

static void doc_add(doc *d, size_t actor, size_t alias, uint32_t sentence, uint32_t paragraph) {
    an_mention *m = &d->items[d->n];
    m->start = d->n * 10;
    m->end = m->start + 5;
    m->actor = actor;
    m->alias = alias;
    m->token = (uint32_t)d->n * 2;
    m->sentence = sentence;
    m->paragraph = paragraph;
    d->n++;
}

static an_mentions doc_view(doc *d) {
    an_mentions m;
    memset(&m, 0, sizeof m);
    m.items = d->items;
    m.count = d->n;
    m.n_sentences = d->n_sentences;
    m.n_paragraphs = d->n_paragraphs;
    m.doc_bytes = d->bytes;
    return m;
}

static an_status add(an_counts *c, doc *d) {
    an_mentions m = doc_view(d);
    return an_counts_add(c, &m);
}

static an_counts *make(size_t n_actors, size_t n_aliases, an_window w) {
    an_count_options o = {.window = w};
    an_counts *c = NULL;
    T_OK(an_counts_create(n_actors, n_aliases, &o, &c));
    return c;
}

/* Pair (a, b) windows and documents via an_counts_pairs; 0/0 when absent. */
static void pair_of(const an_counts *c, size_t a, size_t b, uint64_t *w, uint64_t *d) {
    an_pair_counts *p = NULL;
    size_t n = 0;
    *w = *d = 0;
    T_OK(an_counts_pairs(c, &p, &n));
    for (size_t i = 0; i < n; i++) {
        if (p[i].a == a && p[i].b == b) {
            *w = p[i].windows;
            *d = p[i].documents;
        }
    }
    an_counts_pairs_free(p);
}

#define T_PAIR(c, a, b, ew, ed)                                                          \
    do {                                                                                 \
        uint64_t t_w, t_d;                                                               \
        pair_of((c), (a), (b), &t_w, &t_d);                                              \
        T_EQ_INT(t_w, (ew));                                                             \
        T_EQ_INT(t_d, (ed));                                                             \
    } while (0)

/* Doc 1: 4 sentences in 2 paragraphs.
 *   s0 (p0): A B A      s1 (p0): C      s2 (p1): B C      s3 (p1): -
 * Doc 2: 1 sentence, 1 paragraph: D B A. */
static void build_doc1(doc *d) {
    doc_start(d, 4, 2, 120);
    doc_add(d, 0, 0, 0, 0);
    doc_add(d, 1, 1, 0, 0);
    doc_add(d, 0, 2, 0, 0);
    doc_add(d, 2, 3, 1, 0);
    doc_add(d, 1, 1, 2, 1);
    doc_add(d, 2, 4, 2, 1);
}

static void build_doc2(doc *d) {
    doc_start(d, 1, 1, 30);
    doc_add(d, 3, 5, 0, 0);
    doc_add(d, 1, 1, 0, 0);
    doc_add(d, 0, 0, 0, 0);
}

static doc d1, d2, d3;

static void test_window_names(void) {
    T_EQ_STR(an_window_name(AN_WINDOW_SENTENCE), "sentence");
    T_EQ_STR(an_window_name(AN_WINDOW_PARAGRAPH), "paragraph");
    T_EQ_STR(an_window_name(AN_WINDOW_DOCUMENT), "document");
    T_ASSERT(an_window_name((an_window)7) == NULL);
    an_window w = AN_WINDOW_SENTENCE;
    T_OK(an_window_parse("paragraph", &w));
    T_EQ_INT(w, AN_WINDOW_PARAGRAPH);
    T_OK(an_window_parse("document", &w));
    T_EQ_INT(w, AN_WINDOW_DOCUMENT);
    T_OK(an_window_parse("sentence", &w));
    T_EQ_INT(w, AN_WINDOW_SENTENCE);
    T_EQ_INT(an_window_parse("Sentence", &w), AN_EINVAL);
    T_EQ_INT(an_window_parse("", &w), AN_EINVAL);
    T_EQ_INT(an_window_parse(NULL, &w), AN_EINVAL);
    T_EQ_INT(w, AN_WINDOW_SENTENCE);
}

static void test_sentence_window(void) {
    an_counts *c = make(4, 6, AN_WINDOW_SENTENCE);
    build_doc1(&d1);
    T_OK(add(c, &d1));
    T_EQ_INT(an_counts_window(c), AN_WINDOW_SENTENCE);
    T_EQ_INT(an_counts_actor_count(c), 4);
    T_EQ_INT(an_counts_documents(c), 1);
    T_EQ_INT(an_counts_bytes(c), 120);
    T_EQ_INT(an_counts_mentions(c), 6);
    T_EQ_INT(an_counts_windows(c), 4); /* s3 has no actor and still counts */
    an_actor_counts a = an_counts_actor(c, 0);
    T_EQ_INT(a.mentions, 2);
    T_EQ_INT(a.windows, 1); /* A twice in s0: once */
    T_EQ_INT(a.documents, 1);
    a = an_counts_actor(c, 1);
    T_EQ_INT(a.mentions, 2);
    T_EQ_INT(a.windows, 2);
    a = an_counts_actor(c, 2);
    T_EQ_INT(a.windows, 2);
    a = an_counts_actor(c, 3);
    T_EQ_INT(a.mentions, 0);
    T_EQ_INT(a.windows, 0);
    T_EQ_INT(a.documents, 0);
    T_EQ_INT(an_counts_alias_hits(c, 0), 1);
    T_EQ_INT(an_counts_alias_hits(c, 1), 2);
    T_EQ_INT(an_counts_alias_hits(c, 2), 1);
    T_EQ_INT(an_counts_alias_hits(c, 5), 0);
    T_EQ_INT(an_counts_alias_hits(c, 6), 0); /* out of range */
    T_EQ_INT(an_counts_pair_count(c), 2);
    T_PAIR(c, 0, 1, 1, 1);
    T_PAIR(c, 1, 2, 1, 1);
    T_PAIR(c, 0, 2, 0, 0);

    build_doc2(&d2);
    T_OK(add(c, &d2));
    T_EQ_INT(an_counts_documents(c), 2);
    T_EQ_INT(an_counts_windows(c), 5);
    T_EQ_INT(an_counts_bytes(c), 150);
    T_EQ_INT(an_counts_mentions(c), 9);
    T_EQ_INT(an_counts_pair_count(c), 4);
    T_PAIR(c, 0, 1, 2, 2);
    T_PAIR(c, 1, 2, 1, 1);
    T_PAIR(c, 0, 3, 1, 1);
    T_PAIR(c, 1, 3, 1, 1);
    a = an_counts_actor(c, 0);
    T_EQ_INT(a.mentions, 3);
    T_EQ_INT(a.windows, 2);
    T_EQ_INT(a.documents, 2);
    a = an_counts_actor(c, 3);
    T_EQ_INT(a.mentions, 1);
    T_EQ_INT(a.documents, 1);
    an_counts_destroy(c);
}

static void test_paragraph_window(void) {
    an_counts *c = make(4, 6, AN_WINDOW_PARAGRAPH);
    build_doc1(&d1);
    T_OK(add(c, &d1));
    T_EQ_INT(an_counts_windows(c), 2);
    T_EQ_INT(an_counts_actor(c, 0).windows, 1);
    T_EQ_INT(an_counts_actor(c, 1).windows, 2);
    T_EQ_INT(an_counts_actor(c, 2).windows, 2);
    T_EQ_INT(an_counts_pair_count(c), 3);
    T_PAIR(c, 0, 1, 1, 1);
    T_PAIR(c, 0, 2, 1, 1);
    T_PAIR(c, 1, 2, 2, 1); /* two paragraphs, one document */
    an_counts_destroy(c);
}

static void test_document_window(void) {
    an_counts *c = make(4, 6, AN_WINDOW_DOCUMENT);
    build_doc1(&d1);
    build_doc2(&d2);
    T_OK(add(c, &d1));
    T_OK(add(c, &d2));
    T_EQ_INT(an_counts_windows(c), 2);
    T_EQ_INT(an_counts_actor(c, 0).windows, 2);
    T_EQ_INT(an_counts_actor(c, 2).windows, 1);
    T_EQ_INT(an_counts_pair_count(c), 5);
    T_PAIR(c, 0, 1, 2, 2);
    T_PAIR(c, 0, 2, 1, 1);
    T_PAIR(c, 1, 2, 1, 1);
    T_PAIR(c, 0, 3, 1, 1);
    T_PAIR(c, 1, 3, 1, 1);
    T_PAIR(c, 2, 3, 0, 0);

    /* A document with text but no actor is one window; an empty one is none. */
    doc_start(&d3, 3, 2, 50);
    T_OK(add(c, &d3));
    T_EQ_INT(an_counts_windows(c), 3);
    doc_start(&d3, 0, 0, 0);
    T_OK(add(c, &d3));
    T_EQ_INT(an_counts_windows(c), 3);
    T_EQ_INT(an_counts_documents(c), 4);
    T_EQ_INT(an_counts_bytes(c), 200);
    an_counts_destroy(c);
}

static void test_empty_windows_count(void) {
    an_counts *s = make(2, 2, AN_WINDOW_SENTENCE);
    an_counts *p = make(2, 2, AN_WINDOW_PARAGRAPH);
    doc_start(&d3, 3, 2, 50); /* text, no actor */
    T_OK(add(s, &d3));
    T_OK(add(p, &d3));
    T_EQ_INT(an_counts_windows(s), 3);
    T_EQ_INT(an_counts_windows(p), 2);
    T_EQ_INT(an_counts_mentions(s), 0);
    T_EQ_INT(an_counts_pair_count(s), 0);
    an_pair_counts *pairs = (an_pair_counts *)&pairs;
    size_t n = 99;
    T_OK(an_counts_pairs(s, &pairs, &n));
    T_ASSERT(pairs == NULL);
    T_EQ_INT(n, 0);
    an_counts_destroy(s);
    an_counts_destroy(p);
}

/* The same pair in two sentences of one document: 2 windows, 1 document. */
static void test_pair_documents(void) {
    an_counts *c = make(3, 3, AN_WINDOW_SENTENCE);
    doc_start(&d3, 3, 1, 60);
    doc_add(&d3, 2, 2, 0, 0);
    doc_add(&d3, 0, 0, 0, 0);
    doc_add(&d3, 0, 0, 1, 0);
    doc_add(&d3, 2, 2, 1, 0);
    doc_add(&d3, 2, 2, 1, 0);
    T_OK(add(c, &d3));
    T_PAIR(c, 0, 2, 2, 1);
    T_EQ_INT(an_counts_actor(c, 2).mentions, 3);
    T_EQ_INT(an_counts_actor(c, 2).windows, 2);
    T_EQ_INT(an_counts_actor(c, 2).documents, 1);
    T_OK(add(c, &d3));
    T_PAIR(c, 0, 2, 4, 2);
    an_counts_destroy(c);
}

/* Mentions whose windows are not in order (not what the matcher produces,
 * but accepted): each window still counts once. */
static void test_unsorted_windows(void) {
    an_counts *c = make(3, 3, AN_WINDOW_SENTENCE);
    doc_start(&d3, 2, 1, 60);
    doc_add(&d3, 0, 0, 1, 0);
    doc_add(&d3, 1, 1, 0, 0);
    doc_add(&d3, 1, 1, 1, 0);
    doc_add(&d3, 0, 0, 0, 0);
    T_OK(add(c, &d3));
    T_PAIR(c, 0, 1, 2, 1);
    T_EQ_INT(an_counts_actor(c, 0).windows, 2);
    T_EQ_INT(an_counts_windows(c), 2);
    an_counts_destroy(c);
}

/* A segmenter reporting fewer windows than mentions refer to never makes the
 * total smaller than a pair count. */
static void test_window_total_floor(void) {
    an_counts *c = make(2, 2, AN_WINDOW_SENTENCE);
    doc_start(&d3, 1, 1, 60);
    doc_add(&d3, 0, 0, 4, 0);
    doc_add(&d3, 1, 1, 4, 0);
    T_OK(add(c, &d3));
    T_EQ_INT(an_counts_windows(c), 5);
    an_counts_destroy(c);
}

static void test_invalid(void) {
    an_counts *c = NULL;
    T_EQ_INT(an_counts_create(2, 2, NULL, NULL), AN_EINVAL);
    an_count_options bad = {.window = (an_window)9};
    T_EQ_INT(an_counts_create(2, 2, &bad, &c), AN_EINVAL);
    T_ASSERT(c == NULL);
    T_OK(an_counts_create(2, 2, NULL, &c)); /* NULL options: sentence */
    T_EQ_INT(an_counts_window(c), AN_WINDOW_SENTENCE);

    doc_start(&d3, 2, 1, 10);
    doc_add(&d3, 0, 0, 0, 0);
    doc_add(&d3, 1, 1, 0, 0);
    T_OK(add(c, &d3));
    /* An out-of-range actor or alias: rejected, counts unchanged. */
    doc_start(&d3, 2, 1, 10);
    doc_add(&d3, 0, 0, 0, 0);
    doc_add(&d3, 2, 1, 0, 0);
    T_EQ_INT(add(c, &d3), AN_EINVAL);
    d3.items[1].actor = 1;
    d3.items[1].alias = 2;
    T_EQ_INT(add(c, &d3), AN_EINVAL);
    T_EQ_INT(an_counts_documents(c), 1);
    T_EQ_INT(an_counts_mentions(c), 2);
    T_EQ_INT(an_counts_windows(c), 2);
    T_EQ_INT(an_counts_actor(c, 0).mentions, 1);
    T_PAIR(c, 0, 1, 1, 1);
    T_EQ_INT(an_counts_add(c, NULL), AN_EINVAL);
    T_EQ_INT(an_counts_add(NULL, NULL), AN_EINVAL);

    an_counts *other = make(3, 2, AN_WINDOW_SENTENCE);
    T_EQ_INT(an_counts_merge(c, other), AN_EINVAL);
    an_counts_destroy(other);
    other = make(2, 3, AN_WINDOW_SENTENCE);
    T_EQ_INT(an_counts_merge(c, other), AN_EINVAL);
    an_counts_destroy(other);
    other = make(2, 2, AN_WINDOW_PARAGRAPH);
    T_EQ_INT(an_counts_merge(c, other), AN_EINVAL);
    an_counts_destroy(other);
    T_EQ_INT(an_counts_documents(c), 1);
    an_counts_destroy(c);
    an_counts_destroy(NULL);

    /* Readers accept NULL and out-of-range indices. */
    T_EQ_INT(an_counts_documents(NULL), 0);
    T_EQ_INT(an_counts_pair_count(NULL), 0);
    T_EQ_INT(an_counts_actor(NULL, 0).mentions, 0);
}

/* ---- merge == whole, against a brute-force reference --------------------- */

#define R_ACTORS 40
#define R_ALIASES 60
#define R_DOCS 60

static uint64_t rng_state = 12345;
static uint32_t rnd(uint32_t n) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)((rng_state >> 33) % n);
}

static doc corpus[R_DOCS];

static void make_corpus(void) {
    for (size_t i = 0; i < R_DOCS; i++) {
        doc *d = &corpus[i];
        size_t n_par = 1 + rnd(4);
        size_t n_sent = n_par + rnd(6);
        doc_start(d, n_sent, n_par, 100 + rnd(1000));
        size_t n = rnd(30);
        /* sentences in order; paragraph = a non-decreasing function of sentence */
        uint32_t s = 0;
        for (size_t k = 0; k < n; k++) {
            if (rnd(3) == 0 && s + 1 < n_sent) s++;
            uint32_t p = (uint32_t)((uint64_t)s * n_par / n_sent);
            /* a skewed actor distribution so that pairs repeat */
            uint32_t actor = rnd(2) ? rnd(6) : rnd(R_ACTORS);
            doc_add(d, actor, (actor + R_ACTORS * rnd(2)) % R_ALIASES, s, p);
        }
    }
}

/* Reference: counts computed the slow, obvious way. */
typedef struct ref {
    uint64_t windows, mentions;
    uint64_t a_mentions[R_ACTORS], a_windows[R_ACTORS], a_docs[R_ACTORS];
    uint64_t p_windows[R_ACTORS][R_ACTORS], p_docs[R_ACTORS][R_ACTORS];
} ref;

static ref R;

static void reference(an_window w) {
    memset(&R, 0, sizeof R);
    for (size_t i = 0; i < R_DOCS; i++) {
        doc *d = &corpus[i];
        size_t nw = w == AN_WINDOW_SENTENCE    ? d->n_sentences
                    : w == AN_WINDOW_PARAGRAPH ? d->n_paragraphs
                                               : 1;
        R.windows += nw;
        R.mentions += d->n;
        int in_doc[R_ACTORS] = {0};
        int pair_doc[R_ACTORS][R_ACTORS];
        memset(pair_doc, 0, sizeof pair_doc);
        for (size_t k = 0; k < d->n; k++) {
            R.a_mentions[d->items[k].actor]++;
            in_doc[d->items[k].actor] = 1;
        }
        for (size_t win = 0; win < nw; win++) {
            int in_win[R_ACTORS] = {0};
            for (size_t k = 0; k < d->n; k++) {
                const an_mention *m = &d->items[k];
                size_t mw = w == AN_WINDOW_SENTENCE    ? m->sentence
                            : w == AN_WINDOW_PARAGRAPH ? m->paragraph
                                                       : 0;
                if (mw == win) in_win[m->actor] = 1;
            }
            for (size_t a = 0; a < R_ACTORS; a++) {
                if (!in_win[a]) continue;
                R.a_windows[a]++;
                for (size_t b = a + 1; b < R_ACTORS; b++) {
                    if (!in_win[b]) continue;
                    R.p_windows[a][b]++;
                    pair_doc[a][b] = 1;
                }
            }
        }
        for (size_t a = 0; a < R_ACTORS; a++) {
            R.a_docs[a] += (uint64_t)in_doc[a];
            for (size_t b = a + 1; b < R_ACTORS; b++) R.p_docs[a][b] += (uint64_t)pair_doc[a][b];
        }
    }
}

static void check_against_reference(const an_counts *c) {
    T_EQ_INT(an_counts_documents(c), R_DOCS);
    T_EQ_INT(an_counts_windows(c), R.windows);
    T_EQ_INT(an_counts_mentions(c), R.mentions);
    for (size_t a = 0; a < R_ACTORS; a++) {
        an_actor_counts ac = an_counts_actor(c, a);
        T_EQ_INT(ac.mentions, R.a_mentions[a]);
        T_EQ_INT(ac.windows, R.a_windows[a]);
        T_EQ_INT(ac.documents, R.a_docs[a]);
    }
    an_pair_counts *p = NULL;
    size_t n = 0;
    T_OK(an_counts_pairs(c, &p, &n));
    T_EQ_INT(n, an_counts_pair_count(c));
    size_t expect = 0;
    for (size_t a = 0; a < R_ACTORS; a++)
        for (size_t b = a + 1; b < R_ACTORS; b++) expect += R.p_windows[a][b] > 0;
    T_EQ_INT(n, expect);
    T_ASSERT(n > 20); /* the corpus must exercise the map */
    for (size_t i = 0; i < n; i++) {
        T_ASSERT(p[i].a < p[i].b);
        if (i) T_ASSERT(p[i - 1].a < p[i].a || (p[i - 1].a == p[i].a && p[i - 1].b < p[i].b));
        if (p[i].b >= R_ACTORS) continue;
        T_EQ_INT(p[i].windows, R.p_windows[p[i].a][p[i].b]);
        T_EQ_INT(p[i].documents, R.p_docs[p[i].a][p[i].b]);
    }
    an_counts_pairs_free(p);
}

static int same_counts(const an_counts *x, const an_counts *y) {
    int same = an_counts_documents(x) == an_counts_documents(y) &&
               an_counts_bytes(x) == an_counts_bytes(y) &&
               an_counts_mentions(x) == an_counts_mentions(y) &&
               an_counts_windows(x) == an_counts_windows(y) &&
               an_counts_pair_count(x) == an_counts_pair_count(y);
    for (size_t a = 0; a < an_counts_actor_count(x); a++) {
        an_actor_counts p = an_counts_actor(x, a), q = an_counts_actor(y, a);
        same = same && p.mentions == q.mentions && p.windows == q.windows &&
               p.documents == q.documents;
    }
    for (size_t a = 0; a < 400; a++) /* past the end reads 0 */
        same = same && an_counts_alias_hits(x, a) == an_counts_alias_hits(y, a);
    an_pair_counts *p = NULL, *q = NULL;
    size_t np = 0, nq = 0;
    T_OK(an_counts_pairs(x, &p, &np));
    T_OK(an_counts_pairs(y, &q, &nq));
    same = same && np == nq && (np == 0 || memcmp(p, q, np * sizeof *p) == 0);
    an_counts_pairs_free(p);
    an_counts_pairs_free(q);
    return same;
}

static void test_merge_equals_whole(void) {
    make_corpus();
    for (int w = 0; w < 3; w++) {
        reference((an_window)w);
        an_counts *whole = make(R_ACTORS, R_ALIASES, (an_window)w);
        for (size_t i = 0; i < R_DOCS; i++) T_OK(add(whole, &corpus[i]));
        check_against_reference(whole);

        /* two halves */
        an_counts *h1 = make(R_ACTORS, R_ALIASES, (an_window)w);
        an_counts *h2 = make(R_ACTORS, R_ALIASES, (an_window)w);
        for (size_t i = 0; i < R_DOCS; i++) T_OK(add(i < R_DOCS / 2 ? h1 : h2, &corpus[i]));
        T_ASSERT(!same_counts(h1, whole));
        T_OK(an_counts_merge(h1, h2));
        T_ASSERT(same_counts(h1, whole));

        /* three interleaved parts, merged in another order: (p2 + p0) + p1 */
        an_counts *p[3];
        for (int k = 0; k < 3; k++) p[k] = make(R_ACTORS, R_ALIASES, (an_window)w);
        for (size_t i = 0; i < R_DOCS; i++) T_OK(add(p[i % 3], &corpus[i]));
        T_OK(an_counts_merge(p[2], p[0]));
        T_OK(an_counts_merge(p[2], p[1]));
        T_ASSERT(same_counts(p[2], whole));
        /* merging an empty accumulator changes nothing; merging into one copies */
        an_counts *empty = make(R_ACTORS, R_ALIASES, (an_window)w);
        T_OK(an_counts_merge(p[2], empty));
        T_ASSERT(same_counts(p[2], whole));
        T_OK(an_counts_merge(empty, whole));
        T_ASSERT(same_counts(empty, whole));
        /* self-merge doubles */
        T_OK(an_counts_merge(empty, empty));
        T_EQ_INT(an_counts_documents(empty), 2 * R_DOCS);
        T_EQ_INT(an_counts_pair_count(empty), an_counts_pair_count(whole));
        an_counts_destroy(empty);
        for (int k = 0; k < 3; k++) an_counts_destroy(p[k]);
        an_counts_destroy(h1);
        an_counts_destroy(h2);
        an_counts_destroy(whole);
    }
}

/* One document window with 300 actors: 44,850 pairs in one go (the map grows
 * pair by pair instead of reserving the bound). */
static void test_many_pairs(void) {
    an_counts *c = make(300, 300, AN_WINDOW_DOCUMENT);
    doc_start(&d3, 1, 1, 3000);
    for (size_t a = 0; a < 300; a++) doc_add(&d3, 299 - a, a, 0, 0);
    T_OK(add(c, &d3));
    T_OK(add(c, &d3));
    T_EQ_INT(an_counts_pair_count(c), 300 * 299 / 2);
    an_pair_counts *p = NULL;
    size_t n = 0;
    T_OK(an_counts_pairs(c, &p, &n));
    T_EQ_INT(n, 44850);
    int ok = 1;
    size_t k = 0;
    for (size_t a = 0; a < 300; a++)
        for (size_t b = a + 1; b < 300; b++, k++)
            ok = ok && p[k].a == a && p[k].b == b && p[k].windows == 2 && p[k].documents == 2;
    T_ASSERT(ok);
    an_counts_pairs_free(p);
    an_counts_destroy(c);
}

/* ---- allocation failures: an_counts_add fails cleanly, counts unchanged --- */


static void test_oom(void) {
    an_allocator al = {t_malloc, t_realloc, t_free, NULL};
    an_set_allocator(&al);
    int succeeded = 0;
    for (long k = 0; k < 200 && !succeeded; k++) {
        fail_after = -1;
        an_counts *c = NULL, *ref_c = NULL;
        if (an_counts_create(300, 300, NULL, &c) != AN_OK) continue;
        T_OK(an_counts_create(300, 300, NULL, &ref_c));
        doc_start(&d3, 2, 1, 100);
        for (size_t a = 0; a < 40; a++) doc_add(&d3, a, a, 0, 0);
        T_OK(add(c, &d3));
        T_OK(add(ref_c, &d3));
        doc_start(&d3, 1, 1, 100);
        for (size_t a = 0; a < 200; a++) doc_add(&d3, 299 - a, a, 0, 0);
        fail_after = k;
        an_status st = add(c, &d3);
        fail_after = -1;
        if (st == AN_OK) {
            succeeded = 1;
            T_OK(add(ref_c, &d3));
        } else {
            T_EQ_INT(st, AN_ENOMEM);
        }
        T_ASSERT(same_counts(c, ref_c));
        an_counts_destroy(c);
        an_counts_destroy(ref_c);
    }
    T_ASSERT(succeeded);
    an_set_allocator(NULL);
}

/* core/internal.h's in-place rehash on a toy table of keys (0 = empty) with
 * hashes chosen to make long clusters, clusters that wrap around the end, and
 * keys whose new home is taken by keys not yet moved: after growing, every
 * key is found by a linear-probing lookup at the new capacity, once. */
typedef struct toy {
    uint64_t *k;
    int flavour;
} toy;
static uint64_t toy_hash(const toy *t, uint64_t key) {
    switch (t->flavour) {
    case 0: return key * 0x9E3779B97F4A7C15ull; /* spread */
    case 1: return (key % 7) << 61;             /* seven homes near the start: long clusters */
    default: return UINT64_MAX - (key % 3);     /* homes at the very end: every cluster wraps */
    }
}
static int toy_occupied(void *ctx, size_t i) { return ((toy *)ctx)->k[i] != 0; }
static uint64_t toy_hash_at(void *ctx, size_t i) {
    toy *t = ctx;
    return toy_hash(t, t->k[i]);
}
static void toy_move(void *ctx, size_t from, size_t to) {
    toy *t = ctx;
    t->k[to] = t->k[from];
    t->k[from] = 0;
}
static void toy_swap(void *ctx, size_t i, size_t j) {
    toy *t = ctx;
    uint64_t x = t->k[i];
    t->k[i] = t->k[j];
    t->k[j] = x;
}
static size_t toy_find(const toy *t, size_t cap, uint64_t key) {
    size_t i = an_i_slot_of(toy_hash(t, key), cap);
    for (size_t n = 0; n < cap; n++) {
        if (t->k[i] == key) return i;
        if (t->k[i] == 0) return SIZE_MAX;
        if (++i == cap) i = 0;
    }
    return SIZE_MAX;
}

static void test_rehash_in_place(void) {
    for (int flavour = 0; flavour < 3; flavour++) {
        for (size_t cap = 16; cap < 400; cap = an_i_table_grow(cap, 0)) {
            size_t ncap = an_i_table_grow(cap, cap - cap / 4 + 1);
            toy t = {calloc(ncap, sizeof(uint64_t)), flavour};
            size_t n = cap - cap / 4; /* fill to the load limit */
            for (uint64_t key = 1; key <= n; key++) {
                size_t i = an_i_slot_of(toy_hash(&t, key), cap);
                while (t.k[i]) i = i + 1 == cap ? 0 : i + 1;
                t.k[i] = key;
            }
            unsigned char *mark = calloc(cap / 8 + 1, 1);
            an_i_table_ops ops = {&t, toy_occupied, toy_hash_at, toy_move, toy_swap};
            an_i_rehash_in_place(cap, ncap, mark, &ops);
            size_t held = 0;
            for (size_t i = 0; i < ncap; i++) held += t.k[i] != 0;
            if (held != n) T_FAIL("flavour %d, %zu -> %zu: %zu keys, want %zu", flavour, cap, ncap, held, n);
            for (uint64_t key = 1; key <= n; key++)
                if (toy_find(&t, ncap, key) == SIZE_MAX)
                    T_FAIL("flavour %d, %zu -> %zu: key %llu lost", flavour, cap, ncap,
                           (unsigned long long)key);
            free(mark);
            free(t.k);
        }
    }
}

int main(void) {
    test_window_names();
    test_sentence_window();
    test_paragraph_window();
    test_document_window();
    test_empty_windows_count();
    test_pair_documents();
    test_unsorted_windows();
    test_window_total_floor();
    test_invalid();
    test_merge_equals_whole();
    test_many_pairs();
    test_oom();
    test_rehash_in_place();
    T_DONE();
}
