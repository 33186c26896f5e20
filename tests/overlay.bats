#!/usr/bin/env bats
# overlay.bats - rootfs-overlay/: what an image gets besides the binary.
#
# - The systemd unit and timer: systemd-analyze verify and security, and
#   `earlywall verify` run with exactly the unit's capabilities.
# - The initramfs-tools hook and boot script, for real: Debian's
#   initramfs-tools (mkinitramfs, hook-functions) builds an initramfs for
#   Debian's cloud kernel (scripts/qemu-kernel.sh) whose netfilter modules
#   are xz-compressed first, as the Raspberry Pi's are; the initramfs is
#   unpacked and checked, then booted in qemu with a root filesystem that has
#   no netfilter modules at all, and the test init records what it finds.
#
# mkinitramfs reads /lib/modules/VERSION, /boot/config-VERSION and the hook
# copies /sbin/earlywall: all three are provided in a private mount
# namespace (overlays on /usr/lib and /usr/sbin, a tmpfs-like bind on
# /boot), so the host is never changed.

load helpers

# The initramfs boots here read the legacy tables: libiptc-only builds.
export EW_BACKEND=IPTABLES

OVERLAY_FILES="etc/initramfs-tools/hooks/earlywall
etc/initramfs-tools/scripts/init-top/earlywall
etc/systemd/system/earlywall-verify.service
etc/systemd/system/earlywall-verify.timer
etc/systemd/system/timers.target.wants/earlywall-verify.timer
usr/lib/earlywall/chain-init"

setup_file() {
	# shellcheck disable=SC2153 # ROOT comes from helpers.bash
	OV=$ROOT/rootfs-overlay
	KVER=$("$ROOT/scripts/qemu-kernel.sh")
	KDIR=$ROOT/build/kernel/$KVER
	WORK=$ROOT/build/t/overlay
	rm -rf "$WORK"
	mkdir -p "$WORK"
	export OV KVER KDIR WORK
	# Debian's module tree, with every netfilter module .ko.xz like the
	# Raspberry Pi's (hard links for the rest; new index files by depmod).
	make_tree "$WORK/trees/pi"
	# The same without conntrack (a kernel that lacks what STATEFUL needs).
	make_tree "$WORK/trees/noconntrack" 'nf_conntrack*' 'xt_conntrack*' 'nf_defrag_ipv*'
}

# make_tree DIR [GLOB...]: DIR/lib/modules/$KVER from Debian's, netfilter
# modules xz-compressed, minus the netfilter modules matching GLOB. DIR
# must be on build/'s file system (the modules are hard links).
make_tree() {
	local dir=$1 src=$KDIR/lib/modules/$KVER g f
	shift
	local dst=$dir/lib/modules/$KVER
	mkdir -p "$dst"
	cp -al "$src/kernel" "$dst/kernel"
	cp "$src"/modules.builtin "$src"/modules.builtin.modinfo "$src"/modules.order "$dst/"
	find "$dst/kernel/net" -path '*netfilter*' -name '*.ko' | while read -r f; do
		xz -c "$f" >"$f.xz" && rm "$f"
	done
	for g in "$@"; do
		find "$dst/kernel/net" -path '*netfilter*' -name "$g" -delete
	done
	depmod -b "$dir" -F "$KDIR/System.map" "$KVER" 2>/dev/null
}

# in_image_env TREE BINARY CMD...: run CMD in a private mount namespace
# where /lib/modules/$KVER is TREE's, /boot/config-$KVER is the kernel's
# config and /sbin/earlywall is BINARY (none if BINARY is "-").
in_image_env() {
	local tree=$1 bin=$2 ns
	shift 2
	ns=$(mktemp -d "$WORK/ns.XXXXXX")
	mkdir -p "$ns/lib.u" "$ns/lib.w" "$ns/sbin.u" "$ns/sbin.w" "$ns/boot"
	cp "$KDIR/config" "$ns/boot/config-$KVER"
	[ "$bin" = - ] || cp "$bin" "$ns/sbin.u/earlywall"
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount --propagation private -- bash -c '
		set -e
		ns=$1 tree=$2 kver=$3
		shift 3
		mount -t overlay overlay -o "lowerdir=/usr/lib,upperdir=$ns/lib.u,workdir=$ns/lib.w" /usr/lib
		mount -t overlay overlay -o "lowerdir=/usr/sbin,upperdir=$ns/sbin.u,workdir=$ns/sbin.w" /usr/sbin
		mkdir -p "/usr/lib/modules/$kver"
		mount --bind "$tree/lib/modules/$kver" "/usr/lib/modules/$kver"
		mount --bind "$ns/boot" /boot
		exec "$@"' in_image_env "$ns" "$tree" "$KVER" "$@"
}

