#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of `make bench` (see tests/bench/run.sh): every workload
# in four modes, BENCH_RUNS times, all in one boot:
#   without  no module loaded: the baseline;
#   null     nsmon_null.ko: empty probes on the same five tracepoints,
#            the cost of being there at all;
#   base     nsmon.ko built with NSMON_NO_WAIT=1 (no run-queue wait);
#   with     nsmon.ko.
# The order of the modes rotates every run so that no mode always runs
# first, on a colder or a younger system.
#
# Settings come from the kernel command line (run.sh passes them with
# --append; the kernel hands unknown name=value words to init's
# environment): BENCH_RUNS, BENCH_SCALE (0 skips the namespace scaling
# part), BENCH_OPS_DIV (divide every operation count, for a quick try),
# BENCH_MANY (how many PID namespaces an unprivileged user makes in the
# "many" part, 0 to skip it), BENCH_MANY_ONLY (1: nothing else).
#
# Output (parsed by run.sh): the BENCH, MEM and READ lines of bench.c,
# and "ok - ..." / "not ok - ..." for the harness.
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }

runs=${BENCH_RUNS:-3}
div=${BENCH_OPS_DIV:-1}
scale=${BENCH_SCALE:-1}
many=${BENCH_MANY:-20000}
if [ "${BENCH_MANY_ONLY:-0}" = 1 ]; then
	runs=0
	scale=0
fi
echo "# bench: $runs runs, operations / $div, scale $scale, $(nproc) CPUs"
echo "# bench: kernel $(uname -r), clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"

null_ko=$(dirname "$0")/nsmon_null.ko
loaded() { grep -q "^$1 " /proc/modules; }
load() { loaded "$1" || insmod "$2" || { notok "insmod $2"; exit 1; }; }
unload() { ! loaded "$1" || rmmod "$1" || { notok "rmmod $1"; exit 1; }; }
base_ko=$(dirname "$0")/nsmon_base.ko
mode() {
	# nsmon and base are both "nsmon": always unload before loading.
	unload nsmon
	unload nsmon_null
	case $1 in
	with) load nsmon "$NSMON_KO" ;;
	base) load nsmon "$base_ko" ;;
	null) load nsmon_null "$null_ko" ;;
	without) ;;
	esac
	sync
	sleep 1
}

# Each run starts its PIDs at 10000 (ns_last_pid): a fork allocates its
# PID in the kernel's PID tree (an IDR, nodes of 64), whose nodes come and
# go with the PIDs; where a run's thousands of PIDs fall against the
# tree's 64- and 4096-PID boundaries decided how many nodes each fork
# made and freed (a few hundred instructions a fork), which otherwise
# differed from run to run and from mode to mode.
failed=0
r=1
while [ "$r" -le "$runs" ]; do
	case $((r % 4)) in
	1) order="without null base with" ;;
	2) order="null base with without" ;;
	3) order="base with without null" ;;
	0) order="with without null base" ;;
	esac
	for m in $order; do
		mode "$m"
		for nested in "" nested; do
			# Workload, operations: each about a guest second.
			set -- pingpong 40000 pingpong-xns 40000 fork 4000 exec 2000 \
				fork-watch 4000 exec-watch 2000
			while [ $# -gt 0 ]; do
				# The same PIDs in every run (see below).
				echo 9999 >/proc/sys/kernel/ns_last_pid
				# shellcheck disable=SC2086 # $nested: empty or one word
				bench run "$1" "$m" "$r" $(($2 / div)) $nested ||
					{ notok "bench run $1 $m $r $nested"; failed=1; }
				shift 2
			done
		done
	done
	r=$((r + 1))
done

if [ "$scale" != 0 ]; then
	# Memory and read cost against the number of namespaces (K) and of
	# tasks per namespace (T).  Memory without nsmon first: it is the
	# kernel's own cost of K namespaces, to subtract.
	for kt in "1 1" "100 1" "1000 1" "1000 10"; do
		# shellcheck disable=SC2086 # two words on purpose
		set -- $kt
		for m in without with; do
			mode "$m"
			bench scale "$m" "$1" "$2" 11 ||
				{ notok "bench scale $m $1 $2"; failed=1; }
		done
	done
fi
if [ "$many" != 0 ]; then
	# Many namespaces made by an unprivileged user (bench.c "many"), at
	# 10 and at $many: the kernel's own limits raised first (threads,
	# PIDs, PID namespaces per user), they are not what is measured.
	echo 200000 >/proc/sys/kernel/threads-max
	echo 4194304 >/proc/sys/kernel/pid_max
	echo 200000 >/proc/sys/user/max_pid_namespaces
	for k in 10 "$many"; do
		mode with
		# bench loads and unloads nsmon itself while the K live.
		bench many "$k" $((4000 / div)) "$(( runs > 0 ? runs : 3 ))" ||
			{ notok "bench many $k"; failed=1; }
	done
fi
mode without
[ "$failed" = 0 ] && ok "bench: every workload ran"
echo "# bench: done"
