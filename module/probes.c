// SPDX-License-Identifier: GPL-2.0
/*
 * probes.c - the tracepoint probes: where nsmon counts.
 *
 * A tracepoint is a call site compiled into the kernel (trace_sched_switch()
 * in __schedule(), for one) that calls every function registered on it,
 * with the arguments its TP_PROTO declares plus a void *data cookie first.
 *
 * What context a probe runs in depends on the kernel:
 *
 *   up to 6.x   the tracepoint calls its probes inside
 *               rcu_read_lock_sched(): preemption is disabled;
 *   7.0 on      inside an SRCU-fast read section only ("guard
 *               __DECLARE_TRACE() use of __DO_TRACE_CALL() with
 *               SRCU-fast"): the probe is preemptible and may migrate,
 *               unless its call site itself disables preemption.
 *
 * sched_switch is called from __schedule() with interrupts off and this
 * CPU's runqueue lock held, on every kernel: it must not sleep or wake
 * anything up, and it only touches per-CPU memory.  sched_migrate_task
 * too is called with interrupts off (a runqueue lock or p->pi_lock held),
 * sometimes from an interrupt, in the middle of another probe of the same
 * CPU: it only adds to its own counter and, at worst, refills a slot of
 * the per-CPU cache, which a slot's writer leaves whole in any order.  The other probes
 * (fork, newtask, exec, exit) are called from plain process context and,
 * since 7.0, preemptibly; each of them therefore disables preemption
 * itself (nsmon_enter()/nsmon_exit()) before it touches per-CPU memory or
 * an entry of the table.  That makes every probe, on every kernel, an RCU
 * read-side critical section (preemption off counts as one since 4.20),
 * so the synchronize_rcu() calls of the removal protocol in main.c wait
 * for every probe that might hold an entry; and a probe cannot be moved
 * to another CPU halfway through a per-CPU update.  Inside, a probe must
 * not sleep, must not allocate with GFP_KERNEL and must not printk.
 *
 * Events and what they count (p is the task concerned):
 *
 *   sched_process_fork  a new task, after copy_process() succeeded and
 *                       before it first runs: tasks + 1, and forks and
 *                       processes + 1 (a new thread group) or threads + 1
 *   task_newtask        the same, but for the io_uring workers that
 *                       create_io_thread() makes without sched_process_fork
 *   sched_process_exec  a successful execve(): execs + 1
 *   sched_process_exit  do_exit() of any thread: exits + 1, tasks - 1, and
 *                       processes - 1 when its thread group is dead
 *   sched_migrate_task  a task moves to another CPU: migrations + 1
 *   sched_switch        a context switch: voluntary or involuntary switch
 *                       of prev, CPU time (runtime out - runtime in)
 *
 * The fork, newtask, exec and exit probes also report their event to the
 * readers of /proc/nsmon/events (events.c) with one nsmon_events_emit()
 * call each: a static key, so with no reader open they pay one patched-out
 * branch; the events do not wait for the census.
 *
 * Until the load-time census is done (census.c), the probes are attached
 * but count nothing: fork, newtask and exit only note which tasks they
 * saw, for the census to count each task exactly once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/percpu.h>
#include <linux/tracepoint.h>
#include <linux/sched/signal.h>
#include <linux/workqueue.h>
#include <linux/string.h>
#include <trace/events/sched.h>
#include <trace/events/task.h>

#include "nsmon.h"
#include "events.h"

DEFINE_PER_CPU(struct nsmon_cpu, nsmon_cpu);

/**
 * nsmon_cpu_state() - a CPU's probe state
 * @cpu: the CPU
 *
 * For the KUnit suite (a module of its own).
 *
 * Return: @cpu's struct nsmon_cpu.
 */
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
 * entry's counters for this CPU (nsmon_ns_stats(e, smp_processor_id())), so a hit is
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
	set->s[way] = nsmon_ns_stats(e, smp_processor_id());
	WRITE_ONCE(set->ns[way], ns);
	return set->s[way];
}

