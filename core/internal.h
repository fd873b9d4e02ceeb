/* actornet — internals shared by ner/ and graph/ (never installed). */
#ifndef ACTORNET_CORE_INTERNAL_H
#define ACTORNET_CORE_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

#include "actornet/common.h"

/* Allocation through the hook of an_set_allocator(). an_i_free accepts NULL. */
void *an_i_malloc(size_t size);
void *an_i_calloc(size_t n, size_t size); /* overflow-checked, zeroed */
void *an_i_realloc(void *ptr, size_t size);
void an_i_free(void *ptr);
char *an_i_strdup(const char *s);
char *an_i_strndup(const char *s, size_t n);

/* Grow *items (element size elem) so that it holds at least `need` elements.
 * Capacity doubles. Returns AN_ENOMEM (array untouched) on failure. */
an_status an_i_grow(void **items, size_t *cap, size_t need, size_t elem);

/* Fill err (if non-NULL) and return status. file may be NULL; line/col 0 = none. */
an_status an_i_error(an_error *err, an_status status, const char *file, unsigned long line,
                     unsigned long col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

#endif
