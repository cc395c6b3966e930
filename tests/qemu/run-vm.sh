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
# Fails on any "not ok", on a missing completion marker (timeout, panic),
# and on any sign of a kernel problem in the console or dmesg.  Prints
# "# vm NAME: P passed, F failed" last.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/lib.sh"

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
[ -r "$kernel" ] || { echo "run-vm: no kernel image $kernel" >&2; exit 1; }

krel=$(make -s -C "$kdir" kernelrelease 2>/dev/null || basename "$(dirname "$kdir")")
work=$root/build/vm-$name
modout=$root/build/mod-$krel
mkdir -p "$(dirname "$log")"

"$here/build-module.sh" "$kdir" "$modout"

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

# shellcheck disable=SC2086
timeout --foreground "$vmtimeout" qemu-system-x86_64 -accel "$accel" \
	-smp "$smp" -m "$mem" -display none -monitor none -serial stdio \
	-no-reboot -kernel "$kernel" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 loglevel=7 $append" $qemu_args \
	</dev/null >"$log" 2>&1 || true

tr -d '\r' <"$log" >"$log.txt"
if [ $quiet = 0 ]; then
	grep -E "^(ok|not ok) - |^# " "$log.txt" || true
fi
passed=$(grep -c "^ok - " "$log.txt" || true)
failed=$(grep -c "^not ok - " "$log.txt" || true)
if ! grep -q "^NSMON-GUEST-DONE" "$log.txt"; then
	echo "not ok - vm $name: the guest did not finish (timeout or crash; see $log)"
	failed=$((failed + 1))
fi
# What a kernel says when something is wrong: oopses, WARN, lockdep and RCU
# reports, KASAN/UBSAN/kmemleak findings, stalls and lockups.  (Not the
# bare words lockdep/kmemleak/KASAN: their boot banners contain them.)
bad='Oops|BUG[: ]|WARNING:|general protection|RCU stall|rcu_sched detected|rcu: INFO|possible recursive locking|possible circular locking|inconsistent lock state|possible irq lock inversion|lock held when returning|suspicious RCU usage|BUG: KASAN|KASAN: |new suspected memory leaks|unreferenced object|Call Trace|Kernel panic|sleeping function called from invalid context|UBSAN:|list_add corruption|list_del corruption|soft lockup|hung_task|blocked for more than'
if grep -E "$bad" "$log.txt" | grep -vE "^(ok|not ok) - |^# " >"$log.bad"; then
	echo "not ok - vm $name: the kernel reported a problem:"
	sed 's/^/#   /' "$log.bad" | head -40
	failed=$((failed + 1))
fi
echo "# vm $name: $passed passed, $failed failed"
[ "$failed" = 0 ]
