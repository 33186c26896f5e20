#!/bin/bash
# bench.sh - `make bench`: earlywall's two backends (nftables and libiptc)
# against the standard tools, measured side by side in one run on this
# machine. Prints a markdown table and writes build/bench/results.csv.
# Every figure is the median of repeated runs; every comparison is a ratio
# of figures from this same run. Each apply happens in a fresh network
# namespace. Targets are reported (met or MISSED), never asserted.
#
# Per size, three builds of the same policy: the default (BACKEND_AUTO,
# which must commit with nftables here: the apply log is checked), one
# with BACKEND_IPTABLES (libiptc), and the AUTO one without STATEFUL for
# the packet rate. `nft -f` loads the text of `print --nft`, and
# iptables-legacy-restore the text of `print --iptables`.
#
#   BENCH_RUNS=5 BENCH_SIZES="1 100 1000 10000" BENCH_PPS_SIZES="1 100 1000 10000"
#   BENCH_GEN_SIZES="1000 10000 40000"
#   BENCH_PACKETS=200000 BENCH_SEED_TIMEOUT=300 scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${BENCH_RUNS:-5}
SIZES=${BENCH_SIZES:-1 100 1000 10000}
PPS_SIZES=${BENCH_PPS_SIZES:-1 100 1000 10000}
GEN_SIZES=${BENCH_GEN_SIZES:-1000 10000 40000}
PACKETS=${BENCH_PACKETS:-200000}
SEED_TIMEOUT=${BENCH_SEED_TIMEOUT:-300}
DEFCONFIG=board/rpi/rpi_defconfig
OUT=build/bench
mkdir -p "$OUT"
CSV=$OUT/results.csv
echo "metric,entries,value,unit" >"$CSV"

