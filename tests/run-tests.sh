#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-tests.sh --quick|--full: the test suite (make test-quick / make test).
#   host checks    every executable tests/host/*.sh, on this machine
#   self-test      tests/selftest/run.sh: the runner reports every way a
#                  part, a guest script or a guest can fail
#   guest suite    tests/guest in QEMU on Debian 12's packaged kernel (6.1)
#   --full adds    tests/bench/smoke.sh: make bench works (figures not
#                  judged), and the other supported kernels
#                  (tests/run-kernel.sh, README "Supported kernels"):
#                  - 6.12, bookworm-backports' packaged kernel: the guest suite
#                  - the 6.1 debug kernel, KCSAN variant (KCSAN,
#                    lockdep, DEBUG_PREEMPT, kmemleak): the KUnit suite
#                    and the torture runs
#                  - the 7.x debug kernel (KASAN, lockdep, kmemleak),
#                    built from Debian unstable's newest linux-source-7.*:
#                    the guest suite, the KUnit suite and the torture runs
# Each kernel ends with "# kernel RELEASE (HOW): P passed, F failed", and
# these lines are repeated before the totals.
# The output is TAP (the plan "1..N" next to last; each part also in
# build/logs/tap/NN-*.tap with a plan of its own: prove -e cat build/logs/tap/*.tap).
# The last line is "N passed, N failed", totalled over everything.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:---full}
case $mode in --quick|--full) ;; *) echo "usage: $0 --quick|--full" >&2; exit 2 ;; esac

. "$root/tests/lib-tap.sh"
mkdir -p "$root/build/logs"
out=$root/build/logs/run-tests.out
: >"$out"
# Each part's output as a TAP file of its own, with its plan (part(),
# tests/lib-tap.sh).
tap=$root/build/logs/tap
rm -rf "$tap"
mkdir -p "$tap"
start=$(date +%s)

# shellcheck disable=SC2016 # $1 is sh -c's
part "setup (tests/setup.sh)" sh -c '"$1" && echo "ok - tests/setup.sh: every package the tests use is installed"' sh "$root/tests/setup.sh"
# The client goes into the guest too (run-vm.sh copies user/nsmon).
if [ -f "$root/user/Makefile" ]; then
	# shellcheck disable=SC2016 # $1 is sh -c's
	part "build the client" sh -c 'make -s -C "$1" && echo "ok - the client builds"' sh "$root/user"
fi
for h in "$root"/tests/host/*.sh; do
	[ -x "$h" ] || continue
	part "host: $(basename "$h")" "$h"
done
# The runner itself: every way a part can fail must show (two short VMs).
part "runner self-test" "$root/tests/selftest/run.sh"
part "guest suite, Debian kernel $(. "$root/tests/lib.sh"; nsmon_kver)" \
	"$root/tests/run-kernel.sh" debian
if [ "$mode" = --full ]; then
	part "bench smoke (make bench --quick)" "$root/tests/bench/smoke.sh"
fi
if [ "$mode" = --full ]; then
	part "kernel 6.12 (bookworm-backports): guest suite" \
		"$root/tests/run-kernel.sh" backports
	part "KCSAN debug kernel 6.1: KUnit, torture" \
		"$root/tests/run-kernel.sh" debug-6.1
	part "debug kernel 7.x (Debian unstable's source): guest suite, KUnit, torture" \
		"$root/tests/run-kernel.sh" debug-7
fi

echo "# per kernel:"
grep -E "^# kernel .*: [0-9]+ passed, [0-9]+ failed" "$out" || echo "# (no kernel ran)"

echo "# tests took $(( $(date +%s) - start )) s"
# The plan, and "N passed, N failed" last (also in build/summary).
rc=0
tap_totals >"$out.totals" || rc=1
cat "$out.totals"
tail -n 1 "$out.totals" >"$root/build/summary"
exit $rc
