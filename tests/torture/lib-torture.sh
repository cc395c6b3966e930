# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Helpers of the torture scripts (sourced, not run).
#
# Sizes come from the kernel command line: run.sh passes e.g.
# "tt_cycles=200 tt_namespaces=5000", which the kernel hands to /init as
# environment variables (a parameter without a dot is not a kernel one).

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }

KMEMLEAK=/sys/kernel/debug/kmemleak

tt_unload() {
	if grep -q "^nsmon " /proc/modules; then
		rmmod nsmon || notok "rmmod nsmon left loaded by an earlier script"
	fi
}

# Forget what kmemleak suspects so far (the kernel's own boot-time
# objects, earlier scripts): from here on, a report is about this script.
tt_kmemleak_baseline() {
	[ -w $KMEMLEAK ] || return 0
	echo scan >$KMEMLEAK
	echo clear >$KMEMLEAK
}

# After rmmod: kmemleak reports an object only once it is 5 s old and
# nothing points to it; scan twice (the second scan confirms) and read.
tt_kmemleak_check() {
	if [ ! -w $KMEMLEAK ]; then
		notok "$1: kmemleak is there to check for leaks (run this on the debug kernel)"
		return 0
	fi
	sleep 6
	echo scan >$KMEMLEAK
	echo scan >$KMEMLEAK
	if [ -s $KMEMLEAK ]; then
		notok "$1: kmemleak finds no leak after rmmod"
		sed 's/^/# /' $KMEMLEAK | head -n 80
	else
		ok "$1: kmemleak finds no leak after rmmod"
	fi
}

# Run a torture program: its own ok/not ok lines say what it checked, and
# its exit status is a result of its own (a program that crashes, is
# killed or gives up before printing anything must not pass).
tt_run() {
	rc=0
	"$@" || rc=$?
	if [ $rc = 0 ]; then
		ok "$1 exits with status 0"
	else
		notok "$1 exits with status 0 (it exited with status $rc)"
	fi
}
