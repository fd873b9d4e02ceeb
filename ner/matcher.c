/* actornet — token-level gazetteer matcher (semantics: docs/matching.md).
 *
 * Every alias is tokenized with the same tokenizer as the text and each
 * token is turned into a key by the same normaliser (an_i_norm_key). Keys are
 * interned into one table whose slots carry two ids per key, as a token of
 * folded aliases and as a token of exact aliases; the aliases then form a
 * trie over token-id sequences (exact ids carry EXACT_BIT, so the exact and
 * folded tries never meet). Compile builds the trie in a hash map, then
 * turns it into per-state sorted child lists (see struct an_matcher).
 *
 * A scan runs the tokenizer's fast path, looks every token up (an unknown
 * token can neither start nor continue a match; words of up to 16 bytes
 * through word caches kept in the scan scratch), and walks the trie from
 * every token that starts an alias, deciding leftmost-longest (ties: exact
 * policy first, then alias order) as the walks end, without buffering the
 * text's tokens. Speed notes and measurements: the commit messages of
 * ner/matcher.c and ner/tokenize.[ch]; tests/ner/test_matcher.c (reference)
 * checks the result against a naive implementation of docs/matching.md.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/matcher.h"
#include "core/internal.h"
#include "ner/compiled.h"
#include "normalize.h"
#include "tokenize.h"

/* Bloom filter size: one bit per key, 16 bits of filter per key (rounded
 * up to a power of two): about 6% false positives at most. */
#define BLOOM_BITS_PER_KEY 16
#define EXACT_BIT 0x80000000u
/* Set on accept-list entries of aliases with a date range, so that undated
 * ones (nearly all) are accepted without reading their metadata. */
#define DATED_BIT 0x80000000u
/* Set on the ids stored in key slots of tokens that start some alias. */
#define START_BIT 0x80000000u
/* Set on slot ids whose first-token state accepts some alias, and on
 * transitions into accepting states: the accept lists are read only there. */
#define ROOTACC_BIT 0x40000000u
/* Set on slot ids whose first-token state's accept list ends with an
 * undated alias, and (UND_BIT) on transitions into such states: on an
 * undated document (date 0) that alias is the answer, so acceptance is
 * decided from bits in hand, without reading the state or its list. */
#define ROOTUND_BIT 0x20000000u
#define ACC_BIT 0x80000000u
#define UND_BIT 0x40000000u
#define STATE_MASK 0x3FFFFFFFu
#define ID_MASK 0x1FFFFFFFu
#define MAX_IDS 0x1FFFFFF0u
/* A walk's facc/xacc with this bit is state | LAZY_ACC: the last entry of
 * that state's accept list, looked up only when the match is reported. */
#define LAZY_ACC 0x80000000u

/* One table for every token key of every alias. A slot holds the first
 * eight key bytes (zero-padded; keys never contain NUL, so a key of at most
 * eight bytes is equal to a text key exactly when the padded words are
 * equal) and the key's id as a token of folded aliases and as a token of
 * exact aliases. Most text tokens are lower-case, where the folded and the
 * exact key are the same bytes, so one probe answers both questions. */
typedef struct key_slot {
    uint64_t prefix; /* 0 = empty */
    uint32_t fid, xid; /* 1-based ids (| START_BIT, ROOTACC_BIT, ROOTUND_BIT), 0 = not a key of that kind */
} key_slot;


typedef struct key_table {
    key_slot *slots;
    uint32_t *slot_off; /* slot -> offset of its key in arena (for keys of 8 bytes or more) */
    size_t mask;        /* capacity - 1 (power of two) */
    size_t n; /* keys */
    uint32_t n_fold, n_exact;
    char *arena; /* every key as a uint32_t length and its bytes */
    size_t arena_len, arena_cap;
    size_t max_len; /* longest key: longer text tokens are rejected without hashing */
    uint64_t *bloom; /* one bit per key: most text tokens never touch the slots */
    unsigned bloom_shift; /* the bit is the hash's top bits: h >> bloom_shift */
    key_slot empty; /* ids of the empty key (a token of ignorable characters only) */
    /* An ASCII token with an upper-case letter can only match an exact key
     * that is ASCII and has one too. Bit xf_bit(h) is set for the hash h of
     * each such key's folded (lower-cased) form, which the token's first
     * probe has computed anyway: the second (exact) probe is made only when
     * the bit is set (a few per cent of false positives). */
    uint64_t xfilter[64];
} key_table;

typedef struct edge {
    uint64_t key; /* (state << 32) | token id; 0 = empty */
    uint32_t next;
} edge;

typedef struct alias_meta {
    size_t actor;
    int32_t from, to;
} alias_meta;

struct an_matcher {
    key_table keys;
    edge *edges; /* compile time only: (state, token) -> state */
    /* compile time only: 1 at [id] when a fold (exact) alias starts with
     * key id, i.e. the root has that edge (START_BIT without a lookup in
     * the edge map, which is larger than the cache) */
    unsigned char *start_f, *start_x;
    size_t cap_start_f, cap_start_x;
    size_t edge_mask, n_edges;
    /* Scan time. States are renumbered so that the state after the first
     * token of fold id f is f and after exact id x is n_fold + x: a start
     * token's slot then gives its walk state without another lookup. The
     * children of state s are trans[states[s].child .. states[s + 1].child),
     * sorted by label, and its accepted aliases acc_list[states[s].acc ..
     * states[s + 1].acc): a state's data sits together, so the walks from a
     * frequent start token stay in a few cache lines, where a hash map would
     * scatter them over the whole table. sig has the bit sig_bit(label) of
     * every child label: most failing steps stop there. */
    struct state_rec {
        uint32_t child, acc;
        uint64_t sig;
    } *states;
    struct trans { uint32_t label, next; } *trans;
    uint32_t n_fold;
    uint32_t n_states;
    size_t max_tokens; /* tokens in the longest alias */
    struct acc_ent {
        uint32_t alias; /* | DATED_BIT; ascending within a state */
        uint32_t actor;
    } *acc_list;
    alias_meta *aliases;
    size_t n_aliases;
    unsigned norm_flags; /* AN_I_NORM_STRIPMARK or 0 */
    uint64_t stamp; /* unique per compiled matcher (in the process): owner of a word cache */
    /* read back with AN_COMPILED_BORROW: these arrays are in the caller's
     * buffer (bit 0: keys.slots, 1: slot_off, 2: arena, 3: bloom, 4: states,
     * 5: trans, 6: acc_list), not to be freed */
    unsigned borrowed;
};

/* ---- key tables ---------------------------------------------------------- */

static void keys_free(key_table *kt) {
    an_i_free(kt->bloom);
    an_i_free(kt->slots);
    an_i_free(kt->slot_off);
    an_i_free(kt->arena);
    memset(kt, 0, sizeof *kt);
}

/* a[0..n) (in the arena, which has 8 bytes of slack) equals b[0..n); with
 * b_over the 8 bytes from any byte of b may be read. The tail is compared
 * as one masked word, not in a loop that mispredicts on the length. */
static inline int key_eq(const char *a, const char *b, size_t n, int b_over) {
    uint64_t x, y;
    while (n >= 8) {
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y) return 0;
        a += 8;
        b += 8;
        n -= 8;
    }
    return !n || an_i_load_tail(a, n, 1) == an_i_load_tail(b, n, b_over);
}

/* Slot of the non-empty key k[0..n) (first eight bytes zero-padded in
 * prefix, hash h), or NULL. k_over: as b_over of key_eq(). */
static inline const key_slot *keys_find(const key_table *kt, const char *k, size_t n,
                                        uint64_t prefix, uint64_t h, int k_over) {
    for (size_t i = (size_t)h & kt->mask;; i = (i + 1) & kt->mask) {
        const key_slot *s = &kt->slots[i];
        if (s->prefix == prefix) {
            if (n < 8) return s; /* the zero padding makes the length part of the prefix */
            const char *a = kt->arena + kt->slot_off[i];
            uint32_t alen;
            memcpy(&alen, a, 4);
            if (alen == n && key_eq(a + 4 + 8, k + 8, n - 8, k_over)) return s;
        } else if (!s->prefix) {
            return NULL;
        }
    }
}

static inline int bloom_has(const key_table *kt, uint64_t h) {
    size_t bit = (size_t)(h >> kt->bloom_shift);
    return (int)((kt->bloom[bit >> 6] >> (bit & 63)) & 1);
}

static inline uint64_t key_prefix(const char *k, size_t n) {
    return an_i_load_tail(k, n < 8 ? n : 8, 0);
}

/* Hash of the key stored at arena offset off. */
static uint64_t arena_hash(const key_table *kt, uint32_t off) {
    uint32_t len;
    memcpy(&len, kt->arena + off, 4);
    return an_i_key_hash(kt->arena + off + 4, len);
}

static inline unsigned xf_bit(uint64_t h) { return (unsigned)(h >> 20) & 4095u; }

static inline unsigned xf_has(const key_table *kt, uint64_t h) {
    unsigned b = xf_bit(h);
    return (unsigned)(kt->xfilter[b >> 6] >> (b & 63)) & 1u;
}

