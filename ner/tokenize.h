/* actornet — tokenizer and sentence/paragraph segmenter (internal, never
 * installed; exposed for the matcher, the tests and the fuzzers).
 *
 * One pass over the bytes; tokens are byte spans of the ORIGINAL text, the
 * text is never rewritten. Rules (docs/matching.md):
 *   WORD   letters, digits and combining marks; an apostrophe between word
 *          characters stays inside ("O'Brien", "d’Ivoire") unless it starts a
 *          possessive "'s"; Han/Hiragana/Katakana characters are one token each.
 *   ABBR   one or more single letters each followed by '.' ("U.S.", "U.N.",
 *          "W."); the match key drops the dots.
 *   POSS   "'s" / "’s" directly after a token ("Russia's" -> Russia | 's).
 *   DASH   '-' and the Unicode dashes U+2010..U+2015, U+2212, U+FE58, U+FE63,
 *          U+FF0D; ignored by the matcher.
 *   PUNCT  any other visible character, one code point per token.
 * Whitespace separates tokens. Invalid UTF-8, NUL and other control
 * characters are never part of a token: they separate tokens and set
 * `barrier` on the next token (no alias may span them).
 *
 * Segmentation: paragraphs are separated by a line holding only whitespace
 * (LF, CR and CRLF are all line ends; U+2029 is a paragraph break). A sentence
 * ends after . ! ? … (plus adjacent closing quotes/brackets) when whitespace
 * follows and the next token does not start with a lower-case letter, except
 * after a known abbreviation word ("Mr.", "Gen.", "Sept.") or an ABBR token;
 * a paragraph break always ends the sentence.
 */
#ifndef ACTORNET_NER_TOKENIZE_H
#define ACTORNET_NER_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef enum an_i_tok_kind {
    AN_I_TOK_WORD = 0,
    AN_I_TOK_ABBR = 1,
    AN_I_TOK_POSS = 2,
    AN_I_TOK_PUNCT = 3,
    AN_I_TOK_DASH = 4
} an_i_tok_kind;

typedef struct an_i_token {
    size_t start, end;   /* byte span in the text, end exclusive, never empty */
    size_t index;        /* 0-based token number (all kinds count) */
    size_t sentence;     /* 0-based sentence number */
    size_t paragraph;    /* 0-based paragraph number */
    an_i_tok_kind kind;
    unsigned char ascii;   /* 1: every byte of the token is ASCII */
    unsigned char barrier; /* 1: invalid bytes or control characters since the previous token */
} an_i_token;

/* Iterator state; treat as opaque. Between calls pos is the end of the
 * last token (0 before the first, len after the last): the whitespace
 * before a token is consumed by the call that returns it, so no state about
 * it is kept, and "adjacent to the previous token" is "starts at pos". A
 * token has been returned when n_tokens > 0. Few fields, because the fast
 * path below writes them for every token. */
typedef struct an_i_tokenizer {
    const unsigned char *text;
    size_t len, pos;
    size_t n_tokens, sentence, paragraph;
    int pending;      /* the previous token may end the sentence (2: unless a number follows) */
    int prev_abbrev;  /* the previous token is a word like "Mr" (1) or "No" (2) before '.' */
    int barrier;      /* invalid bytes after the last token (set once the end is reached) */
} an_i_tokenizer;

void an_i_tokenizer_init(an_i_tokenizer *t, const char *text, size_t len);

/* Next token into *tok; returns 1, or 0 at the end of the text. Never fails.
 * Time: O(bytes consumed). */
int an_i_tokenizer_next(an_i_tokenizer *t, an_i_token *tok);

/* Number of sentences / paragraphs seen so far (after the end: in the text). */
size_t an_i_tokenizer_sentences(const an_i_tokenizer *t);
size_t an_i_tokenizer_paragraphs(const an_i_tokenizer *t);

/* Whole-text convenience: calls fn for every token; stops early (and returns
 * that value) when fn returns non-zero. Returns 0 otherwise. */
typedef int (*an_i_token_fn)(void *ctx, const an_i_token *tok);
int an_i_tokenize(const char *text, size_t len, an_i_token_fn fn, void *ctx);

/* 1 when '.' after the word s[0..n) never ends a sentence ("Mr"), 2 when it
 * does not before a number ("No"), else 0. */
int an_i_abbrev_word(const unsigned char *s, size_t n);

/* Its list: lower-case words of 2..6 letters, zero-padded, by first letter. */
extern const char an_i_abbrev_words[26][10][8];

/* an_i_abbrev_word() of the n ASCII letters and digits held zero-padded in
 * w8 (n < 8; w8 = 0 for longer words, which are never abbreviations):
 * inline for the fast path, lower-cased eight bytes at once. */
