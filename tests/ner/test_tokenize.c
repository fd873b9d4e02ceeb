/* Tokenizer and sentence/paragraph segmenter. */
#include <utf8proc.h>

#include "ner/tokenize.h"
#include "test_util.h"
#include "cases.h"

typedef struct collect {
    const char *text;
    char out[2048];
    size_t n;
    an_i_token toks[256];
    size_t n_toks;
} collect;

static int on_token(void *ctx, const an_i_token *t) {
    collect *c = ctx;
    if (c->n_toks < 256) c->toks[c->n_toks++] = *t;
    int w = snprintf(c->out + c->n, sizeof c->out - c->n, "%s%.*s", c->n ? "|" : "",
                     (int)(t->end - t->start), c->text + t->start);
    if (w > 0 && (size_t)w < sizeof c->out - c->n) c->n += (size_t)w;
    return 0;
}

static collect C;

/* Tokens of text joined by '|'. */
static const char *toks_n(const char *text, size_t len) {
    memset(&C, 0, sizeof C);
    C.text = text;
    an_i_tokenize(text, len, on_token, &C);
    return C.out;
}
static const char *toks(const char *text) { return toks_n(text, strlen(text)); }

/* Token kinds as letters: W word, A abbreviation, S possessive, P punct, D dash. */
static const char *kinds(const char *text) {
    static char k[256];
    toks(text);
    size_t i;
    for (i = 0; i < C.n_toks && i < sizeof k - 1; i++) k[i] = "WASPD"[C.toks[i].kind];
    k[i] = '\0';
    return k;
}

/* Sentences as the text between their first and last token, joined by " || ";
 * paragraphs start with "¶ ". */
static const char *sents_n(const char *text, size_t len) {
    static char out[2048];
    size_t n = 0;
    toks_n(text, len);
    out[0] = '\0';
    for (size_t i = 0; i < C.n_toks; i++) {
        size_t j = i;
        while (j + 1 < C.n_toks && C.toks[j + 1].sentence == C.toks[i].sentence) j++;
        int newpara = i > 0 && C.toks[i].paragraph != C.toks[i - 1].paragraph;
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%s%.*s", i ? " || " : "",
                              newpara ? "\xC2\xB6 " : "", (int)(C.toks[j].end - C.toks[i].start),
                              text + C.toks[i].start);
        i = j;
    }
    return out;
}
static const char *sents(const char *text) { return sents_n(text, strlen(text)); }

static void words(void) {
    T_EQ_STR(toks("Russia and  the\tUnited States"), "Russia|and|the|United|States");
    T_EQ_STR(toks("G7 summit, 2014"), "G7|summit|,|2014");
    T_EQ_STR(kinds("G7 summit, 2014"), "WWPW");
    T_EQ_STR(toks("Zürich Ελλάδα Россия داعش"), "Zürich|Ελλάδα|Россия|داعش");
    T_EQ_STR(toks("Sergue\x69\xCC\x88v"), "Sergue\x69\xCC\x88v"); /* combining mark inside */
}

static void abbr_us(void) {
    T_EQ_STR(toks("the U.S. said"), "the|U.S.|said");
    T_EQ_STR(kinds("the U.S. said"), "WAW");
    T_EQ_STR(toks("U.S.A."), "U.S.A.");
    T_EQ_STR(toks("e.g., this"), "e.g.|,|this");
}

static void abbr_un_uk(void) {
    T_EQ_STR(toks("U.N. and U.K. envoys"), "U.N.|and|U.K.|envoys");
    T_EQ_STR(kinds("U.N. and U.K. envoys"), "AWAW");
}

static void abbr_glued(void) {
    T_EQ_STR(toks("U.S.To"), "U.S.|To");
    T_EQ_STR(kinds("U.S.To"), "AW");
    T_EQ_STR(toks("Washington.Moscow"), "Washington|.|Moscow");
}

