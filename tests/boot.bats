#!/usr/bin/env bats
# boot.bats - earlywall as the first process of a real kernel: Debian's cloud
# kernel in qemu (TCG), with the netfilter modules loaded from the image, and
# Debian's PREEMPT_RT kernel from sid, which has nftables and no legacy
# xtables at all. Each boot has a hard timeout; its serial console log stays
# in build/boot/.
#
# The images (scripts/initramfs.sh) carry busybox-static, the distribution's
# iptables-legacy-save and nft as independent readers, the kernel's modules,
# and tests/boot/testinit as INIT_PATH. testinit records on the console what
# it was given and found ("TESTINIT: ..." lines), then tries two TCP services
# that qemu answers itself: 10.0.2.100:8080, which the boot policy allows,
# and 10.0.2.101:8080, which it does not (scripts/qemu-boot.sh).
#
# earlywall is built as the project builds it by default (BACKEND_AUTO:
# nftables first, libiptc if that fails) unless a test says otherwise.

load helpers
load boot

# Booted with this on the command line, earlywall execs /sbin/nftdump (in
# every image that ew_image makes) instead of INIT_PATH: it lists the live
# nftables ruleset with nft between "NFTDUMP: ruleset begin" and "NFTDUMP:
# ruleset end" on the console, then execs /sbin/testinit with the argv and
# environment the kernel gave (the kernel keeps dotted parameters such as
# earlywall.init= from init's argv and environment). So the ruleset is read
# after earlywall committed and before the test init starts.
NFTDUMP=earlywall.init=/sbin/nftdump

setup_file() {
	# shellcheck disable=SC2153 # ROOT comes from helpers.bash
	KVER=$("$ROOT/scripts/qemu-kernel.sh")
	KERNEL=$ROOT/build/kernel/$KVER/vmlinuz
	BOOT=$ROOT/build/boot
	export KVER KERNEL BOOT
	"$ROOT/scripts/initramfs.sh" "$BOOT/baseline.cpio.gz" --init "$ROOT/tests/boot/baseline-init"
	"$ROOT/scripts/initramfs.sh" "$BOOT/baseline.ext4" --init "$ROOT/tests/boot/baseline-init"
	# The shell exports PATH, PWD and SHLVL: the test init must not see them.
	cat >"$BOOT/nftdump" <<-'EOF'
		#!/bin/sh
		# nftdump (written by tests/boot.bats): the live nftables ruleset, then the test init.
		PATH=/bin:/sbin:/usr/bin:/usr/sbin
		dmesg -n 1
		{
			echo "NFTDUMP: ruleset begin"
			nft list ruleset 2>&1
			echo "NFTDUMP: ruleset end"
		} </dev/null >/dev/console 2>&1
		exec env -u PATH -u PWD -u SHLVL /sbin/testinit "$@"
	EOF
	chmod 0755 "$BOOT/nftdump"
}

# ew_image NAME FAILURE MODULES [initramfs.sh options]: build earlywall from
# tests/boot/FAILURE.config (lockout, halt, open; with EW_BACKEND=IPTABLES
# or NFTABLES set, that backend only: helpers.bash) and an image with it and
# /sbin/nftdump, build/boot/NAME.cpio.gz (or NAME.ext4 when NAME ends in
# -rootfs); sets EW and IMAGE.
ew_image() {
	local name=$1 failure=$2 modules=$3
	shift 3
	ew_build "boot-$failure" "tests/boot/$failure.config"
	IMAGE=$BOOT/$name.cpio.gz
	case $name in *-rootfs) IMAGE=$BOOT/$name.ext4 ;; esac
	"$ROOT/scripts/initramfs.sh" "$IMAGE" --kver "$KVER" --modules "$modules" --init "$EW" \
		--add "$BOOT/nftdump:/sbin/nftdump" "$@"
}

# boot NAME IMAGE [qemu-boot.sh options]: boot IMAGE (an .ext4 image is the
# root filesystem, on NVMe, without an initramfs); the serial log goes to
# build/boot/NAME.log. Sets BOOT_RC (qemu-boot.sh's exit status) and LOG.
boot() {
	local name=$1 image=$2
	shift 2
	LOG=$BOOT/$name.log
	if [[ $image == *.ext4 ]]; then
		set -- none "$LOG" --disk "$image" "$@"
	else
		set -- "$image" "$LOG" "$@"
	fi
	BOOT_RC=0
	"$ROOT/scripts/qemu-boot.sh" "$KERNEL" "$@" || BOOT_RC=$?
}

# The live nftables ruleset that /sbin/nftdump listed.
live_nft() {
	console | sed -n '/^NFTDUMP: ruleset begin$/,/^NFTDUMP: ruleset end$/p' | sed '1d;$d'
}

