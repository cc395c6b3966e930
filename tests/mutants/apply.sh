#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# apply.sh [--check] MUTANT TREE: apply one mutant (tests/mutants/list/*.mut)
# to the source tree TREE, in place.  With --check, change nothing: only
# say whether its anchor is still there, exactly once.
#
# A mutant names a file (file:), a fixed string that must occur in it
# exactly once (find:) and what replaces that occurrence (replace:).  No
# line numbers, no regular expressions: an unrelated edit of the file
# leaves the mutant applicable, and an edit of the anchored code makes it
# fail loudly here ("anchor not found"), never apply somewhere else.
# Exit status: 0 applied (or anchor fine), 1 anchor missing or not
# unique, 2 the mutant file itself is malformed.
set -eu
check=0
[ "${1:-}" = --check ] && { check=1; shift; }
[ $# = 2 ] || { echo "usage: $0 [--check] MUTANT TREE" >&2; exit 2; }
mut=$1 tree=$2

# field NAME: the value of the one "NAME: value" line (value may be empty).
field() {
	n=$(grep -c "^$1:" "$mut" || true)
	if [ "$n" != 1 ]; then
		echo "apply: $mut: want exactly one \"$1:\" line, found $n" >&2
		exit 2
	fi
	sed -n "s/^$1: \{0,1\}//p" "$mut"
}
file=$(field file)
find=$(field find)
repl=$(field replace)
[ -n "$find" ] || { echo "apply: $mut: empty find:" >&2; exit 2; }
[ "$find" != "$repl" ] || { echo "apply: $mut: replace: equals find:" >&2; exit 2; }
target=$tree/$file
[ -f "$target" ] || { echo "apply: $mut: no file $file" >&2; exit 1; }

# How many times the fixed string occurs (ENVIRON: no escape processing).
count=$(FIND=$find awk 'BEGIN { f = ENVIRON["FIND"]; n = 0 }
	{ s = $0; while ((i = index(s, f)) > 0) { n++; s = substr(s, i + length(f)) } }
	END { print n }' "$target")
if [ "$count" != 1 ]; then
	echo "apply: $mut: anchor found $count times in $file (want 1): $find" >&2
	exit 1
fi
[ $check = 1 ] && exit 0

FIND=$find REPL=$repl awk 'BEGIN { f = ENVIRON["FIND"]; r = ENVIRON["REPL"] }
	{ s = $0; out = ""
	  while ((i = index(s, f)) > 0) { out = out substr(s, 1, i - 1) r; s = substr(s, i + length(f)) }
	  print out s }' "$target" >"$target.mut"
if cmp -s "$target" "$target.mut"; then
	rm -f "$target.mut"
	echo "apply: $mut: applying changed nothing" >&2
	exit 1
fi
mv "$target.mut" "$target"
