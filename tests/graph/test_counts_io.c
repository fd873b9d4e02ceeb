/* Counts files (graph/cooc_io.c): exact round trip, shards + merge equal to
 * one run, sections, and every reader error with its position. */
#include <stdint.h>
#include <stdio.h>

#include "actornet/cooc.h"
#include "actornet/gazetteer.h"
#include "actornet/matcher.h"
#include "test_util.h"

static const char gaz_text[] =
    "# id\tlabel\ttype\tparents\taliases\n"
    "USA\tUnited States\tcountry\t\tUnited States|=US|Washington\n"
    "RUS\tRussia\tcountry\t\tRussia|Moscow|Kremlin\n"
    "LAVROV\tSergey Lavrov\tperson\tRUS\tSergey Lavrov|Lavrov\n"
    "ISIS\tIslamic State\tarmed_group\t\tIslamic State|ISIS|Daesh\n"
    "SYR\tSyria\tcountry\t\tSyria|Damascus\n"
    "TUR\tTurkey\tcountry\t\tTurkey|Ankara\n";

/* Written for this test. */
static const char *const docs[] = {
    "Russia and Syria met in Damascus. Washington said nothing.\n\nLavrov spoke to Ankara.",
    "The US and Russia disagreed about ISIS. Turkey watched.",
    "Daesh lost ground near Damascus. Moscow and Washington both claimed credit for it.",
    "",
    "Sergey Lavrov and the US envoy met. Russia, Turkey and Syria issued a statement.\n\nISIS was not mentioned. Kremlin sources said Lavrov was pleased.",
    "Nothing about any actor here at all.",
    "Ankara and Moscow and Damascus and Washington and Daesh, all in one sentence with Lavrov.",
};
#define N_DOCS (sizeof docs / sizeof docs[0])

static an_gazetteer *gz;
static an_matcher *matcher;

static an_gazetteer *load_gaz(const char *text) {
    an_gazetteer *g = an_gazetteer_create();
    an_error err;
    T_ASSERT(g != NULL);
    T_OK(an_gazetteer_load_buffer(g, text, strlen(text), "test.tsv", AN_GAZ_NATIVE, &err));
    return g;
}

static an_counts *count_docs(const an_count_options *o, size_t from, size_t to) {
    an_counts *c = NULL;
    T_OK(an_counts_create(an_gazetteer_actor_count(gz), an_gazetteer_alias_count(gz), o, &c));
    an_mentions m;
    an_mentions_init(&m);
    for (size_t i = from; i < to; i++) {
        T_OK(an_matcher_scan(matcher, docs[i], strlen(docs[i]), 0, &m, NULL));
        T_OK(an_counts_add(c, &m));
    }
    an_mentions_finish(&m);
    return c;
}

/* Serialised bytes (malloc'ed, NUL-terminated). */
static char *write_counts(const an_counts *c, const char *section) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    an_error err;
    T_ASSERT(f != NULL);
    an_status st = an_counts_write(c, gz, section, f, &err);
    if (st != AN_OK) T_FAIL("an_counts_write: %s", err.message);
    fclose(f);
    return buf;
}

static char *write_set(const an_counts_set *s) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    an_error err;
    T_ASSERT(f != NULL);
    an_status st = an_counts_set_write(s, gz, f, &err);
    if (st != AN_OK) T_FAIL("an_counts_set_write: %s", err.message);
    fclose(f);
    return buf;
}

/* Reads len bytes of text; returns the status, *out the set or NULL. */
static an_status read_text(const char *text, size_t len, const an_gazetteer *g,
                           an_counts_set **out, an_error *err) {
    /* fmemopen cannot open 0 bytes everywhere */
    FILE *f = len ? fmemopen((void *)text, len, "r") : tmpfile();
    T_ASSERT(f != NULL);
    *out = NULL;
    an_error_clear(err);
    an_status st = an_counts_set_read(f, "t.counts", g, out, err);
    fclose(f);
    return st;
}

static an_counts_set *read_ok(const char *text) {
    an_counts_set *s = NULL;
    an_error err;
    an_status st = read_text(text, strlen(text), gz, &s, &err);
    if (st != AN_OK) {
        char msg[1200];
        T_FAIL("read: %s", an_error_format(&err, msg, sizeof msg));
    }
    return s;
}

