/* libFuzzer target: the internal JSON parser (ner/json.c) and an_parse_date().
 * Invariants: a parse either fails with a position inside the input or gives
 * a tree whose strings are valid UTF-8, whose offsets lie inside the input and
 * whose nesting stays within AN_JSON_MAX_DEPTH; reusing the doc for a second
 * parse gives the same tree shape. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/text.h"
#include "ner/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t walk(const an_json_value *v, size_t size, int depth) {
    if (depth > AN_JSON_MAX_DEPTH + 1) abort();
    if (v->offset >= size) abort();
    size_t nodes = 1;
    switch (v->type) {
    case AN_JSON_STRING:
        if (!v->str || v->str[v->len] != '\0') abort();
        if (an_i_utf8_valid_prefix(v->str, v->len) != v->len) abort();
        break;
    case AN_JSON_NUMBER:
        if (!v->str || v->len == 0 || strlen(v->str) != v->len) abort();
        break;
    case AN_JSON_ARRAY:
    case AN_JSON_OBJECT: {
        size_t n = 0;
        for (const an_json_value *c = v->child; c; c = c->next, n++) {
            if (v->type == AN_JSON_OBJECT) {
                if (!c->key || c->key[c->key_len] != '\0') abort();
                if (an_i_utf8_valid_prefix(c->key, c->key_len) != c->key_len) abort();
                /* a key holding a decoded NUL ("\u0000") cannot be asked for
                 * by a C string, and must not be found as its prefix */
                const an_json_value *g = an_i_json_get(v, c->key);
                if (!memchr(c->key, '\0', c->key_len) ? g == NULL
                                                       : g && g->key_len != strlen(c->key))
                    abort();
            } else if (c->key)
                abort();
            nodes += walk(c, size, depth + 1);
        }
        if (n != v->len) abort();
        break;
    }
    default:
        if (v->str) abort();
    }
    return nodes;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *text = (const char *)data;
    int32_t date = 0;
    if (an_parse_date(text, size, &date) == AN_OK) {
        int y = date / 10000, m = date / 100 % 100, d = date % 100;
        if (y < 1 || m < 1 || m > 12 || d < 1 || d > 31) abort();
    }
    an_json_doc *doc = an_i_json_doc_create();
    if (!doc) return 0;
    const an_json_value *root = NULL;
    an_json_error e;
    memset(&e, 0, sizeof e);
    an_status s = an_i_json_parse(doc, text, size, &root, &e);
    if (s == AN_OK) {
        if (an_i_utf8_valid_prefix(text, size) != size) abort(); /* strict: input valid */
        size_t n1 = walk(root, size, 0);
        /* reuse of the arena */
        if (an_i_json_parse(doc, text, size, &root, NULL) != AN_OK) abort();
        if (walk(root, size, 0) != n1) abort();
    } else if (s == AN_EPARSE || s == AN_ELIMIT) { /* ELIMIT: nesting too deep */
        if (e.offset > size || e.line < 1 || e.column < 1) abort();
        if (!memchr(e.message, '\0', sizeof e.message) || !e.message[0]) abort();
    } else if (s != AN_ENOMEM) {
        abort();
    }
    an_i_json_doc_free(doc);
    return 0;
}
