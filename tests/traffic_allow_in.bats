#!/usr/bin/env bats
# traffic_allow_in.bats - ALLOW_IN on real packets. The listed source connects
# to the listed port on dev and gets its answer back; other ports, other
# protocols and other sources on that port are dropped; a prefix entry covers
# every host inside it; dev cannot open connections to the listed sources.
# Config: tests/traffic/allow_in.config (tcp/22 from admin 192.0.2.20, udp/161
# from 192.0.2.16/28; a second host admin2, 192.0.2.30, is inside the /28
# too). Each case runs in a fresh topology (tests/topology.bash); every probe
# runs first without a firewall, where it must get through, then after
# `earlywall apply` in dev.

# The snippets are single-quoted on purpose: in_topology expands them inside
# the namespaces.
# shellcheck disable=SC2016

load helpers
load topology

setup() {
	ew_build traffic-allow_in tests/traffic/allow_in.config
}

# dev's services for every case: tcp 22, 23, 161 and udp 161, 162.
DEV_SERVERS='
	for p in 22 23 161; do ns_tcp_server dev 0.0.0.0 $p; done
	for p in 161 162; do topo_udp_server dev 0.0.0.0 $p; done
'

@test "the listed source reaches the listed ports, and nothing else" {
	run in_topology "$DEV_SERVERS"'
		topo_compare "
			admin tcp/22 to dev, reply data  | can_tcp admin $DEV4 22 dev-22
			admin udp/161 to dev, answer     | can_udp admin $DEV4 161 dev-161
			admin tcp/23 to dev              | can_tcp admin $DEV4 23 dev-23
			admin tcp/161 to dev             | can_tcp admin $DEV4 161 dev-161
			admin udp/162 to dev             | can_udp admin $DEV4 162 dev-162
			admin ping dev                   | can_ping admin $DEV4"'
	assert_success
	assert_through "admin tcp/22 to dev, reply data"
	assert_through "admin udp/161 to dev, answer"
	assert_dropped "admin tcp/23 to dev"
	assert_dropped "admin tcp/161 to dev"
	assert_dropped "admin udp/162 to dev"
	assert_dropped "admin ping dev"
}

@test "other sources are dropped on the listed ports; a prefix covers its hosts" {
	TOPO_EXTRA=admin2 TOPO_CIDRS_admin2="192.0.2.30/24 2001:db8::30/64" \
		run in_topology "$DEV_SERVERS"'
		topo_compare "
			stranger tcp/22 to dev         | can_tcp stranger $DEV4 22 dev-22
			stranger udp/161 to dev        | can_udp stranger $DEV4 161 dev-161
			trusted tcp/22 to dev          | can_tcp trusted $DEV4 22 dev-22
			trusted udp/161 to dev         | can_udp trusted $DEV4 161 dev-161
			admin2 udp/161 to dev (in /28) | can_udp admin2 $DEV4 161 dev-161
			admin2 tcp/22 to dev           | can_tcp admin2 $DEV4 22 dev-22"'
	assert_success
	assert_dropped "stranger tcp/22 to dev"
	assert_dropped "stranger udp/161 to dev"
	assert_dropped "trusted tcp/22 to dev"
	assert_dropped "trusted udp/161 to dev"
	assert_through "admin2 udp/161 to dev (in /28)"
	assert_dropped "admin2 tcp/22 to dev"
}

@test "dev cannot open connections to a listed source" {
	run in_topology '
		ns_tcp_server admin 0.0.0.0 22
		topo_udp_server admin 0.0.0.0 161
		topo_udp_server dev 0.0.0.0 9999
		topo_compare "
			dev tcp/22 to admin                  | can_tcp dev $ADMIN4 22 admin-22
			dev udp/161 to admin                 | can_udp dev $ADMIN4 161 admin-161
			dev ping admin                       | can_ping dev $ADMIN4
			admin udp from port 161 to dev 9999  | can_udp_from admin 161 $DEV4 9999 dev-9999"'
	assert_success
	assert_dropped "dev tcp/22 to admin"
	assert_dropped "dev udp/161 to admin"
	assert_dropped "dev ping admin"
	assert_dropped "admin udp from port 161 to dev 9999"
}
