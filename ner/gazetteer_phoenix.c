/* actornet — Phoenix / CAMEO actor dictionaries (PETRARCH2 format) as a
 * gazetteer. Mapping and defect handling: docs/gazetteer.md.
 *
 * A CAMEO code is the actor (AFG, RUSGOV, IGOWSTNAT): co-mention maps are
 * about states, governments and groups, and a person record in these files
 * exists only to say which code its phrases stand for, and when. So every
 * phrase of a record becomes an alias of every code of the record, with the
 * code's date restriction as the alias's date range.
 *
 * The real files have defects (records without a code, stray bytes,
 * duplicate phrases). They are repaired or skipped as documented and
 * summarised, one warning per kind, at the end of the load: a dictionary of
 * 35,000 phrases with a few dozen defects should load, and say so once.
 */
#include <string.h>
#include <utf8proc.h>

#include "core/internal.h"
#include "ner/gazetteer_internal.h"
#include "ner/json.h"

#define QMAX 80
#define DLINES 5

enum {
    D_NOCODE_FIXED,
    D_NOCODE_DROPPED,
    D_NUL,
    D_UTF8,
    D_CTRL,
    D_PLUS,
    D_DUP,
    D_BADCODE,
    D_BADDATE,
    D_BAREDATE,
    D_INDENT,
    D_ORPHAN,
    D_EMPTY,
    D_NKINDS
};

static const char *const d_text[D_NKINDS] = {
    "record(s) without a code took the codes of the next record with codes",
    "record(s) without a code dropped (no record with a code follows)",
    "NUL byte(s) replaced by U+FFFD",
    "invalid UTF-8 byte(s) replaced by U+FFFD",
    "control character(s) replaced by U+FFFD",
    "phrase(s) with a '+' inside, loaded as written",
    "phrase(s) already in an earlier record, loaded again",
    "unreadable code(s) skipped",
    "code(s) with an unreadable or reversed date restriction skipped",
    "code(s) with a bare date (no <, > or -) loaded without a date, as PETRARCH does",
    "indented phrase line(s) read as primary phrases",
    "synonym or code line(s) before the first phrase skipped",
    "empty phrase(s) skipped",
};

typedef struct defect {
    unsigned long count;
    unsigned long lines[DLINES];
    size_t n_lines;
    int more; /* lines beyond the first DLINES */
} defect;

typedef struct pcode {
    char code[32];
    int32_t from, to;
} pcode;

typedef struct pphrase {
    char *text;
    unsigned long line;
    unsigned long record; /* line of the record's primary phrase */
    int primary;
} pphrase;

/* Phrase text -> line of the first record that has it (texts are owned by
 * the phrase map, which keeps them after the phrase list is reset). */
typedef struct pmap_entry {
    char *text;
    unsigned long record;
} pmap_entry;

/* Per batch actor created here: label candidates. */
typedef struct plabel {
    char *undated; /* primary phrase of the first record with this code undated */
    char *any;     /* primary phrase of the first record with this code */
} plabel;

/* Empties the arena, keeping its newest block. */
static void sarena_reset(an_i_sblock **head) {
    if (!*head) return;
    an_i_sarena_free(&(*head)->next);
    (*head)->used = 0;
}

typedef struct pctx {
    an_i_gaz_batch *b;
    const char *name;
    an_i_gaz_warn *w;
    an_error *err;
    unsigned long line;
    defect d[D_NKINDS];
    /* the open record, preceded by the pending records without a code */
    pphrase *phr;
    size_t n_phr, cap_phr;
    an_i_sblock *phr_text; /* the texts of phr */
    pcode *codes;
    size_t n_codes, cap_codes;
    unsigned long *pending; /* record lines of the pending codeless records */
    size_t n_pending, cap_pending;
    int open; /* a record is open */
    size_t groups; /* "[...]" groups of the open record, usable or not */
    unsigned long record;
    an_i_alias_set set;
    pmap_entry *pmap;
    size_t pmap_cap, pmap_n;
    an_i_sblock *pmap_text; /* the texts of pmap */
    plabel *labels; /* indexed like b->actors */
    size_t cap_labels;
    /* the primary phrase of the first undated record of each gazetteer
     * actor with a weak label (indexed like the gazetteer's actors) */
    char **gz_undated;
    size_t n_gz;
    char *line_buf; /* sanitised line */
    size_t cap_line;
} pctx;

