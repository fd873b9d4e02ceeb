/* actornet — maps through Graphviz 2.42 (cgraph builds the graph, gvc lays it out).
 *
 * This is the only file that talks to cgraph/gvc, so the (char *) casts that
 * Graphviz's prototypes need stay here.
 *
 * Escaping (see the Graphviz notes of the project): agwrite quotes `"` but not
 * `\`, labels expand `\N`-style escapes once and tooltips twice, entities are
 * decoded, and control characters make the SVG invalid. So node names are
 * ASCII (n0, n1, ... = node index in the view), and every user string goes
 * through dot_escape(): `\` doubled (quadrupled in tooltips), `&` as `&amp;`,
 * newline as the `\n` escape, tab as a space, invalid UTF-8 as U+FFFD, other
 * control characters, U+FFFE and U+FFFF dropped. Labels are never HTML labels.
 *
 * One GVC for the whole process, created on the first an_render_image() and
 * never freed. A GVC per call is not safe with 2.42: the pango plugin caches a
 * pointer to a font name owned by the context, so the first text measured
 * after gvFreeContext() + gvContext() reads freed memory (ASan:
 * heap-use-after-free in textspan_size). The context stays reachable, so no
 * leak is reported; like everything in Graphviz it is not thread-safe.
 * Graphviz's error reporter is redirected for the duration of each call, so
 * nothing is printed; messages end up in an_error.
 *
 * gvRender() to the caller's FILE * is not used either: Graphviz's writer
 * calls exit(1) when fwrite fails. gvRenderData() renders to memory and we
 * write that with a checked fwrite.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include "actornet/render.h"
#include "core/internal.h"
#include "graph/render_internal.h"

#define AN_RENDER_DEFAULT_MAX_NODES 150
#define AN_RENDER_NEATO_LIMIT 300
/* Spline routing around nodes costs roughly nodes x edges: measured 0.6 s at
 * 50 nodes/100 edges, 16 s at 150/300 (neato, prism). Beyond this budget edges
 * are straight lines (150 nodes/2,000 edges: 0.3 s). splines=curved is no
 * way out: it recursed for minutes on a dense graph. */
#define AN_RENDER_SPLINE_BUDGET 5000
#define AN_RENDER_GREY "#DDDDDD"

/* Paul Tol's colour-blind-safe "light" and "muted" schemes, with a label
 * colour that stays readable on each fill. Communities are numbered by
 * decreasing size, so the palette goes to the largest ones. */
static const struct {
    const char *fill, *font;
} palette[] = {
    {"#77AADD", "black"}, {"#EE8866", "black"}, {"#44BB99", "black"}, {"#EEDD88", "black"},
    {"#FFAABB", "black"}, {"#99DDFF", "black"}, {"#BBCC33", "black"}, {"#AA4499", "white"},
    {"#CC6677", "black"}, {"#332288", "white"}, {"#117733", "white"}, {"#999933", "black"},
};
#define AN_RENDER_PALETTE (sizeof palette / sizeof palette[0])

AN_EXPORT int an_render_available(void) { return 1; }

AN_EXPORT void an_render_options_init(an_render_options *o) {
    if (!o) return;
    memset(o, 0, sizeof *o);
    o->seed = 1;
}

/* --- Graphviz error capture ------------------------------------------------ */

static char gv_msg[400];

static int gv_capture(char *msg) {
    size_t have = strlen(gv_msg);
    /* Keep the first messages: later ones are usually consequences. */
    if (have + 3 >= sizeof gv_msg) return 0;
    if (have) {
        gv_msg[have++] = ';';
        gv_msg[have++] = ' ';
        gv_msg[have] = '\0';
    }
    snprintf(gv_msg + have, sizeof gv_msg - have, "%s", msg);
    size_t n = strlen(gv_msg);
    while (n && (gv_msg[n - 1] == '\n' || gv_msg[n - 1] == ' ')) gv_msg[--n] = '\0';
    return 0;
}

static const char *gv_reason(void) { return gv_msg[0] ? gv_msg : "no details from Graphviz"; }

