/* actornet — evidence store (include/actornet/evidence.h). No igraph, no Graphviz.
 *
 * Layout: one open-addressing table of 16-byte slots keyed by (a, b); an
 * actor's own mention windows live under the key (a, a), which no pair can
 * have since pairs are a < b. A slot refers to a block of at most K small
 * records sorted by (doc_seq, start, end), kept in a pool of fixed-size pages
 * (no allocation, header or pointer per pair); a record's spans, document id
 * and text are one blob in the store's spool: a buffer of at most `buffer`
 * bytes (an_evidence_set_buffer) whose full contents are appended to an
 * unlinked temporary file. So the memory of a store is about 55 bytes per
 * pair and actor (K = 1) whatever the text, and a record is read back (pread)
 * only when an output asks for it.
 *
 * Keeping "the K smallest keys" (instead of "the first K seen") is what makes
 * the result independent of thread count and merge order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actornet/evidence.h"
#include "core/internal.h"
#include "graph/render_internal.h"

/* A record in memory: its key and where its blob is. */
typedef struct rec {
    uint64_t doc_seq;
    uint64_t start, end;
    uint64_t off; /* blob offset in the spool (the blob's header gives its length) */
} rec;

/* A blob: this header, the spans of a then b, the document id, the text.
 * Blobs start at multiples of 8, so the spans can be read in place. */
typedef struct blob_head {
    uint64_t text_start;
    uint32_t n_a, n_b, id_len, text_len;
} blob_head;

typedef struct slot {
    uint32_t a, b;
    uint32_t n;   /* records */
    uint32_t ref; /* 1 + the pool reference of its block; 0: free slot */
} slot;

/* The record pool: pages of POOL_PAGE records. A slot's block is block_cap(n)
 * consecutive records of one page; ref = page << POOL_SHIFT | offset. A block
 * of more than POOL_PAGE records (K > POOL_PAGE) has a page of its own. Blocks
 * left by growth wait for reuse in a free list per size class, linked through
 * their first record's `off`. */
#define POOL_SHIFT 10u
#define POOL_PAGE (1u << POOL_SHIFT)
#define POOL_MAX_PAGES (UINT32_MAX >> POOL_SHIFT)
#define POOL_CLASSES 33

typedef struct pool {
    rec **pages;
    uint32_t n_pages, cap_pages;
    uint32_t tail; /* the page blocks are cut from */
    uint32_t fill; /* records handed out from it (POOL_PAGE: none left, or no page yet) */
    uint32_t free_head[POOL_CLASSES]; /* 1 + ref of a free block of 2^c records (or K), 0: none */
} pool;

/* Append-only blob store: offsets below `flushed` are in the file, the rest
 * in buf. The file is created at the first flush. */
typedef struct spool {
    char *buf;
    size_t len, cap, limit;
    int fd;
    uint64_t flushed;
} spool;

struct an_evidence {
    size_t k;
    int no_actors; /* an_evidence_keep_actors(ev, 0) */
    slot *slots;
    size_t cap, used;
    pool pool;
    /* items[i]: slot i's records read back by an_evidence_pair/actor (kept
     * until the slot changes), or NULL; the array itself only once asked */
    an_evidence_item **items;
    size_t n_pairs, n_actors;
    spool sp;
    /* an_evidence_park: the table is in the spool at park_off (park_bytes
     * bytes), slots is NULL and cap 0 until unpark() reads it back. */
    int parked;
    uint64_t park_off;
    size_t park_bytes, park_cap;
    /* an_evidence_add's scratch, kept between documents */
    struct ment *ms;
    size_t *acts;
    size_t cap_ms;
    an_span *spans; /* 2 * AN_EVIDENCE_MAX_SPANS */
};

#define MAX_ACTOR 0xFFFFFFFEu

AN_EXPORT an_status an_evidence_create(size_t k_per_pair, an_evidence **out) {
    if (!out || k_per_pair == 0 || k_per_pair > UINT32_MAX) return AN_EINVAL;
    an_evidence *ev = an_i_calloc(1, sizeof *ev);
    if (!ev) return AN_ENOMEM;
    ev->k = k_per_pair;
    ev->pool.fill = POOL_PAGE;
    ev->sp.fd = -1;
    ev->sp.limit = AN_EVIDENCE_BUFFER;
    *out = ev;
    return AN_OK;
}

AN_EXPORT an_status an_evidence_keep_actors(an_evidence *ev, int keep) {
    if (!ev) return AN_EINVAL;
    ev->no_actors = !keep;
    return AN_OK;
}

AN_EXPORT an_status an_evidence_set_buffer(an_evidence *ev, size_t bytes) {
    if (!ev) return AN_EINVAL;
    ev->sp.limit = bytes;
    return AN_OK;
}

static void item_free(an_evidence_item *it) {
    /* The block starts at a_spans (see make_item). */
    an_i_free((void *)it->a_spans);
}

/* Drops the records of slot i read back (see slot_items). */
static void slot_drop_items(an_evidence *ev, size_t i) {
    if (!ev->items || !ev->items[i]) return;
    for (size_t j = 0; j < ev->slots[i].n; j++) item_free(&ev->items[i][j]);
    an_i_free(ev->items[i]);
    ev->items[i] = NULL;
}

/* --- the record pool ---------------------------------------------------------------- */

/* The records of a block holding n (1, 2, 4, ... up to K; at least 1). */
static size_t block_cap(const an_evidence *ev, size_t n) {
    size_t c = 1;
    while (c < n && c < ev->k) c *= 2;
    return c < ev->k ? c : ev->k;
}

static unsigned block_class(size_t cap) {
    unsigned c = 0;
    while (((size_t)1 << c) < cap) c++;
    return c;
}

static rec *pool_at(const pool *pl, uint32_t ref) {
    return pl->pages[ref >> POOL_SHIFT] + (ref & (POOL_PAGE - 1));
}

static an_status pool_add_page(pool *pl, size_t recs) {
    if (pl->n_pages == POOL_MAX_PAGES) return AN_ELIMIT;
    if (pl->n_pages == pl->cap_pages) {
        uint32_t nc = pl->cap_pages ? 2 * pl->cap_pages : 16;
        if (nc > POOL_MAX_PAGES) nc = POOL_MAX_PAGES;
        rec **np = an_i_realloc(pl->pages, (size_t)nc * sizeof(rec *));
        if (!np) return AN_ENOMEM;
        pl->pages = np;
        pl->cap_pages = nc;
    }
    rec *page = an_i_malloc(recs * sizeof *page);
    if (!page) return AN_ENOMEM;
    pl->pages[pl->n_pages++] = page;
    return AN_OK;
}

