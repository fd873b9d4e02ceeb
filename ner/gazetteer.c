/* actornet — the gazetteer store: actors, aliases, id map, transactional loads. */
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "core/internal.h"
#include "ner/compiled.h"
#include "ner/gazetteer_internal.h"

struct an_gazetteer {
    an_i_actor *actors;
    size_t n_actors, cap_actors;
    an_i_alias *aliases;
    size_t n_aliases, cap_aliases;
    char **sources; /* one per successful load; aliases and actors point into it */
    size_t n_sources, cap_sources;
    an_i_sblock *texts; /* the aliases' texts */
    an_i_idmap ids;
    /* an_gazetteer_fingerprint() of the contents, 0 until computed (a
     * fingerprint that is 0 itself is computed every time); cleared by
     * every commit. Atomic: readers of a const gazetteer may race to fill it,
     * and all of them store the same value. */
    atomic_uint_fast64_t fingerprint;
};

extern const unsigned char an_i_default_gazetteer[];
extern const size_t an_i_default_gazetteer_len;

/* ---- string arena ---------------------------------------------------- */

char *an_i_sarena_alloc(an_i_sblock **head, size_t n) {
    an_i_sblock *b = *head;
    if (!b || b->cap - b->used < n) {
        if (n > SIZE_MAX - sizeof *b - 65536) return NULL;
        size_t cap = n > 65536 ? n : 65536;
        an_i_sblock *nb = an_i_malloc(sizeof *nb + cap);
        if (!nb) return NULL;
        nb->next = b;
        nb->used = 0;
        nb->cap = cap;
        *head = nb;
        b = nb;
    }
    char *p = b->data + b->used;
    b->used += n;
    return p;
}

char *an_i_sarena_strndup(an_i_sblock **head, const char *s, size_t n) {
    char *p = n < SIZE_MAX ? an_i_sarena_alloc(head, n + 1) : NULL;
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

void an_i_sarena_free(an_i_sblock **head) {
    for (an_i_sblock *b = *head, *next; b; b = next) {
        next = b->next;
        an_i_free(b);
    }
    *head = NULL;
}

/* ---- id map ---------------------------------------------------------- */

static uint64_t hash_str(const char *s) { return an_i_fnv(AN_I_FNV_OFFSET, s, strlen(s)); }

static size_t idmap_find(const an_i_idmap *m, const an_i_actor *actors, const char *id) {
    if (!m->cap) return SIZE_MAX;
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)hash_str(id) & mask;; i = (i + 1) & mask) {
        size_t v = m->slots[i];
        if (!v) return SIZE_MAX;
        if (strcmp(actors[v - 1].id, id) == 0) return v - 1;
    }
}

static void idmap_put(size_t *slots, size_t cap, const an_i_actor *actors, size_t index) {
    size_t mask = cap - 1;
    size_t i = (size_t)hash_str(actors[index].id) & mask;
    while (slots[i]) i = (i + 1) & mask;
    slots[i] = index + 1;
}

/* Make room for `total` entries (load factor <= 1/2) without inserting;
 * the map is untouched on failure. */
static an_status idmap_reserve(an_i_idmap *m, const an_i_actor *actors, size_t total) {
    if (total <= m->cap / 2) return AN_OK;
    size_t cap = m->cap ? m->cap : 16;
    while (total > cap / 2) {
        if (cap > SIZE_MAX / 4) return AN_ENOMEM;
        cap *= 2;
    }
    size_t *slots = an_i_calloc(cap, sizeof *slots);
    if (!slots) return AN_ENOMEM;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i]) idmap_put(slots, cap, actors, m->slots[i] - 1);
    an_i_free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return AN_OK;
}

/* ---- alias set -------------------------------------------------------- */

static uint64_t alias_hash(const an_i_alias *al) {
    uint64_t h = hash_str(al->text);
    uint64_t v[4] = {(uint64_t)al->actor, (uint64_t)al->policy, (uint64_t)(uint32_t)al->date_from,
                     (uint64_t)(uint32_t)al->date_to};
    for (int i = 0; i < 4; i++) h = (h ^ v[i]) * 1099511628211u + (h >> 29);
    return h;
}