static an_status oom(pctx *c) {
    return an_i_error(c->err, AN_ENOMEM, c->name, c->line, 0, "out of memory");
}

static void defect_at(pctx *c, int kind, unsigned long line) {
    defect *d = &c->d[kind];
    d->count++;
    if (d->n_lines && d->lines[d->n_lines - 1] == line) return;
    if (d->n_lines < DLINES)
        d->lines[d->n_lines++] = line;
    else
        d->more = 1;
}

static uint64_t hash_text(const char *s) {
    uint64_t h = 1469598103934665603u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* ---- codes and dates --------------------------------------------------- */

typedef struct role {
    const char code[4];
    const char *word;
    const char *type;
} role;

/* CAMEO role and sector codes used to name and type composite codes. */
static const role roles[] = {
    {"AGR", "agriculture", "other"},   {"BUS", "business", "company"},
    {"COP", "police", "government"},   {"CRM", "criminals", "other"},
    {"CVL", "civilians", "other"},     {"DEV", "development", "other"},
    {"EDU", "education", "other"},     {"ELI", "elites", "other"},
    {"ENV", "environment", "other"},   {"GOV", "government", "government"},
    {"HLH", "health", "other"},        {"HRI", "human rights", "other"},
    {"INS", "insurgents", "armed_group"}, {"JUD", "judiciary", "government"},
    {"LAB", "labour", "other"},        {"LEG", "legislature", "government"},
    {"MED", "media", "other"},         {"MIL", "military", "military"},
    {"MOD", "moderates", "other"},     {"OPP", "opposition", "other"},
    {"PTY", "party", "other"},         {"RAD", "radicals", "other"},
    {"REB", "rebels", "armed_group"},  {"REF", "refugees", "other"},
    {"SEP", "separatists", "armed_group"}, {"SET", "settlers", "other"},
    {"SPY", "intelligence", "government"}, {"UAF", "armed forces", "armed_group"},
};

static const role *find_role(const char *s) {
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (memcmp(roles[i].code, s, 3) == 0) return &roles[i];
    return NULL;
}

/* What a code of a non-state prefix and nothing else names, in the plural
 * (CAMEO's codebook: inter-governmental organisation, non-governmental
 * organisation and movement, multinational corporation, international
 * militarised group). */
static const char *nonstate_noun(const char *s) {
    if (!memcmp(s, "IGO", 3)) return "intergovernmental organisations";
    if (!memcmp(s, "NGO", 3)) return "NGOs";
    if (!memcmp(s, "NGM", 3)) return "non-governmental movements";
    if (!memcmp(s, "MNC", 3)) return "multinationals";
    if (!memcmp(s, "IMG", 3)) return "international armed groups";
    return NULL;
}

/* Prefixes that are not states. */
static const char *nonstate_type(const char *s) {
    if (!memcmp(s, "IGO", 3) || !memcmp(s, "NGO", 3) || !memcmp(s, "NGM", 3))
        return "organisation";
    if (!memcmp(s, "MNC", 3)) return "company";
    if (!memcmp(s, "IMG", 3)) return "armed_group";
    return NULL;
}

static int all_upper3(const char *s) {
    for (int i = 0; i < 3; i++)
        if (s[i] < 'A' || s[i] > 'Z') return 0;
    return 1;
}

/* The country a composite code belongs to (its first three letters), or 0. */
static int country_prefix(const char *code) {
    return strlen(code) > 3 && all_upper3(code) && !nonstate_type(code) && !find_role(code);
}

static const char *code_type(const char *code) {
    size_t n = strlen(code);
    if (n < 3 || !all_upper3(code)) return "other";
    const char *t = nonstate_type(code);
    if (t) return t;
    if (n == 3) {
        const role *r = find_role(code);
        return r ? r->type : "country";
    }
    if (n >= 6) {
        const role *r = find_role(code + 3);
        if (r) return r->type;
    }
    return "other";
}

static int days_in_month(int y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

/* YYMMDD (00-29 -> 20YY, 30-99 -> 19YY) or YYYYMMDD. */
static int parse_pdate(const char *s, size_t n, int32_t *out) {
    if (n != 6 && n != 8) return 0;
    int v[8] = {0};
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        v[i] = s[i] - '0';
    }
    int y, k;
    if (n == 6) {
        y = v[0] * 10 + v[1];
        y += y < 30 ? 2000 : 1900;
        k = 2;
    } else {
        y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
        k = 4;
    }
    int m = v[k] * 10 + v[k + 1], d = v[k + 2] * 10 + v[k + 3];
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return 0;
    *out = (int32_t)(y * 10000 + m * 100 + d);
    return 1;
}

static int is_blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\r'; }

static void trim(const char **s, const char **e) {
    while (*s < *e && is_blank(**s)) (*s)++;
    while (*e > *s && is_blank((*e)[-1])) (*e)--;
}

/* One "[CODE restriction]" group's inside s..e. */
static an_status add_code(pctx *c, const char *s, const char *e) {
    trim(&s, &e);
    const char *ce = s;
    while (ce < e && !is_blank(*ce)) ce++;
    size_t n = (size_t)(ce - s);
    if (n == 3 && memcmp(s, "---", 3) == 0) return AN_OK; /* the null code: no actor */
    int ok = n >= 3 && n < sizeof(((pcode *)0)->code);
    for (size_t i = 0; ok && i < n; i++)
        ok = (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9');
    if (!ok) {
        defect_at(c, D_BADCODE, c->line);
        return AN_OK;
    }
    pcode pc;
    memset(&pc, 0, sizeof pc);
    memcpy(pc.code, s, n);
    const char *r = ce, *re = e;
    trim(&r, &re);
    if (r < re) {
        int good;
        if (*r == '<' || *r == '>') {
            const char *ds = r + 1, *de = re;
            trim(&ds, &de);
            good = parse_pdate(ds, (size_t)(de - ds), *r == '<' ? &pc.to : &pc.from);
        } else {
            const char *dash = memchr(r, '-', (size_t)(re - r));
            if (!dash) {
                int32_t ignored;
                good = parse_pdate(r, (size_t)(re - r), &ignored);
                defect_at(c, good ? D_BAREDATE : D_BADDATE, c->line);
                if (!good) return AN_OK;
            } else {
                const char *as = r, *ae = dash, *bs = dash + 1, *be = re;
                trim(&as, &ae);
                trim(&bs, &be);
                good = parse_pdate(as, (size_t)(ae - as), &pc.from) &&
                       parse_pdate(bs, (size_t)(be - bs), &pc.to) && pc.from <= pc.to;
            }
        }
        if (!good) {
            defect_at(c, D_BADDATE, c->line);
            return AN_OK;
        }
    }
    if (an_i_grow((void **)&c->codes, &c->cap_codes, c->n_codes + 1, sizeof *c->codes))
        return oom(c);
    c->codes[c->n_codes++] = pc;
    return AN_OK;
}

/* Every "[...]" group from s to e. */
static an_status add_codes(pctx *c, const char *s, const char *e) {
    while (s < e) {
        const char *open = memchr(s, '[', (size_t)(e - s));
        if (!open) break;
        const char *close = memchr(open, ']', (size_t)(e - open));
        if (!close) {
            c->groups++;
            defect_at(c, D_BADCODE, c->line);
            break;
        }
        c->groups++;
        an_status st = add_code(c, open + 1, close);
        if (st) return st;
        s = close + 1;
    }
    return AN_OK;
}

/* ---- phrases ----------------------------------------------------------- */

/* '_' -> space, blank runs -> one space, trimmed. */
static an_status add_phrase(pctx *c, const char *s, const char *e, int primary) {
    char *t = an_i_sarena_alloc(&c->phr_text, (size_t)(e - s) + 1);
    if (!t) return oom(c);
    size_t n = 0;
    int plus = 0;
    for (const char *p = s; p < e; p++) {
        char ch = *p == '_' ? ' ' : *p;
        if (is_blank(ch)) {
            if (n && t[n - 1] != ' ') t[n++] = ' ';
            continue;
        }
        plus |= ch == '+';
        t[n++] = ch;
    }
    while (n && t[n - 1] == ' ') n--;
    t[n] = '\0';
    if (!n) {
        defect_at(c, D_EMPTY, c->line);
        return AN_OK;
    }
    if (plus) defect_at(c, D_PLUS, c->line);
    if (an_i_grow((void **)&c->phr, &c->cap_phr, c->n_phr + 1, sizeof *c->phr)) return oom(c);
    pphrase *ph = &c->phr[c->n_phr++];
    ph->text = t;
    ph->line = c->line;
    ph->record = c->record;
    ph->primary = primary;
    return AN_OK;
}

/* Notes the phrase's first record; reports it when an earlier record had it. */
static an_status note_phrase(pctx *c, const pphrase *ph) {
    if (c->pmap_n + 1 > c->pmap_cap / 2) {
        size_t cap = c->pmap_cap ? c->pmap_cap * 2 : 1024;
        pmap_entry *m = an_i_calloc(cap, sizeof *m);
        if (!m) return oom(c);
        for (size_t i = 0; i < c->pmap_cap; i++) {
            if (!c->pmap[i].text) continue;
            size_t j = (size_t)hash_text(c->pmap[i].text) & (cap - 1);
            while (m[j].text) j = (j + 1) & (cap - 1);
            m[j] = c->pmap[i];
        }
        an_i_free(c->pmap);
        c->pmap = m;
        c->pmap_cap = cap;
    }
    size_t mask = c->pmap_cap - 1;
    size_t j = (size_t)hash_text(ph->text) & mask;
    for (; c->pmap[j].text; j = (j + 1) & mask) {
        if (strcmp(c->pmap[j].text, ph->text) == 0) {
            if (c->pmap[j].record != ph->record) defect_at(c, D_DUP, ph->line);
            return AN_OK;
        }
    }
    if (!(c->pmap[j].text = an_i_sarena_strndup(&c->pmap_text, ph->text, strlen(ph->text))))
        return oom(c);
    c->pmap[j].record = ph->record;
    c->pmap_n++;
    return AN_OK;
}

/* ---- actors ------------------------------------------------------------ */

static an_status grow_labels(pctx *c) {
    size_t old = c->cap_labels;
    if (an_i_grow((void **)&c->labels, &c->cap_labels, c->b->n_actors + 1, sizeof *c->labels))
        return AN_ENOMEM;
    memset(c->labels + old, 0, (c->cap_labels - old) * sizeof *c->labels);
    return AN_OK;
}

static an_status new_actor(pctx *c, const char *id, const char *type, const char *parent,
                           size_t *index) {
    an_i_actor a;
    memset(&a, 0, sizeof a);
    a.line = c->record ? c->record : c->line;
    a.label_weak = 1; /* the code, until make_labels finds better */
    if (grow_labels(c) || !(a.id = an_i_strdup(id)) || !(a.label = an_i_strdup(id)) ||
        !(a.type = an_i_strdup(type)))
        goto fail;
    if (parent) {
        if (!(a.parents = an_i_malloc(sizeof *a.parents))) goto fail;
        if (!(a.parents[0] = an_i_strdup(parent))) goto fail;
        a.n_parents = 1;
    }
    if (an_i_gaz_batch_add_actor(c->b, &a, index)) goto fail;
    return AN_OK;
fail:
    an_i_actor_free(&a);
    return oom(c);
}

/* The actor of a code, created with its parent country on first use. */
static an_status code_actor(pctx *c, const char *code, size_t *index) {
    if (an_i_gaz_batch_find(c->b, code, index)) return AN_OK;
    char prefix[4] = {0};
    if (country_prefix(code)) {
        memcpy(prefix, code, 3);
        size_t pi;
        an_status st;
        if (!an_i_gaz_batch_find(c->b, prefix, &pi) &&
            (st = new_actor(c, prefix, "country", NULL, &pi)))
            return st;
    }
    return new_actor(c, code, code_type(code), prefix[0] ? prefix : NULL, index);
}

static an_case_policy phrase_policy(const char *s) {
    size_t letters = 0, i = 0, n = strlen(s);
    /* Only "at most 3 letters?" matters: stop at the fourth. ASCII bytes are
     * letters exactly when they are A-Z or a-z (no utf8proc call). */
    while (i < n && letters <= 3) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            letters += (b | 0x20) >= 'a' && (b | 0x20) <= 'z';
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) break;
        utf8proc_category_t cat = utf8proc_category(cp);
        if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) letters++;
        i += (size_t)k;
    }
    /* "US", "UN", "IS" are words in lower case; longer names are not. */
    return letters <= 3 ? AN_CASE_EXACT : AN_CASE_FOLD;
}

