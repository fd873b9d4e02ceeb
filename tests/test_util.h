/* Test assertion macros: never compiled out, print both values on failure. */
#ifndef ACTORNET_TEST_UTIL_H
#define ACTORNET_TEST_UTIL_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int an_t_failures;

#define T_FAIL(...)                                                   \
    do {                                                              \
        fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__);         \
        fprintf(stderr, __VA_ARGS__);                                 \
        fputc('\n', stderr);                                          \
        an_t_failures++;                                              \
    } while (0)

#define T_ASSERT(cond)                                                \
    do {                                                              \
        if (!(cond)) T_FAIL("%s", #cond);                             \
    } while (0)

#define T_EQ_INT(a, b)                                                                     \
    do {                                                                                   \
        long long an_t_a = (long long)(a), an_t_b = (long long)(b);                        \
        if (an_t_a != an_t_b) T_FAIL("%s == %s: %lld != %lld", #a, #b, an_t_a, an_t_b);    \
    } while (0)

#define T_EQ_STR(a, b)                                                                     \
    do {                                                                                   \
        const char *an_t_a = (a), *an_t_b = (b);                                           \
        if (!an_t_a || !an_t_b || strcmp(an_t_a, an_t_b) != 0)                             \
            T_FAIL("%s == %s: \"%s\" != \"%s\"", #a, #b, an_t_a ? an_t_a : "(null)",       \
                   an_t_b ? an_t_b : "(null)");                                            \
    } while (0)

#define T_NEAR(a, b, eps)                                                                  \
    do {                                                                                   \
        double an_t_a = (double)(a), an_t_b = (double)(b);                                 \
        if (!(an_t_a - an_t_b <= (eps) && an_t_b - an_t_a <= (eps)))                       \
            T_FAIL("%s ~= %s: %.12g != %.12g", #a, #b, an_t_a, an_t_b);                    \
    } while (0)

/* A status-returning call that must succeed. */
#define T_OK(call)                                                                         \
    do {                                                                                   \
        int an_t_s = (int)(call);                                                          \
        if (an_t_s != 0) T_FAIL("%s returned %d", #call, an_t_s);                          \
    } while (0)

#define T_DONE()                                                                           \
    do {                                                                                   \
        if (an_t_failures) {                                                               \
            fprintf(stderr, "%d failure(s)\n", an_t_failures);                            \
            return 1;                                                                      \
        }                                                                                  \
        return 0;                                                                          \
    } while (0)

#endif
