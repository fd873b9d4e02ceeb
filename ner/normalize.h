/* actornet — match keys: the one normalisation applied to alias tokens and
 * text tokens alike (internal, never installed). */
#ifndef ACTORNET_NER_NORMALIZE_H
#define ACTORNET_NER_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "actornet/common.h"

enum {
    AN_I_NORM_FOLD = 1u,      /* Unicode case folding + NFKC (else NFC, case kept) */
    AN_I_NORM_STRIPMARK = 2u, /* drop combining marks (accent-insensitive) */
    AN_I_NORM_DROPDOTS = 4u   /* drop '.' (abbreviation tokens: "U.S." -> "US") */
};

/* Reusable scratch for an_i_norm_key(); zero-initialise, free with
 * an_i_norm_buf_free(). Grows only, so steady-state use does not allocate. */
typedef struct an_i_norm_buf {
    char *bytes;
    size_t cap_bytes;
    int32_t *cps;
    size_t cap_cps;
} an_i_norm_buf;

void an_i_norm_buf_free(an_i_norm_buf *nb);

/* Key of the valid UTF-8 token s[0..n): typographic apostrophes (U+2019,
 * U+2018, U+02BC, U+FF07) become ', dots are dropped with DROPDOTS, and then
 *   FOLD:    NFKC + Unicode case folding (U+0130 'İ' folds to plain 'i');
 *   no FOLD: NFC, case kept;
 * STRIPMARK additionally removes combining marks. Default-ignorable code
 * points (soft hyphen, ZWJ, ZWNJ) are removed. Pure-ASCII input takes a
 * table-driven path that gives the same result as the Unicode path.
 * *key points into nb (valid until the next call with nb) or into s.
 * Returns AN_ENOMEM or AN_EINVAL (invalid UTF-8); Time: O(n). */
an_status an_i_norm_key(an_i_norm_buf *nb, const char *s, size_t n, unsigned flags,
                        const char **key, size_t *key_len);

/* ASCII lower-case table (identity for bytes >= 0x80). */
extern const unsigned char an_i_ascii_lower[256];

/* The k (<= 8) bytes at s as a little-endian-style word, zero-padded.
 * With overread_ok the 8 bytes at s may all be read (a single load instead
 * of a byte copy that stalls store forwarding). */
static inline uint64_t an_i_load_tail(const char *s, size_t k, int overread_ok) {
    uint64_t w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (overread_ok) {
        memcpy(&w, s, 8);
        return k >= 8 ? w : w & ((UINT64_C(1) << (8 * k)) - 1);
    }
#else
    (void)overread_ok;
#endif
    memcpy(&w, s, k);
    return w;
}

/* Hash of a key (used for both aliases and text, so it only has to agree
 * with itself): 8 bytes per multiply, in the wyhash spirit. overread_ok:
 * the 8 bytes after the key may be read. */
static inline uint64_t an_i_hash_mix(uint64_t a, uint64_t b) {
    __extension__ typedef unsigned __int128 an_i_u128;
    an_i_u128 r = (an_i_u128)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}
#define AN_I_HASH_K0 0xa0761d6478bd642full
#define AN_I_HASH_K1 0xe7037ed1a0b428dbull
#define AN_I_HASH_K2 0x8ebc6af09c88c6e3ull

static inline uint64_t an_i_key_hash_x(const char *s, size_t n, int overread_ok) {
    uint64_t h = AN_I_HASH_K0 ^ (uint64_t)n, w;
    size_t len = n;
    while (n >= 8) {
        memcpy(&w, s, 8);
        h = an_i_hash_mix(h ^ w, AN_I_HASH_K1);
        s += 8;
        n -= 8;
    }
    w = an_i_load_tail(s, n, overread_ok);
    return an_i_hash_mix(h ^ w ^ AN_I_HASH_K2, AN_I_HASH_K1 ^ (uint64_t)len);
}

static inline uint64_t an_i_key_hash(const char *s, size_t n) { return an_i_key_hash_x(s, n, 0); }

/* Lower-case the n ASCII bytes of s into out (room for n + 8 bytes, the
 * tail zero-padded to 8) and return an_i_key_hash(out, n), eight bytes at a
 * time. overread_ok: the 8 bytes after s[n-1] may be read. *any_upper is
 * non-zero when s held an upper-case letter. */
static inline uint64_t an_i_ascii_fold_hash_u(const char *s, size_t n, char *out,
                                              int overread_ok, uint64_t *any_upper) {
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t h = AN_I_HASH_K0 ^ (uint64_t)n, w, seen = 0;
    size_t len = n;
    for (;;) {
        w = an_i_load_tail(s, n < 8 ? n : 8, overread_ok);
        /* bytes are < 0x80: the high bit of each lane tells 'A' <= b <= 'Z' */
        uint64_t upper = (w + ones * (0x80 - 'A')) & ~(w + ones * (0x80 - 'Z' - 1)) & highs;
        seen |= upper;
        w |= upper >> 2;
        memcpy(out, &w, 8);
        if (n < 8) break;
        h = an_i_hash_mix(h ^ w, AN_I_HASH_K1);
        s += 8;
        out += 8;
        n -= 8;
    }
    *any_upper = seen;
    return an_i_hash_mix(h ^ w ^ AN_I_HASH_K2, AN_I_HASH_K1 ^ (uint64_t)len);
}

/* The same without telling whether there was an upper-case letter. */
static inline uint64_t an_i_ascii_fold_hash(const char *s, size_t n, char *out, int overread_ok) {
    uint64_t upper;
    return an_i_ascii_fold_hash_u(s, n, out, overread_ok, &upper);
}

#endif