static an_status add_alias(pctx *c, const pphrase *ph, size_t actor, const pcode *pc) {
    an_i_alias al;
    memset(&al, 0, sizeof al);
    al.text = ph->text;
    al.actor = actor;
    al.policy = phrase_policy(ph->text);
    al.date_from = pc->from;
    al.date_to = pc->to;
    al.line = ph->line;
    if (an_i_alias_set_has(&c->set, c->b, &al)) return AN_OK;
    if (!(al.text = an_i_gaz_batch_text(c->b, ph->text, strlen(ph->text))) ||
        an_i_gaz_batch_add_alias(c->b, &al))
        return oom(c);
    if (an_i_alias_set_add(&c->set, c->b, c->b->n_aliases - 1)) return oom(c);
    return AN_OK;
}

/* Keeps text as gazetteer actor g's undated primary phrase unless it has one. */
static an_status note_gz_undated(pctx *c, size_t g, const char *text) {
    if (!c->gz_undated) {
        size_t n = an_gazetteer_actor_count(c->b->gz);
        if (!(c->gz_undated = an_i_calloc(n ? n : 1, sizeof *c->gz_undated))) return oom(c);
        c->n_gz = n;
    }
    if (g < c->n_gz && !c->gz_undated[g] && !(c->gz_undated[g] = an_i_strdup(text)))
        return oom(c);
    return AN_OK;
}

