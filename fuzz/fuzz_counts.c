/* libFuzzer target: the counts-file reader (graph/cooc_io.c).
 *
 * Invariants besides "no crash, no leak, no UB": a file that reads back is written
 * again byte for byte the same way when read and written once more (write(read(x))
 * is a fixed point), and merging it into itself succeeds or fails cleanly.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/actornet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char gaz_tsv[] =
    "USA\tUnited States\tcountry\t\tUnited States|US|Washington\n"
    "RUS\tRussia\tcountry\t\tRussia|Moscow\n"
    "LAVROV\tSergey Lavrov\tperson\tRUS\tLavrov{2004-03-09..}\n"
    "SYR\tSyria\tcountry\t\tSyria|Damascus\n";

static an_gazetteer *gaz(void) {
    static an_gazetteer *gz;
    if (!gz) {
        gz = an_gazetteer_create();
        if (!gz || an_gazetteer_load_buffer(gz, gaz_tsv, sizeof gaz_tsv - 1, "fuzz.tsv",
                                            AN_GAZ_NATIVE, NULL) != AN_OK)
            abort();
    }
    return gz;
}

/* Writes set to a malloc'd buffer; returns NULL on failure. */
static char *write_set(const an_counts_set *set, size_t *len) {
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f) abort();
    an_status s = an_counts_set_write(set, gaz(), f, NULL);
    if (fclose(f) != 0) abort();
    if (s != AN_OK) {
        free(buf);
        return NULL;
    }
    return buf;
}

static an_counts_set *read_buf(const char *data, size_t size) {
    if (size == 0) return NULL;
    FILE *f = fmemopen((void *)data, size, "rb");
    if (!f) abort();
    an_counts_set *set = NULL;
    an_error err;
    an_error_clear(&err);
    an_status s = an_counts_set_read(f, "fuzz.counts", gaz(), &set, &err);
    fclose(f);
    if (s != AN_OK) {
        if (set) abort(); /* a failed read hands out nothing */
        if (err.status == AN_OK) abort();
        return NULL;
    }
    return set;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    an_counts_set *set = read_buf((const char *)data, size);
    if (!set) return 0;
    size_t len1 = 0, len2 = 0;
    char *w1 = write_set(set, &len1);
    if (!w1) abort();
    an_counts_set *again = read_buf(w1, len1);
    if (!again) abort(); /* what we write must read back */
    char *w2 = write_set(again, &len2);
    if (!w2 || len1 != len2 || memcmp(w1, w2, len1) != 0) abort();
    (void)an_counts_set_merge(again, set, NULL);
    free(w1);
    free(w2);
    an_counts_set_destroy(again);
    an_counts_set_destroy(set);
    return 0;
}
