#!/usr/bin/env bats
# traffic_allow_out.bats - ALLOW_OUT on real packets. dev opens exactly the
# listed protocol, port and prefix, and the replies (TCP data, a UDP answer)
# come back through conntrack; other ports, protocols and hosts are dropped;
# the listed hosts cannot start anything toward dev, not even from the listed
# port. Config: tests/traffic/allow_out.config (tcp/80 and udp/5140 on srv
# 192.0.2.2, tcp/443 in 192.0.2.16/28, which holds admin 192.0.2.20). Each
# case runs in a fresh topology (tests/topology.bash); every probe runs first
# without a firewall, where it must get through, then after `earlywall apply`.

# The snippets are single-quoted on purpose: in_topology expands them inside
# the namespaces.
# shellcheck disable=SC2016

load helpers
load topology

setup() {
	ew_build traffic-allow_out tests/traffic/allow_out.config
}

@test "dev opens the listed proto/port on the listed host, and the replies arrive" {
	run in_topology '
		ns_tcp_server srv 0.0.0.0 80
		ns_tcp_server srv 0.0.0.0 81
		ns_tcp_server srv 0.0.0.0 5140
		topo_udp_server srv 0.0.0.0 5140
		topo_udp_server srv 0.0.0.0 80
		topo_compare "
			dev tcp/80 to srv, reply data  | can_tcp dev $SRV4 80 srv-80
			dev udp/5140 to srv, answer    | can_udp dev $SRV4 5140 srv-5140
			dev tcp/81 to srv              | can_tcp dev $SRV4 81 srv-81
			dev udp/80 to srv              | can_udp dev $SRV4 80 srv-80
			dev tcp/5140 to srv            | can_tcp dev $SRV4 5140 srv-5140
			dev ping srv                   | can_ping dev $SRV4"'
	assert_success
	assert_through "dev tcp/80 to srv, reply data"
	assert_through "dev udp/5140 to srv, answer"
	assert_dropped "dev tcp/81 to srv"
	assert_dropped "dev udp/80 to srv"
	assert_dropped "dev tcp/5140 to srv"
	assert_dropped "dev ping srv"
}

@test "a prefix entry covers the hosts inside it, only on its port" {
	run in_topology '
		for ns in admin stranger trusted; do
			ns_tcp_server $ns 0.0.0.0 443
			ns_tcp_server $ns 0.0.0.0 80
		done
		topo_compare "
			dev tcp/443 to admin (in the /28)     | can_tcp dev $ADMIN4 443 admin-443
			dev tcp/80 to admin                   | can_tcp dev $ADMIN4 80 admin-80
			dev tcp/443 to stranger (outside)     | can_tcp dev $STRANGER4 443 stranger-443
			dev tcp/443 to trusted (outside)      | can_tcp dev $TRUSTED4 443 trusted-443"'
	assert_success
	assert_through "dev tcp/443 to admin (in the /28)"
	assert_dropped "dev tcp/80 to admin"
	assert_dropped "dev tcp/443 to stranger (outside)"
	assert_dropped "dev tcp/443 to trusted (outside)"
}

@test "the listed host cannot start anything toward dev, not even from the listed port" {
	run in_topology '
		ns_tcp_server dev 0.0.0.0 22
		ns_tcp_server dev 0.0.0.0 80
		ns_tcp_server dev 0.0.0.0 443
		topo_udp_server dev 0.0.0.0 5140
		topo_udp_server dev 0.0.0.0 9999
		topo_compare "
			srv tcp/22 to dev                   | can_tcp srv $DEV4 22 dev-22
			srv tcp/80 to dev                   | can_tcp srv $DEV4 80 dev-80
			srv udp/5140 to dev                 | can_udp srv $DEV4 5140 dev-5140
			srv ping dev                        | can_ping srv $DEV4
			srv tcp from port 80 to dev tcp/22  | can_tcp_from srv 80 $DEV4 22 dev-22
			srv udp from port 5140 to dev 9999  | can_udp_from srv 5140 $DEV4 9999 dev-9999
			admin tcp/443 to dev                | can_tcp admin $DEV4 443 dev-443"'
	assert_success
	assert_dropped "srv tcp/22 to dev"
	assert_dropped "srv tcp/80 to dev"
	assert_dropped "srv udp/5140 to dev"
	assert_dropped "srv ping dev"
	assert_dropped "srv tcp from port 80 to dev tcp/22"
	assert_dropped "srv udp from port 5140 to dev 9999"
	assert_dropped "admin tcp/443 to dev"
}
