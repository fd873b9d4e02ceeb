/* actornet — the HTML report: one self-contained file (map, tables, evidence).
 *
 * Safety model: everything from the data (labels, ids, document ids, evidence
 * text) is either HTML-escaped into the static tables or embedded as JSON in
 * a <script type="application/json"> block with < > & escaped as \u003c ...,
 * so no data can close the block or open a tag. The script builds the panel
 * with textContent only. The map comes from Graphviz, which escapes labels,
 * but it is still filtered here (svg_clean): no <script>, <foreignObject>,
 * <iframe>, <style>, comments, processing instructions, on* attributes, or
 * href values other than '#...'. A Content-Security-Policy meta tag forbids
 * every fetch (default-src 'none'), so the page cannot load anything.
 *
 * Graphviz writes <title>n3</title> into each node group and
 * <title>n0&#45;&#45;n3</title> into each edge group (render.c names nodes by
 * their index in the view); the script maps those back to the data.
 *
 * Deterministic: no dates, no random ids; every list in a fixed order.
 */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actornet/render.h"
#include "core/internal.h"
#include "graph/render_internal.h"

static const char html_css[] =
    "*{box-sizing:border-box}"
    "body{margin:0;font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,"
    "sans-serif;color:#222;background:#fafafa}"
    "header{padding:12px 20px;background:#fff;border-bottom:1px solid #ddd}"
    "h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:18px 0 8px}"
    ".summary{color:#555;margin:0}"
    "#layout{display:flex;gap:16px;padding:12px 20px;align-items:flex-start}"
    "#mapbox{flex:1 1 auto;min-width:0;background:#fff;border:1px solid #ddd;overflow:auto;"
    "max-height:80vh}"
    "#mapbox svg{display:block;max-width:100%;height:auto}"
    "#mapbox g.node,#mapbox g.edge{cursor:pointer}"
    "#mapbox g.sel polygon,#mapbox g.sel ellipse,#mapbox g.sel path{stroke:#d00;"
    "stroke-width:3}"
    "#mapbox path.hit{stroke:transparent;stroke-width:12;fill:none}"
    "#panel{flex:0 0 380px;background:#fff;border:1px solid #ddd;padding:10px 14px;"
    "position:sticky;top:10px;max-height:90vh;overflow:auto}"
    "#panel h2{margin-top:0}"
    ".ev{border-top:1px solid #eee;padding:8px 0}"
    ".ev .src{color:#777;font-size:12px}"
    "mark.a{background:#ffe08a}mark.b{background:#a8e6ff}"
    "section.tables{padding:0 20px 20px}"
    "table{border-collapse:collapse;background:#fff;margin-bottom:12px;font-size:13px}"
    "th,td{border:1px solid #ddd;padding:3px 7px;text-align:left}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "th{background:#f0f0f0;cursor:pointer;user-select:none;position:sticky;top:0}"
    "th.asc::after{content:' \\25B2'}th.desc::after{content:' \\25BC'}"
    "tbody tr{cursor:pointer}tbody tr:hover{background:#f5f9ff}tr.sel{background:#ffeeb0}"
    ".scroll{max-height:60vh;overflow:auto;display:inline-block;max-width:100%}"
    "@media (max-width:900px){#layout{flex-direction:column}#panel{position:static;"
    "flex-basis:auto;width:100%}}";

/* Everything the page does. Plain ES2015, no libraries, no network. */
static const char html_js[] =
    "(function(){'use strict';\n"
    "var D=JSON.parse(document.getElementById('an-data').textContent);\n"
    "var edgeOf={};D.edges.forEach(function(e,i){edgeOf[e[0]+'-'+e[1]]=i;});\n"
    "var panelT=document.getElementById('panel-title'),panelB=document.getElementById"
    "('panel-body');\n"
    "function clear(el){while(el.firstChild)el.removeChild(el.firstChild);}\n"
    "function txt(tag,cls,s){var e=document.createElement(tag);if(cls)e.className=cls;"
    "e.textContent=s;return e;}\n"
    "function label(i){var n=D.nodes[i];return n.label||n.id;}\n"
    "function showEv(list,empty){\n"
    " if(!list||!list.length){panelB.appendChild(txt('p','',empty));return;}\n"
    " list.forEach(function(ev){var d=document.createElement('div');d.className='ev';\n"
    "  var p=document.createElement('p');\n"
    "  ev.t.forEach(function(seg){if(seg[1]===1)p.appendChild(txt('mark','a',seg[0]));"
    "else if(seg[1]===2)p.appendChild(txt('mark','b',seg[0]));"
    "else p.appendChild(document.createTextNode(seg[0]));});\n"
    "  d.appendChild(p);d.appendChild(txt('div','src',ev.doc+' \\u00b7 bytes '+ev.s+'\\u2013'"
    "+ev.e));panelB.appendChild(d);});}\n"
    "var selected=[];\n"
    "function select(els){selected.forEach(function(e){e.classList.remove('sel');});"
    "selected=els.filter(function(e){return e;});"
    "selected.forEach(function(e){e.classList.add('sel');});}\n"
    "var svgNode={},svgEdge={};\n"
    "Array.prototype.forEach.call(document.querySelectorAll('#mapbox g.node'),function(g){\n"
    " var t=g.querySelector('title');if(!t)return;var m=/^n(\\d+)$/.exec(t.textContent.trim());"
    "if(!m)return;var i=+m[1];svgNode[i]=g;g.setAttribute('data-node',i);\n"
    " g.addEventListener('click',function(ev){ev.preventDefault();showNode(i);});});\n"
    "Array.prototype.forEach.call(document.querySelectorAll('#mapbox g.edge'),function(g){\n"
    " var t=g.querySelector('title');if(!t)return;"
    "var m=/^n(\\d+)--n(\\d+)$/.exec(t.textContent.trim());if(!m)return;\n"
    " var a=+m[1],b=+m[2],k=edgeOf[Math.min(a,b)+'-'+Math.max(a,b)];if(k===undefined)return;"
    "svgEdge[k]=g;g.setAttribute('data-edge',k);\n"
    " var p=g.querySelector('path');if(p){var h=p.cloneNode(false);h.setAttribute('class',"
    "'hit');h.removeAttribute('id');p.parentNode.insertBefore(h,p);}\n"
    " g.addEventListener('click',function(ev){ev.preventDefault();showEdge(k);});});\n"
    "function row(table,i){return document.querySelector('#'+table+' tr[data-i=\"'+i+'\"]');}\n"
    "function showNode(i){var n=D.nodes[i];clear(panelB);panelT.textContent=label(i);\n"
    " panelB.appendChild(txt('p','src',n.id+' \\u00b7 '+n.type+' \\u00b7 '+n.mentions+"
    "' mentions'));\n"
    " showEv(D.ev_nodes[i],'No evidence was kept for this actor.');"
    "select([svgNode[i],row('actors',i)]);}\n"
    "function showEdge(k){var e=D.edges[k];clear(panelB);"
    "panelT.textContent=label(e[0])+' \\u2014 '+label(e[1]);\n"
    " panelB.appendChild(txt('p','src',e[2]+' co-mention windows in '+e[3]+' documents'));\n"
    " showEv(D.ev_edges[k],'No evidence was kept for this edge.');"
    "select([svgEdge[k],row('edges',k)]);}\n"
    "document.querySelectorAll('#actors tbody tr').forEach(function(tr){tr.addEventListener("
    "'click',function(){showNode(+tr.getAttribute('data-i'));});});\n"
    "document.querySelectorAll('#edges tbody tr').forEach(function(tr){tr.addEventListener("
    "'click',function(){showEdge(+tr.getAttribute('data-i'));});});\n"
    "document.querySelectorAll('table.sortable').forEach(function(tb){\n"
    " var ths=tb.querySelectorAll('th');ths.forEach(function(th,c){th.addEventListener("
    "'click',function(){\n"
    "  var asc=!th.classList.contains('asc');ths.forEach(function(h){h.classList.remove"
    "('asc','desc');});\n"
    "  th.classList.add(asc?'asc':'desc');var body=tb.tBodies[0];"
    "var rows=Array.prototype.slice.call(body.rows);\n"
    "  rows.sort(function(r1,r2){var x=r1.cells[c],y=r2.cells[c];"
    "var vx=x.getAttribute('data-v'),vy=y.getAttribute('data-v');var d;\n"
    "   if(vx!==null&&vy!==null){d=parseFloat(vx)-parseFloat(vy);if(isNaN(d))"
    "d=(isNaN(parseFloat(vx))?1:0)-(isNaN(parseFloat(vy))?1:0);}\n"
    "   else d=x.textContent<y.textContent?-1:x.textContent>y.textContent?1:0;\n"
    "   if(!asc)d=-d;return d||(+r1.getAttribute('data-i'))-(+r2.getAttribute('data-i'));});\n"
    "  rows.forEach(function(r){body.appendChild(r);});});});});\n"
    "document.documentElement.setAttribute('data-ready','1');\n"
    "})();\n";

/* --- HTML text ------------------------------------------------------------------------ */

static void h_text(an_i_sbuf *b, const char *s) {
    if (!s) return;
    size_t n = strlen(s), pos = 0, cl;
    while (pos < n) {
        uint32_t cp = an_i_utf8_next_n(s, n, &pos, &cl);
        switch (cp) {
        case '&': an_i_sbuf_puts(b, "&amp;"); continue;
        case '<': an_i_sbuf_puts(b, "&lt;"); continue;
        case '>': an_i_sbuf_puts(b, "&gt;"); continue;
        case '"': an_i_sbuf_puts(b, "&quot;"); continue;
        case '\'': an_i_sbuf_puts(b, "&#39;"); continue;
        case '\n': case '\r': case '\t': an_i_sbuf_putc(b, ' '); continue;
        default: break;
        }
        if (an_i_is_dropped_char(cp)) continue;
        if (cp == 0xFFFD && cl == 1)
            an_i_sbuf_puts(b, "\xEF\xBF\xBD");
        else
            an_i_sbuf_putn(b, s + pos - cl, cl);
    }
}

static void put_fixed(an_i_sbuf *b, double x, int decimals) {
    char num[64];
    an_i_fmt_fixed(num, sizeof num, x, decimals, "n/a");
    an_i_sbuf_puts(b, num);
}

/* A numeric cell: data-v for sorting (NaN sorts last), the shown text. */
static void td_num(an_i_sbuf *b, double x, int decimals) {
    an_i_sbuf_puts(b, "<td class=\"n\" data-v=\"");
    if (isfinite(x))
        an_i_json_num(b, x);
    else
        an_i_sbuf_puts(b, "NaN");
    an_i_sbuf_puts(b, "\">");
    put_fixed(b, x, decimals);
    an_i_sbuf_puts(b, "</td>");
}

static void td_int(an_i_sbuf *b, int64_t x) {
    an_i_sbuf_printf(b, "<td class=\"n\" data-v=\"%" PRId64 "\">%" PRId64 "</td>", x, x);
}

static void td_text(an_i_sbuf *b, const char *s) {
    an_i_sbuf_puts(b, "<td>");
    h_text(b, s);
    an_i_sbuf_puts(b, "</td>");
}

static const char *label_of(const an_node *n) {
    return n->label && n->label[0] ? n->label : (n->id ? n->id : "");
}

/* --- SVG filter ------------------------------------------------------------------------ */

static int ci_prefix(const char *s, size_t n, const char *p) {
    size_t k = strlen(p);
    if (n < k) return 0;
    for (size_t i = 0; i < k; i++)
        if (tolower((unsigned char)s[i]) != p[i]) return 0;
    return 1;
}

static int ci_eq(const char *s, size_t n, const char *p) { return n == strlen(p) && ci_prefix(s, n, p); }

static const char *find_str(const char *s, const char *end, const char *needle) {
    size_t k = strlen(needle);
    for (const char *p = s; p + k <= end; p++)
        if (ci_prefix(p, k, needle)) return p;
    return NULL;
}

/* Elements dropped with everything inside them. */
static int dropped_element(const char *name, size_t n) {
    static const char *const bad[] = {"script", "foreignobject", "iframe", "object",
                                      "embed",  "style",         "handler", "listener"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (ci_eq(name, n, bad[i])) return 1;
    return 0;
}

/* Copies one start tag, keeping only harmless attributes. p points after '<'. */
static const char *copy_tag(an_i_sbuf *b, const char *p, const char *end) {
    const char *name = p;
    while (p < end && !isspace((unsigned char)*p) && *p != '>' && *p != '/') p++;
    an_i_sbuf_putc(b, '<');
    an_i_sbuf_putn(b, name, (size_t)(p - name));
    for (;;) {
        while (p < end && isspace((unsigned char)*p)) p++;
        if (p >= end) break;
        if (*p == '>') {
            an_i_sbuf_putc(b, '>');
            return p + 1;
        }
        if (*p == '/') {
            an_i_sbuf_putc(b, '/');
            p++;
            continue;
        }
        const char *an = p;
        while (p < end && !isspace((unsigned char)*p) && *p != '=' && *p != '>' && *p != '/') p++;
        size_t anl = (size_t)(p - an);
        if (anl == 0) {
            p++;
            continue;
        }
        const char *val = NULL;
        size_t vl = 0;
        char q = 0;
        while (p < end && isspace((unsigned char)*p)) p++;
        if (p < end && *p == '=') {
            p++;
            while (p < end && isspace((unsigned char)*p)) p++;
            if (p < end && (*p == '"' || *p == '\'')) {
                q = *p++;
                val = p;
                while (p < end && *p != q) p++;
                vl = (size_t)(p - val);
                if (p < end) p++;
            } else {
                val = p;
                while (p < end && !isspace((unsigned char)*p) && *p != '>') p++;
                vl = (size_t)(p - val);
            }
        }
        /* on*: event handlers. href: only fragment links survive. */
        const char *local = memchr(an, ':', anl);
        size_t ll = local ? anl - (size_t)(local + 1 - an) : anl;
        const char *lname = local ? local + 1 : an;
        if (ci_prefix(an, anl, "on")) continue;
        if (ci_eq(lname, ll, "href") && !(val && vl > 0 && val[0] == '#')) continue;
        if (memchr(an, '<', anl) || (val && memchr(val, '<', vl))) continue;
        an_i_sbuf_putc(b, ' ');
        an_i_sbuf_putn(b, an, anl);
        if (val) {
            an_i_sbuf_puts(b, "=\"");
            for (size_t i = 0; i < vl; i++) {
                if (val[i] == '"')
                    an_i_sbuf_puts(b, "&quot;");
                else
                    an_i_sbuf_putc(b, val[i]);
            }
            an_i_sbuf_putc(b, '"');
        }
    }
    an_i_sbuf_putc(b, '>');
    return end;
}

static void svg_clean(an_i_sbuf *b, const char *svg, size_t len) {
    const char *end = svg + len;
    const char *p = find_str(svg, end, "<svg");
    if (!p) return;
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt) {
            an_i_sbuf_putn(b, p, (size_t)(end - p));
            break;
        }
        an_i_sbuf_putn(b, p, (size_t)(lt - p));
        const char *q = lt + 1;
        if (q < end && (*q == '!' || *q == '?')) {
            /* comments, doctypes, CDATA, processing instructions: dropped */
            const char *close;
            if (end - q >= 3 && q[1] == '-' && q[2] == '-') {
                close = find_str(q + 3, end, "-->");
                if (!close) break;
                p = close + 3;
            } else if (end - q >= 8 && memcmp(q, "![CDATA[", 8) == 0) {
                close = find_str(q + 8, end, "]]>");
                if (!close) break;
                p = close + 3;
            } else {
                close = memchr(q, '>', (size_t)(end - q));
                if (!close) break;
                p = close + 1;
            }
            continue;
        }
        if (q < end && *q == '/') {
            const char *gt = memchr(q, '>', (size_t)(end - q));
            if (!gt) break;
            const char *cn = q + 1;
            size_t cnl = 0;
            while (cn + cnl < gt && !isspace((unsigned char)cn[cnl])) cnl++;
            if (!dropped_element(cn, cnl)) an_i_sbuf_putn(b, lt, (size_t)(gt + 1 - lt));
            p = gt + 1;
            continue;
        }
        const char *nm = q;
        while (q < end && !isspace((unsigned char)*q) && *q != '>' && *q != '/') q++;
        if (dropped_element(nm, (size_t)(q - nm))) {
            char close[32];
            snprintf(close, sizeof close, "</%.*s", (int)((size_t)(q - nm) < 20 ? q - nm : 20),
                     nm);
            for (char *c = close; *c; c++) *c = (char)tolower((unsigned char)*c);
            const char *gt = memchr(q, '>', (size_t)(end - q));
            if (!gt) break;
            if (gt[-1] == '/') {
                p = gt + 1;
                continue;
            }
            const char *c = find_str(gt, end, close);
            if (!c) break;
            const char *cgt = memchr(c, '>', (size_t)(end - c));
            if (!cgt) break;
            p = cgt + 1;
            continue;
        }
        p = copy_tag(b, lt + 1, end);
    }
}

