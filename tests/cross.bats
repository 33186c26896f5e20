#!/usr/bin/env bats
# cross.bats - the Raspberry Pi cross builds: aarch64 (64-bit Raspberry Pi OS
# on Pi 3/4/5, Zero 2 W) and armv7 hard-float (32-bit OS on Pi 2/3/4), with
# Debian's cross compilers and musl through multiarch (scripts/deps-cross.sh).
# The binaries are checked as files (static, stripped, the right ABI, LOAD
# segments that a 16K-page kernel such as the Pi 5's can map) and run under
# qemu-user, where `print` must equal the x86_64 build's byte for byte.
# qemu-user cannot run `apply` or `verify`: it does not pass the iptables
# socket options through (tests/boot_arm64.bats runs the aarch64 build on a
# real arm64 kernel). Sizes are reported on fd 3, not asserted.
# Skipped, with the reason, when the toolchain is missing and cannot be
# installed (not root, not Debian).

load helpers

setup_file() {
	local missing
	missing=$(cross_missing)
	if [ -n "$missing" ]; then
		export CROSS_SKIP="cross toolchain missing: $missing"
	fi
}

setup() {
	[ -z "${CROSS_SKIP:-}" ] || skip "$CROSS_SKIP"
}

# build ARCH CONFIG-NAME: tests/configs/NAME.config for x86_64 (the host),
# aarch64 or armhf, into build/t/cross-ARCH-NAME; sets EW.
build() {
	local arch=$1 name=$2 cross=
	case $arch in
	aarch64) cross=aarch64-linux-gnu- ;;
	armhf) cross=arm-linux-gnueabihf- ;;
	esac
	ew_build "cross-$arch-$name" "tests/configs/$name.config" ${cross:+CROSS_COMPILE=$cross}
}

# emulator ARCH: the qemu-user program that runs it.
emulator() {
	case $1 in
	aarch64) echo qemu-aarch64-static ;;
	armhf) echo qemu-arm-static ;;
	esac
}

# report ARCH FILE: its size, on the TAP stream.
report() {
	echo "# $1: $(stat -c %s "$2") bytes ($((($(stat -c %s "$2") + 1023) / 1024)) KiB)  ${2#"$ROOT"/}" >&3
}

# same_output ARCH EW-CROSS EW-HOST ARGS...: the cross binary under qemu-user
# prints exactly what the host binary prints, with the same exit status.
same_output() {
	local arch=$1 cross=$2 host=$3 want rc_want got rc_got
	shift 3
	rc_want=0
	want=$("$host" "$@" 2>&1) || rc_want=$?
	rc_got=0
	got=$("$(emulator "$arch")" "$cross" "$@" 2>&1) || rc_got=$?
	if [ "$want" != "$got" ] || [ "$rc_want" != "$rc_got" ]; then
		echo "earlywall $* differs: x86_64 exit $rc_want, $arch exit $rc_got" >&2
		diff -u <(echo "$want") <(echo "$got") >&2
		return 1
	fi
}

@test "aarch64: a static, stripped ARM aarch64 executable" {
	build aarch64 rpi
	run file -b "$EW"
	assert_output --regexp '^ELF 64-bit LSB executable, ARM aarch64, .*statically linked.*, stripped$'
	run readelf -lW "$EW"
	refute_output --partial INTERP
	refute_output --partial DYNAMIC
	report aarch64 "$EW"
}

@test "armhf: a static, stripped ARMv7 EABI5 hard-float executable" {
	build armhf rpi
	run file -b "$EW"
	assert_output --regexp '^ELF 32-bit LSB executable, ARM, EABI5 .*statically linked.*, stripped$'
	run readelf -h "$EW"
	assert_output --regexp 'Flags: .*Version5 EABI, hard-float ABI'
	run readelf -A "$EW"
	assert_line --regexp '^ +Tag_CPU_arch: v7$'
	assert_line --regexp '^ +Tag_ABI_VFP_args: VFP registers$'
	run readelf -lW "$EW"
	refute_output --partial INTERP
	refute_output --partial DYNAMIC
	report armhf "$EW"
}

@test "aarch64: every LOAD segment maps on 16K pages (the Pi 5's kernel) and 64K pages" {
	build aarch64 rpi
	local n=0 type off vaddr align
	# LOAD Offset VirtAddr PhysAddr FileSiz MemSiz Flg[ Flg] Align
	while read -r type off vaddr _ _ _ rest; do
		[ "$type" = LOAD ] || continue
		align=${rest##* }
		n=$((n + 1))
		echo "# aarch64 LOAD $n: offset $off vaddr $vaddr align $align" >&3
		# Aligned to at least 16 KiB, and offset and address congruent modulo
		# 16 KiB, so that a 16K-page kernel can mmap the segment as it is.
		[ $((align)) -ge $((0x4000)) ] || { echo "LOAD $n: Align $align < 0x4000" >&2; false; }
		[ $(((vaddr - off) % 0x4000)) = 0 ] || { echo "LOAD $n: offset $off, vaddr $vaddr not congruent mod 16K" >&2; false; }
		[ $(((vaddr - off) % 0x10000)) = 0 ] || { echo "LOAD $n: offset $off, vaddr $vaddr not congruent mod 64K" >&2; false; }
	done < <(readelf -lW "$EW")
	[ "$n" -ge 1 ]
}

@test "aarch64 under qemu-aarch64-static: print, config, --version and usage errors equal the x86_64 build's" {
	build x86_64 rpi
	local host=$EW
	build aarch64 rpi
	same_output aarch64 "$EW" "$host" print
	same_output aarch64 "$EW" "$host" print --ipv4
	same_output aarch64 "$EW" "$host" print --ipv6
	same_output aarch64 "$EW" "$host" config
	same_output aarch64 "$EW" "$host" --version
	same_output aarch64 "$EW" "$host" no-such-command
	# And the golden file, which the x86_64 build is tested against.
	diff -u "$ROOT/tests/configs/rpi.nft" <(qemu-aarch64-static "$EW" print)
}

@test "armhf under qemu-arm-static: print, config, --version and usage errors equal the x86_64 build's" {
	build x86_64 rpi
	local host=$EW
	build armhf rpi
	same_output armhf "$EW" "$host" print
	same_output armhf "$EW" "$host" print --ipv4
	same_output armhf "$EW" "$host" print --ipv6
	same_output armhf "$EW" "$host" config
	same_output armhf "$EW" "$host" --version
	same_output armhf "$EW" "$host" no-such-command
	diff -u "$ROOT/tests/configs/rpi.nft" <(qemu-arm-static "$EW" print)
}

@test "every golden configuration prints the same on aarch64 and armhf as on x86_64" {
	local name host arch
	for name in $(golden_names); do
		build x86_64 "$name"
		host=$EW
		for arch in aarch64 armhf; do
			build "$arch" "$name"
			same_output "$arch" "$EW" "$host" print
			same_output "$arch" "$EW" "$host" config
		done
	done
}

@test "sizes (reported, not asserted)" {
	local arch
	for arch in x86_64 aarch64 armhf; do
		build "$arch" rpi
		report "$arch" "$EW"
	done
}
