/* actornet — Markdown report and CSV exports of an an_graph_view.
 *
 * Output is byte-identical for identical views: every list has a total order
 * (ties end on the node or edge index), numbers are printed with fixed
 * decimals by an_i_fmt_fixed (independent of LC_NUMERIC), and nothing depends
 * on the clock or the environment.
 *
 * Non-finite numbers (e.g. an undefined closeness) print as "n/a" in Markdown
 * and as an empty field in CSV.
 *
 * Text is assembled in a buffer and written in blocks; the caller's stream is
 * checked with ferror() at the end.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/render.h"
#include "core/internal.h"
#include "graph/render_internal.h"

#define AN_REPORT_DEFAULT_TOP 10

AN_EXPORT void an_report_options_init(an_report_options *o) {
    if (!o) return;
    memset(o, 0, sizeof *o);
}

static void put_fixed(an_i_sbuf *b, double x, int decimals, const char *nan_text) {
    char num[64];
    an_i_fmt_fixed(num, sizeof num, x, decimals, nan_text);
    an_i_sbuf_puts(b, num);
}

/* --- Markdown -------------------------------------------------------------------- */

/* Inline text safe in a table cell, a heading or a list item: no line breaks,
 * no control characters, and every character with a Markdown meaning escaped. */
static void md_textn(an_i_sbuf *b, const char *s, size_t n) {
    if (!s) return;
    size_t pos = 0, len;
    uint32_t cp;
    while (pos < n) {
        cp = an_i_utf8_next_n(s, n, &pos, &len);
        if (cp == '\n' || cp == '\r' || cp == '\t') {
            an_i_sbuf_putc(b, ' ');
        } else if (an_i_is_dropped_char(cp)) {
            continue;
        } else if (cp < 0x80 && strchr("\\`*_[]<>|~&#", (int)cp)) {
            an_i_sbuf_putc(b, '\\');
            an_i_sbuf_putc(b, (char)cp);
        } else if (cp == 0xFFFD && len == 1) {
            an_i_sbuf_puts(b, "\xEF\xBF\xBD");
        } else {
            an_i_sbuf_putn(b, s + pos - len, len);
        }
    }
}

static void md_text(an_i_sbuf *b, const char *s) {
    if (s) md_textn(b, s, strlen(s));
}

static const char *node_label(const an_node *n) {
    if (n->label && n->label[0]) return n->label;
    return n->id ? n->id : "";
}

typedef enum measure {
    M_MENTIONS,
    M_DEGREE,
    M_STRENGTH,
    M_BETWEENNESS,
    M_CLOSENESS,
    M_PAGERANK,
    M_EIGENVECTOR,
    M_COUNT
} measure;

static const char *const measure_name[M_COUNT] = {
    "mentions", "degree", "strength", "betweenness", "closeness", "PageRank", "eigenvector"};

static double measure_of(const an_node *n, measure m) {
    switch (m) {
    case M_MENTIONS: return (double)n->mentions;
    case M_DEGREE: return (double)n->degree;
    case M_STRENGTH: return n->strength;
    case M_BETWEENNESS: return n->betweenness;
    case M_CLOSENESS: return n->closeness;
    case M_PAGERANK: return n->pagerank;
    case M_EIGENVECTOR: return n->eigenvector;
    case M_COUNT: break;
    }
    return NAN;
}

static void put_measure(an_i_sbuf *b, const an_node *n, measure m) {
    switch (m) {
    case M_MENTIONS: an_i_sbuf_printf(b, "%" PRIu64, n->mentions); break;
    case M_DEGREE: an_i_sbuf_printf(b, "%" PRId64, n->degree); break;
    case M_STRENGTH: put_fixed(b, n->strength, 3, "n/a"); break;
    default: put_fixed(b, measure_of(n, m), 6, "n/a"); break;
    }
}

typedef struct key {
    double x;
    const char *label;
    size_t idx;
} key;

