/* The compiled gazetteer (an_compiled_write / an_compiled_read): what is read
 * back is the same gazetteer and matches the same mentions; another key is
 * AN_ENOTFOUND; damaged, truncated or inconsistent bytes are AN_EPARSE and
 * never crash; allocation failures leak nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/gazetteer.h"
#include "actornet/matcher.h"
#include "ner/compiled.h"
#include "test_alloc.h"
#include "test_gazetteer_same.h"
#include "test_util.h"
#include "cases.h"

static const char TSV[] =
    "# id\tlabel\ttype\tparents\taliases\n"
    "USA\tUnited States\tcountry\t\tUnited States|United States of America|=US|U.S.|American|"
    "Washington\n"
    "RUS\tRussia\tcountry\t\tRussia|Russian Federation|Russian|Moscow|Kremlin\n"
    "ISIS\tIslamic State\tarmed_group\t\tIslamic State|=IS|ISIS|ISIL|Daesh|"
    "\xD8\xAF\xD8\xA7\xD8\xB9\xD8\xB4\n"
    "NUSRA\tJabhat al-Nusra\tarmed_group\t\tJabhat al-Nusra|Nusra Front|Jabhat Fatah al-Sham\n"
    "KERRY\tJohn Kerry\tperson\tUSA\tJohn Kerry|Kerry{2013-02-01..2017-01-20}\n"
    "IVORY\tIvory Coast\tcountry\t\tC\xC3\xB4te d'Ivoire|Ivory Coast\n"
    "UN\tUnited Nations\torganisation\t\tUnited Nations|U.N.|=UN\n";

/* A Phoenix load on top: a second source, dated aliases, a weak label. */
static const char PHX[] = "VLADIMIR_PUTIN_ [RUSGOV 000507-080507] [RUS]\n"
                          "SCHUSSEL_ [IGOEUREEC 060101-060630]\n"
                          "UNITED_STATES_CONGRESS_ [USALEG]\n";

static an_gazetteer *gz;
static an_matcher *mt;

static void build(int accent) {
    an_matcher_destroy(mt);
    an_gazetteer_destroy(gz);
    gz = an_gazetteer_create();
    T_OK(an_gazetteer_load_buffer(gz, TSV, sizeof TSV - 1, "a.tsv", AN_GAZ_NATIVE, NULL));
    T_OK(an_gazetteer_load_buffer(gz, PHX, sizeof PHX - 1, "b.txt", AN_GAZ_PHOENIX, NULL));
    an_matcher_options o = {accent};
    T_OK(an_matcher_compile(gz, &o, &mt, NULL));
}

/* The compiled bytes of gz and mt with key "k1" and note "hello" (malloc'd). */
static unsigned char *compiled(size_t *len) {
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    T_ASSERT(f != NULL);
    T_OK(an_compiled_write(gz, mt, "k1", 2, "hello", 5, f, NULL));
    fclose(f);
    *len = n;
    return (unsigned char *)buf;
}

/* Where the payload of compiled() bytes starts: after the header, whose last
 * field is the payload's checksum. */
static size_t payload_at(size_t len) {
    an_i_wbuf head = {0};
    an_i_compiled_put_header(&head, "k1", 2, NULL, 0);
    T_ASSERT(!head.oom && head.len < len);
    size_t body = head.len;
    free(head.p);
    return body;
}

/* A malloc'd copy of compiled() bytes to damage. */
static unsigned char *copy_of(const unsigned char *buf, size_t len) {
    unsigned char *copy = malloc(len);
    T_ASSERT(copy != NULL);
    memcpy(copy, buf, len);
    return copy;
}

/* The checksum of the damaged payload from `body` on written into the
 * header, as a crafted file would have it: only the readers' own checks
 * stand between it and the scan. */
static void reseal(unsigned char *copy, size_t len, size_t body) {
    uint64_t sum = an_i_compiled_checksum(copy + body, len - body);
    memcpy(copy + body - 8, &sum, 8);
}

/* Every mention of random documents, and the token, sentence and paragraph
 * counts, as text. */
