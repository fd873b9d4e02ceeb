/* The actor network: nodes, edges, centralities, communities, edge cases.
 *
 * Expected values are worked out by hand (closed forms in the comments) and
 * were cross-checked with networkx (pagerank, betweenness_centrality with
 * distance 1/weight, harmonic_centrality / (n - 1), modularity). */
#include <math.h>
#include <stdint.h>

#include "actornet/network.h"
#include "test_util.h"
#include "test_alloc.h"

#define EPS 1e-9

/* Actors A..H, one alias each (alias i belongs to actor i). */
static const char gaz_tsv[] =
    "# id\tlabel\ttype\tparents\taliases\n"
    "A\tActor A\tcountry\t\tAlpha\n"
    "B\tActor B\tcountry\t\tBravo\n"
    "C\tActor C\tperson\t\tCharlie\n"
    "D\tActor D\tperson\t\tDelta\n"
    "E\tActor E\tarmed_group\t\tEcho\n"
    "F\tActor F\tcountry\t\tFoxtrot\n"
    "G\tActor G\tcountry\t\tGolf\n"
    "H\tActor H\tcountry\t\tHotel\n";

static an_gazetteer *gaz(void) {
    an_gazetteer *gz = an_gazetteer_create();
    an_error err;
    an_error_clear(&err);
    T_ASSERT(gz != NULL);
    an_status st = an_gazetteer_load_buffer(gz, gaz_tsv, sizeof gaz_tsv - 1, "t.tsv",
                                            AN_GAZ_NATIVE, &err);
    if (st != AN_OK) T_FAIL("gazetteer: %s", err.message);
    T_EQ_INT(an_gazetteer_actor_count(gz), 8);
    T_EQ_INT(an_gazetteer_alias_count(gz), 8);
    return gz;
}

/* Edges (a, b, weight): weight documents naming exactly a and b (document
 * window), then one document per actor in `alone` naming only that actor. */
typedef struct wedge {
    size_t a, b;
    unsigned w;
} wedge;

static an_counts *counts_from(const wedge *e, size_t n, const size_t *alone, size_t n_alone) {
    an_count_options o = {.window = AN_WINDOW_DOCUMENT};
    an_counts *c = NULL;
    T_OK(an_counts_create(8, 8, &o, &c));
    an_mention items[2];
    an_mentions m;
    memset(&m, 0, sizeof m);
    memset(items, 0, sizeof items);
    m.items = items;
    m.n_sentences = 1;
    m.n_paragraphs = 1;
    m.doc_bytes = 100;
    for (size_t i = 0; i < n; i++) {
        for (unsigned k = 0; k < e[i].w; k++) {
            items[0].actor = items[0].alias = e[i].a;
            items[1].actor = items[1].alias = e[i].b;
            items[1].start = 10;
            m.count = 2;
            T_OK(an_counts_add(c, &m));
        }
    }
    for (size_t i = 0; i < n_alone; i++) {
        items[0].actor = items[0].alias = alone[i];
        m.count = 1;
        T_OK(an_counts_add(c, &m));
    }
    return c;
}

static an_network *build(const an_counts *c, const an_gazetteer *gz,
                         const an_network_options *o) {
    an_network *net = NULL;
    an_error err;
    an_error_clear(&err);
    an_status st = an_network_build(c, gz, o, &net, &err);
    if (st != AN_OK) T_FAIL("an_network_build: %d %s", (int)st, err.message);
    return net;
}

