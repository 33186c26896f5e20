#!/bin/sh
# earlywall-cmdline.sh FILE: put earlywall first on a Raspberry Pi's kernel
# command line (cmdline.txt), in place.
# earlywall-cmdline.sh --print FILE: print the new line, change nothing.
#
# The result ends with init=/sbin/earlywall, so it is the last init= (the
# kernel and initramfs-tools both take the last one). Every other word stays
# as it was and where it was: root=ROOTDEV (pi-gen's placeholder, replaced at
# export), console=, quiet, an init= already there. If there is such an
# init= (Raspberry Pi OS bookworm's first-boot helper,
# init=/usr/lib/raspberrypi-sys-mods/firstboot), it is kept, word for word,
# and earlywall.init=/usr/lib/earlywall/chain-init is added: after the
# lockdown, chain-init runs that init= while it is still on the command line,
# and earlywall's INIT_PATH once the helper has deleted it (its sed deletes
# exactly " init=/usr/lib/raspberrypi-sys-mods/firstboot"). So the helper
# runs once, behind the firewall, and never again. See
# rootfs-overlay/usr/lib/earlywall/chain-init.
#
# Running it again changes nothing: earlywall's own words are taken out and
# put back, so there is always exactly one init=/sbin/earlywall. Words after
# "--" (arguments for init) stay after it. The file must hold one line (the
# firmware reads one); it is written back as one line with a newline, atomically.
# Exit status: 0 done, 1 the file cannot be used (the message says why), 2 usage.
#
# Sourced with EW_CMDLINE_LIB=1, it only defines the functions:
#   ew_cmdline_rewrite LINE   print LINE with earlywall put in (status 1 on a conflict)
#   ew_cmdline_file FILE      rewrite FILE in place
#   ew_cmdline_read FILE      print FILE's one line (status 1 if it is not one line)

EW_INIT=/sbin/earlywall
EW_CHAIN=/usr/lib/earlywall/chain-init

ew_cmdline_rewrite() {
	printf '%s\n' "$1" | awk -v ew="$EW_INIT" -v chain="$EW_CHAIN" '
	# The words of a command line as the kernel splits them: on blanks,
	# except inside double quotes.
	function words(s, w,    n, i, c, q, cur, in_word) {
		n = 0; q = 0; cur = ""; in_word = 0
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (c == "\"") q = !q
			if (!q && (c == " " || c == "\t")) {
				if (in_word) { w[++n] = cur; cur = ""; in_word = 0 }
				continue
			}
			cur = cur c; in_word = 1
		}
		if (in_word) w[++n] = cur
		return n
	}
	{
		n = words($0, w)
		out = ""; rest = ""; other_init = ""; user_chain = ""
		for (i = 1; i <= n; i++) {
			if (w[i] == "--") {
				for (j = i; j <= n; j++) rest = rest " " w[j]
				break
			}
			if (w[i] == "init=" ew || w[i] == "earlywall.init=" chain) continue
			if (w[i] ~ /^init=/) other_init = w[i]
			if (w[i] ~ /^earlywall\.init=/) user_chain = w[i]
			out = out (out == "" ? "" : " ") w[i]
		}
		if (other_init != "" && user_chain != "") {
			printf "both %s and %s: earlywall would run %s and never %s; remove one of them\n", \
				other_init, user_chain, substr(user_chain, 16), substr(other_init, 6) > "/dev/stderr"
			exit 1
		}
		out = out (out == "" ? "" : " ") "init=" ew
		if (other_init != "") out = out " earlywall.init=" chain
		print out rest
	}'
}

ew_cmdline_read() {
	if [ ! -f "$1" ]; then
		echo "$1: no such file" >&2
		return 1
	fi
	# Carriage returns out; count the lines that are not blank.
	lines=$(tr -d '\r' <"$1" | grep -c '[^[:space:]]')
	if [ "$lines" != 1 ]; then
		echo "$1: $lines lines that are not blank; cmdline.txt must be exactly one line" >&2
		return 1
	fi
	tr -d '\r' <"$1" | grep '[^[:space:]]'
}

ew_cmdline_file() {
	old=$(ew_cmdline_read "$1") || return 1
	new=$(ew_cmdline_rewrite "$old") || {
		echo "$1: not changed" >&2
		return 1
	}
	# Already exactly right: leave the file (and its time stamp) alone.
	if [ "$(cat "$1")" = "$new" ] && [ "$(wc -l <"$1")" = 1 ]; then
		return 0
	fi
	# Same owner and mode, replaced in one rename.
	if ! { cp -p "$1" "$1.earlywall.tmp" &&
		printf '%s\n' "$new" >"$1.earlywall.tmp" &&
		mv -f "$1.earlywall.tmp" "$1"; }; then
		rm -f "$1.earlywall.tmp"
		echo "$1: could not be written" >&2
		return 1
	fi
}

if [ "${EW_CMDLINE_LIB:-}" != 1 ]; then
	case $# in
	1) ew_cmdline_file "$1" || exit 1 ;;
	2)
		[ "$1" = --print ] || {
			echo "usage: $0 [--print] FILE" >&2
			exit 2
		}
		old=$(ew_cmdline_read "$2") || exit 1
		ew_cmdline_rewrite "$old" || exit 1
		;;
	*)
		echo "usage: $0 [--print] FILE" >&2
		exit 2
		;;
	esac
fi
