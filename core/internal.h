/* actornet — internals shared by ner/ and graph/ (never installed). */
#ifndef ACTORNET_CORE_INTERNAL_H
#define ACTORNET_CORE_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "actornet/common.h"

/* Allocation through the hook of an_set_allocator(). an_i_free accepts NULL. */
void *an_i_malloc(size_t size);
void *an_i_calloc(size_t n, size_t size); /* overflow-checked, zeroed */
void *an_i_realloc(void *ptr, size_t size);
void an_i_free(void *ptr);
char *an_i_strdup(const char *s);
char *an_i_strndup(const char *s, size_t n);
/* Non-zero when name ends with suffix, ASCII letters of name compared in
 * lower case (suffix is given in lower case): ".TSV" ends with ".tsv". */
int an_i_has_suffix_ci(const char *name, const char *suffix);

/* Writes all n bytes of buf to fd, retrying short writes and EINTR: 0, or
 * -1 with errno set. */
int an_i_write_all(int fd, const void *buf, size_t n);
/* Reads up to n bytes into buf, retrying short reads and EINTR, from the
 * file position (off < 0, read) or at offset off (pread); stops at end of
 * file or an error. Returns the bytes read: n unless something stopped it. */
size_t an_i_read_all(int fd, void *buf, size_t n, int64_t off);

/* Grow *items (element size elem) so that it holds at least `need` elements.
 * Capacity doubles. Returns AN_ENOMEM (array untouched) on failure. */
an_status an_i_grow(void **items, size_t *cap, size_t need, size_t elem);

/* an_i_error(err, status, file, line, col, fmt, ...): fill err (if non-NULL)
 * and return status. file may be NULL; line/col 0 = none. Each argument is
 * evaluated once.
 *
 * A macro over two functions so that the static analyzer, which looks at one
 * file at a time and never inlines variadic functions, still sees that the
 * result is `status`: an_i_error_msg (variadic, core.c) writes the text and
 * gives err back, an_i_error_status (inline) sets the status and returns it.
 * As a plain out-of-line function, every `return an_i_error(..., AN_EPARSE,
 * ...)` looked as if it might return AN_OK, and the analyzer walked on into
 * paths that cannot happen. */
#define an_i_error(err, status, file, line, col, ...) \
    an_i_error_status(an_i_error_msg((err), (file), (line), (col), __VA_ARGS__), (status))

an_error *an_i_error_msg(an_error *err, const char *file, unsigned long line, unsigned long col,
                         const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static inline an_status an_i_error_status(an_error *err, an_status status) {
    if (err) err->status = status;
    return status;
}

/* FNV-1a, 64 bits: the fingerprints of counts files (docs/counts-format.md)
 * are made of it, so it must never change. an_i_fnv_u64 hashes v as eight
 * bytes, little endian (the same value on every machine). */
#define AN_I_FNV_OFFSET 0xcbf29ce484222325ULL
static inline uint64_t an_i_fnv(uint64_t h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 0x100000001b3ULL;
    return h;
}
static inline uint64_t an_i_fnv_u64(uint64_t h, uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
    return an_i_fnv(h, b, 8);
}

/* SplitMix64's output function of x (Steele, Lea, Flood 2014): a well-mixed
 * 64-bit hash of x, and the generator's next value when x is its state. */
static inline uint64_t an_i_mix64(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/* Open-addressing tables (graph/cooc.c, graph/evidence.c) of any capacity,
 * not only powers of two, so that they can grow by a quarter instead of
 * doubling: a table then sits at 60-75 % load instead of 37-75 %. They grow
 * in place (an_i_rehash_in_place below), so a rehash never holds two tables.
 *
 * an_i_slot_of maps a well-mixed 64-bit hash to [0, cap) by its top 32 bits
 * (Lemire's multiply-shift), so cap must be at most AN_I_TABLE_MAX (2^32 - 1). */
#define AN_I_TABLE_MAX ((size_t)0xFFFFFFFFu)

static inline size_t an_i_slot_of(uint64_t hash, size_t cap) {
    return (size_t)(((hash >> 32) * (uint64_t)cap) >> 32);
}

/* The capacity after `cap` (0: none yet) that holds `need` keys at load
 * <= 3/4: at least a quarter more than cap, at least 16. 0 when that would
 * exceed AN_I_TABLE_MAX. */
static inline size_t an_i_table_grow(size_t cap, size_t need) {
    size_t n = cap < 16 ? 16 : cap + cap / 4;
    while (n - n / 4 < need) {
        if (n > AN_I_TABLE_MAX) return 0;
        n += n / 4;
    }
    return n > AN_I_TABLE_MAX ? 0 : n;
}

/* Growing such a table in place: the caller reallocs its arrays to new_cap
 * slots and empties slots [old_cap, new_cap); an_i_rehash_in_place then moves
 * every key to where a linear-probing lookup at new_cap finds it. Nothing is
 * allocated (`mark` is the caller's zeroed bitmap of old_cap bits), so only
 * the grown table is ever held: a rehash into a second table holds both.
 * Keys are moved with ops->move (to an empty slot) and ops->swap, which also
 * carry whatever arrays the table keeps beside its slots. */
typedef struct an_i_table_ops {
    void *ctx;
    int (*occupied)(void *ctx, size_t i);
    uint64_t (*hash)(void *ctx, size_t i);
    void (*move)(void *ctx, size_t from, size_t to);
    void (*swap)(void *ctx, size_t i, size_t j);
} an_i_table_ops;

void an_i_rehash_in_place(size_t old_cap, size_t new_cap, unsigned char *mark,
                          const an_i_table_ops *ops);

#endif
