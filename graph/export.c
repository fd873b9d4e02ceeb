/* actornet — GraphML, GEXF 1.3 and JSON node-link exports of an an_graph_view.
 *
 * One attribute table drives all three formats, so they always carry the same
 * fields. Output is assembled in a buffer and flushed in blocks (an_i_writer);
 * numbers go through an_i_fmt_fixed/an_i_json_num, never through the locale.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/render.h"
#include "core/internal.h"
#include "graph/render_internal.h"

typedef enum atype { T_STRING, T_LONG, T_DOUBLE, T_BOOL } atype;

typedef struct nattr {
    const char *name;
    atype type;
} nattr;

/* Node attributes after the id (which is the XML/JSON node id itself). */
static const nattr node_attrs[] = {
    {"label", T_STRING},      {"type", T_STRING},      {"mentions", T_LONG},
    {"windows", T_LONG},      {"documents", T_LONG},   {"degree", T_LONG},
    {"strength", T_DOUBLE},   {"betweenness", T_DOUBLE}, {"closeness", T_DOUBLE},
    {"pagerank", T_DOUBLE},   {"eigenvector", T_DOUBLE}, {"coreness", T_LONG},
    {"clustering", T_DOUBLE}, {"component", T_LONG},   {"community", T_LONG},
};
#define N_NODE_ATTRS (sizeof node_attrs / sizeof node_attrs[0])

static const nattr edge_attrs[] = {
    {"windows", T_LONG}, {"documents", T_LONG}, {"weight", T_DOUBLE},
    {"score", T_DOUBLE}, {"in_mst", T_BOOL},
};
#define N_EDGE_ATTRS (sizeof edge_attrs / sizeof edge_attrs[0])

/* The value of node attribute i: a string (NULL for numbers) or a number. */
typedef struct val {
    const char *s;
    int is_int;
    int64_t i;
    double d;
} val;

static val node_val(const an_node *n, size_t i) {
    val v = {NULL, 1, 0, 0.0};
    switch (i) {
    case 0: v.s = n->label ? n->label : ""; break;
    case 1: v.s = n->type ? n->type : ""; break;
    case 2: v.i = (int64_t)n->mentions; break;
    case 3: v.i = (int64_t)n->windows; break;
    case 4: v.i = (int64_t)n->documents; break;
    case 5: v.i = n->degree; break;
    case 6: v.is_int = 0, v.d = n->strength; break;
    case 7: v.is_int = 0, v.d = n->betweenness; break;
    case 8: v.is_int = 0, v.d = n->closeness; break;
    case 9: v.is_int = 0, v.d = n->pagerank; break;
    case 10: v.is_int = 0, v.d = n->eigenvector; break;
    case 11: v.i = n->coreness; break;
    case 12: v.is_int = 0, v.d = n->clustering; break;
    case 13: v.i = n->component; break;
    default: v.i = n->community; break;
    }
    return v;
}

static val edge_val(const an_edge *e, size_t i) {
    val v = {NULL, 1, 0, 0.0};
    switch (i) {
    case 0: v.i = (int64_t)e->windows; break;
    case 1: v.i = (int64_t)e->documents; break;
    case 2: v.is_int = 0, v.d = e->weight; break;
    case 3: v.is_int = 0, v.d = e->score; break;
    default: v.i = e->in_mst ? 1 : 0; break;
    }
    return v;
}

/* XML number: fixed decimals, NaN/INF as XML Schema spells them. */
static void xml_num(an_i_sbuf *b, val v, atype t) {
    if (t == T_BOOL) {
        an_i_sbuf_puts(b, v.i ? "true" : "false");
    } else if (v.is_int) {
        an_i_sbuf_printf(b, "%" PRId64, v.i);
    } else if (isnan(v.d)) {
        an_i_sbuf_puts(b, "NaN");
    } else if (isinf(v.d)) {
        an_i_sbuf_puts(b, v.d > 0 ? "INF" : "-INF");
    } else {
        /* the JSON form is the shortest fixed form, fine for XML too */
        an_i_json_num(b, v.d);
    }
}

