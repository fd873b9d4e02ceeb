/* actornet — maps (Graphviz) and reports/exports of an an_graph_view.
 *
 * Every writer writes to a FILE * the caller owns and checks ferror() itself;
 * the CLI writes to a temporary file and renames it on success, so a failed
 * run leaves no half-written output. Graphviz is not thread-safe.
 */
#ifndef ACTORNET_RENDER_H
#define ACTORNET_RENDER_H

#include <stdio.h>

#include "common.h"
#include "evidence.h"
#include "network.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct an_render_options {
    const char *layout;   /* Graphviz engine; NULL = chosen by size (neato small, sfdp large) */
    size_t max_nodes;     /* draw at most this many actors (by PageRank); 0 = 150 */
    const char *title;    /* graph label; NULL = none */
    uint64_t seed;        /* layout seed (default 1) */
} an_render_options;

AN_EXPORT void an_render_options_init(an_render_options *o);

/* 1 when this library draws maps (built with Graphviz), 0 when it was built with
 * -Dgraphviz=disabled: then an_render_dot/an_render_image return AN_ERENDER and
 * every other output still works. */
AN_EXPORT int an_render_available(void);

/* DOT written through cgraph (before layout: no positions). */
AN_EXPORT an_status an_render_dot(const an_graph_view *v, const an_render_options *o, FILE *out,
                                  an_error *err);
/* Laid out and rendered through gvc; format is "svg", "png" or "pdf". */
AN_EXPORT an_status an_render_image(const an_graph_view *v, const an_render_options *o,
                                    const char *format, FILE *out, an_error *err);
/* One layout rendered in n formats: formats[i] to outs[i], each what an_render_image
 * writes for it (the layout is done once). On an error, the outs before the failing
 * one are written. */
AN_EXPORT an_status an_render_images(const an_graph_view *v, const an_render_options *o,
                                     const char *const *formats, FILE *const *outs, size_t n,
                                     an_error *err);

typedef struct an_report_options {
    const char *title;              /* NULL = "actornet report" */
    const char *const *inputs;      /* input names, for the summary */
    size_t n_inputs;
    const char *gazetteer;          /* description of the gazetteer(s) used */
    size_t gazetteer_actors, gazetteer_aliases;
    size_t top;                     /* rows per "top" list; 0 = 10 */
    /* ---- added with exports and evidence; NULL = section left out ---- */
    const an_counts *counts;        /* the counts the view was built from: "aliases that
                                       fired most" (needs gz too) */
    const an_gazetteer *gz;         /* the gazetteer of the counts (alias texts) */
    const an_evidence *evidence;    /* one sentence per strongest edge; the HTML report's
                                       side panel (actor indices as in an_node.actor) */
} an_report_options;

AN_EXPORT void an_report_options_init(an_report_options *o);

/* Markdown report: corpus summary, centrality table per actor, communities, strongest edges. */
AN_EXPORT an_status an_report_markdown(const an_graph_view *v, const an_report_options *o,
                                       FILE *out, an_error *err);
/* CSV: one row per actor with every measure (RFC 4180 quoting). */
AN_EXPORT an_status an_report_csv_nodes(const an_graph_view *v, FILE *out, an_error *err);
/* CSV: one row per edge. */
AN_EXPORT an_status an_report_csv_edges(const an_graph_view *v, FILE *out, an_error *err);

/* ---- exports (graph/export.c) ------------------------------------------
 * Deterministic (the same view gives the same bytes), every text escaped:
 * XML gets & < > " ' as entities, tab/LF/CR as character references, other
 * control characters, U+FFFE/U+FFFF dropped and invalid UTF-8 as U+FFFD;
 * JSON is RFC 8259 with invalid UTF-8 as \ufffd. Node ids are the actor ids.
 * Numbers use '.' whatever the locale; an undefined measure is NaN in
 * GraphML/GEXF and null in JSON. AN_EINVAL for a bad view, AN_EIO on a
 * write error (ferror), AN_ENOMEM. Time: O(nodes + edges). */

/* GraphML with typed keys: node id, label, type, mentions, windows,
 * documents, degree, strength, betweenness, closeness, pagerank,
 * eigenvector, coreness, clustering, component, community; edge windows,
 * documents, weight, score, in_mst; graph-level summary keys. Readable by
 * networkx, Gephi, yEd, Cytoscape, igraph. */
AN_EXPORT an_status an_export_graphml(const an_graph_view *v, FILE *out, an_error *err);

/* GEXF 1.3 (static graph) with the same attributes; edge weight = weight. */
AN_EXPORT an_status an_export_gexf(const an_graph_view *v, FILE *out, an_error *err);

/* GEXF 1.3 dynamic graph (timeformat="date"): the nodes and edges of total
 * with their totals as static attributes, plus per period a spell and the
 * dynamic attributes "mentions" (nodes) and "windows"/"weight" (edges) for
 * every period view in which the actor / pair appears (matched by
 * an_node.actor). period_names are period keys (2016-09-28, 2016-W39,
 * 2016-09, 2016-Q3, 2016); "undated" periods are left out of the time line.
 * AN_EINVAL for a key that is none of these. n = 0 writes a static file. */
AN_EXPORT an_status an_export_gexf_dynamic(const an_graph_view *total,
                                           const char *const *period_names,
                                           const an_graph_view *const *periods, size_t n,
                                           FILE *out, an_error *err);

/* JSON node-link (networkx node_link_data shape, read by d3 and
 * Cytoscape.js after mapping): {"directed":false,"multigraph":false,
 * "graph":{summary},"nodes":[{"id":..,...measures}],"links":[{"source":id,
 * "target":id,"windows":..,...}]}. */
AN_EXPORT an_status an_export_json(const an_graph_view *v, FILE *out, an_error *err);

/* ---- more reports --------------------------------------------------------- */

/* The Markdown report's content as one JSON object: summary, filters,
 * actors (every measure), top lists, communities, strongest edges (with an
 * evidence record each when o->evidence), aliases that fired most (when
 * o->counts and o->gz). */
AN_EXPORT an_status an_report_json(const an_graph_view *v, const an_report_options *o, FILE *out,
                                   an_error *err);

/* One self-contained HTML file (inline CSS and JS, nothing fetched): the
 * SVG map from an_render_image(v, .., "svg") inlined (svg may be NULL; it is
 * sanitised: no <script>, <foreignObject>, on* attributes or javascript:
 * links survive; the <title> of each node/edge group, "n<index>" or
 * "n<i>--n<j>", ties it to the data), sortable actor and edge tables, and a
 * side panel with the evidence (mentions highlighted) of a clicked actor or
 * edge. Data is embedded as JSON in <script type="application/json"> with <
 * > & escaped. Deterministic. */
AN_EXPORT an_status an_report_html(const an_graph_view *v, const an_report_options *o,
                                   const char *svg, size_t svg_len, FILE *out, an_error *err);

#ifdef __cplusplus
}
#endif
#endif
