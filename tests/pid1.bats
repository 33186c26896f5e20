#!/usr/bin/env bats
# pid1.bats - earlywall as PID 1 of a new PID, mount and network namespace
# (tests/pid1/run.sh), handing off to tests/pid1/testinit, which records its
# argv, environment and the live ruleset read with iptables-save. Covers the
# hand-off, argv/envp passthrough, earlywall.init=, the exec fallbacks, the
# interfaces-up evidence, and every failure policy under injected faults
# (the fault build, src/util/faults.c).

load helpers

# This suite reads the legacy tables: its builds are libiptc-only (helpers.bash).
export EW_BACKEND=IPTABLES

setup() {
	export EWTEST_DIR="$BATS_TEST_TMPDIR/ew"
	mkdir -p "$EWTEST_DIR"
}

pid1() {
	"$ROOT/tests/pid1/run.sh" "$@"
}

kmsg() {
	cat "$EWTEST_DIR/kmsg"
}

@test "PID 1 commits the policy, logs one line, and execs INIT_PATH with the kernel's arguments and environment" {
	ew_build pid1-lockout tests/pid1/lockout.config
	PID1_ENV="FOO=bar HOME=/ TERM=linux" pid1 "$EW" single "two words"
	run cat "$EWTEST_DIR/out/pid"
	assert_output 1
	run cat "$EWTEST_DIR/out/argv"
	assert_output "$(printf '%s\n' /run/ewtest/init single "two words")"
	run cat "$EWTEST_DIR/out/env"
	assert_output "$(printf '%s\n' FOO=bar HOME=/ TERM=linux)"
	diff -u <("$EW" print) "$EWTEST_DIR/out/rules"
	run kmsg
	assert_output --regexp '^<5>earlywall: policy committed with iptables: IPv4 11 rules, IPv6 3 rules, in [0-9]+ ms; no interface was up$'
}

@test "the kmsg line names interfaces that were already up" {
	ew_build pid1-lockout tests/pid1/lockout.config
	UP_IFACE=eth7 pid1 "$EW"
	run kmsg
	assert_output --partial "; interfaces already up: eth7"
	[ -s "$EWTEST_DIR/out/rules" ]
}

@test "earlywall.init= on the kernel command line overrides INIT_PATH" {
	ew_build pid1-lockout tests/pid1/lockout.config
	CMDLINE="console=ttyS0 earlywall.init=/run/ewtest/init2 quiet" pid1 "$EW"
	run cat "$EWTEST_DIR/out/ran"
	assert_output init2
	diff -u <("$EW" print) "$EWTEST_DIR/out/rules"
}

# The chroot cases run a static busybox as their shell and fallback init.
needs_static_busybox() {
	[ -x /bin/busybox ] && file /bin/busybox | grep -q static || skip "needs a static /bin/busybox"
}

# A root filesystem with only a static busybox and the given fallback init.
make_rootfs() {
	local root="$EWTEST_DIR/root"
	mkdir -p "$root/bin" "$root/sbin" "$root/etc" "$root/dev" "$root/proc" "$root/run"
	cp /bin/busybox "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	cp "$EW" "$root/sbin/earlywall"
	: >"$root/dev/kmsg"
	echo "$root"
}

@test "when INIT_PATH cannot be exec'd, the kernel's fallbacks are tried in order" {
	needs_static_busybox
	ew_build pid1-lockout tests/pid1/lockout.config
	local root
	root=$(make_rootfs)
	printf '#!/bin/sh\necho "etc/init $*" >/ran\n' >"$root/etc/init"
	chmod +x "$root/etc/init"
	ROOTFS="/run/ewtest/root" pid1 "$EW" a b
	run cat "$root/ran"
	assert_output "etc/init a b"
	run cat "$root/dev/kmsg"
	assert_line --partial "policy committed"
	assert_line "<3>earlywall: FAILED: exec /run/ewtest/init: No such file or directory"
	assert_line --partial "trying /sbin/init, /etc/init, /bin/init, /bin/sh"
}

