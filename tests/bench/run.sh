#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run.sh: `make bench`.  Boot Debian's kernel in QEMU with -icount shift=0
# and run tests/bench/guest/10-bench.sh: each workload without nsmon and
# with nsmon, alternating, in one boot; then print the results table.
#
#   run.sh [--runs N] [--quick] [--no-scale] [--many K] [--many-only]
#          [--log FILE]
#
# Under -icount shift=0 QEMU advances the guest clock by exactly one
# nanosecond per guest instruction: "guest ns" below are instruction
# counts, which repeat from run to run whatever else the host is doing.
# They are not the wall-clock time of any real machine.
#
# One vCPU: QEMU's -icount runs every vCPU in one round-robin thread, and
# with two the guest hangs bringing up the second one ("x86: Booting SMP
# configuration", seen with Debian's QEMU 7.2).  The workloads pin
# themselves to one CPU anyway.
#
# --quick divides every operation count by 10 and skips the scaling part
# (a try of the machinery, not figures to publish).  --many K: how many PID
# namespaces an unprivileged user makes in the last part (default 20000,
# 0 skips it); --many-only runs only that part.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/lib.sh"

runs=3 div=1 scale=1 many=20000 manyonly=0 log=$root/build/logs/bench.log
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift 2 ;;
	--quick) div=10; scale=0; many=0; shift ;;
	--many) many=$2; shift 2 ;;
	--many-only) manyonly=1; shift ;;
	--no-scale) scale=0; shift ;;
	--log) log=$2; shift 2 ;;
	-h|--help) sed -n '3,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench: unknown argument $1" >&2; exit 2 ;;
	esac
done
case $runs in ''|*[!0-9]*|0) echo "bench: --runs wants a positive number" >&2; exit 2 ;; esac
case $many in ''|*[!0-9]*) echo "bench: --many wants a number" >&2; exit 2 ;; esac

"$root/tests/setup.sh"
kver=$(nsmon_kver)
kdir=/lib/modules/$kver/build

# The suite the VM runs: the guest script, the workload program and the
# empty-probe baseline module, built in a copy under build/.
work=$root/build/bench
rm -rf "$work"
mkdir -p "$work/null" "$work/suite"
cp -r "$here/null/." "$root/include" "$root/module/compat.h" \
	"$root/module/features.mk" "$work/null/"
make -s -C "$kdir" M="$work/null" modules >"$work/null/build.log" 2>&1 || {
	cat "$work/null/build.log" >&2
	echo "bench: building nsmon_null.ko failed" >&2
	exit 1
}
cp "$here/guest/"* "$work/null/nsmon_null.ko" "$work/suite/"
# The "base" mode: nsmon without the run-queue wait accounting (the module
# before issue 17), to show that change's own cost in the same boot.
mkdir -p "$work/base"
cp -r "$root/Kbuild" "$root/module" "$root/include" "$work/base/"
make -s -C "$kdir" M="$work/base" NSMON_NO_WAIT=1 modules \
	>"$work/base/build.log" 2>&1 || {
	cat "$work/base/build.log" >&2
	echo "bench: building the base nsmon.ko failed" >&2
	exit 1
}
cp "$work/base/module/nsmon.ko" "$work/suite/nsmon_base.ko"

t0=$(date +%s)
"$root/tests/qemu/run-vm.sh" --name bench --log "$log" \
	--suite "$work/suite" --smp 1 --mem 4096 --timeout 9000 \
	--script-timeout 8600 --qemu-arg "-icount shift=0" \
	--append "BENCH_RUNS=$runs BENCH_OPS_DIV=$div BENCH_SCALE=$scale BENCH_MANY=$many BENCH_MANY_ONLY=$manyonly" \
	--quiet
echo "# bench: the VM ran for $(($(date +%s) - t0)) s of host time"

