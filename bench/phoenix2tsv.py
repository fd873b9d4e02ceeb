#!/usr/bin/python3
"""Convert Phoenix/PETRARCH2 actor dictionaries into one native actornet TSV gazetteer.

Used by bench/run.sh --phoenix so that the corpus generator, rg and the Python peer
(which all read native TSV) see the same aliases as `actornet -g Phoenix...`.

  phoenix2tsv.py Phoenix.Countries.actors.txt [...] > phoenix.tsv

One record (a primary phrase, its '+' synonyms and TAB '[CODE]' lines) becomes one
actor PHX<n>. Phrases: '_' -> space, '#' comments and '[...]' codes dropped, words
Title-Cased (the dictionaries are upper case; news text is not), written with the
'~' (case-folded) marker. Code restrictions (dates) are ignored. Agent files
(Phoenix.agents.txt) are a different format and are not converted.
"""
import re
import sys

WORD = re.compile(r"[A-Za-z]+")


def phrase(raw):
    s = raw.split("#", 1)[0]
    s = s.split("[", 1)[0]
    s = " ".join(s.replace("_", " ").split())
    if not s or not any(c.isalnum() for c in s) or any(c in s for c in "|\t{}"):
        return None
    return WORD.sub(lambda m: m.group(0).capitalize(), s)


def records(path):
    rec = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith(("#", "<!")):
                continue
            if line.startswith("\t") or line.startswith(" ") and line.lstrip().startswith("["):
                continue  # code line of the current record
            if line.startswith("+"):
                p = phrase(line[1:])
                if p and rec is not None:
                    rec.append(p)
                continue
            if rec:
                yield rec
            p = phrase(line)
            rec = [p] if p else None
    if rec:
        yield rec


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(sys.argv) >= 2 else 2
    out = sys.stdout
    out.write("# converted from Phoenix actor dictionaries by bench/phoenix2tsv.py\n")
    n = 0
    for path in sys.argv[1:]:
        for rec in records(path):
            seen = []
            for p in rec:
                if p not in seen:
                    seen.append(p)
            out.write("PHX%d\t%s\tother\t\t%s\n" % (n, seen[0], "|".join("~" + p for p in seen)))
            n += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