@test "with no /dev/kmsg, PID 1 mounts devtmpfs and logs there" {
	needs_static_busybox
	ew_build pid1-lockout tests/pid1/lockout.config
	local root
	root=$(make_rootfs)
	rm "$root/dev/kmsg"
	printf '#!/bin/sh
[ -c /dev/kmsg ] && echo "kmsg is a device" >/ran
' >"$root/sbin/init"
	chmod +x "$root/sbin/init"
	ROOTFS="/run/ewtest/root" pid1 "$EW"
	run cat "$root/ran"
	assert_output "kmsg is a device"
	[ ! -e "$root/dev/kmsg" ]
}

@test "with no init anywhere, /bin/sh gets the kernel's argv" {
	needs_static_busybox
	ew_build pid1-lockout tests/pid1/lockout.config
	local root
	root=$(make_rootfs)
	ROOTFS="/run/ewtest/root" pid1 "$EW" -c 'echo "sh ran" >/ran'
	run cat "$root/ran"
	assert_output "sh ran"
}

@test "FAIL_LOCKOUT: the full policy is refused, the minimal lockdown is live, and init starts" {
	ew_build pid1-lockout-faults tests/pid1/lockout.config EW_FAULTS=1
	PID1_ENV="EW_FAULT=noconntrack4" pid1 "$EW"
	diff -u "$ROOT/tests/pid1/minimal.expected" "$EWTEST_DIR/out/rules"
	run kmsg
	assert_output --regexp '^<2>earlywall: FAILED with iptables: IPv4 INPUT rule 3 "-A INPUT -m conntrack --ctstate INVALID -j DROP": the kernel has no match "ewfault" .*; minimal lockdown committed with iptables \(DROP policies, loopback only\): IPv4 2 rules, IPv6 2 rules, in [0-9]+ ms \(FAIL_LOCKOUT\); no interface was up$'
}

# The AUTO ladder (BACKEND_AUTO, the default): full policy with nftables,
# full with iptables, minimal lockdown with nftables, then with iptables,
# then no hand-off. Each rung is reached by a fault that closes the ones
# before it; the kmsg line names the backend used and why.
auto_build() {
	EW_BACKEND='' ew_build pid1-lockout-faults-auto tests/pid1/lockout.config EW_FAULTS=1
}

@test "AUTO: with nothing failing, the full policy is committed with nftables: the live tables are print --nft" {
	auto_build
	pid1 "$EW"
	[ -e "$EWTEST_DIR/out/ran" ]
	diff -u <("$EW" print --nft) "$EWTEST_DIR/out/nft"
	run kmsg
	assert_output --regexp '^<5>earlywall: policy committed with nftables: IPv4 11 rules, IPv6 3 rules, in [0-9]+ ms; no interface was up$'
}

@test "AUTO: nftables refused (fault nonft): the full policy is committed with iptables, and the line says why" {
	auto_build
	PID1_ENV="EW_FAULT=nonft" pid1 "$EW"
	[ -e "$EWTEST_DIR/out/ran" ]
	diff -u <("$EW" print --iptables) "$EWTEST_DIR/out/rules"
	run kmsg
	assert_output --regexp '^<5>earlywall: policy committed with iptables: IPv4 11 rules, IPv6 3 rules, in [0-9]+ ms; before that it failed with nftables: nftables: ip chain input rule 1 \(iifname "lo" accept\): No such file or directory; no interface was up$'
}

@test "AUTO: legacy xtables refuse everything (fault refuse-all): nftables commits the full policy, iptables is never tried" {
	auto_build
	PID1_ENV="EW_FAULT=refuse-all" pid1 "$EW"
	diff -u <("$EW" print --nft) "$EWTEST_DIR/out/nft"
	run kmsg
	assert_output --regexp '^<5>earlywall: policy committed with nftables: .*; no interface was up$'
	refute_output --partial iptables
}

@test "AUTO: both backends refuse the full policy (fault noconntrack4): the minimal lockdown is committed with nftables" {
	auto_build
	PID1_ENV="EW_FAULT=noconntrack4" pid1 "$EW"
	[ -e "$EWTEST_DIR/out/ran" ]
	diff -u "$ROOT/tests/pid1/minimal-nft.expected" "$EWTEST_DIR/out/nft"
	run kmsg
	assert_output --regexp '^<2>earlywall: FAILED with nftables: nftables: ip chain input rule 3 \(ct state invalid drop\): No such file or directory; with iptables: IPv4 INPUT rule 3 .*; minimal lockdown committed with nftables \(DROP policies, loopback only\): IPv4 2 rules, IPv6 2 rules, in [0-9]+ ms \(FAIL_LOCKOUT\); no interface was up$'
}

