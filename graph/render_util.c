/* actornet — string buffer, UTF-8 scan and number formatting for maps and reports. */
#include <inttypes.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/render.h"
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
    if (s[*pos] == '\0') {
        *len = 0;
        return 0;
    }
    /* A sequence is at most 4 bytes and the terminating NUL fails the continuation
     * check, so bounding the bounded decoder by 4 never reads past the string. */
    return an_i_utf8_next_n(s, *pos + 4, pos, len);
}

int an_i_is_dropped_char(uint32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF;
}

void an_i_put_resolution(an_i_sbuf *b, const an_graph_view *v) {
    if (!(v->resolution > 0.0) || v->resolution == 1.0 || !isfinite(v->resolution)) return;
    an_i_sbuf_puts(b, ", resolution ");
    an_i_json_num(b, v->resolution); /* shortest fixed form, whatever LC_NUMERIC */
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

uint32_t an_i_utf8_next_n(const char *s, size_t len, size_t *pos, size_t *clen) {
    if (*pos >= len) {
        *clen = 0;
        return 0;
    }
    const unsigned char *p = (const unsigned char *)s + *pos;
    size_t left = len - *pos;
    unsigned c = p[0];
    if (c < 0x80) {
        *clen = 1;
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
    if (n > left) goto bad;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) goto bad;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) goto bad;
    *clen = n;
    *pos += n;
    return cp;
bad:
    *clen = 1;
    *pos += 1;
    return 0xFFFD;
}

/* U+FFFD decoded from one byte is a replacement, not the character itself. */
#define AN_I_REPLACEMENT "\xEF\xBF\xBD"

void an_i_xml_escape(an_i_sbuf *b, const char *s, size_t len) {
    if (!s) return;
    size_t pos = 0, cl;
    while (pos < len) {
        uint32_t cp = an_i_utf8_next_n(s, len, &pos, &cl);
        switch (cp) {
        case '&': an_i_sbuf_puts(b, "&amp;"); continue;
        case '<': an_i_sbuf_puts(b, "&lt;"); continue;
        case '>': an_i_sbuf_puts(b, "&gt;"); continue;
        case '"': an_i_sbuf_puts(b, "&quot;"); continue;
        case '\'': an_i_sbuf_puts(b, "&apos;"); continue;
        case '\t': an_i_sbuf_puts(b, "&#9;"); continue;
        case '\n': an_i_sbuf_puts(b, "&#10;"); continue;
        case '\r': an_i_sbuf_puts(b, "&#13;"); continue;
        default: break;
        }
        if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF) continue;
        if (cp == 0xFFFD && cl == 1)
            an_i_sbuf_puts(b, AN_I_REPLACEMENT);
        else
            an_i_sbuf_putn(b, s + pos - cl, cl);
    }
}

void an_i_xml_str(an_i_sbuf *b, const char *s) {
    if (s) an_i_xml_escape(b, s, strlen(s));
}

void an_i_json_escape(an_i_sbuf *b, const char *s, size_t len, int html_safe) {
    an_i_sbuf_putc(b, '"');
    size_t pos = 0, cl;
    while (s && pos < len) {
        uint32_t cp = an_i_utf8_next_n(s, len, &pos, &cl);
        switch (cp) {
        case '"': an_i_sbuf_puts(b, "\\\""); continue;
        case '\\': an_i_sbuf_puts(b, "\\\\"); continue;
        case '\n': an_i_sbuf_puts(b, "\\n"); continue;
        case '\r': an_i_sbuf_puts(b, "\\r"); continue;
        case '\t': an_i_sbuf_puts(b, "\\t"); continue;
        case '\b': an_i_sbuf_puts(b, "\\b"); continue;
        case '\f': an_i_sbuf_puts(b, "\\f"); continue;
        default: break;
        }
        if (cp < 0x20 || cp == 0x7F ||
            (html_safe && (cp == '<' || cp == '>' || cp == '&' || cp == 0x2028 || cp == 0x2029))) {
            an_i_sbuf_printf(b, "\\u%04x", (unsigned)cp);
        } else if (cp == 0xFFFD && cl == 1) {
            an_i_sbuf_puts(b, "\\ufffd");
        } else {
            an_i_sbuf_putn(b, s + pos - cl, cl);
        }
    }
    an_i_sbuf_putc(b, '"');
}

void an_i_json_str(an_i_sbuf *b, const char *s, int html_safe) {
    an_i_json_escape(b, s, s ? strlen(s) : 0, html_safe);
}

void an_i_json_num(an_i_sbuf *b, double x) {
    char num[64];
    if (!an_i_fmt_fixed(num, sizeof num, x, 10, "null")) {
        an_i_sbuf_puts(b, num);
        return;
    }
    char *dot = strchr(num, '.');
    if (dot) {
        size_t n = strlen(num);
        while (n > 0 && num[n - 1] == '0') num[--n] = '\0';
        if (n > 0 && num[n - 1] == '.') num[--n] = '\0';
        if (strcmp(num, "-0") == 0) strcpy(num, "0");
    }
    an_i_sbuf_puts(b, num);
}

