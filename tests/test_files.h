/* File helpers shared by the tests: a scratch directory, tool detection, whole-file
 * read and write. Header-only (static inline), failures end the test with exit 1. */
#ifndef ACTORNET_TEST_FILES_H
#define ACTORNET_TEST_FILES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The scratch directory of this test process ("" until t_make_tmpdir). */
static char tmpdir[64];

/* Creates /tmp/an-NAME-XXXXXX as tmpdir. */
static inline void t_make_tmpdir(const char *name) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/an-%s-XXXXXX", name);
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        exit(1);
    }
}

/* Removes tmpdir unless AN_KEEP_TMP is set (to look at what a test wrote). */
static inline void t_remove_tmpdir(void) {
    if (!tmpdir[0] || getenv("AN_KEEP_TMP")) return;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
}

/* 1 when the command NAME is on PATH. */
static inline int t_have_tool(const char *name) {
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
    return system(cmd) == 0;
}

static inline void t_write_file(const char *path, const char *buf, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

/* The whole file, NUL-terminated (free it); NULL when it cannot be opened. */
static inline char *t_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = (n + 4096 + 1) * 2;
            char *p = realloc(buf, cap);
            if (!p) exit(1);
            buf = p;
        }
        size_t got = fread(buf + n, 1, 4096, f);
        n += got;
        if (got < 4096) break;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Occurrences of needle in hay[0..len). */
static inline size_t t_count_of(const char *hay, size_t len, const char *needle) {
    size_t nl = strlen(needle), c = 0;
    for (size_t i = 0; i + nl <= len; i++)
        if (memcmp(hay + i, needle, nl) == 0) c++;
    return c;
}

#ifdef ACTORNET_TEST_UTIL_H
#define T_CONTAINS(buf, len, needle)                                                   \
    do {                                                                               \
        if (!t_count_of((buf), (len), (needle)))                                       \
            T_FAIL("output does not contain \"%s\"", (needle));                        \
    } while (0)
#define T_LACKS(buf, len, needle)                                                      \
    do {                                                                               \
        if (t_count_of((buf), (len), (needle)))                                        \
            T_FAIL("output unexpectedly contains \"%s\"", (needle));                   \
    } while (0)

/* Compares buf with tests/DIR/golden/NAME (AN_UPDATE_GOLDEN=1 rewrites it); on a
 * difference writes AN_BUILD_ROOT/NAME.actual and names the first differing byte. */
static inline void t_check_golden(const char *dir, const char *name, const char *buf,
                                  size_t len) {
    const char *src = getenv("AN_SOURCE_ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/%s/golden/%s", src ? src : ".", dir, name);
    const char *upd = getenv("AN_UPDATE_GOLDEN");
    if (upd && strcmp(upd, "1") == 0) {
        t_write_file(path, buf, len);
        fprintf(stderr, "updated %s\n", path);
        return;
    }
    size_t glen = 0;
    char *gold = t_read_file(path, &glen);
    if (!gold) {
        T_FAIL("missing golden file %s (run with AN_UPDATE_GOLDEN=1)", path);
        return;
    }
    if (glen != len || memcmp(gold, buf, len) != 0) {
        size_t i = 0;
        while (i < len && i < glen && gold[i] == buf[i]) i++;
        const char *bld = getenv("AN_BUILD_ROOT");
        char apath[1024];
        snprintf(apath, sizeof apath, "%s/%s.actual", bld ? bld : ".", name);
        t_write_file(apath, buf, len);
        T_FAIL("%s differs from golden at byte %zu (golden %zu bytes, actual %zu); actual in %s",
               name, i, glen, len, apath);
    }
    free(gold);
}
#endif

#endif
