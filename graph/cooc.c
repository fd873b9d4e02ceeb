/* actornet — co-mention counting (contract: include/actornet/cooc.h).
 *
 * Pair counts live in an open-addressing hash map (linear probing, load <=
 * 3/4, growing by a quarter: core/internal.h) keyed by (a, b) with a < b.
 * Actor indices are stored as uint32_t to keep a slot small (24 bytes);
 * an_counts_create refuses larger gazetteers with AN_ELIMIT.
 *
 * Distance-weighted pair sums are kept in fixed point (units of 2^-32):
 * integer sums do not depend on the order of additions, so merged partial
 * counts stay byte-identical to the counts of the whole corpus. Only token
 * windows with distance weighting have such sums (`wsum`, beside the slots);
 * everywhere else every window adds exactly 1, so the sum is the window count.
 *
 * an_counts_add must leave the counts unchanged when it fails, and should not
 * allocate once the scratch buffers and the map have grown to the corpus. So
 * it first makes sure nothing can fail (scratch sized, map big enough for
 * every pair this document could add), and only then counts.
 */
#include <stdlib.h>
#include <string.h>

#include "actornet/cooc.h"
#include "core/internal.h"

#define EMPTY_KEY UINT32_MAX

typedef struct pair_slot {
    uint32_t a, b;       /* a == EMPTY_KEY: free slot */
    uint64_t windows;
    uint64_t documents;  /* DOC_SEEN set only inside an_counts_add: counted for this document */
} pair_slot;

#define DOC_SEEN ((uint64_t)1 << 63)

#define FX_ONE ((uint64_t)1 << 32)

/* A mention reduced to what counting needs, grouped by window. */
typedef struct win_item {
    uint64_t window;
    uint32_t actor;
} win_item;

struct an_counts {
    size_t n_actors, n_aliases;
    an_window window;
    an_count_options opts; /* actor_map points to `map` */
    size_t *map;           /* NULL = identity */

    an_actor_counts *actors;
    uint64_t *alias_hits;

    pair_slot *slots;
    uint64_t *wsum; /* weighted sums (fixed point, FX_ONE = 1) of slots[i]; NULL: = windows */
    size_t cap;   /* 0 or at least 16 */
    size_t used;  /* occupied slots */
    size_t live;  /* occupied slots with windows > 0 */
    int no_pairs; /* an_counts_drop_pairs: the pairs are gone */

    uint64_t documents, bytes, mentions, windows;

    /* scratch, reused across documents */
    uint64_t *actor_win_mark; /* window stamp that last saw the actor */
    uint64_t *actor_doc_mark; /* document stamp that last saw the actor */
    uint64_t win_stamp, doc_stamp;
    win_item *items;
    size_t cap_items;
    uint32_t *distinct; /* distinct actors of the current window */
    size_t cap_distinct;
    size_t *seen; /* slots whose documents carry DOC_SEEN during an_counts_add */
    size_t n_seen, cap_seen;
};

AN_EXPORT const char *an_window_name(an_window w) {
    switch (w) {
    case AN_WINDOW_SENTENCE:
        return "sentence";
    case AN_WINDOW_PARAGRAPH:
        return "paragraph";
    case AN_WINDOW_DOCUMENT:
        return "document";
    case AN_WINDOW_TOKENS:
        return "tokens";
    }
    return NULL;
}

AN_EXPORT an_status an_window_parse_spec(const char *spec, an_count_options *o) {
    if (!spec || !o) return AN_EINVAL;
    an_window w;
    if (an_window_parse(spec, &w) == AN_OK) {
        o->window = w;
        return AN_OK;
    }
    if (strncmp(spec, "tokens:", 7) != 0) return AN_EINVAL;
    const char *p = spec + 7;
    unsigned long n = 0;
    if (!*p) return AN_EINVAL;
    for (; *p; p++) {
        if (*p < '0' || *p > '9') return AN_EINVAL;
        n = n * 10 + (unsigned long)(*p - '0');
        if (n > AN_MAX_TOKEN_WINDOW) return AN_EINVAL;
    }
    if (n == 0) return AN_EINVAL;
    o->window = AN_WINDOW_TOKENS;
    o->tokens = (uint32_t)n;
    return AN_OK;
}

