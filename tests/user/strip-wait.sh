#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# strip-wait.sh TREE: turn a fixture proc tree made by mkfixture.sh into
# what a module built for a kernel without CONFIG_SCHED_INFO shows: no
# wait_* column in nsmon/namespaces, no wait_* line in nsmon/<inum>.  Keys
# after them, if any, stay where they are (they move up).
set -eu
t=$1/nsmon/namespaces
awk 'NR == 1 { for (i = 1; i <= NF; i++) keep[i] = ($i !~ /^wait_/) }
	{ o = ""; for (i = 1; i <= NF; i++) if (keep[i]) o = o (o == "" ? "" : " ") $i; print o }' \
	"$t" >"$t.new"
mv "$t.new" "$t"
for f in "$1"/nsmon/[0-9]*; do
	[ -f "$f" ] || continue
	grep -v '^wait_' "$f" >"$f.new" || true
	mv "$f.new" "$f"
done