static int alias_equal(const an_i_alias *a, const an_i_alias *b) {
    return a->actor == b->actor && a->policy == b->policy && a->date_from == b->date_from &&
           a->date_to == b->date_to && strcmp(a->text, b->text) == 0;
}

int an_i_alias_set_has(const an_i_alias_set *s, const an_i_gaz_batch *b, const an_i_alias *al) {
    if (!s->cap) return 0;
    size_t mask = s->cap - 1;
    uint64_t h = alias_hash(al);
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        const struct an_i_alias_slot *sl = &s->slots[i];
        if (!sl->index) return 0;
        if (sl->hash == h && alias_equal(&b->aliases[sl->index - 1], al)) return 1;
    }
}

static void alias_set_put(struct an_i_alias_slot *slots, size_t cap, uint64_t h, size_t index1) {
    size_t mask = cap - 1;
    size_t i = (size_t)h & mask;
    while (slots[i].index) i = (i + 1) & mask;
    slots[i].hash = h;
    slots[i].index = index1;
}

an_status an_i_alias_set_add(an_i_alias_set *s, const an_i_gaz_batch *b, size_t index) {
    if (s->count + 1 > s->cap / 2) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        if (cap > SIZE_MAX / 4 / sizeof *s->slots) return AN_ENOMEM;
        struct an_i_alias_slot *slots = an_i_calloc(cap, sizeof *slots);
        if (!slots) return AN_ENOMEM;
        for (size_t i = 0; i < s->cap; i++)
            if (s->slots[i].index) alias_set_put(slots, cap, s->slots[i].hash, s->slots[i].index);
        an_i_free(s->slots);
        s->slots = slots;
        s->cap = cap;
    }
    alias_set_put(s->slots, s->cap, alias_hash(&b->aliases[index]), index + 1);
    s->count++;
    return AN_OK;
}

void an_i_alias_set_free(an_i_alias_set *s) {
    if (!s) return;
    an_i_free(s->slots);
    memset(s, 0, sizeof *s);
}

/* ---- actors and batches ---------------------------------------------- */

void an_i_actor_free(an_i_actor *a) {
    if (!a) return;
    an_i_free(a->id);
    an_i_free(a->label);
    an_i_free(a->type);
    for (size_t i = 0; i < a->n_parents; i++) an_i_free(a->parents[i]);
    an_i_free(a->parents);
    memset(a, 0, sizeof *a);
}

an_status an_i_gaz_batch_init(an_i_gaz_batch *b, const an_gazetteer *gz, const char *name) {
    memset(b, 0, sizeof *b);
    b->gz = gz;
    b->source = an_i_strdup(name ? name : "");
    return b->source ? AN_OK : AN_ENOMEM;
}

void an_i_gaz_batch_free(an_i_gaz_batch *b) {
    if (!b) return;
    for (size_t i = 0; i < b->n_actors; i++) an_i_actor_free(&b->actors[i]);
    for (size_t i = 0; i < b->n_relabels; i++) an_i_free(b->relabels[i].label);
    an_i_free(b->relabels);
    an_i_sarena_free(&b->texts);
    an_i_free(b->actors);
    an_i_free(b->aliases);
    an_i_free(b->ids.slots);
    an_i_free(b->source);
    memset(b, 0, sizeof *b);
}

int an_i_gaz_batch_lookup(const an_i_gaz_batch *b, const char *id, const char **source,
                          unsigned long *line) {
    size_t i;
    if (b->gz && (i = idmap_find(&b->gz->ids, b->gz->actors, id)) != SIZE_MAX) {
        *source = b->gz->actors[i].source;
        *line = b->gz->actors[i].line;
        return 1;
    }
    if ((i = idmap_find(&b->ids, b->actors, id)) != SIZE_MAX) {
        *source = b->source;
        *line = b->actors[i].line;
        return 1;
    }
    return 0;
}

