# shellcheck shell=bash
# The INVALID drop with its conntrack match repeated.
"$TAMPER" 4 dup-match INPUT 3
