#!/usr/bin/env bash
# actornet benchmark driver. See bench/README.md.
#
#   bench/run.sh [options] BUILDDIR [SIZE] [GAZETTEER.tsv...]
#   bench/run.sh --compile [options] BUILDDIR
#
# Throughput mode: generates (once, cached) a SIZE corpus whose mentions are aliases of
# the gazetteer(s), then measures in one run, on the same corpus and the same aliases:
# actornet mentions, actornet map, rg -F -i -w -f aliases, and the Python
# pyahocorasick+networkx pipeline. Prints a Markdown table.
#
# Compile mode: generates synthetic gazetteers of 10k, 100k and 1M aliases and measures
# the time and peak RSS of `actornet mentions -g big.tsv tiny.txt` (load + compile).
#
# Options:
#   --compile          compile mode (see above)
#   --runs N           repetitions per command, best wall time wins (default 3)
#   --format F         files (default: one text file per document) or jsonl
#   --py-limit S       budget in seconds for the Python pipeline; beyond it, run it on a
#                      prefix of the corpus and say so (default 120)
#   --cache DIR        where corpora and gazetteers are kept (default ${TMPDIR:-/tmp}/actornet-bench)
#   --sizes LIST       compile mode: alias counts (default "10000 100000 1000000")
#   -h, --help         this help
# Environment: PHOENIX="file..." adds a row for actornet with those Phoenix dictionaries
# when `actornet mentions -g` accepts them (detected by trying).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/.." && pwd)

mode=throughput
runs=3
format=files
py_limit=120
cache=${TMPDIR:-/tmp}/actornet-bench
compile_sizes="10000 100000 1000000"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; }
die() { echo "run.sh: $*" >&2; exit 1; }
note() { echo "run.sh: $*" >&2; }

args=()
while (($#)); do
    case $1 in
        --compile) mode=compile ;;
        --runs) runs=$2; shift ;;
        --format) format=$2; shift ;;
        --py-limit) py_limit=$2; shift ;;
        --cache) cache=$2; shift ;;
        --sizes) compile_sizes=$2; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
        *) args+=("$1") ;;
    esac
    shift
