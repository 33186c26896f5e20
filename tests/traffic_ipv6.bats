#!/usr/bin/env bats
# traffic_ipv6.bats - IPv6 on real packets.
# IPV6_DROP_ALL (tests/traffic/ipv6_drop_all.config): no IPv6 packet gets in
# or out, not even for the hosts listed with IPv6 addresses (those entries are
# ignored), while their IPv4 twins work; no SLAAC either.
# IPV6_FILTER (tests/traffic/ipv6_filter.config: trusted 2001:db8::10,
# tcp/80@srv 2001:db8::2 out, tcp/22@admin 2001:db8::20 in, ping on): the IPv6
# entries work like the IPv4 ones and a stranger is dropped; neighbour
# discovery is real (no static entries: every neighbour cache is flushed, then
# hosts connect, and dev must have resolved them), and dev autoconfigures an
# address (SLAAC) from a router's advertisements (dnsmasq in namespace rtr)
# under the lockdown. Each case runs in a fresh topology (tests/topology.bash);
# every probe runs first without a firewall, then after `earlywall apply`.

# The snippets are single-quoted on purpose: in_topology expands them inside
# the namespaces.
# shellcheck disable=SC2016

load helpers
load topology

@test "IPV6_DROP_ALL: nothing IPv6 in or out, even for listed hosts; their IPv4 twins work" {
	ew_build traffic-ipv6_drop_all tests/traffic/ipv6_drop_all.config
	run in_topology '
		for ns in dev trusted; do ns_tcp_server $ns :: 22; ns_tcp_server $ns 0.0.0.0 22; done
		ns_tcp_server srv :: 80
		ns_tcp_server srv 0.0.0.0 80
		topo_udp_server srv :: 53
		topo_compare "
			trusted tcp6/22 to dev   | can_tcp trusted $DEV6 22 dev-22
			trusted ping6 dev        | can_ping trusted $DEV6
			dev tcp6/22 to trusted   | can_tcp dev $TRUSTED6 22 trusted-22
			dev ping6 trusted        | can_ping dev $TRUSTED6
			dev tcp6/80 to srv       | can_tcp dev $SRV6 80 srv-80
			dev udp6/53 to srv (DNS) | can_udp dev $SRV6 53 srv-53
			dev ping6 srv            | can_ping dev $SRV6
			admin tcp6/22 to dev     | can_tcp admin $DEV6 22 dev-22
			admin ping6 dev          | can_ping admin $DEV6
			stranger tcp6/22 to dev  | can_tcp stranger $DEV6 22 dev-22
			trusted tcp/22 to dev    | can_tcp trusted $DEV4 22 dev-22
			dev tcp/80 to srv        | can_tcp dev $SRV4 80 srv-80
			admin tcp/22 to dev      | can_tcp admin $DEV4 22 dev-22"'
	assert_success
	local p
	for p in "trusted tcp6/22 to dev" "trusted ping6 dev" "dev tcp6/22 to trusted" \
		"dev ping6 trusted" "dev tcp6/80 to srv" "dev udp6/53 to srv (DNS)" "dev ping6 srv" \
		"admin tcp6/22 to dev" "admin ping6 dev" "stranger tcp6/22 to dev"; do
		assert_dropped "$p"
	done
	assert_through "trusted tcp/22 to dev"
	assert_through "dev tcp/80 to srv"
	assert_through "admin tcp/22 to dev"
}

@test "IPV6_FILTER: IPv6 entries work like IPv4 ones, strangers are dropped" {
	ew_build traffic-ipv6_filter tests/traffic/ipv6_filter.config
	run in_topology '
		for ns in dev trusted; do ns_tcp_server $ns :: 22; topo_udp_server $ns :: 53; done
		ns_tcp_server dev :: 23
		ns_tcp_server dev 0.0.0.0 22
		for ns in srv stranger; do ns_tcp_server $ns :: 80; ns_tcp_server $ns :: 81; done
		topo_compare "
			trusted tcp6/22 to dev   | can_tcp trusted $DEV6 22 dev-22
			trusted udp6/53 to dev   | can_udp trusted $DEV6 53 dev-53
			trusted ping6 dev        | can_ping trusted $DEV6
			dev tcp6/22 to trusted   | can_tcp dev $TRUSTED6 22 trusted-22
			dev udp6/53 to trusted   | can_udp dev $TRUSTED6 53 trusted-53
			dev ping6 trusted        | can_ping dev $TRUSTED6
			dev tcp6/80 to srv       | can_tcp dev $SRV6 80 srv-80
			dev tcp6/81 to srv       | can_tcp dev $SRV6 81 srv-81
			dev ping6 srv            | can_ping dev $SRV6
			srv tcp6/22 to dev       | can_tcp srv $DEV6 22 dev-22
			admin tcp6/22 to dev     | can_tcp admin $DEV6 22 dev-22
			admin tcp6/23 to dev     | can_tcp admin $DEV6 23 dev-23
			admin ping6 dev          | can_ping admin $DEV6
			dev ping6 admin          | can_ping dev $ADMIN6
			stranger tcp6/22 to dev  | can_tcp stranger $DEV6 22 dev-22
			stranger ping6 dev       | can_ping stranger $DEV6
			dev tcp6/80 to stranger  | can_tcp dev $STRANGER6 80 stranger-80
			dev ping6 stranger       | can_ping dev $STRANGER6
			trusted tcp/22 to dev    | can_tcp trusted $DEV4 22 dev-22"'
	assert_success
	assert_through "trusted tcp6/22 to dev"
	assert_through "trusted udp6/53 to dev"
	assert_through "trusted ping6 dev"
	assert_through "dev tcp6/22 to trusted"
	assert_through "dev udp6/53 to trusted"
	assert_through "dev ping6 trusted"
	assert_through "dev tcp6/80 to srv"
	assert_dropped "dev tcp6/81 to srv"
	assert_through "dev ping6 srv"
	assert_dropped "srv tcp6/22 to dev"
	assert_through "admin tcp6/22 to dev"
	assert_dropped "admin tcp6/23 to dev"
	assert_through "admin ping6 dev"
	assert_dropped "dev ping6 admin"
	assert_dropped "stranger tcp6/22 to dev"
	assert_dropped "stranger ping6 dev"
	assert_dropped "dev tcp6/80 to stranger"
	assert_dropped "dev ping6 stranger"
	# Only trusted's IPv6 address is listed.
	assert_dropped "trusted tcp/22 to dev"
}

