#!/bin/sh
# qemu-kernel.sh [--arch amd64|amd64-rt|arm64|arm64-16k] [--refresh] [--report]:
# fetch Debian's kernel for the boot tests, and print its version (e.g.
# 6.1.0-56-cloud-amd64).
#
# amd64 (the default): what apt resolves for the linux-image-cloud-amd64
# metapackage (override with EW_KERNEL_PKG=linux-image-...-cloud-amd64), in
# build/kernel/. arm64: what apt resolves for linux-image-arm64, the generic
# arm64 kernel that Debian also runs on the Raspberry Pi (override with
# EW_KERNEL_PKG_ARM64=linux-image-...-arm64), downloaded as package:arm64
# through multiarch (scripts/deps-cross.sh adds the architecture), never
# installed, in build/kernel/arm64/. arm64-16k: linux-image-arm64-16k, the
# arm64 kernel with 16K pages like the Raspberry Pi 5's (and, like it, with
# xz-compressed modules), which only trixie has: it comes from trixie's
# arm64 package lists, kept apart in build/kernel/arm64-16k/apt/ (no root,
# no change to the host's apt); override with EW_KERNEL_PKG_ARM64_16K.
# amd64-rt: linux-image-rt-amd64, Debian's PREEMPT_RT kernel, which has no
# legacy xtables at all (PREEMPT_RT excludes NETFILTER_XTABLES_LEGACY: no
# ip_tables, no ip6_tables) and xz-compressed modules; only unstable has a
# kernel new enough, so it comes from sid's amd64 lists, kept apart in
# build/kernel/amd64-rt/apt/ like trixie's above; override with
# EW_KERNEL_PKG_AMD64_RT=linux-image-...-rt-amd64. Its image package is a
# small metapackage: the kernel is in linux-binary-<ver>, the modules in
# linux-modules-<ver> and config, modules.builtin, modules.order and a stub
# System.map in linux-base-<ver>, all under /usr/lib/modules/<ver>/; those
# three .debs are what is fetched (any image package split like this is).
# The extracted kernel is checked to have nf_tables and no ip_tables module
# (exit 3 if not: not the kernel the RT boot test is about).
# The choice is pinned in <cache>/PIN (pkg=, version=, deb=: the .debs,
# space separated) and the .debs kept in <cache>/dl/, so a rerun needs no
# network; --refresh resolves again. The result, in <cache>/<ver>/:
#   vmlinuz  config  System.map   (arm64: vmlinuz is a gzip'd Image)
#   lib/modules/<ver>/   the package's modules plus modules.dep, modules.softdep,
#                        modules.alias ... made by depmod (the .deb has no
#                        modules.dep: its postinst makes one), and the
#                        package's own modules.builtin, modules.order
# Only the version goes to stdout; what the kernel is made of goes to stderr
# (once when extracted, or on every run with --report).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
arch=amd64
refresh=0
report=0
while [ $# -gt 0 ]; do
	case $1 in
	--refresh) refresh=1 ;;
	--report) report=1 ;;
	--arch)
		[ $# -ge 2 ] || set -- --usage
		arch=$2
		shift
		;;
	*) set -- --usage ;;
	esac
	case ${1:-} in
	--usage)
		echo "usage: $0 [--arch amd64|amd64-rt|arm64|arm64-16k] [--refresh] [--report]" >&2
		exit 2
		;;
	esac
	shift
done
# SUITE: empty for the host's own apt lists, else a private list of that
# Debian suite for DEBARCH alone.
SUITE=
# NO_XTABLES: the kernel must have nf_tables and no ip_tables (checked).
NO_XTABLES=0
case $arch in
amd64)
	CACHE=$ROOT/build/kernel DEBARCH=amd64
	META=linux-image-cloud-amd64
	PKG_OVERRIDE=${EW_KERNEL_PKG:-} PKG_VAR=EW_KERNEL_PKG HINT=
	;;
arm64)
	CACHE=$ROOT/build/kernel/arm64 DEBARCH=arm64
	META=linux-image-arm64
	PKG_OVERRIDE=${EW_KERNEL_PKG_ARM64:-} PKG_VAR=EW_KERNEL_PKG_ARM64
	HINT=" (with dpkg --add-architecture arm64: scripts/deps-cross.sh)"
	;;
arm64-16k)
	CACHE=$ROOT/build/kernel/arm64-16k DEBARCH=arm64 SUITE=trixie
	META=linux-image-arm64-16k
	PKG_OVERRIDE=${EW_KERNEL_PKG_ARM64_16K:-} PKG_VAR=EW_KERNEL_PKG_ARM64_16K HINT=
	;;
