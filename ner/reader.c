/* actornet — the document reader: files, directories, stdin, JSON Lines.
 *
 * Memory stays bounded by the largest single document: text files are read
 * one at a time into one reused buffer, JSONL line by line into another, and
 * the JSON tree of a line lives in one reused arena. Directory walks keep
 * only the sorted entry names of the directories on the current path.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "actornet/text.h"
#include "core/internal.h"
#include "ner/json.h"

#define BINARY_PROBE 8192
#define CHUNK 65536

/* Read-ahead: the regular files among the next AHEAD_MAX entries of the list
 * being read (a directory's entries, or the named inputs) are opened early
 * and their pages asked for (POSIX_FADV_WILLNEED), so that the disk reads
 * them while the documents before them are scanned. On a cold page cache a
 * corpus of small files was otherwise read one synchronous request at a
 * time. Only entries that stat() shows to be regular files are opened, so
 * FIFOs and devices are still never opened out of turn. */
#define AHEAD_MAX 32

typedef struct ahead {
    size_t end;             /* entries before `end` have been looked at */
    int fd[AHEAD_MAX];      /* entry j's open file (-1: none), at j % AHEAD_MAX */
    char *path[AHEAD_MAX];  /* entry j's joined path (directory entries), or NULL */
} ahead;

typedef struct frame {
    char *path; /* the directory as it will prefix its entries */
    dev_t dev;
    ino_t ino;
    char **names; /* sorted, hidden entries left out */
    size_t n, i;
    ahead pf;
} frame;

struct an_reader {
    char **inputs;
    size_t n_inputs, next_input;
    an_reader_options opts;

    frame *stack;
    size_t depth, cap_stack;

    ahead pf_inputs; /* read-ahead among the named inputs */
    size_t ahead;    /* files held open by read-ahead, at most (all lists together):
                        AHEAD_MAX, fewer under a low open-file limit */
    size_t held;     /* files held open by read-ahead now */

    /* the file being read */
    char *path;   /* owned; NULL = none */
    int fd;       /* the open file (opened by the read-ahead, or in its turn), before it
                     is read or becomes `file`; -1 = none */
    FILE *file;   /* open JSONL file (or stdin) */
    int is_stdin;
    int from_dir; /* found by walking a directory (not named by the caller) */
    unsigned long line;

    char *rbuf; /* raw read chunk (JSONL) */
    size_t rlen, rpos;
    int eof;
    char *lbuf; /* one JSONL line */
    size_t lcap;
    char *tbuf; /* one text document */
    size_t tcap;
    an_json_doc *json;
    char idnum[32];

    uint64_t bytes;
};

/* ---- warnings -------------------------------------------------------- */

/* Report a recoverable problem. Returns AN_OK to go on, or `status` (with err
 * filled) in strict mode. `then` (appended as is) says what the reader does
 * about it in lenient mode ("; line skipped"); strict mode reports the same
 * problem without it, since it stops instead. */
static an_status warn(an_reader *r, an_error *err, an_status status, const char *file,
                      unsigned long line, unsigned long col, const char *then,
                      const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 8, 9)))
#endif
    ;

