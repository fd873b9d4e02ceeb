/* actornet — the actor network and its analytics (contract: include/actornet/network.h).
 *
 * The graph is built once from the counts; igraph computes the path-based
 * measures, PageRank, eigenvector centrality and communities; the results are
 * copied into plain arrays and the igraph objects are freed before returning.
 * What each number means and how undefined cases are handled: docs/measures.md.
 *
 * igraph's default error handler aborts. For the duration of a build we swap in
 * one that records the first reason and unwinds igraph's own cleanup stack
 * (IGRAPH_FINALLY_FREE), and a warning handler that stays silent; the previous
 * handlers are restored before returning, so a host program that also uses
 * igraph keeps its own. Our igraph objects are never put on igraph's cleanup
 * stack: they are freed by our goto chain.
 */
#include <dlfcn.h>
#include <errno.h>
#include <igraph.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "actornet/network.h"
#include "core/internal.h"
#include "graph/cooc_raw.h"

/* At most one step per filter kind. */
#define AN_MAX_FILTER_STEPS 8

struct an_network {
    an_graph_view view;
    an_node *nodes;
    an_edge *edges;
    char *strings; /* id, label, type of every node, NUL-separated */
    an_filter_step steps[AN_MAX_FILTER_STEPS];
    char window_name[32];
};

AN_EXPORT void an_network_options_init(an_network_options *o) {
    if (!o) return;
    memset(o, 0, sizeof *o);
    o->min_count = 1;
    o->seed = 1;
    o->community = AN_COMMUNITY_LOUVAIN;
    o->resolution = 1.0;
}

AN_EXPORT void an_network_destroy(an_network *n) {
    if (!n) return;
    an_i_free(n->nodes);
    an_i_free(n->edges);
    an_i_free(n->strings);
    an_i_free(n);
}

AN_EXPORT const an_graph_view *an_network_view(const an_network *n) {
    return n ? &n->view : NULL;
}

/* ---- igraph error handling ---------------------------------------------- */

/* igraph is not thread-safe (documented in network.h), so plain statics do. */
static char g_reason[256];

static void on_igraph_error(const char *reason, const char *file, int line,
                            igraph_error_t code) {
    (void)file;
    (void)line;
    if (!g_reason[0]) {
        if (reason && reason[0])
            snprintf(g_reason, sizeof g_reason, "%s", reason);
        else
            snprintf(g_reason, sizeof g_reason, "%s", igraph_strerror(code));
    }
    IGRAPH_FINALLY_FREE();
}

static void on_igraph_warning(const char *reason, const char *file, int line) {
    (void)reason;
    (void)file;
    (void)line;
}

/* Maps a failed igraph call to AN_EGRAPH (or AN_ENOMEM) with its reason. */
static an_status igraph_failed(an_error *err, const char *what, igraph_error_t code) {
    an_status st = code == IGRAPH_ENOMEM ? AN_ENOMEM : AN_EGRAPH;
    return an_i_error(err, st, NULL, 0, 0, "%s: %s", what,
                      g_reason[0] ? g_reason : igraph_strerror(code));
}

#define IG(call, what)                                                    \
    do {                                                                  \
        igraph_error_t ig_code_ = (call);                                 \
        if (ig_code_ != IGRAPH_SUCCESS) {                                 \
            st = igraph_failed(err, (what), ig_code_);                    \
            goto done;                                                    \
        }                                                                 \
    } while (0)

/* ---- helpers ------------------------------------------------------------ */

static double finite_or_zero(double x) { return isfinite(x) ? x : 0.0; }

typedef struct comm_rank {
    igraph_integer_t id, size, first;
} comm_rank;

static int cmp_comm(const void *pa, const void *pb) {
    const comm_rank *x = pa, *y = pb;
    if (x->size != y->size) return x->size > y->size ? -1 : 1;
    return (x->first > y->first) - (x->first < y->first);
}

/* Renumbers membership in place: 0 = largest community, ties by the smallest
 * node index in it. Returns the number of communities, or -1 on OOM. */
static igraph_integer_t renumber(igraph_vector_int_t *memb, igraph_integer_t n) {
    igraph_integer_t k = 0;
    for (igraph_integer_t i = 0; i < n; i++)
        if (VECTOR(*memb)[i] + 1 > k) k = VECTOR(*memb)[i] + 1;
    comm_rank *r = an_i_calloc((size_t)(k ? k : 1), sizeof *r);
    igraph_integer_t *map = an_i_calloc((size_t)(k ? k : 1), sizeof *map);
    if (!r || !map) {
        an_i_free(r);
        an_i_free(map);
        return -1;
    }
    for (igraph_integer_t c = 0; c < k; c++) {
        r[c].id = c;
        r[c].first = n;
    }
    for (igraph_integer_t i = 0; i < n; i++) {
        comm_rank *x = &r[VECTOR(*memb)[i]];
        x->size++;
        if (i < x->first) x->first = i;
    }
    qsort(r, (size_t)k, sizeof *r, cmp_comm);
    igraph_integer_t used = 0;
    for (igraph_integer_t c = 0; c < k; c++) {
        map[r[c].id] = c;
        if (r[c].size > 0) used++;
    }
    for (igraph_integer_t i = 0; i < n; i++) VECTOR(*memb)[i] = map[VECTOR(*memb)[i]];
    an_i_free(r);
    an_i_free(map);
    return used;
}

/* Eigenvector centrality, component by component.
 *
 * For a disconnected graph the principal eigenvector of the whole adjacency
 * matrix lives only on the component(s) with the largest eigenvalue; every
 * other component gets exactly 0 in theory and ARPACK noise in practice, and
 * when two components tie (two equal triangles) the result is an arbitrary
 * mix. So: solve each component with edges separately, scale each to max 1,
 * keep the components whose eigenvalue equals the largest one, zero the rest.
 * This equals the usual definition on a connected graph and is deterministic
 * in the tie case. Isolated nodes get 0.
 *
 * The components (memb, csize: igraph's weak components of the n nodes) come
 * from the caller, so that the whole graph can be gone by now: the
 * component subgraphs and ARPACK are the analysis's largest moment. */
