/* Co-mention model and network analytics: token windows, counting modes,
 * measures (worked example of docs/measures.md), filters, roll-up, coreness,
 * clustering, components, cutoff betweenness, periods, reproducibility, and
 * a comparison with networkx on Zachary's karate club (golden/reference.txt,
 * made by golden/make_reference.py). Each case is a named function; every
 * expected value is worked out by hand in the comment next to it. */
#include <math.h>
#include <stdint.h>
#include <sys/resource.h>

#include "actornet/network.h"
#include "test_util.h"

#define EPS 1e-9

/* ---- fixtures ------------------------------------------------------------ */

/* 0..5: A..F for small graphs; 6..11: a roll-up family. */
static const char gaz_tsv[] =
    "# id\tlabel\ttype\tparents\taliases\n"
    "A\tActor A\tcountry\t\tAlpha\n"
    "B\tActor B\tcountry\t\tBravo\n"
    "C\tActor C\tcountry\t\tCharlie\n"
    "D\tActor D\tcountry\t\tDelta\n"
    "E\tActor E\tcountry\t\tEcho\n"
    "F\tActor F\tcountry\t\tFoxtrot\n"
    "RUS\tRussia\tcountry\t\tRussia\n"
    "LAV\tSergei Lavrov\tperson\tRUS\tLavrov\n"
    "PUT\tVladimir Putin\tperson\tRUS\tPutin\n"
    "MFA\tRussian foreign ministry\torganisation\tRUS\tMFA\n"
    "SPOX\tMFA spokeswoman\tperson\tMFA\tZakharova\n"
    "SYR\tSyria\tcountry\t\tSyria\n"
    "G\tActor G\tcountry\t\tGolf\n";
enum { A, B, C, D, E, F, RUS, LAV, PUT, MFA, SPOX, SYR, G, N_ACTORS };

static an_gazetteer *load_gaz(const char *tsv, size_t len) {
    an_gazetteer *gz = an_gazetteer_create();
    an_error err;
    an_error_clear(&err);
    T_ASSERT(gz != NULL);
    if (an_gazetteer_load_buffer(gz, tsv, len, "t.tsv", AN_GAZ_NATIVE, &err) != AN_OK)
        T_FAIL("gazetteer: %s", err.message);
    return gz;
}

/* One document under construction. */
typedef struct doc {
    an_mention items[64];
    an_mentions m;
} doc;

static void doc_start(doc *d, size_t sentences, size_t tokens) {
    memset(d, 0, sizeof *d);
    d->m.items = d->items;
    d->m.n_sentences = sentences;
    d->m.n_paragraphs = 1;
    d->m.n_tokens = tokens;
    d->m.doc_bytes = 100;
}

static void doc_add(doc *d, size_t actor, uint32_t sentence, uint32_t token) {
    an_mention *x = &d->items[d->m.count++];
    x->actor = x->alias = actor;
    x->sentence = sentence;
    x->token = token;
    x->start = token * 2;
    x->end = x->start + 1;
}

static an_counts *new_counts(const an_count_options *o) {
    an_counts *c = NULL;
    T_OK(an_counts_create(N_ACTORS, N_ACTORS, o, &c));
    return c;
}

static an_pair_counts pair_of(const an_counts *c, size_t a, size_t b) {
    an_pair_counts r;
    memset(&r, 0, sizeof r);
    an_pair_counts *p = NULL;
    size_t n = 0;
    T_OK(an_counts_pairs(c, &p, &n));
    for (size_t i = 0; i < n; i++)
        if (p[i].a == a && p[i].b == b) r = p[i];
    an_counts_pairs_free(p);
    return r;
}

/* Weighted edges through document windows: w documents naming exactly a and b. */
typedef struct wedge {
    size_t a, b;
    unsigned w;
} wedge;

static an_counts *graph_counts(size_t n_actors, const wedge *e, size_t n, const size_t *alone,
                               size_t n_alone) {
    an_count_options o = {.window = AN_WINDOW_DOCUMENT};
    an_counts *c = NULL;
    T_OK(an_counts_create(n_actors, n_actors, &o, &c));
    doc d;
    for (size_t i = 0; i < n; i++) {
        for (unsigned k = 0; k < e[i].w; k++) {
            doc_start(&d, 1, 10);
            doc_add(&d, e[i].a, 0, 0);
            doc_add(&d, e[i].b, 0, 1);
            T_OK(an_counts_add(c, &d.m));
        }
    }
    for (size_t i = 0; i < n_alone; i++) {
        doc_start(&d, 1, 10);
        doc_add(&d, alone[i], 0, 0);
        T_OK(an_counts_add(c, &d.m));
    }
    return c;
}

static an_network *build(const an_counts *c, const an_gazetteer *gz,
                         const an_network_options *o) {
    an_network *net = NULL;
    an_error err;
    an_error_clear(&err);
    an_status st = an_network_build(c, gz, o, &net, &err);
    if (st != AN_OK) T_FAIL("an_network_build: %s", err.message);
    return net;
}

static const an_edge *find_edge(const an_graph_view *v, size_t actor_a, size_t actor_b) {
    for (size_t i = 0; i < v->n_edges; i++) {
        const an_edge *e = &v->edges[i];
        if (v->nodes[e->source].actor == actor_a && v->nodes[e->target].actor == actor_b)
            return e;
    }
    return NULL;
}

static const an_node *find_node(const an_graph_view *v, size_t actor) {
    for (size_t i = 0; i < v->n_nodes; i++)
        if (v->nodes[i].actor == actor) return &v->nodes[i];
    return NULL;
}

static const an_filter_step *find_step(const an_graph_view *v, const char *name) {
    for (size_t i = 0; i < v->n_filter_steps; i++)
        if (strcmp(v->filter_steps[i].name, name) == 0) return &v->filter_steps[i];
    return NULL;
}

/* ---- measures: the worked example of docs/measures.md --------------------
 * N = 10 windows, c_a = 4, c_b = 5, c_ab = 3. */

static void test_measure_worked_example(void) {
    double k = 3, a = 4, b = 5, n = 10;
    T_NEAR(an_measure_score(AN_MEASURE_COUNT, k, a, b, n), 3.0, EPS);
    T_NEAR(an_measure_score(AN_MEASURE_JACCARD, k, a, b, n), 0.5, EPS);        /* 3/6 */
    T_NEAR(an_measure_score(AN_MEASURE_DICE, k, a, b, n), 2.0 / 3.0, EPS);     /* 6/9 */
    T_NEAR(an_measure_score(AN_MEASURE_COSINE, k, a, b, n), 3.0 / sqrt(20.0), EPS);
    T_NEAR(an_measure_score(AN_MEASURE_INCLUSION, k, a, b, n), 0.75, EPS);     /* 3/4 */
    T_NEAR(an_measure_score(AN_MEASURE_ASSOCIATION, k, a, b, n), 1.5, EPS);   /* 30/20 */
    T_NEAR(an_measure_score(AN_MEASURE_PMI, k, a, b, n), 0.5849625007211562, EPS);
    T_NEAR(an_measure_score(AN_MEASURE_NPMI, k, a, b, n), 0.3367726468997534, EPS);
    /* O = [3 1; 2 4], E = [2 2; 3 3]: G2 = 2 sum O ln(O/E) */
    T_NEAR(an_measure_score(AN_MEASURE_LLR, k, a, b, n), 1.7260924347106847, EPS);
}

