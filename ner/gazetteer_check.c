/* actornet — gazetteer quality check (an_gazetteer_check).
 *
 * Aliases are compared through the matcher's own tokenizer and key
 * normaliser (ner/tokenize.h, ner/normalize.h), so "claimed by several"
 * means exactly "the matcher would have to choose". That makes this file
 * depend on the text part of the library (an_text); programs that do not call
 * an_gazetteer_check() do not pull it in.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/internal.h"
#include "ner/gazetteer_internal.h"
#include "ner/normalize.h"
#include "ner/tokenize.h"

#define QMAX 80

/* The most common English words, plus names that are also common words
 * (traps for a case-folded alias: "Chad", "Turkey", "May", "Bush"). */
static const char *const common_words[] = {
    "a", "about", "above", "across", "act", "after", "again", "against", "age", "ago", "air",
    "all", "almost", "along", "already", "also", "always", "am", "among", "an", "and",
    "another", "any", "april", "are", "area", "around", "as", "ask", "at", "august", "away",
    "back", "bad", "bank", "bath", "be", "became", "because", "become", "been", "before",
    "began", "behind", "being", "best", "better", "between", "big", "bill", "black", "body",
    "book", "both", "brown", "bush", "business", "but", "by", "call", "came", "can", "car",
    "care", "case", "center", "centre", "chad", "change", "child", "china", "city", "close",
    "come", "common", "could", "country", "course", "cross", "cuba", "day", "did", "do",
    "does", "done", "door", "down", "during", "each", "early", "east", "end", "even",
    "ever", "every", "eye", "face", "fact", "faith", "family", "far", "few", "field", "find",
    "fire", "first", "five", "for", "force", "form", "found", "four", "free", "french",
    "from", "front", "full", "gave", "general", "georgia", "get", "give", "go", "going",
    "good", "got", "government", "grace", "great", "green", "group", "guinea", "had",
    "half", "hand", "has", "have", "he", "head", "hear", "help", "her", "here", "high",
    "him", "his", "home", "hope", "house", "how", "however", "i", "if", "in", "into", "is",
    "it", "its", "jersey", "jordan", "june", "just", "keep", "kind", "king", "knew", "know",
    "land", "large", "last", "late", "law", "lead", "least", "left", "less", "let", "life",
    "light", "like", "line", "little", "live", "long", "look", "made", "make", "man",
    "many", "march", "mark", "may", "me", "mean", "men", "might", "mind", "mobile", "more",
    "most", "much", "must", "my", "name", "national", "near", "need", "never", "new",
    "next", "nice", "night", "no", "north", "not", "nothing", "now", "number", "of",
    "off", "office", "often", "old", "on", "once", "one", "only", "open", "or", "order",
    "other", "our", "out", "over", "own", "paris", "part", "party", "past", "people",
    "place", "point", "polish", "power", "president", "price", "public", "put", "reading",
    "real", "rice", "right", "room", "rose", "round", "rule", "run", "said", "same", "saw",
    "say", "school", "second", "see", "seem", "set", "she", "should", "show", "side",
    "since", "small", "so", "some", "something", "south", "split", "state", "states",
    "still", "sun", "sure", "take", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "thing", "think", "this", "those", "though", "three",
    "through", "time", "to", "today", "together", "told", "too", "took", "toward", "town",
    "trump", "turkey", "turn", "two", "under", "union", "united", "until", "up", "upon",
    "us", "use", "very", "victoria", "want", "war", "was", "water", "way", "we", "well",
    "went", "were", "west", "what", "when", "where", "which", "while", "white", "who",
    "whole", "why", "will", "with", "within", "without", "word", "work", "world", "would",
    "year", "yet", "you", "young", "your",
};

typedef struct cctx {
    const an_gazetteer *gz;
    an_check_fn fn;
    void *ctx;
    long errors;
} cctx;

