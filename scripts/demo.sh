#!/usr/bin/env bash
# demo.sh BINARY - show earlywall's policy working on real traffic.
#
# Builds a throwaway topology of network namespaces, runs every check once
# without a firewall and once after `BINARY apply` in the device namespace,
# and prints both results side by side. Exit 0 only if everything got through
# before and every result after is the expected one.
#
#   trusted  192.0.2.10/24 ------------ 192.0.2.1/24     dev   (runs earlywall)
#   stranger 203.0.113.66/24 --------- 203.0.113.1/24    dev
#            2001:db8:66::66/64        2001:db8:66::1/64
#
# It runs as root or as any user (then inside a user namespace). It re-executes
# itself in private mount, network and PID namespaces first (scripts/netns.sh,
# ns_isolate), so the host's network and firewall are never touched and all
# namespaces and servers vanish when it exits, even after a failure.
# Run by `make demo`.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/netns.sh
. "$here/netns.sh"

if [ $# != 1 ]; then
	echo "usage: $0 BINARY   (e.g. $0 build/earlywall)" >&2
	exit 2
fi
BIN=$(realpath -e "$1" 2>/dev/null || true)
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
	echo "demo: $1: no such executable (run make first)" >&2
	exit 2
fi
for cmd in unshare ip ss ping socat timeout; do
	command -v "$cmd" >/dev/null || { echo "demo: $cmd is missing (run scripts/deps.sh)" >&2; exit 2; }
done

ns_isolate "${BASH_SOURCE[0]}" "$@"
ns_trap_cleanup
export NETNS_LOG=/run/demo-servers.log

section() { printf '\n== %s\n' "$*"; }

# --- topology ----------------------------------------------------------------
section "topology: namespaces dev, trusted, stranger"
ns_create dev trusted stranger
ns_link dev to-trusted "192.0.2.1/24" trusted eth0 "192.0.2.10/24"
ns_link dev to-stranger "203.0.113.1/24 2001:db8:66::1/64" \
	stranger eth0 "203.0.113.66/24 2001:db8:66::66/64"
for ns in dev trusted stranger; do
	printf '%-9s' "$ns"
	ns_ip "$ns" -br addr show | awk '$1 != "lo" { $2 = ""; printf "  %s", $0 } END { print "" }'
done

section "servers in dev: tcp 0.0.0.0:22, [::]:22 and 127.0.0.1:8080"
ns_tcp_server dev 0.0.0.0 22 dev-ssh
ns_tcp_server dev :: 22 dev-ssh
ns_tcp_server dev 127.0.0.1 8080 dev-loopback
echo "listening"

# --- checks ------------------------------------------------------------------
# label | expected after apply | probe (exit 0 = got through)
CHECKS=(
	"trusted ping dev 192.0.2.1|through|can_ping trusted 192.0.2.1"
	"trusted tcp/22 dev 192.0.2.1|through|can_tcp trusted 192.0.2.1 22 dev-ssh"
	"stranger ping dev 203.0.113.1|dropped|can_ping stranger 203.0.113.1"
	"stranger tcp/22 dev 203.0.113.1|dropped|can_tcp stranger 203.0.113.1 22 dev-ssh"
	"dev loopback tcp/8080 127.0.0.1|through|can_tcp dev 127.0.0.1 8080 dev-loopback"
	"stranger ping6 dev 2001:db8:66::1|dropped|can_ping stranger 2001:db8:66::1"
	"stranger tcp6/22 dev 2001:db8:66::1|dropped|can_tcp stranger 2001:db8:66::1 22 dev-ssh"
	"dev ping stranger 203.0.113.66|dropped|can_ping dev 203.0.113.66"
)
BEFORE=()
AFTER=()

# run_checks ARRAY-NAME: fill the named array with through/dropped per check.
run_checks() {
	local -n results=$1
	local c probe
	results=()
	for c in "${CHECKS[@]}"; do
		probe=${c##*|}
		if eval "$probe"; then results+=(through); else results+=(dropped); fi
	done
}

section "checks without a firewall"
run_checks BEFORE
echo "done"

# --- the policy ----------------------------------------------------------------
section "policy: $1 print"
"$BIN" print

section "ip netns exec dev $1 apply"
rc=0
ns_exec dev "$BIN" apply || rc=$?
if [ "$rc" != 0 ]; then
	{
		echo
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
		echo "!! demo FAILED: '$1 apply' exited $rc in namespace dev; nothing checked"
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
	} >&2
	exit 1
fi

section "checks with earlywall applied"
run_checks AFTER

# --- the table ---------------------------------------------------------------
section "results (before = no firewall, got = after apply)"
fmt='%-38s %-9s %-9s %-9s %s\n'
# shellcheck disable=SC2059 # the format is ours
printf "$fmt" CHECK EXPECTED BEFORE GOT RESULT
failed=0
for i in "${!CHECKS[@]}"; do
	IFS='|' read -r label expected _ <<<"${CHECKS[i]}"
	verdict=PASS
	if [ "${BEFORE[i]}" != through ] || [ "${AFTER[i]}" != "$expected" ]; then
		verdict=FAIL
		failed=$((failed + 1))
	fi
	# shellcheck disable=SC2059
	printf "$fmt" "$label" "$expected" "${BEFORE[i]}" "${AFTER[i]}" "$verdict"
done
echo
if [ "$failed" != 0 ]; then
	echo "demo: $failed of ${#CHECKS[@]} checks FAILED" >&2
	if [ -s "$NETNS_LOG" ]; then
		echo "demo: server log:" >&2
		sed 's/^/  /' "$NETNS_LOG" >&2
	fi
	exit 1
fi
echo "demo: all ${#CHECKS[@]} checks passed: everything got through before, earlywall made the difference"
