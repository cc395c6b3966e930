# SPDX-License-Identifier: GPL-2.0
# Helpers of the guest scripts (sourced).
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
# check DESCRIPTION COMMAND...: ok or not ok as COMMAND succeeds or not.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else notok "$desc"; fi
}

# How many levels deep task $1 is (the number of fields of NSpid).
nspid_depth() {
	awk '/^NSpid:/ { print NF - 1 }' "/proc/$1/status" 2>/dev/null
}

# Live (not zombie) entries among the /proc dirs matching glob $2 whose
# active PID namespace has inode $1.
count_live_in_ns() {
	n=0
	for t in $2; do
		[ "$(stat -L -c %i "$t/ns/pid" 2>/dev/null)" = "$1" ] || continue
		grep -q "^State:.*[ZX]" "$t/status" 2>/dev/null && continue
		n=$((n + 1))
	done
	echo $n
}
# Tasks (threads), and processes, of the namespace with inode $1.
count_tasks() { count_live_in_ns "$1" "/proc/[0-9]*/task/[0-9]*"; }
count_procs() { count_live_in_ns "$1" "/proc/[0-9]*"; }

# The children of process $1 (busybox has no pgrep -P).
child_pids() {
	for s in /proc/[0-9]*/status; do
		awk -v pp="$1" '/^Pid:/ { p = $2 } /^PPid:/ { if ($2 == pp) print p }' "$s" 2>/dev/null
	done
}