int an_i_gaz_batch_find(const an_i_gaz_batch *b, const char *id, size_t *index) {
    size_t i;
    if ((i = idmap_find(&b->ids, b->actors, id)) != SIZE_MAX) {
        *index = i;
        return 1;
    }
    if (b->gz && (i = idmap_find(&b->gz->ids, b->gz->actors, id)) != SIZE_MAX) {
        *index = AN_I_GZ_ACTOR | i;
        return 1;
    }
    return 0;
}

const char *an_i_gaz_batch_label(const an_i_gaz_batch *b, size_t index) {
    if (!(index & AN_I_GZ_ACTOR)) return b->actors[index].label;
    index &= ~AN_I_GZ_ACTOR;
    for (size_t i = 0; i < b->n_relabels; i++) /* a few: weak labels are rare */
        if (b->relabels[i].actor == index) return b->relabels[i].label;
    return b->gz->actors[index].label;
}

const char *an_i_gaz_batch_type(const an_i_gaz_batch *b, size_t index) {
    if (index & AN_I_GZ_ACTOR) return b->gz->actors[index & ~AN_I_GZ_ACTOR].type;
    return b->actors[index].type;
}

int an_i_gaz_batch_label_weak(const an_i_gaz_batch *b, size_t index) {
    return (index & AN_I_GZ_ACTOR) && b->gz->actors[index & ~AN_I_GZ_ACTOR].label_weak;
}

an_status an_i_gaz_batch_relabel(an_i_gaz_batch *b, size_t index, char *label) {
    if (!label || an_i_grow((void **)&b->relabels, &b->cap_relabels, b->n_relabels + 1,
                            sizeof *b->relabels)) {
        an_i_free(label);
        return AN_ENOMEM;
    }
    b->relabels[b->n_relabels].actor = index & ~AN_I_GZ_ACTOR;
    b->relabels[b->n_relabels].label = label;
    b->n_relabels++;
    return AN_OK;
}

void an_i_gaz_actor_origin(const an_gazetteer *gz, size_t i, const char **source,
                           unsigned long *line) {
    *source = gz->actors[i].source ? gz->actors[i].source : "";
    *line = gz->actors[i].line;
}