static an_status keys_rehash(key_table *kt, size_t cap) {
    key_slot *slots = an_i_calloc(cap, sizeof *slots);
    uint32_t *slot_off = an_i_calloc(cap, sizeof *slot_off);
    if (!slots || !slot_off) {
        an_i_free(slots);
        an_i_free(slot_off);
        return AN_ENOMEM;
    }
    for (size_t j = 0; kt->slots && j <= kt->mask; j++) {
        if (!kt->slots[j].prefix) continue;
        uint64_t h = arena_hash(kt, kt->slot_off[j]);
        size_t i = (size_t)h & (cap - 1);
        while (slots[i].prefix) i = (i + 1) & (cap - 1);
        slots[i] = kt->slots[j];
        slot_off[i] = kt->slot_off[j];
    }
    an_i_free(kt->slots);
    an_i_free(kt->slot_off);
    kt->slots = slots;
    kt->slot_off = slot_off;
    kt->mask = cap - 1;
    return AN_OK;
}

/* Id of key k[0..n) as a token of exact (or folded) aliases, new if needed. */
static an_status keys_intern(key_table *kt, const char *k, size_t n, int exact, uint32_t *id) {
    uint64_t h = an_i_key_hash(k, n), prefix = key_prefix(k, n);
    key_slot *s = n ? NULL : &kt->empty;
    /* At most 70% full: the table is probed for most text tokens, and half
     * the size keeps more of it in cache than shorter probe runs would. */
    if (!kt->slots || 10 * (kt->n + 1) > 7 * (kt->mask + 1)) {
        size_t cap = kt->slots ? 2 * (kt->mask + 1) : 1024;
        if (keys_rehash(kt, cap)) return AN_ENOMEM;
    }
    if (n) s = (key_slot *)keys_find(kt, k, n, prefix, h, 0);
    if (!s) {
        if (kt->n >= MAX_IDS || kt->arena_len + n + 4 > UINT32_MAX) return AN_ELIMIT;
        if (an_i_grow((void **)&kt->arena, &kt->arena_cap, kt->arena_len + n + 4 + 8, 1))
            return AN_ENOMEM;
        uint32_t len32 = (uint32_t)n, off = (uint32_t)kt->arena_len;
        memcpy(kt->arena + kt->arena_len, &len32, 4);
        memcpy(kt->arena + kt->arena_len + 4, k, n);
        kt->arena_len += n + 4;
        memset(kt->arena + kt->arena_len, 0, 8); /* slack for key_eq() */
        size_t i = (size_t)h & kt->mask;
        while (kt->slots[i].prefix) i = (i + 1) & kt->mask;
        s = &kt->slots[i];
        s->prefix = prefix;
        kt->slot_off[i] = off;
        kt->n++;
        if (n > kt->max_len) kt->max_len = n;
    }
    if (exact) {
        int upper = 0, ascii = 1;
        for (size_t j = 0; j < n; j++) {
            upper |= k[j] >= 'A' && k[j] <= 'Z';
            ascii &= (unsigned char)k[j] < 0x80;
        }
        if (upper && ascii) {
            char *low = an_i_malloc(n + 1);
            if (!low) return AN_ENOMEM;
            for (size_t j = 0; j < n; j++) low[j] = (char)an_i_ascii_lower[(unsigned char)k[j]];
            unsigned b = xf_bit(an_i_key_hash(low, n));
            kt->xfilter[b >> 6] |= (uint64_t)1 << (b & 63);
            an_i_free(low);
        }
    }
    uint32_t *slot_id = exact ? &s->xid : &s->fid;
    if (!*slot_id) {
        uint32_t *count = exact ? &kt->n_exact : &kt->n_fold;
        if (*count >= MAX_IDS) return AN_ELIMIT;
        *slot_id = ++*count;
    }
    *id = *slot_id;
    return AN_OK;
}

/* ---- trie edges ---------------------------------------------------------- */

static inline size_t edge_slot(uint64_t key, size_t mask) {
    key *= 0x9E3779B97F4A7C15ull;
    return (size_t)(key ^ (key >> 29)) & mask;
}

static inline uint32_t edge_next(const an_matcher *m, uint32_t state, uint32_t tok) {
    uint64_t key = ((uint64_t)state << 32) | tok;
    for (size_t i = edge_slot(key, m->edge_mask);; i = (i + 1) & m->edge_mask) {
        const edge *e = &m->edges[i];
        if (e->key == key) return e->next;
        if (!e->key) return 0;
    }
}

static an_status edges_rehash(an_matcher *m, size_t cap) {
    edge *edges = an_i_calloc(cap, sizeof *edges);
    if (!edges) return AN_ENOMEM;
    for (size_t j = 0; m->edges && j <= m->edge_mask; j++) {
        if (!m->edges[j].key) continue;
        size_t i = edge_slot(m->edges[j].key, cap - 1);
        while (edges[i].key) i = (i + 1) & (cap - 1);
        edges[i] = m->edges[j];
    }
    an_i_free(m->edges);
    m->edges = edges;
    m->edge_mask = cap - 1;
    return AN_OK;
}

static an_status edge_add(an_matcher *m, uint32_t state, uint32_t tok, uint32_t *next) {
    uint32_t found = edge_next(m, state, tok);
    if (found) {
        *next = found;
        return AN_OK;
    }
    if (m->n_states >= 0x7FFFFFF0u) return AN_ELIMIT;
    if (2 * (m->n_edges + 1) > m->edge_mask + 1)
        if (edges_rehash(m, 2 * (m->edge_mask + 1))) return AN_ENOMEM;
    uint64_t key = ((uint64_t)state << 32) | tok;
    size_t i = edge_slot(key, m->edge_mask);
    while (m->edges[i].key) i = (i + 1) & m->edge_mask;
    m->edges[i].key = key;
    m->edges[i].next = m->n_states++;
    m->n_edges++;
    *next = m->edges[i].next;
    return AN_OK;
}

static int trans_cmp(const void *a, const void *b) {
    uint32_t x = ((const struct trans *)a)->label, y = ((const struct trans *)b)->label;
    return x < y ? -1 : x > y;
}

typedef struct acc_pair {
    uint32_t state, alias;
} acc_pair;

static inline unsigned sig_bit(uint32_t label) { return (uint32_t)(label * 0x9E3779B9u) >> 26; }

/* Scan-time states from the edge map and the (state, alias) accept pairs
 * (in alias order); frees the map. */
static an_status build_states(an_matcher *m, const acc_pair *pairs, size_t n_pairs) {
    uint64_t nf = m->keys.n_fold, nx = m->keys.n_exact;
    if (nf + nx + m->n_states >= 0x3FFFFFF0u) return AN_ELIMIT; /* state | ACC_BIT | UND_BIT */
    an_status st = AN_ENOMEM;
    uint32_t *map = an_i_malloc((size_t)m->n_states * sizeof *map), *fill = NULL;
    unsigned char *und = NULL;
    if (!map) return AN_ENOMEM;
    memset(map, 0xFF, (size_t)m->n_states * sizeof *map);
    map[0] = 0;
    size_t n_trans = 0;
    for (size_t j = 0; j <= m->edge_mask; j++) {
        const edge *e = &m->edges[j];
        if (!e->key) continue;
        if (e->key >> 32) {
            n_trans++;
            continue;
        }
        uint32_t label = (uint32_t)e->key;
        map[e->next] = (label & EXACT_BIT) ? (uint32_t)nf + (label & ~EXACT_BIT) : label;
    }
    uint32_t n = (uint32_t)(nf + nx + 1);
    for (size_t i = 1; i < m->n_states; i++)
        if (map[i] == UINT32_MAX) map[i] = n++;
    m->states = an_i_calloc((size_t)n + 1, sizeof *m->states);
    m->trans = an_i_calloc(n_trans ? n_trans : 1, sizeof *m->trans);
    m->acc_list = an_i_calloc(n_pairs ? n_pairs : 1, sizeof *m->acc_list);
    fill = an_i_malloc(((size_t)n + 1) * sizeof *fill);
    und = an_i_calloc((size_t)n + 1, 1);
    if (!m->states || !m->trans || !m->acc_list || !fill || !und) goto done;
    /* The lists end at their first undated alias (see an_matcher_compile), so a
     * state's list ends undated when its last pair (alias order) is undated. */
    for (size_t i = 0; i < n_pairs; i++) {
        const alias_meta *a = &m->aliases[pairs[i].alias];
        und[map[pairs[i].state]] = !a->from && !a->to;
    }
    for (size_t j = 0; j <= m->edge_mask; j++) {
        const edge *e = &m->edges[j];
        if (!e->key || !(e->key >> 32)) continue;
        uint32_t src = map[e->key >> 32];
        m->states[src + 1].child++;
        m->states[src].sig |= (uint64_t)1 << sig_bit((uint32_t)e->key);
    }
    for (size_t i = 0; i < n_pairs; i++) m->states[map[pairs[i].state] + 1].acc++;
    for (uint32_t i = 0; i < n; i++) {
        m->states[i + 1].child += m->states[i].child;
        m->states[i + 1].acc += m->states[i].acc;
    }
    for (uint32_t i = 0; i <= n; i++) fill[i] = m->states[i].child;
    for (size_t j = 0; j <= m->edge_mask; j++) {
        const edge *e = &m->edges[j];
        if (!e->key || !(e->key >> 32)) continue;
        struct trans *t = &m->trans[fill[map[e->key >> 32]]++];
        uint32_t nx_state = map[e->next];
        t->label = (uint32_t)e->key;
        t->next = nx_state | (m->states[nx_state + 1].acc > m->states[nx_state].acc ? ACC_BIT : 0u) |
                  (und[nx_state] ? UND_BIT : 0u);
    }
    for (uint32_t i = 0; i <= n; i++) fill[i] = m->states[i].acc;
    for (size_t i = 0; i < n_pairs; i++) {
        const alias_meta *a = &m->aliases[pairs[i].alias];
        struct acc_ent *ae = &m->acc_list[fill[map[pairs[i].state]]++];
        ae->alias = pairs[i].alias | (a->from || a->to ? DATED_BIT : 0u);
        ae->actor = (uint32_t)a->actor;
    }
    for (size_t j = 0; j <= (m->keys.slots ? m->keys.mask + 1 : 0); j++) {
        key_slot *ks = m->keys.slots && j <= m->keys.mask ? &m->keys.slots[j] : &m->keys.empty;
        uint32_t fs = ks->fid & ID_MASK, xs = (uint32_t)nf + (ks->xid & ID_MASK);
        if ((ks->fid & START_BIT) && m->states[fs + 1].acc > m->states[fs].acc)
            ks->fid |= ROOTACC_BIT | (und[fs] ? ROOTUND_BIT : 0u);
        if ((ks->xid & START_BIT) && m->states[xs + 1].acc > m->states[xs].acc)
            ks->xid |= ROOTACC_BIT | (und[xs] ? ROOTUND_BIT : 0u);
    }
    for (uint32_t i = 0; i < n; i++) {
        struct trans *t = m->trans + m->states[i].child;
        size_t k = m->states[i + 1].child - m->states[i].child;
        if (k > 16) {
            qsort(t, k, sizeof *t, trans_cmp);
            continue;
        }
        for (size_t a = 1; a < k; a++) {
            struct trans x = t[a];
            size_t b = a;
            for (; b && t[b - 1].label > x.label; b--) t[b] = t[b - 1];
            t[b] = x;
        }
    }
    m->n_fold = (uint32_t)nf;
    m->n_states = n;
    an_i_free(m->edges);
    m->edges = NULL;
    m->edge_mask = 0;
    st = AN_OK;
done:
    an_i_free(und);
    an_i_free(fill);
    an_i_free(map);
    return st;
}

