/* Hostile input through the reader API (docs/robustness.md). One named case
 * per meson test; every case builds its input in a fresh temporary directory.
 * Usage: test_hostile_reader CASE (exit 77 = skipped). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actornet/text.h"
#include "test_util.h"

static char g_dir[256];

typedef struct warns {
    int n;
    char last[1200];
    char all[8192];
} warns;

static void on_warn(void *ctx, const an_error *w) {
    warns *ws = ctx;
    char buf[1100];
    an_error_format(w, buf, sizeof buf);
    ws->n++;
    snprintf(ws->last, sizeof ws->last, "%s", buf);
    size_t k = strlen(ws->all);
    snprintf(ws->all + k, sizeof ws->all - k, "%s\n", buf);
}

static void path_of(char *out, size_t size, const char *name) {
    snprintf(out, size, "%s/%s", g_dir, name);
}

static void put(const char *name, const char *data, size_t len) {
    char p[512];
    path_of(p, sizeof p, name);
    FILE *f = fopen(p, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(p);
        exit(99);
    }
}
#define PUT(name, lit) put(name, lit, sizeof lit - 1)

typedef struct run {
    int docs, errors;
    an_status first_error;
    char first_msg[1200];
    size_t len[16];
    char text[16][64];
    unsigned long line[16];
    int32_t date[16];
    warns ws;
} run;

/* Reads every document of `input` (relative to g_dir), going on after errors. */
static void read_all(const char *input, an_input_format fmt, int strict, run *r) {
    memset(r, 0, sizeof *r);
    char p[512];
    path_of(p, sizeof p, input);
    const char *in[1] = {p};
    an_reader_options o = {fmt, strict, on_warn, &r->ws};
    an_reader *rd = NULL;
    an_error err;
    T_OK(an_reader_create(in, 1, &o, &rd, &err));
    if (!rd) return;
    for (int guard = 0; guard < 1000; guard++) {
        an_document d;
        int done = 0;
        an_status s = an_reader_next(rd, &d, &done, &err);
        if (s) {
            if (!r->errors++) {
                r->first_error = s;
                an_error_format(&err, r->first_msg, sizeof r->first_msg);
            }
            continue;
        }
        if (done) break;
        if (r->docs < 16) {
            r->len[r->docs] = d.len;
            snprintf(r->text[r->docs], sizeof r->text[0], "%.*s", (int)(d.len < 63 ? d.len : 63),
                     d.text);
            r->line[r->docs] = d.line;
            r->date[r->docs] = d.date;
            T_ASSERT(d.text[d.len] == '\0');
        }
        r->docs++;
    }
    an_reader_destroy(rd);
}

