#!/bin/sh
# earlywall-install.sh [options] ROOTFS: install earlywall into a Raspberry Pi
# OS root filesystem: pi-gen's ${ROOTFS_DIR} (00-earlywall/00-run.sh calls
# this), or an SD card mounted on a PC. Run it as root.
#
#   --bin FILE       the earlywall binary. Default: $EARLYWALL_BIN, else this
#                    checkout's build/aarch64/earlywall or build/armhf/earlywall,
#                    whichever matches ROOTFS's architecture
#   --boot DIR       the boot partition, where cmdline.txt is. Default:
#                    ROOTFS/boot/firmware (bookworm and later), or ROOTFS/boot
#                    (before bookworm)
#   --overlay DIR    the files to add. Default: $EARLYWALL_OVERLAY, else this
#                    checkout's rootfs-overlay
#   --no-initramfs   leave out (and remove) the initramfs-tools hook and boot
#                    script; also EARLYWALL_INITRAMFS=0
#
# In this order, so that a failure never leaves an init= that cannot run:
#  1. checks: root; ROOTFS is a root filesystem; cmdline.txt is one line and
#     can be rewritten; the binary is an ELF file for ROOTFS's architecture
#     (a wrong one as init= would stop the kernel: "Requested init failed");
#  2. the binary, as ROOTFS/sbin/earlywall, root:root 0755;
#  3. the overlay, except README.md: root:root, 0755 for executables, 0644
#     for other files, symbolic links as links (the one that enables
#     earlywall-verify.timer); directories that exist are left as they are;
#  4. cmdline.txt, with earlywall-cmdline.sh.
# Running it again gives the same result. It follows no absolute symbolic
# link inside ROOTFS (it would lead out of it, into the build host).
set -eu
umask 022

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)

die() {
	echo "earlywall-install: $*" >&2
	exit 1
}
say() {
	echo "earlywall-install: $*"
}
usage() {
	sed -n '2,/^set -eu/p' "$0" | sed -e '/^set -eu/d' -e 's/^# \{0,1\}//' >&2
	exit 2
}

bin=${EARLYWALL_BIN:-}
boot=
overlay=${EARLYWALL_OVERLAY:-$repo/rootfs-overlay}
initramfs=${EARLYWALL_INITRAMFS:-1}
while [ $# -gt 1 ]; do
	case $1 in
	--bin) bin=$2 && shift ;;
	--boot) boot=$2 && shift ;;
	--overlay) overlay=$2 && shift ;;
	--no-initramfs) initramfs=0 ;;
	*) usage ;;
	esac
	shift
done
[ $# = 1 ] || usage
case $1 in -*) usage ;; esac
rootfs=$(cd "$1" 2>/dev/null && pwd) || die "$1: no such directory"

# --- 1. checks --------------------------------------------------------------

[ "$(id -u)" = 0 ] || die "run it as root: the files in the image must belong to root"
if [ ! -d "$rootfs/etc" ] || [ ! -d "$rootfs/usr" ]; then
	die "$rootfs does not look like a root filesystem (no etc/, usr/)"
fi
[ -d "$overlay" ] || die "$overlay: no overlay directory"

if [ -z "$boot" ]; then
	if [ -d "$rootfs/boot/firmware" ]; then
		boot=$rootfs/boot/firmware
		[ -f "$boot/cmdline.txt" ] ||
			die "no $boot/cmdline.txt: is the boot partition mounted there? If not, give it with --boot DIR"
	else
		boot=$rootfs/boot
	fi
fi
cmdline=$boot/cmdline.txt
[ -f "$cmdline" ] || die "$cmdline: no such file"
EW_CMDLINE_LIB=1
# shellcheck source=board/rpi/pi-gen/earlywall-cmdline.sh
. "$here/earlywall-cmdline.sh"
line=$(ew_cmdline_read "$cmdline") || die "$cmdline cannot be used"
ew_cmdline_rewrite "$line" >/dev/null || die "$cmdline: not changed"

