#!/bin/sh
# deps-cross.sh [--check]: install what the cross builds (aarch64 for the
# 64-bit Raspberry Pi OS on Pi 3/4/5 and Zero 2 W; armv7 hard-float for the
# 32-bit OS) and the arm64 tests need: Debian's cross compilers, musl for the
# target through multiarch (musl-dev:arm64, musl-dev:armhf), qemu-user-static
# (to run the cross-built binaries) and qemu-system-arm (qemu-system-aarch64,
# for the arm64 boot test). Run by `make test`; tests/cross.bats and
# tests/boot_arm64.bats skip when it fails.
#
# On Debian as root, the foreign architectures arm64 and armhf are added to
# dpkg if needed and the missing packages are apt-installed, but only after
# `apt-get -s` shows that the transaction removes nothing: installing
# linux-libc-dev:arm64 or :armhf, for example, would replace the host's
# linux-libc-dev:amd64 (their versions differ) and take libc6-dev,
# build-essential and clang with it. That is refused, and the real install
# runs with --no-remove as well (scripts/apt.sh). The target's C library and
# kernel headers come from libc6-dev-ARCH-cross and linux-libc-dev-ARCH-cross,
# named here because the cross gcc only recommends them.
# Without root, on another distribution, or with --check, it prints what is
# missing and exits 1. Nothing to do: exit 0 at once, without apt.
set -eu

check_only=0
case ${1:-} in
--check) check_only=1 ;;
'') ;;
*)
	echo "usage: $0 [--check]" >&2
	exit 2
	;;
esac

say() { echo "deps-cross.sh: $*" >&2; }

# "package proof" pairs: a command, or a file that proves the package is there.
NEEDS="
gcc-aarch64-linux-gnu aarch64-linux-gnu-gcc
gcc-arm-linux-gnueabihf arm-linux-gnueabihf-gcc
libc6-dev-arm64-cross /usr/aarch64-linux-gnu/lib/crt1.o
libc6-dev-armhf-cross /usr/arm-linux-gnueabihf/lib/crt1.o
linux-libc-dev-arm64-cross /usr/aarch64-linux-gnu/include/asm/types.h
linux-libc-dev-armhf-cross /usr/arm-linux-gnueabihf/include/asm/types.h
musl-dev:arm64 /usr/lib/aarch64-linux-musl/musl-gcc.specs
musl-dev:armhf /usr/lib/arm-linux-musleabihf/musl-gcc.specs
qemu-user-static qemu-aarch64-static
qemu-system-arm qemu-system-aarch64
binutils readelf
file file
kmod depmod
dpkg dpkg-deb
"
FOREIGN="arm64 armhf"

present() {
	case $1 in
	/*) [ -e "$1" ] ;;
	*) command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ] ;;
	esac
}

missing=
# shellcheck disable=SC2086 # split into words, on purpose
set -- $NEEDS
while [ $# -ge 2 ]; do
	present "$2" || missing="$missing $1"
	shift 2
done
arches=
if command -v dpkg >/dev/null 2>&1; then
	have=$(dpkg --print-foreign-architectures 2>/dev/null || true)
	for a in $FOREIGN; do
		case " $(echo "$have" | tr '\n' ' ') " in
		*" $a "*) ;;
		*) arches="$arches $a" ;;
		esac
	done
fi
[ -z "$missing" ] && [ -z "$arches" ] && exit 0

howto() {
	for a in $arches; do
		say "  dpkg --add-architecture $a"
	done
	say "  apt-get update"
	say "  apt-get install --no-install-recommends --no-remove$missing"
	say "never install linux-libc-dev:arm64 or linux-libc-dev:armhf: apt would remove the host's compilers"
}

if [ "$check_only" = 1 ] || [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1 ||
	! command -v dpkg >/dev/null 2>&1; then
	[ -n "$missing" ] && say "missing packages:$missing"
	[ -n "$arches" ] && say "missing dpkg foreign architectures:$arches"
	say "on Debian, as root:"
	howto
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
for a in $arches; do
	say "dpkg --add-architecture $a"
	dpkg --add-architecture "$a"
done
if [ -z "$missing" ]; then
	apt-get -qq update >&2 || say "warning: apt-get update reported errors"
	exit 0
fi
# shellcheck source=scripts/apt.sh
. "$(dirname "$0")/apt.sh"
APT_FORBID='^linux-libc-dev:(arm64|armhf)$'
# shellcheck disable=SC2086 # one word per package, on purpose
apt_safe_install deps-cross.sh $missing || {
	say "do it by hand, or leave the cross builds out:"
	howto
	exit 1
}
