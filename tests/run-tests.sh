#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-tests.sh --quick|--full: the test suite (make test-quick / make test).
#   host checks    every executable tests/host/*.sh, on this machine
#   guest suite    tests/guest in QEMU on Debian 12's packaged kernel (6.1)
#   --full adds    tests/bench/smoke.sh: make bench works (figures not
#                  judged), and the other supported kernels
#                  (tests/run-kernel.sh, README "Supported kernels"):
#                  - 6.12, bookworm-backports' packaged kernel: the guest suite
#                  - the 6.1 debug kernel (KASAN, lockdep, kmemleak):
#                    the guest suite and the KUnit suite
#                  - the 7.x debug kernel, built from Debian unstable's
#                    newest linux-source-7.*: the guest suite, the KUnit
#                    suite and the torture runs
# Each kernel ends with "# kernel RELEASE (HOW): P passed, F failed", and
# these lines are repeated before the totals.
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
	"$root/tests/run-kernel.sh" debian
if [ "$mode" = --full ]; then
	part "bench smoke (make bench --quick)" "$root/tests/bench/smoke.sh"
fi
if [ "$mode" = --full ]; then
	part "kernel 6.12 (bookworm-backports): guest suite" \
		"$root/tests/run-kernel.sh" backports
	part "debug kernel 6.1: guest suite, KUnit" \
		"$root/tests/run-kernel.sh" debug-6.1
	part "debug kernel 7.x (Debian unstable's source): guest suite, KUnit, torture" \
		"$root/tests/run-kernel.sh" debug-7
fi

echo "# per kernel:"
grep -E "^# kernel .*: [0-9]+ passed, [0-9]+ failed" "$out" || echo "# (no kernel ran)"

passed=$(grep -c "^ok - " "$out" || true)
failed=$(grep -c "^not ok - " "$out" || true)
echo "# tests took $(( $(date +%s) - start )) s"
echo "$passed passed, $failed failed" | tee "$root/build/summary"
[ "$failed" = 0 ]