# rules FAMILY: how many rules of that family the kmsg line counts: the
# backend-independent count, the "-A" lines of `earlywall print --iptables`.
rules() {
	ref_print --iptables "--ipv$1" | grep -c '^-A' || true
}

# assert_module NAME, refute_module NAME: NAME is (not) among the modules
# loaded when the test init started.
assert_module() {
	assert_line --regexp "^TESTINIT: modules=(.*,)?$1(,.*)?\$"
}
refute_module() {
	refute_line --regexp "^TESTINIT: modules=(.*,)?$1(,.*)?\$"
}

# kmsg_before_testinit: earlywall's kmsg line has a timestamp before the
# uptime that the test init read first thing (console order alone proves
# nothing on a PREEMPT_RT kernel, which prints the console from a thread).
kmsg_before_testinit() {
	local ts up
	ts=$(kmsg_lines | sed -n 's/^\[ *\([0-9.]*\)\] earlywall: .*committed.*/\1/p' | head -n 1)
	up=$(testinit_says | sed -n 's/^TESTINIT: uptime=\([0-9.]*\) .*/\1/p')
	if [ -z "$ts" ] || [ -z "$up" ] || ! awk -v a="$ts" -v b="$up" 'BEGIN { exit !(a + 0 < b + 0) }'; then
		echo "kmsg line at ${ts:-?} s, test init started at ${up:-?} s" >&2
		false
	fi
}

# assert_full_policy BACKEND NOTE [BEFORE]: the boot where the full policy
# went live with BACKEND (nftables or iptables) before the test init started:
# the kmsg line names BACKEND, gives the policy's rule counts, says that an
# earlier backend failed with BEFORE (a regex; without BEFORE, that nothing
# failed) and ends with INTERFACES-NOTE; what the independent reader lists is
# exactly `earlywall print` in that backend's text and the other front end
# holds nothing of earlywall's; BACKEND's modules are loaded; only the
# allowed service answers.
assert_full_policy() {
	local backend=$1 note=$2 before=${3:-} re
	[ "$BOOT_RC" = 0 ] || { console | tail -n 40; false; }
	re="earlywall: policy committed with $backend: IPv4 $(rules 4) rules, IPv6 $(rules 6) rules, in [0-9]+ ms; "
	[ -z "$before" ] || re+="before that it failed $before; "
	run kmsg_lines
	assert_line --regexp "$re$note\$"
	kmsg_before_testinit
	run testinit_says
	case $backend in
	nftables)
		diff -u <(ref_print --nft) <(live_nft)
		assert_line "TESTINIT: no ip_tables in the kernel"
		assert_line "TESTINIT: no ip6_tables in the kernel"
		assert_module nf_tables
		assert_module nft_ct
		;;
	iptables)
		diff -u <(ref_print --iptables) <(live_rules)
		! live_nft | grep -q '^table ' || { live_nft >&2; false; }
		assert_module iptable_filter
		assert_module ip6table_filter
		assert_module xt_conntrack
		;;
	*) false ;;
	esac
	assert_module nf_conntrack
	assert_line "TESTINIT: allowed reachable"
	assert_line "TESTINIT: blocked unreachable"
	assert_line "TESTINIT: done"
}

@test "baseline: the kernel boots an initramfs, the test init runs, both services answer (no earlywall)" {
	boot baseline "$BOOT/baseline.cpio.gz" --append "ewarg1 EWTEST=passthrough"
	[ "$BOOT_RC" = 0 ] || { console | tail -n 40; false; }
	assert_baseline_boot
}

@test "baseline: the kernel boots the ext4 root filesystem from NVMe with init= and no initramfs" {
	boot baseline-rootfs "$BOOT/baseline.ext4" --append "root=/dev/nvme0n1 rootwait ro init=/sbin/testinit"
	[ "$BOOT_RC" = 0 ] || { console | tail -n 40; false; }
	run testinit_says
	assert_line --regexp '^TESTINIT: started pid=1 argv=/sbin/testinit env=HOME=/ TERM=linux$'
	assert_line --regexp '^TESTINIT: uptime=.* mounts=/\(ext4\)'
	assert_line "TESTINIT: allowed reachable"
	assert_line "TESTINIT: blocked reachable"
	assert_line "TESTINIT: done"
}

@test "rdinit: earlywall as the initramfs's /init loads the nf_tables modules; the policy is live in nftables before the test init; no interface was up" {
	ew_image rdinit-all lockout all
	boot rdinit-all "$IMAGE" --append "$NFTDUMP ewarg1 EWTEST=passthrough"
	assert_full_policy nftables "no interface was up"
	# argv and envp exactly as the kernel gave them to earlywall.
	assert_line "TESTINIT: started pid=1 argv=/sbin/testinit ewarg1 env=EWTEST=passthrough HOME=/ TERM=linux"
	assert_line "TESTINIT: interfaces=lo up=none"
	# Only what the policy needs: it has no log rule (LOG_DROPS is off), and
	# nothing of the legacy front end.
	refute_module nft_log
	refute_module nft_limit
	refute_module nf_log_syslog
	refute_module x_tables
}

