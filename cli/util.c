/* actornet CLI — messages, JSON strings, atomic output files, progress. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

const char *g_prog = "actornet";
int g_quiet;

/* Where msg() writes on this thread: stderr, or the buffer msg_capture() set. */
static _Thread_local strbuf *t_capture;

void msg_capture(strbuf *sink) { t_capture = sink; }

void msg(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (t_capture) {
        char line[2048];
        int n = snprintf(line, 64, "%.50s: ", g_prog);
        if (n < 0) n = 0;
        int m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
        size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
        if (len > sizeof line - 2) len = sizeof line - 2; /* truncated */
        line[len++] = '\n';
        line[len] = '\0';
        if (sb_put(t_capture, line, len)) fputs(line, stderr); /* no memory: print it now */
    } else {
        fprintf(stderr, "%s: ", g_prog);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
    }
    va_end(ap);
}

void msg_error(const char *context, const an_error *err) {
    char buf[1200];
    an_error_format(err, buf, sizeof buf);
    if (context)
        msg("%s: %s", context, buf);
    else
        msg("%s", buf);
}


/* JSON string: control characters escaped, invalid UTF-8 replaced by U+FFFD so
 * that every line is valid JSON whatever the input bytes. */
int sb_reserve(strbuf *b, size_t extra) {
    if (b->len + extra <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra) {
        if (cap > SIZE_MAX / 2) return -1;
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int sb_put(strbuf *b, const char *s, size_t n) {
    if (sb_reserve(b, n)) return -1;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    return 0;
}

int sb_u64(strbuf *b, uint64_t v) {
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (sb_reserve(b, n)) return -1;
    while (n) b->data[b->len++] = tmp[--n];
    return 0;
}

/* Length of a valid UTF-8 sequence at p (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n) {
    unsigned char c = p[0];
    size_t len;
    unsigned cp;
    if (c >= 0xc2 && c <= 0xdf) { len = 2; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { len = 3; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { len = 4; cp = c & 0x07; }
    else return 0;
    if (len > n) return 0;
    for (size_t k = 1; k < len; k++) {
        if ((p[k] & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (p[k] & 0x3f);
    }
    if (len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) return 0;
    if (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) return 0;
    return len;
}

int sb_json_string(strbuf *b, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    /* Worst case: every byte becomes \ufffd (6 bytes). */
    if (n > (SIZE_MAX - 2) / 6 || sb_reserve(b, 6 * n + 2)) return -1;
    char *o = b->data + b->len;
    *o++ = '"';
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            /* a run of plain ASCII is copied at once */
            size_t j = i + 1;
            while (j < n && p[j] >= 0x20 && p[j] < 0x7f && p[j] != '"' && p[j] != '\\') j++;
            memcpy(o, p + i, j - i);
            o += j - i;
            i = j;
            continue;
        }
        if (c >= 0x80) {
            size_t len = utf8_len(p + i, n - i);
            if (len) {
                memcpy(o, p + i, len);
                o += len;
                i += len;
            } else {
                memcpy(o, "\\ufffd", 6); // NOLINT(bugprone-not-null-terminated-result): byte buffer with a length
                o += 6;
                i++;
            }
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        default:
            memcpy(o, "u00", 3); // NOLINT(bugprone-not-null-terminated-result): byte buffer with a length
            o += 3;
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
        i++;
    }
    *o++ = '"';
    b->len = (size_t)(o - b->data);
    return 0;
}


/* ------------------------------------------------------------------------ */
/* Atomic output files                                                       */

/* The umask, read once (reading it means setting it, which two threads
 * writing outputs must not do at the same time): by out_init() before any
 * thread starts, else by the first out_open(). */
static mode_t g_umask;
static int g_umask_read;

void out_init(void) {
    g_umask = umask(0);
    umask(g_umask);
    g_umask_read = 1;
}

static mode_t process_umask(void) {
    if (!g_umask_read) out_init();
    return g_umask;
}

