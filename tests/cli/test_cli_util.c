/* Unit tests of the CLI's helpers (cli/util.c): the progress line, whose
 * terminal-only output the CLI cases see only at the end of a run (the ETA is
 * printed while it goes, at most four times a second), the JSON string
 * writer of `mentions`, and the output files' failure paths that no disk
 * on a test machine produces (a failing close). */
#define _GNU_SOURCE /* fopencookie */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../cli/cli.h"
#include "test_util.h"
#include "ner/cases.h"

static char line[256];

static const char *fmt(uint64_t docs, uint64_t bytes, uint64_t total, double seconds, int final) {
    int n = progress_format(line, sizeof line, docs, bytes, total, seconds, final);
    if (n < 0 || (size_t)n >= sizeof line) return "(overflow)";
    return line;
}

static void progress_eta(void) {
    T_EQ_STR(fmt(10, 50000000, 100000000, 2.0, 0),
             "actornet: 10 documents, 50.0 MB, 25.0 MB/s, 50%, ETA 2 s");
    /* minutes and hours as m:ss and h:mm:ss */
    T_EQ_STR(fmt(7, 1000000, 1000000000, 1.0, 0),
             "actornet: 7 documents, 1.0 MB, 1.0 MB/s, 0%, ETA 16:39");
    T_EQ_STR(fmt(7, 1000000, 4000000000, 1.0, 0),
             "actornet: 7 documents, 1.0 MB, 1.0 MB/s, 0%, ETA 1:06:39");
    /* 59.5 s left: rounded to a whole minute */
    T_EQ_STR(fmt(1, 1000000, 60500000, 1.0, 0),
             "actornet: 1 documents, 1.0 MB, 1.0 MB/s, 2%, ETA 1:00");
}

static void progress_no_eta(void) {
    /* the final line: no share, no time left */
    T_EQ_STR(fmt(2554, 104857868, 104857868, 0.5, 1),
             "actornet: 2554 documents, 104.9 MB, 209.7 MB/s");
    /* total unknown (stdin), no time passed, or more read than the inputs held
     * when they were measured (a file that grew) */
    T_EQ_STR(fmt(3, 2000000, 0, 1.0, 0), "actornet: 3 documents, 2.0 MB, 2.0 MB/s");
    T_EQ_STR(fmt(3, 2000000, 5000000, 0.0, 0), "actornet: 3 documents, 2.0 MB, 0.0 MB/s");
    T_EQ_STR(fmt(3, 6000000, 5000000, 1.0, 0), "actornet: 3 documents, 6.0 MB, 6.0 MB/s");
}

static void progress_small_buffer(void) {
    char small[16];
    int n = progress_format(small, sizeof small, 10, 50000000, 100000000, 2.0, 0);
    T_ASSERT(n >= (int)sizeof small); /* as snprintf: the length it needed */
    T_EQ_INT(strlen(small), sizeof small - 1);
}

static void json_string(void) {
    strbuf b = {0};
    /* quote, backslash, newline, a control byte, an invalid byte; then valid UTF-8 */
    T_EQ_INT(sb_json_string(&b, "a\"b\\c\n\x01\xff", 8), 0);
    T_EQ_INT(sb_json_string(&b, "\xC3\xA9", 2), 0);
    T_EQ_INT(sb_put(&b, "", 1), 0);
    T_EQ_STR(b.data, "\"a\\\"b\\\\c\\n\\u0001\\ufffd\"\"\xC3\xA9\"");
    free(b.data);
}

/* A stream whose writes succeed (or fail with ENOSPC) and whose close fails
 * with EIO, as on a file system that reports a lost write at close. */
static ssize_t cookie_write(void *c, const char *buf, size_t n) {
    (void)buf;
    if (*(int *)c) {
        errno = ENOSPC;
        return -1;
    }
    return (ssize_t)n;
}
static int cookie_close(void *c) {
    (void)c;
    errno = EIO;
    return -1;
}

/* out_commit() with a stream that fails at close (or at the flush): -1,
 * neither the target nor the temporary file is left behind. */
static void commit_close_error(void) {
    char dir[] = "/tmp/actornet-test-XXXXXX";
    T_ASSERT(mkdtemp(dir) != NULL);
    char path[64];
    snprintf(path, sizeof path, "%s/out.dot", dir);
    for (int fail_write = 0; fail_write <= 1; fail_write++) {
        outfile f;
        T_EQ_INT(out_open(&f, path), 0);
        T_ASSERT(f.tmp != NULL);
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%s", f.tmp);
        struct stat st;
        T_EQ_INT(stat(tmp, &st), 0);
        fclose(f.fp); /* the temporary stays; its stream is swapped for the failing one */
        cookie_io_functions_t io = {NULL, cookie_write, NULL, cookie_close};
        f.fp = fopencookie(&fail_write, "w", io);
        T_ASSERT(f.fp != NULL);
        fputs("digraph {}\n", f.fp);
        /* the message names the first error, caught on stderr */
        char log[64];
        snprintf(log, sizeof log, "%s/stderr", dir);
        fflush(stderr);
        int saved_fd = dup(2), log_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        T_ASSERT(saved_fd >= 0 && log_fd >= 0);
        dup2(log_fd, 2);
        int rc = out_commit(&f);
        fflush(stderr);
        dup2(saved_fd, 2);
        close(saved_fd);
        close(log_fd);
        T_EQ_INT(rc, -1);
        FILE *lf = fopen(log, "r");
        char text[256] = "";
        if (lf) {
            size_t got = fread(text, 1, sizeof text - 1, lf);
            text[got] = '\0';
            fclose(lf);
        }
        unlink(log);
        T_ASSERT(strstr(text, "out.dot: write error: ") != NULL);
        T_ASSERT(strstr(text, strerror(fail_write ? ENOSPC : EIO)) != NULL);
        T_ASSERT(stat(path, &st) != 0 && errno == ENOENT);
        T_ASSERT(stat(tmp, &st) != 0 && errno == ENOENT);
    }
    T_EQ_INT(rmdir(dir), 0); /* empty: nothing was left */
}

static const t_case cases[] = {
    {"progress_eta", progress_eta},
    {"progress_no_eta", progress_no_eta},
    {"progress_small_buffer", progress_small_buffer},
    {"json_string", json_string},
    {"commit_close_error", commit_close_error},
};

T_CASES_MAIN(cases)
