#!/usr/bin/env python3
"""Deterministic JSONL corpora of non-Latin text, for timing the non-ASCII paths
(Unicode tokenizing, case folding, the word caches, the JSON reader on multi-byte
text), each with a small gazetteer of actors named in that script.

    bench/gen_script.py SCRIPT OUT.jsonl [MB]    (default 60 MB)

SCRIPT is one of:
  cyrillic  two-byte text: words of 1-4 Cyrillic syllables (a 5,000-word vocabulary)
            and seven actor names, sentences of 6-20 words
  hindi     three-byte text: words of 1-4 Devanagari consonants, half of them with a
            vowel sign (a 5,000-word vocabulary), and five actor names; sentences of
            6-20 words ending in a danda
  cjk       three-byte text without spaces: runs of 1-3 of 3,000 CJK ideographs,
            actor names at 3 % of the runs, an ideographic comma after 8 %,
            sentences of 10-40 runs ending in an ideographic full stop

Documents hold 10-40 sentences. Not language: only the byte and word statistics
matter here. The gazetteer goes to OUT.tsv (OUT without .jsonl).
"""
import json
import random
import sys

GAZ = {
    "cyrillic": [("RUS", "Russia", "country", "", "Россия|Москва"),
                 ("PUT", "Vladimir Putin", "person", "RUS", "Путин"),
                 ("LAV", "Sergei Lavrov", "person", "RUS", "Лавров"),
                 ("USA", "United States", "country", "", "=США"),
                 ("SYR", "Syria", "country", "", "Сирия"),
                 ("ISIS", "Islamic State", "armed_group", "", "=ИГИЛ")],
    "hindi": [("IND", "India", "country", "", "भारत"),
              ("RUS", "Russia", "country", "", "रूस"),
              ("USA", "United States", "country", "", "अमेरिका"),
              ("SYR", "Syria", "country", "", "सीरिया"),
              ("PUT", "Vladimir Putin", "person", "RUS", "पुतिन")],
    "cjk": [("CHN", "China", "country", "", "中国"),
            ("USA", "United States", "country", "", "美国"),
            ("RUS", "Russia", "country", "", "俄罗斯"),
            ("SYR", "Syria", "country", "", "叙利亚"),
            ("ISIS", "Islamic State", "armed_group", "", "伊斯兰国"),
            ("PUT", "Vladimir Putin", "person", "RUS", "普京"),
            ("LAV", "Sergei Lavrov", "person", "RUS", "拉夫罗夫")],
}


def cyrillic_docs(rnd):
    syl = ["ка", "ро", "ми", "на", "ст", "ва", "ли", "те", "по",
           "ре", "ди", "мо", "ся", "ть", "ев", "ов", "ин", "ал"]
    words = ["".join(rnd.choice(syl) for _ in range(rnd.randint(1, 4))) for _ in range(5000)]
    words += ["Россия", "Москва", "Путин", "Лавров", "США", "Сирия", "ИГИЛ"]
    while True:
        sents = []
        for _ in range(rnd.randint(10, 40)):
            n = rnd.randint(6, 20)
            sents.append(" ".join(rnd.choice(words) for _ in range(n)).capitalize() + ".")
        yield " ".join(sents)


def hindi_docs(rnd):
    cons = [chr(c) for c in range(0x0915, 0x0939)]
    signs = [chr(c) for c in range(0x093E, 0x094C)]
    words = ["".join(rnd.choice(cons) + (rnd.choice(signs) if rnd.random() < 0.5 else "")
                     for _ in range(rnd.randint(1, 4))) for _ in range(5000)]
    words += ["भारत", "रूस", "अमेरिका", "सीरिया", "पुतिन"]
    while True:
        sents = []
        for _ in range(rnd.randint(10, 40)):
            n = rnd.randint(6, 20)
            sents.append(" ".join(rnd.choice(words) for _ in range(n)) + "।")
        yield " ".join(sents)


def cjk_docs(rnd):
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    names = ["中国", "美国", "俄罗斯", "叙利亚", "伊斯兰国", "普京", "拉夫罗夫"]
    while True:
        sents = []
        for _ in range(rnd.randint(10, 40)):
            s = ""
            for _ in range(rnd.randint(10, 40)):
                if rnd.random() < 0.03:
                    s += rnd.choice(names)
                else:
                    s += "".join(rnd.choice(han) for _ in range(rnd.randint(1, 3)))
                if rnd.random() < 0.08:
                    s += "，"
            sents.append(s + "。")
        yield "".join(sents)


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in GAZ:
        sys.exit(__doc__)
    script, out_path = sys.argv[1], sys.argv[2]
    target = int(float(sys.argv[3]) * 1e6) if len(sys.argv) > 3 else 60_000_000
    rnd = random.Random(7)
    docs = {"cyrillic": cyrillic_docs, "hindi": hindi_docs, "cjk": cjk_docs}[script](rnd)
    size = 0
    i = 0
    with open(out_path, "w", encoding="utf-8") as out:
        while size < target:
            line = json.dumps({"id": str(i), "text": next(docs)}, ensure_ascii=False)
            out.write(line + "\n")
            size += len(line.encode()) + 1
            i += 1
    gaz_path = (out_path[:-6] if out_path.endswith(".jsonl") else out_path) + ".tsv"
    with open(gaz_path, "w", encoding="utf-8") as g:
        g.write("# id\tlabel\ttype\tparents\taliases\n")
        for row in GAZ[script]:
            g.write("\t".join(row) + "\n")
    print(f"gen_script {script}: {size} bytes, {i} documents; gazetteer {gaz_path}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