static void abbr_initial(void) {
    T_EQ_STR(toks("George W. Bush"), "George|W.|Bush");
    T_EQ_STR(kinds("George W. Bush"), "WAW");
    T_EQ_STR(toks("in 2014. Then"), "in|2014|.|Then"); /* digits are not initials */
}

static void hyphen_us_russian(void) {
    T_EQ_STR(toks("U.S.-Russian talks"), "U.S.|-|Russian|talks");
    T_EQ_STR(kinds("U.S.-Russian talks"), "ADWW");
}

static void hyphen_us_led(void) {
    T_EQ_STR(toks("US-led coalition"), "US|-|led|coalition");
    T_EQ_STR(kinds("US-led coalition"), "WDWW");
}

static void hyphen_russian_american(void) {
    T_EQ_STR(toks("Russian-American"), "Russian|-|American");
    T_EQ_STR(kinds("Russian-American"), "WDW");
}

static void unicode_dashes(void) {
    /* ‐ ‑ – — − */
    T_EQ_STR(toks("a\xE2\x80\x90" "b\xE2\x80\x91" "c\xE2\x80\x93" "d\xE2\x80\x94" "e\xE2\x88\x92" "f"),
             "a|\xE2\x80\x90|b|\xE2\x80\x91|c|\xE2\x80\x93|d|\xE2\x80\x94|e|\xE2\x88\x92|f");
    T_EQ_STR(kinds("a\xE2\x80\x90" "b\xE2\x80\x91" "c\xE2\x80\x93" "d\xE2\x80\x94" "e\xE2\x88\x92" "f"),
             "WDWDWDWDWDW");
    T_EQ_STR(kinds("al\xE2\x80\x91Nusra"), "WDW");
}

static void possessive_ascii(void) {
    T_EQ_STR(toks("Russia's army"), "Russia|'s|army");
    T_EQ_STR(kinds("Russia's army"), "WSW");
    T_EQ_STR(toks("RUSSIA'S"), "RUSSIA|'S");
    T_EQ_STR(toks("the U.S.'s role"), "the|U.S.|'s|role");
    T_EQ_STR(kinds("the U.S.'s role"), "WASW");
    T_EQ_STR(toks("Russia's."), "Russia|'s|.");
}

static void possessive_curly(void) {
    T_EQ_STR(toks("Russia\xE2\x80\x99s army"), "Russia|\xE2\x80\x99s|army");
    T_EQ_STR(toks("Kerry\xE2\x80\x99s visit"), "Kerry|\xE2\x80\x99s|visit");
    T_EQ_STR(kinds("Kerry\xE2\x80\x99s visit"), "WSW");
}

static void possessive_plural(void) {
    T_EQ_STR(toks("the Russians' view"), "the|Russians|'|view");
    T_EQ_STR(kinds("the Russians' view"), "WWPW");
    T_EQ_STR(toks("the Russians\xE2\x80\x99 view"), "the|Russians|\xE2\x80\x99|view");
}

static void internal_apostrophe(void) {
    T_EQ_STR(toks("O'Brien and O\xE2\x80\x99Neill"), "O'Brien|and|O\xE2\x80\x99Neill");
    T_EQ_STR(toks("C\xC3\xB4te d\xE2\x80\x99Ivoire"), "C\xC3\xB4te|d\xE2\x80\x99Ivoire");
    T_EQ_STR(toks("O'Brien's"), "O'Brien|'s");
    T_EQ_STR(toks("don't"), "don't");
    T_EQ_STR(toks("it's"), "it|'s");
    T_EQ_STR(toks("'s here"), "'|s|here"); /* not after a token: a quote */
}

