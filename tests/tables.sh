#!/bin/sh
# tables.sh [4] [6]: the live filter tables as iptables-save prints them,
# with comment lines dropped and counters zeroed: the normalisation the
# print/apply contract allows. Default: both families, IPv4 first.
set -eu
[ $# -gt 0 ] || set -- 4 6
for family in "$@"; do
	case $family in
	4) iptables-legacy-save -t filter ;;
	6) ip6tables-legacy-save -t filter ;;
	*) echo "tables.sh: family 4 or 6, not $family" >&2; exit 2 ;;
	esac | sed -e '/^#/d' -e 's/\[[0-9]*:[0-9]*\]/[0:0]/'
done