/* --- data block ------------------------------------------------------------------------ */

static void json_ev_list(an_i_sbuf *b, const an_evidence_item *items, size_t n) {
    an_i_sbuf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        const an_evidence_item *it = &items[i];
        an_i_sbuf_puts(b, i ? ",{\"doc\":" : "{\"doc\":");
        an_i_json_str(b, it->doc_id, 1);
        an_i_sbuf_printf(b, ",\"s\":%zu,\"e\":%zu,\"t\":[", it->start, it->end);
        an_i_mark marks[2 * AN_EVIDENCE_MAX_SPANS];
        size_t nm = an_i_evidence_marks(it, marks), at = 0;
        int first = 1;
        for (size_t k = 0; k <= nm; k++) {
            size_t to = k < nm ? marks[k].start : it->text_len;
            if (to > at) {
                an_i_sbuf_puts(b, first ? "[" : ",[");
                an_i_json_escape(b, it->text + at, to - at, 1);
                an_i_sbuf_puts(b, ",0]");
                first = 0;
            }
            if (k < nm) {
                an_i_sbuf_puts(b, first ? "[" : ",[");
                an_i_json_escape(b, it->text + marks[k].start, marks[k].end - marks[k].start, 1);
                an_i_sbuf_printf(b, ",%d]", marks[k].who);
                first = 0;
                at = marks[k].end;
            }
        }
        an_i_sbuf_puts(b, "]}");
    }
    an_i_sbuf_putc(b, ']');
}

