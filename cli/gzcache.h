/* actornet CLI — the compiled gazetteer cache (cli/gzcache.c). */
#ifndef ACTORNET_CLI_GZCACHE_H
#define ACTORNET_CLI_GZCACHE_H

#include "cli.h"

/* What besides the files decides the loaded and compiled gazetteer. */
typedef struct gzcache_params {
    int disabled; /* --no-cache */
    an_gazetteer_format format;
    int strict;
    int phrase_attr_orth;
    int accent_insensitive;
} gzcache_params;

typedef struct gzcache {
    size_t n;
    char **data;  /* the files' contents (NULL for @default), read once for key and load */
    size_t *len;
    strbuf key;   /* options, then each file's name, size and bytes */
    char *dir, *path; /* NULL: no cache for this run */
    void *map;    /* the cache file, mapped by gzcache_read: the caller takes it over */
    size_t map_len;
} gzcache;

/* 1 when the cache applies to loading `files` (all readable regular files or
 * @default, together at least 256 KiB, a cache directory): c then holds the
 * files' contents. 0 otherwise (c empty; the caller loads as usual). */
int gzcache_open(gzcache *c, const char *const *files, size_t n, const gzcache_params *p);
/* 1 and *gz, *m and the note stored with them (the caller's bytes: the
 * load's warnings) when the cache holds these files' gazetteer. *m and the note point into
 * c->map: the caller takes c->map and c->map_len over (sets c->map to NULL)
 * and passes them to gzcache_unmap after an_matcher_destroy(*m). m NULL: the
 * gazetteer alone (its matcher is not read; *gz does not point into c->map). */
int gzcache_read(gzcache *c, an_gazetteer **gz, an_matcher **m, const char **note,
                 size_t *note_len);
/* Stores gz and m with the warnings of their load; failures are silent (the
 * next run compiles again). */
void gzcache_write(gzcache *c, const an_gazetteer *gz, const an_matcher *m, const char *note,
                   size_t note_len);
void gzcache_free(gzcache *c);
void gzcache_unmap(void *map, size_t len);

#endif