/* Close the open record: emit it (and the pending codeless records before
 * it) when it has codes, else keep it pending. */
static an_status close_record(pctx *c) {
    if (!c->open) return AN_OK;
    c->open = 0;
    if (!c->groups) {
        if (an_i_grow((void **)&c->pending, &c->cap_pending, c->n_pending + 1,
                      sizeof *c->pending))
            return oom(c);
        c->pending[c->n_pending++] = c->record;
        return AN_OK;
    }
    c->groups = 0;
    /* Records with only the null code [---] or unreadable codes (reported)
     * name no actor: their phrases, and those of the pending records that
     * take their codes, are not loaded. */
    for (size_t i = 0; i < c->n_pending; i++) defect_at(c, D_NOCODE_FIXED, c->pending[i]);
    an_status st;
    for (size_t i = 0; i < c->n_phr; i++)
        if ((st = note_phrase(c, &c->phr[i]))) return st;
    /* Dated codes first: the matcher prefers the earlier of two aliases with
     * the same text, and PETRARCH prefers a matching dated code to the default. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < c->n_codes; k++) {
            const pcode *pc = &c->codes[k];
            int dated = pc->from || pc->to;
            if (dated != (pass == 0)) continue;
            size_t actor;
            if ((st = code_actor(c, pc->code, &actor))) return st;
            for (size_t i = 0; i < c->n_phr; i++) {
                const pphrase *ph = &c->phr[i];
                if ((st = add_alias(c, ph, actor, pc))) return st;
                if (ph->primary && !(actor & AN_I_GZ_ACTOR)) {
                    plabel *l = &c->labels[actor];
                    if (!dated && !l->undated && !(l->undated = an_i_strdup(ph->text)))
                        return oom(c);
                    if (!l->any && !(l->any = an_i_strdup(ph->text))) return oom(c);
                } else if (ph->primary && !dated && an_i_gaz_batch_label_weak(c->b, actor)) {
                    if ((st = note_gz_undated(c, actor & ~AN_I_GZ_ACTOR, ph->text))) return st;
                }
            }
        }
    }
    sarena_reset(&c->phr_text);
    c->n_phr = 0;
    c->n_codes = 0;
    c->n_pending = 0;
    return AN_OK;
}

/* ---- labels ------------------------------------------------------------ */

/* Words kept lower case inside a title ("Ministry of the Interior"). */
static int small_word(const char *s) {
    static const char *const w[] = {"OF", "THE", "AND", "FOR", "IN", "ON", "AT", "TO", "DE", "DEL",
                                    "DES", "DU", "LA", "LE", "LES", "VON", "VAN", "Y"};
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        size_t n = strlen(w[i]);
        if (strncmp(s, w[i], n) == 0 && (s[n] == ' ' || s[n] == '\0')) return 1;
    }
    return 0;
}