AN_EXPORT an_status an_window_parse(const char *name, an_window *out) {
    if (!name || !out) return AN_EINVAL;
    static const an_window all[] = {AN_WINDOW_SENTENCE, AN_WINDOW_PARAGRAPH, AN_WINDOW_DOCUMENT};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(name, an_window_name(all[i])) == 0) {
            *out = all[i];
            return AN_OK;
        }
    }
    return AN_EINVAL;
}

AN_EXPORT an_status an_counts_create(size_t n_actors, size_t n_aliases,
                                     const an_count_options *opts, an_counts **out) {
    if (!out) return AN_EINVAL;
    an_count_options o;
    memset(&o, 0, sizeof o);
    if (opts) o = *opts;
    an_window w = o.window;
    if (!an_window_name(w)) return AN_EINVAL;
    if (o.mode != AN_COUNT_WINDOWS && o.mode != AN_COUNT_MENTION_PAIRS) return AN_EINVAL;
    if (w == AN_WINDOW_TOKENS) {
        if (o.tokens == 0 || o.tokens > AN_MAX_TOKEN_WINDOW) return AN_EINVAL;
        o.mode = AN_COUNT_MENTION_PAIRS;
    } else {
        o.tokens = 0;
        o.distance_weighting = 0;
    }
    o.distance_weighting = o.distance_weighting != 0;
    if (o.actor_map)
        for (size_t i = 0; i < n_actors; i++)
            if (o.actor_map[i] != AN_DROP && o.actor_map[i] >= n_actors) return AN_EINVAL;
    if (n_actors >= EMPTY_KEY) return AN_ELIMIT;
    an_counts *c = an_i_calloc(1, sizeof *c);
    if (!c) return AN_ENOMEM;
    c->n_actors = n_actors;
    c->n_aliases = n_aliases;
    c->window = w;
    if (o.actor_map) {
        c->map = an_i_calloc(n_actors ? n_actors : 1, sizeof *c->map);
        if (!c->map) {
            an_i_free(c);
            return AN_ENOMEM;
        }
        if (n_actors) memcpy(c->map, o.actor_map, n_actors * sizeof *c->map);
        o.actor_map = c->map;
    }
    c->opts = o;
    c->actors = an_i_calloc(n_actors ? n_actors : 1, sizeof *c->actors);
    c->alias_hits = an_i_calloc(n_aliases ? n_aliases : 1, sizeof *c->alias_hits);
    c->actor_win_mark = an_i_calloc(n_actors ? n_actors : 1, sizeof *c->actor_win_mark);
    c->actor_doc_mark = an_i_calloc(n_actors ? n_actors : 1, sizeof *c->actor_doc_mark);
    if (!c->actors || !c->alias_hits || !c->actor_win_mark || !c->actor_doc_mark) {
        an_counts_destroy(c);
        return AN_ENOMEM;
    }
    *out = c;
    return AN_OK;
}

AN_EXPORT void an_counts_destroy(an_counts *c) {
    if (!c) return;
    an_i_free(c->actors);
    an_i_free(c->alias_hits);
    an_i_free(c->slots);
    an_i_free(c->wsum);
    an_i_free(c->actor_win_mark);
    an_i_free(c->actor_doc_mark);
    an_i_free(c->items);
    an_i_free(c->distinct);
    an_i_free(c->seen);
    an_i_free(c->map);
    an_i_free(c);
}

/* ---- pair map ---------------------------------------------------------- */