static void test_measure_edge_cases(void) {
    /* repulsion: c_ab 1 < expected 2.5 -> PMI, NPMI, LLR negative */
    T_ASSERT(an_measure_score(AN_MEASURE_PMI, 1, 5, 5, 10) < 0.0);
    T_ASSERT(an_measure_score(AN_MEASURE_NPMI, 1, 5, 5, 10) < 0.0);
    T_ASSERT(an_measure_score(AN_MEASURE_LLR, 1, 5, 5, 10) < 0.0);
    /* both actors in every window: NPMI 1, PMI 0 */
    T_NEAR(an_measure_score(AN_MEASURE_NPMI, 4, 4, 4, 4), 1.0, EPS);
    T_NEAR(an_measure_score(AN_MEASURE_PMI, 4, 4, 4, 4), 0.0, EPS);
    /* no co-mention, or no margin: 0, never NaN */
    T_NEAR(an_measure_score(AN_MEASURE_JACCARD, 0, 4, 5, 10), 0.0, 0);
    T_NEAR(an_measure_score(AN_MEASURE_PMI, 2, 0, 5, 10), 0.0, 0);
    /* pair counts above a margin are clamped: 9 pairs, margins 3 and 3 */
    T_NEAR(an_measure_score(AN_MEASURE_JACCARD, 9, 3, 3, 10), 1.0, EPS);
    T_NEAR(an_measure_score(AN_MEASURE_COUNT, 9, 3, 3, 10), 9.0, EPS);
    /* N below the union is raised to it: N 1 -> 2 + 2 - 1 = 3, 1 * 3 / (2 * 2) */
    T_NEAR(an_measure_score(AN_MEASURE_ASSOCIATION, 1, 2, 2, 1), 3.0 / 4.0, EPS);
    an_measure m;
    T_OK(an_measure_parse("npmi", &m));
    T_EQ_INT(m, AN_MEASURE_NPMI);
    T_EQ_INT(an_measure_parse("G2", &m), AN_EINVAL);
    T_EQ_STR(an_measure_name(AN_MEASURE_LLR), "llr");
    T_ASSERT(an_measure_name((an_measure)99) == NULL);
}

/* The same example through counting: one document of 10 sentences, A in
 * sentences 0..3, B in 1..5: c_a 4, c_b 5, c_ab 3, N 10. */
static an_counts *worked_counts(void) {
    an_count_options o = {.window = AN_WINDOW_SENTENCE};
    an_counts *c = new_counts(&o);
    doc d;
    doc_start(&d, 10, 100);
    for (uint32_t s = 0; s < 6; s++) {
        if (s <= 3) doc_add(&d, A, s, s * 10);
        if (s >= 1) doc_add(&d, B, s, s * 10 + 1);
    }
    T_OK(an_counts_add(c, &d.m));
    return c;
}

static void test_measure_network(void) {
    an_gazetteer *gz = load_gaz(gaz_tsv, sizeof gaz_tsv - 1);
    an_counts *c = worked_counts();
    static const struct {
        an_measure m;
        double want;
    } cases[] = {{AN_MEASURE_COUNT, 3.0},
                 {AN_MEASURE_JACCARD, 0.5},
                 {AN_MEASURE_DICE, 2.0 / 3.0},
                 {AN_MEASURE_INCLUSION, 0.75},
                 {AN_MEASURE_ASSOCIATION, 1.5},
                 {AN_MEASURE_NPMI, 0.3367726468997534},
                 {AN_MEASURE_LLR, 1.7260924347106847}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        an_network_options o;
        an_network_options_init(&o);
        o.measure = cases[i].m;
        an_network *net = build(c, gz, &o);
        const an_graph_view *v = an_network_view(net);
        T_EQ_STR(v->measure, an_measure_name(cases[i].m));
        T_EQ_INT(v->n_edges, 1);
        if (v->n_edges == 1) {
            T_NEAR(v->edges[0].score, cases[i].want, EPS);
            T_NEAR(v->edges[0].weight, cases[i].want, EPS);
            T_EQ_INT(v->edges[0].windows, 3);
            T_NEAR(v->nodes[0].strength, cases[i].want, EPS);
        }
        an_network_destroy(net);
    }
    an_counts_destroy(c);

    /* a repelling pair under PMI is dropped: 10 sentences, A in 0..4, B in
     * 4..8: c_ab 1 < 5*5/10; the step says so and both actors stay isolated */
    an_count_options co = {.window = AN_WINDOW_SENTENCE};
    c = new_counts(&co);
    doc d;
    doc_start(&d, 10, 100);
    for (uint32_t s = 0; s < 9; s++) {
        if (s <= 4) doc_add(&d, A, s, s * 10);
        if (s >= 4) doc_add(&d, B, s, s * 10 + 1);
    }
    T_OK(an_counts_add(c, &d.m));
    an_network_options o;
    an_network_options_init(&o);
    o.measure = AN_MEASURE_PMI;
    an_network *net = build(c, gz, &o);
    const an_graph_view *v = an_network_view(net);
    T_EQ_INT(v->n_edges, 0);
    T_EQ_INT(v->n_nodes, 2);
    T_EQ_INT(v->edges_before_filters, 1);
    const an_filter_step *s = find_step(v, "positive_score");
    T_ASSERT(s != NULL);
    if (s) {
        T_EQ_INT(s->edges_removed, 1);
        T_EQ_INT(s->actors_removed, 2);
    }
    an_network_destroy(net);
    an_counts_destroy(c);
    an_gazetteer_destroy(gz);
}

/* ---- windows and counting modes ----------------------------------------- */

static void test_window_spec(void) {
    an_count_options o;
    memset(&o, 0, sizeof o);
    T_OK(an_window_parse_spec("tokens:5", &o));
    T_EQ_INT(o.window, AN_WINDOW_TOKENS);
    T_EQ_INT(o.tokens, 5);
    T_OK(an_window_parse_spec("paragraph", &o));
    T_EQ_INT(o.window, AN_WINDOW_PARAGRAPH);
    T_EQ_INT(an_window_parse_spec("tokens:0", &o), AN_EINVAL);
    T_EQ_INT(an_window_parse_spec("tokens:", &o), AN_EINVAL);
    T_EQ_INT(an_window_parse_spec("tokens:5x", &o), AN_EINVAL);
    T_EQ_INT(an_window_parse_spec("tokens:99999999999", &o), AN_EINVAL);
    T_EQ_INT(an_window_parse_spec("tokens", &o), AN_EINVAL);
    T_EQ_INT(o.window, AN_WINDOW_PARAGRAPH); /* unchanged by failures */
    an_window w;
    T_EQ_INT(an_window_parse("tokens", &w), AN_EINVAL);
    T_EQ_STR(an_window_name(AN_WINDOW_TOKENS), "tokens");
    /* token windows need a distance */
    an_count_options bad = {.window = AN_WINDOW_TOKENS};
    an_counts *c = NULL;
    T_EQ_INT(an_counts_create(2, 2, &bad, &c), AN_EINVAL);
    T_ASSERT(c == NULL);
}

/* Tokens: A@0, B@2, A@5, C@9, B@9 in a 12-token document, N = 3.
 * Mention pairs within 3 tokens: (A0,B2) d2, (B2,A5) d3, (A0,A5)? d5 no,
 * (A5,C9) d4 no, (C9,B9) d0. So AB = 2, BC = 1, AC = 0. Weighted:
 * AB = 1/3 + 1/4, BC = 1/1. Margins = mentions: A 2, B 2, C 1; N = 12 tokens. */
static void make_token_doc(doc *d) {
    doc_start(d, 1, 12);
    doc_add(d, A, 0, 0);
    doc_add(d, B, 0, 2);
    doc_add(d, A, 0, 5);
    doc_add(d, C, 0, 9);
    doc_add(d, B, 0, 9);
}

