/* actornet — the actor network (igraph inside) and its analytics.
 *
 * an_network_build() turns counts into a weighted undirected graph, computes
 * every centrality and the communities, and exposes the result as plain data
 * (an_graph_view) that renderers and reports read. No igraph type leaks out.
 * igraph is not thread-safe: call this from one thread.
 */
#ifndef ACTORNET_NETWORK_H
#define ACTORNET_NETWORK_H

#include "common.h"
#include "cooc.h"
#include "gazetteer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum an_community_algo {
    AN_COMMUNITY_LOUVAIN = 0, /* igraph_community_multilevel (modularity) */
    AN_COMMUNITY_LEIDEN = 1   /* igraph_community_leiden with a modularity objective */
} an_community_algo;

/* Edge score computed from the pair count c_ab, the actor margins c_a, c_b
 * and the number of windows N (formulas: docs/measures.md). */
typedef enum an_measure {
    AN_MEASURE_COUNT = 0,       /* c_ab */
    AN_MEASURE_JACCARD = 1,     /* c_ab / (c_a + c_b - c_ab) */
    AN_MEASURE_DICE = 2,        /* 2 c_ab / (c_a + c_b) */
    AN_MEASURE_COSINE = 3,      /* c_ab / sqrt(c_a c_b) (Salton) */
    AN_MEASURE_INCLUSION = 4,   /* c_ab / min(c_a, c_b) (Simpson) */
    AN_MEASURE_ASSOCIATION = 5, /* c_ab N / (c_a c_b): observed / expected */
    AN_MEASURE_PMI = 6,         /* log2 of ASSOCIATION; edges with score <= 0 dropped */
    AN_MEASURE_NPMI = 7,        /* PMI / -log2(c_ab / N); edges with score <= 0 dropped */
    AN_MEASURE_LLR = 8          /* Dunning's G2, edges where c_ab <= expected dropped */
} an_measure;

/* "count", "jaccard", "dice", "cosine", "inclusion", "association", "pmi",
 * "npmi", "llr"; NULL for unknown values. */
AN_EXPORT const char *an_measure_name(an_measure m);
/* Inverse of an_measure_name; AN_EINVAL for unknown names. */
AN_EXPORT an_status an_measure_parse(const char *name, an_measure *out);
/* The score of one pair (docs/measures.md). c_ab is first clamped to
 * min(c_a, c_b) and N raised to c_a + c_b - c_ab where needed, so the 2x2
 * table is valid. Never NaN: undefined cases give 0. */
AN_EXPORT double an_measure_score(an_measure m, double c_ab, double c_a, double c_b, double n);

typedef struct an_network_options {
    uint64_t min_count;          /* drop edges with fewer co-mention windows (default 1) */
    uint64_t seed;               /* random seed for communities (default 1) */
    an_community_algo community;
    double resolution;           /* modularity resolution (default 1.0) */
    /* ---- added with measures, filters and cutoffs; the filters run in
     * this order, each on what the previous ones left (docs/measures.md) ---- */
    an_measure measure;          /* edge score (default COUNT) */
    double min_weight;           /* > 0: drop edges whose score < min_weight */
    double disparity_alpha;      /* > 0: disparity-filter backbone at this level (e.g. 0.05) */
    size_t top_k;                /* > 0: keep an edge if it is among the k best of either end */
    size_t top_n;                /* > 0: keep the n best edges (ties: lower (source, target)) */
    int mst_only;                /* non-zero: keep only the maximum spanning forest */
    int drop_isolated;           /* non-zero: remove actors left without edges */
    /* Sources of the Dijkstra runs behind betweenness and closeness:
     * 0 = automatic (every node while n * (n + m) <= AN_PATH_EXACT_WORK,
     * else that work's worth of sampled sources, at least AN_PATH_MIN_SOURCES);
     * AN_PATH_SOURCES_ALL = exact; k = a seeded sample of k sources
     * (docs/measures.md, "Cost and sampling"). */
    size_t path_sources;
    double betweenness_cutoff;   /* > 0: only paths up to this length (1/score units);
                                    implies all sources; 0 = no cutoff */
    /* >= 2: closeness and the communities (with their modularity) are
     * computed in a forked child process while this one computes
     * betweenness and the other measures, and read back through a pipe
     * (igraph is not thread-safe; a process is). The numbers are the same;
     * if the child cannot be started or fails, this process computes them.
     * 0 or 1: no child (default). Call from a process with no other threads
     * running. */
    unsigned processes;
} an_network_options;

