/* actornet — gazetteer internals shared by the store and its loaders.
 *
 * Loaders never touch the gazetteer directly: they fill a batch (a staging
 * area that sees the gazetteer read-only for duplicate checks) and the store
 * commits the batch in one step that cannot fail half-way. That is how a
 * failed load leaves the gazetteer exactly as it was.
 */
#ifndef ACTORNET_NER_GAZETTEER_INTERNAL_H
#define ACTORNET_NER_GAZETTEER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "actornet/gazetteer.h"

typedef struct an_i_actor {
    char *id;
    char *label;
    char *type;
    size_t n_parents;
    char **parents;
    const char *source; /* owned by the gazetteer's source list */
    unsigned long line;
    /* Phoenix: the label is the code itself or a dated record's phrase; a
     * later Phoenix load with an undated record of the code replaces it */
    int label_weak;
} an_i_actor;

/* In a batch, an alias's actor with this bit set is an index into the
 * gazetteer's actors (a Phoenix code defined by an earlier load), without it
 * an index into the batch's actors. */
#define AN_I_GZ_ACTOR ((size_t)1 << (sizeof(size_t) * 8 - 1))

/* Bump allocator for strings: one free per 64 KiB block instead of one per
 * string. Alias texts live in one (a batch's, then the gazetteer's), and so
 * do the Phoenix loader's own strings. A NULL head is an empty arena. */
typedef struct an_i_sblock {
    struct an_i_sblock *next;
    size_t used, cap;
    char data[];
} an_i_sblock;

/* n bytes (NULL on out of memory). */
char *an_i_sarena_alloc(an_i_sblock **head, size_t n);
/* A NUL-terminated copy of s[0..n) (NULL on out of memory). */
char *an_i_sarena_strndup(an_i_sblock **head, const char *s, size_t n);
void an_i_sarena_free(an_i_sblock **head);

typedef struct an_i_alias {
    char *text; /* in the arena of its batch, then of its gazetteer */
    size_t actor; /* in a batch: index into the batch's actors, or AN_I_GZ_ACTOR | gz index */
    an_case_policy policy;
    int32_t date_from;
    int32_t date_to;
    const char *source; /* set at commit; owned by the gazetteer's source list */
    unsigned long line;
} an_i_alias;

/* Open-addressing map from actor id to actor index (ids are borrowed from
 * the actor array the map indexes). */
typedef struct an_i_idmap {
    size_t *slots; /* index + 1; 0 = empty */
    size_t cap;    /* power of two or 0 */
    size_t count;
} an_i_idmap;

typedef struct an_i_gaz_batch {
    const an_gazetteer *gz; /* read-only: cross-load duplicate checks */
    char *source;           /* owned until commit */
    an_i_actor *actors;
    size_t n_actors, cap_actors;
    an_i_alias *aliases;
    size_t n_aliases, cap_aliases;
    an_i_sblock *texts; /* the aliases' texts; moved to the gazetteer at commit */
    an_i_idmap ids;
    struct an_i_relabel {
        size_t actor; /* gazetteer index */
        char *label;  /* owned until commit */
    } *relabels; /* new labels of the gazetteer's weak-labelled actors */
    size_t n_relabels, cap_relabels;
} an_i_gaz_batch;

/* Start a batch for the source `name` (copied). Returns AN_ENOMEM. */
an_status an_i_gaz_batch_init(an_i_gaz_batch *b, const an_gazetteer *gz, const char *name);
/* Frees everything the batch still owns. Safe after commit and on a zeroed batch. */
void an_i_gaz_batch_free(an_i_gaz_batch *b);

/* Where an actor id is already defined: in the gazetteer or earlier in the
 * batch. Returns 1 and sets *source and *line when found, else 0. */
int an_i_gaz_batch_lookup(const an_i_gaz_batch *b, const char *id, const char **source,
                          unsigned long *line);

/* Index of actor `id`: sets *index to a batch index, or to AN_I_GZ_ACTOR |
 * the gazetteer index when an earlier load defined it. Returns 0 if absent. */
int an_i_gaz_batch_find(const an_i_gaz_batch *b, const char *id, size_t *index);

/* Label (the batch's new one, if it relabels the actor) and type of actor
 * `index` as an_i_gaz_batch_find() returns it. */
