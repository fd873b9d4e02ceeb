/* Tests for graph/render.c and graph/report.c on hand-built graph views.
 *
 * Usage: test_render CASE. Golden files live in tests/render/golden/; run with
 * AN_UPDATE_GOLDEN=1 to rewrite them (then review the diff). On a mismatch the
 * actual output is written next to the build as <name>.actual.
 * Cases that need `dot` or `xmllint` exit 77 (skip) when those are missing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actornet/render.h"
#include "test_util.h"
#include "test_files.h"

#define SKIP 77

/* --- views ------------------------------------------------------------------ */

static an_filter_step small_filters[1] = {{"min_count", "min=2", 3, 0}};
static an_node small_nodes[6];
static an_edge small_edges[5];

static an_node mk_node(size_t actor, const char *id, const char *label, const char *type,
                       uint64_t mentions, int64_t degree, double strength, double betweenness,
                       double closeness, double pagerank, double eigenvector, int64_t community) {
    an_node n;
    memset(&n, 0, sizeof n);
    n.actor = actor;
    n.id = id;
    n.label = label;
    n.type = type;
    n.mentions = mentions;
    n.windows = mentions * 3 / 4;
    n.documents = mentions / 4 + 1;
    n.degree = degree;
    n.strength = strength;
    n.betweenness = betweenness;
    n.closeness = closeness;
    n.pagerank = pagerank;
    n.eigenvector = eigenvector;
    n.community = community;
    return n;
}

static an_edge mk_edge(size_t s, size_t t, uint64_t windows, uint64_t documents) {
    an_edge e;
    memset(&e, 0, sizeof e);
    e.source = s;
    e.target = t;
    e.windows = windows;
    e.documents = documents;
    e.weight = e.score = (double)windows;
    return e;
}

static an_graph_view small_view(void) {
    /* two communities of 3 and 2 actors and one isolated actor; HTS and UN tie on PageRank */
    small_nodes[0] = mk_node(0, "SYR", "Syria", "country", 40, 3, 9.0, 0.6, 0.8, 0.30, 1.0, 0);
    small_nodes[1] = mk_node(1, "RUS", "Russia", "country", 25, 2, 6.0, 0.0, 0.6, 0.22, 0.8, 0);
    small_nodes[2] = mk_node(2, "HTS", "Hay'at Tahrir al-Sham", "armed_group", 12, 2, 4.0, 0.0,
                             0.55, 0.15, 0.6, 0);
    small_nodes[3] = mk_node(3, "UN", "United Nations", "organisation", 15, 2, 3.0, 0.4, 0.5,
                             0.15, 0.3, 1);
    small_nodes[4] = mk_node(4, "ASSAD", "Assad, Bashar \"the doctor\"", "person", 8, 1, 2.0, 0.0,
                             0.35, 0.10, 0.1, 1);
    small_nodes[5] = mk_node(5, "XYZ", "Isolated Org", "other", 2, 0, 0.0, 0.0, 0.0, 0.08, 0.0, 2);
    small_edges[0] = mk_edge(0, 1, 5, 4);
    small_edges[1] = mk_edge(0, 2, 3, 2);
    small_edges[2] = mk_edge(0, 3, 1, 1);
    small_edges[3] = mk_edge(1, 2, 1, 1);
    small_edges[4] = mk_edge(3, 4, 2, 2);
    an_graph_view v;
    memset(&v, 0, sizeof v);
    v.n_nodes = sizeof small_nodes / sizeof small_nodes[0];
    v.nodes = small_nodes;
    v.n_edges = sizeof small_edges / sizeof small_edges[0];
    v.edges = small_edges;
    v.n_communities = 3;
    v.modularity = 0.234567891;
    v.documents = 12;
    v.bytes = 34567;
    v.mentions = 102;
    v.windows = 80;
    v.window = "sentence";
    v.community_algo = "louvain";
    v.seed = 1;
    v.measure = "count";
    v.n_components = 2;
    v.n_filter_steps = 1;
    v.filter_steps = small_filters;
    v.edges_before_filters = 8;
    return v;
}

