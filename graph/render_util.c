/* actornet — string buffer, UTF-8 scan and number formatting for maps and reports. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "graph/render_internal.h"

void an_i_sbuf_free(an_i_sbuf *b) {
    if (!b) return;
    an_i_free(b->s);
    memset(b, 0, sizeof *b);
}

static int sbuf_reserve(an_i_sbuf *b, size_t extra) {
    if (b->oom) return 0;
    if (extra > SIZE_MAX - b->len - 1) {
        b->oom = 1;
        return 0;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return 1;
    size_t ncap = b->cap ? b->cap : 64;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) {
            ncap = need;
            break;
        }
        ncap *= 2;
    }
    char *p = an_i_realloc(b->s, ncap);
    if (!p) {
        b->oom = 1;
        return 0;
    }
    b->s = p;
    b->cap = ncap;
    return 1;
}

void an_i_sbuf_putn(an_i_sbuf *b, const char *s, size_t n) {
    if (!sbuf_reserve(b, n)) return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void an_i_sbuf_puts(an_i_sbuf *b, const char *s) { an_i_sbuf_putn(b, s, strlen(s)); }

void an_i_sbuf_putc(an_i_sbuf *b, char c) { an_i_sbuf_putn(b, &c, 1); }

void an_i_sbuf_printf(an_i_sbuf *b, const char *fmt, ...) {
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        an_i_sbuf_putn(b, small, (size_t)n);
        return;
    }
    if (!sbuf_reserve(b, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void an_i_sbuf_reset(an_i_sbuf *b) {
    b->len = 0;
    if (b->s) b->s[0] = '\0';
}

uint32_t an_i_utf8_next(const char *s, size_t *pos, size_t *len) {
    const unsigned char *p = (const unsigned char *)s + *pos;
    unsigned c = p[0];
    if (c == 0) {
        *len = 0;
        return 0;
    }
    if (c < 0x80) {
        *len = 1;
        *pos += 1;
        return c;
    }
    size_t n;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, cp = c & 0x07, min = 0x10000;
    } else {
        goto bad;
    }
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) goto bad; /* also stops at the NUL */
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) goto bad;
    *len = n;
    *pos += n;
    return cp;
bad:
    *len = 1;
    *pos += 1;
    return 0xFFFD;
}

int an_i_is_dropped_char(uint32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF;
}

int an_i_fmt_fixed(char *buf, size_t size, double x, int decimals, const char *nan_text) {
    if (!isfinite(x)) {
        snprintf(buf, size, "%s", nan_text);
        return 0;
    }
    snprintf(buf, size, "%.*f", decimals, x);
    /* A locale may print a comma; the output must not depend on it. */
    for (char *p = buf; *p; p++)
        if (*p != '-' && (*p < '0' || *p > '9')) *p = '.';
    if (buf[0] == '-') {
        int all_zero = 1;
        for (const char *p = buf + 1; *p; p++)
            if (*p >= '1' && *p <= '9') all_zero = 0;
        if (all_zero) memmove(buf, buf + 1, strlen(buf));
    }
    return 1;
}

typedef struct pr_key {
    double pr;
    const char *label;
    size_t idx;
} pr_key;

static int cmp_pr(const void *a, const void *b) {
    const pr_key *x = a, *y = b;
    int xn = isnan(x->pr), yn = isnan(y->pr);
    if (xn != yn) return xn - yn;
    if (!xn && x->pr != y->pr) return x->pr > y->pr ? -1 : 1;
    if (x->label && y->label) {
        int c = strcmp(x->label, y->label);
        if (c) return c;
    }
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

size_t *an_i_order_by_pagerank(const an_graph_view *v, int by_label) {
    size_t n = v->n_nodes;
    size_t *order = an_i_calloc(n ? n : 1, sizeof *order);
    pr_key *keys = an_i_calloc(n ? n : 1, sizeof *keys);
    if (!order || !keys) {
        an_i_free(order);
        an_i_free(keys);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        keys[i].pr = v->nodes[i].pagerank;
        keys[i].label = by_label ? (v->nodes[i].label ? v->nodes[i].label : "") : NULL;
        keys[i].idx = i;
    }
    if (n > 1) qsort(keys, n, sizeof *keys, cmp_pr);
    for (size_t i = 0; i < n; i++) order[i] = keys[i].idx;
    an_i_free(keys);
    return order;
}
