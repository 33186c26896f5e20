#!/bin/bash
# test-fresh.sh: the README's two commands on a new machine. Run by
# `make test-fresh` and by .ci/run, as root.
#
# It makes a fresh Debian 12 userland with debootstrap --variant=minbase
# (the bare minbase is cached as a tarball in $EW_FRESH_CACHE, default
# /var/cache/earlywall: it holds nothing the project installs), gives it
# this machine's apt configuration (sources, apt.conf.d, keyrings, so apt
# there resolves and downloads as it does here) and puts in only git and
# make, which a user who cloned the project has. It clones this repository's
# HEAD into it (committed work only) and runs `make demo`, then `make test`,
# as root inside it, and ends with make test's summary line.
#
# The userland runs in private mount and PID namespaces that share this
# kernel: its root is a bind mount (a mount point, as unshare --mount and
# user namespaces need), entered with pivot_root rather than chroot, with
# proc, sys, dev, a tmpfs /run and a tmpfs /tmp (as Debian 13 has). Every
# mount lives only in that namespace and goes with it; the directory
# (/var/tmp/earlywall-fresh.*) is removed at the end, also on an error or
# Ctrl-C. The log is kept in build/fresh/log.
#
# EW_FRESH_SUITES="tests/x.bats ..." runs only those suites (for debugging a
# failure; CI runs them all). EW_FRESH_KEEP=1 keeps the directory.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SUITE=bookworm
CACHE=${EW_FRESH_CACHE:-/var/cache/earlywall}
PATH_IN=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

say() { echo "test-fresh: $*" >&2; }
die() {
	say "$*"
	exit 1
}

# --- inside the new namespaces: mount, pivot, run ---------------------------

# inner DIR: (PID 1 of the new PID namespace) mount the userland's file
# systems, make DIR the root, and run the two commands in it.
inner() {
	local dir=$1
	mount --make-rprivate /
	mount --bind "$dir" "$dir"
	mount -t proc proc "$dir/proc"
	mount --rbind /sys "$dir/sys"
	mount --rbind /dev "$dir/dev"
	mount -t tmpfs -o mode=0755 tmpfs "$dir/run"
	mount -t tmpfs -o mode=1777 tmpfs "$dir/tmp"
	cd "$dir"
	mkdir -p .oldroot
	pivot_root . .oldroot
	cd /
	umount -l /.oldroot
	rmdir /.oldroot
	# shellcheck disable=SC2016 # expanded by the inner shell
	exec /usr/bin/env -i HOME=/root PATH="$PATH_IN" TERM=dumb LANG=C.UTF-8 \
		SUITES="${EW_FRESH_SUITES:-}" /bin/bash -c '
		set -e
		export DEBIAN_FRONTEND=noninteractive
		echo "test-fresh: inside: apt-get install git make (nothing else is put in)"
		apt-get -qq update
		apt-get -qq install -y --no-install-recommends git make >/dev/null
		cd /root/earlywall
		start=$(date +%s)
		echo "test-fresh: inside: make demo"
		make demo
		echo "test-fresh: make demo passed in $(($(date +%s) - start)) s"
		start=$(date +%s)
		echo "test-fresh: inside: make test${SUITES:+ SUITES=$SUITES}"
		rc=0
		make test SUITES="$SUITES" || rc=$?
		echo "test-fresh: make test exited $rc after $(($(date +%s) - start)) s"
		exit "$rc"'
}

if [ "${1:-}" = --inner ]; then
	inner "$2"
fi

