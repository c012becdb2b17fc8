#!/bin/sh
# The help and its documents against the one command table (src/cli/main.c):
# --help, -h and `help COMMAND [VERB]` on every command and verb print its
# usage on stdout and exit 0; a bad option is one line and exit 2; the man
# page lists every option of every command (and nothing else) and the
# README's command summary is the overview's.  The options come from the
# table itself (`help --options`), the one getopt reads.
set -eu
. "${top_srcdir:?}/tests/integration/lib.sh"

need_built "$VIRT_SRIOV"
need awk
tmpdir cli-help
MAN=$top_srcdir/docs/virt-sriov.1

run help --options
if [ "$rc" -ne 0 ] || [ ! -s "$W/out" ]; then
	fail "help --options: exit $rc: $(cat "$W/err")"
fi
cp "$W/out" "$W/options"
# every command and verb, and the commands that have verbs
cut -f1 "$W/options" | grep -v '^virt-sriov$' | uniq >"$W/leaves"
sed -n 's/^\([a-z]*\) [a-z]*$/\1/p' "$W/leaves" | uniq >"$W/parents"
[ "$(wc -l <"$W/leaves")" -ge 20 ] || fail "help --options lists $(wc -l <"$W/leaves") commands"

# --- --help, -h, help: stdout, exit 0, the same text -----------------------------
one_help() {
	# $1: how it is asked, then the command line
	vs_how=$1
	shift
	run "$@"
	if [ "$rc" -ne 0 ] || [ -s "$W/err" ] || ! head -n 1 "$W/out" | grep -q '^Usage: virt-sriov '; then
		fail "$vs_how: exit $rc, stderr '$(cat "$W/err")', stdout '$(head -n 1 "$W/out")'"
	fi
}
while read -r cmd; do
	# shellcheck disable=SC2086 # "vf set" is two words
	one_help "$cmd --help" $cmd --help
	cp "$W/out" "$W/h1"
	# shellcheck disable=SC2086
	one_help "$cmd -h" $cmd -h
	cmp -s "$W/h1" "$W/out" || fail "$cmd -h differs from $cmd --help"
	# shellcheck disable=SC2086
	one_help "help $cmd" help $cmd
	cmp -s "$W/h1" "$W/out" || fail "help $cmd differs from $cmd --help"
	# --help wins wherever it is, even after arguments that are wrong
	# shellcheck disable=SC2086
	one_help "$cmd x --help" $cmd x --help
	# every option of the table is in the help (hidden ones aside: none)
	grep "^$cmd	" "$W/options" | cut -f2 | while read -r opt; do
		grep -q -- "$opt\\b" "$W/h1" || fail "$cmd --help does not show $opt"
	done
done <"$W/leaves"
while read -r cmd; do
	one_help "$cmd --help" "$cmd" --help
	for verb in $(sed -n "s/^$cmd //p" "$W/leaves"); do
		grep -q "^Usage: virt-sriov $cmd $verb" "$W/out" || fail "$cmd --help lacks the usage of $cmd $verb"
	done
done <"$W/parents"
one_help "--help" --help
one_help "help" help
one_help "-h" -h

# --- one line, exit 2 --------------------------------------------------------------
one_line() {
	# $1: text the line must have, then the command line
	vs_text=$1
	shift
	run "$@"
	if [ "$rc" -ne 2 ] || [ -s "$W/out" ] || [ "$(wc -l <"$W/err")" -ne 1 ] ||
		! grep -qF -- "$vs_text" "$W/err"; then
		fail "virt-sriov $*: exit $rc (want 2), stdout '$(cat "$W/out")', stderr '$(cat "$W/err")' (want one line with '$vs_text')"
	fi
}
one_line "virt-sriov: unrecognized option '--foo' (see virt-sriov --help)" --foo
one_line "virt-sriov: unrecognized option '-q' (see virt-sriov --help)" -q list
one_line "virt-sriov: option '--connect' needs an argument" --connect
one_line "virt-sriov: unknown command 'frob' (see virt-sriov --help)" frob
one_line "virt-sriov: no command given" -n
one_line "virt-sriov: network apply: unrecognized option '--foo' (see virt-sriov network apply --help)" \
	network apply em1 --foo
one_line "virt-sriov: network list: unrecognized option '--force'" network list --force
one_line "virt-sriov: xml hostdev: unrecognized option '--vfs'" xml hostdev em1#0 --vfs 0-3
one_line "virt-sriov: numvfs: option '--timeout' needs an argument" numvfs em1 2 --timeout
one_line "virt-sriov: help: unknown command 'vf frob'" help vf frob