/* Labels that break naive escaping in DOT, SVG, Markdown or CSV. */
static const char *const nasty_labels[] = {
    "say \"hi\"",
    "back\\slash",
    "trailing\\",
    "quote at end\\\"",
    "<b>&amp; & co</b>",
    "line1\nline2\r\nline3",
    "ctl\x01\x07\x1b[0m\x7f end",
    "\xd8\xa7\xd9\x84\xd8\xac\xd8\xb2\xd9\x8a\xd8\xb1\xd8\xa9",   /* Arabic: al-Jazeera */
    "emoji \xf0\x9f\x98\x80 \xf0\x9f\x87\xb8\xf0\x9f\x87\xbe",   /* grinning face, flag */
    "\\N \\G \\n | `code` *star* _under_ [link](x) #hash",
    "bad utf8 \xff\xfe\xc0\xaf end",
    "nonchar \xef\xbf\xbe c1 \xc2\x85 end",
    "comma, \"quoted\", semi;",
    /* longer than agwrite's line length, so it wraps the string with `\` + newline */
    ("long \\ \"wrapped\" label \\\\ with many backslashes \\ and quotes \" to force a line "
     "break inside the quoted string \\ again \\ and again \\ until \\ the \\ end \\ ok\\"),
};
#define N_NASTY (sizeof nasty_labels / sizeof nasty_labels[0])

static an_node nasty_nodes[N_NASTY];
static an_edge nasty_edges[N_NASTY];
static char nasty_ids[N_NASTY][16];

static an_graph_view nasty_view(void) {
    for (size_t i = 0; i < N_NASTY; i++) {
        an_node *n = &nasty_nodes[i];
        memset(n, 0, sizeof *n);
        snprintf(nasty_ids[i], sizeof nasty_ids[i], "id&<%zu>\\", i);
        n->actor = i;
        n->id = nasty_ids[i];
        n->label = nasty_labels[i];
        n->type = i % 2 ? "type \"x\" \\" : "country";
        n->mentions = 10 + i;
        n->windows = 5 + i;
        n->documents = 1 + i;
        n->degree = 2;
        n->strength = 3.5;
        n->betweenness = 0.01 * (double)i;
        n->closeness = 0.5;
        n->pagerank = 1.0 / (double)(i + 2);
        n->eigenvector = 0.5;
        n->community = (int64_t)(i % 3);
        /* a ring, so every label has an edge tooltip too */
        nasty_edges[i].source = i < N_NASTY - 1 ? i : 0;
        nasty_edges[i].target = i < N_NASTY - 1 ? i + 1 : N_NASTY - 1;
        nasty_edges[i].windows = 1 + i;
        nasty_edges[i].documents = 1;
        nasty_edges[i].weight = (double)(1 + i);
    }
    an_graph_view v = small_view();
    v.n_nodes = N_NASTY;
    v.nodes = nasty_nodes;
    v.n_edges = N_NASTY;
    v.edges = nasty_edges;
    v.window = "para|graph";
    v.community_algo = "lou*vain";
    return v;
}

static an_graph_view empty_view(void) {
    an_graph_view v = small_view();
    v.n_nodes = 0;
    v.nodes = NULL;
    v.n_edges = 0;
    v.edges = NULL;
    v.n_communities = 0;
    v.modularity = 0.0;
    return v;
}

/* --- helpers ------------------------------------------------------------------ */

typedef struct mem {
    char *buf;
    size_t len;
    FILE *f;
} mem;

static void mem_open(mem *m) {
    m->buf = NULL;
    m->len = 0;
    m->f = open_memstream(&m->buf, &m->len);
    if (!m->f) {
        perror("open_memstream");
        exit(1);
    }
}

static void mem_close(mem *m) {
    if (fclose(m->f) != 0) T_FAIL("fclose of memstream failed");
    m->f = NULL;
}


/* Runs `dot -Tsvg` on the DOT text; returns the SVG (caller frees) or NULL. */
static char *dot_to_svg(const char *dot, size_t len, const char *tag, size_t *svg_len) {
    char in[128], out[128], errp[128], cmd[512];
    snprintf(in, sizeof in, "%s/%s.dot", tmpdir, tag);
    snprintf(out, sizeof out, "%s/%s.svg", tmpdir, tag);
    snprintf(errp, sizeof errp, "%s/%s.err", tmpdir, tag);
    t_write_file(in, dot, len);
    snprintf(cmd, sizeof cmd, "dot -Tsvg '%s' -o '%s' 2>'%s'", in, out, errp);
    int rc = system(cmd);
    size_t elen = 0;
    char *e = t_read_file(errp, &elen);
    if (rc != 0) {
        T_FAIL("dot rejected %s (rc %d): %s", in, rc, e ? e : "");
        free(e);
        return NULL;
    }
    if (e && elen) T_FAIL("dot printed diagnostics for %s: %s", in, e);
    free(e);
    char *svg = t_read_file(out, svg_len);
    if (!svg) T_FAIL("dot wrote no %s", out);
    return svg;
}

