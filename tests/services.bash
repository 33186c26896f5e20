# services.bash - real DHCP, DNS and NTP servers and clients for the traffic
# suites tests/traffic_dhcp.bats and tests/traffic_dns_ntp.bats.
# shellcheck shell=bash
#
# It proves nothing on its own: it starts real daemons (dnsmasq for DHCP,
# DHCPv6 and DNS, chronyd for NTP) and real clients (busybox udhcpc, ISC
# dhclient -6, dig, chronyd -Q) inside the namespaces that tests/topology.bash
# builds, and prints one "KEY: VALUE" line per fact it observed, for the
# suites to assert on.
#
# Use: a suite does `load helpers`, `load topology`, `load services`, and
# every in_topology snippet starts with `. "$ROOT/tests/services.bash"`, so
# the functions below exist inside the private namespaces too. Everything
# these functions write (configurations, leases, pid files, logs, client
# scripts) goes to the private tmpfs on /run that in_topology mounts; every
# daemon is started with ns_bg, so ns_cleanup stops it even after a failure.
# No daemon reads a host file: dnsmasq gets --conf-file=/dev/null,
# --no-resolv and --no-hosts; chronyd gets its whole configuration from
# /run, and the clients get -cf /dev/null, -f /dev/null and the like.
#
# Addresses are the topology's (documentation ranges only): the DHCP pools
# are 192.0.2.100-150 and 2001:db8::100-1ff on the LAN, and the DNS servers
# answer example.test with the address given to svc_dns_server.

# The DHCP pools that svc_dhcp_server hands out, and their prefixes.
SVC_POOL4_FIRST=192.0.2.100 SVC_POOL4_LAST=192.0.2.150
SVC_POOL6_FIRST=2001:db8::100 SVC_POOL6_LAST=2001:db8::1ff
SVC_POOL4_NET=192.0.2.0/24 SVC_POOL6_NET=2001:db8::/64
# The name every DNS server here answers.
SVC_NAME=example.test
# chronyd from Debian's chrony package, unpacked by scripts/deps.sh under
# build/tools (installing chrony would remove a host's systemd-timesyncd).
CHRONYD=${CHRONYD:-$ROOT/build/tools/chrony/usr/sbin/chronyd}
: "$SVC_POOL4_NET" "$SVC_POOL6_NET" "$SVC_NAME"