/* "AFGHAN_NATIONAL ARMY" -> "Afghan National Army"; "U.S." and "AL-QAEDA"
 * keep the capital after '.' and '-'; phrases of at most 4 letters (NATO)
 * stay as written. */
static char *title_case(const char *s) {
    size_t n = strlen(s), letters = 0;
    for (size_t i = 0; i < n; i++) letters += (s[i] >= 'A' && s[i] <= 'Z');
    if (letters <= 4) return an_i_strdup(s);
    char *out = an_i_malloc(n * 2 + 1); /* case mapping may lengthen a code point */
    if (!out) return NULL;
    size_t o = 0, i = 0;
    int prev_letter = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) {
            out[o++] = s[i++];
            prev_letter = 0;
            continue;
        }
        utf8proc_category_t cat = utf8proc_category(cp);
        int letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
        int small = letter && !prev_letter && o > 0 && out[o - 1] == ' ' && small_word(s + i);
        utf8proc_int32_t m = letter && (prev_letter || small) ? utf8proc_tolower(cp) : cp;
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t w = utf8proc_encode_char(m, enc);
        if (w <= 0 || o + (size_t)w > n * 2) {
            memcpy(out + o, s + i, (size_t)k);
            o += (size_t)k;
        } else {
            memcpy(out + o, enc, (size_t)w);
            o += (size_t)w;
        }
        /* the letter after an apostrophe inside a word is lower case: People's */
        prev_letter = letter || (cp == '\'' && prev_letter);
        i += (size_t)k;
    }
    out[o] = '\0';
    return out;
}

