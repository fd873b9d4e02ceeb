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
#   --runs N           repetitions per command, best wall time wins (default 3); the
#                      actornet commands run in N rounds of one run each
#   --format F         files (default: one text file per document) or jsonl
#   --limit S          time budget in seconds for all runs of rg and of the Python
#                      pipeline each; beyond it, they run on a prefix of the corpus and
#                      the table says so (default 120)
#   --cache DIR        where corpora and gazetteers are kept (default ${TMPDIR:-/tmp}/actornet-bench)
#   --sizes LIST       compile mode: alias counts (default "10000 100000 1000000")
#   --pairs N          after the rows, run `map -j 1` and `map -j 2` alternately N times
#                      and print each pair's ratio and their median (default 5; 0: no)
#   --cold             empty the page cache before every timed run (sync; echo 3 >
#                      /proc/sys/vm/drop_caches; needs root): corpus, gazetteer and
#                      programs are read from disk, as on a first run over an archive
#   --phoenix DIR      use the Phoenix actor dictionaries DIR/Phoenix.*.actors.txt as the
#                      gazetteer: actornet reads them with -g if it accepts them (detected
#                      by trying), else their conversion to native TSV (bench/phoenix2tsv.py);
#                      the generator, rg and Python always read the conversion
#   -h, --help         this help
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/.." && pwd)

mode=throughput
runs=3
format=files
limit=120
cache=${TMPDIR:-/tmp}/actornet-bench
compile_sizes="10000 100000 1000000"
phoenix=""
pairs=5
cold=0

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; }
die() { echo "run.sh: $*" >&2; exit 1; }
note() { echo "run.sh: $*" >&2; }

args=()
while (($#)); do
    case $1 in
        --compile) mode=compile ;;
        --runs) runs=$2; shift ;;
        --format) format=$2; shift ;;
        --limit|--py-limit) limit=$2; shift ;;
        --cache) cache=$2; shift ;;
        --sizes) compile_sizes=$2; shift ;;
        --phoenix) phoenix=$2; shift ;;
        --pairs) pairs=$2; shift ;;
        --cold) cold=1 ;;
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
[[ $pairs =~ ^[0-9]+$ ]] || die "--pairs must be a number"

actornet=$build/cli/actornet
[[ -x $actornet ]] || die "$actornet not found; build it first (ninja -C $build cli/actornet)"
if ((cold)); then
    [[ -w /proc/sys/vm/drop_caches ]] || die "--cold needs to write /proc/sys/vm/drop_caches (root)"
fi
# drop_caches — with --cold, empty the page cache (outside the timed part of a run).
drop_caches() { ((cold)) || return 0; sync; echo 3 >/proc/sys/vm/drop_caches; }
py=/usr/bin/python3
# The source tree the build was made from (its commit goes into the table's facts).
build_src=$("$py" -c 'import json, sys; print(json.load(open(sys.argv[1]))["directories"]["source"])' \
    "$build/meson-info/meson-info.json" 2>/dev/null || echo "$src")
mkdir -p "$cache"
work=$(mktemp -d "${TMPDIR:-/tmp}/actornet-bench-run.XXXXXX")
trap 'rm -rf "$work"' EXIT
# actornet's compiled gazetteer cache (cli/gzcache.c) in this run's own directory: the
# first actornet run compiles and stores the gazetteer, the timed rows read it back.
# cache_line (after the rows) measures what that saves per run.
export ACTORNET_CACHE_DIR=$work/gzcache

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

# cpu_capacity: how many cores' worth two busy threads get (the same way).
cap_exe=$build/bench/cpu_capacity
if [[ ! -x $cap_exe ]]; then
    cap_exe=$cache/cpu_capacity
    if [[ ! -x $cap_exe || $here/cpu_capacity.c -nt $cap_exe ]]; then
        ${CC:-cc} -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -pthread \
            -o "$cap_exe" "$here/cpu_capacity.c" || die "cannot compile cpu_capacity.c"
    fi
fi
# scan_floor: the library's scan alone over documents in memory (meson-built only: it
# links the library).
floor_exe=$build/bench/scan_floor
# capacity — one line: cpu_capacity's result, or why there is none.
capacity() { "$cap_exe" 2>&1 || echo "not measured (cpu_capacity failed)"; }

