#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-vm.sh's judgement of KCSAN reports (tests/qemu/kcsan-triage.awk and
# the scan for kernel problems after it), on a console log made of
# reports in the format of kernel/kcsan/report.c: a report naming
# nsmon's code must fail the run with its text, one in core-kernel code
# only must show as comments without failing, and a lockdep or
# DEBUG_PREEMPT report printed in the middle of a KCSAN report must still
# be found.  Cheap (no VM); the kcsan debug kernel run (tests/run-kernel.sh
# debug-6.1) is where real reports come from.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$root/build/host-kcsan
rm -rf "$dir"
mkdir -p "$dir"
awkf=$root/tests/qemu/kcsan-triage.awk
# The scan of run-vm.sh, its own pattern.
bad=$(sed -n "s/^bad='\(.*\)'\$/\1/p" "$root/tests/qemu/run-vm.sh")
[ -n "$bad" ] || { echo "not ok - kcsan triage: no bad='...' pattern in tests/qemu/run-vm.sh"; exit 1; }

sep='=================================================================='
# report TS TITLE FRAME1 FRAME2: one report, as the console shows it.
report() {
	cat <<EOF
[ $1] $sep
[ $1] BUG: KCSAN: data-race in $2

[ $1] write to 0xffff888003a1c2d8 of 8 bytes by task 231 on cpu 1:
[ $1]  $3
[ $1]  worker_thread+0x4a4/0x6e0
[ $1]  kthread+0x182/0x1b0
[ $1]  ret_from_fork+0x1f/0x30
[ $1]
[ $1] read to 0xffff888003a1c2d8 of 8 bytes by task 1 on cpu 0:
[ $1]  $4
[ $1]  do_syscall_64+0x3b/0x90
[ $1]  entry_SYSCALL_64_after_hwframe+0x63/0xcd
[ $1]
[ $1] value changed: 0x0000000000000003 -> 0x0000000000000004
[ $1]
[ $1] Reported by Kernel Concurrency Sanitizer on:
[ $1] CPU: 0 PID: 1 Comm: nsmon Tainted: G           O       6.1.192-nsmon-kcsan #1
[ $1] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014
[ $1] $sep
EOF
}

# Case 1: a core-kernel report only (twice: console and dmesg dump).
{
	echo "[    0.1] kcsan: enabled early"
	report "12.5" "process_one_work / sysfs_kf_seq_show" "process_one_work+0x2a4/0x6e0" "sysfs_kf_seq_show+0x1c/0x60"
	echo "=== dmesg begin"
	report "12.5" "process_one_work / sysfs_kf_seq_show" "process_one_work+0x2a4/0x6e0" "sysfs_kf_seq_show+0x1c/0x60"
	echo "=== dmesg end"
} >"$dir/core.txt"
# Case 2: a race between two nsmon functions ([nsmon] frames, title).
report "20.1" "nsmon_sync_work [nsmon] / nsmon_probe_exit [nsmon]" \
	"nsmon_sync_work+0x40/0x1a0 [nsmon]" "nsmon_probe_exit+0x2e/0x90 [nsmon]" >"$dir/nsmon.txt"
# Case 3: a core function in the title, nsmon only deeper in one stack
# (a kernel helper called from a probe on a racy field).
report "21.7" "__task_pid_nr_ns / copy_process" "copy_process+0x99a/0x2260" \
	"__task_pid_nr_ns+0x3c/0x120
[ 21.7]  nsmon_format_pids+0x88/0x200 [nsmon]" >"$dir/nested.txt"
# Case 4: a race of unknown origin in nsmon_kunit.ko.
cat >"$dir/unknown.txt" <<EOF
[ 30.0] $sep
[ 30.0] BUG: KCSAN: data-race in nsmon_table_reader+0x51/0x140 [nsmon_kunit]

[ 30.0] race at unknown origin, with read to 0xffff888003a1c2d8 of 8 bytes by task 301 on cpu 1:
[ 30.0]  nsmon_table_reader+0x51/0x140 [nsmon_kunit]
[ 30.0]  kthread+0x182/0x1b0
[ 30.0]
[ 30.0] value changed: 0x0000000000000000 -> 0x0000000000000001
[ 30.0]
[ 30.0] Reported by Kernel Concurrency Sanitizer on:
[ 30.0] CPU: 1 PID: 301 Comm: kunit_try_catch Tainted: G           O       6.1.192-nsmon-kcsan #1
[ 30.0] $sep
EOF
# Case 5: a core report with another CPU's DEBUG_PREEMPT report inside it.
report "40.0" "tick_sched_do_timer / tick_nohz_next_event" "tick_sched_do_timer+0x2c/0x130" \
	"tick_nohz_next_event+0x1b/0x1e0
[ 40.0] BUG: using smp_processor_id() in preemptible [00000000] code: tt-hammer/77" >"$dir/mixed.txt"

n=0 nbad=0
# judge CASE: run the awk and the scan; sets v (verdicts) and s (scan hits).
judge() {
	awk -v name=t -v verdicts="$dir/$1.verdicts" -f "$awkf" "$dir/$1.txt" >"$dir/$1.judged"
	v=$dir/$1.verdicts
	s=$(grep -cE "$bad" "$dir/$1.judged" || true)
}
check() {	# check WHAT CONDITION...
	what=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok - kcsan triage: $what"
	else
		echo "not ok - kcsan triage: $what (see $dir)"
		nbad=$((nbad + 1))
	fi
}
notoks() { grep -c "^not ok - " "$v" || true; }

judge core
check "a core-kernel-only report is not a failure" [ "$(notoks)" = 0 ]
check "a core-kernel-only report is shown as comments, once, with its stacks" \
	[ "$(grep -c "^# vm t: KCSAN report in core-kernel code only, not nsmon's (not a failure): data-race in process_one_work / sysfs_kf_seq_show$" "$v")" = 1 ]
check "... its frames among the comments" grep -q "^#    sysfs_kf_seq_show+0x1c/0x60$" "$v"
check "... and its repetition in the dmesg dump counted" grep -q "sysfs_kf_seq_show: 2 times in the log" "$v"
check "a core-kernel-only report is not a problem for run-vm.sh's scan" [ "$s" = 0 ]
check "every other line of the log is kept" \
	[ "$(grep -cv "BUG: KCSAN: " "$dir/core.txt")" = "$(wc -l <"$dir/core.judged")" ]

judge nsmon
check "a race between nsmon functions fails, with the report" \
	grep -q "^not ok - vm t: KCSAN: data-race in nsmon_sync_work \[nsmon\] / nsmon_probe_exit \[nsmon\] (a data race in nsmon's code; the report:)$" "$v"
check "... the report's stacks in the comments" grep -q "^#    nsmon_probe_exit+0x2e/0x90 \[nsmon\]$" "$v"
check "... and only one failure for it" [ "$(notoks)" = 1 ]

judge nested
check "a report with nsmon deep in one stack fails" [ "$(notoks)" = 1 ]

judge unknown
check "a race of unknown origin in nsmon_kunit.ko fails" \
	grep -q "^not ok - vm t: KCSAN: data-race in nsmon_table_reader+0x51/0x140 \[nsmon_kunit\]" "$v"

judge mixed
check "a DEBUG_PREEMPT report inside a core KCSAN report is still found by the scan" \
	[ "$s" = 1 ]
check "... and the KCSAN report itself is not a failure" [ "$(notoks)" = 0 ]

[ "$nbad" = 0 ]
