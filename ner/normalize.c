/* actornet — match keys (see normalize.h). */
#include "normalize.h"

#include <string.h>
#include <utf8proc.h>

#include "core/internal.h"

#define L(c) (unsigned char)((c) >= 'A' && (c) <= 'Z' ? ((c) + 32) & 0xFF : (c))
#define R4(b) L(b), L(b + 1), L(b + 2), L(b + 3)
#define R16(b) R4(b), R4(b + 4), R4(b + 8), R4(b + 12)
#define R64(b) R16(b), R16(b + 16), R16(b + 32), R16(b + 48)
const unsigned char an_i_ascii_lower[256] = {R64(0), R64(64), R64(128), R64(192)};
#undef R64
#undef R16
#undef R4
#undef L

void an_i_norm_buf_free(an_i_norm_buf *nb) {
    if (!nb) return;
    an_i_free(nb->bytes);
    an_i_free(nb->cps);
    memset(nb, 0, sizeof *nb);
}

static an_status reserve_bytes(an_i_norm_buf *nb, size_t need) {
    if (need <= nb->cap_bytes) return AN_OK;
    size_t cap = nb->cap_bytes ? nb->cap_bytes : 64;
    while (cap < need) cap *= 2;
    char *p = an_i_realloc(nb->bytes, cap);
    if (!p) return AN_ENOMEM;
    nb->bytes = p;
    nb->cap_bytes = cap;
    return AN_OK;
}

static an_status reserve_cps(an_i_norm_buf *nb, size_t need) {
    if (need <= nb->cap_cps) return AN_OK;
    size_t cap = nb->cap_cps ? nb->cap_cps : 64;
    while (cap < need) cap *= 2;
    if (cap > SIZE_MAX / sizeof(int32_t)) return AN_ENOMEM;
    int32_t *p = an_i_realloc(nb->cps, cap * sizeof(int32_t));
    if (!p) return AN_ENOMEM;
    nb->cps = p;
    nb->cap_cps = cap;
    return AN_OK;
}

/* Runs before utf8proc's own mappings. Apostrophes are unified here rather
 * than with UTF8PROC_LUMP because LUMP also rewrites other punctuation that
 * users may want to keep distinct. U+0130 is special-cased because full case
 * folding turns it into "i" + U+0307, and then "İstanbul" would never match
 * the far more common spelling "Istanbul". */
static utf8proc_int32_t custom_map(utf8proc_int32_t cp, void *data) {
    unsigned flags = *(const unsigned *)data;
    switch (cp) {
    case 0x2019: case 0x2018: case 0x02BC: case 0xFF07:
        return '\'';
    case 0x0130:
        return (flags & AN_I_NORM_FOLD) ? 'i' : cp;
    default:
        return cp;
    }
}

an_status an_i_norm_key(an_i_norm_buf *nb, const char *s, size_t n, unsigned flags,
                        const char **key, size_t *key_len) {
    const unsigned char *u = (const unsigned char *)s;
    int ascii = 1, dots = 0;
    for (size_t i = 0; i < n; i++) {
        if (u[i] >= 0x80) { ascii = 0; break; }
        if (u[i] == '.') dots = 1;
    }
    if (ascii) {
        if (!(flags & AN_I_NORM_FOLD) && !((flags & AN_I_NORM_DROPDOTS) && dots)) {
            *key = s;
            *key_len = n;
            return AN_OK;
        }
        if (reserve_bytes(nb, n + 1)) return AN_ENOMEM;
        size_t k = 0;
        const unsigned char *tab = (flags & AN_I_NORM_FOLD) ? an_i_ascii_lower : NULL;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = u[i];
            if (c == '.' && (flags & AN_I_NORM_DROPDOTS)) continue;
            nb->bytes[k++] = (char)(tab ? tab[c] : c);
        }
        *key = nb->bytes;
        *key_len = k;
        return AN_OK;
    }

    /* Unicode path: drop dots into the byte buffer first (a custom mapping
     * cannot delete), then decompose and re-encode in the code point buffer. */
    const char *src = s;
    size_t src_n = n;
    if ((flags & AN_I_NORM_DROPDOTS)) {
        if (reserve_bytes(nb, n + 1)) return AN_ENOMEM;
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (u[i] != '.') nb->bytes[k++] = (char)u[i];
        src = nb->bytes;
        src_n = k;
    }
    utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_IGNORE;
    if (flags & AN_I_NORM_FOLD) opt |= UTF8PROC_CASEFOLD | UTF8PROC_COMPAT;
    if (flags & AN_I_NORM_STRIPMARK) opt |= UTF8PROC_STRIPMARK;
    if ((utf8proc_ssize_t)src_n < 0) return AN_ELIMIT;
    /* A first guess that is almost always enough: decomposition rarely
     * more than triples the number of code points. */
    size_t guess = 3 * src_n + 8;
    if (reserve_cps(nb, guess)) return AN_ENOMEM;
    utf8proc_ssize_t r;
    for (;;) {
        r = utf8proc_decompose_custom((const utf8proc_uint8_t *)src, (utf8proc_ssize_t)src_n,
                                      nb->cps, (utf8proc_ssize_t)nb->cap_cps - 1, opt,
                                      custom_map, &flags);
        if (r < 0) return r == UTF8PROC_ERROR_NOMEM ? AN_ENOMEM : AN_EINVAL;
        if ((size_t)r < nb->cap_cps) break;
        if (reserve_cps(nb, (size_t)r + 1)) return AN_ENOMEM;
    }
    r = utf8proc_reencode(nb->cps, r, opt);
    if (r < 0) return AN_EINVAL;
    *key = (const char *)nb->cps;
    *key_len = (size_t)r;
    return AN_OK;
}
