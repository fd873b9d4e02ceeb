/* actornet CLI — the compiled gazetteer cache (docs/design.md, "The compiled
 * gazetteer cache"; the format: ner/compiled.c).
 *
 * Loading and compiling the Phoenix dictionaries takes about 45 ms, which
 * every `count` of a shard, every `mentions` of one article and every map
 * pays again. The first run with a set of large gazetteer files stores the
 * gazetteer and its matcher; the next runs with the same files (byte for
 * byte: the key holds their contents), the same options and the same build
 * read them back in a few milliseconds. Warnings of the load are kept with
 * them and printed again, so a run's output never shows which way it went.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "gzcache.h"

/* Smaller gazetteers load in well under the time a cache file takes to read;
 * larger ones would leave a cache file of about seven times their size (a
 * 25 MB gazetteer of a million aliases: 170 MB). */
#define CACHE_MIN_BYTES ((size_t)256 * 1024)
#define CACHE_MAX_BYTES ((size_t)64 * 1024 * 1024)

/* Whole regular file into *data (malloc'd); -1 if it cannot be read. */
static int slurp(const char *path, char **data, size_t *len) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uintmax_t)st.st_size > SIZE_MAX - 1) {
        close(fd);
        return -1;
    }
    size_t cap = (size_t)st.st_size, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        close(fd);
        return -1;
    }
    for (;;) {
        if (n == cap) { /* the file grew: read on */
            char *p = cap < SIZE_MAX / 2 ? realloc(buf, 2 * cap + 1) : NULL;
            if (!p) break;
            buf = p;
            cap = 2 * cap;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            if (r == 0) {
                close(fd);
                *data = buf;
                *len = n;
                return 0;
            }
            break;
        }
        n += (size_t)r;
    }
    close(fd);
    free(buf);
    return -1;
}

/* The cache directory into buf: $ACTORNET_CACHE_DIR (empty: no cache), else
 * $XDG_CACHE_HOME/actornet, else $HOME/.cache/actornet. 0 if there is none. */
static int cache_dir(char *buf, size_t cap) {
    const char *d = getenv("ACTORNET_CACHE_DIR");
    int n;
    if (d) {
        if (!*d) return 0;
        n = snprintf(buf, cap, "%s", d);
    } else if ((d = getenv("XDG_CACHE_HOME")) && *d == '/') {
        n = snprintf(buf, cap, "%s/actornet", d);
    } else if ((d = getenv("HOME")) && *d == '/') {
        n = snprintf(buf, cap, "%s/.cache/actornet", d);
    } else {
        return 0;
    }
    return n > 0 && (size_t)n < cap;
}

/* mkdir -p of dir (mode 0700 for what it creates); 0 or -1. */
static int make_dirs(char *dir) {
    for (char *p = dir + 1;; p++) {
        if (*p != '/' && *p != '\0') continue;
        char c = *p;
        *p = '\0';
        int r = mkdir(dir, 0700);
        *p = c;
        if (r != 0 && errno != EEXIST) return -1;
        if (!c) return 0;
    }
}

static uint64_t fnv(uint64_t h, const void *data, size_t n) {
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001B3ull;
    return h;
}

static int key_u64(strbuf *k, uint64_t v) { return sb_put(k, (const char *)&v, sizeof v); }