static void quotes_brackets(void) {
    T_EQ_STR(toks("\"Russia\" (Moscow) [x] 'US' \xE2\x80\x9CNATO\xE2\x80\x9D \xC2\xABUE\xC2\xBB"),
             "\"|Russia|\"|(|Moscow|)|[|x|]|'|US|'|\xE2\x80\x9C|NATO|\xE2\x80\x9D|\xC2\xAB|UE|\xC2\xBB");
    T_EQ_STR(toks("\xE2\x80\x98Russia\xE2\x80\x99 said"), "\xE2\x80\x98|Russia|\xE2\x80\x99|said");
    T_EQ_STR(kinds("\xE2\x80\x98Russia\xE2\x80\x99 said"), "PWPW");
}

static void invalid_utf8(void) {
    T_EQ_STR(toks("Rus\xffsia"), "Rus|sia");
    T_EQ_STR(toks("\xc3(abc \xe2\x82 x \xed\xa0\x80 y \xc0\xaf z \xf4\x90\x80\x80"), "(|abc|x|y|z");
    toks("Rus\xffsia");
    T_EQ_INT(C.toks[1].barrier, 1);
    T_EQ_INT(C.toks[0].barrier, 0);
    toks("a\xe2\x82"); /* truncated at the end */
    T_EQ_INT(C.n_toks, 1);
    /* three-byte forms around the inline decoder's bounds: overlong (E0 80..9F),
     * surrogate (ED A0..BF) and truncated ones separate tokens, the first
     * valid E0 and ED forms are letters (U+0915, U+D7B0) */
    T_EQ_STR(toks("k\xe0\x80\x80z \xe0\x9f\xbfy \xed\xbf\xbfw \xe0\xa4\x95x \xed\x9e\xb0v \xe4\xb8"),
             "k|z|y|w|\xe0\xa4\x95x|\xed\x9e\xb0v");
}

static void nul_bytes(void) {
    const char text[] = "Russia\0Moscow \0 x";
    T_EQ_STR(toks_n(text, sizeof text - 1), "Russia|Moscow|x");
    T_EQ_INT(C.toks[1].barrier, 1);
    T_EQ_INT(C.toks[1].start, 7);
}

static void cjk(void) {
    T_EQ_STR(toks("中国外交部"), "中|国|外|交|部");
    T_EQ_STR(toks("G7中国"), "G7|中|国");
}

/* Every code point of three UTF-8 bytes (U+0800..U+FFFF, no surrogates)
 * between two letters, tokenized twice (its class is cached on first sight
 * and read back on the second): the tokens follow its Unicode category as
 * docs/matching.md says, both times. Code points with a rule of their own
 * (dashes, apostrophes, joiners, line and paragraph separators, zero-width
 * spaces) are checked by the cases above and skipped here. */
static void three_byte_classes(void) {
    static const int32_t own_rule[] = {0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015,
                                       0x2019, 0x2028, 0x2029, 0x200B, 0x200C, 0x200D,
                                       0x2060, 0x2212, 0xFE58, 0xFE63, 0xFEFF, 0xFF07, 0xFF0D};
    size_t checked = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int32_t cp = 0x800; cp < 0x10000; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) continue;
            int skip = 0;
            for (size_t i = 0; i < sizeof own_rule / sizeof own_rule[0]; i++) skip |= cp == own_rule[i];
            if (skip) continue;
            char text[8], ch[4];
            ch[0] = (char)(0xE0 | (cp >> 12));
            ch[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            ch[2] = (char)(0x80 | (cp & 0x3F));
            ch[3] = '\0';
            snprintf(text, sizeof text, "a%sb", ch);
            char want[16];
            int cjk = (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
                      (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF);
            switch (utf8proc_category(cp)) {
            case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
            case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
            case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
            case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
                snprintf(want, sizeof want, cjk ? "a|%s|b" : "a%sb", ch);
                break;
            case UTF8PROC_CATEGORY_ZS:
                snprintf(want, sizeof want, "a|b");
                break;
            default:
                snprintf(want, sizeof want, "a|%s|b", ch);
                break;
            }
            const char *got = toks(text);
            if (strcmp(got, want) != 0) T_FAIL("U+%04X (pass %d): %s, want %s", (unsigned)cp, pass, got, want);
            checked++;
        }
    }
    T_ASSERT(checked > 120000);
}

