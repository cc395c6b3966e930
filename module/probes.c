// SPDX-License-Identifier: GPL-2.0
/*
 * probes.c - the tracepoint probes: where nsmon counts.
 *
 * A tracepoint is a call site compiled into the kernel (trace_sched_switch()
 * in __schedule(), for one) that calls every function registered on it,
 * with the arguments its TP_PROTO declares plus a void *data cookie first.
 * The calls happen inside rcu_read_lock_sched(): preemption is disabled, so
 * a probe must not sleep, must not allocate with GFP_KERNEL, and must not
 * printk (the console path can take locks the scheduler holds).  The
 * sched_switch probe even runs with this CPU's runqueue lock held, so it
 * must not wake anything up either: it only touches per-CPU memory.
 *
 * Events and what they count (p is the task concerned):
 *
 *   sched_process_fork  a new task, after copy_process() succeeded and
 *                       before it first runs: forks (+ processes) or threads
 *   task_newtask        the same, but for the io_uring workers that
 *                       create_io_thread() makes without sched_process_fork
 *   sched_process_exec  a successful execve(): execs; when a non-leader
 *                       thread exec'd, it took over as leader: processes + 1
 *   sched_process_exit  do_exit() of any thread: exits (+ processes - 1)
 *   sched_switch        a context switch: voluntary or involuntary switch
 *                       of prev, CPU time of prev's slice
 */
#include <linux/hash.h>
#include <linux/percpu.h>
#include <linux/tracepoint.h>
#include <linux/sched/signal.h>
#include <linux/workqueue.h>
#include <linux/string.h>
#include <trace/events/sched.h>
#include <trace/events/task.h>

#include "nsmon.h"

DEFINE_PER_CPU(struct nsmon_cpu, nsmon_cpu);

/* CPU @cpu's probe state, for the KUnit suite (a module of its own). */
struct nsmon_cpu *nsmon_cpu_state(int cpu)
{
	return per_cpu_ptr(&nsmon_cpu, cpu);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_cpu_state);

/*
 * Finding a task's counters
 * -------------------------
 * A context switch needs the counters of the task it switches to, so this
 * is the hottest code in nsmon, and it is written to run few instructions:
 * the usual case is inline, makes no call, and touches only this CPU's own
 * struct nsmon_cpu and the task's struct pid.
 *
 * A small direct-mapped per-CPU cache, indexed by a hash of the namespace
 * pointer, sits in front of the hash table: on a CPU the same few
 * namespaces come back again and again.  A slot holds the entry's counters
 * for this CPU (this_cpu_ptr(e->stats)), so a hit is ready to count.  A
 * slot is valid only in the table generation it was filled in (see
 * nsmon_table_unlink()).  A miss goes to the rhashtable, out of line.
 */

/* The cache slot of @ns on CPU @c. */
static __always_inline struct nsmon_cache_slot *
nsmon_slot(struct nsmon_cpu *c, struct pid_namespace *ns)
{
	return &c->cache[hash_ptr(ns, NSMON_CACHE_BITS)];
}

/* A miss: look @ns up in the table, and remember the answer in @slot. */
static noinline struct nsmon_stats *
nsmon_cache_fill(struct nsmon_cache_slot *slot, struct pid_namespace *ns,
		 unsigned int gen)
{
	struct nsmon_ns *e = nsmon_table_lookup(&nsmon_tbl, ns);

	if (!e)
		return NULL;
	slot->ns = ns;
	slot->s = this_cpu_ptr(e->stats);
	slot->gen = gen;
	return slot->s;
}

/*
 * This CPU's counters of task @t's active namespace, or NULL if nsmon
 * does not know it.  Called with preemption disabled on @c's CPU; @gen is
 * nsmon_tbl.gen, read by the caller before this.
 */
