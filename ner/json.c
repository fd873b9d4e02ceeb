/* actornet — strict JSON parser (RFC 8259) with an arena-owned tree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "ner/json.h"
#include "ner/tokenize.h"

/* ---- UTF-8 ----------------------------------------------------------- */

size_t an_i_utf8_valid_prefix(const char *str, size_t len) {
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
        if (c >= 0xC2 && c <= 0xDF)
            n = 2;
        else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0) lo = 0xA0;      /* overlong */
            else if (c == 0xED) hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0) lo = 0x90;      /* overlong */
            else if (c == 0xF4) hi = 0x8F; /* above U+10FFFF */
        } else
            return i;
        if (len - i < n) return i;
        if (s[i + 1] < lo || s[i + 1] > hi) return i;
        for (size_t k = 2; k < n; k++)
            if ((s[i + k] & 0xC0) != 0x80) return i;
        i += n;
    }
    return len;
}

/* ---- arena ----------------------------------------------------------- */

typedef struct block {
    struct block *next;
    size_t size, used;
    /* data follows, aligned by the header's size */
} block;

#define BLOCK_HDR ((sizeof(block) + 15) & ~(size_t)15)
#define BLOCK_MIN 16384

struct an_json_doc {
    block *blocks; /* current block first */
};

an_json_doc *an_i_json_doc_create(void) { return an_i_calloc(1, sizeof(an_json_doc)); }

static void free_blocks(block *b) {
    while (b) {
        block *n = b->next;
        an_i_free(b);
        b = n;
    }
}

void an_i_json_doc_free(an_json_doc *doc) {
    if (!doc) return;
    free_blocks(doc->blocks);
    an_i_free(doc);
}

/* Keep only the largest block so that memory stays at the size of the largest
 * single document, not the sum of all. */
static void doc_reset(an_json_doc *doc) {
    block *big = NULL;
    for (block *b = doc->blocks; b; b = b->next)
        if (!big || b->size > big->size) big = b;
    for (block *b = doc->blocks, *n; b; b = n) {
        n = b->next;
        if (b != big) an_i_free(b);
    }
    if (big) {
        big->next = NULL;
        big->used = 0;
    }
    doc->blocks = big;
}

static void *arena_alloc(an_json_doc *doc, size_t size) {
    size = (size + 15) & ~(size_t)15;
    if (size == 0) return NULL; /* overflow */
    block *b = doc->blocks;
    if (!b || b->size - b->used < size) {
        /* Look for room in any retained block before allocating. */
        for (block *o = doc->blocks; o; o = o->next)
            if (o->size - o->used >= size) {
                void *p = (char *)o + BLOCK_HDR + o->used;
                o->used += size;
                return p;
            }
        size_t bsize = BLOCK_MIN;
        if (b && b->size <= SIZE_MAX / 2 && b->size * 2 > bsize) bsize = b->size * 2;
        if (bsize < size) bsize = size;
        if (bsize > SIZE_MAX - BLOCK_HDR) return NULL;
        block *nb = an_i_malloc(BLOCK_HDR + bsize);
        if (!nb) return NULL;
        nb->size = bsize;
        nb->used = 0;
        nb->next = doc->blocks;
        doc->blocks = nb;
        b = nb;
    }
    void *p = (char *)b + BLOCK_HDR + b->used;
    b->used += size;
    return p;
}

/* ---- parser ---------------------------------------------------------- */

typedef struct parser {
    const char *s;
    size_t len, pos;
    an_json_doc *doc;
    an_json_error *e;
    an_status st;
} parser;

static void *fail(parser *p, size_t at, an_status st, const char *msg) {
    if (p->st) return NULL; /* keep the first error */
    p->st = st;
    if (p->e) {
        unsigned long line = 1, col = 1;
        for (size_t i = 0; i < at && i < p->len; i++) {
            if (p->s[i] == '\n') {
                line++;
                col = 1;
            } else
                col++;
        }
        p->e->offset = at;
        p->e->line = line;
        p->e->column = col;
        snprintf(p->e->message, sizeof p->e->message, "%s", msg);
    }
    return NULL;
}

