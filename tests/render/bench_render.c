/* Times an_render_image("svg") with default options on a generated graph of
 * 2,000 actors and ~6,000 edges (not a test: built, run by hand).
 *
 * Usage: bench_render [NODES [EDGES]]   prints the wall time and the SVG size.
 * The default options draw the 150 actors with the highest PageRank.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actornet/render.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int cmp_edge(const void *pa, const void *pb) {
    const an_edge *x = pa, *y = pb;
    if (x->source != y->source) return x->source < y->source ? -1 : 1;
    return (x->target > y->target) - (x->target < y->target);
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 2000;
    size_t m = argc > 2 ? (size_t)atol(argv[2]) : 6000;
    if (n < 2) return 2;
    an_node *nodes = calloc(n, sizeof *nodes);
    an_edge *edges = calloc(m, sizeof *edges);
    char (*ids)[24] = calloc(n, sizeof *ids);
    if (!nodes || !edges || !ids) return 1;
    /* preferential-ish attachment: low indices are hubs */
    size_t k = 0;
    for (size_t e = 0; e < m; e++) {
        size_t a = (size_t)(next() % n), b = (size_t)((next() % n) * (next() % n) / n);
        if (a == b) continue;
        edges[k].source = a < b ? a : b;
        edges[k].target = a < b ? b : a;
        edges[k].windows = 1 + next() % 20;
        edges[k].documents = 1 + edges[k].windows / 2;
        edges[k].weight = edges[k].score = (double)edges[k].windows;
        k++;
    }
    qsort(edges, k, sizeof *edges, cmp_edge);
    size_t u = 0;
    for (size_t e = 0; e < k; e++)
        if (!u || edges[u - 1].source != edges[e].source || edges[u - 1].target != edges[e].target)
            edges[u++] = edges[e];
    for (size_t e = 0; e < u; e++) {
        nodes[edges[e].source].degree++;
        nodes[edges[e].target].degree++;
        nodes[edges[e].source].strength += edges[e].weight;
        nodes[edges[e].target].strength += edges[e].weight;
    }
    double total = 0;
    for (size_t i = 0; i < n; i++) total += nodes[i].strength + 1;
    for (size_t i = 0; i < n; i++) {
        snprintf(ids[i], sizeof ids[i], "A%zu", i);
        nodes[i].actor = i;
        nodes[i].id = nodes[i].label = ids[i];
        nodes[i].type = i % 4 == 0 ? "person" : i % 4 == 1 ? "organisation" : "country";
        nodes[i].mentions = (uint64_t)nodes[i].strength + 1;
        nodes[i].pagerank = (nodes[i].strength + 1) / total;
        nodes[i].community = (int64_t)(i % 9);
    }
    an_graph_view v;
    memset(&v, 0, sizeof v);
    v.n_nodes = n;
    v.nodes = nodes;
    v.n_edges = u;
    v.edges = edges;
    v.n_communities = 9;
    v.window = "sentence";
    v.measure = "count";
    an_render_options o;
    an_render_options_init(&o);
    FILE *f = fopen("/dev/null", "wb");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    an_error err;
    an_status st = an_render_image(&v, &o, "svg", f, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fclose(f);
    if (st != AN_OK) {
        fprintf(stderr, "render failed: %s\n", err.message);
        return 1;
    }
    printf("nodes %zu, edges %zu: an_render_image(svg, defaults) %.3f s\n", n, u,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    free(nodes);
    free(edges);
    free(ids);
    return 0;
}