int out_open(outfile *f, const char *path) {
    memset(f, 0, sizeof *f);
    f->path = path;
    if (strcmp(path, "-") == 0) {
        f->fp = stdout;
        return 0;
    }
    /* Devices, pipes and other non-regular targets (/dev/stdout, /dev/full, a FIFO)
     * cannot be replaced by rename(): write to them directly. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        f->fp = fopen(path, "wb");
        if (!f->fp) {
            msg("%s: cannot open for writing: %s", path, strerror(errno));
            return -1;
        }
        return 0;
    }
    size_t n = strlen(path);
    f->tmp = malloc(n + 16);
    if (!f->tmp) {
        msg("%s: out of memory", path);
        return -1;
    }
    /* The temporary lives beside the target so that rename() stays on one filesystem. */
    snprintf(f->tmp, n + 16, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(f->tmp);
    if (fd < 0) {
        msg("%s: cannot create output file: %s", path, strerror(errno));
        free(f->tmp);
        f->tmp = NULL;
        return -1;
    }
    /* mkstemp creates 0600; give the result the usual umask-based mode. */
    (void)fchmod(fd, 0666 & ~process_umask());
    f->fp = fdopen(fd, "wb");
    if (!f->fp) {
        msg("%s: %s", path, strerror(errno));
        close(fd);
        unlink(f->tmp);
        free(f->tmp);
        f->tmp = NULL;
        return -1;
    }
    return 0;
}

/* Discard a partial output. */
void out_abort(outfile *f) {
    if (f->fp && f->fp != stdout) fclose(f->fp);
    if (f->tmp) {
        unlink(f->tmp);
        free(f->tmp);
    }
    memset(f, 0, sizeof *f);
}

/* Close and publish; on any write error the temporary is removed. */
int out_commit(outfile *f) {
    if (f->fp == stdout) {
        fflush(stdout);
        f->fp = NULL;
        return 0;
    }
    int bad = ferror(f->fp);
    int saved = 0; /* the first error: "no space" from the flush, not what close says after it */
    if (fflush(f->fp) != 0) {
        bad = 1;
        saved = errno;
    }
    if (fclose(f->fp) != 0) {
        bad = 1;
        if (!saved) saved = errno;
    }
    f->fp = NULL;
    if (bad) {
        msg("%s: write error: %s", f->path, strerror(saved ? saved : EIO));
        if (!f->tmp) return -1;
        unlink(f->tmp);
        free(f->tmp);
        f->tmp = NULL;
        return -1;
    }
    if (!f->tmp) return 0;
    if (rename(f->tmp, f->path) != 0) {
        msg("%s: cannot rename output into place: %s", f->path, strerror(errno));
        unlink(f->tmp);
        free(f->tmp);
        f->tmp = NULL;
        return -1;
    }
    free(f->tmp);
    f->tmp = NULL;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Progress                                                                  */

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void progress_init(progress *p) {
    memset(p, 0, sizeof *p);
    p->enabled = !g_quiet && isatty(STDERR_FILENO);
    p->start = p->last = now_seconds();
}

/* Remaining time as "42 s", "12:05" or "3:02:09". */
static int eta_format(char *buf, size_t size, double seconds) {
    if (!(seconds < 1e9)) seconds = 1e9; /* NaN or absurd: a long time */
    unsigned long long t = (unsigned long long)(seconds + 0.5);
    if (t < 60) return snprintf(buf, size, "%llu s", t);
    if (t < 3600) return snprintf(buf, size, "%llu:%02llu", t / 60, t % 60);
    return snprintf(buf, size, "%llu:%02llu:%02llu", t / 3600, t / 60 % 60, t % 60);
}

int progress_format(char *buf, size_t size, uint64_t docs, uint64_t bytes, uint64_t total,
                    double seconds, int final) {
    double mb = (double)bytes / 1e6;
    double rate = seconds > 0 ? mb / seconds : 0.0;
    int n = snprintf(buf, size, "%s: %llu documents, %.1f MB, %.1f MB/s", g_prog,
                     (unsigned long long)docs, mb, rate);
    if (n < 0 || (size_t)n >= size) return n;
    if (total && !final && rate > 0 && bytes <= total) {
        char eta[32];
        (void)eta_format(eta, sizeof eta, ((double)(total - bytes) / 1e6) / rate);
        int m = snprintf(buf + n, size - (size_t)n, ", %.0f%%, ETA %s",
                         100.0 * (double)bytes / (double)total, eta);
        if (m < 0) return m;
        n += m;
    }
    return n;
}

static void progress_print(progress *p, uint64_t docs, uint64_t bytes, uint64_t total, int final) {
    double t = now_seconds();
    if (!final && t - p->last < 0.25) return;
    p->last = t;
    char line[256];
    if (progress_format(line, sizeof line, docs, bytes, total, t - p->start, final) < 0) return;
    /* trailing blanks wipe what a longer previous line left */
    fprintf(stderr, "\r%s   %s", line, final ? "\n" : "");
}

void progress_tick(progress *p, uint64_t docs, uint64_t bytes, uint64_t total) {
    if (p->enabled) progress_print(p, docs, bytes, total, 0);
}

void progress_done(progress *p, uint64_t docs, uint64_t bytes, uint64_t total) {
    if (p->enabled && docs) progress_print(p, docs, bytes, total, 1);
}

static uint64_t path_bytes(const char *path, int depth) {
    struct stat st;
    if (depth > 64 || stat(path, &st) != 0) return 0;
    if (S_ISREG(st.st_mode)) return (uint64_t)st.st_size;
    if (!S_ISDIR(st.st_mode)) return 0;
    DIR *d = opendir(path);
    if (!d) return 0;
    uint64_t sum = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *child = malloc(n);
        if (!child) break;
        snprintf(child, n, "%s/%s", path, e->d_name);
        sum += path_bytes(child, depth + 1);
        free(child);
    }
    closedir(d);
    return sum;
}

uint64_t inputs_total_bytes(const char *const *inputs, size_t n) {
    uint64_t sum = 0;
    /* only the progress line uses it: no walk of the inputs without one */
    if (g_quiet || !isatty(STDERR_FILENO)) return 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(inputs[i], "-") == 0) return 0;
        sum += path_bytes(inputs[i], 0);
    }
    return sum;
}

void csv_field(FILE *out, const char *s) {
    if (!s) s = "";
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    putc('"', out);
    for (; *s; s++) {
        if (*s == '"') putc('"', out);
        putc(*s, out);
    }
    putc('"', out);
}
