#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS over its committed corpus without
# writing into it: new inputs go to a scratch dir, crash inputs to
# $PWD/artifacts/ (keep them: add them to fuzz/corpus/<target>/ once fixed).
# Usage: run_fuzz.sh FUZZER CORPUS_DIR SECONDS
set -uo pipefail
exe=$1 corpus=$2 secs=$3
name=$(basename "$exe")
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p artifacts
"$exe" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
  -artifact_prefix="$PWD/artifacts/$name-" -print_final_stats=1 "$scratch" "$corpus"
