# topology.bash - a reusable test topology for earlywall's traffic suites.
# shellcheck shell=bash
#
# Source it from a bats suite (`load topology`, after `load helpers`), then
# run every case with in_topology: a bash snippet that runs in a fresh set of
# private namespaces, with the LAN below already built, and that prints what
# got through. Nothing touches the host's network namespace or firewall, and
# everything (namespaces, servers) is gone when the snippet ends, even after
# a failure or a timeout.
#
# The topology: one L2 segment, the bridge "lan" in namespace "switch", and
# every host plugged into it with a veth ("eth0" in the host, "p-HOST" in the
# switch). One IPv4 /24 and one IPv6 /64, documentation ranges only, no
# routers, so no routes are needed: every host reaches every other directly,
# and broadcast (DHCP) and multicast (neighbour discovery, RA) work as on a
# real LAN. The bridge does no multicast snooping and no netfilter, unless
# TOPO_MLD_SNOOPING=1: then it snoops IGMP/MLD and is the querier, like a
# managed switch, and forwards multicast (e.g. neighbour solicitations to a
# solicited-node group) only to ports whose host has reported membership.
#
#   host      role                                       IPv4         IPv6
#   dev       runs earlywall (the device under test)     192.0.2.1    2001:db8::1
#   srv       a server: ALLOW_OUT target, DHCP/DNS/NTP   192.0.2.2    2001:db8::2
#   srv2      optional: a second server, listed nowhere  192.0.2.3    2001:db8::3
#   trusted   a TRUSTED_HOSTS entry                      192.0.2.10   2001:db8::10
#   admin     an ALLOW_IN source (and 192.0.2.16/28)     192.0.2.20   2001:db8::20
#   stranger  listed nowhere                             192.0.2.66   2001:db8::66
#   rtr       optional: an IPv6 router (SLAAC, RA)       192.0.2.254  2001:db8::fe
#
# All prefixes are /24 and /64. The address of each is in the variables below
# (DEV4, DEV6, SRV4, ... and SRV2_4, SRV2_6), for snippets and suites alike;
# the tests/traffic/*.config files spell the same addresses out, because
# Kconfig cannot refer to variables.
#
# Functions for bats suites (outside the namespaces):
#   in_topology SNIPPET [ARGS...]
#       Runs SNIPPET (bash, with ARGS as $1...) in new mount, network and PID
#       namespaces (plus a user namespace when not root) with a private tmpfs
#       on /run, after scripts/netns.sh and this file are sourced and
#       topo_build has built the LAN. $EW (the earlywall binary) and $ROOT are
#       passed in. The default hosts are dev srv trusted admin stranger;
#       TOPO_HOSTS="..." replaces that list, TOPO_EXTRA="srv2 rtr" adds to it.
#       TOPO_CIDRS_<host>="..." overrides a host's addresses ("" = none, for
#       a DHCP client; it must be in the environment: export it or put it
#       before the command, as in TOPO_CIDRS_dev="" run in_topology '...').
#       TOPO_MLD_SNOOPING=1 makes the switch snoop (above). The whole run is
#       killed after TOPO_TIMEOUT seconds (default 60; exit status 124).
#       Output: whatever the snippet prints. Exit status: the snippet's; 99
#       when the topology cannot be built and 98 when `earlywall apply`
#       fails, each with a line "topology: ..." saying why.
#   assert_probe LABEL BEFORE AFTER
#       Asserts that `run in_topology` printed "open LABEL: BEFORE" and
#       "ew LABEL: AFTER" (BEFORE/AFTER: through or dropped).
#   assert_through LABEL / assert_dropped LABEL
#       The usual pairs: through without a firewall and through with
#       earlywall (through, through), or through without and dropped with
#       (through, dropped): the drop is earlywall's doing.
#
# Functions for snippets (inside in_topology):
#   topo_build [HOST...]       (in_topology calls it) namespace switch, bridge
#                              lan, then topo_host for each HOST
#   topo_host NAME [CIDRS]     plug another host into the LAN, with CIDRS or
#                              its default addresses (see topo_cidrs)
#   topo_cidrs NAME            the default "IPv4/24 IPv6/64" of a known host
#   topo_apply                 `$EW apply` in dev; exits the snippet on failure;
#                              the probe phase becomes "ew"
#   probe LABEL CMD...         run CMD (e.g. can_tcp ...) and print
#                              "PHASE LABEL: through" if it exits 0, else
#                              "PHASE LABEL: dropped"; PHASE is "open" before
#                              topo_apply, "ew" after
#   topo_probes PHASE LIST     run every "LABEL | COMMAND" line of LIST in
#                              parallel (COMMAND is eval'd) and print the
#                              results in LIST's order, as probe does
#   topo_compare LIST          topo_probes open LIST; topo_apply;
#                              topo_probes ew LIST: the baseline and the
#                              result of the same probes in one go
#   can_tcp_from NS SPORT ADDR PORT [EXPECT]
#   can_udp_from NS SPORT ADDR PORT [EXPECT]
#                              can_tcp / can_udp (netns.sh) from a fixed
#                              source port SPORT: a packet that looks like a
#                              reply of an allowed flow, or a DHCP/NTP client
#   topo_sysctl NS KEY=VALUE...
#                              set sysctls in NS only, e.g.
#                              topo_sysctl dev net.ipv4.conf.all.rp_filter=0
#   topo_udp_server NS ADDR PORT [REPLY]
#                              ns_udp_server done right: use it instead.
#                              netns.sh's server execs /bin/echo, which exits
#                              without reading the datagram; socat then often
#                              fails writing it ("Broken pipe") and the answer
#                              is lost, so a UDP probe fails at random. This
#                              one reads the datagram, answers REPLY (default
#                              NS-PORT) and keeps ns_udp_server's interface.
#   topo_ra NS PREFIX          make NS an IPv6 router on the LAN: it gets
#                              PREFIXfe/64 on eth0 and dnsmasq (RA only, no
#                              DNS, no DHCP) advertises PREFIX/64 for SLAAC at
#                              once and then periodically; PREFIX like
#                              2001:db8:ac:: (use rtr: TOPO_EXTRA=rtr)
#   topo_wait_addr NS IF PREFIX SECONDS
#                              wait until NS has a global address in PREFIX
#                              (an IPv6 prefix, e.g. 2001:db8:ac::/64) on IF
#   topo_kmsg_mark             write a unique marker line to the kernel log
#                              and print it (root only; for log tests)
#   topo_kmsg_since MARK       the kernel log lines after MARK
#   topo_send_udp NS DST PORT COUNT
#                              COUNT one-line datagrams from NS, as fast as
#                              bash's /dev/udp can, no reply expected
#   topo_udp_from NS SPORT DST PORT PAYLOAD
#                              one datagram PAYLOAD from source port SPORT,
#                              no answer expected (pair it with topo_udp_sink
#                              and topo_wait_line to see whether it arrived)
#   topo_spoof_udp NS SRC DST PORT PAYLOAD
#                              one UDP datagram with a forged IPv4 source
#                              (python3 raw socket, IP_HDRINCL) from NS; sets
#                              arp_announce=2 in NS, so that its ARP requests
#                              carry NS's real address, not the forged one
#   topo_wait_line FILE LINE SECONDS
#                              wait until FILE holds the line LINE
#   topo_udp_sink NS PORT FILE
#                              an IPv4 UDP listener on 0.0.0.0:PORT in NS that
#                              appends every datagram it receives to FILE
# and everything in scripts/netns.sh: ns_exec, ns_ip, ns_tcp_server,
# ns_udp_server, ns_bg, can_ping, can_tcp, can_udp, ...
#
# Example (a bats test):
#
#   @test "trusted host gets in" {
#       ew_build trusted tests/traffic/trusted.config
#       run in_topology '
#           ns_tcp_server dev 0.0.0.0 22
#           topo_compare "
#               trusted tcp dev | can_tcp trusted $DEV4 22 dev-22
#               stranger tcp dev | can_tcp stranger $DEV4 22 dev-22"'
#       assert_success
#       assert_through "trusted tcp dev"
#       assert_dropped "stranger tcp dev"
#   }

TOPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Addresses (see the table above).
LAN4=192.0.2.0/24
LAN6=2001:db8::/64
DEV4=192.0.2.1 DEV6=2001:db8::1
SRV4=192.0.2.2 SRV6=2001:db8::2
SRV2_4=192.0.2.3 SRV2_6=2001:db8::3
TRUSTED4=192.0.2.10 TRUSTED6=2001:db8::10
ADMIN4=192.0.2.20 ADMIN6=2001:db8::20
STRANGER4=192.0.2.66 STRANGER6=2001:db8::66
RTR4=192.0.2.254 RTR6=2001:db8::fe
# Read by suites and snippets, not here.
: "$LAN4" "$LAN6" "$DEV4" "$DEV6" "$SRV4" "$SRV6" "$SRV2_4" "$SRV2_6" \
	"$TRUSTED4" "$TRUSTED6" "$ADMIN4" "$ADMIN6" "$STRANGER4" "$STRANGER6" \
	"$RTR4" "$RTR6"

# The probe phase: "open" until topo_apply, then "ew".
TOPO_PHASE=open

topo_die() {
	echo "topology: $*"
	return 1
}

# --- outside: run a snippet in a fresh topology ------------------------------

in_topology() {
	local snippet=$1
	shift
	local flags=(--mount --propagation private --net --pid --fork --kill-child --mount-proc)
	[ "$(id -u)" = 0 ] || flags=(--map-root-user "${flags[@]}")
	# shellcheck disable=SC2016 # expanded by the inner bash
	env TOPO_ROOT="$TOPO_ROOT" ROOT="${ROOT:-$TOPO_ROOT}" EW="${EW:-}" \
		TOPO_HOSTS="${TOPO_HOSTS:-dev srv trusted admin stranger}" TOPO_EXTRA="${TOPO_EXTRA:-}" \
		TOPO_MLD_SNOOPING="${TOPO_MLD_SNOOPING:-0}" \
		timeout -k 5 "${TOPO_TIMEOUT:-60}" unshare "${flags[@]}" -- bash -c '
		. "$TOPO_ROOT/scripts/netns.sh" && . "$TOPO_ROOT/tests/topology.bash" || exit 99
		ns_private_run >/dev/null 2>&1 || { echo "topology: cannot mount a tmpfs on /run"; exit 99; }
		ns_trap_cleanup
		export NETNS_LOG=/run/servers.log
		read -ra hosts <<<"$TOPO_HOSTS $TOPO_EXTRA"
		topo_build "${hosts[@]}" || exit 99
		snippet=$1
		shift
		eval "$snippet"' in_topology "$snippet" "$@"
}

