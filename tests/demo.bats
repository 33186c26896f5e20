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
	setpriv --reuid=65534 --regid=65534 --clear-groups unshare --map-root-user true 2>/dev/null ||
		skip "unprivileged user namespaces are disabled on this kernel"
	setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$ROOT/scripts/demo.sh" ||
		skip "the checkout is not readable by nobody (uid 65534)"
	ew_build rpi tests/configs/rpi.config
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$ROOT/scripts/demo.sh" "$EW"
	assert_success
	assert_output --partial "demo: all 8 checks passed"
}