/* --- escaping ---------------------------------------------------------------- */

static void dot_escape(an_i_sbuf *b, const char *s, int backslashes) {
    if (!s) return;
    size_t pos = 0, len;
    uint32_t cp;
    while ((cp = an_i_utf8_next(s, &pos, &len)) != 0) {
        if (cp == '\\') {
            for (int i = 0; i < backslashes; i++) an_i_sbuf_putc(b, '\\');
        } else if (cp == '&') {
            an_i_sbuf_puts(b, "&amp;");
        } else if (cp == '\n') {
            an_i_sbuf_puts(b, "\\n");
        } else if (cp == '\t') {
            an_i_sbuf_putc(b, ' ');
        } else if (an_i_is_dropped_char(cp)) {
            continue;
        } else if (cp == 0xFFFD && len == 1) {
            an_i_sbuf_puts(b, "\xEF\xBF\xBD");
        } else {
            an_i_sbuf_putn(b, s + pos - len, len);
        }
    }
}

/* --- building the cgraph graph ----------------------------------------------- */

typedef struct attrs {
    Agsym_t *label, *tooltip, *shape, *fill, *font, *fontsize, *width, *height;
    Agsym_t *elabel_tt, *penwidth;
} attrs;

typedef struct build {
    const an_graph_view *v;
    const char *engine;
    Agraph_t *g;
    size_t drawn, drawn_edges;
    Agnode_t **gn; /* view node -> its Graphviz node, NULL when not drawn */
    an_i_sbuf tmp;
    attrs a;
} build;

static const char *shape_for(const char *type) {
    if (!type) return "ellipse";
    if (strcmp(type, "organisation") == 0 || strcmp(type, "organization") == 0) return "box";
    if (strcmp(type, "armed_group") == 0) return "octagon";
    if (strcmp(type, "person") == 0) return "note";
    return "ellipse";
}

static int gset(Agraph_t *g, const char *name, const char *value) {
    return agattr(g, AGRAPH, (char *)name, (char *)value) != NULL;
}

static Agsym_t *decl(Agraph_t *g, int kind, const char *name, const char *dflt) {
    return agattr(g, kind, (char *)name, (char *)dflt);
}

static int xset(void *obj, Agsym_t *sym, const char *value) {
    return agxset(obj, sym, (char *)value) == 0;
}

static void put_num(an_i_sbuf *b, double x, int decimals) {
    char num[64];
    an_i_fmt_fixed(num, sizeof num, x, decimals, "n/a");
    an_i_sbuf_puts(b, num);
}

static const char *engine_for(const an_render_options *o, size_t drawn) {
    if (o->layout && o->layout[0]) return o->layout;
    return drawn <= AN_RENDER_NEATO_LIMIT ? "neato" : "sfdp";
}

/* The layout engines Graphviz 2.42 ships. Checked here because gvLayout()
 * with an unknown name leaks the plugin list it prints. */
static int engine_name_ok(const char *e) {
    static const char *const known[] = {"neato", "sfdp", "fdp",   "dot",
                                        "twopi", "circo", "osage", "patchwork"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(e, known[i]) == 0) return 1;
    return 0;
}