/* A block of cap records: *ref its reference. */
static an_status pool_alloc(pool *pl, size_t cap, uint32_t *ref) {
    unsigned c = block_class(cap);
    if (c < POOL_CLASSES && pl->free_head[c]) {
        *ref = pl->free_head[c] - 1;
        pl->free_head[c] = (uint32_t)pool_at(pl, *ref)->off;
        return AN_OK;
    }
    if (cap > POOL_PAGE) { /* a page of its own */
        if (cap > SIZE_MAX / sizeof(rec)) return AN_ENOMEM;
        an_status st = pool_add_page(pl, cap);
        if (st == AN_OK) *ref = (pl->n_pages - 1) << POOL_SHIFT;
        return st;
    }
    if (pl->fill + cap > POOL_PAGE) {
        an_status st = pool_add_page(pl, POOL_PAGE);
        if (st != AN_OK) return st;
        pl->tail = pl->n_pages - 1;
        pl->fill = 0;
    }
    *ref = pl->tail << POOL_SHIFT | pl->fill;
    pl->fill += (uint32_t)cap;
    return AN_OK;
}

static void pool_release(pool *pl, uint32_t ref, size_t cap) {
    unsigned c = block_class(cap);
    pool_at(pl, ref)->off = pl->free_head[c];
    pl->free_head[c] = ref + 1;
}

static void pool_free(pool *pl) {
    for (uint32_t i = 0; i < pl->n_pages; i++) an_i_free(pl->pages[i]);
    an_i_free(pl->pages);
    memset(pl, 0, sizeof *pl);
    pl->fill = POOL_PAGE;
}

static rec *slot_recs(const an_evidence *ev, const slot *s) {
    return pool_at(&ev->pool, s->ref - 1);
}

/* Frees the table (slots, records, cached items); the store then has none. */
static void table_free(an_evidence *ev) {
    for (size_t i = 0; ev->items && i < ev->cap; i++) slot_drop_items(ev, i);
    an_i_free(ev->items);
    ev->items = NULL;
    an_i_free(ev->slots);
    ev->slots = NULL;
    ev->cap = 0;
    pool_free(&ev->pool);
}

AN_EXPORT void an_evidence_destroy(an_evidence *ev) {
    if (!ev) return;
    table_free(ev);
    an_i_free(ev->sp.buf);
    if (ev->sp.fd >= 0) close(ev->sp.fd);
    an_i_free(ev->ms);
    an_i_free(ev->acts);
    an_i_free(ev->spans);
    an_i_free(ev);
}

AN_EXPORT size_t an_evidence_k(const an_evidence *ev) { return ev ? ev->k : 0; }
AN_EXPORT size_t an_evidence_pair_count(const an_evidence *ev) { return ev ? ev->n_pairs : 0; }
AN_EXPORT size_t an_evidence_actor_count(const an_evidence *ev) { return ev ? ev->n_actors : 0; }

/* --- the spool ------------------------------------------------------------------- */

AN_EXPORT const char *an_evidence_spill_dir(void) {
    const char *dir = getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
}

static an_status spool_flush(spool *sp) {
    if (!sp->len) return AN_OK;
    if (sp->fd < 0) {
        const char *dir = an_evidence_spill_dir();
        size_t dl = strlen(dir);
        static const char name[] = "/actornet-evidence-XXXXXX";
        char *path = an_i_malloc(dl + sizeof name);
        if (!path) return AN_ENOMEM;
        memcpy(path, dir, dl);
        memcpy(path + dl, name, sizeof name);
        sp->fd = mkstemp(path);
        if (sp->fd >= 0) unlink(path); /* the file lives as long as the descriptor */
        an_i_free(path);
        if (sp->fd < 0) return AN_EIO;
    }
    if (an_i_write_all(sp->fd, sp->buf, sp->len) != 0) return AN_EIO;
    sp->flushed += sp->len;
    sp->len = 0;
    return AN_OK;
}

/* Room for a blob of n bytes (a multiple of 8): *p to write it, *off its offset. */
static an_status spool_reserve(spool *sp, size_t n, char **p, uint64_t *off) {
    if (sp->len && sp->len + n > sp->limit) {
        an_status st = spool_flush(sp);
        if (st != AN_OK) return st;
    }
    if (sp->len + n > sp->cap) {
        size_t ncap = sp->cap ? sp->cap : 4096;
        while (ncap < sp->len + n) ncap *= 2;
        char *nb = an_i_realloc(sp->buf, ncap);
        if (!nb) return AN_ENOMEM;
        sp->buf = nb;
        sp->cap = ncap;
    }
    *p = sp->buf + sp->len;
    *off = sp->flushed + sp->len;
    sp->len += n;
    return AN_OK;
}

/* The blob at off: in the buffer, or read into *scratch (grown as needed;
 * scratch and scap may be NULL when off is in the buffer). */
static an_status spool_get(const spool *sp, uint64_t off, size_t n, char **scratch,
                           size_t *scap, const char **out) {
    if (n == 0) return AN_EINVAL; /* nothing is stored empty */
    if (off >= sp->flushed) {
        if (!sp->buf || off - sp->flushed + n > sp->len) return AN_EINVAL;
        *out = sp->buf + (off - sp->flushed);
        return AN_OK;
    }
    if (n > *scap) {
        char *nb = an_i_realloc(*scratch, n);
        if (!nb) return AN_ENOMEM;
        *scratch = nb;
        *scap = n;
    }
    if (an_i_read_all(sp->fd, *scratch, n, (int64_t)off) != n) return AN_EIO;
    *out = *scratch;
    return AN_OK;
}

static size_t blob_size(size_t n_spans, size_t id_len, size_t text_len) {
    size_t n = sizeof(blob_head) + n_spans * sizeof(an_span) + id_len + text_len;
    return (n + 7) & ~(size_t)7;
}

/* The length of the blob whose head is h. */
static size_t blob_len(const blob_head *h) {
    return blob_size((size_t)h->n_a + h->n_b, h->id_len, h->text_len);
}

/* The whole blob at off: its header, read first, gives its length (a
 * record does not keep it, 8 bytes less per record in memory). */
static an_status blob_get(const spool *sp, uint64_t off, char **scratch, size_t *scap,
                          const char **out) {
    const char *p;
    an_status st = spool_get(sp, off, sizeof(blob_head), scratch, scap, &p);
    if (st != AN_OK) return st;
    blob_head h;
    memcpy(&h, p, sizeof h);
    return spool_get(sp, off, blob_len(&h), scratch, scap, out);
}

/* The record as an item whose pointers point into blob. */
static void blob_view(const slot *s, const rec *r, const char *blob, an_evidence_item *it) {
    blob_head h;
    memcpy(&h, blob, sizeof h);
    const an_span *sp = (const an_span *)(const void *)(blob + sizeof h);
    const char *id = (const char *)(sp + h.n_a + h.n_b);
    memset(it, 0, sizeof *it);
    it->a = s->a;
    it->b = s->b;
    it->doc_seq = r->doc_seq;
    it->doc_id = id; /* not NUL-terminated here: see make_item */
    it->start = (size_t)r->start;
    it->end = (size_t)r->end;
    it->text_start = (size_t)h.text_start;
    it->text = id + h.id_len;
    it->text_len = h.text_len;
    it->a_spans = sp;
    it->n_a_spans = h.n_a;
    it->b_spans = sp + h.n_a;
    it->n_b_spans = h.n_b;
}

