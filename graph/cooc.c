/* actornet — co-mention counting (contract: include/actornet/cooc.h).
 *
 * Pair counts live in an open-addressing hash map (linear probing, power-of-two
 * capacity, load <= 3/4) keyed by (a, b) with a < b. Actor indices are stored
 * as uint32_t to keep a slot at 32 bytes; an_counts_create refuses larger
 * gazetteers with AN_ELIMIT.
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
    uint64_t documents;
    uint64_t last_doc;   /* document stamp that last counted this pair's documents */
} pair_slot;

/* A mention reduced to what counting needs, grouped by window. */
typedef struct win_item {
    uint64_t window;
    uint32_t actor;
} win_item;

struct an_counts {
    size_t n_actors, n_aliases;
    an_window window;

    an_actor_counts *actors;
    uint64_t *alias_hits;

    pair_slot *slots;
    size_t cap;   /* 0 or a power of two */
    size_t used;  /* occupied slots */
    size_t live;  /* occupied slots with windows > 0 */

    uint64_t documents, bytes, mentions, windows;

    /* scratch, reused across documents */
    uint64_t *actor_win_mark; /* window stamp that last saw the actor */
    uint64_t *actor_doc_mark; /* document stamp that last saw the actor */
    uint64_t win_stamp, doc_stamp;
    win_item *items;
    size_t cap_items;
    uint32_t *distinct; /* distinct actors of the current window */
    size_t cap_distinct;
};

AN_EXPORT const char *an_window_name(an_window w) {
    switch (w) {
    case AN_WINDOW_SENTENCE:
        return "sentence";
    case AN_WINDOW_PARAGRAPH:
        return "paragraph";
    case AN_WINDOW_DOCUMENT:
        return "document";
    }
    return NULL;
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
    an_window w = opts ? opts->window : AN_WINDOW_SENTENCE;
    if (!an_window_name(w)) return AN_EINVAL;
    if (n_actors >= EMPTY_KEY) return AN_ELIMIT;
    an_counts *c = an_i_calloc(1, sizeof *c);
    if (!c) return AN_ENOMEM;
    c->n_actors = n_actors;
    c->n_aliases = n_aliases;
    c->window = w;
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
    an_i_free(c->actor_win_mark);
    an_i_free(c->actor_doc_mark);
    an_i_free(c->items);
    an_i_free(c->distinct);
    an_i_free(c);
}

/* ---- pair map ---------------------------------------------------------- */

static size_t pair_hash(uint32_t a, uint32_t b) {
    uint64_t x = ((uint64_t)a << 32) | b;
    /* splitmix64 finaliser: consecutive actor indices spread over the table */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return (size_t)x;
}

/* Capacity needed to hold n keys at load <= 3/4; 0 on overflow. */
static size_t cap_for(size_t n) {
    size_t cap = 16;
    while (cap - cap / 4 < n) {
        if (cap > SIZE_MAX / 2) return 0;
        cap *= 2;
    }
    return cap;
}

static pair_slot *alloc_slots(size_t cap) {
    if (cap > SIZE_MAX / sizeof(pair_slot)) return NULL;
    pair_slot *s = an_i_malloc(cap * sizeof *s);
    if (!s) return NULL;
    for (size_t i = 0; i < cap; i++) s[i].a = EMPTY_KEY;
    return s;
}

/* Make room for `extra` more keys; on failure nothing changes. */
static an_status map_reserve(an_counts *c, size_t extra) {
    if (extra > SIZE_MAX - c->used) return AN_ENOMEM;
    size_t need = c->used + extra;
    if (c->cap && need <= c->cap - c->cap / 4) return AN_OK;
    size_t ncap = cap_for(need);
    if (!ncap) return AN_ENOMEM;
    pair_slot *ns = alloc_slots(ncap);
    if (!ns) return AN_ENOMEM;
    size_t mask = ncap - 1;
    for (size_t i = 0; i < c->cap; i++) {
        const pair_slot *s = &c->slots[i];
        if (s->a == EMPTY_KEY) continue;
        size_t h = pair_hash(s->a, s->b) & mask;
        while (ns[h].a != EMPTY_KEY) h = (h + 1) & mask;
        ns[h] = *s;
    }
    an_i_free(c->slots);
    c->slots = ns;
    c->cap = ncap;
    return AN_OK;
}

/* Find or insert (a, b), a < b. The caller has reserved room. */
static pair_slot *map_get(an_counts *c, uint32_t a, uint32_t b) {
    size_t mask = c->cap - 1;
    size_t h = pair_hash(a, b) & mask;
    for (;;) {
        pair_slot *s = &c->slots[h];
        if (s->a == a && s->b == b) return s;
        if (s->a == EMPTY_KEY) {
            s->a = a;
            s->b = b;
            s->windows = s->documents = s->last_doc = 0;
            c->used++;
            return s;
        }
        h = (h + 1) & mask;
    }
}

static const pair_slot *map_find(const an_counts *c, uint32_t a, uint32_t b) {
    if (!c->cap) return NULL;
    size_t mask = c->cap - 1;
    size_t h = pair_hash(a, b) & mask;
    for (;;) {
        const pair_slot *s = &c->slots[h];
        if (s->a == a && s->b == b) return s;
        if (s->a == EMPTY_KEY) return NULL;
        h = (h + 1) & mask;
    }
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

/* Upper bound of the new pairs this document can create, saturated at SIZE_MAX. */
static size_t pair_bound(an_counts *c, size_t n) {
    size_t bound = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && c->items[j].window == c->items[i].window) j++;
        size_t k = window_actors(c, i, j);
        size_t p = (k % 2 == 0) ? (k / 2) * (k - 1) : k * ((k - 1) / 2);
        bound = (p > SIZE_MAX - bound) ? SIZE_MAX : bound + p;
        i = j;
    }
    return bound;
}

