/* actornet — bounds-checked byte buffers of the compiled gazetteer format
 * (ner/compiled.h). In the gazetteer part of the library: its loaders'
 * tests link without the matcher. */
#include <string.h>

#include "core/internal.h"
#include "ner/compiled.h"

void an_i_wbuf_put(an_i_wbuf *w, const void *data, size_t n) {
    if (w->oom || !n) return;
    if (n > SIZE_MAX - w->len ||
        (w->len + n > w->cap && an_i_grow((void **)&w->p, &w->cap, w->len + n, 1))) {
        w->oom = 1;
        return;
    }
    memcpy(w->p + w->len, data, n);
    w->len += n;
}

void an_i_wbuf_align8(an_i_wbuf *w) {
    static const unsigned char zero[8] = {0};
    an_i_wbuf_put(w, zero, (8 - w->len % 8) % 8);
}

void an_i_rcur_align8(an_i_rcur *r) {
    (void)an_i_rcur_get(r, (8 - (size_t)(r->p - r->base) % 8) % 8);
}

void an_i_wbuf_u32(an_i_wbuf *w, uint32_t v) { an_i_wbuf_put(w, &v, sizeof v); }
void an_i_wbuf_u64(an_i_wbuf *w, uint64_t v) { an_i_wbuf_put(w, &v, sizeof v); }

void an_i_wbuf_str(an_i_wbuf *w, const char *s) {
    size_t n = s ? strlen(s) : 0;
    if (n >= UINT32_MAX) {
        w->oom = 1; /* cannot be written */
        return;
    }
    an_i_wbuf_u32(w, s ? (uint32_t)n : UINT32_MAX);
    an_i_wbuf_put(w, s, n);
}

const void *an_i_rcur_get(an_i_rcur *r, size_t n) {
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = 1;
        return NULL;
    }
    const void *p = r->p;
    r->p += n;
    return p;
}

uint32_t an_i_rcur_u32(an_i_rcur *r) {
    uint32_t v = 0;
    const void *p = an_i_rcur_get(r, sizeof v);
    if (p) memcpy(&v, p, sizeof v);
    return v;
}

uint64_t an_i_rcur_u64(an_i_rcur *r) {
    uint64_t v = 0;
    const void *p = an_i_rcur_get(r, sizeof v);
    if (p) memcpy(&v, p, sizeof v);
    return v;
}

size_t an_i_rcur_count(an_i_rcur *r, size_t size) {
    uint64_t n = an_i_rcur_u64(r);
    if (r->bad || n > (uint64_t)(r->end - r->p) / (size ? size : 1)) {
        r->bad = 1;
        return 0;
    }
    return (size_t)n;
}

int an_i_rcur_fits(const an_i_rcur *r, size_t n, size_t size) {
    return !r->bad && n <= (size_t)(r->end - r->p) / (size ? size : 1);
}

int an_i_rcur_str(an_i_rcur *r, const char **s, size_t *n) {
    uint32_t len = an_i_rcur_u32(r);
    *s = NULL;
    *n = 0;
    if (r->bad || len == UINT32_MAX) return !r->bad;
    const char *p = an_i_rcur_get(r, len);
    if (!p || memchr(p, '\0', len)) {
        r->bad = 1;
        return 0;
    }
    *s = p;
    *n = len;
    return 1;
}
