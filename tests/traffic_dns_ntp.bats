#!/usr/bin/env bats
# shellcheck disable=SC2016 # the snippets are expanded inside the namespaces
# traffic_dns_ntp.bats - DNS_SERVERS and NTP_SERVERS against real servers:
# the device reaches exactly the resolvers and time servers it lists.
#
# Each case runs in a fresh set of private namespaces (tests/topology.bash:
# one L2 segment, documentation addresses). srv (192.0.2.2, 2001:db8::2) is
# listed in both options of tests/traffic/services_dns_ntp*.config; srv2
# (192.0.2.3, 2001:db8::3) runs the same servers and is listed nowhere. The
# servers are real (tests/services.bash): dnsmasq as a resolver that answers
# example.test with 192.0.2.99 on srv and 192.0.2.98 on srv2, and chronyd as
# an NTP server; the clients are dig (udp and +tcp) and chronyd -Q (an
# ntpdate-style query that never sets the clock). Every probe is run once
# without a firewall (all must answer: the baseline) and once after
# `earlywall apply` in dev. What is proven:
#   - the listed resolver answers over udp and tcp, IPv4 and (IPV6_FILTER)
#     IPv6; the unlisted one times out;
#   - the listed NTP server gives time, IPv4 and IPv6; the unlisted one is
#     dropped;
#   - the same with STATEFUL=n, where the answers get in by the mirrored
#     INPUT rules only;
#   - only udp/tcp 53 and udp 123 are opened, only outwards;
#   - with IPV6_DROP_ALL the IPv6 entries are ignored: IPv6 stays dropped.

load helpers
load topology
load services

setup() {
	export TOPO_HOSTS="dev srv srv2"
}

# Start both resolvers and both NTP servers (inside a snippet).
SERVERS='
	svc_dns_server srv 192.0.2.99 $SRV4 $SRV6 &&
	svc_dns_server srv2 192.0.2.98 $SRV2_4 $SRV2_6 &&
	svc_ntp_server srv $SRV4 $SRV6 &&
	svc_ntp_server srv2 $SRV2_4 $SRV2_6 || exit 97'

PROBES='
	dns udp listed       | can_dns dev $SRV4 192.0.2.99
	dns tcp listed       | can_dns dev $SRV4 192.0.2.99 tcp
	dns udp unlisted     | can_dns dev $SRV2_4 192.0.2.98
	dns tcp unlisted     | can_dns dev $SRV2_4 192.0.2.98 tcp
	dns6 udp listed      | can_dns dev $SRV6 192.0.2.99
	dns6 tcp listed      | can_dns dev $SRV6 192.0.2.99 tcp
	dns6 udp unlisted    | can_dns dev $SRV2_6 192.0.2.98
	dns6 tcp unlisted    | can_dns dev $SRV2_6 192.0.2.98 tcp
	ntp listed           | can_ntp dev $SRV4
	ntp unlisted         | can_ntp dev $SRV2_4
	ntp6 listed          | can_ntp dev $SRV6
	ntp6 unlisted        | can_ntp dev $SRV2_6'

# compare_servers: start the servers, run PROBES without and with earlywall.
compare_servers() {
	run in_topology "
		. \"\$ROOT/tests/services.bash\"
		$SERVERS
		topo_compare \"\$1\"
		ns_exec dev \"\$EW\" verify >/dev/null && echo 'policy unchanged'" "$PROBES"
}

@test "DNS_SERVERS: the listed resolver answers over udp and tcp, the unlisted one times out (IPv4)" {
	ew_build services_dns_ntp tests/traffic/services_dns_ntp.config
	compare_servers
	assert_success
	assert_through "dns udp listed"
	assert_through "dns tcp listed"
	assert_dropped "dns udp unlisted"
	assert_dropped "dns tcp unlisted"
	assert_line "policy unchanged"
}

@test "DNS_SERVERS with IPV6_FILTER: the listed IPv6 resolver answers over udp and tcp, the unlisted one times out" {
	ew_build services_dns_ntp tests/traffic/services_dns_ntp.config
	compare_servers
	assert_success
	assert_through "dns6 udp listed"
	assert_through "dns6 tcp listed"
	assert_dropped "dns6 udp unlisted"
	assert_dropped "dns6 tcp unlisted"
}

@test "NTP_SERVERS: the listed server gives the time, the unlisted one is dropped (IPv4 and IPv6)" {
	ew_build services_dns_ntp tests/traffic/services_dns_ntp.config
	compare_servers
	assert_success
	assert_through "ntp listed"
	assert_dropped "ntp unlisted"
	assert_through "ntp6 listed"
	assert_dropped "ntp6 unlisted"
}

@test "STATEFUL=n: listed DNS and NTP servers still answer, by the mirrored rules; unlisted ones do not" {
	ew_build services_dns_ntp_stateless tests/traffic/services_dns_ntp_stateless.config
	compare_servers
	assert_success
	local p
	for p in "dns udp" "dns tcp" "dns6 udp" "dns6 tcp" ntp ntp6; do
		assert_through "$p listed"
		assert_dropped "$p unlisted"
	done
}

@test "IPV6_DROP_ALL: the IPv6 server entries are ignored, IPv6 stays dropped, IPv4 works" {
	ew_build services_dns_ntp_v6drop tests/traffic/services_dns_ntp_v6drop.config
	run "$EW" print --ipv6
	refute_output --partial 2001:db8::2
	compare_servers
	assert_success
	local p
	for p in "dns udp" "dns tcp" ntp; do
		assert_through "$p listed"
		assert_dropped "$p unlisted"
	done
	for p in "dns6 udp" "dns6 tcp" ntp6; do
		assert_dropped "$p listed"
		assert_dropped "$p unlisted"
	done
}

@test "the server lists open only udp+tcp 53 and udp 123 to the listed server, and nothing inwards" {
	ew_build services_dns_ntp tests/traffic/services_dns_ntp.config
	run in_topology '
		. "$ROOT/tests/services.bash"
		svc_sink srv 0.0.0.0 5353 && ns_tcp_server srv 0.0.0.0 853 &&
		svc_sink dev 0.0.0.0 53 && ns_tcp_server dev 0.0.0.0 53 &&
		svc_sink dev 0.0.0.0 123 && svc_sink dev 0.0.0.0 1053 || exit 97
		topo_compare "
			dev udp 5353 srv         | can_udp_from dev - $SRV4 5353 srv
			dev tcp 853 srv          | can_tcp dev $SRV4 853 srv-853
			srv udp 53 dev           | can_udp_from srv - $DEV4 53 dev
			srv tcp 53 dev           | can_tcp srv $DEV4 53 dev-53
			srv udp 123 dev          | can_udp_from srv - $DEV4 123 dev
			srv udp from 53 to 1053  | can_udp_from srv 53 $DEV4 1053 dev
			srv udp from 123 to 123  | can_udp_from srv 123 $DEV4 123 dev"'
	assert_success
	assert_dropped "dev udp 5353 srv"
	assert_dropped "dev tcp 853 srv"
	assert_dropped "srv udp 53 dev"
	assert_dropped "srv tcp 53 dev"
	assert_dropped "srv udp 123 dev"
	assert_dropped "srv udp from 53 to 1053"
	assert_dropped "srv udp from 123 to 123"
}
