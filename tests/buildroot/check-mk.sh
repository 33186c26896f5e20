#!/bin/sh
# check-mk.sh PKG FILE.mk - check a Buildroot package .mk file against the
# rules Buildroot documents, without Buildroot's sources. Prints one line per
# violation, "FILE:LINE: RULE: message", and exits 1 if there is any.
#
# The rules, with where Buildroot states them (manual chapters as in
# docs/manual/ of Buildroot; "check-package" names the function of
# utils/checkpackagelib/lib_mk.py or lib.py that enforces the same rule in
# Buildroot's own tree):
#
#  header      Coding style, "The .mk file": a header of 80 hashes, "#",
#              "# PKG", "#", 80 hashes, then a blank line.  (PackageHeader)
#  assign      Coding style: "use = preceded and followed by one space",
#              do not align the = signs.
#  indent      Coding style, "Indentation: use tab only"; commands in a
#              define block start with a tab; nothing else is indented.
#              (Indent)
#  prefix      Every variable the file sets starts with the upper-case
#              package name, PKG_.  (TypoInPackageVariable; manual "Tips and
#              tricks", package name and config symbol relation)
#  override    A variable is set (= or :=) at most once unconditionally.
#              (OverriddenVariable)
#  backslash   One space before a line-continuation backslash, and no
#              backslash before an empty line.  (SpaceBeforeBackslash,
#              TrailingBackslash)
#  space       No trailing white space, no two consecutive empty lines,
#              a newline at the end, no empty last line.  (TrailingSpace,
#              ConsecutiveEmptyLines, NewlineAtEof, EmptyLastLine)
#  braces      $(VAR), never ${VAR}.  (VariableWithBraces)
#  ifdef       ifeq ($(SYMBOL),y), never ifdef/ifndef.  (Ifdef)
#  useless     No variable set to its default value: _INSTALL_TARGET = YES,
#              _INSTALL_STAGING = NO, _INSTALL_IMAGES = NO,
#              _REDISTRIBUTE = YES.  (UselessFlag; manual "generic-package
#              reference")
#  hostdir     Nothing installed to $(HOST_DIR)/usr.  (DoNotInstallToHostdirUsr)
#  required    Manual, "generic-package reference" and "Infrastructure for
#              packages using kconfig": PKG_SITE, PKG_LICENSE,
#              PKG_LICENSE_FILES, PKG_KCONFIG_FILE or PKG_KCONFIG_DEFCONFIG,
#              PKG_BUILD_CMDS and PKG_INSTALL_TARGET_CMDS are defined.
#  eval        The last line is the call of the infrastructure,
#              $(eval $(kconfig-package)), and there is only one.
set -eu

pkg=$1 file=$2 rc=0