# A configuration directory for mkinitramfs -d: the host's initramfs.conf
# with MODULES=list (only what hooks add) and gzip, plus the overlay's hook
# and boot script.
make_confdir() {
	local c=$WORK/conf
	mkdir -p "$c/hooks" "$c/scripts/init-top" "$c/conf.d"
	sed -e 's/^MODULES=.*/MODULES=list/' -e 's/^COMPRESS=.*/COMPRESS=gzip/' \
		/usr/share/initramfs-tools/initramfs.conf 2>/dev/null >"$c/initramfs.conf" ||
		sed -e 's/^MODULES=.*/MODULES=list/' -e 's/^COMPRESS=.*/COMPRESS=gzip/' \
			/etc/initramfs-tools/initramfs.conf >"$c/initramfs.conf"
	cp -p "$OV/etc/initramfs-tools/hooks/earlywall" "$c/hooks/"
	cp -p "$OV/etc/initramfs-tools/scripts/init-top/earlywall" "$c/scripts/init-top/"
	echo "$c"
}

# mkinitrd NAME TREE CONFIG: build earlywall from CONFIG and an initramfs
# with it from TREE, build/t/overlay/NAME.img; sets EW and INITRD.
mkinitrd() {
	local name=$1 tree=$2 config=$3 conf
	ew_build "overlay-$name" "$config"
	conf=$(make_confdir)
	INITRD=$WORK/$name.img
	in_image_env "$tree" "$EW" mkinitramfs -d "$conf" -o "$INITRD" "$KVER"
}

# The console log of the last boot, without carriage returns.
console() {
	tr -d '\r' <"$LOG"
}

# boot NAME: boot INITRD with a root filesystem (ext4 on NVMe) holding
# busybox, iptables-legacy-save, the test init and no netfilter module; the
# kernel runs initramfs-tools' /init, which mounts it and runs
# init=/sbin/testinit. Sets BOOT_RC and LOG.
boot() {
	local name=$1 rootfs=$WORK/rootfs.ext4
	shift
	[ -f "$rootfs" ] || "$ROOT/scripts/initramfs.sh" "$rootfs" --init "$ROOT/tests/boot/testinit" \
		--earlywall "$EW" --modules none --kver "$KVER"
	LOG=$WORK/$name.log
	BOOT_RC=0
	"$ROOT/scripts/qemu-boot.sh" "$KDIR/vmlinuz" "$INITRD" "$LOG" --disk "$rootfs" \
		--append "root=/dev/nvme0n1 rootwait ro init=/sbin/testinit" "$@" || BOOT_RC=$?
}

@test "the overlay holds exactly the files its README describes, with their modes" {
	local f listed
	run bash -c "cd '$OV' && find . -mindepth 1 ! -type d ! -name README.md | sed 's|^\./||' | LC_ALL=C sort"
	assert_output "$(echo "$OVERLAY_FILES" | LC_ALL=C sort)"
	for f in $OVERLAY_FILES; do # one word per file
		grep -qF "\`$f\`" "$OV/README.md" || { echo "README.md does not describe $f" >&2; false; }
	done
	for f in etc/initramfs-tools/hooks/earlywall etc/initramfs-tools/scripts/init-top/earlywall \
		usr/lib/earlywall/chain-init; do
		[ "$(stat -c %a "$OV/$f")" = 755 ]
	done
	for f in etc/systemd/system/earlywall-verify.service etc/systemd/system/earlywall-verify.timer; do
		[ "$(stat -c %a "$OV/$f")" = 644 ]
	done
	# The enable link is what `systemctl enable` makes.
	listed=$(readlink "$OV/etc/systemd/system/timers.target.wants/earlywall-verify.timer")
	[ "$listed" = /etc/systemd/system/earlywall-verify.timer ]
}

@test "the overlay's shell scripts are POSIX sh and shellcheck-clean" {
	cd "$OV"
	run shellcheck -s sh etc/initramfs-tools/hooks/earlywall \
		etc/initramfs-tools/scripts/init-top/earlywall usr/lib/earlywall/chain-init
	assert_success
	assert_output ""
	# No bashisms: dash parses them (Raspberry Pi OS's /bin/sh), as does
	# busybox ash (the initramfs's).
	for f in etc/initramfs-tools/hooks/earlywall etc/initramfs-tools/scripts/init-top/earlywall \
		usr/lib/earlywall/chain-init; do
		dash -n "$f"
		busybox ash -n "$f"
	done
}