an_status an_i_gaz_warn_report(an_i_gaz_warn *w, an_error *err, an_status status,
                               const char *file, unsigned long line, unsigned long col,
                               const char *fmt, ...) {
    an_error e;
    an_error_clear(&e);
    char msg[sizeof e.message];
    va_list ap;
    va_start(ap, fmt);
    /* clang-tidy 14 forgets va_start in every file after the first of one run */
    vsnprintf(msg, sizeof msg, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
    va_end(ap);
    an_i_error(&e, status, file, line, col, "%s", msg);
    w->count++;
    if (w->opts->strict) {
        if (err) *err = e;
        return status;
    }
    if (w->opts->warn) w->opts->warn(w->opts->warn_ctx, &e);
    return AN_OK;
}

an_status an_i_gaz_batch_add_actor(an_i_gaz_batch *b, an_i_actor *a, size_t *index) {
    if (an_i_grow((void **)&b->actors, &b->cap_actors, b->n_actors + 1, sizeof *b->actors))
        return AN_ENOMEM;
    if (idmap_reserve(&b->ids, b->actors, b->n_actors + 1)) return AN_ENOMEM;
    size_t i = b->n_actors++;
    b->actors[i] = *a;
    b->actors[i].source = NULL;
    idmap_put(b->ids.slots, b->ids.cap, b->actors, i);
    b->ids.count++;
    if (index) *index = i;
    return AN_OK;
}

char *an_i_gaz_batch_text(an_i_gaz_batch *b, const char *s, size_t n) {
    return an_i_sarena_strndup(&b->texts, s, n);
}

an_status an_i_gaz_batch_add_alias(an_i_gaz_batch *b, an_i_alias *al) {
    if (an_i_grow((void **)&b->aliases, &b->cap_aliases, b->n_aliases + 1, sizeof *b->aliases))
        return AN_ENOMEM;
    b->aliases[b->n_aliases++] = *al;
    return AN_OK;
}

an_status an_i_gaz_commit(an_gazetteer *gz, an_i_gaz_batch *b) {
    size_t na = gz->n_actors, nl = gz->n_aliases;
    /* Acquire: only capacities change here, never contents. */
    if (an_i_grow((void **)&gz->actors, &gz->cap_actors, na + b->n_actors, sizeof *gz->actors) ||
        an_i_grow((void **)&gz->aliases, &gz->cap_aliases, nl + b->n_aliases,
                  sizeof *gz->aliases) ||
        an_i_grow((void **)&gz->sources, &gz->cap_sources, gz->n_sources + 1,
                  sizeof *gz->sources) ||
        idmap_reserve(&gz->ids, gz->actors, na + b->n_actors))
        return AN_ENOMEM;
    /* Commit: nothing below can fail. */
    const char *src = b->source;
    gz->sources[gz->n_sources++] = b->source;
    b->source = NULL;
    for (size_t i = 0; i < b->n_actors; i++) {
        gz->actors[na + i] = b->actors[i];
        gz->actors[na + i].source = src;
        idmap_put(gz->ids.slots, gz->ids.cap, gz->actors, na + i);
    }
    gz->ids.count += b->n_actors;
    for (size_t i = 0; i < b->n_aliases; i++) {
        gz->aliases[nl + i] = b->aliases[i];
        size_t a = b->aliases[i].actor;
        gz->aliases[nl + i].actor = (a & AN_I_GZ_ACTOR) ? a & ~AN_I_GZ_ACTOR : a + na;
        gz->aliases[nl + i].source = src;
    }
    if (b->texts) { /* the batch's blocks go in front of the gazetteer's */
        an_i_sblock *last = b->texts;
        while (last->next) last = last->next;
        last->next = gz->texts;
        gz->texts = b->texts;
        b->texts = NULL;
    }
    for (size_t i = 0; i < b->n_relabels; i++) {
        an_i_actor *a = &gz->actors[b->relabels[i].actor];
        an_i_free(a->label);
        a->label = b->relabels[i].label;
        a->label_weak = 0;
    }
    b->n_relabels = 0;
    gz->n_actors += b->n_actors;
    gz->n_aliases += b->n_aliases;
    atomic_store_explicit(&gz->fingerprint, 0, memory_order_relaxed); /* new contents */
    b->n_actors = 0;
    b->n_aliases = 0;
    return AN_OK;
}

/* ---- public API ------------------------------------------------------ */

AN_EXPORT an_gazetteer *an_gazetteer_create(void) { return an_i_calloc(1, sizeof(an_gazetteer)); }

AN_EXPORT void an_gazetteer_destroy(an_gazetteer *gz) {
    if (!gz) return;
    for (size_t i = 0; i < gz->n_actors; i++) an_i_actor_free(&gz->actors[i]);
    an_i_sarena_free(&gz->texts);
    for (size_t i = 0; i < gz->n_sources; i++) an_i_free(gz->sources[i]);
    an_i_free(gz->actors);
    an_i_free(gz->aliases);
    an_i_free(gz->sources);
    an_i_free(gz->ids.slots);
    an_i_free(gz);
}

/* A line of a Phoenix actor dictionary: a "+synonym", a TAB then "[CODE",
 * or a phrase without tabs followed by "[CODE". */
static int phoenix_like(const char *s, const char *e) {
    if (s < e && *s == '+') return 1;
    const char *p = s;
    while (p < e && (*p == ' ' || *p == '\t')) p++;
    if (p > s && p < e && *p == '[') return 1;
    return memchr(s, '\t', (size_t)(e - s)) == NULL && memchr(s, '[', (size_t)(e - s)) != NULL;
}

/* AUTO: by extension, then by the first lines that are neither blank nor comments. */
static an_gazetteer_format detect_format(const char *data, size_t len, const char *name) {
    if (an_i_has_suffix_ci(name, ".tsv") || an_i_has_suffix_ci(name, ".tab")) return AN_GAZ_NATIVE;
    if (an_i_has_suffix_ci(name, ".jsonl") || an_i_has_suffix_ci(name, ".ndjson") ||
        an_i_has_suffix_ci(name, ".json"))
        return AN_GAZ_SPACY;
    size_t i = 0;
    int seen = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) i = 3;
    while (i < len && seen < 20) {
        size_t e = i;
        while (e < len && data[e] != '\n') e++;
        size_t s = i;
        while (s < e && (data[s] == ' ' || data[s] == '\t' || data[s] == '\r')) s++;
        if (s < e && data[s] != '#') {
            if (!seen && (data[s] == '{' || data[s] == '[')) return AN_GAZ_SPACY;
            /* Phoenix/CAMEO entries look like "NAME_ [CODE]", "+SYNONYM" or
             * "<TAB>[CODE]"; a line with 5 tab-separated fields is native, and
             * so is anything undecided, so that its errors are native ones. */
            size_t tabs = 0;
            for (size_t k = i; k < e; k++) tabs += data[k] == '\t';
            if (tabs == 4) return AN_GAZ_NATIVE;
            if (phoenix_like(data + i, data + e)) return AN_GAZ_PHOENIX;
            seen++;
        }
        i = e + 1;
    }
    return AN_GAZ_NATIVE; /* empty, comments only or undecided */
}

