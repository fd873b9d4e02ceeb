/* actornet — token-level gazetteer matcher (semantics: docs/matching.md).
 *
 * Every alias is tokenized with the same tokenizer as the text and each
 * token is turned into a key by the same normaliser (an_i_norm_key). Keys are
 * interned into two tables, one per case policy (exact keys keep case, folded
 * keys do not), giving token ids; the aliases then form a trie over token-id
 * sequences whose edges live in one open-addressing hash map keyed by
 * (state, token id). Exact ids carry the top bit, so the exact and folded
 * tries share the map without meeting.
 *
 * A scan tokenizes the text once, looks every token up in the key tables
 * (an unknown token gets id 0 and can neither start nor continue a match),
 * keeps only tokens with an id, then walks the trie from each kept token:
 * leftmost-longest, ties broken by policy (exact first) and alias order.
 */
#include <string.h>

#include "actornet/matcher.h"
#include "core/internal.h"
#include "normalize.h"
#include "tokenize.h"

#define EXACT_BIT 0x80000000u
/* Set on trie states (as stored in edges and root arrays) that accept some
 * alias, so that the walk only reads the accept lists where there is one. */
#define ACC_BIT 0x80000000u
#define MAX_IDS 0x7FFFFFF0u

typedef struct key_slot {
    uint32_t hash_hi; /* upper half of the hash: rejects most mismatches without a memcmp */
    uint32_t id;      /* 1-based key id, 0 = empty */
} key_slot;

typedef struct key_rec {
    size_t off, len;
} key_rec;

typedef struct key_table {
    key_slot *slots;
    size_t mask; /* capacity - 1 (power of two) */
    key_rec *keys;
    size_t n, cap_keys;
    char *arena;
    size_t arena_len, arena_cap;
    size_t max_len; /* longest key: longer text tokens are rejected without hashing */
    uint64_t *bloom; /* one bit per hash: most text tokens never touch the slots */
    size_t bloom_mask;
    uint32_t *root;  /* root[id]: trie state after that token, 0 = starts no alias */
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
    key_table fold, exact;
    edge *edges;
    size_t edge_mask, n_edges;
    uint32_t n_states;
    size_t max_tokens; /* tokens in the longest alias */
    uint32_t *acc_start; /* n_states + 1 offsets into acc_list */
    uint32_t *acc_list;  /* alias indices, ascending within a state */
    alias_meta *aliases;
    size_t n_aliases;
    unsigned norm_flags; /* AN_I_NORM_STRIPMARK or 0 */
};

/* ---- key tables ---------------------------------------------------------- */

static void keys_free(key_table *kt) {
    an_i_free(kt->bloom);
    an_i_free(kt->root);
    an_i_free(kt->slots);
    an_i_free(kt->keys);
    an_i_free(kt->arena);
    memset(kt, 0, sizeof *kt);
}

static inline int key_eq(const char *a, const char *b, size_t n) {
    uint64_t x, y;
    while (n >= 8) {
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y) return 0;
        a += 8;
        b += 8;
        n -= 8;
    }
    while (n--)
        if (*a++ != *b++) return 0;
    return 1;
}

static inline uint32_t keys_find(const key_table *kt, const char *k, size_t n, uint64_t h) {
    if (!kt->slots) return 0;
    uint32_t hi = (uint32_t)(h >> 32);
    for (size_t i = (size_t)h & kt->mask;; i = (i + 1) & kt->mask) {
        key_slot s = kt->slots[i];
        if (!s.id) return 0;
        if (s.hash_hi == hi) {
            const key_rec *r = &kt->keys[s.id - 1];
            if (r->len == n && key_eq(kt->arena + r->off, k, n)) return s.id;
        }
    }
}

static inline int bloom_has(const key_table *kt, uint64_t h) {
    size_t b = (size_t)(h >> 24) & kt->bloom_mask;
    return (int)((kt->bloom[b >> 6] >> (b & 63)) & 1u);
}

static an_status keys_rehash(key_table *kt, size_t cap) {
    key_slot *slots = an_i_calloc(cap, sizeof *slots);
    if (!slots) return AN_ENOMEM;
    for (size_t id = 1; id <= kt->n; id++) {
        const key_rec *r = &kt->keys[id - 1];
        uint64_t h = an_i_key_hash(kt->arena + r->off, r->len);
        size_t i = (size_t)h & (cap - 1);
        while (slots[i].id) i = (i + 1) & (cap - 1);
        slots[i].hash_hi = (uint32_t)(h >> 32);
        slots[i].id = (uint32_t)id;
    }
    an_i_free(kt->slots);
    kt->slots = slots;
    kt->mask = cap - 1;
    return AN_OK;
}