/* xmllint --noout on the buffer; returns 1 when valid. */
static int xml_valid(const char *buf, size_t len, const char *tag) {
    char path[128], cmd[512];
    snprintf(path, sizeof path, "%s/%s.xml.svg", tmpdir, tag);
    t_write_file(path, buf, len);
    snprintf(cmd, sizeof cmd, "xmllint --noout --nonet '%s'", path);
    int rc = system(cmd);
    if (rc != 0) T_FAIL("xmllint rejected %s (rc %d)", path, rc);
    return rc == 0;
}

/* --- cases --------------------------------------------------------------------- */

static int case_dot_golden(void) {
    an_graph_view v = small_view();
    an_render_options o;
    an_render_options_init(&o);
    o.title = "Small \"test\" map";
    mem m;
    mem_open(&m);
    T_OK(an_render_dot(&v, &o, m.f, NULL));
    mem_close(&m);
    t_check_golden("render", "small.dot", m.buf, m.len);
    /* every actor is drawn, with an ASCII node name and its label */
    for (size_t i = 0; i < v.n_nodes; i++) {
        char name[32];
        snprintf(name, sizeof name, "\tn%zu\t", i);
        T_CONTAINS(m.buf, m.len, name);
    }
    T_CONTAINS(m.buf, m.len, "showing 6 of 6 actors");
    T_CONTAINS(m.buf, m.len, "layout=neato");
    T_CONTAINS(m.buf, m.len, "start=1");
    T_LACKS(m.buf, m.len, "pos=");   /* written before layout */
    free(m.buf);

    /* byte-identical on a second run */
    mem m2;
    mem_open(&m2);
    T_OK(an_render_dot(&v, &o, m2.f, NULL));
    mem_close(&m2);
    t_check_golden("render", "small.dot", m2.buf, m2.len);
    free(m2.buf);
    T_DONE();
}

static int case_md_golden(void) {
    an_graph_view v = small_view();
    an_report_options o;
    an_report_options_init(&o);
    const char *inputs[] = {"news/a.txt", "news/b_c.txt"};
    o.inputs = inputs;
    o.n_inputs = 2;
    o.gazetteer = "examples/actors.tsv";
    o.gazetteer_actors = 120;
    o.gazetteer_aliases = 480;
    o.top = 3;
    mem m;
    mem_open(&m);
    T_OK(an_report_markdown(&v, &o, m.f, NULL));
    mem_close(&m);
    t_check_golden("render", "small.md", m.buf, m.len);
    T_CONTAINS(m.buf, m.len, "# actornet report\n");
    T_CONTAINS(m.buf, m.len, "| 1 | Syria | SYR | country | 40 | 3 | 9.000 | 0.600000 |");
    T_CONTAINS(m.buf, m.len, "| communities | 3 (modularity 0.234568) |");
    T_CONTAINS(m.buf, m.len, "news/b\\_c.txt");
    T_CONTAINS(m.buf, m.len, "| filter min\\_count (min=2) | 3 edges and 0 actors removed |");
    free(m.buf);
    T_DONE();
}

static int case_csv_golden(void) {
    an_graph_view v = small_view();
    mem m;
    mem_open(&m);
    T_OK(an_report_csv_nodes(&v, m.f, NULL));
    mem_close(&m);
    t_check_golden("render", "small_nodes.csv", m.buf, m.len);
    T_CONTAINS(m.buf, m.len, "ASSAD,\"Assad, Bashar \"\"the doctor\"\"\",person,");
    free(m.buf);

    mem_open(&m);
    T_OK(an_report_csv_edges(&v, m.f, NULL));
    mem_close(&m);
    t_check_golden("render", "small_edges.csv", m.buf, m.len);
    T_CONTAINS(m.buf, m.len,
               "source_id,target_id,source_label,target_label,windows,documents,weight\r\n"
               "SYR,RUS,Syria,Russia,5,4,5.000000\r\n");
    free(m.buf);
    T_DONE();
}

