#!/usr/bin/env bats
# traffic_log.bats - LOG_DROPS on real packets. Dropped packets show in the
# kernel log with the prefixes "earlywall drop in: " and "earlywall drop out: ",
# rate-limited (5/min, burst 10: 30 drops quickly give at most 10-11 lines);
# accepted traffic is not logged; without LOG_DROPS nothing is logged.
# Configs: tests/traffic/log.config and nolog.config (trusted 192.0.2.10).
#
# Host-wide setting: the kernel logs netfilter LOG lines from namespaces other
# than the initial one only with net.netfilter.nf_log_all_netns=1. This suite
# sets it in setup_file and puts the previous value back in teardown_file
# (nothing else on the host is changed). It needs root in the initial user
# namespace (the sysctl, /dev/kmsg, dmesg) and is skipped otherwise. Each
# case writes a unique marker into the kernel log and only counts the lines
# after it that match its own addresses and ports, so other activity in the
# log does not matter.

# The snippets are single-quoted on purpose: in_topology expands them inside
# the namespaces.
# shellcheck disable=SC2016

load helpers
load topology

NF_LOG_ALL_NETNS=/proc/sys/net/netfilter/nf_log_all_netns

setup_file() {
	if [ "$(id -u)" = 0 ] && [ -w "$NF_LOG_ALL_NETNS" ]; then
		cat "$NF_LOG_ALL_NETNS" >"$BATS_FILE_TMPDIR/nf_log_all_netns"
		echo 1 >"$NF_LOG_ALL_NETNS"
	fi
}

teardown_file() {
	if [ -s "$BATS_FILE_TMPDIR/nf_log_all_netns" ]; then
		cat "$BATS_FILE_TMPDIR/nf_log_all_netns" >"$NF_LOG_ALL_NETNS"
	fi
}

setup() {
	[ -s "$BATS_FILE_TMPDIR/nf_log_all_netns" ] ||
		skip "needs root in the initial namespaces (net.netfilter.nf_log_all_netns)"
}

# The snippet for every case: 30 datagrams each way that earlywall drops
# (stranger -> dev udp/7001, dev -> stranger udp/7002) and 5 it accepts
# (trusted -> dev udp/7003), with UDP sinks counting what arrives; once
# without a firewall, once with. Prints the sinks' counts and the number of
# matching kernel log lines per phase.
TRAFFIC='
	topo_udp_sink dev 7001 /run/in
	topo_udp_sink stranger 7002 /run/out
	topo_udp_sink dev 7003 /run/trusted
	round() {
		local mark in out
		: >/run/in; : >/run/out; : >/run/trusted
		mark=$(topo_kmsg_mark) || return 1
		topo_send_udp stranger "$DEV4" 7001 30
		topo_send_udp dev "$STRANGER4" 7002 30
		topo_send_udp trusted "$DEV4" 7003 5
		sleep 0.5
		echo "$TOPO_PHASE dev received from stranger: $(wc -l </run/in)"
		echo "$TOPO_PHASE stranger received from dev: $(wc -l </run/out)"
		echo "$TOPO_PHASE dev received from trusted: $(wc -l </run/trusted)"
		topo_kmsg_since "$mark" >/run/log
		in=$(grep -c "earlywall drop in: IN=eth0 OUT= .*SRC=$STRANGER4 DST=$DEV4 .*PROTO=UDP .*DPT=7001 " /run/log)
		out=$(grep -c "earlywall drop out: IN= OUT=eth0 SRC=$DEV4 DST=$STRANGER4 .*PROTO=UDP .*DPT=7002 " /run/log)
		echo "$TOPO_PHASE log lines in: $in"
		echo "$TOPO_PHASE log lines out: $out"
		echo "$TOPO_PHASE log lines trusted: $(grep -c "earlywall drop .*SRC=$TRUSTED4 " /run/log)"
		echo "$TOPO_PHASE log lines any earlywall for these ports: $(grep -c "earlywall drop.*DPT=700[123] " /run/log)"
	}
	round
	topo_apply
	round
'

# log_lines PHASE DIRECTION: the count the snippet printed.
log_lines() {
	local l
	for l in "${lines[@]}"; do
		case $l in "$1 log lines $2: "*) echo "${l##*: }" ;; esac
	done
}

@test "LOG_DROPS: drops are logged both ways with the earlywall prefixes, rate-limited" {
	ew_build traffic-log tests/traffic/log.config
	run in_topology "$TRAFFIC"
	assert_success
	# Without a firewall everything arrives and nothing is logged.
	assert_line "open dev received from stranger: 30"
	assert_line "open stranger received from dev: 30"
	assert_line "open log lines any earlywall for these ports: 0"
	# With earlywall the drops are real ...
	assert_line "ew dev received from stranger: 0"
	assert_line "ew stranger received from dev: 0"
	assert_line "ew dev received from trusted: 5"
	# ... logged in both directions, but at most the burst of 10 (+1 if the
	# 12 s refill ticks) out of 30 ...
	local n
	for n in "$(log_lines ew in)" "$(log_lines ew out)"; do
		[ "$n" -ge 5 ] || fail "only $n log lines for 30 drops"
		[ "$n" -le 11 ] || fail "$n log lines for 30 drops: not rate-limited"
	done
	# ... and accepted traffic is not logged.
	assert_line "ew log lines trusted: 0"
}

@test "without LOG_DROPS the same drops leave no log lines" {
	ew_build traffic-nolog tests/traffic/nolog.config
	run in_topology "$TRAFFIC"
	assert_success
	assert_line "ew dev received from stranger: 0"
	assert_line "ew stranger received from dev: 0"
	assert_line "ew dev received from trusted: 5"
	assert_line "ew log lines any earlywall for these ports: 0"
}