/* Reads text and expects status st at line:col with msg in the message. */
static void read_fails(const char *text, an_status st, unsigned long line, unsigned long col,
                       const char *msg, int at) {
    an_counts_set *s = NULL;
    an_error err;
    an_status got = read_text(text, strlen(text), gz, &s, &err);
    if (got != st) T_FAIL("case at line %d: status %d, expected %d (%s)", at, got, st, err.message);
    if (err.line != line || err.column != col)
        T_FAIL("case at line %d: position %lu:%lu, expected %lu:%lu (%s)", at, err.line,
               err.column, line, col, err.message);
    if (!strstr(err.message, msg))
        T_FAIL("case at line %d: message \"%s\" lacks \"%s\"", at, err.message, msg);
    T_ASSERT(s == NULL);
}

/* A copy of text with the first occurrence of from replaced by to. */
static char *replace(const char *text, const char *from, const char *to) {
    const char *p = strstr(text, from);
    T_ASSERT(p != NULL);
    if (!p) return strdup(text);
    size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
    char *r = malloc(n);
    size_t k = (size_t)(p - text);
    memcpy(r, text, k);
    strcpy(r + k, to);
    strcat(r, p + strlen(from));
    return r;
}

/* 1-based line number of the first line starting with prefix. */
static unsigned long line_of(const char *text, const char *prefix) {
    unsigned long line = 1;
    for (const char *p = text; *p;) {
        if (strncmp(p, prefix, strlen(prefix)) == 0) return line;
        p = strchr(p, '\n');
        if (!p) break;
        p++;
        line++;
    }
    T_FAIL("no line starts with %s", prefix);
    return 0;
}

static size_t *rollup_map(void) {
    an_rollup_options ro;
    memset(&ro, 0, sizeof ro);
    ro.level = 1;
    const char *drop[] = {"TUR"};
    ro.drop_ids = drop;
    ro.n_drop_ids = 1;
    size_t *map = NULL;
    T_OK(an_actor_map_build(gz, &ro, &map, NULL));
    return map;
}

/* The option sets every round-trip and shard test runs with. */
static an_count_options option_case(int k, size_t *map) {
    an_count_options o;
    memset(&o, 0, sizeof o);
    switch (k) {
    case 0: o.window = AN_WINDOW_SENTENCE; break;
    case 1: o.window = AN_WINDOW_PARAGRAPH; o.mode = AN_COUNT_MENTION_PAIRS; break;
    case 2: o.window = AN_WINDOW_DOCUMENT; break;
    case 3: o.window = AN_WINDOW_TOKENS; o.tokens = 6; break;
    case 4: o.window = AN_WINDOW_TOKENS; o.tokens = 9; o.distance_weighting = 1; break;
    default: o.window = AN_WINDOW_SENTENCE; o.actor_map = map; break;
    }
    return o;
}
#define N_OPTION_CASES 6

static void test_round_trip(void) {
    size_t *map = rollup_map();
    for (int k = 0; k < N_OPTION_CASES; k++) {
        an_count_options o = option_case(k, map);
        an_counts *c = count_docs(&o, 0, N_DOCS);
        char *a = write_counts(c, NULL);
        an_counts_set *s = read_ok(a);
        T_EQ_INT(an_counts_set_count(s), 1);
        T_EQ_STR(an_counts_set_name(s, 0), "all");
        const an_counts *r = an_counts_set_find(s, "all");
        T_ASSERT(r != NULL);
        if (!r) continue;
        /* the numbers themselves, not only the bytes */
        T_EQ_INT(an_counts_documents(r), an_counts_documents(c));
        T_EQ_INT(an_counts_windows(r), an_counts_windows(c));
        T_EQ_INT(an_counts_mentions(r), an_counts_mentions(c));
        T_EQ_INT(an_counts_bytes(r), an_counts_bytes(c));
        T_EQ_INT(an_counts_pair_count(r), an_counts_pair_count(c));
        T_ASSERT(an_counts_pair_count(c) > 0);
        for (size_t i = 0; i < an_gazetteer_actor_count(gz); i++)
            T_EQ_INT(an_counts_actor(r, i).windows, an_counts_actor(c, i).windows);
        for (size_t i = 0; i < an_gazetteer_alias_count(gz); i++)
            T_EQ_INT(an_counts_alias_hits(r, i), an_counts_alias_hits(c, i));
        an_pair_counts *p1, *p2;
        size_t n1, n2;
        T_OK(an_counts_pairs(c, &p1, &n1));
        T_OK(an_counts_pairs(r, &p2, &n2));
        T_EQ_INT(n1, n2);
        for (size_t i = 0; i < n1 && i < n2; i++) {
            T_EQ_INT(p1[i].a, p2[i].a);
            T_EQ_INT(p1[i].documents, p2[i].documents);
            T_ASSERT(p1[i].weighted == p2[i].weighted); /* exact, also with weighting */
        }
        an_counts_pairs_free(p1);
        an_counts_pairs_free(p2);
        an_count_options ro = an_counts_options(r);
        T_EQ_INT(ro.window, an_counts_options(c).window);
        T_EQ_INT(ro.tokens, an_counts_options(c).tokens);
        T_EQ_INT(ro.mode, an_counts_options(c).mode);
        T_EQ_INT(ro.distance_weighting, an_counts_options(c).distance_weighting);
        T_EQ_INT(!ro.actor_map, !o.actor_map);
        /* written again: the same bytes */
        char *b = write_set(s);
        T_EQ_STR(b, a);
        /* re-read counts merge with counted ones (same shape) */
        an_counts *twice = count_docs(&o, 0, N_DOCS);
        T_OK(an_counts_merge(twice, r));
        T_EQ_INT(an_counts_documents(twice), 2 * an_counts_documents(c));
        an_counts_destroy(twice);
        free(a);
        free(b);
        an_counts_set_destroy(s);
        an_counts_destroy(c);
    }
    an_actor_map_free(map);
}

