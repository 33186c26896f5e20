#!/usr/bin/env bats
# pigen.bats - board/rpi/pi-gen/: the pi-gen stage, its installer and the
# cmdline.txt rewrite.
#
# The stage runs under tests/pigen/run-stage.sh, which does what pi-gen's
# build.sh does with a stage (prerun.sh, then NN-run.sh in each sub-stage,
# with STAGE_DIR, ROOTFS_DIR ... set), against fake root filesystems laid out
# like pi-gen's stage2 output: usr-merged, /boot/firmware/cmdline.txt (and the
# "DO NOT EDIT" /boot/cmdline.txt) on bookworm and trixie, /boot/cmdline.txt
# before. cmdline.txt comes from tests/pigen/*.cmdline.txt, pi-gen's own
# (see tests/pigen/README.md). Binaries are ELF headers of the right (or
# wrong) architecture, except in the simulated boots, where the real
# earlywall runs as PID 1 of a chroot and Raspberry Pi OS's first-boot
# helper is stood in for by a script that makes its exact cmdline.txt edits.

load helpers

FIRSTBOOT=/usr/lib/raspberrypi-sys-mods/firstboot
CHAIN=/usr/lib/earlywall/chain-init

setup() {
	# shellcheck disable=SC2153 # ROOT comes from helpers.bash
	STAGE=$ROOT/board/rpi/pi-gen
	FIX=$ROOT/tests/pigen
	T=$BATS_TEST_TMPDIR
	EW_CMDLINE_LIB=1
	# shellcheck source=board/rpi/pi-gen/earlywall-cmdline.sh
	. "$STAGE/earlywall-cmdline.sh"
}

# fake_elf FILE aarch64|armhf: an ELF header for that architecture.
fake_elf() {
	local class machine
	case $2 in
	aarch64) class=2 machine=267 ;;
	armhf) class=1 machine=050 ;;
	esac
	mkdir -p "$(dirname "$1")"
	{
		printf '\177ELF'
		printf '%b' "\\0$class"
		printf '\001\001'
		head -c 9 /dev/zero
		printf '\002\000'
		printf '%b' "\\0$machine"
		printf '\000'
		head -c 44 /dev/zero
	} >"$1"
	chmod 0755 "$1"
}

# prev_rootfs DIR RELEASE ARCH: a root filesystem like pi-gen's stage2 output
# for bookworm, trixie or bullseye.
prev_rootfs() {
	local r=$1 release=$2 arch=$3
	mkdir -p "$r"/usr/bin "$r"/usr/sbin "$r"/usr/lib/raspberrypi-sys-mods "$r"/etc/systemd/system \
		"$r"/etc/initramfs-tools/hooks "$r"/etc/initramfs-tools/scripts/init-top "$r"/boot "$r"/var/lib
	ln -s usr/bin "$r/bin"
	ln -s usr/sbin "$r/sbin"
	ln -s usr/lib "$r/lib"
	fake_elf "$r/usr/bin/dpkg" "$arch"
	printf '#!/bin/bash\n' >"$r$FIRSTBOOT"
	chmod 0755 "$r$FIRSTBOOT"
	case $release in
	bookworm | trixie)
		mkdir -p "$r/boot/firmware"
		cp "$FIX/$release.cmdline.txt" "$r/boot/firmware/cmdline.txt"
		printf 'auto_initramfs=1\n' >"$r/boot/firmware/config.txt"
		# stage1/00-boot-files/00-run.sh: the old path says where the file went.
		cp "$FIX/bookworm.boot-stub.txt" "$r/boot/cmdline.txt"
		;;
	bullseye)
		cp "$FIX/bullseye.cmdline.txt" "$r/boot/cmdline.txt"
		;;
	esac
	chmod 0644 "$r"/boot/cmdline.txt
}

# run_stage WORK PREV [ENV=VALUE...]: the stage, as pi-gen runs it; sets
# ROOTFS (pi-gen's ROOTFS_DIR for it) and CMDLINE.
run_stage() {
	local work=$1 prev=$2
	shift 2
	ROOTFS=$work/pi-gen/rootfs
	CMDLINE=$ROOTFS/boot/firmware/cmdline.txt
	run env "$@" "$FIX/run-stage.sh" "$STAGE" "$work" "$prev"
}