note() { printf '%s\n' "$*" >&2; }
die() { note "bench: $*"; exit 1; }
csv() { echo "$1,$2,$3,$4" >>"$CSV"; }
# The median of the numbers on stdin (other lines are ignored), or n/a.
median() { awk '$1 ~ /^[0-9]+(\.[0-9]+)?$/' | sort -n | awk '{ v[NR] = $1 } END { if (!NR) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ms() { awk -v us="$1" 'BEGIN { if (us == "n/a") print "n/a"; else printf "%.1f", us / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || a == "" || b == "" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }
isnum() { [[ $1 =~ ^[0-9]+$ ]]; }
# Microseconds since the epoch, without forking (date(1) costs 2-5 ms here).
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo $((10#$t)); }

# N allowlist entries: N-1 TCP fillers, then udp/9@198.51.100.99 listed
# last. The fillers' hosts are two apart in 198.18.0.0/15 (RFC 2544's
# benchmarking range), so no two of them merge into one range: N entries
# are N elements of nftables' interval set as well as N libiptc rules.
entries() {
	local n=$1 i
	for ((i = 0; i < n - 1; i++)); do
		printf 'tcp/1000@198.%d.%d.%d ' $((18 + 2 * i / 65536)) $((2 * i / 256 % 256)) $((2 * i % 256))
	done
	printf 'udp/9@198.51.100.99'
}

# stdin to $1, only when it changed: an unchanged configuration is not
# rebuilt by the next run.
put() {
	local tmp=$1.tmp
	cat >"$tmp"
	if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; fi
}

# Builds of the policy of N entries: n (BACKEND_AUTO), x (BACKEND_IPTABLES),
# and, for the packet rate, s (AUTO without STATEFUL: conntrack's cost
# apart from the lookup's). The texts the standard tools load come from n.
build() {
	local n=$1 want_s=$2 v
	printf 'CONFIG_ALLOW_OUT="%s"\n' "$(entries "$n")" | put "$OUT/n$n.config"
	{ cat "$OUT/n$n.config"; echo "CONFIG_BACKEND_IPTABLES=y"; } | put "$OUT/x$n.config"
	make -s O="$OUT/n$n" CONFIG="$OUT/n$n.config" >/dev/null
	make -s O="$OUT/x$n" CONFIG="$OUT/x$n.config" >/dev/null
	if [ "$want_s" = yes ]; then
		{ cat "$OUT/n$n.config"; echo "# CONFIG_STATEFUL is not set"; } | put "$OUT/s$n.config"
		make -s O="$OUT/s$n" CONFIG="$OUT/s$n.config" >/dev/null
	fi
	"$OUT/n$n/earlywall" print --nft >"$OUT/n$n.nft"
	"$OUT/n$n/earlywall" print --iptables --ipv4 >"$OUT/n$n.v4"
	"$OUT/n$n/earlywall" print --iptables --ipv6 >"$OUT/n$n.v6"
	# The comparison holds only if nft -f and earlywall load the same
	# tables: what earlywall commits is what print --nft says.
	# shellcheck disable=SC2016 # expanded by the inner shell, on purpose
	v=$(unshare --net -- bash -c '"$1" apply 2>/dev/null && nft list ruleset' _ "$OUT/n$n/earlywall" |
		cmp -s - "$OUT/n$n.nft" && echo same || echo differs)
	[ "$v" = same ] || note "bench: warning: at $n entries, nft list ruleset after apply differs from print --nft"
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
	unshare --net -- bash -c 't0=${EPOCHREALTIME/[.,]/}; "$@" >/dev/null 2>&1 || exit 1
		t1=${EPOCHREALTIME/[.,]/}; echo $((10#$t1 - 10#$t0))' _ "$@"
}

# `earlywall apply` in a fresh network namespace: "WHOLE-PROCESS-US
# COMMIT-US", the second from its log line, which must name backend $2.
# shellcheck disable=SC2016 # expanded by the inner shell, on purpose
timed_apply() {
	local log=$OUT/apply.log t c
	t=$(unshare --net -- bash -c 't0=${EPOCHREALTIME/[.,]/}; "$1" apply >/dev/null 2>"$2" || exit 1
		t1=${EPOCHREALTIME/[.,]/}; echo $((10#$t1 - 10#$t0))' _ "$1" "$log") ||
		die "$1 apply failed: $(cat "$log")"
	c=$(sed -n 's/.*committed in \([0-9]*\) us with \([a-z]*\).*/\1 \2/p' "$log")
	{ [ "${c#* }" = "$2" ] && isnum "${c% *}"; } || die "$1 apply did not commit with $2: $(cat "$log")"
	echo "$t ${c% *}"
}

restore_both() { iptables-legacy-restore <"$1.v4" && ip6tables-legacy-restore <"$1.v6"; }
export -f restore_both

peak_rss() { unshare --net -- /usr/bin/time -f %M "$1" apply 2>&1 >/dev/null | tail -n1; }

bench_apply() {
	local n=$1 base=$OUT/n$1 i r ew=() commit=() xew=() xcommit=() rst=() nft=() rss=() xrss=()
	for ((i = 0; i < RUNS; i++)); do
		r=$(timed_apply "$base/earlywall" nftables)
		ew+=("${r% *}") commit+=("${r#* }")
		r=$(timed_apply "$OUT/x$n/earlywall" iptables)
		xew+=("${r% *}") xcommit+=("${r#* }")
		# shellcheck disable=SC2016 # expanded by the inner shell
		rst+=("$(timed bash -c 'restore_both "$1"' _ "$base")")
		nft+=("$(timed nft -f "$base.nft" || echo n/a)")
		rss+=("$(peak_rss "$base/earlywall")")
		xrss+=("$(peak_rss "$OUT/x$n/earlywall")")
	done
	EW[$n]=$(printf '%s\n' "${ew[@]}" | median)
	COMMIT[$n]=$(printf '%s\n' "${commit[@]}" | median)
	XEW[$n]=$(printf '%s\n' "${xew[@]}" | median)
	XCOMMIT[$n]=$(printf '%s\n' "${xcommit[@]}" | median)
	RESTORE[$n]=$(printf '%s\n' "${rst[@]}" | median)
	NFT[$n]=$(printf '%s\n' "${nft[@]}" | median)
	[ "${NFT[$n]}" != n/a ] || note "bench: warning: nft -f refused $base.nft"
	RSS[$n]=$(printf '%s\n' "${rss[@]}" | median)
	XRSS[$n]=$(printf '%s\n' "${xrss[@]}" | median)
	SEED[$n]=$(timeout "$SEED_TIMEOUT" bash -c "$(declare -f timed); timed bash '$base.seed.sh'" || echo n/a)
	csv earlywall_nftables_commit_in_process "$n" "${COMMIT[$n]}" us
	csv earlywall_nftables_apply_process "$n" "${EW[$n]}" us
	csv nft_f_print_nft "$n" "${NFT[$n]}" us
	csv earlywall_nftables_vs_nft_f "$n" "$(ratio "${EW[$n]}" "${NFT[$n]}")" ratio
	csv earlywall_libiptc_commit_in_process "$n" "${XCOMMIT[$n]}" us
	csv earlywall_libiptc_apply_process "$n" "${XEW[$n]}" us
	csv iptables_legacy_restore_both "$n" "${RESTORE[$n]}" us
	csv earlywall_libiptc_vs_restore "$n" "$(ratio "${XEW[$n]}" "${RESTORE[$n]}")" ratio
	csv earlywall_nftables_vs_libiptc "$n" "$(ratio "${EW[$n]}" "${XEW[$n]}")" ratio
	csv seed_recipe "$n" "${SEED[$n]}" us
	csv earlywall_nftables_apply_peak_rss "$n" "${RSS[$n]}" KiB
	csv earlywall_libiptc_apply_peak_rss "$n" "${XRSS[$n]}" KiB
}

# Packets per second from dev to the destination listed last, over a veth
# with a static neighbour entry; $2 = apply the policy or not, and the
# apply must have committed with backend $3.
# shellcheck disable=SC2016 # expanded by the inner shell, on purpose
pps_once() {
	unshare --net -- bash -c '
		ip link set lo up
		ip link add veth0 type veth peer name veth1
		ip link set veth0 up && ip link set veth1 up
		ip addr add 198.51.100.1/24 dev veth0
		ip neigh add 198.51.100.99 lladdr 02:00:00:00:00:99 dev veth0 nud permanent
		if [ "$2" = yes ]; then
			"$1" apply 2>"$6" || exit 1
			grep -Eq " with $5(\$|;)" "$6" || exit 1
		fi
		"$3" 198.51.100.99 9 "$4"' _ "$1" "$2" "$OUT/udpflood" "$PACKETS" "$3" "$OUT/pps.log"
}

# PPS[$1]: the median of 3 runs of pps_once "$OUT/$2/earlywall" $3 $4.
bench_pps() {
	local i r v=()
	for ((i = 0; i < 3; i++)); do
		r=$(pps_once "$OUT/$2/earlywall" "$3" "$4") || r=
		isnum "$r" || die "packet rate with $2 ($3, $4) failed: $(cat "$OUT/pps.log" 2>/dev/null)"
		v+=("$r")
	done
	PPS[$1]=$(printf '%s\n' "${v[@]}" | median)
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
	start=$(now_us)
	build/host/ewgen "$c" "$OUT/gen-$n-$ping/config" "$OUT/gen-$n-$ping" 2>/dev/null
	echo $((($(now_us) - start) / 1000))
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

# Stripped binary of $DEFCONFIG (plus line $3, if any) built into $OUT/$1
# with CROSS_COMPILE $2; its size, or n/a.
size_build() {
	local dir=$OUT/$1 cross=$2 extra=${3:-}
	{ cat "$DEFCONFIG"; [ -z "$extra" ] || echo "$extra"; } | put "$dir.config"
	if make -s CROSS_COMPILE="$cross" O="$dir" CONFIG="$dir.config" >/dev/null; then
		size_of "$dir/earlywall"
	else
		note "bench: warning: the $1 build failed"
		echo n/a
	fi
}

cross_ok() { command -v "$1-gcc" >/dev/null && [ -f "/usr/lib/$2/musl-gcc.specs" ]; }

main() {
	declare -gA EW COMMIT XEW XCOMMIT RESTORE NFT SEED RSS XRSS PPS GEN
	note "bench: building $DEFCONFIG (x86_64 both backends and nftables-only, and"
	note "bench: aarch64/armhf when their cross compilers exist)"
	SIZE_X86=$(size_build size-x86_64 "")
	SIZE_X86_NFT=$(size_build size-x86_64-nftables "" CONFIG_BACKEND_NFTABLES=y)
	SIZE_A64=n/a SIZE_ARM=n/a
	if cross_ok aarch64-linux-gnu aarch64-linux-musl; then
		SIZE_A64=$(size_build size-aarch64 aarch64-linux-gnu-)
	fi
	if cross_ok arm-linux-gnueabihf arm-linux-musleabihf; then
		SIZE_ARM=$(size_build size-armhf arm-linux-gnueabihf-)
	fi
	csv size_x86_64 - "$SIZE_X86" bytes
	csv size_x86_64_nftables_only - "$SIZE_X86_NFT" bytes
	csv size_aarch64 - "$SIZE_A64" bytes
	csv size_armhf - "$SIZE_ARM" bytes
	gcc -O2 -Wall -Wextra -Werror -o "$OUT/udpflood" tests/tools/udpflood.c
	local n first last
	# shellcheck disable=SC2086 # word lists
	for n in $(printf '%s\n' $SIZES $PPS_SIZES | sort -nu); do
		note "bench: generating and building a policy of $n entries (nftables, libiptc)"
		build "$n" "$(case " $PPS_SIZES " in *" $n "*) echo yes ;; *) echo no ;; esac)"
	done
	for n in $SIZES; do
		note "bench: apply, $n entries ($RUNS runs each)"
		bench_apply "$n"
	done
	note "bench: the generator at $GEN_SIZES entries, ALLOW_PING on and off"
	bench_gen
	note "bench: per-packet cost ($PACKETS packets, 3 runs each)"
	first=${PPS_SIZES%% *}
	bench_pps none "n$first" no nftables
	csv pps_no_firewall - "${PPS[none]}" pps
	for n in $PPS_SIZES; do
		bench_pps "nft$n" "n$n" yes nftables
		bench_pps "xt$n" "x$n" yes iptables
		bench_pps "snft$n" "s$n" yes nftables
		csv pps_nftables "$n" "${PPS[nft$n]}" pps
		csv pps_libiptc "$n" "${PPS[xt$n]}" pps
		csv pps_nftables_stateless "$n" "${PPS[snft$n]}" pps
		csv pps_nftables_vs_no_firewall "$n" "$(ratio "${PPS[nft$n]}" "${PPS[none]}")" ratio
		csv pps_libiptc_vs_no_firewall "$n" "$(ratio "${PPS[xt$n]}" "${PPS[none]}")" ratio
		csv pps_nftables_stateless_vs_no_firewall "$n" "$(ratio "${PPS[snft$n]}" "${PPS[none]}")" ratio
	done
	last=${PPS_SIZES##* }
	csv "pps_nftables_${last}_vs_$first" - "$(ratio "${PPS[nft$last]}" "${PPS[nft$first]}")" ratio
	csv "pps_libiptc_${last}_vs_$first" - "$(ratio "${PPS[xt$last]}" "${PPS[xt$first]}")" ratio
	csv "pps_nftables_stateless_${last}_vs_$first" - "$(ratio "${PPS[snft$last]}" "${PPS[snft$first]}")" ratio
	report
}

# "met" or "MISSED" for A OP K*B (OP is <= or >=); "not measured" without A or B.
verdict() {
	awk -v a="$1" -v op="$2" -v k="$3" -v b="$4" 'BEGIN {
		if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/) { print "not measured"; exit }
		ok = op == "<=" ? a <= k * b : a >= k * b
		print ok ? "met" : "MISSED" }'
}

row() { local label=$1 f=$2 n; shift 2; printf '| %s |' "$label"; for n in "$@"; do printf ' %s |' "$($f "$n")"; done; echo; }

report() {
	local n last plast pfirst
	# The cells of the apply table, per size.
	c_commit() { ms "${COMMIT[$1]}"; }
	c_ew() { ms "${EW[$1]}"; }
	c_nft() { ms "${NFT[$1]}"; }
	c_ew_nft() { ratio "${EW[$1]}" "${NFT[$1]}"; }
	c_xcommit() { ms "${XCOMMIT[$1]}"; }
	c_xew() { ms "${XEW[$1]}"; }
	c_rst() { ms "${RESTORE[$1]}"; }
	c_xew_rst() { ratio "${XEW[$1]}" "${RESTORE[$1]}"; }
	c_ew_xew() { ratio "${EW[$1]}" "${XEW[$1]}"; }
	c_seed() { ms "${SEED[$1]}"; }
	c_rss() { echo "${RSS[$1]}"; }
	c_xrss() { echo "${XRSS[$1]}"; }
	# shellcheck disable=SC2086 # word lists
	set -- $SIZES
	printf '\n## earlywall bench (%s, %s cores, kernel %s)\n\n' "$(uname -m)" "$(nproc)" "$(uname -r)"
	printf '| apply, median of %s runs, fresh netns | %s |\n|---|%s\n' "$RUNS" \
		"$(for n in "$@"; do printf '%s entries | ' "$n"; done | sed 's/ | $//')" \
		"$(for n in "$@"; do printf -- '---|'; done)"
	row 'earlywall nftables commit, in-process (ms)' c_commit "$@"
	row 'earlywall nftables apply, whole process (ms)' c_ew "$@"
	row 'nft -f, the text of print --nft (ms)' c_nft "$@"
	row 'earlywall nftables / nft -f' c_ew_nft "$@"
	row 'earlywall libiptc commit, in-process (ms)' c_xcommit "$@"
	row 'earlywall libiptc apply, whole process (ms)' c_xew "$@"
	row 'iptables-legacy-restore + ip6tables-legacy-restore, print --iptables (ms)' c_rst "$@"
	row 'earlywall libiptc / restore' c_xew_rst "$@"
	row 'earlywall nftables / earlywall libiptc' c_ew_xew "$@"
	row 'seed recipe, one iptables process per rule (ms)' c_seed "$@"
	row 'earlywall nftables apply peak RSS (KiB)' c_rss "$@"
	row 'earlywall libiptc apply peak RSS (KiB)' c_xrss "$@"

	pfirst=${PPS_SIZES%% *} plast=${PPS_SIZES##* }
	printf '\n| allowlist entries (destination listed last), packets/s, median of 3 | nftables | vs no firewall | libiptc | vs no firewall | nftables, STATEFUL off | vs no firewall |\n|---|---|---|---|---|---|---|\n'
	printf '| no firewall | %s | 1.00 | %s | 1.00 | %s | 1.00 |\n' "${PPS[none]}" "${PPS[none]}" "${PPS[none]}"
	for n in $PPS_SIZES; do
		printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$n" \
			"${PPS[nft$n]}" "$(ratio "${PPS[nft$n]}" "${PPS[none]}")" \
			"${PPS[xt$n]}" "$(ratio "${PPS[xt$n]}" "${PPS[none]}")" \
			"${PPS[snft$n]}" "$(ratio "${PPS[snft$n]}" "${PPS[none]}")"
	done
	printf '| rate at %s / rate at %s entries | %s | | %s | | %s | |\n' "$plast" "$pfirst" \
		"$(ratio "${PPS[nft$plast]}" "${PPS[nft$pfirst]}")" \
		"$(ratio "${PPS[xt$plast]}" "${PPS[xt$pfirst]}")" \
		"$(ratio "${PPS[snft$plast]}" "${PPS[snft$pfirst]}")"

	printf '\n| generator, IPv6 ALLOW_OUT hosts | %s |\n|---|%s\n' \
		"$(for n in $GEN_SIZES; do printf '%s entries | ' "$n"; done | sed 's/ | $//')" \
		"$(for n in $GEN_SIZES; do printf -- '---|'; done)"
	printf '| ALLOW_PING=y (ms) |'; for n in $GEN_SIZES; do printf ' %s |' "${GEN[${n}y]}"; done; echo
	printf '| ALLOW_PING=n (ms) |'; for n in $GEN_SIZES; do printf ' %s |' "${GEN[${n}n]}"; done; echo

	printf '\n| binary, stripped, %s | bytes |\n|---|---|\n' "$DEFCONFIG"
	printf '| x86_64, both backends | %s |\n| x86_64, nftables only (BACKEND_NFTABLES) | %s |\n' "$SIZE_X86" "$SIZE_X86_NFT"
	printf '| aarch64, both backends | %s |\n| armhf, both backends | %s |\n' "$SIZE_A64" "$SIZE_ARM"

	last=${SIZES##* }
	printf '\n| target | measured | verdict |\n|---|---|---|\n'
	printf '| nftables packet rate at %s entries at least 0.9 x its rate at %s | %s | %s |\n' "$plast" "$pfirst" \
		"$(ratio "${PPS[nft$plast]}" "${PPS[nft$pfirst]}")" "$(verdict "${PPS[nft$plast]}" '>=' 0.9 "${PPS[nft$pfirst]}")"
	printf '| earlywall nftables apply (whole process) at %s entries at most 0.5 x nft -f of print --nft | %s | %s |\n' "$last" \
		"$(ratio "${EW[$last]}" "${NFT[$last]}")" "$(verdict "${EW[$last]}" '<=' 0.5 "${NFT[$last]}")"
	printf '| x86_64 nftables-only binary at most 64 KiB (65536 bytes) | %s bytes | %s |\n' "$SIZE_X86_NFT" \
		"$(verdict "$SIZE_X86_NFT" '<=' 1 65536)"
	printf '| aarch64 binary, both backends, at most 128 KiB (131072 bytes) | %s bytes | %s |\n' "$SIZE_A64" \
		"$(verdict "$SIZE_A64" '<=' 1 131072)"
	printf '| x86_64 binary, both backends, under 100 KiB (102400 bytes) | %s bytes | %s |\n' "$SIZE_X86" \
		"$(verdict "$SIZE_X86" '<=' 1 102399)"
	printf '| earlywall libiptc apply at %s entries at most half of iptables-legacy-restore | %s | %s |\n' "$last" \
		"$(ratio "${XEW[$last]}" "${RESTORE[$last]}")" "$(verdict "${XEW[$last]}" '<=' 0.5 "${RESTORE[$last]}")"
	if [ -n "${PPS[nft10]:-}" ]; then
		printf '| nftables packet rate at 10 entries at least 95%% of no firewall | %s | %s |\n' \
			"$(ratio "${PPS[nft10]}" "${PPS[none]}")" "$(verdict "${PPS[nft10]}" '>=' 0.95 "${PPS[none]}")"
		printf '| libiptc packet rate at 10 entries at least 95%% of no firewall | %s | %s |\n' \
			"$(ratio "${PPS[xt10]}" "${PPS[none]}")" "$(verdict "${PPS[xt10]}" '>=' 0.95 "${PPS[none]}")"
	fi
	printf '\nCSV: %s\n' "$CSV"
}

main "$@"