/* Every split of the corpus, counted apart, written, read and merged, gives
 * the bytes of one run. */
static void test_shards_merge(void) {
    size_t *map = rollup_map();
    for (int k = 0; k < N_OPTION_CASES; k++) {
        an_count_options o = option_case(k, map);
        an_counts *whole = count_docs(&o, 0, N_DOCS);
        char *want = write_counts(whole, NULL);
        for (size_t cut = 0; cut <= N_DOCS; cut++) {
            an_counts *x = count_docs(&o, 0, cut), *y = count_docs(&o, cut, N_DOCS);
            char *tx = write_counts(x, NULL), *ty = write_counts(y, NULL);
            an_counts_set *sx = read_ok(tx), *sy = read_ok(ty);
            an_error err;
            /* in either order */
            T_OK(an_counts_set_merge(sy, sx, &err));
            char *got = write_set(sy);
            T_EQ_STR(got, want);
            free(got);
            an_counts_set_destroy(sy);
            sy = read_ok(ty);
            T_OK(an_counts_set_merge(sx, sy, &err));
            got = write_set(sx);
            T_EQ_STR(got, want);
            free(got);
            free(tx);
            free(ty);
            an_counts_set_destroy(sx);
            an_counts_set_destroy(sy);
            an_counts_destroy(x);
            an_counts_destroy(y);
        }
        /* three shards merged in another order */
        an_counts *p[3] = {count_docs(&o, 0, 2), count_docs(&o, 2, 5), count_docs(&o, 5, N_DOCS)};
        an_counts_set *acc = NULL;
        for (int i = 2; i >= 0; i--) {
            char *t = write_counts(p[i], NULL);
            an_counts_set *s = read_ok(t);
            if (!acc) acc = s;
            else {
                T_OK(an_counts_set_merge(acc, s, NULL));
                an_counts_set_destroy(s);
            }
            free(t);
            an_counts_destroy(p[i]);
        }
        char *got = write_set(acc);
        T_EQ_STR(got, want);
        free(got);
        an_counts_set_destroy(acc);
        free(want);
        an_counts_destroy(whole);
    }
    an_actor_map_free(map);
}

