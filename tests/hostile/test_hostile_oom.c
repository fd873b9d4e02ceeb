/* Allocation failures across the whole pipeline in one run: gazetteer load,
 * matcher compile and scan, counting (add, merge, pairs), network build.
 * For N = 1, 2, ... the N-th allocation through the hook fails; every call
 * that meets the failure must return AN_ENOMEM (or NULL for create), leave
 * its objects usable (the same call is retried and must then succeed with the
 * same result as a clean run), and after destroying everything the hook's own
 * count of live allocations must be 0. Ends at the first N that the pipeline
 * runs through without meeting a failure. igraph's and Graphviz's own
 * allocations are not ours and are not counted. Module-level OOM tests
 * (tests/input, tests/ner, tests/graph) go deeper per module; this one checks
 * that the stages compose. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/actornet.h"
#include "test_util.h"

static long g_live;        /* allocations made through the hook and not freed */
static unsigned long g_n;  /* allocations attempted since arming */
static unsigned long g_at; /* fail the g_at-th; 0 = never */
static int g_hit;

static void *t_malloc(size_t size, void *ctx) {
    (void)ctx;
    if (g_at && ++g_n == g_at) {
        g_hit = 1;
        return NULL;
    }
    void *p = malloc(size ? size : 1);
    if (p) g_live++;
    return p;
}
static void *t_realloc(void *ptr, size_t size, void *ctx) {
    if (!ptr) return t_malloc(size, ctx);
    if (g_at && ++g_n == g_at) {
        g_hit = 1;
        return NULL;
    }
    return realloc(ptr, size ? size : 1);
}
static void t_free(void *ptr, void *ctx) {
    (void)ctx;
    if (!ptr) return;
    g_live--;
    free(ptr);
}

static const char gaz[] =
    "USA\tUnited States\tcountry\t\tUnited States|=US|U.S.|American|Washington\n"
    "RUS\tRussia\tcountry\t\tRussia|Russian|Moscow|Kremlin\n"
    "SYR\tSyria\tcountry\t\tSyria|Syrian|Damascus\n"
    "LAVROV\tSergey Lavrov\tperson\tRUS\tSergey Lavrov|Lavrov{2004-03-09..}\n"
    "ISIS\tIslamic State\tarmed_group\t\tIslamic State|=IS|ISIS|Daesh\n"
    "UN\tUnited Nations\torganisation\t\tUnited Nations|U.N.\n";
static const char doc1[] =
    "The United States and Russia met in Damascus. Lavrov said the U.S.-led strikes "
    "on Islamic State were discussed.\n\nThe U.N. called on Syria and Russia to act.";
static const char doc2[] =
    "Russian and American officials met. ISIS was named; Syria was not. Washington, Moscow.";

typedef struct result {
    size_t actors, aliases, mentions1, mentions2, pairs, nodes, edges;
    uint64_t pair_sum;
} result;

/* A call returning an_status: on AN_ENOMEM, disarm and retry once (the object
 * must still be usable); anything else but AN_OK fails the test. */
#define STEP(call)                                                                          \
    do {                                                                                    \
        an_status s_ = (call);                                                              \
        if (s_ == AN_ENOMEM && g_hit) {                                                     \
            g_at = 0;                                                                       \
            s_ = (call);                                                                    \
        }                                                                                   \
        if (s_ != AN_OK) {                                                                  \
            T_FAIL("fail at %lu: %s returned %d (%s)", fail_at, #call, (int)s_,            \
                   an_strerror(s_));                                                        \
            goto done;                                                                      \
        }                                                                                   \
    } while (0)

/* Runs the pipeline with the fail_at-th allocation failing; fills *r.
 * Returns 1 when the injected failure was met. */
static int pipeline(unsigned long fail_at, result *r) {
    an_gazetteer *gz = NULL;
    an_matcher *m = NULL;
    an_counts *c1 = NULL, *c2 = NULL;
    an_network *net = NULL;
    an_pair_counts *pairs = NULL;
    size_t n_pairs = 0;
    an_mentions ms;
    an_mentions_init(&ms);
    memset(r, 0, sizeof *r);
    g_n = 0;
    g_hit = 0;
    g_at = fail_at;

    gz = an_gazetteer_create();
    if (!gz && g_hit) {
        g_at = 0;
        gz = an_gazetteer_create();
    }
    if (!gz) {
        T_FAIL("fail at %lu: an_gazetteer_create returned NULL", fail_at);
        goto done;
    }
    an_error err;
    STEP(an_gazetteer_load_buffer(gz, gaz, sizeof gaz - 1, "oom.tsv", AN_GAZ_NATIVE, &err));
    r->actors = an_gazetteer_actor_count(gz);
    r->aliases = an_gazetteer_alias_count(gz);
    STEP(an_matcher_compile(gz, NULL, &m, &err));
    STEP(an_counts_create(r->actors, r->aliases, NULL, &c1));
    STEP(an_counts_create(r->actors, r->aliases, NULL, &c2));
    STEP(an_matcher_scan(m, doc1, sizeof doc1 - 1, 20160928, &ms, &err));
    r->mentions1 = ms.count;
    STEP(an_counts_add(c1, &ms));
    STEP(an_matcher_scan(m, doc2, sizeof doc2 - 1, 0, &ms, &err));
    r->mentions2 = ms.count;
    STEP(an_counts_add(c2, &ms));
    STEP(an_counts_merge(c1, c2));
    STEP(an_counts_pairs(c1, &pairs, &n_pairs));
    r->pairs = n_pairs;
    for (size_t i = 0; i < n_pairs; i++) r->pair_sum += pairs[i].windows * (i + 1);
    STEP(an_network_build(c1, gz, NULL, &net, &err));
    const an_graph_view *v = an_network_view(net);
    r->nodes = v->n_nodes;
    r->edges = v->n_edges;
done:;
    int hit = g_hit;
    g_at = 0;
    an_network_destroy(net);
    an_counts_pairs_free(pairs);
    an_counts_destroy(c1);
    an_counts_destroy(c2);
    an_mentions_finish(&ms);
    an_matcher_destroy(m);
    an_gazetteer_destroy(gz);
    return hit;
}

int main(void) {
    an_allocator a = {t_malloc, t_realloc, t_free, NULL};
    an_set_allocator(&a);
    result clean, r;
    T_EQ_INT(pipeline(0, &clean), 0);
    T_EQ_INT(g_live, 0);
    T_ASSERT(clean.mentions1 >= 8 && clean.pairs >= 5 && clean.nodes >= 5);
    unsigned long n;
    for (n = 1; n < 200000 && !an_t_failures; n++) {
        int hit = pipeline(n, &r);
        if (g_live != 0) T_FAIL("fail at %lu: %ld allocations leaked", n, g_live);
        if (memcmp(&r, &clean, sizeof r) != 0)
            T_FAIL("fail at %lu: result differs from the clean run (pairs %zu/%zu, nodes %zu/%zu)",
                   n, r.pairs, clean.pairs, r.nodes, clean.nodes);
        if (!hit) break;
        g_live = 0;
    }
    an_set_allocator(NULL);
    printf("%lu allocation points checked\n", n - 1);
    T_ASSERT(n > 20); /* the pipeline allocates; a hook that is never called fails here */
    T_DONE();
}