/* --- the table ---------------------------------------------------------------- */

static uint64_t key_hash(size_t a, size_t b) {
    return an_i_mix64(an_i_mix64((uint64_t)a) ^ (uint64_t)b);
}

static size_t slot_index(const slot *slots, size_t cap, size_t a, size_t b) {
    size_t i = an_i_slot_of(key_hash(a, b), cap);
    while (slots[i].ref && (slots[i].a != a || slots[i].b != b))
        if (++i == cap) i = 0;
    return i;
}

static slot *slot_find(const an_evidence *ev, size_t a, size_t b) {
    if (!ev || !ev->cap) return NULL;
    size_t i = slot_index(ev->slots, ev->cap, a, b);
    return ev->slots[i].ref ? &ev->slots[i] : NULL;
}

/* In-place rehash callbacks (core/internal.h): slots and their read-back items. */
static int slot_occupied(void *ctx, size_t i) { return ((an_evidence *)ctx)->slots[i].ref != 0; }
static uint64_t slot_hash(void *ctx, size_t i) {
    const slot *s = &((an_evidence *)ctx)->slots[i];
    return key_hash(s->a, s->b);
}
static void slot_move(void *ctx, size_t from, size_t to) {
    an_evidence *ev = ctx;
    ev->slots[to] = ev->slots[from];
    memset(&ev->slots[from], 0, sizeof *ev->slots);
    if (ev->items) {
        ev->items[to] = ev->items[from];
        ev->items[from] = NULL;
    }
}
static void slot_swap(void *ctx, size_t i, size_t j) {
    an_evidence *ev = ctx;
    slot t = ev->slots[i];
    ev->slots[i] = ev->slots[j];
    ev->slots[j] = t;
    if (ev->items) {
        an_evidence_item *x = ev->items[i];
        ev->items[i] = ev->items[j];
        ev->items[j] = x;
    }
}

/* Room for one more key, grown in place like the counts table (graph/cooc.c):
 * on failure the table is unchanged. */
static an_status table_grow(an_evidence *ev) {
    if (ev->cap && ev->used + 1 <= ev->cap - ev->cap / 4) return AN_OK;
    size_t ncap = an_i_table_grow(ev->cap, ev->used + 1);
    if (!ncap || ncap > SIZE_MAX / sizeof(slot)) return AN_ENOMEM;
    unsigned char *mark = an_i_calloc(ev->cap / 8 + 1, 1);
    slot *ns = mark ? an_i_realloc(ev->slots, ncap * sizeof *ns) : NULL;
    if (ns) ev->slots = ns;
    an_evidence_item **ni = NULL;
    if (ns && ev->items) {
        ni = an_i_realloc(ev->items, ncap * sizeof(an_evidence_item *));
        if (ni) ev->items = ni;
    }
    if (!ns || (ev->items && !ni)) {
        an_i_free(mark);
        return AN_ENOMEM;
    }
    memset(ns + ev->cap, 0, (ncap - ev->cap) * sizeof *ns);
    for (size_t i = ev->cap; ni && i < ncap; i++) ni[i] = NULL;
    an_i_table_ops ops = {ev, slot_occupied, slot_hash, slot_move, slot_swap};
    an_i_rehash_in_place(ev->cap, ncap, mark, &ops);
    an_i_free(mark);
    ev->cap = ncap;
    return AN_OK;
}

/* Finds or adds the slot of (a, b); a, b <= MAX_ACTOR (offer checks new
 * keys; a merge copies keys of a store that did). NULL: out of memory. */
static slot *slot_get(an_evidence *ev, size_t a, size_t b) {
    slot *s = slot_find(ev, a, b);
    if (s) return s;
    uint32_t ref;
    if (table_grow(ev) != AN_OK || pool_alloc(&ev->pool, 1, &ref) != AN_OK) return NULL;
    s = &ev->slots[slot_index(ev->slots, ev->cap, a, b)];
    s->a = (uint32_t)a;
    s->b = (uint32_t)b;
    s->n = 0;
    s->ref = ref + 1;
    ev->used++;
    if (a == b)
        ev->n_actors++;
    else
        ev->n_pairs++;
    return s;
}

static int key_cmp(uint64_t d1, uint64_t s1, uint64_t e1, uint64_t d2, uint64_t s2, uint64_t e2) {
    if (d1 != d2) return d1 < d2 ? -1 : 1;
    if (s1 != s2) return s1 < s2 ? -1 : 1;
    if (e1 != e2) return e1 < e2 ? -1 : 1;
    return 0;
}

/* Where a record with this key goes in s, or -1 when it is not kept (the
 * slot is full of smaller keys, or holds the same key already). */
static long slot_offer(const an_evidence *ev, const slot *s, uint64_t doc, uint64_t start,
                       uint64_t end) {
    const rec *recs = slot_recs(ev, s);
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const rec *r = &recs[mid];
        int c = key_cmp(r->doc_seq, r->start, r->end, doc, start, end);
        if (c == 0) return -1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= ev->k) return -1;
    return (long)lo;
}

/* Makes room for a record at position pos of s (dropping the largest when
 * the slot is full) and returns it; NULL (AN_ENOMEM) leaves s unchanged. */
static rec *slot_insert(an_evidence *ev, slot *s, size_t pos) {
    size_t cap = block_cap(ev, s->n);
    if (s->n == cap && s->n < ev->k) { /* into a bigger block */
        size_t ncap = block_cap(ev, s->n + 1);
        uint32_t ref;
        if (pool_alloc(&ev->pool, ncap, &ref) != AN_OK) return NULL;
        if (s->n) memcpy(pool_at(&ev->pool, ref), slot_recs(ev, s), s->n * sizeof(rec));
        pool_release(&ev->pool, s->ref - 1, cap);
        s->ref = ref + 1;
    }
    slot_drop_items(ev, (size_t)(s - ev->slots));
    if (s->n == ev->k) s->n--; /* its blob stays in the spool, unreferenced */
    rec *recs = slot_recs(ev, s);
    memmove(&recs[pos + 1], &recs[pos], (s->n - pos) * sizeof *recs);
    s->n++;
    return &recs[pos];
}

