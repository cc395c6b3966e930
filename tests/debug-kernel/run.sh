#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [--source SRC] [--variant NAME] [--tag TAG]
#        [--parts "integration kunit torture"] [--total]: everything on a
# debug kernel (KASAN or, --variant kcsan, KCSAN; lockdep, kmemleak,
# ...).  Called by `make test` (tests/run-kernel.sh, once for the 6.1
# KCSAN and once for the 7.x KASAN debug kernel); runs on its own too.
#
#   1. build the debug kernel from SRC, or take it from the cache
#      (build.sh; SRC defaults to Debian 12's linux-source-6.1 tarball;
#      --variant kcsan: build.sh --variant kcsan, KCSAN instead of KASAN),
#   2. build nsmon against it (a "not ok" with the compiler's errors if
#      it does not build, and then no VM is started),
#   3. integration: the suite tests/guest on it, between a kmemleak
#      baseline and a kmemleak check after rmmod (guest-pre/, guest-post/),
#   4. kunit: the KUnit suite (kunit.sh),
#   5. torture: the torture suite tests/torture/.
# --parts picks among 3-5 (default: all three).  --tag names the logs and
# results (default: debug-kernel, VMs debug-integration, debug-torture,
# kunit; with --tag T: T, T-integration, T-torture, T-kunit).
#
# Each VM run fails on any "not ok" and on any kernel report in its log
# (run-vm.sh: KASAN, lockdep, suspicious RCU usage, sleeping in atomic,
# WARN, BUG, kmemleak, a KCSAN report naming nsmon's code...).  Prints ok/not ok lines, the time of each
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

total=0 src=${NSMON_KSRC:-/usr/src/linux-source-6.1.tar.xz} tag="" parts="integration kunit torture"
while [ $# -gt 0 ]; do
	case $1 in
	--total) total=1; shift ;;
	--source) src=$2; shift 2 ;;
	--tag) tag=$2; shift 2 ;;
	--variant) NSMON_DEBUG_VARIANT=$2; export NSMON_DEBUG_VARIANT; shift 2 ;;
	--parts) parts=$2; shift 2 ;;
	*) echo "usage: $0 [--source SRC] [--variant NAME] [--tag TAG] [--parts LIST] [--total]" >&2; exit 2 ;;
	esac
done
if [ -z "$tag" ]; then
	label=debug-kernel vmpfx=debug kname=kunit
else
	label=$tag vmpfx=$tag kname=$tag-kunit
fi
# kunit.sh builds (takes) the same kernel (the same NSMON_KSRC and
# NSMON_DEBUG_VARIANT) and names its logs after it.
NSMON_KSRC=$src NSMON_KUNIT_NAME=$kname
export NSMON_KSRC NSMON_KUNIT_NAME
has() { case " $parts " in *" $1 "*) return 0 ;; esac; return 1; }

logs=$root/build/logs
mkdir -p "$logs"
out=$logs/$label.out
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
			say "not ok - $label: $name exited $prc"
	fi
	say "# $label: $name took $t s"
}
times=""

[ -x "$root/tests/setup.sh" ] && "$root/tests/setup.sh"

t0=$(date +%s)
if tree=$("$here/build.sh" "$src" | tail -n 1) && [ -f "$tree/arch/x86/boot/bzImage" ]; then
	say "ok - $label: kernel $(sed -n 's/^kernelrelease=//p' "$tree/.nsmon-built") built or cached ($tree)"
else
	say "not ok - $label: building the debug kernel from $src failed (log: $("$here/build.sh" --print-tree "$src").log)"
	echo "1..1"
	[ $total = 1 ] && echo "0 passed, 1 failed" || echo "# $label: 0 passed, 1 failed"
	exit 1
fi
times="build=$(($(date +%s) - t0))s"
bz=$tree/arch/x86/boot/bzImage

# Without a module there is nothing to run: one "not ok" with the reason.
if ! nsmon_build_check "$root" "$tree" "$label" >"$out.mod"; then
	tee -a "$out" <"$out.mod"
	echo "# $label: times:$times"
	say "# $label: no VM started ($parts): nsmon does not build against this kernel"
	p=$(grep -c "^ok - " "$out" || true)
	f=$(grep -c "^not ok - " "$out" || true)
	echo "1..$((p + f))"
	if [ $total = 1 ]; then echo "$p passed, $f failed"; else echo "# $label: $p passed, $f failed"; fi
	exit 1
fi
tee -a "$out" <"$out.mod"

if has integration; then
	part integration "$root/tests/qemu/run-vm.sh" --kernel "$bz" --kdir "$tree" \
		--name "$vmpfx-integration" --timeout "${NSMON_DEBUG_TIMEOUT:-2400}" \
		--script-timeout 900 \
		--suite "$here/guest-pre" --suite "$root/tests/guest" \
		--suite "$here/guest-post"
fi

if has kunit; then
	part kunit "$here/kunit.sh" --no-total
fi

if has torture; then
	part torture "$root/tests/qemu/run-vm.sh" --kernel "$bz" --kdir "$tree" \
		--name "$vmpfx-torture" --timeout "${NSMON_TORTURE_TIMEOUT:-1800}" \
		--script-timeout 1200 --suite "$root/tests/torture" \
		--append "tt_cycles=${NSMON_TT_CYCLES:-200} tt_workers=${NSMON_TT_WORKERS:-4} tt_namespaces=${NSMON_TT_NAMESPACES:-5000} tt_creators=${NSMON_TT_CREATORS:-2} tt_readers=${NSMON_TT_READERS:-3} tt_seconds=${NSMON_TT_SECONDS:-30} tt_threads=${NSMON_TT_THREADS:-8}"
fi

# What the torture runs achieved, for the record.
if has torture; then
	grep -h "achieved" "$logs/$vmpfx-torture.log.out" 2>/dev/null | tee -a "$out" || true
fi

p=$(grep -c "^ok - " "$out" || true)
f=$(grep -c "^not ok - " "$out" || true)
[ "$rc" = 0 ] || [ "$f" != 0 ] || { say "not ok - $label: a part failed"; f=1; }
echo "# $label: times:$times"
echo "1..$((p + f))"
if [ $total = 1 ]; then
	echo "$p passed, $f failed"
else
	echo "# $label: $p passed, $f failed"
fi
[ "$rc" = 0 ] && [ "$f" = 0 ]