static inline int an_i_abbrev_w8(uint64_t w8, size_t n) {
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    if (n < 2 || n > 6) return 0;
    uint64_t upper = (w8 + ones * (0x80 - 'A')) & ~(w8 + ones * (0x80 - 'Z' - 1)) & highs;
    uint64_t x = w8 | (upper >> 2);
    unsigned c0 = (unsigned)(x & 0xFF);
    if (c0 < 'a' || c0 > 'z') return 0;
    if (x == 0x6F6Eu || x == 0x736F6Eu) return 2; /* "no", "nos" */
    uint64_t hit = 0;
    for (size_t i = 0; i < sizeof an_i_abbrev_words[0] / sizeof an_i_abbrev_words[0][0]; i++) {
        uint64_t e;
        memcpy(&e, an_i_abbrev_words[c0 - 'a'][i], 8);
        hit |= e == x;
    }
    return (int)hit;
}

/* Per ASCII byte: AN_I_FAST_ALNUM for [0-9A-Za-z], AN_I_FAST_PUNCT for
 * punctuation that is a token of its own with no sentence role (not a
 * terminator, closer, apostrophe, dot or dash), AN_I_FAST_TERM for the
 * terminators . ! ?, AN_I_FAST_SPACE for space and tab, AN_I_FAST_LF for LF;
 * 0 for everything else. Whitespace classes are the largest. */
enum { AN_I_FAST_ALNUM = 1, AN_I_FAST_PUNCT = 2, AN_I_FAST_TERM = 3, AN_I_FAST_SPACE = 4,
       AN_I_FAST_LF = 5 };
extern const unsigned char an_i_tok_fast[256];

/* High bit of every byte lane of w (8 text bytes, any order) that holds an
 * ASCII letter or digit. Lanes are cleared to 7 bits first so that no sum
 * carries into the next lane. */
static inline uint64_t an_i_swar_alnum(uint64_t w) {
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t y = w & ~highs;
    uint64_t l = y | (ones * 0x20);
    uint64_t alpha = (l + ones * (0x80 - 'a')) & ~(l + ones * (0x7F - 'z'));
    uint64_t digit = (y + ones * (0x80 - '0')) & ~(y + ones * (0x7F - '9'));
    return (alpha | digit) & ~w & highs;
}

/* 1 for the bytes after an ASCII word that the fast path does not pass over
 * without a look: '.', '\'' and 0x80..0xFF (ner/tokenize.c). */
extern const unsigned char an_i_after_word[256];

/* The first k bytes of a little-endian word for a word of k < 8 bytes, 0
 * for longer ones (ner/tokenize.c). */
extern const uint64_t an_i_w8_mask[16];

#if defined(__SSE2__) && defined(__GNUC__) && !defined(AN_I_NO_SIMD)
#include <emmintrin.h>
/* Bit i set when p[i] (of 16 bytes) is an ASCII letter or digit: the
 * unsigned range tests x - lo <= span as min(x - lo, span) == x - lo. Bytes
 * of 0x80 and above are neither. */
static inline unsigned an_i_sse2_alnum16(const unsigned char *p) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i a = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
    __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    __m128i al = _mm_cmpeq_epi8(_mm_min_epu8(a, _mm_set1_epi8(25)), a);
    __m128i dg = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(al, dg));
}
#endif

/* Same result and state as an_i_tokenizer_next(), faster for the bulk of
 * news text: spaces and LFs, ASCII words ending in ASCII that is not an
 * apostrophe, plain punctuation and . ! ? are handled inline; everything else
 * (and the last 16 bytes of the text) goes to an_i_tokenizer_next(), which
 * starts again from the end of the previous token. tests/ner/test_tokenize.c
 * (fast_equals_slow) checks the two against each other. *w8 is the token's bytes as a
 * little-endian word when it is an ASCII word of at most 7 bytes or a
 * one-byte punctuation token found here (the rest of the word zero), else
 * 0: the matcher hashes it without reading the text again. */
