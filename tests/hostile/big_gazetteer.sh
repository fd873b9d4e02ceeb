#!/usr/bin/env bash
# A 1,000,000-alias native gazetteer generated at test time (100,000 actors x
# 10 aliases, ~25 MB): it loads, compiles, and the last alias still matches.
# Usage: big_gazetteer.sh ACTORNET   (suite 'slow')
set -euo pipefail
exe=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
/usr/bin/env awk 'BEGIN {
  for (i = 0; i < 100000; i++) {
    printf "A%d\tActor %d\tperson\t\t", i, i
    for (k = 0; k < 10; k++) printf "%sname%dx%d", (k ? "|" : ""), i, k
    printf "\n"
  }
}' > big.tsv
[ "$(wc -l < big.tsv)" = 100000 ] || { echo "FAIL: generator"; exit 1; }
printf 'First name0x0 then name99999x9 and NAME50000X5.\n' > t.txt
expect='{"doc":"t.txt","start":6,"end":13,"text":"name0x0","actor":"A0"}
{"doc":"t.txt","start":19,"end":30,"text":"name99999x9","actor":"A99999"}
{"doc":"t.txt","start":35,"end":46,"text":"NAME50000X5","actor":"A50000"}'
# Twice with a compiled gazetteer cache: compiled and stored, then read back.
export ACTORNET_CACHE_DIR=$work/cache
for run in compiled cached; do
  out=$("$exe" mentions -g big.tsv t.txt)
  if [ "$out" != "$expect" ]; then
    echo "FAIL: unexpected mentions ($run):"; echo "$out"; exit 1
  fi
  [ -n "$(ls "$work/cache")" ] || { echo "FAIL: no cache file after the $run run"; exit 1; }
done
echo "ok: 1,000,000 aliases, compiled and from the cache"