static int declare_attrs(build *B, const an_render_options *o, size_t total) {
    Agraph_t *g = B->g;
    an_i_sbuf *t = &B->tmp;
    char num[64];

    /* Graph label: title, then what was left out or that there is nothing. */
    an_i_sbuf_reset(t);
    if (o->title && o->title[0]) dot_escape(t, o->title, 2);
    if (total == 0) {
        if (t->len) an_i_sbuf_puts(t, "\\n");
        an_i_sbuf_puts(t, "no actors found");
    } else if (B->drawn < total) {
        if (t->len) an_i_sbuf_puts(t, "\\n");
        an_i_sbuf_printf(t, "showing %zu of %zu actors (highest PageRank)", B->drawn, total);
    }
    if (t->oom) return 0;
    int routed = B->drawn_edges == 0 ||
                 B->drawn <= AN_RENDER_SPLINE_BUDGET / B->drawn_edges;
    uint64_t seed = o->seed % 2147483647u;
    snprintf(num, sizeof num, "%" PRIu64, seed ? seed : 1);
    if (!gset(g, "label", t->s ? t->s : "") || !gset(g, "labelloc", "t") ||
        !gset(g, "fontsize", "16") || !gset(g, "fontname", "Helvetica") ||
        !gset(g, "layout", B->engine) || !gset(g, "overlap", "prism") ||
        !gset(g, "sep", "+6") || !gset(g, "splines", routed ? "true" : "false") ||
        !gset(g, "start", num) ||
        !gset(g, "outputorder", "edgesfirst") || !gset(g, "bgcolor", "white") ||
        !gset(g, "pad", "0.3"))
        return 0;

    attrs *a = &B->a;
    /* Node defaults first so that agwrite prints them once in `node [...]`. */
    if (!decl(g, AGNODE, "fontname", "Helvetica") || !decl(g, AGNODE, "style", "filled") ||
        !decl(g, AGNODE, "color", "#444444") || !decl(g, AGNODE, "penwidth", "0.8"))
        return 0;
    a->label = decl(g, AGNODE, "label", "\\N");
    a->tooltip = decl(g, AGNODE, "tooltip", "");
    a->shape = decl(g, AGNODE, "shape", "ellipse");
    a->fill = decl(g, AGNODE, "fillcolor", AN_RENDER_GREY);
    a->font = decl(g, AGNODE, "fontcolor", "black");
    a->fontsize = decl(g, AGNODE, "fontsize", "10");
    a->width = decl(g, AGNODE, "width", "0.75");
    a->height = decl(g, AGNODE, "height", "0.5");
    if (!decl(g, AGEDGE, "color", "#55555599") || !decl(g, AGEDGE, "fontname", "Helvetica"))
        return 0;
    a->elabel_tt = decl(g, AGEDGE, "tooltip", "");
    a->penwidth = decl(g, AGEDGE, "penwidth", "1");
    return a->label && a->tooltip && a->shape && a->fill && a->font && a->fontsize && a->width &&
           a->height && a->elabel_tt && a->penwidth;
}

static int add_node(build *B, size_t i, double t, const size_t *comm_size) {
    const an_node *n = &B->v->nodes[i];
    char name[32], num[64];
    snprintf(name, sizeof name, "n%zu", i);
    Agnode_t *gn = agnode(B->g, name, 1);
    if (!gn) return 0;
    B->gn[i] = gn;
    an_i_sbuf *s = &B->tmp;

    an_i_sbuf_reset(s);
    dot_escape(s, n->label && n->label[0] ? n->label : n->id, 2);
    if (s->oom || !xset(gn, B->a.label, s->s ? s->s : "")) return 0;

    an_i_sbuf_reset(s);
    dot_escape(s, n->label, 4);
    an_i_sbuf_puts(s, " (");
    dot_escape(s, n->id, 4);
    an_i_sbuf_puts(s, ")\\ntype: ");
    dot_escape(s, n->type, 4);
    an_i_sbuf_printf(s, "\\nmentions: %" PRIu64 ", windows: %" PRIu64 ", documents: %" PRIu64,
                     n->mentions, n->windows, n->documents);
    an_i_sbuf_printf(s, "\\ndegree: %" PRId64 ", strength: ", n->degree);
    put_num(s, n->strength, 3);
    an_i_sbuf_puts(s, "\\nPageRank: ");
    put_num(s, n->pagerank, 6);
    an_i_sbuf_puts(s, "\\nbetweenness: ");
    put_num(s, n->betweenness, 6);
    an_i_sbuf_puts(s, "\\ncloseness: ");
    put_num(s, n->closeness, 6);
    an_i_sbuf_puts(s, "\\neigenvector: ");
    put_num(s, n->eigenvector, 6);
    an_i_sbuf_printf(s, "\\ncommunity: %" PRId64, n->community);
    if (s->oom || !xset(gn, B->a.tooltip, s->s)) return 0;

    const char *fill = AN_RENDER_GREY, *font = "black";
    if (n->community >= 0 && (uint64_t)n->community < AN_RENDER_PALETTE &&
        comm_size[n->community] > 1) {
        fill = palette[n->community].fill;
        font = palette[n->community].font;
    }
    if (!xset(gn, B->a.shape, shape_for(n->type)) || !xset(gn, B->a.fill, fill) ||
        !xset(gn, B->a.font, font))
        return 0;

    /* Area grows linearly with PageRank from 1x to 3x; the font with it. */
    double f = sqrt(1.0 + 2.0 * t);
    snprintf(num, sizeof num, "%.0f", 10.0 + 8.0 * t);
    if (!xset(gn, B->a.fontsize, num)) return 0;
    snprintf(num, sizeof num, "%.2f", 0.75 * f);
    if (!xset(gn, B->a.width, num)) return 0;
    snprintf(num, sizeof num, "%.2f", 0.5 * f);
    if (!xset(gn, B->a.height, num)) return 0;
    return 1;
}