# The words of a command line, one per line.
words() {
	tr ' ' '\n' <"$1" | sed '/^$/d'
}

# What the kernel and initramfs-tools' /init run: the last init= ...
kernel_init() {
	words "$1" | sed -n 's/^init=//p' | tail -n 1
}
# ... and where earlywall hands off: the first earlywall.init= (src/boot/bootinfo.c).
earlywall_next() {
	words "$1" | sed -n 's/^earlywall\.init=//p' | head -n 1
}

BOOKWORM='console=serial0,115200 console=tty1 root=ROOTDEV rootfstype=ext4 fsck.repair=yes rootwait quiet init=/usr/lib/raspberrypi-sys-mods/firstboot'
TRIXIE='console=serial0,115200 console=tty1 root=ROOTDEV rootfstype=ext4 fsck.repair=yes rootwait resize'

@test "fixtures: bookworm's and trixie's cmdline.txt as pi-gen leaves them, one line each" {
	[ "$(cat "$FIX/bookworm.cmdline.txt")" = "$BOOKWORM" ]
	[ "$(cat "$FIX/trixie.cmdline.txt")" = "$TRIXIE" ]
	[ "$(cat "$FIX/bullseye.cmdline.txt")" = "$BOOKWORM" ]
	for f in bookworm trixie bullseye; do
		[ "$(wc -l <"$FIX/$f.cmdline.txt")" = 1 ]
	done
}

@test "cmdline: bookworm keeps the first-boot init= and ROOTDEV, and ends with earlywall chained to it" {
	run ew_cmdline_rewrite "$BOOKWORM"
	assert_success
	assert_output "$BOOKWORM init=/sbin/earlywall earlywall.init=$CHAIN"
}

@test "cmdline: trixie (no init=) gets init=/sbin/earlywall and nothing else; resize stays" {
	run ew_cmdline_rewrite "$TRIXIE"
	assert_success
	assert_output "$TRIXIE init=/sbin/earlywall"
}

@test "cmdline: rewriting again changes nothing (one init=/sbin/earlywall, one earlywall.init=)" {
	local line once twice
	for line in "$BOOKWORM" "$TRIXIE" "root=ROOTDEV" "init=/sbin/earlywall root=ROOTDEV init=/bin/foo" \
		"a init=/sbin/earlywall earlywall.init=$CHAIN init=/sbin/earlywall b"; do
		once=$(ew_cmdline_rewrite "$line")
		twice=$(ew_cmdline_rewrite "$once")
		[ "$once" = "$twice" ]
		[ "$(printf '%s\n' "$once" | tr ' ' '\n' | grep -c '^init=/sbin/earlywall$')" = 1 ]
		[ "$(printf '%s\n' "$once" | tr ' ' '\n' | grep -c '^earlywall\.init=')" -le 1 ]
	done
}

@test "cmdline: an init=/sbin/earlywall before another init= is moved to the end, so it is the last" {
	run ew_cmdline_rewrite "root=ROOTDEV init=/sbin/earlywall rootwait init=/bin/foo"
	assert_output "root=ROOTDEV rootwait init=/bin/foo init=/sbin/earlywall earlywall.init=$CHAIN"
}

@test "cmdline: words after -- (init's arguments) stay after it; quoted words stay whole" {
	run ew_cmdline_rewrite 'root=ROOTDEV  dyndbg="file x.c +p"	quiet -- single init=x'
	assert_output 'root=ROOTDEV dyndbg="file x.c +p" quiet init=/sbin/earlywall -- single init=x'
}

@test "cmdline: a user's earlywall.init= is kept, unless it would hide another init=" {
	run ew_cmdline_rewrite "root=ROOTDEV earlywall.init=/lib/systemd/systemd"
	assert_success
	assert_output "root=ROOTDEV earlywall.init=/lib/systemd/systemd init=/sbin/earlywall"
	run ew_cmdline_rewrite "root=ROOTDEV init=$FIRSTBOOT earlywall.init=/lib/systemd/systemd"
	assert_failure
	assert_output --partial "earlywall would run /lib/systemd/systemd and never $FIRSTBOOT"
}

