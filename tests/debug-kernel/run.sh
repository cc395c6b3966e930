#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run.sh: everything on the debug kernel (KASAN, lockdep, kmemleak, ...).
# Called by `make test` (tests/run-tests.sh --full); runs on its own too.
#
#   1. build the debug kernel, or take it from the cache (build.sh),
#   2. the integration suite tests/guest on it, between a kmemleak baseline
#      and a kmemleak check after rmmod (guest-pre/, guest-post/),
#   3. the KUnit suite (kunit.sh),
#   4. the torture suite tests/torture/.
#
# Each VM run fails on any "not ok" and on any kernel report in its log
# (run-vm.sh: KASAN, lockdep, suspicious RCU usage, sleeping in atomic,
# WARN, BUG, kmemleak...).  Prints ok/not ok lines, the time of each
# part, the TAP plan "1..N", and "# debug-kernel: P passed, F failed"
# last; with --total, the plain "P passed, F failed" totals line instead.
#
# Sizes of the torture runs (defaults: the issue's figures):
#   NSMON_TT_CYCLES=200 NSMON_TT_WORKERS=4 NSMON_TT_NAMESPACES=5000
#   NSMON_TT_CREATORS=2 NSMON_TT_READERS=3 NSMON_TT_SECONDS=30
#   NSMON_TT_THREADS=8
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/lib.sh"
. "$root/tests/lib-tap.sh"

total=0
[ "${1:-}" = --total ] && total=1

logs=$root/build/logs
mkdir -p "$logs"
out=$logs/debug-kernel.out
: >"$out"
rc=0

say() { echo "$*" | tee -a "$out"; }
part() {	# part NAME COMMAND...: run, keep its output, time it
	name=$1
	shift
	t0=$(date +%s)
	nb=$(grep -c "^not ok - " "$out" || true)
	rm -f "$out.rc"
	# (set -e would end the group at a failing command: catch its status.)
	{ prc=0; "$@" 2>&1 || prc=$?; echo $prc >"$out.rc"; } | tap_filter | tee -a "$out"
	prc=$(cat "$out.rc" 2>/dev/null || echo "unknown (it wrote none)")
	t=$(($(date +%s) - t0))
	times="$times $name=${t}s"
	if [ "$prc" != 0 ]; then
		rc=1
		[ "$(grep -c "^not ok - " "$out" || true)" != "$nb" ] ||
			say "not ok - debug-kernel: $name exited $prc"
	fi
	say "# debug-kernel: $name took $t s"
}
times=""

[ -x "$root/tests/setup.sh" ] && "$root/tests/setup.sh"

t0=$(date +%s)
if tree=$("$here/build.sh" | tail -n 1) && [ -f "$tree/arch/x86/boot/bzImage" ]; then
	say "ok - debug-kernel: kernel built or cached ($tree)"
else
	say "not ok - debug-kernel: building the debug kernel failed"
	echo "1..1"
	[ $total = 1 ] && echo "0 passed, 1 failed" || echo "# debug-kernel: 0 passed, 1 failed"
	exit 1
fi
times="build=$(($(date +%s) - t0))s"
bz=$tree/arch/x86/boot/bzImage

part integration "$root/tests/qemu/run-vm.sh" --kernel "$bz" --kdir "$tree" \
	--name debug-integration --timeout "${NSMON_DEBUG_TIMEOUT:-1500}" \
	--script-timeout 900 \
	--suite "$here/guest-pre" --suite "$root/tests/guest" \
	--suite "$here/guest-post"

part kunit "$here/kunit.sh" --no-total

part torture "$root/tests/qemu/run-vm.sh" --kernel "$bz" --kdir "$tree" \
	--name debug-torture --timeout "${NSMON_TORTURE_TIMEOUT:-1800}" \
	--script-timeout 1200 --suite "$root/tests/torture" \
	--append "tt_cycles=${NSMON_TT_CYCLES:-200} tt_workers=${NSMON_TT_WORKERS:-4} tt_namespaces=${NSMON_TT_NAMESPACES:-5000} tt_creators=${NSMON_TT_CREATORS:-2} tt_readers=${NSMON_TT_READERS:-3} tt_seconds=${NSMON_TT_SECONDS:-30} tt_threads=${NSMON_TT_THREADS:-8}"

# What the torture runs achieved, for the record.
grep -h "achieved" "$logs/debug-torture.log.out" 2>/dev/null | tee -a "$out" || true

p=$(grep -c "^ok - " "$out" || true)
f=$(grep -c "^not ok - " "$out" || true)
[ "$rc" = 0 ] || [ "$f" != 0 ] || { say "not ok - debug-kernel: a part failed"; f=1; }
echo "# debug-kernel: times:$times"
echo "1..$((p + f))"
if [ $total = 1 ]; then
	echo "$p passed, $f failed"
else
	echo "# debug-kernel: $p passed, $f failed"
fi
[ "$rc" = 0 ] && [ "$f" = 0 ]