static uint64_t pair_hash(uint32_t a, uint32_t b) {
    uint64_t x = ((uint64_t)a << 32) | b;
    /* splitmix64 finaliser: consecutive actor indices spread over the table */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* In-place rehash callbacks (core/internal.h): slots and their weighted sums. */
static int slot_occupied(void *ctx, size_t i) {
    return ((an_counts *)ctx)->slots[i].a != EMPTY_KEY;
}
static uint64_t slot_hash(void *ctx, size_t i) {
    const pair_slot *s = &((an_counts *)ctx)->slots[i];
    return pair_hash(s->a, s->b);
}
static void slot_move(void *ctx, size_t from, size_t to) {
    an_counts *c = ctx;
    c->slots[to] = c->slots[from];
    c->slots[from].a = EMPTY_KEY;
    if (c->wsum) c->wsum[to] = c->wsum[from];
}
static void slot_swap(void *ctx, size_t i, size_t j) {
    an_counts *c = ctx;
    pair_slot t = c->slots[i];
    c->slots[i] = c->slots[j];
    c->slots[j] = t;
    if (c->wsum) {
        uint64_t w = c->wsum[i];
        c->wsum[i] = c->wsum[j];
        c->wsum[j] = w;
    }
}

/* Make room for `extra` more keys; on failure nothing changes (the arrays
 * may have grown, the table they hold has not). The table grows in place:
 * realloc, then rehash within it, so the old and the new table are never
 * both held (a mapped block grows by mremap, without a copy). */
static an_status map_reserve(an_counts *c, size_t extra) {
    if (extra > SIZE_MAX - c->used) return AN_ENOMEM;
    size_t need = c->used + extra;
    if (c->cap && need <= c->cap - c->cap / 4) return AN_OK;
    size_t ncap = an_i_table_grow(c->cap, need);
    if (!ncap || ncap > SIZE_MAX / sizeof(pair_slot)) return AN_ENOMEM;
    unsigned char *mark = an_i_calloc(c->cap / 8 + 1, 1);
    pair_slot *ns = mark ? an_i_realloc(c->slots, ncap * sizeof *ns) : NULL;
    if (ns) c->slots = ns;
    uint64_t *nw = NULL;
    if (ns && c->opts.distance_weighting) {
        nw = an_i_realloc(c->wsum, ncap * sizeof *nw);
        if (nw) c->wsum = nw;
    }
    if (!ns || (c->opts.distance_weighting && !nw)) {
        an_i_free(mark);
        return AN_ENOMEM;
    }
    for (size_t i = c->cap; i < ncap; i++) ns[i].a = EMPTY_KEY;
    an_i_table_ops ops = {c, slot_occupied, slot_hash, slot_move, slot_swap};
    an_i_rehash_in_place(c->cap, ncap, mark, &ops);
    an_i_free(mark);
    c->cap = ncap;
    return AN_OK;
}

/* Find or insert (a, b), a < b. The caller has reserved room. */
static pair_slot *map_get(an_counts *c, uint32_t a, uint32_t b) {
    size_t h = an_i_slot_of(pair_hash(a, b), c->cap);
    for (;;) {
        pair_slot *s = &c->slots[h];
        if (s->a == a && s->b == b) return s;
        if (s->a == EMPTY_KEY) {
            s->a = a;
            s->b = b;
            s->windows = s->documents = 0;
            if (c->wsum) c->wsum[h] = 0;
            c->used++;
            return s;
        }
        if (++h == c->cap) h = 0;
    }
}

static const pair_slot *map_find(const an_counts *c, uint32_t a, uint32_t b) {
    if (!c->cap) return NULL;
    size_t h = an_i_slot_of(pair_hash(a, b), c->cap);
    for (;;) {
        const pair_slot *s = &c->slots[h];
        if (s->a == a && s->b == b) return s;
        if (s->a == EMPTY_KEY) return NULL;
        if (++h == c->cap) h = 0;
    }
}

/* A pair's weighted sum in fixed point: without distance weighting every
 * window adds FX_ONE (wrapping like the sums it replaces). */
static uint64_t slot_weighted(const an_counts *c, const pair_slot *s) {
    return c->wsum ? c->wsum[s - c->slots] : s->windows * FX_ONE;
}

/* ---- adding a document ------------------------------------------------- */

static int cmp_win_item(const void *pa, const void *pb) {
    const win_item *x = pa, *y = pb;
    if (x->window != y->window) return x->window < y->window ? -1 : 1;
    return (x->actor > y->actor) - (x->actor < y->actor);
}

static uint64_t window_of(an_window w, const an_mention *m) {
    switch (w) {
    case AN_WINDOW_SENTENCE:
        return m->sentence;
    case AN_WINDOW_PARAGRAPH:
        return m->paragraph;
    case AN_WINDOW_TOKENS:
        return m->token;
    case AN_WINDOW_DOCUMENT:
        break;
    }
    return 0;
}

/* Collects the distinct actors of items[i..j) into c->distinct; returns their number. */
static size_t window_actors(an_counts *c, size_t i, size_t j) {
    c->win_stamp++;
    size_t k = 0;
    for (size_t t = i; t < j; t++) {
        uint32_t a = c->items[t].actor;
        if (c->actor_win_mark[a] == c->win_stamp) continue;
        c->actor_win_mark[a] = c->win_stamp;
        c->distinct[k++] = a;
    }
    return k;
}

/* The three passes over a document's pair events: bound the new pairs,
 * insert them ahead (so that counting cannot fail), count them. */
enum { OP_BOUND, OP_PREINSERT, OP_COUNT };

typedef struct pass {
    int op;
    size_t bound;
    an_status st;
} pass;

static void pair_event(an_counts *c, pass *ps, uint32_t a, uint32_t b, uint64_t fx) {
    if (a > b) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    switch (ps->op) {
    case OP_BOUND:
        if (ps->bound < SIZE_MAX) ps->bound++;
        return;
    case OP_PREINSERT:
        if (ps->st != AN_OK || map_find(c, a, b)) return;
        ps->st = map_reserve(c, 1);
        if (ps->st == AN_OK) (void)map_get(c, a, b);
        return;
    default: {
        pair_slot *s = map_get(c, a, b);
        if (s->windows++ == 0) c->live++;
        if (c->wsum) c->wsum[s - c->slots] += fx;
        if (!(s->documents & DOC_SEEN)) { /* the pair's first window in this document */
            s->documents = (s->documents + 1) | DOC_SEEN;
            c->seen[c->n_seen++] = (size_t)(s - c->slots);
        }
    }
    }
}

/* 1/(1+d) in fixed point, rounded to nearest. */
static uint64_t fx_inverse(uint64_t d) { return (FX_ONE + (d + 1) / 2) / (d + 1); }

static void visit_pairs(an_counts *c, size_t n, pass *ps) {
    const win_item *it = c->items;
    if (c->window == AN_WINDOW_TOKENS) {
        uint64_t span = c->opts.tokens;
        for (size_t i = 0; i < n && ps->st == AN_OK; i++) {
            for (size_t j = i + 1; j < n && it[j].window - it[i].window <= span; j++) {
                if (it[i].actor == it[j].actor) continue;
                uint64_t d = it[j].window - it[i].window;
                pair_event(c, ps, it[i].actor, it[j].actor,
                           c->opts.distance_weighting ? fx_inverse(d) : FX_ONE);
            }
        }
        return;
    }
    for (size_t i = 0; i < n && ps->st == AN_OK;) {
        size_t j = i;
        while (j < n && it[j].window == it[i].window) j++;
        if (c->opts.mode == AN_COUNT_WINDOWS) {
            size_t k = window_actors(c, i, j);
            if (ps->op == OP_BOUND) {
                size_t p = (k % 2 == 0) ? (k / 2) * (k - 1) : k * ((k - 1) / 2);
                ps->bound = (p > SIZE_MAX - ps->bound) ? SIZE_MAX : ps->bound + p;
            } else {
                for (size_t x = 0; x < k; x++)
                    for (size_t y = x + 1; y < k; y++)
                        pair_event(c, ps, c->distinct[x], c->distinct[y], FX_ONE);
            }
        } else {
            for (size_t x = i; x < j; x++)
                for (size_t y = x + 1; y < j; y++)
                    if (it[x].actor != it[y].actor)
                        pair_event(c, ps, it[x].actor, it[y].actor, FX_ONE);
        }
        i = j;
    }
}

AN_EXPORT an_status an_counts_add(an_counts *c, const an_mentions *m) {
    if (!c || !m || (m->count && !m->items) || c->no_pairs) return AN_EINVAL;
    size_t n_all = m->count;
    uint64_t max_window = 0;
    for (size_t i = 0; i < n_all; i++) {
        const an_mention *mi = &m->items[i];
        if (mi->actor >= c->n_actors || mi->alias >= c->n_aliases) return AN_EINVAL;
        uint64_t w = window_of(c->window, mi);
        if (w > max_window) max_window = w;
    }

    an_status st = an_i_grow((void **)&c->items, &c->cap_items, n_all, sizeof *c->items);
    if (st != AN_OK) return st;
    st = an_i_grow((void **)&c->distinct, &c->cap_distinct, n_all, sizeof *c->distinct);
    if (st != AN_OK) return st;

    /* Re-label (or drop) mentions before windows are formed: a window naming
     * two children of one parent then counts the parent once. */
    size_t n = 0;
    int sorted = 1;
    for (size_t i = 0; i < n_all; i++) {
        size_t a = c->map ? c->map[m->items[i].actor] : m->items[i].actor;
        if (a == AN_DROP) continue;
        c->items[n].window = window_of(c->window, &m->items[i]);
        c->items[n].actor = (uint32_t)a;
        if (n && c->items[n].window < c->items[n - 1].window) sorted = 0;
        n++;
    }
    /* Mentions sorted by start have non-decreasing sentence, paragraph and
     * token numbers; sort only if a caller hands us something else, so that a
     * window is never split into two runs. */
    if (!sorted) qsort(c->items, n, sizeof *c->items, cmp_win_item);

    /* Usually the map already has room for every pair the document could
     * add. If not, grow by at most about a doubling for the bound; a bound
     * much larger than the map (a long document window naming hundreds of
     * actors) would reserve memory the pairs may never use, so then insert
     * the actual new pairs first, one by one. */
    pass ps = {OP_BOUND, 0, AN_OK};
    visit_pairs(c, n, &ps);
    size_t bound = ps.bound;
    size_t small = c->used > 1024 ? c->used : 1024;
    size_t room = c->cap ? c->cap - c->cap / 4 - c->used : 0;
    if (bound > room && (bound > small || map_reserve(c, bound) != AN_OK)) {
        ps.op = OP_PREINSERT;
        visit_pairs(c, n, &ps);
        if (ps.st != AN_OK) return ps.st;
    }

    /* Room to note the distinct pairs of this document: at most one per pair
     * event, and when the pairs were inserted ahead, at most every pair. From
     * here on nothing can fail. */
    size_t most = ps.op == OP_PREINSERT && c->used < bound ? c->used : bound;
    st = an_i_grow((void **)&c->seen, &c->cap_seen, most, sizeof *c->seen);
    if (st != AN_OK) return st;
    uint64_t doc = ++c->doc_stamp;
    ps.op = OP_COUNT;
    c->n_seen = 0;
    visit_pairs(c, n, &ps);
    for (size_t i = 0; i < c->n_seen; i++) c->slots[c->seen[i]].documents &= ~DOC_SEEN;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        /* a token window is centred on each mention: every mention is one */
        if (c->window != AN_WINDOW_TOKENS)
            while (j < n && c->items[j].window == c->items[i].window) j++;
        size_t k = window_actors(c, i, j);
        for (size_t x = 0; x < k; x++) {
            uint32_t a = c->distinct[x];
            an_actor_counts *ac = &c->actors[a];
            ac->windows++;
            if (c->actor_doc_mark[a] != doc) {
                c->actor_doc_mark[a] = doc;
                ac->documents++;
            }
        }
        i = j;
    }
    for (size_t i = 0; i < n; i++) c->actors[c->items[i].actor].mentions++;
    for (size_t i = 0; i < n_all; i++) c->alias_hits[m->items[i].alias]++;

    /* The margin N of association measures: every window of the document,
     * with or without actors (for token windows: every token). A segmenter
     * that reports fewer windows than the mentions refer to would make N
     * smaller than a count; never let it. */
    uint64_t n_windows = 0;
    switch (c->window) {
    case AN_WINDOW_SENTENCE:
        n_windows = m->n_sentences;
        break;
    case AN_WINDOW_PARAGRAPH:
        n_windows = m->n_paragraphs;
        break;
    case AN_WINDOW_DOCUMENT:
        n_windows = (m->doc_bytes > 0 || n_all > 0) ? 1 : 0;
        break;
    case AN_WINDOW_TOKENS:
        n_windows = m->n_tokens;
        break;
    }
    if (n_all > 0 && n_windows < max_window + 1) n_windows = max_window + 1;

    c->documents++;
    c->bytes += m->doc_bytes;
    c->mentions += n;
    c->windows += n_windows;
    return AN_OK;
}