static struct nsmon_stats *nsmon_task_stats(struct nsmon_cpu *c,
					    struct task_struct *t,
					    unsigned int gen)
{
	struct pid *pid = nsmon_task_pid(t);
	struct pid_namespace *ns;
	struct nsmon_cache_slot *slot;

	if (unlikely(!pid))
		return NULL;
	ns = nsmon_pid_active_ns(pid);
	slot = nsmon_slot(c, ns);
	if (likely(slot->ns == ns && slot->gen == gen))
		return slot->s;
	return nsmon_cache_fill(slot, ns, gen);
}

/* The same, but the sink instead of NULL, and the sink for idle. */
static struct nsmon_stats *nsmon_task_stats_or_sink(struct nsmon_cpu *c,
						    struct task_struct *t,
						    unsigned int gen)
{
	struct nsmon_stats *s = NULL;

	if (!is_idle_task(t))
		s = nsmon_task_stats(c, t, gen);
	return s ? s : &c->sink;
}

/*
 * The counters of the task running on this CPU.  The switch probe looked
 * them up when it switched @t in, so usually there is nothing to look up.
 */
static struct nsmon_stats *nsmon_current_stats(struct nsmon_cpu *c,
					       struct task_struct *t)
{
	if (likely(c->cur == t))
		return c->cur_s;
	return nsmon_task_stats_or_sink(c, t, READ_ONCE(nsmon_tbl.gen));
}

/* Count a task that copy_process() just created. */
static void nsmon_count_new_task(struct task_struct *child)
{
	struct nsmon_cpu *c = this_cpu_ptr(&nsmon_cpu);
	unsigned int gen = READ_ONCE(nsmon_tbl.gen);
	struct nsmon_stats *s;
	struct nsmon_ns *e;
	bool created;

	/* Not running yet, so not released: thread_pid is set. */
	if (unlikely(!READ_ONCE(child->thread_pid)))
		return;
	s = nsmon_task_stats(c, child, gen);
	if (unlikely(!s)) {
		/*
		 * A namespace comes into being (for nsmon) when its first
		 * task, its init, is forked into it: this is the only place
		 * entries are made after module load.
		 */
		e = nsmon_table_get_or_create(&nsmon_tbl,
					      task_active_pid_ns(child),
					      &created);
		if (unlikely(!e)) {
			atomic_long_inc(&nsmon_lost);
			return;
		}
		if (created)
			nsmon_sync_kick(0);	/* give it its /proc file */
		s = this_cpu_ptr(e->stats);
	}

	if (thread_group_leader(child)) {
		s->forks++;
		s->procs++;
	} else {
		s->threads++;
	}
}

/* In kernel_clone(), after copy_process(): current is the parent. */
static void notrace nsmon_probe_fork(void *data, struct task_struct *parent,
				     struct task_struct *child)
{
	nsmon_count_new_task(child);
}

/* Only the tasks that bypass kernel_clone() and sched_process_fork. */
static void notrace nsmon_probe_newtask(void *data, struct task_struct *task,
					unsigned long clone_flags)
{
	if (unlikely(READ_ONCE(task->flags) & NSMON_PF_NO_FORK_EVENT))
		nsmon_count_new_task(task);
}

/* In exec_binprm(), after the new image is in place: p == current. */
static void notrace nsmon_probe_exec(void *data, struct task_struct *p,
				     pid_t old_pid, struct linux_binprm *bprm)
{
	struct nsmon_stats *s = nsmon_current_stats(this_cpu_ptr(&nsmon_cpu), p);

	s->execs++;
	/*
	 * de_thread() swapped PIDs with the old leader (exchange_tids()): the
	 * exec'ing thread is the thread group's leader now.  The old leader
	 * was counted out by its own sched_process_exit.
	 */
	if (old_pid != p->pid)
		s->procs++;
}

/*
 * In do_exit(), after exit_mm() and before exit_notify(): p == current,
 * still fully attached to its pids.
 */
