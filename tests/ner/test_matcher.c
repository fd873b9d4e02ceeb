/* Matcher: leftmost-longest over tokens, ties, case policy, dates, offsets. */
#include <stdlib.h>

#include "actornet/gazetteer.h"
#include "actornet/matcher.h"
#include "ner/normalize.h"
#include "ner/tokenize.h"
#include "test_util.h"
#include "test_alloc.h"
#include "cases.h"

static const char GAZ[] =
    "# id\tlabel\ttype\tparents\taliases\n"
    "USA\tUnited States\tcountry\t\tUnited States|United States of America|=US|U.S.|American|"
    "Americans|Washington\n"
    "RUS\tRussia\tcountry\t\tRussia|Russian Federation|Russian|Russians|Moscow|Kremlin\n"
    "UN\tUnited Nations\torganisation\t\tUnited Nations|U.N.|UN\n"
    "UK\tUnited Kingdom\tcountry\t\tUnited Kingdom|U.K.|Britain\n"
    "ISIS\tIslamic State\tarmed_group\t\tIslamic State|=IS|ISIS|ISIL|Daesh|\xD8\xAF\xD8\xA7\xD8\xB9\xD8\xB4\n"
    "NUSRA\tJabhat al-Nusra\tarmed_group\t\tJabhat al-Nusra|Jabhat al-Nusra Front\n"
    "NUSRA_SHORT\tNusra\tarmed_group\t\tNusra\n"
    "KERRY\tJohn Kerry\tperson\tUSA\tJohn Kerry|Kerry\n"
    "OBRIEN\tRobert O'Brien\tperson\tUSA\tRobert O'Brien|O'Brien\n"
    "RUS_MFA\tRussian Foreign Ministry\tgovernment\tRUS\tRussian Foreign Ministry|Russia's Foreign Ministry\n"
    "IVORY\tIvory Coast\tcountry\t\tC\xC3\xB4te d'Ivoire|Ivory Coast\n"
    "ATT\tAT&T\torganisation\t\tAT&T\n"
    "BUSH\tGeorge W. Bush\tperson\tUSA\tGeorge W. Bush\n";

static an_gazetteer *gz;
static an_matcher *mt;
static an_mentions ms;

static an_gazetteer *load(const char *tsv) {
    an_gazetteer *g = an_gazetteer_create();
    an_error err;
    an_error_clear(&err);
    if (an_gazetteer_load_buffer(g, tsv, strlen(tsv), "test.tsv", AN_GAZ_NATIVE, &err)) {
        char buf[1200];
        T_FAIL("gazetteer: %s", an_error_format(&err, buf, sizeof buf));
    }
    return g;
}

/* Replace the current gazetteer and matcher. */
static void use(const char *tsv, int accent_insensitive) {
    an_matcher_destroy(mt);
    an_gazetteer_destroy(gz);
    mt = NULL;
    gz = load(tsv);
    an_matcher_options o = {accent_insensitive};
    an_error err;
    T_OK(an_matcher_compile(gz, &o, &mt, &err));
}

/* "ACTOR:matched text" per mention, space-separated. */
static const char *scan_n(const char *text, size_t len, int32_t date) {
    static char out[4096];
    size_t n = 0;
    an_error err;
    out[0] = '\0';
    if (!mt) return "<no matcher>";
    if (an_matcher_scan(mt, text, len, date, &ms, &err)) return "<scan failed>";
    for (size_t i = 0; i < ms.count; i++) {
        an_actor_info a;
        const an_mention *m = &ms.items[i];
        T_OK(an_gazetteer_actor(gz, m->actor, &a));
        an_alias_info al;
        T_OK(an_gazetteer_alias(gz, m->alias, &al));
        T_EQ_INT(al.actor, m->actor);
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%s:%.*s", i ? " " : "", a.id,
                              (int)(m->end - m->start), text + m->start);
    }
    return out;
}
static const char *scan_d(const char *text, int32_t date) { return scan_n(text, strlen(text), date); }
static const char *scan(const char *text) { return scan_d(text, 0); }

static void basic(void) {
    use(GAZ, 0);
    T_EQ_STR(scan("Russia and the United States met in Moscow."),
             "RUS:Russia USA:United States RUS:Moscow");
    T_EQ_STR(scan("nothing here"), "");
    T_EQ_STR(scan("RUSSIA, russia"), "RUS:RUSSIA RUS:russia");
    T_EQ_STR(scan("Russian Federation"), "RUS:Russian Federation");
    T_EQ_STR(scan("Russias Washingtonian"), ""); /* whole tokens only */
}

static void us_abbr(void) {
    use(GAZ, 0);
    T_EQ_STR(scan("the U.S. and the US and U.S.A."), "USA:U.S. USA:US");
    T_EQ_STR(scan("the u.s. said"), ""); /* "U.S." is all capitals: exact */
}

static void un_abbr(void) {
    use(GAZ, 0);
    T_EQ_STR(scan("The U.N. and the UN, U.K. and Britain."), "UN:U.N. UN:UN UK:U.K. UK:Britain");
}

static void us_russian(void) {
    use(GAZ, 0);
    T_EQ_STR(scan("U.S.-Russian talks"), "USA:U.S. RUS:Russian");
    T_EQ_STR(scan("US\xE2\x80\x93Russian talks"), "USA:US RUS:Russian");
}

static void us_led(void) {
    use(GAZ, 0);
    T_EQ_STR(scan("the US-led coalition"), "USA:US");
}

static void russian_american(void) {
    use(GAZ, 0);
    T_EQ_STR(scan("a Russian-American deal"), "RUS:Russian USA:American");
    T_EQ_STR(scan("a Russian\xE2\x80\x94" "American deal"), "RUS:Russian USA:American");
}

static void possessive(void) {
    use(GAZ, 0);
    T_EQ_STR(scan("Russia's army, Russia\xE2\x80\x99s navy"), "RUS:Russia RUS:Russia");
    T_EQ_STR(scan("Kerry\xE2\x80\x99s visit and Kerry's plan"), "KERRY:Kerry KERRY:Kerry");
    T_EQ_STR(scan("the Russians' view"), "RUS:Russians");
    T_EQ_STR(scan("O'Brien and O\xE2\x80\x99" "Brien's aide"), "OBRIEN:O'Brien OBRIEN:O\xE2\x80\x99" "Brien");
    /* an alias with a possessive matches either apostrophe */
    T_EQ_STR(scan("Russia\xE2\x80\x99s Foreign Ministry"), "RUS_MFA:Russia\xE2\x80\x99s Foreign Ministry");
    T_EQ_STR(scan("C\xC3\xB4te d\xE2\x80\x99Ivoire"), "IVORY:C\xC3\xB4te d\xE2\x80\x99Ivoire");
}

static void us_to(void) {
    use(GAZ, 0);
    T_EQ_STR(scan("U.S.To Send Troops"), "USA:U.S.");
}

