#!/bin/bash
# run-tests.sh [SUITE...]: run the bats suites (default: every tests/*.bats),
# keep the TAP output in build/test.tap, and end with one summary line:
# "tests: N passed, N failed, N skipped". Exit status is bats'.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
mkdir -p build
[ $# -gt 0 ] || set -- tests/
bats --print-output-on-failure "$@" | tee build/test.tap
rc=${PIPESTATUS[0]}
awk '/^ok .* # skip/ { s++; next } /^ok / { p++ } /^not ok / { f++ }
	END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' build/test.tap
exit "$rc"
