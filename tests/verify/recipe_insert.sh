# shellcheck shell=bash
# The recipe's own drift: one rule inserted at the top of INPUT and of OUTPUT.
iptables-legacy -I INPUT -s 203.0.113.9 -j ACCEPT
iptables-legacy -I OUTPUT -d 203.0.113.9 -j ACCEPT
