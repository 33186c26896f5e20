#!/usr/bin/env bats
# nft.bats - the nftables backend against the real kernel, in a fresh
# network namespace each: the print/apply contract for every golden config
# (nft lists exactly `print --nft`, and `nft -f` of that text loads the
# same tables), one batch for both families, a refused batch that changes
# nothing in either backend, a batch whose sets need more than one 64 KiB
# element message, verify against tables changed with nft, and the switch
# between backends (one policy in force).

load helpers

# in_ns SCRIPT [ARGS...]: bash -c SCRIPT in a fresh network namespace.
in_ns() {
	local script=$1
	shift
	in_netns bash -c "$script" _ "$@"
}

@test "contract: for every golden config, apply, then nft list ruleset is print --nft, verify matches, and nft -f of it lists the same" {
	local name failed=0
	for name in $(golden_names); do
		ew_build "$name" "tests/configs/$name.config"
		if ! in_ns '"$1" apply 2>/dev/null || exit 9
			diff -u <("$1" print --nft) <(nft list ruleset) || exit 1
			"$1" verify >/dev/null || { "$1" verify; exit 2; }
			"$1" print --nft >"$2"
			nft flush ruleset && nft -f "$2" || exit 3
			diff -u "$2" <(nft list ruleset) || exit 4' "$EW" "$BATS_TEST_TMPDIR/$name.nft"; then
			echo "contract case $name failed" >&2
			failed=1
		fi
	done
	[ "$failed" = 0 ]
}

# The batches an strace of apply shows: messages that begin with
# NFNL_MSG_BATCH_BEGIN (strace names it only when it knows the socket).
batches() {
	grep -cE '^(\[pid +[0-9]+\] )?send(to|msg)\(.*nlmsg_type=(NFNL_MSG_BATCH_BEGIN|0x10 )' <<<"$1" || true
}

@test "one transaction: apply sends exactly one batch, and both families' tables come from it" {
	command -v strace >/dev/null || skip "needs strace"
	ew_build rpi tests/configs/rpi.config
	run in_ns 'strace -f -e trace=sendto,sendmsg "$1" apply 2>&1 >/dev/null
		nft list tables' "$EW"
	assert_success
	[ "$(batches "$output")" = 1 ]
	assert_line "table ip earlywall"
	assert_line "table ip6 earlywall"
	run in_ns '"$1" apply 2>/dev/null; strace -f -e trace=sendto,sendmsg "$1" apply 2>&1 >/dev/null' "$EW"
	[ "$(batches "$output")" = 1 ]
}

@test "a refused batch (fault noconntrack6: the IPv6 half fails) names the rule and leaves both backends byte for byte as they were" {
	cat "$ROOT/tests/configs/ipv6_filter.config" - >"$BATS_TEST_TMPDIR/nft.config" <<<"CONFIG_BACKEND_NFTABLES=y"
	ew_build ipv6_filter-nft-faults "$BATS_TEST_TMPDIR/nft.config" EW_FAULTS=1
	run in_ns '"$1" apply 2>/dev/null || exit 9
		nft add table inet other && nft add chain inet other c "{ type filter hook input priority 10; }" &&
			nft add rule inet other c tcp dport 9 counter accept || exit 8
		iptables-legacy -t nat -A POSTROUTING -o eth9 -j MASQUERADE || exit 7
		before() { nft list ruleset; iptables-legacy-save | grep -v "^#"; ip6tables-legacy-save | grep -v "^#"; }
		before >"$2/before"
		EW_FAULT=noconntrack6 "$1" apply
		echo "rc=$?"
		before | diff -u "$2/before" - && echo unchanged' "$EW" "$BATS_TEST_TMPDIR"
	assert_line --regexp '^earlywall: apply failed with nftables: nftables: ip6 chain input rule 11 \(ct state invalid drop\): No such file or directory$'
	assert_line "rc=4"
	assert_line unchanged
}

@test "a refused set element is named by its place in the set as print --nft lists it (fault badelem)" {
	cat "$ROOT/tests/configs/rpi.config" - >"$BATS_TEST_TMPDIR/nft.config" <<<"CONFIG_BACKEND_NFTABLES=y"
	ew_build rpi-nft-faults "$BATS_TEST_TMPDIR/nft.config" EW_FAULTS=1
	run in_ns 'EW_FAULT=badelem "$1" apply; echo "rc=$?"; nft list ruleset | wc -l' "$EW"
	assert_line "earlywall: apply failed with nftables: nftables: ip set out_udp_dport, elements 1-3 (element 3): Invalid argument"
	assert_line "rc=3"
	assert_line --index 2 0
	run "$EW" print --nft
	assert_line --index 6 $'\t\t\t     192.0.2.123 . 123 }'
}

# big_config N FILE: N IPv4 and N IPv6 trusted hosts with a port each, and
# as many ALLOW_OUT entries: set element messages far over 64 KiB.
big_config() {
	local n=$1 i a b
	{
		printf 'CONFIG_TRUSTED_HOSTS="'
		for ((i = 0; i < n; i++)); do
			a=$((i / 250)) b=$((i % 250 + 1))
			printf 'tcp/22@10.%d.%d.1 tcp/22@2001:db8:%x:%x::1 ' "$a" "$b" "$a" "$b"
		done
		printf '"\nCONFIG_ALLOW_OUT="'
		for ((i = 0; i < n; i++)); do
			a=$((i / 250)) b=$((i % 250 + 1))
			printf 'udp/%d@172.16.%d.%d 10.200.%d.%d ' $((1000 + i % 50)) "$a" "$b" "$a" "$b"
		done
		printf '"\nCONFIG_IPV6_FILTER=y\n'
	} >"$2"
}

