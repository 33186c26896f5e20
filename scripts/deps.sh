#!/bin/sh
# deps.sh [build|demo|test]: install what earlywall needs, in tiers.
#
#   build  compile earlywall and libiptc (run by make's deps-build)
#   demo   build + what `make demo` runs: iproute2, ping, socat, unshare
#   test   demo + every test suite's tools (the default; run by make test)
#
# Each tier installs only what is missing. On Debian or Ubuntu as root the
# packages are apt-installed through scripts/apt.sh, which simulates the
# transaction first and refuses one that would remove or downgrade any
# package, naming it. Anywhere else (or without root) it prints exactly
# what is missing and stops. A test tool whose package conflicts with what
# a workstation usually has (chrony replaces systemd-timesyncd) is never
# installed: its .deb is unpacked privately under build/tools/ (dpkg -x),
# with only its libraries installed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
tier=${1:-test}

# package:proof, per tier. The proof is a command, a file, or "=" (dpkg
# has the package installed: for libraries).
BUILD="
gcc:gcc
make:make
musl-tools:musl-gcc
linux-libc-dev:/usr/include/linux/netfilter.h
kconfig-frontends-nox:kconfig-conf
xz-utils:xz
"
DEMO="
iproute2:ip
util-linux:unshare
iputils-ping:ping
socat:socat
"
TEST="
git:git
procps:pgrep
iptables:iptables-legacy-save
tmux:tmux
jq:jq
nftables:nft
time:/usr/bin/time
busybox-static:/bin/busybox
strace:strace
file:file
bats:bats
bats-support:/usr/lib/bats/bats-support/load.bash
bats-assert:/usr/lib/bats/bats-assert/load.bash
shellcheck:shellcheck
cppcheck:cppcheck
clang:clang
libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
valgrind:valgrind
clang-tidy:clang-tidy
dnsmasq-base:dnsmasq
bind9-dnsutils:dig
isc-dhcp-client:dhclient
qemu-system-x86:qemu-system-x86_64
kmod:depmod
e2fsprogs:mke2fs
python3:python3
systemd:systemd-analyze
initramfs-tools-core:mkinitramfs
cpio:cpio
rsync:rsync
libcap2:=
libedit2:=
libgnutls30:=
libnettle8:=
libseccomp2:=
"
# Unpacked, never installed: package:path of the proof inside the unpack.
PRIVATE_TEST="
chrony:usr/sbin/chronyd
"
TOOLS=$root/build/tools

case $tier in
build) NEEDS=$BUILD PRIVATE= ;;
demo) NEEDS="$BUILD $DEMO" PRIVATE= ;;
test) NEEDS="$BUILD $DEMO $TEST" PRIVATE=$PRIVATE_TEST ;;
*)
	echo "usage: $0 [build|demo|test]" >&2
	exit 2
	;;
esac

present() {
	case $1 in
	=) dpkg-query -W -f '${Status}' "$2" 2>/dev/null | grep -q ' installed$' ;;
	/*) [ -e "$1" ] ;;
	*) command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ] ;;
	esac
}

missing=
for need in $NEEDS; do
	present "${need#*:}" "${need%%:*}" || missing="$missing ${need%%:*}"
done
unpack=
for need in $PRIVATE; do
	[ -e "$TOOLS/${need%%:*}/${need#*:}" ] || unpack="$unpack ${need%%:*}"
done
[ -z "$missing" ] && [ -z "$unpack" ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	[ -n "$missing" ] && {
		echo "deps.sh: missing packages:$missing" >&2
		echo "deps.sh: install them (Debian/Ubuntu: apt-get install --no-remove$missing), then run make again" >&2
	}
	[ -n "$unpack" ] && echo "deps.sh: not unpacked under build/tools:$unpack (run $0 $tier as root)" >&2
	exit 1
fi

# shellcheck source=scripts/apt.sh
. "$here/apt.sh"
if [ -n "$missing" ]; then
	# shellcheck disable=SC2086 # one word per package, on purpose
	apt_safe_install deps.sh $missing
fi

# private_unpack PACKAGE: its .deb, from the machine's own apt lists,
# unpacked into build/tools/PACKAGE (the package database never hears of it).
private_unpack() {
	dl=$root/build/dl/deb
	mkdir -p "$dl"
	rm -f "$dl/$1"_*.deb
	(cd "$dl" && apt-get -qq -o APT::Sandbox::User=root download "$1") >&2 || {
		echo "deps.sh: apt-get download $1 failed" >&2
		return 1
	}
	mkdir -p "$TOOLS"
	rm -rf "$TOOLS/$1.tmp"
	dpkg -x "$dl/$1"_*.deb "$TOOLS/$1.tmp"
	rm -rf "${TOOLS:?}/$1"
	mv "$TOOLS/$1.tmp" "$TOOLS/$1"
	echo "deps.sh: $1 unpacked into build/tools/$1 (not installed)" >&2
}
for p in $unpack; do
	private_unpack "$p"
done
