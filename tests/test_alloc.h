/* A failing allocator for out-of-memory tests, installed with an_set_allocator():
 *
 *     an_allocator al = {t_malloc, t_realloc, t_free, NULL};
 *     fail_after = k;   // k more allocations succeed, then every one fails
 *     fail_after = -1;  // never fail
 *
 * Header-only; include it in one test file at a time. */
#ifndef ACTORNET_TEST_ALLOC_H
#define ACTORNET_TEST_ALLOC_H

#include <stdlib.h>

static long fail_after = -1;

static void *t_malloc(size_t n, void *ctx) {
    (void)ctx;
    if (fail_after == 0) return NULL;
    if (fail_after > 0) fail_after--;
    return malloc(n);
}

static void *t_realloc(void *p, size_t n, void *ctx) {
    (void)ctx;
    if (fail_after == 0) return NULL;
    if (fail_after > 0) fail_after--;
    return realloc(p, n);
}

static void t_free(void *p, void *ctx) {
    (void)ctx;
    free(p);
}

#endif
