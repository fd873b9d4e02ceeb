/* actornet — counts files and sets of named counts (contract:
 * include/actornet/cooc.h, format: docs/counts-format.md).
 *
 * The format is line-oriented text so that shards can be produced and
 * combined by any tool (Hadoop Streaming, Spark pipe(), sort, diff). Every
 * number is written as a decimal integer, the weighted pair sums in their
 * internal fixed point, so reading gives back exactly the counts written and
 * write -> read -> write is byte-identical.
 *
 * The reader is built for hostile input: lines are read with a bounded
 * buffer (no getline, whose memory would follow the input), every number is
 * range-checked, there is no recursion, and the set is only handed out once
 * the whole file has been read.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/cooc.h"
#include "core/internal.h"
#include "graph/cooc_raw.h"

#define FORMAT_MAGIC "actornet-counts"
#define FORMAT_VERSION 1
#define MAX_LINE 4096     /* bytes of one line without its end */
#define MAX_NAME 200      /* section names */
#define MAX_SHOWN 200     /* informative names on actor and alias lines */
#define DEFAULT_SECTION "all"

/* ---- fingerprints ------------------------------------------------------ */

AN_EXPORT uint64_t an_counts_gazetteer_fingerprint(const an_gazetteer *gz) {
    return an_gazetteer_fingerprint(gz);
}

static uint64_t map_fingerprint(const size_t *map, size_t n) {
    uint64_t h = an_i_fnv_u64(AN_I_FNV_OFFSET, n);
    for (size_t i = 0; i < n; i++) h = an_i_fnv_u64(h, map[i] == AN_DROP ? UINT64_MAX : map[i]);
    return h;
}

/* ---- sets -------------------------------------------------------------- */

struct an_counts_set {
    an_counts *proto; /* empty; holds the shape (sizes, normalised options, map) */
    size_t n, cap;
    char **names;       /* ascending strcmp order */
    an_counts **counts;
};

static int valid_name(const char *s) {
    if (!s) return 0;
    size_t n = strlen(s);
    if (n == 0 || n > MAX_NAME) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7f) return 0;
    }
    return 1;
}

/* Index of name, or (as ~insertion point) where it would go. */
static int set_lookup(const an_counts_set *set, const char *name, size_t *at) {
    size_t lo = 0, hi = set->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(set->names[mid], name);
        if (c == 0) {
            *at = mid;
            return 1;
        }
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    *at = lo;
    return 0;
}

static an_status set_reserve(an_counts_set *set, size_t extra) {
    if (extra > SIZE_MAX - set->n) return AN_ENOMEM;
    size_t need = set->n + extra, cap_names = set->cap, cap_counts = set->cap;
    an_status st = an_i_grow((void **)&set->names, &cap_names, need, sizeof *set->names);
    if (st != AN_OK) return st;
    st = an_i_grow((void **)&set->counts, &cap_counts, need, sizeof(an_counts *));
    if (st != AN_OK) return st;
    /* both arrays now hold at least `need`; remember the smaller capacity */
    set->cap = cap_names < cap_counts ? cap_names : cap_counts;
    return AN_OK;
}

/* Inserts at position at; room and the name copy are already there. */
static void set_insert(an_counts_set *set, size_t at, char *name, an_counts *c) {
    memmove(set->names + at + 1, set->names + at, (set->n - at) * sizeof *set->names);
    memmove(set->counts + at + 1, set->counts + at, (set->n - at) * sizeof(an_counts *));
    set->names[at] = name;
    set->counts[at] = c;
    set->n++;
}

AN_EXPORT an_status an_counts_set_create(size_t n_actors, size_t n_aliases,
                                         const an_count_options *opts, an_counts_set **out) {
    if (!out) return AN_EINVAL;
    an_counts_set *set = an_i_calloc(1, sizeof *set);
    if (!set) return AN_ENOMEM;
    an_status st = an_counts_create(n_actors, n_aliases, opts, &set->proto);
    if (st != AN_OK) {
        an_i_free(set);
        return st;
    }
    *out = set;
    return AN_OK;
}

AN_EXPORT void an_counts_set_destroy(an_counts_set *set) {
    if (!set) return;
    for (size_t i = 0; i < set->n; i++) {
        an_i_free(set->names[i]);
        an_counts_destroy(set->counts[i]);
    }
    an_i_free(set->names);
    an_i_free(set->counts);
    an_counts_destroy(set->proto);
    an_i_free(set);
}

AN_EXPORT an_count_options an_counts_set_options(const an_counts_set *set) {
    return an_counts_options(set ? set->proto : NULL);
}
AN_EXPORT size_t an_counts_set_actor_count(const an_counts_set *set) {
    return set ? an_counts_actor_count(set->proto) : 0;
}
AN_EXPORT size_t an_counts_set_alias_count(const an_counts_set *set) {
    return set ? an_i_counts_alias_count(set->proto) : 0;
}
AN_EXPORT size_t an_counts_set_count(const an_counts_set *set) { return set ? set->n : 0; }