static int same_options(const an_counts *x, const an_counts *y) {
    if (x->window != y->window || x->opts.tokens != y->opts.tokens ||
        x->opts.mode != y->opts.mode || x->opts.distance_weighting != y->opts.distance_weighting)
        return 0;
    if (!x->map != !y->map) return 0;
    return !x->map || x->n_actors == 0 ||
           memcmp(x->map, y->map, x->n_actors * sizeof *x->map) == 0;
}

AN_EXPORT an_status an_counts_merge(an_counts *dst, const an_counts *src) {
    if (!dst || !src || dst->no_pairs || src->no_pairs) return AN_EINVAL;
    if (dst->n_actors != src->n_actors || dst->n_aliases != src->n_aliases ||
        !same_options(dst, src))
        return AN_EINVAL;

    if (dst != src) {
        an_status st = map_reserve(dst, src->live);
        if (st != AN_OK) return st;
        for (size_t i = 0; i < src->cap; i++) {
            const pair_slot *s = &src->slots[i];
            if (s->a == EMPTY_KEY || s->windows == 0) continue;
            pair_slot *d = map_get(dst, s->a, s->b);
            if (d->windows == 0) dst->live++;
            d->windows += s->windows;
            d->documents += s->documents;
            if (dst->wsum) dst->wsum[d - dst->slots] += src->wsum[i];
        }
    } else {
        for (size_t i = 0; i < dst->cap; i++) {
            dst->slots[i].windows *= 2;
            dst->slots[i].documents *= 2;
            if (dst->wsum) dst->wsum[i] *= 2;
        }
    }
    for (size_t i = 0; i < dst->n_actors; i++) {
        dst->actors[i].mentions += src->actors[i].mentions;
        dst->actors[i].windows += src->actors[i].windows;
        dst->actors[i].documents += src->actors[i].documents;
    }
    for (size_t i = 0; i < dst->n_aliases; i++) dst->alias_hits[i] += src->alias_hits[i];
    uint64_t documents = src->documents, bytes = src->bytes, mentions = src->mentions,
             windows = src->windows;
    dst->documents += documents;
    dst->bytes += bytes;
    dst->mentions += mentions;
    dst->windows += windows;
    return AN_OK;
}