static void report(cctx *c, int level, const char *code, const char *file, unsigned long line,
                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

static void report(cctx *c, int level, const char *code, const char *file, unsigned long line,
                   const char *fmt, ...) {
    if (level == 2) c->errors++;
    if (!c->fn) return;
    an_finding f;
    memset(&f, 0, sizeof f);
    f.level = level;
    f.code = code;
    f.file = file ? file : "";
    f.line = line;
    va_list ap;
    va_start(ap, fmt);
    /* clang-tidy 14 forgets va_start in every file after the first of one run */
    vsnprintf(f.message, sizeof f.message, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
    va_end(ap);
    c->fn(c->ctx, &f);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- actors ------------------------------------------------------------- */

static int resolve(const an_gazetteer *gz, const char *id, size_t *out) {
    return an_gazetteer_find(gz, id, out) == AN_OK;
}

/* Depth-first search from `root` along parent links; 1 when it comes back to
 * root, with the cycle in path[0..*plen). */
static int find_cycle(const an_gazetteer *gz, size_t root, size_t *stamp, size_t mark,
                      size_t *from, size_t *stack, size_t *path, size_t *plen) {
    size_t top = 0;
    stack[top++] = root;
    stamp[root] = mark;
    while (top) {
        size_t v = stack[--top];
        an_actor_info ai;
        an_gazetteer_actor(gz, v, &ai);
        for (size_t p = 0; p < ai.n_parents; p++) {
            size_t u;
            if (!resolve(gz, ai.parents[p], &u)) continue;
            if (u == root) {
                size_t n = 0;
                for (size_t x = v;; x = from[x]) {
                    path[n++] = x;
                    if (x == root) break;
                }
                *plen = n;
                return 1;
            }
            if (stamp[u] == mark) continue;
            stamp[u] = mark;
            from[u] = v;
            stack[top++] = u;
        }
    }
    return 0;
}

static int check_actors(cctx *c) {
    size_t na = an_gazetteer_actor_count(c->gz);
    an_actor_info ai;
    const char *src;
    unsigned long line;
    for (size_t i = 0; i < na; i++) {
        an_gazetteer_actor(c->gz, i, &ai);
        an_i_gaz_actor_origin(c->gz, i, &src, &line);
        size_t first;
        if (resolve(c->gz, ai.id, &first) && first != i) {
            const char *fs;
            unsigned long fl;
            an_i_gaz_actor_origin(c->gz, first, &fs, &fl);
            report(c, 2, "duplicate-id", src, line,
                   "actor id \"%.*s\" is defined again (first at %s:%lu)", QMAX, ai.id, fs, fl);
        }
        for (size_t p = 0; p < ai.n_parents; p++) {
            size_t u;
            if (!resolve(c->gz, ai.parents[p], &u))
                report(c, 2, "unknown-parent", src, line,
                       "actor \"%.*s\" names parent \"%.*s\", which no gazetteer defines", QMAX,
                       ai.id, QMAX, ai.parents[p]);
        }
    }
    /* Cycles: stamp/from/stack/path of one search each; `done` marks actors
     * already reported in a cycle. */
    size_t *mem = an_i_calloc(na ? 5 * na : 1, sizeof *mem);
    if (!mem) return -1;
    size_t *stamp = mem, *from = mem + na, *stack = mem + 2 * na, *path = mem + 3 * na,
           *done = mem + 4 * na;
    for (size_t i = 0; i < na; i++) {
        size_t plen;
        if (done[i]) continue;
        /* The stack never holds an actor twice (stamped on push) but an actor
         * has several parents: the bound is the number of actors. */
        if (!find_cycle(c->gz, i, stamp, i + 1, from, stack, path, &plen)) continue;
        char msg[400];
        size_t o = 0;
        /* path runs from the child back to root; print it root first */
        for (size_t k = plen; k-- > 0 && o < sizeof msg - 1;) {
            an_gazetteer_actor(c->gz, path[k], &ai);
            int w = snprintf(msg + o, sizeof msg - o, "%s%.*s", k + 1 == plen ? "" : " -> ", 40,
                             ai.id);
            o = w < 0 ? o : o + (size_t)w;
            done[path[k]] = 1;
        }
        an_gazetteer_actor(c->gz, i, &ai);
        an_i_gaz_actor_origin(c->gz, i, &src, &line);
        report(c, 2, "parent-cycle", src, line, "parent cycle: %s -> %.*s", msg, 40, ai.id);
    }
    an_i_free(mem);
    return 0;
}

/* ---- aliases ------------------------------------------------------------ */

typedef struct akey {
    size_t alias;
    const char *fold;            /* arena + fold_off, once the arena is complete */
    size_t fold_off, fold_len;   /* into the arena */
    size_t exact_off, exact_len; /* EXACT aliases only */
} akey;

typedef struct keys {
    char *arena;
    size_t len, cap;
    an_i_norm_buf nb;
} keys;

/* The matcher's key of a whole alias: token keys joined by 0x1F. */
static an_status alias_key(keys *k, const char *text, unsigned flags, size_t *off, size_t *len) {
    an_i_tokenizer tz;
    an_i_token tok;
    an_i_tokenizer_init(&tz, text, strlen(text));
    *off = k->len;
    int first = 1;
    while (an_i_tokenizer_next(&tz, &tok)) {
        if (tok.kind == AN_I_TOK_DASH) continue;
        const char *key;
        size_t kl;
        unsigned f = flags | (tok.kind == AN_I_TOK_ABBR ? AN_I_NORM_DROPDOTS : 0u);
        an_status st = an_i_norm_key(&k->nb, text + tok.start, tok.end - tok.start, f, &key, &kl);
        if (st == AN_EINVAL) continue;
        if (st) return st;
        if (an_i_grow((void **)&k->arena, &k->cap, k->len + kl + 2, 1)) return AN_ENOMEM;
        if (!first) k->arena[k->len++] = '\x1f';
        memcpy(k->arena + k->len, key, kl);
        k->len += kl;
        first = 0;
    }
    *len = k->len - *off;
    return AN_OK;
}

static int cmp_fold(const void *a, const void *b) {
    const akey *x = a, *y = b;
    size_t n = x->fold_len < y->fold_len ? x->fold_len : y->fold_len;
    int r = n ? memcmp(x->fold, y->fold, n) : 0;
    if (r) return r;
    if (x->fold_len != y->fold_len) return x->fold_len < y->fold_len ? -1 : 1;
    return x->alias < y->alias ? -1 : x->alias > y->alias;
}

static int overlap(const an_alias_info *a, const an_alias_info *b) {
    int32_t af = a->date_from, at = a->date_to ? a->date_to : INT32_MAX;
    int32_t bf = b->date_from, bt = b->date_to ? b->date_to : INT32_MAX;
    return af <= bt && bf <= at;
}

static int collide(const char *arena, const akey *x, const an_alias_info *a, const akey *y,
                   const an_alias_info *b) {
    if (a->actor == b->actor || !overlap(a, b)) return 0;
    if (a->policy == AN_CASE_FOLD || b->policy == AN_CASE_FOLD) return 1;
    return x->exact_len == y->exact_len &&
           memcmp(arena + x->exact_off, arena + y->exact_off, x->exact_len) == 0;
}

typedef struct group {
    size_t first; /* first alias index */
    size_t begin, end; /* range in the sorted key array */
} group;

static int cmp_group(const void *a, const void *b) {
    const group *x = a, *y = b;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* Letters of s; *has_alnum: a letter or digit; *cased: a letter that has
 * case (Latin, Greek, Cyrillic ...; not CJK, Devanagari, Arabic). */
static size_t count_letters(const char *s, int *has_alnum, int *cased) {
    size_t n = strlen(s), i = 0, letters = 0;
    *has_alnum = 0;
    *cased = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) {
            i++;
            continue;
        }
        utf8proc_category_t cat = utf8proc_category(cp);
        if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) letters++, *has_alnum = 1;
        if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LT) *cased = 1;
        if (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO) *has_alnum = 1;
        i += (size_t)k;
    }
    return letters;
}

