#!/usr/bin/env bats
# buildroot.bats - the Buildroot br2-external tree in board/rpi/buildroot,
# checked without Buildroot's sources (they are never fetched here):
# - its Config.in files parse with kconfig-conf, inside a stand-in for the
#   menu Buildroot generates around a br2-external tree, with no warning,
#   and the package's dependencies and comment behave as Buildroot's manual
#   asks;
# - its Config.in and .mk files follow Buildroot's documented rules: the
#   rules, and the manual sections that state them, are listed at the top
#   of tests/buildroot/check-config-in.sh and tests/buildroot/check-mk.sh;
# - the package's build and install commands, taken by make from
#   earlywall.mk itself (tests/buildroot/br-stub.mk), build against a
#   staging-like directory the binary the plain build makes;
# - post-build.sh leaves exactly one init= in a Raspberry Pi cmdline.txt.

load helpers

BR="$ROOT/board/rpi/buildroot"
FIX="$ROOT/tests/buildroot"
SBIN=/sbin/earlywall

setup() {
	W="$ROOT/build/t/br"
	mkdir -p "$W"
}

# The Buildroot symbols the tree's Config.in files use, declared as in
# Buildroot (arch/Config.in, toolchain/Config.in, Config.in,
# package/iptables/Config.in), then what support/scripts/br2-external
# generates for a br2-external tree (.br2-external.in.paths and .menus).
BR_SYMBOLS="BR2_USE_MMU BR2_TOOLCHAIN_USES_MUSL BR2_STATIC_LIBS BR2_PACKAGE_IPTABLES BR2_EXTERNAL_EARLYWALL_PATH"
br_kconfig() {
	cat >"$W/Kconfig" <<EOF
mainmenu "Buildroot stand-in"

config BR2_USE_MMU
	bool "MMU"
	default y

config BR2_TOOLCHAIN_USES_MUSL
	bool "musl toolchain"

config BR2_STATIC_LIBS
	bool "static only"

config BR2_PACKAGE_IPTABLES
	bool "iptables"

config BR2_EXTERNAL_EARLYWALL_PATH
	string
	default "$BR"

menu "External options"

comment "$(sed -n 's/^desc: //p' "$BR/external.desc") (in $BR)"
source "\$BR2_EXTERNAL_EARLYWALL_PATH/Config.in"

endmenu
EOF
}

# br_conf FILE: complete the Buildroot configuration FILE (under $W) as
# Buildroot's conf would: no symbol prefix, BR2_EXTERNAL_*_PATH exported.
br_conf() {
	br_kconfig
	env CONFIG_= BR2_EXTERNAL_EARLYWALL_PATH="$BR" KCONFIG_CONFIG="$W/$1" \
		kconfig-conf --olddefconfig "$W/Kconfig"
}

# A configuration with the package enabled, as the fragments make it.
br_enabled_config() {
	printf '%s\n' BR2_TOOLCHAIN_USES_MUSL=y BR2_STATIC_LIBS=y BR2_PACKAGE_EARLYWALL=y \
		>"$W/buildroot.config"
	br_conf buildroot.config >/dev/null
}

@test "Config.in files: kconfig-conf parses them with no warning" {
	: >"$W/empty.config"
	run br_conf empty.config
	assert_success
	refute_output --partial warning
	refute_output --partial error
	br_kconfig
	run env CONFIG_= BR2_EXTERNAL_EARLYWALL_PATH="$BR" KCONFIG_CONFIG="$W/all.config" \
		kconfig-conf --alldefconfig "$W/Kconfig"
	assert_success
	refute_output --partial warning
}

@test "Config.in files: with a static musl toolchain the package selects iptables and defaults to the example policy" {
	br_enabled_config
	run cat "$W/buildroot.config"
	assert_line BR2_PACKAGE_EARLYWALL=y
	assert_line BR2_PACKAGE_IPTABLES=y
	assert_line 'BR2_PACKAGE_EARLYWALL_CONFIG="$(BR2_EXTERNAL_EARLYWALL_PATH)/../rpi_defconfig"'
	assert_line 'BR2_PACKAGE_EARLYWALL_CONFIG_FRAGMENT_FILES=""'
	refute_output --partial 'earlywall needs'
	# make expands the path the way Buildroot's .mk does.
	[ "$(realpath "$BR/../rpi_defconfig")" = "$ROOT/board/rpi/rpi_defconfig" ]
}