# --- the man page: every option of the table, nothing else ---------------------------
# troff to text: fonts and escaped dashes away, the macro's name dropped
awk -F'\t' -v leaves="$W/leaves" '
function text(s) {
	gsub(/\\f[BIRP]/, "", s); gsub(/\\-/, "-", s); gsub(/"/, "", s)
	if (s ~ /^\./) sub(/^\.[A-Z]+ */, "", s)
	return s
}
# the options a piece of text names: "--long" and "-x" words
function opts(s, out,   n) {
	out = ""
	s = " " s " "
	while (match(s, /[^a-zA-Z0-9-]--?[a-zA-Z][a-zA-Z0-9-]*/)) {
		n = substr(s, RSTART + 1, RLENGTH - 1)
		if (n ~ /^--/ || length(n) == 2)
			out = out " " n
		s = substr(s, RSTART + RLENGTH)
	}
	return out
}
function bad(msg) { print "FAIL: man page: " msg; nbad++ }
FNR == NR {
	if ($3 == "global") { global[$2] = 1; if ($4 != "") global[$4] = 1 }
	else if ($3 == "setting") { setting[$2] = 1; takes_settings[$1] = 1 }
	else if ($3 == "common") common[$2] = 1
	else {
		own[$1, $2] = 1; owns[$1] = owns[$1] " " $2
		if ($4 != "") { own[$1, $4] = 1; owns[$1] = owns[$1] " " $4 }
	}
	next
}
/^\.SH / { sec = $0; sub(/^\.SH "?/, "", sec); sub(/"$/, "", sec); heading = 0; next }
sec == "OPTIONS" || sec == "VF SETTINGS" {
	n = split(opts(text($0)), o, " ")
	for (i = 1; i <= n; i++) {
		if (sec == "OPTIONS") man_global[o[i]] = 1
		else man_setting[o[i]] = 1
	}
	next
}
sec != "COMMANDS" { next }
/^\.TP/ { entry++; heading = 1; next }
/^\.TQ/ { heading = 1; next }
heading {
	heading = 0
	h = text($0)
	leaf = ""
	while ((getline l < leaves) > 0)
		if ((index(h " ", l " ") == 1) && length(l) > length(leaf)) leaf = l
	close(leaves)
	if (leaf == "") { bad("entry \"" h "\" is no command of the table"); next }
	if (leaf in seen) bad(leaf ": two entries")
	seen[leaf] = 1
	entry_leaves[entry] = entry_leaves[entry] "|" leaf
	n = split(opts(h), o, " ")
	for (i = 1; i <= n; i++) {
		in_heading[leaf, o[i]] = 1
		if (!((leaf, o[i]) in own) && !(o[i] in common))
			bad(leaf " lists " o[i] ", which it does not take")
	}
	if ((leaf in takes_settings) && h !~ /SETTINGS/)
		bad(leaf " takes VF settings; its entry does not say SETTINGS")
	next
}
entry { body[entry] = body[entry] opts(text($0)) }
END {
	while ((getline l < leaves) > 0) {
		if (!(l in seen)) { bad("no entry for " l); continue }
		n = split(owns[l], o, " ")
		for (i = 1; i <= n; i++)
			if (!((l, o[i]) in in_heading)) bad("the entry of " l " lacks " o[i])
	}
	for (e = 1; e <= entry; e++) {
		n = split(body[e], o, " ")
		m = split(entry_leaves[e], ls, "|")
		for (i = 1; i <= n; i++) {
			ok = (o[i] in common) || (o[i] in global)
			for (j = 1; j <= m; j++)
				ok = ok || ((ls[j], o[i]) in own) || ((ls[j] in takes_settings) && (o[i] in setting))
			if (!ok) bad("the entry of " substr(entry_leaves[e], 2) " names " o[i] ", which none takes")
		}
	}
	for (o1 in global) if (!(o1 in man_global)) bad("OPTIONS lacks " o1)
	for (o1 in man_global) if (!(o1 in global)) bad("OPTIONS lists " o1 ", no global option")
	for (o1 in setting) if (!(o1 in man_setting)) bad("VF SETTINGS lacks " o1)
	for (o1 in man_setting) if (!(o1 in setting)) bad("VF SETTINGS lists " o1 ", no VF setting")
	exit (nbad > 0)
}' "$W/options" "$MAN" >"$W/man.out" || true
while read -r line; do
	fail "${line#FAIL: }"
done <"$W/man.out"
[ -s "$W/man.out" ] || pass "the man page lists every option of the table, and nothing else"

# --- the README's command summary is the overview's ----------------------------------
run --help
sed -n '/^Commands:$/,/^$/s/^  //p' "$W/out" >"$W/overview"
awk '/^Commands$/ { getline; if ($0 ~ /^---/) on = 1; next }
	on && /^[A-Za-z]/ { exit }
	on && /^    / && !/^    virt-sriov / { sub(/^    /, ""); print }' "$top_srcdir/README" >"$W/readme"
[ -s "$W/overview" ] || fail "no Commands: in --help"
cmp -s "$W/overview" "$W/readme" || { diff "$W/overview" "$W/readme" >&2 || true; fail "README's Commands differ from --help's"; }
# and each synopsis names only options its command takes (or global ones)
while read -r cmd; do
	sed -n "s/^$cmd //p" "$W/overview" | grep -o -- '--[a-z-]*' | while read -r opt; do
		grep -q -e "^$cmd	$opt	" -e "^virt-sriov	$opt	global" "$W/options" || fail "the synopsis of $cmd names $opt, which it does not take"
	done
done <"$W/leaves"

finish "help on every command, one-line usage errors, man page and README match the table"
