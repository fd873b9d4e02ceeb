#!/usr/bin/env bash
# Static checks: cppcheck and clang-tidy (config in .clang-tidy) over the library and
# the command. Needs a configured build dir for compile_commands.json.
# Usage: scripts/lint.sh [BUILDDIR]   (default: build-test)
set -euo pipefail
cd "$(dirname "$0")/.."
bdir=${1:-build-test}
[ -f "$bdir/compile_commands.json" ] || meson setup "$bdir" >/dev/null
status=0
echo "== cppcheck"
cppcheck --quiet --enable=warning,performance,portability --std=c11 --inline-suppr \
  -I include -I . -D_POSIX_C_SOURCE=200809L --error-exitcode=1 core ner graph cli || status=1
echo "== clang-tidy"
# One process per file: clang-tidy 14 reports false "uninitialized va_list" findings
# in every file after the first of a multi-file run.
out=$(printf '%s\n' core/*.c ner/*.c graph/*.c cli/*.c |
      xargs -P"$(nproc)" -n1 clang-tidy -p "$bdir" --quiet 2>/dev/null |
      grep -E "^[^ ].*: (warning|error):" | sort -u || true)
if [ -n "$out" ]; then echo "$out"; status=1; fi
[ $status = 0 ] && echo "lint: clean"
exit $status
