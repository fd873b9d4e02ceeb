/* actornet — spaCy EntityRuler JSONL patterns as a gazetteer (docs/gazetteer.md).
 *
 * Only what a gazetteer can express is taken: phrase patterns and token
 * patterns whose tokens are plain ORTH/TEXT/LOWER strings. Anything else
 * would need a real spaCy pipeline (POS, LEMMA, OP, REGEX, ...), so such a
 * pattern is skipped with a warning naming its line, or refused in strict
 * mode: silently approximating it would match things the author never meant.
 */
#include <string.h>

#include "core/internal.h"
#include "ner/gazetteer_internal.h"
#include "ner/json.h"

#define QMAX 80

typedef struct spacy_ctx {
    an_i_gaz_batch *b;
    const char *name;
    an_i_gaz_warn *w;
    an_error *err;
    unsigned long line;
    int orth;
    an_i_alias_set set;
    char *buf; /* alias text being built */
    size_t cap, len;
} spacy_ctx;


/* "an array", "a number", ... for messages. */
static const char *a_type(an_json_type t) {
    switch (t) {
    case AN_JSON_ARRAY: return "an array";
    case AN_JSON_OBJECT: return "an object";
    case AN_JSON_NULL: return "null";
    case AN_JSON_FALSE:
    case AN_JSON_TRUE: return "a boolean";
    case AN_JSON_NUMBER: return "a number";
    case AN_JSON_STRING: return "a string";
    }
    return "of unknown type";
}

static an_status oom(spacy_ctx *c) {
    return an_i_error(c->err, AN_ENOMEM, c->name, c->line, 0, "out of memory");
}

static an_status buf_put(spacy_ctx *c, const char *s, size_t n) {
    if (an_i_grow((void **)&c->buf, &c->cap, c->len + n + 1, 1)) return AN_ENOMEM;
    memcpy(c->buf + c->len, s, n);
    c->len += n;
    c->buf[c->len] = '\0';
    return AN_OK;
}

static int upper_eq(const char *key, const char *want) {
    for (; *key && *want; key++, want++) {
        char k = *key;
        if (k >= 'a' && k <= 'z') k = (char)(k - 'a' + 'A');
        if (k != *want) return 0;
    }
    return !*key && !*want;
}

static int is_blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

/* The alias of a pattern into c->buf and *policy. Returns 1 on success, 0
 * with *why set (static text or into whybuf) when the pattern is unsupported,
 * -1 on out of memory. */
static int pattern_alias(spacy_ctx *c, const an_json_value *pat, an_case_policy *policy,
                         char *whybuf, size_t whysize) {
    c->len = 0;
    if (buf_put(c, "", 0)) return -1;
    if (pat->type == AN_JSON_STRING) {
        const char *s = pat->str, *e = pat->str + pat->len;
        while (s < e && is_blank(*s)) s++;
        while (e > s && is_blank(e[-1])) e--;
        if (memchr(s, '\0', (size_t)(e - s))) {
            snprintf(whybuf, whysize, "pattern contains a NUL character");
            return 0;
        }
        if (buf_put(c, s, (size_t)(e - s))) return -1;
        *policy = c->orth ? AN_CASE_EXACT : AN_CASE_FOLD;
        return 1;
    }
    if (pat->type != AN_JSON_ARRAY) {
        snprintf(whybuf, whysize, "\"pattern\" is %s, not a string or a list of tokens",
                 a_type(pat->type));
        return 0;
    }
    if (!pat->child) {
        snprintf(whybuf, whysize, "empty token pattern");
        return 0;
    }
    int exact = 0, fold = 0;
    size_t k = 0;
    for (const an_json_value *t = pat->child; t; t = t->next, k++) {
        if (t->type != AN_JSON_OBJECT) {
            snprintf(whybuf, whysize, "token %zu is %s, not an object", k + 1,
                     a_type(t->type));
            return 0;
        }
        if (t->len != 1) {
            snprintf(whybuf, whysize,
                     "token %zu has %zu attributes; only one of ORTH, TEXT, LOWER is supported",
                     k + 1, t->len);
            return 0;
        }
        const an_json_value *m = t->child;
        int is_lower = upper_eq(m->key, "LOWER");
        if (!is_lower && !upper_eq(m->key, "ORTH") && !upper_eq(m->key, "TEXT")) {
            snprintf(whybuf, whysize, "token %zu uses unsupported attribute \"%.*s\"", k + 1,
                     (int)(m->key_len > QMAX ? QMAX : m->key_len), m->key);
            return 0;
        }
        if (m->type != AN_JSON_STRING) {
            snprintf(whybuf, whysize, "token %zu: %s value is %s, not a string", k + 1, m->key,
                     a_type(m->type));
            return 0;
        }
        const char *s = m->str, *e = m->str + m->len;
        while (s < e && is_blank(*s)) s++;
        while (e > s && is_blank(e[-1])) e--;
        if (s == e || memchr(s, '\0', (size_t)(e - s))) {
            snprintf(whybuf, whysize, "token %zu: empty or NUL in %s value", k + 1, m->key);
            return 0;
        }
        if ((k && buf_put(c, " ", 1)) || buf_put(c, s, (size_t)(e - s))) return -1;
        if (is_lower)
            fold = 1;
        else
            exact = 1;
    }
    /* Mixed ORTH and LOWER tokens: exact is the side that never over-matches. */
    *policy = exact || !fold ? AN_CASE_EXACT : AN_CASE_FOLD;
    return 1;
}