static an_status keys_intern(key_table *kt, const char *k, size_t n, uint32_t *id) {
    uint64_t h = an_i_key_hash(k, n);
    uint32_t found = keys_find(kt, k, n, h);
    if (found) {
        *id = found;
        return AN_OK;
    }
    if (kt->n >= MAX_IDS) return AN_ELIMIT;
    if (!kt->slots || 2 * (kt->n + 1) > kt->mask + 1) {
        size_t cap = kt->slots ? 2 * (kt->mask + 1) : 1024;
        if (keys_rehash(kt, cap)) return AN_ENOMEM;
    }
    if (an_i_grow((void **)&kt->keys, &kt->cap_keys, kt->n + 1, sizeof *kt->keys) ||
        an_i_grow((void **)&kt->arena, &kt->arena_cap, kt->arena_len + n + 1, 1))
        return AN_ENOMEM;
    memcpy(kt->arena + kt->arena_len, k, n);
    kt->keys[kt->n].off = kt->arena_len;
    kt->keys[kt->n].len = n;
    kt->arena_len += n;
    kt->n++;
    size_t i = (size_t)h & kt->mask;
    while (kt->slots[i].id) i = (i + 1) & kt->mask;
    kt->slots[i].hash_hi = (uint32_t)(h >> 32);
    kt->slots[i].id = (uint32_t)kt->n;
    if (n > kt->max_len) kt->max_len = n;
    *id = (uint32_t)kt->n;
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

/* Bloom bits and root transitions, once all aliases are in. */
static an_status keys_finish(const an_matcher *m, key_table *kt, uint32_t bit) {
    size_t bits = 4096;
    while (bits < 8 * kt->n) bits *= 2;
    kt->bloom = an_i_calloc(bits / 64, sizeof *kt->bloom);
    kt->root = an_i_calloc(kt->n + 1, sizeof *kt->root);
    if (!kt->bloom || !kt->root) return AN_ENOMEM;
    kt->bloom_mask = bits - 1;
    for (size_t id = 1; id <= kt->n; id++) {
        const key_rec *r = &kt->keys[id - 1];
        size_t b = (size_t)(an_i_key_hash(kt->arena + r->off, r->len) >> 24) & kt->bloom_mask;
        kt->bloom[b >> 6] |= (uint64_t)1 << (b & 63);
        kt->root[id] = edge_next(m, 0, (uint32_t)id | bit);
    }
    return AN_OK;
}

/* ---- compile ------------------------------------------------------------- */

typedef struct acc_pair {
    uint32_t state, alias;
} acc_pair;

AN_EXPORT void an_matcher_destroy(an_matcher *m) {
    if (!m) return;
    keys_free(&m->fold);
    keys_free(&m->exact);
    an_i_free(m->edges);
    an_i_free(m->acc_start);
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
        st = keys_intern(exact ? &m->exact : &m->fold, key, klen, &id);
        if (st) return st;
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
    m->n_aliases = an_gazetteer_alias_count(gz);
    if (m->n_aliases >= MAX_IDS) {
        st = AN_ELIMIT;
        goto fail;
    }
    m->aliases = an_i_calloc(m->n_aliases ? m->n_aliases : 1, sizeof *m->aliases);
    pairs = an_i_calloc(m->n_aliases ? m->n_aliases : 1, sizeof *pairs);
    if (!m->aliases || !pairs) goto fail;
    m->n_states = 1; /* the root */
    if (edges_rehash(m, 1024)) goto fail;

    for (size_t i = 0; i < m->n_aliases; i++) {
        an_alias_info info;
        st = an_gazetteer_alias(gz, i, &info);
        if (st) goto fail;
        m->aliases[i].actor = info.actor;
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
     * so each state's list comes out ascending (= tie-break order). */
    st = AN_ENOMEM;
    m->acc_start = an_i_calloc((size_t)m->n_states + 1, sizeof *m->acc_start);
    m->acc_list = an_i_calloc(n_pairs ? n_pairs : 1, sizeof *m->acc_list);
    if (!m->acc_start || !m->acc_list) goto fail;
    for (size_t i = 0; i < n_pairs; i++) m->acc_start[pairs[i].state + 1]++;
    for (size_t s = 0; s < m->n_states; s++) m->acc_start[s + 1] += m->acc_start[s];
    {
        uint32_t *fill = an_i_malloc(((size_t)m->n_states + 1) * sizeof *fill);
        if (!fill) goto fail;
        memcpy(fill, m->acc_start, ((size_t)m->n_states + 1) * sizeof *fill);
        for (size_t i = 0; i < n_pairs; i++) m->acc_list[fill[pairs[i].state]++] = pairs[i].alias;
        an_i_free(fill);
    }
    for (size_t j = 0; j <= m->edge_mask; j++) {
        uint32_t nx = m->edges[j].next;
        if (m->edges[j].key && m->acc_start[nx + 1] > m->acc_start[nx]) m->edges[j].next |= ACC_BIT;
    }
    if (keys_finish(m, &m->fold, 0) || keys_finish(m, &m->exact, EXACT_BIT)) goto fail;
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

/* A text token that occurs in some alias. */
typedef struct scan_tok {
    size_t start, end;
    uint32_t fid, xid;
    uint32_t index, sentence, paragraph;
    uint32_t gap; /* something unmatchable lies between this and the previous kept token */
} scan_tok;

typedef struct scan_scratch {
    scan_tok *toks;
    size_t cap_toks;
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
        an_i_free(sc->toks);
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

/* Id of the key of the token in kt, 0 if absent. Pure-ASCII words (the
 * bulk of most text) never leave this function: their key is lower-cased
 * and hashed eight bytes at a time and rejected by the Bloom bits. */
static inline an_status token_id(const key_table *kt, scan_scratch *sc, const char *text,
                                 size_t len, const an_i_token *tok, unsigned flags,
                                 uint32_t *id) {
    const char *s = text + tok->start;
    int overread_ok = tok->end + 8 <= len;
    size_t n = tok->end - tok->start;
    uint64_t h;
    *id = 0;
    if (!kt->n) return AN_OK;
    if (tok->ascii && tok->kind != AN_I_TOK_ABBR) {
        if (n > kt->max_len) return AN_OK;
        if (flags & AN_I_NORM_FOLD) {
            h = an_i_ascii_fold_hash(s, n, sc->kbuf, overread_ok);
            s = sc->kbuf;
        } else {
            h = an_i_key_hash_x(s, n, overread_ok);
        }
        if (bloom_has(kt, h)) *id = keys_find(kt, s, n, h);
        return AN_OK;
    }
    if (tok->ascii) { /* "U.S." */
        if (n > 2 * kt->max_len + 2) return AN_OK;
        const unsigned char *u = (const unsigned char *)s;
        const unsigned char *tab = (flags & AN_I_NORM_FOLD) ? an_i_ascii_lower : NULL;
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (u[i] != '.') sc->kbuf[k++] = (char)(tab ? tab[u[i]] : u[i]);
        h = an_i_key_hash(sc->kbuf, k);
        if (bloom_has(kt, h)) *id = keys_find(kt, sc->kbuf, k, h);
        return AN_OK;
    }
    const char *key;
    size_t k;
    unsigned f = flags | (tok->kind == AN_I_TOK_ABBR ? AN_I_NORM_DROPDOTS : 0u);
    an_status st = an_i_norm_key(&sc->nb, s, n, f, &key, &k);
    if (st == AN_EINVAL) return AN_OK;
    if (st) return st;
    if (k <= kt->max_len) {
        h = an_i_key_hash(key, k);
        if (bloom_has(kt, h)) *id = keys_find(kt, key, k, h);
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

/* Walk the trie from toks[i] with the fold (exact == 0) or exact ids; returns
 * the index of the last token of the longest active alias and its alias
 * index in *alias, or (size_t)-1. */
static size_t walk(const an_matcher *m, const scan_tok *toks, size_t n, size_t i, int exact,
                   int32_t date, uint32_t *alias) {
    size_t best = (size_t)-1;
    uint32_t sent = toks[i].sentence;
    uint32_t s = exact ? m->exact.root[toks[i].xid] : m->fold.root[toks[i].fid];
    for (size_t j = i; s;) {
        uint32_t a_end = (s & ACC_BIT) ? m->acc_start[(s & ~ACC_BIT) + 1] : 0;
        for (uint32_t a = (s & ACC_BIT) ? m->acc_start[s & ~ACC_BIT] : 0; a < a_end; a++) {
            uint32_t ai = m->acc_list[a];
            if (alias_active(&m->aliases[ai], date)) {
                best = j;
                *alias = ai;
                break;
            }
        }
        if (++j >= n || toks[j].gap || toks[j].sentence != sent) break;
        uint32_t t = exact ? toks[j].xid : toks[j].fid;
        if (!t) break;
        s = edge_next(m, s & ~ACC_BIT, exact ? t | EXACT_BIT : t);
    }
    return best;
}

/* Leftmost-longest matches starting at kept tokens [*pos, limit); a match may
 * run past limit (but not past n). Leaves *pos at the first unconsumed token. */
static an_status match_range(const an_matcher *m, const scan_tok *toks, size_t n, size_t *pos,
                             size_t limit, int32_t date, an_mentions *out) {
    size_t i = *pos;
    while (i < limit) {
        uint32_t fa = 0, xa = 0;
        size_t fend = m->fold.root[toks[i].fid] ? walk(m, toks, n, i, 0, date, &fa) : (size_t)-1;
        size_t xend = m->exact.root[toks[i].xid] ? walk(m, toks, n, i, 1, date, &xa) : (size_t)-1;
        size_t end = fend;
        uint32_t alias = fa;
        /* Longest wins; on the same span the exact-case alias wins. */
        if (xend != (size_t)-1 && (fend == (size_t)-1 || xend >= fend)) {
            end = xend;
            alias = xa;
        }
        if (end == (size_t)-1) {
            i++;
            continue;
        }
        if (out->count == out->cap_items &&
            an_i_grow((void **)&out->items, &out->cap_items, out->count + 1, sizeof *out->items))
            return AN_ENOMEM;
        an_mention *mm = &out->items[out->count++];
        mm->start = toks[i].start;
        mm->end = toks[end].end;
        mm->alias = alias;
        mm->actor = m->aliases[alias].actor;
        mm->token = toks[i].index;
        mm->sentence = toks[i].sentence;
        mm->paragraph = toks[i].paragraph;
        i = end + 1;
    }
    *pos = i;
    return AN_OK;
}

/* Kept tokens are matched in batches of about this many, so the scratch stays
 * small (and in cache) whatever the document size. */
#define SCAN_BATCH 1024

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
    size_t need = (m->fold.max_len > m->exact.max_len ? m->fold.max_len : m->exact.max_len);
    need = 2 * need + 16; /* ABBR tokens carry one dot per key byte; SWAR writes 8 more */
    if (need > sc->cap_kbuf) {
        char *p = an_i_realloc(sc->kbuf, need);
        if (!p) goto nomem;
        sc->kbuf = p;
        sc->cap_kbuf = need;
    }
    size_t keep = m->max_tokens ? m->max_tokens : 1;
    if (sc->cap_toks < SCAN_BATCH + keep &&
        an_i_grow((void **)&sc->toks, &sc->cap_toks, SCAN_BATCH + keep, sizeof *sc->toks))
        goto nomem;

    an_i_tokenizer tz;
    an_i_token tok;
    an_i_tokenizer_init(&tz, text, len);
    size_t nt = 0, sent_start = 0, last_end = 0, cur_sent = 0;
    int have = 0, gap = 0;
    int use_exact = m->exact.n > 0, use_fold = m->fold.n > 0;
    unsigned ff = m->norm_flags | AN_I_NORM_FOLD, xf = m->norm_flags;
    while (an_i_tokenizer_next_fast(&tz, &tok)) {
        if (tok.sentence != cur_sent || !have) {
            if (have && push_sentence(out, sent_start, last_end)) goto nomem;
            have = 1;
            cur_sent = tok.sentence;
            sent_start = tok.start;
        }
        last_end = tok.end;
        if (tok.barrier) gap = 1;
        if (tok.kind == AN_I_TOK_DASH) continue;
        uint32_t fid = 0, xid = 0;
        if (use_fold && token_id(&m->fold, sc, text, len, &tok, ff, &fid)) goto nomem;
        if (use_exact && token_id(&m->exact, sc, text, len, &tok, xf, &xid)) goto nomem;
        if (!fid && !xid) {
            gap = 1;
            continue;
        }
        scan_tok *st = &sc->toks[nt++];
        st->start = tok.start;
        st->end = tok.end;
        st->fid = fid;
        st->xid = xid;
        st->index = (uint32_t)tok.index;
        st->sentence = (uint32_t)tok.sentence;
        st->paragraph = (uint32_t)tok.paragraph;
        st->gap = (uint32_t)gap;
        gap = 0;
        if (nt == SCAN_BATCH + keep) {
            /* Every walk from below nt - keep ends inside the buffer. */
            size_t pos = 0;
            if (match_range(m, sc->toks, nt, &pos, nt - keep, date, out)) goto nomem;
            memmove(sc->toks, sc->toks + pos, (nt - pos) * sizeof *sc->toks);
            nt -= pos;
        }
    }
    if (have && push_sentence(out, sent_start, last_end)) goto nomem;
    {
        size_t pos = 0;
        if (match_range(m, sc->toks, nt, &pos, nt, date, out)) goto nomem;
    }
    out->n_paragraphs = an_i_tokenizer_paragraphs(&tz);
    out->n_tokens = tz.n_tokens;
    return AN_OK;

nomem:
    out->count = out->n_sentences = out->n_paragraphs = out->n_tokens = 0;
    return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "matcher: out of memory");
}
