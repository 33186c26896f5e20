#!/bin/sh
# kconfig.sh TOOL ARGS... - run one of Buildroot's own Kconfig tools
# (output/build/buildroot-config/conf or mconf) the way earlywall's Makefile
# runs kconfig-frontends' kconfig-conf and kconfig-mconf, so a Buildroot
# build needs no kconfig-frontends on the host.
#
# Buildroot's copy of kconfig differs from kconfig-frontends in two ways:
# - it reads and writes the file named by BR2_CONFIG, not KCONFIG_CONFIG.
#   Buildroot exports BR2_CONFIG naming its own .config, so without this
#   wrapper the tool would rewrite Buildroot's configuration;
# - it is built with an empty symbol prefix, where earlywall's symbols are
#   written CONFIG_FOO. The CONFIG_ environment variable sets the prefix.
set -eu

[ $# -ge 1 ] || { echo "usage: kconfig.sh TOOL ARGS..." >&2; exit 2; }
tool=$1
shift
if [ ! -x "$tool" ]; then
	echo "kconfig.sh: $tool is missing; it is built by Buildroot's own 'make menuconfig' or 'make olddefconfig'" >&2
	exit 1
fi

BR2_CONFIG=${KCONFIG_CONFIG:-.config}
CONFIG_=CONFIG_
export BR2_CONFIG CONFIG_
# Only Buildroot's own configuration uses these; never write its autoconf files.
unset KCONFIG_AUTOCONFIG KCONFIG_AUTOHEADER KCONFIG_TRISTATE
exec "$tool" "$@"