@test "a policy of 12,000 entries: elements split over messages under 64 KiB, one batch, nft lists print --nft, verify matches" {
	big_config 3000 "$BATS_TEST_TMPDIR/big.config"
	ew_build big-nft "$BATS_TEST_TMPDIR/big.config"
	run in_ns 'strace -f -e trace=sendto,sendmsg -o /dev/stdout "$1" apply 2>/dev/null | grep -cE "nlmsg_type=(NFNL_MSG_BATCH_BEGIN|0x10 )"
		diff <("$1" print --nft) <(nft list ruleset) && echo same
		"$1" verify >/dev/null; echo "verify=$?"' "$EW"
	assert_line --index 0 1
	assert_line same
	assert_line verify=0
	run "$EW" print --nft
	[ "$(grep -c ' \. 22' <<<"$output")" = 12000 ]  # each trusted host, in and out
}

# after_nft CHANGE: verify's output and exit status after apply, then the
# nft commands CHANGE.
after_nft() {
	EW=$EW in_ns '"$1" apply 2>/dev/null || exit 9
		eval "$2" || exit 8
		"$1" verify
		echo "exit $?"' "$EW" "$1"
}

@test "verify sees what nft changes: an element added to a set" {
	ew_build rpi tests/configs/rpi.config
	run after_nft 'nft add element ip earlywall in_any "{ 203.0.113.9 }"'
	assert_line "exit 1"
	assert_line "IPv6: the live table matches the compiled policy"
	assert_line --regexp '^\+ element in_any:1\{1=cb007109\}'
	refute_line --regexp '^- '
}

@test "verify sees what nft changes: a rule inserted, a policy opened, a rule deleted" {
	ew_build rpi tests/configs/rpi.config
	run after_nft 'nft insert rule ip earlywall input accept'
	assert_line "exit 1"
	assert_line --regexp '^\+ rule input: '
	run after_nft 'nft chain ip earlywall output "{ policy accept; }"'
	assert_line "exit 1"
	assert_line --regexp '^- chain output: .*'
	assert_line --regexp '^\+ chain output: .*'
	run after_nft 'nft delete rule ip6 earlywall input handle $(nft -a list chain ip6 earlywall input | sed -n "s/.*saddr ::1 drop # handle //p")'
	assert_line "exit 1"
	assert_line "IPv4: the live table matches the compiled policy"
	assert_line --regexp '^- rule input: '
}

@test "verify sees below what nft lists: nft -f of print --nft lists the same text, but its sets carry nft's userdata" {
	ew_build rpi tests/configs/rpi.config
	run after_nft '"$EW" print --nft >/tmp/ew.nft && nft flush ruleset && nft -f /tmp/ew.nft &&
		diff /tmp/ew.nft <(nft list ruleset) && echo "same text"'
	assert_line "same text"
	assert_line "exit 1"
	assert_line --regexp '^\+ set in_any: .* 13=[0-9a-f]+$'
}

@test "switching backends: apply with nftables clears the iptables policy, and a policy left in the other backend is drift" {
	cat "$ROOT/tests/configs/rpi.config" - >"$BATS_TEST_TMPDIR/xt.config" <<<"CONFIG_BACKEND_IPTABLES=y"
	ew_build rpi-xt "$BATS_TEST_TMPDIR/xt.config"
	local xt=$EW
	ew_build rpi tests/configs/rpi.config
	run in_ns '"$1" apply 2>/dev/null || exit 9
		"$2" apply 2>&1
		iptables-legacy-save -t filter | grep -c "^-A"
		iptables-legacy -P INPUT DROP
		"$2" verify
		echo "exit $?"' "$xt" "$EW"
	assert_line "earlywall: removed the earlier policy from iptables"
	assert_line --index 2 0
	assert_line "foreign table iptables/earlywall: earlywall's policy left in iptables, while nftables holds the one verified above (not earlywall's: drift)"
	assert_line "exit 1"
}

@test "revert leaves nothing of earlywall's in either backend" {
	ew_build ports_and_protocols tests/configs/ports_and_protocols.config
	run in_ns '"$1" apply 2>/dev/null || exit 9
		"$1" revert 2>&1
		nft list ruleset | wc -l
		iptables-legacy-save -t filter | grep -c "^-A"' "$EW"
	assert_line --regexp "^earlywall: revert: nothing of earlywall's left in nftables$"
	assert_line --index 2 0
	assert_line --index 3 0
}

@test "the kernel's refusal names the object: a set that collides with one of earlywall's names is replaced with the table" {
	ew_build rpi tests/configs/rpi.config
	run in_ns 'nft add table ip earlywall && nft add set ip earlywall in_any "{ type ipv4_addr; }" &&
		nft add element ip earlywall in_any "{ 192.0.2.99 }" || exit 8
		"$1" apply 2>/dev/null || exit 9
		"$1" verify >/dev/null && echo clean' "$EW"
	assert_line clean
}