@test "Config.in files: without musl or without static libraries the package goes, and a comment says why" {
	local c
	for c in BR2_TOOLCHAIN_USES_MUSL=y BR2_STATIC_LIBS=y; do
		printf '%s\nBR2_PACKAGE_EARLYWALL=y\n' "$c" >"$W/dep.config"
		br_conf dep.config >/dev/null
		run cat "$W/dep.config"
		refute_line BR2_PACKAGE_EARLYWALL=y
		assert_line '# earlywall needs a musl toolchain w/ static libraries only'
	done
	# The manual: no comment for a missing MMU, since the target decides it.
	printf '# BR2_USE_MMU is not set\nBR2_TOOLCHAIN_USES_MUSL=y\nBR2_STATIC_LIBS=y\n' >"$W/nommu.config"
	br_conf nommu.config >/dev/null
	run cat "$W/nommu.config"
	refute_line BR2_PACKAGE_EARLYWALL=y
	refute_output --partial 'earlywall needs'
}

@test "Config.in files: every symbol they use is their own or one Buildroot defines" {
	local sym own
	own=$(sed -n 's/^config \(BR2_[A-Z0-9_]*\).*/\1/p' "$BR/Config.in" "$BR"/package/*/Config.in | tr '\n' ' ')
	for sym in $(grep -v '^[[:space:]]*#' "$BR/Config.in" "$BR"/package/*/Config.in |
		grep -E '^[^:]*:[[:space:]]*(depends|select|if|default|config)' |
		grep -o 'BR2_[A-Z0-9_]*' | sort -u); do
		case " $own $BR_SYMBOLS " in
		*" $sym "*) ;;
		*) echo "unknown symbol $sym" >&2; return 1 ;;
		esac
	done
}

