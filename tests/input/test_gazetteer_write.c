/* an_gazetteer_write_native: round trips (native, spaCy, Phoenix) and the
 * repairs for what the native format cannot hold. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/gazetteer.h"
#include "test_gazetteer_same.h"
#include "test_util.h"

#define CHECK(name) fprintf(stderr, "# %s\n", name)

/* Write gz to memory; returns a malloc'ed NUL-terminated text. */
static char *write_mem(const an_gazetteer *gz, an_error *err) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    T_OK(an_gazetteer_write_native(gz, f, err));
    fclose(f);
    return buf;
}

static an_gazetteer *load_text(const char *text, const char *name, an_gazetteer_format f) {
    an_gazetteer *gz = an_gazetteer_create();
    an_error err;
    if (an_gazetteer_load_buffer(gz, text, strlen(text), name, f, &err)) {
        char buf[1200];
        T_FAIL("load %s: %s", name, an_error_format(&err, buf, sizeof buf));
    }
    return gz;
}

static void check_native_round_trip(void) {
    CHECK("native -> write -> load gives the same gazetteer");
    const char *tsv =
        "USA\tUnited States\tcountry\t\tUnited States|=US|~Nato|U.S.|Washington{..2001-01-19}\n"
        "RUS\tRussia\tcountry\t\tRussia|=RF{1991-12-26..}|Kremlin{1990-01-01..2020-12-31}\n"
        "LAVROV\tSergey Lavrov\tperson\tRUS,USA\tLavrov{2004-03-09..}|~=Odd|=~Odd2\n"
        "GRP\tGroup only\tother\t\t-\n"
        "KID\tChild\tperson\tGRP\tKid\n";
    an_gazetteer *a = load_text(tsv, "a.tsv", AN_GAZ_NATIVE);
    T_EQ_INT(an_gazetteer_actor_count(a), 5);
    an_error err;
    char *out = write_mem(a, &err);
    T_ASSERT(out != NULL);
    if (!out) return;
    T_EQ_STR(err.message, "");
    T_ASSERT(strstr(out, "LAVROV\tSergey Lavrov\tperson\tRUS,USA\t~Lavrov{2004-03-09..}|~=Odd|"
                         "=~Odd2\n") != NULL);
    T_ASSERT(strstr(out, "GRP\tGroup only\tother\t\t-\n") != NULL);
    an_gazetteer *b = load_text(out, "b.tsv", AN_GAZ_AUTO);
    t_same_gazetteer(a, b, 0);
    /* and again: writing the reloaded gazetteer gives the same bytes */
    char *out2 = write_mem(b, &err);
    T_EQ_STR(out2, out);
    free(out);
    free(out2);
    an_gazetteer_destroy(a);
    an_gazetteer_destroy(b);
}

static void check_other_formats(void) {
    CHECK("spaCy and Phoenix -> native: repairs counted, reload keeps policies and dates");
    const char *jl = "{\"label\": \"GPE\", \"pattern\": \"New York\"}\n"
                     "{\"label\": \"ORG\", \"pattern\": \"A|B\", \"id\": \"ab\"}\n"
                     "{\"label\": \"ORG\", \"pattern\": \"tab\\there\", \"id\": \"ab\"}\n"
                     "{\"label\": \"ORG\", \"pattern\": \"--\", \"id\": \"ab\"}\n"
                     "{\"label\": \"ORG\", \"pattern\": \"Set {a}\", \"id\": \"ab\"}\n";
    an_gazetteer *a = load_text(jl, "p.jsonl", AN_GAZ_AUTO);
    T_EQ_INT(an_gazetteer_alias_count(a), 5);
    an_error err;
    char *out = write_mem(a, &err);
    T_EQ_INT(err.status, AN_OK);
    T_EQ_STR(err.message, "3 character(s) the native format cannot hold replaced, "
                          "1 alias(es) without letter or digit left out");
    T_ASSERT(strstr(out, "New_York\tNew York\tGPE\t\t~New York\n") != NULL);
    T_ASSERT(strstr(out, "ab\tA|B\tORG\t\t~A B|~tab here|~Set {a}{..}\n") != NULL);
    an_gazetteer *b = load_text(out, "b.tsv", AN_GAZ_NATIVE);
    T_EQ_INT(an_gazetteer_alias_count(b), 4);
    free(out);
    an_gazetteer_destroy(a);
    an_gazetteer_destroy(b);

    const char *phx = "RUSSIA_ [RUS]\nSERGEY_LAVROV_\n+LAVROV\n\t[RUSGOV >20040309]\n"
                      "\t[RUSELI 19940922-20040712]\nUS [USA]\n";
    a = load_text(phx, "a.txt", AN_GAZ_PHOENIX);
    out = write_mem(a, &err);
    b = load_text(out, "b.tsv", AN_GAZ_NATIVE);
    t_same_gazetteer(a, b, 0); /* one record per code here, so even the alias order survives */
    free(out);
    an_gazetteer_destroy(a);
    an_gazetteer_destroy(b);
}

static void check_errors(void) {
    CHECK("NULL arguments and write errors");
    an_gazetteer *a = load_text("A\tA\tt\t\tAlpha\n", "a.tsv", AN_GAZ_NATIVE);
    an_error err;
    T_EQ_INT(an_gazetteer_write_native(NULL, stdout, &err), AN_EINVAL);
    T_EQ_INT(an_gazetteer_write_native(a, NULL, &err), AN_EINVAL);
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        T_EQ_INT(an_gazetteer_write_native(a, full, &err), AN_EIO);
        fclose(full);
    }
    an_gazetteer_destroy(a);
}

int main(void) {
    check_native_round_trip();
    check_other_formats();
    check_errors();
    T_DONE();
}
