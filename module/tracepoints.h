/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tracepoints.h - the list of tracepoints nsmon attaches to, included by
 * probes.c after its probes (a header of its own because it is all macro:
 * checkpatch cannot tell a list expansion from a statement macro, and
 * tests/check.sh tells it so for this file alone).
 */
#ifndef NSMON_TRACEPOINTS_H
#define NSMON_TRACEPOINTS_H

/*
 * The tracepoints nsmon attaches to, and the probe of each: one list, from
 * which come both the registration table and the compile-time checks that
 * each probe has exactly its tracepoint's prototype (a tracepoint calls its
 * probes through a plain function pointer, so a mismatch would not be a
 * compile error by itself but a crash).  sched_switch is last: when it
 * starts counting, the others already note new and exiting tasks.
 */
#define NSMON_TRACEPOINTS(TP)					\
	TP(sched_process_fork,	nsmon_probe_fork)		\
	TP(task_newtask,	nsmon_probe_newtask)		\
	TP(sched_process_exec,	nsmon_probe_exec)		\
	TP(sched_process_exit,	nsmon_probe_exit)		\
	TP(sched_migrate_task,	nsmon_probe_migrate)		\
	TP(sched_switch,	nsmon_probe_switch)

/* A registration table entry, and a prototype check, per tracepoint. */
#define NSMON_TP_ENTRY(tp, fn)	{ .name = #tp, .probe = fn },
#define NSMON_TP_CHECK(tp, fn)	check_trace_callback_type_##tp(fn);

#endif /* NSMON_TRACEPOINTS_H */