static void test_token_windows(void) {
    an_count_options o = {.window = AN_WINDOW_TOKENS, .tokens = 3};
    an_counts *c = new_counts(&o);
    doc d;
    make_token_doc(&d);
    T_OK(an_counts_add(c, &d.m));
    T_EQ_INT(an_counts_windows(c), 12);
    T_EQ_INT(an_counts_actor(c, A).windows, 2);
    T_EQ_INT(an_counts_actor(c, A).mentions, 2);
    T_EQ_INT(an_counts_actor(c, B).windows, 2);
    T_EQ_INT(an_counts_actor(c, C).windows, 1);
    T_EQ_INT(an_counts_pair_count(c), 2);
    an_pair_counts ab = pair_of(c, A, B), bc = pair_of(c, B, C), ac = pair_of(c, A, C);
    T_EQ_INT(ab.windows, 2);
    T_EQ_INT(ab.documents, 1);
    T_NEAR(ab.weighted, 2.0, 0);
    T_EQ_INT(bc.windows, 1);
    T_EQ_INT(ac.windows, 0);
    T_EQ_INT(an_counts_options(c).tokens, 3);
    an_counts_destroy(c);

    /* tokens:4 reaches (A5,C9) and (A5,B9) as well */
    an_count_options o4 = {.window = AN_WINDOW_TOKENS, .tokens = 4};
    c = new_counts(&o4);
    T_OK(an_counts_add(c, &d.m));
    T_EQ_INT(pair_of(c, A, C).windows, 1);
    T_EQ_INT(pair_of(c, A, B).windows, 3);
    an_counts_destroy(c);
}

static void test_token_distance_weighting(void) {
    an_count_options o = {.window = AN_WINDOW_TOKENS, .tokens = 3, .distance_weighting = 1};
    an_counts *c = new_counts(&o);
    doc d;
    make_token_doc(&d);
    T_OK(an_counts_add(c, &d.m));
    an_pair_counts ab = pair_of(c, A, B), bc = pair_of(c, B, C);
    T_EQ_INT(ab.windows, 2); /* counts stay integers */
    T_NEAR(ab.weighted, 1.0 / 3.0 + 1.0 / 4.0, 1e-9);
    T_NEAR(bc.weighted, 1.0, 0);

    /* merging keeps the fixed-point sums exact: add the document to two
     * halves and merge, compare with adding it twice */
    an_counts *x = new_counts(&o), *y = new_counts(&o);
    T_OK(an_counts_add(x, &d.m));
    T_OK(an_counts_add(y, &d.m));
    T_OK(an_counts_merge(x, y));
    T_OK(an_counts_add(c, &d.m));
    an_pair_counts p = pair_of(x, A, B), q = pair_of(c, A, B);
    T_ASSERT(memcmp(&p.weighted, &q.weighted, sizeof p.weighted) == 0);
    T_EQ_INT(p.windows, 4);
    /* options must agree to merge */
    an_count_options o2 = {.window = AN_WINDOW_TOKENS, .tokens = 3};
    an_counts *z = new_counts(&o2);
    T_EQ_INT(an_counts_merge(x, z), AN_EINVAL);

    /* the COUNT measure uses the weighted sum */
    an_gazetteer *gz = load_gaz(gaz_tsv, sizeof gaz_tsv - 1);
    an_network *net = build(c, gz, NULL);
    const an_graph_view *v = an_network_view(net);
    T_EQ_STR(v->window, "tokens:3");
    const an_edge *e = find_edge(v, A, B);
    T_ASSERT(e != NULL);
    if (e) T_NEAR(e->score, 2.0 * (1.0 / 3.0 + 1.0 / 4.0), 1e-9);
    an_network_destroy(net);
    an_gazetteer_destroy(gz);
    an_counts_destroy(x);
    an_counts_destroy(y);
    an_counts_destroy(z);
    an_counts_destroy(c);
}

/* One sentence naming A, A, B, B, C. Windows mode: every pair once.
 * Mention pairs: AB 2*2 = 4, AC 2, BC 2. Margins are windows either way. */
static void test_counting_modes(void) {
    doc d;
    doc_start(&d, 2, 20);
    doc_add(&d, A, 0, 0);
    doc_add(&d, A, 0, 1);
    doc_add(&d, B, 0, 2);
    doc_add(&d, B, 0, 3);
    doc_add(&d, C, 0, 4);
    an_count_options ow = {.window = AN_WINDOW_SENTENCE, .mode = AN_COUNT_WINDOWS};
    an_count_options op = {.window = AN_WINDOW_SENTENCE, .mode = AN_COUNT_MENTION_PAIRS};
    an_counts *cw = new_counts(&ow), *cp = new_counts(&op);
    T_OK(an_counts_add(cw, &d.m));
    T_OK(an_counts_add(cp, &d.m));
    T_EQ_INT(pair_of(cw, A, B).windows, 1);
    T_EQ_INT(pair_of(cw, A, C).windows, 1);
    T_EQ_INT(pair_of(cw, B, C).windows, 1);
    T_EQ_INT(pair_of(cp, A, B).windows, 4);
    T_EQ_INT(pair_of(cp, A, C).windows, 2);
    T_EQ_INT(pair_of(cp, B, C).windows, 2);
    T_EQ_INT(pair_of(cp, A, B).documents, 1);
    T_NEAR(pair_of(cp, A, B).weighted, 4.0, 0);
    T_EQ_INT(an_counts_actor(cp, A).windows, 1);
    T_EQ_INT(an_counts_actor(cp, A).mentions, 2);
    T_EQ_INT(an_counts_windows(cp), 2);
    T_EQ_INT(an_counts_merge(cw, cp), AN_EINVAL); /* different modes */
    an_counts_destroy(cw);
    an_counts_destroy(cp);
}

/* ---- filters -------------------------------------------------------------- */

/* A-B 5, A-C 3, B-C 3, C-D 1, D-E 2, and F alone. */
static const wedge small[] = {{A, B, 5}, {A, C, 3}, {B, C, 3}, {C, D, 1}, {D, E, 2}};
static const size_t small_alone[] = {F};

static void test_filter_min_count_min_weight(void) {
    an_gazetteer *gz = load_gaz(gaz_tsv, sizeof gaz_tsv - 1);
    an_counts *c = graph_counts(N_ACTORS, small, 5, small_alone, 1);
    an_network_options o;
    an_network_options_init(&o);
    o.min_count = 2; /* drops C-D: D keeps D-E, nobody is left isolated */
    o.min_weight = 3; /* then drops D-E: D and E left isolated */
    an_network *net = build(c, gz, &o);
    const an_graph_view *v = an_network_view(net);
    T_EQ_INT(v->edges_before_filters, 5);
    T_EQ_INT(v->n_filter_steps, 2);
    if (v->n_filter_steps == 2) {
        T_EQ_STR(v->filter_steps[0].name, "min_count");
        T_EQ_STR(v->filter_steps[0].detail, "min_count=2");
        T_EQ_INT(v->filter_steps[0].edges_removed, 1);
        T_EQ_INT(v->filter_steps[0].actors_removed, 0);
        T_EQ_STR(v->filter_steps[1].name, "min_weight");
        T_EQ_INT(v->filter_steps[1].edges_removed, 1);
        T_EQ_INT(v->filter_steps[1].actors_removed, 2);
    }
    T_EQ_INT(v->n_edges, 3);
    T_EQ_INT(v->n_nodes, 6); /* isolated actors stay */
    T_EQ_INT(find_node(v, D)->degree, 0);
    an_network_destroy(net);

    o.drop_isolated = 1;
    net = build(c, gz, &o);
    v = an_network_view(net);
    T_EQ_INT(v->n_nodes, 3); /* A, B, C; D, E and F (mentioned alone) dropped */
    const an_filter_step *s = find_step(v, "drop_isolated");
    T_ASSERT(s != NULL);
    if (s) T_EQ_INT(s->actors_removed, 3);
    T_ASSERT(find_node(v, F) == NULL);
    for (size_t i = 0; i < v->n_edges; i++) T_ASSERT(v->edges[i].target < v->n_nodes);
    an_network_destroy(net);
    an_counts_destroy(c);
    an_gazetteer_destroy(gz);
}