# assert_probe LABEL BEFORE AFTER (bats, after `run in_topology ...`).
assert_probe() {
	assert_line "open $1: $2"
	assert_line "ew $1: $3"
}
assert_through() { assert_probe "$1" through through; }
assert_dropped() { assert_probe "$1" through dropped; }

# --- inside: build the topology ----------------------------------------------

# topo_cidrs NAME: the default addresses of a known host.
topo_cidrs() {
	case $1 in
	dev) echo "$DEV4/24 $DEV6/64" ;;
	srv) echo "$SRV4/24 $SRV6/64" ;;
	srv2) echo "$SRV2_4/24 $SRV2_6/64" ;;
	trusted) echo "$TRUSTED4/24 $TRUSTED6/64" ;;
	admin) echo "$ADMIN4/24 $ADMIN6/64" ;;
	stranger) echo "$STRANGER4/24 $STRANGER6/64" ;;
	rtr) echo "$RTR4/24 $RTR6/64" ;;
	*) topo_die "no default addresses for host $1 (give CIDRS)" ;;
	esac
}

# topo_host NAME [CIDRS]: a new namespace NAME with eth0 on the LAN.
topo_host() {
	local name=$1 cidrs var="TOPO_CIDRS_$1"
	if [ $# -ge 2 ]; then
		cidrs=$2
	elif [ -n "${!var+set}" ]; then
		cidrs=${!var}
	else
		cidrs=$(topo_cidrs "$name") || return 1
	fi
	if ! { ns_create "$name" && ns_link "$name" eth0 "$cidrs" switch "p-$name" "" &&
		ns_bridge_port switch lan "p-$name"; }; then
		topo_die "cannot plug $name into the LAN"
	fi
}

# topo_build [HOST...]: the switch with its bridge, then each HOST.
topo_build() {
	local h
	ns_create switch || topo_die "cannot create namespace switch" || return 1
	# The switch is layer 2 only: no netfilter on bridged frames, and no IPv6
	# of its own unless it is to be the MLD querier (which needs a link-local
	# source address).
	# shellcheck disable=SC2016 # expanded by sh in the namespace
	ns_exec switch sh -c 'for f in /proc/sys/net/bridge/bridge-nf-call-*; do
		[ -w "$f" ] && echo 0 >"$f"; done; true' 2>/dev/null
	if [ "${TOPO_MLD_SNOOPING:-0}" = 1 ]; then
		ns_bridge switch lan &&
			ns_ip switch link set lan type bridge mcast_snooping 1 mcast_querier 1 \
				mcast_startup_query_interval 100 mcast_query_interval 200 \
				mcast_query_response_interval 50 ||
			topo_die "cannot create the snooping bridge" || return 1
	else
		topo_sysctl switch net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 >/dev/null &&
			ns_bridge switch lan &&
			ns_ip switch link set lan type bridge mcast_snooping 0 ||
			topo_die "cannot create the bridge" || return 1
	fi
	for h in "$@"; do
		topo_host "$h" || return 1
	done
	# The querier only takes effect when the bridge starts with its ports and
	# its link-local address in place (otherwise it keeps flooding): restart it.
	if [ "${TOPO_MLD_SNOOPING:-0}" = 1 ]; then
		if ! { ns_ip switch link set lan down && ns_ip switch link set lan up; }; then
			topo_die "cannot restart the snooping bridge"
		fi
	fi
}

# topo_apply: earlywall's policy on dev, with the backend the pass is for
# (EW_BACKEND=IPTABLES: libiptc; unset: AUTO, which is nftables here).
topo_apply() {
	local out want=nftables
	[ "${EW_BACKEND:-}" = IPTABLES ] && want=iptables
	if ! out=$(ns_exec dev "$EW" apply 2>&1); then
		echo "topology: $EW apply failed in dev: $out"
		exit 98
	fi
	case $out in
	*"committed in "*" with $want"*) ;;
	*)
		echo "topology: $EW apply did not commit with $want: $out"
		exit 97
		;;
	esac
	TOPO_PHASE=ew
}

