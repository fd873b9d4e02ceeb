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

typedef struct an_network_options {
    uint64_t min_count;          /* drop edges with fewer co-mention windows (default 1) */
    uint64_t seed;               /* random seed for communities (default 1) */
    an_community_algo community;
    double resolution;           /* modularity resolution (default 1.0) */
} an_network_options;

/* Defaults: min_count 1, seed 1, Louvain, resolution 1. */
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
} an_node;

typedef struct an_edge {
    size_t source, target;   /* node indices, source < target */
    uint64_t windows;        /* co-mention windows */
    uint64_t documents;
    double weight;           /* the weight used for analytics (= windows for now) */
} an_edge;

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
} an_graph_view;

typedef struct an_network an_network;

/* Every actor with at least one mention becomes a node (isolated ones too).
 * opts may be NULL (defaults). */
AN_EXPORT an_status an_network_build(const an_counts *c, const an_gazetteer *gz,
                                     const an_network_options *opts, an_network **out,
                                     an_error *err);
AN_EXPORT void an_network_destroy(an_network *n);

/* Valid as long as the network lives. */
AN_EXPORT const an_graph_view *an_network_view(const an_network *n);

#ifdef __cplusplus
}
#endif
#endif