static void data_block(an_i_writer *w, const an_graph_view *v, const an_evidence *ev) {
    an_i_sbuf *b = &w->b;
    an_i_sbuf_puts(b, "<script type=\"application/json\" id=\"an-data\">{\"nodes\":[");
    for (size_t i = 0; i < v->n_nodes; i++) {
        const an_node *n = &v->nodes[i];
        an_i_sbuf_puts(b, i ? ",\n{\"id\":" : "\n{\"id\":");
        an_i_json_str(b, n->id, 1);
        an_i_sbuf_puts(b, ",\"label\":");
        an_i_json_str(b, n->label, 1);
        an_i_sbuf_puts(b, ",\"type\":");
        an_i_json_str(b, n->type, 1);
        an_i_sbuf_printf(b, ",\"mentions\":%" PRIu64 "}", n->mentions);
        an_i_w_maybe_flush(w);
    }
    an_i_sbuf_puts(b, "],\n\"edges\":[");
    for (size_t k = 0; k < v->n_edges; k++) {
        const an_edge *e = &v->edges[k];
        size_t s = e->source < e->target ? e->source : e->target;
        size_t t = e->source < e->target ? e->target : e->source;
        an_i_sbuf_printf(b, "%s[%zu,%zu,%" PRIu64 ",%" PRIu64 "]", k ? "," : "", s, t,
                         e->windows, e->documents);
    }
    an_i_sbuf_puts(b, "],\n\"ev_nodes\":{");
    int first = 1;
    for (size_t i = 0; ev && i < v->n_nodes; i++) {
        size_t n = 0;
        const an_evidence_item *it = an_evidence_actor(ev, v->nodes[i].actor, &n);
        if (!n) continue;
        an_i_sbuf_printf(b, "%s\"%zu\":", first ? "\n" : ",\n", i);
        json_ev_list(b, it, n);
        first = 0;
        an_i_w_maybe_flush(w);
    }
    an_i_sbuf_puts(b, "},\n\"ev_edges\":{");
    first = 1;
    for (size_t k = 0; ev && k < v->n_edges; k++) {
        size_t n = 0;
        const an_edge *e = &v->edges[k];
        const an_evidence_item *it =
            an_evidence_pair(ev, v->nodes[e->source].actor, v->nodes[e->target].actor, &n);
        if (!n) continue;
        an_i_sbuf_printf(b, "%s\"%zu\":", first ? "\n" : ",\n", k);
        json_ev_list(b, it, n);
        first = 0;
        an_i_w_maybe_flush(w);
    }
    an_i_sbuf_puts(b, "}}</script>\n");
}