const char *an_i_gaz_batch_label(const an_i_gaz_batch *b, size_t index);
const char *an_i_gaz_batch_type(const an_i_gaz_batch *b, size_t index);
/* 1 when `index` (as an_i_gaz_batch_find() returns it) is an actor of the
 * gazetteer whose label is weak (see an_i_actor). */
int an_i_gaz_batch_label_weak(const an_i_gaz_batch *b, size_t index);
/* At commit, gazetteer actor `index` (AN_I_GZ_ACTOR | i) gets `label` (taken
 * over, also on failure) and loses its weak mark. Returns AN_ENOMEM. */
an_status an_i_gaz_batch_relabel(an_i_gaz_batch *b, size_t index, char *label);

/* Where actor i of gz was defined (for the checker). */
void an_i_gaz_actor_origin(const an_gazetteer *gz, size_t i, const char **source,
                           unsigned long *line);

/* Append an actor; takes ownership of `a`'s strings and parents only on
 * AN_OK (on failure the caller still owns them). The caller must have checked
 * for duplicates. *index receives the batch-local index. */
an_status an_i_gaz_batch_add_actor(an_i_gaz_batch *b, an_i_actor *a, size_t *index);
/* A copy of s[0..n) in the batch's text arena, for an alias's text (NULL on
 * out of memory). The batch owns it whether or not the alias is added. */
char *an_i_gaz_batch_text(an_i_gaz_batch *b, const char *s, size_t n);
/* Append an alias whose text came from an_i_gaz_batch_text(). al->actor is a
 * batch-local actor index. */
an_status an_i_gaz_batch_add_alias(an_i_gaz_batch *b, an_i_alias *al);

/* Set of batch aliases, to drop an alias that repeats an earlier one
 * (same text, actor, policy and dates) in O(1). Zero-initialise. */
typedef struct an_i_alias_set {
    struct an_i_alias_slot {
        uint64_t hash; /* of the alias: probes and rehashing do not read the alias */
        size_t index;  /* alias index + 1; 0 = empty */
    } *slots;
    size_t cap, count;
} an_i_alias_set;

/* 1 when the batch already holds an alias equal to *al (via the set). */
int an_i_alias_set_has(const an_i_alias_set *s, const an_i_gaz_batch *b, const an_i_alias *al);
/* Record batch alias `index` in the set. Returns AN_ENOMEM (set unchanged). */
an_status an_i_alias_set_add(an_i_alias_set *s, const an_i_gaz_batch *b, size_t index);
void an_i_alias_set_free(an_i_alias_set *s);

/* Frees the strings of one actor (not the struct). */
void an_i_actor_free(an_i_actor *a);

/* Move the batch into gz. All allocation happens first; on AN_ENOMEM gz is
 * unchanged and the batch still owns its content. On AN_OK the batch is
 * empty (still call an_i_gaz_batch_free). */
an_status an_i_gaz_commit(an_gazetteer *gz, an_i_gaz_batch *b);

/* Warnings of a load: counted, passed to the caller's callback, and turned
 * into the load's error in strict mode. */
typedef struct an_i_gaz_warn {
    const an_gazetteer_load_options *opts; /* never NULL */
    unsigned long count;
} an_i_gaz_warn;

/* Report one warning. Returns AN_OK, or (strict mode) `status` after filling
 * err with the warning: the loader must then stop. */
an_status an_i_gaz_warn_report(an_i_gaz_warn *w, an_error *err, an_status status,
                               const char *file, unsigned long line, unsigned long col,
                               const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

/* Loaders. Fill the batch from data[0..len); `name` for messages. */
an_status an_i_gaz_parse_native(an_i_gaz_batch *b, const char *data, size_t len,
                                const char *name, an_error *err);
an_status an_i_gaz_parse_spacy(an_i_gaz_batch *b, const char *data, size_t len,
                               const char *name, an_i_gaz_warn *w, an_error *err);
an_status an_i_gaz_parse_phoenix(an_i_gaz_batch *b, const char *data, size_t len,
                                 const char *name, an_i_gaz_warn *w, an_error *err);

/* 1 when s[0..len) has a letter or digit (Unicode categories L*, N*). */
int an_i_gaz_has_letter_or_digit(const char *s, size_t len);

/* AN_CASE_EXACT when the alias has 1..4 letters, all of them upper case
 * (Unicode general category Lu), else AN_CASE_FOLD. `s` is valid UTF-8. */
an_case_policy an_i_gaz_auto_policy(const char *s, size_t len);

#endif