# A root with /sbin/earlywall, the overlay's units and systemd's own units,
# for systemd-analyze --root.
unit_root() {
	local r=$BATS_TEST_TMPDIR/root
	mkdir -p "$r/sbin" "$r/etc/systemd" "$r/usr/lib/systemd"
	cp "$ROOT/build/earlywall" "$r/sbin/earlywall"
	cp -a "$OV/etc/systemd/system" "$r/etc/systemd/"
	cp -a /usr/lib/systemd/system "$r/usr/lib/systemd/"
	echo "$r"
}

@test "systemd-analyze verify accepts the service and the timer, without a single warning" {
	local r
	r=$(unit_root)
	run systemd-analyze verify --root="$r" earlywall-verify.service earlywall-verify.timer
	assert_success
	assert_output ""
	# And it does catch what it should: a missing binary fails the service.
	rm "$r/sbin/earlywall"
	run systemd-analyze verify --root="$r" earlywall-verify.service
	assert_failure
	assert_output --partial "/sbin/earlywall is not executable"
}

@test "systemd-analyze security rates the service OK (exposure 1.5 or less)" {
	local r
	r=$(unit_root)
	run systemd-analyze security --offline=true --root="$r" --threshold=15 earlywall-verify.service
	assert_success
	assert_output --regexp 'Overall exposure level for earlywall-verify.service: 1\.[0-5] OK'
}

@test "the service runs verify, fails on drift, and logs to the journal under its own name" {
	local unit=$OV/etc/systemd/system/earlywall-verify.service
	grep -qx 'ExecStart=/sbin/earlywall verify' "$unit"
	grep -qx 'Type=oneshot' "$unit"
	grep -qx 'StandardOutput=journal' "$unit"
	grep -qx 'StandardError=journal' "$unit"
	grep -qx 'SyslogIdentifier=earlywall-verify' "$unit"
	# Nothing that would turn drift into success, restart, or write.
	run grep -E '^(SuccessExitStatus|Restart|ExecStartPre|ExecStartPost|ExecStopPost|ReadWritePaths|ExecStart=-)' "$unit"
	assert_failure
	local timer=$OV/etc/systemd/system/earlywall-verify.timer
	grep -qx 'OnBootSec=1min' "$timer"
	grep -qx 'OnUnitActiveSec=15min' "$timer"
	grep -qx 'WantedBy=timers.target' "$timer"
}

# verify_as_unit CMD...: run CMD the way the unit does: a user that is not
# root, with the unit's CapabilityBoundingSet as its bounding, inheritable
# and ambient set, in a network namespace whose tables EW applied.
caps_of_unit() {
	sed -n 's/^CapabilityBoundingSet=//p' "$OV/etc/systemd/system/earlywall-verify.service" |
		tr '[:upper:]' '[:lower:]' | sed -e 's/cap_//g' -e 's/ /,+/g' -e 's/^/+/'
}

@test "verify needs exactly the unit's capabilities, NET_ADMIN and NET_RAW, and no root user" {
	local caps
	caps=$(caps_of_unit)
	[ "$caps" = "+net_admin,+net_raw" ]
	grep -qx 'AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW' "$OV/etc/systemd/system/earlywall-verify.service"
	grep -qx 'DynamicUser=yes' "$OV/etc/systemd/system/earlywall-verify.service"
	# shellcheck disable=SC2016 # expanded by the inner shell
	run unshare --net -- sh -c '
		ew=$1 caps=$2
		as_unit() {
			setpriv --reuid=61234 --regid=61234 --clear-groups --bounding-set="-all,$1" \
				--inh-caps="-all,$1" --ambient-caps="-all,$1" "$ew" verify
		}
		"$ew" apply 2>/dev/null || exit 9
		as_unit "$caps"; echo "match rc=$?"
		as_unit +net_admin >/dev/null 2>&1; echo "no NET_RAW rc=$?"
		as_unit +net_raw >/dev/null 2>&1; echo "no NET_ADMIN rc=$?"
		iptables-legacy -A INPUT -s 203.0.113.9 -j ACCEPT
		as_unit "$caps"; echo "drift rc=$?"
		as_unit +net_admin 2>&1; echo "no NET_RAW, a legacy table rc=$?"' sh "$ROOT/build/earlywall" "$caps"
	assert_success
	# The default build verifies nftables (NET_ADMIN); whether the legacy
	# tables hold anything needs NET_RAW too (their list in /proc is root's).
	assert_line "IPv4: the live table matches the compiled policy"
	assert_line "match rc=0"
	assert_line "no NET_RAW rc=3"
	assert_line "no NET_ADMIN rc=3"
	assert_line "foreign table iptables/earlywall: earlywall's policy left in iptables, while nftables holds the one verified above (not earlywall's: drift)"
	assert_line "drift rc=1"
	assert_line "earlywall: verify failed: cannot read what iptables holds: Operation not permitted"
	assert_line "no NET_RAW, a legacy table rc=3"
}