static void check_no_nan(const an_graph_view *v) {
    double sum = 0.0;
    for (size_t i = 0; i < v->n_nodes; i++) {
        const an_node *nd = &v->nodes[i];
        T_ASSERT(isfinite(nd->strength) && isfinite(nd->betweenness) &&
                 isfinite(nd->closeness) && isfinite(nd->pagerank) &&
                 isfinite(nd->eigenvector));
        T_ASSERT(nd->community >= 0 && (size_t)nd->community < v->n_communities);
        if (i) T_ASSERT(v->nodes[i - 1].actor < nd->actor);
        sum += nd->pagerank;
    }
    if (v->n_nodes) T_NEAR(sum, 1.0, 1e-9);
    for (size_t i = 0; i < v->n_edges; i++) {
        T_ASSERT(v->edges[i].source < v->edges[i].target);
        T_ASSERT(v->edges[i].target < v->n_nodes);
        if (i)
            T_ASSERT(v->edges[i - 1].source < v->edges[i].source ||
                     (v->edges[i - 1].source == v->edges[i].source &&
                      v->edges[i - 1].target < v->edges[i].target));
    }
    T_ASSERT(isfinite(v->modularity));
}

static void test_options_init(void) {
    an_network_options o;
    memset(&o, 0xab, sizeof o);
    an_network_options_init(&o);
    T_EQ_INT(o.min_count, 1);
    T_EQ_INT(o.seed, 1);
    T_EQ_INT(o.community, AN_COMMUNITY_LOUVAIN);
    T_NEAR(o.resolution, 1.0, 0);
}

/* Star: centre A, leaves B..E, unit weights.
 * betweenness(centre) = C(4,2) / ((n-1)(n-2)/2) = 6/6 = 1;
 * harmonic: centre 4/4 = 1, leaf (1 + 3/2)/4 = 0.625;
 * PageRank: c = 0.15/5 + 0.85*4l, l = 0.15/5 + 0.85c/4, c + 4l = 1
 *   -> c = 0.132/0.2775 = 88/185, l = (1 - c)/4 = 97/740;
 * eigenvector: lambda = 2, leaves 1/2 of the centre. */
static void test_star(an_gazetteer *gz) {
    wedge e[] = {{0, 1, 1}, {0, 2, 1}, {0, 3, 1}, {0, 4, 1}};
    an_counts *c = counts_from(e, 4, NULL, 0);
    an_network *net = build(c, gz, NULL);
    const an_graph_view *v = an_network_view(net);
    T_EQ_INT(v->n_nodes, 5);
    T_EQ_INT(v->n_edges, 4);
    check_no_nan(v);
    T_EQ_INT(v->nodes[0].degree, 4);
    T_NEAR(v->nodes[0].strength, 4, EPS);
    T_NEAR(v->nodes[0].betweenness, 1.0, EPS);
    T_NEAR(v->nodes[0].closeness, 1.0, EPS);
    T_NEAR(v->nodes[0].pagerank, 88.0 / 185.0, 1e-9);
    T_NEAR(v->nodes[0].eigenvector, 1.0, 1e-6);
    for (size_t i = 1; i < 5; i++) {
        T_EQ_INT(v->nodes[i].degree, 1);
        T_NEAR(v->nodes[i].strength, 1, EPS);
        T_NEAR(v->nodes[i].betweenness, 0.0, EPS);
        T_NEAR(v->nodes[i].closeness, 0.625, EPS);
        T_NEAR(v->nodes[i].pagerank, 97.0 / 740.0, 1e-9);
        T_NEAR(v->nodes[i].eigenvector, 0.5, 1e-6);
    }
    /* nodes carry the gazetteer's strings and the counts */
    T_EQ_STR(v->nodes[0].id, "A");
    T_EQ_STR(v->nodes[0].label, "Actor A");
    T_EQ_STR(v->nodes[0].type, "country");
    T_EQ_STR(v->nodes[4].type, "armed_group");
    T_EQ_INT(v->nodes[0].mentions, 4);
    T_EQ_INT(v->nodes[0].documents, 4);
    T_EQ_INT(v->nodes[0].windows, 4);
    T_EQ_INT(v->edges[0].windows, 1);
    T_EQ_INT(v->edges[0].documents, 1);
    T_NEAR(v->edges[0].weight, 1.0, 0);
    /* corpus summary */
    T_EQ_INT(v->documents, 4);
    T_EQ_INT(v->bytes, 400);
    T_EQ_INT(v->mentions, 8);
    T_EQ_INT(v->windows, 4);
    T_EQ_STR(v->window, "document");
    T_EQ_STR(v->community_algo, "louvain");
    T_EQ_INT(v->seed, 1);
    an_network_destroy(net);
    an_counts_destroy(c);
}