static void comma_breaks(void) {
    use("# x\nA\tA\tcountry\t\tRussia Ukraine\nB\tB\tcountry\t\tWashington, D.C.\n", 0);
    T_EQ_STR(scan("Russia Ukraine; Russia, Ukraine; Russia\nUkraine"), "A:Russia Ukraine A:Russia\nUkraine");
    /* an alias containing a comma needs the comma in the text */
    T_EQ_STR(scan("Washington, D.C. and Washington D.C."), "B:Washington, D.C.");
    use(GAZ, 0);
    T_EQ_STR(scan("AT&T and AT & T and ATT"), "ATT:AT&T ATT:AT & T");
}

static void quotes_brackets(void) {
    use(GAZ, 0);
    T_EQ_STR(scan("\"Russia\" (Moscow) [Kremlin] 'U.S.' \xE2\x80\x9C" "Daesh\xE2\x80\x9D \xC2\xABISIL\xC2\xBB "
                  "\xE2\x80\x98Kerry\xE2\x80\x99"),
             "RUS:Russia RUS:Moscow RUS:Kremlin USA:U.S. ISIS:Daesh ISIS:ISIL KERRY:Kerry");
    T_EQ_STR(scan("United \"States\""), "");
    T_EQ_STR(scan("United (States)"), "");
}

static void hyphen_alias(void) {
    use(GAZ, 0);
    T_EQ_STR(scan("Jabhat al-Nusra, Jabhat al Nusra, Jabhat al\xE2\x80\x91Nusra, Jabhat alNusra"),
             "NUSRA:Jabhat al-Nusra NUSRA:Jabhat al Nusra NUSRA:Jabhat al\xE2\x80\x91Nusra");
    use("# x\nN\tN\tarmed_group\t\tal Nusra\n", 0);
    T_EQ_STR(scan("al-Nusra al - Nusra"), "N:al-Nusra N:al - Nusra");
}

static void longest(void) {
    use(GAZ, 0);
    T_EQ_STR(scan("Jabhat al-Nusra Front fighters"), "NUSRA:Jabhat al-Nusra Front");
    T_EQ_STR(scan("Jabhat al-Nusra fighters and Nusra"), "NUSRA:Jabhat al-Nusra NUSRA_SHORT:Nusra");
    T_EQ_STR(scan("United States of America"), "USA:United States of America");
    /* a longer alias that fails half-way falls back to the longest complete one */
    T_EQ_STR(scan("United States of Mexico"), "USA:United States");
    ms.count = 0;
    scan("Jabhat al-Nusra Front fighters");
    T_EQ_INT(ms.count, 1);
}

static void leftmost(void) {
    use("# x\nA\tA\tother\t\tNew York\nB\tB\tother\t\tYork Times\nC\tC\tother\t\tNew York Times\n"
        "D\tD\tother\t\tTimes Square\n", 0);
    T_EQ_STR(scan("the New York Times Square"), "C:New York Times");
    T_EQ_STR(scan("New York Times"), "C:New York Times");
    T_EQ_STR(scan("York Times Square"), "B:York Times");
    T_EQ_STR(scan("New York Square"), "A:New York");
}

static void parent_child(void) {
    use(GAZ, 0);
    T_EQ_STR(scan("the Russian Foreign Ministry said"), "RUS_MFA:Russian Foreign Ministry");
    T_EQ_STR(scan("the Russian Foreign minister"), "RUS:Russian");
    /* the child loaded first changes nothing: the longer span wins */
    use("# x\nMFA\tMFA\tgovernment\tRUS\tRussian Foreign Ministry\nRUS\tRussia\tcountry\t\tRussian\n", 0);
    T_EQ_STR(scan("Russian Foreign Ministry"), "MFA:Russian Foreign Ministry");
}

static void tie_exact_first(void) {
    use("# x\nF\tF\tother\t\t~US\nX\tX\tother\t\t=US\n", 0);
    T_EQ_STR(scan("US us Us U.S."), "X:US F:us F:Us X:U.S.");
    use("# x\nX\tX\tother\t\t=Nato\nF\tF\tother\t\t~nato\n", 0);
    T_EQ_STR(scan("Nato NATO"), "X:Nato F:NATO");
}

static void tie_load_order(void) {
    use("# x\nA\tA\tother\t\tGeorgia\nB\tB\tother\t\tgeorgia|Tbilisi\n", 0);
    T_EQ_STR(scan("Georgia GEORGIA Tbilisi"), "A:Georgia A:GEORGIA B:Tbilisi");
    use("# x\nB\tB\tother\t\tgeorgia\nA\tA\tother\t\tGeorgia\n", 0);
    T_EQ_STR(scan("Georgia"), "B:Georgia");
    /* within one actor, the alias loaded first is reported */
    an_alias_info al;
    use("# x\nA\tA\tother\t\tU.N.|UN\n", 0);
    scan("UN");
    T_EQ_INT(ms.count, 1);
    if (ms.count == 1) {
        T_OK(an_gazetteer_alias(gz, ms.items[0].alias, &al));
        T_EQ_STR(al.text, "U.N.");
    }
}

static void shared_alias(void) {
    use("# x\nUSA\tUSA\tcountry\t\tWashington\nWA\tWashington State\tother\t\tWashington|Seattle\n", 0);
    T_EQ_STR(scan("Washington and Seattle"), "USA:Washington WA:Seattle");
}

static void exact_vs_fold(void) {
    use(GAZ, 0);
    T_EQ_STR(scan("tell us what is IS, and what US is"), "ISIS:IS USA:US");
    T_EQ_STR(scan("Us and Is"), "");
    T_EQ_STR(scan("isis Isis ISIS"), "ISIS:ISIS"); /* 4 capitals: exact by default */
    T_EQ_STR(scan("daesh DAESH"), "ISIS:daesh ISIS:DAESH");
    T_EQ_STR(scan("the un and the UN"), "UN:UN");
}

static void dated(void) {
    use("# x\nFM\tForeign Minister\tperson\t\tForeign Minister{2004-03-09..2020-12-31}|Lavrov\n"
        "OLD\tOld\tperson\t\tForeign Minister{..2004-03-08}\n"
        "NEW\tNew\tperson\t\tForeign Minister{2021-01-01..}\n"
        "ANY\tAny\tperson\t\tForeign Minister Ivanov\n", 0);
    T_EQ_STR(scan_d("the Foreign Minister, Lavrov", 0), "FM:Lavrov");
    T_EQ_STR(scan_d("the Foreign Minister, Lavrov", 20100101), "FM:Foreign Minister FM:Lavrov");
    T_EQ_STR(scan_d("the Foreign Minister", 20040309), "FM:Foreign Minister");
    T_EQ_STR(scan_d("the Foreign Minister", 20040308), "OLD:Foreign Minister");
    T_EQ_STR(scan_d("the Foreign Minister", 20201231), "FM:Foreign Minister");
    T_EQ_STR(scan_d("the Foreign Minister", 20210101), "NEW:Foreign Minister");
    T_EQ_STR(scan_d("the Foreign Minister", 19000101), "OLD:Foreign Minister");
    T_EQ_STR(scan_d("Foreign Minister Ivanov", 20100101), "ANY:Foreign Minister Ivanov");
    /* the longest active alias wins; an inactive longer one does not block */
    use("# x\nA\tA\tother\t\tUnited States\nB\tB\tother\t\tUnited States Army{2000-01-01..2000-12-31}\n", 0);
    T_EQ_STR(scan_d("United States Army", 20050101), "A:United States");
    T_EQ_STR(scan_d("United States Army", 20000601), "B:United States Army");
}