/* --- page ----------------------------------------------------------------------------- */

static void summary(an_i_sbuf *b, const an_graph_view *v, const an_report_options *o) {
    an_i_sbuf_printf(b, "<p class=\"summary\">%" PRIu64 " documents, %" PRIu64 " mentions, %" PRIu64
                        " windows (",
                     v->documents, v->mentions, v->windows);
    h_text(b, v->window && v->window[0] ? v->window : "n/a");
    an_i_sbuf_printf(b, "); %zu actors, %zu edges", v->n_nodes, v->n_edges);
    if (v->measure && v->measure[0]) {
        an_i_sbuf_puts(b, " (measure ");
        h_text(b, v->measure);
        an_i_sbuf_puts(b, ")");
    }
    an_i_sbuf_printf(b, "; %zu communities (", v->n_communities);
    h_text(b, v->community_algo && v->community_algo[0] ? v->community_algo : "n/a");
    an_i_put_resolution(b, v);
    an_i_sbuf_printf(b, ", seed %" PRIu64 ", modularity ", v->seed);
    put_fixed(b, v->modularity, 4);
    an_i_sbuf_puts(b, ").");
    if (v->path_sources && v->path_sources < v->n_nodes)
        an_i_sbuf_printf(b,
                         " Betweenness and closeness are estimates from %zu of %zu actors as "
                         "sources.",
                         v->path_sources, v->n_nodes);
    if (v->path_cutoff > 0.0) {
        an_i_sbuf_puts(b, " Betweenness and closeness follow paths up to length ");
        put_fixed(b, v->path_cutoff, 4);
        an_i_sbuf_puts(b, " only.");
    }
    if (o->n_inputs && o->inputs) {
        an_i_sbuf_puts(b, " Inputs: ");
        for (size_t i = 0; i < o->n_inputs; i++) {
            if (i) an_i_sbuf_puts(b, ", ");
            h_text(b, o->inputs[i]);
        }
        an_i_sbuf_puts(b, ".");
    }
    if (o->gazetteer && o->gazetteer[0]) {
        an_i_sbuf_puts(b, " Gazetteer: ");
        h_text(b, o->gazetteer);
        an_i_sbuf_printf(b, " (%zu actors, %zu aliases).", o->gazetteer_actors,
                         o->gazetteer_aliases);
    }
    an_i_sbuf_puts(b, "</p>\n");
    if (v->n_filter_steps && v->filter_steps) {
        an_i_sbuf_printf(b, "<p class=\"summary\">Filters (in order, from %zu pairs): ",
                         v->edges_before_filters);
        for (size_t i = 0; i < v->n_filter_steps; i++) {
            const an_filter_step *f = &v->filter_steps[i];
            char detail[sizeof f->detail + 1];
            memcpy(detail, f->detail, sizeof f->detail);
            detail[sizeof f->detail] = '\0';
            if (i) an_i_sbuf_puts(b, "; ");
            h_text(b, f->name);
            if (detail[0]) {
                an_i_sbuf_puts(b, " (");
                h_text(b, detail);
                an_i_sbuf_puts(b, ")");
            }
            an_i_sbuf_printf(b, " removed %zu edges, %zu actors", f->edges_removed,
                             f->actors_removed);
        }
        an_i_sbuf_puts(b, ".</p>\n");
    }
}