static int case_nasty_dot_parses(void) {
    if (!t_have_tool("dot") || !t_have_tool("xmllint")) return SKIP;
    t_make_tmpdir("render");
    an_graph_view v = nasty_view();
    an_render_options o;
    an_render_options_init(&o);
    o.title = "title \"q\" \\ & <x> \xd8\xa7 \xf0\x9f\x98\x80 end\\";
    mem m;
    mem_open(&m);
    T_OK(an_render_dot(&v, &o, m.f, NULL));
    mem_close(&m);
    T_LACKS(m.buf, m.len, "\x01");
    T_LACKS(m.buf, m.len, "\x7f");
    size_t slen = 0;
    char *svg = dot_to_svg(m.buf, m.len, "nasty", &slen);
    if (svg) {
        xml_valid(svg, slen, "nasty");
        /* labels round-trip as XML text (backslashes kept, entities escaped once) */
        T_CONTAINS(svg, slen, ">trailing\\</text>");
        T_CONTAINS(svg, slen, ">back\\slash</text>");
        T_CONTAINS(svg, slen, ">quote at end\\&quot;</text>");
        T_CONTAINS(svg, slen, ">&lt;b&gt;&amp;amp; &amp; co&lt;/b&gt;</text>");
        T_CONTAINS(svg, slen, ">line1</text>");
        T_CONTAINS(svg, slen, ">line2</text>");
        T_CONTAINS(svg, slen, ">\xd8\xa7\xd9\x84\xd8\xac\xd8\xb2\xd9\x8a\xd8\xb1\xd8\xa9</text>");
        T_CONTAINS(svg, slen, ">emoji \xf0\x9f\x98\x80 \xf0\x9f\x87\xb8\xf0\x9f\x87\xbe</text>");
        T_CONTAINS(svg, slen, ">\\N \\G \\n | `code` *star* _under_ [link](x) #hash</text>");
        T_CONTAINS(svg, slen, ">ctl[0m end</text>");
        T_CONTAINS(svg, slen, "bad utf8 \xef\xbf\xbd");
        T_CONTAINS(svg, slen, ">nonchar &#160;c1 &#160;end</text>");
        T_CONTAINS(svg, slen, "end\\</text>"); /* the title's trailing backslash */
        T_CONTAINS(svg, slen, "\\ end \\ ok\\</text>");
        /* tooltips: expanded twice by Graphviz, still the original text */
        T_CONTAINS(svg, slen, "xlink:title=\"trailing\\ (id&amp;&lt;2&gt;\\)");
        free(svg);
    }
    free(m.buf);
    t_remove_tmpdir();
    T_DONE();
}

static int case_nasty_svg_valid(void) {
    if (!t_have_tool("xmllint")) return SKIP;
    t_make_tmpdir("render");
    an_graph_view v = nasty_view();
    an_render_options o;
    an_render_options_init(&o);
    o.title = "nasty \\";
    mem m;
    mem_open(&m);
    T_OK(an_render_image(&v, &o, "svg", m.f, NULL));
    mem_close(&m);
    T_ASSERT(m.len > 0);
    xml_valid(m.buf, m.len, "nasty-lib");
    T_CONTAINS(m.buf, m.len, ">trailing\\</text>");
    T_CONTAINS(m.buf, m.len, ">&lt;b&gt;&amp;amp; &amp; co&lt;/b&gt;</text>");
    T_CONTAINS(m.buf, m.len, ">\xd8\xa7\xd9\x84\xd8\xac\xd8\xb2\xd9\x8a\xd8\xb1\xd8\xa9</text>");
    T_CONTAINS(m.buf, m.len, "\xf0\x9f\x98\x80");
    free(m.buf);
    t_remove_tmpdir();
    T_DONE();
}

static int case_svg_small(void) {
    an_graph_view v = small_view();
    an_render_options o;
    an_render_options_init(&o);
    o.title = "Small map";
    mem m;
    mem_open(&m);
    T_OK(an_render_image(&v, &o, "svg", m.f, NULL));
    mem_close(&m);
    T_CONTAINS(m.buf, m.len, "<svg");
    T_CONTAINS(m.buf, m.len, "</svg>");
    T_CONTAINS(m.buf, m.len, ">Syria</text>");
    T_CONTAINS(m.buf, m.len, ">Russia</text>");
    T_CONTAINS(m.buf, m.len, ">Hay&#39;at Tahrir al&#45;Sham</text>");
    T_CONTAINS(m.buf, m.len, ">United Nations</text>");
    T_CONTAINS(m.buf, m.len, ">Assad, Bashar &quot;the doctor&quot;</text>");
    T_CONTAINS(m.buf, m.len, ">Isolated Org</text>");
    T_CONTAINS(m.buf, m.len, ">Small map</text>");
    T_CONTAINS(m.buf, m.len, "showing 6 of 6 actors");
    /* the two communities get palette colours, the singleton grey */
    T_CONTAINS(m.buf, m.len, "fill=\"#77aadd\"");
    T_CONTAINS(m.buf, m.len, "fill=\"#ee8866\"");
    T_CONTAINS(m.buf, m.len, "fill=\"#dddddd\"");
    if (t_have_tool("xmllint")) {
        t_make_tmpdir("render");
        xml_valid(m.buf, m.len, "small");
        t_remove_tmpdir();
    }

    /* same seed, same picture */
    mem m2;
    mem_open(&m2);
    T_OK(an_render_image(&v, &o, "svg", m2.f, NULL));
    mem_close(&m2);
    T_ASSERT(m.len == m2.len && memcmp(m.buf, m2.buf, m.len) == 0);
    free(m.buf);
    free(m2.buf);
    T_DONE();
}