static void invalid_utf8(void) {
    use(GAZ, 0);
    T_EQ_STR(scan("\xffRussia\xfe\xc3 United\xff States \xe2\x82"), "RUS:Russia");
    T_EQ_STR(scan("Rus\xffsia"), "");
    T_EQ_STR(scan("\xed\xa0\x80Moscow\xc0\xaf"), "RUS:Moscow");
    /* every byte value in every position: no crash, offsets in range */
    char buf[64];
    for (int b = 0; b < 256; b++) {
        for (size_t p = 0; p < 8; p++) {
            memcpy(buf, "Moscow Kremlin", 14);
            buf[p] = (char)b;
            scan_n(buf, 14, 0);
            for (size_t i = 0; i < ms.count; i++) T_ASSERT(ms.items[i].end <= 14);
        }
    }
}

static void nul_bytes(void) {
    use(GAZ, 0);
    const char t1[] = "Russia\0Moscow\0\0United\0States";
    T_EQ_STR(scan_n(t1, sizeof t1 - 1, 0), "RUS:Russia RUS:Moscow");
    T_EQ_INT(ms.items[1].start, 7);
    T_EQ_INT(ms.doc_bytes, sizeof t1 - 1);
}

static void offsets(void) {
    use(GAZ, 0);
    const char *t = "\xC2\xAB\xC2\xA0U.S.-Russian\xC2\xA0\xC2\xBB \xE2\x80\x9CJabhat al\xE2\x80\x91Nusra\xE2\x80\x9D";
    T_EQ_STR(scan(t), "USA:U.S. RUS:Russian NUSRA:Jabhat al\xE2\x80\x91Nusra");
    T_EQ_INT(ms.count, 3);
    if (ms.count == 3) {
        T_EQ_INT(ms.items[0].start, 4);
        T_EQ_INT(ms.items[0].end, 8);
        T_EQ_INT(ms.items[1].start, 9);
        T_EQ_INT(ms.items[1].end, 16);
        T_EQ_INT(ms.items[2].start, 24);
        T_EQ_INT(ms.items[2].end, 24 + 17);
        T_ASSERT(memcmp(t + ms.items[2].start, "Jabhat", 6) == 0);
        /* « U.S. - Russian » “ Jabhat al ‑ Nusra ” */
        T_EQ_INT(ms.items[0].token, 1);
        T_EQ_INT(ms.items[1].token, 3);
        T_EQ_INT(ms.items[2].token, 6);
    }
    T_EQ_INT(ms.n_tokens, 11);
}

static void sentences(void) {
    use(GAZ, 0);
    const char *t = "Mr. Kerry met Gen. Smith in Moscow. The U.S. envoy left on Sept. 3. Russia agreed.";
    T_EQ_STR(scan(t), "KERRY:Kerry RUS:Moscow USA:U.S. RUS:Russia");
    T_EQ_INT(ms.n_sentences, 3);
    T_EQ_INT(ms.n_paragraphs, 1);
    if (ms.count == 4) {
        T_EQ_INT(ms.items[0].sentence, 0);
        T_EQ_INT(ms.items[1].sentence, 0);
        T_EQ_INT(ms.items[2].sentence, 1);
        T_EQ_INT(ms.items[3].sentence, 2);
    }
    if (ms.n_sentences == 3) {
        T_EQ_INT(ms.sentences[0].start, 0);
        T_EQ_INT(ms.sentences[0].end, 35);
        T_EQ_INT(ms.sentences[1].start, 36);
        T_EQ_INT(ms.sentences[2].end, strlen(t));
    }
}

static void paragraphs(void) {
    use(GAZ, 0);
    const char *t = "\n\nRussia\nand Moscow.\n \n\nThe U.S.\n\n\n Kerry";
    T_EQ_STR(scan(t), "RUS:Russia RUS:Moscow USA:U.S. KERRY:Kerry");
    T_EQ_INT(ms.n_paragraphs, 3);
    T_EQ_INT(ms.n_sentences, 3);
    if (ms.count == 4) {
        T_EQ_INT(ms.items[1].paragraph, 0);
        T_EQ_INT(ms.items[2].paragraph, 1);
        T_EQ_INT(ms.items[3].paragraph, 2);
        T_EQ_INT(ms.items[3].sentence, 2);
    }
    /* no alias spans a paragraph break, a single newline is fine */
    T_EQ_STR(scan("United\nStates / United\n\nStates"), "USA:United\nStates");
}

static void crlf(void) {
    use(GAZ, 0);
    T_EQ_STR(scan("Russia said.\r\nThe U.S.\r\n\r\nKerry\r\nagreed\rUnited\r\nStates"),
             "RUS:Russia USA:U.S. KERRY:Kerry USA:United\r\nStates");
    T_EQ_INT(ms.n_paragraphs, 2);
    T_EQ_INT(ms.n_sentences, 3);
}

static void unicode_fold(void) {
    use("# x\nIST\tIstanbul\tcity\t\t\xC4\xB0stanbul\nRU\tRussia\tcountry\t\t\xD0\xA0\xD0\xBE\xD1\x81\xD1\x81\xD0\xB8\xD1\x8F\n"
        "DE\tStreet\tother\t\tStra\xC3\x9F" "e\nGR\tGreece\tcountry\t\t\xCE\x95\xCE\xBB\xCE\xBB\xCE\xAC\xCE\xB4\xCE\xB1\n"
        "IS\tIS\tarmed_group\t\t\xD8\xAF\xD8\xA7\xD8\xB9\xD8\xB4\n", 0);
    T_EQ_STR(scan("ISTANBUL istanbul \xC4\xB0STANBUL"), "IST:ISTANBUL IST:istanbul IST:\xC4\xB0STANBUL");
    T_EQ_STR(scan("\xD0\xA0\xD0\x9E\xD0\xA1\xD0\xA1\xD0\x98\xD0\xAF"), "RU:\xD0\xA0\xD0\x9E\xD0\xA1\xD0\xA1\xD0\x98\xD0\xAF");
    T_EQ_STR(scan("STRASSE strasse"), "DE:STRASSE DE:strasse");
    T_EQ_STR(scan("\xCE\x95\xCE\x9B\xCE\x9B\xCE\x86\xCE\x94\xCE\x91"), "GR:\xCE\x95\xCE\x9B\xCE\x9B\xCE\x86\xCE\x94\xCE\x91");
    T_EQ_STR(scan("\xD8\xAF\xD8\xA7\xD8\xB9\xD8\xB4\xD8\x8C"), "IS:\xD8\xAF\xD8\xA7\xD8\xB9\xD8\xB4");
    T_EQ_STR(scan("\xEF\xBC\xA9\xEF\xBD\x93\xEF\xBD\x94\xEF\xBD\x81\xEF\xBD\x8E\xEF\xBD\x82\xEF\xBD\x95\xEF\xBD\x8C"),
             "IST:\xEF\xBC\xA9\xEF\xBD\x93\xEF\xBD\x94\xEF\xBD\x81\xEF\xBD\x8E\xEF\xBD\x82\xEF\xBD\x95\xEF\xBD\x8C");
}

