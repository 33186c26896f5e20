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
#   --test-init PATH      /sbin/testinit (default tests/boot/testinit)
#   --cmdline-file FILE   /etc/earlywall.cmdline (for a fault build that reads
#                         its command line from a file)
#   --add SRC:DEST        any other file, e.g. --add my.conf:/etc/my.conf
#   --kver VERSION        kernel (default: what scripts/qemu-kernel.sh pins)
#
# The image holds: busybox-static at /bin/busybox with its applets linked in
# /bin, except modprobe, depmod and init (so the kernel cannot autoload
# modules behind earlywall's back: /sbin/modprobe does not exist);
# tests/boot/modload (insmod by modules.dep, for the NIC driver);
# iptables-legacy-save and ip6tables-legacy-save from the host's iptables
# package with the libraries ldd names and every xtables extension; the
# chosen netfilter modules plus virtio_net and virtio_pci (the NIC) with
# their dependencies and softdeps, under /lib/modules/<ver>/ with
# modules.builtin, modules.order and a modules.dep, modules.softdep ... that
# depmod made for exactly these files; empty /dev, /proc, /sys, /run, /tmp.
# The initramfs also has /dev/console (the kernel opens it for /init); the
# ext4 image has none, as on a root filesystem without devtmpfs automount.
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
init='' earlywall='' modules=all testinit=$ROOT/tests/boot/testinit kver=''
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
	*) usage ;;
	esac
	shift 2
done
case $out in
*.cpio.gz) format=cpio ;;
*.ext4) format=ext4 ;;
*) die "OUT must end in .cpio.gz or .ext4: $out" ;;
esac
case $modules in all | none | no-conntrack) ;; *) die "--modules all|none|no-conntrack, not $modules" ;; esac
[ -n "$init" ] || die "--init BINARY is required"
[ -n "$earlywall" ] || earlywall=$init
for f in "$init" "$earlywall" "$testinit"; do
	[ -f "$f" ] || die "no such file: $f"
done
[ -n "$kver" ] || kver=$("$ROOT/scripts/qemu-kernel.sh")
kdir=$ROOT/build/kernel/$kver
kmods=$kdir/lib/modules/$kver
[ -f "$kmods/modules.dep" ] || die "no kernel $kver in build/kernel (run scripts/qemu-kernel.sh)"

# busybox-static from Debian, fetched once (it conflicts with the busybox
# package, so it is downloaded, not installed).
busybox_static() {
	local bb=$CACHE/busybox deb
	if [ ! -x "$bb" ]; then
		mkdir -p "$CACHE"
		deb=$(find "$CACHE" -name 'busybox-static_*.deb' | sort | tail -n 1)
		if [ -z "$deb" ]; then
			if ! apt-cache show busybox-static >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
				apt-get -qq update >&2
			fi
			(cd "$CACHE" && apt-get -qq download busybox-static 2>&1 |
				grep -v 'unsandboxed as root' >&2) || true
			deb=$(find "$CACHE" -name 'busybox-static_*.deb' | sort | tail -n 1)
			[ -n "$deb" ] || die "apt-get download busybox-static failed (apt-get update?)"
		fi
		rm -rf "$CACHE/bb.x"
		dpkg-deb -x "$deb" "$CACHE/bb.x"
		cp "$CACHE/bb.x/bin/busybox" "$bb.tmp"
		rm -rf "$CACHE/bb.x"
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
		if (mode != "no-conntrack") return 0
		n = modname(p)
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
bb=$(busybox_static)

mkdir -p "$stage"/{bin,sbin,etc,dev,proc,sys,run,tmp,root,usr/bin,usr/sbin,lib/modules}
chmod 1777 "$stage/tmp"
cp "$bb" "$stage/bin/busybox"
for applet in $("$bb" --list); do
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
add_iptables

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
		(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | "$bb" cpio -o -H newc -R 0:0 2>/dev/null)
	} | gzip -6 >"$out.tmp"
	;;
ext4)
	size=$(($(du -sk "$stage" | cut -f1) * 5 / 4 + 16384))
	mke2fs -q -F -t ext4 -L ewroot -E root_owner=0:0 -d "$stage" "$out.tmp" "${size}k" >/dev/null
	;;
esac
mv "$out.tmp" "$out"
nmods=$(find "$smods" -name '*.ko*' | wc -l)
echo "initramfs.sh: $out: $format, kernel $kver, $nmods modules ($modules), $(du -h "$out" | cut -f1)" >&2