/* Child of walk state s by label, 0 if none. Lower bound without branches
 * on the data, so that it does not mispredict. */
static inline uint32_t trans_next(const an_matcher *m, uint32_t s, uint32_t label) {
    const struct state_rec *sr = &m->states[s];
    if (!((sr->sig >> sig_bit(label)) & 1u)) return 0;
    const struct trans *t = m->trans + sr->child;
    size_t n = sr[1].child - sr->child;
    while (n > 1) {
        size_t half = n / 2;
        t = t[half].label <= label ? t + half : t;
        n -= half;
    }
    return t->label == label ? t->next : 0;
}

/* Places the keys again, shortest first: a key inserted earlier sits nearer
 * its hash's slot, and short tokens are the frequent ones in text, so most
 * text tokens are found at the first probe (fewer mispredicted probe loops
 * and cache lines touched). Linear probing stays valid for any order. */
static an_status keys_reorder(key_table *kt) {
    if (!kt->slots || !kt->n) return AN_OK;
    size_t cap = kt->mask + 1, n = 0, maxl = kt->max_len < 63 ? kt->max_len : 63;
    size_t *count = an_i_calloc(maxl + 2, sizeof *count);
    struct moved { key_slot s; uint32_t off, len; } *all = an_i_malloc(kt->n * sizeof *all);
    if (!count || !all) {
        an_i_free(count);
        an_i_free(all);
        return AN_ENOMEM;
    }
    for (size_t j = 0; j < cap; j++) {
        if (!kt->slots[j].prefix) continue;
        uint32_t len;
        memcpy(&len, kt->arena + kt->slot_off[j], 4);
        all[n].s = kt->slots[j];
        all[n].off = kt->slot_off[j];
        all[n].len = len < maxl ? len : (uint32_t)maxl;
        count[all[n].len + 1]++;
        n++;
    }
    for (size_t l = 1; l <= maxl + 1; l++) count[l] += count[l - 1];
    size_t *pos = count; /* pos[l]: next place of a key of (capped) length l */
    struct moved *sorted = an_i_malloc(n * sizeof *sorted);
    if (!sorted) {
        an_i_free(count);
        an_i_free(all);
        return AN_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) sorted[pos[all[i].len]++] = all[i];
    memset(kt->slots, 0, cap * sizeof *kt->slots);
    for (size_t i = 0; i < n; i++) {
        size_t j = (size_t)arena_hash(kt, sorted[i].off) & kt->mask;
        while (kt->slots[j].prefix) j = (j + 1) & kt->mask;
        kt->slots[j] = sorted[i].s;
        kt->slot_off[j] = sorted[i].off;
    }
    an_i_free(sorted);
    an_i_free(count);
    an_i_free(all);
    return AN_OK;
}

/* Key order, Bloom bits and START_BIT, once all aliases are in. */
static an_status keys_finish(const an_matcher *m, key_table *kt) {
    if (keys_reorder(kt)) return AN_ENOMEM;
    size_t words = 64;
    unsigned lg = 12; /* log2 of the bits */
    while (words * 64 < BLOOM_BITS_PER_KEY * kt->n) words *= 2, lg++;
    kt->bloom = an_i_calloc(words, sizeof *kt->bloom);
    if (!kt->bloom) return AN_ENOMEM;
    kt->bloom_shift = 64 - lg;
    for (size_t j = 0; kt->slots && j <= kt->mask; j++) {
        key_slot *s = &kt->slots[j];
        if (!s->prefix) continue;
        uint64_t h = arena_hash(kt, kt->slot_off[j]);
        size_t bit = (size_t)(h >> kt->bloom_shift);
        kt->bloom[bit >> 6] |= (uint64_t)1 << (bit & 63);
        if (s->fid && s->fid < m->cap_start_f && m->start_f[s->fid]) s->fid |= START_BIT;
        if (s->xid && s->xid < m->cap_start_x && m->start_x[s->xid]) s->xid |= START_BIT;
    }
    key_slot *s = &kt->empty;
    if (s->fid && s->fid < m->cap_start_f && m->start_f[s->fid]) s->fid |= START_BIT;
    if (s->xid && s->xid < m->cap_start_x && m->start_x[s->xid]) s->xid |= START_BIT;
    return AN_OK;
}

/* ---- compile ------------------------------------------------------------- */

AN_EXPORT void an_matcher_destroy(an_matcher *m) {
    if (!m) return;
    /* arrays in the caller's buffer are not ours to free */
    if (m->borrowed & 1u) m->keys.slots = NULL;
    if (m->borrowed & 2u) m->keys.slot_off = NULL;
    if (m->borrowed & 4u) m->keys.arena = NULL;
    if (m->borrowed & 8u) m->keys.bloom = NULL;
    if (m->borrowed & 16u) m->states = NULL;
    if (m->borrowed & 32u) m->trans = NULL;
    if (m->borrowed & 64u) m->acc_list = NULL;
    keys_free(&m->keys);
    an_i_free(m->edges);
    an_i_free(m->start_f);
    an_i_free(m->start_x);
    an_i_free(m->states);
    an_i_free(m->trans);
    an_i_free(m->acc_list);
    an_i_free(m->aliases);
    an_i_free(m);
}

/* Tokenize one alias and insert its path; *state is 0 when the alias has no
 * matchable token (only dashes, or an invalid byte that no text can match). */
static an_status add_alias(an_matcher *m, an_i_norm_buf *nb, const char *text, int exact,
                           uint32_t *state, size_t *n_tokens) {
    an_i_tokenizer tz;
    an_i_token tok;
    uint32_t s = 0;
    unsigned flags = m->norm_flags | (exact ? 0u : AN_I_NORM_FOLD);
    an_i_tokenizer_init(&tz, text, strlen(text));
    *state = 0;
    while (an_i_tokenizer_next(&tz, &tok)) {
        if (tok.barrier) return AN_OK;
        if (tok.kind == AN_I_TOK_DASH) continue;
        const char *key;
        size_t klen;
        unsigned f = flags | (tok.kind == AN_I_TOK_ABBR ? AN_I_NORM_DROPDOTS : 0u);
        an_status st = an_i_norm_key(nb, text + tok.start, tok.end - tok.start, f, &key, &klen);
        if (st == AN_EINVAL) return AN_OK; /* cannot happen for tokenizer output */
        if (st) return st;
        uint32_t id;
        st = keys_intern(&m->keys, key, klen, exact, &id);
        if (st) return st;
        if (!s) { /* first token: the root gets (or has) this edge */
            unsigned char **start = exact ? &m->start_x : &m->start_f;
            size_t *cap = exact ? &m->cap_start_x : &m->cap_start_f;
            if (id >= *cap) {
                size_t old = *cap;
                if (an_i_grow((void **)start, cap, (size_t)id + 1, 1)) return AN_ENOMEM;
                memset(*start + old, 0, *cap - old);
            }
            (*start)[id] = 1;
        }
        st = edge_add(m, s, exact ? id | EXACT_BIT : id, &s);
        if (st) return st;
        ++*n_tokens;
    }
    if (tz.barrier) return AN_OK; /* trailing invalid bytes */
    *state = s;
    return AN_OK;
}

