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
 *                       of prev, CPU time (runtime out - runtime in)
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
 * A small per-CPU cache sits in front of the hash table: on a CPU the same
 * few namespaces come back again and again.  It is two-way set
 * associative: a hash of the namespace pointer picks a set, and each set
 * holds two namespaces, so that two namespaces whose tasks take turns on a
 * CPU never evict each other, even when they hash alike.  A slot holds the
 * entry's counters for this CPU (this_cpu_ptr(e->stats)), so a hit is
 * ready to count.  A miss goes to the rhashtable, out of line.
 *
 * Only this CPU fills its cache, and only with entries it found in the
 * table.  When the sync work removes an entry, it takes it out of the
 * table first, waits for a grace period (after which no CPU can be filling
 * a slot with it), and then empties the slots that hold it on every CPU:
 * nsmon_probes_forget().  So a slot never needs checking before use.
 */

/* The cache set of @ns on CPU @c. */
static __always_inline struct nsmon_cache_set *
nsmon_cache_set(struct nsmon_cpu *c, struct pid_namespace *ns)
{
	return &c->cache[hash_ptr(ns, NSMON_CACHE_BITS)];
}

/* Is @ns in its cache set @set?  If so, *s is this CPU's counters of it. */
static __always_inline bool nsmon_cache_hit(struct nsmon_cache_set *set,
					    struct pid_namespace *ns,
					    struct nsmon_stats **s)
{
	if (likely(set->ns[0] == ns)) {
		*s = set->s[0];
		return true;
	}
	if (set->ns[1] == ns) {
		*s = set->s[1];
		return true;
	}
	return false;
}

/*
 * A miss: look @ns up in the table and, if found, put it in its set, in
 * the way filled longest ago.  A slot is written namespace last: a slot
 * whose namespace matches is whole.
 */
static noinline struct nsmon_stats *
nsmon_cache_fill(struct nsmon_cache_set *set, struct pid_namespace *ns)
{
	struct nsmon_ns *e = nsmon_table_lookup(&nsmon_tbl, ns);
	unsigned int way = set->next;

	if (!e)
		return NULL;
	set->next = !way;
	WRITE_ONCE(set->ns[way], NULL);
	set->s[way] = this_cpu_ptr(e->stats);
	WRITE_ONCE(set->ns[way], ns);
	return set->s[way];
}

/*
 * Empty every CPU's cache slots that hold @ns.  Only for the sync work,
 * after @ns's entry left the table and a grace period passed.  A CPU may
 * be filling another slot of the same set meanwhile; clearing only ever
 * turns a hit into a miss, never the other way round.
 */
void nsmon_probes_forget(struct pid_namespace *ns)
{
	int cpu, i, way;

	for_each_possible_cpu(cpu) {
		struct nsmon_cpu *c = per_cpu_ptr(&nsmon_cpu, cpu);

		for (i = 0; i < NSMON_CACHE_SETS; i++)
			for (way = 0; way < 2; way++)
				if (READ_ONCE(c->cache[i].ns[way]) == ns)
					WRITE_ONCE(c->cache[i].ns[way], NULL);
	}
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_probes_forget);

/*
 * This CPU's counters of task @t's active namespace, or NULL if nsmon
 * does not know it.  Called with preemption disabled on @c's CPU.
 */
static struct nsmon_stats *nsmon_task_stats(struct nsmon_cpu *c,
					    struct task_struct *t)
{
	struct pid *pid = nsmon_task_pid(t);
	struct nsmon_cache_set *set;
	struct pid_namespace *ns;
	struct nsmon_stats *s;

	if (unlikely(!pid))
		return NULL;
	ns = nsmon_pid_active_ns(pid);
	set = nsmon_cache_set(c, ns);
	if (likely(nsmon_cache_hit(set, ns, &s)))
		return s;
	return nsmon_cache_fill(set, ns);
}

/* The same, but the sink instead of NULL, and the sink for idle. */
static struct nsmon_stats *nsmon_task_stats_or_sink(struct nsmon_cpu *c,
						    struct task_struct *t)
{
	struct nsmon_stats *s = NULL;

