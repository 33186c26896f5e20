#!/bin/sh
# kconfig.sh CONF KCONFIG IN OUT: complete the configuration IN (a full
# .config or a fragment) with Kconfig's defaults into OUT, with the kconfig
# command CONF (kconfig-conf, or Buildroot's conf through its wrapper: one
# argument, split into words here). Run by the Makefile for every build.
#
# kconfig itself only warns, and builds on, when IN has an unterminated
# string, a value a symbol cannot take, or two values of one choice, and
# says nothing at all about a symbol that Kconfig does not have (a typo such
# as CONFIG_ALLOW_OUTT drops the list silently). Each of these fails the
# build here, with IN's name, the line and kconfig's message, and OUT is not
# written.
set -eu
conf=$1 kconfig=$2 in=$3 out=$4
tmp=$out.tmp
err=$out.err

cp "$in" "$tmp"
# shellcheck disable=SC2086 # CONF is a command line, on purpose
KCONFIG_CONFIG=$tmp KCONFIG_OVERWRITECONFIG=1 $conf --olddefconfig "$kconfig" >/dev/null 2>"$err" || {
	sed "s|$tmp|$in|g" "$err" >&2
	rm -f "$tmp" "$err"
	exit 1
}
problems=$(sed -n "s|^$tmp:\([0-9]*\):warning: \(.*\)|$in:\1: \2|p" "$err")
# Symbols IN sets that Kconfig does not define.
symbols=$(sed -n 's/^[[:space:]]*\(menu\)\{0,1\}config[[:space:]]\{1,\}\([A-Za-z0-9_]*\).*/\2/p' "$kconfig")
unknown=$(awk -v syms="$symbols" -v file="$in" '
	BEGIN { n = split(syms, s, "\n"); for (i = 1; i <= n; i++) known[s[i]] = 1 }
	{
		name = ""
		if (match($0, /^CONFIG_[A-Za-z0-9_]+=/)) name = substr($0, 8, RLENGTH - 8)
		else if (match($0, /^# CONFIG_[A-Za-z0-9_]+ is not set/)) { name = $2; sub(/^CONFIG_/, "", name) }
		if (name != "" && !(name in known))
			printf "%s:%d: unknown symbol CONFIG_%s (not in Kconfig; a typo?)\n", file, NR, name
	}' "$in")
rm -f "$err"
if [ -n "$problems$unknown" ]; then
	printf '%s\n' "$problems" "$unknown" | sed '/^$/d' >&2
	echo "$in: kconfig found problems in the configuration; nothing was built" >&2
	rm -f "$tmp"
	exit 1
fi
mv "$tmp" "$out"
