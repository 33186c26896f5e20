# netns.sh - network namespace topology helpers for the demo and the traffic
# tests. Source it from bash; it defines functions and a few variables and
# runs nothing on its own.
# shellcheck shell=bash
#
# Typical use (see scripts/demo.sh):
#
#   . scripts/netns.sh
#   ns_isolate "${BASH_SOURCE[0]}" "$@"    # first: re-exec in private namespaces
#   ns_trap_cleanup                       # namespaces and servers go on exit
#   ns_create dev peer
#   ns_link dev eth0 "192.0.2.1/24 2001:db8::1/64" peer eth0 "192.0.2.10/24 2001:db8::10/64"
#   ns_tcp_server dev 0.0.0.0 22
#   can_tcp peer 192.0.2.1 22 dev-22 && echo "peer reaches dev:22"
#
# Bigger topologies use the same pieces: a shared L2 segment (for DHCP and
# broadcast) is a bridge in a "switch" namespace, with ns_link to every member
# and ns_bridge_port for the switch side; address-less links ("" as the
# address list) are for DHCP clients; ns_bg runs any daemon (dnsmasq, ...) in a
# namespace and stops it at cleanup.
#
# Safety: nothing here creates or changes anything in the caller's own network
# namespace. Every `ip` call names its namespace (ip -n NS / ip netns exec NS),
# and ns_isolate additionally runs the whole script in a new network, mount
# and PID namespace (and a user namespace when not root), with a private tmpfs
# on /run for /run/netns and /run/xtables.lock. When the script exits,
# everything it made vanishes with those namespaces, even after a crash.

# Namespaces created and background processes started, for ns_cleanup.
NETNS_NAMES=()
NETNS_PIDS=()
# PID of the last process started by ns_bg (or a server helper).
NS_LAST_PID=
# Where background processes write stdout/stderr.
: "${NETNS_LOG:=/dev/null}"

ns_die() {
	echo "netns.sh: $*" >&2
	return 1
}

# ns_is_v6 ADDR: true if ADDR (optionally with /prefix) is IPv6.
ns_is_v6() {
	case $1 in *:*) return 0 ;; *) return 1 ;; esac
}

# --- isolation -------------------------------------------------------------

# ns_isolate SCRIPT [ARGS...]: call first, with the running script's path and
# arguments. Outside isolation it re-executes `bash SCRIPT ARGS` under unshare
# (new mount, network and PID namespaces; a user namespace too when not root)
# and never returns. Inside, it mounts a private tmpfs on /run and returns.
# The guard variable holds the namespaces the re-exec left; it counts only in
# PID 1 of a new PID namespace whose mount and network namespaces differ from
# those, so an inherited or forged variable cannot make it skip isolation. It
# is unset again, so nested scripts isolate themselves too.
ns_isolate() {
	local script=$1 mnt net
	shift
	mnt=$(readlink /proc/self/ns/mnt) && net=$(readlink /proc/self/ns/net) ||
		ns_die "cannot read /proc/self/ns" || exit 1
	local guard=" ${NETNS_ISOLATED:-} "
	if [ "$guard" = "  " ] || [ "$$" != 1 ] ||
		[[ $guard == *" $mnt "* ]] || [[ $guard == *" $net "* ]]; then
		local flags=(--mount --propagation private --net --pid --fork --kill-child --mount-proc)
		[ "$(id -u)" = 0 ] || flags=(--map-root-user "${flags[@]}")
		command -v unshare >/dev/null || ns_die "unshare (util-linux) is missing" || exit 1
		export NETNS_ISOLATED="$mnt $net"
		exec unshare "${flags[@]}" -- "${BASH:-bash}" "$script" "$@"
	fi
	unset NETNS_ISOLATED
	ns_private_run || exit 1
}

# ns_private_run: a fresh tmpfs on /run (for /run/netns, /run/xtables.lock and
# logs). Only call it inside a private mount namespace (ns_isolate does).
ns_private_run() {
	mount -n -t tmpfs -o mode=0755 netns-run /run || ns_die "cannot mount a tmpfs on /run" || return 1
	mkdir -p /run/netns
}

# --- namespaces and links --------------------------------------------------