AN_EXPORT an_status an_matcher_compile(const an_gazetteer *gz, const an_matcher_options *opts,
                                       an_matcher **out, an_error *err) {
    if (!gz || !out) return an_i_error(err, AN_EINVAL, NULL, 0, 0, "matcher: NULL argument");
    an_status st = AN_ENOMEM;
    an_i_norm_buf nb = {0};
    acc_pair *pairs = NULL;
    size_t n_pairs = 0;
    an_matcher *m = an_i_calloc(1, sizeof *m);
    if (!m) goto fail;
    m->norm_flags = (opts && opts->accent_insensitive) ? AN_I_NORM_STRIPMARK : 0u;
    {
        static atomic_uint_fast64_t stamps;
        m->stamp = (uint64_t)atomic_fetch_add(&stamps, 1) + 1;
    }
    m->n_aliases = an_gazetteer_alias_count(gz);
    if (m->n_aliases >= MAX_IDS) {
        st = AN_ELIMIT;
        goto fail;
    }
    m->aliases = an_i_calloc(m->n_aliases ? m->n_aliases : 1, sizeof *m->aliases);
    pairs = an_i_calloc(m->n_aliases ? m->n_aliases : 1, sizeof *pairs);
    if (!m->aliases || !pairs) goto fail;
    m->n_states = 1; /* the root */
    /* Grown by doubling: sizing it for all aliases up front was slower in
     * a fresh process (every insert into a table larger than L2, all pages
     * faulted in at once) though faster in a warm loop. */
    if (edges_rehash(m, 1024)) goto fail;

    for (size_t i = 0; i < m->n_aliases; i++) {
        an_alias_info info;
        st = an_gazetteer_alias(gz, i, &info);
        if (st) goto fail;
        m->aliases[i].actor = info.actor;
        if (info.actor > UINT32_MAX) {
            st = AN_ELIMIT;
            goto fail;
        }
        m->aliases[i].from = info.date_from;
        m->aliases[i].to = info.date_to;
        if (!info.text) continue;
        uint32_t state;
        size_t n_tokens = 0;
        st = add_alias(m, &nb, info.text, info.policy == AN_CASE_EXACT, &state, &n_tokens);
        if (st) goto fail;
        if (state) {
            if (n_tokens > m->max_tokens) m->max_tokens = n_tokens;
            pairs[n_pairs].state = state;
            pairs[n_pairs].alias = (uint32_t)i;
            n_pairs++;
        }
    }

    /* Accepting aliases per state, by counting sort: pairs are in alias order,
     * so each state's list comes out ascending (= tie-break order). An alias
     * without a date range is active on every date, so a state's list ends
     * at its first undated alias: nothing after it is ever reported, and on
     * an undated document (no dated alias is active) the answer is the last
     * entry or none, found without a loop. */
    {
        unsigned char *done = an_i_calloc(m->n_states, 1);
        if (!done) goto fail;
        size_t k = 0;
        for (size_t i = 0; i < n_pairs; i++) {
            uint32_t s = pairs[i].state;
            if (done[s]) continue;
            const alias_meta *a = &m->aliases[pairs[i].alias];
            if (!a->from && !a->to) done[s] = 1;
            pairs[k++] = pairs[i];
        }
        n_pairs = k;
        an_i_free(done);
    }
    st = keys_finish(m, &m->keys);
    an_i_free(m->start_f);
    an_i_free(m->start_x);
    m->start_f = m->start_x = NULL;
    m->cap_start_f = m->cap_start_x = 0;
    if (!st) st = build_states(m, pairs, n_pairs);
    if (st) goto fail;
    an_i_free(pairs);
    an_i_norm_buf_free(&nb);
    *out = m;
    return AN_OK;

fail:
    an_i_free(pairs);
    an_i_norm_buf_free(&nb);
    an_matcher_destroy(m);
    if (st == AN_ELIMIT)
        return an_i_error(err, st, NULL, 0, 0, "matcher: too many aliases or alias tokens");
    if (st == AN_EINVAL)
        return an_i_error(err, st, NULL, 0, 0, "matcher: cannot read gazetteer alias");
    return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "matcher: out of memory");
}

/* ---- scan ---------------------------------------------------------------- */

/* A trie walk from one start token; walks are kept in start order until the
 * walk of the leftmost start is over, so that leftmost-longest can be
 * decided without storing the text's tokens. */
typedef struct walk_rec {
    size_t start, fend, xend;  /* first token's start; end of the best fold/exact match */
    uint64_t ord;              /* ordinal of the first token among kept tokens */
    uint64_t fbest, xbest;     /* ordinal of the last token of the best match, 0 = none */
    uint32_t fs, xs;           /* live fold/exact walk states, 0 = over */
    uint32_t facc, xacc;       /* acc_list entry of the best fold/exact match */
    uint32_t index;            /* of the first token */
} walk_rec;

/* The sentence and paragraph of every walk in progress: no walk goes on into
 * another sentence, so they are the scan's, not each walk's. */
typedef struct walk_where {
    uint32_t sentence, paragraph;
} walk_where;

/* Word cache: the ids of recently seen short words, by the word as the
 * tokenizer hands it over (w8: bytes in original case, zero-padded, never
 * 0), direct-mapped. Nine tokens in ten are such words and a few hundred
 * frequent words make up most of them, so a hit (one load instead of the
 * hash, the Bloom bit, the key slot and the case logic, and no branch on
 * whether the word is a key) is the common case.
 * It is filled during scans, so it lives in the scan scratch (one per
 * thread; the matcher stays immutable) and belongs to the matcher whose
 * stamp it carries: a scan with another matcher empties it first.
 * 16384 entries (256 KB; the frequent words' lines stay in L1): with 4096
 * a miss, which costs key-table cache misses, was 2.8% of lookups, here
 * 0.8% (Phoenix corpus). Two-way sets of the same total size missed less
 * but mispredicted which way hit. */
#define WC_BITS 14
typedef struct wc_ent {
    uint64_t w8; /* 0 = empty */
    uint32_t fid, xid;
} wc_ent;

static inline size_t wc_index(uint64_t w8) {
    return (size_t)((w8 * 0x9E3779B97F4A7C15ull) >> (64 - WC_BITS));
}

/* The same for ASCII words of 8 to 16 bytes (one in ten tokens), by their
 * first eight bytes and the rest zero-padded: 8192 entries (256 KB; misses
 * 2.1% of lookups, 6.4% with 2048). */
#define LWC_BITS 13
typedef struct lwc_ent {
    uint64_t lo, hi; /* lo = 0: empty */
    uint32_t fid, xid;
    uint64_t pad; /* 32-byte entries: two per cache line */
} lwc_ent;

static inline size_t lwc_index(uint64_t lo, uint64_t hi) {
    return (size_t)(((lo ^ (hi * 0xC2B2AE3D27D4EB4Full)) * 0x9E3779B97F4A7C15ull) >> (64 - LWC_BITS));
}

/* The same for words with non-ASCII bytes (Cyrillic, Greek, Arabic, accented
 * Latin) of at most UWC_MAX bytes, by their bytes as written (and whether the
 * tokenizer made an ABBR token of them): their ids otherwise cost a Unicode
 * normalisation (NFKC and case folding, in utf8proc) per token, which was
 * two thirds of a scan of Russian text. 16384 entries of 40 bytes (with 8192,
 * 13 % slower on the Cyrillic corpus of bench/gen_script.py), from calloc:
 * with glibc the pages that English text never touches are not faulted in. */
#define UWC_BITS 14
#define UWC_MAX 30
typedef struct uwc_ent {
    unsigned char len; /* 0: empty */
    unsigned char abbr;
    char bytes[UWC_MAX];
    uint32_t fid, xid;
} uwc_ent;

/* Words of up to 16 bytes (CJK characters, most Indic words, Cyrillic
 * words of up to eight letters) are hashed and compared as two zero-padded
 * words w[0], w[1]: no hash loop and no memcmp call per token. */
#define UWC_WORDS 16
static inline size_t uwc_index(const char *s, size_t n, const uint64_t *w, unsigned abbr) {
    uint64_t h = n <= UWC_WORDS ? w[0] ^ (w[1] * 0xC2B2AE3D27D4EB4Full) ^ ((uint64_t)n << 59)
                                : an_i_key_hash(s, n);
    return (size_t)(((h ^ abbr) * 0x9E3779B97F4A7C15ull) >> (64 - UWC_BITS));
}

