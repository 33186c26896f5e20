#!/bin/bash
# qemu-boot.sh KERNEL INITRD LOG [options]: boot KERNEL headless in
# qemu-system-x86_64 (or qemu-system-aarch64) and keep the serial console in
# LOG (a bare file name goes to build/boot/). INITRD may be "none" (boot from
# --disk alone).
#
#   --arch ARCH          amd64 (default): the pc machine, -cpu max, ttyS0;
#                        arm64: the virt machine, -cpu cortex-a53 (a Pi 3's
#                        CPU), ttyAMA0, the NIC on the virt machine's PCIe;
#                        arm64-16k: the same with -cpu cortex-a76 (the Pi 5's
#                        CPU, which has the 16K translation granule that a
#                        16K-page kernel needs; the A53 has not)
#   --append "ARGS"      more kernel command line (after console=ttyS0 or
#                        console=ttyAMA0, and panic=-1)
#   --timeout SECONDS    hard limit, then qemu is killed (default 60)
#   --disk IMG           IMG as an NVMe disk, /dev/nvme0n1 (the cloud kernel
#                        has NVMe and ext4 built in; virtio-blk is a module).
#                        Writes go to a throwaway snapshot, never to IMG.
#                        amd64 only: Debian's arm64 kernel has NVMe, virtio-blk
#                        and ext4 as modules, so it needs an initramfs anyway.
#   --stop-on REGEX      once a line of LOG matches REGEX (grep -E), wait
#                        --grace seconds (default 3), then kill qemu
#
# Exit: 0 qemu powered off by itself; 2 it stopped after a kernel panic
# (e.g. PID 1 exited: panic=-1 reboots, -no-reboot stops); 124 the timeout
# killed it; 125 --stop-on matched and qemu was killed after the grace time;
# 1 qemu failed (its stderr is in LOG.stderr). Acceleration: TCG, or KVM
# with QEMU_ACCEL=kvm (amd64 only).
#
# The network is qemu's user-mode stack (slirp), restricted: nothing reaches
# the host or beyond, except two services that qemu itself answers, for the
# guest at 10.0.2.15/24: tcp 10.0.2.100:8080 says "ew-allowed" and tcp
# 10.0.2.101:8080 says "ew-blocked" (guestfwd to a command, per connection).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)

usage() {
	sed -n '2,/^set -uo/p' "$0" | sed -e '/^set -uo/d' -e 's/^# \{0,1\}//' >&2
	exit 2
}

[ $# -ge 3 ] || usage
kernel=$1 initrd=$2 log=$3
shift 3
append='' timeout=60 disk='' stop_on='' grace=3 arch=amd64
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case $1 in
	--append) append=$2 ;;
	--timeout) timeout=$2 ;;
	--disk) disk=$2 ;;
	--stop-on) stop_on=$2 ;;
	--grace) grace=$2 ;;
	--arch) arch=$2 ;;
	*) usage ;;
	esac
	shift 2
done
case $log in */*) ;; *) log=$ROOT/build/boot/$log ;; esac
mkdir -p "$(dirname "$log")"
[ -f "$kernel" ] || { echo "qemu-boot.sh: no kernel $kernel" >&2; exit 1; }
[ "$initrd" = none ] || [ -f "$initrd" ] || { echo "qemu-boot.sh: no initrd $initrd" >&2; exit 1; }

# TCG unless QEMU_ACCEL=kvm. /dev/kvm can be present and openable yet not
# work (nested in another VM: this project's machines are Firecracker VMs,
# where qemu either fails to set MSRs or never prints a line), and a boot
# takes only a few seconds with TCG.
case $arch in
amd64)
	qemu_bin=qemu-system-x86_64 machine=pc accel=tcg cpu=max console=ttyS0
	if [ "${QEMU_ACCEL:-tcg}" = kvm ]; then
		accel=kvm cpu=host
	fi
	;;
arm64 | arm64-16k)
	# The virt machine boots a (gzip'd) arm64 Image directly, no firmware.
	qemu_bin=qemu-system-aarch64 machine=virt accel=tcg cpu=cortex-a53 console=ttyAMA0
	[ "$arch" = arm64 ] || cpu=cortex-a76
	[ -z "$disk" ] || { echo "qemu-boot.sh: --disk is amd64 only" >&2; exit 2; }
	;;
*) usage ;;
esac

args=(
	-nodefaults -no-user-config -display none -no-reboot
	-machine "$machine,accel=$accel" -cpu "$cpu" -m 256 -smp 1
	-serial "file:$log" -monitor none
	-kernel "$kernel"
	-append "console=$console panic=-1 $append"
	-netdev "user,id=n0,restrict=on,ipv6=off,guestfwd=tcp:10.0.2.100:8080-cmd:echo ew-allowed,guestfwd=tcp:10.0.2.101:8080-cmd:echo ew-blocked"
	-device "virtio-net-pci,netdev=n0"
)
[ "$initrd" = none ] || args+=(-initrd "$initrd")
if [ -n "$disk" ]; then
	args+=(-drive "file=$disk,if=none,id=d0,format=raw,snapshot=on" -device "nvme,drive=d0,serial=ew0")
fi

: >"$log"
start=$(date +%s%N)
"$qemu_bin" "${args[@]}" </dev/null >"$log.stderr" 2>&1 &
qemu=$!
trap 'kill "$qemu" 2>/dev/null' EXIT
trap 'exit 130' INT TERM
rc=''
deadline=$((start + timeout * 1000000000))
matched=''
while kill -0 "$qemu" 2>/dev/null; do
	now=$(date +%s%N)
	if [ -n "$stop_on" ] && [ -z "$matched" ] && grep -qE "$stop_on" "$log"; then
		matched=$now
		deadline=$((now + grace * 1000000000 < deadline ? now + grace * 1000000000 : deadline))
	fi
	if [ "$now" -ge "$deadline" ]; then
		kill "$qemu" 2>/dev/null
		wait "$qemu" 2>/dev/null
		if [ -n "$matched" ]; then rc=125; else rc=124; fi
		break
	fi
	sleep 0.2
done
if [ -z "$rc" ]; then
	wait "$qemu"
	rc=$?
	if [ "$rc" != 0 ]; then
		cat "$log.stderr" >&2
		rc=1
	elif grep -q 'Kernel panic - not syncing' "$log"; then
		rc=2
	fi
fi
[ -s "$log.stderr" ] || rm -f "$log.stderr"
ms=$((($(date +%s%N) - start) / 1000000))
echo "qemu-boot.sh: ${log#"$ROOT"/}: exit $rc after ${ms} ms ($arch, $accel)" >&2
exit "$rc"