static int case_png_pdf(void) {
    an_graph_view v = small_view();
    mem m;
    mem_open(&m);
    T_OK(an_render_image(&v, NULL, "png", m.f, NULL));
    mem_close(&m);
    T_ASSERT(m.len > 8 && memcmp(m.buf, "\x89PNG\r\n\x1a\n", 8) == 0);
    free(m.buf);
    mem_open(&m);
    T_OK(an_render_image(&v, NULL, "pdf", m.f, NULL));
    mem_close(&m);
    T_ASSERT(m.len > 5 && memcmp(m.buf, "%PDF-", 5) == 0);
    free(m.buf);
    T_DONE();
}

/* an_render_images lays out once and writes each format: the bytes are those of
 * one an_render_image call per format. A PDF is only checked to be one: cairo 1.16
 * writes the clock into it, and some of its text coordinates differ in the sixth
 * decimal between runs under address-space randomisation (docs/outputs.md). */
static int case_images_one_layout(void) {
    an_graph_view v = small_view();
    an_render_options o;
    an_render_options_init(&o);
    o.seed = 7;
    const char *formats[] = {"svg", "png", "pdf", "svg"};
    mem many[4], one[4];
    FILE *outs[4];
    for (int i = 0; i < 4; i++) {
        mem_open(&many[i]);
        outs[i] = many[i].f;
    }
    T_OK(an_render_images(&v, &o, formats, outs, 4, NULL));
    for (int i = 0; i < 4; i++) {
        mem_close(&many[i]);
        mem_open(&one[i]);
        T_OK(an_render_image(&v, &o, formats[i], one[i].f, NULL));
        mem_close(&one[i]);
        if (i == 2)
            T_ASSERT(many[i].len > 5 && memcmp(many[i].buf, "%PDF-", 5) == 0);
        else
            T_ASSERT(many[i].len > 0 && many[i].len == one[i].len &&
                     memcmp(many[i].buf, one[i].buf, one[i].len) == 0);
        free(many[i].buf);
        free(one[i].buf);
    }
    /* refusals: nothing to write, a bad format anywhere, a missing stream */
    an_error err;
    an_error_clear(&err);
    T_EQ_INT(an_render_images(&v, &o, formats, outs, 0, &err), AN_EINVAL);
    const char *bad[] = {"svg", "gif"};
    mem m;
    mem_open(&m);
    FILE *two[] = {m.f, m.f};
    T_EQ_INT(an_render_images(&v, &o, bad, two, 2, &err), AN_EINVAL);
    T_ASSERT(strstr(err.message, "'gif'") != NULL);
    FILE *none[] = {m.f, NULL};
    T_EQ_INT(an_render_images(&v, &o, formats, none, 2, &err), AN_EINVAL);
    mem_close(&m);
    T_ASSERT(m.len == 0); /* refused before any output */
    free(m.buf);
    T_DONE();
}

static int case_cap(void) {
    an_graph_view v = small_view();
    an_render_options o;
    an_render_options_init(&o);
    /* HTS and UN tie on PageRank (0.15): the lower node index (HTS, n2) wins */
    o.max_nodes = 3;
    mem m;
    mem_open(&m);
    T_OK(an_render_dot(&v, &o, m.f, NULL));
    mem_close(&m);
    T_CONTAINS(m.buf, m.len, "\tn0\t");
    T_CONTAINS(m.buf, m.len, "\tn1\t");
    T_CONTAINS(m.buf, m.len, "\tn2\t");
    T_LACKS(m.buf, m.len, "\tn3\t");
    T_LACKS(m.buf, m.len, "\tn4\t");
    T_LACKS(m.buf, m.len, "\tn5\t");
    T_LACKS(m.buf, m.len, "United Nations");
    T_LACKS(m.buf, m.len, "n0 -- n3");
    T_CONTAINS(m.buf, m.len, "n0 -- n1");
    T_CONTAINS(m.buf, m.len, "showing 3 of 6 actors (highest PageRank)");
    T_CONTAINS(m.buf, m.len, "showing 3 of 6 actors\\l");
    free(m.buf);

    /* the same cap on the image */
    mem_open(&m);
    T_OK(an_render_image(&v, &o, "svg", m.f, NULL));
    mem_close(&m);
    T_CONTAINS(m.buf, m.len, ">Syria</text>");
    T_LACKS(m.buf, m.len, ">Isolated Org</text>");
    T_CONTAINS(m.buf, m.len, "showing 3 of 6 actors");
    free(m.buf);

    /* max_nodes 0 = 150: everything drawn */
    o.max_nodes = 0;
    mem_open(&m);
    T_OK(an_render_dot(&v, &o, m.f, NULL));
    mem_close(&m);
    T_CONTAINS(m.buf, m.len, "\tn5\t");
    T_LACKS(m.buf, m.len, "(highest PageRank)");
    free(m.buf);
    T_DONE();
}

