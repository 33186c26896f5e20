# shellcheck shell=bash
# One rule deleted from the middle of INPUT.
iptables-legacy -D INPUT 5