static void notrace nsmon_probe_exit(void *data, NSMON_EXIT_ARGS)
{
	struct nsmon_stats *s = nsmon_current_stats(this_cpu_ptr(&nsmon_cpu), p);
	struct pid *pid;

	s->exits++;
	if (thread_group_leader(p))
		s->procs--;

	/*
	 * When a namespace's init exits, the kernel kills the rest of it
	 * (zap_pid_ns_processes()) and the namespace dies: wake the sync work
	 * so that it watches the entry go away.  Not from sched_switch: the
	 * runqueue lock is held there, and queueing work may wake a worker.
	 */
	pid = READ_ONCE(p->thread_pid);
	if (pid && pid->level > 0 && pid->numbers[pid->level].nr == 1)
		nsmon_sync_kick(0);
}

/*
 * The context switch
 * ------------------
 * sched_switch fires in __schedule(), with the runqueue locked, just
 * before the switch from prev to next.
 *
 * __schedule() counts the switch in prev->nvcsw when it was not a
 * preemption and prev was not runnable (prev_state != 0: it is going to
 * sleep, or to die), otherwise in prev->nivcsw; the preempt argument and
 * prev_state of this tracepoint are exactly the two values it decides on,
 * so nsmon's counts match the kernel's.
 *
 * prev's counters were looked up when prev was switched in (c->cur_s): the
 * probe uses those, even if prev has meanwhile lost its thread_pid on the
 * way out.  The CPU time of prev's slice is its se.sum_exec_runtime now
 * minus what it was then (__schedule() has just brought it up to date).
 * Idle and unknown tasks count into the per-CPU c->sink, which nobody
 * reads: one more add is cheaper than a test on every switch.
 *
 * The work is split so that the usual case, prev switched in by this
 * probe and next's namespace in the cache, runs straight through
 * nsmon_probe_switch() without a call; anything else goes to
 * nsmon_switch_slow().
 */
static __always_inline void nsmon_switch_account(struct nsmon_cpu *c,
						 struct nsmon_stats *s,
						 u64 start, bool preempt,
						 unsigned int prev_state,
						 struct task_struct *prev,
						 struct task_struct *next,
						 struct nsmon_stats *next_s)
{
	/* A reader on another CPU sees all of this or none of it. */
	raw_write_seqcount_begin(&c->seq);
	if (!preempt && prev_state)
		s->nvcsw++;
	else
		s->nivcsw++;
	s->cpu_ns += prev->se.sum_exec_runtime - start;
	c->cur = next;
	c->cur_s = next_s;
	c->cur_start = next->se.sum_exec_runtime;
	raw_write_seqcount_end(&c->seq);
}

static noinline void nsmon_switch_slow(struct nsmon_cpu *c, bool preempt,
				       unsigned int prev_state,
				       struct task_struct *prev,
				       struct task_struct *next)
{
	unsigned int gen = READ_ONCE(nsmon_tbl.gen);
	struct nsmon_stats *next_s = nsmon_task_stats_or_sink(c, next, gen);
	struct nsmon_stats *s = c->cur_s;
	u64 start = c->cur_start;

	/*
	 * The first switch on this CPU since the module was loaded: prev was
	 * not switched in by us, so it has no counters at hand and no slice
	 * start.  Count its switch, not its CPU time.  (Nothing here writes
	 * to c outside the seqcount: a reader must never see cur_s set while
	 * cur is still NULL.)
	 */
	if (unlikely(c->cur != prev)) {
		s = nsmon_task_stats_or_sink(c, prev, gen);
		start = prev->se.sum_exec_runtime;
	}
	nsmon_switch_account(c, s, start, preempt, prev_state, prev, next,
			     next_s);
}