/* 80 actors on a ring: 80 x 80 exceeds the spline budget, so edges are straight. */
static int case_spline_budget(void) {
    static an_node nodes[80];
    static an_edge edges[80];
    static char ids[80][8];
    for (size_t i = 0; i < 80; i++) {
        snprintf(ids[i], sizeof ids[i], "A%zu", i);
        nodes[i] = mk_node(i, ids[i], ids[i], "country", 5, 2, 2.0, 0.0, 0.5, 1.0 / 80, 0.5, 0);
        edges[i] = i < 79 ? mk_edge(i, i + 1, 1, 1) : mk_edge(0, 79, 1, 1);
    }
    an_graph_view v = small_view();
    v.n_nodes = v.n_edges = 80;
    v.nodes = nodes;
    v.edges = edges;
    mem m;
    mem_open(&m);
    T_OK(an_render_dot(&v, NULL, m.f, NULL));
    mem_close(&m);
    T_CONTAINS(m.buf, m.len, "splines=false");
    free(m.buf);
    v.n_edges = 60; /* 80 x 60 = 4800: routed */
    mem_open(&m);
    T_OK(an_render_dot(&v, NULL, m.f, NULL));
    mem_close(&m);
    T_CONTAINS(m.buf, m.len, "splines=true");
    free(m.buf);
    T_DONE();
}

static int case_empty(void) {
    an_graph_view v = empty_view();
    an_render_options o;
    an_render_options_init(&o);
    o.title = "Nothing";
    mem m;
    mem_open(&m);
    T_OK(an_render_dot(&v, &o, m.f, NULL));
    mem_close(&m);
    T_CONTAINS(m.buf, m.len, "no actors found");
    int tools = t_have_tool("dot") && t_have_tool("xmllint");
    if (tools) {
        t_make_tmpdir("render");
        size_t slen = 0;
        char *svg = dot_to_svg(m.buf, m.len, "empty", &slen);
        if (svg) {
            xml_valid(svg, slen, "empty-dot");
            T_CONTAINS(svg, slen, "no actors found");
        }
        free(svg);
    }
    free(m.buf);

    mem_open(&m);
    T_OK(an_render_image(&v, &o, "svg", m.f, NULL));
    mem_close(&m);
    T_CONTAINS(m.buf, m.len, ">no actors found</text>");
    if (tools) xml_valid(m.buf, m.len, "empty-lib");
    free(m.buf);

    mem_open(&m);
    T_OK(an_report_markdown(&v, NULL, m.f, NULL));
    mem_close(&m);
    T_CONTAINS(m.buf, m.len, "No actors found.");
    T_CONTAINS(m.buf, m.len, "No co-mentions.");
    free(m.buf);

    mem_open(&m);
    T_OK(an_report_csv_nodes(&v, m.f, NULL));
    mem_close(&m);
    T_EQ_STR(m.buf, "id,label,type,mentions,windows,documents,degree,strength,betweenness,"
                    "closeness,pagerank,eigenvector,community\r\n");
    free(m.buf);
    if (tools) t_remove_tmpdir();
    T_DONE();
}

/* Counts '|' not escaped by a backslash. */
static int count_pipes(const char *line, size_t len) {
    int n = 0;
    for (size_t i = 0; i < len; i++) {
        if (line[i] == '\\') {
            i++;
            continue;
        }
        if (line[i] == '|') n++;
    }
    return n;
}