static int add_edge(build *B, const an_edge *e, double wmin, double wmax) {
    char num[64];
    Agnode_t *s = B->gn[e->source], *t = B->gn[e->target];
    if (!s || !t) return 1; /* an endpoint was not drawn */
    Agedge_t *ge = agedge(B->g, s, t, NULL, 1);
    if (!ge) return 0;

    double pw;
    if (!(e->weight > 0) || !isfinite(e->weight)) {
        pw = 0.5;
    } else if (wmax > wmin) {
        pw = 0.5 + 5.5 * (log(e->weight) - log(wmin)) / (log(wmax) - log(wmin));
    } else {
        pw = 1.5; /* all weights equal: nothing to tell apart */
    }
    snprintf(num, sizeof num, "%.2f", pw);
    if (!xset(ge, B->a.penwidth, num)) return 0;

    const an_node *a = &B->v->nodes[e->source], *b = &B->v->nodes[e->target];
    an_i_sbuf *tt = &B->tmp;
    an_i_sbuf_reset(tt);
    dot_escape(tt, a->label, 4);
    an_i_sbuf_puts(tt, " \xE2\x80\x94 ");
    dot_escape(tt, b->label, 4);
    an_i_sbuf_printf(tt, "\\n%" PRIu64 " co-mention window%s, %" PRIu64 " document%s, weight ",
                     e->windows, e->windows == 1 ? "" : "s", e->documents,
                     e->documents == 1 ? "" : "s");
    put_num(tt, e->weight, 3);
    return !tt->oom && xset(ge, B->a.elabel_tt, tt->s);
}

static int add_legend(build *B, size_t total) {
    Agnode_t *n = agnode(B->g, "legend", 1);
    if (!n) return 0;
    an_i_sbuf *s = &B->tmp;
    an_i_sbuf_reset(s);
    an_i_sbuf_puts(s, "Legend\\l"
                      "node size: PageRank\\l"
                      "fill colour: community\\l"
                      "  (grey: singleton or beyond 12)\\l"
                      "shape: ellipse country, box organisation,\\l"
                      "  octagon armed group, note person\\l"
                      "edge width: weight (log scale)\\l");
    an_i_sbuf_printf(s, "showing %zu of %zu actors\\l", B->drawn, total);
    char tip[] = "legend";
    return !s->oom && xset(n, B->a.label, s->s) && xset(n, B->a.shape, "box") &&
           xset(n, B->a.fill, "white") && xset(n, B->a.tooltip, tip) &&
           xset(n, B->a.fontsize, "10") &&
           agsafeset(n, (char *)"style", (char *)"rounded,filled", (char *)"filled") == 0;
}