static void test_filter_top_n_top_k(void) {
    an_gazetteer *gz = load_gaz(gaz_tsv, sizeof gaz_tsv - 1);
    an_counts *c = graph_counts(N_ACTORS, small, 5, NULL, 0);
    an_network_options o;
    an_network_options_init(&o);
    /* top 2 by score: A-B 5, then A-C and B-C tie at 3: A-C has the lower
     * (source, target) */
    o.top_n = 2;
    an_network *net = build(c, gz, &o);
    const an_graph_view *v = an_network_view(net);
    T_EQ_INT(v->n_edges, 2);
    T_ASSERT(find_edge(v, A, B) && find_edge(v, A, C) && !find_edge(v, B, C));
    const an_filter_step *s = find_step(v, "top_n");
    T_ASSERT(s != NULL);
    if (s) {
        T_EQ_INT(s->edges_removed, 3);
        T_EQ_INT(s->actors_removed, 2); /* D, E */
    }
    an_network_destroy(net);

    /* top 1 per actor: A: A-B; B: A-B; C: A-C (tie with B-C, lower index);
     * D: D-E (2 > 1); E: D-E. Kept: A-B, A-C, D-E; removed B-C, C-D. */
    an_network_options_init(&o);
    o.top_k = 1;
    net = build(c, gz, &o);
    v = an_network_view(net);
    T_EQ_INT(v->n_edges, 3);
    T_ASSERT(find_edge(v, A, B) && find_edge(v, A, C) && find_edge(v, D, E));
    s = find_step(v, "top_k");
    T_ASSERT(s != NULL);
    if (s) {
        T_EQ_INT(s->edges_removed, 2);
        T_EQ_INT(s->actors_removed, 0);
    }
    an_network_destroy(net);
    an_counts_destroy(c);
    an_gazetteer_destroy(gz);
}

/* Square A-B 4, B-C 3, C-D 2, D-A 1 with the diagonal A-C 5. Maximum
 * spanning tree (Kruskal by hand): A-C 5, A-B 4, B-C 3 closes a cycle,
 * C-D 2, D-A 1 closes a cycle. Tree: A-B, A-C, C-D. */
static void test_filter_mst(void) {
    an_gazetteer *gz = load_gaz(gaz_tsv, sizeof gaz_tsv - 1);
    static const wedge sq[] = {{A, B, 4}, {B, C, 3}, {C, D, 2}, {A, D, 1}, {A, C, 5}};
    an_counts *c = graph_counts(N_ACTORS, sq, 5, NULL, 0);
    an_network *net = build(c, gz, NULL);
    const an_graph_view *v = an_network_view(net);
    T_EQ_INT(v->n_edges, 5);
    T_EQ_INT(v->n_filter_steps, 0);
    T_ASSERT(find_edge(v, A, B)->in_mst && find_edge(v, A, C)->in_mst &&
             find_edge(v, C, D)->in_mst);
    T_ASSERT(!find_edge(v, B, C)->in_mst && !find_edge(v, A, D)->in_mst);
    an_network_destroy(net);

    an_network_options o;
    an_network_options_init(&o);
    o.mst_only = 1;
    net = build(c, gz, &o);
    v = an_network_view(net);
    T_EQ_INT(v->n_edges, 3);
    const an_filter_step *s = find_step(v, "mst_only");
    T_ASSERT(s != NULL);
    if (s) {
        T_EQ_INT(s->edges_removed, 2);
        T_EQ_INT(s->actors_removed, 0);
    }
    an_network_destroy(net);
    an_counts_destroy(c);
    an_gazetteer_destroy(gz);
}

/* Star A-B 10, A-C 1, A-D 1, A-E 1, plus the ring B-C, C-D, D-E, E-B of
 * weight 1 so that no leaf has degree 1.
 * A: k 4, s 13. alpha(A-B) = (1 - 10/13)^3 = 0.0123 < 0.05: kept.
 *    alpha(A-C) = (12/13)^3 = 0.787; at C (k 3, s 3): (2/3)^2 = 0.444: dropped.
 * B: k 3, s 12: ring edges (11/12)^2 = 0.84; at C, D, E 0.444: dropped.
 * Left: A-B only; C, D, E left isolated (7 edges, 3 actors). */
static void test_filter_disparity(void) {
    an_gazetteer *gz = load_gaz(gaz_tsv, sizeof gaz_tsv - 1);
    static const wedge star[] = {{A, B, 10}, {A, C, 1}, {A, D, 1}, {A, E, 1},
                                 {B, C, 1},  {C, D, 1}, {D, E, 1}, {B, E, 1}};
    an_counts *c = graph_counts(N_ACTORS, star, 8, NULL, 0);
    an_network_options o;
    an_network_options_init(&o);
    o.disparity_alpha = 0.05;
    an_network *net = build(c, gz, &o);
    const an_graph_view *v = an_network_view(net);
    T_EQ_INT(v->n_edges, 1);
    T_ASSERT(find_edge(v, A, B) != NULL);
    const an_filter_step *s = find_step(v, "disparity");
    T_ASSERT(s != NULL);
    if (s) {
        T_EQ_STR(s->detail, "alpha=0.05");
        T_EQ_INT(s->edges_removed, 7);
        T_EQ_INT(s->actors_removed, 3);
    }
    an_network_destroy(net);
    an_counts_destroy(c);

    /* a pure star: every leaf has degree 1 and keeps its edge */
    c = graph_counts(N_ACTORS, star, 4, NULL, 0);
    net = build(c, gz, &o);
    v = an_network_view(net);
    T_EQ_INT(v->n_edges, 4);
    an_network_destroy(net);
    an_counts_destroy(c);
    an_gazetteer_destroy(gz);
}

/* ---- roll-up and selection ----------------------------------------------- */

static size_t *map_of(const an_gazetteer *gz, const an_rollup_options *o) {
    size_t *map = NULL;
    an_error err;
    an_error_clear(&err);
    if (an_actor_map_build(gz, o, &map, &err) != AN_OK) T_FAIL("map: %s", err.message);
    return map;
}

static void test_rollup_lavrov_russia(void) {
    an_gazetteer *gz = load_gaz(gaz_tsv, sizeof gaz_tsv - 1);
    an_rollup_options ro;
    memset(&ro, 0, sizeof ro);
    ro.level = 1;
    size_t *map = map_of(gz, &ro);
    if (!map) return;
    T_EQ_INT(map[LAV], RUS);
    T_EQ_INT(map[RUS], RUS);
    T_EQ_INT(map[SPOX], MFA); /* one step only */
    an_count_options o = {.window = AN_WINDOW_SENTENCE, .actor_map = map};
    an_counts *c = new_counts(&o);
    an_actor_map_free(map); /* copied by an_counts_create */
    doc d;
    doc_start(&d, 3, 30);
    doc_add(&d, LAV, 0, 0); /* "Lavrov ... Russia": one window, no self-edge */
    doc_add(&d, RUS, 0, 3);
    doc_add(&d, LAV, 1, 10); /* "Lavrov and Putin": Russia once */
    doc_add(&d, PUT, 1, 12);
    doc_add(&d, LAV, 2, 20); /* "Lavrov ... Syria": Russia-Syria */
    doc_add(&d, SYR, 2, 22);
    T_OK(an_counts_add(c, &d.m));
    T_EQ_INT(an_counts_actor(c, RUS).windows, 3);
    T_EQ_INT(an_counts_actor(c, RUS).mentions, 5);
    T_EQ_INT(an_counts_actor(c, LAV).mentions, 0);
    T_EQ_INT(an_counts_pair_count(c), 1);
    T_EQ_INT(pair_of(c, RUS, SYR).windows, 1);
    T_EQ_INT(an_counts_mentions(c), 6);

    an_network *net = build(c, gz, NULL);
    const an_graph_view *v = an_network_view(net);
    T_EQ_INT(v->n_nodes, 2);
    T_EQ_INT(v->n_edges, 1);
    an_network_destroy(net);
    an_counts_destroy(c);

    ro.level = -1;
    map = map_of(gz, &ro);
    if (map) T_EQ_INT(map[SPOX], RUS);
    an_actor_map_free(map);
    ro.level = 0;
    map = map_of(gz, &ro);
    if (map) T_EQ_INT(map[SPOX], SPOX);
    an_actor_map_free(map);
    an_gazetteer_destroy(gz);
}