static void *fail_char(parser *p, const char *what) {
    char msg[96];
    if (p->pos >= p->len)
        snprintf(msg, sizeof msg, "unexpected end of input, %s", what);
    else {
        unsigned char c = (unsigned char)p->s[p->pos];
        if (c >= 0x20 && c < 0x7F)
            snprintf(msg, sizeof msg, "unexpected '%c', %s", c, what);
        else
            snprintf(msg, sizeof msg, "unexpected byte 0x%02X, %s", c, what);
    }
    return fail(p, p->pos, AN_EPARSE, msg);
}

static void skip_ws(parser *p) {
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        p->pos++;
    }
}

static an_json_value *new_value(parser *p, an_json_type t, size_t at) {
    an_json_value *v = arena_alloc(p->doc, sizeof *v);
    if (!v) return fail(p, at, AN_ENOMEM, "out of memory");
    memset(v, 0, sizeof *v);
    v->type = t;
    v->offset = at;
    return v;
}

static int hex4(const char *s, unsigned *out) {
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

static size_t put_utf8(char *o, unsigned cp) {
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Index of the first byte at or after i that is not plain ASCII inside a
 * string (a quote, a backslash, a control character or a byte >= 0x80),
 * or the last index from which eight bytes can no longer be read: eight
 * bytes at a time on little-endian machines. The lowest flagged byte of
 * each test below is exact (a borrow only runs towards higher bytes). */
static size_t skip_plain(const char *s, size_t i, size_t len) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    while (len - i >= 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
        uint64_t m = ((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w) | w;
        m &= highs;
        if (m) return i + ((unsigned)__builtin_ctzll(m) >> 3);
        i += 8;
    }
#else
    (void)s;
    (void)len;
#endif
    return i;
}

/* At an opening quote. Decodes into the arena; the decoded form is never
 * longer than the escaped one, so one allocation of the raw size suffices. */
static int parse_string(parser *p, const char **out, size_t *out_len) {
    size_t start = p->pos + 1, i = start;
    /* Pass 1: find the end, reject control characters and bad escapes. */
    for (;;) {
        i = skip_plain(p->s, i, p->len);
        if (i >= p->len) return !!fail(p, p->len, AN_EPARSE, "unterminated string");
        unsigned char c = (unsigned char)p->s[i];
        if (c == '"') break;
        if (c < 0x20) return !!fail(p, i, AN_EPARSE, "control character in string");
        if (c == '\\') {
            if (i + 1 >= p->len) return !!fail(p, p->len, AN_EPARSE, "unterminated string");
            char x = p->s[i + 1];
            if (x == 'u') {
                unsigned v;
                if (p->len - (i + 2) < 4 || !hex4(p->s + i + 2, &v))
                    return !!fail(p, i, AN_EPARSE, "invalid \\u escape");
                i += 6;
                continue;
            }
            if (!strchr("\"\\/bfnrt", x) || x == '\0')
                return !!fail(p, i, AN_EPARSE, "invalid escape");
            i += 2;
            continue;
        }
        if (c >= 0x80) {
            /* The whole run of non-ASCII bytes at once (a word of Cyrillic or
             * Arabic text): no sequence reaches past it, so the run is valid
             * exactly when it is made of whole, valid sequences. */
            const unsigned char *u = (const unsigned char *)p->s;
            size_t j = i;
            /* two- and three-byte sequences inline (Cyrillic, Arabic; Indic,
             * Thai, CJK), a run of each in its own loop; anything else
             * through the validator */
            for (;;) {
                size_t j0 = j;
                while (p->len - j >= 2 && an_i_utf8_valid2(u[j], u[j + 1])) j += 2;
                while (p->len - j >= 3 && an_i_utf8_valid3(u[j], u[j + 1], u[j + 2])) j += 3;
                if (j == j0) break;
            }
            size_t k = j;
            while (k < p->len && u[k] >= 0x80) k++;
            size_t ok = an_i_utf8_valid_prefix(p->s + j, k - j);
            if (ok < k - j) return !!fail(p, j + ok, AN_EPARSE, "invalid UTF-8 in string");
            i = k;
            continue;
        }
        i++;
    }
    size_t end = i;
    char *o = arena_alloc(p->doc, end - start + 1);
    if (!o) return !!fail(p, start, AN_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t k = start; k < end;) {
        char c = p->s[k];
        if (c != '\\') {
            /* copy the run up to the next backslash in one go */
            const char *bs = memchr(p->s + k, '\\', end - k);
            size_t run = bs ? (size_t)(bs - (p->s + k)) : end - k;
            memcpy(o + n, p->s + k, run);
            n += run;
            k += run;
            continue;
        }
        char x = p->s[k + 1];
        k += 2;
        switch (x) {
        case 'b': o[n++] = '\b'; break;
        case 'f': o[n++] = '\f'; break;
        case 'n': o[n++] = '\n'; break;
        case 'r': o[n++] = '\r'; break;
        case 't': o[n++] = '\t'; break;
        case 'u': {
            unsigned cp = 0;
            hex4(p->s + k, &cp);
            k += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (end - k >= 6 && p->s[k] == '\\' && p->s[k + 1] == 'u' &&
                    hex4(p->s + k + 2, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    k += 6;
                } else
                    cp = 0xFFFD;
            } else if (cp >= 0xDC00 && cp <= 0xDFFF)
                cp = 0xFFFD;
            n += put_utf8(o + n, cp);
            break;
        }
        default: o[n++] = x; break; /* " \ / */
        }
    }
    o[n] = '\0';
    p->pos = end + 1;
    *out = o;
    *out_len = n;
    return 1;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static an_json_value *parse_number(parser *p) {
    size_t start = p->pos, i = p->pos;
    if (i < p->len && p->s[i] == '-') i++;
    if (i >= p->len || !is_digit(p->s[i])) {
        p->pos = i;
        return fail_char(p, "expected a digit");
    }
    if (p->s[i] == '0') {
        i++;
        if (i < p->len && is_digit(p->s[i]))
            return fail(p, i, AN_EPARSE, "leading zero in number");
    } else
        while (i < p->len && is_digit(p->s[i])) i++;
    if (i < p->len && p->s[i] == '.') {
        i++;
        if (i >= p->len || !is_digit(p->s[i])) {
            p->pos = i;
            return fail_char(p, "expected a digit after '.'");
        }
        while (i < p->len && is_digit(p->s[i])) i++;
    }
    if (i < p->len && (p->s[i] == 'e' || p->s[i] == 'E')) {
        i++;
        if (i < p->len && (p->s[i] == '+' || p->s[i] == '-')) i++;
        if (i >= p->len || !is_digit(p->s[i])) {
            p->pos = i;
            return fail_char(p, "expected a digit in exponent");
        }
        while (i < p->len && is_digit(p->s[i])) i++;
    }
    an_json_value *v = new_value(p, AN_JSON_NUMBER, start);
    if (!v) return NULL;
    char *t = arena_alloc(p->doc, i - start + 1);
    if (!t) return fail(p, start, AN_ENOMEM, "out of memory");
    memcpy(t, p->s + start, i - start);
    t[i - start] = '\0';
    v->str = t;
    v->len = i - start;
    /* The grammar above admits only C-locale digits, '.', 'e', signs. */
    v->number = strtod(t, NULL);
    p->pos = i;
    return v;
}

static an_json_value *parse_value(parser *p, int depth);

static an_json_value *parse_container(parser *p, int depth, int is_obj) {
    size_t at = p->pos;
    if (depth >= AN_JSON_MAX_DEPTH) return fail(p, at, AN_ELIMIT, "nesting too deep");
    an_json_value *v = new_value(p, is_obj ? AN_JSON_OBJECT : AN_JSON_ARRAY, at);
    if (!v) return NULL;
    char close = is_obj ? '}' : ']';
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == close) {
        p->pos++;
        return v;
    }
    an_json_value **tail = &v->child;
    for (;;) {
        const char *key = NULL;
        size_t key_len = 0;
        if (is_obj) {
            skip_ws(p);
            if (p->pos >= p->len || p->s[p->pos] != '"')
                return fail_char(p, "expected a member name");
            if (!parse_string(p, &key, &key_len)) return NULL;
            skip_ws(p);
            if (p->pos >= p->len || p->s[p->pos] != ':') return fail_char(p, "expected ':'");
            p->pos++;
        }
        an_json_value *c = parse_value(p, depth + 1);
        if (!c) return NULL;
        c->key = key;
        c->key_len = key_len;
        *tail = c;
        tail = &c->next;
        v->len++;
        skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->pos < p->len && p->s[p->pos] == close) {
            p->pos++;
            return v;
        }
        return fail_char(p, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static an_json_value *parse_literal(parser *p, const char *word, an_json_type t) {
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
        return fail_char(p, "expected a value");
    an_json_value *v = new_value(p, t, p->pos);
    if (v) p->pos += n;
    return v;
}

static an_json_value *parse_value(parser *p, int depth) {
    skip_ws(p);
    if (p->pos >= p->len) return fail_char(p, "expected a value");
    switch (p->s[p->pos]) {
    case '{': return parse_container(p, depth, 1);
    case '[': return parse_container(p, depth, 0);
    case '"': {
        an_json_value *v = new_value(p, AN_JSON_STRING, p->pos);
        if (!v) return NULL;
        if (!parse_string(p, &v->str, &v->len)) return NULL;
        return v;
    }
    case 't': return parse_literal(p, "true", AN_JSON_TRUE);
    case 'f': return parse_literal(p, "false", AN_JSON_FALSE);
    case 'n': return parse_literal(p, "null", AN_JSON_NULL);
    default:
        if (p->s[p->pos] == '-' || is_digit(p->s[p->pos])) return parse_number(p);
        return fail_char(p, "expected a value");
    }
}

an_status an_i_json_parse(an_json_doc *doc, const char *text, size_t len,
                          const an_json_value **root, an_json_error *e) {
    parser p = {text ? text : "", text ? len : 0, 0, doc, e, AN_OK};
    if (!doc || !root) return AN_EINVAL;
    doc_reset(doc);
    an_json_value *v = parse_value(&p, 0);
    if (v) {
        skip_ws(&p);
        if (p.pos < p.len) v = fail_char(&p, "expected end of input after the value");
    }
    if (!v) return p.st ? p.st : AN_EPARSE;
    *root = v;
    return AN_OK;
}

const an_json_value *an_i_json_get(const an_json_value *obj, const char *key) {
    if (!obj || obj->type != AN_JSON_OBJECT || !key) return NULL;
    size_t n = strlen(key);
    const an_json_value *found = NULL;
    for (const an_json_value *c = obj->child; c; c = c->next)
        if (c->key_len == n && memcmp(c->key, key, n) == 0) found = c;
    return found;
}

const char *an_i_json_type_name(an_json_type t) {
    switch (t) {
    case AN_JSON_NULL: return "null";
    case AN_JSON_FALSE:
    case AN_JSON_TRUE: return "boolean";
    case AN_JSON_NUMBER: return "number";
    case AN_JSON_STRING: return "string";
    case AN_JSON_ARRAY: return "array";
    case AN_JSON_OBJECT: return "object";
    }
    return "unknown";
}