# --- on the host: the minbase, the copy, the namespaces ---------------------

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, mounts, namespaces)"
[ $# = 0 ] || die "usage: $0   (EW_FRESH_SUITES=... and EW_FRESH_KEEP=1 in the environment)"

if ! command -v debootstrap >/dev/null 2>&1; then
	# shellcheck source=scripts/apt.sh
	. "$ROOT/scripts/apt.sh"
	apt_safe_install test-fresh debootstrap || die "cannot install debootstrap"
fi

work=
inner_pid=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	local rc=$?
	if [ -n "$inner_pid" ] && kill -0 "$inner_pid" 2>/dev/null; then
		# unshare --kill-child takes the whole PID namespace with it.
		kill -TERM "$inner_pid" 2>/dev/null || true
		for _ in $(seq 50); do
			kill -0 "$inner_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$inner_pid" 2>/dev/null || true
		wait "$inner_pid" 2>/dev/null || true
	fi
	if [ -n "$work" ] && [ -d "$work" ] && [ "${EW_FRESH_KEEP:-0}" != 1 ]; then
		# The mounts were made in the private namespace only; make sure.
		if findmnt -rn -o TARGET | grep -q "^$work"; then
			say "mounts left under $work; not removing it"
		else
			rm -rf --one-file-system "$work"
		fi
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# The archive this machine uses, from its own apt configuration.
mirror=$("$ROOT/scripts/apt-sources.sh" deb "$SUITE" | sed -n 's/^URIs: *//p' | awk 'NR == 1 { print $1 }')
[ -n "$mirror" ] || die "no Debian archive in this machine's apt configuration"
proxy=$(apt-config dump Acquire::http::Proxy --format '%v%n' 2>/dev/null | head -n1 || true)

minbase() {
	local base=$CACHE/$SUITE-minbase.tar tmp
	if [ ! -s "$base" ]; then
		mkdir -p "$CACHE"
		tmp=$(mktemp -d /var/tmp/earlywall-minbase.XXXXXX)
		say "debootstrap --variant=minbase $SUITE from $mirror (cached in $base)"
		http_proxy=${proxy:-${http_proxy:-}} debootstrap --variant=minbase "$SUITE" "$tmp" "$mirror" \
			>"$CACHE/debootstrap.log" 2>&1 || {
			tail -20 "$CACHE/debootstrap.log" >&2
			rm -rf --one-file-system "$tmp"
			die "debootstrap failed (log: $CACHE/debootstrap.log)"
		}
		tar -C "$tmp" -cf "$base.tmp" .
		mv "$base.tmp" "$base"
		rm -rf --one-file-system "$tmp"
	fi
	tar -C "$1" -xf "$base"
	chmod 0755 "$1"
}

# apt_config DIR: this machine's apt configuration, and the keyrings its
# sources name, into the userland at DIR.
apt_config() {
	local d=$1 k
	rm -f "$d/etc/apt/sources.list"
	for k in sources.list sources.list.d apt.conf.d preferences.d trusted.gpg.d keyrings trusted.gpg; do
		[ -e "/etc/apt/$k" ] && cp -a "/etc/apt/$k" "$d/etc/apt/"
	done
	{ grep -rhoE '(signed-by=|Signed-By:[[:space:]]*)/[^] ]+' /etc/apt/sources.list* 2>/dev/null || true; } |
		sed -E 's/^(signed-by=|Signed-By:[[:space:]]*)//' | sort -u | while read -r k; do
		[ -f "$k" ] && mkdir -p "$d$(dirname "$k")" && cp -a "$k" "$d$k"
	done
	cp -L /etc/resolv.conf "$d/etc/resolv.conf" 2>/dev/null || true
}

start=$(date +%s)
mkdir -p "$ROOT/build/fresh"
log=$ROOT/build/fresh/log
work=$(mktemp -d /var/tmp/earlywall-fresh.XXXXXX)
mkdir "$work/root"
minbase "$work/root"
apt_config "$work/root"
head=$(git -C "$ROOT" rev-parse --short HEAD)
git -C "$ROOT" diff --quiet HEAD 2>/dev/null || say "warning: uncommitted changes in $ROOT are not in the test (HEAD only)"
git clone --quiet --no-hardlinks "$ROOT" "$work/root/root/earlywall"
say "fresh Debian $SUITE minbase in $work, earlywall $head; log in ${log#"$ROOT"/}"

rc=0
unshare --mount --pid --fork --kill-child -- "$0" --inner "$work/root" > >(tee "$log") 2>&1 &
inner_pid=$!
wait "$inner_pid" || rc=$?
inner_pid=
sleep 1 # let tee drain
summary=$(grep -E '^tests: [0-9]+ passed' "$log" | tail -n1 || true)
say "fresh machine: $(grep -c '^deps.sh: installing\|^deps-cross.sh: installing' "$log" || true) install runs; whole check $(($(date +%s) - start)) s; exit $rc"
[ -n "$summary" ] || summary="tests: make test did not run to its summary (see $log)"
echo "$summary"
exit "$rc"
