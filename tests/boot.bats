#!/usr/bin/env bats
# boot.bats - earlywall as the first process of a real kernel: Debian's cloud
# kernel in qemu (TCG), with the netfilter modules loaded from the image.
# Each boot has a hard timeout; its serial console log stays in build/boot/.
#
# The images (scripts/initramfs.sh) carry busybox-static, the distribution's
# iptables-legacy-save as an independent reader, the kernel's modules, and
# tests/boot/testinit as INIT_PATH. testinit records on the console what it
# was given and found ("TESTINIT: ..." lines), then tries two TCP services
# that qemu answers itself: 10.0.2.100:8080, which the boot policy allows,
# and 10.0.2.101:8080, which it does not (scripts/qemu-boot.sh).

load helpers
load boot

setup_file() {
	# shellcheck disable=SC2153 # ROOT comes from helpers.bash
	KVER=$("$ROOT/scripts/qemu-kernel.sh")
	KERNEL=$ROOT/build/kernel/$KVER/vmlinuz
	BOOT=$ROOT/build/boot
	export KVER KERNEL BOOT
	"$ROOT/scripts/initramfs.sh" "$BOOT/baseline.cpio.gz" --init "$ROOT/tests/boot/baseline-init"
	"$ROOT/scripts/initramfs.sh" "$BOOT/baseline.ext4" --init "$ROOT/tests/boot/baseline-init"
}

# ew_image NAME FAILURE MODULES [initramfs.sh options]: build earlywall from
# tests/boot/FAILURE.config (lockout, halt, open) and an image with it,
# build/boot/NAME.cpio.gz (or NAME.ext4 when NAME ends in -rootfs); sets EW
# and IMAGE.
ew_image() {
	local name=$1 failure=$2 modules=$3
	shift 3
	ew_build "boot-$failure" "tests/boot/$failure.config"
	IMAGE=$BOOT/$name.cpio.gz
	case $name in *-rootfs) IMAGE=$BOOT/$name.ext4 ;; esac
	"$ROOT/scripts/initramfs.sh" "$IMAGE" --kver "$KVER" --modules "$modules" --init "$EW" "$@"
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

@test "rdinit: earlywall as the initramfs's /init loads the modules; the policy is live before the test init; no interface was up" {
	ew_image rdinit-all lockout all
	boot rdinit-all "$IMAGE" --append "ewarg1 EWTEST=passthrough"
	assert_policy_live "no interface was up"
	# argv and envp exactly as the kernel gave them to earlywall.
	assert_line "TESTINIT: started pid=1 argv=/sbin/testinit ewarg1 env=EWTEST=passthrough HOME=/ TERM=linux"
	assert_line "TESTINIT: interfaces=lo up=none"
	# Only what the policy needs: it has no LOG rule (LOG_DROPS is off).
	refute_line --regexp '^TESTINIT: modules=.*xt_LOG'
}

@test "init=: earlywall as PID 1 of a read-only ext4 root filesystem, no initramfs" {
	ew_image init-rootfs lockout all
	boot init-rootfs "$IMAGE" --append "root=/dev/nvme0n1 rootwait ro init=/sbin/earlywall ewarg1"
	assert_policy_live "no interface was up"
	assert_line "TESTINIT: started pid=1 argv=/sbin/testinit ewarg1 env=HOME=/ TERM=linux"
	assert_line --regexp '^TESTINIT: uptime=.* mounts=/\(ext4\)'
}

@test "an interface brought up before earlywall is named in the kmsg line" {
	ew_image ifup lockout all --init "$ROOT/tests/boot/preinit-ifup" --earlywall "$ROOT/build/t/boot-lockout/earlywall"
	boot ifup "$IMAGE"
	assert_policy_live "interfaces already up: eth0"
	assert_line "TESTINIT: interfaces=eth0 lo up=eth0"
}