static inline int uwc_same(const uwc_ent *e, const char *s, size_t n, const uint64_t *w,
                           unsigned abbr) {
    if (e->len != n || e->abbr != abbr) return 0;
    if (n <= UWC_WORDS) { /* bytes past len are zero in an entry */
        uint64_t x[2];
        memcpy(x, e->bytes, 16);
        return x[0] == w[0] && x[1] == w[1];
    }
    return memcmp(e->bytes, s, n) == 0;
}

typedef struct scan_scratch {
    wc_ent *wc;
    lwc_ent *lwc;
    uwc_ent *uwc;
    uint64_t wc_stamp; /* stamp of the matcher whose ids wc holds */
    walk_rec *walks;
    size_t cap_walks;
    an_i_norm_buf nb;
    char *kbuf;
    size_t cap_kbuf;
} scan_scratch;

AN_EXPORT void an_mentions_init(an_mentions *m) {
    if (m) memset(m, 0, sizeof *m);
}

AN_EXPORT void an_mentions_finish(an_mentions *m) {
    if (!m) return;
    scan_scratch *sc = m->scratch;
    if (sc) {
        an_i_free(sc->walks);
        an_i_free(sc->wc);
        an_i_free(sc->lwc);
        an_i_free(sc->uwc);
        an_i_norm_buf_free(&sc->nb);
        an_i_free(sc->kbuf);
        an_i_free(sc);
    }
    an_i_free(m->items);
    an_i_free(m->sentences);
    memset(m, 0, sizeof *m);
}

static inline int alias_active(const alias_meta *a, int32_t date) {
    if (!a->from && !a->to) return 1;
    if (!date) return 0;
    return (!a->from || date >= a->from) && (!a->to || date <= a->to);
}

/* Accept-list entry of the first active alias accepted by state s into
 * *acc; 0 if none. */
static inline int accepts(const an_matcher *m, uint32_t s, int32_t date, uint32_t *acc) {
    uint32_t a = m->states[s].acc, e = m->states[s + 1].acc;
    if (!date) { /* only the undated alias that ends the list can be active */
        if (a == e || (m->acc_list[e - 1].alias & DATED_BIT)) return 0;
        *acc = e - 1;
        return 1;
    }
    for (; a < e; a++) {
        uint32_t v = m->acc_list[a].alias;
        if (!(v & DATED_BIT) || alias_active(&m->aliases[v & ~DATED_BIT], date)) {
            *acc = a;
            return 1;
        }
    }
    return 0;
}

/* accepts() for a state reached with the flags has (non-empty list) and
 * und (list ends undated) in hand: on an undated document without reading
 * the state (*acc = LAZY_ACC | s, resolved by emit()). */
static inline int accepts_f(const an_matcher *m, uint32_t s, uint32_t has, uint32_t und,
                            int32_t date, uint32_t *acc) {
    if (!date) {
        if (!und) return 0;
        *acc = LAZY_ACC | s;
        return 1;
    }
    return has && accepts(m, s, date, acc);
}

static inline const key_slot *lookup(const key_table *kt, const char *k, size_t n,
                                     uint64_t prefix, uint64_t h, int k_over) {
    return bloom_has(kt, h) ? keys_find(kt, k, n, prefix, h, k_over) : NULL;
}

/* Slot ids of key k[0..n) (any origin), fid/xid | START_BIT, 0 if absent. */
static inline void key_ids(const key_table *kt, const char *k, size_t n, uint32_t *fid,
                           uint32_t *xid, int want_f, int want_x) {
    const key_slot *sl = !n ? &kt->empty
                       : n <= kt->max_len ? lookup(kt, k, n, key_prefix(k, n), an_i_key_hash(k, n), 0)
                                          : NULL;
    if (!sl) return;
    if (want_f) *fid = sl->fid;
    if (want_x) *xid = sl->xid;
}

/* Ids of an ASCII word of n < 8 bytes or a punctuation byte, in hand in
 * w8 (see token_ids): as an_i_ascii_fold_hash_u. */
static inline void token_ids_w8(const key_table *kt, uint64_t w8, size_t n, uint32_t *fid,
                                uint32_t *xid) {
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t upper = (w8 + ones * (0x80 - 'A')) & ~(w8 + ones * (0x80 - 'Z' - 1)) & highs;
    uint64_t low = w8 | (upper >> 2), h0 = AN_I_HASH_K0 ^ (uint64_t)n;
    uint64_t h = an_i_hash_mix(h0 ^ low ^ AN_I_HASH_K2, AN_I_HASH_K1 ^ (uint64_t)n);
    const key_slot *sl = lookup(kt, NULL, n, low, h, 0);
    /* all ones when there is no upper-case letter, without a branch */
    uint32_t same = (uint32_t)((upper | (0 - upper)) >> 63) - 1u;
    *fid = *xid = 0;
    if (sl) {
        *fid = sl->fid;
        *xid = sl->xid & same;
    }
    if ((upper != 0) & xf_has(kt, h)) { /* one branch, rarely taken */
        h = an_i_hash_mix(h0 ^ w8 ^ AN_I_HASH_K2, AN_I_HASH_K1 ^ (uint64_t)n);
        sl = lookup(kt, NULL, n, w8, h, 0);
        if (sl) *xid = sl->xid;
    }
}

/* Ids of the ASCII word s[0..n) (not an ABBR token); kbuf: room for n + 8
 * bytes. overread_ok: the 8 bytes after the word may be read. */
static inline void token_ids_ascii(const key_table *kt, char *kbuf, const char *s, size_t n,
                                   int overread_ok, uint32_t *fid, uint32_t *xid) {
    uint64_t upper, prefix;
    *fid = *xid = 0;
    if (n > kt->max_len) return;
    uint64_t h = an_i_ascii_fold_hash_u(s, n, kbuf, overread_ok, &upper);
    memcpy(&prefix, kbuf, 8);
    const key_slot *sl = lookup(kt, kbuf, n, prefix, h, 1);
    uint32_t same = (uint32_t)((upper | (0 - upper)) >> 63) - 1u;
    if (sl) {
        *fid = sl->fid;
        *xid = sl->xid & same;
    }
    if ((upper != 0) & xf_has(kt, h)) {
        h = an_i_key_hash_x(s, n, overread_ok);
        sl = lookup(kt, s, n, an_i_load_tail(s, n < 8 ? n : 8, overread_ok), h, overread_ok);
        if (sl) *xid = sl->xid;
    }
}

/* Ids (| START_BIT) of the token as a token of folded and of exact aliases.
 * Short ASCII words and punctuation (w8 != 0, nine tokens in ten in news
 * text) are looked up in the scan's word cache first, ASCII words of 8 to
 * 16 bytes in the long-word cache; a miss looks the word up and fills the
 * entry. There (and for longer words) pure-ASCII words are lower-cased and
 * hashed eight bytes at a time and mostly rejected by the Bloom bits; when
 * they hold no upper-case letter their exact key is the folded one and one
 * probe serves both. */
static inline an_status token_ids(const an_matcher *m, scan_scratch *sc, const char *text,
                                  size_t len, const an_i_token *tok, uint64_t w8, int use_exact,
                                  uint32_t *fid, uint32_t *xid) {
    const key_table *kt = &m->keys;
    if (w8) {
        wc_ent *e = &sc->wc[wc_index(w8)];
        if (e->w8 == w8) {
            *fid = e->fid;
            *xid = e->xid;
            return AN_OK;
        }
        token_ids_w8(kt, w8, tok->end - tok->start, fid, xid);
        e->w8 = w8;
        e->fid = *fid;
        e->xid = *xid;
        return AN_OK;
    }
    const char *s = text + tok->start;
    size_t n = tok->end - tok->start;
    *fid = *xid = 0;
    if (tok->ascii && tok->kind != AN_I_TOK_ABBR) {
        int overread_ok = tok->end + 8 <= len;
        if (n - 8 <= 8) { /* 8 to 16 bytes: the long-word cache */
            uint64_t lo, hi = an_i_load_tail(s + 8, n - 8, overread_ok);
            memcpy(&lo, s, 8);
            lwc_ent *e = &sc->lwc[lwc_index(lo, hi)];
            if (e->lo == lo && e->hi == hi) {
                *fid = e->fid;
                *xid = e->xid;
                return AN_OK;
            }
            token_ids_ascii(kt, sc->kbuf, s, n, overread_ok, fid, xid);
            e->lo = lo;
            e->hi = hi;
            e->fid = *fid;
            e->xid = *xid;
            return AN_OK;
        }
        token_ids_ascii(kt, sc->kbuf, s, n, overread_ok, fid, xid);
        return AN_OK;
    }
    if (tok->ascii) { /* "U.S." */
        if (n > 2 * kt->max_len + 2) return AN_OK;
        const unsigned char *u = (const unsigned char *)s;
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (u[i] != '.') sc->kbuf[k++] = (char)an_i_ascii_lower[u[i]];
        key_ids(kt, sc->kbuf, k, fid, xid, 1, 0);
        if (use_exact) {
            k = 0;
            for (size_t i = 0; i < n; i++)
                if (u[i] != '.') sc->kbuf[k++] = (char)u[i];
            key_ids(kt, sc->kbuf, k, fid, xid, 0, 1);
        }
        return AN_OK;
    }
    unsigned abbr = tok->kind == AN_I_TOK_ABBR;
    uwc_ent *e = NULL;
    if (n - 1 < UWC_MAX) { /* 1 to UWC_MAX bytes */
        uint64_t w[2] = {0, 0};
        if (n <= UWC_WORDS) {
            int over = tok->end + 8 <= len;
            if (n <= 8) {
                w[0] = an_i_load_tail(s, n, over);
            } else {
                memcpy(&w[0], s, 8);
                w[1] = an_i_load_tail(s + 8, n - 8, over);
            }
        }
        e = &sc->uwc[uwc_index(s, n, w, abbr)];
        if (uwc_same(e, s, n, w, abbr)) {
            *fid = e->fid;
            *xid = e->xid;
            return AN_OK;
        }
    }
    for (int exact = 0; exact <= use_exact; exact++) {
        const char *key;
        size_t k;
        unsigned f = m->norm_flags | (abbr ? AN_I_NORM_DROPDOTS : 0u) | (exact ? 0u : AN_I_NORM_FOLD);
        an_status st = an_i_norm_key(&sc->nb, s, n, f, &key, &k);
        if (st == AN_EINVAL) return AN_OK; /* not cached: rare (invalid UTF-8) */
        if (st) return st;
        key_ids(kt, key, k, fid, xid, !exact, exact);
    }
    if (e) {
        e->len = (unsigned char)n;
        e->abbr = (unsigned char)abbr;
        memset(e->bytes, 0, sizeof e->bytes);
        memcpy(e->bytes, s, n);
        e->fid = *fid;
        e->xid = *xid;
    }
    return AN_OK;
}

