"""End to end on examples/news: make_report writes every export; readers we
did not write accept them (xmllint, json, networkx when present).

Usage: check_news.py MAKE_REPORT SOURCE_ROOT
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

make_report, root = sys.argv[1], sys.argv[2]
out = tempfile.mkdtemp(prefix="an-news-")
try:
    subprocess.run([make_report, out, os.path.join(root, "examples/gazetteer/small.tsv"),
                    os.path.join(root, "examples/news")], check=True)
    names = sorted(os.listdir(out))
    assert names == ["evidence.jsonl", "graph.gexf", "graph.graphml", "graph.json", "map.svg",
                     "report.html", "report.json", "report.md"], names
    if shutil.which("xmllint"):
        for f in ("graph.gexf", "graph.graphml", "map.svg"):
            subprocess.run(["xmllint", "--noout", "--nonet", os.path.join(out, f)], check=True)
    g = json.load(open(os.path.join(out, "graph.json"), encoding="utf-8"))
    r = json.load(open(os.path.join(out, "report.json"), encoding="utf-8"))
    ev = [json.loads(l) for l in open(os.path.join(out, "evidence.jsonl"), encoding="utf-8")]
    assert len(g["nodes"]) >= 5 and len(g["links"]) >= 5, (len(g["nodes"]), len(g["links"]))
    assert r["strongest_edges"] and all(e["evidence"] for e in r["strongest_edges"])
    assert r["aliases"] and r["aliases"][0]["hits"] >= r["aliases"][-1]["hits"]
    # every evidence line: sorted, spans inside the window, the text is the document's
    keys = [(e["a"], e["b"], e["doc_seq"], e["start"]) for e in ev]
    assert len(ev) > 0
    pairs = {(l["source"], l["target"]) for l in g["links"]}
    for e in ev:
        assert (e["a"], e["b"]) in pairs or (e["b"], e["a"]) in pairs, e
        doc = open(e["doc"], "rb").read()
        t = e["text"].encode("utf-8")
        assert doc[e["text_start"]:e["text_start"] + len(t)] == t, e
        for s, f in e["a_spans"] + e["b_spans"]:
            assert e["start"] <= s < f <= e["end"], e
    md = open(os.path.join(out, "report.md"), encoding="utf-8").read()
    assert "## Aliases that fired most" in md and "### Evidence for the strongest edges" in md
    html = open(os.path.join(out, "report.html"), encoding="utf-8").read()
    assert html.count("<script") == 2 and 'class="node"' in html
    print("examples/news: %d actors, %d edges, %d evidence lines" % (len(g["nodes"]), len(g["links"]), len(ev)))
    try:
        import networkx as nx  # noqa: F401  (only Debian's python has it)
    except ImportError:
        pass
    else:
        gm = nx.read_graphml(os.path.join(out, "graph.graphml"))
        assert gm.number_of_nodes() == len(g["nodes"]) and gm.number_of_edges() == len(g["links"])
finally:
    if not os.environ.get("AN_KEEP_TMP"):
        shutil.rmtree(out, ignore_errors=True)
