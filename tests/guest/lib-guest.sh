# SPDX-License-Identifier: GPL-2.0
# Helpers of the guest scripts (sourced).
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }

# How many levels deep task $1 is (the number of fields of NSpid).
nspid_depth() {
	awk '/^NSpid:/ { print NF - 1 }' "/proc/$1/status" 2>/dev/null
}

# Tasks (threads) / live processes whose active namespace has inode $1.
count_tasks() {
	n=0
	for t in /proc/[0-9]*/task/[0-9]*; do
		[ "$(stat -L -c %i "$t/ns/pid" 2>/dev/null)" = "$1" ] || continue
		grep -q "^State:.*[ZX]" "$t/status" 2>/dev/null && continue
		n=$((n + 1))
	done
	echo $n
}
count_procs() {
	n=0
	for t in /proc/[0-9]*; do
		[ "$(stat -L -c %i "$t/ns/pid" 2>/dev/null)" = "$1" ] || continue
		grep -q "^State:.*[ZX]" "$t/status" 2>/dev/null && continue
		n=$((n + 1))
	done
	echo $n
}

# The children of process $1 (busybox has no pgrep -P).
child_pids() {
	for s in /proc/[0-9]*/status; do
		awk -v pp="$1" '/^Pid:/ { p = $2 } /^PPid:/ { if ($2 == pp) print p }' "$s" 2>/dev/null
	done
}
