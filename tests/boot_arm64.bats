#!/usr/bin/env bats
# boot_arm64.bats - the aarch64 build of earlywall as the first process of a
# real arm64 kernel: Debian's generic arm64 kernel (the one Debian also runs
# on the Raspberry Pi), fetched as a .deb through multiarch and never
# installed (scripts/qemu-kernel.sh --arch arm64), booted by
# qemu-system-aarch64 -M virt -cpu cortex-a53 with TCG. The same assertions
# as the x86_64 rdinit boot in boot.bats: the kmsg line comes before the test
# init starts, the live rules are exactly `earlywall print`, and only the
# allowed qemu guestfwd service answers once the test init brings the NIC up.
#
# The images (scripts/initramfs.sh --arch arm64) carry Debian's arm64
# busybox-static, Debian's arm64 iptables-legacy-save with its glibc
# libraries as the independent reader, the kernel's netfilter modules with a
# modules.dep from depmod, and tests/boot/testinit. Each boot has a hard
# timeout; its serial log stays in build/boot/arm64-*.log, and its time goes
# to the TAP stream. Skipped, with the reason, when the cross toolchain or
# qemu cannot be installed (scripts/deps-cross.sh).

load helpers

# The shared boot checks read the legacy tables (tests/boot.bash).
export EW_BACKEND=IPTABLES
load boot

# A boot takes a few seconds with TCG (the blocked probe waits 3 s of them).
TIMEOUT=${EW_ARM64_BOOT_TIMEOUT:-90}

setup_file() {
	local missing
	missing=$(cross_missing)
	if [ -n "$missing" ]; then
		export ARM64_SKIP="cross toolchain or qemu missing: $missing"
		return 0
	fi
	# shellcheck disable=SC2153 # ROOT comes from helpers.bash
	KVER=$("$ROOT/scripts/qemu-kernel.sh" --arch arm64)
	KERNEL=$ROOT/build/kernel/arm64/$KVER/vmlinuz
	BOOT=$ROOT/build/boot
	export KVER KERNEL BOOT
	"$ROOT/scripts/qemu-kernel.sh" --arch arm64 --report 2>&1 >/dev/null | sed 's/^/# /' >&3
	"$ROOT/scripts/initramfs.sh" "$BOOT/arm64-baseline.cpio.gz" --arch arm64 --kver "$KVER" \
		--init "$ROOT/tests/boot/baseline-init"
}

setup() {
	[ -z "${ARM64_SKIP:-}" ] || skip "$ARM64_SKIP"
}

# ew_image NAME FAILURE MODULES [initramfs.sh options]: build earlywall for
# aarch64 and for the host from tests/boot/FAILURE.config (lockout, halt,
# open), and build/boot/arm64-NAME.cpio.gz with the aarch64 one as /init;
# sets EW (aarch64), REF_EW (x86_64, for `print`) and IMAGE.
ew_image() {
	local name=$1 failure=$2 modules=$3
	shift 3
	ew_build "arm64-host-$failure" "tests/boot/$failure.config"
	REF_EW=$EW
	ew_build "arm64-boot-$failure" "tests/boot/$failure.config" CROSS_COMPILE=aarch64-linux-gnu-
	IMAGE=$BOOT/arm64-$name.cpio.gz
	"$ROOT/scripts/initramfs.sh" "$IMAGE" --arch arm64 --kver "$KVER" --modules "$modules" \
		--init "$EW" "$@"
}

# boot NAME IMAGE [qemu-boot.sh options]: boot KERNEL with IMAGE as the
# initramfs, as qemu-boot.sh --arch BOOT_ARCH (default arm64); the serial log goes
# to build/boot/arm64-NAME.log. Sets BOOT_RC and LOG.
boot() {
	local name=$1 image=$2 err
	shift 2
	LOG=$BOOT/arm64-$name.log
	err=$BATS_TEST_TMPDIR/qemu-boot.err
	BOOT_RC=0
	"$ROOT/scripts/qemu-boot.sh" "$KERNEL" "$image" "$LOG" --arch "${BOOT_ARCH:-arm64}" \
		--timeout "$TIMEOUT" "$@" 2>"$err" || BOOT_RC=$?
	cat "$err" >&2
	sed -n 's/^qemu-boot.sh: \(.*\)/# \1/p' "$err" >&3
}


