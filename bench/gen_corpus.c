/* gen_corpus — deterministic synthetic news-like corpus for the actornet benchmark.
 *
 * Standalone on purpose: it must not depend on the library it is used to measure.
 *
 *   gen_corpus [options] (--files DIR | --jsonl FILE) GAZ.tsv...
 *   gen_corpus [--seed N] --gazetteer N OUT.tsv
 *
 * Output is a pure function of the options and the gazetteer files: the same
 * seed and size give byte-identical output on any machine (own PRNG, no rand(),
 * no floating point that depends on the libm of the day beyond pow() at setup).
 * A smaller --size produces a prefix of a larger one (same documents, fewer).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define MAX_LINE (1u << 20)

static const char *progname = "gen_corpus";

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2), noreturn))
#endif
static void die(const char *fmt, ...);
static void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", progname);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory (%zu bytes)", n);
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory (%zu bytes)", n);
    return p;
}

/* ---------- PRNG: xoshiro256** seeded with splitmix64 ---------- */

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n) without modulo bias worth caring about (Lemire's multiply). */
static uint64_t rng_below(rng *r, uint64_t n)
{
    return (uint64_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

/* 53-bit uniform in [0, 1). */
static double rng_unit(rng *r) { return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0); }

/* ---------- Zipf sampler: CDF table + binary search ---------- */

typedef struct zipf {
    double *cdf;
    size_t n;
} zipf;

static void zipf_init(zipf *z, size_t n, double s)
{
    z->n = n;
    z->cdf = xmalloc(n * sizeof *z->cdf);
    double acc = 0.0;
    for (size_t i = 0; i < n; i++) {
        acc += 1.0 / pow((double)(i + 1), s);
        z->cdf[i] = acc;
    }
    for (size_t i = 0; i < n; i++)
        z->cdf[i] /= acc;
    z->cdf[n - 1] = 1.0;
}

static size_t zipf_draw(const zipf *z, rng *r)
{
    double u = rng_unit(r);
    size_t lo = 0, hi = z->n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->cdf[mid] <= u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---------- vocabulary: common English words, most frequent first ---------- */

static const char *const vocab[] = {
    "the", "of", "and", "to", "a", "in", "that", "is", "was", "for", "on", "it", "with", "as",
    "he", "said", "at", "by", "his", "be", "from", "are", "have", "this", "not", "but", "had",
    "they", "has", "an", "were", "which", "their", "or", "we", "been", "will", "who", "would",
    "its", "there", "more", "one", "after", "also", "new", "two", "than", "about", "people",
    "over", "into", "other", "some", "last", "year", "could", "up", "out", "when", "government",
    "them", "all", "what", "can", "first", "no", "our", "if", "only", "officials", "minister",
    "president", "week", "while", "state", "talks", "against", "since", "between", "under",
    "country", "military", "forces", "security", "meeting", "agreement", "police", "report",
    "told", "reporters", "statement", "according", "former", "leader", "election", "war",
    "peace", "border", "region", "capital", "city", "talks", "support", "foreign", "national",
    "local", "group", "groups", "attack", "attacks", "killed", "wounded", "protest", "protesters",
    "council", "parliament", "vote", "deal", "trade", "economic", "economy", "oil", "gas",
    "prices", "market", "bank", "billion", "million", "percent", "days", "months", "years",
    "time", "during", "before", "several", "many", "most", "such", "any", "each", "both",
    "spokesman", "spokeswoman", "ministry", "defence", "interior", "army", "troops", "soldiers",
    "civilians", "refugees", "aid", "humanitarian", "sanctions", "envoy", "delegation",
    "summit", "visit", "visited", "met", "called", "urged", "warned", "denied", "accused",
    "announced", "agreed", "rejected", "condemned", "welcomed", "signed", "launched", "held",
    "made", "took", "gave", "came", "went", "says", "say", "according", "because", "however",
    "although", "despite", "further", "early", "late", "next", "recent", "previous", "major",
    "senior", "top", "high", "low", "long", "small", "large", "big", "key", "main", "public",
    "political", "international", "regional", "diplomatic", "official", "opposition",
    "ceasefire", "violence", "fighting", "clashes", "operation", "operations", "crisis",
    "issue", "issues", "plan", "plans", "policy", "law", "court", "judge", "case", "trial",
    "rights", "human", "media", "news", "agency", "press", "conference", "interview",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "morning",
    "evening", "night", "day", "today", "yesterday", "tomorrow", "north", "south", "east",
    "west", "northern", "southern", "eastern", "western", "area", "areas", "town", "village",
    "province", "district", "road", "airport", "port", "building", "headquarters", "camp",
    "hospital", "school", "university", "water", "food", "power", "energy", "fuel", "health",
    "workers", "union", "strike", "company", "companies", "business", "investment", "growth",
    "budget", "tax", "debt", "loan", "fund", "funds", "cooperation", "relations", "ties",
    "partners", "allies", "neighbours", "region", "community", "members", "member", "chief",
    "head", "commander", "general", "officer", "director", "secretary", "ambassador",
    "negotiations", "negotiators", "proposal", "resolution", "measures", "steps", "efforts",
    "pressure", "threat", "threats", "risk", "concern", "concerns", "situation", "process",
    "future", "way", "part", "place", "number", "group", "side", "sides", "end", "point",
    "move", "decision", "response", "action", "control", "power", "role", "need", "help",
    "would", "should", "might", "must", "may", "did", "do", "does", "being", "still", "even",
    "just", "again", "already", "very", "well", "back", "down", "off", "then", "now", "here",
    "where", "how", "why", "these", "those", "another", "same", "own", "few", "much", "three",
    "four", "five", "ten", "hundreds", "thousands", "dozens", "second", "third", "half",
};
#define N_VOCAB (sizeof vocab / sizeof vocab[0])

/* ---------- gazetteer aliases ---------- */

typedef struct alias_set {
    char **items;
    size_t *lens;
    size_t n, cap;
} alias_set;

static void alias_push(alias_set *a, const char *s, size_t len)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 1024;
        a->items = xrealloc(a->items, a->cap * sizeof *a->items);
        a->lens = xrealloc(a->lens, a->cap * sizeof *a->lens);
    }
    char *p = xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    a->items[a->n] = p;
    a->lens[a->n] = len;
    a->n++;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* One alias as written in field 5: trim, drop the case marker and a trailing
 * {FROM..TO} range. The text keeps the alias's own spelling and case. */
static void add_alias(alias_set *a, const char *s, size_t len)
{
    while (len && is_space(*s))
        s++, len--;
    while (len && is_space(s[len - 1]))
        len--;
    if (len && (s[0] == '=' || s[0] == '~'))
        s++, len--;
    if (len && s[len - 1] == '}') {
        size_t i = len;
        while (i > 0 && s[i - 1] != '{')
            i--;
        if (i > 0)
            len = i - 1;
    }
    while (len && is_space(s[len - 1]))
        len--;
    int has_alnum = 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80 || (s[i] >= '0' && s[i] <= '9') ||
            ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'))
            has_alnum = 1;
    if (has_alnum)
        alias_push(a, s, len);
}

static void load_gazetteer(alias_set *a, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("%s: %s", path, strerror(errno));
    char *line = xmalloc(MAX_LINE);
    unsigned long lineno = 0;
    while (fgets(line, MAX_LINE, f)) {
        lineno++;
        char *p = line;
        if (lineno == 1 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
            (unsigned char)p[2] == 0xBF)
            p += 3;
        size_t len = strlen(p);
        while (len && (p[len - 1] == '\n' || p[len - 1] == '\r'))
            p[--len] = '\0';
        const char *q = p;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q == '\0' || *q == '#')
            continue;
        /* field 5 starts after the fourth TAB */
        char *field = p;
        for (int tabs = 0; tabs < 4 && field; tabs++) {
            field = strchr(field, '\t');
            if (field)
                field++;
        }
        if (!field) {
            fprintf(stderr, "%s: %s:%lu: not 5 tab-separated fields, skipped\n", progname, path,
                    lineno);
            continue;
        }
        char *end = strchr(field, '\t');
        if (end)
            *end = '\0';
        char *start = field;
        for (;;) {
            char *bar = strchr(start, '|');
            add_alias(a, start, bar ? (size_t)(bar - start) : strlen(start));
            if (!bar)
                break;
            start = bar + 1;
        }
    }
    if (ferror(f))
        die("%s: read error", path);
    fclose(f);
    free(line);
}

/* ---------- output buffer ---------- */

typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static void buf_reserve(buf *b, size_t extra)
{
    if (b->len + extra > b->cap) {
        while (b->len + extra > b->cap)
            b->cap = b->cap ? b->cap * 2 : 1 << 16;
        b->p = xrealloc(b->p, b->cap);
    }
}

static void buf_put(buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void buf_putc(buf *b, char c)
{
    buf_reserve(b, 1);
    b->p[b->len++] = c;
}

/* ---------- document generation ---------- */

typedef struct gen {
    rng r;
    zipf words;
    zipf actors;
    const alias_set *aliases;
    size_t *order;       /* Zipf rank -> alias index (seeded shuffle) */
    uint64_t mention_threshold; /* P(mention per word) as a 64-bit fraction */
    uint64_t mentions;
} gen;

/* A sentence of 6..30 words ending with '.', sometimes '?' or '!'; commas sprinkled. */
static void gen_sentence(gen *g, buf *b)
{
    size_t n = 6 + (size_t)rng_below(&g->r, 25);
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(b, ' ');
        if (rng_next(&g->r) < g->mention_threshold) {
            size_t a = g->order[zipf_draw(&g->actors, &g->r)];
            buf_put(b, g->aliases->items[a], g->aliases->lens[a]);
            g->mentions++;
        } else {
            const char *w = vocab[zipf_draw(&g->words, &g->r)];
            size_t at = b->len;
            buf_put(b, w, strlen(w));
            if (i == 0 && b->p[at] >= 'a' && b->p[at] <= 'z')
                b->p[at] = (char)(b->p[at] - 'a' + 'A');
        }
        if (i + 1 < n && rng_below(&g->r, 12) == 0)
            buf_putc(b, ',');
    }
    uint64_t p = rng_below(&g->r, 100);
    buf_putc(b, p < 2 ? '?' : p < 3 ? '!' : '.');
}

/* A document of roughly `target` bytes: paragraphs of 2..7 sentences separated
 * by a blank line, ending with a newline. */
static void gen_document(gen *g, buf *b, size_t target)
{
    b->len = 0;
    while (b->len < target) {
        if (b->len)
            buf_put(b, "\n\n", 2);
        size_t n = 2 + (size_t)rng_below(&g->r, 6);
        for (size_t i = 0; i < n; i++) {
            if (i)
                buf_putc(b, ' ');
            gen_sentence(g, b);
        }
    }
    buf_putc(b, '\n');
}

static uint64_t parse_size(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v < 0)
        die("bad size \"%s\"", s);
    double mult = 1;
    switch (*end) {
    case 'k': case 'K': mult = 1024.0; end++; break;
    case 'm': case 'M': mult = 1024.0 * 1024; end++; break;
    case 'g': case 'G': mult = 1024.0 * 1024 * 1024; end++; break;
    default: break;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end)
        die("bad size \"%s\" (use e.g. 100M, 2G, 512K)", s);
    v *= mult;
    if (v < 1 || v > 64.0 * 1024 * 1024 * 1024)
        die("size \"%s\" out of range (1 byte .. 64G)", s);
    return (uint64_t)v;
}