static void xml_val(an_i_sbuf *b, val v, atype t) {
    if (v.s)
        an_i_xml_str(b, v.s);
    else
        xml_num(b, v, t);
}

/* The node id: the actor id, or n<index> when there is none. */
static void xml_node_id(an_i_sbuf *b, const an_node *n, size_t i) {
    if (n->id && n->id[0])
        an_i_xml_str(b, n->id);
    else
        an_i_sbuf_printf(b, "n%zu", i);
}

static void json_node_id(an_i_sbuf *b, const an_node *n, size_t i) {
    if (n->id && n->id[0])
        an_i_json_str(b, n->id, 0);
    else
        an_i_sbuf_printf(b, "\"n%zu\"", i);
}

static const char *xml_type(atype t) {
    switch (t) {
    case T_STRING: return "string";
    case T_LONG: return "long";
    case T_DOUBLE: return "double";
    case T_BOOL: return "boolean";
    }
    return "string";
}

static const char *str_or(const char *s, const char *dflt) { return s && s[0] ? s : dflt; }

/* --- GraphML ------------------------------------------------------------------------- */

AN_EXPORT an_status an_export_graphml(const an_graph_view *v, FILE *out, an_error *err) {
    if (!out) return an_i_error(err, AN_EINVAL, NULL, 0, 0, "graphml: no output stream");
    an_status st = an_i_check_view(v, "graphml", err);
    if (st != AN_OK) return st;
    an_i_writer w = {.f = out};
    an_i_sbuf *b = &w.b;
    an_i_sbuf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
                      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                      "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
                      "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    static const char *const gkeys[][2] = {
        {"window", "string"},    {"measure", "string"},     {"community_algo", "string"},
        {"seed", "long"},        {"documents", "long"},     {"bytes", "long"},
        {"mentions", "long"},    {"windows", "long"},       {"communities", "long"},
        {"modularity", "double"}, {"components", "long"},   {"edges_before_filters", "long"},
        {"path_sources", "long"}, {"resolution", "double"},
    };
    for (size_t i = 0; i < sizeof gkeys / sizeof gkeys[0]; i++)
        an_i_sbuf_printf(b, "  <key id=\"g_%s\" for=\"graph\" attr.name=\"%s\" attr.type=\"%s\"/>\n",
                         gkeys[i][0], gkeys[i][0], gkeys[i][1]);
    for (size_t i = 0; i < N_NODE_ATTRS; i++)
        an_i_sbuf_printf(b, "  <key id=\"n_%s\" for=\"node\" attr.name=\"%s\" attr.type=\"%s\"/>\n",
                         node_attrs[i].name, node_attrs[i].name, xml_type(node_attrs[i].type));
    for (size_t i = 0; i < N_EDGE_ATTRS; i++)
        an_i_sbuf_printf(b, "  <key id=\"e_%s\" for=\"edge\" attr.name=\"%s\" attr.type=\"%s\"/>\n",
                         edge_attrs[i].name, edge_attrs[i].name, xml_type(edge_attrs[i].type));
    an_i_sbuf_puts(b, "  <graph id=\"actornet\" edgedefault=\"undirected\">\n");
    an_i_sbuf_puts(b, "    <data key=\"g_window\">");
    an_i_xml_str(b, str_or(v->window, ""));
    an_i_sbuf_puts(b, "</data>\n    <data key=\"g_measure\">");
    an_i_xml_str(b, str_or(v->measure, ""));
    an_i_sbuf_puts(b, "</data>\n    <data key=\"g_community_algo\">");
    an_i_xml_str(b, str_or(v->community_algo, ""));
    an_i_sbuf_printf(b, "</data>\n    <data key=\"g_seed\">%" PRIu64 "</data>\n", v->seed);
    an_i_sbuf_printf(b, "    <data key=\"g_documents\">%" PRIu64 "</data>\n", v->documents);
    an_i_sbuf_printf(b, "    <data key=\"g_bytes\">%" PRIu64 "</data>\n", v->bytes);
    an_i_sbuf_printf(b, "    <data key=\"g_mentions\">%" PRIu64 "</data>\n", v->mentions);
    an_i_sbuf_printf(b, "    <data key=\"g_windows\">%" PRIu64 "</data>\n", v->windows);
    an_i_sbuf_printf(b, "    <data key=\"g_communities\">%zu</data>\n", v->n_communities);
    an_i_sbuf_puts(b, "    <data key=\"g_modularity\">");
    xml_num(b, (val){NULL, 0, 0, v->modularity}, T_DOUBLE);
    an_i_sbuf_printf(b, "</data>\n    <data key=\"g_components\">%zu</data>\n", v->n_components);
    an_i_sbuf_printf(b, "    <data key=\"g_edges_before_filters\">%zu</data>\n",
                     v->edges_before_filters);
    an_i_sbuf_printf(b, "    <data key=\"g_path_sources\">%zu</data>\n", v->path_sources);
    an_i_sbuf_puts(b, "    <data key=\"g_resolution\">");
    xml_num(b, (val){NULL, 0, 0, v->resolution}, T_DOUBLE);
    an_i_sbuf_puts(b, "</data>\n");
    for (size_t i = 0; i < v->n_nodes; i++) {
        const an_node *n = &v->nodes[i];
        an_i_sbuf_puts(b, "    <node id=\"");
        xml_node_id(b, n, i);
        an_i_sbuf_puts(b, "\">\n");
        for (size_t k = 0; k < N_NODE_ATTRS; k++) {
            an_i_sbuf_printf(b, "      <data key=\"n_%s\">", node_attrs[k].name);
            xml_val(b, node_val(n, k), node_attrs[k].type);
            an_i_sbuf_puts(b, "</data>\n");
        }
        an_i_sbuf_puts(b, "    </node>\n");
        an_i_w_maybe_flush(&w);
    }
    for (size_t k = 0; k < v->n_edges; k++) {
        const an_edge *e = &v->edges[k];
        an_i_sbuf_printf(b, "    <edge id=\"e%zu\" source=\"", k);
        xml_node_id(b, &v->nodes[e->source], e->source);
        an_i_sbuf_puts(b, "\" target=\"");
        xml_node_id(b, &v->nodes[e->target], e->target);
        an_i_sbuf_puts(b, "\">\n");
        for (size_t a = 0; a < N_EDGE_ATTRS; a++) {
            an_i_sbuf_printf(b, "      <data key=\"e_%s\">", edge_attrs[a].name);
            xml_val(b, edge_val(e, a), edge_attrs[a].type);
            an_i_sbuf_puts(b, "</data>\n");
        }
        an_i_sbuf_puts(b, "    </edge>\n");
        an_i_w_maybe_flush(&w);
    }
    an_i_sbuf_puts(b, "  </graph>\n</graphml>\n");
    return an_i_w_finish(&w, "graphml", err);
}

