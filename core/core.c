/* actornet — status strings, error reports, allocator hook, version. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#ifndef AN_VERSION
#define AN_VERSION "0.0.0"
#endif

AN_EXPORT const char *an_strerror(an_status status) {
    switch (status) {
#define AN_X_CASE(name, value, text) \
    case name:                       \
        return text;
        AN_STATUS_LIST(AN_X_CASE)
#undef AN_X_CASE
    }
    return "unknown status";
}

AN_EXPORT const char *an_version(void) { return AN_VERSION; }

AN_EXPORT void an_error_clear(an_error *err) {
    if (!err) return;
    memset(err, 0, sizeof *err);
    err->status = AN_OK;
}

AN_EXPORT char *an_error_format(const an_error *err, char *buf, size_t size) {
    if (!buf || size == 0) return buf;
    buf[0] = '\0';
    if (!err) return buf;
    const char *msg = err->message[0] ? err->message : an_strerror(err->status);
    if (err->file[0] && err->line && err->column)
        snprintf(buf, size, "%s:%lu:%lu: %s", err->file, err->line, err->column, msg);
    else if (err->file[0] && err->line)
        snprintf(buf, size, "%s:%lu: %s", err->file, err->line, msg);
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", err->file, msg);
    else
        snprintf(buf, size, "%s", msg);
    return buf;
}

an_error *an_i_error_msg(an_error *err, const char *file, unsigned long line, unsigned long col,
                         const char *fmt, ...) {
    if (!err) return NULL;
    err->file[0] = '\0';
    if (file) snprintf(err->file, sizeof err->file, "%s", file);
    err->line = line;
    err->column = col;
    va_list ap;
    va_start(ap, fmt);
    /* clang-tidy 14 loses track of va_start in every file after the first it
     * checks in one run (checked: the same file is clean when it comes first) */
    vsnprintf(err->message, sizeof err->message, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
    va_end(ap);
    return err;
}

/* The hook: a plain static, set once before use (documented as not thread-safe). */
static an_allocator g_alloc;
static int g_alloc_set;

AN_EXPORT void an_set_allocator(const an_allocator *alloc) {
    if (alloc && alloc->malloc_fn && alloc->realloc_fn && alloc->free_fn) {
        g_alloc = *alloc;
        g_alloc_set = 1;
    } else {
        memset(&g_alloc, 0, sizeof g_alloc);
        g_alloc_set = 0;
    }
}

void *an_i_malloc(size_t size) {
    if (size == 0) size = 1;
    return g_alloc_set ? g_alloc.malloc_fn(size, g_alloc.ctx) : malloc(size);
}

void *an_i_calloc(size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) return NULL;
    /* the C library's calloc can hand out fresh pages without writing them */
    if (!g_alloc_set) return calloc(n ? n : 1, size ? size : 1);
    void *p = an_i_malloc(n * size);
    if (p) memset(p, 0, n * size);
    return p;
}

void *an_i_realloc(void *ptr, size_t size) {
    if (size == 0) size = 1;
    return g_alloc_set ? g_alloc.realloc_fn(ptr, size, g_alloc.ctx) : realloc(ptr, size);
}

void an_i_free(void *ptr) {
    if (!ptr) return;
    if (g_alloc_set)
        g_alloc.free_fn(ptr, g_alloc.ctx);
    else
        free(ptr);
}

char *an_i_strndup(const char *s, size_t n) {
    char *p = an_i_malloc(n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *an_i_strdup(const char *s) { return an_i_strndup(s, strlen(s)); }

an_status an_i_grow(void **items, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return AN_OK;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) return AN_ENOMEM;
        ncap *= 2;
    }
    if (elem && ncap > SIZE_MAX / elem) return AN_ENOMEM;
    void *p = an_i_realloc(*items, ncap * elem);
    if (!p) return AN_ENOMEM;
    *items = p;
    *cap = ncap;
    return AN_OK;
}

/* mark[i] (i < old_cap): slot i holds a key not yet at its new place. A
 * placed key's probe path only ever crosses placed keys (a probe stops at
 * the first empty or unplaced slot), so emptying an unplaced slot never cuts
 * a path; each swap places one key for good. */
void an_i_rehash_in_place(size_t old_cap, size_t new_cap, unsigned char *mark,
                          const an_i_table_ops *ops) {
    for (size_t i = 0; i < old_cap; i++)
        if (ops->occupied(ops->ctx, i)) mark[i / 8] |= (unsigned char)(1u << (i % 8));
#define UNPLACED(i) ((i) < old_cap && (mark[(i) / 8] >> ((i) % 8) & 1u))
    for (size_t i = 0; i < old_cap; i++) {
        while (UNPLACED(i)) {
            size_t p = an_i_slot_of(ops->hash(ops->ctx, i), new_cap);
            while (p != i && ops->occupied(ops->ctx, p) && !UNPLACED(p))
                if (++p == new_cap) p = 0;
            if (p != i && ops->occupied(ops->ctx, p)) { /* an unplaced key: take its slot */
                ops->swap(ops->ctx, i, p);
                mark[p / 8] &= (unsigned char)~(1u << (p % 8));
                continue; /* slot i now holds that key */
            }
            if (p != i) ops->move(ops->ctx, i, p);
            mark[i / 8] &= (unsigned char)~(1u << (i % 8));
        }
    }
#undef UNPLACED
}

int an_i_has_suffix_ci(const char *name, const char *suffix) {
    size_t n = strlen(name), k = strlen(suffix);
    if (n < k) return 0;
    for (size_t i = 0; i < k; i++) {
        char c = name[n - k + i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != suffix[i]) return 0;
    }
    return 1;
}

int an_i_write_all(int fd, const void *buf, size_t n) {
    const char *p = buf;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return -1;
        if (w == 0) {
            errno = EIO;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

size_t an_i_read_all(int fd, void *buf, size_t n, int64_t off) {
    char *p = buf;
    size_t got = 0;
    while (got < n) {
        ssize_t r = off < 0 ? read(fd, p + got, n - got)
                            : pread(fd, p + got, n - got, (off_t)(off + (int64_t)got));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    return got;
}