AN_EXPORT an_status an_gazetteer_load_buffer_ex(an_gazetteer *gz, const char *data, size_t len,
                                                const char *name,
                                                const an_gazetteer_load_options *o,
                                                an_error *err) {
    static const an_gazetteer_load_options defaults;
    if (!o) o = &defaults;
    if (!name) name = "<buffer>";
    if (!gz || (!data && len))
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "an_gazetteer_load_buffer: NULL argument");
    if (!data) data = "";
    an_gazetteer_format format = o->format;
    if (format == AN_GAZ_AUTO) format = detect_format(data, len, name);
    if (format != AN_GAZ_NATIVE && format != AN_GAZ_SPACY && format != AN_GAZ_PHOENIX)
        return an_i_error(err, AN_EINVAL, name, 0, 0, "unknown gazetteer format %d", (int)format);

    an_i_gaz_batch b;
    an_i_gaz_warn w = {o, 0};
    an_status st = an_i_gaz_batch_init(&b, gz, name);
    if (st) {
        an_i_gaz_batch_free(&b);
        return an_i_error(err, st, name, 0, 0, "out of memory");
    }
    if (format == AN_GAZ_NATIVE)
        st = an_i_gaz_parse_native(&b, data, len, name, err);
    else if (format == AN_GAZ_SPACY)
        st = an_i_gaz_parse_spacy(&b, data, len, name, &w, err);
    else
        st = an_i_gaz_parse_phoenix(&b, data, len, name, &w, err);
    if (st == AN_OK) {
        st = an_i_gaz_commit(gz, &b);
        if (st) an_i_error(err, st, name, 0, 0, "out of memory");
    }
    an_i_gaz_batch_free(&b);
    return st;
}

AN_EXPORT an_status an_gazetteer_load_buffer(an_gazetteer *gz, const char *data, size_t len,
                                             const char *name, an_gazetteer_format format,
                                             an_error *err) {
    an_gazetteer_load_options o;
    memset(&o, 0, sizeof o);
    o.format = format;
    return an_gazetteer_load_buffer_ex(gz, data, len, name, &o, err);
}