/* ---- readers ----------------------------------------------------------- */

AN_EXPORT an_window an_counts_window(const an_counts *c) {
    return c ? c->window : AN_WINDOW_SENTENCE;
}
AN_EXPORT an_count_options an_counts_options(const an_counts *c) {
    an_count_options o;
    memset(&o, 0, sizeof o);
    if (c) o = c->opts;
    return o;
}
AN_EXPORT size_t an_counts_actor_count(const an_counts *c) { return c ? c->n_actors : 0; }
AN_EXPORT uint64_t an_counts_documents(const an_counts *c) { return c ? c->documents : 0; }
AN_EXPORT uint64_t an_counts_bytes(const an_counts *c) { return c ? c->bytes : 0; }
AN_EXPORT uint64_t an_counts_mentions(const an_counts *c) { return c ? c->mentions : 0; }
AN_EXPORT uint64_t an_counts_windows(const an_counts *c) { return c ? c->windows : 0; }

AN_EXPORT an_actor_counts an_counts_actor(const an_counts *c, size_t actor) {
    an_actor_counts zero = {0, 0, 0};
    if (!c || actor >= c->n_actors) return zero;
    return c->actors[actor];
}

AN_EXPORT uint64_t an_counts_alias_hits(const an_counts *c, size_t alias) {
    if (!c || alias >= c->n_aliases) return 0;
    return c->alias_hits[alias];
}