# elf_id FILE: "CLASS DATA MACHINE-LO MACHINE-HI" from the ELF header.
elf_id() {
	[ -f "$1" ] && [ "$(od -An -c -N 4 "$1" 2>/dev/null | tr -d ' ')" = 177ELF ] || return 1
	printf '%s %s\n' "$(od -An -tu1 -j 4 -N 2 "$1" | xargs)" "$(od -An -tu1 -j 18 -N 2 "$1" | xargs)"
}
arch_name() {
	case $1 in
	"2 1 183 0") echo aarch64 ;;
	"1 1 40 0") echo armhf ;;
	"2 1 62 0") echo x86_64 ;;
	"1 1 3 0") echo i386 ;;
	*) echo "ELF class/data/machine $1" ;;
	esac
}

# ROOTFS's architecture, from one of its own programs (a file, not a link).
root_id=
for f in usr/bin/dpkg usr/bin/env usr/bin/ls bin/ls; do
	if [ ! -L "$rootfs/$f" ] && root_id=$(elf_id "$rootfs/$f"); then
		break
	fi
	root_id=
done
[ -n "$root_id" ] || die "cannot tell $rootfs's architecture (no usr/bin/dpkg, usr/bin/env, ...)"
root_arch=$(arch_name "$root_id")

if [ -z "$bin" ]; then
	case $root_arch in
	aarch64 | armhf) bin=$repo/build/$root_arch/earlywall ;;
	*) die "no default binary for a $root_arch root filesystem: give one with --bin FILE" ;;
	esac
fi
[ -f "$bin" ] || die "$bin: no such file (build it first, or give another with --bin FILE or EARLYWALL_BIN)"
bin_id=$(elf_id "$bin") || die "$bin is not an ELF executable"
[ "$bin_id" = "$root_id" ] ||
	die "$bin is built for $(arch_name "$bin_id"), but $rootfs is $root_arch; as init= it could not run and the device would not boot"

# safe REL: no component of ROOTFS/REL, but the last, is an absolute link.
safe() {
	safe_rest=${1#./} safe_path=$rootfs
	while [ "${safe_rest#*/}" != "$safe_rest" ]; do
		safe_path=$safe_path/${safe_rest%%/*}
		safe_rest=${safe_rest#*/}
		if [ -L "$safe_path" ]; then
			case $(readlink "$safe_path") in
			/*) die "$safe_path is an absolute symbolic link; it would lead out of $rootfs" ;;
			esac
		fi
	done
}

# --- 2. the binary ----------------------------------------------------------

safe sbin/earlywall
mkdir -p "$rootfs/sbin"
rm -f "$rootfs/sbin/earlywall"
install -m 0755 -o 0 -g 0 "$bin" "$rootfs/sbin/earlywall"
say "/sbin/earlywall from $bin ($root_arch)"

# --- 3. the overlay ---------------------------------------------------------

skip() {
	case $1 in
	./README.md) return 0 ;;
	./etc/initramfs-tools/hooks/earlywall | ./etc/initramfs-tools/scripts/init-top/earlywall)
		[ "$initramfs" != 1 ] ;;
	*) return 1 ;;
	esac
}

(cd "$overlay" && find . -mindepth 1 | LC_ALL=C sort) | while read -r rel; do
	src=$overlay/${rel#./}
	dest=$rootfs/${rel#./}
	skip "$rel" && continue
	safe "$rel"
	if [ -L "$src" ]; then
		ln -sfn "$(readlink "$src")" "$dest"
		chown -h 0:0 "$dest"
	elif [ -d "$src" ]; then
		[ -d "$dest" ] || mkdir -p "$dest"
	else
		mode=0644
		[ -x "$src" ] && mode=0755
		rm -f "$dest"
		install -m "$mode" -o 0 -g 0 "$src" "$dest"
		say "${rel#.} ($mode)"
	fi
done
if [ "$initramfs" != 1 ]; then
	rm -f "$rootfs/etc/initramfs-tools/hooks/earlywall" \
		"$rootfs/etc/initramfs-tools/scripts/init-top/earlywall"
fi
[ -x "$rootfs$EW_CHAIN" ] || die "$EW_CHAIN was not installed; cmdline.txt left as it was"

# --- 4. cmdline.txt ---------------------------------------------------------

ew_cmdline_file "$cmdline" || die "$cmdline: not changed"
say "$cmdline: $(cat "$cmdline")"
