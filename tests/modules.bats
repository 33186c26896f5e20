#!/usr/bin/env bats
# modules.bats - the module loader (src/boot/modules.c) on broken module trees.
#
# Each tests/modules/CASE/ is a module tree (modules.dep, .softdep, .alias,
# .builtin and files standing in for modules), with `args` (the modules
# asked for), `expected` (what happened) and optionally `mkfifo` (paths the
# test makes FIFOs, which git cannot hold) and `symlink` (NAME TARGET lines:
# symbolic links to devices, made here so that nothing in the checkout
# points at /dev). The loader runs for real under
# strace: `expected` lists each module file it handed to finit_module, in
# order, then the loader's rc and every failure it reported. The stand-in
# files are no modules, so the kernel refuses each one; its reason differs
# between kernels (built without modules, or not) and reads as "refused".
# Adding a case means adding a directory.

load helpers

setup_file() {
	mkdir -p "$ROOT/build/t"
	musl-gcc -static -Os -Wall -Wextra -Werror -std=gnu99 -DEW_FAULTS=0 -I"$ROOT/src" \
		-o "$ROOT/build/t/modload" "$ROOT/tests/tools/modload.c" "$ROOT/src/boot/modules.c"
}

# run_case CASE: the observed outcome, normalised.
run_case() {
	local c=$1 tree="$BATS_TEST_TMPDIR/$1" f
	cp -a "$ROOT/tests/modules/$c" "$tree"
	if [ -f "$tree/symlink" ]; then
		while read -r f target; do
			ln -s "$target" "$tree/$f"
		done <"$tree/symlink"
	fi
	if [ -f "$tree/mkfifo" ]; then
		while read -r f; do
			mkdir -p "$(dirname "$tree/$f")"
			mkfifo "$tree/$f"
		done <"$tree/mkfifo"
	fi
	# shellcheck disable=SC2046 # the names, one word each
	timeout 20 strace -qq -y -o "$tree.strace" -e trace=finit_module \
		"$ROOT/build/t/modload" "$tree" $(cat "$tree/args") >"$tree.out"
	{
		sed -n 's|^finit_module([0-9]*<'"$tree"'/\([^>]*\)>.*|finit \1|p' "$tree.strace"
		sed -e "s|$tree|DIR|g" -E -e 's/^(module [^:]+): (Function not implemented|Exec format error|Invalid argument|Bad message|Key was rejected by service|Operation not permitted|Required key not available)$/\1: refused/' "$tree.out"
	}
}

@test "module loader: every broken tree in tests/modules/ gives its expected outcome" {
	local c failed=0
	for c in "$ROOT"/tests/modules/*/; do
		c=$(basename "$c")
		if ! diff -u "$ROOT/tests/modules/$c/expected" <(run_case "$c"); then
			echo "modules case $c: differs from tests/modules/$c/expected" >&2
			failed=1
		fi
	done
	[ "$failed" = 0 ]
}