static void scan_all(const an_matcher *m, char *out, size_t cap) {
    static const char *const words[] = {
        "United", "States", "of", "America", "US", "us", "U.S.", "Russia", "Russian",
        "Federation", "Moscow", "IS", "is", "Islamic", "State", "Daesh", "Jabhat", "al-Nusra",
        "Nusra", "Front", "Kerry", "John", "C\xC3\xB4te", "Cote", "d'Ivoire", "UN", "U.N.",
        "Nations", "Vladimir", "Putin", "Schussel", "Congress", "the", "said", ".", ",",
        "\n\n", "\xD8\xAF\xD8\xA7\xD8\xB9\xD8\xB4", "Kremlin's", "Washington"};
    uint64_t r = 0x9E3779B97F4A7C15ull;
    size_t w = 0;
    an_mentions ms;
    an_mentions_init(&ms);
    char doc[1024];
    for (int d = 0; d < 300; d++) {
        size_t n = 0;
        r ^= r << 13, r ^= r >> 7, r ^= r << 17;
        int k = (int)(r % 60);
        for (int i = 0; i < k; i++) {
            r ^= r << 13, r ^= r >> 7, r ^= r << 17;
            const char *p = words[r % (sizeof words / sizeof words[0])];
            size_t l = strlen(p);
            if (n + l + 1 > sizeof doc) break;
            memcpy(doc + n, p, l);
            doc[n + l] = ' ';
            n += l + 1;
        }
        int32_t date = d % 3 == 0 ? 0 : d % 3 == 1 ? 20050601 : 20150601;
        T_OK(an_matcher_scan(m, doc, n, date, &ms, NULL));
        w += (size_t)snprintf(out + w, cap - w, "|%zu/%zu/%zu:", ms.n_tokens, ms.n_sentences,
                              ms.n_paragraphs);
        for (size_t i = 0; i < ms.count && w < cap; i++) {
            const an_mention *x = &ms.items[i];
            w += (size_t)snprintf(out + w, cap - w, " %zu-%zu:%zu:%zu:%u/%u/%u", x->start,
                                  x->end, x->alias, x->actor, x->token, x->sentence,
                                  x->paragraph);
        }
        if (w >= cap) break;
    }
    T_ASSERT(w < cap);
    an_mentions_finish(&ms);
}

static void roundtrip(void) {
    static char want[1 << 18], got[1 << 18];
    for (int pass = 0; pass < 4; pass++) {
        int accent = pass & 1;
        unsigned flags = pass & 2 ? AN_COMPILED_BORROW : 0u; /* buf is malloc'd: aligned */
        build(accent);
        size_t len;
        unsigned char *buf = compiled(&len);
        an_gazetteer *g2 = NULL;
        an_matcher *m2 = NULL;
        const void *note = NULL;
        size_t note_len = 0;
        T_OK(an_compiled_read(buf, len, "k1", 2, flags, &g2, &m2, &note, &note_len, NULL));
        T_EQ_INT(note_len, 5);
        T_ASSERT(note && memcmp(note, "hello", 5) == 0);
        t_same_gazetteer(gz, g2, 1);
        /* the fingerprint came along: gz's, computed from the same contents
         * when it was written */
        uint64_t fp = an_gazetteer_fingerprint(g2);
        T_ASSERT(fp == an_gazetteer_fingerprint(gz));
        scan_all(mt, want, sizeof want);
        scan_all(m2, got, sizeof got);
        T_EQ_STR(got, want);
        T_ASSERT(strstr(want, ":") != NULL && strlen(want) > 1000); /* mentions were made */
        /* the labels' weak mark came along: a later Phoenix load relabels */
        const char *more = "EUROPEAN_UNION_ [IGOEUREEC]\n";
        T_OK(an_gazetteer_load_buffer(g2, more, strlen(more), "c.txt", AN_GAZ_PHOENIX, NULL));
        size_t k;
        an_actor_info a;
        T_OK(an_gazetteer_find(g2, "IGOEUREEC", &k));
        T_OK(an_gazetteer_actor(g2, k, &a));
        T_EQ_STR(a.label, "European Union");
        T_ASSERT(an_gazetteer_fingerprint(g2) != fp); /* new contents, not the stored value */
        an_matcher_destroy(m2);
        an_gazetteer_destroy(g2);
        free(buf);
    }
}

/* m NULL: the gazetteer alone (map --counts and merge need no matcher). Its
 * part is checked as ever; the matcher's bytes are not parsed, so a matcher
 * part that would not read still gives the gazetteer. */