static void actor_table(an_i_writer *w, const an_graph_view *v, const size_t *order) {
    an_i_sbuf *b = &w->b;
    an_i_sbuf_puts(b, "<h2>Actors</h2>\n<div class=\"scroll\"><table id=\"actors\" "
                      "class=\"sortable\"><thead><tr><th>actor</th><th>id</th><th>type</th>"
                      "<th>mentions</th><th>documents</th><th>degree</th><th>strength</th>"
                      "<th>betweenness</th><th>closeness</th><th>PageRank</th>"
                      "<th>eigenvector</th><th>coreness</th><th>clustering</th>"
                      "<th>component</th><th>community</th></tr></thead><tbody>\n");
    for (size_t r = 0; r < v->n_nodes; r++) {
        size_t i = order[r];
        const an_node *n = &v->nodes[i];
        an_i_sbuf_printf(b, "<tr data-i=\"%zu\">", i);
        td_text(b, label_of(n));
        td_text(b, n->id);
        td_text(b, n->type);
        td_int(b, (int64_t)n->mentions);
        td_int(b, (int64_t)n->documents);
        td_int(b, n->degree);
        td_num(b, n->strength, 3);
        td_num(b, n->betweenness, 4);
        td_num(b, n->closeness, 4);
        td_num(b, n->pagerank, 4);
        td_num(b, n->eigenvector, 4);
        td_int(b, n->coreness);
        td_num(b, n->clustering, 3);
        td_int(b, n->component);
        td_int(b, n->community);
        an_i_sbuf_puts(b, "</tr>\n");
        an_i_w_maybe_flush(w);
    }
    an_i_sbuf_puts(b, "</tbody></table></div>\n");
}