AN_EXPORT const char *an_counts_set_name(const an_counts_set *set, size_t i) {
    return set && i < set->n ? set->names[i] : NULL;
}
AN_EXPORT const an_counts *an_counts_set_get(const an_counts_set *set, size_t i) {
    return set && i < set->n ? set->counts[i] : NULL;
}
AN_EXPORT const an_counts *an_counts_set_find(const an_counts_set *set, const char *name) {
    size_t at;
    if (!set || !name || !set_lookup(set, name, &at)) return NULL;
    return set->counts[at];
}

static an_status new_like(const an_counts *proto, an_counts **out) {
    an_count_options o = an_counts_options(proto);
    return an_counts_create(an_counts_actor_count(proto), an_i_counts_alias_count(proto), &o, out);
}

AN_EXPORT an_status an_counts_set_get_or_create(an_counts_set *set, const char *name,
                                                an_counts **out) {
    if (!set || !out || !valid_name(name)) return AN_EINVAL;
    size_t at;
    if (set_lookup(set, name, &at)) {
        *out = set->counts[at];
        return AN_OK;
    }
    an_status st = set_reserve(set, 1);
    if (st != AN_OK) return st;
    char *copy = an_i_strdup(name);
    if (!copy) return AN_ENOMEM;
    an_counts *c = NULL;
    st = new_like(set->proto, &c);
    if (st != AN_OK) {
        an_i_free(copy);
        return st;
    }
    set_insert(set, at, copy, c);
    *out = c;
    return AN_OK;
}

static void options_text(const an_counts *c, char *buf, size_t size);

/* Explains why two shapes differ (only called when they do). */
static an_status shape_error(an_error *err, const an_counts *dst, const an_counts *src) {
    an_count_options a = an_counts_options(dst), b = an_counts_options(src);
    if (an_counts_actor_count(dst) != an_counts_actor_count(src) ||
        an_i_counts_alias_count(dst) != an_i_counts_alias_count(src))
        return an_i_error(err, AN_EINVAL, NULL, 0, 0,
                          "counts of different gazetteers: %zu actors and %zu aliases here, "
                          "%zu and %zu there",
                          an_counts_actor_count(dst), an_i_counts_alias_count(dst),
                          an_counts_actor_count(src), an_i_counts_alias_count(src));
    if (!a.actor_map != !b.actor_map ||
        (a.actor_map &&
         map_fingerprint(a.actor_map, an_counts_actor_count(dst)) !=
             map_fingerprint(b.actor_map, an_counts_actor_count(src))))
        return an_i_error(err, AN_EINVAL, NULL, 0, 0,
                          "counts made with different actor maps (roll-up, merges, selection): "
                          "%016" PRIx64 " here, %016" PRIx64 " there",
                          a.actor_map ? map_fingerprint(a.actor_map, an_counts_actor_count(dst)) : 0,
                          b.actor_map ? map_fingerprint(b.actor_map, an_counts_actor_count(src)) : 0);
    char x[96], y[96];
    options_text(dst, x, sizeof x);
    options_text(src, y, sizeof y);
    return an_i_error(err, AN_EINVAL, NULL, 0, 0,
                      "counts made with different options: %s here, %s there", x, y);
}

AN_EXPORT an_status an_counts_set_take(an_counts_set *set, const char *name, an_counts *c,
                                       an_error *err) {
    if (!set || !c) return an_i_error(err, AN_EINVAL, NULL, 0, 0, "an_counts_set_take: NULL argument");
    if (!valid_name(name))
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "invalid section name '%s'",
                          name ? name : "(null)");
    if (!an_i_counts_same_shape(set->proto, c)) return shape_error(err, set->proto, c);
    size_t at;
    if (set_lookup(set, name, &at)) {
        an_counts *d = set->counts[at];
        an_status st = an_i_counts_prepare_merge(d, c);
        if (st == AN_ELIMIT)
            return an_i_error(err, st, NULL, 0, 0, "section %s: a count would exceed 2^64-1", name);
        if (st != AN_OK) return an_i_error(err, st, NULL, 0, 0, "out of memory");
        st = an_counts_merge(d, c);
        if (st != AN_OK) return an_i_error(err, st, NULL, 0, 0, "merging section %s failed", name);
        an_counts_destroy(c);
        return AN_OK;
    }
    an_status st = set_reserve(set, 1);
    char *copy = st == AN_OK ? an_i_strdup(name) : NULL;
    if (!copy) return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "out of memory");
    set_insert(set, at, copy, c);
    return AN_OK;
}

