/* an_gazetteer_check: every finding, its level, order and position. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/gazetteer.h"
#include "test_util.h"

#define CHECK(name) fprintf(stderr, "# %s\n", name)

typedef struct found {
    int n;
    char text[32][700];
} found;

static void on_finding(void *ctx, const an_finding *f) {
    found *fs = ctx;
    if (fs->n < 32)
        snprintf(fs->text[fs->n], sizeof fs->text[0], "%d %s %s:%lu %s", f->level, f->code,
                 f->file, f->line, f->message);
    fs->n++;
}

static void check_all(void) {
    CHECK("every finding kind in a deterministic order");
    const char *tsv = "A\tAlpha\tcountry\tB\tAlpha|Chad|~ab|=AB\n"      /* 1 */
                      "B\tBeta\tcountry\tC\tBeta|Washington\n"           /* 2 */
                      "C\tGamma\tcountry\tA\tGamma|~U.S.\n"              /* 3 */
                      "D\tDelta\tperson\tNOPE\tDelta|=Alpha\n"           /* 4 */
                      "E\tEpsilon\tperson\t\t=ALPHA|WASHINGTON|=US\n"    /* 5 */
                      "F\tPhi\tperson\t\tPhi{2001-01-01..2001-12-31}\n"  /* 6 */
                      "G\tChi\tperson\t\tPhi{2002-01-01..}|=Bush\n"      /* 7 */
                      /* scripts without case: 2 letters are no reason to warn */
                      "H\tChina\tcountry\t\t\xE4\xB8\xAD\xE5\x9B\xBD|\xE0\xA4\xB0\xE0\xA5\x82\xE0\xA4\xB8|"
                      "~\xD0\x95\xD0\xA1\n"; /* 8: 中国|रूस|~ЕС */
    const char *jl = "{\"label\": \"X\", \"pattern\": \"--\", \"id\": \"D2\"}\n"
                     "{\"label\": \"X\", \"pattern\": \"us\", \"id\": \"D2\"}\n";
    an_gazetteer *gz = an_gazetteer_create();
    an_error err;
    T_OK(an_gazetteer_load_buffer(gz, tsv, strlen(tsv), "c.tsv", AN_GAZ_NATIVE, &err));
    T_OK(an_gazetteer_load_buffer(gz, jl, strlen(jl), "p.jsonl", AN_GAZ_SPACY, &err));
    found fs;
    memset(&fs, 0, sizeof fs);
    long errors = an_gazetteer_check(gz, on_finding, &fs);
    const char *want[] = {
        "2 unknown-parent c.tsv:4 actor \"D\" names parent \"NOPE\", which no gazetteer defines",
        "2 parent-cycle c.tsv:1 parent cycle: A -> B -> C -> A",
        "1 common-word c.tsv:1 case-folded alias \"Chad\" of \"A\" is a common English word; "
        "mark it exact (=) or remove it",
        "1 short-alias c.tsv:1 case-folded alias \"ab\" of \"A\" has only 2 letters; mark it "
        "exact (=) if it is an abbreviation",
        "1 short-alias c.tsv:3 case-folded alias \"U.S.\" of \"C\" has only 2 letters; mark it "
        "exact (=) if it is an abbreviation",
        "1 common-word c.tsv:3 case-folded alias \"U.S.\" of \"C\" is a common English word; "
        "mark it exact (=) or remove it",
        "1 short-alias c.tsv:8 case-folded alias \"\xD0\x95\xD0\xA1\" of \"H\" has only 2 letters; "
        "mark it exact (=) if it is an abbreviation",
        "2 punctuation-only p.jsonl:1 alias \"--\" of \"D2\" has no letter or digit",
        "1 short-alias p.jsonl:2 case-folded alias \"us\" of \"D2\" has only 2 letters; mark it "
        "exact (=) if it is an abbreviation",
        "1 common-word p.jsonl:2 case-folded alias \"us\" of \"D2\" is a common English word; "
        "mark it exact (=) or remove it",
        /* a folded alias collides with an exact one it matches (Alpha / =ALPHA) */
        "1 alias-claimed-by-several c.tsv:1 alias \"Alpha\" is claimed by 3 actors: A, D, E",
        "1 alias-claimed-by-several c.tsv:2 alias \"Washington\" is claimed by 2 actors: B, E",
        "1 alias-claimed-by-several c.tsv:3 alias \"U.S.\" is claimed by 3 actors: C, E, D2",
    };
    int nw = (int)(sizeof want / sizeof want[0]);
    T_EQ_INT(fs.n, nw);
    for (int i = 0; i < nw && i < fs.n; i++) T_EQ_STR(fs.text[i], want[i]);
    T_EQ_INT(errors, 3);
    /* NULL callback: same count */
    T_EQ_INT(an_gazetteer_check(gz, NULL, NULL), 3);
    T_EQ_INT(an_gazetteer_check(NULL, NULL, NULL), -1);
    an_gazetteer_destroy(gz);
}

static void check_clean(void) {
    CHECK("a clean gazetteer has no findings; the default gazetteer has no errors");
    const char *tsv = "USA\tUnited States\tcountry\t\tUnited States|=US\n"
                      "LAVROV\tSergey Lavrov\tperson\tUSA\tSergey Lavrov\n";
    an_gazetteer *gz = an_gazetteer_create();
    T_OK(an_gazetteer_load_buffer(gz, tsv, strlen(tsv), "c.tsv", AN_GAZ_NATIVE, NULL));
    found fs;
    memset(&fs, 0, sizeof fs);
    T_EQ_INT(an_gazetteer_check(gz, on_finding, &fs), 0);
    T_EQ_INT(fs.n, 0);
    an_gazetteer_destroy(gz);
    gz = an_gazetteer_create();
    T_OK(an_gazetteer_load_default(gz, NULL));
    memset(&fs, 0, sizeof fs);
    long e = an_gazetteer_check(gz, on_finding, &fs);
    for (int i = 0; i < fs.n && i < 32; i++)
        if (fs.text[i][0] == '2') fprintf(stderr, "  %s\n", fs.text[i]);
    T_EQ_INT(e, 0);
    an_gazetteer_destroy(gz);
}

int main(void) {
    check_all();
    check_clean();
    T_DONE();
}