/* Descending value (NaN last), then label, then index: a total order. */
static int cmp_key(const void *pa, const void *pb) {
    const key *a = pa, *b = pb;
    int an = isnan(a->x), bn = isnan(b->x);
    if (an != bn) return an - bn;
    if (!an && a->x != b->x) return a->x > b->x ? -1 : 1;
    int c = strcmp(a->label, b->label);
    if (c) return c;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

typedef struct ekey {
    uint64_t windows;
    const char *a, *b;
    size_t idx;
} ekey;

static int cmp_ekey(const void *pa, const void *pb) {
    const ekey *x = pa, *y = pb;
    if (x->windows != y->windows) return x->windows > y->windows ? -1 : 1;
    int c = strcmp(x->a, y->a);
    if (c) return c;
    c = strcmp(x->b, y->b);
    if (c) return c;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

typedef struct ckey {
    int64_t community;
    size_t rank; /* position in the PageRank order */
    size_t idx;
} ckey;

static int cmp_ckey(const void *pa, const void *pb) {
    const ckey *x = pa, *y = pb;
    if (x->community != y->community) return x->community < y->community ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static void md_summary(an_i_writer *w, const an_graph_view *v, const an_report_options *o) {
    an_i_sbuf *b = &w->b;
    size_t found = 0;
    for (size_t i = 0; i < v->n_nodes; i++)
        if (v->nodes[i].mentions > 0) found++;
    an_i_sbuf_puts(b, "## Corpus\n\n| item | value |\n|---|---|\n");
    an_i_sbuf_printf(b, "| documents | %" PRIu64 " |\n", v->documents);
    an_i_sbuf_printf(b, "| bytes | %" PRIu64 " |\n", v->bytes);
    an_i_sbuf_printf(b, "| mentions | %" PRIu64 " |\n", v->mentions);
    an_i_sbuf_printf(b, "| windows | %" PRIu64, v->windows);
    if (v->window && v->window[0]) {
        an_i_sbuf_puts(b, " (");
        md_text(b, v->window);
        an_i_sbuf_puts(b, ")");
    }
    an_i_sbuf_puts(b, " |\n");
    an_i_sbuf_printf(b, "| actors found | %zu |\n", found);
    if (v->measure && v->measure[0]) {
        an_i_sbuf_puts(b, "| edge measure | ");
        md_text(b, v->measure);
        an_i_sbuf_puts(b, " |\n");
    }
    if (v->edges_before_filters)
        an_i_sbuf_printf(b, "| pairs before filters | %zu |\n", v->edges_before_filters);
    for (size_t i = 0; i < v->n_filter_steps && v->filter_steps; i++) {
        const an_filter_step *f = &v->filter_steps[i];
        an_i_sbuf_puts(b, "| filter ");
        md_text(b, f->name ? f->name : "");
        if (f->detail[0]) {
            char detail[sizeof f->detail + 1];
            memcpy(detail, f->detail, sizeof f->detail);
            detail[sizeof f->detail] = '\0';
            an_i_sbuf_puts(b, " (");
            md_text(b, detail);
            an_i_sbuf_puts(b, ")");
        }
        an_i_sbuf_printf(b, " | %zu edges and %zu actors removed |\n", f->edges_removed,
                         f->actors_removed);
    }
    an_i_sbuf_printf(b, "| edges | %zu |\n", v->n_edges);
    if (v->n_components) an_i_sbuf_printf(b, "| components | %zu |\n", v->n_components);
    if (v->path_sources && v->path_sources < v->n_nodes)
        an_i_sbuf_printf(b,
                         "| path measures | betweenness and closeness estimated from %zu of %zu "
                         "actors as sources (sampled with seed %" PRIu64 ") |\n",
                         v->path_sources, v->n_nodes, v->seed);
    if (v->path_cutoff > 0.0) {
        an_i_sbuf_puts(b, "| path measures | betweenness and closeness with path-length cutoff ");
        put_fixed(b, v->path_cutoff, 6, "n/a");
        an_i_sbuf_puts(b, " |\n");
    }
    an_i_sbuf_printf(b, "| communities | %zu (modularity ", v->n_communities);
    put_fixed(b, v->modularity, 6, "n/a");
    an_i_sbuf_puts(b, ") |\n| community detection | ");
    md_text(b, v->community_algo && v->community_algo[0] ? v->community_algo : "n/a");
    an_i_put_resolution(b, v);
    an_i_sbuf_printf(b, ", seed %" PRIu64 " |\n", v->seed);
    if (o->n_inputs && o->inputs) {
        an_i_sbuf_puts(b, "| inputs | ");
        for (size_t i = 0; i < o->n_inputs; i++) {
            if (i) an_i_sbuf_puts(b, ", ");
            md_text(b, o->inputs[i] ? o->inputs[i] : "");
        }
        an_i_sbuf_puts(b, " |\n");
    }
    if ((o->gazetteer && o->gazetteer[0]) || o->gazetteer_actors || o->gazetteer_aliases) {
        an_i_sbuf_puts(b, "| gazetteer | ");
        if (o->gazetteer && o->gazetteer[0]) {
            md_text(b, o->gazetteer);
            an_i_sbuf_puts(b, " (");
        }
        an_i_sbuf_printf(b, "%zu actors, %zu aliases", o->gazetteer_actors,
                         o->gazetteer_aliases);
        if (o->gazetteer && o->gazetteer[0]) an_i_sbuf_puts(b, ")");
        an_i_sbuf_puts(b, " |\n");
    }
    an_i_sbuf_puts(b, "\n");
}

static void md_actor_table(an_i_writer *w, const an_graph_view *v, const size_t *order) {
    an_i_sbuf *b = &w->b;
    an_i_sbuf_puts(b, "## Actors\n\n");
    if (!v->n_nodes) {
        an_i_sbuf_puts(b, "No actors found.\n\n");
        return;
    }
    an_i_sbuf_puts(b, "Sorted by PageRank.\n\n"
                      "| rank | actor | id | type | mentions | degree | strength | betweenness "
                      "| closeness | PageRank | eigenvector | community |\n"
                      "|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (size_t r = 0; r < v->n_nodes; r++) {
        const an_node *n = &v->nodes[order[r]];
        an_i_sbuf_printf(b, "| %zu | ", r + 1);
        md_text(b, node_label(n));
        an_i_sbuf_puts(b, " | ");
        md_text(b, n->id);
        an_i_sbuf_puts(b, " | ");
        md_text(b, n->type);
        an_i_sbuf_puts(b, " | ");
        for (measure m = M_MENTIONS; m < M_COUNT; m++) {
            put_measure(b, n, m);
            an_i_sbuf_puts(b, " | ");
        }
        an_i_sbuf_printf(b, "%" PRId64 " |\n", n->community);
        an_i_w_maybe_flush(w);
    }
    an_i_sbuf_puts(b, "\n");
}

static int md_top_lists(an_i_writer *w, const an_graph_view *v, size_t top) {
    an_i_sbuf *b = &w->b;
    size_t n = v->n_nodes;
    if (!n) return 1;
    key *keys = an_i_calloc(n, sizeof *keys);
    if (!keys) return 0;
    size_t rows = top < n ? top : n;
    an_i_sbuf_puts(b, "## Top actors\n\n");
    static const measure shown[] = {M_PAGERANK,    M_DEGREE,    M_STRENGTH, M_BETWEENNESS,
                                    M_CLOSENESS,   M_EIGENVECTOR, M_MENTIONS};
    for (size_t s = 0; s < sizeof shown / sizeof shown[0]; s++) {
        measure m = shown[s];
        for (size_t i = 0; i < n; i++) {
            keys[i].x = measure_of(&v->nodes[i], m);
            keys[i].label = node_label(&v->nodes[i]);
            keys[i].idx = i;
        }
        qsort(keys, n, sizeof *keys, cmp_key);
        an_i_sbuf_printf(b, "### Top actors by %s\n\n", measure_name[m]);
        for (size_t r = 0; r < rows; r++) {
            const an_node *nd = &v->nodes[keys[r].idx];
            an_i_sbuf_printf(b, "%zu. ", r + 1);
            md_text(b, node_label(nd));
            an_i_sbuf_puts(b, " \xE2\x80\x94 ");
            put_measure(b, nd, m);
            an_i_sbuf_puts(b, "\n");
        }
        an_i_sbuf_puts(b, "\n");
        an_i_w_maybe_flush(w);
    }
    an_i_free(keys);
    return 1;
}

static int md_communities(an_i_writer *w, const an_graph_view *v, const size_t *order) {
    an_i_sbuf *b = &w->b;
    size_t n = v->n_nodes;
    an_i_sbuf_puts(b, "## Communities\n\n");
    an_i_sbuf_printf(b, "%zu communities (", v->n_communities);
    md_text(b, v->community_algo && v->community_algo[0] ? v->community_algo : "n/a");
    an_i_put_resolution(b, v);
    an_i_sbuf_printf(b, ", seed %" PRIu64 "), modularity ", v->seed);
    put_fixed(b, v->modularity, 6, "n/a");
    an_i_sbuf_puts(b, ". Members are listed by PageRank.\n\n");
    if (!n) return 1;

    ckey *ck = an_i_calloc(n, sizeof *ck);
    if (!ck) return 0;
    for (size_t r = 0; r < n; r++) {
        ck[r].community = v->nodes[order[r]].community;
        ck[r].rank = r;
        ck[r].idx = order[r];
    }
    qsort(ck, n, sizeof *ck, cmp_ckey);

    /* Communities of one actor are gathered in a single line at the end. */
    size_t singles = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && ck[j].community == ck[i].community) j++;
        if (j - i == 1 && ck[i].community >= 0) {
            singles++;
            i = j;
            continue;
        }
        if (ck[i].community < 0)
            an_i_sbuf_printf(b, "### Without community (%zu actors)\n\n", j - i);
        else
            an_i_sbuf_printf(b, "### Community %" PRId64 " (%zu actors)\n\n", ck[i].community,
                             j - i);
        for (size_t k = i; k < j; k++) {
            if (k > i) an_i_sbuf_puts(b, ", ");
            md_text(b, node_label(&v->nodes[ck[k].idx]));
            an_i_w_maybe_flush(w);
        }
        an_i_sbuf_puts(b, "\n\n");
        i = j;
    }
    if (singles) {
        an_i_sbuf_printf(b, "### Actors alone in their community (%zu)\n\n", singles);
        size_t done = 0;
        for (size_t i = 0; i < n;) {
            size_t j = i;
            while (j < n && ck[j].community == ck[i].community) j++;
            if (j - i == 1 && ck[i].community >= 0) {
                if (done++) an_i_sbuf_puts(b, ", ");
                md_text(b, node_label(&v->nodes[ck[i].idx]));
                an_i_sbuf_printf(b, " (community %" PRId64 ")", ck[i].community);
                an_i_w_maybe_flush(w);
            }
            i = j;
        }
        an_i_sbuf_puts(b, "\n\n");
    }
    an_i_free(ck);
    return 1;
}

/* One evidence record as Markdown: the text with mentions in bold, then the document. */
static void md_evidence(an_i_sbuf *b, const an_evidence_item *it) {
    an_i_mark marks[2 * AN_EVIDENCE_MAX_SPANS];
    size_t nm = an_i_evidence_marks(it, marks), at = 0;
    an_i_sbuf_puts(b, "\xE2\x80\x9C");
    for (size_t i = 0; i < nm; i++) {
        md_textn(b, it->text + at, marks[i].start - at);
        an_i_sbuf_puts(b, "**");
        md_textn(b, it->text + marks[i].start, marks[i].end - marks[i].start);
        an_i_sbuf_puts(b, "**");
        at = marks[i].end;
    }
    md_textn(b, it->text + at, it->text_len - at);
    an_i_sbuf_puts(b, "\xE2\x80\x9D (");
    md_text(b, it->doc_id);
    an_i_sbuf_printf(b, ", bytes %zu\xE2\x80\x93%zu)", it->start, it->end);
}

static int md_edges(an_i_writer *w, const an_graph_view *v, size_t top, const an_evidence *ev) {
    an_i_sbuf *b = &w->b;
    size_t m = v->n_edges;
    an_i_sbuf_puts(b, "## Strongest edges\n\n");
    if (!m) {
        an_i_sbuf_puts(b, "No co-mentions.\n");
        return 1;
    }
    ekey *ek = an_i_calloc(m, sizeof *ek);
    if (!ek) return 0;
    for (size_t k = 0; k < m; k++) {
        ek[k].windows = v->edges[k].windows;
        ek[k].a = node_label(&v->nodes[v->edges[k].source]);
        ek[k].b = node_label(&v->nodes[v->edges[k].target]);
        ek[k].idx = k;
    }
    qsort(ek, m, sizeof *ek, cmp_ekey);
    size_t rows = top < m ? top : m;
    an_i_sbuf_printf(b, "By co-mention windows; %zu of %zu edges.\n\n", rows, m);
    an_i_sbuf_puts(b, "| rank | actor | actor | windows | documents | weight |\n"
                      "|---:|---|---|---:|---:|---:|\n");
    for (size_t r = 0; r < rows; r++) {
        const an_edge *e = &v->edges[ek[r].idx];
        an_i_sbuf_printf(b, "| %zu | ", r + 1);
        md_text(b, ek[r].a);
        an_i_sbuf_puts(b, " | ");
        md_text(b, ek[r].b);
        an_i_sbuf_printf(b, " | %" PRIu64 " | %" PRIu64 " | ", e->windows, e->documents);
        put_fixed(b, e->weight, 3, "n/a");
        an_i_sbuf_puts(b, " |\n");
        an_i_w_maybe_flush(w);
    }
    if (ev) {
        an_i_sbuf_puts(b, "\n### Evidence for the strongest edges\n\n"
                          "The first window that counted for each edge; mentions in bold.\n\n");
        for (size_t r = 0; r < rows; r++) {
            const an_edge *e = &v->edges[ek[r].idx];
            size_t n = 0;
            const an_evidence_item *it = an_evidence_pair(ev, v->nodes[e->source].actor,
                                                          v->nodes[e->target].actor, &n);
            an_i_sbuf_printf(b, "%zu. ", r + 1);
            md_text(b, ek[r].a);
            an_i_sbuf_puts(b, " \xE2\x80\x94 ");
            md_text(b, ek[r].b);
            if (!n) {
                an_i_sbuf_puts(b, ": no evidence kept\n");
                continue;
            }
            an_i_sbuf_puts(b, ": ");
            md_evidence(b, it);
            an_i_sbuf_puts(b, "\n");
            an_i_w_maybe_flush(w);
        }
    }
    an_i_free(ek);
    return 1;
}

typedef struct akey {
    uint64_t hits;
    size_t alias;
} akey;

static int cmp_akey(const void *pa, const void *pb) {
    const akey *x = pa, *y = pb;
    if (x->hits != y->hits) return x->hits > y->hits ? -1 : 1;
    return x->alias < y->alias ? -1 : x->alias > y->alias;
}

/* The aliases with the most hits, most first (ties: gazetteer order). NULL
 * with *n = 0 when there is nothing to show; *n = 0 and NULL on OOM too, with
 * *oom set. Caller frees. */
static akey *top_aliases(const an_report_options *o, size_t top, size_t *n, int *oom) {
    *n = 0;
    *oom = 0;
    if (!o->counts || !o->gz) return NULL;
    size_t na = an_gazetteer_alias_count(o->gz);
    if (!na) return NULL;
    akey *k = an_i_calloc(na, sizeof *k);
    if (!k) {
        *oom = 1;
        return NULL;
    }
    size_t m = 0;
    for (size_t i = 0; i < na; i++) {
        uint64_t h = an_counts_alias_hits(o->counts, i);
        if (!h) continue;
        k[m].hits = h;
        k[m].alias = i;
        m++;
    }
    if (m > 1) qsort(k, m, sizeof *k, cmp_akey);
    *n = m < top ? m : top;
    return k;
}

static int md_aliases(an_i_writer *w, const an_report_options *o, size_t top) {
    size_t n;
    int oom;
    akey *k = top_aliases(o, top, &n, &oom);
    if (oom) return 0;
    if (!o->counts || !o->gz) return 1;
    an_i_sbuf *b = &w->b;
    an_i_sbuf_puts(b, "\n## Aliases that fired most\n\n");
    if (!n) {
        an_i_sbuf_puts(b, "No alias matched.\n\n");
        an_i_free(k);
        return 1;
    }
    an_i_sbuf_puts(b, "| rank | alias | actor | hits |\n|---:|---|---|---:|\n");
    for (size_t r = 0; r < n; r++) {
        an_alias_info al;
        an_actor_info ac;
        if (an_gazetteer_alias(o->gz, k[r].alias, &al) != AN_OK) continue;
        an_i_sbuf_printf(b, "| %zu | ", r + 1);
        md_text(b, al.text);
        an_i_sbuf_puts(b, " | ");
        if (an_gazetteer_actor(o->gz, al.actor, &ac) == AN_OK)
            md_text(b, ac.label && ac.label[0] ? ac.label : ac.id);
        an_i_sbuf_printf(b, " | %" PRIu64 " |\n", k[r].hits);
        an_i_w_maybe_flush(w);
    }
    an_i_sbuf_puts(b, "\n");
    an_i_free(k);
    return 1;
}

AN_EXPORT an_status an_report_markdown(const an_graph_view *v, const an_report_options *o,
                                       FILE *out, an_error *err) {
    an_report_options dflt;
    an_status st = an_i_report_begin(v, &o, &dflt, out, "report", err);
    if (st != AN_OK) return st;
    size_t top = o->top ? o->top : AN_REPORT_DEFAULT_TOP;

    size_t *order = an_i_order_by_pagerank(v, 1);
    if (!order) return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "report: out of memory");
    an_i_writer w = {.f = out};
    an_i_sbuf_puts(&w.b, "# ");
    md_text(&w.b, o->title && o->title[0] ? o->title : "actornet report");
    an_i_sbuf_puts(&w.b, "\n\n");
    md_summary(&w, v, o);
    md_actor_table(&w, v, order);
    int ok = md_top_lists(&w, v, top) && md_communities(&w, v, order) &&
             md_edges(&w, v, top, o->evidence) && md_aliases(&w, o, top);
    an_i_free(order);
    if (!ok) {
        an_i_sbuf_free(&w.b);
        return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "report: out of memory");
    }
    return an_i_w_finish(&w, "report", err);
}

