/* spaCy EntityRuler JSONL gazetteers: phrase and token patterns, grouping by
 * id, skipped patterns with line numbers, strict mode. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/gazetteer.h"
#include "test_util.h"

#define CHECK(name) fprintf(stderr, "# %s\n", name)

typedef struct warns {
    int n;
    char text[16][600];
} warns;

static void on_warn(void *ctx, const an_error *w) {
    warns *ws = ctx;
    if (ws->n < 16) an_error_format(w, ws->text[ws->n], sizeof ws->text[0]);
    ws->n++;
}

static an_alias_info alias_at(const an_gazetteer *gz, size_t i) {
    an_alias_info a;
    memset(&a, 0, sizeof a);
    T_OK(an_gazetteer_alias(gz, i, &a));
    return a;
}

static const char *actor_id(const an_gazetteer *gz, size_t i) {
    an_actor_info a;
    if (an_gazetteer_actor(gz, i, &a)) return "(none)";
    return a.id;
}

static void check_kinds(void) {
    CHECK("phrase and token patterns, ids, policies, skipped lines");
    const char *jl =
        "{\"label\": \"ORG\", \"pattern\": \"Apple\", \"id\": \"apple\"}\n"            /* 1 */
        "{\"label\": \"ORG\", \"pattern\": [{\"LOWER\": \"apple\"}, {\"LOWER\": \"inc\"}], "
        "\"id\": \"apple\"}\n"                                                          /* 2 */
        "\n"                                                                            /* 3 */
        "{\"label\": \"GPE\", \"pattern\": [{\"ORTH\": \"San\"}, {\"TEXT\": \"Francisco\"}]}\n" /* 4 */
        "{\"label\": \"GPE\", \"pattern\": [{\"ORTH\": \"New\"}, {\"lower\": \"york\"}]}\n" /* 5 */
        "{\"label\": \"GPE\", \"pattern\": [{\"LOWER\": {\"REGEX\": \"^new\"}}]}\n"     /* 6 */
        "{\"label\": \"GPE\", \"pattern\": [{\"POS\": \"PROPN\"}]}\n"                   /* 7 */
        "{\"label\": \"GPE\", \"pattern\": [{\"LOWER\": \"a\", \"OP\": \"?\"}]}\n"      /* 8 */
        "{\"label\": \"GPE\", \"pattern\": [{\"LOWER\": 5}]}\n"                         /* 9 */
        "{\"label\": \"GPE\", \"pattern\": 7}\n"                                        /* 10 */
        "{\"pattern\": \"Nowhere\"}\n"                                                  /* 11 */
        "{\"label\": \"GPE\", \"pattern\": \"x\",}\n"                                   /* 12 */
        "[1, 2]\n"                                                                      /* 13 */
        "{\"label\": \"GPE\", \"pattern\": [{\"IN\": [\"a\"]}]}\n"                      /* 14 */
        "{\"label\": \"PERSON\", \"pattern\": \"Apple\", \"id\": \"apple\"}\n"          /* 15 */
        "{\"label\": \"ORG\", \"pattern\": \"Apple\", \"id\": \"apple\"}\r\n"           /* 16 dup */
        "{\"label\": \"GPE\", \"pattern\": [], \"id\": 3}\n";                           /* 17 */
    an_gazetteer *gz = an_gazetteer_create();
    warns ws;
    memset(&ws, 0, sizeof ws);
    an_gazetteer_load_options o;
    memset(&o, 0, sizeof o);
    o.warn = on_warn;
    o.warn_ctx = &ws;
    an_error err;
    T_OK(an_gazetteer_load_buffer_ex(gz, jl, strlen(jl), "p.jsonl", &o, &err));
    T_EQ_INT(an_gazetteer_actor_count(gz), 3);
    T_EQ_INT(an_gazetteer_alias_count(gz), 4);
    an_actor_info a;
    T_OK(an_gazetteer_actor(gz, 0, &a));
    T_EQ_STR(a.id, "apple");
    T_EQ_STR(a.label, "Apple");
    T_EQ_STR(a.type, "ORG");
    T_OK(an_gazetteer_actor(gz, 1, &a));
    T_EQ_STR(a.id, "San Francisco");
    T_EQ_STR(a.type, "GPE");
    an_alias_info al = alias_at(gz, 0);
    T_EQ_STR(al.text, "Apple");
    T_EQ_INT(al.policy, AN_CASE_FOLD);
    T_EQ_INT(al.line, 1);
    T_EQ_STR(al.source, "p.jsonl");
    al = alias_at(gz, 1);
    T_EQ_STR(al.text, "apple inc");
    T_EQ_INT(al.policy, AN_CASE_FOLD);
    T_EQ_INT(al.actor, 0);
    al = alias_at(gz, 2);
    T_EQ_STR(al.text, "San Francisco");
    T_EQ_INT(al.policy, AN_CASE_EXACT);
    al = alias_at(gz, 3);
    T_EQ_STR(al.text, "New york");
    T_EQ_INT(al.policy, AN_CASE_EXACT); /* mixed ORTH + LOWER -> exact */
    T_EQ_STR(actor_id(gz, al.actor), "New york");

    /* one warning per skipped line, in order, with its line number */
    const char *want[] = {
        "p.jsonl:6:", "p.jsonl:7:", "p.jsonl:8:", "p.jsonl:9:", "p.jsonl:10:", "p.jsonl:11:",
        "p.jsonl:12:", "p.jsonl:13:", "p.jsonl:14:", "p.jsonl:15:", "p.jsonl:17:",
    };
    T_EQ_INT(ws.n, 11);
    for (int i = 0; i < 11 && i < ws.n; i++)
        if (strncmp(ws.text[i], want[i], strlen(want[i])) != 0)
            T_FAIL("warning %d: \"%s\" should start with \"%s\"", i, ws.text[i], want[i]);
    T_ASSERT(strstr(ws.text[0], "unsupported") == NULL); /* REGEX: value is not a string */
    T_ASSERT(strstr(ws.text[0], "not a string") != NULL);
    T_ASSERT(strstr(ws.text[1], "unsupported attribute \"POS\"") != NULL);
    T_ASSERT(strstr(ws.text[2], "has 2 attributes") != NULL);
    T_ASSERT(strstr(ws.text[5], "label") != NULL);
    T_ASSERT(strstr(ws.text[6], "invalid JSON") != NULL);
    T_ASSERT(strstr(ws.text[8], "unsupported attribute \"IN\"") != NULL);
    T_ASSERT(strstr(ws.text[9], "differs") != NULL); /* PERSON vs ORG for id apple */
    an_gazetteer_destroy(gz);
}

