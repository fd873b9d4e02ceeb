/* Reader: directory order, JSONL fields and warnings, strict mode, errors, dates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actornet/text.h"
#include "test_util.h"
#include "test_alloc.h"

#define CHECK(name) fprintf(stderr, "# %s\n", name)

static char data_dir[900];

/* Warnings collected as formatted lines. */
typedef struct warnings {
    char lines[32][700];
    int n;
} warnings;

static void collect(void *ctx, const an_error *w) {
    warnings *ws = ctx;
    if (ws->n < 32) an_error_format(w, ws->lines[ws->n++], sizeof ws->lines[0]);
}

/* Reads everything; returns "id|text;..." of the documents (text cut at 20 bytes).
 * With `into`, through an_reader_next_into() into a buffer that starts with a
 * few bytes of its own: they stay, and each text (NUL-terminated) follows the
 * one before. */
static void read_all_as(const char *const *inputs, size_t n, an_reader_options *o, char *out,
                        size_t size, int into) {
    an_reader *r = NULL;
    an_error err;
    an_error_clear(&err);
    T_OK(an_reader_create(inputs, n, o, &r, &err));
    out[0] = '\0';
    size_t used = 0;
    an_buffer buf = {NULL, 0, 0};
    if (into) {
        buf.data = malloc(8);
        if (!buf.data) T_FAIL("out of memory");
        else {
            memcpy(buf.data, "mine", 4);
            buf.len = 4;
            buf.cap = 8;
        }
    }
    for (int guard = 0; guard < 100; guard++) {
        an_document d;
        int done = 0;
        size_t before = buf.len;
        an_status st = into ? an_reader_next_into(r, &d, &done, &buf, &err)
                            : an_reader_next(r, &d, &done, &err);
        if (st) {
            char msg[1100];
            T_FAIL("reader error: %s", an_error_format(&err, msg, sizeof msg));
            break;
        }
        if (done) {
            T_EQ_INT(buf.len, before);
            break;
        }
        T_EQ_INT(d.text[d.len], '\0');
        if (into) {
            T_ASSERT(d.text == buf.data + before);
            T_EQ_INT(buf.len, before + d.len + 1);
            T_ASSERT(buf.len <= buf.cap);
        }
        used += (size_t)snprintf(out + used, size - used, "%s|%.20s;", d.id, d.text);
        if (used >= size) break;
    }
    if (into) T_ASSERT(buf.data && memcmp(buf.data, "mine", 4) == 0);
    free(buf.data);
    an_reader_destroy(r);
}

static void read_all(const char *const *inputs, size_t n, an_reader_options *o, char *out,
                     size_t size) {
    read_all_as(inputs, n, o, out, size, 0);
}

static void check_directory(void) {
    CHECK("directory tree: sorted, recursive, hidden skipped, binary warned");
    char corpus[1024], out[8192];
    snprintf(corpus, sizeof corpus, "%s/corpus", data_dir);
    const char *in[] = {corpus};
    warnings ws = {.n = 0};
    an_reader_options o = {AN_INPUT_AUTO, 0, collect, &ws};
    read_all(in, 1, &o, out, sizeof out);
    char expect[8192];
    snprintf(expect, sizeof expect,
             "%s/a.txt|Alpha text.\n;%s/b.txt|Bravo text.\n;j0|from jsonl;1|second;"
             "%s/sub/Z.txt|Zulu sorts before c ;%s/sub/c.txt|Charlie.;%s/sub/deeper/d.md|;",
             corpus, corpus, corpus, corpus, corpus);
    T_EQ_STR(out, expect);
    T_EQ_INT(ws.n, 1);
    char w0[1200];
    snprintf(w0, sizeof w0, "%s/sub/binary.txt: binary file (NUL byte in the first 8 KiB), skipped",
             corpus);
    T_EQ_STR(ws.lines[0], w0);

    /* the same into the caller's buffer, the binary file skipped there too */
    char out2[8192];
    ws.n = 0;
    read_all_as(in, 1, &o, out2, sizeof out2, 1);
    T_EQ_STR(out2, expect);
    T_EQ_INT(ws.n, 1);

    /* trailing slash: no doubled separator; a hidden file named explicitly is read */
    char slash[1100], hidden[1100];
    snprintf(hidden, sizeof hidden, "%s/corpus/.hidden.txt", data_dir);
    snprintf(slash, sizeof slash, "%s/corpus/sub/deeper/", data_dir);
    const char *in2[] = {slash, hidden};
    read_all(in2, 2, NULL, out, sizeof out);
    snprintf(expect, sizeof expect, "%sd.md|;%s|hidden\n;", slash, hidden);
    T_EQ_STR(out, expect);
}

