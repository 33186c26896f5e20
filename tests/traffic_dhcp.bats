#!/usr/bin/env bats
# shellcheck disable=SC2016 # the snippets are expanded inside the namespaces
# traffic_dhcp.bats - ALLOW_DHCP against real DHCP traffic: a device that
# boots locked down still gets and renews its address, and DHCP is open on
# exactly the client ports.
#
# Each case runs in a fresh set of private namespaces (tests/topology.bash:
# one L2 segment, documentation addresses), with dnsmasq as the DHCP and
# DHCPv6 server on srv and real clients on dev: busybox udhcpc for IPv4, ISC
# dhclient -6 for IPv6 (tests/services.bash). earlywall is applied in dev
# before any client starts, as at boot. What is proven:
#   - without a firewall (baseline) both clients get a lease and renew it;
#   - with ALLOW_DHCP=y (the default), locked down, udhcpc gets a lease and
#     its unicast renewal (DHCPREQUEST to the server, DHCPACK back) goes
#     through, with and without conntrack; dhclient -6 gets a DHCPv6 lease
#     and has it confirmed again;
#   - the rules are exact: udp 68 -> 67 out and 67 -> 68 in (546/547 for
#     IPv6) to and from any address, and no other port;
#   - with ALLOW_DHCP=n, DHCPv6 gets no lease and the IPv4 unicast renewal is
#     refused. The initial IPv4 lease is NOT stopped: DHCPv4 clients send
#     and receive through packet sockets (AF_PACKET), which iptables never
#     sees. The "ALLOW_DHCP off" case records that limitation.

load helpers
load topology
load services

# The pool the server hands out (tests/services.bash).
POOL4_RE='192\.0\.2\.(1[0-4][0-9]|150)'
POOL6_RE='2001:db8::1[0-9a-f]{2}'

setup() {
	# dev starts without an address: it is the DHCP client.
	export TOPO_HOSTS="dev srv stranger" TOPO_CIDRS_dev=""
}

# The udhcpc story went well: a lease, then a renewal that went to the
# server by unicast and whose DHCPACK came back the same way.
assert_dhcp4_renewed() {
	assert_line --regexp "^dhcp4 lease: $POOL4_RE\$"
	assert_line "dhcp4 server acks: 1"
	assert_line "dhcp4 unicast renewal: yes"
	assert_line "dhcp4 renew event: yes"
	assert_line --regexp "^dhcp4 renew unicast at server: [1-4]\$"
	assert_line "dhcp4 renew refused locally: no"
}

assert_dhcp6_leased() {
	assert_line --regexp "^dhcp6 lease: $POOL6_RE\$"
	assert_line "dhcp6 confirm: yes"
	assert_line "dhcp6 server solicits: 1"
	assert_line "dhcp6 server replies: 2"
}

@test "baseline without a firewall: udhcpc gets a lease and renews it, dhclient -6 gets one and confirms it" {
	run in_topology '
		. "$ROOT/tests/services.bash"
		svc_dhcp_server srv v6 || exit 97
		svc_dhcp4 dev srv "$SRV4"
		svc_dhcp6 dev srv'
	assert_success
	assert_dhcp4_renewed
	assert_dhcp6_leased
}

@test "ALLOW_DHCP=y, locked down before the client starts: IPv4 lease and unicast renewal" {
	ew_build services_dhcp tests/traffic/services_dhcp.config
	run in_topology '
		. "$ROOT/tests/services.bash"
		svc_dhcp_server srv || exit 97
		topo_apply
		svc_dhcp4 dev srv "$SRV4"
		ns_exec dev "$EW" verify >/dev/null && echo "policy unchanged"'
	assert_success
	assert_dhcp4_renewed
	assert_line "policy unchanged"
}

@test "ALLOW_DHCP=y with STATEFUL=n: the renewal's DHCPACK gets in by the DHCP rule alone" {
	ew_build services_dhcp_stateless tests/traffic/services_dhcp_stateless.config
	run in_topology '
		. "$ROOT/tests/services.bash"
		svc_dhcp_server srv || exit 97
		topo_apply
		svc_dhcp4 dev srv "$SRV4"'
	assert_success
	assert_dhcp4_renewed
}

@test "ALLOW_DHCP=y with IPV6_FILTER, locked down: DHCPv6 lease, then confirmed again" {
	ew_build services_dhcp tests/traffic/services_dhcp.config
	run in_topology '
		. "$ROOT/tests/services.bash"
		svc_dhcp_server srv v6 || exit 97
		topo_apply
		svc_dhcp6 dev srv
		ns_exec dev "$EW" verify >/dev/null && echo "policy unchanged"'
	assert_success
	assert_dhcp6_leased
	assert_line "policy unchanged"
}

