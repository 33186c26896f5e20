#!/usr/bin/env bats
# kernel.bats - earlywall against the real kernel netfilter, each case in a
# fresh network namespace: the print/apply contract, one transaction per
# family, verify, revert, and failed commits that change nothing.

load helpers

# This suite reads the legacy tables: its builds are libiptc-only (helpers.bash).
export EW_BACKEND=IPTABLES

# Apply NAME's policy in a fresh netns; print what the kernel then holds.
applied_tables() {
	in_netns bash -c '"$1" apply && "$TABLES"' _ "$EW"
}

@test "contract: after apply the kernel holds exactly what print shows, for every golden config" {
	local name failed=0
	for name in $(golden_names); do
		ew_build "$name" "tests/configs/$name.config"
		if ! diff -u <("$EW" print) <(applied_tables); then
			echo "contract broken for $name" >&2
			failed=1
		fi
	done
	[ "$failed" = 0 ]
}

@test "apply replaces whatever was there before, user chains included" {
	ew_build rpi tests/configs/rpi.config
	run in_netns bash -c '
		iptables-legacy -N junk && iptables-legacy -A INPUT -j junk &&
		iptables-legacy -A junk -s 203.0.113.9 -j ACCEPT &&
		ip6tables-legacy -A INPUT -j ACCEPT && ip6tables-legacy -P OUTPUT ACCEPT &&
		"$1" apply && "$TABLES"' _ "$EW"
	assert_success
	diff -u <("$EW" print) <(printf '%s\n' "${lines[@]}" | grep -v '^earlywall: ')
}

@test "one transaction: apply makes exactly one SET_REPLACE per family" {
	ew_build ipv6_filter tests/configs/ipv6_filter.config
	local log="$BATS_TEST_TMPDIR/strace.log"
	in_netns strace -f -e trace=setsockopt -o "$log" "$EW" apply
	run grep -c 'IPT_SO_SET_REPLACE' "$log"
	assert_output 1
	run grep -c 'IP6T_SO_SET_REPLACE' "$log"
	assert_output 1
}

@test "verify exits 0 right after apply and 1 with the difference after a rule is added" {
	ew_build rpi tests/configs/rpi.config
	run in_netns bash -c '"$1" apply && "$1" verify' _ "$EW"
	assert_success
	assert_line "IPv4: the live table matches the compiled policy"
	assert_line "IPv6: the live table matches the compiled policy"
	run in_netns bash -c '"$1" apply && iptables-legacy -I INPUT 3 -s 203.0.113.9 -j ACCEPT && "$1" verify' _ "$EW"
	assert_failure 1
	assert_line "IPv4: drift (- compiled policy, + live kernel table)"
	assert_line "+ -A INPUT -s 203.0.113.9/32 -j ACCEPT"
	assert_line "IPv6: the live table matches the compiled policy"
}

@test "verify shows a deleted rule, a policy flipped to ACCEPT and a flushed IPv6 table" {
	ew_build rpi tests/configs/rpi.config
	run in_netns bash -c '"$1" apply && iptables-legacy -D INPUT -i lo -j ACCEPT &&
		iptables-legacy -P OUTPUT ACCEPT && ip6tables-legacy -F && "$1" verify' _ "$EW"
	assert_failure 1
	assert_line "- -A INPUT -i lo -j ACCEPT"
	assert_line "- :OUTPUT DROP [0:0]"
	assert_line "+ :OUTPUT ACCEPT [0:0]"
	assert_line "- -A INPUT -s ::1/128 -j DROP"
}

@test "verify reports rules it cannot read as drift" {
	ew_build rpi tests/configs/rpi.config
	run in_netns bash -c '"$1" apply && iptables-legacy -A OUTPUT -m mark --mark 7 -j ACCEPT && "$1" verify' _ "$EW"
	assert_failure 1
	assert_line --partial '+ -A OUTPUT (a rule earlywall does not understand: match "mark"; its bytes from offset 112: 30006d61726b00'
}

@test "revert opens everything, and verify then reports the drift" {
	ew_build ports_and_protocols tests/configs/ports_and_protocols.config
	run in_netns bash -c '"$1" apply && "$1" revert && "$TABLES" && "$1" verify' _ "$EW"
	assert_failure 1
	assert_line ":INPUT ACCEPT [0:0]"
	assert_line ":OUTPUT ACCEPT [0:0]"
	refute_line --regexp '^-A '
	assert_line "+ :INPUT ACCEPT [0:0]"
}