/* Per-period counting: sections named by period merge section-wise. */
static void test_sections(void) {
    static const char *const period[N_DOCS] = {"2016-09", "2016-10", "2016-09", "2016-11",
                                               "2016-10", "undated", "2016-11"};
    an_count_options o = option_case(0, NULL);
    an_counts_set *whole, *a, *b;
    T_OK(an_counts_set_create(an_gazetteer_actor_count(gz), an_gazetteer_alias_count(gz), &o, &whole));
    T_OK(an_counts_set_create(an_gazetteer_actor_count(gz), an_gazetteer_alias_count(gz), &o, &a));
    T_OK(an_counts_set_create(an_gazetteer_actor_count(gz), an_gazetteer_alias_count(gz), &o, &b));
    an_mentions m;
    an_mentions_init(&m);
    for (size_t i = 0; i < N_DOCS; i++) {
        an_counts *c = NULL;
        T_OK(an_matcher_scan(matcher, docs[i], strlen(docs[i]), 0, &m, NULL));
        T_OK(an_counts_set_get_or_create(whole, period[i], &c));
        T_OK(an_counts_add(c, &m));
        /* a gets the even documents through get_or_create, b the odd ones
         * through take (one counts per document, merged on take) */
        if (i % 2 == 0) {
            T_OK(an_counts_set_get_or_create(a, period[i], &c));
            T_OK(an_counts_add(c, &m));
        } else {
            T_OK(an_counts_create(an_gazetteer_actor_count(gz), an_gazetteer_alias_count(gz), &o, &c));
            T_OK(an_counts_add(c, &m));
            T_OK(an_counts_set_take(b, period[i], c, NULL));
        }
    }
    an_mentions_finish(&m);
    T_EQ_INT(an_counts_set_count(whole), 4);
    T_EQ_STR(an_counts_set_name(whole, 0), "2016-09");
    T_EQ_STR(an_counts_set_name(whole, 3), "undated");
    T_EQ_INT(an_counts_set_count(a), 3); /* 09, 10, 11 */
    T_EQ_INT(an_counts_set_count(b), 3); /* 10, undated, 11 */
    T_ASSERT(an_counts_set_find(a, "undated") == NULL);
    T_ASSERT(an_counts_set_find(b, "2016-09") == NULL);

    char *want = write_set(whole);
    T_ASSERT(strstr(want, "\nsection 2016-10\n") != NULL);
    T_ASSERT(strstr(want, "\nend-of-counts 4\n") != NULL);
    char *ta = write_set(a), *tb = write_set(b);
    an_counts_set *ra = read_ok(ta), *rb = read_ok(tb);
    T_OK(an_counts_set_merge(ra, rb, NULL));
    char *got = write_set(ra);
    T_EQ_STR(got, want);
    free(got);
    /* the other way round, and straight from the counted sets */
    an_counts_set_destroy(ra);
    ra = read_ok(ta);
    T_OK(an_counts_set_merge(rb, ra, NULL));
    got = write_set(rb);
    T_EQ_STR(got, want);
    free(got);
    T_OK(an_counts_set_merge(b, a, NULL));
    got = write_set(b);
    T_EQ_STR(got, want);
    free(got);

    /* invalid names */
    an_counts *c = NULL;
    T_EQ_INT(an_counts_set_get_or_create(a, "two words", &c), AN_EINVAL);
    T_EQ_INT(an_counts_set_get_or_create(a, "", &c), AN_EINVAL);
    T_EQ_INT(an_counts_set_get_or_create(a, "tab\there", &c), AN_EINVAL);
    T_ASSERT(an_counts_set_get(a, 99) == NULL && an_counts_set_name(a, 99) == NULL);
    /* take refuses counts of another shape, and the caller keeps them */
    an_count_options other = option_case(2, NULL);
    T_OK(an_counts_create(an_gazetteer_actor_count(gz), an_gazetteer_alias_count(gz), &other, &c));
    an_error err;
    T_EQ_INT(an_counts_set_take(a, "2016-09", c, &err), AN_EINVAL);
    T_ASSERT(strstr(err.message, "window document") != NULL);
    an_counts_destroy(c);
    /* an empty set is a valid file */
    an_counts_set *empty;
    T_OK(an_counts_set_create(an_gazetteer_actor_count(gz), an_gazetteer_alias_count(gz), &o, &empty));
    char *te = write_set(empty);
    T_ASSERT(strstr(te, "end-of-counts 0\n") != NULL);
    an_counts_set *re = read_ok(te);
    T_EQ_INT(an_counts_set_count(re), 0);
    T_OK(an_counts_set_merge(re, a, NULL));
    T_EQ_INT(an_counts_set_count(re), 3);
    free(te);
    an_counts_set_destroy(re);
    an_counts_set_destroy(empty);

    free(want);
    free(ta);
    free(tb);
    an_counts_set_destroy(ra);
    an_counts_set_destroy(rb);
    an_counts_set_destroy(whole);
    an_counts_set_destroy(a);
    an_counts_set_destroy(b);
}