@test "AUTO: nftables refused and conntrack missing (faults nonft, noconntrack4): the minimal lockdown is committed with iptables" {
	auto_build
	PID1_ENV="EW_FAULT=nonft,noconntrack4" pid1 "$EW"
	[ -e "$EWTEST_DIR/out/ran" ]
	diff -u "$ROOT/tests/pid1/minimal.expected" "$EWTEST_DIR/out/rules"
	run kmsg
	assert_output --regexp 'minimal lockdown committed with iptables \(DROP policies, loopback only\): .* \(FAIL_LOCKOUT\); the minimal lockdown failed with nftables: nftables: ip chain input rule 1 \(iifname "lo" accept\): No such file or directory; no interface was up$'
}

@test "AUTO: when every rung is refused by both backends (faults refuse-all, nonft), init never starts" {
	auto_build
	WAIT=5 PID1_ENV="EW_FAULT=refuse-all,nonft" pid1 "$EW"
	[ ! -e "$EWTEST_DIR/out/ran" ]
	run kmsg
	assert_output --partial "the minimal lockdown failed too: with nftables: "
	assert_output --partial "; with iptables: "
	assert_output --partial "NOT handing off (FAIL_LOCKOUT)"
	diff -u "$ROOT/tests/pid1/open.expected" "$EWTEST_DIR/out/live-rules"
}

@test "FAIL_HALT: any failure means no hand-off, and nothing half-applied" {
	ew_build pid1-halt-faults tests/pid1/halt.config EW_FAULTS=1
	WAIT=5 PID1_ENV="EW_FAULT=noconntrack4" pid1 "$EW"
	[ ! -e "$EWTEST_DIR/out/ran" ]
	run kmsg
	assert_output --regexp '^<2>earlywall: FAILED with iptables: IPv4 INPUT rule 3 .*; NOT handing off \(FAIL_HALT\); no interface was up$'
	diff -u "$ROOT/tests/pid1/open.expected" "$EWTEST_DIR/out/live-rules"
}

@test "FAIL_HALT: with nothing failing, it hands off as usual" {
	ew_build pid1-halt-faults tests/pid1/halt.config EW_FAULTS=1
	pid1 "$EW"
	diff -u <("$EW" print) "$EWTEST_DIR/out/rules"
}

@test "FAIL_OPEN: a refused policy is logged loudly and init starts anyway" {
	ew_build pid1-open-faults tests/pid1/open.config EW_FAULTS=1
	PID1_ENV="EW_FAULT=refuse-all" pid1 "$EW"
	[ -e "$EWTEST_DIR/out/ran" ]
	diff -u "$ROOT/tests/pid1/open.expected" "$EWTEST_DIR/out/rules"
	run kmsg
	assert_output --regexp '^<2>earlywall: FAILED OPEN with iptables: .*; handing off WITHOUT a firewall \(FAIL_OPEN\); no interface was up$'
}

@test "a module that cannot be loaded is not fatal when the kernel has what the policy needs" {
	ew_build pid1-modules-faults tests/pid1/modules.config EW_FAULTS=1
	PID1_ENV="EW_FAULT=nomodules" pid1 "$EW"
	diff -u <("$EW" print) "$EWTEST_DIR/out/rules"
	run kmsg
	assert_output --partial "policy committed"
}

@test "when the commit then fails, the error names the module that could not be loaded" {
	ew_build pid1-modules-faults tests/pid1/modules.config EW_FAULTS=1
	PID1_ENV="EW_FAULT=nomodules,noconntrack4" pid1 "$EW"
	run kmsg
	assert_output --partial "(after module ip_tables: injected fault)"
	assert_output --partial "minimal lockdown committed"
}

@test "as PID 1, a command word runs that command: print prints, and nothing is committed or exec'd" {
	ew_build pid1-lockout tests/pid1/lockout.config
	run pid1 "$EW" print
	assert_success
	[ "$output" = "$("$EW" print)" ]
	[ ! -e "$EWTEST_DIR/out/ran" ]
	[ ! -s "$EWTEST_DIR/kmsg" ]
}

