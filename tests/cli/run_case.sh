#!/usr/bin/env bash
# Runs one CLI case: tests/cli/cases/NAME.case (bash, sets args=(...), expect_rc,
# optional stdin=FILE, optional check() run afterwards in the work dir) and compares
# stdout / stderr with cases/NAME.stdout / NAME.stderr when those golden files exist.
# A case that this machine cannot show calls skip REASON while it is read (exit 77,
# which meson counts as skipped, not passed).
# AN_UPDATE_GOLDEN=1 rewrites the golden files instead.
# Usage: run_case.sh ACTORNET CASE
set -uo pipefail
exe=$(realpath "$1"); name=$2
here=$(cd "$(dirname "$0")" && pwd)
case_file="$here/cases/$name.case"
work=$(mktemp -d)
# (if output-rename-fails stops before its check, its immutable file would stay)
trap 'rm -rf "$work" 2>/dev/null || { chattr -R -i "$work" 2>/dev/null; rm -rf "$work"; }' EXIT
# Inputs are referred to relative to tests/cli/data so messages are stable.
cp -r "$here/data/." "$work/"
cd "$work"
args=(); expect_rc=0; stdin=/dev/null
check() { :; }
skip() { echo "skip $name: $*"; exit 77; }
# shellcheck source=/dev/null
. "$case_file"
"$exe" "${args[@]}" <"$stdin" >"$work/.stdout" 2>"$work/.stderr"
rc=$?
fail=0
if [ "$rc" != "$expect_rc" ]; then
  echo "FAIL $name: exit code $rc, expected $expect_rc"; fail=1
fi
for stream in stdout stderr; do
  golden="$here/cases/$name.$stream"
  if [ "${AN_UPDATE_GOLDEN:-}" = 1 ] && { [ -f "$golden" ] || [ -s "$work/.$stream" ]; }; then
    cp "$work/.$stream" "$golden"
  elif [ -f "$golden" ]; then
    if ! diff -u "$golden" "$work/.$stream"; then
      echo "FAIL $name: $stream differs from $golden"; fail=1
    fi
  fi
done
if ! check; then echo "FAIL $name: check failed"; fail=1; fi
if [ $fail != 0 ]; then
  echo "--- stderr was:"; cat "$work/.stderr"
  exit 1
fi
echo "ok $name"
