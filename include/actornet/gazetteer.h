/* actornet — gazetteer: actors (id, label, type, parents) and their aliases.
 *
 * A gazetteer is built by loading one or more files (or buffers) into it.
 * Actors are numbered 0..n-1 in load order; that index is what matchers,
 * mentions and counts refer to. The gazetteer owns all strings it returns;
 * they stay valid until an_gazetteer_destroy().
 *
 * Formats: see docs/gazetteer.md.
 */
#ifndef ACTORNET_GAZETTEER_H
#define ACTORNET_GAZETTEER_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct an_gazetteer an_gazetteer;

typedef enum an_gazetteer_format {
    AN_GAZ_AUTO = 0,   /* by extension, then by content */
    AN_GAZ_NATIVE = 1, /* actornet TSV, docs/gazetteer.md */
    AN_GAZ_SPACY = 2,  /* spaCy EntityRuler JSONL patterns */
    AN_GAZ_PHOENIX = 3 /* Phoenix / CAMEO actor dictionary */
} an_gazetteer_format;

/* Case policy of one alias. */
typedef enum an_case_policy {
    AN_CASE_AUTO = 0,  /* resolved at load time to FOLD or EXACT (see docs) */
    AN_CASE_FOLD = 1,  /* case-insensitive (Unicode case folding) */
    AN_CASE_EXACT = 2  /* exact case */
} an_case_policy;

/* Dates are integers YYYYMMDD; 0 = open end. */
typedef struct an_actor_info {
    const char *id;
    const char *label;
    const char *type;        /* "country", "organisation", "armed_group", "person", ... */
    size_t n_parents;
    const char *const *parents; /* parent actor ids as written; may name actors of
                                   another file, resolve with an_gazetteer_find() */
} an_actor_info;

typedef struct an_alias_info {
    const char *text;        /* as written in the gazetteer (UTF-8) */
    size_t actor;            /* actor index */
    an_case_policy policy;   /* never AN_CASE_AUTO once loaded */
    int32_t date_from;       /* YYYYMMDD inclusive, 0 = open */
    int32_t date_to;         /* YYYYMMDD inclusive, 0 = open */
    const char *source;      /* file name it came from */
    unsigned long line;      /* line in that file */
} an_alias_info;

/* Create an empty gazetteer. Returns NULL on out of memory. */
AN_EXPORT an_gazetteer *an_gazetteer_create(void);
/* NULL is accepted. */
AN_EXPORT void an_gazetteer_destroy(an_gazetteer *gz);

/* Load a file (path "-" = stdin) and append its actors and aliases.
 * Errors carry file:line:column. On failure the gazetteer is unchanged. */
AN_EXPORT an_status an_gazetteer_load_file(an_gazetteer *gz, const char *path,
                                           an_gazetteer_format format, an_error *err);

/* Same from memory; `name` is used in messages and as alias source. */
AN_EXPORT an_status an_gazetteer_load_buffer(an_gazetteer *gz, const char *data, size_t len,
                                             const char *name, an_gazetteer_format format,
                                             an_error *err);

/* Load the default gazetteer shipped with actornet (compiled into the library). */
AN_EXPORT an_status an_gazetteer_load_default(an_gazetteer *gz, an_error *err);

AN_EXPORT size_t an_gazetteer_actor_count(const an_gazetteer *gz);
AN_EXPORT size_t an_gazetteer_alias_count(const an_gazetteer *gz);

/* Fill *out for actor i (< actor_count). Returns AN_EINVAL when out of range. */
AN_EXPORT an_status an_gazetteer_actor(const an_gazetteer *gz, size_t i, an_actor_info *out);
/* Fill *out for alias i (< alias_count). Returns AN_EINVAL when out of range. */
AN_EXPORT an_status an_gazetteer_alias(const an_gazetteer *gz, size_t i, an_alias_info *out);

/* Actor index by id; AN_ENOTFOUND if absent. */
AN_EXPORT an_status an_gazetteer_find(const an_gazetteer *gz, const char *id, size_t *index);

#ifdef __cplusplus
}
#endif
#endif
