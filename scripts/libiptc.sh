#!/bin/sh
# libiptc.sh - fetch, verify and build libip4tc/libip6tc static for earlywall.
#
#   libiptc.sh OUTDIR CC HOST-TRIPLET [IPTABLES_SRC]
#
# The iptables release tarball comes from Debian's source package (pinned by
# version and sha256) unless IPTABLES_SRC names an unpacked tree. Results go
# to OUTDIR: lib/libip4tc.a, lib/libip6tc.a, include/ (iptables' headers) and
# kh/ (the kernel uapi headers for the target, which musl does not carry).
# A finished OUTDIR is never rebuilt, and the tarball is cached under
# build/dl, so a rebuild needs no network. Nothing is ever committed.
set -eu

VERSION=1.8.9
SHA256=ef6639a43be8325a4f8ea68123ffac236cb696e8c78501b64e8106afb008c87f
TARBALL=iptables_${VERSION}.orig.tar.xz

out=$1 cc=$2 triplet=$3 src=${4:-}
# No unwind tables: nothing in a static C binary unwinds, and they cost
# 4 KiB. A build with other flags is redone (the stamp records them).
LIB_CFLAGS="-Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables"
STAMP="iptables $VERSION, $cc, $LIB_CFLAGS"
dl=${EW_DL_DIR:-build/dl}

die() { echo "libiptc.sh: $*" >&2; exit 1; }

fetch() {
	mkdir -p "$dl/apt/lists/partial" "$dl/apt/cache/archives/partial"
	# The machine's own archive entries, as deb-src (no archive host here).
	"$(dirname "$0")/apt-sources.sh" deb-src bookworm >"$dl/apt/earlywall.sources" ||
		die "no Debian archive in this machine's apt configuration to fetch the source package from"
	set -- -o Dir::Etc::SourceList="$PWD/$dl/apt/earlywall.sources" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$PWD/$dl/apt/lists" \
		-o Dir::Cache="$PWD/$dl/apt/cache" -o Debug::NoLocking=1 \
		-o APT::Sandbox::User="$(id -un)"
	apt-get "$@" -qq update >&2 || die "apt-get update for the source package failed"
	(cd "$dl" && apt-get "$@" -qq source --download-only "iptables=${VERSION}-2") >&2 ||
		die "could not download Debian's iptables ${VERSION} source package"
}

unpack() {
	[ -f "$dl/$TARBALL" ] || fetch
	echo "$SHA256  $dl/$TARBALL" | sha256sum -c --quiet - ||
		die "$dl/$TARBALL: sha256 mismatch, refusing to build it"
	rm -rf "$dl/iptables-$VERSION"
	tar -C "$dl" -xJf "$dl/$TARBALL"
	src=$dl/iptables-$VERSION
}

kernel_headers() {
	mkdir -p "$out/kh"
	# Native: /usr/include/TRIPLET/asm; cross: Debian's linux-libc-dev-ARCH-cross.
	asm=/usr/include/$triplet/asm
	[ -d "$asm" ] || asm=/usr/$triplet/include/asm
	[ -d "$asm" ] || asm=/usr/include/asm
	if [ ! -d /usr/include/linux ]; then
		die "no Linux uapi headers in /usr/include/linux (install linux-libc-dev, or run scripts/deps.sh)"
	fi
	if [ ! -d "$asm" ]; then
		case $triplet in
		"$(gcc -dumpmachine 2>/dev/null)") die "no Linux uapi headers for $triplet (install linux-libc-dev)" ;;
		*) die "no Linux uapi headers for $triplet in /usr/$triplet/include/asm (run make deps-cross: it installs linux-libc-dev-ARCH-cross; never linux-libc-dev:ARCH)" ;;
		esac
	fi
	ln -sfn /usr/include/linux "$out/kh/linux"
	ln -sfn /usr/include/asm-generic "$out/kh/asm-generic"
	ln -sfn "$asm" "$out/kh/asm"
}

# Build in a private copy of the tree, so the caller's tree stays untouched
# (and may even have been configured in place before).
build() {
	obj=$out/obj
	rm -rf "$obj" && mkdir -p "$obj"
	outabs=$(cd "$out" && pwd)
	cp -pR "$src/." "$obj/"
	if [ -f "$obj/Makefile" ]; then
		make -C "$obj" distclean >/dev/null 2>&1 || true
	fi
	(cd "$obj" && ./configure --host="$triplet" CC="$cc" \
		CFLAGS="$LIB_CFLAGS -isystem $outabs/kh" \
		--disable-nftables --enable-static --disable-shared \
		--disable-ipv4 --disable-ipv6 >configure.log 2>&1) ||
		die "configure failed, see $obj/configure.log"
	make -C "$obj/libiptc" >"$obj/make.log" 2>&1 || die "make failed, see $obj/make.log"
	mkdir -p "$out/lib"
	cp "$obj/libiptc/.libs/libip4tc.a" "$obj/libiptc/.libs/libip6tc.a" "$out/lib/"
	rm -rf "$out/include" && cp -R "$obj/include" "$out/include"
}

[ -f "$out/.done" ] && [ "$(cat "$out/.done")" = "$STAMP" ] && exit 0
if [ -n "$src" ]; then
	[ -f "$src/libiptc/libiptc.c" ] || die "IPTABLES_SRC=$src is not an iptables source tree"
else
	unpack
fi
echo "  LIBIPTC  $out (iptables $VERSION, $cc)" >&2
kernel_headers
build
echo "$STAMP" >"$out/.done"