# svc_wait SECONDS CMD...: poll CMD every 0.1 s until it succeeds or SECONDS
# pass. Exit status: CMD's last.
svc_wait() {
	local secs=$1 i
	shift
	for ((i = 0; i < secs * 10; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}

# svc_has FILE REGEX: FILE exists and has a line matching REGEX (grep -E).
svc_has() {
	[ -e "$1" ] && grep -Eq -- "$2" "$1"
}

# svc_count FILE REGEX: how many lines of FILE match REGEX (0 without FILE).
svc_count() {
	local n=0
	[ -e "$1" ] && n=$(grep -Ec -- "$2" "$1")
	echo "${n:-0}"
}

# svc_died [LOG...]: a server did not come up. Print the background log
# and each LOG (they vanish with the namespaces), prefixed; return 1.
svc_died() {
	local f
	for f in "$NETNS_LOG" "$@"; do
		[ ! -s "$f" ] || sed "s|^|$f: |" "$f"
	done
	return 1
}

# --- DHCP and DHCPv6 server ----------------------------------------------------

# dnsmasq runs with --no-daemon: in the foreground, and without switching to
# another user and group, which a user namespace (tests run unprivileged)
# does not allow. It writes no pid file then; ns_bg knows its PID.

# svc_dhcp_server NS [v6]: dnsmasq as DHCP server on NS's eth0 (DNS off, port
# 0), IPv4 pool with 2-minute leases (dnsmasq's minimum); with "v6", a DHCPv6
# pool too (stateful, no router advertisements). Log with every exchange in
# /run/dhcpd-NS.log; leases in /run/dhcpd-NS.leases. Waits until it listens;
# if it dies, prints its logs and fails.
svc_dhcp_server() {
	local ns=$1 v6=${2:-} args
	args=(--no-daemon --conf-file=/dev/null --no-resolv --no-hosts
		--port=0 --interface=eth0 --bind-interfaces
		--dhcp-range="$SVC_POOL4_FIRST,$SVC_POOL4_LAST,255.255.255.0,2m"
		--dhcp-leasefile="/run/dhcpd-$ns.leases"
		--log-dhcp --log-facility="/run/dhcpd-$ns.log" --no-ping)
	[ "$v6" != v6 ] || args+=(--dhcp-range="$SVC_POOL6_FIRST,$SVC_POOL6_LAST,64,2m")
	if ! ns_bg "$ns" dnsmasq "${args[@]}" ||
		! ns_wait_listen "$ns" udp 67 "$NS_LAST_PID" ||
		{ [ "$v6" = v6 ] && ! ns_wait_listen "$ns" udp 547 "$NS_LAST_PID"; }; then
		svc_died "/run/dhcpd-$ns.log"
	fi
}

# svc_dhcpd_log NS: the DHCP server's log.
svc_dhcpd_log() {
	echo "/run/dhcpd-$1.log"
}

# --- DHCP client: busybox udhcpc -----------------------------------------------

# svc_udhcpc_script: write /run/udhcpc.script, the client's event script. It
# records each event ("bound 192.0.2.123", "renew ...", "deconfig") in
# /run/udhcpc.events and applies the address with ip(8). busybox's own
# default script would need /etc/udhcpc.
svc_udhcpc_script() {
	cat >/run/udhcpc.script <<'EOF'
#!/bin/sh
echo "$1 ${ip:-}" >>/run/udhcpc.events
case $1 in
deconfig) ip -4 addr flush dev "$interface" ;;
bound | renew) ip -4 addr replace "$ip/${mask:-24}" dev "$interface" ;;
esac
exit 0
EOF
	chmod 0755 /run/udhcpc.script
}

# svc_udhcpc_start NS: start udhcpc on NS's eth0 in the foreground (-f) in
# the background: 3 discovers 3 s apart, exit if no lease (-n). A renewal
# waits 3 s for its DHCPACK before udhcpc falls back to broadcast, which
# leaves room for a loaded machine. Its output goes to /run/udhcpc.log, its
# PID to SVC_UDHCPC_PID.
svc_udhcpc_start() {
	svc_udhcpc_script
	: >/run/udhcpc.events
	NETNS_LOG=/run/udhcpc.log ns_bg "$1" busybox udhcpc -f -n -i eth0 \
		-s /run/udhcpc.script -t 3 -T 3
	SVC_UDHCPC_PID=$NS_LAST_PID
}

# svc_addr4 NS: the first global IPv4 address in the DHCP pool's network on
# NS's eth0 (empty if none).
svc_addr4() {
	ns_ip "$1" -4 -o addr show dev eth0 to "$SVC_POOL4_NET" scope global 2>/dev/null |
		awk '{ sub("/.*", "", $4); print $4; exit }'
}

# svc_addr6 NS: the same for the DHCPv6 pool (link-local addresses excluded).
svc_addr6() {
	ns_ip "$1" -6 -o addr show dev eth0 to "$SVC_POOL6_NET" scope global 2>/dev/null |
		awk '{ sub("/.*", "", $4); print $4; exit }'
}

# svc_count_unicast4 NS ADDR: in server namespace NS (never in dev), a rule
# that only counts the DHCP requests sent to ADDR, NS's own unicast address.
# A renewal (RENEWING state) is unicast; the initial exchange is broadcast.
svc_count_unicast4() {
	ns_exec "$1" iptables-legacy -A INPUT -p udp --dport 67 -d "$2" -m comment \
		--comment dhcp-unicast
}

# svc_unicast4 NS: how many unicast DHCP requests reached NS so far.
svc_unicast4() {
	ns_exec "$1" iptables-legacy -nvxL INPUT |
		awk '/dhcp-unicast/ { print $1; found = 1 } END { if (!found) print 0 }'
}

