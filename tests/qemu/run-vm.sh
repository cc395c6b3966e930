#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-vm.sh: boot a kernel in QEMU (TCG, no KVM needed) with nsmon.ko and
# the test suites in an initramfs, collect the results from the serial
# console, and judge them.
#
#   run-vm.sh [--kernel BZIMAGE] [--kdir KDIR] [--suite DIR]...
#             [--timeout SEC] [--smp N] [--mem MB] [--append ARGS]
#             [--qemu-arg ARG]... [--log FILE] [--name NAME] [--quiet]
#
# The guest's scripts write to the VM's second serial port, which only
# they use: LOG.out holds exactly what they printed (no kernel message
# cut into a line, nothing lost), with the verdicts below inserted; LOG
# and LOG.txt hold the console: the kernel's messages, init's markers and
# a dmesg dump.
#
# Fails ("not ok - vm NAME: ...") on any "not ok", on a script that exits
# non-zero without a "not ok" of its own, on a missing completion marker
# (timeout, panic, hang), and on any sign of a kernel problem in the
# console or dmesg (a KCSAN report only if it names nsmon's code: those of
# the core kernel alone are printed as comments).  Prints the guest's results (unless --quiet), the
# verdicts, the plan "1..N" and "# vm NAME: P passed, F failed" last.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/lib.sh"
. "$root/tests/lib-tap.sh"

kver=$(nsmon_kver)
kernel="" kdir="" suites="" vmtimeout=900 smp=2 mem=1024 append=""
qemu_args="" log="" name="debian" quiet=0 script_timeout=600
# One host thread for all vCPUs.  Multi-threaded TCG lets a vCPU spin
# forever on a jump label that another vCPU is live-patching (seen when
# rmmod disables the sched_process_exit tracepoint during a fork storm:
# both vCPUs stuck at the patched site in do_exit(), soft lockups); the
# guest kernel does nothing wrong there, so emulate it the safe way.
accel=${NSMON_ACCEL:-tcg,thread=single}
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--kdir) kdir=$2; shift 2 ;;
	--suite) suites="$suites $(cd "$2" && pwd)"; shift 2 ;;
	--timeout) vmtimeout=$2; shift 2 ;;
	--script-timeout) script_timeout=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--append) append="$append $2"; shift 2 ;;
	--qemu-arg) qemu_args="$qemu_args $2"; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--name) name=$2; shift 2 ;;
	--quiet) quiet=1; shift ;;
	*) echo "run-vm: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$kernel" ] || kernel=/boot/vmlinuz-$kver
[ -n "$kdir" ] || kdir=/lib/modules/$kver/build
[ -n "$suites" ] || suites=$root/tests/guest
[ -n "$log" ] || log=$root/build/logs/$name.log
mkdir -p "$(dirname "$log")"
# No stale log of an earlier run may be read as this run's.
rm -f "$log" "$log.txt" "$log.out" "$log.out.raw" "$log.bad" "$log.judged" "$log.kcsan"
# A failure before the VM runs is a result too, not a silent exit.
fail() {
	echo "not ok - vm $name: $*"
	echo "1..1"
	echo "# vm $name: 0 passed, 1 failed"
	exit 1
}
[ -r "$kernel" ] || fail "no kernel image $kernel"

krel=$(make -s -C "$kdir" kernelrelease 2>/dev/null || basename "$(dirname "$kdir")")
# A KCSAN kernel: the guest's init makes its sampling denser (see there).
if grep -qx CONFIG_KCSAN=y "$kdir/.config" 2>/dev/null; then
	append="$append nsmon_kcsan_skip_watch=${NSMON_KCSAN_SKIP_WATCH:-100}"
fi
work=$root/build/vm-$name
modout=$root/build/mod-$krel

"$here/build-module.sh" "$kdir" "$modout" >&2 || fail "building nsmon.ko against $kdir failed"

# The initramfs: busybox, the module, the test programs and scripts.
rm -rf "$work"
mkdir -p "$work/root/bin" "$work/root/nsmon/bin" "$work/root/nsmon/suites"
cd "$work/root"
mkdir -p proc sys dev tmp etc lib lib64 sbin usr/bin usr/sbin
cp /bin/busybox bin/busybox
for applet in $(bin/busybox --list-full); do
	[ -e "$applet" ] || ln -s /bin/busybox "$applet"
done
cp "$here/init" init
chmod +x init
echo "$script_timeout" >nsmon/script-timeout
cp "$modout/nsmon.ko" nsmon/
[ -f "$modout/nsmon_kunit.ko" ] && cp "$modout/nsmon_kunit.ko" nsmon/

