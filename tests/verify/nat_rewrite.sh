# shellcheck shell=bash
# Another table rewrites a stranger (203.0.113.66) into the trusted host
# (192.0.2.10) before earlywall's rules see it, and back on the way out;
# a legacy nat rule besides. Neither is earlywall's: drift, by table.
nft add table ip rewrite
nft add chain ip rewrite pre '{ type filter hook prerouting priority -300; }'
nft add rule ip rewrite pre ip saddr 203.0.113.66 ip saddr set 192.0.2.10
nft add chain ip rewrite post '{ type filter hook postrouting priority 300; }'
nft add rule ip rewrite post ip daddr 192.0.2.10 ip daddr set 203.0.113.66
iptables-legacy -t nat -A PREROUTING -s 203.0.113.66 -j ACCEPT