amd64-rt)
	CACHE=$ROOT/build/kernel/amd64-rt DEBARCH=amd64 SUITE=sid NO_XTABLES=1
	META=linux-image-rt-amd64
	PKG_OVERRIDE=${EW_KERNEL_PKG_AMD64_RT:-} PKG_VAR=EW_KERNEL_PKG_AMD64_RT HINT=
	;;
*)
	echo "qemu-kernel: --arch amd64, amd64-rt, arm64 or arm64-16k, not $arch" >&2
	exit 2
	;;
esac

# apt_run TOOL ARGS...: apt-get or apt-cache, with the private lists if SUITE.
apt_run() {
	tool=$1
	shift
	if [ -z "$SUITE" ]; then
		"$tool" "$@"
		return
	fi
	"$tool" -o Dir::Etc::SourceList="$CACHE/apt/$SUITE.sources" -o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$CACHE/apt/lists" -o Dir::Cache="$CACHE/apt/cache" \
		-o Dir::State::Status=/dev/null -o Debug::NoLocking=1 \
		-o APT::Architecture="$DEBARCH" -o APT::Architectures="$DEBARCH" \
		-o APT::Sandbox::User="$(id -un)" "$@"
}

# The private lists, made once (again with --refresh).
private_lists() {
	[ -n "$SUITE" ] || return 0
	[ "$refresh" = 0 ] && [ -n "$(find "$CACHE/apt/lists" -name '*_Packages*' 2>/dev/null)" ] && return 0
	mkdir -p "$CACHE/apt/lists/partial" "$CACHE/apt/cache/archives/partial"
	"$ROOT/scripts/apt-sources.sh" deb "$SUITE" "$DEBARCH" >"$CACHE/apt/$SUITE.sources" ||
		die "no Debian archive in this machine's apt configuration for the $SUITE lists"
	say "apt-get update ($SUITE $DEBARCH lists, in ${CACHE#"$ROOT"/}/apt)"
	apt_run apt-get -qq update >&2 || say "warning: apt-get update reported errors"
}

# The package name apt knows: foreign packages as name:arch.
apt_name() {
	if [ -n "$SUITE" ] || [ "$DEBARCH" = "$(dpkg --print-architecture)" ]; then
		echo "$1"
	else
		echo "$1:$DEBARCH"
	fi
}

say() { echo "qemu-kernel: $*" >&2; }
die() {
	say "$*"
	exit 1
}

# The config value of SYMBOL (y, m, a string) or "n".
kconfig() {
	v=$(sed -n "s/^CONFIG_$1=//p" "$2")
	echo "${v:-n}"
}

report() {
	kver=$1
	dir=$CACHE/$kver
	mods=$dir/lib/modules/$kver
	from=$(sed -n 's/^parts=//p' "$CACHE/PIN")
	say "kernel $kver ($(sed -n 's/^pkg=//p' "$CACHE/PIN") $(sed -n 's/^version=//p' "$CACHE/PIN")${from:+: $from})"
	formats=$(find "$mods/kernel" -name '*.ko*' | sed 's/.*\.ko/.ko/' | sort | uniq -c |
		awk '{ printf "%s%s x%s", sep, $2, $1; sep = ", " }')
	say "module files: $formats"
	nf=$(find "$mods/kernel" -path '*netfilter*' -name '*.ko*' | wc -l)
	say "netfilter module files: $nf"
	line=
	for sym in MODULE_COMPRESS_NONE MODULE_COMPRESS_XZ MODULE_COMPRESS_ZSTD MODULE_DECOMPRESS \
		MODULE_SIG_FORCE NETFILTER NETFILTER_XTABLES IP_NF_IPTABLES IP_NF_FILTER \
		IP6_NF_IPTABLES IP6_NF_FILTER NF_CONNTRACK NF_DEFRAG_IPV4 NF_DEFRAG_IPV6 \
		NETFILTER_XT_MATCH_CONNTRACK NETFILTER_XT_MATCH_STATE NETFILTER_XT_MATCH_MULTIPORT \
		NETFILTER_XT_MATCH_LIMIT NETFILTER_XT_TARGET_LOG NF_LOG_SYSLOG NF_TABLES \
		VIRTIO_PCI VIRTIO_NET VIRTIO_BLK EXT4_FS DEVTMPFS DEVTMPFS_MOUNT IP_PNP \
		$(if [ "$DEBARCH" = arm64 ]; then echo ARM64_4K_PAGES ARM64_16K_PAGES ARM64_64K_PAGES \
			VIRTIO_MMIO PCI_HOST_GENERIC SERIAL_AMBA_PL011_CONSOLE; fi); do
		line="$line $sym=$(kconfig "$sym" "$dir/config")"
	done
	say "config:$line"
	builtin=$(grep -E '/netfilter/|/x_tables|/nf_' "$mods/modules.builtin" | tr '\n' ' ' || true)
	say "netfilter built in (modules.builtin): ${builtin:-none}"
	frontends "$mods" "$dir/config" || true
}