static void sent_basic(void) {
    T_EQ_STR(sents("Russia protested. The U.N. met! Why? Because."),
             "Russia protested. || The U.N. met! || Why? || Because.");
}

static void sent_mr(void) {
    T_EQ_STR(sents("Mr. Kerry met Mrs. Clinton and Dr. Smith. Then"),
             "Mr. Kerry met Mrs. Clinton and Dr. Smith. || Then");
    T_EQ_STR(sents("MR. KERRY left."), "MR. KERRY left.");
}

static void sent_gen_sept(void) {
    T_EQ_STR(sents("Gen. Petraeus spoke on Sept. 11 in St. Louis. No. 10 agreed. Acme Inc. Said"),
             "Gen. Petraeus spoke on Sept. 11 in St. Louis. || No. 10 agreed. || Acme Inc. Said");
    /* "No." is an abbreviation only before a number */
    T_EQ_STR(sents("He said no. Then left. Resolution Nos. 5 and 6."),
             "He said no. || Then left. || Resolution Nos. 5 and 6.");
    T_EQ_STR(sents("GEN. SMITH and gen. smith. And"), "GEN. SMITH and gen. smith. || And");
}

static void sent_initials(void) {
    T_EQ_STR(sents("George W. Bush and J. R. R. Tolkien met."), "George W. Bush and J. R. R. Tolkien met.");
}

static void sent_abbr_us(void) {
    T_EQ_STR(sents("He flew to the U.S. Then he left."), "He flew to the U.S. Then he left.");
    T_EQ_STR(sents("He flew to the U.S.\n\nThen he left."), "He flew to the U.S. || \xC2\xB6 Then he left.");
}

static void sent_lowercase(void) {
    T_EQ_STR(sents("It cost 3.5 bn. and more... and so on. 2015 was"),
             "It cost 3.5 bn. and more... and so on. || 2015 was");
}

static void sent_quotes(void) {
    T_EQ_STR(sents("He said \"never.\" Then (it ended.) And \xE2\x80\x9Cyes!\xE2\x80\x9D Fine"),
             "He said \"never.\" || Then (it ended.) || And \xE2\x80\x9Cyes!\xE2\x80\x9D || Fine");
    T_EQ_STR(sents("It ended. \"Next\" came"), "It ended. || \"Next\" came");
}

static void sent_newline(void) {
    T_EQ_STR(sents("The talks\ncontinued in\nGeneva. Russia\nagreed."),
             "The talks\ncontinued in\nGeneva. || Russia\nagreed.");
    toks("a\nb");
    T_EQ_INT(C.toks[1].paragraph, 0);
}

static void paragraphs(void) {
    T_EQ_STR(sents("\n\nFirst one\n\nSecond one\n \t\n\nThird"),
             "First one || \xC2\xB6 Second one || \xC2\xB6 Third");
    T_EQ_INT(C.toks[0].paragraph, 0);
    T_EQ_INT(C.toks[2].paragraph, 1);
    T_EQ_INT(C.toks[4].paragraph, 2);
    T_EQ_INT(C.toks[4].sentence, 2);
    an_i_tokenizer t;
    an_i_token tok;
    const char *text = "Ab cd.\n\nCd ef. Ef gh.\n\n";
    an_i_tokenizer_init(&t, text, strlen(text));
    while (an_i_tokenizer_next(&t, &tok)) {}
    T_EQ_INT(an_i_tokenizer_paragraphs(&t), 2);
    T_EQ_INT(an_i_tokenizer_sentences(&t), 3);
    /* a line holding a junk byte is not blank */
    T_EQ_STR(sents("one\n\xff\ntwo"), "one\n\xff\ntwo");
    /* U+2029 paragraph separator */
    T_EQ_STR(sents("one\xE2\x80\xA9two"), "one || \xC2\xB6 two");
}