@test "ALLOW_DHCP off: no DHCPv6 lease, IPv4 renewal refused (the packet-socket IPv4 lease is beyond iptables)" {
	ew_build services_nodhcp tests/traffic/services_nodhcp.config
	run in_topology '
		. "$ROOT/tests/services.bash"
		svc_dhcp_server srv v6 || exit 97
		topo_apply
		svc_dhcp6 dev srv
		svc_dhcp4 dev srv "$SRV4"'
	assert_success
	# DHCPv6 uses ordinary UDP sockets: nothing leaves dev, no lease.
	assert_line "dhcp6 lease: none"
	assert_line "dhcp6 server solicits: 0"
	# udhcpc's unicast renewal is an ordinary UDP socket: OUTPUT refuses it
	# (EPERM) and no unicast request reaches the server ...
	assert_line "dhcp4 unicast renewal: no"
	assert_line "dhcp4 renew unicast at server: 0"
	assert_line "dhcp4 renew refused locally: yes"
	# ... but its DISCOVER/REQUEST and the broadcast renewal it falls back to
	# go through an AF_PACKET socket, below netfilter: the lease is obtained
	# and kept all the same. Recorded here so that a change shows; see the
	# header.
	assert_line --regexp "^dhcp4 lease: $POOL4_RE\$"
	assert_line "dhcp4 renew fell back to broadcast: yes"
}

# Exact-port probes: a unique datagram to a listener, with a chosen source
# port. dev has its static addresses here (no DHCP client runs).
DHCP_PROBES='
	dev 68->67 srv            | can_udp_from dev 68 $SRV4 67 srv
	dev 68->67 broadcast      | can_udp_from dev 68 192.0.2.255 67 srv
	dev 68->67 stranger       | can_udp_from dev 68 $STRANGER4 67 stranger
	dev 1068->67 srv          | can_udp_from dev 1068 $SRV4 67 srv
	dev 68->1067 srv          | can_udp_from dev 68 $SRV4 1067 srv
	stranger 67->68 dev       | can_udp_from stranger 67 $DEV4 68 dev
	stranger 1067->68 dev     | can_udp_from stranger 1067 $DEV4 68 dev
	stranger 67->1068 dev     | can_udp_from stranger 67 $DEV4 1068 dev
	dev 546->547 srv v6       | can_udp_from dev 546 $SRV6 547 srv
	dev 546->1547 srv v6      | can_udp_from dev 546 $SRV6 1547 srv
	stranger 547->546 dev v6  | can_udp_from stranger 547 $DEV6 546 dev
	stranger 1547->546 dev v6 | can_udp_from stranger 1547 $DEV6 546 dev'

# Sinks for DHCP_PROBES.
# Sinks for DHCP_PROBES. dev and stranger send from the ports they listen
# on, so their sinks are bound to their own address (see svc_sink); srv's is
# a wildcard one, which also gets the broadcast.
DHCP_SINKS='
	svc_sink srv 0.0.0.0 67 && svc_sink srv $SRV4 1067 &&
	svc_sink stranger $STRANGER4 67 &&
	svc_sink dev $DEV4 68 && svc_sink dev $DEV4 1068 &&
	svc_sink srv $SRV6 547 && svc_sink srv $SRV6 1547 &&
	svc_sink dev $DEV6 546 || exit 97'

@test "ALLOW_DHCP=y opens exactly udp 68->67 out and 67->68 in (546/547 for IPv6), any address" {
	ew_build services_dhcp tests/traffic/services_dhcp.config
	unset TOPO_CIDRS_dev
	run in_topology "
		. \"\$ROOT/tests/services.bash\"
		$DHCP_SINKS
		topo_compare \"\$1\"" "$DHCP_PROBES"
	assert_success
	assert_through "dev 68->67 srv"
	assert_through "dev 68->67 broadcast"
	assert_through "dev 68->67 stranger"
	assert_dropped "dev 1068->67 srv"
	assert_dropped "dev 68->1067 srv"
	assert_through "stranger 67->68 dev"
	assert_dropped "stranger 1067->68 dev"
	assert_dropped "stranger 67->1068 dev"
	assert_through "dev 546->547 srv v6"
	assert_dropped "dev 546->1547 srv v6"
	assert_through "stranger 547->546 dev v6"
	assert_dropped "stranger 1547->546 dev v6"
}

@test "ALLOW_DHCP off closes the DHCP ports both ways, IPv4 and IPv6" {
	ew_build services_nodhcp tests/traffic/services_nodhcp.config
	unset TOPO_CIDRS_dev
	run in_topology "
		. \"\$ROOT/tests/services.bash\"
		$DHCP_SINKS
		topo_compare \"\$1\"" "$DHCP_PROBES"
	assert_success
	local label
	while IFS='|' read -r label _; do
		label=$(echo "$label" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
		[ -n "$label" ] || continue
		assert_dropped "$label"
	done <<<"$DHCP_PROBES"
}