static void accent(void) {
    const char *tsv = "# x\nL\tLavrov\tperson\t\tSergue\xC3\xAF Lavrov\n";
    use(tsv, 0);
    T_EQ_STR(scan("Serguei Lavrov"), "");
    T_EQ_STR(scan("SERGUE\xC3\x8F LAVROV"), "L:SERGUE\xC3\x8F LAVROV");
    use(tsv, 1);
    T_EQ_STR(scan("Serguei Lavrov and Sergu\xC3\xA9\xC3\xAF Lavrov"),
             "L:Serguei Lavrov L:Sergu\xC3\xA9\xC3\xAF Lavrov");
}

static void no_cross_sentence(void) {
    use("# x\nA\tA\tother\t\tPlan B\n", 0);
    T_EQ_STR(scan("Plan. B"), "");
    T_EQ_STR(scan("Plan\n\nB"), "");
    T_EQ_STR(scan("Plan B."), "A:Plan B.");
}

static void reuse(void) {
    use(GAZ, 0);
    an_mentions m2;
    an_mentions_init(&m2);
    an_error err;
    char big[20000];
    size_t n = 0;
    while (n + 8 < sizeof big) {
        memcpy(big + n, "Russia. ", 8);
        n += 8;
    }
    T_OK(an_matcher_scan(mt, big, n, 0, &m2, &err));
    T_EQ_INT(m2.count, n / 8);
    T_EQ_INT(m2.n_sentences, n / 8);
    T_OK(an_matcher_scan(mt, "Kerry", 5, 0, &m2, &err));
    T_EQ_INT(m2.count, 1);
    T_EQ_INT(m2.n_sentences, 1);
    T_EQ_INT(m2.items[0].actor, 7);
    an_mentions_finish(&m2);
    an_mentions_finish(&m2); /* finish twice is harmless */
    an_mentions_finish(NULL);
    an_matcher_destroy(NULL);
}

/* One an_mentions used with two matchers in turn (and with a matcher
 * compiled where a destroyed one was): the word caches in its scratch
 * (short and long words) must not hand one matcher's token ids to the
 * other. */
static void two_matchers(void) {
    an_gazetteer *g1 = load("A\tA\tx\t\tRussia|the US|Internationally\n");
    an_gazetteer *g2 = load("B\tB\tx\t\tKerry|of the\nC\tC\tx\t\tUS\n");
    an_matcher *m1 = NULL, *m2 = NULL;
    an_mentions mm;
    an_mentions_init(&mm);
    an_error err;
    static const char doc[] = "Russia and the US, Kerry of the US. Internationally so.";
    T_OK(an_matcher_compile(g1, NULL, &m1, &err));
    T_OK(an_matcher_compile(g2, NULL, &m2, &err));
    for (int round = 0; round < 3; round++) {
        T_OK(an_matcher_scan(m1, doc, strlen(doc), 0, &mm, &err));
        T_EQ_INT(mm.count, 4); /* Russia, the US, the US, Internationally */
        T_EQ_INT(mm.items[1].start, 11);
        T_EQ_INT(mm.items[2].start, 28);
        T_EQ_INT(mm.items[3].start, 36);
        T_OK(an_matcher_scan(m2, doc, strlen(doc), 0, &mm, &err));
        T_EQ_INT(mm.count, 4); /* US, Kerry, of the, US */
        T_EQ_INT(mm.items[0].start, 15);
        T_EQ_INT(mm.items[2].start, 25);
        an_matcher_destroy(m1); /* the next compile may reuse its memory */
        m1 = NULL;
        T_OK(an_matcher_compile(g1, NULL, &m1, &err));
    }
    an_matcher_destroy(m1);
    an_matcher_destroy(m2);
    an_mentions_finish(&mm);
    an_gazetteer_destroy(g1);
    an_gazetteer_destroy(g2);
}

/* The mentions of m start at starts[0..n), in that order. */
static void expect_starts(const an_mentions *m, const size_t *starts, size_t n) {
    T_EQ_INT(m->count, n);
    for (size_t i = 0; i < n && i < m->count; i++) T_EQ_INT(m->items[i].start, starts[i]);
}

/* Non-ASCII words are looked up once per scan scratch and then taken from
 * its cache: the cached ids must keep exact and folded aliases apart, ABBR
 * tokens apart from words, and belong to the matcher that filled them. */
static void unicode_word_cache(void) {
    an_gazetteer *g1 = load("USA\tUSA\tx\t\t=\xD0\xA1\xD0\xA8\xD0\x90\n" /* =США */
                            "RUS\tRUS\tx\t\t\xD0\xA0\xD0\xBE\xD1\x81\xD1\x81\xD0\xB8\xD1\x8F\n"); /* Россия */
    an_gazetteer *g2 = load("US2\tUS2\tx\t\t\xD1\x81\xD1\x88\xD0\xB0\n"); /* сша, folded */
    an_matcher *m1 = NULL, *m2 = NULL;
    an_mentions mm;
    an_mentions_init(&mm);
    an_error err;
    /* "сша США РОССИЯ С.Ш.А. США россия" */
    static const char doc[] = "\xD1\x81\xD1\x88\xD0\xB0 \xD0\xA1\xD0\xA8\xD0\x90 "
                              "\xD0\xA0\xD0\x9E\xD0\xA1\xD0\xA1\xD0\x98\xD0\xAF "
                              "\xD0\xA1.\xD0\xA8.\xD0\x90. \xD0\xA1\xD0\xA8\xD0\x90 "
                              "\xD1\x80\xD0\xBE\xD1\x81\xD1\x81\xD0\xB8\xD1\x8F";
    T_OK(an_matcher_compile(g1, NULL, &m1, &err));
    T_OK(an_matcher_compile(g2, NULL, &m2, &err));
    /* m1: США (exact) at 7, РОССИЯ at 14, С.Ш.А. (exact, dots dropped) at 27, США
     * at 37, россия at 44; the lower-case сша at 0 is not США. m2: the folded
     * сша at 0, 7, 27 (С.Ш.А.) and 37. */
    static const size_t starts1[] = {7, 14, 27, 37, 44}, starts2[] = {0, 7, 27, 37};
    for (int round = 0; round < 3; round++) {
        T_OK(an_matcher_scan(m1, doc, strlen(doc), 0, &mm, &err));
        expect_starts(&mm, starts1, 5);
        T_OK(an_matcher_scan(m2, doc, strlen(doc), 0, &mm, &err));
        expect_starts(&mm, starts2, 4);
    }
    an_matcher_destroy(m1);
    an_matcher_destroy(m2);
    an_mentions_finish(&mm);
    an_gazetteer_destroy(g1);
    an_gazetteer_destroy(g2);
}

