#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-tests.sh --quick|--full: the test suite (make test-quick / make test).
#   host checks    every executable tests/host/*.sh, on this machine
#   guest suite    tests/guest in QEMU on Debian's packaged kernel
#   --full adds    tests/bench/smoke.sh: make bench works (figures not
#                  judged), and tests/debug-kernel/run.sh: the debug
#                  kernel (KASAN, lockdep, kmemleak), the KUnit suite and
#                  the torture runs
# The last line is "N passed, N failed", totalled over everything.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:---full}
case $mode in --quick|--full) ;; *) echo "usage: $0 --quick|--full" >&2; exit 2 ;; esac

"$root/tests/setup.sh"
mkdir -p "$root/build/logs"
out=$root/build/logs/run-tests.out
: >"$out"
start=$(date +%s)

# Run one part, showing its output and keeping it for the totals.
part() {
	name=$1
	shift
	echo "# === $name"
	t0=$(date +%s)
	before=$(grep -c "^not ok - " "$out" || true)
	{ "$@"; echo $? >"$out.rc"; } 2>&1 | tee -a "$out"
	rc=$(cat "$out.rc")
	after=$(grep -c "^not ok - " "$out" || true)
	# A part that failed without a "not ok" line of its own gets one.
	if [ "$rc" != 0 ] && [ "$before" = "$after" ]; then
		echo "not ok - $name exited with status $rc" | tee -a "$out"
	fi
	echo "# $name took $(( $(date +%s) - t0 )) s"
}

# The client goes into the guest too (run-vm.sh copies user/nsmon).
if [ -f "$root/user/Makefile" ]; then
	part "build the client" make -s -C "$root/user"
fi
for h in "$root"/tests/host/*.sh; do
	[ -x "$h" ] || continue
	part "host: $(basename "$h")" "$h"
done
part "guest suite, Debian kernel $(. "$root/tests/lib.sh"; nsmon_kver)" \
	sh -c "'$root/tests/qemu/run-vm.sh' --name debian --quiet; rc=\$?; grep -E '^(ok|not ok) - |^# ' '$root/build/logs/debian.log.txt' | grep -v '^# vm '; exit \$rc"
if [ "$mode" = --full ]; then
	part "bench smoke (make bench --quick)" "$root/tests/bench/smoke.sh"
fi
if [ "$mode" = --full ] && [ -x "$root/tests/debug-kernel/run.sh" ]; then
	part "debug kernel" "$root/tests/debug-kernel/run.sh"
fi

passed=$(grep -c "^ok - " "$out" || true)
failed=$(grep -c "^not ok - " "$out" || true)
echo "# tests took $(( $(date +%s) - start )) s"
echo "$passed passed, $failed failed" | tee "$root/build/summary"
[ "$failed" = 0 ]