static an_status eigenvector_by_component(igraph_integer_t n, const igraph_vector_int_t *memb,
                                          const igraph_vector_int_t *csize,
                                          const igraph_vector_t *w, const an_edge *edges,
                                          size_t n_edges, uint64_t seed, double *out,
                                          an_error *err) {
    an_status st = AN_OK;
    igraph_vector_int_t el;
    igraph_vector_t sw, vec;
    igraph_integer_t n_comp = igraph_vector_int_size(csize);
    int have_el = 0, have_sw = 0, have_vec = 0;
    size_t *local = NULL, *edge_order = NULL, *edge_start = NULL;
    double *lambda = NULL;
    igraph_arpack_options_t arpack;

    for (igraph_integer_t i = 0; i < n; i++) out[i] = 0.0;
    if (n_edges == 0) return AN_OK;

    IG(igraph_vector_int_init(&el, 0), "eigenvector");
    have_el = 1;
    IG(igraph_vector_init(&sw, 0), "eigenvector");
    have_sw = 1;
    IG(igraph_vector_init(&vec, 0), "eigenvector");
    have_vec = 1;

    local = an_i_calloc((size_t)n, sizeof *local);
    edge_order = an_i_calloc(n_edges, sizeof *edge_order);
    edge_start = an_i_calloc((size_t)n_comp + 1, sizeof *edge_start);
    lambda = an_i_calloc((size_t)n_comp, sizeof *lambda);
    if (!local || !edge_order || !edge_start || !lambda) {
        st = an_i_error(err, AN_ENOMEM, NULL, 0, 0, "eigenvector: out of memory");
        goto done;
    }
    {
        /* local vertex ids inside each component, in node order */
        size_t *next = edge_start; /* reused below; zero now */
        for (igraph_integer_t i = 0; i < n; i++) local[i] = next[VECTOR(*memb)[i]]++;
        memset(edge_start, 0, ((size_t)n_comp + 1) * sizeof *edge_start);
    }
    /* bucket edges by component (counting sort, stable) */
    for (size_t e = 0; e < n_edges; e++) edge_start[VECTOR(*memb)[edges[e].source] + 1]++;
    for (igraph_integer_t c = 0; c < n_comp; c++) edge_start[c + 1] += edge_start[c];
    {
        size_t *fill = an_i_calloc((size_t)n_comp, sizeof *fill);
        if (!fill) {
            st = an_i_error(err, AN_ENOMEM, NULL, 0, 0, "eigenvector: out of memory");
            goto done;
        }
        for (size_t e = 0; e < n_edges; e++) {
            igraph_integer_t c = VECTOR(*memb)[edges[e].source];
            edge_order[edge_start[c] + fill[c]++] = e;
        }
        an_i_free(fill);
    }

    double best = 0.0;
    for (igraph_integer_t c = 0; c < n_comp; c++) {
        size_t e0 = edge_start[c], e1 = edge_start[c + 1];
        if (e0 == e1) continue;
        igraph_integer_t m = (igraph_integer_t)(e1 - e0);
        IG(igraph_vector_int_resize(&el, 2 * m), "eigenvector");
        IG(igraph_vector_resize(&sw, m), "eigenvector");
        for (igraph_integer_t k = 0; k < m; k++) {
            const an_edge *ed = &edges[edge_order[e0 + (size_t)k]];
            VECTOR(el)[2 * k] = (igraph_integer_t)local[ed->source];
            VECTOR(el)[2 * k + 1] = (igraph_integer_t)local[ed->target];
            VECTOR(sw)[k] = VECTOR(*w)[edge_order[e0 + (size_t)k]];
        }
        /* ARPACK may draw a random start vector: same seed, same bits */
        IG(igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)seed), "seeding the RNG");
        igraph_arpack_options_init(&arpack);
        igraph_t sub;
        IG(igraph_create(&sub, &el, VECTOR(*csize)[c], IGRAPH_UNDIRECTED), "eigenvector");
        /* the graph has its own copy: do not hold two during ARPACK (the
         * peak memory of a large map) */
        igraph_vector_int_clear(&el);
        igraph_vector_int_resize_min(&el);
        igraph_real_t value = 0.0;
        igraph_error_t code = igraph_eigenvector_centrality(&sub, &vec, &value, IGRAPH_UNDIRECTED,
                                                            1, &sw, &arpack);
        igraph_destroy(&sub);
        IG(code, "eigenvector centrality");
        lambda[c] = value;
        if (value > best) best = value;
        for (igraph_integer_t i = 0; i < n; i++) {
            if (VECTOR(*memb)[i] != c) continue;
            double x = VECTOR(vec)[(igraph_integer_t)local[i]];
            out[i] = (isfinite(x) && x > 0.0) ? x : 0.0;
        }
    }
    for (igraph_integer_t i = 0; i < n; i++) {
        igraph_integer_t c = VECTOR(*memb)[i];
        if (!(lambda[c] >= best * (1.0 - 1e-9))) out[i] = 0.0;
    }

done:
    if (st != AN_OK)
        for (igraph_integer_t i = 0; i < n; i++) out[i] = 0.0;
    an_i_free(local);
    an_i_free(edge_order);
    an_i_free(edge_start);
    an_i_free(lambda);
    if (have_vec) igraph_vector_destroy(&vec);
    if (have_sw) igraph_vector_destroy(&sw);
    if (have_el) igraph_vector_int_destroy(&el);
    return st;
}

/* Communities on a graph with at least one edge; membership holds n entries. */
static an_status communities(const igraph_t *g, const igraph_vector_t *w,
                             const igraph_vector_t *strength, const an_network_options *o,
                             igraph_vector_int_t *memb, an_error *err) {
    an_status st = AN_OK;
    igraph_integer_t n = igraph_vcount(g);
    igraph_vector_int_t prev;
    int have_prev = 0;

    for (igraph_integer_t i = 0; i < n; i++) VECTOR(*memb)[i] = i;
    IG(igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)o->seed), "seeding the RNG");
    if (o->community == AN_COMMUNITY_LOUVAIN) {
        IG(igraph_community_multilevel(g, w, o->resolution, memb, NULL, NULL), "Louvain");
    } else {
        /* Leiden optimises CPM; with strengths as node weights and the
         * resolution divided by the total strength (2m) its quality is
         * modularity. One iteration at a time from the last membership until
         * nothing moves: a negative count can loop forever in 0.10.2. */
        double total = 0.0;
        for (igraph_integer_t i = 0; i < n; i++) total += VECTOR(*strength)[i];
        double gamma = o->resolution / total;
        IG(igraph_vector_int_init(&prev, n), "Leiden");
        have_prev = 1;
        for (int round = 0; round < 50; round++) {
            IG(igraph_vector_int_update(&prev, memb), "Leiden");
            igraph_integer_t n_clusters = 0;
            igraph_real_t quality = 0.0;
            IG(igraph_community_leiden(g, w, strength, gamma, 0.01, 1, 1, memb, &n_clusters,
                                       &quality),
               "Leiden");
            if (igraph_vector_int_all_e(&prev, memb)) break;
        }
    }
done:
    if (have_prev) igraph_vector_int_destroy(&prev);
    return st;
}

/* ---- filters ------------------------------------------------------------ */

typedef struct work {
    an_network *net;
    size_t n_nodes;
    an_edge *edges;     /* current edges, in (source, target) order */
    size_t n_edges;
    unsigned char *keep; /* per current edge */
    size_t *deg;        /* per node, current degree */
    an_filter_step steps[AN_MAX_FILTER_STEPS];
    size_t n_steps;
} work;

static void count_degrees(work *wk) {
    memset(wk->deg, 0, wk->n_nodes * sizeof *wk->deg);
    for (size_t i = 0; i < wk->n_edges; i++) {
        wk->deg[wk->edges[i].source]++;
        wk->deg[wk->edges[i].target]++;
    }
}

/* Drops the edges whose keep flag is 0 and records the step. */
static void apply_step(work *wk, const char *name, const char *detail) {
    size_t left_isolated = 0, k = 0;
    for (size_t i = 0; i < wk->n_edges; i++) {
        if (wk->keep[i]) {
            wk->edges[k++] = wk->edges[i];
        } else {
            const an_edge *e = &wk->edges[i];
            left_isolated += --wk->deg[e->source] == 0;
            left_isolated += --wk->deg[e->target] == 0;
        }
    }
    an_filter_step *s = &wk->steps[wk->n_steps++];
    s->name = name;
    snprintf(s->detail, sizeof s->detail, "%s", detail);
    s->edges_removed = wk->n_edges - k;
    s->actors_removed = left_isolated;
    wk->n_edges = k;
}

static void keep_all(work *wk, unsigned char v) { memset(wk->keep, v, wk->n_edges ? wk->n_edges : 1); }

/* Serrano, Boguñá & Vespignani (2009): an edge survives if, for either end i,
 * alpha_ij = (1 - w_ij / s_i)^(k_i - 1) < level. An end of degree 1 keeps its
 * only edge (its alpha would be 1: the test cannot reject anything there). */
static an_status disparity(work *wk, double level) {
    double *s = an_i_calloc(wk->n_nodes ? wk->n_nodes : 1, sizeof *s);
    if (!s) return AN_ENOMEM;
    for (size_t i = 0; i < wk->n_edges; i++) {
        s[wk->edges[i].source] += wk->edges[i].score;
        s[wk->edges[i].target] += wk->edges[i].score;
    }
    for (size_t i = 0; i < wk->n_edges; i++) {
        const an_edge *e = &wk->edges[i];
        size_t ends[2] = {e->source, e->target};
        int ok = 0;
        for (int t = 0; t < 2; t++) {
            size_t v = ends[t];
            if (wk->deg[v] <= 1) {
                ok = 1;
                continue;
            }
            double alpha = pow(1.0 - e->score / s[v], (double)(wk->deg[v] - 1));
            if (alpha < level) ok = 1;
        }
        wk->keep[i] = (unsigned char)ok;
    }
    an_i_free(s);
    return AN_OK;
}