static an_status warn(an_reader *r, an_error *err, an_status status, const char *file,
                      unsigned long line, unsigned long col, const char *then,
                      const char *fmt, ...) {
    an_error w;
    memset(&w, 0, sizeof w);
    w.status = status;
    if (file) snprintf(w.file, sizeof w.file, "%s", file);
    w.line = line;
    w.column = col;
    va_list ap;
    va_start(ap, fmt);
    /* clang-tidy 14 forgets va_start in every file after the first of one run */
    vsnprintf(w.message, sizeof w.message, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
    va_end(ap);
    /* What the reader does about it is true only in lenient mode: strict stops here. */
    if (then && !r->opts.strict) {
        size_t n = strlen(w.message);
        snprintf(w.message + n, sizeof w.message - n, "%s", then);
    }
    if (r->opts.strict) {
        if (err) *err = w;
        return status;
    }
    if (r->opts.warn) r->opts.warn(r->opts.warn_ctx, &w);
    return AN_OK;
}

/* ---- create / destroy ------------------------------------------------ */

/* Close what was read ahead from entry i on. */
static void ahead_drop(an_reader *r, ahead *a, size_t i) {
    for (size_t j = i; j < a->end; j++) {
        size_t k = j % AHEAD_MAX;
        if (a->fd[k] >= 0) {
            close(a->fd[k]);
            r->held--;
        }
        an_i_free(a->path[k]);
        a->fd[k] = -1;
        a->path[k] = NULL;
    }
    a->end = i;
}

static void free_frame(an_reader *r, frame *f) {
    ahead_drop(r, &f->pf, f->i);
    for (size_t i = 0; i < f->n; i++) an_i_free(f->names[i]);
    an_i_free(f->names);
    an_i_free(f->path);
}

static void close_file(an_reader *r) {
    if (r->file && !r->is_stdin) fclose(r->file);
    r->file = NULL;
    if (r->fd >= 0) close(r->fd);
    r->fd = -1;
    r->is_stdin = 0;
    an_i_free(r->path);
    r->path = NULL;
    r->line = 0;
    r->rlen = r->rpos = 0;
    r->eof = 0;
}

AN_EXPORT void an_reader_destroy(an_reader *r) {
    if (!r) return;
    close_file(r);
    ahead_drop(r, &r->pf_inputs, r->next_input);
    while (r->depth) free_frame(r, &r->stack[--r->depth]);
    an_i_free(r->stack);
    for (size_t i = 0; i < r->n_inputs; i++) an_i_free(r->inputs[i]);
    an_i_free(r->inputs);
    an_i_free(r->rbuf);
    an_i_free(r->lbuf);
    an_i_free(r->tbuf);
    an_i_json_doc_free(r->json);
    an_i_free(r);
}

AN_EXPORT an_status an_reader_create(const char *const *inputs, size_t n_inputs,
                                     const an_reader_options *opts, an_reader **out,
                                     an_error *err) {
    if (!out || (n_inputs && !inputs))
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "an_reader_create: NULL argument");
    if (opts && (opts->format < AN_INPUT_AUTO || opts->format > AN_INPUT_JSONL))
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "an_reader_create: unknown input format %d",
                          (int)opts->format);
    for (size_t i = 0; i < n_inputs; i++)
        if (!inputs[i] || !inputs[i][0])
            return an_i_error(err, AN_EINVAL, NULL, 0, 0, "an_reader_create: empty input name");
    an_reader *r = an_i_calloc(1, sizeof *r);
    if (!r) goto oom;
    r->fd = -1;
    if (opts) r->opts = *opts;
    /* Read-ahead holds up to `ahead` files open: keep that well inside the
     * open-file limit (none below 64). */
    r->ahead = AHEAD_MAX;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur / 8 < AHEAD_MAX)
        r->ahead = rl.rlim_cur >= 64 ? (size_t)(rl.rlim_cur / 8) : 0;
    /* said, not left to an_i_calloc: on failure destroy frees this many copies */
    r->n_inputs = 0;
    if (n_inputs && !(r->inputs = an_i_calloc(n_inputs, sizeof *r->inputs))) goto oom;
    for (; r->n_inputs < n_inputs; r->n_inputs++)
        if (!(r->inputs[r->n_inputs] = an_i_strdup(inputs[r->n_inputs]))) goto oom;
    *out = r;
    return AN_OK;
oom:
    an_reader_destroy(r);
    return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "out of memory");
}

AN_EXPORT uint64_t an_reader_bytes_read(const an_reader *r) { return r ? r->bytes : 0; }

/* ---- walking --------------------------------------------------------- */

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join_path(const char *dir, const char *name) {
    size_t a = strlen(dir), b = strlen(name);
    int slash = a > 0 && dir[a - 1] != '/';
    char *p = an_i_malloc(a + (size_t)slash + b + 1);
    if (!p) return NULL;
    memcpy(p, dir, a);
    if (slash) p[a] = '/';
    memcpy(p + a + slash, name, b);
    p[a + (size_t)slash + b] = '\0';
    return p;
}

/* Out of file descriptors: read-ahead closes what it holds and stops for
 * good, so that it never makes the reader fail. Returns 1 if it held any
 * (the caller tries again). */
