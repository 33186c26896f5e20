#!/bin/sh
# deps.sh - install what earlywall's build, demo and tests need.
#
# On Debian or Ubuntu as root, missing packages are apt-installed. Anywhere
# else (or without root) it prints exactly what is missing and stops.
# Nothing is assumed to be pre-installed. Run by `make demo` and `make test`.
set -eu

# package:command-or-file that proves it is there
NEEDS="
gcc:gcc
make:make
musl-tools:musl-gcc
linux-libc-dev:/usr/include/linux/netfilter.h
kconfig-frontends-nox:kconfig-conf
xz-utils:xz
iptables:iptables-legacy-save
iproute2:ip
util-linux:unshare
iputils-ping:ping
socat:socat
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
chrony:chronyd
isc-dhcp-client:dhclient
qemu-system-x86:qemu-system-x86_64
kmod:depmod
e2fsprogs:mke2fs
python3:python3
systemd:systemd-analyze
initramfs-tools-core:mkinitramfs
cpio:cpio
rsync:rsync
"

present() {
	case $1 in
	/*) [ -e "$1" ] ;;
	*) command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ] ;;
	esac
}

missing=
for need in $NEEDS; do
	present "${need#*:}" || missing="$missing ${need%%:*}"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps.sh: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	# A failing index (a mirror mid-sync) must not stop the install.
	apt-get -qq update >&2 || echo "deps.sh: apt-get update reported errors, installing anyway" >&2
	# shellcheck disable=SC2086 # one word per package, on purpose
	apt-get -qq install -y --no-install-recommends $missing >&2
	exit 0
fi
echo "deps.sh: missing packages:$missing" >&2
echo "deps.sh: install them (Debian/Ubuntu: apt-get install$missing), then run make again" >&2
exit 1