/* Stores a record: its blob in the spool, its key at position pos of s. */
static an_status store(an_evidence *ev, slot *s, size_t pos, uint64_t doc, uint64_t start,
                       uint64_t end, const char *doc_id, size_t idl, uint64_t text_start,
                       const char *text, size_t text_len, const an_span *as, size_t na,
                       const an_span *bs, size_t nb) {
    size_t n = blob_size(na + nb, idl, text_len);
    if (n > UINT32_MAX) return AN_ELIMIT;
    char *p;
    uint64_t off;
    an_status st = spool_reserve(&ev->sp, n, &p, &off);
    if (st != AN_OK) return st;
    blob_head h = {text_start, (uint32_t)na, (uint32_t)nb, (uint32_t)idl, (uint32_t)text_len};
    memcpy(p, &h, sizeof h);
    char *q = p + sizeof h;
    if (na) memcpy(q, as, na * sizeof *as);
    q += na * sizeof *as;
    if (nb) memcpy(q, bs, nb * sizeof *bs);
    q += nb * sizeof *bs;
    if (idl) memcpy(q, doc_id, idl);
    q += idl;
    if (text_len) memcpy(q, text, text_len);
    q += text_len;
    memset(q, 0, (size_t)(p + n - q)); /* padding: no uninitialised bytes reach the file */
    rec *r = slot_insert(ev, s, pos);
    if (!r) {
        ev->sp.len -= n; /* the blob was the spool's last */
        return AN_ENOMEM;
    }
    r->doc_seq = doc;
    r->start = start;
    r->end = end;
    r->off = off;
    return AN_OK;
}

/* A copy of a viewed item that owns its memory: one block with the spans,
 * the NUL-terminated document id and the NUL-terminated text. */
static an_status make_item(an_evidence_item *it, const an_evidence_item *v, size_t idl) {
    size_t spans = (v->n_a_spans + v->n_b_spans) * sizeof(an_span);
    char *blk = an_i_malloc(spans + idl + 1 + v->text_len + 1);
    if (!blk) return AN_ENOMEM;
    *it = *v;
    an_span *sp = (an_span *)(void *)blk;
    if (v->n_a_spans) memcpy(sp, v->a_spans, v->n_a_spans * sizeof *sp);
    if (v->n_b_spans) memcpy(sp + v->n_a_spans, v->b_spans, v->n_b_spans * sizeof *sp);
    char *id = blk + spans;
    if (idl) memcpy(id, v->doc_id, idl);
    id[idl] = '\0';
    char *tx = id + idl + 1;
    if (v->text_len) memcpy(tx, v->text, v->text_len);
    tx[v->text_len] = '\0';
    it->doc_id = id;
    it->text = tx;
    /* a_spans must point at the block even without spans: item_free uses it. */
    it->a_spans = sp;
    it->b_spans = sp + v->n_a_spans;
    return AN_OK;
}

/* Reads record j of s back into an owned item. */
static an_status read_item(const an_evidence *ev, const slot *s, size_t j, char **scratch,
                           size_t *scap, an_evidence_item *it) {
    const char *blob;
    const rec *r = &slot_recs(ev, s)[j];
    an_status st = blob_get(&ev->sp, r->off, scratch, scap, &blob);
    if (st != AN_OK) return st;
    an_evidence_item v;
    blob_view(s, r, blob, &v);
    blob_head h;
    memcpy(&h, blob, sizeof h);
    return make_item(it, &v, h.id_len);
}

/* --- parking ------------------------------------------------------------------ */

/* A parked slot: this header (cap = block_cap(n)), then its n records. */
#define PARK_CHUNK ((size_t)64 << 10) /* unpark reads this much at a time */
typedef struct park_head {
    uint32_t a, b, n, cap;
} park_head;

AN_EXPORT an_status an_evidence_park(an_evidence *ev) {
    if (!ev) return AN_EINVAL;
    if (ev->parked || !ev->cap) return AN_OK;
    an_status st = spool_flush(&ev->sp);
    if (st != AN_OK) return st;
    uint64_t off = ev->sp.flushed;
    for (size_t i = 0; i < ev->cap && st == AN_OK; i++) {
        const slot *s = &ev->slots[i];
        if (!s->ref) continue;
        size_t n = sizeof(park_head) + s->n * sizeof(rec);
        char *p;
        uint64_t at;
        st = spool_reserve(&ev->sp, n, &p, &at);
        if (st != AN_OK) break;
        park_head h = {s->a, s->b, s->n, (uint32_t)block_cap(ev, s->n)};
        memcpy(p, &h, sizeof h);
        if (s->n) memcpy(p + sizeof h, slot_recs(ev, s), s->n * sizeof(rec));
    }
    if (st == AN_OK) st = spool_flush(&ev->sp);
    if (st != AN_OK) {
        /* The table stays; what was written is unreferenced. The buffer
         * holds parked entries only (the records' blobs were flushed
         * first): drop them. */
        ev->sp.len = 0;
        return st;
    }
    ev->park_off = off;
    ev->park_bytes = (size_t)(ev->sp.flushed - off);
    ev->park_cap = ev->cap;
    table_free(ev);
    an_i_free(ev->sp.buf);
    ev->sp.buf = NULL;
    ev->sp.cap = 0;
    ev->parked = 1;
    return AN_OK;
}

/* Reads a parked table back (a no-op when the store is not parked). The
 * store is logically unchanged, so const callers may call it. */
static an_status unpark(const an_evidence *cev) {
    if (!cev || !cev->parked) return AN_OK;
    an_evidence *ev = (an_evidence *)cev;
    char *region = NULL;
    size_t rcap = 0;
    const char *p = NULL;
    an_status st = ev->park_bytes < sizeof(park_head) ? AN_EINVAL : AN_OK;
    /* parked means no table: rebuild it in place */
    ev->slots = st == AN_OK ? an_i_calloc(ev->park_cap, sizeof *ev->slots) : NULL;
    if (st == AN_OK && !ev->slots) st = AN_ENOMEM;
    if (st == AN_OK) ev->cap = ev->park_cap;
    /* Read in chunks of whole entries (at least one), so that the table and
     * the pool are not joined by a copy of everything they hold. */
    size_t at = 0;
    while (st == AN_OK && at < ev->park_bytes) {
        size_t left = ev->park_bytes - at;
        size_t want = left < PARK_CHUNK ? left : PARK_CHUNK;
        park_head h;
        if (want < sizeof h ||
            (st = spool_get(&ev->sp, ev->park_off + at, want, &region, &rcap, &p)) != AN_OK) {
            if (st == AN_OK) st = AN_EIO;
            break;
        }
        memcpy(&h, p, sizeof h);
        size_t first = sizeof h + (size_t)h.n * sizeof(rec);
        if (first > want) { /* one entry larger than a chunk */
            if (h.n > ev->k || first > left) {
                st = AN_EIO;
                break;
            }
            want = first;
            st = spool_get(&ev->sp, ev->park_off + at, want, &region, &rcap, &p);
            if (st != AN_OK) break;
        }
        size_t q = 0;
        while (q + sizeof h <= want) {
            memcpy(&h, p + q, sizeof h);
            size_t len = sizeof h + (size_t)h.n * sizeof(rec);
            if (len > want - q) break; /* continues in the next chunk */
            if (h.n > ev->k || h.cap != block_cap(ev, h.n)) {
                st = AN_EIO;
                break;
            }
            slot *s = &ev->slots[slot_index(ev->slots, ev->cap, h.a, h.b)];
            uint32_t ref;
            st = pool_alloc(&ev->pool, h.cap, &ref);
            if (st != AN_OK) break;
            s->a = h.a;
            s->b = h.b;
            s->n = h.n;
            s->ref = ref + 1;
            if (h.n) memcpy(pool_at(&ev->pool, ref), p + q + sizeof h, (size_t)h.n * sizeof(rec));
            q += len;
        }
        at += q;
    }
    an_i_free(region);
    if (st != AN_OK) {
        table_free(ev); /* still parked: the next call tries again */
        return st;
    }
    ev->parked = 0;
    return AN_OK;
}

