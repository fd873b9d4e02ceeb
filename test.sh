#!/usr/bin/env bash
# Second command of the README (and what CI runs): install what is missing, build,
# run the fast test suites, then the same suites under AddressSanitizer + UBSan and
# under ThreadSanitizer.
#   ./test.sh            fast suites + sanitizer pass
#   ./test.sh --fast     fast suites only
#   ./test.sh --slow     also the opt-in 'slow' suite
set -euo pipefail
cd "$(dirname "$0")"
mode=${1:-}
scripts/deps.sh test

suites=(--suite input --suite ner --suite graph --suite render --suite cli --suite hostile)
[ "$mode" = --slow ] && suites+=(--suite slow)

total_ok=0 total_fail=0 total_skip=0
run_suite() { # builddir label
  local dir=$1 label=$2 log
  log=$(mktemp)
  set +e
  meson test -C "$dir" "${suites[@]}" --print-errorlogs --num-processes 2 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  local ok fail skip
  ok=$(awk '/^Ok:/{print $2}' "$log"); fail=$(awk '/^Fail:/{print $2}' "$log")
  skip=$(awk '/^Skipped:/{print $2}' "$log")
  local xpass timeout
  xpass=$(awk '/^Unexpected Pass:/{print $3}' "$log"); timeout=$(awk '/^Timeout:/{print $2}' "$log")
  total_ok=$((total_ok + ${ok:-0})); total_fail=$((total_fail + ${fail:-0} + ${xpass:-0} + ${timeout:-0}))
  total_skip=$((total_skip + ${skip:-0}))
  rm -f "$log"
  echo "== $label: exit $rc"
  return "$rc"
}

status=0
quiet() { # run a command, show its output only when it fails
  local log; log=$(mktemp)
  "$@" >"$log" 2>&1 || { cat "$log"; rm -f "$log"; exit 1; }
  rm -f "$log"
}
[ -f build-test/build.ninja ] || quiet meson setup build-test -Dwerror=true
quiet meson compile -C build-test
run_suite build-test "tests" || status=1

# The redistributable variant without Graphviz (docs/design.md, "Licences") must build,
# link no Graphviz library, and still write the outputs that do not need a map.
[ -f build-nogv/build.ninja ] || quiet meson setup build-nogv -Dgraphviz=disabled -Dwerror=true
quiet ninja -C build-nogv cli/actornet
if ldd build-nogv/libactornet.so | grep -qE "libgvc|libcgraph"; then
  echo "FAIL: -Dgraphviz=disabled build links Graphviz"; total_fail=$((total_fail + 1)); status=1
elif ! build-nogv/cli/actornet map -q examples/news -o build-nogv/x.graphml -o build-nogv/x.html \
     --report build-nogv/x.md; then
  echo "FAIL: -Dgraphviz=disabled build cannot write reports"; total_fail=$((total_fail + 1)); status=1
else
  echo "ok: -Dgraphviz=disabled build links no Graphviz and writes reports"; total_ok=$((total_ok + 1))
fi

if [ "$mode" != --fast ]; then
  # Sanitizer pass: same suites, ASan + UBSan, Graphviz's own leaks suppressed narrowly.
  [ -f build-asan/build.ninja ] || quiet meson setup build-asan -Dwerror=true \
      -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debug
  quiet meson compile -C build-asan
  export ASAN_OPTIONS=fast_unwind_on_malloc=0:detect_leaks=1:abort_on_error=0
  export LSAN_OPTIONS=suppressions=$PWD/tests/graphviz.lsan.supp:print_suppressions=0
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  run_suite build-asan "tests under ASan+UBSan" || status=1

  # ThreadSanitizer pass: the worker threads (-j) and the output thread of map. A
  # report makes the process exit with 66, which fails the test.
  [ -f build-tsan/build.ninja ] || quiet meson setup build-tsan -Dwerror=true \
      -Db_sanitize=thread -Db_lundef=false --buildtype=debugoptimized
  quiet meson compile -C build-tsan
  export TSAN_OPTIONS=suppressions=$PWD/tests/tsan.supp:symbolize=0
  run_suite build-tsan "tests under TSan" || status=1
fi

echo "test: ${total_ok} passed, ${total_fail} failed, ${total_skip} skipped"
exit "$status"
