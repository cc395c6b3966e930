#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# smoke.sh: does `make bench` work?  Runs tests/bench/run.sh --quick (one
# run, a tenth of the operations, no scaling part) and checks its table:
# one row per workload, each measured in all three modes, the ping-pong
# rows at exactly 2 context switches per round trip (getrusage()'s count,
# the kernel's own), and the empty-probe module loaded and unloaded.
# Not a performance test: no figure is judged, only that each exists.
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT

ok() { echo "ok - bench smoke: $*"; }
notok() { echo "not ok - bench smoke: $*"; }

if "$here/run.sh" --quick --runs 1 --log "$here/../../build/logs/bench-smoke.log" >"$out" 2>&1; then
	ok "run.sh --quick exits 0"
else
	notok "run.sh --quick failed:"
	sed 's/^/#   /' "$out" | tail -20
	exit 1
fi
for w in pingpong pingpong-xns fork exec; do
	for n in "" -nested; do
		row=$(awk -v w="$w$n" '$1 == w && NF >= 9' "$out")
		# without, null and nsmon: three positive ns/op figures.
		if echo "$row" | awk '{ exit !($2 > 0 && $3 > 0 && $4 > 0) }'; then
			ok "$w$n measured without, with empty probes and with nsmon"
		else
			notok "$w$n: no complete row in the table"
		fi
	done
done
# The guest's output (LOG.out) and the console, the kernel's (LOG.txt).
log=$here/../../build/logs/bench-smoke.log
bad=$(awk '$1 == "BENCH" && $2 ~ /^pingpong/ && $8 != "2.00"' "$log.out")
if [ -z "$bad" ] && grep -q '^BENCH pingpong with' "$log.out"; then
	ok "every ping-pong round trip is 2 context switches (getrusage)"
else
	notok "ping-pong switches per round trip != 2: $bad"
fi
if grep -q "nsmon_null: [0-9]* probe hits" "$log.txt"; then
	ok "the empty-probe baseline module loaded, counted and unloaded"
else
	notok "no 'nsmon_null: N probe hits' in the guest's kernel log"
fi