static int case_md_escaping(void) {
    an_graph_view v = nasty_view();
    mem m;
    mem_open(&m);
    an_report_options o;
    an_report_options_init(&o);
    o.title = "Title # with | pipe\nand newline";
    T_OK(an_report_markdown(&v, &o, m.f, NULL));
    mem_close(&m);
    T_ASSERT(strlen(m.buf) == m.len); /* no NUL inside */
    T_LACKS(m.buf, m.len, "\r");
    T_LACKS(m.buf, m.len, "\x01");
    T_LACKS(m.buf, m.len, "\x7f");
    T_LACKS(m.buf, m.len, "\xc2\x85");
    T_LACKS(m.buf, m.len, "\xef\xbf\xbe");
    T_CONTAINS(m.buf, m.len, "# Title \\# with \\| pipe and newline\n");
    T_CONTAINS(m.buf, m.len, "trailing\\\\ |");
    T_CONTAINS(m.buf, m.len, "\\<b\\>\\&amp; \\& co\\</b\\>");
    T_CONTAINS(m.buf, m.len, "line1 line2  line3");
    /* every row of the actor table has exactly 13 cell borders */
    int in_table = 0, rows = 0;
    const char *p = m.buf, *end = m.buf + m.len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (len >= 7 && memcmp(p, "| rank | actor | id", 19 < len ? 19 : len) == 0) in_table = 1;
        else if (in_table && len == 0) in_table = 0;
        if (in_table) {
            rows++;
            if (count_pipes(p, len) != 13) T_FAIL("bad table row: %.*s", (int)len, p);
        }
        p = nl ? nl + 1 : end;
    }
    T_EQ_INT(rows, N_NASTY + 2);
    free(m.buf);
    T_DONE();
}

/* A small RFC 4180 reader: returns the fields of the record at *p. */
static size_t csv_record(const char **p, const char *end, char fields[][256], size_t max) {
    size_t n = 0;
    for (;;) {
        char *f = fields[n];
        size_t k = 0;
        if (*p < end && **p == '"') {
            (*p)++;
            for (;;) {
                if (*p >= end) return 0;
                if (**p == '"') {
                    if (*p + 1 < end && (*p)[1] == '"') {
                        f[k++] = '"';
                        *p += 2;
                        continue;
                    }
                    (*p)++;
                    break;
                }
                f[k++] = *(*p)++;
            }
        } else {
            while (*p < end && **p != ',' && **p != '\r') f[k++] = *(*p)++;
        }
        f[k] = '\0';
        n++;
        if (*p < end && **p == ',') {
            (*p)++;
            if (n == max) return 0;
            continue;
        }
        if (*p + 1 < end && (*p)[0] == '\r' && (*p)[1] == '\n') {
            *p += 2;
            return n;
        }
        return 0;
    }
}

static int case_csv_roundtrip(void) {
    an_graph_view v = nasty_view();
    static char fields[16][256];
    mem m;
    mem_open(&m);
    T_OK(an_report_csv_nodes(&v, m.f, NULL));
    mem_close(&m);
    const char *p = m.buf, *end = m.buf + m.len;
    T_EQ_INT(csv_record(&p, end, fields, 16), 13);
    for (size_t i = 0; i < N_NASTY; i++) {
        size_t n = csv_record(&p, end, fields, 16);
        T_EQ_INT(n, 13);
        if (n != 13) break;
        T_EQ_STR(fields[0], nasty_ids[i]);
        T_EQ_STR(fields[1], nasty_labels[i]);
        T_EQ_STR(fields[2], nasty_nodes[i].type);
    }
    T_ASSERT(p == end);
    free(m.buf);

    mem_open(&m);
    T_OK(an_report_csv_edges(&v, m.f, NULL));
    mem_close(&m);
    p = m.buf;
    end = m.buf + m.len;
    T_EQ_INT(csv_record(&p, end, fields, 16), 7);
    for (size_t k = 0; k < N_NASTY; k++) {
        size_t n = csv_record(&p, end, fields, 16);
        T_EQ_INT(n, 7);
        if (n != 7) break;
        T_EQ_STR(fields[2], nasty_labels[nasty_edges[k].source]);
        T_EQ_STR(fields[3], nasty_labels[nasty_edges[k].target]);
    }
    T_ASSERT(p == end);
    free(m.buf);
    T_DONE();
}

