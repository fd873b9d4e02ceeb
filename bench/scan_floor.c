/* scan_floor — the library's scan alone, over documents held in memory.
 *
 *   scan_floor [-g GAZETTEER]... [--runs N] [--max-mb M] INPUT...
 *
 * Reads the documents of INPUT (files, directories, .jsonl, as actornet does)
 * into memory, up to M MiB of text (default 128), compiles the matcher from
 * the gazetteers (default: the built-in one), then times an_matcher_scan over
 * every document N times (default 5) on one thread and prints one line:
 *
 *   bytes=B docs=D tokens=T mentions=M seconds=S
 *
 * S is the best of the N passes. No reading, counting, analysis or output is
 * timed: every actornet command does at least this much work per byte, so
 * bench/run.sh prints each command's time beside it (bench/README.md). Uses the
 * public API only, like the rest of bench/.
 */
#define _POSIX_C_SOURCE 200809L
#include <actornet/actornet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die(const char *what, const an_error *err) {
    char buf[1200];
    fprintf(stderr, "scan_floor: %s: %s\n", what, err ? an_error_format(err, buf, sizeof buf) : "");
    exit(1);
}

static void usage(void) {
    fprintf(stderr, "usage: scan_floor [-g GAZETTEER]... [--runs N] [--max-mb M] INPUT...\n");
    exit(2);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static unsigned long number(const char *s) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v == 0) usage();
    return v;
}

typedef struct doc {
    size_t off, len;
    int32_t date;
} doc;

int main(int argc, char **argv) {
    const char **gz_files = calloc((size_t)argc, sizeof *gz_files);
    const char **inputs = calloc((size_t)argc, sizeof *inputs);
    size_t n_gz = 0, n_inputs = 0;
    unsigned long runs = 5, max_mb = 128;
    if (!gz_files || !inputs) die("out of memory", NULL);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-g") && i + 1 < argc) gz_files[n_gz++] = argv[++i];
        else if (!strcmp(argv[i], "--runs") && i + 1 < argc) runs = number(argv[++i]);
        else if (!strcmp(argv[i], "--max-mb") && i + 1 < argc) max_mb = number(argv[++i]);
        else if (argv[i][0] == '-' && argv[i][1]) usage();
        else inputs[n_inputs++] = argv[i];
    }
    if (!n_inputs) usage();

    an_error err;
    an_gazetteer *gz = an_gazetteer_create();
    if (!gz) die("out of memory", NULL);
    if (!n_gz && an_gazetteer_load_default(gz, &err)) die("default gazetteer", &err);
    for (size_t i = 0; i < n_gz; i++)
        if (an_gazetteer_load_file(gz, gz_files[i], AN_GAZ_AUTO, &err)) die(gz_files[i], &err);
    an_matcher *m;
    if (an_matcher_compile(gz, NULL, &m, &err)) die("compile", &err);

    an_reader *r;
    if (an_reader_create(inputs, n_inputs, NULL, &r, &err)) die("reader", &err);
    size_t limit = (size_t)max_mb << 20, len = 0, cap = 0, n_docs = 0, cap_docs = 0;
    char *text = NULL;
    doc *docs = NULL;
    for (;;) {
        an_document d;
        int done = 0;
        if (an_reader_next(r, &d, &done, &err)) die("read", &err);
        if (done || len + d.len > limit) break;
        if (len + d.len > cap) {
            cap = cap ? cap : 1 << 20;
            while (cap < len + d.len) cap *= 2;
            if (!(text = realloc(text, cap))) die("out of memory", NULL);
        }
        if (n_docs == cap_docs) {
            cap_docs = cap_docs ? 2 * cap_docs : 1024;
            if (!(docs = realloc(docs, cap_docs * sizeof *docs))) die("out of memory", NULL);
        }
        memcpy(text + len, d.text, d.len);
        docs[n_docs++] = (doc){len, d.len, d.date};
        len += d.len;
    }
    an_reader_destroy(r);

    an_mentions ms;
    an_mentions_init(&ms);
    double best = 0.0;
    size_t tokens = 0, mentions = 0;
    for (unsigned long k = 0; k < runs; k++) {
        tokens = mentions = 0;
        double t0 = now();
        for (size_t i = 0; i < n_docs; i++) {
            if (an_matcher_scan(m, text + docs[i].off, docs[i].len, docs[i].date, &ms, &err))
                die("scan", &err);
            tokens += ms.n_tokens;
            mentions += ms.count;
        }
        double t = now() - t0;
        if (k == 0 || t < best) best = t;
    }
    printf("bytes=%zu docs=%zu tokens=%zu mentions=%zu seconds=%.6f\n", len, n_docs, tokens,
           mentions, best);
    an_mentions_finish(&ms);
    an_matcher_destroy(m);
    an_gazetteer_destroy(gz);
    free(text);
    free(docs);
    free(gz_files);
    free(inputs);
    return 0;
}