#define AN_PATH_SOURCES_ALL SIZE_MAX
#define AN_PATH_EXACT_WORK 2.5e6
#define AN_PATH_MIN_SOURCES 50

/* Defaults: min_count 1, seed 1, Louvain, resolution 1, COUNT, no filters. */
AN_EXPORT void an_network_options_init(an_network_options *o);

typedef struct an_node {
    size_t actor;            /* actor index in the gazetteer */
    const char *id, *label, *type;
    uint64_t mentions, windows, documents;
    int64_t degree;          /* number of neighbours */
    double strength;         /* sum of edge weights */
    double betweenness;      /* weighted, distance = 1/weight, normalised to [0,1] */
    double closeness;        /* harmonic centrality on 1/weight distances, normalised */
    double pagerank;         /* damping 0.85, weighted */
    double eigenvector;      /* weighted, scaled to max 1; 0 for isolated actors */
    int64_t community;       /* 0-based, numbered by decreasing size then first node */
    /* ---- added ---- */
    int64_t coreness;        /* k-core number (unweighted); 0 for isolated actors */
    double clustering;       /* local clustering coefficient (unweighted); 0 when degree < 2 */
    int64_t component;       /* connected component, 0-based, numbered by first node */
} an_node;

typedef struct an_edge {
    size_t source, target;   /* node indices, source < target */
    uint64_t windows;        /* co-mention windows */
    uint64_t documents;
    double weight;           /* the weight used for analytics (= score) */
    /* ---- added ---- */
    double score;            /* the measure (an_network_options.measure); > 0 */
    int in_mst;              /* non-zero: in the maximum spanning forest (by score) */
} an_edge;

/* One filter that ran, in order. */
typedef struct an_filter_step {
    const char *name;        /* "min_count", "positive_score", "min_weight", "disparity",
                                "top_k", "top_n", "mst_only", "drop_isolated" */
    char detail[64];         /* its parameter, e.g. "alpha=0.05" */
    size_t edges_removed;
    size_t actors_removed;   /* actors this step left without edges (removed only by
                                drop_isolated, whose own count is the actors removed) */
} an_filter_step;

typedef struct an_graph_view {
    size_t n_nodes;
    const an_node *nodes;    /* sorted by actor index */
    size_t n_edges;
    const an_edge *edges;    /* sorted by (source, target) */
    size_t n_communities;
    double modularity;       /* 0 when the graph has no edge */
    /* corpus summary */
    uint64_t documents, bytes, mentions, windows;
    const char *window;      /* "sentence", ... */
    const char *community_algo; /* "louvain" / "leiden" */
    uint64_t seed;
    /* ---- added ---- */
    const char *measure;     /* an_measure_name() */
    size_t n_components;     /* connected components, isolated actors included */
    size_t path_sources;     /* sources behind betweenness and closeness: n_nodes = exact,
                                fewer = estimated from a sample (docs/measures.md) */
    double path_cutoff;      /* path-length cutoff (distance units), 0 = none */
    size_t n_filter_steps;
    const an_filter_step *filter_steps;
    size_t edges_before_filters; /* pairs counted, before any filter */
    double resolution;       /* resolution of the community detection; the Markdown and
                                HTML reports name it when it is neither 1 nor 0 (0: a
                                view built by hand), report.json always gives it */
} an_graph_view;

typedef struct an_network an_network;

/* Every actor with at least one mention becomes a node (isolated ones too,
 * unless drop_isolated).
 * opts may be NULL (defaults). AN_EINVAL for counts whose pairs were
 * dropped (an_counts_drop_pairs). */
AN_EXPORT an_status an_network_build(const an_counts *c, const an_gazetteer *gz,
                                     const an_network_options *opts, an_network **out,
                                     an_error *err);
/* As an_network_build, for a caller that needs the pairs of c no more (it
 * may keep c for its margins and alias hits, as actornet map's report
 * does): they are dropped (an_counts_drop_pairs) as soon as the edges are
 * made, before the analysis, which is the peak memory of a large network.
 * On failure the pairs may be gone too. */
AN_EXPORT an_status an_network_build_dropping_pairs(an_counts *c, const an_gazetteer *gz,
                                                    const an_network_options *opts,
                                                    an_network **out, an_error *err);
AN_EXPORT void an_network_destroy(an_network *n);

/* Valid as long as the network lives. */
AN_EXPORT const an_graph_view *an_network_view(const an_network *n);

#ifdef __cplusplus
}
#endif
#endif
