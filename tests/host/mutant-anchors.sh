#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Every mutant of tests/mutants/list/ still applies to the current tree:
# its file exists, its anchor occurs exactly once, its suite names scripts
# that exist.  Cheap (no build, no VM), so that make test-quick catches a
# mutant list that rotted when module/ changed; `make mutants` runs them.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$root/tests/mutants
n=0 bad=0
for m in "$dir"/list/*.mut; do
	[ -f "$m" ] || continue
	n=$((n + 1))
	name=$(basename "$m" .mut)
	if ! err=$("$dir/apply.sh" --check "$m" "$root" 2>&1); then
		echo "not ok - mutant $name: anchor not found ($err)"
		bad=$((bad + 1))
		continue
	fi
	suite=$(sed -n 's/^suite: //p' "$m")
	case $suite in
	kunit) ;;
	guest\ ?*)
		for s in ${suite#guest }; do
			if [ ! -f "$root/tests/guest/$s" ]; then
				echo "not ok - mutant $name: suite script tests/guest/$s does not exist"
				bad=$((bad + 1))
			fi
		done
		;;
	*)
		echo "not ok - mutant $name: unknown suite \"$suite\""
		bad=$((bad + 1))
		;;
	esac
done
if [ "$n" -lt 24 ]; then
	echo "not ok - mutants: only $n mutants in tests/mutants/list (want at least 24)"
	exit 1
fi
if [ "$bad" = 0 ]; then
	echo "ok - mutants: all $n anchors found exactly once, suites exist"
fi
[ "$bad" = 0 ]
