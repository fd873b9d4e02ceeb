/* Shared body of the gazetteer fuzz targets: load arbitrary bytes as one
 * format, check that a failed load leaves the gazetteer unchanged and that
 * every loaded actor and alias can be read back. */
#ifndef ACTORNET_FUZZ_GAZETTEER_H
#define ACTORNET_FUZZ_GAZETTEER_H

#include <stdlib.h>
#include <string.h>

#include "actornet/actornet.h"

static inline void an_fz_check(const an_gazetteer *gz) {
    size_t na = an_gazetteer_actor_count(gz), nl = an_gazetteer_alias_count(gz);
    for (size_t i = 0; i < na; i++) {
        an_actor_info a;
        if (an_gazetteer_actor(gz, i, &a) != AN_OK || !a.id || !a.label || !a.type) abort();
        size_t back;
        /* ids are unique, so find() must give the first actor with the id */
        if (an_gazetteer_find(gz, a.id, &back) != AN_OK || back != i) abort();
        for (size_t k = 0; k < a.n_parents; k++)
            if (!a.parents[k]) abort();
    }
    for (size_t i = 0; i < nl; i++) {
        an_alias_info l;
        if (an_gazetteer_alias(gz, i, &l) != AN_OK || !l.text || l.actor >= na) abort();
        if (l.policy != AN_CASE_FOLD && l.policy != AN_CASE_EXACT) abort();
    }
    an_actor_info a;
    if (an_gazetteer_actor(gz, na, &a) != AN_EINVAL) abort();
}

static inline int an_fz_gazetteer(const uint8_t *data, size_t size,
                                  an_gazetteer_format format) {
    an_gazetteer *gz = an_gazetteer_create();
    if (!gz) return 0;
    /* A first, valid load; the fuzzed one must fail without touching it or
     * add to it (ids must then not collide with "FZ0"). */
    static const char base[] = "FZ0\tFuzz Base\tcountry\t\tFuzzland|=FZ\n";
    if (an_gazetteer_load_buffer(gz, base, sizeof base - 1, "base.tsv", AN_GAZ_NATIVE, NULL))
        abort();
    an_error err;
    an_error_clear(&err);
    an_status s = an_gazetteer_load_buffer(gz, (const char *)data, size, "fuzz", format, &err);
    if (s != AN_OK) {
        if (an_gazetteer_actor_count(gz) != 1 || an_gazetteer_alias_count(gz) != 2) abort();
        if (err.status != s || !memchr(err.message, '\0', sizeof err.message)) abort();
    }
    an_fz_check(gz);
    if (format == AN_GAZ_PHOENIX) {
        /* A later load of the same codes: aliases of actors defined before,
         * labels from the code or a dated record replaced. */
        size_t na = an_gazetteer_actor_count(gz), nl = an_gazetteer_alias_count(gz);
        if (an_gazetteer_load_buffer(gz, (const char *)data + size / 2, size - size / 2,
                                     "fuzz2", format, NULL) != AN_OK &&
            (an_gazetteer_actor_count(gz) != na || an_gazetteer_alias_count(gz) != nl))
            abort();
        an_fz_check(gz);
    }
    /* The strict and warning paths of the _ex loader. */
    an_gazetteer_load_options o;
    memset(&o, 0, sizeof o);
    o.format = format;
    o.strict = 1;
    an_gazetteer *g2 = an_gazetteer_create();
    if (g2) {
        if (an_gazetteer_load_buffer_ex(g2, (const char *)data, size, "fuzz", &o, NULL) == AN_OK)
            an_fz_check(g2);
        else if (an_gazetteer_actor_count(g2) != 0)
            abort();
        an_gazetteer_destroy(g2);
    }
    an_gazetteer_destroy(gz);
    return 0;
}

#endif