AN_EXPORT an_status an_counts_set_merge(an_counts_set *dst, const an_counts_set *src,
                                        an_error *err) {
    if (!dst || !src)
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "an_counts_set_merge: NULL argument");
    if (!an_i_counts_same_shape(dst->proto, src->proto))
        return shape_error(err, dst->proto, src->proto);

    /* Acquire everything first (reservations, copies of new sections), so
     * that the merge itself cannot fail half-way. */
    an_status st = AN_OK;
    size_t n_new = 0;
    an_counts **fresh = an_i_calloc(src->n ? src->n : 1, sizeof(an_counts *));
    char **fresh_names = an_i_calloc(src->n ? src->n : 1, sizeof *fresh_names);
    if (!fresh || !fresh_names) goto oom;
    for (size_t i = 0; i < src->n; i++) {
        size_t at;
        if (set_lookup(dst, src->names[i], &at)) {
            st = an_i_counts_prepare_merge(dst->counts[at], src->counts[i]);
            if (st == AN_ELIMIT) {
                st = an_i_error(err, st, NULL, 0, 0, "section %s: a count would exceed 2^64-1",
                                src->names[i]);
                goto done;
            }
            if (st != AN_OK) goto oom;
        } else {
            fresh_names[i] = an_i_strdup(src->names[i]);
            if (!fresh_names[i]) goto oom;
            st = new_like(dst->proto, &fresh[i]);
            if (st == AN_OK) st = an_counts_merge(fresh[i], src->counts[i]);
            if (st != AN_OK) goto oom;
            n_new++;
        }
    }
    st = set_reserve(dst, n_new);
    if (st != AN_OK) goto oom;

    for (size_t i = 0; i < src->n; i++) {
        size_t at;
        if (fresh[i]) {
            (void)set_lookup(dst, fresh_names[i], &at);
            set_insert(dst, at, fresh_names[i], fresh[i]);
            fresh[i] = NULL;
            fresh_names[i] = NULL;
        } else {
            (void)set_lookup(dst, src->names[i], &at);
            (void)an_counts_merge(dst->counts[at], src->counts[i]); /* prepared: cannot fail */
        }
    }
    st = AN_OK;
    goto done;
oom:
    st = an_i_error(err, AN_ENOMEM, NULL, 0, 0, "merging counts: out of memory");
done:
    for (size_t i = 0; fresh && i < src->n; i++) an_counts_destroy(fresh[i]);
    for (size_t i = 0; fresh_names && i < src->n; i++) an_i_free(fresh_names[i]);
    an_i_free(fresh);
    an_i_free(fresh_names);
    return st;
}

/* ---- writing ----------------------------------------------------------- */

static void options_text(const an_counts *c, char *buf, size_t size) {
    an_count_options o = an_counts_options(c);
    if (o.window == AN_WINDOW_TOKENS)
        snprintf(buf, size, "window tokens:%lu, distance weighting %s", (unsigned long)o.tokens,
                 o.distance_weighting ? "on" : "off");
    else
        snprintf(buf, size, "window %s, mode %s", an_window_name(o.window),
                 o.mode == AN_COUNT_MENTION_PAIRS ? "mention-pairs" : "windows");
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n) {
    size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : s[0] >= 0xe0 && s[0] < 0xf0 ? 3
                 : s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : 0;
    if (len == 0 || len > n) return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80) return 0;
    return len;
}

/* The informative name of an actor/alias line: at most MAX_SHOWN bytes of
 * valid UTF-8 without control characters (each bad byte becomes '?'), so
 * that a line stays one short line whatever the gazetteer holds. */
static void put_shown(FILE *out, const char *text) {
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    size_t n = strlen((const char *)s), used = 0;
    if (n == 0) return;
    fputc(' ', out);
    for (size_t i = 0; i < n;) {
        size_t k = utf8_len(s + i, n - i);
        if (k == 0 || (k == 1 && (s[i] < 0x20 || s[i] == 0x7f))) {
            if (used + 1 > MAX_SHOWN) break;
            fputc('?', out);
            used++;
            i++;
            continue;
        }
        if (used + k > MAX_SHOWN) break;
        fwrite(s + i, 1, k, out);
        used += k;
        i += k;
    }
}

static an_status write_section(FILE *out, const char *name, const an_counts *c,
                               const an_gazetteer *gz, an_error *err) {
    fprintf(out, "section %s\n", name);
    fprintf(out, "documents %" PRIu64 "\nbytes %" PRIu64 "\nmentions %" PRIu64
                 "\nwindows %" PRIu64 "\n",
            an_counts_documents(c), an_counts_bytes(c), an_counts_mentions(c),
            an_counts_windows(c));
    size_t na = an_counts_actor_count(c), nl = an_i_counts_alias_count(c);
    for (size_t i = 0; i < na; i++) {
        an_actor_counts a = an_counts_actor(c, i);
        if (!a.mentions && !a.windows && !a.documents) continue;
        fprintf(out, "actor %zu %" PRIu64 " %" PRIu64 " %" PRIu64, i, a.mentions, a.windows,
                a.documents);
        an_actor_info info;
        if (an_gazetteer_actor(gz, i, &info) == AN_OK) put_shown(out, info.id);
        fputc('\n', out);
    }
    for (size_t i = 0; i < nl; i++) {
        uint64_t h = an_counts_alias_hits(c, i);
        if (!h) continue;
        fprintf(out, "alias %zu %" PRIu64, i, h);
        an_alias_info info;
        if (an_gazetteer_alias(gz, i, &info) == AN_OK) put_shown(out, info.text);
        fputc('\n', out);
    }
    uint64_t *keys = NULL;
    size_t np = 0;
    an_status st = an_i_counts_pair_keys(c, &keys, &np);
    if (st == AN_EINVAL)
        return an_i_error(err, st, NULL, 0, 0,
                          "writing counts: these counts have dropped their pairs");
    if (st != AN_OK)
        return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "writing counts: out of memory");
    for (size_t i = 0; i < np; i++) {
        size_t a = (size_t)(keys[i] >> 32), b = (size_t)(keys[i] & 0xFFFFFFFFu);
        uint64_t w = 0, d = 0, fx = 0;
        (void)an_i_counts_pair_get(c, a, b, &w, &d, &fx); /* a key of c: always found */
        fprintf(out, "pair %zu %zu %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", a, b, w, d, fx);
    }
    an_i_free(keys);
    fputs("end\n", out);
    return AN_OK;
}

