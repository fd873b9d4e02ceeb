/* The real PETRARCH2 Phoenix actor dictionaries (../shared/data/phoenix
 * beside the repository): they load, with the documented defects reported,
 * and a copy with a NUL byte still loads. Skipped (77) when absent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/gazetteer.h"
#include "test_util.h"

typedef struct warns {
    int n;
    char text[64][600];
} warns;

static void on_warn(void *ctx, const an_error *w) {
    warns *ws = ctx;
    if (ws->n < 64) an_error_format(w, ws->text[ws->n], sizeof ws->text[0]);
    ws->n++;
}

static int has_prefix(const warns *ws, const char *p) {
    for (int i = 0; i < ws->n && i < 64; i++)
        if (strncmp(ws->text[i], p, strlen(p)) == 0) return 1;
    fprintf(stderr, "no warning starting with \"%s\"\n", p);
    return 0;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* Actor `id` of gz (a failed assertion and an empty record if absent). */
static an_actor_info actor_of(const an_gazetteer *gz, const char *id) {
    an_actor_info a;
    size_t k;
    memset(&a, 0, sizeof a);
    a.label = "";
    if (an_gazetteer_find(gz, id, &k) != AN_OK || an_gazetteer_actor(gz, k, &a) != AN_OK)
        T_FAIL("actor %s missing", id);
    return a;
}

int main(void) {
    const char *root = getenv("AN_SOURCE_ROOT");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/../shared/data/phoenix", root ? root : ".");
    const char *files[] = {"Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                           "Phoenix.MilNonState.actors.txt"};
    char path[3][4200];
    for (int i = 0; i < 3; i++) {
        snprintf(path[i], sizeof path[i], "%s/%s", dir, files[i]);
        FILE *f = fopen(path[i], "rb");
        if (!f) {
            fprintf(stderr, "skip: %s not found\n", path[i]);
            return 77;
        }
        fclose(f);
    }
    warns *ws = calloc(1, sizeof *ws);
    an_gazetteer *gz = an_gazetteer_create();
    an_gazetteer_load_options o;
    memset(&o, 0, sizeof o);
    o.warn = on_warn;
    o.warn_ctx = ws;
    an_error err;
    for (int i = 0; i < 3; i++) T_OK(an_gazetteer_load_file_ex(gz, path[i], &o, &err));
    fprintf(stderr, "actors %zu aliases %zu warnings %d\n", an_gazetteer_actor_count(gz),
            an_gazetteer_alias_count(gz), ws->n);
    T_ASSERT(an_gazetteer_alias_count(gz) > 35000);
    T_ASSERT(an_gazetteer_actor_count(gz) > 3000);
    /* FORMAT.md: 40 records without a code, 37 in Countries, 3 in International */
    T_ASSERT(has_prefix(ws, "") && ws->n >= 6);
    char want[4400];
    snprintf(want, sizeof want, "%s:11939: 37 record(s) without a code took the codes", path[0]);
    T_ASSERT(has_prefix(ws, want));
    snprintf(want, sizeof want, "%s:22: 3 record(s) without a code took the codes", path[1]);
    T_ASSERT(has_prefix(ws, want));
    snprintf(want, sizeof want, "%s:745: 2 control character(s)", path[0]);
    T_ASSERT(has_prefix(ws, want));
    snprintf(want, sizeof want, "%s:110: 1153 phrase(s) already in an earlier record", path[1]);
    T_ASSERT(has_prefix(ws, want));
    /* Lavrov: RUSGOV in two date ranges; Brezhnev repaired from the next record */
    int lavrov = 0, brezhnev = 0;
    for (size_t i = 0; i < an_gazetteer_alias_count(gz); i++) {
        an_alias_info al;
        an_actor_info a;
        an_gazetteer_alias(gz, i, &al);
        an_gazetteer_actor(gz, al.actor, &a);
        if (!strcmp(al.text, "SERGEY LAVROV") && !strcmp(a.id, "RUSGOV") &&
            ((al.date_from == 20040309 && !al.date_to) ||
             (al.date_from == 19940922 && al.date_to == 20040712)))
            lavrov++;
        if (!strcmp(al.text, "LEONID BREZHNEV") && !strcmp(a.id, "RUSGOV") &&
            al.date_from == 19641014 && al.date_to == 19821110)
            brezhnev++;
    }
    T_EQ_INT(lavrov, 2);
    T_EQ_INT(brezhnev, 1);
    an_actor_info a = actor_of(gz, "IGOWSTNAT");
    T_EQ_STR(a.label, "NATO");
    a = actor_of(gz, "USAGOV");
    T_EQ_STR(a.label, "United States of America government");
    T_EQ_STR(a.parents[0], "USA");
    /* a category code: its first record is a person, the code 2,667 phrases */
    T_EQ_STR(actor_of(gz, "MNCUSA").label, "United States of America multinationals");
    /* the Countries file has only dated records of IGOEUREEC (Council
     * presidents), the International file the undated one */
    T_EQ_STR(actor_of(gz, "IGOEUREEC").label, "The European Union");
    T_ASSERT(an_gazetteer_check(gz, NULL, NULL) >= 0);
    an_gazetteer_destroy(gz);

    /* a synthetic copy with a NUL byte and a broken UTF-8 byte in a phrase */
    size_t len;
    char *data = slurp(path[2], &len);
    T_ASSERT(data != NULL);
    if (data) {
        char *p = strstr(data, "\nHAMAS_");
        T_ASSERT(p != NULL);
        if (p) {
            p[3] = '\0';
            p[4] = (char)0xC3;
        }
        gz = an_gazetteer_create();
        memset(ws, 0, sizeof *ws);
        T_OK(an_gazetteer_load_buffer_ex(gz, data, len, "nul.txt", &o, &err));
        T_ASSERT(has_prefix(ws, "nul.txt:"));
        int nul = 0;
        for (int i = 0; i < ws->n && i < 64; i++)
            nul += strstr(ws->text[i], "1 NUL byte(s) replaced") != NULL ||
                   strstr(ws->text[i], "1 invalid UTF-8 byte(s) replaced") != NULL;
        T_EQ_INT(nul, 2);
        T_OK(an_gazetteer_find(gz, "PSEREBHMS", NULL));
        an_gazetteer_destroy(gz);
        free(data);
    }
    free(ws);
    T_DONE();
}