static void test_rollup_types_and_merge(void) {
    an_gazetteer *gz = load_gaz(gaz_tsv, sizeof gaz_tsv - 1);
    static const char *const countries[] = {"country"};
    static const char *const persons[] = {"person"};
    static const char *const drop_rus[] = {"RUS"};
    static const char *const merge[] = {"PUT=LAV"};
    an_rollup_options ro;
    memset(&ro, 0, sizeof ro);

    /* keep countries, no roll-up: persons and the ministry are dropped */
    ro.keep_types = countries;
    ro.n_keep_types = 1;
    size_t *map = map_of(gz, &ro);
    if (map) {
        T_ASSERT(map[LAV] == AN_DROP && map[MFA] == AN_DROP);
        T_EQ_INT(map[RUS], RUS);
    }
    an_actor_map_free(map);
    /* with roll-up the type is the parent's: Lavrov counts as Russia */
    ro.level = 1;
    map = map_of(gz, &ro);
    if (map) T_EQ_INT(map[LAV], RUS);
    an_actor_map_free(map);

    memset(&ro, 0, sizeof ro);
    ro.drop_types = persons;
    ro.n_drop_types = 1;
    map = map_of(gz, &ro);
    if (map) {
        T_ASSERT(map[LAV] == AN_DROP && map[SPOX] == AN_DROP);
        T_EQ_INT(map[MFA], MFA);
    }
    an_actor_map_free(map);

    /* dropping an id drops what rolls up into it */
    memset(&ro, 0, sizeof ro);
    ro.level = 1;
    ro.drop_ids = drop_rus;
    ro.n_drop_ids = 1;
    map = map_of(gz, &ro);
    if (map) {
        T_ASSERT(map[RUS] == AN_DROP && map[LAV] == AN_DROP);
        T_EQ_INT(map[SPOX], MFA);
    }
    an_actor_map_free(map);

    memset(&ro, 0, sizeof ro);
    ro.merge = merge;
    ro.n_merge = 1;
    map = map_of(gz, &ro);
    if (map) {
        T_EQ_INT(map[PUT], LAV);
        T_EQ_INT(map[LAV], LAV);
    }
    an_actor_map_free(map);

    /* errors name the culprit and leave *map alone */
    static const char *const bad_merge[] = {"PUT=NOBODY"};
    static const char *const no_eq[] = {"PUT"};
    static const char *const cycle[] = {"A=B", "B=A"};
    static const char *const bad_type[] = {"planet"};
    an_error err;
    size_t *untouched = (size_t *)&err;
    map = untouched;
    memset(&ro, 0, sizeof ro);
    ro.merge = bad_merge;
    ro.n_merge = 1;
    T_EQ_INT(an_actor_map_build(gz, &ro, &map, &err), AN_ENOTFOUND);
    T_ASSERT(strstr(err.message, "NOBODY") != NULL);
    T_ASSERT(map == untouched);
    ro.merge = no_eq;
    T_EQ_INT(an_actor_map_build(gz, &ro, &map, &err), AN_EINVAL);
    ro.merge = cycle;
    ro.n_merge = 2;
    T_EQ_INT(an_actor_map_build(gz, &ro, &map, &err), AN_EINVAL);
    memset(&ro, 0, sizeof ro);
    ro.keep_types = bad_type;
    ro.n_keep_types = 1;
    T_EQ_INT(an_actor_map_build(gz, &ro, &map, &err), AN_ENOTFOUND);
    T_ASSERT(strstr(err.message, "planet") != NULL);
    T_ASSERT(map == untouched);

    /* a map entry out of range is refused */
    size_t bogus[N_ACTORS];
    for (size_t i = 0; i < N_ACTORS; i++) bogus[i] = i;
    bogus[3] = N_ACTORS;
    an_count_options o = {.window = AN_WINDOW_SENTENCE, .actor_map = bogus};
    an_counts *c = NULL;
    T_EQ_INT(an_counts_create(N_ACTORS, N_ACTORS, &o, &c), AN_EINVAL);
    an_gazetteer_destroy(gz);
}

/* ---- analytics ------------------------------------------------------------ */

/* Triangles A-B-C and D-E-F joined by the bridge C-D, G alone.
 * Coreness: every triangle node has 2 neighbours in the set -> 2; G 0.
 * Clustering: A, B, E, F 1; C: neighbours A, B, D with one link (A-B) among
 * 3 possible -> 1/3; D likewise; G 0. Components: {A..F}, {G}.
 * Betweenness of C (n = 7, norm (6*5)/2 = 15): exact: (A,D), (B,D), (A,E),
 * (A,F), (B,E), (B,F) all pass C -> 6/15. With cutoff 2 (unit weights) only
 * paths of length <= 2 count: (A,D), (B,D) -> 2/15. */
static const wedge bridge[] = {{A, B, 1}, {A, C, 1}, {B, C, 1}, {C, D, 1},
                               {D, E, 1}, {D, F, 1}, {E, F, 1}};
static const size_t bridge_alone[] = {G};

static void test_coreness_clustering_components(void) {
    an_gazetteer *gz = load_gaz(gaz_tsv, sizeof gaz_tsv - 1);
    an_counts *c = graph_counts(N_ACTORS, bridge, 7, bridge_alone, 1);
    an_network *net = build(c, gz, NULL);
    const an_graph_view *v = an_network_view(net);
    T_EQ_INT(v->n_nodes, 7);
    T_EQ_INT(v->n_components, 2);
    T_EQ_INT(v->path_sources, 7); /* small: exact */
    T_NEAR(v->path_cutoff, 0.0, 0);
    size_t who[] = {A, B, C, D, E, F};
    double cl[] = {1, 1, 1.0 / 3.0, 1.0 / 3.0, 1, 1};
    for (size_t i = 0; i < 6; i++) {
        const an_node *nd = find_node(v, who[i]);
        T_EQ_INT(nd->coreness, 2);
        T_NEAR(nd->clustering, cl[i], EPS);
        T_EQ_INT(nd->component, 0);
    }
    const an_node *g = find_node(v, G);
    T_EQ_INT(g->coreness, 0);
    T_NEAR(g->clustering, 0.0, 0);
    T_EQ_INT(g->component, 1);
    T_NEAR(find_node(v, C)->betweenness, 6.0 / 15.0, EPS);
    an_network_destroy(net);
    an_counts_destroy(c);
    an_gazetteer_destroy(gz);
}