static an_status push_sentence(an_mentions *out, size_t start, size_t end) {
    if (out->n_sentences == out->cap_sentences &&
        an_i_grow((void **)&out->sentences, &out->cap_sentences, out->n_sentences + 1,
                  sizeof *out->sentences))
        return AN_ENOMEM;
    out->sentences[out->n_sentences].start = start;
    out->sentences[out->n_sentences].end = end;
    out->n_sentences++;
    return AN_OK;
}

/* Every live walk takes the kept token number ord (ids fid, xid, ending at
 * byte end). */
static inline void advance(const an_matcher *m, walk_rec *w, size_t n, uint32_t fid,
                           uint32_t xid, uint64_t ord, size_t end, int32_t date) {
    fid &= ID_MASK;
    xid &= ID_MASK;
    for (size_t i = 0; i < n; i++) {
        walk_rec *r = &w[i];
        if (r->fs) {
            uint32_t nx = fid ? trans_next(m, r->fs, fid) : 0;
            r->fs = nx & STATE_MASK;
            if (accepts_f(m, r->fs, nx & ACC_BIT, nx & UND_BIT, date, &r->facc)) {
                r->fbest = ord;
                r->fend = end;
            }
        }
        if (r->xs) {
            uint32_t nx = xid ? trans_next(m, r->xs, xid | EXACT_BIT) : 0;
            r->xs = nx & STATE_MASK;
            if (accepts_f(m, r->xs, nx & ACC_BIT, nx & UND_BIT, date, &r->xacc)) {
                r->xbest = ord;
                r->xend = end;
            }
        }
    }
}

/* Report the walks from *front on whose outcome is known (all of them with
 * `all`, when no walk can go on): leftmost first, the longest match of each,
 * the exact-case one on equal length; a match drops the walks that started
 * inside it. */
/* Report the match of the finished walk r (which has one): the longest,
 * the exact-case one on equal length. Returns the ordinal of its last token
 * in *last. */
static an_status emit(const an_matcher *m, const walk_rec *r, walk_where at, an_mentions *out,
                      uint64_t *last) {
    int exact = r->xbest && r->xbest >= r->fbest;
    *last = exact ? r->xbest : r->fbest;
    if (out->count == out->cap_items &&
        an_i_grow((void **)&out->items, &out->cap_items, out->count + 1, sizeof *out->items))
        return AN_ENOMEM;
    an_mention *mm = &out->items[out->count++];
    mm->start = r->start;
    mm->end = exact ? r->xend : r->fend;
    uint32_t a = exact ? r->xacc : r->facc;
    if (a & LAZY_ACC) a = m->states[(a & ~LAZY_ACC) + 1].acc - 1;
    const struct acc_ent *ae = &m->acc_list[a];
    mm->alias = ae->alias & ~DATED_BIT;
    mm->actor = ae->actor;
    mm->token = r->index;
    mm->sentence = at.sentence;
    mm->paragraph = at.paragraph;
    return AN_OK;
}

static an_status resolve(const an_matcher *m, walk_rec *w, size_t *front, size_t *nw, int all,
                         walk_where at, an_mentions *out) {
    size_t f = *front, n = *nw;
    while (f < n) {
        const walk_rec *r = &w[f];
        if (!all && (r->fs || r->xs)) break;
        f++;
        if (!r->fbest && !r->xbest) continue;
        uint64_t last;
        if (emit(m, r, at, out, &last)) return AN_ENOMEM;
        while (f < n && w[f].ord <= last) f++;
    }
    if (f == n) f = n = 0;
    *front = f;
    *nw = n;
    return AN_OK;
}

/* Append r to the walks (growing the array if needed). */
static an_status push_walk(scan_scratch *sc, size_t *front, size_t *nw, const walk_rec *r) {
    walk_rec *w = sc->walks;
    if (*nw == sc->cap_walks) {
        if (*front) {
            memmove(w, w + *front, (*nw - *front) * sizeof *w);
            *nw -= *front;
            *front = 0;
        } else if (an_i_grow((void **)&sc->walks, &sc->cap_walks, *nw + 1, sizeof *w)) {
            return AN_ENOMEM;
        }
    }
    sc->walks[(*nw)++] = *r;
    return AN_OK;
}

/* The walk of the newest start token is held aside (the candidate) until
 * the next kept token: most walks end right there, and then need neither
 * the walk array nor a resolve. A candidate whose walk is over is reported
 * at once when no earlier walk is pending, else queued behind them. */
static an_status cand_done(const an_matcher *m, scan_scratch *sc, size_t *front, size_t *nw,
                           const walk_rec *c, walk_where at, an_mentions *out) {
    if (*nw) return push_walk(sc, front, nw, c);
    uint64_t last;
    return (c->fbest || c->xbest) ? emit(m, c, at, out, &last) : AN_OK;
}

AN_EXPORT an_status an_matcher_scan(const an_matcher *m, const char *text, size_t len,
                                    int32_t date, an_mentions *out, an_error *err) {
    if (!m || !out || (!text && len))
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "matcher: NULL argument");
    out->count = out->n_sentences = out->n_paragraphs = out->n_tokens = 0;
    out->doc_bytes = len;
    scan_scratch *sc = out->scratch;
    if (!sc) {
        sc = an_i_calloc(1, sizeof *sc);
        if (!sc) goto nomem;
        out->scratch = sc;
    }
    size_t need = 2 * m->keys.max_len + 16; /* ABBR tokens carry one dot per key byte;
                                               SWAR writes 8 more */
    if (need > sc->cap_kbuf) {
        char *p = an_i_realloc(sc->kbuf, need);
        if (!p) goto nomem;
        sc->kbuf = p;
        sc->cap_kbuf = need;
    }
    if (!sc->wc) sc->wc = an_i_calloc((size_t)1 << WC_BITS, sizeof *sc->wc);
    if (!sc->lwc) sc->lwc = an_i_calloc((size_t)1 << LWC_BITS, sizeof *sc->lwc);
    if (!sc->uwc) sc->uwc = an_i_calloc((size_t)1 << UWC_BITS, sizeof *sc->uwc);
    if (!sc->wc || !sc->lwc || !sc->uwc) goto nomem;
    if (sc->wc_stamp != m->stamp) { /* another matcher's ids (new caches are zero) */
        if (sc->wc_stamp) {
            memset(sc->wc, 0, ((size_t)1 << WC_BITS) * sizeof *sc->wc);
            memset(sc->lwc, 0, ((size_t)1 << LWC_BITS) * sizeof *sc->lwc);
            memset(sc->uwc, 0, ((size_t)1 << UWC_BITS) * sizeof *sc->uwc);
        }
        sc->wc_stamp = m->stamp;
    }
    if (sc->cap_walks < m->max_tokens + 2 &&
        an_i_grow((void **)&sc->walks, &sc->cap_walks, m->max_tokens + 2, sizeof *sc->walks))
        goto nomem;

    an_i_tokenizer tz;
    an_i_token tok;
    an_i_tokenizer_init(&tz, text, len);
    size_t sent_start = 0, last_end = 0, cur_sent = SIZE_MAX, front = 0, nw = 0;
    uint64_t ord = 0;
    int use_exact = m->keys.n_exact > 0;
    /* fs = xs = 0 and no best when there is no candidate (state 0, the
     * root, has no children in trans, so stepping it is a cheap miss) */
    walk_rec cand;
    walk_where at = {0, 0};
    uint64_t w8;
    memset(&cand, 0, sizeof cand);
