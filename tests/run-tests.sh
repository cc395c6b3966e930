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
# The output is TAP (the plan "1..N" next to last; each part also in
# build/logs/tap/NN-*.tap with a plan of its own: prove -e cat build/logs/tap/).
# The last line is "N passed, N failed", totalled over everything.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:---full}
case $mode in --quick|--full) ;; *) echo "usage: $0 --quick|--full" >&2; exit 2 ;; esac

. "$root/tests/lib-tap.sh"
mkdir -p "$root/build/logs"
out=$root/build/logs/run-tests.out
: >"$out"
# Each part's output as a TAP file of its own, with its plan.
tap=$root/build/logs/tap
rm -rf "$tap"
mkdir -p "$tap"
nparts=0
start=$(date +%s)

# Run one part, showing its output (as TAP: tap_filter) and keeping it for
# the totals.  Every way a part can fail ends in a "not ok" line: its own,
# or one added here when it exits non-zero without one, or when it prints
# no result at all.
part() {
	name=$1
	shift
	nparts=$((nparts + 1))
	pf=$tap/$(printf %02d "$nparts")-$(echo "$name" | tr -cs 'A-Za-z0-9.\n-' '_').tap
	echo "# === $name"
	t0=$(date +%s)
	rm -f "$out.rc"
	# Not "{ "$@"; echo $? >rc; }": under set -e the group ends at the
	# failing command, before writing its status.
	{ prc=0; "$@" || prc=$?; echo "$prc" >"$out.rc"; } 2>&1 | tap_filter | tee "$pf"
	prc=$(cat "$out.rc" 2>/dev/null || echo "unknown (it wrote none)")
	if [ "$prc" != 0 ] && ! grep -q "^not ok - " "$pf"; then
		echo "not ok - $name exited with status $prc" | tee -a "$pf"
	elif [ "$(tap_count "$pf")" = 0 ]; then
		echo "not ok - $name printed no test result (exit status $prc)" | tee -a "$pf"
	fi
	cat "$pf" >>"$out"
	echo "1..$(tap_count "$pf")" >>"$pf"
	echo "# $name took $(( $(date +%s) - t0 )) s"
}

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
part "guest suite, Debian kernel $(. "$root/tests/lib.sh"; nsmon_kver)" \
	"$root/tests/qemu/run-vm.sh" --name debian
if [ "$mode" = --full ]; then
	part "bench smoke (make bench --quick)" "$root/tests/bench/smoke.sh"
fi
if [ "$mode" = --full ] && [ -x "$root/tests/debug-kernel/run.sh" ]; then
	part "debug kernel" "$root/tests/debug-kernel/run.sh"
fi

passed=$(grep -c "^ok - " "$out" || true)
failed=$(grep -c "^not ok - " "$out" || true)
echo "# tests took $(( $(date +%s) - start )) s"
echo "1..$((passed + failed))"
echo "$passed passed, $failed failed" | tee "$root/build/summary"
[ "$failed" = 0 ]