@test "arm64 baseline: the arm64 kernel boots the initramfs, the test init runs, both services answer (no earlywall)" {
	boot baseline "$BOOT/arm64-baseline.cpio.gz" --append "ewarg1 EWTEST=passthrough"
	[ "$BOOT_RC" = 0 ] || { console | tail -n 40; false; }
	run console
	assert_line --regexp "^\[ *[0-9.]+\] Linux version $KVER "
	assert_line --regexp '^\[ *[0-9.]+\] Machine model: linux,dummy-virt$'
	assert_baseline_boot
}

@test "arm64 rdinit: the aarch64 earlywall as /init loads the modules; the policy is live before the test init; no interface was up" {
	ew_image rdinit-all lockout all
	run file -b "$EW"
	assert_output --regexp '^ELF 64-bit LSB executable, ARM aarch64, .*statically linked'
	boot rdinit-all "$IMAGE" --append "ewarg1 EWTEST=passthrough"
	assert_policy_live "no interface was up"
	# argv and envp exactly as the kernel gave them to earlywall.
	assert_line "TESTINIT: started pid=1 argv=/sbin/testinit ewarg1 env=EWTEST=passthrough HOME=/ TERM=linux"
	assert_line "TESTINIT: interfaces=lo up=none"
	# This kernel has CRYPTO_CRC32C=m: nf_conntrack needs libcrc32c, whose
	# softdep "pre: crc32c" names an alias of crc32c_generic.
	assert_line --regexp '^TESTINIT: modules=.*libcrc32c'
	assert_line --regexp '^TESTINIT: modules=.*crc32c_generic'
	refute_line --regexp '^TESTINIT: modules=.*xt_LOG'
}

@test "arm64: an interface brought up before earlywall is named in the kmsg line" {
	ew_build arm64-boot-lockout tests/boot/lockout.config CROSS_COMPILE=aarch64-linux-gnu-
	ew_image ifup lockout all --init "$ROOT/tests/boot/preinit-ifup" --earlywall "$EW"
	boot ifup "$IMAGE"
	assert_policy_live "interfaces already up: eth0"
	assert_line "TESTINIT: interfaces=eth0 lo up=eth0"
}

@test "arm64, no conntrack modules, FAIL_LOCKOUT: the test init starts with the minimal lockdown live" {
	ew_image nc-lockout lockout no-conntrack
	boot nc-lockout "$IMAGE"
	assert_minimal_lockdown_live
}

# The page size of the booted kernel, from its console log: an arm64 kernel
# prints "percpu: Embedded N pages/cpu ... uSIZE" with SIZE = N pages.
page_size() {
	console | sed -n 's/.*percpu: Embedded \([0-9]*\) pages\/cpu .* u\([0-9]*\)$/\2 \1/p' |
		awk 'NR == 1 { print $1 / $2 }'
}

@test "arm64 16K pages, like the Pi 5: trixie's arm64-16k kernel with xz modules, on a Cortex-A76; the policy is live before the test init" {
	local kver16
	kver16=$("$ROOT/scripts/qemu-kernel.sh" --arch arm64-16k)
	"$ROOT/scripts/qemu-kernel.sh" --arch arm64-16k --report 2>&1 >/dev/null | sed 's/^/# /' >&3
	grep -qx 'CONFIG_ARM64_16K_PAGES=y' "$ROOT/build/kernel/arm64-16k/$kver16/config"
	ew_build arm64-host-lockout tests/boot/lockout.config
	REF_EW=$EW
	ew_build arm64-boot-lockout tests/boot/lockout.config CROSS_COMPILE=aarch64-linux-gnu-
	IMAGE=$BOOT/arm64-16k-rdinit-all.cpio.gz
	"$ROOT/scripts/initramfs.sh" "$IMAGE" --arch arm64-16k --kver "$kver16" --init "$EW"
	# The modules in the image are .ko.xz, as on Raspberry Pi OS.
	[ -n "$(find "$ROOT/build/kernel/arm64-16k/$kver16/lib/modules" -name 'nf_conntrack.ko.xz')" ]
	KERNEL=$ROOT/build/kernel/arm64-16k/$kver16/vmlinuz
	BOOT_ARCH=arm64-16k
	boot 16k-rdinit-all "$IMAGE" --append "ewarg1 EWTEST=passthrough"
	[ "$(page_size)" = 16384 ] || { echo "page size: $(page_size)" >&2; false; }
	assert_policy_live "no interface was up"
	assert_line "TESTINIT: started pid=1 argv=/sbin/testinit ewarg1 env=EWTEST=passthrough HOME=/ TERM=linux"
	assert_line "TESTINIT: interfaces=lo up=none"
}