/* Inserts (with zero counts) every pair of the document that is not in the
 * map yet, growing the map as needed. Used only when the cheap bound does not
 * fit; zero-count slots are invisible to every reader. */
static an_status preinsert_pairs(an_counts *c, size_t n) {
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && c->items[j].window == c->items[i].window) j++;
        size_t k = window_actors(c, i, j);
        for (size_t x = 0; x < k; x++) {
            for (size_t y = x + 1; y < k; y++) {
                uint32_t a = c->distinct[x], b = c->distinct[y];
                if (a > b) {
                    uint32_t t = a;
                    a = b;
                    b = t;
                }
                if (map_find(c, a, b)) continue;
                an_status st = map_reserve(c, 1);
                if (st != AN_OK) return st;
                (void)map_get(c, a, b);
            }
        }
        i = j;
    }
    return AN_OK;
}

AN_EXPORT an_status an_counts_add(an_counts *c, const an_mentions *m) {
    if (!c || !m || (m->count && !m->items)) return AN_EINVAL;
    size_t n = m->count;
    uint64_t max_window = 0;
    for (size_t i = 0; i < n; i++) {
        const an_mention *mi = &m->items[i];
        if (mi->actor >= c->n_actors || mi->alias >= c->n_aliases) return AN_EINVAL;
        uint64_t w = window_of(c->window, mi);
        if (w > max_window) max_window = w;
    }

    an_status st = an_i_grow((void **)&c->items, &c->cap_items, n, sizeof *c->items);
    if (st != AN_OK) return st;
    st = an_i_grow((void **)&c->distinct, &c->cap_distinct, n, sizeof *c->distinct);
    if (st != AN_OK) return st;

    int sorted = 1;
    for (size_t i = 0; i < n; i++) {
        c->items[i].window = window_of(c->window, &m->items[i]);
        c->items[i].actor = (uint32_t)m->items[i].actor;
        if (i && c->items[i].window < c->items[i - 1].window) sorted = 0;
    }
    /* Mentions sorted by start have non-decreasing sentence and paragraph
     * numbers; sort only if a caller hands us something else, so that a
     * window is never split into two runs. */
    if (!sorted) qsort(c->items, n, sizeof *c->items, cmp_win_item);

    /* Usually the map already has room for every pair the document could
     * add. If not, grow by at most about a doubling for the bound; a bound
     * much larger than the map (a long document window naming hundreds of
     * actors) would reserve memory the pairs may never use, so then insert
     * the actual new pairs first, one by one. */
    size_t bound = pair_bound(c, n);
    size_t small = c->used > 1024 ? c->used : 1024;
    size_t room = c->cap ? c->cap - c->cap / 4 - c->used : 0;
    if (bound > room && (bound > small || map_reserve(c, bound) != AN_OK)) {
        st = preinsert_pairs(c, n);
        if (st != AN_OK) return st;
    }

    /* From here on nothing can fail. */
    uint64_t doc = ++c->doc_stamp;
    uint64_t n_windows = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
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
            for (size_t y = x + 1; y < k; y++) {
                uint32_t lo = a, hi = c->distinct[y];
                if (lo > hi) {
                    uint32_t t = lo;
                    lo = hi;
                    hi = t;
                }
                pair_slot *s = map_get(c, lo, hi);
                if (s->windows++ == 0) c->live++;
                if (s->last_doc != doc) {
                    s->last_doc = doc;
                    s->documents++;
                }
            }
        }
        i = j;
    }
    for (size_t i = 0; i < n; i++) {
        c->actors[m->items[i].actor].mentions++;
        c->alias_hits[m->items[i].alias]++;
    }

    /* The margin N of association measures: every window of the document,
     * with or without actors. A segmenter that reports fewer windows than the
     * mentions refer to would make N smaller than a pair count; never let it. */
    switch (c->window) {
    case AN_WINDOW_SENTENCE:
        n_windows = m->n_sentences;
        break;
    case AN_WINDOW_PARAGRAPH:
        n_windows = m->n_paragraphs;
        break;
    case AN_WINDOW_DOCUMENT:
        n_windows = (m->doc_bytes > 0 || n > 0) ? 1 : 0;
        break;
    }
    if (n > 0 && n_windows < max_window + 1) n_windows = max_window + 1;

    c->documents++;
    c->bytes += m->doc_bytes;
    c->mentions += n;
    c->windows += n_windows;
    return AN_OK;
}

AN_EXPORT an_status an_counts_merge(an_counts *dst, const an_counts *src) {
    if (!dst || !src) return AN_EINVAL;
    if (dst->n_actors != src->n_actors || dst->n_aliases != src->n_aliases ||
        dst->window != src->window)
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
        }
    } else {
        for (size_t i = 0; i < dst->cap; i++) {
            dst->slots[i].windows *= 2;
            dst->slots[i].documents *= 2;
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
        k++;
    }
    qsort(p, k, sizeof *p, cmp_pair);
    *out = p;
    *n = k;
    return AN_OK;
}

AN_EXPORT void an_counts_pairs_free(an_pair_counts *pairs) { an_i_free(pairs); }