/**
 * nsmon_probes_forget() - empty every CPU's cache slots that hold a namespace
 * @ns: the namespace
 *
 * Only for the sync work, after @ns's entry left the table and a grace
 * period passed.  A CPU may be filling another slot of the same set
 * meanwhile; clearing only ever turns a hit into a miss, never the other
 * way round.
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

/**
 * nsmon_current_stats() - the counters of the task running on this CPU
 * @c: this CPU's probe state
 * @t: the task running on it (exec and exit probes: current)
 *
 * The switch probe looked them up when it switched @t in, so usually there
 * is nothing to look up; but if @t's namespace had no entry yet then (its
 * counters are the sink), look again: the entry may exist by now (issue
 * 11, point 3: an exec or exit counted into the sink is lost).  Exported
 * for the KUnit suite.
 *
 * Return: this CPU's counters of @t's namespace, or the sink.
 */
struct nsmon_stats *nsmon_current_stats(struct nsmon_cpu *c,
					struct task_struct *t)
{
	if (likely(c->cur == t && c->cur_s != &c->sink))
		return c->cur_s;
	return nsmon_task_stats_or_sink(c, t);
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_current_stats);

/*
 * Counters are written only by their own CPU, with preemption (or
 * interrupts) disabled, and read by other CPUs at any time with
 * READ_ONCE().  The write is a plain add, one instruction on x86-64
 * (compat.h refuses 32-bit kernels, where a u64 could tear): data_race()
 * tells KCSAN that readers racing with it are intended, and that the
 * reader's marked access is the one that matters.
 */
static __always_inline void nsmon_add(u64 *field, u64 n)
{
	data_race(*field += n);	/* racing readers: see above */
}

/* What every probe but sched_switch does first and last: see the top. */
static __always_inline void nsmon_enter(void)
{
	preempt_disable();
}

static __always_inline void nsmon_leave(void)
{
	preempt_enable();
}

/* Count a task that copy_process() just created. */
static void nsmon_count_new_task(struct task_struct *child)
{
	struct pid_namespace *ns;
	struct nsmon_stats *s;
	struct nsmon_ns *e;
	bool created;
	int state;

	/* Not running yet, so not released: thread_pid is set. */
	if (unlikely(!READ_ONCE(child->thread_pid)))
		return;
	state = READ_ONCE(nsmon_state);
	if (unlikely(state != NSMON_ACTIVE)) {
		if (state == NSMON_CENSUS)
			nsmon_census_note(child, NSMON_SEEN_NEW);
		return;
	}
	s = nsmon_task_stats(this_cpu_ptr(&nsmon_cpu), child);
	if (unlikely(!s)) {
		/*
		 * A namespace comes into being (for nsmon) when its first
		 * task, its init, is forked into it: this is the only place
		 * entries are made after module load.  Not for a namespace
		 * that no longer accepts tasks (see the function).
		 */
		ns = task_active_pid_ns(child);
		e = nsmon_table_get_for_fork(&nsmon_tbl, ns, &created);
		if (IS_ERR(e))
			return;
		if (unlikely(!e)) {
			atomic_long_inc(&nsmon_lost);
			return;
		}
		if (created)
			nsmon_sync_kick(0);	/* give it its /proc file */
		s = nsmon_ns_stats(e, smp_processor_id());
	}

	nsmon_add(&s->tasks, 1);
	if (thread_group_leader(child)) {
		nsmon_add(&s->forks, 1);
		nsmon_add(&s->procs, 1);
	} else {
		nsmon_add(&s->threads, 1);
	}
}

/* In kernel_clone(), after copy_process(): current is the parent. */
static void notrace nsmon_probe_fork(void *data, struct task_struct *parent,
				     struct task_struct *child)
{
	nsmon_enter();
	nsmon_count_new_task(child);
	nsmon_events_emit(thread_group_leader(child) ? NSMON_EV_FORK :
			  NSMON_EV_THREAD, child, parent, 0);
	nsmon_leave();
}

/* Only the tasks that bypass kernel_clone() and sched_process_fork. */
static void notrace nsmon_probe_newtask(void *data, NSMON_NEWTASK_ARGS)
{
	if (likely(!(READ_ONCE(task->flags) & NSMON_PF_NO_FORK_EVENT)))
		return;
	nsmon_enter();
	nsmon_count_new_task(task);
	nsmon_events_emit(thread_group_leader(task) ? NSMON_EV_FORK :
			  NSMON_EV_THREAD, task, current, 0);
	nsmon_leave();
}

/*
 * In exec_binprm(), after the new image is in place: p == current.  When
 * a thread other than the leader exec'd, de_thread() made it the leader
 * (exchange_tids()), and the old leader went through do_exit(): the
 * thread group lives on, so processes does not change.
 */