/* Whole file (or stdin) into memory: gazetteers are small next to a corpus. */
static an_status read_all(FILE *f, char **out, size_t *out_len) {
    size_t cap = 0, len = 0;
    char *buf = NULL;
    for (;;) {
        if (an_i_grow((void **)&buf, &cap, len + 65536, 1)) {
            an_i_free(buf);
            return AN_ENOMEM;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        an_i_free(buf);
        return AN_EIO;
    }
    *out = buf;
    *out_len = len;
    return AN_OK;
}

AN_EXPORT an_status an_gazetteer_load_file_ex(an_gazetteer *gz, const char *path,
                                              const an_gazetteer_load_options *o,
                                              an_error *err) {
    if (!gz || !path)
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "an_gazetteer_load_file: NULL argument");
    int is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) return an_i_error(err, AN_EIO, name, 0, 0, "cannot open: %s", strerror(errno));
    char *data = NULL;
    size_t len = 0;
    errno = 0;
    an_status st = read_all(f, &data, &len);
    int saved = errno;
    if (!is_stdin) fclose(f);
    if (st == AN_ENOMEM) return an_i_error(err, st, name, 0, 0, "out of memory");
    if (st)
        return an_i_error(err, st, name, 0, 0, "cannot read: %s",
                          saved ? strerror(saved) : "read error");
    st = an_gazetteer_load_buffer_ex(gz, data, len, name, o, err);
    an_i_free(data);
    return st;
}

AN_EXPORT an_status an_gazetteer_load_file(an_gazetteer *gz, const char *path,
                                           an_gazetteer_format format, an_error *err) {
    an_gazetteer_load_options o;
    memset(&o, 0, sizeof o);
    o.format = format;
    return an_gazetteer_load_file_ex(gz, path, &o, err);
}

AN_EXPORT an_status an_gazetteer_load_default(an_gazetteer *gz, an_error *err) {
    return an_gazetteer_load_buffer(gz, (const char *)an_i_default_gazetteer,
                                    an_i_default_gazetteer_len, "default-actors.tsv",
                                    AN_GAZ_NATIVE, err);
}

AN_EXPORT size_t an_gazetteer_actor_count(const an_gazetteer *gz) {
    return gz ? gz->n_actors : 0;
}

AN_EXPORT size_t an_gazetteer_alias_count(const an_gazetteer *gz) {
    return gz ? gz->n_aliases : 0;
}

AN_EXPORT an_status an_gazetteer_actor(const an_gazetteer *gz, size_t i, an_actor_info *out) {
    if (!gz || !out || i >= gz->n_actors) return AN_EINVAL;
    const an_i_actor *a = &gz->actors[i];
    out->id = a->id;
    out->label = a->label;
    out->type = a->type;
    out->n_parents = a->n_parents;
    out->parents = (const char *const *)a->parents;
    return AN_OK;
}

AN_EXPORT an_status an_gazetteer_alias(const an_gazetteer *gz, size_t i, an_alias_info *out) {
    if (!gz || !out || i >= gz->n_aliases) return AN_EINVAL;
    const an_i_alias *al = &gz->aliases[i];
    out->text = al->text;
    out->actor = al->actor;
    out->policy = al->policy;
    out->date_from = al->date_from;
    out->date_to = al->date_to;
    out->source = al->source;
    out->line = al->line;
    return AN_OK;
}

AN_EXPORT an_status an_gazetteer_find(const an_gazetteer *gz, const char *id, size_t *index) {
    if (!gz || !id) return AN_EINVAL;
    size_t i = idmap_find(&gz->ids, gz->actors, id);
    if (i == SIZE_MAX) return AN_ENOTFOUND;
    if (index) *index = i;
    return AN_OK;
}

/* ---- fingerprint ------------------------------------------------------ */

/* Strings hold no NUL, so the terminator keeps "ab","c" apart from "a","bc". */
static uint64_t fnv_str(uint64_t h, const char *s) {
    if (!s) s = "";
    return an_i_fnv(h, s, strlen(s) + 1);
}

static uint64_t fingerprint(const an_gazetteer *gz) {
    uint64_t h = an_i_fnv_u64(an_i_fnv_u64(AN_I_FNV_OFFSET, gz->n_actors), gz->n_aliases);
    for (size_t i = 0; i < gz->n_actors; i++) {
        const an_i_actor *a = &gz->actors[i];
        h = fnv_str(fnv_str(fnv_str(h, a->id), a->label), a->type);
        h = an_i_fnv_u64(h, a->n_parents);
        for (size_t p = 0; p < a->n_parents; p++) h = fnv_str(h, a->parents[p]);
    }
    for (size_t i = 0; i < gz->n_aliases; i++) {
        const an_i_alias *l = &gz->aliases[i];
        h = fnv_str(h, l->text);
        h = an_i_fnv_u64(h, l->actor);
        h = an_i_fnv_u64(h, (uint64_t)l->policy);
        h = an_i_fnv_u64(h, (uint64_t)(uint32_t)l->date_from);
        h = an_i_fnv_u64(h, (uint64_t)(uint32_t)l->date_to);
    }
    return h;
}