/* Builds the whole graph (no layout). On failure *gout is untouched. */
static an_status build_graph(const an_graph_view *v, const an_render_options *opt,
                             Agraph_t **gout, char **engine_out, an_error *err) {
    an_render_options dflt;
    if (!opt) {
        an_render_options_init(&dflt);
        opt = &dflt;
    }
    if (!v || (v->n_nodes && !v->nodes) || (v->n_edges && !v->edges))
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "render: no graph view");

    build B;
    memset(&B, 0, sizeof B);
    B.v = v;
    size_t total = v->n_nodes;
    size_t cap = opt->max_nodes ? opt->max_nodes : AN_RENDER_DEFAULT_MAX_NODES;
    B.drawn = total < cap ? total : cap;
    B.engine = engine_for(opt, B.drawn);
    if (!engine_name_ok(B.engine))
        return an_i_error(err, AN_EINVAL, NULL, 0, 0,
                          "render: unknown layout engine '%s' (neato, sfdp, fdp, dot, twopi, "
                          "circo, osage, patchwork)",
                          B.engine);

    an_status st = AN_ENOMEM;
    char *engine = an_i_strdup(B.engine);
    unsigned char *keep = an_i_calloc(total ? total : 1, 1);
    size_t *order = an_i_order_by_pagerank(v, 0);
    size_t comm_size[AN_RENDER_PALETTE] = {0};
    B.gn = an_i_calloc(total ? total : 1, sizeof(Agnode_t *));
    if (!engine || !keep || !order || !B.gn) goto fail;
    for (size_t k = 0; k < B.drawn; k++) keep[order[k]] = 1;
    for (size_t i = 0; i < total; i++) {
        int64_t c = v->nodes[i].community;
        if (c >= 0 && (uint64_t)c < AN_RENDER_PALETTE) comm_size[c]++;
    }

    double prmin = INFINITY, prmax = -INFINITY;
    for (size_t i = 0; i < total; i++) {
        double p = v->nodes[i].pagerank;
        if (!keep[i] || !isfinite(p)) continue;
        if (p < prmin) prmin = p;
        if (p > prmax) prmax = p;
    }
    double wmin = INFINITY, wmax = -INFINITY;
    for (size_t k = 0; k < v->n_edges; k++) {
        const an_edge *e = &v->edges[k];
        if (e->source >= total || e->target >= total) {
            st = an_i_error(err, AN_EINVAL, NULL, 0, 0,
                            "render: edge %zu refers to node %zu of %zu", k,
                            e->source >= total ? e->source : e->target, total);
            goto fail_quiet;
        }
        if (!keep[e->source] || !keep[e->target]) continue;
        B.drawn_edges++;
        if (!(e->weight > 0) || !isfinite(e->weight)) continue;
        if (e->weight < wmin) wmin = e->weight;
        if (e->weight > wmax) wmax = e->weight;
    }

    st = AN_ERENDER;
    B.g = agopen((char *)"actornet", Agundirected, NULL);
    if (!B.g || !declare_attrs(&B, opt, total)) goto fail;
    for (size_t i = 0; i < total; i++) {
        if (!keep[i]) continue;
        double p = v->nodes[i].pagerank, t = 0.0;
        if (isfinite(p) && prmax > prmin) t = (p - prmin) / (prmax - prmin);
        if (!add_node(&B, i, t, comm_size)) goto fail;
    }
    for (size_t k = 0; k < v->n_edges; k++)
        if (!add_edge(&B, &v->edges[k], wmin, wmax)) goto fail;
    if (total && !add_legend(&B, total)) goto fail;
    if (B.tmp.oom) goto fail;

    an_i_sbuf_free(&B.tmp);
    an_i_free(keep);
    an_i_free(order);
    an_i_free(B.gn);
    *gout = B.g;
    *engine_out = engine;
    return AN_OK;

fail:
    if (st == AN_ENOMEM || B.tmp.oom)
        st = an_i_error(err, AN_ENOMEM, NULL, 0, 0, "render: out of memory");
    else
        st = an_i_error(err, AN_ERENDER, NULL, 0, 0, "render: building the graph failed: %s",
                        gv_reason());
fail_quiet:
    if (B.g) agclose(B.g);
    an_i_sbuf_free(&B.tmp);
    an_i_free(engine);
    an_i_free(keep);
    an_i_free(order);
    an_i_free(B.gn);
    return st;
}

static GVC_t *shared_gvc(void) {
    static GVC_t *gvc;
    if (!gvc) gvc = gvContext();
    return gvc;
}