static an_status write_file(FILE *out, const an_gazetteer *gz, const an_counts *proto,
                            const char *const *names, const an_counts *const *counts, size_t n,
                            an_error *err) {
    if (!out || !gz || !proto)
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "writing counts: NULL argument");
    size_t na = an_counts_actor_count(proto), nl = an_i_counts_alias_count(proto);
    if (an_gazetteer_actor_count(gz) != na || an_gazetteer_alias_count(gz) != nl)
        return an_i_error(err, AN_EINVAL, NULL, 0, 0,
                          "writing counts: they are for %zu actors and %zu aliases, the "
                          "gazetteer has %zu and %zu",
                          na, nl, an_gazetteer_actor_count(gz), an_gazetteer_alias_count(gz));
    an_count_options o = an_counts_options(proto);
    fprintf(out, "%s %d\n", FORMAT_MAGIC, FORMAT_VERSION);
    if (o.window == AN_WINDOW_TOKENS) fprintf(out, "window tokens:%lu\n", (unsigned long)o.tokens);
    else fprintf(out, "window %s\n", an_window_name(o.window));
    fprintf(out, "mode %s\n", o.mode == AN_COUNT_MENTION_PAIRS ? "mention-pairs" : "windows");
    fprintf(out, "distance-weighting %s\n", o.distance_weighting ? "on" : "off");
    fprintf(out, "gazetteer %016" PRIx64 "\n", an_counts_gazetteer_fingerprint(gz));
    fprintf(out, "actors %zu\naliases %zu\n", na, nl);
    if (!o.actor_map) {
        fputs("actor-map none\n", out);
    } else {
        fprintf(out, "actor-map %016" PRIx64 "\n", map_fingerprint(o.actor_map, na));
        for (size_t i = 0; i < na; i++) {
            if (o.actor_map[i] == i) continue;
            if (o.actor_map[i] == AN_DROP) fprintf(out, "map %zu drop\n", i);
            else fprintf(out, "map %zu %zu\n", i, o.actor_map[i]);
        }
    }
    for (size_t i = 0; i < n; i++) {
        an_status st = write_section(out, names[i], counts[i], gz, err);
        if (st != AN_OK) return st;
    }
    fprintf(out, "end-of-counts %zu\n", n);
    if (ferror(out)) return an_i_error(err, AN_EIO, NULL, 0, 0, "writing counts: write error");
    return AN_OK;
}

AN_EXPORT an_status an_counts_set_write(const an_counts_set *set, const an_gazetteer *gz,
                                        FILE *out, an_error *err) {
    if (!set) return an_i_error(err, AN_EINVAL, NULL, 0, 0, "writing counts: NULL argument");
    return write_file(out, gz, set->proto, (const char *const *)set->names,
                      (const an_counts *const *)set->counts, set->n, err);
}

AN_EXPORT an_status an_counts_write(const an_counts *c, const an_gazetteer *gz,
                                    const char *section, FILE *out, an_error *err) {
    if (!section) section = DEFAULT_SECTION;
    if (!valid_name(section))
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "invalid section name '%s'", section);
    return write_file(out, gz, c, &section, &c, 1, err);
}

/* ---- reading ----------------------------------------------------------- */

typedef struct reader {
    FILE *in;
    const char *file;
    unsigned long line;
    char buf[MAX_LINE + 2];
    size_t len;
    an_error *err;
} reader;

/* *got = 1: a line in r->buf (without its LF or CRLF), 0: end of file.
 * The status is the result (not an out-parameter) so that callers, and the
 * static analyzer, see that an error stops them. */
static an_status next_line(reader *r, int *got) {
    size_t n = 0;
    int ch;
    r->line++;
    while ((ch = getc(r->in)) != EOF && ch != '\n') {
        if (n >= MAX_LINE + 1)
            return an_i_error(r->err, AN_EPARSE, r->file, r->line, MAX_LINE + 1,
                              "line longer than %d bytes", MAX_LINE);
        if (ch == 0)
            return an_i_error(r->err, AN_EPARSE, r->file, r->line, n + 1, "NUL byte");
        r->buf[n++] = (char)ch;
    }
    if (ferror(r->in))
        return an_i_error(r->err, AN_EIO, r->file, r->line, 0, "read error");
    if (ch == EOF) {
        if (n == 0) {
            *got = 0;
            return AN_OK;
        }
        return an_i_error(r->err, AN_EPARSE, r->file, r->line, n + 1,
                          "truncated file: the last line has no end");
    }
    if (n > 0 && r->buf[n - 1] == '\r') n--;
    if (n > MAX_LINE)
        return an_i_error(r->err, AN_EPARSE, r->file, r->line, MAX_LINE + 1,
                          "line longer than %d bytes", MAX_LINE);
    r->buf[n] = '\0';
    r->len = n;
    *got = 1;
    return AN_OK;
}

/* A parsed line: up to 8 fields split at single spaces. The text after the
 * numbers of actor and alias lines is kept as one field (`rest`). */