# Resolve the image package behind the metapackage, with apt's current lists.
resolve() {
	if [ -n "$PKG_OVERRIDE" ]; then
		echo "$PKG_OVERRIDE"
		return
	fi
	apt_run apt-cache depends "$(apt_name "$META")" 2>/dev/null |
		awk -v flavour="${META#linux-image-}" '$1 == "Depends:" {
			p = $2; sub(/:[a-z0-9]+$/, "", p)
			if (p ~ "^linux-image-[0-9].*-" flavour "$") { print p; exit }
		}'
}

# The packages that hold the kernel of image package $1: the package itself,
# or, when it is only a metapackage over linux-binary-<ver> (sid's split), its
# linux-binary-, linux-modules- and linux-base-<ver> dependencies.
parts() {
	split=$(apt_run apt-cache depends "$(apt_name "$1")" 2>/dev/null |
		awk -v ver="${1#linux-image-}" '$1 == "Depends:" {
			p = $2; sub(/:[a-z0-9]+$/, "", p)
			if (p == "linux-binary-" ver || p == "linux-modules-" ver || p == "linux-base-" ver) print p
		}' | sort -u | tr '\n' ' ')
	case $split in
	*linux-binary-*) echo "${split% }" ;;
	*) echo "$1" ;;
	esac
}

fetch() {
	command -v apt-get >/dev/null 2>&1 || die "apt-get is needed to fetch the kernel (or put a .deb in $CACHE/dl/ and name it in $PKG_VAR)"
	private_lists
	pkg=$(resolve)
	if [ -z "$pkg" ] && [ -z "$SUITE" ] && [ "$(id -u)" = 0 ]; then
		say "apt-get update (no package lists for $META)"
		apt-get -qq update >&2 || say "warning: apt-get update reported errors"
		pkg=$(resolve)
	fi
	[ -n "$pkg" ] || die "apt cannot resolve $(apt_name "$META"); run apt-get update$HINT"
	pkgs=$(parts "$pkg")
	[ "$pkgs" = "$pkg" ] || say "$pkg is a metapackage: fetching $pkgs"
	names=
	for p in $pkgs; do
		names="$names $(apt_name "$p")"
	done
	mkdir -p "$CACHE/dl"
	# Unsandboxed as root: the _apt user cannot write build/ (a warning only).
	# shellcheck disable=SC2086 # one word per package
	(cd "$CACHE/dl" && apt_run apt-get -qq download $names 2>&1 | grep -v 'unsandboxed as root' >&2) || true
	debs=
	for p in $pkgs; do
		deb=$(find "$CACHE/dl" -name "${p}_*_$DEBARCH.deb" | sort | tail -n 1)
		[ -n "$deb" ] || die "apt-get download $p failed"
		debs="$debs ${deb##*/}"
	done
	version=$(dpkg-deb -f "$deb" Version)
	{
		printf 'pkg=%s\nversion=%s\ndeb=%s\n' "$pkg" "$version" "${debs# }"
		[ "$pkgs" = "$pkg" ] || printf 'parts=%s\n' "$pkgs"
	} >"$CACHE/PIN"
}

# module_where MODS CONFIG NAME SYMBOL: where module NAME is: its file under
# MODS, "built in" (modules.builtin names it, or SYMBOL=y in CONFIG), or
# "none".
module_where() {
	f=$(find "$1/kernel" -name "$3.ko*" | head -n 1)
	if [ -n "$f" ]; then
		echo "${f#"$1"/}"
	elif grep -q "/$3\.ko\$" "$1/modules.builtin" || [ "$(kconfig "$4" "$2")" = y ]; then
		echo "built in"
	else
		echo none
	fi
}

