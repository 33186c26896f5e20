#!/bin/bash
# bench.sh - `make bench`: earlywall against the standard tools, measured
# side by side in one run on this machine. Prints a markdown table and
# writes build/bench/results.csv. Every figure is the median of repeated
# runs; every comparison is a ratio of figures from this same run. Each
# apply happens in a fresh network namespace. Targets are reported (met or
# MISSED), never asserted.
#
#   BENCH_RUNS=5 BENCH_SIZES="10 1000 10000" BENCH_PPS_SIZES="1 10 100 1000 10000"
#   BENCH_GEN_SIZES="1000 10000 40000"
#   BENCH_PACKETS=200000 BENCH_SEED_TIMEOUT=300 scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${BENCH_RUNS:-5}
SIZES=${BENCH_SIZES:-10 1000 10000}
PPS_SIZES=${BENCH_PPS_SIZES:-1 10 100 1000 10000}
GEN_SIZES=${BENCH_GEN_SIZES:-1000 10000 40000}
PACKETS=${BENCH_PACKETS:-200000}
SEED_TIMEOUT=${BENCH_SEED_TIMEOUT:-300}
OUT=build/bench
mkdir -p "$OUT"
CSV=$OUT/results.csv
echo "metric,entries,value,unit" >"$CSV"