@test "cmdline file: one line with a newline; CRLF and a missing newline are fixed; more lines are refused" {
	local f=$T/cmdline.txt
	printf '%s' "$TRIXIE" >"$f"
	chmod 0640 "$f"
	run "$STAGE/earlywall-cmdline.sh" "$f"
	assert_success
	[ "$(cat "$f")" = "$TRIXIE init=/sbin/earlywall" ]
	[ "$(wc -l <"$f")" = 1 ]
	[ "$(stat -c %a "$f")" = 640 ]
	# Already right: not written again.
	touch -d '2001-01-01' "$f"
	run "$STAGE/earlywall-cmdline.sh" "$f"
	assert_success
	[ "$(stat -c %Y "$f")" = "$(date -d 2001-01-01 +%s)" ]

	printf '%s\r\n' "$BOOKWORM" >"$f"
	run "$STAGE/earlywall-cmdline.sh" "$f"
	assert_success
	[ "$(cat "$f")" = "$BOOKWORM init=/sbin/earlywall earlywall.init=$CHAIN" ]

	printf '%s\n%s\n' "$TRIXIE" "quiet" >"$f"
	run "$STAGE/earlywall-cmdline.sh" "$f"
	assert_failure
	assert_output --partial "2 lines that are not blank; cmdline.txt must be exactly one line"
	[ "$(wc -l <"$f")" = 2 ]
	run "$STAGE/earlywall-cmdline.sh" --print "$FIX/bookworm.cmdline.txt"
	assert_output "$BOOKWORM init=/sbin/earlywall earlywall.init=$CHAIN"
}

@test "stage: follows pi-gen's conventions; its shell scripts are shellcheck-clean" {
	[ -x "$STAGE/prerun.sh" ]
	[ -x "$STAGE/00-earlywall/00-run.sh" ]
	[ -f "$STAGE/EXPORT_IMAGE" ]
	# Sub-stages are the directories; only NN-run.sh is used (host side).
	run find "$STAGE" -mindepth 1 -maxdepth 1 -type d -printf '%f\n'
	assert_output 00-earlywall
	run ls "$STAGE/00-earlywall"
	assert_output 00-run.sh
	cd "$ROOT"
	run shellcheck -x board/rpi/pi-gen/prerun.sh board/rpi/pi-gen/00-earlywall/00-run.sh \
		board/rpi/pi-gen/earlywall-install.sh board/rpi/pi-gen/earlywall-cmdline.sh \
		tests/pigen/run-stage.sh tests/pigen/boot.sh tests/pigen/firstboot tests/pigen/init
	assert_success
	assert_output ""
}