static void write_all(FILE *f, const char *p, size_t n, const char *path)
{
    if (n && fwrite(p, 1, n, f) != n)
        die("%s: write error: %s", path, strerror(errno));
}

static void make_dir(const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        die("%s: %s", path, strerror(errno));
}

/* JSON string body: our text is ASCII plus newlines, but escape properly anyway. */
static void json_escape(buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            buf_putc(out, '\\');
            buf_putc(out, (char)c);
        } else if (c == '\n') {
            buf_put(out, "\\n", 2);
        } else if (c < 0x20) {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            buf_put(out, u, 6);
        } else {
            buf_putc(out, (char)c);
        }
    }
}

/* ---------- synthetic gazetteer ---------- */

static const char consonants[] = "bdfgklmnprstvz";
static const char vowels[] = "aeiou";
#define N_SYL ((sizeof consonants - 1) * (sizeof vowels - 1))

static void put_syllable(buf *b, size_t k, int capital)
{
    char c = consonants[k / (sizeof vowels - 1)];
    buf_putc(b, capital ? (char)(c - 'a' + 'A') : c);
    buf_putc(b, vowels[k % (sizeof vowels - 1)]);
}

static void put_random_word(gen *g, buf *b)
{
    size_t n = 2 + (size_t)rng_below(&g->r, 2);
    for (size_t i = 0; i < n; i++)
        put_syllable(b, (size_t)rng_below(&g->r, N_SYL), i == 0);
    if (rng_below(&g->r, 3) == 0)
        buf_putc(b, consonants[rng_below(&g->r, sizeof consonants - 1)]);
}