static int case_errors(void) {
    an_graph_view v = small_view();
    an_render_options o;
    an_render_options_init(&o);
    an_error err;
    mem m;
    mem_open(&m);

    an_error_clear(&err);
    T_EQ_INT(an_render_image(&v, &o, "gif", m.f, &err), AN_EINVAL);
    T_EQ_INT(err.status, AN_EINVAL);
    T_ASSERT(strstr(err.message, "gif") != NULL);
    T_EQ_INT(an_render_image(&v, &o, NULL, m.f, NULL), AN_EINVAL);
    T_EQ_INT(an_render_dot(NULL, &o, m.f, NULL), AN_EINVAL);
    T_EQ_INT(an_render_dot(&v, &o, NULL, NULL), AN_EINVAL);

    o.layout = "neato; rm";
    T_EQ_INT(an_render_dot(&v, &o, m.f, NULL), AN_EINVAL);
    o.layout = "nosuchengine";
    an_error_clear(&err);
    T_EQ_INT(an_render_image(&v, &o, "svg", m.f, &err), AN_EINVAL);
    T_ASSERT(strstr(err.message, "nosuchengine") != NULL);
    o.layout = "sfdp";
    T_OK(an_render_image(&v, &o, "svg", m.f, NULL));
    o.layout = NULL;

    an_edge bad[1];
    bad[0] = mk_edge(0, 9, 1, 1);
    an_graph_view vb = v;
    vb.edges = bad;
    vb.n_edges = 1;
    T_EQ_INT(an_render_dot(&vb, &o, m.f, NULL), AN_EINVAL);
    T_EQ_INT(an_report_markdown(&vb, NULL, m.f, NULL), AN_EINVAL);
    T_EQ_INT(an_report_csv_edges(&vb, m.f, NULL), AN_EINVAL);
    mem_close(&m);
    free(m.buf);

    /* write errors surface as AN_EIO */
    FILE *ro = fopen("/dev/null", "r");
    T_ASSERT(ro != NULL);
    if (ro) {
        T_EQ_INT(an_render_dot(&v, &o, ro, NULL), AN_EIO);
        clearerr(ro);
        T_EQ_INT(an_report_markdown(&v, NULL, ro, NULL), AN_EIO);
        clearerr(ro);
        T_EQ_INT(an_report_csv_nodes(&v, ro, NULL), AN_EIO);
        clearerr(ro);
        T_EQ_INT(an_report_csv_edges(&v, ro, NULL), AN_EIO);
        clearerr(ro);
        T_ASSERT(an_render_image(&v, NULL, "svg", ro, NULL) != AN_OK);
        fclose(ro);
    }
    T_DONE();
}

/* Allocation failures: every failing call reports AN_ENOMEM, none crashes or leaks. */
static long fail_at, n_allocs;

static void *t_malloc(size_t s, void *ctx) {
    (void)ctx;
    if (n_allocs++ == fail_at) return NULL;
    return malloc(s);
}
static void *t_realloc(void *p, size_t s, void *ctx) {
    (void)ctx;
    if (n_allocs++ == fail_at) return NULL;
    return realloc(p, s);
}
static void t_free(void *p, void *ctx) {
    (void)ctx;
    free(p);
}

static int case_oom(void) {
    an_graph_view v = nasty_view();
    an_allocator a = {t_malloc, t_realloc, t_free, NULL};
    for (int which = 0; which < 4; which++) {
        int succeeded = 0;
        for (fail_at = 0; fail_at < 10000 && !succeeded; fail_at++) {
            n_allocs = 0;
            mem m;
            mem_open(&m);
            an_set_allocator(&a);
            an_status st;
            switch (which) {
            case 0: st = an_render_dot(&v, NULL, m.f, NULL); break;
            case 1: st = an_report_markdown(&v, NULL, m.f, NULL); break;
            case 2: st = an_report_csv_nodes(&v, m.f, NULL); break;
            default: st = an_report_csv_edges(&v, m.f, NULL); break;
            }
            an_set_allocator(NULL);
            mem_close(&m);
            free(m.buf);
            if (st == AN_OK) succeeded = 1;
            else if (st != AN_ENOMEM)
                T_FAIL("writer %d, failure at %ld: status %d", which, fail_at, st);
        }
        T_ASSERT(succeeded);
        T_ASSERT(fail_at > 1); /* at least one injected failure was seen */
    }
    T_DONE();
}

int main(int argc, char **argv) {
    static const struct {
        const char *name;
        int (*fn)(void);
    } cases[] = {
        {"dot_golden", case_dot_golden},       {"md_golden", case_md_golden},
        {"csv_golden", case_csv_golden},       {"nasty_dot_parses", case_nasty_dot_parses},
        {"nasty_svg_valid", case_nasty_svg_valid}, {"svg_small", case_svg_small},
        {"png_pdf", case_png_pdf},             {"cap", case_cap},
        {"images_one_layout", case_images_one_layout},
        {"empty", case_empty},                 {"md_escaping", case_md_escaping},
        {"csv_roundtrip", case_csv_roundtrip}, {"errors", case_errors},
        {"oom", case_oom},                     {"spline_budget", case_spline_budget},
    };
    if (argc != 2) {
        fprintf(stderr, "usage: %s CASE\n", argv[0]);
        return 2;
    }
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (strcmp(argv[1], cases[i].name) == 0) return cases[i].fn();
    fprintf(stderr, "unknown case %s\n", argv[1]);
    return 2;
}