@test "Config.in files: Buildroot's coding style" {
	run "$FIX/check-config-in.sh" "$BR/Config.in" "$BR"/package/*/Config.in
	assert_success
	assert_output ""
}

@test "Config.in checker: catches each rule it claims to check" {
	run "$FIX/check-config-in.sh" "$FIX/bad-Config.in"
	assert_failure
	local rule
	for rule in indent help order default-n redefined space; do
		assert_output --partial ": $rule: "
	done
}

@test "earlywall.mk: Buildroot's package rules" {
	run "$FIX/check-mk.sh" earlywall "$BR/package/earlywall/earlywall.mk"
	assert_success
	assert_output ""
}

@test ".mk checker: catches each rule it claims to check" {
	run "$FIX/check-mk.sh" earlywall "$FIX/bad.mk"
	assert_failure
	local rule
	for rule in header assign indent prefix override backslash space braces ifdef useless hostdir required eval; do
		assert_output --partial ": $rule: "
	done
	printf 'x' >"$W/nonl.mk"
	run "$FIX/check-mk.sh" earlywall "$W/nonl.mk"
	assert_output --partial "no newline at the end"
}

@test "the br2-external tree: external.desc, Config.in, external.mk" {
	# Manual, "The external.desc file": a name in [A-Za-z0-9_], a desc of
	# about 40 characters at most.
	run cat "$BR/external.desc"
	assert_line "name: EARLYWALL"
	assert_line --regexp '^desc: .{1,40}$'
	[ "$(wc -l <"$BR/external.desc")" = 2 ]
	# Manual, "The Config.in and external.mk files".
	run cat "$BR/Config.in"
	assert_output 'source "$BR2_EXTERNAL_EARLYWALL_PATH/package/earlywall/Config.in"'
	grep -q 'include .*\$(BR2_EXTERNAL_EARLYWALL_PATH)/package/' "$BR/external.mk"
	# Executable where Buildroot runs the file itself, and only there
	# (check-package: NotExecutable).
	[ -x "$BR/post-build.sh" ]
	local f
	for f in "$BR/external.desc" "$BR/Config.in" "$BR/external.mk" "$BR"/package/earlywall/* \
		"$BR"/configs/* "$BR"/*.fragment; do
		[ ! -x "$f" ] || { echo "$f is executable" >&2; return 1; }
	done
}

@test "earlywall.mk: uses only variables Buildroot defines; site, license and dependencies" {
	br_enabled_config
	run make -s -f "$FIX/br-stub.mk" --warn-undefined-variables ROOT="$ROOT" T="$W" show-vars
	assert_success
	refute_output --partial 'undefined variable'
	# external.mk included earlywall.mk.
	assert_line --regexp '^EARLYWALL_SITE_METHOD = local$'
	assert_line --regexp '^EARLYWALL_DEPENDENCIES = .*\biptables\b'
	assert_line 'EARLYWALL_LICENSE = GPL-2.0'
	# A local site has no version or tarball (manual, generic-package
	# reference: _SITE_METHOD local).
	refute_line --regexp '^EARLYWALL_(VERSION|SOURCE) ='
	local site files f
	site=$(sed -n 's/^EARLYWALL_SITE = //p' <<<"$output")
	[ "$(realpath "$site")" = "$ROOT" ]
	files=$(sed -n 's/^EARLYWALL_LICENSE_FILES = //p' <<<"$output")
	for f in $files; do [ -f "$site/$f" ]; done
	grep -q 'GNU GENERAL PUBLIC LICENSE' "$site/LICENSE"
	grep -q 'Version 2' "$site/LICENSE"
	# The policy file the Config.in default names exists.
	[ -f "$(sed -n 's/^EARLYWALL_KCONFIG_FILE = //p' <<<"$output")" ]
}

# A staging directory laid out like Buildroot's: the static libiptc in
# usr/lib; in usr/include the headers iptables' "make install" puts there
# (libiptc/, xtables.h, xtables-version.h) and the kernel's uapi headers,
# which the toolchain brings. Filled from the project's own libiptc build.
br_staging() {
	local triplet lib
	triplet=$(gcc -dumpmachine)
	lib="$ROOT/build/libiptc/$triplet"
	[ -f "$lib/.done" ] || make -s -C "$ROOT" "build/libiptc/$triplet/.done" >&2
	rm -rf "$W/staging"
	mkdir -p "$W/staging/usr/lib" "$W/staging/usr/include"
	cp "$lib/lib/libip4tc.a" "$lib/lib/libip6tc.a" "$W/staging/usr/lib/"
	cp -R "$lib/include/libiptc" "$lib/include/xtables.h" "$lib/include/xtables-version.h" \
		"$W/staging/usr/include/"
	for h in linux asm asm-generic; do
		ln -s "$(readlink -f "$lib/kh/$h")" "$W/staging/usr/include/$h"
	done
}

# The Makefile variables earlywall.mk relies on.
needs_makefile_support() {
	grep -q 'LIBIPTC_LIBS' "$ROOT/Makefile" && grep -q 'KCONFIG_CONF' "$ROOT/Makefile" || {
		echo "the Makefile lacks LIBIPTC_LIBS/LIBIPTC_CFLAGS and KCONFIG_CONF/KCONFIG_MCONF" >&2
		return 1
	}
}

br_build() {
	needs_makefile_support
	br_enabled_config
	br_staging
	rm -rf "$W/build" "$W/target"
	mkdir -p "$W/build/buildroot-config" "$W/target"
	cp "$FIX/buildroot-conf" "$W/build/buildroot-config/conf"
	make -f "$FIX/br-stub.mk" ROOT="$ROOT" T="$W" target-installed >"$W/build.log" 2>&1 || {
		cat "$W/build.log" >&2
		return 1
	}
}

@test "package build: earlywall.mk's own commands, against a staging-like directory, build the plain build's binary" {
	local before
	br_enabled_config
	before=$(sha256sum <"$W/buildroot.config")
	br_build
	local bin="$W/target$SBIN"
	[ -x "$bin" ]
	[ "$(stat -c %a "$bin")" = 755 ]
	run file "$bin"
	assert_output --partial 'statically linked'
	# Staging's libiptc was used: libiptc.sh never ran.
	[ ! -e "$W/build/earlywall/build/libiptc" ]
	[ -z "$(grep -E '^ +LIBIPTC ' "$W/build.log")" ]
	# Buildroot's own configuration (BR2_CONFIG, exported) was left alone.
	[ "$(sha256sum <"$W/buildroot.config")" = "$before" ]
	# The tree's own build/ and .config were not copied in.
	[ ! -e "$W/build/earlywall/build/t" ]
	# Same policy as the plain build of the same configuration.
	ew_build br-ref board/rpi/rpi_defconfig
	diff <("$EW" print) <("$bin" print)
	diff <("$EW" config) <("$bin" config)
}

@test "package build: Buildroot's conf, through kconfig.sh, completes the configuration as kconfig-conf does" {
	br_build
	cp "$ROOT/board/rpi/rpi_defconfig" "$W/ref.config"
	KCONFIG_CONFIG="$W/ref.config" kconfig-conf --olddefconfig "$ROOT/Kconfig" >/dev/null
	diff "$W/ref.config" "$W/build/earlywall/.config"
	# earlywall-savedefconfig gives back the policy file.
	make -s -f "$FIX/br-stub.mk" ROOT="$ROOT" T="$W" savedefconfig >/dev/null
	diff "$ROOT/board/rpi/rpi_defconfig" "$W/build/earlywall/defconfig"
}

@test "kconfig.sh: the tool works on KCONFIG_CONFIG with the CONFIG_ prefix, never on Buildroot's BR2_CONFIG" {
	cat >"$W/tool" <<'EOF'
#!/bin/sh
echo "BR2_CONFIG=$BR2_CONFIG CONFIG_=$CONFIG_ args=$*"
EOF
	chmod +x "$W/tool"
	run env BR2_CONFIG=/buildroot/.config KCONFIG_CONFIG=build/config.tmp \
		sh "$BR/package/earlywall/kconfig.sh" "$W/tool" --olddefconfig Kconfig
	assert_success
	assert_output "BR2_CONFIG=build/config.tmp CONFIG_=CONFIG_ args=--olddefconfig Kconfig"
	run env -u KCONFIG_CONFIG BR2_CONFIG=/buildroot/.config \
		sh "$BR/package/earlywall/kconfig.sh" "$W/tool" Kconfig
	assert_output "BR2_CONFIG=.config CONFIG_=CONFIG_ args=Kconfig"
	run sh "$BR/package/earlywall/kconfig.sh" "$W/no-such-conf" Kconfig
	assert_failure
	assert_output --partial "no-such-conf is missing"
}

# post_build NAME CMDLINE-FILE [ENV...]: a fake TARGET_DIR and BINARIES_DIR
# under $W/NAME with CMDLINE-FILE as rpi-firmware/cmdline.txt; sets P.
post_build_dirs() {
	P="$W/$1"
	rm -rf "$P"
	mkdir -p "$P/target/sbin" "$P/images/rpi-firmware"
	printf '#!/bin/sh\n' >"$P/target$SBIN"
	chmod 755 "$P/target$SBIN"
	cp "$2" "$P/images/rpi-firmware/cmdline.txt"
	printf 'kernel=Image\n' >"$P/images/rpi-firmware/config.txt"
}

post_build() {
	env BINARIES_DIR="$P/images" "$@" "$BR/post-build.sh" "$P/target"
}

# tokens FILE: the words of its first line, one per line.
tokens() { head -n 1 "$1" | tr -s ' \t' '\n\n' | sed '/^$/d'; }

@test "post-build.sh: one init=/sbin/earlywall, the rest of each board's line intact, twice" {
	local board
	for board in rpi4 rpi5; do
		post_build_dirs "$board" "$FIX/cmdline-$board.txt"
		local c="$P/images/rpi-firmware/cmdline.txt"
		post_build
		[ "$(cat "$c")" = "$(cat "$FIX/cmdline-$board.txt") init=$SBIN" ]
		cp "$c" "$P/first"
		post_build
		cmp "$c" "$P/first"
		[ "$(tokens "$c" | grep -c '^init=')" = 1 ]
		[ "$(wc -l <"$c")" = 1 ]
		diff <(tokens "$FIX/cmdline-$board.txt") <(tokens "$c" | grep -v "^init=$SBIN\$")
	done
}

@test "post-build.sh: an init= already there is chained through earlywall.init=" {
	printf 'console=serial0,115200 console=tty1 root=/dev/mmcblk0p2 rootwait quiet init=/usr/lib/raspberrypi-sys-mods/firstboot\n' \
		>"$W/firstboot.txt"
	post_build_dirs chain "$W/firstboot.txt"
	post_build
	post_build
	run cat "$P/images/rpi-firmware/cmdline.txt"
	assert_output "console=serial0,115200 console=tty1 root=/dev/mmcblk0p2 rootwait quiet earlywall.init=/usr/lib/raspberrypi-sys-mods/firstboot init=$SBIN"
}

@test "post-build.sh: with an initramfs it writes rdinit= and hands over to Buildroot's /init" {
	post_build_dirs initramfs "$FIX/cmdline-rpi4.txt"
	printf 'BR2_TARGET_ROOTFS_INITRAMFS=y\n' >"$P/buildroot.config"
	post_build BR2_CONFIG="$P/buildroot.config"
	post_build BR2_CONFIG="$P/buildroot.config"
	run cat "$P/images/rpi-firmware/cmdline.txt"
	assert_output "$(cat "$FIX/cmdline-rpi4.txt") earlywall.init=/init rdinit=$SBIN"
	# The same when the firmware loads the initramfs (config.txt).
	post_build_dirs initramfs-fw "$FIX/cmdline-rpi5.txt"
	printf 'initramfs rootfs.cpio.gz followkernel\n' >>"$P/images/rpi-firmware/config.txt"
	post_build
	run cat "$P/images/rpi-firmware/cmdline.txt"
	assert_output "$(cat "$FIX/cmdline-rpi5.txt") earlywall.init=/init rdinit=$SBIN"
}

@test "post-build.sh: refuses, changing nothing, without /sbin/earlywall or without cmdline.txt" {
	post_build_dirs nobin "$FIX/cmdline-rpi4.txt"
	rm "$P/target$SBIN"
	run post_build
	assert_failure
	assert_output --partial "$SBIN is missing"
	cmp "$P/images/rpi-firmware/cmdline.txt" "$FIX/cmdline-rpi4.txt"
	post_build_dirs nocmdline "$FIX/cmdline-rpi4.txt"
	rm "$P/images/rpi-firmware/cmdline.txt"
	run post_build
	assert_failure
	assert_output --partial "BR2_PACKAGE_RPI_FIRMWARE_CMDLINE_FILE"
}

@test "defconfig fragments: static musl, the package, the board's post-build script then earlywall's" {
	local name board f
	for name in raspberrypi4_64:raspberrypi4-64 raspberrypi5:raspberrypi5; do
		board=${name#*:}
		f="$BR/configs/${name%%:*}_earlywall.fragment"
		# Only Buildroot symbols, set or "is not set" (what merge_config.sh reads).
		run grep -vE '^(#.*|BR2_[A-Z0-9_]+=.*|# BR2_[A-Z0-9_]+ is not set)$' "$f"
		assert_output ""
		run cat "$f"
		assert_line BR2_TOOLCHAIN_EXTERNAL_BOOTLIN_AARCH64_MUSL_STABLE=y
		assert_line '# BR2_TOOLCHAIN_EXTERNAL_BOOTLIN_AARCH64_GLIBC_STABLE is not set'
		assert_line '# BR2_SHARED_LIBS is not set'
		assert_line BR2_STATIC_LIBS=y
		assert_line BR2_PACKAGE_IPTABLES=y
		assert_line BR2_PACKAGE_EARLYWALL=y
		assert_line "BR2_ROOTFS_POST_BUILD_SCRIPT=\"board/$board/post-build.sh \$(BR2_EXTERNAL_EARLYWALL_PATH)/post-build.sh\""
		assert_line 'BR2_PACKAGE_BUSYBOX_CONFIG_FRAGMENT_FILES="$(BR2_EXTERNAL_EARLYWALL_PATH)/busybox-modules-xz.fragment"'
	done
	run cat "$BR/busybox-modules-xz.fragment"
	assert_line CONFIG_FEATURE_SEAMLESS_XZ=y
}