# Results: medians over the runs, min..max as the spread.
awk -v runs="$runs" '
function median(list,    a, n, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++)	# insertion sort: a handful of values
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	lo = a[1]; hi = a[n]
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function spread(m) { return sprintf("%.2f%%", m ? 100 * (hi - lo) / m : 0) }
# Tracepoint hits per operation besides the switches: fork = task_newtask,
# sched_process_fork and sched_process_exit; exec adds sched_process_exec.
function extra_events(w) {
	if (w ~ /^fork/) return 3
	if (w ~ /^exec/) return 4
	return 0
}
$1 == "BENCH" {
	key = $2 SUBSEP $3
	t[key] = t[key] " " $5
	sw[key] = sw[key] " " $8
	if (!($2 in seen)) { seen[$2] = 1; order[++nw] = $2 }
}
$1 == "MEM" { mem[$2, $3, $4] = $5 " " $6 " " $7 " " $9 }
$1 == "READ" { rd[++nr] = $0 }
$1 == "MANYFORK" {
	if (!($3 in mk)) { mk[$3] = 1; korder[++nk] = $3 }
	mfl[$2, $3] = mfl[$2, $3] " " $5
}
$1 == "MANY" {
	if (!($3 in mk)) { mk[$3] = 1; korder[++nk] = $3 }
	ms[$3] = $4; mreads[$3] = $6; mtable[$3] = $7; mrows[$3] = $8
	mmiss[$3] = $9; mdup[$3] = $10; mlook[$3] = $11
	mdrain[$3] = $12; mbefore[$3] = $13; mafter[$3] = $14
}
END {
	if (nk) {
		printf "\n%-6s %11s %11s %7s %13s %12s %11s %13s %9s %10s %9s %9s\n",
		       "K ns", "fork ns/op", "fork ns/op", "nsmon", "fork spread",
		       "setup ns/ns", "table read", "rows: missed", "lookup",
		       "back to", "drain", "reads"
		printf "%-6s %11s %11s %7s %13s %12s %11s %13s %9s %10s %9s %9s\n",
		       "", "without", "nsmon", "overhd", "without|nsmon", "", "ns/row",
		       "/twice", "ns/op", "rows", "ms", "alongside"
		for (i = 1; i <= nk; i++) {
			k = korder[i]
			a = median(mfl["without", k]); sa = spread(a)
			b = median(mfl["with", k]); sb = spread(b)
			printf "%-6d %11d %11d %6.2f%% %6s|%-6s %12d %11d %6d/%-6d %9d %4d/%-5d %9.1f %9d\n",
			       k, a, b, a ? 100 * (b - a) / a : 0, sa, sb, ms[k] / k,
			       mrows[k] ? mtable[k] / mrows[k] : 0, mmiss[k], mdup[k],
			       mlook[k], mafter[k], mbefore[k], mdrain[k] / 1e6, mreads[k]
		}
		print "(K PID namespaces, each a sleeping init, made by uid 1000 in a user namespace of its own, with nsmon"
		print " loaded, while another process reads the namespaces table and looks up in a loop (reads alongside; setup"
		print " includes it, on the one vCPU); table read: one whole read in 4 KiB read()s, each a resume; lookup:"
		print " write+read of \"<inum> 1\" over the K namespaces; fork: fork+exit+wait in the initial namespace while the"
		print " K live, medians of runs alternating rmmod/insmod; drain: from the last one reaped until the table has"
		print " as many rows as before)"
	}
	if (nw == 0 && nk == 0) { print "bench: no results in the log"; exit 1 }
	if (nw == 0) exit 0
	printf "\n%-20s %10s %10s %10s %10s %8s %8s %8s %7s %9s %9s\n",
	       "guest ns per op", "without", "null", "base", "nsmon", "null",
	       "base", "nsmon", "events", "nsmon-", "nsmon-"
	printf "%-20s %10s %10s %10s %10s %8s %8s %8s %7s %9s %9s\n", "", "",
	       "", "", "", "overhd", "overhd", "overhd", "per op", "without",
	       "base"
	printf "%-20s %10s %10s %10s %10s %8s %8s %8s %7s %9s %9s\n", "", "",
	       "", "", "", "", "", "", "", "ns/event", "ns/event"
	for (i = 1; i <= nw; i++) {
		w = order[i]
		a = median(t[w, "without"]); s0 = spread(a)
		z = median(t[w, "null"]); s1 = spread(z)
		c = median(t[w, "base"]); s3 = spread(c)
		b = median(t[w, "with"]); s2 = spread(b)
		ev = median(sw[w, "with"]) + extra_events(w)
		printf "%-20s %10.1f %10.1f %10.1f %10.1f %7.2f%% %7.2f%% %7.2f%% %7.2f %9.1f %9.1f\n",
		       w, a, z, c, b, 100 * (z - a) / a, 100 * (c - a) / a,
		       100 * (b - a) / a, ev, (b - a) / ev, (b - c) / ev
		spreads = spreads sprintf("%-20s %s | %s | %s | %s\n", w, s0, s1, s3, s2)
	}
	printf "\nspread (max-min)/median of the runs: without | null | base | nsmon\n%s", spreads
	print "(medians of " runs " runs each; null: empty probes on the same tracepoints; base: nsmon built with"
	print " NSMON_NO_WAIT=1, without the run-queue wait accounting; events: tracepoint hits per operation, the"
	print " context switches getrusage counts plus the fork, newtask, exec and exit events)"
	if (nr) {
		printf "\n%-12s %6s %6s %14s %14s %10s %8s\n", "read", "K ns", "T/ns",
		       "median ns", "min..max ns", "bytes", "lines"
		for (i = 1; i <= nr; i++) {
			split(rd[i], f, " ")
			printf "%-12s %6d %6d %14d %7d..%-7d %9d %8d\n", f[2], f[3],
			       f[4], f[5], f[6], f[7], f[8], f[9]
		}
	}
	header = 0
	for (k in mem) {
		split(k, kk, SUBSEP)
		if (kk[1] != "with" || !(("without", kk[2], kk[3]) in mem)) continue
		if (!header) {
			printf "\n%-6s %6s %16s %12s %14s\n", "K ns", "T/ns",
			       "slab objects B/ns", "slab B/ns", "percpu B/ns"
			header = 1
		}
		split(mem[k], w1, " "); split(mem["without", kk[2], kk[3]], w0, " ")
		line[kk[2] * 100 + kk[3]] = sprintf("%-6d %6d %16.0f %12.0f %14.0f",
		       kk[2], kk[3], (w1[4] - w0[4]) / kk[2],
		       1024 * (w1[1] - w0[1]) / kk[2], 1024 * (w1[3] - w0[3]) / kk[2])
	}
	n = 0
	for (k in line) keys[++n] = k + 0
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && keys[j - 1] > keys[j]; j--) {
			x = keys[j]; keys[j] = keys[j - 1]; keys[j - 1] = x
		}
	for (i = 1; i <= n; i++) print line[keys[i]]
	if (n) {
		print "(memory per namespace, growth with nsmon minus growth without: slab objects from /proc/slabinfo"
		print " active_objs x objsize; slab and percpu from /proc/meminfo Slab and Percpu, whole pages and chunks)"
	}
}' "$log.out"
echo "(guest ns: QEMU -icount shift=0, one guest instruction per ns; Debian's $(nsmon_kver), 1 vCPU)"