typedef struct fields {
    size_t n;
    const char *f[8];
    size_t col[8]; /* 1-based column of each field */
    const char *rest;
    size_t rest_col;
} fields;

#define perr(r, col, ...) an_i_error((r)->err, AN_EPARSE, (r)->file, (r)->line, (col), __VA_ARGS__)

/* Splits off at most `max` fields; the remainder (after one space) is rest.
 * Empty fields (two spaces, leading or trailing space) are errors. */
static an_status split(reader *r, fields *fl, size_t max) {
    memset(fl, 0, sizeof *fl);
    char *s = r->buf;
    size_t i = 0;
    for (;;) {
        if (fl->n == max) {
            fl->rest = s + i;
            fl->rest_col = i + 1;
            return AN_OK;
        }
        if (s[i] == ' ' || (s[i] == '\0' && (i > 0 || fl->n > 0)))
            return perr(r, i + 1, "%s", s[i] ? "empty field (extra space)" : "empty field at the end of the line");
        if (s[i] == '\0') return perr(r, 1, "%s", "empty line");
        fl->f[fl->n] = s + i;
        fl->col[fl->n] = i + 1;
        fl->n++;
        while (s[i] && s[i] != ' ') i++;
        if (!s[i]) return AN_OK;
        s[i++] = '\0';
    }
}

static an_status want_fields(reader *r, const fields *fl, size_t n) {
    if (fl->n == n && !fl->rest) return AN_OK;
    if (fl->n < n)
        return an_i_error(r->err, AN_EPARSE, r->file, r->line, r->len + 1,
                          "'%s' line: expected %zu fields, found %zu", fl->f[0], n, fl->n);
    return an_i_error(r->err, AN_EPARSE, r->file, r->line, fl->n > n ? fl->col[n] : fl->rest_col,
                      "'%s' line: unexpected field", fl->f[0]);
}

static an_status parse_u64(reader *r, const fields *fl, size_t k, uint64_t *v) {
    const char *s = fl->f[k];
    uint64_t x = 0;
    if (s[0] == '0' && s[1]) return perr(r, fl->col[k], "number '%s' has a leading zero", s);
    for (size_t i = 0; s[i]; i++) {
        if (s[i] < '0' || s[i] > '9')
            return an_i_error(r->err, AN_EPARSE, r->file, r->line, fl->col[k] + i,
                              "expected a decimal number, found '%s'", s);
        unsigned d = (unsigned)(s[i] - '0');
        if (x > (UINT64_MAX - d) / 10) return perr(r, fl->col[k], "number %s exceeds 2^64-1", s);
        x = x * 10 + d;
    }
    *v = x;
    return AN_OK;
}

static an_status parse_index(reader *r, const fields *fl, size_t k, size_t limit,
                             const char *what, size_t *v) {
    uint64_t x;
    an_status st = parse_u64(r, fl, k, &x);
    if (st != AN_OK) return st;
    if (x >= limit)
        return an_i_error(r->err, AN_EPARSE, r->file, r->line, fl->col[k],
                          "%s index %s out of range (%zu %ss)", what, fl->f[k], limit, what);
    *v = (size_t)x;
    return AN_OK;
}