/* Edge order for "best": higher score first, then lower (source, target),
 * which is lower index because edges are kept sorted. */
static const an_edge *g_sort_edges;
static int cmp_best(const void *pa, const void *pb) {
    size_t x = *(const size_t *)pa, y = *(const size_t *)pb;
    double sx = g_sort_edges[x].score, sy = g_sort_edges[y].score;
    if (sx != sy) return sx > sy ? -1 : 1;
    return (x > y) - (x < y);
}

typedef struct incid {
    size_t node, edge;
} incid;
static int cmp_incid(const void *pa, const void *pb) {
    const incid *x = pa, *y = pb;
    if (x->node != y->node) return x->node < y->node ? -1 : 1;
    return cmp_best(&x->edge, &y->edge);
}

static an_status top_k(work *wk, size_t k) {
    incid *in = an_i_calloc(2 * wk->n_edges + 1, sizeof *in);
    if (!in) return AN_ENOMEM;
    for (size_t i = 0; i < wk->n_edges; i++) {
        in[2 * i] = (incid){wk->edges[i].source, i};
        in[2 * i + 1] = (incid){wk->edges[i].target, i};
    }
    g_sort_edges = wk->edges;
    qsort(in, 2 * wk->n_edges, sizeof *in, cmp_incid);
    keep_all(wk, 0);
    for (size_t i = 0, rank = 0; i < 2 * wk->n_edges; i++) {
        rank = (i > 0 && in[i].node == in[i - 1].node) ? rank + 1 : 0;
        if (rank < k) wk->keep[in[i].edge] = 1;
    }
    an_i_free(in);
    return AN_OK;
}

static an_status top_n(work *wk, size_t n) {
    size_t *ix = an_i_calloc(wk->n_edges + 1, sizeof *ix);
    if (!ix) return AN_ENOMEM;
    for (size_t i = 0; i < wk->n_edges; i++) ix[i] = i;
    g_sort_edges = wk->edges;
    qsort(ix, wk->n_edges, sizeof *ix, cmp_best);
    keep_all(wk, 0);
    for (size_t i = 0; i < wk->n_edges && i < n; i++) wk->keep[ix[i]] = 1;
    an_i_free(ix);
    return AN_OK;
}

/* Marks the maximum spanning forest by score in flags (one per edge):
 * igraph's minimum spanning tree on negated scores. */
static an_status spanning_forest(size_t n_nodes, const an_edge *edges, size_t n_edges,
                                 unsigned char *flags, an_error *err) {
    an_status st = AN_OK;
    igraph_t g;
    igraph_vector_int_t el, tree;
    igraph_vector_t w;
    int have_g = 0, have_el = 0, have_tree = 0, have_w = 0;
    memset(flags, 0, n_edges);
    if (n_edges == 0) return AN_OK;
    IG(igraph_vector_int_init(&el, 2 * (igraph_integer_t)n_edges), "spanning tree");
    have_el = 1;
    IG(igraph_vector_init(&w, (igraph_integer_t)n_edges), "spanning tree");
    have_w = 1;
    IG(igraph_vector_int_init(&tree, 0), "spanning tree");
    have_tree = 1;
    for (size_t i = 0; i < n_edges; i++) {
        VECTOR(el)[2 * i] = (igraph_integer_t)edges[i].source;
        VECTOR(el)[2 * i + 1] = (igraph_integer_t)edges[i].target;
        VECTOR(w)[i] = -edges[i].score;
    }
    IG(igraph_create(&g, &el, (igraph_integer_t)n_nodes, IGRAPH_UNDIRECTED), "spanning tree");
    have_g = 1;
    IG(igraph_minimum_spanning_tree(&g, &tree, &w), "spanning tree");
    for (igraph_integer_t i = 0; i < igraph_vector_int_size(&tree); i++)
        flags[VECTOR(tree)[i]] = 1;
done:
    if (have_g) igraph_destroy(&g);
    if (have_tree) igraph_vector_int_destroy(&tree);
    if (have_w) igraph_vector_destroy(&w);
    if (have_el) igraph_vector_int_destroy(&el);
    return st;
}

/* ---- analytics ----------------------------------------------------------- */

/* igraph's PRPACK PageRank opens an OpenMP parallel region. When the other
 * cores are busy its threads spin at the barrier: measured on this project's
 * 2-core machine, the analytics of a 1,228-actor network took 0.8 s of CPU
 * instead of 0.18 s while one other process ran. A co-mention network is far
 * too small to gain from threads, so PageRank runs on one. libgomp is in the
 * process already when igraph was built with OpenMP (it is on Debian); it is
 * looked up, not linked, so builds without it need nothing.
 * omp_single_thread(-1) sets one thread and returns the previous setting
 * (0 when there is no libgomp); omp_single_thread(prev) restores it. */
static int omp_single_thread(int restore) {
    void *lib = dlopen("libgomp.so.1", RTLD_LAZY | RTLD_NOLOAD);
    if (!lib) return 0;
    int prev = 0;
    void *get = dlsym(lib, "omp_get_max_threads"), *set = dlsym(lib, "omp_set_num_threads");
    if (get && set) {
        int (*get_fn)(void);
        void (*set_fn)(int);
        memcpy(&get_fn, &get, sizeof get_fn);
        memcpy(&set_fn, &set, sizeof set_fn);
        if (restore < 0) {
            prev = get_fn();
            set_fn(1);
        } else if (restore > 0) {
            set_fn(restore);
        }
    }
    dlclose(lib);
    return prev;
}

/* Number of Dijkstra sources for betweenness and closeness (docs/measures.md,
 * "Cost and sampling"): every node while n * (n + m) <= AN_PATH_EXACT_WORK,
 * else as many as that work allows, at least AN_PATH_MIN_SOURCES. */
static size_t path_source_count(const an_network_options *o, size_t n, size_t m) {
    if (o->path_sources == AN_PATH_SOURCES_ALL || o->betweenness_cutoff > 0.0) return n;
    if (o->path_sources > 0) return o->path_sources < n ? o->path_sources : n;
    double nn = (double)n, mm = (double)m;
    if (nn * (nn + mm) <= AN_PATH_EXACT_WORK) return n;
    double k = AN_PATH_EXACT_WORK / (nn + mm);
    if (k < AN_PATH_MIN_SOURCES) k = AN_PATH_MIN_SOURCES;
    return k < nn ? (size_t)k : n;
}

static int cmp_igraph_int(const void *a, const void *b) {
    igraph_integer_t x = *(const igraph_integer_t *)a, y = *(const igraph_integer_t *)b;
    return (x > y) - (x < y);
}

static const an_node *g_rank_nodes;

/* by strength, descending; ties: lower index first */
static int cmp_by_strength(const void *a, const void *b) {
    igraph_integer_t x = *(const igraph_integer_t *)a, y = *(const igraph_integer_t *)b;
    double sx = g_rank_nodes[x].strength, sy = g_rank_nodes[y].strength;
    if (sx != sy) return sx < sy ? 1 : -1;
    return (x > y) - (x < y);
}

/* The Dijkstra sources of the path measures: all nodes (k == n), or the h
 * strongest (hubs) and r drawn from the others (rest); see path_begin. */
typedef struct sources {
    size_t n, k, h, r;
    igraph_vector_int_t hubs, rest;
    unsigned char *in_hubs, *in_rest;
    double cutoff; /* igraph: < 0 = none */
} sources;