# ns_create NAME...: new network namespaces, lo up, IPv6 DAD off (addresses,
# link-local ones included, are usable at once).
ns_create() {
	local ns
	for ns in "$@"; do
		[ ! -e "/run/netns/$ns" ] || ns_die "namespace $ns already exists" || return 1
		ip netns add "$ns" || return 1
		NETNS_NAMES+=("$ns")
		ip -n "$ns" link set lo up || return 1
		echo 0 | ip netns exec "$ns" tee /proc/sys/net/ipv6/conf/{all,default}/accept_dad \
			>/dev/null 2>&1 || true
	done
}

# ns_exec NS CMD...: run CMD in NS.
ns_exec() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# ns_ip NS ARGS...: `ip ARGS` in NS, e.g. ns_ip dev route add default via 192.0.2.254
# (ns_ip dev -6 route ... for IPv6 defaults).
ns_ip() {
	local ns=$1
	shift
	ip -n "$ns" "$@"
}

# ns_veth NS_A IF_A NS_B IF_B: a veth pair from IF_A in NS_A to IF_B in NS_B,
# both ends up, no addresses.
ns_veth() {
	local a=$1 ifa=$2 b=$3 ifb=$4
	ip -n "$a" link add "$ifa" type veth peer name "$ifb" netns "$b" || return 1
	ip -n "$a" link set "$ifa" up && ip -n "$b" link set "$ifb" up
}

# ns_addr NS IF CIDR...: add addresses (IPv6 with nodad) and bring IF up.
ns_addr() {
	local ns=$1 dev=$2 cidr
	shift 2
	for cidr in "$@"; do
		if ns_is_v6 "$cidr"; then
			ip -n "$ns" addr add "$cidr" dev "$dev" nodad || return 1
		else
			ip -n "$ns" addr add "$cidr" dev "$dev" || return 1
		fi
	done
	ip -n "$ns" link set "$dev" up
}

# ns_link NS_A IF_A "CIDRS_A" NS_B IF_B "CIDRS_B": ns_veth plus addresses on
# each end (space-separated lists, IPv4 and IPv6 mixed; "" for none).
ns_link() {
	local a=$1 ifa=$2 b=$4 ifb=$5 cidrs_a cidrs_b
	read -ra cidrs_a <<<"$3"
	read -ra cidrs_b <<<"$6"
	ns_veth "$a" "$ifa" "$b" "$ifb" &&
		ns_addr "$a" "$ifa" "${cidrs_a[@]}" &&
		ns_addr "$b" "$ifb" "${cidrs_b[@]}"
}

# ns_bridge NS BR [CIDR...]: a bridge (an L2 segment / switch) in NS, up.
ns_bridge() {
	local ns=$1 br=$2
	shift 2
	ip -n "$ns" link add "$br" type bridge || return 1
	ns_addr "$ns" "$br" "$@"
}

# ns_bridge_port NS BR IF: plug IF (in NS) into bridge BR.
ns_bridge_port() {
	ip -n "$1" link set "$3" master "$2" up
}

# --- background processes and servers --------------------------------------

# ns_bg NS CMD...: start CMD in NS in the background, output to $NETNS_LOG.
# Its PID goes to NS_LAST_PID; ns_cleanup stops it.
ns_bg() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@" </dev/null >>"$NETNS_LOG" 2>&1 &
	NS_LAST_PID=$!
	NETNS_PIDS+=("$NS_LAST_PID")
}

# ns_kill PID...: stop processes started by ns_bg.
ns_kill() {
	local pid keep=() p
	for pid in "$@"; do
		if kill "$pid" 2>/dev/null; then
			wait "$pid" 2>/dev/null || true
		fi
	done
	for p in "${NETNS_PIDS[@]}"; do
		case " $* " in *" $p "*) ;; *) keep+=("$p") ;; esac
	done
	NETNS_PIDS=("${keep[@]}")
	return 0
}

# ns_wait_listen NS tcp|udp PORT [PID]: wait (up to 5 s) until something in NS
# listens on PORT; fail early if PID dies.
ns_wait_listen() {
	local ns=$1 proto=$2 port=$3 pid=${4:-} i flag=-Hltn
	[ "$proto" = udp ] && flag=-Hlun
	for ((i = 0; i < 100; i++)); do
		[ -n "$(ip netns exec "$ns" ss "$flag" "sport = :$port" 2>/dev/null)" ] && return 0
		if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
			ns_die "$proto server on port $port in $ns died (see ${NETNS_LOG})"
			return 1
		fi
		sleep 0.05
	done
	ns_die "nothing listens on $proto port $port in $ns after 5 s"
}