# svc_udhcpc_renew: one renewal on demand (SIGUSR1 to the running udhcpc),
# waiting up to 10 s for it to end with a lease. Prints what udhcpc logged
# meanwhile.
svc_udhcpc_renew() {
	local before
	before=$(wc -l </run/udhcpc.log)
	kill -USR1 "$SVC_UDHCPC_PID" || return 1
	# shellcheck disable=SC2016 # expanded by the inner sh
	svc_wait 10 sh -c 'tail -n "+$(($1 + 1))" /run/udhcpc.log | grep -q "lease of"' _ "$before"
	tail -n "+$((before + 1))" /run/udhcpc.log
}

# svc_dhcp4 CLIENT SERVER SERVER_ADDR: the whole IPv4 story, with udhcpc on
# CLIENT and svc_dhcp_server already running on SERVER. A lease, then
# renewals on demand. A renewal is first a unicast DHCPREQUEST to the server
# over an ordinary UDP socket; when no DHCPACK comes back, udhcpc falls back
# to a broadcast one over its packet socket. udhcpc itself loses a prompt
# unicast DHCPACK now and then (seen in about 1 of 8 renewals even without
# any firewall: the ACK reaches the short-lived socket it sent from), so up
# to 4 renewals are tried, and one that completes by unicast is enough.
# Prints:
#   dhcp4 lease: ADDR|none        an address from the pool on CLIENT's eth0
#   dhcp4 server acks: N          DHCPACKs in the server's log before renewing
#   dhcp4 unicast renewal: yes|no a renewal completed by unicast: request
#                                 sent, DHCPACK received, no fallback
#   dhcp4 renew event: yes|no     the client's script ran "renew"
#   dhcp4 renew unicast at server: N
#                                 unicast requests that reached the server
#   dhcp4 renew refused locally: yes|no
#                                 udhcpc could not send its unicast renewal
#                                 (sendto: EPERM from the OUTPUT chain)
#   dhcp4 renew fell back to broadcast: yes|no
# then udhcpc's own log, each line prefixed "udhcpc: ".
svc_dhcp4() {
	local client=$1 server=$2 saddr=$3 log addr='' out i unicast=no refused=no fallback=no
	log=$(svc_dhcpd_log "$server")
	svc_count_unicast4 "$server" "$saddr" || return 1
	svc_udhcpc_start "$client"
	if svc_wait 10 svc_has /run/udhcpc.events '^bound ' &&
		svc_wait 2 test -n "$(svc_addr4 "$client")"; then
		addr=$(svc_addr4 "$client")
	fi
	echo "dhcp4 lease: ${addr:-none}"
	echo "dhcp4 server acks: $(svc_count "$log" 'DHCPACK\(')"
	if [ -n "$addr" ]; then
		for ((i = 0; i < 4; i++)); do
			out=$(svc_udhcpc_renew)
			[[ $out != *"Operation not permitted"* ]] || refused=yes
			[[ $out != *"broadcasting renew"* ]] || fallback=yes
			if [[ $out == *"sending renew to server"* && $out == *"lease of"* &&
				$out != *"broadcasting renew"* ]]; then
				unicast=yes
				break
			fi
		done
		echo "dhcp4 unicast renewal: $unicast"
		if svc_has /run/udhcpc.events '^renew '; then
			echo "dhcp4 renew event: yes"
		else
			echo "dhcp4 renew event: no"
		fi
		echo "dhcp4 renew unicast at server: $(svc_unicast4 "$server")"
		echo "dhcp4 renew refused locally: $refused"
		echo "dhcp4 renew fell back to broadcast: $fallback"
	fi
	sed 's/^/udhcpc: /' /run/udhcpc.log
}

# --- DHCPv6 client: ISC dhclient -6 --------------------------------------------