/* --- GEXF ------------------------------------------------------------------------------ */

/* Period key -> first and last day ("YYYY-MM-DD"). 0 for "undated", -1 for
 * anything that is not a period key. */
static int days_in_month(int y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

/* Days since 1970-01-01 (proleptic Gregorian) and back. */
static long days_from_civil(long y, int m, int d) {
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d) {
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

static int all_digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

static int period_range(const char *key, char from[32], char to[32]) {
    if (!key) return -1;
    if (strcmp(key, "undated") == 0) return 0;
    size_t n = strlen(key);
    if (n < 4 || !all_digits(key, 4)) return -1;
    int y = atoi(key);
    int m0 = 1, d0 = 1, m1 = 12, d1 = 31;
    if (n == 4) {
        /* a year */
    } else if (n == 7 && key[4] == '-' && key[5] == 'Q' && key[6] >= '1' && key[6] <= '4') {
        int q = key[6] - '0';
        m0 = 3 * q - 2;
        m1 = 3 * q;
        d1 = days_in_month(y, m1);
    } else if (n == 7 && key[4] == '-' && all_digits(key + 5, 2)) {
        m0 = m1 = atoi(key + 5);
        if (m0 < 1 || m0 > 12) return -1;
        d1 = days_in_month(y, m1);
    } else if (n == 8 && key[4] == '-' && key[5] == 'W' && all_digits(key + 6, 2)) {
        int wk = atoi(key + 6);
        if (wk < 1 || wk > 53) return -1;
        /* ISO week 1 holds January 4th; weeks start on Monday. */
        long jan4 = days_from_civil(y, 1, 4);
        long wd = ((jan4 % 7) + 7 + 3) % 7; /* 1970-01-01 was a Thursday: Monday = 0 */
        long monday = jan4 - wd + 7L * (wk - 1);
        civil_from_days(monday, &y, &m0, &d0);
        snprintf(from, 32, "%04d-%02d-%02d", y, m0, d0);
        civil_from_days(monday + 6, &y, &m1, &d1);
        snprintf(to, 32, "%04d-%02d-%02d", y, m1, d1);
        return 1;
    } else if (n == 10 && key[4] == '-' && key[7] == '-' && all_digits(key + 5, 2) &&
               all_digits(key + 8, 2)) {
        m0 = m1 = atoi(key + 5);
        d0 = d1 = atoi(key + 8);
        if (m0 < 1 || m0 > 12 || d0 < 1 || d0 > days_in_month(y, m0)) return -1;
    } else {
        return -1;
    }
    snprintf(from, 32, "%04d-%02d-%02d", y, m0, d0);
    snprintf(to, 32, "%04d-%02d-%02d", y, m1, d1);
    return 1;
}

typedef struct period {
    const an_graph_view *v;
    char from[32], to[32];
} period;

/* Index of the node of actor `actor` in v (nodes are sorted by actor), or SIZE_MAX. */
static size_t find_actor(const an_graph_view *v, size_t actor) {
    size_t lo = 0, hi = v->n_nodes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->nodes[mid].actor == actor) return mid;
        if (v->nodes[mid].actor < actor)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* not sorted after all (hand-built views): fall back to a scan */
    for (size_t i = 0; i < v->n_nodes; i++)
        if (v->nodes[i].actor == actor) return i;
    return SIZE_MAX;
}

/* Index of edge (s, t) in v (edges sorted by (source, target)), or SIZE_MAX. */
static size_t find_edge(const an_graph_view *v, size_t s, size_t t) {
    if (s > t) {
        size_t x = s;
        s = t;
        t = x;
    }
    size_t lo = 0, hi = v->n_edges;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const an_edge *e = &v->edges[mid];
        if (e->source == s && e->target == t) return mid;
        if (e->source < s || (e->source == s && e->target < t))
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = 0; k < v->n_edges; k++) {
        const an_edge *e = &v->edges[k];
        if ((e->source == s && e->target == t) || (e->source == t && e->target == s)) return k;
    }
    return SIZE_MAX;
}