@test "stage, bookworm arm64: binary, overlay and cmdline.txt installed as they must be" {
	local prev=$T/prev f
	prev_rootfs "$prev" bookworm aarch64
	fake_elf "$T/earlywall" aarch64
	run_stage "$T/work" "$prev" EARLYWALL_BIN="$T/earlywall"
	assert_success
	assert_line "EXPORT_IMAGE IMG_SUFFIX=-earlywall"
	assert_line "[run-stage] Begin $STAGE/prerun.sh"
	assert_line "[run-stage] End $STAGE/00-earlywall/00-run.sh"
	# The binary, through the usr-merged /sbin link.
	cmp "$T/earlywall" "$ROOTFS/usr/sbin/earlywall"
	[ "$(stat -c '%a %u %g' "$ROOTFS/sbin/earlywall")" = "755 0 0" ]
	# The overlay, README.md excepted.
	for f in /etc/initramfs-tools/hooks/earlywall /etc/initramfs-tools/scripts/init-top/earlywall "$CHAIN"; do
		cmp "$ROOT/rootfs-overlay$f" "$ROOTFS$f"
		[ "$(stat -c '%a %u %g' "$ROOTFS$f")" = "755 0 0" ]
	done
	for f in earlywall-verify.service earlywall-verify.timer; do
		cmp "$ROOT/rootfs-overlay/etc/systemd/system/$f" "$ROOTFS/etc/systemd/system/$f"
		[ "$(stat -c '%a %u %g' "$ROOTFS/etc/systemd/system/$f")" = "644 0 0" ]
	done
	[ "$(readlink "$ROOTFS/etc/systemd/system/timers.target.wants/earlywall-verify.timer")" = \
		/etc/systemd/system/earlywall-verify.timer ]
	[ ! -e "$ROOTFS/README.md" ]
	# cmdline.txt: ROOTDEV intact, one line, the helper kept, earlywall last.
	[ "$(cat "$CMDLINE")" = "$BOOKWORM init=/sbin/earlywall earlywall.init=$CHAIN" ]
	[ "$(wc -l <"$CMDLINE")" = 1 ]
	[ "$(words "$CMDLINE" | grep -c '^root=ROOTDEV$')" = 1 ]
	[ "$(kernel_init "$CMDLINE")" = /sbin/earlywall ]
	[ "$(earlywall_next "$CMDLINE")" = "$CHAIN" ]
	# The old path is pi-gen's "DO NOT EDIT" note, and stays one.
	cmp "$FIX/bookworm.boot-stub.txt" "$ROOTFS/boot/cmdline.txt"
}

@test "stage, run twice: the same result, exactly one init=/sbin/earlywall" {
	local prev=$T/prev
	prev_rootfs "$prev" bookworm aarch64
	fake_elf "$T/earlywall" aarch64
	run_stage "$T/work" "$prev" EARLYWALL_BIN="$T/earlywall"
	assert_success
	cp "$CMDLINE" "$T/first"
	(cd "$ROOTFS" && find . -printf '%p %m %u %l\n' | LC_ALL=C sort) >"$T/tree1"
	run_stage "$T/work" "$prev" EARLYWALL_BIN="$T/earlywall"
	assert_success
	cmp "$T/first" "$CMDLINE"
	(cd "$ROOTFS" && find . -printf '%p %m %u %l\n' | LC_ALL=C sort) | diff -u "$T/tree1" -
	[ "$(words "$CMDLINE" | grep -c '^init=/sbin/earlywall$')" = 1 ]
	[ "$(words "$CMDLINE" | grep -c "^earlywall.init=$CHAIN\$")" = 1 ]
	[ "$(words "$CMDLINE" | grep -c "^init=$FIRSTBOOT\$")" = 1 ]
}

# A checkout with the stage, the overlay and fake cross builds, to see which
# binary the stage takes by default.
fake_checkout() {
	local c=$T/checkout
	mkdir -p "$c/board/rpi"
	cp -a "$STAGE" "$c/board/rpi/pi-gen"
	cp -a "$ROOT/rootfs-overlay" "$c/rootfs-overlay"
	fake_elf "$c/build/aarch64/earlywall" aarch64
	fake_elf "$c/build/armhf/earlywall" armhf
	printf 'armhf\n' >>"$c/build/armhf/earlywall"
	STAGE=$c/board/rpi/pi-gen
	CHECKOUT=$c
}

@test "stage, default binary: build/aarch64/earlywall for a 64-bit root filesystem" {
	fake_checkout
	prev_rootfs "$T/prev" bookworm aarch64
	run_stage "$T/work" "$T/prev"
	assert_success
	cmp "$CHECKOUT/build/aarch64/earlywall" "$ROOTFS/sbin/earlywall"
}

@test "stage, trixie armhf: build/armhf/earlywall; init=/sbin/earlywall appended, no chain, resize kept" {
	fake_checkout
	prev_rootfs "$T/prev" trixie armhf
	run_stage "$T/work" "$T/prev"
	assert_success
	cmp "$CHECKOUT/build/armhf/earlywall" "$ROOTFS/sbin/earlywall"
	[ "$(cat "$CMDLINE")" = "$TRIXIE init=/sbin/earlywall" ]
	[ "$(kernel_init "$CMDLINE")" = /sbin/earlywall ]
	[ -z "$(earlywall_next "$CMDLINE")" ]
}

