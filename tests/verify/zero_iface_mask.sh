# shellcheck shell=bash
# The -i lo ACCEPT with its interface mask zeroed (iptables-save then
# shows "-A INPUT -j ACCEPT": everyone is let in).
"$TAMPER" 4 zero-iface-mask INPUT 1