/* Harmonic closeness into out[n]: exact from all sources, or the sum over
 * the sources s != v of 1/d(s, v), hub terms once, sampled terms times
 * (others not hubs) / (sampled others), divided by n - 1. */
static an_status closeness_values(const igraph_t *g, const igraph_vector_t *dist,
                                  const sources *sr, double *out, an_error *err) {
    an_status st = AN_OK;
    igraph_integer_t nv = (igraph_integer_t)sr->n;
    igraph_vector_t res;
    igraph_matrix_t d;
    int have_res = 0, have_d = 0;
    if (sr->k == sr->n) {
        IG(igraph_vector_init(&res, nv), "harmonic centrality");
        have_res = 1;
        IG(igraph_harmonic_centrality_cutoff(g, &res, igraph_vss_all(), IGRAPH_ALL, dist, 1,
                                             sr->cutoff),
           "harmonic centrality");
        for (igraph_integer_t i = 0; i < nv; i++) out[i] = finite_or_zero(VECTOR(res)[i]);
        goto done;
    }
    IG(igraph_matrix_init(&d, 0, 0), "closeness");
    have_d = 1;
    for (igraph_integer_t i = 0; i < nv; i++) out[i] = 0.0;
    for (int pass = 0; pass < 2; pass++) {
        const igraph_vector_int_t *src = pass ? &sr->rest : &sr->hubs;
        igraph_integer_t ns = igraph_vector_int_size(src);
        if (ns == 0) continue;
        IG(igraph_distances_dijkstra(g, &d, igraph_vss_vector(src), igraph_vss_all(), dist,
                                     IGRAPH_ALL),
           "closeness");
        for (igraph_integer_t i = 0; i < nv; i++) {
            double sum = 0.0;
            for (igraph_integer_t s = 0; s < ns; s++) {
                double x = MATRIX(d, s, i);
                if (VECTOR(*src)[s] != i && x > 0.0 && isfinite(x)) sum += 1.0 / x;
            }
            if (pass) {
                /* the others that are not hubs, and how many of them were drawn */
                double pop = (double)(sr->n - sr->h) - (sr->in_hubs[i] ? 0.0 : 1.0);
                double drawn = (double)sr->r - (sr->in_rest[i] ? 1.0 : 0.0);
                sum = drawn > 0.0 ? sum * pop / drawn : 0.0;
            }
            out[i] += sum;
        }
    }
    for (igraph_integer_t i = 0; i < nv; i++) out[i] = finite_or_zero(out[i] / (double)(nv - 1));
done:
    if (have_d) igraph_matrix_destroy(&d);
    if (have_res) igraph_vector_destroy(&res);
    return st;
}

/* The communities of g into memb (numbered by renumber) and their
 * modularity (resolution 1, whatever resolution found them, so that values
 * compare across runs) into *q; *k: how many. */
static an_status partition(const igraph_t *g, const igraph_vector_t *w,
                           const igraph_vector_t *strength, const an_network_options *o,
                           igraph_vector_int_t *memb, igraph_integer_t *k, double *q,
                           an_error *err) {
    an_status st = communities(g, w, strength, o, memb, err);
    if (st != AN_OK) return st;
    *k = renumber(memb, igraph_vcount(g));
    if (*k < 0) return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "network analytics: out of memory");
    igraph_real_t mq = 0.0;
    IG(igraph_modularity(g, memb, w, 1.0, IGRAPH_UNDIRECTED, &mq), "modularity");
    *q = finite_or_zero(mq);
done:
    return st;
}

/* Who computes the communities when a child process runs (a word in
 * memory shared with it): the first of the two to be done with its own
 * share. The child's share is closeness, the parent's betweenness and the
 * short measures; which is done first depends on the graph (communities
 * outlast closeness at 1 GB of Phoenix counts, take a quarter of it at
 * 100 MB) and on the machine, and the numbers are the same either way. */
enum { PART_FREE = 0, PART_CHILD = 1, PART_PARENT = 2 };

/* Tests only: 1 = only the child may claim the communities, 2 = only the
 * parent (0: the first one done). */
int an_i_partition_claim_test;
/* Tests only: 1 = the child fails after its share (and its claim), without
 * sending it, so that the parent computes everything itself. */
int an_i_analysis_child_fail_test;

static int part_claim(atomic_int *claim, int who) {
    if (!claim || (an_i_partition_claim_test && an_i_partition_claim_test != who)) return 0;
    int expected = PART_FREE;
    return atomic_compare_exchange_strong(claim, &expected, who);
}

/* What the child process sends: closeness[n], a double that is 1 when the
 * partition follows (it claimed it), then the membership[n] and the
 * modularity of the partition. */
typedef struct child_args {
    const igraph_t *g;
    const igraph_vector_t *dist, *w, *strength;
    const an_network_options *o;
    const sources *sr;
    atomic_int *claim;
} child_args;

static size_t child_head_bytes(size_t n) { return (n + 1) * sizeof(double); }

static size_t child_bytes(size_t n) {
    return child_head_bytes(n) + n * sizeof(igraph_integer_t) + sizeof(double);
}

/* Closeness and, when it claims them first, the communities in a child
 * process (igraph is not thread-safe; a forked process has its own copy of
 * everything), read back through a pipe: the returned pid and *fd, or -1
 * when no child could be started. */
static pid_t analysis_fork(const child_args *a, int *fd) {
    int pfd[2];
    if (pipe(pfd) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(pfd[0]);
        close(pfd[1]);
        return -1;
    }
    if (pid == 0) {
        close(pfd[0]);
        size_t n = a->sr->n;
        char *out = malloc(child_bytes(n));
        igraph_vector_int_t memb;
        int ok = out && igraph_vector_int_init(&memb, (igraph_integer_t)n) == IGRAPH_SUCCESS;
        if (ok) {
            igraph_integer_t k = 0;
            double q = 0.0, part = 0.0;
            ok = closeness_values(a->g, a->dist, a->sr, (double *)(void *)out, NULL) == AN_OK;
            if (ok && part_claim(a->claim, PART_CHILD)) {
                part = 1.0;
                ok = partition(a->g, a->w, a->strength, a->o, &memb, &k, &q, NULL) == AN_OK;
            }
            if (an_i_analysis_child_fail_test) ok = 0;
            if (ok) {
                char *p = out + n * sizeof(double);
                memcpy(p, &part, sizeof part);
                p += sizeof part;
                memcpy(p, VECTOR(memb), n * sizeof(igraph_integer_t));
                memcpy(p + n * sizeof(igraph_integer_t), &q, sizeof q);
                ok = an_i_write_all(pfd[1], out, part ? child_bytes(n) : child_head_bytes(n)) == 0;
            }
            igraph_vector_int_destroy(&memb);
        }
        free(out);
        _exit(ok ? 0 : 1); /* no atexit handlers, no stdio flush */
    }
    close(pfd[1]);
    *fd = pfd[0];
    return pid;
}

/* What the child sent into out (child_bytes(n) of room; *part = 1 when the
 * partition is there); 0 when it failed (the caller then computes closeness
 * here, and the communities if the child had claimed them). Always reaps the
 * child; n = 0 just reaps it. */
