#!/usr/bin/env bash
# docs/scale.md's GNU parallel recipe, run on this machine (--sshlogin :, the local
# host) over a sharded corpus: count each shard as a separate job, merge the parts,
# and compare with one run over the whole corpus. Skips (77) without GNU parallel.
# Usage: gnu_parallel.sh ACTORNET
set -euo pipefail
exe=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
data="$here/../cli/data"
command -v parallel >/dev/null || { echo "GNU parallel not installed: skip"; exit 77; }
parallel --version 2>/dev/null | head -1 | grep -q "GNU parallel" || { echo "not GNU parallel: skip"; exit 77; }
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT; echo "work: $work"
cd "$work"
# A sharded corpus: 12 shards of 40 documents each.
for s in $(seq -w 1 12); do
  mkdir -p "shards/$s"
  for i in $(seq 1 40); do
    if (( (10#$s + i) % 2 )); then cp "$data/corpus/a.txt" "shards/$s/d$i.txt"
    else cp "$data/corpus/sub/b.txt" "shards/$s/d$i.txt"; fi
  done
done
# The recipe (see docs/scale.md): one count job per shard, on every host of the login list.
mkdir parts
ls -d shards/* | parallel --will-cite --sshlogin : --jobs 2 \
  "$exe" count -q -j 1 -g "$data/small.tsv" {} -o "$work/parts/{/}.counts"
[ "$(ls parts | wc -l)" = 12 ]
"$exe" merge -g "$data/small.tsv" parts/*.counts -o merged.counts
"$exe" count -q -g "$data/small.tsv" shards -o whole.counts
cmp merged.counts whole.counts
"$exe" map -q -g "$data/small.tsv" --counts merged.counts -o a.edges.csv -o a.dot
"$exe" map -q -g "$data/small.tsv" shards -o b.edges.csv -o b.dot
cmp a.edges.csv b.edges.csv
cmp a.dot b.dot
echo "ok: 12 shards counted by GNU parallel, merged counts identical to one run"
