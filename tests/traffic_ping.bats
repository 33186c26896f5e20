#!/usr/bin/env bats
# traffic_ping.bats - ALLOW_PING on real packets. With it on, dev pings its
# ALLOW_OUT targets and the ALLOW_IN sources ping dev, but not the other way
# round, and a stranger's pings are dropped both ways. With it off those
# pings are dropped while TCP to the allowed ports still works, and a trusted
# host can ping either way regardless. Configs: tests/traffic/ping_on.config
# and ping_off.config (ALLOW_OUT tcp/80@srv 192.0.2.2, ALLOW_IN tcp/22@admin
# 192.0.2.20, trusted 192.0.2.10). Each case runs in a fresh topology
# (tests/topology.bash); every probe runs first without a firewall, where it
# must get through, then after `earlywall apply` in dev.

# The snippets are single-quoted on purpose: in_topology expands them inside
# the namespaces.
# shellcheck disable=SC2016

load helpers
load topology

PROBES='
	ns_tcp_server srv 0.0.0.0 80
	ns_tcp_server dev 0.0.0.0 22
	topo_compare "
		dev ping srv (ALLOW_OUT)      | can_ping dev $SRV4
		admin ping dev (ALLOW_IN)     | can_ping admin $DEV4
		srv ping dev                  | can_ping srv $DEV4
		dev ping admin                | can_ping dev $ADMIN4
		stranger ping dev             | can_ping stranger $DEV4
		dev ping stranger             | can_ping dev $STRANGER4
		trusted ping dev              | can_ping trusted $DEV4
		dev ping trusted              | can_ping dev $TRUSTED4
		dev tcp/80 to srv             | can_tcp dev $SRV4 80 srv-80
		admin tcp/22 to dev           | can_tcp admin $DEV4 22 dev-22"
'

@test "ALLOW_PING on: listed hosts ping in their direction; strangers are dropped" {
	ew_build traffic-ping_on tests/traffic/ping_on.config
	run in_topology "$PROBES"
	assert_success
	assert_through "dev ping srv (ALLOW_OUT)"
	assert_through "admin ping dev (ALLOW_IN)"
	assert_dropped "srv ping dev"
	assert_dropped "dev ping admin"
	assert_dropped "stranger ping dev"
	assert_dropped "dev ping stranger"
	assert_through "trusted ping dev"
	assert_through "dev ping trusted"
	assert_through "dev tcp/80 to srv"
	assert_through "admin tcp/22 to dev"
}

@test "ALLOW_PING off: the same pings are dropped, TCP to the allowed ports still works" {
	ew_build traffic-ping_off tests/traffic/ping_off.config
	run in_topology "$PROBES"
	assert_success
	assert_dropped "dev ping srv (ALLOW_OUT)"
	assert_dropped "admin ping dev (ALLOW_IN)"
	assert_dropped "srv ping dev"
	assert_dropped "dev ping admin"
	assert_dropped "stranger ping dev"
	assert_dropped "dev ping stranger"
	assert_through "trusted ping dev"
	assert_through "dev ping trusted"
	assert_through "dev tcp/80 to srv"
	assert_through "admin tcp/22 to dev"
}
