/* SPDX-License-Identifier: GPL-2.0 */
/*
 * events.h - /proc/nsmon/events: what the probes call, and what the
 * KUnit suite tests (see events.c for the design).
 */
#ifndef NSMON_EVENTS_H
#define NSMON_EVENTS_H

#include <linux/jump_label.h>
#include <linux/sched.h>
#include <linux/types.h>

/* The kinds of event, in the order of NSMON_EVENT_NAMES. */
enum nsmon_event_kind {
	NSMON_EV_FORK,		/* a new process (thread group) */
	NSMON_EV_THREAD,	/* a new thread of an existing group */
	NSMON_EV_EXEC,		/* a successful execve() */
	NSMON_EV_EXIT,		/* do_exit() of any thread */
	NSMON_EV_NKINDS
};

#define NSMON_EV_ALL		(BIT(NSMON_EV_NKINDS) - 1)

/*
 * One event as a reader's buffer keeps it: everything the line needs,
 * already in the reader's view (see nsmon_events_format()).  nspid holds
 * the task's PIDs from the view's level down to its own, n of them; a
 * record in the buffer is only as long as its n entries.
 */
struct nsmon_ev {
	u64 ts;			/* ktime_get_ns() at the event */
	u32 inum;		/* the task's active namespace */
	s32 tgid;		/* in the view */
	s32 ns_tgid;		/* in the task's namespace */
	s32 arg;		/* per kind: see nsmon_events_format() */
	u8 kind;		/* enum nsmon_event_kind */
	u8 n;			/* entries in nspid[], 1..MAX_PID_NS_LEVEL + 1 */
	char comm[TASK_COMM_LEN];
	u16 pad;		/* 0: no hole before nspid[] */
	s32 nspid[MAX_PID_NS_LEVEL + 1];
};

/* A line of the file is at most this long (see nsmon_events_format()). */
#define NSMON_EV_LINE_MAX	(32 * 8 + 12 * (MAX_PID_NS_LEVEL + 1) + \
				 4 * TASK_COMM_LEN)

/* On while at least one reader is open: the probes' one test. */
DECLARE_STATIC_KEY_FALSE(nsmon_events_on);

void __nsmon_events_emit(unsigned int kind, struct task_struct *t,
			 struct task_struct *creator, int arg);

/**
 * nsmon_events_emit() - report an event to the readers of the events file
 * @kind: enum nsmon_event_kind
 * @t: the task concerned
 * @creator: fork, thread: the task that created @t; otherwise unused
 * @arg: exec: the global PID the task had before it (the tracepoint's
 *	 old_pid); exit: the exit code; otherwise unused
 *
 * Context: a probe, preemption disabled.  With no reader open, one
 * patched-out branch.
 */
static __always_inline void nsmon_events_emit(unsigned int kind,
					      struct task_struct *t,
					      struct task_struct *creator,
					      int arg)
{
	if (static_branch_unlikely(&nsmon_events_on))
		__nsmon_events_emit(kind, t, creator, arg);
}

int nsmon_events_parse_filter(const char *buf, size_t len,
			      unsigned int *inum, unsigned int *kinds);
int nsmon_events_format(char *buf, size_t size, const struct nsmon_ev *ev);
int nsmon_events_proc_init(struct proc_dir_entry *dir);
void nsmon_events_shutdown(void);

#endif /* NSMON_EVENTS_H */
