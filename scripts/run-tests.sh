#!/bin/bash
# run-tests.sh [SUITE...]: run the bats suites (default: every tests/*.bats,
# then the traffic suites a second time with the libiptc backend),
# keep the TAP output in build/test.tap, and end with one summary line:
# "tests: N passed, N failed, N skipped". Exit status is bats'.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
mkdir -p build
all=0
[ $# -gt 0 ] || { all=1; set -- tests/; }
bats --print-output-on-failure "$@" | tee build/test.tap
rc=${PIPESTATUS[0]}
# Every traffic suite runs against both backends: above with AUTO (nftables
# on this kernel), here again with libiptc, its results marked [iptables].
if [ "$all" = 1 ]; then
	EW_BACKEND=IPTABLES bats --print-output-on-failure tests/traffic_*.bats |
		sed -E 's/^(ok|not ok) ([0-9]+) /\1 \2 [iptables] /' | tee -a build/test.tap
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
fi
awk '/^ok .* # skip/ { s++; next } /^ok / { p++ } /^not ok / { f++ }
	END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' build/test.tap
exit "$rc"