/* Many non-ASCII words of 1 to 24 letters from a four-letter alphabet (so
 * that a lot of them share their first bytes and fight for the cache's
 * entries; a word of up to 8 Cyrillic letters is compared as two words,
 * a longer one byte by byte), a tenth of them aliases: every word that is an
 * alias is found, in three scans over one scratch, and no other. */
static void unicode_word_cache_words(void) {
    static const char *const letters[] = {"\xD0\xB0", "\xD0\xB1", "\xD0\xB2", "\xD0\xB3"}; /* абвг */
    enum { N_WORDS = 6000, N_TEXT = 20000 };
    char(*words)[64] = calloc(N_WORDS, sizeof *words);
    char *tsv = malloc((size_t)N_WORDS * 80), *doc = malloc((size_t)N_TEXT * 66);
    unsigned char *is_alias = calloc(N_WORDS, 1);
    size_t *want = malloc(N_TEXT * sizeof *want);
    T_ASSERT(words && tsv && doc && is_alias && want);
    if (!words || !tsv || !doc || !is_alias || !want) return;
    unsigned long long seed = 99;
    size_t nt = 0;
    tsv[0] = '\0';
    for (size_t i = 0; i < N_WORDS; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        size_t len = 1 + (size_t)(seed >> 33) % 24;
        for (size_t k = 0; k < len; k++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            strcat(words[i], letters[(seed >> 40) & 3]);
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(words[j], words[i]) == 0) words[i][0] = '\0'; /* drop repeats */
        if (words[i][0] && i % 10 == 0) {
            is_alias[i] = 1;
            nt += (size_t)sprintf(tsv + nt, "W%zu\tW%zu\tx\t\t%s\n", i, i, words[i]);
        }
    }
    an_gazetteer *g = load(tsv);
    an_matcher *m = NULL;
    an_mentions mm;
    an_mentions_init(&mm);
    an_error err;
    T_OK(an_matcher_compile(g, NULL, &m, &err));
    size_t nd = 0, nw = 0;
    for (size_t t = 0; t < N_TEXT; t++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        size_t i = (size_t)(seed >> 33) % N_WORDS;
        if (!words[i][0]) continue;
        if (is_alias[i]) want[nw++] = nd;
        nd += (size_t)sprintf(doc + nd, "%s ", words[i]);
    }
    for (int round = 0; round < 3; round++) {
        T_OK(an_matcher_scan(m, doc, nd, 0, &mm, &err));
        T_EQ_INT(mm.count, nw);
        for (size_t k = 0; k < nw && k < mm.count; k++) T_EQ_INT(mm.items[k].start, want[k]);
    }
    T_ASSERT(nw > 1000);
    an_matcher_destroy(m);
    an_mentions_finish(&mm);
    an_gazetteer_destroy(g);
    free(words);
    free(tsv);
    free(doc);
    free(is_alias);
    free(want);
}

static void empty(void) {
    use(GAZ, 0);
    an_error err;
    T_OK(an_matcher_scan(mt, NULL, 0, 0, &ms, &err));
    T_EQ_INT(ms.count, 0);
    T_EQ_INT(ms.n_sentences, 0);
    T_EQ_INT(ms.n_paragraphs, 0);
    T_EQ_INT(ms.n_tokens, 0);
    T_EQ_INT(an_matcher_scan(mt, NULL, 3, 0, &ms, &err), AN_EINVAL);
    T_EQ_INT(an_matcher_scan(NULL, "x", 1, 0, &ms, &err), AN_EINVAL);
    an_matcher *m = NULL;
    T_EQ_INT(an_matcher_compile(NULL, NULL, &m, &err), AN_EINVAL);
    /* an empty gazetteer compiles and matches nothing */
    an_gazetteer *g = an_gazetteer_create();
    T_OK(an_matcher_compile(g, NULL, &m, &err));
    T_OK(an_matcher_scan(m, "Russia", 6, 0, &ms, &err));
    T_EQ_INT(ms.count, 0);
    T_EQ_INT(ms.n_tokens, 1);
    an_matcher_destroy(m);
    an_gazetteer_destroy(g);
}

/* Random documents built from alias pieces, punctuation, newlines and
 * invalid bytes: mentions and sentences stay ordered, disjoint and in range. */
static void random_docs(void) {
    use(GAZ, 0);
    static const char *const parts[] = {
        "Russia", "U.S.", "US", "us", "-", "\xE2\x80\x91", "'s", "\xE2\x80\x99s", " ", " ", " ", "\n",
        "\n\n", "\r\n", ".", ". ", "!", "\"", "(", ")", ",", "Jabhat", "al", "Nusra", "Front",
        "\xff", "\xc3", "\xe2\x82", "\0", "Mr.", "U.", "S", "\xD0\xA0\xD0\xBE", "\xC4\xB0", "IS", "United",
        "States", "of", "America", "Kerry", "\xE2\x80\x9C", "\xE2\x80\xA9"};
    uint64_t r = 0x9E3779B97F4A7C15ull;
    char doc[512];
    an_error err;
    for (int d = 0; d < 3000; d++) {
        size_t n = 0;
        r ^= r << 13; r ^= r >> 7; r ^= r << 17;
        int k = (int)(r % 40);
        for (int i = 0; i < k; i++) {
            r ^= r << 13; r ^= r >> 7; r ^= r << 17;
            const char *p = parts[r % (sizeof parts / sizeof parts[0])];
            size_t l = p[0] ? strlen(p) : 1; /* "\0" is one NUL byte */
            if (n + l > sizeof doc) break;
            memcpy(doc + n, p, l);
            n += l;
        }
        an_status st = an_matcher_scan(mt, doc, n, (int32_t)(d % 2 ? 20100101 : 0), &ms, &err);
        T_EQ_INT(st, AN_OK);
        size_t prev_end = 0;
        for (size_t i = 0; i < ms.count; i++) {
            const an_mention *m = &ms.items[i];
            T_ASSERT(m->start < m->end && m->end <= n && m->start >= prev_end);
            T_ASSERT(m->sentence < ms.n_sentences && m->paragraph < ms.n_paragraphs);
            T_ASSERT(m->token < ms.n_tokens);
            if (m->sentence < ms.n_sentences) {
                T_ASSERT(m->start >= ms.sentences[m->sentence].start);
                T_ASSERT(m->end <= ms.sentences[m->sentence].end);
            }
            prev_end = m->end;
        }
        for (size_t i = 0; i < ms.n_sentences; i++) {
            T_ASSERT(ms.sentences[i].start < ms.sentences[i].end && ms.sentences[i].end <= n);
            if (i) T_ASSERT(ms.sentences[i].start >= ms.sentences[i - 1].end);
        }
        T_ASSERT(ms.n_paragraphs <= ms.n_sentences);
        if (an_t_failures) {
            fprintf(stderr, "document %d failed\n", d);
            break;
        }
    }
}

