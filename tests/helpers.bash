# helpers.bash - shared by the bats suites. Source with `load helpers`.
# shellcheck shell=bash

ROOT="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
export ROOT
load /usr/lib/bats/bats-support/load.bash
load /usr/lib/bats/bats-assert/load.bash

# ew_build NAME CONFIG [MAKE-ARGS...]: build CONFIG into build/t/NAME; sets EW.
# With EW_BACKEND=NFTABLES or IPTABLES (a suite's choice, or run-tests.sh's
# second pass over the traffic suites), CONFIG gets CONFIG_BACKEND_...=y
# appended, in a copy, and the build goes to build/t/NAME-BACKEND.
ew_build() {
	local name=$1 config=$2 log
	shift 2
	mkdir -p "$ROOT/build/t"
	if [ -n "${EW_BACKEND:-}" ]; then
		name=$name-$EW_BACKEND
		(cd "$ROOT" && cat "$config") >"$ROOT/build/t/$name.config"
		echo "CONFIG_BACKEND_$EW_BACKEND=y" >>"$ROOT/build/t/$name.config"
		config=build/t/$name.config
	fi
	log="$ROOT/build/t/$name.log"
	if ! make -s -C "$ROOT" O="build/t/$name" CONFIG="$config" "$@" all >"$log" 2>&1; then
		cat "$log" >&2
		return 1
	fi
	# shellcheck disable=SC2034 # read by the suites
	EW="$ROOT/build/t/$name/earlywall"
}

# Golden configurations: tests/configs/*.config, by name.
golden_names() {
	local c
	for c in "$ROOT"/tests/configs/*.config; do
		basename "$c" .config
	done
}

# in_netns CMD...: run CMD in a fresh network namespace (a user namespace too
# when not root), so the host's own firewall is never touched.
in_netns() {
	if [ "$(id -u)" = 0 ]; then
		unshare --net -- "$@"
	else
		unshare --map-root-user --net -- "$@"
	fi
}

# The live tables, normalised as the contract allows (see tables.sh).
TABLES="$ROOT/tests/tables.sh"
export TABLES

# cross_missing: empty when scripts/deps-cross.sh finds (or installs) the
# cross toolchain and qemu; else the reason, for the suites to skip with.
cross_missing() {
	local out
	out=$("$ROOT/scripts/deps-cross.sh" 2>&1) && return 0
	echo "$(echo "$out" | grep -m1 'missing' | sed 's/^deps-cross.sh: //'); run scripts/deps-cross.sh as root"
}
