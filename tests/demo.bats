#!/usr/bin/env bats
# demo.bats - `make demo`'s script passes, as root and as an unprivileged
# user (through user namespaces), and leaves nothing behind on the host.

load helpers

@test "the demo passes every check and leaves the host untouched" {
	ew_build rpi tests/configs/rpi.config
	local before
	before=$(iptables-legacy-save -t filter | grep -v '^#'; ip netns list)
	run "$ROOT/scripts/demo.sh" "$EW"
	assert_success
	assert_output --partial "demo: all 8 checks passed"
	refute_line --partial "FAIL"
	[ "$before" = "$(iptables-legacy-save -t filter | grep -v '^#'; ip netns list)" ]
}

@test "the demo passes as an unprivileged user" {
	[ "$(id -u)" = 0 ] || skip "needs root to switch to an unprivileged user"
	local err
	# The real reason, as unshare gives it (a sysctl, a chroot, a seccomp filter...).
	err=$(setpriv --reuid=65534 --regid=65534 --clear-groups unshare --map-root-user true 2>&1) ||
		skip "an unprivileged user cannot make a user namespace here: $err"
	ew_build rpi tests/configs/rpi.config
	# A copy nobody can read, wherever the checkout is (root's home is 0700).
	local d
	d=$(mktemp -d /tmp/ew-demo.XXXXXX)
	chmod 0755 "$d"
	cp "$ROOT/scripts/demo.sh" "$ROOT/scripts/netns.sh" "$EW" "$d/"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$d/demo.sh" "$d/earlywall"
	rm -rf "$d"
	assert_success
	assert_output --partial "demo: all 8 checks passed"
}
