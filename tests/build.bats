#!/usr/bin/env bats
# build.bats - how the binary is built: libiptc pinned by sha256 and cached,
# a local iptables tree, no network once cached, and a clean `make clean`.

load helpers

setup() {
	ew_build rpi tests/configs/rpi.config     # makes sure build/dl is filled
	SRC="$ROOT/build/dl/iptables-1.8.9"
	[ -f "$SRC/libiptc/libiptc.c" ] || skip "no unpacked iptables tree in build/dl"
}

@test "a tarball whose sha256 does not match is refused" {
	local dl="$BATS_TEST_TMPDIR/dl"
	mkdir -p "$dl"
	cp "$ROOT/build/dl/iptables_1.8.9.orig.tar.xz" "$dl/"
	printf 'x' >>"$dl/iptables_1.8.9.orig.tar.xz"
	cd "$ROOT"
	run env EW_DL_DIR="$dl" scripts/libiptc.sh "$BATS_TEST_TMPDIR/out" musl-gcc "$(gcc -dumpmachine)"
	assert_failure
	assert_output --partial "sha256 mismatch, refusing to build it"
	[ ! -e "$BATS_TEST_TMPDIR/out/lib/libip4tc.a" ]
}

@test "IPTABLES_SRC builds from a local tree, with no network at all" {
	cd "$ROOT"
	rm -rf build/t/local build/t/libiptc-local
	run unshare --net -- make -s O=build/t/local LIBIPTC=build/t/libiptc-local \
		IPTABLES_SRC="$SRC" CONFIG=tests/configs/rpi.config
	assert_success
	diff <(build/t/local/earlywall print) <(build/t/rpi/earlywall print)
}

@test "a clean clone builds and make clean leaves it as it was cloned" {
	local tree="$BATS_TEST_TMPDIR/clone"
	git clone -q "$ROOT" "$tree" || skip "the checkout is not a git repository"
	make -s -C "$tree" IPTABLES_SRC="$SRC" >/dev/null
	[ -x "$tree/build/earlywall" ]
	make -s -C "$tree" clean
	run git -C "$tree" status --porcelain --ignored
	assert_output ""
}