static void test_merge_refusals(void) {
    size_t *map = rollup_map();
    an_count_options o0 = option_case(0, map), o3 = option_case(3, map), o5 = option_case(5, map);
    an_counts *c0 = count_docs(&o0, 0, 3), *c3 = count_docs(&o3, 0, 3), *c5 = count_docs(&o5, 0, 3);
    char *t0 = write_counts(c0, NULL), *t3 = write_counts(c3, NULL), *t5 = write_counts(c5, NULL);
    an_counts_set *s0 = read_ok(t0), *s3 = read_ok(t3), *s5 = read_ok(t5);
    an_error err;
    T_EQ_INT(an_counts_set_merge(s0, s3, &err), AN_EINVAL);
    T_ASSERT(strstr(err.message, "different options: window sentence, mode windows here, "
                                 "window tokens:6, distance weighting off there") != NULL);
    T_EQ_INT(an_counts_set_merge(s0, s5, &err), AN_EINVAL);
    T_ASSERT(strstr(err.message, "different actor maps") != NULL);
    /* a refused merge leaves dst as it was */
    char *again = write_set(s0);
    T_EQ_STR(again, t0);
    free(again);

    /* overflow: two files at the top of the range */
    char *big = replace(t0, "\ndocuments 3\n", "\ndocuments 18446744073709551615\n");
    an_counts_set *b1 = read_ok(big), *b2 = read_ok(big);
    T_EQ_INT(an_counts_documents(an_counts_set_get(b1, 0)), UINT64_MAX);
    T_EQ_INT(an_counts_set_merge(b1, b2, &err), AN_ELIMIT);
    T_ASSERT(strstr(err.message, "2^64-1") != NULL);
    again = write_set(b1);
    T_EQ_STR(again, big);
    free(again);
    /* the gazetteer must be the one the counts were made with */
    char other_text[sizeof gaz_text + 64];
    snprintf(other_text, sizeof other_text, "%s", gaz_text);
    char *lbl = strstr(other_text, "Sergey Lavrov\tperson");
    lbl[1] = 'a'; /* "Saergey"-like: one byte of one label differs */
    an_gazetteer *g2 = load_gaz(other_text);
    an_counts_set *s = NULL;
    T_EQ_INT(read_text(t0, strlen(t0), g2, &s, &err), AN_EINVAL);
    T_ASSERT(strstr(err.message, "counts were made with another gazetteer (fingerprint ") != NULL);
    T_EQ_INT(err.line, 5);
    T_ASSERT(an_counts_gazetteer_fingerprint(g2) != an_counts_gazetteer_fingerprint(gz));
    char want_fp[40];
    snprintf(want_fp, sizeof want_fp, "this one is %016llx)",
             (unsigned long long)an_counts_gazetteer_fingerprint(g2));
    T_ASSERT(strstr(err.message, want_fp) != NULL);
    /* writing with a gazetteer of another size is refused */
    an_gazetteer *g3 = load_gaz("X\tX\tcountry\t\tX\n");
    FILE *devnull = tmpfile();
    T_EQ_INT(an_counts_write(c0, g3, NULL, devnull, &err), AN_EINVAL);
    fclose(devnull);
    an_gazetteer_destroy(g3);
    an_gazetteer_destroy(g2);

    free(big);
    an_counts_set_destroy(b1);
    an_counts_set_destroy(b2);
    free(t0);
    free(t3);
    free(t5);
    an_counts_set_destroy(s0);
    an_counts_set_destroy(s3);
    an_counts_set_destroy(s5);
    an_counts_destroy(c0);
    an_counts_destroy(c3);
    an_counts_destroy(c5);
    an_actor_map_free(map);
}

#define FAILS(text, st, line, col, msg) read_fails(text, st, line, col, msg, __LINE__)

static void fails_replaced(const char *base, const char *from, const char *to, an_status st,
                           unsigned long line, unsigned long col, const char *msg, int at) {
    char *t = replace(base, from, to);
    read_fails(t, st, line, col, msg, at);
    free(t);
}
#define FAILS_R(from, to, st, line, col, msg) \
    fails_replaced(base, from, to, st, line, col, msg, __LINE__)

