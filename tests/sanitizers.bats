#!/usr/bin/env bats
# sanitizers.bats - the host-side parts under AddressSanitizer and
# UndefinedBehaviorSanitizer (the generator on every golden and bad config;
# print, apply and verify of a glibc build), and print and verify under
# valgrind with zero errors. Any report fails the case.

load helpers

SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g"

# A dynamically linked glibc build (sanitizers and valgrind need that).
host_build() {
	local name=$1 cc=$2
	make -s -C "$ROOT" O="build/t/$name" CONFIG=tests/configs/rpi.config CC="$cc" \
		STATIC= NOSTRIP=1 LIBIPTC="build/libiptc/host-$name" >/dev/null 2>&1 ||
		make -C "$ROOT" O="build/t/$name" CONFIG=tests/configs/rpi.config CC="$cc" \
			STATIC= NOSTRIP=1 LIBIPTC="build/libiptc/host-$name"
	EW="$ROOT/build/t/$name/earlywall"
}

@test "the generator under ASan+UBSan: every golden config passes, every bad one fails with its message" {
	local c name failed=0 out
	cd "$ROOT"
	for c in tests/configs/*.config tests/configs/bad/*.config; do
		name=$(basename "$c" .config)
		rm -rf "build/t/asan-gen/$name"
		out=$(make -s O="build/t/asan-gen/$name" CONFIG="$c" HOSTCC="gcc $SAN" \
			HOSTGEN=build/host-asan/ewgen "build/t/asan-gen/$name/gen/policy_table.c" 2>&1) || true
		if grep -qE 'Sanitizer|runtime error' <<<"$out"; then
			echo "$c: $out" >&2
			failed=1
		fi
		if [ -f "tests/configs/bad/$name.expected" ] && [[ $c == */bad/* ]]; then
			grep -Fxf "tests/configs/bad/$name.expected" <<<"$out" >/dev/null ||
				{ echo "$c: message differs under sanitizers: $out" >&2; failed=1; }
		fi
	done
	[ "$failed" = 0 ]
}

@test "print, apply and verify under ASan+UBSan" {
	host_build asan "gcc $SAN"
	run "$EW" print --iptables
	assert_success
	diff <(echo "$output") "$ROOT/tests/configs/rpi.expected"
	run "$EW" print --nft
	assert_success
	diff <(echo "$output") "$ROOT/tests/configs/rpi.nft"
	run in_netns bash -c '"$1" apply && "$1" verify && iptables-legacy -A INPUT -j ACCEPT;
		"$1" verify --json; echo "rc=$?"
		nft add element ip earlywall in_any "{ 203.0.113.9 }"; "$1" verify >/dev/null; echo "rc=$?"' _ "$EW"
	refute_output --partial "Sanitizer"
	refute_output --partial "runtime error"
	[ "$(grep -c '^rc=1$' <<<"$output")" = 2 ]
	refute_output --partial "rc=0"
}

@test "print and verify under valgrind: zero errors, no leaks" {
	command -v valgrind >/dev/null || skip "valgrind is not installed"
	host_build plain gcc
	local vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
	run $vg "$EW" print
	assert_success
	run in_netns bash -c '"$1" apply && $2 "$1" verify; echo "rc=$?";
		iptables-legacy -I INPUT -s 203.0.113.9 -j ACCEPT; $2 "$1" verify --json; echo "rc=$?"' _ "$EW" "$vg"
	assert_line "rc=0"
	assert_line "rc=1"
	refute_output --partial "=="
}