@test "revert does not exist in a build without REVERT" {
	ew_build rpi tests/configs/rpi.config
	run in_netns bash -c '"$1" apply && "$1" revert; echo "rc=$?"; "$TABLES" 4' _ "$EW"
	assert_line "rc=2"
	assert_line ":INPUT DROP [0:0]"
	run "$EW" --help
	refute_output --partial revert
	run strings "$EW"
	refute_output --partial revert
}

@test "a refused IPv4 commit names the rule and the errno text, and changes nothing" {
	ew_build rpi-faults tests/configs/rpi.config EW_FAULTS=1
	run in_netns bash -c 'ip6tables-legacy -L >/dev/null && iptables-legacy -N keep && iptables-legacy -A keep -j DROP && iptables-legacy -A INPUT -s 203.0.113.9 -j keep &&
		before=$("$TABLES") &&
		EW_FAULT=noconntrack4 "$1" apply; echo "rc=$?";
		[ "$before" = "$("$TABLES")" ] && echo unchanged' _ "$EW"
	assert_line --partial 'apply failed with iptables: IPv4 INPUT rule 3 "-A INPUT -m conntrack --ctstate INVALID -j DROP": the kernel has no match "ewfault" revision 3: No such file or directory'
	assert_line "rc=4"
	assert_line "unchanged"
}

@test "a refused IPv6 commit puts the previous IPv4 table back" {
	ew_build ipv6_filter-faults tests/configs/ipv6_filter.config EW_FAULTS=1
	run in_netns bash -c 'ip6tables-legacy -L >/dev/null && iptables-legacy -N keep && iptables-legacy -A keep -j DROP && iptables-legacy -A INPUT -s 203.0.113.9 -j keep &&
		before=$("$TABLES") &&
		EW_FAULT=noconntrack6 "$1" apply; echo "rc=$?";
		[ "$before" = "$("$TABLES")" ] && echo unchanged' _ "$EW"
	assert_line --partial 'IPv6 INPUT rule 11 "-A INPUT -m conntrack --ctstate INVALID -j DROP": the kernel has no match "ewfault"'
	assert_line --partial "the previous IPv4 table was put back"
	assert_line "rc=4"
	assert_line "unchanged"
}

@test "the production binary carries no fault injection" {
	ew_build rpi tests/configs/rpi.config
	run strings "$EW"
	refute_output --partial ewfault
	refute_output --partial EW_FAULT
}

@test "verify --json: a documented schema with per-family status and differences" {
	ew_build rpi tests/configs/rpi.config
	run in_netns bash -c '"$1" apply 2>/dev/null && "$1" verify --json' _ "$EW"
	assert_success
	echo "$output" | jq -e '.schema == "earlywall-verify/1" and .status == "match" and .exit == 0
		and ([.families[].status] == ["match", "match"])'
	run in_netns bash -c '"$1" apply 2>/dev/null && iptables-legacy -I INPUT -s 203.0.113.9 -j ACCEPT &&
		ip6tables-legacy -P OUTPUT ACCEPT && "$1" verify --json' _ "$EW"
	assert_failure 1
	echo "$output" | jq -e '.status == "drift" and .exit == 1
		and .families[0].family == "ipv4" and .families[0].status == "drift"
		and .families[0].unexpected == ["-A INPUT -s 203.0.113.9/32 -j ACCEPT"]
		and .families[0].missing == []
		and .families[1].missing == [":OUTPUT DROP [0:0]"]
		and .families[1].unexpected == [":OUTPUT ACCEPT [0:0]"]'
}

@test "verify --json escapes what the kernel holds" {
	ew_build rpi tests/configs/rpi.config
	run in_netns bash -c '"$1" apply 2>/dev/null && iptables-legacy -A OUTPUT -m mark --mark 7 -j ACCEPT &&
		"$1" verify --json' _ "$EW"
	assert_failure 1
	echo "$output" | jq -e '.families[0].unexpected[0] | startswith(
		"-A OUTPUT (a rule earlywall does not understand: match \"mark\"; its bytes from offset 112: ")'
}