@test "init=: earlywall (libiptc only) as PID 1 of a read-only ext4 root filesystem, no initramfs" {
	EW_BACKEND=IPTABLES ew_image init-rootfs lockout all
	boot init-rootfs "$IMAGE" --append "root=/dev/nvme0n1 rootwait ro init=/sbin/earlywall ewarg1"
	assert_full_policy iptables "no interface was up"
	assert_line "TESTINIT: started pid=1 argv=/sbin/testinit ewarg1 env=HOME=/ TERM=linux"
	assert_line --regexp '^TESTINIT: uptime=.* mounts=/\(ext4\)'
	refute_module nf_tables
}

@test "an interface brought up before earlywall is named in the kmsg line" {
	ew_build boot-lockout tests/boot/lockout.config
	ew_image ifup lockout all --init "$ROOT/tests/boot/preinit-ifup" --earlywall "$EW"
	boot ifup "$IMAGE" --append "$NFTDUMP"
	assert_full_policy nftables "interfaces already up: eth0"
	assert_line "TESTINIT: interfaces=eth0 lo up=eth0"
}

# The minimal lockdown as nft lists it: DROP policies, loopback only, both
# families.
minimal_nft() {
	local family
	for family in ip ip6; do
		printf '%s\n' "table $family earlywall {" '	chain input {' \
			'		type filter hook input priority filter; policy drop;' '		iifname "lo" accept' '	}' '' \
			'	chain forward {' '		type filter hook forward priority filter; policy drop;' '	}' '' \
			'	chain output {' '		type filter hook output priority filter; policy drop;' '		oifname "lo" accept' '	}' '}'
	done
}

@test "no conntrack modules, FAIL_LOCKOUT: both backends fail the full policy; the test init starts with the minimal lockdown live in nftables" {
	ew_image nc-lockout lockout no-conntrack
	boot nc-lockout "$IMAGE" --append "$NFTDUMP"
	[ "$BOOT_RC" = 0 ] || { console | tail -n 40; false; }
	diff -u <(minimal_nft) <(live_nft)
	# The failed libiptc attempt loaded iptable_filter: its tables are there,
	# empty (their ACCEPT policies let nothing past nftables' drop).
	! live_rules | grep -q '^-A' || { live_rules >&2; false; }
	run kmsg_lines
	assert_line --regexp '^\[ *[0-9.]+\] earlywall: FAILED with nftables: .*nft_ct.*; with iptables: .*conntrack.*; minimal lockdown committed with nftables \(DROP policies, loopback only\): IPv4 2 rules, IPv6 2 rules, in [0-9]+ ms \(FAIL_LOCKOUT\); no interface was up$'
	kmsg_before_testinit
	run testinit_says
	refute_module nf_conntrack
	assert_module nf_tables
	assert_line "TESTINIT: allowed unreachable"
	assert_line "TESTINIT: blocked unreachable"
	assert_line "TESTINIT: done"
}

@test "no conntrack modules, FAIL_HALT: the test init never starts" {
	ew_image nc-halt halt no-conntrack
	boot nc-halt "$IMAGE" --timeout 25 --stop-on 'earlywall: .*FAILED' --grace 5
	[ "$BOOT_RC" = 125 ] || [ "$BOOT_RC" = 124 ]
	run console
	assert_line --regexp 'earlywall: FAILED with nftables: .*nft_ct.*; with iptables: .*conntrack.*; NOT handing off \(FAIL_HALT\); no interface was up$'
	refute_line --regexp '^TESTINIT: '
}

@test "no netfilter modules at all, FAIL_LOCKOUT: no hand-off" {
	ew_image none-lockout lockout none
	boot none-lockout "$IMAGE" --timeout 25 --stop-on 'earlywall: .*FAILED' --grace 5
	[ "$BOOT_RC" = 125 ] || [ "$BOOT_RC" = 124 ]
	run console
	assert_line --regexp 'earlywall: FAILED with nftables: .*nfnetlink.*; with iptables: .*ip_tables.*; the minimal lockdown failed too: with nftables: .*nfnetlink.*; with iptables: .*ip_tables.*; NOT handing off \(FAIL_LOCKOUT\); no interface was up$'
	refute_line --regexp '^TESTINIT: '
}

