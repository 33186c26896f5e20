#!/usr/bin/env bats
# golden.bats - each tests/configs/NAME.config builds, `print --iptables`
# equals tests/configs/NAME.expected and `print --nft` equals
# tests/configs/NAME.nft (tests/nft.bats proves that text is what nft lists
# after apply). Adding a case means adding those three files.

load helpers

@test "every golden config builds and prints exactly its expected policy, in both texts" {
	local name failed=0
	for name in $(golden_names); do
		ew_build "$name" "tests/configs/$name.config"
		if ! diff -u "$ROOT/tests/configs/$name.expected" <("$EW" print --iptables); then
			echo "golden case $name: print --iptables differs from $name.expected" >&2
			failed=1
		fi
		if ! diff -u "$ROOT/tests/configs/$name.nft" <("$EW" print --nft); then
			echo "golden case $name: print --nft differs from $name.nft" >&2
			failed=1
		fi
	done
	[ "$failed" = 0 ]
}

@test "bare print is the preferred backend's text: nft for AUTO and NFTABLES, iptables for IPTABLES" {
	local b
	ew_build rpi tests/configs/rpi.config
	diff <("$EW" print) <("$EW" print --nft)
	for b in NFTABLES IPTABLES; do
		cat "$ROOT/tests/configs/rpi.config" - >"$BATS_TEST_TMPDIR/$b.config" <<<"CONFIG_BACKEND_$b=y"
		ew_build "rpi-$b" "$BATS_TEST_TMPDIR/$b.config"
		if [ "$b" = NFTABLES ]; then
			diff <("$EW" print) "$ROOT/tests/configs/rpi.nft"
		else
			diff <("$EW" print) "$ROOT/tests/configs/rpi.expected"
		fi
	done
}

@test "print --ipv4 and --ipv6 are the two halves of print, in both texts" {
	ew_build ipv6_filter tests/configs/ipv6_filter.config
	diff <("$EW" print --iptables) <("$EW" print --iptables --ipv4; "$EW" print --ipv6 --iptables)
	diff <("$EW" print --nft) <("$EW" print --nft --ipv4; "$EW" print --ipv6 --nft)
	run "$EW" print --ipv6 --nft
	assert_line --partial "table ip6 earlywall {"
	refute_line --partial "table ip earlywall {"
	run "$EW" print --iptables --ipv6
	assert_line -- "-A OUTPUT -d 2001:db8:100::/48 -p tcp -m multiport --dports 80,443,8000:8080 -j ACCEPT"
	refute_line --partial "192.0.2."
}

@test "config prints the configuration the binary was built with" {
	ew_build rpi tests/configs/rpi.config
	run "$EW" config
	assert_success
	assert_line 'CONFIG_ALLOW_IN="tcp/22@192.0.2.0/24"'
	assert_line 'CONFIG_INIT_PATH="/sbin/init"'
	assert_line 'CONFIG_STATEFUL=y'
}

@test "usage errors exit 2; --help and --version exit 0" {
	ew_build rpi tests/configs/rpi.config
	run "$EW" --help
	assert_success
	assert_output --partial "print [--nft|--iptables] [--ipv4|--ipv6]"
	run "$EW" --version
	assert_success
	assert_output --regexp '^earlywall [0-9]'
	run "$EW" frobnicate
	assert_failure 2
	assert_line 'earlywall: unknown command "frobnicate"'
	run "$EW" print --ipv5
	assert_failure 2
	assert_line 'earlywall: print: unknown option "--ipv5"'
	run "$EW" print --nft --iptables
	assert_failure 2
	assert_line 'earlywall: print: takes one format and one family at most, got "--iptables"'
	run "$EW" apply extra
	assert_failure 2
	assert_line 'earlywall: apply: takes no arguments, got "extra"'
	run "$EW"
	assert_failure 2
	assert_line 'earlywall: no command given'
}

@test "a failed write to stdout is exit 5 with the reason on stderr, never \"the kernel refused\"" {
	ew_build rpi tests/configs/rpi.config
	local cmd
	for cmd in print config --version --help; do
		run bash -c '"$1" "$2" >/dev/full' _ "$EW" "$cmd"
		assert_failure 5
		assert_output "earlywall: cannot write the output: No space left on device"
	done
}

@test "IPv6 entries under IPV6_DROP_ALL are ignored with a build warning" {
	local o="$BATS_TEST_TMPDIR/gen"
	run make -s -C "$ROOT" O="$o" CONFIG=tests/configs/ipv6_ignored.config "$o/gen/policy_table.c"
	assert_success
	assert_output --partial 'ALLOW_OUT entry 1 "tcp/443@2001:db8::443": IPv6 entry ignored'
	ew_build ipv6_ignored tests/configs/ipv6_ignored.config
	run "$EW" print --ipv6
	refute_output --partial "2001:db8"
}

@test "the binary is static, stripped and built with musl" {
	ew_build rpi tests/configs/rpi.config
	run file "$EW"
	assert_output --regexp "statically linked|static-pie linked"
	assert_output --partial "stripped"
	refute_output --partial "not stripped"
}