static an_status gexf_write(const an_graph_view *v, const period *ps, size_t np, FILE *out,
                            an_error *err) {
    an_i_writer w = {.f = out};
    an_i_sbuf *b = &w.b;
    an_i_sbuf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<gexf xmlns=\"http://gexf.net/1.3\" "
                      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                      "xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" "
                      "version=\"1.3\">\n");
    an_i_sbuf_printf(b, "  <meta>\n    <creator>actornet %s</creator>\n    <description>",
                     an_version());
    an_i_sbuf_puts(b, "actor co-mention network; windows: ");
    an_i_xml_str(b, str_or(v->window, "n/a"));
    an_i_sbuf_puts(b, "; measure: ");
    an_i_xml_str(b, str_or(v->measure, "n/a"));
    an_i_sbuf_printf(b, "; %" PRIu64 " documents</description>\n  </meta>\n", v->documents);
    if (np)
        an_i_sbuf_printf(b, "  <graph defaultedgetype=\"undirected\" mode=\"dynamic\" "
                            "timeformat=\"date\" timerepresentation=\"interval\" start=\"%s\" "
                            "end=\"%s\">\n",
                         ps[0].from, ps[np - 1].to);
    else
        an_i_sbuf_puts(b, "  <graph defaultedgetype=\"undirected\" mode=\"static\">\n");
    an_i_sbuf_puts(b, "    <attributes class=\"node\" mode=\"static\">\n");
    for (size_t i = 0; i < N_NODE_ATTRS; i++)
        an_i_sbuf_printf(b, "      <attribute id=\"%s\" title=\"%s\" type=\"%s\"/>\n",
                         node_attrs[i].name, node_attrs[i].name, xml_type(node_attrs[i].type));
    an_i_sbuf_puts(b, "    </attributes>\n    <attributes class=\"edge\" mode=\"static\">\n");
    for (size_t i = 0; i < N_EDGE_ATTRS; i++)
        an_i_sbuf_printf(b, "      <attribute id=\"%s\" title=\"%s\" type=\"%s\"/>\n",
                         edge_attrs[i].name, edge_attrs[i].name, xml_type(edge_attrs[i].type));
    an_i_sbuf_puts(b, "    </attributes>\n");
    if (np) {
        an_i_sbuf_puts(b, "    <attributes class=\"node\" mode=\"dynamic\">\n"
                          "      <attribute id=\"period_mentions\" title=\"period_mentions\" "
                          "type=\"long\"/>\n"
                          "    </attributes>\n"
                          "    <attributes class=\"edge\" mode=\"dynamic\">\n"
                          "      <attribute id=\"period_windows\" title=\"period_windows\" "
                          "type=\"long\"/>\n"
                          "      <attribute id=\"period_weight\" title=\"period_weight\" "
                          "type=\"double\"/>\n"
                          "    </attributes>\n");
    }
    an_i_sbuf_puts(b, "    <nodes>\n");
    for (size_t i = 0; i < v->n_nodes; i++) {
        const an_node *n = &v->nodes[i];
        an_i_sbuf_puts(b, "      <node id=\"");
        xml_node_id(b, n, i);
        an_i_sbuf_puts(b, "\" label=\"");
        an_i_xml_str(b, str_or(n->label, n->id ? n->id : ""));
        an_i_sbuf_puts(b, "\">\n        <attvalues>\n");
        for (size_t k = 0; k < N_NODE_ATTRS; k++) {
            an_i_sbuf_printf(b, "          <attvalue for=\"%s\" value=\"", node_attrs[k].name);
            xml_val(b, node_val(n, k), node_attrs[k].type);
            an_i_sbuf_puts(b, "\"/>\n");
        }
        for (size_t p = 0; p < np; p++) {
            size_t j = find_actor(ps[p].v, n->actor);
            if (j == SIZE_MAX) continue;
            an_i_sbuf_printf(b,
                             "          <attvalue for=\"period_mentions\" value=\"%" PRIu64
                             "\" start=\"%s\" end=\"%s\"/>\n",
                             ps[p].v->nodes[j].mentions, ps[p].from, ps[p].to);
        }
        an_i_sbuf_puts(b, "        </attvalues>\n");
        if (np) {
            int any = 0;
            for (size_t p = 0; p < np; p++) {
                if (find_actor(ps[p].v, n->actor) == SIZE_MAX) continue;
                if (!any++) an_i_sbuf_puts(b, "        <spells>\n");
                an_i_sbuf_printf(b, "          <spell start=\"%s\" end=\"%s\"/>\n", ps[p].from,
                                 ps[p].to);
            }
            if (any) an_i_sbuf_puts(b, "        </spells>\n");
        }
        an_i_sbuf_puts(b, "      </node>\n");
        an_i_w_maybe_flush(&w);
    }
    an_i_sbuf_puts(b, "    </nodes>\n    <edges>\n");
    for (size_t k = 0; k < v->n_edges; k++) {
        const an_edge *e = &v->edges[k];
        an_i_sbuf_printf(b, "      <edge id=\"%zu\" source=\"", k);
        xml_node_id(b, &v->nodes[e->source], e->source);
        an_i_sbuf_puts(b, "\" target=\"");
        xml_node_id(b, &v->nodes[e->target], e->target);
        an_i_sbuf_puts(b, "\" weight=\"");
        xml_num(b, (val){NULL, 0, 0, e->weight}, T_DOUBLE);
        an_i_sbuf_puts(b, "\">\n        <attvalues>\n");
        for (size_t a = 0; a < N_EDGE_ATTRS; a++) {
            an_i_sbuf_printf(b, "          <attvalue for=\"%s\" value=\"", edge_attrs[a].name);
            xml_val(b, edge_val(e, a), edge_attrs[a].type);
            an_i_sbuf_puts(b, "\"/>\n");
        }
        size_t sa = v->nodes[e->source].actor, ta = v->nodes[e->target].actor;
        int any = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (size_t p = 0; p < np; p++) {
                const an_graph_view *pv = ps[p].v;
                size_t i1 = find_actor(pv, sa), i2 = find_actor(pv, ta);
                if (i1 == SIZE_MAX || i2 == SIZE_MAX) continue;
                size_t j = find_edge(pv, i1, i2);
                if (j == SIZE_MAX) continue;
                if (pass == 0) {
                    an_i_sbuf_printf(b,
                                     "          <attvalue for=\"period_windows\" value=\"%" PRIu64
                                     "\" start=\"%s\" end=\"%s\"/>\n",
                                     pv->edges[j].windows, ps[p].from, ps[p].to);
                    an_i_sbuf_puts(b, "          <attvalue for=\"period_weight\" value=\"");
                    xml_num(b, (val){NULL, 0, 0, pv->edges[j].weight}, T_DOUBLE);
                    an_i_sbuf_printf(b, "\" start=\"%s\" end=\"%s\"/>\n", ps[p].from, ps[p].to);
                } else {
                    if (!any++) an_i_sbuf_puts(b, "        <spells>\n");
                    an_i_sbuf_printf(b, "          <spell start=\"%s\" end=\"%s\"/>\n",
                                     ps[p].from, ps[p].to);
                }
            }
            if (pass == 0) an_i_sbuf_puts(b, "        </attvalues>\n");
        }
        if (any) an_i_sbuf_puts(b, "        </spells>\n");
        an_i_sbuf_puts(b, "      </edge>\n");
        an_i_w_maybe_flush(&w);
    }
    an_i_sbuf_puts(b, "    </edges>\n  </graph>\n</gexf>\n");
    return an_i_w_finish(&w, "gexf", err);
}