/* ---- reference matcher ---------------------------------------------------
 * A deliberately naive implementation of docs/matching.md (tokens and keys
 * from the tokenizer and normaliser, then every alias tried at every token)
 * that the compiled matcher must agree with on random gazetteers and texts. */

#define REF_MAX_TOK 64
typedef struct ref_key {
    char k[64];
    size_t n;
} ref_key;
typedef struct ref_alias {
    ref_key keys[8];
    size_t n_keys; /* 0 = can never match */
    int exact;
    int32_t from, to;
    size_t actor;
} ref_alias;
typedef struct ref_tok {
    ref_key fold, exact;
    size_t start, end, index, sentence, paragraph;
    int barrier_before; /* a barrier lies between the previous non-dash token and this one */
} ref_tok;

static void ref_keys(an_i_norm_buf *nb, const char *s, const an_i_token *t, unsigned flags,
                     ref_key *out) {
    const char *k;
    size_t n;
    unsigned f = flags | (t->kind == AN_I_TOK_ABBR ? AN_I_NORM_DROPDOTS : 0u);
    out->n = (size_t)-1; /* never equal */
    if (an_i_norm_key(nb, s + t->start, t->end - t->start, f, &k, &n) == AN_OK &&
        n < sizeof out->k) {
        memcpy(out->k, k, n);
        out->n = n;
    }
}

static int ref_eq(const ref_key *a, const ref_key *b) {
    return a->n == b->n && a->n != (size_t)-1 && memcmp(a->k, b->k, a->n) == 0;
}

static ref_alias ref_aliases[256];
static size_t ref_n_aliases;
static ref_tok ref_toks[REF_MAX_TOK * 8];
static size_t ref_counts[3]; /* tokens, sentences, paragraphs of the last ref_scan */

static void ref_compile(unsigned extra) {
    an_i_norm_buf nb = {0};
    ref_n_aliases = an_gazetteer_alias_count(gz);
    T_ASSERT(ref_n_aliases <= 256);
    for (size_t i = 0; i < ref_n_aliases && i < 256; i++) {
        an_alias_info al;
        T_OK(an_gazetteer_alias(gz, i, &al));
        ref_alias *r = &ref_aliases[i];
        memset(r, 0, sizeof *r);
        r->exact = al.policy == AN_CASE_EXACT;
        r->from = al.date_from;
        r->to = al.date_to;
        r->actor = al.actor;
        an_i_tokenizer tz;
        an_i_token t;
        an_i_tokenizer_init(&tz, al.text, strlen(al.text));
        int ok = 1;
        while (an_i_tokenizer_next(&tz, &t)) {
            if (t.barrier) ok = 0;
            if (t.kind == AN_I_TOK_DASH) continue;
            if (r->n_keys < 8)
                ref_keys(&nb, al.text, &t, extra | (r->exact ? 0u : AN_I_NORM_FOLD),
                         &r->keys[r->n_keys]);
            r->n_keys++;
        }
        if (tz.barrier || !ok || r->n_keys > 8) r->n_keys = 0;
    }
    an_i_norm_buf_free(&nb);
}

/* Mentions of text as "start-end:alias" joined by spaces. */
static void ref_scan(const char *text, size_t len, int32_t date, unsigned extra, char *out,
                     size_t cap) {
    an_i_norm_buf nb = {0};
    an_i_tokenizer tz;
    an_i_token t;
    size_t n = 0, w = 0;
    int barrier = 0;
    an_i_tokenizer_init(&tz, text, len);
    while (an_i_tokenizer_next(&tz, &t)) {
        if (t.barrier) barrier = 1;
        if (t.kind == AN_I_TOK_DASH) continue;
        if (n == sizeof ref_toks / sizeof ref_toks[0]) break;
        ref_tok *r = &ref_toks[n++];
        ref_keys(&nb, text, &t, extra | AN_I_NORM_FOLD, &r->fold);
        ref_keys(&nb, text, &t, extra, &r->exact);
        r->start = t.start;
        r->end = t.end;
        r->index = t.index;
        r->sentence = t.sentence;
        r->paragraph = t.paragraph;
        r->barrier_before = barrier;
        barrier = 0;
    }
    ref_counts[0] = tz.n_tokens;
    ref_counts[1] = an_i_tokenizer_sentences(&tz);
    ref_counts[2] = an_i_tokenizer_paragraphs(&tz);
    out[0] = '\0';
    for (size_t p = 0; p < n;) {
        size_t best = 0, best_len = 0;
        int best_exact = 0;
        for (size_t a = 0; a < ref_n_aliases; a++) {
            const ref_alias *al = &ref_aliases[a];
            size_t L = al->n_keys;
            if (!L || p + L > n) continue;
            if ((al->from || al->to) &&
                (!date || (al->from && date < al->from) || (al->to && date > al->to)))
                continue;
            size_t q;
            for (q = 0; q < L; q++) {
                const ref_tok *tk = &ref_toks[p + q];
                if (q && (tk->barrier_before || tk->sentence != ref_toks[p].sentence)) break;
                if (!ref_eq(al->exact ? &tk->exact : &tk->fold, &al->keys[q])) break;
            }
            if (q < L) continue;
            if (L > best_len || (L == best_len && al->exact && !best_exact)) {
                best = a;
                best_len = L;
                best_exact = al->exact;
            }
        }
        if (!best_len) {
            p++;
            continue;
        }
        w += (size_t)snprintf(out + w, cap - w, "%s%zu-%zu:%zu/%zu/%zu/%zu", w ? " " : "",
                              ref_toks[p].start, ref_toks[p + best_len - 1].end, best,
                              ref_toks[p].index, ref_toks[p].sentence, ref_toks[p].paragraph);
        p += best_len;
    }
    an_i_norm_buf_free(&nb);
}

