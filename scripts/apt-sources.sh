#!/bin/sh
# apt-sources.sh TYPES SUITE [ARCH]: print a deb822 sources list for apt
# with the Debian archive entries this machine already has, turned into
# TYPES (deb or deb-src) for SUITE (bookworm, trixie, sid, ...).
#
# The machine's entries whose suite is its own release's codename (say
# bookworm, not bookworm-updates or bookworm-security) are the archive it
# uses: their URIs, components and Signed-By are kept, so a mirror or a
# proxied archive in the machine's apt configuration is what earlywall's
# private lists use too. No archive host is written in the repository. ARCH
# adds an Architectures field. Both formats are read: deb822 *.sources and
# one-line sources.list / *.list. Exit 1, with a message, if the machine has
# no such entry. Used by libiptc.sh, qemu-kernel.sh and test-fresh.sh.
set -eu

[ $# -ge 2 ] || {
	echo "usage: $0 deb|deb-src SUITE [ARCH]" >&2
	exit 2
}
types=$1 suite=$2 arch=${3:-}
etc=${EW_APT_ETC:-/etc/apt}
# shellcheck disable=SC1091 # the machine's own file
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release)

deb822() {
	awk -v types="$types" -v suite="$suite" -v arch="$arch" -v code="$codename" '
	function flush() {
		if (uris != "" && has_deb && has_code && enabled) {
			printf "Types: %s\nURIs: %s\nSuites: %s\nComponents: %s\n", types, uris, suite, comps
			if (arch != "") printf "Architectures: %s\n", arch
			if (signed != "") printf "Signed-By: %s\n", signed
			print ""
		}
		uris = comps = signed = ""; has_deb = has_code = 0; enabled = 1
	}
	BEGIN { enabled = 1 }
	/^[ \t]*#/ { next }
	/^[ \t]*$/ { flush(); next }
	{
		key = tolower($1); val = $0; sub(/^[^:]*:[ \t]*/, "", val)
		if (key == "types:") { n = split(val, t, /[ \t]+/); for (i = 1; i <= n; i++) if (t[i] == "deb") has_deb = 1 }
		else if (key == "uris:") uris = val
		else if (key == "suites:") { n = split(val, t, /[ \t]+/); for (i = 1; i <= n; i++) if (t[i] == code) has_code = 1 }
		else if (key == "components:") comps = val
		else if (key == "signed-by:") signed = val
		else if (key == "enabled:" && tolower(val) == "no") enabled = 0
	}
	END { flush() }' "$@"
}

oneline() {
	awk -v types="$types" -v suite="$suite" -v arch="$arch" -v code="$codename" '
	$1 != "deb" { next }
	{
		opts = ""; i = 2
		if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) { opts = opts " " $i; i++ } opts = opts " " $i; i++ }
		uri = $i; s = $(i + 1); comps = ""
		for (j = i + 2; j <= NF; j++) comps = comps (comps == "" ? "" : " ") $j
		if (s != code) next
		signed = ""
		if (match(opts, /signed-by=[^ \]]*/)) signed = substr(opts, RSTART + 10, RLENGTH - 10)
		printf "Types: %s\nURIs: %s\nSuites: %s\nComponents: %s\n", types, uri, suite, comps
		if (arch != "") printf "Architectures: %s\n", arch
		if (signed != "") printf "Signed-By: %s\n", signed
		print ""
	}' "$@"
}

out=
for f in "$etc/sources.list" "$etc"/sources.list.d/*.list; do
	[ -f "$f" ] && out="$out$(oneline "$f")
"
done
for f in "$etc"/sources.list.d/*.sources; do
	[ -f "$f" ] && out="$out$(deb822 "$f")
"
done
if [ -z "$(echo "$out" | tr -d '[:space:]')" ]; then
	echo "apt-sources.sh: no deb entry for $codename in $etc/sources.list or $etc/sources.list.d/" >&2
	exit 1
fi
echo "$out" | awk 'NF || prev { print } { prev = NF }'
