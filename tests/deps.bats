#!/usr/bin/env bats
# deps.bats - the dependency scripts never remove or downgrade a package.
#
# scripts/apt.sh decides on apt's own simulation (`apt-get -s`). Each
# tests/deps/NAME.sim is such a simulation: chrony.sim was recorded on this
# project's machine (installing chrony removes systemd-timesyncd), the
# others follow apt's format for a downgrade and for an upgrade a new
# package needs. An apt-get on PATH replays one and records every call, so
# nothing is ever installed here: a refusal must name the package and stop
# before the real install; an allowed transaction must reach it with
# --no-remove. The tiers are checked against the scripts' own lists.

load helpers

# with_sim NAME PACKAGE...: apt_safe_install PACKAGE... against NAME.sim.
with_sim() {
	local sim=$ROOT/tests/deps/$1.sim bin=$BATS_TEST_TMPDIR/bin
	shift
	mkdir -p "$bin"
	cat >"$bin/apt-get" <<SH
#!/bin/sh
echo "apt-get \$*" >>"$BATS_TEST_TMPDIR/calls"
case " \$* " in
*" -s "*) cat "$sim" ;;
esac
SH
	chmod +x "$bin/apt-get"
	: >"$BATS_TEST_TMPDIR/calls"
	PATH="$bin:$PATH" sh -c '. "$1/scripts/apt.sh"; shift; apt_safe_install deps.sh "$@"' _ "$ROOT" "$@"
}

# The replayed apt-get was never asked for the real install.
refute_installed() {
	run grep -c -- ' install -y' "$BATS_TEST_TMPDIR/calls"
	assert_output 0
}

@test "a transaction that would remove a package is refused, naming it; nothing is installed" {
	run with_sim chrony chrony
	assert_failure
	assert_line "deps.sh: would remove systemd-timesyncd"
	assert_line --partial "deps.sh: refusing to install chrony"
	refute_installed
}

@test "a transaction that would downgrade a package is refused, naming it" {
	run with_sim downgrade earlywall-test-tool
	assert_failure
	assert_line "deps.sh: would downgrade libsystemd0 from 252.39-1~deb12u2 to 252.38-1~deb12u1"
	refute_installed
}

@test "an upgrade the new package needs is named and allowed; the install runs with --no-remove" {
	run with_sim upgrade earlywall-test-tool
	assert_success
	assert_line "deps.sh: upgrading, because the new packages need it: libsystemd0 "
	run grep -- ' install -y' "$BATS_TEST_TMPDIR/calls"
	assert_output --partial "--no-install-recommends --no-remove earlywall-test-tool"
}

@test "deps-cross.sh refuses linux-libc-dev:arm64 (it would replace the host's headers)" {
	run bash -c 'sim=$(sed "s/^Inst chrony .*/Inst linux-libc-dev:arm64 (6.1 Debian [arm64])/; /^Remv/d" "$1")
		APT_FORBID="^linux-libc-dev:(arm64|armhf)$" sh -c ". \"$2/scripts/apt.sh\"; APT_FORBID=\"\$APT_FORBID\"; apt_offences \"\$1\"" _ "$sim"' \
		_ "$ROOT/tests/deps/chrony.sim" "$ROOT"
	assert_output "would install linux-libc-dev:arm64"
}

@test "make demo's tier installs only the build and the demo; chrony is never installed, only unpacked" {
	run sh -c 'sed -n "/^BUILD=\"/,/^\"/p; /^DEMO=\"/,/^\"/p" "$1" | grep -v "\"" | cut -d: -f1 | sort | tr "\n" " "' _ "$ROOT/scripts/deps.sh"
	assert_output "gcc iproute2 iputils-ping kconfig-frontends-nox linux-libc-dev make musl-tools socat util-linux xz-utils "
	run grep -E '^chrony:' "$ROOT/scripts/deps.sh"
	assert_output "chrony:usr/sbin/chronyd"
	[ -x "$ROOT/build/tools/chrony/usr/sbin/chronyd" ]
	run dpkg-query -W -f '${Status}' chrony
	refute_output --partial " installed"
}