# --- inside: probes ----------------------------------------------------------

# probe LABEL CMD...: "PHASE LABEL: through|dropped".
probe() {
	local label=$1
	shift
	if "$@"; then
		echo "$TOPO_PHASE $label: through"
	else
		echo "$TOPO_PHASE $label: dropped"
	fi
}

# topo_probes PHASE LIST: every "LABEL | COMMAND" line of LIST, in parallel.
topo_probes() {
	local phase=$1 list=$2 line label cmd dir i=0 n pids=()
	dir=$(mktemp -d /run/probes.XXXXXX)
	while IFS= read -r line; do
		[[ $line == *'|'* ]] || continue
		label=${line%%|*} cmd=${line#*|}
		label=$(echo "$label" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
		echo "$label" >"$dir/$i.label"
		(if eval "$cmd" >/dev/null 2>&1; then r=through; else r=dropped; fi
			echo "$r" >"$dir/$i.result") &
		pids+=($!)
		i=$((i + 1))
	done <<<"$list"
	# Only the probes: servers started with ns_bg run on.
	[ "${#pids[@]}" = 0 ] || wait "${pids[@]}"
	for ((n = 0; n < i; n++)); do
		echo "$phase $(cat "$dir/$n.label"): $(cat "$dir/$n.result" 2>/dev/null || echo error)"
	done
	rm -rf "$dir"
}

# topo_compare LIST: the probes without a firewall, then with earlywall.
topo_compare() {
	topo_probes open "$1"
	topo_apply
	topo_probes ew "$1"
}

# can_tcp_from NS SPORT ADDR PORT [EXPECT]: can_tcp from source port SPORT.
can_tcp_from() {
	local ns=$1 sport=$2 addr=$3 port=$4 expect=${5-} out fam=4 host=$3
	ns_is_v6 "$addr" && fam=6 host="[$addr]"
	out=$(timeout 2 ip netns exec "$ns" socat -T1 -u \
		"TCP$fam:$host:$port,connect-timeout=1,sourceport=$sport,reuseaddr" STDOUT 2>/dev/null) || return 1
	[ -z "$expect" ] || [ "$out" = "$expect" ]
}

# can_udp_from NS SPORT ADDR PORT [EXPECT]: can_udp from source port SPORT.
can_udp_from() {
	local ns=$1 sport=$2 addr=$3 port=$4 expect=${5-} out fam=4 host=$3
	ns_is_v6 "$addr" && fam=6 host="[$addr]"
	out=$(echo probe | timeout 2 ip netns exec "$ns" socat -T1 - \
		"UDP$fam:$host:$port,sourceport=$sport,reuseaddr" 2>/dev/null) || return 1
	[ -n "$out" ] || return 1
	[ -z "$expect" ] || [ "$out" = "$expect" ]
}

# topo_udp_server NS ADDR PORT [REPLY]: a UDP responder that, unlike
# ns_udp_server, keeps reading its input, so the answer is never lost.
topo_udp_server() {
	local ns=$1 addr=$2 port=$3 reply=${4:-$1-$3} fam=4 host=$2 opts
	ns_is_v6 "$addr" && fam=6 host="[$addr]"
	opts="bind=$host,reuseaddr,fork"
	[ "$fam" = 6 ] && opts+=",ipv6only=1"
	case $reply in *[!A-Za-z0-9._-]*) topo_die "bad reply $reply" || return 1 ;; esac
	ns_bg "$ns" socat -T1 "UDP$fam-RECVFROM:$port,$opts" "SYSTEM:echo $reply; exec cat >/dev/null" &&
		ns_wait_listen "$ns" udp "$port" "$NS_LAST_PID"
}

# topo_sysctl NS KEY=VALUE...: sysctls inside NS (net.* keys are per namespace).
topo_sysctl() {
	local ns=$1 kv key
	shift
	for kv in "$@"; do
		key=${kv%%=*}
		echo "${kv#*=}" | ns_exec "$ns" tee "/proc/sys/${key//.//}" >/dev/null ||
			topo_die "cannot set $key in $ns" || return 1
	done
}

# topo_ra NS PREFIX: router advertisements for PREFIX/64 from NS (dnsmasq).
topo_ra() {
	local ns=$1 prefix=$2
	ns_addr "$ns" eth0 "${prefix}fe/64" || return 1
	topo_sysctl "$ns" net.ipv6.conf.all.forwarding=1 || return 1
	ns_bg "$ns" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 \
		--user=root --group=root --pid-file= --leasefile-ro --log-facility=- \
		--interface=eth0 --enable-ra "--dhcp-range=$prefix,ra-only,64"
}

# topo_wait_addr NS IF PREFIX SECONDS: a global address in PREFIX shows up.
topo_wait_addr() {
	local ns=$1 dev=$2 prefix=$3 secs=$4 i
	for ((i = 0; i < secs * 10; i++)); do
		[ -n "$(ns_ip "$ns" -6 addr show dev "$dev" to "$prefix" scope global 2>/dev/null)" ] && return 0
		sleep 0.1
	done
	return 1
}

# --- inside: kernel log --------------------------------------------------------

# topo_kmsg_mark: a unique line in the kernel log; prints it.
topo_kmsg_mark() {
	local mark="earlywall-test-mark-$$-$RANDOM$RANDOM"
	echo "$mark" >/dev/kmsg || return 1
	echo "$mark"
}

# topo_kmsg_since MARK: the kernel log after MARK.
topo_kmsg_since() {
	dmesg | sed -n "/$1/,\$p" | sed 1d
}

# --- inside: traffic generators -------------------------------------------------

# topo_send_udp NS DST PORT COUNT: COUNT datagrams, no answers expected.
topo_send_udp() {
	# shellcheck disable=SC2016 # expanded by the inner bash
	ns_exec "$1" bash -c 'for ((i = 0; i < $3; i++)); do echo "ping $i" >"/dev/udp/$1/$2"; done 2>/dev/null; true' \
		_ "$2" "$3" "$4"
}

# topo_udp_from NS SPORT DST PORT PAYLOAD: one datagram from port SPORT.
topo_udp_from() {
	local fam=4 host=$3
	ns_is_v6 "$3" && fam=6 host="[$3]"
	echo "$5" | ns_exec "$1" socat -u - "UDP$fam-SENDTO:$host:$4,sourceport=$2,reuseaddr" 2>/dev/null
}

# topo_spoof_udp NS SRC DST PORT PAYLOAD: a datagram with a forged source.
# ARP for DST must not use the forged SRC (a 127.0.0.1 sender is dropped by
# the receiver's ARP), hence arp_announce=2.
topo_spoof_udp() {
	topo_sysctl "$1" net.ipv4.conf.all.arp_announce=2 || return 1
	ns_exec "$1" python3 - "$2" "$3" "$4" "$5" <<'EOF'
import socket, struct, sys
src, dst, port, payload = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].encode() + b"\n"
udp = struct.pack("!HHHH", 40000, port, 8 + len(payload), 0) + payload
# The kernel fills in the total length, the ID and the header checksum.
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 0, 0, 0, 64, socket.IPPROTO_UDP, 0,
                 socket.inet_aton(src), socket.inet_aton(dst))
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
s.sendto(ip + udp, (dst, 0))
EOF
}

# topo_wait_line FILE LINE SECONDS: FILE holds LINE (polls every 0.1 s).
topo_wait_line() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		grep -qxF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# topo_udp_sink NS PORT FILE: every datagram to 0.0.0.0:PORT in NS goes to FILE.
topo_udp_sink() {
	ns_bg "$1" socat -u "UDP4-RECV:$2,reuseaddr" "OPEN:$3,creat,append" &&
		ns_wait_listen "$1" udp "$2" "$NS_LAST_PID"
}