/* Alias number `k` starts with a word that spells k in bijective base N_SYL (at
 * least two syllables) followed by an 'x' no random word ends with, so every alias
 * is distinct without a hash set; the other 1..2 words are random. */
static void put_alias(gen *g, buf *b, uint64_t k)
{
    char digits[32];
    size_t nd = 0;
    uint64_t v = k + N_SYL + 1; /* >= 2 digits */
    while (v > 0) {
        v--;
        digits[nd++] = (char)(v % N_SYL);
        v /= N_SYL;
    }
    for (size_t i = nd; i-- > 0;)
        put_syllable(b, (size_t)digits[i], i == nd - 1);
    buf_putc(b, 'x');
    size_t extra = 1 + (size_t)rng_below(&g->r, 2);
    for (size_t i = 0; i < extra; i++) {
        buf_putc(b, ' ');
        put_random_word(g, b);
    }
}

static int write_gazetteer(uint64_t seed, uint64_t n_aliases, const char *path)
{
    static const char *const types[] = {"person", "organisation", "armed_group", "country",
                                        "government", "city", "other"};
    gen g;
    memset(&g, 0, sizeof g);
    rng_seed(&g.r, seed ^ 0x67617a6574746565ull);
    FILE *f = fopen(path, "wb");
    if (!f)
        die("%s: %s", path, strerror(errno));
    buf line = {0}, first = {0};
    const char *hdr = "# synthetic gazetteer written by bench/gen_corpus --gazetteer\n"
                      "# id\tlabel\ttype\tparents\taliases\n";
    write_all(f, hdr, strlen(hdr), path);
    uint64_t k = 0, actor = 0;
    while (k < n_aliases) {
        uint64_t per = 1 + rng_below(&g.r, 3);
        if (per > n_aliases - k)
            per = n_aliases - k;
        buf aliases = {0};
        first.len = 0;
        for (uint64_t i = 0; i < per; i++, k++) {
            if (i)
                buf_putc(&aliases, '|');
            size_t at = aliases.len;
            put_alias(&g, &aliases, k);
            if (i == 0)
                buf_put(&first, aliases.p + at, aliases.len - at);
        }
        line.len = 0;
        char id[32];
        int idn = snprintf(id, sizeof id, "SYN%llu\t", (unsigned long long)actor);
        buf_put(&line, id, (size_t)idn);
        buf_put(&line, first.p, first.len);
        buf_putc(&line, '\t');
        const char *t = types[rng_below(&g.r, sizeof types / sizeof types[0])];
        buf_put(&line, t, strlen(t));
        buf_put(&line, "\t\t", 2);
        buf_put(&line, aliases.p, aliases.len);
        buf_putc(&line, '\n');
        write_all(f, line.p, line.len, path);
        free(aliases.p);
        actor++;
    }
    if (fclose(f) != 0)
        die("%s: %s", path, strerror(errno));
    free(line.p);
    free(first.p);
    fprintf(stderr, "%s: wrote %llu aliases for %llu actors to %s\n", progname,
            (unsigned long long)n_aliases, (unsigned long long)actor, path);
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: %s [options] (--files DIR | --jsonl FILE) GAZETTEER.tsv...\n"
            "       %s [--seed N] --gazetteer N OUT.tsv\n"
            "\n"
            "Writes a deterministic news-like English corpus whose actor mentions are\n"
            "aliases of the given native TSV gazetteers, drawn with a Zipf law.\n"
            "\n"
            "  --size SIZE        total text bytes, e.g. 10M, 100M, 2G (default 100M)\n"
            "  --files DIR        one text file per document, DIR/NNN/docNNNNNNN.txt\n"
            "  --jsonl FILE       one JSON object per line {\"id\",\"text\"} ('-' = stdout)\n"
            "  --rate N           about one mention per N words (default 25)\n"
            "  --zipf S           Zipf exponent over aliases (default 1.1)\n"
            "  --doc-min BYTES    smallest document (default 20K)\n"
            "  --doc-max BYTES    largest document (default 60K)\n"
            "  --seed N           PRNG seed (default 1)\n"
            "  --gazetteer N OUT  write a synthetic native gazetteer of N aliases and exit\n"
            "\n"
            "Summary (bytes, documents, mentions) goes to stderr.\n",
            progname, progname);
}