#define AN_I_FLUSH_AT (1u << 16)

void an_i_w_flush(an_i_writer *w) {
    if (w->b.len && !w->io) {
        errno = 0;
        if (fwrite(w->b.s, 1, w->b.len, w->f) != w->b.len) {
            w->io = 1;
            w->io_errno = errno;
        }
    }
    an_i_sbuf_reset(&w->b);
}

void an_i_w_maybe_flush(an_i_writer *w) {
    if (w->b.len >= AN_I_FLUSH_AT) an_i_w_flush(w);
}

an_status an_i_w_finish(an_i_writer *w, const char *what, an_error *err) {
    an_status st = AN_OK;
    if (w->b.oom) {
        st = an_i_error(err, AN_ENOMEM, NULL, 0, 0, "%s: out of memory", what);
    } else {
        an_i_w_flush(w);
        if (w->io || ferror(w->f))
            st = an_i_error(err, AN_EIO, NULL, 0, 0, "%s: write failed%s%s", what,
                            w->io_errno ? ": " : "", w->io_errno ? strerror(w->io_errno) : "");
    }
    an_i_sbuf_free(&w->b);
    return st;
}

an_status an_i_report_begin(const an_graph_view *v, const an_report_options **o,
                            an_report_options *dflt, FILE *out, const char *what,
                            an_error *err) {
    if (!*o) {
        an_report_options_init(dflt);
        *o = dflt;
    }
    if (!out) return an_i_error(err, AN_EINVAL, NULL, 0, 0, "%s: no output stream", what);
    return an_i_check_view(v, what, err);
}

void an_i_json_evidence_fields(an_i_sbuf *b, const an_evidence_item *it) {
    an_i_sbuf_puts(b, "\"doc\":");
    an_i_json_str(b, it->doc_id, 0);
    an_i_sbuf_printf(b, ",\"doc_seq\":%" PRIu64 ",\"start\":%zu,\"end\":%zu,\"text_start\":%zu,"
                        "\"text\":",
                     it->doc_seq, it->start, it->end, it->text_start);
    an_i_json_escape(b, it->text, it->text_len, 0);
}

an_status an_i_check_view(const an_graph_view *v, const char *what, an_error *err) {
    if (!v || (v->n_nodes && !v->nodes) || (v->n_edges && !v->edges))
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "%s: no graph view", what);
    for (size_t k = 0; k < v->n_edges; k++)
        if (v->edges[k].source >= v->n_nodes || v->edges[k].target >= v->n_nodes)
            return an_i_error(err, AN_EINVAL, NULL, 0, 0, "%s: edge %zu refers to a missing node",
                              what, k);
    return AN_OK;
}

static int cmp_mark(const void *pa, const void *pb) {
    const an_i_mark *x = pa, *y = pb;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->end != y->end) return x->end > y->end ? -1 : 1;
    return x->who - y->who;
}

size_t an_i_evidence_marks(const an_evidence_item *it, an_i_mark *out) {
    size_t n = 0, lo = it->text_start, hi = it->text_start + it->text_len;
    for (int who = 1; who <= 2; who++) {
        const an_span *sp = who == 1 ? it->a_spans : it->b_spans;
        size_t ns = who == 1 ? it->n_a_spans : it->n_b_spans;
        if (ns > AN_EVIDENCE_MAX_SPANS) ns = AN_EVIDENCE_MAX_SPANS;
        for (size_t i = 0; i < ns; i++) {
            if (sp[i].start < lo || sp[i].end > hi || sp[i].start >= sp[i].end) continue;
            out[n].start = sp[i].start - lo;
            out[n].end = sp[i].end - lo;
            out[n].who = who;
            n++;
        }
    }
    if (n > 1) qsort(out, n, sizeof *out, cmp_mark);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || out[i].start >= out[k - 1].end) out[k++] = out[i];
    return k;
}

void an_i_json_filter_steps(an_i_sbuf *b, const an_graph_view *v) {
    for (size_t i = 0; i < v->n_filter_steps && v->filter_steps; i++) {
        const an_filter_step *f = &v->filter_steps[i];
        an_i_sbuf_puts(b, i ? ",{\"name\":" : "{\"name\":");
        an_i_json_str(b, f->name ? f->name : "", 0);
        an_i_sbuf_puts(b, ",\"detail\":");
        an_i_json_escape(b, f->detail, strnlen(f->detail, sizeof f->detail), 0);
        an_i_sbuf_printf(b, ",\"edges_removed\":%zu,\"actors_removed\":%zu}", f->edges_removed,
                         f->actors_removed);
    }
}