static int analysis_join(pid_t pid, int fd, size_t n, char *out, int *part) {
    size_t want = n ? child_head_bytes(n) : 0;
    int got_all = an_i_read_all(fd, out, want, -1) == want;
    double flag = 0.0;
    if (got_all && n) memcpy(&flag, out + n * sizeof(double), sizeof flag);
    if (got_all && flag != 0.0) {
        want = child_bytes(n) - child_head_bytes(n);
        got_all = an_i_read_all(fd, out + child_head_bytes(n), want, -1) == want;
    }
    *part = got_all && flag != 0.0;
    close(fd); /* a child still writing gets EPIPE and exits */
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return got_all && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Betweenness and harmonic closeness on 1/weight distances, from all nodes
 * as Dijkstra sources or, with k < n, from a stratified sample of k: the
 * h = k/2 strongest nodes always (they hold the short paths that dominate
 * both sums) and k - h drawn uniformly without replacement from the others
 * with `seed`. Each sum over sources is then estimated without bias
 * (Horvitz-Thompson): hub terms count once, sampled terms (n - h)/(k - h)
 * times, as in the source sampling of Brandes & Pich (2007) and Eppstein &
 * Wang (2004).
 *
 * path_begin chooses the sources and computes betweenness; with
 * o->processes >= 2 it first forks a child that computes closeness
 * meanwhile (analysis_fork), and the communities if it is done before the
 * parent, which does the other measures and then claims the communities
 * itself if they are still free (path_claim); path_end reads back what the
 * child computed (or computes closeness, and tells the caller to compute the
 * communities, when there is no child or it failed). The numbers are the
 * same either way. path_free releases everything, also a child not joined. */
typedef struct path_job {
    sources sr;
    int have_hubs, have_rest;
    pid_t child;
    int child_fd;
    atomic_int *claim; /* shared with the child; NULL without one */
} path_job;

static void path_free(path_job *pj) {
    if (pj->child > 0) {
        int part;
        (void)analysis_join(pj->child, pj->child_fd, 0, NULL, &part); /* not joined: reap it */
        pj->child = -1;
    }
    if (pj->claim) {
        (void)munmap(pj->claim, sizeof *pj->claim);
        pj->claim = NULL;
    }
    if (pj->have_rest) igraph_vector_int_destroy(&pj->sr.rest);
    if (pj->have_hubs) igraph_vector_int_destroy(&pj->sr.hubs);
    pj->have_rest = pj->have_hubs = 0;
    an_i_free(pj->sr.in_hubs);
    an_i_free(pj->sr.in_rest);
    pj->sr.in_hubs = pj->sr.in_rest = NULL;
}

static an_status path_begin(an_network *net, const igraph_t *g, const igraph_vector_t *dist,
                            const igraph_vector_t *w, const igraph_vector_t *strength,
                            const an_network_options *o, path_job *pj, an_error *err) {
    an_status st = AN_OK;
    an_graph_view *v = &net->view;
    size_t n = v->n_nodes;
    igraph_integer_t nv = (igraph_integer_t)n;
    sources *sr = &pj->sr;
    memset(pj, 0, sizeof *pj);
    pj->child = -1;
    pj->child_fd = -1;
    sr->n = n;
    sr->k = path_source_count(o, n, v->n_edges);
    igraph_vector_t res;
    igraph_vector_int_t order;
    int have_res = 0, have_order = 0;

    v->path_sources = sr->k;
    v->path_cutoff = o->betweenness_cutoff > 0.0 ? o->betweenness_cutoff : 0.0;
    sr->cutoff = v->path_cutoff > 0.0 ? v->path_cutoff : -1.0;
    IG(igraph_vector_init(&res, nv), "path measures");
    have_res = 1;
    double norm = (double)(nv - 1) * (double)(nv - 2) / 2.0;

    double scale = 1.0;
    if (sr->k < n) {
        sr->h = sr->k / 2;
        sr->r = sr->k - sr->h; /* 1 <= k < n, so r >= 1 */
        sr->in_hubs = an_i_calloc(n, 1);
        sr->in_rest = an_i_calloc(n, 1);
        if (!sr->in_hubs || !sr->in_rest) {
            st = an_i_error(err, AN_ENOMEM, NULL, 0, 0, "network analytics: out of memory");
            goto done;
        }
        IG(igraph_vector_int_init(&order, nv), "path measures");
        have_order = 1;
        for (igraph_integer_t i = 0; i < nv; i++) VECTOR(order)[i] = i;
        g_rank_nodes = net->nodes;
        qsort(VECTOR(order), n, sizeof(igraph_integer_t), cmp_by_strength);
        /* the others follow the hubs in `order`: draw r of them (partial Fisher-Yates) */
        uint64_t state = o->seed ^ 0x5DEECE66Dull; /* SplitMix64 */
        for (size_t i = sr->h; i < sr->h + sr->r; i++, state += 0x9E3779B97F4A7C15ull) {
            size_t j = i + (size_t)(an_i_mix64(state) % (uint64_t)(n - i));
            igraph_integer_t t = VECTOR(order)[i];
            VECTOR(order)[i] = VECTOR(order)[j];
            VECTOR(order)[j] = t;
        }
        IG(igraph_vector_int_init(&sr->hubs, (igraph_integer_t)sr->h), "path measures");
        pj->have_hubs = 1;
        IG(igraph_vector_int_init(&sr->rest, (igraph_integer_t)sr->r), "path measures");
        pj->have_rest = 1;
        for (size_t i = 0; i < sr->h; i++) VECTOR(sr->hubs)[i] = VECTOR(order)[i];
        for (size_t i = 0; i < sr->r; i++) VECTOR(sr->rest)[i] = VECTOR(order)[sr->h + i];
        qsort(VECTOR(sr->hubs), sr->h, sizeof(igraph_integer_t), cmp_igraph_int);
        qsort(VECTOR(sr->rest), sr->r, sizeof(igraph_integer_t), cmp_igraph_int);
        for (size_t i = 0; i < sr->h; i++) sr->in_hubs[VECTOR(sr->hubs)[i]] = 1;
        for (size_t i = 0; i < sr->r; i++) sr->in_rest[VECTOR(sr->rest)[i]] = 1;
        scale = (double)(n - sr->h) / (double)sr->r;
    }

    if (o->processes >= 2 && nv > 2) {
        void *shared = mmap(NULL, sizeof *pj->claim, PROT_READ | PROT_WRITE,
                            MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (shared != MAP_FAILED) {
            pj->claim = shared;
            atomic_init(pj->claim, PART_FREE);
            child_args ca = {g, dist, w, strength, o, sr, pj->claim};
            pj->child = analysis_fork(&ca, &pj->child_fd);
        }
    }

    if (nv > 2 && sr->k == n) {
        IG(igraph_betweenness_cutoff(g, &res, igraph_vss_all(), IGRAPH_UNDIRECTED, dist,
                                     sr->cutoff),
           "betweenness");
        for (igraph_integer_t i = 0; i < nv; i++)
            net->nodes[i].betweenness = finite_or_zero(VECTOR(res)[i] / norm);
    } else if (nv > 2) {
        for (igraph_integer_t i = 0; i < nv; i++) net->nodes[i].betweenness = 0.0;
        if (sr->h > 0) {
            IG(igraph_betweenness_subset(g, &res, igraph_vss_all(), IGRAPH_UNDIRECTED,
                                         igraph_vss_vector(&sr->hubs), igraph_vss_all(), dist),
               "betweenness");
            for (igraph_integer_t i = 0; i < nv; i++) net->nodes[i].betweenness = VECTOR(res)[i];
        }
        IG(igraph_betweenness_subset(g, &res, igraph_vss_all(), IGRAPH_UNDIRECTED,
                                     igraph_vss_vector(&sr->rest), igraph_vss_all(), dist),
           "betweenness");
        for (igraph_integer_t i = 0; i < nv; i++)
            net->nodes[i].betweenness =
                finite_or_zero((net->nodes[i].betweenness + scale * VECTOR(res)[i]) / norm);
    }
done:
    if (have_order) igraph_vector_int_destroy(&order);
    if (have_res) igraph_vector_destroy(&res);
    return st;
}

/* 1 when the parent is to compute the communities now: a child runs and
 * has not claimed them. */
static int path_claim(path_job *pj) {
    return pj->child > 0 && part_claim(pj->claim, PART_PARENT);
}

/* The igraph graph of the network's edges and their 1/weight distances:
 * made for the analysis, dropped before the eigenvector (the largest moment
 * of the analysis's memory) and made again only when a child process failed
 * and its part is computed here after all. */
typedef struct graph_job {
    igraph_t g;
    igraph_vector_t dist;
    int have_g, have_dist;
} graph_job;

static an_status graph_make(const an_network *net, graph_job *gj, an_error *err) {
    an_status st = AN_OK;
    if (gj->have_g) return AN_OK;
    const an_graph_view *v = &net->view;
    igraph_integer_t nv = (igraph_integer_t)v->n_nodes, ne = (igraph_integer_t)v->n_edges;
    igraph_vector_int_t el;
    IG(igraph_vector_int_init(&el, 2 * ne), "building the graph");
    if (!gj->have_dist) {
        if (igraph_vector_init(&gj->dist, ne) != IGRAPH_SUCCESS) {
            igraph_vector_int_destroy(&el);
            return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "network analytics: out of memory");
        }
        gj->have_dist = 1;
    }
    for (igraph_integer_t k = 0; k < ne; k++) {
        VECTOR(el)[2 * k] = (igraph_integer_t)net->edges[k].source;
        VECTOR(el)[2 * k + 1] = (igraph_integer_t)net->edges[k].target;
        /* weights are similarities: a stronger tie is a shorter path */
        VECTOR(gj->dist)[k] = 1.0 / net->edges[k].weight;
    }
    igraph_error_t code = igraph_create(&gj->g, &el, nv, IGRAPH_UNDIRECTED);
    igraph_vector_int_destroy(&el); /* g has its own copy */
    IG(code, "building the graph");
    gj->have_g = 1;
done:
    return st;
}

static void graph_drop(graph_job *gj) {
    if (gj->have_g) igraph_destroy(&gj->g);
    if (gj->have_dist) igraph_vector_destroy(&gj->dist);
    gj->have_g = gj->have_dist = 0;
}

/* Closeness into the nodes and, when the child sent them, the partition
 * into memb, *k and *q (*have_part = 1); else closeness is computed here and
 * *have_part is left as it was (0: the caller computes the partition). */
static an_status path_end(an_network *net, graph_job *gj, path_job *pj,
                          igraph_vector_int_t *memb, igraph_integer_t *k, double *q,
                          int *have_part, an_error *err) {
    size_t n = pj->sr.n;
    char *buf = an_i_malloc(child_bytes(n ? n : 1));
    if (!buf) return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "network analytics: out of memory");
    double *clo = (double *)(void *)buf;
    int joined = 0, part = 0;
    if (pj->child > 0) {
        joined = analysis_join(pj->child, pj->child_fd, n, buf, &part);
        pj->child = -1;
    }
    an_status st = AN_OK;
    if (!joined) {
        st = graph_make(net, gj, err);
        if (st == AN_OK) st = closeness_values(&gj->g, &gj->dist, &pj->sr, clo, err);
    }
    if (st == AN_OK)
        for (size_t i = 0; i < n; i++) net->nodes[i].closeness = clo[i];
    if (st == AN_OK && part) {
        const char *p = buf + child_head_bytes(n);
        memcpy(VECTOR(*memb), p, n * sizeof(igraph_integer_t));
        memcpy(q, p + n * sizeof(igraph_integer_t), sizeof *q);
        *k = 0;
        for (size_t i = 0; i < n; i++)
            if (VECTOR(*memb)[i] + 1 > *k) *k = VECTOR(*memb)[i] + 1;
        *have_part = 1;
    }
    an_i_free(buf);
    return st;
}

