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

#include <stdio.h>

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
    const char *text;        /* UTF-8, as matched: without the case marker (=/~) and
                                without the {FROM..TO} date range of the native
                                format; Phoenix '_' already turned into spaces */
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

/* 64-bit fingerprint of gz's contents: every actor's id, label, type and
 * parents, and every alias's text, actor, case policy and dates, in order
 * (FNV-1a; docs/counts-format.md, "Fingerprints"). 0 for NULL. Computed once
 * per contents and kept until the next load into gz, so callers that check
 * many counts files against one gazetteer pay for it once; safe to call from
 * several threads at once. Time: O(size of gz) the first time, O(1) after. */
AN_EXPORT uint64_t an_gazetteer_fingerprint(const an_gazetteer *gz);

/* ---- loading with options ------------------------------------------- */

/* Options for the _ex loaders. Zero-initialised = the defaults used by
 * an_gazetteer_load_file()/_buffer() (AUTO format, not strict, no warnings). */
typedef struct an_gazetteer_load_options {
    an_gazetteer_format format;
    int strict;           /* non-zero: every warning (skipped pattern, Phoenix
                             defect) is an error and the load fails */
    int phrase_attr_orth; /* spaCy: phrase patterns (strings) are exact (like
                             spaCy's phrase_matcher_attr ORTH), else folded */
    /* Called for every warning (w->status says the kind of problem, usually
     * AN_EPARSE; w->file/line/column locate it). May be NULL. The an_error is
     * valid only during the call. */
    void (*warn)(void *ctx, const an_error *w);
    void *warn_ctx;
} an_gazetteer_load_options;

/* Like an_gazetteer_load_file()/_buffer() with options (o may be NULL =
 * defaults). On failure the gazetteer is unchanged. */
AN_EXPORT an_status an_gazetteer_load_file_ex(an_gazetteer *gz, const char *path,
                                              const an_gazetteer_load_options *o,
                                              an_error *err);
AN_EXPORT an_status an_gazetteer_load_buffer_ex(an_gazetteer *gz, const char *data, size_t len,
                                                const char *name,
                                                const an_gazetteer_load_options *o,
                                                an_error *err);

/* ---- conversion ------------------------------------------------------ */

/* Write every actor and alias of gz to `out` in the native TSV format
 * (docs/gazetteer.md) so that loading the output gives the same actors
 * (ids, labels, types, parents, order) and aliases (text, policy, dates,
 * order). Every alias gets an explicit =/~ marker. What the format cannot
 * hold is repaired and counted:
 *   - tab, '|', CR or LF inside an alias, label or type -> space;
 *   - whitespace or ',' inside an id or parent id -> '_';
 *   - an alias without any letter or digit is left out;
 *   - an actor without aliases gets the alias list "-" (no aliases).
 * Returns AN_OK, AN_EIO on a write error, AN_EINVAL on NULL arguments. On
 * AN_OK with repairs, err (if given) has status AN_OK and a message that
 * counts them ("3 characters replaced, 1 alias left out"); without repairs
 * err->message is empty. Time: O(size). */
AN_EXPORT an_status an_gazetteer_write_native(const an_gazetteer *gz, FILE *out, an_error *err);

/* ---- quality check --------------------------------------------------- */

typedef struct an_finding {
    int level;        /* 0 info, 1 warning, 2 error */
    const char *code; /* "alias-claimed-by-several", "common-word", "short-alias",
                         "punctuation-only", "unknown-parent", "parent-cycle",
                         "duplicate-id" (static strings) */
    char message[512];
    const char *file; /* source of the actor/alias concerned ("" if none) */
    unsigned long line;
} an_finding;

/* Called once per finding; the finding is valid only during the call. */
typedef void (*an_check_fn)(void *ctx, const an_finding *f);

/* Look for likely problems in gz and report each through fn (may be NULL to
 * only count). Order is deterministic: first the actor checks in actor order
 * (duplicate-id, unknown-parent: error; parent-cycle: error, reported once
 * per cycle at its lowest actor index), then per alias in alias order
 * (punctuation-only: error; short-alias, common-word: warning), then
 * alias-claimed-by-several (warning, one finding per normalised text, by
 * first alias index; aliases whose date ranges do not overlap do not
 * collide, an exact and a folded alias collide when the folded one matches
 * the exact text). Aliases are compared with the matcher's normalisation
 * (same tokenizer, case folding + NFKC, dots of abbreviations dropped,
 * dashes ignored). Returns the number of error-level findings, or -1 on out
 * of memory or NULL gz. Time: O(alias bytes + actors * parents). */
AN_EXPORT long an_gazetteer_check(const an_gazetteer *gz, an_check_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
