/* actornet — tokenizer and segmenter (rules in tokenize.h, docs/matching.md). */
#include "tokenize.h"

#include <stdatomic.h>
#include <string.h>
#include <utf8proc.h>

enum {
    C_WORD, C_SPACE, C_LF, C_CR, C_APOS, C_DOT, C_DASH, C_PUNCT, C_CTRL,
    C_HIGH,  /* ASCII table only: decode first */
    C_CJK,   /* one code point = one word token */
    C_JOIN,  /* soft hyphen, ZWJ, ZWNJ, word joiner: stays inside a word */
    C_PARA   /* U+2029 */
};

#define W C_WORD
#define S C_SPACE
#define P C_PUNCT
#define X C_CTRL
static const unsigned char ascii_class[128] = {
    X, X, X, X, X, X, X, X, X, S, C_LF, S, S, C_CR, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    S, P, P, P, P, P, P, C_APOS, P, P, P, P, P, C_DASH, C_DOT, P,
    W, W, W, W, W, W, W, W, W, W, P, P, P, P, P, P,
    P, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,
    W, W, W, W, W, W, W, W, W, W, W, P, P, P, P, P,
    P, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,
    W, W, W, W, W, W, W, W, W, W, W, P, P, P, P, X,
};
#undef W
#undef S
#undef P
#undef X

#define A AN_I_FAST_ALNUM
#define F AN_I_FAST_PUNCT
#define T AN_I_FAST_TERM
const unsigned char an_i_tok_fast[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, AN_I_FAST_SPACE, AN_I_FAST_LF, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /*   !  "  #  $  %  &  '  (  )  *  +  ,  -  .  / */
    AN_I_FAST_SPACE, T, 0, F, F, F, F, 0, F, 0, F, F, F, 0, T, F,
    A, A, A, A, A, A, A, A, A, A, F, F, F, F, F, T, /* 0-9 : ; < = > ? */
    F, A, A, A, A, A, A, A, A, A, A, A, A, A, A, A, /* @ A-O */
    A, A, A, A, A, A, A, A, A, A, A, F, F, 0, F, F, /* P-Z [ \ ] ^ _ */
    F, A, A, A, A, A, A, A, A, A, A, A, A, A, A, A, /* ` a-o */
    A, A, A, A, A, A, A, A, A, A, A, F, F, 0, F, 0, /* p-z { | } ~ DEL */
};
#undef A
#undef F
#undef T

/* The bytes after which an ASCII word leaves the fast path or needs a look:
 * '\'' (0x27), '.' (0x2E) and 0x80..0xFF (tokenize.h). */