static int ahead_give_back(an_reader *r) {
    if (!r->held) return 0;
    ahead_drop(r, &r->pf_inputs, r->next_input);
    for (size_t d = 0; d < r->depth; d++) ahead_drop(r, &r->stack[d].pf, r->stack[d].i);
    r->ahead = 0;
    return 1;
}

static int out_of_fds(void) { return errno == EMFILE || errno == ENFILE; }

/* Push a directory: read and sort its entries. Takes ownership of path on
 * success; on failure the caller still owns it. */
static an_status push_dir(an_reader *r, char *path, const struct stat *st, an_error *err) {
    DIR *d = opendir(path);
    if (!d && out_of_fds() && ahead_give_back(r)) d = opendir(path);
    if (!d) return an_i_error(err, AN_EIO, path, 0, 0, "cannot open directory: %s", strerror(errno));
    frame f;
    memset(&f, 0, sizeof f);
    size_t cap = 0;
    an_status s = AN_OK;
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e) {
            if (errno) s = an_i_error(err, AN_EIO, path, 0, 0, "cannot read directory: %s",
                                      strerror(errno));
            break;
        }
        if (e->d_name[0] == '.') continue; /* hidden, and . and .. */
        if (an_i_grow((void **)&f.names, &cap, f.n + 1, sizeof *f.names) ||
            !(f.names[f.n] = an_i_strdup(e->d_name))) {
            s = an_i_error(err, AN_ENOMEM, path, 0, 0, "out of memory");
            break;
        }
        f.n++;
    }
    closedir(d);
    if (!s && an_i_grow((void **)&r->stack, &r->cap_stack, r->depth + 1, sizeof *r->stack))
        s = an_i_error(err, AN_ENOMEM, path, 0, 0, "out of memory");
    if (s) {
        free_frame(r, &f); /* f.path is NULL: the caller keeps path */
        return s;
    }
    if (f.n) qsort(f.names, f.n, sizeof *f.names, cmp_names);
    f.path = path;
    f.dev = st->st_dev;
    f.ino = st->st_ino;
    r->stack[r->depth++] = f;
    return AN_OK;
}

static int on_path(const an_reader *r, const struct stat *st) {
    for (size_t i = 0; i < r->depth; i++)
        if (r->stack[i].dev == st->st_dev && r->stack[i].ino == st->st_ino) return 1;
    return 0;
}

/* Read ahead among entries i.. of a list of n: the directory f's entries,
 * or (f NULL) the named inputs. Looks at entries up to i + r->ahead that it
 * has not seen, while fewer than r->ahead files are held: a regular file is
 * opened and its pages are asked for. Any failure (no memory, no file, too
 * many open files) only leaves the entry to be opened in its turn, where it
 * is reported as before. */
static void ahead_fill(an_reader *r, ahead *a, size_t i, size_t n, const frame *f) {
    if (a->end < i) a->end = i;
    for (; a->end < n && a->end < i + r->ahead && r->held < r->ahead; a->end++) {
        size_t k = a->end % AHEAD_MAX;
        a->fd[k] = -1;
        a->path[k] = f ? join_path(f->path, f->names[a->end]) : NULL;
        const char *p = f ? a->path[k] : r->inputs[a->end];
        struct stat st;
        if (!p || strcmp(p, "-") == 0 || stat(p, &st) != 0 || !S_ISREG(st.st_mode)) continue;
        /* O_NONBLOCK: should the entry have become a FIFO since the stat, the
         * open does not wait for a writer (and fstat turns it away) */
        int fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            if (out_of_fds()) { /* try again at the next call */
                an_i_free(a->path[k]);
                a->path[k] = NULL;
                break;
            }
            continue;
        }
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            close(fd);
            continue;
        }
#ifdef POSIX_FADV_WILLNEED
        (void)posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
#endif
        a->fd[k] = fd;
        r->held++;
    }
}

/* Entry i of the list a reads ahead for: its path (owned, NULL if it was
 * not joined) and its open file (-1: none), both taken out of a. */
static char *ahead_take(an_reader *r, ahead *a, size_t i, int *fd) {
    *fd = -1;
    if (i >= a->end) return NULL;
    size_t k = i % AHEAD_MAX;
    char *p = a->path[k];
    *fd = a->fd[k];
    if (*fd >= 0) r->held--;
    a->path[k] = NULL;
    a->fd[k] = -1;
    return p;
}