/* what: "line" or "pattern" */
static an_status skip(spacy_ctx *c, unsigned long col, const char *why, const char *what) {
    /* "pattern skipped" is what happens in lenient mode; strict mode stops instead. */
    if (c->w->opts->strict)
        return an_i_gaz_warn_report(c->w, c->err, AN_EPARSE, c->name, c->line, col, "%s", why);
    return an_i_gaz_warn_report(c->w, c->err, AN_EPARSE, c->name, c->line, col, "%s; %s skipped",
                                why, what);
}

static an_status one_line(spacy_ctx *c, an_json_doc *doc, const char *s, size_t n) {
    const an_json_value *root = NULL;
    an_json_error je;
    memset(&je, 0, sizeof je);
    an_status st = an_i_json_parse(doc, s, n, &root, &je);
    if (st == AN_ENOMEM) return oom(c);
    if (st) {
        char why[200];
        snprintf(why, sizeof why, "invalid JSON (%s)", je.message);
        return skip(c, je.column, why, "line");
    }
    if (root->type != AN_JSON_OBJECT) return skip(c, 1, "not a JSON object", "line");
    const an_json_value *label = an_i_json_get(root, "label");
    const an_json_value *pat = an_i_json_get(root, "pattern");
    const an_json_value *id = an_i_json_get(root, "id");
    if (!label || label->type != AN_JSON_STRING || !label->len ||
        memchr(label->str, '\0', label->len))
        return skip(c, 1, "missing or empty string \"label\"", "line");
    if (!pat) return skip(c, 1, "missing \"pattern\"", "line");
    if (id && id->type == AN_JSON_NULL) id = NULL;
    if (id && (id->type != AN_JSON_STRING || !id->len || memchr(id->str, '\0', id->len)))
        return skip(c, (unsigned long)id->offset + 1, "\"id\" is not a non-empty string", "line");
    char why[200];
    an_case_policy policy = AN_CASE_FOLD;
    int r = pattern_alias(c, pat, &policy, why, sizeof why);
    if (r < 0) return oom(c);
    if (r == 0) return skip(c, (unsigned long)pat->offset + 1, why, "pattern");
    if (!c->len) return skip(c, (unsigned long)pat->offset + 1, "empty pattern", "pattern");

    const char *aid = id ? id->str : c->buf;
    size_t index;
    if (an_i_gaz_batch_find(c->b, aid, &index)) {
        if (index & AN_I_GZ_ACTOR) {
            const char *src;
            unsigned long line;
            an_i_gaz_actor_origin(c->b->gz, index & ~AN_I_GZ_ACTOR, &src, &line);
            return an_i_error(c->err, AN_EPARSE, c->name, c->line, 1,
                              "duplicate actor id \"%.*s\" (first defined at %s:%lu)", QMAX, aid,
                              src, line);
        }
        const char *type = c->b->actors[index].type;
        if (strcmp(type, label->str) != 0) {
            an_status ws = an_i_gaz_warn_report(
                c->w, c->err, AN_EPARSE, c->name, c->line, (unsigned long)label->offset + 1,
                "label \"%.*s\" differs from \"%.*s\" of the first pattern of id \"%.*s\"; "
                "the actor keeps the first",
                QMAX, label->str, QMAX, type, QMAX, aid);
            if (ws) return ws;
        }
    } else {
        an_i_actor a;
        memset(&a, 0, sizeof a);
        a.line = c->line;
        if (!(a.id = an_i_strdup(aid)) || !(a.label = an_i_strdup(c->buf)) ||
            !(a.type = an_i_strdup(label->str)) || an_i_gaz_batch_add_actor(c->b, &a, &index)) {
            an_i_actor_free(&a);
            return oom(c);
        }
    }
    an_i_alias al;
    memset(&al, 0, sizeof al);
    al.text = c->buf;
    al.actor = index;
    al.policy = policy;
    al.line = c->line;
    if (an_i_alias_set_has(&c->set, c->b, &al)) return AN_OK;
    if (!(al.text = an_i_gaz_batch_text(c->b, c->buf, c->len)) ||
        an_i_gaz_batch_add_alias(c->b, &al))
        return oom(c);
    if (an_i_alias_set_add(&c->set, c->b, c->b->n_aliases - 1)) return oom(c);
    return AN_OK;
}

an_status an_i_gaz_parse_spacy(an_i_gaz_batch *b, const char *data, size_t len,
                               const char *name, an_i_gaz_warn *w, an_error *err) {
    spacy_ctx c;
    memset(&c, 0, sizeof c);
    c.b = b;
    c.name = name;
    c.w = w;
    c.err = err;
    c.orth = w->opts->phrase_attr_orth;
    an_json_doc *doc = an_i_json_doc_create();
    if (!doc) return oom(&c);
    const char *p = data, *end = data + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    an_status st = AN_OK;
    while (p < end && !st) {
        c.line++;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *s = p;
        while (s < le && is_blank(*s)) s++;
        /* Blank lines are allowed between objects, as JSONL writers often add them. */
        if (s < le) st = one_line(&c, doc, p, (size_t)(le - p));
        p = nl ? nl + 1 : end;
    }
    an_i_json_doc_free(doc);
    an_i_alias_set_free(&c.set);
    an_i_free(c.buf);
    return st;
}