/* Every walk is over: report them all. */
#define FLUSH()                                                                    \
    do {                                                                           \
        cand.fs = cand.xs = 0;                                                     \
        if ((cand.fbest | cand.xbest) && cand_done(m, sc, &front, &nw, &cand, at, out)) \
            goto nomem;                                                            \
        cand.fbest = cand.xbest = 0;                                               \
        if (nw && resolve(m, sc->walks, &front, &nw, 1, at, out)) goto nomem;      \
    } while (0)
    while (an_i_tokenizer_next_fast_w(&tz, &tok, &w8)) {
        if (tok.sentence != cur_sent) {
            FLUSH(); /* no walk goes on into another sentence... */
            if (cur_sent != SIZE_MAX && push_sentence(out, sent_start, last_end)) goto nomem;
            cur_sent = tok.sentence;
            sent_start = tok.start;
            at.sentence = (uint32_t)tok.sentence;
            at.paragraph = (uint32_t)tok.paragraph; /* a new paragraph is a new sentence */
        }
        last_end = tok.end;
        if (tok.barrier) FLUSH(); /* ... nor across invalid bytes */
        if (tok.kind == AN_I_TOK_DASH) continue;
        uint32_t fid, xid;
        if (token_ids(m, sc, text, len, &tok, w8, use_exact, &fid, &xid)) goto nomem;
        /* An unknown token (no ids) takes the same path as a known one: the
         * walks and the candidate fail to step on it and are all resolved
         * below, as a flush would. Whether a token is a key is close to
         * random in text, so a branch on it would often mispredict. */
        ord++;
        if (nw) advance(m, sc->walks + front, nw - front, fid, xid, ord, tok.end, date);
        /* Step the candidate. Whether a token starts an alias is close to
         * random in text, so this path avoids branching on it: the usual
         * outcome is a quick miss on the state's signature. */
        uint32_t nfs = trans_next(m, cand.fs, fid & ID_MASK);
        /* Exact-case walks start rarely (with Phoenix at "US", "UN", "IS"): a
         * branch that is almost never taken skips the step of a dead one. */
        uint32_t nxs = cand.xs ? trans_next(m, cand.xs, (xid & ID_MASK) | EXACT_BIT) : 0;
        if (nfs | nxs) {
            cand.fs = nfs & STATE_MASK;
            cand.xs = nxs & STATE_MASK;
            if (accepts_f(m, cand.fs, nfs & ACC_BIT, nfs & UND_BIT, date, &cand.facc)) {
                cand.fbest = ord;
                cand.fend = tok.end;
            }
            if (accepts_f(m, cand.xs, nxs & ACC_BIT, nxs & UND_BIT, date, &cand.xacc)) {
                cand.xbest = ord;
                cand.xend = tok.end;
            }
            if (push_walk(sc, &front, &nw, &cand)) goto nomem;
        } else if (cand.fbest | cand.xbest) {
            cand.fs = cand.xs = 0; /* its walk is over */
            if (cand_done(m, sc, &front, &nw, &cand, at, out)) goto nomem;
        }
        /* This token is the next candidate (a dead one unless it starts an alias). */
        cand.start = tok.start;
        cand.ord = ord;
        cand.fbest = cand.xbest = 0;
        cand.fs = (fid & START_BIT) ? fid & ID_MASK : 0;
        cand.xs = (xid & START_BIT) ? m->n_fold + (xid & ID_MASK) : 0;
        cand.index = (uint32_t)tok.index;
        if ((fid | xid) & ROOTACC_BIT) {
            if (accepts_f(m, cand.fs, fid & ROOTACC_BIT, fid & ROOTUND_BIT, date, &cand.facc)) {
                cand.fbest = ord;
                cand.fend = tok.end;
            }
            if (accepts_f(m, cand.xs, xid & ROOTACC_BIT, xid & ROOTUND_BIT, date, &cand.xacc)) {
                cand.xbest = ord;
                cand.xend = tok.end;
            }
        }
        if (nw && resolve(m, sc->walks, &front, &nw, 0, at, out)) goto nomem;
    }
    if (cur_sent != SIZE_MAX && push_sentence(out, sent_start, last_end)) goto nomem;
    FLUSH();
#undef FLUSH
    out->n_paragraphs = an_i_tokenizer_paragraphs(&tz);
    out->n_tokens = tz.n_tokens;
    return AN_OK;

nomem:
    out->count = out->n_sentences = out->n_paragraphs = out->n_tokens = 0;
    return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "matcher: out of memory");
}

/* ---- compiled form (ner/compiled.c) ------------------------------------- */

void an_i_matcher_put(an_i_wbuf *w, const an_matcher *m) {
    const key_table *kt = &m->keys;
    an_i_wbuf_u32(w, m->norm_flags);
    an_i_wbuf_u64(w, m->n_aliases);
    for (size_t i = 0; i < m->n_aliases; i++) {
        an_i_wbuf_u64(w, m->aliases[i].actor);
        an_i_wbuf_u32(w, (uint32_t)m->aliases[i].from);
        an_i_wbuf_u32(w, (uint32_t)m->aliases[i].to);
    }
    size_t n_slots = kt->slots ? kt->mask + 1 : 0, bloom_words = 0;
    if (kt->bloom) bloom_words = ((size_t)1 << (64 - kt->bloom_shift)) / 64;
    an_i_wbuf_u64(w, n_slots);
    an_i_wbuf_u64(w, kt->n);
    an_i_wbuf_u32(w, kt->n_fold);
    an_i_wbuf_u32(w, kt->n_exact);
    an_i_wbuf_u64(w, kt->max_len);
    an_i_wbuf_u64(w, kt->arena_len);
    an_i_wbuf_u32(w, kt->bloom_shift);
    an_i_wbuf_u64(w, bloom_words);
    an_i_wbuf_put(w, &kt->empty, sizeof kt->empty);
    an_i_wbuf_put(w, kt->xfilter, sizeof kt->xfilter);
    /* each array at a multiple of 8 bytes, so that a reader can use it in place */
    an_i_wbuf_align8(w);
    an_i_wbuf_put(w, kt->slots, n_slots * sizeof *kt->slots);
    an_i_wbuf_align8(w);
    an_i_wbuf_put(w, kt->slot_off, n_slots * sizeof *kt->slot_off);
    an_i_wbuf_align8(w);
    static const unsigned char slack[8] = {0};
    an_i_wbuf_put(w, kt->arena, kt->arena_len);
    an_i_wbuf_put(w, slack, sizeof slack); /* key_eq() reads up to 8 bytes past a key */
    an_i_wbuf_align8(w);
    an_i_wbuf_put(w, kt->bloom, bloom_words * sizeof *kt->bloom);
    an_i_wbuf_u32(w, m->n_fold);
    an_i_wbuf_u32(w, m->n_states);
    an_i_wbuf_u64(w, m->max_tokens);
    size_t n_trans = m->states ? m->states[m->n_states].child : 0;
    size_t n_acc = m->states ? m->states[m->n_states].acc : 0;
    an_i_wbuf_u64(w, n_trans);
    an_i_wbuf_u64(w, n_acc);
    an_i_wbuf_align8(w);
    if (m->states) an_i_wbuf_put(w, m->states, ((size_t)m->n_states + 1) * sizeof *m->states);
    an_i_wbuf_align8(w);
    an_i_wbuf_put(w, m->trans, n_trans * sizeof *m->trans);
    an_i_wbuf_align8(w);
    an_i_wbuf_put(w, m->acc_list, n_acc * sizeof *m->acc_list);
}

/* The next n * size bytes of r (at a multiple of 8) and `slack` bytes more:
 * in place when r may lend them (bit `bit` of *borrowed set) and they are
 * aligned, else a malloc'd copy with room for at least one element (as
 * compile allocates). */
static void *get_array(an_i_rcur *r, size_t n, size_t size, size_t slack, int *oom,
                       unsigned *borrowed, unsigned bit) {
    an_i_rcur_align8(r);
    if (n > (SIZE_MAX - slack) / size - 1) {
        r->bad = 1;
        return NULL;
    }
    const void *src = an_i_rcur_get(r, n * size + slack);
    if (!src) return NULL;
    if (r->borrow && n && (uintptr_t)src % 8 == 0) {
        *borrowed |= 1u << bit;
        return (void *)(uintptr_t)src; /* never written: a read-back matcher is final */
    }
    void *d = an_i_calloc(1, (n ? n : 1) * size + slack);
    if (!d) {
        *oom = 1;
        return NULL;
    }
    memcpy(d, src, n * size);
    return d;
}

/* A slot id (fid or xid) that the scan may use as a state: START_BIT ids
 * index states, ROOTACC/ROOTUND ones also their accept lists. */
static int slot_id_ok(const an_matcher *m, uint32_t id, uint32_t base) {
    if (!(id & START_BIT)) return !(id & (ROOTACC_BIT | ROOTUND_BIT));
    uint64_t s = (uint64_t)base + (id & ID_MASK);
    if (s == 0 || s >= m->n_states) return 0;
    int has = m->states[s + 1].acc > m->states[s].acc;
    return has || !(id & (ROOTACC_BIT | ROOTUND_BIT));
}

