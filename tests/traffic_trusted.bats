#!/usr/bin/env bats
# traffic_trusted.bats - TRUSTED_HOSTS on real packets. A host trusted without
# a protocol talks to dev and dev to it, both ways, over TCP, UDP and ICMP; a
# host trusted as tcp/8080@ gets tcp port 8080 both ways and nothing else; a
# stranger gets nothing either way. Config: tests/traffic/trusted.config
# (trusted 192.0.2.10, tcp/8080@admin 192.0.2.20). Each case runs in a fresh
# topology (tests/topology.bash); every probe runs first without a firewall,
# where it must get through, then after `earlywall apply` in dev.

# The snippets are single-quoted on purpose: in_topology expands them inside
# the namespaces.
# shellcheck disable=SC2016

load helpers
load topology

setup() {
	ew_build traffic-trusted tests/traffic/trusted.config
}

@test "trusted host: TCP, UDP and ping get through in both directions" {
	run in_topology '
		ns_tcp_server dev 0.0.0.0 22
		topo_udp_server dev 0.0.0.0 53
		ns_tcp_server trusted 0.0.0.0 22
		topo_udp_server trusted 0.0.0.0 53
		topo_compare "
			trusted tcp/22 to dev  | can_tcp trusted $DEV4 22 dev-22
			trusted udp/53 to dev  | can_udp trusted $DEV4 53 dev-53
			trusted ping dev       | can_ping trusted $DEV4
			dev tcp/22 to trusted  | can_tcp dev $TRUSTED4 22 trusted-22
			dev udp/53 to trusted  | can_udp dev $TRUSTED4 53 trusted-53
			dev ping trusted       | can_ping dev $TRUSTED4"'
	assert_success
	assert_through "trusted tcp/22 to dev"
	assert_through "trusted udp/53 to dev"
	assert_through "trusted ping dev"
	assert_through "dev tcp/22 to trusted"
	assert_through "dev udp/53 to trusted"
	assert_through "dev ping trusted"
}

@test "stranger: TCP, UDP and ping are dropped in both directions" {
	run in_topology '
		ns_tcp_server dev 0.0.0.0 22
		topo_udp_server dev 0.0.0.0 53
		ns_tcp_server stranger 0.0.0.0 22
		topo_udp_server stranger 0.0.0.0 53
		topo_compare "
			stranger tcp/22 to dev  | can_tcp stranger $DEV4 22 dev-22
			stranger udp/53 to dev  | can_udp stranger $DEV4 53 dev-53
			stranger ping dev       | can_ping stranger $DEV4
			dev tcp/22 to stranger  | can_tcp dev $STRANGER4 22 stranger-22
			dev udp/53 to stranger  | can_udp dev $STRANGER4 53 stranger-53
			dev ping stranger       | can_ping dev $STRANGER4"'
	assert_success
	assert_dropped "stranger tcp/22 to dev"
	assert_dropped "stranger udp/53 to dev"
	assert_dropped "stranger ping dev"
	assert_dropped "dev tcp/22 to stranger"
	assert_dropped "dev udp/53 to stranger"
	assert_dropped "dev ping stranger"
}

@test "tcp/8080@host: only tcp port 8080 gets through, in both directions" {
	run in_topology '
		for ns in dev admin; do
			ns_tcp_server $ns 0.0.0.0 8080
			ns_tcp_server $ns 0.0.0.0 22
			topo_udp_server $ns 0.0.0.0 8080
		done
		topo_compare "
			admin tcp/8080 to dev  | can_tcp admin $DEV4 8080 dev-8080
			admin tcp/22 to dev    | can_tcp admin $DEV4 22 dev-22
			admin udp/8080 to dev  | can_udp admin $DEV4 8080 dev-8080
			admin ping dev         | can_ping admin $DEV4
			dev tcp/8080 to admin  | can_tcp dev $ADMIN4 8080 admin-8080
			dev tcp/22 to admin    | can_tcp dev $ADMIN4 22 admin-22
			dev udp/8080 to admin  | can_udp dev $ADMIN4 8080 admin-8080
			dev ping admin         | can_ping dev $ADMIN4"'
	assert_success
	assert_through "admin tcp/8080 to dev"
	assert_dropped "admin tcp/22 to dev"
	assert_dropped "admin udp/8080 to dev"
	assert_dropped "admin ping dev"
	assert_through "dev tcp/8080 to admin"
	assert_dropped "dev tcp/22 to admin"
	assert_dropped "dev udp/8080 to admin"
	assert_dropped "dev ping admin"
}
