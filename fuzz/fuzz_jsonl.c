/* libFuzzer target: the reader (ner/reader.c) over arbitrary bytes, through a
 * memfd named as /proc/self/fd/N. The first byte picks the input format
 * (JSONL, text), strict mode and whether texts are appended to a buffer of the
 * target's (an_reader_next_into, which must move it on by len + 1 exactly when
 * it yields a document, with the text at the old end). Invariants: every
 * document's text is NUL-terminated at len, lies within the input and its line
 * numbers increase; warnings name the file; the reader ends within (lines + 1)
 * calls even when every call fails (it always moves past a failing line). */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "actornet/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int g_fd = -1;
static char g_path[64];
static size_t g_warnings;

static void on_warn(void *ctx, const an_error *w) {
    (void)ctx;
    if (strcmp(w->file, g_path) != 0 || w->status == AN_OK) abort();
    g_warnings++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (g_fd < 0) {
        g_fd = memfd_create("fuzz_jsonl", 0);
        if (g_fd < 0) abort();
        snprintf(g_path, sizeof g_path, "/proc/self/fd/%d", g_fd);
    }
    unsigned mode = size ? data[0] : 0;
    if (size) {
        data++;
        size--;
    }
    if (ftruncate(g_fd, 0) != 0 || (size && pwrite(g_fd, data, size, 0) != (ssize_t)size))
        abort();
    size_t lines = 1;
    for (size_t i = 0; i < size; i++) lines += data[i] == '\n';

    an_reader_options o;
    memset(&o, 0, sizeof o);
    o.format = (mode & 3) == 3 ? AN_INPUT_TEXT : AN_INPUT_JSONL;
    o.strict = (mode >> 2) & 1;
    o.warn = on_warn;
    const char *inputs[1] = {g_path};
    an_reader *r = NULL;
    if (an_reader_create(inputs, 1, &o, &r, NULL) != AN_OK) return 0;
    g_warnings = 0;
    unsigned long last_line = 0;
    size_t calls = 0;
    /* mode bit 3: every text appended to a buffer of ours (an_reader_next_into) */
    int into = (mode >> 3) & 1;
    an_buffer buf = {NULL, 0, 0};
    for (;;) {
        if (++calls > lines + 2) abort();
        an_document doc;
        int done = 0;
        an_error err;
        an_error_clear(&err);
        size_t before = buf.len;
        an_status s = into ? an_reader_next_into(r, &doc, &done, &buf, &err)
                           : an_reader_next(r, &doc, &done, &err);
        if (into && (s != AN_OK || done ? buf.len != before
                                        : doc.text != buf.data + before ||
                                              buf.len != before + doc.len + 1))
            abort();
        if (s != AN_OK) {
            if (s == AN_ENOMEM) break;
            if (!o.strict && s != AN_EIO) abort(); /* only I/O fails when not strict */
            if (strcmp(err.file, g_path) != 0) abort();
            continue;
        }
        if (done) break;
        if (!doc.text || doc.text[doc.len] != '\0' || !doc.id || !doc.source) abort();
        if (doc.len > size) abort();
        if (o.format == AN_INPUT_JSONL) {
            if (doc.line <= last_line || doc.line > lines) abort();
            last_line = doc.line;
        } else if (doc.len != size || memcmp(doc.text, data, size) != 0) {
            abort();
        }
    }
    if (o.format == AN_INPUT_JSONL ? an_reader_bytes_read(r) != size
                                   : an_reader_bytes_read(r) > size)
        abort();
    free(buf.data);
    an_reader_destroy(r);
    return 0;
}
