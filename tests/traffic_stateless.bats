#!/usr/bin/env bats
# traffic_stateless.bats - STATEFUL=n on real packets: without conntrack the
# mirrored reply rules still carry the listed traffic, IPv4 and IPv6: TCP out
# to ALLOW_OUT (with the reply data), TCP in to ALLOW_IN, DNS over UDP and TCP
# to DNS_SERVERS; strangers and other ports are still dropped. It also pins
# the looseness Kconfig documents for STATEFUL=n: a listed host sending from
# the listed port reaches any port on dev (the stateful suites show that
# STATEFUL=y drops exactly that), while a stranger sending from that port
# still does not (the reply rules match the peer's address). Config: tests/traffic/stateless.config
# (tcp/80@srv out, tcp/22@admin in, DNS srv; IPV6_FILTER). Each case runs in a
# fresh topology (tests/topology.bash); every probe runs first without a
# firewall, where it must get through, then after `earlywall apply` in dev.

# The snippets are single-quoted on purpose: in_topology expands them inside
# the namespaces.
# shellcheck disable=SC2016

load helpers
load topology

setup() {
	ew_build traffic-stateless tests/traffic/stateless.config
}

@test "stateless: the listed traffic gets through, with its replies, IPv4 and IPv6" {
	run in_topology '
		for a in 0.0.0.0 ::; do
			ns_tcp_server srv $a 80
			ns_tcp_server srv $a 53
			topo_udp_server srv $a 53
			ns_tcp_server dev $a 22
		done
		topo_compare "
			dev tcp/80 to srv, reply data     | can_tcp dev $SRV4 80 srv-80
			dev tcp6/80 to srv, reply data    | can_tcp dev $SRV6 80 srv-80
			admin tcp/22 to dev, reply data   | can_tcp admin $DEV4 22 dev-22
			admin tcp6/22 to dev, reply data  | can_tcp admin $DEV6 22 dev-22
			dev udp/53 to srv (DNS), answer   | can_udp dev $SRV4 53 srv-53
			dev udp6/53 to srv (DNS), answer  | can_udp dev $SRV6 53 srv-53
			dev tcp/53 to srv (DNS)           | can_tcp dev $SRV4 53 srv-53"'
	assert_success
	assert_through "dev tcp/80 to srv, reply data"
	assert_through "dev tcp6/80 to srv, reply data"
	assert_through "admin tcp/22 to dev, reply data"
	assert_through "admin tcp6/22 to dev, reply data"
	assert_through "dev udp/53 to srv (DNS), answer"
	assert_through "dev udp6/53 to srv (DNS), answer"
	assert_through "dev tcp/53 to srv (DNS)"
}

@test "stateless: strangers, other ports and the wrong direction are dropped" {
	run in_topology '
		for a in 0.0.0.0 ::; do
			ns_tcp_server dev $a 22
			ns_tcp_server dev $a 23
			ns_tcp_server srv $a 81
			ns_tcp_server srv $a 22
			ns_tcp_server admin $a 22
			ns_tcp_server stranger $a 80
			topo_udp_server stranger $a 53
		done
		topo_compare "
			stranger tcp/22 to dev    | can_tcp stranger $DEV4 22 dev-22
			stranger tcp6/22 to dev   | can_tcp stranger $DEV6 22 dev-22
			stranger ping dev         | can_ping stranger $DEV4
			dev tcp/80 to stranger    | can_tcp dev $STRANGER4 80 stranger-80
			dev tcp6/80 to stranger   | can_tcp dev $STRANGER6 80 stranger-80
			dev udp/53 to stranger    | can_udp dev $STRANGER4 53 stranger-53
			dev tcp/81 to srv         | can_tcp dev $SRV4 81 srv-81
			dev tcp/22 to admin       | can_tcp dev $ADMIN4 22 admin-22
			admin tcp/23 to dev       | can_tcp admin $DEV4 23 dev-23
			srv tcp/22 to dev         | can_tcp srv $DEV4 22 dev-22
			srv tcp6/22 to dev        | can_tcp srv $DEV6 22 dev-22"'
	assert_success
	local p
	for p in "stranger tcp/22 to dev" "stranger tcp6/22 to dev" "stranger ping dev" \
		"dev tcp/80 to stranger" "dev tcp6/80 to stranger" "dev udp/53 to stranger" \
		"dev tcp/81 to srv" "dev tcp/22 to admin" "admin tcp/23 to dev" "srv tcp/22 to dev" "srv tcp6/22 to dev"; do
		assert_dropped "$p"
	done
}

@test "stateless: from the listed port a listed host reaches any port (documented), a stranger does not" {
	run in_topology '
		ns_tcp_server dev 0.0.0.0 5555
		ns_tcp_server dev :: 5555
		topo_udp_sink dev 9999 /run/sink
		# arrives SRC PAYLOAD: a datagram from SRC port 53 reaches dev udp/9999.
		arrives() {
			topo_udp_from "$1" 53 "$DEV4" 9999 "$2" && topo_wait_line /run/sink "$2" 1
		}
		topo_compare "
			srv tcp from port 80 to dev 5555       | can_tcp_from srv 80 $DEV4 5555 dev-5555
			srv tcp6 from port 80 to dev 5555      | can_tcp_from srv 80 $DEV6 5555 dev-5555
			stranger tcp from port 80 to dev 5555  | can_tcp_from stranger 80 $DEV4 5555 dev-5555
			srv udp from port 53 to dev 9999       | arrives srv srv-\$TOPO_PHASE
			stranger udp from port 53 to dev 9999  | arrives stranger stranger-\$TOPO_PHASE"'
	assert_success
	assert_through "srv tcp from port 80 to dev 5555"
	assert_through "srv tcp6 from port 80 to dev 5555"
	assert_dropped "stranger tcp from port 80 to dev 5555"
	assert_through "srv udp from port 53 to dev 9999"
	assert_dropped "stranger udp from port 53 to dev 9999"
}