AN_EXPORT uint64_t an_gazetteer_fingerprint(const an_gazetteer *gz) {
    if (!gz) return 0;
    /* the memo is not part of the contents: filling it leaves gz as it was */
    an_gazetteer *memo = (an_gazetteer *)(uintptr_t)gz;
    uint64_t h = atomic_load_explicit(&memo->fingerprint, memory_order_relaxed);
    if (!h) {
        h = fingerprint(gz);
        atomic_store_explicit(&memo->fingerprint, h, memory_order_relaxed);
    }
    return h;
}

/* ---- compiled form (ner/compiled.c) ------------------------------------- */

static uint64_t source_index(const an_gazetteer *gz, const char *src) {
    for (size_t k = 0; k < gz->n_sources; k++)
        if (gz->sources[k] == src) return k;
    return UINT64_MAX; /* NULL */
}

void an_i_gaz_put(an_i_wbuf *w, const an_gazetteer *gz) {
    an_i_wbuf_u64(w, gz->n_sources);
    for (size_t k = 0; k < gz->n_sources; k++) an_i_wbuf_str(w, gz->sources[k]);
    an_i_wbuf_u64(w, gz->n_actors);
    for (size_t i = 0; i < gz->n_actors; i++) {
        const an_i_actor *a = &gz->actors[i];
        an_i_wbuf_str(w, a->id);
        an_i_wbuf_str(w, a->label);
        an_i_wbuf_str(w, a->type);
        an_i_wbuf_u64(w, a->n_parents);
        for (size_t k = 0; k < a->n_parents; k++) an_i_wbuf_str(w, a->parents[k]);
        an_i_wbuf_u64(w, source_index(gz, a->source));
        an_i_wbuf_u64(w, a->line);
        an_i_wbuf_u32(w, (uint32_t)(a->label_weak != 0));
    }
    an_i_wbuf_u64(w, gz->n_aliases);
    for (size_t i = 0; i < gz->n_aliases; i++) {
        const an_i_alias *al = &gz->aliases[i];
        an_i_wbuf_str(w, al->text);
        an_i_wbuf_u64(w, al->actor);
        an_i_wbuf_u32(w, (uint32_t)al->policy);
        an_i_wbuf_u32(w, (uint32_t)al->date_from);
        an_i_wbuf_u32(w, (uint32_t)al->date_to);
        an_i_wbuf_u64(w, source_index(gz, al->source));
        an_i_wbuf_u64(w, al->line);
    }
    /* kept so that a read-back gazetteer need not hash itself again (about
     * 2 ms for the Phoenix dictionaries, in every `count` and `merge`) */
    an_i_wbuf_u64(w, an_gazetteer_fingerprint(gz));
}

/* A malloc'd copy of a string read from r (NULL string: bad), or NULL with
 * *oom set. */
static char *get_strdup(an_i_rcur *r, int *oom) {
    const char *s;
    size_t n;
    if (!an_i_rcur_str(r, &s, &n)) return NULL;
    if (!s) {
        r->bad = 1;
        return NULL;
    }
    char *d = an_i_strndup(s, n);
    if (!d) *oom = 1;
    return d;
}

/* The source of index k, NULL for UINT64_MAX; bad if out of range. */
static const char *get_source(an_i_rcur *r, const an_gazetteer *gz) {
    uint64_t k = an_i_rcur_u64(r);
    if (k == UINT64_MAX) return NULL;
    if (k >= gz->n_sources) {
        r->bad = 1;
        return NULL;
    }
    return gz->sources[k];
}