@test "no conntrack modules, FAIL_LOCKOUT: the test init starts with the minimal lockdown live" {
	ew_image nc-lockout lockout no-conntrack
	boot nc-lockout "$IMAGE"
	assert_minimal_lockdown_live
}

@test "no conntrack modules, FAIL_HALT: the test init never starts" {
	ew_image nc-halt halt no-conntrack
	boot nc-halt "$IMAGE" --timeout 25 --stop-on 'earlywall: .*FAILED' --grace 5
	[ "$BOOT_RC" = 125 ] || [ "$BOOT_RC" = 124 ]
	run console
	assert_line --regexp 'earlywall: FAILED: .*conntrack.*NOT handing off \(FAIL_HALT\); no interface was up$'
	refute_line --regexp '^TESTINIT: '
}

@test "no netfilter modules at all, FAIL_LOCKOUT: no hand-off" {
	ew_image none-lockout lockout none
	boot none-lockout "$IMAGE" --timeout 25 --stop-on 'earlywall: .*FAILED' --grace 5
	[ "$BOOT_RC" = 125 ] || [ "$BOOT_RC" = 124 ]
	run console
	assert_line --regexp 'earlywall: FAILED: .*ip_tables.*the minimal lockdown failed too: .*NOT handing off \(FAIL_LOCKOUT\); no interface was up$'
	refute_line --regexp '^TESTINIT: '
}

@test "no netfilter modules at all, FAIL_OPEN: hands off, with a loud kmsg line, and the network is open" {
	ew_image none-open open none
	boot none-open "$IMAGE"
	[ "$BOOT_RC" = 0 ] || { console | tail -n 40; false; }
	run kmsg_lines
	assert_line --regexp 'earlywall: FAILED OPEN: .*ip_tables.*handing off WITHOUT a firewall \(FAIL_OPEN\); no interface was up$'
	run testinit_says
	assert_line "TESTINIT: no ip_tables in the kernel"
	assert_line "TESTINIT: allowed reachable"
	assert_line "TESTINIT: blocked reachable"
	assert_line "TESTINIT: done"
}

@test "ipv6.disable=1 (CIS hardening), FAIL_LOCKOUT: IPv4 is committed, the kmsg line says the kernel has no IPv6, init starts" {
	ew_image noipv6 lockout all
	boot noipv6 "$IMAGE" --append "ipv6.disable=1"
	[ "$BOOT_RC" = 0 ] || { console | tail -n 40; false; }
	run kmsg_lines
	assert_line --regexp "earlywall: policy committed: IPv4 $(rule_count 4) rules, IPv6 none: the kernel has no IPv6, in [0-9]+ ms; no interface was up$"
	diff -u <(ref_print --ipv4) <(live_rules | sed -n '1,/^COMMIT$/p')
	run testinit_says
	assert_line "TESTINIT: allowed reachable"
	assert_line "TESTINIT: blocked unreachable"
	assert_line "TESTINIT: done"
}

@test "a kernel without legacy xtables (no ip_tables, nf_tables there), FAIL_LOCKOUT: the minimal lockdown goes in with nftables and the test init starts, offline" {
	ew_image noxt-lockout lockout no-xtables
	boot noxt-lockout "$IMAGE"
	[ "$BOOT_RC" = 0 ] || { console | tail -n 40; false; }
	run kmsg_lines
	assert_line --regexp 'earlywall: FAILED: .*; minimal lockdown committed with nftables \(table inet earlywall: DROP policies, loopback only, IPv4 and IPv6\), in [0-9]+ ms \(FAIL_LOCKOUT\); no interface was up$'
	run testinit_says
	assert_line --regexp '^TESTINIT: modules=.*nf_tables'
	refute_line --regexp '^TESTINIT: modules=.*ip_tables'
	assert_line "TESTINIT: allowed unreachable"
	assert_line "TESTINIT: blocked unreachable"
	assert_line "TESTINIT: done"
}
