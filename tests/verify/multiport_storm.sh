# shellcheck shell=bash
# A rule with 18 multiport matches (earlier verify wrote past its port slots).
"$TAMPER" 4 multiport-storm INPUT 5 18