/* Path A-B-C-D with weights 1, 2, 1 (distances 1, 1/2, 1).
 * betweenness(B) = pairs (A,C), (A,D) = 2, / 3 = 2/3;
 * harmonic(A) = (1 + 1/1.5 + 1/2.5)/3 = 31/45, harmonic(B) = (1 + 2 + 1/1.5)/3 = 11/9;
 * PageRank (strengths 1, 3, 3, 1): a = 0.0375 + 0.85 (1/2 - a)/3 -> a = 0.179167/1.283333;
 * eigenvector: lambda^2 - 2 lambda - 1 = 0, lambda = 1 + sqrt 2, ends = 1/lambda. */
static void test_path(an_gazetteer *gz) {
    wedge e[] = {{0, 1, 1}, {1, 2, 2}, {2, 3, 1}};
    an_counts *c = counts_from(e, 3, NULL, 0);
    an_network *net = build(c, gz, NULL);
    const an_graph_view *v = an_network_view(net);
    T_EQ_INT(v->n_nodes, 4);
    T_EQ_INT(v->n_edges, 3);
    check_no_nan(v);
    double a = (0.0375 + 0.85 / 6.0) / (1.0 + 0.85 / 3.0);
    double ends[] = {0, 3}, mids[] = {1, 2};
    for (int k = 0; k < 2; k++) {
        const an_node *x = &v->nodes[(size_t)ends[k]], *y = &v->nodes[(size_t)mids[k]];
        T_EQ_INT(x->degree, 1);
        T_EQ_INT(y->degree, 2);
        T_NEAR(x->strength, 1, EPS);
        T_NEAR(y->strength, 3, EPS);
        T_NEAR(x->betweenness, 0, EPS);
        T_NEAR(y->betweenness, 2.0 / 3.0, EPS);
        T_NEAR(x->closeness, 31.0 / 45.0, EPS);
        T_NEAR(y->closeness, 11.0 / 9.0, EPS);
        T_NEAR(x->pagerank, a, 1e-9);
        T_NEAR(y->pagerank, 0.5 - a, 1e-9);
        T_NEAR(x->eigenvector, sqrt(2.0) - 1.0, 1e-6);
        T_NEAR(y->eigenvector, 1.0, 1e-6);
    }
    T_EQ_INT(v->edges[1].windows, 2);
    T_NEAR(v->edges[1].weight, 2.0, 0);
    an_network_destroy(net);

    /* min_count 2 keeps only B-C; A and D stay as isolated nodes */
    an_network_options o;
    an_network_options_init(&o);
    o.min_count = 2;
    net = build(c, gz, &o);
    v = an_network_view(net);
    T_EQ_INT(v->n_nodes, 4);
    T_EQ_INT(v->n_edges, 1);
    check_no_nan(v);
    T_EQ_INT(v->edges[0].source, 1);
    T_EQ_INT(v->edges[0].target, 2);
    T_EQ_INT(v->nodes[0].degree, 0);
    T_NEAR(v->nodes[0].strength, 0, 0);
    T_NEAR(v->nodes[1].betweenness, 0, EPS);
    T_NEAR(v->nodes[0].closeness, 0, 0);
    T_NEAR(v->nodes[1].closeness, 2.0 / 3.0, EPS); /* one neighbour at distance 1/2, / 3 */
    T_NEAR(v->nodes[0].eigenvector, 0, 0);
    T_NEAR(v->nodes[1].eigenvector, 1, 1e-6);
    T_NEAR(v->nodes[2].eigenvector, 1, 1e-6);
    T_EQ_INT(v->n_communities, 3); /* {B, C}, {A}, {D} */
    T_EQ_INT(v->nodes[1].community, 0);
    T_EQ_INT(v->nodes[2].community, 0);
    T_EQ_INT(v->nodes[0].community, 1);
    T_EQ_INT(v->nodes[3].community, 2);
    an_network_destroy(net);
    o.community = AN_COMMUNITY_LEIDEN; /* isolated nodes have node weight 0 */
    net = build(c, gz, &o);
    v = an_network_view(net);
    check_no_nan(v);
    T_EQ_INT(v->n_communities, 3);
    T_EQ_INT(v->nodes[1].community, 0);
    T_EQ_INT(v->nodes[2].community, 0);
    T_EQ_INT(v->nodes[0].community, 1);
    T_EQ_INT(v->nodes[3].community, 2);
    T_NEAR(v->modularity, 0.0, 1e-12); /* the only edge inside one community: 1 - 1 */
    an_network_destroy(net);
    o.community = AN_COMMUNITY_LOUVAIN;
    o.min_count = 3;
    net = build(c, gz, &o);
    T_EQ_INT(an_network_view(net)->n_edges, 0);
    T_EQ_INT(an_network_view(net)->n_nodes, 4);
    an_network_destroy(net);
    o.min_count = 0; /* same as 1 */
    net = build(c, gz, &o);
    T_EQ_INT(an_network_view(net)->n_edges, 3);
    an_network_destroy(net);
    an_counts_destroy(c);
}

