#!/bin/sh
# The library's include graph (docs/architecture.md, "Layers"): the
# `#include "..."` lines among src/lib/*.h and src/lib/*.c, a .c counting
# as the module of its .h (inventory.c and inventory.h are "inventory").
#  - no cycle: FAIL names each one found, module by module, with the file
#    that makes each step;
#  - the base (util, vfconfig, pciaddr, sysfs, netlink) includes nothing
#    above it: only base modules, and util and pciaddr no module at all.
# Before judging the library, the cycle finder is run on a small graph with
# a known cycle, so that a finder that sees nothing cannot pass.
set -eu
. "${top_srcdir:?}/tests/integration/lib.sh"

LIB=$top_srcdir/src/lib
BASE="util vfconfig pciaddr sysfs netlink"
BOTTOM="util pciaddr"
tmpdir include-graph

# edges DIR: "FROM TO FILE" for each #include "X" in DIR/*.[ch] where X is
# a file of DIR; FROM and TO are modules (file names without .c/.h).
edges() {
	for vs_f in "$1"/*.h "$1"/*.c; do
		[ -f "$vs_f" ] || continue
		vs_file=${vs_f##*/}
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$vs_f" |
			while read -r vs_inc; do
				[ -f "$1/${vs_inc##*/}" ] || continue # config.h, system headers
				vs_to=${vs_inc##*/}
				echo "${vs_file%.*} ${vs_to%.*} $vs_file"
			done
	done
}

# cycles < EDGES: one line per cycle found by a depth-first walk (nodes in
# sorted order), "a -> b -> a (a.c: b.h; b.h: a.h)"; nothing when acyclic.
cycles() {
	sort -u | awk '
	$1 != $2 {
		if (!(($1, $2) in via)) {
			via[$1, $2] = $3
			adj[$1] = adj[$1] " " $2
		} else if (index(" " via[$1, $2] ",", " " $3 ",") == 0) {
			via[$1, $2] = via[$1, $2] ", " $3
		}
		if (!($1 in known)) { known[$1]; order[++nn] = $1 }
		if (!($2 in known)) { known[$2]; order[++nn] = $2 }
	}
	function report(m,   i, j, path, why) {
		for (i = depth; i > 0 && stack[i] != m; i--)
			;
		path = ""; why = ""
		for (j = i; j <= depth; j++) {
			path = path stack[j] " -> "
			why = why (why == "" ? "" : "; ") stack[j] "->" (j < depth ? stack[j + 1] : m) \
				": " via[stack[j], j < depth ? stack[j + 1] : m]
		}
		print path m " (" why ")"
	}
	function visit(n,   i, k, m, list) {
		color[n] = 1
		stack[++depth] = n
		k = split(adj[n], list, " ")
		for (i = 1; i <= k; i++) {
			m = list[i]
			if (color[m] == 1)
				report(m)
			else if (!color[m])
				visit(m)
		}
		depth--
		color[n] = 2
	}
	END {
		for (i = 1; i <= nn; i++)
			if (!color[order[i]])
				visit(order[i])
	}'
}

in_list() {
	case " $2 " in *" $1 "*) return 0 ;; esac
	return 1
}

# --- the finder itself, on a graph with one cycle and one without
mkdir "$W/cyc" "$W/acyc"
printf '#include "b.h"\n' >"$W/cyc/a.h"
printf '#include "a.h"\n#include "config.h"\n' >"$W/cyc/b.c"
: >"$W/cyc/b.h"
printf '#include "b.h"\n' >"$W/acyc/a.h"
printf '#include "b.h"\n  #  include "c.h" /* c */\n' >"$W/acyc/a.c"
printf '#include "c.h"\n' >"$W/acyc/b.h"
: >"$W/acyc/c.h"
[ "$(edges "$W/cyc" | cycles)" = "a -> b -> a (a->b: a.h; b->a: b.c)" ] ||
	fail "the finder misses a -> b -> a: '$(edges "$W/cyc" | cycles)'"
[ -z "$(edges "$W/acyc" | cycles)" ] || fail "the finder sees a cycle in a -> b -> c: $(edges "$W/acyc" | cycles)"
[ "$(edges "$W/acyc" | cut -d' ' -f1,2 | sort -u | tr '\n' ' ')" = "a b a c b c " ] ||
	fail "edges of a -> b -> c: $(edges "$W/acyc" | tr '\n' ' ')"
[ "$fails" -eq 0 ] || finish

# --- the library
edges "$LIB" >"$W/edges"
# a graph that is not empty: one edge known to be there
grep -qx 'netlink vfconfig netlink.h' "$W/edges" || fail "no edge netlink.h -> vfconfig.h read from $LIB"
cycles <"$W/edges" >"$W/cycles"
while read -r vs_cycle; do
	fail "include cycle: $vs_cycle"
done <"$W/cycles"

while read -r vs_from vs_to vs_file; do
	[ "$vs_from" != "$vs_to" ] || continue
	in_list "$vs_from" "$BASE" || continue
	if in_list "$vs_from" "$BOTTOM"; then
		fail "$vs_file includes $vs_to.h: $vs_from is at the bottom of the base and includes no module"
	elif ! in_list "$vs_to" "$BASE"; then
		fail "$vs_file includes $vs_to.h: the base ($BASE) includes no higher module"
	fi
done <"$W/edges"

finish "src/lib: $(cut -d' ' -f1,2 "$W/edges" | awk '$1 != $2' | sort -u | wc -l) module includes, no cycle, the base includes nothing above it"
