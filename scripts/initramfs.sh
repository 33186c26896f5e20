#!/bin/bash
# initramfs.sh OUT --init BINARY [options]: build a boot image for the qemu
# boot tests. OUT ending in .cpio.gz is an initramfs (gzip'd newc cpio); OUT
# ending in .ext4 is a root filesystem image made with `mke2fs -d` (no mount,
# no loop device). Root is not needed for either.
#
#   --init BINARY         /init, and /sbin/earlywall too unless --earlywall
#   --earlywall BINARY    /sbin/earlywall (when /init is something else)
#   --modules MODE        all (default): every netfilter module of the kernel;
#                         none: no netfilter module at all;
#                         no-conntrack: all but nf_conntrack*, xt_conntrack,
#                         nf_defrag_* and what depends on them
#                         no-xtables: all but legacy xtables (x_tables,
#                         ip_tables, ip6_tables, *table_*, xt_*, ipt_*,
#                         ip6t_*, nft_compat): a kernel built without them
#                         no-nftables: all but nftables (nf_tables, nft_*,
#                         nfnetlink and what depends on them: nfnetlink_*,
#                         nf_conntrack_netlink, nf_flow_table ...): a kernel
#                         with legacy xtables only
#   --test-init PATH      /sbin/testinit (default tests/boot/testinit)
#   --cmdline-file FILE   /etc/earlywall.cmdline (for a fault build that reads
#                         its command line from a file)
#   --add SRC:DEST        any other file, e.g. --add my.conf:/etc/my.conf
#   --kver VERSION        kernel (default: what scripts/qemu-kernel.sh pins)
#   --arch amd64|amd64-rt|arm64|arm64-16k
#                         the kernel's and the image's architecture (default
#                         amd64): scripts/qemu-kernel.sh --arch ARCH's kernel;
#                         amd64-rt is an amd64 image for Debian's PREEMPT_RT
#                         kernel (no legacy xtables, .ko.xz modules), arm64-16k
#                         an arm64 image for its 16K-page kernel. BINARY must
#                         be built for it
#
# The image holds: busybox-static at /bin/busybox with its applets linked in
# /bin, except modprobe, depmod and init (so the kernel cannot autoload
# modules behind earlywall's back: /sbin/modprobe does not exist);
# tests/boot/modload (insmod by modules.dep, for the NIC driver);
# iptables-legacy-save and ip6tables-legacy-save from the host's iptables
# package with the libraries ldd names and every xtables extension; on amd64
# also the host's nft (package nftables) with its libraries, the reader of
# live nftables rulesets, and /etc/protocols and /etc/services for its names;
# the chosen netfilter modules, as the kernel packages them (.ko, or .ko.xz
# as on the arm64-16k and PREEMPT_RT kernels, copied as they are: earlywall
# hands a .ko.xz to finit_module with MODULE_INIT_COMPRESSED_FILE and the
# kernel, MODULE_DECOMPRESS=y, decompresses it), plus virtio_net and
# virtio_pci (the NIC) with
# their dependencies and softdeps, under /lib/modules/<ver>/ with
# modules.builtin, modules.order and a modules.dep, modules.softdep ... that
# depmod made for exactly these files; empty /dev, /proc, /sys, /run, /tmp.
# The initramfs also has /dev/console (the kernel opens it for /init); the
# ext4 image has none, as on a root filesystem without devtmpfs automount.
#
# With --arch arm64 (or arm64-16k) the image's programs are Debian's arm64 packages, downloaded through
# multiarch and extracted, never installed (cached in build/boot/cache/arm64):
# busybox-static:arm64 (its applet list read under qemu-aarch64-static), and
# iptables:arm64 with the libraries its programs and extensions name
# (readelf, not ldd), the glibc loader /lib/ld-linux-aarch64.so.1 and libc.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=$ROOT/build/boot/cache

usage() {
	sed -n '2,/^set -e/p' "$0" | sed -e '/^set -e/d' -e 's/^# \{0,1\}//' >&2
	exit 2
}
die() {
	echo "initramfs.sh: $*" >&2
	exit 1
}

