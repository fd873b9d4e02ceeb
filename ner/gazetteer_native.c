/* actornet — the native TSV gazetteer loader (docs/gazetteer.md). */
#include <string.h>
#include <utf8proc.h>

#include "actornet/text.h"
#include "core/internal.h"
#include "ner/gazetteer_internal.h"
#include "ner/json.h"

/* Quoted strings in messages are cut so that the position stays readable. */
#define QMAX 120

typedef struct line_ctx {
    const char *name;
    unsigned long line;
    const char *start; /* first byte of the line (after a BOM on line 1) */
    an_error *err;
} line_ctx;

static unsigned long col_of(const line_ctx *c, const char *p) {
    return (unsigned long)(p - c->start) + 1;
}

static int is_space(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

static void trim(const char **s, const char **e) {
    while (*s < *e && is_space(**s)) (*s)++;
    while (*e > *s && is_space((*e)[-1])) (*e)--;
}

/* First whitespace (ASCII or Unicode Zs) in s..e, or NULL. s..e is valid UTF-8. */
static const char *find_space(const char *s, const char *e) {
    const char *p = s;
    while (p < e) {
        if (is_space(*p) || *p == '\n') return p;
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)p, e - p, &cp);
        if (n <= 0) return NULL; /* cannot happen: validated before */
        utf8proc_category_t cat = utf8proc_category(cp);
        if (cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
            cat == UTF8PROC_CATEGORY_ZP)
            return p;
        p += n;
    }
    return NULL;
}

static int is_letter_cat(utf8proc_category_t c) {
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

static int is_number_cat(utf8proc_category_t c) {
    return c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO;
}

int an_i_gaz_has_letter_or_digit(const char *s, size_t len) {
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) return 0;
        utf8proc_category_t cat = utf8proc_category(cp);
        if (is_letter_cat(cat) || is_number_cat(cat)) return 1;
        i += (size_t)n;
    }
    return 0;
}

an_case_policy an_i_gaz_auto_policy(const char *s, size_t len) {
    size_t letters = 0, i = 0;
    int all_upper = 1;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) return AN_CASE_FOLD;
        utf8proc_category_t cat = utf8proc_category(cp);
        if (is_letter_cat(cat)) {
            letters++;
            if (cat != UTF8PROC_CATEGORY_LU) all_upper = 0;
        }
        i += (size_t)n;
    }
    return letters >= 1 && letters <= 4 && all_upper ? AN_CASE_EXACT : AN_CASE_FOLD;
}

/* A date of a range: YYYY-MM-DD or YYYYMMDD only (no time). */
static int parse_range_date(const char *s, size_t len, int32_t *out) {
    if (len != 8 && len != 10) return 0;
    return an_parse_date(s, len, out) == AN_OK;
}

static an_status oom(line_ctx *c) {
    return an_i_error(c->err, AN_ENOMEM, c->name, c->line, 0, "out of memory");
}

static an_status parse_parents(line_ctx *c, an_i_actor *a, const char *s, const char *e) {
    for (const char *p = s;;) {
        const char *q = p;
        while (q < e && *q != ',') q++;
        const char *ps = p, *pe = q;
        trim(&ps, &pe);
        if (ps < pe) {
            const char *sp = find_space(ps, pe);
            if (sp)
                return an_i_error(c->err, AN_EPARSE, c->name, c->line, col_of(c, sp),
                                  "parent id contains whitespace: \"%.*s\"",
                                  (int)(pe - ps > QMAX ? QMAX : pe - ps), ps);
            size_t n = (size_t)(pe - ps);
            if (n == strlen(a->id) && memcmp(ps, a->id, n) == 0)
                return an_i_error(c->err, AN_EPARSE, c->name, c->line, col_of(c, ps),
                                  "actor \"%.*s\" is its own parent", (int)(n > QMAX ? QMAX : n),
                                  ps);
            int dup = 0;
            for (size_t i = 0; i < a->n_parents && !dup; i++)
                dup = strlen(a->parents[i]) == n && memcmp(a->parents[i], ps, n) == 0;
            if (!dup) {
                char **np = an_i_realloc(a->parents, (a->n_parents + 1) * sizeof *np);
                if (!np) return oom(c);
                a->parents = np;
                if (!(np[a->n_parents] = an_i_strndup(ps, n))) return oom(c);
                a->n_parents++;
            }
        }
        if (q >= e) break;
        p = q + 1;
    }
    return AN_OK;
}