note() { printf '%s\n' "$*" >&2; }
csv() { echo "$1,$2,$3,$4" >>"$CSV"; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (!NR) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ms() { awk -v us="$1" 'BEGIN { if (us == "n/a") print "n/a"; else printf "%.1f", us / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }

# N allowlist entries: N-1 TCP fillers, then udp/9@198.51.100.99 listed last.
entries() {
	local n=$1 i hosts=(192.0.2 203.0.113)
	for ((i = 0; i < n - 1; i++)); do
		printf 'tcp/%d@%s.%d ' $((1000 + i / 512)) "${hosts[i / 256 % 2]}" $((i % 256))
	done
	printf 'udp/9@198.51.100.99'
}

build() {
	local n=$1
	printf 'CONFIG_ALLOW_OUT="%s"\n' "$(entries "$n")" >"$OUT/n$n.config"
	# The same policy without connection tracking, to separate conntrack's
	# per-packet cost from the rule walk's.
	{ cat "$OUT/n$n.config"; echo "# CONFIG_STATEFUL is not set"; } >"$OUT/s$n.config"
	make -s O="$OUT/s$n" CONFIG="$OUT/s$n.config" >/dev/null
	make -s O="$OUT/n$n" CONFIG="$OUT/n$n.config" >/dev/null
	"$OUT/n$n/earlywall" print --ipv4 >"$OUT/n$n.v4"
	"$OUT/n$n/earlywall" print --ipv6 >"$OUT/n$n.v6"
	{
		echo "flush ruleset"
		iptables-restore-translate -f "$OUT/n$n.v4" | sed -e '/^#/d' -e 's/ counter//'
		ip6tables-restore-translate -f "$OUT/n$n.v6" | sed -e '/^#/d' -e 's/ counter//'
	} >"$OUT/n$n.nft"
	{
		for f in 4 6; do
			cmd=iptables-legacy
			[ "$f" = 6 ] && cmd=ip6tables-legacy
			sed -n -e "s/^:\([A-Z]*\) \([A-Z]*\) .*/$cmd -P \1 \2/p" -e "s/^-A /$cmd -A /p" "$OUT/n$n.v$f"
		done
	} >"$OUT/n$n.seed.sh"
}

# Microseconds a command takes in a fresh network namespace.
# shellcheck disable=SC2016 # expanded by the inner shell, on purpose
timed() {
	unshare --net -- bash -c 't0=$(date +%s%N); "$@" >/dev/null 2>&1 || exit 1
		echo $(( ($(date +%s%N) - t0) / 1000 ))' _ "$@"
}

restore_both() { iptables-legacy-restore <"$1.v4" && ip6tables-legacy-restore <"$1.v6"; }
export -f restore_both

bench_apply() {
	local n=$1 base=$OUT/n$1 i ew=() commit=() rst=() nft=() rss=()
	for ((i = 0; i < RUNS; i++)); do
		ew+=("$(timed "$base/earlywall" apply)")
		commit+=("$(unshare --net -- "$base/earlywall" apply 2>&1 | sed -n 's/.*committed in \([0-9]*\) us/\1/p')")
		# shellcheck disable=SC2016 # expanded by the inner shell
		rst+=("$(timed bash -c 'restore_both "$1"' _ "$base")")
		nft+=("$(timed nft -f "$base.nft" || echo n/a)")
		rss+=("$(unshare --net -- /usr/bin/time -f %M "$base/earlywall" apply 2>&1 >/dev/null | tail -n1)")
	done
	EW[$n]=$(printf '%s\n' "${ew[@]}" | median)
	COMMIT[$n]=$(printf '%s\n' "${commit[@]}" | median)
	RESTORE[$n]=$(printf '%s\n' "${rst[@]}" | median)
	NFT[$n]=$(printf '%s\n' "${nft[@]}" | grep -v n/a | median)
	RSS[$n]=$(printf '%s\n' "${rss[@]}" | median)
	SEED[$n]=$(timeout "$SEED_TIMEOUT" bash -c "$(declare -f timed); timed bash '$base.seed.sh'" || echo n/a)
	csv earlywall_commit_in_process "$n" "${COMMIT[$n]}" us
	csv earlywall_apply_process "$n" "${EW[$n]}" us
	csv iptables_legacy_restore_both "$n" "${RESTORE[$n]}" us
	csv nft_f "$n" "${NFT[$n]}" us
	csv seed_recipe "$n" "${SEED[$n]}" us
	csv earlywall_apply_peak_rss "$n" "${RSS[$n]}" KiB
}

# Packets per second from dev to the destination listed last, over a veth
# with a static neighbour entry; $2 = apply the policy or not.
# shellcheck disable=SC2016 # expanded by the inner shell, on purpose
pps_once() {
	unshare --net -- bash -c '
		ip link set lo up
		ip link add veth0 type veth peer name veth1
		ip link set veth0 up && ip link set veth1 up
		ip addr add 198.51.100.1/24 dev veth0
		ip neigh add 198.51.100.99 lladdr 02:00:00:00:00:99 dev veth0 nud permanent
		if [ "$2" = yes ]; then "$1" apply 2>/dev/null || exit 1; fi
		"$3" 198.51.100.99 9 "$4"' _ "$1" "$2" "$OUT/udpflood" "$PACKETS"
}

bench_pps() {
	local n=$1 fw=$2 i v=() dir=${3:-n}
	for ((i = 0; i < 3; i++)); do
		v+=("$(pps_once "$OUT/$dir$n/earlywall" "$fw")")
	done
	printf '%s\n' "${v[@]}" | median
}

size_of() { if [ -f "$1" ]; then stat -c %s "$1"; else echo n/a; fi; }

# Milliseconds the generator takes for N IPv6 ALLOW_OUT hosts, ALLOW_PING
# $2 (y or n): it must stay linear in the number of entries.
gen_ms() {
	local n=$1 ping=$2 c="$OUT/gen-$1-$2.config" start
	{
		echo "CONFIG_IPV6_FILTER=y"
		echo "# CONFIG_IPV6_DROP_ALL is not set"
		echo "CONFIG_ALLOW_PING=$ping"
		awk -v n="$n" 'BEGIN { printf "CONFIG_ALLOW_OUT=\""
			for (i = 0; i < n; i++) printf "%s2001:db8:%x:%x::1", i ? " " : "", int(i / 65536), i % 65536
			print "\"" }'
	} >"$c"
	make -s O="$OUT/gen-$n-$ping" CONFIG="$c" "$OUT/gen-$n-$ping/config" >/dev/null
	start=$(date +%s%N)
	build/host/ewgen "$c" "$OUT/gen-$n-$ping/config" "$OUT/gen-$n-$ping" 2>/dev/null
	echo $((($(date +%s%N) - start) / 1000000))
}

bench_gen() {
	local n p
	for n in $GEN_SIZES; do
		for p in y n; do
			GEN[$n$p]=$(gen_ms "$n" "$p")
			csv generator_ping_$p "$n" "${GEN[$n$p]}" ms
		done
	done
}

main() {
	declare -gA EW COMMIT RESTORE NFT SEED RSS PPS GEN
	note "bench: building (x86_64, and aarch64/armhf when their cross compilers exist)"
	make -s >/dev/null
	SIZE_X86=$(size_of build/earlywall)
	SIZE_A64=n/a SIZE_ARM=n/a
	if command -v aarch64-linux-gnu-gcc >/dev/null && [ -f /usr/lib/aarch64-linux-musl/musl-gcc.specs ]; then
		make -s CROSS_COMPILE=aarch64-linux-gnu- O=build/aarch64 >/dev/null && SIZE_A64=$(size_of build/aarch64/earlywall)
	fi
	if command -v arm-linux-gnueabihf-gcc >/dev/null && [ -f /usr/lib/arm-linux-musleabihf/musl-gcc.specs ]; then
		make -s CROSS_COMPILE=arm-linux-gnueabihf- O=build/armhf >/dev/null && SIZE_ARM=$(size_of build/armhf/earlywall)
	fi
	csv size_x86_64 - "$SIZE_X86" bytes
	csv size_aarch64 - "$SIZE_A64" bytes
	csv size_armhf - "$SIZE_ARM" bytes
	gcc -O2 -Wall -Wextra -Werror -o "$OUT/udpflood" tests/tools/udpflood.c
	local n
	# shellcheck disable=SC2086 # word lists
	for n in $(printf '%s\n' $SIZES $PPS_SIZES | sort -nu); do
		note "bench: generating and building a policy of $n entries"
		build "$n"
	done
	for n in $SIZES; do
		note "bench: apply, $n entries ($RUNS runs each)"
		bench_apply "$n"
	done
	note "bench: the generator at $GEN_SIZES entries, ALLOW_PING on and off"
	bench_gen
	note "bench: per-packet cost ($PACKETS packets, 3 runs each)"
	PPS[none]=$(bench_pps "${PPS_SIZES%% *}" no)
	csv pps_no_firewall - "${PPS[none]}" pps
	for n in $PPS_SIZES; do
		PPS[$n]=$(bench_pps "$n" yes)
		PPS[s$n]=$(bench_pps "$n" yes s)
		csv pps "$n" "${PPS[$n]}" pps
		csv pps_stateless "$n" "${PPS[s$n]}" pps
	done
	report
}

verdict() { if [ "$1" = 1 ]; then echo met; else echo MISSED; fi; }

report() {
	local n last
	printf '\n## earlywall bench (%s, %s cores, kernel %s)\n\n' "$(uname -m)" "$(nproc)" "$(uname -r)"
	printf '| apply, median of %s runs, fresh netns | %s |\n|---|%s\n' "$RUNS" \
		"$(for n in $SIZES; do printf '%s entries | ' "$n"; done | sed 's/ | $//')" \
		"$(for n in $SIZES; do printf -- '---|'; done)"
	printf '| earlywall commit, in-process (ms) |'; for n in $SIZES; do printf ' %s |' "$(ms "${COMMIT[$n]}")"; done; echo
	printf '| earlywall apply, whole process (ms) |'; for n in $SIZES; do printf ' %s |' "$(ms "${EW[$n]}")"; done; echo
	printf '| iptables-legacy-restore + ip6tables-legacy-restore (ms) |'; for n in $SIZES; do printf ' %s |' "$(ms "${RESTORE[$n]}")"; done; echo
	printf '| earlywall / restore |'; for n in $SIZES; do printf ' %s |' "$(ratio "${EW[$n]}" "${RESTORE[$n]}")"; done; echo
	printf '| nft -f, equivalent ruleset (ms) |'; for n in $SIZES; do printf ' %s |' "$(ms "${NFT[$n]}")"; done; echo
	printf '| seed recipe, one iptables process per rule (ms) |'; for n in $SIZES; do printf ' %s |' "$(ms "${SEED[$n]}")"; done; echo
	printf '| earlywall apply peak RSS (KiB) |'; for n in $SIZES; do printf ' %s |' "${RSS[$n]}"; done; echo
	printf '\n| allowlist entries (destination listed last) | packets/s | vs no firewall | packets/s, STATEFUL off | vs no firewall |\n|---|---|---|---|---|\n'
	printf '| no firewall | %s | 1.00 | | |\n' "${PPS[none]}"
	for n in $PPS_SIZES; do
		printf '| %s | %s | %s | %s | %s |\n' "$n" "${PPS[$n]}" "$(ratio "${PPS[$n]}" "${PPS[none]}")" \
			"${PPS[s$n]}" "$(ratio "${PPS[s$n]}" "${PPS[none]}")"
	done
	printf '\n| generator, IPv6 ALLOW_OUT hosts | %s |\n|---|%s\n' \
		"$(for n in $GEN_SIZES; do printf '%s entries | ' "$n"; done | sed 's/ | $//')" \
		"$(for n in $GEN_SIZES; do printf -- '---|'; done)"
	printf '| ALLOW_PING=y (ms) |'; for n in $GEN_SIZES; do printf ' %s |' "${GEN[${n}y]}"; done; echo
	printf '| ALLOW_PING=n (ms) |'; for n in $GEN_SIZES; do printf ' %s |' "${GEN[${n}n]}"; done; echo
	printf '\n| binary, stripped | bytes |\n|---|---|\n| x86_64 | %s |\n| aarch64 | %s |\n| armhf | %s |\n' \
		"$SIZE_X86" "$SIZE_A64" "$SIZE_ARM"
	last=${SIZES##* }
	printf '\n| target | measured | verdict |\n|---|---|---|\n'
	printf '| x86_64 binary under 100 KiB | %s bytes | %s |\n' "$SIZE_X86" \
		"$(verdict "$([ "$SIZE_X86" != n/a ] && [ "$SIZE_X86" -lt 102400 ] && echo 1)")"
	printf '| apply at %s entries at most half of iptables-legacy-restore | %s | %s |\n' "$last" \
		"$(ratio "${EW[$last]}" "${RESTORE[$last]}")" \
		"$(verdict "$(awk -v a="${EW[$last]}" -v b="${RESTORE[$last]}" 'BEGIN { print (b > 0 && a <= b / 2) }')")"
	if [ -n "${PPS[10]:-}" ]; then
		printf '| packet rate at 10 entries at least 95%% of no firewall | %s | %s |\n' \
			"$(ratio "${PPS[10]}" "${PPS[none]}")" \
			"$(verdict "$(awk -v a="${PPS[10]}" -v b="${PPS[none]}" 'BEGIN { print (b > 0 && a >= 0.95 * b) }')")"
	fi
	printf '\nCSV: %s\n' "$CSV"
}

main "$@"
