# shellcheck shell=bash
# Rule 3 of INPUT moved to the end of the chain.
rule=$(iptables-legacy -S INPUT | sed -n 4p)
iptables-legacy -D INPUT 3
# shellcheck disable=SC2086 # the rule's words
iptables-legacy $rule