# svc_dhclient6_script: /run/dhclient6.script records each event ("BOUND6
# 2001:db8::123", "REBOOT6 ...") in /run/dhclient6.events and applies the
# address with ip(8).
svc_dhclient6_script() {
	cat >/run/dhclient6.script <<'EOF'
#!/bin/sh
echo "$reason ${new_ip6_address:-}" >>/run/dhclient6.events
case $reason in
BOUND6 | RENEW6 | REBIND6 | REBOOT6)
	ip -6 addr replace "$new_ip6_address/128" dev "$interface" nodad ;;
esac
exit 0
EOF
	chmod 0755 /run/dhclient6.script
}

# svc_dhclient6 NS SECONDS: one dhclient -6 -1 run on NS's eth0 (lease file,
# pid file, script all under /run; no host configuration), stopped after
# SECONDS. Exit status: dhclient's (124 on timeout). Output appended to
# /run/dhclient6.log.
svc_dhclient6() {
	[ -e /run/dhclient6.script ] || svc_dhclient6_script
	timeout "$2" ip netns exec "$1" dhclient -6 -1 -v -cf /dev/null \
		-lf /run/dhclient6.leases -pf /run/dhclient6.pid \
		-sf /run/dhclient6.script eth0 >>/run/dhclient6.log 2>&1
}

# svc_dhcp6 CLIENT SERVER: the DHCPv6 story with svc_dhcp_server SERVER v6
# running. A lease with dhclient -6 (8 s at most), then dhclient is stopped
# and started again: with a lease on file it confirms it with the server
# (CONFIRM/REPLY), a second exchange. Prints:
#   dhcp6 lease: ADDR|none
#   dhcp6 server solicits: N      DHCPSOLICITs in the server's log
#   dhcp6 server replies: N       DHCPREPLYs (answers to REQUEST/CONFIRM)
#   dhcp6 confirm: yes|no         the second run was bound again, after a
#                                 CONFIRM the server answered
svc_dhcp6() {
	local client=$1 server=$2 log addr=''
	log=$(svc_dhcpd_log "$server")
	svc_dhclient6_script
	if svc_dhclient6 "$client" 8 && svc_wait 2 test -n "$(svc_addr6 "$client")"; then
		addr=$(svc_addr6 "$client")
	fi
	echo "dhcp6 lease: ${addr:-none}"
	if [ -n "$addr" ]; then
		ip netns exec "$client" dhclient -6 -x -cf /dev/null -lf /run/dhclient6.leases \
			-pf /run/dhclient6.pid -sf /run/dhclient6.script eth0 >>/run/dhclient6.log 2>&1
		if svc_dhclient6 "$client" 8 && svc_has "$log" 'DHCPCONFIRM\(' &&
			[ "$(svc_count /run/dhclient6.events '^(BOUND6|REBOOT6) ')" -ge 2 ]; then
			echo "dhcp6 confirm: yes"
		else
			echo "dhcp6 confirm: no"
		fi
	fi
	echo "dhcp6 server solicits: $(svc_count "$log" 'DHCPSOLICIT\(')"
	echo "dhcp6 server replies: $(svc_count "$log" 'DHCPREPLY\(')"
}

# --- exact-port probes -------------------------------------------------------

# svc_sink NS ADDR PORT: a UDP listener on ADDR:PORT in NS (0.0.0.0 or :: for
# every address of that family; a wildcard one also gets broadcasts),
# appending what it receives to /run/sink-NS-FAMILY-PORT. Bind it to the
# host's own address when the same host also sends from PORT (can_udp_from
# with that source port): the more specific socket then gets the datagrams.
svc_sink() {
	local ns=$1 addr=$2 port=$3 fam=4 opts=reuseaddr
	ns_is_v6 "$addr" && fam=6 addr="[$addr]" opts=reuseaddr,ipv6only=1
	: >"/run/sink-$ns-$fam-$port"
	ns_bg "$ns" socat -u "UDP$fam-RECV:$port,bind=$addr,$opts" \
		"OPEN:/run/sink-$ns-$fam-$port,creat,append" &&
		ns_wait_listen "$ns" udp "$port" "$NS_LAST_PID"
}