an_status an_i_gaz_get(an_i_rcur *r, an_gazetteer **out) {
    int oom = 0;
    an_gazetteer *gz = an_gazetteer_create();
    if (!gz) return AN_ENOMEM;
    size_t n = an_i_rcur_count(r, 4);
    if (n && !(gz->sources = an_i_calloc(n, sizeof *gz->sources))) {
        an_i_free(gz); /* nothing else in it yet */
        return AN_ENOMEM;
    }
    gz->cap_sources = n;
    for (size_t k = 0; k < n && gz->sources && !r->bad && !oom; k++) {
        gz->sources[k] = get_strdup(r, &oom);
        if (gz->sources[k]) gz->n_sources++;
    }
    n = r->bad || oom ? 0 : an_i_rcur_count(r, 4 * 3 + 8 * 3 + 4);
    if (n && !(gz->actors = an_i_calloc(n, sizeof *gz->actors))) goto nomem;
    gz->cap_actors = n;
    if (idmap_reserve(&gz->ids, gz->actors, n)) goto nomem;
    for (size_t i = 0; i < n && !r->bad && !oom; i++) {
        an_i_actor *a = &gz->actors[i];
        gz->n_actors++; /* freed with the gazetteer from here on */
        a->id = get_strdup(r, &oom);
        a->label = get_strdup(r, &oom);
        a->type = get_strdup(r, &oom);
        size_t np = r->bad || oom ? 0 : an_i_rcur_count(r, 4);
        if (np && !(a->parents = an_i_calloc(np, sizeof *a->parents))) goto nomem;
        for (size_t k = 0; k < np && !r->bad && !oom; k++) {
            a->parents[k] = get_strdup(r, &oom);
            if (a->parents[k]) a->n_parents++;
        }
        a->source = get_source(r, gz);
        a->line = (unsigned long)an_i_rcur_u64(r);
        a->label_weak = an_i_rcur_u32(r) != 0;
        if (r->bad || oom) break;
        /* ids are unique: an_gazetteer_find() and the loaders rely on it */
        if (!a->id[0] || idmap_find(&gz->ids, gz->actors, a->id) != SIZE_MAX) {
            r->bad = 1;
            break;
        }
        idmap_put(gz->ids.slots, gz->ids.cap, gz->actors, i);
        gz->ids.count++;
    }
    n = r->bad || oom ? 0 : an_i_rcur_count(r, 4 + 8 + 4 * 3 + 8 * 2);
    if (n && !(gz->aliases = an_i_calloc(n, sizeof *gz->aliases))) goto nomem;
    gz->cap_aliases = n;
    for (size_t i = 0; i < n && !r->bad && !oom; i++) {
        an_i_alias *al = &gz->aliases[i];
        const char *s;
        size_t len;
        if (!an_i_rcur_str(r, &s, &len) || !s) {
            r->bad = 1;
            break;
        }
        if (!(al->text = an_i_sarena_strndup(&gz->texts, s, len))) goto nomem;
        uint64_t actor = an_i_rcur_u64(r);
        uint32_t policy = an_i_rcur_u32(r);
        al->date_from = (int32_t)an_i_rcur_u32(r);
        al->date_to = (int32_t)an_i_rcur_u32(r);
        al->source = get_source(r, gz);
        al->line = (unsigned long)an_i_rcur_u64(r);
        if (actor >= gz->n_actors || (policy != AN_CASE_FOLD && policy != AN_CASE_EXACT))
            r->bad = 1;
        al->actor = (size_t)actor;
        al->policy = (an_case_policy)policy;
        gz->n_aliases++;
    }
    uint64_t fp = an_i_rcur_u64(r); /* covered by the checksum, like the rest */
    if (oom) goto nomem;
    if (r->bad) {
        an_gazetteer_destroy(gz);
        return AN_EPARSE;
    }
    atomic_store_explicit(&gz->fingerprint, fp, memory_order_relaxed);
    *out = gz;
    return AN_OK;
nomem:
    an_gazetteer_destroy(gz);
    return AN_ENOMEM;
}
