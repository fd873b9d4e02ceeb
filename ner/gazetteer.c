/* actornet — the gazetteer store: actors, aliases, id map, transactional loads. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/internal.h"
#include "ner/gazetteer_internal.h"

struct an_gazetteer {
    an_i_actor *actors;
    size_t n_actors, cap_actors;
    an_i_alias *aliases;
    size_t n_aliases, cap_aliases;
    char **sources; /* one per successful load; aliases and actors point into it */
    size_t n_sources, cap_sources;
    an_i_idmap ids;
};

extern const unsigned char an_i_default_gazetteer[];
extern const size_t an_i_default_gazetteer_len;

/* ---- id map ---------------------------------------------------------- */

static uint64_t hash_str(const char *s) {
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211u;
    }
    return h;
}

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
    for (size_t i = 0; i < b->n_aliases; i++) an_i_free(b->aliases[i].text);
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
        gz->aliases[nl + i].actor += na;
        gz->aliases[nl + i].source = src;
    }
    gz->n_actors += b->n_actors;
    gz->n_aliases += b->n_aliases;
    b->n_actors = 0;
    b->n_aliases = 0;
    return AN_OK;
}

/* ---- public API ------------------------------------------------------ */

AN_EXPORT an_gazetteer *an_gazetteer_create(void) { return an_i_calloc(1, sizeof(an_gazetteer)); }

AN_EXPORT void an_gazetteer_destroy(an_gazetteer *gz) {
    if (!gz) return;
    for (size_t i = 0; i < gz->n_actors; i++) an_i_actor_free(&gz->actors[i]);
    for (size_t i = 0; i < gz->n_aliases; i++) an_i_free(gz->aliases[i].text);
    for (size_t i = 0; i < gz->n_sources; i++) an_i_free(gz->sources[i]);
    an_i_free(gz->actors);
    an_i_free(gz->aliases);
    an_i_free(gz->sources);
    an_i_free(gz->ids.slots);
    an_i_free(gz);
}

static int has_suffix(const char *name, const char *suffix) {
    size_t n = strlen(name), k = strlen(suffix);
    if (n < k) return 0;
    for (size_t i = 0; i < k; i++) {
        char c = name[n - k + i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != suffix[i]) return 0;
    }
    return 1;
}

/* AUTO: by extension, then by the first line that is neither blank nor a comment. */
static an_gazetteer_format detect_format(const char *data, size_t len, const char *name) {
    if (has_suffix(name, ".tsv") || has_suffix(name, ".tab")) return AN_GAZ_NATIVE;
    if (has_suffix(name, ".jsonl") || has_suffix(name, ".json")) return AN_GAZ_SPACY;
    size_t i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) i = 3;
    while (i < len) {
        size_t e = i;
        while (e < len && data[e] != '\n') e++;
        size_t s = i;
        while (s < e && (data[s] == ' ' || data[s] == '\t' || data[s] == '\r')) s++;
        if (s < e && data[s] != '#') {
            if (data[s] == '{' || data[s] == '[') return AN_GAZ_SPACY;
            /* Phoenix/CAMEO entries look like "NAME_ [CODE]" and have no tabs;
             * anything else is read as native so that its errors are native ones. */
            int tab = memchr(data + i, '\t', e - i) != NULL;
            int bracket = memchr(data + s, '[', e - s) != NULL;
            return !tab && bracket ? AN_GAZ_PHOENIX : AN_GAZ_NATIVE;
        }
        i = e + 1;
    }
    return AN_GAZ_NATIVE; /* empty or comments only: loads as nothing */
}

AN_EXPORT an_status an_gazetteer_load_buffer(an_gazetteer *gz, const char *data, size_t len,
                                             const char *name, an_gazetteer_format format,
                                             an_error *err) {
    if (!name) name = "<buffer>";
    if (!gz || (!data && len))
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "an_gazetteer_load_buffer: NULL argument");
    if (!data) data = "";
    if (format == AN_GAZ_AUTO) format = detect_format(data, len, name);
    if (format == AN_GAZ_SPACY || format == AN_GAZ_PHOENIX)
        return an_i_error(err, AN_EINVAL, name, 0, 0, "%s gazetteer format is not supported yet",
                          format == AN_GAZ_SPACY ? "spaCy" : "Phoenix/CAMEO");
    if (format != AN_GAZ_NATIVE)
        return an_i_error(err, AN_EINVAL, name, 0, 0, "unknown gazetteer format %d", (int)format);

    an_i_gaz_batch b;
    an_status st = an_i_gaz_batch_init(&b, gz, name);
    if (st) {
        an_i_gaz_batch_free(&b);
        return an_i_error(err, st, name, 0, 0, "out of memory");
    }
    st = an_i_gaz_parse_native(&b, data, len, name, err);
    if (st == AN_OK) {
        st = an_i_gaz_commit(gz, &b);
        if (st) an_i_error(err, st, name, 0, 0, "out of memory");
    }
    an_i_gaz_batch_free(&b);
    return st;
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

AN_EXPORT an_status an_gazetteer_load_file(an_gazetteer *gz, const char *path,
                                           an_gazetteer_format format, an_error *err) {
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
    st = an_gazetteer_load_buffer(gz, data, len, name, format, err);
    an_i_free(data);
    return st;
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
