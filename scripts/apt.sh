# apt.sh - sourced by deps.sh and deps-cross.sh: install Debian packages
# without ever removing or downgrading one.
#
#   apt_safe_install WHO PACKAGE...
#
# The transaction is simulated first (apt-get -s). If it would remove a
# package, downgrade one, or install one that matches $APT_FORBID (an
# extended regex on "name:arch", empty by default), nothing is installed:
# each offending package is named on stderr and the function returns 1.
# Otherwise the real install runs with --no-remove, so apt itself also
# refuses a removal that the simulation did not show. Upgrades that the new
# packages need (a newer library, say) are allowed and listed. The package
# lists are refreshed first (stale lists name versions a mirror no longer
# has); a failing index is a warning. The callers pass only packages they
# found missing.
# shellcheck shell=sh

APT_FORBID=${APT_FORBID:-}

apt_say() { echo "$APT_WHO: $*" >&2; }

# apt_simulate PACKAGE...: the simulated transaction on stdout.
apt_simulate() {
	apt-get -s -o Debug::NoLocking=1 install --no-install-recommends "$@" 2>&1
}

# apt_offences SIMULATION: one line per package that must not change.
apt_offences() {
	echo "$1" | sed -n 's/^Remv \([^ ]*\).*/would remove \1/p'
	echo "$1" | sed -n 's/^Inst \([^ ]*\) \[\([^]]*\)\] (\([^ ]*\) .*/\1 \2 \3/p' |
		while read -r pkg old new; do
			if dpkg --compare-versions "$new" lt "$old"; then
				echo "would downgrade $pkg from $old to $new"
			fi
		done
	[ -n "$APT_FORBID" ] || return 0
	echo "$1" | sed -n 's/^Inst \([^ ]*\) .*/\1/p' | grep -E "$APT_FORBID" | sed 's/^/would install /'
}

apt_safe_install() {
	APT_WHO=$1
	shift
	export DEBIAN_FRONTEND=noninteractive
	apt-get -qq update >&2 || apt_say "warning: apt-get update reported errors; going on with the lists it has"
	sim=$(apt_simulate "$@") || {
		echo "$sim" >&2
		apt_say "apt-get cannot install:$(printf ' %s' "$@")"
		return 1
	}
	bad=$(apt_offences "$sim")
	if [ -n "$bad" ]; then
		echo "$bad" | sed "s/^/$APT_WHO: /" >&2
		apt_say "refusing to install$(printf ' %s' "$@"): the transaction would change packages this machine already has; nothing was installed"
		return 1
	fi
	up=$(echo "$sim" | sed -n 's/^Inst \([^ ]*\) \[.*/\1/p' | tr '\n' ' ')
	[ -z "$up" ] || apt_say "upgrading, because the new packages need it: $up"
	apt_say "installing:$(printf ' %s' "$@")"
	apt-get -qq install -y --no-install-recommends --no-remove "$@" >/dev/null
}