static inline int an_i_tokenizer_next_fast_w(an_i_tokenizer *t, an_i_token *tok, uint64_t *w8) {
    const unsigned char *text = t->text;
    size_t len = t->len, pos0 = t->pos, pos = pos0, start, end, nt = t->n_tokens;
    int space = 0, newlines = 0, para_break = 0, abbrev = 0, term = 0;
    unsigned c, f;
    an_i_tok_kind kind;
    *w8 = 0;
    if (len - pos < 17) goto slow;
    c = text[pos];
    if (c == ' ') { /* the usual single space between words */
        space = 1;
        c = text[++pos];
    }
    f = an_i_tok_fast[c];
    while (f >= AN_I_FAST_SPACE) {
        space = 1;
        if (f == AN_I_FAST_LF && ++newlines >= 2) para_break = 1;
        if (len - ++pos < 16) goto slow;
        c = text[pos];
        f = an_i_tok_fast[c];
    }
    start = pos;
    if (f == AN_I_FAST_ALNUM) {
#if defined(__SSE2__) && defined(__GNUC__) && !defined(AN_I_NO_SIMD)
        /* Sixteen bytes at once (16 are readable here): most words end in
         * them. Words of at most seven bytes are handed over in *w8. */
        unsigned stop = ~an_i_sse2_alnum16(text + pos) & 0xFFFFu;
        if (stop) {
            unsigned k = (unsigned)__builtin_ctz(stop);
            uint64_t w;
            memcpy(&w, text + pos, 8);
            *w8 = w & an_i_w8_mask[k];
            end = pos + k;
        } else {
            end = pos + 16;
            for (;;) {
                if (len - end < 16) goto slow;
                stop = ~an_i_sse2_alnum16(text + end) & 0xFFFFu;
                if (stop) {
                    end += (unsigned)__builtin_ctz(stop);
                    break;
                }
                end += 16;
            }
        }
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        /* First eight bytes apart: most words end there, and those are
         * handed over in *w8. Byte 0 is alphanumeric, so 1 <= k <= 7. */
        uint64_t w;
        memcpy(&w, text + pos, 8);
        uint64_t stop = ~an_i_swar_alnum(w) & 0x8080808080808080ull;
        if (stop) {
            unsigned k = (unsigned)__builtin_ctzll(stop) >> 3;
            *w8 = w & an_i_w8_mask[k];
            end = pos + k;
        } else {
            end = pos + 8;
            for (;;) {
                if (len - end < 8) goto slow;
                memcpy(&w, text + end, 8);
                stop = ~an_i_swar_alnum(w) & 0x8080808080808080ull;
                if (stop) {
                    end += (unsigned)__builtin_ctzll(stop) >> 3;
                    break;
                }
                end += 8;
            }
        }
#else
        end = pos;
        while (an_i_tok_fast[text[end]] == AN_I_FAST_ALNUM) {
            if (len - ++end < 8) goto slow;
        }
#endif
        unsigned d = text[end];
        if (an_i_after_word[d]) { /* rarely: '.', '\'' or a byte of 0x80 and above */
            if (d != '.') goto slow;
            if (end - start == 1 && c > '9') goto slow; /* "U." starts an ABBR token */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            abbrev = an_i_abbrev_w8(*w8, end - start);
#else
            abbrev = an_i_abbrev_word(text + start, end - start);
#endif
        }
        kind = AN_I_TOK_WORD;
    } else if (f == AN_I_FAST_PUNCT) {
        end = pos + 1;
        kind = AN_I_TOK_PUNCT;
        *w8 = c;
    } else if (f == AN_I_FAST_TERM) {
        /* Every sentence ends in one: worth keeping out of the slow path.
         * As there, a '.' glued to "Mr" does not end the sentence, glued
         * to "No" not before a number. */
        end = pos + 1;
        kind = AN_I_TOK_PUNCT;
        *w8 = c;
        term = 1;
        if (c == '.' && nt && pos == pos0)
            term = t->prev_abbrev == 1 ? 0 : t->prev_abbrev == 2 ? 2 : 1;
    } else {
        goto slow;
    }
    if (nt) {
        if (para_break) {
            t->paragraph++;
            t->sentence++;
        } else if (t->pending && space && !(c >= 'a' && c <= 'z') &&
                   !(t->pending == 2 && c >= '0' && c <= '9')) {
            t->sentence++;
        }
    }
    t->pending = term;
    t->prev_abbrev = abbrev;
    tok->start = start;
    tok->end = end;
    tok->index = nt;
    t->n_tokens = nt + 1;
    tok->sentence = t->sentence;
    tok->paragraph = t->paragraph;
    tok->kind = kind;
    tok->ascii = 1u;
    tok->barrier = 0u;
    t->pos = end;
    return 1;
slow: /* from t->pos again: the whitespace seen here leaves no state */
    *w8 = 0;
    return an_i_tokenizer_next(t, tok);
}

static inline int an_i_tokenizer_next_fast(an_i_tokenizer *t, an_i_token *tok) {
    uint64_t w8;
    return an_i_tokenizer_next_fast_w(t, tok, &w8);
}

/* Decode one UTF-8 code point at s[0..n) (n >= 1). Returns its length
 * (1..4) and stores it in *cp, or returns 0 for an invalid sequence
 * (overlong, surrogate, > U+10FFFF, truncated). */
int an_i_utf8_decode(const unsigned char *s, size_t n, int32_t *cp);

/* 1 when lead c and the byte b1 after it are a valid two-byte sequence
 * (C0 and C1 would be overlong). */
static inline int an_i_utf8_valid2(unsigned c, unsigned b1) {
    return c >= 0xC2 && c < 0xE0 && (b1 & 0xC0) == 0x80;
}

/* 1 when lead c (0xE0..0xEF) and the bytes b1, b2 after it are a valid
 * three-byte sequence: E0 needs b1 from A0 (shorter forms are overlong), ED
 * one below A0 (surrogates). Inline for the tokenizer's and the JSON
 * reader's fast paths over Indic, Thai and CJK text. */
static inline int an_i_utf8_valid3(unsigned c, unsigned b1, unsigned b2) {
    unsigned lo = c == 0xE0 ? 0xA0u : 0x80u, hi = c == 0xED ? 0x9Fu : 0xBFu;
    return c >= 0xE0 && c < 0xF0 && b1 >= lo && b1 <= hi && (b2 & 0xC0) == 0x80;
}

#endif