static void notrace nsmon_probe_exec(void *data, struct task_struct *p,
				     pid_t old_pid, struct linux_binprm *bprm)
{
	struct nsmon_stats *s;

	nsmon_enter();
	if (likely(READ_ONCE(nsmon_state) == NSMON_ACTIVE)) {
		s = nsmon_current_stats(this_cpu_ptr(&nsmon_cpu), p);
		nsmon_add(&s->execs, 1);
	}
	nsmon_events_emit(NSMON_EV_EXEC, p, NULL, old_pid);
	nsmon_leave();
}

/*
 * Is @p's thread group dead, and is @p the one thread that says so?
 *
 * processes counts thread groups with a task that has not passed
 * sched_process_exit: /proc lists a process as long as one of its threads
 * lives, even after its leader called pthread_exit().  do_exit() counts a
 * group's live threads down (signal->live) before this tracepoint, and
 * the thread that takes it to zero has group_dead set (an argument of the
 * tracepoint since 6.16).  nsmon says "dead" at the first of the group's
 * probes that sees signal->live at zero instead, on every kernel: the
 * census (census.c) can tell when that is still to come, which it could
 * not for group_dead of a thread that passed before nsmon was loaded.
 *
 * Two threads may be between their decrement and this probe at once, and
 * both see zero: the first one claims the group in nsmon_group_claim() (a
 * small xarray keyed by signal_struct, emptied by the sync work once every
 * thread of the group has exited).  When this is the only thread left
 * unreleased (nr_threads counts the threads not yet released, and a thread
 * is released only after its own probe), no other thread can come after
 * it: a look at the claims is enough, no claim needs storing, and a
 * single-threaded process, the common case, takes no lock.  (Released
 * threads saw their claim stored before release_task() took
 * tasklist_lock; the read barrier pairs with that.)
 */
static bool nsmon_group_dies(struct task_struct *p)
{
	struct signal_struct *sig = p->signal;

	if (atomic_read(&sig->live))
		return false;
	if (READ_ONCE(sig->nr_threads) <= 1) {
		smp_rmb();	/* nr_threads before the claims: see above */
		return !nsmon_group_claimed(sig);
	}
	return nsmon_group_claim(p);
}

/*
 * In do_exit(), after exit_mm() and before exit_notify(): p == current,
 * still fully attached to its pids.
 */
static void notrace nsmon_probe_exit(void *data, NSMON_EXIT_ARGS)
{
	struct nsmon_stats *s;
	struct pid *pid;
	int state;

	nsmon_enter();
	nsmon_events_emit(NSMON_EV_EXIT, p, NULL, READ_ONCE(p->exit_code));
	state = READ_ONCE(nsmon_state);
	if (unlikely(state != NSMON_ACTIVE)) {
		if (state == NSMON_CENSUS) {
			nsmon_census_note(p, NSMON_SEEN_EXIT);
			nsmon_group_dies(p);	/* claims the group */
		}
		goto out;
	}
	s = nsmon_current_stats(this_cpu_ptr(&nsmon_cpu), p);
	nsmon_add(&s->exits, 1);
	nsmon_add(&s->tasks, -1);
	if (nsmon_group_dies(p))
		nsmon_add(&s->procs, -1);

	/*
	 * When a namespace's init dies (the last thread of its thread group
	 * exits), the kernel stops the namespace from accepting tasks
	 * (zap_pid_ns_processes() clears PIDNS_ADDING) and kills the rest of
	 * it.  Wake the sync work then, and at each exit after it, so that it
	 * sees the entry's last task go.  Not from sched_switch: the runqueue
	 * lock is held there, and queueing work may wake a worker.
	 */
	pid = READ_ONCE(p->signal->pids[PIDTYPE_TGID]);
	if (pid && pid->level > 0 &&
	    ((pid->numbers[pid->level].nr == 1 &&
	      !atomic_read(&p->signal->live)) ||
	     !(READ_ONCE(nsmon_pid_active_ns(pid)->pid_allocated) &
	       PIDNS_ADDING)))
		nsmon_sync_kick(0);
out:
	nsmon_leave();
}

/*
 * In set_task_cpu(), with interrupts off and p's runqueue lock or p->pi_lock
 * held: p goes to dest_cpu.  Counted as the kernel counts se.nr_migrations
 * (and perf stat -e cpu-migrations): only a real move.
 */