static void crlf(void) {
    T_EQ_STR(sents("First one\r\nstill first\r\n\r\nSecond"),
             "First one\r\nstill first || \xC2\xB6 Second");
    T_EQ_STR(sents("One.\r\nTwo"), "One. || Two");
    T_EQ_STR(toks("a\r\nb"), "a|b");
}

static void cr_only(void) {
    T_EQ_STR(sents("First\rstill\r\rSecond"), "First\rstill || \xC2\xB6 Second");
    /* \r\n counts as one line end: one \r\n inside a paragraph is not a break */
    T_EQ_STR(sents("a\r\nb"), "a\r\nb");
}

static void empty(void) {
    T_EQ_STR(toks(""), "");
    T_EQ_STR(toks(" \n\n\t "), "");
    an_i_tokenizer t;
    an_i_token tok;
    an_i_tokenizer_init(&t, NULL, 0);
    T_EQ_INT(an_i_tokenizer_next(&t, &tok), 0);
    T_EQ_INT(an_i_tokenizer_sentences(&t), 0);
    T_EQ_INT(an_i_tokenizer_paragraphs(&t), 0);
}

/* Every token is non-empty, ordered, inside the text, and only whitespace or
 * invalid bytes lie between tokens. */
static void offsets_cover(void) {
    const char text[] = "Le pr\xC3\xA9sident d\xE2\x80\x99" "Erdo\xC4\x9F" "an\xE2\x80\x94"
                        "et l\xE2\x80\x99ONU\xC2\xA0: \xC2\xAB\xC2\xA0oui\xC2\xA0\xC2\xBB, U.S.-led\xff!";
    toks_n(text, sizeof text - 1);
    size_t prev = 0;
    for (size_t i = 0; i < C.n_toks; i++) {
        T_ASSERT(C.toks[i].start < C.toks[i].end);
        T_ASSERT(C.toks[i].start >= prev);
        T_ASSERT(C.toks[i].end <= sizeof text - 1);
        T_EQ_INT(C.toks[i].index, i);
        for (size_t b = prev; b < C.toks[i].start; b++) {
            unsigned char c = (unsigned char)text[b];
            T_ASSERT(c == ' ' || c == 0xC2 || c == 0xA0 || c == 0xff);
        }
        prev = C.toks[i].end;
    }
    T_EQ_STR(C.out, "Le|pr\xC3\xA9sident|d\xE2\x80\x99" "Erdo\xC4\x9F" "an|\xE2\x80\x94|et|"
                    "l\xE2\x80\x99ONU|:|\xC2\xAB|oui|\xC2\xBB|,|U.S.|-|led|!");
}

/* an_i_tokenizer_next_fast() must give exactly the tokens, sentences and
 * paragraphs of an_i_tokenizer_next() on any input: random documents built
 * from pieces that hit every branch of the fast path and every way out of it
 * (words of 1..20 bytes, words glued to dots, apostrophes, non-ASCII,
 * abbreviations, terminators, closers, line ends, control bytes). */