static void test_path_cutoff(void) {
    an_gazetteer *gz = load_gaz(gaz_tsv, sizeof gaz_tsv - 1);
    an_counts *c = graph_counts(N_ACTORS, bridge, 7, bridge_alone, 1);
    an_network_options o;
    an_network_options_init(&o);
    o.betweenness_cutoff = 2.0;
    o.path_sources = 3; /* a cutoff implies every source */
    an_network *net = build(c, gz, &o);
    const an_graph_view *v = an_network_view(net);
    T_NEAR(v->path_cutoff, 2.0, 0);
    T_EQ_INT(v->path_sources, 7);
    T_NEAR(find_node(v, C)->betweenness, 2.0 / 15.0, EPS);
    /* harmonic closeness of A with cutoff 2: B, C at 1, D at 2 -> 2.5 / 6 */
    T_NEAR(find_node(v, A)->closeness, 2.5 / 6.0, EPS);
    an_network_destroy(net);

    o.betweenness_cutoff = 10.0; /* longer than any path: exact values */
    net = build(c, gz, &o);
    v = an_network_view(net);
    T_NEAR(v->path_cutoff, 10.0, 0);
    T_NEAR(find_node(v, C)->betweenness, 6.0 / 15.0, EPS);
    an_network_destroy(net);
    an_counts_destroy(c);
    an_gazetteer_destroy(gz);
}

static void test_empty_and_edgeless(void) {
    an_gazetteer *gz = load_gaz(gaz_tsv, sizeof gaz_tsv - 1);
    an_counts *c = graph_counts(N_ACTORS, NULL, 0, NULL, 0);
    an_network_options o;
    an_network_options_init(&o);
    o.top_n = 3;
    o.disparity_alpha = 0.5;
    o.mst_only = 1;
    o.drop_isolated = 1;
    an_network *net = build(c, gz, &o);
    const an_graph_view *v = an_network_view(net);
    T_EQ_INT(v->n_nodes, 0);
    T_EQ_INT(v->n_components, 0);
    an_network_destroy(net);
    an_counts_destroy(c);

    size_t alone[] = {A, B};
    c = graph_counts(N_ACTORS, NULL, 0, alone, 2);
    an_network_options_init(&o);
    o.measure = AN_MEASURE_NPMI;
    net = build(c, gz, &o);
    v = an_network_view(net);
    T_EQ_INT(v->n_nodes, 2);
    T_EQ_INT(v->n_components, 2);
    for (size_t i = 0; i < v->n_nodes; i++) {
        T_NEAR(v->nodes[i].clustering, 0, 0);
        T_EQ_INT(v->nodes[i].coreness, 0);
        T_EQ_INT(v->nodes[i].component, (int64_t)i);
        T_NEAR(v->nodes[i].pagerank, 0.5, EPS);
    }
    an_network_destroy(net);
    an_counts_destroy(c);

    /* invalid options */
    an_network_options_init(&o);
    o.measure = (an_measure)42;
    an_error err;
    T_EQ_INT(an_network_build(c = graph_counts(N_ACTORS, NULL, 0, NULL, 0), gz, &o, &net, &err),
             AN_EINVAL);
    o.measure = AN_MEASURE_COUNT;
    o.disparity_alpha = 2.0;
    T_EQ_INT(an_network_build(c, gz, &o, &net, &err), AN_EINVAL);
    an_counts_destroy(c);
    an_gazetteer_destroy(gz);
}

/* ---- periods -------------------------------------------------------------- */

static void test_period_keys(void) {
    static const struct {
        int32_t date;
        an_period p;
        const char *key;
    } cases[] = {
        {20160928, AN_PERIOD_DAY, "2016-09-28"},  {20160928, AN_PERIOD_WEEK, "2016-W39"},
        {20160928, AN_PERIOD_MONTH, "2016-09"},   {20160928, AN_PERIOD_QUARTER, "2016-Q3"},
        {20160928, AN_PERIOD_YEAR, "2016"},       {20210101, AN_PERIOD_WEEK, "2020-W53"},
        {20181231, AN_PERIOD_WEEK, "2019-W01"},   {20241230, AN_PERIOD_WEEK, "2025-W01"},
        {20200229, AN_PERIOD_WEEK, "2020-W09"},   {20161231, AN_PERIOD_QUARTER, "2016-Q4"},
        {0, AN_PERIOD_MONTH, "undated"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char key[16];
        T_OK(an_period_key(cases[i].date, cases[i].p, key));
        T_EQ_STR(key, cases[i].key);
    }
    char key[16] = "x";
    T_EQ_INT(an_period_key(20190229, AN_PERIOD_DAY, key), AN_EINVAL);
    T_EQ_STR(key, "");
    T_EQ_INT(an_period_key(20191301, AN_PERIOD_DAY, key), AN_EINVAL);
    T_EQ_INT(an_period_key(20190101, (an_period)9, key), AN_EINVAL);
    an_period p;
    T_OK(an_period_parse("quarter", &p));
    T_EQ_INT(p, AN_PERIOD_QUARTER);
    T_EQ_INT(an_period_parse("fortnight", &p), AN_EINVAL);
    T_EQ_STR(an_period_name(AN_PERIOD_WEEK), "week");
}

/* ---- Zachary's karate club against networkx ---------------------------- */

static const wedge karate[] = {
    {0, 1, 4},   {0, 2, 5},   {0, 3, 3},   {0, 4, 3},   {0, 5, 3},   {0, 6, 3},
    {0, 7, 2},   {0, 8, 2},   {0, 10, 2},  {0, 11, 3},  {0, 12, 1},  {0, 13, 3},
    {0, 17, 2},  {0, 19, 2},  {0, 21, 2},  {0, 31, 2},  {1, 2, 6},   {1, 3, 3},
    {1, 7, 4},   {1, 13, 5},  {1, 17, 1},  {1, 19, 2},  {1, 21, 2},  {1, 30, 2},
    {2, 3, 3},   {2, 7, 4},   {2, 8, 5},   {2, 9, 1},   {2, 13, 3},  {2, 27, 2},
    {2, 28, 2},  {2, 32, 2},  {3, 7, 3},   {3, 12, 3},  {3, 13, 3},  {4, 6, 2},
    {4, 10, 3},  {5, 6, 5},   {5, 10, 3},  {5, 16, 3},  {6, 16, 3},  {8, 30, 3},
    {8, 32, 3},  {8, 33, 4},  {9, 33, 2},  {13, 33, 3}, {14, 32, 3}, {14, 33, 2},
    {15, 32, 3}, {15, 33, 4}, {18, 32, 1}, {18, 33, 2}, {19, 33, 1}, {20, 32, 3},
    {20, 33, 1}, {22, 32, 2}, {22, 33, 3}, {23, 25, 5}, {23, 27, 4}, {23, 29, 3},
    {23, 32, 5}, {23, 33, 4}, {24, 25, 2}, {24, 27, 3}, {24, 31, 2}, {25, 31, 7},
    {26, 29, 4}, {26, 33, 2}, {27, 33, 4}, {28, 31, 2}, {28, 33, 2}, {29, 32, 4},
    {29, 33, 2}, {30, 32, 3}, {30, 33, 3}, {31, 32, 4}, {31, 33, 4}, {32, 33, 5},
};
#define KARATE_N 34

static an_gazetteer *karate_gaz(void) {
    char buf[4096];
    size_t len = 0;
    for (int i = 0; i < KARATE_N; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "K%d\tMember %d\tperson\t\tmember%d\n",
                                i, i, i);
    return load_gaz(buf, len);
}

static an_network *karate_network(const an_gazetteer *gz, an_community_algo algo) {
    an_counts *c = graph_counts(KARATE_N, karate, sizeof karate / sizeof karate[0], NULL, 0);
    an_network_options o;
    an_network_options_init(&o);
    if (algo == AN_COMMUNITY_LEIDEN) {
        /* the second run also exercises a measure, filters and sampled sources */
        o.measure = AN_MEASURE_DICE;
        o.disparity_alpha = 0.5;
        o.top_k = 4;
        o.path_sources = 10;
    }
    o.community = algo;
    o.seed = 7;
    an_network *net = build(c, gz, &o);
    an_counts_destroy(c);
    return net;
}

static void test_karate_vs_networkx(void) {
    const char *root = getenv("AN_SOURCE_ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/graph/golden/reference.txt", root ? root : ".");
    FILE *f = fopen(path, "r");
    if (!f) {
        T_FAIL("cannot open %s (AN_SOURCE_ROOT)", path);
        return;
    }
    an_gazetteer *gz = karate_gaz();
    an_network *net = karate_network(gz, AN_COMMUNITY_LOUVAIN);
    const an_graph_view *v = an_network_view(net);
    T_EQ_INT(v->n_nodes, KARATE_N);
    T_EQ_INT(v->n_edges, 78);
    char line[256];
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        int i;
        double pr, bt, ev;
        if (line[0] == '#') continue;
        if (sscanf(line, "%d %lf %lf %lf", &i, &pr, &bt, &ev) != 4 || i < 0 || i >= KARATE_N) {
            T_FAIL("bad reference line: %s", line);
            continue;
        }
        rows++;
        /* networkx solved to 1e-13; PRPACK and ARPACK are direct/converged */
        T_NEAR(v->nodes[i].pagerank, pr, 1e-9);
        T_NEAR(v->nodes[i].betweenness, bt, 1e-9);
        T_NEAR(v->nodes[i].eigenvector, ev, 1e-6);
    }
    fclose(f);
    T_EQ_INT(rows, KARATE_N);
    T_EQ_INT(v->n_components, 1);
    T_ASSERT(v->n_communities >= 2 && v->modularity > 0.3);
    an_network_destroy(net);
    an_gazetteer_destroy(gz);
}

