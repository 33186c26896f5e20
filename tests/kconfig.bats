#!/usr/bin/env bats
# kconfig.bats - the configuration targets work through kconfig-frontends,
# and a configuration reaches the binary. Each case works in a scratch copy
# of the tree so the checkout's own .config is never touched.

load helpers

setup() {
	WORK="$BATS_TEST_TMPDIR/tree"
	mkdir -p "$WORK"
	cp -R "$ROOT/Kconfig" "$ROOT/Makefile" "$ROOT/board" "$ROOT/scripts" "$ROOT/src" "$ROOT/gen" "$WORK/"
}

@test "defconfig writes the board's default configuration" {
	run make -C "$WORK" -s defconfig
	assert_success
	run cat "$WORK/.config"
	assert_line 'CONFIG_TRUSTED_HOSTS="192.0.2.10"'
	assert_line 'CONFIG_ALLOW_DHCP=y'
	assert_line 'CONFIG_INIT_PATH="/sbin/init"'
}

@test "savedefconfig gives back exactly the board defconfig" {
	make -C "$WORK" -s rpi_defconfig
	make -C "$WORK" -s savedefconfig
	diff -u "$ROOT/board/rpi/rpi_defconfig" "$WORK/defconfig"
}

@test "olddefconfig completes a partial configuration with the defaults" {
	printf 'CONFIG_ALLOW_OUT="tcp/443@203.0.113.7"\n' >"$WORK/.config"
	make -C "$WORK" -s olddefconfig
	run cat "$WORK/.config"
	assert_line 'CONFIG_ALLOW_OUT="tcp/443@203.0.113.7"'
	assert_line 'CONFIG_STATEFUL=y'
	assert_line 'CONFIG_FAIL_LOCKOUT=y'
}

@test "an unknown NAME_defconfig fails with a message" {
	run make -C "$WORK" -s nosuch_defconfig
	assert_failure
	assert_output --partial "no board/*/nosuch_defconfig"
}

@test "every Kconfig symbol of the design exists and has help text" {
	local sym
	for sym in TRUSTED_HOSTS ALLOW_OUT ALLOW_IN ALLOW_PING ALLOW_DHCP DNS_SERVERS \
		NTP_SERVERS IPV6_DROP_ALL IPV6_FILTER STATEFUL LOG_DROPS INIT_PATH \
		FAIL_LOCKOUT FAIL_HALT FAIL_OPEN LOAD_MODULES REVERT; do
		awk -v s="config $sym" '$0 == s { found = 1; next }
			found && /^[ \t]*help/ { ok = 1; exit } found && /^config / { exit }
			END { exit !ok }' "$ROOT/Kconfig" || { echo "no help for $sym" >&2; return 1; }
	done
}

# wait_for SOCKET SESSION TEXT: poll the tmux pane until TEXT shows (5 s).
wait_for() {
	local i
	for i in $(seq 50); do
		tmux -L "$1" capture-pane -p -t "$2" 2>/dev/null | grep -qF "$3" && return 0
		sleep 0.1
	done
	tmux -L "$1" capture-pane -p -t "$2" >&2 || true
	return 1
}

@test "menuconfig and nconfig show the menus, save and quit cleanly" {
	local t sock
	for t in menuconfig nconfig; do
		sock="ew-$t-$$"
		rm -f "$WORK/.config" "$WORK/$t.rc"
		tmux -L "$sock" new-session -d -s ui -x 100 -y 30 \
			"make -C '$WORK' $t; echo \$? > '$WORK/$t.rc'; sleep 2"
		wait_for "$sock" ui "Hosts and services"
		if [ "$t" = menuconfig ]; then
			tmux -L "$sock" send-keys -t ui Escape Escape
			wait_for "$sock" ui "save your new configuration"
			tmux -L "$sock" send-keys -t ui Enter
		else
			tmux -L "$sock" send-keys -t ui F9
			wait_for "$sock" ui "wish to save"
			tmux -L "$sock" send-keys -t ui Enter
			wait_for "$sock" ui "configuration written"
			tmux -L "$sock" send-keys -t ui Enter
		fi
		for _ in $(seq 50); do [ -s "$WORK/$t.rc" ] && break; sleep 0.1; done
		tmux -L "$sock" kill-server 2>/dev/null || true
		run cat "$WORK/$t.rc"
		assert_output 0
		run cat "$WORK/.config"
		assert_line 'CONFIG_ALLOW_DHCP=y'
	done
}