const unsigned char an_i_after_word[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

const uint64_t an_i_w8_mask[16] = {
    0, 0xFFull, 0xFFFFull, 0xFFFFFFull, 0xFFFFFFFFull, 0xFFFFFFFFFFull, 0xFFFFFFFFFFFFull,
    0xFFFFFFFFFFFFFFull, 0, 0, 0, 0, 0, 0, 0, 0};

int an_i_utf8_decode(const unsigned char *s, size_t n, int32_t *cp) {
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    if (c < 0xC2) return 0; /* continuation byte or overlong 2-byte lead */
    if (c < 0xE0) {
        if (n < 2 || (s[1] & 0xC0) != 0x80) return 0;
        *cp = (int32_t)(((c & 0x1Fu) << 6) | (s[1] & 0x3Fu));
        return 2;
    }
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
        uint32_t v = ((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
        if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF)) return 0;
        *cp = (int32_t)v;
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        uint32_t v = ((c & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) |
                     (s[3] & 0x3Fu);
        if (v < 0x10000 || v > 0x10FFFF) return 0;
        *cp = (int32_t)v;
        return 4;
    }
    return 0;
}

static int is_cjk(int32_t cp) {
    return (cp >= 0x3040 && cp <= 0x30FF) ||   /* Hiragana, Katakana */
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

static int class_of_cp(int32_t cp) {
    switch (cp) {
    case 0x0085: case 0x2028: return C_LF;
    case 0x2029: return C_PARA;
    case 0x2019: case 0x02BC: case 0xFF07: return C_APOS;
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D: return C_DASH;
    case 0x00AD: case 0x200C: case 0x200D: case 0x2060: return C_JOIN;
    case 0x200B: case 0xFEFF: return C_SPACE;
    default: break;
    }
    if (is_cjk(cp)) return C_CJK;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return C_WORD;
    case UTF8PROC_CATEGORY_ZS: return C_SPACE;
    case UTF8PROC_CATEGORY_CC: return C_CTRL;
    default: return C_PUNCT;
    }
}

/* The classes of U+0080..U+07FF (the two-byte sequences: Latin-1 and Latin
 * Extended, Greek, Cyrillic, Armenian, Hebrew, Arabic), computed once when
 * the library is loaded, before any thread of the caller can scan: a table
 * load instead of utf8proc_category() per letter of such text (12 % of a
 * scan of Russian text went to the classification). */
#define CLASS2_FIRST 0x80
#define CLASS2_END 0x800
#if defined(__GNUC__) /* gcc and clang: a constructor fills the table */
static unsigned char class2[CLASS2_END - CLASS2_FIRST];

__attribute__((constructor)) static void class2_init(void) {
    for (int32_t cp = CLASS2_FIRST; cp < CLASS2_END; cp++)
        class2[cp - CLASS2_FIRST] = (unsigned char)class_of_cp(cp);
}
#endif

/* The classes of U+0800..U+FFFF (the three-byte sequences: Devanagari and
 * the other Indic scripts, Thai, Georgian, Hangul, CJK punctuation, kana and
 * ideographs), each filled in (as class + 1) when a scan first meets it:
 * texts use a few hundred of these 63,488 code points, so a table filled at
 * load would cost every run a millisecond for nothing, and the untouched
 * pages of this one are never faulted in. Relaxed atomics because scans run
 * on several threads; two threads that both fill an entry store the same
 * value. */
#define CLASS3_END 0x10000
static atomic_uchar class3[CLASS3_END - CLASS2_END];

static inline int class3_of(int32_t cp) {
    atomic_uchar *e = &class3[cp - CLASS2_END];
    unsigned v = atomic_load_explicit(e, memory_order_relaxed);
    if (!v) {
        v = (unsigned)class_of_cp(cp) + 1u;
        atomic_store_explicit(e, (unsigned char)v, memory_order_relaxed);
    }
    return (int)v - 1;
}

/* Class of the code point at pos (length in *n, code point in *cp). Invalid
 * bytes are C_CTRL with length 1. */
static inline int class_at(const an_i_tokenizer *t, size_t pos, int *n, int32_t *cp) {
    unsigned c = t->text[pos];
    if (c < 0x80) {
        *n = 1;
        *cp = (int32_t)c;
        return ascii_class[c];
    }
#if defined(__GNUC__)
    /* two-byte sequences (Cyrillic, Greek, Arabic ...) without a call */
    if (t->len - pos >= 2 && an_i_utf8_valid2(c, t->text[pos + 1])) {
        *n = 2;
        *cp = (int32_t)(((c & 0x1Fu) << 6) | (t->text[pos + 1] & 0x3Fu));
        return class2[*cp - CLASS2_FIRST];
    }
#endif
    /* three-byte sequences (Indic, Thai, CJK ...) */
    if (c >= 0xE0 && c < 0xF0 && t->len - pos >= 3) {
        unsigned b1 = t->text[pos + 1], b2 = t->text[pos + 2];
        if (an_i_utf8_valid3(c, b1, b2)) {
            *n = 3;
            *cp = (int32_t)(((c & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu));
            return class3_of(*cp);
        }
    }
    int l = an_i_utf8_decode(t->text + pos, t->len - pos, cp);
    if (!l) {
        *n = 1;
        *cp = -1;
        return C_CTRL;
    }
    *n = l; /* four bytes (two without the table above): nothing to cache */
    return class_of_cp(*cp);
}

static int is_letter(int32_t cp) {
    if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

static int is_lower_start(int32_t cp) {
    if (cp < 0x80) return cp >= 'a' && cp <= 'z';
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

static int is_terminator(int32_t cp) {
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == 0x061F ||
           cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F;
}

static int is_closer(int32_t cp) {
    return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == '}' || cp == 0x201D ||
           cp == 0x2019 || cp == 0x00BB || cp == 0x203A || cp == 0x300D || cp == 0x300F ||
           cp == 0xFF09;
}

/* Words after which '.' does not end a sentence, compared case-insensitively,
 * listed by first letter so that a check costs a handful of byte compares.
 * Single letters are handled by the ABBR token rule; "No"/"Nos" separately. */
const char an_i_abbrev_words[26][10][8] = {
    {"adm", "al", "amb", "approx", "apr", "atty", "aug", "ave"},
    {"blvd", "brig", "bros"},
    {"capt", "cdr", "cf", "cmdr", "co", "col", "corp", "cpl", "cpt"},
    {"dec", "dept", "det", "dr"},
    {"est"},
    {"feb", "fig", "ft"},
    {"gen", "gens", "gov", "govt"},
    {"hon"},
    {"inc", "insp"},
    {"jan", "jr", "jul", "jun"},
    {},
    {"lt", "ltd"},
    {"maj", "mar", "messrs", "mlle", "mme", "mr", "mrs", "ms", "mt", "mx"},
    {"nov"},
    {"oct"},
    {"pres", "prof", "pvt"},
    {},
    {"rd", "rep", "reps", "rev"},
    {"sec", "sen", "sens", "sep", "sept", "sgt", "sr", "st", "supt"},
    {},
    {"univ"},
    {"vol", "vs"},
    {},
    {},
    {},
    {},
};

/* 1: '.' after it never ends a sentence; 2: only not before a number
 * ("No. 10", but "he said no. Then"); 0: not an abbreviation. */
int an_i_abbrev_word(const unsigned char *s, size_t n) {
    char low[8];
    if (n < 2 || n > 6) return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= 0x80) return 0;
        low[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
    }
    if (low[0] < 'a' || low[0] > 'z') return 0;
    if (low[0] == 'n' && ((n == 2 && low[1] == 'o') || (n == 3 && low[1] == 'o' && low[2] == 's')))
        return 2;
    /* Called for every word before a '.': compare the zero-padded word with
     * every entry of its letter, without branches on the data. */
    uint64_t x = 0, hit = 0;
    memcpy(&x, low, n);
    for (size_t i = 0; i < sizeof an_i_abbrev_words[0] / sizeof an_i_abbrev_words[0][0]; i++) {
        uint64_t e;
        memcpy(&e, an_i_abbrev_words[low[0] - 'a'][i], 8);
        hit |= e == x;
    }
    return (int)hit;
}

void an_i_tokenizer_init(an_i_tokenizer *t, const char *text, size_t len) {
    memset(t, 0, sizeof *t);
    t->text = (const unsigned char *)text;
    t->len = text ? len : 0;
}

size_t an_i_tokenizer_sentences(const an_i_tokenizer *t) {
    return t->n_tokens ? t->sentence + 1 : 0;
}

size_t an_i_tokenizer_paragraphs(const an_i_tokenizer *t) {
    return t->n_tokens ? t->paragraph + 1 : 0;
}

/* Is the code point after the apostrophe at q (length al) an "s" that ends
 * the word, i.e. a possessive? */
static int possessive_at(const an_i_tokenizer *t, size_t q, int al) {
    size_t s = q + (size_t)al;
    if (s >= t->len || (t->text[s] | 0x20) != 's') return 0;
    if (s + 1 >= t->len) return 1;
    int n;
    int32_t cp;
    int c = class_at(t, s + 1, &n, &cp);
    return c != C_WORD && c != C_JOIN && c != C_CJK;
}

int an_i_tokenizer_next(an_i_tokenizer *t, an_i_token *tok) {
    const unsigned char *text = t->text;
    size_t len = t->len, pos = t->pos, prev_end = t->pos;
    int cls = C_SPACE, n = 1;
    int32_t cp = 0;
    int started = t->n_tokens > 0;
    int space = 0;      /* whitespace since the previous token */
    int newlines = 0;   /* line ends in the current whitespace run */
    int para_break = 0; /* a paragraph break was seen since the previous token */
    int barrier = 0;    /* invalid bytes since the previous token */

    while (pos < len) {
        unsigned c = text[pos];
        if (c < 0x80) {
            cls = ascii_class[c];
            n = 1;
            cp = (int32_t)c;
        } else {
            cls = class_at(t, pos, &n, &cp);
        }
        if (cls == C_SPACE) {
            space = 1;
        } else if (cls == C_LF || cls == C_CR) {
            if (cls == C_CR && pos + 1 < len && text[pos + 1] == '\n') n = 2;
            space = 1;
            if (++newlines >= 2) para_break = 1;
        } else if (cls == C_PARA) {
            space = 1;
            para_break = 1;
        } else if (cls == C_CTRL) {
            /* A line holding junk is not blank. */
            barrier = 1;
            newlines = 0;
        } else if (cls != C_JOIN) {
            break;
        }
        pos += (size_t)n;
    }
    if (pos >= len) {
        t->pos = len;
        if (barrier) t->barrier = 1;
        return 0;
    }

    size_t start = pos, end;
    an_i_tok_kind kind;
    int ascii = cls != C_CJK && cp < 0x80;
    int32_t first = cp;

    if (cls == C_WORD) {
        kind = AN_I_TOK_WORD;
        end = pos + (size_t)n;
        if (end < len && text[end] == '.' && is_letter(cp)) {
            /* (letter '.')+ : "U.S.", "U.N.", "W." */
            kind = AN_I_TOK_ABBR;
            end++;
            while (end < len) {
                int l;
                int32_t c2;
                if (class_at(t, end, &l, &c2) != C_WORD || !is_letter(c2)) break;
                if (end + (size_t)l >= len || text[end + (size_t)l] != '.') break;
                if (c2 >= 0x80) ascii = 0;
                end += (size_t)l + 1;
            }
        } else {
            for (;;) {
                while (end < len && text[end] < 0x80 && ascii_class[text[end]] == C_WORD) end++;
                if (end >= len || (text[end] < 0x80 && text[end] != '\'')) break;
                int l;
                int32_t c2;
                int k = class_at(t, end, &l, &c2);
                if (k == C_WORD || k == C_JOIN) {
                    if (c2 >= 0x80) ascii = 0;
                    end += (size_t)l;
                    continue;
                }
                if (k != C_APOS || end + (size_t)l >= len) break;
                int l2;
                int32_t c3;
                int k2 = class_at(t, end + (size_t)l, &l2, &c3);
                if (k2 != C_WORD || possessive_at(t, end, l)) break;
                if (c2 >= 0x80) ascii = 0;
                end += (size_t)l;
            }
        }
    } else if (cls == C_APOS && started && !space && !barrier && prev_end == pos &&
               possessive_at(t, pos, n)) {
        kind = AN_I_TOK_POSS;
        end = pos + (size_t)n + 1;
    } else if (cls == C_DASH) {
        kind = AN_I_TOK_DASH;
        end = pos + (size_t)n;
    } else {
        /* C_CJK is a one-character word; everything else is punctuation. */
        kind = cls == C_CJK ? AN_I_TOK_WORD : AN_I_TOK_PUNCT;
        end = pos + (size_t)n;
    }

    if (started) {
        if (para_break) {
            t->paragraph++;
            t->sentence++;
            t->pending = 0;
        } else if (t->pending && space && !is_lower_start(first) &&
                   !(t->pending == 2 && first >= '0' && first <= '9')) {
            t->sentence++;
            t->pending = 0;
        }
    }
    int adjacent = started && prev_end == start && !space && !barrier;
    if (kind == AN_I_TOK_PUNCT && is_terminator(first))
        t->pending = first == '.' && adjacent ? (t->prev_abbrev == 1 ? 0 : t->prev_abbrev == 2 ? 2 : 1)
                                              : 1;
    else if (!(kind == AN_I_TOK_PUNCT && is_closer(first) && adjacent && t->pending))
        t->pending = 0;
    t->prev_abbrev = kind == AN_I_TOK_WORD && end < len && text[end] == '.'
                         ? an_i_abbrev_word(text + start, end - start)
                         : 0;

    tok->start = start;
    tok->end = end;
    tok->index = t->n_tokens++;
    tok->sentence = t->sentence;
    tok->paragraph = t->paragraph;
    tok->kind = kind;
    tok->ascii = ascii ? 1u : 0u;
    tok->barrier = barrier ? 1u : 0u;

    t->pos = end;
    return 1;
}

int an_i_tokenize(const char *text, size_t len, an_i_token_fn fn, void *ctx) {
    an_i_tokenizer t;
    an_i_token tok;
    an_i_tokenizer_init(&t, text, len);
    while (an_i_tokenizer_next(&t, &tok)) {
        int r = fn(ctx, &tok);
        if (r) return r;
    }
    return 0;
}
