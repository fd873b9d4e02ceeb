#!/usr/bin/python3
"""The Python peer of `actornet map` for the benchmark.

A straightforward pipeline as a Python user would write it: one pyahocorasick
automaton over lower-cased aliases, matches kept only on word boundaries (no \\w on
either side), leftmost-longest overlap resolution, sentence co-mentions (naive split
on [.!?] + whitespace) counted into a networkx Graph, then PageRank.

Aliases come from native TSV gazetteers (field 5, '|'-separated, '='/'~' markers and
'{FROM..TO}' ranges stripped). Aliases that actornet treats as exact-case ('=X', or
all capitals with at most 4 letters) are checked against the original text so that
"US" does not match "us"; everything else is case-insensitive.

Run with Debian's /usr/bin/python3 (it has python3-ahocorasick and python3-networkx).
Prints one JSON object on stdout: bytes, docs, mentions, nodes, edges, seconds, ...
"""
import argparse
import bisect
import itertools
import json
import os
import re
import sys
import time
from collections import Counter

import ahocorasick
import networkx as nx


def parse_alias(raw):
    a = raw.strip()
    policy = "auto"
    if a[:1] == "=":
        policy, a = "exact", a[1:]
    elif a[:1] == "~":
        policy, a = "folded", a[1:]
    if a.endswith("}") and "{" in a:
        a = a[: a.rindex("{")]
    a = a.strip()
    if not any(c.isalnum() for c in a):
        return None, None
    if policy == "auto":
        letters = [c for c in a if c.isalpha()]
        policy = "exact" if letters and len(letters) <= 4 and all(c.isupper() for c in letters) else "folded"
    return a, policy


def load_gazetteers(paths):
    """Returns a list of (actor_id, alias, exact) triples."""
    out = []
    for path in paths:
        with open(path, encoding="utf-8-sig") as f:
            for line in f:
                line = line.rstrip("\r\n")
                s = line.lstrip(" \t")
                if not s or s.startswith("#"):
                    continue
                fields = line.split("\t")
                if len(fields) < 5:
                    continue
                actor = fields[0].strip()
                for raw in fields[4].split("|"):
                    alias, policy = parse_alias(raw)
                    if alias is not None:
                        out.append((actor, alias, policy == "exact"))
    return out


def build_automaton(aliases):
    A = ahocorasick.Automaton()
    by_key = {}
    for actor, alias, exact in aliases:
        by_key.setdefault(alias.lower(), []).append((actor, alias, exact))
    for key, entries in by_key.items():
        A.add_word(key, (len(key), entries))
    A.make_automaton()
    return A


def iter_documents(inputs):
    """Yields (doc_id, text, nbytes) for files, directories (recursive, sorted), .jsonl, '-'."""
    for inp in inputs:
        if inp == "-":
            data = sys.stdin.buffer.read()
            yield "-", data.decode("utf-8", "replace"), len(data)
        elif os.path.isdir(inp):
            paths = []
            for root, dirs, files in os.walk(inp):
                dirs.sort()
                paths.extend(os.path.join(root, n) for n in files)
            paths.sort(key=lambda p: p.encode())
            yield from iter_documents(paths)
        elif inp.endswith((".jsonl", ".ndjson")):
            with open(inp, "rb") as f:
                for n, line in enumerate(f):
                    if not line.strip():
                        continue
                    obj = json.loads(line)
                    text = obj.get("text", "")
                    yield str(obj.get("id", n)), text, len(text.encode("utf-8"))
        else:
            with open(inp, "rb") as f:
                data = f.read()
            yield inp, data.decode("utf-8", "replace"), len(data)


def is_word(c):
    return c.isalnum() or c == "_"


SENT_END = re.compile(r"[.!?]\s+")


def scan(A, text):
    """Leftmost-longest word-bounded mentions: list of (start, end, actor)."""
    low = text.lower()
    # str.lower() can change the length of some non-ASCII strings; then offsets
    # in `low` are not offsets in `text`, and we compare against `low` only.
    same = len(low) == len(text)
    n = len(low)
    cands = []
    for end_idx, (klen, entries) in A.iter(low):
        start = end_idx - klen + 1
        end = end_idx + 1
        if start > 0 and is_word(low[start - 1]):
            continue
        if end < n and is_word(low[end]):
            continue
        actor = None
        for a, alias, exact in entries:
            if not exact or (same and text[start:end] == alias):
                actor = a
                break
        if actor is not None:
            cands.append((start, -end, actor))
    cands.sort()
    out = []
    last_end = 0
    for start, negend, actor in cands:
        if start >= last_end:
            out.append((start, -negend, actor))
            last_end = -negend
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-g", "--gazetteer", action="append", required=True, help="native TSV gazetteer")
    ap.add_argument("--max-bytes", type=int, default=0, help="stop after this many text bytes (0 = all)")
    ap.add_argument("--top", type=int, default=0, help="also print the top N actors by PageRank")
    ap.add_argument("inputs", nargs="+")
    args = ap.parse_args()

    t0 = time.perf_counter()
    aliases = load_gazetteers(args.gazetteer)
    A = build_automaton(aliases)
    t1 = time.perf_counter()

    pairs = Counter()
    actor_counts = Counter()
    nbytes = ndocs = nmentions = 0
    for _doc_id, text, size in iter_documents(args.inputs):
        ndocs += 1
        nbytes += size
        mentions = scan(A, text)
        nmentions += len(mentions)
        if mentions:
            ends = [m.end() for m in SENT_END.finditer(text)]
            by_sentence = {}
            for start, _end, actor in mentions:
                by_sentence.setdefault(bisect.bisect_right(ends, start), set()).add(actor)
            for actors in by_sentence.values():
                actor_counts.update(actors)
                if len(actors) > 1:
                    pairs.update(itertools.combinations(sorted(actors), 2))
        if args.max_bytes and nbytes >= args.max_bytes:
            break
    t2 = time.perf_counter()

    G = nx.Graph()
    for actor, c in actor_counts.items():
        G.add_node(actor, count=c)
    G.add_weighted_edges_from((a, b, w) for (a, b), w in pairs.items())
    pr = nx.pagerank(G, weight="weight") if G.number_of_nodes() else {}
    t3 = time.perf_counter()

    result = {
        "tool": "python-pyahocorasick+networkx",
        "bytes": nbytes,
        "docs": ndocs,
        "aliases": len(aliases),
        "mentions": nmentions,
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "load_seconds": round(t1 - t0, 4),
        "scan_seconds": round(t2 - t1, 4),
        "graph_seconds": round(t3 - t2, 4),
        "seconds": round(t3 - t0, 4),
    }
    if args.top:
        result["top"] = [[a, round(v, 6)] for a, v in sorted(pr.items(), key=lambda kv: (-kv[1], kv[0]))[: args.top]]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
