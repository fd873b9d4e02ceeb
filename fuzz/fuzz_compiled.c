/* libFuzzer target: an_compiled_read() (ner/compiled.c). The first byte
 * chooses how the rest is used: as a whole file, or (usually) as the payload
 * behind a valid header, key and checksum, which is where the readers' own
 * checks must hold (a damaged byte elsewhere is caught by the checksum).
 * A file read back must give a gazetteer whose actors and aliases all read
 * back and a matcher whose scan of a fixed text names valid aliases and
 * actors, with and without AN_COMPILED_BORROW; with bit 1 of the first byte,
 * the gazetteer alone (no matcher asked for). The corpus seed is the payload
 * of fuzz_fixture.h's gazetteer (regenerate: fuzz_compiled -dump_seed=FILE). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/actornet.h"
#include "fuzz_fixture.h"
#include "fuzz_gazetteer.h"
#include "ner/compiled.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static const char key[] = "fuzz key";

/* header + key + padding + body length + checksum + body, in *out (malloc'd) */
static size_t wrap(const uint8_t *body, size_t n, unsigned char **out) {
    an_i_wbuf w = {0};
    an_i_compiled_put_header(&w, key, sizeof key - 1, body, n);
    an_i_wbuf_put(&w, body, n);
    if (w.oom) abort();
    *out = w.p;
    return w.len;
}

/* The payload of the fixture's gazetteer: the bytes after the header. */
static size_t fixture_payload(unsigned char **out) {
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f || an_compiled_write(g_gz, g_m[0], key, sizeof key - 1, "w\n", 2, f, NULL)) abort();
    fclose(f);
    an_i_wbuf head = {0};
    an_i_compiled_put_header(&head, key, sizeof key - 1, NULL, 0);
    if (head.oom || head.len > n) abort();
    size_t len = n - head.len;
    *out = malloc(len);
    memcpy(*out, buf + head.len, len);
    free(head.p);
    free(buf);
    return len;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    setup();
    for (int i = 1; i < *argc; i++) {
        if (strncmp((*argv)[i], "-dump_seed=", 11) != 0) continue;
        unsigned char *p;
        size_t n = fixture_payload(&p);
        FILE *f = fopen((*argv)[i] + 11, "wb");
        if (!f) abort();
        fputc(0, f); /* first byte: wrap */
        fwrite(p, 1, n, f);
        fclose(f);
        free(p);
        exit(0);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!size) return 0;
    unsigned mode = data[0];
    unsigned char *file = NULL;
    size_t len;
    if (mode & 0x80) { /* the bytes as a whole file */
        file = malloc(size);
        memcpy(file, data + 1, size - 1);
        len = size - 1;
    } else {
        len = wrap(data + 1, size - 1, &file);
    }
    an_gazetteer *gz = NULL;
    an_matcher *m = NULL;
    const void *note = NULL;
    size_t note_len = 0;
    unsigned flags = (mode & 1) ? AN_COMPILED_BORROW : 0u;
    int gz_only = (mode & 2) != 0; /* the gazetteer alone (m NULL) */
    an_status st = an_compiled_read(file, len, key, sizeof key - 1, flags, &gz,
                                    gz_only ? NULL : &m, &note, &note_len, NULL);
    if (st == AN_OK && gz_only) {
        if (!gz) abort();
        an_fz_check(gz);
    } else if (st == AN_OK) {
        if (!gz || !m || (note_len && (!note || (const unsigned char *)note < file ||
                                       (const unsigned char *)note + note_len > file + len)))
            abort();
        an_fz_check(gz);
        static const char text[] =
            "Lavrov suggests US emboldening IS, Al Nusra in Syria. The U.S.-led coalition "
            "and Russia's Foreign Ministry met Hamas in Cote d'Ivoire on 2004-03-09.";
        an_mentions ms;
        an_mentions_init(&ms);
        for (int32_t date = 0; date <= 20040309; date += 20040309) {
            if (an_matcher_scan(m, text, sizeof text - 1, date, &ms, NULL) != AN_OK) abort();
            for (size_t i = 0; i < ms.count; i++) {
                const an_mention *x = &ms.items[i];
                if (x->alias >= an_gazetteer_alias_count(gz) ||
                    x->actor >= an_gazetteer_actor_count(gz) || x->end > sizeof text - 1 ||
                    x->start >= x->end || x->sentence >= ms.n_sentences)
                    abort();
            }
        }
        an_mentions_finish(&ms);
    } else if (gz || m || (st != AN_EPARSE && st != AN_ENOTFOUND && st != AN_ENOMEM)) {
        abort();
    }
    an_matcher_destroy(m);
    an_gazetteer_destroy(gz);
    free(file);
    return 0;
}