static int check_aliases(cctx *c) {
    size_t nl = an_gazetteer_alias_count(c->gz);
    const size_t nw = sizeof common_words / sizeof common_words[0];
    const char **words = an_i_malloc(nw * sizeof *words);
    akey *ks = an_i_calloc(nl ? nl : 1, sizeof *ks);
    group *gs = NULL;
    keys k;
    memset(&k, 0, sizeof k);
    int rc = -1;
    if (!words || !ks) goto done;
    for (size_t i = 0; i < nw; i++) words[i] = common_words[i];
    qsort(words, nw, sizeof *words, cmp_str);

    an_alias_info al;
    an_actor_info ai;
    for (size_t i = 0; i < nl; i++) {
        an_gazetteer_alias(c->gz, i, &al);
        an_gazetteer_actor(c->gz, al.actor, &ai);
        int alnum, cased;
        size_t letters = count_letters(al.text, &alnum, &cased);
        ks[i].alias = i;
        if (alias_key(&k, al.text, AN_I_NORM_FOLD, &ks[i].fold_off, &ks[i].fold_len)) goto done;
        if (al.policy == AN_CASE_EXACT &&
            alias_key(&k, al.text, 0, &ks[i].exact_off, &ks[i].exact_len))
            goto done;
        if (!alnum) {
            report(c, 2, "punctuation-only", al.source, al.line,
                   "alias \"%.*s\" of \"%.*s\" has no letter or digit", QMAX, al.text, QMAX,
                   ai.id);
            continue;
        }
        if (al.policy != AN_CASE_FOLD) continue;
        /* in a script without case (中国, 美国) exact and folded are the same */
        if (letters <= 2 && cased)
            report(c, 1, "short-alias", al.source, al.line,
                   "case-folded alias \"%.*s\" of \"%.*s\" has only %zu letter%s; "
                   "mark it exact (=) if it is an abbreviation",
                   QMAX, al.text, QMAX, ai.id, letters, letters == 1 ? "" : "s");
        char word[64];
        size_t fl = ks[i].fold_len;
        if (fl && fl < sizeof word) {
            memcpy(word, k.arena + ks[i].fold_off, fl);
            word[fl] = '\0';
            const char *key = word;
            if (bsearch(&key, words, nw, sizeof *words, cmp_str))
                report(c, 1, "common-word", al.source, al.line,
                       "case-folded alias \"%.*s\" of \"%.*s\" is a common English word; "
                       "mark it exact (=) or remove it",
                       QMAX, al.text, QMAX, ai.id);
        }
    }

    /* Same folded key: one group; report groups where two actors collide. */
    for (size_t i = 0; i < nl; i++) ks[i].fold = k.arena ? k.arena + ks[i].fold_off : "";
    qsort(ks, nl, sizeof *ks, cmp_fold);
    size_t ng = 0;
    gs = an_i_calloc(nl ? nl : 1, sizeof *gs);
    if (!gs) goto done;
    for (size_t b = 0; b < nl;) {
        size_t e = b + 1;
        while (e < nl && ks[e].fold_len == ks[b].fold_len &&
               memcmp(k.arena + ks[e].fold_off, k.arena + ks[b].fold_off, ks[b].fold_len) == 0)
            e++;
        int hit = 0;
        if (ks[b].fold_len)
            for (size_t x = b; x < e && !hit; x++)
                for (size_t y = x + 1; y < e && !hit; y++) {
                    an_alias_info ax, ay;
                    an_gazetteer_alias(c->gz, ks[x].alias, &ax);
                    an_gazetteer_alias(c->gz, ks[y].alias, &ay);
                    hit = collide(k.arena, &ks[x], &ax, &ks[y], &ay);
                }
        if (hit) gs[ng++] = (group){ks[b].alias, b, e};
        b = e;
    }
    qsort(gs, ng, sizeof *gs, cmp_group);
    for (size_t g = 0; g < ng; g++) {
        char list[360];
        size_t o = 0, shown = 0, distinct = 0;
        for (size_t x = gs[g].begin; x < gs[g].end; x++) {
            an_gazetteer_alias(c->gz, ks[x].alias, &al);
            int seen = 0;
            for (size_t y = gs[g].begin; y < x && !seen; y++) {
                an_alias_info ay;
                an_gazetteer_alias(c->gz, ks[y].alias, &ay);
                seen = ay.actor == al.actor;
            }
            if (seen) continue;
            distinct++;
            if (shown < 8) {
                shown++;
                an_gazetteer_actor(c->gz, al.actor, &ai);
                int w = snprintf(list + o, sizeof list - o, "%s%.*s", o ? ", " : "", 40, ai.id);
                if (w > 0 && (size_t)w < sizeof list - o) o += (size_t)w;
            }
        }
        an_gazetteer_alias(c->gz, gs[g].first, &al);
        report(c, 1, "alias-claimed-by-several", al.source, al.line,
               "alias \"%.*s\" is claimed by %zu actors: %s%s", QMAX, al.text, distinct, list,
               distinct > shown ? ", ..." : "");
    }
    rc = 0;
done:
    an_i_free(words);
    an_i_free(ks);
    an_i_free(gs);
    an_i_free(k.arena);
    an_i_norm_buf_free(&k.nb);
    return rc;
}

AN_EXPORT long an_gazetteer_check(const an_gazetteer *gz, an_check_fn fn, void *ctx) {
    if (!gz) return -1;
    cctx c = {gz, fn, ctx, 0};
    if (check_actors(&c) || check_aliases(&c)) return -1;
    return c.errors;
}