@test "stage, before bookworm: /boot/cmdline.txt is the one rewritten" {
	fake_elf "$T/earlywall" armhf
	prev_rootfs "$T/prev" bullseye armhf
	run_stage "$T/work" "$T/prev" EARLYWALL_BIN="$T/earlywall"
	assert_success
	[ "$(cat "$ROOTFS/boot/cmdline.txt")" = "$BOOKWORM init=/sbin/earlywall earlywall.init=$CHAIN" ]
}

@test "stage: a binary for another architecture, or none, stops it before anything changes" {
	prev_rootfs "$T/prev" bookworm aarch64
	fake_elf "$T/earlywall" armhf
	run_stage "$T/work" "$T/prev" EARLYWALL_BIN="$T/earlywall"
	assert_failure
	assert_output --partial "is built for armhf, but $ROOTFS is aarch64"
	[ ! -e "$ROOTFS/sbin/earlywall" ]
	[ ! -e "$ROOTFS$CHAIN" ]
	cmp "$FIX/bookworm.cmdline.txt" "$CMDLINE"
	run_stage "$T/work" "$T/prev" EARLYWALL_BIN="$T/nothing"
	assert_failure
	assert_output --partial "$T/nothing: no such file"
	cmp "$FIX/bookworm.cmdline.txt" "$CMDLINE"
}

@test "stage: EARLYWALL_INITRAMFS=0 leaves out (and takes out) the initramfs-tools files" {
	prev_rootfs "$T/prev" bookworm aarch64
	fake_elf "$T/earlywall" aarch64
	run_stage "$T/work" "$T/prev" EARLYWALL_BIN="$T/earlywall"
	[ -x "$ROOTFS/etc/initramfs-tools/hooks/earlywall" ]
	run_stage "$T/work" "$T/prev" EARLYWALL_BIN="$T/earlywall" EARLYWALL_INITRAMFS=0
	assert_success
	[ ! -e "$ROOTFS/etc/initramfs-tools/hooks/earlywall" ]
	[ ! -e "$ROOTFS/etc/initramfs-tools/scripts/init-top/earlywall" ]
	[ -x "$ROOTFS$CHAIN" ]
	[ -f "$ROOTFS/etc/systemd/system/earlywall-verify.service" ]
}

@test "install: files owned by someone else in the checkout belong to root in the image" {
	local ov=$T/overlay
	cp -a "$ROOT/rootfs-overlay" "$ov"
	chown -hR 4321:4321 "$ov"
	fake_elf "$T/earlywall" aarch64
	chown 4321:4321 "$T/earlywall"
	prev_rootfs "$T/root" bookworm aarch64
	run "$STAGE/earlywall-install.sh" --bin "$T/earlywall" --overlay "$ov" "$T/root"
	assert_success
	run find "$T/root" -user 4321
	assert_output ""
	[ "$(stat -c '%u %g' "$T/root/etc/systemd/system/timers.target.wants/earlywall-verify.timer")" = "0 0" ]
}

@test "install: an absolute link in the root filesystem is never followed out of it" {
	prev_rootfs "$T/root" bookworm aarch64
	rm "$T/root/sbin"
	ln -s "$T/host-sbin" "$T/root/sbin"
	mkdir "$T/host-sbin"
	fake_elf "$T/earlywall" aarch64
	run "$STAGE/earlywall-install.sh" --bin "$T/earlywall" "$T/root"
	assert_failure
	assert_output --partial "$T/root/sbin is an absolute symbolic link"
	[ -z "$(ls -A "$T/host-sbin")" ]
}