/* The eigenvector centrality into the nodes, without the graph: its
 * component subgraphs and ARPACK are the largest moment of the analysis
 * (1 GB Phoenix counts: 29.6 MB peak with the graph alive), so the graph
 * is dropped first. RNG-using steps seed their own. *eig is scratch the
 * caller frees. */
static an_status eigenvector_last(an_network *net, graph_job *gj, const igraph_vector_int_t *comp,
                                  const igraph_vector_int_t *csize, const igraph_vector_t *w,
                                  const an_network_options *o, double **eig, an_error *err) {
    size_t n = net->view.n_nodes;
    graph_drop(gj);
    *eig = an_i_calloc(n, sizeof **eig);
    if (!*eig) return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "network analytics: out of memory");
    an_status st = eigenvector_by_component((igraph_integer_t)n, comp, csize, w, net->edges,
                                            net->view.n_edges, o->seed, *eig, err);
    if (st != AN_OK) return st;
    for (size_t i = 0; i < n; i++) net->nodes[i].eigenvector = (*eig)[i];
    return AN_OK;
}

static an_status analytics(an_network *net, const an_network_options *o, an_error *err) {
    an_status st = AN_OK;
    an_graph_view *v = &net->view;
    size_t n_nodes = v->n_nodes, n_edges = v->n_edges;
    double *eig = NULL;
    graph_job gj;
    igraph_vector_int_t memb, ivec, csize;
    igraph_vector_t w, res, strength;
    int have_memb = 0, have_w = 0, have_res = 0, have_strength = 0, have_ivec = 0,
        have_csize = 0, have_eig = 0;
    path_job pj;
    memset(&gj, 0, sizeof gj);
    memset(&pj, 0, sizeof pj);
    pj.child = -1;
    pj.child_fd = -1;

    v->modularity = 0.0;
    v->n_communities = n_nodes;
    v->n_components = n_nodes;
    for (size_t i = 0; i < n_nodes; i++) {
        net->nodes[i].community = (int64_t)i;
        net->nodes[i].component = (int64_t)i;
    }
    if (n_nodes == 0) return AN_OK;
    if (n_edges == 0) {
        /* No path, no walk to follow: every measure is 0 except PageRank,
         * which is uniform; every actor is its own community and component. */
        for (size_t i = 0; i < n_nodes; i++) net->nodes[i].pagerank = 1.0 / (double)n_nodes;
        return AN_OK;
    }

    igraph_integer_t nv = (igraph_integer_t)n_nodes, ne = (igraph_integer_t)n_edges;
    IG(igraph_vector_init(&w, ne), "building the graph");
    have_w = 1;
    IG(igraph_vector_init(&res, nv), "building the graph");
    have_res = 1;
    IG(igraph_vector_init(&strength, nv), "building the graph");
    have_strength = 1;
    IG(igraph_vector_int_init(&memb, nv), "building the graph");
    have_memb = 1;
    IG(igraph_vector_int_init(&ivec, nv), "building the graph");
    have_ivec = 1;
    for (igraph_integer_t k = 0; k < ne; k++) VECTOR(w)[k] = net->edges[k].weight;
    for (igraph_integer_t i = 0; i < nv; i++) VECTOR(strength)[i] = net->nodes[i].strength;
    st = graph_make(net, &gj, err);
    if (st != AN_OK) goto done;
    igraph_t *g = &gj.g;

    /* betweenness here, closeness in a child process meanwhile (processes >=
     * 2), the communities in whichever of the two is done first */
    st = path_begin(net, g, &gj.dist, &w, &strength, o, &pj, err);
    if (st != AN_OK) goto done;

    {
        igraph_real_t value = 0.0;
        int omp_prev = omp_single_thread(-1);
        igraph_error_t code = igraph_pagerank(g, IGRAPH_PAGERANK_ALGO_PRPACK, &res, &value,
                                              igraph_vss_all(), IGRAPH_UNDIRECTED, 0.85, &w, NULL);
        (void)omp_single_thread(omp_prev);
        IG(code, "PageRank");
        for (igraph_integer_t i = 0; i < nv; i++)
            net->nodes[i].pagerank = finite_or_zero(VECTOR(res)[i]);
    }

    IG(igraph_coreness(g, &ivec, IGRAPH_ALL), "coreness");
    for (igraph_integer_t i = 0; i < nv; i++) net->nodes[i].coreness = VECTOR(ivec)[i];

    IG(igraph_transitivity_local_undirected(g, &res, igraph_vss_all(), IGRAPH_TRANSITIVITY_ZERO),
       "clustering");
    for (igraph_integer_t i = 0; i < nv; i++)
        net->nodes[i].clustering = finite_or_zero(VECTOR(res)[i]);

    {
        igraph_integer_t n_comp = 0;
        IG(igraph_vector_int_init(&csize, 0), "components");
        have_csize = 1;
        IG(igraph_connected_components(g, &ivec, &csize, &n_comp, IGRAPH_WEAK), "components");
        /* number components by their first node, whatever igraph's order
         * (ivec and csize keep igraph's numbering for the eigenvector) */
        igraph_integer_t *first = an_i_calloc((size_t)n_comp + 1, sizeof *first);
        if (!first) goto oom;
        for (igraph_integer_t c = 0; c < n_comp; c++) first[c] = -1;
        igraph_integer_t next = 0;
        for (igraph_integer_t i = 0; i < nv; i++) {
            igraph_integer_t c = VECTOR(ivec)[i];
            if (first[c] < 0) first[c] = next++;
            net->nodes[i].component = first[c];
        }
        an_i_free(first);
        v->n_components = (size_t)n_comp;
    }

    {
        igraph_integer_t k = 0;
        double q = 0.0;
        int have_part = 0;
        if (path_claim(&pj)) {
            st = partition(g, &w, &strength, o, &memb, &k, &q, err);
            if (st != AN_OK) goto done;
            have_part = 1;
        }
        if (pj.child > 0) {
            /* The child is still at work: the eigenvector meanwhile. */
            st = eigenvector_last(net, &gj, &ivec, &csize, &w, o, &eig, err);
            if (st != AN_OK) goto done;
            have_eig = 1;
        }
        st = path_end(net, &gj, &pj, &memb, &k, &q, &have_part, err);
        if (st == AN_OK && !have_part) {
            st = graph_make(net, &gj, err); /* dropped for the eigenvector */
            if (st == AN_OK) st = partition(&gj.g, &w, &strength, o, &memb, &k, &q, err);
        }
        if (st != AN_OK) goto done;
        v->n_communities = (size_t)k;
        for (igraph_integer_t i = 0; i < nv; i++) net->nodes[i].community = VECTOR(memb)[i];
        v->modularity = q;
    }
    if (!have_eig) {
        st = eigenvector_last(net, &gj, &ivec, &csize, &w, o, &eig, err);
        if (st != AN_OK) goto done;
    }
    goto done;
oom:
    st = an_i_error(err, AN_ENOMEM, NULL, 0, 0, "network analytics: out of memory");
done:
    path_free(&pj);
    graph_drop(&gj);
    if (have_ivec) igraph_vector_int_destroy(&ivec);
    if (have_csize) igraph_vector_int_destroy(&csize);
    if (have_memb) igraph_vector_int_destroy(&memb);
    if (have_strength) igraph_vector_destroy(&strength);
    if (have_res) igraph_vector_destroy(&res);
    if (have_w) igraph_vector_destroy(&w);
    an_i_free(eig);
    return st;
}