static void check_options(void) {
    CHECK("phrase_attr_orth, strict mode, duplicate id across loads");
    const char *jl = "{\"label\": \"GPE\", \"pattern\": \"Chad\"}\n"
                     "{\"label\": \"GPE\", \"pattern\": [{\"LEMMA\": \"be\"}]}\n";
    an_gazetteer *gz = an_gazetteer_create();
    an_gazetteer_load_options o;
    memset(&o, 0, sizeof o);
    o.format = AN_GAZ_SPACY;
    o.strict = 1;
    an_error err;
    T_EQ_INT(an_gazetteer_load_buffer_ex(gz, jl, strlen(jl), "s", &o, &err), AN_EPARSE);
    char buf[1200];
    /* strict mode stops: the message does not claim the pattern was skipped */
    T_EQ_STR(an_error_format(&err, buf, sizeof buf),
             "s:2:29: token 1 uses unsupported attribute \"LEMMA\"");
    T_EQ_INT(an_gazetteer_actor_count(gz), 0);
    o.strict = 0;
    o.phrase_attr_orth = 1;
    T_OK(an_gazetteer_load_buffer_ex(gz, jl, strlen(jl), "s", &o, &err));
    T_EQ_INT(an_gazetteer_alias_count(gz), 1);
    T_EQ_INT(alias_at(gz, 0).policy, AN_CASE_EXACT);
    /* the same id in a second load is an error, as in the native format */
    T_EQ_INT(an_gazetteer_load_buffer_ex(gz, jl, strlen(jl), "t", &o, &err), AN_EPARSE);
    T_EQ_STR(an_error_format(&err, buf, sizeof buf),
             "t:1:1: duplicate actor id \"Chad\" (first defined at s:1)");
    T_EQ_INT(an_gazetteer_actor_count(gz), 1);
    /* AUTO by content and by .ndjson */
    T_OK(an_gazetteer_load_buffer(gz, "{\"label\":\"X\",\"pattern\":\"Y\"}", 27, "noext",
                                  AN_GAZ_AUTO, &err));
    T_OK(an_gazetteer_load_buffer(gz, "{\"label\":\"X\",\"pattern\":\"Z\"}", 27, "p.ndjson",
                                  AN_GAZ_AUTO, &err));
    T_EQ_INT(an_gazetteer_actor_count(gz), 3);
    an_gazetteer_destroy(gz);
}

static void check_random(void) {
    CHECK("arbitrary bytes never crash");
    const char alphabet[] = "{}[]\":,\n \\ulabelpatternidORTHLOWER\xC3\xA9\x80";
    unsigned long long seed = 7;
    char buf[120];
    an_gazetteer *gz = an_gazetteer_create();
    for (int iter = 0; iter < 20000; iter++) {
        size_t n = (size_t)(seed % sizeof buf);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            buf[i] = alphabet[(seed >> 33) % (sizeof alphabet - 1)];
        }
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        an_gazetteer_load_options o;
        memset(&o, 0, sizeof o);
        o.format = AN_GAZ_SPACY;
        o.strict = (int)(seed >> 40) & 1;
        size_t before = an_gazetteer_actor_count(gz);
        an_status st = an_gazetteer_load_buffer_ex(gz, buf, n, "r", &o, NULL);
        if (st) T_EQ_INT(an_gazetteer_actor_count(gz), before);
    }
    an_gazetteer_destroy(gz);
}

int main(void) {
    check_kinds();
    check_options();
    check_random();
    T_DONE();
}
