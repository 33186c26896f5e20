#!/usr/bin/env bats
# fuzz.bats - each libFuzzer target (tests/fuzz/) runs briefly from the
# committed seed corpus, with ASan and UBSan, and finds nothing. Longer
# runs: make fuzz FUZZ_TIME=SECONDS.

load helpers

fuzz_briefly() {
	local t=$1 corpus="$BATS_TEST_TMPDIR/corpus-$1"
	make -s -C "$ROOT" "build/fuzz/fuzz_$t" >/dev/null
	mkdir -p "$corpus"
	run "$ROOT/build/fuzz/fuzz_$t" -max_total_time="${EW_FUZZ_SECONDS:-15}" \
		-artifact_prefix="$BATS_TEST_TMPDIR/" "$corpus" "$ROOT/tests/fuzz/corpus/$t"
	assert_success
	assert_output --partial "Done "
	refute_output --partial "ERROR: AddressSanitizer"
	refute_output --partial "runtime error"
}

@test "the entry parser survives fuzzing, and parse -> format -> parse is stable" {
	fuzz_briefly parse
}

@test "the policy builder survives fuzzing, and every rule round-trips through a kernel entry" {
	fuzz_briefly policy
}

@test "the xtables entry decoder (what verify reads from the kernel) survives arbitrary entry blobs" {
	fuzz_briefly decode
}

@test "the netlink reply parser (nftables dumps) survives arbitrary bytes" {
	fuzz_briefly netlink
}