/* ---- build --------------------------------------------------------------- */

/* drop: c itself, to drop its pairs once the edges are made (or NULL). */
static an_status build(const an_counts *c, an_counts *drop, const an_gazetteer *gz,
                       const an_network_options *o, an_network **out, an_error *err) {
    an_status st = AN_OK;
    an_network *net = NULL;
    size_t n_actors = an_counts_actor_count(c);
    size_t *node_of = NULL, *renum = NULL;
    an_pair_counts *pairs = NULL;
    size_t n_pairs = 0;
    work wk;
    memset(&wk, 0, sizeof wk);

    if (n_actors > an_gazetteer_actor_count(gz))
        return an_i_error(err, AN_EINVAL, NULL, 0, 0,
                          "counts refer to %zu actors but the gazetteer has %zu", n_actors,
                          an_gazetteer_actor_count(gz));

    net = an_i_calloc(1, sizeof *net);
    node_of = an_i_calloc(n_actors ? n_actors : 1, sizeof *node_of);
    if (!net || !node_of) goto oom;

    /* nodes: every actor with a mention, in actor order */
    size_t n_nodes = 0, str_bytes = 0;
    for (size_t a = 0; a < n_actors; a++) {
        node_of[a] = SIZE_MAX;
        if (an_counts_actor(c, a).mentions == 0) continue;
        an_actor_info info;
        if (an_gazetteer_actor(gz, a, &info) != AN_OK) {
            st = an_i_error(err, AN_EINVAL, NULL, 0, 0, "actor %zu not in the gazetteer", a);
            goto done;
        }
        str_bytes += strlen(info.id) + strlen(info.label) + strlen(info.type) + 3;
        node_of[a] = n_nodes++;
    }
    net->nodes = an_i_calloc(n_nodes ? n_nodes : 1, sizeof *net->nodes);
    net->strings = an_i_malloc(str_bytes ? str_bytes : 1);
    if (!net->nodes || !net->strings) goto oom;
    {
        char *p = net->strings;
        for (size_t a = 0; a < n_actors; a++) {
            if (node_of[a] == SIZE_MAX) continue;
            an_node *nd = &net->nodes[node_of[a]];
            an_actor_info info;
            (void)an_gazetteer_actor(gz, a, &info); /* checked above */
            an_actor_counts ac = an_counts_actor(c, a);
            nd->actor = a;
            nd->mentions = ac.mentions;
            nd->windows = ac.windows;
            nd->documents = ac.documents;
            const char *src[3] = {info.id, info.label, info.type};
            const char **dst[3] = {&nd->id, &nd->label, &nd->type};
            for (int k = 0; k < 3; k++) {
                size_t len = strlen(src[k]);
                memcpy(p, src[k], len + 1);
                *dst[k] = p;
                p += len + 1;
            }
        }
    }

    /* candidate edges: every counted pair, in (a, b) order, which is
     * (source, target) order because node numbers follow actor order */
    st = an_counts_pairs(c, &pairs, &n_pairs);
    if (st != AN_OK) goto oom;
    net->edges = an_i_calloc(n_pairs ? n_pairs : 1, sizeof *net->edges);
    wk.keep = an_i_calloc(n_pairs ? n_pairs : 1, 1);
    wk.deg = an_i_calloc(n_nodes ? n_nodes : 1, sizeof *wk.deg);
    if (!net->edges || !wk.keep || !wk.deg) goto oom;
    double n_windows = (double)an_counts_windows(c);
    for (size_t i = 0; i < n_pairs; i++) {
        const an_pair_counts *pc = &pairs[i];
        if (pc->a >= n_actors || pc->b >= n_actors || node_of[pc->a] == SIZE_MAX ||
            node_of[pc->b] == SIZE_MAX) {
            st = an_i_error(err, AN_EINVAL, NULL, 0, 0,
                            "inconsistent counts: pair (%zu, %zu) of an unmentioned actor",
                            pc->a, pc->b);
            goto done;
        }
        an_edge *e = &net->edges[i];
        e->source = node_of[pc->a];
        e->target = node_of[pc->b];
        e->windows = pc->windows;
        e->documents = pc->documents;
        /* margins: windows naming the actor (mentions for token windows) */
        e->score = an_measure_score(o->measure, pc->weighted,
                                    (double)net->nodes[e->source].windows,
                                    (double)net->nodes[e->target].windows, n_windows);
    }
    /* the edges hold what is needed of the pairs from here on */
    an_counts_pairs_free(pairs);
    pairs = NULL;
    if (drop) (void)an_counts_drop_pairs(drop);
    wk.net = net;
    wk.n_nodes = n_nodes;
    wk.edges = net->edges;
    wk.n_edges = n_pairs;
    count_degrees(&wk);

    char detail[64];
    uint64_t min_count = o->min_count ? o->min_count : 1;
    if (min_count > 1) {
        for (size_t i = 0; i < wk.n_edges; i++) wk.keep[i] = wk.edges[i].windows >= min_count;
        snprintf(detail, sizeof detail, "min_count=%llu", (unsigned long long)min_count);
        apply_step(&wk, "min_count", detail);
    }
    if (o->measure == AN_MEASURE_PMI || o->measure == AN_MEASURE_NPMI ||
        o->measure == AN_MEASURE_LLR) {
        for (size_t i = 0; i < wk.n_edges; i++) wk.keep[i] = wk.edges[i].score > 0.0;
        apply_step(&wk, "positive_score", "score>0");
    } else {
        /* similarity scores of a counted pair are > 0 (0 only if the
         * counts are inconsistent); never let such an edge through */
        for (size_t i = 0; i < wk.n_edges; i++) wk.keep[i] = wk.edges[i].score > 0.0;
        size_t before = wk.n_steps;
        apply_step(&wk, "positive_score", "score>0");
        if (wk.steps[before].edges_removed == 0) wk.n_steps = before;
    }
    if (o->min_weight > 0.0) {
        for (size_t i = 0; i < wk.n_edges; i++) wk.keep[i] = wk.edges[i].score >= o->min_weight;
        snprintf(detail, sizeof detail, "min_weight=%g", o->min_weight);
        apply_step(&wk, "min_weight", detail);
    }
    if (o->disparity_alpha > 0.0) {
        if (disparity(&wk, o->disparity_alpha) != AN_OK) goto oom;
        snprintf(detail, sizeof detail, "alpha=%g", o->disparity_alpha);
        apply_step(&wk, "disparity", detail);
    }
    if (o->top_k > 0) {
        if (top_k(&wk, o->top_k) != AN_OK) goto oom;
        snprintf(detail, sizeof detail, "k=%zu", o->top_k);
        apply_step(&wk, "top_k", detail);
    }
    if (o->top_n > 0) {
        if (top_n(&wk, o->top_n) != AN_OK) goto oom;
        snprintf(detail, sizeof detail, "n=%zu", o->top_n);
        apply_step(&wk, "top_n", detail);
    }
    st = spanning_forest(n_nodes, wk.edges, wk.n_edges, wk.keep, err);
    if (st != AN_OK) goto done;
    for (size_t i = 0; i < wk.n_edges; i++) wk.edges[i].in_mst = wk.keep[i];
    if (o->mst_only) apply_step(&wk, "mst_only", "maximum spanning forest");

    /* actors without edges: keep (isolated) or drop and renumber */
    if (o->drop_isolated) {
        renum = an_i_calloc(n_nodes ? n_nodes : 1, sizeof *renum);
        if (!renum) goto oom;
        size_t k = 0;
        for (size_t i = 0; i < n_nodes; i++) {
            renum[i] = k;
            if (wk.deg[i] > 0) net->nodes[k++] = net->nodes[i];
        }
        for (size_t i = 0; i < wk.n_edges; i++) {
            wk.edges[i].source = renum[wk.edges[i].source];
            wk.edges[i].target = renum[wk.edges[i].target];
        }
        an_filter_step *s = &wk.steps[wk.n_steps++];
        s->name = "drop_isolated";
        snprintf(s->detail, sizeof s->detail, "degree=0");
        s->edges_removed = 0;
        s->actors_removed = n_nodes - k;
        n_nodes = k;
    }

    for (size_t i = 0; i < wk.n_edges; i++) {
        an_edge *e = &wk.edges[i];
        e->weight = e->score;
        net->nodes[e->source].degree++;
        net->nodes[e->target].degree++;
        net->nodes[e->source].strength += e->weight;
        net->nodes[e->target].strength += e->weight;
    }
    memcpy(net->steps, wk.steps, sizeof wk.steps);

    an_graph_view *v = &net->view;
    v->n_nodes = n_nodes;
    v->nodes = net->nodes;
    v->n_edges = wk.n_edges;
    v->edges = net->edges;
    v->edges_before_filters = n_pairs;
    v->n_filter_steps = wk.n_steps;
    v->filter_steps = net->steps;
    v->documents = an_counts_documents(c);
    v->bytes = an_counts_bytes(c);
    v->mentions = an_counts_mentions(c);
    v->windows = an_counts_windows(c);
    {
        an_count_options co = an_counts_options(c);
        if (co.window == AN_WINDOW_TOKENS)
            snprintf(net->window_name, sizeof net->window_name, "tokens:%lu",
                     (unsigned long)co.tokens);
        else
            snprintf(net->window_name, sizeof net->window_name, "%s",
                     an_window_name(co.window));
        v->window = net->window_name;
    }
    v->measure = an_measure_name(o->measure);
    v->community_algo = o->community == AN_COMMUNITY_LEIDEN ? "leiden" : "louvain";
    v->seed = o->seed;
    v->resolution = o->resolution;

    st = analytics(net, o, err);
    if (st != AN_OK) goto done;

    *out = net;
    net = NULL;
    st = AN_OK;
    goto done;
oom:
    st = an_i_error(err, AN_ENOMEM, NULL, 0, 0, "building the network: out of memory");
done:
    an_i_free(wk.keep);
    an_i_free(wk.deg);
    an_i_free(renum);
    an_counts_pairs_free(pairs);
    an_i_free(node_of);
    an_network_destroy(net);
    return st;
}