static an_status set_label(pctx *c, size_t i, char *label) {
    if (!label) return oom(c);
    an_i_free(c->b->actors[i].label);
    c->b->actors[i].label = label;
    return AN_OK;
}

/* "head role ... role tail" (head and tail may be NULL) for the role codes,
 * all known, that make up `codes` three letters each; NULL on out of memory. */
static char *roles_label(const char *head, const char *codes, const char *tail) {
    size_t n = strlen(codes);
    size_t len = 1 + (head ? strlen(head) + 1 : 0) + (tail ? strlen(tail) + 1 : 0);
    for (size_t k = 0; k < n; k += 3) len += strlen(find_role(codes + k)->word) + 1;
    char *lab = an_i_malloc(len);
    if (!lab) return NULL;
    lab[0] = '\0';
    if (head) strcat(lab, head);
    for (size_t k = 0; k <= n; k += 3) {
        const char *w = k < n ? find_role(codes + k)->word : tail;
        if (!w) continue;
        if (lab[0]) strcat(lab, " ");
        strcat(lab, w);
    }
    return lab;
}

/* The label of a category code, a non-state prefix followed by at most one
 * country and then only known roles ("MNCUSA" -> "United States of America
 * multinationals", "NGOHRI" -> "Human rights NGOs", "NGO" -> "NGOs"), or
 * NULL (*oom_flag set on failure) when the code is not one. Such
 * a code stands for every organisation of its kind: its first record
 * ("EARL_SLACK_ [MNCUSA]") names one of them, not the category. */