@test "install, SD card: the boot partition is given with --boot; without it, it says so" {
	# A card as a PC mounts it: bootfs and rootfs apart, boot/firmware empty.
	prev_rootfs "$T/rootfs" bookworm aarch64
	mkdir "$T/bootfs"
	mv "$T/rootfs/boot/firmware/cmdline.txt" "$T/rootfs/boot/firmware/config.txt" "$T/bootfs/"
	fake_elf "$T/earlywall" aarch64
	run "$STAGE/earlywall-install.sh" --bin "$T/earlywall" "$T/rootfs"
	assert_failure
	assert_output --partial "is the boot partition mounted there? If not, give it with --boot DIR"
	[ ! -e "$T/rootfs/sbin/earlywall" ]
	run "$STAGE/earlywall-install.sh" --bin "$T/earlywall" --boot "$T/bootfs" "$T/rootfs"
	assert_success
	[ "$(cat "$T/bootfs/cmdline.txt")" = "$BOOKWORM init=/sbin/earlywall earlywall.init=$CHAIN" ]
	cmp "$FIX/bookworm.boot-stub.txt" "$T/rootfs/boot/cmdline.txt"
}

@test "other Raspberry Pi OS edits of cmdline.txt leave earlywall's words alone" {
	local f=$T/cmdline.txt
	printf '%s systemd.run=/boot/firstrun.sh systemd.run_success_action=reboot systemd.unit=kernel-command-line.target\n' \
		"$BOOKWORM" >"$f"
	"$STAGE/earlywall-cmdline.sh" "$f"
	# raspberrypi-sys-mods, initramfs-tools/scripts/local-bottom/imager_fixup:
	sed -i 's|/boot/|/boot/firmware/|g' "$f"
	# ... and the line it appends to Imager's firstrun.sh:
	sed -i 's| systemd\.[^ ]*||g' "$f"
	# usr/lib/raspberrypi-sys-mods/firstboot, lines 112-117:
	sed -i 's| init=/usr/lib/raspberrypi-sys-mods/firstboot||' "$f"
	sed -i 's| sdhci\.debug_quirks2=4||' "$f"
	grep -q splash "$f" || sed -i "s/ quiet//g" "$f"
	run cat "$f"
	assert_output "console=serial0,115200 console=tty1 root=ROOTDEV rootfstype=ext4 fsck.repair=yes rootwait init=/sbin/earlywall earlywall.init=$CHAIN"
}

# A root filesystem that really runs: busybox, the real earlywall (built
# from tests/pigen/pid1.config: INIT_PATH=/sbin/init, no module loading),
# the stand-in first-boot helper and init, installed by earlywall-install.sh
# with pi-gen's cmdline.txt for bookworm, then ROOTDEV replaced the way
# pi-gen's export-image/04-set-partuuid does.
bootable_rootfs() {
	local r=$T/root a
	if [ ! -x /bin/busybox ] || ! file -L /bin/busybox | grep -q 'statically linked'; then
		skip "needs a static /bin/busybox"
	fi
	ew_build pigen tests/pigen/pid1.config
	prev_rootfs "$r" bookworm aarch64
	rm "$r/usr/bin/dpkg"
	cp /bin/busybox "$r/usr/bin/busybox"
	cp /bin/busybox "$r/usr/bin/dpkg"
	for a in sh mount umount sleep sed grep cat; do
		ln -s busybox "$r/usr/bin/$a"
	done
	install -m 0755 "$FIX/firstboot" "$r$FIRSTBOOT"
	install -m 0755 "$FIX/init" "$r/usr/sbin/init"
	mkdir -p "$r/proc" "$r/dev" "$r/tmp"
	"$STAGE/earlywall-install.sh" --bin "$EW" "$r" >/dev/null
	sed -i "s/ROOTDEV/PARTUUID=6c586e13-02/" "$r/boot/firmware/cmdline.txt"
	BOOTROOT=$r
}

# sim_boot N [--no-proc]: boot BOOTROOT with its cmdline.txt as the kernel
# command line; keeps it as $T/cmdline.N and the kmsg lines as $T/kmsg.N.
sim_boot() {
	local n=$1
	shift
	cp "$BOOTROOT/boot/firmware/cmdline.txt" "$T/cmdline.$n"
	: >"$BOOTROOT/dev/kmsg"
	"$FIX/boot.sh" "$BOOTROOT" "$T/cmdline.$n" "$@"
	cp "$BOOTROOT/dev/kmsg" "$T/kmsg.$n"
}