done
((${#args[@]} >= 1)) || { usage >&2; exit 2; }
build=$(cd "${args[0]}" && pwd)
size=${args[1]:-100M}
gazetteers=("${args[@]:2}")
[[ $format == files || $format == jsonl ]] || die "--format must be files or jsonl"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive number"

actornet=$build/cli/actornet
[[ -x $actornet ]] || die "$actornet not found; build it first (ninja -C $build cli/actornet)"
py=/usr/bin/python3
mkdir -p "$cache"
work=$(mktemp -d "${TMPDIR:-/tmp}/actornet-bench-run.XXXXXX")
trap 'rm -rf "$work"' EXIT

# ---------------------------------------------------------------- tools

# gen_corpus: the meson-built one if the lead wired bench/ in, else compile it here.
gen=$build/bench/gen_corpus
if [[ ! -x $gen ]]; then
    gen=$cache/gen_corpus
    if [[ ! -x $gen || $here/gen_corpus.c -nt $gen ]]; then
        ${CC:-cc} -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra \
            -o "$gen" "$here/gen_corpus.c" -lm || die "cannot compile gen_corpus.c"
    fi
fi

have_time=0
[[ -x /usr/bin/time ]] && have_time=1

# measure LABEL CMD... — runs CMD $runs times (stdout to $m_out, default /dev/null), keeps the best wall time and the peak RSS of all runs.
# Sets m_sec and m_rss_kb. Exit status 1 is accepted for rg (no match).
measure() {
    local label=$1; shift
    local best="" rss=0 i t0 t1 el r st
    for ((i = 0; i < runs; i++)); do
        st=0
        t0=$(date +%s.%N)
        if ((have_time)); then
            /usr/bin/time -f '%M' -o "$work/rss" "$@" >"${m_out:-/dev/null}" 2>"$work/stderr" || st=$?
        else
            # No GNU time: let Python's wait4() report the child's ru_maxrss (KiB).
            "$py" -c 'import os,resource,subprocess,sys
p=subprocess.run(sys.argv[2:]); open(sys.argv[1],"w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(p.returncode)' "$work/rss" "$@" >"${m_out:-/dev/null}" 2>"$work/stderr" || st=$?
        fi
        t1=$(date +%s.%N)
        if ((st != 0 && !(st == 1 && ${ok1:-0}))); then
            note "$label failed (exit $st):"; tail -n 5 "$work/stderr" >&2
            return 1
        fi
        el=$(echo "$t1 - $t0" | bc -l)
        r=$(tail -n 1 "$work/rss")
        ((r > rss)) && rss=$r
        if [[ -z $best ]] || (($(echo "$el < $best" | bc -l))); then best=$el; fi
    done
    m_sec=$best
    m_rss_kb=$rss
}

rows=()   # "label|bytes|seconds|rss_kb|mentions|note"
add_row() { rows+=("$1|$2|$3|$4|$5|${6:-}"); }

print_table() {
    local base_spmb=$1
    printf '| tool | MB | seconds | MB/s | peak RSS MB | mentions | time/MB vs actornet mentions |\n'
    printf '|---|---:|---:|---:|---:|---:|---:|\n'
    local row label bytes sec rss men nt mb mbs ratio
    for row in "${rows[@]}"; do
        IFS='|' read -r label bytes sec rss men nt <<<"$row"
        mb=$(echo "$bytes / 1048576" | bc -l)
        mbs=$(echo "$mb / $sec" | bc -l)
        if [[ -n $base_spmb ]]; then
            ratio=$(printf '%.2fx' "$(echo "($sec / $mb) / $base_spmb" | bc -l)")
        else
            ratio=-
        fi
        printf '| %s | %.1f | %.3f | %.1f | %.1f | %s | %s |\n' "$label$nt" "$mb" "$sec" "$mbs" \
            "$(echo "$rss / 1024" | bc -l)" "$men" "$ratio"
    done
}

machine_facts() {
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- host: $(uname -srm); nproc: $(nproc)"
    echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
    echo "- memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    echo "- actornet: $("$actornet" --version 2>&1 | head -n 1) ($(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '?'))"
    echo "- rg: $(rg --version 2>/dev/null | head -n 1); python: $("$py" -c 'import sys, networkx; print(sys.version.split()[0], "networkx", networkx.__version__)')"
    echo "- runs per command: $runs (best wall time; peak RSS is the maximum over runs)"
}

# Aliases exactly as the generator and the Python peer read them: field 5, split on
# '|', trimmed, '='/'~' and a trailing {FROM..TO} removed.
extract_aliases() {
    awk -F'\t' '
        /^[ \t]*#/ || /^[ \t\r]*$/ { next }
        NF >= 5 {
            sub(/\r$/, "", $5)
            n = split($5, a, "|")
            for (i = 1; i <= n; i++) {
                s = a[i]; gsub(/^[ \t]+|[ \t]+$/, "", s)
                sub(/^[=~]/, "", s); sub(/\{[^{}]*\}$/, "", s); gsub(/[ \t]+$/, "", s)
                if (s ~ /[[:alnum:]]/ && !(s in seen)) { seen[s] = 1; print s }
            }
        }' "$@"
}

count_aliases() { extract_aliases "$@" | wc -l; }

digest() { cat "$@" | cksum | cut -d' ' -f1; }

# ---------------------------------------------------------------- compile mode

if [[ $mode == compile ]]; then
    tiny=$work/tiny.txt
    printf 'The talks in Geneva ended on Monday. Officials said more meetings would follow.\n' >"$tiny"
    rows=()
    base=""
    for n in $compile_sizes; do
        gz=$cache/synthetic-$n.tsv
        [[ -s $gz ]] || "$gen" --gazetteer "$n" "$gz" 2>/dev/null
        # A tiny document that does mention some of these actors.
        "$gen" --size 4K --doc-min 4K --doc-max 4K --files "$work/tiny-$n" "$gz" 2>/dev/null
        doc=$(find "$work/tiny-$n" -name '*.txt' | head -n 1)
        gbytes=$(stat -c %s "$gz")
        if measure "actornet mentions -g $n" "$actornet" mentions -g "$gz" "$doc"; then
            add_row "actornet mentions -g synthetic-$n.tsv" "$gbytes" "$m_sec" "$m_rss_kb" "$n aliases"
        else
            add_row "actornet mentions -g synthetic-$n.tsv (failed)" "$gbytes" "" "" "$n aliases"
        fi
        if measure "python $n" "$py" "$here/aho_pipeline.py" -g "$gz" "$doc"; then
            add_row "python pyahocorasick (load + build)" "$gbytes" "$m_sec" "$m_rss_kb" "$n aliases"
        else
            add_row "python pyahocorasick (failed)" "$gbytes" "" "" "$n aliases"
        fi
        # rg's default regex size limit (100 MB) refuses ~100k patterns; with the limit
        # raised it needed ~24 s and 3.3 GB for 100k, so 1M would not fit in memory.
        if ((n > 100000)); then
            add_row "rg -F -i -w -f (not run: ~10x the 100k memory)" "$gbytes" "" "" "$n aliases"
            continue
        fi
        extract_aliases "$gz" >"$work/aliases-$n.txt"
        if ok1=1 measure "rg $n" timeout 300 rg --regex-size-limit 8G --dfa-size-limit 1G \
            -F -i -w -f "$work/aliases-$n.txt" -c "$doc"; then
            add_row "rg -F -i -w -f (build; --regex-size-limit raised)" "$gbytes" "$m_sec" "$m_rss_kb" "$n aliases"
        else
            add_row "rg -F -i -w -f (failed or > 300 s)" "$gbytes" "" "" "$n aliases"
        fi
    done
    echo "## Gazetteer load + compile (one 4 KB document scanned)"
    echo
    machine_facts
    echo
    echo "MB is the size of the gazetteer file; seconds include process start-up and the scan of the tiny document."
    echo
    printf '| tool | aliases | gazetteer MB | seconds | peak RSS MB |\n|---|---:|---:|---:|---:|\n'
    for row in "${rows[@]}"; do
        IFS='|' read -r label bytes sec rss men nt <<<"$row"
        if [[ -z $sec ]]; then
            printf '| %s | %s | %.1f | - | - |\n' "$label" "${men% aliases}" "$(echo "$bytes / 1048576" | bc -l)"
        else
            printf '| %s | %s | %.1f | %.3f | %.1f |\n' "$label" "${men% aliases}" \
                "$(echo "$bytes / 1048576" | bc -l)" "$sec" "$(echo "$rss / 1024" | bc -l)"
        fi
    done
    exit 0
fi

# ---------------------------------------------------------------- throughput mode

if ((${#gazetteers[@]} == 0)); then
    gazetteers=("$src/ner/data/default-actors.tsv")
fi
for g in "${gazetteers[@]}"; do [[ -r $g ]] || die "$g: cannot read"; done
n_aliases=$(count_aliases "${gazetteers[@]}")
gaz_note=""
if ((n_aliases < 50)); then
    # The default gazetteer can still be a placeholder; a corpus needs actors.
    syn=$cache/synthetic-2000.tsv
    [[ -s $syn ]] || "$gen" --gazetteer 2000 "$syn" 2>/dev/null
    note "only $n_aliases aliases in ${gazetteers[*]}; using a synthetic 2000-alias gazetteer instead"
    gaz_note=" (the given gazetteer had only $n_aliases aliases; a synthetic 2000-alias one was used)"
    gazetteers=("$syn")
    n_aliases=$(count_aliases "${gazetteers[@]}")
fi

# Gazetteers actornet accepts (detected by trying on a tiny input).
printf 'Nothing to see here.\n' >"$work/probe.txt"
gz_args=()
for g in "${gazetteers[@]}"; do gz_args+=(-g "$g"); done
"$actornet" mentions "${gz_args[@]}" "$work/probe.txt" >/dev/null 2>"$work/probe.err" ||
    die "actornet does not accept ${gazetteers[*]}: $(head -n 3 "$work/probe.err")"

key=$(digest "${gazetteers[@]}" "$here/gen_corpus.c")
corpus=$cache/corpus-$size-$format-$key
if [[ ! -e $corpus.done ]]; then
    rm -rf "$corpus" "$corpus.jsonl"
    note "generating $size corpus ($format) in $corpus ..."
    if [[ $format == files ]]; then
        "$gen" --size "$size" --files "$corpus" "${gazetteers[@]}" 2>"$corpus.log"
    else
        "$gen" --size "$size" --jsonl "$corpus.jsonl" "${gazetteers[@]}" 2>"$corpus.log"
    fi
    touch "$corpus.done"
fi
input=$corpus
[[ $format == jsonl ]] && input=$corpus.jsonl
text_bytes=$(sed -n 's/.*: \([0-9]*\) bytes of text.*/\1/p' "$corpus.log")
[[ -n $text_bytes ]] || die "cannot read the corpus size from $corpus.log"
extract_aliases "${gazetteers[@]}" >"$work/aliases.txt"

q=()
"$actornet" mentions --help 2>&1 | grep -q -- '--quiet' && q=(-q)
jflag=0
"$actornet" map --help 2>&1 | grep -Eq -- '(^|[^-[:alnum:]])-j([ ,=]|$)|--jobs' && jflag=1

note "actornet mentions ..."
measure "actornet mentions" "$actornet" mentions "${q[@]}" "${gz_args[@]}" "$input"
base_sec=$m_sec
"$actornet" mentions "${q[@]}" "${gz_args[@]}" "$input" 2>/dev/null | wc -l >"$work/n"
add_row "actornet mentions" "$text_bytes" "$m_sec" "$m_rss_kb" "$(cat "$work/n")"
base_spmb=$(echo "$base_sec / ($text_bytes / 1048576)" | bc -l)

for j in 1 2; do
    if ((jflag)); then jargs=(-j "$j"); label="actornet map -j $j"; else
        ((j == 1)) || break; jargs=(); label="actornet map"; fi
    note "$label ..."
    measure "$label" "$actornet" map "${q[@]}" "${jargs[@]}" "${gz_args[@]}" \
        -o "$work/x.dot" --report "$work/x.md" "$input" || continue
    add_row "$label (-o x.dot --report x.md)" "$text_bytes" "$m_sec" "$m_rss_kb" "-"
done

if [[ -n ${PHOENIX:-} ]]; then
    read -r -a phx <<<"$PHOENIX"
    pargs=(); for g in "${phx[@]}"; do pargs+=(-g "$g"); done
    if "$actornet" mentions "${pargs[@]}" "$work/probe.txt" >/dev/null 2>&1; then
        note "actornet mentions with Phoenix dictionaries ..."
        measure "actornet mentions (Phoenix)" "$actornet" mentions "${q[@]}" "${pargs[@]}" "$input" &&
            add_row "actornet mentions -g Phoenix (other aliases, same text)" "$text_bytes" "$m_sec" "$m_rss_kb" "-"
    else
        note "actornet does not accept the Phoenix files yet; skipped"
    fi
fi

note "rg ..."
rg_input=$input
ok1=1 measure "rg" rg --regex-size-limit 8G -F -i -w -f "$work/aliases.txt" -c "$rg_input"
rg_lines=$( (rg --regex-size-limit 8G -F -i -w -f "$work/aliases.txt" --count-matches --no-filename "$rg_input" || true) |
    awk '{s += $1} END {print s + 0}')
add_row "rg -F -i -w -f aliases -c (all threads)" "$text_bytes" "$m_sec" "$m_rss_kb" "$rg_lines"
ok1=1 measure "rg -j1" rg -j 1 --regex-size-limit 8G -F -i -w -f "$work/aliases.txt" -c "$rg_input"
add_row "rg -j1 -F -i -w -f aliases -c" "$text_bytes" "$m_sec" "$m_rss_kb" "$rg_lines"

# Python: probe on a prefix first; if the whole corpus would blow the budget, measure
# it on a prefix that fits and say so.
note "python pipeline ..."
probe_bytes=$((16 * 1048576))
((probe_bytes > text_bytes)) && probe_bytes=$text_bytes
py_g=(); for g in "${gazetteers[@]}"; do py_g+=(-g "$g"); done
t0=$(date +%s.%N)
"$py" "$here/aho_pipeline.py" "${py_g[@]}" --max-bytes "$probe_bytes" "$input" >"$work/py.json"
t1=$(date +%s.%N)
est=$(echo "($t1 - $t0) * $text_bytes / $probe_bytes" | bc -l)
py_max=0
py_note=""
if (($(echo "$est * $runs > $py_limit" | bc -l))); then
    py_max=$(echo "$probe_bytes * $py_limit / ($t1 - $t0) / $runs" | bc)
    ((py_max > text_bytes)) && py_max=0
    ((py_max > 0 && py_max < probe_bytes)) && py_max=$probe_bytes
fi
m_out=$work/py.json measure "python" "$py" "$here/aho_pipeline.py" "${py_g[@]}" --max-bytes "$py_max" "$input"
py_bytes=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["bytes"])' "$work/py.json")
py_mentions=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["mentions"])' "$work/py.json")
if ((py_max > 0)); then
    py_note=" [prefix only: est. $(printf '%.0f' "$est") s for all]"
fi
add_row "python pyahocorasick + networkx (sentence graph + pagerank)" "$py_bytes" "$m_sec" "$m_rss_kb" "$py_mentions" "$py_note"

echo "## Throughput, $size corpus ($format)"
echo
machine_facts
echo "- corpus: $(cat "$corpus.log" | sed 's/^gen_corpus: //')$gaz_note"
echo "- gazetteer: ${gazetteers[*]#$src/} ($n_aliases distinct aliases)"
echo
print_table "$base_spmb"
echo
echo "Seconds are wall time including process start-up, gazetteer load and (for map) analysis and rendering."
[[ -n $py_note ]] && echo "The Python pipeline ran on a prefix of the corpus (its MB column) to stay within ${py_limit} s for $runs runs." || true
