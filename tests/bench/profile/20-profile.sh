#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of tests/bench/profile.sh: each workload once, its timed
# part in a window of the tbcount plugin (BENCH_PROFILE_SLOT), then the
# kernel's text symbols for the host to name the addresses.
#
#   slot 1 fork without nsmon     slot 5 exec without nsmon
#   slot 2 fork, nsmon loaded     slot 6 exec, nsmon loaded
#   slot 3 fork-watch             slot 7 exec-watch
#   slot 4 fork-watch-nested      slot 8 exec-watch-nested
#   slot 9 fork-nested, nsmon     slot 10 exec-nested, nsmon
#
# PROFILE_OPS (kernel command line): fork operations; exec runs half.
ops=${PROFILE_OPS:-2000}
failed=0
prun() {
	slot=$1
	shift
	echo 9999 >/proc/sys/kernel/ns_last_pid	# as 10-bench.sh
	BENCH_PROFILE_SLOT=$slot bench run "$@" || { echo "not ok - bench run $*"; failed=1; }
}
echo 0 >/proc/sys/kernel/kptr_restrict
prun 1 fork without 1 "$ops"
prun 5 exec without 1 $((ops / 2))
insmod "$NSMON_KO" || { echo "not ok - insmod"; exit 1; }
sleep 1
prun 2 fork with 1 "$ops"
prun 3 fork-watch with 1 "$ops"
prun 4 fork-watch with 1 "$ops" nested
prun 6 exec with 1 $((ops / 2))
prun 7 exec-watch with 1 $((ops / 2))
prun 8 exec-watch with 1 $((ops / 2)) nested
prun 9 fork with 1 "$ops" nested
prun 10 exec with 1 $((ops / 2)) nested
echo "PROFILE-OPS 1 $ops"
echo "PROFILE-OPS 2 $ops"
echo "PROFILE-OPS 3 $ops"
echo "PROFILE-OPS 4 $ops"
echo "PROFILE-OPS 5 $((ops / 2))"
echo "PROFILE-OPS 6 $((ops / 2))"
echo "PROFILE-OPS 7 $((ops / 2))"
echo "PROFILE-OPS 8 $((ops / 2))"
echo "PROFILE-OPS 9 $ops"
echo "PROFILE-OPS 10 $((ops / 2))"
# Text symbols only, the module's included (nsmon still loaded).
grep -i ' t ' /proc/kallsyms | sed 's/^/KSYM /'
[ "$failed" = 0 ] && echo "ok - profile: every workload ran"