/* ---- sampled sources for betweenness and closeness ---- */

static void top_nodes_by_betweenness(const an_graph_view *v, size_t *top, size_t k) {
    for (size_t t = 0; t < k; t++) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < v->n_nodes; i++) {
            int taken = 0;
            for (size_t u = 0; u < t; u++) taken |= top[u] == i;
            if (!taken && (best == SIZE_MAX || v->nodes[i].betweenness > v->nodes[best].betweenness))
                best = i;
        }
        top[t] = best;
    }
}

/* The source-sampling estimates are unbiased: averaged over many seeds they
 * approach the exact values (every source), node by node. A wrong scale
 * (n/k, the stratification of hubs and others, the closeness population)
 * moves the mean by far more than the tolerance. */
static void test_path_sampling_unbiased(void) {
    an_gazetteer *gz = karate_gaz();
    an_counts *c = graph_counts(KARATE_N, karate, sizeof karate / sizeof karate[0], NULL, 0);
    an_network_options o;
    an_network_options_init(&o);
    an_network *exact = build(c, gz, &o);
    const an_graph_view *ve = an_network_view(exact);
    T_EQ_INT(ve->path_sources, KARATE_N);
    double mean_b[KARATE_N] = {0}, mean_c[KARATE_N] = {0}, max_b = 0.0;
    const int runs = 2000;
    o.path_sources = 8; /* 4 hubs + 4 drawn of 30 */
    for (int r = 0; r < runs; r++) {
        o.seed = (uint64_t)r + 1;
        an_network *net = build(c, gz, &o);
        const an_graph_view *v = an_network_view(net);
        T_EQ_INT(v->path_sources, 8);
        for (size_t i = 0; i < KARATE_N; i++) {
            mean_b[i] += v->nodes[i].betweenness / runs;
            mean_c[i] += v->nodes[i].closeness / runs;
        }
        an_network_destroy(net);
    }
    for (size_t i = 0; i < KARATE_N; i++)
        if (ve->nodes[i].betweenness > max_b) max_b = ve->nodes[i].betweenness;
    for (size_t i = 0; i < KARATE_N; i++) {
        T_NEAR(mean_b[i], ve->nodes[i].betweenness, 0.03 * max_b);
        T_NEAR(mean_c[i], ve->nodes[i].closeness, 0.02 * ve->nodes[i].closeness);
    }
    /* one sample of 16: the five strongest brokers are (nearly) the exact five */
    o.seed = 1;
    o.path_sources = 16;
    an_network *one = build(c, gz, &o);
    const an_graph_view *v1 = an_network_view(one);
    size_t top_e[5], top_s[5];
    top_nodes_by_betweenness(ve, top_e, 5);
    top_nodes_by_betweenness(v1, top_s, 5);
    int common = 0;
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++) common += top_e[i] == top_s[j];
    T_ASSERT(common >= 4);
    an_network_destroy(one);
    /* as many sources as nodes is the exact computation */
    o.path_sources = KARATE_N;
    an_network *all = build(c, gz, &o);
    const an_graph_view *va = an_network_view(all);
    for (size_t i = 0; i < KARATE_N; i++) {
        T_NEAR(va->nodes[i].betweenness, ve->nodes[i].betweenness, 0);
        T_NEAR(va->nodes[i].closeness, ve->nodes[i].closeness, 0);
    }
    an_network_destroy(all);
    an_network_destroy(exact);
    an_counts_destroy(c);
    an_gazetteer_destroy(gz);
}

enum { NBIG = 1600 };

/* NBIG actors N0.. and a ring plus chords over them: 2 * NBIG edges, the
 * ring's first (2 * k) edges being its first k nodes' ring and chord.
 * *buf and *e are for the caller to free; 0 when out of memory. */
static int ring_fixture(char **buf, wedge **e, an_gazetteer **gz) {
    size_t len = 0, cap = (size_t)NBIG * 48;
    *buf = malloc(cap);
    *e = malloc(sizeof **e * NBIG * 2);
    T_ASSERT(*buf && *e);
    if (!*buf || !*e) {
        free(*buf);
        free(*e);
        return 0;
    }
    for (int i = 0; i < NBIG; i++)
        len += (size_t)snprintf(*buf + len, cap - len, "N%d\tNode %d\tperson\t\tnode%d\n", i, i, i);
    *gz = load_gaz(*buf, len);
    for (size_t i = 0; i < NBIG; i++) {
        (*e)[2 * i] = (wedge){i, (i + 1) % NBIG, 1 + (unsigned)(i % 3)};
        (*e)[2 * i + 1] = (wedge){i, (i + 37) % NBIG, 1};
    }
    return 1;
}

/* The automatic rule: exact while n (n + m) <= AN_PATH_EXACT_WORK, else
 * AN_PATH_EXACT_WORK / (n + m) sources, at least AN_PATH_MIN_SOURCES. */
static void test_path_sources_automatic(void) {
    char *buf;
    wedge *e;
    an_gazetteer *gz;
    if (!ring_fixture(&buf, &e, &gz)) return;
    /* a ring plus chords: n = 1600, m = 3200, n (n + m) = 7.68e6 */
    an_counts *c = graph_counts(NBIG, e, 2 * NBIG, NULL, 0);
    an_network *net = build(c, gz, NULL);
    const an_graph_view *v = an_network_view(net);
    T_EQ_INT(v->n_nodes, NBIG);
    T_EQ_INT(v->n_edges, 2 * NBIG);
    T_EQ_INT(v->path_sources, (size_t)(AN_PATH_EXACT_WORK / (NBIG + 2 * NBIG)));
    an_network_destroy(net);
    /* the smallest half of it: 800 nodes, 800 edges -> 1.28e6, exact */
    an_counts_destroy(c);
    c = graph_counts(NBIG, e, NBIG / 2 * 2, NULL, 0);
    net = build(c, gz, NULL);
    v = an_network_view(net);
    T_ASSERT(v->n_nodes * (v->n_nodes + v->n_edges) <= (size_t)AN_PATH_EXACT_WORK);
    T_EQ_INT(v->path_sources, v->n_nodes);
    an_network_destroy(net);
    an_counts_destroy(c);
    an_gazetteer_destroy(gz);
    free(buf);
    free(e);
}

/* ---- reproducibility: same input, options and seed -> identical view ---- */

