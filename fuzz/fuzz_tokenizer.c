/* libFuzzer target: the tokenizer/segmenter (ner/tokenize.h).
 * Invariants: tokens are non-empty, inside the text, in order and do not
 * overlap; their indices count up from 0; sentence and paragraph numbers never
 * decrease and end below the totals; the iterator and an_i_tokenize() agree. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ner/tokenize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct count_ctx {
    size_t n, stop;
} count_ctx;

static int count_fn(void *ctx, const an_i_token *tok) {
    count_ctx *c = ctx;
    (void)tok;
    c->n++;
    return c->n == c->stop ? 7 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *text = (const char *)data;
    an_i_tokenizer t;
    an_i_tokenizer_init(&t, text, size);
    an_i_token tok, prev = {0};
    size_t n = 0;
    while (an_i_tokenizer_next(&t, &tok)) {
        if (tok.start >= tok.end || tok.end > size) abort();
        if (tok.index != n) abort();
        if (tok.kind > AN_I_TOK_DASH) abort();
        if (n) {
            if (tok.start < prev.end) abort();
            if (tok.sentence < prev.sentence || tok.paragraph < prev.paragraph) abort();
            if (tok.paragraph > prev.paragraph && tok.sentence == prev.sentence) abort();
        } else if (tok.sentence != 0 || tok.paragraph != 0) {
            abort();
        }
        int ascii = 1;
        for (size_t i = tok.start; i < tok.end; i++) {
            if (data[i] >= 0x80) ascii = 0;
            if (data[i] == 0 || data[i] == '\n' || data[i] == '\r') abort(); /* never in a token */
        }
        if ((int)tok.ascii != ascii) abort();
        prev = tok;
        n++;
        if (n > size) abort();
    }
    if (an_i_tokenizer_next(&t, &tok)) abort(); /* stays at the end */
    size_t ns = an_i_tokenizer_sentences(&t), np = an_i_tokenizer_paragraphs(&t);
    if (n && (prev.sentence >= ns || prev.paragraph >= np)) abort();
    if (np > ns) abort(); /* every paragraph holds at least one sentence */
    count_ctx c = {0, 0};
    if (an_i_tokenize(text, size, count_fn, &c) != 0 || c.n != n) abort();
    if (n) {
        count_ctx s = {0, n / 2 + 1};
        if (an_i_tokenize(text, size, count_fn, &s) != 7 || s.n != n / 2 + 1) abort();
    }
    return 0;
}