compile() {
	for c in "$1"/*.c; do
		[ -f "$c" ] || continue
		gcc -static -O2 -Wall -Wextra -Werror -pthread \
			-I"$root/include" -o "nsmon/bin/$(basename "$c" .c)" "$c"
	done
}
compile "$root/tests/guest"
n=0
for s in $suites; do
	n=$((n + 1))
	[ "$s" = "$root/tests/guest" ] || compile "$s"
	dest=nsmon/suites/$n-$(basename "$s")
	mkdir -p "$dest"
	for f in "$s"/*; do
		case $f in *.c) ;; *) cp -r "$f" "$dest/" ;; esac
	done
done

# The client and the shared libraries it links, if it is built.
if [ -x "$root/user/nsmon" ]; then
	cp "$root/user/nsmon" nsmon/bin/
	for lib in $(ldd "$root/user/nsmon" | awk '/\//{ print ($3 ~ /^\//) ? $3 : $1 }'); do
		mkdir -p ".$(dirname "$lib")"
		cp -L "$lib" ".$lib"
	done
fi

find . | cpio -o -H newc --quiet | gzip -1 >"$work/initrd.gz"
cd "$root"

# Serial port 1 (ttyS0) is the console, port 2 (ttyS1) the scripts' output.
qrc=0
# shellcheck disable=SC2086
timeout --foreground "$vmtimeout" qemu-system-x86_64 -accel "$accel" \
	-smp "$smp" -m "$mem" -display none -monitor none -serial stdio \
	-serial "file:$log.out.raw" \
	-no-reboot -kernel "$kernel" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 loglevel=7 $append" $qemu_args \
	</dev/null >"$log" 2>&1 || qrc=$?

tr -d '\r' <"$log" >"$log.txt"
# The guest's output, judged script by script: init marks where each one
# starts and how it exited; one that failed without saying "not ok" gets
# one.  (The marker of the end starts with a newline of its own, in case
# the script's last line had none.)
tr -d '\r' <"$log.out.raw" 2>/dev/null | awk '
/^# guest: running / { cur = $4; said = 0; running = 1 }
/^not ok - / { said = 1 }
{ print }
/^# guest: [^ ]+ exited with status [0-9]+$/ {
	if ($7 != 0 && !said)
		print "not ok - " $3 " exited with status " $7 " without a \"not ok\" of its own"
	running = 0
}
END { if (running) print "# vm: the guest was running " cur " when its output ended" }
' >"$log.out"
if [ $quiet = 0 ]; then
	grep -E "^(ok|not ok) - |^#" "$log.out" | tap_filter || true
fi
passed=$(grep -c "^ok - " "$log.out" || true)
failed=$(grep -c "^not ok - " "$log.out" || true)
# init writes the marker to the results port after everything else.
if ! grep -qx "NSMON-GUEST-DONE" "$log.out"; then
	why="it ended (panic, crash or reboot)"
	[ "$qrc" = 124 ] && why="the VM was stopped after --timeout $vmtimeout s (a hang?)"
	[ "$qrc" != 0 ] && [ "$qrc" != 124 ] && why="QEMU exited with status $qrc"
	last=$(sed -n 's/^# vm: the guest was running \(.*\) when its output ended$/\1/p' "$log.out")
	echo "not ok - vm $name: the guest did not finish: $why${last:+ while running $last}; see $log"
	failed=$((failed + 1))
fi
# KCSAN's reports (the kcsan debug kernel): one naming nsmon's code is a
# "not ok" with the report; one in core-kernel code only is printed as
# comments, not a failure (kcsan-triage.awk).  Their title lines are left
# out of what the scan below reads; every other line stays in it.
rm -f "$log.kcsan"
: >"$log.kcsan"
awk -v name="$name" -v verdicts="$log.kcsan" -f "$here/kcsan-triage.awk" \
	"$log.txt" >"$log.judged"
if [ -s "$log.kcsan" ]; then
	cat "$log.kcsan"
	failed=$((failed + $(grep -c "^not ok - " "$log.kcsan" || true)))
fi
# What a kernel says when something is wrong: oopses, WARN, lockdep and RCU
# reports, KASAN/KCSAN/UBSAN/kmemleak findings, refcount and list
# corruption, stalls, lockups and hung tasks, and user programs (the
# tests') killed by a fault.  (Not the bare words lockdep/kmemleak/KASAN:
# their boot banners contain them.)  Anywhere in a line of the console:
# the tests' own lines are not there (they go to the second port), so no
# exception is needed and a report cut into another line is still found.
bad='Oops|BUG[: ]|kernel BUG at|WARNING:|cut here|Modules linked in|general protection|Unable to handle|RCU stall|rcu_sched detected|rcu: INFO|possible recursive locking|possible circular locking|inconsistent lock state|possible irq lock inversion|lock held when returning|suspicious RCU usage|BUG: KASAN|KASAN: |KCSAN: |new suspected memory leaks|unreferenced object|Call Trace|Kernel panic|sleeping function called from invalid context|UBSAN:|refcount_t: |list_add corruption|list_del corruption|soft lockup|hard LOCKUP|watchdog: BUG|hung_task|INFO: task |blocked for more than|segfault at'
if grep -E "$bad" "$log.judged" >"$log.bad"; then
	echo "not ok - vm $name: the kernel reported a problem:"
	sed 's/^/#   /' "$log.bad" | head -40
	failed=$((failed + 1))
fi
echo "1..$((passed + failed))"
echo "# vm $name: $passed passed, $failed failed"
[ "$failed" = 0 ]