static void gazetteer_only(void) {
    build(0);
    size_t len;
    unsigned char *buf = compiled(&len);
    size_t body = payload_at(len);
    for (int pass = 0; pass < 3; pass++) {
        unsigned char *copy = copy_of(buf, len);
        if (pass == 1) /* the last byte: the matcher's last accept entry's actor */
            copy[len - 1] = 0xFF;
        if (pass == 2) /* the gazetteer's first count, after the note */
            memset(copy + body + 8 + 5, 0xFF, 8);
        reseal(copy, len, body);
        an_gazetteer *g2 = NULL;
        an_matcher *m2 = NULL;
        const void *note = NULL;
        size_t note_len = 0;
        an_status full = an_compiled_read(copy, len, "k1", 2, 0, &g2, &m2, NULL, NULL, NULL);
        T_EQ_INT(full, pass == 0 ? AN_OK : AN_EPARSE);
        an_matcher_destroy(m2);
        an_gazetteer_destroy(g2);
        g2 = NULL;
        an_status st = an_compiled_read(copy, len, "k1", 2, AN_COMPILED_BORROW, &g2, NULL,
                                        &note, &note_len, NULL);
        if (pass < 2) {
            T_OK(st);
            t_same_gazetteer(gz, g2, 1);
            T_EQ_INT(note_len, 5);
            T_ASSERT(note && memcmp(note, "hello", 5) == 0);
            T_ASSERT(an_gazetteer_fingerprint(g2) == an_gazetteer_fingerprint(gz));
        } else {
            T_EQ_INT(st, AN_EPARSE);
            T_ASSERT(g2 == NULL);
        }
        an_gazetteer_destroy(g2);
        free(copy); /* g2 is destroyed: nothing of it pointed into copy */
    }
    free(buf);
}

static void empty_gazetteer(void) {
    an_matcher_destroy(mt);
    an_gazetteer_destroy(gz);
    gz = an_gazetteer_create();
    T_OK(an_matcher_compile(gz, NULL, &mt, NULL));
    size_t len;
    unsigned char *buf = compiled(&len);
    an_gazetteer *g2 = NULL;
    an_matcher *m2 = NULL;
    T_OK(an_compiled_read(buf, len, "k1", 2, 0, &g2, &m2, NULL, NULL, NULL));
    T_EQ_INT(an_gazetteer_actor_count(g2), 0);
    an_mentions ms;
    an_mentions_init(&ms);
    T_OK(an_matcher_scan(m2, "Russia and the US.", 18, 0, &ms, NULL));
    T_EQ_INT(ms.count, 0);
    T_EQ_INT(ms.n_tokens, 5);
    an_mentions_finish(&ms);
    an_matcher_destroy(m2);
    an_gazetteer_destroy(g2);
    free(buf);
}

static void other_key(void) {
    build(0);
    size_t len;
    unsigned char *buf = compiled(&len);
    an_gazetteer *g2 = NULL;
    an_matcher *m2 = NULL;
    an_error err;
    T_EQ_INT(an_compiled_read(buf, len, "k2", 2, 0, &g2, &m2, NULL, NULL, &err), AN_ENOTFOUND);
    T_EQ_INT(an_compiled_read(buf, len, "k", 1, 0, &g2, &m2, NULL, NULL, &err), AN_ENOTFOUND);
    T_ASSERT(g2 == NULL && m2 == NULL);
    buf[0] ^= 1; /* not the magic */
    T_EQ_INT(an_compiled_read(buf, len, "k1", 2, 0, &g2, &m2, NULL, NULL, &err), AN_EPARSE);
    free(buf);
}

/* Every prefix of the bytes, and a flipped bit at many places: never
 * accepted (the checksum), never a crash. */
static void damaged(void) {
    build(0);
    size_t len;
    unsigned char *buf = compiled(&len);
    for (size_t n = 0; n < len; n += n < 200 ? 1 : 97) {
        an_gazetteer *g2 = NULL;
        an_matcher *m2 = NULL;
        an_status st = an_compiled_read(buf, n, "k1", 2, 0, &g2, &m2, NULL, NULL, NULL);
        T_ASSERT(st == AN_EPARSE || st == AN_ENOTFOUND);
        T_ASSERT(g2 == NULL && m2 == NULL);
    }
    for (size_t i = 0; i < len; i += 13) {
        buf[i] ^= 0x10;
        an_gazetteer *g2 = NULL;
        an_matcher *m2 = NULL;
        an_status st = an_compiled_read(buf, len, "k1", 2, 0, &g2, &m2, NULL, NULL, NULL);
        T_ASSERT(st == AN_EPARSE || st == AN_ENOTFOUND);
        buf[i] ^= 0x10;
    }
    free(buf);
}