/* Two triangles {A,B,C} and {D,E,F} joined by the bridge C-D, unit weights.
 * m = 7; each community has 3 inner edges and degree sum 7:
 * Q = 2 (3/7 - (7/14)^2) = 5/14. betweenness(C) = |{A,B}| x |{D,E,F}| = 6, / 10.
 * eigenvector: (lambda - 1)^2 = 2, outer nodes = 1/sqrt 2 of C and D. */
static void test_two_triangles(an_gazetteer *gz) {
    wedge e[] = {{0, 1, 1}, {0, 2, 1}, {1, 2, 1}, {3, 4, 1}, {3, 5, 1}, {4, 5, 1}, {2, 3, 1}};
    an_counts *c = counts_from(e, 7, NULL, 0);
    for (int algo = 0; algo < 2; algo++) {
        an_network_options o;
        an_network_options_init(&o);
        o.community = (an_community_algo)algo;
        an_network *net = build(c, gz, &o);
        const an_graph_view *v = an_network_view(net);
        T_EQ_INT(v->n_nodes, 6);
        T_EQ_INT(v->n_edges, 7);
        check_no_nan(v);
        T_EQ_STR(v->community_algo, algo ? "leiden" : "louvain");
        T_EQ_INT(v->n_communities, 2);
        T_NEAR(v->modularity, 5.0 / 14.0, 1e-12);
        for (size_t i = 0; i < 6; i++) T_EQ_INT(v->nodes[i].community, i < 3 ? 0 : 1);
        for (size_t i = 0; i < 6; i++) {
            int bridge = i == 2 || i == 3;
            T_EQ_INT(v->nodes[i].degree, bridge ? 3 : 2);
            T_NEAR(v->nodes[i].betweenness, bridge ? 0.6 : 0.0, EPS);
            T_NEAR(v->nodes[i].closeness, bridge ? 0.8 : 19.0 / 30.0, EPS);
            T_NEAR(v->nodes[i].eigenvector, bridge ? 1.0 : sqrt(0.5), 1e-6);
        }
        an_network_destroy(net);
    }
    an_counts_destroy(c);
}