/* Next file to read into r->path (owned). Sets *done at the end. */
static an_status next_path(an_reader *r, int *done, an_error *err) {
    for (;;) {
        char *p;
        int explicit_input = 0, fd = -1;
        if (r->depth) {
            frame *f = &r->stack[r->depth - 1];
            if (f->i >= f->n) {
                free_frame(r, f);
                r->depth--;
                continue;
            }
            ahead_fill(r, &f->pf, f->i, f->n, f);
            p = ahead_take(r, &f->pf, f->i, &fd);
            if (!p) p = join_path(f->path, f->names[f->i]);
            f->i++;
        } else if (r->next_input < r->n_inputs) {
            ahead_fill(r, &r->pf_inputs, r->next_input, r->n_inputs, NULL);
            an_i_free(ahead_take(r, &r->pf_inputs, r->next_input, &fd));
            const char *in = r->inputs[r->next_input++];
            if (strcmp(in, "-") == 0) {
                if (!(r->path = an_i_strdup("-")))
                    return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "out of memory");
                r->is_stdin = 1;
                *done = 0;
                return AN_OK;
            }
            p = an_i_strdup(in);
            explicit_input = 1;
        } else {
            *done = 1;
            return AN_OK;
        }
        if (!p) {
            if (fd >= 0) close(fd);
            return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "out of memory");
        }
        if (fd >= 0) { /* read ahead: a regular file, open */
            r->path = p;
            r->fd = fd;
            r->from_dir = !explicit_input;
            *done = 0;
            return AN_OK;
        }
        struct stat st;
        if (stat(p, &st) != 0) {
            /* A named input that does not exist is the caller's mistake; a
             * dangling link or an unreadable entry inside a corpus directory
             * should not end a long run (strict mode still stops). */
            int e = errno;
            an_status s = explicit_input
                              ? an_i_error(err, AN_EIO, p, 0, 0, "cannot open: %s", strerror(e))
                              : warn(r, err, AN_EIO, p, 0, 0, ", skipped", "cannot open: %s",
                                     strerror(e));
            an_i_free(p);
            if (s) return s;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (on_path(r, &st)) {
                an_status s = warn(r, err, AN_EIO, p, 0, 0, ", skipped",
                                   "directory loop (a link back to an enclosing directory)");
                an_i_free(p);
                if (s) return s;
                continue;
            }
            an_status s = push_dir(r, p, &st, err);
            if (s) {
                an_i_free(p);
                return s;
            }
            continue;
        }
        /* Named inputs may be pipes or devices; inside directories only regular files count. */
        if (!explicit_input && !S_ISREG(st.st_mode)) {
            an_status s = warn(r, err, AN_EIO, p, 0, 0, ", skipped", "not a regular file");
            an_i_free(p);
            if (s) return s;
            continue;
        }
        r->path = p;
        r->from_dir = !explicit_input;
        *done = 0;
        return AN_OK;
    }
}

static int is_jsonl(const an_reader *r) {
    if (r->opts.format == AN_INPUT_JSONL) return 1;
    if (r->opts.format == AN_INPUT_TEXT || r->is_stdin) return 0;
    return an_i_has_suffix_ci(r->path, ".jsonl") || an_i_has_suffix_ci(r->path, ".ndjson");
}

static an_status open_current(an_reader *r, an_error *err) {
    if (r->is_stdin) {
        r->file = stdin;
        return AN_OK;
    }
    if (r->fd >= 0) return AN_OK; /* opened by the read-ahead */
    r->fd = open(r->path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0 && out_of_fds() && ahead_give_back(r)) r->fd = open(r->path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0) {
        int e = errno;
        if (r->from_dir)
            return warn(r, err, AN_EIO, r->path, 0, 0, ", skipped", "cannot open: %s",
                        strerror(e));
        return an_i_error(err, AN_EIO, r->path, 0, 0, "cannot open: %s", strerror(e));
    }
    return AN_OK;
}

/* ---- text documents -------------------------------------------------- */

/* Reads the current file whole: into the reader's buffer, or appended to
 * *into (an_reader_next_into; into->len is moved on past the text and its
 * NUL only on success). *skip is set for binary files (warned). */