AN_EXPORT an_status an_export_gexf(const an_graph_view *v, FILE *out, an_error *err) {
    if (!out) return an_i_error(err, AN_EINVAL, NULL, 0, 0, "gexf: no output stream");
    an_status st = an_i_check_view(v, "gexf", err);
    if (st != AN_OK) return st;
    return gexf_write(v, NULL, 0, out, err);
}

static int cmp_period(const void *pa, const void *pb) {
    const period *x = pa, *y = pb;
    int c = strcmp(x->from, y->from);
    return c ? c : strcmp(x->to, y->to);
}

AN_EXPORT an_status an_export_gexf_dynamic(const an_graph_view *total,
                                           const char *const *period_names,
                                           const an_graph_view *const *periods, size_t n,
                                           FILE *out, an_error *err) {
    if (!out) return an_i_error(err, AN_EINVAL, NULL, 0, 0, "gexf: no output stream");
    an_status st = an_i_check_view(total, "gexf", err);
    if (st != AN_OK) return st;
    if (n && (!period_names || !periods))
        return an_i_error(err, AN_EINVAL, NULL, 0, 0, "gexf: no periods");
    period *ps = an_i_calloc(n ? n : 1, sizeof *ps);
    if (!ps) return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "gexf: out of memory");
    size_t np = 0;
    for (size_t i = 0; i < n; i++) {
        int r = period_range(period_names[i], ps[np].from, ps[np].to);
        if (r < 0) {
            an_i_free(ps);
            return an_i_error(err, AN_EINVAL, NULL, 0, 0, "gexf: '%s' is not a period key",
                              period_names[i] ? period_names[i] : "(null)");
        }
        if (r == 0) continue;
        st = an_i_check_view(periods[i], "gexf", err);
        if (st != AN_OK) {
            an_i_free(ps);
            return st;
        }
        ps[np++].v = periods[i];
    }
    if (np > 1) qsort(ps, np, sizeof *ps, cmp_period);
    st = gexf_write(total, ps, np, out, err);
    an_i_free(ps);
    return st;
}