static void notrace nsmon_probe_switch(void *data, NSMON_SWITCH_ARGS)
{
	struct nsmon_cpu *c = this_cpu_ptr(&nsmon_cpu);
	unsigned int gen = READ_ONCE(nsmon_tbl.gen);
	struct nsmon_stats *next_s;
	struct nsmon_cache_slot *slot;
	struct pid_namespace *ns;
	struct pid *pid;

	if (unlikely(c->cur != prev))
		goto slow;
	if (is_idle_task(next)) {
		next_s = &c->sink;
	} else {
		pid = READ_ONCE(next->thread_pid);
		if (unlikely(!pid))
			goto slow;
		ns = nsmon_pid_active_ns(pid);
		slot = nsmon_slot(c, ns);
		if (unlikely(slot->ns != ns || slot->gen != gen))
			goto slow;
		next_s = slot->s;
	}
	nsmon_switch_account(c, c->cur_s, c->cur_start, preempt,
			     NSMON_PREV_STATE(prev), prev, next, next_s);
	return;
slow:
	nsmon_switch_slow(c, preempt, NSMON_PREV_STATE(prev), prev, next);
}

struct nsmon_tracepoint {
	const char *name;
	void *probe;
	struct tracepoint *tp;
	bool registered;
};

static struct nsmon_tracepoint nsmon_tps[] = {
	{ .name = "sched_process_fork",	.probe = nsmon_probe_fork },
	{ .name = "task_newtask",	.probe = nsmon_probe_newtask },
	{ .name = "sched_process_exec",	.probe = nsmon_probe_exec },
	{ .name = "sched_process_exit",	.probe = nsmon_probe_exit },
	/* Last: by the time it counts switches, entries get created. */
	{ .name = "sched_switch",	.probe = nsmon_probe_switch },
};

static void nsmon_find_tracepoint(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(nsmon_tps); i++)
		if (!strcmp(tp->name, nsmon_tps[i].name))
			nsmon_tps[i].tp = tp;
}

void nsmon_probes_unregister(void)
{
	int i;

	for (i = ARRAY_SIZE(nsmon_tps) - 1; i >= 0; i--) {
		if (!nsmon_tps[i].registered)
			continue;
		tracepoint_probe_unregister(nsmon_tps[i].tp,
					    nsmon_tps[i].probe, NULL);
		nsmon_tps[i].registered = false;
	}
	/* Wait until no CPU can be inside one of our probes. */
	tracepoint_synchronize_unregister();
}

int nsmon_probes_register(void)
{
	int cpu, i, err;

	/*
	 * Compile-time checks: each fails to build if the probe's prototype
	 * differs from the tracepoint's in the kernel we build against.
	 */
	check_trace_callback_type_sched_process_fork(nsmon_probe_fork);
	check_trace_callback_type_task_newtask(nsmon_probe_newtask);
	check_trace_callback_type_sched_process_exec(nsmon_probe_exec);
	check_trace_callback_type_sched_process_exit(nsmon_probe_exit);
	check_trace_callback_type_sched_switch(nsmon_probe_switch);

	for_each_possible_cpu(cpu)
		seqcount_init(&per_cpu_ptr(&nsmon_cpu, cpu)->seq);

	/* Tracepoints are not exported by name: look them up by walking. */
	for_each_kernel_tracepoint(nsmon_find_tracepoint, NULL);
	for (i = 0; i < ARRAY_SIZE(nsmon_tps); i++) {
		if (!nsmon_tps[i].tp) {
			pr_err("tracepoint %s not found in this kernel\n",
			       nsmon_tps[i].name);
			return -ENOENT;
		}
	}

	for (i = 0; i < ARRAY_SIZE(nsmon_tps); i++) {
		err = tracepoint_probe_register(nsmon_tps[i].tp,
						nsmon_tps[i].probe, NULL);
		if (err) {
			pr_err("cannot attach to tracepoint %s: %pe\n",
			       nsmon_tps[i].name, ERR_PTR(err));
			nsmon_probes_unregister();
			return err;
		}
		nsmon_tps[i].registered = true;
	}
	return 0;
}
