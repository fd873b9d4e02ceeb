"""Reads actornet's GraphML and GEXF with networkx (a reader we did not write).

Usage: check_readers.py SMALL.graphml SMALL.gexf NASTY.graphml NASTY.gexf
Exit 77 when networkx is missing. networkx 2.8 knows GEXF up to 1.2draft, so
the 1.3 namespace is registered with the same parser (the elements we write
are the same in both versions).
"""
import sys

try:
    import networkx as nx
    from networkx.readwrite import gexf as nxgexf
except ImportError:
    sys.exit(77)

small_graphml, small_gexf, nasty_graphml, nasty_gexf = sys.argv[1:5]

if "1.3" not in nxgexf.GEXF.versions:
    d = dict(nxgexf.GEXF.versions["1.2draft"])
    d.update(NS_GEXF="http://gexf.net/1.3", NS_VIZ="http://gexf.net/1.3/viz", VERSION="1.3",
             SCHEMALOCATION="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd")
    nxgexf.GEXF.versions["1.3"] = d

g = nx.read_graphml(small_graphml)
assert g.number_of_nodes() == 6 and g.number_of_edges() == 5, (g.number_of_nodes(), g.number_of_edges())
assert not g.is_directed()
assert g.nodes["SYR"]["label"] == "Syria"
assert g.nodes["XYZ"]["label"] == "Isolated <Org> & co"
assert g.nodes["ASSAD"]["label"] == 'Assad, Bashar "the doctor"'
assert g.nodes["SYR"]["mentions"] == 40 and isinstance(g.nodes["SYR"]["mentions"], int)
assert abs(g.nodes["SYR"]["pagerank"] - 0.30) < 1e-12
assert g.nodes["XYZ"]["closeness"] != g.nodes["XYZ"]["closeness"]  # NaN
assert g.edges["SYR", "RUS"]["weight"] == 7.5
assert g.edges["SYR", "RUS"]["windows"] == 5
assert g.edges["RUS", "HTS"]["in_mst"] is False
assert g.graph["window"] == "sentence" and g.graph["documents"] == 12
assert sum(d["weight"] for _, _, d in g.edges(data=True)) == 1.5 * (5 + 3 + 1 + 1 + 2)

h = nx.read_gexf(small_gexf, version="1.3")
assert h.number_of_nodes() == 6 and h.number_of_edges() == 5, (h.number_of_nodes(), h.number_of_edges())
assert h.nodes["SYR"]["label"] == "Syria"
assert h.nodes["HTS"]["type"] == "armed_group"
assert h.nodes["SYR"]["community"] == 0
assert h.edges["SYR", "RUS"]["weight"] == 7.5
assert h.edges["UN", "ASSAD"]["windows"] == 2

n = nx.read_graphml(nasty_graphml)
m = nx.read_gexf(nasty_gexf, version="1.3")
for x in (n, m):
    assert x.number_of_nodes() == 12 and x.number_of_edges() == 12, (x.number_of_nodes(), x.number_of_edges())
labels = {d["label"] for _, d in n.nodes(data=True)}
assert "trailing\\" in labels, labels
assert "</script><script>alert(1)</script>" in labels
assert "line1\nline2\r\nline3\ttab" in labels
assert "\u0627\u0644\u062c\u0632\u064a\u0631\u0629" in labels
assert "emoji \U0001F600 \U0001F1F8\U0001F1FE" in labels
assert "id&<0>\"'\\" in n.nodes
print("networkx", nx.__version__, "read GraphML and GEXF: ok")