static void edge_table(an_i_writer *w, const an_graph_view *v, const an_evidence *ev) {
    an_i_sbuf *b = &w->b;
    an_i_sbuf_puts(b, "<h2>Edges</h2>\n<div class=\"scroll\"><table id=\"edges\" "
                      "class=\"sortable\"><thead><tr><th>actor</th><th>actor</th>"
                      "<th>windows</th><th>documents</th><th>weight</th><th>score</th>"
                      "<th>in MST</th><th>evidence</th></tr></thead><tbody>\n");
    for (size_t k = 0; k < v->n_edges; k++) {
        const an_edge *e = &v->edges[k];
        size_t n = 0;
        if (ev) an_evidence_pair(ev, v->nodes[e->source].actor, v->nodes[e->target].actor, &n);
        an_i_sbuf_printf(b, "<tr data-i=\"%zu\">", k);
        td_text(b, label_of(&v->nodes[e->source]));
        td_text(b, label_of(&v->nodes[e->target]));
        td_int(b, (int64_t)e->windows);
        td_int(b, (int64_t)e->documents);
        td_num(b, e->weight, 3);
        td_num(b, e->score, 4);
        td_text(b, e->in_mst ? "yes" : "");
        td_int(b, (int64_t)n);
        an_i_sbuf_puts(b, "</tr>\n");
        an_i_w_maybe_flush(w);
    }
    an_i_sbuf_puts(b, "</tbody></table></div>\n");
}