/* The mentions as ref_scan writes them: "start-end:alias/token/sentence/paragraph". */
static void mentions_text(const an_mentions *m, char *out, size_t cap) {
    size_t w = 0;
    out[0] = '\0';
    for (size_t i = 0; i < m->count && w < cap; i++) {
        const an_mention *x = &m->items[i];
        w += (size_t)snprintf(out + w, cap - w, "%s%zu-%zu:%zu/%u/%u/%u", w ? " " : "", x->start,
                              x->end, x->alias, x->token, x->sentence, x->paragraph);
    }
}

static void reference(void) {
    static const char *const words[] = {
        "Russia", "russia", "RUSSIA", "U.S.", "US", "us", "Us", "U.N.", "UN", "the", "The", "of",
        "and", "United", "States", "Nations", "al", "Nusra", "Jabhat", "Front", "New", "York",
        "Times", "Square", "IS", "is", "Islamic", "State", "O'Brien", "O\xE2\x80\x99" "Brien",
        "C\xC3\xB4te", "COTE", "d'Ivoire", "Stra\xC3\x9F" "e", "STRASSE", "\xD0\xA0\xD0\xBE",
        "\xD1\x80\xD0\xBE", "Mr.", "W.", "George", "AT", "&", "T", ",", "Washington", "D.C.",
        "International", "internationally", "Internat", "Organisation", "Organisa", "Association", "Girl", "Guides"};
    static const char *const seps[] = {" ", " ", " ", " ", "-", " - ", "\xE2\x80\x91", ", ",
                                       ". ", "\n", "\n\n", "'s ", "\xE2\x80\x99s ", "\xff",
                                       "\x01", " \xE2\x80\x9C", "! ", "\t"};
    static const char *const dates[] = {"", "", "", "{2000-01-01..2009-12-31}", "{2010-01-01..}"};
    uint64_t r = 0xD1B54A32D192ED03ull;
#define RND() (r ^= r << 13, r ^= r >> 7, r ^= r << 17, r)
    static char tsv[16384], doc[2048], want[8192], got[8192];
    for (int g = 0; g < 200 && !an_t_failures; g++) {
        size_t n = (size_t)snprintf(tsv, sizeof tsv, "# id\tlabel\ttype\tparents\taliases\n");
        int n_actors = 1 + (int)(RND() % 12);
        for (int a = 0; a < n_actors; a++) {
            n += (size_t)snprintf(tsv + n, sizeof tsv - n, "A%d\tActor %d\tx\t\t", a, a);
            int n_al = 1 + (int)(RND() % 5);
            for (int k = 0; k < n_al; k++) {
                uint64_t m = RND() % 4;
                n += (size_t)snprintf(tsv + n, sizeof tsv - n, "%s%s", k ? "|" : "",
                                      m == 0 ? "=" : m == 1 ? "~" : "");
                int len = 1 + (int)(RND() % 4);
                for (int q = 0; q < len; q++) {
                    const char *wd = words[RND() % (sizeof words / sizeof words[0])];
                    if ((!strcmp(wd, ",") || !strcmp(wd, "&")) && (q == 0 || q == len - 1))
                        wd = "of";
                    n += (size_t)snprintf(tsv + n, sizeof tsv - n, "%s%s",
                                          q ? (RND() % 5 ? " " : "-") : "", wd);
                }
                n += (size_t)snprintf(tsv + n, sizeof tsv - n, "%s",
                                      dates[RND() % (sizeof dates / sizeof dates[0])]);
            }
            n += (size_t)snprintf(tsv + n, sizeof tsv - n, "\n");
        }
        int accent = (int)(RND() % 4 == 0);
        use(tsv, accent);
        if (!mt) break;
        unsigned extra = accent ? AN_I_NORM_STRIPMARK : 0u;
        ref_compile(extra);
        for (int d = 0; d < 150 && !an_t_failures; d++) {
            size_t len = 0;
            int k = (int)(RND() % REF_MAX_TOK);
            for (int i = 0; i < k; i++) {
                const char *wd = words[RND() % (sizeof words / sizeof words[0])];
                const char *sp = seps[RND() % (sizeof seps / sizeof seps[0])];
                size_t l1 = strlen(wd), l2 = strlen(sp);
                if (len + l1 + l2 > sizeof doc) break;
                memcpy(doc + len, wd, l1);
                memcpy(doc + len + l1, sp, l2);
                len += l1 + l2;
            }
            int32_t date = (int32_t)(RND() % 3 == 0 ? 0 : RND() % 2 ? 20050601 : 20150601);
            ref_scan(doc, len, date, extra, want, sizeof want);
            an_error err;
            T_OK(an_matcher_scan(mt, doc, len, date, &ms, &err));
            mentions_text(&ms, got, sizeof got);
            for (size_t i = 0; i < ms.count; i++)
                T_EQ_INT(ms.items[i].actor,
                         ref_aliases[ms.items[i].alias < 256 ? ms.items[i].alias : 0].actor);
            T_EQ_STR(got, want);
            T_EQ_INT(ms.n_tokens, ref_counts[0]);
            T_EQ_INT(ms.n_sentences, ref_counts[1]);
            T_EQ_INT(ms.n_paragraphs, ref_counts[2]);
            if (an_t_failures)
                fprintf(stderr, "gazetteer %d document %d:\n%s\n---\n%.*s\n", g, d, tsv,
                        (int)len, doc);
        }
    }
#undef RND
}

/* States with many children (the matcher sorts the children of states
 * with more than 16 by qsort, of smaller ones by insertion) against the
 * reference: up to 250 aliases that mostly start with one of three words,
 * so that the states after those words, fold and exact, have dozens of
 * children, and the states after their second words have some too. */