static void check_jsonl(void) {
    CHECK("JSONL: fields, defaults, warnings, CRLF, BOM");
    char path[1024];
    snprintf(path, sizeof path, "%s/jsonl/mixed.jsonl", data_dir);
    const char *in[] = {path};
    warnings ws = {.n = 0};
    an_reader_options o = {AN_INPUT_AUTO, 0, collect, &ws};
    an_reader *r = NULL;
    T_OK(an_reader_create(in, 1, &o, &r, NULL));
    struct {
        const char *id, *title, *text;
        int32_t date;
        unsigned long line;
    } expect[] = {
        {"a1", "T1", "First text.", 20160928, 1},
        {"2", NULL, "no id here", 20160928, 3},
        {"7", NULL, "numeric id", 0, 5},
        {"8", NULL, "bool id", 0, 9},
        {"-1.5e3", NULL, "esc \xC3\xA9 \xF0\x9F\x98\x80 \xEF\xBF\xBD end\n", 20160928, 10},
        {"10", NULL, "last", 0, 11},
    };
    size_t n = 0;
    for (;;) {
        an_document d;
        int done = 0;
        an_error err;
        T_OK(an_reader_next(r, &d, &done, &err));
        if (done) break;
        if (n >= sizeof expect / sizeof expect[0]) {
            T_FAIL("too many documents");
            break;
        }
        T_EQ_STR(d.id, expect[n].id);
        if (expect[n].title)
            T_EQ_STR(d.title, expect[n].title);
        else
            T_ASSERT(d.title == NULL);
        T_EQ_STR(d.text, expect[n].text);
        T_EQ_INT(d.len, strlen(expect[n].text));
        T_EQ_INT(d.date, expect[n].date);
        T_EQ_INT(d.line, expect[n].line);
        T_EQ_STR(d.source, path);
        n++;
    }
    T_EQ_INT(n, sizeof expect / sizeof expect[0]);
    struct stat st;
    T_OK(stat(path, &st));
    T_EQ_INT(an_reader_bytes_read(r), st.st_size);
    an_reader_destroy(r);

    const char *want[] = {
        ":4:10: invalid JSON: unexpected 'b', expected a value; line skipped",
        ":5: unparsable \"date\" \"2016-02-30\"; document kept without a date",
        ":6: missing \"text\"; line skipped",
        ":7: \"text\" must be a string, found number; line skipped",
        ":8: expected a JSON object, found array; line skipped",
        ":9: \"id\" must be a string or number, found boolean; using the line number",
        ":9: \"title\" must be a string, found number; ignored",
        ":9: \"date\" must be a string, found number; document kept without a date",
    };
    T_EQ_INT(ws.n, sizeof want / sizeof want[0]);
    for (int i = 0; i < ws.n && i < (int)(sizeof want / sizeof want[0]); i++) {
        char full[1200];
        snprintf(full, sizeof full, "%s%s", path, want[i]);
        T_EQ_STR(ws.lines[i], full);
    }
}

static void check_strict(void) {
    CHECK("strict: the warning is the error, next call goes on");
    char path[1024];
    snprintf(path, sizeof path, "%s/jsonl/mixed.jsonl", data_dir);
    const char *in[] = {path};
    an_reader_options o = {AN_INPUT_AUTO, 1, NULL, NULL};
    an_reader *r = NULL;
    T_OK(an_reader_create(in, 1, &o, &r, NULL));
    an_document d;
    int done = 0;
    an_error err;
    T_OK(an_reader_next(r, &d, &done, &err));
    T_OK(an_reader_next(r, &d, &done, &err));
    T_EQ_STR(d.id, "2");
    an_error_clear(&err);
    T_EQ_INT(an_reader_next(r, &d, &done, &err), AN_EPARSE);
    T_EQ_STR(err.file, path);
    T_EQ_INT(err.line, 4);
    T_EQ_INT(err.column, 10);
    /* line 5 has a bad date: also an error in strict mode */
    T_EQ_INT(an_reader_next(r, &d, &done, &err), AN_EPARSE);
    T_EQ_INT(err.line, 5);
    an_reader_destroy(r);
}

