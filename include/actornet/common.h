/* actornet — status codes, error reports, allocator hook, version.
 *
 * Every fallible library call returns an an_status and, when given a non-NULL
 * an_error *, fills it with a human-readable message and, for input errors,
 * the file, line and column (1-based; 0 = not applicable).
 *
 * The library never prints, never exits and never aborts.
 */
#ifndef ACTORNET_COMMON_H
#define ACTORNET_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(AN_BUILDING_LIBRARY) && defined(__GNUC__)
#define AN_EXPORT __attribute__((visibility("default")))
#else
#define AN_EXPORT
#endif

/* One list, expanded into the enum and into an_strerror(). */
#define AN_STATUS_LIST(X)                                                   \
    X(AN_OK, 0, "success")                                                  \
    X(AN_ENOMEM, 1, "out of memory")                                        \
    X(AN_EIO, 2, "input/output error")                                      \
    X(AN_EPARSE, 3, "malformed input")                                      \
    X(AN_EINVAL, 4, "invalid argument")                                     \
    X(AN_ENOTFOUND, 5, "not found")                                         \
    X(AN_EGRAPH, 6, "graph library error")                                  \
    X(AN_ERENDER, 7, "rendering error")                                     \
    X(AN_ELIMIT, 8, "limit exceeded")

typedef enum an_status {
#define AN_X_ENUM(name, value, text) name = value,
    AN_STATUS_LIST(AN_X_ENUM)
#undef AN_X_ENUM
} an_status;

/* Static text for a status; never NULL ("unknown status" for foreign values). */
AN_EXPORT const char *an_strerror(an_status status);

/* Filled by failing calls when the caller passes one. `file` is empty and
 * `line`/`column` are 0 when they do not apply. */
typedef struct an_error {
    an_status status;
    char file[512];
    unsigned long line;   /* 1-based, 0 = none */
    unsigned long column; /* 1-based (bytes), 0 = none */
    char message[512];
} an_error;

/* Reset to AN_OK with empty strings. NULL is accepted. */
AN_EXPORT void an_error_clear(an_error *err);

/* Writes "file:line:column: message" (the parts that apply) into buf,
 * always NUL-terminated when size > 0. Returns buf. */
AN_EXPORT char *an_error_format(const an_error *err, char *buf, size_t size);

/* Allocator hook (used by the tests to inject allocation failures).
 * Passing NULL for all three restores malloc/realloc/free. Not thread-safe:
 * set it before any other call. igraph and Graphviz keep their own allocators. */
typedef struct an_allocator {
    void *(*malloc_fn)(size_t size, void *ctx);
    void *(*realloc_fn)(void *ptr, size_t size, void *ctx);
    void (*free_fn)(void *ptr, void *ctx);
    void *ctx;
} an_allocator;
AN_EXPORT void an_set_allocator(const an_allocator *alloc);

/* "MAJOR.MINOR.PATCH" */
AN_EXPORT const char *an_version(void);

#ifdef __cplusplus
}
#endif
#endif