/* --- JSON node-link ---------------------------------------------------------------------- */

static void json_val(an_i_sbuf *b, val v, atype t) {
    if (v.s)
        an_i_json_str(b, v.s, 0);
    else if (t == T_BOOL)
        an_i_sbuf_puts(b, v.i ? "true" : "false");
    else if (v.is_int)
        an_i_sbuf_printf(b, "%" PRId64, v.i);
    else
        an_i_json_num(b, v.d);
}

AN_EXPORT an_status an_export_json(const an_graph_view *v, FILE *out, an_error *err) {
    if (!out) return an_i_error(err, AN_EINVAL, NULL, 0, 0, "json: no output stream");
    an_status st = an_i_check_view(v, "json", err);
    if (st != AN_OK) return st;
    an_i_writer w = {.f = out};
    an_i_sbuf *b = &w.b;
    an_i_sbuf_puts(b, "{\"directed\":false,\"multigraph\":false,\"graph\":{\"window\":");
    an_i_json_str(b, str_or(v->window, ""), 0);
    an_i_sbuf_puts(b, ",\"measure\":");
    an_i_json_str(b, str_or(v->measure, ""), 0);
    an_i_sbuf_puts(b, ",\"community_algo\":");
    an_i_json_str(b, str_or(v->community_algo, ""), 0);
    an_i_sbuf_printf(b,
                     ",\"seed\":%" PRIu64 ",\"documents\":%" PRIu64 ",\"bytes\":%" PRIu64
                     ",\"mentions\":%" PRIu64 ",\"windows\":%" PRIu64
                     ",\"communities\":%zu,\"modularity\":",
                     v->seed, v->documents, v->bytes, v->mentions, v->windows, v->n_communities);
    an_i_json_num(b, v->modularity);
    an_i_sbuf_printf(b,
                     ",\"components\":%zu,\"edges_before_filters\":%zu,\"path_sources\":%zu,"
                     "\"resolution\":",
                     v->n_components, v->edges_before_filters, v->path_sources);
    an_i_json_num(b, v->resolution);
    an_i_sbuf_puts(b, ",\"filters\":[");
    an_i_json_filter_steps(b, v);
    an_i_sbuf_puts(b, "]},\n\"nodes\":[");
    for (size_t i = 0; i < v->n_nodes; i++) {
        const an_node *n = &v->nodes[i];
        an_i_sbuf_puts(b, i ? ",\n{\"id\":" : "\n{\"id\":");
        json_node_id(b, n, i);
        for (size_t k = 0; k < N_NODE_ATTRS; k++) {
            an_i_sbuf_printf(b, ",\"%s\":", node_attrs[k].name);
            json_val(b, node_val(n, k), node_attrs[k].type);
        }
        an_i_sbuf_putc(b, '}');
        an_i_w_maybe_flush(&w);
    }
    an_i_sbuf_puts(b, "],\n\"links\":[");
    for (size_t k = 0; k < v->n_edges; k++) {
        const an_edge *e = &v->edges[k];
        an_i_sbuf_puts(b, k ? ",\n{\"source\":" : "\n{\"source\":");
        json_node_id(b, &v->nodes[e->source], e->source);
        an_i_sbuf_puts(b, ",\"target\":");
        json_node_id(b, &v->nodes[e->target], e->target);
        for (size_t a = 0; a < N_EDGE_ATTRS; a++) {
            an_i_sbuf_printf(b, ",\"%s\":", edge_attrs[a].name);
            json_val(b, edge_val(e, a), edge_attrs[a].type);
        }
        an_i_sbuf_putc(b, '}');
        an_i_w_maybe_flush(&w);
    }
    an_i_sbuf_puts(b, "]}\n");
    return an_i_w_finish(&w, "json", err);
}