have_time=0
[[ -x /usr/bin/time ]] && have_time=1
load_at_start=$(cut -d" " -f1-3 /proc/loadavg)

# measure LABEL CMD... — runs CMD $runs times (stdout to $m_out, default /dev/null), keeps the best wall time and the peak RSS of all runs.
# Sets m_sec, m_rss_kb and m_cpu (least user+sys seconds over the runs). Exit status 1 is accepted for rg (no match).
measure() {
    local label=$1; shift
    local best="" rss=0 cpu="" i t0 t1 el r c st
    for ((i = 0; i < runs; i++)); do
        st=0
        drop_caches
        t0=$(date +%s.%N)
        if ((have_time)); then
            /usr/bin/time -f '%M %U %S' -o "$work/rss" "$@" >"${m_out:-/dev/null}" 2>"$work/stderr" || st=$?
        else
            # No GNU time: let Python's wait4() report the child's ru_maxrss (KiB).
            "$py" -c 'import os,resource,subprocess,sys
p=subprocess.run(sys.argv[2:]); u=resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1],"w").write("%d %f %f" % (u.ru_maxrss, u.ru_utime, u.ru_stime))
sys.exit(p.returncode)' "$work/rss" "$@" >"${m_out:-/dev/null}" 2>"$work/stderr" || st=$?
        fi
        t1=$(date +%s.%N)
        if ((st != 0 && !(st == 1 && ${ok1:-0}))); then
            note "$label failed (exit $st):"; tail -n 5 "$work/stderr" >&2
            return 1
        fi
        el=$(echo "$t1 - $t0" | bc -l)
        read -r r c <<<"$(tail -n 1 "$work/rss" | awk '{ print $1, $2 + $3 }')"
        ((r > rss)) && rss=$r
        if [[ -z $cpu ]] || (($(echo "$c < $cpu" | bc -l))); then cpu=$c; fi
        if [[ -z $best ]] || (($(echo "$el < $best" | bc -l))); then best=$el; fi
    done
    m_sec=$best
    m_rss_kb=$rss
    m_cpu=$cpu
}

rows=()   # "label|bytes|seconds|rss_kb|mentions|note|cpu_seconds"
add_row() { rows+=("$1|$2|$3|$4|$5|${6:-}|${m_cpu:-}"); }

print_table() {
    local base_spmb=$1
    printf '| tool | MB | seconds | MB/s | peak RSS MB | mentions | time/MB vs actornet mentions | CPU s (user+sys) |\n'
    printf '|---|---:|---:|---:|---:|---:|---:|---:|\n'
    local row label bytes sec rss men nt cpu mb mbs ratio
    for row in "${rows[@]}"; do
        IFS='|' read -r label bytes sec rss men nt cpu <<<"$row"
        mb=$(echo "$bytes / 1048576" | bc -l)
        if [[ -z $sec ]]; then
            printf '| %s | %.1f | - | - | - | %s | - | - |\n' "$label$nt" "$mb" "$men"
            continue
        fi
        mbs=$(echo "$mb / $sec" | bc -l)
        if [[ -n $base_spmb ]]; then
            ratio=$(printf '%.2fx' "$(echo "($sec / $mb) / $base_spmb" | bc -l)")
        else
            ratio=-
        fi
        printf '| %s | %.1f | %.3f | %.1f | %.1f | %s | %s | %.2f |\n' "$label$nt" "$mb" "$sec" "$mbs" \
            "$(echo "$rss / 1024" | bc -l)" "$men" "$ratio" "$cpu"
    done
}