[ $# -ge 1 ] || usage
out=$1
shift
init='' earlywall='' modules=all testinit=$ROOT/tests/boot/testinit kver='' arch=amd64
adds=()
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case $1 in
	--init) init=$2 ;;
	--earlywall) earlywall=$2 ;;
	--modules) modules=$2 ;;
	--test-init) testinit=$2 ;;
	--cmdline-file) adds+=("$2:/etc/earlywall.cmdline") ;;
	--add) adds+=("$2") ;;
	--kver) kver=$2 ;;
	--arch) arch=$2 ;;
	*) usage ;;
	esac
	shift 2
done
case $out in
*.cpio.gz) format=cpio ;;
*.ext4) format=ext4 ;;
*) die "OUT must end in .cpio.gz or .ext4: $out" ;;
esac
case $modules in
all | none | no-conntrack | no-xtables | no-nftables) ;;
*) die "--modules all|none|no-conntrack|no-xtables|no-nftables, not $modules" ;;
esac
[ -n "$init" ] || die "--init BINARY is required"
[ -n "$earlywall" ] || earlywall=$init
for f in "$init" "$earlywall" "$testinit"; do
	[ -f "$f" ] || die "no such file: $f"
done
# uarch: the architecture of the image's programs.
case $arch in
amd64) kcache=$ROOT/build/kernel uarch=amd64 ;;
amd64-rt) kcache=$ROOT/build/kernel/$arch uarch=amd64 ;;
arm64 | arm64-16k) kcache=$ROOT/build/kernel/$arch uarch=arm64 ;;
*) die "--arch amd64|amd64-rt|arm64|arm64-16k, not $arch" ;;
esac
[ -n "$kver" ] || kver=$("$ROOT/scripts/qemu-kernel.sh" --arch "$arch")
kdir=$kcache/$kver
kmods=$kdir/lib/modules/$kver
[ -f "$kmods/modules.dep" ] || die "no kernel $kver in ${kcache#"$ROOT"/} (run scripts/qemu-kernel.sh --arch $arch)"

# apt_download DIR PACKAGE...: the packages' .debs (PACKAGE may be name:arch)
# into DIR, with apt's lists (updated first when apt does not know them).
apt_download() {
	local dir=$1
	shift
	mkdir -p "$dir"
	if ! apt-cache show "$@" >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
		apt-get -qq update >&2 || echo "initramfs.sh: warning: apt-get update reported errors" >&2
	fi
	(cd "$dir" && apt-get -qq download "$@" 2>&1 | grep -v 'unsandboxed as root' >&2) || true
}

# busybox-static from Debian, fetched once (it conflicts with the busybox
# package, so it is downloaded, not installed).
# busybox_static [ARCH]: its path (default amd64; arm64 in $CACHE/arm64).
busybox_static() {
	local a=${1:-amd64} dir=$CACHE pkg=busybox-static bb deb
	if [ "$a" != amd64 ]; then
		dir=$CACHE/$a pkg=busybox-static:$a
	fi
	bb=$dir/busybox
	if [ ! -x "$bb" ]; then
		mkdir -p "$dir"
		deb=$(find "$dir" -maxdepth 1 -name "busybox-static_*_$a.deb" | sort | tail -n 1)
		if [ -z "$deb" ]; then
			apt_download "$dir" "$pkg"
			deb=$(find "$dir" -maxdepth 1 -name "busybox-static_*_$a.deb" | sort | tail -n 1)
			[ -n "$deb" ] || die "apt-get download $pkg failed (apt-get update?)"
		fi
		rm -rf "$dir/bb.x"
		dpkg-deb -x "$deb" "$dir/bb.x"
		cp "$dir/bb.x/bin/busybox" "$bb.tmp"
		rm -rf "$dir/bb.x"
		mv "$bb.tmp" "$bb"
	fi
	echo "$bb"
}

