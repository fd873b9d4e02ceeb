/* actornet — the byte-level helpers of the compiled gazetteer format
 * (ner/compiled.c; docs/design.md, "The compiled gazetteer cache").
 *
 * Numbers are written in the machine's byte order and widths, which the
 * header records: a compiled file is a cache for this machine, not an
 * exchange format. The reader never trusts a length: every read is bounds
 * checked and a short or inconsistent input only sets `bad`.
 */
#ifndef ACTORNET_NER_COMPILED_H
#define ACTORNET_NER_COMPILED_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "actornet/gazetteer.h"
#include "actornet/matcher.h"

/* The layout's version (ner/compiled.c): bump it when the layout changes. */
#define AN_I_COMPILED_FORMAT 2u /* 2: the gazetteer's fingerprint */

/* Digest of the library's sources (ner/build_id.py): a compiled file of
 * another build is not read back. */
extern const char an_i_compiled_build_id[];

/* A growing byte buffer (oom set on allocation failure; later puts are no-ops). */
typedef struct an_i_wbuf {
    unsigned char *p;
    size_t len, cap;
    int oom;
} an_i_wbuf;

void an_i_wbuf_put(an_i_wbuf *w, const void *data, size_t n);
/* Zero bytes up to a multiple of 8 of the length (arrays a reader may use in place). */
void an_i_wbuf_align8(an_i_wbuf *w);
void an_i_wbuf_u32(an_i_wbuf *w, uint32_t v);
void an_i_wbuf_u64(an_i_wbuf *w, uint64_t v);
/* A string as its u32 length and its bytes (no NUL); NULL as length UINT32_MAX. */
void an_i_wbuf_str(an_i_wbuf *w, const char *s);

typedef struct an_i_rcur {
    const unsigned char *p, *end;
    int bad;    /* a read went past the end, or a value was out of range */
    int borrow; /* arrays may stay in the input (an_compiled_read's AN_COMPILED_BORROW) */
    const unsigned char *base; /* where the writer's buffer started (alignment) */
} an_i_rcur;

/* Skips the padding of an_i_wbuf_align8. */
void an_i_rcur_align8(an_i_rcur *r);
/* Pointer to the next n bytes (NULL and bad set if there are fewer). */
const void *an_i_rcur_get(an_i_rcur *r, size_t n);
uint32_t an_i_rcur_u32(an_i_rcur *r);
uint64_t an_i_rcur_u64(an_i_rcur *r);
/* A count of elements of `size` bytes each that the rest of the input could
 * hold (bad set, 0 returned otherwise): no allocation is sized by a number
 * the input cannot back. */
size_t an_i_rcur_count(an_i_rcur *r, size_t size);
/* 1 when n elements of `size` bytes fit in the rest of the input (reads nothing). */
int an_i_rcur_fits(const an_i_rcur *r, size_t n, size_t size);
/* A string written by an_i_wbuf_str: its bytes in *s and length in *n
 * (*s = NULL for NULL). Embedded NUL bytes make it bad. Returns !bad. */
int an_i_rcur_str(an_i_rcur *r, const char **s, size_t *n);

/* The payload's checksum (ner/compiled.c). */
uint64_t an_i_compiled_checksum(const void *data, size_t n);
/* The header of a compiled file whose payload is body[0..body_len) (ner/compiled.c);
 * its length depends on key_len only, so a header for an empty body tells
 * where any payload of that key starts. */
void an_i_compiled_put_header(an_i_wbuf *w, const void *key, size_t key_len, const void *body,
                              size_t body_len);

/* The gazetteer's part of a compiled file (ner/gazetteer.c). */
void an_i_gaz_put(an_i_wbuf *w, const an_gazetteer *gz);
an_status an_i_gaz_get(an_i_rcur *r, an_gazetteer **out);

/* The matcher's part (ner/matcher.c); gz: the gazetteer it was compiled from,
 * as read back, against which its aliases and actors are checked. */
void an_i_matcher_put(an_i_wbuf *w, const an_matcher *m);
an_status an_i_matcher_get(an_i_rcur *r, const an_gazetteer *gz, an_matcher **out);

#endif