@test "as PID 1, verify and verify --json verify (drift: the namespace's tables are empty) and exec nothing" {
	ew_build pid1-lockout tests/pid1/lockout.config
	run pid1 "$EW" verify --json
	assert_output --partial '"schema":"earlywall-verify/1","status":"drift"'
	run pid1 "$EW" verify
	assert_output --partial "IPv4: drift"
	[ ! -e "$EWTEST_DIR/out/ran" ]
	[ ! -s "$EWTEST_DIR/kmsg" ]
}

@test "as PID 1, apply commits, says so on stderr, and execs nothing" {
	ew_build pid1-lockout tests/pid1/lockout.config
	run pid1 "$EW" apply
	assert_output --regexp '^earlywall: apply: IPv4 11 rules, IPv6 3 rules committed in [0-9]+ us with iptables$'
	[ ! -e "$EWTEST_DIR/out/ran" ]
	[ ! -s "$EWTEST_DIR/kmsg" ]
}

@test "as PID 1, a word that is no command (the kernel's \"single\") is a boot" {
	ew_build pid1-lockout tests/pid1/lockout.config
	pid1 "$EW" single
	run cat "$EWTEST_DIR/out/ran"
	assert_output init
}

@test "an INIT_PATH that is earlywall itself is skipped like a failed exec, never re-exec'd" {
	needs_static_busybox
	ew_build pid1-self tests/pid1/self.config
	local root
	root=$(make_rootfs)
	printf '#!/bin/sh\necho "etc/init ran" >>/ran\n' >"$root/etc/init"
	chmod +x "$root/etc/init"
	ROOTFS="/run/ewtest/root" pid1 "$EW"
	run cat "$root/ran"
	assert_output "etc/init ran"
	run grep -c "policy committed" "$root/dev/kmsg"
	assert_output 1
	run cat "$root/dev/kmsg"
	assert_line "<3>earlywall: FAILED: exec /sbin/earlywall: it is earlywall itself, skipped"
}

@test "with fds 0-2 closed and an empty /dev, devtmpfs comes first and init gets 0-2 open" {
	needs_static_busybox
	ew_build pid1-lockout tests/pid1/lockout.config
	local root
	root=$(make_rootfs)
	rm "$root/dev/kmsg"
	printf '#!/bin/sh\nfor fd in 0 1 2; do if eval ": >&$fd" 2>/dev/null; then echo "$fd open"; else echo "$fd closed"; fi; done >/ran\n[ -c /dev/null ] && echo "null is a device" >>/ran\n' >"$root/sbin/init"
	chmod +x "$root/sbin/init"
	CLOSE_FDS=1 ROOTFS="/run/ewtest/root" pid1 "$EW"
	run cat "$root/ran"
	assert_output "$(printf '0 open\n1 open\n2 open\nnull is a device')"
}

@test "a kernel without IPv6 (fault noipv6): IPv4 is committed, IPv6 is no failure, init starts" {
	ew_build pid1-lockout-faults tests/pid1/lockout.config EW_FAULTS=1
	PID1_ENV="EW_FAULT=noipv6" pid1 "$EW"
	run kmsg
	assert_output --regexp '^<5>earlywall: policy committed with iptables: IPv4 11 rules, IPv6 none: the kernel has no IPv6, in [0-9]+ ms; no interface was up$'
	[ -e "$EWTEST_DIR/out/ran" ]
	diff -u <("$EW" print --ipv4) <(sed -n '1,/^COMMIT/p' "$EWTEST_DIR/out/rules")
}

@test "a kernel without IPv6 under the minimal lockdown: FAIL_LOCKOUT still hands off" {
	ew_build pid1-lockout-faults tests/pid1/lockout.config EW_FAULTS=1
	PID1_ENV="EW_FAULT=noipv6,noconntrack4" pid1 "$EW"
	run kmsg
	assert_output --regexp 'minimal lockdown committed with iptables \(DROP policies, loopback only\): IPv4 2 rules, IPv6 none: the kernel has no IPv6, in [0-9]+ ms \(FAIL_LOCKOUT\)'
	[ -e "$EWTEST_DIR/out/ran" ]
}