static void test_reader_errors(void) {
    an_count_options o = option_case(0, NULL);
    an_counts *c = count_docs(&o, 0, N_DOCS);
    char *base = write_counts(c, NULL);
    an_counts_destroy(c);
    unsigned long lp = line_of(base, "pair "), la = line_of(base, "actor "),
                  ls = line_of(base, "section "), ld = line_of(base, "documents ");

    FAILS_R("actornet-counts 1\n", "actornet-counts 2\n", AN_EPARSE, 1, 17,
            "unsupported counts format version '2' (this actornet reads version 1)");
    FAILS_R("actornet-counts 1\n", "actornet-counts 1 x\n", AN_EPARSE, 1, 19, "version");
    FAILS("hello\n", AN_EPARSE, 1, 1, "not an actornet counts file");
    FAILS("", AN_EPARSE, 1, 0, "empty file");
    FAILS("\x01\x02\xff\n", AN_EPARSE, 1, 1, "not an actornet counts file");
    FAILS_R("window sentence\n", "window tokens:0\n", AN_EPARSE, 2, 8, "unknown window");
    FAILS_R("window sentence\n", "window sentence extra\n", AN_EPARSE, 2, 17, "unexpected field");
    FAILS_R("mode windows\n", "mode lots\n", AN_EPARSE, 3, 6, "unknown counting mode");
    FAILS_R("distance-weighting off\n", "distance-weighting on\n", AN_EPARSE, 4, 0,
            "inconsistent options");
    FAILS_R("gazetteer ", "gazetteer 12", AN_EPARSE, 5, 11, "16 lower-case hex digits");
    FAILS_R("actors 6\n", "actors 7\n", AN_EINVAL, 6, 8, "counts are for 7 actors");
    FAILS_R("actor-map none\n", "actor-map none\nmap 1 2\n", AN_EPARSE, 9, 1,
            "'map' line without an actor map");
    /* a malformed pair line: the column of the bad field */
    FAILS_R("\npair 0 1 ", "\npair 0 1 x", AN_EPARSE, lp, 10, "expected a decimal number");
    FAILS_R("\npair 0 1 ", "\npair 0 1  ", AN_EPARSE, lp, 10, "empty field");
    FAILS_R("\npair 0 1 ", "\npair 1 0 ", AN_EPARSE, lp, 8, "greater than the first");
    FAILS_R("\npair 0 1 ", "\npair 0 6 ", AN_EPARSE, lp, 8, "actor index 6 out of range");
    FAILS_R("\npair 0 1 ", "\npair 0 01 ", AN_EPARSE, lp, 8, "leading zero");
    FAILS_R("\nactor 0 ", "\nactor 0 -", AN_EPARSE, la, 9, "expected a decimal number");
    FAILS_R("\nactor 0 ", "\nactor x ", AN_EPARSE, la, 7, "expected a decimal number");
    FAILS_R("\nactor 0 ", "\nbanana 0 ", AN_EPARSE, la, 1, "found 'banana'");
    FAILS_R("\ndocuments ", "\ndocuments 18446744073709551616\nx", AN_EPARSE, ld, 11,
            "exceeds 2^64-1");
    FAILS_R("\ndocuments ", "\ndocuments 99999999999999999999999999\nx", AN_EPARSE, ld, 11,
            "exceeds 2^64-1");
    FAILS_R("\nsection all\n", "\nsection two words\n", AN_EPARSE, ls, 13, "unexpected field");
    FAILS_R("\nend-of-counts 1\n", "\nend-of-counts 2\n", AN_EPARSE, line_of(base, "end-of"), 15,
            "the file says 2 sections, it holds 1");
    FAILS_R("\nend-of-counts 1\n", "\nend-of-counts 1\nmore\n", AN_EPARSE,
            line_of(base, "end-of") + 1, 1, "text after 'end-of-counts'");
    FAILS_R("\nend\n", "\nend\nsection all\n", AN_EPARSE, line_of(base, "end\n") + 1, 9,
            "section 'all' appears twice");
    FAILS_R("\n", "\n\n", AN_EPARSE, 2, 1, "empty line");
    /* the order of a section's lines: actors, then aliases, then pairs */
    FAILS_R("\nend\n", "\nactor 5 1 1 1 X\nend\n", AN_EPARSE, line_of(base, "end\n"), 1,
            "'actor' lines must come before 'alias' and 'pair' lines");
    FAILS_R("\nend\n", "\nalias 0 1 X\nend\n", AN_EPARSE, line_of(base, "end\n"), 1,
            "'alias' lines must come before 'pair' lines");
    FAILS("actornet-counts 1\n", AN_EPARSE, 2, 0, "truncated file: expected a 'window' line");

    /* pairs out of order: swap the first two pair lines */
    {
        const char *p1 = strstr(base, "\npair ") + 1;
        const char *e1 = strchr(p1, '\n') + 1;
        const char *e2 = strchr(e1, '\n') + 1;
        T_ASSERT(strncmp(e1, "pair ", 5) == 0);
        size_t k = (size_t)(p1 - base);
        char *t = malloc(strlen(base) + 1);
        memcpy(t, base, k);
        memcpy(t + k, e1, (size_t)(e2 - e1));
        memcpy(t + k + (e2 - e1), p1, (size_t)(e1 - p1));
        strcpy(t + (e2 - base), e2);
        FAILS(t, AN_EPARSE, lp + 1, 6, "ascending (a, b) order");
        /* a repeated pair line */
        memcpy(t + k, p1, (size_t)(e1 - p1));
        memcpy(t + k + (e1 - p1), p1, (size_t)(e1 - p1));
        if (e2 - e1 == e1 - p1) FAILS(t, AN_EPARSE, lp + 1, 6, "without repeats");
        free(t);
    }

    /* without distance weighting WEIGHTED is WINDOWS x 2^32 and nothing else */
    {
        const char *p1 = strstr(base, "\npair ") + 1;
        const char *e1 = strchr(p1, '\n');
        unsigned a, b;
        unsigned long long w, d, fx;
        int col = 0;
        T_EQ_INT(sscanf(p1, "pair %u %u %llu %llu %n%llu", &a, &b, &w, &d, &col, &fx), 5);
        T_ASSERT(fx == w << 32);
        char line[128];
        snprintf(line, sizeof line, "pair %u %u %llu %llu %llu", a, b, w, d, fx + 1);
        char *t = malloc(strlen(base) + sizeof line);
        size_t k = (size_t)(p1 - base);
        memcpy(t, base, k);
        strcpy(t + k, line);
        strcat(t, e1);
        FAILS(t, AN_EPARSE, lp, col + 1, "WEIGHTED must be WINDOWS x 2^32");
        free(t);
    }

    /* a NUL byte inside a line, and CRLF line ends (accepted) */
    {
        char t[] = "actornet-counts 1\nwin\0ow sentence\n";
        an_counts_set *s = NULL;
        an_error err;
        T_EQ_INT(read_text(t, sizeof t - 1, gz, &s, &err), AN_EPARSE);
        T_EQ_INT(err.line, 2);
        T_EQ_INT(err.column, 4);
        size_t n = 0;
        for (const char *p = base; *p; p++) n += *p == '\n' ? 2 : 1;
        char *crlf = malloc(n + 1), *q = crlf;
        for (const char *p = base; *p; p++) {
            if (*p == '\n') *q++ = '\r';
            *q++ = *p;
        }
        *q = '\0';
        s = read_ok(crlf);
        char *again = write_set(s);
        T_EQ_STR(again, base);
        free(again);
        an_counts_set_destroy(s);
        free(crlf);
    }

    /* every truncation is an error, never a shorter set */
    size_t len = strlen(base);
    for (size_t cut = 0; cut < len; cut++) {
        an_counts_set *s = NULL;
        an_error err;
        an_status st = read_text(base, cut, gz, &s, &err);
        if (st == AN_OK) T_FAIL("truncated at %zu of %zu bytes: read", cut, len);
        T_ASSERT(s == NULL);
    }

    /* a line longer than the limit */
    {
        size_t big = 10000;
        char *t = malloc(strlen(base) + big + 1);
        size_t k = (size_t)(strstr(base, "\npair ") + 1 - base);
        memcpy(t, base, k);
        memset(t + k, '7', big);
        strcpy(t + k + big, base + k);
        FAILS(t, AN_EPARSE, lp, 4097, "line longer than 4096 bytes");
        free(t);
    }
    free(base);
}