static void notrace nsmon_probe_migrate(void *data, struct task_struct *p,
					int dest_cpu)
{
	struct nsmon_stats *s;

	if (task_cpu(p) == dest_cpu ||
	    READ_ONCE(nsmon_state) != NSMON_ACTIVE)
		return;
	s = nsmon_task_stats_or_sink(this_cpu_ptr(&nsmon_cpu), p);
	nsmon_add(&s->migrations, 1);
}

/*
 * The context switch
 * ------------------
 * sched_switch fires in __schedule(), with the runqueue locked, just
 * after __schedule() counted the switch in prev->nvcsw (voluntary: prev
 * blocks) or prev->nivcsw (involuntary: prev was preempted, or a signal
 * cancelled its sleep), and just before the switch from prev to next.
 *
 * Voluntary or not: the tracepoint's own arguments (preempt, prev_state)
 * do not always say it: since 6.16, a sleep cancelled by a pending signal
 * passes prev_state == TASK_RUNNING while nvcsw counts it.  So the probe
 * keeps next's nvcsw when it switches next in (c->cur_nvcsw) and, when it
 * switches the same task out, prev->nvcsw - c->cur_nvcsw is 1 exactly
 * when this switch was counted as voluntary, 0 otherwise: a task only
 * changes its nvcsw in its own switches, and it cannot move to another
 * CPU while it runs.  No branch, and equal to the kernel's count on every
 * version.
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
 * Run-queue wait (CONFIG_SCHED_INFO): the scheduler keeps, per task, the
 * time it spent runnable but not running, in sched_info.run_delay
 * (/proc/<pid>/schedstat's second field).  It adds each wait when the
 * wait ends: when the task arrives on a CPU, in sched_info_switch(), just
 * after this tracepoint; or, for the part of a wait spent on one CPU's
 * queue before the load balancer moves the task to another, at the move.
 * The probe keeps next's run_delay as it switches next in (c->cur_rd) and,
 * at the switch that ends the slice, prev's run_delay minus c->cur_rd is
 * exactly the wait that ended when this slice began: one sample for the
 * histogram, in the bucket of its log2 in microseconds.  No clock read,
 * no per-task table.  Not every switch-in ends a wait the kernel counts:
 * sched_info_arrive() counts one (pcount, /proc/<pid>/schedstat's third
 * field) only if the task was queued (sched_info.last_queued set); a
 * task preempted while not TASK_RUNNING (between set_current_state() and
 * schedule(), with full preemption) stays on the run queue without being
 * queued again for schedstat, and its next switch-in is no arrival.  So
 * the probe notes at switch-in whether the kernel will count it
 * (c->cur_arrived), and the slice's sample adds that 0 or 1: the
 * histogram's count is the sum of pcount.  (Each sample is the wait on
 * the CPU the task ran on, as the kernel's own min/max_run_delay count
 * it; the part before a move is in wait_ns but not sampled.)  The total, wait_ns, is the sum
 * of run_delay over the namespace's live tasks, which a reader adds up
 * (nsmon_ns_wait()), plus the run_delay of each task that is gone, which
 * the probe adds at the task's final switch (prev_state TASK_DEAD: after
 * it run_delay can no longer change).
 *
 * The work is split so that the usual case, prev switched in by this
 * probe and next's namespace in the cache, runs straight through
 * nsmon_probe_switch() without a call; anything else goes to
 * nsmon_switch_slow().
 */
/*
 * @s and @cpu_s as for nsmon_switch_account(); the wait sample goes with
 * the CPU time, which is also measured from the switch-in.  Nothing
 * without CONFIG_SCHED_INFO.
 */
static __always_inline void nsmon_switch_wait(struct nsmon_cpu *c,
					      struct nsmon_stats *s,
					      struct nsmon_stats *cpu_s,
					      struct task_struct *prev,
					      unsigned int prev_state,
					      struct task_struct *next)
{
#ifdef NSMON_HAVE_WAIT
	u64 *hist = &cpu_s->ctr[NSMON_CTR_wait_lt_1us];
	u64 rd = nsmon_run_delay(prev);

	nsmon_add(&hist[nsmon_wait_bucket(rd - c->cur_rd)], c->cur_arrived);
	if (unlikely(prev_state == TASK_DEAD))
		nsmon_add(&s->wait_gone, rd);
	c->cur_rd = nsmon_run_delay(next);
	c->cur_arrived = nsmon_will_arrive(next);
#endif
}