static an_status read_text(an_reader *r, an_document *doc, int *skip, an_buffer *into,
                           an_error *err) {
    char **data = into ? &into->data : &r->tbuf;
    size_t *cap = into ? &into->cap : &r->tcap;
    size_t base = into ? into->len : 0, len = 0;
    int probed = 0;
    *skip = 0;
    for (;;) {
        if (*cap - base - len < CHUNK + 1 &&
            an_i_grow((void **)data, cap, base + len + CHUNK + 1, 1))
            return an_i_error(err, AN_ENOMEM, r->path, 0, 0, "out of memory");
        char *at = *data + base;
        size_t got;
        if (r->fd >= 0) {
            /* at most 2 * CHUNK at a time: asking for all the room of a
             * batch (a megabyte and more) was not faster */
            size_t want = *cap - base - len - 1;
            ssize_t g = read(r->fd, at + len, want < 2 * CHUNK ? want : 2 * CHUNK);
            if (g < 0) {
                if (errno == EINTR) continue;
                return an_i_error(err, AN_EIO, r->path, 0, 0, "read error: %s", strerror(errno));
            }
            got = (size_t)g;
        } else {
            got = fread(at + len, 1, *cap - base - len - 1, r->file);
        }
        len += got;
        r->bytes += got;
        if (!probed && (len >= BINARY_PROBE || got == 0)) {
            probed = 1;
            if (memchr(at, '\0', len < BINARY_PROBE ? len : BINARY_PROBE)) {
                *skip = 1;
                return warn(r, err, AN_EPARSE, r->path, 0, 0, ", skipped",
                            "binary file (NUL byte in the first 8 KiB)");
            }
        }
        if (got == 0) break;
    }
    if (r->fd < 0 && ferror(r->file))
        return an_i_error(err, AN_EIO, r->path, 0, 0, "read error: %s", strerror(errno));
    (*data)[base + len] = '\0';
    if (into) into->len = base + len + 1;
    memset(doc, 0, sizeof *doc);
    doc->id = r->path;
    doc->title = NULL;
    doc->date = 0;
    doc->text = *data + base;
    doc->len = len;
    doc->source = r->path;
    doc->line = 0;
    return AN_OK;
}

/* ---- JSON Lines ------------------------------------------------------ */

/* One line (without '\n') into r->lbuf. Returns 1 with *len set, 0 at the
 * end, -1 on a read error (errno kept). */
static int read_line(an_reader *r, size_t *len, an_status *oom) {
    size_t n = 0;
    int any = 0;
    *oom = AN_OK;
    for (;;) {
        if (r->rpos == r->rlen) {
            if (r->eof) break;
            if (!r->rbuf && !(r->rbuf = an_i_malloc(CHUNK))) {
                *oom = AN_ENOMEM;
                return -1;
            }
            r->rlen = fread(r->rbuf, 1, CHUNK, r->file);
            r->rpos = 0;
            if (r->rlen == 0) {
                r->eof = 1;
                if (ferror(r->file)) return -1;
                break;
            }
        }
        const char *s = r->rbuf + r->rpos;
        const char *nl = memchr(s, '\n', r->rlen - r->rpos);
        size_t take = nl ? (size_t)(nl - s) : r->rlen - r->rpos;
        if (an_i_grow((void **)&r->lbuf, &r->lcap, n + take + 1, 1)) {
            *oom = AN_ENOMEM;
            return -1;
        }
        memcpy(r->lbuf + n, s, take);
        n += take;
        any = 1;
        r->rpos += take + (nl ? 1 : 0);
        r->bytes += take + (nl ? 1 : 0);
        if (nl) break;
    }
    if (!any) return 0;
    r->lbuf[n] = '\0';
    *len = n;
    return 1;
}

/* Copy at most size-1 bytes of s (decoded JSON: valid UTF-8, may hold control
 * characters and NUL) for a one-line message: control characters become '?',
 * a cut never splits a UTF-8 sequence, and "..." marks a cut. */
static void quote_excerpt(const char *s, size_t len, char *out, size_t size) {
    size_t limit = size - 4, o = 0, i = 0;
    while (i < len) {
        size_t k = 1;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0xF0) k = 4;
        else if (c >= 0xE0) k = 3;
        else if (c >= 0xC0) k = 2;
        if (o + k > limit || i + k > len) break;
        if (c < 0x20 || c == 0x7F) out[o++] = '?';
        else {
            memcpy(out + o, s + i, k);
            o += k;
        }
        i += k;
    }
    if (i < len) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

