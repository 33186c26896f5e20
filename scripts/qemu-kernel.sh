#!/bin/sh
# qemu-kernel.sh [--refresh] [--report]: fetch Debian's cloud kernel for amd64
# for the boot tests, and print its version (e.g. 6.1.0-56-cloud-amd64).
#
# The package is what apt resolves for the linux-image-cloud-amd64 metapackage
# (override with EW_KERNEL_PKG=linux-image-...-cloud-amd64). The choice is pinned
# in build/kernel/PIN and the .deb kept in build/kernel/dl/, so a rerun needs no
# network; --refresh resolves again. The result, in build/kernel/<ver>/:
#   vmlinuz  config  System.map
#   lib/modules/<ver>/   the package's modules plus modules.dep, modules.softdep,
#                        modules.alias ... made by depmod (the .deb has no
#                        modules.dep: its postinst makes one), and the
#                        package's own modules.builtin, modules.order
# Only the version goes to stdout; what the kernel is made of goes to stderr
# (once when extracted, or on every run with --report).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=$ROOT/build/kernel
META=linux-image-cloud-amd64
refresh=0
report=0
for arg in "$@"; do
	case $arg in
	--refresh) refresh=1 ;;
	--report) report=1 ;;
	*)
		echo "usage: $0 [--refresh] [--report]" >&2
		exit 2
		;;
	esac
done

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
	say "kernel $kver ($(sed -n 's/^pkg=//p' "$CACHE/PIN") $(sed -n 's/^version=//p' "$CACHE/PIN"))"
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
		VIRTIO_PCI VIRTIO_NET VIRTIO_BLK EXT4_FS DEVTMPFS DEVTMPFS_MOUNT IP_PNP; do
		line="$line $sym=$(kconfig "$sym" "$dir/config")"
	done
	say "config:$line"
	builtin=$(grep -E '/netfilter/|/x_tables|/nf_' "$mods/modules.builtin" | tr '\n' ' ' || true)
	say "netfilter built in (modules.builtin): ${builtin:-none}"
}

# Resolve the image package behind the metapackage, with apt's current lists.
resolve() {
	if [ -n "${EW_KERNEL_PKG:-}" ]; then
		echo "$EW_KERNEL_PKG"
		return
	fi
	apt-cache depends "$META" 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-.*-cloud-amd64$/ { print $2; exit }'
}

fetch() {
	command -v apt-get >/dev/null 2>&1 || die "apt-get is needed to fetch the kernel (or put a .deb in $CACHE/dl/ and name it in EW_KERNEL_PKG)"
	pkg=$(resolve)
	if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
		say "apt-get update (no package lists for $META)"
		apt-get -qq update >&2
		pkg=$(resolve)
	fi
	[ -n "$pkg" ] || die "apt cannot resolve $META; run apt-get update"
	mkdir -p "$CACHE/dl"
	# Unsandboxed as root: the _apt user cannot write build/ (a warning only).
	(cd "$CACHE/dl" && apt-get -qq download "$pkg" 2>&1 | grep -v 'unsandboxed as root' >&2) || true
	deb=$(find "$CACHE/dl" -name "${pkg}_*_amd64.deb" | sort | tail -n 1)
	[ -n "$deb" ] || die "apt-get download $pkg failed"
	version=$(dpkg-deb -f "$deb" Version)
	printf 'pkg=%s\nversion=%s\ndeb=%s\n' "$pkg" "$version" "${deb##*/}" >"$CACHE/PIN"
}

extract() {
	deb=$CACHE/dl/$(sed -n 's/^deb=//p' "$CACHE/PIN")
	[ -f "$deb" ] || return 1
	tmp=$CACHE/tmp.$$
	rm -rf "$tmp"
	mkdir -p "$tmp"
	dpkg-deb -x "$deb" "$tmp/x"
	# bookworm packages use /lib/modules; later ones /usr/lib/modules.
	mdir=$tmp/x/lib/modules
	[ -d "$mdir" ] || mdir=$tmp/x/usr/lib/modules
	kver=$(ls "$mdir")
	if [ -z "$kver" ] || [ ! -f "$tmp/x/boot/vmlinuz-$kver" ]; then
		die "no kernel in $deb"
	fi
	mkdir -p "$tmp/out/lib/modules"
	mv "$tmp/x/boot/vmlinuz-$kver" "$tmp/out/vmlinuz"
	mv "$tmp/x/boot/config-$kver" "$tmp/out/config"
	mv "$tmp/x/boot/System.map-$kver" "$tmp/out/System.map"
	mv "$mdir/$kver" "$tmp/out/lib/modules/$kver"
	command -v depmod >/dev/null 2>&1 || PATH=$PATH:/sbin:/usr/sbin
	depmod -b "$tmp/out" -F "$tmp/out/System.map" "$kver"
	[ -s "$tmp/out/lib/modules/$kver/modules.dep" ] || die "depmod made no modules.dep"
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
