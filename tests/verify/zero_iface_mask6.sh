# shellcheck shell=bash
# The same on IPv6.
"$TAMPER" 6 zero-iface-mask INPUT 1