/* Turn one line into a document. *skip is set when the line yields none. */
static an_status jsonl_line(an_reader *r, char *s, size_t len, an_document *doc, int *skip,
                            an_error *err) {
    *skip = 1;
    unsigned long off = 0;
    if (r->line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) off = 3;
    if (len > off && s[len - 1] == '\r') len--;
    size_t i = off;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) i++;
    if (i == len) return AN_OK; /* blank */
    if (!r->json && !(r->json = an_i_json_doc_create()))
        return an_i_error(err, AN_ENOMEM, r->path, r->line, 0, "out of memory");
    const an_json_value *root;
    an_json_error je;
    memset(&je, 0, sizeof je);
    an_status st = an_i_json_parse(r->json, s + off, len - off, &root, &je);
    if (st == AN_ENOMEM) return an_i_error(err, st, r->path, r->line, 0, "out of memory");
    if (st)
        return warn(r, err, AN_EPARSE, r->path, r->line, off + je.offset + 1, "; line skipped",
                    "invalid JSON: %s", je.message);
    if (root->type != AN_JSON_OBJECT)
        return warn(r, err, AN_EPARSE, r->path, r->line, 0, "; line skipped",
                    "expected a JSON object, found %s", an_i_json_type_name(root->type));
    const an_json_value *text = an_i_json_get(root, "text");
    if (!text)
        return warn(r, err, AN_EPARSE, r->path, r->line, 0, "; line skipped", "missing \"text\"");
    if (text->type != AN_JSON_STRING)
        return warn(r, err, AN_EPARSE, r->path, r->line, 0, "; line skipped",
                    "\"text\" must be a string, found %s", an_i_json_type_name(text->type));

    snprintf(r->idnum, sizeof r->idnum, "%lu", r->line - 1);
    const char *id = r->idnum, *title = NULL;
    int32_t date = 0;
    const an_json_value *v = an_i_json_get(root, "id");
    if (v && (v->type == AN_JSON_STRING || v->type == AN_JSON_NUMBER))
        id = v->str;
    else if (v && v->type != AN_JSON_NULL &&
             (st = warn(r, err, AN_EPARSE, r->path, r->line, 0, "; using the line number",
                        "\"id\" must be a string or number, found %s",
                        an_i_json_type_name(v->type))))
        return st;
    v = an_i_json_get(root, "title");
    if (v && v->type == AN_JSON_STRING)
        title = v->str;
    else if (v && v->type != AN_JSON_NULL &&
             (st = warn(r, err, AN_EPARSE, r->path, r->line, 0, "; ignored",
                        "\"title\" must be a string, found %s",
                        an_i_json_type_name(v->type))))
        return st;
    v = an_i_json_get(root, "date");
    if (v && v->type == AN_JSON_STRING) {
        if (an_parse_date(v->str, v->len, &date) != AN_OK) {
            date = 0;
            char shown[72];
            quote_excerpt(v->str, v->len, shown, sizeof shown);
            if ((st = warn(r, err, AN_EPARSE, r->path, r->line, 0,
                           "; document kept without a date", "unparsable \"date\" \"%s\"",
                           shown)))
                return st;
        }
    } else if (v && v->type != AN_JSON_NULL &&
               (st = warn(r, err, AN_EPARSE, r->path, r->line, 0, "; document kept without a date",
                          "\"date\" must be a string, found %s",
                          an_i_json_type_name(v->type))))
        return st;

    memset(doc, 0, sizeof *doc);
    doc->id = id;
    doc->title = title;
    doc->date = date;
    doc->text = text->str;
    doc->len = text->len;
    doc->source = r->path;
    doc->line = r->line;
    *skip = 0;
    return AN_OK;
}

/* ---- next ------------------------------------------------------------ */

/* A JSONL document's text, copied to the end of *into. */
static an_status append_text(an_reader *r, an_document *doc, an_buffer *into, an_error *err) {
    if (an_i_grow((void **)&into->data, &into->cap, into->len + doc->len + 1, 1))
        return an_i_error(err, AN_ENOMEM, r->path, r->line, 0, "out of memory");
    char *at = into->data + into->len;
    if (doc->len) memcpy(at, doc->text, doc->len);
    at[doc->len] = '\0';
    into->len += doc->len + 1;
    doc->text = at;
    return AN_OK;
}