typedef struct ck {
    int64_t community;
    size_t rank, idx;
} ck;

static int cmp_ck(const void *pa, const void *pb) {
    const ck *x = pa, *y = pb;
    if (x->community != y->community) return x->community < y->community ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static int communities(an_i_writer *w, const an_graph_view *v, const size_t *order) {
    an_i_sbuf *b = &w->b;
    size_t n = v->n_nodes;
    an_i_sbuf_puts(b, "<h2>Communities</h2>\n");
    if (!n) return 1;
    ck *c = an_i_calloc(n, sizeof *c);
    if (!c) return 0;
    for (size_t r = 0; r < n; r++) {
        c[r].community = v->nodes[order[r]].community;
        c[r].rank = r;
        c[r].idx = order[r];
    }
    qsort(c, n, sizeof *c, cmp_ck);
    an_i_sbuf_puts(b, "<ul>\n");
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && c[j].community == c[i].community) j++;
        an_i_sbuf_printf(b, "<li><b>%" PRId64 "</b> (%zu): ", c[i].community, j - i);
        for (size_t k = i; k < j; k++) {
            if (k > i) an_i_sbuf_puts(b, ", ");
            h_text(b, label_of(&v->nodes[c[k].idx]));
        }
        an_i_sbuf_puts(b, "</li>\n");
        an_i_w_maybe_flush(w);
        i = j;
    }
    an_i_sbuf_puts(b, "</ul>\n");
    an_i_free(c);
    return 1;
}

