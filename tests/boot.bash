# boot.bash - shared by the qemu boot suites (boot.bats, boot_arm64.bats):
# reading what the test init (tests/boot/testinit) printed on the serial
# console, and the assertions every boot of a full policy makes.
# shellcheck shell=bash
# The suites set LOG (the serial log), BOOT_RC (qemu-boot.sh's status) and
# EW (the earlywall binary in the image).

# The console log without carriage returns.
console() {
	tr -d '\r' <"$LOG"
}

# What the test init printed: its "TESTINIT: " lines, and the rules and kmsg
# it dumped between its markers.
testinit_says() {
	console | sed -n '/^TESTINIT: started/,$p'
}

# The live rules that testinit read with iptables-legacy-save.
live_rules() {
	console | sed -n '/^TESTINIT: rules begin$/,/^TESTINIT: rules end$/p' | sed '1d;$d'
}

# earlywall's kmsg lines, as testinit read them back with dmesg.
kmsg_lines() {
	console | sed -n '/^TESTINIT: kmsg begin$/,/^TESTINIT: kmsg end$/p' | sed '1d;$d'
}

# The binary whose `print` is the reference: REF_EW (the x86_64 build of the
# same configuration, for foreign-architecture boots) or EW.
ref_print() {
	"${REF_EW:-$EW}" print "$@"
}

# The number of rules ("-A" lines) per family in `earlywall print`.
rule_count() {
	ref_print "--ipv$1" | grep -c '^-A' || true
}

# These read the legacy tables: suites that use them build libiptc-only
# (EW_BACKEND=IPTABLES, helpers.bash); boot.bats checks nftables itself.

# Checks common to every boot where the full policy went live: the rules that
# testinit read are exactly `earlywall print`, the kmsg line gives the same
# counts and INTERFACES-NOTE, it came before the test init started, and only
# the allowed service answers.
assert_policy_live() {
	local note=$1 kmsg ew_line ti_line
	[ "$BOOT_RC" = 0 ] || { console | tail -n 40; false; }
	diff -u <(ref_print) <(live_rules) || { kmsg_lines >&2; false; }
	kmsg=$(kmsg_lines)
	[[ $kmsg =~ earlywall:\ policy\ committed\ with\ iptables:\ IPv4\ $(rule_count 4)\ rules,\ IPv6\ $(rule_count 6)\ rules,\ in\ [0-9]+\ ms\;\ $note ]] ||
		{ echo "kmsg: $kmsg" >&2; false; }
	ew_line=$(console | grep -n -m1 'earlywall: policy committed' | cut -d: -f1)
	ti_line=$(console | grep -n -m1 '^TESTINIT: started' | cut -d: -f1)
	[ -n "$ew_line" ] && [ "$ew_line" -lt "$ti_line" ]
	run testinit_says
	assert_line --regexp '^TESTINIT: modules=.*nf_conntrack'
	assert_line --regexp '^TESTINIT: modules=.*iptable_filter'
	assert_line --regexp '^TESTINIT: modules=.*ip6table_filter'
	assert_line "TESTINIT: allowed reachable"
	assert_line "TESTINIT: blocked unreachable"
	assert_line "TESTINIT: done"
}

# The minimal lockdown: DROP policies, loopback only, both families.
minimal_lockdown() {
	local family
	for family in IPv4 IPv6; do
		: "$family"
		printf '%s\n' '*filter' ':INPUT DROP [0:0]' ':FORWARD DROP [0:0]' ':OUTPUT DROP [0:0]' \
			'-A INPUT -i lo -j ACCEPT' '-A OUTPUT -o lo -j ACCEPT' 'COMMIT'
	done
}

# The boot of an image without conntrack under FAIL_LOCKOUT: the test init
# started with the minimal lockdown live, and the kmsg line says why.
assert_minimal_lockdown_live() {
	[ "$BOOT_RC" = 0 ] || { console | tail -n 40; false; }
	diff -u <(minimal_lockdown) <(live_rules)
	run kmsg_lines
	assert_line --regexp 'earlywall: FAILED with iptables: .*conntrack.*; minimal lockdown committed with iptables \(DROP policies, loopback only\): IPv4 2 rules, IPv6 2 rules, .*\(FAIL_LOCKOUT\); no interface was up$'
	run testinit_says
	refute_line --regexp '^TESTINIT: modules=.*nf_conntrack'
	assert_line "TESTINIT: allowed unreachable"
	assert_line "TESTINIT: blocked unreachable"
	assert_line "TESTINIT: done"
}

# A baseline boot (no earlywall, booted with --append "ewarg1
# EWTEST=passthrough"): the test init ran with the kernel's argv and env, no
# netfilter was loaded, and both services answered.
assert_baseline_boot() {
	run testinit_says
	assert_line --regexp '^TESTINIT: started pid=1 argv=/sbin/testinit ewarg1 env=.*EWTEST=passthrough'
	assert_line "TESTINIT: no ip_tables in the kernel"
	assert_line "TESTINIT: no ip6_tables in the kernel"
	assert_line "TESTINIT: interfaces=lo up=none"
	assert_line "TESTINIT: allowed reachable"
	assert_line "TESTINIT: blocked reachable"
	assert_line "TESTINIT: done"
	[ -z "$(kmsg_lines)" ]
}