static an_status next_doc(an_reader *r, an_document *doc, int *done, an_buffer *into,
                          an_error *err) {
    for (;;) {
        if (r->file) { /* inside a JSONL file */
            size_t len = 0;
            an_status oom;
            int got = read_line(r, &len, &oom);
            if (got < 0) {
                an_status s = oom ? an_i_error(err, AN_ENOMEM, r->path, r->line + 1, 0,
                                               "out of memory")
                                  : an_i_error(err, AN_EIO, r->path, r->line + 1, 0,
                                               "read error: %s", strerror(errno));
                close_file(r);
                return s;
            }
            if (got == 0) {
                close_file(r);
                continue;
            }
            r->line++;
            int skip;
            an_status s = jsonl_line(r, r->lbuf, len, doc, &skip, err);
            if (s) return s; /* the line is consumed: the next call goes on after it */
            if (skip) continue;
            if (into && (s = append_text(r, doc, into, err))) return s;
            *done = 0;
            return AN_OK;
        }
        /* The previous text document's path is released only now, when the
         * caller has asked for the next document. */
        if (r->path) close_file(r);
        int end = 0;
        an_status s = next_path(r, &end, err);
        if (s) return s;
        if (end) {
            *done = 1;
            return AN_OK;
        }
        if ((s = open_current(r, err)) || (r->fd < 0 && !r->file)) {
            close_file(r); /* no file: skipped with a warning */
            if (s) return s;
            continue;
        }
        if (is_jsonl(r)) {
            if (r->fd >= 0) {
#ifdef POSIX_FADV_SEQUENTIAL
                (void)posix_fadvise(r->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
                if (!(r->file = fdopen(r->fd, "rb"))) {
                    s = an_i_error(err, AN_ENOMEM, r->path, 0, 0, "out of memory");
                    close_file(r);
                    return s;
                }
                r->fd = -1; /* the stream has it now */
            }
            continue;
        }
        int skip;
        s = read_text(r, doc, &skip, into, err);
        if (r->fd >= 0) close(r->fd);
        r->fd = -1;
        r->file = NULL;
        if (s || skip) {
            close_file(r);
            if (s) return s;
            continue;
        }
        *done = 0;
        return AN_OK;
    }
}

AN_EXPORT an_status an_reader_next(an_reader *r, an_document *doc, int *done, an_error *err) {
    if (!r || !doc || !done)
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "an_reader_next: NULL argument");
    return next_doc(r, doc, done, NULL, err);
}

AN_EXPORT an_status an_reader_next_into(an_reader *r, an_document *doc, int *done,
                                        an_buffer *buf, an_error *err) {
    if (!r || !doc || !done || !buf || buf->len > buf->cap || (!buf->data && buf->cap))
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "an_reader_next_into: bad argument");
    return next_doc(r, doc, done, buf, err);
}

/* ---- dates ------------------------------------------------------------ */

static int digits(const char *s, size_t n, int *out) {
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

AN_EXPORT an_status an_parse_date(const char *s, size_t len, int32_t *out) {
    if (!s || !out) return AN_EINVAL;
    int y, m, d;
    size_t used;
    if (len >= 10 && s[4] == '-' && s[7] == '-') {
        if (!digits(s, 4, &y) || !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d)) return AN_EPARSE;
        used = 10;
    } else if (len >= 8) {
        if (!digits(s, 4, &y) || !digits(s + 4, 2, &m) || !digits(s + 6, 2, &d)) return AN_EPARSE;
        used = 8;
    } else
        return AN_EPARSE;
    /* A timestamp may follow the date: 'T' (or a space) and a time starting with a digit. */
    if (used < len) {
        if (len - used < 2 || (s[used] != 'T' && s[used] != 't' && s[used] != ' ') ||
            s[used + 1] < '0' || s[used + 1] > '9')
            return AN_EPARSE;
    }
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return AN_EPARSE;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap) return AN_EPARSE;
    *out = (int32_t)(y * 10000 + m * 100 + d);
    return AN_OK;
}