/* One alias piece s..e (already trimmed, non-empty). */
static an_status parse_alias(line_ctx *c, an_i_gaz_batch *b, size_t actor, const char *s,
                             const char *e) {
    const char *raw = s, *raw_end = e;
    an_i_alias al;
    memset(&al, 0, sizeof al);
    al.actor = actor;
    al.line = c->line;
    al.policy = AN_CASE_AUTO;
    if (*s == '=' || *s == '~') {
        al.policy = *s == '=' ? AN_CASE_EXACT : AN_CASE_FOLD;
        s++;
    }
    if (e > s && e[-1] == '}') {
        const char *open = e - 1;
        while (open > s && *open != '{') open--;
        if (*open == '{') {
            const char *in = open + 1, *in_end = e - 1;
            const char *dots = NULL;
            for (const char *p = in; p + 1 < in_end; p++)
                if (p[0] == '.' && p[1] == '.') {
                    dots = p;
                    break;
                }
            int rlen = (int)(e - open > QMAX ? QMAX : e - open);
            if (!dots)
                return an_i_error(c->err, AN_EPARSE, c->name, c->line, col_of(c, open),
                                  "bad date range \"%.*s\": expected {FROM..TO}", rlen, open);
            const char *fs = in, *fe = dots, *ts = dots + 2, *te = in_end;
            trim(&fs, &fe);
            trim(&ts, &te);
            if (fs < fe && !parse_range_date(fs, (size_t)(fe - fs), &al.date_from))
                return an_i_error(c->err, AN_EPARSE, c->name, c->line, col_of(c, fs),
                                  "bad date range \"%.*s\": invalid date \"%.*s\"", rlen, open,
                                  (int)(fe - fs > QMAX ? QMAX : fe - fs), fs);
            if (ts < te && !parse_range_date(ts, (size_t)(te - ts), &al.date_to))
                return an_i_error(c->err, AN_EPARSE, c->name, c->line, col_of(c, ts),
                                  "bad date range \"%.*s\": invalid date \"%.*s\"", rlen, open,
                                  (int)(te - ts > QMAX ? QMAX : te - ts), ts);
            if (al.date_from && al.date_to && al.date_from > al.date_to)
                return an_i_error(c->err, AN_EPARSE, c->name, c->line, col_of(c, open),
                                  "bad date range \"%.*s\": start is after end", rlen, open);
            e = open;
        }
    }
    trim(&s, &e);
    if (!an_i_gaz_has_letter_or_digit(s, (size_t)(e - s)))
        return an_i_error(c->err, AN_EPARSE, c->name, c->line, col_of(c, raw),
                          "alias has no letter or digit: \"%.*s\"",
                          (int)(raw_end - raw > QMAX ? QMAX : raw_end - raw), raw);
    if (al.policy == AN_CASE_AUTO) al.policy = an_i_gaz_auto_policy(s, (size_t)(e - s));
    size_t n = (size_t)(e - s);
    /* The same alias twice for one actor would only double the matcher's work. */
    for (size_t i = b->n_aliases; i-- > 0 && b->aliases[i].actor == actor;) {
        const an_i_alias *o = &b->aliases[i];
        if (o->policy == al.policy && o->date_from == al.date_from && o->date_to == al.date_to &&
            strlen(o->text) == n && memcmp(o->text, s, n) == 0)
            return AN_OK;
    }
    if (!(al.text = an_i_gaz_batch_text(b, s, n)) || an_i_gaz_batch_add_alias(b, &al))
        return oom(c);
    return AN_OK;
}