/* --- CSV (RFC 4180: CRLF line ends, quotes only where needed) --------------------- */

static void csv_field(an_i_sbuf *b, const char *s) {
    if (!s) s = "";
    if (!strpbrk(s, ",\"\r\n")) {
        an_i_sbuf_puts(b, s);
        return;
    }
    an_i_sbuf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"') an_i_sbuf_putc(b, '"');
        an_i_sbuf_putc(b, *s);
    }
    an_i_sbuf_putc(b, '"');
}

AN_EXPORT an_status an_report_csv_nodes(const an_graph_view *v, FILE *out, an_error *err) {
    if (!out) return an_i_error(err, AN_EINVAL, NULL, 0, 0, "csv: no output stream");
    an_status st = an_i_check_view(v, "csv", err);
    if (st != AN_OK) return st;
    an_i_writer w = {.f = out};
    an_i_sbuf *b = &w.b;
    an_i_sbuf_puts(b, "id,label,type,mentions,windows,documents,degree,strength,betweenness,"
                      "closeness,pagerank,eigenvector,community\r\n");
    for (size_t i = 0; i < v->n_nodes; i++) {
        const an_node *n = &v->nodes[i];
        csv_field(b, n->id);
        an_i_sbuf_putc(b, ',');
        csv_field(b, n->label);
        an_i_sbuf_putc(b, ',');
        csv_field(b, n->type);
        an_i_sbuf_printf(b, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRId64 ",", n->mentions,
                         n->windows, n->documents, n->degree);
        put_fixed(b, n->strength, 6, "");
        an_i_sbuf_putc(b, ',');
        put_fixed(b, n->betweenness, 10, "");
        an_i_sbuf_putc(b, ',');
        put_fixed(b, n->closeness, 10, "");
        an_i_sbuf_putc(b, ',');
        put_fixed(b, n->pagerank, 10, "");
        an_i_sbuf_putc(b, ',');
        put_fixed(b, n->eigenvector, 10, "");
        an_i_sbuf_printf(b, ",%" PRId64 "\r\n", n->community);
        an_i_w_maybe_flush(&w);
    }
    return an_i_w_finish(&w, "csv", err);
}

