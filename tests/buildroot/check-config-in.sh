#!/bin/sh
# check-config-in.sh FILE... - check Buildroot Config.in files against the
# rules Buildroot documents, without Buildroot's sources. Prints one line per
# violation, "FILE:LINE: RULE: message", and exits 1 if there is any.
#
# The rules, with where Buildroot states them (manual chapters as in
# docs/manual/ of Buildroot; the check-package function of
# utils/checkpackagelib/lib_config.py or lib.py that enforces the same rule
# in Buildroot's own tree in brackets):
#
#  indent    Coding style, "Config.in file": the bool, default, depends on,
#            select and help lines are indented with one tab; config,
#            comment, if, menu, source... are not indented; a continued
#            line (ending in a backslash) goes on indented with tabs. [Indent]
#  help      The help text is indented with one tab and two spaces and
#            wrapped at 62 characters (72 columns, a tab counting 8).
#            [HelpText]
#  order     Adding packages, "Config.in file": type, default, depends on,
#            select, help, in that order. [AttributesOrder]
#  default-n Booleans default to n; "default n" is redundant. [NoDefaultN]
#  redefined A symbol is declared once per file. [RedefinedConfig]
#  space     No trailing white space, no two consecutive empty lines, a
#            newline at the end. [TrailingSpace, ConsecutiveEmptyLines,
#            NewlineAtEof]
set -eu

rc=0
for file; do
	awk -v F="$file" '
	function bad(line, rule, msg) { printf "%s:%d: %s: %s\n", F, line, rule, msg; n++ }
	BEGIN {
		split("choice comment config endchoice endif endmenu if menu menuconfig source mainmenu", a, " ")
		for (i in a) top[a[i]] = 1
		split("bool tristate string int hex prompt default depends select imply help range option visible", b, " ")
		for (i in b) attr[b[i]] = 1
		rank["bool"] = 1; rank["tristate"] = 1; rank["string"] = 1; rank["int"] = 1
		rank["hex"] = 1; rank["prompt"] = 1; rank["default"] = 2; rank["depends"] = 3
		rank["select"] = 4; rank["help"] = 5
	}
	/[ \t]$/ { bad(NR, "space", "trailing white space") }
	$0 == "" && prev_empty { bad(NR, "space", "two consecutive empty lines") }
	{ prev_empty = ($0 == ""); word = $1 }
	# Help text: everything indented after "help", up to the next entry.
	inhelp && ($0 == "" || $0 ~ /^\t  /) {
		if ($0 != "" && (length($0) > 65 || (first && $0 ~ /^\t   /)) &&
		    $0 !~ /^\t  (http|https|git):\/\/[^ ]*$/)
			bad(NR, "help", "help text: <tab><2 spaces><at most 62 characters>")
		if ($0 != "") first = 0
		next
	}
	{ inhelp = 0 }
	cont {
		if ($0 !~ /^\t/) bad(NR, "indent", "continuation line should be indented with tabs")
		cont = ($0 ~ /\\$/)
		next
	}
	$0 == "" || $0 ~ /^[ \t]*#/ { next }
	word in top {
		if ($0 ~ /^[ \t]/) bad(NR, "indent", word " should not be indented")
		state = 0
		if (word == "config" || word == "menuconfig") {
			if ($2 in seen) bad(NR, "redefined", $2 " declared again (line " seen[$2] ")")
			seen[$2] = NR
		}
	}
	word in attr {
		if ($0 !~ /^\t[^ \t]/) bad(NR, "indent", word " should be indented with one tab")
		if (word in rank) {
			if (state > rank[word]) bad(NR, "order", "type, default, depends on, select, help")
			state = rank[word]
		}
		if ($0 ~ /^[ \t]*default[ \t]+n[ \t]*($|#)/) bad(NR, "default-n", "booleans default to n already")
		if (word == "help") { inhelp = 1; first = 1 }
	}
	{ cont = ($0 ~ /\\$/) }
	END { exit (n > 0) }' "$file" || rc=1
	if [ -s "$file" ] && [ -n "$(tail -c 1 "$file" | tr -d '\n')" ]; then
		echo "$file:0: space: no newline at the end of the file"
		rc=1
	fi
done
exit "$rc"
