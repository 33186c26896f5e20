#!/usr/bin/env bats
# lint.bats - the code standards: C builds warning-free with clang too,
# cppcheck has no findings, every shell file passes shellcheck.

load helpers

@test "C compiles with clang -Wall -Wextra -Werror" {
	ew_build rpi tests/configs/rpi.config
	local f inc="$ROOT/build/libiptc/$(gcc -dumpmachine)"
	for f in $(find "$ROOT/src" "$ROOT/gen" -name '*.c'); do
		clang -Wall -Wextra -Werror -std=gnu99 -Os -DEW_FAULTS=1 -I"$ROOT/src" \
			-I"$ROOT/build/t/rpi/gen" -I"$inc/include" -fsyntax-only "$f"
	done
}

@test "cppcheck has no findings" {
	ew_build rpi tests/configs/rpi.config
	run cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability \
		--inline-suppr --suppress=missingIncludeSystem -I"$ROOT/src" \
		-I"$ROOT/build/t/rpi/gen" "$ROOT/src" "$ROOT/gen"
	assert_success
	assert_output ""
}

# Every tracked file that is a shell script: *.sh, *.bash, or a #! line naming sh/bash.
shell_files() {
	local f
	cd "$ROOT"
	git ls-files 2>/dev/null | while read -r f; do
		case $f in
		*.bats) continue ;;
		*.sh | *.bash) echo "$f" ;;
		*) [ -f "$f" ] && [ ! -L "$f" ] && head -c 128 "$f" 2>/dev/null | head -n1 |
			grep -qaE '^#!.*\b(ba)?sh\b' && echo "$f" ;;
		esac
	done
}

@test "every shell file passes shellcheck" {
	local files
	files=$(shell_files)
	[ -n "$files" ]
	cd "$ROOT"
	# shellcheck disable=SC2086 # one word per file
	shellcheck -x $files
}

@test "clang-tidy is clean with the checked-in .clang-tidy" {
	command -v clang-tidy >/dev/null || skip "clang-tidy is not installed"
	ew_build rpi tests/configs/rpi.config
	local inc="$ROOT/build/libiptc/$(gcc -dumpmachine)/include"
	cd "$ROOT"
	# shellcheck disable=SC2046 # one word per file
	run clang-tidy --quiet $(find src gen -name '*.c') tests/fuzz/*.c -- -std=gnu99 -DEW_FAULTS=1 \
		-Isrc -I"build/t/rpi/gen" -I"$inc"
	assert_success
	refute_output --partial "warning:"
	refute_output --partial "error:"
}

@test "layout: the pure part (src/policy, gen/) includes no backend, boot or command code; a backend includes no boot or command code" {
	cd "$ROOT"
	run grep -rnE '#include "(backend|boot|cli)/' src/policy gen
	assert_failure 1
	run grep -rnE '#include "(boot|cli)/' src/backend
	assert_failure 1
}