AN_EXPORT an_status an_report_csv_edges(const an_graph_view *v, FILE *out, an_error *err) {
    if (!out) return an_i_error(err, AN_EINVAL, NULL, 0, 0, "csv: no output stream");
    an_status st = an_i_check_view(v, "csv", err);
    if (st != AN_OK) return st;
    an_i_writer w = {.f = out};
    an_i_sbuf *b = &w.b;
    an_i_sbuf_puts(b, "source_id,target_id,source_label,target_label,windows,documents,weight\r\n");
    for (size_t k = 0; k < v->n_edges; k++) {
        const an_edge *e = &v->edges[k];
        const an_node *s = &v->nodes[e->source], *t = &v->nodes[e->target];
        csv_field(b, s->id);
        an_i_sbuf_putc(b, ',');
        csv_field(b, t->id);
        an_i_sbuf_putc(b, ',');
        csv_field(b, s->label);
        an_i_sbuf_putc(b, ',');
        csv_field(b, t->label);
        an_i_sbuf_printf(b, ",%" PRIu64 ",%" PRIu64 ",", e->windows, e->documents);
        put_fixed(b, e->weight, 6, "");
        an_i_sbuf_puts(b, "\r\n");
        an_i_w_maybe_flush(&w);
    }
    return an_i_w_finish(&w, "csv", err);
}