/* Damage behind a valid checksum (what only a crafted file has): the
 * readers' own checks must refuse it or give a matcher that scans safely.
 * Run under ASan and valgrind by the suite's setups. */
static void inconsistent(void) {
    build(0);
    size_t len;
    unsigned char *buf = compiled(&len);
    size_t body = payload_at(len);
    uint64_t r = 0x2545F4914F6CDD1Dull;
    int accepted = 0, refused = 0;
    an_mentions ms;
    an_mentions_init(&ms);
    static const char doc[] = "The United States, Russia and the U.N. said IS and Nusra Front "
                              "fought near Moscow. John Kerry met Vladimir Putin.";
    for (int iter = 0; iter < 3000; iter++) {
        unsigned char *copy = copy_of(buf, len);
        int flips = 1 + (int)(r % 3);
        for (int f = 0; f < flips; f++) {
            r ^= r << 13, r ^= r >> 7, r ^= r << 17;
            size_t at = body + (size_t)(r % (len - body));
            r ^= r << 13, r ^= r >> 7, r ^= r << 17;
            copy[at] = (unsigned char)(r & 1 ? copy[at] ^ (1u << (r >> 1) % 8) : r >> 8);
        }
        reseal(copy, len, body);
        an_gazetteer *g2 = NULL;
        an_matcher *m2 = NULL;
        unsigned flags = (unsigned)(iter & 1) * AN_COMPILED_BORROW;
        an_status st = an_compiled_read(copy, len, "k1", 2, flags, &g2, &m2, NULL, NULL, NULL);
        if (st == AN_OK) {
            accepted++;
            T_OK(an_matcher_scan(m2, doc, sizeof doc - 1, 0, &ms, NULL));
            T_OK(an_matcher_scan(m2, doc, sizeof doc - 1, 20060301, &ms, NULL));
            for (size_t i = 0; i < ms.count; i++) {
                T_ASSERT(ms.items[i].alias < an_gazetteer_alias_count(g2));
                T_ASSERT(ms.items[i].actor < an_gazetteer_actor_count(g2));
                T_ASSERT(ms.items[i].end <= sizeof doc - 1);
            }
        } else {
            T_EQ_INT(st, AN_EPARSE);
            refused++;
        }
        an_matcher_destroy(m2);
        an_gazetteer_destroy(g2);
        free(copy);
    }
    an_mentions_finish(&ms);
    /* both outcomes happened: label bytes can change, indices cannot */
    T_ASSERT(accepted > 0 && refused > 0);
    free(buf);
}

static void oom(void) {
    build(0);
    size_t len;
    unsigned char *buf = compiled(&len);
    an_allocator alloc = {t_malloc, t_realloc, t_free, NULL};
    int ok = 0;
    for (long k = 0; k < 100000 && !ok; k += k < 400 ? 1 : 37) {
        an_gazetteer *g2 = NULL;
        an_matcher *m2 = NULL;
        an_set_allocator(&alloc);
        fail_after = k;
        an_status st = an_compiled_read(buf, len, "k1", 2, 0, &g2, &m2, NULL, NULL, NULL);
        fail_after = -1;
        an_set_allocator(NULL);
        if (st == AN_OK) {
            ok = 1;
            t_same_gazetteer(gz, g2, 1);
        } else {
            T_EQ_INT(st, AN_ENOMEM);
            T_ASSERT(g2 == NULL && m2 == NULL);
        }
        an_matcher_destroy(m2);
        an_gazetteer_destroy(g2);
    }
    T_ASSERT(ok);
    free(buf);
}

static const t_case cases[] = {
    {"roundtrip", roundtrip}, {"gazetteer_only", gazetteer_only},
    {"empty_gazetteer", empty_gazetteer}, {"other_key", other_key},
    {"damaged", damaged},     {"inconsistent", inconsistent},       {"oom", oom},
};

int main(int argc, char **argv) {
    int r = t_run_cases(cases, sizeof cases / sizeof cases[0], argc, argv);
    an_matcher_destroy(mt);
    an_gazetteer_destroy(gz);
    if (r) return 1;
    T_DONE();
}