# The module files (paths relative to lib/modules/<ver>) for MODE: the
# netfilter modules, the NIC's, their dependencies and their softdeps
# (softdep names may be aliases: "libcrc32c pre: crc32c" is crc32c_intel).
select_modules() {
	awk -v mode="$1" '
	function modname(p) { sub(/.*\//, "", p); sub(/\.ko.*/, "", p); gsub(/-/, "_", p); return p }
	function excluded(p,  n) {
		n = modname(p)
		if (mode == "no-xtables")
			return n ~ /^(x_tables|ip6?_tables|nft_compat)$/ || n ~ /^(ip6?table_|xt_|ipt_|ip6t_|arptable|arp_tables|ebt)/
		if (mode == "no-nftables")
			return n ~ /^(nf_tables|nfnetlink)$/ || n ~ /^nft_/
		if (mode != "no-conntrack") return 0
		return n ~ /^nf_conntrack/ || n ~ /^nf_defrag_/ || n == "xt_conntrack"
	}
	# Add P and its dependencies, unless one of them is excluded.
	function add(p,  d, i, n, ok) {
		if (!(p in deps)) return 0
		n = split(deps[p], d, " ")
		if (excluded(p)) return 0
		for (i = 1; i <= n; i++) if (excluded(d[i])) return 0
		chosen[p] = 1
		for (i = 1; i <= n; i++) chosen[d[i]] = 1
		return 1
	}
	FILENAME ~ /modules\.dep$/ {
		p = $1; sub(/:$/, "", p); $1 = ""; deps[p] = $0; path[modname(p)] = p
		order[++count] = p
		next
	}
	FILENAME ~ /modules\.alias$/ && $1 == "alias" { if (!($2 in alias)) alias[$2] = $3; next }
	FILENAME ~ /modules\.softdep$/ && $1 == "softdep" {
		s = $3; for (i = 4; i <= NF; i++) s = s " " $i
		soft[$2] = soft[$2] " " s
		next
	}
	END {
		for (i = 1; i <= count; i++) {
			p = order[i]
			if (mode != "none" && (p ~ /\/netfilter\// || p ~ /\/br_netfilter\.ko/)) add(p)
		}
		add(path["virtio_net"]); add(path["virtio_pci"])
		# Softdeps of what was chosen, until nothing changes.
		do {
			changed = 0
			for (p in chosen) {
				n = split(soft[modname(p)], t, " ")
				for (i = 1; i <= n; i++) {
					if (t[i] ~ /:$/) continue
					m = t[i]; gsub(/-/, "_", m)
					if (!(m in path) && (t[i] in alias)) m = alias[t[i]]
					if ((m in path) && !(path[m] in chosen) && add(path[m])) changed = 1
				}
			}
		} while (changed)
		for (p in chosen) print p
	}' "$kmods/modules.dep" "$kmods/modules.alias" "$kmods/modules.softdep" | sort
}

# copy_file SRC DEST-IN-STAGE: a file with its symlinks resolved.
copy_file() {
	mkdir -p "$stage$(dirname "$2")"
	cp -L "$1" "$stage$2"
}

# iptables-legacy-save and its libraries, as an independent reader of the
# live tables. A dynamically linked program: ldd says what it needs.
add_iptables() {
	local multi xtdir f lib
	multi=$(command -v xtables-legacy-multi || true)
	[ -n "$multi" ] || multi=/usr/sbin/xtables-legacy-multi
	if [ ! -x "$multi" ]; then
		echo "initramfs.sh: warning: no xtables-legacy-multi (package iptables); no iptables-legacy-save in the image" >&2
		return
	fi
	copy_file "$multi" /usr/sbin/xtables-legacy-multi
	for f in iptables-legacy-save ip6tables-legacy-save iptables-legacy ip6tables-legacy; do
		ln -s xtables-legacy-multi "$stage/usr/sbin/$f"
	done
	xtdir=$(find /usr/lib /lib -maxdepth 3 -type f -name libxt_tcp.so -printf '%h\n' 2>/dev/null | head -n 1)
	[ -n "$xtdir" ] && mkdir -p "$stage$xtdir" && cp -L "$xtdir"/*.so "$stage$xtdir/"
	for lib in $(ldd "$multi" ${xtdir:+"$xtdir"/*.so} 2>/dev/null |
		awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*[^:]$/ { print $1 }' | sort -u); do
		[ -e "$stage$lib" ] || copy_file "$lib" "$lib"
	done
}

# nft and its libraries (ldd), as an independent reader of live nftables
# rulesets; /etc/protocols and /etc/services, the names nft lists with.
add_nft() {
	local nft f lib
	nft=$(command -v nft || true)
	[ -n "$nft" ] || nft=/usr/sbin/nft
	if [ ! -x "$nft" ]; then
		echo "initramfs.sh: warning: no nft (package nftables); no nft in the image" >&2
		return
	fi
	copy_file "$nft" /usr/sbin/nft
	for f in /etc/protocols /etc/services; do
		[ ! -f "$f" ] || [ -e "$stage$f" ] || copy_file "$f" "$f"
	done
	for lib in $(ldd "$nft" 2>/dev/null |
		awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*[^:]$/ { print $1 }' | sort -u); do
		[ -e "$stage$lib" ] || copy_file "$lib" "$lib"
	done
}

# The arm64 packages that iptables-legacy-save runs from (ldd cannot look into
# foreign binaries: the libraries are found by their DT_NEEDED names).
ARM64_IPTABLES_DEBS="iptables libip4tc2 libip6tc2 libxtables12 libnetfilter-conntrack3
libnfnetlink0 libmnl0 libc6"

# arm64_sysroot: those packages extracted into $CACHE/arm64/sysroot, once.
arm64_sysroot() {
	local dir=$CACHE/arm64 p deb debs=() want=()
	if [ ! -f "$dir/sysroot/.done" ]; then
		for p in $ARM64_IPTABLES_DEBS; do
			[ -n "$(find "$dir" -maxdepth 1 -name "${p}_*_arm64.deb")" ] || want+=("$p:arm64")
		done
		[ ${#want[@]} = 0 ] || apt_download "$dir" "${want[@]}"
		for p in $ARM64_IPTABLES_DEBS; do
			deb=$(find "$dir" -maxdepth 1 -name "${p}_*_arm64.deb" | sort | tail -n 1)
			[ -n "$deb" ] || die "apt-get download $p:arm64 failed (dpkg --add-architecture arm64? scripts/deps-cross.sh)"
			debs+=("$deb")
		done
		rm -rf "$dir/sysroot"
		mkdir -p "$dir/sysroot"
		for deb in "${debs[@]}"; do
			dpkg-deb -x "$deb" "$dir/sysroot"
		done
		touch "$dir/sysroot/.done"
	fi
	echo "$dir/sysroot"
}

# add_iptables_arm64: iptables-legacy-save from the arm64 packages, with every
# library that it and the xtables extensions need, transitively.
add_iptables_arm64() {
	local sysroot multi xtdir f lib name found queue=() seen=" "
	sysroot=$(arm64_sysroot)
	multi=/usr/sbin/xtables-legacy-multi
	[ -f "$sysroot$multi" ] || die "no $multi in the arm64 iptables package"
	copy_file "$sysroot$multi" "$multi"
	for f in iptables-legacy-save ip6tables-legacy-save iptables-legacy ip6tables-legacy; do
		ln -s xtables-legacy-multi "$stage/usr/sbin/$f"
	done
	xtdir=/usr/lib/aarch64-linux-gnu/xtables
	mkdir -p "$stage$xtdir"
	cp -L "$sysroot$xtdir"/*.so "$stage$xtdir/"
	# The program interpreter, at the path the binaries name.
	lib=$(readelf -lW "$sysroot$multi" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	[ -n "$lib" ] || die "$multi names no program interpreter"
	copy_file "$sysroot$lib" "$lib"
	queue=("$sysroot$multi" "$sysroot$xtdir"/*.so)
	while [ ${#queue[@]} -gt 0 ]; do
		f=${queue[0]}
		queue=("${queue[@]:1}")
		for name in $(readelf -dW "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			case $seen in *" $name "*) continue ;; esac
			seen="$seen$name "
			found=
			for lib in /lib/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu /lib /usr/lib; do
				if [ -e "$sysroot$lib/$name" ]; then
					found=$lib/$name
					break
				fi
			done
			[ -n "$found" ] || die "arm64 iptables: $name (needed by ${f#"$sysroot"}) is in none of: $ARM64_IPTABLES_DEBS"
			[ -e "$stage$found" ] || copy_file "$sysroot$found" "$found"
			queue+=("$sysroot$found")
		done
	done
}

# A newc cpio with /dev and /dev/console (5,1), which only root could mknod
# in a directory; the kernel unpacks it before the main archive.
console_cpio() {
	local ino=700000 name mode rmaj rmin size pad
	for entry in "dev 41ed 0 0" "dev/console 2180 5 1" "TRAILER!!! 0 0 0"; do
		read -r name mode rmaj rmin <<<"$entry"
		size=$((${#name} + 1))
		printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
			$((ino++)) "0x$mode" 0 0 1 0 0 0 0 "$rmaj" "$rmin" "$size" 0
		printf '%s\0' "$name"
		pad=$(((4 - (110 + size) % 4) % 4))
		[ "$pad" = 0 ] || head -c "$pad" /dev/zero
	done
}

mkdir -p "$ROOT/build/boot"
stage=$(mktemp -d "$ROOT/build/boot/stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
bb=$(busybox_static "$uarch")
# The busybox that runs here: for --list, and to write the cpio archive.
host_bb=$bb
run_bb=("$bb")
if [ "$uarch" = arm64 ]; then
	host_bb=$(busybox_static amd64)
	run_bb=(qemu-aarch64-static "$bb")
	command -v qemu-aarch64-static >/dev/null 2>&1 ||
		die "qemu-aarch64-static is needed (package qemu-user-static: scripts/deps-cross.sh)"
fi

mkdir -p "$stage"/{bin,sbin,etc,dev,proc,sys,run,tmp,root,usr/bin,usr/sbin,lib/modules}
chmod 1777 "$stage/tmp"
cp "$bb" "$stage/bin/busybox"
for applet in $("${run_bb[@]}" --list); do
	case $applet in busybox | modprobe | depmod | init | linuxrc) continue ;; esac
	ln -s busybox "$stage/bin/$applet"
done
install -m 0755 "$init" "$stage/init"
install -m 0755 "$earlywall" "$stage/sbin/earlywall"
install -m 0755 "$testinit" "$stage/sbin/testinit"
install -m 0755 "$ROOT/tests/boot/modload" "$stage/bin/modload"
for a in ${adds[@]+"${adds[@]}"}; do
	src=${a%%:*}
	dest=${a#*:}
	if [ ! -f "$src" ] || [ "${dest#/}" = "$dest" ]; then
		die "--add SRC:/DEST, not $a"
	fi
	mkdir -p "$stage$(dirname "$dest")"
	cp "$src" "$stage$dest"
done
if [ "$uarch" = arm64 ]; then
	add_iptables_arm64
else
	add_iptables
	add_nft
fi

# The modules, and module indexes made for exactly those files.
smods=$stage/lib/modules/$kver
mkdir -p "$smods"
select_modules "$modules" >"$stage/modules.list"
(cd "$kmods" && xargs cp --parents -t "$smods") <"$stage/modules.list"
rm "$stage/modules.list"
cp "$kmods"/modules.builtin "$kmods"/modules.builtin.modinfo "$kmods"/modules.order "$smods/"
depmod -b "$stage" -F "$kdir/System.map" "$kver"

rm -f "$out.tmp"
case $format in
cpio)
	{
		console_cpio
		(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | "$host_bb" cpio -o -H newc -R 0:0 2>/dev/null)
	} | gzip -6 >"$out.tmp"
	;;
ext4)
	size=$(($(du -sk "$stage" | cut -f1) * 5 / 4 + 16384))
	mke2fs -q -F -t ext4 -L ewroot -E root_owner=0:0 -d "$stage" "$out.tmp" "${size}k" >/dev/null
	;;
esac
mv "$out.tmp" "$out"
nmods=$(find "$smods" -name '*.ko*' | wc -l)
echo "initramfs.sh: $out: $format, $arch kernel $kver, $nmods modules ($modules), $(du -h "$out" | cut -f1)" >&2
