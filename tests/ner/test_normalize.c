/* Match keys: the one normalisation used for aliases and text. */
#include "ner/normalize.h"
#include "test_util.h"
#include "cases.h"

static an_i_norm_buf nb;

/* Key of s with flags, as a static NUL-terminated string ("<error N>" on failure). */
static const char *key(const char *s, unsigned flags) {
    static char bufs[4][256];
    static int which;
    char *buf = bufs[which++ & 3];
    const char *k;
    size_t n;
    an_status st = an_i_norm_key(&nb, s, strlen(s), flags, &k, &n);
    if (st) {
        snprintf(buf, 256, "<error %d>", (int)st);
        return buf;
    }
    if (n >= 256) n = 255;
    memcpy(buf, k, n);
    buf[n] = '\0';
    return buf;
}

#define F AN_I_NORM_FOLD
#define D AN_I_NORM_DROPDOTS
#define M AN_I_NORM_STRIPMARK

static void ascii_fold(void) {
    T_EQ_STR(key("Russia", F), "russia");
    T_EQ_STR(key("NATO", F), "nato");
    T_EQ_STR(key("O'Brien", F), "o'brien");
    T_EQ_STR(key("G7", F), "g7");
}

static void ascii_exact(void) {
    T_EQ_STR(key("US", 0), "US");
    T_EQ_STR(key("Us", 0), "Us");
    T_ASSERT(strcmp(key("US", 0), key("us", 0)) != 0);
}

static void dropdots(void) {
    T_EQ_STR(key("U.S.", D), "US");
    T_EQ_STR(key("U.S.", D | F), "us");
    T_EQ_STR(key("U.N.", D), "UN");
    T_EQ_STR(key("С.Ш.А.", D), "США"); /* Cyrillic, Unicode path */
    T_EQ_STR(key("С.Ш.А.", D | F), "сша");
}

static void apostrophes(void) {
    T_EQ_STR(key("O\xE2\x80\x99" "Brien", F), "o'brien");   /* U+2019 */
    T_EQ_STR(key("O\xE2\x80\x98" "Brien", F), "o'brien");   /* U+2018 */
    T_EQ_STR(key("O\xCA\xBC" "Brien", 0), "O'Brien");      /* U+02BC */
    T_EQ_STR(key("\xE2\x80\x99s", F), "'s");
    T_EQ_STR(key("d\xE2\x80\x99Ivoire", F), key("d'Ivoire", F));
}

static void turkish_i(void) {
    T_EQ_STR(key("İstanbul", F), "istanbul");
    T_EQ_STR(key("ISTANBUL", F), "istanbul");
    T_EQ_STR(key("İSTANBUL", F), key("Istanbul", F));
    T_EQ_STR(key("İstanbul", 0), "İstanbul"); /* exact keeps the dotted capital */
}

static void sharp_s(void) {
    T_EQ_STR(key("STRASSE", F), "strasse");
    T_EQ_STR(key("straße", F), "strasse");
    T_EQ_STR(key("STRAẞE", F), "strasse"); /* capital sharp s */
    T_EQ_STR(key("straße", 0), "straße");
}

static void cyrillic(void) {
    T_EQ_STR(key("Россия", F), "россия");
    T_EQ_STR(key("РОССИЯ", F), "россия");
    T_ASSERT(strcmp(key("Россия", 0), key("РОССИЯ", 0)) != 0);
}

static void greek(void) {
    T_EQ_STR(key("ΕΛΛΆΔΑ", F), key("Ελλάδα", F));
    T_EQ_STR(key("ΕΛΛΆΔΑ", F), "ελλάδα");
    T_EQ_STR(key("ΚΥΠΡΟΣ", F), key("Κυπρος", F)); /* final sigma folds to σ */
    T_ASSERT(strcmp(key("ΕΛΛΑΔΑ", F), key("Ελλάδα", F)) != 0); /* accent kept */
}

static void arabic(void) {
    T_EQ_STR(key("داعش", F), "داعش");
    T_EQ_STR(key("داعش", 0), "داعش");
}

static void nfkc(void) {
    T_EQ_STR(key("ＮＡＴＯ", F), "nato");  /* fullwidth */
    T_EQ_STR(key("ﬁnance", F), "finance"); /* ligature */
    /* composed and decomposed forms give the same key, folded or not */
    T_EQ_STR(key("Sergue\xC3\xAF", F), key("Sergue" "i\xCC\x88", F));
    T_EQ_STR(key("Sergue\xC3\xAF", 0), key("Sergue" "i\xCC\x88", 0));
}

static void stripmark(void) {
    T_EQ_STR(key("Sergueï", F | M), "serguei");
    T_EQ_STR(key("Sergueï", F | M), key("Serguei", F | M));
    T_ASSERT(strcmp(key("Sergueï", F), key("Serguei", F)) != 0);
    T_EQ_STR(key("Ελλάδα", F | M), key("ΕΛΛΑΔΑ", F | M));
    T_EQ_STR(key("Zürich", M), "Zurich");
}

static void ignorables(void) {
    T_EQ_STR(key("Al\xC2\xAD" "Qaeda", F), "alqaeda"); /* soft hyphen */
}

static void invalid(void) {
    const char *k;
    size_t n;
    T_EQ_INT(an_i_norm_key(&nb, "a\xff", 2, F, &k, &n), AN_EINVAL);
}

static void hash(void) {
    T_EQ_INT(an_i_key_hash("russia", 6), an_i_key_hash("russia", 6));
    T_ASSERT(an_i_key_hash("russia", 6) != an_i_key_hash("russib", 6));
    T_ASSERT(an_i_key_hash("abcdefgh1", 9) != an_i_key_hash("abcdefgh2", 9));
    T_ASSERT(an_i_key_hash("a", 1) != an_i_key_hash("a\0", 2));
}

static const t_case cases[] = {
    {"ascii_fold", ascii_fold}, {"ascii_exact", ascii_exact}, {"dropdots", dropdots},
    {"apostrophes", apostrophes}, {"turkish_i", turkish_i}, {"sharp_s", sharp_s},
    {"cyrillic", cyrillic}, {"greek", greek}, {"arabic", arabic}, {"nfkc", nfkc},
    {"stripmark", stripmark}, {"ignorables", ignorables}, {"invalid", invalid},
    {"hash", hash},
};

int main(int argc, char **argv) {
    int r = t_run_cases(cases, sizeof cases / sizeof cases[0], argc, argv);
    an_i_norm_buf_free(&nb);
    if (r) return 1;
    T_DONE();
}