/* Every index the scan follows lies inside its array, the trie has no cycle
 * (a child's number is above its parent's, as build_states numbers them) and
 * accept lists name the gazetteer's aliases and actors. */
static int matcher_valid(const an_matcher *m, const an_gazetteer *gz, size_t n_slots,
                         size_t bloom_words, size_t n_trans, size_t n_acc) {
    const key_table *kt = &m->keys;
    size_t n_actors = an_gazetteer_actor_count(gz);
    if (m->n_aliases != an_gazetteer_alias_count(gz)) return 0;
    for (size_t i = 0; i < m->n_aliases; i++) {
        an_alias_info al;
        if (an_gazetteer_alias(gz, i, &al) != AN_OK || al.actor != m->aliases[i].actor ||
            al.date_from != m->aliases[i].from || al.date_to != m->aliases[i].to)
            return 0;
    }
    if (m->norm_flags & ~(unsigned)AN_I_NORM_STRIPMARK) return 0;
    if (m->n_states < 1 || m->n_states > STATE_MASK || m->n_fold != kt->n_fold ||
        (uint64_t)kt->n_fold + kt->n_exact >= m->n_states)
        return 0;
    /* keys: a power of two of slots with an empty one (probe loops end),
     * long keys' records inside the arena (8 bytes of slack follow it) */
    if (n_slots && ((n_slots & (n_slots - 1)) || kt->n >= n_slots)) return 0;
    if (!n_slots && (kt->n || kt->max_len)) return 0;
    if (bloom_words < 64 || (bloom_words & (bloom_words - 1)) || kt->bloom_shift < 6 ||
        kt->bloom_shift > 52 || ((size_t)1 << (64 - kt->bloom_shift)) != bloom_words * 64)
        return 0;
    size_t used = 0, longest = 0;
    for (size_t j = 0; j < n_slots; j++) {
        const key_slot *s = &kt->slots[j];
        if (!s->prefix) {
            if (s->fid || s->xid) return 0;
            continue;
        }
        used++;
        uint32_t off = kt->slot_off[j], len;
        if ((uint64_t)off + 4 > kt->arena_len) return 0;
        memcpy(&len, kt->arena + off, 4);
        if (len == 0 || (uint64_t)off + 4 + len > kt->arena_len) return 0;
        if (len > longest) longest = len;
        if (!slot_id_ok(m, s->fid, 0) || !slot_id_ok(m, s->xid, kt->n_fold)) return 0;
    }
    /* max_len sizes the scan's key buffer: exactly the longest key */
    if (used != kt->n || (n_slots && used == n_slots) || longest != kt->max_len) return 0;
    if (!slot_id_ok(m, kt->empty.fid, 0) || !slot_id_ok(m, kt->empty.xid, kt->n_fold)) return 0;
    /* states: child and accept ranges ascending, ending at the arrays' ends */
    if (m->states[0].child || m->states[0].acc || m->states[m->n_states].child != n_trans ||
        m->states[m->n_states].acc != n_acc || m->states[0].sig)
        return 0;
    for (uint32_t s = 0; s < m->n_states; s++) { /* all ranges, then their contents */
        const struct state_rec *sr = &m->states[s];
        if (sr[1].child < sr->child || sr[1].acc < sr->acc) return 0;
        if (sr[1].child == sr->child && sr->sig) return 0; /* trans_next reads no child */
    }
    for (uint32_t s = 0; s < m->n_states; s++) {
        const struct state_rec *sr = &m->states[s];
        for (uint32_t t = sr->child; t < sr[1].child; t++) {
            uint32_t nx = m->trans[t].next & STATE_MASK;
            if (nx <= s || nx >= m->n_states) return 0;
            if (t > sr->child && m->trans[t].label <= m->trans[t - 1].label) return 0;
            int has = m->states[nx + 1].acc > m->states[nx].acc;
            if ((m->trans[t].next & (ACC_BIT | UND_BIT)) && !has) return 0;
        }
    }
    if (m->states[m->n_states].sig) return 0;
    for (size_t i = 0; i < n_acc; i++) {
        uint32_t a = m->acc_list[i].alias & ~DATED_BIT;
        if (a >= m->n_aliases || m->acc_list[i].actor >= n_actors ||
            m->acc_list[i].actor != m->aliases[a].actor)
            return 0;
    }
    return 1;
}

an_status an_i_matcher_get(an_i_rcur *r, const an_gazetteer *gz, an_matcher **out) {
    int oom = 0;
    an_matcher *m = an_i_calloc(1, sizeof *m);
    if (!m) return AN_ENOMEM;
    {
        static atomic_uint_fast64_t stamps_r;
        /* stamps of read matchers count down from the top: never one of a
         * compiled matcher's (word caches belong to one matcher) */
        m->stamp = UINT64_MAX - (uint64_t)atomic_fetch_add(&stamps_r, 1);
    }
    key_table *kt = &m->keys;
    m->norm_flags = an_i_rcur_u32(r);
    m->n_aliases = an_i_rcur_count(r, 16);
    m->aliases = an_i_calloc(m->n_aliases ? m->n_aliases : 1, sizeof *m->aliases);
    if (!m->aliases) oom = 1;
    for (size_t i = 0; i < m->n_aliases && !oom && !r->bad; i++) {
        m->aliases[i].actor = (size_t)an_i_rcur_u64(r);
        m->aliases[i].from = (int32_t)an_i_rcur_u32(r);
        m->aliases[i].to = (int32_t)an_i_rcur_u32(r);
    }
    size_t n_slots = (size_t)an_i_rcur_u64(r);
    kt->n = (size_t)an_i_rcur_u64(r);
    kt->n_fold = an_i_rcur_u32(r);
    kt->n_exact = an_i_rcur_u32(r);
    kt->max_len = (size_t)an_i_rcur_u64(r);
    kt->arena_len = (size_t)an_i_rcur_u64(r);
    kt->bloom_shift = an_i_rcur_u32(r);
    size_t bloom_words = (size_t)an_i_rcur_u64(r);
    const void *p = an_i_rcur_get(r, sizeof kt->empty);
    if (p) memcpy(&kt->empty, p, sizeof kt->empty);
    p = an_i_rcur_get(r, sizeof kt->xfilter);
    if (p) memcpy(kt->xfilter, p, sizeof kt->xfilter);
    if (!an_i_rcur_fits(r, n_slots, sizeof *kt->slots + sizeof *kt->slot_off)) r->bad = 1;
    if (!r->bad && !oom) {
        kt->slots = get_array(r, n_slots, sizeof *kt->slots, 0, &oom, &m->borrowed, 0);
        kt->slot_off = get_array(r, n_slots, sizeof *kt->slot_off, 0, &oom, &m->borrowed, 1);
        kt->mask = n_slots ? n_slots - 1 : 0;
        if (!n_slots) { /* as compiled: no table until a key exists */
            an_i_free(kt->slots);
            an_i_free(kt->slot_off);
            kt->slots = NULL;
            kt->slot_off = NULL;
        }
    }
    if (!r->bad && !oom) {
        /* 8 bytes of slack: key_eq() */
        kt->arena = get_array(r, kt->arena_len, 1, 8, &oom, &m->borrowed, 2);
        kt->arena_cap = kt->arena_len + 8;
    }
    if (!an_i_rcur_fits(r, bloom_words, sizeof *kt->bloom)) r->bad = 1;
    if (!r->bad && !oom)
        kt->bloom = get_array(r, bloom_words, sizeof *kt->bloom, 0, &oom, &m->borrowed, 3);
    m->n_fold = an_i_rcur_u32(r);
    m->n_states = an_i_rcur_u32(r);
    m->max_tokens = (size_t)an_i_rcur_u64(r);
    size_t n_trans = (size_t)an_i_rcur_u64(r), n_acc = (size_t)an_i_rcur_u64(r);
    if (m->n_states >= STATE_MASK ||
        !an_i_rcur_fits(r, (size_t)m->n_states + 1, sizeof *m->states) ||
        !an_i_rcur_fits(r, n_trans, sizeof *m->trans) ||
        !an_i_rcur_fits(r, n_acc, sizeof *m->acc_list) || m->max_tokens > m->n_states)
        r->bad = 1;
    if (!r->bad && !oom) {
        m->states = get_array(r, (size_t)m->n_states + 1, sizeof *m->states, 0, &oom,
                              &m->borrowed, 4);
        m->trans = get_array(r, n_trans, sizeof *m->trans, 0, &oom, &m->borrowed, 5);
        m->acc_list = get_array(r, n_acc, sizeof *m->acc_list, 0, &oom, &m->borrowed, 6);
    }
    if (oom) {
        an_matcher_destroy(m);
        return AN_ENOMEM;
    }
    if (r->bad || !matcher_valid(m, gz, n_slots, bloom_words, n_trans, n_acc)) {
        an_matcher_destroy(m);
        r->bad = 1;
        return AN_EPARSE;
    }
    *out = m;
    return AN_OK;
}