# A fresh DESTDIR laid out as mkinitramfs lays it out before it runs hooks.
destdir() {
	local d d2
	d=$(mktemp -d "$BATS_TEST_TMPDIR/dest.XXXXXX")
	for d2 in /bin /lib /lib64 /sbin; do
		mkdir -p "$d/usr$d2"
		ln -s "usr$d2" "$d$d2"
	done
	mkdir -p "$d/conf/conf.d" "$d/etc" "$d/run" "$d/scripts" "$d/usr/lib/modules/$KVER"
	echo "$d"
}

@test "the hook, run with Debian's hook-functions, copies earlywall and the .ko.xz netfilter modules" {
	local dest m
	dest=$(destdir)
	run in_image_env "$WORK/trees/pi" "$ROOT/build/earlywall" env DESTDIR="$dest" version="$KVER" \
		MODULESDIR="/lib/modules/$KVER" verbose=n "$OV/etc/initramfs-tools/hooks/earlywall"
	assert_success
	refute_output --partial "E: "
	refute_output --partial "W: "
	cmp "$ROOT/build/earlywall" "$dest/usr/sbin/earlywall"
	[ -x "$dest/usr/sbin/earlywall" ]
	for m in x_tables ip_tables iptable_filter ip6_tables ip6table_filter xt_tcpudp xt_multiport \
		xt_conntrack nf_conntrack nf_defrag_ipv4 nf_defrag_ipv6 xt_limit xt_LOG nf_log_syslog; do
		[ -n "$(find "$dest/usr/lib/modules/$KVER" -name "$m.ko.xz")" ] || { echo "no $m.ko.xz" >&2; false; }
	done
	# And the dependencies modprobe names (libcrc32c for nf_conntrack).
	[ -n "$(find "$dest/usr/lib/modules/$KVER" -name 'libcrc32c.ko*')" ]
	run cat "$dest/conf/earlywall.modules"
	assert_line xt_conntrack
	assert_line nf_log_syslog
	assert_line nf_tables
	assert_line nft_ct
	[ "${#lines[@]}" = 19 ]
}

@test "the hook fails the build when /sbin/earlywall is missing, or the kernel lacks ip6_tables" {
	local dest
	dest=$(destdir)
	run in_image_env "$WORK/trees/pi" - env DESTDIR="$dest" version="$KVER" \
		MODULESDIR="/lib/modules/$KVER" verbose=n "$OV/etc/initramfs-tools/hooks/earlywall"
	assert_failure
	assert_output --partial "E: earlywall: /sbin/earlywall is missing"

	# Under build/, beside the kernel tree: make_tree hard-links it, and
	# /tmp may be another file system (a tmpfs, as on Debian 13).
	local tree=$WORK/trees/noipv6
	rm -rf "$tree"
	make_tree "$tree" 'ip6_tables*' 'ip6table_*' 'ip6t_*'
	dest=$(destdir)
	run in_image_env "$tree" "$ROOT/build/earlywall" env DESTDIR="$dest" version="$KVER" \
		MODULESDIR="/lib/modules/$KVER" verbose=n "$OV/etc/initramfs-tools/hooks/earlywall"
	assert_failure
	assert_output --partial "E: earlywall: kernel $KVER has no module ip6_tables and does not build it in"
	assert_output --partial "E: earlywall: kernel $KVER has no module ip6table_filter"
}

