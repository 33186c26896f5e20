#!/bin/bash
# boot.sh ROOT CMDLINE-FILE [--no-proc]: one simulated boot of the root
# filesystem ROOT: ROOT/sbin/earlywall runs as PID 1 of new PID, mount and
# network namespaces, chrooted into ROOT, the way the kernel starts init=.
# /proc is mounted in ROOT, as initramfs-tools leaves it, with CMDLINE-FILE
# over /proc/cmdline; with --no-proc it is not mounted (a boot without an
# initramfs), and the real /proc/cmdline is what earlywall and chain-init
# read. ROOT/dev/kmsg should be a plain file: it collects the kmsg lines.
# The boot ends when PID 1 ends (the stand-in inits exit), or after 20 s.
set -euo pipefail
root=$1 cmdline=$2 proc=${3:-}
if [ "$proc" = --inside ]; then
	proc=${4:-}
	if [ "$proc" != --no-proc ]; then
		mount -t proc proc "$root/proc"
		mount --bind "$cmdline" "$root/proc/cmdline"
	fi
	ip link set lo up
	exec env -i HOME=/ TERM=linux "$(command -v chroot)" "$root" /sbin/earlywall
fi
root=$(realpath "$root")
cmdline=$(realpath "$cmdline")
timeout 20 unshare --mount --propagation private --net --pid --fork --kill-child \
	"$0" "$root" "$cmdline" --inside "$proc"