/* --- JSON report --------------------------------------------------------------------------- */

static const char *const measure_key[M_COUNT] = {
    "mentions", "degree", "strength", "betweenness", "closeness", "pagerank", "eigenvector"};

static void json_evidence(an_i_sbuf *b, const an_evidence_item *it) {
    an_i_sbuf_putc(b, '{');
    an_i_json_evidence_fields(b, it);
    an_i_sbuf_puts(b, ",\"marks\":[");
    an_i_mark marks[2 * AN_EVIDENCE_MAX_SPANS];
    size_t nm = an_i_evidence_marks(it, marks);
    for (size_t i = 0; i < nm; i++)
        an_i_sbuf_printf(b, "%s[%zu,%zu,%d]", i ? "," : "", marks[i].start, marks[i].end,
                         marks[i].who);
    an_i_sbuf_puts(b, "]}");
}

AN_EXPORT an_status an_report_json(const an_graph_view *v, const an_report_options *o, FILE *out,
                                   an_error *err) {
    an_report_options dflt;
    an_status st = an_i_report_begin(v, &o, &dflt, out, "report", err);
    if (st != AN_OK) return st;
    size_t top = o->top ? o->top : AN_REPORT_DEFAULT_TOP;
    size_t n = v->n_nodes, m = v->n_edges;
    size_t *order = an_i_order_by_pagerank(v, 1);
    key *keys = an_i_calloc(n ? n : 1, sizeof *keys);
    ekey *ek = an_i_calloc(m ? m : 1, sizeof *ek);
    ckey *ck = an_i_calloc(n ? n : 1, sizeof *ck);
    size_t n_alias = 0;
    int oom = 0;
    akey *ak = top_aliases(o, top, &n_alias, &oom);
    an_i_writer w = {.f = out};
    an_i_sbuf *b = &w.b;
    if (!order || !keys || !ek || !ck || oom) {
        st = an_i_error(err, AN_ENOMEM, NULL, 0, 0, "report: out of memory");
        goto done;
    }

    an_i_sbuf_puts(b, "{\"title\":");
    an_i_json_str(b, o->title && o->title[0] ? o->title : "actornet report", 0);
    an_i_sbuf_printf(b, ",\n\"summary\":{\"documents\":%" PRIu64 ",\"bytes\":%" PRIu64
                        ",\"mentions\":%" PRIu64 ",\"windows\":%" PRIu64 ",\"window\":",
                     v->documents, v->bytes, v->mentions, v->windows);
    an_i_json_str(b, v->window ? v->window : "", 0);
    size_t found = 0;
    for (size_t i = 0; i < n; i++)
        if (v->nodes[i].mentions > 0) found++;
    an_i_sbuf_printf(b, ",\"actors_found\":%zu,\"measure\":", found);
    an_i_json_str(b, v->measure ? v->measure : "", 0);
    an_i_sbuf_printf(b, ",\"pairs_before_filters\":%zu,\"edges\":%zu,\"components\":%zu,"
                        "\"communities\":%zu,\"modularity\":",
                     v->edges_before_filters, m, v->n_components, v->n_communities);
    an_i_json_num(b, v->modularity);
    an_i_sbuf_puts(b, ",\"community_algo\":");
    an_i_json_str(b, v->community_algo ? v->community_algo : "", 0);
    an_i_sbuf_puts(b, ",\"resolution\":");
    an_i_json_num(b, v->resolution);
    an_i_sbuf_printf(b, ",\"seed\":%" PRIu64 ",\"path_sources\":%zu,\"betweenness_cutoff\":",
                     v->seed, v->path_sources);
    if (v->path_cutoff > 0.0)
        an_i_json_num(b, v->path_cutoff);
    else
        an_i_sbuf_puts(b, "null");
    an_i_sbuf_puts(b, ",\"inputs\":[");
    for (size_t i = 0; i < o->n_inputs && o->inputs; i++) {
        if (i) an_i_sbuf_putc(b, ',');
        an_i_json_str(b, o->inputs[i] ? o->inputs[i] : "", 0);
    }
    an_i_sbuf_puts(b, "],\"gazetteer\":");
    an_i_json_str(b, o->gazetteer ? o->gazetteer : "", 0);
    an_i_sbuf_printf(b, ",\"gazetteer_actors\":%zu,\"gazetteer_aliases\":%zu},\n\"filters\":[",
                     o->gazetteer_actors, o->gazetteer_aliases);
    an_i_json_filter_steps(b, v);

    /* actors by PageRank, every measure */
    an_i_sbuf_puts(b, "],\n\"actors\":[");
    for (size_t r = 0; r < n; r++) {
        const an_node *nd = &v->nodes[order[r]];
        an_i_sbuf_puts(b, r ? ",\n{\"id\":" : "\n{\"id\":");
        an_i_json_str(b, nd->id, 0);
        an_i_sbuf_puts(b, ",\"label\":");
        an_i_json_str(b, nd->label, 0);
        an_i_sbuf_puts(b, ",\"type\":");
        an_i_json_str(b, nd->type, 0);
        an_i_sbuf_printf(b,
                         ",\"rank\":%zu,\"mentions\":%" PRIu64 ",\"windows\":%" PRIu64
                         ",\"documents\":%" PRIu64 ",\"degree\":%" PRId64 ",\"strength\":",
                         r + 1, nd->mentions, nd->windows, nd->documents, nd->degree);
        an_i_json_num(b, nd->strength);
        an_i_sbuf_puts(b, ",\"betweenness\":");
        an_i_json_num(b, nd->betweenness);
        an_i_sbuf_puts(b, ",\"closeness\":");
        an_i_json_num(b, nd->closeness);
        an_i_sbuf_puts(b, ",\"pagerank\":");
        an_i_json_num(b, nd->pagerank);
        an_i_sbuf_puts(b, ",\"eigenvector\":");
        an_i_json_num(b, nd->eigenvector);
        an_i_sbuf_printf(b, ",\"coreness\":%" PRId64 ",\"clustering\":", nd->coreness);
        an_i_json_num(b, nd->clustering);
        an_i_sbuf_printf(b, ",\"component\":%" PRId64 ",\"community\":%" PRId64 "}",
                         nd->component, nd->community);
        an_i_w_maybe_flush(&w);
    }

    /* top lists: ids */
    an_i_sbuf_puts(b, "],\n\"top\":{");
    size_t rows = top < n ? top : n;
    for (measure ms = M_MENTIONS; ms < M_COUNT; ms++) {
        for (size_t i = 0; i < n; i++) {
            keys[i].x = measure_of(&v->nodes[i], ms);
            keys[i].label = node_label(&v->nodes[i]);
            keys[i].idx = i;
        }
        if (n > 1) qsort(keys, n, sizeof *keys, cmp_key);
        an_i_sbuf_printf(b, "%s\"%s\":[", ms ? "," : "", measure_key[ms]);
        for (size_t r = 0; r < rows; r++) {
            if (r) an_i_sbuf_putc(b, ',');
            an_i_json_str(b, v->nodes[keys[r].idx].id, 0);
        }
        an_i_sbuf_putc(b, ']');
    }

    /* communities, members by PageRank */
    an_i_sbuf_puts(b, "},\n\"communities\":[");
    for (size_t r = 0; r < n; r++) {
        ck[r].community = v->nodes[order[r]].community;
        ck[r].rank = r;
        ck[r].idx = order[r];
    }
    if (n > 1) qsort(ck, n, sizeof *ck, cmp_ckey);
    for (size_t i = 0, c = 0; i < n; c++) {
        size_t j = i;
        while (j < n && ck[j].community == ck[i].community) j++;
        an_i_sbuf_printf(b, "%s{\"community\":%" PRId64 ",\"size\":%zu,\"members\":[",
                         c ? ",\n" : "\n", ck[i].community, j - i);
        for (size_t k = i; k < j; k++) {
            if (k > i) an_i_sbuf_putc(b, ',');
            an_i_json_str(b, v->nodes[ck[k].idx].id, 0);
        }
        an_i_sbuf_puts(b, "]}");
        an_i_w_maybe_flush(&w);
        i = j;
    }

    /* strongest edges */
    an_i_sbuf_puts(b, "],\n\"strongest_edges\":[");
    for (size_t k = 0; k < m; k++) {
        ek[k].windows = v->edges[k].windows;
        ek[k].a = node_label(&v->nodes[v->edges[k].source]);
        ek[k].b = node_label(&v->nodes[v->edges[k].target]);
        ek[k].idx = k;
    }
    if (m > 1) qsort(ek, m, sizeof *ek, cmp_ekey);
    size_t erows = top < m ? top : m;
    for (size_t r = 0; r < erows; r++) {
        const an_edge *e = &v->edges[ek[r].idx];
        an_i_sbuf_puts(b, r ? ",\n{\"source\":" : "\n{\"source\":");
        an_i_json_str(b, v->nodes[e->source].id, 0);
        an_i_sbuf_puts(b, ",\"target\":");
        an_i_json_str(b, v->nodes[e->target].id, 0);
        an_i_sbuf_printf(b, ",\"windows\":%" PRIu64 ",\"documents\":%" PRIu64 ",\"weight\":",
                         e->windows, e->documents);
        an_i_json_num(b, e->weight);
        an_i_sbuf_puts(b, ",\"score\":");
        an_i_json_num(b, e->score);
        if (o->evidence) {
            size_t ne = 0;
            const an_evidence_item *it = an_evidence_pair(
                o->evidence, v->nodes[e->source].actor, v->nodes[e->target].actor, &ne);
            an_i_sbuf_puts(b, ",\"evidence\":");
            if (ne)
                json_evidence(b, it);
            else
                an_i_sbuf_puts(b, "null");
        }
        an_i_sbuf_putc(b, '}');
        an_i_w_maybe_flush(&w);
    }
    an_i_sbuf_putc(b, ']');

    if (o->counts && o->gz) {
        an_i_sbuf_puts(b, ",\n\"aliases\":[");
        for (size_t r = 0; r < n_alias; r++) {
            an_alias_info al;
            an_actor_info ac;
            if (an_gazetteer_alias(o->gz, ak[r].alias, &al) != AN_OK) continue;
            an_i_sbuf_puts(b, r ? ",{\"alias\":" : "{\"alias\":");
            an_i_json_str(b, al.text, 0);
            an_i_sbuf_puts(b, ",\"actor\":");
            an_i_json_str(b, an_gazetteer_actor(o->gz, al.actor, &ac) == AN_OK ? ac.id : "", 0);
            an_i_sbuf_printf(b, ",\"hits\":%" PRIu64 "}", ak[r].hits);
        }
        an_i_sbuf_putc(b, ']');
    }
    an_i_sbuf_puts(b, "}\n");
    st = an_i_w_finish(&w, "report", err);
done:
    if (st != AN_OK) an_i_sbuf_free(&w.b);
    an_i_free(order);
    an_i_free(keys);
    an_i_free(ek);
    an_i_free(ck);
    an_i_free(ak);
    return st;
}