@test "no netfilter modules at all, FAIL_OPEN: hands off, with a loud kmsg line, and the network is open" {
	ew_image none-open open none
	boot none-open "$IMAGE"
	[ "$BOOT_RC" = 0 ] || { console | tail -n 40; false; }
	run kmsg_lines
	assert_line --regexp 'earlywall: FAILED OPEN with nftables: .*nfnetlink.*; with iptables: .*ip_tables.*; handing off WITHOUT a firewall \(FAIL_OPEN\); no interface was up$'
	run testinit_says
	assert_line "TESTINIT: no ip_tables in the kernel"
	assert_line "TESTINIT: allowed reachable"
	assert_line "TESTINIT: blocked reachable"
	assert_line "TESTINIT: done"
}

@test "ipv6.disable=1 (CIS hardening), FAIL_LOCKOUT: IPv4 is committed with nftables, the kmsg line says the kernel has no IPv6, init starts" {
	ew_image noipv6 lockout all
	boot noipv6 "$IMAGE" --append "$NFTDUMP ipv6.disable=1"
	[ "$BOOT_RC" = 0 ] || { console | tail -n 40; false; }
	run kmsg_lines
	assert_line --regexp "earlywall: policy committed with nftables: IPv4 $(rules 4) rules, IPv6 none: the kernel has no IPv6, in [0-9]+ ms; no interface was up$"
	kmsg_before_testinit
	diff -u <(ref_print --nft --ipv4) <(live_nft)
	run testinit_says
	assert_line "TESTINIT: allowed reachable"
	assert_line "TESTINIT: blocked unreachable"
	assert_line "TESTINIT: done"
}

@test "a kernel without legacy xtables (no ip_tables, nf_tables there), FAIL_LOCKOUT: the full policy goes in with nftables and the test init starts; no interface was up" {
	ew_image noxt-lockout lockout no-xtables
	boot noxt-lockout "$IMAGE" --append "$NFTDUMP"
	assert_full_policy nftables "no interface was up"
	refute_module ip_tables
	refute_module x_tables
}

@test "a kernel with legacy xtables only (no nf_tables, no nfnetlink), AUTO: the full policy goes in with libiptc, and the kmsg line says why nftables failed" {
	ew_image nonft-lockout lockout no-nftables
	boot nonft-lockout "$IMAGE" --append "$NFTDUMP"
	assert_full_policy iptables "no interface was up" 'with nftables: .*nfnetlink.*'
	refute_module nf_tables
	refute_module nfnetlink
}

@test "Debian's PREEMPT_RT kernel (no legacy xtables at all, .ko.xz modules), the default AUTO build: the full policy goes in with nftables before the test init; no interface was up" {
	local rc=0 kver kdir err=$BATS_TEST_TMPDIR/qemu-kernel.err KERNEL
	kver=$("$ROOT/scripts/qemu-kernel.sh" --arch amd64-rt 2>"$err") || rc=$?
	# 1: it could not be fetched (no archive, no network); 3: it is not a
	# kernel without legacy xtables, which fails the test.
	if [ "$rc" = 1 ]; then
		cat "$err" >&2
		skip "the PREEMPT_RT kernel cannot be fetched: $(sed -n 's/^qemu-kernel: //p' "$err" | tail -n 1)"
	fi
	[ "$rc" = 0 ] || { cat "$err" >&2; false; }
	"$ROOT/scripts/qemu-kernel.sh" --arch amd64-rt --report 2>&1 >/dev/null | sed 's/^/# /' >&3
	kdir=$ROOT/build/kernel/amd64-rt/$kver
	grep -qx 'CONFIG_PREEMPT_RT=y' "$kdir/config"
	# What the kernel has, independently of qemu-kernel.sh's own check.
	[ -z "$(find "$kdir/lib/modules" -name 'ip_tables.ko*' -o -name 'ip6_tables.ko*')" ]
	[ -n "$(find "$kdir/lib/modules" -name 'nf_tables.ko.xz')" ]
	[ -z "$(find "$kdir/lib/modules" -name '*.ko')" ]
	ew_build boot-lockout tests/boot/lockout.config
	"$EW" config | grep -qx 'CONFIG_BACKEND_AUTO=y'
	IMAGE=$BOOT/rt-rdinit-all.cpio.gz
	"$ROOT/scripts/initramfs.sh" "$IMAGE" --arch amd64-rt --kver "$kver" --modules all --init "$EW" \
		--add "$BOOT/nftdump:/sbin/nftdump"
	KERNEL=$kdir/vmlinuz
	boot rt-rdinit-all "$IMAGE" --append "$NFTDUMP ewarg1 EWTEST=passthrough"
	run console
	assert_line --regexp "^\[ *[0-9.]+\] Linux version ${kver//+/\\+} .* PREEMPT_RT "
	assert_full_policy nftables "no interface was up"
	assert_line "TESTINIT: started pid=1 argv=/sbin/testinit ewarg1 env=EWTEST=passthrough HOME=/ TERM=linux"
	assert_line "TESTINIT: interfaces=lo up=none"
	refute_module x_tables
}
