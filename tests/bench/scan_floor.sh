#!/usr/bin/env bash
# bench/scan_floor against the command it is the floor of: over the same
# documents and gazetteer it must scan the same bytes and find as many mentions
# as `actornet mentions` prints; --max-mb keeps whole documents under the limit;
# misuse exits 2. No timing is checked.
# Usage: scan_floor.sh SCAN_FLOOR ACTORNET
set -euo pipefail
floor=$(realpath "$1") exe=$(realpath "$2")
data="$(cd "$(dirname "$0")/../cli/data" && pwd)"
cd "$data"
out=$("$floor" -g small.tsv --runs 2 corpus)
field() { local v=${out#*"$1"=}; echo "${v%% *}"; }
docs=$(find corpus -type f | wc -l)
bytes=$(find corpus -type f -exec cat {} + | wc -c)
mentions=$("$exe" mentions -q -g small.tsv corpus | wc -l)
[ "$(field docs)" = "$docs" ] || { echo "docs: $out, expected $docs"; exit 1; }
[ "$(field bytes)" = "$bytes" ] || { echo "bytes: $out, expected $bytes"; exit 1; }
[ "$(field mentions)" = "$mentions" ] || { echo "mentions: $out, expected $mentions"; exit 1; }
[ "$(field mentions)" -gt 0 ] && [ "$(field tokens)" -gt "$(field mentions)" ]
[[ $(field seconds) =~ ^[0-9]+\.[0-9]{6}$ ]] || { echo "seconds: $out"; exit 1; }
# the default gazetteer, and JSON Lines
out=$("$floor" --runs 1 docs.jsonl)
[ "$(field mentions)" = "$("$exe" mentions -q docs.jsonl | wc -l)" ] || { echo "jsonl: $out"; exit 1; }
# usage
set +e
"$floor" >/dev/null 2>&1; [ $? = 2 ] || { echo "no input: not 2"; exit 1; }
"$floor" --runs 0 corpus >/dev/null 2>&1; [ $? = 2 ] || { echo "--runs 0: not 2"; exit 1; }
"$floor" -g missing.tsv corpus >/dev/null 2>&1; [ $? = 1 ] || { echo "missing gazetteer: not 1"; exit 1; }
echo ok