# _ns_fam ADDR: 4 or 6 (socat address suffix); _ns_host ADDR: [v6] bracketed.
_ns_fam() { if ns_is_v6 "$1"; then echo 6; else echo 4; fi; }
_ns_host() { if ns_is_v6 "$1"; then echo "[$1]"; else echo "$1"; fi; }

# ns_tcp_server NS ADDR PORT [REPLY]: a TCP listener bound to ADDR (0.0.0.0 or
# :: for all) that answers each connection with the line REPLY (default
# NS-PORT; letters, digits, '.', '_', '-' only) and closes. Waits until it
# listens. IPv6 listeners are ipv6only, so a v4 one can share the port.
ns_tcp_server() {
	local ns=$1 addr=$2 port=$3 reply=${4:-$1-$3} fam opts
	fam=$(_ns_fam "$addr")
	opts="bind=$(_ns_host "$addr"),reuseaddr,fork"
	[ "$fam" = 6 ] && opts+=",ipv6only=1"
	ns_bg "$ns" socat "TCP$fam-LISTEN:$port,$opts" "EXEC:/bin/echo $reply" &&
		ns_wait_listen "$ns" tcp "$port" "$NS_LAST_PID"
}

# ns_udp_server NS ADDR PORT [REPLY]: a UDP responder: every datagram gets the
# line REPLY back (default NS-PORT). Waits until it is bound.
ns_udp_server() {
	local ns=$1 addr=$2 port=$3 reply=${4:-$1-$3} fam opts
	fam=$(_ns_fam "$addr")
	opts="bind=$(_ns_host "$addr"),reuseaddr,fork"
	[ "$fam" = 6 ] && opts+=",ipv6only=1"
	# Read the datagram before answering: an answer written before socat has
	# handed the datagram over is lost to "Broken pipe".
	ns_bg "$ns" socat -T1 "UDP$fam-RECVFROM:$port,$opts" \
		"SYSTEM:echo $reply; exec cat >/dev/null" &&
		ns_wait_listen "$ns" udp "$port" "$NS_LAST_PID"
}

# --- probes: exit 0 when traffic gets through, 1 when it does not -----------

# can_ping NS ADDR: one echo request from NS to ADDR, 1 s to answer.
can_ping() {
	local fam
	fam=$(_ns_fam "$2")
	ip netns exec "$1" ping "-$fam" -c1 -W1 -q "$2" >/dev/null 2>&1
}

# can_tcp NS ADDR PORT [EXPECT]: a TCP connection from NS to ADDR:PORT
# completes (1 s connect timeout, 2 s overall); with EXPECT, the server's
# first line must be EXPECT too (proves data flows both ways).
can_tcp() {
	local ns=$1 addr=$2 port=$3 expect=${4-} out fam
	fam=$(_ns_fam "$addr")
	out=$(timeout 2 ip netns exec "$ns" socat -T1 -u \
		"TCP$fam:$(_ns_host "$addr"):$port,connect-timeout=1" STDOUT 2>/dev/null) || return 1
	[ -z "$expect" ] || [ "$out" = "$expect" ]
}

# can_udp NS ADDR PORT [EXPECT]: a datagram from NS to ADDR:PORT gets an answer
# within 1 s (equal to EXPECT when given).
can_udp() {
	local ns=$1 addr=$2 port=$3 expect=${4-} out fam
	fam=$(_ns_fam "$addr")
	out=$(echo probe | timeout 2 ip netns exec "$ns" socat -T1 - \
		"UDP$fam:$(_ns_host "$addr"):$port" 2>/dev/null) || return 1
	[ -n "$out" ] || return 1
	[ -z "$expect" ] || [ "$out" = "$expect" ]
}

# --- cleanup ---------------------------------------------------------------

# ns_cleanup: stop every ns_bg process, delete every namespace ns_create made
# (newest first). Idempotent; keeps the caller's exit status.
ns_cleanup() {
	local rc=$? i
	if [ "${#NETNS_PIDS[@]}" -gt 0 ]; then
		ns_kill "${NETNS_PIDS[@]}"
	fi
	for ((i = ${#NETNS_NAMES[@]} - 1; i >= 0; i--)); do
		ip netns del "${NETNS_NAMES[i]}" 2>/dev/null || true
	done
	NETNS_NAMES=()
	return "$rc"
}

# ns_trap_cleanup: run ns_cleanup on exit, Ctrl-C and termination.
ns_trap_cleanup() {
	trap ns_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}
