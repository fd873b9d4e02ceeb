/* Tests for graph/export.c, graph/evidence.c, graph/report_html.c and the
 * report additions (JSON report, aliases, edge evidence).
 *
 * Usage: test_export CASE. Goldens in tests/render/golden/ (AN_UPDATE_GOLDEN=1
 * rewrites them). Cases that need xmllint or Debian's python3 with networkx
 * exit 77 when those are missing.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actornet/actornet.h"
#include "actornet/evidence.h"
#include "test_util.h"
#include "test_files.h"

#define SKIP 77
#define SYS_PY "/usr/bin/python3"

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
    if (!m->f) exit(1);
}

static void mem_close(mem *m) {
    if (fclose(m->f) != 0) T_FAIL("fclose of memstream failed");
    m->f = NULL;
}


/* Runs a shell command on a file holding buf; returns its exit status. */
static int run_on(const char *buf, size_t len, const char *name, const char *cmd_prefix) {
    char path[256], cmd[1024];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    t_write_file(path, buf, len);
    snprintf(cmd, sizeof cmd, "%s '%s'", cmd_prefix, path);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

static int xml_ok(const char *buf, size_t len, const char *name) {
    int rc = run_on(buf, len, name, "xmllint --noout --nonet");
    if (rc != 0) T_FAIL("xmllint rejected %s/%s", tmpdir, name);
    return rc == 0;
}

static int json_ok(const char *buf, size_t len, const char *name, int lines) {
    int rc = run_on(buf, len, name,
                    lines ? "python3 -c 'import json,sys\n"
                            "for l in open(sys.argv[1],encoding=\"utf-8\"): json.loads(l)'"
                          : "python3 -c 'import json,sys; json.load(open(sys.argv[1],"
                            "encoding=\"utf-8\"))'");
    if (rc != 0) T_FAIL("python json rejected %s/%s", tmpdir, name);
    return rc == 0;
}

/* --- views ---------------------------------------------------------------------------- */

static an_filter_step small_filters[2] = {{"min_count", "min=2", 3, 0},
                                          {"top_k", "k=3", 1, 1}};
static an_node small_nodes[6];
static an_edge small_edges[5];

static an_node mk_node(size_t actor, const char *id, const char *label, const char *type,
                       uint64_t mentions, int64_t degree, double strength, double pagerank,
                       int64_t community) {
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
    n.betweenness = 0.1 * (double)degree;
    n.closeness = degree ? 0.25 + 0.125 * (double)degree : NAN;
    n.pagerank = pagerank;
    n.eigenvector = strength / 9.0;
    n.community = community;
    n.coreness = degree > 1 ? 2 : degree;
    n.clustering = degree > 1 ? 1.0 / 3.0 : 0.0;
    n.component = degree ? 0 : 1;
    return n;
}

static an_edge mk_edge(size_t s, size_t t, uint64_t windows, uint64_t documents, int mst) {
    an_edge e;
    memset(&e, 0, sizeof e);
    e.source = s;
    e.target = t;
    e.windows = windows;
    e.documents = documents;
    e.weight = e.score = (double)windows * 1.5;
    e.in_mst = mst;
    return e;
}

static an_graph_view small_view(void) {
    small_nodes[0] = mk_node(0, "SYR", "Syria", "country", 40, 3, 9.0, 0.30, 0);
    small_nodes[1] = mk_node(1, "RUS", "Russia", "country", 25, 2, 6.0, 0.22, 0);
    small_nodes[2] = mk_node(2, "HTS", "Hay'at Tahrir al-Sham", "armed_group", 12, 2, 4.0, 0.15, 0);
    small_nodes[3] = mk_node(3, "UN", "United Nations", "organisation", 15, 2, 3.0, 0.15, 1);
    small_nodes[4] = mk_node(4, "ASSAD", "Assad, Bashar \"the doctor\"", "person", 8, 1, 2.0, 0.10, 1);
    small_nodes[5] = mk_node(5, "XYZ", "Isolated <Org> & co", "other", 2, 0, 0.0, 0.08, 2);
    small_edges[0] = mk_edge(0, 1, 5, 4, 1);
    small_edges[1] = mk_edge(0, 2, 3, 2, 1);
    small_edges[2] = mk_edge(0, 3, 1, 1, 1);
    small_edges[3] = mk_edge(1, 2, 1, 1, 0);
    small_edges[4] = mk_edge(3, 4, 2, 2, 1);
    an_graph_view v;
    memset(&v, 0, sizeof v);
    v.n_nodes = 6;
    v.nodes = small_nodes;
    v.n_edges = 5;
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
    v.n_filter_steps = 2;
    v.filter_steps = small_filters;
    v.edges_before_filters = 9;
    return v;
}

/* Labels that break naive escaping anywhere. */
static const char *const nasty_labels[] = {
    "say \"hi\" 'there'",
    "back\\slash",
    "trailing\\",
    "</script><script>alert(1)</script>",
    "<b onclick=\"x()\">&amp; & co</b>",
    "line1\nline2\r\nline3\ttab",
    "ctl\x01\x07\x1b[0m\x7f end \x0b\x0c",
    "\xd8\xa7\xd9\x84\xd8\xac\xd8\xb2\xd9\x8a\xd8\xb1\xd8\xa9",
    "emoji \xf0\x9f\x98\x80 \xf0\x9f\x87\xb8\xf0\x9f\x87\xbe",
    "bad utf8 \xff\xfe\xc0\xaf \xed\xa0\x80 end \xe2\x82",
    "nonchar \xef\xbf\xbe \xef\xbf\xbf c1 \xc2\x85 ls \xe2\x80\xa8 end",
    "]]> <!-- --> <![CDATA[ x ]]>",
};
#define N_NASTY (sizeof nasty_labels / sizeof nasty_labels[0])
static an_node nasty_nodes[N_NASTY];
static an_edge nasty_edges[N_NASTY];
static char nasty_ids[N_NASTY][32];

static an_graph_view nasty_view(void) {
    for (size_t i = 0; i < N_NASTY; i++) {
        snprintf(nasty_ids[i], sizeof nasty_ids[i], "id&<%zu>\"'\\", i);
        nasty_nodes[i] = mk_node(i, nasty_ids[i], nasty_labels[i],
                                 i % 2 ? "type \"x\" \\" : "country", 10 + i, 2, 3.5,
                                 1.0 / (double)(i + 2), (int64_t)(i % 3));
        nasty_edges[i] = mk_edge(i < N_NASTY - 1 ? i : 0, i < N_NASTY - 1 ? i + 1 : N_NASTY - 1,
                                 1 + i, 1, 1);
    }
    an_graph_view v = small_view();
    v.n_nodes = v.n_edges = N_NASTY;
    v.nodes = nasty_nodes;
    v.edges = nasty_edges;
    v.window = "para<graph>";
    v.community_algo = "lou\"vain";
    v.measure = "co&unt";
    return v;
}

/* --- evidence fixtures ---------------------------------------------------------------- */

/* Offsets:   0         1         2         3         4         5         6         7
 *            0123456789012345678901234567890123456789012345678901234567890123456789012 */
static const char ev_text[] = "Russia and Syria met. Syria thanked Russia.\n\nThe UN watched "
                              "Syria closely.";
/* sentences: [0,21) [22,43) [45,74); paragraphs: 0 = sentences 0-1, 1 = sentence 2 */
static an_span ev_sent[3] = {{0, 21}, {22, 43}, {45, 74}};
static an_mention ev_items[6];

/* An an_mentions over caller-owned mentions and sentence spans. */
static an_mentions mentions_over(an_mention *items, size_t count, an_span *sentences,
                                 size_t n_sentences) {
    an_mentions ms;
    memset(&ms, 0, sizeof ms);
    ms.items = items;
    ms.count = count;
    ms.sentences = sentences;
    ms.n_sentences = n_sentences;
    return ms;
}

static an_mentions ev_mentions(void) {
    /* actor 0 Russia, 1 Syria, 2 UN; token numbers as a word tokenizer would give */
    static const struct {
        size_t s, e, actor;
        uint32_t token, sent, para;
    } m[] = {{0, 6, 0, 0, 0, 0},    {11, 16, 1, 2, 0, 0},  {22, 27, 1, 5, 1, 0},
             {36, 42, 0, 7, 1, 0},  {49, 51, 2, 10, 2, 1}, {60, 65, 1, 12, 2, 1}};
    for (size_t i = 0; i < 6; i++) {
        memset(&ev_items[i], 0, sizeof ev_items[i]);
        ev_items[i].start = m[i].s;
        ev_items[i].end = m[i].e;
        ev_items[i].actor = m[i].actor;
        ev_items[i].alias = m[i].actor;
        ev_items[i].token = m[i].token;
        ev_items[i].sentence = m[i].sent;
        ev_items[i].paragraph = m[i].para;
    }
    an_mentions ms = mentions_over(ev_items, 6, ev_sent, 3);
    ms.n_paragraphs = 2;
    ms.n_tokens = 14;
    ms.doc_bytes = sizeof ev_text - 1;
    return ms;
}

static an_evidence *ev_for(an_window w, uint32_t tokens, const size_t *map, size_t k) {
    an_evidence *ev = NULL;
    T_OK(an_evidence_create(k, &ev));
    an_mentions ms = ev_mentions();
    an_count_options co;
    memset(&co, 0, sizeof co);
    co.window = w;
    co.tokens = tokens;
    co.actor_map = map;
    T_OK(an_evidence_add(ev, 7, "doc<1>", ev_text, sizeof ev_text - 1, &ms, &co));
    return ev;
}

static void item_text(const an_evidence_item *it, char *buf, size_t size) {
    snprintf(buf, size, "%.*s", (int)it->text_len, it->text);
}

/* --- export cases --------------------------------------------------------------------- */

static int case_graphml_golden(void) {
    an_graph_view v = small_view();
    mem m;
    mem_open(&m);
    T_OK(an_export_graphml(&v, m.f, NULL));
    mem_close(&m);
    t_check_golden("render", "small.graphml", m.buf, m.len);
    T_CONTAINS(m.buf, m.len, "attr.name=\"pagerank\" attr.type=\"double\"");
    T_CONTAINS(m.buf, m.len, "<data key=\"n_closeness\">NaN</data>");
    T_CONTAINS(m.buf, m.len, "Isolated &lt;Org&gt; &amp; co");
    free(m.buf);
    T_DONE();
}

static int case_gexf_golden(void) {
    an_graph_view v = small_view();
    mem m;
    mem_open(&m);
    T_OK(an_export_gexf(&v, m.f, NULL));
    mem_close(&m);
    t_check_golden("render", "small.gexf", m.buf, m.len);
    T_CONTAINS(m.buf, m.len, "xmlns=\"http://gexf.net/1.3\"");
    T_CONTAINS(m.buf, m.len, "mode=\"static\"");
    free(m.buf);
    T_DONE();
}

/* Two periods: a month where Syria-Russia appear and a day where UN-Assad do. */
static an_graph_view period_a, period_b;
static an_node pa_nodes[2], pb_nodes[3];
static an_edge pa_edges[1], pb_edges[1];

static void make_periods(void) {
    an_graph_view v = small_view();
    period_a = v;
    pa_nodes[0] = small_nodes[0];
    pa_nodes[1] = small_nodes[1];
    pa_nodes[0].mentions = 7;
    pa_nodes[1].mentions = 4;
    pa_edges[0] = mk_edge(0, 1, 3, 2, 1);
    period_a.nodes = pa_nodes;
    period_a.n_nodes = 2;
    period_a.edges = pa_edges;
    period_a.n_edges = 1;
    period_b = v;
    pb_nodes[0] = small_nodes[0];
    pb_nodes[1] = small_nodes[3];
    pb_nodes[2] = small_nodes[4];
    pb_edges[0] = mk_edge(1, 2, 2, 1, 1);
    period_b.nodes = pb_nodes;
    period_b.n_nodes = 3;
    period_b.edges = pb_edges;
    period_b.n_edges = 1;
}

static int case_gexf_dynamic_golden(void) {
    an_graph_view v = small_view();
    make_periods();
    /* given out of time order, with an undated period that must be skipped */
    const char *names[] = {"2016-W39", "undated", "2016-09"};
    const an_graph_view *views[] = {&period_b, &v, &period_a};
    mem m;
    mem_open(&m);
    T_OK(an_export_gexf_dynamic(&v, names, views, 3, m.f, NULL));
    mem_close(&m);
    t_check_golden("render", "small_dynamic.gexf", m.buf, m.len);
    T_CONTAINS(m.buf, m.len, "mode=\"dynamic\" timeformat=\"date\"");
    T_CONTAINS(m.buf, m.len, "start=\"2016-09-01\" end=\"2016-09-30\"");
    /* ISO week 39 of 2016 runs from Monday 26 to Sunday 2 October */
    T_CONTAINS(m.buf, m.len, "<spell start=\"2016-09-26\" end=\"2016-10-02\"/>");
    T_LACKS(m.buf, m.len, "undated");
    free(m.buf);
    T_DONE();
}

static int case_periods(void) {
    an_graph_view v = small_view();
    make_periods();
    static const struct {
        const char *key, *from, *to;
    } ok[] = {{"2016-09-28", "2016-09-28", "2016-09-28"}, {"2016-02", "2016-02-01", "2016-02-29"},
              {"2015-02", "2015-02-01", "2015-02-28"},    {"2016-Q3", "2016-07-01", "2016-09-30"},
              {"2016", "2016-01-01", "2016-12-31"},       {"2015-W01", "2014-12-29", "2015-01-04"},
              {"2020-W53", "2020-12-28", "2021-01-03"},   {"2016-W01", "2016-01-04", "2016-01-10"}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        const char *names[] = {ok[i].key};
        const an_graph_view *views[] = {&period_a};
        mem m;
        mem_open(&m);
        T_OK(an_export_gexf_dynamic(&v, names, views, 1, m.f, NULL));
        mem_close(&m);
        char want[128];
        snprintf(want, sizeof want, "start=\"%s\" end=\"%s\"", ok[i].from, ok[i].to);
        T_CONTAINS(m.buf, m.len, want);
        free(m.buf);
    }
    static const char *const bad[] = {"2016-13", "2016-02-30", "2016-W54", "2016-Q5", "16",
                                      "2016-09-28x", "", "soon"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *names[] = {bad[i]};
        const an_graph_view *views[] = {&period_a};
        mem m;
        mem_open(&m);
        an_error err;
        an_error_clear(&err);
        T_EQ_INT(an_export_gexf_dynamic(&v, names, views, 1, m.f, &err), AN_EINVAL);
        T_ASSERT(strstr(err.message, "period key") != NULL);
        mem_close(&m);
        T_EQ_INT(m.len, 0);
        free(m.buf);
    }
    T_DONE();
}

static int case_json_golden(void) {
    an_graph_view v = small_view();
    mem m;
    mem_open(&m);
    T_OK(an_export_json(&v, m.f, NULL));
    mem_close(&m);
    t_check_golden("render", "small.json", m.buf, m.len);
    T_CONTAINS(m.buf, m.len, "{\"directed\":false,\"multigraph\":false,\"graph\":{");
    T_CONTAINS(m.buf, m.len, "\"closeness\":null");
    T_CONTAINS(m.buf, m.len, "\"in_mst\":true");
    free(m.buf);
    T_DONE();
}

/* Evidence for the small view: actor index = node index. */
static an_evidence *small_evidence(void) {
    an_evidence *ev = NULL;
    T_OK(an_evidence_create(2, &ev));
    static const char t1[] = "Syria and Russia signed. Russia & \"HTS\" <fought>.";
    an_mention items[4];
    memset(items, 0, sizeof items);
    items[0] = (an_mention){0, 5, 0, 0, 0, 0, 0};
    items[1] = (an_mention){10, 16, 1, 1, 2, 0, 0};
    items[2] = (an_mention){25, 31, 1, 1, 4, 1, 0};
    items[3] = (an_mention){35, 38, 2, 2, 6, 1, 0};
    an_span sents[2] = {{0, 24}, {25, sizeof t1 - 1}};
    an_mentions ms;
    memset(&ms, 0, sizeof ms);
    ms.items = items;
    ms.count = 4;
    ms.sentences = sents;
    ms.n_sentences = 2;
    ms.n_paragraphs = 1;
    ms.doc_bytes = sizeof t1 - 1;
    T_OK(an_evidence_add(ev, 1, "news/a.txt", t1, sizeof t1 - 1, &ms, NULL));
    return ev;
}

/* A gazetteer and counts with alias hits, for "aliases that fired most". */
static const char small_gaz[] = "SYR\tSyria\tcountry\t\tSyria|Damascus\n"
                                "RUS\tRussia\tcountry\t\tRussia|Moscow\n"
                                "HTS\tHay'at Tahrir al-Sham\tarmed_group\t\tHTS|Tahrir <al-Sham>\n";

static int with_counts(an_gazetteer **gzo, an_counts **co) {
    an_gazetteer *gz = an_gazetteer_create();
    an_error err;
    T_OK(an_gazetteer_load_buffer(gz, small_gaz, sizeof small_gaz - 1, "small", AN_GAZ_NATIVE,
                                  &err));
    an_counts *c = NULL;
    T_OK(an_counts_create(an_gazetteer_actor_count(gz), an_gazetteer_alias_count(gz), NULL, &c));
    an_mention items[5];
    memset(items, 0, sizeof items);
    /* aliases: 0 Syria 1 Damascus 2 Russia 3 Moscow 4 HTS 5 Tahrir <al-Sham> */
    size_t aliases[5] = {5, 5, 0, 2, 1};
    size_t actors[5] = {2, 2, 0, 1, 0};
    for (size_t i = 0; i < 5; i++) {
        items[i].start = i * 10;
        items[i].end = i * 10 + 5;
        items[i].alias = aliases[i];
        items[i].actor = actors[i];
        items[i].sentence = (uint32_t)i;
    }
    an_mentions ms;
    memset(&ms, 0, sizeof ms);
    ms.items = items;
    ms.count = 5;
    ms.n_sentences = 5;
    ms.doc_bytes = 60;
    T_OK(an_counts_add(c, &ms));
    *gzo = gz;
    *co = c;
    return 0;
}

static int case_report_json_golden(void) {
    an_graph_view v = small_view();
    an_evidence *ev = small_evidence();
    an_gazetteer *gz;
    an_counts *c;
    with_counts(&gz, &c);
    an_report_options o;
    an_report_options_init(&o);
    o.title = "Small \"test\" </script>";
    o.evidence = ev;
    o.counts = c;
    o.gz = gz;
    o.top = 3;
    mem m;
    mem_open(&m);
    T_OK(an_report_json(&v, &o, m.f, NULL));
    mem_close(&m);
    t_check_golden("render", "small_report.json", m.buf, m.len);
    t_make_tmpdir("export");
    json_ok(m.buf, m.len, "report.json", 0);
    t_remove_tmpdir();
    T_CONTAINS(m.buf, m.len, "\"alias\":\"Tahrir <al-Sham>\",\"actor\":\"HTS\",\"hits\":2");
    T_CONTAINS(m.buf, m.len, "\"marks\":[[0,5,1],[10,16,2]]");
    free(m.buf);
    an_evidence_destroy(ev);
    an_counts_destroy(c);
    an_gazetteer_destroy(gz);
    T_DONE();
}

static int case_md_extras(void) {
    an_graph_view v = small_view();
    an_evidence *ev = small_evidence();
    an_gazetteer *gz;
    an_counts *c;
    with_counts(&gz, &c);
    an_report_options o;
    an_report_options_init(&o);
    o.evidence = ev;
    o.counts = c;
    o.gz = gz;
    mem m;
    mem_open(&m);
    T_OK(an_report_markdown(&v, &o, m.f, NULL));
    mem_close(&m);
    t_check_golden("render", "small_extras.md", m.buf, m.len);
    T_CONTAINS(m.buf, m.len, "## Aliases that fired most");
    T_CONTAINS(m.buf, m.len, "| 1 | Tahrir \\<al-Sham\\> | Hay'at Tahrir al-Sham | 2 |");
    T_CONTAINS(m.buf, m.len, "### Evidence for the strongest edges");
    T_CONTAINS(m.buf, m.len, "**Syria** and **Russia** signed.");
    T_CONTAINS(m.buf, m.len, "**Russia** \\& \"**HTS**\" \\<fought\\>.");
    T_CONTAINS(m.buf, m.len, "no evidence kept");
    free(m.buf);
    /* without the new options the report is the one before them */
    an_report_options_init(&o);
    mem_open(&m);
    T_OK(an_report_markdown(&v, &o, m.f, NULL));
    mem_close(&m);
    T_LACKS(m.buf, m.len, "Aliases that fired");
    T_LACKS(m.buf, m.len, "Evidence for");
    free(m.buf);
    an_evidence_destroy(ev);
    an_counts_destroy(c);
    an_gazetteer_destroy(gz);
    T_DONE();
}

static const char small_svg[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
    "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\">\n<!-- comment -->\n"
    "<svg width=\"100pt\" height=\"50pt\" viewBox=\"0 0 100 50\" "
    "xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n"
    "<g id=\"node1\" class=\"node\"><title>n0</title>"
    "<ellipse fill=\"#77aadd\" cx=\"20\" cy=\"20\" rx=\"15\" ry=\"10\"/>"
    "<text x=\"20\" y=\"20\">Syria</text></g>\n"
    "<g id=\"edge1\" class=\"edge\"><title>n0&#45;&#45;n1</title>"
    "<path fill=\"none\" stroke=\"black\" d=\"M20,20 L80,20\"/></g>\n"
    "</svg>\n";

static int case_html_golden(void) {
    an_graph_view v = small_view();
    an_evidence *ev = small_evidence();
    an_report_options o;
    an_report_options_init(&o);
    o.title = "Small & <test>";
    o.evidence = ev;
    mem m;
    mem_open(&m);
    T_OK(an_report_html(&v, &o, small_svg, sizeof small_svg - 1, m.f, NULL));
    mem_close(&m);
    t_check_golden("render", "small.html", m.buf, m.len);
    T_CONTAINS(m.buf, m.len, "<title>Small &amp; &lt;test&gt;</title>");
    T_CONTAINS(m.buf, m.len, "<g id=\"node1\" class=\"node\"><title>n0</title>");
    T_LACKS(m.buf, m.len, "<!DOCTYPE svg");
    T_LACKS(m.buf, m.len, "<!-- comment");
    /* no address but the SVG namespaces (names, never fetched) */
    T_EQ_INT(t_count_of(m.buf, m.len, "http://"), t_count_of(m.buf, m.len, "http://www.w3.org/"));
    T_LACKS(m.buf, m.len, "https://");
    free(m.buf);
    an_evidence_destroy(ev);
    T_DONE();
}

static int case_nasty_xml_valid(void) {
    if (!t_have_tool("xmllint")) return SKIP;
    t_make_tmpdir("export");
    an_graph_view v = nasty_view();
    mem m;
    mem_open(&m);
    T_OK(an_export_graphml(&v, m.f, NULL));
    mem_close(&m);
    xml_ok(m.buf, m.len, "nasty.graphml");
    T_LACKS(m.buf, m.len, "\x01");
    T_LACKS(m.buf, m.len, "\xef\xbf\xbe");
    T_CONTAINS(m.buf, m.len, "line1&#10;line2&#13;&#10;line3&#9;tab");
    T_CONTAINS(m.buf, m.len, "bad utf8 \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    free(m.buf);
    mem_open(&m);
    T_OK(an_export_gexf(&v, m.f, NULL));
    mem_close(&m);
    xml_ok(m.buf, m.len, "nasty.gexf");
    free(m.buf);
    make_periods();
    const char *names[] = {"2016-09-28"};
    const an_graph_view *views[] = {&v};
    mem_open(&m);
    T_OK(an_export_gexf_dynamic(&v, names, views, 1, m.f, NULL));
    mem_close(&m);
    xml_ok(m.buf, m.len, "nasty_dynamic.gexf");
    free(m.buf);
    t_remove_tmpdir();
    T_DONE();
}

/* Writes a Python check that the label strings survive: every label, after
 * the documented replacements, is found in the parsed JSON. */
static int case_nasty_json_valid(void) {
    t_make_tmpdir("export");
    an_graph_view v = nasty_view();
    mem m;
    mem_open(&m);
    T_OK(an_export_json(&v, m.f, NULL));
    mem_close(&m);
    json_ok(m.buf, m.len, "nasty.json", 0);
    T_CONTAINS(m.buf, m.len, "\"trailing\\\\\"");
    T_CONTAINS(m.buf, m.len, "ctl\\u0001\\u0007\\u001b[0m\\u007f end \\u000b\\f");
    T_CONTAINS(m.buf, m.len, "bad utf8 \\ufffd\\ufffd\\ufffd\\ufffd \\ufffd\\ufffd\\ufffd end");
    /* networkx-shaped: python reads it back with the right counts */
    char path[256], cmd[1024];
    snprintf(path, sizeof path, "%s/nasty.json", tmpdir);
    snprintf(cmd, sizeof cmd,
             "python3 -c 'import json,sys; d=json.load(open(sys.argv[1],encoding=\"utf-8\")); "
             "assert len(d[\"nodes\"])==%zu and len(d[\"links\"])==%zu; "
             "assert d[\"nodes\"][7][\"label\"]==\"\\u0627\\u0644\\u062c\\u0632\\u064a\\u0631\\u0629\"; "
             "assert d[\"nodes\"][2][\"label\"]==\"trailing\\\\\"' '%s'",
             v.n_nodes, v.n_edges, path);
    T_EQ_INT(system(cmd), 0);
    free(m.buf);

    an_report_options o;
    an_report_options_init(&o);
    o.title = nasty_labels[3];
    mem_open(&m);
    T_OK(an_report_json(&v, &o, m.f, NULL));
    mem_close(&m);
    json_ok(m.buf, m.len, "nasty_report.json", 0);
    free(m.buf);
    t_remove_tmpdir();
    T_DONE();
}

static int case_nasty_html_inert(void) {
    an_graph_view v = nasty_view();
    /* evidence whose text is hostile too */
    an_evidence *ev = NULL;
    T_OK(an_evidence_create(3, &ev));
    static const char t[] = "</script><script>alert(1)</script> A & B \xe2\x80\xa8 <!-- x";
    an_mention items[2];
    memset(items, 0, sizeof items);
    items[0] = (an_mention){0, 9, 0, 0, 0, 0, 0};
    items[1] = (an_mention){40, 41, 1, 1, 2, 0, 0};
    an_span sents[1] = {{0, sizeof t - 1}};
    an_mentions ms;
    memset(&ms, 0, sizeof ms);
    ms.items = items;
    ms.count = 2;
    ms.sentences = sents;
    ms.n_sentences = 1;
    T_OK(an_evidence_add(ev, 0, "<doc id=\"x\">", t, sizeof t - 1, &ms, NULL));
    static const char evil_svg[] =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\">"
        "<script>alert(2)</script><SCRIPT type=\"x\">alert(3)</SCRIPT>"
        "<g id=\"node1\" class=\"node\" ONCLICK='alert(4)'><title>n0</title>"
        "<a xlink:href=\"javascript:alert(5)\" href=\" javascript:alert(6)\"><text>x</text></a>"
        "<foreignObject><body xmlns=\"http://www.w3.org/1999/xhtml\">"
        "<img src=x onerror=alert(7)></body></foreignObject>"
        "<style>@import url(http://evil/);</style><a href=\"#ok\">ok</a></g>"
        "<![CDATA[ <script>alert(8)</script> ]]></svg>";
    an_report_options o;
    an_report_options_init(&o);
    o.title = nasty_labels[3];
    o.evidence = ev;
    mem m;
    mem_open(&m);
    T_OK(an_report_html(&v, &o, evil_svg, sizeof evil_svg - 1, m.f, NULL));
    mem_close(&m);
    /* exactly our two script elements, nothing that runs code from the data */
    T_EQ_INT(t_count_of(m.buf, m.len, "<script"), 2);
    T_EQ_INT(t_count_of(m.buf, m.len, "<SCRIPT"), 0);
    T_EQ_INT(t_count_of(m.buf, m.len, "</script>"), 2);
    /* the label "</script><script>alert(1)</script>" stays as escaped text;
     * every code-carrying part of the SVG is gone */
    for (int k = 2; k <= 8; k++) {
        char a[16];
        snprintf(a, sizeof a, "alert(%d)", k);
        T_LACKS(m.buf, m.len, a);
    }
    T_LACKS(m.buf, m.len, "<script>alert");
    T_LACKS(m.buf, m.len, "onload");
    T_LACKS(m.buf, m.len, "ONCLICK");
    T_LACKS(m.buf, m.len, "javascript:");
    T_LACKS(m.buf, m.len, "foreignObject");
    T_LACKS(m.buf, m.len, "<img");
    T_LACKS(m.buf, m.len, "evil");
    T_LACKS(m.buf, m.len, "\\u2028\xe2\x80\xa8"); /* JSON escapes U+2028 */
    T_CONTAINS(m.buf, m.len, "\\u2028");
    T_CONTAINS(m.buf, m.len, "<a href=\"#ok\">ok</a>");
    T_CONTAINS(m.buf, m.len, "\\u003c/script\\u003e");
    /* the data block parses as JSON */
    const char *s = strstr(m.buf, "<script type=\"application/json\" id=\"an-data\">");
    T_ASSERT(s != NULL);
    if (s) {
        s += strlen("<script type=\"application/json\" id=\"an-data\">");
        const char *e = strstr(s, "</script>");
        T_ASSERT(e != NULL);
        if (e) {
            t_make_tmpdir("export");
            json_ok(s, (size_t)(e - s), "data.json", 0);
            t_remove_tmpdir();
        }
    }
    free(m.buf);
    an_evidence_destroy(ev);
    T_DONE();
}

static int case_svg_clean(void) {
    /* a real Graphviz SVG of the nasty view survives the filter intact
     * (every node group and title), and the page is still well-formed where
     * it matters: the map part is valid XML */
    if (!t_have_tool("xmllint")) return SKIP;
    an_graph_view v = nasty_view();
    mem svg;
    mem_open(&svg);
    T_OK(an_render_image(&v, NULL, "svg", svg.f, NULL));
    mem_close(&svg);
    mem m;
    mem_open(&m);
    T_OK(an_report_html(&v, NULL, svg.buf, svg.len, m.f, NULL));
    mem_close(&m);
    T_EQ_INT(t_count_of(m.buf, m.len, "class=\"node\""), t_count_of(svg.buf, svg.len, "class=\"node\""));
    T_EQ_INT(t_count_of(m.buf, m.len, "class=\"edge\""), N_NASTY);
    const char *a = strstr(m.buf, "<svg"), *b = strstr(m.buf, "</svg>");
    T_ASSERT(a && b);
    if (a && b) {
        t_make_tmpdir("export");
        xml_ok(a, (size_t)(b + 6 - a), "map.svg");
        t_remove_tmpdir();
    }
    free(svg.buf);
    free(m.buf);
    T_DONE();
}

static int case_readers(void) {
    if (access(SYS_PY, X_OK) != 0 || system(SYS_PY " -c 'import networkx' 2>/dev/null") != 0)
        return SKIP;
    t_make_tmpdir("export");
    an_graph_view v = small_view();
    char p1[256], p2[256], p3[256], p4[256], cmd[2048];
    snprintf(p1, sizeof p1, "%s/small.graphml", tmpdir);
    snprintf(p2, sizeof p2, "%s/small.gexf", tmpdir);
    snprintf(p3, sizeof p3, "%s/nasty.graphml", tmpdir);
    snprintf(p4, sizeof p4, "%s/nasty.gexf", tmpdir);
    FILE *f = fopen(p1, "wb");
    T_OK(an_export_graphml(&v, f, NULL));
    fclose(f);
    f = fopen(p2, "wb");
    T_OK(an_export_gexf(&v, f, NULL));
    fclose(f);
    an_graph_view nv = nasty_view();
    f = fopen(p3, "wb");
    T_OK(an_export_graphml(&nv, f, NULL));
    fclose(f);
    f = fopen(p4, "wb");
    T_OK(an_export_gexf(&nv, f, NULL));
    fclose(f);
    const char *src = getenv("AN_SOURCE_ROOT");
    snprintf(cmd, sizeof cmd, SYS_PY " '%s/tests/render/browser/check_readers.py' '%s' '%s' '%s' '%s'",
             src ? src : ".", p1, p2, p3, p4);
    int rc = system(cmd);
    rc = WIFEXITED(rc) ? WEXITSTATUS(rc) : 1;
    t_remove_tmpdir();
    if (rc == SKIP) return SKIP;
    T_EQ_INT(rc, 0);
    T_DONE();
}

static FILE *full_stream(void) {
    /* a stream that fails on write */
    return fopen("/dev/full", "wb");
}

static int case_export_errors(void) {
    an_graph_view v = small_view();
    an_error err;
    T_EQ_INT(an_export_graphml(NULL, stdout, &err), AN_EINVAL);
    T_EQ_INT(an_export_gexf(&v, NULL, &err), AN_EINVAL);
    T_EQ_INT(an_export_json(&v, NULL, &err), AN_EINVAL);
    an_edge bad = small_edges[0];
    bad.target = 99;
    an_graph_view bv = v;
    bv.edges = &bad;
    bv.n_edges = 1;
    mem m;
    mem_open(&m);
    T_EQ_INT(an_export_graphml(&bv, m.f, &err), AN_EINVAL);
    T_EQ_INT(an_export_json(&bv, m.f, &err), AN_EINVAL);
    T_EQ_INT(an_report_html(&bv, NULL, NULL, 0, m.f, &err), AN_EINVAL);
    mem_close(&m);
    T_EQ_INT(m.len, 0);
    free(m.buf);
    FILE *full = full_stream();
    if (full) {
        T_EQ_INT(an_export_graphml(&v, full, &err), AN_EIO);
        T_ASSERT(strstr(err.message, "write failed") != NULL);
        T_EQ_INT(an_export_gexf(&v, full, &err), AN_EIO);
        T_EQ_INT(an_export_json(&v, full, &err), AN_EIO);
        T_EQ_INT(an_report_json(&v, NULL, full, &err), AN_EIO);
        T_EQ_INT(an_report_html(&v, NULL, NULL, 0, full, &err), AN_EIO);
        an_evidence *ev = small_evidence();
        T_EQ_INT(an_evidence_write_jsonl(ev, NULL, full, &err), AN_EIO);
        an_evidence_destroy(ev);
        fclose(full);
    }
    /* empty view: valid documents */
    an_graph_view ev0 = v;
    ev0.n_nodes = ev0.n_edges = 0;
    ev0.nodes = NULL;
    ev0.edges = NULL;
    mem_open(&m);
    T_OK(an_export_json(&ev0, m.f, NULL));
    mem_close(&m);
    T_CONTAINS(m.buf, m.len, "\"nodes\":[],\n\"links\":[]}");
    free(m.buf);
    T_DONE();
}

static long fail_at, n_allocs;
static void *t_malloc(size_t s, void *ctx) {
    (void)ctx;
    return n_allocs++ == fail_at ? NULL : malloc(s);
}
static void *t_realloc(void *p, size_t s, void *ctx) {
    (void)ctx;
    return n_allocs++ == fail_at ? NULL : realloc(p, s);
}
static void t_free(void *p, void *ctx) {
    (void)ctx;
    free(p);
}

static int case_export_oom(void) {
    an_graph_view v = nasty_view();
    an_evidence *ev = small_evidence();
    an_report_options o;
    an_report_options_init(&o);
    o.evidence = ev;
    an_allocator a = {t_malloc, t_realloc, t_free, NULL};
    for (int which = 0; which < 7; which++) {
        int succeeded = 0;
        for (fail_at = 0; fail_at < 10000 && !succeeded; fail_at++) {
            n_allocs = 0;
            mem m;
            mem_open(&m);
            an_evidence *e2 = NULL;
            an_set_allocator(&a);
            an_status st;
            switch (which) {
            case 0: st = an_export_graphml(&v, m.f, NULL); break;
            case 1: st = an_export_gexf(&v, m.f, NULL); break;
            case 2: st = an_export_json(&v, m.f, NULL); break;
            case 3: st = an_report_json(&v, &o, m.f, NULL); break;
            case 4: st = an_report_html(&v, &o, small_svg, sizeof small_svg - 1, m.f, NULL); break;
            case 5: st = an_evidence_write_jsonl(ev, NULL, m.f, NULL); break;
            default:
                st = an_evidence_create(1, &e2);
                if (st == AN_OK) st = an_evidence_merge(e2, ev);
                break;
            }
            an_evidence_destroy(e2);
            an_set_allocator(NULL);
            mem_close(&m);
            free(m.buf);
            if (st == AN_OK)
                succeeded = 1;
            else if (st != AN_ENOMEM)
                T_FAIL("writer %d, failure at %ld: status %d", which, fail_at, st);
        }
        T_ASSERT(succeeded);
        T_ASSERT(fail_at > 1);
    }
    an_evidence_destroy(ev);
    T_DONE();
}

/* --- evidence cases ------------------------------------------------------------------- */

static int case_evidence_sentence(void) {
    an_evidence *ev = ev_for(AN_WINDOW_SENTENCE, 0, NULL, 5);
    size_t n = 0;
    const an_evidence_item *it = an_evidence_pair(ev, 1, 0, &n);
    T_EQ_INT(n, 2);
    char buf[700];
    if (n == 2) {
        T_EQ_INT(it[0].a, 0);
        T_EQ_INT(it[0].b, 1);
        T_EQ_INT(it[0].doc_seq, 7);
        T_EQ_STR(it[0].doc_id, "doc<1>");
        T_EQ_INT(it[0].start, 0);
        T_EQ_INT(it[0].end, 21);
        item_text(&it[0], buf, sizeof buf);
        T_EQ_STR(buf, "Russia and Syria met.");
        T_EQ_INT(it[0].n_a_spans, 1);
        T_EQ_INT(it[0].a_spans[0].start, 0);
        T_EQ_INT(it[0].b_spans[0].start, 11);
        item_text(&it[1], buf, sizeof buf);
        T_EQ_STR(buf, "Syria thanked Russia.");
        T_EQ_INT(it[1].text_start, 22);
    }
    it = an_evidence_pair(ev, 1, 2, &n);
    T_EQ_INT(n, 1);
    if (n) {
        item_text(&it[0], buf, sizeof buf);
        T_EQ_STR(buf, "The UN watched Syria closely.");
        T_EQ_INT(it[0].a, 1);
        T_EQ_INT(it[0].a_spans[0].start, 60); /* a = Syria (the lower index) */
        T_EQ_INT(it[0].b_spans[0].start, 49);
    }
    T_ASSERT(an_evidence_pair(ev, 0, 2, &n) == NULL && n == 0);
    T_ASSERT(an_evidence_pair(ev, 0, 0, &n) == NULL && n == 0);
    it = an_evidence_actor(ev, 1, &n);
    T_EQ_INT(n, 3);
    T_EQ_INT(an_evidence_pair_count(ev), 2);
    T_EQ_INT(an_evidence_actor_count(ev), 3);
    an_evidence_destroy(ev);
    /* K = 1 keeps the first window only */
    ev = ev_for(AN_WINDOW_SENTENCE, 0, NULL, 1);
    it = an_evidence_pair(ev, 0, 1, &n);
    T_EQ_INT(n, 1);
    if (n) T_EQ_INT(it[0].start, 0);
    an_evidence_destroy(ev);
    T_EQ_INT(an_evidence_create(0, &ev), AN_EINVAL);
    T_DONE();
}

static int case_evidence_paragraph(void) {
    an_evidence *ev = ev_for(AN_WINDOW_PARAGRAPH, 0, NULL, 5);
    size_t n = 0;
    const an_evidence_item *it = an_evidence_pair(ev, 0, 1, &n);
    T_EQ_INT(n, 1);
    char buf[700];
    if (n) {
        T_EQ_INT(it[0].start, 0);
        T_EQ_INT(it[0].end, 43);
        item_text(&it[0], buf, sizeof buf);
        T_EQ_STR(buf, "Russia and Syria met. Syria thanked Russia.");
        T_EQ_INT(it[0].n_a_spans, 2);
        T_EQ_INT(it[0].n_b_spans, 2);
    }
    it = an_evidence_pair(ev, 1, 2, &n);
    T_EQ_INT(n, 1);
    if (n) T_EQ_INT(it[0].start, 45);
    an_evidence_destroy(ev);
    T_DONE();
}

static int case_evidence_document(void) {
    an_evidence *ev = ev_for(AN_WINDOW_DOCUMENT, 0, NULL, 5);
    size_t n = 0;
    const an_evidence_item *it = an_evidence_pair(ev, 0, 2, &n);
    T_EQ_INT(n, 1);
    if (n) {
        T_EQ_INT(it[0].start, 0);
        T_EQ_INT(it[0].end, sizeof ev_text - 1);
        T_EQ_INT(it[0].text_len, sizeof ev_text - 1);
    }
    T_EQ_INT(an_evidence_pair_count(ev), 3);
    an_evidence_destroy(ev);
    T_DONE();
}

static int case_evidence_tokens(void) {
    /* tokens:3: Russia(0)-Syria(2), Syria(5)-Russia(7), UN(10)-Syria(12);
     * Russia(7)-UN(10) is 3 apart too */
    an_evidence *ev = ev_for(AN_WINDOW_TOKENS, 3, NULL, 5);
    size_t n = 0;
    const an_evidence_item *it = an_evidence_pair(ev, 0, 1, &n);
    T_EQ_INT(n, 2);
    char buf[700];
    if (n == 2) {
        T_EQ_INT(it[0].start, 0);
        T_EQ_INT(it[0].end, 16);
        item_text(&it[0], buf, sizeof buf);
        T_EQ_STR(buf, "Russia and Syria met.");
        T_EQ_INT(it[1].start, 22);
        T_EQ_INT(it[1].end, 42);
    }
    it = an_evidence_pair(ev, 0, 2, &n);
    T_EQ_INT(n, 1);
    if (n) {
        T_EQ_INT(it[0].start, 36);
        T_EQ_INT(it[0].end, 51);
        item_text(&it[0], buf, sizeof buf);
        T_EQ_STR(buf, "Syria thanked Russia.\n\nThe UN watched Syria closely.");
    }
    an_evidence_destroy(ev);
    T_DONE();
}

static int case_evidence_map(void) {
    /* Russia merged into Syria: no pair of them; UN dropped: no pair at all */
    size_t map[3] = {1, 1, AN_DROP};
    an_evidence *ev = ev_for(AN_WINDOW_SENTENCE, 0, map, 5);
    T_EQ_INT(an_evidence_pair_count(ev), 0);
    size_t n = 0;
    const an_evidence_item *it = an_evidence_actor(ev, 1, &n);
    T_EQ_INT(n, 3);
    if (n) T_EQ_INT(it[0].n_a_spans, 2);
    T_ASSERT(an_evidence_actor(ev, 2, &n) == NULL);
    an_evidence_destroy(ev);
    size_t map2[3] = {0, 2, 2}; /* Syria counted as UN */
    ev = ev_for(AN_WINDOW_SENTENCE, 0, map2, 5);
    it = an_evidence_pair(ev, 0, 2, &n);
    T_EQ_INT(n, 2);
    T_EQ_INT(an_evidence_pair_count(ev), 1);
    an_evidence_destroy(ev);
    T_DONE();
}

static int case_evidence_truncate(void) {
    /* one 3,000-byte sentence of 3-byte characters with the mentions in the middle */
    size_t len = 3000;
    char *t = malloc(len + 1);
    for (size_t i = 0; i < len; i += 3) memcpy(t + i, "\xd0\x96\x21", 3); /* "Ж!" */
    memcpy(t + 1500, "Russia", 6);
    memcpy(t + 1530, "Syriaa", 6);
    t[len] = '\0';
    an_mention items[2];
    memset(items, 0, sizeof items);
    items[0] = (an_mention){1500, 1506, 0, 0, 0, 0, 0};
    items[1] = (an_mention){1530, 1535, 1, 1, 9, 0, 0};
    an_span sents[1] = {{0, len}};
    an_mentions ms;
    memset(&ms, 0, sizeof ms);
    ms.items = items;
    ms.count = 2;
    ms.sentences = sents;
    ms.n_sentences = 1;
    an_evidence *ev = NULL;
    T_OK(an_evidence_create(2, &ev));
    T_OK(an_evidence_add(ev, 0, NULL, t, len, &ms, NULL));
    size_t n = 0;
    const an_evidence_item *it = an_evidence_pair(ev, 0, 1, &n);
    T_EQ_INT(n, 1);
    if (n) {
        T_ASSERT(it[0].text_len <= AN_EVIDENCE_MAX_TEXT);
        T_ASSERT(it[0].text_len >= AN_EVIDENCE_MAX_TEXT - 3);
        T_ASSERT(it[0].text_start <= 1500);
        T_ASSERT(it[0].text_start + it[0].text_len >= 1535);
        T_EQ_INT(it[0].start, 0);
        T_EQ_INT(it[0].end, len);
        T_EQ_STR(it[0].doc_id, "");
        /* starts and ends on character boundaries */
        T_ASSERT(((unsigned char)it[0].text[0] & 0xC0) != 0x80);
        size_t e = it[0].text_start + it[0].text_len;
        T_ASSERT(e == len || ((unsigned char)t[e] & 0xC0) != 0x80);
    }
    /* mention outside the text */
    items[1].end = len + 1;
    T_EQ_INT(an_evidence_add(ev, 1, NULL, t, len, &ms, NULL), AN_EINVAL);
    an_evidence_destroy(ev);
    free(t);
    T_DONE();
}

/* Documents with random mentions, added in one store, or split across two
 * stores in any way and merged in either order: identical output. */
static char order_texts[40][200];
static an_mention order_items[40][8];
static an_span order_sents[40][4];

static an_mentions order_doc(size_t d) {
    uint64_t x = 0x9E3779B97F4A7C15ull * (d + 1);
    memset(order_texts[d], 'a' + (int)(d % 26), 199);
    order_texts[d][199] = '\0';
    for (size_t s = 0; s < 4; s++) order_sents[d][s] = (an_span){s * 50, s * 50 + 49};
    size_t n = 3 + d % 6;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        size_t start = i * 24;
        memset(&order_items[d][i], 0, sizeof order_items[d][i]);
        order_items[d][i].start = start;
        order_items[d][i].end = start + 5;
        order_items[d][i].actor = (size_t)(x % 5);
        order_items[d][i].alias = order_items[d][i].actor;
        order_items[d][i].sentence = (uint32_t)(start / 50);
        order_items[d][i].paragraph = (uint32_t)(start / 100);
        order_items[d][i].token = (uint32_t)i * 4;
    }
    return mentions_over(order_items[d], n, order_sents[d], 4);
}

static char *dump(const an_evidence *ev) {
    mem m;
    mem_open(&m);
    T_OK(an_evidence_write_jsonl(ev, NULL, m.f, NULL));
    for (size_t a = 0; a < 5; a++) {
        size_t n = 0;
        const an_evidence_item *it = an_evidence_actor(ev, a, &n);
        for (size_t i = 0; i < n; i++)
            fprintf(m.f, "actor %zu %llu %zu %zu\n", a, (unsigned long long)it[i].doc_seq,
                    it[i].start, it[i].end);
    }
    mem_close(&m);
    return m.buf;
}

/* The count options of window kind wi (0..3) for the order_doc documents. */
static an_count_options order_options(size_t wi) {
    static const an_window windows[] = {AN_WINDOW_SENTENCE, AN_WINDOW_PARAGRAPH,
                                        AN_WINDOW_DOCUMENT, AN_WINDOW_TOKENS};
    an_count_options co;
    memset(&co, 0, sizeof co);
    co.window = windows[wi];
    co.tokens = 5;
    return co;
}

static int case_evidence_order(void) {
    for (size_t wi = 0; wi < 4; wi++) {
        an_count_options co = order_options(wi);
        an_evidence *one = NULL;
        T_OK(an_evidence_create(3, &one));
        for (size_t d = 0; d < 40; d++) {
            an_mentions ms = order_doc(d);
            T_OK(an_evidence_add(one, d, "d", order_texts[d], 199, &ms, &co));
        }
        char *want = dump(one);
        T_ASSERT(strlen(want) > 100);
        /* The same store with every record but the newest in its temporary file. */
        an_evidence *spilled = NULL;
        T_OK(an_evidence_create(3, &spilled));
        T_OK(an_evidence_set_buffer(spilled, 0));
        for (size_t d = 0; d < 40; d++) {
            an_mentions ms = order_doc(d);
            T_OK(an_evidence_add(spilled, d, "d", order_texts[d], 199, &ms, &co));
        }
        char *got_spilled = dump(spilled);
        if (strcmp(got_spilled, want) != 0) T_FAIL("window %zu: spilled evidence differs", wi);
        free(got_spilled);
        /* Parked (index in the file) and read back by the next call: the same. */
        T_OK(an_evidence_park(spilled));
        T_OK(an_evidence_park(spilled));
        got_spilled = dump(spilled);
        if (strcmp(got_spilled, want) != 0) T_FAIL("window %zu: parked evidence differs", wi);
        free(got_spilled);
        an_evidence_destroy(spilled);
        for (unsigned split = 0; split < 12; split++) {
            an_evidence *x = NULL, *y = NULL;
            T_OK(an_evidence_create(3, &x));
            T_OK(an_evidence_create(3, &y));
            /* buffers: none, a few records, the default (merges read from files and memory) */
            if (split % 3 != 2) T_OK(an_evidence_set_buffer(x, split % 3 ? 700 : 0));
            if (split % 4 != 3) T_OK(an_evidence_set_buffer(y, split % 4 ? 300 : 0));
            /* documents go to x or y by a pattern, and in reverse order to y;
             * some splits park the stores now and then (adds read them back) */
            for (size_t d = 0; d < 40; d++) {
                size_t dd = split % 2 ? 39 - d : d;
                an_mentions ms = order_doc(dd);
                an_evidence *to = ((dd * 7 + split) % (split + 2)) == 0 ? x : y;
                if (split % 5 == 1 && d % 9 == 4) T_OK(an_evidence_park(to));
                T_OK(an_evidence_add(to, dd, "d", order_texts[dd], 199, &ms, &co));
            }
            if (split % 4 == 2) {
                T_OK(an_evidence_park(x));
                T_OK(an_evidence_park(y));
            }
            an_evidence *dst = split % 3 ? x : y, *src = split % 3 ? y : x;
            T_OK(an_evidence_merge(dst, src));
            char *got = dump(dst);
            if (strcmp(got, want) != 0)
                T_FAIL("window %zu split %u: merged evidence differs", wi, split);
            free(got);
            an_evidence_destroy(x);
            an_evidence_destroy(y);
        }
        free(want);
        an_evidence_destroy(one);
    }
    T_DONE();
}

static int case_evidence_jsonl(void) {
    an_gazetteer *gz = an_gazetteer_create();
    static const char g[] = "RUS\tRussia\tcountry\t\tRussia\nSYR\tSyria\tcountry\t\tSyria\n"
                            "UN\tUnited Nations\torganisation\t\tUN\n";
    T_OK(an_gazetteer_load_buffer(gz, g, sizeof g - 1, "g", AN_GAZ_NATIVE, NULL));
    an_evidence *ev = ev_for(AN_WINDOW_SENTENCE, 0, NULL, 5);
    mem m;
    mem_open(&m);
    T_OK(an_evidence_write_jsonl(ev, gz, m.f, NULL));
    mem_close(&m);
    t_check_golden("render", "evidence.jsonl", m.buf, m.len);
    T_EQ_INT(t_count_of(m.buf, m.len, "\n"), 3);
    T_CONTAINS(m.buf, m.len,
               "{\"a\":\"RUS\",\"b\":\"SYR\",\"doc\":\"doc<1>\",\"doc_seq\":7,\"start\":0,"
               "\"end\":21,\"text_start\":0,\"text\":\"Russia and Syria met.\","
               "\"a_spans\":[[0,6]],\"b_spans\":[[11,16]]}\n");
    t_make_tmpdir("export");
    json_ok(m.buf, m.len, "ev.jsonl", 1);
    t_remove_tmpdir();
    free(m.buf);
    mem_open(&m);
    T_OK(an_evidence_write_pair(ev, gz, 2, 1, m.f, NULL));
    mem_close(&m);
    T_EQ_INT(t_count_of(m.buf, m.len, "\n"), 1);
    T_CONTAINS(m.buf, m.len, "{\"a\":\"SYR\",\"b\":\"UN\"");
    free(m.buf);
    mem_open(&m);
    T_OK(an_evidence_write_pair(ev, NULL, 0, 2, m.f, NULL));
    mem_close(&m);
    T_EQ_INT(m.len, 0);
    free(m.buf);
    an_evidence_destroy(ev);
    an_gazetteer_destroy(gz);
    T_DONE();
}

/* A store that keeps no actor windows has the same pair records. */
/* One sentence "ab" naming actors a and b: a document of the many-records test. */
static an_mentions two_actor_doc(an_mention *items, an_span *sent, size_t a, size_t b) {
    memset(items, 0, 2 * sizeof *items);
    items[0].start = 0;
    items[0].end = 1;
    items[0].actor = items[0].alias = a;
    items[1].start = 1;
    items[1].end = 2;
    items[1].actor = items[1].alias = b;
    items[1].token = 1;
    sent->start = 0;
    sent->end = 2;
    return mentions_over(items, 2, sent, 1);
}

/* Adds document seq naming a and b to ev. */
static void add_two(an_evidence *ev, uint64_t seq, size_t a, size_t b) {
    an_mention items[2];
    an_span sent;
    an_mentions ms = two_actor_doc(items, &sent, a, b);
    T_OK(an_evidence_add(ev, seq, "d", "ab", 2, &ms, NULL));
}

/* Pair (0, 1) holds documents 0 .. n-1 and nothing else. */
static int holds_first(const an_evidence *ev, size_t n) {
    size_t got = 0;
    const an_evidence_item *it = an_evidence_pair(ev, 0, 1, &got);
    if (!it || got != n) return 0;
    for (size_t j = 0; j < n; j++)
        if (it[j].doc_seq != j || it[j].text_len != 2 || memcmp(it[j].text, "ab", 2) != 0) return 0;
    return 1;
}

/* K beyond a pool page (the pair's block gets a page of its own), blocks that
 * grow and leave smaller ones for other pairs, a table that grows while a
 * pair's records are held, parking (one parked entry larger than the 64 KiB
 * unpark reads at a time, then thousands crossing its chunks) and merging:
 * the K smallest every time. */
static int case_evidence_many(void) {
    enum { K = 2000, DOCS = 2400, OTHERS = 3000 };
    an_evidence *ev = NULL, *x = NULL, *y = NULL;
    T_OK(an_evidence_create(K, &ev));
    T_OK(an_evidence_create(K, &x));
    T_OK(an_evidence_create(K, &y));
    for (size_t i = 0; i < DOCS; i++) {
        uint64_t d = (uint64_t)((i * 7919) % DOCS); /* every document once, out of order */
        add_two(ev, d, 0, 1);
        add_two(d % 2 ? x : y, d, 0, 1);
        /* other pairs with a few records each, their blocks growing as (0, 1)'s does */
        size_t o = 2 + i % 40;
        add_two(ev, DOCS + i, o, o + 1);
    }
    T_ASSERT(holds_first(ev, K));
    size_t n = 0;
    const an_evidence_item *held = an_evidence_pair(ev, 0, 1, &n);
    /* new pairs: the table grows several times; (0, 1) is unchanged, so what
     * an_evidence_pair returned stays valid and is returned again */
    for (size_t i = 0; i < OTHERS; i++) add_two(ev, 2 * DOCS + i, 100 + i, 100 + i + 1);
    T_ASSERT(an_evidence_pair_count(ev) == 1 + 40 + OTHERS);
    T_ASSERT(held[K - 1].doc_seq == K - 1 && held[0].text_len == 2);
    T_ASSERT(an_evidence_pair(ev, 0, 1, &n) == held && n == K);
    size_t m = 0;
    const an_evidence_item *o = an_evidence_pair(ev, 5, 6, &m);
    T_ASSERT(o && m == (DOCS + 39) / 40 && o[0].doc_seq == DOCS + 3);
    T_ASSERT(an_evidence_pair(ev, 100 + OTHERS - 1, 100 + OTHERS, &m) && m == 1);
    T_OK(an_evidence_park(ev));
    T_ASSERT(holds_first(ev, K));
    T_ASSERT(an_evidence_pair_count(ev) == 1 + 40 + OTHERS);
    o = an_evidence_pair(ev, 5, 6, &m);
    T_ASSERT(o && m == (DOCS + 39) / 40 && o[0].doc_seq == DOCS + 3);
    for (size_t i = 0; i < OTHERS; i++) {
        o = an_evidence_pair(ev, 100 + i, 100 + i + 1, &m);
        T_ASSERT(o && m == 1 && o[0].doc_seq == 2 * DOCS + i);
    }
    T_OK(an_evidence_merge(x, y));
    T_ASSERT(holds_first(x, K));
    T_OK(an_evidence_park(x));
    T_OK(an_evidence_merge(y, x));
    T_ASSERT(holds_first(y, K));
    an_evidence_destroy(ev);
    an_evidence_destroy(x);
    an_evidence_destroy(y);
    T_DONE();
}

static int case_evidence_pairs_only(void) {
    for (size_t wi = 0; wi < 4; wi++) {
        an_count_options co = order_options(wi);
        an_evidence *all = NULL, *pairs = NULL;
        T_OK(an_evidence_create(2, &all));
        T_OK(an_evidence_create(2, &pairs));
        T_OK(an_evidence_keep_actors(pairs, 0));
        for (size_t d = 0; d < 40; d++) {
            an_mentions ms = order_doc(d);
            T_OK(an_evidence_add(all, d, "d", order_texts[d], 199, &ms, &co));
            T_OK(an_evidence_add(pairs, d, "d", order_texts[d], 199, &ms, &co));
        }
        mem a, b;
        mem_open(&a);
        T_OK(an_evidence_write_jsonl(all, NULL, a.f, NULL));
        mem_close(&a);
        mem_open(&b);
        T_OK(an_evidence_write_jsonl(pairs, NULL, b.f, NULL));
        mem_close(&b);
        T_ASSERT(a.len > 100 && a.len == b.len && memcmp(a.buf, b.buf, a.len) == 0);
        T_EQ_INT(an_evidence_pair_count(pairs), an_evidence_pair_count(all));
        T_ASSERT(an_evidence_actor_count(all) > 0);
        T_EQ_INT(an_evidence_actor_count(pairs), 0);
        size_t n = 1;
        T_ASSERT(an_evidence_actor(pairs, 1, &n) == NULL && n == 0);
        free(a.buf);
        free(b.buf);
        an_evidence_destroy(all);
        an_evidence_destroy(pairs);
    }
    T_DONE();
}

/* Records that spill go to a temporary file in $TMPDIR: when it cannot be
 * created, adding says AN_EIO, and what was kept stays readable. */
static int case_evidence_spill_error(void) {
    const char *old = getenv("TMPDIR");
    char *saved = old ? strdup(old) : NULL;
    T_ASSERT(setenv("TMPDIR", "/nonexistent/actornet-test", 1) == 0);
    an_evidence *ev = NULL;
    T_OK(an_evidence_create(2, &ev));
    T_OK(an_evidence_set_buffer(ev, 0));
    an_count_options co;
    memset(&co, 0, sizeof co);
    an_status st = AN_OK;
    size_t d = 0;
    for (; d < 40 && st == AN_OK; d++) {
        an_mentions ms = order_doc(d);
        st = an_evidence_add(ev, d, "d", order_texts[d], 199, &ms, &co);
    }
    T_EQ_INT(st, AN_EIO);
    /* the first document's records fit the buffer (its newest record only
     * with buffer 0: the flush before the second one fails) */
    T_ASSERT(d == 1);
    T_ASSERT(an_evidence_pair_count(ev) + an_evidence_actor_count(ev) >= 1);
    mem m;
    mem_open(&m);
    T_OK(an_evidence_write_jsonl(ev, NULL, m.f, NULL));
    mem_close(&m);
    free(m.buf);
    an_evidence_destroy(ev);
    if (saved) {
        setenv("TMPDIR", saved, 1);
        free(saved);
    } else {
        unsetenv("TMPDIR");
    }
    T_DONE();
}

/* The real matcher on text with Arabic, emoji and quotes: spans point at the names. */
static int case_evidence_matcher(void) {
    an_gazetteer *gz = an_gazetteer_create();
    static const char g[] = "RUS\tRussia\tcountry\t\tRussia|Moscow\n"
                            "SYR\tSyria\tcountry\t\tSyria|\xd8\xb3\xd9\x88\xd8\xb1\xd9\x8a\xd8\xa7\n";
    T_OK(an_gazetteer_load_buffer(gz, g, sizeof g - 1, "g", AN_GAZ_NATIVE, NULL));
    an_matcher *mt = NULL;
    T_OK(an_matcher_compile(gz, NULL, &mt, NULL));
    static const char t[] = "\"Moscow\" \xf0\x9f\x98\x80 backs \xd8\xb3\xd9\x88\xd8\xb1\xd9\x8a\xd8\xa7"
                            " \\ & <b>.\n\nNothing here. Russia alone.";
    an_mentions m;
    an_mentions_init(&m);
    T_OK(an_matcher_scan(mt, t, sizeof t - 1, 0, &m, NULL));
    T_EQ_INT(m.count, 3);
    an_evidence *ev = NULL;
    T_OK(an_evidence_create(4, &ev));
    T_OK(an_evidence_add(ev, 0, "x", t, sizeof t - 1, &m, NULL));
    size_t n = 0;
    const an_evidence_item *it = an_evidence_pair(ev, 0, 1, &n);
    T_EQ_INT(n, 1);
    if (n) {
        T_EQ_INT(it[0].n_a_spans, 1);
        T_ASSERT(memcmp(t + it[0].a_spans[0].start, "Moscow", 6) == 0);
        T_ASSERT(memcmp(t + it[0].b_spans[0].start, "\xd8\xb3", 2) == 0);
        T_ASSERT(it[0].text_start + it[0].text_len < 40);
    }
    an_evidence_actor(ev, 0, &n);
    T_EQ_INT(n, 2);
    an_mentions_finish(&m);
    an_evidence_destroy(ev);
    an_matcher_destroy(mt);
    an_gazetteer_destroy(gz);
    T_DONE();
}

int main(int argc, char **argv) {
    static const struct {
        const char *name;
        int (*fn)(void);
    } cases[] = {
        {"graphml_golden", case_graphml_golden},
        {"gexf_golden", case_gexf_golden},
        {"gexf_dynamic_golden", case_gexf_dynamic_golden},
        {"json_golden", case_json_golden},
        {"report_json_golden", case_report_json_golden},
        {"html_golden", case_html_golden},
        {"md_extras", case_md_extras},
        {"nasty_xml_valid", case_nasty_xml_valid},
        {"nasty_json_valid", case_nasty_json_valid},
        {"nasty_html_inert", case_nasty_html_inert},
        {"svg_clean", case_svg_clean},
        {"readers", case_readers},
        {"periods", case_periods},
        {"export_errors", case_export_errors},
        {"export_oom", case_export_oom},
        {"evidence_sentence", case_evidence_sentence},
        {"evidence_paragraph", case_evidence_paragraph},
        {"evidence_document", case_evidence_document},
        {"evidence_tokens", case_evidence_tokens},
        {"evidence_map", case_evidence_map},
        {"evidence_truncate", case_evidence_truncate},
        {"evidence_order", case_evidence_order},
        {"evidence_spill_error", case_evidence_spill_error},
        {"evidence_pairs_only", case_evidence_pairs_only},
        {"evidence_many", case_evidence_many},
        {"evidence_jsonl", case_evidence_jsonl},
        {"evidence_matcher", case_evidence_matcher},
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
