#!/usr/bin/env bats
# bad_configs.bats - every tests/configs/bad/NAME.config fails the build at
# the generator, printing every line of tests/configs/bad/NAME.expected
# (whole lines, exactly) and leaving no generated file behind.
# Adding a case means adding those two files; no code.

load /usr/lib/bats/bats-support/load.bash
load /usr/lib/bats/bats-assert/load.bash

BAD_DIR=tests/configs/bad
MIN_CASES=25

setup() {
	cd "$BATS_TEST_DIRNAME/.." || return 1
}

# bad_case NAME: build tests/configs/bad/NAME.config into build/t/bad/NAME.
# Prints a report and returns 1 when the case does not behave as expected.
bad_case() {
	local name=$1 out="build/t/bad/$1" config="$BAD_DIR/$1.config"
	local expected="$BAD_DIR/$1.expected" log rc line problems=()

	# A fresh directory, so that nothing left over from an earlier run
	# can make the generator step look up to date (or its outputs exist).
	rm -rf "$out"
	mkdir -p "$out"
	log="$out.log"
	# Only the generator step: it is where a bad entry must stop the build.
	make --no-print-directory O="$out" CONFIG="$config" \
		"$out/gen/policy_table.c" >"$log" 2>&1
	rc=$?

	[ "$rc" -ne 0 ] || problems+=("the build succeeded (exit 0)")
	if [ ! -s "$expected" ]; then
		problems+=("$expected is missing or empty")
	else
		while IFS= read -r line || [ -n "$line" ]; do
			grep -Fxq -- "$line" "$log" || problems+=("missing line: $line")
		done <"$expected"
	fi
	[ ! -e "$out/gen/policy_table.c" ] || problems+=("$out/gen/policy_table.c was left behind")
	[ ! -e "$out/gen/config.h" ] || problems+=("$out/gen/config.h was left behind")

	[ "${#problems[@]}" -eq 0 ] && return 0
	{
		echo "=== bad case $name (exit $rc)"
		printf '  problem: %s\n' "${problems[@]}"
		echo "  expected lines:"
		sed 's/^/    /' "$expected" 2>/dev/null
		echo "  the build printed:"
		sed 's/^/    /' "$log"
	} >&2
	return 1
}

@test "every bad config fails the build with its message" {
	local config name count=0 failed=()

	for config in "$BAD_DIR"/*.config; do
		[ -e "$config" ] || continue
		name=$(basename "$config" .config)
		count=$((count + 1))
		bad_case "$name" || failed+=("$name")
	done
	if [ "$count" -lt "$MIN_CASES" ]; then
		fail "only $count cases in $BAD_DIR, expected at least $MIN_CASES"
	fi
	if [ "${#failed[@]}" -ne 0 ]; then
		fail "${#failed[@]} of $count bad configs did not fail as expected: ${failed[*]}"
	fi
}

@test "every bad case has both its .config and its .expected" {
	local f missing=()

	for f in "$BAD_DIR"/*.config "$BAD_DIR"/*.expected; do
		[ -e "$f" ] || continue
		[ -e "${f%.*}.config" ] || missing+=("${f%.*}.config")
		[ -e "${f%.*}.expected" ] || missing+=("${f%.*}.expected")
	done
	[ "${#missing[@]}" -eq 0 ] || fail "missing: ${missing[*]}"
}

@test "a known-good config passes the generator" {
	rm -rf build/t/bad/good
	run make --no-print-directory O=build/t/bad/good \
		CONFIG=board/rpi/rpi_defconfig build/t/bad/good/gen/policy_table.c
	assert_success
	refute_output --partial "error"
	[ -s build/t/bad/good/gen/policy_table.c ]
	[ -s build/t/bad/good/gen/config.h ]
}