static int contains(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

/* ---- cases ------------------------------------------------------------ */

static int case_invalid_utf8(void) {
    /* Text is not validated: bytes come through unchanged, no warning. */
    PUT("bad.txt", "Russia \xff\xfe\xc0\x80 Syria \xed\xa0\x80");
    run r;
    read_all("bad.txt", AN_INPUT_TEXT, 1, &r);
    T_EQ_INT(r.docs, 1);
    T_EQ_INT(r.errors, 0);
    T_EQ_INT(r.ws.n, 0);
    T_EQ_INT(r.len[0], 21);
    T_EQ_STR(r.text[0], "Russia \xff\xfe\xc0\x80 Syria \xed\xa0\x80");
    /* In JSONL, the line must be valid UTF-8: skipped with line and column. */
    PUT("bad.jsonl", "{\"text\":\"ok\"}\n{\"text\":\"a\xff\"}\n{\"text\":\"b\"}\n");
    read_all("bad.jsonl", AN_INPUT_AUTO, 0, &r);
    T_EQ_INT(r.docs, 2);
    T_EQ_INT(r.ws.n, 1);
    T_ASSERT(contains(r.ws.last, "bad.jsonl:2:11: invalid JSON"));
    T_ASSERT(contains(r.ws.last, "; line skipped"));
    read_all("bad.jsonl", AN_INPUT_AUTO, 1, &r);
    T_EQ_INT(r.docs, 2); /* strict: an error, and the reader goes on after it */
    T_EQ_INT(r.errors, 1);
    T_EQ_INT(r.first_error, AN_EPARSE);
    return 0;
}

static int case_nul_bytes(void) {
    /* A NUL in the first 8 KiB: binary, skipped with a warning naming the file. */
    PUT("nul.txt", "Russia\0Syria");
    run r;
    read_all("nul.txt", AN_INPUT_TEXT, 0, &r);
    T_EQ_INT(r.docs, 0);
    T_EQ_INT(r.ws.n, 1);
    T_ASSERT(contains(r.ws.last, "nul.txt: binary file"));
    read_all("nul.txt", AN_INPUT_TEXT, 1, &r);
    T_EQ_INT(r.errors, 1);
    T_EQ_INT(r.first_error, AN_EPARSE);
    /* A NUL after 8 KiB: the file is text and kept whole, NUL included. */
    static char big[9000];
    memset(big, 'a', sizeof big);
    big[8500] = '\0';
    put("late-nul.txt", big, sizeof big);
    read_all("late-nul.txt", AN_INPUT_TEXT, 1, &r);
    T_EQ_INT(r.docs, 1);
    T_EQ_INT(r.len[0], 9000);
    /* JSONL: a raw NUL is a control character (invalid JSON); \u0000 is kept. */
    PUT("nul.jsonl", "{\"text\":\"a\0b\"}\n{\"text\":\"a\\u0000b\"}\n");
    read_all("nul.jsonl", AN_INPUT_AUTO, 0, &r);
    T_EQ_INT(r.docs, 1);
    T_EQ_INT(r.len[0], 3);
    T_EQ_INT(r.line[0], 2);
    T_EQ_INT(r.ws.n, 1);
    T_ASSERT(contains(r.ws.last, "nul.jsonl:1:"));
    return 0;
}

static int case_bom(void) {
    /* Text keeps the BOM (offsets are into the file's bytes); JSONL skips it on line 1. */
    PUT("bom.txt", "\xef\xbb\xbfRussia");
    run r;
    read_all("bom.txt", AN_INPUT_TEXT, 1, &r);
    T_EQ_INT(r.docs, 1);
    T_EQ_INT(r.len[0], 9);
    PUT("bom.jsonl", "\xef\xbb\xbf{\"text\":\"one\"}\n\xef\xbb\xbf{\"text\":\"two\"}\n");
    read_all("bom.jsonl", AN_INPUT_AUTO, 0, &r);
    T_EQ_INT(r.docs, 1);
    T_EQ_STR(r.text[0], "one");
    T_EQ_INT(r.ws.n, 1); /* a BOM on line 2 is not JSON */
    T_ASSERT(contains(r.ws.last, "bom.jsonl:2:1: invalid JSON"));
    return 0;
}

static int case_line_ends(void) {
    PUT("crlf.jsonl", "{\"text\":\"a\"}\r\n\r\n{\"text\":\"b\\r\\n\"}\r\n");
    run r;
    read_all("crlf.jsonl", AN_INPUT_AUTO, 1, &r);
    T_EQ_INT(r.docs, 2);
    T_EQ_INT(r.errors, 0);
    T_EQ_STR(r.text[0], "a");
    T_EQ_STR(r.text[1], "b\r\n");
    T_EQ_INT(r.line[1], 3);
    /* CR alone is not a JSONL line end: two objects on one line are one bad line. */
    PUT("cr.jsonl", "{\"text\":\"a\"}\r{\"text\":\"b\"}\r");
    read_all("cr.jsonl", AN_INPUT_AUTO, 0, &r);
    T_EQ_INT(r.docs, 0);
    T_EQ_INT(r.ws.n, 1);
    T_ASSERT(contains(r.ws.last, "cr.jsonl:1:"));
    /* Text files keep every byte. */
    PUT("cr.txt", "a\rb\r\nc\n");
    read_all("cr.txt", AN_INPUT_TEXT, 1, &r);
    T_EQ_INT(r.len[0], 7);
    return 0;
}

static int case_empty(void) {
    PUT("empty.txt", "");
    PUT("empty.jsonl", "");
    PUT("blank.jsonl", "\n \t\n\r\n");
    run r;
    read_all("empty.txt", AN_INPUT_TEXT, 1, &r);
    T_EQ_INT(r.docs, 1); /* an empty document, not an error */
    T_EQ_INT(r.len[0], 0);
    read_all("empty.jsonl", AN_INPUT_AUTO, 1, &r);
    T_EQ_INT(r.docs, 0);
    T_EQ_INT(r.errors, 0);
    read_all("blank.jsonl", AN_INPUT_AUTO, 1, &r);
    T_EQ_INT(r.docs, 0);
    T_EQ_INT(r.errors, 0);
    T_EQ_INT(r.ws.n, 0);
    return 0;
}

static int case_unreadable(void) {
    char d[512], f[512];
    path_of(d, sizeof d, "dir");
    T_ASSERT(mkdir(d, 0755) == 0);
    PUT("dir/a.txt", "a");
    PUT("dir/locked.txt", "secret");
    path_of(f, sizeof f, "dir/locked.txt");
    T_ASSERT(chmod(f, 0) == 0);
    int fd = open(f, O_RDONLY);
    if (fd >= 0) { /* root (CI) reads it anyway: the dangling-link case covers this path */
        close(fd);
        printf("SKIP: running with permission to read mode-000 files (root)\n");
        return 77;
    }
    run r;
    read_all("dir", AN_INPUT_AUTO, 0, &r);
    T_EQ_INT(r.docs, 1);
    T_EQ_INT(r.ws.n, 1);
    T_ASSERT(contains(r.ws.last, "dir/locked.txt: cannot open: Permission denied, skipped"));
    read_all("dir", AN_INPUT_AUTO, 1, &r);
    T_EQ_INT(r.errors, 1);
    T_EQ_INT(r.first_error, AN_EIO);
    read_all("dir/locked.txt", AN_INPUT_AUTO, 0, &r); /* named: an error */
    T_EQ_INT(r.errors, 1);
    return 0;
}

static int case_dangling_symlink(void) {
    char d[512], l[512];
    path_of(d, sizeof d, "dir");
    T_ASSERT(mkdir(d, 0755) == 0);
    PUT("dir/a.txt", "a");
    PUT("dir/c.txt", "c");
    path_of(l, sizeof l, "dir/b-dangling");
    T_ASSERT(symlink("no-such-target", l) == 0);
    run r;
    read_all("dir", AN_INPUT_AUTO, 0, &r);
    T_EQ_INT(r.docs, 2); /* skipped with a warning, the rest is read */
    T_EQ_INT(r.errors, 0);
    T_EQ_INT(r.ws.n, 1);
    T_ASSERT(contains(r.ws.last, "dir/b-dangling: cannot open: No such file or directory, skipped"));
    read_all("dir", AN_INPUT_AUTO, 1, &r);
    T_EQ_INT(r.docs, 2); /* strict: an error (AN_EIO), later files still readable */
    T_EQ_INT(r.errors, 1);
    T_EQ_INT(r.first_error, AN_EIO);
    T_ASSERT(contains(r.first_msg, "b-dangling"));
    read_all("dir/b-dangling", AN_INPUT_AUTO, 0, &r); /* named input: an error */
    T_EQ_INT(r.errors, 1);
    T_EQ_INT(r.first_error, AN_EIO);
    return 0;
}

static int case_symlink_loop(void) {
    char d[512], l[512];
    path_of(d, sizeof d, "dir");
    T_ASSERT(mkdir(d, 0755) == 0);
    path_of(d, sizeof d, "dir/sub");
    T_ASSERT(mkdir(d, 0755) == 0);
    PUT("dir/sub/a.txt", "a");
    path_of(l, sizeof l, "dir/sub/up");
    T_ASSERT(symlink("..", l) == 0); /* back to an enclosing directory */
    path_of(l, sizeof l, "dir/self");
    T_ASSERT(symlink("self", l) == 0); /* ELOOP on stat */
    run r;
    read_all("dir", AN_INPUT_AUTO, 0, &r);
    T_EQ_INT(r.docs, 1);
    T_EQ_INT(r.errors, 0);
    T_EQ_INT(r.ws.n, 2);
    T_ASSERT(contains(r.ws.all, "dir/self: cannot open: Too many levels of symbolic links, skipped"));
    T_ASSERT(contains(r.ws.all, "dir/sub/up: directory loop"));
    read_all("dir", AN_INPUT_AUTO, 1, &r);
    T_EQ_INT(r.errors, 2);
    T_EQ_INT(r.first_error, AN_EIO);
    return 0;
}

static int case_jsonl_fields(void) {
    PUT("f.jsonl", "{\"text\":\"Russia\n"                               /* 1 broken */
                   "{\"id\":\"x\"}\n"                                 /* 2 missing text */
                   "{\"text\":null}\n"                                /* 3 null text */
                   "{\"text\":[\"a\"]}\n"                             /* 4 array text */
                   "{\"text\":\"t5\",\"id\":{},\"title\":[]}\n"       /* 5 bad id, title */
                   "{\"text\":\"t6\",\"date\":\"2016-02-30\"}\n"      /* 6 impossible date */
                   "{\"text\":\"t7\",\"date\":\"28/09/2016\"}\n"      /* 7 other format */
                   "{\"text\":\"t8\",\"date\":20160928}\n"            /* 8 number date */
                   "{\"text\":\"t9\",\"date\":\"2016-09-28T10:00Z\"}\n" /* 9 ok */
                   "{\"text\":\"t10\",\"date\":\"\\u0001\\n2016\"}\n" /* 10 controls */
                   "42\n");                                          /* 11 not an object */
    run r;
    read_all("f.jsonl", AN_INPUT_AUTO, 0, &r);
    T_EQ_INT(r.errors, 0);
    T_EQ_INT(r.docs, 6);
    T_EQ_STR(r.text[0], "t5");
    T_EQ_INT(r.date[1], 0);
    T_EQ_INT(r.date[4], 20160928);
    T_EQ_INT(r.line[5], 10);
    T_EQ_INT(r.ws.n, 11);
    T_ASSERT(contains(r.ws.all, "f.jsonl:1:16: invalid JSON: unterminated string; line skipped"));
    if (an_t_failures) fprintf(stderr, "warnings:\n%s", r.ws.all);
    T_ASSERT(contains(r.ws.all, "f.jsonl:2: missing \"text\"; line skipped"));
    T_ASSERT(contains(r.ws.all, "f.jsonl:3: \"text\" must be a string, found null; line skipped"));
    T_ASSERT(contains(r.ws.all, "f.jsonl:4: \"text\" must be a string, found array"));
    T_ASSERT(contains(r.ws.all, "f.jsonl:5: \"id\" must be a string or number, found object"));
    T_ASSERT(contains(r.ws.all, "f.jsonl:5: \"title\" must be a string, found array; ignored"));
    T_ASSERT(contains(r.ws.all, "f.jsonl:6: unparsable \"date\" \"2016-02-30\""));
    T_ASSERT(contains(r.ws.all, "f.jsonl:7: unparsable \"date\" \"28/09/2016\""));
    T_ASSERT(contains(r.ws.all, "f.jsonl:8: \"date\" must be a string, found number"));
    /* control characters of a bad date never reach the one-line message */
    T_ASSERT(contains(r.ws.all, "f.jsonl:10: unparsable \"date\" \"??2016\""));
    T_ASSERT(contains(r.ws.all, "f.jsonl:11: expected a JSON object, found number"));
    read_all("f.jsonl", AN_INPUT_AUTO, 1, &r);
    T_EQ_INT(r.errors, 10); /* one per offending line; lines 5 and 9 ... */
    T_EQ_INT(r.docs, 1);    /* only line 9 is clean */
    T_EQ_STR(r.text[0], "t9");
    return 0;
}

static int case_long_date(void) {
    /* A long date string is cut in the message at a character boundary. */
    char line[400];
    snprintf(line, sizeof line, "{\"text\":\"x\",\"date\":\"%s\"}\n",
             "\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96"
             "\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96"
             "\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96"
             "\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96\xd0\x96");
    put("d.jsonl", line, strlen(line));
    run r;
    read_all("d.jsonl", AN_INPUT_AUTO, 0, &r);
    T_EQ_INT(r.docs, 1);
    T_EQ_INT(r.ws.n, 1);
    const char *q = strstr(r.ws.last, "\"\xd0\x96");
    T_ASSERT(q != NULL);
    T_ASSERT(contains(r.ws.last, "\xd0\x96...\""));
    return 0;
}

/* 50 MB on one line, generated here (never committed). */
static int case_big_line(void) {
    const size_t n = 50u * 1024 * 1024;
    char p[512];
    path_of(p, sizeof p, "big.jsonl");
    FILE *f = fopen(p, "wb");
    T_ASSERT(f != NULL);
    if (!f) return 1;
    char *buf = malloc(n);
    T_ASSERT(buf != NULL);
    if (!buf) return 1;
    for (size_t i = 0; i < n; i++) buf[i] = (i % 10 == 9) ? ' ' : 'a';
    fputs("{\"text\":\"START ", f);
    fwrite(buf, 1, n, f);
    fputs(" END\"}\n{\"text\":\"next\"}\n", f);
    T_ASSERT(fclose(f) == 0);
    run r;
    read_all("big.jsonl", AN_INPUT_AUTO, 1, &r);
    T_EQ_INT(r.errors, 0);
    T_EQ_INT(r.docs, 2);
    T_EQ_INT(r.len[0], n + 10);
    T_EQ_STR(r.text[1], "next");
    T_EQ_INT(r.line[1], 2);
    /* the same bytes as one text document */
    path_of(p, sizeof p, "big.txt");
    f = fopen(p, "wb");
    T_ASSERT(f && fwrite(buf, 1, n, f) == n && fclose(f) == 0);
    read_all("big.txt", AN_INPUT_AUTO, 1, &r);
    T_EQ_INT(r.docs, 1);
    T_EQ_INT(r.len[0], n);
    free(buf);
    return 0;
}

static const struct {
    const char *name;
    int (*fn)(void);
} cases[] = {
    {"invalid_utf8", case_invalid_utf8},   {"nul_bytes", case_nul_bytes},
    {"bom", case_bom},                     {"line_ends", case_line_ends},
    {"empty", case_empty},                 {"unreadable", case_unreadable},
    {"dangling_symlink", case_dangling_symlink}, {"symlink_loop", case_symlink_loop},
    {"jsonl_fields", case_jsonl_fields},   {"long_date", case_long_date},
    {"big_line", case_big_line},
};

static void rm_tree(void) {
    char cmd[640];
    snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", g_dir, g_dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_dir);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s CASE\n", argv[0]);
        return 2;
    }
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (strcmp(argv[1], cases[i].name) != 0) continue;
        const char *tmp = getenv("TMPDIR");
        snprintf(g_dir, sizeof g_dir, "%s/an-hostile-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(g_dir)) {
            perror("mkdtemp");
            return 99;
        }
        int rc = cases[i].fn();
        rm_tree();
        if (rc) return rc;
        T_DONE();
    }
    fprintf(stderr, "unknown case %s\n", argv[1]);
    return 2;
}