int main(int argc, char **argv)
{
    uint64_t size = 100ull << 20, seed = 1, doc_min = 20 << 10, doc_max = 60 << 10;
    double rate = 25.0, zipf_s = 1.1;
    const char *files_dir = NULL, *jsonl_path = NULL;
    const char **gaz = xmalloc((size_t)argc * sizeof *gaz);
    size_t n_gaz = 0;
    int gaz_mode = 0;
    uint64_t gaz_n = 0;
    const char *gaz_out = NULL;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
#define NEED_ARG()                                                                              \
    do {                                                                                        \
        if (i + 1 >= argc) {                                                                    \
            fprintf(stderr, "%s: %s needs an argument\n", progname, a);                         \
            return 2;                                                                           \
        }                                                                                       \
    } while (0)
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--size")) {
            NEED_ARG();
            size = parse_size(argv[++i]);
        } else if (!strcmp(a, "--files")) {
            NEED_ARG();
            files_dir = argv[++i];
        } else if (!strcmp(a, "--jsonl")) {
            NEED_ARG();
            jsonl_path = argv[++i];
        } else if (!strcmp(a, "--rate")) {
            NEED_ARG();
            rate = strtod(argv[++i], NULL);
            if (!(rate >= 1.0))
                die("--rate must be >= 1");
        } else if (!strcmp(a, "--zipf")) {
            NEED_ARG();
            zipf_s = strtod(argv[++i], NULL);
            if (!(zipf_s > 0.0 && zipf_s < 10.0))
                die("--zipf must be in (0, 10)");
        } else if (!strcmp(a, "--doc-min")) {
            NEED_ARG();
            doc_min = parse_size(argv[++i]);
        } else if (!strcmp(a, "--doc-max")) {
            NEED_ARG();
            doc_max = parse_size(argv[++i]);
        } else if (!strcmp(a, "--seed")) {
            NEED_ARG();
            seed = strtoull(argv[++i], NULL, 0);
        } else if (!strcmp(a, "--gazetteer")) {
            if (i + 2 >= argc) {
                fprintf(stderr, "%s: --gazetteer needs N and OUT.tsv\n", progname);
                return 2;
            }
            gaz_mode = 1;
            gaz_n = strtoull(argv[++i], NULL, 10);
            gaz_out = argv[++i];
            if (gaz_n == 0)
                die("--gazetteer N must be > 0");
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "%s: unknown option %s\n", progname, a);
            usage(stderr);
            return 2;
        } else {
            gaz[n_gaz++] = a;
        }