AN_EXPORT size_t an_counts_pair_count(const an_counts *c) { return c ? c->live : 0; }

static int cmp_pair(const void *pa, const void *pb) {
    const an_pair_counts *x = pa, *y = pb;
    if (x->a != y->a) return x->a < y->a ? -1 : 1;
    return (x->b > y->b) - (x->b < y->b);
}

AN_EXPORT an_status an_counts_pairs(const an_counts *c, an_pair_counts **out, size_t *n) {
    if (!c || !out || !n) return AN_EINVAL;
    if (c->live == 0) {
        *out = NULL;
        *n = 0;
        return AN_OK;
    }
    an_pair_counts *p = an_i_calloc(c->live, sizeof *p);
    if (!p) return AN_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < c->cap; i++) {
        const pair_slot *s = &c->slots[i];
        if (s->a == EMPTY_KEY || s->windows == 0) continue;
        p[k].a = s->a;
        p[k].b = s->b;
        p[k].windows = s->windows;
        p[k].documents = s->documents;
        p[k].weighted = c->wsum ? (double)c->wsum[i] / (double)FX_ONE : (double)s->windows;
        k++;
    }
    qsort(p, k, sizeof *p, cmp_pair);
    *out = p;
    *n = k;
    return AN_OK;
}

AN_EXPORT void an_counts_pairs_free(an_pair_counts *pairs) { an_i_free(pairs); }