@test "mkinitramfs builds an initramfs with earlywall, the modules, and the boot script in init-top" {
	mkinitrd full "$WORK/trees/pi" tests/boot/lockout.config
	local x=$BATS_TEST_TMPDIR/x m
	mkdir -p "$x"
	(cd "$x" && zcat "$INITRD" | cpio -idm --quiet)
	cmp "$EW" "$x/usr/sbin/earlywall"
	[ -x "$x/scripts/init-top/earlywall" ]
	cmp "$OV/etc/initramfs-tools/scripts/init-top/earlywall" "$x/scripts/init-top/earlywall"
	# In init-top's run order, before udev (and init-top runs before the
	# modules of /conf/modules, netconsole and init-premount).
	run grep -n '^/scripts/init-top/' "$x/scripts/init-top/ORDER"
	assert_output --partial "/scripts/init-top/earlywall"
	[ "$(grep -n 'init-top/earlywall' "$x/scripts/init-top/ORDER" | cut -d: -f1)" -lt \
		"$(grep -n 'init-top/udev' "$x/scripts/init-top/ORDER" | cut -d: -f1)" ]
	# mkinitramfs decompresses modules it can; what matters is that they are
	# there, in its modules.dep, so the initramfs's modprobe finds them.
	for m in ip_tables iptable_filter ip6_tables ip6table_filter xt_conntrack nf_conntrack xt_tcpudp; do
		grep -qE "/$m\.ko(\.xz)?:" "$x/usr/lib/modules/$KVER/modules.dep" || { echo "no $m" >&2; false; }
	done
	[ -x "$x/usr/sbin/modprobe" ] || [ -L "$x/usr/sbin/modprobe" ]
}

# The boots (qemu, TCG). The root filesystem has no netfilter module: every
# one that the test init finds loaded came from the initramfs.

@test "boot: initramfs-tools' init runs the script; the policy is live before the root's init, no interface was up" {
	mkinitrd full "$WORK/trees/pi" tests/boot/lockout.config
	boot full
	[ "$BOOT_RC" = 0 ] || { console | tail -n 40; false; }
	run console
	assert_line --regexp 'earlywall: initramfs: policy committed: IPv4 [0-9]+ rules, IPv6 [0-9]+ rules, in [0-9]+ us with (nftables|iptables); no interface was up$'
	# The rules the test init read with iptables-legacy-save are `earlywall print`.
	diff -u <("$EW" print) <(console | sed -n '/^TESTINIT: rules begin$/,/^TESTINIT: rules end$/p' | sed '1d;$d')
	local ew_line ti_line
	ew_line=$(console | grep -n -m1 'earlywall: initramfs: policy committed' | cut -d: -f1)
	ti_line=$(console | grep -n -m1 '^TESTINIT: started' | cut -d: -f1)
	[ "$ew_line" -lt "$ti_line" ]
	assert_line --regexp '^TESTINIT: modules=.*nf_conntrack'
	assert_line --regexp '^TESTINIT: modules=.*ip6table_filter'
	assert_line "TESTINIT: interfaces=lo up=none"
	assert_line "TESTINIT: allowed reachable"
	assert_line "TESTINIT: blocked unreachable"
	assert_line "TESTINIT: done"
}

@test "boot: a kernel without conntrack, FAIL_LOCKOUT: the boot stops in the initramfs; the root's init never runs" {
	mkinitrd noct-lockout "$WORK/trees/noconntrack" tests/boot/lockout.config
	# panic=-1 (qemu-boot.sh): initramfs-tools' panic reboots at once, and
	# qemu (-no-reboot) stops.
	boot noct-lockout --timeout 60
	[ "$BOOT_RC" = 0 ] || { console | tail -n 40; false; }
	run console
	assert_line --regexp 'earlywall: initramfs: FAILED: apply failed with .*conntrack.* \(modules that did not load: xt_conntrack nf_conntrack nf_defrag_ipv4 nf_defrag_ipv6[a-z_ ]*\); NOT booting on \(FAIL_LOCKOUT\); no interface was up$'
	assert_line --partial "Rebooting automatically due to panic= boot argument"
	refute_line --regexp '^TESTINIT: '
}

@test "boot: a kernel without conntrack, FAIL_OPEN: a loud FAILED OPEN line, and the boot goes on, open" {
	mkinitrd noct-open "$WORK/trees/noconntrack" tests/boot/open.config
	boot noct-open
	[ "$BOOT_RC" = 0 ] || { console | tail -n 40; false; }
	run console
	assert_line --regexp 'earlywall: initramfs: FAILED OPEN: apply failed with .*conntrack.*; booting on WITHOUT a firewall \(FAIL_OPEN\); no interface was up$'
	assert_line "TESTINIT: blocked reachable"
	assert_line "TESTINIT: done"
}