/* --- windows ------------------------------------------------------------------------- */

typedef struct ment {
    size_t actor;
    uint64_t win; /* sentence, paragraph, 0 (document) or token */
    size_t start, end;
    uint32_t sentence;
} ment;

static int cmp_ment(const void *pa, const void *pb) {
    const ment *x = pa, *y = pb;
    if (x->win != y->win) return x->win < y->win ? -1 : 1;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return (x->actor > y->actor) - (x->actor < y->actor);
}

static int cmp_size(const void *pa, const void *pb) {
    size_t x = *(const size_t *)pa, y = *(const size_t *)pb;
    return (x > y) - (x < y);
}

/* A blank line (two line breaks with only spaces between) in text[from..to). */
static int has_blank_line(const char *text, size_t from, size_t to) {
    int nl = 0;
    for (size_t i = from; i < to; i++) {
        char c = text[i];
        if (c == '\n') {
            if (++nl == 2) return 1;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            nl = 0;
        }
    }
    return 0;
}

/* The text cut kept for a window [ws, we): all of it when short, else
 * AN_EVIDENCE_MAX_TEXT bytes centred on [flo, fhi), on UTF-8 boundaries. */
static void cut(const char *text, size_t len, size_t ws, size_t we, size_t flo, size_t fhi,
                size_t *ts, size_t *te) {
    size_t s = ws, e = we;
    if (we - ws > AN_EVIDENCE_MAX_TEXT) {
        if (flo < ws) flo = ws;
        if (fhi > we) fhi = we;
        if (fhi < flo) fhi = flo;
        if (fhi - flo >= AN_EVIDENCE_MAX_TEXT) {
            s = flo;
            e = flo + AN_EVIDENCE_MAX_TEXT;
        } else {
            size_t slack = (AN_EVIDENCE_MAX_TEXT - (fhi - flo)) / 2;
            s = flo - ws >= slack ? flo - slack : ws;
            e = s + AN_EVIDENCE_MAX_TEXT;
            if (e > we) {
                e = we;
                s = we - AN_EVIDENCE_MAX_TEXT;
            }
        }
        while (s < e && ((unsigned char)text[s] & 0xC0) == 0x80) s++;
        while (e > s && e < len && ((unsigned char)text[e] & 0xC0) == 0x80) e--;
    }
    *ts = s;
    *te = e;
}

typedef struct addctx {
    an_evidence *ev;
    uint64_t doc;
    const char *doc_id, *text;
    size_t id_len, len;
    an_span *as, *bs; /* scratch, AN_EVIDENCE_MAX_SPANS each */
    /* when win_ms is set, offer() fills as/bs from the window win_ms[win_i..win_j)
     * itself, only for a record that is kept (most offers are not) */
    const struct ment *win_ms;
    size_t win_i, win_j;
} addctx;

static size_t spans_of(const struct ment *ms, size_t i, size_t j, size_t actor, an_span *out);

/* Offers one record; builds it only if it is kept. */
static an_status offer(addctx *c, size_t a, size_t b, size_t ws, size_t we, size_t tws,
                       size_t twe, size_t na, size_t nb) {
    slot *s = slot_find(c->ev, a, b);
    if (s && slot_offer(c->ev, s, c->doc, ws, we) < 0) return AN_OK;
    if (!s) {
        if (a > MAX_ACTOR || b > MAX_ACTOR) return AN_ELIMIT;
        s = slot_get(c->ev, a, b);
        if (!s) return AN_ENOMEM;
    }
    long pos = slot_offer(c->ev, s, c->doc, ws, we);
    if (pos < 0) return AN_OK;
    if (c->win_ms) {
        na = spans_of(c->win_ms, c->win_i, c->win_j, a, c->as);
        nb = a == b ? 0 : spans_of(c->win_ms, c->win_i, c->win_j, b, c->bs);
    }
    /* Focus the cut on the closest pair of mentions (or a's first). */
    size_t flo = na ? c->as[0].start : ws, fhi = na ? c->as[0].end : ws;
    if (na && nb) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < na; i++)
            for (size_t j = 0; j < nb; j++) {
                size_t lo = c->as[i].start < c->bs[j].start ? c->as[i].start : c->bs[j].start;
                size_t hi = c->as[i].end > c->bs[j].end ? c->as[i].end : c->bs[j].end;
                if (hi - lo < best) {
                    best = hi - lo;
                    flo = lo;
                    fhi = hi;
                }
            }
    }
    size_t ts, te;
    cut(c->text, c->len, tws, twe, flo, fhi, &ts, &te);
    return store(c->ev, s, (size_t)pos, c->doc, ws, we, c->doc_id, c->id_len, ts, c->text + ts,
                 te - ts, c->as, na, c->bs, nb);
}

static size_t spans_of(const struct ment *ms, size_t i, size_t j, size_t actor, an_span *out) {
    size_t n = 0;
    for (size_t t = i; t < j && n < AN_EVIDENCE_MAX_SPANS; t++)
        if (ms[t].actor == actor) {
            out[n].start = ms[t].start;
            out[n].end = ms[t].end;
            n++;
        }
    return n;
}

