#!/bin/bash
# run.sh BINARY [ARG...]: run BINARY as PID 1 of new PID, mount and network
# namespaces, the way the kernel starts init, and wait for the namespace to
# end (testinit exits) or for $WAIT seconds (default 10), then kill it.
#
# $EWTEST_DIR (required) is bind-mounted at /run/ewtest inside, over a
# private tmpfs on /run, and holds:
#   init, init2   copies of testinit (INIT_PATH and an alternative)
#   out/          what testinit recorded; out/live-rules: the ruleset seen
#                 from outside while PID 1 was still running
#   kmsg          bind-mounted over /dev/kmsg: earlywall's log lines
#   cmdline       bind-mounted over /proc/cmdline when $CMDLINE is set
# $PID1_ENV       the whole environment PID 1 gets (env -i), e.g. "A=1 B=2"
# $UP_IFACE       bring a veth of that name up before earlywall starts
# $NO_INIT        leave INIT_PATH absent
# $ROOTFS         chroot into this directory (under $EWTEST_DIR) first, so
#                 the fallback inits are looked up there, never on the host
# $CLOSE_FDS      start PID 1 with fds 0, 1 and 2 closed, as a kernel may
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${EWTEST_DIR:?}

inside() {
	mount -t tmpfs ewrun /run
	mkdir /run/ewtest
	mount --bind "$dir" /run/ewtest
	mount --bind /run/ewtest/kmsg /dev/kmsg
	if [ -n "${CMDLINE:-}" ]; then
		printf '%s\n' "$CMDLINE" >/run/ewtest/cmdline
		mount --bind /run/ewtest/cmdline /proc/cmdline
	fi
	ip link set lo up
	if [ -n "${UP_IFACE:-}" ]; then
		ip link add "$UP_IFACE" type veth peer name "${UP_IFACE}p"
		ip link set "$UP_IFACE" up
	fi
	read -ra env <<<"${PID1_ENV:-}"
	if [ -n "${CLOSE_FDS:-}" ]; then
		exec 0<&- 1>&- 2>&-
	fi
	if [ -n "${ROOTFS:-}" ]; then
		shift
		exec env -i "${env[@]}" "$(command -v chroot)" "$ROOTFS" /sbin/earlywall "$@"
	fi
	exec env -i "${env[@]}" "$@"
}

if [ "${1:-}" = --inside ]; then
	shift
	inside "$@"
fi

bin=$(realpath "$1")
shift
mkdir -p "$dir/out"
cp "$here/../tables.sh" "$dir/tables.sh"
cp "$here/testinit" "$dir/init2"
if [ -z "${NO_INIT:-}" ]; then
	cp "$here/testinit" "$dir/init"
fi
: >"$dir/kmsg"
unshare --mount --propagation private --net --pid --fork --kill-child --mount-proc \
	"$0" --inside "$bin" "$@" &
ns=$!
for _ in $(seq $((${WAIT:-10} * 10))); do
	kill -0 "$ns" 2>/dev/null || break
	pid1=$(pgrep -P "$ns" | head -n1 || true)
	if [ -n "$pid1" ] && grep -q "NOT handing off" "$dir/kmsg"; then
		nsenter -t "$pid1" -n "$dir/tables.sh" >"$dir/out/live-rules" 2>&1 || true
		break
	fi
	sleep 0.1
done
kill -KILL "$ns" 2>/dev/null || true
wait "$ns" 2>/dev/null || true