static void check_formats(void) {
    CHECK("forced formats");
    char path[1024], out[2048], expect[2048];
    snprintf(path, sizeof path, "%s/corpus/docs.jsonl", data_dir);
    const char *in[] = {path};
    an_reader_options o = {AN_INPUT_TEXT, 0, NULL, NULL};
    read_all(in, 1, &o, out, sizeof out);
    snprintf(expect, sizeof expect, "%s|{\"id\":\"j0\",\"text\":\"f;", path);
    T_EQ_STR(out, expect);
    snprintf(path, sizeof path, "%s/corpus/a.txt", data_dir);
    warnings ws = {.n = 0};
    an_reader_options oj = {AN_INPUT_JSONL, 0, collect, &ws};
    read_all(in, 1, &oj, out, sizeof out);
    T_EQ_STR(out, "");
    T_EQ_INT(ws.n, 1);
    snprintf(expect, sizeof expect,
             "%s:1:1: invalid JSON: unexpected 'A', expected a value; line skipped", path);
    T_EQ_STR(ws.lines[0], expect);
}

static void check_errors(void) {
    CHECK("unreadable input: AN_EIO naming the file, then the reader goes on");
    char missing[1024], ok[1024];
    snprintf(missing, sizeof missing, "%s/no/such/file.txt", data_dir);
    snprintf(ok, sizeof ok, "%s/corpus/b.txt", data_dir);
    const char *in[] = {missing, ok};
    an_reader *r = NULL;
    T_OK(an_reader_create(in, 2, NULL, &r, NULL));
    an_document d;
    int done = 0;
    an_error err;
    an_error_clear(&err);
    T_EQ_INT(an_reader_next(r, &d, &done, &err), AN_EIO);
    T_EQ_STR(err.file, missing);
    T_EQ_STR(err.message, "cannot open: No such file or directory");
    T_OK(an_reader_next(r, &d, &done, &err));
    T_EQ_INT(done, 0);
    T_EQ_STR(d.id, ok);
    T_OK(an_reader_next(r, &d, &done, &err));
    T_EQ_INT(done, 1);
    T_OK(an_reader_next(r, &d, &done, &err));
    T_EQ_INT(done, 1);
    an_reader_destroy(r);
    an_reader_destroy(NULL);
    T_EQ_INT(an_reader_create(NULL, 1, NULL, &r, NULL), AN_EINVAL);
    /* no inputs: done at once */
    T_OK(an_reader_create(NULL, 0, NULL, &r, NULL));
    T_OK(an_reader_next(r, &d, &done, &err));
    T_EQ_INT(done, 1);
    /* a buffer that is not one: no buffer, len past cap, cap without data */
    an_buffer nobuf = {NULL, 1, 0}, nodata = {NULL, 0, 16};
    T_EQ_INT(an_reader_next_into(r, &d, &done, NULL, NULL), AN_EINVAL);
    T_EQ_INT(an_reader_next_into(r, &d, &done, &nobuf, NULL), AN_EINVAL);
    T_EQ_INT(an_reader_next_into(r, &d, &done, &nodata, NULL), AN_EINVAL);
    an_buffer empty = {NULL, 0, 0};
    T_OK(an_reader_next_into(r, &d, &done, &empty, &err));
    T_EQ_INT(done, 1);
    T_ASSERT(empty.data == NULL && empty.len == 0);
    an_reader_destroy(r);
}

