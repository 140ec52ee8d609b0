#!/usr/bin/env bash
# Runs every fuzz target in the repository for FUZZTIME each (default 3m),
# one after another, one worker each (FUZZ_PARALLEL), and stops at the first
# crasher. A crasher is written by `go test` under the package's
# testdata/fuzz/<Target>/; commit it: from then on the normal test run
# replays it as a regression seed. Each target's full output is kept in
# FUZZ_LOGS (default a temporary directory).
#
#   scripts/fuzz.sh                      # every target, 3 minutes each
#   FUZZTIME=30s scripts/fuzz.sh         # a quick pass
#   scripts/fuzz.sh ./flows FuzzParseDate  # one target
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=${FUZZTIME:-3m}
parallel=${FUZZ_PARALLEL:-1}

logs=${FUZZ_LOGS:-$(mktemp -d)}
mkdir -p "$logs"

run() {
	local pkg=$1 target=$2 start log
	start=$(date +%s)
	log=$logs/$(echo "$pkg" | tr / _)_$target.log
	echo "== $pkg $target ($fuzztime)"
	if ! go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -parallel "$parallel" >"$log" 2>&1; then
		tail -n 40 "$log"
		echo "FAIL $pkg $target: see $log; a crasher is under $pkg/testdata/fuzz/$target/" >&2
		return 1
	fi
	echo "ok   $pkg $target in $(($(date +%s) - start)) s: $(grep -o 'execs: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2) execs"
}

if [ $# -eq 2 ]; then
	run "$1" "$2"
	exit
fi

# Every `func FuzzX(` in a _test.go file, with its package directory.
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r f; do
	pkg=./$(dirname "${f#./}")
	grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //' | while read -r t; do
		echo "$pkg $t"
	done
done | while read -r pkg t; do
	run "$pkg" "$t" </dev/null
done
