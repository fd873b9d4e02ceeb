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

/* DOT written through cgraph (before layout: no positions). */
AN_EXPORT an_status an_render_dot(const an_graph_view *v, const an_render_options *o, FILE *out,
                                  an_error *err);
/* Laid out and rendered through gvc; format is "svg", "png" or "pdf". */
AN_EXPORT an_status an_render_image(const an_graph_view *v, const an_render_options *o,
                                    const char *format, FILE *out, an_error *err);

typedef struct an_report_options {
    const char *title;              /* NULL = "actornet report" */
    const char *const *inputs;      /* input names, for the summary */
    size_t n_inputs;
    const char *gazetteer;          /* description of the gazetteer(s) used */
    size_t gazetteer_actors, gazetteer_aliases;
    size_t top;                     /* rows per "top" list; 0 = 10 */
} an_report_options;

AN_EXPORT void an_report_options_init(an_report_options *o);

/* Markdown report: corpus summary, centrality table per actor, communities, strongest edges. */
AN_EXPORT an_status an_report_markdown(const an_graph_view *v, const an_report_options *o,
                                       FILE *out, an_error *err);
/* CSV: one row per actor with every measure (RFC 4180 quoting). */
AN_EXPORT an_status an_report_csv_nodes(const an_graph_view *v, FILE *out, an_error *err);
/* CSV: one row per edge. */
AN_EXPORT an_status an_report_csv_edges(const an_graph_view *v, FILE *out, an_error *err);

#ifdef __cplusplus
}
#endif
#endif