static void check_loop_and_long_line(void) {
    CHECK("symlink loop warned; 50 MB JSONL line");
    char tmpl[] = "/tmp/an-reader-XXXXXX";
    char *dir = mkdtemp(tmpl);
    T_ASSERT(dir != NULL);
    if (!dir) return;
    char p[512], q[512];
    snprintf(p, sizeof p, "%s/tree", dir);
    T_OK(mkdir(p, 0700));
    snprintf(p, sizeof p, "%s/tree/loop", dir);
    T_OK(symlink(".", p));
    snprintf(p, sizeof p, "%s/tree/big.jsonl", dir);
    FILE *f = fopen(p, "wb");
    T_ASSERT(f != NULL);
    if (!f) return;
    size_t big = 50u * 1024 * 1024;
    char *chunk = malloc(1 << 20);
    memset(chunk, 'x', 1 << 20);
    fputs("{\"text\":\"", f);
    for (size_t i = 0; i < big; i += 1 << 20) fwrite(chunk, 1, 1 << 20, f);
    fputs("\"}\n{\"text\":\"small\"}\n", f);
    fclose(f);
    free(chunk);

    snprintf(q, sizeof q, "%s/tree", dir);
    const char *in[] = {q};
    warnings ws = {.n = 0};
    an_reader_options o = {AN_INPUT_AUTO, 0, collect, &ws};
    an_reader *r = NULL;
    T_OK(an_reader_create(in, 1, &o, &r, NULL));
    an_document d;
    int done = 0, n = 0;
    an_error err;
    size_t lens[4] = {0};
    while (an_reader_next(r, &d, &done, &err) == AN_OK && !done && n < 4) lens[n++] = d.len;
    T_EQ_INT(n, 2);
    T_EQ_INT(lens[0], big);
    T_EQ_INT(lens[1], 5);
    T_EQ_INT(ws.n, 1);
    char expect[700];
    snprintf(expect, sizeof expect,
             "%s/tree/loop: directory loop (a link back to an enclosing directory), skipped", dir);
    T_EQ_STR(ws.lines[0], expect);
    an_reader_destroy(r);
    unlink(p);
    snprintf(p, sizeof p, "%s/tree/loop", dir);
    unlink(p);
    rmdir(q);
    rmdir(dir);
}

