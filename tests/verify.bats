#!/usr/bin/env bats
# verify.bats - verify against tables that were changed after apply, in a
# fresh network namespace each: by hand with iptables (inserted, deleted,
# moved rules, a changed policy) and below what iptables shows, through
# libiptc with tests/tools/tamper.c (a zeroed interface mask, a repeated
# match, a multiport storm).
#
# Each tests/verify/NAME.sh runs after `earlywall apply` of
# tests/configs/rpi.config; tests/verify/NAME.expected is what `verify`
# prints then, followed by "exit N". Adding a case means adding two files.

load helpers

# This suite reads the legacy tables: its builds are libiptc-only (helpers.bash).
export EW_BACKEND=IPTABLES

setup_file() {
	local t
	t=$(gcc -dumpmachine)
	ew_build rpi tests/configs/rpi.config
	musl-gcc -static -Os -Wall -Wextra -Werror -std=gnu99 -I"$ROOT/build/libiptc/$t/include" \
		-isystem "$ROOT/build/libiptc/$t/kh" -o "$ROOT/build/t/tamper" \
		"$ROOT/tests/tools/tamper.c" "$ROOT/build/libiptc/$t/lib/libip4tc.a" \
		"$ROOT/build/libiptc/$t/lib/libip6tc.a"
}

setup() {
	EW=$ROOT/build/t/rpi-IPTABLES/earlywall
	export EW TAMPER=$ROOT/build/t/tamper
}

# after CASE [VERIFY-ARGS...]: verify's output and exit status after CASE.
after() {
	local c=$ROOT/tests/verify/$1.sh
	shift
	in_netns bash -c '"$EW" apply 2>/dev/null || exit 99
		. "$1" || exit 98
		shift
		"$EW" verify "$@"
		echo "exit $?"' _ "$c" "$@"
}

@test "verify: every case in tests/verify/ reports exactly its expected difference" {
	local c name failed=0
	for c in "$ROOT"/tests/verify/*.sh; do
		name=$(basename "$c" .sh)
		if ! diff -u "$ROOT/tests/verify/$name.expected" <(after "$name" 2>&1); then
			echo "verify case $name: differs from tests/verify/$name.expected" >&2
			failed=1
		fi
	done
	[ "$failed" = 0 ]
}

@test "verify --json after the recipe's drift: 0 missing, exactly the 2 inserted rules unexpected" {
	run after recipe_insert --json
	assert_line --index 1 "exit 1"
	echo "${lines[0]}" | jq -e '.families[0].missing == [] and .families[0].unexpected ==
		["-A INPUT -s 203.0.113.9/32 -j ACCEPT", "-A OUTPUT -d 203.0.113.9/32 -j ACCEPT"] and
		.families[1].status == "match"'
}

@test "verify and verify --json survive a multiport storm on both families (no crash, exit 1)" {
	run in_netns bash -c '"$EW" apply 2>/dev/null; "$TAMPER" 4 multiport-storm INPUT 5 60 &&
		"$TAMPER" 6 multiport-storm OUTPUT 1 60 || exit 98
		"$EW" verify >/dev/null; echo "text $?"; "$EW" verify --json | jq -e .status; echo "json $?"'
	assert_line "text 1"
	assert_line '"drift"'
	assert_line "json 0"
}

@test "a foreign table listed in FOREIGN_TABLES_EXPECTED is reported as expected and does not fail verify" {
	ew_build verify-expected tests/verify/expected_foreign.config
	run after nat_rewrite
	assert_line "foreign table ip/rewrite: 2 rules, 2 chains, 2 base chains on prerouting,postrouting (expected: FOREIGN_TABLES_EXPECTED)"
	assert_line "foreign table iptables/nat: 1 rules, 0 user chains, 0 policies not ACCEPT (expected: FOREIGN_TABLES_EXPECTED)"
	assert_line "exit 0"
	run after nat_rewrite --json
	echo "${lines[0]}" | jq -e '.status == "match" and (.foreign | length) == 2 and all(.foreign[]; .expected)'
}

@test "verify --json is valid UTF-8 whatever bytes the kernel holds (interface names, log prefixes)" {
	# shellcheck disable=SC2016
	run in_netns bash -c '"$EW" apply 2>/dev/null
		iptables-legacy -A INPUT -i $'"'"'e\xffth'"'"' -j ACCEPT || exit 98
		iptables-legacy -A INPUT -j LOG --log-prefix $'"'"'x\xc3(\x80y'"'"' || exit 98
		"$EW" verify --json >"$1"; echo "exit $?"' _ "$BATS_TEST_TMPDIR/out.json"
	assert_output "exit 1"
	iconv -f UTF-8 -t UTF-8 "$BATS_TEST_TMPDIR/out.json" >/dev/null
	jq -e '.families[0].unexpected == ["-A INPUT -i e\u00ffth -j ACCEPT", "-A INPUT -j LOG --log-prefix \"x\u00c3(\u0080y\""]' "$BATS_TEST_TMPDIR/out.json"
}