/* Same seed, same partition: on a graph where several partitions are close. */
static void test_determinism(an_gazetteer *gz) {
    wedge e[] = {{0, 1, 2}, {1, 2, 1}, {2, 3, 2}, {3, 4, 1}, {4, 5, 2}, {5, 6, 1},
                 {6, 7, 2}, {7, 0, 1}, {0, 4, 1}, {2, 6, 1}, {1, 5, 1}};
    an_counts *c = counts_from(e, sizeof e / sizeof e[0], NULL, 0);
    for (int algo = 0; algo < 2; algo++) {
        for (uint64_t seed = 1; seed <= 4; seed++) {
            an_network_options o;
            an_network_options_init(&o);
            o.community = (an_community_algo)algo;
            o.seed = seed;
            an_network *n1 = build(c, gz, &o);
            an_network *n2 = build(c, gz, &o);
            const an_graph_view *v1 = an_network_view(n1), *v2 = an_network_view(n2);
            check_no_nan(v1);
            T_EQ_INT(v1->seed, seed);
            T_EQ_INT(v1->n_communities, v2->n_communities);
            T_ASSERT(v1->modularity == v2->modularity);
            T_ASSERT(v1->modularity > 0.0);
            for (size_t i = 0; i < v1->n_nodes; i++) {
                T_EQ_INT(v1->nodes[i].community, v2->nodes[i].community);
                T_ASSERT(v1->nodes[i].eigenvector == v2->nodes[i].eigenvector);
            }
            /* renumbering: community 0 is the largest and holds node 0 on ties */
            size_t size[8] = {0};
            for (size_t i = 0; i < v1->n_nodes; i++) size[v1->nodes[i].community]++;
            for (size_t k = 1; k < v1->n_communities; k++) T_ASSERT(size[k - 1] >= size[k]);
            an_network_destroy(n1);
            an_network_destroy(n2);
        }
    }
    an_counts_destroy(c);
}

/* an_network_build_dropping_pairs: the same network as an_network_build, and
 * counts left with margins only, which refuse what would make wrong sums. */
static void test_dropping_pairs(an_gazetteer *gz) {
    wedge e[] = {{0, 1, 2}, {1, 2, 1}, {2, 3, 2}, {3, 0, 1}, {0, 2, 3}};
    size_t alone[] = {4, 1};
    an_counts *c = counts_from(e, sizeof e / sizeof e[0], alone, 2);
    an_counts *other = counts_from(e, 1, NULL, 0);
    an_network *n1 = build(c, gz, NULL);
    an_actor_counts a0 = an_counts_actor(c, 0);
    uint64_t hits = an_counts_alias_hits(c, 1), docs = an_counts_documents(c);
    an_network *n2 = NULL;
    an_error err;
    T_OK(an_network_build_dropping_pairs(c, gz, NULL, &n2, &err));
    const an_graph_view *v1 = an_network_view(n1), *v2 = an_network_view(n2);
    T_EQ_INT(v1->n_nodes, v2->n_nodes);
    T_EQ_INT(v1->n_edges, v2->n_edges);
    T_EQ_INT(v2->n_edges, 5);
    for (size_t i = 0; i < v1->n_edges; i++) {
        T_EQ_INT(v1->edges[i].windows, v2->edges[i].windows);
        T_ASSERT(v1->edges[i].weight == v2->edges[i].weight);
    }
    for (size_t i = 0; i < v1->n_nodes; i++) {
        T_ASSERT(v1->nodes[i].betweenness == v2->nodes[i].betweenness);
        T_ASSERT(v1->nodes[i].eigenvector == v2->nodes[i].eigenvector);
        T_EQ_INT(v1->nodes[i].community, v2->nodes[i].community);
    }
    /* the margins stay, the pairs are gone */
    T_EQ_INT(an_counts_pair_count(c), 0);
    an_pair_counts *p = NULL;
    size_t np = 1;
    T_OK(an_counts_pairs(c, &p, &np));
    T_ASSERT(np == 0 && p == NULL);
    T_EQ_INT(an_counts_actor(c, 0).windows, a0.windows);
    T_EQ_INT(an_counts_actor(c, 0).mentions, a0.mentions);
    T_EQ_INT(an_counts_alias_hits(c, 1), hits);
    T_EQ_INT(an_counts_documents(c), docs);
    /* and nothing may be added, merged or built from them */
    an_mention it[1];
    memset(it, 0, sizeof it);
    an_mentions m;
    memset(&m, 0, sizeof m);
    m.items = it;
    m.count = 1;
    m.n_sentences = m.n_paragraphs = 1;
    T_EQ_INT(an_counts_add(c, &m), AN_EINVAL);
    T_EQ_INT(an_counts_merge(c, other), AN_EINVAL);
    T_EQ_INT(an_counts_merge(other, c), AN_EINVAL);
    an_network *n3 = NULL;
    an_error_clear(&err);
    T_EQ_INT(an_network_build(c, gz, NULL, &n3, &err), AN_EINVAL);
    T_ASSERT(n3 == NULL && strstr(err.message, "dropped their pairs"));
    T_EQ_INT(an_counts_drop_pairs(NULL), AN_EINVAL);
    an_network_destroy(n1);
    an_network_destroy(n2);
    an_counts_destroy(c);
    an_counts_destroy(other);
}