int gzcache_open(gzcache *c, const char *const *files, size_t n, const gzcache_params *pr) {
    memset(c, 0, sizeof *c);
    if (pr->disabled || n == 0) return 0;
    char dir[PATH_MAX];
    if (!cache_dir(dir, sizeof dir)) return 0;
    c->data = calloc(n, sizeof *c->data);
    c->len = calloc(n, sizeof *c->len);
    if (!c->data || !c->len) goto off;
    c->n = n;
    size_t total = 0;
    strbuf *k = &c->key;
    /* the options that change what is loaded or compiled */
    if (sb_put(k, "actornet gazetteer cache\n", 25) || key_u64(k, (uint64_t)pr->format) ||
        key_u64(k, (uint64_t)pr->strict) || key_u64(k, (uint64_t)pr->phrase_attr_orth) ||
        key_u64(k, (uint64_t)pr->accent_insensitive) || key_u64(k, n))
        goto off;
    uint64_t name_hash = fnv(0xCBF29CE484222325ull, k->data, k->len);
    for (size_t i = 0; i < n; i++) {
        const char *f = files[i];
        if (!strcmp(f, "-")) goto off; /* stdin: read once, by the loader */
        if (!strcmp(f, "@default")) continue;
        if (slurp(f, &c->data[i], &c->len[i]) != 0) goto off; /* the loader says why */
        total += c->len[i];
        if (total > CACHE_MAX_BYTES) goto off;
    }
    if (total < CACHE_MIN_BYTES || sb_reserve(k, total + n * (PATH_MAX + 16))) goto off;
    for (size_t i = 0; i < n; i++) {
        const char *f = files[i];
        if (sb_put(k, f, strlen(f) + 1)) goto off;
        if (!c->data[i]) { /* @default, the build's own: the build id covers it */
            if (key_u64(k, UINT64_MAX)) goto off;
            name_hash = fnv(name_hash, "@default", 9);
            continue;
        }
        if (key_u64(k, c->len[i]) || sb_put(k, c->data[i], c->len[i])) goto off;
        char real[PATH_MAX];
        const char *id = realpath(f, real) ? real : f;
        name_hash = fnv(name_hash, id, strlen(id) + 1);
    }
    size_t need = strlen(dir) + 32;
    if (!(c->dir = strdup(dir)) || !(c->path = malloc(need))) goto off;
    snprintf(c->path, need, "%s/%016llx.ancg", dir, (unsigned long long)name_hash);
    return 1;
off:
    gzcache_free(c);
    memset(c, 0, sizeof *c);
    return 0;
}

int gzcache_read(gzcache *c, an_gazetteer **gz, an_matcher **m, const char **note,
                 size_t *note_len) {
    if (!c->path) return 0;
    int fd = open(c->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    struct stat st;
    void *map = MAP_FAILED;
    /* Mapped, not read: the matcher's arrays stay in the page cache's pages
     * (AN_COMPILED_BORROW) instead of being copied into fresh memory, which
     * is what most of a read costs (10 MB for the Phoenix dictionaries). The
     * file is only ever replaced by rename, never rewritten in place. */
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uintmax_t)st.st_size <= SIZE_MAX)
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) return 0;
    const void *nt = NULL;
    an_status rs = an_compiled_read(map, (size_t)st.st_size, c->key.data, c->key.len,
                                    AN_COMPILED_BORROW, gz, m, &nt, note_len, NULL);
    if (rs != AN_OK) { /* stale or damaged: this run writes it again */
        munmap(map, (size_t)st.st_size);
        return 0;
    }
    c->map = map; /* the matcher and the note point into it */
    c->map_len = (size_t)st.st_size;
    *note = nt;
    return 1;
}

void gzcache_write(gzcache *c, const an_gazetteer *gz, const an_matcher *m, const char *note,
                   size_t note_len) {
    if (!c->path || make_dirs(c->dir) != 0) return;
    size_t need = strlen(c->path) + 32;
    char *tmp = malloc(need);
    if (!tmp) return;
    snprintf(tmp, need, "%s.%ld.tmp", c->path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        if (fd >= 0) close(fd);
        free(tmp);
        return;
    }
    int ok = an_compiled_write(gz, m, c->key.data, c->key.len, note, note_len, f, NULL) == AN_OK;
    ok &= fflush(f) == 0;
    ok &= fclose(f) == 0;
    /* renamed whole over the old one: a reader sees the old file or this */
    if (!ok || rename(tmp, c->path) != 0) unlink(tmp);
    free(tmp);
}

void gzcache_free(gzcache *c) {
    for (size_t i = 0; c->data && i < c->n; i++) free(c->data[i]);
    free(c->data);
    free(c->len);
    free(c->key.data);
    free(c->dir);
    free(c->path);
    memset(c, 0, sizeof *c);
}

void gzcache_unmap(void *map, size_t len) {
    if (map) munmap(map, len);
}
