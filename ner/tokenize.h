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
    unsigned ascii : 1;   /* every byte of the token is ASCII */
    unsigned barrier : 1; /* invalid bytes or control characters since the previous token */
} an_i_token;

/* Iterator state; treat as opaque. */
typedef struct an_i_tokenizer {
    const unsigned char *text;
    size_t len, pos;
    size_t n_tokens, sentence, paragraph;
    size_t prev_end;
    an_i_tok_kind prev_kind;
    int started;      /* a token has been returned */
    int pending;      /* the previous token may end the sentence (2: unless a number follows) */
    int para_break;   /* a paragraph break was seen since the previous token */
    int newlines;     /* line ends in the current whitespace run */
    int space;        /* whitespace since the previous token */
    int barrier;      /* invalid bytes since the previous token */
    int prev_abbrev;  /* the previous token is a word like "Mr" (1) or "No" (2) before '.' */
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

/* Decode one UTF-8 code point at s[0..n) (n >= 1). Returns its length
 * (1..4) and stores it in *cp, or returns 0 for an invalid sequence
 * (overlong, surrogate, > U+10FFFF, truncated). */
int an_i_utf8_decode(const unsigned char *s, size_t n, int32_t *cp);

#endif