static void check_dates(void) {
    CHECK("an_parse_date");
    struct {
        const char *s;
        an_status st;
        int32_t v;
    } cases[] = {
        {"2016-09-28", AN_OK, 20160928},
        {"20160928", AN_OK, 20160928},
        {"2016-09-28T14:50:00Z", AN_OK, 20160928},
        {"2016-09-28 14:50", AN_OK, 20160928},
        {"20160928T145000Z", AN_OK, 20160928},
        {"2016-02-29", AN_OK, 20160229},
        {"2000-02-29", AN_OK, 20000229},
        {"1900-02-29", AN_EPARSE, 0},
        {"2015-02-29", AN_EPARSE, 0},
        {"2016-02-30", AN_EPARSE, 0},
        {"2016-13-01", AN_EPARSE, 0},
        {"2016-00-10", AN_EPARSE, 0},
        {"2016-04-31", AN_EPARSE, 0},
        {"0000-01-01", AN_EPARSE, 0},
        {"garbage", AN_EPARSE, 0},
        {"", AN_EPARSE, 0},
        {"2016-9-28", AN_EPARSE, 0},
        {"2016-09-28x", AN_EPARSE, 0},
        {"2016-09-28T", AN_EPARSE, 0},
        {"201609281", AN_EPARSE, 0},
        {" 2016-09-28", AN_EPARSE, 0},
        {"+016-09-28", AN_EPARSE, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t v = -1;
        an_status st = an_parse_date(cases[i].s, strlen(cases[i].s), &v);
        if (st != cases[i].st) T_FAIL("an_parse_date(\"%s\") = %d", cases[i].s, (int)st);
        if (st == AN_OK && v != cases[i].v)
            T_FAIL("an_parse_date(\"%s\") -> %d", cases[i].s, (int)v);
        if (st != AN_OK && v != -1) T_FAIL("an_parse_date(\"%s\") wrote on failure", cases[i].s);
    }
    /* length is honoured: the date need not be NUL-terminated */
    int32_t v = 0;
    T_OK(an_parse_date("2016-09-28junk", 10, &v));
    T_EQ_INT(v, 20160928);
}

static void check_oom(void) {
    CHECK("allocation failures: AN_ENOMEM, no crash, no leak");
    char corpus[1024], jsonl[1024];
    snprintf(corpus, sizeof corpus, "%s/corpus", data_dir);
    snprintf(jsonl, sizeof jsonl, "%s/jsonl/mixed.jsonl", data_dir);
    const char *in[] = {corpus, jsonl};
    an_allocator alloc = {t_malloc, t_realloc, t_free, NULL};
    for (int into = 0; into <= 1; into++) {
        int complete = 0;
        for (long k = 0; k < 500 && !complete; k++) {
            an_set_allocator(&alloc);
            fail_after = k; /* k allocations succeed, then every one fails */
            an_reader *r = NULL;
            an_buffer buf = {NULL, 0, 0};
            an_status st = an_reader_create(in, 2, NULL, &r, NULL);
            int docs = 0, enomem = 0;
            if (st == AN_OK) {
                for (int guard = 0; guard < 100; guard++) {
                    an_document d;
                    int done = 0;
                    size_t before = buf.len;
                    st = into ? an_reader_next_into(r, &d, &done, &buf, NULL)
                              : an_reader_next(r, &d, &done, NULL);
                    if (st != AN_OK || done) T_EQ_INT(buf.len, before);
                    if (st == AN_ENOMEM) enomem = 1;
                    else if (st != AN_OK) T_FAIL("status %d", (int)st);
                    if (st == AN_OK && done) break;
                    if (st == AN_OK) docs++;
                    if (enomem) break;
                }
                an_reader_destroy(r);
            } else
                T_EQ_INT(st, AN_ENOMEM);
            free(buf.data); /* t_realloc's, which is realloc's */
            fail_after = -1;
            an_set_allocator(NULL);
            if (st == AN_OK && !enomem) {
                complete = 1;
                T_EQ_INT(docs, 13);
            }
        }
        T_ASSERT(complete);
    }
}

/* ---- read-ahead ------------------------------------------------------- */

static int open_fds(void) {
    DIR *d = opendir("/proc/self/fd");
    if (!d) return -1;
    int n = 0;
    while (readdir(d)) n++;
    closedir(d);
    return n - 3; /* ., .. and the directory's own descriptor */
}

static void put_file(const char *dir, const char *name, const char *text) {
    char p[1200];
    snprintf(p, sizeof p, "%.1100s/%.64s", dir, name);
    FILE *f = fopen(p, "w");
    T_ASSERT(f != NULL);
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

/* Reads it all; every document's text must be "<id's last path part>\n". Returns
 * the number of documents, *most: the most descriptors held above the start. */
static int read_checked(const char *const *in, size_t n, warnings *ws, int *most) {
    an_reader_options o = {AN_INPUT_AUTO, 0, collect, ws};
    an_reader *r = NULL;
    an_error err;
    an_error_clear(&err);
    int base = open_fds(), docs = 0;
    *most = 0;
    T_OK(an_reader_create(in, n, &o, &r, &err));
    for (;;) {
        an_document d;
        int done = 0;
        if (an_reader_next(r, &d, &done, &err) != AN_OK) {
            char buf[1100];
            T_FAIL("reader error: %s", an_error_format(&err, buf, sizeof buf));
            break;
        }
        if (done) break;
        int held = open_fds() - base;
        if (held > *most) *most = held;
        const char *name = strrchr(d.id, '/');
        char want[300];
        snprintf(want, sizeof want, "%s\n", name ? name + 1 : d.id);
        if (strcmp(d.text, want) != 0) T_FAIL("%s holds \"%s\"", d.id, d.text);
        docs++;
    }
    an_reader_destroy(r);
    T_EQ_INT(open_fds(), base); /* nothing left open */
    return docs;
}

static void check_read_ahead(void) {
    CHECK("read-ahead: order, FIFOs never opened, descriptors bounded, low limits");
    const char *tmp = getenv("TMPDIR");
    char dir[1024], sub[1100], p[1200];
    snprintf(dir, sizeof dir, "%s/an-readahead-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        T_FAIL("mkdtemp");
        return;
    }
    /* 100 entries: files f000..f099, but f050 a FIFO (opened, it would wait for
     * a writer for ever) and f070 a directory of 40 files */
    for (int i = 0; i < 100; i++) {
        char name[16];
        snprintf(name, sizeof name, "f%03d", i);
        snprintf(p, sizeof p, "%s/%s", dir, name);
        if (i == 50) {
            T_EQ_INT(mkfifo(p, 0600), 0);
        } else if (i == 70) {
            T_EQ_INT(mkdir(p, 0700), 0);
            for (int j = 0; j < 40; j++) {
                char sname[16], text[32];
                snprintf(sname, sizeof sname, "s%02d", j);
                snprintf(text, sizeof text, "%s\n", sname);
                put_file(p, sname, text);
            }
        } else {
            char text[32];
            snprintf(text, sizeof text, "%s\n", name);
            put_file(dir, name, text);
        }
    }
    snprintf(sub, sizeof sub, "%s/f070", dir);

    const char *in[] = {dir};
    warnings ws = {.n = 0};
    int most = 0;
    T_EQ_INT(read_checked(in, 1, &ws, &most), 98 + 40);
    T_EQ_INT(ws.n, 1);
    snprintf(p, sizeof p, "%s/f050: not a regular file, skipped", dir);
    T_EQ_STR(ws.lines[0], p);
    /* files are held open ahead of their turn (at most 32) */
    T_ASSERT(most > 2);
    T_ASSERT(most <= 33);

    /* named inputs, in the order given */
    const char *named[60];
    char names[60][1200];
    for (int i = 0; i < 60; i++) { /* s39..s00, then f099..f080 (not the FIFO) */
        if (i < 40)
            snprintf(names[i], sizeof names[i], "%.1000s/s%02d", sub, 39 - i);
        else
            snprintf(names[i], sizeof names[i], "%.1000s/f%03d", dir, 139 - i);
        named[i] = names[i];
    }
    ws.n = 0;
    T_EQ_INT(read_checked(named, 60, &ws, &most), 60);
    T_EQ_INT(ws.n, 0);
    T_ASSERT(most > 2 && most <= 33);

    /* a low open-file limit: at most an eighth of it is held; near the limit,
     * the read-ahead gives its files back instead of failing the reader */
    struct rlimit old;
    T_EQ_INT(getrlimit(RLIMIT_NOFILE, &old), 0);
    struct rlimit low = old;
    low.rlim_cur = 80;
    if (old.rlim_cur >= 80 && setrlimit(RLIMIT_NOFILE, &low) == 0) {
        ws.n = 0;
        T_EQ_INT(read_checked(in, 1, &ws, &most), 138);
        T_EQ_INT(ws.n, 1);
        T_ASSERT(most > 2 && most <= 11);
        /* all but a few descriptors taken */
        int fill[80], nfill = 0;
        while (nfill < 80 && open_fds() < 77) {
            fill[nfill] = dup(0);
            if (fill[nfill] < 0) break;
            nfill++;
        }
        ws.n = 0;
        T_EQ_INT(read_checked(in, 1, &ws, &most), 138);
        T_EQ_INT(ws.n, 1); /* the FIFO only: no file was skipped */
        while (nfill) close(fill[--nfill]);
        T_EQ_INT(setrlimit(RLIMIT_NOFILE, &old), 0);
    } else {
        T_FAIL("cannot lower the open-file limit");
    }

    /* clean up */
    for (int j = 0; j < 40; j++) {
        snprintf(p, sizeof p, "%s/s%02d", sub, j);
        unlink(p);
    }
    rmdir(sub);
    for (int i = 0; i < 100; i++) {
        snprintf(p, sizeof p, "%s/f%03d", dir, i);
        unlink(p);
    }
    rmdir(dir);
}

int main(void) {
    const char *root = getenv("AN_SOURCE_ROOT");
    snprintf(data_dir, sizeof data_dir, "%s/tests/input/data", root ? root : ".");
    check_directory();
    check_jsonl();
    check_strict();
    check_formats();
    check_errors();
    check_loop_and_long_line();
    check_dates();
    check_oom();
    check_read_ahead();
    T_DONE();
}