static void fast_equals_slow(void) {
    static const char *const parts[] = {
        "a", "I", "zebra", "Mr", "No", "no", "Gen", "U", "S", "x1", "2014", "Russia", "States",
        "internationally", "Organisation2345678", "abcdefgh", "ABCDEFGHIJKLMNOP", " ", " ", " ",
        "  ", "\t", "\n", "\n\n", "\r\n", "\r", ".", ". ", "!", "?", "\"", "'", "'s", "(", ")", "[",
        "]", "{", "}", ",", ";", ":", "-", "_", "@", "`", "~", "/", "\\", "#", "\x7f", "\x01", "\xff",
        "\xc3", "\xC3\xA9", "\xE2\x80\x99", "\xE2\x80\x99s", "\xE2\x80\x94", "\xE2\x80\xA9",
        "\xE2\x80\x9D", "\xC2\xA0", "\xE4\xB8\xAD", "\xD0\xA0\xD0\xBE", "\0", "\xE2\x80\xA6"};
    uint64_t r = 0x2545F4914F6CDD1Dull;
    static char doc[1024];
    long n_w8 = 0;
    for (int d = 0; d < 20000 && !an_t_failures; d++) {
        size_t n = 0;
        r ^= r << 13; r ^= r >> 7; r ^= r << 17;
        int k = (int)(r % 120);
        for (int i = 0; i < k; i++) {
            r ^= r << 13; r ^= r >> 7; r ^= r << 17;
            const char *p = parts[r % (sizeof parts / sizeof parts[0])];
            size_t l = p[0] ? strlen(p) : 1; /* "\0" is one NUL byte */
            if (n + l > sizeof doc) break;
            memcpy(doc + n, p, l);
            n += l;
        }
        an_i_tokenizer a, b;
        an_i_token ta, tb;
        an_i_tokenizer_init(&a, doc, n);
        an_i_tokenizer_init(&b, doc, n);
        for (;;) {
            uint64_t w8;
            int ra = an_i_tokenizer_next(&a, &ta), rb = an_i_tokenizer_next_fast_w(&b, &tb, &w8);
            T_EQ_INT(ra, rb);
            if (!ra || !rb) break;
            if (w8) { /* the token's bytes, zero-padded */
                uint64_t want = 0;
                T_ASSERT(tb.ascii && tb.end - tb.start < 8);
                T_ASSERT(tb.kind == AN_I_TOK_WORD ||
                         (tb.kind == AN_I_TOK_PUNCT && tb.end - tb.start == 1));
                for (size_t i = tb.start; i < tb.end && i - tb.start < 8; i++)
                    want |= (uint64_t)(unsigned char)doc[i] << (8 * (i - tb.start));
                T_EQ_INT(w8, want);
                n_w8++;
            }
            T_EQ_INT(ta.start, tb.start);
            T_EQ_INT(ta.end, tb.end);
            T_EQ_INT(ta.index, tb.index);
            T_EQ_INT(ta.sentence, tb.sentence);
            T_EQ_INT(ta.paragraph, tb.paragraph);
            T_EQ_INT(ta.kind, tb.kind);
            T_EQ_INT(ta.ascii, tb.ascii);
            T_EQ_INT(ta.barrier, tb.barrier);
            if (an_t_failures) break;
        }
        T_EQ_INT(an_i_tokenizer_sentences(&a), an_i_tokenizer_sentences(&b));
        T_EQ_INT(an_i_tokenizer_paragraphs(&a), an_i_tokenizer_paragraphs(&b));
        if (an_t_failures) fprintf(stderr, "document %d (%zu bytes) differs\n", d, n);
    }
    T_ASSERT(n_w8 > 1000); /* the fast path was taken */
}

/* The fast path's inline abbreviation check agrees with an_i_abbrev_word()
 * on every listed word in three casings and on random short words. */
static void abbrev_w8_equals_word(void) {
    static const char alpha[] = "anosmrgtdcpeuivNOSMRGTDCPEUIV019";
    unsigned char w[8];
    long n_hits = 0;
    for (int l = 0; l < 26; l++)
        for (int i = 0; i < 10; i++) {
            size_t n = strlen(an_i_abbrev_words[l][i]);
            for (int form = 0; n && form < 3; form++) {
                for (size_t j = 0; j < n; j++) {
                    unsigned char ch = (unsigned char)an_i_abbrev_words[l][i][j];
                    w[j] = (form == 2 || (form == 1 && j == 0)) ? (unsigned char)(ch - 32) : ch;
                }
                uint64_t w8 = 0;
                memcpy(&w8, w, n);
                T_EQ_INT(an_i_abbrev_w8(w8, n), an_i_abbrev_word(w, n));
                n_hits += an_i_abbrev_w8(w8, n) != 0;
            }
        }
    uint64_t r = 0x9E3779B97F4A7C15ull;
    for (int k = 0; k < 200000 && !an_t_failures; k++) {
        r ^= r << 13; r ^= r >> 7; r ^= r << 17;
        size_t n = 1 + (size_t)(r % 7);
        for (size_t j = 0; j < n; j++) w[j] = (unsigned char)alpha[(r >> (8 + 5 * j)) % (sizeof alpha - 1)];
        uint64_t w8 = 0;
        memcpy(&w8, w, n);
        T_EQ_INT(an_i_abbrev_w8(w8, n), an_i_abbrev_word(w, n));
        n_hits += an_i_abbrev_w8(w8, n) != 0;
    }
    T_ASSERT(n_hits > 200);
}

