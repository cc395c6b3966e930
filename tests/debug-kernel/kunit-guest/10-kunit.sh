#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of `make kunit`: load nsmon.ko, then the KUnit suite
# nsmon_kunit.ko, whose tests run while insmod loads it and print KTAP to
# the kernel log (the serial console).  The host (tests/debug-kernel/
# kunit.sh) cuts the KTAP out of the console log and checks it.
set -eu
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
kmemleak=/sys/kernel/debug/kmemleak

# The upid tests want a task in a nested PID namespace, which a module
# cannot make: leave one sleeping three namespaces deep.
unshare -p -f sh -c 'unshare -p -f sh -c "unshare -p -f sleep 600"' &
holder=$!
deep=""
i=0
while [ $i -lt 100 ] && [ -z "$deep" ]; do
	for p in $(pidof sleep 2>/dev/null); do
		if [ "$(awk '/^NSpid:/ { print NF - 1 }' "/proc/$p/status" 2>/dev/null)" = 4 ]; then
			deep=$p
		fi
	done
	[ -n "$deep" ] || sleep 0.1
	i=$((i + 1))
done
if [ -n "$deep" ]; then
	ok "a task three PID namespaces deep for the upid tests ($(grep NSpid "/proc/$deep/status" | tr -s '\t ' ' '))"
else
	notok "a task three PID namespaces deep for the upid tests"
fi

# Forget what the kernel itself leaked while booting: only what happens
# from here on is ours.
if [ -w $kmemleak ]; then
	echo scan >$kmemleak
	echo clear >$kmemleak
fi

if insmod "$NSMON_KO"; then ok "insmod nsmon.ko"; else notok "insmod nsmon.ko"; exit 1; fi
# The suite's tests run inside this insmod; their KTAP goes to the console.
echo "# kunit: begin"
if insmod /nsmon/nsmon_kunit.ko; then rc=0; else rc=$?; fi
sleep 1
echo "# kunit: end"
[ $rc = 0 ] && ok "insmod nsmon_kunit.ko (the suite ran)" || notok "insmod nsmon_kunit.ko exited $rc"
suites=$(ls -d /sys/kernel/debug/kunit/nsmon_* 2>/dev/null | wc -l)
echo "# kunit: $suites nsmon suites in /sys/kernel/debug/kunit"
rmmod nsmon_kunit && ok "rmmod nsmon_kunit" || notok "rmmod nsmon_kunit"
rmmod nsmon && ok "rmmod nsmon" || notok "rmmod nsmon"

kill "$holder" 2>/dev/null || true
for p in $(pidof sleep 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
wait 2>/dev/null || true

# Leaks of the module or of the suite: kmemleak reports an object only
# once it is 5 s old and unreferenced, and a second scan confirms.
if [ -w $kmemleak ]; then
	sleep 6
	echo scan >$kmemleak
	echo scan >$kmemleak
	if [ -s $kmemleak ]; then
		notok "kmemleak: no leak after loading, running and unloading the suite"
		sed 's/^/# /' $kmemleak | head -60
	else
		ok "kmemleak: no leak after loading, running and unloading the suite"
	fi
else
	notok "kmemleak: $kmemleak is not there (is this the debug kernel?)"
fi
