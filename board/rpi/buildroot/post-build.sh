#!/bin/sh
# post-build.sh TARGET_DIR - make the Raspberry Pi boot earlywall first.
#
# A Buildroot post-build script (BR2_ROOTFS_POST_BUILD_SCRIPT). It edits the
# kernel command line the Pi firmware reads, $BINARIES_DIR/rpi-firmware/
# cmdline.txt. That file is installed there by the rpi-firmware package
# (from BR2_PACKAGE_RPI_FIRMWARE_CMDLINE_FILE) before any post-build script
# runs, and the board's post-image.sh (genimage) copies it into the boot
# partition afterwards. The script runs at every "make", so a cmdline.txt
# installed again by "make rpi-firmware-rebuild" is edited again.
#
# - Root filesystem boot: init=/sbin/earlywall.
# - Initramfs boot (BR2_TARGET_ROOTFS_INITRAMFS, or an "initramfs" line in
#   config.txt): the kernel ignores init= when the initramfs has /init, so
#   rdinit=/sbin/earlywall instead, and earlywall hands over to Buildroot's
#   /init (which mounts devtmpfs and starts /sbin/init) via earlywall.init=.
# - An init= (or rdinit=) of someone else's already on the line is not
#   lost: it becomes earlywall.init=, which earlywall execs after locking
#   down.
# - Running it again changes nothing: the line keeps one init= (rdinit=).
# Everything else on the line is left as it is.
set -eu

EW=/sbin/earlywall

die() {
	echo "earlywall post-build.sh: $*" >&2
	exit 1
}

target=${1:-${TARGET_DIR:-}}
[ -n "$target" ] || die "usage: post-build.sh TARGET_DIR (BINARIES_DIR in the environment)"
[ -n "${BINARIES_DIR:-}" ] || die "BINARIES_DIR is not set (run from Buildroot)"
# The kernel panics when init= names a missing program: refuse to write it.
[ -x "$target$EW" ] || die "$target$EW is missing: enable BR2_PACKAGE_EARLYWALL"

cmdline=$BINARIES_DIR/rpi-firmware/cmdline.txt
config=$BINARIES_DIR/rpi-firmware/config.txt
[ -f "$cmdline" ] ||
	die "$cmdline is missing: earlywall would never run (set BR2_PACKAGE_RPI_FIRMWARE_CMDLINE_FILE)"
[ -z "$(awk 'NR > 1 && NF' "$cmdline")" ] ||
	die "$cmdline has more than one line; the firmware reads only the first"

key=init
if { [ -n "${BR2_CONFIG:-}" ] && grep -qx 'BR2_TARGET_ROOTFS_INITRAMFS=y' "$BR2_CONFIG"; } ||
	{ [ -f "$config" ] && grep -qE '^[[:space:]]*initramfs[[:space:]]' "$config"; }; then
	key=rdinit
fi

new=$(awk -v key="$key" -v ew="$EW" '
	NR == 1 { line = $0; sub(/\r$/, "", line) }
	END {
		n = split(line, tok, /[ \t]+/)
		out = ""; chain = ""; have = ""
		for (i = 1; i <= n; i++) {
			t = tok[i]
			if (t == "")
				continue
			# Ours, from this or an earlier run (either kind): added back below.
			if (t == "init=" ew || t == "rdinit=" ew)
				continue
			# Another init: earlywall execs it after locking down.
			if (index(t, key "=") == 1) {
				chain = substr(t, length(key) + 2)
				continue
			}
			if (index(t, "earlywall.init=") == 1) {
				have = t
				continue
			}
			out = out (out == "" ? "" : " ") t
		}
		if (chain != "")
			have = "earlywall.init=" chain
		else if (have == "" && key == "rdinit")
			have = "earlywall.init=/init"
		if (have != "")
			out = out (out == "" ? "" : " ") have
		print out (out == "" ? "" : " ") key "=" ew
	}' "$cmdline")

if [ "$new" != "$(head -n 1 "$cmdline")" ]; then
	printf '%s\n' "$new" >"$cmdline.tmp"
	mv "$cmdline.tmp" "$cmdline"
fi
echo "earlywall post-build.sh: $cmdline: $new"