/* The byte span of window ms[i..j) (all in one window). */
static void window_span(const an_mentions *m, an_window w, const char *text, size_t len,
                        const ment *ms, size_t i, size_t j, size_t *ws, size_t *we) {
    size_t lo = ms[i].start, hi = 0;
    for (size_t t = i; t < j; t++) {
        if (ms[t].start < lo) lo = ms[t].start;
        if (ms[t].end > hi) hi = ms[t].end;
    }
    if (w == AN_WINDOW_DOCUMENT) {
        lo = 0;
        hi = len;
    } else if (m->sentences && m->n_sentences) {
        uint32_t s0 = ms[i].sentence;
        uint32_t s1 = s0;
        for (size_t t = i; t < j; t++) {
            if (ms[t].sentence < s0) s0 = ms[t].sentence;
            if (ms[t].sentence > s1) s1 = ms[t].sentence;
        }
        if (s1 < m->n_sentences) {
            if (w == AN_WINDOW_PARAGRAPH) {
                /* an_mentions has no paragraph spans: grow over neighbouring
                 * sentences not separated by a blank line (the tokenizer's
                 * paragraph break). */
                while (s0 > 0 && m->sentences[s0 - 1].end <= m->sentences[s0].start &&
                       !has_blank_line(text, m->sentences[s0 - 1].end, m->sentences[s0].start))
                    s0--;
                while (s1 + 1 < m->n_sentences &&
                       m->sentences[s1].end <= m->sentences[s1 + 1].start &&
                       m->sentences[s1 + 1].end <= len &&
                       !has_blank_line(text, m->sentences[s1].end, m->sentences[s1 + 1].start))
                    s1++;
            }
            if (m->sentences[s0].start < lo) lo = m->sentences[s0].start;
            if (m->sentences[s1].end > hi && m->sentences[s1].end <= len)
                hi = m->sentences[s1].end;
        }
    }
    *ws = lo;
    *we = hi;
}

/* Distinct actors of ms[i..j) into out (sorted). */
static size_t distinct(const ment *ms, size_t i, size_t j, size_t *out) {
    size_t k = 0;
    for (size_t t = i; t < j; t++) out[k++] = ms[t].actor;
    if (k > 1) qsort(out, k, sizeof *out, cmp_size);
    size_t u = 0;
    for (size_t t = 0; t < k; t++)
        if (u == 0 || out[u - 1] != out[t]) out[u++] = out[t];
    return u;
}

AN_EXPORT an_status an_evidence_add(an_evidence *ev, uint64_t doc_seq, const char *doc_id,
                                    const char *text, size_t len, const an_mentions *m,
                                    const an_count_options *co) {
    if (!ev || !m || (m->count && (!m->items || !text))) return AN_EINVAL;
    an_count_options dflt;
    if (!co) {
        memset(&dflt, 0, sizeof dflt);
        co = &dflt;
    }
    an_window w = co->window;
    if (w != AN_WINDOW_SENTENCE && w != AN_WINDOW_PARAGRAPH && w != AN_WINDOW_DOCUMENT &&
        w != AN_WINDOW_TOKENS)
        return AN_EINVAL;
    for (size_t i = 0; i < m->count; i++)
        if (m->items[i].start > m->items[i].end || m->items[i].end > len) return AN_EINVAL;
    if (m->count == 0) return AN_OK;

    an_status st = unpark(ev);
    if (st != AN_OK) return st;
    if (m->count > ev->cap_ms) {
        size_t cap = ev->cap_ms ? ev->cap_ms : 64;
        while (cap < m->count) cap *= 2;
        ment *nms = an_i_realloc(ev->ms, cap * sizeof *nms);
        if (!nms) return AN_ENOMEM;
        ev->ms = nms;
        size_t *nacts = an_i_realloc(ev->acts, cap * sizeof *nacts);
        if (!nacts) return AN_ENOMEM;
        ev->acts = nacts;
        ev->cap_ms = cap;
    }
    if (!ev->spans) {
        ev->spans = an_i_calloc(2 * AN_EVIDENCE_MAX_SPANS, sizeof *ev->spans);
        if (!ev->spans) return AN_ENOMEM;
    }
    ment *ms = ev->ms;
    size_t *acts = ev->acts;
    an_span *as = ev->spans;
    size_t n = 0;
    int sorted = 1;
    for (size_t i = 0; i < m->count; i++) {
        const an_mention *mi = &m->items[i];
        size_t a = co->actor_map ? co->actor_map[mi->actor] : mi->actor;
        if (a == AN_DROP) continue;
        ms[n].actor = a;
        ms[n].start = mi->start;
        ms[n].end = mi->end;
        ms[n].sentence = mi->sentence;
        switch (w) {
        case AN_WINDOW_SENTENCE: ms[n].win = mi->sentence; break;
        case AN_WINDOW_PARAGRAPH: ms[n].win = mi->paragraph; break;
        case AN_WINDOW_TOKENS: ms[n].win = mi->token; break;
        case AN_WINDOW_DOCUMENT: ms[n].win = 0; break;
        }
        if (n > 0 && sorted && cmp_ment(&ms[n - 1], &ms[n]) > 0) sorted = 0;
        n++;
    }
    /* mentions come in text order, which is window order already */
    if (!sorted) qsort(ms, n, sizeof *ms, cmp_ment);

    if (!doc_id) doc_id = "";
    addctx c = {ev, doc_seq, doc_id, text, strlen(doc_id), len, as, as + AN_EVIDENCE_MAX_SPANS,
                NULL, 0, 0};
    if (w == AN_WINDOW_TOKENS) {
        /* Pairs: every two mentions of different actors at most N tokens apart. */
        uint64_t span = co->tokens ? co->tokens : 1;
        for (size_t i = 0; i < n && st == AN_OK; i++) {
            for (size_t j = i + 1; j < n && ms[j].win - ms[i].win <= span && st == AN_OK; j++) {
                if (ms[i].actor == ms[j].actor) continue;
                size_t x = i, y = j;
                if (ms[x].actor > ms[y].actor) x = j, y = i;
                as[0].start = ms[x].start;
                as[0].end = ms[x].end;
                c.bs[0].start = ms[y].start;
                c.bs[0].end = ms[y].end;
                size_t ws = ms[i].start < ms[j].start ? ms[i].start : ms[j].start;
                size_t we = ms[i].end > ms[j].end ? ms[i].end : ms[j].end;
                size_t tws = ws, twe = we;
                uint32_t s0 = ms[i].sentence < ms[j].sentence ? ms[i].sentence : ms[j].sentence;
                uint32_t s1 = ms[i].sentence > ms[j].sentence ? ms[i].sentence : ms[j].sentence;
                if (m->sentences && s1 < m->n_sentences && m->sentences[s1].end <= len) {
                    if (m->sentences[s0].start < tws) tws = m->sentences[s0].start;
                    if (m->sentences[s1].end > twe) twe = m->sentences[s1].end;
                }
                st = offer(&c, ms[x].actor, ms[y].actor, ws, we, tws, twe, 1, 1);
            }
        }
        /* Actors: the sentences that mention them. */
        for (size_t i = 0; i < n && st == AN_OK && !ev->no_actors; i++) {
            size_t ws = ms[i].start, we = ms[i].end;
            if (m->sentences && ms[i].sentence < m->n_sentences &&
                m->sentences[ms[i].sentence].end <= len &&
                m->sentences[ms[i].sentence].start <= ws) {
                ws = m->sentences[ms[i].sentence].start;
                we = m->sentences[ms[i].sentence].end;
                if (we < ms[i].end) we = ms[i].end;
            }
            as[0].start = ms[i].start;
            as[0].end = ms[i].end;
            st = offer(&c, ms[i].actor, ms[i].actor, ws, we, ws, we, 1, 0);
        }
        goto done;
    }
    for (size_t i = 0; i < n && st == AN_OK;) {
        size_t j = i;
        while (j < n && ms[j].win == ms[i].win) j++;
        size_t k = distinct(ms, i, j, acts);
        if (k < 2 && ev->no_actors) { /* nothing to keep from this window */
            i = j;
            continue;
        }
        size_t ws, we;
        window_span(m, w, text, len, ms, i, j, &ws, &we);
        c.win_ms = ms;
        c.win_i = i;
        c.win_j = j;
        for (size_t x = 0; x < k && st == AN_OK; x++) {
            if (!ev->no_actors) st = offer(&c, acts[x], acts[x], ws, we, ws, we, 0, 0);
            for (size_t y = x + 1; y < k && st == AN_OK; y++)
                st = offer(&c, acts[x], acts[y], ws, we, ws, we, 0, 0);
        }
        i = j;
    }
done:
    return st;
}