/* Triangle {A, C, D} + E mentioned alone; B never mentioned (no node).
 * PageRank: the isolated node p = 0.0375 + 0.85 p/4 -> 1/21; triangle 20/63. */
static void test_isolated(an_gazetteer *gz) {
    wedge e[] = {{0, 2, 1}, {0, 3, 1}, {2, 3, 1}};
    size_t alone[] = {4};
    an_counts *c = counts_from(e, 3, alone, 1);
    an_network *net = build(c, gz, NULL);
    an_gazetteer_destroy(gz); /* the network owns its strings */
    const an_graph_view *v = an_network_view(net);
    T_EQ_INT(v->n_nodes, 4);
    check_no_nan(v);
    size_t actors[] = {0, 2, 3, 4};
    const char *ids[] = {"A", "C", "D", "E"};
    for (size_t i = 0; i < 4; i++) {
        T_EQ_INT(v->nodes[i].actor, actors[i]);
        T_EQ_STR(v->nodes[i].id, ids[i]);
    }
    T_EQ_INT(v->edges[2].source, 1);
    T_EQ_INT(v->edges[2].target, 2);
    const an_node *iso = &v->nodes[3];
    T_EQ_INT(iso->degree, 0);
    T_EQ_INT(iso->mentions, 1);
    T_NEAR(iso->betweenness, 0, 0);
    T_NEAR(iso->closeness, 0, 0);
    T_NEAR(iso->eigenvector, 0, 0);
    T_NEAR(iso->pagerank, 1.0 / 21.0, 1e-9);
    for (size_t i = 0; i < 3; i++) {
        T_NEAR(v->nodes[i].pagerank, 20.0 / 63.0, 1e-9);
        T_NEAR(v->nodes[i].closeness, 2.0 / 3.0, EPS);
        T_NEAR(v->nodes[i].eigenvector, 1.0, 1e-6);
        T_EQ_INT(v->nodes[i].community, 0);
    }
    T_EQ_INT(iso->community, 1);
    T_EQ_INT(v->n_communities, 2);
    T_NEAR(v->modularity, 0.0, 1e-12); /* one whole component: 1 - 1 */
    an_network_destroy(net);
    an_counts_destroy(c);
}

/* Components with different leading eigenvalues: a triangle (lambda 2) and a
 * weight-1 edge (lambda 1): only the triangle keeps eigenvector values. Two
 * equal triangles: both keep them. */