static __always_inline void nsmon_switch_account(struct nsmon_cpu *c,
						 struct nsmon_stats *s,
						 struct nsmon_stats *cpu_s,
						 unsigned long vol,
						 struct task_struct *prev,
						 unsigned int prev_state,
						 struct task_struct *next,
						 struct nsmon_stats *next_s)
{
	/* A reader on another CPU sees all of this or none of it. */
	raw_write_seqcount_begin(&c->seq);
	nsmon_add(&s->switches, 1);
	nsmon_add(&s->voluntary_switches, vol);
	nsmon_add(&cpu_s->cpu_ns, prev->se.sum_exec_runtime);
	nsmon_add(&next_s->cpu_ns, -next->se.sum_exec_runtime);
	nsmon_switch_wait(c, s, cpu_s, prev, prev_state, next);
	c->cur = next;
	c->cur_s = next_s;
	c->cur_nvcsw = READ_ONCE(next->nvcsw);
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
	struct nsmon_stats *next_s, *s = c->cur_s, *cpu_s = c->cur_s;
	unsigned long vol;

	/* Before the census is done, nothing counts (census.c). */
	if (unlikely(READ_ONCE(nsmon_state) != NSMON_ACTIVE))
		return;
	next_s = nsmon_task_stats_or_sink(c, next);
	vol = READ_ONCE(prev->nvcsw) - c->cur_nvcsw;

	/*
	 * A CPU that was offline during the census makes its first switch:
	 * prev was not switched in by us, so it has no counters at hand, its
	 * runtime at switch-in was not subtracted and its nvcsw then is
	 * unknown.  Count its switch, voluntary as __schedule() decides it
	 * (exact before 6.16), and not its CPU time: the sink takes the
	 * runtime.  (Nothing here writes to c outside the seqcount: a reader
	 * must never see cur_s set while cur is still NULL.)
	 */
	if (unlikely(c->cur != prev)) {
		s = nsmon_task_stats_or_sink(c, prev);
		cpu_s = &c->sink;
		vol = !preempt && prev_state;
	}
	nsmon_switch_account(c, s, cpu_s, vol, prev, prev_state, next,
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
	nsmon_switch_account(c, c->cur_s, c->cur_s,
			     READ_ONCE(prev->nvcsw) - c->cur_nvcsw, prev,
			     NSMON_PREV_STATE(prev), next, next_s);
	return;
slow:
	nsmon_switch_slow(c, preempt, prev, next, NSMON_PREV_STATE(prev));
}

#include "tracepoints.h"

struct nsmon_tracepoint {
	const char *name;
	void *probe;
	struct tracepoint *tp;
	bool registered;
};

static struct nsmon_tracepoint nsmon_tps[] = {
	NSMON_TRACEPOINTS(NSMON_TP_ENTRY)
};

/* Fails to build if a probe's prototype differs from its tracepoint's. */
static inline void nsmon_check_prototypes(void)
{
	NSMON_TRACEPOINTS(NSMON_TP_CHECK)
}

static void nsmon_find_tracepoint(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(nsmon_tps); i++)
		if (!strcmp(tp->name, nsmon_tps[i].name))
			nsmon_tps[i].tp = tp;
}

/**
 * nsmon_probes_unregister() - detach every probe that is attached
 *
 * Returns once no CPU can be inside one of the probes any more, and leaves
 * nsmon_state at NSMON_OFF.
 */
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
	/*
	 * Wait until no CPU can be inside one of our probes: an RCU-sched
	 * grace period before 7.0, SRCU-fast (and RCU tasks trace) since.
	 */
	tracepoint_synchronize_unregister();
	WRITE_ONCE(nsmon_state, NSMON_OFF);
}

/**
 * nsmon_probes_register() - attach every probe, inert
 *
 * Context: process context.  The probes start inert: this sets
 * nsmon_state to NSMON_CENSUS, where they only note tasks for the census.
 *
 * Return: 0 once every CPU calls the new probes (registering swaps a
 * tracepoint's probe array, and a CPU that was already inside the
 * tracepoint still runs the old one until it leaves), or a negative error
 * (a tracepoint missing or refusing the probe, logged; nothing is left
 * attached).
 */
int nsmon_probes_register(void)
{
	int cpu, i, err;

	nsmon_check_prototypes();
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

	WRITE_ONCE(nsmon_state, NSMON_CENSUS);
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
	/* The same wait as for unregistering: for callers of the old arrays. */
	tracepoint_synchronize_unregister();
	return 0;
}