# can_udp_from NS SPORT ADDR DPORT SINK-NS: a datagram from NS, source port
# SPORT ("-" for any), to ADDR:DPORT (a broadcast address works) reaches the
# svc_sink of SINK-NS on DPORT within 2 s. Each call sends a unique payload.
# One way only: nothing has to answer, so no reply path blurs the result.
can_udp_from() {
	local ns=$1 sport=$2 addr=$3 dport=$4 sink=$5 fam=4 host=$3 tag opts=broadcast
	ns_is_v6 "$addr" && fam=6 host="[$addr]"
	[ "$sport" = - ] || opts+=",sourceport=$sport,reuseaddr"
	tag="probe-$ns-$sport-$dport-$RANDOM$RANDOM"
	echo "$tag" | ip netns exec "$ns" socat -u - "UDP$fam-SENDTO:$host:$dport,$opts" \
		2>/dev/null || return 1
	svc_wait 2 svc_has "/run/sink-$sink-$fam-$dport" "^$tag\$"
}

# --- DNS ---------------------------------------------------------------------

# svc_dns_server NS ANSWER ADDR...: a dnsmasq DNS server in NS bound to each
# ADDR, udp and tcp port 53, that answers "example.test A" with ANSWER and
# knows nothing else (no upstream, no hosts file). Waits until it listens.
svc_dns_server() {
	local ns=$1 answer=$2 a args
	shift 2
	args=(--no-daemon --conf-file=/dev/null --no-resolv --no-hosts
		--bind-interfaces --port=53
		--address="/$SVC_NAME/$answer"
		--log-queries --log-facility="/run/dns-$ns.log")
	for a in "$@"; do
		args+=(--listen-address="$a")
	done
	if ! ns_bg "$ns" dnsmasq "${args[@]}" ||
		! ns_wait_listen "$ns" udp 53 "$NS_LAST_PID" ||
		! ns_wait_listen "$ns" tcp 53 "$NS_LAST_PID"; then
		svc_died "/run/dns-$ns.log"
	fi
}

# can_dns NS SERVER EXPECT [tcp]: dig in NS asks SERVER (udp, or tcp) for
# example.test A and gets EXPECT back, one try, 2 s to answer.
can_dns() {
	local ns=$1 server=$2 expect=$3 out transport=+notcp
	[ "${4:-}" = tcp ] && transport=+tcp
	out=$(timeout 4 ip netns exec "$ns" dig +short +tries=1 +time=2 "$transport" \
		"@$server" "$SVC_NAME" A 2>/dev/null) || return 1
	[ "$out" = "$expect" ]
}

# --- NTP ---------------------------------------------------------------------

# svc_ntp_server NS ADDR...: chronyd in NS as an NTP server (local stratum 8,
# clock control off with -x) bound to each ADDR (at most one per family) on
# udp 123. No command socket, no drift file. Waits until it listens.
svc_ntp_server() {
	local ns=$1 a conf="/run/chrony-$1.conf"
	shift
	{
		echo "local stratum 8"
		echo "allow all"
		echo "port 123"
		echo "cmdport 0"
		echo "bindcmdaddress /"
		echo "pidfile /run/chrony-$ns.pid"
		for a in "$@"; do
			echo "bindaddress $a"
		done
	} >"$conf"
	if ! ns_bg "$ns" "$CHRONYD" -d -x -u root -f "$conf" ||
		! ns_wait_listen "$ns" udp 123 "$NS_LAST_PID"; then
		svc_died
	fi
}

# can_ntp NS SERVER: chronyd -Q in NS (measure only, never set the clock)
# gets a time sample from SERVER within 3 s.
can_ntp() {
	local ns=$1 server=$2 out
	out=$(timeout 5 ip netns exec "$ns" "$CHRONYD" -Q -t 3 -f /dev/null -u root \
		"pidfile /run/chrony-q-$ns-$RANDOM$RANDOM.pid" "bindcmdaddress /" \
		"server $server iburst maxsamples 1" 2>&1) || return 1
	[[ $out == *"System clock wrong by"* ]]
}