/* --- public entry points ----------------------------------------------------- */

AN_EXPORT an_status an_render_dot(const an_graph_view *v, const an_render_options *o, FILE *out,
                                  an_error *err) {
    if (!out) return an_i_error(err, AN_EINVAL, NULL, 0, 0, "render: no output stream");
    gv_msg[0] = '\0';
    agusererrf old = agseterrf(gv_capture);
    Agraph_t *g = NULL;
    char *engine = NULL;
    an_status st = build_graph(v, o, &g, &engine, err);
    if (st == AN_OK) {
        int rc = agwrite(g, out);
        if (rc != 0 || ferror(out))
            st = an_i_error(err, AN_EIO, NULL, 0, 0, "render: writing DOT failed");
        agclose(g);
    }
    an_i_free(engine);
    agseterrf(old);
    return st;
}

static int image_format_ok(const char *format) {
    return format && (strcmp(format, "svg") == 0 || strcmp(format, "png") == 0 ||
                      strcmp(format, "pdf") == 0);
}

AN_EXPORT an_status an_render_images(const an_graph_view *v, const an_render_options *o,
                                     const char *const *formats, FILE *const *outs, size_t n,
                                     an_error *err) {
    if (n == 0 || !formats || !outs)
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "render: no output stream");
    for (size_t i = 0; i < n; i++) {
        if (!outs[i]) return an_i_error(err, AN_EINVAL, NULL, 0, 0, "render: no output stream");
        if (!image_format_ok(formats[i]))
            return an_i_error(err, AN_EINVAL, NULL, 0, 0,
                              "render: unsupported image format '%s' (svg, png or pdf)",
                              formats[i] ? formats[i] : "(null)");
    }
    gv_msg[0] = '\0';
    agusererrf old = agseterrf(gv_capture);
    agreseterrors();

    Agraph_t *g = NULL;
    char *engine = NULL;
    GVC_t *gvc = NULL;
    int laid_out = 0;
    an_status st = build_graph(v, o, &g, &engine, err);
    if (st != AN_OK) goto done;

    gvc = shared_gvc();
    if (!gvc) {
        st = an_i_error(err, AN_ERENDER, NULL, 0, 0, "render: cannot create a Graphviz context");
        goto done;
    }
    if (gvLayout(gvc, g, engine) != 0) {
        st = an_i_error(err, AN_ERENDER, NULL, 0, 0, "render: layout with '%s' failed: %s",
                        engine, gv_reason());
        goto done;
    }
    laid_out = 1;
    /* One layout, each format rendered from it. Not gvRender(): see the top
     * of the file. */
    for (size_t i = 0; i < n && st == AN_OK; i++) {
        char *data = NULL;
        unsigned int len = 0;
        if (gvRenderData(gvc, g, formats[i], &data, &len) != 0 || !data) {
            st = an_i_error(err, AN_ERENDER, NULL, 0, 0, "render: %s output failed: %s",
                            formats[i], gv_reason());
            if (data) gvFreeRenderData(data);
            break;
        }
        if (fwrite(data, 1, len, outs[i]) != len || ferror(outs[i]))
            st = an_i_error(err, AN_EIO, NULL, 0, 0, "render: writing %s failed", formats[i]);
        gvFreeRenderData(data);
    }

done:
    if (laid_out && gvFreeLayout(gvc, g) != 0 && st == AN_OK)
        st = an_i_error(err, AN_ERENDER, NULL, 0, 0, "render: freeing the layout failed");
    if (g) agclose(g);
    /* The highest level reported since agreseterrors(): warnings are 0. */
    if (gvc && agerrors() != 0 && st == AN_OK)
        st = an_i_error(err, AN_ERENDER, NULL, 0, 0, "render: Graphviz reported errors: %s",
                        gv_reason());
    an_i_free(engine);
    agseterrf(old);
    return st;
}

AN_EXPORT an_status an_render_image(const an_graph_view *v, const an_render_options *o,
                                    const char *format, FILE *out, an_error *err) {
    return an_render_images(v, o, &format, &out, 1, err);
}