machine_facts() {
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- host: $(uname -srm); nproc: $(nproc)"
    echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
    echo "- memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    echo "- actornet: $("$actornet" --version 2>&1 | head -n 1) ($(git -C "$build_src" rev-parse --short HEAD 2>/dev/null || echo '?'); built from $build_src)"
    echo "- rg: $(rg --version 2>/dev/null | head -n 1); python: $("$py" -c 'import sys, networkx; print(sys.version.split()[0], "networkx", networkx.__version__)')"
    echo "- load average at start: $load_at_start (other work on the machine inflates wall time; CPU s is less affected)"
    ((cold == 0)) || echo "- --cold: the page cache was emptied before every timed run (corpus, gazetteer and programs read from disk)"
    echo "- runs per command: $runs (actornet: $runs rounds, each running every actornet command once; best wall time; peak RSS is the maximum and CPU s the minimum over runs)"
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
    # This mode measures the load and compile: never the compiled gazetteer cache.
    nocache=()
    "$actornet" mentions --help 2>&1 | grep -q -- '--no-cache' && nocache=(--no-cache)
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
        if measure "actornet mentions -g $n" "$actornet" mentions "${nocache[@]}" -g "$gz" "$doc"; then
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
    printf '| tool | aliases | gazetteer MB | seconds | peak RSS MB | CPU s |\n|---|---:|---:|---:|---:|---:|\n'
    for row in "${rows[@]}"; do
        IFS='|' read -r label bytes sec rss men nt cpu <<<"$row"
        if [[ -z $sec ]]; then
            printf '| %s | %s | %.1f | - | - | - |\n' "$label" "${men% aliases}" "$(echo "$bytes / 1048576" | bc -l)"
        else
            printf '| %s | %s | %.1f | %.3f | %.1f | %.2f |\n' "$label" "${men% aliases}" \
                "$(echo "$bytes / 1048576" | bc -l)" "$sec" "$(echo "$rss / 1024" | bc -l)" "$cpu"
        fi
    done
    exit 0
fi

# ---------------------------------------------------------------- throughput mode

printf 'Nothing to see here.\n' >"$work/probe.txt"
gz_args=()       # what actornet reads; empty = same as $gazetteers
gz_label=""
if [[ -n $phoenix ]]; then
    ((${#gazetteers[@]} == 0)) || die "--phoenix and GAZETTEER arguments exclude each other"
    phx=("$phoenix"/Phoenix.*.actors.txt)
    [[ -r ${phx[0]} ]] || die "$phoenix: no Phoenix.*.actors.txt files"
    conv=$cache/phoenix-$(digest "${phx[@]}" "$here/phoenix2tsv.py").tsv
    [[ -s $conv ]] || "$py" "$here/phoenix2tsv.py" "${phx[@]}" >"$conv"
    gazetteers=("$conv")
    for g in "${phx[@]}"; do gz_args+=(-g "$g"); done
    if "$actornet" mentions "${gz_args[@]}" "$work/probe.txt" >/dev/null 2>"$work/probe.err"; then
        gz_label="actornet read the Phoenix files themselves (${phx[*]##*/}); the others read their conversion"
    else
        note "actornet does not accept the Phoenix files ($(head -n 1 "$work/probe.err")); using their TSV conversion"
        gz_label="actornet does not read Phoenix files yet: everyone read the TSV conversion"
        gz_args=()
    fi
fi
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

if ((${#gz_args[@]} == 0)); then
    for g in "${gazetteers[@]}"; do gz_args+=(-g "$g"); done
fi
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
# Read the corpus once so that the first measured command does not pay for the disk
# while the others find it in the page cache (with --runs 1 the first row of a 1 GB
# run was 1.3-1.5x slower than its CPU time for that reason alone).
note "reading the corpus once (page cache) ..."
find "$input" -type f -exec cat {} + >/dev/null
[[ -n $text_bytes ]] || die "cannot read the corpus size from $corpus.log"
extract_aliases "${gazetteers[@]}" >"$work/aliases.txt"

note "two-core capacity ..."
cap_before=$(capacity)

q=()
"$actornet" mentions --help 2>&1 | grep -q -- '--quiet' && q=(-q)
jflag=0
"$actornet" map --help 2>&1 | grep -Eq -- '(^|[^-[:alnum:]])-j([ ,=]|$)|--jobs' && jflag=1

# The actornet rows. They are measured in rounds: each round runs every command once,
# so each command's best of $runs samples $runs moments. On a shared VM whose speed
# drifts over minutes, $runs runs of one command in a row all fell into the same
# minute, and a ratio between two rows compared two moments.
# The reference row comes first: one core (-j 1), as the matcher target is stated per core.
a_label=() a_kind=() a_j=() a_best=() a_rss=() a_cpu=() a_ok=()
add_cmd() { a_label+=("$1"); a_kind+=("$2"); a_j+=("$3"); a_best+=(""); a_rss+=(0); a_cpu+=(""); a_ok+=(1); }
# a_cmd I — sets cmd=(...) to command I's command line.
a_cmd() {
    local k=${a_kind[$1]} j=${a_j[$1]}
    cmd=("$actornet" "$k" "${q[@]}")
    [[ -z $j ]] || cmd+=(-j "$j")
    cmd+=("${gz_args[@]}")
    case $k in
        count) cmd+=(-o "$work/x.counts") ;;
        map) cmd+=(-o "$work/x.dot" --report "$work/x.md") ;;
    esac
    cmd+=("$input")
}
if ((jflag)); then
    add_cmd "actornet mentions -j 1" mentions 1
    add_cmd "actornet mentions -j 2" mentions 2
else
    add_cmd "actornet mentions" mentions ""
fi
if "$actornet" count --help >/dev/null 2>&1; then
    add_cmd "actornet count -j 1 (-o x.counts)" count 1
    add_cmd "actornet count -j 2 (-o x.counts)" count 2
fi
if ((jflag)); then
    add_cmd "actornet map -j 1 (-o x.dot --report x.md)" map 1
    map_j1=$((${#a_label[@]} - 1))
    add_cmd "actornet map -j 2 (-o x.dot --report x.md)" map 2
    map_j2=$((${#a_label[@]} - 1))
else
    add_cmd "actornet map (-o x.dot --report x.md)" map ""
fi
# floor_round — one scan_floor pass into floor_best/floor_out, the fastest so far:
# one in every round, so that the floor is sampled as often and in the same minutes as
# the rows it is compared with (its passes differ by up to 20 % on this kind of VM, so
# a best of more passes would flatter it).
floor_best="" floor_out="" floor_err=""
floor_round() {
    [[ -x $floor_exe ]] || return 0
    local out sec
    if ! out=$("$floor_exe" "${gz_args[@]}" --runs 1 --max-mb 128 "$input" 2>"$work/floor.err"); then
        floor_err=$(head -n 1 "$work/floor.err")
        return 0
    fi
    sec=${out#*seconds=}
    sec=${sec%% *}
    if [[ -z $floor_best ]] || (($(echo "$sec < $floor_best" | bc -l))); then
        floor_best=$sec
        floor_out=$out
    fi
}
saved_runs=$runs
for ((round = 1; round <= saved_runs; round++)); do
    note "actornet rows, round $round of $saved_runs ..."
    floor_round
    runs=1
    for i in "${!a_label[@]}"; do
        ((a_ok[i])) || continue
        a_cmd "$i"
        if ! measure "${a_label[$i]}" "${cmd[@]}"; then
            a_ok[i]=0
            continue
        fi
        ((m_rss_kb > a_rss[i])) && a_rss[i]=$m_rss_kb
        if [[ -z ${a_best[$i]} ]] || (($(echo "$m_sec < ${a_best[$i]}" | bc -l))); then
            a_best[i]=$m_sec
        fi
        if [[ -z ${a_cpu[$i]} ]] || (($(echo "$m_cpu < ${a_cpu[$i]}" | bc -l))); then
            a_cpu[i]=$m_cpu
        fi
    done
    runs=$saved_runs
done
((a_ok[0])) || die "actornet mentions failed"
a_cmd 0
"${cmd[@]}" 2>/dev/null | wc -l >"$work/n"
base_sec=${a_best[0]}
base_spmb=$(echo "$base_sec / ($text_bytes / 1048576)" | bc -l)
for i in "${!a_label[@]}"; do
    ((a_ok[i])) || continue
    men="-"
    [[ ${a_kind[$i]} != mentions ]] || men=$(cat "$work/n")
    m_cpu=${a_cpu[$i]}
    add_row "${a_label[$i]}" "$text_bytes" "${a_best[$i]}" "${a_rss[$i]}" "$men"
done

# The scan floor (floor_round, in the rounds above): an_matcher_scan alone, one thread,
# over (at most 128 MiB of) the corpus held in memory: no reading, counting, analysis
# or output.
# Every actornet command does at least this per byte; the line after the table says
# how close each map row comes to it.
floor_line="" floor_mbs=""
if [[ -x $floor_exe ]]; then
    if [[ -n $floor_out && $floor_out != *" tokens=0 "* && $floor_best != 0.000000 ]]; then
        fl=$floor_out
        f_bytes=${fl#*bytes=}; f_bytes=${f_bytes%% *}
        f_tok=${fl#*tokens=}; f_tok=${f_tok%% *}
        f_sec=${fl#*seconds=}; f_sec=${f_sec%% *}
        floor_mbs=$(echo "$f_bytes / 1048576 / $f_sec" | bc -l)
        floor_line="Scan floor (bench/scan_floor: an_matcher_scan alone on one thread over $(printf '%.1f' "$(echo "$f_bytes / 1048576" | bc -l)") MB of the corpus held in memory, best of one pass in each of the $runs rounds; no reading, counting, analysis or output): **$(printf '%.1f' "$floor_mbs") MB/s**, $(printf '%.2f' "$(echo "$f_sec * 1000000000 / $f_tok" | bc -l)") ns per token ($f_tok tokens)."
        for i in "${!a_label[@]}"; do
            ((a_ok[i])) && [[ ${a_kind[$i]} == map ]] || continue
            j=${a_j[$i]:-1}
            mbs=$(echo "$text_bytes / 1048576 / ${a_best[$i]}" | bc -l)
            floor_line+=" ${a_label[$i]%% (*} ran at $(printf '%.0f' "$(echo "100 * $mbs / ($j * $floor_mbs)" | bc -l)") % of $( ((j == 1)) && echo "the floor's speed" || echo "$j times the floor's speed")."
        done
    else
        floor_line="Scan floor: not measured (${floor_err:-no tokens in the documents it read})."
    fi
fi

# prefix_input BYTES — sets p_input/p_bytes to the first documents of the corpus holding
# at least BYTES of text (the whole corpus when BYTES is 0 or too large). Files mode
# hard-links (or copies) the first files into a directory, JSONL mode takes first lines.
prefix_input() {
    local want=$1
    if ((want <= 0 || want >= text_bytes)); then
        p_input=$input; p_bytes=$text_bytes; return 0
    fi
    local dir=$work/prefix-$want
    rm -rf "$dir" "$dir.jsonl"
    if [[ $format == files ]]; then
        mkdir -p "$dir"
        find "$corpus" -type f -name '*.txt' -printf '%P %s\n' | LC_ALL=C sort |
            awk -v want="$want" '{ print $1; n += $2; if (n >= want) exit }' >"$dir.list"
        p_bytes=0
        local f sz
        while IFS= read -r f; do
            mkdir -p "$dir/${f%/*}"
            ln "$corpus/$f" "$dir/$f" 2>/dev/null || cp "$corpus/$f" "$dir/$f"
        done <"$dir.list"
        p_bytes=$(find "$dir" -type f -printf '%s\n' | awk '{ n += $1 } END { print n + 0 }')
        p_input=$dir
    else
        awk -v want="$want" '{ print; n += length($0) + 1; if (n >= want) exit }' "$input" >"$dir.jsonl"
        # JSON framing and escapes are a few bytes per document: scale by the whole file.
        p_bytes=$(echo "$(stat -c %s "$dir.jsonl") * $text_bytes / $(stat -c %s "$input")" | bc)
        p_input=$dir.jsonl
    fi
}

# budgeted LABEL PROBE_BYTES CMD... (the argument @INPUT@ stands for the input)
# Times one run on the first document and one on a PROBE_BYTES prefix: the first gives
# the fixed cost (start-up, pattern compile), the difference the cost per byte. If
# $runs runs on the whole corpus would take more than $limit seconds, measures on a
# prefix that fits instead. Sets m_sec, m_rss_kb, b_bytes (text bytes scanned), b_note.
probe_run() { # BYTES CMD... -> sets pr_sec, pr_bytes; fails on timeout
    local cmd=() a t0 t1 st=0
    prefix_input "$1"; shift
    for a in "$@"; do [[ $a == @INPUT@ ]] && cmd+=("$p_input") || cmd+=("$a"); done
    drop_caches # with --cold the probes, too, read from disk
    t0=$(date +%s.%N)
    timeout "$limit" "${cmd[@]}" >/dev/null 2>&1 || st=$?
    t1=$(date +%s.%N)
    ((st != 124)) || return 1
    pr_sec=$(echo "$t1 - $t0" | bc -l)
    pr_bytes=$p_bytes
}

budgeted() { # fails with b_why set to why the row has no figures
    local label=$1 probe=$2; shift 2
    local cmd=() a est want t_a b_a per
    b_why="over $limit s"
    if ! probe_run 1 "$@" || ! { t_a=$pr_sec; b_a=$pr_bytes; probe_run "$probe" "$@"; }; then
        note "$label: more than $limit s on a probe; not measured"
        return 1
    fi
    per=$(echo "x = ($pr_sec - $t_a) / ($pr_bytes - $b_a + 1); if (x < 0) x = 0; x" | bc -l)
    est=$(echo "$t_a + $per * ($text_bytes - $b_a)" | bc -l)
    b_note=""
    want=0
    if (($(echo "$est * $runs > $limit" | bc -l))); then
        if (($(echo "$per > 0" | bc -l))); then
            want=$(echo "$b_a + ($limit / $runs - $t_a) / $per" | bc)
        else
            want=$pr_bytes
        fi
        ((want < pr_bytes)) && want=$pr_bytes
        b_note=" [prefix: all $((text_bytes / 1048576)) MB would take ~$(printf '%.0f' "$est") s per run]"
        note "$label: estimated $(printf '%.0f' "$est") s per run on the whole corpus; measuring a prefix"
    fi
    prefix_input "$want"
    for a in "$@"; do [[ $a == @INPUT@ ]] && cmd+=("$p_input") || cmd+=("$a"); done
    b_why="failed; its error is on stderr"
    measure "$label" "${cmd[@]}" || return 1
    b_bytes=$p_bytes
}

rg_args=(--regex-size-limit 8G -F -i -w -f "$work/aliases.txt" -c @INPUT@)
for rj in "" 1; do
    if [[ -z $rj ]]; then label="rg -F -i -w -f aliases -c (all threads)"; jargs=(); else
        label="rg -j1 -F -i -w -f aliases -c"; jargs=(-j 1); fi
    note "$label ..."
    if ok1=1 m_out=$work/rg.out budgeted "$label" $((8 * 1048576)) rg "${jargs[@]}" "${rg_args[@]}"; then
        # -c prints matching lines per file, not matches: say so in the column.
        rg_lines=$(awk -F: '{ s += $NF } END { print s + 0 }' "$work/rg.out")
        add_row "$label" "$b_bytes" "$m_sec" "$m_rss_kb" "$rg_lines lines" "$b_note"
    else
        add_row "$label" "$text_bytes" "" "" "-" " [not measured: $b_why]"
    fi
done

note "python pipeline ..."
py_g=(); for g in "${gazetteers[@]}"; do py_g+=(-g "$g"); done
if m_out=$work/py.json budgeted "python" $((16 * 1048576)) "$py" "$here/aho_pipeline.py" "${py_g[@]}" @INPUT@; then
    py_bytes=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["bytes"])' "$work/py.json")
    py_mentions=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["mentions"])' "$work/py.json")
    add_row "python pyahocorasick + networkx (sentence graph + pagerank)" "$py_bytes" "$m_sec" "$m_rss_kb" "$py_mentions" "$b_note"
    py_mbs=$(echo "$py_bytes / 1048576 / $m_sec" | bc -l)
else
    add_row "python pyahocorasick + networkx" "$text_bytes" "" "" "-" " [not measured: $b_why]"
fi

# Interleaved pairs: on a shared VM the speed drifts over minutes, and a row's best
# round may come from another minute than the other row's, so their -j 2 / -j 1 ratio
# can mix two moments. A pair runs -j 1 and -j 2 back to back (the order alternating);
# its ratio is taken within seconds, and the median of the pairs' ratios is printed
# beside the rows' one.
pair_line=""
if ((jflag && pairs > 0)); then
    note "map -j 1 / -j 2, $pairs interleaved pairs ..."
    ratios=()
    saved_runs=$runs
    runs=1
    for ((p = 0; p < pairs; p++)); do
        for j in $( ((p % 2)) && echo "2 1" || echo "1 2"); do
            if ((j == 1)); then a_cmd "$map_j1"; else a_cmd "$map_j2"; fi
            measure "map -j $j" "${cmd[@]}" || break 2
            if ((j == 1)); then t1=$m_sec; else t2=$m_sec; fi
        done
        ratios+=("$(echo "$t1 / $t2" | bc -l)")
    done
    runs=$saved_runs
    if ((${#ratios[@]} == pairs)); then
        sorted=$(printf '%s\n' "${ratios[@]}" | sort -g)
        median=$(echo "$sorted" | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m }')
        list=$(printf '%s\n' "${ratios[@]}" | awk '{ printf "%s%.2f", (NR > 1 ? ", " : ""), $1 }')
        pair_line="map -j 2 against -j 1 in $pairs interleaved pairs (each pair back to back, order alternating): median **${median}x** (pairs: $list)."
    fi
fi

# Where a map run spends its time: one more run of each map row with --timings.
phase_lines=()
if ((jflag)) && "$actornet" map --help 2>&1 | grep -q -- '--timings'; then
    note "map with --timings ..."
    for i in "$map_j1" "$map_j2"; do
        ((a_ok[i])) || continue
        a_cmd "$i"
        if "${cmd[@]}" --timings >/dev/null 2>"$work/timings.err"; then
            phase_lines+=("${a_label[$i]%% (*}: $(tail -n 1 "$work/timings.err" | sed 's/^actornet: timings: //')")
        fi
    done
fi

note "two-core capacity ..."
cap_after=$(capacity)

# The fixed cost of the gazetteer with and without the compiled cache: count on a
# one-line document, 7 interleaved runs each, medians.
cache_line=""
if "$actornet" count --help 2>&1 | grep -q -- '--no-cache'; then
    note "gazetteer cache: 7 interleaved runs with and without ..."
    c_with=() c_without=()
    for ((i = 0; i < 7; i++)); do
        for mode in with without; do
            extra=()
            [[ $mode == with ]] || extra=(--no-cache)
            t0=$(date +%s.%N)
            "$actornet" count "${q[@]}" -j 1 "${extra[@]}" "${gz_args[@]}" -o "$work/probe.counts" \
                "$work/probe.txt" >/dev/null 2>&1
            t1=$(date +%s.%N)
            if [[ $mode == with ]]; then c_with+=("$(echo "$t1 - $t0" | bc -l)"); else c_without+=("$(echo "$t1 - $t0" | bc -l)"); fi
        done
    done
    med() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] * 1000 }'; }
    cache_line="Compiled gazetteer cache: the actornet rows ran with it (the first run compiled and stored the gazetteer). A run on a one-line document took $(med "${c_without[@]}") ms with --no-cache (load and compile) and $(med "${c_with[@]}") ms reading it back (medians of 7 interleaved runs)."
fi

echo "## Throughput, $size corpus ($format)"
echo
machine_facts
echo "- two-core capacity (bench/cpu_capacity.c: a CPU-bound loop alone, then on two threads at once): before the rows $cap_before; after them $cap_after. No -j 2 / -j 1 ratio can exceed it by much."
echo "- corpus: $(sed 's/^gen_corpus: //' "$corpus.log")$gaz_note"
echo "- gazetteer: ${gazetteers[*]#$src/} ($n_aliases distinct aliases)"
[[ -z $gz_label ]] || echo "- $gz_label"
echo
print_table "$base_spmb"
echo
echo "Seconds are wall time including process start-up and gazetteer load (and, for map, analysis and rendering)."
echo "A [prefix] row ran on the first documents of the corpus (its MB column) so that $runs runs fit in $limit s; MB/s and the ratio are per MB."
echo "rg -c counts matching lines, not matches; rg folds case for every alias and has no leftmost-longest rule, so its count differs."
[[ -z $pair_line ]] || { echo; echo "$pair_line"; }
[[ -z $cache_line ]] || { echo; echo "$cache_line"; }
if ((${#phase_lines[@]})); then
    echo
    echo "Phases (one more run each, \`--timings\`; the clock starts in main):"
    echo
    for l in "${phase_lines[@]}"; do echo "- $l"; done
fi
if [[ -n $floor_line ]]; then
    if [[ -n $floor_mbs && -n ${py_mbs:-} ]]; then
        floor_line+=" Thirty times the Python pipeline would be $(printf '%.1f' "$(echo "30 * $py_mbs" | bc -l)") MB/s, $(printf '%.0f' "$(echo "100 * 30 * $py_mbs / (2 * $floor_mbs)" | bc -l)") % of 2 times the floor's speed."
    fi
    echo
    echo "$floor_line"
fi
# The map renderer on a generated 2,000-actor graph with default settings
# (tests/render/bench_render; ninja -C BUILD tests/render/bench_render builds it).
if [[ -x $build/tests/render/bench_render ]]; then
    echo
    echo "Rendering (best of 3): $(for i in 1 2 3; do "$build/tests/render/bench_render"; done 2>&1 |
        sort -t' ' -k7 -n | head -n 1)"
fi
