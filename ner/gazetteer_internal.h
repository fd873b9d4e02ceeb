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
} an_i_actor;

typedef struct an_i_alias {
    char *text;
    size_t actor; /* in a batch: index into the batch's actors */
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
    an_i_idmap ids;
} an_i_gaz_batch;

/* Start a batch for the source `name` (copied). Returns AN_ENOMEM. */
an_status an_i_gaz_batch_init(an_i_gaz_batch *b, const an_gazetteer *gz, const char *name);
/* Frees everything the batch still owns. Safe after commit and on a zeroed batch. */
void an_i_gaz_batch_free(an_i_gaz_batch *b);

/* Where an actor id is already defined: in the gazetteer or earlier in the
 * batch. Returns 1 and sets *source and *line when found, else 0. */
int an_i_gaz_batch_lookup(const an_i_gaz_batch *b, const char *id, const char **source,
                          unsigned long *line);

/* Append an actor; takes ownership of `a`'s strings and parents only on
 * AN_OK (on failure the caller still owns them). The caller must have checked
 * for duplicates. *index receives the batch-local index. */
an_status an_i_gaz_batch_add_actor(an_i_gaz_batch *b, an_i_actor *a, size_t *index);
/* Append an alias; takes ownership of al->text only on AN_OK. al->actor is a
 * batch-local actor index. */
an_status an_i_gaz_batch_add_alias(an_i_gaz_batch *b, an_i_alias *al);

/* Frees the strings of one actor (not the struct). */
void an_i_actor_free(an_i_actor *a);

/* Move the batch into gz. All allocation happens first; on AN_ENOMEM gz is
 * unchanged and the batch still owns its content. On AN_OK the batch is
 * empty (still call an_i_gaz_batch_free). */
an_status an_i_gaz_commit(an_gazetteer *gz, an_i_gaz_batch *b);

/* Loaders. Fill the batch from data[0..len); `name` for messages. */
an_status an_i_gaz_parse_native(an_i_gaz_batch *b, const char *data, size_t len,
                                const char *name, an_error *err);

/* AN_CASE_EXACT when the alias has 1..4 letters, all of them upper case
 * (Unicode general category Lu), else AN_CASE_FOLD. `s` is valid UTF-8. */
an_case_policy an_i_gaz_auto_policy(const char *s, size_t len);

#endif