static char *category_label(pctx *c, const char *id, int *oom_flag) {
    size_t n = strlen(id);
    const char *noun = n >= 3 && n % 3 == 0 ? nonstate_noun(id) : NULL;
    if (!noun) return NULL;
    const char *country = NULL;
    size_t k = 3;
    if (k < n && !find_role(id + k)) {
        char part[4] = {id[k], id[k + 1], id[k + 2], 0};
        size_t pi;
        if (!an_i_gaz_batch_find(c->b, part, &pi) ||
            strcmp(an_i_gaz_batch_type(c->b, pi), "country") != 0)
            return NULL;
        country = an_i_gaz_batch_label(c->b, pi);
        k += 3;
    }
    for (size_t r = k; r < n; r += 3)
        if (!find_role(id + r)) return NULL;
    char *lab = roles_label(country, id + k, noun);
    if (!lab) {
        *oom_flag = 1;
        return NULL;
    }
    if (lab[0] >= 'a' && lab[0] <= 'z') lab[0] = (char)(lab[0] - 'a' + 'A'); /* "Health NGOs" */
    return lab;
}

/* Composite codes made only of known roles get "<country> <roles>"
 * ("Afghanistan government"), category codes "<country> <roles> <kind>"
 * (category_label); other codes the primary phrase of their first
 * undated record, else of their first record. Countries first, so that the
 * composite labels can use them. */
static an_status make_labels(pctx *c) {
    an_status st;
    /* c->labels grows as this parser makes actors; growing it here as well
     * covers every actor of the batch even when no record made one (an empty
     * file), instead of relying on the batch having started empty. */
    if (grow_labels(c)) return oom(c);
    /* Codes of an earlier Phoenix load labelled only by their code or a
     * dated record ("IGOEUREEC": in the Countries file only dated records of
     * Council presidents, in the International file "EUROPEAN_UNION"), first:
     * the composite labels below use the new ones. */
    for (size_t g = 0; g < c->n_gz; g++)
        if (c->gz_undated[g] &&
            an_i_gaz_batch_relabel(c->b, AN_I_GZ_ACTOR | g, title_case(c->gz_undated[g])))
            return oom(c);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < c->b->n_actors; i++) {
            const char *id = c->b->actors[i].id;
            size_t n = strlen(id);
            if ((n <= 3) != (pass == 0)) continue;
            const plabel *l = &c->labels[i];
            int roles_only = country_prefix(id) && n % 3 == 0;
            for (size_t k = 3; roles_only && k < n; k += 3) roles_only = find_role(id + k) != NULL;
            if (roles_only) {
                char prefix[4] = {id[0], id[1], id[2], 0};
                size_t pi;
                const char *pl = an_i_gaz_batch_find(c->b, prefix, &pi)
                                     ? an_i_gaz_batch_label(c->b, pi)
                                     : prefix;
                if ((st = set_label(c, i, roles_label(pl, id + 3, NULL)))) return st;
                c->b->actors[i].label_weak = 0;
                continue;
            }
            int fail = 0;
            char *cat = category_label(c, id, &fail);
            if (fail) return oom(c);
            if (cat) {
                if ((st = set_label(c, i, cat))) return st;
                c->b->actors[i].label_weak = 0;
            } else if (l->undated || l->any) {
                if ((st = set_label(c, i, title_case(l->undated ? l->undated : l->any))))
                    return st;
                c->b->actors[i].label_weak = !l->undated;
            }
        }
    }
    return AN_OK;
}

/* ---- lines ------------------------------------------------------------- */

/* Copy of p..e into c->line_buf with NUL, invalid UTF-8 and control bytes
 * (TAB excepted) replaced by U+FFFD, so that every alias is valid UTF-8. */
static an_status sanitise(pctx *c, const char *p, const char *e, size_t *out_len) {
    size_t n = (size_t)(e - p);
    if (an_i_grow((void **)&c->line_buf, &c->cap_line, n * 3 + 1, 1)) return oom(c);
    size_t o = 0;
    while (p < e) {
        unsigned char ch = (unsigned char)*p;
        if (ch >= 0x80) {
            size_t ok = an_i_utf8_valid_prefix(p, (size_t)(e - p) < 4 ? (size_t)(e - p) : 4);
            size_t k = ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : ch >= 0xC0 ? 2 : 1;
            if (ok >= k) {
                memcpy(c->line_buf + o, p, k);
                o += k;
                p += k;
                continue;
            }
            defect_at(c, D_UTF8, c->line);
        } else if (ch == 0) {
            defect_at(c, D_NUL, c->line);
        } else if ((ch < 0x20 && ch != '\t') || ch == 0x7F) {
            defect_at(c, D_CTRL, c->line);
        } else {
            c->line_buf[o++] = (char)ch;
            p++;
            continue;
        }
        memcpy(c->line_buf + o, "\xEF\xBF\xBD", 3);
        o += 3;
        p++;
    }
    c->line_buf[o] = '\0';
    *out_len = o;
    return AN_OK;
}