#undef NEED_ARG
    }
    if (gaz_mode)
        return write_gazetteer(seed, gaz_n, gaz_out);
    if ((files_dir == NULL) == (jsonl_path == NULL) || n_gaz == 0) {
        usage(stderr);
        return 2;
    }
    if (doc_max < doc_min)
        doc_max = doc_min;

    alias_set aliases = {0};
    for (size_t i = 0; i < n_gaz; i++)
        load_gazetteer(&aliases, gaz[i]);
    if (aliases.n == 0)
        die("no aliases found in the gazetteer file(s)");

    gen g;
    memset(&g, 0, sizeof g);
    rng_seed(&g.r, seed);
    zipf_init(&g.words, N_VOCAB, 1.0);
    zipf_init(&g.actors, aliases.n, zipf_s);
    g.aliases = &aliases;
    g.order = xmalloc(aliases.n * sizeof *g.order);
    for (size_t i = 0; i < aliases.n; i++)
        g.order[i] = i;
    for (size_t i = aliases.n; i > 1; i--) { /* Fisher-Yates: rank is not file order */
        size_t j = (size_t)rng_below(&g.r, i);
        size_t t = g.order[i - 1];
        g.order[i - 1] = g.order[j];
        g.order[j] = t;
    }
    g.mention_threshold = (uint64_t)(18446744073709551615.0 / rate);

    FILE *jf = NULL;
    if (jsonl_path) {
        jf = strcmp(jsonl_path, "-") ? fopen(jsonl_path, "wb") : stdout;
        if (!jf)
            die("%s: %s", jsonl_path, strerror(errno));
    } else {
        make_dir(files_dir);
    }

    buf doc = {0}, line = {0};
    size_t pathcap = strlen(files_dir ? files_dir : "") + 64;
    char *path = xmalloc(pathcap);
    uint64_t written = 0, docs = 0;
    while (written < size) {
        uint64_t target = doc_min + rng_below(&g.r, doc_max - doc_min + 1);
        if (target > size - written)
            target = size - written;
        gen_document(&g, &doc, (size_t)target);
        if (jf) {
            line.len = 0;
            char head[64];
            int hn = snprintf(head, sizeof head, "{\"id\":\"doc%07llu\",\"text\":\"",
                              (unsigned long long)docs);
            buf_put(&line, head, (size_t)hn);
            json_escape(&line, doc.p, doc.len);
            buf_put(&line, "\"}\n", 3);
            write_all(jf, line.p, line.len, jsonl_path);
        } else {
            if (docs % 1000 == 0) {
                snprintf(path, pathcap, "%s/%03llu", files_dir,
                         (unsigned long long)(docs / 1000));
                make_dir(path);
            }
            snprintf(path, pathcap, "%s/%03llu/doc%07llu.txt", files_dir,
                     (unsigned long long)(docs / 1000), (unsigned long long)docs);
            FILE *f = fopen(path, "wb");
            if (!f)
                die("%s: %s", path, strerror(errno));
            write_all(f, doc.p, doc.len, path);
            if (fclose(f) != 0)
                die("%s: %s", path, strerror(errno));
        }
        written += doc.len;
        docs++;
    }
    if (jf && (fflush(jf) != 0 || ferror(jf) || (jf != stdout && fclose(jf) != 0)))
        die("%s: write error", jsonl_path);
    fprintf(stderr, "%s: %llu bytes of text, %llu documents, %llu mentions, %zu aliases\n",
            progname, (unsigned long long)written, (unsigned long long)docs,
            (unsigned long long)g.mentions, aliases.n);
    free(doc.p);
    free(line.p);
    free(path);
    return 0;
}