static void wide_states(void) {
    static const char *const heads[] = {"Gulf", "GULF", "New"};
    uint64_t r = 0x2545F4914F6CDD1Dull;
#define RND() (r ^= r << 13, r ^= r >> 7, r ^= r << 17, r)
    static char tsv[32768], doc[4096], want[8192], got[8192];
    size_t widest = 0;
    for (int g = 0; g < 40 && !an_t_failures; g++) {
        int n_words = 20 + (int)(RND() % 200); /* second and third words w0, w1, ... */
        size_t n = (size_t)snprintf(tsv, sizeof tsv, "# id\tlabel\ttype\tparents\taliases\n");
        int n_actors = 20 + (int)(RND() % 31); /* at most 250 aliases (ref_compile) */
        for (int a = 0; a < n_actors; a++) {
            n += (size_t)snprintf(tsv + n, sizeof tsv - n, "A%d\tActor %d\tx\t\t", a, a);
            int n_al = 3 + (int)(RND() % 3);
            for (int k = 0; k < n_al; k++) {
                uint64_t x = RND() % 10;
                const char *head = heads[x < 6 ? 0 : x < 8 ? 1 : 2];
                int len = RND() % 8 ? 2 : RND() % 2 ? 1 : 3;
                /* "GULF ..." is an exact-case alias, the others fold */
                n += (size_t)snprintf(tsv + n, sizeof tsv - n, "%s%s%s", k ? "|" : "",
                                      head[1] == 'U' ? "=" : "", head);
                for (int q = 1; q < len; q++)
                    n += (size_t)snprintf(tsv + n, sizeof tsv - n, " w%d",
                                          (int)(RND() % (uint64_t)n_words));
            }
            n += (size_t)snprintf(tsv + n, sizeof tsv - n, "\n");
        }
        use(tsv, 0);
        if (!mt) break;
        ref_compile(0);
        /* the widest state of this gazetteer, from the aliases: distinct
         * second keys after each head */
        {
            static char seen[3][256];
            memset(seen, 0, sizeof seen);
            for (size_t a = 0; a < ref_n_aliases; a++) {
                const ref_alias *al = &ref_aliases[a];
                if (al->n_keys < 2 || al->keys[1].n < 2) continue;
                int h = al->exact ? 1 : al->keys[0].k[0] == 'g' ? 0 : 2;
                seen[h][atoi(al->keys[1].k + 1) & 255] = 1;
            }
            for (int h = 0; h < 3; h++) {
                size_t k = 0;
                for (int i = 0; i < 256; i++) k += (size_t)seen[h][i];
                if (k > widest) widest = k;
            }
        }
        for (int d = 0; d < 100 && !an_t_failures; d++) {
            size_t len = 0;
            int k = (int)(RND() % REF_MAX_TOK);
            for (int i = 0; i < k; i++) {
                char wd[16];
                uint64_t x = RND() % 8;
                if (x < 3)
                    snprintf(wd, sizeof wd, "%s", x == 0 ? "Gulf" : x == 1 ? "GULF" : "new");
                else
                    snprintf(wd, sizeof wd, "w%d", (int)(RND() % (uint64_t)(n_words + 5)));
                const char *sp = RND() % 9 ? " " : ". ";
                size_t l1 = strlen(wd), l2 = strlen(sp);
                if (len + l1 + l2 > sizeof doc) break;
                memcpy(doc + len, wd, l1);
                memcpy(doc + len + l1, sp, l2);
                len += l1 + l2;
            }
            ref_scan(doc, len, 0, 0, want, sizeof want);
            an_error err;
            T_OK(an_matcher_scan(mt, doc, len, 0, &ms, &err));
            mentions_text(&ms, got, sizeof got);
            T_EQ_STR(got, want);
            if (an_t_failures)
                fprintf(stderr, "gazetteer %d document %d:\n%s\n---\n%.*s\n", g, d, tsv,
                        (int)len, doc);
        }
    }
    /* the gazetteers did give states far above 16 children */
    T_ASSERT(widest > 64);
#undef RND
}

/* A walk that ends at a punctuation token must not be taken up again by a
 * later token: "US, US-IS" is not the alias "US US IS" (regression test for
 * the matcher's held-aside start token). */
static void walk_after_punct(void) {
    use("A\tA\tx\t\t~US|~US US IS\nB\tB\tx\t\tFoo, Bar\n", 0);
    T_EQ_STR(scan("US US, US-IS"), "A:US A:US A:US");
    T_EQ_STR(scan("US US US-IS x"), "A:US A:US US-IS");
    T_EQ_STR(scan("US US. US IS"), "A:US A:US A:US");
}

/* Allocation failures: every failing allocation gives AN_ENOMEM and no leak
 * (run under ASan/valgrind), and the call eventually succeeds. */

static void oom(void) {
    an_matcher_destroy(mt);
    an_gazetteer_destroy(gz);
    mt = NULL;
    an_mentions_finish(&ms);
    an_allocator a = {t_malloc, t_realloc, t_free, NULL};
    an_set_allocator(&a);
    gz = load(GAZ);
    an_error err;
    int ok = 0;
    for (long k = 0; k < 10000 && !ok; k++) {
        an_matcher *m = NULL;
        fail_after = k;
        an_status st = an_matcher_compile(gz, NULL, &m, &err);
        fail_after = -1;
        if (st == AN_OK) {
            ok = 1;
            mt = m;
        } else {
            T_EQ_INT(st, AN_ENOMEM);
            T_ASSERT(m == NULL);
        }
    }
    T_ASSERT(ok);
    ok = 0;
    for (long k = 0; k < 10000 && !ok && mt; k++) {
        an_mentions m2;
        an_mentions_init(&m2);
        fail_after = k;
        an_status st = an_matcher_scan(mt, "Russia and the U.S. met. \xD0\xA0\xD0\xBE\xD1\x81\xD1\x81\xD0\xB8\xD1\x8F", 33, 0, &m2, &err);
        fail_after = -1;
        if (st == AN_OK) {
            ok = 1;
            T_EQ_INT(m2.count, 2);
        } else {
            T_EQ_INT(st, AN_ENOMEM);
            T_EQ_INT(m2.count, 0);
        }
        an_mentions_finish(&m2);
    }
    T_ASSERT(ok);
    an_matcher_destroy(mt);
    mt = NULL;
    an_gazetteer_destroy(gz);
    gz = NULL;
    an_set_allocator(NULL);
}

static const t_case cases[] = {
    {"basic", basic}, {"us_abbr", us_abbr}, {"un_abbr", un_abbr}, {"us_russian", us_russian},
    {"us_led", us_led}, {"russian_american", russian_american}, {"possessive", possessive},
    {"us_to", us_to}, {"comma_breaks", comma_breaks}, {"quotes_brackets", quotes_brackets},
    {"hyphen_alias", hyphen_alias}, {"longest", longest}, {"leftmost", leftmost},
    {"parent_child", parent_child}, {"tie_exact_first", tie_exact_first},
    {"tie_load_order", tie_load_order}, {"shared_alias", shared_alias},
    {"exact_vs_fold", exact_vs_fold}, {"dated", dated}, {"invalid_utf8", invalid_utf8},
    {"nul_bytes", nul_bytes}, {"offsets", offsets}, {"sentences", sentences},
    {"paragraphs", paragraphs}, {"crlf", crlf}, {"unicode_fold", unicode_fold},
    {"accent", accent}, {"no_cross_sentence", no_cross_sentence}, {"reuse", reuse},
    {"two_matchers", two_matchers}, {"unicode_word_cache", unicode_word_cache},
    {"unicode_word_cache_words", unicode_word_cache_words}, {"empty", empty}, {"random_docs", random_docs}, {"oom", oom},
    {"reference", reference}, {"wide_states", wide_states},
    {"walk_after_punct", walk_after_punct},
};

int main(int argc, char **argv) {
    an_mentions_init(&ms);
    int r = t_run_cases(cases, sizeof cases / sizeof cases[0], argc, argv);
    an_matcher_destroy(mt);
    an_gazetteer_destroy(gz);
    an_mentions_finish(&ms);
    if (r) return 1;
    T_DONE();
}