AN_EXPORT an_status an_counts_drop_pairs(an_counts *c) {
    if (!c) return AN_EINVAL;
    an_i_free(c->slots);
    an_i_free(c->wsum);
    an_i_free(c->seen);
    c->slots = NULL;
    c->wsum = NULL;
    c->seen = NULL;
    c->cap = c->used = c->live = c->cap_seen = c->n_seen = 0;
    c->no_pairs = 1;
    return AN_OK;
}

/* ---- raw access for graph/cooc_io.c (counts files) ----------------------
 * Added for the counts file reader/writer (declared in graph/cooc_raw.h).
 * They work on the stored numbers, including the fixed-point weighted sums,
 * so that a written and re-read an_counts is identical to the original. */

#include "graph/cooc_raw.h"

size_t an_i_counts_alias_count(const an_counts *c) { return c ? c->n_aliases : 0; }

int an_i_counts_same_shape(const an_counts *x, const an_counts *y) {
    return x->n_actors == y->n_actors && x->n_aliases == y->n_aliases && same_options(x, y);
}

static int add_overflows(uint64_t a, uint64_t b) { return a > UINT64_MAX - b; }

an_status an_i_counts_add_totals(an_counts *c, uint64_t documents, uint64_t bytes,
                                 uint64_t mentions, uint64_t windows) {
    if (add_overflows(c->documents, documents) || add_overflows(c->bytes, bytes) ||
        add_overflows(c->mentions, mentions) || add_overflows(c->windows, windows))
        return AN_ELIMIT;
    c->documents += documents;
    c->bytes += bytes;
    c->mentions += mentions;
    c->windows += windows;
    return AN_OK;
}

an_status an_i_counts_add_actor(an_counts *c, size_t a, const an_actor_counts *ac) {
    if (a >= c->n_actors) return AN_EINVAL;
    an_actor_counts *d = &c->actors[a];
    if (add_overflows(d->mentions, ac->mentions) || add_overflows(d->windows, ac->windows) ||
        add_overflows(d->documents, ac->documents))
        return AN_ELIMIT;
    d->mentions += ac->mentions;
    d->windows += ac->windows;
    d->documents += ac->documents;
    return AN_OK;
}

an_status an_i_counts_add_alias(an_counts *c, size_t alias, uint64_t hits) {
    if (alias >= c->n_aliases) return AN_EINVAL;
    if (add_overflows(c->alias_hits[alias], hits)) return AN_ELIMIT;
    c->alias_hits[alias] += hits;
    return AN_OK;
}