	if (!is_idle_task(t))
		s = nsmon_task_stats(c, t);
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
	return nsmon_task_stats_or_sink(c, t);
}

/* Count a task that copy_process() just created. */
static void nsmon_count_new_task(struct task_struct *child)
{
	struct nsmon_cpu *c = this_cpu_ptr(&nsmon_cpu);
	struct nsmon_stats *s;
	struct nsmon_ns *e;
	bool created;

	/* Not running yet, so not released: thread_pid is set. */
	if (unlikely(!READ_ONCE(child->thread_pid)))
		return;
	s = nsmon_task_stats(c, child);
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
 * way out.  Idle and unknown tasks count into the per-CPU c->sink, which
 * nobody reads: one more add is cheaper than a test on every switch.
 *
 * CPU time: __schedule() has just brought prev's se.sum_exec_runtime up to
 * date.  A task's slice is its runtime at switch-out minus its runtime at
 * switch-in, so the probe adds prev's runtime to prev's counters and
 * subtracts next's from next's: summed over CPUs, that is the CPU time of
 * every completed slice, and a reader adds the runtime of each CPU's
 * current task to complete the running ones (nsmon_ns_read()).  Per CPU
 * the counter may wrap below zero (a task can be switched in on one CPU
 * and out on another); the sum is right, in modulo-2^64 arithmetic.
 *
 * The work is split so that the usual case, prev switched in by this
 * probe and next's namespace in the cache, runs straight through
 * nsmon_probe_switch() without a call; anything else goes to
 * nsmon_switch_slow().
 */
static __always_inline void nsmon_switch_account(struct nsmon_cpu *c,
						 struct nsmon_stats *s,
						 struct nsmon_stats *cpu_s,
						 bool preempt,
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
	cpu_s->cpu_ns += prev->se.sum_exec_runtime;
	next_s->cpu_ns -= next->se.sum_exec_runtime;
	c->cur = next;
	c->cur_s = next_s;
	raw_write_seqcount_end(&c->seq);
}

/*
 * Everything else.  The arguments are the probe's, in the same registers,
 * with c where the probe has its unused data: the jump here moves nothing.
 */
static noinline void nsmon_switch_slow(struct nsmon_cpu *c, bool preempt,
				       struct task_struct *prev,
				       struct task_struct *next,
				       unsigned int prev_state)
{
	struct nsmon_stats *next_s = nsmon_task_stats_or_sink(c, next);
	struct nsmon_stats *s = c->cur_s, *cpu_s = c->cur_s;

	/*
	 * The first switch on this CPU since the module was loaded: prev was
	 * not switched in by us, so it has no counters at hand and its
	 * runtime at switch-in was not subtracted.  Count its switch, not
	 * its CPU time: the sink takes the runtime.  (Nothing here writes to
	 * c outside the seqcount: a reader must never see cur_s set while cur
	 * is still NULL.)
	 */
	if (unlikely(c->cur != prev)) {
		s = nsmon_task_stats_or_sink(c, prev);
		cpu_s = &c->sink;
	}
	nsmon_switch_account(c, s, cpu_s, preempt, prev_state, prev, next,
			     next_s);
}

static void notrace nsmon_probe_switch(void *data, NSMON_SWITCH_ARGS)
{
	struct nsmon_cpu *c = this_cpu_ptr(&nsmon_cpu);
	struct nsmon_cache_set *set;
	struct nsmon_stats *next_s;
	struct pid_namespace *ns;
	struct pid *pid;

	if (unlikely(c->cur != prev))
		goto slow;
	if (likely(!is_idle_task(next))) {
		pid = READ_ONCE(next->thread_pid);
		if (unlikely(!pid))
			goto slow;
		ns = nsmon_pid_active_ns(pid);
		set = nsmon_cache_set(c, ns);
		if (unlikely(!nsmon_cache_hit(set, ns, &next_s)))
			goto slow;
	} else {
		next_s = &c->sink;
	}
	nsmon_switch_account(c, c->cur_s, c->cur_s, preempt,
			     NSMON_PREV_STATE(prev), prev, next, next_s);
	return;
slow:
	nsmon_switch_slow(c, preempt, prev, next, NSMON_PREV_STATE(prev));
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