/* Counts whose pairs were dropped (an_counts_drop_pairs) would write a file
 * without them: refused. */
static void test_dropped_pairs_refused(void) {
    an_count_options o = option_case(0, NULL);
    an_counts *c = count_docs(&o, 0, N_DOCS);
    T_ASSERT(an_counts_pair_count(c) > 0);
    T_OK(an_counts_drop_pairs(c));
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    T_ASSERT(f != NULL);
    an_error err;
    an_error_clear(&err);
    T_EQ_INT(an_counts_write(c, gz, NULL, f, &err), AN_EINVAL);
    T_ASSERT(strstr(err.message, "dropped their pairs") != NULL);
    fclose(f);
    free(buf);
    an_counts_destroy(c);
}

/* Random byte edits of a valid file: the reader returns, never crashes or
 * leaks (run under ASan/valgrind), and what it accepts writes back. */
static void test_mutations(void) {
    an_count_options o = option_case(4, NULL);
    an_counts *c = count_docs(&o, 0, N_DOCS);
    char *base = write_counts(c, "2016-09");
    an_counts_destroy(c);
    size_t len = strlen(base);
    char *t = malloc(len + 8);
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    size_t accepted = 0;
    static const char alphabet[] = "0123456789 \n-x\r\0\xff";
    for (int it = 0; it < 3000; it++) {
        memcpy(t, base, len + 1);
        int edits = 1 + it % 3;
        for (int e = 0; e < edits; e++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            t[x % len] = alphabet[(x >> 32) % (sizeof alphabet - 1)];
        }
        an_counts_set *s = NULL;
        an_error err;
        if (read_text(t, len, gz, &s, &err) == AN_OK) {
            accepted++;
            char *w = write_set(s);
            an_counts_set *s2 = read_ok(w);
            char *w2 = write_set(s2);
            T_EQ_STR(w2, w);
            free(w);
            free(w2);
            an_counts_set_destroy(s2);
            an_counts_set_destroy(s);
        } else {
            T_ASSERT(err.message[0] != '\0');
        }
    }
    T_ASSERT(accepted < 3000);
    free(t);
    free(base);
}