static void test_eigen_components(an_gazetteer *gz) {
    wedge e1[] = {{0, 1, 1}, {0, 2, 1}, {1, 2, 1}, {3, 4, 1}};
    an_counts *c = counts_from(e1, 4, NULL, 0);
    an_network *net = build(c, gz, NULL);
    const an_graph_view *v = an_network_view(net);
    check_no_nan(v);
    for (size_t i = 0; i < 5; i++) T_NEAR(v->nodes[i].eigenvector, i < 3 ? 1.0 : 0.0, 1e-6);
    T_EQ_INT(v->n_communities, 2);
    T_NEAR(v->modularity, 1.0 - (36.0 + 4.0) / 64.0, 1e-12);
    an_network_destroy(net);
    an_counts_destroy(c);

    /* the weight-3 edge (lambda 3) now beats the triangle */
    wedge e2[] = {{0, 1, 1}, {0, 2, 1}, {1, 2, 1}, {3, 4, 3}};
    c = counts_from(e2, 4, NULL, 0);
    net = build(c, gz, NULL);
    v = an_network_view(net);
    for (size_t i = 0; i < 5; i++) T_NEAR(v->nodes[i].eigenvector, i < 3 ? 0.0 : 1.0, 1e-6);
    an_network_destroy(net);
    an_counts_destroy(c);

    wedge e3[] = {{0, 1, 1}, {0, 2, 1}, {1, 2, 1}, {3, 4, 1}, {3, 5, 1}, {4, 5, 1}};
    c = counts_from(e3, 6, NULL, 0);
    net = build(c, gz, NULL);
    v = an_network_view(net);
    for (size_t i = 0; i < 6; i++) T_NEAR(v->nodes[i].eigenvector, 1.0, 1e-6);
    for (size_t i = 0; i < 6; i++) T_EQ_INT(v->nodes[i].community, i < 3 ? 0 : 1);
    T_NEAR(v->modularity, 0.5, 1e-12);
    an_network_destroy(net);
    an_counts_destroy(c);
}

static void test_empty_and_edgeless(an_gazetteer *gz) {
    an_counts *c = counts_from(NULL, 0, NULL, 0);
    an_network *net = build(c, gz, NULL);
    const an_graph_view *v = an_network_view(net);
    T_EQ_INT(v->n_nodes, 0);
    T_EQ_INT(v->n_edges, 0);
    T_EQ_INT(v->n_communities, 0);
    T_NEAR(v->modularity, 0, 0);
    T_EQ_INT(v->documents, 0);
    T_EQ_STR(v->window, "document");
    an_network_destroy(net);
    an_counts_destroy(c);

    size_t alone[] = {5, 1, 6, 1};
    c = counts_from(NULL, 0, alone, 4);
    for (int algo = 0; algo < 2; algo++) {
        an_network_options o;
        an_network_options_init(&o);
        o.community = (an_community_algo)algo;
        net = build(c, gz, &o);
        v = an_network_view(net);
        T_EQ_INT(v->n_nodes, 3);
        T_EQ_INT(v->n_edges, 0);
        check_no_nan(v);
        T_EQ_INT(v->n_communities, 3);
        T_NEAR(v->modularity, 0, 0);
        for (size_t i = 0; i < 3; i++) {
            T_EQ_INT(v->nodes[i].degree, 0);
            T_NEAR(v->nodes[i].pagerank, 1.0 / 3.0, 1e-15);
            T_NEAR(v->nodes[i].betweenness, 0, 0);
            T_NEAR(v->nodes[i].closeness, 0, 0);
            T_NEAR(v->nodes[i].eigenvector, 0, 0);
        }
        /* all of size 1: numbered by node index */
        T_EQ_INT(v->nodes[0].community, 0);
        T_EQ_INT(v->nodes[1].community, 1);
        T_EQ_INT(v->nodes[2].community, 2);
        T_EQ_INT(v->nodes[0].mentions, 2);
        an_network_destroy(net);
    }
    an_counts_destroy(c);

    /* one lone node */
    size_t one[] = {7};
    c = counts_from(NULL, 0, one, 1);
    net = build(c, gz, NULL);
    v = an_network_view(net);
    T_EQ_INT(v->n_nodes, 1);
    T_NEAR(v->nodes[0].pagerank, 1.0, 0);
    T_EQ_STR(v->nodes[0].id, "H");
    an_network_destroy(net);
    an_counts_destroy(c);
}