AN_EXPORT an_status an_report_html(const an_graph_view *v, const an_report_options *o,
                                   const char *svg, size_t svg_len, FILE *out, an_error *err) {
    an_report_options dflt;
    an_status st = an_i_report_begin(v, &o, &dflt, out, "html", err);
    if (st != AN_OK) return st;
    size_t *order = an_i_order_by_pagerank(v, 1);
    if (!order) return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "html: out of memory");
    const char *title = o->title && o->title[0] ? o->title : "actornet report";
    an_i_writer w = {.f = out};
    an_i_sbuf *b = &w.b;
    an_i_sbuf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                      "'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src "
                      "data:\">\n<meta name=\"viewport\" content=\"width=device-width, "
                      "initial-scale=1\">\n<meta name=\"generator\" content=\"actornet ");
    an_i_sbuf_puts(b, an_version());
    an_i_sbuf_puts(b, "\">\n<title>");
    h_text(b, title);
    an_i_sbuf_puts(b, "</title>\n<style>");
    an_i_sbuf_puts(b, html_css);
    an_i_sbuf_puts(b, "</style>\n</head>\n<body>\n<header><h1>");
    h_text(b, title);
    an_i_sbuf_puts(b, "</h1>\n");
    summary(b, v, o);
    an_i_sbuf_puts(b, "</header>\n<div id=\"layout\">\n<div id=\"mapbox\">");
    if (svg && svg_len)
        svg_clean(b, svg, svg_len);
    else
        an_i_sbuf_puts(b, "<p style=\"padding:10px\">No map.</p>");
    an_i_sbuf_puts(b, "</div>\n<aside id=\"panel\"><h2 id=\"panel-title\">Evidence</h2>"
                      "<div id=\"panel-body\"><p>");
    an_i_sbuf_puts(b, o->evidence ? "Click an actor or an edge, on the map or in a table, to "
                                    "read the sentences behind it."
                                  : "No evidence was collected for this report.");
    an_i_sbuf_puts(b, "</p></div></aside>\n</div>\n<section class=\"tables\">\n");
    an_i_w_flush(&w);
    actor_table(&w, v, order);
    edge_table(&w, v, o->evidence);
    int ok = communities(&w, v, order);
    an_i_sbuf_puts(b, "</section>\n");
    data_block(&w, v, o->evidence);
    an_i_sbuf_puts(b, "<script>");
    an_i_sbuf_puts(b, html_js);
    an_i_sbuf_puts(b, "</script>\n</body>\n</html>\n");
    an_i_free(order);
    if (!ok) {
        an_i_sbuf_free(&w.b);
        return an_i_error(err, AN_ENOMEM, NULL, 0, 0, "html: out of memory");
    }
    return an_i_w_finish(&w, "html", err);
}