awk -v PKG="$pkg" -v F="$file" '
function bad(line, rule, msg) { printf "%s:%d: %s: %s\n", F, line, rule, msg; n++ }
BEGIN {
	P = toupper(PKG); gsub(/-/, "_", P)
	hashes = sprintf("%80s", ""); gsub(/ /, "#", hashes)
	want[1] = hashes; want[2] = "#"; want[3] = "# " PKG; want[4] = "#"
	want[5] = hashes; want[6] = ""
	split("SITE LICENSE LICENSE_FILES BUILD_CMDS INSTALL_TARGET_CMDS", req, " ")
}
{ line[NR] = $0 }
NR <= 6 && $0 != want[NR] { bad(NR, "header", "expected \"" want[NR] "\"") }
/[ \t]$/ { bad(NR, "space", "trailing white space") }
$0 == "" && prev_empty { bad(NR, "space", "two consecutive empty lines") }
{ prev_empty = ($0 == "") }
/^[^#].*[^$]\$\{[A-Za-z0-9_]+\}/ { bad(NR, "braces", "use $(VAR), not ${VAR}") }
/^[ \t]*(else[ \t]+)?(ifdef|ifndef)[ \t]/ { bad(NR, "ifdef", "use ifeq ($(SYMBOL),y) / ifneq") }
/^[^#].*\$\(HOST_DIR\)\/usr/ { bad(NR, "hostdir", "install to $(HOST_DIR)/, not $(HOST_DIR)/usr/") }
/^[^#].*(  |\t ?)\\$/ { bad(NR, "backslash", "use one space before the backslash") }
cont && $0 == "" { bad(NR - 1, "backslash", "backslash before an empty line") }
/_INSTALL_TARGET[ \t]*=[ \t]*YES|_INSTALL_STAGING[ \t]*=[ \t]*NO|_INSTALL_IMAGES[ \t]*=[ \t]*NO|_REDISTRIBUTE[ \t]*=[ \t]*YES/ {
	bad(NR, "useless", "variable set to its default value")
}
/^[ \t]*(ifeq|ifneq|ifdef|ifndef)[ \t(]/ { cond++ }
/^[ \t]*endif/ { cond-- }
{
	# indentation
	t = $0
	if (t ~ /^[ \t]*endef([ \t]|$)/) { indef = 0; expect = 0 }
	else if (indef || cont || target) expect = 1
	else expect = 0
	if (t ~ /^[ \t]*(ifeq|ifneq|ifdef|ifndef|else|endif)([ \t(]|$)/ && !cont) expect = 0
	if (t == "") target = 0
	else if (!(indef && t ~ /^[ \t]*#/)) {
		if (expect && t !~ /^\t/) bad(NR, "indent", "expected indent with tabs")
		if (!expect && t ~ /^[ \t]/) bad(NR, "indent", "unexpected indent")
	}
	if (t ~ /^define[ \t]/) indef = 1
	if (!indef && !cont && t ~ /^[^# \t=]+:([ \t]|$)/ && t !~ /^[A-Z0-9_]+[ \t]*:=/) target = 1
	cont = (t ~ /^[^#].*\\$/)
}
!indef && /^[A-Za-z0-9_]+[ \t]*(\+|:|\?)?=/ {
	name = $0; sub(/[ \t]*(\+|:|\?)?=.*/, "", name)
	op = $0; sub(/^[A-Za-z0-9_]+[ \t]*/, "", op); sub(/=.*/, "=", op)
	if ($0 !~ /^[A-Za-z0-9_]+ (\+|:|\?)?=( [^ \t]|$)/) bad(NR, "assign", "write NAME " op " value, one space each side")
	if (index(name, P "_") != 1) bad(NR, "prefix", name " is not prefixed " P "_")
	if ((op == "=" || op == ":=") && !cond) {
		if (name in set) bad(NR, "override", name " set again (line " set[name] ")")
		set[name] = NR
	}
	defined[name] = 1
}
/^define[ \t]+/ {
	name = $2
	if (index(name, P "_") != 1) bad(NR, "prefix", name " is not prefixed " P "_")
	defined[name] = 1
}
/\$\(eval \$\([a-z-]*package\)\)/ { evals++ }
END {
	if (NR == 0) { bad(0, "required", "empty file"); exit 1 }
	if (line[NR] == "") bad(NR, "space", "empty last line")
	for (i in req)
		if (!((P "_" req[i]) in defined)) bad(0, "required", P "_" req[i] " is not defined")
	if (!((P "_KCONFIG_FILE") in defined) && !((P "_KCONFIG_DEFCONFIG") in defined))
		bad(0, "required", P "_KCONFIG_FILE or " P "_KCONFIG_DEFCONFIG is not defined")
	if (line[NR] != "$(eval $(kconfig-package))")
		bad(NR, "eval", "the last line must be $(eval $(kconfig-package))")
	if (evals != 1) bad(NR, "eval", evals + 0 " infrastructure calls, expected 1")
	exit (n > 0)
}' "$file" || rc=1
# awk cannot see a missing final newline; tail can.
if [ -s "$file" ] && [ -n "$(tail -c 1 "$file" | tr -d '\n')" ]; then
	echo "$file:0: space: no newline at the end of the file"
	rc=1
fi
exit "$rc"
