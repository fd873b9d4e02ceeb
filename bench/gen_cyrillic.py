#!/usr/bin/env python3
"""A deterministic JSONL corpus of Cyrillic text, for timing the non-ASCII paths
(Unicode tokenizing, case folding, the JSON reader on multi-byte text).

    bench/gen_cyrillic.py OUT.jsonl [MB]    (default 60 MB)

Words are random syllable strings (a 5,000-word vocabulary) plus seven names of
actors; sentences of 6-20 words, documents of 10-40 sentences. Not language:
only the byte and word statistics matter here.
"""
import json
import random
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    target = int(float(sys.argv[2]) * 1e6) if len(sys.argv) > 2 else 60_000_000
    rnd = random.Random(7)
    syl = ["ка", "ро", "ми", "на", "ст", "ва", "ли", "те", "по",
           "ре", "ди", "мо", "ся", "ть", "ев", "ов", "ин", "ал"]
    words = ["".join(rnd.choice(syl) for _ in range(rnd.randint(1, 4))) for _ in range(5000)]
    words += ["Россия", "Москва", "Путин", "Лавров", "США", "Сирия", "ИГИЛ"]
    size = 0
    i = 0
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        while size < target:
            sents = []
            for _ in range(rnd.randint(10, 40)):
                n = rnd.randint(6, 20)
                sents.append(" ".join(rnd.choice(words) for _ in range(n)).capitalize() + ".")
            line = json.dumps({"id": str(i), "text": " ".join(sents)}, ensure_ascii=False)
            out.write(line + "\n")
            size += len(line.encode()) + 1
            i += 1
    print(f"gen_cyrillic: {size} bytes, {i} documents", file=sys.stderr)


if __name__ == "__main__":
    main()
