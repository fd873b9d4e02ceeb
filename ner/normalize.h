/* actornet — match keys: the one normalisation applied to alias tokens and
 * text tokens alike (internal, never installed). */
#ifndef ACTORNET_NER_NORMALIZE_H
#define ACTORNET_NER_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

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

/* Hash of a key (used for both aliases and text, so it only has to agree with itself). */
uint64_t an_i_key_hash(const char *s, size_t n);

/* ASCII lower-case table (identity for bytes >= 0x80). */
extern const unsigned char an_i_ascii_lower[256];

#endif