static int same_view(const an_graph_view *x, const an_graph_view *y) {
    int ok = x->n_nodes == y->n_nodes && x->n_edges == y->n_edges &&
             x->n_communities == y->n_communities && x->n_components == y->n_components &&
             memcmp(&x->modularity, &y->modularity, sizeof x->modularity) == 0 &&
             x->n_filter_steps == y->n_filter_steps &&
             x->path_sources == y->path_sources &&
             strcmp(x->window, y->window) == 0 && strcmp(x->measure, y->measure) == 0;
    if (!ok) return 0;
    for (size_t i = 0; i < x->n_nodes; i++) {
        const an_node *a = &x->nodes[i], *b = &y->nodes[i];
        double da[] = {a->strength, a->betweenness, a->closeness, a->pagerank, a->eigenvector,
                       a->clustering};
        double db[] = {b->strength, b->betweenness, b->closeness, b->pagerank, b->eigenvector,
                       b->clustering};
        if (a->actor != b->actor || a->degree != b->degree || a->community != b->community ||
            a->coreness != b->coreness || a->component != b->component ||
            a->mentions != b->mentions || a->windows != b->windows ||
            strcmp(a->id, b->id) != 0 || memcmp(da, db, sizeof da) != 0)
            return 0;
    }
    for (size_t i = 0; i < x->n_edges; i++) {
        const an_edge *a = &x->edges[i], *b = &y->edges[i];
        if (a->source != b->source || a->target != b->target || a->windows != b->windows ||
            a->in_mst != b->in_mst || memcmp(&a->score, &b->score, sizeof a->score) != 0 ||
            memcmp(&a->weight, &b->weight, sizeof a->weight) != 0)
            return 0;
    }
    for (size_t i = 0; i < x->n_filter_steps; i++)
        if (strcmp(x->filter_steps[i].name, y->filter_steps[i].name) != 0 ||
            x->filter_steps[i].edges_removed != y->filter_steps[i].edges_removed)
            return 0;
    return 1;
}

static void test_reproducible(void) {
    an_gazetteer *gz = karate_gaz();
    an_community_algo algos[] = {AN_COMMUNITY_LOUVAIN, AN_COMMUNITY_LEIDEN};
    for (int k = 0; k < 2; k++) {
        an_network *x = karate_network(gz, algos[k]);
        an_network *y = karate_network(gz, algos[k]);
        if (algos[k] == AN_COMMUNITY_LEIDEN) {
            const an_graph_view *v = an_network_view(x);
            T_EQ_INT(v->n_filter_steps, 2);
            T_EQ_INT(v->path_sources, 10);
            T_ASSERT(v->n_edges < 78 && v->n_edges > 0);
        }
        T_ASSERT(same_view(an_network_view(x), an_network_view(y)));
        an_network_destroy(x);
        an_network_destroy(y);
    }
    an_gazetteer_destroy(gz);
}

/* graph/network.c (tests only): 1 = only the child process may compute the
 * communities, 2 = only the parent, 0 = whichever is done first. */
extern int an_i_partition_claim_test;
/* 1 = the child process fails after its share, without sending it */
extern int an_i_analysis_child_fail_test;

/* processes = 2 computes closeness in a child process, and the communities
 * in the child or the parent: the view is the same to the bit whichever
 * computes them, sampled (ring with chords, 1,600 nodes; Louvain and
 * Leiden) and exact (karate with a cutoff), and a child was started and
 * reaped. So it is when the child fails and the parent, which has dropped
 * its graph for the eigenvector meanwhile, computes the child's share. */
static void test_path_processes(void) {
    struct rusage ru;
    T_ASSERT(getrusage(RUSAGE_CHILDREN, &ru) == 0 && ru.ru_maxrss == 0);
    char *buf;
    wedge *e;
    an_gazetteer *gz;
    if (!ring_fixture(&buf, &e, &gz)) return;
    an_counts *c = graph_counts(NBIG, e, 2 * NBIG, NULL, 0);
    for (int mode = 0; mode <= 5; mode++) {
        /* the three claims, each with a child that succeeds and one that fails */
        int claim = mode % 3;
        an_i_partition_claim_test = claim;
        an_i_analysis_child_fail_test = mode >= 3;
        an_network_options o;
        an_network_options_init(&o);
        an_network *one = build(c, gz, &o);
        o.processes = 2;
        an_network *two = build(c, gz, &o);
        T_ASSERT(an_network_view(one)->path_sources < NBIG);
        T_ASSERT(an_network_view(one)->n_communities > 1);
        T_ASSERT(same_view(an_network_view(one), an_network_view(two)));
        T_ASSERT(getrusage(RUSAGE_CHILDREN, &ru) == 0 && ru.ru_maxrss > 0);
        an_network_destroy(one);
        an_network_destroy(two);
        an_network_options_init(&o);
        o.community = AN_COMMUNITY_LEIDEN;
        one = build(c, gz, &o);
        o.processes = 2;
        two = build(c, gz, &o);
        T_ASSERT(an_network_view(one)->n_communities > 1);
        T_ASSERT(same_view(an_network_view(one), an_network_view(two)));
        an_network_destroy(one);
        an_network_destroy(two);
    }
    an_i_analysis_child_fail_test = 0;
    an_counts_destroy(c);
    an_gazetteer_destroy(gz);
    free(buf);
    free(e);

    gz = karate_gaz();
    c = graph_counts(KARATE_N, karate, sizeof karate / sizeof karate[0], NULL, 0);
    for (int claim = 0; claim <= 2; claim++) {
        an_i_partition_claim_test = claim;
        an_network_options o;
        an_network_options_init(&o);
        o.betweenness_cutoff = 2.0;
        an_network *one = build(c, gz, &o);
        o.processes = 2;
        an_network *two = build(c, gz, &o);
        T_EQ_INT(an_network_view(two)->path_sources, KARATE_N);
        T_ASSERT(same_view(an_network_view(one), an_network_view(two)));
        an_network_destroy(one);
        an_network_destroy(two);
    }
    an_i_partition_claim_test = 0;
    an_counts_destroy(c);
    an_gazetteer_destroy(gz);
}

static const struct {
    const char *name;
    void (*fn)(void);
} cases[] = {
    {"measure_worked_example", test_measure_worked_example},
    {"measure_edge_cases", test_measure_edge_cases},
    {"measure_network", test_measure_network},
    {"window_spec", test_window_spec},
    {"token_windows", test_token_windows},
    {"token_distance_weighting", test_token_distance_weighting},
    {"counting_modes", test_counting_modes},
    {"filter_min_count_min_weight", test_filter_min_count_min_weight},
    {"filter_top_n_top_k", test_filter_top_n_top_k},
    {"filter_mst", test_filter_mst},
    {"filter_disparity", test_filter_disparity},
    {"rollup_lavrov_russia", test_rollup_lavrov_russia},
    {"rollup_types_and_merge", test_rollup_types_and_merge},
    {"coreness_clustering_components", test_coreness_clustering_components},
    {"path_cutoff", test_path_cutoff},
    {"path_sampling_unbiased", test_path_sampling_unbiased},
    {"path_sources_automatic", test_path_sources_automatic},
    {"path_processes", test_path_processes},
    {"empty_and_edgeless", test_empty_and_edgeless},
    {"period_keys", test_period_keys},
    {"karate_vs_networkx", test_karate_vs_networkx},
    {"reproducible", test_reproducible},
};

/* No argument: every case; else the cases named (meson runs one per test). */
int main(int argc, char **argv) {
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int run = argc < 2;
        for (int k = 1; k < argc; k++) run |= strcmp(argv[k], cases[i].name) == 0;
        if (run) cases[i].fn();
    }
    for (int k = 1; k < argc; k++) {
        int known = 0;
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
            known |= strcmp(argv[k], cases[i].name) == 0;
        if (!known) T_FAIL("unknown case %s", argv[k]);
    }
    T_DONE();
}