an_status an_i_counts_add_pair(an_counts *c, size_t a, size_t b, uint64_t windows,
                               uint64_t documents, uint64_t weighted_fx) {
    if (a >= b || b >= c->n_actors || windows == 0 || c->no_pairs) return AN_EINVAL;
    /* without distance weighting the sum is the window count, nothing else */
    if (!c->opts.distance_weighting && weighted_fx != windows * FX_ONE)
        return AN_EINVAL;
    const pair_slot *f = map_find(c, (uint32_t)a, (uint32_t)b);
    if (f && (add_overflows(f->windows, windows) || add_overflows(f->documents, documents) ||
              add_overflows(slot_weighted(c, f), weighted_fx)))
        return AN_ELIMIT;
    if (!f) {
        an_status st = map_reserve(c, 1);
        if (st != AN_OK) return st;
    }
    pair_slot *s = map_get(c, (uint32_t)a, (uint32_t)b);
    if (s->windows == 0) c->live++;
    s->windows += windows;
    s->documents += documents;
    if (c->wsum) c->wsum[s - c->slots] += weighted_fx;
    return AN_OK;
}

static int cmp_u64(const void *x, const void *y) {
    uint64_t p = *(const uint64_t *)x, q = *(const uint64_t *)y;
    return (p > q) - (p < q);
}

int an_i_counts_pairs_dropped(const an_counts *c) { return c->no_pairs; }

an_status an_i_counts_pair_keys(const an_counts *c, uint64_t **keys, size_t *n) {
    *keys = NULL;
    *n = 0;
    if (c->no_pairs) return AN_EINVAL;
    if (c->live == 0) return AN_OK;
    uint64_t *k = an_i_malloc(c->live * sizeof *k); /* live <= cap < 2^32 */
    if (!k) return AN_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < c->cap; i++) {
        const pair_slot *s = &c->slots[i];
        if (s->a != EMPTY_KEY && s->windows != 0) k[m++] = (uint64_t)s->a << 32 | s->b;
    }
    qsort(k, m, sizeof *k, cmp_u64);
    *keys = k;
    *n = m;
    return AN_OK;
}

int an_i_counts_pair_get(const an_counts *c, size_t a, size_t b, uint64_t *windows,
                         uint64_t *documents, uint64_t *weighted_fx) {
    const pair_slot *s = a < b && b < c->n_actors ? map_find(c, (uint32_t)a, (uint32_t)b) : NULL;
    if (!s || s->windows == 0) return 0;
    *windows = s->windows;
    *documents = s->documents;
    *weighted_fx = slot_weighted(c, s);
    return 1;
}

an_status an_i_counts_prepare_merge(an_counts *dst, const an_counts *src) {
    if (!an_i_counts_same_shape(dst, src) || dst->no_pairs || src->no_pairs) return AN_EINVAL;
    if (add_overflows(dst->documents, src->documents) || add_overflows(dst->bytes, src->bytes) ||
        add_overflows(dst->mentions, src->mentions) || add_overflows(dst->windows, src->windows))
        return AN_ELIMIT;
    for (size_t i = 0; i < dst->n_actors; i++) {
        const an_actor_counts *d = &dst->actors[i], *s = &src->actors[i];
        if (add_overflows(d->mentions, s->mentions) || add_overflows(d->windows, s->windows) ||
            add_overflows(d->documents, s->documents))
            return AN_ELIMIT;
    }
    for (size_t i = 0; i < dst->n_aliases; i++)
        if (add_overflows(dst->alias_hits[i], src->alias_hits[i])) return AN_ELIMIT;
    for (size_t i = 0; i < src->cap; i++) {
        const pair_slot *s = &src->slots[i];
        if (s->a == EMPTY_KEY || s->windows == 0) continue;
        const pair_slot *d = dst == src ? s : map_find(dst, s->a, s->b);
        if (d && (add_overflows(d->windows, s->windows) ||
                  add_overflows(d->documents, s->documents) ||
                  (dst->wsum && add_overflows(slot_weighted(dst, d), src->wsum[i]))))
            return AN_ELIMIT;
    }
    /* the same reservation an_counts_merge makes, so that it cannot fail */
    return dst == src ? AN_OK : map_reserve(dst, src->live);
}