@test "first boot: earlywall locks down, then the helper runs once; every later boot goes straight to init" {
	bootable_rootfs
	# Boot 1: the kernel runs earlywall (the last init=); earlywall commits,
	# hands off to chain-init, which runs the first-boot helper.
	[ "$(kernel_init "$BOOTROOT/boot/firmware/cmdline.txt")" = /sbin/earlywall ]
	sim_boot 1
	run cat "$T/kmsg.1"
	assert_line --regexp '^<5>earlywall: policy committed with nftables: IPv4 [0-9]+ rules, IPv6 [0-9]+ rules, in [0-9]+ ms; no interface was up$'
	assert_line "<5>earlywall: chain-init: running $FIRSTBOOT, the init= before earlywall's"
	run cat "$BOOTROOT/ran"
	assert_output "firstboot pid=1 argv=$FIRSTBOOT"
	# Raspberry Pi OS's initramfs resizes the root filesystem whenever
	# "firstboot" is on the command line (local-premount/firstboot: grep -q
	# firstboot /proc/cmdline): on this boot, and never again.
	grep -q firstboot "$T/cmdline.1"
	run cat "$BOOTROOT/boot/firmware/cmdline.txt"
	assert_output "console=serial0,115200 console=tty1 root=PARTUUID=a1b2c3d4-02 rootfstype=ext4 fsck.repair=yes rootwait init=/sbin/earlywall earlywall.init=$CHAIN"
	run grep -c firstboot "$BOOTROOT/boot/firmware/cmdline.txt"
	assert_output 0

	# Boots 2 and 3: earlywall, then straight to /sbin/init. No loop.
	sim_boot 2
	sim_boot 3
	cmp "$T/cmdline.2" "$T/cmdline.3"
	[ "$(kernel_init "$T/cmdline.2")" = /sbin/earlywall ]
	run cat "$BOOTROOT/ran"
	assert_output "$(printf '%s\n' "firstboot pid=1 argv=$FIRSTBOOT" \
		"init pid=1 argv=/sbin/init proc=mounted" "init pid=1 argv=/sbin/init proc=mounted")"
	for n in 2 3; do
		run cat "$T/kmsg.$n"
		assert_line --regexp '^<5>earlywall: policy committed with nftables: '
		refute_line --partial chain-init
	done
}

@test "the naive chain, earlywall.init=$FIRSTBOOT, would run the helper on every boot" {
	# What this stage must not write: the helper's sed does not match it.
	local f=$T/naive
	printf '%s\n' "${BOOKWORM% init=*} init=/sbin/earlywall earlywall.init=$FIRSTBOOT" >"$f"
	sed -i 's| init=/usr/lib/raspberrypi-sys-mods/firstboot||' "$f"
	[ "$(earlywall_next "$f")" = "$FIRSTBOOT" ]
	grep -q firstboot "$f"
}

@test "chain-init without /proc (no initramfs): mounts it to read the command line, unmounts it, runs INIT_PATH" {
	bootable_rootfs
	sed -i "s| init=$FIRSTBOOT||" "$BOOTROOT/boot/firmware/cmdline.txt"
	sim_boot 1 --no-proc
	run cat "$BOOTROOT/ran"
	assert_output "init pid=1 argv=/sbin/init proc=unmounted"
	run cat "$T/kmsg.1"
	assert_line --regexp '^<5>earlywall: policy committed with nftables: '
}

@test "chain-init: a helper that is gone is skipped, with a kmsg line; the boot goes on to INIT_PATH" {
	bootable_rootfs
	rm "$BOOTROOT$FIRSTBOOT"
	sim_boot 1
	run cat "$BOOTROOT/ran"
	assert_output "init pid=1 argv=/sbin/init proc=mounted"
	run cat "$T/kmsg.1"
	assert_line "<3>earlywall: chain-init: $FIRSTBOOT (init= before earlywall's) is not executable; running earlywall's init"
}