# The kernel's two netfilter front ends, for the report; with NO_XTABLES
# also the check (exit 3 unless nf_tables is there and neither ip_tables nor
# ip6_tables is, as module or built in).
frontends() {
	ipt=$(module_where "$1" "$2" ip_tables IP_NF_IPTABLES_LEGACY)
	ip6t=$(module_where "$1" "$2" ip6_tables IP6_NF_IPTABLES_LEGACY)
	nft=$(module_where "$1" "$2" nf_tables NF_TABLES)
	nfnl=$(module_where "$1" "$2" nfnetlink NETFILTER_NETLINK)
	say "legacy xtables: ip_tables $ipt, ip6_tables $ip6t" \
		"(NETFILTER_XTABLES_LEGACY=$(kconfig NETFILTER_XTABLES_LEGACY "$2")," \
		"IP_NF_IPTABLES_LEGACY=$(kconfig IP_NF_IPTABLES_LEGACY "$2"));" \
		"nftables: nf_tables $nft, nfnetlink $nfnl"
	[ "$NO_XTABLES" = 1 ] || return 0
	if [ "$ipt" != none ] || [ "$ip6t" != none ] || [ "$nft" = none ]; then
		say "--arch $arch is for a kernel with nf_tables and without legacy xtables; this one is not"
		return 3
	fi
	say "checked: no legacy xtables (no ip_tables, no ip6_tables), nf_tables there"
}

extract() {
	debs=$(sed -n 's/^deb=//p' "$CACHE/PIN")
	[ -n "$debs" ] || return 1
	for d in $debs; do
		[ -f "$CACHE/dl/$d" ] || return 1
	done
	tmp=$CACHE/tmp.$$
	rm -rf "$tmp"
	mkdir -p "$tmp"
	for d in $debs; do
		dpkg-deb -x "$CACHE/dl/$d" "$tmp/x"
	done
	# bookworm packages use /lib/modules; later ones /usr/lib/modules.
	mdir=$tmp/x/lib/modules
	[ -d "$mdir" ] || mdir=$tmp/x/usr/lib/modules
	kver=$(ls "$mdir" 2>/dev/null || true)
	[ -n "$kver" ] || die "no kernel in $debs"
	mkdir -p "$tmp/out/lib/modules"
	# vmlinuz, config and System.map are /boot/NAME-<ver>, or (sid's split
	# packages) /usr/lib/modules/<ver>/NAME, where System.map is a stub.
	for f in vmlinuz config System.map; do
		if [ -f "$tmp/x/boot/$f-$kver" ]; then
			mv "$tmp/x/boot/$f-$kver" "$tmp/out/$f"
		elif [ -f "$mdir/$kver/$f" ]; then
			mv "$mdir/$kver/$f" "$tmp/out/$f"
		else
			die "no $f for $kver in $debs"
		fi
	done
	mv "$mdir/$kver" "$tmp/out/lib/modules/$kver"
	[ -d "$tmp/out/lib/modules/$kver/kernel" ] || die "no modules for $kver in $debs"
	command -v depmod >/dev/null 2>&1 || PATH=$PATH:/sbin:/usr/sbin
	depmod -b "$tmp/out" -F "$tmp/out/System.map" "$kver"
	[ -s "$tmp/out/lib/modules/$kver/modules.dep" ] || die "no modules.dep from depmod"
	# The check before anything is kept (report says the same, below).
	frontends "$tmp/out/lib/modules/$kver" "$tmp/out/config" 2>"$tmp/frontends" || {
		cat "$tmp/frontends" >&2
		rm -rf "$tmp"
		exit 3
	}
	rm -rf "${CACHE:?}/$kver"
	mv "$tmp/out" "$CACHE/$kver"
	rm -rf "$tmp"
	echo "kver=$kver" >>"$CACHE/PIN"
	touch "$CACHE/$kver/.done"
	report "$kver"
}

pinned_kver() {
	[ -f "$CACHE/PIN" ] && sed -n 's/^kver=//p' "$CACHE/PIN" | tail -n 1
}

mkdir -p "$CACHE"
kver=$(pinned_kver || true)
if [ "$refresh" = 1 ] || [ ! -f "$CACHE/PIN" ]; then
	fetch
	kver=
fi
if [ -z "$kver" ] || [ ! -f "$CACHE/$kver/.done" ]; then
	sed -i '/^kver=/d' "$CACHE/PIN"
	extract || { fetch && extract; }
	kver=$(pinned_kver)
elif [ "$report" = 1 ]; then
	report "$kver"
fi
echo "$kver"