@test "IPV6_FILTER: neighbour discovery resolves neighbours under the lockdown" {
	ew_build traffic-ipv6_filter tests/traffic/ipv6_filter.config
	run in_topology '
		ns_tcp_server dev :: 22
		ns_tcp_server srv :: 80
		flush() {
			local ns
			for ns in dev trusted admin srv; do ns_ip $ns -6 neigh flush all || return 1; done
			[ -z "$(ns_ip dev -6 neigh show to 2001:db8::/64)" ]
		}
		resolved() { # resolved ADDR: dev has a link-layer address for ADDR
			ns_ip dev -6 neigh show "$1" | grep -q lladdr
		}
		for phase in 1 2; do
			[ $phase = 1 ] || topo_apply
			probe "neighbour caches flushed" flush
			probe "trusted tcp6/22 to dev after the flush" can_tcp trusted $DEV6 22 dev-22
			probe "admin tcp6/22 to dev after the flush" can_tcp admin $DEV6 22 dev-22
			probe "dev tcp6/80 to srv after the flush" can_tcp dev $SRV6 80 srv-80
			probe "dev resolved trusted" resolved $TRUSTED6
			probe "dev resolved admin" resolved $ADMIN6
			probe "dev resolved srv" resolved $SRV6
		done
		ns_ip dev -6 neigh'
	assert_success
	assert_through "neighbour caches flushed"
	assert_through "trusted tcp6/22 to dev after the flush"
	assert_through "admin tcp6/22 to dev after the flush"
	assert_through "dev tcp6/80 to srv after the flush"
	assert_through "dev resolved trusted"
	assert_through "dev resolved admin"
	assert_through "dev resolved srv"
}

# slaac APPLY: rtr advertises 2001:db8:ac::/64; with APPLY=1 earlywall is
# applied first. Prints "PHASE dev autoconfigures from the RA: through|dropped".
slaac() {
	TOPO_EXTRA=rtr in_topology '
		[ "$1" = 0 ] || topo_apply
		topo_ra rtr 2001:db8:ac::
		probe "dev autoconfigures from the RA" topo_wait_addr dev eth0 2001:db8:ac::/64 4
		ns_ip dev -6 addr show dev eth0 scope global' "$1"
}

@test "IPV6_FILTER: SLAAC gives dev an address under the lockdown" {
	ew_build traffic-ipv6_filter tests/traffic/ipv6_filter.config
	run slaac 0
	assert_success
	assert_line "open dev autoconfigures from the RA: through"
	run slaac 1
	assert_success
	assert_line "ew dev autoconfigures from the RA: through"
}

@test "IPV6_DROP_ALL: no SLAAC, the router advertisements are dropped" {
	ew_build traffic-ipv6_drop_all tests/traffic/ipv6_drop_all.config
	run slaac 0
	assert_success
	assert_line "open dev autoconfigures from the RA: through"
	run slaac 1
	assert_success
	assert_line "ew dev autoconfigures from the RA: dropped"
}

# mld APPLY: a snooping switch (the MLD querier), dev's addresses added only
# after earlywall (with APPLY=1) is in force, as at boot; then trusted and
# admin connect to dev over IPv6.
mld() {
	TOPO_MLD_SNOOPING=1 TOPO_CIDRS_dev="" in_topology '
		[ "$1" = 0 ] || topo_apply
		ns_addr dev eth0 "$DEV4/24" "$DEV6/64"
		ns_tcp_server dev :: 22
		sleep 2 # the switch has sent its queries by now
		probe "trusted tcp6/22 to dev via a snooping switch" can_tcp trusted $DEV6 22 dev-22
		probe "admin tcp6/22 to dev via a snooping switch" can_tcp admin $DEV6 22 dev-22
		bridge -n switch mdb show' "$1"
}

@test "IPV6_FILTER: dev is reachable over IPv6 behind an MLD-snooping switch" {
	# IPV6_FILTER must keep MLD open (130 query, 131/132/143 reports), or dev
	# never reports its solicited-node groups, a snooping switch never
	# forwards the neighbour solicitations for dev's addresses to dev, and
	# nobody can open an IPv6 connection to dev.
	ew_build traffic-ipv6_filter tests/traffic/ipv6_filter.config
	run mld 0
	assert_success
	assert_line "open trusted tcp6/22 to dev via a snooping switch: through"
	assert_line "open admin tcp6/22 to dev via a snooping switch: through"
	run mld 1
	assert_success
	assert_line "ew trusted tcp6/22 to dev via a snooping switch: through"
	assert_line "ew admin tcp6/22 to dev via a snooping switch: through"
}