static void test_invalid(an_gazetteer *gz) {
    wedge e[] = {{0, 1, 1}};
    an_counts *c = counts_from(e, 1, NULL, 0);
    an_network *net = (an_network *)&net; /* must stay untouched */
    an_network *sentinel = net;
    an_error err;
    an_network_options o;
    an_network_options_init(&o);
    o.community = (an_community_algo)5;
    T_EQ_INT(an_network_build(c, gz, &o, &net, &err), AN_EINVAL);
    T_EQ_INT(err.status, AN_EINVAL);
    T_ASSERT(net == sentinel);
    an_network_options_init(&o);
    o.resolution = NAN;
    T_EQ_INT(an_network_build(c, gz, &o, &net, &err), AN_EINVAL);
    o.resolution = -1;
    T_EQ_INT(an_network_build(c, gz, &o, &net, &err), AN_EINVAL);
    T_EQ_INT(an_network_build(NULL, gz, NULL, &net, &err), AN_EINVAL);
    T_EQ_INT(an_network_build(c, NULL, NULL, &net, &err), AN_EINVAL);
    T_EQ_INT(an_network_build(c, gz, NULL, NULL, NULL), AN_EINVAL);
    T_ASSERT(net == sentinel);

    /* counts made for a bigger gazetteer */
    an_counts *big = NULL;
    T_OK(an_counts_create(9, 9, NULL, &big));
    T_EQ_INT(an_network_build(big, gz, NULL, &net, &err), AN_EINVAL);
    T_ASSERT(net == sentinel);
    an_counts_destroy(big);
    an_counts_destroy(c);
    an_network_destroy(NULL);
    T_ASSERT(an_network_view(NULL) == NULL);
}

/* Allocation failures (our allocator; igraph keeps its own): every failure is
 * AN_ENOMEM, leaves *out untouched and leaks nothing (checked under ASan). */

static void test_oom(an_gazetteer *gz) {
    wedge e[] = {{0, 1, 1}, {0, 2, 1}, {1, 2, 1}, {3, 4, 1}, {3, 5, 1}, {4, 5, 1}, {2, 3, 1}};
    size_t alone[] = {7};
    an_counts *c = counts_from(e, 7, alone, 1);
    an_allocator al = {t_malloc, t_realloc, t_free, NULL};
    an_set_allocator(&al);
    int succeeded = 0, failed = 0;
    for (long k = 0; k < 100 && !succeeded; k++) {
        an_network *net = (an_network *)&net, *sentinel = net;
        an_error err;
        fail_after = k;
        an_status st = an_network_build(c, gz, NULL, &net, &err);
        fail_after = -1;
        if (st == AN_OK) {
            succeeded = 1;
            T_NEAR(an_network_view(net)->modularity, 5.0 / 14.0 - 0.0, 1e-12);
            an_network_destroy(net);
        } else {
            failed++;
            T_EQ_INT(st, AN_ENOMEM);
            T_EQ_INT(err.status, AN_ENOMEM);
            T_ASSERT(net == sentinel);
        }
    }
    an_set_allocator(NULL);
    T_ASSERT(succeeded);
    T_ASSERT(failed >= 8);
    an_counts_destroy(c);
}

int main(void) {
    test_options_init();
    an_gazetteer *gz = gaz();
    test_star(gz);
    test_path(gz);
    test_two_triangles(gz);
    test_determinism(gz);
    test_eigen_components(gz);
    test_empty_and_edgeless(gz);
    test_invalid(gz);
    test_dropping_pairs(gz);
    test_oom(gz);
    an_gazetteer_destroy(gz);
    test_isolated(gaz()); /* destroys its gazetteer early */
    T_DONE();
}