/* Terminators glued to abbreviation words, numbers after "No." and runs
 * of dots, far enough from the end of the text (17 bytes) that the fast
 * path handles them itself: sentence numbers as an_i_tokenizer_next(). */
static void fast_terminators(void) {
    static const char doc[] =
        "He met Mr. Smith. No. 5 is here! Is it? yes. Gen. Lee said no. 10 left... Then "
        "Sept. came . Then x.y? End! (Go.) Done. and so on and so forth, padding padding";
    /* He met Mr. Smith. | No. 5 is here! | Is it? yes. | Gen. Lee said no. 10 left... |
     * Then Sept. came . | Then x.y? | End! | (Go.) | Done. and so on ... */
    static const size_t want_sent[] = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2,
                                       3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 5,
                                       5, 5, 5, 6, 6, 7, 7, 7, 7, 8, 8, 8};
    an_i_tokenizer a, b;
    an_i_token ta, tb;
    size_t n = 0;
    an_i_tokenizer_init(&a, doc, sizeof doc - 1);
    an_i_tokenizer_init(&b, doc, sizeof doc - 1);
    while (an_i_tokenizer_next(&a, &ta)) {
        uint64_t w8;
        T_ASSERT(an_i_tokenizer_next_fast_w(&b, &tb, &w8));
        T_EQ_INT(ta.start, tb.start);
        T_EQ_INT(ta.sentence, tb.sentence);
        if (n < sizeof want_sent / sizeof want_sent[0]) T_EQ_INT(tb.sentence, want_sent[n]);
        n++;
    }
    T_ASSERT(n > sizeof want_sent / sizeof want_sent[0]);
}

static const t_case cases[] = {
    {"words", words}, {"abbr_us", abbr_us}, {"abbr_un_uk", abbr_un_uk},
    {"abbr_glued", abbr_glued}, {"abbr_initial", abbr_initial},
    {"hyphen_us_russian", hyphen_us_russian}, {"hyphen_us_led", hyphen_us_led},
    {"hyphen_russian_american", hyphen_russian_american}, {"unicode_dashes", unicode_dashes},
    {"possessive_ascii", possessive_ascii}, {"possessive_curly", possessive_curly},
    {"possessive_plural", possessive_plural}, {"internal_apostrophe", internal_apostrophe},
    {"quotes_brackets", quotes_brackets}, {"invalid_utf8", invalid_utf8},
    {"nul_bytes", nul_bytes}, {"cjk", cjk}, {"sent_basic", sent_basic}, {"sent_mr", sent_mr},
    {"sent_gen_sept", sent_gen_sept}, {"sent_initials", sent_initials},
    {"sent_abbr_us", sent_abbr_us}, {"sent_lowercase", sent_lowercase},
    {"sent_quotes", sent_quotes}, {"sent_newline", sent_newline}, {"paragraphs", paragraphs},
    {"crlf", crlf}, {"cr_only", cr_only}, {"empty", empty}, {"offsets_cover", offsets_cover},
    {"fast_equals_slow", fast_equals_slow}, {"fast_terminators", fast_terminators},
    {"abbrev_w8_equals_word", abbrev_w8_equals_word}, {"three_byte_classes", three_byte_classes},
};

T_CASES_MAIN(cases)
