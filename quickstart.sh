#!/usr/bin/env bash
# First command of the README: install what is missing, build, and run the main job
# on the bundled example with the default gazetteer. Writes out/map.svg, out/map.dot,
# out/report.md, out/report.html, out/actors.csv and out/edges.edges.csv.
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh build
log=$(mktemp)
[ -f build/build.ninja ] || meson setup build --buildtype=release >"$log" 2>&1 || { cat "$log"; exit 1; }
ninja -C build cli/actornet >"$log" 2>&1 || { cat "$log"; exit 1; }
rm -f "$log"
mkdir -p out
build/cli/actornet map examples/news \
  -o out/map.svg -o out/map.dot -o out/report.html -o out/actors.csv -o out/edges.edges.csv \
  --report out/report.md --title "actornet example: Syria diplomacy"
echo "wrote out/map.svg, out/map.dot, out/report.md, out/report.html, out/actors.csv, out/edges.edges.csv"
