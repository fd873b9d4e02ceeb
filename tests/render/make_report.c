/* Builds every export and report of a corpus with the public API only: the
 * HTML report for the browser test and docs/report-screenshot.png, and an
 * end-to-end check of the writers on real text.
 *
 * Usage: make_report OUTDIR GAZETTEER INPUT...
 * Writes OUTDIR/report.html, report.md, report.json, map.svg, graph.graphml,
 * graph.gexf, graph.json and evidence.jsonl (evidence K = 5, sentence windows).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/actornet.h"
#include "actornet/evidence.h"

static int fail(const char *what, const an_error *err) {
    char buf[1200];
    fprintf(stderr, "make_report: %s: %s\n", what, an_error_format(err, buf, sizeof buf));
    return 1;
}

typedef an_status (*writer_fn)(void *ctx, FILE *f, an_error *err);

static int write_to(const char *dir, const char *name, writer_fn fn, void *ctx) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return 1;
    }
    an_error err;
    an_error_clear(&err);
    an_status st = fn(ctx, f, &err);
    if (fclose(f) != 0 && st == AN_OK) st = AN_EIO;
    if (st != AN_OK) return fail(name, &err);
    return 0;
}

typedef struct ctx {
    const an_graph_view *v;
    an_report_options *rep;
    const an_evidence *ev;
    const an_gazetteer *gz;
    char *svg;
    size_t svg_len;
} ctx;

static an_status w_html(void *p, FILE *f, an_error *e) {
    ctx *c = p;
    return an_report_html(c->v, c->rep, c->svg, c->svg_len, f, e);
}
static an_status w_md(void *p, FILE *f, an_error *e) {
    ctx *c = p;
    return an_report_markdown(c->v, c->rep, f, e);
}
static an_status w_rjson(void *p, FILE *f, an_error *e) {
    ctx *c = p;
    return an_report_json(c->v, c->rep, f, e);
}
static an_status w_svg(void *p, FILE *f, an_error *e) {
    ctx *c = p;
    (void)e;
    return fwrite(c->svg, 1, c->svg_len, f) == c->svg_len ? AN_OK : AN_EIO;
}
static an_status w_graphml(void *p, FILE *f, an_error *e) {
    return an_export_graphml(((ctx *)p)->v, f, e);
}
static an_status w_gexf(void *p, FILE *f, an_error *e) { return an_export_gexf(((ctx *)p)->v, f, e); }
static an_status w_json(void *p, FILE *f, an_error *e) { return an_export_json(((ctx *)p)->v, f, e); }
static an_status w_ev(void *p, FILE *f, an_error *e) {
    ctx *c = p;
    return an_evidence_write_jsonl(c->ev, c->gz, f, e);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: make_report OUTDIR GAZETTEER INPUT...\n");
        return 2;
    }
    const char *dir = argv[1];
    an_error err;
    an_error_clear(&err);
    an_gazetteer *gz = an_gazetteer_create();
    if (!gz) return 1;
    if (an_gazetteer_load_file(gz, argv[2], AN_GAZ_AUTO, &err) != AN_OK)
        return fail("gazetteer", &err);
    an_matcher *mt = NULL;
    if (an_matcher_compile(gz, NULL, &mt, &err) != AN_OK) return fail("matcher", &err);
    an_count_options co;
    memset(&co, 0, sizeof co);
    co.window = AN_WINDOW_SENTENCE;
    an_counts *counts = NULL;
    an_evidence *ev = NULL;
    if (an_counts_create(an_gazetteer_actor_count(gz), an_gazetteer_alias_count(gz), &co,
                         &counts) != AN_OK ||
        an_evidence_create(5, &ev) != AN_OK)
        return 1;
    an_reader *rd = NULL;
    if (an_reader_create((const char *const *)argv + 3, (size_t)(argc - 3), NULL, &rd, &err) !=
        AN_OK)
        return fail("reader", &err);
    an_mentions m;
    an_mentions_init(&m);
    uint64_t seq = 0;
    for (;;) {
        an_document d;
        int done = 0;
        if (an_reader_next(rd, &d, &done, &err) != AN_OK) return fail("read", &err);
        if (done) break;
        if (an_matcher_scan(mt, d.text, d.len, d.date, &m, &err) != AN_OK)
            return fail("scan", &err);
        if (an_counts_add(counts, &m) != AN_OK ||
            an_evidence_add(ev, seq++, d.id, d.text, d.len, &m, &co) != AN_OK)
            return 1;
    }
    an_network *net = NULL;
    if (an_network_build(counts, gz, NULL, &net, &err) != AN_OK) return fail("network", &err);
    const an_graph_view *v = an_network_view(net);

    ctx c = {v, NULL, ev, gz, NULL, 0};
    FILE *mf = open_memstream(&c.svg, &c.svg_len);
    an_render_options ro;
    an_render_options_init(&ro);
    ro.title = "examples/news";
    if (!mf || an_render_image(v, &ro, "svg", mf, &err) != AN_OK) return fail("svg", &err);
    fclose(mf);

    an_report_options rep;
    an_report_options_init(&rep);
    rep.title = "actornet report: examples/news";
    rep.inputs = (const char *const *)argv + 3;
    rep.n_inputs = (size_t)(argc - 3);
    rep.gazetteer = argv[2];
    rep.gazetteer_actors = an_gazetteer_actor_count(gz);
    rep.gazetteer_aliases = an_gazetteer_alias_count(gz);
    rep.counts = counts;
    rep.gz = gz;
    rep.evidence = ev;
    c.rep = &rep;
    int rc = write_to(dir, "report.html", w_html, &c) || write_to(dir, "report.md", w_md, &c) ||
             write_to(dir, "report.json", w_rjson, &c) || write_to(dir, "map.svg", w_svg, &c) ||
             write_to(dir, "graph.graphml", w_graphml, &c) ||
             write_to(dir, "graph.gexf", w_gexf, &c) || write_to(dir, "graph.json", w_json, &c) ||
             write_to(dir, "evidence.jsonl", w_ev, &c);
    free(c.svg);
    an_network_destroy(net);
    an_reader_destroy(rd);
    an_mentions_finish(&m);
    an_evidence_destroy(ev);
    an_counts_destroy(counts);
    an_matcher_destroy(mt);
    an_gazetteer_destroy(gz);
    return rc;
}