/* A record of the source of a merge, by blob offset. */
typedef struct merge_ref {
    uint64_t off;
    uint32_t slot, rec;
} merge_ref;

/* Sorts r[0..n) by off (LSD radix, 11 bits a pass over the bits in use);
 * tmp: room for n. Returns the sorted array (r or tmp). */
static merge_ref *sort_by_off(merge_ref *r, merge_ref *tmp, size_t n) {
    uint64_t all = 0;
    for (size_t i = 0; i < n; i++) all |= r[i].off;
    size_t cnt[2048];
    for (unsigned shift = 0; shift < 64 && (all >> shift); shift += 11) {
        memset(cnt, 0, sizeof cnt);
        for (size_t i = 0; i < n; i++) cnt[(r[i].off >> shift) & 2047]++;
        for (size_t d = 0, sum = 0; d < 2048; d++) {
            size_t c = cnt[d];
            cnt[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) tmp[cnt[(r[i].off >> shift) & 2047]++] = r[i];
        merge_ref *t = r;
        r = tmp;
        tmp = t;
    }
    return r;
}

/* Sequential reads of a spool's file: buf holds its bytes [off, off + len),
 * read as one block of the spool's buffer size (at least the blob asked). */
typedef struct spool_window {
    char *buf;
    size_t cap, len;
    uint64_t off;
} spool_window;

/* The n bytes at off (a blob, or its head): in the buffer, or in the window,
 * which is read again from off when they are not in it. */
static an_status window_get(const spool *sp, spool_window *w, uint64_t off, size_t n,
                            const char **out) {
    if (n == 0) return AN_EINVAL;
    if (off >= sp->flushed) return spool_get(sp, off, n, NULL, NULL, out); /* in the buffer */
    if (w->buf && off >= w->off && off - w->off + n <= w->len) {
        *out = w->buf + (off - w->off);
        return AN_OK;
    }
    if (n > sp->flushed - off) return AN_EINVAL;
    size_t want = n > sp->limit ? n : sp->limit;
    if (want > sp->flushed - off) want = (size_t)(sp->flushed - off);
    if (want > w->cap) {
        char *nb = an_i_realloc(w->buf, want);
        if (!nb) return AN_ENOMEM;
        w->buf = nb;
        w->cap = want;
    }
    w->len = 0;
    if (an_i_read_all(sp->fd, w->buf, want, (int64_t)off) != want) return AN_EIO;
    w->off = off;
    w->len = want;
    *out = w->buf;
    return AN_OK;
}

/* The blobs of src are read in the order of their offsets: its spilled part
 * then goes by in a few large sequential reads, where reading each record
 * where it sits in the table cost two small reads (at -j 2 on 100 MB of
 * Phoenix text, 11 ms of a serial step; now 4 ms). The order of the offers
 * does not change the result: a slot keeps the K smallest keys offered. The
 * sort costs 32 bytes per record of src while the merge runs. */
AN_EXPORT an_status an_evidence_merge(an_evidence *dst, const an_evidence *src) {
    if (!dst || !src) return AN_EINVAL;
    if (dst == src) return AN_OK;
    an_status st = unpark(dst);
    if (st == AN_OK) st = unpark(src);
    if (st != AN_OK) return st;
    if (src->cap > UINT32_MAX || src->k > UINT32_MAX) return AN_ELIMIT; /* merge_ref */
    size_t n = 0;
    for (size_t i = 0; i < src->cap; i++)
        if (src->slots[i].ref) n += src->slots[i].n;
    if (n == 0) return AN_OK;
    merge_ref *refs = an_i_malloc(n * sizeof *refs), *tmp = an_i_malloc(n * sizeof *tmp);
    if (!refs || !tmp) {
        an_i_free(refs);
        an_i_free(tmp);
        return AN_ENOMEM;
    }
    size_t m = 0;
    for (size_t i = 0; i < src->cap; i++) {
        const slot *ss = &src->slots[i];
        if (!ss->ref) continue;
        const slot *ds = slot_find(dst, ss->a, ss->b);
        for (size_t j = 0; j < ss->n; j++) {
            const rec *r = &slot_recs(src, ss)[j];
            /* not kept now, not kept later: a slot's bar only rises */
            if (ds && slot_offer(dst, ds, r->doc_seq, r->start, r->end) < 0) continue;
            refs[m].off = r->off;
            refs[m].slot = (uint32_t)i;
            refs[m].rec = (uint32_t)j;
            m++;
        }
    }
    merge_ref *sorted = sort_by_off(refs, tmp, m);
    spool_window w = {NULL, 0, 0, 0};
    for (size_t k = 0; k < m && st == AN_OK; k++) {
        const slot *ss = &src->slots[sorted[k].slot];
        const rec *r = &slot_recs(src, ss)[sorted[k].rec];
        slot *ds = slot_get(dst, ss->a, ss->b);
        if (!ds) {
            st = AN_ENOMEM;
            break;
        }
        long pos = slot_offer(dst, ds, r->doc_seq, r->start, r->end);
        if (pos < 0) continue;
        const char *blob;
        st = window_get(&src->sp, &w, r->off, sizeof(blob_head), &blob);
        if (st != AN_OK) break;
        blob_head h;
        memcpy(&h, blob, sizeof h);
        st = window_get(&src->sp, &w, r->off, blob_len(&h), &blob);
        if (st != AN_OK) break;
        an_evidence_item v;
        blob_view(ss, r, blob, &v);
        st = store(dst, ds, (size_t)pos, r->doc_seq, r->start, r->end, v.doc_id, h.id_len,
                   h.text_start, v.text, v.text_len, v.a_spans, v.n_a_spans, v.b_spans,
                   v.n_b_spans);
    }
    an_i_free(w.buf);
    an_i_free(refs);
    an_i_free(tmp);
    return st;
}

/* The records of s read back, kept with the slot until it changes. ev is
 * const for the caller; the slot's cache is the store's own memory. */
static const an_evidence_item *slot_items(const an_evidence *cev, const slot *s, size_t *n) {
    if (!s || !s->n) return NULL;
    an_evidence *ev = (an_evidence *)cev;
    size_t i = (size_t)(s - ev->slots);
    if (!ev->items) {
        ev->items = an_i_calloc(ev->cap, sizeof(an_evidence_item *));
        if (!ev->items) return NULL;
    }
    if (!ev->items[i]) {
        an_evidence_item *items = an_i_calloc(s->n, sizeof *items);
        if (!items) return NULL;
        char *scratch = NULL;
        size_t scap = 0;
        for (size_t j = 0; j < s->n; j++) {
            if (read_item(ev, s, j, &scratch, &scap, &items[j]) != AN_OK) {
                while (j--) item_free(&items[j]);
                an_i_free(items);
                an_i_free(scratch);
                return NULL;
            }
        }
        an_i_free(scratch);
        ev->items[i] = items;
    }
    if (n) *n = s->n;
    return ev->items[i];
}

/* The slot of the pair {a, b} in either order; NULL for a == b (an actor's
 * own windows are not a pair) or an absent pair. */
static const slot *pair_find(const an_evidence *ev, size_t a, size_t b) {
    if (a == b) return NULL;
    return a < b ? slot_find(ev, a, b) : slot_find(ev, b, a);
}

AN_EXPORT const an_evidence_item *an_evidence_pair(const an_evidence *ev, size_t a, size_t b,
                                                   size_t *n) {
    if (n) *n = 0;
    if (unpark(ev) != AN_OK) return NULL;
    return slot_items(ev, pair_find(ev, a, b), n);
}

AN_EXPORT const an_evidence_item *an_evidence_actor(const an_evidence *ev, size_t a, size_t *n) {
    if (n) *n = 0;
    if (unpark(ev) != AN_OK) return NULL;
    return slot_items(ev, slot_find(ev, a, a), n);
}

/* --- JSON Lines ------------------------------------------------------------------------ */

static void put_actor_id(an_i_sbuf *b, const an_gazetteer *gz, size_t a) {
    an_actor_info info;
    if (gz && an_gazetteer_actor(gz, a, &info) == AN_OK && info.id) {
        an_i_json_str(b, info.id, 0);
    } else {
        an_i_sbuf_printf(b, "\"%zu\"", a);
    }
}

static void put_spans(an_i_sbuf *b, const an_span *sp, size_t n) {
    an_i_sbuf_putc(b, '[');
    for (size_t i = 0; i < n; i++)
        an_i_sbuf_printf(b, "%s[%zu,%zu]", i ? "," : "", sp[i].start, sp[i].end);
    an_i_sbuf_putc(b, ']');
}

static void write_item(an_i_sbuf *b, const an_gazetteer *gz, const an_evidence_item *it) {
    an_i_sbuf_puts(b, "{\"a\":");
    put_actor_id(b, gz, it->a);
    an_i_sbuf_puts(b, ",\"b\":");
    put_actor_id(b, gz, it->b);
    an_i_sbuf_putc(b, ',');
    an_i_json_evidence_fields(b, it);
    an_i_sbuf_puts(b, ",\"a_spans\":");
    put_spans(b, it->a_spans, it->n_a_spans);
    an_i_sbuf_puts(b, ",\"b_spans\":");
    put_spans(b, it->b_spans, it->n_b_spans);
    an_i_sbuf_puts(b, "}\n");
}

static int cmp_slot_ptr(const void *pa, const void *pb) {
    const slot *x = *(const slot *const *)pa, *y = *(const slot *const *)pb;
    if (x->a != y->a) return x->a < y->a ? -1 : 1;
    return (x->b > y->b) - (x->b < y->b);
}

/* Writes the records of s, read back one at a time (no cache). */
static an_status write_slot(an_i_sbuf *b, const an_evidence *ev, const an_gazetteer *gz,
                            const slot *s, char **scratch, size_t *scap) {
    for (size_t j = 0; j < s->n; j++) {
        an_evidence_item it;
        an_status st = read_item(ev, s, j, scratch, scap, &it);
        if (st != AN_OK) return st;
        write_item(b, gz, &it);
        item_free(&it);
    }
    return AN_OK;
}

static an_status read_error(an_status st, an_error *err) {
    return an_i_error(err, st, NULL, 0, 0, "evidence: %s reading the records back",
                      an_strerror(st));
}

AN_EXPORT an_status an_evidence_write_jsonl(const an_evidence *ev, const an_gazetteer *gz,
                                            FILE *out, an_error *err) {
    if (!ev || !out) return an_i_error(err, AN_EINVAL, NULL, 0, 0, "evidence: no store or stream");
    an_status ust = unpark(ev);
    if (ust != AN_OK) return read_error(ust, err);
    const slot **list = an_i_calloc(ev->n_pairs ? ev->n_pairs : 1, sizeof(const slot *));
    if (!list) return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "evidence: out of memory");
    size_t n = 0;
    for (size_t i = 0; i < ev->cap; i++)
        if (ev->slots[i].ref && ev->slots[i].a != ev->slots[i].b) list[n++] = &ev->slots[i];
    if (n > 1) qsort(list, n, sizeof(const slot *), cmp_slot_ptr);
    an_i_writer w = {.f = out};
    char *scratch = NULL;
    size_t scap = 0;
    an_status st = AN_OK;
    for (size_t i = 0; i < n && st == AN_OK; i++) {
        st = write_slot(&w.b, ev, gz, list[i], &scratch, &scap);
        an_i_w_maybe_flush(&w);
    }
    an_i_free(scratch);
    an_i_free(list);
    if (st != AN_OK) {
        an_i_sbuf_free(&w.b);
        return read_error(st, err);
    }
    return an_i_w_finish(&w, "evidence", err);
}

AN_EXPORT an_status an_evidence_write_pair(const an_evidence *ev, const an_gazetteer *gz,
                                           size_t a, size_t b, FILE *out, an_error *err) {
    if (!ev || !out) return an_i_error(err, AN_EINVAL, NULL, 0, 0, "evidence: no store or stream");
    an_status ust = unpark(ev);
    if (ust != AN_OK) return read_error(ust, err);
    const slot *s = pair_find(ev, a, b);
    an_i_writer w = {.f = out};
    char *scratch = NULL;
    size_t scap = 0;
    an_status st = s ? write_slot(&w.b, ev, gz, s, &scratch, &scap) : AN_OK;
    an_i_free(scratch);
    if (st != AN_OK) {
        an_i_sbuf_free(&w.b);
        return read_error(st, err);
    }
    return an_i_w_finish(&w, "evidence", err);
}
