#!/usr/bin/env bats
# traffic_loopback.bats - loopback and anti-spoofing on real packets.
# Under the tightest lockdown (tests/traffic/lockdown.config: no DHCP, IPv6
# dropped) services on 127.0.0.1 and ::1 still work, while the LAN is shut.
# Anti-spoofing (tests/traffic/spoof.config: udp/5555 open to 0.0.0.0/0): a
# datagram arriving on eth0 with the forged source 127.0.0.1 reaches a UDP
# listener in dev without a firewall, and is dropped with earlywall, while the
# same datagram from a real address still gets in. For the kernel to accept
# such a packet at all, dev (only dev's namespace) gets route_localnet=1,
# accept_local=1 and rp_filter=0; the forged packet is built by python3 with a
# raw socket (topo_spoof_udp). Each case runs in a fresh topology
# (tests/topology.bash), first without a firewall, then after `earlywall apply`.

# The snippets are single-quoted on purpose: in_topology expands them inside
# the namespaces.
# shellcheck disable=SC2016

load helpers
load topology

@test "lockdown: services on 127.0.0.1 and ::1 keep working, the LAN is shut" {
	ew_build traffic-lockdown tests/traffic/lockdown.config
	run in_topology '
		ns_tcp_server dev 127.0.0.1 8080 lo4
		ns_tcp_server dev ::1 8080 lo6
		topo_udp_server dev 127.0.0.1 8053 lo4
		topo_udp_server dev ::1 8053 lo6
		ns_tcp_server dev 0.0.0.0 22
		ns_tcp_server dev :: 22
		topo_compare "
			dev tcp/8080 to 127.0.0.1  | can_tcp dev 127.0.0.1 8080 lo4
			dev udp/8053 to 127.0.0.1  | can_udp dev 127.0.0.1 8053 lo4
			dev ping 127.0.0.1         | can_ping dev 127.0.0.1
			dev tcp/8080 to ::1        | can_tcp dev ::1 8080 lo6
			dev udp/8053 to ::1        | can_udp dev ::1 8053 lo6
			dev ping ::1               | can_ping dev ::1
			dev tcp/22 to own address  | can_tcp dev $DEV4 22 dev-22
			trusted tcp/22 to dev      | can_tcp trusted $DEV4 22 dev-22
			trusted tcp/22 to dev ipv6 | can_tcp trusted $DEV6 22 dev-22"'
	assert_success
	assert_through "dev tcp/8080 to 127.0.0.1"
	assert_through "dev udp/8053 to 127.0.0.1"
	assert_through "dev ping 127.0.0.1"
	assert_through "dev tcp/8080 to ::1"
	assert_through "dev udp/8053 to ::1"
	assert_through "dev ping ::1"
	# Local traffic to a LAN address is routed over lo, too.
	assert_through "dev tcp/22 to own address"
	assert_dropped "trusted tcp/22 to dev"
	assert_dropped "trusted tcp/22 to dev ipv6"
}

@test "anti-spoofing: a datagram from 127.0.0.1 arriving on eth0 is dropped" {
	ew_build traffic-spoof tests/traffic/spoof.config
	run in_topology '
		topo_sysctl dev net.ipv4.conf.all.route_localnet=1 net.ipv4.conf.eth0.route_localnet=1 \
			net.ipv4.conf.all.accept_local=1 net.ipv4.conf.eth0.accept_local=1 \
			net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0 || exit 1
		topo_udp_sink dev 5555 /run/sink || exit 1
		# got PAYLOAD SOURCE: stranger sends PAYLOAD from SOURCE; did dev get it?
		got() {
			topo_spoof_udp stranger "$2" "$DEV4" 5555 "$1" && topo_wait_line /run/sink "$1" 1
		}
		probe "stranger udp/5555 from 127.0.0.1" got "$TOPO_PHASE-spoofed" 127.0.0.1
		probe "stranger udp/5555 from its own address" got "$TOPO_PHASE-real" "$STRANGER4"
		topo_apply
		probe "stranger udp/5555 from 127.0.0.1" got "$TOPO_PHASE-spoofed" 127.0.0.1
		probe "stranger udp/5555 from its own address" got "$TOPO_PHASE-real" "$STRANGER4"
		echo "dev received: $(tr "\n" " " </run/sink)"'
	assert_success
	assert_dropped "stranger udp/5555 from 127.0.0.1"
	assert_through "stranger udp/5555 from its own address"
}