static an_status parse_line(pctx *c, const char *s, const char *e) {
    an_status st;
    const char *p = s;
    while (p < e && is_blank(*p)) p++;
    if (p == e) return AN_OK;
    if (*p == '[') { /* TAB [CODE restriction] */
        if (!c->open) {
            defect_at(c, D_ORPHAN, c->line);
            return AN_OK;
        }
        return add_codes(c, p, e);
    }
    int synonym = *p == '+';
    if (synonym && !c->open) {
        defect_at(c, D_ORPHAN, c->line);
        return AN_OK;
    }
    if (!synonym) {
        if (p > s) defect_at(c, D_INDENT, c->line);
        if ((st = close_record(c))) return st;
        c->open = 1;
        c->record = c->line;
    } else {
        p++;
    }
    const char *br = memchr(p, '[', (size_t)(e - p));
    if ((st = add_phrase(c, p, br ? br : e, !synonym))) return st;
    return br ? add_codes(c, br, e) : AN_OK;
}

static an_status summarise(pctx *c) {
    for (int k = 0; k < D_NKINDS; k++) {
        const defect *d = &c->d[k];
        if (!d->count) continue;
        char lines[96];
        size_t o = 0;
        for (size_t i = 0; i < d->n_lines; i++)
            o += (size_t)snprintf(lines + o, sizeof lines - o, "%s%lu", i ? ", " : "",
                                  d->lines[i]);
        an_status st = an_i_gaz_warn_report(
            c->w, c->err, AN_EPARSE, c->name, d->lines[0], 0, "%lu %s (line%s %s%s)", d->count,
            d_text[k], d->n_lines > 1 ? "s" : "", lines,
            d->more ? ", ..." : "");
        if (st) return st;
    }
    return AN_OK;
}

an_status an_i_gaz_parse_phoenix(an_i_gaz_batch *b, const char *data, size_t len,
                                 const char *name, an_i_gaz_warn *w, an_error *err) {
    pctx c;
    memset(&c, 0, sizeof c);
    c.b = b;
    c.name = name;
    c.w = w;
    c.err = err;
    an_status st = AN_OK;
    const char *p = data, *end = data + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    while (p < end && !st) {
        c.line++;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        /* '#' starts a comment anywhere (PETRARCH cuts there too); "<!" lines are comments */
        const char *hash = memchr(p, '#', (size_t)(le - p));
        const char *ce = hash ? hash : le;
        if (!(ce - p >= 2 && p[0] == '<' && p[1] == '!')) {
            size_t n = 0;
            if (!(st = sanitise(&c, p, ce, &n))) st = parse_line(&c, c.line_buf, c.line_buf + n);
        }
        p = nl ? nl + 1 : end;
    }
    if (!st) st = close_record(&c);
    if (!st)
        for (size_t i = 0; i < c.n_pending; i++) defect_at(&c, D_NOCODE_DROPPED, c.pending[i]);
    if (!st) st = make_labels(&c);
    if (!st) st = summarise(&c);

    an_i_sarena_free(&c.phr_text);
    an_i_free(c.phr);
    an_i_free(c.codes);
    an_i_free(c.pending);
    an_i_alias_set_free(&c.set);
    an_i_sarena_free(&c.pmap_text);
    an_i_free(c.pmap);
    for (size_t i = 0; i < c.cap_labels; i++) {
        an_i_free(c.labels[i].undated);
        an_i_free(c.labels[i].any);
    }
    an_i_free(c.labels);
    for (size_t i = 0; i < c.n_gz; i++) an_i_free(c.gz_undated[i]);
    an_i_free(c.gz_undated);
    an_i_free(c.line_buf);
    return st;
}