static an_status build_checked(const an_counts *c, an_counts *drop, const an_gazetteer *gz,
                               const an_network_options *opts, an_network **out,
                               an_error *err) {
    if (!c || !gz || !out)
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "an_network_build: NULL argument");
    if (an_i_counts_pairs_dropped(c))
        return an_i_error(err, AN_EINVAL, NULL, 0, 0,
                          "an_network_build: these counts have dropped their pairs");
    an_network_options o;
    an_network_options_init(&o);
    if (opts) o = *opts;
    if (o.community != AN_COMMUNITY_LOUVAIN && o.community != AN_COMMUNITY_LEIDEN)
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "unknown community algorithm %d",
                          (int)o.community);
    if (!an_measure_name(o.measure))
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "unknown measure %d", (int)o.measure);
    if (!isfinite(o.resolution) || o.resolution < 0.0)
        return an_i_error(err, AN_EINVAL, NULL, 0, 0,
                          "resolution must be a finite number >= 0, not %g", o.resolution);
    if (!isfinite(o.min_weight) || !isfinite(o.betweenness_cutoff) || o.betweenness_cutoff < 0.0)
        return an_i_error(err, AN_EINVAL, NULL, 0, 0,
                          "min_weight and betweenness_cutoff must be finite (cutoff >= 0)");
    if (!isfinite(o.disparity_alpha) || o.disparity_alpha < 0.0 || o.disparity_alpha > 1.0)
        return an_i_error(err, AN_EINVAL, NULL, 0, 0,
                          "disparity alpha must lie in [0, 1] (0 = off), not %g",
                          o.disparity_alpha);

    g_reason[0] = '\0';
    igraph_error_handler_t *prev_error = igraph_set_error_handler(on_igraph_error);
    igraph_warning_handler_t *prev_warning = igraph_set_warning_handler(on_igraph_warning);
    an_status st = build(c, drop, gz, &o, out, err);
    igraph_set_warning_handler(prev_warning);
    igraph_set_error_handler(prev_error);
    return st;
}

AN_EXPORT an_status an_network_build(const an_counts *c, const an_gazetteer *gz,
                                     const an_network_options *opts, an_network **out,
                                     an_error *err) {
    return build_checked(c, NULL, gz, opts, out, err);
}

AN_EXPORT an_status an_network_build_dropping_pairs(an_counts *c, const an_gazetteer *gz,
                                                    const an_network_options *opts,
                                                    an_network **out, an_error *err) {
    return build_checked(c, c, gz, opts, out, err);
}