static an_status parse_hex64(reader *r, const fields *fl, size_t k, uint64_t *v) {
    const char *s = fl->f[k];
    uint64_t x = 0;
    size_t i = 0;
    for (; s[i]; i++) {
        char c = s[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 16;
        if (d == 16 || i >= 16) break;
        x = (x << 4) | d;
    }
    if (i != 16 || s[i])
        return perr(r, fl->col[k], "expected 16 lower-case hex digits, found '%s'", s);
    *v = x;
    return AN_OK;
}

/* Reads the next line, which must start with keyword and have n fields
 * (rest allowed when max > n: actor/alias lines). */
static an_status expect(reader *r, fields *fl, const char *keyword, size_t n) {
    int got = 0;
    an_status st = next_line(r, &got);
    if (st != AN_OK) return st;
    if (got == 0)
        return an_i_error(r->err, AN_EPARSE, r->file, r->line, 0,
                          "truncated file: expected a '%s' line", keyword);
    st = split(r, fl, n);
    if (st != AN_OK) return st;
    if (strcmp(fl->f[0], keyword) != 0)
        return an_i_error(r->err, AN_EPARSE, r->file, r->line, 1, "expected a '%s' line, found '%s'",
                          keyword, fl->f[0]);
    return want_fields(r, fl, n);
}

/* Header lines up to and including the actor map. Fills *proto. */
static an_status read_header(reader *r, const an_gazetteer *gz, an_counts **proto) {
    fields fl;
    int got = 0;
    an_status st = next_line(r, &got);
    if (st != AN_OK) return st;
    if (got == 0) return an_i_error(r->err, AN_EPARSE, r->file, 1, 0, "empty file: not a counts file");
    st = split(r, &fl, 2);
    if (st != AN_OK || strcmp(fl.f[0], FORMAT_MAGIC) != 0 || fl.n != 2)
        return an_i_error(r->err, AN_EPARSE, r->file, 1, 1,
                          "not an actornet counts file (it must start with '%s %d')", FORMAT_MAGIC,
                          FORMAT_VERSION);
    if (fl.rest)
        return perr(r, fl.rest_col, "unexpected text after the format version");
    if (strcmp(fl.f[1], "1") != 0)
        return an_i_error(r->err, AN_EPARSE, r->file, 1, fl.col[1],
                          "unsupported counts format version '%s' (this actornet reads version %d)",
                          fl.f[1], FORMAT_VERSION);

    an_count_options o;
    memset(&o, 0, sizeof o);
    if ((st = expect(r, &fl, "window", 2)) != AN_OK) return st;
    if (an_window_parse_spec(fl.f[1], &o) != AN_OK)
        return perr(r, fl.col[1], "unknown window '%s'", fl.f[1]);
    if ((st = expect(r, &fl, "mode", 2)) != AN_OK) return st;
    if (strcmp(fl.f[1], "windows") == 0) o.mode = AN_COUNT_WINDOWS;
    else if (strcmp(fl.f[1], "mention-pairs") == 0) o.mode = AN_COUNT_MENTION_PAIRS;
    else return perr(r, fl.col[1], "unknown counting mode '%s' (windows, mention-pairs)", fl.f[1]);
    if ((st = expect(r, &fl, "distance-weighting", 2)) != AN_OK) return st;
    if (strcmp(fl.f[1], "on") == 0) o.distance_weighting = 1;
    else if (strcmp(fl.f[1], "off") != 0)
        return perr(r, fl.col[1], "expected 'on' or 'off', found '%s'", fl.f[1]);
    unsigned long opt_line = r->line;

    uint64_t fp, here = an_counts_gazetteer_fingerprint(gz);
    if ((st = expect(r, &fl, "gazetteer", 2)) != AN_OK) return st;
    if ((st = parse_hex64(r, &fl, 1, &fp)) != AN_OK) return st;
    if (fp != here)
        return an_i_error(r->err, AN_EINVAL, r->file, r->line, fl.col[1],
                          "counts were made with another gazetteer (fingerprint %016" PRIx64
                          ", this one is %016" PRIx64 ")",
                          fp, here);
    uint64_t na, nl;
    if ((st = expect(r, &fl, "actors", 2)) != AN_OK) return st;
    if ((st = parse_u64(r, &fl, 1, &na)) != AN_OK) return st;
    if (na != an_gazetteer_actor_count(gz))
        return an_i_error(r->err, AN_EINVAL, r->file, r->line, fl.col[1],
                          "counts are for %s actors, the gazetteer has %zu", fl.f[1],
                          an_gazetteer_actor_count(gz));
    if ((st = expect(r, &fl, "aliases", 2)) != AN_OK) return st;
    if ((st = parse_u64(r, &fl, 1, &nl)) != AN_OK) return st;
    if (nl != an_gazetteer_alias_count(gz))
        return an_i_error(r->err, AN_EINVAL, r->file, r->line, fl.col[1],
                          "counts are for %s aliases, the gazetteer has %zu", fl.f[1],
                          an_gazetteer_alias_count(gz));

    if ((st = expect(r, &fl, "actor-map", 2)) != AN_OK) return st;
    size_t *map = NULL;
    uint64_t map_fp = 0;
    unsigned long map_line = r->line;
    if (strcmp(fl.f[1], "none") != 0) {
        if ((st = parse_hex64(r, &fl, 1, &map_fp)) != AN_OK) return st;
        map = an_i_calloc(na ? (size_t)na : 1, sizeof *map);
        if (!map) return an_i_error(r->err, AN_ENOMEM, r->file, r->line, 0, "out of memory");
        for (size_t i = 0; i < na; i++) map[i] = i;
    }
    /* map lines, then the first section or the trailer (kept in r->buf) */
    size_t next_from = 0;
    for (;;) {
        if ((st = next_line(r, &got)) != AN_OK) goto fail;
        if (got == 0) {
            st = an_i_error(r->err, AN_EPARSE, r->file, r->line, 0,
                            "truncated file: expected a 'section' or 'end-of-counts' line");
            goto fail;
        }
        if (strncmp(r->buf, "map ", 4) != 0 && strcmp(r->buf, "map") != 0) break;
        if ((st = split(r, &fl, 3)) != AN_OK) goto fail;
        if ((st = want_fields(r, &fl, 3)) != AN_OK) goto fail;
        if (!map) {
            st = perr(r, 1, "%s", "'map' line without an actor map ('actor-map none')");
            goto fail;
        }
        size_t from, to;
        if ((st = parse_index(r, &fl, 1, (size_t)na, "actor", &from)) != AN_OK) goto fail;
        if (from < next_from) {
            st = perr(r, fl.col[1], "map lines must be in ascending order without repeats (%s)", fl.f[1]);
            goto fail;
        }
        next_from = from + 1;
        if (strcmp(fl.f[2], "drop") == 0) to = AN_DROP;
        else if ((st = parse_index(r, &fl, 2, (size_t)na, "actor", &to)) != AN_OK) goto fail;
        map[from] = to;
    }
    if (map && map_fingerprint(map, (size_t)na) != map_fp) {
        st = an_i_error(r->err, AN_EPARSE, r->file, map_line, 0,
                        "the 'map' lines do not match the actor-map fingerprint (edited or "
                        "truncated file)");
        goto fail;
    }
    o.actor_map = map;
    an_counts *c = NULL;
    st = an_counts_create((size_t)na, (size_t)nl, &o, &c);
    if (st != AN_OK) {
        st = an_i_error(r->err, st, r->file, opt_line, 0, "invalid count options");
        goto fail;
    }
    an_count_options norm = an_counts_options(c);
    if (norm.mode != o.mode || norm.distance_weighting != o.distance_weighting) {
        an_counts_destroy(c);
        st = an_i_error(r->err, AN_EPARSE, r->file, opt_line, 0,
                        "inconsistent options: mode mention-pairs is implied by token windows, "
                        "distance weighting needs them");
        goto fail;
    }
    an_i_free(map);
    *proto = c;
    return AN_OK;
fail:
    an_i_free(map);
    return st;
}

static an_status limit_error(reader *r, an_status st, size_t col) {
    if (st == AN_ELIMIT)
        return an_i_error(r->err, st, r->file, r->line, col, "a count exceeds 2^64-1");
    return an_i_error(r->err, st, r->file, r->line, col, "out of memory");
}

/* One section; the 'section' line is in r->buf. The counts go to *out. */
static an_status read_section(reader *r, const an_counts *proto, an_counts **out) {
    fields fl;
    an_counts *c = NULL;
    an_status st = new_like(proto, &c);
    if (st != AN_OK) return an_i_error(r->err, st, r->file, r->line, 0, "out of memory");
    uint64_t tot[4];
    static const char *const names[4] = {"documents", "bytes", "mentions", "windows"};
    for (int i = 0; i < 4; i++) {
        if ((st = expect(r, &fl, names[i], 2)) != AN_OK) goto fail;
        if ((st = parse_u64(r, &fl, 1, &tot[i])) != AN_OK) goto fail;
    }
    (void)an_i_counts_add_totals(c, tot[0], tot[1], tot[2], tot[3]); /* from 0: no overflow */

    size_t na = an_counts_actor_count(c), nl = an_i_counts_alias_count(c);
    int stage = 0; /* 0 actors, 1 aliases, 2 pairs */
    size_t next_actor = 0, next_alias = 0, last_a = 0, last_b = 0;
    int any_pair = 0;
    for (;;) {
        int got = 0;
        if ((st = next_line(r, &got)) != AN_OK) goto fail;
        if (got == 0) {
            st = an_i_error(r->err, AN_EPARSE, r->file, r->line, 0,
                            "truncated file: section without its 'end' line");
            goto fail;
        }
        if (strcmp(r->buf, "end") == 0) break;
        /* actor and alias lines end with an informative name (kept as rest) */
        size_t kwlen = strcspn(r->buf, " ");
        size_t max = kwlen == 4 && memcmp(r->buf, "pair", 4) == 0    ? 6
                     : kwlen == 5 && memcmp(r->buf, "actor", 5) == 0 ? 5
                     : kwlen == 5 && memcmp(r->buf, "alias", 5) == 0 ? 3
                                                                     : 1;
        if ((st = split(r, &fl, max)) != AN_OK) goto fail;
        const char *kw = fl.f[0];
        if (strcmp(kw, "actor") == 0) {
            if (stage > 0) {
                st = perr(r, 1, "%s", "'actor' lines must come before 'alias' and 'pair' lines");
                goto fail;
            }
            if (fl.n < 5) {
                st = want_fields(r, &fl, 5);
                goto fail;
            }
            size_t a;
            an_actor_counts ac;
            if ((st = parse_index(r, &fl, 1, na, "actor", &a)) != AN_OK ||
                (st = parse_u64(r, &fl, 2, &ac.mentions)) != AN_OK ||
                (st = parse_u64(r, &fl, 3, &ac.windows)) != AN_OK ||
                (st = parse_u64(r, &fl, 4, &ac.documents)) != AN_OK)
                goto fail;
            if (a < next_actor) {
                st = perr(r, fl.col[1], "actor %s: actor lines must be in ascending order without repeats", fl.f[1]);
                goto fail;
            }
            next_actor = a + 1;
            if ((st = an_i_counts_add_actor(c, a, &ac)) != AN_OK) {
                st = limit_error(r, st, 1);
                goto fail;
            }
        } else if (strcmp(kw, "alias") == 0) {
            if (stage > 1) {
                st = perr(r, 1, "%s", "'alias' lines must come before 'pair' lines");
                goto fail;
            }
            stage = 1;
            if (fl.n < 3) {
                st = want_fields(r, &fl, 3);
                goto fail;
            }
            size_t l;
            uint64_t hits;
            if ((st = parse_index(r, &fl, 1, nl, "alias", &l)) != AN_OK ||
                (st = parse_u64(r, &fl, 2, &hits)) != AN_OK)
                goto fail;
            if (l < next_alias) {
                st = perr(r, fl.col[1], "alias %s: alias lines must be in ascending order without repeats", fl.f[1]);
                goto fail;
            }
            next_alias = l + 1;
            if ((st = an_i_counts_add_alias(c, l, hits)) != AN_OK) {
                st = limit_error(r, st, 1);
                goto fail;
            }
        } else if (strcmp(kw, "pair") == 0) {
            stage = 2;
            if ((st = want_fields(r, &fl, 6)) != AN_OK) goto fail;
            size_t a, b;
            uint64_t w, d, fx;
            if ((st = parse_index(r, &fl, 1, na, "actor", &a)) != AN_OK ||
                (st = parse_index(r, &fl, 2, na, "actor", &b)) != AN_OK ||
                (st = parse_u64(r, &fl, 3, &w)) != AN_OK || (st = parse_u64(r, &fl, 4, &d)) != AN_OK ||
                (st = parse_u64(r, &fl, 5, &fx)) != AN_OK)
                goto fail;
            if (a >= b) {
                st = perr(r, fl.col[2], "pair: the second actor must be greater than the first (%s)", fl.f[2]);
                goto fail;
            }
            if (w == 0) {
                st = perr(r, fl.col[3], "%s", "pair with a count of 0");
                goto fail;
            }
            if (any_pair && (a < last_a || (a == last_a && b <= last_b))) {
                st = perr(r, fl.col[1], "%s", "pair lines must be in ascending (a, b) order without repeats");
                goto fail;
            }
            if (!an_counts_options(c).distance_weighting && fx != w * ((uint64_t)1 << 32)) {
                st = perr(r, fl.col[5],
                          "pair: without distance weighting WEIGHTED must be WINDOWS x 2^32 (%s)",
                          fl.f[5]);
                goto fail;
            }
            any_pair = 1;
            last_a = a;
            last_b = b;
            if ((st = an_i_counts_add_pair(c, a, b, w, d, fx)) != AN_OK) {
                st = limit_error(r, st, 1);
                goto fail;
            }
        } else {
            st = an_i_error(r->err, AN_EPARSE, r->file, r->line, 1,
                            "expected an 'actor', 'alias', 'pair' or 'end' line, found '%s'", kw);
            goto fail;
        }
    }
    *out = c;
    return AN_OK;
fail:
    an_counts_destroy(c);
    return st;
}

AN_EXPORT an_status an_counts_set_read(FILE *in, const char *name, const an_gazetteer *gz,
                                       an_counts_set **out, an_error *err) {
    if (!in || !gz || !out)
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "reading counts: NULL argument");
    reader *r = an_i_calloc(1, sizeof *r);
    if (!r) return an_i_error(err, AN_ENOMEM, name, 0, 0, "out of memory");
    r->in = in;
    r->file = name ? name : "";
    r->err = err;
    an_counts_set *set = an_i_calloc(1, sizeof *set);
    an_status st = AN_OK;
    if (!set) {
        st = an_i_error(err, AN_ENOMEM, r->file, 0, 0, "out of memory");
        goto done;
    }
    if ((st = read_header(r, gz, &set->proto)) != AN_OK) goto done;
    /* r->buf holds the first line after the header */
    for (;;) {
        fields fl;
        if ((st = split(r, &fl, 2)) != AN_OK) goto done;
        if (strcmp(fl.f[0], "end-of-counts") == 0) {
            uint64_t k;
            if ((st = want_fields(r, &fl, 2)) != AN_OK || (st = parse_u64(r, &fl, 1, &k)) != AN_OK)
                goto done;
            if (k != set->n) {
                st = an_i_error(err, AN_EPARSE, r->file, r->line, fl.col[1],
                                "the file says %s sections, it holds %zu", fl.f[1], set->n);
                goto done;
            }
            break;
        }
        if (strcmp(fl.f[0], "section") != 0) {
            st = an_i_error(err, AN_EPARSE, r->file, r->line, 1,
                            "expected a 'section' or 'end-of-counts' line, found '%s'", fl.f[0]);
            goto done;
        }
        if ((st = want_fields(r, &fl, 2)) != AN_OK) goto done;
        if (!valid_name(fl.f[1])) {
            st = perr(r, fl.col[1], "invalid section name '%s'", fl.f[1]);
            goto done;
        }
        size_t at;
        if (set_lookup(set, fl.f[1], &at)) {
            st = perr(r, fl.col[1], "section '%s' appears twice", fl.f[1]);
            goto done;
        }
        char *copy = an_i_strdup(fl.f[1]);
        an_counts *c = NULL;
        if (!copy || set_reserve(set, 1) != AN_OK) {
            an_i_free(copy);
            st = an_i_error(err, AN_ENOMEM, r->file, r->line, 0, "out of memory");
            goto done;
        }
        if ((st = read_section(r, set->proto, &c)) != AN_OK) {
            an_i_free(copy);
            goto done;
        }
        set_insert(set, at, copy, c);
        int got = 0;
        if ((st = next_line(r, &got)) != AN_OK) goto done;
        if (got == 0) {
            st = an_i_error(err, AN_EPARSE, r->file, r->line, 0,
                            "truncated file: no 'end-of-counts' line");
            goto done;
        }
    }
    {
        /* nothing may follow the trailer */
        int got = 0;
        if ((st = next_line(r, &got)) != AN_OK) goto done;
        if (got > 0) {
            st = an_i_error(err, AN_EPARSE, r->file, r->line, 1, "text after 'end-of-counts'");
            goto done;
        }
    }
    *out = set;
    set = NULL;
    st = AN_OK;
done:
    an_counts_set_destroy(set);
    an_i_free(r);
    return st;
}
