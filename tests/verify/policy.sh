# shellcheck shell=bash
# A policy changed: OUTPUT accepts.
iptables-legacy -P OUTPUT ACCEPT
