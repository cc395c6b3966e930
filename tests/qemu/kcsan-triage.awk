# SPDX-License-Identifier: GPL-2.0
#
# kcsan-triage.awk: sort the KCSAN reports of a guest's console log
# (run-vm.sh's LOG.txt) into nsmon's and the core kernel's.
#
#   awk -v name=VM -v verdicts=FILE -f kcsan-triage.awk LOG.txt >LOG.judged
#
# A report, as kernel/kcsan/report.c prints it (6.1 .. 7.x):
#   ==================================================================
#   BUG: KCSAN: data-race in A / B          (or "assert: race in A / B")
#   <blank>
#   write to 0x... of 8 bytes by task 12 on cpu 1:
#    A+0x1c/0x80 [module]                   (one frame a line, %pS)
#    ...
#   <blank>
#   read to 0x... of 8 bytes by interrupt on cpu 0:
#   (or only "race at unknown origin, with read to ... on cpu 0:")
#    B+0x22/0x60
#    ...
#   value changed: 0x... -> 0x...
#   Reported by Kernel Concurrency Sanitizer on:
#   CPU: 0 PID: 12 Comm: ... (dump_stack_print_info(), maybe "Workqueue:")
#   ==================================================================
# each line with its printk time stamp ("[   12.345678] ").
#
# A report names nsmon's code if any of its lines (title, frames,
# workqueue) names a symbol of nsmon.ko or nsmon_kunit.ko: " [nsmon]",
# " [nsmon_kunit]", or a function nsmon_*.  Such a report is a failure: a
# "not ok" line in FILE with the whole report as comments.  Any other is
# the core kernel's own (the 6.1 core has data races KCSAN reports; see
# kcsan.config and tests/debug-kernel/README.md): its text goes to FILE as
# comments, not as a failure.  Each distinct title is written once (the
# guest's dmesg dump at the end repeats the console), with its count.
#
# On stdout: the log with the title line ("BUG: KCSAN: ...") of every
# report sorted here left out, so that run-vm.sh's scan for kernel
# problems does not count it again; every other line stays, so a lockdep
# or DEBUG_PREEMPT report printed in the middle of a KCSAN report (another
# CPU's printk) is still found by that scan.
function flush(   i, t, verdict) {
	if (!inrep)
		return
	inrep = 0
	t = title
	sub(/^.*BUG: KCSAN: /, "", t)
	if (t in seen) {
		seen[t]++
		return
	}
	seen[t] = 1
	order[nt++] = t
	isns[t] = nsmon
	if (nsmon)
		verdict = "not ok - vm " name ": KCSAN: " t " (a data race in nsmon's code; the report:)"
	else
		verdict = "# vm " name ": KCSAN report in core-kernel code only, not nsmon's (not a failure): " t
	print verdict >verdicts
	for (i = 0; i < nl && i < 80; i++)
		print "#   " body[i] >verdicts
	if (nl > 80)
		print "#   (" nl - 80 " more lines)" >verdicts
}
# Whether a line names nsmon.ko's or nsmon_kunit.ko's code.
function names_nsmon(s) {
	return index(s, "[nsmon]") || index(s, "[nsmon_kunit]") ||
		s ~ /^nsmon_/ || s ~ /[^A-Za-z0-9_]nsmon_[A-Za-z0-9_]/
}
function strip(s) {
	sub(/^\[ *[0-9]+\.[0-9]+\] /, "", s)
	return s
}
BEGIN { inrep = 0; nt = 0 }
/BUG: KCSAN: / {
	flush()
	inrep = 1
	title = strip($0)
	nl = 0
	body[nl++] = title
	nsmon = names_nsmon(title)
	next	# left out of stdout
}
inrep && (/^=== dmesg begin/ || /NSMON-GUEST-DONE/) { flush() }
inrep {
	if (index($0, "==============================")) {
		flush()
	} else {
		line = strip($0)
		body[nl++] = line
		if (names_nsmon(line))
			nsmon = 1
	}
}
{ print }
END {
	flush()
	for (i = 0; i < nt; i++)
		if (seen[order[i]] > 1)
			print "# vm " name ": KCSAN: " order[i] ": " seen[order[i]] " times in the log (console and dmesg dump)" >verdicts
}