/* One data line (not blank, not a comment): s..e without the line end. */
static an_status parse_line(line_ctx *c, an_i_gaz_batch *b, const char *s, const char *e) {
    const char *f[5], *fe[5];
    size_t nf = 0;
    const char *p = s;
    for (;;) {
        const char *q = p;
        while (q < e && *q != '\t') q++;
        if (nf < 5) {
            f[nf] = p;
            fe[nf] = q;
        }
        nf++;
        if (q >= e) break;
        p = q + 1;
    }
    if (nf != 5)
        return an_i_error(c->err, AN_EPARSE, c->name, c->line, 1,
                          "expected 5 tab-separated fields, found %zu", nf);

    /* id: taken as written, so that a stray space is an error, not a silent fix */
    if (f[0] == fe[0]) return an_i_error(c->err, AN_EPARSE, c->name, c->line, 1, "empty actor id");
    const char *sp = find_space(f[0], fe[0]);
    int idlen = (int)(fe[0] - f[0] > QMAX ? QMAX : fe[0] - f[0]);
    if (sp)
        return an_i_error(c->err, AN_EPARSE, c->name, c->line, col_of(c, sp),
                          "actor id contains whitespace: \"%.*s\"", idlen, f[0]);
    const char *ls = f[1], *le = fe[1], *ts = f[2], *te = fe[2];
    trim(&ls, &le);
    trim(&ts, &te);
    if (ls == le)
        return an_i_error(c->err, AN_EPARSE, c->name, c->line, col_of(c, f[1]), "empty label");
    if (ts == te)
        return an_i_error(c->err, AN_EPARSE, c->name, c->line, col_of(c, f[2]), "empty type");
    const char *as = f[4], *ae = fe[4];
    trim(&as, &ae);
    if (as == ae)
        return an_i_error(c->err, AN_EPARSE, c->name, c->line, col_of(c, f[4]),
                          "empty alias list");

    an_i_actor a;
    memset(&a, 0, sizeof a);
    a.line = c->line;
    if (!(a.id = an_i_strndup(f[0], (size_t)(fe[0] - f[0])))) return oom(c);
    const char *dsrc;
    unsigned long dline;
    if (an_i_gaz_batch_lookup(b, a.id, &dsrc, &dline)) {
        an_i_actor_free(&a);
        return an_i_error(c->err, AN_EPARSE, c->name, c->line, 1,
                          "duplicate actor id \"%.*s\" (first defined at %s:%lu)", idlen, f[0],
                          dsrc, dline);
    }
    an_status st;
    if (!(a.label = an_i_strndup(ls, (size_t)(le - ls))) ||
        !(a.type = an_i_strndup(ts, (size_t)(te - ts)))) {
        an_i_actor_free(&a);
        return oom(c);
    }
    if ((st = parse_parents(c, &a, f[3], fe[3]))) {
        an_i_actor_free(&a);
        return st;
    }
    size_t index;
    if (an_i_gaz_batch_add_actor(b, &a, &index)) {
        an_i_actor_free(&a);
        return oom(c);
    }
    /* "-" alone: an actor that only groups others (a parent) has no aliases. */
    if (ae - as == 1 && *as == '-') return AN_OK;
    /* Aliases: the batch now owns the actor; a failure discards the whole batch. */
    p = as;
    for (;;) {
        const char *q = p;
        while (q < ae && *q != '|') q++;
        const char *s1 = p, *e1 = q;
        trim(&s1, &e1);
        if (s1 == e1)
            return an_i_error(c->err, AN_EPARSE, c->name, c->line, col_of(c, p), "empty alias");
        if ((st = parse_alias(c, b, index, s1, e1))) return st;
        if (q >= ae) break;
        p = q + 1;
    }
    return AN_OK;
}

an_status an_i_gaz_parse_native(an_i_gaz_batch *b, const char *data, size_t len,
                                const char *name, an_error *err) {
    line_ctx c = {name, 0, data, err};
    const char *p = data, *end = data + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    while (p < end) {
        c.line++;
        c.start = p;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *z = memchr(p, '\0', (size_t)(le - p));
        if (z)
            return an_i_error(err, AN_EPARSE, name, c.line, col_of(&c, z), "NUL byte in gazetteer");
        size_t ok = an_i_utf8_valid_prefix(p, (size_t)(le - p));
        if (ok < (size_t)(le - p))
            return an_i_error(err, AN_EPARSE, name, c.line, (unsigned long)ok + 1,
                              "invalid UTF-8 (byte 0x%02X)", (unsigned)(unsigned char)p[ok]);
        const char *ce = le;
        if (ce > p && ce[-1] == '\r') ce--;
        const char *s = p;
        while (s < ce && is_space(*s)) s++;
        if (s < ce && *s != '#') {
            an_status st = parse_line(&c, b, p, ce);
            if (st) return st;
        }
        p = nl ? nl + 1 : end;
    }
    return AN_OK;
}
