#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kunit.sh (`make kunit`): run nsmon's KUnit suite on the debug kernel.
#
#   1. build the debug kernel if it is not cached (build.sh; ~10 min once),
#   2. build nsmon.ko and nsmon_kunit.ko against it and boot it in QEMU
#      (tests/qemu/run-vm.sh) with the guest script kunit-guest/10-kunit.sh,
#      which loads both modules: the tests run inside the second insmod,
#   3. cut the KTAP out of the serial console log, print it, and check it
#      strictly (ktap-check.py, and the kernel's own kunit.py parser): any
#      "not ok", a skip, a missing plan or a crash mid-suite fails.
#
# Besides the KTAP, any kernel report during the run (KASAN, lockdep,
# WARN, ...; run-vm.sh watches the log) and any kmemleak finding after
# unloading fails it too.  Exit status 0 only if all of that passed.
#
# Environment: NSMON_KSRC, the kernel source to build the debug kernel
# from (build.sh; default Debian 12's linux-source-6.1; e.g. the
# linux-source-7.*.deb that tests/kernels.sh unstable fetches),
# NSMON_DEBUG_VARIANT (build.sh's variant: kcsan for the KCSAN kernel;
# default none, the KASAN one), and NSMON_KUNIT_NAME, the name of the VM and of the logs (default kunit:
# build/logs/kunit.log, kunit.ktap).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/lib.sh"

# Run standalone (make kunit), print the totals line last; run.sh passes
# --no-total and counts the ok/not ok lines itself.
# The output is TAP (tap_filter: the KTAP shows as comments), with the
# plan "1..N" next to last.
if [ "${1:-}" != --no-total ]; then
	. "$root/tests/lib-tap.sh"
	mkdir -p "$root/build/logs"
	out=$root/build/logs/${NSMON_KUNIT_NAME:-kunit}.out
	rm -f "$out.rc"
	# (set -e would end the group at a failing command: catch its status.)
	{ rc=0; "$0" --no-total || rc=$?; echo $rc >"$out.rc"; } 2>&1 | tap_filter | tee "$out"
	rc=$(cat "$out.rc" 2>/dev/null || echo "unknown (it wrote none)")
	p=$(grep -c "^ok - " "$out" || true)
	f=$(grep -c "^not ok - " "$out" || true)
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "not ok - kunit.sh exited $rc"
		f=1
	elif [ "$p" = 0 ] && [ "$f" = 0 ]; then
		echo "not ok - kunit.sh printed no test result"
		f=1
	fi
	echo "1..$((p + f))"
	echo "$p passed, $f failed"
	if [ "$rc" = 0 ] && [ "$f" = 0 ]; then exit 0; fi
	exit 1
fi

[ -x "$root/tests/setup.sh" ] && "$root/tests/setup.sh"

tree=$("$here/build.sh" | tail -n 1)
[ -f "$tree/arch/x86/boot/bzImage" ] || { echo "not ok - kunit: no debug kernel"; exit 1; }
krel=$(make -s -C "$tree" kernelrelease)
kname=${NSMON_KUNIT_NAME:-kunit}
log=$root/build/logs/$kname.log

# KUnit runs a module's suites when it is loaded only if kunit.autorun
# is on (since 6.10 or so; CONFIG_KUNIT_AUTORUN_ENABLED, its default,
# which allnoconfig turns off): otherwise the suites are only registered,
# and no KTAP comes out.  The 6.1 kernel has no such switch.
args=kunit.enable=1
grep -q '^# CONFIG_KUNIT_AUTORUN_ENABLED is not set' "$tree/.config" &&
	args="$args kunit.autorun=1"

vmrc=0
"$root/tests/qemu/run-vm.sh" --kernel "$tree/arch/x86/boot/bzImage" \
	--kdir "$tree" --suite "$here/kunit-guest" --name "$kname" \
	--timeout "${NSMON_KUNIT_TIMEOUT:-900}" --append "$args" --log "$log" >"$log.vm" 2>&1 || vmrc=$?

# The plan of the whole run: how many suites nsmon_kunit.ko holds (the
# pointers in its .kunit_test_suites section).  KUnit prints no top-level
# plan for a module, so without this a suite that never started would go
# unnoticed.
ko=$root/build/mod-$krel/nsmon_kunit.ko
nsuites=0
if [ -f "$ko" ]; then
	size=$(readelf -S -W "$ko" | awk '$2 == ".kunit_test_suites" { print $6 }')
	[ -n "$size" ] && nsuites=$((0x$size / 8))
fi

# The KTAP: the kernel's own lines (they carry a printk timestamp; the
# guest's output does not) from the first suite's header on, up to the
# guest's dmesg dump, or to the end of the log if the guest never got
# there (a crash).  The boot-time "1..0" of the built-in executor is not
# part of it.  Nor are KCSAN's reports (the kcsan kernel): at column 0
# and 1 in the middle of a suite they would break the KTAP's nesting
# (run-vm.sh judges them, on the whole log); the KTAP lines another CPU
# printed in the middle of one are kept.
ktap=$root/build/logs/$kname.ktap
{
	echo "KTAP version 1"
	echo "1..$nsuites"
	sed -n '/^=== dmesg begin/q; /^\[ *[0-9]*\.[0-9]*\]     KTAP version/,$p' "$log.txt" |
		sed -n 's/^\[ *[0-9]*\.[0-9]*\] //p' | awk '
		function issep(s) { return length(s) >= 30 && s !~ /[^=]/ }
		inrep {
			if (issep($0))
				inrep = 0
			else if ($0 ~ /^ *((not )?ok [0-9]|# |KTAP version|1\.\.[0-9])/)
				print
			next
		}
		held != "" {
			if ($0 ~ /^BUG: KCSAN: /) {
				inrep = 1
				held = ""
				next
			}
			print held
			held = ""
		}
		issep($0) { held = $0; next }
		{ print }
		END { if (held != "") print held }'
} >"$ktap"

echo "# kunit: KTAP of $nsuites suites on $krel (full console log: $log)"
cat "$ktap"
echo "# kunit: end of KTAP"

rc=0
# The guest's own checks and run-vm.sh's verdict on the kernel log.
cat "$log.vm"
[ $vmrc = 0 ] || rc=1
if [ "$nsuites" = 0 ]; then
	echo "not ok - kunit: nsmon_kunit.ko was not built, or holds no suite"
	rc=1
fi
python3 "$here/ktap-check.py" "$ktap" || rc=1
# The kernel's own parser, for its summary and as a second opinion.
if [ -f "$tree/tools/testing/kunit/kunit.py" ]; then
	if python3 "$tree/tools/testing/kunit/kunit.py" parse "$ktap" >"$ktap.parsed" 2>&1; then
		echo "ok - kunit: tools/testing/kunit/kunit.py parse agrees"
	else
		echo "not ok - kunit: tools/testing/kunit/kunit.py parse failed:"
		rc=1
	fi
	sed 's/^/# /' "$ktap.parsed" | tail -n 12
fi
exit $rc