/* Allocation failures: every failing allocation gives AN_ENOMEM (or is
 * survived), leaves the destination as it was, and leaks nothing. */
static long fail_at = -1, n_allocs;
static void *t_malloc(size_t n, void *ctx) {
    (void)ctx;
    if (fail_at >= 0 && n_allocs++ == fail_at) return NULL;
    return malloc(n);
}
static void *t_realloc(void *p, size_t n, void *ctx) {
    (void)ctx;
    if (fail_at >= 0 && n_allocs++ == fail_at) return NULL;
    return realloc(p, n);
}
static void t_free(void *p, void *ctx) {
    (void)ctx;
    free(p);
}

static void test_out_of_memory(void) {
    static const char *const period[N_DOCS] = {"a", "b", "a", "c", "b", "d", "e"};
    an_count_options o = option_case(4, NULL);
    an_counts_set *x, *y;
    T_OK(an_counts_set_create(an_gazetteer_actor_count(gz), an_gazetteer_alias_count(gz), &o, &x));
    T_OK(an_counts_set_create(an_gazetteer_actor_count(gz), an_gazetteer_alias_count(gz), &o, &y));
    an_mentions m;
    an_mentions_init(&m);
    for (size_t i = 0; i < N_DOCS; i++) {
        an_counts *c = NULL;
        T_OK(an_matcher_scan(matcher, docs[i], strlen(docs[i]), 0, &m, NULL));
        T_OK(an_counts_set_get_or_create(i < 3 ? x : y, period[i], &c));
        T_OK(an_counts_add(c, &m));
    }
    an_mentions_finish(&m);
    char *tx = write_set(x), *ty = write_set(y);
    an_counts_set_merge(x, y, NULL);
    char *want = write_set(x);
    an_counts_set_destroy(x);
    an_counts_set_destroy(y);
    y = read_ok(ty);

    an_allocator al = {t_malloc, t_realloc, t_free, NULL};
    int done = 0;
    for (fail_at = 0; !done && fail_at < 10000; fail_at++) {
        n_allocs = 0;
        an_set_allocator(&al);
        an_counts_set *s = NULL;
        an_error err;
        FILE *f = fmemopen(tx, strlen(tx), "r");
        an_status st = an_counts_set_read(f, "x", gz, &s, &err);
        fclose(f);
        if (st == AN_OK) {
            st = an_counts_set_merge(s, y, &err);
            if (st != AN_OK) {
                T_EQ_INT(st, AN_ENOMEM);
                an_set_allocator(NULL);
                char *again = write_set(s);
                T_EQ_STR(again, tx); /* unchanged by the failed merge */
                free(again);
            } else {
                done = 1;
                an_set_allocator(NULL);
                char *got = write_set(s);
                T_EQ_STR(got, want);
                free(got);
            }
        } else {
            T_EQ_INT(st, AN_ENOMEM);
            T_ASSERT(s == NULL);
        }
        an_set_allocator(NULL);
        an_counts_set_destroy(s);
    }
    T_ASSERT(done);
    T_ASSERT(fail_at > 10);
    fail_at = -1;
    an_counts_set_destroy(y);
    free(tx);
    free(ty);
    free(want);
}

int main(void) {
    gz = load_gaz(gaz_text);
    T_OK(an_matcher_compile(gz, NULL, &matcher, NULL));
    test_round_trip();
    test_shards_merge();
    test_sections();
    test_merge_refusals();
    test_reader_errors();
    test_dropped_pairs_refused();
    test_mutations();
    test_out_of_memory();
    an_matcher_destroy(matcher);
    an_gazetteer_destroy(gz);
    T_DONE();
}
